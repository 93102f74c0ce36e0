// edgevp: write-wear accounting for non-volatile memory (eMRAM).
//
// The memory is divided into rows of row_bytes; every write access that touches a row counts as
// one write cycle of that row, however many of its bytes it changes (MRAM writes whole words with
// their ECC, and endurance is specified per cell write: counting per touched row is the
// conservative reading). A row is worn out once its count exceeds the endurance, 1e5 cycles by
// default (22FDX eMRAM, CALIBRATION.md).
//
//   record_write(offset, len)  per write access: O(rows touched), no allocation
//   worst(n)                   the n most-written rows, most first, ties by row index ascending
//   over_endurance()           how many rows have exceeded the endurance
//   on_worn_out                called once per row, when its count first exceeds the endurance
//
// The counts model the part, not the run: a SoC reset must not clear() them.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

namespace edgevp::memory {

inline constexpr std::uint64_t emram_endurance_cycles = 100000;  // CALIBRATION.md: 22FDX eMRAM

struct wear_entry {
  std::uint64_t row = 0;
  std::uint64_t offset = 0;  // of the row's first byte in the memory
  std::uint64_t count = 0;   // write cycles so far
  bool operator==(const wear_entry& o) const {
    return row == o.row && offset == o.offset && count == o.count;
  }
};

class wear_map {
 public:
  // Optional: called from record_write() with the row that just went past the endurance.
  std::function<void(const wear_entry& row)> on_worn_out;

  // Throws std::invalid_argument when rows, row_bytes or endurance is 0, or when
  // rows * row_bytes overflows.
  wear_map(std::uint64_t rows, std::uint64_t row_bytes, std::uint64_t endurance = emram_endurance_cycles);

  // A write of len bytes at offset; len 0 counts nothing. Throws std::out_of_range when the
  // write ends past the memory (the memory model answers those before they get here).
  void record_write(std::uint64_t offset, std::uint64_t len);

  [[nodiscard]] std::vector<wear_entry> worst(std::size_t n) const;
  [[nodiscard]] std::uint64_t over_endurance() const { return m_over; }
  [[nodiscard]] std::uint64_t count(std::uint64_t row) const { return m_counts.at(row); }
  [[nodiscard]] std::uint64_t total_row_writes() const { return m_total; }
  [[nodiscard]] std::uint64_t rows() const { return m_counts.size(); }
  [[nodiscard]] std::uint64_t row_bytes() const { return m_row_bytes; }
  [[nodiscard]] std::uint64_t size() const { return rows() * m_row_bytes; }
  [[nodiscard]] std::uint64_t endurance() const { return m_endurance; }

  void clear();  // a new part: all counts 0

 private:
  std::vector<std::uint64_t> m_counts;
  std::uint64_t m_row_bytes;
  unsigned m_shift = 0;  // log2(row_bytes) when it is a power of two (the usual case)
  bool m_pow2 = false;
  std::uint64_t m_endurance;
  std::uint64_t m_over = 0;
  std::uint64_t m_total = 0;
};

}  // namespace edgevp::memory

#include "models/memory/wear.h"

#include <algorithm>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>

namespace edgevp::memory {

wear_map::wear_map(std::uint64_t rows, std::uint64_t row_bytes, std::uint64_t endurance)
    : m_row_bytes(row_bytes), m_endurance(endurance) {
  if (rows == 0 || row_bytes == 0 || endurance == 0)
    throw std::invalid_argument("wear_map: rows (" + std::to_string(rows) + "), row_bytes (" +
                                std::to_string(row_bytes) + ") and endurance (" + std::to_string(endurance) +
                                ") must be > 0");
  if (row_bytes > std::numeric_limits<std::uint64_t>::max() / rows)
    throw std::invalid_argument("wear_map: rows * row_bytes overflows");
  m_counts.assign(rows, 0);
  m_pow2 = (row_bytes & (row_bytes - 1)) == 0;
  while (m_pow2 && (std::uint64_t{1} << m_shift) != row_bytes) ++m_shift;
}

void wear_map::record_write(std::uint64_t offset, std::uint64_t len) {
  if (len == 0) return;
  if (offset >= size() || len > size() - offset)
    throw std::out_of_range("wear_map: write of " + std::to_string(len) + " bytes at offset " +
                            std::to_string(offset) + " ends past the memory (" + std::to_string(size()) +
                            " bytes)");
  const std::uint64_t last_byte = offset + len - 1;
  const std::uint64_t first = m_pow2 ? offset >> m_shift : offset / m_row_bytes;
  const std::uint64_t last = m_pow2 ? last_byte >> m_shift : last_byte / m_row_bytes;
  for (std::uint64_t row = first; row <= last; ++row) {
    const std::uint64_t c = ++m_counts[row];
    if (c - 1 == m_endurance) {  // first time past the endurance
      ++m_over;
      if (on_worn_out) on_worn_out(wear_entry{row, row * m_row_bytes, c});
    }
  }
  m_total += last - first + 1;
}

std::vector<wear_entry> wear_map::worst(std::size_t n) const {
  n = static_cast<std::size_t>(std::min<std::uint64_t>(n, rows()));
  std::vector<std::uint64_t> idx(m_counts.size());
  std::iota(idx.begin(), idx.end(), 0);
  // Most writes first; equal counts by row index, so the answer does not depend on the sort.
  const auto before = [this](std::uint64_t a, std::uint64_t b) {
    return m_counts[a] != m_counts[b] ? m_counts[a] > m_counts[b] : a < b;
  };
  std::partial_sort(idx.begin(), idx.begin() + static_cast<std::ptrdiff_t>(n), idx.end(), before);
  std::vector<wear_entry> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i)
    out.push_back(wear_entry{idx[i], idx[i] * m_row_bytes, m_counts[idx[i]]});
  return out;
}

void wear_map::clear() {
  std::fill(m_counts.begin(), m_counts.end(), 0);
  m_over = 0;
  m_total = 0;
}

}  // namespace edgevp::memory

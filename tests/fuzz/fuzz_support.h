// Support for the libFuzzer targets (README.md "Fuzzing"): a scratch file for
// the APIs that read a path, and the helpers every target shares.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace edgevp::fuzz {

// A file in a private scratch directory (made once per process, under $TMPDIR or /tmp), rewritten
// with each input: for the APIs that take a path (the ELF loader, configuration files).
class scratch_file {
 public:
  explicit scratch_file(const std::string& name);
  // Replaces the file's contents; aborts (a harness problem, not a finding) if it cannot.
  void write(const std::uint8_t* data, std::size_t size) const;
  [[nodiscard]] const std::string& path() const { return m_path; }
  [[nodiscard]] static const std::string& directory();

 private:
  std::string m_path;
};

// Keeps a value the target computed from what the API returned (so the reads are not optimised
// away).
void keep(std::uint64_t v);

// Little-endian words of a byte string (a last partial word is zero-padded).
inline std::vector<std::uint32_t> words(const std::uint8_t* data, std::size_t size) {
  std::vector<std::uint32_t> w((size + 3) / 4, 0);
  if (size != 0) std::memcpy(w.data(), data, size);
  return w;
}

// Reads a little-endian integer at the front of [data, data + size), advancing past it; 0 (and
// nothing consumed) when too few bytes are left.
inline std::uint32_t take_u32(const std::uint8_t*& data, std::size_t& size) {
  if (size < 4) return 0;
  std::uint32_t v = 0;
  std::memcpy(&v, data, 4);
  data += 4;
  size -= 4;
  return v;
}

}  // namespace edgevp::fuzz

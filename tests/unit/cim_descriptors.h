// Descriptors of the CIM kinds (docs/models/cim.md) and test data, for the CIM benches.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

#include "tests/unit/accel_bench.h"

namespace edgevp::test::cim_desc {

inline constexpr std::uint64_t desc_addr = sram_base + 0x100;
inline constexpr std::uint64_t w_addr = sram_base + 0x10000;
inline constexpr std::uint64_t in_addr = sram_base + 0x30000;
inline constexpr std::uint64_t out_addr = sram_base + 0x50000;
inline constexpr std::uint64_t bias_addr = sram_base + 0x70000;

struct mvm_args {
  unsigned row0 = 0, rows = 0, col0 = 0, cols = 0, batch = 1, in_bits = 8;
  std::uint32_t in_stride = 0, out_stride = 0;
  bool bias = false, relu = false, out32 = false;
  std::int32_t scale = 1;
  unsigned shift = 0, adc_shift = 0;
};

inline std::vector<std::uint32_t> load_desc(unsigned row0, unsigned rows, unsigned col0, unsigned cols,
                                     unsigned w_bits, std::uint32_t stride) {
  return {1u,     0, static_cast<std::uint32_t>(w_addr), stride, row0 | (rows << 16), col0 | (cols << 16),
          w_bits, 0};
}
inline std::vector<std::uint32_t> mvm_desc(const mvm_args& a) {
  const std::uint32_t fl = (a.relu ? 1u : 0u) | (a.out32 ? 2u : 0u);
  return {2u | (fl << 8),
          0,
          static_cast<std::uint32_t>(in_addr),
          a.in_stride,
          static_cast<std::uint32_t>(out_addr),
          a.out_stride,
          a.row0 | (a.rows << 16),
          a.col0 | (a.cols << 16),
          a.batch,
          a.in_bits,
          a.bias ? static_cast<std::uint32_t>(bias_addr) : 0u,
          static_cast<std::uint32_t>(a.scale),
          a.shift,
          a.adc_shift,
          0,
          0};
}

inline std::vector<std::int8_t> random_bytes(std::size_t n, std::uint32_t seed) {
  std::mt19937 g(seed);
  std::vector<std::int8_t> v(n);
  for (auto& x : v)
    x = static_cast<std::int8_t>(g() & 0xFF);  // full byte range: the model keeps the low bits
  return v;
}

}  // namespace edgevp::test::cim_desc

// Fuzz target: CGRA kernel images on the built-in fabric (models/accelerators/cgra/array.h:
// configure, then run with a cycle budget), and a BACKGROUND image against the running groups.
// Input, little-endian: the group mask (u32); the first image's length in words (u32) and its
// words; the second image's length (u32) and words; then the banks' first bytes. The first image
// is loaded in the foreground and the groups run; the second is checked against what they use
// (BUSY) and applied, and the groups run again. A refused image is a config_result, a bad run a
// fault or a refusal: the array throws nothing, whatever the images hold.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "models/accelerators/cgra/array.h"
#include "models/accelerators/cgra/fabric.h"
#include "tests/fuzz/fuzz_support.h"

namespace cgra = edgevp::accel::cgra;

namespace {
std::vector<std::uint32_t> take_image(const std::uint8_t*& data, std::size_t& size) {
  const std::uint32_t n = edgevp::fuzz::take_u32(data, size);
  const std::size_t bytes = std::min<std::size_t>(std::size_t{n} * 4, size & ~std::size_t{3});
  std::vector<std::uint32_t> w = edgevp::fuzz::words(data, bytes);
  data += bytes;
  size -= bytes;
  return w;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const cgra::fabric builtin = cgra::load("");
  const std::uint32_t groups = edgevp::fuzz::take_u32(data, size);
  const std::vector<std::uint32_t> first = take_image(data, size);
  const std::vector<std::uint32_t> second = take_image(data, size);
  cgra::array a(builtin);
  std::memcpy(a.mem().data(), data, std::min(size, a.mem().size()));
  const cgra::config_result c1 = a.configure(first);
  cgra::run_result r = a.run(groups, 20000);
  const cgra::in_use busy = a.users(groups);
  const cgra::config_result c2 = a.configure(second, &busy);
  r = a.run(groups, 20000);
  a.reset();
  r = a.run(groups, 1000);
  edgevp::fuzz::keep(static_cast<unsigned>(c1.cause) + static_cast<unsigned>(c2.cause) + r.cycles + r.pc +
                     a.count().fetches);
  return 0;
}

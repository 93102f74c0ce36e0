// Fuzz target: the CGRA's fabric descriptions (models/accelerators/cgra/fabric.h cgra::parse),
// and what a fabric that parses promises: an array built on it checks any kernel image and runs
// it. Input: the JSON text, then optionally a NUL byte, a group mask (u32) and a kernel image
// (little-endian words, docs/models/cgra.md "Kernel images"), run for at most 2000 cycles. The
// documented failure is core::config_error from parse; the array throws nothing.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "models/accelerators/cgra/array.h"
#include "models/accelerators/cgra/fabric.h"
#include "models/core/errors.h"
#include "tests/fuzz/fuzz_support.h"

namespace cgra = edgevp::accel::cgra;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto* nul = static_cast<const std::uint8_t*>(std::memchr(data, 0, size));
  const std::size_t text_size = nul != nullptr ? static_cast<std::size_t>(nul - data) : size;
  cgra::fabric f;
  try {
    f = cgra::parse(std::string(reinterpret_cast<const char*>(data), text_size), "fuzz.json");
  } catch (const edgevp::core::config_error&) {
    return 0;  // documented: the file, the JSON path and the problem
  }
  if (f.mem_bytes() > (4u << 20)) return 0;  // zeroing large banks per input is time not spent fuzzing
  cgra::array a(f);
  const std::uint8_t* rest = nul != nullptr ? nul + 1 : data + size;
  std::size_t rest_size = static_cast<std::size_t>(data + size - rest);
  const std::uint32_t groups = edgevp::fuzz::take_u32(rest, rest_size);
  const cgra::config_result c = a.configure(edgevp::fuzz::words(rest, rest_size));
  const cgra::run_result r = a.run(groups, 2000);
  edgevp::fuzz::keep(static_cast<unsigned>(c.cause) + c.offset + r.cycles + r.pc + a.count().fetches);
  return 0;
}

// Fuzz target: the TTA's machine descriptions (models/accelerators/tta/machine.h tta::parse), and
// what a description that parses promises: a processor built on it runs any program without
// checking again. Input: the JSON text, then optionally a NUL byte and a program image (raw
// slots, docs/models/tta.md "Program images") run from instruction 0 for at most 2000 cycles.
// The documented failure is core::config_error from parse; the processor throws nothing.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "models/accelerators/tta/machine.h"
#include "models/accelerators/tta/processor.h"
#include "models/core/errors.h"
#include "tests/fuzz/fuzz_support.h"

namespace tta = edgevp::accel::tta;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto* nul = static_cast<const std::uint8_t*>(std::memchr(data, 0, size));
  const std::size_t text_size = nul != nullptr ? static_cast<std::size_t>(nul - data) : size;
  tta::machine m;
  try {
    m = tta::parse(std::string(reinterpret_cast<const char*>(data), text_size), "fuzz.json");
  } catch (const edgevp::core::config_error&) {
    return 0;  // documented: the file, the JSON path and the problem
  }
  // Each local memory may be 16 MiB: a processor per input only for descriptions of modest size,
  // so the fuzzer spends its time on parsing and execution rather than on zeroing memories.
  if (m.dmem_bytes + m.pmem_bytes > (4u << 20)) return 0;
  tta::processor p(m);
  const std::uint8_t* image = nul != nullptr ? nul + 1 : data + size;
  const std::size_t image_size = static_cast<std::size_t>(data + size - image);
  const unsigned insn = m.insn_bytes();
  const auto n =
      static_cast<std::uint32_t>(std::min<std::size_t>(insn != 0 ? image_size / insn : 0, m.imem_insns));
  if (n != 0) p.load_program(0, image, n);
  const tta::run_result r = p.run(0, 2000);
  edgevp::fuzz::keep(r.cycles + r.pc + p.count().moves);
  return 0;
}

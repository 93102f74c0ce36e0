// Fuzz target: TTA programs on the built-in machine (models/accelerators/tta/processor.h:
// load_program, then run with a cycle budget). Input, little-endian: the entry (u32), the number
// of instructions (u32; at most what follows and what the instruction memory holds), the image
// (that many instructions of 8 bytes per bus), then the data memory's first bytes. A program
// ends in halt, a fault or the budget: the processor throws nothing, whatever the image holds.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "models/accelerators/tta/machine.h"
#include "models/accelerators/tta/processor.h"
#include "tests/fuzz/fuzz_support.h"

namespace tta = edgevp::accel::tta;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const tta::machine builtin = tta::load("");
  const std::uint32_t entry = edgevp::fuzz::take_u32(data, size);
  const std::uint32_t count = edgevp::fuzz::take_u32(data, size);
  const unsigned insn = builtin.insn_bytes();
  const auto n = static_cast<std::uint32_t>(std::min<std::size_t>({count, size / insn, builtin.imem_insns}));
  tta::processor p(builtin);
  if (n != 0) p.load_program(0, data, n);
  data += std::size_t{n} * insn;
  size -= std::size_t{n} * insn;
  std::memcpy(p.dmem().data(), data, std::min(size, p.dmem().size()));
  tta::run_result r = p.run(entry, 20000);
  // Registers, ports and results in flight stay between runs; a soft reset clears them.
  r = p.run(entry, 1000);
  p.reset();
  r = p.run(entry, 1000);
  edgevp::fuzz::keep(r.cycles + r.pc + p.count().moves + p.count().macs);
  return 0;
}

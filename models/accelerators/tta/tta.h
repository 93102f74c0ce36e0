// edgevp: the transport-triggered accelerator, after BrainTTA (Molendijk et al., arXiv 2211.11331;
// docs/models/tta.md). A programmable processor whose instructions are data transports between
// function-unit ports (processor.h), described by a machine description (machine.h), with its own
// instruction, data and parameter memories, on the accelerator contract (accelerator.h).
//
//   common window 0x00-0x3F (accelerator.h), then
//   0x40 IMEM_INSNS  0x44 INSN_BYTES  0x48 DMEM_BYTES  0x4C PMEM_BYTES (ro)  0x50 MAX_CYCLES (rw)
//   0x54 FAULT_PC  0x58 FAULT_CAUSE  0x5C RESULT  0x60 RUN_CYCLES  0x64/0x68 INSNS_LO/HI
//   0x6C/0x70 MOVES_LO/HI (ro)
//
//   PROGRAM (opcode 1, 6 words): src, first instruction, instructions, 0
//   COPY    (opcode 2, 6 words): flags TO_SOC, PMEM; SoC address, local offset, bytes, 0
//   RUN     (opcode 3, 6 words): entry, argument block, its bytes, its place in data memory
//
// Why a TTA: the programmer (or compiler) schedules every transport, so the hardware needs no
// bypass network, no register renaming and few register-file ports; the price of that
// flexibility is instruction fetch and moves on every cycle, which this model charges event by
// event beside the vector MAC's work (bench/tta_tops.sh sets the two against each other).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "models/accelerators/accelerator.h"
#include "models/accelerators/tta/processor.h"

namespace edgevp::accel::tta {

namespace regs {
inline constexpr std::uint64_t imem_insns = 0x40, insn_bytes = 0x44, dmem_bytes = 0x48, pmem_bytes = 0x4C,
                               max_cycles = 0x50, fault_pc = 0x54, fault_cause = 0x58, result = 0x5C,
                               run_cycles = 0x60, insns_lo = 0x64, insns_hi = 0x68, moves_lo = 0x6C,
                               moves_hi = 0x70;
}  // namespace regs

namespace opcode {
inline constexpr std::uint8_t program = 1;
inline constexpr std::uint8_t copy = 2;
inline constexpr std::uint8_t run = 3;
}  // namespace opcode

namespace copy_flags {
inline constexpr std::uint32_t to_soc = 1u << 0;
inline constexpr std::uint32_t pmem = 1u << 1;
inline constexpr std::uint32_t all = to_soc | pmem;
}  // namespace copy_flags

namespace word {
inline constexpr unsigned program_src = 2, program_first = 3, program_count = 4;
inline constexpr unsigned copy_soc = 2, copy_local = 3, copy_bytes = 4;
inline constexpr unsigned run_entry = 2, run_args = 3, run_args_bytes = 4, run_args_dst = 5;
inline constexpr unsigned reserved = 5;  // PROGRAM, COPY
}  // namespace word
inline constexpr unsigned desc_words = 6;  // every descriptor

// The constants firmware builds descriptors with (kind_info::constants).
std::vector<std::pair<std::string, std::uint32_t>> constants();

class tta final : public accelerator {
 public:
  tta(const sc_core::sc_module_name& name, const instance& inst, machine m);
  static constexpr std::uint8_t code = 0x04;

  core::reg<std::uint32_t> imem_insns_reg;
  core::reg<std::uint32_t> insn_bytes_reg;
  core::reg<std::uint32_t> dmem_bytes_reg;
  core::reg<std::uint32_t> pmem_bytes_reg;
  core::reg<std::uint32_t> max_cycles_reg;
  core::reg<std::uint32_t> fault_pc;
  core::reg<std::uint32_t> fault_cause;
  core::reg<std::uint32_t> result;
  core::reg<std::uint32_t> run_cycles;
  core::reg<std::uint32_t> insns_lo;
  core::reg<std::uint32_t> insns_hi;
  core::reg<std::uint32_t> moves_lo;
  core::reg<std::uint32_t> moves_hi;

  [[nodiscard]] const processor& core() const { return m_proc; }
  [[nodiscard]] processor& core() { return m_proc; }
  [[nodiscard]] std::vector<std::pair<std::string, double>> report() const override;

 protected:
  [[nodiscard]] unsigned descriptor_words(std::uint8_t op) const override;
  sc_core::sc_time execute(job& j) override;
  void reset_kind() override;
  void power_lost() override;

 private:
  sc_core::sc_time program(job& j);
  sc_core::sc_time copy(job& j);
  sc_core::sc_time run(job& j);
  void add_power_sources(const instance& inst);

  processor m_proc;
  std::uint64_t m_max_cycles;
  std::uint32_t m_insns_hi_latch = 0, m_moves_hi_latch = 0;
  std::uint64_t m_runs = 0, m_faults = 0, m_timeouts = 0;
  std::uint64_t m_program_bits = 0;  // instruction memory written (PROGRAM)
  counters m_copy_count;             // local memories read and written by COPY and RUN's arguments
};

// The kind, for kinds.cc.
kind_info kind();

}  // namespace edgevp::accel::tta

// edgevp: RV32IMAC + Zicsr + Zifencei instruction disassembler, for `--trace-insn` and debugging.
//
// The text is GNU objdump's (`riscv64-unknown-elf-objdump -d -M no-aliases`, binutils 2.40, on an
// object assembled with -march=rv32imac_zicsr_zifencei), so a trace can be diffed against a
// disassembly listing. tests/disasm checks that claim instruction by instruction. Differences, all
// deliberate:
//   - mnemonic and operands are separated by one space (objdump uses a tab);
//   - branch and jump targets are absolute lower-case hex without `0x` and without objdump's
//     ` <symbol+offset>` suffix (we know no symbols);
//   - objdump's ` # <address>` comments (addresses it infers from a preceding lui/auipc, from gp,
//     or from x0/tp-based addressing) are not printed: they depend on context, not on the word;
//   - CSR names are binutils' for privileged spec 1.12, which objdump assumes for an object that
//     records no spec. gas records 1.11 as soon as a source names a CSR (unless assembled with
//     -Wa,-mpriv-spec=1.12); objdump then differs on a few numbers: it names the removed N-extension
//     CSRs (ustatus, uie, utvec, uscratch, uepc, ucause, utval, uip) and sedeleg/sideleg, and prints
//     as hex what 1.12 added (mstatush, menvcfg[h], senvcfg, mtinst, mtval2, mseccfg[h],
//     mconfigptr, pmpcfg4-15, pmpaddr16-63);
//   - an encoding objdump cannot decode prints as objdump prints it, `.4byte 0x...` or
//     `.2byte 0x...` (minimal hex); a 32-bit word whose low bits announce a 48-bit or longer
//     instruction (`insn & 0x1f == 0x1f`) also prints as `.4byte`, where objdump would read more.
// Everything objdump decodes prints as objdump prints it, including encodings that are reserved or
// HINTs on RV32IMAC (e.g. `c.addi16sp sp,0`, `c.slli a0,0x20`, `slli a0,a0,0x20`,
// `sfence.vma`): the disassembler is not a legality checker.
//
// No state, no allocation beyond the returned string; any 32-bit input is safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace edgevp::cpu {

// Longest text disassemble() produces, plus its terminating NUL.
inline constexpr std::size_t disasm_max_length = 48;

// Disassembles `insn` fetched at `pc`. A compressed instruction ((insn & 3) != 3) is the low half;
// the upper half is then ignored.
std::string disassemble(std::uint32_t insn, std::uint32_t pc);

// Same text, written NUL-terminated into `out` (truncated to `size - 1` characters); returns the
// length written. For hot paths that reuse one buffer per trace line.
std::size_t disassemble(std::uint32_t insn, std::uint32_t pc, char* out, std::size_t size);

}  // namespace edgevp::cpu

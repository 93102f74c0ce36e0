// edgevp: what each RV32IM instruction computes, written once for both of the ISS's paths.
//
// step() (the slow path, rv32_iss.cc) and the block executor (rv32_blocks.cc) dispatch in their
// own way (a switch; computed goto) and keep what differs between them where it is: cycle
// accounting, how memory is reached, traps. What an instruction computes from its operands is
// taken from here by both, so the two cannot disagree. The operation is a template argument and
// every function is forced inline: a call folds to that operation's expression, which adds no
// dispatch and no call on either path.
#pragma once

#include <cstdint>
#include <type_traits>

#include "models/cpu/rv32_ops.h"

namespace edgevp::cpu::sem {

// One line per operation reads as a table: clang-format would break each into two.
// clang-format off

template <std::uint16_t>
inline constexpr bool never = false;  // a static_assert that fires only when instantiated

[[gnu::always_inline]] constexpr std::int32_t s32(std::uint32_t v) { return static_cast<std::int32_t>(v); }
[[gnu::always_inline]] constexpr std::int64_t s64(std::uint32_t v) { return s32(v); }
[[gnu::always_inline]] constexpr std::uint64_t u64(std::uint32_t v) { return v; }

// The value an ALU or M operation writes to rd, from its operands: a is rs1 (the pc for auipc),
// b is rs2 or the immediate. A register-immediate form computes what its register form does.
template <std::uint16_t O>
[[gnu::always_inline]] constexpr std::uint32_t alu(std::uint32_t a, std::uint32_t b) {
  if constexpr (O == op::lui) return b;
  else if constexpr (O == op::auipc || O == op::add || O == op::addi) return a + b;
  else if constexpr (O == op::sub) return a - b;
  else if constexpr (O == op::slt || O == op::slti) return s32(a) < s32(b) ? 1u : 0u;
  else if constexpr (O == op::sltu || O == op::sltiu) return a < b ? 1u : 0u;
  else if constexpr (O == op::xor_ || O == op::xori) return a ^ b;
  else if constexpr (O == op::or_ || O == op::ori) return a | b;
  else if constexpr (O == op::and_ || O == op::andi) return a & b;
  // Shifts use the low five bits of the amount (the immediate forms encode no more).
  else if constexpr (O == op::sll || O == op::slli) return a << (b & 31);
  else if constexpr (O == op::srl || O == op::srli) return a >> (b & 31);
  else if constexpr (O == op::sra || O == op::srai) return static_cast<std::uint32_t>(s32(a) >> (b & 31));
  else if constexpr (O == op::mul) return a * b;
  else if constexpr (O == op::mulh) return static_cast<std::uint32_t>((s64(a) * s64(b)) >> 32);
  else if constexpr (O == op::mulhsu)
    return static_cast<std::uint32_t>(static_cast<std::uint64_t>(s64(a) * static_cast<std::int64_t>(u64(b))) >> 32);
  else if constexpr (O == op::mulhu) return static_cast<std::uint32_t>((u64(a) * u64(b)) >> 32);
  // Division never traps: by zero it gives all ones (quotient) or the dividend (remainder); the
  // one overflow, INT_MIN / -1, gives the dividend and remainder 0 (RISC-V unprivileged ISA, M).
  else if constexpr (O == op::div)
    return b == 0 ? 0xFFFFFFFFu
           : (a == 0x80000000u && b == 0xFFFFFFFFu) ? a
                                                    : static_cast<std::uint32_t>(s32(a) / s32(b));
  else if constexpr (O == op::divu) return b == 0 ? 0xFFFFFFFFu : a / b;
  else if constexpr (O == op::rem)
    return b == 0 ? a
           : (a == 0x80000000u && b == 0xFFFFFFFFu) ? 0u
                                                    : static_cast<std::uint32_t>(s32(a) % s32(b));
  else if constexpr (O == op::remu) return b == 0 ? a : a % b;
  else static_assert(never<O>, "not an ALU operation");
}

// Whether a conditional branch is taken, from rs1 (a) and rs2 (b).
template <std::uint16_t O>
[[gnu::always_inline]] constexpr bool taken(std::uint32_t a, std::uint32_t b) {
  if constexpr (O == op::beq) return a == b;
  else if constexpr (O == op::bne) return a != b;
  else if constexpr (O == op::blt) return s32(a) < s32(b);
  else if constexpr (O == op::bge) return s32(a) >= s32(b);
  else if constexpr (O == op::bltu) return a < b;
  else if constexpr (O == op::bgeu) return a >= b;
  else static_assert(never<O>, "not a branch");
}

// Targets: a taken branch and jal are pc-relative; jalr clears bit 0 of rs1 + imm.
[[gnu::always_inline]] constexpr std::uint32_t pc_relative(std::uint32_t pc, std::uint32_t imm) {
  return pc + imm;
}
[[gnu::always_inline]] constexpr std::uint32_t jalr_target(std::uint32_t a, std::uint32_t imm) {
  return (a + imm) & ~1u;
}

// Loads and stores: the address, the width in memory, and what a load writes to rd.
[[gnu::always_inline]] constexpr std::uint32_t address(std::uint32_t a, std::uint32_t imm) { return a + imm; }

template <std::uint16_t O>
using mem_t = std::conditional_t<O == op::lb || O == op::lbu || O == op::sb, std::uint8_t,
                                 std::conditional_t<O == op::lh || O == op::lhu || O == op::sh,
                                                    std::uint16_t, std::uint32_t>>;

template <std::uint16_t O>
[[gnu::always_inline]] constexpr std::uint32_t loaded(mem_t<O> v) {
  if constexpr (O == op::lb) return static_cast<std::uint32_t>(static_cast<std::int8_t>(v));
  else if constexpr (O == op::lh) return static_cast<std::uint32_t>(static_cast<std::int16_t>(v));
  else if constexpr (O == op::lw || O == op::lbu || O == op::lhu) return v;
  else static_assert(never<O>, "not a load");
}

template <std::uint16_t O>
[[gnu::always_inline]] constexpr mem_t<O> stored(std::uint32_t b) {
  static_assert(O == op::sb || O == op::sh || O == op::sw, "not a store");
  return static_cast<mem_t<O>>(b);  // the low bytes of rs2
}

// The value an AMO writes back to memory, from the value it read (old) and rs2 (src); rd gets old.
template <std::uint16_t O>
[[gnu::always_inline]] constexpr std::uint32_t amo(std::uint32_t old, std::uint32_t src) {
  if constexpr (O == op::amoswap_w) return src;
  else if constexpr (O == op::amoadd_w) return old + src;
  else if constexpr (O == op::amoxor_w) return old ^ src;
  else if constexpr (O == op::amoand_w) return old & src;
  else if constexpr (O == op::amoor_w) return old | src;
  else if constexpr (O == op::amomin_w) return s32(old) < s32(src) ? old : src;
  else if constexpr (O == op::amomax_w) return s32(old) > s32(src) ? old : src;
  else if constexpr (O == op::amominu_w) return old < src ? old : src;
  else if constexpr (O == op::amomaxu_w) return old > src ? old : src;
  else static_assert(never<O>, "not an AMO");
}

// clang-format on

}  // namespace edgevp::cpu::sem

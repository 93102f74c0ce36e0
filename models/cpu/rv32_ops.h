// edgevp: the ISS's internal operation codes (decoded form shared by 32-bit and compressed).
#pragma once

#include <cstdint>

namespace edgevp::cpu::op {

enum : std::uint16_t {
  illegal,
  lui, auipc, jal, jalr,
  beq, bne, blt, bge, bltu, bgeu,
  lb, lh, lw, lbu, lhu, sb, sh, sw,
  addi, slti, sltiu, xori, ori, andi, slli, srli, srai,
  add, sub, sll, slt, sltu, xor_, srl, sra, or_, and_,
  fence, fence_i, ecall, ebreak, mret, wfi,
  csrrw, csrrs, csrrc, csrrwi, csrrsi, csrrci,
  mul, mulh, mulhsu, mulhu, div, divu, rem, remu,
  lr_w, sc_w, amoswap_w, amoadd_w, amoxor_w, amoand_w, amoor_w, amomin_w, amomax_w, amominu_w, amomaxu_w,
  count
};

}  // namespace edgevp::cpu::op

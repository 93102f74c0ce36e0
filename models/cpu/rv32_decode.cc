// edgevp: RV32IMAC decoder. Compressed instructions expand to the same operations as their 32-bit
// equivalents (len = 2); reserved and RV64/F-only compressed encodings decode as illegal.
#include "models/cpu/rv32_iss.h"
#include "models/cpu/rv32_ops.h"

namespace edgevp::cpu {

namespace {

constexpr std::uint32_t bits(std::uint32_t v, unsigned hi, unsigned lo) {
  return (v >> lo) & ((1u << (hi - lo + 1)) - 1u);
}
constexpr std::int32_t sext(std::uint32_t v, unsigned width) {
  const std::uint32_t m = 1u << (width - 1);
  return static_cast<std::int32_t>((v ^ m) - m);
}

}  // namespace

void rv32_iss::decode(std::uint32_t raw, std::uint32_t pc, insn& d) const {
  d = insn{};
  d.pc = pc;
  d.raw = raw;
  d.op = op::illegal;
  if ((raw & 3) == 3) {
    d.len = 4;
    decode32(raw, d);
  } else {
    d.len = 2;
    decode16(raw & 0xFFFF, d);
  }
  finish_decode(d);
}

void rv32_iss::decode32(std::uint32_t r, insn& d) const {
  const std::uint32_t opcode = bits(r, 6, 0);
  const std::uint32_t f3 = bits(r, 14, 12);
  const std::uint32_t f7 = bits(r, 31, 25);
  d.rd = static_cast<std::uint8_t>(bits(r, 11, 7));
  d.rs1 = static_cast<std::uint8_t>(bits(r, 19, 15));
  d.rs2 = static_cast<std::uint8_t>(bits(r, 24, 20));
  const std::int32_t imm_i = sext(bits(r, 31, 20), 12);
  const std::int32_t imm_s = sext((bits(r, 31, 25) << 5) | bits(r, 11, 7), 12);
  const std::int32_t imm_b =
      sext((bits(r, 31, 31) << 12) | (bits(r, 7, 7) << 11) | (bits(r, 30, 25) << 5) | (bits(r, 11, 8) << 1), 13);
  const std::int32_t imm_u = static_cast<std::int32_t>(r & 0xFFFFF000u);
  const std::int32_t imm_j = sext((bits(r, 31, 31) << 20) | (bits(r, 19, 12) << 12) | (bits(r, 20, 20) << 11) |
                                      (bits(r, 30, 21) << 1),
                                  21);
  switch (opcode) {
    case 0x37: d.op = op::lui; d.imm = imm_u; return;
    case 0x17: d.op = op::auipc; d.imm = imm_u; return;
    case 0x6F: d.op = op::jal; d.imm = imm_j; return;
    case 0x67:
      if (f3 == 0) { d.op = op::jalr; d.imm = imm_i; }
      return;
    case 0x63: {
      static constexpr std::uint16_t ops[8] = {op::beq, op::bne, op::illegal, op::illegal,
                                               op::blt, op::bge, op::bltu, op::bgeu};
      d.op = ops[f3];
      d.imm = imm_b;
      return;
    }
    case 0x03: {
      static constexpr std::uint16_t ops[8] = {op::lb, op::lh, op::lw, op::illegal,
                                               op::lbu, op::lhu, op::illegal, op::illegal};
      d.op = ops[f3];
      d.imm = imm_i;
      return;
    }
    case 0x23: {
      static constexpr std::uint16_t ops[8] = {op::sb, op::sh, op::sw, op::illegal,
                                               op::illegal, op::illegal, op::illegal, op::illegal};
      d.op = ops[f3];
      d.imm = imm_s;
      return;
    }
    case 0x13:
      d.imm = imm_i;
      switch (f3) {
        case 0: d.op = op::addi; return;
        case 2: d.op = op::slti; return;
        case 3: d.op = op::sltiu; return;
        case 4: d.op = op::xori; return;
        case 6: d.op = op::ori; return;
        case 7: d.op = op::andi; return;
        case 1:
          if (f7 == 0) { d.op = op::slli; d.imm = static_cast<std::int32_t>(d.rs2); }
          return;
        case 5:
          if (f7 == 0) { d.op = op::srli; d.imm = static_cast<std::int32_t>(d.rs2); }
          else if (f7 == 0x20) { d.op = op::srai; d.imm = static_cast<std::int32_t>(d.rs2); }
          return;
        default: return;
      }
    case 0x33:
      if (f7 == 0) {
        static constexpr std::uint16_t ops[8] = {op::add, op::sll, op::slt, op::sltu,
                                                 op::xor_, op::srl, op::or_, op::and_};
        d.op = ops[f3];
      } else if (f7 == 0x20) {
        if (f3 == 0) d.op = op::sub;
        else if (f3 == 5) d.op = op::sra;
      } else if (f7 == 1) {
        static constexpr std::uint16_t ops[8] = {op::mul, op::mulh, op::mulhsu, op::mulhu,
                                                 op::div, op::divu, op::rem, op::remu};
        d.op = ops[f3];
      }
      return;
    case 0x0F:
      if (f3 == 0) d.op = op::fence;  // pred/succ/fm ignored: one hart, in-order memory
      else if (f3 == 1) d.op = op::fence_i;
      return;
    case 0x73:
      if (f3 == 0) {
        if (d.rd != 0) return;
        switch (r >> 7) {  // funct12 | rs1 | f3 | rd, with rd == 0
          case 0x000000: d.op = op::ecall; return;
          case 0x002000: d.op = op::ebreak; return;
          case 0x604000: d.op = op::mret; return;   // 0x302 << 13
          case 0x20A000: d.op = op::wfi; return;    // 0x105 << 13
          default: return;
        }
      }
      {
        static constexpr std::uint16_t ops[8] = {op::illegal, op::csrrw, op::csrrs, op::csrrc,
                                                 op::illegal, op::csrrwi, op::csrrsi, op::csrrci};
        d.op = ops[f3];
        d.imm = static_cast<std::int32_t>(bits(r, 31, 20));  // csr number
      }
      return;
    case 0x2F:
      if (f3 != 2) return;
      switch (bits(r, 31, 27)) {
        case 0x02: if (d.rs2 == 0) d.op = op::lr_w; return;
        case 0x03: d.op = op::sc_w; return;
        case 0x01: d.op = op::amoswap_w; return;
        case 0x00: d.op = op::amoadd_w; return;
        case 0x04: d.op = op::amoxor_w; return;
        case 0x0C: d.op = op::amoand_w; return;
        case 0x08: d.op = op::amoor_w; return;
        case 0x10: d.op = op::amomin_w; return;
        case 0x14: d.op = op::amomax_w; return;
        case 0x18: d.op = op::amominu_w; return;
        case 0x1C: d.op = op::amomaxu_w; return;
        default: return;
      }
    default:
      return;
  }
}

void rv32_iss::decode16(std::uint32_t r, insn& d) const {
  const std::uint32_t quadrant = r & 3;
  const std::uint32_t f3 = bits(r, 15, 13);
  const auto rdp = static_cast<std::uint8_t>(8 + bits(r, 4, 2));   // rd' / rs2'
  const auto rs1p = static_cast<std::uint8_t>(8 + bits(r, 9, 7));  // rs1' / rd'
  const auto rd = static_cast<std::uint8_t>(bits(r, 11, 7));
  const auto rs2 = static_cast<std::uint8_t>(bits(r, 6, 2));
  const std::int32_t imm6 = sext((bits(r, 12, 12) << 5) | bits(r, 6, 2), 6);
  switch (quadrant) {
    case 0:
      switch (f3) {
        case 0: {  // c.addi4spn
          const std::uint32_t nz = (bits(r, 10, 7) << 6) | (bits(r, 12, 11) << 4) | (bits(r, 5, 5) << 3) |
                                   (bits(r, 6, 6) << 2);
          if (nz == 0) return;  // includes the all-zero illegal instruction
          d.op = op::addi; d.rd = rdp; d.rs1 = 2; d.imm = static_cast<std::int32_t>(nz);
          return;
        }
        case 2:  // c.lw
          d.op = op::lw; d.rd = rdp; d.rs1 = rs1p;
          d.imm = static_cast<std::int32_t>((bits(r, 5, 5) << 6) | (bits(r, 12, 10) << 3) | (bits(r, 6, 6) << 2));
          return;
        case 6:  // c.sw
          d.op = op::sw; d.rs2 = rdp; d.rs1 = rs1p;
          d.imm = static_cast<std::int32_t>((bits(r, 5, 5) << 6) | (bits(r, 12, 10) << 3) | (bits(r, 6, 6) << 2));
          return;
        default: return;  // c.fld/c.flw/c.fsd/c.fsw and reserved: no F/D here
      }
    case 1:
      switch (f3) {
        case 0:  // c.addi / c.nop (rd = 0 is a hint: executes as addi x0)
          d.op = op::addi; d.rd = rd; d.rs1 = rd; d.imm = imm6;
          return;
        case 1:  // c.jal (RV32)
        case 5: {  // c.j
          const std::uint32_t o = (bits(r, 12, 12) << 11) | (bits(r, 8, 8) << 10) | (bits(r, 10, 9) << 8) |
                                  (bits(r, 6, 6) << 7) | (bits(r, 7, 7) << 6) | (bits(r, 2, 2) << 5) |
                                  (bits(r, 11, 11) << 4) | (bits(r, 5, 3) << 1);
          d.op = op::jal; d.rd = f3 == 1 ? 1 : 0; d.imm = sext(o, 12);
          return;
        }
        case 2:  // c.li (rd = 0 hint)
          d.op = op::addi; d.rd = rd; d.rs1 = 0; d.imm = imm6;
          return;
        case 3:
          if (rd == 2) {  // c.addi16sp
            const std::uint32_t o = (bits(r, 12, 12) << 9) | (bits(r, 4, 3) << 7) | (bits(r, 5, 5) << 6) |
                                    (bits(r, 2, 2) << 5) | (bits(r, 6, 6) << 4);
            if (o == 0) return;
            d.op = op::addi; d.rd = 2; d.rs1 = 2; d.imm = sext(o, 10);
          } else {  // c.lui (rd = 0 hint)
            if (imm6 == 0) return;
            d.op = op::lui; d.rd = rd; d.imm = static_cast<std::int32_t>(static_cast<std::uint32_t>(imm6) << 12);
          }
          return;
        case 4: {
          const std::uint32_t f2 = bits(r, 11, 10);
          if (f2 == 0 || f2 == 1) {  // c.srli / c.srai; shamt[5] = 1 is reserved on RV32
            if (bits(r, 12, 12) != 0) return;
            d.op = f2 == 0 ? op::srli : op::srai; d.rd = rs1p; d.rs1 = rs1p; d.imm = static_cast<std::int32_t>(bits(r, 6, 2));
            return;
          }
          if (f2 == 2) {  // c.andi
            d.op = op::andi; d.rd = rs1p; d.rs1 = rs1p; d.imm = imm6;
            return;
          }
          if (bits(r, 12, 12) != 0) return;  // c.subw/c.addw: RV64 only
          static constexpr std::uint16_t ops[4] = {op::sub, op::xor_, op::or_, op::and_};
          d.op = ops[bits(r, 6, 5)]; d.rd = rs1p; d.rs1 = rs1p; d.rs2 = rdp;
          return;
        }
        case 6:  // c.beqz
        case 7: {  // c.bnez
          const std::uint32_t o = (bits(r, 12, 12) << 8) | (bits(r, 6, 5) << 6) | (bits(r, 2, 2) << 5) |
                                  (bits(r, 11, 10) << 3) | (bits(r, 4, 3) << 1);
          d.op = f3 == 6 ? op::beq : op::bne; d.rs1 = rs1p; d.rs2 = 0; d.imm = sext(o, 9);
          return;
        }
        default: return;
      }
    case 2:
      switch (f3) {
        case 0:  // c.slli (rd = 0 hint); shamt[5] = 1 reserved on RV32
          if (bits(r, 12, 12) != 0) return;
          d.op = op::slli; d.rd = rd; d.rs1 = rd; d.imm = static_cast<std::int32_t>(bits(r, 6, 2));
          return;
        case 2:  // c.lwsp
          if (rd == 0) return;
          d.op = op::lw; d.rd = rd; d.rs1 = 2;
          d.imm = static_cast<std::int32_t>((bits(r, 3, 2) << 6) | (bits(r, 12, 12) << 5) | (bits(r, 6, 4) << 2));
          return;
        case 4:
          if (bits(r, 12, 12) == 0) {
            if (rs2 == 0) {  // c.jr
              if (rd == 0) return;
              d.op = op::jalr; d.rd = 0; d.rs1 = rd; d.imm = 0;
            } else {  // c.mv (rd = 0 hint)
              d.op = op::add; d.rd = rd; d.rs1 = 0; d.rs2 = rs2;
            }
          } else {
            if (rs2 == 0) {
              if (rd == 0) { d.op = op::ebreak; return; }  // c.ebreak
              d.op = op::jalr; d.rd = 1; d.rs1 = rd; d.imm = 0;  // c.jalr
            } else {  // c.add (rd = 0 hint)
              d.op = op::add; d.rd = rd; d.rs1 = rd; d.rs2 = rs2;
            }
          }
          return;
        case 6:  // c.swsp
          d.op = op::sw; d.rs1 = 2; d.rs2 = rs2;
          d.imm = static_cast<std::int32_t>((bits(r, 8, 7) << 6) | (bits(r, 12, 9) << 2));
          return;
        default: return;
      }
    default:
      return;
  }
}

void rv32_iss::finish_decode(insn& d) const {
  insn_class c = insn_class::alu;
  switch (d.op) {
    case op::jal: case op::jalr: c = insn_class::jump; break;
    case op::beq: case op::bne: case op::blt: case op::bge: case op::bltu: case op::bgeu: c = insn_class::branch; break;
    case op::lb: case op::lh: case op::lw: case op::lbu: case op::lhu: c = insn_class::load; break;
    case op::sb: case op::sh: case op::sw: c = insn_class::store; break;
    case op::mul: case op::mulh: case op::mulhsu: case op::mulhu: c = insn_class::mul; break;
    case op::div: case op::divu: case op::rem: case op::remu: c = insn_class::div; break;
    case op::csrrw: case op::csrrs: case op::csrrc: case op::csrrwi: case op::csrrsi: case op::csrrci: c = insn_class::csr; break;
    case op::fence: case op::fence_i: c = insn_class::fence; break;
    case op::ecall: case op::ebreak: case op::mret: case op::wfi: case op::illegal: c = insn_class::system; break;
    default:
      c = d.op >= op::lr_w && d.op <= op::amomaxu_w ? insn_class::amo : insn_class::alu;
  }
  d.cls = c;
  const std::uint32_t cyc = m_timing.cycles[static_cast<std::size_t>(c)];
  d.cost = static_cast<std::uint16_t>(cyc > 0xFFFF ? 0xFFFF : cyc);
}

}  // namespace edgevp::cpu

// Bench for the RV32IMAC ISS on its own (no SystemC): a flat RAM handed in as a DMI region, a small
// MMIO window behind the slow bus path, and everything else answering bus errors. Programs are
// built with the encoders below (checked against GNU as encodings in `encoders_match_gnu_as`) and
// raw compressed halfwords taken from riscv64-unknown-elf-objdump.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <ostream>
#include <sstream>
#include <utility>
#include <vector>

#include "models/core/access_counters.h"
#include "models/cpu/rv32_iss.h"

namespace edgevp::cpu {
// Readable failure messages (found by GoogleTest through argument-dependent lookup).
void PrintTo(stop_reason r, std::ostream* os) {
  static const char* const names[] = {"budget",     "wfi",        "halt", "unhandled_trap",
                                      "fault_loop", "breakpoint", "step", "watchpoint"};
  const auto i = static_cast<unsigned>(r);
  *os << (i < sizeof(names) / sizeof(names[0]) ? names[i] : "?");
}
}  // namespace edgevp::cpu

namespace {

using edgevp::cpu::dmi_region;
using edgevp::cpu::insn_class;
using edgevp::cpu::rv32_bus;
using edgevp::cpu::rv32_iss;
using edgevp::cpu::stop_reason;
using edgevp::cpu::timing_config;
namespace cause = edgevp::cpu::cause;

// ------------------------------------------------------------------ memory map of the bench

constexpr std::uint32_t ram_base = 0x80000000u;
constexpr std::uint32_t ram_size = 0x10000u;
constexpr std::uint32_t code = ram_base;              // programs start here
constexpr std::uint32_t handler = ram_base + 0x1000;  // mtvec
constexpr std::uint32_t data = ram_base + 0x8000;     // scratch data
constexpr std::uint32_t mmio_base = 0x10000000u;
constexpr std::uint32_t mmio_size = 0x100u;
constexpr std::uint32_t unmapped = 0x40000000u;

// CSR numbers.
constexpr std::uint32_t mstatus = 0x300, misa = 0x301, mie = 0x304, mtvec = 0x305, mscratch = 0x340,
                        mepc = 0x341, mcause = 0x342, mtval = 0x343, mip = 0x344, mcycle = 0xB00,
                        minstret = 0xB02, mcycleh = 0xB80, cycle = 0xC00, mvendorid = 0xF11, marchid = 0xF12,
                        mimpid = 0xF13, mhartid = 0xF14, mconfigptr = 0xF15;
constexpr std::uint32_t mstatus_mie = 1u << 3, mstatus_mpie = 1u << 7, mstatus_mpp = 3u << 11;

// ------------------------------------------------------------------ encoders (RV32IMA + Zicsr)

namespace enc {
using u32 = std::uint32_t;
constexpr u32 r_type(u32 f7, u32 rs2, u32 rs1, u32 f3, u32 rd, u32 opc) {
  return f7 << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | rd << 7 | opc;
}
constexpr u32 i_type(std::int32_t imm, u32 rs1, u32 f3, u32 rd, u32 opc) {
  return (static_cast<u32>(imm) & 0xFFFu) << 20 | rs1 << 15 | f3 << 12 | rd << 7 | opc;
}
constexpr u32 s_type(std::int32_t imm, u32 rs2, u32 rs1, u32 f3) {
  const auto v = static_cast<u32>(imm);
  return ((v >> 5) & 0x7Fu) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | (v & 0x1Fu) << 7 | 0x23u;
}
constexpr u32 b_type(std::int32_t imm, u32 rs2, u32 rs1, u32 f3) {
  const auto v = static_cast<u32>(imm);
  return ((v >> 12) & 1u) << 31 | ((v >> 5) & 0x3Fu) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 |
         ((v >> 1) & 0xFu) << 8 | ((v >> 11) & 1u) << 7 | 0x63u;
}

constexpr u32 lui(u32 rd, u32 imm20) {
  return (imm20 & 0xFFFFFu) << 12 | rd << 7 | 0x37u;
}
constexpr u32 auipc(u32 rd, u32 imm20) {
  return (imm20 & 0xFFFFFu) << 12 | rd << 7 | 0x17u;
}
constexpr u32 jal(u32 rd, std::int32_t off) {
  const auto v = static_cast<u32>(off);
  return ((v >> 20) & 1u) << 31 | ((v >> 1) & 0x3FFu) << 21 | ((v >> 11) & 1u) << 20 |
         ((v >> 12) & 0xFFu) << 12 | rd << 7 | 0x6Fu;
}
constexpr u32 jalr(u32 rd, u32 rs1, std::int32_t off) {
  return i_type(off, rs1, 0, rd, 0x67);
}

constexpr u32 beq(u32 rs1, u32 rs2, std::int32_t off) {
  return b_type(off, rs2, rs1, 0);
}
constexpr u32 bne(u32 rs1, u32 rs2, std::int32_t off) {
  return b_type(off, rs2, rs1, 1);
}
constexpr u32 blt(u32 rs1, u32 rs2, std::int32_t off) {
  return b_type(off, rs2, rs1, 4);
}
constexpr u32 bge(u32 rs1, u32 rs2, std::int32_t off) {
  return b_type(off, rs2, rs1, 5);
}
constexpr u32 bltu(u32 rs1, u32 rs2, std::int32_t off) {
  return b_type(off, rs2, rs1, 6);
}
constexpr u32 bgeu(u32 rs1, u32 rs2, std::int32_t off) {
  return b_type(off, rs2, rs1, 7);
}

// Loads: rd, off(rs1). Stores: rs2, off(rs1).
constexpr u32 lb(u32 rd, u32 rs1, std::int32_t off) {
  return i_type(off, rs1, 0, rd, 0x03);
}
constexpr u32 lh(u32 rd, u32 rs1, std::int32_t off) {
  return i_type(off, rs1, 1, rd, 0x03);
}
constexpr u32 lw(u32 rd, u32 rs1, std::int32_t off) {
  return i_type(off, rs1, 2, rd, 0x03);
}
constexpr u32 lbu(u32 rd, u32 rs1, std::int32_t off) {
  return i_type(off, rs1, 4, rd, 0x03);
}
constexpr u32 lhu(u32 rd, u32 rs1, std::int32_t off) {
  return i_type(off, rs1, 5, rd, 0x03);
}
constexpr u32 sb(u32 rs2, u32 rs1, std::int32_t off) {
  return s_type(off, rs2, rs1, 0);
}
constexpr u32 sh(u32 rs2, u32 rs1, std::int32_t off) {
  return s_type(off, rs2, rs1, 1);
}
constexpr u32 sw(u32 rs2, u32 rs1, std::int32_t off) {
  return s_type(off, rs2, rs1, 2);
}

constexpr u32 addi(u32 rd, u32 rs1, std::int32_t imm) {
  return i_type(imm, rs1, 0, rd, 0x13);
}
constexpr u32 slti(u32 rd, u32 rs1, std::int32_t imm) {
  return i_type(imm, rs1, 2, rd, 0x13);
}
constexpr u32 sltiu(u32 rd, u32 rs1, std::int32_t imm) {
  return i_type(imm, rs1, 3, rd, 0x13);
}
constexpr u32 xori(u32 rd, u32 rs1, std::int32_t imm) {
  return i_type(imm, rs1, 4, rd, 0x13);
}
constexpr u32 ori(u32 rd, u32 rs1, std::int32_t imm) {
  return i_type(imm, rs1, 6, rd, 0x13);
}
constexpr u32 andi(u32 rd, u32 rs1, std::int32_t imm) {
  return i_type(imm, rs1, 7, rd, 0x13);
}
constexpr u32 slli(u32 rd, u32 rs1, u32 sh) {
  return r_type(0x00, sh, rs1, 1, rd, 0x13);
}
constexpr u32 srli(u32 rd, u32 rs1, u32 sh) {
  return r_type(0x00, sh, rs1, 5, rd, 0x13);
}
constexpr u32 srai(u32 rd, u32 rs1, u32 sh) {
  return r_type(0x20, sh, rs1, 5, rd, 0x13);
}

constexpr u32 add(u32 rd, u32 rs1, u32 rs2) {
  return r_type(0x00, rs2, rs1, 0, rd, 0x33);
}
constexpr u32 sub(u32 rd, u32 rs1, u32 rs2) {
  return r_type(0x20, rs2, rs1, 0, rd, 0x33);
}
constexpr u32 sll(u32 rd, u32 rs1, u32 rs2) {
  return r_type(0x00, rs2, rs1, 1, rd, 0x33);
}
constexpr u32 slt(u32 rd, u32 rs1, u32 rs2) {
  return r_type(0x00, rs2, rs1, 2, rd, 0x33);
}
constexpr u32 sltu(u32 rd, u32 rs1, u32 rs2) {
  return r_type(0x00, rs2, rs1, 3, rd, 0x33);
}
constexpr u32 xor_(u32 rd, u32 rs1, u32 rs2) {
  return r_type(0x00, rs2, rs1, 4, rd, 0x33);
}
constexpr u32 srl(u32 rd, u32 rs1, u32 rs2) {
  return r_type(0x00, rs2, rs1, 5, rd, 0x33);
}
constexpr u32 sra(u32 rd, u32 rs1, u32 rs2) {
  return r_type(0x20, rs2, rs1, 5, rd, 0x33);
}
constexpr u32 or_(u32 rd, u32 rs1, u32 rs2) {
  return r_type(0x00, rs2, rs1, 6, rd, 0x33);
}
constexpr u32 and_(u32 rd, u32 rs1, u32 rs2) {
  return r_type(0x00, rs2, rs1, 7, rd, 0x33);
}

constexpr u32 mul(u32 rd, u32 rs1, u32 rs2) {
  return r_type(0x01, rs2, rs1, 0, rd, 0x33);
}
constexpr u32 mulh(u32 rd, u32 rs1, u32 rs2) {
  return r_type(0x01, rs2, rs1, 1, rd, 0x33);
}
constexpr u32 mulhsu(u32 rd, u32 rs1, u32 rs2) {
  return r_type(0x01, rs2, rs1, 2, rd, 0x33);
}
constexpr u32 mulhu(u32 rd, u32 rs1, u32 rs2) {
  return r_type(0x01, rs2, rs1, 3, rd, 0x33);
}
constexpr u32 div(u32 rd, u32 rs1, u32 rs2) {
  return r_type(0x01, rs2, rs1, 4, rd, 0x33);
}
constexpr u32 divu(u32 rd, u32 rs1, u32 rs2) {
  return r_type(0x01, rs2, rs1, 5, rd, 0x33);
}
constexpr u32 rem(u32 rd, u32 rs1, u32 rs2) {
  return r_type(0x01, rs2, rs1, 6, rd, 0x33);
}
constexpr u32 remu(u32 rd, u32 rs1, u32 rs2) {
  return r_type(0x01, rs2, rs1, 7, rd, 0x33);
}

constexpr u32 csrrw(u32 rd, u32 csr, u32 rs1) {
  return csr << 20 | rs1 << 15 | 1u << 12 | rd << 7 | 0x73u;
}
constexpr u32 csrrs(u32 rd, u32 csr, u32 rs1) {
  return csr << 20 | rs1 << 15 | 2u << 12 | rd << 7 | 0x73u;
}
constexpr u32 csrrc(u32 rd, u32 csr, u32 rs1) {
  return csr << 20 | rs1 << 15 | 3u << 12 | rd << 7 | 0x73u;
}
constexpr u32 csrrwi(u32 rd, u32 csr, u32 uimm) {
  return csr << 20 | uimm << 15 | 5u << 12 | rd << 7 | 0x73u;
}
constexpr u32 csrrsi(u32 rd, u32 csr, u32 uimm) {
  return csr << 20 | uimm << 15 | 6u << 12 | rd << 7 | 0x73u;
}
constexpr u32 csrrci(u32 rd, u32 csr, u32 uimm) {
  return csr << 20 | uimm << 15 | 7u << 12 | rd << 7 | 0x73u;
}

constexpr u32 ecall = 0x00000073u;
constexpr u32 ebreak = 0x00100073u;
constexpr u32 mret = 0x30200073u;
constexpr u32 wfi = 0x10500073u;
constexpr u32 fence_i = 0x0000100Fu;
constexpr u32 fence = 0x0FF0000Fu;
constexpr u32 nop = 0x00000013u;  // addi x0, x0, 0

constexpr u32 amo(u32 f5, u32 rd, u32 rs1, u32 rs2) {
  return r_type(f5 << 2, rs2, rs1, 2, rd, 0x2F);
}
constexpr u32 lr_w(u32 rd, u32 rs1) {
  return amo(0x02, rd, rs1, 0);
}
constexpr u32 sc_w(u32 rd, u32 rs1, u32 rs2) {
  return amo(0x03, rd, rs1, rs2);
}
constexpr u32 amoswap(u32 rd, u32 rs1, u32 rs2) {
  return amo(0x01, rd, rs1, rs2);
}
constexpr u32 amoadd(u32 rd, u32 rs1, u32 rs2) {
  return amo(0x00, rd, rs1, rs2);
}
constexpr u32 amoxor(u32 rd, u32 rs1, u32 rs2) {
  return amo(0x04, rd, rs1, rs2);
}
constexpr u32 amoand(u32 rd, u32 rs1, u32 rs2) {
  return amo(0x0C, rd, rs1, rs2);
}
constexpr u32 amoor(u32 rd, u32 rs1, u32 rs2) {
  return amo(0x08, rd, rs1, rs2);
}
constexpr u32 amomin(u32 rd, u32 rs1, u32 rs2) {
  return amo(0x10, rd, rs1, rs2);
}
constexpr u32 amomax(u32 rd, u32 rs1, u32 rs2) {
  return amo(0x14, rd, rs1, rs2);
}
constexpr u32 amominu(u32 rd, u32 rs1, u32 rs2) {
  return amo(0x18, rd, rs1, rs2);
}
constexpr u32 amomaxu(u32 rd, u32 rs1, u32 rs2) {
  return amo(0x1C, rd, rs1, rs2);
}

// Compressed (raw halfwords; the register forms below are simple enough to build by hand).
constexpr std::uint16_t c_jr(u32 rs1) {
  return static_cast<std::uint16_t>(0x8002u | rs1 << 7);
}
constexpr std::uint16_t c_jalr(u32 rs1) {
  return static_cast<std::uint16_t>(0x9002u | rs1 << 7);
}
constexpr std::uint16_t c_li(u32 rd, std::int32_t imm) {
  const auto v = static_cast<u32>(imm);
  return static_cast<std::uint16_t>(0x4001u | ((v >> 5) & 1u) << 12 | rd << 7 | (v & 0x1Fu) << 2);
}
constexpr std::uint16_t c_nop = 0x0001;
constexpr std::uint16_t c_ebreak = 0x9002;
}  // namespace enc

// ------------------------------------------------------------------ the bench's bus

// The slow path: an MMIO window of plain bytes that costs `stall` cycles per access; every other
// address the ISS does not reach through DMI answers a bus error.
struct test_bus final : rv32_bus {
  std::array<unsigned char, mmio_size> mmio{};
  std::uint64_t stall = 5;
  unsigned reads = 0;
  unsigned writes = 0;
  unsigned errors = 0;

  static bool in_window(std::uint32_t addr, unsigned len) {
    return addr - mmio_base < mmio_size && mmio_size - (addr - mmio_base) >= len;
  }
  bool bus_read(std::uint32_t addr, void* d, unsigned len, std::uint64_t& stall_cycles) override {
    if (!in_window(addr, len)) {
      ++errors;
      return false;
    }
    std::memcpy(d, &mmio[addr - mmio_base], len);
    stall_cycles += stall;
    ++reads;
    return true;
  }
  bool bus_write(std::uint32_t addr, const void* d, unsigned len, std::uint64_t& stall_cycles) override {
    if (!in_window(addr, len)) {
      ++errors;
      return false;
    }
    std::memcpy(&mmio[addr - mmio_base], d, len);
    stall_cycles += stall;
    ++writes;
    return true;
  }
};

// ------------------------------------------------------------------ fixture

class iss : public ::testing::Test {
 protected:
  iss() { build({}); }

  void build(const timing_config& t, const edgevp::cpu::isa_config& isa = {}) {
    cpu = std::make_unique<rv32_iss>(bus, t, isa);
    dmi_region r;
    r.base = ram_base;
    r.size = ram_size;
    r.ptr = ram.data();
    r.readable = true;
    r.writable = true;
    cpu->add_dmi(r);
    cpu->reset(code);
  }

  void put32(std::uint32_t addr, std::uint32_t v) { std::memcpy(&ram.at(addr - ram_base), &v, 4); }
  void put16(std::uint32_t addr, std::uint16_t v) { std::memcpy(&ram.at(addr - ram_base), &v, 2); }
  std::uint32_t get32(std::uint32_t addr) const {
    std::uint32_t v = 0;
    std::memcpy(&v, &ram.at(addr - ram_base), 4);
    return v;
  }
  void program(std::initializer_list<std::uint32_t> words, std::uint32_t at = code) {
    for (std::uint32_t w : words) {
      put32(at, w);
      at += 4;
    }
  }
  void program16(std::initializer_list<std::uint16_t> halves, std::uint32_t at = code) {
    for (std::uint16_t h : halves) {
      put16(at, h);
      at += 2;
    }
  }

  // Runs for at most `budget` cycles from now.
  stop_reason run(std::uint64_t budget = 10000) { return cpu->run(cpu->cycles() + budget); }
  // Executes exactly one instruction (or takes one pending interrupt).
  stop_reason step() { return cpu->run(cpu->cycles() + 1); }

  std::uint32_t csr(std::uint32_t n) {
    std::uint32_t v = 0xDEADBEEF;
    EXPECT_TRUE(cpu->read_csr(n, v)) << "csr 0x" << std::hex << n;
    return v;
  }

  // A trap handler that parks on WFI: run() returns stop_reason::wfi with pc == handler + 4.
  void wfi_handler() {
    program({enc::wfi}, handler);
    ASSERT_TRUE(cpu->write_csr(mtvec, handler));
  }
  // Every vector slot is a self-loop: after a trap, pc stays at the slot that was entered.
  void loop_handler(bool vectored) {
    for (std::uint32_t i = 0; i < 32; ++i) put32(handler + 4 * i, enc::jal(0, 0));
    ASSERT_TRUE(cpu->write_csr(mtvec, handler | (vectored ? 1u : 0u)));
  }

  // Runs a program that must trap into wfi_handler; checks mcause, mtval and mepc.
  void expect_trap(std::uint32_t want_cause, std::uint32_t want_tval, std::uint32_t want_epc) {
    EXPECT_EQ(run(), stop_reason::wfi);
    EXPECT_EQ(cpu->pc(), handler + 4) << "did not enter the trap handler";
    EXPECT_EQ(csr(mcause), want_cause);
    EXPECT_EQ(csr(mtval), want_tval);
    EXPECT_EQ(csr(mepc), want_epc);
  }

  // Executes one instruction with x1 = a and x2 = b; returns x3.
  std::uint32_t exec(std::uint32_t insn, std::uint32_t a, std::uint32_t b = 0) {
    cpu->reset(code);
    program({insn, enc::wfi});
    cpu->set_reg(1, a);
    cpu->set_reg(2, b);
    cpu->set_reg(3, 0xA5A5A5A5u);
    EXPECT_EQ(run(), stop_reason::wfi);
    EXPECT_EQ(cpu->pc(), code + 8) << "instruction 0x" << std::hex << insn << " trapped";
    return cpu->reg(3);
  }

  // Branch at code with x1 = a, x2 = b jumping +12: x3 = 2 when taken, 1 when not.
  bool taken(std::uint32_t branch_insn, std::uint32_t a, std::uint32_t b) {
    cpu->reset(code);
    program({branch_insn, enc::addi(3, 0, 1), enc::wfi, enc::addi(3, 0, 2), enc::wfi});
    cpu->set_reg(1, a);
    cpu->set_reg(2, b);
    EXPECT_EQ(run(), stop_reason::wfi);
    EXPECT_TRUE(cpu->reg(3) == 1 || cpu->reg(3) == 2);
    return cpu->reg(3) == 2;
  }

  test_bus bus;
  std::vector<unsigned char> ram = std::vector<unsigned char>(ram_size, 0);
  std::unique_ptr<rv32_iss> cpu;
};

// ------------------------------------------------------------------ the encoders themselves

TEST_F(iss, encoders_match_gnu_as) {
  using namespace enc;
  // Golden values: riscv64-unknown-elf-as -march=rv32imac_zicsr_zifencei, objdump -M no-aliases.
  EXPECT_EQ(addi(3, 1, -2048), 0x80008193u);
  EXPECT_EQ(slti(3, 1, 2047), 0x7ff0a193u);
  EXPECT_EQ(sltiu(3, 1, -1), 0xfff0b193u);
  EXPECT_EQ(xori(3, 1, 0x555), 0x5550c193u);
  EXPECT_EQ(ori(3, 1, -16), 0xff00e193u);
  EXPECT_EQ(andi(3, 1, 0x7f0), 0x7f00f193u);
  EXPECT_EQ(slli(3, 1, 31), 0x01f09193u);
  EXPECT_EQ(srli(3, 1, 31), 0x01f0d193u);
  EXPECT_EQ(srai(3, 1, 31), 0x41f0d193u);
  EXPECT_EQ(lui(3, 0xfffff), 0xfffff1b7u);
  EXPECT_EQ(auipc(3, 0x12345), 0x12345197u);
  EXPECT_EQ(add(3, 1, 2), 0x002081b3u);
  EXPECT_EQ(sub(3, 1, 2), 0x402081b3u);
  EXPECT_EQ(sra(3, 1, 2), 0x4020d1b3u);
  EXPECT_EQ(and_(3, 1, 2), 0x0020f1b3u);
  EXPECT_EQ(mulhsu(3, 1, 2), 0x0220a1b3u);
  EXPECT_EQ(remu(3, 1, 2), 0x0220f1b3u);
  EXPECT_EQ(lb(3, 1, -1), 0xfff08183u);
  EXPECT_EQ(lw(3, 1, -2048), 0x8000a183u);
  EXPECT_EQ(lbu(3, 1, 2047), 0x7ff0c183u);
  EXPECT_EQ(lhu(3, 1, 6), 0x0060d183u);
  EXPECT_EQ(sb(2, 1, -1), 0xfe208fa3u);
  EXPECT_EQ(sh(2, 1, 2), 0x00209123u);
  EXPECT_EQ(sw(2, 1, -2048), 0x8020a023u);
  EXPECT_EQ(beq(1, 2, 0), 0x00208063u);
  EXPECT_EQ(bne(1, 2, 20), 0x00209a63u);
  EXPECT_EQ(blt(1, 2, 16), 0x0020c863u);
  EXPECT_EQ(bge(1, 2, -12), 0xfe20dae3u);
  EXPECT_EQ(bltu(1, 2, 8), 0x0020e463u);
  EXPECT_EQ(bgeu(1, 2, -20), 0xfe20f6e3u);
  EXPECT_EQ(jal(1, -24), 0xfe9ff0efu);
  EXPECT_EQ(jal(0, 0x1000), 0x0000106fu);
  EXPECT_EQ(jalr(1, 2, -4), 0xffc100e7u);
  EXPECT_EQ(csrrw(3, mscratch, 1), 0x340091f3u);
  EXPECT_EQ(csrrs(3, mstatus, 0), 0x300021f3u);
  EXPECT_EQ(csrrc(3, mie, 1), 0x3040b1f3u);
  EXPECT_EQ(csrrwi(3, mtvec, 31), 0x305fd1f3u);
  EXPECT_EQ(csrrsi(3, mstatus, 8), 0x300461f3u);
  EXPECT_EQ(csrrci(3, mstatus, 8), 0x300471f3u);
  EXPECT_EQ(lr_w(3, 1), 0x1000a1afu);
  EXPECT_EQ(sc_w(3, 1, 2), 0x1820a1afu);
  EXPECT_EQ(amoswap(3, 1, 2), 0x0820a1afu);
  EXPECT_EQ(amoadd(3, 1, 2), 0x0020a1afu);
  EXPECT_EQ(amoand(3, 1, 2), 0x6020a1afu);
  EXPECT_EQ(amomin(3, 1, 2), 0x8020a1afu);
  EXPECT_EQ(amomaxu(3, 1, 2), 0xe020a1afu);
  EXPECT_EQ(c_jr(5), 0x8282u);
  EXPECT_EQ(c_jalr(5), 0x9282u);
  EXPECT_EQ(c_li(5, -3), 0x52f5u);
}

// ------------------------------------------------------------------ RV32I ALU

TEST_F(iss, register_register_alu) {
  using namespace enc;
  EXPECT_EQ(exec(add(3, 1, 2), 0x7FFFFFFFu, 1), 0x80000000u);
  EXPECT_EQ(exec(add(3, 1, 2), 0xFFFFFFFFu, 2), 1u);
  EXPECT_EQ(exec(sub(3, 1, 2), 0, 1), 0xFFFFFFFFu);
  EXPECT_EQ(exec(sub(3, 1, 2), 0x80000000u, 1), 0x7FFFFFFFu);
  EXPECT_EQ(exec(slt(3, 1, 2), 0xFFFFFFFFu, 1), 1u);  // -1 < 1
  EXPECT_EQ(exec(slt(3, 1, 2), 1, 0xFFFFFFFFu), 0u);
  EXPECT_EQ(exec(slt(3, 1, 2), 5, 5), 0u);
  EXPECT_EQ(exec(sltu(3, 1, 2), 0xFFFFFFFFu, 1), 0u);
  EXPECT_EQ(exec(sltu(3, 1, 2), 1, 0xFFFFFFFFu), 1u);
  EXPECT_EQ(exec(sltu(3, 0, 2), 0, 7), 1u);  // snez
  EXPECT_EQ(exec(xor_(3, 1, 2), 0xFF00FF00u, 0x0FF00FF0u), 0xF0F0F0F0u);
  EXPECT_EQ(exec(or_(3, 1, 2), 0xFF00FF00u, 0x0FF00FF0u), 0xFFF0FFF0u);
  EXPECT_EQ(exec(and_(3, 1, 2), 0xFF00FF00u, 0x0FF00FF0u), 0x0F000F00u);
}

TEST_F(iss, register_shifts_use_the_low_five_bits) {
  using namespace enc;
  EXPECT_EQ(exec(sll(3, 1, 2), 1, 31), 0x80000000u);
  EXPECT_EQ(exec(sll(3, 1, 2), 1, 32), 1u);
  EXPECT_EQ(exec(sll(3, 1, 2), 1, 33), 2u);
  EXPECT_EQ(exec(sll(3, 1, 2), 3, 0xFFFFFFE1u), 6u);
  EXPECT_EQ(exec(srl(3, 1, 2), 0x80000000u, 31), 1u);
  EXPECT_EQ(exec(srl(3, 1, 2), 0x80000000u, 32), 0x80000000u);
  EXPECT_EQ(exec(srl(3, 1, 2), 0x80000000u, 33), 0x40000000u);
  EXPECT_EQ(exec(sra(3, 1, 2), 0x80000000u, 31), 0xFFFFFFFFu);
  EXPECT_EQ(exec(sra(3, 1, 2), 0x80000000u, 32), 0x80000000u);
  EXPECT_EQ(exec(sra(3, 1, 2), 0x80000000u, 0x3F), 0xFFFFFFFFu);
  EXPECT_EQ(exec(sra(3, 1, 2), 0x40000000u, 62), 1u);  // positive: no sign fill
}

TEST_F(iss, immediate_alu_sign_extends_the_immediate) {
  using namespace enc;
  EXPECT_EQ(exec(addi(3, 1, -1), 0), 0xFFFFFFFFu);
  EXPECT_EQ(exec(addi(3, 1, 2047), 1), 2048u);
  EXPECT_EQ(exec(addi(3, 1, -2048), 0), 0xFFFFF800u);
  EXPECT_EQ(exec(slti(3, 1, -4), 0xFFFFFFFBu), 1u);  // -5 < -4
  EXPECT_EQ(exec(slti(3, 1, -4), 0xFFFFFFFCu), 0u);
  EXPECT_EQ(exec(slti(3, 1, 1), 0x80000000u), 1u);
  EXPECT_EQ(exec(sltiu(3, 1, -1), 5), 1u);  // 5 < 0xFFFFFFFF
  EXPECT_EQ(exec(sltiu(3, 1, 1), 0), 1u);   // seqz
  EXPECT_EQ(exec(sltiu(3, 1, 1), 9), 0u);
  EXPECT_EQ(exec(xori(3, 1, -1), 0x12345678u), 0xEDCBA987u);  // not
  EXPECT_EQ(exec(ori(3, 1, -2048), 0), 0xFFFFF800u);
  EXPECT_EQ(exec(andi(3, 1, -16), 0xFFFF1234u), 0xFFFF1230u);
  EXPECT_EQ(exec(andi(3, 1, 0x7FF), 0xFFFFFFFFu), 0x7FFu);
}

TEST_F(iss, immediate_shifts_by_31_and_0) {
  using namespace enc;
  EXPECT_EQ(exec(slli(3, 1, 31), 3), 0x80000000u);
  EXPECT_EQ(exec(srli(3, 1, 31), 0x80000000u), 1u);
  EXPECT_EQ(exec(srai(3, 1, 31), 0x80000000u), 0xFFFFFFFFu);
  EXPECT_EQ(exec(srai(3, 1, 31), 0x7FFFFFFFu), 0u);
  EXPECT_EQ(exec(srai(3, 1, 4), 0xF0000000u), 0xFF000000u);
  EXPECT_EQ(exec(srli(3, 1, 4), 0xF0000000u), 0x0F000000u);
  EXPECT_EQ(exec(slli(3, 1, 0), 0x1234u), 0x1234u);
}

TEST_F(iss, immediate_shift_with_shamt5_is_illegal_on_rv32) {
  wfi_handler();
  const std::uint32_t slli32 = enc::slli(3, 1, 0) | (1u << 25);  // shamt = 32
  program({slli32});
  expect_trap(cause::illegal_insn, slli32, code);
  cpu->reset(code);
  wfi_handler();
  const std::uint32_t srai33 = enc::srai(3, 1, 1) | (1u << 25);
  program({srai33});
  expect_trap(cause::illegal_insn, srai33, code);
}

TEST_F(iss, lui_and_auipc) {
  using namespace enc;
  EXPECT_EQ(exec(lui(3, 0xFFFFF), 0), 0xFFFFF000u);
  EXPECT_EQ(exec(lui(3, 0x12345), 0), 0x12345000u);
  EXPECT_EQ(exec(auipc(3, 1), 0), code + 0x1000u);
  EXPECT_EQ(exec(auipc(3, 0x80000), 0), code + 0x80000000u);  // wraps
}

// ------------------------------------------------------------------ M extension

TEST_F(iss, multiply) {
  using namespace enc;
  EXPECT_EQ(exec(mul(3, 1, 2), 0xFFFFFFFEu, 3), 0xFFFFFFFAu);  // -2 * 3
  EXPECT_EQ(exec(mul(3, 1, 2), 0x10000u, 0x10000u), 0u);
  EXPECT_EQ(exec(mul(3, 1, 2), 0x12345678u, 0x9ABCDEF0u), 0x12345678u * 0x9ABCDEF0u);
}

TEST_F(iss, multiply_high_signed_unsigned_mixes) {
  using namespace enc;
  // mulh: signed x signed.
  EXPECT_EQ(exec(mulh(3, 1, 2), 0xFFFFFFFEu, 3), 0xFFFFFFFFu);            // -6 -> high = -1
  EXPECT_EQ(exec(mulh(3, 1, 2), 0x80000000u, 0x80000000u), 0x40000000u);  // 2^62
  EXPECT_EQ(exec(mulh(3, 1, 2), 0x80000000u, 0x7FFFFFFFu), 0xC0000000u);
  EXPECT_EQ(exec(mulh(3, 1, 2), 0xFFFFFFFFu, 0xFFFFFFFFu), 0u);  // -1 * -1 = 1
  // mulhsu: signed rs1 x unsigned rs2.
  EXPECT_EQ(exec(mulhsu(3, 1, 2), 0xFFFFFFFFu, 0xFFFFFFFFu), 0xFFFFFFFFu);  // -(2^32-1)
  EXPECT_EQ(exec(mulhsu(3, 1, 2), 0x80000000u, 0xFFFFFFFFu), 0x80000000u);
  EXPECT_EQ(exec(mulhsu(3, 1, 2), 0xFFFFFFFEu, 2), 0xFFFFFFFFu);  // -4
  EXPECT_EQ(exec(mulhsu(3, 1, 2), 2, 0xFFFFFFFFu), 1u);           // 2 * (2^32-1)
  // mulhu: unsigned x unsigned.
  EXPECT_EQ(exec(mulhu(3, 1, 2), 0xFFFFFFFFu, 0xFFFFFFFFu), 0xFFFFFFFEu);
  EXPECT_EQ(exec(mulhu(3, 1, 2), 0xFFFFFFFEu, 3), 2u);
  EXPECT_EQ(exec(mulhu(3, 1, 2), 0x80000000u, 0x80000000u), 0x40000000u);
}

TEST_F(iss, divide_and_remainder) {
  using namespace enc;
  EXPECT_EQ(exec(div(3, 1, 2), 0xFFFFFFF9u, 2), 0xFFFFFFFDu);  // -7 / 2 = -3 (toward zero)
  EXPECT_EQ(exec(div(3, 1, 2), 7, 0xFFFFFFFEu), 0xFFFFFFFDu);  // 7 / -2 = -3
  EXPECT_EQ(exec(divu(3, 1, 2), 0xFFFFFFF9u, 2), 0x7FFFFFFCu);
  EXPECT_EQ(exec(rem(3, 1, 2), 0xFFFFFFF9u, 2), 0xFFFFFFFFu);  // -7 % 2 = -1 (sign of dividend)
  EXPECT_EQ(exec(rem(3, 1, 2), 7, 0xFFFFFFFEu), 1u);           // 7 % -2 = 1
  EXPECT_EQ(exec(remu(3, 1, 2), 0xFFFFFFF9u, 2), 1u);
  EXPECT_EQ(exec(remu(3, 1, 2), 100, 7), 2u);
}

TEST_F(iss, divide_by_zero) {
  using namespace enc;
  EXPECT_EQ(exec(div(3, 1, 2), 1234, 0), 0xFFFFFFFFu);
  EXPECT_EQ(exec(div(3, 1, 2), 0x80000000u, 0), 0xFFFFFFFFu);
  EXPECT_EQ(exec(divu(3, 1, 2), 1234, 0), 0xFFFFFFFFu);
  EXPECT_EQ(exec(rem(3, 1, 2), 0xFFFFFFF9u, 0), 0xFFFFFFF9u);
  EXPECT_EQ(exec(remu(3, 1, 2), 0xFFFFFFF9u, 0), 0xFFFFFFF9u);
}

TEST_F(iss, signed_division_overflow) {
  using namespace enc;
  EXPECT_EQ(exec(div(3, 1, 2), 0x80000000u, 0xFFFFFFFFu), 0x80000000u);
  EXPECT_EQ(exec(rem(3, 1, 2), 0x80000000u, 0xFFFFFFFFu), 0u);
  EXPECT_EQ(exec(divu(3, 1, 2), 0x80000000u, 0xFFFFFFFFu), 0u);
  EXPECT_EQ(exec(remu(3, 1, 2), 0x80000000u, 0xFFFFFFFFu), 0x80000000u);
}

// ------------------------------------------------------------------ loads and stores

TEST_F(iss, loads_sign_and_zero_extend) {
  using namespace enc;
  const unsigned char bytes[8] = {0x80, 0xFF, 0x34, 0x12, 0x78, 0x56, 0x34, 0x92};
  std::memcpy(&ram[data - ram_base], bytes, sizeof(bytes));
  EXPECT_EQ(exec(lb(3, 1, 0), data), 0xFFFFFF80u);
  EXPECT_EQ(exec(lbu(3, 1, 0), data), 0x80u);
  EXPECT_EQ(exec(lb(3, 1, 1), data), 0xFFFFFFFFu);
  EXPECT_EQ(exec(lb(3, 1, 2), data), 0x34u);
  EXPECT_EQ(exec(lh(3, 1, 0), data), 0xFFFFFF80u);  // 0xFF80
  EXPECT_EQ(exec(lhu(3, 1, 0), data), 0xFF80u);
  EXPECT_EQ(exec(lh(3, 1, 2), data), 0x1234u);
  EXPECT_EQ(exec(lh(3, 1, 6), data), 0xFFFF9234u);
  EXPECT_EQ(exec(lhu(3, 1, 6), data), 0x9234u);
  EXPECT_EQ(exec(lw(3, 1, 4), data), 0x92345678u);
  EXPECT_EQ(exec(lw(3, 1, -4), data + 8), 0x92345678u);  // negative offset
}

TEST_F(iss, stores_write_only_their_bytes) {
  using namespace enc;
  for (std::uint32_t i = 0; i < 12; i += 4) put32(data + i, 0x11111111u);
  exec(sb(2, 1, 1), data, 0xA1B2C3D4u);
  EXPECT_EQ(get32(data), 0x1111D411u);
  exec(sh(2, 1, 6), data, 0xA1B2C3D4u);
  EXPECT_EQ(get32(data + 4), 0xC3D41111u);
  exec(sw(2, 1, -4), data + 12, 0xA1B2C3D4u);
  EXPECT_EQ(get32(data + 8), 0xA1B2C3D4u);
  EXPECT_EQ(get32(data + 12), 0u);
}

TEST_F(iss, mmio_goes_through_the_bus_with_its_stall) {
  using namespace enc;
  const std::uint32_t v = 0xCAFEF00Du;
  std::memcpy(&bus.mmio[8], &v, 4);
  cpu->reset(code);
  program({lw(3, 1, 8), sh(2, 1, 0x10), wfi});
  cpu->set_reg(1, mmio_base);
  cpu->set_reg(2, 0xBEEF);
  const timing_config t;
  const std::uint64_t before = cpu->cycles();
  step();
  EXPECT_EQ(cpu->reg(3), v);
  EXPECT_EQ(cpu->cycles() - before, t.cycles[static_cast<std::size_t>(insn_class::load)] + bus.stall);
  step();
  EXPECT_EQ(bus.mmio[0x10], 0xEFu);
  EXPECT_EQ(bus.mmio[0x11], 0xBEu);
  EXPECT_EQ(bus.reads, 1u);
  EXPECT_EQ(bus.writes, 1u);
  EXPECT_EQ(bus.errors, 0u);
}

TEST_F(iss, dmi_latencies_are_charged_per_access) {
  using namespace enc;
  std::vector<unsigned char> slow(256, 0);
  dmi_region r;
  r.base = 0x20000000u;
  r.size = 256;
  r.ptr = slow.data();
  r.readable = r.writable = true;
  r.read_cycles = 3;
  r.write_cycles = 7;
  cpu->add_dmi(r);
  slow[4] = 0x42;
  program({lw(3, 1, 4), sw(3, 1, 8), wfi});
  cpu->set_reg(1, 0x20000000u);
  const timing_config t;
  std::uint64_t before = cpu->cycles();
  step();
  EXPECT_EQ(cpu->reg(3), 0x42u);
  EXPECT_EQ(cpu->cycles() - before, t.cycles[static_cast<std::size_t>(insn_class::load)] + 3);
  before = cpu->cycles();
  step();
  EXPECT_EQ(slow[8], 0x42u);
  EXPECT_EQ(cpu->cycles() - before, t.cycles[static_cast<std::size_t>(insn_class::store)] + 7);
  EXPECT_EQ(bus.reads + bus.writes + bus.errors, 0u) << "a DMI access went to the bus";
}

TEST_F(iss, fetch_from_mmio_through_the_bus) {
  using namespace enc;
  const std::uint32_t insns[2] = {addi(5, 0, 77), wfi};
  std::memcpy(&bus.mmio[0x40], insns, sizeof(insns));
  program({jalr(0, 1, 0x40)});
  cpu->set_reg(1, mmio_base);
  EXPECT_EQ(run(), stop_reason::wfi);
  EXPECT_EQ(cpu->reg(5), 77u);
  EXPECT_EQ(cpu->pc(), mmio_base + 0x48);
}

// ------------------------------------------------------------------ branches and jumps

TEST_F(iss, branches_taken_and_not_taken) {
  using namespace enc;
  const std::uint32_t m1 = 0xFFFFFFFFu;  // -1
  EXPECT_TRUE(taken(beq(1, 2, 12), 5, 5));
  EXPECT_FALSE(taken(beq(1, 2, 12), 5, 6));
  EXPECT_TRUE(taken(bne(1, 2, 12), 5, 6));
  EXPECT_FALSE(taken(bne(1, 2, 12), 5, 5));
  EXPECT_TRUE(taken(blt(1, 2, 12), m1, 1));
  EXPECT_FALSE(taken(blt(1, 2, 12), 1, m1));
  EXPECT_FALSE(taken(blt(1, 2, 12), 5, 5));
  EXPECT_TRUE(taken(bge(1, 2, 12), 1, m1));
  EXPECT_TRUE(taken(bge(1, 2, 12), 5, 5));
  EXPECT_FALSE(taken(bge(1, 2, 12), m1, 1));
  EXPECT_TRUE(taken(bltu(1, 2, 12), 1, m1));
  EXPECT_FALSE(taken(bltu(1, 2, 12), m1, 1));
  EXPECT_FALSE(taken(bltu(1, 2, 12), 5, 5));
  EXPECT_TRUE(taken(bgeu(1, 2, 12), m1, 1));
  EXPECT_TRUE(taken(bgeu(1, 2, 12), 5, 5));
  EXPECT_FALSE(taken(bgeu(1, 2, 12), 1, m1));
}

TEST_F(iss, backward_branch_loop) {
  using namespace enc;
  program({addi(1, 0, 10), addi(2, 2, 3), addi(1, 1, -1), bne(1, 0, -8), wfi});
  EXPECT_EQ(run(), stop_reason::wfi);
  EXPECT_EQ(cpu->reg(2), 30u);
  EXPECT_EQ(cpu->reg(1), 0u);
  EXPECT_EQ(cpu->class_count(insn_class::branch), 10u);
}

TEST_F(iss, taken_branch_costs_the_configured_extra_cycles) {
  timing_config t;
  t.cycles[static_cast<std::size_t>(insn_class::branch)] = 3;
  t.branch_taken_extra = 5;
  build(t);
  program({enc::beq(1, 2, 8), enc::nop, enc::beq(0, 0, 8), enc::nop, enc::wfi});
  cpu->set_reg(1, 1);
  std::uint64_t before = cpu->cycles();
  step();  // not taken
  EXPECT_EQ(cpu->pc(), code + 4);
  EXPECT_EQ(cpu->cycles() - before, 3u);
  step();  // nop
  before = cpu->cycles();
  step();  // taken
  EXPECT_EQ(cpu->pc(), code + 16);
  EXPECT_EQ(cpu->cycles() - before, 8u);
}

TEST_F(iss, instruction_classes_cost_their_configured_cycles) {
  timing_config t;
  t.cycles[static_cast<std::size_t>(insn_class::alu)] = 2;
  t.cycles[static_cast<std::size_t>(insn_class::mul)] = 3;
  t.cycles[static_cast<std::size_t>(insn_class::div)] = 17;
  t.cycles[static_cast<std::size_t>(insn_class::system)] = 6;
  t.trap_cycles = 10;
  build(t);
  wfi_handler();
  program({enc::add(3, 1, 2), enc::mul(3, 1, 2), enc::divu(3, 1, 2), enc::ecall});
  const std::uint64_t expect[] = {2, 3, 17, 6 + 10};
  for (std::uint64_t e : expect) {
    const std::uint64_t before = cpu->cycles();
    step();
    EXPECT_EQ(cpu->cycles() - before, e);
  }
  EXPECT_EQ(cpu->class_count(insn_class::alu), 1u);
  EXPECT_EQ(cpu->class_count(insn_class::mul), 1u);
  EXPECT_EQ(cpu->class_count(insn_class::div), 1u);
}

TEST_F(iss, jal_links_pc_plus_4) {
  using namespace enc;
  program({jal(1, 8), addi(3, 0, 1), wfi});
  EXPECT_EQ(run(), stop_reason::wfi);
  EXPECT_EQ(cpu->reg(1), code + 4);
  EXPECT_EQ(cpu->reg(3), 0u);
  EXPECT_EQ(cpu->pc(), code + 12);

  // Backward: code+0 jumps to +12, which links and jumps back to the wfi at +4.
  cpu->reset(code);
  program({jal(0, 12), wfi, nop, jal(1, -8)});
  EXPECT_EQ(run(), stop_reason::wfi);
  EXPECT_EQ(cpu->reg(1), code + 16);
  EXPECT_EQ(cpu->pc(), code + 8);
}

TEST_F(iss, jalr_links_and_clears_bit_0) {
  using namespace enc;
  program({jalr(1, 2, 4), addi(3, 0, 1), wfi, wfi});
  cpu->set_reg(2, code + 9);  // (code + 13) & ~1 = code + 12
  EXPECT_EQ(run(), stop_reason::wfi);
  EXPECT_EQ(cpu->reg(1), code + 4);
  EXPECT_EQ(cpu->pc(), code + 16);
  EXPECT_EQ(cpu->reg(3), 0u);

  // rd == rs1: the target uses the old value.
  cpu->reset(code);
  program({jalr(1, 1, 0), addi(3, 0, 1), wfi, wfi});
  cpu->set_reg(1, code + 12);
  EXPECT_EQ(run(), stop_reason::wfi);
  EXPECT_EQ(cpu->pc(), code + 16);
  EXPECT_EQ(cpu->reg(1), code + 4);
}

TEST_F(iss, compressed_jal_and_jalr_link_pc_plus_2) {
  // c.jal +6 (objdump: 0x2019) at code: links code + 2, lands on code + 6.
  program16({0x2019, enc::c_nop, enc::c_nop, enc::c_jalr(5)});
  program({enc::wfi}, code + 0x20);
  cpu->set_reg(5, code + 0x20);
  step();
  EXPECT_EQ(cpu->reg(1), code + 2);
  EXPECT_EQ(cpu->pc(), code + 6);
  step();  // c.jalr x5 at code + 6
  EXPECT_EQ(cpu->reg(1), code + 8);
  EXPECT_EQ(cpu->pc(), code + 0x20);

  // c.jalr ra: the target is the old ra.
  cpu->reset(code);
  program16({enc::c_jalr(1)});
  cpu->set_reg(1, code + 0x20);
  EXPECT_EQ(run(), stop_reason::wfi);
  EXPECT_EQ(cpu->reg(1), code + 2);
  EXPECT_EQ(cpu->pc(), code + 0x24);
}

TEST_F(iss, compressed_j_and_jr_do_not_link) {
  // 0: c.j +6 (0xa019); 6: c.jr x5 -> 0x20: wfi.
  program16({0xa019, enc::c_nop, enc::c_nop, enc::c_jr(5)});
  program({enc::wfi}, code + 0x20);
  cpu->set_reg(5, code + 0x20);
  cpu->set_reg(1, 0x1234);
  EXPECT_EQ(run(), stop_reason::wfi);
  EXPECT_EQ(cpu->pc(), code + 0x24);
  EXPECT_EQ(cpu->reg(1), 0x1234u);
  EXPECT_EQ(cpu->reg(0), 0u);

  // Backward compressed jumps: c.jal -14 (0x3fcd) at code + 0xe, c.j -22 (0xb7ed) at code + 0x16.
  cpu->reset(code + 0xe);
  program16({0x3fcd}, code + 0xe);
  program({enc::wfi}, code);
  EXPECT_EQ(run(), stop_reason::wfi);
  EXPECT_EQ(cpu->reg(1), code + 0x10);
  EXPECT_EQ(cpu->pc(), code + 4);
  cpu->reset(code + 0x16);
  program16({0xb7ed}, code + 0x16);
  EXPECT_EQ(run(), stop_reason::wfi);
  EXPECT_EQ(cpu->pc(), code + 4);
}

TEST_F(iss, compressed_alu_loads_stores_and_branches) {
  // Encodings from objdump (see the file comment).
  put32(data + 16 + 4, 0x55667788u);  // c.lw x9, 4(x8) with x8 = sp + 16
  put32(data + 12, 0x0BADF00Du);      // c.lwsp x5, 12(sp)
  program16({
      0x0800,  // c.addi4spn x8, sp, 16
      0x4044,  // c.lw x9, 4(x8)
      0xc404,  // c.sw x9, 8(x8)
      0x52f5,  // c.li x5, -3
      0x029d,  // c.addi x5, 7       -> 4
      0x7305,  // c.lui x6, 0xfffe1  -> 0xfffe1000
      0x42b2,  // c.lwsp x5, 12(sp)  -> 0x0badf00d
      0xc816,  // c.swsp x5, 16(sp)
      0x713d,  // c.addi16sp sp, -32
      enc::c_nop,
  });
  program({enc::wfi}, code + 20);
  cpu->set_reg(2, data);
  EXPECT_EQ(run(), stop_reason::wfi);
  EXPECT_EQ(cpu->reg(8), data + 16);
  EXPECT_EQ(cpu->reg(9), 0x55667788u);
  EXPECT_EQ(get32(data + 24), 0x55667788u);
  EXPECT_EQ(cpu->reg(6), 0xFFFE1000u);
  EXPECT_EQ(cpu->reg(5), 0x0BADF00Du);
  EXPECT_EQ(get32(data + 16), 0x0BADF00Du);
  EXPECT_EQ(cpu->reg(2), data - 32);

  // c.li/c.addi alone.
  cpu->reset(code);
  program16({0x52f5, 0x029d});
  program({enc::wfi}, code + 4);
  EXPECT_EQ(run(), stop_reason::wfi);
  EXPECT_EQ(cpu->reg(5), 4u);

  // Shifts and the register-register group on x8/x9.
  cpu->reset(code);
  program16({0x8011, 0x84fd, 0x8c05, enc::c_nop});  // c.srli x8, 4; c.srai x9, 31; c.sub x8, x9
  program({enc::wfi}, code + 8);
  cpu->set_reg(8, 0xF0000000u);
  cpu->set_reg(9, 0x80000000u);
  EXPECT_EQ(run(), stop_reason::wfi);
  EXPECT_EQ(cpu->reg(9), 0xFFFFFFFFu);
  EXPECT_EQ(cpu->reg(8), 0x0F000000u + 1u);  // 0x0F000000 - (-1)

  cpu->reset(code);
  program16({0x9979, 0x8c25, 0x8c45, 0x8c65});  // c.andi x10,-2; c.xor; c.or; c.and (x8, x9)
  program({enc::wfi}, code + 8);
  cpu->set_reg(10, 0xFFFFFFFFu);
  cpu->set_reg(8, 0xFF00FF00u);
  cpu->set_reg(9, 0x0FF00FF0u);
  EXPECT_EQ(run(), stop_reason::wfi);
  EXPECT_EQ(cpu->reg(10), 0xFFFFFFFEu);
  // x8 = ((x8 ^ x9) | x9) & x9 = x9
  EXPECT_EQ(cpu->reg(8), 0x0FF00FF0u);

  cpu->reset(code);
  program16({0x02fe, 0x829a, 0x929a});  // c.slli x5, 31; c.mv x5, x6; c.add x5, x6
  put16(code + 6, enc::c_nop);
  program({enc::wfi}, code + 8);
  cpu->set_reg(5, 1);
  cpu->set_reg(6, 21);
  step();
  EXPECT_EQ(cpu->reg(5), 0x80000000u);
  EXPECT_EQ(run(), stop_reason::wfi);
  EXPECT_EQ(cpu->reg(5), 42u);
}

TEST_F(iss, compressed_branches) {
  // 0: c.beqz x8, +6 (0xc019); 2: c.nop; 4: c.nop; 6: c.bnez x8, -6 (0xfc6d); 8: wfi
  program16({0xc019, enc::c_nop, enc::c_nop, 0xfc6d});
  program({enc::wfi}, code + 8);
  cpu->set_reg(8, 0);
  step();
  EXPECT_EQ(cpu->pc(), code + 6);  // taken
  step();
  EXPECT_EQ(cpu->pc(), code + 8);  // not taken
  cpu->reset(code);
  cpu->set_reg(8, 1);
  step();
  EXPECT_EQ(cpu->pc(), code + 2);  // not taken
  cpu->set_pc(code + 6);
  step();
  EXPECT_EQ(cpu->pc(), code);  // taken, backward
}

// ------------------------------------------------------------------ exceptions

TEST_F(iss, misaligned_load_traps_with_the_address) {
  using namespace enc;
  wfi_handler();
  program({nop, lw(3, 1, 2)});
  cpu->set_reg(1, data);
  cpu->set_reg(3, 0x77);
  expect_trap(cause::load_misaligned, data + 2, code + 4);
  EXPECT_EQ(cpu->reg(3), 0x77u) << "the destination was written";

  cpu->reset(code);
  wfi_handler();
  program({lh(3, 1, 1)});
  cpu->set_reg(1, data);
  expect_trap(cause::load_misaligned, data + 1, code);

  cpu->reset(code);
  wfi_handler();
  program({lhu(3, 1, 3)});
  cpu->set_reg(1, data);
  expect_trap(cause::load_misaligned, data + 3, code);
}

TEST_F(iss, misaligned_store_traps_with_the_address) {
  using namespace enc;
  wfi_handler();
  put32(data, 0);
  put32(data + 4, 0);
  program({sw(2, 1, 1)});
  cpu->set_reg(1, data);
  cpu->set_reg(2, 0xFFFFFFFFu);
  expect_trap(cause::store_misaligned, data + 1, code);
  EXPECT_EQ(get32(data), 0u);
  EXPECT_EQ(get32(data + 4), 0u);

  cpu->reset(code);
  wfi_handler();
  program({sh(2, 1, 3)});
  cpu->set_reg(1, data);
  expect_trap(cause::store_misaligned, data + 3, code);
}

TEST_F(iss, compressed_loads_and_stores_trap_on_misaligned_addresses) {
  wfi_handler();
  program16({0x4044});  // c.lw x9, 4(x8)
  cpu->set_reg(8, data + 2);
  cpu->set_reg(9, 0x99);
  expect_trap(cause::load_misaligned, data + 6, code);
  EXPECT_EQ(cpu->reg(9), 0x99u) << "the destination was written";

  cpu->reset(code);
  wfi_handler();
  put32(data + 8, 0);
  put32(data + 12, 0);
  program16({enc::c_nop, 0xc404});  // c.sw x9, 8(x8)
  cpu->set_reg(8, data + 1);
  cpu->set_reg(9, 0xFFFFFFFFu);
  expect_trap(cause::store_misaligned, data + 9, code + 2);
  EXPECT_EQ(get32(data + 8), 0u);
  EXPECT_EQ(get32(data + 12), 0u);

  cpu->reset(code);
  wfi_handler();
  program16({0x42b2});  // c.lwsp x5, 12(sp)
  cpu->set_reg(2, data + 2);
  expect_trap(cause::load_misaligned, data + 14, code);
}

TEST_F(iss, no_misaligned_fetch_with_the_c_extension) {
  // IALIGN is 16: a jump, branch or mret to a halfword-aligned target is not misaligned, and jalr
  // clears bit 0 of an odd target, so instruction-address-misaligned (cause 0) never happens.
  using namespace enc;
  loop_handler(false);
  put32(code + 0x00, jal(1, 6));  // -> 0x06
  put16(code + 0x04, c_nop);
  put32(code + 0x06, beq(0, 0, 8));   // -> 0x0e
  put32(code + 0x0a, addi(5, 0, 1));  // skipped
  put32(code + 0x0e, jalr(0, 2, 3));  // x2 + 3 = 0x23, bit 0 cleared -> 0x22
  put32(code + 0x22, csrrw(0, mepc, 3));
  put32(code + 0x26, mret);  // -> mepc = 0x2a
  put32(code + 0x2a, wfi);
  cpu->set_reg(2, code + 0x20);
  cpu->set_reg(3, code + 0x2a);
  EXPECT_EQ(run(), stop_reason::wfi);
  EXPECT_EQ(cpu->pc(), code + 0x2e);
  EXPECT_EQ(cpu->traps_taken(), 0u);
  EXPECT_EQ(cpu->reg(1), code + 4);
  EXPECT_EQ(cpu->reg(5), 0u);
}

TEST_F(iss, access_fault_on_unmapped_addresses) {
  using namespace enc;
  wfi_handler();
  program({lw(3, 1, 0x10)});
  cpu->set_reg(1, unmapped);
  expect_trap(cause::load_access, unmapped + 0x10, code);

  cpu->reset(code);
  wfi_handler();
  program({sw(2, 1, 0)});
  cpu->set_reg(1, unmapped);
  expect_trap(cause::store_access, unmapped, code);

  // Just past the MMIO window.
  cpu->reset(code);
  wfi_handler();
  program({lb(3, 1, 0)});
  cpu->set_reg(1, mmio_base + mmio_size);
  expect_trap(cause::load_access, mmio_base + mmio_size, code);
}

TEST_F(iss, instruction_access_fault_on_fetch_from_unmapped) {
  wfi_handler();
  program({enc::jalr(0, 1, 0)});
  cpu->set_reg(1, unmapped);
  expect_trap(cause::insn_access, unmapped, unmapped);
}

TEST_F(iss, illegal_instructions_report_their_raw_bits) {
  struct case_t {
    std::uint32_t raw;
    bool compressed;
    const char* what;
  };
  const case_t cases[] = {
      {0x0000, true, "all-zero halfword"},
      {0xFFFFFFFFu, false, "all ones"},
      {0x0004, true, "c.addi4spn with zero immediate"},
      {0x4002, true, "c.lwsp rd=0"},
      {0x8002, true, "c.jr rs1=0"},
      {0x1082, true, "c.slli x1 with shamt[5]=1 (RV32)"},
      {0x9c01, true, "c.subw (RV64 only)"},
      {0x2000, true, "c.fld (no D)"},
      {0x00003003u, false, "ld (RV64 only)"},
      {0x00004073u, false, "system funct3=4"},
      {0x00000063u | (2u << 12), false, "branch funct3=2"},
      {0x00001067u, false, "jalr funct3=1"},
      {0x6101, true, "c.addi16sp with zero immediate"},
      {0x6281, true, "c.lui x5 with zero immediate"},
      {0x9001, true, "c.srli with shamt[5]=1 (RV32)"},
      {0x00000053u, false, "fadd.s (no F)"},
  };
  for (const case_t& c : cases) {
    SCOPED_TRACE(c.what);
    cpu->reset(code);
    wfi_handler();
    if (c.compressed) {
      program16({static_cast<std::uint16_t>(c.raw), enc::c_nop});
    } else {
      program({c.raw});
    }
    expect_trap(cause::illegal_insn, c.raw, code);
  }
}

TEST_F(iss, ecall_and_ebreak_set_mepc_to_the_instruction) {
  wfi_handler();
  program({enc::nop, enc::ecall});
  expect_trap(cause::ecall_m, 0, code + 4);

  cpu->reset(code);
  wfi_handler();
  program({enc::nop, enc::nop, enc::ebreak});
  EXPECT_EQ(run(), stop_reason::wfi);
  EXPECT_EQ(cpu->pc(), handler + 4);
  EXPECT_EQ(csr(mcause), cause::breakpoint);
  EXPECT_EQ(csr(mepc), code + 8);

  cpu->reset(code);
  wfi_handler();
  program16({enc::c_nop, enc::c_ebreak});
  EXPECT_EQ(run(), stop_reason::wfi);
  EXPECT_EQ(csr(mcause), cause::breakpoint);
  EXPECT_EQ(csr(mepc), code + 2);
}

TEST_F(iss, trap_and_mret_move_mie_through_mpie) {
  using namespace enc;
  // Handler: skip the ecall, record mstatus in x7, return.
  program({csrrs(6, mepc, 0), addi(6, 6, 4), csrrw(0, mepc, 6), csrrs(7, mstatus, 0), mret}, handler);
  ASSERT_TRUE(cpu->write_csr(mtvec, handler));
  program({csrrsi(0, mstatus, 8), ecall, csrrs(8, mstatus, 0), wfi});
  EXPECT_EQ(run(), stop_reason::wfi);
  EXPECT_EQ(cpu->pc(), code + 16);
  EXPECT_EQ(cpu->reg(7) & (mstatus_mie | mstatus_mpie), mstatus_mpie) << "in the handler";
  EXPECT_EQ(cpu->reg(7) & mstatus_mpp, mstatus_mpp);
  EXPECT_EQ(cpu->reg(8) & (mstatus_mie | mstatus_mpie), mstatus_mie | mstatus_mpie) << "after mret";
  EXPECT_EQ(csr(mepc), code + 8);
  EXPECT_EQ(csr(mcause), cause::ecall_m);

  // With MIE clear at the trap, mret leaves MIE clear and sets MPIE.
  cpu->reset(code);
  ASSERT_TRUE(cpu->write_csr(mtvec, handler));
  program({nop, ecall, csrrs(8, mstatus, 0), wfi});
  EXPECT_EQ(run(), stop_reason::wfi);
  EXPECT_EQ(cpu->reg(7) & (mstatus_mie | mstatus_mpie), 0u);
  EXPECT_EQ(cpu->reg(8) & (mstatus_mie | mstatus_mpie), mstatus_mpie);
}

TEST_F(iss, exceptions_use_mtvec_base_even_when_vectored) {
  loop_handler(true);
  program({enc::ecall});
  EXPECT_EQ(run(200), stop_reason::budget);
  EXPECT_EQ(cpu->pc(), handler);
  EXPECT_EQ(csr(mcause), cause::ecall_m);
}

TEST_F(iss, mtvec_reserved_modes_fall_back_to_direct) {
  ASSERT_TRUE(cpu->write_csr(mtvec, handler | 2));
  EXPECT_EQ(csr(mtvec), handler);
  ASSERT_TRUE(cpu->write_csr(mtvec, handler | 1));
  EXPECT_EQ(csr(mtvec), handler | 1);
}

// ------------------------------------------------------------------ interrupts

TEST_F(iss, vectored_interrupts_enter_base_plus_4_times_cause) {
  const unsigned irqs[] = {cause::msi, cause::mti, cause::mei};
  for (unsigned irq : irqs) {
    SCOPED_TRACE(irq);
    cpu->reset(code);
    cpu->set_irq(cause::msi, false);
    cpu->set_irq(cause::mti, false);
    cpu->set_irq(cause::mei, false);
    loop_handler(true);
    program({enc::nop, enc::nop, enc::jal(0, 0)});
    ASSERT_TRUE(cpu->write_csr(mie, 1u << irq));
    ASSERT_TRUE(cpu->write_csr(mstatus, mstatus_mie));
    step();
    step();
    cpu->set_irq(irq, true);
    step();
    EXPECT_EQ(cpu->pc(), handler + 4 * irq);
    EXPECT_EQ(csr(mcause), cause::interrupt | irq);
    EXPECT_EQ(csr(mepc), code + 8);
    EXPECT_EQ(csr(mstatus) & (mstatus_mie | mstatus_mpie), mstatus_mpie);
  }
}

TEST_F(iss, direct_mode_interrupt_enters_the_base) {
  loop_handler(false);
  program({enc::jal(0, 0)});
  ASSERT_TRUE(cpu->write_csr(mie, 1u << cause::mti));
  ASSERT_TRUE(cpu->write_csr(mstatus, mstatus_mie));
  cpu->set_irq(cause::mti, true);
  EXPECT_EQ(run(100), stop_reason::budget);
  EXPECT_EQ(cpu->pc(), handler);
  EXPECT_EQ(csr(mcause), cause::interrupt | cause::mti);
}

TEST_F(iss, interrupt_priority_external_then_software_then_timer) {
  loop_handler(true);
  program({enc::jal(0, 0)});
  cpu->set_irq(cause::mti, true);
  cpu->set_irq(cause::msi, true);
  cpu->set_irq(cause::mei, true);
  ASSERT_TRUE(cpu->write_csr(mie, (1u << cause::msi) | (1u << cause::mti) | (1u << cause::mei)));
  ASSERT_TRUE(cpu->write_csr(mstatus, mstatus_mie));
  step();
  EXPECT_EQ(csr(mcause), cause::interrupt | cause::mei);
  EXPECT_EQ(cpu->pc(), handler + 4 * cause::mei);

  cpu->set_irq(cause::mei, false);
  ASSERT_TRUE(cpu->write_csr(mstatus, mstatus_mie));
  step();
  EXPECT_EQ(csr(mcause), cause::interrupt | cause::msi);
  EXPECT_EQ(cpu->pc(), handler + 4 * cause::msi);

  cpu->set_irq(cause::msi, false);
  ASSERT_TRUE(cpu->write_csr(mstatus, mstatus_mie));
  step();
  EXPECT_EQ(csr(mcause), cause::interrupt | cause::mti);
  EXPECT_EQ(cpu->pc(), handler + 4 * cause::mti);
}

TEST_F(iss, interrupt_masked_by_mie_or_mstatus_is_not_taken) {
  loop_handler(false);
  program({enc::addi(5, 5, 1), enc::jal(0, -4)});
  cpu->set_irq(cause::mti, true);
  ASSERT_TRUE(cpu->write_csr(mstatus, mstatus_mie));  // mie.MTIE = 0
  EXPECT_EQ(run(100), stop_reason::budget);
  EXPECT_EQ(cpu->traps_taken(), 0u);
  ASSERT_TRUE(cpu->write_csr(mstatus, 0));
  ASSERT_TRUE(cpu->write_csr(mie, 1u << cause::mti));  // MTIE = 1, mstatus.MIE = 0
  EXPECT_EQ(run(100), stop_reason::budget);
  EXPECT_EQ(cpu->traps_taken(), 0u);
  EXPECT_GT(cpu->reg(5), 50u);
  EXPECT_EQ(csr(mip) & (1u << cause::mti), 1u << cause::mti);
}

TEST_F(iss, enabling_mie_by_instruction_takes_the_pending_interrupt_next) {
  using namespace enc;
  loop_handler(false);
  program({csrrsi(0, mstatus, 8), addi(5, 0, 1), wfi});
  ASSERT_TRUE(cpu->write_csr(mie, 1u << cause::mei));
  cpu->set_irq(cause::mei, true);
  EXPECT_EQ(run(100), stop_reason::budget);
  EXPECT_EQ(cpu->pc(), handler);
  EXPECT_EQ(csr(mepc), code + 4);
  EXPECT_EQ(cpu->reg(5), 0u);
}

TEST_F(iss, wfi_stops_when_nothing_is_pending) {
  program({enc::nop, enc::wfi, enc::addi(5, 0, 1), enc::wfi});
  const std::uint64_t before = cpu->instret();
  EXPECT_EQ(run(), stop_reason::wfi);
  EXPECT_EQ(cpu->pc(), code + 8);
  EXPECT_EQ(cpu->instret() - before, 2u);
  // A pending interrupt that mie does not enable does not keep WFI awake.
  cpu->set_irq(cause::mti, true);
  EXPECT_EQ(run(), stop_reason::wfi);
  EXPECT_EQ(cpu->reg(5), 1u);
  EXPECT_EQ(cpu->pc(), code + 16);
}

TEST_F(iss, wfi_does_not_stop_with_an_enabled_pending_interrupt_even_when_mie_is_clear) {
  loop_handler(false);
  program({enc::wfi, enc::addi(5, 0, 1), enc::jal(0, 0)});
  ASSERT_TRUE(cpu->write_csr(mie, 1u << cause::mti));
  cpu->set_irq(cause::mti, true);  // mstatus.MIE stays 0
  EXPECT_EQ(run(100), stop_reason::budget);
  EXPECT_EQ(cpu->reg(5), 1u);
  EXPECT_EQ(cpu->pc(), code + 8);
  EXPECT_EQ(cpu->traps_taken(), 0u);
}

TEST_F(iss, wfi_wakes_on_a_later_interrupt_with_mie_clear_and_continues_without_the_trap) {
  loop_handler(false);
  program({enc::wfi, enc::addi(5, 0, 1), enc::jal(0, 0)});
  ASSERT_TRUE(cpu->write_csr(mie, 1u << cause::mei));  // mstatus.MIE stays 0
  EXPECT_EQ(run(), stop_reason::wfi);
  EXPECT_EQ(cpu->pc(), code + 4);
  EXPECT_FALSE(cpu->interrupt_pending());
  cpu->set_irq(cause::mei, true);
  EXPECT_TRUE(cpu->interrupt_pending()) << "the wrapper wakes the core on this";
  EXPECT_EQ(run(100), stop_reason::budget);
  EXPECT_EQ(cpu->reg(5), 1u);
  EXPECT_EQ(cpu->pc(), code + 8);
  EXPECT_EQ(cpu->traps_taken(), 0u);
  // Setting MIE then takes the interrupt that is still pending.
  ASSERT_TRUE(cpu->write_csr(mstatus, mstatus_mie));
  step();
  EXPECT_EQ(cpu->pc(), handler);
  EXPECT_EQ(csr(mcause), cause::interrupt | cause::mei);
  EXPECT_EQ(csr(mepc), code + 8);
}

TEST_F(iss, interrupt_after_wfi_returns_to_the_next_instruction) {
  loop_handler(false);
  program({enc::wfi, enc::nop});
  ASSERT_TRUE(cpu->write_csr(mie, 1u << cause::msi));
  ASSERT_TRUE(cpu->write_csr(mstatus, mstatus_mie));
  EXPECT_EQ(run(), stop_reason::wfi);
  cpu->set_irq(cause::msi, true);
  EXPECT_EQ(run(50), stop_reason::budget);
  EXPECT_EQ(cpu->pc(), handler);
  EXPECT_EQ(csr(mepc), code + 4);
  EXPECT_EQ(csr(mcause), cause::interrupt | cause::msi);
}

// ------------------------------------------------------------------ atomics

TEST_F(iss, lr_sc_succeeds_on_the_reserved_address) {
  using namespace enc;
  put32(data, 41);
  program({lr_w(3, 1), addi(3, 3, 1), sc_w(4, 1, 3), sc_w(5, 1, 0), wfi});
  cpu->set_reg(1, data);
  cpu->set_reg(4, 0xFF);
  EXPECT_EQ(run(), stop_reason::wfi);
  EXPECT_EQ(cpu->reg(4), 0u);
  EXPECT_EQ(get32(data), 42u);
  EXPECT_EQ(cpu->reg(5), 1u) << "a successful sc.w consumes the reservation";
}

TEST_F(iss, sc_without_reservation_fails) {
  using namespace enc;
  put32(data, 41);
  program({sc_w(4, 1, 2), wfi});
  cpu->set_reg(1, data);
  cpu->set_reg(2, 99);
  EXPECT_EQ(run(), stop_reason::wfi);
  EXPECT_EQ(cpu->reg(4), 1u);
  EXPECT_EQ(get32(data), 41u);
}

TEST_F(iss, sc_to_another_address_fails_and_clears_the_reservation) {
  using namespace enc;
  put32(data, 1);
  put32(data + 4, 2);
  program({lr_w(3, 1), sc_w(4, 5, 2), sc_w(6, 1, 2), wfi});
  cpu->set_reg(1, data);
  cpu->set_reg(5, data + 4);
  cpu->set_reg(2, 99);
  EXPECT_EQ(run(), stop_reason::wfi);
  EXPECT_EQ(cpu->reg(3), 1u);
  EXPECT_EQ(cpu->reg(4), 1u);
  EXPECT_EQ(get32(data + 4), 2u);
  EXPECT_EQ(cpu->reg(6), 1u) << "an sc consumes the reservation even when it fails";
  EXPECT_EQ(get32(data), 1u);
}

TEST_F(iss, lr_sc_reservation_rules) {
  using namespace enc;
  // sc.w pairs with the most recent lr.w: after lr A, lr B an sc to A fails and writes nothing,
  // and (any sc consumes the reservation) a following sc to B fails too.
  put32(data, 1);
  put32(data + 4, 2);
  program({lr_w(3, 1), lr_w(4, 5), sc_w(6, 1, 2), sc_w(7, 5, 2), wfi});
  cpu->set_reg(1, data);
  cpu->set_reg(5, data + 4);
  cpu->set_reg(2, 99);
  EXPECT_EQ(run(), stop_reason::wfi);
  EXPECT_EQ(cpu->reg(6), 1u);
  EXPECT_EQ(cpu->reg(7), 1u);
  EXPECT_EQ(get32(data), 1u);
  EXPECT_EQ(get32(data + 4), 2u);

  // The spec makes sc.w fail after a store by another hart or a device; a store by this hart to
  // the reserved word may leave the reservation. edgevp keeps it: the sc.w succeeds.
  cpu->reset(code);
  program({lr_w(3, 1), sw(2, 1, 0), sc_w(6, 1, 8), wfi});
  cpu->set_reg(1, data);
  cpu->set_reg(2, 55);
  cpu->set_reg(8, 77);
  EXPECT_EQ(run(), stop_reason::wfi);
  EXPECT_EQ(cpu->reg(3), 1u);
  EXPECT_EQ(cpu->reg(6), 0u);
  EXPECT_EQ(get32(data), 77u);

  // A trap between lr.w and sc.w drops the reservation (the handler skips the ecall, mret).
  cpu->reset(code);
  program({csrrs(9, mepc, 0), addi(9, 9, 4), csrrw(0, mepc, 9), mret}, handler);
  ASSERT_TRUE(cpu->write_csr(mtvec, handler));
  put32(data, 5);
  program({lr_w(3, 1), ecall, sc_w(6, 1, 2), wfi});
  cpu->set_reg(1, data);
  cpu->set_reg(2, 66);
  EXPECT_EQ(run(), stop_reason::wfi);
  EXPECT_EQ(cpu->pc(), code + 16);
  EXPECT_EQ(cpu->reg(6), 1u);
  EXPECT_EQ(get32(data), 5u);

  // A misaligned sc.w traps whether or not there is a reservation.
  cpu->reset(code);
  wfi_handler();
  program({sc_w(6, 1, 2)});
  cpu->set_reg(1, data + 2);
  cpu->set_reg(6, 0x1234);
  expect_trap(cause::store_misaligned, data + 2, code);
  EXPECT_EQ(cpu->reg(6), 0x1234u);
}

TEST_F(iss, amo_read_modify_write) {
  using namespace enc;
  struct case_t {
    std::uint32_t insn;
    std::uint32_t mem;
    std::uint32_t src;
    std::uint32_t result;
    const char* what;
  };
  const case_t cases[] = {
      {amoadd(3, 1, 2), 5, 3, 8, "amoadd"},
      {amoadd(3, 1, 2), 0xFFFFFFFFu, 2, 1, "amoadd wraps"},
      {amoswap(3, 1, 2), 5, 3, 3, "amoswap"},
      {amoxor(3, 1, 2), 0xF0F0u, 0xFF00u, 0x0FF0u, "amoxor"},
      {amoand(3, 1, 2), 0xF0F0u, 0xFF00u, 0xF000u, "amoand"},
      {amoor(3, 1, 2), 0xF0F0u, 0xFF00u, 0xFFF0u, "amoor"},
      {amomin(3, 1, 2), 0xFFFFFFFFu, 1, 0xFFFFFFFFu, "amomin: -1 < 1"},
      {amominu(3, 1, 2), 0xFFFFFFFFu, 1, 1, "amominu: 1 < 0xffffffff"},
      {amomax(3, 1, 2), 0xFFFFFFFFu, 1, 1, "amomax: 1 > -1"},
      {amomaxu(3, 1, 2), 0xFFFFFFFFu, 1, 0xFFFFFFFFu, "amomaxu"},
      {amomin(3, 1, 2), 0x80000000u, 0x7FFFFFFFu, 0x80000000u, "amomin extremes"},
      {amomax(3, 1, 2), 0x80000000u, 0x7FFFFFFFu, 0x7FFFFFFFu, "amomax extremes"},
  };
  for (const case_t& c : cases) {
    SCOPED_TRACE(c.what);
    put32(data, c.mem);
    EXPECT_EQ(exec(c.insn, data, c.src), c.mem) << "rd gets the old value";
    EXPECT_EQ(get32(data), c.result);
  }
}

TEST_F(iss, amo_through_the_bus) {
  const std::uint32_t v = 10;
  std::memcpy(&bus.mmio[4], &v, 4);
  EXPECT_EQ(exec(enc::amoadd(3, 1, 2), mmio_base + 4, 5), 10u);
  std::uint32_t now = 0;
  std::memcpy(&now, &bus.mmio[4], 4);
  EXPECT_EQ(now, 15u);
}

TEST_F(iss, amo_misaligned_and_unmapped_are_store_faults) {
  wfi_handler();
  program({enc::amoadd(3, 1, 2)});
  cpu->set_reg(1, data + 2);
  expect_trap(cause::store_misaligned, data + 2, code);

  cpu->reset(code);
  wfi_handler();
  program({enc::amoswap(3, 1, 2)});
  cpu->set_reg(1, unmapped);
  expect_trap(cause::store_access, unmapped, code);

  cpu->reset(code);
  wfi_handler();
  program({enc::lr_w(3, 1)});
  cpu->set_reg(1, data + 1);
  expect_trap(cause::load_misaligned, data + 1, code);
}

// ------------------------------------------------------------------ counters and CSRs

TEST_F(iss, minstret_does_not_count_trapping_instructions) {
  using namespace enc;
  wfi_handler();
  program({nop, ecall});
  std::uint64_t before = cpu->instret();
  const std::uint32_t csr_before = csr(minstret);
  step();
  EXPECT_EQ(cpu->instret() - before, 1u);
  EXPECT_EQ(csr(minstret) - csr_before, 1u);
  before = cpu->instret();
  step();  // ecall
  EXPECT_EQ(csr(mcause), cause::ecall_m);
  EXPECT_EQ(cpu->instret(), before) << "ecall retired";
  EXPECT_EQ(csr(minstret) - csr_before, 1u);

  cpu->reset(code);
  wfi_handler();
  program({0xFFFFFFFFu});
  before = cpu->instret();
  step();
  EXPECT_EQ(csr(mcause), cause::illegal_insn);
  EXPECT_EQ(cpu->instret(), before) << "an illegal instruction retired";

  cpu->reset(code);
  wfi_handler();
  program({lw(3, 1, 0)});
  cpu->set_reg(1, unmapped);
  before = cpu->instret();
  step();
  EXPECT_EQ(csr(mcause), cause::load_access);
  EXPECT_EQ(cpu->instret(), before) << "a faulting load retired";
}

TEST_F(iss, minstret_does_not_count_ebreak_misaligned_or_illegal_compressed) {
  struct case_t {
    std::uint32_t raw;
    bool compressed;
    std::uint32_t cause;
    const char* what;
  };
  const case_t cases[] = {
      {enc::ebreak, false, cause::breakpoint, "ebreak"},
      {enc::c_ebreak, true, cause::breakpoint, "c.ebreak"},
      {0x0000, true, cause::illegal_insn, "all-zero halfword"},
      {enc::sw(2, 1, 2), false, cause::store_misaligned, "misaligned sw"},
      {enc::amoadd(3, 1, 2), false, cause::store_misaligned, "misaligned amoadd.w"},
  };
  for (const case_t& c : cases) {
    SCOPED_TRACE(c.what);
    cpu->reset(code);
    wfi_handler();
    if (c.compressed) {
      program16({static_cast<std::uint16_t>(c.raw), enc::c_nop});
    } else {
      program({c.raw});
    }
    cpu->set_reg(1, data + 1);
    const std::uint64_t before = cpu->instret();
    const std::uint32_t csr_before = csr(minstret);
    step();
    EXPECT_EQ(csr(mcause), c.cause);
    EXPECT_EQ(cpu->instret(), before);
    EXPECT_EQ(csr(minstret), csr_before);
  }
}

TEST_F(iss, writes_to_read_only_csrs_are_illegal) {
  using namespace enc;
  const std::uint32_t bad[] = {csrrw(0, mhartid, 1), csrrw(3, mvendorid, 0),  csrrwi(0, mhartid, 0),
                               csrrs(3, mhartid, 1), csrrci(3, mvendorid, 1), csrrw(0, cycle, 1)};
  for (std::uint32_t insn : bad) {
    SCOPED_TRACE(insn);
    cpu->reset(code);
    wfi_handler();
    program({insn});
    cpu->set_reg(1, 5);
    cpu->set_reg(3, 0x1234);
    expect_trap(cause::illegal_insn, insn, code);
    EXPECT_EQ(cpu->reg(3), 0x1234u);
  }
}

TEST_F(iss, every_machine_information_csr_is_read_only) {
  using namespace enc;
  for (std::uint32_t n : {mvendorid, marchid, mimpid, mhartid, mconfigptr}) {
    SCOPED_TRACE(n);
    EXPECT_EQ(exec(csrrs(3, n, 0), 0), 0u) << "a read is legal";
    for (std::uint32_t insn :
         {csrrw(0, n, 1), csrrs(3, n, 1), csrrc(3, n, 1), csrrwi(3, n, 0), csrrsi(3, n, 4)}) {
      SCOPED_TRACE(insn);
      cpu->reset(code);
      wfi_handler();
      program({insn});
      cpu->set_reg(1, 5);
      cpu->set_reg(3, 0x1234);
      expect_trap(cause::illegal_insn, insn, code);
      EXPECT_EQ(cpu->reg(3), 0x1234u);
    }
    EXPECT_FALSE(cpu->write_csr(n, 1)) << "not from outside either";
  }
}

TEST_F(iss, reading_read_only_csrs_is_allowed) {
  using namespace enc;
  EXPECT_EQ(exec(csrrs(3, mhartid, 0), 0), 0u);
  EXPECT_EQ(exec(csrrs(3, mvendorid, 0), 0), 0u);
  EXPECT_EQ(exec(csrrsi(3, mhartid, 0), 0), 0u);
  EXPECT_EQ(exec(csrrci(3, mvendorid, 0), 0), 0u);
  EXPECT_EQ(exec(csrrs(3, misa, 0), 0), 0x40101105u);
  EXPECT_EQ(rv32_iss::misa_value, 0x40101105u);
}

TEST_F(iss, unknown_csr_is_illegal) {
  using namespace enc;
  const std::uint32_t bad[] = {csrrs(3, 0x7C0, 0), csrrw(3, 0x123, 1),
                               csrrs(3, 0x180 /*satp: no S mode*/, 0)};
  for (std::uint32_t insn : bad) {
    SCOPED_TRACE(insn);
    cpu->reset(code);
    wfi_handler();
    program({insn});
    expect_trap(cause::illegal_insn, insn, code);
  }
  std::uint32_t v = 0;
  EXPECT_FALSE(cpu->read_csr(0x7C0, v));
  EXPECT_FALSE(cpu->write_csr(0x7C0, 1));
}

TEST_F(iss, hpm_counters_and_event_selectors_exist_and_read_zero) {
  // The privileged spec requires mhpmcounter3..31 (with the h halves on RV32) and mhpmevent3..31;
  // a core with nothing to count may make them read-only zero: writes are ignored, not illegal.
  using namespace enc;
  for (std::uint32_t n : {0xB03u, 0xB10u, 0xB1Fu, 0xB83u, 0xB9Fu, 0x323u, 0x33Fu}) {
    SCOPED_TRACE(n);
    cpu->reset(code);
    loop_handler(false);
    program({csrrw(3, n, 1), csrrs(4, n, 0), csrrsi(5, n, 7), wfi});
    cpu->set_reg(1, 0x1234);
    for (unsigned r = 3; r <= 5; ++r) cpu->set_reg(r, 0xA5A5A5A5u);
    EXPECT_EQ(run(), stop_reason::wfi);
    EXPECT_EQ(cpu->pc(), code + 16) << "trapped";
    EXPECT_EQ(cpu->reg(3), 0u);
    EXPECT_EQ(cpu->reg(4), 0u);
    EXPECT_EQ(cpu->reg(5), 0u);
    EXPECT_TRUE(cpu->write_csr(n, 5));
    EXPECT_EQ(csr(n), 0u);
  }
  // Their neighbours stay unknown.
  for (std::uint32_t n : {0xB20u, 0xBA0u, 0x322u, 0x340u + 0x100u}) {
    std::uint32_t v = 0;
    EXPECT_FALSE(cpu->read_csr(n, v)) << std::hex << n;
  }
}

TEST_F(iss, csr_read_modify_write_forms) {
  using namespace enc;
  program({csrrw(3, mscratch, 1), csrrs(4, mscratch, 2), csrrc(5, mscratch, 6), csrrwi(7, mscratch, 31),
           csrrsi(8, mscratch, 0), csrrci(9, mscratch, 3), csrrs(10, mscratch, 0), wfi});
  cpu->set_reg(1, 0x0F0);
  cpu->set_reg(2, 0xF00);
  cpu->set_reg(6, 0x0F0);
  ASSERT_TRUE(cpu->write_csr(mscratch, 0x11));
  EXPECT_EQ(run(), stop_reason::wfi);
  EXPECT_EQ(cpu->reg(3), 0x11u);
  EXPECT_EQ(cpu->reg(4), 0x0F0u);
  EXPECT_EQ(cpu->reg(5), 0xFF0u);
  EXPECT_EQ(cpu->reg(7), 0xF00u);
  EXPECT_EQ(cpu->reg(8), 31u);
  EXPECT_EQ(cpu->reg(9), 31u);
  EXPECT_EQ(cpu->reg(10), 28u);
}

TEST_F(iss, csr_warl_fields) {
  ASSERT_TRUE(cpu->write_csr(mie, 0xFFFFFFFFu));
  EXPECT_EQ(csr(mie), 0x888u);
  ASSERT_TRUE(cpu->write_csr(mstatus, 0));
  EXPECT_EQ(csr(mstatus), 0u);  // MPP 0: user mode
  ASSERT_TRUE(cpu->write_csr(mstatus, 1u << 11));
  EXPECT_EQ(csr(mstatus), 0u) << "MPP has no supervisor mode: 1 reads as user";
  ASSERT_TRUE(cpu->write_csr(mstatus, 0xFFFFFFFFu));
  EXPECT_EQ(csr(mstatus), mstatus_mpp | mstatus_mie | mstatus_mpie | (1u << 17) | (1u << 21));  // + MPRV, TW
  ASSERT_TRUE(cpu->write_csr(mepc, 0x80000003u));
  EXPECT_EQ(csr(mepc), 0x80000002u);
  ASSERT_TRUE(cpu->write_csr(misa, 0));
  EXPECT_EQ(csr(misa), 0x40101105u);  // RV32 A C I M U
  ASSERT_TRUE(cpu->write_csr(mip, 0xFFFFFFFFu));
  EXPECT_EQ(csr(mip), 0u) << "mip bits are driven by the interrupt lines";
}

TEST_F(iss, mcycle_and_minstret_are_writable) {
  using namespace enc;
  program({csrrw(0, mcycle, 1), csrrs(3, mcycle, 0), csrrw(0, minstret, 2), csrrs(4, minstret, 0), wfi});
  cpu->set_reg(1, 1000);
  cpu->set_reg(2, 500);
  EXPECT_EQ(run(), stop_reason::wfi);
  // The read is one csr instruction (1 cycle) after the write.
  EXPECT_EQ(cpu->reg(3), 1001u);
  // The write replaces the writing instruction's own increment; a read returns the count before itself.
  EXPECT_EQ(cpu->reg(4), 500u);
  EXPECT_EQ(csr(minstret), 502u);  // the read and the wfi retired since
  EXPECT_EQ(csr(mcycleh), 0u);
  ASSERT_TRUE(cpu->write_csr(mcycleh, 7));
  EXPECT_EQ(csr(mcycleh), 7u);
}

TEST_F(iss, external_csr_writes_read_back_unchanged) {
  // A debugger (or the bench) writing a counter must read the value back, no instruction in between.
  ASSERT_TRUE(cpu->write_csr(mcycle, 1000));
  EXPECT_EQ(csr(mcycle), 1000u);
  ASSERT_TRUE(cpu->write_csr(minstret, 500));
  EXPECT_EQ(csr(minstret), 500u);
}

// ------------------------------------------------------------------ self-modifying code

TEST_F(iss, patched_instruction_runs_without_a_stale_decode) {
  using namespace enc;
  program({addi(5, 5, 1), addi(6, 6, -1), bne(6, 0, -8), wfi});
  cpu->set_reg(6, 4);
  EXPECT_EQ(run(), stop_reason::wfi);
  EXPECT_EQ(cpu->reg(5), 4u);
  // Overwrite the loop body in the DMI buffer, as a store would, and run it again.
  put32(code, addi(5, 5, 100));
  cpu->set_pc(code);
  cpu->set_reg(6, 2);
  EXPECT_EQ(run(), stop_reason::wfi);
  EXPECT_EQ(cpu->reg(5), 204u);
  // Replace a 32-bit instruction with two compressed ones at the same pc.
  put16(code, 0x52f5);      // c.li x5, -3
  put16(code + 2, 0x029d);  // c.addi x5, 7
  cpu->set_pc(code);
  cpu->set_reg(6, 1);
  EXPECT_EQ(run(), stop_reason::wfi);
  EXPECT_EQ(cpu->reg(5), 4u);
}

TEST_F(iss, store_instruction_patches_code_ahead) {
  using namespace enc;
  // 0: addi x5,x5,1  4: bne x9,x0,+20 (to 0x18)  8: addi x9,x0,1  c: sw x7,0(x8)  10: fence.i
  // 14: jal x0,-20 (to 0)  18: wfi
  program({addi(5, 5, 1), bne(9, 0, 20), addi(9, 0, 1), sw(7, 8, 0), fence_i, jal(0, -20), wfi});
  cpu->set_reg(7, addi(5, 5, 100));
  cpu->set_reg(8, code);
  EXPECT_EQ(run(), stop_reason::wfi);
  EXPECT_EQ(cpu->pc(), code + 0x1C);
  EXPECT_EQ(cpu->reg(5), 101u);
}

TEST_F(iss, halfword_store_patches_an_executed_compressed_instruction) {
  using namespace enc;
  // 0: c.addi x5, 1   2: bne x9, x0, +20 (to 0x16)   6: addi x9, x0, 1   a: sh x7, 0(x8)
  // e: fence.i   12: jal x0, -18 (to 0)   16: wfi
  program16({0x0285});
  put32(code + 0x02, bne(9, 0, 20));
  put32(code + 0x06, addi(9, 0, 1));
  put32(code + 0x0a, sh(7, 8, 0));
  put32(code + 0x0e, fence_i);
  put32(code + 0x12, jal(0, -18));
  put32(code + 0x16, wfi);
  cpu->set_reg(7, 0x02c1);  // c.addi x5, 16
  cpu->set_reg(8, code);
  EXPECT_EQ(run(), stop_reason::wfi);
  EXPECT_EQ(cpu->pc(), code + 0x1a);
  EXPECT_EQ(cpu->reg(5), 17u);
}

// ------------------------------------------------------------------ stops and faults

TEST_F(iss, unhandled_trap_without_mtvec) {
  program({enc::nop, enc::ecall});
  EXPECT_EQ(run(), stop_reason::unhandled_trap);
  EXPECT_EQ(cpu->last_trap().cause, cause::ecall_m);
  EXPECT_EQ(cpu->last_trap().pc, code + 4);
  EXPECT_EQ(cpu->last_trap().tval, 0u);

  cpu->reset(code);
  program({enc::lw(3, 1, 4)});
  cpu->set_reg(1, unmapped);
  EXPECT_EQ(run(), stop_reason::unhandled_trap);
  EXPECT_EQ(cpu->last_trap().cause, cause::load_access);
  EXPECT_EQ(cpu->last_trap().pc, code);
  EXPECT_EQ(cpu->last_trap().tval, unmapped + 4);

  cpu->reset(code);
  program({enc::nop, 0xFFFFFFFFu});
  EXPECT_EQ(run(), stop_reason::unhandled_trap);
  EXPECT_EQ(cpu->last_trap().cause, cause::illegal_insn);
  EXPECT_EQ(cpu->last_trap().pc, code + 4);
  EXPECT_EQ(cpu->last_trap().tval, 0xFFFFFFFFu);
}

TEST_F(iss, unhandled_trap_is_reported_by_the_run_that_takes_it) {
  // A single step (a debugger's, or a quantum that ends on the faulting instruction) must not
  // report `budget` for an instruction that stopped the core.
  program({enc::ecall});
  EXPECT_EQ(step(), stop_reason::unhandled_trap);
  EXPECT_EQ(cpu->last_trap().cause, cause::ecall_m);
}

TEST_F(iss, handler_in_unmapped_memory_is_a_fault_loop) {
  ASSERT_TRUE(cpu->write_csr(mtvec, unmapped));
  program({enc::ecall});
  EXPECT_EQ(run(100000), stop_reason::fault_loop);
  EXPECT_EQ(cpu->last_trap().cause, cause::insn_access);
  EXPECT_EQ(cpu->last_trap().tval, unmapped);
}

TEST_F(iss, request_stop_halts_at_an_instruction_boundary) {
  program({enc::addi(5, 5, 1), enc::jal(0, -4)});
  cpu->request_stop();
  EXPECT_EQ(run(), stop_reason::halt);
  EXPECT_EQ(cpu->reg(5), 0u);
  cpu->clear_stop();
  EXPECT_EQ(run(100), stop_reason::budget);
  EXPECT_GT(cpu->reg(5), 0u);
}

TEST_F(iss, invalidated_dmi_is_no_longer_used) {
  program({enc::nop, enc::nop, enc::nop, enc::wfi});
  step();
  cpu->invalidate_dmi(0x0, 0x1000);  // another range: RAM stays
  step();
  EXPECT_EQ(cpu->pc(), code + 8);
  cpu->invalidate_dmi(ram_base + 0x100, ram_base + 0x1FF);  // overlaps RAM: the region is dropped
  EXPECT_EQ(run(), stop_reason::unhandled_trap);
  EXPECT_EQ(cpu->last_trap().cause, cause::insn_access);
  EXPECT_EQ(cpu->last_trap().tval, code + 8);
}

TEST_F(iss, x0_stays_zero) {
  using namespace enc;
  put32(data, 0xFFFFFFFFu);
  program({addi(0, 0, 5), lui(0, 0x12345), add(0, 1, 1), lw(0, 2, 0), jal(0, 4), csrrs(0, misa, 0),
           mul(0, 1, 1), amoadd(0, 2, 1), lr_w(0, 2), auipc(0, 1), wfi});
  program16({0x4015}, code + 44);  // c.li x0, 5 (a hint)
  program({wfi}, code + 46);
  put32(code + 40, nop);
  cpu->set_reg(0, 99);
  EXPECT_EQ(cpu->reg(0), 0u);
  cpu->set_reg(1, 7);
  cpu->set_reg(2, data);
  for (int i = 0; i < 12; ++i) {
    step();
    EXPECT_EQ(cpu->reg(0), 0u) << "after instruction " << i;
  }
  EXPECT_EQ(run(), stop_reason::wfi);
  EXPECT_EQ(cpu->reg(0), 0u);
  EXPECT_EQ(get32(data), 6u);  // amoadd stored -1 + 7
}

TEST_F(iss, store_watch_fires_only_inside_the_range) {
  using namespace enc;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> seen;
  cpu->on_store_watch = [&seen](std::uint32_t a, std::uint32_t v) { seen.emplace_back(a, v); };
  cpu->set_store_watch(data + 0x100, data + 0x108);
  program({sw(2, 1, 0xFC), sw(2, 1, 0x104), sw(2, 1, 0x108), sb(2, 1, 0x100), lw(3, 1, 0x100), wfi});
  cpu->set_reg(1, data);
  cpu->set_reg(2, 0x12345678u);
  EXPECT_EQ(run(), stop_reason::wfi);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].first, data + 0x104);
  EXPECT_EQ(seen[0].second, 0x12345678u);
  EXPECT_EQ(seen[1].first, data + 0x100);
  EXPECT_EQ(seen[1].second, 0x78u);
}

// ------------------------------------------------------------------ the block cache (fast path)

// The fast path runs cached basic blocks; a trace (or any debug hook) makes every instruction go
// through the one-instruction path. Both must agree on everything anyone can observe: registers,
// pc, cycles, retired instructions, class counts, DMI access counts and bytes (fetch energy),
// bus traffic, traps, the tohost watch, wherever a budget ends.
struct twin {
  std::vector<unsigned char> ram = std::vector<unsigned char>(ram_size, 0);
  test_bus bus;
  edgevp::core::access_counters counters;
  std::unique_ptr<rv32_iss> cpu;
  std::ostringstream trace;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> watched;

  explicit twin(bool slow) {
    timing_config t;
    t.cycles[static_cast<std::size_t>(insn_class::div)] = 7;
    cpu = std::make_unique<rv32_iss>(bus, t);
    attach();
    if (slow) cpu->set_trace(&trace);
    cpu->set_store_watch(data + 0x200, data + 0x204);
    cpu->on_store_watch = [this](std::uint32_t a, std::uint32_t v) { watched.emplace_back(a, v); };
    cpu->reset(code);
  }
  void attach() {
    dmi_region r;
    r.base = ram_base;
    r.size = ram_size;
    r.ptr = ram.data();
    r.readable = r.writable = true;
    r.read_cycles = 1;
    r.write_cycles = 2;
    r.counters = &counters;
    cpu->add_dmi(r);
  }
  void put32(std::uint32_t addr, std::uint32_t v) { std::memcpy(&ram.at(addr - ram_base), &v, 4); }
};

void expect_same(const twin& fast, const twin& slow, const char* where) {
  const rv32_iss& f = *fast.cpu;
  const rv32_iss& s = *slow.cpu;
  EXPECT_EQ(f.pc(), s.pc()) << where;
  EXPECT_EQ(f.cycles(), s.cycles()) << where;
  EXPECT_EQ(f.instret(), s.instret()) << where;
  EXPECT_EQ(f.traps_taken(), s.traps_taken()) << where;
  for (unsigned i = 0; i < 32; ++i) EXPECT_EQ(f.reg(i), s.reg(i)) << where << ": x" << i;
  for (std::size_t c = 0; c < static_cast<std::size_t>(insn_class::count); ++c)
    EXPECT_EQ(f.class_count(static_cast<insn_class>(c)), s.class_count(static_cast<insn_class>(c)))
        << where << ": class " << edgevp::cpu::class_name(static_cast<insn_class>(c));
  EXPECT_EQ(fast.counters.reads, slow.counters.reads) << where;
  EXPECT_EQ(fast.counters.read_bytes, slow.counters.read_bytes) << where;
  EXPECT_EQ(fast.counters.writes, slow.counters.writes) << where;
  EXPECT_EQ(fast.counters.write_bytes, slow.counters.write_bytes) << where;
  EXPECT_EQ(fast.bus.reads, slow.bus.reads) << where;
  EXPECT_EQ(fast.bus.writes, slow.bus.writes) << where;
  EXPECT_EQ(fast.watched, slow.watched) << where;
  EXPECT_TRUE(fast.ram == slow.ram) << where;
}

// Loads, stores and arithmetic in a loop with MMIO accesses, a CSR read and a division in the
// middle of its block; then a misaligned load (trap, the handler skips it), a store that rewrites
// an instruction further on in the same straight-line block (no fence.i), a store into the tohost
// watch, compressed instructions.
void load_block_program(twin& t) {
  using namespace enc;
  const std::uint32_t prog[] = {
      lui(8, data >> 12),       // 00 x8 = data
      lui(9, mmio_base >> 12),  // 04 x9 = mmio
      addi(10, 0, 60),          // 08 loop count
      addi(11, 0, 0),           // 0c
      lw(12, 8, 0),             // 10 loop:
      add(11, 11, 12),          // 14
      sw(11, 8, 4),             // 18
      sw(10, 9, 0),             // 1c MMIO store
      lw(13, 9, 0),             // 20 MMIO load
      mul(14, 13, 11),          // 24
      divu(15, 14, 10),         // 28
      csrrs(16, mcycle, 0),     // 2c
      sub(16, 16, 15),          // 30
      sb(16, 8, 8),             // 34
      lh(17, 8, 2),             // 38
      addi(10, 10, -1),         // 3c
      bne(10, 0, -0x30),        // 40 -> 10
      lw(18, 8, 1),             // 44 misaligned: the handler skips it
      sw(19, 23, 0x50),         // 48 patches 50
      nop,                      // 4c
      addi(21, 21, 1),          // 50 becomes addi x21, x21, 7
      sw(11, 8, 0x200),         // 54 the tohost watch
      0x0405'0505u,             // 58 c.addi x10, 1 ; c.addi x8, 1 (two compressed)
      jal(1, 8),                // 5c -> 64, x1 = 60
      wfi,                      // 60 (jumped over)
      jalr(0, 1, 8),            // 64 -> x1 + 8 = 68
  };
  std::uint32_t at = code;
  for (std::uint32_t w : prog) {
    t.put32(at, w);
    at += 4;
  }
  t.put32(code + 0x68, wfi);
  // Handler: mepc += 4, mret.
  const std::uint32_t h[] = {csrrs(20, mepc, 0), addi(20, 20, 4), csrrw(0, mepc, 20), mret};
  at = handler;
  for (std::uint32_t w : h) {
    t.put32(at, w);
    at += 4;
  }
  ASSERT_TRUE(t.cpu->write_csr(mtvec, handler));
  t.cpu->set_reg(19, addi(21, 21, 7));
  t.cpu->set_reg(23, code);
  t.put32(data, 3);
}

TEST(iss_blocks, fast_path_matches_one_instruction_at_a_time) {
  twin fast(false), slow(true);
  load_block_program(fast);
  load_block_program(slow);
  stop_reason rf = stop_reason::budget, rs = stop_reason::budget;
  for (int i = 0; i < 200 && rf != stop_reason::wfi; ++i) {
    rf = fast.cpu->run(fast.cpu->cycles() + 5000);
    rs = slow.cpu->run(slow.cpu->cycles() + 5000);
    ASSERT_EQ(rf, rs);
  }
  ASSERT_EQ(rf, stop_reason::wfi);
  expect_same(fast, slow, "after the run");
  EXPECT_EQ(fast.cpu->reg(21), 7u) << "the store into the same block was not seen";
  EXPECT_EQ(fast.watched.size(), 1u);
  EXPECT_EQ(fast.cpu->pc(), code + 0x6C);
  EXPECT_EQ(fast.cpu->traps_taken(), 1u);
}

TEST(iss_blocks, every_budget_boundary_matches) {
  // Budgets of 1 to 23 cycles end runs inside blocks, on block ends and on slow instructions;
  // midway the DMI region is dropped and granted again (the blocks go with it).
  twin fast(false), slow(true);
  load_block_program(fast);
  load_block_program(slow);
  stop_reason rf = stop_reason::budget;
  for (int i = 0; i < 20000 && rf != stop_reason::wfi; ++i) {
    const std::uint64_t budget = 1 + static_cast<std::uint64_t>(i * 7) % 23;
    rf = fast.cpu->run(fast.cpu->cycles() + budget);
    const stop_reason rs = slow.cpu->run(slow.cpu->cycles() + budget);
    ASSERT_EQ(rf, rs) << "run " << i;
    ASSERT_EQ(fast.cpu->pc(), slow.cpu->pc()) << "run " << i;
    ASSERT_EQ(fast.cpu->cycles(), slow.cpu->cycles()) << "run " << i;
    if (i == 300) {
      for (twin* t : {&fast, &slow}) {
        t->cpu->invalidate_dmi(0, ~std::uint64_t{0});
        t->attach();
      }
    }
  }
  ASSERT_EQ(rf, stop_reason::wfi);
  expect_same(fast, slow, "after the run");
}

TEST(iss_blocks, code_rewritten_between_runs_and_by_a_bus_access_is_seen) {
  using namespace enc;
  twin t(false);
  // 0: addi x5, x5, 1   4: addi x6, x6, -1   8: bne x6, x0, -8   c: wfi
  t.put32(code, addi(5, 5, 1));
  t.put32(code + 4, addi(6, 6, -1));
  t.put32(code + 8, bne(6, 0, -8));
  t.put32(code + 12, wfi);
  t.cpu->set_reg(6, 3);
  EXPECT_EQ(t.cpu->run(10000), stop_reason::wfi);
  EXPECT_EQ(t.cpu->reg(5), 3u);
  // Rewritten behind the ISS's back (a DMA, a debugger) while it was not running.
  t.put32(code, addi(5, 5, 10));
  t.cpu->set_pc(code);
  t.cpu->set_reg(6, 2);
  EXPECT_EQ(t.cpu->run(t.cpu->cycles() + 10000), stop_reason::wfi);
  EXPECT_EQ(t.cpu->reg(5), 23u);
}

// ------------------------------------------------------------------ debug hooks (GDB)

TEST_F(iss, breakpoint_stops_before_the_instruction_executes) {
  using namespace enc;
  program({addi(5, 0, 1), addi(6, 0, 2), addi(7, 0, 3), wfi});
  cpu->add_breakpoint(code + 4);
  EXPECT_TRUE(cpu->has_breakpoint(code + 4));
  EXPECT_EQ(run(), stop_reason::breakpoint);
  EXPECT_EQ(cpu->pc(), code + 4);
  EXPECT_EQ(cpu->reg(5), 1u);
  EXPECT_EQ(cpu->reg(6), 0u) << "the instruction at the breakpoint must not have executed";
  EXPECT_EQ(cpu->instret(), 1u);
  // Reached again: it stops again (the debugger steps over it by removing it first).
  EXPECT_EQ(run(), stop_reason::breakpoint);
  EXPECT_TRUE(cpu->remove_breakpoint(code + 4));
  EXPECT_FALSE(cpu->remove_breakpoint(code + 4));
  EXPECT_EQ(run(), stop_reason::wfi);
  EXPECT_EQ(cpu->reg(7), 3u);
}

TEST_F(iss, breakpoint_set_twice_needs_two_removes) {
  using namespace enc;
  program({nop, nop, wfi});
  cpu->add_breakpoint(code + 4);
  cpu->add_breakpoint(code + 4);
  EXPECT_TRUE(cpu->remove_breakpoint(code + 4));
  EXPECT_EQ(run(), stop_reason::breakpoint);
  EXPECT_TRUE(cpu->remove_breakpoint(code + 4));
  EXPECT_EQ(run(), stop_reason::wfi);
}

TEST_F(iss, breakpoint_in_a_loop_stops_every_iteration) {
  using namespace enc;
  program({addi(5, 5, 1), jal(0, -4)});
  cpu->add_breakpoint(code);
  for (std::uint32_t i = 0; i < 3; ++i) {
    EXPECT_EQ(run(), stop_reason::breakpoint);
    EXPECT_EQ(cpu->reg(5), i);
    // Step over it as GDB does: remove, step, insert.
    cpu->remove_breakpoint(code);
    cpu->set_single_step(true);
    EXPECT_EQ(run(), stop_reason::step);
    cpu->set_single_step(false);
    cpu->add_breakpoint(code);
  }
  cpu->clear_breakpoints();
  EXPECT_EQ(run(100), stop_reason::budget);
  EXPECT_GT(cpu->reg(5), 10u);
}

TEST_F(iss, single_step_executes_one_instruction) {
  using namespace enc;
  put32(code, addi(5, 0, 7));
  put16(code + 4, c_li(6, 9));
  put32(code + 6, beq(0, 0, 8));
  put32(code + 14, wfi);
  cpu->set_single_step(true);
  EXPECT_EQ(run(), stop_reason::step);
  EXPECT_EQ(cpu->pc(), code + 4);
  EXPECT_EQ(cpu->reg(5), 7u);
  cpu->set_single_step(true);
  EXPECT_EQ(run(), stop_reason::step);
  EXPECT_EQ(cpu->pc(), code + 6) << "a compressed instruction is one step";
  EXPECT_EQ(cpu->reg(6), 9u);
  cpu->set_single_step(true);
  EXPECT_EQ(run(), stop_reason::step);
  EXPECT_EQ(cpu->pc(), code + 14) << "a taken branch";
  EXPECT_EQ(cpu->instret(), 3u);
  cpu->set_single_step(false);
  EXPECT_EQ(run(), stop_reason::wfi);
}

TEST_F(iss, single_step_of_a_trapping_instruction_stops_in_the_handler) {
  wfi_handler();
  program({enc::ecall});
  cpu->set_single_step(true);
  EXPECT_EQ(run(), stop_reason::step);
  EXPECT_EQ(cpu->pc(), handler);
  EXPECT_EQ(csr(mcause), cause::ecall_m);
}

TEST_F(iss, single_step_of_a_fault_without_handler_reports_the_fault) {
  program({enc::ecall});
  cpu->set_single_step(true);
  EXPECT_EQ(run(), stop_reason::unhandled_trap);
  EXPECT_EQ(cpu->pc(), code) << "the pc stays on the faulting instruction";
}

TEST_F(iss, single_step_holds_interrupts_back) {
  using namespace enc;
  loop_handler(false);
  program({addi(5, 0, 1), addi(6, 0, 2), jal(0, 0)});
  ASSERT_TRUE(cpu->write_csr(mie, 1u << cause::mti));
  ASSERT_TRUE(cpu->write_csr(mstatus, mstatus_mie));
  cpu->set_irq(cause::mti, true);
  cpu->set_single_step(true);
  EXPECT_EQ(run(), stop_reason::step);
  EXPECT_EQ(cpu->pc(), code + 4) << "stepping must not enter the interrupt handler";
  cpu->set_single_step(true);
  EXPECT_EQ(run(), stop_reason::step);
  EXPECT_EQ(cpu->pc(), code + 8);
  // Running freely again: the pending interrupt is taken at once.
  cpu->set_single_step(false);
  EXPECT_EQ(run(100), stop_reason::budget);
  EXPECT_EQ(cpu->pc(), handler);
  EXPECT_EQ(csr(mepc), code + 8);
}

TEST_F(iss, breakpoint_in_an_interrupt_handler_is_hit) {
  using namespace enc;
  loop_handler(false);
  program({jal(0, 0)});
  cpu->add_breakpoint(handler);
  ASSERT_TRUE(cpu->write_csr(mie, 1u << cause::mti));
  ASSERT_TRUE(cpu->write_csr(mstatus, mstatus_mie));
  EXPECT_EQ(run(50), stop_reason::budget);
  cpu->set_irq(cause::mti, true);
  EXPECT_EQ(run(), stop_reason::breakpoint);
  EXPECT_EQ(cpu->pc(), handler);
  EXPECT_EQ(csr(mcause), cause::interrupt | cause::mti);
}

TEST_F(iss, single_step_across_budgets_and_wfi) {
  using namespace enc;
  program({wfi, addi(5, 0, 1), wfi});
  cpu->set_single_step(true);
  // WFI with nothing pending retires and sleeps; the step is done once the core runs again.
  EXPECT_EQ(run(), stop_reason::wfi);
  EXPECT_EQ(run(), stop_reason::step);
  EXPECT_EQ(cpu->pc(), code + 4);
  EXPECT_EQ(cpu->reg(5), 0u);
}

TEST_F(iss, write_watchpoint_stops_before_the_store) {
  using namespace enc;
  program({sw(2, 1, 0), lw(3, 1, 8), sw(2, 1, 8), wfi});
  cpu->set_reg(1, data);
  cpu->set_reg(2, 0x11223344u);
  cpu->add_watchpoint(data + 8, 4, edgevp::cpu::watch_kind::write);
  EXPECT_EQ(run(), stop_reason::watchpoint);
  EXPECT_EQ(cpu->pc(), code + 8) << "the load of the watched word does not trigger a write watchpoint";
  EXPECT_EQ(get32(data + 8), 0u) << "the store has not happened yet";
  EXPECT_EQ(cpu->watch_address(), data + 8);
  EXPECT_EQ(cpu->watch_hit_kind(), edgevp::cpu::watch_kind::write);
  // GDB steps over the access with the watchpoint removed.
  EXPECT_TRUE(cpu->remove_watchpoint(data + 8, 4, edgevp::cpu::watch_kind::write));
  EXPECT_FALSE(cpu->remove_watchpoint(data + 8, 4, edgevp::cpu::watch_kind::write));
  EXPECT_EQ(run(), stop_reason::wfi);
  EXPECT_EQ(get32(data + 8), 0x11223344u);
}

TEST_F(iss, read_and_access_watchpoints) {
  using namespace enc;
  program({sw(2, 1, 0), lbu(3, 1, 2), wfi});
  cpu->set_reg(1, data);
  cpu->add_watchpoint(data, 4, edgevp::cpu::watch_kind::read);
  EXPECT_EQ(run(), stop_reason::watchpoint);
  EXPECT_EQ(cpu->pc(), code + 4) << "the store passes a read watchpoint; the byte load stops";
  EXPECT_EQ(cpu->watch_address(), data + 2);
  EXPECT_EQ(cpu->watch_hit_kind(), edgevp::cpu::watch_kind::read);
  cpu->clear_breakpoints();
  cpu->reset(code);
  cpu->set_reg(1, data);
  cpu->add_watchpoint(data + 3, 1, edgevp::cpu::watch_kind::access);
  EXPECT_EQ(run(), stop_reason::watchpoint);
  EXPECT_EQ(cpu->pc(), code) << "a word store overlapping the watched byte";
  EXPECT_EQ(cpu->watch_address(), data + 3);
  EXPECT_EQ(cpu->watch_hit_kind(), edgevp::cpu::watch_kind::access);
}

TEST_F(iss, watchpoints_see_compressed_and_atomic_accesses) {
  using namespace enc;
  // c.sw a0, 0(a1) = 0xc188; then amoadd.w x3, x2, (x1).
  put16(code, 0xc188);
  put32(code + 2, amoadd(3, 1, 2));
  put32(code + 6, wfi);
  cpu->set_reg(10, 5);
  cpu->set_reg(11, data + 16);
  cpu->set_reg(1, data + 32);
  cpu->add_watchpoint(data + 16, 4, edgevp::cpu::watch_kind::write);
  cpu->add_watchpoint(data + 32, 4, edgevp::cpu::watch_kind::read);
  EXPECT_EQ(run(), stop_reason::watchpoint);
  EXPECT_EQ(cpu->pc(), code);
  ASSERT_TRUE(cpu->remove_watchpoint(data + 16, 4, edgevp::cpu::watch_kind::write));
  EXPECT_EQ(run(), stop_reason::watchpoint);
  EXPECT_EQ(cpu->pc(), code + 2) << "an AMO reads";
  EXPECT_EQ(get32(data + 16), 5u);
  ASSERT_TRUE(cpu->remove_watchpoint(data + 32, 4, edgevp::cpu::watch_kind::read));
  EXPECT_EQ(run(), stop_reason::wfi);
}

TEST_F(iss, watchpoint_elsewhere_lets_the_program_run) {
  using namespace enc;
  program({sw(2, 1, 0), sw(2, 1, 4), lw(3, 1, 12), wfi});
  cpu->set_reg(1, data);
  cpu->add_watchpoint(data + 8, 4, edgevp::cpu::watch_kind::access);
  EXPECT_EQ(run(), stop_reason::wfi);
  EXPECT_EQ(cpu->instret(), 4u);
}

// ------------------------------------------------------------------ privilege, PMP, counters

constexpr std::uint32_t mcounteren = 0x306, mcountinhibit = 0x320, time_lo = 0xC01, time_hi = 0xC81,
                        pmpcfg0 = 0x3A0, pmpaddr0 = 0x3B0, instret = 0xC02;
constexpr std::uint32_t user_code = ram_base + 0x2000;
constexpr std::uint32_t pmp_r = 1, pmp_w = 2, pmp_x = 4, pmp_tor = 1u << 3, pmp_na4 = 2u << 3,
                        pmp_napot = 3u << 3, pmp_l = 0x80;
// pmpaddr of a NAPOT range [base, base + size), size a power of two >= 8.
constexpr std::uint32_t napot(std::uint32_t base, std::uint32_t size) {
  return (base >> 2) | ((size >> 3) - 1);
}

class iss_priv : public iss {
 protected:
  // Enters user mode at user_code through mret (from M-mode code at `code`), with the user program.
  void to_user(std::initializer_list<std::uint32_t> user_program) {
    program(user_program, user_code);
    program({enc::mret});
    ASSERT_TRUE(cpu->write_csr(mepc, user_code));
    ASSERT_TRUE(cpu->write_csr(mstatus, 0));  // MPP = user
  }
  // PMP entry 0 (NAPOT): the whole RAM readable, writable, executable for user mode.
  void allow_ram(unsigned entry, std::uint32_t perms = pmp_r | pmp_w | pmp_x) {
    set_pmp(entry, napot(ram_base, ram_size), pmp_napot | perms);
  }
  void set_pmp(unsigned entry, std::uint32_t addr, std::uint32_t cfg) {
    ASSERT_TRUE(cpu->write_csr(pmpaddr0 + entry, addr));
    std::uint32_t word = csr(pmpcfg0 + entry / 4);
    word = (word & ~(0xFFu << (8 * (entry % 4)))) | (cfg << (8 * (entry % 4)));
    ASSERT_TRUE(cpu->write_csr(pmpcfg0 + entry / 4, word));
  }
};

TEST_F(iss_priv, mret_enters_user_mode_and_ecall_returns_to_machine_mode) {
  wfi_handler();
  allow_ram(0);
  to_user({enc::addi(5, 0, 7), enc::ecall});
  expect_trap(cause::ecall_u, 0, user_code + 4);
  EXPECT_EQ(cpu->reg(5), 7u);
  EXPECT_EQ(cpu->privilege(), 3u);
  EXPECT_EQ(csr(mstatus) & mstatus_mpp, 0u) << "MPP records the mode the trap came from";
}

TEST_F(iss_priv, machine_csrs_mret_and_wfi_with_tw_are_illegal_in_user_mode) {
  allow_ram(0);
  for (std::uint32_t insn : {enc::csrrs(3, mstatus, 0), enc::mret, enc::csrrw(0, mtvec, 1)}) {
    cpu->reset(code);
    wfi_handler();
    allow_ram(0);
    to_user({insn});
    expect_trap(cause::illegal_insn, insn, user_code);
  }
  cpu->reset(code);
  wfi_handler();
  allow_ram(0);
  to_user({enc::wfi});
  ASSERT_TRUE(cpu->write_csr(mstatus, 1u << 21));  // TW, MPP = user
  expect_trap(cause::illegal_insn, enc::wfi, user_code);
}

TEST_F(iss_priv, user_counters_follow_mcounteren) {
  wfi_handler();
  allow_ram(0);
  to_user({enc::csrrs(3, cycle, 0), enc::ecall});
  expect_trap(cause::illegal_insn, enc::csrrs(3, cycle, 0), user_code);
  cpu->reset(code);
  wfi_handler();
  allow_ram(0);
  ASSERT_TRUE(cpu->write_csr(mcounteren, 5));  // CY, IR
  to_user({enc::csrrs(3, cycle, 0), enc::csrrs(4, instret, 0), enc::ecall});
  expect_trap(cause::ecall_u, 0, user_code + 8);
  EXPECT_GT(cpu->reg(3), 0u);
  EXPECT_GT(cpu->reg(4), 0u);
}

TEST_F(iss_priv, machine_interrupts_are_taken_in_user_mode_whatever_mie) {
  loop_handler(false);
  allow_ram(0);
  ASSERT_TRUE(cpu->write_csr(mie, 1u << cause::mti));
  to_user({enc::jal(0, 0)});  // MIE stays 0
  EXPECT_EQ(run(100), stop_reason::budget);
  EXPECT_EQ(cpu->privilege(), 0u);
  cpu->set_irq(cause::mti, true);
  run(100);
  EXPECT_EQ(cpu->privilege(), 3u);
  EXPECT_EQ(csr(mcause), cause::interrupt | cause::mti);
}

TEST_F(iss_priv, user_mode_needs_a_matching_pmp_entry) {
  wfi_handler();
  to_user({enc::nop});  // no entry at all: not even fetch
  expect_trap(cause::insn_access, user_code, user_code);
}

TEST_F(iss_priv, tor_entry_grants_its_range_and_nothing_else) {
  wfi_handler();
  // Entry 0 (TOR from 0): code, executable. Entry 1 (TOR): [data, data + 0x100) read/write.
  set_pmp(0, (ram_base + 0x4000) >> 2, pmp_tor | pmp_x | pmp_r);
  set_pmp(1, data >> 2, 0);  // only the bottom of entry 2's range
  set_pmp(2, (data + 0x100) >> 2, pmp_tor | pmp_r | pmp_w);
  cpu->set_reg(1, data);
  to_user({enc::sw(1, 1, 0), enc::lw(2, 1, 0xFC), enc::lw(3, 1, 0x100)});
  expect_trap(cause::load_access, data + 0x100, user_code + 8);
  EXPECT_EQ(get32(data), data);
  cpu->reset(code);
  wfi_handler();
  set_pmp(0, (ram_base + 0x4000) >> 2, pmp_tor | pmp_x | pmp_r);
  set_pmp(2, (data + 0x100) >> 2, pmp_tor | pmp_r);
  set_pmp(1, data >> 2, 0);
  cpu->set_reg(1, data);
  to_user({enc::sw(1, 1, 4)});
  expect_trap(cause::store_access, data + 4, user_code);
}

TEST_F(iss_priv, na4_and_napot_match_exactly_and_the_lowest_entry_wins) {
  wfi_handler();
  set_pmp(0, (data + 8) >> 2, pmp_na4);  // one word, no permission
  allow_ram(1);                          // everything else
  cpu->set_reg(1, data);
  to_user({enc::lw(2, 1, 4), enc::lw(3, 1, 12), enc::lw(4, 1, 8)});
  expect_trap(cause::load_access, data + 8, user_code + 8);
  EXPECT_EQ(napot(data, 8) & 1u, 0u);
  EXPECT_EQ(napot(ram_base, ram_size), (ram_base >> 2) | 0x1FFFu);
}

TEST_F(iss_priv, locked_entries_bind_machine_mode_and_ignore_writes) {
  wfi_handler();
  set_pmp(0, napot(data, 0x100), pmp_napot | pmp_r | pmp_l);  // read-only, locked
  ASSERT_TRUE(cpu->write_csr(pmpcfg0, pmp_napot | pmp_r | pmp_w));
  ASSERT_TRUE(cpu->write_csr(pmpaddr0, 0));
  EXPECT_EQ(csr(pmpcfg0) & 0xFF, pmp_napot | pmp_r | pmp_l);
  EXPECT_EQ(csr(pmpaddr0), napot(data, 0x100));
  cpu->set_reg(1, data);
  program({enc::lw(2, 1, 0), enc::sw(2, 1, 0)});
  expect_trap(cause::store_access, data, code + 4);
}

TEST_F(iss_priv, unlocked_entries_do_not_bind_machine_mode) {
  wfi_handler();
  set_pmp(0, napot(data, 0x100), pmp_napot);  // no permission, not locked
  cpu->set_reg(1, data);
  program({enc::sw(1, 1, 0), enc::wfi});
  EXPECT_EQ(run(), stop_reason::wfi);
  EXPECT_EQ(cpu->pc(), code + 8);
  EXPECT_EQ(get32(data), data);
}

TEST_F(iss_priv, mprv_gives_machine_loads_and_stores_user_permissions) {
  wfi_handler();
  set_pmp(0, napot(data, 0x100), pmp_napot | pmp_r);  // user: read-only
  cpu->set_reg(1, data);
  ASSERT_TRUE(cpu->write_csr(mstatus, 1u << 17));  // MPRV, MPP = user
  program({enc::lw(2, 1, 0), enc::sw(2, 1, 0)});
  expect_trap(cause::store_access, data, code + 4);
}

TEST_F(iss_priv, reserved_rw_combination_and_missing_entries_read_zero) {
  ASSERT_TRUE(cpu->write_csr(pmpcfg0, pmp_napot | pmp_w));
  EXPECT_EQ(csr(pmpcfg0) & 0xFF, pmp_napot) << "R=0 W=1 is reserved: W is cleared";
  ASSERT_TRUE(cpu->write_csr(pmpaddr0 + 20, 0x1234));
  EXPECT_EQ(csr(pmpaddr0 + 20), 0u) << "entries past pmp_entries are read-only zero";
  edgevp::cpu::isa_config four;
  four.pmp_entries = 4;
  build({}, four);
  ASSERT_TRUE(cpu->write_csr(pmpcfg0 + 1, 0x0F0F0F0Fu));
  EXPECT_EQ(csr(pmpcfg0 + 1), 0u);
  ASSERT_TRUE(cpu->write_csr(pmpaddr0 + 3, 0x55));
  EXPECT_EQ(csr(pmpaddr0 + 3), 0x55u);
}

TEST_F(iss_priv, without_pmp_user_mode_reaches_everything) {
  edgevp::cpu::isa_config none;
  none.pmp_entries = 0;
  build({}, none);
  wfi_handler();
  cpu->set_reg(1, data);
  to_user({enc::sw(1, 1, 0), enc::ecall});
  expect_trap(cause::ecall_u, 0, user_code + 4);
  EXPECT_EQ(get32(data), data);
}

TEST_F(iss, time_csr_reads_the_time_source_and_is_illegal_without_one) {
  wfi_handler();
  program({enc::csrrs(3, time_lo, 0)});
  expect_trap(cause::illegal_insn, enc::csrrs(3, time_lo, 0), code);
  cpu->reset(code);
  wfi_handler();
  cpu->time_source = [] { return 0x123456789ull; };
  program({enc::csrrs(3, time_lo, 0), enc::csrrs(4, time_hi, 0), enc::wfi});
  EXPECT_EQ(run(), stop_reason::wfi);
  EXPECT_EQ(cpu->reg(3), 0x23456789u);
  EXPECT_EQ(cpu->reg(4), 0x1u);
}

TEST_F(iss, mcountinhibit_freezes_mcycle_and_minstret) {
  ASSERT_TRUE(cpu->write_csr(mcountinhibit, 5));
  const std::uint32_t c0 = csr(mcycle), i0 = csr(minstret);
  program({enc::nop, enc::nop, enc::nop, enc::wfi});
  EXPECT_EQ(run(), stop_reason::wfi);
  EXPECT_EQ(csr(mcycle), c0);
  EXPECT_EQ(csr(minstret), i0);
  ASSERT_TRUE(cpu->write_csr(mcountinhibit, 0));
  cpu->set_pc(code);
  EXPECT_EQ(run(), stop_reason::wfi);
  EXPECT_EQ(csr(minstret), i0 + 4);
  EXPECT_GT(csr(mcycle), c0);
}

TEST_F(iss, emulated_misaligned_accesses_read_and_write_the_bytes_with_an_extra_cycle) {
  edgevp::cpu::isa_config isa;
  isa.misaligned = true;
  // The same three accesses aligned, then misaligned: one extra cycle each.
  build({}, isa);
  program({enc::sw(2, 1, 0), enc::lw(3, 1, 0), enc::lh(4, 1, 2), enc::wfi});
  cpu->set_reg(1, data);
  cpu->set_reg(2, 0x8899AABBu);
  ASSERT_EQ(run(), stop_reason::wfi);
  const std::uint64_t aligned = cpu->cycles();
  build({}, isa);
  program({enc::sw(2, 1, 1), enc::lw(3, 1, 1), enc::lh(4, 1, 3), enc::wfi});
  cpu->set_reg(1, data);
  cpu->set_reg(2, 0x8899AABBu);
  ASSERT_EQ(run(), stop_reason::wfi);
  EXPECT_EQ(cpu->reg(3), 0x8899AABBu);
  EXPECT_EQ(cpu->reg(4), 0xFFFF8899u);  // bytes 3, 4: 0x99, 0x88, sign-extended
  EXPECT_EQ(ram[data - ram_base + 1], 0xBB);
  EXPECT_EQ(ram[data - ram_base + 4], 0x88);
  EXPECT_EQ(cpu->cycles() - aligned, 3u);
}

// ------------------------------------------------------------------ debug triggers

constexpr std::uint32_t tselect = 0x7A0, tdata1 = 0x7A1, tdata2 = 0x7A2, tinfo = 0x7A4;
constexpr std::uint32_t mc_type2 = 2u << 28, mc_hit = 1u << 20, mc_m = 1u << 6, mc_u = 1u << 3,
                        mc_x = 1u << 2, mc_s = 1u << 1, mc_l = 1u;

TEST_F(iss, trigger_csrs_read_back_what_this_core_implements) {
  EXPECT_EQ(csr(tinfo), 1u << 2);
  ASSERT_TRUE(cpu->write_csr(tselect, 3));
  EXPECT_EQ(csr(tselect), 3u);
  ASSERT_TRUE(cpu->write_csr(tselect, 4));
  EXPECT_EQ(csr(tselect), 3u) << "no trigger 4: the selection stays";
  ASSERT_TRUE(cpu->write_csr(tdata1, mc_type2 | mc_m | mc_x));
  EXPECT_EQ(csr(tdata1), mc_type2 | mc_m | mc_x);
  ASSERT_TRUE(cpu->write_csr(tdata1, 0xFFFFFFFFu));  // every field: only the implemented ones stay
  EXPECT_EQ(csr(tdata1), mc_type2 | mc_hit | mc_m | mc_u | mc_x | mc_s | mc_l);  // match 15: equal
  ASSERT_TRUE(cpu->write_csr(tdata1, mc_type2 | (3u << 7) | mc_m | mc_l));
  EXPECT_EQ(csr(tdata1), mc_type2 | (3u << 7) | mc_m | mc_l);  // match 3 (less than) is kept
  ASSERT_TRUE(cpu->write_csr(tdata1, 1u << 7));  // match 1 (napot) is not implemented: equal
  EXPECT_EQ(csr(tdata1), mc_type2);
}

TEST_F(iss, execute_trigger_raises_a_breakpoint_before_the_instruction) {
  wfi_handler();
  program({enc::addi(1, 0, 1), enc::addi(2, 0, 2), enc::addi(3, 0, 3)});
  ASSERT_TRUE(cpu->write_csr(tdata2, code + 4));
  ASSERT_TRUE(cpu->write_csr(tdata1, mc_type2 | mc_m | mc_x));
  expect_trap(cause::breakpoint, code + 4, code + 4);
  EXPECT_EQ(cpu->reg(1), 1u);
  EXPECT_EQ(cpu->reg(2), 0u) << "the instruction did not execute";
  EXPECT_NE(csr(tdata1) & mc_hit, 0u);
}

TEST_F(iss, load_and_store_triggers_stop_the_access) {
  wfi_handler();
  put32(data, 0x1234);
  cpu->set_reg(1, data);
  cpu->set_reg(5, 99);
  program({enc::lw(2, 1, 0), enc::sw(5, 1, 0)});
  ASSERT_TRUE(cpu->write_csr(tselect, 1));
  ASSERT_TRUE(cpu->write_csr(tdata2, data));
  ASSERT_TRUE(cpu->write_csr(tdata1, mc_type2 | mc_m | mc_s));  // stores only: the load passes
  expect_trap(cause::breakpoint, data, code + 4);
  EXPECT_EQ(cpu->reg(2), 0x1234u);
  EXPECT_EQ(get32(data), 0x1234u) << "the store did not happen";
  cpu->reset(code);
  wfi_handler();
  cpu->set_reg(1, data);
  ASSERT_TRUE(cpu->write_csr(tdata2, data + 2));  // inside the word the load reads
  ASSERT_TRUE(cpu->write_csr(tdata1, mc_type2 | mc_m | mc_l));
  expect_trap(cause::breakpoint, data, code);
}

TEST_F(iss_priv, a_user_mode_trigger_does_not_fire_in_machine_mode) {
  wfi_handler();
  allow_ram(0);
  ASSERT_TRUE(cpu->write_csr(tdata2, user_code + 4));
  ASSERT_TRUE(cpu->write_csr(tdata1, mc_type2 | mc_u | mc_x));
  program({enc::nop, enc::nop}, code + 0x100);  // the same offsets in machine mode: no trigger
  to_user({enc::addi(6, 0, 1), enc::addi(7, 0, 1)});
  expect_trap(cause::breakpoint, user_code + 4, user_code + 4);
  EXPECT_EQ(cpu->reg(6), 1u);
  EXPECT_EQ(cpu->reg(7), 0u);
}


TEST_F(iss, trace_marks_an_instruction_that_trapped) {
  wfi_handler();
  std::ostringstream os;
  cpu->set_trace(&os);
  program({enc::addi(1, 0, 5), enc::csrrs(3, 0x7FF, 0), enc::addi(2, 0, 6)});
  expect_trap(cause::illegal_insn, enc::csrrs(3, 0x7FF, 0), code + 4);
  const std::string t = os.str();
  EXPECT_NE(t.find("80000000: 00500093 addi ra,zero,5\n"), std::string::npos) << t;
  EXPECT_NE(t.find("80000004: 7ff021f3 csrrs gp,0x7ff,zero   # trapped: mcause 2, not retired\n"), std::string::npos)
      << t;
  EXPECT_EQ(t.find("80000008:"), std::string::npos) << "never reached";
}

// Blocks under a PMP (user mode): the fast path runs the user task's loop in blocks, checks each
// load and store against the PMP, and stops before the one it refuses, where step() takes the
// store access fault: pc, cycles, counts, registers and the trap equal running one instruction at
// a time.
TEST(iss_blocks, user_mode_under_pmp_matches_one_instruction_at_a_time) {
  using namespace enc;
  twin fast(false), slow(true);
  const std::uint32_t denied = data + 0x40;
  for (twin* t : {&fast, &slow}) {
    const std::uint32_t prog[] = {
        lui(8, data >> 12),  // 00 x8 = data
        addi(10, 0, 50),     // 04 loop count
        lw(12, 8, 0),        // 08 loop:
        add(11, 11, 12),     // 0c
        sw(11, 8, 4),        // 10
        sb(10, 8, 8),        // 14
        lh(13, 8, 8),        // 18
        mul(14, 13, 11),     // 1c
        addi(10, 10, -1),    // 20
        bne(10, 0, -0x1C),   // 24 -> 08
        sw(11, 8, 0x40),     // 28 the word no entry allows: store access fault
        addi(15, 0, 1),      // 2c (not reached)
    };
    std::uint32_t at = user_code;
    for (std::uint32_t w : prog) {
      t->put32(at, w);
      at += 4;
    }
    t->put32(code, mret);
    t->put32(handler, wfi);
    ASSERT_TRUE(t->cpu->write_csr(mtvec, handler));
    ASSERT_TRUE(t->cpu->write_csr(mepc, user_code));
    ASSERT_TRUE(t->cpu->write_csr(mstatus, 0));  // MPP = user
    // Entry 0: the denied word, no permission (the lowest entry wins); entry 1: all RAM.
    ASSERT_TRUE(t->cpu->write_csr(pmpaddr0, denied >> 2));
    ASSERT_TRUE(t->cpu->write_csr(pmpaddr0 + 1, napot(ram_base, ram_size)));
    ASSERT_TRUE(t->cpu->write_csr(pmpcfg0, pmp_na4 | (std::uint32_t{pmp_napot | pmp_r | pmp_w | pmp_x} << 8)));
    t->put32(data, 3);
  }
  stop_reason rf = stop_reason::budget;
  for (int i = 0; i < 20000 && rf != stop_reason::wfi; ++i) {
    const std::uint64_t budget = 1 + static_cast<std::uint64_t>(i * 5) % 17;  // runs end inside blocks too
    rf = fast.cpu->run(fast.cpu->cycles() + budget);
    const stop_reason rs = slow.cpu->run(slow.cpu->cycles() + budget);
    ASSERT_EQ(rf, rs) << "run " << i;
    ASSERT_EQ(fast.cpu->pc(), slow.cpu->pc()) << "run " << i;
    ASSERT_EQ(fast.cpu->cycles(), slow.cpu->cycles()) << "run " << i;
  }
  ASSERT_EQ(rf, stop_reason::wfi);
  expect_same(fast, slow, "after the run");
  std::uint32_t cause_f = 0, tval_f = 0, epc_f = 0;
  ASSERT_TRUE(fast.cpu->read_csr(mcause, cause_f));
  ASSERT_TRUE(fast.cpu->read_csr(mtval, tval_f));
  ASSERT_TRUE(fast.cpu->read_csr(mepc, epc_f));
  EXPECT_EQ(cause_f, cause::store_access);
  EXPECT_EQ(tval_f, denied);
  EXPECT_EQ(epc_f, user_code + 0x28);
  EXPECT_EQ(fast.cpu->reg(15), 0u);
  EXPECT_EQ(fast.cpu->instret(), 2u + 50 * 8 + 1 + 1) << "mret, the task up to the faulting store, the handler's wfi";
}

// A block the user may not execute, cached while machine mode ran it, reached by a user jump that
// chains into it: the instruction access fault of one instruction at a time.
TEST(iss_blocks, user_jump_into_a_cached_machine_only_block_faults) {
  using namespace enc;
  twin fast(false), slow(true);
  const std::uint32_t kfn = code + 0x100;  // entry 0: [code, code + 0x1000), nothing for the user
  for (twin* t : {&fast, &slow}) {
    t->put32(code, jal(1, 0x100));  // machine: call kfn, which caches its block
    t->put32(code + 4, mret);       // then user mode
    t->put32(kfn, addi(5, 5, 1));
    t->put32(kfn + 4, jalr(0, 1, 0));
    t->put32(user_code, addi(6, 0, 1));
    t->put32(user_code + 4, jal(0, static_cast<std::int32_t>(kfn - (user_code + 4))));
    t->put32(handler, wfi);
    ASSERT_TRUE(t->cpu->write_csr(mtvec, handler));
    ASSERT_TRUE(t->cpu->write_csr(mepc, user_code));
    ASSERT_TRUE(t->cpu->write_csr(mstatus, 0));  // MPP = user
    ASSERT_TRUE(t->cpu->write_csr(pmpaddr0, napot(code, 0x1000)));
    ASSERT_TRUE(t->cpu->write_csr(pmpaddr0 + 1, napot(ram_base, ram_size)));
    ASSERT_TRUE(t->cpu->write_csr(pmpcfg0, pmp_napot | (std::uint32_t{pmp_napot | pmp_r | pmp_w | pmp_x} << 8)));
  }
  // One budget: no new run() between machine mode's call and the user's jump, so the jump chains.
  ASSERT_EQ(fast.cpu->run(fast.cpu->cycles() + 100000), stop_reason::wfi);
  ASSERT_EQ(slow.cpu->run(slow.cpu->cycles() + 100000), stop_reason::wfi);
  expect_same(fast, slow, "after the run");
  std::uint32_t c = 0, tv = 0, epc = 0;
  ASSERT_TRUE(fast.cpu->read_csr(mcause, c));
  ASSERT_TRUE(fast.cpu->read_csr(mtval, tv));
  ASSERT_TRUE(fast.cpu->read_csr(mepc, epc));
  EXPECT_EQ(c, cause::insn_access);
  EXPECT_EQ(tv, kfn);
  EXPECT_EQ(epc, kfn);
  EXPECT_EQ(fast.cpu->reg(5), 1u) << "kfn ran once, in machine mode";
}

// A load refused in the middle of a block (x8 walks 4 bytes an iteration into a word no entry
// allows), in user mode, and the same code run by machine mode with MPRV and MPP = user (fetch
// as machine, outside every entry; loads and stores as the user): both fault on the 21st
// iteration's load, the block's second instruction, as one instruction at a time does.
TEST(iss_blocks, a_load_refused_mid_block_matches_one_instruction_at_a_time) {
  using namespace enc;
  const std::uint32_t denied = data + 4 * 20;
  for (const bool mprv : {false, true}) {
    twin fast(false), slow(true);
    const std::uint32_t at0 = mprv ? code + 0x100 : user_code;
    for (twin* t : {&fast, &slow}) {
      const std::uint32_t prog[] = {
          lui(8, data >> 12),  // 00
          addi(10, 0, 40),     // 04
          add(11, 11, 10),     // 08 loop:
          lw(12, 8, 0),        // 0c refused on the 21st iteration
          addi(8, 8, 4),       // 10
          addi(10, 10, -1),    // 14
          bne(10, 0, -16),     // 18 -> 08
          addi(15, 0, 1),      // 1c (not reached)
      };
      std::uint32_t at = at0;
      for (std::uint32_t w : prog) {
        t->put32(at, w);
        at += 4;
      }
      t->put32(code, mret);
      t->put32(handler, wfi);
      ASSERT_TRUE(t->cpu->write_csr(mtvec, handler));
      ASSERT_TRUE(t->cpu->write_csr(mepc, at0));
      // User: mret at `code` enters the task at at0 (MPP = user). MPRV: machine mode starts at at0
      // itself, with MPRV set and MPP = user (below).
      ASSERT_TRUE(t->cpu->write_csr(mstatus, 0));
      ASSERT_TRUE(t->cpu->write_csr(pmpaddr0, denied >> 2));
      ASSERT_TRUE(t->cpu->write_csr(pmpaddr0 + 1, napot(data, 0x1000)));
      // The user may execute user_code's page only; loads and stores in data's page.
      ASSERT_TRUE(t->cpu->write_csr(pmpaddr0 + 2, napot(user_code, 0x1000)));
      ASSERT_TRUE(t->cpu->write_csr(pmpcfg0, pmp_na4 | (std::uint32_t{pmp_napot | pmp_r | pmp_w} << 8) |
                                                 (std::uint32_t{pmp_napot | pmp_r | pmp_x} << 16)));
      if (mprv) {
        t->cpu->set_pc(at0);
        ASSERT_TRUE(t->cpu->write_csr(mstatus, 1u << 17));  // MPRV, MPP = user
      }
    }
    stop_reason rf = stop_reason::budget;
    for (int i = 0; i < 20000 && rf != stop_reason::wfi; ++i) {
      const std::uint64_t budget = 1 + static_cast<std::uint64_t>(i * 3) % 13;
      rf = fast.cpu->run(fast.cpu->cycles() + budget);
      const stop_reason rs = slow.cpu->run(slow.cpu->cycles() + budget);
      ASSERT_EQ(rf, rs) << (mprv ? "mprv" : "user") << " run " << i;
      ASSERT_EQ(fast.cpu->pc(), slow.cpu->pc()) << (mprv ? "mprv" : "user") << " run " << i;
      ASSERT_EQ(fast.cpu->cycles(), slow.cpu->cycles()) << (mprv ? "mprv" : "user") << " run " << i;
    }
    ASSERT_EQ(rf, stop_reason::wfi) << (mprv ? "mprv" : "user");
    expect_same(fast, slow, mprv ? "mprv" : "user");
    std::uint32_t c = 0, tv = 0, epc = 0;
    ASSERT_TRUE(fast.cpu->read_csr(mcause, c));
    ASSERT_TRUE(fast.cpu->read_csr(mtval, tv));
    ASSERT_TRUE(fast.cpu->read_csr(mepc, epc));
    EXPECT_EQ(c, cause::load_access) << (mprv ? "mprv" : "user");
    EXPECT_EQ(tv, denied) << (mprv ? "mprv" : "user");
    EXPECT_EQ(epc, at0 + 0x0C) << (mprv ? "mprv" : "user");
    EXPECT_EQ(fast.cpu->reg(10), 20u) << "the 21st iteration";
    EXPECT_EQ(fast.cpu->reg(15), 0u);
  }
}

}  // namespace

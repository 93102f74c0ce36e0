// Bench for models/cpu/rv32_disasm: representative encodings against the text GNU objdump 2.40
// prints for them (`objdump -d -M no-aliases`, tab -> one space, no ` <symbol>` suffix), and
// robustness on garbage. The exhaustive comparison with objdump is tests/disasm.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>

#include "models/cpu/rv32_disasm.h"

namespace {

using edgevp::cpu::disassemble;

struct sample {
  std::uint32_t insn;
  std::uint32_t pc;
  const char* text;
};

void expect_all(const sample* begin, const sample* end) {
  for (const sample* s = begin; s != end; ++s) {
    EXPECT_EQ(disassemble(s->insn, s->pc), s->text)
        << "insn 0x" << std::hex << s->insn << " at pc 0x" << s->pc;
  }
}

template <std::size_t n>
void expect_all(const sample (&table)[n]) {
  expect_all(table, table + n);
}

TEST(disasm, base_integer) {
  const sample table[] = {
      {0x00000013, 0, "addi zero,zero,0"},
      {0x80058513, 0, "addi a0,a1,-2048"},
      {0x7fff8f93, 0, "addi t6,t6,2047"},
      {0xff010113, 0, "addi sp,sp,-16"},
      {0xfff6a613, 0, "slti a2,a3,-1"},
      {0x01f01f93, 0, "slli t6,zero,0x1f"},
      {0x41ffdf13, 0, "srai t5,t6,0x1f"},
      {0x80000fb7, 0, "lui t6,0x80000"},
      {0xffffff97, 0, "auipc t6,0xfffff"},
      {0x40c58533, 0, "sub a0,a1,a2"},
      {0x41eede33, 0, "sra t3,t4,t5"},
      {0x0062f233, 0, "and tp,t0,t1"},
      {0x800f8003, 0, "lb zero,-2048(t6)"},
      {0x7ff01f83, 0, "lh t6,2047(zero)"},
      {0xfff12d83, 0, "lw s11,-1(sp)"},
      {0x00144083, 0, "lbu ra,1(s0)"},  // x8 is s0, never fp
      {0x81f00023, 0, "sb t6,-2048(zero)"},
      {0x7e14ae23, 0, "sw ra,2044(s1)"},
      {0x800f80e7, 0, "jalr ra,-2048(t6)"},
      {0x00008067, 0, "jalr zero,0(ra)"},
      {0x0274c433, 0, "div s0,s1,t2"},
      {0x0241b0b3, 0, "mulhu ra,gp,tp"},
      {0x03cdfd33, 0, "remu s10,s11,t3"},
  };
  expect_all(table);
}

TEST(disasm, branch_and_jump_targets_are_absolute) {
  const sample table[] = {
      {0xfeb506e3, 0x80000024, "beq a0,a1,80000010"},
      {0x7e000fe3, 0x40, "beq zero,zero,103e"},      // largest forward offset
      {0x800f9063, 0x44, "bne t6,zero,fffff044"},    // wraps below 0
      {0xff28dfe3, 0x4c, "bge a7,s2,4a"},
      {0x7ffff06f, 0x20, "jal zero,10001e"},
      {0x80000fef, 0x24, "jal t6,fff00024"},
      {0x8000006f, 0x80000000, "jal zero,7ff00000"},
      {0xfe5ff0ef, 0x1c, "jal ra,0"},
  };
  expect_all(table);
}

TEST(disasm, csr_names_and_numbers) {
  const sample table[] = {
      {0x30059573, 0, "csrrw a0,mstatus,a1"},
      {0xf1402ff3, 0, "csrrs t6,mhartid,zero"},
      {0x31051573, 0, "csrrw a0,mstatush,a0"},
      {0xc0002573, 0, "csrrs a0,cycle,zero"},
      {0xc8002573, 0, "csrrs a0,cycleh,zero"},
      {0xc0102573, 0, "csrrs a0,time,zero"},
      {0xc8102573, 0, "csrrs a0,timeh,zero"},
      {0xc8202573, 0, "csrrs a0,instreth,zero"},
      {0xb0059573, 0, "csrrw a0,mcycle,a1"},
      {0xb8259573, 0, "csrrw a0,minstreth,a1"},
      {0xb1159573, 0, "csrrw a0,mhpmcounter17,a1"},
      {0xb9f59573, 0, "csrrw a0,mhpmcounter31h,a1"},
      {0x33f59573, 0, "csrrw a0,mhpmevent31,a1"},
      {0x3ef51573, 0, "csrrw a0,pmpaddr63,a0"},
      {0x3af51573, 0, "csrrw a0,pmpcfg15,a0"},
      {0x7c002573, 0, "csrrs a0,0x7c0,zero"},
      {0xfff02573, 0, "csrrs a0,0xfff,zero"},
      {0x00007ff3, 0, "csrrci t6,0x0,0"},
      {0xc80fd573, 0, "csrrwi a0,cycleh,31"},
      {0x300ff4f3, 0, "csrrci s1,mstatus,31"},
      {0xc0001073, 0, "unimp"},  // csrrw zero,cycle,zero: objdump's name for it
  };
  expect_all(table);
}

TEST(disasm, fences_and_system) {
  const sample table[] = {
      {0x0ff0000f, 0, "fence iorw,iorw"}, {0x0230000f, 0, "fence r,rw"},
      {0x0840000f, 0, "fence i,o"},       {0x0000000f, 0, "fence unknown,unknown"},
      {0x0100000f, 0, "fence w,unknown"}, {0x8330000f, 0, "fence.tso"},
      {0x0000100f, 0, "fence.i"},         {0x00000073, 0, "ecall"},
      {0x00100073, 0, "ebreak"},          {0x30200073, 0, "mret"},
      {0x10200073, 0, "sret"},            {0x00200073, 0, "uret"},
      {0x7b200073, 0, "dret"},            {0x10500073, 0, "wfi"},
      {0x12b50073, 0, "sfence.vma a0,a1"},
  };
  expect_all(table);
}

TEST(disasm, atomics_with_ordering) {
  const sample table[] = {
      {0x1005a52f, 0, "lr.w a0,(a1)"},
      {0x1605a52f, 0, "lr.w.aqrl a0,(a1)"},
      {0x1cc5a52f, 0, "sc.w.aq a0,a2,(a1)"},
      {0x0ac5a52f, 0, "amoswap.w.rl a0,a2,(a1)"},
      {0x07ffafaf, 0, "amoadd.w.aqrl t6,t6,(t6)"},
      {0xe600202f, 0, "amomaxu.w.aqrl zero,zero,(zero)"},
      {0xa0c5a52f, 0, "amomax.w a0,a2,(a1)"},
  };
  expect_all(table);
}

TEST(disasm, compressed) {
  const sample table[] = {
      {0x0048, 0, "c.addi4spn a0,sp,4"},
      {0x1fe0, 0, "c.addi4spn s0,sp,1020"},
      {0x5d7c, 0, "c.lw a5,124(a0)"},
      {0xdc64, 0, "c.sw s1,124(s0)"},
      {0x0001, 0, "c.addi zero,0"},  // c.nop
      {0x1501, 0, "c.addi a0,-32"},
      {0x37ed, 0x354, "c.jal 33e"},
      {0x3001, 0x358, "c.jal fffffb58"},
      {0x5501, 0, "c.li a0,-32"},
      {0x7101, 0, "c.addi16sp sp,-512"},
      {0x617d, 0, "c.addi16sp sp,496"},
      {0x6ffd, 0, "c.lui t6,0x1f"},
      {0x7081, 0, "c.lui ra,0xfffe0"},
      {0x83fd, 0, "c.srli a5,0x1f"},
      {0x84fd, 0, "c.srai s1,0x1f"},
      {0x9901, 0, "c.andi a0,-32"},
      {0x8c1d, 0, "c.sub s0,a5"},
      {0x8fe1, 0, "c.and a5,s0"},
      {0xb001, 0x388, "c.j fffffb88"},
      {0xcd7d, 0x38a, "c.beqz a0,488"},
      {0xd001, 0x38c, "c.beqz s0,28c"},
      {0x0ffe, 0, "c.slli t6,0x1f"},
      {0x5ffe, 0, "c.lwsp t6,252(sp)"},
      {0x8082, 0, "c.jr ra"},
      {0x852e, 0, "c.mv a0,a1"},
      {0x9002, 0, "c.ebreak"},
      {0x9f82, 0, "c.jalr t6"},
      {0x9ffe, 0, "c.add t6,t6"},
      {0xdffe, 0, "c.swsp t6,252(sp)"},
      {0x0000, 0, "c.unimp"},
      {0xdead0001, 0, "c.addi zero,0"},  // upper half of a compressed word is ignored
  };
  expect_all(table);
}

// Reserved and HINT encodings objdump still decodes: printed as it does (not a legality check).
TEST(disasm, reserved_encodings_objdump_decodes) {
  const sample table[] = {
      {0x6101, 0, "c.addi16sp sp,0"}, {0x1002, 0, "c.slli zero,0x20"},
      {0x0002, 0, "c.slli64 zero"},   {0x8001, 0, "c.srli64 s0"},
      {0x8401, 0, "c.srai64 s0"},     {0x6005, 0, "c.lui zero,0x1"},
      {0x4005, 0, "c.li zero,1"},     {0x02051513, 0, "slli a0,a0,0x20"},
      {0x20200073, 0, "hret"},        {0x10450073, 0, "sfence.vm a0"},
  };
  expect_all(table);
}

TEST(disasm, unknown_encodings_print_as_data) {
  const sample table[] = {
      {0x00002063, 0, ".4byte 0x2063"},         // branch funct3=2
      {0x00003003, 0, ".4byte 0x3003"},         // ld: RV64 only
      {0x0000001b, 0, ".4byte 0x1b"},           // addiw: RV64 only
      {0x0000302f, 0, ".4byte 0x302f"},         // amoadd.d: RV64 only
      {0x1015a52f, 0, ".4byte 0x1015a52f"},     // lr.w with rs2 != 0
      {0x00000053, 0, ".4byte 0x53"},           // fadd.s: no F
      {0x0000800f, 0, ".4byte 0x800f"},         // fence with rs1 != 0
      {0x30200173, 0, ".4byte 0x30200173"},     // mret with rd != 0
      {0xffffffff, 0, ".4byte 0xffffffff"},     // longer-than-32-bit prefix
      {0x0004, 0, ".2byte 0x4"},                // c.addi4spn with zero immediate
      {0x6001, 0, ".2byte 0x6001"},             // c.lui zero,0
      {0x6501, 0, ".2byte 0x6501"},             // c.lui a0,0
      {0x8002, 0, ".2byte 0x8002"},             // c.jr zero
      {0x4002, 0, ".2byte 0x4002"},             // c.lwsp zero
      {0x6000, 0, ".2byte 0x6000"},             // c.flw: no F
      {0x9c21, 0, ".2byte 0x9c21"},             // c.addw: RV64 only
  };
  expect_all(table);
}

TEST(disasm, never_fails_on_garbage) {
  std::mt19937 rng(0x5eed);
  char buf[edgevp::cpu::disasm_max_length];
  for (int i = 0; i < 1'000'000; ++i) {
    const std::uint32_t insn = rng();
    const std::uint32_t pc = rng();
    const std::string text = disassemble(insn, pc);
    ASSERT_FALSE(text.empty()) << std::hex << insn;
    ASSERT_LT(text.size(), edgevp::cpu::disasm_max_length) << std::hex << insn;
    ASSERT_EQ(disassemble(insn, pc, buf, sizeof buf), text.size());
    ASSERT_EQ(text, buf);
  }
  for (std::uint32_t half = 0; half < 0x10000; ++half) {
    ASSERT_FALSE(disassemble(half, 0xfffffffe).empty()) << std::hex << half;
  }
}

TEST(disasm, buffer_form_truncates_safely) {
  char small[6] = "xxxxx";
  EXPECT_EQ(disassemble(0x00000013, 0, small, sizeof small), 5u);
  EXPECT_STREQ(small, "addi ");
  char one[1] = {'x'};
  EXPECT_EQ(disassemble(0x00000013, 0, one, sizeof one), 0u);
  EXPECT_EQ(one[0], '\0');
  EXPECT_EQ(disassemble(0x00000013, 0, nullptr, 0), 0u);
}

}  // namespace

// Bench for the GDB remote serial protocol (models/cpu/gdb_protocol): framing, checksums and
// escaping byte by byte; then a session answering packets against a real rv32_iss with a flat RAM,
// without sockets. The socket side (gdb_server) is driven end to end by tests/gdb.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "models/cpu/gdb_protocol.h"
#include "models/cpu/rv32_iss.h"

namespace {

using edgevp::cpu::gdb_checksum;
using edgevp::cpu::gdb_escape;
using edgevp::cpu::gdb_event;
using edgevp::cpu::gdb_frame;
using edgevp::cpu::gdb_max_packet;
using edgevp::cpu::gdb_packet_reader;
using edgevp::cpu::gdb_session;
using edgevp::cpu::gdb_stop;
using edgevp::cpu::gdb_unescape;
using edgevp::cpu::rv32_bus;
using edgevp::cpu::rv32_iss;
using edgevp::cpu::stop_reason;
namespace cause = edgevp::cpu::cause;

// ------------------------------------------------------------------ framing

TEST(gdb_framing, checksum_is_the_byte_sum_modulo_256) {
  EXPECT_EQ(gdb_checksum(""), 0);
  EXPECT_EQ(gdb_checksum("OK"), 0x9a);
  EXPECT_EQ(gdb_checksum(std::string(300, '\xff')), (300 * 0xff) & 0xff);
  EXPECT_EQ(gdb_frame("OK"), "$OK#9a");
  EXPECT_EQ(gdb_frame(""), "$#00");
  EXPECT_EQ(gdb_frame("g"), "$g#67");
}

TEST(gdb_framing, escaping_round_trips_every_byte) {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  const std::string esc = gdb_escape(all);
  EXPECT_EQ(esc.size(), all.size() + 4) << "exactly # $ } * are escaped";
  EXPECT_EQ(esc.find_first_of("#$*"), std::string::npos);
  std::string back;
  ASSERT_TRUE(gdb_unescape(esc, back));
  EXPECT_EQ(back, all);
  EXPECT_EQ(gdb_escape("a#b"),
            "a}\x03"
            "b");
  EXPECT_EQ(gdb_escape("}"), "}]");
}

TEST(gdb_framing, unescape_rejects_a_trailing_escape) {
  std::string out;
  EXPECT_FALSE(gdb_unescape("ab}", out));
  EXPECT_TRUE(gdb_unescape("", out));
  EXPECT_TRUE(out.empty());
}

std::vector<gdb_event> drain(gdb_packet_reader& r) {
  std::vector<gdb_event> v;
  gdb_event e;
  while (r.next(e)) v.push_back(e);
  return v;
}

TEST(gdb_framing, reader_splits_packets_acks_and_interrupts) {
  gdb_packet_reader r;
  r.feed("+$g#67-\x03$m0,4#fd");
  const auto ev = drain(r);
  ASSERT_EQ(ev.size(), 5u);
  EXPECT_EQ(ev[0].type, gdb_event::kind::ack);
  EXPECT_EQ(ev[1].type, gdb_event::kind::packet);
  EXPECT_EQ(ev[1].payload, "g");
  EXPECT_TRUE(ev[1].checksum_ok);
  EXPECT_EQ(ev[2].type, gdb_event::kind::nak);
  EXPECT_EQ(ev[3].type, gdb_event::kind::interrupt);
  EXPECT_EQ(ev[4].payload, "m0,4");
  EXPECT_TRUE(ev[4].checksum_ok);
}

TEST(gdb_framing, reader_takes_bytes_one_at_a_time) {
  gdb_packet_reader r;
  const std::string f = gdb_frame("qSupported:multiprocess+;swbreak+");
  for (const char c : f) {
    EXPECT_FALSE(r.pending());
    r.feed(&c, 1);
  }
  const auto ev = drain(r);
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].payload, "qSupported:multiprocess+;swbreak+");
  EXPECT_TRUE(ev[0].checksum_ok);
}

TEST(gdb_framing, reader_flags_bad_checksums) {
  gdb_packet_reader r;
  r.feed("$g#68$g#zz$g#6");
  auto ev = drain(r);
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_FALSE(ev[0].checksum_ok);
  EXPECT_FALSE(ev[1].checksum_ok) << "non-hex checksum";
  r.feed("7");  // the third packet completes
  ev = drain(r);
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_TRUE(ev[0].checksum_ok);
  r.feed("$g#6G");
  ev = drain(r);
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_FALSE(ev[0].checksum_ok);
}

TEST(gdb_framing, reader_checksum_covers_escaped_bytes_as_sent) {
  gdb_packet_reader r;
  const std::string payload = "X80000000,2:" + gdb_escape("#$");
  r.feed(gdb_frame(payload));
  const auto ev = drain(r);
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_TRUE(ev[0].checksum_ok);
  EXPECT_EQ(ev[0].payload, payload) << "the payload stays escaped; X unescapes it";
}

TEST(gdb_framing, reader_ignores_noise_and_restarts_on_dollar) {
  gdb_packet_reader r;
  r.feed("garbage\r\n$qC$?#3f");
  const auto ev = drain(r);
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].payload, "?");
  EXPECT_TRUE(ev[0].checksum_ok);
}

TEST(gdb_framing, reader_cuts_overlong_packets) {
  gdb_packet_reader r;
  const std::string big(gdb_max_packet + 100, 'a');
  r.feed(gdb_frame(big));
  const auto ev = drain(r);
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_TRUE(ev[0].too_long);
  EXPECT_TRUE(ev[0].checksum_ok) << "the checksum still covers every byte sent";
  EXPECT_EQ(ev[0].payload.size(), gdb_max_packet);
}

TEST(gdb_framing, reader_clear_drops_a_partial_packet) {
  gdb_packet_reader r;
  r.feed("$m0,");
  r.clear();
  r.feed("4#fd$?#3f");
  const auto ev = drain(r);
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].payload, "?");
}

// ------------------------------------------------------------------ the session on an ISS

constexpr std::uint32_t ram_base = 0x80000000u;
constexpr std::uint32_t ram_size = 0x1000u;

struct error_bus final : rv32_bus {
  bool bus_read(std::uint32_t, void*, unsigned, std::uint64_t&) override { return false; }
  bool bus_write(std::uint32_t, const void*, unsigned, std::uint64_t&) override { return false; }
};

constexpr std::uint32_t addi(std::uint32_t rd, std::uint32_t rs1, std::int32_t imm) {
  return (static_cast<std::uint32_t>(imm) & 0xFFFu) << 20 | rs1 << 15 | rd << 7 | 0x13u;
}
constexpr std::uint32_t ecall = 0x00000073u;
constexpr std::uint32_t lw_x3_0_x1 = 0x0000a183u;  // lw gp, 0(ra)

class gdb : public ::testing::Test {
 protected:
  gdb()
      : iss(bus),
        session(
            iss,
            [this](std::uint32_t a, unsigned char* d, std::size_t n) {
              std::size_t done = 0;
              for (; done < n && a + done - ram_base < ram_size; ++done) d[done] = ram[a + done - ram_base];
              return done;
            },
            [this](std::uint32_t a, const unsigned char* d, std::size_t n) {
              std::size_t done = 0;
              for (; done < n && a + done - ram_base < ram_size; ++done) ram[a + done - ram_base] = d[done];
              return done;
            }) {
    edgevp::cpu::dmi_region r;
    r.base = ram_base;
    r.size = ram_size;
    r.ptr = ram.data();
    r.readable = r.writable = true;
    iss.add_dmi(r);
    iss.reset(ram_base);
  }

  // The reply to a packet (must have one).
  std::string ask(const std::string& p) {
    const auto r = session.handle(p);
    EXPECT_TRUE(r.reply.has_value()) << p;
    EXPECT_EQ(r.action, gdb_session::next::stay) << p;
    return r.reply.value_or("<none>");
  }
  void put32(std::uint32_t addr, std::uint32_t v) { std::memcpy(&ram[addr - ram_base], &v, 4); }

  error_bus bus;
  std::vector<unsigned char> ram = std::vector<unsigned char>(ram_size, 0);
  rv32_iss iss;
  gdb_session session;
};

TEST_F(gdb, qsupported_announces_packet_size_and_features) {
  const std::string r = ask("qSupported:multiprocess+;swbreak+;hwbreak+;qRelocInsn+");
  EXPECT_NE(r.find("PacketSize=4000"), std::string::npos) << r;
  EXPECT_NE(r.find("qXfer:features:read+"), std::string::npos);
  EXPECT_NE(r.find("swbreak+"), std::string::npos);
  EXPECT_NE(r.find("hwbreak+"), std::string::npos);
  EXPECT_NE(r.find("QStartNoAckMode+"), std::string::npos);
}

TEST_F(gdb, no_ack_mode_is_negotiated_and_released) {
  EXPECT_FALSE(session.no_ack());
  EXPECT_EQ(ask("QStartNoAckMode"), "OK");
  EXPECT_TRUE(session.no_ack());
  session.release();
  EXPECT_FALSE(session.no_ack()) << "a new connection starts in ack mode";
}

TEST_F(gdb, target_description_is_rv32_with_33_core_registers_and_csrs) {
  const std::string& xml = gdb_session::target_xml();
  EXPECT_NE(xml.find("<architecture>riscv:rv32</architecture>"), std::string::npos);
  EXPECT_NE(xml.find("org.gnu.gdb.riscv.cpu"), std::string::npos);
  EXPECT_NE(xml.find("org.gnu.gdb.riscv.csr"), std::string::npos);
  EXPECT_NE(xml.find("<reg name=\"pc\" bitsize=\"32\" type=\"code_ptr\" regnum=\"32\"/>"), std::string::npos);
  EXPECT_NE(xml.find("<reg name=\"t6\" bitsize=\"32\" type=\"int\" regnum=\"31\"/>"), std::string::npos);
  EXPECT_NE(xml.find("name=\"mstatus\" bitsize=\"32\" type=\"int\" regnum=\"833\""),
            std::string::npos);  // 65 + 0x300

  // Read in small chunks as GDB does: m... until l...; the pieces make the whole.
  std::string got;
  for (std::size_t off = 0;;) {
    char req[64];
    std::snprintf(req, sizeof req, "qXfer:features:read:target.xml:%zx,%x", off, 0x80);
    const std::string r = ask(req);
    ASSERT_FALSE(r.empty());
    ASSERT_TRUE(r[0] == 'm' || r[0] == 'l') << r;
    std::string chunk;
    ASSERT_TRUE(gdb_unescape(r.substr(1), chunk));
    got += chunk;
    off += chunk.size();
    if (r[0] == 'l') break;
    ASSERT_LT(off, 100000u);
  }
  EXPECT_EQ(got, xml);
  EXPECT_EQ(ask("qXfer:features:read:other.xml:0,100"), "E00");
  EXPECT_EQ(ask("qXfer:features:read:target.xml:zz"), "E01");
  char past[64];
  std::snprintf(past, sizeof past, "qXfer:features:read:target.xml:%zx,10", xml.size() + 1);
  EXPECT_EQ(ask(past), "E01");
}

TEST_F(gdb, g_reads_x0_to_x31_and_pc_little_endian) {
  iss.set_reg(10, 0x12345678u);
  iss.set_reg(31, 0xCAFEF00Du);
  iss.set_pc(0x80000010u);
  const std::string r = ask("g");
  ASSERT_EQ(r.size(), 33u * 8);
  EXPECT_EQ(r.substr(0, 8), "00000000");
  EXPECT_EQ(r.substr(10 * 8, 8), "78563412");
  EXPECT_EQ(r.substr(31 * 8, 8), "0df0feca");
  EXPECT_EQ(r.substr(32 * 8, 8), "10000080");
  EXPECT_EQ(ask("gx"), "E01");
}

TEST_F(gdb, G_writes_all_registers_but_x0) {
  std::string regs;
  for (unsigned i = 0; i < 33; ++i) {
    char b[9];
    std::snprintf(b, sizeof b, "%02x%02x%02x%02x", i + 1, 0, 0, i == 32 ? 0x80 : 0);
    regs += b;
  }
  EXPECT_EQ(ask("G" + regs), "OK");
  EXPECT_EQ(iss.reg(0), 0u);
  EXPECT_EQ(iss.reg(1), 2u);
  EXPECT_EQ(iss.reg(31), 32u);
  EXPECT_EQ(iss.pc(), 0x80000021u & ~1u);
  EXPECT_EQ(ask("G" + regs.substr(8)), "E01") << "one register short";
  regs[20] = 'q';
  EXPECT_EQ(ask("G" + regs), "E01") << "not hex";
  EXPECT_EQ(iss.reg(2), 3u) << "a malformed G changes nothing";
}

TEST_F(gdb, p_and_P_reach_registers_pc_and_csrs) {
  iss.set_reg(5, 0xA1B2C3D4u);
  EXPECT_EQ(ask("p5"), "d4c3b2a1");
  EXPECT_EQ(ask("P6=efbeadde"), "OK");
  EXPECT_EQ(iss.reg(6), 0xDEADBEEFu);
  EXPECT_EQ(ask("P0=01000000"), "OK");
  EXPECT_EQ(iss.reg(0), 0u);
  EXPECT_EQ(ask("P20=08000080"), "OK");
  EXPECT_EQ(iss.pc(), 0x80000008u);
  EXPECT_EQ(ask("p20"), "08000080");
  // CSRs are 65 + number: misa 0x301 -> 0x342, mscratch 0x340 -> 0x381.
  EXPECT_EQ(ask("p342"), "05111040");  // misa: RV32 A C I M U
  EXPECT_EQ(ask("P381=78563412"), "OK");
  std::uint32_t v = 0;
  ASSERT_TRUE(iss.read_csr(0x340, v));
  EXPECT_EQ(v, 0x12345678u);
  EXPECT_EQ(ask("Pc41=00000000"), "E02") << "cycle (0xC00) is read-only";
  EXPECT_EQ(ask("p21"), "E02") << "f0: no FPU";
  EXPECT_EQ(ask("p1000000"), "E02");
  EXPECT_EQ(ask("pz"), "E01");
  EXPECT_EQ(ask("p"), "E01");
  EXPECT_EQ(ask("P5"), "E01");
  EXPECT_EQ(ask("P5=123"), "E01");
  EXPECT_EQ(ask("P5=1234567g"), "E01");
}

TEST_F(gdb, m_and_M_read_and_write_memory) {
  put32(ram_base + 0x10, 0x04030201u);
  EXPECT_EQ(ask("m80000010,4"), "01020304");
  EXPECT_EQ(ask("M80000020,3:aabbcc"), "OK");
  EXPECT_EQ(ram[0x20], 0xaa);
  EXPECT_EQ(ram[0x22], 0xcc);
  EXPECT_EQ(ask("m80000020,3"), "aabbcc");
  // Partial: only what exists is returned; nothing at all is an error.
  EXPECT_EQ(ask("m80000ffe,4"), "0000");
  EXPECT_EQ(ask("m40000000,4"), "E03");
  EXPECT_EQ(ask("M80000ffe,4:01020304"), "E03");
  EXPECT_EQ(ask("m80000000,0"), "");
}

TEST_F(gdb, malformed_memory_packets_are_errors) {
  for (const char* p : {"m", "m80000000", "m80000000,", "m,4", "mzz,4", "m80000000,zz", "m100000000,4",
                        "M80000000,4", "M80000000,4:0102", "M80000000,2:010", "M80000000,2:01zz",
                        "M80000000,1:0102", "X80000000,4:ab", "X80000000,1:}"})
    EXPECT_EQ(ask(p), "E01") << p;
}

TEST_F(gdb, large_reads_are_cut_to_fit_a_packet) {
  const std::string r = ask("m80000000,100000");
  EXPECT_GT(r.size(), 0u);
  EXPECT_LE(r.size(), gdb_max_packet);
  EXPECT_EQ(r.size() % 2, 0u);
}

TEST_F(gdb, X_writes_binary_with_escapes) {
  EXPECT_EQ(ask("X80000000,0:"), "OK") << "GDB's probe for X";
  const std::string data = std::string("\x00#$}*\xff", 6);
  EXPECT_EQ(ask("X80000100,6:" + gdb_escape(data)), "OK");
  EXPECT_EQ(std::memcmp(&ram[0x100], data.data(), 6), 0);
  EXPECT_EQ(ask("m80000100,6"), "0023247d2aff");
}

TEST_F(gdb, Z0_and_Z1_set_iss_breakpoints_idempotently) {
  EXPECT_EQ(ask("Z0,80000008,4"), "OK");
  EXPECT_EQ(ask("Z0,80000008,4"), "OK");
  EXPECT_EQ(ask("Z1,80000008,2"), "OK");
  EXPECT_EQ(session.breakpoint_count(), 2u);
  EXPECT_TRUE(iss.has_breakpoint(0x80000008u));
  EXPECT_EQ(ask("z0,80000008,4"), "OK");
  EXPECT_TRUE(iss.has_breakpoint(0x80000008u)) << "the hardware one is still there";
  EXPECT_EQ(ask("z1,80000008,2"), "OK");
  EXPECT_FALSE(iss.has_breakpoint(0x80000008u));
  EXPECT_EQ(ask("z1,80000008,2"), "OK") << "removing again is harmless";
  EXPECT_EQ(ask("Z0,80000010,4;X1,0"), "OK") << "conditions are accepted (and ignored)";
  EXPECT_TRUE(iss.has_breakpoint(0x80000010u));
  for (const char* p :
       {"Z", "Z0", "Z0,", "Z0,zz,4", "Z9,80000000,4", "Z0,80000000", "Z0;80000000,4", "Z2,80000000,0"})
    EXPECT_EQ(ask(p), "E01") << p;
  session.release();
  EXPECT_FALSE(iss.has_breakpoint(0x80000010u)) << "released with the connection";
  EXPECT_EQ(session.breakpoint_count(), 0u);
}

TEST_F(gdb, watchpoints_stop_before_the_access_and_name_the_address) {
  // sw t0, 0x100(zero)... built on a base register: x1 = ram_base.
  constexpr std::uint32_t sw_x2_0x104_x1 = 0x1020a223u;  // sw sp, 260(ra)
  constexpr std::uint32_t lw_x3_0x108_x1 = 0x1080a183u;  // lw gp, 264(ra)
  put32(ram_base, sw_x2_0x104_x1);
  put32(ram_base + 4, lw_x3_0x108_x1);
  put32(ram_base + 8, lw_x3_0x108_x1);
  iss.set_reg(1, ram_base);
  iss.set_reg(2, 0xAB);
  EXPECT_EQ(ask("Z2,80000104,4"), "OK");
  EXPECT_EQ(ask("Z3,80000108,4"), "OK");
  EXPECT_EQ(ask("Z4,80000108,2"), "OK");
  EXPECT_EQ(session.breakpoint_count(), 3u);
  session.handle("c");
  ASSERT_EQ(iss.run(iss.cycles() + 100), stop_reason::watchpoint);
  session.set_stop({gdb_stop::kind::watchpoint, 0});
  EXPECT_EQ(ask("?"), "T05thread:1;watch:80000104;");
  EXPECT_EQ(ask("m80000104,1"), "00") << "the store has not happened";
  EXPECT_EQ(ask("z2,80000104,4"), "OK");
  session.handle("s");
  ASSERT_EQ(iss.run(iss.cycles() + 100), stop_reason::step);
  EXPECT_EQ(ask("m80000104,1"), "ab");
  EXPECT_EQ(ask("z4,80000108,2"), "OK");
  session.handle("c");
  ASSERT_EQ(iss.run(iss.cycles() + 100), stop_reason::watchpoint);
  session.set_stop({gdb_stop::kind::watchpoint, 0});
  EXPECT_EQ(ask("?"), "T05thread:1;rwatch:80000108;");
  EXPECT_EQ(ask("Z4,80000108,2"), "OK");
  EXPECT_EQ(ask("z3,80000108,4"), "OK");
  ASSERT_EQ(iss.run(iss.cycles() + 100), stop_reason::watchpoint);
  EXPECT_EQ(session.stop_reply(), "T05thread:1;awatch:80000108;");
  session.release();
  EXPECT_EQ(iss.run(iss.cycles() + 3), stop_reason::budget) << "released with the connection";
}

TEST_F(gdb, breakpoint_stop_reply_says_which_kind_when_asked) {
  for (std::uint32_t i = 0; i < 8; ++i) put32(ram_base + 4 * i, addi(5, 5, 1));
  ask("qSupported:swbreak+;hwbreak+");
  EXPECT_EQ(ask("Z0,80000008,4"), "OK");
  auto r = session.handle("c");
  EXPECT_FALSE(r.reply.has_value()) << "the reply comes when the CPU stops";
  EXPECT_EQ(r.action, gdb_session::next::resume);
  ASSERT_EQ(iss.run(iss.cycles() + 100), stop_reason::breakpoint);
  EXPECT_EQ(iss.pc(), 0x80000008u);
  session.set_stop({gdb_stop::kind::breakpoint, 0});
  EXPECT_EQ(session.stop_reply(), "T05thread:1;swbreak:;");
  EXPECT_EQ(ask("?"), "T05thread:1;swbreak:;");
  ask("z0,80000008,4");
  ask("Z1,80000008,4");
  EXPECT_EQ(session.stop_reply(), "T05thread:1;hwbreak:;");
  session.release();
  session.set_stop({gdb_stop::kind::breakpoint, 0});
  EXPECT_EQ(session.stop_reply(), "T05thread:1;") << "not announced: not reported";
}

TEST_F(gdb, s_and_vCont_step_one_instruction) {
  for (std::uint32_t i = 0; i < 8; ++i) put32(ram_base + 4 * i, addi(5, 5, 1));
  auto r = session.handle("s");
  EXPECT_EQ(r.action, gdb_session::next::resume);
  EXPECT_TRUE(iss.single_step());
  EXPECT_EQ(iss.run(iss.cycles() + 100), stop_reason::step);
  EXPECT_EQ(iss.pc(), ram_base + 4);
  EXPECT_EQ(ask("vCont?"), "vCont;c;C;s;S;t");
  r = session.handle("vCont;s:1;c");
  EXPECT_EQ(r.action, gdb_session::next::resume);
  EXPECT_TRUE(iss.single_step());
  EXPECT_EQ(iss.run(iss.cycles() + 100), stop_reason::step);
  EXPECT_EQ(iss.pc(), ram_base + 8);
  r = session.handle("vCont;s:2;c");  // the step is for another thread: ours continues
  EXPECT_EQ(r.action, gdb_session::next::resume);
  EXPECT_FALSE(iss.single_step());
  r = session.handle("s80000000");
  EXPECT_EQ(iss.pc(), ram_base) << "s with an address resumes there";
  r = session.handle("c80000010");
  EXPECT_EQ(iss.pc(), ram_base + 0x10);
  EXPECT_FALSE(iss.single_step());
  for (const char* p : {"vCont", "vCont;", "vCont;x", "vCont;s:2", "vCont;Czz", "vCont;cc", "vCont;r0,4",
                        "cxyz", "Czz", "C05;zz"})
    EXPECT_EQ(ask(p), "E01") << p;
}

TEST_F(gdb, signals_deliver_only_a_fault) {
  session.set_stop({gdb_stop::kind::fault, cause::load_access});
  EXPECT_EQ(session.stop_reply(), "T0bthread:1;");
  EXPECT_EQ(session.handle("C0b").action, gdb_session::next::deliver);
  EXPECT_EQ(session.handle("vCont;C0b:1").action, gdb_session::next::deliver);
  EXPECT_EQ(session.handle("c").action, gdb_session::next::resume) << "c retries the instruction";
  EXPECT_EQ(session.handle("C00").action, gdb_session::next::resume);
  session.set_stop({gdb_stop::kind::interrupt, 0});
  EXPECT_EQ(session.stop_reply(), "T02thread:1;");
  EXPECT_EQ(session.handle("C02").action, gdb_session::next::resume) << "SIGINT has nowhere to go";
}

TEST_F(gdb, fault_signals_follow_the_cause) {
  using edgevp::cpu::gdb_signal_for_cause;
  EXPECT_EQ(gdb_signal_for_cause(cause::load_access), 11);
  EXPECT_EQ(gdb_signal_for_cause(cause::store_access), 11);
  EXPECT_EQ(gdb_signal_for_cause(cause::insn_access), 11);
  EXPECT_EQ(gdb_signal_for_cause(cause::illegal_insn), 4);
  EXPECT_EQ(gdb_signal_for_cause(cause::load_misaligned), 10);
  EXPECT_EQ(gdb_signal_for_cause(cause::breakpoint), 5);
  EXPECT_EQ(gdb_signal_for_cause(cause::ecall_m), 12);
  EXPECT_EQ(gdb_signal_for_cause(cause::interrupt | 7), 5);
}

TEST_F(gdb, a_fault_from_the_iss_maps_to_its_signal) {
  put32(ram_base, lw_x3_0_x1);
  iss.set_reg(1, 0x40000000u);
  ASSERT_EQ(iss.run(iss.cycles() + 100), stop_reason::unhandled_trap);
  session.set_stop({gdb_stop::kind::fault, iss.last_trap().cause});
  EXPECT_EQ(ask("?"), "T0bthread:1;");
  EXPECT_EQ(ask("p20"), "00000080") << "the pc is on the faulting load";
  put32(ram_base + 4, ecall);
  iss.set_pc(ram_base + 4);
  ASSERT_EQ(iss.run(iss.cycles() + 100), stop_reason::unhandled_trap);
  session.set_stop({gdb_stop::kind::fault, iss.last_trap().cause});
  EXPECT_EQ(ask("?"), "T0cthread:1;");
}

TEST_F(gdb, detach_and_kill) {
  auto r = session.handle("D");
  EXPECT_EQ(r.reply.value_or(""), "OK");
  EXPECT_EQ(r.action, gdb_session::next::detach);
  r = session.handle("D;1");
  EXPECT_EQ(r.action, gdb_session::next::detach);
  r = session.handle("k");
  EXPECT_FALSE(r.reply.has_value()) << "k has no reply";
  EXPECT_EQ(r.action, gdb_session::next::kill);
  r = session.handle("vKill;1");
  EXPECT_EQ(r.reply.value_or(""), "OK");
  EXPECT_EQ(r.action, gdb_session::next::kill);
  EXPECT_EQ(ask("Dx"), "E01");
}

TEST_F(gdb, thread_and_misc_queries) {
  EXPECT_EQ(ask("?"), "T05thread:1;") << "attach: SIGTRAP";
  EXPECT_EQ(ask("qC"), "QC1");
  EXPECT_EQ(ask("qfThreadInfo"), "m1");
  EXPECT_EQ(ask("qsThreadInfo"), "l");
  EXPECT_EQ(ask("qAttached"), "1");
  EXPECT_EQ(ask("qAttached:1"), "1");
  EXPECT_EQ(ask("Hg0"), "OK");
  EXPECT_EQ(ask("Hc-1"), "OK");
  EXPECT_EQ(ask("Hg1"), "OK");
  EXPECT_EQ(ask("Hg2"), "E01");
  EXPECT_EQ(ask("H"), "E01");
  EXPECT_EQ(ask("T1"), "OK");
  EXPECT_EQ(ask("T2"), "E01");
  EXPECT_EQ(ask("qSymbol::"), "OK");
  // Unknown packets get the empty reply ("not supported"), never an error or a crash.
  for (const char* p :
       {"vMustReplyEmpty", "qTStatus", "qOffsets", "!", "Qbogus", "qRcmd,68656c70", "vFile:open:", "A", ""})
    EXPECT_EQ(ask(p), "") << p;
}

TEST_F(gdb, random_packets_never_crash) {
  std::mt19937 rng(12345);
  const std::string alphabet = "0123456789abcdefABCDEF,:;=-}#$*xXmMpPgGzZcCsSvqQHTDk?";
  for (int i = 0; i < 20000; ++i) {
    std::string p;
    const int n = static_cast<int>(rng() % 40);
    for (int j = 0; j < n; ++j)
      p.push_back(rng() % 4 == 0 ? static_cast<char>(rng()) : alphabet[rng() % alphabet.size()]);
    const auto r = session.handle(p);
    (void)r;
    gdb_packet_reader reader;
    reader.feed(p);
    gdb_event e;
    while (reader.next(e)) {
    }
  }
  session.release();
  EXPECT_EQ(iss.reg(0), 0u);
}

}  // namespace

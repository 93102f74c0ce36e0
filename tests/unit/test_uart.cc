// Bench for the 16550 UART: reset values, TX through the callback, RX from a file, DLAB muxing,
// interrupt condition, error answers.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>

#include "models/core/errors.h"
#include "models/peripherals/uart.h"
#include "tests/unit/tlm_helpers.h"

namespace {

using edgevp::peripherals::uart;
using edgevp::peripherals::uart_config;

// Register offsets; 0 and 1 have two names each (DLAB), 2 has two (read / write).
enum : std::uint64_t { RBR = 0, THR = 0, DLL = 0, IER = 1, DLM = 1, IIR = 2, FCR = 2 };
enum : std::uint64_t { LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7 };

// A file with the given bytes, removed when the test ends.
struct temp_file {
  std::string path;
  explicit temp_file(const std::string& bytes) {
    char name[] = "/tmp/edgevp_uart_rx_XXXXXX";
    const int fd = ::mkstemp(name);
    EXPECT_GE(fd, 0);
    ::close(fd);
    path = name;
    std::ofstream(path, std::ios::binary) << bytes;
  }
  ~temp_file() { std::remove(path.c_str()); }
};

struct bench {
  std::string out;
  uart dut;
  edgevp::test::initiator bus{"bus", dut.in};
  explicit bench(const std::string& rx_file = "")
      : dut("uart", uart_config{[this](unsigned char c) { out.push_back(static_cast<char>(c)); },
                                rx_file}) {}
};

TEST(uart, reset_values) {
  bench b;
  EXPECT_EQ(b.bus.read8(IER).value, 0u);
  EXPECT_EQ(b.bus.read8(IIR).value, 0xC1u);
  EXPECT_EQ(b.bus.read8(LCR).value, 0x03u);
  EXPECT_EQ(b.bus.read8(MCR).value, 0u);
  EXPECT_EQ(b.bus.read8(LSR).value, 0x60u);
  EXPECT_EQ(b.bus.read8(MSR).value, 0u);
  EXPECT_EQ(b.bus.read8(SCR).value, 0u);
  EXPECT_EQ(b.bus.read8(RBR).value, 0u);  // nothing received
  EXPECT_FALSE(b.dut.irq.level());
}

TEST(uart, transmit_calls_the_tx_callback_per_byte) {
  bench b;
  for (char c : std::string("ok\n"))
    EXPECT_EQ(b.bus.write8(THR, static_cast<unsigned char>(c)).status, tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(b.out, "ok\n");
  EXPECT_EQ(b.bus.read8(LSR).value & 0x60u, 0x60u);  // THRE and TEMT: transmit is immediate
}

TEST(uart, receives_bytes_from_the_rx_file) {
  temp_file f(std::string("hi\0", 3));
  bench b(f.path);
  EXPECT_EQ(b.bus.read8(LSR).value, 0x61u);  // DR
  EXPECT_EQ(b.bus.read8(RBR).value, static_cast<unsigned>('h'));
  EXPECT_EQ(b.bus.read8(RBR).value, static_cast<unsigned>('i'));
  EXPECT_EQ(b.bus.read8(LSR).value, 0x61u);  // a NUL byte is data too
  EXPECT_EQ(b.bus.read8(RBR).value, 0u);
  EXPECT_EQ(b.bus.read8(LSR).value, 0x60u);
  EXPECT_EQ(b.dut.rx_pending(), 0u);
}

TEST(uart, unreadable_rx_file_throws_naming_it) {
  const std::string missing = "/nonexistent/edgevp/uart-input.bin";
  try {
    bench b(missing);
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(missing), std::string::npos) << e.what();
  }
}

TEST(uart, tx_callback_is_required) {
  EXPECT_THROW(uart("u", uart_config{}), std::invalid_argument);
}

TEST(uart, dlab_muxes_offsets_0_and_1) {
  bench b;
  b.bus.write8(IER, 0x01);
  b.bus.write8(LCR, 0x83);  // DLAB = 1, 8N1
  EXPECT_EQ(b.bus.write8(DLL, 0x36).status, tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(b.bus.write8(DLM, 0x12).status, tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(b.out, "");  // a divisor write is not a transmit
  EXPECT_EQ(b.bus.read8(DLL).value, 0x36u);
  EXPECT_EQ(b.bus.read8(DLM).value, 0x12u);
  b.bus.write8(LCR, 0x03);
  EXPECT_EQ(b.bus.read8(IER).value, 0x01u);  // IER untouched by the DLM write
  EXPECT_EQ(b.bus.read8(RBR).value, 0u);     // RBR, not DLL
  b.bus.write8(THR, 'x');
  EXPECT_EQ(b.out, "x");
  b.bus.write8(LCR, 0x83);
  EXPECT_EQ(b.bus.read8(DLL).value, 0x36u);  // the divisor survived
}

TEST(uart, dlab_read_does_not_consume_rx_data) {
  temp_file f("A");
  bench b(f.path);
  b.bus.write8(LCR, 0x83);
  EXPECT_EQ(b.bus.read8(DLL).value, 0u);
  b.bus.write8(LCR, 0x03);
  EXPECT_EQ(b.bus.read8(RBR).value, static_cast<unsigned>('A'));
}

TEST(uart, rx_interrupt_follows_erbfi_and_dr) {
  temp_file f("ab");
  bench b(f.path);
  EXPECT_FALSE(b.dut.irq.level());  // data waiting but ERBFI off
  b.bus.write8(IER, 0x01);
  EXPECT_TRUE(b.dut.irq.level());
  EXPECT_EQ(b.bus.read8(IIR).value, 0xC4u);
  b.bus.read8(RBR);
  EXPECT_TRUE(b.dut.irq.level());  // one byte left
  b.bus.read8(RBR);
  EXPECT_FALSE(b.dut.irq.level());
  EXPECT_EQ(b.bus.read8(IIR).value, 0xC1u);
  b.dut.receive('z');  // data arriving from outside raises it again
  EXPECT_TRUE(b.dut.irq.level());
  EXPECT_EQ(b.bus.read8(RBR).value, static_cast<unsigned>('z'));
  EXPECT_FALSE(b.dut.irq.level());
}

TEST(uart, thr_empty_interrupt_follows_etbei) {
  bench b;
  b.bus.write8(IER, 0x02);
  EXPECT_TRUE(b.dut.irq.level());
  EXPECT_EQ(b.bus.read8(IIR).value, 0xC2u);
  b.dut.receive('q');
  b.bus.write8(IER, 0x03);
  EXPECT_EQ(b.bus.read8(IIR).value, 0xC4u);  // rx data has priority
  b.bus.write8(IER, 0x00);
  EXPECT_FALSE(b.dut.irq.level());
  EXPECT_EQ(b.bus.read8(IIR).value, 0xC1u);
}

TEST(uart, ier_keeps_only_defined_bits) {
  bench b;
  b.bus.write8(IER, 0xFF);
  EXPECT_EQ(b.bus.read8(IER).value, 0x0Fu);
}

TEST(uart, plain_registers_store_and_fcr_is_accepted) {
  bench b;
  EXPECT_EQ(b.bus.write8(SCR, 0xA5).status, tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(b.bus.read8(SCR).value, 0xA5u);
  EXPECT_EQ(b.bus.write8(MCR, 0x0B).status, tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(b.bus.read8(MCR).value, 0x0Bu);
  EXPECT_EQ(b.bus.write8(FCR, 0x07).status, tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(b.bus.read8(IIR).value, 0xC1u);  // writing FCR does not change IIR
}

TEST(uart, bad_accesses_are_answered) {
  bench b;
  EXPECT_EQ(b.bus.write8(LSR, 0).status, tlm::TLM_COMMAND_ERROR_RESPONSE);
  EXPECT_EQ(b.bus.write8(MSR, 0).status, tlm::TLM_COMMAND_ERROR_RESPONSE);
  EXPECT_EQ(b.bus.read32(RBR).status, tlm::TLM_BURST_ERROR_RESPONSE);
  EXPECT_EQ(b.bus.write16(THR, 0x4141).status, tlm::TLM_BURST_ERROR_RESPONSE);
  EXPECT_EQ(b.out, "");
  EXPECT_EQ(b.bus.read8(8).status, tlm::TLM_ADDRESS_ERROR_RESPONSE);
}

TEST(uart, debug_read_has_no_side_effects) {
  temp_file f("xy");
  bench b(f.path);
  unsigned char regs[8] = {};
  EXPECT_EQ(b.bus.debug_read(0, regs, 8), 8u);
  EXPECT_EQ(regs[RBR], 'x');  // the byte waiting, not consumed
  EXPECT_EQ(regs[LSR], 0x61);
  EXPECT_EQ(regs[IIR], 0xC1);
  EXPECT_EQ(b.dut.rx_pending(), 2u);
  EXPECT_EQ(b.bus.read8(RBR).value, static_cast<unsigned>('x'));
}

TEST(uart, debug_write_of_ier_updates_the_interrupt) {
  bench b;
  unsigned char v = 0x02;
  EXPECT_EQ(b.bus.debug_write(IER, &v, 1), 1u);
  EXPECT_TRUE(b.dut.irq.level());
}

TEST(uart, latency_is_annotated) {
  std::string out;
  uart_config cfg{[&out](unsigned char c) { out.push_back(static_cast<char>(c)); }, ""};
  cfg.latency = sc_core::sc_time(25, sc_core::SC_NS);
  uart dut("uart", cfg);
  edgevp::test::initiator bus("bus", dut.in);
  EXPECT_EQ(bus.read8(LSR).delay, sc_core::sc_time(25, sc_core::SC_NS));
}

}  // namespace

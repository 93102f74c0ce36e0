// Bench for the register / peripheral base: decoding, error responses, callbacks, debug access.
#include <gtest/gtest.h>

#include <cstdint>

#include "models/core/peripheral.h"
#include "tests/unit/tlm_helpers.h"

namespace {

using edgevp::core::access;
using edgevp::core::reg;

struct dut_t : edgevp::core::peripheral {
  reg<std::uint32_t> id{this, "ID", 0x0, 0xCAFE0001u, access::ro};
  reg<std::uint32_t> ctrl{this, "CTRL", 0x4, 0, access::rw};
  reg<std::uint32_t> cmd{this, "CMD", 0x8, 0, access::wo};
  reg<std::uint8_t> byte{this, "BYTE", 0xC, 0x5A, access::rw};
  unsigned cmd_writes = 0;
  std::uint32_t last_cmd = 0;
  explicit dut_t(const sc_core::sc_module_name& n) : peripheral(n) {
    cmd.on_write([this](std::uint32_t v) {
      ++cmd_writes;
      last_cmd = v;
      if (v == 0xDEAD) refuse_access();
    });
    ctrl.on_read([this] { return ctrl.get() | 0x80000000u; });
  }
};

TEST(peripheral, reads_reset_values_and_stores_writes) {
  dut_t dut("dut");
  edgevp::test::initiator bus("bus", dut.in);
  EXPECT_EQ(bus.read32(0x0).value, 0xCAFE0001u);
  EXPECT_EQ(bus.write32(0x4, 0x1234).status, tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(dut.ctrl.get(), 0x1234u);
  EXPECT_EQ(bus.read32(0x4).value, 0x80001234u);  // read callback
  EXPECT_EQ(bus.read8(0xC).value, 0x5Au);
}

TEST(peripheral, unmapped_offset_is_address_error) {
  dut_t dut("dut");
  edgevp::test::initiator bus("bus", dut.in);
  EXPECT_EQ(bus.read32(0x100).status, tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(bus.write32(0x10, 1).status, tlm::TLM_ADDRESS_ERROR_RESPONSE);
}

TEST(peripheral, wrong_size_or_alignment_is_burst_error) {
  dut_t dut("dut");
  edgevp::test::initiator bus("bus", dut.in);
  EXPECT_EQ(bus.read8(0x4).status, tlm::TLM_BURST_ERROR_RESPONSE);
  EXPECT_EQ(bus.read8(0x5).status, tlm::TLM_BURST_ERROR_RESPONSE);
  EXPECT_EQ(bus.read32(0xC).status, tlm::TLM_BURST_ERROR_RESPONSE);
  EXPECT_EQ(dut.ctrl.get(), 0u);
}

TEST(peripheral, access_rights_are_command_errors) {
  dut_t dut("dut");
  edgevp::test::initiator bus("bus", dut.in);
  EXPECT_EQ(bus.write32(0x0, 1).status, tlm::TLM_COMMAND_ERROR_RESPONSE);
  EXPECT_EQ(dut.id.get(), 0xCAFE0001u);
  EXPECT_EQ(bus.read32(0x8).status, tlm::TLM_COMMAND_ERROR_RESPONSE);
}

TEST(peripheral, callback_can_refuse_an_access) {
  dut_t dut("dut");
  edgevp::test::initiator bus("bus", dut.in);
  EXPECT_EQ(bus.write32(0x8, 7).status, tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(bus.write32(0x8, 0xDEAD).status, tlm::TLM_COMMAND_ERROR_RESPONSE);
  EXPECT_EQ(bus.write32(0x8, 8).status, tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(dut.cmd_writes, 3u);
  EXPECT_EQ(dut.last_cmd, 8u);
}

TEST(peripheral, latency_is_annotated) {
  dut_t dut("dut");
  dut.set_latency(sc_core::sc_time(7, sc_core::SC_NS));
  edgevp::test::initiator bus("bus", dut.in);
  EXPECT_EQ(bus.read32(0x0).delay, sc_core::sc_time(7, sc_core::SC_NS));
}

TEST(peripheral, debug_access_bypasses_callbacks) {
  dut_t dut("dut");
  edgevp::test::initiator bus("bus", dut.in);
  std::uint32_t v = 0x77;
  EXPECT_EQ(bus.debug_write(0x8, &v, 4), 4u);
  EXPECT_EQ(dut.cmd_writes, 0u);
  EXPECT_EQ(dut.cmd.get(), 0x77u);
  std::uint32_t r = 0;
  EXPECT_EQ(bus.debug_read(0x4, &r, 4), 4u);
  EXPECT_EQ(r, 0u);  // stored value, not the read callback's
}

TEST(peripheral, reset_restores_reset_values) {
  dut_t dut("dut");
  edgevp::test::initiator bus("bus", dut.in);
  bus.write32(0x4, 99);
  dut.reset();
  EXPECT_EQ(dut.ctrl.get(), 0u);
}

TEST(peripheral, overlapping_registers_are_rejected) {
  struct bad_t : edgevp::core::peripheral {
    reg<std::uint32_t> a{this, "A", 0x0};
    explicit bad_t(const sc_core::sc_module_name& n) : peripheral(n) {}
  };
  bad_t bad("bad");
  EXPECT_THROW((reg<std::uint32_t>{&bad, "B", 0x2}), std::logic_error);
}

}  // namespace

namespace {

TEST(peripheral, byte_enables_are_refused) {
  dut_t dut("dut");
  edgevp::test::initiator bus("bus", dut.in);
  unsigned char data[4] = {1, 2, 3, 4};
  unsigned char be[4] = {0xFF, 0, 0xFF, 0};
  tlm::tlm_generic_payload tx;
  tx.set_command(tlm::TLM_WRITE_COMMAND);
  tx.set_address(0x4);
  tx.set_data_ptr(data);
  tx.set_data_length(4);
  tx.set_streaming_width(4);
  tx.set_byte_enable_ptr(be);
  tx.set_byte_enable_length(4);
  sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
  bus.out->b_transport(tx, delay);
  EXPECT_EQ(tx.get_response_status(), tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
  EXPECT_EQ(dut.ctrl.get(), 0u);
}

TEST(peripheral, debug_ignore_command_touches_nothing) {
  dut_t dut("dut");
  edgevp::test::initiator bus("bus", dut.in);
  std::uint32_t v = 0x1234;
  EXPECT_EQ(bus.debug(tlm::TLM_IGNORE_COMMAND, 0x4, &v, 4), 0u);
  EXPECT_EQ(dut.ctrl.get(), 0u);
  EXPECT_EQ(v, 0x1234u);
}

}  // namespace

namespace {

struct hooked_t : edgevp::core::peripheral {
  reg<std::uint32_t> r{this, "R", 0x0};
  unsigned bus_calls = 0, debug_calls = 0;
  explicit hooked_t(const sc_core::sc_module_name& n) : peripheral(n) {}
  void after_access(const tlm::tlm_generic_payload&, bool debug) override { ++(debug ? debug_calls : bus_calls); }
};

TEST(peripheral, after_access_runs_for_every_bus_and_debug_access) {
  hooked_t dut("dut");
  edgevp::test::initiator bus("bus", dut.in);
  bus.write32(0x0, 1);
  bus.read32(0x0);
  EXPECT_EQ(bus.read32(0x40).status, tlm::TLM_ADDRESS_ERROR_RESPONSE);  // refused accesses too
  std::uint32_t v = 0;
  bus.debug_read(0x0, &v, 4);
  EXPECT_EQ(dut.bus_calls, 3u);
  EXPECT_EQ(dut.debug_calls, 1u);
}

}  // namespace

// Bench for the memory model: bounds, read-only ROM, byte enables, streaming, DMI, debug access.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>

#include "models/core/errors.h"
#include "models/memory/memory.h"
#include "tests/unit/tlm_helpers.h"

namespace {

using edgevp::memory::memory;
using edgevp::memory::memory_config;
using sc_core::sc_time;
using sc_core::SC_NS;

memory_config ram_cfg(std::uint64_t size = 1024) {
  memory_config c;
  c.size = size;
  c.read_latency = sc_time(3, SC_NS);
  c.write_latency = sc_time(5, SC_NS);
  return c;
}

memory_config rom_cfg(std::uint64_t size = 1024) {
  memory_config c = ram_cfg(size);
  c.read_only = true;
  return c;
}

// A payload the helper does not build: byte enables, streaming width, longer data.
struct payload {
  tlm::tlm_generic_payload tx;
  sc_time delay = sc_core::SC_ZERO_TIME;
  payload(tlm::tlm_command cmd, std::uint64_t addr, unsigned char* data, unsigned len) {
    tx.set_command(cmd);
    tx.set_address(addr);
    tx.set_data_ptr(data);
    tx.set_data_length(len);
    tx.set_streaming_width(len);
    tx.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  }
  tlm::tlm_response_status run(edgevp::test::initiator& bus) {
    bus.out->b_transport(tx, delay);
    return tx.get_response_status();
  }
};

TEST(memory, starts_zeroed_and_stores_writes) {
  memory mem("mem", ram_cfg());
  edgevp::test::initiator bus("bus", mem.in);
  EXPECT_EQ(mem.size(), 1024u);
  EXPECT_EQ(bus.read32(0x10).value, 0u);
  EXPECT_EQ(bus.write32(0x10, 0xDEADBEEF).status, tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(bus.read32(0x10).value, 0xDEADBEEFu);
  EXPECT_EQ(bus.read8(0x10).value, 0xEFu);  // little-endian byte array
  EXPECT_EQ(bus.read16(0x12).value, 0xDEADu);
  EXPECT_EQ(mem.data()[0x13], 0xDE);
  EXPECT_EQ(bus.write8(0x3FF, 0x42).status, tlm::TLM_OK_RESPONSE);  // last byte
  EXPECT_EQ(mem.data()[0x3FF], 0x42);
}

TEST(memory, latency_is_annotated_per_direction) {
  memory mem("mem", ram_cfg());
  edgevp::test::initiator bus("bus", mem.in);
  EXPECT_EQ(bus.read32(0).delay, sc_time(3, SC_NS));
  EXPECT_EQ(bus.write32(0, 1).delay, sc_time(5, SC_NS));
}

TEST(memory, out_of_range_is_address_error) {
  memory mem("mem", ram_cfg());
  edgevp::test::initiator bus("bus", mem.in);
  EXPECT_EQ(bus.read8(1024).status, tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(bus.read32(1022).status, tlm::TLM_ADDRESS_ERROR_RESPONSE);  // straddles the end
  EXPECT_EQ(bus.write32(1021, 0xFFFFFFFF).status, tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(mem.data()[1021], 0);  // nothing of the refused write landed
  EXPECT_EQ(mem.data()[1023], 0);
  // An address near 2^64 must not wrap around into range.
  EXPECT_EQ(bus.read32(~std::uint64_t{0} - 1).status, tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(bus.read32(1020).status, tlm::TLM_OK_RESPONSE);
}

TEST(memory, rom_refuses_writes_but_reads) {
  memory rom("rom", rom_cfg());
  edgevp::test::initiator bus("bus", rom.in);
  rom.data()[4] = 0x13;
  EXPECT_EQ(bus.write32(4, 0xFFFFFFFF).status, tlm::TLM_COMMAND_ERROR_RESPONSE);
  EXPECT_EQ(rom.data()[4], 0x13);
  EXPECT_EQ(bus.read32(4).status, tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(bus.read32(4).value, 0x13u);
  // Bounds are checked first: a write past the end of a ROM is an address error.
  EXPECT_EQ(bus.write32(1024, 0).status, tlm::TLM_ADDRESS_ERROR_RESPONSE);
}

TEST(memory, dmi_hint_is_set_on_success_only) {
  memory mem("mem", ram_cfg());
  edgevp::test::initiator bus("bus", mem.in);
  std::uint32_t v = 0;
  payload ok(tlm::TLM_READ_COMMAND, 0, reinterpret_cast<unsigned char*>(&v), 4);
  EXPECT_EQ(ok.run(bus), tlm::TLM_OK_RESPONSE);
  EXPECT_TRUE(ok.tx.is_dmi_allowed());
  payload bad(tlm::TLM_READ_COMMAND, 4096, reinterpret_cast<unsigned char*>(&v), 4);
  EXPECT_EQ(bad.run(bus), tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_FALSE(bad.tx.is_dmi_allowed());
}

TEST(memory, byte_enables_are_honoured) {
  memory mem("mem", ram_cfg());
  edgevp::test::initiator bus("bus", mem.in);
  bus.write32(0x20, 0x11223344);
  unsigned char data[4] = {0xA1, 0xA2, 0xA3, 0xA4};
  unsigned char be[2] = {TLM_BYTE_DISABLED, TLM_BYTE_ENABLED};  // repeats: bytes 1 and 3
  payload w(tlm::TLM_WRITE_COMMAND, 0x20, data, 4);
  w.tx.set_byte_enable_ptr(be);
  w.tx.set_byte_enable_length(2);
  EXPECT_EQ(w.run(bus), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(bus.read32(0x20).value, 0xA422A244u);

  unsigned char out[4] = {0, 0, 0, 0};
  payload r(tlm::TLM_READ_COMMAND, 0x20, out, 4);
  unsigned char be_lo[4] = {TLM_BYTE_ENABLED, TLM_BYTE_DISABLED, TLM_BYTE_DISABLED,
                            TLM_BYTE_DISABLED};
  r.tx.set_byte_enable_ptr(be_lo);
  r.tx.set_byte_enable_length(4);
  EXPECT_EQ(r.run(bus), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(out[0], 0x44);
  EXPECT_EQ(out[1], 0);  // disabled bytes are left alone
  EXPECT_EQ(out[3], 0);
}

TEST(memory, streaming_width_wraps_the_address) {
  memory mem("mem", ram_cfg());
  edgevp::test::initiator bus("bus", mem.in);
  unsigned char data[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  payload w(tlm::TLM_WRITE_COMMAND, 0x40, data, 8);
  w.tx.set_streaming_width(2);  // a FIFO-like target address: 0x40, 0x41, 0x40, ...
  EXPECT_EQ(w.run(bus), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(mem.data()[0x40], 7);
  EXPECT_EQ(mem.data()[0x41], 8);
  EXPECT_EQ(mem.data()[0x42], 0);
  // Only the streamed window has to fit: 0x3FE..0x3FF.
  payload edge(tlm::TLM_WRITE_COMMAND, 0x3FE, data, 8);
  edge.tx.set_streaming_width(2);
  EXPECT_EQ(edge.run(bus), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(mem.data()[0x3FF], 8);
}

TEST(memory, dmi_grants_the_whole_ram_read_write) {
  memory mem("mem", ram_cfg());
  edgevp::test::initiator bus("bus", mem.in);
  tlm::tlm_dmi dmi;
  ASSERT_TRUE(bus.get_dmi(0x100, dmi, true));
  EXPECT_EQ(dmi.get_dmi_ptr(), mem.data());
  EXPECT_EQ(dmi.get_start_address(), 0u);
  EXPECT_EQ(dmi.get_end_address(), 1023u);
  EXPECT_TRUE(dmi.is_read_write_allowed());
  EXPECT_EQ(dmi.get_read_latency(), sc_time(3, SC_NS));
  EXPECT_EQ(dmi.get_write_latency(), sc_time(5, SC_NS));
  // The pointer is the memory: a DMI store is seen by b_transport and the other way round.
  const std::uint32_t v = 0xCAFEF00D;
  std::memcpy(dmi.get_dmi_ptr() + 0x200, &v, 4);
  EXPECT_EQ(bus.read32(0x200).value, 0xCAFEF00Du);
  bus.write8(0x300, 0x5A);
  EXPECT_EQ(dmi.get_dmi_ptr()[0x300], 0x5A);
}

TEST(memory, dmi_on_rom_is_read_only) {
  memory rom("rom", rom_cfg(256));
  edgevp::test::initiator bus("bus", rom.in);
  tlm::tlm_dmi dmi;
  ASSERT_TRUE(bus.get_dmi(0, dmi, false));
  EXPECT_TRUE(dmi.is_read_allowed());
  EXPECT_FALSE(dmi.is_write_allowed());
  EXPECT_EQ(dmi.get_end_address(), 255u);
  tlm::tlm_dmi wdmi;
  EXPECT_FALSE(bus.get_dmi(0, wdmi, true));  // write was asked, only read is granted
  EXPECT_TRUE(wdmi.is_read_allowed());
  EXPECT_FALSE(wdmi.is_write_allowed());
}

TEST(memory, dmi_outside_is_refused) {
  memory mem("mem", ram_cfg());
  edgevp::test::initiator bus("bus", mem.in);
  tlm::tlm_dmi dmi;
  EXPECT_FALSE(bus.get_dmi(1024, dmi));
  EXPECT_TRUE(dmi.is_none_allowed());
}

TEST(memory, debug_writes_reach_rom_and_are_clipped) {
  memory rom("rom", rom_cfg(16));
  edgevp::test::initiator bus("bus", rom.in);
  unsigned char image[8] = {0x97, 0x02, 0x00, 0x00, 0x67, 0x80, 0x02, 0x00};
  EXPECT_EQ(bus.debug_write(0, image, 8), 8u);
  EXPECT_EQ(rom.data()[0], 0x97);
  EXPECT_EQ(bus.read32(4).value, 0x00028067u);
  EXPECT_EQ(bus.debug_write(12, image, 8), 4u);  // clipped at the end
  EXPECT_EQ(rom.data()[13], 0x02);
  EXPECT_EQ(rom.data()[12], 0x97);
  unsigned char back[8] = {};
  EXPECT_EQ(bus.debug_read(10, back, 8), 6u);
  EXPECT_EQ(back[2], 0x97);
  EXPECT_EQ(bus.debug_read(16, back, 8), 0u);
}

TEST(memory, zero_size_is_a_configuration_error) {
  EXPECT_THROW(memory("bad", memory_config{}), edgevp::core::config_error);
}

}  // namespace

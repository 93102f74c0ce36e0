// Bench for the syscon: identification, exit encodings, region markers read through `mem`.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "models/memory/memory.h"
#include "models/peripherals/syscon.h"
#include "tests/unit/tlm_helpers.h"

namespace {

edgevp::memory::memory_config ram_config(std::uint64_t size) {
  edgevp::memory::memory_config c;
  c.size = size;
  return c;
}

using edgevp::peripherals::syscon;
using edgevp::peripherals::syscon_config;
using sc_core::sc_time;
using sc_core::SC_NS;

enum : std::uint64_t { ID = 0x0, VERSION = 0x4, EXIT = 0x8, REGION_BEGIN = 0xC, REGION_END = 0x10 };

struct exit_event {
  int code;
  sc_time when;
};
struct region_event {
  bool begin;
  std::string name;
  sc_time when;
  bool operator==(const region_event& o) const {
    return begin == o.begin && name == o.name && when == o.when;
  }
};

// The syscon with a 4 KiB memory behind `mem`, where the tests put region names.
struct bench {
  edgevp::memory::memory ram;
  syscon dut;
  edgevp::test::initiator bus{"bus", dut.in};
  std::vector<exit_event> exits;
  std::vector<region_event> regions;
  explicit bench(const syscon_config& cfg = syscon_config{}, bool callbacks = true)
      : ram("ram", ram_config(4096)), dut("syscon", cfg) {
    dut.mem.bind(ram.in);
    if (!callbacks) return;
    dut.on_exit = [this](int code, sc_time t) { exits.push_back({code, t}); };
    dut.on_region = [this](bool begin, const std::string& name, sc_time t) {
      regions.push_back({begin, name, t});
    };
  }
  void put(std::uint64_t addr, const std::string& s) {  // with its NUL
    std::memcpy(ram.data() + addr, s.c_str(), s.size() + 1);
  }
};

TEST(syscon, id_and_version) {
  syscon_config cfg;
  cfg.version = 0x00010203;
  bench b(cfg);
  EXPECT_EQ(b.bus.read32(ID).value, 0xED6E0001u);
  EXPECT_EQ(b.bus.read32(VERSION).value, 0x00010203u);
  syscon_config other;
  other.platform_id = 0x12345678;
  syscon s("other", other);
  edgevp::memory::memory m("m", ram_config(16));
  s.mem.bind(m.in);
  edgevp::test::initiator bus("bus2", s.in);
  EXPECT_EQ(bus.read32(ID).value, 0x12345678u);
  s.reset();
  EXPECT_EQ(bus.read32(ID).value, 0x12345678u);  // the configured value is the reset value
}

TEST(syscon, exit_pass) {
  bench b;
  EXPECT_EQ(b.bus.write32(EXIT, 0x5555).status, tlm::TLM_OK_RESPONSE);
  ASSERT_EQ(b.exits.size(), 1u);
  EXPECT_EQ(b.exits[0].code, 0);
  EXPECT_TRUE(b.dut.exit_requested());
}

TEST(syscon, exit_with_code) {
  bench b;
  EXPECT_EQ(b.bus.write32(EXIT, (3u << 16) | 0x3333).status, tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(b.bus.write32(EXIT, (0xFFFFu << 16) | 0x3333).status, tlm::TLM_OK_RESPONSE);
  ASSERT_EQ(b.exits.size(), 2u);
  EXPECT_EQ(b.exits[0].code, 3);
  EXPECT_EQ(b.exits[1].code, 65535);
  EXPECT_EQ(b.dut.exit_code(), 65535);
}

TEST(syscon, exit_time_is_the_access_time) {
  bench b;
  // An initiator 2 us ahead of the kernel; the syscon's own latency (10 ns) comes first.
  b.bus.access(tlm::TLM_WRITE_COMMAND, EXIT, 4, 0x5555, sc_time(2000, SC_NS));
  ASSERT_EQ(b.exits.size(), 1u);
  EXPECT_EQ(b.exits[0].when, sc_time(2010, SC_NS));
}

TEST(syscon, other_exit_values_are_refused) {
  bench b;
  for (std::uint64_t v : {0x0ull, 0x7777ull, 0x5556ull, 0x00015555ull, 0x3334ull}) {
    EXPECT_EQ(b.bus.write32(EXIT, v).status, tlm::TLM_COMMAND_ERROR_RESPONSE) << std::hex << v;
  }
  EXPECT_TRUE(b.exits.empty());
  EXPECT_FALSE(b.dut.exit_requested());
}

TEST(syscon, exit_is_tracked_without_a_callback) {
  bench b(syscon_config{}, false);
  EXPECT_EQ(b.bus.write32(EXIT, (42u << 16) | 0x3333).status, tlm::TLM_OK_RESPONSE);
  EXPECT_TRUE(b.dut.exit_requested());
  EXPECT_EQ(b.dut.exit_code(), 42);
}

TEST(syscon, region_names_are_read_from_memory) {
  bench b;
  b.put(0x100, "conv1");
  EXPECT_EQ(b.bus.write32(REGION_BEGIN, 0x100).status, tlm::TLM_OK_RESPONSE);
  ASSERT_EQ(b.regions.size(), 1u);
  EXPECT_EQ(b.regions[0], (region_event{true, "conv1", sc_time(10, SC_NS)}));
  EXPECT_EQ(b.dut.open_regions(), std::vector<std::string>{"conv1"});
}

TEST(syscon, regions_nest) {
  bench b;
  b.put(0x10, "net");
  b.put(0x20, "layer0");
  b.bus.write32(REGION_BEGIN, 0x10);
  b.bus.write32(REGION_BEGIN, 0x20);
  EXPECT_EQ(b.dut.open_regions(), (std::vector<std::string>{"net", "layer0"}));
  EXPECT_EQ(b.bus.write32(REGION_END, 0).status, tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(b.dut.open_regions(), std::vector<std::string>{"net"});
  EXPECT_EQ(b.bus.write32(REGION_END, 0xFFFF).status, tlm::TLM_OK_RESPONSE);  // value ignored
  EXPECT_TRUE(b.dut.open_regions().empty());
  ASSERT_EQ(b.regions.size(), 4u);
  EXPECT_EQ(b.regions[2].name, "layer0");  // innermost closes first
  EXPECT_FALSE(b.regions[2].begin);
  EXPECT_EQ(b.regions[3].name, "net");
}

TEST(syscon, region_end_with_nothing_open_is_refused) {
  bench b;
  EXPECT_EQ(b.bus.write32(REGION_END, 0).status, tlm::TLM_COMMAND_ERROR_RESPONSE);
  EXPECT_TRUE(b.regions.empty());
  b.put(0, "a");
  b.bus.write32(REGION_BEGIN, 0);
  b.bus.write32(REGION_END, 0);
  EXPECT_EQ(b.bus.write32(REGION_END, 0).status, tlm::TLM_COMMAND_ERROR_RESPONSE);
  EXPECT_EQ(b.regions.size(), 2u);
}

// Firmware that opens regions and never closes them must not grow the model without bound.
TEST(syscon, at_most_256_regions_are_open_at_once) {
  bench b;
  b.put(0, "deep");
  for (std::size_t i = 0; i < syscon::max_depth; ++i)
    ASSERT_EQ(b.bus.write32(REGION_BEGIN, 0).status, tlm::TLM_OK_RESPONSE) << i;
  EXPECT_EQ(b.bus.write32(REGION_BEGIN, 0).status, tlm::TLM_COMMAND_ERROR_RESPONSE);
  EXPECT_EQ(b.dut.open_regions().size(), syscon::max_depth);
  EXPECT_EQ(b.regions.size(), syscon::max_depth);
  EXPECT_EQ(b.bus.write32(REGION_END, 0).status, tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(b.bus.write32(REGION_BEGIN, 0).status, tlm::TLM_OK_RESPONSE);  // room again
}

TEST(syscon, unreadable_name_is_refused) {
  bench b;
  EXPECT_EQ(b.bus.write32(REGION_BEGIN, 0x10000).status, tlm::TLM_COMMAND_ERROR_RESPONSE);
  EXPECT_TRUE(b.dut.open_regions().empty());
  EXPECT_TRUE(b.regions.empty());
}

TEST(syscon, name_length_limit_is_63) {
  bench b;
  const std::string longest(63, 'x');
  b.put(0x200, longest);
  EXPECT_EQ(b.bus.write32(REGION_BEGIN, 0x200).status, tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(b.dut.open_regions().back(), longest);
  b.put(0x300, longest + "y");
  EXPECT_EQ(b.bus.write32(REGION_BEGIN, 0x300).status, tlm::TLM_COMMAND_ERROR_RESPONSE);
  EXPECT_EQ(b.dut.open_regions().size(), 1u);
}

TEST(syscon, name_at_the_end_of_memory) {
  bench b;
  b.put(4096 - 3, "ab");  // the debug read is clipped to 3 bytes, the NUL is among them
  EXPECT_EQ(b.bus.write32(REGION_BEGIN, 4096 - 3).status, tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(b.dut.open_regions().back(), "ab");
  std::memset(b.ram.data() + 4096 - 4, 'z', 4);  // runs off the end without a NUL
  EXPECT_EQ(b.bus.write32(REGION_BEGIN, 4096 - 4).status, tlm::TLM_COMMAND_ERROR_RESPONSE);
  EXPECT_EQ(b.dut.open_regions().size(), 1u);
}

TEST(syscon, regions_are_tracked_without_a_callback) {
  bench b(syscon_config{}, false);
  b.put(0x40, "solo");
  EXPECT_EQ(b.bus.write32(REGION_BEGIN, 0x40).status, tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(b.dut.open_regions(), std::vector<std::string>{"solo"});
  EXPECT_EQ(b.bus.write32(REGION_END, 0).status, tlm::TLM_OK_RESPONSE);
  EXPECT_TRUE(b.dut.open_regions().empty());
}

TEST(syscon, debug_writes_do_not_exit_or_open_regions) {
  bench b;
  std::uint32_t v = 0x5555;
  EXPECT_EQ(b.bus.debug_write(EXIT, &v, 4), 4u);
  EXPECT_TRUE(b.exits.empty());
  EXPECT_FALSE(b.dut.exit_requested());
}

TEST(syscon, reset_closes_regions) {
  bench b;
  b.put(0, "r");
  b.bus.write32(REGION_BEGIN, 0);
  b.bus.write32(EXIT, 0x5555);
  b.dut.reset();
  EXPECT_TRUE(b.dut.open_regions().empty());
  EXPECT_FALSE(b.dut.exit_requested());
}

TEST(syscon, bad_accesses_are_answered) {
  bench b;
  EXPECT_EQ(b.bus.write32(ID, 0).status, tlm::TLM_COMMAND_ERROR_RESPONSE);
  EXPECT_EQ(b.bus.write32(VERSION, 0).status, tlm::TLM_COMMAND_ERROR_RESPONSE);
  EXPECT_EQ(b.bus.read32(EXIT).status, tlm::TLM_COMMAND_ERROR_RESPONSE);
  EXPECT_EQ(b.bus.read32(REGION_BEGIN).status, tlm::TLM_COMMAND_ERROR_RESPONSE);
  EXPECT_EQ(b.bus.write16(EXIT, 0x5555).status, tlm::TLM_BURST_ERROR_RESPONSE);
  EXPECT_TRUE(b.exits.empty());
  EXPECT_EQ(b.bus.read32(0x14).status, tlm::TLM_ADDRESS_ERROR_RESPONSE);
}

}  // namespace

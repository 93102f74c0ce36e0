// Bench for the GPIO: pin levels, edge latching per direction, irq and wake, outputs and their
// callback, the timed stimulus and its file parser, debug access, reset. The behavioural tests run
// on both implementations: the TLM model and the RTL (rtl/edgevp_gpio.sv behind its AXI4-Lite
// bridge, models/rtl/gpio_rtl.cc), which must behave alike.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <unistd.h>

#include "models/core/errors.h"
#include "models/peripherals/gpio.h"
#include "models/rtl/gpio_rtl.h"
#include "tests/unit/tlm_helpers.h"

namespace {

using edgevp::core::config_error;
using edgevp::peripherals::gpio;
using edgevp::peripherals::gpio_config;
using edgevp::peripherals::gpio_event;
using edgevp::peripherals::parse_gpio_stimulus;
using sc_core::SC_MS;
using sc_core::SC_NS;
using sc_core::SC_PS;
using sc_core::sc_start;
using sc_core::sc_time;
using sc_core::SC_US;

enum : std::uint64_t {
  INPUT = 0x00,
  OUTPUT = 0x04,
  OUTPUT_EN = 0x08,
  RISE_EN = 0x0C,
  FALL_EN = 0x10,
  STATUS = 0x14,
  WAKE_EN = 0x18
};

gpio_config quick() {
  gpio_config c;
  c.latency = sc_core::SC_ZERO_TIME;
  return c;
}

// The implementation the benches build (the parameter of the gpio_impl tests).
std::string g_impl = "tlm";

std::unique_ptr<gpio> make_gpio(const gpio_config& cfg) {
  if (g_impl == "rtl") return edgevp::rtl::make_gpio("gpio", cfg, edgevp::rtl::gpio_rtl_config{});
  return std::make_unique<gpio>("gpio", cfg);
}

struct bench {
  std::unique_ptr<gpio> m_dut;
  gpio& dut;
  edgevp::test::initiator bus{"bus", dut.in};
  std::vector<std::uint32_t> outputs_seen;
  sc_time irq_at = sc_core::SC_ZERO_TIME;
  unsigned irq_rises = 0;
  unsigned wake_rises = 0;
  explicit bench(const gpio_config& cfg = quick()) : m_dut(make_gpio(cfg)), dut(*m_dut) {
    dut.on_output = [this](std::uint32_t v) { outputs_seen.push_back(v); };
    dut.irq.bind([this](bool level) {
      if (!level) return;
      ++irq_rises;
      irq_at = sc_core::sc_time_stamp();
    });
    dut.wake.bind([this](bool level) { wake_rises += level ? 1 : 0; });
  }
  std::uint64_t rd(std::uint64_t a) { return bus.read32(a).value; }
};

std::string safe(std::string name) {
  for (char& c : name)
    if (c == '/') c = '_';
  return name;
}

// A file in the test's temporary directory, removed at the end.
struct temp_file {
  std::string path;
  explicit temp_file(const std::string& text) {
    path = ::testing::TempDir() + "gpio_stim_" + std::to_string(::getpid()) + "_" +
           safe(::testing::UnitTest::GetInstance()->current_test_info()->name()) + ".txt";
    std::ofstream(path) << text;
  }
  ~temp_file() { std::remove(path.c_str()); }
};

class gpio_impl : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { g_impl = GetParam(); }
  void TearDown() override { g_impl = "tlm"; }
};

std::string error_of(const std::string& text) {
  temp_file f(text);
  try {
    parse_gpio_stimulus(f.path);
  } catch (const config_error& e) {
    return e.what();
  }
  return "no error";
}

TEST_P(gpio_impl, reset_values) {
  gpio_config cfg = quick();
  cfg.initial_inputs = 0x80000001u;
  bench b(cfg);
  EXPECT_EQ(b.rd(INPUT), 0x80000001u);
  for (std::uint64_t r : {OUTPUT, OUTPUT_EN, RISE_EN, FALL_EN, STATUS, WAKE_EN}) EXPECT_EQ(b.rd(r), 0u) << r;
  EXPECT_FALSE(b.dut.irq.level());
  EXPECT_FALSE(b.dut.wake.level());
  EXPECT_TRUE(b.outputs_seen.empty());
}

TEST_P(gpio_impl, input_follows_set_input) {
  bench b;
  b.dut.set_input(3, true);
  b.dut.set_input(31, true);
  EXPECT_EQ(b.rd(INPUT), 0x80000008u);
  b.dut.set_input(3, false);
  EXPECT_EQ(b.rd(INPUT), 0x80000000u);
  EXPECT_EQ(b.dut.external_inputs(), 0x80000000u);
  EXPECT_THROW(b.dut.set_input(32, true), std::out_of_range);
}

TEST_P(gpio_impl, rising_edge_latched_only_when_enabled) {
  bench b;
  b.bus.write32(RISE_EN, 1u << 4);
  b.dut.set_input(5, true);  // rise on a pin without RISE_EN
  EXPECT_EQ(b.rd(STATUS), 0u);
  b.dut.set_input(4, true);
  EXPECT_EQ(b.rd(STATUS), 1u << 4);
  EXPECT_TRUE(b.dut.irq.level());
  EXPECT_FALSE(b.dut.wake.level());
}

TEST_P(gpio_impl, falling_edge_latched_only_when_enabled) {
  bench b;
  b.dut.set_input(2, true);
  b.bus.write32(FALL_EN, 1u << 2);
  b.bus.write32(RISE_EN, 1u << 7);
  b.dut.set_input(7, true);
  b.bus.write32(STATUS, 0xFFFFFFFFu);
  b.dut.set_input(7, false);  // fall on a pin with only RISE_EN
  EXPECT_EQ(b.rd(STATUS), 0u);
  EXPECT_FALSE(b.dut.irq.level());
  b.dut.set_input(2, false);
  EXPECT_EQ(b.rd(STATUS), 1u << 2);
  EXPECT_TRUE(b.dut.irq.level());
}

TEST_P(gpio_impl, status_is_w1c) {
  bench b;
  b.bus.write32(RISE_EN, 0x3);
  b.dut.set_input(0, true);
  b.dut.set_input(1, true);
  EXPECT_EQ(b.rd(STATUS), 0x3u);
  b.bus.write32(STATUS, 0x1);
  EXPECT_EQ(b.rd(STATUS), 0x2u);
  EXPECT_TRUE(b.dut.irq.level());
  b.bus.write32(STATUS, 0x2);
  EXPECT_EQ(b.rd(STATUS), 0u);
  EXPECT_FALSE(b.dut.irq.level());
  // The level stays high: no new edge, nothing latched again.
  b.dut.set_input(0, true);
  EXPECT_EQ(b.rd(STATUS), 0u);
}

TEST_P(gpio_impl, clearing_the_enables_masks_a_latched_edge_without_losing_it) {
  bench b;
  b.bus.write32(RISE_EN, 1u << 9);
  b.bus.write32(WAKE_EN, 1u << 9);
  b.dut.set_input(9, true);
  ASSERT_TRUE(b.dut.irq.level());
  ASSERT_TRUE(b.dut.wake.level());
  b.bus.write32(RISE_EN, 0);
  EXPECT_FALSE(b.dut.irq.level());
  EXPECT_FALSE(b.dut.wake.level());
  EXPECT_EQ(b.rd(STATUS), 1u << 9);
  b.bus.write32(FALL_EN, 1u << 9);  // either direction's enable unmasks it
  EXPECT_TRUE(b.dut.irq.level());
}

TEST_P(gpio_impl, wake_only_for_wake_enabled_pins) {
  bench b;
  b.bus.write32(RISE_EN, 0x30);
  b.bus.write32(WAKE_EN, 0x20);
  b.dut.set_input(4, true);
  EXPECT_TRUE(b.dut.irq.level());
  EXPECT_FALSE(b.dut.wake.level());
  b.dut.set_input(5, true);
  EXPECT_TRUE(b.dut.wake.level());
  b.bus.write32(STATUS, 0x20);
  EXPECT_FALSE(b.dut.wake.level());
  EXPECT_TRUE(b.dut.irq.level());  // pin 4 still latched
  b.bus.write32(WAKE_EN, 0x10);    // enabling wake on a latched pin raises it
  EXPECT_TRUE(b.dut.wake.level());
  EXPECT_EQ(b.wake_rises, 2u);
}

TEST_P(gpio_impl, outputs_are_driven_only_where_enabled) {
  bench b;
  b.dut.set_input(1, true);
  b.bus.write32(OUTPUT, 0x5);
  EXPECT_TRUE(b.outputs_seen.empty());  // not driven yet
  EXPECT_EQ(b.rd(INPUT), 0x2u);         // pins still follow the outside
  b.bus.write32(OUTPUT_EN, 0x3);        // pin 0 driven 1, pin 1 driven 0 (overrides the outside)
  ASSERT_EQ(b.outputs_seen.size(), 1u);
  EXPECT_EQ(b.outputs_seen.back(), 0x1u);
  EXPECT_EQ(b.dut.driven_outputs(), 0x1u);
  EXPECT_EQ(b.rd(INPUT), 0x1u);
  b.bus.write32(OUTPUT, 0x5);  // no change: no callback
  EXPECT_EQ(b.outputs_seen.size(), 1u);
  b.bus.write32(OUTPUT, 0x2);
  ASSERT_EQ(b.outputs_seen.size(), 2u);
  EXPECT_EQ(b.outputs_seen.back(), 0x2u);
  b.bus.write32(OUTPUT_EN, 0);
  EXPECT_EQ(b.outputs_seen.back(), 0x0u);
  EXPECT_EQ(b.rd(INPUT), 0x2u);
  EXPECT_EQ(b.rd(OUTPUT), 0x2u);  // OUTPUT keeps its value
}

TEST_P(gpio_impl, output_and_pin_signals_follow_for_the_vcd) {
  bench b;
  b.bus.write32(OUTPUT_EN, 0xF0);
  b.bus.write32(OUTPUT, 0xA5);
  b.dut.set_input(0, true);
  sc_start(sc_core::SC_ZERO_TIME);
  EXPECT_EQ(b.dut.outputs.read(), 0xA0u);
  EXPECT_EQ(b.dut.pins.read(), 0xA1u);
}

TEST_P(gpio_impl, toggling_an_output_makes_an_edge_loopback) {
  bench b;
  b.bus.write32(RISE_EN, 1u << 6);
  b.bus.write32(OUTPUT_EN, 1u << 6);
  EXPECT_EQ(b.rd(STATUS), 0u);
  b.bus.write32(OUTPUT, 1u << 6);
  EXPECT_EQ(b.rd(STATUS), 1u << 6);
  EXPECT_TRUE(b.dut.irq.level());
}

TEST_P(gpio_impl, switching_a_pin_to_output_is_an_edge_when_the_level_changes) {
  bench b;
  b.dut.set_input(8, true);
  b.bus.write32(FALL_EN, 1u << 8);
  b.bus.write32(OUTPUT_EN, 1u << 8);  // OUTPUT bit 8 is 0: the pin falls
  EXPECT_EQ(b.rd(STATUS), 1u << 8);
}

TEST_P(gpio_impl, stimulus_is_applied_at_its_times) {
  gpio_config cfg = quick();
  cfg.stimulus = {
      {sc_time(10, SC_US), 3, true}, {sc_time(20, SC_US), 3, false}, {sc_time(25, SC_US), 4, true}};
  bench b(cfg);
  b.bus.write32(RISE_EN, 1u << 3);
  sc_start(sc_time(9, SC_US));
  EXPECT_EQ(b.rd(INPUT), 0u);
  sc_start(sc_time(2, SC_US));
  EXPECT_EQ(b.rd(INPUT), 1u << 3);
  EXPECT_EQ(b.irq_at, sc_time(10, SC_US));
  sc_start(sc_time(10, SC_US));
  EXPECT_EQ(b.rd(INPUT), 0u);
  sc_start(sc_time(10, SC_US));
  EXPECT_EQ(b.rd(INPUT), 1u << 4);
  EXPECT_EQ(b.irq_rises, 1u);
  // Nothing left to do: the stimulus does not keep the simulation alive.
  EXPECT_FALSE(sc_core::sc_pending_activity_at_future_time());
}

TEST_P(gpio_impl, stimulus_at_time_zero_and_equal_times_in_list_order) {
  gpio_config cfg = quick();
  // A pulse within one instant: both edges happen, the level ends low.
  cfg.stimulus = {
      {sc_core::SC_ZERO_TIME, 1, true}, {sc_time(5, SC_US), 2, true}, {sc_time(5, SC_US), 2, false}};
  bench b(cfg);
  b.bus.write32(RISE_EN, 1u << 2);
  sc_start(sc_core::SC_ZERO_TIME);
  EXPECT_EQ(b.rd(INPUT), 1u << 1);
  sc_start(sc_time(10, SC_US));
  EXPECT_EQ(b.rd(INPUT), 1u << 1);
  EXPECT_EQ(b.rd(STATUS), 1u << 2);  // the rise was seen
  EXPECT_EQ(b.irq_at, sc_time(5, SC_US));
}

TEST(gpio, bad_stimulus_is_a_configuration_error) {
  gpio_config cfg = quick();
  cfg.stimulus = {{sc_time(1, SC_US), 32, true}};
  EXPECT_THROW(gpio("a", cfg), config_error);
  cfg.stimulus = {{sc_time(2, SC_US), 1, true}, {sc_time(1, SC_US), 1, false}};
  EXPECT_THROW(gpio("b", cfg), config_error);
}

TEST(gpio, parses_a_stimulus_file) {
  temp_file g(
      "# wake-up button on pin 3\n"
      "\n"
      "0s 0 1\n"
      "10ms 3 1   # pressed\n"
      "  10.5ms\t3 0\n"
      "10.5ms 31 1\n"
      "20000000250ps 2 1\n"
      "21ms 2 0");  // no final newline
  const std::vector<gpio_event> ev = parse_gpio_stimulus(g.path);
  ASSERT_EQ(ev.size(), 6u);
  EXPECT_EQ(ev[0].time, sc_core::SC_ZERO_TIME);
  EXPECT_EQ(ev[0].pin, 0u);
  EXPECT_TRUE(ev[0].level);
  EXPECT_EQ(ev[1].time, sc_time(10, SC_MS));
  EXPECT_EQ(ev[1].pin, 3u);
  EXPECT_EQ(ev[2].time, sc_time(10500, SC_US));
  EXPECT_FALSE(ev[2].level);
  EXPECT_EQ(ev[3].pin, 31u);
  EXPECT_EQ(ev[4].time, sc_time(20, SC_MS) + sc_time(250, SC_PS));
  EXPECT_EQ(ev[5].time, sc_time(21, SC_MS));
  EXPECT_FALSE(ev[5].level);
}

TEST(gpio, stimulus_file_errors_name_the_file_and_line) {
  const std::string dec = error_of("10ms 1 1\n# c\n5ms 1 0\n");
  EXPECT_NE(dec.find("gpio_stim_"), std::string::npos) << dec;
  EXPECT_NE(dec.find(":3: "), std::string::npos) << dec;
  EXPECT_NE(dec.find("earlier"), std::string::npos) << dec;
  EXPECT_NE(error_of("10 1 1\n").find(":1: malformed time '10'"), std::string::npos);
  EXPECT_NE(error_of("10 ms 1 1\n").find(":1: expected '<time> <pin> <level>'"), std::string::npos);
  EXPECT_NE(error_of("1ms 32 1\n").find(":1: pin '32' is not 0..31"), std::string::npos);
  EXPECT_NE(error_of("1ms -1 1\n").find("pin '-1'"), std::string::npos);
  EXPECT_NE(error_of("\n1ms 1 2\n").find(":2: level '2' is not 0 or 1"), std::string::npos);
  EXPECT_NE(error_of("1ms 1\n").find(":1: expected"), std::string::npos);
  EXPECT_NE(error_of("1.0005ns 1 1\n").find("finer than 1 ps"), std::string::npos);
  EXPECT_NE(error_of("1hours 1 1\n").find("malformed time"), std::string::npos);
  EXPECT_NE(error_of("99999999999999999999s 1 1\n").find("too large"), std::string::npos);
}

TEST(gpio, stimulus_file_that_cannot_be_read) {
  const std::string missing = ::testing::TempDir() + "no_such_gpio_stimulus.txt";
  try {
    parse_gpio_stimulus(missing);
    FAIL() << "no error";
  } catch (const config_error& e) {
    EXPECT_NE(std::string(e.what()).find(missing), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("does not exist"), std::string::npos) << e.what();
  }
  try {
    parse_gpio_stimulus(::testing::TempDir());
    FAIL() << "no error";
  } catch (const config_error& e) {
    EXPECT_NE(std::string(e.what()).find("is a directory"), std::string::npos) << e.what();
  }
}

TEST_P(gpio_impl, parsed_stimulus_drives_the_model) {
  temp_file f("1us 0 1\n2us 0 0\n");
  gpio_config cfg = quick();
  cfg.stimulus = parse_gpio_stimulus(f.path);
  bench b(cfg);
  b.bus.write32(FALL_EN, 1);
  sc_start(sc_time(5, SC_US));
  EXPECT_EQ(b.irq_at, sc_time(2, SC_US));
}

TEST_P(gpio_impl, debug_access) {
  bench b;
  if (g_impl == "rtl") {
    // The RTL's registers are behind its pins: a debugger's access would clock the block, so none
    // is offered (docs/rtl.md); the access reports 0 bytes instead of inventing values.
    std::uint32_t v = 0;
    EXPECT_EQ(b.bus.debug_read(INPUT, &v, 4), 0u);
    EXPECT_EQ(b.bus.debug_write(OUTPUT, &v, 4), 0u);
    return;
  }
  b.dut.set_input(4, true);
  std::uint32_t v = 0;
  EXPECT_EQ(b.bus.debug_read(INPUT, &v, 4), 4u);
  EXPECT_EQ(v, 1u << 4);
  std::uint32_t en = 1u << 1;
  b.bus.debug_write(RISE_EN, &en, 4);
  std::uint32_t st = 1u << 1;
  b.bus.debug_write(STATUS, &st, 4);  // a debugger sets an edge: stored, not w1c
  EXPECT_EQ(b.rd(STATUS), 1u << 1);
  EXPECT_TRUE(b.dut.irq.level());
  std::uint32_t junk = 0xFFFFFFFFu;
  b.bus.debug_write(INPUT, &junk, 4);  // ignored: INPUT shows the pins
  EXPECT_EQ(b.rd(INPUT), 1u << 4);
  std::uint32_t oe = 1u, out = 1u;
  b.bus.debug_write(OUTPUT, &out, 4);
  b.bus.debug_write(OUTPUT_EN, &oe, 4);
  ASSERT_FALSE(b.outputs_seen.empty());
  EXPECT_EQ(b.outputs_seen.back(), 1u);
}

TEST_P(gpio_impl, reset_clears_registers_and_keeps_the_outside_levels) {
  gpio_config cfg = quick();
  cfg.stimulus = {{sc_time(10, SC_US), 6, true}};
  bench b(cfg);
  b.dut.set_input(2, true);
  b.bus.write32(RISE_EN, 0xFF);
  b.bus.write32(WAKE_EN, 0xFF);
  b.bus.write32(OUTPUT_EN, 0x1);
  b.bus.write32(OUTPUT, 0x1);
  ASSERT_TRUE(b.dut.irq.level());  // pin 0 rose (loopback)
  b.dut.reset();
  EXPECT_FALSE(b.dut.irq.level());
  EXPECT_FALSE(b.dut.wake.level());
  EXPECT_EQ(b.outputs_seen.back(), 0u);  // no longer driven
  EXPECT_EQ(b.rd(INPUT), 1u << 2);
  for (std::uint64_t r : {OUTPUT, OUTPUT_EN, RISE_EN, FALL_EN, STATUS, WAKE_EN}) EXPECT_EQ(b.rd(r), 0u) << r;
  // The stimulus keeps playing after the reset.
  sc_start(sc_time(20, SC_US));
  EXPECT_EQ(b.rd(INPUT), (1u << 2) | (1u << 6));
}

TEST_P(gpio_impl, bad_accesses_are_answered) {
  bench b;
  // The RTL answers SLVERR, which the bridge maps to a generic error (docs/rtl.md).
  EXPECT_EQ(b.bus.write32(INPUT, 1).status,
            g_impl == "rtl" ? tlm::TLM_GENERIC_ERROR_RESPONSE : tlm::TLM_COMMAND_ERROR_RESPONSE);
  EXPECT_EQ(b.bus.read8(OUTPUT).status, tlm::TLM_BURST_ERROR_RESPONSE);
  EXPECT_EQ(b.bus.read32(0x1C).status, tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(b.bus.write32(OUTPUT, 1).status, tlm::TLM_OK_RESPONSE);
}

INSTANTIATE_TEST_SUITE_P(impl, gpio_impl, ::testing::Values("tlm", "rtl"),
                         [](const ::testing::TestParamInfo<std::string>& i) { return i.param; });

}  // namespace

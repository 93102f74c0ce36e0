// Bench for the PMU: operating points (DVFS), domain registers, sleep and deep-sleep transitions,
// wake-up sources and transition energies.
#include <gtest/gtest.h>

#include <cstdint>

#include "models/core/errors.h"
#include "models/pmu/pmu.h"
#include "tests/unit/tlm_helpers.h"

namespace {

namespace pw = edgevp::core::power;
using edgevp::cpu::wfi_action;
using sc_core::SC_NS;
using sc_core::sc_start;
using sc_core::sc_time;
using sc_core::SC_US;

enum : std::uint64_t { MODE = 0x04, OPP = 0x08, OPP_COUNT = 0x0C, WAKE_EN = 0x10, WAKE_REASON = 0x14 };
enum : std::uint64_t {
  SRAM_RET = 0x18,
  DEEP_SLEEPS = 0x1C,
  OPP_FREQ = 0x20,
  OPP_MV = 0x24,
  DOMAIN_COUNT = 0x3C
};
constexpr std::uint64_t domain_reg(unsigned i) {
  return 0x40 + 4 * i;
}

struct bench {
  pw::monitor mon{{0.8, 100e6}};
  pw::domain& aon = mon.add_domain("aon", false, {0.8, 32768});
  pw::domain& cpu = mon.add_domain("cpu");
  pw::domain& soc = mon.add_domain("soc");
  pw::domain& sram = mon.add_domain("sram");
  pw::domain& emram = mon.add_domain("emram");
  edgevp::core::clock clk{100e6};
  edgevp::pmu::pmu dut;
  edgevp::test::initiator bus{"bus", dut.in};
  explicit bench(const edgevp::pmu::pmu_config& cfg = {}) : dut("pmu", cfg, mon, clk) {
    dut.configure_power({1e-12, 0.0, 0.0});
    dut.attach_power(mon, aon);
  }
};

TEST(Pmu, OperatingPointSwitchChangesClockMonitorAndTakesTime) {
  bench b;
  EXPECT_EQ(b.bus.read32(OPP_COUNT).value, 2u);
  EXPECT_EQ(b.bus.read32(OPP_FREQ).value, 100000000u);
  EXPECT_EQ(b.bus.read32(OPP_MV).value, 800u);
  const auto w = b.bus.write32(OPP, 1);
  EXPECT_EQ(w.status, tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(w.delay, sc_time(10, SC_NS) + sc_time(10, SC_US));  // register latency + dvfs_latency
  EXPECT_DOUBLE_EQ(b.clk.hz(), 50e6);
  EXPECT_DOUBLE_EQ(b.mon.operating().voltage, 0.6);
  EXPECT_EQ(b.bus.read32(OPP).value, 1u);
  EXPECT_EQ(b.bus.read32(OPP_MV).value, 600u);
  EXPECT_EQ(b.bus.write32(OPP, 2).status, tlm::TLM_COMMAND_ERROR_RESPONSE);
  EXPECT_EQ(b.bus.read32(OPP).value, 1u);
  b.mon.checkpoint(sc_core::SC_ZERO_TIME);
  EXPECT_NEAR(pw::to_joules(b.dut.power().energy_aj()), 5e-9 + 8 * 1e-12, 1e-15);  // switch + 8 accesses
}

TEST(Pmu, SoftwareControlsOnlyItsDomains) {
  bench b;
  EXPECT_EQ(b.bus.read32(DOMAIN_COUNT).value, 5u);
  EXPECT_EQ(b.bus.write32(domain_reg(3), 1).status, tlm::TLM_OK_RESPONSE);  // sram -> retention
  EXPECT_EQ(b.sram.current(), pw::state::retention);
  EXPECT_EQ(b.bus.read32(domain_reg(3)).value, 1u);
  EXPECT_EQ(b.bus.write32(domain_reg(3), 4).status, tlm::TLM_COMMAND_ERROR_RESPONSE);
  for (unsigned d : {0u, 1u, 2u})
    EXPECT_EQ(b.bus.write32(domain_reg(d), 0).status, tlm::TLM_COMMAND_ERROR_RESPONSE);
  EXPECT_EQ(b.cpu.current(), pw::state::on);
  EXPECT_EQ(b.bus.read32(domain_reg(5)).status, tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(b.bus.write32(MODE, 3).status, tlm::TLM_COMMAND_ERROR_RESPONSE);
}

TEST(Pmu, RunModeIdlesSleepModeGatesTheCore) {
  bench b;
  EXPECT_EQ(b.dut.core_wfi(), wfi_action::idle);
  EXPECT_EQ(b.cpu.current(), pw::state::on);
  b.bus.write32(MODE, 1);
  EXPECT_EQ(b.dut.core_wfi(), wfi_action::clock_gate);
  EXPECT_EQ(b.cpu.current(), pw::state::clock_gated);
  b.dut.core_wake();
  EXPECT_EQ(b.cpu.current(), pw::state::on);
}

TEST(Pmu, DeepSleepPowersDownAndAnEnabledSourceWakesTheSoc) {
  bench b;
  b.bus.write32(WAKE_EN, 1);  // RTC
  b.bus.write32(SRAM_RET, 1);
  b.bus.write32(MODE, 2);
  EXPECT_EQ(b.dut.core_wfi(), wfi_action::power_down);
  sc_start(sc_time(4, SC_US));
  EXPECT_EQ(b.cpu.current(), pw::state::on);  // entry takes 5 us
  sc_start(sc_time(2, SC_US));
  EXPECT_TRUE(b.dut.in_deep_sleep());
  EXPECT_EQ(b.cpu.current(), pw::state::off);
  EXPECT_EQ(b.soc.current(), pw::state::off);
  EXPECT_EQ(b.emram.current(), pw::state::off);
  EXPECT_EQ(b.sram.current(), pw::state::retention);
  EXPECT_EQ(b.aon.current(), pw::state::on);
  EXPECT_EQ(b.bus.read32(DEEP_SLEEPS).value, 1u);
  b.dut.set_gpio_wake(true);  // not enabled: ignored
  sc_start(sc_time(100, SC_US));
  EXPECT_TRUE(b.dut.in_deep_sleep());
  b.dut.set_gpio_wake(false);
  b.dut.set_rtc_wake(true);
  sc_start(sc_time(49, SC_US));
  EXPECT_TRUE(b.dut.in_deep_sleep());  // wake takes 50 us
  sc_start(sc_time(2, SC_US));
  EXPECT_FALSE(b.dut.in_deep_sleep());
  for (const auto& d : b.mon.domains()) EXPECT_EQ(d->current(), pw::state::on) << d->name();
  EXPECT_EQ(b.bus.read32(WAKE_REASON).value, 1u);
  EXPECT_EQ(b.bus.read32(MODE).value, 2u);  // the PMU's registers are always on
  b.mon.checkpoint(sc_core::sc_time_stamp());
  EXPECT_EQ(b.dut.deep_sleep_count(), 1u);
  EXPECT_EQ(b.dut.wake_count(), 1u);
  double transitions = 0;
  for (const auto& s : b.dut.power().sources())
    if (s.name == "deep_sleep_entry" || s.name == "wake_up") transitions += pw::to_joules(s.energy_aj);
  EXPECT_NEAR(transitions, 60e-9, 1e-15);
}

TEST(Pmu, AWakeSourceAlreadyAssertedWakesAtOnce) {
  bench b;
  b.bus.write32(WAKE_EN, 2);
  b.bus.write32(MODE, 2);
  b.dut.set_gpio_wake(true);
  b.dut.core_wfi();
  sc_start(sc_time(6, SC_US));
  EXPECT_TRUE(b.dut.in_deep_sleep());
  EXPECT_EQ(b.sram.current(), pw::state::off);  // SRAM_RET = 0
  sc_start(sc_time(50, SC_US));
  EXPECT_FALSE(b.dut.in_deep_sleep());
  EXPECT_EQ(b.bus.read32(WAKE_REASON).value, 2u);
}

TEST(Pmu, BadConfigurationsAreErrors) {
  pw::monitor mon{{0.8, 100e6}};
  mon.add_domain("aon", false);
  edgevp::core::clock clk{100e6};
  EXPECT_THROW(edgevp::pmu::pmu("p1", {}, mon, clk), edgevp::core::config_error);  // no cpu domain
  mon.add_domain("cpu");
  mon.add_domain("soc");
  edgevp::pmu::pmu_config c;
  c.reset_opp = 2;
  EXPECT_THROW(edgevp::pmu::pmu("p2", c, mon, clk), edgevp::core::config_error);
  c.opps.clear();
  c.reset_opp = 0;
  EXPECT_THROW(edgevp::pmu::pmu("p3", c, mon, clk), edgevp::core::config_error);
}

}  // namespace

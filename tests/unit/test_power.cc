// Bench for the power framework: curves, sources, domains, the monitor's integration and its
// conservation, the traces, and how memories and peripherals react to their domain's state.
#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

#include "models/core/errors.h"
#include "models/core/peripheral.h"
#include "models/core/power.h"
#include "models/core/power_trace.h"
#include "models/memory/memory.h"
#include "tests/unit/tlm_helpers.h"

namespace {

namespace pw = edgevp::core::power;
using sc_core::SC_MS;
using sc_core::SC_NS;
using sc_core::sc_time;
using sc_core::SC_US;

constexpr double aj = 1e-18;

TEST(PowerCurve, SingleValueScalesWithVoltage) {
  const pw::curve c(4e-12);
  EXPECT_DOUBLE_EQ(c.at(0.8, 0.8, 2.0), 4e-12);
  EXPECT_DOUBLE_EQ(c.at(0.4, 0.8, 2.0), 1e-12);
  EXPECT_DOUBLE_EQ(c.at(0.4, 0.8, 1.0), 2e-12);
  EXPECT_DOUBLE_EQ(c.at(0.4, 0.8, 0.0), 4e-12);
  EXPECT_TRUE(c.covers(5.0));
}

TEST(PowerCurve, TableInterpolatesAndRefusesBadTables) {
  const pw::curve c = pw::curve::table({{0.6, 2e-12}, {0.8, 4e-12}, {1.0, 8e-12}});
  EXPECT_DOUBLE_EQ(c.at(0.7, 0.8, 2.0), 3e-12);  // the table wins over the scaling rule
  EXPECT_DOUBLE_EQ(c.at(0.9, 0.8, 2.0), 6e-12);
  EXPECT_DOUBLE_EQ(c.at(0.8, 0.8, 2.0), 4e-12);
  EXPECT_TRUE(c.covers(0.6));
  EXPECT_FALSE(c.covers(0.5));
  EXPECT_FALSE(c.covers(1.1));
  EXPECT_THROW(pw::curve::table({{0.8, 1.0}, {0.6, 1.0}}), edgevp::core::config_error);
  EXPECT_THROW(pw::curve::table({{0.8, 1.0}, {0.8, 2.0}}), edgevp::core::config_error);
  EXPECT_THROW(pw::curve::table({}), edgevp::core::config_error);
  EXPECT_DOUBLE_EQ(c.scaled(8).at(0.7, 0.8, 2), 24e-12);
}

struct rig {
  pw::monitor mon{{0.8, 100e6}};
  pw::domain& d = mon.add_domain("core");
  pw::component comp{"comp"};
  std::uint64_t events = 0;
  rig() {
    comp.add_event("op", 2e-12, {&events});
    comp.set_background(10e-6);
    comp.set_leakage(1e-6);
    comp.set_retention(0.1e-6);
    mon.attach(comp, d);
  }
  double source_j(const std::string& n) const {
    for (const auto& s : comp.sources())
      if (s.name == n) return pw::to_joules(s.energy_aj);
    return -1;
  }
};

TEST(PowerMonitor, EventsAreCountedAtCheckpoints) {
  rig r;
  r.events = 1000;
  r.mon.checkpoint(sc_time(0, SC_NS));
  EXPECT_NEAR(r.source_j("op"), 2e-9, aj);
  EXPECT_EQ(r.comp.sources()[0].events, 1000u);
  r.events += 500;
  r.mon.checkpoint(sc_time(0, SC_NS));
  EXPECT_NEAR(r.source_j("op"), 3e-9, aj);
}

TEST(PowerMonitor, StaticPowerFollowsTheDomainState) {
  rig r;
  r.mon.checkpoint(sc_time(1, SC_MS));  // on: background 10 uW + leakage 1 uW
  EXPECT_NEAR(r.source_j("background"), 10e-9, aj);
  EXPECT_NEAR(r.source_j("leakage"), 1e-9, aj);
  r.mon.set_state(r.d, pw::state::clock_gated, sc_time(1, SC_MS));
  r.mon.checkpoint(sc_time(2, SC_MS));  // gated: leakage only
  EXPECT_NEAR(r.source_j("background"), 10e-9, aj);
  EXPECT_NEAR(r.source_j("leakage"), 2e-9, aj);
  r.mon.set_state(r.d, pw::state::retention, sc_time(2, SC_MS));
  r.mon.checkpoint(sc_time(3, SC_MS));  // retention: retention leakage only
  EXPECT_NEAR(r.source_j("leakage"), 2e-9, aj);
  EXPECT_NEAR(r.source_j("retention"), 0.1e-9, aj);
  r.mon.set_state(r.d, pw::state::off, sc_time(3, SC_MS));
  r.mon.checkpoint(sc_time(10, SC_MS));                            // off: nothing
  EXPECT_NEAR(pw::to_joules(r.mon.total_aj()), 12.1e-9, 10 * aj);  // 10 + 1 + 1 + 0.1 nJ
  EXPECT_EQ(r.d.residency(pw::state::off), sc_time(7, SC_MS));
  EXPECT_EQ(r.d.residency(pw::state::on), sc_time(1, SC_MS));
  EXPECT_EQ(r.d.transitions(), 3u);
}

TEST(PowerMonitor, OperatingPointScalesEnergyAndBackground) {
  rig r;
  r.mon.set_operating_point({0.4, 50e6}, sc_time(0, SC_NS));
  r.events = 100;
  r.mon.checkpoint(sc_time(1, SC_MS));
  EXPECT_NEAR(r.source_j("op"), 100 * 2e-12 / 4, aj);        // V^2
  EXPECT_NEAR(r.source_j("background"), 10e-9 / 4 / 2, aj);  // V^2 f
  EXPECT_NEAR(r.source_j("leakage"), 1e-9 / 2, aj);          // V
}

TEST(PowerMonitor, CheckCurvesNamesTheSourceOutsideItsTable) {
  rig r;
  r.comp.set_leakage(pw::curve::table({{0.7, 1e-6}, {0.9, 2e-6}}));
  EXPECT_NO_THROW(r.mon.check_curves({{0.8, 1e8}}));
  try {
    r.mon.check_curves({{0.8, 1e8}, {0.6, 5e7}});
    FAIL() << "no error";
  } catch (const edgevp::core::config_error& e) {
    EXPECT_NE(std::string(e.what()).find("comp.power.leakage"), std::string::npos) << e.what();
  }
}

TEST(PowerMonitor, CheckpointsNeverGoBack) {
  rig r;
  r.mon.checkpoint(sc_time(2, SC_MS));
  r.mon.checkpoint(sc_time(1, SC_MS));
  EXPECT_EQ(r.mon.last_checkpoint(), sc_time(2, SC_MS));
  EXPECT_NEAR(r.source_j("leakage"), 2e-9, aj);
}

TEST(PowerMonitor, PartsAddUpToTheTotalExactly) {
  pw::monitor mon{{0.8, 100e6}};
  pw::domain& a = mon.add_domain("a");
  pw::domain& b = mon.add_domain("b", false, {0.7, 32768});
  pw::component c1{"c1"}, c2{"c2"}, c3{"c3"};
  std::uint64_t e1 = 0, e2 = 0;
  c1.add_event("x", 3.3e-12, {&e1});
  c1.set_leakage(7.7e-6);
  c2.add_event("y", 0.123e-12, {&e1, &e2});
  c2.set_background(1.1e-6);
  c3.set_leakage(1.7e-6);
  c3.set_retention(0.3e-6);
  mon.attach(c1, a);
  mon.attach(c2, a);
  mon.attach(c3, b);
  std::uint32_t s = 1;
  sc_time t = sc_core::SC_ZERO_TIME;
  for (int i = 0; i < 2000; ++i) {
    s = s * 1664525u + 1013904223u;
    t += sc_time(static_cast<double>(s % 977), SC_NS);
    e1 += s % 13;
    e2 += s % 7;
    if (s % 5 == 0) mon.set_state(a, static_cast<pw::state>((s >> 8) % 4), t);
    if (s % 11 == 0) mon.set_state(b, static_cast<pw::state>((s >> 9) % 4), t);
    if (s % 17 == 0) mon.set_operating_point({0.6 + 0.1 * ((s >> 10) % 3), 5e7}, t);
    mon.checkpoint(t);
  }
  std::int64_t by_component = c1.energy_aj() + c2.energy_aj() + c3.energy_aj();
  std::int64_t by_domain = a.energy_aj() + b.energy_aj();
  std::int64_t by_state = 0;
  for (std::size_t k = 0; k < pw::state_count; ++k)
    by_state += a.energy_aj(static_cast<pw::state>(k)) + b.energy_aj(static_cast<pw::state>(k));
  std::int64_t by_kind = 0;
  for (std::size_t k = 0; k < pw::kind_count; ++k) by_kind += mon.kind_aj(static_cast<pw::kind>(k));
  std::int64_t by_source = 0;
  for (const auto* c : {&c1, &c2, &c3})
    for (const auto& src : c->sources()) by_source += src.energy_aj;
  ASSERT_GT(mon.total_aj(), 0);
  EXPECT_EQ(by_component, mon.total_aj());
  EXPECT_EQ(by_domain, mon.total_aj());
  EXPECT_EQ(by_state, mon.total_aj());
  EXPECT_EQ(by_kind, mon.total_aj());
  EXPECT_EQ(by_source, mon.total_aj());
  sc_time residency = sc_core::SC_ZERO_TIME;
  for (std::size_t k = 0; k < pw::state_count; ++k) residency += a.residency(static_cast<pw::state>(k));
  EXPECT_EQ(residency, t);
}

TEST(PowerMonitor, SnapshotsGiveRegionEnergies) {
  rig r;
  r.mon.checkpoint(sc_time(1, SC_MS));
  const pw::snapshot s0 = r.mon.take_snapshot();
  r.events = 1000;
  r.mon.checkpoint(sc_time(2, SC_MS));
  const pw::snapshot s1 = r.mon.take_snapshot();
  EXPECT_NEAR(pw::to_joules(s1.total_aj - s0.total_aj), 2e-9 + 11e-9, aj * 10);
  EXPECT_EQ(s1.component_aj[0] - s0.component_aj[0], s1.total_aj - s0.total_aj);
}

// Re-costing (tools/sweep recost) relies on energy = value x basis for every single-valued
// source, across operating points and domain states; a table has no basis.
TEST(PowerMonitor, BasisTimesValueIsTheEnergyOfEverySingleValuedSource) {
  rig r;
  r.events = 100;
  r.mon.checkpoint(sc_time(1, SC_MS));
  r.mon.set_operating_point({0.4, 50e6}, sc_time(1, SC_MS));
  r.events += 300;
  r.mon.checkpoint(sc_time(3, SC_MS));
  r.mon.set_state(r.d, pw::state::retention, sc_time(3, SC_MS));
  r.mon.checkpoint(sc_time(4, SC_MS));
  for (const auto& s : r.comp.sources()) {
    ASSERT_GT(s.basis, 0) << s.name;
    EXPECT_NEAR(s.value.value() * s.basis, pw::to_joules(s.energy_aj), 4 * aj) << s.name;
  }
  // 100 events at the reference, 300 at half the voltage: 100 + 300 / 4.
  EXPECT_DOUBLE_EQ(r.comp.sources()[0].basis, 175.0);
  const pw::snapshot s = r.mon.take_snapshot();
  ASSERT_EQ(s.source_basis.size(), r.comp.sources().size());
  EXPECT_DOUBLE_EQ(s.source_basis[0], 175.0);
  EXPECT_EQ(s.source_aj[0], r.comp.sources()[0].energy_aj);
}

TEST(PowerMonitor, TableSourcesHaveNoBasis) {
  rig r;
  r.comp.set_leakage(pw::curve::table({{0.7, 1e-6}, {0.9, 2e-6}}));
  r.mon.checkpoint(sc_time(1, SC_MS));
  for (const auto& s : r.comp.sources())
    if (s.name == "leakage") {
      EXPECT_GT(s.energy_aj, 0);
      EXPECT_EQ(s.basis, 0.0);
    }
}

TEST(PowerMonitor, DomainListenersSeeEveryChange) {
  rig r;
  std::string seen;
  r.d.on_change([&](pw::state from, pw::state to) {
    seen += std::string(pw::state_name(from)) + ">" + pw::state_name(to) + " ";
  });
  r.mon.set_state(r.d, pw::state::off, sc_time(1, SC_US));
  r.mon.set_state(r.d, pw::state::off, sc_time(2, SC_US));  // no change, no call
  r.mon.set_state(r.d, pw::state::on, sc_time(3, SC_US));
  EXPECT_EQ(seen, "on>off off>on ");
}

std::string slurp(const std::string& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(PowerTrace, CsvRowsAverageEachInterval) {
  rig r;
  const std::string path = ::testing::TempDir() + "power_trace.csv";
  {
    pw::csv_trace csv(r.mon, path, sc_time(1, SC_MS));
    r.mon.checkpoint(sc_time(1500, SC_US));  // 1.5 ms on: 11 uW
    r.mon.set_state(r.d, pw::state::off, sc_time(1500, SC_US));
    r.mon.checkpoint(sc_time(3, SC_MS));
    csv.finish(r.mon.last_checkpoint());
  }
  const std::string s = slurp(path);
  std::istringstream in(s);
  std::string header, row0, row1, row2, extra;
  std::getline(in, header);
  std::getline(in, row0);
  std::getline(in, row1);
  std::getline(in, row2);
  EXPECT_FALSE(std::getline(in, extra)) << s;
  EXPECT_EQ(header, "time_s,core_W,total_W,core_state");
  EXPECT_EQ(row0, "0,1.100000e-05,1.100000e-05,on");
  EXPECT_EQ(row1, "0.001,5.500000e-06,5.500000e-06,off");  // half of the interval on
  EXPECT_EQ(row2, "0.002,0.000000e+00,0.000000e+00,off");
}

TEST(PowerTrace, VcdHasRealPowerAndStates) {
  rig r;
  const std::string path = ::testing::TempDir() + "power_trace.vcd";
  {
    pw::vcd_trace vcd(r.mon, path);
    r.mon.checkpoint(sc_time(1, SC_MS));
    r.mon.set_state(r.d, pw::state::retention, sc_time(1, SC_MS));
    r.mon.checkpoint(sc_time(2, SC_MS));
    vcd.finish(r.mon.last_checkpoint());
  }
  const std::string s = slurp(path);
  EXPECT_NE(s.find("$var real 64 ! core_W $end"), std::string::npos) << s;
  EXPECT_NE(s.find("$var wire 2 \" core_state $end"), std::string::npos) << s;
  EXPECT_NE(s.find("#0\nr1.1e-05 !\n"), std::string::npos) << s;
  EXPECT_NE(s.find("b11 \""), std::string::npos) << s;
  EXPECT_NE(s.find("#1000000000\nr1e-07 !\n"), std::string::npos) << s;
  EXPECT_NE(s.find("b01 \""), std::string::npos) << s;
  EXPECT_NE(s.find("#2000000000\n"), std::string::npos) << s;
}

// --- models in domains -------------------------------------------------------------------------

class regs : public edgevp::core::peripheral {
 public:
  using peripheral::peripheral;
  edgevp::core::reg<std::uint32_t> data{this, "DATA", 0x0, 0x5, edgevp::core::access::rw};
};

TEST(PowerDomain, PeripheralRefusesAccessesUnlessOnAndForgetsWhenOff) {
  pw::monitor mon{{0.8, 100e6}};
  pw::domain& d = mon.add_domain("d");
  regs p("p");
  p.configure_power({1e-12, 0.0, 0.0});
  p.attach_power(mon, d);
  edgevp::test::initiator bus("bus", p.in);
  EXPECT_EQ(bus.write32(0, 42).status, tlm::TLM_OK_RESPONSE);
  mon.set_state(d, pw::state::clock_gated, sc_core::SC_ZERO_TIME);
  EXPECT_EQ(bus.read32(0).status, tlm::TLM_GENERIC_ERROR_RESPONSE);
  mon.set_state(d, pw::state::on, sc_core::SC_ZERO_TIME);
  EXPECT_EQ(bus.read32(0).value, 42u);  // clock gating keeps state
  mon.set_state(d, pw::state::off, sc_core::SC_ZERO_TIME);
  EXPECT_EQ(bus.write32(0, 7).status, tlm::TLM_GENERIC_ERROR_RESPONSE);
  mon.set_state(d, pw::state::on, sc_core::SC_ZERO_TIME);
  EXPECT_EQ(bus.read32(0).value, 5u);  // back to reset
  mon.checkpoint(sc_core::SC_ZERO_TIME);
  EXPECT_EQ(p.power().sources()[0].events, 3u);  // refused accesses (nothing clocked) cost nothing
}

TEST(PowerDomain, VolatileMemoryLosesItsContentsNonVolatileKeepsThem) {
  pw::monitor mon{{0.8, 100e6}};
  pw::domain& d = mon.add_domain("d");
  edgevp::memory::memory_config vc;
  vc.size = 64;
  edgevp::memory::memory sram("sram", vc);
  vc.non_volatile = true;
  edgevp::memory::memory nvm("nvm", vc);
  sram.attach_power(mon, d);
  nvm.attach_power(mon, d);
  edgevp::test::initiator b1("b1", sram.in), b2("b2", nvm.in);
  b1.write32(0, 0x12345678);
  b2.write32(0, 0x12345678);
  mon.set_state(d, pw::state::retention, sc_core::SC_ZERO_TIME);
  EXPECT_EQ(b1.read32(0).status, tlm::TLM_GENERIC_ERROR_RESPONSE);
  mon.set_state(d, pw::state::on, sc_core::SC_ZERO_TIME);
  EXPECT_EQ(b1.read32(0).value, 0x12345678u);  // retention keeps
  mon.set_state(d, pw::state::off, sc_core::SC_ZERO_TIME);
  tlm::tlm_generic_payload tx;
  tlm::tlm_dmi dmi;
  tx.set_address(0);
  tx.set_command(tlm::TLM_READ_COMMAND);
  EXPECT_FALSE(b1.out->get_direct_mem_ptr(tx, dmi));
  mon.set_state(d, pw::state::on, sc_core::SC_ZERO_TIME);
  EXPECT_EQ(b1.read32(0).value, 0xDBDBDBDBu);
  EXPECT_EQ(b2.read32(0).value, 0x12345678u);
}

TEST(PowerDomain, MemoryChargesBitsReadAndWritten) {
  pw::monitor mon{{0.8, 100e6}};
  pw::domain& d = mon.add_domain("d");
  edgevp::memory::memory_config c;
  c.size = 64;
  c.power.read_bit = 1e-12;
  c.power.write_bit = 3e-12;
  edgevp::memory::memory m("m", c);
  m.attach_power(mon, d);
  edgevp::test::initiator b("b", m.in);
  b.write32(0, 1);
  b.read16(0);
  mon.checkpoint(sc_core::SC_ZERO_TIME);
  EXPECT_NEAR(pw::to_joules(m.power().energy_aj()), 32 * 3e-12 + 16 * 1e-12, aj);
}

}  // namespace

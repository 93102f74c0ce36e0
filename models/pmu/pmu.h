// edgevp: power-management unit (always-on domain).
//
//   offset  register      access  reset  meaning
//   0x00    ID            ro      0x504D5501
//   0x04    MODE          rw      0      what WFI does: 0 run (core stays clocked), 1 sleep (core
//                                        clock-gated until an enabled interrupt), 2 deep sleep
//                                        (every domain but always-on powered down; only a wake-up
//                                        source brings the SoC back, through a core reset)
//   0x08    OPP           rw      cfg    operating point index; a write switches voltage and
//                                        frequency (the write takes dvfs_latency; out of range:
//                                        command error)
//   0x0C    OPP_COUNT     ro
//   0x10    WAKE_EN       rw      0      deep-sleep wake-up sources: bit0 RTC, bit1 GPIO
//   0x14    WAKE_REASON   ro      0      why the core last came out of reset: 0 power-on, 1 RTC,
//                                        2 GPIO
//   0x18    SRAM_RET      rw      cfg    bit0: the retention domain (SRAM) is kept in retention
//                                        in deep sleep instead of off
//   0x1C    DEEP_SLEEPS   ro      0      deep-sleep entries since power-on
//   0x20    OPP_FREQ      ro             frequency of the current operating point, Hz
//   0x24    OPP_MV        ro             voltage of the current operating point, mV
//   0x3C    DOMAIN_COUNT  ro             number of power domains
//   0x40+4i DOMAIN[i]     rw             state of domain i: 0 off, 1 retention, 2 clock-gated,
//                                        3 on. The always-on, core and SoC domains are not
//                                        software-controlled: writes to them are command errors,
//                                        as are values above 3.
//
// Registers live in the always-on domain: they keep their values across deep sleep.
// Transitions cost time and energy (configuration): deep-sleep entry takes entry_latency after the
// WFI, a wake-up takes wake_latency from the wake event to the core's reset; each entry, wake and
// DVFS switch charges its energy quantum to the PMU.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "models/core/clock.h"
#include "models/core/peripheral.h"
#include "models/core/power.h"
#include "models/cpu/cpu.h"

namespace edgevp::pmu {

enum class mode : std::uint32_t { run = 0, sleep = 1, deep_sleep = 2 };
enum class wake_reason : std::uint32_t { power_on = 0, rtc = 1, gpio = 2 };

struct pmu_config {
  std::vector<core::power::operating_point> opps{{0.8, 100e6}, {0.6, 50e6}};
  unsigned reset_opp = 0;
  bool sram_retention = false;  // reset value of SRAM_RET
  std::string always_on_domain = "aon";
  std::string cpu_domain = "cpu";
  std::string soc_domain = "soc";
  std::string retention_domain = "sram";
  // Transition costs (U in CALIBRATION.md: parameters to sweep).
  sc_core::sc_time dvfs_latency = sc_core::sc_time(10, sc_core::SC_US);
  sc_core::sc_time entry_latency = sc_core::sc_time(5, sc_core::SC_US);
  sc_core::sc_time wake_latency = sc_core::sc_time(50, sc_core::SC_US);
  double dvfs_energy = 5e-9;    // J per operating-point switch
  double entry_energy = 10e-9;  // J per deep-sleep entry
  double wake_energy = 50e-9;   // J per wake-up
  sc_core::sc_time latency = sc_core::sc_time(10, sc_core::SC_NS);
};

class pmu : public core::peripheral {
 public:
  // The PMU drives the monitor's domains and operating point, the SoC clock and the core.
  // Throws core::config_error when the configuration names a domain the monitor does not have,
  // or has no operating points / a reset_opp out of range.
  pmu(const sc_core::sc_module_name& name, const pmu_config& cfg, core::power::monitor& monitor,
      core::clock& soc_clock);

  // Wake-up inputs (levels): the RTC's and the GPIO's wake lines.
  void set_rtc_wake(bool level);
  void set_gpio_wake(bool level);
  // By WAKE_EN bit: 0 the RTC's, 1 the GPIO's (wake_inputs of them); others do not exist.
  static constexpr unsigned wake_inputs = 2;
  void set_wake(unsigned input, bool level) { input == 0 ? set_rtc_wake(level) : set_gpio_wake(level); }

  // Hooks for the core (cpu::on_wfi / on_wake).
  cpu::wfi_action core_wfi();
  void core_wake();

  // Called at a wake-up with the core about to restart (the SoC resets its peripherals here).
  std::function<void()> on_wakeup;

  [[nodiscard]] bool in_deep_sleep() const { return m_deep; }
  [[nodiscard]] std::uint64_t deep_sleep_count() const { return m_entries; }
  [[nodiscard]] std::uint64_t wake_count() const { return m_wakes; }
  [[nodiscard]] const core::power::operating_point& operating_point() const;

  core::reg<std::uint32_t> id{this, "ID", 0x00, 0x504D5501u, core::access::ro};
  core::reg<std::uint32_t> mode_reg{this, "MODE", 0x04, 0, core::access::rw};
  core::reg<std::uint32_t> opp{this, "OPP", 0x08, 0, core::access::rw};
  core::reg<std::uint32_t> opp_count{this, "OPP_COUNT", 0x0C, 0, core::access::ro};
  core::reg<std::uint32_t> wake_en{this, "WAKE_EN", 0x10, 0, core::access::rw};
  core::reg<std::uint32_t> wake_reason_reg{this, "WAKE_REASON", 0x14, 0, core::access::ro};
  core::reg<std::uint32_t> sram_ret{this, "SRAM_RET", 0x18, 0, core::access::rw};
  core::reg<std::uint32_t> deep_sleeps{this, "DEEP_SLEEPS", 0x1C, 0, core::access::ro};
  core::reg<std::uint32_t> opp_freq{this, "OPP_FREQ", 0x20, 0, core::access::ro};
  core::reg<std::uint32_t> opp_mv{this, "OPP_MV", 0x24, 0, core::access::ro};
  core::reg<std::uint32_t> domain_count{this, "DOMAIN_COUNT", 0x3C, 0, core::access::ro};

  static constexpr unsigned max_domains = 16;

 protected:
  void reset_state() override;
  // The PMU is the always-on domain's: it is never powered down by itself.
  void power_changed(core::power::state from, core::power::state to) override {}

 private:
  void switch_opp(unsigned index, sc_core::sc_time t);
  void enter_deep_sleep();  // SC_METHOD on m_enter
  void wake_up();           // SC_METHOD on m_wake
  void maybe_wake(wake_reason why, bool level);
  [[nodiscard]] core::power::domain& domain_named(const std::string& n) const;
  [[nodiscard]] bool software_controlled(const core::power::domain& d) const;

  pmu_config m_cfg;
  core::power::monitor& m_monitor;
  core::clock& m_clock;
  core::power::domain& m_cpu_domain;
  std::vector<std::unique_ptr<core::reg<std::uint32_t>>> m_domain_regs;
  unsigned m_opp_index;
  bool m_entering = false;
  bool m_deep = false;
  bool m_waking = false;
  bool m_rtc_wake = false;
  bool m_gpio_wake = false;
  wake_reason m_pending_reason = wake_reason::power_on;
  std::uint64_t m_entries = 0;
  std::uint64_t m_wakes = 0;
  std::uint64_t m_dvfs = 0;
  sc_core::sc_event m_enter{"enter"};
  sc_core::sc_event m_wake{"wake"};
};

// The PMU's parameters, bound to its configuration: reset_opp, sram_retention, dvfs_latency,
// entry_latency, wake_latency, dvfs_energy, entry_energy, wake_energy (the operating points are
// the SoC's: pmu.opps).
std::vector<core::param_binding> bind_params(pmu_config& c);

}  // namespace edgevp::pmu

#include "models/pmu/pmu.h"

#include <cmath>

#include "models/core/errors.h"

namespace edgevp::pmu {

namespace power = core::power;

pmu::pmu(const sc_core::sc_module_name& name, const pmu_config& cfg, power::monitor& monitor,
         core::clock& soc_clock)
    : peripheral(name, cfg.latency),
      m_cfg(cfg),
      m_monitor(monitor),
      m_clock(soc_clock),
      m_cpu_domain(domain_named(cfg.cpu_domain)),
      m_opp_index(cfg.reset_opp) {
  if (cfg.opps.empty()) throw core::config_error(std::string(this->name()) + ": no operating points");
  if (cfg.reset_opp >= cfg.opps.size())
    throw core::config_error(std::string(this->name()) + ": reset operating point " +
                             std::to_string(cfg.reset_opp) + " out of range (" +
                             std::to_string(cfg.opps.size()) + " operating points)");
  (void)domain_named(cfg.always_on_domain);
  (void)domain_named(cfg.soc_domain);
  const auto& ds = monitor.domains();
  if (ds.size() > max_domains)
    throw core::config_error(std::string(this->name()) + ": more than " + std::to_string(max_domains) +
                             " power domains");

  SC_HAS_PROCESS(pmu);
  SC_METHOD(enter_deep_sleep);
  sensitive << m_enter;
  dont_initialize();
  SC_METHOD(wake_up);
  sensitive << m_wake;
  dont_initialize();

  power().add_event("dvfs_switch", cfg.dvfs_energy, {&m_dvfs});
  power().add_event("deep_sleep_entry", cfg.entry_energy, {&m_entries});
  power().add_event("wake_up", cfg.wake_energy, {&m_wakes});

  mode_reg.on_write([this](std::uint32_t v) {
    if (v > static_cast<std::uint32_t>(mode::deep_sleep)) {
      refuse_access();
      return;
    }
    mode_reg.set(v);
  });
  opp.on_write([this](std::uint32_t v) {
    if (v >= m_cfg.opps.size()) {
      refuse_access();
      return;
    }
    if (v == m_opp_index) return;
    switch_opp(v, access_time());
    stall_access(m_cfg.dvfs_latency);
  });
  opp.on_read([this] { return m_opp_index; });
  opp_count.on_read([this] { return static_cast<std::uint32_t>(m_cfg.opps.size()); });
  opp_freq.on_read(
      [this] { return static_cast<std::uint32_t>(std::llround(operating_point().frequency_hz)); });
  opp_mv.on_read(
      [this] { return static_cast<std::uint32_t>(std::llround(operating_point().voltage * 1000)); });
  wake_en.on_write([this](std::uint32_t v) { wake_en.set(v & 3u); });
  sram_ret.on_write([this](std::uint32_t v) { sram_ret.set(v & 1u); });
  deep_sleeps.on_read([this] { return static_cast<std::uint32_t>(m_entries); });
  domain_count.on_read([this] { return static_cast<std::uint32_t>(m_monitor.domains().size()); });

  for (std::size_t i = 0; i < ds.size(); ++i) {
    power::domain* d = ds[i].get();
    auto r = std::make_unique<core::reg<std::uint32_t>>(this, "DOMAIN" + std::to_string(i), 0x40u + 4u * i,
                                                        static_cast<std::uint32_t>(power::state::on),
                                                        core::access::rw);
    r->on_read([d] { return static_cast<std::uint32_t>(d->current()); });
    r->on_write([this, d](std::uint32_t v) {
      if (v > static_cast<std::uint32_t>(power::state::on) || !software_controlled(*d)) {
        refuse_access();
        return;
      }
      m_monitor.set_state(*d, static_cast<power::state>(v), access_time());
    });
    m_domain_regs.push_back(std::move(r));
  }
  reset_state();
}

power::domain& pmu::domain_named(const std::string& n) const {
  power::domain* d = m_monitor.find_domain(n);
  if (d == nullptr) throw core::config_error(std::string(name()) + ": no power domain named '" + n + "'");
  return *d;
}

bool pmu::software_controlled(const power::domain& d) const {
  return d.name() != m_cfg.always_on_domain && d.name() != m_cfg.cpu_domain && d.name() != m_cfg.soc_domain;
}

const power::operating_point& pmu::operating_point() const {
  return m_cfg.opps[m_opp_index];
}

void pmu::reset_state() {
  sram_ret.set(m_cfg.sram_retention ? 1u : 0u);
  if (m_opp_index != m_cfg.reset_opp) switch_opp(m_cfg.reset_opp, sc_core::sc_time_stamp());
}

void pmu::switch_opp(unsigned index, sc_core::sc_time t) {
  m_opp_index = index;
  ++m_dvfs;
  const power::operating_point& op = m_cfg.opps[index];
  m_monitor.set_operating_point(op, t);
  m_clock.set_hz(op.frequency_hz);
}

cpu::wfi_action pmu::core_wfi() {
  const auto m = static_cast<mode>(mode_reg.get());
  if (m == mode::sleep) {
    m_monitor.set_state(m_cpu_domain, power::state::clock_gated, sc_core::sc_time_stamp());
    return cpu::wfi_action::clock_gate;
  }
  if (m == mode::deep_sleep) {
    m_entering = true;
    m_enter.notify(m_cfg.entry_latency);
    return cpu::wfi_action::power_down;
  }
  return cpu::wfi_action::idle;
}

void pmu::core_wake() {
  if (m_cpu_domain.current() == power::state::clock_gated)
    m_monitor.set_state(m_cpu_domain, power::state::on, sc_core::sc_time_stamp());
}

void pmu::enter_deep_sleep() {
  const sc_core::sc_time now = sc_core::sc_time_stamp();
  m_entering = false;
  m_deep = true;
  ++m_entries;
  // The core first, then everything it used; the always-on domain stays.
  m_monitor.set_state(m_cpu_domain, power::state::off, now);
  for (const auto& d : m_monitor.domains()) {
    if (d->name() == m_cfg.always_on_domain || d.get() == &m_cpu_domain) continue;
    const bool keep = d->name() == m_cfg.retention_domain && (sram_ret.get() & 1u) != 0;
    m_monitor.set_state(*d, keep ? power::state::retention : power::state::off, now);
  }
  // A wake-up source that is already asserting wakes the SoC at once.
  if (m_rtc_wake) maybe_wake(wake_reason::rtc, true);
  if (m_gpio_wake) maybe_wake(wake_reason::gpio, true);
}

void pmu::maybe_wake(wake_reason why, bool level) {
  if (!level || !m_deep || m_waking) return;
  const std::uint32_t bit = why == wake_reason::rtc ? 1u : 2u;
  if ((wake_en.get() & bit) == 0) return;
  m_waking = true;
  m_pending_reason = why;
  m_wake.notify(m_cfg.wake_latency);
}

void pmu::set_rtc_wake(bool level) {
  m_rtc_wake = level;
  maybe_wake(wake_reason::rtc, level);
}

void pmu::set_gpio_wake(bool level) {
  m_gpio_wake = level;
  maybe_wake(wake_reason::gpio, level);
}

void pmu::wake_up() {
  const sc_core::sc_time now = sc_core::sc_time_stamp();
  m_waking = false;
  m_deep = false;
  // Close the sleep segment first, so the wake-up's energy is charged at this instant (traces),
  // not spread over the time asleep.
  m_monitor.checkpoint(now);
  ++m_wakes;
  m_monitor.checkpoint(now);
  wake_reason_reg.set(static_cast<std::uint32_t>(m_pending_reason));
  // Everything back on, the core last: its power-on reset starts it at the boot ROM.
  for (const auto& d : m_monitor.domains())
    if (d.get() != &m_cpu_domain) m_monitor.set_state(*d, power::state::on, now);
  if (on_wakeup) on_wakeup();
  m_monitor.set_state(m_cpu_domain, power::state::on, now);
}

std::vector<core::param_binding> bind_params(pmu_config& c) {
  using ps = core::param_spec;
  const sc_core::sc_time zero = sc_core::SC_ZERO_TIME, second(1, sc_core::SC_SEC);
  return {
      core::bind(ps::integer("reset_opp", 0, 0, 255, "operating point at reset (index into pmu.opps)"), c.reset_opp),
      core::bind(ps::boolean("sram_retention", false, "reset value of SRAM_RET: keep SRAM in retention during deep sleep"),
                 c.sram_retention),
      core::bind(ps::time("dvfs_latency", zero, zero, second, "time an operating-point switch takes"), c.dvfs_latency),
      core::bind(ps::time("entry_latency", zero, zero, second, "deep-sleep entry time after WFI"), c.entry_latency),
      core::bind(ps::time("wake_latency", zero, zero, second, "time from a wake-up event to the core's reset"),
                 c.wake_latency),
      core::bind(ps::energy("dvfs_energy", 0.0, "energy per operating-point switch"), c.dvfs_energy),
      core::bind(ps::energy("entry_energy", 0.0, "energy per deep-sleep entry"), c.entry_energy),
      core::bind(ps::energy("wake_energy", 0.0, "energy per wake-up"), c.wake_energy),
  };
}

}  // namespace edgevp::pmu

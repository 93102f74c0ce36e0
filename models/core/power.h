// edgevp: power sources, power domains and the power monitor (after GVSoC's power model).
//
// Every model owns a power::component with its sources:
//   event       an energy quantum per event (an instruction class, a memory access, a byte, a MAC);
//               the model only increments a plain counter on its hot path: the monitor reads the
//               counters at checkpoints and converts counts to joules there (DESIGN.md: "energy is
//               counted, not computed, on the hot path");
//   background  dynamic power while the domain is on (clocked), idle or not;
//   leakage     static power while the domain is powered (on or clock-gated);
//   retention   static power while the domain is in retention.
// Each source's value is a curve over supply voltage: one value, given at the reference operating
// point and scaled by the usual first-order rules (event energy and background energy per cycle
// ~ V^2, background power ~ V^2 f, leakage ~ V), or a table of (voltage, value) points interpolated
// linearly (background tables are W at the reference frequency, scaled linearly with f). Domains
// with a fixed supply (the always-on domain) take their values as given.
//
// A power::domain groups components that share a supply and a state: off / retention /
// clock-gated / on. The PMU (or a test) changes states through the monitor; models subscribe to
// their domain to lose volatile state, drop DMI pointers or stop time-based activity.
//
// The monitor integrates all of it over simulated time. A checkpoint (a state or operating-point
// change, a firmware region marker, a power-trace sample, the end of the run) closes a segment in
// which every domain's state and voltage were constant: event energy is counter deltas x energy per
// event, static energy is power x duration. Energies are accumulated as integer attojoules, so the
// parts (per source, component, domain, domain state, source kind) add up to the total exactly.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <systemc>

namespace edgevp::core::power {

enum class state : std::uint8_t { off = 0, retention = 1, clock_gated = 2, on = 3 };
inline constexpr std::size_t state_count = 4;
const char* state_name(state s);

enum class kind : std::uint8_t { event = 0, background = 1, leakage = 2, retention = 3 };
inline constexpr std::size_t kind_count = 4;
const char* kind_name(kind k);

struct operating_point {
  double voltage = 0.8;         // V
  double frequency_hz = 100e6;  // Hz
};

// A quantity as a function of supply voltage.
class curve {
 public:
  curve() = default;
  curve(double value) : m_value(value) {}  // NOLINT(google-explicit-constructor): a plain number is a curve
  // (voltage, value) points; throws config_error unless voltages are positive and strictly ascending.
  static curve table(std::vector<std::pair<double, double>> points);

  // Value at `volt`: a single value scales as (volt / vref)^exponent; a table interpolates
  // (clamped to its end points: check_curves() refuses operating points outside a table).
  [[nodiscard]] double at(double volt, double vref, double exponent) const;
  [[nodiscard]] bool is_table() const { return !m_points.empty(); }
  [[nodiscard]] bool covers(double volt) const;
  [[nodiscard]] curve scaled(double k) const;
  [[nodiscard]] double value() const { return m_value; }
  [[nodiscard]] const std::vector<std::pair<double, double>>& points() const { return m_points; }
  // "4.98e-12" or "0.6V:3.1e-12,0.8V:4.98e-12".
  [[nodiscard]] std::string str() const;

 private:
  double m_value = 0;
  std::vector<std::pair<double, double>> m_points;
};

struct source {
  std::string name;
  power::kind kind = power::kind::event;
  curve value;                                 // J per event, or W
  std::vector<const std::uint64_t*> counters;  // events: summed
  std::uint64_t seen = 0;                      // counter sum at the last checkpoint
  std::uint64_t events = 0;                    // events accounted so far
  std::int64_t energy_aj = 0;
  // What the energy would have been with a value of 1 (J per J/event, or J per W): the events or
  // seconds it was charged for, with the voltage and frequency scaling of each segment. For a
  // single-valued curve, energy = value x basis, so another value re-costs the run without
  // re-simulating it (tools/sweep recost). A table has no such factor: its basis stays 0.
  double basis = 0;
};

class domain;
class monitor;

// A model's power view: its sources and the domain it sits in.
class component {
 public:
  explicit component(std::string name) : m_name(std::move(name)) {}
  component(const component&) = delete;
  component& operator=(const component&) = delete;
  ~component() = default;

  // Energy (J) per count of the given counters (their sum). A source of the same name is replaced.
  void add_event(const std::string& name, const curve& joules, std::vector<const std::uint64_t*> counters);
  // Adds a counter to an existing event source (from now on; a counter already there is ignored).
  void add_counter(const std::string& event, const std::uint64_t* counter);
  void set_background(const curve& watts) { set_static(kind::background, watts); }
  void set_leakage(const curve& watts) { set_static(kind::leakage, watts); }
  void set_retention(const curve& watts) { set_static(kind::retention, watts); }
  // Operations the model performs (2 per MAC, 1 per instruction, ...), for ops/J in reports.
  void set_operations(const std::uint64_t* counter) { m_ops = counter; }

  [[nodiscard]] const std::string& name() const { return m_name; }
  [[nodiscard]] power::domain* domain() const { return m_domain; }
  [[nodiscard]] const std::vector<source>& sources() const { return m_sources; }
  [[nodiscard]] std::int64_t energy_aj() const { return m_energy_aj; }
  [[nodiscard]] std::uint64_t operations() const { return m_ops != nullptr ? *m_ops : 0; }

 private:
  friend class monitor;
  void set_static(kind k, const curve& watts);

  std::string m_name;
  std::vector<source> m_sources;
  const std::uint64_t* m_ops = nullptr;
  power::domain* m_domain = nullptr;
  std::int64_t m_energy_aj = 0;
};

class domain {
 public:
  domain(const domain&) = delete;
  domain& operator=(const domain&) = delete;
  ~domain() = default;

  [[nodiscard]] const std::string& name() const { return m_name; }
  [[nodiscard]] state current() const { return m_state; }
  [[nodiscard]] bool is_on() const { return m_state == state::on; }
  [[nodiscard]] bool powered() const { return m_state == state::on || m_state == state::clock_gated; }
  // Follows the SoC's operating point, or has a fixed supply (the always-on domain).
  [[nodiscard]] bool follows_opp() const { return m_follows_opp; }
  [[nodiscard]] operating_point supply() const;
  [[nodiscard]] const std::vector<component*>& components() const { return m_components; }

  // Called after every state change, in subscription order.
  void on_change(std::function<void(state from, state to)> fn) { m_listeners.push_back(std::move(fn)); }

  [[nodiscard]] std::int64_t energy_aj(state s) const { return m_state_energy[static_cast<std::size_t>(s)]; }
  [[nodiscard]] std::int64_t energy_aj() const;
  [[nodiscard]] sc_core::sc_time residency(state s) const { return m_residency[static_cast<std::size_t>(s)]; }
  [[nodiscard]] std::uint64_t transitions() const { return m_transitions; }

 private:
  friend class monitor;
  domain(monitor& m, std::string name, bool follows_opp, operating_point fixed)
      : m_monitor(m), m_name(std::move(name)), m_follows_opp(follows_opp), m_fixed(fixed) {}

  monitor& m_monitor;
  std::string m_name;
  bool m_follows_opp;
  operating_point m_fixed;
  state m_state = state::on;
  std::vector<component*> m_components;
  std::vector<std::function<void(state, state)>> m_listeners;
  std::array<std::int64_t, state_count> m_state_energy{};
  std::array<sc_core::sc_time, state_count> m_residency{};
  std::uint64_t m_transitions = 0;
};

// What a checkpoint closed: [from, to) with every domain's state, supply and energy.
struct segment {
  sc_core::sc_time from, to;
  std::vector<state> states;            // per domain, as monitor::domains()
  std::vector<std::int64_t> energy_aj;  // per domain
};

// Energies at one instant, for differences (firmware regions).
struct snapshot {
  sc_core::sc_time time;
  std::int64_t total_aj = 0;
  std::vector<std::int64_t> component_aj;  // as monitor::components()
  std::vector<std::uint64_t> operations;   // as monitor::components()
  std::array<std::int64_t, kind_count> kind_aj{};
  // Every source of every component, in order (component by component): energy and basis.
  std::vector<std::int64_t> source_aj;
  std::vector<double> source_basis;
};

class monitor {
 public:
  // Single-valued curves are given at `reference`.
  explicit monitor(operating_point reference);
  monitor(const monitor&) = delete;
  monitor& operator=(const monitor&) = delete;
  ~monitor() = default;

  domain& add_domain(const std::string& name, bool follows_opp = true, operating_point fixed = {});
  [[nodiscard]] domain* find_domain(const std::string& name) const;
  void attach(component& c, domain& d);

  // Both checkpoint at t first. set_state notifies the domain's listeners after the change.
  void set_state(domain& d, state s, sc_core::sc_time t);
  void set_operating_point(const operating_point& op, sc_core::sc_time t);
  [[nodiscard]] const operating_point& operating() const { return m_op; }
  [[nodiscard]] const operating_point& reference() const { return m_ref; }

  // Throws config_error naming component.source when a table does not cover one of `opps`.
  void check_curves(const std::vector<operating_point>& opps) const;

  // Accounts everything up to t (clamped to the last checkpoint: checkpoints never go back).
  void checkpoint(sc_core::sc_time t);
  // Periodic sampling for traces: tick() checkpoints when t passed the next sample time.
  void set_sample_interval(sc_core::sc_time interval);
  void tick(sc_core::sc_time t) {
    if (m_interval != sc_core::SC_ZERO_TIME && t >= m_next_sample) sample(t);
  }
  void add_sink(std::function<void(const segment&)> sink) { m_sinks.push_back(std::move(sink)); }

  [[nodiscard]] sc_core::sc_time last_checkpoint() const { return m_last; }
  [[nodiscard]] std::int64_t total_aj() const { return m_total_aj; }
  // Integer attojoules hold 9.2 J: a run (or a misconfigured source: a 24-bit ADC's 0.28 uJ per
  // conversion) that accounts more sets this, and the accumulators stop at the limit.
  [[nodiscard]] bool overflowed() const { return m_overflow; }
  [[nodiscard]] std::int64_t kind_aj(kind k) const { return m_kind_aj[static_cast<std::size_t>(k)]; }
  [[nodiscard]] const std::vector<std::unique_ptr<domain>>& domains() const { return m_domains; }
  [[nodiscard]] const std::vector<component*>& components() const { return m_components; }
  [[nodiscard]] snapshot take_snapshot() const;
  // The energy up to `t` without a checkpoint (nothing is accounted, so reading it changes no
  // result): for progress displays.
  [[nodiscard]] double estimate_joules(sc_core::sc_time t) const;

 private:
  static double source_energy(const source& s, const domain& d, const operating_point& op, double vref,
                              double fscale, double dt_s, std::uint64_t* counted, double* basis = nullptr);
  void sample(sc_core::sc_time t);

  operating_point m_ref;
  operating_point m_op;
  std::vector<std::unique_ptr<domain>> m_domains;
  std::vector<component*> m_components;
  std::vector<std::function<void(const segment&)>> m_sinks;
  sc_core::sc_time m_last = sc_core::SC_ZERO_TIME;
  sc_core::sc_time m_interval = sc_core::SC_ZERO_TIME;
  sc_core::sc_time m_next_sample = sc_core::SC_ZERO_TIME;
  std::int64_t m_total_aj = 0;
  bool m_overflow = false;
  std::array<std::int64_t, kind_count> m_kind_aj{};
};

// Joules <-> attojoules.
inline double to_joules(std::int64_t aj) {
  return static_cast<double>(aj) * 1e-18;
}

}  // namespace edgevp::core::power

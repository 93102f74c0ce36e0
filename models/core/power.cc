#include "models/core/power.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <cstdio>

#include "models/core/errors.h"

namespace edgevp::core::power {

const char* state_name(state s) {
  switch (s) {
    case state::off: return "off";
    case state::retention: return "retention";
    case state::clock_gated: return "clock_gated";
    case state::on: return "on";
  }
  return "?";
}

const char* kind_name(kind k) {
  switch (k) {
    case kind::event: return "event";
    case kind::background: return "background";
    case kind::leakage: return "leakage";
    case kind::retention: return "retention";
  }
  return "?";
}

// ---------------------------------------------------------------- curve

curve curve::table(std::vector<std::pair<double, double>> points) {
  if (points.empty()) throw config_error("a power table needs at least one (voltage, value) point");
  for (std::size_t i = 0; i < points.size(); ++i) {
    if (!(points[i].first > 0)) throw config_error("power table voltages must be positive");
    if (i > 0 && !(points[i].first > points[i - 1].first))
      throw config_error("power table voltages must be strictly ascending");
  }
  curve c;
  c.m_value = points.front().second;
  c.m_points = std::move(points);
  return c;
}

bool curve::covers(double volt) const {
  if (m_points.empty()) return true;
  const double eps = 1e-9;
  return volt >= m_points.front().first - eps && volt <= m_points.back().first + eps;
}

double curve::at(double volt, double vref, double exponent) const {
  if (m_points.empty()) {
    if (exponent == 0 || vref <= 0) return m_value;
    return m_value * std::pow(volt / vref, exponent);
  }
  if (volt <= m_points.front().first) return m_points.front().second;
  if (volt >= m_points.back().first) return m_points.back().second;
  const auto hi = std::upper_bound(m_points.begin(), m_points.end(), volt,
                                   [](double v, const std::pair<double, double>& p) { return v < p.first; });
  const auto lo = hi - 1;
  const double f = (volt - lo->first) / (hi->first - lo->first);
  return lo->second + f * (hi->second - lo->second);
}

curve curve::scaled(double k) const {
  curve c = *this;
  c.m_value *= k;
  for (auto& p : c.m_points) p.second *= k;
  return c;
}

std::string curve::str() const {
  char buf[64];
  if (m_points.empty()) {
    std::snprintf(buf, sizeof(buf), "%.6g", m_value);
    return buf;
  }
  std::string s;
  for (const auto& p : m_points) {
    std::snprintf(buf, sizeof(buf), "%s%.6gV:%.6g", s.empty() ? "" : ",", p.first, p.second);
    s += buf;
  }
  return s;
}

// ---------------------------------------------------------------- component, domain

void component::add_event(const std::string& name, const curve& joules,
                          std::vector<const std::uint64_t*> counters) {
  source s;
  s.name = name;
  s.kind = kind::event;
  s.value = joules;
  s.counters = std::move(counters);
  for (const std::uint64_t* c : s.counters) s.seen += *c;  // count from now on
  for (auto& old : m_sources)
    if (old.kind == kind::event && old.name == name) {
      old = std::move(s);
      return;
    }
  m_sources.push_back(std::move(s));
}

void component::add_counter(const std::string& event, const std::uint64_t* counter) {
  for (auto& s : m_sources) {
    if (s.kind != kind::event || s.name != event) continue;
    for (const std::uint64_t* c : s.counters)
      if (c == counter) return;
    s.counters.push_back(counter);
    s.seen += *counter;
    return;
  }
}

void component::set_static(kind k, const curve& watts) {
  for (auto& s : m_sources)
    if (s.kind == k) {
      s.value = watts;
      return;
    }
  source s;
  s.name = kind_name(k);
  s.kind = k;
  s.value = watts;
  m_sources.push_back(std::move(s));
}

operating_point domain::supply() const {
  return m_follows_opp ? m_monitor.operating() : m_fixed;
}

std::int64_t domain::energy_aj() const {
  std::int64_t e = 0;
  for (auto v : m_state_energy) e += v;
  return e;
}

// ---------------------------------------------------------------- monitor

monitor::monitor(operating_point reference) : m_ref(reference), m_op(reference) {
  if (!(reference.voltage > 0) || !(reference.frequency_hz > 0))
    throw config_error("the reference operating point needs a positive voltage and frequency");
}

domain& monitor::add_domain(const std::string& name, bool follows_opp, operating_point fixed) {
  if (find_domain(name) != nullptr) throw config_error("power domain '" + name + "' declared twice");
  m_domains.push_back(std::unique_ptr<domain>(new domain(*this, name, follows_opp, fixed)));
  return *m_domains.back();
}

domain* monitor::find_domain(const std::string& name) const {
  for (const auto& d : m_domains)
    if (d->name() == name) return d.get();
  return nullptr;
}

void monitor::attach(component& c, domain& d) {
  if (c.m_domain != nullptr) throw config_error("power component '" + c.name() + "' attached twice");
  c.m_domain = &d;
  d.m_components.push_back(&c);
  m_components.push_back(&c);
}

void monitor::set_state(domain& d, state s, sc_core::sc_time t) {
  checkpoint(t);
  if (d.m_state == s) return;
  const state from = d.m_state;
  d.m_state = s;
  ++d.m_transitions;
  for (auto& fn : d.m_listeners) fn(from, s);
}

void monitor::set_operating_point(const operating_point& op, sc_core::sc_time t) {
  checkpoint(t);
  m_op = op;
}

void monitor::check_curves(const std::vector<operating_point>& opps) const {
  for (const component* c : m_components) {
    const domain* d = c->domain();
    for (const source& s : c->sources()) {
      const auto check = [&](double v) {
        if (!s.value.covers(v)) {
          char buf[48];
          std::snprintf(buf, sizeof(buf), "%.3g V", v);
          throw config_error("power table " + c->name() + ".power." + s.name +
                             " does not cover the operating point at " + buf + " (table: " + s.value.str() +
                             ")");
        }
      };
      if (d != nullptr && !d->follows_opp()) {
        check(d->m_fixed.voltage);
      } else {
        for (const auto& op : opps) check(op.voltage);
      }
    }
  }
}

// The energy `s` adds over `dt_s` in `d`'s present state (an event source: the events since the
// last checkpoint; `*counted` gets their running sum). Shared by checkpoint() and estimate_joules().
// `*basis`, when given, gets the same energy per unit of a single-valued curve (0 for a table).
double monitor::source_energy(const source& s, const domain& d, const operating_point& op, double vref,
                              double fscale, double dt_s, std::uint64_t* counted, double* basis) {
  // The basis is the energy with a single value of 1, scaled alike.
  const auto unit = [&](double exponent, double amount) {
    if (basis != nullptr)
      *basis = s.value.is_table() ? 0.0 : curve(1.0).at(op.voltage, vref, exponent) * amount;
  };
  switch (s.kind) {
    case kind::event: {
      std::uint64_t sum = 0;
      for (const std::uint64_t* p : s.counters) sum += *p;
      *counted = sum;
      if (sum == s.seen) return 0.0;
      unit(2.0, static_cast<double>(sum - s.seen));
      return static_cast<double>(sum - s.seen) * s.value.at(op.voltage, vref, 2.0);
    }
    case kind::background:
      if (d.m_state != state::on) return 0.0;
      unit(2.0, fscale * dt_s);
      return s.value.at(op.voltage, vref, 2.0) * fscale * dt_s;
    case kind::leakage:
      if (!d.powered()) return 0.0;
      unit(1.0, dt_s);
      return s.value.at(op.voltage, vref, 1.0) * dt_s;
    case kind::retention:
      if (d.m_state != state::retention) return 0.0;
      unit(0.0, dt_s);
      return s.value.at(op.voltage, vref, 0.0) * dt_s;
  }
  return 0.0;
}

double monitor::estimate_joules(sc_core::sc_time t) const {
  const double dt_s = t > m_last ? (t - m_last).to_seconds() : 0.0;
  double e = to_joules(m_total_aj);
  for (const auto& dp : m_domains) {
    const domain& d = *dp;
    const operating_point op = d.supply();
    const double vref = d.m_follows_opp ? m_ref.voltage : op.voltage;
    const double fscale = d.m_follows_opp ? op.frequency_hz / m_ref.frequency_hz : 1.0;
    for (const component* c : d.m_components) {
      std::uint64_t sum = 0;
      for (const source& s : c->m_sources) e += source_energy(s, d, op, vref, fscale, dt_s, &sum);
    }
  }
  return e;
}

void monitor::checkpoint(sc_core::sc_time t) {
  if (t < m_last) t = m_last;
  const sc_core::sc_time dt = t - m_last;
  const double dt_s = dt.to_seconds();
  segment seg;
  const bool want_segment = !m_sinks.empty();
  if (want_segment) {
    seg.from = m_last;
    seg.to = t;
    seg.states.reserve(m_domains.size());
    seg.energy_aj.reserve(m_domains.size());
  }
  for (const auto& dp : m_domains) {
    domain& d = *dp;
    const operating_point op = d.supply();
    // A fixed-supply domain's values are given at its own supply: nothing to scale.
    const double vref = d.m_follows_opp ? m_ref.voltage : op.voltage;
    const double fscale = d.m_follows_opp ? op.frequency_hz / m_ref.frequency_hz : 1.0;
    const auto st = static_cast<std::size_t>(d.m_state);
    std::int64_t seg_aj = 0;
    for (component* c : d.m_components) {
      for (source& s : c->m_sources) {
        std::uint64_t sum = 0;
        double basis = 0;
        const double e = source_energy(s, d, op, vref, fscale, dt_s, &sum, &basis);
        if (s.kind == kind::event) {
          s.events += sum - s.seen;
          s.seen = sum;
        }
        s.basis += basis;
        if (e == 0) continue;
        const double e_aj = e * 1e18;
        if (!(e_aj < 9.2e18)) m_overflow = true;
        const auto aj = e_aj < 9.2e18 ? static_cast<std::int64_t>(std::llround(e_aj)) : std::int64_t{0};
        for (std::int64_t* acc : {&s.energy_aj, &c->m_energy_aj, &d.m_state_energy[st],
                                  &m_kind_aj[static_cast<std::size_t>(s.kind)], &m_total_aj, &seg_aj}) {
          if (__builtin_add_overflow(*acc, aj, acc)) {
            *acc = std::numeric_limits<std::int64_t>::max();
            m_overflow = true;
          }
        }
      }
    }
    d.m_residency[st] += dt;
    if (want_segment) {
      seg.states.push_back(d.m_state);
      seg.energy_aj.push_back(seg_aj);
    }
  }
  m_last = t;
  if (want_segment)
    for (auto& sink : m_sinks) sink(seg);
}

void monitor::set_sample_interval(sc_core::sc_time interval) {
  m_interval = interval;
  m_next_sample = m_last + interval;
}

void monitor::sample(sc_core::sc_time t) {
  checkpoint(t);
  while (m_next_sample <= t) m_next_sample += m_interval;
}

snapshot monitor::take_snapshot() const {
  snapshot s;
  s.time = m_last;
  s.total_aj = m_total_aj;
  s.kind_aj = m_kind_aj;
  s.component_aj.reserve(m_components.size());
  s.operations.reserve(m_components.size());
  for (const component* c : m_components) {
    s.component_aj.push_back(c->energy_aj());
    s.operations.push_back(c->operations());
    for (const source& src : c->m_sources) {
      s.source_aj.push_back(src.energy_aj);
      s.source_basis.push_back(src.basis);
    }
  }
  return s;
}

}  // namespace edgevp::core::power

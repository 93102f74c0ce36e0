// edgevp: a clock whose frequency the PMU can change (DVFS).
//
// Models that are clocked by it state their latencies at the reference frequency (the reset
// operating point); scale() stretches them to the current frequency, so a slower clock makes every
// register access and bus hop take proportionally longer. Time-based blocks with their own
// reference (the CLINT's timebase, the RTC's 32 kHz crystal) are not on this clock.
#pragma once

#include <functional>
#include <utility>
#include <vector>

#include <systemc>

namespace edgevp::core {

class clock {
 public:
  explicit clock(double reference_hz) : m_ref(reference_hz), m_hz(reference_hz) {}

  [[nodiscard]] double hz() const { return m_hz; }
  [[nodiscard]] double reference_hz() const { return m_ref; }
  [[nodiscard]] sc_core::sc_time period() const { return sc_core::sc_time(1.0 / m_hz, sc_core::SC_SEC); }
  // A latency given at the reference frequency, at the current one.
  [[nodiscard]] sc_core::sc_time scale(const sc_core::sc_time& at_reference) const {
    return m_hz == m_ref ? at_reference : at_reference * (m_ref / m_hz);
  }

  void set_hz(double hz) {
    if (hz == m_hz) return;
    m_hz = hz;
    for (auto& fn : m_listeners) fn(hz);
  }
  void on_change(std::function<void(double hz)> fn) { m_listeners.push_back(std::move(fn)); }

 private:
  double m_ref;
  double m_hz;
  std::vector<std::function<void(double)>> m_listeners;
};

}  // namespace edgevp::core

#include "models/rtl/clocked.h"

namespace edgevp::rtl {

void clocked::tick() {
  const sc_core::sc_time p = period();
  drive_clock(false);
  eval();
  dump(m_time);
  for (participant* q : m_participants) q->sample();
  drive_clock(true);
  eval();
  dump(m_time + p / 2.0);
  ++m_cycle;
  m_time += p;
  for (participant* q : m_participants) q->update(*this);
}

bool clocked::has_work() const {
  if (busy()) return true;
  for (const participant* q : m_participants)
    if (q->pending()) return true;
  return false;
}

std::uint64_t clocked::run_until(const sc_core::sc_time& t) {
  std::uint64_t n = 0;
  while (m_time < t && has_work()) {
    tick();
    ++n;
  }
  advance_to(t);
  return n;
}

}  // namespace edgevp::rtl

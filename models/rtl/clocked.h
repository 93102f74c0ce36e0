// edgevp: a clocked pin-level model stepped from TLM (DESIGN.md "RTL co-simulation").
//
// A verilated block is not a SystemC process: its wrapper steps it with tick(), one clock cycle
// per call, on the block's own local time (temporal decoupling: the local time may run ahead of
// sc_time_stamp(), and behind it while the block idles). A cycle is
//
//   clk = 0, eval        the block's outputs settle on the inputs the participants drive
//   participants sample  every VALID && READY pair is a handshake at the coming edge
//   clk = 1, eval        the block's registers take the edge (and see the same handshakes)
//   participants update  each one moves its state and drives its pins for the next cycle
//
// so the participants (the bridges of models/rtl) behave as registered logic on the same clock.
// A block with no work is not stepped at all: advance_to() moves an idle block's time without a
// cycle (clock gating), and the wrapper clocks it again when an access or a job gives it work.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include <systemc>

#include "models/core/clock.h"

namespace edgevp::rtl {

class clocked;

// Something on the block's pins that acts at clock edges (a bridge, a test's fake master).
class participant {
 public:
  virtual ~participant() = default;
  virtual void sample() = 0;                                    // before the edge: latch the handshakes
  virtual void update(const clocked& c) = 0;                    // after the edge: new state, new pin values
  [[nodiscard]] virtual bool pending() const { return false; }  // transactions in flight
};

class clocked {
 public:
  virtual ~clocked() = default;

  // The clock: a core::clock (DVFS applies per cycle) or a fixed period.
  void set_clock(const core::clock* c) { m_clock = c; }
  void set_period(const sc_core::sc_time& p) { m_period = p; }
  [[nodiscard]] sc_core::sc_time period() const { return m_clock != nullptr ? m_clock->period() : m_period; }

  void add(participant& p) { m_participants.push_back(&p); }

  // One clock cycle (see above); the local time advances by one period.
  void tick();
  // Cycles ticked since construction, and the local time of the next edge's cycle start.
  [[nodiscard]] std::uint64_t cycle() const { return m_cycle; }
  [[nodiscard]] const sc_core::sc_time& local_time() const { return m_time; }
  // Moves an idle block's local time forward (never back).
  void advance_to(const sc_core::sc_time& t) {
    if (t > m_time) m_time = t;
  }
  // Ticks while the block or a participant has work, until the local time reaches `t`; then an
  // idle block's time jumps to `t`. Returns the cycles ticked.
  std::uint64_t run_until(const sc_core::sc_time& t);
  // Work: the block's own (busy pin) or a participant's transaction in flight.
  [[nodiscard]] bool has_work() const;

 protected:
  virtual void drive_clock(bool level) = 0;
  virtual void eval() = 0;
  [[nodiscard]] virtual bool busy() const = 0;
  // Waveform hook: called after each eval with the time of that edge.
  virtual void dump(const sc_core::sc_time& /*t*/) {}

 private:
  const core::clock* m_clock = nullptr;
  sc_core::sc_time m_period{10, sc_core::SC_NS};
  std::vector<participant*> m_participants;
  std::uint64_t m_cycle = 0;
  sc_core::sc_time m_time;
};

}  // namespace edgevp::rtl

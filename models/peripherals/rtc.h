// edgevp: RTC / wake-up timer, in the always-on domain.
//
//   offset  register  access  reset       meaning
//   0x00    ID        ro      0x52544301  "RTC", version 1
//   0x04    COUNT     ro      0           ticks of clock_hz since the counter was enabled
//   0x08    ALARM     rw      0xFFFFFFFF  compare value
//   0x0C    CTRL      rw      0           bit0 EN       counter runs (0 -> 1 restarts COUNT from 0;
//                                                       1 -> 0 freezes COUNT)
//                                         bit1 IRQ_EN   irq = FIRED
//                                         bit2 WAKE_EN  wake = FIRED
//                                         bit3 PERIODIC on a match, COUNT goes back to 0 on the next
//                                                       tick: the alarm repeats every ALARM + 1 ticks
//                                         bits 31:4 read 0
//   0x10    STATUS    rw      0           bit0 FIRED    an alarm matched; write 1 to clear (w1c)
//                                         bits 31:1 read 0, writes of 0 do nothing
//
// COUNT is not a counter that something increments: while enabled it is computed from simulated
// time, tick n starting at the first time unit at or after enable_time + n / clock_hz (exact
// integer arithmetic, however long the run). t is the time of the access as the initiator sees it
// (sc_time_stamp() plus its annotated delay, which includes this block's latency), as for the
// CLINT's mtime. Without PERIODIC the 32-bit COUNT wraps from 0xFFFFFFFF to 0.
//
// A match happens whenever COUNT becomes equal to ALARM while EN = 1: when the counter ticks to
// ALARM, when it is enabled (COUNT = 0) with ALARM = 0, and when ALARM is written with the current
// COUNT. A match sets STATUS.FIRED, which stays set until firmware clears it. Without PERIODIC the
// next match is 2^32 ticks later (36.4 hours at 32768 Hz). With PERIODIC the counter goes
// 0, 1, .., ALARM, 0, 1, ..; if COUNT is already above ALARM (ALARM lowered while counting), it
// counts on through the 32-bit wrap to ALARM first. ALARM and CTRL writes take effect from the
// tick in progress: COUNT keeps its value, only what happens next changes.
//
// The lines are levels: irq = FIRED && IRQ_EN, wake = FIRED && WAKE_EN. When a match would raise a
// line, one timed event is scheduled at the exact time of the tick, where an SC_METHOD raises it;
// otherwise nothing is scheduled (no per-tick events, and an idle RTC never keeps the simulation
// alive), and STATUS is brought up to date when it is accessed: a read or write at time t sees every
// match up to t, even one the kernel has not reached yet (temporal decoupling), and raises the
// lines at once then.
//
// Debug reads see the live COUNT and STATUS at sc_time_stamp(). Debug writes to ALARM, CTRL and
// STATUS take effect like bus writes (STATUS stores the written bit instead of clearing it), a
// debug write to COUNT sets the count; all without latency. reset() restores the reset values,
// lowers both lines and cancels the event.
#pragma once

#include <cstdint>

#include "models/core/irq.h"
#include "models/core/peripheral.h"

namespace edgevp::peripherals {

struct rtc_config {
  double clock_hz = 32768;  // 1 <= clock_hz <= time resolution rate; rounded to whole Hz
  sc_core::sc_time latency = sc_core::sc_time(10, sc_core::SC_NS);
};

class rtc : public core::peripheral {
 public:
  core::irq_line irq{"irq"};    // to the interrupt controller
  core::irq_line wake{"wake"};  // to the PMU's wake-up logic
  core::irq_line* interrupt() override { return &irq; }
  core::irq_line* wakeup() override { return &wake; }

  static constexpr std::uint32_t id_value = 0x52544301u;
  static constexpr std::uint32_t ctrl_en = 1u << 0;
  static constexpr std::uint32_t ctrl_irq_en = 1u << 1;
  static constexpr std::uint32_t ctrl_wake_en = 1u << 2;
  static constexpr std::uint32_t ctrl_periodic = 1u << 3;
  static constexpr std::uint32_t ctrl_mask = 0xFu;
  static constexpr std::uint32_t status_fired = 1u << 0;

  // Throws core::config_error (naming the module) unless 1 <= clock_hz <= the rate of the SystemC
  // time resolution (1e12 at the default 1 ps).
  rtc(const sc_core::sc_module_name& name, const rtc_config& cfg);

  // COUNT and FIRED as they read at simulated time t (t >= the last access's time); no side effects.
  [[nodiscard]] std::uint32_t count_at(sc_core::sc_time t) const;
  [[nodiscard]] bool fired_at(sc_core::sc_time t) const;
  [[nodiscard]] std::uint64_t clock_hz() const { return m_hz; }

  core::reg<std::uint32_t> id{this, "ID", 0x00, id_value, core::access::ro};
  core::reg<std::uint32_t> count{this, "COUNT", 0x04, 0, core::access::ro};
  core::reg<std::uint32_t> alarm{this, "ALARM", 0x08, 0xFFFFFFFFu, core::access::rw};
  core::reg<std::uint32_t> ctrl{this, "CTRL", 0x0C, 0, core::access::rw};
  core::reg<std::uint32_t> status{this, "STATUS", 0x10, 0, core::access::rw};

 protected:
  void reset_state() override;
  unsigned int transport_dbg(tlm::tlm_generic_payload& tx) override;

 private:
  [[nodiscard]] bool enabled() const { return (ctrl.get() & ctrl_en) != 0; }
  [[nodiscard]] bool periodic() const { return (ctrl.get() & ctrl_periodic) != 0; }
  [[nodiscard]] std::uint64_t tick_at(sc_core::sc_time t) const;     // ticks since m_epoch
  [[nodiscard]] sc_core::sc_time time_of(std::uint64_t tick) const;  // first time of a tick
  [[nodiscard]] std::uint32_t count_of(std::uint64_t tick) const;    // tick >= m_n0
  [[nodiscard]] std::uint64_t next_match(std::uint64_t tick) const;  // first match > tick
  [[nodiscard]] bool matched_by(std::uint64_t tick) const;           // a match in (m_seen, tick]

  void catch_up(sc_core::sc_time t);  // record matches up to t
  void rebase(sc_core::sc_time t);    // catch up, then restart the count formula at t
  void match_now();                   // a match outside of a tick (enable, ALARM write)
  void write_alarm(sc_core::sc_time t, std::uint32_t v);
  void write_ctrl(sc_core::sc_time t, std::uint32_t v);
  void write_count(sc_core::sc_time t, std::uint32_t v);
  void update(sc_core::sc_time t);  // registers' stored values, lines, the event
  void on_due();                    // SC_METHOD on m_due

  std::uint64_t m_hz;
  std::uint64_t m_res_per_sec;  // time resolution units per second
  sc_core::sc_time m_epoch;     // enable time: tick 0 starts here
  std::uint64_t m_n0 = 0;       // the count formula starts at tick m_n0 ...
  std::uint32_t m_c0 = 0;       // ... with COUNT = m_c0
  std::uint64_t m_seen = 0;     // matches at ticks <= m_seen are recorded in m_fired
  std::uint32_t m_frozen = 0;   // COUNT while disabled
  bool m_fired = false;
  sc_core::sc_event m_due{"due"};
};

}  // namespace edgevp::peripherals

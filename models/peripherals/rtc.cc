#include "models/peripherals/rtc.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "models/core/errors.h"

namespace edgevp::peripherals {

namespace {

// Time <-> tick conversions multiply a 64-bit time value by a rate: exact in 128 bits (see clint.cc).
__extension__ typedef unsigned __int128 u128;  // NOLINT(modernize-use-using)

constexpr std::uint64_t u64_max = std::numeric_limits<std::uint64_t>::max();
constexpr std::uint64_t wrap = std::uint64_t{1} << 32;  // COUNT's modulus without PERIODIC

std::uint64_t whole_hz(const sc_core::sc_module& m, double hz, std::uint64_t res_per_sec) {
  if (!(hz >= 1.0 && hz <= static_cast<double>(res_per_sec)))
    throw core::config_error(std::string(m.name()) +
                             ": clock_hz must be >= 1 and <= " + std::to_string(res_per_sec) +
                             " (the time resolution), got " + std::to_string(hz));
  const auto whole = static_cast<std::uint64_t>(std::llround(hz));
  if (static_cast<double>(whole) != hz)
    SC_REPORT_WARNING(
        m.name(),
        ("clock_hz " + std::to_string(hz) + " rounded to " + std::to_string(whole) + " Hz").c_str());
  return whole;
}

}  // namespace

rtc::rtc(const sc_core::sc_module_name& name, const rtc_config& cfg)
    : peripheral(name, cfg.latency),
      m_hz(1),
      m_res_per_sec(sc_core::sc_time(1, sc_core::SC_SEC).value()),
      m_epoch(sc_core::SC_ZERO_TIME) {
  m_hz = whole_hz(*this, cfg.clock_hz, m_res_per_sec);
  SC_HAS_PROCESS(rtc);
  SC_METHOD(on_due);
  sensitive << m_due;
  dont_initialize();

  count.on_read([this] {
    const sc_core::sc_time t = access_time();
    catch_up(t);
    update(t);
    return count_at(t);
  });
  status.on_read([this] {
    const sc_core::sc_time t = access_time();
    catch_up(t);
    update(t);
    return m_fired ? status_fired : 0u;
  });
  status.on_write([this](std::uint32_t v) {
    const sc_core::sc_time t = access_time();
    catch_up(t);  // a match up to the write is seen, and cleared by it
    if ((v & status_fired) != 0) m_fired = false;
    update(t);
  });
  alarm.on_write([this](std::uint32_t v) { write_alarm(access_time(), v); });
  ctrl.on_write([this](std::uint32_t v) { write_ctrl(access_time(), v); });
}

std::uint64_t rtc::tick_at(sc_core::sc_time t) const {
  if (t <= m_epoch) return 0;
  return static_cast<std::uint64_t>(u128{(t - m_epoch).value()} * m_hz / m_res_per_sec);
}

sc_core::sc_time rtc::time_of(std::uint64_t tick) const {
  // The first time value whose tick count is `tick`: epoch + ceil(tick * resolution / hz).
  const u128 when = u128{m_epoch.value()} + (u128{tick} * m_res_per_sec + m_hz - 1) / m_hz;
  return when > u64_max ? sc_core::sc_max_time()
                        : sc_core::sc_time::from_value(static_cast<std::uint64_t>(when));
}

std::uint32_t rtc::count_of(std::uint64_t tick) const {
  const std::uint64_t k = tick > m_n0 ? tick - m_n0 : 0;
  const std::uint64_t alarm_v = alarm.get();
  if (!periodic()) return static_cast<std::uint32_t>(m_c0 + k);  // mod 2^32
  const std::uint64_t period = alarm_v + 1;                      // up to 2^32
  if (m_c0 <= alarm_v) return static_cast<std::uint32_t>((m_c0 + k % period) % period);
  // Above ALARM: count on through the 32-bit wrap to ALARM, then cycle.
  const std::uint64_t to_alarm = static_cast<std::uint32_t>(alarm_v - m_c0);  // >= 1
  if (k <= to_alarm) return static_cast<std::uint32_t>(m_c0 + k);
  return static_cast<std::uint32_t>(((k - to_alarm) % period + alarm_v) % period);
}

std::uint64_t rtc::next_match(std::uint64_t tick) const {
  const std::uint64_t c = count_of(tick);
  const std::uint64_t alarm_v = alarm.get();
  std::uint64_t step = 0;
  if (periodic() && c <= alarm_v)
    step = c == alarm_v ? alarm_v + 1 : alarm_v - c;  // one period after a match
  else
    step = c == alarm_v ? wrap : static_cast<std::uint32_t>(alarm_v - c);
  return step > u64_max - tick ? u64_max : tick + step;
}

bool rtc::matched_by(std::uint64_t tick) const {
  return enabled() && tick > m_seen && next_match(m_seen) <= tick;
}

std::uint32_t rtc::count_at(sc_core::sc_time t) const {
  if (!enabled()) return m_frozen;
  return count_of(std::max(tick_at(t), m_n0));
}

bool rtc::fired_at(sc_core::sc_time t) const {
  return m_fired || matched_by(tick_at(t));
}

void rtc::catch_up(sc_core::sc_time t) {
  const std::uint64_t tick = tick_at(t);
  if (matched_by(tick)) m_fired = true;
  if (enabled()) m_seen = std::max(m_seen, tick);
}

void rtc::rebase(sc_core::sc_time t) {
  catch_up(t);
  // m_seen >= the tick at t; at most later when an earlier access was served further ahead.
  m_c0 = count_of(m_seen);
  m_n0 = m_seen;
}

void rtc::match_now() {
  m_fired = true;
}

void rtc::write_alarm(sc_core::sc_time t, std::uint32_t v) {
  if (enabled()) {
    rebase(t);  // counted up to now with the old ALARM
    alarm.set(v);
    if (m_c0 == v) match_now();
  } else {
    alarm.set(v);
  }
  update(t);
}

void rtc::write_ctrl(sc_core::sc_time t, std::uint32_t v) {
  v &= ctrl_mask;
  const bool was_enabled = enabled();
  if (was_enabled) rebase(t);  // counted up to now with the old mode
  ctrl.set(v);
  if (!was_enabled && enabled()) {  // start: COUNT = 0 now, tick 1 one period later
    m_epoch = t;
    m_n0 = m_seen = 0;
    m_c0 = 0;
    if (alarm.get() == 0) match_now();
  } else if (was_enabled && !enabled()) {
    m_frozen = m_c0;
  }
  update(t);
}

void rtc::write_count(sc_core::sc_time t, std::uint32_t v) {
  if (!enabled()) {
    m_frozen = v;
  } else {
    rebase(t);
    m_c0 = v;
    if (v == alarm.get()) match_now();
  }
  update(t);
}

void rtc::update(sc_core::sc_time t) {
  count.set(count_at(t));
  status.set(m_fired ? status_fired : 0u);
  const std::uint32_t c = ctrl.get();
  irq.set(m_fired && (c & ctrl_irq_en) != 0);
  wake.set(m_fired && (c & ctrl_wake_en) != 0);
  m_due.cancel();
  // Only a match that changes a line needs an event: FIRED itself is brought up to date lazily.
  if (!enabled() || m_fired || (c & (ctrl_irq_en | ctrl_wake_en)) == 0) return;
  const std::uint64_t tick = next_match(m_seen);
  if (tick == u64_max) return;
  const sc_core::sc_time when = time_of(tick);
  if (when == sc_core::sc_max_time()) return;  // beyond representable simulated time: never
  const sc_core::sc_time now = sc_core::sc_time_stamp();
  m_due.notify(when > now ? when - now : sc_core::SC_ZERO_TIME);
}

void rtc::on_due() {
  const sc_core::sc_time now = sc_core::sc_time_stamp();
  catch_up(now);
  update(now);
}

void rtc::reset_state() {
  m_epoch = sc_core::sc_time_stamp();
  m_n0 = m_seen = 0;
  m_c0 = m_frozen = 0;
  m_fired = false;
  m_due.cancel();
  irq.lower();
  wake.lower();
}

unsigned int rtc::transport_dbg(tlm::tlm_generic_payload& tx) {
  // A debugger sees the live COUNT and STATUS; its writes take effect like bus writes.
  const sc_core::sc_time now = sc_core::sc_time_stamp();
  catch_up(now);
  update(now);
  const std::uint32_t old_count = count.get();
  const std::uint32_t old_alarm = alarm.get();
  const std::uint32_t old_ctrl = ctrl.get();
  const std::uint32_t old_status = status.get();
  const unsigned int n = peripheral::transport_dbg(tx);
  if (!tx.is_write()) return n;
  const std::uint32_t new_count = count.get();
  const std::uint32_t new_alarm = alarm.get();
  const std::uint32_t new_ctrl = ctrl.get();
  const std::uint32_t new_status = status.get();
  id.set(id_value);
  count.set(old_count);
  alarm.set(old_alarm);
  ctrl.set(old_ctrl);
  if (new_count != old_count) write_count(now, new_count);
  if (new_alarm != old_alarm) write_alarm(now, new_alarm);
  if (new_ctrl != old_ctrl) write_ctrl(now, new_ctrl);
  if (new_status != old_status) m_fired = (new_status & status_fired) != 0;
  update(now);
  return n;
}

}  // namespace edgevp::peripherals

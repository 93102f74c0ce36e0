// Bench for the RTC / wake-up timer: COUNT from simulated time, alarm matches (one-shot, periodic),
// the exact time of the irq and wake lines, STATUS w1c, temporal decoupling, debug access, reset.
#include <gtest/gtest.h>

#include <cstdint>

#include "models/core/errors.h"
#include "models/peripherals/rtc.h"
#include "tests/unit/tlm_helpers.h"

namespace {

using edgevp::peripherals::rtc;
using edgevp::peripherals::rtc_config;
using sc_core::SC_MS;
using sc_core::SC_NS;
using sc_core::SC_PS;
using sc_core::SC_SEC;
using sc_core::sc_start;
using sc_core::sc_time;
using sc_core::SC_US;

enum : std::uint64_t { ID = 0x00, COUNT = 0x04, ALARM = 0x08, CTRL = 0x0C, STATUS = 0x10 };
constexpr std::uint32_t EN = rtc::ctrl_en;
constexpr std::uint32_t IRQ = rtc::ctrl_irq_en;
constexpr std::uint32_t WAKE = rtc::ctrl_wake_en;
constexpr std::uint32_t PERIODIC = rtc::ctrl_periodic;

// 1 MHz and no latency: 1 tick = 1 us, and an access samples at exactly the kernel's time.
rtc_config mhz() {
  rtc_config c;
  c.clock_hz = 1e6;
  c.latency = sc_core::SC_ZERO_TIME;
  return c;
}

struct bench {
  rtc dut;
  edgevp::test::initiator bus{"bus", dut.in};
  sc_time irq_at = sc_core::SC_ZERO_TIME;  // when irq last rose
  sc_time wake_at = sc_core::SC_ZERO_TIME;
  unsigned irq_rises = 0;
  unsigned wake_rises = 0;
  explicit bench(const rtc_config& cfg = mhz()) : dut("rtc", cfg) {
    dut.irq.bind([this](bool level) {
      if (!level) return;
      ++irq_rises;
      irq_at = sc_core::sc_time_stamp();
    });
    dut.wake.bind([this](bool level) {
      if (!level) return;
      ++wake_rises;
      wake_at = sc_core::sc_time_stamp();
    });
  }
  std::uint64_t count() { return bus.read32(COUNT).value; }
  std::uint64_t status() { return bus.read32(STATUS).value; }
};

TEST(rtc, reset_values) {
  bench b;
  EXPECT_EQ(b.bus.read32(ID).value, 0x52544301u);
  EXPECT_EQ(b.count(), 0u);
  EXPECT_EQ(b.bus.read32(ALARM).value, 0xFFFFFFFFu);
  EXPECT_EQ(b.bus.read32(CTRL).value, 0u);
  EXPECT_EQ(b.status(), 0u);
  EXPECT_FALSE(b.dut.irq.level());
  EXPECT_FALSE(b.dut.wake.level());
  EXPECT_EQ(b.dut.clock_hz(), 1000000u);
}

TEST(rtc, default_clock_is_32768_hz) {
  rtc r("r", rtc_config{});
  EXPECT_EQ(r.clock_hz(), 32768u);
}

TEST(rtc, counter_is_stopped_until_enabled) {
  bench b;
  sc_start(sc_time(50, SC_US));
  EXPECT_EQ(b.count(), 0u);
}

TEST(rtc, count_runs_from_the_enable_time) {
  bench b;
  sc_start(sc_time(7, SC_US));
  b.bus.write32(CTRL, EN);
  sc_start(sc_time(5, SC_US));
  EXPECT_EQ(b.count(), 5u);
  sc_start(sc_time(999, SC_NS));
  EXPECT_EQ(b.count(), 5u);  // floor: 5.999 ticks
  sc_start(sc_time(1, SC_NS));
  EXPECT_EQ(b.count(), 6u);
  EXPECT_EQ(b.dut.count_at(sc_time(7, SC_US) + sc_time(1, SC_SEC)), 1000000u);
}

TEST(rtc, count_at_32768_hz_is_exact) {
  rtc_config cfg;
  cfg.latency = sc_core::SC_ZERO_TIME;
  bench b(cfg);
  b.bus.write32(CTRL, EN);
  // A tick is 30517.578125 ns.
  EXPECT_EQ(b.dut.count_at(sc_time(30517, SC_NS)), 0u);
  EXPECT_EQ(b.dut.count_at(sc_time(30518, SC_NS)), 1u);
  EXPECT_EQ(b.dut.count_at(sc_time(1, SC_SEC)), 32768u);
  EXPECT_EQ(b.dut.count_at(sc_time(3600, SC_SEC)), 3600u * 32768u);
  EXPECT_EQ(b.dut.count_at(sc_time(3600, SC_SEC) - sc_time(1, SC_PS)), 3600u * 32768u - 1);
  // 2^32 ticks = 131072 s: the 32-bit counter wraps to 0.
  EXPECT_EQ(b.dut.count_at(sc_time(131072, SC_SEC) - sc_time(1, SC_PS)), 0xFFFFFFFFu);
  EXPECT_EQ(b.dut.count_at(sc_time(131072, SC_SEC)), 0u);
}

TEST(rtc, count_read_includes_annotated_delay_and_latency) {
  rtc_config cfg = mhz();
  cfg.latency = sc_time(2, SC_US);
  bench b(cfg);
  b.bus.access(tlm::TLM_WRITE_COMMAND, CTRL, 4, EN);  // enabled at 2 us (after the latency)
  EXPECT_EQ(b.bus.read32(COUNT).value, 0u);           // sampled at 2 us
  // The initiator is 10 us ahead: sampled at 12 us, 10 ticks after the enable.
  EXPECT_EQ(b.bus.access(tlm::TLM_READ_COMMAND, COUNT, 4, 0, sc_time(10, SC_US)).value, 10u);
}

TEST(rtc, disabling_freezes_and_enabling_restarts_from_zero) {
  bench b;
  b.bus.write32(CTRL, EN);
  sc_start(sc_time(12, SC_US));
  b.bus.write32(CTRL, 0);
  sc_start(sc_time(30, SC_US));
  EXPECT_EQ(b.count(), 12u);
  b.bus.write32(CTRL, EN);
  EXPECT_EQ(b.count(), 0u);
  sc_start(sc_time(3, SC_US));
  EXPECT_EQ(b.count(), 3u);
}

TEST(rtc, ctrl_keeps_only_defined_bits) {
  bench b;
  b.bus.write32(CTRL, 0xFFFFFFF0u | EN);
  EXPECT_EQ(b.bus.read32(CTRL).value, EN);
  b.bus.write32(CTRL, 0xFFFFFFFFu);
  EXPECT_EQ(b.bus.read32(CTRL).value, 0xFu);
}

TEST(rtc, alarm_raises_irq_on_the_exact_tick) {
  rtc_config cfg;  // 32768 Hz
  cfg.latency = sc_core::SC_ZERO_TIME;
  bench b(cfg);
  b.bus.write32(ALARM, 3);
  b.bus.write32(CTRL, EN | IRQ);
  sc_start(sc_time(91552, SC_NS));
  EXPECT_FALSE(b.dut.irq.level());
  EXPECT_EQ(b.status(), 0u);
  sc_start(sc_time(1, SC_MS));
  // Tick 3 starts at 3 * 30517.578125 ns = 91552.734375 ns: the first picosecond at or after it.
  EXPECT_TRUE(b.dut.irq.level());
  EXPECT_EQ(b.irq_at, sc_time(91552735, SC_PS));
  EXPECT_EQ(b.irq_rises, 1u);
  EXPECT_EQ(b.status(), 1u);
  EXPECT_FALSE(b.dut.wake.level());  // WAKE_EN is 0
  EXPECT_EQ(b.wake_rises, 0u);
}

TEST(rtc, wake_follows_its_own_enable) {
  bench b;
  b.bus.write32(ALARM, 20);
  b.bus.write32(CTRL, EN | WAKE);
  sc_start(sc_time(50, SC_US));
  EXPECT_TRUE(b.dut.wake.level());
  EXPECT_EQ(b.wake_at, sc_time(20, SC_US));
  EXPECT_FALSE(b.dut.irq.level());
  // Enabling the irq later, with FIRED still set, raises it at once.
  b.bus.write32(CTRL, EN | WAKE | IRQ);
  EXPECT_TRUE(b.dut.irq.level());
  EXPECT_EQ(b.irq_at, sc_time(50, SC_US));
  EXPECT_EQ(b.count(), 50u);  // changing the enables does not disturb the count
}

TEST(rtc, status_is_set_without_line_enables_and_nothing_is_scheduled) {
  bench b;
  b.bus.write32(ALARM, 10);
  b.bus.write32(CTRL, EN);
  // No line to raise: no event, so an idle RTC never keeps the simulation alive.
  EXPECT_FALSE(sc_core::sc_pending_activity_at_future_time());
  sc_start(sc_time(15, SC_US));
  EXPECT_EQ(b.status(), 1u);
  EXPECT_FALSE(b.dut.irq.level());
  EXPECT_TRUE(b.dut.fired_at(sc_core::sc_time_stamp()));
}

TEST(rtc, fired_at_sees_a_match_the_kernel_has_not_reached) {
  bench b;
  b.bus.write32(ALARM, 10);
  b.bus.write32(CTRL, EN);
  EXPECT_FALSE(b.dut.fired_at(sc_time(9, SC_US)));
  EXPECT_TRUE(b.dut.fired_at(sc_time(10, SC_US)));
}

TEST(rtc, status_w1c_clears_and_lowers_the_lines) {
  bench b;
  b.bus.write32(ALARM, 5);
  b.bus.write32(CTRL, EN | IRQ | WAKE);
  sc_start(sc_time(10, SC_US));
  ASSERT_TRUE(b.dut.irq.level());
  b.bus.write32(STATUS, 0);  // writing 0 does nothing
  EXPECT_EQ(b.status(), 1u);
  EXPECT_TRUE(b.dut.irq.level());
  b.bus.write32(STATUS, 1);
  EXPECT_EQ(b.status(), 0u);
  EXPECT_FALSE(b.dut.irq.level());
  EXPECT_FALSE(b.dut.wake.level());
  // One-shot: the next match is 2^32 ticks away.
  sc_start(sc_time(1, SC_MS));
  EXPECT_EQ(b.irq_rises, 1u);
  EXPECT_EQ(b.status(), 0u);
}

TEST(rtc, one_shot_alarm_matches_again_after_the_32_bit_wrap) {
  bench b;
  b.bus.write32(ALARM, 0xFFFFFFFFu);  // the reset value: 4294.967295 s at 1 MHz
  b.bus.write32(CTRL, EN | IRQ);
  sc_start(sc_time(4300, SC_SEC));
  EXPECT_EQ(b.irq_at, sc_time(4294967295.0, SC_US));
  b.bus.write32(STATUS, 1);
  EXPECT_EQ(b.count(), 5032704u);  // 4300 s = 2^32 + 5032704 ticks
  sc_start(sc_time(4300, SC_SEC));
  EXPECT_EQ(b.irq_rises, 2u);
  EXPECT_EQ(b.irq_at, sc_time(2 * 4294967296.0 - 1, SC_US));
}

TEST(rtc, periodic_alarm_repeats_every_alarm_plus_one_ticks) {
  bench b;
  b.bus.write32(ALARM, 9);
  b.bus.write32(CTRL, EN | IRQ | PERIODIC);
  for (unsigned k = 0; k < 5; ++k) {
    sc_start(sc_time(9, SC_US) + sc_time(10 * k, SC_US) - sc_core::sc_time_stamp() + sc_time(500, SC_NS));
    ASSERT_TRUE(b.dut.irq.level()) << "period " << k;
    EXPECT_EQ(b.irq_at, sc_time(9 + 10 * k, SC_US)) << "period " << k;
    EXPECT_EQ(b.count(), 9u);
    b.bus.write32(STATUS, 1);  // the handler acknowledges
    EXPECT_FALSE(b.dut.irq.level());
  }
  EXPECT_EQ(b.irq_rises, 5u);
  // COUNT goes 0..9, 0..9, ..: at 53.5 us it is 3.
  sc_start(sc_time(4, SC_US));
  EXPECT_EQ(b.count(), 3u);
  EXPECT_EQ(b.dut.count_at(sc_time(60, SC_US)), 0u);
  EXPECT_EQ(b.dut.count_at(sc_time(69, SC_US)), 9u);
  EXPECT_EQ(b.dut.count_at(sc_time(70, SC_US)), 0u);
}

TEST(rtc, periodic_fired_stays_set_until_cleared_and_the_lines_do_not_toggle) {
  bench b;
  b.bus.write32(ALARM, 4);
  b.bus.write32(CTRL, EN | IRQ | PERIODIC);
  sc_start(sc_time(100, SC_US));
  EXPECT_EQ(b.irq_rises, 1u);  // sticky: later matches change nothing
  EXPECT_TRUE(b.dut.irq.level());
  b.bus.write32(STATUS, 1);
  sc_start(sc_time(10, SC_US));
  EXPECT_EQ(b.irq_rises, 2u);
  EXPECT_EQ(b.irq_at, sc_time(104, SC_US));  // matches at 4, 9, .., 99, 104
}

TEST(rtc, periodic_with_alarm_zero_matches_every_tick) {
  bench b;
  b.bus.write32(ALARM, 0);
  b.bus.write32(CTRL, EN | IRQ | PERIODIC);
  EXPECT_TRUE(b.dut.irq.level());  // COUNT = 0 = ALARM at the enable
  b.bus.write32(STATUS, 1);
  EXPECT_FALSE(b.dut.irq.level());
  sc_start(sc_time(2500, SC_NS));
  EXPECT_EQ(b.irq_at, sc_time(1, SC_US));
  EXPECT_EQ(b.count(), 0u);
  b.bus.write32(STATUS, 1);
  sc_start(sc_time(1, SC_US));
  EXPECT_EQ(b.irq_at, sc_time(3, SC_US));
}

TEST(rtc, enabling_with_alarm_zero_fires_at_once) {
  bench b;
  b.bus.write32(ALARM, 0);
  b.bus.write32(CTRL, EN | IRQ);
  EXPECT_TRUE(b.dut.irq.level());
  EXPECT_EQ(b.status(), 1u);
}

TEST(rtc, writing_alarm_equal_to_count_fires_at_once) {
  bench b;
  b.bus.write32(CTRL, EN | IRQ);
  sc_start(sc_time(42, SC_US));
  b.bus.write32(ALARM, 42);
  EXPECT_TRUE(b.dut.irq.level());
  EXPECT_EQ(b.irq_at, sc_time(42, SC_US));
  // ... but a value already passed waits for the wrap.
  b.bus.write32(STATUS, 1);
  b.bus.write32(ALARM, 41);
  sc_start(sc_time(1, SC_MS));
  EXPECT_EQ(b.irq_rises, 1u);
}

TEST(rtc, alarm_written_while_stopped_does_not_match) {
  bench b;
  b.bus.write32(ALARM, 0);  // COUNT is 0 but the counter does not run
  EXPECT_EQ(b.status(), 0u);
  b.bus.write32(ALARM, 7);
  b.bus.write32(CTRL, EN | IRQ);
  EXPECT_FALSE(b.dut.irq.level());
  sc_start(sc_time(10, SC_US));
  EXPECT_EQ(b.irq_at, sc_time(7, SC_US));
}

TEST(rtc, moving_the_alarm_later_cancels_the_old_deadline) {
  bench b;
  b.bus.write32(CTRL, EN | IRQ);
  b.bus.write32(ALARM, 10);
  b.bus.write32(ALARM, 30);
  sc_start(sc_time(20, SC_US));
  EXPECT_EQ(b.irq_rises, 0u);
  sc_start(sc_time(20, SC_US));
  EXPECT_EQ(b.irq_at, sc_time(30, SC_US));
  EXPECT_EQ(b.irq_rises, 1u);
}

TEST(rtc, moving_the_alarm_earlier_fires_earlier) {
  bench b;
  b.bus.write32(CTRL, EN | IRQ);
  b.bus.write32(ALARM, 30);
  sc_start(sc_time(5, SC_US));
  b.bus.write32(ALARM, 8);
  sc_start(sc_time(40, SC_US));
  EXPECT_EQ(b.irq_at, sc_time(8, SC_US));
  EXPECT_EQ(b.irq_rises, 1u);
}

TEST(rtc, disabling_cancels_the_deadline) {
  bench b;
  b.bus.write32(ALARM, 10);
  b.bus.write32(CTRL, EN | IRQ);
  sc_start(sc_time(5, SC_US));
  b.bus.write32(CTRL, IRQ);
  sc_start(sc_time(20, SC_US));
  EXPECT_EQ(b.irq_rises, 0u);
  EXPECT_EQ(b.status(), 0u);
  EXPECT_EQ(b.count(), 5u);
}

TEST(rtc, lowering_alarm_below_count_in_periodic_mode_counts_through_the_wrap) {
  bench b;
  b.bus.write32(ALARM, 100);
  b.bus.write32(CTRL, EN | PERIODIC);
  sc_start(sc_time(20, SC_US));
  b.bus.write32(ALARM, 5);  // COUNT is 20, above the new ALARM
  const sc_time t0 = sc_time(20, SC_US);
  const std::uint64_t to_wrap = (std::uint64_t{1} << 32) - 20;
  EXPECT_EQ(b.dut.count_at(t0 + sc_time(1, SC_US)), 21u);
  EXPECT_EQ(b.dut.count_at(t0 + sc_time(static_cast<double>(to_wrap - 1), SC_US)), 0xFFFFFFFFu);
  EXPECT_EQ(b.dut.count_at(t0 + sc_time(static_cast<double>(to_wrap), SC_US)), 0u);
  EXPECT_EQ(b.dut.count_at(t0 + sc_time(static_cast<double>(to_wrap + 5), SC_US)), 5u);
  EXPECT_EQ(b.dut.count_at(t0 + sc_time(static_cast<double>(to_wrap + 6), SC_US)), 0u);  // period 6 now
  EXPECT_EQ(b.dut.count_at(t0 + sc_time(static_cast<double>(to_wrap + 12), SC_US)), 0u);
  EXPECT_FALSE(b.dut.fired_at(t0 + sc_time(static_cast<double>(to_wrap + 4), SC_US)));
  EXPECT_TRUE(b.dut.fired_at(t0 + sc_time(static_cast<double>(to_wrap + 5), SC_US)));
}

TEST(rtc, switching_periodic_mode_keeps_the_count) {
  bench b;
  b.bus.write32(ALARM, 9);
  b.bus.write32(CTRL, EN | PERIODIC);
  sc_start(sc_time(25, SC_US));
  EXPECT_EQ(b.count(), 5u);  // 0..9, 0..9, 0..5
  b.bus.write32(CTRL, EN);   // one-shot from here: 5, 6, .., 9, 10, 11, ..
  sc_start(sc_time(10, SC_US));
  EXPECT_EQ(b.count(), 15u);
  b.bus.write32(CTRL, EN | PERIODIC);  // above ALARM: on through the wrap
  sc_start(sc_time(1, SC_US));
  EXPECT_EQ(b.count(), 16u);
}

TEST(rtc, temporal_decoupling_schedules_at_the_absolute_time) {
  bench b;
  // Written by an initiator 4 us ahead: enabled at 4 us, due at 4 + 6 = 10 us absolute.
  b.bus.access(tlm::TLM_WRITE_COMMAND, ALARM, 4, 6, sc_time(4, SC_US));
  b.bus.access(tlm::TLM_WRITE_COMMAND, CTRL, 4, EN | IRQ, sc_time(4, SC_US));
  sc_start(sc_time(20, SC_US));
  EXPECT_EQ(b.irq_at, sc_time(10, SC_US));
}

TEST(rtc, an_access_ahead_of_the_kernel_sees_the_match_and_raises_at_once) {
  bench b;
  b.bus.write32(ALARM, 10);
  b.bus.write32(CTRL, EN | IRQ);
  // The CPU reads STATUS at 12 us while the kernel is still at 0.
  EXPECT_EQ(b.bus.access(tlm::TLM_READ_COMMAND, STATUS, 4, 0, sc_time(12, SC_US)).value, 1u);
  EXPECT_TRUE(b.dut.irq.level());
  EXPECT_EQ(b.irq_at, sc_core::SC_ZERO_TIME);  // raised in the access, before the kernel got there
  // Clearing at 12 us also clears that match; the next is 2^32 ticks later.
  b.bus.access(tlm::TLM_WRITE_COMMAND, STATUS, 4, 1, sc_time(12, SC_US));
  EXPECT_FALSE(b.dut.irq.level());
  sc_start(sc_time(50, SC_US));
  EXPECT_EQ(b.irq_rises, 1u);
}

TEST(rtc, debug_access_sees_the_live_count_and_takes_effect) {
  bench b;
  b.bus.write32(CTRL, EN);
  sc_start(sc_time(42, SC_US));
  std::uint32_t v = 0;
  EXPECT_EQ(b.bus.debug_read(COUNT, &v, 4), 4u);
  EXPECT_EQ(v, 42u);
  std::uint32_t c = 1000;
  EXPECT_EQ(b.bus.debug_write(COUNT, &c, 4), 4u);  // a debugger may set the count
  EXPECT_EQ(b.count(), 1000u);
  std::uint32_t regs[2] = {1005, EN | IRQ};  // ALARM and CTRL in one debug write
  EXPECT_EQ(b.bus.debug_write(ALARM, regs, 8), 8u);
  sc_start(sc_time(10, SC_US));
  EXPECT_EQ(b.irq_at, sc_time(47, SC_US));
  EXPECT_EQ(b.bus.debug_read(STATUS, &v, 4), 4u);
  EXPECT_EQ(v, 1u);
  std::uint32_t zero = 0;
  b.bus.debug_write(STATUS, &zero, 4);  // stored, not w1c: clears FIRED
  EXPECT_FALSE(b.dut.irq.level());
  std::uint32_t bogus = 0;
  b.bus.debug_write(ID, &bogus, 4);  // ID stays what it is
  EXPECT_EQ(b.bus.read32(ID).value, rtc::id_value);
}

TEST(rtc, debug_read_of_status_sees_a_match_without_an_event) {
  bench b;
  b.bus.write32(ALARM, 3);
  b.bus.write32(CTRL, EN);  // no line enabled: nothing scheduled
  sc_start(sc_time(5, SC_US));
  std::uint32_t v = 0;
  b.bus.debug_read(STATUS, &v, 4);
  EXPECT_EQ(v, 1u);
}

TEST(rtc, reset_restores_everything_and_disarms) {
  bench b;
  b.bus.write32(ALARM, 5);
  b.bus.write32(CTRL, EN | IRQ | WAKE | PERIODIC);
  sc_start(sc_time(10, SC_US));
  ASSERT_TRUE(b.dut.irq.level());
  ASSERT_TRUE(b.dut.wake.level());
  b.dut.reset();
  EXPECT_FALSE(b.dut.irq.level());
  EXPECT_FALSE(b.dut.wake.level());
  EXPECT_EQ(b.count(), 0u);
  EXPECT_EQ(b.bus.read32(CTRL).value, 0u);
  EXPECT_EQ(b.bus.read32(ALARM).value, 0xFFFFFFFFu);
  EXPECT_EQ(b.status(), 0u);
  EXPECT_FALSE(sc_core::sc_pending_activity_at_future_time());
  sc_start(sc_time(50, SC_US));
  EXPECT_EQ(b.irq_rises, 1u);
  EXPECT_EQ(b.count(), 0u);
  // And it works again afterwards, counting from the enable.
  b.bus.write32(ALARM, 2);
  b.bus.write32(CTRL, EN | IRQ);
  sc_start(sc_time(5, SC_US));
  EXPECT_EQ(b.irq_at, sc_time(62, SC_US));
}

TEST(rtc, bad_accesses_are_answered) {
  bench b;
  EXPECT_EQ(b.bus.write32(ID, 1).status, tlm::TLM_COMMAND_ERROR_RESPONSE);
  EXPECT_EQ(b.bus.write32(COUNT, 1).status, tlm::TLM_COMMAND_ERROR_RESPONSE);
  EXPECT_EQ(b.bus.read16(CTRL).status, tlm::TLM_BURST_ERROR_RESPONSE);
  EXPECT_EQ(b.bus.read8(STATUS).status, tlm::TLM_BURST_ERROR_RESPONSE);
  EXPECT_EQ(b.bus.read32(0x14).status, tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(b.bus.read32(0x06).status, tlm::TLM_BURST_ERROR_RESPONSE);  // misaligned, inside COUNT
}

TEST(rtc, bad_clock_is_a_configuration_error) {
  rtc_config cfg;
  cfg.clock_hz = 0;
  EXPECT_THROW(rtc("a", cfg), edgevp::core::config_error);
  cfg.clock_hz = 2e12;  // finer than the 1 ps resolution
  EXPECT_THROW(rtc("b", cfg), edgevp::core::config_error);
}

}  // namespace

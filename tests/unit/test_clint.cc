// Bench for the CLINT: msip, mtime from simulated time, mtimecmp and the timing of mtip.
#include <gtest/gtest.h>

#include <cstdint>

#include "models/core/errors.h"
#include "models/peripherals/clint.h"
#include "tests/unit/tlm_helpers.h"

namespace {

using edgevp::peripherals::clint;
using edgevp::peripherals::clint_config;
using sc_core::sc_start;
using sc_core::sc_time;
using sc_core::SC_NS;
using sc_core::SC_US;

enum : std::uint64_t { MSIP = 0x0, CMP_LO = 0x4000, CMP_HI = 0x4004 };
enum : std::uint64_t { MTIME_LO = 0xBFF8, MTIME_HI = 0xBFFC };

struct bench {
  clint dut;
  edgevp::test::initiator bus{"bus", dut.in};
  sc_time rose_at = sc_core::SC_ZERO_TIME;  // when mtip last went high
  unsigned rises = 0;
  explicit bench(const clint_config& cfg = clint_config{}) : dut("clint", cfg) {
    dut.mtip.bind([this](bool level) {
      if (!level) return;
      ++rises;
      rose_at = sc_core::sc_time_stamp();
    });
  }
  void write_cmp(std::uint64_t v) {  // the race-free order from the privileged spec
    bus.write32(CMP_LO, 0xFFFFFFFF);
    bus.write32(CMP_HI, v >> 32);
    bus.write32(CMP_LO, v & 0xFFFFFFFF);
  }
  std::uint64_t mtime() {
    return (bus.read32(MTIME_HI).value << 32) | bus.read32(MTIME_LO).value;
  }
};

TEST(clint, reset_values) {
  bench b;
  EXPECT_EQ(b.bus.read32(MSIP).value, 0u);
  EXPECT_EQ(b.bus.read32(CMP_LO).value, 0xFFFFFFFFu);
  EXPECT_EQ(b.bus.read32(CMP_HI).value, 0xFFFFFFFFu);
  EXPECT_EQ(b.mtime(), 0u);
  EXPECT_FALSE(b.dut.msip.level());
  EXPECT_FALSE(b.dut.mtip.level());
}

TEST(clint, msip_follows_bit0) {
  bench b;
  EXPECT_EQ(b.bus.write32(MSIP, 1).status, tlm::TLM_OK_RESPONSE);
  EXPECT_TRUE(b.dut.msip.level());
  EXPECT_EQ(b.bus.read32(MSIP).value, 1u);
  b.bus.write32(MSIP, 0xFFFFFFFE);
  EXPECT_FALSE(b.dut.msip.level());
  EXPECT_EQ(b.bus.read32(MSIP).value, 0u);
}

TEST(clint, mtime_counts_simulated_time_at_the_timebase) {
  clint_config cfg;
  cfg.latency = sc_core::SC_ZERO_TIME;  // the access latency would count as time, see below
  bench b(cfg);
  sc_start(sc_time(5, SC_US));
  EXPECT_EQ(b.mtime(), 5u);
  sc_start(sc_time(999, SC_NS));
  EXPECT_EQ(b.mtime(), 5u);  // floor: 5.999 ticks
  sc_start(sc_time(1, SC_NS));
  EXPECT_EQ(b.mtime(), 6u);
  EXPECT_EQ(b.dut.mtime_at(sc_time(1, sc_core::SC_SEC)), 1000000u);
}

TEST(clint, mtime_read_includes_the_annotated_delay) {
  bench b;
  // The CPU is 3 us ahead of the kernel (temporal decoupling).
  EXPECT_EQ(b.bus.access(tlm::TLM_READ_COMMAND, MTIME_LO, 4, 0, sc_time(3, SC_US)).value, 3u);
  EXPECT_EQ(b.bus.read32(MTIME_LO).value, 0u);
}

TEST(clint, mtime_is_sampled_after_the_access_latency) {
  clint_config cfg;
  cfg.latency = sc_time(1, SC_US);
  bench b(cfg);
  EXPECT_EQ(b.bus.read32(MTIME_LO).value, 1u);
}

TEST(clint, odd_timebase_is_exact) {
  clint_config cfg;
  cfg.timebase_hz = 32768;  // a tick is 30517.578125 ns
  bench b(cfg);
  EXPECT_EQ(b.dut.mtime_at(sc_time(30517, SC_NS)), 0u);
  EXPECT_EQ(b.dut.mtime_at(sc_time(30518, SC_NS)), 1u);
  EXPECT_EQ(b.dut.mtime_at(sc_time(1, sc_core::SC_SEC)), 32768u);
  EXPECT_EQ(b.dut.mtime_at(sc_time(3600, sc_core::SC_SEC)), 3600u * 32768u);
  EXPECT_EQ(b.dut.mtime_at(sc_time(3600, sc_core::SC_SEC) - sc_time(1, sc_core::SC_PS)),
            3600u * 32768u - 1);
}

TEST(clint, mtip_rises_when_mtime_reaches_mtimecmp) {
  bench b;
  b.write_cmp(10);
  EXPECT_FALSE(b.dut.mtip.level());
  sc_start(sc_time(9, SC_US));
  EXPECT_FALSE(b.dut.mtip.level());
  sc_start(sc_time(11, SC_US));
  EXPECT_TRUE(b.dut.mtip.level());
  EXPECT_EQ(b.rose_at, sc_time(10, SC_US));
  EXPECT_EQ(b.rises, 1u);
}

TEST(clint, mtip_at_an_odd_timebase_rises_on_the_tick) {
  clint_config cfg;
  cfg.timebase_hz = 32768;
  bench b(cfg);
  b.write_cmp(3);
  sc_start(sc_time(1, sc_core::SC_MS));
  // Tick 3 starts at 3 * 30517.578125 ns = 91552.734375 ns: the first picosecond at or after it.
  EXPECT_EQ(b.rose_at, sc_time(91552735, sc_core::SC_PS));
}

TEST(clint, mtip_rises_at_once_when_already_due) {
  bench b;
  sc_start(sc_time(20, SC_US));
  b.write_cmp(15);
  EXPECT_TRUE(b.dut.mtip.level());
  EXPECT_EQ(b.rose_at, sc_time(20, SC_US));
}

TEST(clint, moving_mtimecmp_later_lowers_mtip_and_reschedules) {
  bench b;
  b.write_cmp(10);
  sc_start(sc_time(12, SC_US));
  EXPECT_TRUE(b.dut.mtip.level());
  b.write_cmp(30);  // the timer handler acknowledges by moving mtimecmp
  EXPECT_FALSE(b.dut.mtip.level());
  sc_start(sc_time(10, SC_US));
  EXPECT_FALSE(b.dut.mtip.level());
  sc_start(sc_time(10, SC_US));
  EXPECT_TRUE(b.dut.mtip.level());
  EXPECT_EQ(b.rose_at, sc_time(30, SC_US));
  EXPECT_EQ(b.rises, 2u);
}

TEST(clint, moving_mtimecmp_later_before_it_fires_cancels_the_old_deadline) {
  bench b;
  b.write_cmp(10);
  b.write_cmp(30);
  sc_start(sc_time(20, SC_US));
  EXPECT_FALSE(b.dut.mtip.level());
  EXPECT_EQ(b.rises, 0u);
  sc_start(sc_time(20, SC_US));
  EXPECT_EQ(b.rose_at, sc_time(30, SC_US));
}

TEST(clint, moving_mtimecmp_earlier_fires_earlier) {
  bench b;
  b.write_cmp(30);
  b.write_cmp(10);
  sc_start(sc_time(40, SC_US));
  EXPECT_EQ(b.rose_at, sc_time(10, SC_US));
  EXPECT_EQ(b.rises, 1u);
}

TEST(clint, reset_mtimecmp_never_fires) {
  bench b;
  sc_start(sc_time(1, sc_core::SC_SEC));
  EXPECT_FALSE(b.dut.mtip.level());
  EXPECT_EQ(b.rises, 0u);
}

TEST(clint, mtimecmp_halves_compose) {
  bench b;
  b.bus.write32(CMP_HI, 0x12345678);
  b.bus.write32(CMP_LO, 0x9ABCDEF0);
  EXPECT_EQ(b.dut.mtimecmp(), 0x123456789ABCDEF0u);
  EXPECT_EQ(b.bus.read32(CMP_HI).value, 0x12345678u);
  EXPECT_EQ(b.bus.read32(CMP_LO).value, 0x9ABCDEF0u);
  EXPECT_FALSE(b.dut.mtip.level());
}

TEST(clint, high_half_of_mtimecmp_counts) {
  bench b;
  // Low half small but high half 1: due after 2^32 + 5 ticks, not after 5.
  b.bus.write32(CMP_HI, 1);
  b.bus.write32(CMP_LO, 5);
  sc_start(sc_time(100, SC_US));
  EXPECT_FALSE(b.dut.mtip.level());
}

TEST(clint, temporal_decoupling_schedules_at_the_absolute_time) {
  bench b;
  // Written by an initiator 4 us ahead of the kernel: mtime is 4 then, due at 5 us absolute.
  b.bus.access(tlm::TLM_WRITE_COMMAND, CMP_HI, 4, 0, sc_time(4, SC_US));
  b.bus.access(tlm::TLM_WRITE_COMMAND, CMP_LO, 4, 5, sc_time(4, SC_US));
  EXPECT_FALSE(b.dut.mtip.level());
  sc_start(sc_time(10, SC_US));
  EXPECT_EQ(b.rose_at, sc_time(5, SC_US));
  // Already due from the initiator's point of view: raised at once, before the kernel gets there.
  b.write_cmp(100);
  b.bus.access(tlm::TLM_WRITE_COMMAND, CMP_LO, 4, 12, sc_time(3, SC_US));  // mtime there: 13
  EXPECT_TRUE(b.dut.mtip.level());
  EXPECT_EQ(b.rose_at, sc_time(10, SC_US));
}

TEST(clint, writing_mtime_sets_it_and_it_keeps_counting) {
  bench b;
  sc_start(sc_time(5, SC_US));
  b.bus.write32(MTIME_LO, 100);
  EXPECT_EQ(b.mtime(), 100u);
  sc_start(sc_time(2, SC_US));
  EXPECT_EQ(b.mtime(), 102u);
  b.bus.write32(MTIME_HI, 7);
  EXPECT_EQ(b.mtime(), (std::uint64_t{7} << 32) | 102u);  // the low half is kept
  EXPECT_EQ(b.dut.mtime_at(sc_time(10, SC_US)), (std::uint64_t{7} << 32) | 105u);
}

TEST(clint, writing_mtime_past_mtimecmp_raises_and_back_lowers) {
  bench b;
  b.write_cmp(1000);
  b.bus.write32(MTIME_LO, 2000);
  EXPECT_TRUE(b.dut.mtip.level());
  b.bus.write32(MTIME_LO, 990);
  EXPECT_FALSE(b.dut.mtip.level());
  sc_start(sc_time(20, SC_US));
  EXPECT_TRUE(b.dut.mtip.level());
  EXPECT_EQ(b.rose_at, sc_time(10, SC_US));  // 990 + 10 ticks
}

TEST(clint, debug_access_sees_and_sets_the_live_mtime) {
  bench b;
  sc_start(sc_time(42, SC_US));
  std::uint64_t v = 0;
  EXPECT_EQ(b.bus.debug_read(MTIME_LO, &v, 8), 8u);
  EXPECT_EQ(v, 42u);
  std::uint64_t nv = 1000;
  EXPECT_EQ(b.bus.debug_write(MTIME_LO, &nv, 8), 8u);
  EXPECT_EQ(b.mtime(), 1000u);
  std::uint64_t cmp = 1005;
  b.bus.debug_write(CMP_LO, &cmp, 8);
  sc_start(sc_time(10, SC_US));
  EXPECT_EQ(b.rose_at, sc_time(47, SC_US));
}

TEST(clint, reset_restarts_mtime_and_disarms) {
  bench b;
  b.write_cmp(5);
  b.bus.write32(MSIP, 1);
  sc_start(sc_time(10, SC_US));
  ASSERT_TRUE(b.dut.mtip.level());
  b.dut.reset();
  EXPECT_FALSE(b.dut.mtip.level());
  EXPECT_FALSE(b.dut.msip.level());
  EXPECT_EQ(b.mtime(), 0u);
  EXPECT_EQ(b.dut.mtimecmp(), ~std::uint64_t{0});
}

TEST(clint, bad_accesses_are_answered) {
  bench b;
  EXPECT_EQ(b.bus.access(tlm::TLM_READ_COMMAND, MTIME_LO, 8).status, tlm::TLM_BURST_ERROR_RESPONSE);
  EXPECT_EQ(b.bus.read16(MSIP).status, tlm::TLM_BURST_ERROR_RESPONSE);
  EXPECT_EQ(b.bus.read32(0x8).status, tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(b.bus.read32(0x4).status, tlm::TLM_ADDRESS_ERROR_RESPONSE);  // msip of a second hart
}

TEST(clint, bad_timebase_is_a_configuration_error) {
  clint_config cfg;
  cfg.timebase_hz = 0;
  EXPECT_THROW(clint("c", cfg), edgevp::core::config_error);
}

}  // namespace

namespace {

namespace pw = edgevp::core::power;

TEST(clint_power, gating_stops_mtime_and_power_off_restarts_it) {
  pw::monitor mon{{0.8, 100e6}};
  pw::domain& d = mon.add_domain("soc");
  bench b;
  b.dut.attach_power(mon, d);
  sc_start(sc_time(10, SC_US));
  EXPECT_EQ(b.mtime(), 10u);
  b.write_cmp(30);
  mon.set_state(d, pw::state::clock_gated, sc_core::sc_time_stamp());
  EXPECT_EQ(b.bus.read32(MTIME_LO).status, tlm::TLM_GENERIC_ERROR_RESPONSE);
  sc_start(sc_time(50, SC_US));  // past the compare time, but the clock is stopped
  EXPECT_EQ(b.rises, 0u);
  mon.set_state(d, pw::state::on, sc_core::sc_time_stamp());
  EXPECT_EQ(b.mtime(), 10u);  // counts on from where it stopped
  sc_start(sc_time(25, SC_US));
  EXPECT_EQ(b.rises, 1u);
  EXPECT_EQ(b.rose_at, sc_time(80, SC_US));  // 20 ticks after the clock restarted at 60 us
  mon.set_state(d, pw::state::off, sc_core::sc_time_stamp());
  EXPECT_FALSE(b.dut.mtip.level());
  sc_start(sc_time(100, SC_US));
  mon.set_state(d, pw::state::on, sc_core::sc_time_stamp());
  EXPECT_EQ(b.mtime(), 0u);                 // from reset at power-on
  EXPECT_EQ(b.dut.mtimecmp(), ~0ull);
}

}  // namespace

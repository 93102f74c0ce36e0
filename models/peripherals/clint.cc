#include "models/peripherals/clint.h"

#include <cmath>
#include <limits>
#include <string>

#include "models/core/errors.h"

namespace edgevp::peripherals {

namespace {

// Time <-> tick conversions multiply a 64-bit time value by a rate: exact in 128 bits, where a
// double would round a tick boundary the wrong way after a few seconds of simulated time.
// __extension__ keeps -Wpedantic quiet about the GCC/Clang 128-bit integer.
__extension__ typedef unsigned __int128 u128;  // NOLINT(modernize-use-using)

constexpr std::uint64_t lo32_mask = 0xFFFFFFFFull;
constexpr std::uint64_t u64_max = std::numeric_limits<std::uint64_t>::max();

std::uint64_t whole_hz(const sc_core::sc_module& m, double hz) {
  if (!(hz >= 1.0 && hz < 9.2e18))
    throw core::config_error(std::string(m.name()) + ": timebase_hz must be >= 1 and < 2^63, got " +
                             std::to_string(hz));
  const auto whole = static_cast<std::uint64_t>(std::llround(hz));
  if (static_cast<double>(whole) != hz)
    SC_REPORT_WARNING(m.name(), ("timebase_hz " + std::to_string(hz) + " rounded to " +
                                 std::to_string(whole) + " Hz")
                                    .c_str());
  return whole;
}

}  // namespace

clint::clint(const sc_core::sc_module_name& name, const clint_config& cfg)
    : peripheral(name, cfg.latency),
      m_hz(whole_hz(*this, cfg.timebase_hz)),
      m_res_per_sec(sc_core::sc_time(1, sc_core::SC_SEC).value()) {
  SC_HAS_PROCESS(clint);
  SC_METHOD(on_due);
  sensitive << m_due;
  dont_initialize();

  msip_reg.on_write([this](std::uint32_t v) {
    msip_reg.set(v & 1u);
    msip.set((v & 1u) != 0);
  });
  mtimecmp_lo.on_write([this](std::uint32_t v) {
    mtimecmp_lo.set(v);
    update_mtip(access_time());
  });
  mtimecmp_hi.on_write([this](std::uint32_t v) {
    mtimecmp_hi.set(v);
    update_mtip(access_time());
  });
  mtime_lo.on_read([this] { return static_cast<std::uint32_t>(mtime_at(access_time())); });
  mtime_hi.on_read([this] { return static_cast<std::uint32_t>(mtime_at(access_time()) >> 32); });
  mtime_lo.on_write([this](std::uint32_t v) {
    const sc_core::sc_time t = access_time();
    set_mtime(t, (mtime_at(t) & ~lo32_mask) | v);
    update_mtip(t);
  });
  mtime_hi.on_write([this](std::uint32_t v) {
    const sc_core::sc_time t = access_time();
    set_mtime(t, (mtime_at(t) & lo32_mask) | (std::uint64_t{v} << 32));
    update_mtip(t);
  });
}

std::uint64_t clint::ticks_at(sc_core::sc_time t) const {
  return static_cast<std::uint64_t>(u128{t.value()} * m_hz / m_res_per_sec);
}

std::uint64_t clint::mtime_at(sc_core::sc_time t) const { return ticks_at(t) + m_offset; }

std::uint64_t clint::mtimecmp() const {
  return (std::uint64_t{mtimecmp_hi.get()} << 32) | mtimecmp_lo.get();
}

void clint::set_mtime(sc_core::sc_time t, std::uint64_t value) {
  m_offset = value - ticks_at(t);  // wraps mod 2^64 by design
  mtime_lo.set(static_cast<std::uint32_t>(value));
  mtime_hi.set(static_cast<std::uint32_t>(value >> 32));
}

void clint::update_mtip(sc_core::sc_time now) {
  m_due.cancel();
  const std::uint64_t cmp = mtimecmp();
  const std::uint64_t mtime = mtime_at(now);
  if (mtime >= cmp) {
    mtip.raise();
    return;
  }
  mtip.lower();
  // mtime reaches cmp after (cmp - mtime) more ticks, without wrapping (cmp > mtime). The first
  // time value whose tick count is the target one: ceil(ticks * resolution / hz).
  const u128 target = u128{ticks_at(now)} + (cmp - mtime);
  const u128 when = (target * m_res_per_sec + m_hz - 1) / m_hz;
  if (when > u64_max) return;  // beyond the end of representable simulated time: never
  m_due.notify(sc_core::sc_time::from_value(static_cast<std::uint64_t>(when)) -
               sc_core::sc_time_stamp());
}

void clint::on_due() {
  if (domain_on()) update_mtip(sc_core::sc_time_stamp());
}

void clint::power_changed(core::power::state from, core::power::state to) {
  using core::power::state;
  const sc_core::sc_time now = sc_core::sc_time_stamp();
  if (to == state::on) {
    if (from == state::off) {
      reset();  // power-on: mtime from 0
    } else {
      set_mtime(now, m_frozen);  // the clock runs again from where it stopped
      update_mtip(now);
    }
    return;
  }
  if (from == state::on) m_frozen = mtime_at(now);
  m_due.cancel();
  if (to == state::off) {
    msip.lower();
    mtip.lower();
  }
}

void clint::reset_state() {
  // mtime restarts from 0 at the time of the reset.
  set_mtime(sc_core::sc_time_stamp(), 0);
  msip.lower();
  update_mtip(sc_core::sc_time_stamp());
}

unsigned int clint::transport_dbg(tlm::tlm_generic_payload& tx) {
  // A debugger sees and sets the live mtime; its writes take effect like bus writes.
  const sc_core::sc_time now = sc_core::sc_time_stamp();
  const std::uint64_t before = mtime_at(now);
  mtime_lo.set(static_cast<std::uint32_t>(before));
  mtime_hi.set(static_cast<std::uint32_t>(before >> 32));
  const unsigned int n = peripheral::transport_dbg(tx);
  if (tx.is_write()) {
    const std::uint64_t written = (std::uint64_t{mtime_hi.get()} << 32) | mtime_lo.get();
    if (written != before) set_mtime(now, written);
    msip_reg.set(msip_reg.get() & 1u);
    msip.set((msip_reg.get() & 1u) != 0);
    update_mtip(now);
  }
  return n;
}

}  // namespace edgevp::peripherals

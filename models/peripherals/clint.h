// edgevp: CLINT, core-local interruptor in the SiFive layout (one hart).
//
//   offset  register     access  reset       meaning
//   0x0000  MSIP         rw      0           bit0: machine software interrupt (msip line)
//   0x4000  MTIMECMP_LO  rw      0xFFFFFFFF  low half of mtimecmp
//   0x4004  MTIMECMP_HI  rw      0xFFFFFFFF  high half of mtimecmp
//   0xBFF8  MTIME_LO     rw      -           low half of mtime
//   0xBFFC  MTIME_HI     rw      -           high half of mtime
//
// mtime is not a counter that something increments: it is computed from simulated time,
//   mtime(t) = floor(t * timebase_hz) + offset   (mod 2^64)
// where t is the time of the access as the initiator sees it (sc_time_stamp() plus its annotated
// delay, which includes the CLINT's own access latency: the CPU runs ahead with temporal
// decoupling). Writing a half of mtime changes the offset so that, at the access time, mtime reads
// the written value in that half.
//
// mtip is high while mtime >= mtimecmp (unsigned). Writing either half of mtimecmp or of mtime
// re-evaluates it at once; when mtimecmp is still in the future a timed event is scheduled for the
// simulated time at which mtime reaches it, and mtip rises then. The reset value of mtimecmp (all
// ones) is never reached. Each 32-bit half takes effect when written, so a 64-bit update should go
// LO = ~0, HI = new high, LO = new low (as the privileged spec recommends): no spurious mtip.
//
// Debug writes (a debugger) to MSIP, MTIMECMP or MTIME take effect like bus writes, without the
// latency; debug reads of MTIME see the current value.
//
// Power: mtime is time-based activity. While the CLINT's domain is clock-gated or in retention
// mtime stands still (and mtip does not rise); it counts on from the same value when the domain is
// on again. When the domain was off, the CLINT comes back from reset: mtime restarts from 0 at
// power-on, mtimecmp is all ones.
#pragma once

#include <cstdint>

#include "models/core/irq.h"
#include "models/core/peripheral.h"

namespace edgevp::peripherals {

struct clint_config {
  double timebase_hz = 1e6;  // > 0; rounded to whole Hz (a warning says so when it is not whole)
  sc_core::sc_time latency = sc_core::sc_time(10, sc_core::SC_NS);
};

class clint : public core::peripheral {
 public:
  core::irq_line msip{"msip"};  // CPU MSIP (mip bit 3)
  core::irq_line mtip{"mtip"};  // CPU MTIP (mip bit 7)

  // Throws core::config_error (naming the module) unless 1 <= timebase_hz < 2^63.
  clint(const sc_core::sc_module_name& name, const clint_config& cfg);

  // mtime as it reads at simulated time t (t may be ahead of sc_time_stamp()).
  [[nodiscard]] std::uint64_t mtime_at(sc_core::sc_time t) const;
  [[nodiscard]] std::uint64_t mtimecmp() const;
  [[nodiscard]] std::uint64_t timebase_hz() const { return m_hz; }

  core::reg<std::uint32_t> msip_reg{this, "MSIP", 0x0000, 0, core::access::rw};
  core::reg<std::uint32_t> mtimecmp_lo{this, "MTIMECMP_LO", 0x4000, 0xFFFFFFFFu, core::access::rw};
  core::reg<std::uint32_t> mtimecmp_hi{this, "MTIMECMP_HI", 0x4004, 0xFFFFFFFFu, core::access::rw};
  core::reg<std::uint32_t> mtime_lo{this, "MTIME_LO", 0xBFF8, 0, core::access::rw};
  core::reg<std::uint32_t> mtime_hi{this, "MTIME_HI", 0xBFFC, 0, core::access::rw};

 protected:
  void reset_state() override;
  unsigned int transport_dbg(tlm::tlm_generic_payload& tx) override;
  void power_changed(core::power::state from, core::power::state to) override;

 private:
  [[nodiscard]] std::uint64_t ticks_at(sc_core::sc_time t) const;  // floor(t * hz), no offset
  void set_mtime(sc_core::sc_time t, std::uint64_t value);
  void update_mtip(sc_core::sc_time now);  // now: the access time, >= sc_time_stamp()
  void on_due();                           // SC_METHOD on m_due

  std::uint64_t m_hz;
  std::uint64_t m_res_per_sec;  // time resolution units per second
  std::uint64_t m_offset = 0;   // mtime - ticks, mod 2^64
  std::uint64_t m_frozen = 0;   // mtime while the clock is stopped
  sc_core::sc_event m_due{"due"};
};

}  // namespace edgevp::peripherals

// edgevp: AXI interconnect as a TLM-2.0 router.
//
// Built from the memory map in the configuration: each target is mapped at [base, base + size)
// with its own latency. Every b_transport pays the per-hop latency plus the target's latency, and a
// target serves one transaction at a time: a transaction that arrives (at the initiator's local
// time) while the target is busy waits for the first free moment. Reservations are kept as a
// calendar, so transactions issued out of time order (temporally decoupled initiators, DMA
// engines that plan a whole job) still queue by time; the duration of a transaction is known only
// once the target has served it, so one that starts in a gap too short for it overlaps the next
// reservation - the usual LT approximation.
//
// The calendar of a target holds at most max_calendar reservations: past that (an initiator that
// plans far ahead while simulated time stands still, e.g. a long accelerator job) neighbouring
// reservations are merged pairwise, so the gaps between them are lost - a later transaction that
// would have fitted there waits for the end of the merged one instead. Memory stays bounded; no
// workload of the repository comes near the limit (its largest calendar holds about 2000).
//
// A transaction of n bytes moves ceil(n / width) beats; beats after the first add a bus cycle each.
// Unmapped addresses answer TLM_ADDRESS_ERROR_RESPONSE. DMI requests and debug transport are
// forwarded with the address translated both ways; a DMI region carries its target's latency but
// not the hop latency nor contention (memories sit next to the core). Targets' DMI invalidations
// are translated back and broadcast to every initiator.
//
// Power: an energy quantum per transfer and leakage. Transfers are the router's own b_transports
// plus the DMI traffic that bypasses it: on a DMI grant it picks up the target's DMI counters
// (core/dmi_counters.h) and counts their reads and writes as transfers too. With a clock set, the
// hop latency is given at the reference frequency and scales with DVFS.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/multi_passthrough_initiator_socket.h>
#include <tlm_utils/multi_passthrough_target_socket.h>

#include "models/core/clock.h"
#include "models/core/power.h"
#include "models/core/param.h"

namespace edgevp::interconnect {

struct router_power {
  core::power::curve transfer = 0.5e-12;  // J per transfer (U in CALIBRATION.md: a parameter)
  core::power::curve leakage = 5e-6;      // W (U)
};

struct router_config {
  sc_core::sc_time hop_latency = sc_core::sc_time(2, sc_core::SC_NS);
  // Data bus width: a transaction longer than one beat (DMA bursts) occupies the target for one
  // more bus cycle per extra beat. The first beat is inside the hop latency, so the CPU's word
  // accesses cost what they did.
  unsigned width_bytes = 8;
  sc_core::sc_time cycle = sc_core::sc_time(10, sc_core::SC_NS);  // bus cycle without a clock
  router_power power;
};

// Reservations one target's calendar keeps before it merges neighbours (see above).
inline constexpr std::size_t max_calendar = 16384;

struct target_stats {
  std::uint64_t transactions = 0;
  std::uint64_t bytes = 0;
  sc_core::sc_time wait_time = sc_core::SC_ZERO_TIME;  // queued behind another transaction
};

class router : public sc_core::sc_module {
 public:
  tlm_utils::multi_passthrough_target_socket<router> in;       // initiators bind here
  tlm_utils::multi_passthrough_initiator_socket<router> out;   // one binding per mapped target

  router(const sc_core::sc_module_name& name, const router_config& cfg = {});

  // Maps a target. Throws core::config_error naming both blocks if the range overlaps another,
  // or if the range is empty or wraps past 2^32.
  template <typename Socket>
  void map(const std::string& name, std::uint64_t base, std::uint64_t size, Socket& target,
           sc_core::sc_time latency = sc_core::SC_ZERO_TIME) {
    add_range(name, base, size, latency);
    out.bind(target);
  }

  struct range {
    std::string name;
    std::uint64_t base;
    std::uint64_t size;
    sc_core::sc_time latency;
    unsigned port;
    // When the target is busy: disjoint intervals sorted by start, merged when they touch, dropped
    // once simulated time has passed them. A calendar rather than one "busy until": temporally
    // decoupled initiators issue out of time order (a DMA engine plans ahead), and a transaction
    // that fits in a gap before a later reservation takes it. At most max_calendar entries.
    std::vector<std::pair<sc_core::sc_time, sc_core::sc_time>> busy;
    target_stats stats;
  };
  [[nodiscard]] const std::vector<range>& ranges() const { return m_ranges; }
  // The range holding addr, or nullptr.
  [[nodiscard]] const range* find(std::uint64_t addr) const;

  void set_clock(const core::clock* c) { m_clock = c; }
  [[nodiscard]] core::power::component& power() { return m_power; }
  [[nodiscard]] std::uint64_t transfers() const { return m_transfers; }

 private:
  void add_range(const std::string& name, std::uint64_t base, std::uint64_t size, sc_core::sc_time latency);
  range* decode(std::uint64_t addr);

  void b_transport(int id, tlm::tlm_generic_payload& tx, sc_core::sc_time& delay);
  bool get_direct_mem_ptr(int id, tlm::tlm_generic_payload& tx, tlm::tlm_dmi& dmi);
  unsigned int transport_dbg(int id, tlm::tlm_generic_payload& tx);
  void invalidate_direct_mem_ptr(int port, sc_dt::uint64 start, sc_dt::uint64 end);

  router_config m_cfg;
  std::vector<range> m_ranges;  // in port order
  const core::clock* m_clock = nullptr;
  core::power::component m_power;
  std::uint64_t m_transfers = 0;
};

// The interconnect's parameters, bound to its configuration: hop_latency, width, power.transfer,
// power.leakage.
std::vector<core::param_binding> bind_params(router_config& c);

}  // namespace edgevp::interconnect

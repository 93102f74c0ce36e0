// edgevp: access counters that an initiator can increment on a target's behalf.
//
// Energy is counted, not computed, on the hot path (DESIGN.md): a memory counts the accesses it
// serves through b_transport itself, but accesses through a DMI pointer never reach it. So the
// memory hands the initiator a pointer to a second set of counters with the DMI grant (through
// dmi_counters_extension on the get_direct_mem_ptr request) and the initiator increments them per
// DMI access. The memory's power sources read both sets; the interconnect, which the DMI path
// bypasses too, learns the pointer on the way back and charges its transfers from it.
//
// Plain C++ (no SystemC) so the ISS can use it.
#pragma once

#include <cstdint>

namespace edgevp::core {

struct access_counters {
  std::uint64_t reads = 0;
  std::uint64_t read_bytes = 0;
  std::uint64_t writes = 0;
  std::uint64_t write_bytes = 0;

  void read(std::uint64_t bytes) {
    ++reads;
    read_bytes += bytes;
  }
  void write(std::uint64_t bytes) {
    ++writes;
    write_bytes += bytes;
  }
};

}  // namespace edgevp::core

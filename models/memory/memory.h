// edgevp: memory — boot ROM, SRAM and eMRAM.
//
// A flat, zero-initialised byte array behind one TLM-2.0 target socket. Addresses are local offsets
// (0 .. size-1): the interconnect subtracts the region base before forwarding.
//
//   b_transport     one read or write, any length; byte enables and streaming width honoured.
//                   Answers:
//                     address (or address + length) past the end   -> TLM_ADDRESS_ERROR_RESPONSE
//                     write to a read-only memory (ROM)            -> TLM_COMMAND_ERROR_RESPONSE
//                     otherwise                                    -> TLM_OK_RESPONSE, DMI hint set
//                   Adds read_latency or write_latency to the annotated delay.
//   get_direct_mem_ptr
//                   grants the whole memory, read/write (read-only when read_only), with the
//                   configured latencies. A write request to a read-only memory returns false but
//                   still describes the read-only grant.
//   transport_dbg   reads and writes, clipped to the memory; writes are allowed even when read_only
//                   (the ELF loader and the debugger fill the ROM this way). Returns bytes done.
//
// Power: read and write energy per bit (asymmetric for eMRAM), leakage while powered, retention
// leakage. Bus accesses are counted here; DMI accesses are counted by the initiator into the
// counters this memory hands out with the DMI grant (core/dmi_counters.h). While the memory's
// domain is not on, bus accesses get TLM_GENERIC_ERROR_RESPONSE and DMI is revoked and refused;
// when the domain goes off a volatile memory loses its contents (they read as `lost_value`
// afterwards); a non-volatile one (eMRAM, ROM) keeps them.
//
// With dmi_write = false (eMRAM), DMI grants are read-only so that every write takes the bus
// path: its latency, energy and wear are charged per access.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include "models/core/access_counters.h"
#include "models/core/power.h"
#include "models/core/param.h"

namespace edgevp::memory {

struct memory_power {
  core::power::curve read_bit = 0.0;   // J per bit read
  core::power::curve write_bit = 0.0;  // J per bit written
  core::power::curve leakage = 0.0;    // W while powered
  core::power::curve retention = 0.0;  // W in retention
};

struct memory_config {
  std::uint64_t size = 0;  // bytes, must be > 0
  sc_core::sc_time read_latency = sc_core::SC_ZERO_TIME;   // per access, not per byte
  sc_core::sc_time write_latency = sc_core::SC_ZERO_TIME;  // per access, not per byte
  bool read_only = false;
  bool non_volatile = false;  // keeps its contents while its domain is off
  bool dmi_write = true;      // false: DMI is read-only, writes go through b_transport
  unsigned char lost_value = 0xDB;  // what a volatile memory reads after losing power
  memory_power power;
};

class memory : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<memory> in;

  // Throws core::config_error (naming the module) when cfg.size is 0.
  memory(const sc_core::sc_module_name& name, const memory_config& cfg);

  // Backing store, size() bytes; stable for the memory's lifetime (DMI pointers point into it).
  [[nodiscard]] unsigned char* data() { return m_data.data(); }
  [[nodiscard]] std::uint64_t size() const { return m_data.size(); }
  [[nodiscard]] const memory_config& config() const { return m_cfg; }

  void attach_power(core::power::monitor& m, core::power::domain& d);
  [[nodiscard]] core::power::component& power() { return m_power; }
  [[nodiscard]] const core::access_counters& bus_accesses() const { return m_bus; }
  [[nodiscard]] const core::access_counters& dmi_accesses() const { return m_dmi; }
  // Called for every bus write that changed memory (offset, length): wear accounting.
  std::function<void(std::uint64_t offset, unsigned len)> on_write;

 private:
  [[nodiscard]] bool domain_on() const { return m_power.domain() == nullptr || m_power.domain()->is_on(); }

  void b_transport(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay);
  bool get_direct_mem_ptr(tlm::tlm_generic_payload& tx, tlm::tlm_dmi& dmi);
  unsigned int transport_dbg(tlm::tlm_generic_payload& tx);

  memory_config m_cfg;
  std::vector<unsigned char> m_data;
  core::power::component m_power;
  core::access_counters m_bus;
  core::access_counters m_dmi;
};

// A memory's power parameters: power.read_bit, power.write_bit, power.leakage, power.retention.
std::vector<core::param_binding> bind_power(memory_power& p);

}  // namespace edgevp::memory

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
// eMRAM is functional only for now: same model, its own latencies, no wear or retention effects.
#pragma once

#include <cstdint>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

namespace edgevp::memory {

struct memory_config {
  std::uint64_t size = 0;  // bytes, must be > 0
  sc_core::sc_time read_latency = sc_core::SC_ZERO_TIME;   // per access, not per byte
  sc_core::sc_time write_latency = sc_core::SC_ZERO_TIME;  // per access, not per byte
  bool read_only = false;
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

 private:
  void b_transport(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay);
  bool get_direct_mem_ptr(tlm::tlm_generic_payload& tx, tlm::tlm_dmi& dmi);
  unsigned int transport_dbg(tlm::tlm_generic_payload& tx);

  memory_config m_cfg;
  std::vector<unsigned char> m_data;
};

}  // namespace edgevp::memory

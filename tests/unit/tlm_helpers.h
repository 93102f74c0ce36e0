// Test helper: a TLM initiator that issues single accesses to one target socket.
#pragma once

#include <cstdint>
#include <cstring>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

namespace edgevp::test {

struct access_result {
  tlm::tlm_response_status status = tlm::TLM_INCOMPLETE_RESPONSE;
  std::uint64_t value = 0;
  sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
};

class initiator : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<initiator> out;

  template <typename Target>
  initiator(const sc_core::sc_module_name& n, Target& target) : sc_module(n), out("out") {
    out.bind(target);
  }
  explicit initiator(const sc_core::sc_module_name& n) : sc_module(n), out("out") {}

  access_result access(tlm::tlm_command cmd, std::uint64_t addr, unsigned len, std::uint64_t value = 0,
                       sc_core::sc_time offset = sc_core::SC_ZERO_TIME) {
    unsigned char buf[8] = {};
    std::memcpy(buf, &value, len <= 8 ? len : 8);
    tlm::tlm_generic_payload tx;
    tx.set_command(cmd);
    tx.set_address(addr);
    tx.set_data_ptr(buf);
    tx.set_data_length(len);
    tx.set_streaming_width(len);
    tx.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    access_result r;
    r.delay = offset;
    out->b_transport(tx, r.delay);
    r.delay -= offset;
    r.status = tx.get_response_status();
    if (cmd == tlm::TLM_READ_COMMAND) std::memcpy(&r.value, buf, len <= 8 ? len : 8);
    return r;
  }
  access_result read8(std::uint64_t a) { return access(tlm::TLM_READ_COMMAND, a, 1); }
  access_result read16(std::uint64_t a) { return access(tlm::TLM_READ_COMMAND, a, 2); }
  access_result read32(std::uint64_t a) { return access(tlm::TLM_READ_COMMAND, a, 4); }
  access_result write8(std::uint64_t a, std::uint64_t v) { return access(tlm::TLM_WRITE_COMMAND, a, 1, v); }
  access_result write16(std::uint64_t a, std::uint64_t v) { return access(tlm::TLM_WRITE_COMMAND, a, 2, v); }
  access_result write32(std::uint64_t a, std::uint64_t v) { return access(tlm::TLM_WRITE_COMMAND, a, 4, v); }

  unsigned debug(tlm::tlm_command cmd, std::uint64_t addr, void* data, unsigned len) {
    tlm::tlm_generic_payload tx;
    tx.set_command(cmd);
    tx.set_address(addr);
    tx.set_data_ptr(static_cast<unsigned char*>(data));
    tx.set_data_length(len);
    tx.set_streaming_width(len);
    return out->transport_dbg(tx);
  }
  unsigned debug_read(std::uint64_t a, void* d, unsigned n) { return debug(tlm::TLM_READ_COMMAND, a, d, n); }
  unsigned debug_write(std::uint64_t a, void* d, unsigned n) { return debug(tlm::TLM_WRITE_COMMAND, a, d, n); }

  bool get_dmi(std::uint64_t addr, tlm::tlm_dmi& dmi, bool write = false) {
    tlm::tlm_generic_payload tx;
    tx.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
    tx.set_address(addr);
    return out->get_direct_mem_ptr(tx, dmi);
  }
};

}  // namespace edgevp::test

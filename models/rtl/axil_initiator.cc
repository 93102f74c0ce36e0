#include "models/rtl/axil_initiator.h"

#include <cstdio>
#include <cstring>

namespace edgevp::rtl {

axil_initiator::axil_initiator(const axil_pins& pins) : m_pins(pins) {
  drive_idle();
}

void axil_initiator::drive_idle() {
  *m_pins.awvalid = 0;
  *m_pins.wvalid = 0;
  *m_pins.arvalid = 0;
  *m_pins.bready = 0;
  *m_pins.rready = 0;
}

void axil_initiator::reset() {
  m_active = false;
  m_hung = false;
  drive_idle();
}

axil_initiator::result axil_initiator::write(clocked& c, std::uint16_t addr, std::uint32_t data,
                                             std::uint8_t strb, std::uint64_t timeout) {
  if (m_hung) {
    result r;
    r.status = tlm::TLM_GENERIC_ERROR_RESPONSE;
    r.timed_out = true;
    r.waiting_for = "an earlier access that never completed";
    return r;
  }
  *m_pins.awaddr = addr;
  *m_pins.wdata = data;
  *m_pins.wstrb = strb;
  *m_pins.awvalid = 1;
  *m_pins.wvalid = 1;
  *m_pins.bready = 1;
  m_write = true;
  m_need_a = m_need_w = m_need_resp = true;
  return run(c, timeout);
}

axil_initiator::result axil_initiator::read(clocked& c, std::uint16_t addr, std::uint64_t timeout) {
  if (m_hung) {
    result r;
    r.status = tlm::TLM_GENERIC_ERROR_RESPONSE;
    r.timed_out = true;
    r.waiting_for = "an earlier access that never completed";
    return r;
  }
  *m_pins.araddr = addr;
  *m_pins.arvalid = 1;
  *m_pins.rready = 1;
  m_write = false;
  m_need_a = m_need_resp = true;
  m_need_w = false;
  return run(c, timeout);
}

axil_initiator::result axil_initiator::run(clocked& c, std::uint64_t timeout) {
  result r;
  m_active = true;
  while (m_active && r.cycles < timeout) {
    c.tick();
    ++r.cycles;
  }
  if (m_active) {
    m_active = false;
    m_hung = true;
    r.timed_out = true;
    r.status = tlm::TLM_GENERIC_ERROR_RESPONSE;
    if (m_need_a)
      r.waiting_for = m_write ? "AWREADY" : "ARREADY";
    else if (m_need_w)
      r.waiting_for = "WREADY";
    else
      r.waiting_for = m_write ? "BVALID" : "RVALID";
    drive_idle();
    return r;
  }
  r.resp = m_resp;
  r.status = to_tlm(m_resp);
  r.data = m_rdata;
  return r;
}

void axil_initiator::sample() {
  if (!m_active) return;
  if (m_write) {
    m_hs_a = m_need_a && *m_pins.awvalid != 0 && *m_pins.awready != 0;
    m_hs_w = m_need_w && *m_pins.wvalid != 0 && *m_pins.wready != 0;
    m_hs_resp = m_need_resp && *m_pins.bvalid != 0 && *m_pins.bready != 0;
    if (m_hs_resp) m_resp = *m_pins.bresp;
  } else {
    m_hs_a = m_need_a && *m_pins.arvalid != 0 && *m_pins.arready != 0;
    m_hs_w = false;
    m_hs_resp = m_need_resp && *m_pins.rvalid != 0 && *m_pins.rready != 0;
    if (m_hs_resp) {
      m_resp = *m_pins.rresp;
      m_rdata = *m_pins.rdata;
    }
  }
}

void axil_initiator::update(const clocked& /*c*/) {
  if (!m_active) return;
  if (m_hs_a) {
    m_need_a = false;
    *(m_write ? m_pins.awvalid : m_pins.arvalid) = 0;
  }
  if (m_hs_w) {
    m_need_w = false;
    *m_pins.wvalid = 0;
  }
  if (m_hs_resp) {
    m_need_resp = false;
    // A response before its address handshake would be a protocol error of the slave; the
    // access still ends here.
    drive_idle();
    m_active = false;
  }
  m_hs_a = m_hs_w = m_hs_resp = false;
}

void serve_register_access(clocked& c, axil_initiator& lite, tlm::tlm_generic_payload& tx, sc_core::sc_time& delay,
                           std::uint64_t timeout, const std::string& block) {
  const std::uint64_t addr = tx.get_address();
  const unsigned len = tx.get_data_length();
  if (!tx.is_read() && !tx.is_write()) {
    tx.set_response_status(tlm::TLM_OK_RESPONSE);
    return;
  }
  if (tx.get_byte_enable_ptr() != nullptr) {
    tx.set_response_status(tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
    return;
  }
  // The registers are 32-bit, as in the TLM models' register base: other sizes are refused.
  if (len != 4 || addr % 4 != 0 || tx.get_streaming_width() < len || addr > 0xFFFF) {
    tx.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
    return;
  }
  const auto word = static_cast<std::uint16_t>(addr & ~std::uint64_t{3});
  const unsigned shift = static_cast<unsigned>(addr % 4);
  unsigned char* data = tx.get_data_ptr();
  const bool was_hung = lite.hung();
  axil_initiator::result r;
  if (tx.is_write()) {
    unsigned char bytes[4] = {0, 0, 0, 0};
    std::memcpy(bytes + shift, data, len);
    std::uint32_t v = 0;
    std::memcpy(&v, bytes, 4);
    r = lite.write(c, word, v, static_cast<std::uint8_t>(((1u << len) - 1u) << shift), timeout);
  } else {
    r = lite.read(c, word, timeout);
    unsigned char bytes[4];
    std::memcpy(bytes, &r.data, 4);
    if (r.status == tlm::TLM_OK_RESPONSE) std::memcpy(data, bytes + shift, len);
  }
  delay += c.period() * static_cast<double>(r.cycles);
  if (r.timed_out && !was_hung)
    std::fprintf(stderr,
                 "edgevp: error: %s: AXI4-Lite %s at offset 0x%llx timed out after %llu cycles waiting for %s; "
                 "the block is hung: its accesses fail until it is reset (power-cycle its domain)\n",
                 block.c_str(), tx.is_write() ? "write" : "read", static_cast<unsigned long long>(addr),
                 static_cast<unsigned long long>(r.cycles), r.waiting_for.c_str());
  tx.set_response_status(r.status);
}

}  // namespace edgevp::rtl

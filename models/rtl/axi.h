// edgevp: AXI4 and AXI4-Lite pins as a bridge sees them (ARM IHI 0022, AMBA AXI and ACE).
//
// The bridges of models/rtl work on pointers to the pin variables of a verilated model (its
// top-level ports are public members: CData for up to 8 bits, SData 16, IData 32, QData 64), so
// the same bridge serves every block, and a unit bench can drive them from plain variables. The
// EDGEVP_AXIL_SLAVE_PINS / EDGEVP_AXI_MASTER_PINS macros fill them from a model whose ports follow
// the rtl/ naming (s_awaddr, ..., m_rready).
#pragma once

#include <cstdint>

#include <tlm>

namespace edgevp::rtl {

namespace resp {
inline constexpr std::uint8_t okay = 0;
inline constexpr std::uint8_t exokay = 1;
inline constexpr std::uint8_t slverr = 2;
inline constexpr std::uint8_t decerr = 3;
}  // namespace resp
namespace burst {
inline constexpr std::uint8_t fixed = 0;
inline constexpr std::uint8_t incr = 1;
inline constexpr std::uint8_t wrap = 2;
}  // namespace burst

// AXI response -> TLM: DECERR is an address error (nothing there), SLVERR the target's refusal.
inline tlm::tlm_response_status to_tlm(std::uint8_t r) {
  switch (r) {
    case resp::okay:
    case resp::exokay: return tlm::TLM_OK_RESPONSE;
    case resp::decerr: return tlm::TLM_ADDRESS_ERROR_RESPONSE;
    default: return tlm::TLM_GENERIC_ERROR_RESPONSE;
  }
}
// TLM -> AXI (for the master-side bridge's responses).
inline std::uint8_t to_axi(tlm::tlm_response_status s) {
  if (s == tlm::TLM_OK_RESPONSE) return resp::okay;
  return s == tlm::TLM_ADDRESS_ERROR_RESPONSE ? resp::decerr : resp::slverr;
}

// The slave port of a block, 32-bit data, 16-bit offset: driven by axil_initiator.
struct axil_pins {
  std::uint16_t* awaddr = nullptr;
  std::uint8_t* awvalid = nullptr;
  const std::uint8_t* awready = nullptr;
  std::uint32_t* wdata = nullptr;
  std::uint8_t* wstrb = nullptr;
  std::uint8_t* wvalid = nullptr;
  const std::uint8_t* wready = nullptr;
  const std::uint8_t* bresp = nullptr;
  const std::uint8_t* bvalid = nullptr;
  std::uint8_t* bready = nullptr;
  std::uint16_t* araddr = nullptr;
  std::uint8_t* arvalid = nullptr;
  const std::uint8_t* arready = nullptr;
  const std::uint32_t* rdata = nullptr;
  const std::uint8_t* rresp = nullptr;
  const std::uint8_t* rvalid = nullptr;
  std::uint8_t* rready = nullptr;
};

// The master port of a block, 32-bit address, 64-bit data, 4-bit IDs: served by axi_target.
struct axi_pins {
  const std::uint8_t* awid = nullptr;
  const std::uint32_t* awaddr = nullptr;
  const std::uint8_t* awlen = nullptr;
  const std::uint8_t* awsize = nullptr;
  const std::uint8_t* awburst = nullptr;
  const std::uint8_t* awvalid = nullptr;
  std::uint8_t* awready = nullptr;
  const std::uint64_t* wdata = nullptr;
  const std::uint8_t* wstrb = nullptr;
  const std::uint8_t* wlast = nullptr;
  const std::uint8_t* wvalid = nullptr;
  std::uint8_t* wready = nullptr;
  std::uint8_t* bid = nullptr;
  std::uint8_t* bresp = nullptr;
  std::uint8_t* bvalid = nullptr;
  const std::uint8_t* bready = nullptr;
  const std::uint8_t* arid = nullptr;
  const std::uint32_t* araddr = nullptr;
  const std::uint8_t* arlen = nullptr;
  const std::uint8_t* arsize = nullptr;
  const std::uint8_t* arburst = nullptr;
  const std::uint8_t* arvalid = nullptr;
  std::uint8_t* arready = nullptr;
  std::uint8_t* rid = nullptr;
  std::uint64_t* rdata = nullptr;
  std::uint8_t* rresp = nullptr;
  std::uint8_t* rlast = nullptr;
  std::uint8_t* rvalid = nullptr;
  const std::uint8_t* rready = nullptr;
};

}  // namespace edgevp::rtl

// Fill from a verilated model `m` (a pointer) whose ports are named s_* / m_*.
#define EDGEVP_AXIL_SLAVE_PINS(m)                                                                       \
  ::edgevp::rtl::axil_pins {                                                                            \
    &(m)->s_awaddr, &(m)->s_awvalid, &(m)->s_awready, &(m)->s_wdata, &(m)->s_wstrb, &(m)->s_wvalid,     \
        &(m)->s_wready, &(m)->s_bresp, &(m)->s_bvalid, &(m)->s_bready, &(m)->s_araddr, &(m)->s_arvalid, \
        &(m)->s_arready, &(m)->s_rdata, &(m)->s_rresp, &(m)->s_rvalid, &(m)->s_rready                   \
  }
#define EDGEVP_AXI_MASTER_PINS(m)                                                                      \
  ::edgevp::rtl::axi_pins {                                                                            \
    &(m)->m_awid, &(m)->m_awaddr, &(m)->m_awlen, &(m)->m_awsize, &(m)->m_awburst, &(m)->m_awvalid,     \
        &(m)->m_awready, &(m)->m_wdata, &(m)->m_wstrb, &(m)->m_wlast, &(m)->m_wvalid, &(m)->m_wready,  \
        &(m)->m_bid, &(m)->m_bresp, &(m)->m_bvalid, &(m)->m_bready, &(m)->m_arid, &(m)->m_araddr,      \
        &(m)->m_arlen, &(m)->m_arsize, &(m)->m_arburst, &(m)->m_arvalid, &(m)->m_arready, &(m)->m_rid, \
        &(m)->m_rdata, &(m)->m_rresp, &(m)->m_rlast, &(m)->m_rvalid, &(m)->m_rready                    \
  }

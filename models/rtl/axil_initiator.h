// edgevp: TLM target -> AXI4-Lite master pins (CPU accesses into an RTL slave).
//
// One access at a time, as a CPU's load or store: AW and W (or AR) are raised together and held
// until each handshake, BREADY/RREADY are high, the access ends with the B (R) handshake. The
// caller ticks the block through it (write()/read() call clocked::tick()), so the cycles an access
// takes are the block's own handshake cycles.
//
// A slave that never answers does not hang the simulation: after `timeout` cycles the access ends
// with timed_out set (the wrapper answers TLM_GENERIC_ERROR_RESPONSE and names the block), the
// bridge drops its VALIDs, and every later access fails at once (the block is hung until reset()).
// Responses: OKAY -> TLM_OK_RESPONSE, SLVERR -> TLM_GENERIC_ERROR_RESPONSE, DECERR ->
// TLM_ADDRESS_ERROR_RESPONSE (axi.h).
#pragma once

#include <cstdint>
#include <string>

#include "models/rtl/axi.h"
#include "models/rtl/clocked.h"

namespace edgevp::rtl {

class axil_initiator final : public participant {
 public:
  struct result {
    tlm::tlm_response_status status = tlm::TLM_INCOMPLETE_RESPONSE;
    std::uint32_t data = 0;
    std::uint8_t resp = resp::okay;
    std::uint64_t cycles = 0;
    bool timed_out = false;
    std::string waiting_for;  // on a timeout: the handshake that never came ("AWREADY", ...)
  };

  explicit axil_initiator(const axil_pins& pins);

  result write(clocked& c, std::uint16_t addr, std::uint32_t data, std::uint8_t strb, std::uint64_t timeout);
  result read(clocked& c, std::uint16_t addr, std::uint64_t timeout);

  // Back to idle with every VALID low (the block's reset).
  void reset();
  [[nodiscard]] bool hung() const { return m_hung; }

  void sample() override;
  void update(const clocked& c) override;
  [[nodiscard]] bool pending() const override { return m_active; }

 private:
  result run(clocked& c, std::uint64_t timeout);
  void drive_idle();

  axil_pins m_pins;
  bool m_active = false;
  bool m_write = false;
  bool m_hung = false;
  // Handshakes still owed, and those seen at the coming edge.
  bool m_need_a = false, m_need_w = false, m_need_resp = false;
  bool m_hs_a = false, m_hs_w = false, m_hs_resp = false;
  std::uint32_t m_rdata = 0;
  std::uint8_t m_resp = 0;
};

// A TLM access to a register window (offsets in `tx`) served through `lite` on block `c`: one
// 32-bit AXI4-Lite access. Other sizes, unaligned offsets and byte enables are refused
// (TLM_BURST_ERROR_RESPONSE / TLM_BYTE_ENABLE_ERROR_RESPONSE) without touching the pins, as the
// TLM models' register base refuses them. SLVERR / DECERR come back as the TLM errors of axi.h.
// The handshake cycles are added to `delay`. On a timeout the message naming `block` goes to
// stderr (once per hang) and the access gets TLM_GENERIC_ERROR_RESPONSE.
void serve_register_access(clocked& c, axil_initiator& lite, tlm::tlm_generic_payload& tx, sc_core::sc_time& delay,
                           std::uint64_t timeout, const std::string& block);

}  // namespace edgevp::rtl

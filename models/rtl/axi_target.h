// edgevp: AXI4 slave pins -> TLM-2.0 initiator (an RTL master's DMA into the SoC).
//
// The bridge accepts address phases while it has room (`max_outstanding` reads, and as many
// writes), so an RTL master can have several bursts in flight. Each read burst becomes one TLM
// read (b_transport at the block's local time) as soon as its AR handshake happens; each write
// burst one TLM write per contiguous run of strobed bytes once its last W beat arrived. The TLM
// latency L (converted to cycles of the block's clock) sets when the response comes back: the
// last R beat of a read L cycles after AR (one beat per cycle, the first no earlier than the next
// cycle), the B response L - (beats - 1) cycles after WLAST (the W beats already took their
// cycles). Responses return in order (one ID stream). OKAY, or SLVERR / DECERR from the TLM
// response (axi.h); FIXED and WRAP bursts, AxSIZE above the 64-bit bus and a WLAST out of place
// are answered SLVERR without a TLM access.
//
// Test hooks: set_stall() holds a channel's READY low on chosen cycles (back-pressure);
// on_write sees every byte run the block writes (co-verification compares them).
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <vector>

#include <systemc>
#include <tlm>

#include "models/rtl/axi.h"
#include "models/rtl/clocked.h"

namespace edgevp::rtl {

class axi_target final : public participant {
 public:
  using transport_fn = std::function<void(tlm::tlm_generic_payload&, sc_core::sc_time&)>;
  enum class channel : std::uint8_t { ar, aw, w };

  axi_target(const axi_pins& pins, transport_fn transport);

  void set_max_outstanding(unsigned n) { m_max = n == 0 ? 1 : n; }
  void set_stall(std::function<bool(channel, std::uint64_t cycle)> f) { m_stall = std::move(f); }
  std::function<void(std::uint64_t addr, const unsigned char* data, unsigned len)> on_write;

  // Drops every transaction in flight (the block's reset or power-off).
  void reset();

  // Statistics.
  [[nodiscard]] std::uint64_t read_bursts() const { return m_read_bursts; }
  [[nodiscard]] std::uint64_t write_bursts() const { return m_write_bursts; }
  [[nodiscard]] std::uint64_t bytes_read() const { return m_bytes_read; }
  [[nodiscard]] std::uint64_t bytes_written() const { return m_bytes_written; }
  [[nodiscard]] unsigned max_reads_in_flight() const { return m_max_reads_seen; }
  [[nodiscard]] std::uint64_t error_responses() const { return m_error_responses; }

  void sample() override;
  void update(const clocked& c) override;
  [[nodiscard]] bool pending() const override;

 private:
  struct read_burst {
    std::uint8_t id = 0;
    std::uint64_t ready = 0;  // cycle from which the first beat may be presented
    std::uint8_t resp = resp::okay;
    unsigned beats = 0;
    unsigned next = 0;
    std::vector<std::uint64_t> data;  // one 64-bit word per beat
  };
  struct write_burst {
    std::uint8_t id = 0;
    std::uint32_t addr = 0;
    unsigned beats = 0;
    unsigned size = 0;
    std::uint8_t burst = 0;
    bool bad_last = false;
    std::vector<std::uint64_t> data;
    std::vector<std::uint8_t> strb;
  };
  struct write_response {
    std::uint8_t id = 0;
    std::uint8_t resp = resp::okay;
    std::uint64_t ready = 0;
  };

  // One TLM transaction at the block's time; returns the latency in cycles.
  std::uint64_t transport(tlm::tlm_command cmd, std::uint64_t addr, unsigned char* data, unsigned len,
                          const clocked& c, tlm::tlm_response_status& status);
  void start_read(const clocked& c);
  void finish_write(write_burst& w, const clocked& c);
  void drive(const clocked& c);

  axi_pins m_pins;
  transport_fn m_transport;
  std::function<bool(channel, std::uint64_t)> m_stall;
  unsigned m_max = 8;
  std::deque<read_burst> m_reads;
  std::deque<write_burst> m_writes;  // address accepted, data still coming
  std::deque<write_response> m_bresps;
  // Handshakes at the coming edge, with the fields they carried.
  bool m_hs_ar = false, m_hs_aw = false, m_hs_w = false, m_hs_r = false, m_hs_b = false;
  std::uint8_t m_a_id = 0, m_a_len = 0, m_a_size = 0, m_a_burst = 0;
  std::uint32_t m_a_addr = 0;
  std::uint8_t m_aw_id = 0, m_aw_len = 0, m_aw_size = 0, m_aw_burst = 0;
  std::uint32_t m_aw_addr = 0;
  std::uint64_t m_w_data = 0;
  std::uint8_t m_w_strb = 0, m_w_last = 0;
  std::uint64_t m_read_bursts = 0, m_write_bursts = 0, m_bytes_read = 0, m_bytes_written = 0;
  std::uint64_t m_error_responses = 0;
  unsigned m_max_reads_seen = 0;
};

}  // namespace edgevp::rtl

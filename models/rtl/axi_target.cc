#include "models/rtl/axi_target.h"

#include <algorithm>
#include <cmath>

namespace edgevp::rtl {

namespace {
// AXI4 INCR addressing (IHI 0022, A3.4.1): beat 0 at the start address, later beats at the
// aligned address plus i * size.
std::uint64_t beat_address(std::uint64_t start, unsigned size_bytes, unsigned i) {
  if (i == 0) return start;
  return (start & ~std::uint64_t{size_bytes - 1}) + std::uint64_t{i} * size_bytes;
}
// Bytes of beat i that carry data: [beat address, next size boundary).
std::uint64_t beat_end(std::uint64_t start, unsigned size_bytes, unsigned i) {
  return (start & ~std::uint64_t{size_bytes - 1}) + std::uint64_t{i + 1} * size_bytes;
}
}  // namespace

axi_target::axi_target(const axi_pins& pins, transport_fn transport)
    : m_pins(pins), m_transport(std::move(transport)) {
  reset();
}

void axi_target::reset() {
  m_reads.clear();
  m_writes.clear();
  m_bresps.clear();
  m_hs_ar = m_hs_aw = m_hs_w = m_hs_r = m_hs_b = false;
  *m_pins.arready = 0;
  *m_pins.awready = 0;
  *m_pins.wready = 0;
  *m_pins.rvalid = 0;
  *m_pins.rlast = 0;
  *m_pins.bvalid = 0;
  *m_pins.rdata = 0;
  *m_pins.rresp = 0;
  *m_pins.rid = 0;
  *m_pins.bresp = 0;
  *m_pins.bid = 0;
}

bool axi_target::pending() const {
  return !m_reads.empty() || !m_writes.empty() || !m_bresps.empty();
}

void axi_target::sample() {
  m_hs_ar = *m_pins.arvalid != 0 && *m_pins.arready != 0;
  if (m_hs_ar) {
    m_a_id = *m_pins.arid;
    m_a_addr = *m_pins.araddr;
    m_a_len = *m_pins.arlen;
    m_a_size = *m_pins.arsize;
    m_a_burst = *m_pins.arburst;
  }
  m_hs_aw = *m_pins.awvalid != 0 && *m_pins.awready != 0;
  if (m_hs_aw) {
    m_aw_id = *m_pins.awid;
    m_aw_addr = *m_pins.awaddr;
    m_aw_len = *m_pins.awlen;
    m_aw_size = *m_pins.awsize;
    m_aw_burst = *m_pins.awburst;
  }
  m_hs_w = *m_pins.wvalid != 0 && *m_pins.wready != 0;
  if (m_hs_w) {
    m_w_data = *m_pins.wdata;
    m_w_strb = *m_pins.wstrb;
    m_w_last = *m_pins.wlast;
  }
  m_hs_r = *m_pins.rvalid != 0 && *m_pins.rready != 0;
  m_hs_b = *m_pins.bvalid != 0 && *m_pins.bready != 0;
}

std::uint64_t axi_target::transport(tlm::tlm_command cmd, std::uint64_t addr, unsigned char* data,
                                    unsigned len, const clocked& c, tlm::tlm_response_status& status) {
  tlm::tlm_generic_payload tx;
  tx.set_command(cmd);
  tx.set_address(addr);
  tx.set_data_ptr(data);
  tx.set_data_length(len);
  tx.set_streaming_width(len);
  tx.set_byte_enable_ptr(nullptr);
  tx.set_dmi_allowed(false);
  tx.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  const sc_core::sc_time now = sc_core::sc_time_stamp();
  const sc_core::sc_time at = c.local_time();
  sc_core::sc_time delay = at > now ? at - now : sc_core::SC_ZERO_TIME;
  const sc_core::sc_time from = now + delay;
  m_transport(tx, delay);
  status = tx.get_response_status();
  const sc_core::sc_time end = now + delay;
  const double cycles = end > from ? (end - from) / c.period() : 0.0;
  return static_cast<std::uint64_t>(std::ceil(cycles - 1e-9));
}

void axi_target::start_read(const clocked& c) {
  read_burst r;
  r.id = m_a_id;
  r.beats = unsigned{m_a_len} + 1;
  r.data.assign(r.beats, 0);
  ++m_read_bursts;
  std::uint64_t latency = 0;
  if (m_a_burst != burst::incr || m_a_size > 3) {
    r.resp = resp::slverr;
  } else {
    const unsigned sb = 1u << m_a_size;
    const std::uint64_t start = m_a_addr;
    const std::uint64_t end = beat_end(start, sb, r.beats - 1);
    std::vector<unsigned char> bytes(end - start);
    tlm::tlm_response_status st = tlm::TLM_OK_RESPONSE;
    latency =
        transport(tlm::TLM_READ_COMMAND, start, bytes.data(), static_cast<unsigned>(bytes.size()), c, st);
    r.resp = to_axi(st);
    if (st == tlm::TLM_OK_RESPONSE) {
      m_bytes_read += bytes.size();
      for (unsigned i = 0; i < r.beats; ++i)
        for (std::uint64_t a = beat_address(start, sb, i); a < beat_end(start, sb, i); ++a)
          r.data[i] |= std::uint64_t{bytes[a - start]} << (8 * (a % 8));
    }
  }
  if (r.resp != resp::okay) ++m_error_responses;
  // The last beat L cycles after the address; never before the next cycle.
  const std::uint64_t lead = latency > r.beats - 1 ? latency - (r.beats - 1) : 1;
  r.ready = c.cycle() + std::max<std::uint64_t>(lead, 1) - 1;
  m_reads.push_back(std::move(r));
  m_max_reads_seen = std::max(m_max_reads_seen, static_cast<unsigned>(m_reads.size()));
}

void axi_target::finish_write(write_burst& w, const clocked& c) {
  write_response b;
  b.id = w.id;
  ++m_write_bursts;
  std::uint64_t latency = 0;
  if (w.burst != burst::incr || w.size > 3 || w.bad_last) {
    b.resp = resp::slverr;
  } else {
    const unsigned sb = 1u << w.size;
    // Strobed bytes of every beat, in address order, then one TLM write per contiguous run.
    std::vector<std::pair<std::uint64_t, unsigned char>> bytes;
    for (unsigned i = 0; i < w.beats; ++i)
      for (std::uint64_t a = beat_address(w.addr, sb, i); a < beat_end(w.addr, sb, i); ++a)
        if ((w.strb[i] >> (a % 8)) & 1u)
          bytes.emplace_back(a, static_cast<unsigned char>(w.data[i] >> (8 * (a % 8))));
    std::size_t k = 0;
    while (k < bytes.size() && b.resp == resp::okay) {
      std::size_t e = k + 1;
      while (e < bytes.size() && bytes[e].first == bytes[e - 1].first + 1) ++e;
      std::vector<unsigned char> run;
      for (std::size_t q = k; q < e; ++q) run.push_back(bytes[q].second);
      tlm::tlm_response_status st = tlm::TLM_OK_RESPONSE;
      latency += transport(tlm::TLM_WRITE_COMMAND, bytes[k].first, run.data(),
                           static_cast<unsigned>(run.size()), c, st);
      b.resp = to_axi(st);
      if (st == tlm::TLM_OK_RESPONSE) {
        m_bytes_written += run.size();
        if (on_write) on_write(bytes[k].first, run.data(), static_cast<unsigned>(run.size()));
      }
      k = e;
    }
  }
  if (b.resp != resp::okay) ++m_error_responses;
  const std::uint64_t lead = latency > w.beats - 1 ? latency - (w.beats - 1) : 1;
  b.ready = c.cycle() + std::max<std::uint64_t>(lead, 1) - 1;
  m_bresps.push_back(b);
}

void axi_target::update(const clocked& c) {
  if (m_hs_r && !m_reads.empty()) {
    read_burst& r = m_reads.front();
    if (++r.next == r.beats) m_reads.pop_front();
  }
  if (m_hs_b && !m_bresps.empty()) m_bresps.pop_front();
  if (m_hs_ar) start_read(c);
  if (m_hs_aw) {
    write_burst w;
    w.id = m_aw_id;
    w.addr = m_aw_addr;
    w.beats = unsigned{m_aw_len} + 1;
    w.size = m_aw_size;
    w.burst = m_aw_burst;
    m_writes.push_back(std::move(w));
  }
  if (m_hs_w && !m_writes.empty()) {
    write_burst& w = m_writes.front();
    w.data.push_back(m_w_data);
    w.strb.push_back(m_w_strb);
    const bool last = w.data.size() == w.beats;
    if ((m_w_last != 0) != last) w.bad_last = true;
    // A WLAST before the burst's length ends it there (answered SLVERR).
    if (last || m_w_last != 0) {
      w.beats = static_cast<unsigned>(w.data.size());
      finish_write(w, c);
      m_writes.pop_front();
    }
  }
  m_hs_ar = m_hs_aw = m_hs_w = m_hs_r = m_hs_b = false;
  drive(c);
}

void axi_target::drive(const clocked& c) {
  const std::uint64_t cyc = c.cycle();
  const auto stalled = [&](channel ch) { return m_stall && m_stall(ch, cyc); };
  *m_pins.arready = m_reads.size() < m_max && !stalled(channel::ar) ? 1 : 0;
  *m_pins.awready = m_writes.size() + m_bresps.size() < m_max && !stalled(channel::aw) ? 1 : 0;
  *m_pins.wready = !m_writes.empty() && !stalled(channel::w) ? 1 : 0;
  if (!m_reads.empty() && cyc >= m_reads.front().ready) {
    const read_burst& r = m_reads.front();
    *m_pins.rvalid = 1;
    *m_pins.rdata = r.data[r.next];
    *m_pins.rresp = r.resp;
    *m_pins.rid = r.id;
    *m_pins.rlast = r.next + 1 == r.beats ? 1 : 0;
  } else {
    *m_pins.rvalid = 0;
    *m_pins.rlast = 0;
  }
  if (!m_bresps.empty() && cyc >= m_bresps.front().ready) {
    *m_pins.bvalid = 1;
    *m_pins.bid = m_bresps.front().id;
    *m_pins.bresp = m_bresps.front().resp;
  } else {
    *m_pins.bvalid = 0;
  }
}

}  // namespace edgevp::rtl

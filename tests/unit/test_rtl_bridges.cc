// Bench for the RTL bridges (models/rtl): axil_initiator (TLM -> AXI4-Lite master pins) and
// axi_target (AXI4 slave pins -> TLM), with no verilated model. The "blocks" are C++ fakes, each a
// clocked whose eval() acts at the rising clock edge on plain pin variables, as registered logic:
//   fake_axil_slave  an AXI4-Lite slave with per-channel READY waits, response delays, chosen
//                    response codes and a byte-strobed register file;
//   fake_axi_master  an AXI4 master that issues queued AR / AW / W requests as early as allowed
//                    and records every handshake with its cycle;
//   fake_memory      the axi_target's transport: a byte array with a latency, an error window
//                    and address errors outside it.
// Cycle k is the k-th tick (clocked::cycle() during that tick); a handshake "at cycle k" happens
// at the rising edge of tick k.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "models/rtl/axi.h"
#include "models/rtl/axi_target.h"
#include "models/rtl/axil_initiator.h"
#include "models/rtl/clocked.h"

namespace {

using edgevp::rtl::axi_target;
using edgevp::rtl::axil_initiator;
using edgevp::rtl::clocked;
namespace resp = edgevp::rtl::resp;
namespace burst = edgevp::rtl::burst;
using sc_core::SC_NS;
using sc_core::sc_time;

constexpr std::uint64_t never = std::uint64_t{1} << 40;  // a wait or delay that never ends

// ---------------------------------------------------------------------------------------------
// A fake AXI4-Lite slave.

class fake_axil_slave final : public clocked {
 public:
  // Pins (the initiator drives the inputs).
  std::uint8_t clk = 0;
  std::uint16_t awaddr = 0;
  std::uint8_t awvalid = 0, awready = 0;
  std::uint32_t wdata = 0;
  std::uint8_t wstrb = 0, wvalid = 0, wready = 0;
  std::uint8_t bresp = 0, bvalid = 0, bready = 0;
  std::uint16_t araddr = 0;
  std::uint8_t arvalid = 0, arready = 0;
  std::uint32_t rdata = 0;
  std::uint8_t rresp = 0, rvalid = 0, rready = 0;

  // Behaviour: cycles a channel's READY stays low while its VALID is high (never = forever), and
  // cycles between the request and the response's VALID beyond the minimum one.
  std::uint64_t aw_wait = 0, w_wait = 0, ar_wait = 0, b_delay = 0, r_delay = 0;
  std::map<std::uint16_t, std::uint8_t> resp_at;  // response code per address (default OKAY)
  std::map<std::uint16_t, std::uint32_t> regs;

  // Records: the cycle of each channel's last handshake, and the last write's strobes.
  std::uint64_t aw_cycle = never, w_cycle = never, b_cycle = never, ar_cycle = never, r_cycle = never;
  std::uint8_t last_strb = 0;
  unsigned writes_done = 0;
  unsigned stale_valids = 0;  // edges with a VALID high for a request already taken

  edgevp::rtl::axil_pins pins() {
    return {&awaddr, &awvalid, &awready, &wdata,   &wstrb, &wvalid, &wready, &bresp, &bvalid,
            &bready, &araddr,  &arvalid, &arready, &rdata, &rresp,  &rvalid, &rready};
  }

  // The block's reset: channels idle, READYs per the waits.
  void reset_block() {
    m_have_aw = m_have_w = m_b_pending = m_have_ar = false;
    m_aw_waited = m_w_waited = m_ar_waited = 0;
    bvalid = rvalid = 0;
    drive_readies();
  }

  fake_axil_slave() { reset_block(); }

 protected:
  void drive_clock(bool level) override { clk = level ? 1 : 0; }
  void eval() override {
    if (clk != 0 && m_prev_clk == 0) edge();
    if (clk == 0) drive_readies();  // combinational on the registered state (and the waits as set)
    m_prev_clk = clk;
  }
  [[nodiscard]] bool busy() const override { return m_have_aw || m_have_w || m_b_pending || m_have_ar; }

 private:
  std::uint8_t code(std::uint16_t a) const {
    const auto it = resp_at.find(a);
    return it == resp_at.end() ? resp::okay : it->second;
  }

  void drive_readies() {
    awready = !m_have_aw && !m_b_pending && m_aw_waited >= aw_wait ? 1 : 0;
    wready = !m_have_w && !m_b_pending && m_w_waited >= w_wait ? 1 : 0;
    arready = !m_have_ar && m_ar_waited >= ar_wait ? 1 : 0;
  }

  void edge() {
    const std::uint64_t k = cycle();
    const bool aw_hs = awvalid != 0 && awready != 0;
    const bool w_hs = wvalid != 0 && wready != 0;
    const bool b_hs = bvalid != 0 && bready != 0;
    const bool ar_hs = arvalid != 0 && arready != 0;
    const bool r_hs = rvalid != 0 && rready != 0;
    // Protocol monitor: a VALID still high after its handshake would be a second request.
    if ((awvalid != 0 && (m_have_aw || m_b_pending)) || (wvalid != 0 && (m_have_w || m_b_pending)) ||
        (arvalid != 0 && m_have_ar))
      ++stale_valids;
    if (aw_hs) {
      m_have_aw = true;
      m_aw_addr = awaddr;
      aw_cycle = k;
      m_aw_waited = 0;
    } else if (awvalid != 0 && !m_have_aw) {
      ++m_aw_waited;
    }
    if (w_hs) {
      m_have_w = true;
      m_w_data = wdata;
      m_w_strb = wstrb;
      w_cycle = k;
      m_w_waited = 0;
    } else if (wvalid != 0 && !m_have_w) {
      ++m_w_waited;
    }
    if (b_hs) {
      m_b_pending = false;
      b_cycle = k;
    }
    if (m_have_aw && m_have_w && !m_b_pending) {
      bresp = code(m_aw_addr);
      last_strb = m_w_strb;
      if (bresp == resp::okay) {
        std::uint32_t& r = regs[m_aw_addr];
        for (unsigned i = 0; i < 4; ++i)
          if ((m_w_strb >> i) & 1u) r = (r & ~(0xFFu << (8 * i))) | (m_w_data & (0xFFu << (8 * i)));
      }
      ++writes_done;
      m_have_aw = m_have_w = false;
      m_b_pending = true;
      m_b_due = k + 1 + b_delay;
    }
    if (r_hs) {
      m_have_ar = false;
      r_cycle = k;
    }
    if (ar_hs) {
      m_have_ar = true;
      m_r_due = k + 1 + r_delay;
      rresp = code(araddr);
      rdata = rresp == resp::okay ? regs[araddr] : 0xDEADBEEF;
      ar_cycle = k;
      m_ar_waited = 0;
    } else if (arvalid != 0 && !m_have_ar) {
      ++m_ar_waited;
    }
    bvalid = m_b_pending && k + 1 >= m_b_due ? 1 : 0;
    rvalid = m_have_ar && k + 1 >= m_r_due ? 1 : 0;
    drive_readies();
  }

  std::uint8_t m_prev_clk = 0;
  bool m_have_aw = false, m_have_w = false, m_b_pending = false, m_have_ar = false;
  std::uint64_t m_aw_waited = 0, m_w_waited = 0, m_ar_waited = 0;
  std::uint16_t m_aw_addr = 0;
  std::uint32_t m_w_data = 0;
  std::uint8_t m_w_strb = 0;
  std::uint64_t m_b_due = 0, m_r_due = 0;
};

class AxilInitiator : public ::testing::Test {
 protected:
  AxilInitiator() { slave.add(init); }
  fake_axil_slave slave;
  axil_initiator init{slave.pins()};
  static constexpr std::uint64_t timeout = 50;
};

TEST_F(AxilInitiator, WriteThenReadOkay) {
  auto w = init.write(slave, 0x10, 0xCAFEF00D, 0xF, timeout);
  EXPECT_EQ(w.status, tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(w.resp, resp::okay);
  EXPECT_FALSE(w.timed_out);
  EXPECT_EQ(w.cycles, 2u);  // AW+W at cycle 0, B at cycle 1
  EXPECT_EQ(slave.aw_cycle, 0u);
  EXPECT_EQ(slave.w_cycle, 0u);
  EXPECT_EQ(slave.b_cycle, 1u);
  EXPECT_EQ(slave.regs[0x10], 0xCAFEF00Du);
  EXPECT_EQ(slave.last_strb, 0xF);
  // Idle pins after the access.
  EXPECT_EQ(slave.awvalid, 0);
  EXPECT_EQ(slave.wvalid, 0);
  EXPECT_EQ(slave.bready, 0);
  EXPECT_FALSE(init.pending());

  auto r = init.read(slave, 0x10, timeout);
  EXPECT_EQ(r.status, tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(r.data, 0xCAFEF00Du);
  EXPECT_EQ(r.cycles, 2u);
  EXPECT_EQ(slave.ar_cycle, 2u);
  EXPECT_EQ(slave.r_cycle, 3u);
  EXPECT_EQ(slave.arvalid, 0);
  EXPECT_EQ(slave.rready, 0);
  EXPECT_EQ(slave.cycle(), 4u);
  EXPECT_EQ(slave.local_time(), sc_time(40, SC_NS));
}

TEST_F(AxilInitiator, AwBackPressureWAcceptedFirst) {
  slave.aw_wait = 3;
  auto w = init.write(slave, 0x4, 0x11223344, 0xF, timeout);
  EXPECT_EQ(w.status, tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(slave.w_cycle, 0u);   // W taken at once
  EXPECT_EQ(slave.aw_cycle, 3u);  // AWREADY low for 3 cycles
  EXPECT_EQ(slave.b_cycle, 4u);
  EXPECT_EQ(w.cycles, 5u);
  EXPECT_EQ(slave.regs[0x4], 0x11223344u);
  EXPECT_EQ(slave.stale_valids, 0u);
}

TEST_F(AxilInitiator, WBackPressure) {
  slave.w_wait = 4;
  auto w = init.write(slave, 0x8, 0x55, 0xF, timeout);
  EXPECT_EQ(w.status, tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(slave.aw_cycle, 0u);
  EXPECT_EQ(slave.w_cycle, 4u);
  EXPECT_EQ(w.cycles, 6u);
  EXPECT_EQ(slave.regs[0x8], 0x55u);
  EXPECT_EQ(slave.stale_valids, 0u);
}

TEST_F(AxilInitiator, ArBackPressure) {
  slave.regs[0xC] = 0xABCD;
  slave.ar_wait = 5;
  auto r = init.read(slave, 0xC, timeout);
  EXPECT_EQ(r.status, tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(r.data, 0xABCDu);
  EXPECT_EQ(slave.ar_cycle, 5u);
  EXPECT_EQ(r.cycles, 7u);
  EXPECT_EQ(slave.stale_valids, 0u);
}

TEST_F(AxilInitiator, DelayedResponses) {
  slave.b_delay = 4;
  auto w = init.write(slave, 0x0, 7, 0xF, timeout);
  EXPECT_EQ(w.status, tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(slave.b_cycle, 5u);
  EXPECT_EQ(w.cycles, 6u);
  slave.r_delay = 3;
  auto r = init.read(slave, 0x0, timeout);
  EXPECT_EQ(r.status, tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(r.data, 7u);
  EXPECT_EQ(r.cycles, 5u);
  EXPECT_EQ(slave.stale_valids, 0u);
}

TEST_F(AxilInitiator, ErrorResponses) {
  slave.resp_at[0x20] = resp::slverr;
  slave.resp_at[0x40] = resp::decerr;
  slave.regs[0x20] = 1;
  auto w = init.write(slave, 0x20, 0x99, 0xF, timeout);
  EXPECT_EQ(w.resp, resp::slverr);
  EXPECT_EQ(w.status, tlm::TLM_GENERIC_ERROR_RESPONSE);
  EXPECT_FALSE(w.timed_out);
  EXPECT_EQ(slave.regs[0x20], 1u);
  auto r = init.read(slave, 0x20, timeout);
  EXPECT_EQ(r.resp, resp::slverr);
  EXPECT_EQ(r.status, tlm::TLM_GENERIC_ERROR_RESPONSE);
  w = init.write(slave, 0x40, 0x99, 0xF, timeout);
  EXPECT_EQ(w.resp, resp::decerr);
  EXPECT_EQ(w.status, tlm::TLM_ADDRESS_ERROR_RESPONSE);
  r = init.read(slave, 0x40, timeout);
  EXPECT_EQ(r.resp, resp::decerr);
  EXPECT_EQ(r.status, tlm::TLM_ADDRESS_ERROR_RESPONSE);
  // An error does not hang the bridge.
  EXPECT_FALSE(init.hung());
  EXPECT_EQ(init.write(slave, 0x0, 1, 0xF, timeout).status, tlm::TLM_OK_RESPONSE);
}

TEST_F(AxilInitiator, ByteStrobesPassThrough) {
  slave.regs[0x4] = 0x11111111;
  auto w = init.write(slave, 0x4, 0xAABBCCDD, 0x5, timeout);
  EXPECT_EQ(w.status, tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(slave.last_strb, 0x5);
  EXPECT_EQ(slave.regs[0x4], 0x11BB11DDu);
  w = init.write(slave, 0x4, 0xAABBCCDD, 0x8, timeout);
  EXPECT_EQ(slave.last_strb, 0x8);
  EXPECT_EQ(slave.regs[0x4], 0xAABB11DDu);
  EXPECT_EQ(init.read(slave, 0x4, timeout).data, 0xAABB11DDu);
}

TEST_F(AxilInitiator, TimeoutWaitingForAwready) {
  slave.aw_wait = never;
  auto w = init.write(slave, 0x4, 1, 0xF, timeout);
  EXPECT_TRUE(w.timed_out);
  EXPECT_EQ(w.status, tlm::TLM_GENERIC_ERROR_RESPONSE);
  EXPECT_EQ(w.waiting_for, "AWREADY");
  EXPECT_EQ(w.cycles, timeout);
  EXPECT_EQ(slave.cycle(), timeout);
  EXPECT_EQ(slave.w_cycle, 0u);  // W went through, AW never did
  EXPECT_EQ(slave.writes_done, 0u);
  EXPECT_EQ(slave.awvalid, 0);
  EXPECT_EQ(slave.wvalid, 0);
  EXPECT_EQ(slave.bready, 0);
  EXPECT_TRUE(init.hung());
  EXPECT_FALSE(init.pending());

  // Hung: later accesses fail at once, without a cycle, and leave the pins idle.
  auto r = init.read(slave, 0x4, timeout);
  EXPECT_TRUE(r.timed_out);
  EXPECT_EQ(r.status, tlm::TLM_GENERIC_ERROR_RESPONSE);
  EXPECT_EQ(r.cycles, 0u);
  EXPECT_NE(r.waiting_for.find("earlier access"), std::string::npos);
  w = init.write(slave, 0x4, 1, 0xF, timeout);
  EXPECT_TRUE(w.timed_out);
  EXPECT_EQ(w.cycles, 0u);
  EXPECT_EQ(slave.cycle(), timeout);
  EXPECT_EQ(slave.arvalid, 0);
  EXPECT_EQ(slave.awvalid, 0);

  // The block's reset revives it.
  slave.aw_wait = 0;
  slave.reset_block();
  init.reset();
  EXPECT_FALSE(init.hung());
  w = init.write(slave, 0x4, 0x77, 0xF, timeout);
  EXPECT_FALSE(w.timed_out);
  EXPECT_EQ(w.status, tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(slave.regs[0x4], 0x77u);
}

TEST_F(AxilInitiator, TimeoutWaitingForB) {
  slave.b_delay = never;
  auto w = init.write(slave, 0x4, 1, 0xF, timeout);
  EXPECT_TRUE(w.timed_out);
  EXPECT_EQ(w.waiting_for, "BVALID");
  EXPECT_EQ(w.cycles, timeout);
  EXPECT_EQ(slave.bready, 0);
  EXPECT_EQ(slave.awvalid, 0);
  EXPECT_TRUE(init.hung());
  EXPECT_TRUE(init.read(slave, 0x4, timeout).timed_out);
  EXPECT_EQ(slave.cycle(), timeout);
}

TEST_F(AxilInitiator, TimeoutNamesEachHandshake) {
  slave.w_wait = never;
  EXPECT_EQ(init.write(slave, 0x4, 1, 0xF, 10).waiting_for, "WREADY");
  init.reset();
  slave.w_wait = 0;
  slave.ar_wait = never;
  slave.reset_block();
  auto r = init.read(slave, 0x4, 10);
  EXPECT_EQ(r.waiting_for, "ARREADY");
  EXPECT_EQ(slave.arvalid, 0);
  EXPECT_EQ(slave.rready, 0);
  init.reset();
  slave.ar_wait = 0;
  slave.r_delay = never;
  slave.reset_block();
  EXPECT_EQ(init.read(slave, 0x4, 10).waiting_for, "RVALID");
  // A timeout just long enough succeeds.
  init.reset();
  slave.r_delay = 3;
  slave.reset_block();
  auto ok = init.read(slave, 0x4, 5);
  EXPECT_FALSE(ok.timed_out);
  EXPECT_EQ(ok.cycles, 5u);
}

// ---------------------------------------------------------------------------------------------
// A fake AXI4 master and a fake memory for axi_target.

struct ar_req {
  std::uint8_t id = 0;
  std::uint32_t addr = 0;
  std::uint8_t len = 0, size = 3, burst = burst::incr;
};
struct w_beat {
  std::uint64_t data = 0;
  std::uint8_t strb = 0xFF;
  bool last = false;
};
struct r_rec {
  std::uint64_t cycle;
  std::uint8_t id;
  std::uint64_t data;
  std::uint8_t resp;
  bool last;
};
struct b_rec {
  std::uint64_t cycle;
  std::uint8_t id;
  std::uint8_t resp;
};
struct r_trace {  // the R channel as seen before each edge
  std::uint8_t valid, ready, last;
  std::uint64_t data;
};

class fake_axi_master final : public clocked {
 public:
  std::uint8_t clk = 0;
  std::uint8_t awid = 0;
  std::uint32_t awaddr = 0;
  std::uint8_t awlen = 0, awsize = 0, awburst = 0, awvalid = 0, awready = 0;
  std::uint64_t wdata = 0;
  std::uint8_t wstrb = 0, wlast = 0, wvalid = 0, wready = 0;
  std::uint8_t bid = 0, bresp = 0, bvalid = 0, bready = 0;
  std::uint8_t arid = 0;
  std::uint32_t araddr = 0;
  std::uint8_t arlen = 0, arsize = 0, arburst = 0, arvalid = 0, arready = 0;
  std::uint8_t rid = 0;
  std::uint64_t rdata = 0;
  std::uint8_t rresp = 0, rlast = 0, rvalid = 0, rready = 0;

  std::deque<ar_req> ars, aws;  // same fields for AW
  std::deque<w_beat> ws;
  std::function<bool(std::uint64_t)> rready_at;  // default: always ready
  std::function<bool(std::uint64_t)> bready_at;

  std::vector<std::uint64_t> ar_cycles, aw_cycles, w_cycles;
  std::vector<r_rec> rs;
  std::vector<b_rec> bs;
  std::vector<r_trace> trace;        // index = cycle
  std::vector<std::uint8_t> ar_rdy;  // ARREADY per cycle

  edgevp::rtl::axi_pins pins() {
    return {&awid,    &awaddr,  &awlen,   &awsize, &awburst, &awvalid, &awready, &wdata,  &wstrb, &wlast,
            &wvalid,  &wready,  &bid,     &bresp,  &bvalid,  &bready,  &arid,    &araddr, &arlen, &arsize,
            &arburst, &arvalid, &arready, &rid,    &rdata,   &rresp,   &rlast,   &rvalid, &rready};
  }

  // Drive the pins for the next tick (after queueing requests).
  void start() { drive(cycle()); }

  // Ticks until `done` holds (checked before each tick); false if `max` ticks were not enough.
  bool tick_until(const std::function<bool()>& done, unsigned max = 1000) {
    for (unsigned i = 0; i < max; ++i) {
      if (done()) return true;
      tick();
    }
    return done();
  }
  bool run_all(unsigned max = 1000) {
    return tick_until(
        [this] { return ars.empty() && aws.empty() && ws.empty() && expected_r == 0 && expected_b == 0; },
        max);
  }

  unsigned expected_r = 0, expected_b = 0;  // R bursts / B responses still to come

 protected:
  void drive_clock(bool level) override { clk = level ? 1 : 0; }
  void eval() override {
    if (clk != 0 && m_prev_clk == 0) edge();
    m_prev_clk = clk;
  }
  [[nodiscard]] bool busy() const override {
    return !ars.empty() || !aws.empty() || !ws.empty() || expected_r != 0 || expected_b != 0;
  }

 private:
  void edge() {
    const std::uint64_t k = cycle();
    trace.push_back({rvalid, rready, rlast, rdata});
    ar_rdy.push_back(arready);
    if (arvalid != 0 && arready != 0) {
      ar_cycles.push_back(k);
      ars.pop_front();
      ++expected_r;
    }
    if (awvalid != 0 && awready != 0) {
      aw_cycles.push_back(k);
      aws.pop_front();
      ++expected_b;
    }
    if (wvalid != 0 && wready != 0) {
      w_cycles.push_back(k);
      ws.pop_front();
    }
    if (rvalid != 0 && rready != 0) {
      rs.push_back({k, rid, rdata, rresp, rlast != 0});
      if (rlast != 0 && expected_r > 0) --expected_r;
    }
    if (bvalid != 0 && bready != 0) {
      bs.push_back({k, bid, bresp});
      if (expected_b > 0) --expected_b;
    }
    drive(k + 1);
  }

  void drive(std::uint64_t n) {
    arvalid = ars.empty() ? 0 : 1;
    if (!ars.empty()) {
      arid = ars.front().id;
      araddr = ars.front().addr;
      arlen = ars.front().len;
      arsize = ars.front().size;
      arburst = ars.front().burst;
    }
    awvalid = aws.empty() ? 0 : 1;
    if (!aws.empty()) {
      awid = aws.front().id;
      awaddr = aws.front().addr;
      awlen = aws.front().len;
      awsize = aws.front().size;
      awburst = aws.front().burst;
    }
    wvalid = ws.empty() ? 0 : 1;
    if (!ws.empty()) {
      wdata = ws.front().data;
      wstrb = ws.front().strb;
      wlast = ws.front().last ? 1 : 0;
    }
    rready = !rready_at || rready_at(n) ? 1 : 0;
    bready = !bready_at || bready_at(n) ? 1 : 0;
  }

  std::uint8_t m_prev_clk = 0;
};

struct fake_memory {
  std::uint64_t base = 0x1000;
  std::vector<std::uint8_t> bytes = std::vector<std::uint8_t>(0x2000);  // 0x1000..0x2FFF
  sc_time latency = sc_core::SC_ZERO_TIME;
  std::uint64_t err_base = 0x2800, err_size = 0x100;  // inside the memory: the memory refuses
  tlm::tlm_response_status err_status = tlm::TLM_GENERIC_ERROR_RESPONSE;

  struct access {
    tlm::tlm_command cmd;
    std::uint64_t addr;
    unsigned len;
    sc_time delay_in;
    bool plain;  // no byte enables, streaming width = length
  };
  std::vector<access> log;

  fake_memory() {
    for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>(i * 7 + 3);
  }
  std::uint8_t at(std::uint64_t a) const { return bytes[a - base]; }
  // The little-endian 64-bit word at `a`.
  std::uint64_t word(std::uint64_t a) const {
    std::uint64_t v = 0;
    for (unsigned i = 0; i < 8; ++i) v |= std::uint64_t{at(a + i)} << (8 * i);
    return v;
  }

  void operator()(tlm::tlm_generic_payload& tx, sc_time& delay) {
    const std::uint64_t a = tx.get_address();
    const unsigned len = tx.get_data_length();
    log.push_back({tx.get_command(), a, len, delay,
                   tx.get_byte_enable_ptr() == nullptr && tx.get_streaming_width() == len});
    delay += latency;
    if (a < err_base + err_size && a + len > err_base) {
      tx.set_response_status(err_status);
      return;
    }
    if (a < base || a + len > base + bytes.size()) {
      tx.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
      return;
    }
    if (tx.is_read())
      std::memcpy(tx.get_data_ptr(), &bytes[a - base], len);
    else
      std::memcpy(&bytes[a - base], tx.get_data_ptr(), len);
    tx.set_response_status(tlm::TLM_OK_RESPONSE);
  }
};

class AxiTarget : public ::testing::Test {
 protected:
  AxiTarget() {
    m.add(t);
    t.on_write = [this](std::uint64_t a, const unsigned char* d, unsigned n) {
      writes.push_back({a, std::vector<std::uint8_t>(d, d + n)});
    };
  }
  void read(std::uint8_t id, std::uint32_t addr, std::uint8_t len, std::uint8_t size = 3,
            std::uint8_t b = burst::incr) {
    m.ars.push_back({id, addr, len, size, b});
    m.start();
  }
  // A write burst: AW, then its beats (WLAST on the last unless told otherwise).
  void write(std::uint8_t id, std::uint32_t addr, const std::vector<w_beat>& beats, std::uint8_t size = 3,
             std::uint8_t b = burst::incr, bool auto_last = true) {
    m.aws.push_back({id, addr, static_cast<std::uint8_t>(beats.size() - 1), size, b});
    for (std::size_t i = 0; i < beats.size(); ++i) {
      w_beat wb = beats[i];
      if (auto_last) wb.last = i + 1 == beats.size();
      m.ws.push_back(wb);
    }
    m.start();
  }
  std::size_t tlm_calls(tlm::tlm_command cmd) const {
    std::size_t n = 0;
    for (const auto& a : mem.log) n += a.cmd == cmd ? 1 : 0;
    return n;
  }

  struct write_run {
    std::uint64_t addr;
    std::vector<std::uint8_t> data;
  };
  fake_memory mem;
  fake_axi_master m;
  axi_target t{m.pins(), [this](tlm::tlm_generic_payload& tx, sc_time& d) { mem(tx, d); }};
  std::vector<write_run> writes;
};

TEST_F(AxiTarget, IncrReadBurst) {
  read(5, 0x1100, 3);  // 4 beats of 8 bytes
  ASSERT_TRUE(m.run_all());
  ASSERT_EQ(m.rs.size(), 4u);
  for (unsigned i = 0; i < 4; ++i) {
    EXPECT_EQ(m.rs[i].data, mem.word(0x1100 + 8 * i)) << "beat " << i;
    EXPECT_EQ(m.rs[i].id, 5);
    EXPECT_EQ(m.rs[i].resp, resp::okay);
    EXPECT_EQ(m.rs[i].last, i == 3) << "beat " << i;
  }
  // One beat per cycle, the first the cycle after AR.
  ASSERT_EQ(m.ar_cycles.size(), 1u);
  for (unsigned i = 0; i < 4; ++i) EXPECT_EQ(m.rs[i].cycle, m.ar_cycles[0] + 1 + i);
  ASSERT_EQ(mem.log.size(), 1u);  // one TLM read for the burst
  EXPECT_EQ(mem.log[0].cmd, tlm::TLM_READ_COMMAND);
  EXPECT_EQ(mem.log[0].addr, 0x1100u);
  EXPECT_EQ(mem.log[0].len, 32u);
  EXPECT_TRUE(mem.log[0].plain);
  EXPECT_EQ(t.read_bursts(), 1u);
  EXPECT_EQ(t.bytes_read(), 32u);
  EXPECT_EQ(t.error_responses(), 0u);
  EXPECT_FALSE(t.pending());
  EXPECT_EQ(m.rvalid, 0);
}

TEST_F(AxiTarget, UnalignedAndNarrowReadLanes) {
  // 64-bit beats from 0x1203: beat 0 carries lanes 3..7 only, beat 1 the next aligned word.
  read(1, 0x1203, 1);
  ASSERT_TRUE(m.run_all());
  ASSERT_EQ(m.rs.size(), 2u);
  for (unsigned lane = 3; lane < 8; ++lane)
    EXPECT_EQ((m.rs[0].data >> (8 * lane)) & 0xFF, mem.at(0x1200 + lane)) << "lane " << lane;
  EXPECT_EQ(m.rs[1].data, mem.word(0x1208));
  EXPECT_EQ(mem.log.back().addr, 0x1203u);
  EXPECT_EQ(mem.log.back().len, 13u);
  EXPECT_EQ(t.bytes_read(), 13u);
  // 32-bit beats from 0x1304: lanes 4..7, then 0..3 of the next word, then 4..7.
  read(2, 0x1304, 2, 2);
  ASSERT_TRUE(m.run_all());
  ASSERT_EQ(m.rs.size(), 5u);
  EXPECT_EQ(m.rs[2].data >> 32, mem.word(0x1300) >> 32);
  EXPECT_EQ(m.rs[3].data & 0xFFFFFFFFu, mem.word(0x1308) & 0xFFFFFFFFu);
  EXPECT_EQ(m.rs[4].data >> 32, mem.word(0x1308) >> 32);
  EXPECT_TRUE(m.rs[4].last);
  EXPECT_FALSE(m.rs[3].last);
  // 16-bit beats from 0x1401 (unaligned): beat 0 lane 1, beat 1 lanes 2..3.
  read(3, 0x1401, 1, 1);
  ASSERT_TRUE(m.run_all());
  ASSERT_EQ(m.rs.size(), 7u);
  EXPECT_EQ((m.rs[5].data >> 8) & 0xFF, mem.at(0x1401));
  EXPECT_EQ((m.rs[6].data >> 16) & 0xFFFF, (mem.word(0x1400) >> 16) & 0xFFFF);
  EXPECT_EQ(mem.log.back().len, 3u);
}

TEST_F(AxiTarget, IncrWriteBurstPartialStrobes) {
  std::vector<std::uint8_t> before = mem.bytes;
  // Beat 0 writes bytes 0..3, beat 1 bytes 4..7 of the next word: a hole of 8 bytes between.
  write(7, 0x1800, {{0x8877665544332211, 0x0F}, {0xFFEEDDCCBBAA9988, 0xF0}});
  ASSERT_TRUE(m.run_all());
  ASSERT_EQ(m.bs.size(), 1u);
  EXPECT_EQ(m.bs[0].resp, resp::okay);
  EXPECT_EQ(m.bs[0].id, 7);
  ASSERT_EQ(writes.size(), 2u);
  EXPECT_EQ(writes[0].addr, 0x1800u);
  EXPECT_EQ(writes[0].data, (std::vector<std::uint8_t>{0x11, 0x22, 0x33, 0x44}));
  EXPECT_EQ(writes[1].addr, 0x180Cu);
  EXPECT_EQ(writes[1].data, (std::vector<std::uint8_t>{0xCC, 0xDD, 0xEE, 0xFF}));
  EXPECT_EQ(tlm_calls(tlm::TLM_WRITE_COMMAND), 2u);
  for (std::uint64_t a = 0x17F0; a < 0x1820; ++a) {
    const bool written = (a >= 0x1800 && a < 0x1804) || (a >= 0x180C && a < 0x1810);
    if (!written) {
      EXPECT_EQ(mem.at(a), before[a - mem.base]) << std::hex << a;
    }
  }
  EXPECT_EQ(mem.word(0x1800) & 0xFFFFFFFF, 0x44332211u);
  EXPECT_EQ(mem.word(0x1808) >> 32, 0xFFEEDDCCu);
  EXPECT_EQ(t.bytes_written(), 8u);
  EXPECT_EQ(t.write_bursts(), 1u);

  // Runs that meet across a beat boundary are one TLM write; a hole inside a beat splits it.
  writes.clear();
  write(8, 0x1900, {{0x0807060504030201, 0xF0}, {0x100F0E0D0C0B0A09, 0x0F}, {0x1817161514131211, 0x81}});
  ASSERT_TRUE(m.run_all());
  ASSERT_EQ(writes.size(), 3u);
  EXPECT_EQ(writes[0].addr, 0x1904u);
  EXPECT_EQ(writes[0].data, (std::vector<std::uint8_t>{5, 6, 7, 8, 9, 10, 11, 12}));
  EXPECT_EQ(writes[1].addr, 0x1910u);
  EXPECT_EQ(writes[1].data, (std::vector<std::uint8_t>{0x11}));
  EXPECT_EQ(writes[2].addr, 0x1917u);
  EXPECT_EQ(writes[2].data, (std::vector<std::uint8_t>{0x18}));
  EXPECT_EQ(m.bs.back().resp, resp::okay);

  // A burst with no strobe at all writes nothing and answers OKAY.
  writes.clear();
  const std::size_t calls = mem.log.size();
  write(9, 0x1A00, {{~0ull, 0x00}});
  ASSERT_TRUE(m.run_all());
  EXPECT_TRUE(writes.empty());
  EXPECT_EQ(mem.log.size(), calls);
  EXPECT_EQ(m.bs.back().resp, resp::okay);
}

TEST_F(AxiTarget, NarrowWriteLanes) {
  // 32-bit beats from 0x1B04: lanes 4..7, then lanes 0..3 of the next word: one run of 8 bytes.
  write(1, 0x1B04, {{0x4433221100000000, 0xF0}, {0x0000000088776655, 0x0F}}, 2);
  ASSERT_TRUE(m.run_all());
  ASSERT_EQ(writes.size(), 1u);
  EXPECT_EQ(writes[0].addr, 0x1B04u);
  EXPECT_EQ(writes[0].data, (std::vector<std::uint8_t>{0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88}));
  EXPECT_EQ(m.bs.back().resp, resp::okay);
}

TEST_F(AxiTarget, OutstandingReadsInOrder) {
  // Three ARs back to back, RREADY low until all are in.
  m.rready_at = [](std::uint64_t c) { return c >= 6; };
  m.ars.push_back({1, 0x1000, 1});
  m.ars.push_back({2, 0x1100, 0});
  m.ars.push_back({3, 0x1200, 2});
  m.start();
  ASSERT_TRUE(m.run_all());
  ASSERT_EQ(m.ar_cycles.size(), 3u);
  EXPECT_EQ(m.ar_cycles[1], m.ar_cycles[0] + 1);
  EXPECT_EQ(m.ar_cycles[2], m.ar_cycles[0] + 2);
  EXPECT_LT(m.ar_cycles[2], 6u);  // all accepted before any R was taken
  EXPECT_EQ(t.max_reads_in_flight(), 3u);
  ASSERT_EQ(m.rs.size(), 6u);
  const std::uint8_t ids[] = {1, 1, 2, 3, 3, 3};
  const std::uint64_t addrs[] = {0x1000, 0x1008, 0x1100, 0x1200, 0x1208, 0x1210};
  for (unsigned i = 0; i < 6; ++i) {
    EXPECT_EQ(m.rs[i].id, ids[i]) << "beat " << i;
    EXPECT_EQ(m.rs[i].data, mem.word(addrs[i])) << "beat " << i;
    EXPECT_EQ(m.rs[i].cycle, 6u + i) << "beat " << i;  // back to back once RREADY rises
  }
  EXPECT_TRUE(m.rs[1].last && m.rs[2].last && m.rs[5].last);
  EXPECT_FALSE(m.rs[0].last || m.rs[3].last || m.rs[4].last);
}

TEST_F(AxiTarget, MaxOutstandingLimitsArready) {
  t.set_max_outstanding(2);
  m.rready_at = [](std::uint64_t c) { return c >= 8; };
  m.ars.push_back({1, 0x1000, 1});
  m.ars.push_back({2, 0x1100, 0});
  m.ars.push_back({3, 0x1200, 0});
  m.start();
  ASSERT_TRUE(m.run_all());
  ASSERT_EQ(m.ar_cycles.size(), 3u);
  EXPECT_EQ(m.ar_cycles[1], m.ar_cycles[0] + 1);
  EXPECT_EQ(t.max_reads_in_flight(), 2u);
  // ARREADY stays low while two bursts are in flight; the third AR after the first burst ends.
  for (std::uint64_t c = m.ar_cycles[1] + 1; c <= 9; ++c) EXPECT_EQ(m.ar_rdy[c], 0) << "cycle " << c;
  EXPECT_EQ(m.rs[1].cycle, 9u);  // last beat of burst 1
  EXPECT_GT(m.ar_cycles[2], m.rs[1].cycle);
  ASSERT_EQ(m.rs.size(), 4u);
  EXPECT_EQ(m.rs[3].id, 3);
  EXPECT_EQ(m.rs[3].data, mem.word(0x1200));
}

TEST_F(AxiTarget, StallDelaysHandshakes) {
  // READY for cycle c is decided at the end of cycle c - 1, so the windows are set up front.
  std::uint64_t aw_at = 0;
  t.set_stall([&aw_at](axi_target::channel ch, std::uint64_t c) {
    switch (ch) {
      case axi_target::channel::ar: return c >= 3 && c < 8;
      case axi_target::channel::aw: return c >= 10 && c < 13;
      case axi_target::channel::w: return aw_at != 0 && (c == aw_at + 2 || c == aw_at + 3);
    }
    return false;
  });
  // Reference: no stall (ARREADY rises the cycle after the bridge's reset).
  read(1, 0x1000, 0);
  ASSERT_TRUE(m.run_all());
  ASSERT_EQ(m.ar_cycles.size(), 1u);
  EXPECT_EQ(m.ar_cycles[0], 1u);
  ASSERT_EQ(m.cycle(), 3u);

  // AR from cycle 3, ARREADY held low on cycles 3..7.
  read(2, 0x1008, 0);
  ASSERT_TRUE(m.run_all());
  ASSERT_EQ(m.ar_cycles.size(), 2u);
  EXPECT_EQ(m.ar_cycles[1], 8u);
  for (std::uint64_t c = 3; c < 8; ++c) EXPECT_EQ(m.ar_rdy[c], 0) << "cycle " << c;
  EXPECT_EQ(m.rs.back().data, mem.word(0x1008));
  ASSERT_EQ(m.cycle(), 10u);

  // AW from cycle 10, held off on 10..12; W stalled on two cycles in the middle of the burst.
  write(3, 0x1800, {{1, 0xFF}, {2, 0xFF}, {3, 0xFF}});
  ASSERT_TRUE(m.tick_until([&] { return !m.aw_cycles.empty(); }));
  aw_at = m.aw_cycles[0];
  EXPECT_EQ(aw_at, 13u);
  ASSERT_TRUE(m.run_all());
  ASSERT_EQ(m.w_cycles.size(), 3u);
  EXPECT_EQ(m.w_cycles[0], aw_at + 1);  // W waits for its AW
  EXPECT_EQ(m.w_cycles[1], aw_at + 4);  // cycles aw+2, aw+3 stalled
  EXPECT_EQ(m.w_cycles[2], aw_at + 5);
  EXPECT_EQ(m.bs.back().resp, resp::okay);
  EXPECT_EQ(mem.word(0x1810), 3u);
}

TEST_F(AxiTarget, RreadyLowHoldsTheBeat) {
  // Ready only on even cycles from 4 on.
  m.rready_at = [](std::uint64_t c) { return c >= 4 && c % 2 == 0; };
  read(4, 0x1000, 3);
  ASSERT_TRUE(m.run_all());
  ASSERT_EQ(m.rs.size(), 4u);
  for (unsigned i = 0; i < 4; ++i) {
    EXPECT_EQ(m.rs[i].data, mem.word(0x1000 + 8 * i));
    EXPECT_EQ(m.rs[i].cycle, 4u + 2 * i);
    EXPECT_EQ(m.rs[i].last, i == 3);
  }
  // Once RVALID is high it stays, with the same beat, until the handshake.
  for (std::size_t c = 1; c < m.trace.size(); ++c) {
    const r_trace& p = m.trace[c - 1];
    if (p.valid != 0 && p.ready == 0) {
      EXPECT_EQ(m.trace[c].valid, 1) << "cycle " << c;
      EXPECT_EQ(m.trace[c].data, p.data) << "cycle " << c;
      EXPECT_EQ(m.trace[c].last, p.last) << "cycle " << c;
    }
  }
}

TEST_F(AxiTarget, ReadLatency) {
  mem.latency = sc_time(50, SC_NS);  // 5 cycles of 10 ns
  read(1, 0x1000, 1);                // 2 beats
  ASSERT_TRUE(m.run_all());
  ASSERT_EQ(m.rs.size(), 2u);
  const std::uint64_t ar = m.ar_cycles[0];
  EXPECT_EQ(m.rs[1].cycle, ar + 5);
  EXPECT_EQ(m.rs[0].cycle, ar + 4);
  // The TLM read happens at the block's local time: the cycle after AR (sc_time_stamp() is 0).
  ASSERT_EQ(mem.log.size(), 1u);
  EXPECT_EQ(mem.log[0].delay_in, sc_time(10.0 * static_cast<double>(ar + 1), SC_NS));

  // A latency between cycles rounds up; a latency shorter than the burst is the burst's length.
  mem.latency = sc_time(25, SC_NS);
  read(2, 0x1000, 0);
  ASSERT_TRUE(m.run_all());
  EXPECT_EQ(m.rs.back().cycle, m.ar_cycles[1] + 3);
  mem.latency = sc_time(10, SC_NS);
  read(3, 0x1000, 3);
  ASSERT_TRUE(m.run_all());
  EXPECT_EQ(m.rs.back().cycle, m.ar_cycles[2] + 4);
}

TEST_F(AxiTarget, WriteLatency) {
  mem.latency = sc_time(60, SC_NS);  // 6 cycles
  write(1, 0x1000, {{0xAA, 0xFF}, {0xBB, 0xFF}});
  ASSERT_TRUE(m.run_all());
  ASSERT_EQ(m.w_cycles.size(), 2u);
  ASSERT_EQ(m.bs.size(), 1u);
  // B L - (beats - 1) cycles after WLAST, i.e. L cycles after the first W beat.
  EXPECT_EQ(m.bs[0].cycle, m.w_cycles[1] + 6 - 1);
  EXPECT_EQ(m.bs[0].cycle, m.w_cycles[0] + 6);
  EXPECT_EQ(mem.word(0x1008), 0xBBu);
  // Without latency, B follows WLAST by one cycle.
  mem.latency = sc_core::SC_ZERO_TIME;
  write(2, 0x1010, {{0xCC, 0xFF}});
  ASSERT_TRUE(m.run_all());
  EXPECT_EQ(m.bs[1].cycle, m.w_cycles[2] + 1);
}

TEST_F(AxiTarget, TlmErrorsOnEveryBeatNextBurstFine) {
  // The memory refuses 0x2800..0x28FF (SLVERR); nothing is mapped from 0x3000 (DECERR).
  read(1, 0x2800, 3);
  read(2, 0x3000, 1);
  read(3, 0x1000, 1);
  ASSERT_TRUE(m.run_all());
  ASSERT_EQ(m.rs.size(), 8u);
  for (unsigned i = 0; i < 4; ++i) {
    EXPECT_EQ(m.rs[i].resp, resp::slverr) << "beat " << i;
    EXPECT_EQ(m.rs[i].last, i == 3);
  }
  EXPECT_EQ(m.rs[4].resp, resp::decerr);
  EXPECT_EQ(m.rs[5].resp, resp::decerr);
  EXPECT_TRUE(m.rs[5].last);
  EXPECT_EQ(m.rs[6].resp, resp::okay);
  EXPECT_EQ(m.rs[7].resp, resp::okay);
  EXPECT_EQ(m.rs[7].data, mem.word(0x1008));
  EXPECT_EQ(t.error_responses(), 2u);
  EXPECT_EQ(t.bytes_read(), 16u);

  write(4, 0x2810, {{1, 0xFF}});
  write(5, 0x3008, {{1, 0xFF}});
  write(6, 0x1000, {{0x1234, 0xFF}});
  ASSERT_TRUE(m.run_all());
  ASSERT_EQ(m.bs.size(), 3u);
  EXPECT_EQ(m.bs[0].resp, resp::slverr);
  EXPECT_EQ(m.bs[1].resp, resp::decerr);
  EXPECT_EQ(m.bs[2].resp, resp::okay);
  EXPECT_EQ(m.bs[2].id, 6);
  EXPECT_EQ(mem.word(0x1000), 0x1234u);
  EXPECT_EQ(writes.size(), 1u);  // on_write sees accepted runs only
  EXPECT_EQ(t.error_responses(), 4u);
}

TEST_F(AxiTarget, FixedAndWrapBurstsRefusedWithoutTlm) {
  read(1, 0x1000, 3, 3, burst::fixed);
  read(2, 0x1000, 3, 3, burst::wrap);
  read(3, 0x1000, 0, 4);  // 16-byte beats on a 64-bit bus
  ASSERT_TRUE(m.run_all());
  EXPECT_TRUE(mem.log.empty());
  ASSERT_EQ(m.rs.size(), 9u);
  for (const r_rec& r : m.rs) EXPECT_EQ(r.resp, resp::slverr);
  EXPECT_TRUE(m.rs[3].last && m.rs[7].last && m.rs[8].last);

  write(4, 0x1000, {{1, 0xFF}, {2, 0xFF}}, 3, burst::fixed);
  write(5, 0x1000, {{1, 0xFF}, {2, 0xFF}}, 3, burst::wrap);
  ASSERT_TRUE(m.run_all());
  EXPECT_TRUE(mem.log.empty());
  EXPECT_EQ(m.w_cycles.size(), 4u);  // the data is taken, then refused
  ASSERT_EQ(m.bs.size(), 2u);
  EXPECT_EQ(m.bs[0].resp, resp::slverr);
  EXPECT_EQ(m.bs[1].resp, resp::slverr);
  EXPECT_TRUE(writes.empty());
  EXPECT_EQ(t.error_responses(), 5u);
}

TEST_F(AxiTarget, WlastOutOfPlace) {
  // WLAST on beat 2 of 4: the burst ends there, SLVERR, nothing written.
  m.aws.push_back({1, 0x1000, 3, 3, burst::incr});
  m.ws.push_back({0x11, 0xFF, false});
  m.ws.push_back({0x22, 0xFF, true});
  m.start();
  ASSERT_TRUE(m.run_all());
  ASSERT_EQ(m.bs.size(), 1u);
  EXPECT_EQ(m.bs[0].resp, resp::slverr);
  EXPECT_EQ(m.w_cycles.size(), 2u);
  EXPECT_TRUE(mem.log.empty());
  EXPECT_FALSE(t.pending());

  // No WLAST on the last beat: SLVERR too.
  write(2, 0x1000, {{0x33, 0xFF}, {0x44, 0xFF}}, 3, burst::incr, false);
  ASSERT_TRUE(m.run_all());
  ASSERT_EQ(m.bs.size(), 2u);
  EXPECT_EQ(m.bs[1].resp, resp::slverr);
  EXPECT_TRUE(mem.log.empty());

  // The next burst is fine.
  write(3, 0x1000, {{0x55, 0xFF}, {0x66, 0xFF}});
  ASSERT_TRUE(m.run_all());
  EXPECT_EQ(m.bs[2].resp, resp::okay);
  EXPECT_EQ(mem.word(0x1000), 0x55u);
  EXPECT_EQ(mem.word(0x1008), 0x66u);
}

TEST_F(AxiTarget, ResetDropsEverything) {
  mem.latency = sc_time(200, SC_NS);
  read(1, 0x1000, 3);
  m.aws.push_back({2, 0x1100, 1, 3, burst::incr});
  m.ws.push_back({1, 0xFF, false});  // one beat of two: the burst stays open
  m.start();
  ASSERT_TRUE(m.tick_until([&] { return !m.ar_cycles.empty() && !m.w_cycles.empty(); }, 20));
  m.tick();
  EXPECT_TRUE(t.pending());
  t.reset();
  EXPECT_FALSE(t.pending());
  EXPECT_EQ(m.rvalid, 0);
  EXPECT_EQ(m.bvalid, 0);
  EXPECT_EQ(m.arready, 0);
  EXPECT_EQ(m.awready, 0);
  EXPECT_EQ(m.wready, 0);
  // The master is reset too: nothing is answered for the dropped bursts.
  m.expected_r = m.expected_b = 0;
  const std::size_t rs = m.rs.size(), bs = m.bs.size();
  for (int i = 0; i < 30; ++i) m.tick();
  EXPECT_EQ(m.rs.size(), rs);
  EXPECT_EQ(m.bs.size(), bs);
  EXPECT_EQ(m.wready, 0);  // no burst open
  // And it serves new bursts.
  mem.latency = sc_core::SC_ZERO_TIME;
  read(3, 0x1008, 0);
  ASSERT_TRUE(m.run_all());
  ASSERT_EQ(m.rs.size(), rs + 1);
  EXPECT_EQ(m.rs.back().id, 3);
  EXPECT_EQ(m.rs.back().data, mem.word(0x1008));
}

TEST_F(AxiTarget, RunUntilTicksWhileWorkIsPending) {
  mem.latency = sc_time(30, SC_NS);
  read(1, 0x1000, 1);
  const std::uint64_t n = m.run_until(sc_time(1, sc_core::SC_US));
  EXPECT_EQ(m.rs.size(), 2u);
  EXPECT_EQ(n, 5u);  // AR at 1, beats at 3 and 4
  EXPECT_EQ(m.cycle(), n);
  EXPECT_FALSE(t.pending());
  EXPECT_EQ(m.local_time(), sc_time(1, sc_core::SC_US));  // the idle block's time jumped
  EXPECT_EQ(m.run_until(sc_time(2, sc_core::SC_US)), 0u);
}

}  // namespace

// Bench for the interconnect router: decode and translation, error responses, latency and
// contention, DMI and debug forwarding, DMI invalidation, and memory-map validation.
//
// The bench: a ROM, a RAM, a small register block and a probe target (which records the addresses
// it is given and grants DMI over more bytes than it is mapped with) behind one router, with a
// test initiator and a DMI listener on the router's input. Multi-passthrough sockets complete their
// binding at elaboration, so every test that moves a transaction first runs sc_start(SC_ZERO_TIME).
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "models/core/errors.h"
#include "models/core/peripheral.h"
#include "models/interconnect/router.h"
#include "models/memory/memory.h"
#include "tests/unit/tlm_helpers.h"

namespace {

using edgevp::core::access;
using edgevp::core::config_error;
using edgevp::core::reg;
using edgevp::memory::memory;
using edgevp::memory::memory_config;
using sc_core::SC_NS;
using sc_core::sc_time;
using sc_core::SC_ZERO_TIME;

constexpr std::uint64_t rom_base = 0x00000000, rom_size = 0x1000;
constexpr std::uint64_t regs_base = 0x10000000, regs_size = 0x1000;
constexpr std::uint64_t probe_base = 0x20000000, probe_size = 0x1000;
constexpr std::uint64_t ram_base = 0x80000000, ram_size = 0x10000;

const sc_time hop(2, SC_NS);
const sc_time rom_range_latency(1, SC_NS);
const sc_time ram_range_latency(3, SC_NS);
const sc_time rom_read(4, SC_NS);
const sc_time ram_read(5, SC_NS);
const sc_time ram_write(7, SC_NS);
const sc_time regs_latency(10, SC_NS);

struct regs_t : edgevp::core::peripheral {
  reg<std::uint32_t> id{this, "ID", 0x0, 0x0DEC0DE5u, access::ro};
  reg<std::uint32_t> ctrl{this, "CTRL", 0x4, 0, access::rw};
  explicit regs_t(const sc_core::sc_module_name& n) : peripheral(n, regs_latency) {}
};

// Records what reaches it; grants DMI over 0x2000 bytes although it is mapped with 0x1000.
struct probe_t : sc_core::sc_module {
  tlm_utils::simple_target_socket<probe_t> in;
  std::vector<unsigned char> buf = std::vector<unsigned char>(2 * probe_size, 0);
  std::uint64_t last_addr = ~std::uint64_t{0};
  unsigned last_len = 0;
  unsigned calls = 0;

  explicit probe_t(const sc_core::sc_module_name& n) : sc_module(n), in("in") {
    in.register_b_transport(this, &probe_t::b_transport);
    in.register_get_direct_mem_ptr(this, &probe_t::get_direct_mem_ptr);
    in.register_transport_dbg(this, &probe_t::transport_dbg);
  }
  void b_transport(tlm::tlm_generic_payload& tx, sc_time&) {
    last_addr = tx.get_address();
    last_len = tx.get_data_length();
    ++calls;
    tx.set_response_status(tlm::TLM_OK_RESPONSE);
  }
  bool get_direct_mem_ptr(tlm::tlm_generic_payload& tx, tlm::tlm_dmi& dmi) {
    last_addr = tx.get_address();
    dmi.set_dmi_ptr(buf.data());
    dmi.set_start_address(0);
    dmi.set_end_address(buf.size() - 1);
    dmi.allow_read_write();
    return true;
  }
  unsigned transport_dbg(tlm::tlm_generic_payload& tx) {
    last_addr = tx.get_address();
    last_len = tx.get_data_length();
    ++calls;
    return tx.get_data_length();  // deliberately unclipped: the router must clip
  }
};

// An initiator that only listens for DMI invalidations.
struct dmi_listener : sc_core::sc_module {
  tlm_utils::simple_initiator_socket<dmi_listener> out;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> seen;
  template <typename Target>
  dmi_listener(const sc_core::sc_module_name& n, Target& t) : sc_module(n), out("out") {
    out.register_invalidate_direct_mem_ptr(this, &dmi_listener::invalidate);
    out.bind(t);
  }
  void invalidate(sc_dt::uint64 start, sc_dt::uint64 end) { seen.emplace_back(start, end); }
};

memory_config mem_cfg(std::uint64_t size, sc_time rd, sc_time wr, bool ro) {
  memory_config c;
  c.size = size;
  c.read_latency = rd;
  c.write_latency = wr;
  c.read_only = ro;
  return c;
}

edgevp::interconnect::router_config bus_cfg() {
  edgevp::interconnect::router_config c;
  c.hop_latency = hop;
  return c;
}

struct bench {
  edgevp::interconnect::router bus{"bus", bus_cfg()};
  memory rom{"rom", mem_cfg(rom_size, rom_read, SC_ZERO_TIME, true)};
  memory ram{"ram", mem_cfg(ram_size, ram_read, ram_write, false)};
  regs_t regs{"regs"};
  probe_t probe{"probe"};
  edgevp::test::initiator cpu{"cpu", bus.in};
  dmi_listener listener{"listener", bus.in};

  bench() {
    bus.map("rom", rom_base, rom_size, rom.in, rom_range_latency);
    bus.map("regs", regs_base, regs_size, regs.in);
    bus.map("probe", probe_base, probe_size, probe.in);
    bus.map("ram", ram_base, ram_size, ram.in, ram_range_latency);
    sc_core::sc_start(SC_ZERO_TIME);  // completes the multi-socket bindings
  }
  const edgevp::interconnect::router::range& range_of(const std::string& name) const {
    for (const auto& r : bus.ranges())
      if (r.name == name) return r;
    throw std::runtime_error("no range " + name);
  }
};

class router : public ::testing::Test {
 protected:
  // Built on first use: the map-validation tests elaborate nothing.
  bench& b() {
    if (!m_bench) m_bench = std::make_unique<bench>();
    return *m_bench;
  }

 private:
  std::unique_ptr<bench> m_bench;
};

// ------------------------------------------------------------------ decode and translation

TEST_F(router, targets_see_local_offsets) {
  bench& t = b();
  EXPECT_EQ(t.cpu.write32(ram_base + 0x10, 0xDEADBEEF).status, tlm::TLM_OK_RESPONSE);
  std::uint32_t v = 0;
  std::memcpy(&v, t.ram.data() + 0x10, 4);
  EXPECT_EQ(v, 0xDEADBEEFu);
  EXPECT_EQ(t.cpu.read32(ram_base + 0x10).value, 0xDEADBEEFu);

  // Last word of the RAM window.
  EXPECT_EQ(t.cpu.write32(ram_base + ram_size - 4, 0x11223344).status, tlm::TLM_OK_RESPONSE);
  std::memcpy(&v, t.ram.data() + ram_size - 4, 4);
  EXPECT_EQ(v, 0x11223344u);

  // ROM at base 0.
  const std::uint32_t w = 0xA5A55A5A;
  std::memcpy(t.rom.data() + rom_size - 4, &w, 4);
  EXPECT_EQ(t.cpu.read32(rom_base + rom_size - 4).value, w);

  // Register block: offsets 0 and 4.
  EXPECT_EQ(t.cpu.read32(regs_base).value, 0x0DEC0DE5u);
  EXPECT_EQ(t.cpu.write32(regs_base + 4, 77).status, tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(t.regs.ctrl.get(), 77u);

  // The probe sees exactly the local address; the initiator gets its own address back.
  tlm::tlm_generic_payload tx;
  unsigned char buf[4] = {};
  tx.set_command(tlm::TLM_READ_COMMAND);
  tx.set_address(probe_base + 0x123);
  tx.set_data_ptr(buf);
  tx.set_data_length(4);
  tx.set_streaming_width(4);
  sc_time delay = SC_ZERO_TIME;
  t.cpu.out->b_transport(tx, delay);
  EXPECT_EQ(t.probe.last_addr, 0x123u);
  EXPECT_EQ(tx.get_address(), probe_base + 0x123);
  EXPECT_EQ(tx.get_response_status(), tlm::TLM_OK_RESPONSE);
}

TEST_F(router, find_returns_the_range_holding_an_address) {
  bench& t = b();
  ASSERT_NE(t.bus.find(ram_base), nullptr);
  EXPECT_EQ(t.bus.find(ram_base)->name, "ram");
  EXPECT_EQ(t.bus.find(ram_base + ram_size - 1)->name, "ram");
  EXPECT_EQ(t.bus.find(ram_base + ram_size), nullptr);
  EXPECT_EQ(t.bus.find(ram_base - 1), nullptr);
  EXPECT_EQ(t.bus.find(rom_base)->name, "rom");
  EXPECT_EQ(t.bus.find(0x1'0000'0000ull), nullptr);
}

TEST_F(router, unmapped_addresses_answer_address_error) {
  bench& t = b();
  const std::uint64_t holes[] = {rom_base + rom_size, regs_base - 4,       probe_base + probe_size,
                                 ram_base - 4,        ram_base + ram_size, 0xFFFFFFFCull};
  for (std::uint64_t a : holes) {
    SCOPED_TRACE(a);
    EXPECT_EQ(t.cpu.read32(a).status, tlm::TLM_ADDRESS_ERROR_RESPONSE);
    EXPECT_EQ(t.cpu.write32(a, 1).status, tlm::TLM_ADDRESS_ERROR_RESPONSE);
  }
  EXPECT_EQ(t.probe.calls, 0u);
}

TEST_F(router, access_straddling_a_range_end_is_an_address_error) {
  bench& t = b();
  // The probe would accept anything: the router alone must refuse bytes past the window's end
  // (they belong to another block or to nobody), as its debug transport already does.
  EXPECT_EQ(t.cpu.read32(probe_base + probe_size - 2).status, tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(t.probe.calls, 0u);
}

TEST_F(router, target_errors_pass_through) {
  bench& t = b();
  EXPECT_EQ(t.cpu.write32(rom_base, 1).status, tlm::TLM_COMMAND_ERROR_RESPONSE);
  EXPECT_EQ(t.cpu.write32(regs_base, 1).status, tlm::TLM_COMMAND_ERROR_RESPONSE);  // ID is read-only
  EXPECT_EQ(t.cpu.read32(regs_base + 0x8).status, tlm::TLM_ADDRESS_ERROR_RESPONSE);
}

// ------------------------------------------------------------------ timing

TEST_F(router, latency_is_hop_plus_range_plus_target) {
  bench& t = b();
  // Each access starts well after the previous one ended: no contention.
  sc_time at = SC_ZERO_TIME;
  const sc_time gap(1, sc_core::SC_US);
  EXPECT_EQ(t.cpu.access(tlm::TLM_READ_COMMAND, ram_base, 4, 0, at += gap).delay,
            hop + ram_range_latency + ram_read);
  EXPECT_EQ(t.cpu.access(tlm::TLM_WRITE_COMMAND, ram_base, 4, 0, at += gap).delay,
            hop + ram_range_latency + ram_write);
  EXPECT_EQ(t.cpu.access(tlm::TLM_READ_COMMAND, rom_base, 4, 0, at += gap).delay,
            hop + rom_range_latency + rom_read);
  EXPECT_EQ(t.cpu.access(tlm::TLM_READ_COMMAND, regs_base, 4, 0, at += gap).delay, hop + regs_latency);
  EXPECT_EQ(t.cpu.access(tlm::TLM_READ_COMMAND, probe_base, 4, 0, at += gap).delay, hop);
  EXPECT_EQ(t.range_of("ram").stats.wait_time, SC_ZERO_TIME);
}

TEST_F(router, back_to_back_transactions_to_one_target_queue) {
  bench& t = b();
  const sc_time service = ram_range_latency + ram_read;
  const auto first = t.cpu.read32(ram_base);
  const auto second = t.cpu.read32(ram_base + 4);  // same local time: arrives while the first is served
  EXPECT_EQ(first.delay, hop + service);
  // It arrives at `hop`, waits until the first completes at hop + service, then is served.
  EXPECT_EQ(second.delay, hop + service + service);
  EXPECT_GT(second.delay, first.delay);
  EXPECT_EQ(t.range_of("ram").stats.wait_time, service);
  EXPECT_EQ(t.range_of("ram").stats.transactions, 2u);
  EXPECT_EQ(t.range_of("ram").stats.bytes, 8u);
}

TEST_F(router, transactions_to_different_targets_do_not_wait) {
  bench& t = b();
  const auto a = t.cpu.read32(ram_base);
  const auto r = t.cpu.read32(regs_base);
  const auto p = t.cpu.read32(probe_base);
  EXPECT_EQ(a.delay, hop + ram_range_latency + ram_read);
  EXPECT_EQ(r.delay, hop + regs_latency);
  EXPECT_EQ(p.delay, hop);
  EXPECT_EQ(t.range_of("regs").stats.wait_time, SC_ZERO_TIME);
  // Once the RAM is free again, no wait either.
  const auto later = t.cpu.access(tlm::TLM_READ_COMMAND, ram_base, 4, 0, sc_time(100, SC_NS));
  EXPECT_EQ(later.delay, hop + ram_range_latency + ram_read);
  EXPECT_EQ(t.range_of("ram").stats.wait_time, SC_ZERO_TIME);
}

TEST_F(router, a_calendar_planned_far_ahead_stays_bounded) {
  bench& t = b();
  // Simulated time stands still while an initiator reserves ever later, disjoint slots (what a
  // long accelerator job does inside one register write): one entry each until the limit.
  const sc_time step(100, SC_NS);
  const std::size_t n = 3 * edgevp::interconnect::max_calendar;
  for (std::size_t i = 0; i < n; ++i)
    t.cpu.access(tlm::TLM_READ_COMMAND, ram_base, 4, 0, step * static_cast<double>(i));
  EXPECT_LE(t.range_of("ram").busy.size(), edgevp::interconnect::max_calendar);
  EXPECT_GE(t.range_of("ram").busy.size(), edgevp::interconnect::max_calendar / 2);
  EXPECT_EQ(t.range_of("ram").stats.transactions, n);
  // The reservations still cover the first and the last transaction.
  EXPECT_EQ(t.range_of("ram").busy.front().first, hop);
  EXPECT_EQ(t.range_of("ram").busy.back().second,
            step * static_cast<double>(n - 1) + hop + ram_range_latency + ram_read);
}

// ------------------------------------------------------------------ DMI

TEST_F(router, dmi_is_translated_to_global_addresses) {
  bench& t = b();
  tlm::tlm_dmi dmi;
  ASSERT_TRUE(t.cpu.get_dmi(ram_base + 0x100, dmi));
  EXPECT_EQ(dmi.get_start_address(), ram_base);
  EXPECT_EQ(dmi.get_end_address(), ram_base + ram_size - 1);
  EXPECT_TRUE(dmi.is_read_write_allowed());
  EXPECT_EQ(dmi.get_read_latency(), ram_read + ram_range_latency);
  EXPECT_EQ(dmi.get_write_latency(), ram_write + ram_range_latency);
  // The pointer maps start_address: byte (a - start) is the RAM's byte at local offset a - base.
  unsigned char* p = dmi.get_dmi_ptr() + (ram_base + 0x100 - dmi.get_start_address());
  EXPECT_EQ(p, t.ram.data() + 0x100);
  const std::uint32_t v = 0xFEEDC0DE;
  std::memcpy(p, &v, 4);
  EXPECT_EQ(t.cpu.read32(ram_base + 0x100).value, v);
}

TEST_F(router, dmi_grant_is_clipped_to_the_mapped_range) {
  bench& t = b();
  tlm::tlm_dmi dmi;
  ASSERT_TRUE(t.cpu.get_dmi(probe_base + 0x10, dmi));
  EXPECT_EQ(t.probe.last_addr, 0x10u);
  EXPECT_EQ(dmi.get_start_address(), probe_base);
  EXPECT_EQ(dmi.get_end_address(), probe_base + probe_size - 1) << "the probe offers 0x2000 bytes";
  EXPECT_EQ(dmi.get_dmi_ptr(), t.probe.buf.data());
}

TEST_F(router, dmi_on_rom_is_read_only_and_unmapped_is_refused) {
  bench& t = b();
  tlm::tlm_dmi dmi;
  EXPECT_TRUE(t.cpu.get_dmi(rom_base + 8, dmi));
  EXPECT_TRUE(dmi.is_read_allowed());
  EXPECT_FALSE(dmi.is_write_allowed());
  EXPECT_EQ(dmi.get_end_address(), rom_base + rom_size - 1);

  tlm::tlm_dmi wdmi;
  EXPECT_FALSE(t.cpu.get_dmi(rom_base + 8, wdmi, true));

  tlm::tlm_dmi none;
  EXPECT_FALSE(t.cpu.get_dmi(0x70000000, none));
  EXPECT_FALSE(none.is_read_allowed());
  EXPECT_FALSE(none.is_write_allowed());
}

TEST_F(router, dmi_invalidation_reaches_initiators_in_global_addresses) {
  bench& t = b();
  t.ram.in->invalidate_direct_mem_ptr(0x100, 0x1FF);
  ASSERT_EQ(t.listener.seen.size(), 1u);
  EXPECT_EQ(t.listener.seen[0].first, ram_base + 0x100);
  EXPECT_EQ(t.listener.seen[0].second, ram_base + 0x1FF);

  // "Everything" from a target is clipped to its window.
  t.probe.in->invalidate_direct_mem_ptr(0, ~sc_dt::uint64{0});
  ASSERT_EQ(t.listener.seen.size(), 2u);
  EXPECT_EQ(t.listener.seen[1].first, probe_base);
  EXPECT_EQ(t.listener.seen[1].second, probe_base + probe_size - 1);
}

// ------------------------------------------------------------------ debug transport

TEST_F(router, debug_transport_is_translated) {
  bench& t = b();
  unsigned char out[16];
  for (unsigned i = 0; i < sizeof(out); ++i) out[i] = static_cast<unsigned char>(0xA0 + i);
  EXPECT_EQ(t.cpu.debug_write(ram_base + 0x40, out, sizeof(out)), 16u);
  EXPECT_EQ(std::memcmp(t.ram.data() + 0x40, out, sizeof(out)), 0);
  unsigned char in[16] = {};
  EXPECT_EQ(t.cpu.debug_read(ram_base + 0x40, in, sizeof(in)), 16u);
  EXPECT_EQ(std::memcmp(in, out, sizeof(in)), 0);

  std::uint32_t id = 0;
  EXPECT_EQ(t.cpu.debug_read(regs_base, &id, 4), 4u);
  EXPECT_EQ(id, 0x0DEC0DE5u);

  EXPECT_EQ(t.cpu.debug_read(0x70000000, in, 4), 0u) << "unmapped";
}

TEST_F(router, debug_transport_is_clipped_at_the_range_end) {
  bench& t = b();
  unsigned char buf[16] = {};
  EXPECT_EQ(t.cpu.debug_read(probe_base + probe_size - 4, buf, sizeof(buf)), 4u);
  EXPECT_EQ(t.probe.last_addr, probe_size - 4);
  EXPECT_EQ(t.probe.last_len, 4u);

  for (unsigned i = 0; i < 8; ++i) t.ram.data()[ram_size - 8 + i] = static_cast<unsigned char>(i + 1);
  EXPECT_EQ(t.cpu.debug_read(ram_base + ram_size - 8, buf, sizeof(buf)), 8u);
  for (unsigned i = 0; i < 8; ++i) EXPECT_EQ(buf[i], i + 1);
}

// ------------------------------------------------------------------ memory-map validation

TEST_F(router, overlapping_ranges_name_both_blocks) {
  edgevp::interconnect::router r("r");
  memory m1("m1", mem_cfg(0x1000, SC_ZERO_TIME, SC_ZERO_TIME, false));
  memory m2("m2", mem_cfg(0x1000, SC_ZERO_TIME, SC_ZERO_TIME, false));
  memory m3("m3", mem_cfg(0x1000, SC_ZERO_TIME, SC_ZERO_TIME, false));
  memory m4("m4", mem_cfg(0x1000, SC_ZERO_TIME, SC_ZERO_TIME, false));
  r.map("alpha_mem", 0x1000, 0x1000, m1.in);
  const std::pair<std::uint64_t, std::uint64_t> clashes[] = {
      {0x1800, 0x1000},   // straddles the end
      {0x0800, 0x1000},   // straddles the start
      {0x1100, 0x100},    // inside
      {0x0000, 0x10000},  // encloses
      {0x1FFF, 1},        // last byte
  };
  for (const auto& c : clashes) {
    SCOPED_TRACE(c.first);
    try {
      r.map("beta_dev", c.first, c.second, m2.in);
      ADD_FAILURE() << "no config_error";
    } catch (const config_error& e) {
      EXPECT_NE(std::string(e.what()).find("alpha_mem"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("beta_dev"), std::string::npos) << e.what();
    }
  }
  // Adjacent ranges are fine on both sides.
  EXPECT_NO_THROW(r.map("gamma", 0x2000, 0x1000, m3.in));
  EXPECT_NO_THROW(r.map("delta", 0x0000, 0x1000, m4.in));
  EXPECT_EQ(r.ranges().size(), 3u);
}

TEST_F(router, zero_size_range_is_an_error_naming_the_block) {
  edgevp::interconnect::router r("r");
  memory m("m", mem_cfg(0x1000, SC_ZERO_TIME, SC_ZERO_TIME, false));
  try {
    r.map("empty_blk", 0x1000, 0, m.in);
    ADD_FAILURE() << "no config_error";
  } catch (const config_error& e) {
    EXPECT_NE(std::string(e.what()).find("empty_blk"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(r.ranges().empty());
}

TEST_F(router, range_past_4gib_is_an_error_naming_the_block) {
  edgevp::interconnect::router r("r");
  memory m1("m1", mem_cfg(0x1000, SC_ZERO_TIME, SC_ZERO_TIME, false));
  memory m2("m2", mem_cfg(0x1000, SC_ZERO_TIME, SC_ZERO_TIME, false));
  const std::pair<std::uint64_t, std::uint64_t> bad[] = {
      {0xFFFFF000ull, 0x2000},
      {0x100000000ull, 0x10},
      {0xFFFFFFFFFFFFF000ull, 0x2000},  // wraps the 64-bit sum
  };
  for (const auto& c : bad) {
    SCOPED_TRACE(c.first);
    try {
      r.map("high_blk", c.first, c.second, m1.in);
      ADD_FAILURE() << "no config_error";
    } catch (const config_error& e) {
      EXPECT_NE(std::string(e.what()).find("high_blk"), std::string::npos) << e.what();
    }
  }
  // Ending exactly at 4 GiB is fine.
  EXPECT_NO_THROW(r.map("top_blk", 0xFFFFF000ull, 0x1000, m2.in));
}

}  // namespace

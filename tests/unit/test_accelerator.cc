// Bench for the accelerator framework (models/accelerators/accelerator.*, registry.*): descriptor
// fetch and validation, DMA error paths, chains, the busy error, soft reset, interrupt, counters,
// timing, power domain, and the factory. A minimal kind defined here ("copy": DMA a buffer from
// src to dst, then spend a given number of cycles) exercises the base without any CIM arithmetic;
// it is also the shortest example of a kind.
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "models/core/errors.h"
#include "tests/unit/accel_bench.h"

namespace {

using edgevp::accel::error;
using edgevp::accel::instance;
using edgevp::accel::kind_info;
using edgevp::core::param_spec;
using edgevp::accel::registry;
using namespace edgevp::test;
namespace status_bits = edgevp::accel::status_bits;
using sc_core::SC_NS;
using sc_core::sc_time;

// opcode 1 COPY (6 words): src, dst, len, cycles. Flags must be 0.
class copy_kind final : public edgevp::accel::accelerator {
 public:
  copy_kind(const sc_core::sc_module_name& n, const instance& inst) : accelerator(n, inst, 0x7F) {
    power().add_event("byte", 1e-15, {&m_bytes});
  }

 protected:
  [[nodiscard]] unsigned descriptor_words(std::uint8_t op) const override { return op == 1 ? 6 : 0; }
  sc_time execute(edgevp::accel::job& j) override {
    const std::uint32_t src = j.word(2), dst = j.word(3), len = j.word(4), cycles = j.word(5);
    if (j.flags() != 0) {
      j.fail(error::param);
      return j.start();
    }
    if (len == 0 || len > 4096) {
      j.fail(error::shape);
      return j.start();
    }
    if (!j.check_buffer(src, len, 4) || !j.check_buffer(dst, len, 4)) return j.start();
    std::vector<unsigned char> buf(len);
    sc_time t = j.start();
    if (!j.read(src, buf.data(), len, t)) return t;
    t += j.cycles(cycles);
    if (!j.write(dst, buf.data(), len, t)) return t;
    count_ops(len);
    m_bytes += len;
    return t;
  }

 private:
  std::uint64_t m_bytes = 0;
};

registry test_kinds() {
  registry r;
  kind_info k;
  k.name = "copy";
  k.code = 0x7F;
  k.summary = "test kind";
  k.keys = {param_spec::integer("depth", 4, 1, 64, "a key")};
  k.make = [](const instance& inst) -> std::unique_ptr<edgevp::accel::accelerator> {
    return std::make_unique<copy_kind>(inst.name.c_str(), inst);
  };
  r.add(k);
  return r;
}

instance copy_instance() {
  instance i;
  i.name = "acc";
  i.kind = "copy";
  return i;
}

constexpr std::uint64_t desc0 = sram_base + 0x100;
constexpr std::uint64_t src = sram_base + 0x1000;
constexpr std::uint64_t dst = sram_base + 0x2000;

std::vector<std::uint32_t> copy_desc(std::uint32_t len, std::uint32_t cycles, std::uint32_t next = 0,
                                     std::uint64_t s = src, std::uint64_t d = dst) {
  return {1u, next, static_cast<std::uint32_t>(s), static_cast<std::uint32_t>(d), len, cycles};
}

struct accel_framework : ::testing::Test {
  registry kinds = test_kinds();
  accel_bench b{copy_instance(), kinds};
  void fill_src(std::size_t n) {
    std::vector<unsigned char> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<unsigned char>(i * 7 + 3);
    b.poke(src, v.data(), n);
  }
};

TEST_F(accel_framework, id_encodes_the_kind_and_registers_reset_to_zero) {
  EXPECT_EQ(b.rd(reg::id).value, 0xACCE7F01u);
  for (std::uint64_t off : {reg::ctrl, reg::status, reg::desc, reg::err_desc, reg::err_addr, reg::jobs,
                            reg::cycles_lo, reg::ops_lo})
    EXPECT_EQ(b.rd(off).value, 0u) << off;
}

TEST_F(accel_framework, bad_register_accesses_are_tlm_errors) {
  EXPECT_EQ(b.rd(0x30).status, tlm::TLM_ADDRESS_ERROR_RESPONSE);
  EXPECT_EQ(b.wr(reg::id, 1).status, tlm::TLM_COMMAND_ERROR_RESPONSE);
  EXPECT_EQ(b.wr(reg::jobs, 1).status, tlm::TLM_COMMAND_ERROR_RESPONSE);
  EXPECT_EQ(b.cpu.access(tlm::TLM_READ_COMMAND, accel_base + reg::status, 2).status,
            tlm::TLM_BURST_ERROR_RESPONSE);
}

TEST_F(accel_framework, a_job_copies_counts_and_raises_the_interrupt_at_its_end) {
  fill_src(256);
  b.poke_words(desc0, copy_desc(256, 100));
  b.wr(reg::desc, desc0);
  b.wr(reg::ctrl, 0x5);  // START | IRQ_EN
  // Busy right after START, no interrupt yet.
  EXPECT_EQ(b.status() & status_bits::busy, status_bits::busy);
  EXPECT_FALSE(b.irq);
  sc_core::sc_start(sc_time(1, sc_core::SC_MS));
  EXPECT_EQ(b.status(), status_bits::done);
  EXPECT_TRUE(b.irq);
  EXPECT_EQ(b.peek(dst, 256), b.peek(src, 256));
  EXPECT_EQ(b.rd(reg::jobs).value, 1u);
  EXPECT_EQ(b.rd(reg::ops_lo).value, 256u);
  EXPECT_EQ(b.rd(reg::ops_hi).value, 0u);
  // 100 compute cycles plus the DMA: descriptor (8 + 16 bytes) and 2 x 256 bytes in 64-byte bursts.
  const auto cycles = b.rd(reg::cycles_lo).value;
  EXPECT_GT(cycles, 100u);
  EXPECT_LT(cycles, 100u + 60u);
  // W1C DONE lowers the line.
  b.wr(reg::status, status_bits::done);
  EXPECT_FALSE(b.irq);
  EXPECT_EQ(b.status(), 0u);
  EXPECT_EQ(b.irq_edges, 1u);
}

TEST_F(accel_framework, status_turns_done_at_the_access_time_past_the_end_before_the_kernel_gets_there) {
  b.poke_words(desc0, copy_desc(64, 1000));  // 10 us of compute
  b.wr(reg::desc, desc0);
  b.wr(reg::ctrl, 0x1);
  EXPECT_EQ(b.rd(reg::status, sc_time(5, sc_core::SC_US)).value & status_bits::busy, status_bits::busy);
  EXPECT_EQ(b.rd(reg::status, sc_time(20, sc_core::SC_US)).value, status_bits::done);
}

TEST_F(accel_framework, no_interrupt_without_irq_enable) {
  b.poke_words(desc0, copy_desc(64, 1));
  b.wr(reg::desc, desc0);
  b.wr(reg::ctrl, 0x1);
  sc_core::sc_start(sc_time(1, sc_core::SC_MS));
  EXPECT_EQ(b.status(), status_bits::done);
  EXPECT_FALSE(b.irq);
  b.wr(reg::ctrl, 0x4);  // enabling it with DONE pending raises it
  EXPECT_TRUE(b.irq);
}

struct bad_case {
  const char* what;
  std::vector<std::uint32_t> desc;
  std::uint64_t desc_addr;
  error expected;
  std::uint64_t err_addr;
};

TEST_F(accel_framework, malformed_descriptors_give_their_error_code_and_an_interrupt) {
  const std::vector<bad_case> cases = {
      {"opcode 0", {0u, 0, 0, 0, 0, 0}, desc0, error::opcode, 0},
      {"unknown opcode", {9u, 0, 0, 0, 0, 0}, desc0, error::opcode, 0},
      {"unaligned descriptor", copy_desc(64, 1), desc0 + 2, error::align, desc0 + 2},
      {"unmapped descriptor", copy_desc(64, 1), 0x40000000, error::unmapped, 0x40000000},
      {"unaligned source", copy_desc(64, 1, 0, src + 1), desc0, error::align, src + 1},
      {"unmapped destination", copy_desc(64, 1, 0, src, 0x30000000), desc0, error::unmapped, 0x30000000},
      {"buffer past the end of SRAM", copy_desc(64, 1, 0, src, sram_base + sram_size - 32), desc0,
       error::unmapped, sram_base + sram_size - 32},
      {"zero length", copy_desc(0, 1), desc0, error::shape, 0},
      {"too long", copy_desc(8192, 1), desc0, error::shape, 0},
      {"flags",
       {0x101u, 0, static_cast<std::uint32_t>(src), static_cast<std::uint32_t>(dst), 64, 1},
       desc0,
       error::param,
       0},
      {"DMA write to ROM", copy_desc(64, 1, 0, src, rom_base + 0x100), desc0, error::dma, rom_base + 0x100},
      {"its own registers", copy_desc(16, 1, 0, src, accel_base), desc0, error::unmapped, accel_base},
  };
  for (const bad_case& c : cases) {
    SCOPED_TRACE(c.what);
    b.wr(reg::status, status_bits::done | status_bits::error);
    if (c.desc_addr >= sram_base && c.desc_addr < sram_base + sram_size) b.poke_words(c.desc_addr, c.desc);
    const unsigned edges = b.irq_edges;
    b.run(c.desc_addr, sc_time(100, sc_core::SC_US));
    const std::uint32_t s = b.status();
    EXPECT_EQ(s & (status_bits::done | status_bits::error | status_bits::busy),
              status_bits::done | status_bits::error);
    EXPECT_EQ((s >> 8) & 0xFF, static_cast<unsigned>(c.expected));
    EXPECT_EQ(b.rd(reg::err_desc).value, static_cast<std::uint32_t>(c.desc_addr));
    EXPECT_EQ(b.rd(reg::err_addr).value, static_cast<std::uint32_t>(c.err_addr));
    EXPECT_EQ(b.irq_edges, edges + 1);
  }
  // Still works afterwards.
  b.wr(reg::status, status_bits::done | status_bits::error);
  fill_src(64);
  b.poke_words(desc0, copy_desc(64, 1));
  b.run(desc0);
  EXPECT_EQ(b.status(), status_bits::done);
  EXPECT_EQ(b.peek(dst, 64), b.peek(src, 64));
}

TEST_F(accel_framework, a_chain_runs_in_order_and_stops_at_the_first_error) {
  fill_src(128);
  const std::uint64_t d1 = desc0 + 0x40, d2 = desc0 + 0x80;
  b.poke_words(desc0, copy_desc(64, 1, static_cast<std::uint32_t>(d1), src, dst));
  b.poke_words(d1, copy_desc(64, 1, static_cast<std::uint32_t>(d2), src + 64, dst + 64));
  b.poke_words(d2, {7u, 0, 0, 0, 0, 0});  // bad opcode
  b.run(desc0);
  EXPECT_EQ(b.err_code(), static_cast<unsigned>(error::opcode));
  EXPECT_EQ(b.rd(reg::err_desc).value, static_cast<std::uint32_t>(d2));
  EXPECT_EQ(b.rd(reg::jobs).value, 2u);
  EXPECT_EQ(b.peek(dst, 128), b.peek(src, 128));
}

TEST_F(accel_framework, a_descriptor_loop_is_a_chain_error_not_a_hang) {
  b.poke_words(desc0, copy_desc(4, 0, static_cast<std::uint32_t>(desc0)));
  b.run(desc0, sc_time(1, sc_core::SC_SEC));
  EXPECT_EQ(b.err_code(), static_cast<unsigned>(error::chain));
  EXPECT_EQ(b.rd(reg::jobs).value, static_cast<std::uint32_t>(edgevp::accel::max_chain));
}

TEST_F(accel_framework, start_while_busy_is_reported_and_the_running_job_finishes) {
  fill_src(64);
  b.poke_words(desc0, copy_desc(64, 10000));  // 100 us
  b.wr(reg::desc, desc0);
  b.wr(reg::ctrl, 0x5);
  b.wr(reg::ctrl, 0x5, sc_time(1, sc_core::SC_US));
  EXPECT_TRUE(b.irq);  // the refusal interrupts at once
  const std::uint32_t s = b.rd(reg::status, sc_time(2, sc_core::SC_US)).value;
  EXPECT_EQ(s & (status_bits::busy | status_bits::error), status_bits::busy | status_bits::error);
  EXPECT_EQ((s >> 8) & 0xFF, static_cast<unsigned>(error::busy));
  sc_core::sc_start(sc_time(1, sc_core::SC_MS));
  EXPECT_EQ(b.status() & (status_bits::done | status_bits::busy), status_bits::done);
  EXPECT_EQ(b.rd(reg::jobs).value, 1u);
  EXPECT_EQ(b.peek(dst, 64), b.peek(src, 64));
}

TEST_F(accel_framework, soft_reset_abandons_the_job_and_clears_the_counters) {
  b.poke_words(desc0, copy_desc(64, 10000));
  b.run(desc0, sc_time(1, sc_core::SC_MS));
  EXPECT_EQ(b.rd(reg::jobs).value, 1u);
  b.wr(reg::ctrl, 0x5);  // another job
  b.wr(reg::ctrl, 0x2);  // RESET while busy
  EXPECT_EQ(b.status(), 0u);
  EXPECT_EQ(b.rd(reg::jobs).value, 0u);
  EXPECT_EQ(b.rd(reg::cycles_lo).value, 0u);
  EXPECT_EQ(b.rd(reg::ctrl).value, 0u);
  sc_core::sc_start(sc_time(1, sc_core::SC_MS));
  EXPECT_EQ(b.status(), 0u);  // the abandoned job never completes
  EXPECT_FALSE(b.irq);
}

TEST_F(accel_framework, dma_bursts_pay_their_beats_and_contend_with_other_initiators) {
  // Without a job, a CPU read of SRAM costs the hop only.
  const sc_time idle =
      b.cpu.access(tlm::TLM_READ_COMMAND, sram_base + 0x8000, 4, 0, sc_time(1, sc_core::SC_US)).delay;
  EXPECT_LT(idle, sc_time(10, SC_NS));
  // A 4 KiB copy: 2 x 64 bursts of 64 bytes, each 7 bus cycles past its first beat.
  fill_src(4096);
  b.poke_words(desc0, copy_desc(4096, 0));
  b.wr(reg::desc, desc0);
  b.wr(reg::ctrl, 0x1);
  EXPECT_GT(b.bus.ranges()[2].stats.transactions, 2u * 4096u / 64u - 1u);
  // The CPU's read at 1 us, in the middle of the DMA traffic, waits for the burst the SRAM is
  // serving (at most 72 ns) and slips in before the next one.
  const sc_time busy =
      b.cpu.access(tlm::TLM_READ_COMMAND, sram_base + 0x8000, 4, 0, sc_time(1, sc_core::SC_US)).delay;
  EXPECT_GT(busy, idle);
  EXPECT_LE(busy, idle + sc_time(72, SC_NS));
  sc_core::sc_start(sc_time(1, sc_core::SC_MS));
  EXPECT_GE(b.rd(reg::cycles_lo).value, 2u * 64u * 7u);
}

TEST_F(accel_framework, cycles_count_at_the_clock_the_job_was_planned_with) {
  b.poke_words(desc0, copy_desc(64, 1000));
  b.wr(reg::desc, desc0);
  b.wr(reg::ctrl, 0x1);
  b.clock.set_hz(25e6);  // DVFS during the job
  sc_core::sc_start(sc_time(1, sc_core::SC_MS));
  const auto cycles = b.rd(reg::cycles_lo).value;
  EXPECT_GE(cycles, 1000u);
  EXPECT_LT(cycles, 1000u + 60u);
}

TEST_F(accel_framework, power_off_refuses_accesses_and_loses_the_registers) {
  b.wr(reg::ctrl, 0x4);
  b.monitor.set_state(*b.domain, edgevp::core::power::state::off, sc_core::sc_time_stamp());
  EXPECT_EQ(b.rd(reg::ctrl).status, tlm::TLM_GENERIC_ERROR_RESPONSE);
  b.monitor.set_state(*b.domain, edgevp::core::power::state::on, sc_core::sc_time_stamp());
  EXPECT_EQ(b.rd(reg::ctrl).value, 0u);
}

TEST_F(accel_framework, energy_counts_events_and_operations) {
  fill_src(512);
  b.poke_words(desc0, copy_desc(512, 0));
  b.run(desc0);
  b.monitor.checkpoint(sc_core::sc_time_stamp());
  EXPECT_EQ(b.dev->power().operations(), 512u);
  EXPECT_EQ(b.dev->operations(), 512u);
  EXPECT_GT(b.dev->power().energy_aj(), 512 * 1000);  // 1 fJ per byte, plus leakage and accesses
}

TEST(accel_registry, make_fills_defaults_and_rejects_unknown_kinds_and_keys) {
  const registry kinds = test_kinds();
  instance i = copy_instance();
  i.kind = "nope";
  EXPECT_THROW((void)kinds.make(i), edgevp::core::config_error);
  i = copy_instance();
  i.params.set("bogus", edgevp::core::param_value::of(std::uint64_t{1}));
  EXPECT_THROW((void)kinds.make(i), edgevp::core::config_error);
  i = copy_instance();
  i.power_overrides["nope"] = 1e-12;
  EXPECT_THROW((void)kinds.make(i), edgevp::core::config_error);
  auto dev = kinds.make(copy_instance());
  EXPECT_EQ(dev->config().integer("depth"), 4u);
  registry twice = test_kinds();
  EXPECT_THROW(twice.add(kinds.kinds().front()), std::logic_error);
}

TEST(accel_registry, builtin_kinds_are_listed) {
  const registry& r = registry::builtin();
  ASSERT_NE(r.find("cim-digital"), nullptr);
  ASSERT_NE(r.find("cim-analog"), nullptr);
  ASSERT_NE(r.find("snn"), nullptr);
  EXPECT_EQ(r.names(), "cgra, cim-analog, cim-digital, snn, tta");
}

}  // namespace

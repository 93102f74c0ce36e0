// Bench for the interrupt controller: pending, enable, claim / complete, level semantics, meip.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "models/core/errors.h"
#include "models/core/irq.h"
#include "models/peripherals/intc.h"
#include "tests/unit/tlm_helpers.h"

namespace {

using edgevp::peripherals::intc;
using edgevp::peripherals::intc_config;

enum : std::uint64_t { PENDING = 0x0, ENABLE = 0x4, CLAIM = 0x8 };

struct bench {
  intc dut;
  edgevp::test::initiator bus{"bus", dut.in};
  explicit bench(const intc_config& cfg = intc_config{}) : dut("intc", cfg) {}
  std::uint64_t claim() { return bus.read32(CLAIM).value; }
  void complete(std::uint64_t id) { bus.write32(CLAIM, id); }
};

TEST(intc, reset_values) {
  bench b;
  EXPECT_EQ(b.bus.read32(PENDING).value, 0u);
  EXPECT_EQ(b.bus.read32(ENABLE).value, 0u);
  EXPECT_EQ(b.claim(), 0u);
  EXPECT_FALSE(b.dut.irq.level());
}

TEST(intc, pending_follows_the_source_lines) {
  bench b;
  b.dut.set_source(1, true);
  b.dut.set_source(31, true);
  EXPECT_EQ(b.bus.read32(PENDING).value, 0x80000002u);
  b.dut.set_source(1, false);
  EXPECT_EQ(b.bus.read32(PENDING).value, 0x80000000u);
  EXPECT_FALSE(b.dut.irq.level());  // nothing enabled
}

TEST(intc, enable_masks_and_drops_source_0) {
  bench b;
  EXPECT_EQ(b.bus.write32(ENABLE, 0xFFFFFFFF).status, tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(b.bus.read32(ENABLE).value, 0xFFFFFFFEu);
  intc_config small;
  small.sources = 4;
  bench s(small);
  s.bus.write32(ENABLE, 0xFF);
  EXPECT_EQ(s.bus.read32(ENABLE).value, 0x0Eu);
}

TEST(intc, meip_needs_pending_and_enabled) {
  bench b;
  b.dut.set_source(3, true);
  EXPECT_FALSE(b.dut.irq.level());
  b.bus.write32(ENABLE, 1u << 3);
  EXPECT_TRUE(b.dut.irq.level());
  b.bus.write32(ENABLE, 0);
  EXPECT_FALSE(b.dut.irq.level());
  b.bus.write32(ENABLE, 1u << 3);
  b.dut.set_source(3, false);
  EXPECT_FALSE(b.dut.irq.level());
}

TEST(intc, claim_returns_the_lowest_and_complete_releases) {
  bench b;
  b.bus.write32(ENABLE, 0xFFFFFFFE);
  b.dut.set_source(7, true);
  b.dut.set_source(2, true);
  EXPECT_EQ(b.claim(), 2u);
  EXPECT_TRUE(b.dut.irq.level());  // 7 is still deliverable
  EXPECT_EQ(b.claim(), 7u);
  EXPECT_FALSE(b.dut.irq.level());  // both claimed
  EXPECT_EQ(b.claim(), 0u);
  EXPECT_EQ(b.dut.claimed(), (1u << 2) | (1u << 7));
  b.dut.set_source(2, false);  // the handler served the device
  b.complete(2);
  EXPECT_FALSE(b.dut.irq.level());
  EXPECT_EQ(b.dut.claimed(), 1u << 7);
  b.complete(7);  // 7's line is still high: level-triggered, it interrupts again
  EXPECT_TRUE(b.dut.irq.level());
  EXPECT_EQ(b.claim(), 7u);
}

TEST(intc, claim_skips_disabled_sources) {
  bench b;
  b.dut.set_source(1, true);
  b.dut.set_source(5, true);
  b.bus.write32(ENABLE, 1u << 5);
  EXPECT_EQ(b.claim(), 5u);
  EXPECT_EQ(b.claim(), 0u);
}

TEST(intc, claimed_source_stays_claimed_when_its_line_toggles) {
  bench b;
  b.bus.write32(ENABLE, 1u << 4);
  b.dut.set_source(4, true);
  EXPECT_EQ(b.claim(), 4u);
  b.dut.set_source(4, false);
  b.dut.set_source(4, true);
  EXPECT_FALSE(b.dut.irq.level());
  EXPECT_EQ(b.claim(), 0u);
  b.complete(4);
  EXPECT_TRUE(b.dut.irq.level());
}

TEST(intc, completing_an_unclaimed_or_bogus_id_is_ignored) {
  bench b;
  b.bus.write32(ENABLE, 1u << 4);
  b.dut.set_source(4, true);
  EXPECT_EQ(b.claim(), 4u);
  EXPECT_EQ(b.bus.write32(CLAIM, 9).status, tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(b.bus.write32(CLAIM, 1000).status, tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(b.dut.claimed(), 1u << 4);
  EXPECT_FALSE(b.dut.irq.level());
}

TEST(intc, out_of_range_source_is_ignored) {
  intc_config cfg;
  cfg.sources = 8;
  bench b(cfg);
  b.bus.write32(ENABLE, 0xFF);
  b.dut.set_source(0, true);  // reserved
  b.dut.set_source(8, true);  // does not exist
  b.dut.set_source(1000, true);
  EXPECT_EQ(b.bus.read32(PENDING).value, 0u);
  EXPECT_FALSE(b.dut.irq.level());
}

TEST(intc, irq_lines_bind_as_sources) {
  bench b;
  edgevp::core::irq_line uart_irq("uart_irq");
  uart_irq.bind(b.dut.source(1));
  b.bus.write32(ENABLE, 1u << 1);
  uart_irq.raise();
  EXPECT_TRUE(b.dut.irq.level());
  EXPECT_EQ(b.bus.read32(PENDING).value, 2u);
  uart_irq.lower();
  EXPECT_FALSE(b.dut.irq.level());
}

TEST(intc, meip_sink_sees_every_change) {
  bench b;
  std::vector<bool> seen;
  b.dut.irq.bind([&seen](bool level) { seen.push_back(level); });
  b.bus.write32(ENABLE, 1u << 2);
  b.dut.set_source(2, true);
  b.claim();
  b.complete(2);
  EXPECT_EQ(seen, (std::vector<bool>{true, false, true}));
}

TEST(intc, reset_releases_claims_but_keeps_the_lines) {
  bench b;
  b.bus.write32(ENABLE, 1u << 6);
  b.dut.set_source(6, true);
  EXPECT_EQ(b.claim(), 6u);
  b.dut.reset();
  EXPECT_EQ(b.dut.claimed(), 0u);
  EXPECT_EQ(b.bus.read32(ENABLE).value, 0u);
  EXPECT_EQ(b.bus.read32(PENDING).value, 1u << 6);  // the wire is still high
  b.bus.write32(ENABLE, 1u << 6);
  EXPECT_TRUE(b.dut.irq.level());
}

TEST(intc, debug_access_has_no_side_effects_but_enable_takes_effect) {
  bench b;
  b.dut.set_source(3, true);
  std::uint32_t en = 1u << 3;
  EXPECT_EQ(b.bus.debug_write(ENABLE, &en, 4), 4u);
  EXPECT_TRUE(b.dut.irq.level());
  std::uint32_t v = 0;
  EXPECT_EQ(b.bus.debug_read(CLAIM, &v, 4), 4u);
  EXPECT_EQ(b.dut.claimed(), 0u);  // a debug read does not claim
  std::uint32_t fake = 0;
  b.bus.debug_write(PENDING, &fake, 4);
  EXPECT_EQ(b.bus.read32(PENDING).value, 1u << 3);  // the wires win
}

TEST(intc, bad_accesses_are_answered) {
  bench b;
  EXPECT_EQ(b.bus.write32(PENDING, 1).status, tlm::TLM_COMMAND_ERROR_RESPONSE);
  EXPECT_EQ(b.bus.read8(CLAIM).status, tlm::TLM_BURST_ERROR_RESPONSE);
  EXPECT_EQ(b.bus.read32(0xC).status, tlm::TLM_ADDRESS_ERROR_RESPONSE);
}

TEST(intc, bad_source_count_is_a_configuration_error) {
  intc_config cfg;
  cfg.sources = 33;
  EXPECT_THROW(intc("i", cfg), edgevp::core::config_error);
}

}  // namespace

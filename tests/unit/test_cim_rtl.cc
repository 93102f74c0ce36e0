// Bench for the digital CIM's RTL implementation (rtl/edgevp_cim_digital.sv behind the AXI bridges,
// models/rtl/cim_digital_rtl.cc): the TLM model and the RTL side by side in one kernel, fed the
// same jobs, must leave the same memory, status, error registers, counters and interrupts, with
// each job's cycles within the documented co-verification tolerance (docs/rtl.md). Also: bad
// register accesses, configurations the RTL was not built for, power-off, and lockstep catching
// the RTL's test-only fault switch.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <map>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "models/core/errors.h"
#include "models/rtl/implementations.h"
#include "tests/unit/accel_bench.h"
#include "tests/unit/cim_descriptors.h"

namespace {

using edgevp::accel::error;
using edgevp::accel::instance;
using namespace edgevp::test;
using namespace edgevp::test::cim_desc;
namespace status_bits = edgevp::accel::status_bits;
namespace ctrl_bits = edgevp::accel::ctrl_bits;

// The documented tolerance of a job's cycles, RTL against TLM (docs/rtl.md, coverify defaults).
constexpr double cycle_tolerance = 0.2;
constexpr double cycle_slack = 16;

instance make(const std::string& impl) {
  instance i;
  i.name = "cim";
  i.kind = "cim-digital";
  i.impl = impl;
  return i;
}

void map_memories(accel_bench& b) { b.dev->set_dma_regions({{rom_base, rom_size}, {sram_base, sram_size}}); }

// The TLM model and the RTL, fed alike.
struct pair_bench {
  accel_bench tlm{make("tlm"), edgevp::rtl::kinds(), "_tlm", false};
  accel_bench rtl{make("rtl"), edgevp::rtl::kinds(), "_rtl", true};
  pair_bench() {
    map_memories(tlm);
    map_memories(rtl);
  }
  void poke(std::uint64_t a, const void* d, std::size_t n) {
    tlm.poke(a, d, n);
    rtl.poke(a, d, n);
  }
  void poke_words(std::uint64_t a, const std::vector<std::uint32_t>& w) { poke(a, w.data(), 4 * w.size()); }
  // START at `desc` on both, run the kernel until both are done, compare what can be read.
  void run_and_compare(std::uint64_t desc, const std::string& what) {
    SCOPED_TRACE(what);
    for (accel_bench* b : {&tlm, &rtl}) {
      b->wr(reg::status, status_bits::done | status_bits::error);
      b->wr(reg::desc, static_cast<std::uint32_t>(desc));
      b->wr(reg::ctrl, ctrl_bits::start | ctrl_bits::irq_en);
    }
    sc_core::sc_start(sc_core::sc_time(2, sc_core::SC_MS));
    for (std::uint64_t r : {reg::status, reg::err_desc, reg::err_addr, reg::jobs, reg::ops_lo, reg::ops_hi})
      EXPECT_EQ(rtl.rd(r).value, tlm.rd(r).value) << "register 0x" << std::hex << r;
    EXPECT_EQ(rtl.irq_edges, tlm.irq_edges);
    EXPECT_EQ(rtl.irq, tlm.irq);
    const double t = static_cast<double>(tlm.dev->last_job().cycles);
    const double r = static_cast<double>(rtl.dev->last_job().cycles);
    EXPECT_LE(std::fabs(r - t), cycle_tolerance * t + cycle_slack) << "cycles: rtl " << r << ", tlm " << t;
    EXPECT_EQ(rtl.dev->last_job().err, tlm.dev->last_job().err);
    EXPECT_EQ(rtl.dev->last_job().descriptors, tlm.dev->last_job().descriptors);
    ++jobs;
  }
  void expect_same_memory(std::uint64_t a, std::size_t n) {
    const auto x = tlm.peek(a, n);
    const auto y = rtl.peek(a, n);
    for (std::size_t i = 0; i < n; ++i)
      ASSERT_EQ(int(y[i]), int(x[i])) << "memory 0x" << std::hex << a + i;
  }
  unsigned jobs = 0;
};

TEST(cim_rtl, identifies_itself_with_the_model_s_registers) {
  pair_bench p;
  for (std::uint64_t off : {0x00ull, 0x08ull, 0x40ull, 0x44ull, 0x48ull, 0x54ull})
    EXPECT_EQ(p.rtl.rd(off).value, p.tlm.rd(off).value) << "offset 0x" << std::hex << off;
  EXPECT_EQ(p.rtl.rd(reg::id).value, 0xACCE0101u);
}

TEST(cim_rtl, stands_beside_the_model_behind_the_device_interface) {
  // The registry builds either as an accel::device; only the model runs the TLM job engine and
  // declares the contract's registers (the RTL serves them through its AXI4-Lite bridge).
  pair_bench p;
  EXPECT_NE(dynamic_cast<edgevp::accel::accelerator*>(p.tlm.dev.get()), nullptr);
  EXPECT_EQ(dynamic_cast<edgevp::accel::accelerator*>(p.rtl.dev.get()), nullptr);
  EXPECT_EQ(p.tlm.dev->contract_registers(), 11u);
  EXPECT_EQ(p.rtl.dev->contract_registers(), 0u);
  EXPECT_TRUE(p.rtl.dev->registers().empty());
}

TEST(cim_rtl, random_jobs_are_bit_exact_with_the_model) {
  pair_bench p;
  std::mt19937 g(2024);
  auto pick = [&g](unsigned lo, unsigned hi) { return lo + static_cast<unsigned>(g() % (hi - lo + 1)); };
  for (int n = 0; n < 12; ++n) {
    // A LOAD of a random tile, then MVMs over windows of it.
    const unsigned w_bits = pick(0, 1) != 0 ? 8 : 4;
    const unsigned row0 = pick(0, 128), rows = pick(1, 256 - row0);
    const unsigned col0 = pick(0, 128), cols = pick(1, 256 - col0);
    const auto w = random_bytes(std::size_t{rows} * cols, g());
    p.poke(w_addr, w.data(), w.size());
    p.poke_words(desc_addr, load_desc(row0, rows, col0, cols, w_bits, rows));
    p.run_and_compare(desc_addr, "load " + std::to_string(n));
    for (int m = 0; m < 2; ++m) {
      mvm_args a;
      a.row0 = row0;
      a.rows = pick(1, rows);
      a.col0 = col0;
      a.cols = pick(1, cols);
      a.batch = pick(1, 6);
      a.in_bits = pick(0, 1) != 0 ? 8 : 4;
      a.out32 = pick(0, 1) != 0;
      a.relu = !a.out32 && pick(0, 1) != 0;
      a.bias = pick(0, 1) != 0;
      a.in_stride = a.rows + pick(0, 9);
      a.out_stride = a.out32 ? 4 * a.cols + 4 * pick(0, 3) : a.cols + pick(0, 5);
      a.scale = static_cast<std::int32_t>(g() % 40000);
      a.shift = pick(0, 24);
      const auto x = random_bytes(std::size_t{a.in_stride} * a.batch, g());
      p.poke(in_addr, x.data(), x.size());
      const auto bias = random_bytes(4 * 256, g());
      p.poke(bias_addr, bias.data(), bias.size());
      const std::size_t out_len = std::size_t{a.out_stride} * a.batch + 8;
      const std::vector<unsigned char> fill(out_len, 0x5A);
      p.poke(out_addr, fill.data(), fill.size());
      p.poke_words(desc_addr, mvm_desc(a));
      p.run_and_compare(desc_addr, "mvm " + std::to_string(n) + "." + std::to_string(m));
      p.expect_same_memory(out_addr, out_len);
    }
  }
  EXPECT_EQ(p.jobs, 36u);
  EXPECT_EQ(p.rtl.dev->operations(), p.tlm.dev->operations());
  EXPECT_GT(p.rtl.dev->operations(), 0u);
}

TEST(cim_rtl, a_chain_runs_as_one_job_with_one_interrupt) {
  pair_bench p;
  const auto w = random_bytes(64 * 32, 5);
  p.poke(w_addr, w.data(), w.size());
  auto load = load_desc(0, 64, 0, 32, 8, 64);
  mvm_args a;
  a.rows = 64;
  a.cols = 32;
  a.batch = 3;
  a.in_stride = 64;
  a.out_stride = 32;
  a.shift = 8;
  a.scale = 3;
  auto mvm = mvm_desc(a);
  load[1] = static_cast<std::uint32_t>(desc_addr + 0x40);  // next
  const auto x = random_bytes(64 * 3, 6);
  p.poke(in_addr, x.data(), x.size());
  p.poke_words(desc_addr, load);
  p.poke_words(desc_addr + 0x40, mvm);
  p.run_and_compare(desc_addr, "chain");
  p.expect_same_memory(out_addr, 32 * 3);
  EXPECT_EQ(p.rtl.rd(reg::jobs).value, 2u);
  EXPECT_EQ(p.rtl.irq_edges, 1u);
}

TEST(cim_rtl, malformed_descriptors_get_the_model_s_error_codes) {
  pair_bench p;
  mvm_args ok;
  ok.rows = 16;
  ok.cols = 16;
  ok.in_stride = 16;
  ok.out_stride = 16;
  auto with = [&](auto change) {
    mvm_args a = ok;
    change(a);
    return mvm_desc(a);
  };
  const std::vector<std::pair<std::string, std::vector<std::uint32_t>>> cases = {
      {"shape", with([](mvm_args& a) { a.row0 = 250; })},
      {"batch 0", with([](mvm_args& a) { a.batch = 0; })},
      {"precision", with([](mvm_args& a) { a.in_bits = 6; })},
      {"adc_shift", with([](mvm_args& a) { a.adc_shift = 1; })},
      {"align", with([](mvm_args& a) {
         a.out32 = true;
         a.out_stride = 66;
       })},
      {"unmapped output", [&] {
         auto d = mvm_desc(ok);
         d[4] = 0x40000000;
         return d;
       }()},
      {"opcode", std::vector<std::uint32_t>{7, 0, 0, 0, 0, 0, 0, 0}},
      {"load precision", load_desc(0, 16, 0, 16, 2, 16)},
  };
  for (const auto& [name, d] : cases) {
    p.poke_words(desc_addr, d);
    p.run_and_compare(desc_addr, name);
    EXPECT_NE(p.rtl.rd(reg::status).value & status_bits::error, 0u) << name;
  }
  // A descriptor pointer outside memory and a misaligned one.
  p.run_and_compare(0x40000000, "unmapped descriptor");
  p.run_and_compare(desc_addr + 2, "misaligned descriptor");
  EXPECT_EQ((p.rtl.rd(reg::status).value >> 8) & 0xFF, unsigned(error::align));
}

TEST(cim_rtl, bad_register_accesses_get_tlm_errors_not_aborts) {
  accel_bench b(make("rtl"), edgevp::rtl::kinds());
  map_memories(b);
  EXPECT_EQ(b.rd(0x0FFC).status, tlm::TLM_ADDRESS_ERROR_RESPONSE);  // no register there
  EXPECT_EQ(b.cpu.access(tlm::TLM_READ_COMMAND, accel_base, 8).status, tlm::TLM_BURST_ERROR_RESPONSE);
  EXPECT_EQ(b.cpu.access(tlm::TLM_READ_COMMAND, accel_base + 2, 4).status, tlm::TLM_BURST_ERROR_RESPONSE);
  EXPECT_NE(b.wr(reg::id, 1).status, tlm::TLM_OK_RESPONSE);  // read-only
  EXPECT_EQ(b.rd(reg::id).value, 0xACCE0101u);                // and still answering
}

TEST(cim_rtl, configurations_the_rtl_was_not_built_for_are_named) {
  instance i = make("rtl");
  i.params.set("rows", edgevp::core::param_value::of(std::uint64_t{128}));
  try {
    (void)edgevp::rtl::kinds().make(i);
    FAIL() << "a 128-row RTL was built";
  } catch (const edgevp::core::config_error& e) {
    EXPECT_NE(std::string(e.what()).find("256 x 256"), std::string::npos) << e.what();
  }
  instance a = make("rtl");
  a.kind = "cim-analog";
  try {
    (void)edgevp::rtl::kinds().make(a);
    FAIL() << "an analog RTL was built";
  } catch (const edgevp::core::config_error& e) {
    EXPECT_NE(std::string(e.what()).find("no RTL implementation"), std::string::npos) << e.what();
  }
}

TEST(cim_rtl, power_off_loses_the_weights_like_the_model) {
  pair_bench p;
  const std::vector<std::int8_t> w(16 * 4, 3);
  p.poke(w_addr, w.data(), w.size());
  p.poke_words(desc_addr, load_desc(0, 16, 0, 4, 8, 16));
  p.run_and_compare(desc_addr, "load");
  mvm_args a;
  a.rows = 16;
  a.cols = 4;
  a.in_stride = 16;
  a.out_stride = 16;
  a.out32 = true;
  const std::vector<std::int8_t> x(16, 1);
  p.poke(in_addr, x.data(), x.size());
  p.poke_words(desc_addr, mvm_desc(a));
  p.run_and_compare(desc_addr, "before");
  EXPECT_EQ(p.rtl.peek(out_addr, 1)[0], 48);
  for (accel_bench* b : {&p.tlm, &p.rtl}) {
    b->monitor.set_state(*b->domain, edgevp::core::power::state::off, sc_core::sc_time_stamp());
    EXPECT_NE(b->rd(reg::id).status, tlm::TLM_OK_RESPONSE);  // a domain that is off does not answer
    b->monitor.set_state(*b->domain, edgevp::core::power::state::on, sc_core::sc_time_stamp());
  }
  EXPECT_EQ(p.rtl.rd(reg::status).value, 0u);  // reset
  p.run_and_compare(desc_addr, "after");
  EXPECT_EQ(p.rtl.peek(out_addr, 1)[0], 0);
  p.expect_same_memory(out_addr, 16);
}

TEST(cim_rtl, energy_is_counted_from_the_rtl_s_activity_like_the_model) {
  pair_bench p;
  const auto w = random_bytes(256 * 256, 3);
  p.poke(w_addr, w.data(), w.size());
  p.poke_words(desc_addr, load_desc(0, 256, 0, 256, 8, 256));
  p.run_and_compare(desc_addr, "load");
  mvm_args a;
  a.rows = 256;
  a.cols = 256;
  a.batch = 4;
  a.in_stride = 256;
  a.out_stride = 256;
  a.in_bits = 4;
  const auto x = random_bytes(256 * 4, 4);
  p.poke(in_addr, x.data(), x.size());
  p.poke_words(desc_addr, mvm_desc(a));
  p.run_and_compare(desc_addr, "mvm");
  for (accel_bench* b : {&p.tlm, &p.rtl}) b->monitor.checkpoint(sc_core::sc_time_stamp());
  std::map<std::string, std::uint64_t> tlm_events;
  for (const auto& s : p.tlm.dev->power().sources()) tlm_events[s.name] = s.events;
  unsigned compared = 0;
  for (const auto& s : p.rtl.dev->power().sources()) {
    if (s.name == "mac_i4w8" || s.name == "row_write") {
      EXPECT_EQ(s.events, tlm_events[s.name]) << s.name;
      EXPECT_GT(s.events, 0u) << s.name;
      ++compared;
    }
  }
  EXPECT_EQ(compared, 2u);
}

TEST(cim_rtl, lockstep_passes_agreeing_jobs_and_stops_at_the_fault_switch) {
  instance good = make("lockstep");
  instance bad = make("lockstep");
  bad.rtl_fault = true;
  accel_bench g(good, edgevp::rtl::kinds(), "_good", false);
  accel_bench f(bad, edgevp::rtl::kinds(), "_bad", true);
  std::vector<std::string> reports[2];
  g.dev->on_mismatch = [&](const std::string& r) { reports[0].push_back(r); };
  f.dev->on_mismatch = [&](const std::string& r) { reports[1].push_back(r); };
  const auto w = random_bytes(32 * 8, 9);
  const auto x = random_bytes(32, 10);
  mvm_args a;
  a.rows = 32;
  a.cols = 8;
  a.in_stride = 32;
  a.out_stride = 8;
  a.shift = 6;
  a.scale = 1;
  for (accel_bench* b : {&g, &f}) {
    map_memories(*b);
    b->poke(w_addr, w.data(), w.size());
    b->poke(in_addr, x.data(), x.size());
    b->poke_words(desc_addr, load_desc(0, 32, 0, 8, 8, 32));
    b->poke_words(desc_addr + 0x40, mvm_desc(a));
  }
  for (std::uint64_t d : {desc_addr, desc_addr + 0x40}) {
    for (accel_bench* b : {&g, &f}) {
      b->wr(reg::status, status_bits::done);
      b->wr(reg::desc, static_cast<std::uint32_t>(d));
      b->wr(reg::ctrl, ctrl_bits::start);
    }
    sc_core::sc_start(sc_core::sc_time(1, sc_core::SC_MS));
  }
  EXPECT_TRUE(reports[0].empty()) << reports[0].front();
  ASSERT_EQ(reports[1].size(), 1u);
  // The report names the job, the first differing address and both values.
  const std::string& r = reports[1][0];
  EXPECT_NE(r.find("job 2"), std::string::npos) << r;
  char addr[32];
  std::snprintf(addr, sizeof(addr), "memory 0x%llx: rtl 0x", static_cast<unsigned long long>(out_addr));
  EXPECT_NE(r.find(addr), std::string::npos) << r;
  EXPECT_NE(r.find(", tlm 0x"), std::string::npos) << r;
  // The fault flips one bit of the first output byte.
  EXPECT_EQ(f.peek(out_addr, 1)[0] ^ g.peek(out_addr, 1)[0], 1);
}

}  // namespace

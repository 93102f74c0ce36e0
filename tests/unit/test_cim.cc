// Bench for the CIM accelerators (models/accelerators/cim/): the digital kind bit-exact against a
// reference written here from docs/models/cim.md, its validation, timing and energy; the analog
// kind exact with noise off, its noise statistics against CALIBRATION.md's fit, determinism,
// ADC clipping, non-volatility, endurance and periphery energy.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <map>
#include <vector>

#include "models/accelerators/cim/cim.h"
#include "tests/unit/accel_bench.h"
#include "tests/unit/cim_descriptors.h"

namespace {

using edgevp::accel::error;
using edgevp::accel::instance;
using edgevp::core::param_spec;
namespace cim_regs = edgevp::accel::cim::regs;
using namespace edgevp::test;
using namespace edgevp::test::cim_desc;
namespace status_bits = edgevp::accel::status_bits;
using sc_core::sc_time;

instance make(const char* kind) {
  instance i;
  i.name = "cim";
  i.kind = kind;
  return i;
}

// The reference, from the documentation.
std::int32_t sext(std::uint8_t v, unsigned bits) {
  const int m = 1 << bits;
  int x = v & (m - 1);
  return x >= m / 2 ? x - m : x;
}
std::int8_t requant(std::int64_t acc, std::int32_t scale, unsigned shift, bool relu) {
  __extension__ using i128 = __int128;
  i128 y = static_cast<i128>(acc) * scale;
  if (shift > 0) y = (y + (static_cast<i128>(1) << (shift - 1))) >> shift;
  if (relu && y < 0) y = 0;
  return static_cast<std::int8_t>(y < -128 ? -128 : y > 127 ? 127 : static_cast<int>(y));
}

struct cim_fixture {
  accel_bench b;
  explicit cim_fixture(const instance& i, const std::string& tag = "", bool start = true)
      : b(i, edgevp::accel::registry::builtin(), tag, start) {}

  void load(const std::vector<std::int8_t>& w, unsigned row0, unsigned rows, unsigned col0, unsigned cols,
            unsigned w_bits) {
    b.poke(w_addr, w.data(), w.size());
    b.poke_words(desc_addr, load_desc(row0, rows, col0, cols, w_bits, rows));
    b.run(desc_addr);
    ASSERT_EQ(b.status(), status_bits::done) << "LOAD failed, code " << b.err_code();
    b.wr(reg::status, status_bits::done);
  }
  // Runs an MVM; returns the outputs as int64 (int8 or int32 read back).
  std::vector<std::int64_t> mvm(const mvm_args& a, const std::vector<std::int8_t>& x,
                                const std::vector<std::int32_t>& bias = {}) {
    b.poke(in_addr, x.data(), x.size());
    if (!bias.empty()) b.poke(bias_addr, bias.data(), 4 * bias.size());
    b.poke_words(desc_addr, mvm_desc(a));
    b.run(desc_addr);
    EXPECT_EQ(b.status(), status_bits::done) << "MVM failed, code " << b.err_code();
    b.wr(reg::status, status_bits::done);
    std::vector<std::int64_t> y;
    const unsigned elem = a.out32 ? 4 : 1;
    for (unsigned v = 0; v < a.batch; ++v) {
      const auto bytes = b.peek(out_addr + std::uint64_t{v} * a.out_stride, std::size_t{a.cols} * elem);
      for (unsigned c = 0; c < a.cols; ++c) {
        if (a.out32) {
          std::int32_t w;
          std::memcpy(&w, bytes.data() + 4 * c, 4);
          y.push_back(w);
        } else {
          y.push_back(static_cast<std::int8_t>(bytes[c]));
        }
      }
    }
    return y;
  }
  unsigned run_error(const std::vector<std::uint32_t>& d) {
    b.wr(reg::status, status_bits::done | status_bits::error);
    b.poke_words(desc_addr, d);
    b.run(desc_addr);
    return b.err_code();
  }
};

// --- digital ---------------------------------------------------------------------------------

TEST(cim_digital, identifies_itself) {
  cim_fixture f(make("cim-digital"));
  EXPECT_EQ(f.b.rd(reg::id).value, 0xACCE0101u);
  EXPECT_EQ(f.b.rd(cim_regs::rows).value, 256u);
  EXPECT_EQ(f.b.rd(cim_regs::cols).value, 256u);
  EXPECT_EQ(f.b.rd(cim_regs::precisions).value, (1u << 3) | (1u << 7));
  EXPECT_EQ(f.b.rd(cim_regs::noise_sd).value, 0u);
}

TEST(cim_digital, bit_exact_at_every_precision_against_the_reference) {
  cim_fixture f(make("cim-digital"));
  const unsigned row0 = 17, rows = 200, col0 = 9, cols = 100, batch = 5;
  for (unsigned w_bits : {4u, 8u}) {
    const auto w = random_bytes(std::size_t{rows} * cols, 11 + w_bits);
    f.load(w, row0, rows, col0, cols, w_bits);
    for (unsigned in_bits : {4u, 8u}) {
      for (bool out32 : {true, false}) {
        SCOPED_TRACE("w" + std::to_string(w_bits) + " i" + std::to_string(in_bits) +
                     (out32 ? " out32" : " int8"));
        const auto x = random_bytes(std::size_t{rows + 3} * batch, 99 + in_bits);
        std::vector<std::int32_t> bias(cols);
        for (unsigned c = 0; c < cols; ++c) bias[c] = static_cast<std::int32_t>(c * 37) - 1500;
        mvm_args a;
        a.row0 = row0;
        a.rows = rows;
        a.col0 = col0;
        a.cols = cols;
        a.batch = batch;
        a.in_bits = in_bits;
        a.in_stride = rows + 3;
        a.out_stride = out32 ? 4 * cols + 8 : cols + 1;
        a.bias = true;
        a.out32 = out32;
        a.relu = !out32;
        a.scale = 12345;
        a.shift = 20;
        const auto y = f.mvm(a, x, bias);
        for (unsigned v = 0; v < batch; ++v)
          for (unsigned c = 0; c < cols; ++c) {
            std::int64_t acc = bias[c];
            for (unsigned r = 0; r < rows; ++r)
              acc += std::int64_t{sext(static_cast<std::uint8_t>(x[v * a.in_stride + r]), in_bits)} *
                     sext(static_cast<std::uint8_t>(w[std::size_t{c} * rows + r]), w_bits);
            const std::int64_t expected = out32 ? acc : requant(acc, a.scale, a.shift, a.relu);
            ASSERT_EQ(y[std::size_t{v} * cols + c], expected) << "vector " << v << " column " << c;
          }
      }
    }
  }
}

TEST(cim_digital, requantisation_rounds_clamps_and_relus) {
  using edgevp::accel::cim::requantise;
  EXPECT_EQ(requantise(5, 1, 1, false), 3);    // 2.5 -> 3
  EXPECT_EQ(requantise(-5, 1, 1, false), -2);  // -2.5 -> -2 (half up)
  EXPECT_EQ(requantise(1000, 1, 0, false), 127);
  EXPECT_EQ(requantise(-1000, 1, 0, false), -128);
  EXPECT_EQ(requantise(-1000, 1, 0, true), 0);
  EXPECT_EQ(requantise(std::int64_t{1} << 38, 0x7FFFFFFF, 62, false),
            requant(std::int64_t{1} << 38, 0x7FFFFFFF, 62, false));
}

TEST(cim_digital, malformed_descriptors_are_reported) {
  cim_fixture f(make("cim-digital"));
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
  EXPECT_EQ(f.run_error(with([](mvm_args& a) { a.row0 = 250; })), unsigned(error::shape));
  EXPECT_EQ(f.run_error(with([](mvm_args& a) { a.cols = 0; })), unsigned(error::shape));
  EXPECT_EQ(f.run_error(with([](mvm_args& a) { a.batch = 0; })), unsigned(error::shape));
  EXPECT_EQ(f.run_error(with([](mvm_args& a) { a.in_bits = 6; })), unsigned(error::precision));
  EXPECT_EQ(f.run_error(with([](mvm_args& a) { a.adc_shift = 1; })), unsigned(error::param));
  EXPECT_EQ(f.run_error(with([](mvm_args& a) { a.shift = 63; })), unsigned(error::param));
  EXPECT_EQ(f.run_error(with([](mvm_args& a) {
    a.out32 = true;
    a.out_stride = 66;
  })),
            unsigned(error::align));
  auto d = mvm_desc(ok);
  d[0] |= 1u << 12;  // unknown flag
  EXPECT_EQ(f.run_error(d), unsigned(error::param));
  d = mvm_desc(ok);
  d[15] = 1;  // reserved
  EXPECT_EQ(f.run_error(d), unsigned(error::param));
  d = mvm_desc(ok);
  d[4] = 0x40000000;  // unmapped output
  EXPECT_EQ(f.run_error(d), unsigned(error::unmapped));
  EXPECT_EQ(f.run_error(load_desc(0, 16, 0, 16, 2, 16)), unsigned(error::precision));
  EXPECT_EQ(f.run_error(load_desc(255, 2, 0, 16, 8, 2)), unsigned(error::shape));
}

TEST(cim_digital, bit_serial_timing_and_energy_per_mac) {
  cim_fixture f(make("cim-digital"));
  const auto w = random_bytes(256 * 256, 3);
  f.load(w, 0, 256, 0, 256, 8);
  const auto x = random_bytes(256 * 4, 4);
  mvm_args a;
  a.rows = 256;
  a.cols = 256;
  a.batch = 4;
  a.in_stride = 256;
  a.out_stride = 256;
  a.shift = 10;
  a.scale = 1;
  f.mvm(a, x);
  a.in_bits = 4;
  f.mvm(a, x);
  // Compute time: 4 vectors x 8 cycles, then 4 x 4 cycles (plus the 256 rows written at one per cycle).
  double compute = 0;
  for (const auto& [k, v] : f.b.dev->report())
    if (k == "compute_time_s") compute = v;
  EXPECT_NEAR(compute, (256 + 4 * 8 + 4 * 4) * 10e-9, 1e-12);
  f.b.monitor.checkpoint(sc_core::sc_time_stamp());
  for (const auto& s : f.b.dev->power().sources()) {
    if (s.name == "mac_i8w8") {
      EXPECT_EQ(s.events, 4u * 256 * 256);
      EXPECT_NEAR(s.value.value(), 2.0 / 63e12, 1e-20);
    }
    if (s.name == "mac_i4w8") {
      EXPECT_EQ(s.events, 4u * 256 * 256);
    }
    if (s.name == "mac_i4w4") {
      EXPECT_NEAR(s.value.value(), 2.0 / 254e12, 1e-20);
    }
    if (s.name == "row_write") {
      EXPECT_EQ(s.events, 256u);
    }
  }
  EXPECT_EQ(f.b.dev->operations(), 2u * 2 * 4 * 256 * 256);
  EXPECT_EQ(f.b.rd(reg::ops_lo).value, 2u * 2 * 4 * 256 * 256);
}

TEST(cim_digital, a_job_beyond_the_work_budget_is_a_chain_error_at_once) {
  instance i = make("cim-digital");
  i.params.set("rows", edgevp::core::param_value::of(std::uint64_t{4096}));
  i.params.set("cols", edgevp::core::param_value::of(std::uint64_t{4096}));
  cim_fixture f(i);
  mvm_args a;
  a.rows = 4096;
  a.cols = 4096;
  a.batch = 65536;  // 2^40 MACs; the input is one vector read again and again (stride 0)
  a.in_stride = 0;
  a.out_stride = 0;
  EXPECT_EQ(f.run_error(mvm_desc(a)), unsigned(error::chain));
  EXPECT_EQ(f.b.dev->operations(), 0u);
}

// A descriptor linked to itself runs inside one register write: the START's DMA budget
// (max_job_dma blocks) ends it with CHAIN after a number of descriptors known from the
// descriptor's traffic, long before max_chain, whatever each descriptor asks for.
TEST(cim_digital, a_self_linked_mvm_ends_with_a_chain_error_within_the_dma_budget) {
  cim_fixture f(make("cim-digital"));
  f.load(std::vector<std::int8_t>(1, 3), 0, 1, 0, 1, 8);
  mvm_args a;
  a.rows = 1;
  a.cols = 1;
  a.batch = edgevp::accel::cim::max_batch;  // 65536 vectors of one byte in, one byte out
  a.in_stride = 0;
  a.out_stride = 0;
  std::vector<std::uint32_t> d = mvm_desc(a);
  d[1] = static_cast<std::uint32_t>(desc_addr);          // next: itself
  const std::uint32_t before = f.b.rd(reg::jobs).value;  // the LOAD
  f.b.poke_words(desc_addr, d);
  f.b.run(desc_addr, sc_time(100, sc_core::SC_SEC));  // until the job has ended
  EXPECT_EQ(f.b.err_code(), unsigned(error::chain));
  // Per descriptor: its header, the rest of it, then a read and a write per vector, one block each.
  const std::uint64_t per_desc = 2 + 2ull * a.batch;
  EXPECT_EQ(f.b.rd(reg::jobs).value - before, edgevp::accel::max_job_dma / per_desc);
  EXPECT_EQ(f.b.dev->last_job().descriptors, edgevp::accel::max_job_dma / per_desc);
  EXPECT_EQ(f.b.rd(reg::err_desc).value, static_cast<std::uint32_t>(desc_addr));
  // The interconnect's calendar stayed bounded although simulated time stood still.
  for (const auto& r : f.b.bus.ranges())
    EXPECT_LE(r.busy.size(), edgevp::interconnect::max_calendar) << r.name;
}

TEST(cim_digital, a_self_linked_load_ends_with_a_chain_error_within_the_dma_budget) {
  cim_fixture f(make("cim-digital"));
  f.b.poke(w_addr, random_bytes(256 * 256, 5).data(), 256 * 256);
  std::vector<std::uint32_t> d = load_desc(0, 256, 0, 256, 8, 256);
  d[1] = static_cast<std::uint32_t>(desc_addr);
  f.b.poke_words(desc_addr, d);
  f.b.run(desc_addr, sc_time(100, sc_core::SC_SEC));  // until the job has ended
  EXPECT_EQ(f.b.err_code(), unsigned(error::chain));
  // Per descriptor: its header, the rest of it, then 64 KiB of weights in 64-byte blocks.
  const std::uint64_t per_desc = 2 + 256 * 256 / edgevp::accel::dma_block;
  EXPECT_EQ(f.b.rd(reg::jobs).value, edgevp::accel::max_job_dma / per_desc);
  EXPECT_EQ(f.b.rd(reg::err_desc).value, static_cast<std::uint32_t>(desc_addr));
  for (const auto& r : f.b.bus.ranges())
    EXPECT_LE(r.busy.size(), edgevp::interconnect::max_calendar) << r.name;
}

TEST(cim_digital, power_off_loses_the_weights) {
  cim_fixture f(make("cim-digital"));
  f.load(std::vector<std::int8_t>(16 * 4, 3), 0, 16, 0, 4, 8);
  mvm_args a;
  a.rows = 16;
  a.cols = 4;
  a.in_stride = 16;
  a.out_stride = 16;
  a.out32 = true;
  const std::vector<std::int8_t> x(16, 1);
  EXPECT_EQ(f.mvm(a, x)[0], 48);
  f.b.monitor.set_state(*f.b.domain, edgevp::core::power::state::off, sc_core::sc_time_stamp());
  f.b.monitor.set_state(*f.b.domain, edgevp::core::power::state::on, sc_core::sc_time_stamp());
  EXPECT_EQ(f.mvm(a, x)[0], 0);
}

// --- analog ----------------------------------------------------------------------------------

instance analog(double prog, double read, std::uint64_t seed = 1) {
  instance i = make("cim-analog");
  i.params.set("prog_noise", edgevp::core::param_value::of_real(prog));
  i.params.set("read_noise", edgevp::core::param_value::of_real(read));
  i.params.set("seed", edgevp::core::param_value::of(seed));
  return i;
}

std::int64_t ideal_adc(std::int64_t sum, unsigned adc_shift, unsigned adc_bits) {
  const double q = static_cast<double>(sum) / std::ldexp(1.0, static_cast<int>(adc_shift));
  double code = q < 0 ? -std::floor(-q + 0.5) : std::floor(q + 0.5);
  code = std::clamp(code, -std::ldexp(1.0, static_cast<int>(adc_bits) - 1),
                    std::ldexp(1.0, static_cast<int>(adc_bits) - 1) - 1);
  return static_cast<std::int64_t>(code) * (std::int64_t{1} << adc_shift);
}

TEST(cim_analog, identifies_itself) {
  cim_fixture f(analog(1, 0.01));
  EXPECT_EQ(f.b.rd(reg::id).value, 0xACCE0201u);
  EXPECT_EQ(f.b.rd(cim_regs::precisions).value, 0xFFu);
  EXPECT_EQ(f.b.rd(cim_regs::adc_bits).value, 8u);
  EXPECT_EQ(f.b.rd(cim_regs::dac_bits).value, 8u);
  EXPECT_GT(f.b.rd(cim_regs::noise_sd).value, 1000000u);  // several LSBs at 8-bit weights
}

TEST(cim_analog, noise_sd_is_zero_with_noise_off) {
  cim_fixture quiet(analog(0, 0));
  EXPECT_EQ(quiet.b.rd(cim_regs::noise_sd).value, 0u);
}

TEST(cim_analog, noise_off_equals_the_ideal_quantised_computation_with_clipping) {
  cim_fixture f(analog(0, 0));
  const unsigned rows = 128, cols = 64, batch = 3;
  for (unsigned w_bits : {3u, 8u}) {
    const auto w = random_bytes(std::size_t{rows} * cols, 5 + w_bits);
    f.load(w, 0, rows, 0, cols, w_bits);
    const int wm = (1 << (w_bits - 1)) - 1;
    for (unsigned adc_shift : {4u, 9u}) {  // 4: many outputs clip; 9: few
      const auto x = random_bytes(std::size_t{rows} * batch, 77);
      mvm_args a;
      a.rows = rows;
      a.cols = cols;
      a.batch = batch;
      a.in_stride = rows;
      a.out_stride = 4 * cols;
      a.out32 = true;
      a.adc_shift = adc_shift;
      const auto y = f.mvm(a, x);
      unsigned clipped = 0;
      for (unsigned v = 0; v < batch; ++v)
        for (unsigned c = 0; c < cols; ++c) {
          std::int64_t sum = 0;
          for (unsigned r = 0; r < rows; ++r)
            sum += std::int64_t{x[v * rows + r]} * std::clamp<int>(w[std::size_t{c} * rows + r], -wm, wm);
          const std::int64_t e = ideal_adc(sum, adc_shift, 8);
          if (e != sum && std::llabs(sum) >= (128ll << adc_shift)) ++clipped;
          ASSERT_EQ(y[std::size_t{v} * cols + c], e)
              << "w" << w_bits << " shift " << adc_shift << " v" << v << " c" << c;
        }
      if (adc_shift == 4 && w_bits == 8) {
        EXPECT_GT(clipped, 10u);
      }
    }
  }
}

TEST(cim_analog, inputs_wider_than_the_dac_go_in_slices_each_with_its_adc_conversion) {
  instance i = analog(0, 0);
  i.params.set("dac_bits", edgevp::core::param_value::of(std::uint64_t{1}));  // bit-serial inputs
  // One conversion per column and slice (whole columns; row groups only multiply the count).
  i.params.set("rows_per_conversion", edgevp::core::param_value::of(std::uint64_t{0}));
  cim_fixture f(i);
  const unsigned rows = 64, cols = 16;
  const auto w = random_bytes(std::size_t{rows} * cols, 21);
  f.load(w, 0, rows, 0, cols, 8);
  const auto x = random_bytes(rows, 22);
  mvm_args a;
  a.rows = rows;
  a.cols = cols;
  a.in_stride = rows;
  a.out_stride = 4 * cols;
  a.out32 = true;
  a.adc_shift = 2;
  const auto y = f.mvm(a, x);
  for (unsigned c = 0; c < cols; ++c) {
    // Reference: slice p is bit p of the two's complement input (bit 7 weighs -128); each slice's
    // column sum is quantised by the 8-bit ADC, then shifted into place.
    std::int64_t expected = 0;
    for (unsigned p = 0; p < 8; ++p) {
      std::int64_t sum = 0;
      for (unsigned r = 0; r < rows; ++r) {
        const int bit = (static_cast<std::uint8_t>(x[r]) >> p) & 1;
        sum += std::int64_t{p == 7 ? -bit : bit} * std::clamp<int>(w[std::size_t{c} * rows + r], -127, 127);
      }
      expected += ideal_adc(sum, 2, 8) * (std::int64_t{1} << p);
    }
    EXPECT_EQ(y[c], expected) << "column " << c;
  }
  double conversions = 0;
  for (const auto& [k, v] : f.b.dev->report())
    if (k == "adc_conversions") conversions = v;
  EXPECT_EQ(conversions, 8.0 * cols);
  // Eight MVM phases of 14.4 ns each.
  double compute = 0;
  for (const auto& [k, v] : f.b.dev->report())
    if (k == "compute_time_s") compute = v;
  EXPECT_NEAR(compute, 64 * 4 * (50e-9 + 14.4e-9) + 8 * 14.4e-9, 1e-12);
}

TEST(cim_analog, a_wide_adc_with_noise_off_is_exact) {
  instance i = analog(0, 0);
  i.params.set("adc_bits", edgevp::core::param_value::of(std::uint64_t{24}));
  i.params.set("dac_bits", edgevp::core::param_value::of(std::uint64_t{2}));
  cim_fixture f(i);
  const unsigned rows = 256, cols = 32;
  const auto w = random_bytes(std::size_t{rows} * cols, 31);
  f.load(w, 0, rows, 0, cols, 8);
  const auto x = random_bytes(rows, 32);
  mvm_args a;
  a.rows = rows;
  a.cols = cols;
  a.in_stride = rows;
  a.out_stride = 4 * cols;
  a.out32 = true;
  const auto y = f.mvm(a, x);
  for (unsigned c = 0; c < cols; ++c) {
    std::int64_t sum = 0;
    for (unsigned r = 0; r < rows; ++r)
      sum += std::int64_t{x[r]} * std::clamp<int>(w[std::size_t{c} * rows + r], -127, 127);
    EXPECT_EQ(y[c], sum);
  }
}

TEST(cim_analog, programming_and_read_noise_follow_the_calibration_fit) {
  cim_fixture f(analog(1, 0.01, 42));
  // Every cell at w = +64 of 8 bits (G+ = 64/127 Gmax, G- = 0); read each cell alone (one row, x = 1).
  const std::vector<std::int8_t> w(256 * 256, 64);
  f.load(w, 0, 256, 0, 256, 8);
  std::vector<double> err;
  mvm_args a;
  a.rows = 1;
  a.cols = 256;
  a.in_stride = 1;
  a.out_stride = 4 * 256;
  a.out32 = true;
  for (unsigned r = 0; r < 256; ++r) {
    a.row0 = r;
    for (std::int64_t y : f.mvm(a, {1})) err.push_back(static_cast<double>(y - 64));
  }
  double mean = 0;
  for (double e : err) mean += e;
  mean /= static_cast<double>(err.size());
  double var = 0;
  for (double e : err) var += (e - mean) * (e - mean);
  const double sd = std::sqrt(var / static_cast<double>(err.size() - 1));
  // Expected, in uS: sigma(G+) from the fit; G- = 0 gets N(0, 1.053) clipped at 0 (mean 0.420, sd
  // 0.615); read noise 0.01 Gmax on each cell. One LSB = Gmax / 127.
  const double gmax = 39.26, lsb = gmax / 127, gp = 64 * lsb;
  const double sp = 1.536e-4 * gp * gp * gp - 1.167e-2 * gp * gp + 0.2374 * gp + 1.053;
  const double s0 = 1.053, clip_mean = s0 / std::sqrt(2 * M_PI), clip_var = s0 * s0 * (0.5 - 1 / (2 * M_PI));
  const double sr = 0.01 * gmax;
  const double expected_sd = std::sqrt(sp * sp + clip_var + 2 * sr * sr + lsb * lsb / 12) / lsb;
  EXPECT_NEAR(sd, expected_sd, 0.04 * expected_sd);
  EXPECT_NEAR(mean, -clip_mean / lsb, 0.15);
}

TEST(cim_analog, the_same_seed_gives_the_same_results_and_another_seed_others) {
  cim_fixture f1(analog(1, 0.01, 7), "a", false);
  cim_fixture f2(analog(1, 0.01, 7), "b", false);
  cim_fixture f3(analog(1, 0.01, 8), "c", true);
  auto run = [](cim_fixture& f) {
    f.load(random_bytes(64 * 32, 1), 0, 64, 0, 32, 6);
    mvm_args a;
    a.rows = 64;
    a.cols = 32;
    a.batch = 4;
    a.in_stride = 64;
    a.out_stride = 128;
    a.out32 = true;
    a.adc_shift = 4;
    return f.mvm(a, random_bytes(256, 2));
  };
  const auto y1 = run(f1), y2 = run(f2), y3 = run(f3);
  EXPECT_EQ(y1, y2);
  EXPECT_NE(y1, y3);
}

TEST(cim_analog, weights_survive_power_off_and_endurance_is_counted) {
  instance i = analog(0, 0);
  i.params.set("endurance", edgevp::core::param_value::of(std::uint64_t{1}));
  cim_fixture f(i);
  f.load(std::vector<std::int8_t>(16 * 4, 3), 0, 16, 0, 4, 8);
  f.load(std::vector<std::int8_t>(16 * 4, 2), 0, 16, 0, 4, 8);
  EXPECT_EQ(f.b.rd(cim_regs::max_writes).value, 2u);
  f.b.monitor.set_state(*f.b.domain, edgevp::core::power::state::off, sc_core::sc_time_stamp());
  f.b.monitor.set_state(*f.b.domain, edgevp::core::power::state::on, sc_core::sc_time_stamp());
  mvm_args a;
  a.rows = 16;
  a.cols = 4;
  a.in_stride = 16;
  a.out_stride = 16;
  a.out32 = true;
  EXPECT_EQ(f.mvm(a, std::vector<std::int8_t>(16, 1))[0], 32);
  double over = 0;
  for (const auto& [k, v] : f.b.dev->report())
    if (k == "cells_over_endurance") over = v;
  EXPECT_EQ(over, 64.0);
}

// The default macro (the JSSC 2023 8-Mb RRAM macro): 8 rows per conversion, a dc-free readout,
// ZigZag's terms and the fitted periphery per conversion (docs/models/cim.md).
TEST(cim_analog, periphery_energy_follows_the_zigzag_model) {
  cim_fixture f(analog(0, 0));
  f.load(random_bytes(256 * 256, 9), 0, 256, 0, 256, 8);
  mvm_args a;
  a.rows = 256;
  a.cols = 256;
  a.batch = 2;
  a.in_stride = 256;
  a.out_stride = 256;
  a.in_bits = 8;
  a.adc_shift = 10;
  f.mvm(a, random_bytes(512, 10));
  f.b.monitor.checkpoint(sc_core::sc_time_stamp());
  const double v2 = 0.8 * 0.8, fF = 1e-15;
  const std::uint64_t conversions = 2u * 256 * 32;  // 2 vectors x 256 columns x 32 groups of 8 rows
  std::map<std::string, std::pair<std::uint64_t, double>> got;
  for (const auto& s : f.b.dev->power().sources()) got[s.name] = {s.events, s.value.value()};
  EXPECT_EQ(got["adc"].first, conversions);
  EXPECT_NEAR(got["adc"].second, (100 * fF * 8 + 0.001 * fF * 65536) * v2, 1e-18);
  EXPECT_EQ(got["periphery"].first, conversions);
  EXPECT_NEAR(got["periphery"].second, 203.7 * fF * v2, 1e-20);
  EXPECT_EQ(got["dac"].first, 2u * 256 * 8);
  EXPECT_NEAR(got["dac"].second, 50 * fF * v2, 1e-20);
  EXPECT_EQ(got["row_drive"].first, 0u);  // 8-bit slices: the DAC drives the rows
  EXPECT_EQ(got["cell"].first, 2u * 256 * 256 * 8);
  EXPECT_EQ(got["mult"].first, 2u * 256 * 256 * 8);
  EXPECT_EQ(got["mult"].second, 0.0);  // RRAM: no multiplying gate
  EXPECT_EQ(got["cell_read"].first, 2u * 256 * 256);
  EXPECT_EQ(got["cell_read"].second, 0.0);  // dc-free readout
  // The tree adding 32 codes of 8 bits: 32 x 9 - (8 + 5 + 1) = 274 full adders per column.
  EXPECT_EQ(got["adder"].first, 2u * 256 * 274);
  EXPECT_NEAR(got["adder"].second, 4.2 * fF * v2, 1e-20);
  // Registers: 256 inputs of 8 bits, and each conversion's 8-bit code.
  EXPECT_EQ(got["register"].first, 2u * (256 * 8 + 256 * 32 * 8));
  EXPECT_EQ(got["write"].first, 2u * 256 * 256 * 4);  // both cells, 4 verify iterations
  // The calibration: 21.6 TOPS/W for the events of a full-array MVM (leakage aside).
  double joules = 0;
  for (const auto& [name, ev] : got)
    if (name != "write") joules += static_cast<double>(ev.first) * ev.second;
  EXPECT_NEAR(2.0 * 2 * 256 * 256 / joules / 1e12, 21.6, 0.05);
}

// Bit-serial inputs drive the wordlines instead of the DAC; the slices are added in accumulators;
// a current readout charges the cells' read energy per slice; one conversion per column with
// rows_per_conversion = 0.
TEST(cim_analog, bit_serial_current_readout_counts_per_slice) {
  instance inst = analog(0, 0);
  inst.params.set("dac_bits", edgevp::core::param_value::of(std::uint64_t{1}));
  inst.params.set("adc_bits", edgevp::core::param_value::of(std::uint64_t{6}));
  inst.params.set("readout", edgevp::core::param_value::of_text(edgevp::core::param_type::choice, "current"));
  inst.params.set("rows_per_conversion", edgevp::core::param_value::of(std::uint64_t{0}));
  cim_fixture f(inst);
  f.load(random_bytes(256 * 256, 9), 0, 256, 0, 256, 4);
  mvm_args a;
  a.rows = 256;
  a.cols = 256;
  a.batch = 1;
  a.in_stride = 256;
  a.out_stride = 256;
  a.in_bits = 4;
  a.adc_shift = 4;
  f.mvm(a, random_bytes(256, 11));
  f.b.monitor.checkpoint(sc_core::sc_time_stamp());
  const double v2 = 0.8 * 0.8, fF = 1e-15;
  std::map<std::string, std::pair<std::uint64_t, double>> got;
  for (const auto& s : f.b.dev->power().sources()) got[s.name] = {s.events, s.value.value()};
  EXPECT_EQ(got["adc"].first, 256u * 4);  // one conversion per column and slice
  EXPECT_EQ(got["dac"].first, 0u);
  EXPECT_EQ(got["row_drive"].first, 256u * 4);
  EXPECT_NEAR(got["row_drive"].second, 0.35 * fF * 2 * 256 * v2, 1e-20);
  EXPECT_EQ(got["cell_read"].first, 256u * 256 * 4);
  EXPECT_NEAR(got["cell_read"].second, 39.26e-6 / 2 * 0.2 * 0.2 * 14.4e-9, 1e-20);
  EXPECT_EQ(got["adder"].first, 256u * 4 * (4 + 6 + 4));  // shift-add: in + B + w bits per slice
  EXPECT_EQ(got["register"].first, 256u * 4 + 256u * 4 * 6 + 256u * 4 * (4 + 6 + 4));
}

// A 2-bit DAC drives every slice of a 7-bit input (the last slice is 1 bit wide: still the DAC);
// 20 rows read 8 at a time make 3 groups, their codes added by a tree of 3 x 9 - (8 + 2 + 1) = 16
// full adders per column and slice.
TEST(cim_analog, a_narrow_last_slice_and_partial_row_groups) {
  instance inst = analog(0, 0);
  inst.params.set("dac_bits", edgevp::core::param_value::of(std::uint64_t{2}));
  cim_fixture f(inst);
  f.load(random_bytes(20 * 4, 9), 0, 20, 0, 4, 8);
  mvm_args a;
  a.rows = 20;
  a.cols = 4;
  a.in_stride = 20;
  a.out_stride = 16;
  a.out32 = true;
  a.in_bits = 7;
  f.mvm(a, random_bytes(20, 12));
  f.b.monitor.checkpoint(sc_core::sc_time_stamp());
  std::map<std::string, std::uint64_t> got;
  for (const auto& s : f.b.dev->power().sources()) got[s.name] = s.events;
  const std::uint64_t slices = 4, groups = 3, cols = 4;
  EXPECT_EQ(got["dac"], 20u * 7);
  EXPECT_EQ(got["row_drive"], 0u);
  EXPECT_EQ(got["adc"], cols * groups * slices);
  EXPECT_EQ(got["adder"], cols * slices * 16 + cols * slices * (7 + 8 + 8));  // trees, then the slices' shift-add
  EXPECT_EQ(got["register"], 20u * 7 + cols * groups * slices * 8 + cols * slices * (7 + 8 + 8));
}

}  // namespace

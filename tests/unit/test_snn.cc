// Bench for the spiking accelerator (models/accelerators/snn/): every layer type and neuron option
// against a reference written here from docs/models/snn.md (a dense simulation that applies the
// leak eagerly, step by step, where the model applies it lazily), the event format and its errors,
// the descriptors' validation, the output ring, timing and the energy events.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <random>
#include <utility>
#include <vector>

#include "models/accelerators/snn/snn.h"
#include "tests/unit/accel_bench.h"

namespace {

using edgevp::accel::error;
using edgevp::accel::instance;
namespace snn = edgevp::accel::snn;
namespace ev = edgevp::accel::snn::event;
using namespace edgevp::test;
namespace status_bits = edgevp::accel::status_bits;

constexpr std::uint64_t desc_addr = sram_base;
constexpr std::uint64_t syn_src = sram_base + 0x1000;   // LOAD source, up to 124 KiB
constexpr std::uint64_t in_addr = sram_base + 0x20000;  // input stream
constexpr std::uint64_t out_addr = sram_base + 0x40000;
constexpr std::uint64_t counts_addr = sram_base + 0x60000;
constexpr std::uint64_t state_addr = sram_base + 0x70000;

instance make(unsigned lanes = 16, unsigned neurons = 8192) {
  instance i;
  i.name = "snn";
  i.kind = "snn";
  i.params.set("lanes", edgevp::core::param_value::of(std::uint64_t{lanes}));
  i.params.set("neurons", edgevp::core::param_value::of(std::uint64_t{neurons}));
  return i;
}

// --- a layer, as the reference sees it --------------------------------------------------------

struct layer_def {
  snn::layer_type type = snn::layer_type::fc;
  bool int4 = false;
  snn::leak_mode leak = snn::leak_mode::none;
  unsigned leak_amount = 0;
  bool reset_sub = false;
  bool clear = true;
  std::int16_t threshold = 40;
  std::int16_t reset = 0;
  unsigned refractory = 0;
  unsigned in_w = 1, in_h = 1, in_c = 8, out_w = 1, out_h = 1, out_c = 6, k = 0;
  std::uint32_t state = 0;
  std::uint32_t in_size = 4096, in_offset = 0, out_size = 4096, out_offset = 0;
  bool counts = true;
  // FC / CONV: w[row][o] (row: input index, or (c, ky, kx)); SPARSE: per input, (target, weight).
  std::vector<std::vector<std::int8_t>> w;
  std::vector<std::vector<std::pair<unsigned, std::int8_t>>> rows;

  [[nodiscard]] unsigned in_count() const { return in_w * in_h * in_c; }
  [[nodiscard]] unsigned out_count() const { return out_w * out_h * out_c; }
  [[nodiscard]] unsigned row_bytes() const { return int4 ? (out_c + 1) / 2 : out_c; }

  // Synapses of input (c, y, x), from the definitions in the documentation.
  [[nodiscard]] std::vector<std::pair<unsigned, std::int32_t>> fanout(unsigned c, unsigned y,
                                                                      unsigned x) const {
    std::vector<std::pair<unsigned, std::int32_t>> f;
    const unsigned i = (y * in_w + x) * in_c + c;
    if (type == snn::layer_type::fc) {
      for (unsigned o = 0; o < out_c; ++o) f.emplace_back(o, w[i][o]);
    } else if (type == snn::layer_type::conv) {
      const int h = static_cast<int>(k / 2);
      for (unsigned ky = 0; ky < k; ++ky)
        for (unsigned kx = 0; kx < k; ++kx) {
          const int y0 = static_cast<int>(y) - static_cast<int>(ky) + h;
          const int x0 = static_cast<int>(x) - static_cast<int>(kx) + h;
          if (y0 < 0 || x0 < 0 || y0 >= static_cast<int>(out_h) || x0 >= static_cast<int>(out_w)) continue;
          for (unsigned o = 0; o < out_c; ++o)
            f.emplace_back((static_cast<unsigned>(y0) * out_w + static_cast<unsigned>(x0)) * out_c + o,
                           w[(c * k + ky) * k + kx][o]);
        }
    } else {
      for (const auto& [t, wt] : rows[i]) f.emplace_back(t, wt);
    }
    return f;
  }

  // The synapse memory image and the LAYER descriptor.
  [[nodiscard]] std::vector<std::uint8_t> image(std::uint32_t& entries_off) const {
    std::vector<std::uint8_t> m;
    if (type != snn::layer_type::sparse) {
      for (const auto& r : w) {
        std::vector<std::uint8_t> b(row_bytes(), 0);
        for (unsigned o = 0; o < out_c; ++o) {
          if (int4)
            b[o / 2] |= static_cast<std::uint8_t>((static_cast<unsigned>(r[o]) & 0xFu) << ((o % 2) * 4));
          else
            b[o] = static_cast<std::uint8_t>(r[o]);
        }
        m.insert(m.end(), b.begin(), b.end());
      }
      entries_off = 0;
      return m;
    }
    std::vector<std::uint32_t> ptr{0};
    std::vector<std::uint32_t> ent;
    for (const auto& r : rows) {
      for (const auto& [t, wt] : r)
        ent.push_back(t | (static_cast<std::uint32_t>(static_cast<std::uint8_t>(wt)) << 16));
      ptr.push_back(static_cast<std::uint32_t>(ent.size()));
    }
    m.resize(4 * ptr.size());
    std::memcpy(m.data(), ptr.data(), m.size());
    entries_off = static_cast<std::uint32_t>(m.size());
    m.resize(m.size() + 4 * ent.size());
    std::memcpy(m.data() + entries_off, ent.data(), 4 * ent.size());
    return m;
  }

  [[nodiscard]] std::vector<std::uint32_t> desc(std::uint32_t entries_off) const {
    std::uint32_t fl = static_cast<std::uint32_t>(type) | (int4 ? snn::flags::int4 : 0) |
                       (static_cast<std::uint32_t>(leak) << snn::flags::leak_shift) |
                       (reset_sub ? snn::flags::reset_sub : 0) | (clear ? snn::flags::clear : 0);
    std::vector<std::uint32_t> d(snn::layer_words, 0);
    d[0] = snn::opcode::layer | (fl << 8);
    d[snn::layer_word::in] = static_cast<std::uint32_t>(in_addr);
    d[snn::layer_word::in_size] = in_size;
    d[snn::layer_word::in_offset] = in_offset;
    d[snn::layer_word::in_wh] = in_w | (in_h << 16);
    d[snn::layer_word::in_c_out_c] = in_c | (out_c << 16);
    d[snn::layer_word::out_wh] = out_w | (out_h << 16);
    d[snn::layer_word::weights] = 0;
    d[snn::layer_word::aux] = type == snn::layer_type::conv     ? k
                              : type == snn::layer_type::sparse ? entries_off
                                                                : 0;
    d[snn::layer_word::threshold_reset] =
        static_cast<std::uint16_t>(threshold) |
        (static_cast<std::uint32_t>(static_cast<std::uint16_t>(reset)) << 16);
    d[snn::layer_word::leak_refractory] = leak_amount | (refractory << 8);
    d[snn::layer_word::state] = state;
    d[snn::layer_word::out] = static_cast<std::uint32_t>(out_addr);
    d[snn::layer_word::out_size] = out_size;
    d[snn::layer_word::out_offset] = out_offset;
    d[snn::layer_word::counts] = counts ? static_cast<std::uint32_t>(counts_addr) : 0;
    return d;
  }
};

struct spike_at {
  std::uint32_t t;
  unsigned c, y, x;
};

std::vector<std::uint32_t> stream(const std::vector<spike_at>& s) {
  std::vector<std::uint32_t> w;
  std::uint32_t cur = 0;
  bool first = true;
  for (const auto& e : s) {
    if (first || e.t != cur) {
      w.push_back(ev::make_time(e.t));
    }
    first = false;
    cur = e.t;
    w.push_back(ev::make_spike(e.c, e.y, e.x));
  }
  w.push_back(ev::end_word);
  return w;
}

struct ref_result {
  std::vector<std::uint32_t> out;  // the output stream
  std::vector<std::uint32_t> counts;
  std::vector<std::int16_t> v;
  std::uint64_t synops = 0;
  std::uint64_t updates = 0;
};

std::int16_t sat16(std::int64_t v) {
  return static_cast<std::int16_t>(std::clamp<std::int64_t>(v, -32768, 32767));
}

// The reference: dense, one step at a time, the leak applied eagerly to every neuron.
ref_result reference(const layer_def& L, const std::vector<spike_at>& spikes) {
  ref_result r;
  const unsigned n = L.out_count();
  r.v.assign(n, 0);
  r.counts.assign(n, 0);
  std::vector<std::uint32_t> refr(n, 0);
  std::uint32_t last_t = 0;
  std::size_t i = 0;
  while (i < spikes.size()) {
    const std::uint32_t t = spikes[i].t;
    for (std::uint32_t s = last_t; s < t; ++s)
      for (auto& v : r.v) {
        if (L.leak == snn::leak_mode::linear)
          v = static_cast<std::int16_t>(v > 0 ? std::max(0, v - static_cast<int>(L.leak_amount))
                                              : std::min(0, v + static_cast<int>(L.leak_amount)));
        if (L.leak == snn::leak_mode::shift) v = static_cast<std::int16_t>(v - (v >> L.leak_amount));
      }
    last_t = t;
    std::vector<std::int64_t> acc(n, 0);
    std::vector<bool> touched(n, false);
    for (; i < spikes.size() && spikes[i].t == t; ++i)
      for (const auto& [o, w] : L.fanout(spikes[i].c, spikes[i].y, spikes[i].x)) {
        acc[o] += w;
        touched[o] = true;
        ++r.synops;
      }
    std::vector<unsigned> fired;
    for (unsigned o = 0; o < n; ++o) {
      if (!touched[o]) continue;
      ++r.updates;
      if (t < refr[o]) continue;
      std::int16_t v = sat16(r.v[o] + acc[o]);
      if (v >= L.threshold) {
        fired.push_back(o);
        ++r.counts[o];
        v = L.reset_sub ? sat16(v - L.threshold) : L.reset;
        refr[o] = t + 1 + L.refractory;
      }
      r.v[o] = v;
    }
    if (!fired.empty()) {
      r.out.push_back(ev::make_time(t));
      for (unsigned o : fired) {
        const unsigned c = o % L.out_c, rest = o / L.out_c;
        r.out.push_back(ev::make_spike(c, rest / L.out_w, rest % L.out_w));
      }
    }
  }
  r.out.push_back(ev::end_word);
  return r;
}

std::vector<spike_at> random_spikes(const layer_def& L, unsigned steps, double p, std::uint32_t seed) {
  std::mt19937 g(seed);
  std::bernoulli_distribution b(p);
  std::vector<spike_at> s;
  for (std::uint32_t t = 0; t < steps; ++t)
    for (unsigned y = 0; y < L.in_h; ++y)
      for (unsigned x = 0; x < L.in_w; ++x)
        for (unsigned c = 0; c < L.in_c; ++c)
          if (b(g)) s.push_back({t * 2 + (seed % 3), c, y, x});  // steps with gaps: the leak's dt > 1
  // Events within a step in any order: the sums do not depend on it.
  std::shuffle(s.begin(), s.end(), g);
  std::stable_sort(s.begin(), s.end(), [](const spike_at& a, const spike_at& b2) { return a.t < b2.t; });
  return s;
}

void random_weights(layer_def& L, std::uint32_t seed, int lo, int hi) {
  std::mt19937 g(seed);
  std::uniform_int_distribution<int> d(lo, hi);
  const unsigned rows = L.type == snn::layer_type::conv ? L.in_c * L.k * L.k : L.in_count();
  L.w.assign(rows, std::vector<std::int8_t>(L.out_c));
  for (auto& r : L.w)
    for (auto& x : r) x = static_cast<std::int8_t>(d(g));
}

struct snn_fixture {
  accel_bench b;
  // One bench per test process (elaboration ends at the first sc_start): several in one test get
  // tags, and start = false for all but the last.
  explicit snn_fixture(const instance& i = make(), const std::string& tag = "", bool start = true)
      : b(i, edgevp::accel::registry::builtin(), tag, start) {}
  snn::snn& model() { return dynamic_cast<snn::snn&>(*b.dev); }

  // Runs one descriptor; returns the error code (0: done).
  unsigned run(const std::vector<std::uint32_t>& d) {
    b.poke_words(desc_addr, d);
    b.run(desc_addr);
    const unsigned code = b.err_code();
    b.wr(reg::status, status_bits::done | status_bits::error);
    return code;
  }
  unsigned load(const std::vector<std::uint8_t>& bytes, std::uint32_t dst = 0) {
    b.poke(syn_src, bytes.data(), bytes.size());
    return run({snn::opcode::load, 0, static_cast<std::uint32_t>(syn_src), dst,
                static_cast<std::uint32_t>(bytes.size()), 0});
  }
  // Loads the layer, writes the stream into the input ring at the layer's offset, runs it.
  unsigned layer(const layer_def& L, const std::vector<std::uint32_t>& words) {
    std::uint32_t eo = 0;
    const auto img = L.image(eo);
    if (!img.empty()) {
      EXPECT_EQ(load(img), 0u);
    }
    for (std::size_t k = 0; k < words.size(); ++k)
      b.poke_words(in_addr + 4 * ((L.in_offset + k) % L.in_size), {words[k]});
    return run(L.desc(eo));
  }
  std::vector<std::uint32_t> words(std::uint64_t addr, std::size_t n) {
    const auto bytes = b.peek(addr, 4 * n);
    std::vector<std::uint32_t> w(n);
    std::memcpy(w.data(), bytes.data(), 4 * n);
    return w;
  }
  std::vector<std::uint32_t> out_stream(const layer_def& L) {
    const auto n = static_cast<std::uint32_t>(b.rd(snn::regs::out_words).value);
    std::vector<std::uint32_t> w;
    for (std::uint32_t k = 0; k < n; ++k)
      w.push_back(words(out_addr + 4 * ((L.out_offset + k) % L.out_size), 1)[0]);
    return w;
  }
  void expect_matches(const layer_def& L, const std::vector<spike_at>& s, const char* what) {
    const ref_result r = reference(L, s);
    ASSERT_EQ(layer(L, stream(s)), 0u) << what;
    EXPECT_EQ(out_stream(L), r.out) << what;
    EXPECT_EQ(words(counts_addr, L.out_count()), r.counts) << what;
    // The model leaks lazily: a neuron's membrane is as of its last update; the reference's is as
    // of the stream's last step.
    const std::uint32_t t_end = s.empty() ? 0 : s.back().t;
    for (unsigned o = 0; o < L.out_count(); ++o) {
      const snn::neuron& n = model().state_of(L.state + o);
      ASSERT_LE(n.last, t_end);
      ASSERT_EQ(snn::leak(n.v, L.leak, L.leak_amount, t_end - n.last), r.v[o]) << what << " neuron " << o;
    }
  }
};

TEST(snn, identifies_itself_and_its_memories) {
  snn_fixture f(make(32, 1000));
  EXPECT_EQ(f.b.rd(reg::id).value, 0xACCE0301u);
  EXPECT_EQ(f.b.rd(snn::regs::neurons).value, 1000u);
  EXPECT_EQ(f.b.rd(snn::regs::synapse_bytes).value, 131072u);
  EXPECT_EQ(f.b.rd(snn::regs::lanes).value, 32u);
}

TEST(snn, lazy_leak_equals_the_per_step_rule) {
  for (int v0 : {-32768, -20000, -300, -7, -1, 0, 1, 5, 255, 256, 1000, 32767})
    for (unsigned s = 1; s <= snn::max_shift; ++s)
      for (unsigned dt : {0u, 1u, 2u, 3u, 17u, 200u, 5000u}) {
        int x = v0;
        for (unsigned k = 0; k < dt; ++k) x -= x >> s;
        ASSERT_EQ(snn::leak(static_cast<std::int16_t>(v0), snn::leak_mode::shift, s, dt), x)
            << "v " << v0 << " shift " << s << " dt " << dt;
      }
  for (int v0 : {-32768, -300, -1, 0, 1, 300, 32767})
    for (unsigned a : {0u, 1u, 7u, 255u})
      for (unsigned dt : {0u, 1u, 5u, 1000u, 1u << 27}) {
        const long long m = std::max(0LL, std::llabs(v0) - static_cast<long long>(a) * dt);
        ASSERT_EQ(snn::leak(static_cast<std::int16_t>(v0), snn::leak_mode::linear, a, dt), v0 < 0 ? -m : m);
      }
  EXPECT_EQ(snn::leak(123, snn::leak_mode::shift, 2, std::uint64_t{1} << 40), 3);  // any dt, bounded work
}

TEST(snn, fully_connected_int8_matches_the_reference_in_every_neuron_mode) {
  unsigned seed = 1;
  snn_fixture f;
  for (auto leak : {snn::leak_mode::none, snn::leak_mode::linear, snn::leak_mode::shift})
    for (bool sub : {false, true})
      for (unsigned refr : {0u, 2u}) {
        layer_def L;
        L.in_c = 12;
        L.out_c = 9;
        L.leak = leak;
        L.leak_amount = leak == snn::leak_mode::none ? 0 : leak == snn::leak_mode::linear ? 3 : 2;
        L.reset_sub = sub;
        L.reset = -5;
        L.refractory = refr;
        random_weights(L, ++seed, -40, 60);
        f.expect_matches(L, random_spikes(L, 20, 0.3, seed), "fc");
        if (testing::Test::HasFatalFailure()) return;
      }
}

TEST(snn, fully_connected_int4_unpacks_nibbles_low_first) {
  snn_fixture f;
  layer_def L;
  L.int4 = true;
  L.in_c = 10;
  L.out_c = 7;  // odd: each row ends in a half-used byte
  L.threshold = 9;
  L.reset_sub = true;
  random_weights(L, 5, -8, 7);
  f.expect_matches(L, random_spikes(L, 15, 0.4, 6), "fc int4");
}

TEST(snn, convolution_reaches_only_in_range_outputs) {
  snn_fixture f;
  layer_def L;
  L.type = snn::layer_type::conv;
  L.k = 3;
  L.in_w = 5;
  L.in_h = 4;
  L.in_c = 2;
  L.out_w = 5;
  L.out_h = 4;
  L.out_c = 3;
  L.threshold = 1;  // every touched neuron with positive input fires: the reach is visible
  random_weights(L, 7, 1, 5);
  // One spike in the corner (0, 0): it reaches outputs (0..1, 0..1) only, 4 positions x 3 channels.
  f.expect_matches(L, {{0, 1, 0, 0}}, "corner");
  EXPECT_EQ(f.b.rd(snn::regs::out_spikes).value, 12u);
  EXPECT_EQ(f.model().synops(), 12u);
  L.k = 5;
  L.threshold = 25;
  random_weights(L, 8, -20, 30);
  f.expect_matches(L, random_spikes(L, 10, 0.3, 9), "conv 5x5");
}

TEST(snn, sparse_rows_reach_their_targets) {
  snn_fixture f;
  layer_def L;
  L.type = snn::layer_type::sparse;
  L.in_c = 16;
  L.out_c = 20;
  L.threshold = 30;
  L.leak = snn::leak_mode::linear;
  L.leak_amount = 1;
  std::mt19937 g(11);
  L.rows.resize(L.in_count());
  for (auto& r : L.rows) {
    const unsigned n = g() % 6;  // some rows empty
    for (unsigned k = 0; k < n; ++k)
      r.emplace_back(g() % 20, static_cast<std::int8_t>(static_cast<int>(g() % 90) - 30));
  }
  f.expect_matches(L, random_spikes(L, 20, 0.3, 12), "sparse");
}

TEST(snn, membranes_saturate_at_sixteen_bits) {
  snn_fixture f;
  layer_def L;
  L.in_c = 1;
  L.out_c = 2;
  L.threshold = 32767;
  L.reset_sub = true;
  L.w = {{127, -128}};
  // 300 spikes of one input in one step: +38100 and -38400, both beyond 16 bits.
  std::vector<spike_at> s(300, spike_at{0, 0, 0, 0});
  f.expect_matches(L, s, "saturation");
  EXPECT_EQ(f.model().state_of(0).v, 0);  // 32767 fired and subtracted the threshold
  EXPECT_EQ(f.model().state_of(1).v, -32768);
}

TEST(snn, a_refractory_neuron_discards_its_input) {
  snn_fixture f;
  layer_def L;
  L.in_c = 1;
  L.out_c = 1;
  L.threshold = 10;
  L.refractory = 3;
  L.w = {{10}};
  // Fires at 0; steps 1..3 discarded; fires again at 4.
  f.expect_matches(L, {{0, 0, 0, 0}, {1, 0, 0, 0}, {2, 0, 0, 0}, {3, 0, 0, 0}, {4, 0, 0, 0}}, "refractory");
  EXPECT_EQ(f.words(counts_addr, 1)[0], 2u);
}

TEST(snn, output_stream_is_markers_spikes_in_index_order_and_end) {
  snn_fixture f;
  layer_def L;
  L.in_c = 2;
  L.out_c = 4;
  L.threshold = 5;
  L.w = {{5, 0, 5, 5}, {0, 5, 0, 0}};
  ASSERT_EQ(f.layer(L, {ev::make_time(3), ev::make_spike(1, 0, 0), ev::make_spike(0, 0, 0), ev::make_time(3),
                        ev::make_time(7), ev::make_spike(1, 0, 0), ev::end_word}),
            0u);
  const std::vector<std::uint32_t> want = {
      ev::make_time(3),        ev::make_spike(0, 0, 0), ev::make_spike(1, 0, 0), ev::make_spike(2, 0, 0),
      ev::make_spike(3, 0, 0), ev::make_time(7),        ev::make_spike(1, 0, 0), ev::end_word};
  EXPECT_EQ(f.out_stream(L), want);
  EXPECT_EQ(f.b.rd(snn::regs::out_words).value, 8u);
  EXPECT_EQ(f.b.rd(snn::regs::out_end).value, 8u);
  EXPECT_EQ(f.b.rd(snn::regs::in_spikes).value, 3u);
  EXPECT_EQ(f.b.rd(snn::regs::out_spikes).value, 5u);
  EXPECT_EQ(f.b.rd(snn::regs::steps).value, 2u);
  EXPECT_EQ(f.words(counts_addr, 4), (std::vector<std::uint32_t>{1, 2, 1, 1}));
}

TEST(snn, both_rings_wrap) {
  snn_fixture f;
  layer_def L;
  L.in_c = 3;
  L.out_c = 3;
  L.threshold = 1;
  L.w = {{1, 1, 1}, {1, 1, 1}, {1, 1, 1}};
  L.in_size = 6;
  L.in_offset = 4;  // the stream's 5 words occupy 4, 5, 0, 1, 2
  L.out_size = 10;
  L.out_offset = 5;  // 9 words: 5..9, then 0..3
  const std::vector<spike_at> s = {{0, 0, 0, 0}, {1, 1, 0, 0}};
  f.expect_matches(L, s, "rings");
  EXPECT_EQ(f.b.rd(snn::regs::out_end).value, 4u);  // 2 markers, 6 spikes, END
}

TEST(snn, malformed_streams_are_event_errors_naming_the_word) {
  layer_def L;
  L.in_c = 2;
  L.in_h = 2;
  L.in_w = 2;
  L.out_c = 2;
  random_weights(L, 3, 0, 3);
  struct bad {
    std::vector<std::uint32_t> words;
    unsigned at;  // index of the offending word
  };
  const std::vector<bad> cases = {
      {{ev::make_spike(0, 0, 0), 0x30000000u, ev::end_word}, 1},  // unknown operation
      {{ev::make_spike(0, 0, 0) | (1u << 24), ev::end_word}, 0},  // reserved bits
      {{ev::make_time(5), ev::make_time(4), ev::end_word}, 1},    // time going back
      {{ev::make_spike(2, 0, 0), ev::end_word}, 0},               // channel outside
      {{ev::make_spike(0, 2, 0), ev::end_word}, 0},               // y outside
      {{ev::make_spike(0, 0, 0), ev::end_word | 1u}, 1},          // END with bits
  };
  snn_fixture f;
  for (const auto& c : cases) {
    EXPECT_EQ(f.layer(L, c.words), unsigned(error::event));
    EXPECT_EQ(f.b.rd(reg::err_addr).value, in_addr + 4 * c.at);
  }
  L.in_size = 3;  // no END in the ring
  EXPECT_EQ(f.layer(L, {ev::make_spike(0, 0, 0), ev::make_spike(0, 0, 0), ev::make_spike(0, 0, 0)}),
            unsigned(error::event));
}

TEST(snn, an_output_ring_too_small_is_an_overflow_and_stays_unwritten) {
  snn_fixture f;
  layer_def L;
  L.in_c = 1;
  L.out_c = 8;
  L.threshold = 1;
  L.w = {{1, 1, 1, 1, 1, 1, 1, 1}};
  L.out_size = 5;
  f.b.poke_words(out_addr, {0xDEADBEEF, 0xDEADBEEF});
  EXPECT_EQ(f.layer(L, {ev::make_spike(0, 0, 0), ev::end_word}), unsigned(error::overflow));
  EXPECT_EQ(f.b.rd(reg::err_addr).value, out_addr);
  EXPECT_EQ(f.words(out_addr, 2), (std::vector<std::uint32_t>{0xDEADBEEF, 0xDEADBEEF}));
}

TEST(snn, malformed_descriptors_are_reported) {
  layer_def good;
  random_weights(good, 1, 0, 1);
  std::uint32_t eo = 0;
  const auto img = good.image(eo);
  const std::vector<std::uint32_t> s = {ev::end_word};
  struct bad {
    const char* what;
    unsigned word;
    std::uint32_t value;
    error e;
  };
  const auto d0 = good.desc(0);
  const std::vector<bad> cases = {
      {"unknown flag", 0, d0[0] | (1u << 20), error::param},
      {"type 3", 0, d0[0] | (3u << 8), error::param},
      {"leak mode 3", 0, d0[0] | (3u << (8 + snn::flags::leak_shift)), error::param},
      {"sparse int4", 0, (d0[0] & ~(3u << 8)) | (2u << 8) | (snn::flags::int4 << 8), error::precision},
      {"reserved", snn::layer_word::reserved, 1, error::param},
      {"threshold 0", snn::layer_word::threshold_reset, 0, error::param},
      {"reset >= threshold", snn::layer_word::threshold_reset, 40u | (40u << 16), error::param},
      {"leak without mode", snn::layer_word::leak_refractory, 3, error::param},
      {"high bits", snn::layer_word::leak_refractory, 1u << 16, error::param},
      {"fc aux", snn::layer_word::aux, 3, error::param},
      {"in_c 0", snn::layer_word::in_c_out_c, 0u | (6u << 16), error::shape},
      {"in_c 257", snn::layer_word::in_c_out_c, 257u | (6u << 16), error::shape},
      {"fc out_w 2", snn::layer_word::out_wh, 2u | (1u << 16), error::shape},
      {"in_offset", snn::layer_word::in_offset, 4096, error::shape},
      {"out_size 1", snn::layer_word::out_size, 1, error::shape},
      {"state beyond", snn::layer_word::state, 8190, error::shape},
      {"weights beyond", snn::layer_word::weights, 131072 - 10, error::shape},
      {"unaligned input", snn::layer_word::in, static_cast<std::uint32_t>(in_addr + 2), error::align},
      {"unmapped output", snn::layer_word::out, 0x40000000u, error::unmapped},
      {"counts unmapped", snn::layer_word::counts, 0x40000000u, error::unmapped},
  };
  snn_fixture f;
  for (const auto& c : cases) {
    ASSERT_EQ(f.load(img), 0u);
    f.b.poke_words(in_addr, s);
    auto d = d0;
    d[c.word] = c.value;
    EXPECT_EQ(f.run(d), unsigned(c.e)) << c.what;
  }
  // Convolution: even or too large kernels, output shape not the input's.
  layer_def cv;
  cv.type = snn::layer_type::conv;
  cv.k = 3;
  cv.in_w = cv.out_w = 4;
  cv.in_h = cv.out_h = 4;
  random_weights(cv, 2, 0, 1);
  for (auto [k, ow] : {std::pair{2u, 4u}, {9u, 4u}, {3u, 3u}}) {
    ASSERT_EQ(f.load(cv.image(eo)), 0u);
    f.b.poke_words(in_addr, s);
    auto d = cv.desc(0);
    d[snn::layer_word::aux] = k;
    d[snn::layer_word::out_wh] = ow | (4u << 16);
    EXPECT_EQ(f.run(d), unsigned(error::shape)) << "k " << k << " out_w " << ow;
  }
  // Sparse: a target outside the layer, decreasing row pointers.
  layer_def sp;
  sp.type = snn::layer_type::sparse;
  sp.in_c = 2;
  sp.out_c = 4;
  sp.rows = {{{1, 5}}, {{4, 5}}};
  EXPECT_EQ(f.layer(sp, s), unsigned(error::param)) << "target 4 of 4";
  ASSERT_EQ(f.load({0, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0}), 0u);  // row_ptr 0, 2, 1
  f.b.poke_words(in_addr, s);
  EXPECT_EQ(f.run(sp.desc(12)), unsigned(error::param)) << "decreasing row_ptr";
  // LOAD and STATE.
  EXPECT_EQ(f.run({snn::opcode::load, 0, static_cast<std::uint32_t>(syn_src), 131070, 4, 0}),
            unsigned(error::shape));
  EXPECT_EQ(f.run({snn::opcode::load, 0, static_cast<std::uint32_t>(syn_src), 0, 0, 0}),
            unsigned(error::shape));
  EXPECT_EQ(f.run({snn::opcode::load | (1u << 8), 0, static_cast<std::uint32_t>(syn_src), 0, 4, 0}),
            unsigned(error::param));
  EXPECT_EQ(f.run({snn::opcode::state, 0, 8190, 3, static_cast<std::uint32_t>(state_addr), 0}),
            unsigned(error::shape));
  EXPECT_EQ(f.run({snn::opcode::state, 0, 0, 1, static_cast<std::uint32_t>(state_addr), 7}),
            unsigned(error::param));
  EXPECT_EQ(f.run({9, 0}), unsigned(error::opcode));
}

TEST(snn, state_copies_the_membranes_out) {
  snn_fixture f;
  layer_def L;
  L.in_c = 1;
  L.out_c = 3;
  L.threshold = 100;
  L.state = 10;
  L.w = {{7, -9, 50}};
  ASSERT_EQ(f.layer(L, {ev::make_spike(0, 0, 0), ev::make_spike(0, 0, 0), ev::end_word}), 0u);
  ASSERT_EQ(f.run({snn::opcode::state, 0, 9, 5, static_cast<std::uint32_t>(state_addr), 0}), 0u);
  const auto w = f.words(state_addr, 5);
  EXPECT_EQ(std::vector<std::int32_t>(w.begin(), w.end()),
            (std::vector<std::int32_t>{0, 14, -18, 100 - 100, 0}));
}

TEST(snn, state_persists_across_layers_without_clear) {
  snn_fixture f;
  layer_def L;
  L.in_c = 1;
  L.out_c = 1;
  L.threshold = 30;
  L.w = {{20}};
  ASSERT_EQ(f.layer(L, {ev::make_spike(0, 0, 0), ev::end_word}), 0u);
  L.clear = false;
  ASSERT_EQ(f.layer(L, {ev::make_spike(0, 0, 0), ev::end_word}), 0u);
  EXPECT_EQ(f.words(counts_addr, 1)[0], 1u);  // 20 + 20 crossed 30
  EXPECT_EQ(f.model().state_of(0).v, 0);
}

TEST(snn, time_follows_the_events_and_the_lanes) {
  // One spike of fan-out 64 costs ceil(64 / lanes) cycles; the step's close ceil(64 / lanes).
  snn_fixture f16(make(16), "16", false), f64(make(64), "64");
  auto cycles_for = [](snn_fixture& f) {
    layer_def L;
    L.in_c = 1;
    L.out_c = 64;
    L.threshold = 1000;
    L.counts = false;
    L.w = {std::vector<std::int8_t>(64, 1)};
    std::vector<std::uint32_t> s(100, ev::make_spike(0, 0, 0));
    s.push_back(ev::end_word);
    EXPECT_EQ(f.layer(L, s), 0u);
    return f.b.rd(reg::cycles_lo).value;
  };
  const auto c16 = cycles_for(f16), c64 = cycles_for(f64);
  // LOAD (16 cycles for 64 bytes), CLEAR (64/lanes), 101 words decoded, 100 x 64/lanes, close 64/lanes,
  // END written; plus a descriptor's DMA: the difference isolates the lanes.
  EXPECT_EQ(c16 - c64, (100 * 4 + 4 + 4) - (100 * 1 + 1 + 1));
}

TEST(snn, energy_events_follow_the_work_done) {
  snn_fixture f;
  layer_def L;
  L.in_c = 4;
  L.out_c = 32;
  L.threshold = 50;
  random_weights(L, 21, -10, 30);
  const auto s = random_spikes(L, 10, 0.5, 22);
  const ref_result r = reference(L, s);
  f.expect_matches(L, s, "energy");
  const auto words_in = stream(s).size();
  f.b.monitor.checkpoint(sc_core::sc_time_stamp());
  for (const auto& src : f.b.dev->power().sources()) {
    if (src.name == "synop") {
      EXPECT_EQ(src.events, r.synops);
      EXPECT_NEAR(src.value.value(), 0.221e-12, 1e-18);
    }
    if (src.name == "neuron_update") {
      EXPECT_EQ(src.events, r.updates);
    }
    if (src.name == "event_in") {
      EXPECT_EQ(src.events, words_in);
    }
    if (src.name == "event_out") {
      EXPECT_EQ(src.events, r.out.size());
    }
    if (src.name == "synapse_write") {
      EXPECT_EQ(src.events, 4u * 32u);
    }
  }
  EXPECT_EQ(f.model().synops(), r.synops);
  EXPECT_EQ(f.b.dev->operations(), r.synops);
  EXPECT_EQ(f.b.rd(snn::regs::synops_lo).value, r.synops);
  EXPECT_EQ(f.b.rd(snn::regs::synops_hi).value, 0u);
}

}  // namespace

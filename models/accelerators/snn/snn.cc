#include "models/accelerators/snn/snn.h"

#include <algorithm>
#include <cstring>
#include <memory>

#include "models/core/errors.h"

namespace edgevp::accel::snn {

namespace {

// CALIBRATION.md: SNE (Di Mauro et al., DATE 2022) spends 0.221 pJ per synaptic operation; the
// published figure is the engine's energy per SOP on its benchmark, a weight read and the
// accumulate into the neuron's state. The other sources are the memories around it, from the
// ZigZag SRAM figures (CALIBRATION.md: 0.045 pJ/bit read, 0.10 pJ/bit write, 32 KB): SNE
// publishes no breakdown.
constexpr double e_synop = 0.221e-12;
constexpr double sram_read_bit = 0.045e-12;
constexpr double sram_write_bit = 0.10e-12;
constexpr double e_neuron_update = 32 * (sram_read_bit + sram_write_bit);  // 32-bit state read + write
constexpr double e_event_in = 32 * sram_read_bit;       // an event word from the input FIFO
constexpr double e_event_out = 32 * sram_write_bit;     // an event word into the output FIFO
constexpr double e_synapse_write = 8 * sram_write_bit;  // a byte of the synapse memory
constexpr double e_state_read = 16 * sram_read_bit;     // a membrane read out (STATE)
constexpr double e_step = 10e-12;  // U: the time-step sequencer (timer, FIFO flags): no figure published

std::int16_t sat16(std::int64_t v) {
  return static_cast<std::int16_t>(std::clamp<std::int64_t>(v, -32768, 32767));
}

std::uint32_t le32(const std::uint8_t* p) {
  return std::uint32_t{p[0]} | std::uint32_t{p[1]} << 8 | std::uint32_t{p[2]} << 16 |
         std::uint32_t{p[3]} << 24;
}

std::uint64_t ceil_div(std::uint64_t a, std::uint64_t b) {
  return (a + b - 1) / b;
}

}  // namespace

std::vector<std::pair<std::string, std::uint32_t>> constants() {
  return {{"OP_LOAD", opcode::load},
          {"OP_LAYER", opcode::layer},
          {"OP_STATE", opcode::state},
          {"LOAD_WORDS", load_words},
          {"LAYER_WORDS", layer_words},
          {"STATE_WORDS", state_words},
          {"LAYER_FC", static_cast<std::uint32_t>(layer_type::fc) << 8},  // in descriptor word 0
          {"LAYER_CONV", static_cast<std::uint32_t>(layer_type::conv) << 8},
          {"LAYER_SPARSE", static_cast<std::uint32_t>(layer_type::sparse) << 8},
          {"LAYER_INT4", flags::int4 << 8},
          {"LAYER_LEAK_LINEAR", static_cast<std::uint32_t>(leak_mode::linear) << (flags::leak_shift + 8)},
          {"LAYER_LEAK_SHIFT", static_cast<std::uint32_t>(leak_mode::shift) << (flags::leak_shift + 8)},
          {"LAYER_RESET_SUB", flags::reset_sub << 8},
          {"LAYER_CLEAR", flags::clear << 8},
          {"LOAD_W_SRC", load_word::src},
          {"LOAD_W_DST", load_word::dst},
          {"LOAD_W_LEN", load_word::len},
          {"LAYER_W_IN", layer_word::in},
          {"LAYER_W_IN_SIZE", layer_word::in_size},
          {"LAYER_W_IN_OFFSET", layer_word::in_offset},
          {"LAYER_W_IN_WH", layer_word::in_wh},
          {"LAYER_W_IN_C_OUT_C", layer_word::in_c_out_c},
          {"LAYER_W_OUT_WH", layer_word::out_wh},
          {"LAYER_W_WEIGHTS", layer_word::weights},
          {"LAYER_W_AUX", layer_word::aux},
          {"LAYER_W_THRESHOLD_RESET", layer_word::threshold_reset},
          {"LAYER_W_LEAK_REFRACTORY", layer_word::leak_refractory},
          {"LAYER_W_STATE", layer_word::state},
          {"LAYER_W_OUT", layer_word::out},
          {"LAYER_W_OUT_SIZE", layer_word::out_size},
          {"LAYER_W_OUT_OFFSET", layer_word::out_offset},
          {"LAYER_W_COUNTS", layer_word::counts},
          {"STATE_W_FIRST", state_word::first},
          {"STATE_W_COUNT", state_word::count},
          {"STATE_W_DST", state_word::dst},
          {"EVT_OP_SHIFT", event::op_shift},
          {"EVT_SPIKE", event::spike},
          {"EVT_TIME", event::time},
          {"EVT_END", event::end},
          {"MAX_DIM", max_dim},
          {"MAX_KERNEL", max_kernel}};
}

std::int16_t leak(std::int16_t v, leak_mode mode, unsigned amount, std::uint64_t dt) {
  if (dt == 0 || v == 0) return v;
  if (mode == leak_mode::linear) {
    const std::uint64_t d = std::min<std::uint64_t>(dt, 1u << 28) * amount;  // |v| < 2^15: no overflow
    const std::int64_t m = v > 0 ? v : -std::int64_t{v};
    const std::int64_t r =
        m - static_cast<std::int64_t>(std::min<std::uint64_t>(d, static_cast<std::uint64_t>(m)));
    return static_cast<std::int16_t>(v > 0 ? r : -r);
  }
  if (mode != leak_mode::shift) return v;
  // v -> v - (v >> s), dt times: while v >> s keeps one value d, each step moves v by d; count
  // those steps at once. At most a few thousand runs whatever dt.
  std::int64_t x = v;
  const std::int64_t step = std::int64_t{1} << amount;
  std::uint64_t left = dt;
  while (left > 0) {
    const std::int64_t d = x >> amount;  // floor(x / 2^s)
    if (d == 0) break;                   // 0 <= x < 2^s: it stays
    const std::int64_t n = d > 0 ? (x - d * step) / d + 1 : ((d + 1) * step - 1 - x) / (-d) + 1;
    const auto k = std::min<std::uint64_t>(static_cast<std::uint64_t>(n), left);
    x -= static_cast<std::int64_t>(k) * d;
    left -= k;
  }
  return static_cast<std::int16_t>(x);
}

// --- one LAYER descriptor ----------------------------------------------------------------------

class layer_run {
 public:
  layer_run(snn& owner, job& j) : m_s(owner), m_j(j) {}
  sc_core::sc_time run();

 private:
  bool decode();
  bool check_sparse();
  bool read_word(std::uint32_t& w, std::uint64_t& addr);
  bool spike(std::uint32_t w, std::uint64_t addr);
  void touch(std::uint32_t n, std::int32_t weight);
  bool close_step();
  bool emit(std::uint32_t w);
  [[nodiscard]] std::int32_t weight(std::uint64_t row, unsigned o) const;

  snn& m_s;
  job& m_j;
  // The descriptor.
  layer_type m_type = layer_type::fc;
  bool m_int4 = false;
  leak_mode m_leak = leak_mode::none;
  bool m_reset_sub = false;
  bool m_clear = false;
  std::uint32_t m_in = 0, m_in_size = 0, m_in_offset = 0;
  unsigned m_in_w = 0, m_in_h = 0, m_in_c = 0, m_out_w = 0, m_out_h = 0, m_out_c = 0, m_k = 0;
  std::uint32_t m_weights = 0, m_aux = 0;
  std::int16_t m_threshold = 0, m_reset = 0;
  unsigned m_leak_amount = 0, m_refractory = 0;
  std::uint32_t m_state = 0;
  std::uint32_t m_out = 0, m_out_size = 0, m_out_offset = 0, m_counts = 0;
  std::uint64_t m_in_count = 0, m_out_count = 0, m_row_bytes = 0;
  // The run.
  std::uint32_t m_step = 0;
  std::vector<std::int32_t> m_acc;
  std::vector<std::uint8_t> m_touched;
  std::vector<std::uint32_t> m_touched_list;
  std::vector<std::uint32_t> m_spiked;
  std::vector<std::uint32_t> m_counts_v;
  std::vector<std::uint32_t> m_out_words;
  std::uint64_t m_read_pos = 0;  // words of the stream consumed
  std::vector<std::uint32_t> m_chunk;
  std::uint64_t m_chunk_first = 0;  // stream position of m_chunk[0]
  sc_core::sc_time m_t_dma;
  std::uint64_t m_cycles = 0;
  std::uint32_t m_in_spikes = 0, m_out_spikes = 0, m_steps = 0;
};

bool layer_run::decode() {
  const std::uint32_t fl = m_j.flags();
  const auto w = [this](unsigned i) { return m_j.word(i); };
  const unsigned type = fl & flags::type_mask;
  const unsigned leak = (fl & flags::leak_mask) >> flags::leak_shift;
  const std::uint32_t lr = w(layer_word::leak_refractory);
  if ((fl & ~flags::all) != 0 || type > 2 || leak > 2 || w(layer_word::reserved) != 0 || (lr >> 16) != 0) {
    m_j.fail(error::param);
    return false;
  }
  m_type = static_cast<layer_type>(type);
  m_int4 = (fl & flags::int4) != 0;
  m_leak = static_cast<leak_mode>(leak);
  m_reset_sub = (fl & flags::reset_sub) != 0;
  m_clear = (fl & flags::clear) != 0;
  m_in = w(layer_word::in);
  m_in_size = w(layer_word::in_size);
  m_in_offset = w(layer_word::in_offset);
  m_in_w = w(layer_word::in_wh) & 0xFFFFu;
  m_in_h = w(layer_word::in_wh) >> 16;
  m_in_c = w(layer_word::in_c_out_c) & 0xFFFFu;
  m_out_c = w(layer_word::in_c_out_c) >> 16;
  m_out_w = w(layer_word::out_wh) & 0xFFFFu;
  m_out_h = w(layer_word::out_wh) >> 16;
  m_weights = w(layer_word::weights);
  m_aux = w(layer_word::aux);
  m_threshold = static_cast<std::int16_t>(w(layer_word::threshold_reset) & 0xFFFFu);
  m_reset = static_cast<std::int16_t>(w(layer_word::threshold_reset) >> 16);
  m_leak_amount = lr & 0xFFu;
  m_refractory = (lr >> 8) & 0xFFu;
  m_state = w(layer_word::state);
  m_out = w(layer_word::out);
  m_out_size = w(layer_word::out_size);
  m_out_offset = w(layer_word::out_offset);
  m_counts = w(layer_word::counts);

  if (m_type == layer_type::sparse && m_int4) {
    m_j.fail(error::precision);
    return false;
  }
  const bool leak_ok = m_leak == leak_mode::none    ? m_leak_amount == 0
                       : m_leak == leak_mode::shift ? m_leak_amount >= 1 && m_leak_amount <= max_shift
                                                    : true;
  if (m_threshold < 1 || m_reset >= m_threshold || !leak_ok || (m_type == layer_type::fc && m_aux != 0)) {
    m_j.fail(error::param);
    return false;
  }
  const auto dim_ok = [](unsigned d) { return d >= 1 && d <= max_dim; };
  bool shape = dim_ok(m_in_w) && dim_ok(m_in_h) && dim_ok(m_in_c) && dim_ok(m_out_w) && dim_ok(m_out_h) &&
               dim_ok(m_out_c) && m_in_size >= 1 && m_in_offset < m_in_size && m_out_size >= 2 &&
               m_out_offset < m_out_size;
  if (m_type == layer_type::fc) shape = shape && m_out_w == 1 && m_out_h == 1;
  if (m_type == layer_type::conv) {
    m_k = m_aux;
    shape = shape && m_k % 2 == 1 && m_k <= max_kernel && m_out_w == m_in_w && m_out_h == m_in_h;
  }
  m_in_count = std::uint64_t{m_in_c} * m_in_h * m_in_w;
  m_out_count = std::uint64_t{m_out_c} * m_out_h * m_out_w;
  m_row_bytes = m_int4 ? ceil_div(m_out_c, 2) : m_out_c;
  const std::uint64_t syn = m_s.m_synapses.size();
  if (m_type == layer_type::fc) shape = shape && m_weights + m_in_count * m_row_bytes <= syn;
  if (m_type == layer_type::conv)
    shape = shape && m_weights + std::uint64_t{m_in_c} * m_k * m_k * m_row_bytes <= syn;
  if (m_type == layer_type::sparse) shape = shape && m_weights + (m_in_count + 1) * 4 <= syn;
  shape = shape && m_state + m_out_count <= m_s.m_neurons.size();
  if (!shape) {
    m_j.fail(error::shape);
    return false;
  }
  if (m_type == layer_type::sparse && !check_sparse()) return false;
  if (!m_j.check_buffer(m_in, std::uint64_t{m_in_size} * 4, 4)) return false;
  if (!m_j.check_buffer(m_out, std::uint64_t{m_out_size} * 4, 4)) return false;
  if (m_counts != 0 && !m_j.check_buffer(m_counts, m_out_count * 4, 4)) return false;
  return true;
}

// The compressed rows must stay in the synapse memory and address neurons of the layer.
bool layer_run::check_sparse() {
  const std::uint8_t* mem = m_s.m_synapses.data();
  const std::uint64_t syn = m_s.m_synapses.size();
  std::uint32_t prev = 0;
  for (std::uint64_t i = 0; i <= m_in_count; ++i) {
    const std::uint32_t p = le32(mem + m_weights + i * 4);
    if (p < prev) {
      m_j.fail(error::param);
      return false;
    }
    prev = p;
  }
  if (m_aux + std::uint64_t{prev} * 4 > syn) {
    m_j.fail(error::shape);
    return false;
  }
  const std::uint32_t first = le32(mem + m_weights);
  for (std::uint64_t e = first; e < prev; ++e) {
    const std::uint32_t entry = le32(mem + m_aux + e * 4);
    if ((entry >> 24) != 0 || (entry & 0xFFFFu) >= m_out_count) {
      m_j.fail(error::param);
      return false;
    }
  }
  return m_j.charge(prev - first + m_in_count);
}

bool layer_run::read_word(std::uint32_t& w, std::uint64_t& addr) {
  if (m_read_pos >= m_in_size) {  // the whole ring without an END
    m_j.fail(error::event, m_in + std::uint64_t{(m_in_offset + m_in_size - 1) % m_in_size} * 4);
    return false;
  }
  const std::uint64_t idx = (m_in_offset + m_read_pos) % m_in_size;
  if (m_read_pos >= m_chunk_first + m_chunk.size()) {
    // A burst of up to 16 words, not across the ring's end nor past the stream's bound.
    constexpr std::uint64_t burst_words = 16;
    const std::uint64_t n = std::min({burst_words, std::uint64_t{m_in_size} - idx, m_in_size - m_read_pos});
    m_chunk.assign(n, 0);
    m_chunk_first = m_read_pos;
    if (!m_j.read(m_in + idx * 4, m_chunk.data(), n * 4, m_t_dma)) return false;
  }
  w = m_chunk[m_read_pos - m_chunk_first];
  addr = m_in + idx * 4;
  ++m_read_pos;
  ++m_s.m_words_in;
  ++m_cycles;  // decode
  return m_j.charge(1);
}

std::int32_t layer_run::weight(std::uint64_t row, unsigned o) const {
  const std::uint8_t* r = m_s.m_synapses.data() + m_weights + row * m_row_bytes;
  if (!m_int4) return static_cast<std::int8_t>(r[o]);
  const unsigned nib = (r[o / 2] >> ((o % 2) * 4)) & 0xFu;
  return static_cast<std::int32_t>((nib ^ 8u)) - 8;
}

void layer_run::touch(std::uint32_t n, std::int32_t w) {
  if (m_touched[n] == 0) {
    m_touched[n] = 1;
    m_touched_list.push_back(n);
    m_acc[n] = 0;
    neuron& s = m_s.m_neurons[m_state + n];
    s.v = leak(s.v, m_leak, m_leak_amount, m_step > s.last ? m_step - s.last : 0);
    s.last = m_step;
  }
  m_acc[n] += w;
}

bool layer_run::spike(std::uint32_t w, std::uint64_t addr) {
  const unsigned c = (w >> 16) & 0xFFu, y = (w >> 8) & 0xFFu, x = w & 0xFFu;
  if (((w >> 24) & 0xFu) != 0 || c >= m_in_c || y >= m_in_h || x >= m_in_w) {
    m_j.fail(error::event, addr);
    return false;
  }
  ++m_in_spikes;
  const std::uint64_t i = (std::uint64_t{y} * m_in_w + x) * m_in_c + c;
  std::uint64_t fanout = 0;
  if (m_type == layer_type::fc) {
    if (!m_j.charge(m_out_c)) return false;
    for (unsigned o = 0; o < m_out_c; ++o) touch(o, weight(i, o));
    fanout = m_out_c;
  } else if (m_type == layer_type::conv) {
    if (!m_j.charge(std::uint64_t{m_k} * m_k * m_out_c)) return false;
    const int half = static_cast<int>(m_k / 2);
    for (unsigned ky = 0; ky < m_k; ++ky) {
      const int y0 = static_cast<int>(y) - static_cast<int>(ky) + half;
      if (y0 < 0 || y0 >= static_cast<int>(m_out_h)) continue;
      for (unsigned kx = 0; kx < m_k; ++kx) {
        const int x0 = static_cast<int>(x) - static_cast<int>(kx) + half;
        if (x0 < 0 || x0 >= static_cast<int>(m_out_w)) continue;
        const std::uint64_t row = (std::uint64_t{c} * m_k + ky) * m_k + kx;
        const auto base = static_cast<std::uint32_t>(
            (static_cast<std::uint64_t>(y0) * m_out_w + static_cast<unsigned>(x0)) * m_out_c);
        for (unsigned o = 0; o < m_out_c; ++o) touch(base + o, weight(row, o));
        fanout += m_out_c;
      }
    }
  } else {
    const std::uint8_t* mem = m_s.m_synapses.data();
    const std::uint32_t b = le32(mem + m_weights + i * 4), e = le32(mem + m_weights + (i + 1) * 4);
    if (!m_j.charge(e - b)) return false;
    for (std::uint32_t k = b; k < e; ++k) {
      const std::uint32_t entry = le32(mem + m_aux + std::uint64_t{k} * 4);
      touch(entry & 0xFFFFu, static_cast<std::int8_t>((entry >> 16) & 0xFFu));
    }
    fanout = e - b;
  }
  m_s.m_synops += fanout;
  m_s.count_ops(fanout);
  m_cycles += std::max<std::uint64_t>(1, ceil_div(fanout, m_s.m_lanes));
  return true;
}

bool layer_run::emit(std::uint32_t w) {
  if (m_out_words.size() >= m_out_size) {
    m_j.fail(error::overflow, m_out);
    return false;
  }
  m_out_words.push_back(w);
  ++m_cycles;
  return true;
}

// The step closes: every touched neuron, in ascending index, integrates its accumulator and fires.
bool layer_run::close_step() {
  if (m_touched_list.empty()) return true;
  std::sort(m_touched_list.begin(), m_touched_list.end());
  m_spiked.clear();
  for (const std::uint32_t n : m_touched_list) {
    neuron& s = m_s.m_neurons[m_state + n];
    m_touched[n] = 0;
    ++m_s.m_updates;
    if (m_step < s.refr) continue;  // refractory: the step's input is discarded
    std::int16_t v = sat16(std::int64_t{s.v} + m_acc[n]);
    if (v >= m_threshold) {
      m_spiked.push_back(n);
      ++m_counts_v[n];
      v = m_reset_sub ? sat16(std::int64_t{v} - m_threshold) : m_reset;
      s.refr = m_step + 1 + m_refractory;
    }
    s.v = v;
  }
  m_cycles += ceil_div(m_touched_list.size(), m_s.m_lanes);
  m_touched_list.clear();
  ++m_steps;
  if (m_spiked.empty()) return true;
  if (!emit(event::make_time(m_step))) return false;
  for (const std::uint32_t n : m_spiked) {
    const unsigned c = n % m_out_c, rest = n / m_out_c;
    if (!emit(event::make_spike(c, rest / m_out_w, rest % m_out_w))) return false;
  }
  m_out_spikes += static_cast<std::uint32_t>(m_spiked.size());
  return true;
}

sc_core::sc_time layer_run::run() {
  if (!decode()) return m_j.start();
  m_t_dma = m_j.start();
  m_acc.assign(m_out_count, 0);
  m_touched.assign(m_out_count, 0);
  m_counts_v.assign(m_out_count, 0);
  if (m_clear) {
    std::fill_n(m_s.m_neurons.begin() + m_state, m_out_count, neuron{});
    m_cycles += ceil_div(m_out_count, m_s.m_lanes);
  }
  for (;;) {
    std::uint32_t w = 0;
    std::uint64_t addr = 0;
    if (!read_word(w, addr)) return m_t_dma;
    const std::uint32_t op = w >> event::op_shift;
    if (op == event::spike) {
      if (!spike(w, addr)) return m_t_dma;
    } else if (op == event::time) {
      const std::uint32_t t = w & event::max_time;
      if (t < m_step) {
        m_j.fail(error::event, addr);
        return m_t_dma;
      }
      if (t > m_step && !close_step()) return m_t_dma;
      m_step = t;
    } else if (op == event::end && w == event::end_word) {
      if (!close_step() || !emit(event::end_word)) return m_t_dma;
      break;
    } else {
      m_j.fail(error::event, addr);
      return m_t_dma;
    }
  }
  // Compute and input DMA overlap; the output leaves when both are done.
  sc_core::sc_time t = std::max(m_t_dma, m_j.start() + m_j.cycles(m_cycles));
  const std::uint64_t n = m_out_words.size();
  const std::uint64_t first = std::min<std::uint64_t>(n, m_out_size - m_out_offset);
  if (!m_j.write(m_out + std::uint64_t{m_out_offset} * 4, m_out_words.data(), first * 4, t)) return t;
  if (n > first && !m_j.write(m_out, m_out_words.data() + first, (n - first) * 4, t)) return t;
  if (m_counts != 0 && !m_j.write(m_counts, m_counts_v.data(), m_out_count * 4, t)) return t;
  m_s.m_words_out += n;
  m_s.m_steps += m_steps;
  m_s.m_spikes_in += m_in_spikes;
  m_s.m_spikes_out += m_out_spikes;
  ++m_s.m_layers;
  m_s.m_last_out_end = static_cast<std::uint32_t>((m_out_offset + n) % m_out_size);
  m_s.m_last_out_words = static_cast<std::uint32_t>(n);
  m_s.m_last_in_spikes = m_in_spikes;
  m_s.m_last_out_spikes = m_out_spikes;
  m_s.m_last_steps = m_steps;
  return t;
}

// --- the accelerator ---------------------------------------------------------------------------

snn::snn(const sc_core::sc_module_name& name, const instance& inst)
    : accelerator(name, inst, code),
      neurons_reg(this, "NEURONS", regs::neurons, 0, core::access::ro),
      synapse_bytes_reg(this, "SYNAPSE_BYTES", regs::synapse_bytes, 0, core::access::ro),
      lanes_reg(this, "LANES", regs::lanes, 0, core::access::ro),
      out_end(this, "OUT_END", regs::out_end, 0, core::access::ro),
      out_words(this, "OUT_WORDS", regs::out_words, 0, core::access::ro),
      in_spikes(this, "IN_SPIKES", regs::in_spikes, 0, core::access::ro),
      out_spikes(this, "OUT_SPIKES", regs::out_spikes, 0, core::access::ro),
      steps(this, "STEPS", regs::steps, 0, core::access::ro),
      synops_lo(this, "SYNOPS_LO", regs::synops_lo, 0, core::access::ro),
      synops_hi(this, "SYNOPS_HI", regs::synops_hi, 0, core::access::ro),
      m_lanes(static_cast<unsigned>(inst.integer("lanes"))),
      m_neurons(inst.integer("neurons")),
      m_synapses(inst.integer("synapse_bytes"), 0) {
  if (inst.size < regs::synops_hi + 4)
    throw core::config_error(inst.name + ".size must cover its registers (at least 0x68 bytes)");
  neurons_reg.on_read([this] { return static_cast<std::uint32_t>(m_neurons.size()); });
  synapse_bytes_reg.on_read([this] { return static_cast<std::uint32_t>(m_synapses.size()); });
  lanes_reg.on_read([this] { return m_lanes; });
  out_end.on_read([this] { return m_last_out_end; });
  out_words.on_read([this] { return m_last_out_words; });
  in_spikes.on_read([this] { return m_last_in_spikes; });
  out_spikes.on_read([this] { return m_last_out_spikes; });
  steps.on_read([this] { return m_last_steps; });
  synops_lo.on_read([this] {
    m_synops_hi_latch = static_cast<std::uint32_t>(m_synops >> 32);
    return static_cast<std::uint32_t>(m_synops);
  });
  synops_hi.on_read([this] { return m_synops_hi_latch; });

  core::power::component& p = power();
  p.add_event("synop", inst.power_source("synop", e_synop), {&m_synops});
  p.add_event("neuron_update", inst.power_source("neuron_update", e_neuron_update), {&m_updates});
  p.add_event("event_in", inst.power_source("event_in", e_event_in), {&m_words_in});
  p.add_event("event_out", inst.power_source("event_out", e_event_out), {&m_words_out});
  p.add_event("step", inst.power_source("step", e_step), {&m_steps});
  p.add_event("synapse_write", inst.power_source("synapse_write", e_synapse_write),
              {&m_synapse_bytes_written});
  p.add_event("state_read", inst.power_source("state_read", e_state_read), {&m_state_reads});
}

std::vector<std::pair<std::string, double>> snn::report() const {
  return {{"neurons", static_cast<double>(m_neurons.size())},
          {"synapse_bytes", static_cast<double>(m_synapses.size())},
          {"layers", static_cast<double>(m_layers)},
          {"synops", static_cast<double>(m_synops)},
          {"neuron_updates", static_cast<double>(m_updates)},
          {"spikes_in", static_cast<double>(m_spikes_in)},
          {"spikes_out", static_cast<double>(m_spikes_out)},
          {"event_words_in", static_cast<double>(m_words_in)},
          {"event_words_out", static_cast<double>(m_words_out)},
          {"steps", static_cast<double>(m_steps)},
          {"synapse_bytes_written", static_cast<double>(m_synapse_bytes_written)}};
}

unsigned snn::descriptor_words(std::uint8_t op) const {
  switch (op) {
    case opcode::load: return load_words;
    case opcode::layer: return layer_words;
    case opcode::state: return state_words;
    default: return 0;
  }
}

sc_core::sc_time snn::execute(job& j) {
  switch (j.opcode()) {
    case opcode::load: return load(j);
    case opcode::layer: return layer(j);
    default: return state(j);
  }
}

sc_core::sc_time snn::load(job& j) {
  const std::uint32_t src = j.word(load_word::src), dst = j.word(load_word::dst),
                      len = j.word(load_word::len);
  if (j.flags() != 0 || j.word(load_word::reserved) != 0) {
    j.fail(error::param);
    return j.start();
  }
  if (len == 0 || std::uint64_t{dst} + len > m_synapses.size()) {
    j.fail(error::shape);
    return j.start();
  }
  if (!j.check_buffer(src, len) || !j.charge(len)) return j.start();
  sc_core::sc_time t = j.start();
  if (!j.read(src, m_synapses.data() + dst, len, t)) return t;
  m_synapse_bytes_written += len;
  return std::max(t, j.start() + j.cycles(ceil_div(len, 4)));  // a word per cycle into the memory
}

sc_core::sc_time snn::layer(job& j) {
  layer_run r(*this, j);
  return r.run();
}

sc_core::sc_time snn::state(job& j) {
  const std::uint32_t first = j.word(state_word::first), count = j.word(state_word::count),
                      dst = j.word(state_word::dst);
  if (j.flags() != 0 || j.word(state_word::reserved) != 0) {
    j.fail(error::param);
    return j.start();
  }
  if (count == 0 || std::uint64_t{first} + count > m_neurons.size()) {
    j.fail(error::shape);
    return j.start();
  }
  if (!j.check_buffer(dst, std::uint64_t{count} * 4, 4) || !j.charge(count)) return j.start();
  std::vector<std::int32_t> v(count);
  for (std::uint32_t i = 0; i < count; ++i) v[i] = m_neurons[first + i].v;
  m_state_reads += count;
  sc_core::sc_time t = j.start() + j.cycles(ceil_div(count, m_lanes));
  j.write(dst, v.data(), v.size() * 4, t);
  return t;
}

void snn::power_lost() {
  // Both memories are SRAM: state and weights are gone.
  std::fill(m_neurons.begin(), m_neurons.end(), neuron{});
  std::fill(m_synapses.begin(), m_synapses.end(), 0);
}

kind_info kind() {
  kind_info k;
  k.name = "snn";
  k.code = snn::code;
  k.summary =
      "event-driven spiking neural network engine (SNE-like): LIF neurons, FC / conv / sparse layers, "
      "energy per synaptic operation";
  using ps = param_spec;
  k.keys = {
      // SNE: 8 slices x 16 groups x 64 neurons of state (CALIBRATION.md).
      ps::integer("neurons", 8192, 1, 1u << 20, "neuron memory (membrane, last update, refractory end)",
                  "neurons"),
      ps::integer("synapse_bytes", 131072, 4, 1u << 26, "synapse memory (weights, sparse rows)", "bytes"),
      ps::integer("lanes", 16, 1, 4096,
                  "synaptic operations per cycle (U: SNE publishes no figure per cycle)"),
  };
  k.power = {
      ps::energy("synop", e_synop, "energy per synaptic operation (SNE: 0.221 pJ)"),
      ps::energy("neuron_update", e_neuron_update, "energy per neuron update at a step's close")
          .computed_default("32-bit state read + write: 32 x (0.045 + 0.10) pJ/bit"),
      ps::energy("event_in", e_event_in, "energy per event word read").computed_default("32 x 0.045 pJ/bit"),
      ps::energy("event_out", e_event_out, "energy per event word written")
          .computed_default("32 x 0.10 pJ/bit"),
      ps::energy("step", e_step, "energy per time step closed (U)"),
      ps::energy("synapse_write", e_synapse_write, "energy per synapse-memory byte written (LOAD)")
          .computed_default("8 x 0.10 pJ/bit"),
      ps::energy("state_read", e_state_read, "energy per membrane read out (STATE)")
          .computed_default("16 x 0.045 pJ/bit"),
  };
  k.constants = constants();
  k.default_power = {1e-12, 2e-6, 0.0};  // leakage: U (as the digital CIM's: a few 100 kb of SRAM)
  k.make = [](const instance& inst) -> std::unique_ptr<device> {
    return std::make_unique<snn>(inst.name.c_str(), inst);
  };
  return k;
}

}  // namespace edgevp::accel::snn

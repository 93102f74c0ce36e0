#include "models/accelerators/cim/cim.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "models/core/errors.h"

namespace edgevp::accel::cim {

std::vector<std::pair<std::string, std::uint32_t>> constants() {
  return {{"OP_LOAD", opcode::load},
          {"OP_MVM", opcode::mvm},
          {"LOAD_WORDS", load_words},
          {"MVM_WORDS", mvm_words},
          {"MVM_RELU", flags::relu << 8},  // in descriptor word 0
          {"MVM_OUT32", flags::out32 << 8},
          {"MAX_BATCH", max_batch},
          {"LOAD_W_SRC", load_word::src},
          {"LOAD_W_SRC_STRIDE", load_word::src_stride},
          {"LOAD_W_ROW0_ROWS", load_word::row0_rows},
          {"LOAD_W_COL0_COLS", load_word::col0_cols},
          {"LOAD_W_W_BITS", load_word::w_bits},
          {"LOAD_W_RESERVED", load_word::reserved},
          {"MVM_W_IN", mvm_word::in},
          {"MVM_W_IN_STRIDE", mvm_word::in_stride},
          {"MVM_W_OUT", mvm_word::out},
          {"MVM_W_OUT_STRIDE", mvm_word::out_stride},
          {"MVM_W_ROW0_ROWS", mvm_word::row0_rows},
          {"MVM_W_COL0_COLS", mvm_word::col0_cols},
          {"MVM_W_BATCH", mvm_word::batch},
          {"MVM_W_IN_BITS", mvm_word::in_bits},
          {"MVM_W_BIAS", mvm_word::bias},
          {"MVM_W_SCALE", mvm_word::scale},
          {"MVM_W_SHIFT", mvm_word::shift},
          {"MVM_W_ADC_SHIFT", mvm_word::adc_shift},
          {"MVM_W_RESERVED", mvm_word::reserved}};
}

std::int32_t sign_extend(std::uint32_t v, unsigned bits) {
  const std::uint32_t m = bits >= 32 ? 0xFFFFFFFFu : ((1u << bits) - 1u);
  const std::uint32_t sign = 1u << (bits - 1);
  const std::uint32_t x = v & m;
  return static_cast<std::int32_t>((x ^ sign) - sign);
}

std::int8_t requantise(std::int64_t acc, std::int32_t scale, unsigned shift, bool relu) {
  // The product is exact: an accumulator of up to 62 bits (analog: 24-bit ADC codes shifted by up
  // to 30 + 7) times a 32-bit scale fits 128 bits.
  __extension__ using i128 = __int128;
  i128 y = static_cast<i128>(acc) * scale;
  if (shift > 0) y = (y + (static_cast<i128>(1) << (shift - 1))) >> shift;
  if (relu && y < 0) y = 0;
  return static_cast<std::int8_t>(y < -128 ? -128 : y > 127 ? 127 : static_cast<int>(y));
}

cim::cim(const sc_core::sc_module_name& name, const instance& inst, std::uint8_t code)
    : accelerator(name, inst, code),
      rows_reg(this, "ROWS", regs::rows, 0, core::access::ro),
      cols_reg(this, "COLS", regs::cols, 0, core::access::ro),
      precisions(this, "PRECISIONS", regs::precisions, 0, core::access::ro),
      adc_bits_reg(this, "ADC_BITS", regs::adc_bits, 0, core::access::ro),
      dac_bits_reg(this, "DAC_BITS", regs::dac_bits, 0, core::access::ro),
      noise_sd(this, "NOISE_SD", regs::noise_sd, 0, core::access::ro),
      max_writes(this, "MAX_WRITES", regs::max_writes, 0, core::access::ro),
      m_rows(static_cast<unsigned>(inst.integer("rows"))),
      m_cols(static_cast<unsigned>(inst.integer("cols"))) {
  if (inst.size < regs::max_writes + 4)
    throw core::config_error(inst.name + ".size must cover its registers (at least 0x60 bytes)");
  rows_reg.on_read([this] { return m_rows; });
  cols_reg.on_read([this] { return m_cols; });
}

double cim::utilisation() const {
  return m_cell_slots == 0 ? 0.0 : static_cast<double>(m_macs) / static_cast<double>(m_cell_slots);
}

std::vector<std::pair<std::string, double>> cim::report() const {
  return {{"rows", m_rows},
          {"cols", m_cols},
          {"macs", static_cast<double>(m_macs)},
          {"vectors", static_cast<double>(m_vectors)},
          {"array_utilisation", utilisation()},
          {"compute_time_s", m_compute_time.to_seconds()},
          {"weight_loads", static_cast<double>(m_loads)},
          {"cells_programmed", static_cast<double>(m_cells_programmed)}};
}

unsigned cim::descriptor_words(std::uint8_t op) const {
  switch (op) {
    case opcode::load: return load_words;
    case opcode::mvm: return mvm_words;
    default: return 0;
  }
}

sc_core::sc_time cim::execute(job& j) {
  return j.opcode() == opcode::load ? load(j) : mvm(j);
}

sc_core::sc_time cim::load(job& j) {
  const std::uint32_t src = j.word(load_word::src);
  const std::uint32_t stride = j.word(load_word::src_stride);
  const unsigned row0 = j.word(load_word::row0_rows) & 0xFFFFu;
  const unsigned rows = j.word(load_word::row0_rows) >> 16;
  const unsigned col0 = j.word(load_word::col0_cols) & 0xFFFFu;
  const unsigned cols = j.word(load_word::col0_cols) >> 16;
  const unsigned w_bits = j.word(load_word::w_bits);
  if (j.flags() != 0 || j.word(load_word::reserved) != 0) {
    j.fail(error::param);
    return j.start();
  }
  if (rows == 0 || cols == 0 || row0 + rows > m_rows || col0 + cols > m_cols) {
    j.fail(error::shape);
    return j.start();
  }
  if (!weight_bits_ok(w_bits)) {
    j.fail(error::precision);
    return j.start();
  }
  if (!j.check_buffer(src, std::uint64_t{cols - 1} * stride + rows)) return j.start();
  if (!j.charge(std::uint64_t{rows} * cols)) return j.start();

  std::vector<std::int8_t> w(std::size_t{rows} * cols);
  sc_core::sc_time t = j.start();
  if (stride == rows) {
    if (!j.read(src, w.data(), w.size(), t)) return t;
  } else {
    for (unsigned c = 0; c < cols; ++c)
      if (!j.read(src + std::uint64_t{c} * stride, w.data() + std::size_t{c} * rows, rows, t)) return t;
  }
  program(row0, rows, col0, cols, w.data(), w_bits);
  ++m_loads;
  m_cells_programmed += std::uint64_t{rows} * cols;
  const sc_core::sc_time p = program_time(j, rows, cols);
  m_compute_time += p;
  return t + p;
}

sc_core::sc_time cim::mvm(job& j) {
  const std::uint32_t in = j.word(mvm_word::in);
  const std::uint32_t in_stride = j.word(mvm_word::in_stride);
  const std::uint32_t out = j.word(mvm_word::out);
  const std::uint32_t out_stride = j.word(mvm_word::out_stride);
  const unsigned row0 = j.word(mvm_word::row0_rows) & 0xFFFFu;
  const unsigned rows = j.word(mvm_word::row0_rows) >> 16;
  const unsigned col0 = j.word(mvm_word::col0_cols) & 0xFFFFu;
  const unsigned cols = j.word(mvm_word::col0_cols) >> 16;
  const std::uint32_t batch = j.word(mvm_word::batch);
  const unsigned in_bits = j.word(mvm_word::in_bits);
  const std::uint32_t bias = j.word(mvm_word::bias);
  const auto scale = static_cast<std::int32_t>(j.word(mvm_word::scale));
  const std::uint32_t shift = j.word(mvm_word::shift);
  const std::uint32_t adc_shift = j.word(mvm_word::adc_shift);
  const std::uint32_t fl = j.flags();
  if ((fl & ~(flags::relu | flags::out32)) != 0 || j.word(mvm_word::reserved) != 0 || j.word(mvm_word::reserved + 1) != 0 || shift > 62 ||
      !adc_shift_ok(adc_shift)) {
    j.fail(error::param);
    return j.start();
  }
  if (rows == 0 || cols == 0 || row0 + rows > m_rows || col0 + cols > m_cols || batch == 0 ||
      batch > max_batch) {
    j.fail(error::shape);
    return j.start();
  }
  if (!input_bits_ok(in_bits)) {
    j.fail(error::precision);
    return j.start();
  }
  const bool out32 = (fl & flags::out32) != 0;
  const bool relu = (fl & flags::relu) != 0;
  const unsigned elem = out32 ? 4 : 1;
  if (bias != 0 && !j.check_buffer(bias, 4ull * cols, 4)) return j.start();
  if (!j.check_buffer(in, std::uint64_t{batch - 1} * in_stride + rows)) return j.start();
  if (out32 && !j.check_aligned(out_stride, 4)) return j.start();
  if (!j.check_buffer(out, std::uint64_t{batch - 1} * out_stride + std::uint64_t{cols} * elem, elem))
    return j.start();

  if (!j.charge(std::uint64_t{batch} * rows * cols)) return j.start();
  sc_core::sc_time t_in = j.start();
  std::vector<std::int32_t> b(cols, 0);
  if (bias != 0 && !j.read(bias, b.data(), 4ull * cols, t_in)) return t_in;

  std::vector<std::int8_t> xbytes[2] = {std::vector<std::int8_t>(rows), std::vector<std::int8_t>(rows)};
  std::vector<std::int32_t> x(rows);
  std::vector<std::int64_t> acc(cols);
  std::vector<unsigned char> y(std::size_t{cols} * elem);
  const sc_core::sc_time vt = vector_time(j, in_bits);
  sc_core::sc_time c_end = t_in + fill_time(j);  // the compute stage is free after the fill
  sc_core::sc_time t_out = t_in;
  // Two input buffers: vector v is read once the compute of vector v - 2 has freed its buffer,
  // and (in time order, so the interconnect sees it first) before the result of v - 1 is written.
  sc_core::sc_time freed[2] = {t_in, t_in};
  sc_core::sc_time arrived[2] = {t_in, t_in};
  if (!j.read(in, xbytes[0].data(), rows, t_in)) return t_in;
  arrived[0] = t_in;
  for (std::uint32_t v = 0; v < batch; ++v) {
    const std::vector<std::int8_t>& xb = xbytes[v % 2];
    for (unsigned r = 0; r < rows; ++r) x[r] = sign_extend(static_cast<std::uint8_t>(xb[r]), in_bits);
    multiply(x.data(), row0, rows, col0, cols, in_bits, adc_shift, acc.data());
    c_end = std::max(c_end, arrived[v % 2]) + vt;
    freed[v % 2] = c_end;
    bool read_failed = false;
    if (v + 1 < batch) {
      t_in = std::max(t_in, freed[(v + 1) % 2]);
      read_failed = !j.read(in + std::uint64_t{v + 1} * in_stride, xbytes[(v + 1) % 2].data(), rows, t_in);
      arrived[(v + 1) % 2] = t_in;
    }
    for (unsigned c = 0; c < cols; ++c) {
      const std::int64_t a = acc[c] + b[c];
      if (out32) {
        const auto w = static_cast<std::int32_t>(std::clamp<std::int64_t>(
            a, std::numeric_limits<std::int32_t>::min(), std::numeric_limits<std::int32_t>::max()));
        std::memcpy(y.data() + 4 * c, &w, 4);
      } else {
        y[c] = static_cast<unsigned char>(requantise(a, scale, shift, relu));
      }
    }
    t_out = std::max(t_out, c_end);
    // A failed read of vector v + 1 still lets vector v complete (the first error is reported).
    if (!j.write(out + std::uint64_t{v} * out_stride, y.data(), y.size(), t_out, read_failed)) return t_out;
    ++m_vectors;
    m_cell_slots += std::uint64_t{m_rows} * m_cols;
    if (read_failed) return std::max(t_out, t_in);
  }
  m_compute_time += vt * static_cast<double>(batch);
  return t_out;
}

}  // namespace edgevp::accel::cim

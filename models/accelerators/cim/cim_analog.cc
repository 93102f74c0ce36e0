// Analog RRAM CIM: weights as differential conductance pairs with programming noise (CrossSim's
// RRAM_Wan fit) and read noise, DAC inputs, ADC outputs; periphery energy after ZigZag's imc model.
// All randomness comes from the instance's seed: runs are reproducible bit for bit.
//
// Energy per MVM of R active rows and C columns, its inputs in P slices (P = ceil(in_bits /
// dac_bits)), read in G row groups per column (G = ceil(R / rows_per_conversion); 1 when 0),
// K = C x G x P conversions (C: the MVM's columns; docs/models/cim.md, "Analog energy and
// calibration"):
//   dac        R x input bits, when dac_bits > 1            50 fF V^2            ZigZag
//   row_drive  R x slices, when dac_bits = 1 (the wordline  0.35 fF x 2 cols V^2 ZigZag wl_cap
//              across both cells of every column)
//   cell       R x C x weight bits x P (bitlines)           0.35 fF V^2          ZigZag
//   mult       as cell: an SRAM cell's multiplying gate    0 (RRAM: none)       ZigZag
//   enable     R x C x P: an SRAM cell's enable line       0 (RRAM: none)       ZigZag (AnIA)
//   cell_read  R x C x P: the cells' read current          readout = current: g_max/2 v_read^2
//                                                          mvm_time; dc-free: 0
//   adc        K                                           (100 fF B + 0.001 fF 4^B) V^2  ZigZag
//   adder      full-adder operations: the tree adding a column's G group codes, and the shift-add
//              of P slices                                 4.2 fF V^2           ZigZag
//   register   flip-flop bits written: inputs, each conversion's code, the slice accumulators
//                                                          2.1 fF V^2           ZigZag dff_cap
//   periphery  K: the readout's and the core's own circuits that ZigZag's terms leave out; the one
//              fitted term (U), fitted to the default macro's published 21.6 TOPS/W
// Row groups are counted for energy only: the functional model sums a whole column and quantises
// it once with adc_bits (the group readouts are charged as adc_bits-wide codes).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>

#include "models/accelerators/cim/cim.h"
#include "models/core/errors.h"

namespace edgevp::accel::cim {

namespace {

constexpr double fF = 1e-15;

// CALIBRATION.md (CrossSim RRAM_Wan): sigma(G) in uS for G in uS, G <= 39.26 uS.
double programming_sigma_us(double g_us) {
  const double g = std::min(std::max(g_us, 0.0), 39.26);
  return 1.536e-4 * g * g * g - 1.167e-2 * g * g + 0.2374 * g + 1.053;
}

// ZigZag imc periphery (CALIBRATION.md): ADC (100 fF x B + 0.001 fF x 4^B) V^2 per conversion.
double adc_energy(unsigned bits, double v) {
  return (100 * fF * bits + 0.001 * fF * std::pow(4.0, bits)) * v * v;
}

// splitmix64: seeds, and the per-MVM read-noise streams.
std::uint64_t splitmix(std::uint64_t& s) {
  std::uint64_t z = (s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// A portable normal generator (Box-Muller on splitmix64), so traces do not depend on the C++
// library's distributions.
class gaussian {
 public:
  explicit gaussian(std::uint64_t seed) : m_state(seed) {}
  double operator()() {
    if (m_has_spare) {
      m_has_spare = false;
      return m_spare;
    }
    const double u1 = (static_cast<double>(splitmix(m_state) >> 11) + 1.0) * 0x1.0p-53;  // (0, 1]
    const double u2 = static_cast<double>(splitmix(m_state) >> 11) * 0x1.0p-53;
    const double r = std::sqrt(-2.0 * std::log(u1));
    m_spare = r * std::sin(2 * M_PI * u2);
    m_has_spare = true;
    return r * std::cos(2 * M_PI * u2);
  }

 private:
  std::uint64_t m_state;
  double m_spare = 0;
  bool m_has_spare = false;
};

class cim_analog final : public cim {
 public:
  static constexpr std::uint8_t analog_code = 0x02;

  cim_analog(const sc_core::sc_module_name& name, const instance& inst)
      : cim(name, inst, analog_code),
        m_adc_bits(static_cast<unsigned>(inst.integer("adc_bits"))),
        m_dac_bits(static_cast<unsigned>(inst.integer("dac_bits"))),
        m_gmax(inst.real("g_max")),
        m_prog_noise(inst.real("prog_noise")),
        m_read_noise(inst.real("read_noise")),
        m_seed(inst.integer("seed")),
        m_mvm_time(inst.time("mvm_time")),
        m_pulse(inst.time("write_pulse")),
        m_iterations(inst.integer("verify_iterations")),
        m_endurance(inst.integer("endurance")),
        m_v_read(inst.real("v_read")),
        m_rows_per_conversion(static_cast<unsigned>(inst.integer("rows_per_conversion"))),
        m_w(std::size_t{m_rows} * m_cols, 0),
        m_delta(std::size_t{m_rows} * m_cols, 0.0),
        m_col_bits(m_cols, 8),
        m_writes(std::size_t{m_rows} * m_cols, 0),
        m_prog(m_seed) {
    precisions.set(0xFFu);  // 1..8-bit inputs; wider than the DAC: in slices
    adc_bits_reg.set(m_adc_bits);
    dac_bits_reg.set(m_dac_bits);
    noise_sd.on_read([this] { return noise_sd_ppm(m_last_w_bits); });
    max_writes.on_read([this] { return static_cast<std::uint32_t>(m_max_writes); });

    const double v2 = inst.reset_voltage * inst.reset_voltage;
    const bool current_readout = inst.text("readout") == "current";
    core::power::component& p = power();
    p.add_event("adc", inst.power_source("adc", adc_energy(m_adc_bits, inst.reset_voltage)), {&m_conversions});
    p.add_event("dac", inst.power_source("dac", 50 * fF * v2), {&m_dac_bits_driven});
    p.add_event("row_drive", inst.power_source("row_drive", 0.35 * fF * 2 * m_cols * v2), {&m_row_drives});
    p.add_event("cell", inst.power_source("cell", 0.35 * fF * v2), {&m_cell_bits});
    p.add_event("mult", inst.power_source("mult", 0.0), {&m_cell_bits});
    p.add_event("enable", inst.power_source("enable", 0.0), {&m_cells_enabled});
    p.add_event("write", inst.power_source("write", 1e-12), {&m_pulses});
    // The cells' read current, with a current-mode readout: a cell at half of Gmax under v_read
    // for one MVM (G V^2 t). Not in ZigZag's SRAM-derived constants.
    p.add_event("cell_read",
                inst.power_source("cell_read", current_readout
                                                   ? m_gmax / 2 * m_v_read * m_v_read * m_mvm_time.to_seconds()
                                                   : 0.0),
                {&m_cells_enabled});
    p.add_event("adder", inst.power_source("adder", 4.2 * fF * v2), {&m_full_adds});
    p.add_event("register", inst.power_source("register", 2.1 * fF * v2), {&m_register_bits});
    p.add_event("periphery", inst.power_source("periphery", periphery_capacitance * v2), {&m_conversions});
  }

  // U: the default macro's readout front end beyond ZigZag's terms (docs/models/cim.md): 0.1304 pJ
  // per conversion at 0.8 V, so that the defaults give the JSSC 2023 macro's 21.6 TOPS/W.
  static constexpr double periphery_capacitance = 203.7 * fF;

  [[nodiscard]] std::vector<std::pair<std::string, double>> report() const override {
    auto r = cim::report();
    r.emplace_back("adc_conversions", static_cast<double>(m_conversions));
    r.emplace_back("programming_pulses", static_cast<double>(m_pulses));
    r.emplace_back("max_cell_writes", static_cast<double>(m_max_writes));
    r.emplace_back("cells_over_endurance", static_cast<double>(m_over_endurance));
    return r;
  }

  // Standard deviation of one weight's error in weight LSBs x 1e6 (NOISE_SD), for w_bits.
  [[nodiscard]] std::uint32_t noise_sd_ppm(unsigned w_bits) const {
    const double unit_us = m_gmax * 1e6 / wmax(w_bits);
    const double gmax_us = m_gmax * 1e6;
    const double sp = m_prog_noise * programming_sigma_us(gmax_us);
    const double s0 = m_prog_noise * programming_sigma_us(0);
    const double sr = m_read_noise * gmax_us;
    const double sd = std::sqrt(sp * sp + s0 * s0 + 2 * sr * sr) / unit_us;
    return static_cast<std::uint32_t>(std::min(std::ceil(sd * 1e6), 4294967295.0));
  }

 protected:
  [[nodiscard]] bool weight_bits_ok(unsigned b) const override { return b >= 2 && b <= 8; }
  [[nodiscard]] bool input_bits_ok(unsigned b) const override { return b >= 1 && b <= 8; }
  [[nodiscard]] bool adc_shift_ok(std::uint32_t s) const override { return s <= 30; }

  void program(unsigned row0, unsigned rows, unsigned col0, unsigned cols, const std::int8_t* w,
               unsigned w_bits) override {
    const int wm = wmax(w_bits);
    const double unit_us = m_gmax * 1e6 / wm;
    for (unsigned c = 0; c < cols; ++c) {
      m_col_bits[col0 + c] = w_bits;
      for (unsigned r = 0; r < rows; ++r) {
        const std::size_t cell = std::size_t{col0 + c} * m_rows + row0 + r;
        const int q = std::clamp<int>(w[std::size_t{c} * rows + r], -wm, wm);
        m_w[cell] = static_cast<std::int8_t>(q);
        // The pair: G+ carries positive weights, G- negative ones; both are programmed (the idle
        // one to its lowest state) and both get the fitted noise.
        const double gp = std::max(q, 0) * unit_us;
        const double gn = std::max(-q, 0) * unit_us;
        double dp = 0;
        double dn = 0;
        if (m_prog_noise > 0) {
          dp = std::max(gp + m_prog_noise * programming_sigma_us(gp) * m_prog(), 0.0) - gp;
          dn = std::max(gn + m_prog_noise * programming_sigma_us(gn) * m_prog(), 0.0) - gn;
        }
        m_delta[cell] = (dp - dn) / unit_us;
        const std::uint64_t n = ++m_writes[cell];
        m_max_writes = std::max(m_max_writes, n);
        if (n == m_endurance + 1 && m_over_endurance++ == 0)
          std::fprintf(stderr,
                       "edgevp: warning: %s: RRAM cell (row %u, col %u) passed its endurance of %llu "
                       "programming cycles\n",
                       name(), row0 + r, col0 + c, static_cast<unsigned long long>(m_endurance));
      }
    }
    m_last_w_bits = w_bits;
    m_pulses += 2ull * rows * cols * m_iterations;  // both cells of each pair, every iteration
  }

  [[nodiscard]] sc_core::sc_time program_time(const job& /*j*/, unsigned rows,
                                              unsigned /*cols*/) const override {
    // Row by row, all columns in parallel: pulse and verify read, iterated.
    return (m_pulse + m_mvm_time) * static_cast<double>(rows * m_iterations);
  }

  // Inputs wider than the DAC are applied in slices of dac_bits, least significant first (the top
  // slice carries the sign); each slice is one analog MVM with its own ADC conversion, and the
  // codes are shifted and added digitally.
  void multiply(const std::int32_t* x, unsigned row0, unsigned rows, unsigned col0, unsigned cols,
                unsigned in_bits, std::uint32_t adc_shift, std::int64_t* acc) override {
    gaussian read(m_seed ^ (0xA5A5A5A5ull + m_mvm_index++ * 0x9E3779B97F4A7C15ull));
    const unsigned phases = (in_bits + m_dac_bits - 1) / m_dac_bits;
    const double lsb = std::ldexp(1.0, static_cast<int>(adc_shift));
    const double lo = -std::ldexp(1.0, static_cast<int>(m_adc_bits) - 1);
    const double hi = -lo - 1;
    std::fill(acc, acc + cols, 0);
    std::vector<std::int32_t> slice(rows);
    std::uint64_t cell_bits = 0;
    for (unsigned p = 0; p < phases; ++p) {
      const unsigned shift = p * m_dac_bits;
      const unsigned bits = p + 1 == phases ? in_bits - shift : m_dac_bits;
      for (unsigned r = 0; r < rows; ++r) {
        if (phases == 1) {
          slice[r] = x[r];
          continue;
        }
        const std::uint32_t u = (static_cast<std::uint32_t>(x[r]) >> shift) & ((1u << bits) - 1u);
        slice[r] = p + 1 == phases ? sign_extend(u, bits) : static_cast<std::int32_t>(u);
      }
      double x2 = 0;
      for (unsigned r = 0; r < rows; ++r) x2 += static_cast<double>(slice[r]) * slice[r];
      for (unsigned c = 0; c < cols; ++c) {
        const std::size_t base = std::size_t{col0 + c} * m_rows + row0;
        const std::int8_t* w = &m_w[base];
        const double* d = &m_delta[base];
        std::int64_t exact = 0;
        double noise = 0;
        for (unsigned r = 0; r < rows; ++r) {
          exact += std::int64_t{slice[r]} * w[r];
          noise += slice[r] * d[r];
        }
        if (m_read_noise > 0) {
          // Each cell of the pair adds N(0, read_noise x Gmax) x input: one draw with the summed variance.
          const double unit = m_gmax / wmax(m_col_bits[col0 + c]);
          noise += read() * std::sqrt(2 * x2) * m_read_noise * m_gmax / unit;
        }
        const double q = (static_cast<double>(exact) + noise) / lsb;
        const double code = std::clamp(q < 0 ? -std::floor(-q + 0.5) : std::floor(q + 0.5), lo, hi);
        acc[c] += static_cast<std::int64_t>(code) * (std::int64_t{1} << (adc_shift + shift));
        cell_bits += std::uint64_t{rows} * m_col_bits[col0 + c];
      }
    }
    count_energy_events(rows, cols, col0, in_bits, phases, cell_bits);
    count_macs(std::uint64_t{rows} * cols);
  }

  // The energy events of one MVM (the table at the top of this file).
  void count_energy_events(unsigned rows, unsigned cols, unsigned col0, unsigned in_bits, unsigned phases,
                           std::uint64_t cell_bits) {
    const std::uint64_t groups =
        m_rows_per_conversion == 0 ? 1 : (rows + m_rows_per_conversion - 1) / m_rows_per_conversion;
    const std::uint64_t conversions = std::uint64_t{cols} * groups * phases;
    m_conversions += conversions;
    // A multi-bit DAC drives the rows of every slice (also a narrower last one); with 1-bit
    // inputs (dac_bits = 1) the wordline is driven instead.
    if (m_dac_bits > 1)
      m_dac_bits_driven += std::uint64_t{rows} * in_bits;
    else
      m_row_drives += std::uint64_t{rows} * phases;
    m_cell_bits += cell_bits;
    m_cells_enabled += std::uint64_t{rows} * cols * phases;
    // An adder tree of G codes of B bits: G (B + 1) - (B + log2 G + 1) full adders (ZigZag).
    std::uint64_t log2g = 0;
    while ((std::uint64_t{1} << log2g) < groups) ++log2g;
    const std::uint64_t tree = groups > 1 ? groups * (m_adc_bits + 1) - (m_adc_bits + log2g + 1) : 0;
    m_full_adds += std::uint64_t{cols} * phases * tree;
    m_register_bits += std::uint64_t{rows} * in_bits + conversions * m_adc_bits;
    if (phases > 1) {  // each slice's sum shifted into an accumulator of in + B + w bits
      std::uint64_t acc_bits = 0;
      for (unsigned c = 0; c < cols; ++c) acc_bits += in_bits + m_adc_bits + m_col_bits[col0 + c];
      m_full_adds += acc_bits * phases;
      m_register_bits += acc_bits * phases;
    }
  }

  [[nodiscard]] sc_core::sc_time vector_time(const job& /*j*/, unsigned in_bits) const override {
    return m_mvm_time * static_cast<double>((in_bits + m_dac_bits - 1) / m_dac_bits);
  }
  [[nodiscard]] sc_core::sc_time fill_time(const job& /*j*/) const override { return sc_core::SC_ZERO_TIME; }
  // RRAM is non-volatile: a power-off keeps the weights.

 private:
  static int wmax(unsigned w_bits) { return (1 << (w_bits - 1)) - 1; }

  unsigned m_adc_bits;
  unsigned m_dac_bits;
  double m_gmax;
  double m_prog_noise;
  double m_read_noise;
  std::uint64_t m_seed;
  sc_core::sc_time m_mvm_time;
  sc_core::sc_time m_pulse;
  std::uint64_t m_iterations;
  std::uint64_t m_endurance;
  double m_v_read;
  unsigned m_rows_per_conversion;
  std::vector<std::int8_t> m_w;  // ideal weight levels, [col][row]
  std::vector<double> m_delta;   // programming error of the pair, in weight LSBs
  std::vector<unsigned> m_col_bits;
  std::vector<std::uint64_t> m_writes;
  std::uint64_t m_max_writes = 0;
  std::uint64_t m_over_endurance = 0;
  unsigned m_last_w_bits = 8;
  gaussian m_prog;
  std::uint64_t m_mvm_index = 0;
  std::uint64_t m_conversions = 0;
  std::uint64_t m_dac_bits_driven = 0;
  std::uint64_t m_row_drives = 0;
  std::uint64_t m_cell_bits = 0;
  std::uint64_t m_cells_enabled = 0;
  std::uint64_t m_full_adds = 0;
  std::uint64_t m_register_bits = 0;
  std::uint64_t m_pulses = 0;
};

}  // namespace

kind_info analog_kind() {
  kind_info k;
  k.name = "cim-analog";
  k.code = cim_analog::analog_code;
  k.summary =
      "analog RRAM compute-in-memory: conductance pairs with programming and read noise, DAC/ADC periphery";
  using ps = param_spec;
  const sc_core::sc_time ms(1, sc_core::SC_MS);
  k.keys = {
      ps::integer("rows", 256, 1, 4096, "array rows (inputs)"),
      ps::integer("cols", 256, 1, 4096, "array columns (outputs)"),
      ps::integer("adc_bits", 8, 1, 24, "ADC resolution (wide ADCs make the quantisation negligible)", "bits"),
      ps::integer("dac_bits", 8, 1, 8,
                  "DAC resolution: wider inputs are applied in slices, one MVM and ADC conversion each", "bits"),
      // CALIBRATION.md: the RRAM_Wan noise fit holds up to 39.26 uS.
      ps::real("g_max", 39.26e-6, 1e-9, 1.0, "largest conductance", "S"),
      ps::real("prog_noise", 1.0, 0.0, 100.0, "multiplier of the programming-noise fit (0: off)"),
      ps::real("read_noise", 0.01, 0.0, 10.0, "read noise per cell, fraction of g_max (0: off)"),
      ps::integer("seed", 1, 0, ~std::uint64_t{0}, "noise seed"),
      ps::time("mvm_time", sc_core::sc_time(14.4, sc_core::SC_NS), sc_core::sc_time(1, sc_core::SC_PS), ms,
               "time of one MVM (one input vector; CALIBRATION.md: 14.4 ns, JSSC 2023 RRAM macro)"),
      ps::time("write_pulse", sc_core::sc_time(50, sc_core::SC_NS), sc_core::SC_ZERO_TIME, ms,
               "programming pulse (CALIBRATION.md: 10-100 ns, U)"),
      ps::integer("verify_iterations", 4, 1, 1000, "write-verify iterations per row"),
      ps::integer("endurance", 100000, 0, ~std::uint64_t{0},
                  "programming cycles per cell before a warning (CALIBRATION.md: 1e5-1e6)"),
      ps::real("v_read", 0.2, 0.0, 5.0, "read voltage across a cell (for the cells' read energy)", "V"),
      ps::choice("readout", "dc-free", {"dc-free", "current"},
                 "how columns are read: dc-free (time-domain, no DC current: the JSSC 2023 8-Mb macro) or "
                 "current (the cells conduct for mvm_time: the cell_read energy)"),
      ps::integer("rows_per_conversion", 8, 0, 4096,
                  "rows one ADC conversion senses (0: the whole column); the default macro's 19-bit output "
                  "holds an 8-row sum of 8b x 8b products. Counted for energy, not quantised apart"),
  };
  k.power = {
      ps::energy("adc", 0.0, "energy per ADC conversion")
          .computed_default("(100 fF x adc_bits + 0.001 fF x 4^adc_bits) V^2 at the reset OPP"),
      ps::energy("dac", 0.0, "energy per active row and input bit (dac_bits > 1)")
          .computed_default("50 fF x V^2 at the reset OPP"),
      ps::energy("row_drive", 0.0, "energy per active row and input bit when dac_bits = 1 (the wordline)")
          .computed_default("0.35 fF x 2 cols x V^2 at the reset OPP"),
      ps::energy("cell", 0.0, "energy per active cell, weight bit and input slice (bitlines)")
          .computed_default("0.35 fF x V^2 at the reset OPP"),
      ps::energy("mult", 0.0, "energy per active cell, weight bit and input slice in the cell's multiplying gate (SRAM cells; "
                              "RRAM has none)"),
      ps::energy("enable", 0.0, "energy per active cell and input slice on its enable line (SRAM cells)"),
      ps::energy("write", 1e-12, "energy per programming pulse (per cell)"),
      ps::energy("cell_read", 0.0, "energy per active cell and input slice (read current)")
          .computed_default("readout = current: g_max / 2 x v_read^2 x mvm_time (11.3 fJ); dc-free: 0"),
      ps::energy("adder", 0.0, "energy per full-adder operation (adding group codes and input slices)")
          .computed_default("4.2 fF x V^2 at the reset OPP"),
      ps::energy("register", 0.0, "energy per flip-flop bit written (inputs, codes, accumulators)")
          .computed_default("2.1 fF x V^2 at the reset OPP"),
      ps::energy("periphery", 0.0, "energy per conversion of the readout and core circuits ZigZag's terms leave out")
          .computed_default("203.7 fF x V^2 at the reset OPP (0.130 pJ at 0.8 V; U: fitted to 21.6 TOPS/W)"),
  };
  k.constants = constants();
  k.default_power = {1e-12, 1e-6, 0.0};  // leakage: U (periphery; the RRAM array does not leak)
  k.make = [](const instance& inst) -> std::unique_ptr<accelerator> {
    return std::make_unique<cim_analog>(inst.name.c_str(), inst);
  };
  return k;
}

}  // namespace edgevp::accel::cim

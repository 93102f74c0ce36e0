// Digital SRAM CIM (Fujiwara et al., ISSCC 2022): bit-serial inputs, one input bit per cycle across
// the whole array, adder tree and shift-accumulate; results are exact integers.
#include <algorithm>
#include <cmath>
#include <memory>

#include "models/accelerators/cim/cim.h"
#include "models/core/errors.h"

namespace edgevp::accel::cim {

namespace {

// CALIBRATION.md: 254 TOPS/W at 4 b, 63 TOPS/W at 8 b; 2 ops per MAC.
constexpr double mac_i4w4 = 2.0 / 254e12;
constexpr double mac_i8w8 = 2.0 / 63e12;
// Mixed widths: energy grows with the product of the widths (the two figures differ by 4.03x for
// a 4x product): the geometric mean.
const double mac_mixed = std::sqrt(mac_i4w4 * mac_i8w8);
constexpr double sram_write_bit = 0.10e-12;  // CALIBRATION.md: SRAM write per bit (ZigZag, 32 KB)

class cim_digital final : public cim {
 public:
  cim_digital(const sc_core::sc_module_name& name, const instance& inst)
      : cim(name, inst, digital_code),
        m_pipeline(inst.integer("pipeline")),
        m_w(std::size_t{m_rows} * m_cols, 0),
        m_col_bits(m_cols, 8),
        m_row_writes(m_rows, 0) {
    precisions.set((1u << 3) | (1u << 7));
    dma_timing et;
    et.read_setup = inst.integer("dma_read_setup");
    et.write_setup = inst.integer("dma_write_setup");
    et.read_burst = inst.integer("dma_read_burst");
    et.write_burst = inst.integer("dma_write_burst");
    et.beat_bytes = static_cast<unsigned>(inst.integer("dma_beat"));
    et.dispatch = inst.integer("dispatch");
    set_dma_timing(et);
    max_writes.on_read([this] { return static_cast<std::uint32_t>(m_max_row_writes); });
    add_digital_power(power(), inst, m_cols, m_mac, &m_rows_written);
  }

  static constexpr std::uint8_t digital_code = 0x01;

  [[nodiscard]] std::vector<std::pair<std::string, double>> report() const override {
    auto r = cim::report();
    r.emplace_back("rows_written", static_cast<double>(m_rows_written));
    r.emplace_back("max_row_writes", static_cast<double>(m_max_row_writes));
    return r;
  }

 protected:
  [[nodiscard]] bool weight_bits_ok(unsigned b) const override { return b == 4 || b == 8; }
  [[nodiscard]] bool input_bits_ok(unsigned b) const override { return b == 4 || b == 8; }
  [[nodiscard]] bool adc_shift_ok(std::uint32_t s) const override { return s == 0; }

  void program(unsigned row0, unsigned rows, unsigned col0, unsigned cols, const std::int8_t* w,
               unsigned w_bits) override {
    for (unsigned c = 0; c < cols; ++c) {
      std::int8_t* dst = &m_w[std::size_t{col0 + c} * m_rows + row0];
      for (unsigned r = 0; r < rows; ++r)
        dst[r] = static_cast<std::int8_t>(
            sign_extend(static_cast<std::uint8_t>(w[std::size_t{c} * rows + r]), w_bits));
      m_col_bits[col0 + c] = w_bits;
    }
    // The array is written a row at a time (all its columns at once).
    for (unsigned r = row0; r < row0 + rows; ++r)
      m_max_row_writes = std::max(m_max_row_writes, ++m_row_writes[r]);
    m_rows_written += rows;
  }

  [[nodiscard]] sc_core::sc_time program_time(const job& j, unsigned rows, unsigned /*cols*/) const override {
    return j.cycles(rows);
  }

  void multiply(const std::int32_t* x, unsigned row0, unsigned rows, unsigned col0, unsigned cols,
                unsigned in_bits, std::uint32_t /*adc_shift*/, std::int64_t* acc) override {
    const unsigned ib = in_bits == 4 ? 0 : 1;
    for (unsigned c = 0; c < cols; ++c) {
      const std::int8_t* w = &m_w[std::size_t{col0 + c} * m_rows + row0];
      std::int64_t s = 0;
      for (unsigned r = 0; r < rows; ++r) s += std::int64_t{x[r]} * w[r];
      acc[c] = s;
      m_mac[ib][m_col_bits[col0 + c] == 4 ? 0 : 1] += rows;
    }
    count_macs(std::uint64_t{rows} * cols);
  }

  [[nodiscard]] sc_core::sc_time vector_time(const job& j, unsigned in_bits) const override {
    return j.cycles(in_bits);  // one input bit per cycle
  }
  [[nodiscard]] sc_core::sc_time fill_time(const job& j) const override { return j.cycles(m_pipeline); }

  void power_lost() override {
    // SRAM: the weights are gone.
    std::fill(m_w.begin(), m_w.end(), 0);
  }

 private:
  std::uint64_t m_pipeline;
  std::vector<std::int8_t> m_w;  // [col][row]
  std::vector<unsigned> m_col_bits;
  std::vector<std::uint64_t> m_row_writes;
  std::uint64_t m_max_row_writes = 0;
  std::uint64_t m_rows_written = 0;
  std::uint64_t m_mac[2][2] = {{0, 0}, {0, 0}};  // [input 4/8][weight 4/8]
};

}  // namespace

void add_digital_power(core::power::component& p, const instance& inst, unsigned cols,
                       const std::uint64_t (&mac)[2][2], const std::uint64_t* rows_written) {
  p.add_event("mac_i4w4", inst.power_source("mac_i4w4", mac_i4w4), {&mac[0][0]});
  p.add_event("mac_i4w8", inst.power_source("mac_i4w8", mac_mixed), {&mac[0][1]});
  p.add_event("mac_i8w4", inst.power_source("mac_i8w4", mac_mixed), {&mac[1][0]});
  p.add_event("mac_i8w8", inst.power_source("mac_i8w8", mac_i8w8), {&mac[1][1]});
  p.add_event("row_write", inst.power_source("row_write", sram_write_bit * 8 * cols), {rows_written});
}

kind_info digital_kind() {
  kind_info k;
  k.name = "cim-digital";
  k.code = cim_digital::digital_code;
  k.summary = "digital SRAM compute-in-memory: bit-serial 4/8-bit inputs, 4/8-bit weights, exact results";
  using ps = param_spec;
  k.keys = {
      ps::integer("rows", 256, 1, 4096, "array rows (inputs)"),
      ps::integer("cols", 256, 1, 4096, "array columns (outputs)"),
      ps::integer("pipeline", 4, 0, 1000000, "adder-tree and accumulate latency per descriptor", "cycles"),
      // The DMA engine and sequencer of the RTL (rtl/edgevp_cim_digital.sv, edgevp_axi_dma_*.sv):
      // 0 everywhere gives the interconnect's timing alone.
      ps::integer("dma_read_setup", 5, 0, 1000, "DMA cycles per read transfer (command, address phase, completion)"),
      ps::integer("dma_write_setup", 3, 0, 1000, "DMA cycles per write transfer (command, completion)"),
      ps::integer("dma_read_burst", 1, 0, 1000, "DMA cycles per read burst (its first beat)"),
      ps::integer("dma_write_burst", 2, 0, 1000, "DMA cycles per write burst (its address phase and first beat)"),
      ps::integer("dma_beat", 8, 0, 4096,
                  "DMA data bus bytes: a burst not aligned to it moves one beat more (0: not counted)", "bytes"),
      ps::integer("dispatch", 1, 0, 1000, "cycles to decode a descriptor before it executes"),
  };
  k.power = {
      ps::energy("mac_i4w4", mac_i4w4, "energy per MAC, 4-bit inputs and weights (254 TOPS/W)"),
      ps::energy("mac_i4w8", mac_mixed, "energy per MAC, 4-bit inputs, 8-bit weights"),
      ps::energy("mac_i8w4", mac_mixed, "energy per MAC, 8-bit inputs, 4-bit weights"),
      ps::energy("mac_i8w8", mac_i8w8, "energy per MAC, 8-bit inputs and weights (63 TOPS/W)"),
      ps::energy("row_write", 0.0, "energy per array row written").computed_default("cols x 8 bits x 0.10 pJ/bit"),
  };
  k.constants = constants();
  k.default_power = {1e-12, 2e-6, 0.0};  // leakage: U (a 64 kb SRAM array and its periphery)
  k.make = [](const instance& inst) -> std::unique_ptr<accelerator> {
    return std::make_unique<cim_digital>(inst.name.c_str(), inst);
  };
  return k;
}

}  // namespace edgevp::accel::cim

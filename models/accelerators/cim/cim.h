// edgevp: compute-in-memory accelerator (docs/models/cim.md).
//
//   common window 0x00-0x3F (accelerator.h), then
//   0x40 ROWS  0x44 COLS  0x48 PRECISIONS  0x4C ADC_BITS  0x50 DAC_BITS  0x54 NOISE_SD
//   0x58 MAX_WRITES (all ro)
//
//   LOAD (opcode 1, 8 words): src, src_stride, row0|rows<<16, col0|cols<<16, w_bits, 0
//   MVM  (opcode 2, 16 words): in, in_stride, out, out_stride, row0|rows<<16, col0|cols<<16,
//        batch, in_bits, bias, scale, shift, adc_shift, 0, 0;  flags: bit 8 RELU, bit 9 OUT32
//
// cim holds what both flavours share: the descriptor formats and their validation, the
// three-stage pipeline (input DMA, compute, output DMA) of a batch, requantisation, counters. The
// flavours (cim_digital.h, cim_analog.h) store weights, compute a column's accumulators, and say
// what a vector and a weight write cost in time and energy.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "models/accelerators/accelerator.h"

namespace edgevp::accel::cim {

// The CIM's registers (after the contract's; docs/models/cim.md).
namespace regs {
inline constexpr std::uint64_t rows = 0x40, cols = 0x44, precisions = 0x48, adc_bits = 0x4C, dac_bits = 0x50,
                               noise_sd = 0x54, max_writes = 0x58;
}  // namespace regs

namespace opcode {
inline constexpr std::uint8_t load = 1;
inline constexpr std::uint8_t mvm = 2;
}  // namespace opcode
namespace flags {
inline constexpr std::uint32_t relu = 1u << 0;   // descriptor word 0 bit 8
inline constexpr std::uint32_t out32 = 1u << 1;  // bit 9
}  // namespace flags
// Descriptor words (docs/models/cim.md); word 0 is the opcode and flags, word 1 the next descriptor.
namespace load_word {
inline constexpr unsigned src = 2, src_stride = 3, row0_rows = 4, col0_cols = 5, w_bits = 6, reserved = 7;
}  // namespace load_word
namespace mvm_word {
inline constexpr unsigned in = 2, in_stride = 3, out = 4, out_stride = 5, row0_rows = 6, col0_cols = 7, batch = 8,
                          in_bits = 9, bias = 10, scale = 11, shift = 12, adc_shift = 13, reserved = 14;
}  // namespace mvm_word
inline constexpr unsigned load_words = 8;
inline constexpr unsigned mvm_words = 16;
inline constexpr std::uint32_t max_batch = 65536;

// The constants firmware builds descriptors with (kind_info::constants; docs/models/cim.md).
std::vector<std::pair<std::string, std::uint32_t>> constants();

// Requantisation of one accumulator to int8 (docs/models/cim.md).
std::int8_t requantise(std::int64_t acc, std::int32_t scale, unsigned shift, bool relu);
// The low `bits` bits of v, sign-extended.
std::int32_t sign_extend(std::uint32_t v, unsigned bits);

class cim : public accelerator {
 public:
  core::reg<std::uint32_t> rows_reg;
  core::reg<std::uint32_t> cols_reg;
  core::reg<std::uint32_t> precisions;
  core::reg<std::uint32_t> adc_bits_reg;
  core::reg<std::uint32_t> dac_bits_reg;
  core::reg<std::uint32_t> noise_sd;
  core::reg<std::uint32_t> max_writes;

  [[nodiscard]] unsigned rows() const { return m_rows; }
  [[nodiscard]] unsigned cols() const { return m_cols; }
  [[nodiscard]] std::uint64_t macs() const { return m_macs; }
  [[nodiscard]] std::uint64_t vectors() const { return m_vectors; }
  // MACs performed / (array cells x vectors): how much of the array the work used.
  [[nodiscard]] double utilisation() const;
  [[nodiscard]] std::vector<std::pair<std::string, double>> report() const override;

 protected:
  cim(const sc_core::sc_module_name& name, const instance& inst, std::uint8_t code);

  // --- what a flavour provides
  [[nodiscard]] virtual bool weight_bits_ok(unsigned bits) const = 0;
  [[nodiscard]] virtual bool input_bits_ok(unsigned bits) const = 0;
  [[nodiscard]] virtual bool adc_shift_ok(std::uint32_t s) const = 0;
  // Stores a tile: w[c * rows + r] is the raw byte for cell (row0 + r, col0 + c). Counts energy.
  virtual void program(unsigned row0, unsigned rows, unsigned col0, unsigned cols, const std::int8_t* w,
                       unsigned w_bits) = 0;
  // Time of programming `rows` x `cols` cells (after the weights have arrived).
  [[nodiscard]] virtual sc_core::sc_time program_time(const job& j, unsigned rows, unsigned cols) const = 0;
  // acc[c] for c < cols: the column sums for input x[0..rows). Counts energy.
  virtual void multiply(const std::int32_t* x, unsigned row0, unsigned rows, unsigned col0, unsigned cols,
                        unsigned in_bits, std::uint32_t adc_shift, std::int64_t* acc) = 0;
  // Compute time of one vector, and the pipeline fill paid once per descriptor.
  [[nodiscard]] virtual sc_core::sc_time vector_time(const job& j, unsigned in_bits) const = 0;
  [[nodiscard]] virtual sc_core::sc_time fill_time(const job& j) const = 0;

  [[nodiscard]] unsigned descriptor_words(std::uint8_t op) const override;
  sc_core::sc_time execute(job& j) override;

  void count_macs(std::uint64_t n) {
    m_macs += n;
    count_ops(2 * n);
  }

  unsigned m_rows;
  unsigned m_cols;

 private:
  sc_core::sc_time load(job& j);
  sc_core::sc_time mvm(job& j);

  std::uint64_t m_macs = 0;
  std::uint64_t m_vectors = 0;
  std::uint64_t m_cell_slots = 0;  // array cells x vectors
  std::uint64_t m_loads = 0;
  std::uint64_t m_cells_programmed = 0;
  sc_core::sc_time m_compute_time;
};

// The digital kind's power sources (MAC energy per precision, row write), counted from `mac`
// ([input 4/8][weight 4/8]) and `rows_written`: shared by its TLM and RTL implementations.
void add_digital_power(core::power::component& p, const instance& inst, unsigned cols,
                       const std::uint64_t (&mac)[2][2], const std::uint64_t* rows_written);

// The kinds, for kinds.cc.
kind_info digital_kind();
kind_info analog_kind();

}  // namespace edgevp::accel::cim

// edgevp: event-driven spiking neural network accelerator, after SNE (Di Mauro et al., DATE 2022;
// pulp-platform/sne) and uBrain (docs/models/snn.md).
//
//   common window 0x00-0x3F (accelerator.h), then
//   0x40 NEURONS  0x44 SYNAPSE_BYTES  0x48 LANES  0x4C OUT_END  0x50 OUT_WORDS  0x54 IN_SPIKES
//   0x58 OUT_SPIKES  0x5C STEPS  0x60/0x64 SYNOPS_LO/HI (all ro)
//
//   LOAD  (opcode 1, 6 words): src, dst (synapse memory offset), len, 0
//   LAYER (opcode 2, 18 words): input ring, shapes, weights, neuron parameters, state, output ring,
//         counts; flags: type (FC, CONV, SPARSE), INT4, leak mode, RESET_SUB, CLEAR
//   STATE (opcode 3, 6 words): first, count, dst: copy membranes out
//
// Why event-driven: the work of a LAYER is what its input stream contains. Each input spike costs
// its fan-out in synaptic operations (SOPs); each time step costs an update of the neurons it
// touched; a neuron nobody addresses costs nothing, and its leak is applied lazily when it is next
// touched. Time and energy follow those counts ("no inputs, no spike propagation"), which is what
// the bench (bench/snn_activity.sh) sets against the CIM's flat cost per inference.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "models/accelerators/accelerator.h"

namespace edgevp::accel::snn {

namespace regs {
inline constexpr std::uint64_t neurons = 0x40, synapse_bytes = 0x44, lanes = 0x48, out_end = 0x4C,
                               out_words = 0x50, in_spikes = 0x54, out_spikes = 0x58, steps = 0x5C,
                               synops_lo = 0x60, synops_hi = 0x64;
}  // namespace regs

namespace opcode {
inline constexpr std::uint8_t load = 1;
inline constexpr std::uint8_t layer = 2;
inline constexpr std::uint8_t state = 3;
}  // namespace opcode

// LAYER flags, as bits of descriptor word 0 above its opcode byte (<< 8 in the word).
namespace flags {
inline constexpr std::uint32_t type_mask = 3u << 0;  // layer_type
inline constexpr std::uint32_t int4 = 1u << 2;
inline constexpr unsigned leak_shift = 3;
inline constexpr std::uint32_t leak_mask = 3u << leak_shift;  // leak_mode
inline constexpr std::uint32_t reset_sub = 1u << 5;
inline constexpr std::uint32_t clear = 1u << 6;
inline constexpr std::uint32_t all = type_mask | int4 | leak_mask | reset_sub | clear;
}  // namespace flags
enum class layer_type : std::uint8_t { fc = 0, conv = 1, sparse = 2 };
enum class leak_mode : std::uint8_t { none = 0, linear = 1, shift = 2 };

namespace load_word {
inline constexpr unsigned src = 2, dst = 3, len = 4, reserved = 5;
}
namespace layer_word {
inline constexpr unsigned in = 2, in_size = 3, in_offset = 4, in_wh = 5, in_c_out_c = 6, out_wh = 7,
                          weights = 8, aux = 9, threshold_reset = 10, leak_refractory = 11, state = 12,
                          out = 13, out_size = 14, out_offset = 15, counts = 16, reserved = 17;
}
namespace state_word {
inline constexpr unsigned first = 2, count = 3, dst = 4, reserved = 5;
}
inline constexpr unsigned load_words = 6;
inline constexpr unsigned layer_words = 18;
inline constexpr unsigned state_words = 6;
inline constexpr unsigned max_dim = 256;   // a coordinate is 8 bits in an event word
inline constexpr unsigned max_kernel = 7;  // CONV k
inline constexpr unsigned max_shift = 15;  // multiplicative leak

// Address-event words (SNE's stream format: operation in bits 31:28).
namespace event {
inline constexpr unsigned op_shift = 28;
inline constexpr std::uint32_t spike = 2, time = 5, end = 9;
inline constexpr std::uint32_t max_time = (1u << 28) - 1;
constexpr std::uint32_t make_spike(unsigned c, unsigned y, unsigned x) {
  return (spike << op_shift) | ((c & 0xFFu) << 16) | ((y & 0xFFu) << 8) | (x & 0xFFu);
}
constexpr std::uint32_t make_time(std::uint32_t t) {
  return (time << op_shift) | (t & max_time);
}
constexpr std::uint32_t end_word = end << op_shift;
}  // namespace event

// The constants firmware builds descriptors and events with (kind_info::constants).
std::vector<std::pair<std::string, std::uint32_t>> constants();

// One neuron of the neuron memory.
struct neuron {
  std::int16_t v = 0;      // membrane
  std::uint32_t last = 0;  // time step of the last update
  std::uint32_t refr = 0;  // first step at which it integrates again
};

// Leak for `dt` elapsed steps (docs/models/snn.md): exactly `dt` applications of the per-step
// rule, in closed form or in runs of equal decrements, whatever `dt` is.
std::int16_t leak(std::int16_t v, leak_mode mode, unsigned amount, std::uint64_t dt);

class snn final : public accelerator {
 public:
  snn(const sc_core::sc_module_name& name, const instance& inst);
  static constexpr std::uint8_t code = 0x03;

  core::reg<std::uint32_t> neurons_reg;
  core::reg<std::uint32_t> synapse_bytes_reg;
  core::reg<std::uint32_t> lanes_reg;
  core::reg<std::uint32_t> out_end;
  core::reg<std::uint32_t> out_words;
  core::reg<std::uint32_t> in_spikes;
  core::reg<std::uint32_t> out_spikes;
  core::reg<std::uint32_t> steps;
  core::reg<std::uint32_t> synops_lo;
  core::reg<std::uint32_t> synops_hi;

  [[nodiscard]] const neuron& state_of(std::size_t i) const { return m_neurons.at(i); }
  [[nodiscard]] std::uint64_t synops() const { return m_synops; }
  [[nodiscard]] std::uint64_t neuron_updates() const { return m_updates; }
  [[nodiscard]] std::uint64_t words_in() const { return m_words_in; }
  [[nodiscard]] std::uint64_t words_out() const { return m_words_out; }
  [[nodiscard]] std::uint64_t steps_closed() const { return m_steps; }
  [[nodiscard]] std::vector<std::pair<std::string, double>> report() const override;

 protected:
  [[nodiscard]] unsigned descriptor_words(std::uint8_t op) const override;
  sc_core::sc_time execute(job& j) override;
  void power_lost() override;

 private:
  friend class layer_run;
  sc_core::sc_time load(job& j);
  sc_core::sc_time layer(job& j);
  sc_core::sc_time state(job& j);

  unsigned m_lanes;
  std::vector<neuron> m_neurons;
  std::vector<std::uint8_t> m_synapses;
  // Last LAYER (the registers).
  std::uint32_t m_last_out_end = 0, m_last_out_words = 0, m_last_in_spikes = 0, m_last_out_spikes = 0,
                m_last_steps = 0;
  std::uint32_t m_synops_hi_latch = 0;
  // Totals, counted for the power sources.
  std::uint64_t m_synops = 0;
  std::uint64_t m_updates = 0;
  std::uint64_t m_words_in = 0;
  std::uint64_t m_words_out = 0;
  std::uint64_t m_steps = 0;
  std::uint64_t m_synapse_bytes_written = 0;
  std::uint64_t m_state_reads = 0;
  std::uint64_t m_layers = 0;
  std::uint64_t m_spikes_in = 0;
  std::uint64_t m_spikes_out = 0;
};

// The kind, for kinds.cc.
kind_info kind();

}  // namespace edgevp::accel::snn

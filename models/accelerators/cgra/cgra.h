// edgevp: the coarse-grained reconfigurable array, after Blocks (Wijtvliet et al., IEEE TCAD 2022;
// docs/models/cgra.md): function units on a grid joined by a data network and a control network,
// instruction decoders bound per kernel to groups of units (SIMD when a decoder drives several,
// VLIW when decoders run in lock-step), on the accelerator contract (accelerator.h).
//
//   common window 0x00-0x3F (accelerator.h), then
//   0x40 UNITS  0x44 DECODERS  0x48 IMEM_INSNS  0x4C MEM_BYTES  0x50 BANKS (ro)  0x54 MAX_CYCLES (rw)
//   0x58 FAULT_PC  0x5C FAULT_CAUSE  0x60 FAULT_UNIT  0x64 CONFIG_CAUSE  0x68 RUN_CYCLES  0x6C STALLS
//   0x70 CONFIG_BITS (ro)
//
//   CONFIG (opcode 1, 6 words): image, bytes, 0, 0; flag BACKGROUND (partial reconfiguration)
//   COPY   (opcode 2, 6 words): flag TO_SOC; SoC address, local offset, bytes, 0
//   RUN    (opcode 3, 6 words): group mask, 0, 0, 0
//
// Why Blocks: a decoder's fetch and decode is paid once for all the units bound to it, and data
// goes from unit to unit over the configured network instead of through register files; the
// bench (bench/cgra.sh) maps the same kernels as SIMD, VLIW and one context per unit to see what
// each costs.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "models/accelerators/accelerator.h"
#include "models/accelerators/cgra/array.h"

namespace edgevp::accel::cgra {

namespace regs {
inline constexpr std::uint64_t units = 0x40, decoders = 0x44, imem_insns = 0x48, mem_bytes = 0x4C, banks = 0x50,
                               max_cycles = 0x54, fault_pc = 0x58, fault_cause = 0x5C, fault_unit = 0x60,
                               config_cause = 0x64, run_cycles = 0x68, stalls = 0x6C, config_bits = 0x70;
}  // namespace regs

namespace opcode {
inline constexpr std::uint8_t config = 1;
inline constexpr std::uint8_t copy = 2;
inline constexpr std::uint8_t run = 3;
}  // namespace opcode

inline constexpr std::uint32_t flag_background = 1u << 0;  // CONFIG
inline constexpr std::uint32_t flag_to_soc = 1u << 0;      // COPY
inline constexpr unsigned desc_words = 6;
inline constexpr std::uint32_t max_image_bytes = 4u << 20;  // a CONFIG's image: SHAPE past it

std::vector<std::pair<std::string, std::uint32_t>> constants();

class cgra final : public accelerator {
 public:
  cgra(const sc_core::sc_module_name& name, const instance& inst, fabric f);
  static constexpr std::uint8_t code = 0x05;

  core::reg<std::uint32_t> units_reg, decoders_reg, imem_insns_reg, mem_bytes_reg, banks_reg, max_cycles_reg,
      fault_pc, fault_cause, fault_unit, config_cause_reg, run_cycles, stalls_reg, config_bits_reg;

  [[nodiscard]] const array& fabric_state() const { return m_array; }
  [[nodiscard]] array& fabric_state() { return m_array; }
  [[nodiscard]] std::vector<std::pair<std::string, double>> report() const override;

 protected:
  [[nodiscard]] unsigned descriptor_words(std::uint8_t op) const override;
  sc_core::sc_time execute(job& j) override;
  void reset_kind() override;
  void power_lost() override;

 private:
  sc_core::sc_time configure(job& j);
  sc_core::sc_time copy(job& j);
  sc_core::sc_time run(job& j);
  void add_power_sources(const instance& inst);

  array m_array;
  std::uint64_t m_max_cycles;
  counters m_copy_count;  // local memory read and written by COPY
  // The chain's last RUN, for the BACKGROUND CONFIGs right after it.
  struct last_run {
    std::uint64_t start_id = 0;  // which START it belonged to
    bool open = false;           // no COPY or foreground CONFIG since
    std::uint32_t groups = 0;
    sc_core::sc_time begin, end;
    sc_core::sc_time port_free;  // when the configuration port is free for the next background load
  } m_last_run;
  std::uint64_t m_runs = 0, m_configs = 0, m_refusals = 0, m_faults = 0;
};

kind_info kind();

}  // namespace edgevp::accel::cgra

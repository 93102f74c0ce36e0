// edgevp: the accelerators' register offsets and constants for firmware, from the models.
//
// Nothing here is written by hand: each kind is built once with its defaults and its declared
// registers (core::reg names and offsets) are walked; the contract's bits and error codes and each
// kind's constants (kind_info::constants) are the ones the models compare against. A register moved
// in a model moves in the firmware's header, the HAL and the benches at the next build.
//
//   #define EDGEVP_ACCEL_CTRL              0x04u   the contract's registers (every kind)
//   #define EDGEVP_ACCEL_CTRL_START        0x1u    the contract's bits, error codes, limits
//   #define EDGEVP_CIM_DIGITAL_ID          0xacce0101u  a kind's ID register value
//   #define EDGEVP_CIM_DIGITAL_ROWS        0x40u   a kind's own registers
//   #define EDGEVP_CIM_DIGITAL_OP_LOAD     0x1u    a kind's constants
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "models/accelerators/registry.h"

namespace edgevp::accel {

// The contract's constants (device.h): CTRL and STATUS bits, error codes, limits.
std::vector<std::pair<std::string, std::uint32_t>> contract_constants();

// One register as firmware sees it.
struct register_decl {
  std::string name;
  std::uint64_t offset = 0;
  unsigned width = 4;
  std::uint32_t reset = 0;
};

// The registers an instance of `kind` declares (built with its defaults: needs no simulation
// running, only an elaboration context), the contract's first.
std::vector<register_decl> kind_registers(const kind_info& kind, std::size_t* contract_count = nullptr);

// "cim-digital" -> "CIM_DIGITAL".
std::string macro_name(const std::string& kind);

// Writes the C header (include guard EDGEVP_ACCEL_REGS_H) for every kind in `kinds`.
void write_regs_header(std::ostream& out, const registry& kinds);

}  // namespace edgevp::accel

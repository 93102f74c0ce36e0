// edgevp: the fabric description of a coarse-grained reconfigurable array (docs/models/cgra.md,
// "Fabric description"): its units and their grid positions, the networks' reach, the local
// memory banks and the decoders' instruction memories. JSON; parse() checks it whole and throws
// core::config_error naming the file, the JSON path and the problem.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace edgevp::accel::cgra {

enum class unit_type : std::uint8_t { id, imm, alu, mul, lsu, rf, abu, dot8 };
inline constexpr unsigned unit_type_count = 8;
const char* type_name(unit_type t);

inline constexpr unsigned max_units = 255;
inline constexpr unsigned max_decoders = 32;
inline constexpr unsigned max_groups = 8;
inline constexpr unsigned max_imem = 256;
inline constexpr unsigned none = 255;  // no unit, no decoder

struct unit {
  std::string name;
  unit_type type = unit_type::alu;
  unsigned x = 0, y = 0;
  unsigned registers = 0;  // rf, imm
  unsigned decoder = none; // for an id: its number among the decoders
  [[nodiscard]] unsigned inputs() const;   // routed data inputs: 0, 1 or 2
  [[nodiscard]] bool has_output() const { return type != unit_type::id && type != unit_type::abu; }
};

struct fabric {
  std::string name;
  std::string source;
  unsigned banks = 0;
  std::uint64_t bank_bytes = 0;
  unsigned imem = 0;  // instructions per decoder
  unsigned data_hops = 0, control_hops = 0;
  std::vector<unit> units;
  std::vector<unsigned> decoders;  // decoder number -> unit index

  [[nodiscard]] std::uint64_t mem_bytes() const { return std::uint64_t{banks} * bank_bytes; }
  [[nodiscard]] unsigned hops(unsigned a, unsigned b) const;
};

fabric parse(const std::string& text, const std::string& origin);
// Reads FILE; "" is the built-in fabric (blocks.json).
fabric load(const std::string& file);
const std::string& builtin_text();

}  // namespace edgevp::accel::cgra

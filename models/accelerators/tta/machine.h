// edgevp: the machine description of a transport-triggered accelerator (docs/models/tta.md,
// "Machine description"): buses, the ports each reaches, function units with their ports and
// operations, register files, immediate units, the control unit and the local memories.
//
// A description is JSON. parse() checks it whole and throws core::config_error naming the file,
// the JSON path and the problem (or the line and column of a syntax error): a port no bus
// reaches, an operation the model does not implement or that needs more ports than its unit has,
// a latency of 0, a duplicate name, a bus endpoint that does not exist. What parse() returns is
// consistent: the processor (processor.h) indexes it without checking again.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace edgevp::accel::tta {

enum class role : std::uint8_t { trigger, operand, result };
enum class unit_type : std::uint8_t { control, immediate, registers, fu };
enum class memory : std::uint8_t { none, dmem, pmem };

// The operations the model implements (docs/models/tta.md, "Operations").
enum class op : std::uint8_t {
  add, sub, and_, ior, xor_, mul, shl, shr, shru, eq, ne, gt, gtu, min, max,
  ld32, ld16u, ld16s, ld8u, ld8s, st8, st16, st32, st64, st256, st1024,
  clr, ldacc, mac8, mact, macb, req8, sign, tern,
  jump, call, halt, loop,
};
// What an operation is charged as (tta.cc's power sources).
enum class op_class : std::uint8_t { alu, mul, load, store, vclear, vload, mac8, mact, macb, vact, control };

struct op_info {
  const char* name;
  op code;
  unsigned inputs;   // trigger + operands
  unsigned outputs;  // result ports
  op_class cls;
  bool uses_memory;  // needs the unit's `memory`
  bool control;      // only on the control unit
};
// nullptr for a name the model does not implement.
const op_info* find_op(const std::string& name);
const op_info& info(op code);

inline constexpr unsigned max_value_bits = 1024;
inline constexpr unsigned max_ports = 8;
inline constexpr unsigned max_buses = 16;
inline constexpr unsigned max_units = 255;
inline constexpr unsigned max_guards = 16;
inline constexpr unsigned max_latency = 64;
inline constexpr unsigned max_delay_slots = 8;
inline constexpr unsigned vector_lanes = 32;                  // accumulators of the MAC operations
inline constexpr unsigned param_word_bytes = 128;             // a parameter word (1024 bits)
inline constexpr std::uint64_t max_memory_bytes = 16u << 20;  // per local memory
inline constexpr unsigned max_imem = 65536;

struct port {
  std::string name;
  role r = role::operand;
  unsigned width = 32;
};

struct operation {
  std::string name;
  op code = op::add;
  unsigned latency = 1;
};

struct unit {
  std::string name;
  unit_type type = unit_type::fu;
  memory mem = memory::none;
  std::vector<port> ports;          // fu, control
  std::vector<operation> ops;       // fu, control
  unsigned registers = 0;           // registers, immediate
  unsigned width = 32;              // registers, immediate
  unsigned read_ports = 0;          // registers
  unsigned write_ports = 0;         // registers
  bool guard = false;               // registers: its registers are guards
  unsigned guard_base = 0;          // number of its first guard register
  unsigned delay_slots = 0;         // control
  int trigger = -1;                 // index of the trigger port
  std::vector<unsigned> operands;   // operand ports, in order
  std::vector<unsigned> results;    // result ports, in order
  [[nodiscard]] bool has_ports() const { return type == unit_type::fu || type == unit_type::control; }
};

// An endpoint a bus reaches: a port of a unit, or (port 0) all registers of a register file or
// immediate unit.
struct bus {
  std::string name;
  unsigned width = 32;
  unsigned simm_bits = 0;
  std::vector<std::uint8_t> reads;   // [unit * max_ports + port]: the bus can take this source
  std::vector<std::uint8_t> writes;  // [unit * max_ports + port]: the bus can drive this destination
  [[nodiscard]] bool can_read(unsigned u, unsigned p) const { return reads[u * max_ports + p] != 0; }
  [[nodiscard]] bool can_write(unsigned u, unsigned p) const { return writes[u * max_ports + p] != 0; }
};

struct guard_reg {
  unsigned unit = 0;
  unsigned reg = 0;
};

struct machine {
  std::string name;
  std::string source;  // the file, or "(built in)"
  unsigned imem_insns = 0;
  std::uint64_t dmem_bytes = 0;
  std::uint64_t pmem_bytes = 0;
  std::vector<bus> buses;
  std::vector<unit> units;
  unsigned control = 0;  // index of the control unit
  std::vector<guard_reg> guards;
  // Bits a TTA would spend on one instruction (per bus: guard, source and destination fields),
  // what an instruction fetch is charged on. The image's 64-bit slots are a simple container.
  unsigned insn_bits = 0;

  [[nodiscard]] unsigned insn_bytes() const { return static_cast<unsigned>(buses.size()) * 8; }
  [[nodiscard]] int find_unit(const std::string& n) const;
};

// Parses and checks a description; `origin` names it in errors (a file name).
machine parse(const std::string& text, const std::string& origin);
// Reads FILE and parses it; "" is the built-in BrainTTA-like machine (braintta.json).
machine load(const std::string& file);
// The built-in description's text (models/accelerators/tta/braintta.json, compiled in).
const std::string& builtin_text();

}  // namespace edgevp::accel::tta

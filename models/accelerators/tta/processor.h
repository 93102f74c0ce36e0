// edgevp: the transport-triggered processor, cycle by cycle (docs/models/tta.md, "Execution").
// No SystemC: the `tta` kind (tta.h) feeds it programs and memories through its descriptors and
// turns its cycles and counters into time and energy; the unit bench drives it directly.
//
// Per cycle: fetch the instruction at the program counter; evaluate every move's guard and read
// every source as they were at the start of the cycle; write the destinations (operand ports latch,
// register writes land at the end of the cycle) and start the operations whose trigger ports were
// written, in unit order; advance the program counter (delay slots, the hardware loop, halt). A
// result of latency L triggered in cycle c is readable from cycle c + L. Anything the program does
// that the machine cannot do ends the run with a fault and the faulting instruction's address;
// a run that reaches its cycle budget ends with a timeout. Nothing a program does throws.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "models/accelerators/tta/machine.h"

namespace edgevp::accel::tta {

enum class fault : std::uint8_t {
  none = 0,
  insn = 1,         // an instruction that does not decode
  unconnected = 2,  // a source or destination the bus does not reach
  conflict = 3,     // two writes to one port or register in a cycle
  rf_ports = 4,     // more register-file reads or writes in a cycle than the file has ports
  memory = 5,       // a load or store outside its memory or misaligned
  pc = 6,           // the program counter outside the loaded program
  control = 7,      // a control transfer in another's delay slots, a nested or empty-range loop
  immediate = 8,    // a short immediate that does not fit its bus
};
inline constexpr unsigned fault_count = 9;
const char* fault_name(fault f);

using value = std::array<std::uint32_t, max_value_bits / 32>;

inline constexpr unsigned op_class_count = 11;

// What the processor has done since it was built: the power sources' events.
struct counters {
  std::uint64_t cycles = 0;
  std::uint64_t insns = 0;
  std::uint64_t fetch_bits = 0;  // insns x machine::insn_bits
  std::uint64_t moves = 0;       // executed (limm included), not squashed
  std::uint64_t squashed = 0;
  std::uint64_t bus_bits = 0;  // per executed move, the bus's width
  std::uint64_t rf_read_bits = 0;
  std::uint64_t rf_write_bits = 0;
  std::array<std::uint64_t, op_class_count> ops{};  // by op_class
  std::uint64_t dmem_read_bits = 0, dmem_write_bits = 0;
  std::uint64_t pmem_read_bits = 0, pmem_write_bits = 0;
  std::uint64_t macs = 0;
};

struct run_result {
  enum class end : std::uint8_t { halt, fault, timeout };
  end how = end::halt;
  fault cause = fault::none;
  std::uint32_t pc = 0;     // the faulting instruction, or where a timeout stopped
  std::uint32_t value = 0;  // halt's operand
  std::uint64_t cycles = 0;
};

// One move slot of a program image, decoded (docs/models/tta.md, "Program images").
struct slot {
  std::uint8_t kind = 0;  // 0 none, 1 move, 2 short immediate, 3 long immediate
  bool guarded = false;
  bool inverted = false;
  std::uint8_t guard = 0;
  std::uint8_t dst_unit = 0, dst_port = 0, op = 0;
  std::uint8_t src_unit = 0, src_port = 0;
  std::uint32_t imm = 0;
  fault bad = fault::none;  // raised when (and only if) the instruction executes
};
// Decodes one slot of bus `b` against the machine.
slot decode(const machine& m, unsigned b, std::uint64_t word);

class processor {
 public:
  explicit processor(machine m);

  [[nodiscard]] const machine& desc() const { return m_m; }
  // Writes `n` instructions of an image (n x insn_bytes bytes) from instruction `first`; the caller
  // checks the range. They are decoded now; a slot that does not decode faults when it executes.
  void load_program(std::uint32_t first, const std::uint8_t* image, std::uint32_t n);
  [[nodiscard]] std::vector<std::uint8_t>& dmem() { return m_dmem; }
  [[nodiscard]] std::vector<std::uint8_t>& pmem() { return m_pmem; }

  // Runs from `entry` until halt, a fault or `max_cycles` cycles.
  run_result run(std::uint32_t entry, std::uint64_t max_cycles);

  // Registers, ports, accumulators and results in flight (soft reset). Memories stay.
  void reset();
  // Everything, memories and program included (power off).
  void clear();

  [[nodiscard]] const counters& count() const { return m_count; }
  // State, for tests.
  [[nodiscard]] std::uint32_t reg(unsigned unit, unsigned r) const { return m_regs.at(unit).at(r); }
  [[nodiscard]] const value& port_value(unsigned unit, unsigned p) const { return m_ports.at(unit).at(p); }

 private:
  // Values travel as their first `nw` words (a 32-bit bus moves one, not the 1024-bit container).
  struct pending {
    std::uint64_t ready;
    unsigned port;
    unsigned nw;
    value v;
  };
  struct move {
    const slot* s;
    unsigned bus;
    unsigned nw;
    value v;
  };
  struct reg_write {
    unsigned unit, reg;
    std::uint32_t v;
  };

  fault read_source(const slot& s, unsigned bus, move& mv);
  fault write_destination(const move& mv);
  fault execute(unsigned unit, unsigned op_index);
  fault control(op code, std::uint32_t t, std::uint32_t o1);
  fault load(const unit& u, op code, std::uint32_t addr, std::uint32_t& out);
  fault store(const unit& u, op code, std::uint32_t addr, const value& v);
  fault vector(unsigned unit, op code, std::uint32_t t, const value& o1, const value& o2, value& out);
  void retire(std::uint64_t now);
  void drain();
  void result(unsigned unit, unsigned latency, const value& v, unsigned nw);
  [[nodiscard]] bool guard_true(const slot& s) const;
  fault next_pc(std::uint32_t& pc);

  machine m_m;
  unsigned m_buses;
  std::vector<slot> m_program;  // imem_insns x buses
  std::vector<std::uint8_t> m_loaded;
  std::vector<std::uint8_t> m_dmem;
  std::vector<std::uint8_t> m_pmem;
  // Per unit.
  std::vector<std::vector<value>> m_ports;
  std::vector<std::vector<std::uint32_t>> m_regs;
  std::vector<std::vector<pending>> m_pending;
  std::vector<std::array<std::int32_t, vector_lanes>> m_acc;
  // Per cycle scratch.
  std::vector<move> m_moves;  // buses entries, the first m_nmoves of them this cycle's
  unsigned m_nmoves = 0;
  std::vector<reg_write> m_reg_writes;
  std::vector<std::uint8_t> m_written;  // [unit * 256 + port or register]
  std::vector<unsigned> m_rf_reads, m_rf_writes;
  std::vector<std::pair<unsigned, unsigned>> m_triggers;  // unit, operation
  // Control.
  std::uint64_t m_now = 0;  // cycles since construction: results' ready times
  std::uint32_t m_pc = 0;
  bool m_jump = false;
  unsigned m_jump_left = 0;
  std::uint32_t m_jump_target = 0;
  bool m_loop = false;
  std::uint32_t m_loop_start = 0, m_loop_end = 0;
  std::uint64_t m_loop_left = 0;
  bool m_halt = false;
  std::uint32_t m_halt_value = 0;
  bool m_skip = false;  // a loop of count 0: continue after its end
  counters m_count;
};

}  // namespace edgevp::accel::tta

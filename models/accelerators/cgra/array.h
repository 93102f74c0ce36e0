// edgevp: the CGRA's configuration and execution (docs/models/cgra.md): kernel images checked
// whole and applied (bindings of units to decoders, data routes, lock-step groups, decoder
// programs, initial values; partial reconfiguration), and RUNs of groups cycle by cycle, with bank
// conflicts stalling their group. No SystemC: the `cgra` kind (cgra.h) turns cycles and counters
// into time and energy; the unit bench drives it directly. Nothing an image or a program does
// throws: it is a refusal (config_cause) or a fault with the program counter and the unit.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "models/accelerators/cgra/fabric.h"

namespace edgevp::accel::cgra {

enum class config_cause : std::uint8_t { none = 0, format, unit, route, binding, group, program, busy, run };
inline constexpr unsigned config_cause_count = 9;
const char* config_cause_name(config_cause c);

enum class fault : std::uint8_t { none = 0, memory, pc, loop, opcode };
inline constexpr unsigned fault_count = 5;
const char* fault_name(fault f);

namespace record {
inline constexpr std::uint32_t end = 0, bind = 1, route = 2, group = 3, program = 4, init = 5;
}
inline constexpr std::uint32_t image_magic = 0x41524743u;  // "CGRA"
inline constexpr std::uint32_t image_version = 1;
inline constexpr unsigned image_header_words = 4;

// Operation numbers (docs/models/cgra.md, "Units and instructions").
namespace ops {
inline constexpr unsigned nop = 0;
namespace alu { inline constexpr unsigned add = 1, sub = 2, and_ = 3, or_ = 4, xor_ = 5, shl = 6, shr = 7, shru = 8, addi = 9, li = 10, pass = 11, min = 12, max = 13, lt = 14, eq = 15, acc = 16, inc = 17, last = 17; }
namespace mul { inline constexpr unsigned mul = 1, muli = 2, last = 2; }
namespace lsu { inline constexpr unsigned ld = 1, st = 2, seta = 3, ldinc = 4, stinc = 5, last = 5; }
namespace rf { inline constexpr unsigned rd = 1, wr = 2, rdwr = 3, last = 3; }
namespace imm { inline constexpr unsigned cnst = 1, li = 2, last = 2; }
namespace dot8 { inline constexpr unsigned clr = 1, dot = 2, set = 3, add = 4, last = 4; }
namespace abu { inline constexpr unsigned loop = 1, loopr = 2, jump = 3, bnz = 4, bz = 5, halt = 6, last = 6; }
}  // namespace ops

constexpr std::uint32_t insn(unsigned op, unsigned a = 0, int imm = 0) {
  return (op & 0xFFu) | ((a & 0xFFu) << 8) | (static_cast<std::uint32_t>(imm) << 16);
}

// What the array has done since it was built: the power sources' events.
struct counters {
  std::uint64_t cycles = 0;
  std::uint64_t stalls = 0;      // group-cycles lost to bank conflicts
  std::uint64_t fetches = 0;     // instructions fetched and decoded (a decoder, a cycle)
  std::uint64_t ctrl_hops = 0;   // per bound unit and executed cycle: hops from its decoder
  std::uint64_t data_hops = 0;   // per input an operation reads: its route's hops
  std::array<std::uint64_t, unit_type_count> ops{};  // operations other than nop, by unit type
  std::uint64_t rf_reads = 0, rf_writes = 0;
  std::uint64_t mem_read_bits = 0, mem_write_bits = 0;
  std::uint64_t macs = 0;
  std::uint64_t unit_cycles = 0;  // units powered (bound, in a running group) x cycles
  std::uint64_t config_bits = 0;
};

struct config_result {
  config_cause cause = config_cause::none;
  std::uint32_t offset = 0;  // byte offset of the offending record in the image
};

struct run_result {
  enum class end : std::uint8_t { halt, fault, timeout, refused };
  end how = end::halt;
  fault cause = fault::none;
  config_cause refused = config_cause::none;
  unsigned pc = 0;
  unsigned unit = none;
  std::uint64_t cycles = 0;
  std::uint64_t stalls = 0;
};

// What a running RUN uses: its groups, and per unit 1 when one of them uses it (the groups'
// decoders, the units bound to them and the sources their routes read).
struct in_use {
  std::vector<std::uint8_t> units;
  std::uint32_t groups = 0;
};

class array {
 public:
  explicit array(fabric f);

  [[nodiscard]] const fabric& desc() const { return m_f; }
  [[nodiscard]] std::vector<std::uint8_t>& mem() { return m_mem; }

  // Checks the whole image, then applies it. `busy` (may be null): what a running RUN uses, which
  // a BACKGROUND CONFIG must not touch (BUSY).
  config_result configure(const std::vector<std::uint32_t>& image, const in_use* busy = nullptr);
  [[nodiscard]] in_use users(std::uint32_t groups) const;
  run_result run(std::uint32_t groups, std::uint64_t max_cycles);

  // Outputs, registers, accumulators, address registers (soft reset). Configuration and memory stay.
  void reset();
  // Everything: configuration, programs, memory (power off).
  void clear();

  [[nodiscard]] const counters& count() const { return m_count; }
  [[nodiscard]] std::uint32_t output(unsigned u) const { return m_u.at(u).out; }
  [[nodiscard]] std::uint32_t reg(unsigned u, unsigned r) const { return m_u.at(u).regs.at(r); }
  [[nodiscard]] unsigned binding(unsigned u) const { return m_u.at(u).decoder; }
  [[nodiscard]] unsigned route(unsigned u, unsigned input) const { return m_u.at(u).in.at(input); }
  [[nodiscard]] int group_of(unsigned decoder) const { return m_group_of.at(decoder); }

 private:
  struct unit_state {
    unsigned decoder = none;
    std::array<unsigned, 2> in{none, none};
    std::uint32_t out = 0;
    std::uint32_t next = 0;
    std::uint32_t ar = 0, next_ar = 0;
    std::vector<std::uint32_t> regs;
  };
  struct store {
    std::uint32_t addr, value;
  };
  struct reg_write {
    unsigned unit, reg;
    std::uint32_t value;
  };
  struct group_state {
    bool running = false;
    unsigned pc = 0;
    unsigned length = 0;
    unsigned wait = 0;        // stall cycles left for this instruction's own bank conflicts
    bool paid = false;        // they have been waited for
    bool loop = false;
    unsigned loop_start = 0, loop_end = 0;
    std::uint64_t loop_left = 0;
    std::vector<unsigned> decoders;
    std::vector<unsigned> units;
    unsigned abu = none;
  };
  class staged;

  config_cause check_run(std::uint32_t groups, std::vector<group_state>& g, unsigned& unit) const;
  [[nodiscard]] std::uint32_t insn_of(unsigned unit, const group_state& g) const;
  [[nodiscard]] std::uint32_t in(unsigned unit, unsigned i) const;
  bool accesses(unsigned unit, std::uint32_t word, std::uint32_t& addr) const;
  fault execute(unsigned unit, std::uint32_t word);
  fault control(group_state& g, std::uint32_t word, bool& jumped, unsigned& target);
  fault advance(group_state& g, unsigned abu);

  fabric m_f;
  std::vector<std::uint8_t> m_mem;
  std::vector<unit_state> m_u;
  std::vector<std::vector<std::uint32_t>> m_prog;  // per decoder
  std::vector<unsigned> m_prog_len;                // per decoder: instructions loaded
  std::vector<int> m_group_of;                     // per decoder, -1: none
  std::vector<store> m_stores;                     // this cycle's
  std::vector<reg_write> m_reg_writes;             // this cycle's
  counters m_count;
};

}  // namespace edgevp::accel::cgra

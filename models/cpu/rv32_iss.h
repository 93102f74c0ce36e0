// edgevp: RV32IMAC instruction-set simulator (machine and user mode, Zicsr, Zifencei, Zicntr, PMP).
//
// Plain C++, no SystemC: the TLM wrapper (cpu.h) owns time and the bus. Two paths execute the same
// instructions with the same observable effects, taking what each instruction computes from one
// place (rv32_semantics.h):
// - the fast path (rv32_blocks.cc): basic blocks decoded once from DMI memory into a cache keyed
//   by pc, run with threaded dispatch; fetch energy, cycles and counts are charged per block. A
//   block stops before anything another model could see (bus access, trap, CSR, tohost store,
//   store into cached code) and leaves that instruction to the slow path. A block that may cross
//   the end of the budget runs with the budget tested before each instruction;
// - the slow path (step()): one instruction through a direct-mapped decode cache tagged by pc and
//   raw bits, fetched every time. It runs whatever blocks leave out, and everything while a
//   debugger has something armed or a trace is on.
// Privilege: M and U mode (mstatus.MPP, MPRV, TW; ecall from U; mret to U; CSR privilege checks;
// mcounteren for U's counters), physical memory protection (pmp_entries entries: TOR, NA4, NAPOT,
// locking) checked on fetch, load, store and AMO. While a check can refuse something (U mode,
// MPRV to U, a locked entry) blocks run only where the PMP lets the privilege execute the whole
// block, and check every load and store (a refused one stops the block; step() takes the fault);
// M mode without locked entries runs the fast path untouched.
// Debug triggers (Sdtrig, mcontrol type 2): trigger_count address triggers on execute, load and
// store (match equal, >=, <), for machine and/or user mode, raising a breakpoint exception
// (action 0) before the instruction or access; while one is enabled the slow path runs.
// Self-modifying code is always seen: a store into a cached code line ends the block, and blocks
// are compared with memory again after anything that may have written it (a new run(), a bus
// access, such a store, the tohost callback, fence.i). Memories are reached through DMI regions the wrapper hands in
// (the last region hit is tried first); everything else goes to the wrapper's bus interface.
// Interrupt lines, stop requests and CSR writes that may unmask an interrupt raise one "attention"
// flag that the loop tests between blocks (nothing inside a block can raise it, so that is the
// same as testing it before every instruction). Debugging (breakpoints, single step, watchpoints)
// rides on the same flag: while any is armed the flag stays raised and every instruction takes
// the slow path, so an undebugged run pays nothing for it.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "models/core/access_counters.h"

namespace edgevp::cpu {

// Instruction classes: timing (cycles per class) and energy (one event counter per class) are per class.
enum class insn_class : std::uint8_t { alu, mul, div, load, store, branch, jump, csr, amo, fence, system, count };
const char* class_name(insn_class c);

struct timing_config {
  // Base cycles per class; a taken branch adds branch_taken_extra.
  std::array<std::uint32_t, static_cast<std::size_t>(insn_class::count)> cycles{
      1 /*alu*/, 1 /*mul*/, 32 /*div*/, 2 /*load*/, 1 /*store*/, 1 /*branch*/, 2 /*jump*/,
      1 /*csr*/, 3 /*amo*/, 1 /*fence*/, 3 /*system*/};
  std::uint32_t branch_taken_extra = 1;
  std::uint32_t trap_cycles = 4;  // cost of entering a trap handler
  // A misaligned load or store with isa_config::misaligned: extra cycles on top of its bytes'
  // accesses (RI5CY: one more cycle for the second access).
  std::uint32_t misaligned_extra = 1;
};

// ISA options.
struct isa_config {
  unsigned pmp_entries = 16;  // 0, 4, 8 or 16 PMP entries
  bool misaligned = false;    // misaligned loads and stores: false traps, true performs them (as RI5CY)
};

// The wrapper's side of the bus: accesses that no DMI region covers.
class rv32_bus {
 public:
  virtual ~rv32_bus() = default;
  // Returns false when the target answered an error (the ISS raises an access fault).
  // stall_cycles receives the access's extra cycles (bus and target latency).
  virtual bool bus_read(std::uint32_t addr, void* data, unsigned len, std::uint64_t& stall_cycles) = 0;
  virtual bool bus_write(std::uint32_t addr, const void* data, unsigned len, std::uint64_t& stall_cycles) = 0;
};

struct dmi_region {
  std::uint32_t base = 0;
  std::uint32_t size = 0;  // bytes
  unsigned char* ptr = nullptr;
  bool readable = false;
  bool writable = false;
  std::uint32_t read_cycles = 0;   // per access
  std::uint32_t write_cycles = 0;  // per access
  // The target's DMI access counters (energy); null: the ISS counts into a private sink.
  core::access_counters* counters = nullptr;
};

// breakpoint: the pc reached a debug breakpoint (the instruction there has not executed);
// step: single step done (one instruction retired, or one trap entered);
// watchpoint: the instruction at the pc is about to access a watched range (it has not executed).
enum class stop_reason : std::uint8_t {
  budget, wfi, halt, unhandled_trap, fault_loop, breakpoint, step, watchpoint
};

// Which accesses a watchpoint catches (a mask: access = read | write).
enum class watch_kind : std::uint8_t { write = 1, read = 2, access = 3 };

// mcause values (exceptions; interrupts have bit 31 set).
namespace cause {
inline constexpr std::uint32_t insn_misaligned = 0, insn_access = 1, illegal_insn = 2, breakpoint = 3,
                               load_misaligned = 4, load_access = 5, store_misaligned = 6, store_access = 7,
                               ecall_u = 8, ecall_m = 11;
inline constexpr std::uint32_t interrupt = 0x80000000u;
inline constexpr unsigned msi = 3, mti = 7, mei = 11;  // interrupt numbers (mip bits)
}  // namespace cause

struct trap_record {
  std::uint32_t cause = 0;
  std::uint32_t pc = 0;
  std::uint32_t tval = 0;
};

class rv32_iss {
 public:
  rv32_iss(rv32_bus& bus, const timing_config& timing = {}, const isa_config& isa = {});
  rv32_iss(const rv32_iss&) = delete;
  rv32_iss& operator=(const rv32_iss&) = delete;

  // Architectural reset: registers, CSRs, reservation, pending stop; mcycle and minstret read 0
  // afterwards. The internal cycle and instruction totals (time base, statistics) keep counting.
  void reset(std::uint32_t pc);

  // Runs until m_cycles reaches cycle_limit, or WFI with nothing pending, or a stop.
  stop_reason run(std::uint64_t cycle_limit);

  // --- state ---
  [[nodiscard]] std::uint32_t pc() const { return m_pc; }
  void set_pc(std::uint32_t pc) { m_pc = pc; }
  [[nodiscard]] std::uint32_t reg(unsigned i) const { return m_x[i & 31]; }
  void set_reg(unsigned i, std::uint32_t v) {
    if ((i & 31) != 0) m_x[i & 31] = v;
  }
  [[nodiscard]] std::uint64_t cycles() const { return m_cycles; }
  void add_cycles(std::uint64_t n) { m_cycles += n; }
  [[nodiscard]] std::uint64_t instret() const { return m_instret; }
  [[nodiscard]] std::uint64_t class_count(insn_class c) const { return m_class_count[static_cast<std::size_t>(c)]; }
  // For energy accounting: the counter itself, read at checkpoints.
  [[nodiscard]] const std::uint64_t* class_counter(insn_class c) const {
    return &m_class_count[static_cast<std::size_t>(c)];
  }
  [[nodiscard]] const std::uint64_t* instret_counter() const { return &m_instret; }
  [[nodiscard]] const trap_record& last_trap() const { return m_last_trap; }
  // The privilege mode: 3 (machine) or 0 (user).
  [[nodiscard]] unsigned privilege() const { return m_priv; }
  // Zicntr's time / timeh read this (the CLINT's mtime); unset, they do not exist (illegal).
  std::function<std::uint64_t()> time_source;
  [[nodiscard]] std::uint64_t traps_taken() const { return m_traps; }
  // CSR access from outside (debugger, tests): false if the CSR does not exist.
  bool read_csr(std::uint32_t csr, std::uint32_t& value);
  bool write_csr(std::uint32_t csr, std::uint32_t value);

  // --- interrupts: level of mip bit `irq` (cause::msi/mti/mei) ---
  void set_irq(unsigned irq, bool level);
  [[nodiscard]] std::uint32_t mip() const { return m_mip; }
  [[nodiscard]] bool interrupt_pending() const { return (m_mip & m_mie) != 0; }

  // --- control from the wrapper ---
  void request_stop() { m_stop = true; m_attention = true; }
  [[nodiscard]] bool stop_requested() const { return m_stop; }
  void clear_stop() { m_stop = false; }
  // Ends the current run() at the next instruction boundary with stop_reason::budget (the wrapper
  // re-plans its budget, e.g. after a clock change).
  void request_yield() { m_yield = true; m_attention = true; }

  // --- debugging (the GDB server): checked only while armed ---
  // Breakpoints stop run() before the instruction at `pc` executes, every time it is reached
  // (the debugger steps over one it is stopped at). One pc may be set several times (a software and
  // a hardware breakpoint); each remove takes one away.
  void add_breakpoint(std::uint32_t pc);
  bool remove_breakpoint(std::uint32_t pc);  // false if none is set at pc
  void clear_breakpoints();                   // and watchpoints
  [[nodiscard]] bool has_breakpoint(std::uint32_t pc) const;
  // Single step: run() returns stop_reason::step once one instruction has retired or one trap has
  // been entered. Interrupts are not taken while stepping (as QEMU's gdbstub does by default), so
  // stepping through code does not wander into interrupt handlers.
  void set_single_step(bool on);
  [[nodiscard]] bool single_step() const { return m_stepping; }
  // Watchpoints stop run() before a load, store or AMO that touches [addr, addr + len) executes,
  // as RISC-V triggers do (GDB steps over the access itself). Checked for code in DMI memory.
  void add_watchpoint(std::uint32_t addr, std::uint32_t len, watch_kind kind);
  bool remove_watchpoint(std::uint32_t addr, std::uint32_t len, watch_kind kind);  // false: not set
  // The last watchpoint stop: the first watched address the access touches, the watchpoint's kind.
  [[nodiscard]] std::uint32_t watch_address() const { return m_watch_hit_addr; }
  [[nodiscard]] watch_kind watch_hit_kind() const { return m_watch_hit_kind; }

  // --- memory ---
  void add_dmi(const dmi_region& r);
  void invalidate_dmi(std::uint64_t start, std::uint64_t end);
  // Stores to [lo, hi) call on_store_watch (riscv-tests tohost). Off by default.
  void set_store_watch(std::uint32_t lo, std::uint32_t hi) { m_watch_lo = lo; m_watch_hi = hi; }
  std::function<void(std::uint32_t addr, std::uint32_t value)> on_store_watch;

  // --- tracing: one line per retired instruction (pc, raw, disassembly) when set ---
  void set_trace(std::ostream* os) { m_trace = os; }

  ~rv32_iss() = default;

  static constexpr std::uint32_t misa_value =
      (1u << 30) | (1u << 0) | (1u << 2) | (1u << 8) | (1u << 12) | (1u << 20);  // RV32 A C I M U

 private:
  struct insn {
    std::uint32_t pc;
    std::uint32_t raw;
    std::int32_t imm;
    std::uint16_t op;
    std::uint8_t rd, rs1, rs2;
    std::uint8_t len;
    std::uint16_t cost;
    insn_class cls;
  };
  static constexpr std::size_t cache_entries = 1u << 14;

  void decode(std::uint32_t raw, std::uint32_t pc, insn& d) const;
  void decode32(std::uint32_t raw, insn& d) const;
  void decode16(std::uint32_t raw, insn& d) const;
  void finish_decode(insn& d) const;

  bool fetch(std::uint32_t pc, std::uint32_t& raw);  // with the PMP's execute checks
  bool fetch_raw(std::uint32_t pc, std::uint32_t& raw);
  bool step();  // one instruction through the decode cache; true: WFI with nothing pending
  template <typename T>
  bool load(std::uint32_t addr, T& value);
  template <typename T>
  bool store(std::uint32_t addr, T value);
  template <typename T>
  bool load_split(std::uint32_t addr, T& value);  // a misaligned load, byte by byte
  template <typename T>
  bool store_split(std::uint32_t addr, T value);
  // The load instruction O (rv32_ops.h): rd gets what it loads, untouched when the access traps.
  template <std::uint16_t O>
  bool load_insn(std::uint32_t addr, std::uint32_t& rd);
  bool amo(const insn& d);
  bool exec_csr(const insn& d);
  bool csr_read(std::uint32_t csr, std::uint32_t& v) const;
  bool csr_write(std::uint32_t csr, std::uint32_t v);

  void take_trap(std::uint32_t cause, std::uint32_t tval);
  // PMP: may `priv` access [addr, addr + len) for `access` (1 read, 2 write, 4 execute)?
  [[nodiscard]] bool pmp_allows(std::uint32_t addr, unsigned len, unsigned access, unsigned priv) const;
  [[nodiscard]] unsigned data_priv() const;  // the privilege loads and stores use (MPRV)
  void update_pmp_check();
  // Debug triggers: the first enabled trigger matching `addr` for `kind` (4 execute, 2 store,
  // 1 load) in the present mode sets its hit bit and returns true.
  bool trigger_hit(std::uint32_t addr, unsigned len, unsigned kind);
  void update_triggers();
  [[nodiscard]] std::uint64_t mcycle() const;
  [[nodiscard]] std::uint64_t minstret() const;
  void set_mcycle(std::uint64_t v);
  void set_minstret(std::uint64_t v);
  bool check_interrupts();  // takes the highest-priority enabled interrupt; true if taken
  bool check_watchpoints();  // true if the instruction at m_pc would access a watched range
  void update_debug_armed();
  // One trace line; a trapped instruction is marked with its cause (it did not retire).
  void trace(std::uint32_t pc, std::uint32_t raw, const std::uint32_t* trap_cause);

  // A DMI region as the ISS keeps it: the wrapper's description, plus which of its lines hold
  // instructions of cached blocks (a store there ends the block and revalidates the others).
  struct region : dmi_region {
    std::uint32_t span = 0;  // an aligned access of up to 4 bytes at offset < span is inside
    unsigned code_shift = 6;
    bool shadowed = false;           // an earlier region overlaps it: find_dmi may answer that one instead
    std::vector<std::uint8_t> code;  // per line of 1 << code_shift bytes: 1 if a block covers it
  };
  region* find_dmi(std::uint32_t addr, unsigned len, bool write);
  // find_dmi through a last-hit cache per direction; the cache keeps only unshadowed regions.
  region* data_region(std::uint32_t addr, unsigned len, bool write);
  void dmi_changed();  // after the region list changed: caches and blocks go
  void note_store(region& r, std::uint32_t addr) {
    if (r.code[(addr - r.base) >> r.code_shift] != 0) ++m_code_gen;
  }

  // --- the basic-block cache (the fast path) ---
  // A block is a run of straight-line instructions in one DMI region, ending at a branch or jump
  // (included), before an instruction only step() handles (CSR, system, AMO, fence.i, illegal), at
  // the region's end or at max_block instructions. Blocks are dropped when the DMI regions change.
  // Whenever the code generation moved on (every run(), every bus access, every store into a
  // line holding cached code, fence.i) a block is checked again before it runs, by comparing
  // memory with the bytes it was decoded from.
  struct block_insn {
    std::uint32_t imm;  // immediate; the target for branches and jal; pc + imm for auipc
    std::uint32_t pc;
    std::uint64_t cycles_before;  // static cycles of the block's instructions before this one
    std::uint16_t op;
    std::uint8_t rd, rs1, rs2;  // rd 0 is written to the scratch register 32
    std::uint8_t len;
    insn_class cls;
  };
  struct block {
    std::uint32_t pc = 1;                 // odd: never a valid tag
    std::uint64_t gen = 0;                // code generation it was last checked at
    std::uint32_t first = 0;              // index of the first instruction in m_pool
    std::uint16_t n = 0;                  // instructions (0: the first one is for step())
    std::uint32_t bytes = 0;              // fetched bytes when all run
    std::uint64_t cycles = 0;             // static cycles when all run (class cost + fetch latency)
    std::uint64_t bound = 0;              // most cycles the block can take (taken branch, data latency)
    const unsigned char* host = nullptr;  // the block's first byte
    core::access_counters* fetch_counters = nullptr;
    std::uint8_t nclasses = 0;
    std::array<insn_class, 8> cls{};
    std::array<std::uint16_t, 8> cls_count{};
  };
  static constexpr std::size_t block_entries = 1u << 12;
  static constexpr std::size_t pool_entries = 1u << 15;
  static constexpr unsigned max_block = 32;
  // The block at pc, checked or built; null when no block starts there (step() runs it).
  const block* lookup_block(std::uint32_t pc);
  void build_block(block& b, std::uint32_t pc);
  enum class block_exit : std::uint8_t {
    boundary,  // ended at a block boundary (m_pc)
    step,      // stopped before the instruction at m_pc, which step() runs
    budget,    // the budget ended before the instruction at m_pc
  };
  // Runs blocks from m_pc: unchecked while each block surely ends before cycle_limit, checked
  // (the budget tested before every instruction) for the blocks that may cross it. With a PMP
  // check due (m_pmp_check), `pmp` blocks run only where the PMP lets the privilege execute the
  // whole block, and stop before a load or store it refuses (step() then takes the fault).
  block_exit run_blocks(std::uint64_t cycle_limit);
  template <bool checked, bool pmp>
  block_exit exec_blocks(const block* b, std::uint64_t cycle_limit);
  void account_partial(const block& b, const block_insn* stop);
  void flush_blocks();

  rv32_bus& m_bus;
  timing_config m_timing;
  isa_config m_isa;

  std::uint32_t m_x[33] = {};  // x0..x31 and a scratch register for blocks writing x0
  std::uint32_t m_pc = 0;
  std::uint64_t m_cycles = 0;
  std::uint64_t m_instret = 0;
  std::uint64_t m_class_count[static_cast<std::size_t>(insn_class::count)] = {};

  // CSRs
  std::uint32_t m_mstatus = 0;  // MIE (3), MPIE (7), MPP (12:11: 0 or 3), MPRV (17), TW (21)
  std::uint8_t m_priv = 3;      // 3 machine, 0 user
  bool m_pmp_check = false;     // a PMP check may refuse an access: blocks check (exec_blocks<., true>)
  std::uint32_t m_mcounteren = 0;
  std::uint32_t m_mcountinhibit = 0;
  std::uint64_t m_cycle_frozen = 0, m_instret_frozen = 0;  // mcycle / minstret while inhibited
  static constexpr unsigned trigger_count = 4;
  struct trigger {
    std::uint32_t tdata1 = 2u << 28;  // mcontrol, disabled
    std::uint32_t tdata2 = 0;
  };
  std::array<trigger, trigger_count> m_triggers{};
  std::uint32_t m_tselect = 0;
  bool m_triggers_armed = false;  // an enabled trigger exists: the slow path runs and checks
  std::array<std::uint8_t, 16> m_pmpcfg{};
  std::array<std::uint32_t, 16> m_pmpaddr{};
  std::uint32_t m_mie = 0;
  std::uint32_t m_mip = 0;
  std::uint32_t m_mtvec = 0;
  std::uint32_t m_mepc = 0;
  std::uint32_t m_mcause = 0;
  std::uint32_t m_mtval = 0;
  std::uint32_t m_mscratch = 0;
  std::int64_t m_mcycle_offset = 0;  // mcycle CSR = m_cycles + offset
  std::int64_t m_minstret_offset = 0;

  // LR/SC
  bool m_reserved = false;
  std::uint32_t m_reservation = 0;

  bool m_attention = false;
  bool m_stop = false;
  bool m_yield = false;
  // Debugging: m_debug_armed keeps m_attention raised so the checks run before every instruction.
  bool m_debug_armed = false;
  bool m_stepping = false;
  std::uint64_t m_step_mark = 0;  // m_instret + m_traps when the step was armed
  std::vector<std::uint32_t> m_breakpoints;
  struct watchpoint {
    std::uint32_t addr, len;
    watch_kind kind;
  };
  std::vector<watchpoint> m_watchpoints;
  std::uint32_t m_watch_hit_addr = 0;
  watch_kind m_watch_hit_kind = watch_kind::write;
  unsigned m_trap_streak = 0;  // consecutive traps with no instruction retired
  stop_reason m_fault = stop_reason::budget;
  trap_record m_last_trap;
  std::uint64_t m_traps = 0;

  std::vector<region> m_dmi;
  core::access_counters m_uncounted;  // DMI regions without counters count here
  const region* m_fetch_dmi = nullptr;
  region m_no_region;  // span 0: the last-hit caches' "nothing"
  region* m_load_dmi = &m_no_region;
  region* m_store_dmi = &m_no_region;
  std::uint32_t m_max_data_cycles = 0;  // most cycles a DMI data access adds

  std::vector<block> m_blocks;
  std::vector<block_insn> m_pool;
  std::vector<unsigned char> m_code;  // the bytes each block was decoded from (4 per pool slot)
  std::size_t m_pool_used = 0;
  std::uint64_t m_code_gen = 1;
  std::uint32_t m_watch_lo = 0, m_watch_hi = 0;  // empty

  std::ostream* m_trace = nullptr;
  bool m_trace_pending = false;  // step() decoded an instruction whose line is not written yet
  std::uint32_t m_trace_raw = 0;
  std::vector<insn> m_cache;
};

}  // namespace edgevp::cpu

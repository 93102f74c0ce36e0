// edgevp: RV32IMAC execution, traps, CSRs.
#include "models/cpu/rv32_iss.h"

#include <algorithm>
#include <cstring>
#include <iomanip>
#include <ostream>

#include "models/cpu/rv32_disasm.h"
#include "models/cpu/rv32_ops.h"
#include "models/cpu/rv32_semantics.h"

#define EDGEVP_LIKELY(x) __builtin_expect(!!(x), 1)
#define EDGEVP_UNLIKELY(x) __builtin_expect(!!(x), 0)

namespace edgevp::cpu {

namespace {

// CSR numbers.
enum : std::uint32_t {
  csr_mstatus = 0x300, csr_misa = 0x301, csr_mie = 0x304, csr_mtvec = 0x305, csr_mstatush = 0x310,
csr_mscratch = 0x340, csr_mepc = 0x341, csr_mcause = 0x342, csr_mtval = 0x343,
  csr_mip = 0x344, csr_mcycle = 0xB00, csr_minstret = 0xB02, csr_mcycleh = 0xB80, csr_minstreth = 0xB82,
  csr_cycle = 0xC00, csr_time = 0xC01, csr_instret = 0xC02, csr_cycleh = 0xC80, csr_timeh = 0xC81,
  csr_instreth = 0xC82, csr_mcounteren = 0x306, csr_mcountinhibit = 0x320, csr_pmpcfg0 = 0x3A0,
  csr_pmpaddr0 = 0x3B0, csr_tselect = 0x7A0, csr_tdata1 = 0x7A1, csr_tdata2 = 0x7A2, csr_tdata3 = 0x7A3,
  csr_tinfo = 0x7A4,
  csr_mvendorid = 0xF11, csr_marchid = 0xF12, csr_mimpid = 0xF13, csr_mhartid = 0xF14, csr_mconfigptr = 0xF15,
};
constexpr std::uint32_t mstatus_mie = 1u << 3;
constexpr std::uint32_t mstatus_mpie = 1u << 7;
constexpr std::uint32_t mstatus_mpp = 3u << 11;
constexpr std::uint32_t mstatus_mprv = 1u << 17;
constexpr std::uint32_t mstatus_tw = 1u << 21;
constexpr std::uint8_t pmp_r = 1, pmp_w = 2, pmp_x = 4, pmp_a = 3u << 3, pmp_l = 0x80;
constexpr unsigned pmp_tor = 1, pmp_na4 = 2, pmp_napot = 3;
// mcontrol (tdata1 type 2) fields this core implements; the rest read 0 (action 0: breakpoint
// exception, timing 0: before, select 0: address, no chaining, any size).
constexpr std::uint32_t mc_type2 = 2u << 28, mc_hit = 1u << 20, mc_match = 0xFu << 7, mc_m = 1u << 6,
                        mc_u = 1u << 3, mc_execute = 1u << 2, mc_store = 1u << 1, mc_load = 1u;
constexpr std::uint32_t mip_mask = (1u << cause::msi) | (1u << cause::mti) | (1u << cause::mei);
constexpr unsigned fault_loop_limit = 16;

// mhpmcounter3..31, their high halves and mhpmevent3..31 must exist (privileged spec); with no
// events to count they are read-only zero: reads give 0, writes are ignored.
constexpr bool is_hpm_csr(std::uint32_t csr) {
  return (csr >= 0xB03 && csr <= 0xB1F) || (csr >= 0xB83 && csr <= 0xB9F) || (csr >= 0x323 && csr <= 0x33F);
}

}  // namespace

const char* class_name(insn_class c) {
  static const char* const names[] = {"alu", "mul", "div", "load", "store", "branch",
                                      "jump", "csr", "amo", "fence", "system"};
  const auto i = static_cast<std::size_t>(c);
  return i < sizeof(names) / sizeof(names[0]) ? names[i] : "?";
}

rv32_iss::rv32_iss(rv32_bus& bus, const timing_config& timing, const isa_config& isa)
    : m_bus(bus),
      m_timing(timing),
      m_isa(isa),
      m_blocks(block_entries),
      m_pool(pool_entries),
      m_code(pool_entries * 4),
      m_cache(cache_entries) {
  for (auto& e : m_cache) e.pc = 1;  // odd pc: never a valid tag
}

void rv32_iss::reset(std::uint32_t pc) {
  std::memset(m_x, 0, sizeof(m_x));
  m_pc = pc;
  m_mstatus = mstatus_mpp;
  m_priv = 3;
  m_mcounteren = 0;
  m_mcountinhibit = 0;
  m_pmpcfg.fill(0);
  m_pmpaddr.fill(0);
  m_pmp_check = false;
  m_triggers = {};
  m_tselect = 0;
  m_triggers_armed = false;
  m_isa.pmp_entries = std::min(m_isa.pmp_entries, 16u);
  m_mie = 0;
  m_mtvec = 0;
  m_mepc = m_mcause = m_mtval = m_mscratch = 0;
  m_mcycle_offset = -static_cast<std::int64_t>(m_cycles);
  m_minstret_offset = -static_cast<std::int64_t>(m_instret);
  m_reserved = false;
  m_trap_streak = 0;
  m_stop = false;
  m_yield = false;
  m_fault = stop_reason::budget;
  m_attention = true;  // re-evaluate interrupts
}

// ---------------------------------------------------------------- memory

void rv32_iss::add_dmi(const dmi_region& region_in) {
  region r;
  static_cast<dmi_region&>(r) = region_in;
  if (r.counters == nullptr) r.counters = &m_uncounted;
  for (auto& e : m_dmi) {
    if (e.base == r.base && e.size == r.size) {
      e = std::move(r);
      dmi_changed();
      return;
    }
  }
  m_dmi.push_back(std::move(r));
  dmi_changed();
}

void rv32_iss::invalidate_dmi(std::uint64_t start, std::uint64_t end) {
  std::vector<region> keep;
  for (auto& e : m_dmi) {
    const std::uint64_t lo = e.base;
    const std::uint64_t hi = static_cast<std::uint64_t>(e.base) + e.size - 1;
    if (hi < start || lo > end) keep.push_back(std::move(e));
  }
  m_dmi.swap(keep);
  dmi_changed();
}

void rv32_iss::dmi_changed() {
  m_fetch_dmi = nullptr;  // the vector may have moved
  m_load_dmi = m_store_dmi = &m_no_region;
  m_max_data_cycles = 0;
  for (std::size_t i = 0; i < m_dmi.size(); ++i) {
    region& e = m_dmi[i];
    e.span = e.size >= 4 ? e.size - 3 : 0;
    e.shadowed = false;
    for (std::size_t j = 0; j < i; ++j) {
      const region& o = m_dmi[j];
      const std::uint64_t e0 = e.base, e1 = e0 + e.size, o0 = o.base, o1 = o0 + o.size;
      if (e0 < o1 && o0 < e1) e.shadowed = true;
    }
    e.code_shift = 6;
    while ((static_cast<std::uint64_t>(e.size) >> e.code_shift) > (1u << 16)) ++e.code_shift;
    e.code.assign((static_cast<std::uint64_t>(e.size) >> e.code_shift) + 1, 0);
    m_max_data_cycles = std::max({m_max_data_cycles, e.read_cycles, e.write_cycles});
  }
  flush_blocks();  // host pointers and latencies may have changed
}

rv32_iss::region* rv32_iss::find_dmi(std::uint32_t addr, unsigned len, bool write) {
  for (auto& e : m_dmi) {
    if (addr - e.base < e.size && e.size - (addr - e.base) >= len) {
      if (write ? e.writable : e.readable) return &e;
      return nullptr;
    }
  }
  return nullptr;
}

rv32_iss::region* rv32_iss::data_region(std::uint32_t addr, unsigned len, bool write) {
  region* r = write ? m_store_dmi : m_load_dmi;
  if (EDGEVP_LIKELY(addr - r->base < r->span)) return r;  // len <= 4 and aligned: inside
  r = find_dmi(addr, len, write);
  if (r != nullptr && !r->shadowed && r->span != 0) (write ? m_store_dmi : m_load_dmi) = r;
  return r;
}

bool rv32_iss::fetch(std::uint32_t pc, std::uint32_t& raw) {
  if (EDGEVP_UNLIKELY(m_pmp_check) && !pmp_allows(pc, 2, pmp_x, m_priv)) {
    take_trap(cause::insn_access, pc);
    return false;
  }
  if (!fetch_raw(pc, raw)) return false;
  // A 32-bit instruction's second half may lie in another region.
  if (EDGEVP_UNLIKELY(m_pmp_check) && (raw & 3) == 3 && !pmp_allows(pc + 2, 2, pmp_x, m_priv)) {
    take_trap(cause::insn_access, pc + 2);
    return false;
  }
  return true;
}

bool rv32_iss::fetch_raw(std::uint32_t pc, std::uint32_t& raw) {
  const region* r = m_fetch_dmi;
  if (EDGEVP_UNLIKELY(r == nullptr || pc - r->base > r->size - 4)) {
    r = find_dmi(pc, 2, false);
    if (r != nullptr && r->size - (pc - r->base) >= 4) m_fetch_dmi = r;
  }
  if (EDGEVP_LIKELY(r != nullptr)) {
    const unsigned char* p = r->ptr + (pc - r->base);
    std::uint16_t lo;
    std::memcpy(&lo, p, 2);
    m_cycles += r->read_cycles;
    if ((lo & 3) != 3) {
      raw = lo;
      r->counters->read(2);
      return true;
    }
    if (r->size - (pc - r->base) >= 4) {
      std::uint16_t hi;
      std::memcpy(&hi, p + 2, 2);
      raw = lo | (static_cast<std::uint32_t>(hi) << 16);
      r->counters->read(4);
      return true;
    }
  }
  // Slow path: two halfword reads, so a compressed instruction at the end of a region is fine.
  // Anything may happen behind a bus access (a DMA into code): cached blocks are re-checked.
  ++m_code_gen;
  std::uint64_t stall = 0;
  std::uint16_t lo = 0;
  if (!m_bus.bus_read(pc, &lo, 2, stall)) {
    m_cycles += stall;
    take_trap(cause::insn_access, pc);
    return false;
  }
  raw = lo;
  if ((lo & 3) == 3) {
    std::uint16_t hi = 0;
    if (!m_bus.bus_read(pc + 2, &hi, 2, stall)) {
      m_cycles += stall;
      take_trap(cause::insn_access, pc + 2);
      return false;
    }
    raw |= static_cast<std::uint32_t>(hi) << 16;
  }
  m_cycles += stall;
  return true;
}

template <typename T>
bool rv32_iss::load(std::uint32_t addr, T& value) {
  if (EDGEVP_UNLIKELY((addr & (sizeof(T) - 1)) != 0)) {
    if (m_isa.misaligned) return load_split(addr, value);
    take_trap(cause::load_misaligned, addr);
    return false;
  }
  if (EDGEVP_UNLIKELY(m_triggers_armed) && trigger_hit(addr, sizeof(T), mc_load)) {
    take_trap(cause::breakpoint, addr);
    return false;
  }
  if (EDGEVP_UNLIKELY(m_pmp_check) && !pmp_allows(addr, sizeof(T), pmp_r, data_priv())) {
    take_trap(cause::load_access, addr);
    return false;
  }
  if (const region* r = data_region(addr, sizeof(T), false); EDGEVP_LIKELY(r != nullptr)) {
    std::memcpy(&value, r->ptr + (addr - r->base), sizeof(T));
    m_cycles += r->read_cycles;
    r->counters->read(sizeof(T));
    return true;
  }
  ++m_code_gen;  // behind the bus anything may change, code included
  std::uint64_t stall = 0;
  const bool ok = m_bus.bus_read(addr, &value, sizeof(T), stall);
  m_cycles += stall;
  if (!ok) {
    take_trap(cause::load_access, addr);
    return false;
  }
  return true;
}

template <typename T>
bool rv32_iss::store(std::uint32_t addr, T value) {
  if (EDGEVP_UNLIKELY((addr & (sizeof(T) - 1)) != 0)) {
    if (m_isa.misaligned) return store_split(addr, value);
    take_trap(cause::store_misaligned, addr);
    return false;
  }
  if (EDGEVP_UNLIKELY(m_triggers_armed) && trigger_hit(addr, sizeof(T), mc_store)) {
    take_trap(cause::breakpoint, addr);
    return false;
  }
  if (EDGEVP_UNLIKELY(m_pmp_check) && !pmp_allows(addr, sizeof(T), pmp_w, data_priv())) {
    take_trap(cause::store_access, addr);
    return false;
  }
  if (region* r = data_region(addr, sizeof(T), true); EDGEVP_LIKELY(r != nullptr)) {
    std::memcpy(r->ptr + (addr - r->base), &value, sizeof(T));
    m_cycles += r->write_cycles;
    r->counters->write(sizeof(T));
    note_store(*r, addr);
  } else {
    ++m_code_gen;
    std::uint64_t stall = 0;
    const bool ok = m_bus.bus_write(addr, &value, sizeof(T), stall);
    m_cycles += stall;
    if (!ok) {
      take_trap(cause::store_access, addr);
      return false;
    }
  }
  if (EDGEVP_UNLIKELY(addr - m_watch_lo < m_watch_hi - m_watch_lo)) {
    if (on_store_watch) on_store_watch(addr, static_cast<std::uint32_t>(value));
    ++m_code_gen;  // the callback may have written memory
  }
  return true;
}

// A misaligned access as RI5CY does it: the bytes one by one (each checked, counted and timed as a
// byte access; a fault stops at the faulting byte, whose address goes to mtval), plus
// timing_config::misaligned_extra cycles. Not atomic, as the spec allows.
template <typename T>
bool rv32_iss::load_split(std::uint32_t addr, T& value) {
  std::uint32_t v = 0;
  for (unsigned i = 0; i < sizeof(T); ++i) {
    std::uint8_t b = 0;
    if (!load(addr + i, b)) return false;
    v |= static_cast<std::uint32_t>(b) << (8 * i);
  }
  value = static_cast<T>(v);
  m_cycles += m_timing.misaligned_extra;
  return true;
}

template <typename T>
bool rv32_iss::store_split(std::uint32_t addr, T value) {
  // Every byte is checked first, so a refused store writes nothing.
  if (m_pmp_check)
    for (unsigned i = 0; i < sizeof(T); ++i)
      if (!pmp_allows(addr + i, 1, pmp_w, data_priv())) {
        take_trap(cause::store_access, addr + i);
        return false;
      }
  const auto v = static_cast<std::uint32_t>(value);
  for (unsigned i = 0; i < sizeof(T); ++i)
    if (!store(addr + i, static_cast<std::uint8_t>(v >> (8 * i)))) return false;
  m_cycles += m_timing.misaligned_extra;
  return true;
}

template <std::uint16_t O>
bool rv32_iss::load_insn(std::uint32_t addr, std::uint32_t& rd) {
  sem::mem_t<O> v;
  if (!load(addr, v)) return false;
  rd = sem::loaded<O>(v);
  return true;
}

bool rv32_iss::amo(const insn& d) {
  const std::uint32_t addr = m_x[d.rs1];
  if (d.op == op::lr_w) {
    std::uint32_t v;
    if ((addr & 3) != 0) { take_trap(cause::load_misaligned, addr); return false; }
    if (!load(addr, v)) return false;
    m_x[d.rd] = v;
    m_reserved = true;
    m_reservation = addr;
    return true;
  }
  if ((addr & 3) != 0) {
    take_trap(cause::store_misaligned, addr);
    return false;
  }
  if (d.op == op::sc_w) {
    const bool ok = m_reserved && m_reservation == addr;
    m_reserved = false;
    if (ok) {
      if (!store(addr, m_x[d.rs2])) return false;
      m_x[d.rd] = 0;
    } else {
      m_x[d.rd] = 1;
    }
    return true;
  }
  // Read-modify-write. A load fault on an AMO is a store/AMO access fault.
  if (m_triggers_armed && (trigger_hit(addr, 4, mc_load) || trigger_hit(addr, 4, mc_store))) {
    take_trap(cause::breakpoint, addr);
    return false;
  }
  if (m_pmp_check && !pmp_allows(addr, 4, pmp_r | pmp_w, data_priv())) {
    take_trap(cause::store_access, addr);
    return false;
  }
  std::uint32_t old = 0;
  if (const region* r = find_dmi(addr, 4, true); r != nullptr) {
    std::memcpy(&old, r->ptr + (addr - r->base), 4);
    m_cycles += r->read_cycles;
    r->counters->read(4);
  } else {
    ++m_code_gen;
    std::uint64_t stall = 0;
    const bool ok = m_bus.bus_read(addr, &old, 4, stall);
    m_cycles += stall;
    if (!ok) { take_trap(cause::store_access, addr); return false; }
  }
  const std::uint32_t src = m_x[d.rs2];
  std::uint32_t nv = 0;
  switch (d.op) {
    case op::amoswap_w: nv = sem::amo<op::amoswap_w>(old, src); break;
    case op::amoadd_w: nv = sem::amo<op::amoadd_w>(old, src); break;
    case op::amoxor_w: nv = sem::amo<op::amoxor_w>(old, src); break;
    case op::amoand_w: nv = sem::amo<op::amoand_w>(old, src); break;
    case op::amoor_w: nv = sem::amo<op::amoor_w>(old, src); break;
    case op::amomin_w: nv = sem::amo<op::amomin_w>(old, src); break;
    case op::amomax_w: nv = sem::amo<op::amomax_w>(old, src); break;
    case op::amominu_w: nv = sem::amo<op::amominu_w>(old, src); break;
    case op::amomaxu_w: nv = sem::amo<op::amomaxu_w>(old, src); break;
    default: break;
  }
  if (!store(addr, nv)) return false;
  m_x[d.rd] = old;
  return true;
}

// ---------------------------------------------------------------- traps and interrupts

void rv32_iss::set_irq(unsigned irq, bool level) {
  const std::uint32_t bit = 1u << irq;
  const std::uint32_t before = m_mip;
  m_mip = level ? (m_mip | bit) : (m_mip & ~bit);
  if (m_mip != before) m_attention = true;
}

void rv32_iss::take_trap(std::uint32_t cause_value, std::uint32_t tval) {
  if (EDGEVP_UNLIKELY(m_trace_pending)) trace(m_pc, m_trace_raw, &cause_value);
  m_last_trap = {cause_value, m_pc, tval};
  ++m_traps;
  m_cycles += m_timing.trap_cycles;
  m_reserved = false;
  if (m_mtvec == 0) {
    // No handler was ever installed: report instead of jumping into the boot ROM.
    m_fault = stop_reason::unhandled_trap;
    m_attention = true;
    return;
  }
  if (++m_trap_streak > fault_loop_limit) {
    m_fault = stop_reason::fault_loop;
    m_attention = true;
    return;
  }
  m_mepc = m_pc;
  m_mcause = cause_value;
  m_mtval = tval;
  const bool mie = (m_mstatus & mstatus_mie) != 0;
  m_mstatus = (m_mstatus & ~(mstatus_mie | mstatus_mpie | mstatus_mpp)) | (mie ? mstatus_mpie : 0) |
              (static_cast<std::uint32_t>(m_priv) << 11);
  m_priv = 3;
  update_pmp_check();
  const std::uint32_t base = m_mtvec & ~3u;
  if ((cause_value & cause::interrupt) != 0 && (m_mtvec & 3) == 1)
    m_pc = base + 4 * (cause_value & 0x1F);
  else
    m_pc = base;
}

bool rv32_iss::check_interrupts() {
  const std::uint32_t pending = m_mip & m_mie;
  // Machine interrupts are always enabled while running in user mode.
  if (pending == 0 || (m_priv == 3 && (m_mstatus & mstatus_mie) == 0)) return false;
  // Priority: external > software > timer.
  unsigned irq = cause::mti;
  if ((pending & (1u << cause::mei)) != 0) irq = cause::mei;
  else if ((pending & (1u << cause::msi)) != 0) irq = cause::msi;
  take_trap(cause::interrupt | irq, 0);
  m_trap_streak = 0;
  return true;
}

// ---------------------------------------------------------------- PMP

bool rv32_iss::pmp_allows(std::uint32_t addr, unsigned len, unsigned access, unsigned priv) const {
  const std::uint64_t a0 = addr, a1 = a0 + len;
  for (unsigned i = 0; i < m_isa.pmp_entries; ++i) {
    const std::uint8_t cfg = m_pmpcfg[i];
    const unsigned mode = (cfg & pmp_a) >> 3;
    if (mode == 0) continue;
    // Entries hold address bits 33:2.
    std::uint64_t lo = 0, hi = 0;
    if (mode == pmp_tor) {
      lo = i == 0 ? 0 : static_cast<std::uint64_t>(m_pmpaddr[i - 1]) << 2;
      hi = static_cast<std::uint64_t>(m_pmpaddr[i]) << 2;
      if (lo >= hi) continue;  // an empty range matches nothing
    } else if (mode == pmp_na4) {
      lo = static_cast<std::uint64_t>(m_pmpaddr[i]) << 2;
      hi = lo + 4;
    } else {
      if (m_pmpaddr[i] == ~0u) {  // all ones: the whole 34-bit space
        lo = 0;
        hi = std::uint64_t{1} << 34;
      } else {
        const auto ones = static_cast<unsigned>(__builtin_ctz(~m_pmpaddr[i]));  // size 2^(ones + 3)
        const std::uint64_t size = std::uint64_t{8} << ones;
        lo = (static_cast<std::uint64_t>(m_pmpaddr[i]) << 2) & ~(size - 1);
        hi = lo + size;
      }
    }
    if (a0 >= lo && a1 <= hi) {
      if (priv == 3 && (cfg & pmp_l) == 0) return true;
      return (cfg & access) == access;
    }
    if (a0 < hi && lo < a1) return false;  // a partial match fails
  }
  // No entry matches: machine mode may, user mode may not (some entry is implemented).
  return priv == 3 || m_isa.pmp_entries == 0;
}

unsigned rv32_iss::data_priv() const {
  return (m_mstatus & mstatus_mprv) != 0 ? (m_mstatus & mstatus_mpp) >> 11 : m_priv;
}

void rv32_iss::update_pmp_check() {
  bool locked = false;
  for (unsigned i = 0; i < m_isa.pmp_entries; ++i)
    if ((m_pmpcfg[i] & pmp_l) != 0 && (m_pmpcfg[i] & pmp_a) != 0) locked = true;
  m_pmp_check = m_isa.pmp_entries > 0 && (m_priv != 3 || data_priv() != 3 || locked);
}

// ---------------------------------------------------------------- debug triggers

bool rv32_iss::trigger_hit(std::uint32_t addr, unsigned len, unsigned kind) {
  const std::uint32_t mode = m_priv == 3 ? mc_m : mc_u;
  for (trigger& t : m_triggers) {
    if ((t.tdata1 & mode) == 0 || (t.tdata1 & kind) == 0) continue;
    const unsigned match = (t.tdata1 & mc_match) >> 7;
    const std::uint64_t a0 = addr, a1 = a0 + len, v = t.tdata2;
    bool hit = false;
    if (match == 0) hit = v >= a0 && v < a1;  // equal: the access covers the address
    else if (match == 2) hit = a1 - 1 >= v;   // greater or equal
    else hit = a0 < v;                        // less than (match 3)
    if (hit) {
      t.tdata1 |= mc_hit;
      return true;
    }
  }
  return false;
}

void rv32_iss::update_triggers() {
  m_triggers_armed = false;
  for (const trigger& t : m_triggers)
    if ((t.tdata1 & (mc_m | mc_u)) != 0 && (t.tdata1 & (mc_execute | mc_store | mc_load)) != 0)
      m_triggers_armed = true;
}

// ---------------------------------------------------------------- counters

std::uint64_t rv32_iss::mcycle() const {
  if ((m_mcountinhibit & 1) != 0) return m_cycle_frozen;
  return static_cast<std::uint64_t>(static_cast<std::int64_t>(m_cycles) + m_mcycle_offset);
}

std::uint64_t rv32_iss::minstret() const {
  if ((m_mcountinhibit & 4) != 0) return m_instret_frozen;
  return static_cast<std::uint64_t>(static_cast<std::int64_t>(m_instret) + m_minstret_offset);
}

void rv32_iss::set_mcycle(std::uint64_t v) {
  m_cycle_frozen = v;
  m_mcycle_offset = static_cast<std::int64_t>(v) - static_cast<std::int64_t>(m_cycles);
}

void rv32_iss::set_minstret(std::uint64_t v) {
  m_instret_frozen = v;
  m_minstret_offset = static_cast<std::int64_t>(v) - static_cast<std::int64_t>(m_instret);
}

// ---------------------------------------------------------------- CSRs

bool rv32_iss::csr_read(std::uint32_t csr, std::uint32_t& v) const {
  const std::uint64_t mcycle = this->mcycle();
  const std::uint64_t minstret = this->minstret();
  if (csr >= csr_pmpcfg0 && csr < csr_pmpcfg0 + 16) {  // pmpcfg0..15: four entries each
    const unsigned first = (csr - csr_pmpcfg0) * 4;
    v = 0;
    for (unsigned k = 0; k < 4; ++k)
      if (first + k < m_isa.pmp_entries) v |= static_cast<std::uint32_t>(m_pmpcfg[first + k]) << (8 * k);
    return true;
  }
  if (csr >= csr_pmpaddr0 && csr < csr_pmpaddr0 + 64) {
    const unsigned i = csr - csr_pmpaddr0;
    v = i < m_isa.pmp_entries ? m_pmpaddr[i] : 0;
    return true;
  }
  switch (csr) {
    case csr_mstatus: v = m_mstatus; return true;
    case csr_misa: v = misa_value; return true;
    case csr_mie: v = m_mie; return true;
    case csr_mtvec: v = m_mtvec; return true;
    case csr_mstatush: v = 0; return true;
    case csr_mscratch: v = m_mscratch; return true;
    case csr_mepc: v = m_mepc; return true;
    case csr_mcause: v = m_mcause; return true;
    case csr_mtval: v = m_mtval; return true;
    case csr_mip: v = m_mip; return true;
    case csr_mcounteren: v = m_mcounteren; return true;
    case csr_mcountinhibit: v = m_mcountinhibit; return true;
    case csr_tselect: v = m_tselect; return true;
    case csr_tdata1: v = m_triggers[m_tselect].tdata1; return true;
    case csr_tdata2: v = m_triggers[m_tselect].tdata2; return true;
    case csr_tdata3: v = 0; return true;
    case csr_tinfo: v = 1u << 2; return true;  // mcontrol (type 2) only
    case csr_time: case csr_timeh: {
      if (!time_source) return false;
      const std::uint64_t t = time_source();
      v = static_cast<std::uint32_t>(csr == csr_time ? t : t >> 32);
      return true;
    }
    case csr_mcycle: case csr_cycle: v = static_cast<std::uint32_t>(mcycle); return true;
    case csr_mcycleh: case csr_cycleh: v = static_cast<std::uint32_t>(mcycle >> 32); return true;
    case csr_minstret: case csr_instret: v = static_cast<std::uint32_t>(minstret); return true;
    case csr_minstreth: case csr_instreth: v = static_cast<std::uint32_t>(minstret >> 32); return true;
    case csr_mvendorid: case csr_marchid: case csr_mimpid: case csr_mhartid: case csr_mconfigptr:
      v = 0; return true;
    default:
      if (!is_hpm_csr(csr)) return false;
      v = 0;
      return true;
  }
}

bool rv32_iss::csr_write(std::uint32_t csr, std::uint32_t v) {
  if ((csr >> 10) == 3) return false;  // read-only CSR address space
  switch (csr) {
    case csr_mstatus: {
      // MPP is WARL over the modes there are: 3 stays 3, anything else is user mode (0).
      const std::uint32_t mpp = (v & mstatus_mpp) == mstatus_mpp ? mstatus_mpp : 0;
      m_mstatus = (v & (mstatus_mie | mstatus_mpie | mstatus_mprv | mstatus_tw)) | mpp;
      update_pmp_check();
      m_attention = true;
      return true;
    }
    case csr_tselect:
      if (v < trigger_count) m_tselect = v;  // WARL: there is no such trigger, the selection stays
      return true;
    case csr_tdata1: {
      // WARL: type 2 always; match 0, 2, 3 (others read 0); action, timing, select, chain 0.
      std::uint32_t match = (v & mc_match) >> 7;
      if (match != 2 && match != 3) match = 0;
      m_triggers[m_tselect].tdata1 = mc_type2 | (v & (mc_hit | mc_m | mc_u | mc_execute | mc_store | mc_load)) |
                                     (match << 7);
      update_triggers();
      m_attention = true;
      return true;
    }
    case csr_tdata2: m_triggers[m_tselect].tdata2 = v; return true;
    case csr_tdata3: return true;
    case csr_mcounteren: m_mcounteren = v & 7; return true;  // CY, TM, IR
    case csr_mcountinhibit: {
      const std::uint32_t nv = v & 5;  // CY, IR (TM does not exist in mcountinhibit)
      const std::uint64_t cyc = mcycle(), ins = minstret();
      m_mcountinhibit = nv;
      set_mcycle(cyc);  // frozen at, or counting on from, the value it had
      set_minstret(ins);
      return true;
    }
    case csr_misa: return true;      // WARL: writes ignored, the ISA is fixed
    case csr_mstatush: return true;  // no fields on this core
    case csr_mie:
      m_mie = v & mip_mask;
      m_attention = true;
      return true;
    case csr_mtvec:
      // WARL: modes 2 and 3 are reserved; they fall back to direct.
      m_mtvec = (v & 3) == 1 ? v : (v & ~3u);
      return true;
    case csr_mscratch: m_mscratch = v; return true;
    case csr_mepc: m_mepc = v & ~1u; return true;
    case csr_mcause: m_mcause = v; return true;
    case csr_mtval: m_mtval = v; return true;
    case csr_mip: return true;  // MSIP/MTIP/MEIP are driven by the CLINT and the intc
    case csr_mcycle: case csr_mcycleh: {
      std::uint64_t cur = mcycle();
      cur = csr == csr_mcycle ? (cur & ~0xFFFFFFFFull) | v : (cur & 0xFFFFFFFFull) | (static_cast<std::uint64_t>(v) << 32);
      set_mcycle(cur);
      return true;
    }
    case csr_minstret: case csr_minstreth: {
      std::uint64_t cur = minstret();
      cur = csr == csr_minstret ? (cur & ~0xFFFFFFFFull) | v : (cur & 0xFFFFFFFFull) | (static_cast<std::uint64_t>(v) << 32);
      set_minstret(cur);
      return true;
    }
    default:
      if (csr >= csr_pmpcfg0 && csr < csr_pmpcfg0 + 16) {
        const unsigned first = (csr - csr_pmpcfg0) * 4;
        for (unsigned k = 0; k < 4 && first + k < m_isa.pmp_entries; ++k) {
          std::uint8_t c = static_cast<std::uint8_t>(v >> (8 * k)) & (pmp_r | pmp_w | pmp_x | pmp_a | pmp_l);
          if ((c & (pmp_r | pmp_w)) == pmp_w) c &= static_cast<std::uint8_t>(~pmp_w);  // R=0 W=1 is reserved
          if ((m_pmpcfg[first + k] & pmp_l) == 0) m_pmpcfg[first + k] = c;
        }
        update_pmp_check();
        return true;
      }
      if (csr >= csr_pmpaddr0 && csr < csr_pmpaddr0 + 64) {
        const unsigned i = csr - csr_pmpaddr0;
        if (i >= m_isa.pmp_entries) return true;
        const bool locked = (m_pmpcfg[i] & pmp_l) != 0;
        const bool tor_above_locked = i + 1 < m_isa.pmp_entries && (m_pmpcfg[i + 1] & pmp_l) != 0 &&
                                      ((m_pmpcfg[i + 1] & pmp_a) >> 3) == pmp_tor;
        if (!locked && !tor_above_locked) m_pmpaddr[i] = v;
        return true;
      }
      return is_hpm_csr(csr);
  }
}

bool rv32_iss::read_csr(std::uint32_t csr, std::uint32_t& value) { return csr_read(csr, value); }
bool rv32_iss::write_csr(std::uint32_t csr, std::uint32_t value) { return csr_write(csr, value); }

bool rv32_iss::exec_csr(const insn& d) {
  const auto csr = static_cast<std::uint32_t>(d.imm);
  const bool imm_form = d.op >= op::csrrwi;
  const std::uint32_t src = imm_form ? d.rs1 : m_x[d.rs1];
  const bool is_write_op = d.op == op::csrrw || d.op == op::csrrwi;
  const bool writes = is_write_op || d.rs1 != 0;  // csrrs/c with x0 / uimm 0 do not write
  std::uint32_t old = 0;
  // The CSR's lowest privilege is in bits 9:8; user mode reads the counters mcounteren opens.
  const bool counter = (csr >= csr_cycle && csr <= 0xC1F) || (csr >= csr_cycleh && csr <= 0xC9F);
  if (((csr >> 8) & 3) > m_priv || (m_priv == 0 && counter && ((m_mcounteren >> (csr & 0x1F)) & 1) == 0)) {
    take_trap(cause::illegal_insn, d.raw);
    return false;
  }
  if (!csr_read(csr, old) || (writes && (csr >> 10) == 3)) {
    take_trap(cause::illegal_insn, d.raw);
    return false;
  }
  if (writes) {
    std::uint32_t nv = src;
    if (d.op == op::csrrs || d.op == op::csrrsi) nv = old | src;
    else if (d.op == op::csrrc || d.op == op::csrrci) nv = old & ~src;
    if (!csr_write(csr, nv)) {
      take_trap(cause::illegal_insn, d.raw);
      return false;
    }
    // An instruction that writes minstret does not count itself: cancel the increment that follows.
    if ((csr == csr_minstret || csr == csr_minstreth) && (m_mcountinhibit & 4) == 0) --m_minstret_offset;
  }
  m_x[d.rd] = old;
  return true;
}

// ---------------------------------------------------------------- debugging

void rv32_iss::update_debug_armed() {
  m_debug_armed = m_stepping || !m_breakpoints.empty() || !m_watchpoints.empty();
  m_attention = true;  // also: interrupts held back while stepping are looked at again
}

void rv32_iss::add_breakpoint(std::uint32_t pc) {
  m_breakpoints.push_back(pc);
  update_debug_armed();
}

bool rv32_iss::remove_breakpoint(std::uint32_t pc) {
  const auto it = std::find(m_breakpoints.begin(), m_breakpoints.end(), pc);
  if (it == m_breakpoints.end()) return false;
  m_breakpoints.erase(it);
  update_debug_armed();
  return true;
}

void rv32_iss::clear_breakpoints() {
  m_breakpoints.clear();
  m_watchpoints.clear();
  update_debug_armed();
}

bool rv32_iss::has_breakpoint(std::uint32_t pc) const {
  return std::find(m_breakpoints.begin(), m_breakpoints.end(), pc) != m_breakpoints.end();
}

void rv32_iss::set_single_step(bool on) {
  m_stepping = on;
  m_step_mark = m_instret + m_traps;
  update_debug_armed();
}

void rv32_iss::add_watchpoint(std::uint32_t addr, std::uint32_t len, watch_kind kind) {
  m_watchpoints.push_back({addr, len == 0 ? 1 : len, kind});
  update_debug_armed();
}

bool rv32_iss::remove_watchpoint(std::uint32_t addr, std::uint32_t len, watch_kind kind) {
  if (len == 0) len = 1;
  const auto it = std::find_if(m_watchpoints.begin(), m_watchpoints.end(), [&](const watchpoint& w) {
    return w.addr == addr && w.len == len && w.kind == kind;
  });
  if (it == m_watchpoints.end()) return false;
  m_watchpoints.erase(it);
  update_debug_armed();
  return true;
}

bool rv32_iss::check_watchpoints() {
  // Decode the next instruction without executing it: no fetch cycles, no bus access.
  const region* r = find_dmi(m_pc, 2, false);
  if (r == nullptr) return false;
  const unsigned char* p = r->ptr + (m_pc - r->base);
  std::uint16_t lo = 0, hi = 0;
  std::memcpy(&lo, p, 2);
  if ((lo & 3) == 3) {
    if (r->size - (m_pc - r->base) < 4) return false;
    std::memcpy(&hi, p + 2, 2);
  }
  insn d;
  decode(lo | (static_cast<std::uint32_t>(hi) << 16), m_pc, d);
  unsigned mask = 0, size = 4;
  std::uint32_t addr = m_x[d.rs1] + static_cast<std::uint32_t>(d.imm);
  switch (d.op) {
    case op::lb: case op::lbu: mask = 2; size = 1; break;
    case op::lh: case op::lhu: mask = 2; size = 2; break;
    case op::lw: mask = 2; break;
    case op::sb: mask = 1; size = 1; break;
    case op::sh: mask = 1; size = 2; break;
    case op::sw: mask = 1; break;
    case op::lr_w: mask = 2; addr = m_x[d.rs1]; break;
    case op::sc_w: mask = 1; addr = m_x[d.rs1]; break;
    case op::amoswap_w: case op::amoadd_w: case op::amoxor_w: case op::amoand_w: case op::amoor_w:
    case op::amomin_w: case op::amomax_w: case op::amominu_w: case op::amomaxu_w:
      mask = 3; addr = m_x[d.rs1]; break;
    default: return false;
  }
  for (const watchpoint& w : m_watchpoints) {
    if ((static_cast<unsigned>(w.kind) & mask) == 0) continue;
    // Overlap of [addr, addr + size) and [w.addr, w.addr + w.len), without wrapping.
    const std::uint64_t a0 = addr, a1 = a0 + size, w0 = w.addr, w1 = w0 + w.len;
    if (a0 < w1 && w0 < a1) {
      m_watch_hit_addr = static_cast<std::uint32_t>(std::max(a0, w0));
      m_watch_hit_kind = w.kind;
      return true;
    }
  }
  return false;
}

// ---------------------------------------------------------------- tracing

void rv32_iss::trace(std::uint32_t pc, std::uint32_t raw, const std::uint32_t* trap_cause) {
  m_trace_pending = false;
  std::ostream& os = *m_trace;
  const bool compressed = (raw & 3) != 3;
  char buf[48];
  if (compressed)
    std::snprintf(buf, sizeof(buf), "%08x: %04x     ", pc, raw & 0xFFFF);
  else
    std::snprintf(buf, sizeof(buf), "%08x: %08x ", pc, raw);
  os << buf << disassemble(raw, pc);
  if (trap_cause != nullptr) os << "   # trapped: mcause " << std::dec << *trap_cause << ", not retired";
  os << '\n';
}

// ---------------------------------------------------------------- one instruction (the slow path)

bool rv32_iss::step() {
  const std::uint32_t pc = m_pc;
  if (EDGEVP_UNLIKELY(m_triggers_armed) && trigger_hit(pc, 2, mc_execute)) {
    take_trap(cause::breakpoint, pc);
    return false;
  }
  std::uint32_t raw;
  if (EDGEVP_UNLIKELY(!fetch(pc, raw))) return false;
  insn& d = m_cache[(pc >> 1) & (cache_entries - 1)];
  if (EDGEVP_UNLIKELY(d.pc != pc || d.raw != raw)) decode(raw, pc, d);
  if (EDGEVP_UNLIKELY(m_trace != nullptr)) {  // written once the instruction retired or trapped
    m_trace_pending = true;
    m_trace_raw = raw;
  }

  std::uint32_t* const x = m_x;
  const std::uint32_t a = x[d.rs1];
  const std::uint32_t b = x[d.rs2];
  const auto imm = static_cast<std::uint32_t>(d.imm);
  std::uint32_t next = pc + d.len;
  m_cycles += d.cost;
  const auto branch = [&](bool taken) {
    if (taken) {
      next = sem::pc_relative(pc, imm);
      m_cycles += m_timing.branch_taken_extra;
    }
  };

  switch (d.op) {
    case op::lui: x[d.rd] = sem::alu<op::lui>(a, imm); break;
    case op::auipc: x[d.rd] = sem::alu<op::auipc>(pc, imm); break;
    case op::jal: x[d.rd] = next; next = sem::pc_relative(pc, imm); break;
    case op::jalr: x[d.rd] = next; next = sem::jalr_target(a, imm); break;
    case op::beq: branch(sem::taken<op::beq>(a, b)); break;
    case op::bne: branch(sem::taken<op::bne>(a, b)); break;
    case op::blt: branch(sem::taken<op::blt>(a, b)); break;
    case op::bge: branch(sem::taken<op::bge>(a, b)); break;
    case op::bltu: branch(sem::taken<op::bltu>(a, b)); break;
    case op::bgeu: branch(sem::taken<op::bgeu>(a, b)); break;
    case op::lb: if (!load_insn<op::lb>(sem::address(a, imm), x[d.rd])) return false; break;
    case op::lh: if (!load_insn<op::lh>(sem::address(a, imm), x[d.rd])) return false; break;
    case op::lw: if (!load_insn<op::lw>(sem::address(a, imm), x[d.rd])) return false; break;
    case op::lbu: if (!load_insn<op::lbu>(sem::address(a, imm), x[d.rd])) return false; break;
    case op::lhu: if (!load_insn<op::lhu>(sem::address(a, imm), x[d.rd])) return false; break;
    case op::sb: if (!store(sem::address(a, imm), sem::stored<op::sb>(b))) return false; break;
    case op::sh: if (!store(sem::address(a, imm), sem::stored<op::sh>(b))) return false; break;
    case op::sw: if (!store(sem::address(a, imm), sem::stored<op::sw>(b))) return false; break;
    case op::addi: x[d.rd] = sem::alu<op::addi>(a, imm); break;
    case op::slti: x[d.rd] = sem::alu<op::slti>(a, imm); break;
    case op::sltiu: x[d.rd] = sem::alu<op::sltiu>(a, imm); break;
    case op::xori: x[d.rd] = sem::alu<op::xori>(a, imm); break;
    case op::ori: x[d.rd] = sem::alu<op::ori>(a, imm); break;
    case op::andi: x[d.rd] = sem::alu<op::andi>(a, imm); break;
    case op::slli: x[d.rd] = sem::alu<op::slli>(a, imm); break;
    case op::srli: x[d.rd] = sem::alu<op::srli>(a, imm); break;
    case op::srai: x[d.rd] = sem::alu<op::srai>(a, imm); break;
    case op::add: x[d.rd] = sem::alu<op::add>(a, b); break;
    case op::sub: x[d.rd] = sem::alu<op::sub>(a, b); break;
    case op::sll: x[d.rd] = sem::alu<op::sll>(a, b); break;
    case op::slt: x[d.rd] = sem::alu<op::slt>(a, b); break;
    case op::sltu: x[d.rd] = sem::alu<op::sltu>(a, b); break;
    case op::xor_: x[d.rd] = sem::alu<op::xor_>(a, b); break;
    case op::srl: x[d.rd] = sem::alu<op::srl>(a, b); break;
    case op::sra: x[d.rd] = sem::alu<op::sra>(a, b); break;
    case op::or_: x[d.rd] = sem::alu<op::or_>(a, b); break;
    case op::and_: x[d.rd] = sem::alu<op::and_>(a, b); break;
    case op::mul: x[d.rd] = sem::alu<op::mul>(a, b); break;
    case op::mulh: x[d.rd] = sem::alu<op::mulh>(a, b); break;
    case op::mulhsu: x[d.rd] = sem::alu<op::mulhsu>(a, b); break;
    case op::mulhu: x[d.rd] = sem::alu<op::mulhu>(a, b); break;
    case op::div: x[d.rd] = sem::alu<op::div>(a, b); break;
    case op::divu: x[d.rd] = sem::alu<op::divu>(a, b); break;
    case op::rem: x[d.rd] = sem::alu<op::rem>(a, b); break;
    case op::remu: x[d.rd] = sem::alu<op::remu>(a, b); break;
    case op::fence: break;
    case op::fence_i: ++m_code_gen; break;  // the decode cache is tagged by raw bits; blocks are re-checked
    case op::ecall: take_trap(m_priv == 3 ? cause::ecall_m : cause::ecall_u, 0); return false;
    case op::ebreak: take_trap(cause::breakpoint, pc); return false;
    case op::mret: {
      if (m_priv != 3) {
        take_trap(cause::illegal_insn, raw);
        return false;
      }
      const bool mpie = (m_mstatus & mstatus_mpie) != 0;
      const auto to = static_cast<std::uint8_t>((m_mstatus & mstatus_mpp) >> 11);
      // MPP becomes the least privileged mode; leaving machine mode clears MPRV.
      m_mstatus = (m_mstatus & ~(mstatus_mie | mstatus_mpp | (to != 3 ? mstatus_mprv : 0))) |
                  (mpie ? mstatus_mie : 0) | mstatus_mpie;
      m_priv = to;
      update_pmp_check();
      next = m_mepc;
      m_attention = true;
      break;
    }
    case op::wfi:
      if (m_priv == 0 && (m_mstatus & mstatus_tw) != 0) {
        take_trap(cause::illegal_insn, raw);
        return false;
      }
      if ((m_mip & m_mie) == 0) {
        if (EDGEVP_UNLIKELY(m_trace_pending)) trace(pc, raw, nullptr);
        m_pc = next;
        x[0] = 0;
        ++m_instret;
        ++m_class_count[static_cast<std::size_t>(d.cls)];
        m_trap_streak = 0;
        return true;
      }
      break;
    case op::csrrw: case op::csrrs: case op::csrrc: case op::csrrwi: case op::csrrsi: case op::csrrci:
      if (!exec_csr(d)) return false;
      break;
    case op::lr_w: case op::sc_w: case op::amoswap_w: case op::amoadd_w: case op::amoxor_w: case op::amoand_w:
    case op::amoor_w: case op::amomin_w: case op::amomax_w: case op::amominu_w: case op::amomaxu_w:
      if (!amo(d)) return false;
      break;
    default:  // op::illegal
      take_trap(cause::illegal_insn, d.len == 2 ? (raw & 0xFFFF) : raw);
      return false;
  }
  if (EDGEVP_UNLIKELY(m_trace_pending)) trace(pc, raw, nullptr);
  x[0] = 0;
  m_pc = next;
  ++m_instret;
  ++m_class_count[static_cast<std::size_t>(d.cls)];
  m_trap_streak = 0;
  return false;
}

// ---------------------------------------------------------------- the loop

stop_reason rv32_iss::run(std::uint64_t cycle_limit) {
  ++m_code_gen;  // memory may have been written since the last run (DMA, a debugger): re-check blocks
  while (m_cycles < cycle_limit) {
    if (EDGEVP_UNLIKELY(m_attention)) {
      m_attention = m_debug_armed;  // debugging: look again before the next instruction
      if (m_fault != stop_reason::budget) {
        const stop_reason f = m_fault;
        m_fault = stop_reason::budget;
        return f;
      }
      if (m_stop) return stop_reason::halt;
      if (m_yield) {
        m_yield = false;
        return stop_reason::budget;
      }
      if (m_debug_armed) {
        if (m_stepping && m_instret + m_traps != m_step_mark) return stop_reason::step;
        if (!m_stepping && check_interrupts()) {
          m_attention = true;
          continue;
        }
        if (!m_breakpoints.empty() && has_breakpoint(m_pc)) return stop_reason::breakpoint;
        if (!m_watchpoints.empty() && check_watchpoints()) return stop_reason::watchpoint;
      } else if (check_interrupts()) {
        if (m_fault != stop_reason::budget) { m_attention = true; continue; }
        continue;
      }
    }
    // Blocks while nothing looks at single instructions (a debugger, the trace). Nothing inside a
    // block can raise m_attention (no bus access, no CSR, no trap: those stop the block before
    // the instruction and step() runs it), so looking at it between blocks is the same as looking
    // before every instruction.
    if (EDGEVP_LIKELY(!m_debug_armed && m_trace == nullptr && !m_triggers_armed)) {
      const block_exit e = run_blocks(cycle_limit);
      if (EDGEVP_LIKELY(e != block_exit::step)) continue;  // boundary, or the budget is spent
      // Stopped before an instruction step() runs: it has not executed, it starts within the
      // budget, and attention is as it was at the block's start.
    }
    if (EDGEVP_UNLIKELY(step())) return stop_reason::wfi;
  }
  // The budget ran out, possibly on an instruction that stopped the core: report that instead.
  if (m_fault != stop_reason::budget) {
    const stop_reason f = m_fault;
    m_fault = stop_reason::budget;
    return f;
  }
  if (m_stop) return stop_reason::halt;
  return stop_reason::budget;
}

}  // namespace edgevp::cpu

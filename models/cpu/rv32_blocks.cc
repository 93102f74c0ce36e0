// edgevp: the ISS's fast path: a cache of pre-decoded basic blocks and their threaded executor.
//
// A block is looked up by its pc, checked (its bytes against memory, only when the code generation
// moved on), then runs instruction after instruction through one indirect jump per instruction
// (computed goto, a GNU extension GCC and Clang share). What the slow path does per instruction is
// done once per block here: the fetch (its energy and latency), the instruction, class and cycle
// counts. Everything that could be observed from outside the ISS (a bus access, a trap, a CSR, the
// tohost watch, a store into cached code) is not done inside a block: the block stops before that
// instruction, accounts for the ones before it exactly, and step() runs it. So counters, cycles and
// interrupt points are the same as when every instruction goes through step(). Under a PMP that
// restricts the running privilege, blocks run where it lets that privilege execute the whole
// block, and stop before a load or store it refuses: step() takes the access fault.
#include <algorithm>
#include <cstring>

#include "models/cpu/rv32_iss.h"
#include "models/cpu/rv32_ops.h"
#include "models/cpu/rv32_semantics.h"

#define EDGEVP_LIKELY(x) __builtin_expect(!!(x), 1)
#define EDGEVP_UNLIKELY(x) __builtin_expect(!!(x), 0)

namespace edgevp::cpu {

namespace {

constexpr std::uint8_t pmp_r = 1, pmp_w = 2, pmp_x = 4;  // PMP permissions (as rv32_iss.cc)

// The block executor's extra operation: fall through to the next block at the instruction's pc.
constexpr std::uint16_t op_end = op::count;

bool in_blocks(std::uint16_t o) {
  return (o >= op::lui && o <= op::and_) || (o >= op::mul && o <= op::remu) || o == op::fence;
}
bool ends_block(std::uint16_t o) {
  return o >= op::jal && o <= op::bgeu;
}
bool is_branch(std::uint16_t o) {
  return o >= op::beq && o <= op::bgeu;
}
bool is_memory(std::uint16_t o) {
  return o >= op::lb && o <= op::sw;
}

}  // namespace

void rv32_iss::flush_blocks() {
  for (auto& b : m_blocks) b.pc = 1;
  m_pool_used = 0;
  for (auto& r : m_dmi) std::fill(r.code.begin(), r.code.end(), 0);
}

const rv32_iss::block* rv32_iss::lookup_block(std::uint32_t pc) {
  block& b = m_blocks[(pc >> 1) & (block_entries - 1)];
  if (EDGEVP_LIKELY(b.pc == pc)) {
    if (EDGEVP_LIKELY(b.gen == m_code_gen)) return b.n != 0 ? &b : nullptr;
    // Memory may have changed since the block was checked: compare it with the bytes decoded.
    if (b.n != 0 && std::memcmp(b.host, &m_code[std::size_t{b.first} * 4], b.bytes) == 0) {
      b.gen = m_code_gen;
      return &b;
    }
  }
  build_block(b, pc);
  return b.n != 0 ? &b : nullptr;
}

void rv32_iss::build_block(block& b, std::uint32_t pc) {
  if (m_pool_used + max_block + 1 > m_pool.size()) flush_blocks();
  b = block{};
  b.pc = pc;
  b.gen = m_code_gen;
  region* r = find_dmi(pc, 2, false);
  if (r == nullptr) return;  // n = 0: step() fetches it over the bus
  b.first = static_cast<std::uint32_t>(m_pool_used);
  b.host = r->ptr + (pc - r->base);
  b.fetch_counters = r->counters;
  std::uint64_t cycles = 0;
  std::uint64_t memory_ops = 0;
  std::uint32_t cur = pc;
  unsigned n = 0;
  bool ended = false;
  while (n < max_block) {
    const std::uint32_t off = cur - r->base;
    if (off >= r->size || r->size - off < 2) break;
    std::uint16_t lo = 0;
    std::memcpy(&lo, r->ptr + off, 2);
    std::uint32_t raw = lo;
    if ((lo & 3) == 3) {
      if (r->size - off < 4) break;  // straddles the region's end: step() fetches it
      std::uint16_t hi = 0;
      std::memcpy(&hi, r->ptr + off + 2, 2);
      raw |= static_cast<std::uint32_t>(hi) << 16;
    }
    insn d;
    decode(raw, cur, d);
    if (!in_blocks(d.op)) break;
    block_insn& e = m_pool[m_pool_used + n];
    e.op = d.op;
    e.rd = d.rd == 0 ? 32 : d.rd;
    e.rs1 = d.rs1;
    e.rs2 = d.rs2;
    e.len = d.len;
    e.cls = d.cls;
    e.pc = cur;
    e.imm = static_cast<std::uint32_t>(d.imm);
    if (d.op == op::auipc) {
      e.op = op::lui;
      e.imm = sem::alu<op::auipc>(cur, e.imm);
    } else if (d.op == op::jal || is_branch(d.op)) {
      e.imm = sem::pc_relative(cur, e.imm);  // the target
    }
    e.cycles_before = cycles;
    cycles += d.cost + static_cast<std::uint64_t>(r->read_cycles);
    if (is_memory(d.op)) ++memory_ops;
    auto& classes = b.nclasses;
    unsigned k = 0;
    while (k < classes && b.cls[k] != d.cls) ++k;
    if (k == classes) {
      b.cls[k] = d.cls;
      ++classes;
    }
    ++b.cls_count[k];
    ++n;
    cur += d.len;
    if (ends_block(d.op)) {
      ended = true;
      if (is_branch(d.op)) cycles += m_timing.branch_taken_extra;  // only in the bound below
      break;
    }
  }
  if (n == 0) return;
  if (!ended) {
    block_insn& e = m_pool[m_pool_used + n];
    e = block_insn{};
    e.op = op_end;
    e.pc = cur;
    e.cycles_before = cycles;
  }
  const block_insn& last = m_pool[m_pool_used + n - 1];
  b.n = static_cast<std::uint16_t>(n);
  b.bytes = cur - pc;
  b.cycles = is_branch(last.op) ? cycles - m_timing.branch_taken_extra : cycles;
  b.bound = cycles + memory_ops * m_max_data_cycles;
  std::memcpy(&m_code[std::size_t{b.first} * 4], b.host, b.bytes);  // n + 1 slots of 4 bytes: room
  m_pool_used += n + 1;
  // A store into these lines stops any block and makes the others be checked again.
  const std::uint32_t off0 = pc - r->base;
  const std::uint32_t off1 = cur - 1 - r->base;
  for (std::uint32_t line = off0 >> r->code_shift; line <= off1 >> r->code_shift; ++line) r->code[line] = 1;
}

void rv32_iss::account_partial(const block& b, const block_insn* stop) {
  const block_insn* const first = &m_pool[b.first];
  const auto done = static_cast<std::uint64_t>(stop - first);
  m_pc = stop->pc;
  if (done == 0) return;
  m_cycles += stop->cycles_before;
  m_instret += done;
  for (const block_insn* e = first; e != stop; ++e) ++m_class_count[static_cast<std::size_t>(e->cls)];
  b.fetch_counters->reads += done;
  b.fetch_counters->read_bytes += stop->pc - b.pc;
  m_trap_streak = 0;
}

// Computed goto: taking a label's address is a GNU extension that -Wpedantic reports.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"

rv32_iss::block_exit rv32_iss::run_blocks(std::uint64_t cycle_limit) {
  const block* b = lookup_block(m_pc);
  if (b == nullptr) return block_exit::step;
  const bool unchecked = cycle_limit - m_cycles > b->bound;
  if (EDGEVP_UNLIKELY(m_pmp_check)) {
    if (!pmp_allows(b->pc, b->bytes, pmp_x, m_priv)) return block_exit::step;  // step() fetches, and faults
    return unchecked ? exec_blocks<false, true>(b, cycle_limit) : exec_blocks<true, true>(b, cycle_limit);
  }
  return unchecked ? exec_blocks<false, false>(b, cycle_limit) : exec_blocks<true, false>(b, cycle_limit);
}

template <bool checked, bool pmp>
rv32_iss::block_exit rv32_iss::exec_blocks(const block* b, std::uint64_t cycle_limit) {
  // One entry per operation, in rv32_ops.h's order; operations never put in a block stop it.
  // clang-format off
  static const void* const handlers[] = {
      &&stop,  // illegal
      &&lui_, &&stop /*auipc: lui with pc + imm*/, &&jal_, &&jalr_,
      &&beq_, &&bne_, &&blt_, &&bge_, &&bltu_, &&bgeu_,
      &&lb_, &&lh_, &&lw_, &&lbu_, &&lhu_, &&sb_, &&sh_, &&sw_,
      &&addi_, &&slti_, &&sltiu_, &&xori_, &&ori_, &&andi_, &&slli_, &&srli_, &&srai_,
      &&add_, &&sub_, &&sll_, &&slt_, &&sltu_, &&xor_, &&srl_, &&sra_, &&or_, &&and_,
      &&fence_, &&stop /*fence.i*/, &&stop, &&stop, &&stop, &&stop,  // ecall ebreak mret wfi
      &&stop, &&stop, &&stop, &&stop, &&stop, &&stop,                 // csr*
      &&mul_, &&mulh_, &&mulhsu_, &&mulhu_, &&div_, &&divu_, &&rem_, &&remu_,
      &&stop, &&stop, &&stop, &&stop, &&stop, &&stop, &&stop, &&stop, &&stop, &&stop, &&stop,  // amo
      &&end_,
  };
  // clang-format on
  static_assert(op::and_ == 37 && op::fence == 38 && op::mul == 50 && op::amomaxu_w == 68 && op::count == 69,
                "handlers[] follows rv32_ops.h");
  static_assert(sizeof(handlers) / sizeof(handlers[0]) == op_end + 1, "one handler per operation");

  using u32 = std::uint32_t;
  std::uint32_t* const x = m_x;
  // The privilege of loads and stores: nothing in a block (nor between chained blocks) changes it.
  const unsigned data_privilege = pmp ? data_priv() : 3;
  const block_insn* d = &m_pool[b->first];
  std::uint32_t next = 0;

  // Checked: the budget may end inside the block; stop before the first instruction that would
  // start at or after cycle_limit (its start: m_cycles, which has the data latencies so far, plus
  // the static cycles of the instructions before it).
#define EDGEVP_DISPATCH()                                                                  \
  do {                                                                                     \
    if (checked && EDGEVP_UNLIKELY(m_cycles + d->cycles_before >= cycle_limit)) goto out; \
    goto* handlers[d->op];                                                                 \
  } while (0)
#define EDGEVP_NEXT()  \
  do {                 \
    ++d;               \
    EDGEVP_DISPATCH(); \
  } while (0)
// What an instruction computes comes from rv32_semantics.h, as in step(); around it is what only
// blocks do: memory through the cached DMI regions, cycles and counts charged at the block's end.
#define EDGEVP_REG(name, O)                     \
  name:                                         \
  x[d->rd] = sem::alu<O>(x[d->rs1], x[d->rs2]); \
  EDGEVP_NEXT();
#define EDGEVP_IMM(name, O)                  \
  name:                                      \
  x[d->rd] = sem::alu<O>(x[d->rs1], d->imm); \
  EDGEVP_NEXT();
#define EDGEVP_BRANCH(name, O)                      \
  name : {                                          \
    if (sem::taken<O>(x[d->rs1], x[d->rs2])) {      \
      next = d->imm; /* the target (build_block) */ \
      m_cycles += m_timing.branch_taken_extra;      \
    } else {                                        \
      next = d->pc + d->len;                        \
    }                                               \
  }                                                 \
  goto done;
#define EDGEVP_LOAD(name, O)                                       \
  name : {                                                         \
    using T = sem::mem_t<O>;                                       \
    const u32 addr = sem::address(x[d->rs1], d->imm);              \
    if (EDGEVP_UNLIKELY((addr & (sizeof(T) - 1)) != 0)) goto stop; \
    if (pmp && !pmp_allows(addr, sizeof(T), pmp_r, data_privilege)) \
      goto stop;                                                   \
    const region* r = m_load_dmi;                                  \
    if (EDGEVP_UNLIKELY(addr - r->base >= r->span)) {              \
      r = data_region(addr, sizeof(T), false);                     \
      if (r == nullptr) goto stop;                                 \
    }                                                              \
    T v;                                                           \
    std::memcpy(&v, r->ptr + (addr - r->base), sizeof(T));         \
    m_cycles += r->read_cycles;                                    \
    r->counters->read(sizeof(T));                                  \
    x[d->rd] = sem::loaded<O>(v);                                  \
  }                                                                \
  EDGEVP_NEXT();
#define EDGEVP_STORE(name, O)                                                    \
  name : {                                                                       \
    using T = sem::mem_t<O>;                                                     \
    const u32 addr = sem::address(x[d->rs1], d->imm);                            \
    if (EDGEVP_UNLIKELY((addr & (sizeof(T) - 1)) != 0)) goto stop;               \
    if (pmp && !pmp_allows(addr, sizeof(T), pmp_w, data_privilege)) goto stop;   \
    region* r = m_store_dmi;                                                     \
    if (EDGEVP_UNLIKELY(addr - r->base >= r->span)) {                            \
      r = data_region(addr, sizeof(T), true);                                    \
      if (r == nullptr) goto stop;                                               \
    }                                                                            \
    const u32 off = addr - r->base;                                              \
    /* into cached code, or the tohost watch: step() does it */                  \
    if (EDGEVP_UNLIKELY(r->code[off >> r->code_shift] != 0)) goto stop;          \
    if (EDGEVP_UNLIKELY(addr - m_watch_lo < m_watch_hi - m_watch_lo)) goto stop; \
    const T v = sem::stored<O>(x[d->rs2]);                                       \
    std::memcpy(r->ptr + off, &v, sizeof(T));                                    \
    m_cycles += r->write_cycles;                                                 \
    r->counters->write(sizeof(T));                                               \
  }                                                                              \
  EDGEVP_NEXT();

  EDGEVP_DISPATCH();

  // Register forms before immediate forms: GCC merges the identical tails of a pair (add and
  // addi, sll and slli) and only one of the two falls through into it; in this order that is the
  // immediate form, the more frequent in compiled code (callgrind on bench/iss_vs_qemu.sh's
  // firmware: addi 16 M, add 13 M; one jump less per addi).
  EDGEVP_REG(add_, op::add)
  EDGEVP_REG(sub_, op::sub)
  EDGEVP_REG(sll_, op::sll)
  EDGEVP_REG(slt_, op::slt)
  EDGEVP_REG(sltu_, op::sltu)
  EDGEVP_REG(xor_, op::xor_)
  EDGEVP_REG(srl_, op::srl)
  EDGEVP_REG(sra_, op::sra)
  EDGEVP_REG(or_, op::or_)
  EDGEVP_REG(and_, op::and_)
  EDGEVP_REG(mul_, op::mul)
  EDGEVP_REG(mulh_, op::mulh)
  EDGEVP_REG(mulhsu_, op::mulhsu)
  EDGEVP_REG(mulhu_, op::mulhu)
  EDGEVP_REG(div_, op::div)
  EDGEVP_REG(divu_, op::divu)
  EDGEVP_REG(rem_, op::rem)
  EDGEVP_REG(remu_, op::remu)
  EDGEVP_IMM(lui_, op::lui)  // auipc too: lui of pc + imm
  EDGEVP_IMM(addi_, op::addi)
  EDGEVP_IMM(slti_, op::slti)
  EDGEVP_IMM(sltiu_, op::sltiu)
  EDGEVP_IMM(xori_, op::xori)
  EDGEVP_IMM(ori_, op::ori)
  EDGEVP_IMM(andi_, op::andi)
  EDGEVP_IMM(slli_, op::slli)
  EDGEVP_IMM(srli_, op::srli)
  EDGEVP_IMM(srai_, op::srai)

  EDGEVP_LOAD(lb_, op::lb)
  EDGEVP_LOAD(lh_, op::lh)
  EDGEVP_LOAD(lw_, op::lw)
  EDGEVP_LOAD(lbu_, op::lbu)
  EDGEVP_LOAD(lhu_, op::lhu)
  EDGEVP_STORE(sb_, op::sb)
  EDGEVP_STORE(sh_, op::sh)
  EDGEVP_STORE(sw_, op::sw)

  EDGEVP_BRANCH(beq_, op::beq)
  EDGEVP_BRANCH(bne_, op::bne)
  EDGEVP_BRANCH(blt_, op::blt)
  EDGEVP_BRANCH(bge_, op::bge)
  EDGEVP_BRANCH(bltu_, op::bltu)
  EDGEVP_BRANCH(bgeu_, op::bgeu)

fence_:  // one hart, in-order memory: nothing to order
  EDGEVP_NEXT();
jal_:
  x[d->rd] = d->pc + d->len;
  next = d->imm;
  goto done;
jalr_ : {
  const u32 target = sem::jalr_target(x[d->rs1], d->imm);  // before the link: rd may be rs1
  x[d->rd] = d->pc + d->len;
  next = target;
  goto done;
}
end_:
  next = d->pc;
  goto done;

done:
  m_cycles += b->cycles;
  m_instret += b->n;
  for (unsigned k = 0; k < b->nclasses; ++k)
    m_class_count[static_cast<std::size_t>(b->cls[k])] += b->cls_count[k];
  b->fetch_counters->reads += b->n;
  b->fetch_counters->read_bytes += b->bytes;
  m_trap_streak = 0;
  m_pc = next;
  {
    // Chain into the next block when it is cached and checked, and (unchecked) surely ends
    // within the budget; otherwise run() looks it up. Nothing in a block raised attention.
    const block& nb = m_blocks[(next >> 1) & (block_entries - 1)];
    if (nb.pc == next && nb.gen == m_code_gen && nb.n != 0 && (checked || cycle_limit - m_cycles > nb.bound) &&
        (!pmp || pmp_allows(nb.pc, nb.bytes, pmp_x, m_priv))) {
      b = &nb;
      d = &m_pool[nb.first];
      EDGEVP_DISPATCH();
    }
  }
  return block_exit::boundary;

stop:
  account_partial(*b, d);
  return block_exit::step;

out:
  account_partial(*b, d);
  return block_exit::budget;

#undef EDGEVP_DISPATCH
#undef EDGEVP_NEXT
#undef EDGEVP_REG
#undef EDGEVP_IMM
#undef EDGEVP_BRANCH
#undef EDGEVP_LOAD
#undef EDGEVP_STORE
}

#pragma GCC diagnostic pop

template rv32_iss::block_exit rv32_iss::exec_blocks<false, false>(const block*, std::uint64_t);
template rv32_iss::block_exit rv32_iss::exec_blocks<true, false>(const block*, std::uint64_t);
template rv32_iss::block_exit rv32_iss::exec_blocks<false, true>(const block*, std::uint64_t);
template rv32_iss::block_exit rv32_iss::exec_blocks<true, true>(const block*, std::uint64_t);

}  // namespace edgevp::cpu

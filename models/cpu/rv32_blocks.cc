// edgevp: the ISS's fast path: a cache of pre-decoded basic blocks and their threaded executor.
//
// A block is looked up by its pc, checked (its bytes against memory, only when the code generation
// moved on), then runs instruction after instruction through one indirect jump per instruction
// (computed goto, a GNU extension GCC and Clang share). What the slow path does per instruction is
// done once per block here: the fetch (its energy and latency), the instruction, class and cycle
// counts. Everything that could be observed from outside the ISS (a bus access, a trap, a CSR, the
// tohost watch, a store into cached code) is not done inside a block: the block stops before that
// instruction, accounts for the ones before it exactly, and step() runs it. So counters, cycles and
// interrupt points are the same as when every instruction goes through step().
#include <algorithm>
#include <cstring>

#include "models/cpu/rv32_iss.h"
#include "models/cpu/rv32_ops.h"

#define EDGEVP_LIKELY(x) __builtin_expect(!!(x), 1)
#define EDGEVP_UNLIKELY(x) __builtin_expect(!!(x), 0)

namespace edgevp::cpu {

namespace {

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
      e.imm = cur + e.imm;
    } else if (d.op == op::jal || is_branch(d.op)) {
      e.imm = cur + e.imm;  // the target
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
  return cycle_limit - m_cycles > b->bound ? exec_blocks<false>(b, cycle_limit) : exec_blocks<true>(b, cycle_limit);
}

template <bool checked>
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
  using s32 = std::int32_t;
  std::uint32_t* const x = m_x;
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
#define EDGEVP_ALU(name, expr) \
  name : {                     \
    const u32 a = x[d->rs1];   \
    const u32 bv = x[d->rs2];  \
    const u32 imm = d->imm;    \
    (void)a;                   \
    (void)bv;                  \
    (void)imm;                 \
    x[d->rd] = (expr);         \
  }                            \
  EDGEVP_NEXT();
#define EDGEVP_BRANCH(name, cond)              \
  name : {                                     \
    const u32 a = x[d->rs1];                   \
    const u32 bv = x[d->rs2];                  \
    if (cond) {                                \
      next = d->imm;                           \
      m_cycles += m_timing.branch_taken_extra; \
    } else {                                   \
      next = d->pc + d->len;                   \
    }                                          \
  }                                            \
  goto done;
#define EDGEVP_LOAD(name, T, ext)                                  \
  name : {                                                         \
    const u32 addr = x[d->rs1] + d->imm;                           \
    if (EDGEVP_UNLIKELY((addr & (sizeof(T) - 1)) != 0)) goto stop; \
    const region* r = m_load_dmi;                                  \
    if (EDGEVP_UNLIKELY(addr - r->base >= r->span)) {              \
      r = data_region(addr, sizeof(T), false);                     \
      if (r == nullptr) goto stop;                                 \
    }                                                              \
    T v;                                                           \
    std::memcpy(&v, r->ptr + (addr - r->base), sizeof(T));         \
    m_cycles += r->read_cycles;                                    \
    r->counters->read(sizeof(T));                                  \
    x[d->rd] = ext(v);                                             \
  }                                                                \
  EDGEVP_NEXT();
#define EDGEVP_STORE(name, T)                                                    \
  name : {                                                                       \
    const u32 addr = x[d->rs1] + d->imm;                                         \
    if (EDGEVP_UNLIKELY((addr & (sizeof(T) - 1)) != 0)) goto stop;               \
    region* r = m_store_dmi;                                                     \
    if (EDGEVP_UNLIKELY(addr - r->base >= r->span)) {                            \
      r = data_region(addr, sizeof(T), true);                                    \
      if (r == nullptr) goto stop;                                               \
    }                                                                            \
    const u32 off = addr - r->base;                                              \
    /* into cached code, or the tohost watch: step() does it */                  \
    if (EDGEVP_UNLIKELY(r->code[off >> r->code_shift] != 0)) goto stop;          \
    if (EDGEVP_UNLIKELY(addr - m_watch_lo < m_watch_hi - m_watch_lo)) goto stop; \
    const auto v = static_cast<T>(x[d->rs2]);                                    \
    std::memcpy(r->ptr + off, &v, sizeof(T));                                    \
    m_cycles += r->write_cycles;                                                 \
    r->counters->write(sizeof(T));                                               \
  }                                                                              \
  EDGEVP_NEXT();

  EDGEVP_DISPATCH();

  EDGEVP_ALU(lui_, imm)
  EDGEVP_ALU(addi_, a + imm)
  EDGEVP_ALU(slti_, static_cast<s32>(a) < static_cast<s32>(imm) ? 1u : 0u)
  EDGEVP_ALU(sltiu_, a < imm ? 1u : 0u)
  EDGEVP_ALU(xori_, a ^ imm)
  EDGEVP_ALU(ori_, a | imm)
  EDGEVP_ALU(andi_, a & imm)
  EDGEVP_ALU(slli_, a << (imm & 31))
  EDGEVP_ALU(srli_, a >> (imm & 31))
  EDGEVP_ALU(srai_, static_cast<u32>(static_cast<s32>(a) >> (imm & 31)))
  EDGEVP_ALU(add_, a + bv)
  EDGEVP_ALU(sub_, a - bv)
  EDGEVP_ALU(sll_, a << (bv & 31))
  EDGEVP_ALU(slt_, static_cast<s32>(a) < static_cast<s32>(bv) ? 1u : 0u)
  EDGEVP_ALU(sltu_, a < bv ? 1u : 0u)
  EDGEVP_ALU(xor_, a ^ bv)
  EDGEVP_ALU(srl_, a >> (bv & 31))
  EDGEVP_ALU(sra_, static_cast<u32>(static_cast<s32>(a) >> (bv & 31)))
  EDGEVP_ALU(or_, a | bv)
  EDGEVP_ALU(and_, a & bv)
  EDGEVP_ALU(mul_, a * bv)
  EDGEVP_ALU(mulh_, static_cast<u32>((static_cast<std::int64_t>(static_cast<s32>(a)) *
                                      static_cast<std::int64_t>(static_cast<s32>(bv))) >>
                                     32))
  EDGEVP_ALU(mulhsu_, static_cast<u32>(static_cast<std::uint64_t>(
                                           static_cast<std::int64_t>(static_cast<s32>(a)) *
                                           static_cast<std::int64_t>(static_cast<std::uint64_t>(bv))) >>
                                       32))
  EDGEVP_ALU(mulhu_, static_cast<u32>((static_cast<std::uint64_t>(a) * static_cast<std::uint64_t>(bv)) >> 32))
  EDGEVP_ALU(div_, bv == 0 ? 0xFFFFFFFFu
                   : (a == 0x80000000u && bv == 0xFFFFFFFFu)
                       ? a
                       : static_cast<u32>(static_cast<s32>(a) / static_cast<s32>(bv)))
  EDGEVP_ALU(divu_, bv == 0 ? 0xFFFFFFFFu : a / bv)
  EDGEVP_ALU(rem_, bv == 0 ? a
                   : (a == 0x80000000u && bv == 0xFFFFFFFFu)
                       ? 0u
                       : static_cast<u32>(static_cast<s32>(a) % static_cast<s32>(bv)))
  EDGEVP_ALU(remu_, bv == 0 ? a : a % bv)

  EDGEVP_LOAD(lb_, std::uint8_t,
              [](std::uint8_t b8) { return static_cast<u32>(static_cast<std::int8_t>(b8)); })
  EDGEVP_LOAD(lh_, std::uint16_t,
              [](std::uint16_t h16) { return static_cast<u32>(static_cast<std::int16_t>(h16)); })
  EDGEVP_LOAD(lw_, std::uint32_t, static_cast<u32>)
  EDGEVP_LOAD(lbu_, std::uint8_t, static_cast<u32>)
  EDGEVP_LOAD(lhu_, std::uint16_t, static_cast<u32>)
  EDGEVP_STORE(sb_, std::uint8_t)
  EDGEVP_STORE(sh_, std::uint16_t)
  EDGEVP_STORE(sw_, std::uint32_t)

  EDGEVP_BRANCH(beq_, a == bv)
  EDGEVP_BRANCH(bne_, a != bv)
  EDGEVP_BRANCH(blt_, static_cast<s32>(a) < static_cast<s32>(bv))
  EDGEVP_BRANCH(bge_, static_cast<s32>(a) >= static_cast<s32>(bv))
  EDGEVP_BRANCH(bltu_, a < bv)
  EDGEVP_BRANCH(bgeu_, a >= bv)

fence_:  // one hart, in-order memory: nothing to order
  EDGEVP_NEXT();
jal_:
  x[d->rd] = d->pc + d->len;
  next = d->imm;
  goto done;
jalr_ : {
  const u32 target = (x[d->rs1] + d->imm) & ~1u;  // before the link: rd may be rs1
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
    if (nb.pc == next && nb.gen == m_code_gen && nb.n != 0 && (checked || cycle_limit - m_cycles > nb.bound)) {
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
#undef EDGEVP_ALU
#undef EDGEVP_BRANCH
#undef EDGEVP_LOAD
#undef EDGEVP_STORE
}

#pragma GCC diagnostic pop

template rv32_iss::block_exit rv32_iss::exec_blocks<false>(const block*, std::uint64_t);
template rv32_iss::block_exit rv32_iss::exec_blocks<true>(const block*, std::uint64_t);

}  // namespace edgevp::cpu

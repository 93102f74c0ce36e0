#include "models/accelerators/tta/processor.h"

#include <algorithm>
#include <cstring>

namespace edgevp::accel::tta {

namespace {

__extension__ typedef __int128 i128;  // NOLINT(modernize-use-using): __extension__ needs the typedef form

constexpr unsigned words(unsigned bits) {
  return (bits + 31) / 32;
}

// Keeps the low `bits` of v (v's words above them are zero afterwards, up to `had` bits).
void cut(value& v, unsigned bits, unsigned had) {
  const unsigned n = words(bits);
  for (unsigned i = n; i < words(had); ++i) v[i] = 0;
  if (bits % 32 != 0) v[n - 1] &= (std::uint32_t{1} << (bits % 32)) - 1;
}

// The low `bits` of a value whose first `nw` words are src's (the rest zero) into dst, which holds
// `dst_bits`: its words past what is copied are cleared.
void place(value& dst, unsigned dst_bits, const value& src, unsigned nw) {
  const unsigned dw = words(dst_bits);
  const unsigned n = std::min(nw, dw);
  std::copy_n(src.begin(), n, dst.begin());
  std::fill(dst.begin() + n, dst.begin() + dw, 0u);
  if (dst_bits % 32 != 0 && n == dw) dst[dw - 1] &= (std::uint32_t{1} << (dst_bits % 32)) - 1;
}

std::uint32_t le32(const std::uint8_t* p) {
  std::uint32_t v = 0;
  std::memcpy(&v, p, 4);
  return v;  // little-endian host (x86-64, AArch64)
}

int tern(std::uint32_t x, unsigned j) {
  const unsigned c = (x >> (2 * j)) & 3u;
  return c == 1 ? 1 : c == 3 ? -1 : 0;
}

unsigned access_bytes(op code) {
  switch (code) {
    case op::ld8u: case op::ld8s: case op::st8: return 1;
    case op::ld16u: case op::ld16s: case op::st16: return 2;
    case op::st64: return 8;
    case op::st256: return 32;
    case op::st1024: return 128;
    default: return 4;
  }
}

}  // namespace

const char* fault_name(fault f) {
  switch (f) {
    case fault::none: return "none";
    case fault::insn: return "insn";
    case fault::unconnected: return "unconnected";
    case fault::conflict: return "conflict";
    case fault::rf_ports: return "rf_ports";
    case fault::memory: return "memory";
    case fault::pc: return "pc";
    case fault::control: return "control";
    case fault::immediate: return "immediate";
  }
  return "?";
}

slot decode(const machine& m, unsigned b, std::uint64_t w) {
  slot s;
  s.kind = static_cast<std::uint8_t>(w & 3u);
  s.guarded = ((w >> 2) & 1u) != 0;
  s.inverted = ((w >> 3) & 1u) != 0;
  s.guard = static_cast<std::uint8_t>((w >> 4) & 0xFu);
  s.dst_unit = static_cast<std::uint8_t>(w >> 8);
  s.dst_port = static_cast<std::uint8_t>(w >> 16);
  s.op = static_cast<std::uint8_t>(w >> 24);
  const auto hi = static_cast<std::uint32_t>(w >> 32);
  const bus& bs = m.buses[b];
  auto bad = [&s](fault f) {
    s.bad = f;
    return s;
  };
  if (s.kind == 0) return w == 0 ? s : bad(fault::insn);
  if ((!s.guarded && (s.inverted || s.guard != 0)) || (s.guarded && s.guard >= m.guards.size())) return bad(fault::insn);
  if (s.dst_unit >= m.units.size()) return bad(fault::insn);
  const unit& d = m.units[s.dst_unit];
  if (s.kind == 3) {  // long immediate into an immediate unit's register
    if (d.type != unit_type::immediate || s.dst_port >= d.registers || s.op != 0 || s.guarded) return bad(fault::insn);
    s.imm = hi;
    return s;
  }
  // The destination.
  if (d.has_ports()) {
    if (s.dst_port >= d.ports.size() || d.ports[s.dst_port].r == role::result) return bad(fault::insn);
    const bool trig = d.ports[s.dst_port].r == role::trigger;
    if ((trig && s.op >= d.ops.size()) || (!trig && s.op != 0)) return bad(fault::insn);
    if (!bs.can_write(s.dst_unit, s.dst_port)) return bad(fault::unconnected);
  } else {
    if (d.type != unit_type::registers || s.dst_port >= d.registers || s.op != 0) return bad(fault::insn);
    if (!bs.can_write(s.dst_unit, 0)) return bad(fault::unconnected);
  }
  // The source.
  if (s.kind == 2) {
    s.imm = hi;
    if (bs.simm_bits == 0) return bad(fault::immediate);
    const auto v = static_cast<std::int64_t>(static_cast<std::int32_t>(hi));
    const std::int64_t lim = std::int64_t{1} << (bs.simm_bits - 1);
    if (v < -lim || v >= lim) return bad(fault::immediate);
    return s;
  }
  s.src_unit = static_cast<std::uint8_t>(hi);
  s.src_port = static_cast<std::uint8_t>(hi >> 8);
  if ((hi >> 16) != 0 || s.src_unit >= m.units.size()) return bad(fault::insn);
  const unit& src = m.units[s.src_unit];
  if (src.has_ports()) {
    if (s.src_port >= src.ports.size() || src.ports[s.src_port].r != role::result) return bad(fault::insn);
    if (!bs.can_read(s.src_unit, s.src_port)) return bad(fault::unconnected);
  } else {
    if (s.src_port >= src.registers) return bad(fault::insn);
    if (!bs.can_read(s.src_unit, 0)) return bad(fault::unconnected);
  }
  return s;
}

processor::processor(machine m) : m_m(std::move(m)), m_buses(static_cast<unsigned>(m_m.buses.size())) {
  m_program.assign(std::size_t{m_m.imem_insns} * m_buses, slot{});
  m_loaded.assign(m_m.imem_insns, 0);
  m_dmem.assign(m_m.dmem_bytes, 0);
  m_pmem.assign(m_m.pmem_bytes, 0);
  const std::size_t n = m_m.units.size();
  m_ports.resize(n);
  m_regs.resize(n);
  m_pending.resize(n);
  m_acc.resize(n);
  for (std::size_t u = 0; u < n; ++u) {
    m_ports[u].assign(m_m.units[u].ports.size(), value{});
    m_regs[u].assign(m_m.units[u].registers, 0);
  }
  m_written.assign(n * 256, 0);
  m_rf_reads.assign(n, 0);
  m_rf_writes.assign(n, 0);
  m_moves.resize(m_buses);
  reset();
}

void processor::load_program(std::uint32_t first, const std::uint8_t* image, std::uint32_t n) {
  for (std::uint32_t i = 0; i < n; ++i) {
    for (unsigned b = 0; b < m_buses; ++b) {
      std::uint64_t w = 0;
      std::memcpy(&w, image + (std::size_t{i} * m_buses + b) * 8, 8);
      m_program[(std::size_t{first} + i) * m_buses + b] = decode(m_m, b, w);
    }
    m_loaded[first + i] = 1;
  }
}

void processor::reset() {
  for (auto& ports : m_ports) std::fill(ports.begin(), ports.end(), value{});
  for (auto& regs : m_regs) std::fill(regs.begin(), regs.end(), 0);
  for (auto& p : m_pending) p.clear();
  for (auto& a : m_acc) a.fill(0);
  m_jump = m_loop = m_halt = m_skip = false;
}

void processor::clear() {
  reset();
  std::fill(m_loaded.begin(), m_loaded.end(), 0);
  std::fill(m_program.begin(), m_program.end(), slot{});
  std::fill(m_dmem.begin(), m_dmem.end(), 0);
  std::fill(m_pmem.begin(), m_pmem.end(), 0);
}

void processor::result(unsigned u, unsigned latency, const value& v, unsigned nw) {
  const unit& x = m_m.units[u];
  if (x.results.empty()) return;
  m_pending[u].push_back({m_now + latency, x.results[0], nw, v});
}

void processor::retire(std::uint64_t now) {
  for (unsigned u = 0; u < m_pending.size(); ++u) {
    auto& q = m_pending[u];
    if (q.empty()) continue;
    // In trigger order: a later operation's result overwrites an earlier one ready at once.
    std::size_t keep = 0;
    for (std::size_t i = 0; i < q.size(); ++i) {
      if (q[i].ready <= now) {
        std::copy_n(q[i].v.begin(), q[i].nw, m_ports[u][q[i].port].begin());  // the port's whole width
      } else {
        q[keep++] = q[i];
      }
    }
    q.resize(keep);
  }
}

void processor::drain() {
  // Every result in flight, in the order they would have landed.
  for (auto& q : m_pending)
    std::stable_sort(q.begin(), q.end(), [](const pending& a, const pending& b) { return a.ready < b.ready; });
  retire(~std::uint64_t{0});
}

bool processor::guard_true(const slot& s) const {
  const guard_reg& g = m_m.guards[s.guard];
  const bool v = (m_regs[g.unit][g.reg] & 1u) != 0;
  return v != s.inverted;
}

fault processor::read_source(const slot& s, unsigned b, move& mv) {
  const unsigned bw = m_m.buses[b].width;
  if (s.kind == 2) {
    mv.v[0] = bw < 32 ? s.imm & ((std::uint32_t{1} << bw) - 1) : s.imm;
    mv.nw = 1;
    return fault::none;
  }
  const unit& u = m_m.units[s.src_unit];
  if (u.has_ports()) {
    const unsigned bits = std::min(bw, u.ports[s.src_port].width);
    mv.nw = words(bits);
    std::copy_n(m_ports[s.src_unit][s.src_port].begin(), mv.nw, mv.v.begin());
    if (bits % 32 != 0) mv.v[mv.nw - 1] &= (std::uint32_t{1} << (bits % 32)) - 1;
    return fault::none;
  }
  const std::uint32_t r = m_regs[s.src_unit][s.src_port];
  mv.v[0] = bw < 32 ? r & ((std::uint32_t{1} << bw) - 1) : r;
  mv.nw = 1;
  if (u.type == unit_type::registers) {
    if (++m_rf_reads[s.src_unit] > u.read_ports) return fault::rf_ports;
  }
  m_count.rf_read_bits += u.width;
  return fault::none;
}

fault processor::write_destination(const move& mv) {
  const slot& s = *mv.s;
  const unit& u = m_m.units[s.dst_unit];
  std::uint8_t& mark = m_written[std::size_t{s.dst_unit} * 256 + s.dst_port];
  if (mark != 0) return fault::conflict;
  mark = 1;
  if (!u.has_ports()) {  // a register file, or a long immediate into an immediate unit
    if (u.type == unit_type::registers && ++m_rf_writes[s.dst_unit] > u.write_ports) return fault::rf_ports;
    std::uint32_t x = mv.v[0];
    if (u.width < 32) x &= (std::uint32_t{1} << u.width) - 1;
    m_reg_writes.push_back({s.dst_unit, s.dst_port, x});
    m_count.rf_write_bits += u.width;
    return fault::none;
  }
  place(m_ports[s.dst_unit][s.dst_port], u.ports[s.dst_port].width, mv.v, mv.nw);
  if (u.ports[s.dst_port].r == role::trigger) m_triggers.emplace_back(s.dst_unit, s.op);
  return fault::none;
}

fault processor::load(const unit& u, op code, std::uint32_t addr, std::uint32_t& out) {
  const std::vector<std::uint8_t>& mem = u.mem == memory::pmem ? m_pmem : m_dmem;
  const unsigned n = access_bytes(code);
  if (addr % n != 0 || std::uint64_t{addr} + n > mem.size()) return fault::memory;
  std::uint32_t v = 0;
  std::memcpy(&v, mem.data() + addr, n);
  switch (code) {
    case op::ld16s: v = static_cast<std::uint32_t>(static_cast<std::int32_t>(static_cast<std::int16_t>(v))); break;
    case op::ld8s: v = static_cast<std::uint32_t>(static_cast<std::int32_t>(static_cast<std::int8_t>(v))); break;
    default: break;
  }
  out = v;
  (u.mem == memory::pmem ? m_count.pmem_read_bits : m_count.dmem_read_bits) += 8u * n;
  return fault::none;
}

fault processor::store(const unit& u, op code, std::uint32_t addr, const value& v) {
  std::vector<std::uint8_t>& mem = u.mem == memory::pmem ? m_pmem : m_dmem;
  const unsigned n = access_bytes(code);
  if (addr % std::min(n, 4u) != 0 || std::uint64_t{addr} + n > mem.size()) return fault::memory;
  std::memcpy(mem.data() + addr, v.data(), n);
  (u.mem == memory::pmem ? m_count.pmem_write_bits : m_count.dmem_write_bits) += 8u * n;
  return fault::none;
}

fault processor::vector(unsigned ui, op code, std::uint32_t t, const value& o1, const value& o2, value& out) {
  auto& acc = m_acc[ui];
  out = value{};
  if (code == op::req8 || code == op::sign || code == op::tern) {
    const auto th = static_cast<std::int32_t>(t);
    for (unsigned i = 0; i < vector_lanes; ++i) {
      const auto a = static_cast<std::int32_t>(o1[i]);
      if (code == op::req8) {
        const unsigned s = t & 63u;
        const i128 p = static_cast<i128>(a) * static_cast<std::int32_t>(o2[0]) + (s != 0 ? i128{1} << (s - 1) : 0);
        const auto y = static_cast<std::int64_t>(std::clamp<i128>(p >> s, (t & 0x100u) != 0 ? 0 : -128, 127));
        out[i / 4] |= (static_cast<std::uint32_t>(y) & 0xFFu) << (8 * (i % 4));
      } else if (code == op::sign) {
        out[0] |= static_cast<std::uint32_t>(a >= th) << i;
      } else {
        const std::uint32_t c = a >= th ? 1u : (a <= -static_cast<std::int64_t>(th) ? 3u : 0u);
        out[i / 16] |= c << (2 * (i % 16));
      }
    }
    return fault::none;
  }
  if (code != op::clr) {
    if (std::uint64_t{t} >= m_pmem.size() / param_word_bytes) return fault::memory;
    m_count.pmem_read_bits += param_word_bytes * 8;
  }
  const std::uint8_t* w = code == op::clr ? nullptr : m_pmem.data() + std::size_t{t} * param_word_bytes;
  const std::uint32_t a = o1[0];
  for (unsigned i = 0; i < vector_lanes; ++i) {
    const std::uint32_t wi = code == op::clr ? 0 : le32(w + 4 * i);
    std::int64_t sum = 0;
    switch (code) {
      case op::clr: acc[i] = 0; break;
      case op::ldacc: acc[i] = static_cast<std::int32_t>(wi); break;
      case op::mac8:
        for (unsigned j = 0; j < 4; ++j)
          sum += static_cast<std::int8_t>(a >> (8 * j)) * static_cast<std::int8_t>(wi >> (8 * j));
        break;
      case op::mact:
        for (unsigned j = 0; j < 16; ++j) sum += tern(a, j) * tern(wi, j);
        break;
      default:  // macb
        sum = 32 - 2 * __builtin_popcount(a ^ wi);
        break;
    }
    if (code == op::mac8 || code == op::mact || code == op::macb)
      acc[i] = static_cast<std::int32_t>(static_cast<std::uint32_t>(acc[i]) + static_cast<std::uint32_t>(sum));
    out[i] = static_cast<std::uint32_t>(acc[i]);
  }
  if (code == op::mac8) m_count.macs += 128;
  if (code == op::mact) m_count.macs += 512;
  if (code == op::macb) m_count.macs += 1024;
  return fault::none;
}

fault processor::control(op code, std::uint32_t t, std::uint32_t o1) {
  if (code == op::halt) {
    m_halt = true;
    m_halt_value = t;
    return fault::none;
  }
  if (m_jump) return fault::control;  // a transfer in another's delay slots
  if (code == op::loop) {
    if (m_loop || t <= m_pc || t >= m_m.imem_insns) return fault::control;
    if (o1 == 0) {
      m_skip = true;
      m_loop_end = t;
      return fault::none;
    }
    m_loop = true;
    m_loop_start = m_pc + 1;
    m_loop_end = t;
    m_loop_left = o1;
    return fault::none;
  }
  m_jump = true;
  m_jump_left = m_m.units[m_m.control].delay_slots;
  m_jump_target = t;
  return fault::none;
}

fault processor::execute(unsigned ui, unsigned oi) {
  const unit& u = m_m.units[ui];
  const operation& o = u.ops[oi];
  const std::uint32_t t = m_ports[ui][static_cast<unsigned>(u.trigger)][0];
  static const value zero{};
  const value& o1 = u.operands.empty() ? zero : m_ports[ui][u.operands[0]];
  const value& o2 = u.operands.size() < 2 ? zero : m_ports[ui][u.operands[1]];
  const std::uint32_t a = o1[0];
  value r;  // r[0] for the scalar operations; vector() writes all it returns
  r[0] = 0;
  switch (o.code) {
    case op::add: r[0] = t + a; break;
    case op::sub: r[0] = t - a; break;
    case op::and_: r[0] = t & a; break;
    case op::ior: r[0] = t | a; break;
    case op::xor_: r[0] = t ^ a; break;
    case op::mul: r[0] = t * a; break;
    case op::shl: r[0] = t << (a & 31u); break;
    case op::shr: r[0] = static_cast<std::uint32_t>(static_cast<std::int32_t>(t) >> (a & 31u)); break;
    case op::shru: r[0] = t >> (a & 31u); break;
    case op::eq: r[0] = t == a ? 1 : 0; break;
    case op::ne: r[0] = t != a ? 1 : 0; break;
    case op::gt: r[0] = static_cast<std::int32_t>(t) > static_cast<std::int32_t>(a) ? 1 : 0; break;
    case op::gtu: r[0] = t > a ? 1 : 0; break;
    case op::min: r[0] = static_cast<std::uint32_t>(std::min(static_cast<std::int32_t>(t), static_cast<std::int32_t>(a))); break;
    case op::max: r[0] = static_cast<std::uint32_t>(std::max(static_cast<std::int32_t>(t), static_cast<std::int32_t>(a))); break;
    case op::ld32: case op::ld16u: case op::ld16s: case op::ld8u: case op::ld8s: {
      const fault f = load(u, o.code, t, r[0]);
      if (f != fault::none) return f;
      break;
    }
    case op::st8: case op::st16: case op::st32: case op::st64: case op::st256: case op::st1024: {
      const fault f = store(u, o.code, t, o1);
      if (f != fault::none) return f;
      break;
    }
    case op::clr: case op::ldacc: case op::mac8: case op::mact: case op::macb:
    case op::req8: case op::sign: case op::tern: {
      const fault f = vector(ui, o.code, t, o1, o2, r);
      if (f != fault::none) return f;
      break;
    }
    case op::call: r[0] = m_pc + 1 + u.delay_slots; [[fallthrough]];
    case op::jump: case op::halt: case op::loop: {
      const fault f = control(o.code, t, a);
      if (f != fault::none) return f;
      break;
    }
  }
  ++m_count.ops[static_cast<unsigned>(info(o.code).cls)];  // done: charged
  if (!u.results.empty()) {
    const unsigned width = u.ports[u.results[0]].width;
    const bool vector_op = info(o.code).cls >= op_class::vclear && info(o.code).cls <= op_class::vact;
    if (!vector_op) std::fill(r.begin() + 1, r.begin() + words(width), 0u);
    cut(r, width, width);
    result(ui, o.latency, r, words(width));
  }
  return fault::none;
}

fault processor::next_pc(std::uint32_t& pc) {
  std::uint32_t next = pc + 1;
  bool jumped = false;
  if (m_skip) {
    m_skip = false;
    next = m_loop_end + 1;
  } else if (m_jump) {
    if (m_jump_left == 0) {
      m_jump = false;
      jumped = true;
      next = m_jump_target;
    } else {
      --m_jump_left;
    }
  }
  if (m_loop) {
    if (jumped) {
      // A jump out of the body ends the loop; one into it at the body's end would skip the count.
      if (next < m_loop_start || next > m_loop_end) {
        m_loop = false;
      } else if (pc == m_loop_end) {
        return fault::control;
      }
    } else if (pc == m_loop_end) {
      if (m_jump) return fault::control;  // delay slots across the end of the body
      if (--m_loop_left > 0) {
        next = m_loop_start;
      } else {
        m_loop = false;
      }
    }
  }
  pc = next;
  return fault::none;
}

run_result processor::run(std::uint32_t entry, std::uint64_t max_cycles) {
  run_result r;
  m_jump = m_loop = m_halt = m_skip = false;
  m_pc = entry;
  auto stop = [&](run_result::end how, fault f) {
    drain();
    r.how = how;
    r.cause = f;
    r.pc = m_pc;
    return r;
  };
  for (;;) {
    if (r.cycles >= max_cycles) return stop(run_result::end::timeout, fault::none);
    if (m_pc >= m_m.imem_insns || m_loaded[m_pc] == 0) return stop(run_result::end::fault, fault::pc);
    retire(m_now);
    const slot* ins = &m_program[std::size_t{m_pc} * m_buses];
    ++m_count.insns;
    m_count.fetch_bits += m_m.insn_bits;
    ++m_count.cycles;
    ++r.cycles;
    // Guards and sources, as they were at the start of the cycle.
    m_nmoves = 0;
    fault f = fault::none;
    for (unsigned b = 0; b < m_buses && f == fault::none; ++b) {
      const slot& s = ins[b];
      if (s.bad != fault::none) {
        f = s.bad;
        break;
      }
      if (s.kind == 0) continue;
      if (s.guarded && !guard_true(s)) {
        ++m_count.squashed;
        continue;
      }
      move& mv = m_moves[m_nmoves++];
      mv.s = &s;
      mv.bus = b;
      if (s.kind == 3) {
        mv.v[0] = s.imm;
        mv.nw = 1;
      } else {
        f = read_source(s, b, mv);
      }
    }
    // Destinations: operand latches now, register writes at the end of the cycle, operations in
    // unit order.
    m_triggers.clear();
    m_reg_writes.clear();
    for (unsigned i = 0; i < m_nmoves && f == fault::none; ++i) {
      const move& mv = m_moves[i];
      f = write_destination(mv);
      ++m_count.moves;
      m_count.bus_bits += m_m.buses[mv.bus].width;
    }
    std::sort(m_triggers.begin(), m_triggers.end());
    for (const auto& [u, o] : m_triggers) {
      if (f != fault::none) break;
      f = execute(u, o);
    }
    for (unsigned i = 0; i < m_nmoves; ++i) {
      const move& mv = m_moves[i];
      m_written[std::size_t{mv.s->dst_unit} * 256 + mv.s->dst_port] = 0;
      if (mv.s->kind == 1 && !m_m.units[mv.s->src_unit].has_ports()) m_rf_reads[mv.s->src_unit] = 0;
      if (!m_m.units[mv.s->dst_unit].has_ports()) m_rf_writes[mv.s->dst_unit] = 0;
    }
    if (f != fault::none) return stop(run_result::end::fault, f);
    for (const reg_write& w : m_reg_writes) m_regs[w.unit][w.reg] = w.v;
    ++m_now;
    if (m_halt) {
      r.value = m_halt_value;
      return stop(run_result::end::halt, fault::none);
    }
    f = next_pc(m_pc);
    if (f != fault::none) return stop(run_result::end::fault, f);
  }
}

}  // namespace edgevp::accel::tta

#include "models/accelerators/cgra/array.h"

#include <algorithm>
#include <cstring>
#include <map>

namespace edgevp::accel::cgra {

namespace {

std::uint32_t op_of(std::uint32_t w) {
  return w & 0xFFu;
}
unsigned a_of(std::uint32_t w) {
  return (w >> 8) & 0xFFu;
}
std::int32_t imm_of(std::uint32_t w) {
  return static_cast<std::int16_t>(w >> 16);
}

unsigned last_op(unit_type t) {
  switch (t) {
    case unit_type::alu: return ops::alu::last;
    case unit_type::mul: return ops::mul::last;
    case unit_type::lsu: return ops::lsu::last;
    case unit_type::rf: return ops::rf::last;
    case unit_type::imm: return ops::imm::last;
    case unit_type::dot8: return ops::dot8::last;
    case unit_type::abu: return ops::abu::last;
    case unit_type::id: return 0;
  }
  return 0;
}

// Which routed inputs an operation reads (bit 0: in0, bit 1: in1).
unsigned reads(unit_type t, unsigned op) {
  switch (t) {
    case unit_type::alu:
      return op == ops::alu::li || op == ops::alu::inc ? 0
             : op == ops::alu::addi || op == ops::alu::pass || op == ops::alu::acc ? 1
                                                                                     : 3;
    case unit_type::mul: return op == ops::mul::muli ? 1 : 3;
    case unit_type::lsu:
      return op == ops::lsu::ld || op == ops::lsu::seta ? 1 : op == ops::lsu::st ? 3 : op == ops::lsu::stinc ? 2 : 0;
    case unit_type::rf: return op == ops::rf::rd ? 0 : 1;
    case unit_type::dot8: return op == ops::dot8::clr ? 0 : op == ops::dot8::dot ? 3 : 1;
    case unit_type::abu: return op == ops::abu::loopr || op == ops::abu::bnz || op == ops::abu::bz ? 1 : 0;
    default: return 0;
  }
}

}  // namespace

const char* config_cause_name(config_cause c) {
  static constexpr const char* n[config_cause_count] = {"none", "format", "unit", "route", "binding",
                                                        "group", "program", "busy", "run"};
  return n[static_cast<unsigned>(c)];
}

const char* fault_name(fault f) {
  static constexpr const char* n[fault_count] = {"none", "memory", "pc", "loop", "opcode"};
  return n[static_cast<unsigned>(f)];
}

array::array(fabric f) : m_f(std::move(f)) {
  m_mem.assign(m_f.mem_bytes(), 0);
  m_u.resize(m_f.units.size());
  for (std::size_t i = 0; i < m_u.size(); ++i) m_u[i].regs.assign(m_f.units[i].registers, 0);
  m_prog.assign(m_f.decoders.size(), std::vector<std::uint32_t>(m_f.imem, 0));
  m_prog_len.assign(m_f.decoders.size(), 0);
  m_group_of.assign(m_f.decoders.size(), -1);
}

void array::reset() {
  for (unit_state& u : m_u) {
    u.out = u.next = u.ar = u.next_ar = 0;
    std::fill(u.regs.begin(), u.regs.end(), 0);
  }
}

void array::clear() {
  for (unit_state& u : m_u) {
    u.decoder = none;
    u.in = {none, none};
  }
  reset();
  for (auto& p : m_prog) std::fill(p.begin(), p.end(), 0);
  std::fill(m_prog_len.begin(), m_prog_len.end(), 0);
  std::fill(m_group_of.begin(), m_group_of.end(), -1);
  std::fill(m_mem.begin(), m_mem.end(), 0);
}

// --- configuration -------------------------------------------------------------------------------

// An image's records, checked against the fabric and staged before anything changes.
class array::staged {
 public:
  staged(const array& a, const std::vector<std::uint32_t>& w) : m_a(a), m_w(w) {}

  config_result check(const in_use* busy);
  void apply(array& a) const;

 private:
  struct bind_rec { unsigned unit, decoder; };
  struct route_rec { unsigned unit, input, src; };
  struct group_rec { unsigned group; std::uint32_t mask; };
  struct block_rec { unsigned target, first; std::size_t at, n; };  // PROGRAM / INIT: words at m_w[at..]

  config_cause record(std::uint32_t type, std::size_t at, std::size_t len);
  config_cause check_bindings() const;
  [[nodiscard]] bool touches_busy(const in_use& busy) const;

  const array& m_a;
  const std::vector<std::uint32_t>& m_w;
  std::vector<bind_rec> m_bind;
  std::vector<route_rec> m_route;
  std::vector<group_rec> m_group;
  std::vector<block_rec> m_prog, m_init;
  std::vector<unsigned> m_bound;  // per unit: the decoder this image binds it to (none + 1: not bound)
  std::uint32_t m_groups_seen = 0, m_decoders_seen = 0;
};

config_result array::staged::check(const in_use* busy) {
  const fabric& f = m_a.m_f;
  m_bound.assign(f.units.size(), none + 1);
  if (m_w.size() < image_header_words + 1 || m_w[0] != image_magic || m_w[1] != image_version ||
      m_w[2] != 4 * m_w.size() || m_w[3] != f.units.size())
    return {config_cause::format, 0};
  std::size_t i = image_header_words;
  for (;;) {
    if (i >= m_w.size()) return {config_cause::format, static_cast<std::uint32_t>(4 * i)};
    const std::uint32_t type = m_w[i] & 0xFFu;
    const std::size_t len = m_w[i] >> 8;
    if (len > m_w.size() - i - 1) return {config_cause::format, static_cast<std::uint32_t>(4 * i)};
    if (type == record::end) {
      if (len != 0 || i + 1 != m_w.size()) return {config_cause::format, static_cast<std::uint32_t>(4 * i)};
      break;
    }
    const config_cause c = record(type, i + 1, len);
    if (c != config_cause::none) return {c, static_cast<std::uint32_t>(4 * i)};
    i += 1 + len;
  }
  const config_cause c = check_bindings();
  if (c != config_cause::none) return {c, 0};
  if (busy != nullptr && touches_busy(*busy)) return {config_cause::busy, 0};
  return {};
}

config_cause array::staged::record(std::uint32_t type, std::size_t at, std::size_t len) {
  const fabric& f = m_a.m_f;
  const auto n_units = static_cast<unsigned>(f.units.size());
  const auto n_dec = static_cast<unsigned>(f.decoders.size());
  const auto w = [this, at](std::size_t k) { return m_w[at + k]; };
  switch (type) {
    case record::bind: {
      if (len != 2) return config_cause::format;
      const unsigned u = w(0), d = w(1);
      if (u >= n_units || f.units[u].type == unit_type::id || (d != none && d >= n_dec)) return config_cause::unit;
      if (m_bound[u] != none + 1 && m_bound[u] != d) return config_cause::binding;
      m_bound[u] = d;
      m_bind.push_back({u, d});
      return config_cause::none;
    }
    case record::route: {
      if (len != 3) return config_cause::format;
      const unsigned u = w(0), in = w(1), s = w(2);
      if (u >= n_units || in >= f.units[u].inputs()) return config_cause::unit;
      if (s != none && (s >= n_units || !f.units[s].has_output() || f.hops(s, u) > f.data_hops))
        return config_cause::route;
      m_route.push_back({u, in, s});
      return config_cause::none;
    }
    case record::group: {
      if (len != 2) return config_cause::format;
      const unsigned g = w(0);
      const std::uint32_t mask = w(1);
      if (g >= max_groups || (n_dec < 32 && (mask >> n_dec) != 0)) return config_cause::group;
      // A group's record gives its whole membership: once an image, and a decoder in one group.
      if ((m_groups_seen >> g & 1u) != 0 || (m_decoders_seen & mask) != 0) return config_cause::group;
      m_groups_seen |= 1u << g;
      m_decoders_seen |= mask;
      m_group.push_back({g, mask});
      return config_cause::none;
    }
    case record::program:
    case record::init: {
      if (len < 3 || len != 3 + std::size_t{w(2)}) return config_cause::format;
      const unsigned target = w(0), first = w(1);
      const std::size_t n = w(2);
      if (type == record::program) {
        if (target >= n_dec) return config_cause::unit;
        if (first + n > f.imem) return config_cause::program;
        m_prog.push_back({target, first, at + 3, n});
        return config_cause::none;
      }
      if (target >= n_units) return config_cause::unit;
      const unit& x = f.units[target];
      if (x.type == unit_type::rf || x.type == unit_type::imm) {
        if (first + n > x.registers) return config_cause::program;
      } else if (x.type == unit_type::alu || x.type == unit_type::dot8 || x.type == unit_type::lsu) {
        if (first != 0 || n != 1) return config_cause::program;
      } else {
        return config_cause::unit;
      }
      m_init.push_back({target, first, at + 3, n});
      return config_cause::none;
    }
    default: return config_cause::format;
  }
}

// The bindings as they will be: one type of unit per decoder, each within the control network.
config_cause array::staged::check_bindings() const {
  const fabric& f = m_a.m_f;
  std::vector<unsigned> decoder(f.units.size());
  for (std::size_t u = 0; u < f.units.size(); ++u) decoder[u] = m_a.m_u[u].decoder;
  for (const bind_rec& b : m_bind) decoder[b.unit] = b.decoder;
  std::vector<int> type(f.decoders.size(), -1);
  for (std::size_t u = 0; u < f.units.size(); ++u) {
    const unsigned d = decoder[u];
    if (d == none) continue;
    const auto t = static_cast<int>(f.units[u].type);
    if (type[d] >= 0 && type[d] != t) return config_cause::binding;
    type[d] = t;
    if (f.hops(f.decoders[d], static_cast<unsigned>(u)) > f.control_hops) return config_cause::binding;
  }
  return config_cause::none;
}

bool array::staged::touches_busy(const in_use& busy) const {
  const fabric& f = m_a.m_f;
  const auto unit_busy = [&](unsigned u) { return busy.units[u] != 0; };
  const auto dec_busy = [&](unsigned d) { return unit_busy(f.decoders[d]); };
  for (const bind_rec& b : m_bind)
    if (unit_busy(b.unit) || (b.decoder != none && dec_busy(b.decoder))) return true;
  for (const route_rec& r : m_route)
    if (unit_busy(r.unit)) return true;
  for (const group_rec& g : m_group) {
    if ((busy.groups >> g.group & 1u) != 0) return true;  // the record replaces a running group's membership
    for (unsigned d = 0; d < f.decoders.size(); ++d)
      if ((g.mask >> d & 1u) != 0 && dec_busy(d)) return true;
  }
  for (const block_rec& p : m_prog)
    if (dec_busy(p.target)) return true;
  for (const block_rec& i : m_init)
    if (unit_busy(i.target)) return true;
  return false;
}

void array::staged::apply(array& a) const {
  for (const bind_rec& b : m_bind) a.m_u[b.unit].decoder = b.decoder;
  for (const route_rec& r : m_route) a.m_u[r.unit].in[r.input] = r.src;
  for (const group_rec& g : m_group) {
    for (unsigned d = 0; d < a.m_group_of.size(); ++d) {
      if ((g.mask >> d & 1u) != 0) {
        a.m_group_of[d] = static_cast<int>(g.group);
      } else if (a.m_group_of[d] == static_cast<int>(g.group)) {
        a.m_group_of[d] = -1;  // the record gives the group's whole membership
      }
    }
  }
  for (const block_rec& p : m_prog) {
    std::copy_n(m_w.begin() + static_cast<std::ptrdiff_t>(p.at), p.n, a.m_prog[p.target].begin() + p.first);
    const auto end = p.first + static_cast<unsigned>(p.n);
    a.m_prog_len[p.target] = p.first == 0 ? end : std::max(a.m_prog_len[p.target], end);  // from 0: replaces
  }
  for (const block_rec& i : m_init) {
    unit_state& u = a.m_u[i.target];
    const unit_type t = a.m_f.units[i.target].type;
    if (t == unit_type::rf || t == unit_type::imm) {
      std::copy_n(m_w.begin() + static_cast<std::ptrdiff_t>(i.at), i.n, u.regs.begin() + i.first);
    } else if (t == unit_type::lsu) {
      u.ar = u.next_ar = m_w[i.at];
    } else {
      u.out = u.next = m_w[i.at];
    }
  }
}

config_result array::configure(const std::vector<std::uint32_t>& image, const in_use* busy) {
  staged s(*this, image);
  const config_result r = s.check(busy);
  if (r.cause != config_cause::none) return r;
  s.apply(*this);
  m_count.config_bits += 32 * image.size();
  return r;
}

in_use array::users(std::uint32_t groups) const {
  in_use busy;
  busy.units.assign(m_f.units.size(), 0);
  busy.groups = groups;
  const auto running = [&](unsigned d) { return d != none && m_group_of[d] >= 0 && (groups >> m_group_of[d] & 1u) != 0; };
  for (unsigned d = 0; d < m_group_of.size(); ++d)
    if (running(d)) busy.units[m_f.decoders[d]] = 1;
  for (std::size_t u = 0; u < m_u.size(); ++u) {
    if (!running(m_u[u].decoder)) continue;
    busy.units[u] = 1;
    for (const unsigned src : m_u[u].in)
      if (src != none) busy.units[src] = 1;  // what it reads must stay as it is
  }
  return busy;
}

// --- execution -----------------------------------------------------------------------------------

config_cause array::check_run(std::uint32_t groups, std::vector<group_state>& gs, unsigned& bad) const {
  gs.assign(max_groups, group_state{});
  if (groups == 0 || (groups >> max_groups) != 0) return config_cause::run;
  for (unsigned d = 0; d < m_group_of.size(); ++d) {
    const int g = m_group_of[d];
    if (g >= 0 && (groups >> g & 1u) != 0) {
      gs[static_cast<unsigned>(g)].decoders.push_back(d);
      gs[static_cast<unsigned>(g)].length = std::max(gs[static_cast<unsigned>(g)].length, m_prog_len[d]);
    }
  }
  for (unsigned u = 0; u < m_u.size(); ++u) {
    const unsigned d = m_u[u].decoder;
    if (d == none || m_group_of[d] < 0 || (groups >> m_group_of[d] & 1u) == 0) continue;
    group_state& g = gs[static_cast<unsigned>(m_group_of[d])];
    g.units.push_back(u);
    if (m_f.units[u].type == unit_type::abu) {
      if (g.abu != none) {
        bad = u;
        return config_cause::run;
      }
      g.abu = u;
    }
    for (const unsigned src : m_u[u].in) {
      if (src != none && m_u[src].decoder == none) {  // its source is power-gated: no output
        bad = u;
        return config_cause::run;
      }
    }
  }
  for (unsigned g = 0; g < max_groups; ++g) {
    if ((groups >> g & 1u) == 0) continue;
    if (gs[g].decoders.empty() || gs[g].length == 0) return config_cause::run;
    gs[g].running = true;
  }
  return config_cause::none;
}

std::uint32_t array::insn_of(unsigned u, const group_state& g) const {
  const unsigned d = m_u[u].decoder;
  return g.pc < m_prog_len[d] ? m_prog[d][g.pc] : 0;
}

std::uint32_t array::in(unsigned u, unsigned i) const {
  const unsigned s = m_u[u].in[i];
  return s == none ? 0 : m_u[s].out;
}

// The memory access an LSU's instruction makes, if any.
bool array::accesses(unsigned u, std::uint32_t w, std::uint32_t& addr) const {
  if (m_f.units[u].type != unit_type::lsu) return false;
  switch (op_of(w)) {
    case ops::lsu::ld:
    case ops::lsu::st: addr = in(u, 0) + static_cast<std::uint32_t>(imm_of(w)); return true;
    case ops::lsu::ldinc:
    case ops::lsu::stinc: addr = m_u[u].ar; return true;
    default: return false;
  }
}

fault array::execute(unsigned u, std::uint32_t w) {
  unit_state& s = m_u[u];
  const unit& x = m_f.units[u];
  const unsigned op = op_of(w);
  if (op == ops::nop) return fault::none;
  if (op > last_op(x.type)) return fault::opcode;
  ++m_count.ops[static_cast<unsigned>(x.type)];
  const unsigned used = reads(x.type, op);
  for (unsigned i = 0; i < 2; ++i)
    if ((used >> i & 1u) != 0 && s.in[i] != none) m_count.data_hops += m_f.hops(s.in[i], u);
  const std::uint32_t a = in(u, 0), b = in(u, 1);
  const auto ia = static_cast<std::int32_t>(a), ib = static_cast<std::int32_t>(b);
  const auto imm = static_cast<std::uint32_t>(imm_of(w));
  switch (x.type) {
    case unit_type::alu:
      switch (op) {
        case ops::alu::add: s.next = a + b; break;
        case ops::alu::sub: s.next = a - b; break;
        case ops::alu::and_: s.next = a & b; break;
        case ops::alu::or_: s.next = a | b; break;
        case ops::alu::xor_: s.next = a ^ b; break;
        case ops::alu::shl: s.next = a << (b & 31u); break;
        case ops::alu::shr: s.next = static_cast<std::uint32_t>(ia >> (b & 31u)); break;
        case ops::alu::shru: s.next = a >> (b & 31u); break;
        case ops::alu::addi: s.next = a + imm; break;
        case ops::alu::li: s.next = imm; break;
        case ops::alu::pass: s.next = a; break;
        case ops::alu::min: s.next = static_cast<std::uint32_t>(std::min(ia, ib)); break;
        case ops::alu::max: s.next = static_cast<std::uint32_t>(std::max(ia, ib)); break;
        case ops::alu::lt: s.next = ia < ib ? 1 : 0; break;
        case ops::alu::eq: s.next = a == b ? 1 : 0; break;
        case ops::alu::acc: s.next = s.out + a; break;
        default: s.next = s.out + imm; break;  // inc
      }
      return fault::none;
    case unit_type::mul: s.next = a * (op == ops::mul::mul ? b : imm); return fault::none;
    case unit_type::rf:
      if (op == ops::rf::rd || op == ops::rf::rdwr) {
        if (a_of(w) >= x.registers) return fault::opcode;
        s.next = s.regs[a_of(w)];
        ++m_count.rf_reads;
      }
      if (op == ops::rf::wr || op == ops::rf::rdwr) {
        const unsigned r = op == ops::rf::wr ? a_of(w) : (imm & 0xFFu);
        if (r >= x.registers) return fault::opcode;
        m_reg_writes.push_back({u, r, a});  // at the cycle's end
        ++m_count.rf_writes;
      }
      return fault::none;
    case unit_type::imm:
      if (op == ops::imm::cnst) {
        if (a_of(w) >= x.registers) return fault::opcode;
        s.next = s.regs[a_of(w)];
      } else {
        s.next = imm;
      }
      return fault::none;
    case unit_type::dot8:
      if (op == ops::dot8::clr) {
        s.next = 0;
      } else if (op == ops::dot8::set) {
        s.next = a;
      } else if (op == ops::dot8::add) {
        s.next = s.out + a;
      } else {
        std::int32_t sum = 0;
        for (unsigned j = 0; j < 4; ++j) sum += static_cast<std::int8_t>(a >> (8 * j)) * static_cast<std::int8_t>(b >> (8 * j));
        s.next = s.out + static_cast<std::uint32_t>(sum);
        m_count.macs += 4;
      }
      return fault::none;
    case unit_type::lsu: {
      if (op == ops::lsu::seta) {
        s.next_ar = a + imm;
        return fault::none;
      }
      std::uint32_t addr = 0;
      accesses(u, w, addr);
      if (addr % 4 != 0 || std::uint64_t{addr} + 4 > m_mem.size()) return fault::memory;
      if (op == ops::lsu::ldinc || op == ops::lsu::stinc) s.next_ar = s.ar + imm;
      if (op == ops::lsu::ld || op == ops::lsu::ldinc) {
        std::memcpy(&s.next, m_mem.data() + addr, 4);
        m_count.mem_read_bits += 32;
      } else {
        m_stores.push_back({addr, b});
        m_count.mem_write_bits += 32;
      }
      return fault::none;
    }
    default: return fault::none;  // abu: control()
  }
}

fault array::control(group_state& g, std::uint32_t w, bool& jumped, unsigned& target) {
  const unsigned op = op_of(w);
  const unsigned a = a_of(w);
  const std::uint32_t in0 = in(g.abu, 0);
  switch (op) {
    case ops::abu::loop:
    case ops::abu::loopr: {
      const std::uint64_t count = op == ops::abu::loop ? static_cast<std::uint16_t>(imm_of(w)) : in0;
      if (g.loop || a <= g.pc) return fault::loop;
      if (a >= g.length) return fault::pc;
      if (count == 0) {
        jumped = true;
        target = a + 1;
        return fault::none;
      }
      g.loop = true;
      g.loop_start = g.pc + 1;
      g.loop_end = a;
      g.loop_left = count;
      return fault::none;
    }
    case ops::abu::jump:
    case ops::abu::bnz:
    case ops::abu::bz:
      if (op == ops::abu::jump || (op == ops::abu::bnz) == (in0 != 0)) {
        if (a >= g.length) return fault::pc;
        jumped = true;
        target = a;
      }
      return fault::none;
    default: return fault::none;  // halt: advance()
  }
}

fault array::advance(group_state& g, unsigned abu) {
  bool jumped = false;
  unsigned target = 0;
  if (abu != none) {
    const std::uint32_t w = insn_of(abu, g);
    if (op_of(w) == ops::abu::halt) {
      g.running = false;
      return fault::none;
    }
    const fault f = control(g, w, jumped, target);
    if (f != fault::none) return f;
  }
  unsigned next = g.pc + 1;
  if (jumped) {
    next = target;
    if (g.loop && (next < g.loop_start || next > g.loop_end)) {
      g.loop = false;  // a jump out of the body ends the loop
    } else if (g.loop && g.pc == g.loop_end) {
      return fault::loop;  // one into it from the body's end would skip the count
    }
  } else if (g.loop && g.pc == g.loop_end) {
    if (--g.loop_left > 0) {
      next = g.loop_start;
    } else {
      g.loop = false;
    }
  }
  g.pc = next;
  if (g.pc >= g.length) g.running = false;
  return fault::none;
}

run_result array::run(std::uint32_t groups, std::uint64_t max_cycles) {
  run_result r;
  std::vector<group_state> gs;
  r.refused = check_run(groups, gs, r.unit);
  if (r.refused != config_cause::none) {
    r.how = run_result::end::refused;
    return r;
  }
  std::vector<unsigned> bank_use(m_f.banks);
  std::vector<std::uint8_t> taken(m_f.banks);
  std::vector<std::uint8_t> executes(max_groups);
  for (;;) {
    bool any = false;
    for (const group_state& g : gs) any = any || g.running;
    if (!any) return r;
    const unsigned first = static_cast<unsigned>(std::find_if(gs.begin(), gs.end(), [](const group_state& g) { return g.running; }) - gs.begin());
    if (r.cycles >= max_cycles) {
      r.how = run_result::end::timeout;
      r.pc = gs[first].pc;
      return r;
    }
    ++r.cycles;
    ++m_count.cycles;
    // Which groups execute this cycle: bank conflicts stall a group (its own accesses to one bank
    // serialise; between groups the lower number wins).
    std::fill(taken.begin(), taken.end(), 0);
    for (unsigned gi = 0; gi < max_groups; ++gi) {
      group_state& g = gs[gi];
      executes[gi] = 0;
      if (!g.running) continue;
      m_count.unit_cycles += g.units.size();
      std::fill(bank_use.begin(), bank_use.end(), 0);
      unsigned worst = 0;
      bool lost = false;
      for (const unsigned u : g.units) {
        std::uint32_t addr = 0;
        if (!accesses(u, insn_of(u, g), addr)) continue;
        const unsigned b = (addr / 4) % m_f.banks;
        worst = std::max(worst, ++bank_use[b]);
        lost = lost || taken[b] != 0;
      }
      if (!lost && worst > 1 && !g.paid) {
        g.wait = worst - 1;
        g.paid = true;
      }
      if (lost || g.wait > 0) {
        if (g.wait > 0 && !lost) {
          --g.wait;  // serving its own accesses one by one: the banks are its this cycle
          for (unsigned b = 0; b < m_f.banks; ++b) taken[b] = taken[b] != 0 || bank_use[b] != 0 ? 1 : 0;
        }
        ++r.stalls;
        ++m_count.stalls;
        continue;
      }
      g.paid = false;
      for (unsigned b = 0; b < m_f.banks; ++b) taken[b] = taken[b] != 0 || bank_use[b] != 0 ? 1 : 0;
      executes[gi] = 1;
    }
    // Execute: units read the previous cycle's outputs; results land at the end of the cycle.
    m_stores.clear();
    m_reg_writes.clear();
    for (unsigned gi = 0; gi < max_groups; ++gi) {
      if (executes[gi] == 0) continue;
      group_state& g = gs[gi];
      m_count.fetches += g.decoders.size();
      for (const unsigned u : g.units) {
        m_count.ctrl_hops += m_f.hops(m_f.decoders[m_u[u].decoder], u);
        const fault f = execute(u, insn_of(u, g));
        if (f != fault::none) {
          for (unit_state& s : m_u) {  // the faulting cycle's results are not kept
            s.next = s.out;
            s.next_ar = s.ar;
          }
          r.how = run_result::end::fault;
          r.cause = f;
          r.pc = g.pc;
          r.unit = u;
          return r;
        }
      }
    }
    // Control first: the ABUs read their inputs as they were in this cycle, like every unit.
    for (unsigned gi = 0; gi < max_groups; ++gi) {
      if (executes[gi] == 0) continue;
      const unsigned pc = gs[gi].pc;
      const fault f = advance(gs[gi], gs[gi].abu);
      if (f != fault::none) {
        r.how = run_result::end::fault;
        r.cause = f;
        r.pc = pc;
        r.unit = gs[gi].abu;
        return r;
      }
    }
    for (unit_state& s : m_u) {
      s.out = s.next;
      s.ar = s.next_ar;
    }
    for (const store& st : m_stores) std::memcpy(m_mem.data() + st.addr, &st.value, 4);
    for (const reg_write& rw : m_reg_writes) m_u[rw.unit].regs[rw.reg] = rw.value;
  }
}

}  // namespace edgevp::accel::cgra

#include "models/accelerators/tta/machine.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "models/accelerators/json_reader.h"
#include "models/core/errors.h"

namespace edgevp::accel::tta {

namespace {


constexpr std::array<op_info, 38> ops{{
    {"add", op::add, 2, 1, op_class::alu, false, false},
    {"sub", op::sub, 2, 1, op_class::alu, false, false},
    {"and", op::and_, 2, 1, op_class::alu, false, false},
    {"ior", op::ior, 2, 1, op_class::alu, false, false},
    {"xor", op::xor_, 2, 1, op_class::alu, false, false},
    {"mul", op::mul, 2, 1, op_class::mul, false, false},
    {"shl", op::shl, 2, 1, op_class::alu, false, false},
    {"shr", op::shr, 2, 1, op_class::alu, false, false},
    {"shru", op::shru, 2, 1, op_class::alu, false, false},
    {"eq", op::eq, 2, 1, op_class::alu, false, false},
    {"ne", op::ne, 2, 1, op_class::alu, false, false},
    {"gt", op::gt, 2, 1, op_class::alu, false, false},
    {"gtu", op::gtu, 2, 1, op_class::alu, false, false},
    {"min", op::min, 2, 1, op_class::alu, false, false},
    {"max", op::max, 2, 1, op_class::alu, false, false},
    {"ld32", op::ld32, 1, 1, op_class::load, true, false},
    {"ld16u", op::ld16u, 1, 1, op_class::load, true, false},
    {"ld16s", op::ld16s, 1, 1, op_class::load, true, false},
    {"ld8u", op::ld8u, 1, 1, op_class::load, true, false},
    {"ld8s", op::ld8s, 1, 1, op_class::load, true, false},
    {"st8", op::st8, 2, 0, op_class::store, true, false},
    {"st16", op::st16, 2, 0, op_class::store, true, false},
    {"st32", op::st32, 2, 0, op_class::store, true, false},
    {"st64", op::st64, 2, 0, op_class::store, true, false},
    {"st256", op::st256, 2, 0, op_class::store, true, false},
    {"st1024", op::st1024, 2, 0, op_class::store, true, false},
    {"clr", op::clr, 1, 1, op_class::vclear, false, false},
    {"ldacc", op::ldacc, 1, 1, op_class::vload, true, false},
    {"mac8", op::mac8, 2, 1, op_class::mac8, true, false},
    {"mact", op::mact, 2, 1, op_class::mact, true, false},
    {"macb", op::macb, 2, 1, op_class::macb, true, false},
    {"req8", op::req8, 3, 1, op_class::vact, false, false},
    {"sign", op::sign, 2, 1, op_class::vact, false, false},
    {"tern", op::tern, 2, 1, op_class::vact, false, false},
    {"jump", op::jump, 1, 0, op_class::control, false, true},
    {"call", op::call, 1, 1, op_class::control, false, true},
    {"halt", op::halt, 1, 0, op_class::control, false, true},
    {"loop", op::loop, 2, 0, op_class::control, false, true},
}};

[[noreturn]] void fail(const std::string& origin, const std::string& path, const std::string& what) {
  json_fail(origin, path, what);
}

using object = json_object;

std::string name_of(object& o) {
  return o.name();
}

void parse_memories(machine& m, object& top) {
  object mem(top.at("memories"), top.origin(), top.path("memories"));
  {
    object i(mem.at("imem"), top.origin(), mem.path("imem"));
    m.imem_insns = static_cast<unsigned>(i.number("instructions", 1, max_imem));
    i.finish();
  }
  for (const char* which : {"dmem", "pmem"}) {
    object d(mem.at(which), top.origin(), mem.path(which));
    const std::uint64_t bytes = d.number("bytes", param_word_bytes, max_memory_bytes);
    if (bytes % param_word_bytes != 0)
      fail(top.origin(), d.path("bytes"), std::to_string(bytes) + " is not a multiple of 128");
    (std::string(which) == "dmem" ? m.dmem_bytes : m.pmem_bytes) = bytes;
    d.finish();
  }
  mem.finish();
}

void parse_ports(unit& u, object& o) {
  const json& ports = o.array("ports", 1, max_ports);
  std::set<std::string> names;
  for (std::size_t i = 0; i < ports.size(); ++i) {
    object p(ports[i], o.origin(), o.path("ports") + "/" + std::to_string(i));
    port x;
    x.name = name_of(p);
    if (!names.insert(x.name).second) fail(o.origin(), p.path("name"), "duplicate port '" + x.name + "'");
    const std::string r = p.text("role");
    if (r == "trigger") x.r = role::trigger;
    else if (r == "operand") x.r = role::operand;
    else if (r == "result") x.r = role::result;
    else fail(o.origin(), p.path("role"), "'" + r + "' is not trigger, operand or result");
    x.width = static_cast<unsigned>(p.number("width", 1, max_value_bits));
    p.finish();
    const auto idx = static_cast<unsigned>(u.ports.size());
    if (x.r == role::trigger) {
      if (u.trigger >= 0) fail(o.origin(), p.path("role"), "a second trigger port");
      u.trigger = static_cast<int>(idx);
    } else if (x.r == role::operand) {
      u.operands.push_back(idx);
    } else {
      u.results.push_back(idx);
    }
    u.ports.push_back(x);
  }
  if (u.trigger < 0) fail(o.origin(), o.path("ports"), "no trigger port");
}

void parse_operations(unit& u, object& o) {
  const json& list = o.array("operations", 1, 255);
  std::set<std::string> names;
  for (std::size_t i = 0; i < list.size(); ++i) {
    object p(list[i], o.origin(), o.path("operations") + "/" + std::to_string(i));
    operation x;
    x.name = p.text("name");
    const op_info* inf = find_op(x.name);
    const std::string here = p.path("name");
    if (inf == nullptr) fail(o.origin(), here, "unknown operation '" + x.name + "'");
    if (!names.insert(x.name).second) fail(o.origin(), here, "duplicate operation '" + x.name + "'");
    if (inf->control != (u.type == unit_type::control))
      fail(o.origin(), here,
           "'" + x.name + (inf->control ? "' is an operation of the control unit" : "' is not a control operation"));
    if (inf->inputs > 1 + u.operands.size())
      fail(o.origin(), here,
           "'" + x.name + "' needs " + std::to_string(inf->inputs) + " inputs, the unit has " +
               std::to_string(1 + u.operands.size()));
    if (inf->outputs > u.results.size())
      fail(o.origin(), here,
           "'" + x.name + "' needs " + std::to_string(inf->outputs) + " result ports, the unit has " +
               std::to_string(u.results.size()));
    if (inf->uses_memory && u.mem == memory::none)
      fail(o.origin(), here, "'" + x.name + "' accesses memory: the unit needs \"memory\": \"dmem\" or \"pmem\"");
    if ((x.name == "ldacc" || x.name.rfind("mac", 0) == 0) && u.mem != memory::pmem)
      fail(o.origin(), here, "'" + x.name + "' reads parameter words: the unit needs \"memory\": \"pmem\"");
    x.code = inf->code;
    x.latency = static_cast<unsigned>(p.number("latency", 1, max_latency));
    p.finish();
    u.ops.push_back(x);
  }
}

unit parse_unit(object& o) {
  unit u;
  u.name = name_of(o);
  const std::string t = o.text("type");
  if (t == "control" || t == "fu") {
    u.type = t == "control" ? unit_type::control : unit_type::fu;
    if (o.has("memory")) {
      const std::string mem = o.text("memory");
      if (mem == "dmem") u.mem = memory::dmem;
      else if (mem == "pmem") u.mem = memory::pmem;
      else fail(o.origin(), o.path("memory"), "'" + mem + "' is not dmem or pmem");
    }
    if (u.type == unit_type::control)
      u.delay_slots = static_cast<unsigned>(o.number("delay_slots", 0, max_delay_slots));
    parse_ports(u, o);
    parse_operations(u, o);
  } else if (t == "immediate" || t == "registers") {
    u.type = t == "immediate" ? unit_type::immediate : unit_type::registers;
    u.registers = static_cast<unsigned>(o.number("registers", 1, t == "immediate" ? 16 : 256));
    u.width = static_cast<unsigned>(o.number("width", 1, 32));
    if (u.type == unit_type::registers) {
      u.read_ports = static_cast<unsigned>(o.number("read_ports", 1, 16));
      u.write_ports = static_cast<unsigned>(o.number("write_ports", 1, 16));
      u.guard = o.flag("guard");
    }
  } else {
    fail(o.origin(), o.path("type"), "'" + t + "' is not control, fu, registers or immediate");
  }
  o.finish();
  return u;
}

// Resolves a bus endpoint ("unit.port", "unit" or "*") into the bus's reach.
void add_endpoint(const machine& m, bus& b, bool source, const std::string& e, const std::string& origin,
                  const std::string& path) {
  std::vector<std::uint8_t>& reach = source ? b.reads : b.writes;
  if (e == "*") {
    for (unsigned u = 0; u < m.units.size(); ++u) {
      const unit& x = m.units[u];
      if (!x.has_ports()) {
        if (x.width <= b.width && (source || x.type == unit_type::registers)) reach[u * max_ports] = 1;
        continue;
      }
      for (unsigned p = 0; p < x.ports.size(); ++p) {
        const bool out = x.ports[p].r == role::result;
        if (out == source && x.ports[p].width <= b.width) reach[u * max_ports + p] = 1;
      }
    }
    return;
  }
  const std::size_t dot = e.find('.');
  const std::string un = e.substr(0, dot);
  const int u = m.find_unit(un);
  if (u < 0) fail(origin, path, "no unit '" + un + "'");
  const unit& x = m.units[static_cast<unsigned>(u)];
  if (!x.has_ports()) {
    if (dot != std::string::npos) fail(origin, path, "'" + un + "' has registers, not ports: name it alone");
    if (!source && x.type == unit_type::immediate)
      fail(origin, path, "an immediate unit is written by long immediates only, not by a bus");
    reach[static_cast<unsigned>(u) * max_ports] = 1;
    return;
  }
  if (dot == std::string::npos) fail(origin, path, "'" + un + "' has ports: name one (" + un + ".PORT)");
  const std::string pn = e.substr(dot + 1);
  for (unsigned p = 0; p < x.ports.size(); ++p) {
    if (x.ports[p].name != pn) continue;
    if ((x.ports[p].r == role::result) != source)
      fail(origin, path, "'" + e + "' is " + (source ? "an input port: not a source" : "a result port: not a destination"));
    reach[static_cast<unsigned>(u) * max_ports + p] = 1;
    return;
  }
  fail(origin, path, "unit '" + un + "' has no port '" + pn + "'");
}

void parse_buses(machine& m, object& top) {
  const json& list = top.array("buses", 1, max_buses);
  std::set<std::string> names;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string bp = top.path("buses") + "/" + std::to_string(i);
    object o(list[i], top.origin(), bp);
    bus b;
    b.name = name_of(o);
    if (!names.insert(b.name).second) fail(top.origin(), o.path("name"), "duplicate bus '" + b.name + "'");
    b.width = static_cast<unsigned>(o.number("width", 1, max_value_bits));
    b.simm_bits = static_cast<unsigned>(o.number("simm_bits", 0, 32));
    if (b.simm_bits > b.width) fail(top.origin(), o.path("simm_bits"), "wider than the bus");
    b.reads.assign(m.units.size() * max_ports, 0);
    b.writes.assign(m.units.size() * max_ports, 0);
    for (const bool source : {true, false}) {
      const char* key = source ? "sources" : "destinations";
      const json& eps = o.array(key, 0, 4096);
      for (std::size_t k = 0; k < eps.size(); ++k) {
        const std::string ep = o.path(key) + "/" + std::to_string(k);
        if (!eps[k].is_string()) fail(top.origin(), ep, "expected \"unit.port\", \"unit\" or \"*\"");
        add_endpoint(m, b, source, eps[k].get<std::string>(), top.origin(), ep);
      }
    }
    o.finish();
    m.buses.push_back(std::move(b));
  }
}

// Every port is reached by a bus; every register file and immediate unit can be read.
void check_reach(const machine& m, const std::string& origin) {
  for (unsigned u = 0; u < m.units.size(); ++u) {
    const unit& x = m.units[u];
    const std::string up = "/units/" + std::to_string(u);
    if (!x.has_ports()) {
      bool read = false, written = x.type == unit_type::immediate;
      for (const bus& b : m.buses) {
        read = read || b.can_read(u, 0);
        written = written || b.can_write(u, 0);
      }
      if (!read) fail(origin, up, "no bus reads '" + x.name + "'");
      if (!written) fail(origin, up, "no bus writes '" + x.name + "'");
      continue;
    }
    for (unsigned p = 0; p < x.ports.size(); ++p) {
      bool reached = false;
      for (const bus& b : m.buses) reached = reached || (x.ports[p].r == role::result ? b.can_read(u, p) : b.can_write(u, p));
      if (!reached) fail(origin, up + "/ports/" + std::to_string(p), "port '" + x.name + "." + x.ports[p].name + "' is reachable by no bus");
    }
  }
}

unsigned bits_for(std::uint64_t choices) {
  unsigned b = 0;
  while ((std::uint64_t{1} << b) < choices) ++b;
  return b;
}

// Per bus: the guard field (no guard, or a guard register true or false), the source field (a
// reachable source, or a flag and a short immediate) and the destination field (operand ports,
// registers, and a trigger port once per operation).
unsigned instruction_bits(const machine& m) {
  unsigned total = 0;
  const std::size_t g = m.guards.size();
  for (const bus& b : m.buses) {
    std::uint64_t sources = 0, destinations = 0;
    for (unsigned u = 0; u < m.units.size(); ++u) {
      const unit& x = m.units[u];
      if (!x.has_ports()) {
        if (b.can_read(u, 0)) sources += x.registers;
        if (b.can_write(u, 0)) destinations += x.registers;
        continue;
      }
      for (unsigned p = 0; p < x.ports.size(); ++p) {
        if (b.can_read(u, p)) ++sources;
        if (b.can_write(u, p)) destinations += x.ports[p].r == role::trigger ? x.ops.size() : 1;
      }
    }
    const unsigned src = b.simm_bits > 0 ? 1 + std::max(bits_for(sources), b.simm_bits) : bits_for(sources);
    total += bits_for(1 + 2 * g) + src + bits_for(destinations + 1);  // + 1: no move
  }
  return total;
}

}  // namespace

const op_info* find_op(const std::string& name) {
  for (const op_info& o : ops)
    if (name == o.name) return &o;
  return nullptr;
}

const op_info& info(op code) {
  return ops.at(static_cast<std::size_t>(code));
}

int machine::find_unit(const std::string& n) const {
  for (std::size_t i = 0; i < units.size(); ++i)
    if (units[i].name == n) return static_cast<int>(i);
  return -1;
}

machine parse(const std::string& text, const std::string& origin) {
  const json j = parse_json(text, origin);
  machine m;
  m.source = origin;
  object top(j, origin, "");
  m.name = name_of(top);
  parse_memories(m, top);
  const json& units = top.array("units", 1, max_units);
  std::set<std::string> names;
  bool control = false;
  for (std::size_t i = 0; i < units.size(); ++i) {
    object o(units[i], origin, "/units/" + std::to_string(i));
    unit u = parse_unit(o);
    if (!names.insert(u.name).second) fail(origin, o.path("name"), "duplicate unit '" + u.name + "'");
    if (u.type == unit_type::control) {
      if (control) fail(origin, o.path("type"), "a second control unit");
      control = true;
      m.control = static_cast<unsigned>(i);
    }
    if (u.guard) {
      u.guard_base = static_cast<unsigned>(m.guards.size());
      for (unsigned r = 0; r < u.registers; ++r) m.guards.push_back({static_cast<unsigned>(i), r});
      if (m.guards.size() > max_guards) fail(origin, o.path("registers"), "more than 16 guard registers in all");
    }
    m.units.push_back(std::move(u));
  }
  if (!control) fail(origin, "/units", "no control unit");
  parse_buses(m, top);
  top.finish();
  check_reach(m, origin);
  m.insn_bits = instruction_bits(m);
  return m;
}

machine load(const std::string& file) {
  if (file.empty()) return parse(builtin_text(), "braintta.json (built in)");
  return parse(read_description(file, "machine description"), file);
}

}  // namespace edgevp::accel::tta

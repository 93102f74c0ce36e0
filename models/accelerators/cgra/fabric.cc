#include "models/accelerators/cgra/fabric.h"

#include <cstdlib>
#include <set>

#include "models/accelerators/json_reader.h"

namespace edgevp::accel::cgra {

namespace {

constexpr const char* type_names[unit_type_count] = {"id", "imm", "alu", "mul", "lsu", "rf", "abu", "dot8"};

unit parse_unit(json_object& o) {
  unit u;
  u.name = o.name();
  const std::string t = o.text("type");
  bool known = false;
  for (unsigned i = 0; i < unit_type_count; ++i) {
    if (t == type_names[i]) {
      u.type = static_cast<unit_type>(i);
      known = true;
    }
  }
  if (!known) o.fail("type", "'" + t + "' is not id, imm, alu, mul, lsu, rf, abu or dot8");
  u.x = static_cast<unsigned>(o.number("x", 0, 255));
  u.y = static_cast<unsigned>(o.number("y", 0, 255));
  if (u.type == unit_type::rf || u.type == unit_type::imm) u.registers = static_cast<unsigned>(o.number("registers", 1, 256));
  o.finish();
  return u;
}

}  // namespace

const char* type_name(unit_type t) {
  return type_names[static_cast<unsigned>(t)];
}

unsigned unit::inputs() const {
  switch (type) {
    case unit_type::id:
    case unit_type::imm: return 0;
    case unit_type::rf:
    case unit_type::abu: return 1;
    default: return 2;
  }
}

unsigned fabric::hops(unsigned a, unsigned b) const {
  const unit& p = units[a];
  const unit& q = units[b];
  return static_cast<unsigned>(std::abs(static_cast<int>(p.x) - static_cast<int>(q.x)) +
                               std::abs(static_cast<int>(p.y) - static_cast<int>(q.y)));
}

fabric parse(const std::string& text, const std::string& origin) {
  const json j = parse_json(text, origin);
  fabric f;
  f.source = origin;
  json_object top(j, origin, "");
  f.name = top.name();
  {
    json_object m(top.at("memory"), origin, top.path("memory"));
    f.banks = static_cast<unsigned>(m.number("banks", 1, 64));
    f.bank_bytes = m.number("bank_bytes", 4, 1u << 20);
    if (f.bank_bytes % 4 != 0) m.fail("bank_bytes", std::to_string(f.bank_bytes) + " is not a multiple of 4");
    m.finish();
  }
  {
    json_object m(top.at("imem"), origin, top.path("imem"));
    f.imem = static_cast<unsigned>(m.number("instructions", 1, max_imem));
    m.finish();
  }
  for (const char* net : {"data_network", "control_network"}) {
    json_object m(top.at(net), origin, top.path(net));
    (std::string(net) == "data_network" ? f.data_hops : f.control_hops) =
        static_cast<unsigned>(m.number("max_hops", 0, 512));
    m.finish();
  }
  const json& list = top.array("units", 1, max_units);
  std::set<std::string> names;
  for (std::size_t i = 0; i < list.size(); ++i) {
    json_object o(list[i], origin, top.path("units") + "/" + std::to_string(i));
    unit u = parse_unit(o);
    if (!names.insert(u.name).second) o.fail("name", "duplicate unit '" + u.name + "'");
    if (u.type == unit_type::id) {
      if (f.decoders.size() == max_decoders) o.fail("type", "more than 32 decoders");
      u.decoder = static_cast<unsigned>(f.decoders.size());
      f.decoders.push_back(static_cast<unsigned>(i));
    }
    f.units.push_back(std::move(u));
  }
  if (f.decoders.empty()) top.fail("units", "no instruction decoder (type id)");
  top.finish();
  return f;
}

fabric load(const std::string& file) {
  if (file.empty()) return parse(builtin_text(), "blocks.json (built in)");
  return parse(read_description(file, "fabric description"), file);
}

}  // namespace edgevp::accel::cgra

#include "models/core/block.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace edgevp::core {

std::vector<param_spec> block_instance_keys() {
  using ps = param_spec;
  const sc_core::sc_time zero = sc_core::SC_ZERO_TIME;
  return {
      ps::string("kind", "", "block kind").computed_default("the instance's name"),
      ps::integer("base", 0, 0, 0xFFFFFFFFull, "base address").computed_default("the kind's"),
      ps::integer("size", 0x1000, 4, 0x100000000ull, "register window size", "bytes")
          .computed_default("the kind's"),
      ps::integer("irq", 0, 1, 31, "interrupt-controller source").computed_default("the kind's"),
      ps::time("latency", zero, zero, sc_core::sc_time(1, sc_core::SC_SEC),
               "extra latency per access at the interconnect"),
      ps::choice(
          "impl", "tlm", {"tlm", "rtl"},
          "implementation: tlm (the model) or rtl (the verilated RTL behind an AXI4-Lite bridge, clocked at "
          "100 MHz while it has work)"),
      ps::integer(
          "rtl.timeout", 1000, 1, 100000000,
          "impl=rtl: cycles a register access may wait for the RTL's handshakes before it is an error",
          "cycles"),
      ps::energy("power.access", 1e-12, "energy per register access").computed_default("the kind's"),
      ps::power("power.leakage", 0.0, "leakage while powered").computed_default("the kind's"),
      ps::power("power.background", 0.0, "dynamic power while clocked").computed_default("the kind's"),
  };
}

void set_block_key(block_instance& b, const std::string& key, const param_value& v) {
  if (key == "kind")
    b.kind = v.text;
  else if (key == "base")
    b.base = v.integer;
  else if (key == "size")
    b.size = v.integer;
  else if (key == "irq")
    b.irq = static_cast<unsigned>(v.integer);
  else if (key == "latency")
    b.latency = v.time;
  else if (key == "impl")
    b.impl = v.text;
  else if (key == "rtl.timeout")
    b.rtl_timeout = v.integer;
  else if (key == "power.access")
    b.power.access = v.curve;
  else if (key == "power.leakage")
    b.power.leakage = v.curve;
  else if (key == "power.background")
    b.power.background = v.curve;
  else
    throw param_error("option '" + b.name + "." + key + "': not a key of a block instance");
}

void block_registry::add(block_kind k) {
  if (find(k.name) != nullptr) throw std::logic_error("block kind '" + k.name + "' registered twice");
  m_kinds.push_back(std::move(k));
}

void block_registry::add_rtl(
    const std::string& kind,
    std::function<std::unique_ptr<peripheral>(const block_instance&, const block_env&)> make) {
  for (block_kind& k : m_kinds) {
    if (k.name != kind) continue;
    if (k.make_rtl) throw std::logic_error("block kind '" + kind + "' has an RTL implementation already");
    k.make_rtl = std::move(make);
    return;
  }
  throw std::logic_error("RTL implementation of an unknown block kind '" + kind + "'");
}

const block_kind* block_registry::find(const std::string& name) const {
  for (const block_kind& k : m_kinds)
    if (k.name == name) return &k;
  return nullptr;
}

std::string block_registry::names() const {
  std::string s;
  for (const block_kind& k : m_kinds) s += (s.empty() ? "" : ", ") + k.name;
  return s;
}

std::string block_registry::rtl_kinds() const {
  std::string s;
  for (const block_kind& k : m_kinds)
    if (k.make_rtl) s += (s.empty() ? "" : ", ") + k.name;
  return s.empty() ? std::string("no kind") : s;
}

block_instance block_registry::defaults(const std::string& name, const std::string& kind) const {
  block_instance b;
  b.name = name;
  b.kind = kind;
  const block_kind* k = find(kind);
  if (k == nullptr) return b;
  b.base = k->base;
  b.size = k->size;
  b.irq = k->irq;
  b.power = k->default_power;
  return b;
}

void block_registry::check(const block_instance& b) const {
  const block_kind* k = find(b.kind);
  if (k == nullptr)
    throw param_error("option '" + b.name + ".kind': unknown block kind '" + b.kind + "' (known: " + names() +
                      ")");
  if (b.impl != "tlm" && b.impl != "rtl")
    throw param_error("option '" + b.name + ".impl': '" + b.impl + "' is not an implementation (tlm, rtl)");
  if (b.impl == "rtl" && !k->make_rtl)
    throw param_error("option '" + b.name + ".impl': kind " + b.kind +
                      " has no RTL implementation (RTL exists for " + rtl_kinds() + ")");
}

std::unique_ptr<peripheral> block_registry::make(block_instance b, const block_env& env) const {
  check(b);
  const block_kind& k = *find(b.kind);
  b.params = param_values(k.keys, b.params.all(), b.name + ".");
  return b.impl == "rtl" ? k.make_rtl(b, env) : k.make(b, env);
}

}  // namespace edgevp::core

#include "models/accelerators/registry.h"

#include <algorithm>
#include <sstream>
#include <stdexcept>

#include "models/accelerators/device.h"
#include "models/core/errors.h"

namespace edgevp::accel {

std::vector<param_spec> instance_keys() {
  using ps = param_spec;
  const sc_core::sc_time zero = sc_core::SC_ZERO_TIME;
  const sc_core::sc_time second(1, sc_core::SC_SEC);
  return {
      ps::string("kind", "", "accelerator kind").computed_default("cim0: cim-digital, cim1: cim-analog, snn0: snn, tta0: tta, cgra0: cgra, else none"),
      ps::integer("base", 0, 0, 0xFFFFFFFFull, "base address").computed_default("0x11000000 + 0x10000 x its index in accel"),
      ps::integer("size", 0x10000, 4, 0x100000000ull, "register window size", "bytes"),
      ps::integer("irq", 0, 1, 31, "interrupt-controller source").computed_default("8 + its index in accel"),
      ps::time("latency", zero, zero, second, "extra interconnect latency per access to its window"),
      ps::integer("dma.burst", 64, 4, 4096, "bytes per DMA transaction", "bytes"),
      ps::choice("impl", "tlm", {"tlm", "rtl", "lockstep"},
                 "implementation: tlm (the model), rtl (the verilated RTL behind AXI bridges), lockstep (the RTL "
                 "with the model fed every job; the first mismatch ends the run)"),
      ps::integer("rtl.timeout", 1000, 1, 100000000,
                  "impl rtl/lockstep: cycles a register access may wait for the RTL's handshakes before it is an error",
                  "cycles"),
      ps::boolean("rtl.fault", false,
                  "impl rtl/lockstep, test only: the RTL's fault switch (flips a bit of each MVM's first output byte)"),
      ps::energy("power.access", 1e-12, "energy per register access"),
      ps::power("power.leakage", 0.0, "leakage while powered").computed_default("the kind's"),
      ps::power("power.background", 0.0, "dynamic power while clocked"),
  };
}

void set_instance_key(instance& a, const std::string& key, const param_value& v) {
  if (key == "kind") a.kind = v.text;
  else if (key == "base") a.base = v.integer;
  else if (key == "size") a.size = v.integer;
  else if (key == "irq") a.irq = static_cast<unsigned>(v.integer);
  else if (key == "latency") a.latency = v.time;
  else if (key == "dma.burst") a.dma_burst = v.integer;
  else if (key == "impl") a.impl = v.text;
  else if (key == "rtl.timeout") a.rtl_timeout = v.integer;
  else if (key == "rtl.fault") a.rtl_fault = v.boolean;
  else if (key == "power.access") a.power.access = v.curve;
  else if (key == "power.leakage") a.power.leakage = v.curve;
  else if (key == "power.background") a.power.background = v.curve;
  else throw core::param_error("option '" + a.name + "." + key + "': not a key of an accelerator instance");
}

core::power::curve instance::power_source(const std::string& n, const core::power::curve& fallback) const {
  auto it = power_overrides.find(n);
  return it != power_overrides.end() ? it->second : fallback;
}

void registry::add(kind_info k) {
  for (const kind_info& o : m_kinds)
    if (o.name == k.name || o.code == k.code)
      throw std::logic_error("accelerator kind '" + k.name + "' registered twice (name or code)");
  m_kinds.push_back(std::move(k));
  std::sort(m_kinds.begin(), m_kinds.end(),
            [](const kind_info& a, const kind_info& b) { return a.name < b.name; });
}

void registry::add_rtl(const std::string& kind, std::function<std::unique_ptr<device>(const instance&)> make) {
  for (kind_info& k : m_kinds) {
    if (k.name != kind) continue;
    if (k.make_rtl) throw std::logic_error("accelerator kind '" + kind + "' has an RTL implementation already");
    k.make_rtl = std::move(make);
    return;
  }
  throw std::logic_error("RTL implementation of an unknown accelerator kind '" + kind + "'");
}

const kind_info* registry::find(const std::string& n) const {
  for (const kind_info& k : m_kinds)
    if (k.name == n) return &k;
  return nullptr;
}

std::string registry::names() const {
  std::string s;
  for (const kind_info& k : m_kinds) s += (s.empty() ? "" : ", ") + k.name;
  return s;
}

std::unique_ptr<device> registry::make(instance inst) const {
  check(inst);
  const kind_info& k = *find(inst.kind);
  inst.params = core::param_values(k.keys, inst.params.all(), inst.name + ".");
  if (inst.impl == "tlm") return k.make(inst);
  return k.make_rtl(inst);
}

void registry::check(const instance& inst) const {
  const kind_info* k = find(inst.kind);
  if (k == nullptr)
    throw core::param_error("option '" + inst.name + ".kind': unknown accelerator kind '" + inst.kind +
                            "' (known: " + names() + ")");
  for (const auto& entry : inst.power_overrides) {
    const std::string& n = entry.first;  // (a structured binding cannot be captured in C++17)
    const bool known =
        std::any_of(k->power.begin(), k->power.end(), [&](const param_spec& ps) { return ps.key == n; });
    if (!known)
      throw core::param_error("option '" + inst.name + ".power." + n + "': not a power source of kind " + inst.kind);
  }
  if (inst.impl != "tlm" && inst.impl != "rtl" && inst.impl != "lockstep")
    throw core::param_error("option '" + inst.name + ".impl': '" + inst.impl +
                            "' is not an implementation (tlm, rtl, lockstep)");
  if (inst.impl != "tlm" && !k->make_rtl)
    throw core::param_error("option '" + inst.name + ".impl': kind " + inst.kind +
                            " has no RTL implementation (RTL exists for " + rtl_kinds() + ")");
}

std::string registry::rtl_kinds() const {
  std::string s;
  for (const kind_info& k : m_kinds)
    if (k.make_rtl) s += (s.empty() ? "" : ", ") + k.name;
  return s.empty() ? std::string("no kind") : s;
}

}  // namespace edgevp::accel

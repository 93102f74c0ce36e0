#include "models/accelerators/registry.h"

#include <algorithm>
#include <sstream>
#include <stdexcept>

#include "models/accelerators/accelerator.h"
#include "models/core/errors.h"

namespace edgevp::accel {

std::string param::str() const {
  std::ostringstream os;
  switch (type) {
    case param_type::integer: os << integer; break;
    case param_type::real: os << real; break;
    case param_type::time: os << time.to_string(); break;
    case param_type::boolean: os << (boolean ? "true" : "false"); break;
  }
  return os.str();
}

namespace {
const param& lookup(const instance& inst, const std::string& key, param_type type) {
  auto it = inst.params.find(key);
  if (it == inst.params.end() || it->second.type != type)
    throw core::config_error(inst.name + "." + key + ": no such " + inst.kind + " key of that type");
  return it->second;
}
}  // namespace

std::uint64_t instance::integer(const std::string& key) const {
  return lookup(*this, key, param_type::integer).integer;
}
double instance::real(const std::string& key) const {
  return lookup(*this, key, param_type::real).real;
}
sc_core::sc_time instance::time(const std::string& key) const {
  return lookup(*this, key, param_type::time).time;
}
bool instance::boolean(const std::string& key) const {
  return lookup(*this, key, param_type::boolean).boolean;
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

std::unique_ptr<accelerator> registry::make(instance inst) const {
  const kind_info* k = find(inst.kind);
  if (k == nullptr)
    throw core::config_error(inst.name + ".kind: unknown accelerator kind '" + inst.kind +
                             "' (known: " + names() + ")");
  for (const key_spec& ks : k->keys)
    if (inst.params.count(ks.key) == 0) inst.params[ks.key] = ks.default_value;
  for (const auto& [key, value] : inst.params) {
    const bool known =
        std::any_of(k->keys.begin(), k->keys.end(), [&](const key_spec& ks) { return ks.key == key; });
    if (!known) throw core::config_error(inst.name + "." + key + ": not a key of kind " + inst.kind);
  }
  for (const auto& [n, value] : inst.power_overrides) {
    const bool known =
        std::any_of(k->power.begin(), k->power.end(), [&](const power_spec& ps) { return ps.name == n; });
    if (!known)
      throw core::config_error(inst.name + ".power." + n + ": not a power source of kind " + inst.kind);
  }
  if (inst.impl == "tlm") return k->make(inst);
  if (inst.impl != "rtl" && inst.impl != "lockstep")
    throw core::config_error(inst.name + ".impl: '" + inst.impl + "' is not an implementation (tlm, rtl, lockstep)");
  if (!k->make_rtl)
    throw core::config_error(inst.name + ".impl = " + inst.impl + ": kind " + inst.kind +
                             " has no RTL implementation (" + rtl_kinds() + " have)");
  return k->make_rtl(inst);
}

std::string registry::rtl_kinds() const {
  std::string s;
  for (const kind_info& k : m_kinds)
    if (k.make_rtl) s += (s.empty() ? "" : ", ") + k.name;
  return s.empty() ? std::string("no kind") : s;
}

}  // namespace edgevp::accel

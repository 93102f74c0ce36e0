#include "platform/instances.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <sstream>

#include "models/core/errors.h"
#include "models/rtl/implementations.h"
#include "platform/soc.h"

namespace edgevp::platform {

namespace po = boost::program_options;
using core::param_spec;
using core::param_value;

const accel::registry& accel_kinds() {
  return rtl::kinds();
}
const core::block_registry& block_kinds() {
  return rtl::blocks();
}

declared_keys accel_keys(const accel::kind_info* k) {
  declared_keys keys;
  for (param_spec ps : accel::instance_keys()) {
    if (ps.key == "kind") ps.help += " (" + accel_kinds().names() + ")";
    if (ps.key == "impl") ps.help += "; RTL exists for " + accel_kinds().rtl_kinds();
    keys.emplace_back(ps.key, ps);
  }
  if (k == nullptr) return keys;
  for (const param_spec& ps : k->keys) keys.emplace_back(ps.key, ps);
  for (const param_spec& ps : k->power) keys.emplace_back("power." + ps.key, ps);
  return keys;
}

declared_keys block_keys(const core::block_kind* k) {
  declared_keys keys;
  for (param_spec ps : core::block_instance_keys()) {
    if (ps.key == "kind") ps.help += " (" + block_kinds().names() + ")";
    if (ps.key == "impl") ps.help += "; RTL exists for " + block_kinds().rtl_kinds();
    keys.emplace_back(ps.key, ps);
  }
  if (k == nullptr) return keys;
  for (const param_spec& ps : k->keys) keys.emplace_back(ps.key, ps);
  return keys;
}

void add_declared_options(po::options_description& d, const std::string& name, const declared_keys& keys) {
  for (const auto& [key, ps] : keys)
    d.add_options()((name + "." + key).c_str(), po::value<std::string>(), ps.describe().c_str());
}

namespace {

// Names of the SoC's fixed parts and of the configuration's sections: no instance takes them.
const char* const reserved[] = {"accel", "peripherals", "cpu",      "bus",    "rom",  "clint",
                                "intc",  "syscon",      "pmu",      "emram",  "sram", "aon",
                                "soc",   "peripheral",  "scenario", "expect", "none"};

// `list` (the value of `option`) as instance names, checked.
std::vector<std::string> instance_names(const std::string& option, const std::string& list) {
  std::vector<std::string> names;
  std::string cur;
  std::istringstream in(list);
  while (std::getline(in, cur, ',')) {
    const auto b = cur.find_first_not_of(" \t");
    const auto e = cur.find_last_not_of(" \t");
    names.push_back(b == std::string::npos ? std::string() : cur.substr(b, e - b + 1));
  }
  if (names.size() == 1 && names[0] == "none") return {};
  if (list.find_first_not_of(" \t") == std::string::npos)
    throw usage_error("option '" + option + "' is empty: list the instances, or give none");
  if (!list.empty() && list.back() == ',') names.emplace_back();  // getline drops a trailing empty item
  const std::string o = "option '" + option + "': ";
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::string& n = names[i];
    if (n.empty()) throw usage_error(o + "an empty item in '" + list + "'");
    bool ok = std::islower(static_cast<unsigned char>(n[0])) != 0;
    for (char ch : n)
      ok = ok && (std::islower(static_cast<unsigned char>(ch)) != 0 ||
                  std::isdigit(static_cast<unsigned char>(ch)) != 0 || ch == '_');
    if (n == "none") throw usage_error(o + "none cannot be combined with instances");
    // accel<i> would collide with the memory map's EDGEVP_ACCEL<i>_* names.
    if (n.size() > 5 && n.compare(0, 5, "accel") == 0 &&
        n.find_first_not_of("0123456789", 5) == std::string::npos)
      throw usage_error(o + "'" + n + "' is reserved (the memory map names instances accel<i> by index)");
    if (!ok)
      throw usage_error(o + "'" + n +
                        "' is not an instance name (lower-case letter, then letters, digits, _)");
    for (const char* r : reserved)
      if (n == r) throw usage_error(o + "'" + n + "' is the name of another block");
    for (std::size_t k = 0; k < i; ++k)
      if (names[k] == n) throw usage_error(o + "'" + n + "' is listed twice");
  }
  return names;
}

std::string kind_given(const std::string& name, const std::vector<std::pair<std::string, std::string>>& kinds,
                       std::string fallback) {
  for (const auto& [key, value] : kinds)
    if (key == name + ".kind") return value;
  return fallback;
}

std::string dir_of_origin(const given_value& g) {
  // A report's values are resolved already; a file's are relative to it.
  if (g.file.empty() || (g.origin != "file" && g.origin != "scenario")) return "";
  const auto slash = g.file.find_last_of('/');
  return slash == std::string::npos ? std::string(".") : g.file.substr(0, slash);
}

// Parses every value given for instance `name` against `keys` and hands it to `set`.
template <typename Set>
void parse_given(const po::variables_map& vm, std::map<std::string, given_value>& given,
                 const std::string& name, const declared_keys& keys, Set set) {
  for (std::size_t j = 0; j < keys.size(); ++j) {
    const auto& [key, ps] = keys[j];
    const std::string full = name + "." + key;
    if (vm.count(full) == 0) continue;
    auto g = given.find(full);
    const std::string base_dir = g == given.end() ? "" : dir_of_origin(g->second);
    try {
      const param_value v = ps.parse(vm[full].as<std::string>(), base_dir, name + ".");
      if (v.type == core::param_type::path && g != given.end()) g->second.values = {v.text};
      set(j, key, ps, v);
    } catch (const core::param_error& e) {
      throw usage_error(source_of(given, full) + e.what());
    }
  }
}

}  // namespace

std::string source_of(const std::map<std::string, given_value>& given, const std::string& key) {
  auto g = given.find(key);
  return g == given.end() || g->second.file.empty() ? std::string() : g->second.file + ": ";
}

instance_decls declare_instances(const std::string& peripherals, const std::string& accel,
                                 const std::vector<std::pair<std::string, std::string>>& kinds) {
  instance_decls d;
  const std::vector<std::string> blocks =
      instance_names("peripherals", peripherals.empty() ? "uart,rtc,gpio" : peripherals);
  const std::vector<std::string> accels = instance_names("accel", accel.empty() ? default_accel_list : accel);
  for (const std::string& n : accels)
    if (std::find(blocks.begin(), blocks.end(), n) != blocks.end())
      throw usage_error("option 'accel': '" + n + "' is the name of another block");
  for (const std::string& n : blocks) {
    const std::string kind = kind_given(n, kinds, block_kinds().find(n) != nullptr ? n : "");
    if (kind.empty())
      throw usage_error("peripheral '" + n + "' has no kind: give '" + n + ".kind' (" +
                        block_kinds().names() + ")");
    if (block_kinds().find(kind) == nullptr)
      throw usage_error("option '" + n + ".kind': unknown block kind '" + kind +
                        "' (known: " + block_kinds().names() + ")");
    d.blocks.push_back({n, kind});
  }
  for (const std::string& n : accels) {
    const std::string kind = kind_given(n, kinds, default_kind(n));
    if (kind.empty())
      throw usage_error("accelerator '" + n + "' has no kind: give '" + n + ".kind' (" +
                        accel_kinds().names() + ")");
    if (accel_kinds().find(kind) == nullptr)
      throw usage_error("option '" + n + ".kind': unknown accelerator kind '" + kind +
                        "' (known: " + accel_kinds().names() + ")");
    d.accels.push_back({n, kind});
  }
  return d;
}

po::options_description instance_description(const instance_decls& decls) {
  po::options_description d("Peripheral and accelerator instances");
  for (const instance_decl& b : decls.blocks)
    add_declared_options(d, b.name, block_keys(block_kinds().find(b.kind)));
  for (const instance_decl& a : decls.accels)
    add_declared_options(d, a.name, accel_keys(accel_kinds().find(a.kind)));
  return d;
}

void make_instances(const po::variables_map& vm, const instance_decls& decls,
                    std::map<std::string, given_value>& given, soc_config& soc) {
  soc.blocks.clear();
  for (const instance_decl& d : decls.blocks) {
    const core::block_kind& k = *block_kinds().find(d.kind);
    core::block_instance b = block_kinds().defaults(d.name, d.kind);
    const std::size_t common = core::block_instance_keys().size();
    parse_given(vm, given, d.name, block_keys(&k),
                [&](std::size_t j, const std::string& key, const param_spec& ps, const param_value& v) {
                  if (j < common)
                    core::set_block_key(b, key, v);
                  else
                    b.params.set(ps.key, v);
                });
    try {
      block_kinds().check(b);
    } catch (const core::param_error& e) {
      throw usage_error(e.what());
    }
    soc.blocks.push_back(std::move(b));
  }
  soc.accels.clear();
  for (std::size_t i = 0; i < decls.accels.size(); ++i) {
    const instance_decl& d = decls.accels[i];
    const accel::kind_info& k = *accel_kinds().find(d.kind);
    accel::instance a;
    a.name = d.name;
    a.kind = d.kind;
    a.base = accel_window_base + accel_window_size * i;
    a.size = accel_window_size;
    a.irq = accel_first_irq + static_cast<unsigned>(i);
    a.power = k.default_power;
    const std::size_t common = accel::instance_keys().size();
    parse_given(vm, given, d.name, accel_keys(&k),
                [&](std::size_t j, const std::string& key, const param_spec& ps, const param_value& v) {
                  if (j < common)
                    accel::set_instance_key(a, key, v);
                  else if (key.rfind("power.", 0) == 0)
                    a.power_overrides[ps.key] = v.curve;
                  else
                    a.params.set(ps.key, v);
                });
    try {
      accel_kinds().check(a);
    } catch (const core::param_error& e) {
      throw usage_error(e.what());
    }
    soc.accels.push_back(std::move(a));
  }
}

namespace {
std::string hex(std::uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof(buf), "0x%08llx", static_cast<unsigned long long>(v));
  return buf;
}
std::string text_of(core::param_type t, const core::power::curve& c) {
  param_value v;
  v.type = t;
  v.curve = c;
  return v.str();
}
}  // namespace

void echo_instance_defaults(const soc_config& soc, std::map<std::string, given_value>& configuration) {
  auto list = [&](const std::string& key, std::string names) {
    if (configuration.count(key) == 0)
      configuration[key] = {{names.empty() ? std::string("none") : names}, "default", ""};
  };
  std::string names;
  for (const core::block_instance& b : soc.blocks) names += (names.empty() ? "" : ",") + b.name;
  list("peripherals", names);
  names.clear();
  for (const accel::instance& a : soc.accels) names += (names.empty() ? "" : ",") + a.name;
  list("accel", names);

  for (const core::block_instance& b : soc.blocks) {
    auto add = [&](const std::string& key, const std::string& value) {
      if (configuration.count(b.name + "." + key) == 0)
        configuration[b.name + "." + key] = {{value}, "default", ""};
    };
    add("kind", b.kind);
    add("base", hex(b.base));
    add("size", hex(b.size));
    if (b.irq != 0) add("irq", std::to_string(b.irq));
    add("power.access", text_of(core::param_type::energy, b.power.access));
    add("power.leakage", text_of(core::param_type::power, b.power.leakage));
    add("power.background", text_of(core::param_type::power, b.power.background));
    for (const auto& [key, ps] : block_keys(block_kinds().find(b.kind)))
      if (ps.has_default() && !ps.default_value.str().empty()) add(key, ps.default_value.str());
  }
  for (const accel::instance& a : soc.accels) {
    auto add = [&](const std::string& key, const std::string& value) {
      if (configuration.count(a.name + "." + key) == 0)
        configuration[a.name + "." + key] = {{value}, "default", ""};
    };
    add("kind", a.kind);
    add("base", hex(a.base));
    add("irq", std::to_string(a.irq));
    add("power.leakage", text_of(core::param_type::power, a.power.leakage));
    for (const auto& [key, ps] : accel_keys(accel_kinds().find(a.kind)))
      if (ps.has_default()) add(key, ps.default_value.str());
  }
}

}  // namespace edgevp::platform

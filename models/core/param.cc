#include "models/core/param.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <sstream>
#include <utility>

#include "models/core/units.h"

namespace edgevp::core {

const char* param_type_name(param_type t) {
  switch (t) {
    case param_type::integer: return "integer";
    case param_type::real: return "real";
    case param_type::time: return "time";
    case param_type::frequency: return "frequency";
    case param_type::voltage: return "voltage";
    case param_type::boolean: return "boolean";
    case param_type::choice: return "choice";
    case param_type::string: return "string";
    case param_type::path: return "path";
    case param_type::list: return "list";
    case param_type::energy: return "energy";
    case param_type::power: return "power";
  }
  return "?";
}

namespace {

std::string join(const std::vector<std::string>& v, const char* sep = ", ") {
  std::string s;
  for (const std::string& x : v) s += (s.empty() ? "" : sep) + x;
  return s;
}

std::string real_text(double v) {
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%.17g", v);
  // The shortest text that reads back exactly.
  for (int p = 6; p < 17; ++p) {
    char s[40];
    std::snprintf(s, sizeof(s), "%.*g", p, v);
    if (std::strtod(s, nullptr) == v) return s;
  }
  return buf;
}

std::string time_text(const sc_core::sc_time& t) {
  // Exact, in the largest unit that divides it: "14400ps" reads "14.4ns" and back.
  const std::uint64_t ps = static_cast<std::uint64_t>(std::llround(t.to_seconds() * 1e12));
  static const struct {
    const char* u;
    std::uint64_t ps;
  } units[] = {{"s", 1000000000000ull}, {"ms", 1000000000ull}, {"us", 1000000ull}, {"ns", 1000ull}};
  for (const auto& u : units)
    if (ps != 0 && ps % (u.ps / 1000) == 0 && ps >= u.ps)
      return real_text(static_cast<double>(ps) / u.ps) + u.u;
  return std::to_string(ps) + "ps";
}

std::string freq_text(double hz) {
  static const struct {
    const char* u;
    double m;
  } units[] = {{"GHz", 1e9}, {"MHz", 1e6}, {"kHz", 1e3}};
  for (const auto& u : units)
    if (hz >= u.m) return real_text(hz / u.m) + u.u;
  return real_text(hz) + "Hz";
}

// Exact (unlike format_curve's 6 digits): a report's echo must rerun to the same joules.
std::string curve_text(const power::curve& c, char unit) {
  if (!c.is_table()) return real_text(c.value()) + unit;
  std::string s;
  for (const auto& [v, q] : c.points())
    s += (s.empty() ? "" : ",") + real_text(v) + "V:" + real_text(q) + unit;
  return s;
}

std::optional<bool> parse_bool(const std::string& s) {
  if (s == "true" || s == "1" || s == "yes" || s == "on") return true;
  if (s == "false" || s == "0" || s == "no" || s == "off") return false;
  return std::nullopt;
}

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  if (trim(s).empty()) return out;
  std::size_t pos = 0;
  while (pos <= s.size()) {
    const std::size_t comma = std::min(s.find(',', pos), s.size());
    out.push_back(trim(s.substr(pos, comma - pos)));
    pos = comma + 1;
  }
  return out;
}

}  // namespace

std::string param_value::str() const {
  switch (type) {
    case param_type::integer: return std::to_string(integer);
    case param_type::real: return real_text(real);
    case param_type::time: return time_text(time);
    case param_type::frequency: return freq_text(real);
    case param_type::voltage: return real_text(real) + "V";
    case param_type::boolean: return boolean ? "true" : "false";
    case param_type::choice:
    case param_type::string:
    case param_type::path: return text;
    case param_type::list: return join(items, ",");
    case param_type::energy: return curve_text(curve, 'J');
    case param_type::power: return curve_text(curve, 'W');
  }
  return "";
}

param_value param_value::of(std::uint64_t v) {
  param_value p;
  p.type = param_type::integer;
  p.integer = v;
  return p;
}
param_value param_value::of_real(double v) {
  param_value p;
  p.type = param_type::real;
  p.real = v;
  return p;
}
param_value param_value::of(sc_core::sc_time v) {
  param_value p;
  p.type = param_type::time;
  p.time = v;
  return p;
}
param_value param_value::of(bool v) {
  param_value p;
  p.type = param_type::boolean;
  p.boolean = v;
  return p;
}
param_value param_value::of_text(param_type t, std::string v) {
  param_value p;
  p.type = t;
  p.text = std::move(v);
  return p;
}

namespace {
param_spec make(std::string key, param_type t, std::string help, std::string unit = "") {
  param_spec s;
  s.key = std::move(key);
  s.type = t;
  s.help = std::move(help);
  s.unit = std::move(unit);
  s.default_value.type = t;
  return s;
}
}  // namespace

param_spec param_spec::integer(std::string key, std::uint64_t def, std::uint64_t min, std::uint64_t max,
                               std::string help, std::string unit) {
  param_spec s = make(std::move(key), param_type::integer, std::move(help), std::move(unit));
  s.default_value.integer = def;
  s.int_min = min;
  s.int_max = max;
  return s;
}

param_spec param_spec::real(std::string key, double def, double min, double max, std::string help,
                            std::string unit) {
  param_spec s = make(std::move(key), param_type::real, std::move(help), std::move(unit));
  s.default_value.real = def;
  s.real_min = min;
  s.real_max = max;
  return s;
}

param_spec param_spec::time(std::string key, sc_core::sc_time def, sc_core::sc_time min, sc_core::sc_time max,
                            std::string help) {
  param_spec s = make(std::move(key), param_type::time, std::move(help));
  s.default_value.time = def;
  s.int_min = static_cast<std::uint64_t>(std::llround(min.to_seconds() * 1e12));
  s.int_max = static_cast<std::uint64_t>(std::llround(max.to_seconds() * 1e12));
  return s;
}

param_spec param_spec::frequency(std::string key, double def, double min, double max, std::string help) {
  param_spec s = make(std::move(key), param_type::frequency, std::move(help));
  s.default_value.real = def;
  s.real_min = min;
  s.real_max = max;
  return s;
}

param_spec param_spec::voltage(std::string key, double def, double min, double max, std::string help) {
  param_spec s = make(std::move(key), param_type::voltage, std::move(help));
  s.default_value.real = def;
  s.real_min = min;
  s.real_max = max;
  return s;
}

param_spec param_spec::boolean(std::string key, bool def, std::string help) {
  param_spec s = make(std::move(key), param_type::boolean, std::move(help));
  s.default_value.boolean = def;
  return s;
}

param_spec param_spec::choice(std::string key, std::string def, std::vector<std::string> choices,
                              std::string help) {
  param_spec s = make(std::move(key), param_type::choice, std::move(help));
  s.default_value.text = std::move(def);
  s.choices = std::move(choices);
  return s;
}

param_spec param_spec::string(std::string key, std::string def, std::string help) {
  param_spec s = make(std::move(key), param_type::string, std::move(help));
  s.default_value.text = std::move(def);
  return s;
}

param_spec param_spec::path(std::string key, std::string def, std::string help) {
  param_spec s = make(std::move(key), param_type::path, std::move(help));
  s.default_value.text = std::move(def);
  return s;
}

param_spec param_spec::list(std::string key, std::vector<std::string> def, std::string help,
                            std::vector<std::string> allowed) {
  param_spec s = make(std::move(key), param_type::list, std::move(help));
  s.default_value.items = std::move(def);
  s.choices = std::move(allowed);
  return s;
}

param_spec param_spec::energy(std::string key, power::curve def, std::string help) {
  param_spec s = make(std::move(key), param_type::energy, std::move(help));
  s.default_value.curve = def;
  return s;
}

param_spec param_spec::power(std::string key, power::curve def, std::string help) {
  param_spec s = make(std::move(key), param_type::power, std::move(help));
  s.default_value.curve = def;
  return s;
}

std::string param_spec::accepts() const {
  auto bounds = [this](const std::string& lo, const std::string& hi, bool any_lo, bool any_hi) {
    if (any_lo && any_hi) return std::string();
    if (any_hi) return " >= " + lo;
    return " " + lo + ".." + hi;
  };
  const std::string u = unit.empty() ? "" : " " + unit;
  switch (type) {
    case param_type::integer:
      return "integer" +
             bounds(std::to_string(int_min), std::to_string(int_max), int_min == 0,
                    int_max == std::numeric_limits<std::uint64_t>::max()) +
             u;
    case param_type::real:
      return "real" +
             bounds(real_text(real_min), real_text(real_max), real_min == -std::numeric_limits<double>::max(),
                    real_max == std::numeric_limits<double>::max()) +
             u;
    case param_type::time: {
      param_value lo, hi;
      lo.type = hi.type = param_type::time;
      lo.time = sc_core::sc_time(static_cast<double>(int_min), sc_core::SC_PS);
      hi.time = sc_core::sc_time(static_cast<double>(int_max), sc_core::SC_PS);
      return "time" +
             bounds(lo.str(), hi.str(), int_min == 0, int_max == std::numeric_limits<std::uint64_t>::max());
    }
    case param_type::frequency:
      return "frequency" + bounds(freq_text(real_min), freq_text(real_max), false, false);
    case param_type::voltage:
      return "voltage" + bounds(real_text(real_min) + "V", real_text(real_max) + "V", false, false);
    case param_type::boolean: return "true or false";
    case param_type::choice: return "one of " + join(choices);
    case param_type::string: return "text";
    case param_type::path: return "a file path";
    case param_type::list:
      return choices.empty() ? "a comma-separated list" : "a comma-separated list of " + join(choices);
    case param_type::energy: return "an energy, or a table over voltage (0.6V:1pJ,0.8V:2pJ)";
    case param_type::power: return "a power, or a table over voltage (0.6V:1uW,0.8V:2uW)";
  }
  return "";
}

std::string param_spec::describe() const {
  std::string d = help + " [" + accepts() + "] (default ";
  std::string def = default_value.str();
  // Energies and powers read better rounded here (str() is exact, for reports).
  if (type == param_type::energy || type == param_type::power)
    def = format_curve(default_value.curve, type == param_type::energy ? 'J' : 'W');
  d += has_default() ? (def.empty() ? std::string("none") : def) : default_help;
  return d + ")";
}

param_value param_spec::parse(const std::string& in, const std::string& base_dir,
                              const std::string& prefix) const {
  const std::string s = trim(in);
  auto bad = [&](const std::string& why) -> param_error {
    return param_error("option '" + prefix + key + "': '" + in + "' " + why);
  };
  param_value v;
  v.type = type;
  switch (type) {
    case param_type::integer: {
      const auto x = parse_u64(s);
      if (!x) throw bad("is not an integer (decimal or 0x hex, optionally K/M/G or KiB/MiB/GiB)");
      v.integer = *x;
      break;
    }
    case param_type::real: {
      char* end = nullptr;
      const double x = std::strtod(s.c_str(), &end);
      if (s.empty() || end == s.c_str() || *end != '\0') throw bad("is not a number");
      v.real = x;
      break;
    }
    case param_type::time: {
      const auto t = parse_time(s);
      if (!t) throw bad("is not a time with a unit (ps, ns, us, ms, s), e.g. 10us");
      v.time = *t;
      break;
    }
    case param_type::frequency: {
      const auto f = parse_frequency(s);
      if (!f) throw bad("is not a frequency (Hz, kHz, MHz, GHz), e.g. 100MHz");
      v.real = *f;
      break;
    }
    case param_type::voltage: {
      const auto x = parse_voltage(s);
      if (!x) throw bad("is not a voltage (V, mV), e.g. 0.8V");
      v.real = *x;
      break;
    }
    case param_type::boolean: {
      const auto b = parse_bool(s);
      if (!b) throw bad("is not a boolean (true/false, 1/0, yes/no, on/off)");
      v.boolean = *b;
      break;
    }
    case param_type::choice: {
      v.text = s;
      break;
    }
    case param_type::string: v.text = s; break;
    case param_type::path:
      if (s.empty()) throw bad("is not a file path");
      v.text = s[0] == '/' || base_dir.empty() || base_dir == "." ? s : base_dir + "/" + s;
      break;
    case param_type::list: {
      v.items = split_list(s);
      for (const std::string& item : v.items)
        if (item.empty()) throw bad("has an empty item");
      break;
    }
    case param_type::energy:
    case param_type::power: {
      const char u = type == param_type::energy ? 'J' : 'W';
      const auto c = parse_curve(s, u);
      if (!c) throw bad("is not " + accepts());
      v.curve = *c;
      break;
    }
  }
  check(v, prefix, in);
  return v;
}

void param_spec::check(const param_value& v, const std::string& prefix) const {
  check(v, prefix, v.str());
}

void param_spec::check(const param_value& v, const std::string& prefix, const std::string& written) const {
  auto bad = [&](const std::string& why) -> param_error {
    return param_error("option '" + prefix + key + "': '" + written + "' " + why);
  };
  if (v.type != type)
    throw param_error("option '" + prefix + key + "': a " + param_type_name(v.type) + " given for a " +
                      param_type_name(type));
  auto in = [](const std::string& x, const std::vector<std::string>& set) {
    return std::find(set.begin(), set.end(), x) != set.end();
  };
  switch (type) {
    case param_type::integer:
      if (v.integer < int_min || v.integer > int_max) throw bad("is out of range: expected " + accepts());
      break;
    case param_type::real:
    case param_type::frequency:
    case param_type::voltage:
      if (!std::isfinite(v.real)) throw bad("is not a finite number");
      if (v.real < real_min || v.real > real_max) throw bad("is out of range: expected " + accepts());
      break;
    case param_type::time: {
      const auto ps = static_cast<std::uint64_t>(std::llround(v.time.to_seconds() * 1e12));
      if (ps < int_min || ps > int_max) throw bad("is out of range: expected " + accepts());
      break;
    }
    case param_type::choice:
      if (!in(v.text, choices)) throw bad("is not one of " + join(choices));
      break;
    case param_type::list:
      for (const std::string& item : v.items)
        if (!choices.empty() && !in(item, choices))
          throw bad("has '" + item + "', not one of " + join(choices));
      break;
    default: break;
  }
}

param_values::param_values(const std::vector<param_spec>& specs,
                           const std::map<std::string, param_value>& given, const std::string& prefix) {
  for (const param_spec& s : specs)
    if (s.has_default()) m_values[s.key] = s.default_value;
  for (const auto& [key, value] : given) {
    const param_spec* spec = nullptr;
    for (const param_spec& s : specs)
      if (s.key == key) spec = &s;
    if (spec == nullptr) throw param_error("option '" + prefix + key + "': no such parameter");
    spec->check(value, prefix);
    m_values[key] = value;
  }
}

const param_value& param_values::at(const std::string& key) const {
  auto it = m_values.find(key);
  if (it == m_values.end()) throw param_error("parameter '" + key + "' has no value");
  return it->second;
}

const param_value& param_values::typed(const std::string& key, param_type a, param_type b) const {
  const param_value& v = at(key);
  if (v.type != a && v.type != b)
    throw param_error("parameter '" + key + "' is a " + param_type_name(v.type) + ", read as a " +
                      param_type_name(a));
  return v;
}

std::uint64_t param_values::integer(const std::string& key) const {
  return typed(key, param_type::integer, param_type::integer).integer;
}
double param_values::real(const std::string& key) const {
  const param_value& v = at(key);
  if (v.type != param_type::real && v.type != param_type::frequency && v.type != param_type::voltage)
    throw param_error("parameter '" + key + "' is a " + std::string(param_type_name(v.type)) +
                      ", read as a real");
  return v.real;
}
sc_core::sc_time param_values::time(const std::string& key) const {
  return typed(key, param_type::time, param_type::time).time;
}
bool param_values::boolean(const std::string& key) const {
  return typed(key, param_type::boolean, param_type::boolean).boolean;
}
const std::string& param_values::text(const std::string& key) const {
  const param_value& v = at(key);
  if (v.type != param_type::choice && v.type != param_type::string && v.type != param_type::path)
    throw param_error("parameter '" + key + "' is a " + std::string(param_type_name(v.type)) +
                      ", read as text");
  return v.text;
}
const std::vector<std::string>& param_values::items(const std::string& key) const {
  return typed(key, param_type::list, param_type::list).items;
}

}  // namespace edgevp::core

namespace edgevp::core {

namespace {
param_binding bound(param_spec spec, std::function<void(const param_value&)> set,
                    std::function<param_value()> get) {
  param_binding b{std::move(spec), std::move(set), std::move(get)};
  const param_value now = b.get();
  b.spec.default_value = now;
  b.spec.default_value.type = b.spec.type;
  return b;
}
}  // namespace

param_binding bind(param_spec spec, std::uint64_t& f) {
  return bound(
      std::move(spec), [&f](const param_value& v) { f = v.integer; }, [&f] { return param_value::of(f); });
}

param_binding bind(param_spec spec, std::uint32_t& f) {
  spec.int_max = std::min<std::uint64_t>(spec.int_max, 0xFFFFFFFFu);
  return bound(
      std::move(spec), [&f](const param_value& v) { f = static_cast<std::uint32_t>(v.integer); },
      [&f] { return param_value::of(std::uint64_t{f}); });
}

param_binding bind(param_spec spec, double& f) {
  if (spec.type == param_type::energy) {
    const std::string key = spec.key;
    return bound(
        std::move(spec),
        [&f, key](const param_value& v) {
          if (v.curve.is_table()) throw param_error("option '" + key + "' takes one energy, not a table");
          f = v.curve.value();
        },
        [&f] {
          param_value v;
          v.type = param_type::energy;
          v.curve = f;
          return v;
        });
  }
  const param_type t = spec.type;
  return bound(
      std::move(spec), [&f](const param_value& v) { f = v.real; },
      [&f, t] {
        param_value v = param_value::of_real(f);
        v.type = t;
        return v;
      });
}

param_binding bind(param_spec spec, sc_core::sc_time& f) {
  return bound(
      std::move(spec), [&f](const param_value& v) { f = v.time; }, [&f] { return param_value::of(f); });
}

param_binding bind(param_spec spec, bool& f) {
  return bound(
      std::move(spec), [&f](const param_value& v) { f = v.boolean; }, [&f] { return param_value::of(f); });
}

param_binding bind(param_spec spec, power::curve& f) {
  const param_type t = spec.type;
  return bound(
      std::move(spec), [&f](const param_value& v) { f = v.curve; },
      [&f, t] {
        param_value v;
        v.type = t;
        v.curve = f;
        return v;
      });
}

param_binding bind(param_spec spec, std::string& f) {
  const param_type t = spec.type;
  return bound(
      std::move(spec), [&f](const param_value& v) { f = v.text; },
      [&f, t] { return param_value::of_text(t, f); });
}

std::vector<param_binding> prefixed(const std::string& prefix, std::vector<param_binding> bindings) {
  for (param_binding& b : bindings) b.spec.key = prefix + b.spec.key;
  return bindings;
}

}  // namespace edgevp::core

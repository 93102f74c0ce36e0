// edgevp: typed parameters, declared once by the model that uses them (after VCML's property<T>).
//
// A declaration says everything the rest of edgevp needs to know about a parameter: its key, its
// type, its default, its range or choices, its unit and a line of help. The command line, `.cfg`
// files, `--help`, validation and the report's echo of the effective configuration are all made
// from it, so a parameter is written in one place:
//
//   core::param_spec::integer("rows", 256, 1, 4096, "array rows (inputs)")
//   core::param_spec::choice("neuron", "lif", {"lif", "if"}, "neuron model")
//   core::param_spec::path("program", "", "the accelerator's program, relative to the file naming it")
//
// parse() turns the text a user wrote into a value and checks it; a bad value throws param_error,
// whose message names the key and says what was expected (the CLI reports it as a usage error,
// before anything is built). A value's str() gives text that parses back to the same value.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <systemc>

#include "models/core/errors.h"
#include "models/core/power.h"

namespace edgevp::core {

enum class param_type : std::uint8_t {
  integer,    // unsigned, decimal or 0x hex, K/M/G (KiB/MiB/GiB) multiples
  real,       // finite
  time,       // with a unit: ps, ns, us, ms, s
  frequency,  // Hz, kHz, MHz, GHz
  voltage,    // V, mV
  boolean,    // true/false, 1/0, yes/no, on/off
  choice,     // one of a fixed set of words
  string,     // any text
  path,       // a file; relative paths are resolved against the directory of the file naming it
  list,       // comma-separated items (each optionally one of a fixed set)
  energy,     // J per event, or a table over voltage
  power,      // W, or a table over voltage
};
const char* param_type_name(param_type t);

// A parameter that cannot take the value given: the message names the key.
// (A config_error: a model that reads a key it did not declare has a configuration it cannot be
// built from; the CLI reports a value given by the user as a usage error before that.)
class param_error : public config_error {
 public:
  using config_error::config_error;
};

// One typed value.
struct param_value {
  param_type type = param_type::integer;
  std::uint64_t integer = 0;
  double real = 0;  // real; frequency in Hz; voltage in V
  sc_core::sc_time time = sc_core::SC_ZERO_TIME;
  bool boolean = false;
  std::string text;                // choice, string, path
  std::vector<std::string> items;  // list
  power::curve curve;              // energy, power

  static param_value of(std::uint64_t v);
  static param_value of_real(double v);
  static param_value of(sc_core::sc_time v);
  static param_value of(bool v);
  static param_value of_text(param_type t, std::string v);  // choice, string, path

  // Text that parses back to this value ("256", "14.4ns", "100MHz", "a,b", "0.6V:1pJ,0.8V:2pJ").
  [[nodiscard]] std::string str() const;
};

class param_spec {
 public:
  std::string key;
  param_type type = param_type::integer;
  std::string help;
  std::string unit;  // shown in --help ("cycles", "bytes", "S"); time, frequency, energy, power carry theirs
  param_value default_value;
  std::string default_help;  // when the default is computed from other keys: how (default_value unused)
  std::uint64_t int_min = 0, int_max = std::numeric_limits<std::uint64_t>::max();  // integer; time in ps
  double real_min = -std::numeric_limits<double>::max(), real_max = std::numeric_limits<double>::max();
  std::vector<std::string> choices;  // choice; list: the allowed items (empty: any)

  static param_spec integer(std::string key, std::uint64_t def, std::uint64_t min, std::uint64_t max,
                            std::string help, std::string unit = "");
  static param_spec real(std::string key, double def, double min, double max, std::string help,
                         std::string unit = "");
  static param_spec time(std::string key, sc_core::sc_time def, sc_core::sc_time min, sc_core::sc_time max,
                         std::string help);
  static param_spec frequency(std::string key, double def, double min, double max, std::string help);
  static param_spec voltage(std::string key, double def, double min, double max, std::string help);
  static param_spec boolean(std::string key, bool def, std::string help);
  static param_spec choice(std::string key, std::string def, std::vector<std::string> choices,
                           std::string help);
  static param_spec string(std::string key, std::string def, std::string help);
  static param_spec path(std::string key, std::string def, std::string help);
  static param_spec list(std::string key, std::vector<std::string> def, std::string help,
                         std::vector<std::string> allowed = {});
  // J per event ('J') or W ('W'); without a fixed default, `default_help` says how it is computed.
  static param_spec energy(std::string key, power::curve def, std::string help);
  static param_spec power(std::string key, power::curve def, std::string help);
  param_spec& computed_default(std::string how) {
    default_help = std::move(how);
    return *this;
  }

  // Parses what a user wrote. `base_dir`: the directory a relative path is resolved against ("" or
  // "." for the working directory). Throws param_error naming `prefix + key`.
  [[nodiscard]] param_value parse(const std::string& text, const std::string& base_dir = "",
                                  const std::string& prefix = "") const;
  // Checks a value made in code against the declaration (type, range, choices); throws
  // param_error naming `prefix + key`. parse() checks what it parses.
  void check(const param_value& v, const std::string& prefix = "") const;
  // "integer 1..4096 cycles", "one of tlm, rtl, lockstep": what parse() accepts, for --help.
  [[nodiscard]] std::string accepts() const;
  // The help line: help, what it accepts and the default.
  [[nodiscard]] std::string describe() const;
  [[nodiscard]] bool has_default() const { return default_help.empty(); }

 private:
  // `written`: the value as the message quotes it (what the user wrote, or the value's text).
  void check(const param_value& v, const std::string& prefix, const std::string& written) const;
};

// A declared parameter bound to the field it configures (a model's configuration struct): set()
// stores a value parse() produced, get() reads the field back. bind() takes the spec's default from
// the field as it is when bound, so the default is written once, where the struct declares it.
struct param_binding {
  param_spec spec;
  std::function<void(const param_value&)> set;
  std::function<param_value()> get;
};
param_binding bind(param_spec spec, std::uint64_t& field);  // integer
param_binding bind(param_spec spec, std::uint32_t& field);  // integer (the spec's max is capped to 32 bits)
param_binding bind(param_spec spec, double& field);  // real, frequency, voltage, or one energy (not a table)
param_binding bind(param_spec spec, sc_core::sc_time& field);
param_binding bind(param_spec spec, bool& field);
param_binding bind(param_spec spec, power::curve& field);  // energy, power
param_binding bind(param_spec spec, std::string& field);   // choice, string, path
// `prefix` before every key ("cpu." + "cycles.alu").
std::vector<param_binding> prefixed(const std::string& prefix, std::vector<param_binding> bindings);

// The values of a set of declared parameters, by key (every key has one: defaults are filled in).
class param_values {
 public:
  param_values() = default;
  // Defaults of every spec, then `given` (key -> value) on top, each checked against its spec; a
  // key not declared or a value its spec refuses throws param_error naming `prefix + key`.
  param_values(const std::vector<param_spec>& specs, const std::map<std::string, param_value>& given,
               const std::string& prefix = "");

  [[nodiscard]] bool has(const std::string& key) const { return m_values.count(key) != 0; }
  [[nodiscard]] const param_value& at(const std::string& key) const;
  [[nodiscard]] std::uint64_t integer(const std::string& key) const;
  [[nodiscard]] double real(const std::string& key) const;  // real or frequency
  [[nodiscard]] sc_core::sc_time time(const std::string& key) const;
  [[nodiscard]] bool boolean(const std::string& key) const;
  [[nodiscard]] const std::string& text(const std::string& key) const;  // choice, string, path
  [[nodiscard]] const std::vector<std::string>& items(const std::string& key) const;
  [[nodiscard]] const std::map<std::string, param_value>& all() const { return m_values; }
  void set(const std::string& key, param_value v) { m_values[key] = std::move(v); }

 private:
  [[nodiscard]] const param_value& typed(const std::string& key, param_type a, param_type b) const;
  std::map<std::string, param_value> m_values;
};

}  // namespace edgevp::core

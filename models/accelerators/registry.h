// edgevp: the accelerator factory.
//
// A kind registers itself by name with a kind_info: its ID code, its configuration keys (typed,
// with defaults and help), its power sources and a constructor. The platform reads the registry to
// declare each instance's options (`cim0.rows`), to print them in --help, and to build the
// instances the configuration lists (`accel = cim0,cim1`, `cim0.kind = cim-digital`): adding an
// instance is configuration, adding a kind is one entry in kinds.cc.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <systemc>

#include "models/core/clock.h"
#include "models/core/peripheral.h"
#include "models/core/power.h"

namespace edgevp::accel {

class accelerator;

enum class param_type : std::uint8_t { integer, real, time, boolean };

// One typed configuration value.
struct param {
  param_type type = param_type::integer;
  std::uint64_t integer = 0;
  double real = 0;
  sc_core::sc_time time = sc_core::SC_ZERO_TIME;
  bool boolean = false;

  static param of(std::uint64_t v) { return {param_type::integer, v, 0, sc_core::SC_ZERO_TIME, false}; }
  static param of_real(double v) { return {param_type::real, 0, v, sc_core::SC_ZERO_TIME, false}; }
  static param of(sc_core::sc_time v) { return {param_type::time, 0, 0, v, false}; }
  static param of(bool v) { return {param_type::boolean, 0, 0, sc_core::SC_ZERO_TIME, v}; }
  [[nodiscard]] std::string str() const;
};

// A kind-specific key: `<instance>.<key>`.
struct key_spec {
  std::string key;
  param default_value;
  std::string help;
};

// A kind-specific power source: `<instance>.power.<name>`, J per event ('J') or W ('W'). Without a
// fixed default the kind computes one from its other keys (default_help says how).
struct power_spec {
  std::string name;
  char unit = 'J';
  std::optional<core::power::curve> default_value;
  std::string help;
  std::string default_help;  // when default_value is empty
};

// Everything one instance is built from (filled by the platform from the configuration).
struct instance {
  std::string name;
  std::string kind;
  std::uint64_t base = 0;
  std::uint64_t size = 0x10000;
  unsigned irq = 0;
  sc_core::sc_time latency = sc_core::SC_ZERO_TIME;  // interconnect latency of the window
  sc_core::sc_time register_latency = sc_core::sc_time(10, sc_core::SC_NS);
  std::uint64_t dma_burst = 64;                               // bytes per DMA transaction
  core::peripheral_power power;                               // access, leakage, background
  std::map<std::string, param> params;                        // every kind key (defaults filled in)
  std::map<std::string, core::power::curve> power_overrides;  // kind power sources given
  double reset_voltage = 0.8;                                 // V: where formula defaults are evaluated
  // Implementation (docs/rtl.md): "tlm" (the model), "rtl" (the verilated RTL behind AXI bridges),
  // "lockstep" (the RTL, with the model fed every job and compared: the first mismatch ends the run).
  std::string impl = "tlm";
  std::uint64_t rtl_timeout = 1000;  // cycles before a register access to the RTL is an error
  bool rtl_fault = false;            // test only: the RTL's fault switch (a wrong output byte)
  std::string rtl_vcd;               // the RTL's waveform file ("" = none)

  [[nodiscard]] std::uint64_t integer(const std::string& key) const;
  [[nodiscard]] double real(const std::string& key) const;
  [[nodiscard]] sc_core::sc_time time(const std::string& key) const;
  [[nodiscard]] bool boolean(const std::string& key) const;
  // The configured value of a kind power source, or `fallback`.
  [[nodiscard]] core::power::curve power_source(const std::string& name,
                                                const core::power::curve& fallback) const;
};

struct kind_info {
  std::string name;       // "cim-digital"
  std::uint8_t code = 0;  // ID register bits 15:8
  std::string summary;
  std::vector<key_spec> keys;
  std::vector<power_spec> power;
  core::peripheral_power default_power;  // register access, leakage, background
  // Builds an instance; throws core::config_error naming the key on an impossible configuration.
  std::function<std::unique_ptr<accelerator>(const instance&)> make;
  // Builds the RTL implementation (impl = rtl or lockstep); empty when the kind has none.
  std::function<std::unique_ptr<accelerator>(const instance&)> make_rtl;
};

class registry {
 public:
  // The kinds built into edgevp (kinds.cc).
  static const registry& builtin();

  // Throws std::logic_error on a duplicate name or code.
  void add(kind_info k);
  [[nodiscard]] const kind_info* find(const std::string& name) const;
  [[nodiscard]] const std::vector<kind_info>& kinds() const { return m_kinds; }
  // "cim-analog, cim-digital"
  [[nodiscard]] std::string names() const;
  // The kinds with an RTL implementation, "cim-digital".
  [[nodiscard]] std::string rtl_kinds() const;

  // Fills in the defaults of `inst`'s kind for keys not set, then builds it. Throws
  // core::config_error naming the instance's key (unknown kind, ...).
  [[nodiscard]] std::unique_ptr<accelerator> make(instance inst) const;

 private:
  std::vector<kind_info> m_kinds;
};

}  // namespace edgevp::accel

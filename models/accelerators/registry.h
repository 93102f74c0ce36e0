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
#include "models/core/param.h"
#include "models/core/peripheral.h"
#include "models/core/power.h"

namespace edgevp::accel {

class device;

using core::param_spec;
using core::param_value;

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
  core::param_values params;                                  // the kind's keys (defaults filled in by make)
  std::map<std::string, core::power::curve> power_overrides;  // kind power sources given
  double reset_voltage = 0.8;                                 // V: where formula defaults are evaluated
  // Implementation (docs/rtl.md): "tlm" (the model), "rtl" (the verilated RTL behind AXI bridges),
  // "lockstep" (the RTL, with the model fed every job and compared: the first mismatch ends the run).
  std::string impl = "tlm";
  std::uint64_t rtl_timeout = 1000;  // cycles before a register access to the RTL is an error
  bool rtl_fault = false;            // test only: the RTL's fault switch (a wrong output byte)
  std::string rtl_vcd;               // the RTL's waveform file ("" = none)

  [[nodiscard]] std::uint64_t integer(const std::string& key) const { return params.integer(key); }
  [[nodiscard]] double real(const std::string& key) const { return params.real(key); }
  [[nodiscard]] sc_core::sc_time time(const std::string& key) const { return params.time(key); }
  [[nodiscard]] bool boolean(const std::string& key) const { return params.boolean(key); }
  [[nodiscard]] const std::string& text(const std::string& key) const { return params.text(key); }
  [[nodiscard]] const std::vector<std::string>& items(const std::string& key) const { return params.items(key); }
  // The configured value of a kind power source, or `fallback`.
  [[nodiscard]] core::power::curve power_source(const std::string& name,
                                                const core::power::curve& fallback) const;
};

// The keys every instance has, whatever its kind (`cim0.base`, `cim0.impl`, ...), and how a value
// of one lands in the instance. Defaults that depend on the instance's index or kind are computed
// by the platform (their default_help says how).
std::vector<param_spec> instance_keys();
// Throws param_error for a key that is not one of instance_keys().
void set_instance_key(instance& a, const std::string& key, const param_value& v);

struct kind_info {
  std::string name;       // "cim-digital"
  std::uint8_t code = 0;  // ID register bits 15:8
  std::string summary;
  std::vector<param_spec> keys;   // `<instance>.<key>`: typed, with range or choices (param.h)
  std::vector<param_spec> power;  // `<instance>.power.<key>`: energy (J per event) or power (W) sources
  core::peripheral_power default_power;  // register access, leakage, background
  // Named numbers firmware needs besides register offsets (opcodes, descriptor sizes and word
  // offsets, flag bits), taken from the constants the model itself uses; --gen-memmap writes them
  // as EDGEVP_<KIND>_<NAME> (regs_header.h).
  std::vector<std::pair<std::string, std::uint32_t>> constants;
  // Builds an instance (the kind's TLM model, an accelerator: accelerator.h); throws
  // core::config_error naming the key on an impossible configuration.
  std::function<std::unique_ptr<device>(const instance&)> make;
  // Builds the RTL implementation (impl = rtl or lockstep); empty when the kind has none
  // (registry::add_rtl sets it).
  std::function<std::unique_ptr<device>(const instance&)> make_rtl;
};

class registry {
 public:
  // The kinds built into edgevp (kinds.cc). Mutable only to take RTL implementations
  // (add_rtl), which the RTL library registers (models/rtl/implementations.h).
  static registry& builtin();

  // Throws std::logic_error on a duplicate name or code.
  void add(kind_info k);
  // An RTL implementation of a registered kind (impl = rtl or lockstep). Kinds do not know their
  // RTL twins: the RTL library adds them, so the model library builds without Verilator. Throws
  // std::logic_error for an unknown kind or a second implementation.
  void add_rtl(const std::string& kind, std::function<std::unique_ptr<device>(const instance&)> make);
  [[nodiscard]] const kind_info* find(const std::string& name) const;
  [[nodiscard]] const std::vector<kind_info>& kinds() const { return m_kinds; }
  // "cim-analog, cim-digital"
  [[nodiscard]] std::string names() const;
  // The kinds with an RTL implementation, "cim-digital".
  [[nodiscard]] std::string rtl_kinds() const;

  // Throws core::param_error naming the key when `inst` cannot be built: an unknown kind, a power
  // source the kind does not have, an implementation the kind does not have.
  void check(const instance& inst) const;
  // Fills in the defaults of `inst`'s kind for keys not set, then builds the implementation
  // `inst.impl` names (device.h). Throws core::config_error naming the instance's key (unknown
  // kind, ...).
  [[nodiscard]] std::unique_ptr<device> make(instance inst) const;

 private:
  std::vector<kind_info> m_kinds;
};

}  // namespace edgevp::accel

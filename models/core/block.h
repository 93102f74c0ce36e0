// edgevp: the block registry: peripherals are configuration, their kinds are code.
//
// A block kind registers itself with everything the rest of edgevp needs to know about it: its
// name, its default register window and interrupt source, which power domain it lives in, its
// parameters (param.h: typed, with range or choices, declared once), its default power, how it is
// built and, where one exists, its RTL implementation (added by the RTL library, never included by
// the kind). The platform reads the registry to declare each instance's keys (`gpio.stimulus`), to
// print them in --help, to echo them in the report, and to build the instances the configuration
// lists (`peripherals = uart,rtc,gpio`): it names no peripheral.
//
// Every instance has the keys kind, base, size, latency, irq, impl, rtl.timeout and
// power.{access,leakage,background}; a kind adds its own.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <systemc>

#include "models/core/param.h"
#include "models/core/peripheral.h"

namespace edgevp::core {

// What the platform offers a block at construction, by role (never another block by name).
struct block_env {
  std::function<void(unsigned char)> console;  // where a console's transmitted bytes go
  double aon_clock_hz = 32768;                 // the always-on domain's clock (an RTC's tick)
  sc_core::sc_time register_latency = sc_core::sc_time(10, sc_core::SC_NS);
  std::string rtl_vcd;  // this block's RTL waveform file ("" for none)
};

// One instance, as the configuration gives it (defaults filled in by the registry).
struct block_instance {
  std::string name;  // "uart"
  std::string kind;  // "uart"
  std::uint64_t base = 0;
  std::uint64_t size = 0x1000;
  sc_core::sc_time latency = sc_core::SC_ZERO_TIME;  // added by the interconnect per access
  unsigned irq = 0;                                  // interrupt-controller source, 0 for none
  std::string impl = "tlm";                          // or "rtl" where the kind has one
  std::uint64_t rtl_timeout = 1000;                  // impl = rtl: cycles before an access is an error
  peripheral_power power;
  param_values params;  // the kind's keys
};

struct block_kind {
  std::string name;  // "gpio"
  std::string summary;
  std::uint64_t base = 0;  // default window
  std::uint64_t size = 0x1000;
  unsigned irq = 0;         // default interrupt source; 0: the kind raises no interrupt
  bool always_on = false;   // in the always-on domain (it can wake the SoC), else in the SoC's
  unsigned wake_input = 0;  // the PMU's wake-up input (WAKE_EN bit) its wakeup() line drives
  peripheral_power default_power;
  std::vector<param_spec> keys;
  // Builds an instance; throws config_error naming the key or file on an impossible configuration.
  std::function<std::unique_ptr<peripheral>(const block_instance&, const block_env&)> make;
  // impl = rtl; empty when the kind has none (block_registry::add_rtl sets it).
  std::function<std::unique_ptr<peripheral>(const block_instance&, const block_env&)> make_rtl;
};

// The keys every block instance has (their defaults are the kind's: default_help says so).
std::vector<param_spec> block_instance_keys();
// Throws param_error for a key that is not one of block_instance_keys().
void set_block_key(block_instance& b, const std::string& key, const param_value& v);

class block_registry {
 public:
  // The peripheral kinds built into edgevp (models/peripherals/kinds.cc). Mutable only to take
  // RTL implementations (models/rtl/implementations.cc).
  static block_registry& builtin();

  // Throws std::logic_error on a duplicate name.
  void add(block_kind k);
  void add_rtl(const std::string& kind,
               std::function<std::unique_ptr<peripheral>(const block_instance&, const block_env&)> make);
  [[nodiscard]] const block_kind* find(const std::string& name) const;
  [[nodiscard]] const std::vector<block_kind>& kinds() const { return m_kinds; }
  [[nodiscard]] std::string names() const;
  [[nodiscard]] std::string rtl_kinds() const;
  // An instance of `kind` named `name` with the kind's defaults (window, interrupt, power, keys).
  [[nodiscard]] block_instance defaults(const std::string& name, const std::string& kind) const;
  // Throws param_error naming the key: unknown kind, an implementation the kind does not have.
  void check(const block_instance& b) const;
  [[nodiscard]] std::unique_ptr<peripheral> make(block_instance b, const block_env& env) const;

 private:
  std::vector<block_kind> m_kinds;
};

}  // namespace edgevp::core

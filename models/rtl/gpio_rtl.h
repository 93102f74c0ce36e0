// edgevp: the GPIO as RTL (rtl/edgevp_gpio.sv) behind an AXI4-Lite bridge: `gpio.impl = rtl`
// (docs/rtl.md). The same registers, lines, stimulus and signals as peripherals::gpio.
#pragma once

#include <memory>
#include <string>

#include "models/peripherals/gpio.h"

namespace edgevp::rtl {

struct gpio_rtl_config {
  std::uint64_t timeout = 1000;                          // cycles before an access is an error
  sc_core::sc_time period = sc_core::sc_time(10, sc_core::SC_NS);  // the block's clock
  std::string vcd;                                       // waveform file, "" for none
};

std::unique_ptr<peripherals::gpio> make_gpio(const sc_core::sc_module_name& name, const peripherals::gpio_config& cfg,
                                             const gpio_rtl_config& rcfg);

}  // namespace edgevp::rtl

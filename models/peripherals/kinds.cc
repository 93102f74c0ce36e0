// The peripheral kinds built into edgevp. A new kind adds one line to builtin().
#include "models/peripherals/kinds.h"

#include <memory>

#include "models/peripherals/gpio.h"
#include "models/peripherals/rtc.h"
#include "models/peripherals/uart.h"

namespace edgevp::peripherals {

using core::param_spec;

core::block_kind uart_kind() {
  core::block_kind k;
  k.name = "uart";
  k.summary = "16550-compatible UART: the console (its output is edgevp's stdout or --uart-out)";
  k.base = 0x10000000;
  k.irq = 1;
  k.default_power = {1e-12, 1e-6, 0.0};  // U (CALIBRATION.md tags peripheral energies: parameters)
  k.keys = {param_spec::path("rx_file", "", "bytes the UART receives (relative to the file naming it)")};
  k.make = [](const core::block_instance& b,
              const core::block_env& env) -> std::unique_ptr<core::peripheral> {
    uart_config c;
    c.tx = env.console;
    c.rx_file = b.params.text("rx_file");
    c.latency = env.register_latency;
    return std::make_unique<uart>(b.name.c_str(), c);
  };
  return k;
}

core::block_kind rtc_kind() {
  core::block_kind k;
  k.name = "rtc";
  k.summary = "RTC / wake-up timer on the always-on clock (aon.clock)";
  k.base = 0x10003000;
  k.irq = 2;
  k.always_on = true;
  k.wake_input = 0;
  // The always-on domain (PMU + RTC + GPIO) leaks 1.7 uW together: TinyVers deep sleep, CALIBRATION.md.
  k.default_power = {1e-12, 0.5e-6, 0.0};
  k.make = [](const core::block_instance& b,
              const core::block_env& env) -> std::unique_ptr<core::peripheral> {
    return std::make_unique<rtc>(b.name.c_str(), rtc_config{env.aon_clock_hz, env.register_latency});
  };
  return k;
}

gpio_config gpio_config_of(const core::block_instance& b, const core::block_env& env) {
  gpio_config c;
  c.latency = env.register_latency;
  const std::string& stim = b.params.text("stimulus");
  if (!stim.empty()) c.stimulus = parse_gpio_stimulus(stim);
  return c;
}

core::block_kind gpio_kind() {
  core::block_kind k;
  k.name = "gpio";
  k.summary = "32 GPIO pins: outputs, inputs with edge interrupts and wake-up";
  k.base = 0x10004000;
  k.irq = 3;
  k.always_on = true;
  k.wake_input = 1;
  k.default_power = {1e-12, 0.2e-6, 0.0};  // part of the always-on 1.7 uW (see rtc)
  k.keys = {param_spec::path(
      "stimulus", "",
      "file of `<time> <pin> <level>` lines driving the inputs (relative to the file naming it)")};
  k.make = [](const core::block_instance& b,
              const core::block_env& env) -> std::unique_ptr<core::peripheral> {
    return std::make_unique<gpio>(b.name.c_str(), gpio_config_of(b, env));
  };
  return k;
}

}  // namespace edgevp::peripherals

namespace edgevp::core {

block_registry& block_registry::builtin() {
  static block_registry r = [] {
    block_registry k;
    k.add(peripherals::uart_kind());
    k.add(peripherals::rtc_kind());
    k.add(peripherals::gpio_kind());
    return k;
  }();
  return r;
}

}  // namespace edgevp::core

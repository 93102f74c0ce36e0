// edgevp: the peripheral kinds built into edgevp (core::block_registry::builtin()), each declared
// beside its model: its window, interrupt source, domain, keys and default power.
#pragma once

#include "models/core/block.h"

namespace edgevp::peripherals {

core::block_kind uart_kind();
core::block_kind rtc_kind();
core::block_kind gpio_kind();

struct gpio_config;
// A gpio instance's configuration from its keys (the RTL twin builds from it too).
gpio_config gpio_config_of(const core::block_instance& b, const core::block_env& env);

}  // namespace edgevp::peripherals

#include "models/rtl/implementations.h"

#include "models/accelerators/registry.h"
#include "models/core/block.h"
#include "models/peripherals/gpio.h"
#include "models/peripherals/kinds.h"
#include "models/rtl/cim_digital_rtl.h"
#include "models/rtl/gpio_rtl.h"

namespace edgevp::rtl {

void register_all() {
  static const bool done = [] {
    accel::registry::builtin().add_rtl("cim-digital", make_cim_digital);
    core::block_registry::builtin().add_rtl(
        "gpio",
        [](const core::block_instance& b, const core::block_env& env) -> std::unique_ptr<core::peripheral> {
          gpio_rtl_config r;
          r.timeout = b.rtl_timeout;
          r.vcd = env.rtl_vcd;
          return make_gpio(b.name.c_str(), peripherals::gpio_config_of(b, env), r);
        });
    return true;
  }();
  (void)done;
}

const core::block_registry& blocks() {
  register_all();
  return core::block_registry::builtin();
}

const accel::registry& kinds() {
  register_all();
  return accel::registry::builtin();
}

}  // namespace edgevp::rtl

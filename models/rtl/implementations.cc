#include "models/rtl/implementations.h"

#include "models/accelerators/registry.h"
#include "models/rtl/cim_digital_rtl.h"

namespace edgevp::rtl {

void register_all() {
  static const bool done = [] {
    accel::registry::builtin().add_rtl("cim-digital", make_cim_digital);
    return true;
  }();
  (void)done;
}

const accel::registry& kinds() {
  register_all();
  return accel::registry::builtin();
}

}  // namespace edgevp::rtl

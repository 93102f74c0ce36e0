// The accelerator kinds built into edgevp. A new kind adds one line here (docs/accelerators.md).
#include "models/accelerators/cgra/cgra.h"
#include "models/accelerators/cim/cim.h"
#include "models/accelerators/registry.h"
#include "models/accelerators/snn/snn.h"
#include "models/accelerators/tta/tta.h"

namespace edgevp::accel {

registry& registry::builtin() {
  static registry r = [] {
    registry k;
    k.add(cim::digital_kind());
    k.add(cim::analog_kind());
    k.add(snn::kind());
    k.add(tta::kind());
    k.add(cgra::kind());
    return k;
  }();
  return r;
}

}  // namespace edgevp::accel

// edgevp: the digital CIM as RTL (rtl/cim_digital.sv) behind AXI bridges: `NAME.impl = rtl` or
// `lockstep` for a cim-digital instance (docs/rtl.md).
#pragma once

#include <memory>

#include "models/accelerators/device.h"

namespace edgevp::rtl {

// Throws core::config_error when the instance asks for what the RTL was not built with (array
// size) or is malformed.
std::unique_ptr<accel::device> make_cim_digital(const accel::instance& inst);

}  // namespace edgevp::rtl

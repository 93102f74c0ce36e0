// edgevp: the RTL library's implementations, registered beside their TLM twins.
//
// The model library knows no RTL (it builds and its benches link without Verilator); this library
// adds each verilated block to the registry of its kind. The platform calls register_all() once,
// before it reads a configuration; adding an RTL implementation changes only this library.
#pragma once

#include "models/accelerators/registry.h"
#include "models/core/block.h"

namespace edgevp::rtl {

// Idempotent.
void register_all();
// The built-in kinds with their RTL implementations registered.
const accel::registry& kinds();
const core::block_registry& blocks();

}  // namespace edgevp::rtl

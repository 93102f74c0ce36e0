// edgevp: --gen-power-table: every power source of a configuration, as JSON, without a run.
//
// The values a run charges are derived from the configuration inside the models (a memory's
// per-access energy from its per-bit key and width, an ADC's from its bits); this writes them as
// the models see them, so that tools/sweep can re-cost a finished run with other power parameters
// (energy = value x the report's basis) without knowing how each model derives them.
#pragma once

#include <string>

#include "platform/options.h"

namespace edgevp::platform {

// Builds the SoC of `opts` (no firmware is loaded, nothing runs) and writes its sources to `path`.
// Throws core::config_error on a bad configuration, std::runtime_error when `path` cannot be written.
void write_power_table(const parsed_options& opts, const std::string& path);

}  // namespace edgevp::platform

// edgevp: --power-plot: the run's picture, drawn by tools/plot/edgevp_plot.py after the run.
//
// The tool is Python with Debian's matplotlib; edgevp runs it with /usr/bin/python3 and says
// plainly what is missing when it cannot. EDGEVP_PLOT_TOOL in the environment names another copy
// of the script (the build records where the source tree's is).
#pragma once

#include <string>

namespace edgevp::platform {

// Draws `out` (.png or .svg) from a report and, if not empty, a power CSV. Returns "" on success,
// else why no picture was written (the tool's own message when it ran).
std::string draw_power_plot(const std::string& report, const std::string& power_csv, const std::string& out);

}  // namespace edgevp::platform

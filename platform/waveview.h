// edgevp: GTKWave save files (.gtkw) beside the VCDs, so a waveform opens with its signals shown.
//
// GTKWave opens a VCD with no signal displayed; a save file lists the traces, grouped, with their
// display formats: `gtkwave run.vcd run.gtkw`. Flags are GTKWave's trace flags (its save-file
// format writes them as `@<hex>` lines): binary, decimal, real values drawn as analog steps, group
// begin and end.
#pragma once

#include <string>
#include <vector>

namespace edgevp::platform {

enum class trace_format { binary, decimal, analog };

struct wave_trace {
  std::string name;  // as GTKWave names it: scopes joined by '.', no bit range ("SystemC.irq.uart")
  trace_format format = trace_format::binary;
};

struct wave_group {
  std::string name;
  std::vector<wave_trace> traces;
};

// Writes `path` for the VCD at `vcd_path` (named relative to the save file's directory when they
// share it). Throws std::runtime_error naming the file when it cannot be written.
void write_gtkw(const std::string& path, const std::string& vcd_path, const std::vector<wave_group>& groups);

// "run.vcd" -> "run.gtkw".
std::string gtkw_path(const std::string& vcd_path);

}  // namespace edgevp::platform

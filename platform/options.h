// edgevp: command line and configuration files (one Boost.Program_options table for both).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <systemc>

#include "platform/soc.h"

namespace edgevp::platform {

// Exit codes (documented in README.md and `edgevp --help`).
namespace exit_code {
inline constexpr int scenario_failed = 1;   // --scenario: an expectation was not met
inline constexpr int usage = 64;            // unknown option, malformed value, missing argument
inline constexpr int image = 65;            // missing, corrupt or unsuitable ELF image
inline constexpr int internal = 70;         // a bug in edgevp
inline constexpr int io = 74;               // an output file cannot be written, the GDB port cannot be opened
inline constexpr int config = 78;           // a configuration that cannot be built
inline constexpr int deadlock = 123;        // nothing left to happen: WFI with no wake-up source
inline constexpr int time_limit = 124;      // --max-time reached before the firmware exited
inline constexpr int fault = 125;           // unhandled trap or fault loop
inline constexpr int mismatch = 122;        // co-verification: the RTL and the TLM model disagree
inline constexpr int firmware_range = 121;  // the firmware's exit code is above 255 (not a process exit code)
inline constexpr int killed = 137;          // the debugger killed the run (gdb `kill`), as 128 + SIGKILL
}  // namespace exit_code

class usage_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct scenario_spec {
  std::string file;
  std::string firmware;      // as written in the scenario
  std::string description;
  std::optional<int> exit_code;
  std::vector<std::string> uart_lines;  // each must appear, in this order, as a whole line
  std::optional<sc_core::sc_time> max_sim_time;
  std::optional<double> max_energy;     // J
  std::optional<double> max_avg_power;  // W
  std::vector<std::string> regions;     // each must be opened and closed
};

struct run_options {
  bool help = false;
  bool version = false;
  std::vector<std::string> configs;
  std::string config_from_report;  // --config-from-report: the run's configuration from a report
  std::string firmware;
  std::string firmware_dir;
  std::string scenario;
  sc_core::sc_time max_time = sc_core::sc_time(10, sc_core::SC_SEC);
  sc_core::sc_time quantum = sc_core::sc_time(10, sc_core::SC_US);
  std::string uart_out;
  std::string report;
  std::string vcd;
  std::string trace_insn;
  std::string power_vcd;
  std::string power_csv;
  std::string power_plot;  // --power-plot: the run's picture (tools/plot), .png or .svg
  sc_core::sc_time power_interval = sc_core::sc_time(100, sc_core::SC_US);
  std::string emram_image;
  std::string gen_memmap;
  std::string gen_power_table;  // --gen-power-table FILE
  std::optional<std::uint16_t> gdb_port;  // --gdb PORT (0: any free port)
  bool gdb_wait = false;
  bool quiet = false;
  bool progress = false;            // --progress: the progress line even when stderr is not a terminal
  std::string accel_log;            // --accel-log: every accelerator job, as JSON lines
  std::string coverify;             // --coverify BLOCK: run tlm and rtl, compare
  double coverify_tolerance = 0.2;  // relative cycle error allowed per job (docs/rtl.md)
  std::uint64_t coverify_slack = 16;  // cycles allowed per job on top of the relative error
};

// A key the user gave, as written, and where (the report echoes it; --config-from-report replays it).
struct given_value {
  std::vector<std::string> values;  // as written (several for a repeatable key)
  std::string origin;               // "command line", "file", "scenario", "report", or "default"
  std::string file;                 // the file that gave it ("" for the command line and defaults)
};

struct parsed_options {
  run_options run;
  soc_config soc;
  scenario_spec scenario;
  // The effective configuration: every key given (highest-priority source first wins), the
  // firmware and input files as resolved, and every declared key of each accelerator instance
  // with its value (origin "default" when not given).
  std::map<std::string, given_value> configuration;
};

// Keys of the configuration that --config-from-report does not replay: where the run's outputs go
// and how it is driven (a rerun names its own), not what is simulated.
bool replayed(const std::string& key);

// Throws usage_error (with a message naming the option or file) on any problem.
parsed_options parse_options(int argc, const char* const* argv);
std::string help_text();

}  // namespace edgevp::platform

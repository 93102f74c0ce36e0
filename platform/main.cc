// edgevp: the simulator executable. `edgevp [options] FIRMWARE.elf` or `edgevp --scenario FILE`.
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <cstdio>
#include <cstdlib>
#include <utility>
#include <vector>
#include <iostream>
#include <string>

#include <systemc>

#include "models/core/errors.h"
#include "platform/coverify.h"
#include "platform/kernel_messages.h"
#include "platform/options.h"
#include "platform/power_plot.h"
#include "platform/power_table.h"
#include "platform/simulation.h"
#include "platform/uart_expect.h"
#include "platform/units.h"

namespace ep = edgevp::platform;

namespace {

void print_summary(const ep::run_result& r) {
  const double mips = r.wall_s > 0 ? static_cast<double>(r.instructions) / r.wall_s / 1e6 : 0.0;
  std::fprintf(stderr,
               "edgevp: %s\n"
               "edgevp: simulated %s, %llu instructions, %llu cycles, host %.3f s (%.1f MIPS), exit code %d\n",
               r.message.c_str(), ep::format_time(r.sim_time).c_str(),
               static_cast<unsigned long long>(r.instructions), static_cast<unsigned long long>(r.cycles), r.wall_s,
               mips, r.process_code);
  // Where the energy went, largest first.
  std::vector<std::pair<double, std::string>> parts;
  for (const auto& d : r.power.domains)
    if (d.energy_j > 0) parts.emplace_back(d.energy_j, d.name);
  std::sort(parts.rbegin(), parts.rend());
  std::string split;
  for (const auto& [e, n] : parts) {
    char buf[64];
    std::snprintf(buf, sizeof(buf), "%s%s %.1f%%", split.empty() ? "" : ", ", n.c_str(),
                  r.power.total_j > 0 ? 100.0 * e / r.power.total_j : 0.0);
    split += buf;
  }
  std::fprintf(stderr, "edgevp: energy %s, average power %s (%s)\n", ep::format_quantity(r.power.total_j, 'J').c_str(),
               ep::format_quantity(r.power.average_w, 'W').c_str(), split.c_str());
}

// Checks a scenario's expectations; prints one line per check.
int check_scenario(const ep::parsed_options& o, const ep::run_result& r) {
  const ep::scenario_spec& s = o.scenario;
  int failures = 0;
  auto check = [&failures](bool ok, const std::string& what) {
    std::fprintf(stderr, "scenario: %s %s\n", ok ? "PASS" : "FAIL", what.c_str());
    if (!ok) ++failures;
  };
  const bool exited = r.reason == ep::exit_reason::firmware_exit || r.reason == ep::exit_reason::tohost_exit;
  if (s.exit_code) {
    check(exited && r.firmware_code == *s.exit_code,
          "exit code " + std::to_string(*s.exit_code) + " (got: " + (exited ? std::to_string(r.firmware_code) : r.message) + ")");
  } else {
    check(exited, "firmware exits (got: " + r.message + ")");
  }
  // Expected lines must appear, in order, as whole lines (platform/uart_expect.h).
  for (std::size_t i = 0; i < s.uart_lines.size(); ++i) {
    const bool found = i < r.uart_found.size() && r.uart_found[i];
    check(found, "uart line \"" + s.uart_lines[i] + "\"" +
                     (!found && r.uart_overflowed
                          ? " (only the first " + std::to_string(ep::uart_expectations::max_matches) +
                                " lines equal to an expected one were looked at)"
                          : ""));
  }
  if (s.max_energy)
    check(r.power.total_j <= *s.max_energy, "energy " + ep::format_quantity(r.power.total_j, 'J') +
                                                " <= " + ep::format_quantity(*s.max_energy, 'J'));
  if (s.max_avg_power)
    check(r.power.average_w <= *s.max_avg_power, "average power " + ep::format_quantity(r.power.average_w, 'W') +
                                                      " <= " + ep::format_quantity(*s.max_avg_power, 'W'));
  for (std::size_t i = 0; i < s.regions.size(); ++i)
    check(i < r.regions_closed.size() && r.regions_closed[i], "region \"" + s.regions[i] + "\" closed");
  if (s.max_sim_time)
    check(r.sim_time <= *s.max_sim_time,
          "simulated time " + ep::format_time(r.sim_time) + " <= " + ep::format_time(*s.max_sim_time));
  std::fprintf(stderr, "scenario: %s: %s\n", s.file.c_str(), failures == 0 ? "passed" : "FAILED");
  return failures == 0 ? 0 : ep::exit_code::scenario_failed;
}

// --power-plot reads a report and a power CSV: temporary ones unless the run names its own.
struct plot_inputs {
  std::string report, csv;
  std::vector<std::string> temporary;
  ~plot_inputs() {
    for (const std::string& f : temporary) std::remove(f.c_str());
  }
};

std::string temporary_file(const char* suffix) {
  std::string name = std::string("/tmp/edgevp_plot_XXXXXX") + suffix;
  const int fd = ::mkstemps(name.data(), static_cast<int>(std::strlen(suffix)));
  if (fd >= 0) ::close(fd);
  return fd >= 0 ? name : std::string();
}

// One run: simulate, print the summary, check the scenario; the process exit code.
int run_once(const ep::parsed_options& given) {
  ep::parsed_options opts = given;
  plot_inputs plot;
  if (!opts.run.power_plot.empty()) {
    for (auto [path, suffix] : {std::pair<std::string*, const char*>{&opts.run.report, ".json"},
                                std::pair<std::string*, const char*>{&opts.run.power_csv, ".csv"}}) {
      if (!path->empty()) continue;
      *path = temporary_file(suffix);
      if (path->empty()) {
        std::fprintf(stderr, "edgevp: --power-plot: cannot make a temporary file\n");
        return ep::exit_code::io;
      }
      plot.temporary.push_back(*path);
    }
  }
  ep::run_result r;
  try {
    r = ep::simulate(opts);
  } catch (const ep::image_error& e) {
    std::fprintf(stderr, "edgevp: cannot load firmware: %s\n", e.what());
    return ep::exit_code::image;
  } catch (const edgevp::core::config_error& e) {
    std::fprintf(stderr, "edgevp: configuration error: %s\n", e.what());
    return ep::exit_code::config;
  } catch (const ep::usage_error& e) {
    std::fprintf(stderr, "edgevp: %s\n", e.what());
    return ep::exit_code::usage;
  } catch (const std::runtime_error& e) {
    std::fprintf(stderr, "edgevp: %s\n", e.what());
    return ep::exit_code::io;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "edgevp: internal error: %s\n", e.what());
    return ep::exit_code::internal;
  }
  if (const std::string repeats = ep::kernel_message_repeats(); !repeats.empty())
    std::fprintf(stderr, "edgevp: %s\n", repeats.c_str());
  if (!opts.run.quiet)
    print_summary(r);
  else if (r.process_code != 0)  // -q keeps the summary quiet, not why a run failed
    std::fprintf(stderr, "edgevp: %s\n", r.message.c_str());
  int code = opts.run.scenario.empty() ? r.process_code : check_scenario(opts, r);
  // An output that could not be written is never a success, whatever the firmware did.
  for (const std::string& why : r.output_errors) std::fprintf(stderr, "edgevp: %s\n", why.c_str());
  if (!r.output_errors.empty()) code = ep::exit_code::io;
  if (!opts.run.power_plot.empty()) {
    const std::string why = ep::draw_power_plot(opts.run.report, opts.run.power_csv, opts.run.power_plot);
    if (!why.empty()) {
      std::fprintf(stderr, "edgevp: --power-plot: no picture written: %s\n", why.c_str());
      if (code == 0) code = ep::exit_code::io;
    } else if (!opts.run.quiet) {
      std::fprintf(stderr, "edgevp: power plot written to %s\n", opts.run.power_plot.c_str());
    }
  }
  return code;
}

}  // namespace

int sc_main(int argc, char* argv[]) {
  ep::install_kernel_messages();  // to stderr, each once: stdout is the UART's
  ep::parsed_options opts;
  try {
    opts = ep::parse_options(argc, argv);
  } catch (const ep::usage_error& e) {
    std::fprintf(stderr, "edgevp: %s\nTry 'edgevp --help'.\n", e.what());
    return ep::exit_code::usage;
  }
  if (opts.run.help) {
    std::cout << ep::help_text();
    return 0;
  }
  if (opts.run.version) {
    std::cout << "edgevp " EDGEVP_VERSION " (SystemC " << sc_core::sc_release() << ")\n";
    return 0;
  }
  if (!opts.run.gen_memmap.empty()) {
    try {
      ep::write_memmap(opts.soc, opts.run.gen_memmap);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "edgevp: %s\n", e.what());
      return ep::exit_code::io;
    }
    return 0;
  }
  if (!opts.run.gen_power_table.empty()) {
    try {
      ep::write_power_table(opts, opts.run.gen_power_table);
    } catch (const edgevp::core::config_error& e) {
      std::fprintf(stderr, "edgevp: configuration error: %s\n", e.what());
      return ep::exit_code::config;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "edgevp: %s\n", e.what());
      return ep::exit_code::io;
    }
    return 0;
  }
  if (opts.run.firmware.empty()) {
    std::fprintf(stderr, "edgevp: no firmware image given\nUsage: edgevp [options] FIRMWARE.elf (see --help)\n");
    return ep::exit_code::usage;
  }

  if (!opts.run.coverify.empty()) {
    try {
      return ep::coverify(opts, run_once);
    } catch (const ep::usage_error& e) {
      std::fprintf(stderr, "edgevp: %s\nTry 'edgevp --help'.\n", e.what());
      return ep::exit_code::usage;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "edgevp: %s\n", e.what());
      return ep::exit_code::io;
    }
  }
  return run_once(opts);
}

int main(int argc, char* argv[]) {
  // SystemC prints a banner to stdout otherwise, which would mix with the firmware's UART output.
  ::setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
  return sc_core::sc_elab_and_sim(argc, argv);
}

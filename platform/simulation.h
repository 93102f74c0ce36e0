// edgevp: one run of firmware on the SoC, and what came out of it.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <systemc>

#include "platform/options.h"

namespace edgevp::platform {

enum class exit_reason {
  firmware_exit,
  tohost_exit,
  unhandled_trap,
  fault_loop,
  time_limit,
  deadlock,
  killed,
  mismatch,
  signal  // SIGINT or SIGTERM: the run stopped, its outputs written (process code 128 + signal)
};
const char* reason_name(exit_reason r);

struct region_record {
  std::string name;
  unsigned depth = 0;
  double start_s = 0, end_s = 0;
  std::uint64_t instructions = 0;
  std::uint64_t cycles = 0;
  double energy_j = 0;
  std::vector<std::pair<std::string, double>> component_j;  // non-zero components only
  std::vector<std::pair<std::string, std::uint64_t>> operations;  // non-zero only
};

struct power_source_record {
  std::string name;
  std::string kind;
  std::uint64_t events = 0;
  double energy_j = 0;
  std::string value;  // the parameter, as configured
  double basis = 0;   // energy per unit of value (core::power::source::basis)
  bool table = false;  // the value is a table over voltage: no basis
};

// All regions of one name together, with each source's energy and basis, so that a run can be
// re-costed per region (tools/sweep recost); per-source figures for each region would grow the
// report with every region the firmware marks.
struct region_total {
  std::string name;
  std::uint64_t count = 0;
  double time_s = 0;
  std::uint64_t instructions = 0;
  std::uint64_t cycles = 0;
  std::int64_t energy_aj = 0;
  std::vector<std::int64_t> source_aj;  // as core::power::snapshot, every source in order
  std::vector<double> source_basis;
};

struct power_component_record {
  std::string name;
  std::string domain;
  double energy_j = 0;
  std::uint64_t operations = 0;
  std::vector<power_source_record> sources;
};

struct power_domain_record {
  std::string name;
  double energy_j = 0;
  std::vector<std::pair<std::string, double>> state_energy_j;  // off, retention, clock_gated, on
  std::vector<std::pair<std::string, double>> residency_s;
  std::uint64_t transitions = 0;
};

struct power_summary {
  double total_j = 0;
  double average_w = 0;
  std::vector<std::pair<std::string, double>> kind_j;  // event, background, leakage, retention
  std::vector<power_component_record> components;
  std::vector<power_domain_record> domains;
  std::uint64_t deep_sleeps = 0;
  std::uint64_t wake_ups = 0;
};

struct run_result {
  exit_reason reason = exit_reason::time_limit;
  int firmware_code = 0;       // for firmware_exit / tohost_exit
  int process_code = 0;        // what edgevp exits with
  sc_core::sc_time sim_time;
  std::uint64_t instructions = 0;
  std::uint64_t cycles = 0;
  double wall_s = 0;
  std::uint32_t pc = 0;
  std::uint32_t cause = 0;     // for faults
  std::uint32_t tval = 0;
  int signal = 0;              // for signal: SIGINT or SIGTERM
  std::string message;         // one line describing how the run ended
  std::vector<std::string> output_errors;  // outputs that could not be written (process_code is then 74)
  std::vector<bool> uart_found;  // each of the scenario's expected UART lines (uart_expect.h)
  bool uart_overflowed = false;  // more matching lines than uart_expectations::max_matches
  // The first max_region_records closed regions; the rest are counted in regions_not_listed but
  // still in the totals. The totals keep max_region_names names; regions of any further name are
  // added to other_names (its name "(other names)"; it is no entry of region_totals, so a firmware
  // region of that name stays apart).
  static constexpr std::size_t max_region_records = 65536;
  static constexpr std::size_t max_region_names = 4096;
  std::vector<region_record> regions;
  std::uint64_t regions_not_listed = 0;
  std::vector<region_total> region_totals;  // in order of first appearance
  region_total other_names;                 // count 0: none
  std::vector<bool> regions_closed;         // each of the scenario's expected regions (expect.region)
  power_summary power;
  struct worn_row {
    std::uint64_t row = 0, address = 0, writes = 0;
  };
  std::uint64_t emram_row_bytes = 0, emram_endurance = 0, emram_row_writes = 0, emram_rows_over_endurance = 0;
  std::vector<worn_row> emram_worst_rows;  // most written first
  struct accel_record {
    std::string name, kind;
    std::uint64_t base = 0;
    unsigned irq = 0;
    std::uint64_t jobs = 0, errors = 0, busy_cycles = 0, operations = 0, dma_bytes = 0;
    double busy_s = 0, energy_j = 0;
    std::vector<std::pair<std::string, double>> stats;  // the kind's own figures
  };
  std::vector<accel_record> accelerators;
};

// Builds the SoC, loads the firmware, runs it and writes the requested outputs.
// Throws usage_error, core::config_error, image_error, std::runtime_error (I/O).
run_result simulate(const parsed_options& opts);

// JSON report of a run; "" or why it could not be written (a file that cannot be opened throws
// std::runtime_error).
std::string write_report(const std::string& path, const parsed_options& opts, const run_result& r);

}  // namespace edgevp::platform

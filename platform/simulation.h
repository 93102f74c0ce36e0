// edgevp: one run of firmware on the SoC, and what came out of it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <systemc>

#include "platform/options.h"

namespace edgevp::platform {

enum class exit_reason { firmware_exit, tohost_exit, unhandled_trap, fault_loop, time_limit, deadlock, killed };
const char* reason_name(exit_reason r);

struct region_record {
  std::string name;
  unsigned depth = 0;
  double start_s = 0, end_s = 0;
  std::uint64_t instructions = 0;
  std::uint64_t cycles = 0;
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
  std::string message;         // one line describing how the run ended
  std::string uart;            // everything the UART transmitted
  std::vector<region_record> regions;
};

// Builds the SoC, loads the firmware, runs it and writes the requested outputs.
// Throws usage_error, core::config_error, image_error, std::runtime_error (I/O).
run_result simulate(const parsed_options& opts);

// JSON report of a run.
void write_report(const std::string& path, const parsed_options& opts, const run_result& r);

}  // namespace edgevp::platform

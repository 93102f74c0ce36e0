// edgevp --coverify BLOCK: co-verification of an accelerator's RTL against its TLM model across
// two runs of the same firmware (docs/rtl.md).
//
// The run is made twice, in child processes (a SystemC kernel elaborates once per process): with
// BLOCK.impl = tlm, then BLOCK.impl = rtl, each writing its jobs to an accelerator log
// (--accel-log: outcome, counters, cycles and every byte written, per START). Each run checks the
// scenario, if there is one. Then the two logs are compared job by job: outcome and counters
// equal, memory written equal bit for bit, completion interrupts equal, and each job's cycles
// within the tolerance (relative, plus a slack in cycles); the first mismatch is reported with the job, the address and both values.
#pragma once

#include <functional>
#include <string>

#include "platform/options.h"

namespace edgevp::platform {

// What a comparison of two accelerator logs found.
struct coverify_result {
  bool match = false;
  std::string first_mismatch;  // "job 3: memory 0x80001234: rtl 0x12, tlm 0x13", when !match
  std::size_t jobs = 0;        // jobs compared
  std::size_t bytes = 0;       // bytes written, per run
  std::uint64_t irqs = 0;
  std::uint64_t tlm_cycles = 0, rtl_cycles = 0;
  double max_error = 0;        // largest relative cycle error of a job
  std::size_t max_error_job = 0;
  double mean_error = 0;
};

// Compares the records of `block` in two --accel-log files. Throws std::runtime_error when a log
// cannot be read or is malformed.
coverify_result compare_accel_logs(const std::string& tlm_log, const std::string& rtl_log, const std::string& block,
                                   double tolerance, std::uint64_t slack);

// Runs the co-verification of opts.run.coverify; `run_once` makes one run (and checks the
// scenario) and returns its process exit code. Returns the exit code of the whole: that of the
// runs when they agree and match, exit_code::mismatch when the block's jobs differ or the runs
// end differently.
int coverify(const parsed_options& opts, const std::function<int(const parsed_options&)>& run_once);

}  // namespace edgevp::platform

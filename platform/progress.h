// edgevp: the progress line of a long run (issue: what users expect around a run).
//
// On a terminal, a run that lasts more than about a second prints one status line on stderr and
// rewrites it in place: simulated time, instructions, host MIPS, the firmware region open now and
// the energy so far (as of the power monitor's last checkpoint: reading it never moves a
// checkpoint, so a run with the line gives the same figures as one without). The clock is read at
// every CPU synchronisation (once per quantum), which costs next to nothing; the line is redrawn
// four times a second at most.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

#include <systemc>

namespace edgevp::platform {

class progress_line {
 public:
  // `enabled`: print at all (--progress, or stderr is a terminal and not --quiet). `at_once`: from
  // the start (--progress), not only once the run has lasted a second.
  progress_line(bool enabled, bool at_once = false, std::FILE* out = stderr);
  progress_line(const progress_line&) = delete;
  progress_line& operator=(const progress_line&) = delete;
  ~progress_line();

  // Whether the line is due: cheap, call it at every synchronisation.
  [[nodiscard]] bool due();
  void print(const sc_core::sc_time& sim, std::uint64_t instructions, const std::string& region, double energy_j);
  // Clears the line (the run's summary follows on a clean line).
  void finish();

  // --progress given, or stderr is a terminal (and the run is not --quiet).
  static bool wanted(bool forced, bool quiet);

 private:
  bool m_enabled;
  std::FILE* m_out;
  bool m_shown = false;
  std::chrono::steady_clock::time_point m_start;
  std::chrono::steady_clock::time_point m_next;
};

}  // namespace edgevp::platform

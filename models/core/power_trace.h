// edgevp: power traces written from the monitor's segments.
//
//   csv_trace  one row per sample interval: the interval's start time, the average power of each
//              domain and of the whole SoC over the interval, and each domain's state at the end of
//              the interval. A segment that spans several intervals is spread over them in
//              proportion to time: exact for static power; event energy between two checkpoints is
//              assumed uniform (checkpoints come at least once per interval while the CPU runs).
//   vcd_trace  a VCD (GTKWave) with a real-valued power variable per domain plus the total, in W,
//              stepping at every checkpoint, and each domain's state as a 2-bit vector
//              (0 off, 1 retention, 2 clock-gated, 3 on). Timescale 1 ps.
// Both are deterministic: they depend on simulated time and counters only.
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "models/core/power.h"

namespace edgevp::core::power {

class csv_trace {
 public:
  // Throws std::runtime_error naming the file when it cannot be written.
  csv_trace(monitor& m, const std::string& path, sc_core::sc_time interval);
  // Flushes the last, possibly partial, interval ending at `end`.
  void finish(sc_core::sc_time end);

 private:
  void on_segment(const segment& s);
  void flush_row(double row_seconds);

  monitor& m_monitor;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> m_file;
  std::string m_path;
  sc_core::sc_time m_interval;
  sc_core::sc_time m_row_start = sc_core::SC_ZERO_TIME;
  std::vector<double> m_row_j;  // per domain, joules in the current row
  std::vector<state> m_states;
};

class vcd_trace {
 public:
  vcd_trace(monitor& m, const std::string& path);
  void finish(sc_core::sc_time end);

 private:
  void on_segment(const segment& s);

  std::unique_ptr<std::FILE, int (*)(std::FILE*)> m_file;
  std::string m_path;
  std::vector<double> m_power;  // last written, per domain; back() = total
  std::vector<int> m_states;
  bool m_first = true;
};

}  // namespace edgevp::core::power

#include "models/core/power_trace.h"

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace edgevp::core::power {

namespace {

std::FILE* open_or_throw(const std::string& path, const char* what) {
  std::FILE* f = std::fopen(path.c_str(), "w");
  if (f == nullptr)
    throw std::runtime_error(std::string("cannot write ") + what + " '" + path +
                             "': " + std::strerror(errno));
  return f;
}

// VCD identifiers: printable ASCII from '!'.
std::string vcd_id(std::size_t i) {
  std::string s;
  do {
    s.push_back(static_cast<char>('!' + i % 94));
    i /= 94;
  } while (i != 0);
  return s;
}

}  // namespace

// ---------------------------------------------------------------- CSV

csv_trace::csv_trace(monitor& m, const std::string& path, sc_core::sc_time interval)
    : m_monitor(m),
      m_file(open_or_throw(path, "power CSV"), &std::fclose),
      m_path(path),
      m_interval(interval) {
  const auto& ds = m.domains();
  m_row_j.assign(ds.size(), 0.0);
  m_states.reserve(ds.size());
  std::fprintf(m_file.get(), "time_s");
  for (const auto& d : ds) std::fprintf(m_file.get(), ",%s_W", d->name().c_str());
  std::fprintf(m_file.get(), ",total_W");
  for (const auto& d : ds) {
    std::fprintf(m_file.get(), ",%s_state", d->name().c_str());
    m_states.push_back(d->current());
  }
  std::fprintf(m_file.get(), "\n");
  m_row_start = m.last_checkpoint();
  m.set_sample_interval(interval);
  m.add_sink([this](const segment& s) { on_segment(s); });
}

void csv_trace::flush_row(double row_seconds) {
  std::FILE* f = m_file.get();
  std::fprintf(f, "%.9g", m_row_start.to_seconds());
  double total = 0;
  for (double j : m_row_j) {
    const double w = row_seconds > 0 ? j / row_seconds : 0.0;
    total += w;
    std::fprintf(f, ",%.6e", w);
  }
  std::fprintf(f, ",%.6e", total);
  for (state s : m_states) std::fprintf(f, ",%s", state_name(s));
  std::fprintf(f, "\n");
  std::fill(m_row_j.begin(), m_row_j.end(), 0.0);
}

void csv_trace::on_segment(const segment& s) {
  const double seg_s = (s.to - s.from).to_seconds();
  sc_core::sc_time t = s.from;
  for (;;) {
    const sc_core::sc_time row_end = m_row_start + m_interval;
    const sc_core::sc_time part_end = s.to < row_end ? s.to : row_end;
    const double frac = seg_s > 0 ? (part_end - t).to_seconds() / seg_s : 1.0;
    for (std::size_t i = 0; i < m_row_j.size() && i < s.energy_aj.size(); ++i)
      m_row_j[i] += to_joules(s.energy_aj[i]) * frac;
    for (std::size_t i = 0; i < m_states.size() && i < s.states.size(); ++i) m_states[i] = s.states[i];
    if (part_end < row_end) break;  // the segment ends inside this row
    flush_row(m_interval.to_seconds());
    m_row_start = row_end;
    t = row_end;
    if (t >= s.to) break;
  }
  // States after the segment are the domains' current ones.
  const auto& ds = m_monitor.domains();
  for (std::size_t i = 0; i < m_states.size() && i < ds.size(); ++i) m_states[i] = ds[i]->current();
}

void csv_trace::finish(sc_core::sc_time end) {
  if (end > m_row_start) flush_row((end - m_row_start).to_seconds());
  std::fflush(m_file.get());
  if (std::ferror(m_file.get()) != 0) throw std::runtime_error("error writing power CSV '" + m_path + "'");
}

// ---------------------------------------------------------------- VCD

vcd_trace::vcd_trace(monitor& m, const std::string& path)
    : m_file(open_or_throw(path, "power VCD"), &std::fclose), m_path(path) {
  std::FILE* f = m_file.get();
  const auto& ds = m.domains();
  std::fprintf(f, "$date\n     (edgevp: omitted for reproducible traces)\n$end\n");
  std::fprintf(f,
               "$version\n     edgevp power monitor\n$end\n$timescale 1 ps $end\n$scope module power $end\n");
  for (std::size_t i = 0; i < ds.size(); ++i)
    std::fprintf(f, "$var real 64 %s %s_W $end\n", vcd_id(2 * i).c_str(), ds[i]->name().c_str());
  std::fprintf(f, "$var real 64 %s total_W $end\n", vcd_id(2 * ds.size()).c_str());
  for (std::size_t i = 0; i < ds.size(); ++i)
    std::fprintf(f, "$var wire 2 %s %s_state $end\n", vcd_id(2 * i + 1).c_str(), ds[i]->name().c_str());
  std::fprintf(f, "$upscope $end\n$enddefinitions $end\n");
  m_power.assign(ds.size() + 1, -1.0);
  m_states.assign(ds.size(), -1);
  m.add_sink([this](const segment& s) { on_segment(s); });
}

void vcd_trace::on_segment(const segment& s) {
  if (s.to <= s.from) return;  // an instant: no power to show
  std::FILE* f = m_file.get();
  const double dt = (s.to - s.from).to_seconds();
  std::fprintf(f, "#%llu\n", static_cast<unsigned long long>(s.from.value()));
  double total = 0;
  for (std::size_t i = 0; i < s.energy_aj.size(); ++i) {
    const double w = to_joules(s.energy_aj[i]) / dt;
    total += w;
    if (m_first || w != m_power[i]) std::fprintf(f, "r%.9g %s\n", w, vcd_id(2 * i).c_str());
    m_power[i] = w;
  }
  if (m_first || total != m_power.back())
    std::fprintf(f, "r%.9g %s\n", total, vcd_id(2 * s.energy_aj.size()).c_str());
  m_power.back() = total;
  for (std::size_t i = 0; i < s.states.size(); ++i) {
    const int v = static_cast<int>(s.states[i]);
    if (m_first || v != m_states[i])
      std::fprintf(f, "b%d%d %s\n", (v >> 1) & 1, v & 1, vcd_id(2 * i + 1).c_str());
    m_states[i] = v;
  }
  m_first = false;
}

void vcd_trace::finish(sc_core::sc_time end) {
  std::fprintf(m_file.get(), "#%llu\n", static_cast<unsigned long long>(end.value()));
  std::fflush(m_file.get());
  if (std::ferror(m_file.get()) != 0) throw std::runtime_error("error writing power VCD '" + m_path + "'");
}

}  // namespace edgevp::core::power

#include "platform/progress.h"

#include <unistd.h>

#include "platform/units.h"

namespace edgevp::platform {

namespace {
// Quiet runs shorter than this print nothing; then the line is redrawn at most this often.
constexpr std::chrono::milliseconds first_after(1000);
constexpr std::chrono::milliseconds every(250);
}  // namespace

progress_line::progress_line(bool enabled, bool at_once, std::FILE* out)
    : m_enabled(enabled),
      m_out(out),
      m_start(std::chrono::steady_clock::now()),
      m_next(at_once ? m_start : m_start + first_after) {}

progress_line::~progress_line() { finish(); }

bool progress_line::wanted(bool forced, bool quiet) { return forced || (!quiet && ::isatty(STDERR_FILENO) != 0); }

bool progress_line::due() {
  if (!m_enabled) return false;
  const auto now = std::chrono::steady_clock::now();
  if (now < m_next) return false;
  m_next = now + every;
  return true;
}

void progress_line::print(const sc_core::sc_time& sim, std::uint64_t instructions, const std::string& region,
                          double energy_j) {
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
  const double mips = wall > 0 ? static_cast<double>(instructions) / wall / 1e6 : 0.0;
  // \r and "erase to end of line": the line is rewritten in place.
  std::fprintf(m_out, "\redgevp: %s simulated, %.1f M instructions, %.0f MIPS, region %s, energy %s\x1b[K",
               format_time(sim).c_str(), static_cast<double>(instructions) / 1e6, mips,
               region.empty() ? "-" : region.c_str(), format_quantity(energy_j, 'J').c_str());
  std::fflush(m_out);
  m_shown = true;
}

void progress_line::finish() {
  if (!m_shown) return;
  std::fputs("\r\x1b[K", m_out);
  std::fflush(m_out);
  m_shown = false;
}

}  // namespace edgevp::platform

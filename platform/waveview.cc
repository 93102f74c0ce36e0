#include "platform/waveview.h"

#include <cstdio>
#include <fstream>
#include <stdexcept>

namespace edgevp::platform {

namespace {
// GTKWave's trace flags (its save-file format): one bit each.
constexpr unsigned flag_dec = 1u << 2, flag_bin = 1u << 3, flag_rjustify = 1u << 5, flag_blank = 1u << 9,
                   flag_analog_step = 1u << 15, flag_blank_stretch = 1u << 17, flag_real = 1u << 18,
                   flag_grp_begin = 1u << 23, flag_grp_end = 1u << 24;

std::string flags(unsigned f) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "@%x", f);
  return buf;
}

std::string base_name(const std::string& p) {
  const auto slash = p.find_last_of('/');
  return slash == std::string::npos ? p : p.substr(slash + 1);
}
std::string dir_name(const std::string& p) {
  const auto slash = p.find_last_of('/');
  return slash == std::string::npos ? std::string() : p.substr(0, slash);
}
}  // namespace

std::string gtkw_path(const std::string& vcd_path) {
  std::string base = vcd_path;
  if (base.size() > 4 && base.compare(base.size() - 4, 4, ".vcd") == 0) base.resize(base.size() - 4);
  return base + ".gtkw";
}

void write_gtkw(const std::string& path, const std::string& vcd_path, const std::vector<wave_group>& groups) {
  std::ofstream f(path, std::ios::trunc);
  if (!f) throw std::runtime_error("cannot write GTKWave save file '" + path + "'");
  // Beside each other: the dump file by its name, so the pair can be moved together.
  const std::string dump = dir_name(path) == dir_name(vcd_path) ? base_name(vcd_path) : vcd_path;
  f << "[*] edgevp: open with  gtkwave " << vcd_path << ' ' << path << "\n"
    << "[dumpfile] \"" << dump << "\"\n[timestart] 0\n[size] 1400 800\n[signals_width] 240\n[sst_expanded] 1\n";
  for (const wave_group& g : groups) {
    if (g.traces.empty()) continue;
    f << flags(flag_grp_begin | flag_blank) << "\n-" << g.name << "\n";
    for (const wave_trace& t : g.traces) {
      switch (t.format) {
        case trace_format::binary: f << flags(flag_bin | flag_rjustify) << "\n" << t.name << "\n"; break;
        case trace_format::decimal: f << flags(flag_dec | flag_rjustify) << "\n" << t.name << "\n"; break;
        case trace_format::analog:
          // An analog trace, two blank rows tall.
          f << flags(flag_real | flag_analog_step | flag_rjustify) << "\n" << t.name << "\n"
            << flags(flag_blank | flag_blank_stretch) << "\n-\n-\n";
          break;
      }
    }
    f << flags(flag_grp_end | flag_blank) << "\n-" << g.name << "\n";
  }
  if (!f.flush()) throw std::runtime_error("cannot write GTKWave save file '" + path + "'");
}

}  // namespace edgevp::platform

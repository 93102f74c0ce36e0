#include "models/core/units.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>


namespace edgevp::core {

std::string trim(const std::string& s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b])) != 0) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1])) != 0) --e;
  return s.substr(b, e - b);
}

namespace {

// Splits "12.5 us" into a finite non-negative number and its unit.
bool split_number(const std::string& in, double& num, std::string& unit) {
  const std::string s = trim(in);
  if (s.empty()) return false;
  char* end = nullptr;
  num = std::strtod(s.c_str(), &end);
  if (end == s.c_str() || !std::isfinite(num) || num < 0) return false;
  unit = trim(std::string(end));
  return true;
}

}  // namespace

std::optional<sc_core::sc_time> parse_time(const std::string& s) {
  double n = 0;
  std::string u;
  if (!split_number(s, n, u)) return std::nullopt;
  static const struct { const char* name; double ps; } units[] = {
      {"ps", 1.0}, {"ns", 1e3}, {"us", 1e6}, {"ms", 1e9}, {"s", 1e12}};
  for (const auto& unit : units) {
    if (u == unit.name) {
      const double ps = n * unit.ps;
      if (ps > 1.8e19) return std::nullopt;
      return sc_core::sc_time(std::round(ps), sc_core::SC_PS);
    }
  }
  return std::nullopt;
}

std::optional<std::uint64_t> parse_u64(const std::string& in) {
  const std::string s = trim(in);
  if (s.empty() || s[0] == '-' || s[0] == '+') return std::nullopt;
  char* end = nullptr;
  errno = 0;
  const unsigned long long v = std::strtoull(s.c_str(), &end, 0);  // 0x.. hex, else decimal (leading 0 = octal avoided below)
  if (end == s.c_str() || errno != 0) return std::nullopt;
  if (s.size() > 1 && s[0] == '0' && std::isdigit(static_cast<unsigned char>(s[1])) != 0) return std::nullopt;
  const std::string unit = trim(std::string(end));
  std::uint64_t mult = 1;
  if (unit.empty()) mult = 1;
  else if (unit == "K" || unit == "KiB" || unit == "k") mult = 1ull << 10;
  else if (unit == "M" || unit == "MiB") mult = 1ull << 20;
  else if (unit == "G" || unit == "GiB") mult = 1ull << 30;
  else return std::nullopt;
  if (v != 0 && mult > ~0ull / v) return std::nullopt;
  return v * mult;
}

std::optional<double> parse_frequency(const std::string& s) {
  double n = 0;
  std::string u;
  if (!split_number(s, n, u)) return std::nullopt;
  double mult = 0;
  if (u.empty() || u == "Hz") mult = 1;
  else if (u == "kHz") mult = 1e3;
  else if (u == "MHz") mult = 1e6;
  else if (u == "GHz") mult = 1e9;
  else return std::nullopt;
  const double hz = n * mult;
  if (hz <= 0) return std::nullopt;
  return hz;
}

std::optional<double> parse_voltage(const std::string& s) {
  double n = 0;
  std::string u;
  if (!split_number(s, n, u)) return std::nullopt;
  if (u == "V") return n > 0 ? std::optional<double>(n) : std::nullopt;
  if (u == "mV") return n > 0 ? std::optional<double>(n * 1e-3) : std::nullopt;
  return std::nullopt;
}

std::optional<double> parse_quantity(const std::string& s, char unit) {
  double n = 0;
  std::string u;
  if (!split_number(s, n, u)) return std::nullopt;
  if (u.empty()) return n;
  if (u.back() != unit) return std::nullopt;
  u.pop_back();
  static const struct { const char* p; double m; } prefixes[] = {
      {"", 1}, {"a", 1e-18}, {"f", 1e-15}, {"p", 1e-12}, {"n", 1e-9}, {"u", 1e-6}, {"m", 1e-3}, {"k", 1e3}, {"M", 1e6}};
  for (const auto& p : prefixes)
    if (u == p.p) return n * p.m;
  return std::nullopt;
}

std::optional<power::curve> parse_curve(const std::string& in, char unit) {
  const std::string s = trim(in);
  if (s.find(':') == std::string::npos) {
    auto v = parse_quantity(s, unit);
    if (!v) return std::nullopt;
    return power::curve(*v);
  }
  std::vector<std::pair<double, double>> pts;
  std::size_t pos = 0;
  while (pos <= s.size()) {
    const std::size_t comma = std::min(s.find(',', pos), s.size());
    const std::string item = s.substr(pos, comma - pos);
    const std::size_t colon = item.find(':');
    if (colon == std::string::npos) return std::nullopt;
    auto v = parse_voltage(item.substr(0, colon));
    auto q = parse_quantity(item.substr(colon + 1), unit);
    if (!v || !q) return std::nullopt;
    pts.emplace_back(*v, *q);
    pos = comma + 1;
  }
  try {
    return power::curve::table(pts);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::optional<std::vector<power::operating_point>> parse_opps(const std::string& in) {
  const std::string s = trim(in);
  std::vector<power::operating_point> out;
  std::size_t pos = 0;
  while (pos <= s.size()) {
    const std::size_t comma = std::min(s.find(',', pos), s.size());
    const std::string item = s.substr(pos, comma - pos);
    const std::size_t at = item.find('@');
    if (at == std::string::npos) return std::nullopt;
    auto v = parse_voltage(item.substr(0, at));
    auto f = parse_frequency(item.substr(at + 1));
    if (!v || !f) return std::nullopt;
    out.push_back({*v, *f});
    pos = comma + 1;
  }
  if (out.empty()) return std::nullopt;
  return out;
}

std::string format_quantity(double v, char unit) {
  static const struct { const char* p; double m; } prefixes[] = {
      {"M", 1e6}, {"k", 1e3}, {"", 1}, {"m", 1e-3}, {"u", 1e-6}, {"n", 1e-9}, {"p", 1e-12}, {"f", 1e-15}, {"a", 1e-18}};
  char buf[48];
  if (v == 0) {
    std::snprintf(buf, sizeof(buf), "0%c", unit);
    return buf;
  }
  for (const auto& p : prefixes) {
    if (std::fabs(v) >= p.m * 0.9999999) {
      std::snprintf(buf, sizeof(buf), "%.6g%s%c", v / p.m, p.p, unit);
      return buf;
    }
  }
  std::snprintf(buf, sizeof(buf), "%.6g%c", v, unit);
  return buf;
}

std::string format_curve(const power::curve& c, char unit) {
  if (!c.is_table()) return format_quantity(c.value(), unit);
  std::string s;
  char vb[32];
  for (const auto& p : c.points()) {
    std::snprintf(vb, sizeof(vb), "%.6gV:", p.first);
    if (!s.empty()) s += ',';
    s += vb + format_quantity(p.second, unit);
  }
  return s;
}

std::string format_time(const sc_core::sc_time& t) {
  const double ps = static_cast<double>(t.value()) * (sc_core::sc_get_time_resolution().to_seconds() * 1e12);
  char buf[48];
  if (ps >= 1e12) std::snprintf(buf, sizeof(buf), "%.6f s", ps / 1e12);
  else if (ps >= 1e9) std::snprintf(buf, sizeof(buf), "%.3f ms", ps / 1e9);
  else if (ps >= 1e6) std::snprintf(buf, sizeof(buf), "%.3f us", ps / 1e6);
  else std::snprintf(buf, sizeof(buf), "%.3f ns", ps / 1e3);
  return buf;
}

}  // namespace edgevp::core

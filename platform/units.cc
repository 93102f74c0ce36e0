#include "platform/units.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include <boost/program_options/errors.hpp>
#include <boost/program_options/value_semantic.hpp>

namespace edgevp::platform {

namespace {

std::string trim(const std::string& s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b])) != 0) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1])) != 0) --e;
  return s.substr(b, e - b);
}

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

std::string format_time(const sc_core::sc_time& t) {
  const double ps = static_cast<double>(t.value()) * (sc_core::sc_get_time_resolution().to_seconds() * 1e12);
  char buf[48];
  if (ps >= 1e12) std::snprintf(buf, sizeof(buf), "%.6f s", ps / 1e12);
  else if (ps >= 1e9) std::snprintf(buf, sizeof(buf), "%.3f ms", ps / 1e9);
  else if (ps >= 1e6) std::snprintf(buf, sizeof(buf), "%.3f us", ps / 1e6);
  else std::snprintf(buf, sizeof(buf), "%.3f ns", ps / 1e3);
  return buf;
}

namespace po = boost::program_options;

namespace {
[[noreturn]] void bad_value(const std::string& s, const char* expected) {
  throw po::error_with_option_name("the argument ('" + s + "') for option '%canonical_option%' is invalid: expected " +
                                   expected);
}
}  // namespace

void validate(boost::any& out, const std::vector<std::string>& values, time_value*, int) {
  po::validators::check_first_occurrence(out);
  const std::string& s = po::validators::get_single_string(values);
  auto t = parse_time(s);
  if (!t) bad_value(s, "a time with a unit (ps, ns, us, ms, s), e.g. 10us");
  out = time_value{*t};
}

void validate(boost::any& out, const std::vector<std::string>& values, u64_value*, int) {
  po::validators::check_first_occurrence(out);
  const std::string& s = po::validators::get_single_string(values);
  auto v = parse_u64(s);
  if (!v) bad_value(s, "a number (decimal or 0x hex, optionally K/M/G or KiB/MiB/GiB), e.g. 512KiB");
  out = u64_value{*v};
}

void validate(boost::any& out, const std::vector<std::string>& values, freq_value*, int) {
  po::validators::check_first_occurrence(out);
  const std::string& s = po::validators::get_single_string(values);
  auto v = parse_frequency(s);
  if (!v) bad_value(s, "a frequency (Hz, kHz, MHz, GHz), e.g. 100MHz");
  out = freq_value{*v};
}

}  // namespace edgevp::platform

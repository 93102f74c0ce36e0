#include "platform/units.h"

#include <boost/program_options/errors.hpp>
#include <boost/program_options/value_semantic.hpp>

namespace edgevp::platform {

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

namespace edgevp::platform {

void validate(boost::any& out, const std::vector<std::string>& values, volt_value*, int) {
  po::validators::check_first_occurrence(out);
  const std::string& s = po::validators::get_single_string(values);
  auto v = parse_voltage(s);
  if (!v) bad_value(s, "a voltage (V, mV), e.g. 0.8V");
  out = volt_value{*v};
}

void validate(boost::any& out, const std::vector<std::string>& values, energy_value*, int) {
  po::validators::check_first_occurrence(out);
  const std::string& s = po::validators::get_single_string(values);
  auto c = parse_curve(s, 'J');
  if (!c) bad_value(s, "an energy (aJ, fJ, pJ, nJ, uJ, mJ, J), e.g. 4.98pJ, or a table over voltage, e.g. 0.6V:3.1pJ,0.8V:4.98pJ");
  out = energy_value{*c};
}

void validate(boost::any& out, const std::vector<std::string>& values, power_value*, int) {
  po::validators::check_first_occurrence(out);
  const std::string& s = po::validators::get_single_string(values);
  auto c = parse_curve(s, 'W');
  if (!c) bad_value(s, "a power (pW, nW, uW, mW, W), e.g. 35.5uW, or a table over voltage, e.g. 0.6V:20uW,0.8V:35.5uW");
  out = power_value{*c};
}

void validate(boost::any& out, const std::vector<std::string>& values, opps_value*, int) {
  po::validators::check_first_occurrence(out);
  const std::string& s = po::validators::get_single_string(values);
  auto v = parse_opps(s);
  if (!v) bad_value(s, "operating points VOLTAGE@FREQUENCY separated by commas, e.g. 0.8V@100MHz,0.6V@50MHz");
  out = opps_value{*v};
}

}  // namespace edgevp::platform

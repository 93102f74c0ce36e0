// edgevp: configuration value types with units, parsed by Boost.Program_options.
//   time:      "10ns", "1.5 us", "2ms", "1s", "100ps"   (a unit is required)
//   size/u64:  "4096", "0x80000000", "512KiB", "2MiB", "1GiB", "16K", "2M"  (binary multiples)
//   frequency: "100MHz", "32.768kHz", "1GHz", "50000000" (Hz)
//   voltage:   "0.8V", "650mV"
//   energy:    "4.98pJ", "0.19 pJ", "50nJ", or a table over voltage "0.6V:3.1pJ,0.8V:4.98pJ"
//   power:     "35.5uW", "1.7 uW", "2mW", or a table over voltage "0.6V:20uW,0.8V:35.5uW"
//   operating points: "0.8V@100MHz,0.6V@50MHz"
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/any.hpp>
#include <systemc>

#include "models/core/power.h"

namespace edgevp::platform {

std::optional<sc_core::sc_time> parse_time(const std::string& s);
std::optional<std::uint64_t> parse_u64(const std::string& s);
std::optional<double> parse_frequency(const std::string& s);
std::optional<double> parse_voltage(const std::string& s);
// unit: 'J' or 'W'. A number with an SI prefix (a f p n u m k M) and the unit letter, or a bare number.
std::optional<double> parse_quantity(const std::string& s, char unit);
std::optional<core::power::curve> parse_curve(const std::string& s, char unit);
std::optional<std::vector<core::power::operating_point>> parse_opps(const std::string& s);
std::string format_time(const sc_core::sc_time& t);  // "1.234 ms"
std::string format_quantity(double v, char unit);     // "4.98 pJ"
std::string format_curve(const core::power::curve& c, char unit);

struct time_value {
  sc_core::sc_time t;
};
struct u64_value {
  std::uint64_t v = 0;
};
struct freq_value {
  double hz = 0;
};
struct volt_value {
  double v = 0;
};
struct energy_value {
  core::power::curve c;
};
struct power_value {
  core::power::curve c;
};
struct opps_value {
  std::vector<core::power::operating_point> opps;
};

// Boost.Program_options hooks (found by argument-dependent lookup).
void validate(boost::any& out, const std::vector<std::string>& values, time_value*, int);
void validate(boost::any& out, const std::vector<std::string>& values, u64_value*, int);
void validate(boost::any& out, const std::vector<std::string>& values, freq_value*, int);
void validate(boost::any& out, const std::vector<std::string>& values, volt_value*, int);
void validate(boost::any& out, const std::vector<std::string>& values, energy_value*, int);
void validate(boost::any& out, const std::vector<std::string>& values, power_value*, int);
void validate(boost::any& out, const std::vector<std::string>& values, opps_value*, int);

}  // namespace edgevp::platform

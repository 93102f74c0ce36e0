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
#include "models/core/units.h"

namespace edgevp::platform {

// The parsers live with the models (models/core/units.h); the CLI's value types below use them.
using core::format_curve;
using core::format_quantity;
using core::format_time;
using core::parse_curve;
using core::parse_frequency;
using core::parse_opps;
using core::parse_quantity;
using core::parse_time;
using core::parse_u64;
using core::parse_voltage;

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

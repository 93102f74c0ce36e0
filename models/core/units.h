// edgevp: quantities with units, as configuration writes them.
//   time:      "10ns", "1.5 us", "2ms", "1s", "100ps"   (a unit is required)
//   size/u64:  "4096", "0x80000000", "512KiB", "2MiB", "1GiB", "16K", "2M"  (binary multiples)
//   frequency: "100MHz", "32.768kHz", "1GHz", "50000000" (Hz)
//   voltage:   "0.8V", "650mV"
//   energy:    "4.98pJ", "0.19 pJ", "50nJ", or a table over voltage "0.6V:3.1pJ,0.8V:4.98pJ"
//   power:     "35.5uW", "1.7 uW", "2mW", or a table over voltage "0.6V:20uW,0.8V:35.5uW"
//   operating points: "0.8V@100MHz,0.6V@50MHz"
// Each parser returns nothing for a malformed text; the caller names the key (param.h does).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <systemc>

#include "models/core/power.h"

namespace edgevp::core {

// Without leading and trailing white space.
std::string trim(const std::string& s);
std::optional<sc_core::sc_time> parse_time(const std::string& s);
std::optional<std::uint64_t> parse_u64(const std::string& s);
std::optional<double> parse_frequency(const std::string& s);
std::optional<double> parse_voltage(const std::string& s);
// unit: 'J' or 'W'. A number with an SI prefix (a f p n u m k M) and the unit letter, or a bare number.
std::optional<double> parse_quantity(const std::string& s, char unit);
std::optional<power::curve> parse_curve(const std::string& s, char unit);
std::optional<std::vector<power::operating_point>> parse_opps(const std::string& s);
std::string format_time(const sc_core::sc_time& t);  // "1.234 ms"
std::string format_quantity(double v, char unit);    // "4.98 pJ"
std::string format_curve(const power::curve& c, char unit);

}  // namespace edgevp::core

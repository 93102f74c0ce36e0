// edgevp: configuration value types with units, parsed by Boost.Program_options.
//   time:      "10ns", "1.5 us", "2ms", "1s", "100ps"   (a unit is required)
//   size/u64:  "4096", "0x80000000", "512KiB", "2MiB", "1GiB", "16K", "2M"  (binary multiples)
//   frequency: "100MHz", "32.768kHz", "1GHz", "50000000" (Hz)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/any.hpp>
#include <systemc>

namespace edgevp::platform {

std::optional<sc_core::sc_time> parse_time(const std::string& s);
std::optional<std::uint64_t> parse_u64(const std::string& s);
std::optional<double> parse_frequency(const std::string& s);
std::string format_time(const sc_core::sc_time& t);  // "1.234 ms"

struct time_value {
  sc_core::sc_time t;
};
struct u64_value {
  std::uint64_t v = 0;
};
struct freq_value {
  double hz = 0;
};

// Boost.Program_options hooks (found by argument-dependent lookup).
void validate(boost::any& out, const std::vector<std::string>& values, time_value*, int);
void validate(boost::any& out, const std::vector<std::string>& values, u64_value*, int);
void validate(boost::any& out, const std::vector<std::string>& values, freq_value*, int);

}  // namespace edgevp::platform

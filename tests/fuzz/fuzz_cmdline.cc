// Fuzz target: command lines (platform/options.h parse_options). The input is the arguments after
// `edgevp`, separated by NUL bytes. The documented failure is usage_error; anything else is a
// finding. (Files the arguments name are read, never written: parse_options only parses.)
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "platform/options.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  constexpr std::size_t max_args = 256;
  std::vector<std::string> args{"edgevp"};
  std::string cur;
  for (std::size_t i = 0; i < size && args.size() < max_args; ++i) {
    if (data[i] == 0) {
      args.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(static_cast<char>(data[i]));
    }
  }
  if (!cur.empty() && args.size() < max_args) args.push_back(cur);
  std::vector<const char*> argv;
  for (const std::string& a : args) argv.push_back(a.c_str());
  argv.push_back(nullptr);
  try {
    const edgevp::platform::parsed_options p =
        edgevp::platform::parse_options(static_cast<int>(args.size()), argv.data());
    edgevp::fuzz::keep(p.configuration.size());
  } catch (const edgevp::platform::usage_error&) {
    // Documented: an unknown option, a malformed value, a missing argument, ...
  }
  return 0;
}

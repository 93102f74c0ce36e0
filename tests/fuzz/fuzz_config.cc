// Fuzz target: configuration files (platform/options.h parse_options), the text of one file given
// as `--scenario FILE` when it names scenario keys, as `--config-from-report FILE` when it is JSON
// (a report's configuration section), else as `--config FILE`. The documented failure is
// usage_error (naming the file, the option and the problem); anything else is a finding.
#include <cstddef>
#include <cstdint>
#include <string>

#include "platform/options.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const edgevp::fuzz::scratch_file file("fuzz.cfg");
  file.write(data, size);
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto first = text.find_first_not_of(" \t\r\n");
  const char* option = first != std::string::npos && text[first] == '{' ? "--config-from-report"
                       : text.find("scenario.") != std::string::npos    ? "--scenario"
                                                                        : "--config";
  const char* argv[] = {"edgevp", option, file.path().c_str(), nullptr};
  try {
    const edgevp::platform::parsed_options p = edgevp::platform::parse_options(3, argv);
    edgevp::fuzz::keep(p.configuration.size());
  } catch (const edgevp::platform::usage_error&) {
    // Documented: an unknown key, a malformed value, an unreadable include, ...
  }
  return 0;
}

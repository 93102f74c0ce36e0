// edgevp: error types that cross the model/platform boundary.
#pragma once

#include <stdexcept>
#include <string>

namespace edgevp::core {

// A configuration that cannot be built (overlapping ranges, impossible values). The message names
// the offending key or block; the CLI turns it into the configuration-error exit code.
class config_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace edgevp::core

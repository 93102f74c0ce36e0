// edgevp: input files checked before they are opened.
//
// Opening a FIFO for reading blocks until something writes to it, and a device may never end:
// an input that is not a regular file is refused with its name before it is opened.
#pragma once

#include <string>

namespace edgevp::core {

// Why `path` is not a readable regular file ("does not exist", "is a directory", "is not a
// regular file (a FIFO, a device or a socket)", "cannot be read: ..."), or "" when it is one.
std::string unreadable_file(const std::string& path);

}  // namespace edgevp::core

// edgevp: files checked before they are opened.
//
// Opening a FIFO for reading blocks until something writes to it, and a device may never end:
// an input that is not a regular file is refused with its name before it is opened. An output
// written only at the end of a run is checked before the run, where it will be created.
#pragma once

#include <string>

namespace edgevp::core {

// Why `path` is not a readable regular file ("does not exist", "is a directory", "is not a
// regular file (a FIFO, a device or a socket)", "cannot be read: ..."), or "" when it is one.
std::string unreadable_file(const std::string& path);

// The directory a file at `path` is created in ("." for a bare name, "/" for one under the root).
std::string directory_of(const std::string& path);

// Why no file can be created in `path`'s directory ("its directory 'D': No such file or
// directory", "its directory 'D' is not a directory", "its directory 'D': Permission denied"),
// or "".
std::string uncreatable_in_directory(const std::string& path);

}  // namespace edgevp::core

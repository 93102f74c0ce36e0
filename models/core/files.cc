#include "models/core/files.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace edgevp::core {

std::string unreadable_file(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    return errno == ENOENT ? "does not exist" : std::string("cannot be read: ") + std::strerror(errno);
  if (S_ISDIR(st.st_mode)) return "is a directory";
  if (!S_ISREG(st.st_mode)) return "is not a regular file (a FIFO, a device or a socket)";
  if (::access(path.c_str(), R_OK) != 0) return std::string("cannot be read: ") + std::strerror(errno);
  return "";
}

std::string directory_of(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string uncreatable_in_directory(const std::string& path) {
  const std::string dir = directory_of(path);
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) return "its directory '" + dir + "': " + std::strerror(errno);
  if (!S_ISDIR(st.st_mode)) return "its directory '" + dir + "' is not a directory";
  if (::access(dir.c_str(), W_OK | X_OK) != 0) return "its directory '" + dir + "': " + std::strerror(errno);
  return "";
}

}  // namespace edgevp::core

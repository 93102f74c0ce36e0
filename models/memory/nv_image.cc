#include "models/memory/nv_image.h"

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "models/core/files.h"

namespace edgevp::memory {

namespace {

[[noreturn]] void fail(const std::string& what, const std::string& path, int err) {
  throw nv_image_error(what + " '" + path + "': " + std::strerror(err));
}

// Closes on scope exit unless released.
struct fd_guard {
  int fd = -1;
  ~fd_guard() {
    if (fd >= 0) ::close(fd);
  }
  int release() {
    const int f = fd;
    fd = -1;
    return f;
  }
};

[[noreturn]] void fail_tmp(const std::string& what, const std::string& path, const std::string& tmp,
                           int err) {
  throw nv_image_error(what + " '" + path + "' (temporary file '" + tmp + "'): " + std::strerror(err));
}

void write_all(int fd, const unsigned char* data, std::uint64_t size, const std::string& path,
               const std::string& tmp) {
  while (size > 0) {
    const std::size_t chunk = size > (std::uint64_t{1} << 30) ? (std::size_t{1} << 30) : size;
    const ssize_t n = ::write(fd, data, chunk);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail_tmp("cannot write eMRAM image", path, tmp, errno);
    }
    data += n;
    size -= static_cast<std::uint64_t>(n);
  }
}

std::string octal_mode(mode_t m) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(m & 07777));
  return buf;
}

// Writes a temporary file beside `path`, syncs it and renames it over `path` (nv_image.h).
void replace_file(const std::string& path, const unsigned char* data, std::uint64_t size,
                  const std::function<void(const std::string&)>& before_rename) {
  static std::atomic<unsigned> serial{0};
  const std::string tmp =
      path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(serial.fetch_add(1));
  fd_guard f{::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666)};
  if (f.fd < 0) fail_tmp("cannot write eMRAM image", path, tmp, errno);
  // From here on, any failure removes the temporary file; the old image is untouched.
  struct tmp_guard {
    const std::string& name;
    bool armed = true;
    ~tmp_guard() {
      if (armed) ::unlink(name.c_str());
    }
  } cleanup{tmp};

  struct stat old {};
  if (::stat(path.c_str(), &old) == 0 && S_ISREG(old.st_mode)) {
    if (::fchmod(f.fd, old.st_mode & 07777) != 0) fail_tmp("cannot write eMRAM image", path, tmp, errno);
  }
  write_all(f.fd, data, size, path, tmp);
  if (::fsync(f.fd) != 0) fail_tmp("cannot write eMRAM image (fsync)", path, tmp, errno);
  if (::close(f.release()) != 0) fail_tmp("cannot write eMRAM image (close)", path, tmp, errno);
  if (before_rename) before_rename(tmp);
  if (::rename(tmp.c_str(), path.c_str()) != 0) fail_tmp("cannot replace eMRAM image", path, tmp, errno);
  cleanup.armed = false;

  // Make the rename durable. The new image is in place already: a failure here is still reported,
  // because after a power cut the directory could show the old one.
  const std::string dir = core::directory_of(path);
  fd_guard d{::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
  if (d.fd < 0) fail("cannot sync the directory of eMRAM image", path, errno);
  if (::fsync(d.fd) != 0 && errno != EINVAL) fail("cannot sync the directory of eMRAM image", path, errno);
}

}  // namespace

std::string nv_image_target(const std::string& path) {
  std::string p = path;
  for (int hops = 0; hops < 40; ++hops) {
    struct stat st {};
    if (::lstat(p.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return p;
    // st_size is not always the target's length (procfs gives 64 for /proc/self/fd/N): a buffer
    // the target fills is doubled, up to 1 MiB.
    std::vector<char> buf(static_cast<std::size_t>(st.st_size > 0 ? st.st_size : 255) + 1);
    ssize_t n = 0;
    for (;;) {
      n = ::readlink(p.c_str(), buf.data(), buf.size());
      if (n < 0) fail("cannot follow the link of eMRAM image", p, errno);
      if (static_cast<std::size_t>(n) < buf.size()) break;
      if (buf.size() >= (std::size_t{1} << 20)) fail("cannot follow the link of eMRAM image", p, ENAMETOOLONG);
      buf.resize(buf.size() * 2);
    }
    const std::string target(buf.data(), static_cast<std::size_t>(n));
    p = !target.empty() && target[0] == '/' ? target : core::directory_of(p) + "/" + target;
  }
  fail("cannot follow the link of eMRAM image", path, ELOOP);
}

std::string nv_image_unwritable(const std::string& path) {
  std::string target;
  try {
    target = nv_image_target(path);
  } catch (const nv_image_error& e) {
    return e.what();
  }
  const std::string via = target == path ? "" : " (the link's target '" + target + "')";
  struct stat st {};
  if (::stat(target.c_str(), &st) == 0) {
    if (!S_ISREG(st.st_mode)) return "";  // a directory, a FIFO, ...: load_nv_image refuses it, as an input
    if ((st.st_mode & 0222) == 0)
      return "it is read-only (mode " + octal_mode(st.st_mode) + ")" + via +
             ": make it writable to let the run write it back, or give a copy";
  } else if (errno != ENOENT && errno != ENOTDIR) {  // (ENOTDIR: the directory check names it)
    return std::strerror(errno) + via;
  }
  return core::uncreatable_in_directory(target);
}

std::vector<unsigned char> load_nv_image(const std::string& path, std::uint64_t size,
                                         unsigned char erased_value) {
  if (size == 0) throw nv_image_error("eMRAM image '" + path + "': the memory size must be > 0");
  fd_guard f{::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK)};  // a FIFO must not block
  if (f.fd < 0) {
    if (errno == ENOENT) return std::vector<unsigned char>(size, erased_value);  // blank part
    fail("cannot read eMRAM image", path, errno);
  }
  struct stat st {};
  if (::fstat(f.fd, &st) != 0) fail("cannot read eMRAM image", path, errno);
  if (S_ISDIR(st.st_mode)) fail("cannot read eMRAM image", path, EISDIR);
  if (!S_ISREG(st.st_mode)) throw nv_image_error("eMRAM image '" + path + "' is not a regular file");
  if (static_cast<std::uint64_t>(st.st_size) != size)
    throw nv_image_error("eMRAM image '" + path + "' is " + std::to_string(st.st_size) +
                         " bytes, the eMRAM is " + std::to_string(size) +
                         " bytes (delete the file to start from a blank part)");
  std::vector<unsigned char> bytes(size);
  std::uint64_t done = 0;
  while (done < size) {
    const ssize_t n = ::read(f.fd, bytes.data() + done, size - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("cannot read eMRAM image", path, errno);
    }
    if (n == 0)
      throw nv_image_error("eMRAM image '" + path + "' shrank while being read (" + std::to_string(done) +
                           " of " + std::to_string(size) + " bytes)");
    done += static_cast<std::uint64_t>(n);
  }
  return bytes;
}

void save_nv_image_atomic(const std::string& path, const std::vector<unsigned char>& bytes,
                          const std::function<void(const std::string&)>& before_rename) {
  save_nv_image_atomic(path, bytes.data(), bytes.size(), before_rename);
}

void save_nv_image_atomic(const std::string& path, const unsigned char* data, std::uint64_t size,
                          const std::function<void(const std::string&)>& before_rename) {
  const std::string& given = path;
  const std::string target = nv_image_target(given);
  {
    struct stat st {};
    if (::stat(target.c_str(), &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0222) == 0)
      throw nv_image_error("cannot write eMRAM image '" + given + "': it is read-only (mode " + octal_mode(st.st_mode) +
                           "); the old image is kept");
  }
  replace_file(target, data, size, before_rename);
}

}  // namespace edgevp::memory

#include "tests/fuzz/fuzz_support.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>

// libsystemc.so has its own main(), which calls sc_main(); the targets run libFuzzer's main
// instead, but the library's reference must resolve.
extern "C" int sc_main(int /*argc*/, char** /*argv*/) {
  std::fprintf(stderr, "edgevp fuzz target: sc_main is not used\n");
  return 1;
}

namespace edgevp::fuzz {

namespace {
volatile std::uint64_t sink;
}  // namespace

void keep(std::uint64_t v) {
  sink = sink + v;
}

const std::string& scratch_file::directory() {
  static const std::string dir = [] {
    const char* tmp = std::getenv("TMPDIR");
    std::string templ = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/edgevp-fuzz.XXXXXX";
    if (::mkdtemp(templ.data()) == nullptr) {
      std::perror("edgevp fuzz target: mkdtemp");
      std::abort();
    }
    return templ;
  }();
  return dir;
}

namespace {
// The scratch files, removed with their directory at a normal exit (a crash leaves them: the
// input is in libFuzzer's crash file anyway).
std::vector<std::string>& files() {
  static std::vector<std::string> f;
  return f;
}
void remove_files() {
  for (const std::string& f : files()) ::unlink(f.c_str());
  ::rmdir(scratch_file::directory().c_str());
}
}  // namespace

scratch_file::scratch_file(const std::string& name) : m_path(directory() + "/" + name) {
  if (files().empty()) std::atexit(remove_files);
  files().push_back(m_path);
}

void scratch_file::write(const std::uint8_t* data, std::size_t size) const {
  const int fd = ::open(m_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    std::perror(m_path.c_str());
    std::abort();
  }
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      std::perror(m_path.c_str());
      std::abort();
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  ::close(fd);
}

}  // namespace edgevp::fuzz

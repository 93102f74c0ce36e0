#include "platform/power_plot.h"

#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

extern char** environ;

namespace edgevp::platform {

namespace {
const char* const python = "/usr/bin/python3";

std::string tool_path() {
  const char* env = std::getenv("EDGEVP_PLOT_TOOL");
  if (env != nullptr && *env != '\0') return env;
#ifdef EDGEVP_PLOT_TOOL
  return EDGEVP_PLOT_TOOL;
#else
  return "tools/plot/edgevp_plot.py";
#endif
}

bool exists(const std::string& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0;
}
}  // namespace

std::string draw_power_plot(const std::string& report, const std::string& power_csv, const std::string& out) {
  const std::string tool = tool_path();
  if (!exists(python)) return std::string(python) + " is not installed (Debian: apt-get install python3 python3-matplotlib)";
  if (!exists(tool)) return "the plot tool " + tool + " is not there (set EDGEVP_PLOT_TOOL to tools/plot/edgevp_plot.py)";
  // The tool's messages go to a file: edgevp repeats the last line in its own words.
  char log[] = "/tmp/edgevp_plot_XXXXXX";
  const int fd = ::mkstemp(log);
  if (fd < 0) return std::string("cannot make a temporary file: ") + std::strerror(errno);
  std::vector<std::string> args = {python, tool, "--report", report, "-o", out};
  if (!power_csv.empty()) {
    args.emplace_back("--power-csv");
    args.push_back(power_csv);
  }
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, fd, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&fa, fd, STDERR_FILENO);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, python, &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  ::close(fd);
  std::string why;
  if (rc != 0) {
    why = std::string("cannot run ") + python + ": " + std::strerror(rc);
  } else {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      std::ifstream in(log);
      std::string line, last;
      while (std::getline(in, line))
        if (!line.empty()) last = line;
      why = last.empty() ? "the plot tool failed" : last;
    }
  }
  ::unlink(log);
  return why;
}

}  // namespace edgevp::platform

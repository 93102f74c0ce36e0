#include "platform/coverify.h"

#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <stdexcept>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/accelerators/registry.h"
#include "platform/signals.h"

namespace edgevp::platform {

namespace {

using json = nlohmann::json;

std::string hex(std::uint64_t v) {
  char b[24];
  std::snprintf(b, sizeof(b), "0x%llx", static_cast<unsigned long long>(v));
  return b;
}

// SIGINT, SIGTERM and SIGHUP while the runs go: the run in progress is stopped as a plain run
// is (its own handlers write its outputs), the next is not started, and coverify ends with 128 +
// the signal. Each run is its own process group, so a terminal's ^C reaches it once, through this
// forwarding (a second signal would end it without its outputs). The three are blocked from
// before the fork until the run has its handlers (simulation.cc) and the parent knows where to
// forward: one that comes meanwhile waits, and is delivered once.
volatile std::sig_atomic_t caught_signal = 0;
volatile std::sig_atomic_t caught_in_run = -1;  // the run in progress then (0 tlm, 1 rtl), or -1
volatile std::sig_atomic_t current_run = -1;
volatile std::sig_atomic_t forward_to = 0;       // the run's process id (pid_t is an int here)
static_assert(sizeof(std::sig_atomic_t) >= sizeof(pid_t), "a process id fits a sig_atomic_t");

void on_signal(int sig) {
  const int saved = errno;
  if (caught_signal == 0) {
    caught_signal = sig;
    caught_in_run = current_run;
  }
  if (forward_to > 0) ::kill(static_cast<pid_t>(forward_to), sig == SIGHUP ? SIGTERM : sig);
  errno = saved;
}

// Each run's output files: "run.json" -> "run.tlm.json"; "trace" -> "trace.tlm".
std::string tagged(const std::string& path, const std::string& tag) {
  if (path.empty() || path.rfind("/dev/", 0) == 0) return path;  // /dev/null, /dev/stdout stay
  const std::size_t slash = path.find_last_of('/');
  const std::size_t dot = path.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash) || dot == slash + 1)
    return path + "." + tag;
  return path.substr(0, dot) + "." + tag + path.substr(dot);
}

struct block_log {
  std::vector<json> jobs;
  json end;
};

block_log read_log(const std::string& path, const std::string& block) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("coverify: cannot read accelerator log '" + path + "'");
  block_log b;
  std::string line;
  std::size_t n = 0;
  while (std::getline(in, line)) {
    ++n;
    json j;
    try {
      j = json::parse(line);
    } catch (const json::exception& e) {
      throw std::runtime_error("coverify: " + path + ":" + std::to_string(n) + ": not JSON (" + e.what() + ")");
    }
    if (!j.is_object() || !j.contains("block")) throw std::runtime_error("coverify: " + path + ":" + std::to_string(n) + ": not a job record");
    if (j["block"] != block) continue;
    if (j.contains("end"))
      b.end = j;
    else
      b.jobs.push_back(j);
  }
  if (b.end.is_null()) throw std::runtime_error("coverify: " + path + ": no end record for " + block + " (the run did not finish)");
  return b;
}

// A job's writes as address -> byte (the last value of each byte).
std::map<std::uint64_t, unsigned> bytes_of(const json& job) {
  std::map<std::uint64_t, unsigned> m;
  for (const json& run : job.at("writes")) {
    std::uint64_t a = run.at(0).get<std::uint64_t>();
    const std::string hexdata = run.at(1).get<std::string>();
    for (std::size_t i = 0; i + 1 < hexdata.size(); i += 2)
      m[a++] = static_cast<unsigned>(std::stoul(hexdata.substr(i, 2), nullptr, 16));
  }
  return m;
}

}  // namespace

coverify_result compare_accel_logs(const std::string& tlm_log, const std::string& rtl_log, const std::string& block,
                                   double tolerance, std::uint64_t slack) {
  const block_log t = read_log(tlm_log, block);
  const block_log r = read_log(rtl_log, block);
  coverify_result res;
  auto fail = [&res](const std::string& why) {
    res.match = false;
    res.first_mismatch = why;
    return res;
  };
  double sum_error = 0;
  const std::size_t n = std::min(t.jobs.size(), r.jobs.size());
  for (std::size_t i = 0; i < n; ++i) {
    const json& a = t.jobs[i];
    const json& b = r.jobs[i];
    const std::string job = "job " + std::to_string(i + 1);
    for (const char* k : {"error", "err_desc", "err_addr", "descriptors", "ops"}) {
      if (a.at(k) != b.at(k)) {
        const auto show = [k](const json& v) {
          return v.is_string() ? v.get<std::string>()
                 : std::string(k).rfind("err_", 0) == 0 ? hex(v.get<std::uint64_t>())
                                                        : v.dump();
        };
        return fail(job + ": " + k + ": rtl " + show(b.at(k)) + ", tlm " + show(a.at(k)));
      }
    }
    const auto ta = bytes_of(a);
    const auto rb = bytes_of(b);
    auto it = ta.begin();
    auto jt = rb.begin();
    while (it != ta.end() || jt != rb.end()) {
      if (jt == rb.end() || (it != ta.end() && it->first < jt->first))
        return fail(job + ": memory " + hex(it->first) + ": tlm wrote " + hex(it->second) + ", rtl did not write it");
      if (it == ta.end() || jt->first < it->first)
        return fail(job + ": memory " + hex(jt->first) + ": rtl wrote " + hex(jt->second) + ", tlm did not write it");
      if (it->second != jt->second)
        return fail(job + ": memory " + hex(it->first) + ": rtl " + hex(jt->second) + ", tlm " + hex(it->second));
      ++it;
      ++jt;
    }
    res.bytes += ta.size();
    const auto tc = a.at("cycles").get<std::uint64_t>();
    const auto rc = b.at("cycles").get<std::uint64_t>();
    res.tlm_cycles += tc;
    res.rtl_cycles += rc;
    const double err = std::fabs(static_cast<double>(rc) - static_cast<double>(tc)) /
                       static_cast<double>(std::max<std::uint64_t>(tc, 1));
    sum_error += err;
    if (err > res.max_error || i == 0) {
      res.max_error = err;
      res.max_error_job = i + 1;
    }
    const double allowed = tolerance * static_cast<double>(tc) + static_cast<double>(slack);
    if (std::fabs(static_cast<double>(rc) - static_cast<double>(tc)) > allowed) {
      char msg[160];
      std::snprintf(msg, sizeof(msg), ": cycles: rtl %llu, tlm %llu (error %.1f %%; allowed %.0f %% + %llu cycles)",
                    static_cast<unsigned long long>(rc), static_cast<unsigned long long>(tc), 100 * err,
                    100 * tolerance, static_cast<unsigned long long>(slack));
      return fail(job + msg);
    }
    ++res.jobs;
  }
  if (t.jobs.size() != r.jobs.size())
    return fail("jobs: rtl ran " + std::to_string(r.jobs.size()) + ", tlm ran " + std::to_string(t.jobs.size()) +
                " (the first " + std::to_string(n) + " agree)");
  res.mean_error = n > 0 ? sum_error / static_cast<double>(n) : 0;
  const auto ti = t.end.at("irqs").get<std::uint64_t>();
  const auto ri = r.end.at("irqs").get<std::uint64_t>();
  if (ti != ri) return fail("interrupts: rtl raised " + std::to_string(ri) + ", tlm " + std::to_string(ti));
  res.irqs = ti;
  res.match = true;
  return res;
}

int coverify(const parsed_options& opts, const std::function<int(const parsed_options&)>& run_once) {
  const std::string& block = opts.run.coverify;
  const accel::instance* inst = nullptr;
  for (const accel::instance& a : opts.soc.accels)
    if (a.name == block) inst = &a;
  if (inst == nullptr) {
    std::string names;
    for (const accel::instance& a : opts.soc.accels) names += (names.empty() ? "" : ", ") + a.name;
    throw usage_error("option 'coverify': '" + block + "' is not an accelerator instance (" +
                      (names.empty() ? std::string("there are none") : "instances: " + names) + ")");
  }
  const accel::kind_info* k = accel::registry::builtin().find(inst->kind);
  if (k == nullptr || !k->make_rtl)
    throw usage_error("option 'coverify': " + block + " is a " + inst->kind + ", which has no RTL implementation (RTL exists for " +
                      accel::registry::builtin().rtl_kinds() + ")");
  if (opts.run.gdb_port) throw usage_error("option 'coverify' runs the firmware twice: it cannot be combined with --gdb");
  if (!opts.run.emram_image.empty())
    throw usage_error("option 'coverify' runs the firmware twice: it cannot be combined with --emram-image (the first run would change the second's eMRAM)");

  const std::string logs = opts.run.accel_log;  // kept when given, else temporary
  std::string temp_dir;
  if (logs.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    std::string tmpl = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/edgevp-coverify-XXXXXX";
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    if (::mkdtemp(buf.data()) == nullptr) throw std::runtime_error("coverify: cannot create a temporary directory in " + tmpl);
    temp_dir = buf.data();
  }

  int codes[2] = {0, 0};
  std::string paths[2];
  const char* impls[2] = {"tlm", "rtl"};
  caught_signal = 0;
  caught_in_run = -1;
  current_run = -1;
  forward_to = 0;
  signal_handlers signals({SIGINT, SIGTERM, SIGHUP}, on_signal, SA_RESTART);
  int run_status[2] = {0, 0};
  for (int i = 0; i < 2 && caught_signal == 0; ++i) {
    parsed_options o = opts;
    o.run.coverify.clear();
    for (accel::instance& a : o.soc.accels)
      if (a.name == block) a.impl = impls[i];
    paths[i] = logs.empty() ? temp_dir + "/" + impls[i] + ".jsonl" : tagged(logs, impls[i]);
    o.run.accel_log = paths[i];
    for (std::string* out : {&o.run.uart_out, &o.run.report, &o.run.vcd, &o.run.trace_insn, &o.run.power_vcd,
                             &o.run.power_csv, &o.run.power_plot, &o.soc.rtl_vcd})
      *out = tagged(*out, impls[i]);
    std::fprintf(stderr, "coverify: %s: run %d of 2, %s.impl = %s\n", block.c_str(), i + 1, block.c_str(), impls[i]);
    std::fflush(stdout);
    std::fflush(stderr);
    blocked_signals blocked({SIGINT, SIGTERM, SIGHUP});
    current_run = i;
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("coverify: cannot start a run (fork failed)");
    if (pid == 0) {
      // Still blocked: the run's own handlers unblock them (a signal that came is delivered then).
      ::setpgid(0, 0);
      signals.restore_dispositions();
      const int code = run_once(o);
      std::fflush(stdout);
      std::fflush(stderr);
      ::_exit(code);
    }
    ::setpgid(pid, pid);  // (both sides: whichever runs first)
    forward_to = pid;
    blocked.unblock();  // a signal that came since the fork is forwarded now, once
    // Wait for the run to end without reaping it, so that its pid is not reused while a signal
    // may still be forwarded to it; then stop forwarding, and reap.
    siginfo_t info{};
    while (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOWAIT) < 0 && errno == EINTR) {
    }
    forward_to = 0;
    current_run = -1;
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    run_status[i] = status;
    codes[i] = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
  }
  if (caught_signal != 0) {
    const int sig = caught_signal;
    const int run = caught_in_run;
    if (!temp_dir.empty()) {
      for (const std::string& p : paths) std::remove(p.c_str());
      ::rmdir(temp_dir.c_str());
    }
    if (run < 0)
      std::fprintf(stderr, "coverify: %s: stopped by %s between the runs: not compared\n", block.c_str(),
                   signal_name(sig));
    else
      std::fprintf(stderr, "coverify: %s: stopped by %s during the %s run (%s): not compared\n", block.c_str(),
                   signal_name(sig), impls[run],
                   WIFSIGNALED(run_status[run]) ? "it ended before writing its outputs" : "its outputs are written");
    return 128 + sig;
  }

  // A run that could not start (a usage, firmware or configuration error, already reported by the
  // run itself) has nothing to compare: its own exit code, not a mismatch.
  for (int i = 0; i < 2; ++i) {
    const int c = codes[i];
    if (c == exit_code::usage || c == exit_code::image || c == exit_code::config || c == exit_code::internal) {
      if (!temp_dir.empty()) {
        for (const std::string& p : paths) std::remove(p.c_str());
        ::rmdir(temp_dir.c_str());
      }
      std::fprintf(stderr, "coverify: %s: not compared: the %s run could not start (exit code %d)\n", block.c_str(),
                   impls[i], c);
      return c;
    }
  }
  // The block's jobs first: a wrong result usually makes the firmware fail too, and the job, the
  // address and both values say more than two exit codes.
  int result = codes[0];
  std::string verdict;
  try {
    const coverify_result c = compare_accel_logs(paths[0], paths[1], block, opts.run.coverify_tolerance, opts.run.coverify_slack);
    if (c.match) {
      const double total = c.tlm_cycles > 0 ? 100.0 * (static_cast<double>(c.rtl_cycles) - static_cast<double>(c.tlm_cycles)) /
                                                  static_cast<double>(c.tlm_cycles)
                                            : 0.0;
      std::fprintf(stderr,
                   "coverify: %s: %zu jobs, %zu bytes written, %llu interrupts: identical\n"
                   "coverify: %s: cycles: rtl %llu, tlm %llu (%+.2f %%); per job: mean error %.2f %%, largest %.2f %% "
                   "(job %zu); allowed %.0f %% + %llu cycles\n",
                   block.c_str(), c.jobs, c.bytes, static_cast<unsigned long long>(c.irqs), block.c_str(),
                   static_cast<unsigned long long>(c.rtl_cycles), static_cast<unsigned long long>(c.tlm_cycles), total,
                   100 * c.mean_error, 100 * c.max_error, c.max_error_job, 100 * opts.run.coverify_tolerance,
                   static_cast<unsigned long long>(opts.run.coverify_slack));
    } else {
      verdict = c.first_mismatch;
    }
  } catch (const std::exception& e) {
    verdict = e.what();
  }
  if (codes[0] != codes[1])
    verdict += std::string(verdict.empty() ? "" : "; ") + "the runs ended differently: tlm exit code " +
               std::to_string(codes[0]) + ", rtl " + std::to_string(codes[1]);
  if (!verdict.empty()) result = exit_code::mismatch;
  if (!temp_dir.empty()) {
    for (const std::string& p : paths) std::remove(p.c_str());
    ::rmdir(temp_dir.c_str());
  }
  if (caught_signal != 0) {  // during the comparison: what it found is printed, the exit says why it ended
    std::fprintf(stderr, "coverify: %s: %s while comparing%s\n", block.c_str(), signal_name(caught_signal),
                 verdict.empty() ? "" : (": " + verdict).c_str());
    return 128 + caught_signal;
  }
  if (verdict.empty() && result == 0)
    std::fprintf(stderr, "coverify: %s: PASS (rtl and tlm agree)\n", block.c_str());
  else if (verdict.empty())
    std::fprintf(stderr, "coverify: %s: rtl and tlm agree, but both runs ended with exit code %d\n", block.c_str(), result);
  else
    std::fprintf(stderr, "coverify: %s: FAIL: %s\n", block.c_str(), verdict.c_str());
  return result;
}

}  // namespace edgevp::platform

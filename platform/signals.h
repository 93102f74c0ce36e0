// edgevp: the signals that stop a run, shared by a plain run (simulation.cc: SIGINT and SIGTERM
// stop it at the CPU's next synchronisation, its outputs written) and --coverify's parent
// (coverify.cc: it passes them to the run in progress).
#pragma once

#include <csignal>
#include <initializer_list>
#include <vector>

namespace edgevp::platform {

// "SIGINT", "SIGTERM", "SIGHUP", or "a signal".
const char* signal_name(int sig);

// Installs `handler` for `signals` (with sigaction's `flags`) for its lifetime, except for a
// signal ignored on entry (nohup, a background job's SIGINT), which stays ignored; then unblocks
// them: a --coverify run starts with them blocked, so that none is lost before its handlers
// exist, and one that came meanwhile is delivered now. At its end, the dispositions are as they
// were; the signals stay unblocked.
class signal_handlers {
 public:
  signal_handlers(std::initializer_list<int> signals, void (*handler)(int), int flags);
  signal_handlers(const signal_handlers&) = delete;
  signal_handlers& operator=(const signal_handlers&) = delete;
  ~signal_handlers();
  // The dispositions from before, now (a --coverify run, before its own are installed); the mask
  // is left as it is.
  void restore_dispositions();

 private:
  std::vector<int> m_signals;
  std::vector<struct sigaction> m_old;
};

// Blocks `signals` for its lifetime (sigprocmask), and restores the mask at its end or at
// unblock(): a signal that came meanwhile is delivered then.
class blocked_signals {
 public:
  explicit blocked_signals(std::initializer_list<int> signals);
  blocked_signals(const blocked_signals&) = delete;
  blocked_signals& operator=(const blocked_signals&) = delete;
  ~blocked_signals() { unblock(); }
  void unblock();

 private:
  sigset_t m_old_mask{};
  bool m_blocked = true;
};

}  // namespace edgevp::platform

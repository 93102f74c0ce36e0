#include "platform/signals.h"

namespace edgevp::platform {

namespace {

sigset_t set_of(std::initializer_list<int> signals) {
  sigset_t s;
  sigemptyset(&s);
  for (int sig : signals) sigaddset(&s, sig);
  return s;
}

}  // namespace

const char* signal_name(int sig) {
  switch (sig) {
    case SIGINT: return "SIGINT";
    case SIGTERM: return "SIGTERM";
    case SIGHUP: return "SIGHUP";
    default: return "a signal";
  }
}

signal_handlers::signal_handlers(std::initializer_list<int> signals, void (*handler)(int), int flags)
    : m_signals(signals), m_old(signals.size()) {
  struct sigaction sa {};
  sa.sa_handler = handler;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = flags;
  for (std::size_t i = 0; i < m_signals.size(); ++i)
    if (::sigaction(m_signals[i], nullptr, &m_old[i]) == 0 && m_old[i].sa_handler != SIG_IGN)
      ::sigaction(m_signals[i], &sa, nullptr);
  const sigset_t s = set_of(signals);
  ::sigprocmask(SIG_UNBLOCK, &s, nullptr);
}

signal_handlers::~signal_handlers() {
  restore_dispositions();  // the signals stay unblocked (a --coverify run's plot, after it, can be stopped)
}

void signal_handlers::restore_dispositions() {
  for (std::size_t i = 0; i < m_signals.size(); ++i) ::sigaction(m_signals[i], &m_old[i], nullptr);
}

blocked_signals::blocked_signals(std::initializer_list<int> signals) {
  const sigset_t s = set_of(signals);
  ::sigprocmask(SIG_BLOCK, &s, &m_old_mask);
}

void blocked_signals::unblock() {
  if (!m_blocked) return;
  m_blocked = false;
  ::sigprocmask(SIG_SETMASK, &m_old_mask, nullptr);
}

}  // namespace edgevp::platform

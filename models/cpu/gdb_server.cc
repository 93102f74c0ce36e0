// edgevp: the GDB server's socket side and its place in the CPU's thread.
#include "models/cpu/gdb_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

namespace edgevp::cpu {

namespace {

// How often a running CPU looks at the socket (Ctrl-C, a new connection), in host time.
constexpr auto poll_interval = std::chrono::milliseconds(5);

}  // namespace

gdb_server::gdb_server(cpu& target, std::uint16_t port, bool wait_for_attach)
    : m_cpu(target),
      m_session(
          target.iss(),
          [&target](std::uint32_t a, unsigned char* d, std::size_t n) { return target.debug_read(a, d, n); },
          [&target](std::uint32_t a, const unsigned char* d, std::size_t n) {
            return target.debug_write(a, d, n);
          }),
      m_wait_for_attach(wait_for_attach) {
  const std::string where = "127.0.0.1:" + std::to_string(port);
  m_listen = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (m_listen < 0)
    throw std::runtime_error("cannot open a socket for the GDB server: " + std::string(std::strerror(errno)));
  const int one = 1;
  ::setsockopt(m_listen, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);  // a restarted run gets its port back
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(m_listen, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(m_listen, 1) != 0) {
    const int err = errno;
    ::close(m_listen);
    m_listen = -1;
    throw std::runtime_error("cannot listen for GDB on " + where + ": " + std::strerror(err));
  }
  socklen_t len = sizeof addr;
  ::getsockname(m_listen, reinterpret_cast<sockaddr*>(&addr), &len);
  m_port = ntohs(addr.sin_port);
}

gdb_server::~gdb_server() {
  if (m_client >= 0) ::close(m_client);
  if (m_listen >= 0) ::close(m_listen);
}

bool gdb_server::accept_client(bool block) {
  if (!block) {
    pollfd p{m_listen, POLLIN, 0};
    if (::poll(&p, 1, 0) <= 0 || (p.revents & POLLIN) == 0) return false;
  }
  int fd = -1;
  do {
    fd = ::accept4(m_listen, nullptr, nullptr, SOCK_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) return false;
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);  // packets are small and interactive
  m_client = fd;
  m_reader.clear();
  m_client_waiting = false;
  m_last_sent.clear();
  return true;
}

void gdb_server::disconnect() {
  if (m_client >= 0) ::close(m_client);
  m_client = -1;
  m_reader.clear();
  m_session.release();  // no breakpoints or single step outlive the debugger that set them
  m_client_waiting = false;
}

bool gdb_server::receive(bool block) {
  if (m_client < 0) return false;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::recv(m_client, buf, sizeof buf, block ? 0 : MSG_DONTWAIT);
    if (n > 0) {
      m_reader.feed(buf, static_cast<std::size_t>(n));
      if (block) return true;
      continue;  // drain what is there
    }
    if (n == 0) return false;  // the debugger hung up
    if (errno == EINTR) continue;
    return !block && (errno == EAGAIN || errno == EWOULDBLOCK);
  }
}

void gdb_server::send_raw(const std::string& bytes) {
  std::size_t done = 0;
  while (m_client >= 0 && done < bytes.size()) {
    // MSG_NOSIGNAL: a debugger that went away must not kill the simulator with SIGPIPE.
    const ssize_t n = ::send(m_client, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      disconnect();
      return;
    }
    done += static_cast<std::size_t>(n);
  }
}

void gdb_server::send_packet(const std::string& payload) {
  m_last_sent = gdb_frame(payload);
  send_raw(m_last_sent);
}

bool gdb_server::poll() {
  if (m_wait_for_attach) {  // held at reset: only the first time
    m_wait_for_attach = false;
    if (m_client < 0 && accept_client(true)) {
      m_pending = pending::attach;
      return true;
    }
  }
  const auto now = std::chrono::steady_clock::now();
  if (now < m_next_poll) return false;
  m_next_poll = now + poll_interval;
  if (m_client < 0) {
    if (!accept_client(false)) return false;
    m_pending = pending::attach;
    return true;
  }
  if (!receive(false)) {
    disconnect();  // gone while the CPU ran: it runs on
    return false;
  }
  // All-stop: while the CPU runs, GDB sends nothing but Ctrl-C (and acks).
  gdb_event e;
  while (m_reader.next(e)) {
    if (e.type == gdb_event::kind::interrupt) {
      m_reader.clear();
      m_pending = pending::interrupt;
      return true;
    }
  }
  return false;
}

debug_verdict gdb_server::stopped(stop_reason why) {
  gdb_stop s;
  switch (why) {
    case stop_reason::breakpoint: s.type = gdb_stop::kind::breakpoint; break;
    case stop_reason::step: s.type = gdb_stop::kind::step; break;
    case stop_reason::watchpoint: s.type = gdb_stop::kind::watchpoint; break;
    case stop_reason::unhandled_trap:
    case stop_reason::fault_loop:
      s.type = gdb_stop::kind::fault;
      s.mcause = m_cpu.iss().last_trap().cause;
      break;
    default:
      s.type = m_pending == pending::interrupt ? gdb_stop::kind::interrupt : gdb_stop::kind::attach;
      break;
  }
  m_pending = pending::none;
  if (m_client < 0) return s.type == gdb_stop::kind::fault ? debug_verdict::deliver : debug_verdict::resume;
  m_session.set_stop(s);
  if (m_client_waiting) {  // the answer to its `c` or `s`; a debugger that just attached asks with `?`
    m_client_waiting = false;
    send_packet(m_session.stop_reply());
  }
  return serve();
}

debug_verdict gdb_server::serve() {
  const bool fault = m_session.stop().type == gdb_stop::kind::fault;
  for (;;) {
    gdb_event e;
    while (!m_reader.next(e)) {
      if (!receive(true)) {
        // Hung up while the CPU was stopped: it runs on without breakpoints (a fault takes its course).
        disconnect();
        return fault ? debug_verdict::deliver : debug_verdict::resume;
      }
    }
    if (e.type == gdb_event::kind::nak) {
      if (!m_last_sent.empty()) send_raw(m_last_sent);
      continue;
    }
    if (e.type != gdb_event::kind::packet) continue;  // acks; a Ctrl-C while stopped means nothing
    if (!m_session.no_ack()) send_raw(e.checksum_ok ? "+" : "-");
    if (!e.checksum_ok) continue;  // GDB sends it again
    if (e.too_long) {
      send_packet("E01");
      continue;
    }
    const gdb_session::result r = m_session.handle(e.payload);
    if (r.reply) send_packet(*r.reply);
    switch (r.action) {
      case gdb_session::next::stay: break;
      case gdb_session::next::resume: m_client_waiting = true; return debug_verdict::resume;
      case gdb_session::next::deliver: m_client_waiting = true; return debug_verdict::deliver;
      case gdb_session::next::detach: disconnect(); return debug_verdict::resume;
      case gdb_session::next::kill:
        disconnect();
        if (on_kill) on_kill();
        return debug_verdict::kill;
    }
  }
}

void gdb_server::finish(const std::string& reply) {
  if (m_client < 0) return;
  if (m_client_waiting) send_packet(reply);
  disconnect();
}

void gdb_server::exited(int code) {
  char r[8];
  std::snprintf(r, sizeof r, "W%02x", static_cast<unsigned>(code) & 0xFFu);
  finish(r);
}

void gdb_server::terminated(std::uint32_t mcause) {
  char r[8];
  std::snprintf(r, sizeof r, "X%02x", static_cast<unsigned>(gdb_signal_for_cause(mcause)));
  finish(r);
}

}  // namespace edgevp::cpu

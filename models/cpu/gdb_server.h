// edgevp: a GDB remote-serial-protocol server for the CPU, on a TCP port of 127.0.0.1.
//
//   gdb-multiarch build/release/firmware/bin/hello.elf -ex 'target remote :1234'
//
// One debugger at a time, all-stop, one thread. The server is the CPU's debugger (cpu_debugger):
//   - while the CPU is stopped its SystemC thread blocks here, reading packets from the socket and
//     answering them (gdb_session), so no process runs and simulated time stands still;
//   - while it runs, the CPU polls the server between quanta: a new connection or a Ctrl-C (0x03)
//     stops it. The socket is looked at most every few milliseconds of host time, so a run with
//     --gdb but no debugger costs a clock read per quantum;
//   - with wait_for_attach the CPU is held before its first instruction until a debugger connects.
// A debugger that disconnects without `D` (or detaches) leaves the CPU running with no breakpoints;
// another one may attach later. When the run ends, an attached debugger is told (`W` exit code, or
// `X` signal for a fault) and the connection is closed.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "models/cpu/cpu.h"
#include "models/cpu/gdb_protocol.h"

namespace edgevp::cpu {

class gdb_server final : public cpu_debugger {
 public:
  // Listens on 127.0.0.1:port (0: the system picks a free port; see port()). Throws
  // std::runtime_error naming the address and the reason when it cannot (port in use, ...).
  gdb_server(cpu& target, std::uint16_t port, bool wait_for_attach);
  ~gdb_server() override;
  gdb_server(const gdb_server&) = delete;
  gdb_server& operator=(const gdb_server&) = delete;

  [[nodiscard]] std::uint16_t port() const { return m_port; }
  [[nodiscard]] bool connected() const { return m_client >= 0; }

  // Called when the debugger kills the run (`k`): the platform ends the simulation.
  std::function<void()> on_kill;

  // The run is over: tell an attached debugger and hang up.
  void exited(int code);                  // `W`: the process exit code
  void terminated(std::uint32_t mcause);  // `X`: a fault ended it (signal from the cause)

  // cpu_debugger
  bool poll() override;
  debug_verdict stopped(stop_reason why) override;

 private:
  enum class pending : std::uint8_t { none, attach, interrupt };

  bool accept_client(bool block);
  void disconnect();
  // Reads what is there (block: waits for something); false when the connection is gone.
  bool receive(bool block);
  void send_raw(const std::string& bytes);
  void send_packet(const std::string& payload);
  debug_verdict serve();  // answers packets until the debugger resumes, detaches or kills
  void finish(const std::string& reply);

  cpu& m_cpu;
  gdb_session m_session;
  gdb_packet_reader m_reader;
  int m_listen = -1;
  int m_client = -1;
  std::uint16_t m_port = 0;
  bool m_wait_for_attach = false;
  bool m_client_waiting = false;  // the debugger resumed the CPU and waits for a stop reply
  pending m_pending = pending::none;
  std::string m_last_sent;  // for a nak
  std::chrono::steady_clock::time_point m_next_poll{};
};

}  // namespace edgevp::cpu

// edgevp: the GDB remote serial protocol, without sockets.
//
// Two layers, both plain C++ (no SystemC, no I/O), so that the unit bench can drive them byte by
// byte:
//   - framing: gdb_packet_reader turns received bytes into events (a packet and whether its
//     checksum held, an interrupt byte 0x03, an ack or a nak); gdb_frame() builds `$payload#xx`;
//     gdb_escape()/gdb_unescape() handle binary data (0x7d escapes `#`, `$`, `}` and `*`).
//   - the session: gdb_session answers one packet at a time against an rv32_iss (registers,
//     breakpoints, watchpoints, single step) and two callbacks for memory (the CPU's debug
//     transport), and says what the CPU should do next (stay stopped, resume, deliver a fault,
//     detach, kill).
// gdb_server (gdb_server.h) puts the two on a TCP socket and attaches them to the CPU.
//
// Registers: x0-x31 and pc are GDB numbers 0-32 (the `g` packet carries exactly these 33); the CSRs
// the ISS implements are offered in the target description as numbers 65 + csr, GDB's own
// numbering, read and written with `p`/`P`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "models/cpu/rv32_iss.h"

namespace edgevp::cpu {

// GDB's signal numbers (its own enum, not the host's), as used in stop replies.
namespace gdb_signal {
inline constexpr int none = 0, interrupt = 2, illegal = 4, trap = 5, bus = 10, segv = 11, sys = 12;
}

// The signal a trap with this mcause maps to when the core cannot take it (no handler).
int gdb_signal_for_cause(std::uint32_t mcause);

// ------------------------------------------------------------------ framing

inline constexpr std::size_t gdb_max_packet = 0x4000;  // announced as PacketSize

std::uint8_t gdb_checksum(std::string_view payload);
// `$payload#xx`; the payload must already be escaped where it carries binary data.
std::string gdb_frame(std::string_view payload);
// Binary data: `#`, `$`, `}` and `*` become 0x7d followed by the byte xor 0x20.
std::string gdb_escape(std::string_view data);
// The reverse; false if the data ends in a lone escape byte.
bool gdb_unescape(std::string_view data, std::string& out);

struct gdb_event {
  enum class kind : std::uint8_t {
    packet,     // payload holds the bytes between `$` and `#`; checksum_ok says if they arrived intact
    interrupt,  // 0x03 outside a packet: the user pressed Ctrl-C
    ack,        // `+`
    nak,        // `-`: resend the last reply
  };
  kind type = kind::packet;
  std::string payload;
  bool checksum_ok = false;
  bool too_long = false;  // the payload was cut at gdb_max_packet bytes
};

class gdb_packet_reader {
 public:
  // Feeds received bytes; complete events queue up for next(). Bytes outside a packet other than
  // `$`, `+`, `-` and 0x03 are line noise and ignored; a `$` inside a packet restarts it.
  void feed(const char* data, std::size_t n);
  void feed(std::string_view s) { feed(s.data(), s.size()); }
  bool next(gdb_event& e);
  [[nodiscard]] bool pending() const { return !m_events.empty(); }
  void clear();

 private:
  enum class state : std::uint8_t { idle, payload, check1, check2 };
  state m_state = state::idle;
  std::string m_payload;
  std::uint8_t m_sum = 0;
  int m_check = 0;
  bool m_too_long = false;
  std::deque<gdb_event> m_events;
};

// ------------------------------------------------------------------ the session

// Why the CPU is stopped, as the debugger is told.
struct gdb_stop {
  enum class kind : std::uint8_t {
    attach,      // a debugger connected (or the CPU is held at reset)
    interrupt,   // Ctrl-C
    breakpoint,  // a Z0/Z1 breakpoint at the pc
    step,        // single step done
    watchpoint,  // a Z2/Z3/Z4 watchpoint: the access at the pc has not happened yet
    fault,       // a trap the core cannot take (no handler, fault loop); mcause says which
  };
  kind type = kind::attach;
  std::uint32_t mcause = 0;
};

class gdb_session {
 public:
  using mem_read = std::function<std::size_t(std::uint32_t addr, unsigned char* data, std::size_t len)>;
  using mem_write =
      std::function<std::size_t(std::uint32_t addr, const unsigned char* data, std::size_t len)>;

  // What the CPU does after a packet.
  enum class next : std::uint8_t {
    stay,     // remain stopped, read the next packet
    resume,   // continue or step (the ISS is armed accordingly)
    deliver,  // continue with the fault's signal: the fault ends the run
    detach,   // the debugger leaves (`D`); breakpoints are gone, the CPU runs on
    kill,     // the debugger ends the run (`k`, `vKill`)
  };
  struct result {
    std::optional<std::string> reply;  // the unframed reply, if the packet has one
    next action = next::stay;
  };

  gdb_session(rv32_iss& iss, mem_read read, mem_write write);

  // Answers one packet's payload (as it arrived between `$` and `#`).
  result handle(std::string_view payload);

  // The CPU stopped: remember why (for `?` and the stop reply).
  void set_stop(const gdb_stop& s) { m_stop = s; }
  [[nodiscard]] const gdb_stop& stop() const { return m_stop; }
  // The stop reply for the current stop, e.g. `T05thread:1;swbreak:;`.
  [[nodiscard]] std::string stop_reply() const;

  // The connection ends (detach, hang-up): forgets its breakpoints, disarms single step and drops
  // what was negotiated (no-ack mode), ready for the next debugger.
  void release();

  [[nodiscard]] bool no_ack() const { return m_no_ack; }
  [[nodiscard]] std::size_t breakpoint_count() const { return m_breakpoints.size(); }

  // The target description offered through qXfer:features:read:target.xml.
  static const std::string& target_xml();

 private:
  struct breakpoint {
    int type;  // 0 software, 1 hardware breakpoint; 2 write, 3 read, 4 access watchpoint
    std::uint32_t addr;
    std::uint32_t len;  // watchpoints
  };

  result query(std::string_view p);
  result resume(bool step, int signal, std::optional<std::uint32_t> addr);
  result vcont(std::string_view p);
  std::string read_registers() const;
  result write_registers(std::string_view hex);
  result read_register(std::string_view p) const;
  result write_register(std::string_view p);
  result read_memory(std::string_view p) const;
  result write_memory(std::string_view p, bool binary);
  result breakpoint_packet(std::string_view p, bool insert);
  bool read_reg(unsigned n, std::uint32_t& v) const;
  bool write_reg(unsigned n, std::uint32_t v);

  rv32_iss& m_iss;
  mem_read m_read;
  mem_write m_write;
  gdb_stop m_stop;
  std::vector<breakpoint> m_breakpoints;
  bool m_no_ack = false;
  bool m_swbreak = false;  // GDB wants to be told a stop was a software / hardware breakpoint
  bool m_hwbreak = false;
};

}  // namespace edgevp::cpu

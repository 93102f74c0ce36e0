// edgevp: the GDB remote serial protocol: framing and the packets a stopped RV32 core answers.
#include "models/cpu/gdb_protocol.h"

#include <algorithm>
#include <cstdio>

namespace edgevp::cpu {

namespace {

constexpr unsigned num_gdb_regs = 33;  // x0-x31, pc: the `g` packet
constexpr unsigned gdb_pc = 32;
constexpr unsigned gdb_first_csr = 65;  // GDB's number for CSR 0 (f0-f31 are 33-64)
constexpr unsigned max_csr = 0xFFF;
// Longest memory transfer per `m`/`M`: the reply (2 hex digits per byte) must fit the packet size.
constexpr std::size_t max_transfer = (gdb_max_packet - 16) / 2;

const char* const abi_names[32] = {"zero", "ra", "sp", "gp", "tp",  "t0",  "t1", "t2", "fp", "s1", "a0",
                                   "a1",   "a2", "a3", "a4", "a5",  "a6",  "a7", "s2", "s3", "s4", "s5",
                                   "s6",   "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6"};

// The CSRs the ISS implements (docs/models/cpu.md), by GDB's names.
struct csr_name {
  const char* name;
  std::uint32_t number;
};
const csr_name offered_csrs[] = {
    {"mstatus", 0x300},  {"misa", 0x301},     {"mie", 0x304},      {"mtvec", 0x305},     {"mstatush", 0x310},
    {"mscratch", 0x340}, {"mepc", 0x341},     {"mcause", 0x342},   {"mtval", 0x343},     {"mip", 0x344},
    {"mcycle", 0xB00},   {"minstret", 0xB02}, {"mcycleh", 0xB80},  {"minstreth", 0xB82}, {"cycle", 0xC00},
    {"instret", 0xC02},  {"cycleh", 0xC80},   {"instreth", 0xC82}, {"mvendorid", 0xF11}, {"marchid", 0xF12},
    {"mimpid", 0xF13},   {"mhartid", 0xF14},
};

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A whole string of hex digits (1 to 16 of them) as a number.
bool parse_hex(std::string_view s, std::uint64_t& v) {
  if (s.empty() || s.size() > 16) return false;
  v = 0;
  for (const char c : s) {
    const int d = hex_digit(c);
    if (d < 0) return false;
    v = (v << 4) | static_cast<unsigned>(d);
  }
  return true;
}

bool parse_hex32(std::string_view s, std::uint32_t& v) {
  std::uint64_t w = 0;
  if (!parse_hex(s, w) || w > 0xFFFFFFFFull) return false;
  v = static_cast<std::uint32_t>(w);
  return true;
}

// "addr,len" (both hex).
bool parse_addr_len(std::string_view s, std::uint32_t& addr, std::uint64_t& len) {
  const auto comma = s.find(',');
  if (comma == std::string_view::npos) return false;
  return parse_hex32(s.substr(0, comma), addr) && parse_hex(s.substr(comma + 1), len);
}

bool decode_hex_bytes(std::string_view s, std::string& out) {
  if (s.size() % 2 != 0) return false;
  out.clear();
  out.reserve(s.size() / 2);
  for (std::size_t i = 0; i < s.size(); i += 2) {
    const int hi = hex_digit(s[i]);
    const int lo = hex_digit(s[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out.push_back(static_cast<char>(hi << 4 | lo));
  }
  return true;
}

void append_hex_byte(std::string& out, unsigned b) {
  static const char digits[] = "0123456789abcdef";
  out.push_back(digits[(b >> 4) & 0xF]);
  out.push_back(digits[b & 0xF]);
}

// A 32-bit register in target (little-endian) byte order.
void append_reg(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) append_hex_byte(out, (v >> (8 * i)) & 0xFF);
}

bool parse_reg(std::string_view s, std::uint32_t& v) {
  std::string bytes;
  if (s.size() != 8 || !decode_hex_bytes(s, bytes)) return false;
  v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(bytes[static_cast<std::size_t>(i)]);
  return true;
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

// A thread id as GDB sends it to a single-threaded target: 1, or -1 / 0 for "any".
bool thread_ok(std::string_view t) {
  return t == "1" || t == "-1" || t == "0" || t == "p1.1" || t == "p1.-1";
}

gdb_session::result reply(std::string r, gdb_session::next n = gdb_session::next::stay) {
  gdb_session::result res;
  res.reply = std::move(r);
  res.action = n;
  return res;
}

const gdb_session::result malformed = reply("E01");

// Z2 / Z3 / Z4.
watch_kind watch_kind_of(int type) {
  return type == 2 ? watch_kind::write : type == 3 ? watch_kind::read : watch_kind::access;
}
const gdb_session::result unsupported = reply("");

std::string build_target_xml() {
  std::string x =
      "<?xml version=\"1.0\"?>\n"
      "<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
      "<target version=\"1.0\">\n"
      "  <architecture>riscv:rv32</architecture>\n"
      "  <feature name=\"org.gnu.gdb.riscv.cpu\">\n";
  for (unsigned i = 0; i < 32; ++i) {
    const char* type = "int";
    if (i == 1)
      type = "code_ptr";
    else if (i == 2 || i == 3 || i == 4 || i == 8)
      type = "data_ptr";
    x += "    <reg name=\"" + std::string(abi_names[i]) + "\" bitsize=\"32\" type=\"" + type +
         "\" regnum=\"" + std::to_string(i) + "\"/>\n";
  }
  x += "    <reg name=\"pc\" bitsize=\"32\" type=\"code_ptr\" regnum=\"32\"/>\n"
       "  </feature>\n"
       "  <feature name=\"org.gnu.gdb.riscv.csr\">\n";
  for (const csr_name& c : offered_csrs)
    x += "    <reg name=\"" + std::string(c.name) + "\" bitsize=\"32\" type=\"int\" regnum=\"" +
         std::to_string(gdb_first_csr + c.number) + "\"/>\n";
  x += "  </feature>\n"
       "</target>\n";
  return x;
}

}  // namespace

int gdb_signal_for_cause(std::uint32_t mcause) {
  if ((mcause & cause::interrupt) != 0) return gdb_signal::trap;
  switch (mcause) {
    case cause::insn_access:
    case cause::load_access:
    case cause::store_access: return gdb_signal::segv;
    case cause::insn_misaligned:
    case cause::load_misaligned:
    case cause::store_misaligned: return gdb_signal::bus;
    case cause::illegal_insn: return gdb_signal::illegal;
    case cause::ecall_m: return gdb_signal::sys;
    default: return gdb_signal::trap;
  }
}

// ------------------------------------------------------------------ framing

std::uint8_t gdb_checksum(std::string_view payload) {
  unsigned sum = 0;
  for (const char c : payload) sum += static_cast<unsigned char>(c);
  return static_cast<std::uint8_t>(sum & 0xFF);
}

std::string gdb_frame(std::string_view payload) {
  std::string f;
  f.reserve(payload.size() + 4);
  f.push_back('$');
  f.append(payload);
  f.push_back('#');
  append_hex_byte(f, gdb_checksum(payload));
  return f;
}

std::string gdb_escape(std::string_view data) {
  std::string out;
  out.reserve(data.size());
  for (const char c : data) {
    if (c == '#' || c == '$' || c == '}' || c == '*') {
      out.push_back('}');
      out.push_back(static_cast<char>(c ^ 0x20));
    } else {
      out.push_back(c);
    }
  }
  return out;
}

bool gdb_unescape(std::string_view data, std::string& out) {
  out.clear();
  out.reserve(data.size());
  for (std::size_t i = 0; i < data.size(); ++i) {
    if (data[i] == '}') {
      if (++i == data.size()) return false;
      out.push_back(static_cast<char>(data[i] ^ 0x20));
    } else {
      out.push_back(data[i]);
    }
  }
  return true;
}

void gdb_packet_reader::feed(const char* data, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const char c = data[i];
    switch (m_state) {
      case state::idle:
        if (c == '$') {
          m_state = state::payload;
          m_payload.clear();
          m_sum = 0;
          m_too_long = false;
        } else if (c == '\x03') {
          m_events.push_back({gdb_event::kind::interrupt, {}, true, false});
        } else if (c == '+') {
          m_events.push_back({gdb_event::kind::ack, {}, true, false});
        } else if (c == '-') {
          m_events.push_back({gdb_event::kind::nak, {}, true, false});
        }
        break;
      case state::payload:
        if (c == '#') {
          m_state = state::check1;
        } else if (c == '$') {  // a new packet starts: the partial one is lost
          m_payload.clear();
          m_sum = 0;
          m_too_long = false;
        } else {
          m_sum = static_cast<std::uint8_t>(m_sum + static_cast<unsigned char>(c));
          if (m_payload.size() < gdb_max_packet)
            m_payload.push_back(c);
          else
            m_too_long = true;
        }
        break;
      case state::check1:
        m_check = hex_digit(c);
        m_state = state::check2;
        if (m_check < 0) m_check = -256;  // stays negative through the second digit
        break;
      case state::check2: {
        const int lo = hex_digit(c);
        const bool ok = m_check >= 0 && lo >= 0 && ((m_check << 4) | lo) == m_sum;
        gdb_event e;
        e.type = gdb_event::kind::packet;
        e.payload = std::move(m_payload);
        e.checksum_ok = ok;
        e.too_long = m_too_long;
        m_events.push_back(std::move(e));
        m_payload.clear();
        m_state = state::idle;
        break;
      }
    }
  }
}

bool gdb_packet_reader::next(gdb_event& e) {
  if (m_events.empty()) return false;
  e = std::move(m_events.front());
  m_events.pop_front();
  return true;
}

void gdb_packet_reader::clear() {
  m_events.clear();
  m_payload.clear();
  m_state = state::idle;
}

// ------------------------------------------------------------------ the session

gdb_session::gdb_session(rv32_iss& iss, mem_read read, mem_write write)
    : m_iss(iss), m_read(std::move(read)), m_write(std::move(write)) {}

const std::string& gdb_session::target_xml() {
  static const std::string xml = build_target_xml();
  return xml;
}

std::string gdb_session::stop_reply() const {
  int sig = gdb_signal::trap;
  std::string extra;
  switch (m_stop.type) {
    case gdb_stop::kind::attach:
    case gdb_stop::kind::step: break;
    case gdb_stop::kind::interrupt: sig = gdb_signal::interrupt; break;
    case gdb_stop::kind::breakpoint: {
      // Say which kind of breakpoint it was, if the debugger asked to be told (qSupported).
      bool sw = false, hw = false;
      for (const breakpoint& b : m_breakpoints) {
        if (b.addr != m_iss.pc() || b.type > 1) continue;
        (b.type == 0 ? sw : hw) = true;
      }
      if (sw && m_swbreak)
        extra = "swbreak:;";
      else if (hw && m_hwbreak)
        extra = "hwbreak:;";
      break;
    }
    case gdb_stop::kind::watchpoint: {
      // The watched address the access touches, so that GDB knows which watchpoint it was.
      const watch_kind k = m_iss.watch_hit_kind();
      char buf[32];
      std::snprintf(buf, sizeof buf, "%s:%x;",
                    k == watch_kind::write  ? "watch"
                    : k == watch_kind::read ? "rwatch"
                                            : "awatch",
                    m_iss.watch_address());
      extra = buf;
      break;
    }
    case gdb_stop::kind::fault: sig = gdb_signal_for_cause(m_stop.mcause); break;
  }
  std::string r = "T";
  append_hex_byte(r, static_cast<unsigned>(sig));
  r += "thread:1;";
  r += extra;
  return r;
}

void gdb_session::release() {
  for (const breakpoint& b : m_breakpoints) {
    if (b.type >= 2)
      m_iss.remove_watchpoint(b.addr, b.len, watch_kind_of(b.type));
    else
      m_iss.remove_breakpoint(b.addr);
  }
  m_breakpoints.clear();
  m_iss.set_single_step(false);
  m_no_ack = m_swbreak = m_hwbreak = false;
  m_stop = gdb_stop{};
}

bool gdb_session::read_reg(unsigned n, std::uint32_t& v) const {
  if (n < 32) {
    v = m_iss.reg(n);
    return true;
  }
  if (n == gdb_pc) {
    v = m_iss.pc();
    return true;
  }
  if (n >= gdb_first_csr && n - gdb_first_csr <= max_csr) return m_iss.read_csr(n - gdb_first_csr, v);
  return false;
}

bool gdb_session::write_reg(unsigned n, std::uint32_t v) {
  if (n < 32) {
    m_iss.set_reg(n, v);  // x0 stays 0
    return true;
  }
  if (n == gdb_pc) {
    m_iss.set_pc(v & ~1u);
    return true;
  }
  if (n >= gdb_first_csr && n - gdb_first_csr <= max_csr) return m_iss.write_csr(n - gdb_first_csr, v);
  return false;
}

std::string gdb_session::read_registers() const {
  std::string r;
  r.reserve(num_gdb_regs * 8);
  for (unsigned i = 0; i < num_gdb_regs; ++i) {
    std::uint32_t v = 0;
    read_reg(i, v);
    append_reg(r, v);
  }
  return r;
}

gdb_session::result gdb_session::write_registers(std::string_view hex) {
  // All 33 registers; more (registers GDB knows we do not have) are ignored, fewer is an error.
  if (hex.size() < num_gdb_regs * 8) return malformed;
  std::uint32_t values[num_gdb_regs];
  for (unsigned i = 0; i < num_gdb_regs; ++i)
    if (!parse_reg(hex.substr(i * 8, 8), values[i])) return malformed;
  for (unsigned i = 0; i < num_gdb_regs; ++i) write_reg(i, values[i]);
  return reply("OK");
}

gdb_session::result gdb_session::read_register(std::string_view p) const {
  std::uint32_t n = 0;
  if (!parse_hex32(p, n)) return malformed;
  std::uint32_t v = 0;
  if (!read_reg(n, v)) return reply("E02");
  std::string r;
  append_reg(r, v);
  return reply(r);
}

gdb_session::result gdb_session::write_register(std::string_view p) {
  const auto eq = p.find('=');
  std::uint32_t n = 0, v = 0;
  if (eq == std::string_view::npos || !parse_hex32(p.substr(0, eq), n) || !parse_reg(p.substr(eq + 1), v))
    return malformed;
  return reply(write_reg(n, v) ? "OK" : "E02");
}

gdb_session::result gdb_session::read_memory(std::string_view p) const {
  std::uint32_t addr = 0;
  std::uint64_t len = 0;
  if (!parse_addr_len(p, addr, len)) return malformed;
  len = std::min<std::uint64_t>(len, max_transfer);
  if (len == 0) return reply("");
  std::string buf(static_cast<std::size_t>(len), '\0');
  const std::size_t got = m_read(addr, reinterpret_cast<unsigned char*>(buf.data()), buf.size());
  if (got == 0) return reply("E03");
  std::string r;
  r.reserve(got * 2);
  for (std::size_t i = 0; i < got; ++i) append_hex_byte(r, static_cast<unsigned char>(buf[i]));
  return reply(r);
}

gdb_session::result gdb_session::write_memory(std::string_view p, bool binary) {
  const auto colon = p.find(':');
  std::uint32_t addr = 0;
  std::uint64_t len = 0;
  if (colon == std::string_view::npos || !parse_addr_len(p.substr(0, colon), addr, len)) return malformed;
  std::string data;
  const std::string_view body = p.substr(colon + 1);
  if (binary ? !gdb_unescape(body, data) : !decode_hex_bytes(body, data)) return malformed;
  if (data.size() != len) return malformed;
  if (len == 0) return reply("OK");  // GDB probes for `X` this way
  const std::size_t done = m_write(addr, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  return reply(done == data.size() ? "OK" : "E03");
}

gdb_session::result gdb_session::breakpoint_packet(std::string_view p, bool insert) {
  // Z<type>,<addr>,<kind>[;cond...]: kind is the instruction length for breakpoints (ignored), the
  // watched length for watchpoints.
  if (p.size() < 2 || p[1] != ',') return malformed;
  const int type = p[0] - '0';
  if (type < 0 || type > 4) return malformed;
  std::string_view rest = p.substr(2);
  rest = rest.substr(0, rest.find(';'));
  std::uint32_t addr = 0;
  std::uint64_t kind = 0;
  if (!parse_addr_len(rest, addr, kind)) return malformed;
  const bool watch = type >= 2;
  if (watch && (kind == 0 || kind > 0xFFFFFFFFull)) return malformed;
  const auto len = watch ? static_cast<std::uint32_t>(kind) : 0u;
  const auto it = std::find_if(m_breakpoints.begin(), m_breakpoints.end(), [&](const breakpoint& b) {
    return b.type == type && b.addr == addr && b.len == len;
  });
  // Idempotent, as the protocol asks: a repeated packet changes nothing.
  if (insert && it == m_breakpoints.end()) {
    m_breakpoints.push_back({type, addr, len});
    if (watch)
      m_iss.add_watchpoint(addr, len, watch_kind_of(type));
    else
      m_iss.add_breakpoint(addr);
  } else if (!insert && it != m_breakpoints.end()) {
    m_breakpoints.erase(it);
    if (watch)
      m_iss.remove_watchpoint(addr, len, watch_kind_of(type));
    else
      m_iss.remove_breakpoint(addr);
  }
  return reply("OK");
}

gdb_session::result gdb_session::resume(bool step, int signal, std::optional<std::uint32_t> addr) {
  if (addr) m_iss.set_pc(*addr & ~1u);
  m_iss.set_single_step(step);
  // A signal can only be delivered as the fault it came from; other signals have nowhere to go.
  const bool deliver = signal != gdb_signal::none && m_stop.type == gdb_stop::kind::fault;
  result r;
  r.action = deliver ? next::deliver : next::resume;
  return r;  // the stop reply comes when the CPU stops again
}

gdb_session::result gdb_session::vcont(std::string_view p) {
  // vCont;action[:thread];action[:thread]... : the first action that applies to our one thread.
  if (p.empty() || p[0] != ';') return malformed;
  p.remove_prefix(1);
  while (!p.empty()) {
    const auto semi = p.find(';');
    std::string_view a = p.substr(0, semi);
    p = semi == std::string_view::npos ? std::string_view() : p.substr(semi + 1);
    std::string_view thread;
    if (const auto colon = a.find(':'); colon != std::string_view::npos) {
      thread = a.substr(colon + 1);
      a = a.substr(0, colon);
    }
    if (a.empty()) return malformed;
    if (!thread.empty() && !thread_ok(thread)) continue;
    const char op = a[0];
    std::uint32_t sig = 0;
    if ((op == 'C' || op == 'S') && !parse_hex32(a.substr(1), sig)) return malformed;
    if ((op == 'c' || op == 's') && a.size() != 1) return malformed;
    switch (op) {
      case 'c':
      case 'C': return resume(false, static_cast<int>(sig), std::nullopt);
      case 's':
      case 'S': return resume(true, static_cast<int>(sig), std::nullopt);
      case 't': return reply("OK");  // stop: it is stopped already
      default: return malformed;     // including range stepping, which we do not offer
    }
  }
  return malformed;
}

gdb_session::result gdb_session::query(std::string_view p) {
  if (starts_with(p, "qSupported")) {
    // Features GDB offers: we report the breakpoint kind only if it wants to be told.
    m_swbreak = p.find("swbreak+") != std::string_view::npos;
    m_hwbreak = p.find("hwbreak+") != std::string_view::npos;
    char size[16];
    std::snprintf(size, sizeof size, "%zx", gdb_max_packet);
    return reply(std::string("PacketSize=") + size +
                 ";qXfer:features:read+;QStartNoAckMode+;swbreak+;hwbreak+;vContSupported+");
  }
  if (p == "QStartNoAckMode") {
    m_no_ack = true;
    return reply("OK");
  }
  if (starts_with(p, "qXfer:features:read:")) {
    std::string_view rest = p.substr(std::string_view("qXfer:features:read:").size());
    const auto colon = rest.find(':');
    if (colon == std::string_view::npos) return malformed;
    std::uint32_t offset = 0;
    std::uint64_t length = 0;
    if (!parse_addr_len(rest.substr(colon + 1), offset, length)) return malformed;
    if (rest.substr(0, colon) != "target.xml") return reply("E00");
    const std::string& xml = target_xml();
    if (offset > xml.size()) return malformed;
    // Escaping may grow the data: keep the reply within the packet size.
    length = std::min<std::uint64_t>(length, gdb_max_packet / 2 - 8);
    const std::string chunk = xml.substr(offset, static_cast<std::size_t>(length));
    const bool last = offset + chunk.size() >= xml.size();
    return reply((last ? "l" : "m") + gdb_escape(chunk));
  }
  if (p == "qAttached" || starts_with(p, "qAttached:")) return reply("1");  // quitting GDB detaches
  if (p == "qC") return reply("QC1");
  if (p == "qfThreadInfo") return reply("m1");
  if (p == "qsThreadInfo") return reply("l");
  if (starts_with(p, "qSymbol")) return reply("OK");
  return unsupported;
}

gdb_session::result gdb_session::handle(std::string_view p) {
  if (p.empty()) return unsupported;
  const std::string_view args = p.substr(1);
  switch (p[0]) {
    case '?': return reply(stop_reply());
    case 'g': return p.size() == 1 ? reply(read_registers()) : malformed;
    case 'G': return write_registers(args);
    case 'p': return read_register(args);
    case 'P': return write_register(args);
    case 'm': return read_memory(args);
    case 'M': return write_memory(args, false);
    case 'X': return write_memory(args, true);
    case 'Z': return breakpoint_packet(args, true);
    case 'z': return breakpoint_packet(args, false);
    case 'c':
    case 's': {
      std::optional<std::uint32_t> addr;
      if (!args.empty()) {
        std::uint32_t a = 0;
        if (!parse_hex32(args, a)) return malformed;
        addr = a;
      }
      return resume(p[0] == 's', gdb_signal::none, addr);
    }
    case 'C':
    case 'S': {
      // C sig[;addr]
      const auto semi = args.find(';');
      std::uint32_t sig = 0;
      if (!parse_hex32(args.substr(0, semi), sig)) return malformed;
      std::optional<std::uint32_t> addr;
      if (semi != std::string_view::npos) {
        std::uint32_t a = 0;
        if (!parse_hex32(args.substr(semi + 1), a)) return malformed;
        addr = a;
      }
      return resume(p[0] == 'S', static_cast<int>(sig), addr);
    }
    case 'v':
      if (p == "vCont?") return reply("vCont;c;C;s;S;t");
      if (starts_with(p, "vCont")) return vcont(p.substr(5));
      if (starts_with(p, "vKill")) return reply("OK", next::kill);
      return unsupported;  // vMustReplyEmpty and everything we do not offer
    case 'H':
      // Hg / Hc select the thread for later operations: there is one.
      if (args.size() >= 2 && (args[0] == 'g' || args[0] == 'c') && thread_ok(args.substr(1)))
        return reply("OK");
      return malformed;
    case 'T': return reply(thread_ok(args) && args != "-1" && args != "0" ? "OK" : "E01");
    case 'D':
      if (args.empty() || args[0] == ';') return reply("OK", next::detach);
      return malformed;
    case 'k': {
      result r;  // no reply: the connection goes away
      r.action = next::kill;
      return r;
    }
    case 'q':
    case 'Q': return query(p);
    default: return unsupported;
  }
}

}  // namespace edgevp::cpu

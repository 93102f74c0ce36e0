// edgevp: syscon — platform identification, firmware exit and region markers.
//
//   offset  register      access  meaning
//   0x00    ID            ro      platform ID (syscon_config::platform_id, default 0xED6E0001)
//   0x04    VERSION       ro      edgevp version, (major << 16) | (minor << 8) | patch
//   0x08    EXIT          wo      SiFive test finisher: 0x5555 = exit 0;
//                                 (code << 16) | 0x3333 = exit with code (0..65535);
//                                 any other value is refused (TLM command error -> access fault)
//   0x0C    REGION_BEGIN  wo      opens a region named by the NUL-terminated string at the address
//                                 written (at most 63 characters); regions nest, at most
//                                 max_depth (256) open at once: one more is refused
//   0x10    REGION_END    wo      closes the innermost open region (value ignored); refused when
//                                 none is open
//
// EXIT calls on_exit(code, t) and REGION_BEGIN / REGION_END call on_region(begin, name, t), where t
// is the access time as the initiator sees it (sc_time_stamp() plus its annotated delay). The model
// only reports: ending the simulation and charging energy to regions are the platform's business.
// Without a callback the state is still tracked (exit_requested(), exit_code(), open_regions()).
//
// Region names are read through the `mem` initiator socket with debug transport (no side effects,
// no time), from the initiator's address space. A name that cannot be read (nothing answers at the
// address) or has no NUL within 64 bytes is refused.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <tlm_utils/simple_initiator_socket.h>

#include "models/core/peripheral.h"

namespace edgevp::peripherals {

struct syscon_config {
  std::uint32_t platform_id = 0xED6E0001u;
  std::uint32_t version = 0;  // (major << 16) | (minor << 8) | patch
  sc_core::sc_time latency = sc_core::sc_time(10, sc_core::SC_NS);
};

class syscon : public core::peripheral {
 public:
  tlm_utils::simple_initiator_socket<syscon> mem;  // debug reads of region names (must be bound)
  std::function<void(int code, sc_core::sc_time when)> on_exit;
  std::function<void(bool begin, const std::string& name, sc_core::sc_time when)> on_region;

  syscon(const sc_core::sc_module_name& name, const syscon_config& cfg);

  // Innermost last.
  [[nodiscard]] const std::vector<std::string>& open_regions() const { return m_regions; }
  [[nodiscard]] bool exit_requested() const { return m_exit_requested; }
  [[nodiscard]] int exit_code() const { return m_exit_code; }  // valid when exit_requested()

  static constexpr std::uint32_t exit_pass = 0x5555;
  static constexpr std::uint32_t exit_fail = 0x3333;  // low half; the code is in the high half
  static constexpr unsigned max_name = 63;
  static constexpr std::size_t max_depth = 256;

  core::reg<std::uint32_t> id;       // ID, 0x00, ro, reset cfg.platform_id
  core::reg<std::uint32_t> version;  // VERSION, 0x04, ro, reset cfg.version
  core::reg<std::uint32_t> exit{this, "EXIT", 0x08, 0, core::access::wo};
  core::reg<std::uint32_t> region_begin{this, "REGION_BEGIN", 0x0C, 0, core::access::wo};
  core::reg<std::uint32_t> region_end{this, "REGION_END", 0x10, 0, core::access::wo};

 protected:
  void reset_state() override;

 private:
  void write_exit(std::uint32_t v);
  void write_region_begin(std::uint32_t addr);
  void write_region_end();
  // The NUL-terminated string at addr, or false when it cannot be read or is too long.
  bool read_name(std::uint64_t addr, std::string& out);

  std::vector<std::string> m_regions;
  bool m_exit_requested = false;
  int m_exit_code = 0;
};

}  // namespace edgevp::peripherals

#include "models/peripherals/syscon.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <utility>

namespace edgevp::peripherals {

namespace {

std::string hex(std::uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llX", static_cast<unsigned long long>(v));
  return buf;
}

}  // namespace

syscon::syscon(const sc_core::sc_module_name& name, const syscon_config& cfg)
    : peripheral(name, cfg.latency),
      mem("mem"),
      id(this, "ID", 0x00, cfg.platform_id, core::access::ro),
      version(this, "VERSION", 0x04, cfg.version, core::access::ro) {
  exit.on_write([this](std::uint32_t v) {
    exit.set(v);
    write_exit(v);
  });
  region_begin.on_write([this](std::uint32_t v) {
    region_begin.set(v);
    write_region_begin(v);
  });
  region_end.on_write([this](std::uint32_t v) {
    region_end.set(v);
    write_region_end();
  });
}

void syscon::write_exit(std::uint32_t v) {
  int code = 0;
  if (v == exit_pass) {
    code = 0;
  } else if ((v & 0xFFFFu) == exit_fail) {
    code = static_cast<int>(v >> 16);
  } else {
    SC_REPORT_WARNING(name(),
                      ("EXIT: value " + hex(v) + " is not a finisher code: refused").c_str());
    refuse_access();
    return;
  }
  const sc_core::sc_time t = access_time();
  m_exit_requested = true;
  m_exit_code = code;
  SC_REPORT_INFO_VERB(name(), ("exit " + std::to_string(code) + " at " + t.to_string()).c_str(),
                      sc_core::SC_HIGH);
  if (on_exit) on_exit(code, t);
}

void syscon::write_region_begin(std::uint32_t addr) {
  if (m_regions.size() >= max_depth) {
    SC_REPORT_WARNING(name(), ("REGION_BEGIN: " + std::to_string(max_depth) + " regions are open already: refused").c_str());
    refuse_access();
    return;
  }
  std::string region;
  if (!read_name(addr, region)) {
    refuse_access();
    return;
  }
  const sc_core::sc_time t = access_time();
  m_regions.push_back(region);
  SC_REPORT_INFO_VERB(name(), ("region begin '" + region + "' at " + t.to_string()).c_str(),
                      sc_core::SC_HIGH);
  if (on_region) on_region(true, region, t);
}

void syscon::write_region_end() {
  if (m_regions.empty()) {
    SC_REPORT_WARNING(name(), "REGION_END with no open region: refused");
    refuse_access();
    return;
  }
  const sc_core::sc_time t = access_time();
  const std::string region = std::move(m_regions.back());
  m_regions.pop_back();
  SC_REPORT_INFO_VERB(name(), ("region end '" + region + "' at " + t.to_string()).c_str(),
                      sc_core::SC_HIGH);
  if (on_region) on_region(false, region, t);
}

bool syscon::read_name(std::uint64_t addr, std::string& out) {
  // One debug read of the longest legal name; the bus may clip it at a region boundary, so go on
  // from where it stopped until a NUL shows up, nothing more answers, or the name is too long.
  char buf[max_name + 1];
  unsigned have = 0;
  while (have < sizeof buf) {
    tlm::tlm_generic_payload tx;
    tx.set_command(tlm::TLM_READ_COMMAND);
    tx.set_address(addr + have);
    tx.set_data_ptr(reinterpret_cast<unsigned char*>(buf + have));
    const auto want = static_cast<unsigned>(sizeof buf) - have;
    tx.set_data_length(want);
    tx.set_streaming_width(want);
    const unsigned got = std::min(mem->transport_dbg(tx), want);
    if (got == 0) break;
    const void* nul = std::memchr(buf + have, '\0', got);
    if (nul != nullptr) {
      out.assign(buf, static_cast<std::size_t>(static_cast<const char*>(nul) - buf));
      return true;
    }
    have += got;
  }
  SC_REPORT_WARNING(name(), ("REGION_BEGIN: name at " + hex(addr) +
                             (have == sizeof buf ? " is longer than 63 characters: refused"
                                                 : " cannot be read: refused"))
                                .c_str());
  return false;
}

void syscon::reset_state() {
  m_regions.clear();
  m_exit_requested = false;
  m_exit_code = 0;
}

}  // namespace edgevp::peripherals

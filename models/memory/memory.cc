#include "models/memory/memory.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "models/core/dmi_counters.h"
#include "models/core/errors.h"

namespace edgevp::memory {

memory::memory(const sc_core::sc_module_name& name, const memory_config& cfg)
    : sc_core::sc_module(name), in("in"), m_cfg(cfg), m_power(this->name()) {
  if (cfg.size == 0)
    throw core::config_error(std::string(this->name()) + ": memory size must be > 0");
  m_data.assign(cfg.size, 0);
  m_power.add_event("read", cfg.power.read_bit.scaled(8), {&m_bus.read_bytes, &m_dmi.read_bytes});
  m_power.add_event("write", cfg.power.write_bit.scaled(8), {&m_bus.write_bytes, &m_dmi.write_bytes});
  m_power.set_leakage(cfg.power.leakage);
  m_power.set_retention(cfg.power.retention);
  in.register_b_transport(this, &memory::b_transport);
  in.register_get_direct_mem_ptr(this, &memory::get_direct_mem_ptr);
  in.register_transport_dbg(this, &memory::transport_dbg);
}

void memory::b_transport(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay) {
  const bool is_write = tx.is_write();
  delay += is_write ? m_cfg.write_latency : m_cfg.read_latency;

  const std::uint64_t addr = tx.get_address();
  const unsigned len = tx.get_data_length();
  // A streaming width of 0 is illegal in TLM but common in hand-built payloads: read it as "no
  // streaming" rather than failing an otherwise plain access.
  unsigned width = tx.get_streaming_width();
  if (width == 0 || width > len) width = len;
  // Written so that addr + width cannot overflow.
  if (addr >= size() || width > size() - addr) {
    tx.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  if (!tx.is_read() && !is_write) {  // TLM_IGNORE_COMMAND
    tx.set_response_status(tlm::TLM_OK_RESPONSE);
    return;
  }
  if (is_write && m_cfg.read_only) {
    tx.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
    return;
  }
  if (!domain_on()) {
    tx.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
    return;
  }
  if (is_write) {
    m_bus.write(len);
    if (on_write) on_write(addr, width);
  } else {
    m_bus.read(len);
  }

  unsigned char* mem = m_data.data() + addr;
  unsigned char* buf = tx.get_data_ptr();
  const unsigned char* be = tx.get_byte_enable_ptr();
  const unsigned be_len = tx.get_byte_enable_length();
  if (be_len == 0) be = nullptr;
  if (be == nullptr && width == len) {  // the common case: one contiguous copy
    if (is_write)
      std::memcpy(mem, buf, len);
    else
      std::memcpy(buf, mem, len);
  } else {
    // Byte enables repeat every be_len bytes; streaming wraps the target address every width.
    for (unsigned i = 0; i < len; ++i) {
      if (be != nullptr && be[i % be_len] == TLM_BYTE_DISABLED) continue;
      if (is_write)
        mem[i % width] = buf[i];
      else
        buf[i] = mem[i % width];
    }
  }
  tx.set_dmi_allowed(true);
  tx.set_response_status(tlm::TLM_OK_RESPONSE);
}

void memory::attach_power(core::power::monitor& m, core::power::domain& d) {
  m.attach(m_power, d);
  d.on_change([this](core::power::state /*from*/, core::power::state to) {
    if (to == core::power::state::on) return;
    in->invalidate_direct_mem_ptr(0, ~std::uint64_t{0});
    if (to == core::power::state::off && !m_cfg.non_volatile) std::fill(m_data.begin(), m_data.end(), m_cfg.lost_value);
  });
}

bool memory::get_direct_mem_ptr(tlm::tlm_generic_payload& tx, tlm::tlm_dmi& dmi) {
  if (!domain_on()) {
    dmi.allow_none();
    dmi.set_start_address(0);
    dmi.set_end_address(size() - 1);
    return false;
  }
  if (auto* ext = tx.get_extension<core::dmi_counters_extension>(); ext != nullptr) ext->counters = &m_dmi;
  if (tx.get_address() >= size()) {
    // Deny, and say where: everything above the memory.
    dmi.allow_none();
    dmi.set_start_address(size());
    dmi.set_end_address(~std::uint64_t{0});
    return false;
  }
  dmi.set_dmi_ptr(m_data.data());
  dmi.set_start_address(0);
  dmi.set_end_address(size() - 1);
  dmi.set_read_latency(m_cfg.read_latency);
  dmi.set_write_latency(m_cfg.write_latency);
  if (m_cfg.read_only || !m_cfg.dmi_write) {
    dmi.allow_read();
    // The requested kind (write) is not granted; the read grant is still described.
    return !tx.is_write();
  }
  dmi.allow_read_write();
  return true;
}

unsigned int memory::transport_dbg(tlm::tlm_generic_payload& tx) {
  const std::uint64_t addr = tx.get_address();
  tx.set_response_status(tlm::TLM_OK_RESPONSE);
  if (addr >= size() || (!tx.is_read() && !tx.is_write())) return 0;
  const auto n =
      static_cast<unsigned>(std::min<std::uint64_t>(tx.get_data_length(), size() - addr));
  if (tx.is_read())
    std::memcpy(tx.get_data_ptr(), m_data.data() + addr, n);
  else
    std::memcpy(m_data.data() + addr, tx.get_data_ptr(), n);  // even when read_only: loaders
  return n;
}

std::vector<core::param_binding> bind_power(memory_power& p) {
  using ps = core::param_spec;
  return {core::bind(ps::energy("power.read_bit", 0.0, "energy per bit read"), p.read_bit),
          core::bind(ps::energy("power.write_bit", 0.0, "energy per bit written"), p.write_bit),
          core::bind(ps::power("power.leakage", 0.0, "leakage while powered"), p.leakage),
          core::bind(ps::power("power.retention", 0.0, "leakage in retention"), p.retention)};
}

}  // namespace edgevp::memory

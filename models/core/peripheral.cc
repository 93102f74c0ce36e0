#include "models/core/peripheral.h"

#include <algorithm>
#include <stdexcept>

namespace edgevp::core {

reg_base::reg_base(peripheral* owner, std::string name, std::uint64_t offset, unsigned width,
                   access acc)
    : m_name(std::move(name)), m_offset(offset), m_width(width), m_access(acc) {
  if (owner != nullptr) owner->add_register(this);
}

peripheral::peripheral(const sc_core::sc_module_name& name, sc_core::sc_time latency)
    : sc_core::sc_module(name), in("in"), m_latency(latency), m_power(this->name()) {
  in.register_b_transport(this, &peripheral::b_transport);
  in.register_transport_dbg(this, &peripheral::transport_dbg);
}

void peripheral::add_register(reg_base* r) {
  for (const reg_base* other : m_regs) {
    const bool overlap = r->offset() < other->offset() + other->width() &&
                         other->offset() < r->offset() + r->width();
    if (overlap)
      throw std::logic_error(std::string(name()) + ": register " + r->name() + " overlaps " +
                             other->name());
  }
  auto pos = std::upper_bound(m_regs.begin(), m_regs.end(), r, [](const reg_base* a, const reg_base* b) {
    return a->offset() < b->offset();
  });
  m_regs.insert(pos, r);
}

reg_base* peripheral::find_register(std::uint64_t offset) const {
  auto it = std::upper_bound(m_regs.begin(), m_regs.end(), offset,
                             [](std::uint64_t off, const reg_base* r) { return off < r->offset(); });
  if (it == m_regs.begin()) return nullptr;
  reg_base* r = *(it - 1);
  return offset < r->offset() + r->width() ? r : nullptr;
}

void peripheral::configure_power(const peripheral_power& p) {
  m_power.add_event("access", p.access, {&m_accesses.reads, &m_accesses.writes});
  m_power.set_leakage(p.leakage);
  m_power.set_background(p.background);
}

void peripheral::attach_power(power::monitor& m, power::domain& d) {
  m.attach(m_power, d);
  d.on_change([this](power::state from, power::state to) { power_changed(from, to); });
}

void peripheral::power_changed(power::state /*from*/, power::state to) {
  if (to == power::state::off) reset();
}

void peripheral::reset() {
  for (reg_base* r : m_regs) r->reset();
  reset_state();
}

sc_core::sc_time peripheral::access_time() const {
  return m_current_delay != nullptr ? sc_core::sc_time_stamp() + *m_current_delay
                                    : sc_core::sc_time_stamp();
}

void peripheral::refuse_access(tlm::tlm_response_status status) { m_refusal = status; }

void peripheral::stall_access(const sc_core::sc_time& t) {
  if (m_current_delay != nullptr) *m_current_delay += t;
}

void peripheral::b_transport(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay) {
  serve(tx, delay);
  after_access(tx, false);
}

unsigned int peripheral::transport_dbg(tlm::tlm_generic_payload& tx) {
  const unsigned int n = serve_debug(tx);
  after_access(tx, true);
  return n;
}

void peripheral::serve(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay) {
  delay += m_clock != nullptr ? m_clock->scale(m_latency) : m_latency;
  const std::uint64_t addr = tx.get_address();
  const unsigned len = tx.get_data_length();
  if (!domain_on()) {
    tx.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
    return;
  }
  if (tx.is_write())
    m_accesses.write(len);
  else if (tx.is_read())
    m_accesses.read(len);
  reg_base* r = find_register(addr);
  if (r == nullptr) {
    tx.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  if (tx.get_byte_enable_ptr() != nullptr) {
    tx.set_response_status(tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
    return;
  }
  if (r->offset() != addr || r->width() != len || tx.get_streaming_width() < len) {
    tx.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
    return;
  }
  const bool is_read = tx.is_read();
  if (!tx.is_read() && !tx.is_write()) {
    tx.set_response_status(tlm::TLM_OK_RESPONSE);  // IGNORE command
    return;
  }
  if ((is_read && !r->readable()) || (!is_read && !r->writable())) {
    tx.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
    return;
  }
  m_refusal = tlm::TLM_OK_RESPONSE;
  // Callbacks see the access's time; the guard also clears it if a callback throws.
  struct delay_guard {
    sc_core::sc_time*& slot;
    sc_core::sc_time* previous;
    ~delay_guard() { slot = previous; }  // nested accesses (a DMA into a peripheral) restore it
  } guard{m_current_delay, m_current_delay};
  m_current_delay = &delay;
  if (is_read)
    r->bus_read(tx.get_data_ptr());
  else
    r->bus_write(tx.get_data_ptr());
  tx.set_response_status(m_refusal);
}

unsigned int peripheral::serve_debug(tlm::tlm_generic_payload& tx) {
  // Byte-granular: each byte goes to the register that holds it; unmapped bytes read as zero and
  // stop a write.
  tx.set_response_status(tlm::TLM_OK_RESPONSE);
  if (!tx.is_read() && !tx.is_write()) return 0;  // TLM_IGNORE_COMMAND
  const std::uint64_t addr = tx.get_address();
  unsigned char* data = tx.get_data_ptr();
  const unsigned len = tx.get_data_length();
  unsigned done = 0;
  while (done < len) {
    reg_base* r = find_register(addr + done);
    if (r == nullptr) {
      if (tx.is_write()) break;
      data[done++] = 0;
      continue;
    }
    unsigned char buf[8] = {};
    r->debug_read(buf);
    const unsigned start = static_cast<unsigned>(addr + done - r->offset());
    const unsigned n = std::min(r->width() - start, len - done);
    if (tx.is_read()) {
      std::memcpy(data + done, buf + start, n);
    } else {
      std::memcpy(buf + start, data + done, n);
      r->debug_write(buf);
    }
    done += n;
  }
  return done;
}

std::vector<param_binding> bind_power(peripheral_power& p) {
  return {bind(param_spec::energy("power.access", 0.0, "energy per register access"), p.access),
          bind(param_spec::power("power.leakage", 0.0, "leakage while powered"), p.leakage),
          bind(param_spec::power("power.background", 0.0, "dynamic power while clocked"), p.background)};
}

}  // namespace edgevp::core

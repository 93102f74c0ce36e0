#include "models/peripherals/intc.h"

#include <string>

#include "models/core/errors.h"

namespace edgevp::peripherals {

namespace {

unsigned checked_sources(const sc_core::sc_module& m, unsigned n) {
  if (n < 1 || n > 32)
    throw core::config_error(std::string(m.name()) + ": sources must be 1..32, got " +
                             std::to_string(n));
  return n;
}

}  // namespace

intc::intc(const sc_core::sc_module_name& name, const intc_config& cfg)
    : peripheral(name, cfg.latency),
      m_sources(checked_sources(*this, cfg.sources)),
      m_valid((m_sources == 32 ? 0xFFFFFFFFu : (1u << m_sources) - 1u) & ~1u) {
  enable.on_write([this](std::uint32_t v) {
    enable.set(v & m_valid);
    update();
  });
  claim.on_read([this]() -> std::uint32_t {
    const std::uint32_t ready = deliverable();
    if (ready == 0) return 0;
    const auto id = static_cast<std::uint32_t>(__builtin_ctz(ready));  // lowest id wins
    m_claimed |= 1u << id;
    claim.set(id);  // for debug reads: the last id handed out
    update();
    return id;
  });
  claim.on_write([this](std::uint32_t id) {
    if (id < 32) m_claimed &= ~(1u << id);
    update();
  });
}

void intc::set_source(unsigned id, bool level) {
  if (id == 0 || id >= m_sources) {
    SC_REPORT_WARNING(name(), ("set_source: no source " + std::to_string(id) + " (sources 1.." +
                               std::to_string(m_sources - 1) + "), ignored")
                                  .c_str());
    return;
  }
  const std::uint32_t bit = 1u << id;
  m_levels = level ? m_levels | bit : m_levels & ~bit;
  update();
}

void intc::update() {
  pending.set(m_levels);
  irq.set(deliverable() != 0);
}

std::function<void(bool)> intc::source(unsigned id) {
  return [this, id](bool level) { set_source(id, level); };
}

void intc::reset_state() {
  // Source levels are inputs, not state: PENDING goes on following the wires.
  m_claimed = 0;
  update();
}

void intc::after_access(const tlm::tlm_generic_payload& tx, bool debug) {
  // Bus writes go through the register callbacks; a debug write stores directly, so PENDING
  // follows the wires again and a new ENABLE takes effect here.
  if (debug && tx.is_write()) {
    enable.set(enable.get() & m_valid);
    update();
  }
}

}  // namespace edgevp::peripherals

// edgevp: interrupt controller (intc), level-triggered, up to 32 sources, source 0 reserved.
//
//   offset  register  access  reset  meaning
//   0x00    PENDING   ro      0      bit i: source i's line is high
//   0x04    ENABLE    rw      0      bit i: source i may interrupt (bit 0, bits >= sources read 0)
//   0x08    CLAIM     rw      0      read: claim the lowest-numbered source that is pending,
//                                    enabled and not claimed, and return its id (0 if none);
//                                    write: complete that source (unclaim it)
//
// irq (CPU MEIP, mip bit 11) is high while some source is pending, enabled and not claimed.
//
// Sources are wires: set_source() follows the level of a peripheral's irq line, for instance
// `uart.irq.bind(intc.source(1))`. A claimed source stays claimed until completed, whatever its
// line does; once completed, a source whose line is still high interrupts again (level
// semantics). Completing a source that is not claimed, or an id out of range, is ignored, as on a
// PLIC. set_source() with id 0 or id >= sources warns and is ignored.
#pragma once

#include <cstdint>
#include <functional>

#include "models/core/irq.h"
#include "models/core/peripheral.h"

namespace edgevp::peripherals {

struct intc_config {
  unsigned sources = 32;  // 1..32, including the reserved source 0
  sc_core::sc_time latency = sc_core::sc_time(10, sc_core::SC_NS);
};

class intc : public core::peripheral {
 public:
  core::irq_line irq{"meip"};

  // Throws core::config_error (naming the module) unless 1 <= cfg.sources <= 32.
  intc(const sc_core::sc_module_name& name, const intc_config& cfg);

  void set_source(unsigned id, bool level);
  // A sink for core::irq_line::bind() that drives source id.
  [[nodiscard]] std::function<void(bool)> source(unsigned id);

  [[nodiscard]] unsigned sources() const { return m_sources; }
  [[nodiscard]] std::uint32_t claimed() const { return m_claimed; }  // bit i: source i is claimed

  core::reg<std::uint32_t> pending{this, "PENDING", 0x00, 0, core::access::ro};
  core::reg<std::uint32_t> enable{this, "ENABLE", 0x04, 0, core::access::rw};
  core::reg<std::uint32_t> claim{this, "CLAIM", 0x08, 0, core::access::rw};

 protected:
  void reset_state() override;
  void after_access(const tlm::tlm_generic_payload& tx, bool debug) override;

 private:
  [[nodiscard]] std::uint32_t deliverable() const { return m_levels & enable.get() & ~m_claimed; }
  void update();  // PENDING and irq from the levels, ENABLE and the claims

  unsigned m_sources;
  std::uint32_t m_valid;       // bits of the sources that exist, without source 0
  std::uint32_t m_levels = 0;  // the source lines (PENDING mirrors them; reset cannot clear wires)
  std::uint32_t m_claimed = 0;
};

}  // namespace edgevp::peripherals

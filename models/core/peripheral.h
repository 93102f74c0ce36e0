// edgevp: peripheral base.
//
// A TLM-2.0 target that owns declared registers (reg.h) and turns payloads into register accesses.
// Bad accesses are answered, never aborted:
//   - no register at the offset                       -> TLM_ADDRESS_ERROR_RESPONSE
//   - access not exactly one whole register (size or
//     alignment), streaming width                     -> TLM_BURST_ERROR_RESPONSE
//   - byte enables                                    -> TLM_BYTE_ENABLE_ERROR_RESPONSE
//   - write to a read-only / read of a write-only reg -> TLM_COMMAND_ERROR_RESPONSE
// A callback may also refuse an access with refuse_access() (e.g. a write of a meaningless value).
// Each access adds the configured latency to the annotated delay. Debug transport reads and writes
// stored register values without callbacks.
//
// Power: each peripheral has a power component (an energy quantum per bus access, leakage,
// optional background power) and may sit in a power domain. While its domain is not on, every bus
// access is answered with TLM_GENERIC_ERROR_RESPONSE (nothing is clocked); when the domain goes
// off, the registers and the model's state return to reset (volatile state is lost). With a clock
// set, the access latency is given at the clock's reference frequency and scales with DVFS.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include "models/core/access_counters.h"
#include "models/core/clock.h"
#include "models/core/irq.h"
#include "models/core/param.h"
#include "models/core/power.h"
#include "models/core/reg.h"

namespace edgevp::core {

// Power parameters of a register-only block. Values in J per access and W; defaults are
// illustrative (CALIBRATION.md tags peripheral energies U: parameters to sweep).
struct peripheral_power {
  power::curve access = 1e-12;  // per bus access (read or write)
  power::curve leakage = 1e-6;
  power::curve background = 0.0;
};

class peripheral : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<peripheral> in;

  explicit peripheral(const sc_core::sc_module_name& name,
                      sc_core::sc_time latency = sc_core::sc_time(10, sc_core::SC_NS));

  // Back to reset values (registers, then the model's own reset_state()).
  void reset();

  // The block's lines as the platform wires them, by role: its interrupt request (to the
  // interrupt controller, at the instance's source) and its wake-up request (to the PMU). None by
  // default.
  virtual irq_line* interrupt() { return nullptr; }
  virtual irq_line* wakeup() { return nullptr; }

  [[nodiscard]] const std::vector<reg_base*>& registers() const { return m_regs; }
  [[nodiscard]] reg_base* find_register(std::uint64_t offset) const;
  void set_latency(sc_core::sc_time t) { m_latency = t; }
  void set_clock(const clock* c) { m_clock = c; }

  // Power: sources from `p`, counted into `m`, in domain `d` (whose state changes reach
  // power_changed()).
  void configure_power(const peripheral_power& p);
  void attach_power(power::monitor& m, power::domain& d);
  [[nodiscard]] power::component& power() { return m_power; }
  [[nodiscard]] const access_counters& accesses() const { return m_accesses; }

  // Called by reg_base's constructor.
  void add_register(reg_base* r);

 protected:
  // Simulated time of the access being served: sc_time_stamp() plus the initiator's annotated
  // delay (temporal decoupling), which already includes this peripheral's own latency: a register
  // is sampled when the access completes. Valid inside register callbacks.
  [[nodiscard]] sc_core::sc_time access_time() const;
  // Inside a callback: answer this access with the given error response instead of OK.
  void refuse_access(tlm::tlm_response_status status = tlm::TLM_COMMAND_ERROR_RESPONSE);
  // Inside a callback: the access takes `t` longer (e.g. a write that waits for a PLL to relock).
  void stall_access(const sc_core::sc_time& t);
  // Models with state beyond their registers reset it here.
  virtual void reset_state() {}
  // Called once each bus access (debug = false) or debug access (debug = true) has been served,
  // whatever its response: models whose outputs follow register state (interrupt lines, status
  // bits) re-evaluate them here instead of overriding the transport functions.
  virtual void after_access(const tlm::tlm_generic_payload& tx, bool debug) {}
  // After the domain changed state. The default loses all state when the domain goes off.
  virtual void power_changed(power::state from, power::state to);
  [[nodiscard]] bool domain_on() const { return m_power.domain() == nullptr || m_power.domain()->is_on(); }
  [[nodiscard]] const clock* clock_source() const { return m_clock; }
  // For models that serve accesses without serve() (an RTL block behind a bridge): their counts.
  access_counters& bus_accesses() { return m_accesses; }

  virtual void b_transport(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay);
  virtual unsigned int transport_dbg(tlm::tlm_generic_payload& tx);

 private:
  void serve(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay);
  unsigned int serve_debug(tlm::tlm_generic_payload& tx);

  std::vector<reg_base*> m_regs;  // sorted by offset
  sc_core::sc_time m_latency;
  const clock* m_clock = nullptr;
  power::component m_power;
  access_counters m_accesses;
  sc_core::sc_time* m_current_delay = nullptr;
  tlm::tlm_response_status m_refusal = tlm::TLM_OK_RESPONSE;
};

// A register block's power parameters: power.access, power.leakage, power.background.
std::vector<param_binding> bind_power(peripheral_power& p);

}  // namespace edgevp::core

// The GPIO's RTL behind its bridge. The block is clocked only when it has something to do: a
// register access, or a change of the levels the outside world drives (the stimulus), after which
// it runs until its edge detector has latched the change. Its outputs drive the model's lines and
// signals, so the platform, the PMU's wake-up and the VCD see the RTL's.
#include "Vedgevp_gpio.h"
#include <verilated_vcd_c.h>

#include "models/rtl/gpio_rtl.h"

#include "models/rtl/axil_initiator.h"
#include "models/rtl/verilated_host.h"

namespace edgevp::rtl {

namespace {

constexpr unsigned reset_cycles = 2;
constexpr unsigned settle_cycles = 8;  // at most, after an input change

class gpio_rtl final : public peripherals::gpio {
 public:
  gpio_rtl(const sc_core::sc_module_name& name, const peripherals::gpio_config& cfg, const gpio_rtl_config& rcfg)
      : peripherals::gpio(name, cfg), m_cfg(rcfg), m_host(std::string(this->name())),
        m_lite(EDGEVP_AXIL_SLAVE_PINS(&m_host.model())) {
    if (rcfg.timeout == 0) throw core::config_error("gpio.rtl.timeout must be at least 1 cycle");
    m_host.set_period(rcfg.period);
    m_host.add(m_lite);
    if (!rcfg.vcd.empty()) m_host.open_vcd(rcfg.vcd);
    m_host.model().pin_in = external_inputs();
    m_host.reset(reset_cycles);
    // The reset's edge reference is the levels at reset, as the model's.
    settle();
    sync_outputs();
  }

 protected:
  void b_transport(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay) override {
    if (!domain_on()) {
      tx.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
      return;
    }
    if (tx.is_write())
      bus_accesses().write(tx.get_data_length());
    else if (tx.is_read())
      bus_accesses().read(tx.get_data_length());
    m_host.run_until(sc_core::sc_time_stamp() + delay);
    serve_register_access(m_host, m_lite, tx, delay, m_cfg.timeout, name());
    settle();  // an OUTPUT / OUTPUT_EN write moves pin levels: their edges are latched next cycle
    sync_outputs();
  }
  unsigned int transport_dbg(tlm::tlm_generic_payload& tx) override {
    tx.set_response_status(tlm::TLM_OK_RESPONSE);
    return 0;
  }
  void after_access(const tlm::tlm_generic_payload& /*tx*/, bool /*debug*/) override {}
  // A soft reset (peripheral::reset) resets the block through its reset pin.
  void reset_state() override {
    if (m_host.in_reset()) return;  // its domain is off: held in reset already
    m_lite.reset();
    m_host.advance_to(sc_core::sc_time_stamp());
    m_host.model().pin_in = external_inputs();
    m_host.reset(reset_cycles);
    settle();
    sync_outputs();
  }

 public:
  [[nodiscard]] std::uint32_t driven_outputs() const override { return m_driven; }

 protected:

  // The outside levels changed (stimulus or set_input): hand them to the block and clock it.
  void update() override {
    m_host.advance_to(sc_core::sc_time_stamp());
    m_host.model().pin_in = external_inputs();
    settle();
    sync_outputs();
  }

  void power_changed(core::power::state /*from*/, core::power::state to) override {
    if (to == core::power::state::off) {
      m_lite.reset();
      m_host.hold_reset();
    } else if (m_host.in_reset()) {
      m_host.advance_to(sc_core::sc_time_stamp());
      m_host.reset(reset_cycles);
      settle();
    }
    sync_outputs();
  }

 private:
  void settle() {
    if (m_host.in_reset()) return;
    // The block compares its pin levels with the previous cycle's: one cycle latches an edge;
    // it reports busy while one is still pending.
    m_host.tick();
    for (unsigned i = 1; i < settle_cycles && m_host.has_work(); ++i) m_host.tick();
  }
  void sync_outputs() {
    const auto& m = m_host.model();
    const bool live = !m_host.in_reset();
    irq.set(live && m.irq != 0);
    wake.set(live && m.wake != 0);
    pins.write(m.pins);
    input.set(m.pins);
    const std::uint32_t driven = live ? m.pin_out : 0;
    if (driven != m_driven) {
      m_driven = driven;
      outputs.write(driven);
      if (on_output) on_output(driven);
    }
  }

  gpio_rtl_config m_cfg;
  verilated_host<Vedgevp_gpio> m_host;
  axil_initiator m_lite;
  std::uint32_t m_driven = 0;
};

}  // namespace

std::unique_ptr<peripherals::gpio> make_gpio(const sc_core::sc_module_name& name, const peripherals::gpio_config& cfg,
                                             const gpio_rtl_config& rcfg) {
  return std::make_unique<gpio_rtl>(name, cfg, rcfg);
}

}  // namespace edgevp::rtl

// edgevp: GPIO, 32 pins, edge interrupts and wake-up.
//
//   offset  register     access  reset  meaning (bit i = pin i)
//   0x00    INPUT        ro      -      pin levels: OUTPUT where OUTPUT_EN is set, else the outside
//   0x04    OUTPUT       rw      0      level driven on the pin while OUTPUT_EN is set
//   0x08    OUTPUT_EN    rw      0      1 = output (driven by OUTPUT), 0 = input
//   0x0C    IRQ_RISE_EN  rw      0      a rising edge of the pin sets IRQ_STATUS
//   0x10    IRQ_FALL_EN  rw      0      a falling edge of the pin sets IRQ_STATUS
//   0x14    IRQ_STATUS   rw      0      an enabled edge was seen; write 1 to clear (w1c)
//   0x18    WAKE_EN      rw      0      the pin's IRQ_STATUS bit also raises wake
//
// Edges are changes of a pin level (INPUT), whatever drives it: the outside world on an input, the
// model's own OUTPUT on an output (firmware can test its interrupt path by toggling an output), or
// a change of OUTPUT_EN that switches the pin between the two. Only edges whose direction is
// enabled (IRQ_RISE_EN / IRQ_FALL_EN) are latched; IRQ_STATUS bits stay set until cleared.
//
// The lines are levels:
//   irq  = (IRQ_STATUS & (IRQ_RISE_EN | IRQ_FALL_EN)) != 0
//   wake = (IRQ_STATUS & (IRQ_RISE_EN | IRQ_FALL_EN) & WAKE_EN) != 0
// so clearing both edge enables of a pin masks a latched edge without losing it.
//
// The outside world drives inputs through set_input() (from any SystemC process or before the
// simulation starts; it takes effect at sc_time_stamp()) and through gpio_config::stimulus, a list
// of timed events that an SC_METHOD applies at their simulated times, in list order for equal
// times. parse_gpio_stimulus() reads such a list from a text file. External levels are the outside
// world's: reset() keeps them (and the stimulus keeps playing); it clears the registers, lowers
// the lines and takes the current levels as the reference for the next edges.
//
// The driven levels (OUTPUT & OUTPUT_EN, 0 where not driven) go to on_output() whenever they change
// and to the `outputs` signal (for a VCD); `pins` mirrors INPUT.
//
// Debug reads see the live INPUT; debug writes take effect like bus writes (edges latched, outputs
// and lines updated), except that IRQ_STATUS stores the written value (a debugger can set or clear
// edges) and INPUT ignores them.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "models/core/irq.h"
#include "models/core/peripheral.h"

namespace edgevp::peripherals {

struct gpio_event {
  sc_core::sc_time time;  // absolute simulated time
  unsigned pin = 0;       // 0..31
  bool level = false;
};

struct gpio_config {
  std::vector<gpio_event> stimulus;  // times non-decreasing, pins < 32 (else config_error)
  std::uint32_t initial_inputs = 0;  // external levels before any stimulus
  sc_core::sc_time latency = sc_core::sc_time(10, sc_core::SC_NS);
};

// Reads `<time> <pin> <level>` lines: time with a unit and no space (10ms, 1.5us, 0s; units ps ns
// us ms s), pin 0..31, level 0 or 1; `#` starts a comment; blank lines are skipped; times must not
// decrease. Throws core::config_error naming the file (and the line, "FILE:LINE: ...").
std::vector<gpio_event> parse_gpio_stimulus(const std::string& path);

class gpio : public core::peripheral {
 public:
  static constexpr unsigned num_pins = 32;

  core::irq_line irq{"irq"};    // to the interrupt controller
  core::irq_line wake{"wake"};  // to the PMU's wake-up logic
  core::irq_line* interrupt() override { return &irq; }
  core::irq_line* wakeup() override { return &wake; }
  sc_core::sc_signal<std::uint32_t, sc_core::SC_MANY_WRITERS> outputs{"outputs", 0};
  sc_core::sc_signal<std::uint32_t, sc_core::SC_MANY_WRITERS> pins{"pins", 0};
  std::function<void(std::uint32_t levels)> on_output;  // optional

  // Throws core::config_error (naming the module) when the stimulus has a pin >= 32 or a time
  // earlier than the one before it.
  gpio(const sc_core::sc_module_name& name, const gpio_config& cfg);

  // The outside world drives `pin` (< 32, else std::out_of_range) to `level` now.
  void set_input(unsigned pin, bool level);
  [[nodiscard]] std::uint32_t external_inputs() const { return m_external; }
  [[nodiscard]] std::uint32_t levels() const;          // INPUT
  [[nodiscard]] virtual std::uint32_t driven_outputs() const;  // OUTPUT & OUTPUT_EN

  core::reg<std::uint32_t> input{this, "INPUT", 0x00, 0, core::access::ro};
  core::reg<std::uint32_t> output{this, "OUTPUT", 0x04, 0, core::access::rw};
  core::reg<std::uint32_t> output_en{this, "OUTPUT_EN", 0x08, 0, core::access::rw};
  core::reg<std::uint32_t> irq_rise_en{this, "IRQ_RISE_EN", 0x0C, 0, core::access::rw};
  core::reg<std::uint32_t> irq_fall_en{this, "IRQ_FALL_EN", 0x10, 0, core::access::rw};
  core::reg<std::uint32_t> irq_status{this, "IRQ_STATUS", 0x14, 0, core::access::rw};
  core::reg<std::uint32_t> wake_en{this, "WAKE_EN", 0x18, 0, core::access::rw};

 protected:
  void reset_state() override;
  void after_access(const tlm::tlm_generic_payload& tx, bool debug) override;
  // Latches edges since the last update, drives outputs and lines (an RTL implementation,
  // models/rtl/gpio_rtl.cc, hands the levels to its block instead).
  virtual void update();

 private:
  void play_stimulus();  // SC_METHOD: applies the events that are due, waits for the next

  std::vector<gpio_event> m_stimulus;
  std::size_t m_next = 0;        // next stimulus event
  std::uint32_t m_external = 0;  // levels driven from outside
  std::uint32_t m_last = 0;      // pin levels at the last update (edge reference)
  std::uint32_t m_driven = 0;    // last value given to on_output
};

}  // namespace edgevp::peripherals

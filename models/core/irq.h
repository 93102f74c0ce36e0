// edgevp: interrupt line.
//
// An irq_line is one wire from a source (a peripheral's output) to a sink (an interrupt controller
// input or a CPU interrupt pin). The source owns the line and calls set(); the platform binds the
// sink once, at elaboration. The level is mirrored into an sc_signal so a VCD can trace it; the sink
// is called directly, in the same delta, so a CPU that wrote a register sees the resulting interrupt
// before it executes its next instruction (no context switch needed). The mirror takes writes from
// any process unchecked: a CPU that takes an interrupt and lowers its source in the same delta cycle
// as the source's own process raised it writes the line twice in one delta, which SC_MANY_WRITERS
// refuses (E115); the trace then shows the level at the end of that delta.
#pragma once

#include <functional>
#include <string>
#include <utility>

#include <systemc>

namespace edgevp::core {

class irq_line {
 public:
  explicit irq_line(const char* name) : m_signal(name, false) {}
  irq_line(const irq_line&) = delete;
  irq_line& operator=(const irq_line&) = delete;

  // Binds the sink; a line without a sink is legal (an unconnected output).
  void bind(std::function<void(bool)> sink) { m_sink = std::move(sink); }

  void set(bool level) {
    if (level == m_level) return;
    m_level = level;
    m_signal.write(level);
    if (m_sink) m_sink(level);
  }
  void raise() { set(true); }
  void lower() { set(false); }
  [[nodiscard]] bool level() const { return m_level; }

  // For sc_trace.
  [[nodiscard]] const sc_core::sc_signal<bool, sc_core::SC_UNCHECKED_WRITERS>& signal() const { return m_signal; }

 private:
  bool m_level = false;
  std::function<void(bool)> m_sink;
  sc_core::sc_signal<bool, sc_core::SC_UNCHECKED_WRITERS> m_signal;
};

}  // namespace edgevp::core

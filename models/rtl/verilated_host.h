// edgevp: a verilated model as a clocked block (clocked.h), with its waveform.
//
// Each block has its own VerilatedContext, so blocks do not share time or trace state. The
// waveform (Verilator tracing, compiled in; opened by --rtl-vcd) is stamped with the block's local
// time in picoseconds of simulated time, the time base of edgevp's own VCD (whose timescale is 1 ns), so the
// two line up. The clock
// shows edges only where the block was stepped: idle stretches are gated.
//
// Include the model's header (and so verilated.h) before any SystemC header: Verilator takes
// sc_time_stamp() for its time when it sees SYSTEMC_VERSION.
#pragma once

#include <memory>
#include <string>

#include <verilated.h>
#include <verilated_vcd_c.h>

#include "models/core/errors.h"
#include "models/rtl/clocked.h"

namespace edgevp::rtl {

template <class Model>
class verilated_host : public clocked {
 public:
  explicit verilated_host(const std::string& name) : m_context(std::make_unique<VerilatedContext>()) {
    m_context->traceEverOn(true);
    m_model = std::make_unique<Model>(m_context.get(), name.c_str());
    m_model->clk = 0;
    m_model->rst_n = 0;
  }
  verilated_host(const verilated_host&) = delete;
  verilated_host& operator=(const verilated_host&) = delete;
  ~verilated_host() override {
    if (m_vcd) m_vcd->close();
    m_model->final();
  }

  Model& model() { return *m_model; }
  const Model& model() const { return *m_model; }

  // Starts the waveform (throws core::config_error when the file cannot be written).
  void open_vcd(const std::string& path) {
    m_vcd = std::make_unique<VerilatedVcdC>();
    m_model->trace(m_vcd.get(), 99);
    m_vcd->set_time_unit("1ps");
    m_vcd->set_time_resolution("1ps");
    m_vcd->open(path.c_str());
    if (!m_vcd->isOpen()) throw core::config_error("--rtl-vcd: cannot write '" + path + "'");
  }

  // Synchronous reset: `cycles` clock cycles with rst_n low, then released.
  void reset(unsigned cycles) {
    m_model->rst_n = 0;
    for (unsigned i = 0; i < cycles; ++i) tick();
    m_model->rst_n = 1;
    m_model->eval();
  }
  // Holds the block in reset without clocking it (its power domain is off).
  void hold_reset() { m_model->rst_n = 0; }
  [[nodiscard]] bool in_reset() const { return m_model->rst_n == 0; }

 protected:
  void drive_clock(bool level) override { m_model->clk = level ? 1 : 0; }
  void eval() override { m_model->eval(); }
  [[nodiscard]] bool busy() const override { return m_model->busy != 0; }
  void dump(const sc_core::sc_time& t) override {
    if (m_vcd) m_vcd->dump(static_cast<std::uint64_t>(t / sc_core::sc_time(1, sc_core::SC_PS)));
  }

 private:
  std::unique_ptr<VerilatedContext> m_context;
  std::unique_ptr<Model> m_model;
  std::unique_ptr<VerilatedVcdC> m_vcd;
};

}  // namespace edgevp::rtl

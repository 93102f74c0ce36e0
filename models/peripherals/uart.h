// edgevp: UART, register-compatible with the 16550 (byte-wide registers, FIFOs always on).
//
//   offset  DLAB=0 read        DLAB=0 write       DLAB=1   reset
//   0       RBR next rx byte   THR transmit byte  DLL      0
//   1       IER                IER                DLM      0
//   2       IIR                FCR (ignored)               0xC1
//   3       LCR (bit7 = DLAB)  LCR                         0x03
//   4       MCR                MCR                         0
//   5       LSR                read-only                   0x60
//   6       MSR                read-only                   0
//   7       SCR                SCR                         0
//
//   IER  bit0 ERBFI: interrupt on received data; bit1 ETBEI: on THR empty; bits 7:4 read 0
//   IIR  bits 7:6 = 11 (FIFOs on); bits 3:0 = 0x4 rx data, else 0x2 THR empty, else 0x1 none
//   LSR  bit0 DR: a received byte is waiting; bit5 THRE, bit6 TEMT: always 1 (immediate transmit)
//
// Transmit is instantaneous: a THR write calls cfg.tx with the byte, in the same delta. Received
// bytes come from cfg.rx_file (read whole at construction) and from receive(); each RBR read pops
// one, and reads 0 when none is waiting. Baud divisor, line control, modem control and loopback
// are stored but have no effect.
//
// irq (intc source 1 on the default platform) is high while (ERBFI and DR) or (ETBEI and THRE).
// As THRE is always 1, ETBEI alone keeps it high: unlike a real 16550 the THRE interrupt is not
// cleared by reading IIR, so a driver disables ETBEI when it has nothing to send. The level is
// re-evaluated after every access (bus or debug) and whenever a byte is received.
//
// Every register is 8 bits wide and must be accessed with 8-bit accesses; see core::peripheral for
// the error answers to other accesses.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <string>

#include "models/core/irq.h"
#include "models/core/peripheral.h"

namespace edgevp::peripherals {

struct uart_config {
  std::function<void(unsigned char)> tx;  // required: called once per transmitted byte
  std::string rx_file;                    // empty: no input; unreadable: the constructor throws
  sc_core::sc_time latency = sc_core::sc_time(10, sc_core::SC_NS);
};

class uart : public core::peripheral {
 public:
  core::irq_line irq{"irq"};
  core::irq_line* interrupt() override { return &irq; }

  // Throws std::invalid_argument without cfg.tx, core::config_error (a std::runtime_error, naming
  // the file) when cfg.rx_file cannot be read.
  uart(const sc_core::sc_module_name& name, uart_config cfg);

  // Input from the outside world (a console, a test): queued behind what is already waiting.
  void receive(unsigned char byte);
  void receive(const std::string& bytes);
  [[nodiscard]] std::size_t rx_pending() const { return m_rx.size(); }

  static constexpr std::uint8_t ier_erbfi = 0x01;
  static constexpr std::uint8_t ier_etbei = 0x02;
  static constexpr std::uint8_t lcr_dlab = 0x80;
  static constexpr std::uint8_t lsr_dr = 0x01;
  static constexpr std::uint8_t lsr_thre = 0x20;
  static constexpr std::uint8_t lsr_temt = 0x40;

  core::reg<std::uint8_t> rbr_thr{this, "RBR_THR", 0x0, 0, core::access::rw};  // or DLL
  core::reg<std::uint8_t> ier{this, "IER", 0x1, 0, core::access::rw};          // or DLM
  core::reg<std::uint8_t> iir_fcr{this, "IIR_FCR", 0x2, 0xC1, core::access::rw};
  core::reg<std::uint8_t> lcr{this, "LCR", 0x3, 0x03, core::access::rw};
  core::reg<std::uint8_t> mcr{this, "MCR", 0x4, 0, core::access::rw};
  core::reg<std::uint8_t> lsr{this, "LSR", 0x5, 0x60, core::access::ro};
  core::reg<std::uint8_t> msr{this, "MSR", 0x6, 0, core::access::ro};
  core::reg<std::uint8_t> scr{this, "SCR", 0x7, 0, core::access::rw};

 protected:
  void reset_state() override;
  void after_access(const tlm::tlm_generic_payload& tx, bool debug) override;

 private:
  [[nodiscard]] bool dlab() const { return (lcr.get() & lcr_dlab) != 0; }
  [[nodiscard]] std::uint8_t iir_value() const;
  void update();  // LSR, IIR and irq from the current state

  uart_config m_cfg;
  std::deque<unsigned char> m_rx;
  std::uint8_t m_dll = 0;
  std::uint8_t m_dlm = 0;
  std::uint8_t m_fcr = 0;
};

}  // namespace edgevp::peripherals

#include "models/peripherals/uart.h"
#include "models/core/files.h"

#include <fstream>
#include <iterator>
#include <stdexcept>
#include <utility>

#include "models/core/errors.h"

namespace edgevp::peripherals {

uart::uart(const sc_core::sc_module_name& name, uart_config cfg)
    : peripheral(name, cfg.latency), m_cfg(std::move(cfg)) {
  if (!m_cfg.tx)
    throw std::invalid_argument(std::string(this->name()) + ": uart_config.tx is required");
  if (!m_cfg.rx_file.empty()) {
    if (const std::string why = core::unreadable_file(m_cfg.rx_file); !why.empty())
      throw core::config_error("uart.rx_file: '" + m_cfg.rx_file + "' " + why);
    std::ifstream in_file(m_cfg.rx_file, std::ios::binary);
    if (!in_file)
      throw core::config_error(std::string(this->name()) + ": cannot read rx file '" +
                               m_cfg.rx_file + "'");
    m_rx.assign(std::istreambuf_iterator<char>(in_file), std::istreambuf_iterator<char>());
  }

  // Offsets 0 and 1 are muxed by LCR.DLAB: one register each, the callbacks pick the meaning.
  rbr_thr.on_read([this]() -> std::uint8_t {
    if (dlab()) return m_dll;
    if (m_rx.empty()) return 0;
    const unsigned char b = m_rx.front();
    m_rx.pop_front();
    return b;
  });
  rbr_thr.on_write([this](std::uint8_t v) {
    if (dlab())
      m_dll = v;
    else
      m_cfg.tx(v);
  });
  ier.on_read([this]() -> std::uint8_t { return dlab() ? m_dlm : ier.get(); });
  ier.on_write([this](std::uint8_t v) {
    if (dlab())
      m_dlm = v;
    else
      ier.set(v & 0x0F);
  });
  iir_fcr.on_read([this] { return iir_value(); });
  iir_fcr.on_write([this](std::uint8_t v) { m_fcr = v; });  // FIFOs are always on
  update();
}

void uart::receive(unsigned char byte) {
  m_rx.push_back(byte);
  update();
}

void uart::receive(const std::string& bytes) {
  m_rx.insert(m_rx.end(), bytes.begin(), bytes.end());
  update();
}

std::uint8_t uart::iir_value() const {
  const std::uint8_t fifos = 0xC0;
  const std::uint8_t en = ier.get();
  if ((en & ier_erbfi) != 0 && !m_rx.empty()) return fifos | 0x4;
  if ((en & ier_etbei) != 0) return fifos | 0x2;  // THR is always empty
  return fifos | 0x1;
}

void uart::update() {
  // Keep the stored values current so debug reads (a debugger, a trace) see the real state.
  rbr_thr.set(m_rx.empty() ? 0 : m_rx.front());
  lsr.set(static_cast<std::uint8_t>(lsr_thre | lsr_temt | (m_rx.empty() ? 0 : lsr_dr)));
  const std::uint8_t iir = iir_value();
  iir_fcr.set(iir);
  irq.set((iir & 0x1) == 0);
}

void uart::reset_state() {
  // Received bytes belong to the outside world and survive a reset.
  m_dll = m_dlm = m_fcr = 0;
  update();
}

void uart::after_access(const tlm::tlm_generic_payload& /*tx*/, bool /*debug*/) { update(); }

}  // namespace edgevp::peripherals

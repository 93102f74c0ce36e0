// edgevp: the SoC, assembled from the model library according to a configuration.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <systemc>
#include <tlm_utils/simple_initiator_socket.h>

#include "models/cpu/cpu.h"
#include "models/interconnect/router.h"
#include "models/memory/memory.h"
#include "models/peripherals/clint.h"
#include "models/peripherals/intc.h"
#include "models/peripherals/syscon.h"
#include "models/peripherals/uart.h"
#include "platform/elf_loader.h"

namespace edgevp::platform {

struct block_config {
  std::uint64_t base = 0;
  std::uint64_t size = 0;
  sc_core::sc_time latency = sc_core::SC_ZERO_TIME;  // per access, added by the interconnect
};

// Everything that defines the SoC. Defaults are the documented default SoC (docs/memory-map.md);
// options.cc maps every field to a configuration key.
struct soc_config {
  double cpu_clock_hz = 100e6;
  cpu::timing_config cpu_timing;
  interconnect::router_config bus;
  block_config rom{0x00000000, 16 * 1024, sc_core::SC_ZERO_TIME};
  block_config clint{0x02000000, 0x10000, sc_core::SC_ZERO_TIME};
  block_config intc{0x0C000000, 0x1000, sc_core::SC_ZERO_TIME};
  block_config uart{0x10000000, 0x1000, sc_core::SC_ZERO_TIME};
  block_config syscon{0x10001000, 0x1000, sc_core::SC_ZERO_TIME};
  block_config emram{0x20000000, 2 * 1024 * 1024, sc_core::SC_ZERO_TIME};
  block_config sram{0x80000000, 512 * 1024, sc_core::SC_ZERO_TIME};
  sc_core::sc_time peripheral_latency = sc_core::sc_time(10, sc_core::SC_NS);  // register access
  sc_core::sc_time emram_read_latency = sc_core::sc_time(2.8, sc_core::SC_NS);  // CALIBRATION: STT-MRAM read
  sc_core::sc_time emram_write_latency = sc_core::sc_time(20, sc_core::SC_NS);  // CALIBRATION: STT-MRAM write
  double clint_timebase_hz = 1e6;
  std::uint32_t platform_id = 0xED6E0001u;
  unsigned uart_irq = 1;
  std::string uart_rx_file;
};

class soc : public sc_core::sc_module {
 public:
  interconnect::router bus;
  cpu::cpu cpu;
  memory::memory rom;
  memory::memory sram;
  memory::memory emram;
  std::unique_ptr<peripherals::uart> uart;
  peripherals::clint clint;
  peripherals::intc intc;
  peripherals::syscon syscon;

  // uart_tx receives every byte the firmware transmits. Throws core::config_error on an
  // impossible configuration (overlapping ranges, ...), std::runtime_error on an unreadable RX file.
  soc(const sc_core::sc_module_name& name, const soc_config& cfg, std::function<void(unsigned char)> uart_tx);

  // Loads an ELF image through the bus and, unless the image provides code at the ROM base,
  // writes a boot stub there that jumps to the entry point. Throws image_error.
  elf_image load(const std::string& path);

  // Debug access through the bus (no side effects in peripherals); returns bytes done.
  std::size_t debug_write(std::uint32_t addr, const unsigned char* data, std::size_t len);
  std::size_t debug_read(std::uint32_t addr, unsigned char* data, std::size_t len);

  [[nodiscard]] const soc_config& config() const { return m_cfg; }

 private:
  std::size_t debug_access(tlm::tlm_command cmd, std::uint32_t addr, unsigned char* data, std::size_t len);

  soc_config m_cfg;
  tlm_utils::simple_initiator_socket<soc> m_debug;  // loader and debugger port into the bus
};

// Writes edgevp_memmap.h and edgevp_memmap.ld for the firmware build.
void write_memmap(const soc_config& cfg, const std::string& dir);

}  // namespace edgevp::platform

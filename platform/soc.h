// edgevp: the SoC, assembled from the model library according to a configuration.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <systemc>
#include <tlm_utils/simple_initiator_socket.h>

#include "models/accelerators/device.h"
#include "models/accelerators/registry.h"
#include "models/core/block.h"
#include "models/core/clock.h"
#include "models/core/power.h"
#include "models/cpu/cpu.h"
#include "models/interconnect/router.h"
#include "models/memory/memory.h"
#include "models/memory/wear.h"
#include "models/peripherals/clint.h"
#include "models/peripherals/intc.h"
#include "models/peripherals/syscon.h"
#include "models/pmu/pmu.h"
#include "platform/elf_loader.h"

namespace edgevp::platform {

// The accelerator instances of the default SoC: cim0 (digital SRAM CIM), cim1 (analog RRAM CIM),
// snn0 (spiking engine), tta0 (transport-triggered processor) and cgra0 (reconfigurable array) in
// the first five accelerator windows, on interrupt sources 8 to 12. default_accel_list names them
// (`accel`'s default).
inline constexpr const char* default_accel_list = "cim0,cim1,snn0,tta0,cgra0";
inline constexpr std::uint64_t accel_window_base = 0x11000000;
inline constexpr std::uint64_t accel_window_size = 0x10000;
inline constexpr unsigned accel_first_irq = 8;
std::vector<accel::instance> default_accelerators();
// The peripherals of the default SoC: uart, rtc, gpio, each with its kind's defaults.
std::vector<core::block_instance> default_blocks();
// --rtl-vcd FILE: a block's waveform file; with several RTL blocks FILE gets .BLOCK before .vcd.
std::string rtl_vcd_path(const std::string& file, const std::string& block, std::size_t blocks);
struct soc_config;
// Blocks on impl = rtl / lockstep (peripherals and accelerator instances).
std::size_t rtl_block_count(const soc_config& c);
// The kind an instance name gets when its `.kind` is not given (cim0, cim1, snn0, tta0, cgra0), or "".
std::string default_kind(const std::string& instance);

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
  cpu::cpu_isa cpu_isa;
  interconnect::router_config bus;
  block_config rom{0x00000000, 16 * 1024, sc_core::SC_ZERO_TIME};
  block_config clint{0x02000000, 0x10000, sc_core::SC_ZERO_TIME};
  block_config intc{0x0C000000, 0x1000, sc_core::SC_ZERO_TIME};
  block_config syscon{0x10001000, 0x1000, sc_core::SC_ZERO_TIME};
  block_config pmu{0x10002000, 0x1000, sc_core::SC_ZERO_TIME};
  block_config emram{0x20000000, 2 * 1024 * 1024, sc_core::SC_ZERO_TIME};
  block_config sram{0x80000000, 512 * 1024, sc_core::SC_ZERO_TIME};
  sc_core::sc_time peripheral_latency = sc_core::sc_time(10, sc_core::SC_NS);  // register access
  sc_core::sc_time emram_read_latency = sc_core::sc_time(2.8, sc_core::SC_NS);  // CALIBRATION: STT-MRAM read
  sc_core::sc_time emram_write_latency = sc_core::sc_time(20, sc_core::SC_NS);  // CALIBRATION: STT-MRAM write
  std::uint64_t emram_row_bytes = 64;                                   // wear is counted per row
  std::uint64_t emram_endurance = memory::emram_endurance_cycles;       // CALIBRATION: 1e5 cycles
  double clint_timebase_hz = 1e6;
  std::uint32_t platform_id = 0xED6E0001u;

  // Power. Operating points: pmu_cfg.opps when opps_given, else derived from cpu_clock_hz
  // (0.8 V at cpu.clock, 0.6 V at half of it); the reset operating point sets the CPU clock.
  pmu::pmu_config pmu_cfg;
  bool opps_given = false;
  double aon_voltage = 0.8;     // V, fixed supply of the always-on domain
  double aon_clock_hz = 32768;  // the always-on domain's clock (RTC crystal)
  cpu::cpu_power cpu_power;
  // CALIBRATION.md: SRAM 0.045 pJ/bit read, 0.10 pJ/bit write (ZigZag, 32 KB); STT-MRAM 0.19 pJ/bit
  // (NVSim sample cell) read; eMRAM write energy, leakages and retention are U (parameters).
  memory::memory_power rom_power{0.045e-12, 0.0, 1e-6, 0.0};
  memory::memory_power sram_power{0.045e-12, 0.10e-12, 20e-6, 2e-6};
  memory::memory_power emram_power{0.19e-12, 1.0e-12, 5e-6, 0.0};
  core::peripheral_power clint_power{1e-12, 1e-6, 0.0};
  core::peripheral_power intc_power{1e-12, 1e-6, 0.0};
  core::peripheral_power syscon_power{1e-12, 0.5e-6, 0.0};
  // Always-on domain: PMU + RTC + GPIO leak 1.7 uW together (TinyVers deep sleep, CALIBRATION.md;
  // the RTC's and the GPIO's shares are their kinds', models/peripherals/kinds.cc).
  core::peripheral_power pmu_power{1e-12, 1.0e-6, 0.0};

  // Peripherals, in `peripherals` order (models/peripherals/kinds.cc): each a window on the bus,
  // perhaps an interrupt source and a wake-up input, in the SoC's or the always-on domain.
  std::vector<core::block_instance> blocks = default_blocks();

  // Accelerators, in `accel` order: each one a window on the bus, an interrupt source, a DMA
  // initiator and a power domain named after it.
  std::vector<accel::instance> accels = default_accelerators();
  std::string rtl_vcd;  // --rtl-vcd: the RTL blocks' waveforms (rtl_vcd_path gives each block's file)
};

// The SoC's own parameters (CPU, interconnect, the fixed parts of the map, the PMU, their power),
// bound to `s` (peripherals and accelerators declare theirs with their kinds). The operating
// points (pmu.opps) are the platform's: options.cc.
std::vector<core::param_binding> bind_params(soc_config& s);

// The configuration with derived values filled in (operating points, CPU clock). Throws
// core::config_error when they contradict each other.
soc_config resolve(const soc_config& cfg);

class soc : public sc_core::sc_module {
 public:
  core::clock clock;             // the SoC clock (CPU, interconnect, peripherals); DVFS changes it
  core::power::monitor power;    // power domains and energy accounting
  interconnect::router bus;
  cpu::cpu cpu;
  memory::memory rom;
  memory::memory sram;
  memory::memory emram;
  peripherals::clint clint;
  peripherals::intc intc;
  peripherals::syscon syscon;
  std::unique_ptr<pmu::pmu> pmu;
  // The peripherals, the SoC domain's first, then the always-on domain's (each in configuration
  // order), and the configuration each was built from (in config()).
  std::vector<std::unique_ptr<core::peripheral>> blocks;
  std::vector<const core::block_instance*> block_configs;
  std::unique_ptr<memory::wear_map> emram_wear;
  std::vector<std::unique_ptr<accel::device>> accels;

  // uart_tx receives every byte a console block (the UART) transmits. Throws core::config_error on
  // an impossible configuration (overlapping ranges, ...), std::runtime_error on an unreadable RX file.
  soc(const sc_core::sc_module_name& name, const soc_config& cfg, std::function<void(unsigned char)> uart_tx);
  soc(const soc&) = delete;
  soc& operator=(const soc&) = delete;
  ~soc() override = default;

  // Loads an ELF image through the bus and, unless the image provides code at the ROM base,
  // writes a boot stub there that jumps to the entry point. Throws image_error.
  elf_image load(const std::string& path);

  // Debug access through the bus (no side effects in peripherals); returns bytes done.
  std::size_t debug_write(std::uint32_t addr, const unsigned char* data, std::size_t len);
  std::size_t debug_read(std::uint32_t addr, unsigned char* data, std::size_t len);

  [[nodiscard]] const soc_config& config() const { return m_cfg; }

 private:
  struct resolved_tag {};
  soc(const sc_core::sc_module_name& name, const soc_config& cfg, std::function<void(unsigned char)> uart_tx,
      resolved_tag);
  void build_power();
  void build_blocks(bool always_on, core::power::domain& d, const std::function<void(unsigned char)>& console);
  std::size_t debug_access(tlm::tlm_command cmd, std::uint32_t addr, unsigned char* data, std::size_t len);

  soc_config m_cfg;
  std::function<void(unsigned char)> m_console;  // where the console's bytes go
  tlm_utils::simple_initiator_socket<soc> m_debug;  // loader and debugger port into the bus
};

// The last 16 bytes of eMRAM hold the deep-sleep resume slot: {magic, vector}. The boot ROM jumps
// to the vector after a wake-up when the magic is there.
inline constexpr std::uint32_t resume_magic = 0x52534D45u;  // "EMSR"
inline constexpr std::uint64_t resume_slot_size = 16;
std::uint64_t resume_slot(const soc_config& cfg);

// Writes edgevp_memmap.h and edgevp_memmap.ld for the firmware build.
void write_memmap(const soc_config& cfg, const std::string& dir);

}  // namespace edgevp::platform

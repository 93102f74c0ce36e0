#include "platform/soc.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include "models/core/errors.h"

namespace edgevp::platform {

namespace {

memory::memory_config mem_cfg(const block_config& b, sc_core::sc_time rd, sc_core::sc_time wr, bool ro) {
  memory::memory_config m;
  m.size = b.size;
  m.read_latency = rd;
  m.write_latency = wr;
  m.read_only = ro;
  return m;
}

cpu::cpu_config make_cpu_cfg(const soc_config& c) {
  cpu::cpu_config cc;
  cc.clock_period = sc_core::sc_time(1e12 / c.cpu_clock_hz, sc_core::SC_PS);
  cc.timing = c.cpu_timing;
  cc.reset_pc = static_cast<std::uint32_t>(c.rom.base);
  return cc;
}

}  // namespace

soc::soc(const sc_core::sc_module_name& name, const soc_config& cfg, std::function<void(unsigned char)> uart_tx)
    : sc_core::sc_module(name),
      bus("bus", cfg.bus),
      cpu("cpu", make_cpu_cfg(cfg)),
      rom("rom", mem_cfg(cfg.rom, sc_core::SC_ZERO_TIME, sc_core::SC_ZERO_TIME, true)),
      sram("sram", mem_cfg(cfg.sram, sc_core::SC_ZERO_TIME, sc_core::SC_ZERO_TIME, false)),
      emram("emram", mem_cfg(cfg.emram, cfg.emram_read_latency, cfg.emram_write_latency, false)),
      clint("clint", peripherals::clint_config{cfg.clint_timebase_hz, cfg.peripheral_latency}),
      intc("intc", peripherals::intc_config{32, cfg.peripheral_latency}),
      syscon("syscon", peripherals::syscon_config{cfg.platform_id,
                                                  (0u << 16) | (1u << 8) | 0u, cfg.peripheral_latency}),
      m_cfg(cfg),
      m_debug("debug") {
  if (cfg.cpu_clock_hz <= 0) throw core::config_error("cpu.clock must be positive");
  if (cfg.uart_irq == 0 || cfg.uart_irq >= 32) throw core::config_error("uart.irq must be 1..31");
  peripherals::uart_config ucfg;
  ucfg.tx = std::move(uart_tx);
  ucfg.rx_file = cfg.uart_rx_file;
  ucfg.latency = cfg.peripheral_latency;
  uart = std::make_unique<peripherals::uart>("uart", ucfg);

  cpu.bus.bind(bus.in);
  m_debug.bind(bus.in);
  syscon.mem.bind(bus.in);
  bus.map("rom", cfg.rom.base, cfg.rom.size, rom.in, cfg.rom.latency);
  bus.map("clint", cfg.clint.base, cfg.clint.size, clint.in, cfg.clint.latency);
  bus.map("intc", cfg.intc.base, cfg.intc.size, intc.in, cfg.intc.latency);
  bus.map("uart", cfg.uart.base, cfg.uart.size, uart->in, cfg.uart.latency);
  bus.map("syscon", cfg.syscon.base, cfg.syscon.size, syscon.in, cfg.syscon.latency);
  bus.map("emram", cfg.emram.base, cfg.emram.size, emram.in, cfg.emram.latency);
  bus.map("sram", cfg.sram.base, cfg.sram.size, sram.in, cfg.sram.latency);

  clint.msip.bind([this](bool v) { cpu.set_irq(cpu::cause::msi, v); });
  clint.mtip.bind([this](bool v) { cpu.set_irq(cpu::cause::mti, v); });
  intc.irq.bind([this](bool v) { cpu.set_irq(cpu::cause::mei, v); });
  const unsigned uirq = cfg.uart_irq;
  uart->irq.bind([this, uirq](bool v) { intc.set_source(uirq, v); });
}

std::size_t soc::debug_access(tlm::tlm_command cmd, std::uint32_t addr, unsigned char* data, std::size_t len) {
  std::size_t done = 0;
  while (done < len) {
    tlm::tlm_generic_payload tx;
    tx.set_command(cmd);
    tx.set_address(addr + done);
    tx.set_data_ptr(data + done);
    const auto n = static_cast<unsigned>(std::min<std::size_t>(len - done, 1u << 20));
    tx.set_data_length(n);
    tx.set_streaming_width(n);
    const unsigned got = m_debug->transport_dbg(tx);
    done += got;
    if (got == 0) break;
  }
  return done;
}

std::size_t soc::debug_write(std::uint32_t addr, const unsigned char* data, std::size_t len) {
  // TLM takes a non-const pointer; a write does not modify the buffer.
  return debug_access(tlm::TLM_WRITE_COMMAND, addr, const_cast<unsigned char*>(data), len);
}

std::size_t soc::debug_read(std::uint32_t addr, unsigned char* data, std::size_t len) {
  return debug_access(tlm::TLM_READ_COMMAND, addr, data, len);
}

elf_image soc::load(const std::string& path) {
  elf_image img = load_elf(path, [this](std::uint32_t a, const unsigned char* d, std::size_t n) {
    return debug_write(a, d, n);
  });
  const std::uint64_t rom_base = m_cfg.rom.base;
  bool covers_reset = false;
  for (const auto& s : img.segments)
    if (rom_base >= s.addr && rom_base < static_cast<std::uint64_t>(s.addr) + s.mem_size) covers_reset = true;
  if (!covers_reset) {
    // Boot stub: a0 = mhartid; jump to the entry point (lui/addi pair, then jalr).
    const std::uint32_t e = img.entry;
    const std::uint32_t hi = (e + 0x800) & 0xFFFFF000u;
    const std::uint32_t lo = (e - hi) & 0xFFF;
    const std::uint32_t stub[] = {
        0xF1402573u,                    // csrr a0, mhartid
        0x000002B7u | hi,               // lui t0, %hi(entry)
        0x00028293u | (lo << 20),       // addi t0, t0, %lo(entry)
        0x00028067u,                    // jr t0
    };
    if (debug_write(static_cast<std::uint32_t>(rom_base), reinterpret_cast<const unsigned char*>(stub),
                    sizeof(stub)) != sizeof(stub))
      throw image_error("cannot write the boot stub at the ROM base");
  }
  if (img.tohost) {
    cpu.iss().set_store_watch(*img.tohost, *img.tohost + 4);
  }
  return img;
}

void write_memmap(const soc_config& c, const std::string& dir) {
  const std::string h = dir + "/edgevp_memmap.h";
  const std::string ld = dir + "/edgevp_memmap.ld";
  auto open = [](const std::string& p) {
    std::ofstream f(p, std::ios::trunc);
    if (!f) throw std::runtime_error("cannot write " + p + ": " + std::strerror(errno));
    return f;
  };
  {
    std::ofstream f = open(h);
    char buf[128];
    f << "/* Generated by edgevp --gen-memmap from the configuration. Do not edit. */\n"
         "#ifndef EDGEVP_MEMMAP_H\n#define EDGEVP_MEMMAP_H\n\n";
    auto def = [&](const char* name, unsigned long long v) {
      std::snprintf(buf, sizeof(buf), "#define %-26s 0x%08llxu\n", name, v);
      f << buf;
    };
    def("EDGEVP_PLATFORM_ID", c.platform_id);
    std::snprintf(buf, sizeof(buf), "#define %-26s %lluu\n", "EDGEVP_CPU_CLOCK_HZ",
                  static_cast<unsigned long long>(c.cpu_clock_hz));
    f << buf;
    std::snprintf(buf, sizeof(buf), "#define %-26s %lluu\n", "EDGEVP_CLINT_TIMEBASE_HZ",
                  static_cast<unsigned long long>(c.clint_timebase_hz));
    f << buf;
    const struct { const char* n; const block_config* b; } blocks[] = {
        {"ROM", &c.rom}, {"CLINT", &c.clint}, {"INTC", &c.intc}, {"UART", &c.uart},
        {"SYSCON", &c.syscon}, {"EMRAM", &c.emram}, {"SRAM", &c.sram}};
    for (const auto& b : blocks) {
      def(("EDGEVP_" + std::string(b.n) + "_BASE").c_str(), b.b->base);
      def(("EDGEVP_" + std::string(b.n) + "_SIZE").c_str(), b.b->size);
    }
    std::snprintf(buf, sizeof(buf), "#define %-26s %uu\n", "EDGEVP_IRQ_UART", c.uart_irq);
    f << buf << "\n#endif\n";
  }
  {
    std::ofstream f = open(ld);
    char buf[160];
    f << "/* Generated by edgevp --gen-memmap from the configuration. Do not edit. */\nMEMORY\n{\n";
    std::snprintf(buf, sizeof(buf), "  ROM   (rx)  : ORIGIN = 0x%08llx, LENGTH = 0x%08llx\n",
                  static_cast<unsigned long long>(c.rom.base), static_cast<unsigned long long>(c.rom.size));
    f << buf;
    std::snprintf(buf, sizeof(buf), "  EMRAM (rwx) : ORIGIN = 0x%08llx, LENGTH = 0x%08llx\n",
                  static_cast<unsigned long long>(c.emram.base), static_cast<unsigned long long>(c.emram.size));
    f << buf;
    std::snprintf(buf, sizeof(buf), "  SRAM  (rwx) : ORIGIN = 0x%08llx, LENGTH = 0x%08llx\n",
                  static_cast<unsigned long long>(c.sram.base), static_cast<unsigned long long>(c.sram.size));
    f << buf << "}\n";
  }
}

}  // namespace edgevp::platform

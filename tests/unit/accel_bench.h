// Test bench for accelerators: an accelerator behind a router with an SRAM and a ROM, a test
// initiator (the "CPU") on the same router, the interrupt line recorded, an optional power domain.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <systemc>

#include "models/accelerators/accelerator.h"
#include "models/accelerators/registry.h"
#include "models/core/clock.h"
#include "models/core/power.h"
#include "models/interconnect/router.h"
#include "models/memory/memory.h"
#include "tests/unit/tlm_helpers.h"

namespace edgevp::test {

inline constexpr std::uint64_t rom_base = 0x00000000, rom_size = 0x1000;
inline constexpr std::uint64_t accel_base = 0x11000000, accel_size = 0x10000;
inline constexpr std::uint64_t sram_base = 0x80000000, sram_size = 0x100000;

// The contract's offsets, as the model declares them.
namespace reg = accel::regs;

inline memory::memory_config mem(std::uint64_t size, bool ro) {
  memory::memory_config c;
  c.size = size;
  c.read_only = ro;
  return c;
}

class accel_bench {
 public:
  // Several benches may live in one test: give each a different tag, and start = false for all but
  // the last (elaboration ends at the first sc_start).
  explicit accel_bench(const accel::instance& inst, const accel::registry& kinds = accel::registry::builtin(),
                       const std::string& tag = "", bool start = true)
      : clock(100e6),
        monitor(core::power::operating_point{0.8, 100e6}),
        bus(("bus" + tag).c_str()),
        rom(("rom" + tag).c_str(), mem(rom_size, true)),
        sram(("sram" + tag).c_str(), mem(sram_size, false)),
        cpu(("cpu" + tag).c_str()) {
    core::power::domain& d = monitor.add_domain("accel");
    accel::instance named = inst;
    named.name += tag;
    named.base = accel_base;
    named.size = accel_size;
    dev = kinds.make(named);
    dev->configure_power({1e-12, 1e-6, 0.0});
    dev->attach_power(monitor, d);
    domain = &d;
    dev->set_clock(&clock);
    bus.set_clock(&clock);
    cpu.out.bind(bus.in);
    dev->dma.bind(bus.in);
    bus.map("rom", rom_base, rom_size, rom.in);
    bus.map("accel", accel_base, accel_size, dev->in);
    bus.map("sram", sram_base, sram_size, sram.in);
    dev->set_address_map([this](std::uint64_t a, std::uint64_t n) {
      const auto* r = bus.find(a);
      return r != nullptr && n <= r->size - (a - r->base);
    });
    dev->irq.bind([this](bool v) {
      irq = v;
      if (v) ++irq_edges;
    });
    if (start) sc_core::sc_start(sc_core::SC_ZERO_TIME);  // multi-passthrough sockets bind at elaboration
  }

  // Register access through the bus, at the kernel's current time plus `offset`.
  access_result rd(std::uint64_t off, sc_core::sc_time offset = sc_core::SC_ZERO_TIME) {
    return cpu.access(tlm::TLM_READ_COMMAND, accel_base + off, 4, 0, offset);
  }
  access_result wr(std::uint64_t off, std::uint32_t v, sc_core::sc_time offset = sc_core::SC_ZERO_TIME) {
    return cpu.access(tlm::TLM_WRITE_COMMAND, accel_base + off, 4, v, offset);
  }
  std::uint32_t status() { return static_cast<std::uint32_t>(rd(reg::status).value); }
  unsigned err_code() { return (status() >> 8) & 0xFFu; }

  void poke(std::uint64_t addr, const void* data, std::size_t n) {
    std::vector<unsigned char> b(static_cast<const unsigned char*>(data),
                                 static_cast<const unsigned char*>(data) + n);
    cpu.debug_write(addr, b.data(), static_cast<unsigned>(n));
  }
  void poke_words(std::uint64_t addr, const std::vector<std::uint32_t>& w) {
    poke(addr, w.data(), 4 * w.size());
  }
  std::vector<unsigned char> peek(std::uint64_t addr, std::size_t n) {
    std::vector<unsigned char> b(n);
    cpu.debug_read(addr, b.data(), static_cast<unsigned>(n));
    return b;
  }

  // DESC = addr, START (with IRQ_EN), then run the kernel until the job is over.
  void run(std::uint64_t desc_addr, sc_core::sc_time budget = sc_core::sc_time(10, sc_core::SC_MS)) {
    wr(reg::desc, static_cast<std::uint32_t>(desc_addr));
    wr(reg::ctrl, accel::ctrl_bits::start | accel::ctrl_bits::irq_en);
    sc_core::sc_start(budget);
  }

  core::clock clock;
  core::power::monitor monitor;
  interconnect::router bus;
  memory::memory rom;
  memory::memory sram;
  initiator cpu;
  std::unique_ptr<accel::device> dev;  // the TLM model or the RTL, as the instance's impl says
  core::power::domain* domain = nullptr;
  bool irq = false;
  unsigned irq_edges = 0;
};

}  // namespace edgevp::test

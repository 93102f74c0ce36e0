// The ISS alone on a user-mode loop under PMP, against the same loop in machine mode without PMP
// and against one instruction at a time (bench/iss_pmp.sh builds this against two revisions of
// models/cpu/). The loop: a load, an add, a store and two ALU instructions per iteration, 20 M
// iterations, in a 64 KiB RAM given as one DMI region; the user's PMP entry is one NAPOT range
// over all of it. Prints MIPS per configuration, one line per run.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <vector>

#include "models/core/access_counters.h"
#include "models/cpu/rv32_iss.h"

using namespace edgevp::cpu;

namespace {

struct no_bus final : rv32_bus {
  bool bus_read(std::uint32_t, void*, unsigned, std::uint64_t&) override { return false; }
  bool bus_write(std::uint32_t, const void*, unsigned, std::uint64_t&) override { return false; }
};

constexpr std::uint32_t base = 0x80000000u, size = 0x10000u, user_code = base + 0x2000;

std::uint32_t i_type(int imm, unsigned rs1, unsigned f3, unsigned rd, unsigned opc) {
  return (static_cast<std::uint32_t>(imm) & 0xFFF) << 20 | rs1 << 15 | f3 << 12 | rd << 7 | opc;
}
std::uint32_t s_type(int imm, unsigned rs2, unsigned rs1, unsigned f3) {
  const auto u = static_cast<std::uint32_t>(imm);
  return ((u >> 5) & 0x7F) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | (u & 0x1F) << 7 | 0x23;
}
std::uint32_t b_type(int imm, unsigned rs2, unsigned rs1, unsigned f3) {
  const auto u = static_cast<std::uint32_t>(imm);
  return ((u >> 12) & 1) << 31 | ((u >> 5) & 0x3F) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | ((u >> 1) & 0xF) << 8 |
         ((u >> 11) & 1) << 7 | 0x63;
}

enum class mode { user_pmp, machine, one_at_a_time };

double mips(mode m) {
  std::vector<unsigned char> ram(size, 0);
  no_bus bus;
  edgevp::core::access_counters counters;
  rv32_iss cpu(bus);
  dmi_region r;
  r.base = base;
  r.size = size;
  r.ptr = ram.data();
  r.readable = r.writable = true;
  r.counters = &counters;
  cpu.add_dmi(r);
  const std::uint32_t prog[] = {
      0x80008437u,                  // lui x8, 0x80008 (data)
      i_type(0, 8, 2, 12, 0x03),    // loop: lw x12, 0(x8)
      0x00C585B3u,                  // add x11, x11, x12
      s_type(4, 11, 8, 2),          // sw x11, 4(x8)
      i_type(1, 11, 0, 11, 0x13),   // addi x11, x11, 1
      i_type(-1, 10, 0, 10, 0x13),  // addi x10, x10, -1
      b_type(-20, 0, 10, 1),        // bne x10, x0, loop
      0x10500073u,                  // wfi
  };
  const std::uint32_t mret = 0x30200073u;
  std::memcpy(&ram[0], &mret, 4);
  std::memcpy(&ram[user_code - base], prog, sizeof prog);
  cpu.reset(base);
  cpu.set_reg(10, 20000000);
  cpu.write_csr(0x341, user_code);                           // mepc
  cpu.write_csr(0x300, m == mode::user_pmp ? 0 : 3u << 11);  // mstatus.MPP
  if (m == mode::user_pmp) {
    cpu.write_csr(0x3B0, (base >> 2) | (size / 8 - 1));  // pmpaddr0: NAPOT over the RAM
    cpu.write_csr(0x3A0, (3u << 3) | 7);                 // pmpcfg0: NAPOT, R W X
  }
  if (m == mode::one_at_a_time) {  // an enabled trigger on an address never reached
    cpu.write_csr(0x7A0, 0);
    cpu.write_csr(0x7A2, 0x10);
    cpu.write_csr(0x7A1, (2u << 28) | (1u << 6) | 4);
  }
  const auto t0 = std::chrono::steady_clock::now();
  while (cpu.run(cpu.cycles() + 100000) != stop_reason::wfi) {
  }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return static_cast<double>(cpu.instret()) / s / 1e6;
}

}  // namespace

int main() {
  const double u = mips(mode::user_pmp);
  const double m = mips(mode::machine);
  const double o = mips(mode::one_at_a_time);
  std::printf("%.1f %.1f %.1f\n", u, m, o);
}

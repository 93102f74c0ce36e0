// edgevp: the RV32IMAC CPU as a TLM-2.0 initiator.
//
// Wraps rv32_iss with SystemC time: the ISS runs ahead of simulated time by up to the global
// quantum (tlm_quantumkeeper), memories are reached through DMI pointers (acquired when a target
// hints DMI on a b_transport), MMIO goes through b_transport with the CPU's local time offset as the
// annotated delay. Cycle costs per instruction class are configuration. WFI idles on an event until
// an enabled interrupt is pending: simulated time advances without executing anything.
//
// Power: one energy quantum per retired instruction of each class (the ISS's own class counters,
// read at checkpoints: nothing is added to the hot loop), background power while clocked, leakage,
// retention. What WFI does to power is the PMU's decision (on_wfi): stay clocked, clock-gate the
// core, or power the core down; a core whose domain comes back on after being off restarts from
// its reset pc (architectural reset). The clock period can change while running (DVFS).
//
// A debugger (the GDB server) can be attached: the CPU then stops for it at breakpoints, after a
// single step, on a fault and whenever the debugger asks (polled at quantum boundaries). While it is
// stopped the CPU's thread blocks inside the debugger, so no SystemC process runs and simulated
// time does not advance.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/tlm_quantumkeeper.h>

#include "models/core/power.h"
#include "models/core/param.h"
#include "models/cpu/rv32_iss.h"

namespace edgevp::cpu {

struct cpu_power {
  // J per retired instruction of each class. CALIBRATION.md: RI5CY-class 4.98 pJ/instruction (GVSoC
  // pulp_open tables); the per-class split is not published, so every class starts at that figure.
  std::array<core::power::curve, static_cast<std::size_t>(insn_class::count)> insn{
      4.98e-12, 4.98e-12, 4.98e-12, 4.98e-12, 4.98e-12, 4.98e-12,
      4.98e-12, 4.98e-12, 4.98e-12, 4.98e-12, 4.98e-12};
  core::power::curve background = 50e-6;  // W while clocked at the reference OPP (U: clock tree, idle)
  core::power::curve leakage = 35.5e-6;   // W (CALIBRATION.md: RI5CY-class leakage 35.5 uW)
  core::power::curve retention = 3.5e-6;  // W in state retention (U)
};

// What a stopped CPU does next, as the debugger decides.
enum class debug_verdict : std::uint8_t {
  resume,   // go on executing (the debugger has armed single step or breakpoints in the ISS)
  deliver,  // a fault stop: let the fault end the run as it would without a debugger
  kill,     // stop executing for good (the debugger killed the run)
};

// A debugger attached to the CPU. Both calls come from the CPU's thread.
class cpu_debugger {
 public:
  virtual ~cpu_debugger() = default;
  // Between quanta (and before the first instruction) while running; must not block unless the
  // debugger holds the CPU at reset. True asks the CPU to stop (stopped(stop_reason::halt)).
  virtual bool poll() = 0;
  // The CPU stopped: stop_reason::breakpoint, step, watchpoint, unhandled_trap, fault_loop, or halt
  // when poll() asked for it. Returns once the debugger lets the CPU go on.
  virtual debug_verdict stopped(stop_reason why) = 0;
};

// The ISA options as configuration keys (cpu.pmp_entries, cpu.misaligned).
struct cpu_isa {
  std::string pmp_entries = "16";  // 0, 4, 8, 16
  std::string misaligned = "trap";  // trap | emulate
  [[nodiscard]] isa_config iss() const {
    return {static_cast<unsigned>(std::stoul(pmp_entries)), misaligned == "emulate"};
  }
};

struct cpu_config {
  sc_core::sc_time clock_period = sc_core::sc_time(10, sc_core::SC_NS);  // 100 MHz
  timing_config timing;
  cpu_isa isa;
  std::uint32_t reset_pc = 0;
  cpu_power power;
};

// What the core does on WFI with nothing pending (the PMU decides).
enum class wfi_action : std::uint8_t {
  idle,        // stays clocked, waits for an interrupt
  clock_gate,  // clock stopped (mcycle stops) until an interrupt wakes it
  power_down,  // the PMU powers the core down; only a power-on reset brings it back
};

class cpu : public sc_core::sc_module, private rv32_bus {
 public:
  tlm_utils::simple_initiator_socket<cpu> bus;

  // Traceable state (VCD).
  sc_core::sc_signal<bool> sleeping;              // in WFI
  sc_core::sc_signal<std::uint32_t> bus_errors;   // error responses seen so far
  sc_core::sc_signal<std::uint32_t> traps;        // traps taken so far (synchronised per quantum)

  // Called once when the run cannot go on: an unhandled trap or a fault loop.
  std::function<void(stop_reason why, const trap_record& trap)> on_fault;
  // Called (at the core's synchronised time) when the core executes WFI with nothing pending, and
  // when it wakes from an idle or clock-gated WFI. Unset: idle.
  std::function<wfi_action()> on_wfi;
  std::function<void()> on_wake;
  // Called after each synchronisation with SystemC time (once per quantum at most).
  std::function<void(sc_core::sc_time now)> on_sync;

  cpu(const sc_core::sc_module_name& name, const cpu_config& cfg);

  rv32_iss& iss() { return m_iss; }
  const rv32_iss& iss() const { return m_iss; }
  [[nodiscard]] sc_core::sc_time clock_period() const { return m_period; }

  // Starts executing from the reset pc: the platform calls this once the image is loaded (after
  // elaboration, when the bus can be used). Until then the CPU thread does not run.
  void start();
  // Interrupt pin sinks (cause::msi / mti / mei).
  void set_irq(unsigned irq, bool level);
  // Stops executing at the next instruction boundary (firmware exit, end of run).
  void halt();
  // Simulated time as the CPU sees it: sc_time_stamp() plus the cycles it ran ahead.
  [[nodiscard]] sc_core::sc_time local_time() const;
  // DVFS: takes effect at once (the cycles run so far keep the old period).
  void set_clock_period(const sc_core::sc_time& period);

  void attach_power(core::power::monitor& m, core::power::domain& d);
  [[nodiscard]] core::power::component& power() { return m_power; }
  [[nodiscard]] std::uint64_t power_on_resets() const { return m_power_on_resets; }

  // Attaches a debugger (nullptr detaches); it must outlive the run.
  void set_debugger(cpu_debugger* d) { m_debugger = d; }
  // Debug access to memory as the CPU sees it (transport_dbg: no side effects, no time); returns
  // the bytes done, which stop at the first byte no target serves.
  std::size_t debug_read(std::uint32_t addr, unsigned char* data, std::size_t len);
  std::size_t debug_write(std::uint32_t addr, const unsigned char* data, std::size_t len);

 private:
  void run();
  void sync();
  // Hands a stop to the debugger; true if the CPU goes on executing.
  bool debug_stop(stop_reason why);
  std::size_t debug_access(tlm::tlm_command cmd, std::uint32_t addr, unsigned char* data, std::size_t len);
  void acquire_dmi(std::uint32_t addr);
  [[nodiscard]] sc_core::sc_time local_offset() const;
  [[nodiscard]] std::uint64_t to_cycles(const sc_core::sc_time& t) const;  // rounded up
  bool transport(tlm::tlm_command cmd, std::uint32_t addr, void* data, unsigned len, std::uint64_t& stall);
  bool bus_read(std::uint32_t addr, void* data, unsigned len, std::uint64_t& stall) override;
  bool bus_write(std::uint32_t addr, const void* data, unsigned len, std::uint64_t& stall) override;
  void invalidate_direct_mem_ptr(sc_dt::uint64 start, sc_dt::uint64 end);

  rv32_iss m_iss;
  sc_core::sc_time m_period;
  std::uint32_t m_reset_pc;
  std::uint64_t m_synced_cycles = 0;  // ISS cycles already turned into simulated time
  sc_core::sc_time m_offset_base = sc_core::SC_ZERO_TIME;  // local time of cycles run at an earlier period
  tlm_utils::tlm_quantumkeeper m_qk;
  sc_core::sc_event m_wake;
  sc_core::sc_event m_start;
  sc_core::sc_event m_never;
  tlm::tlm_generic_payload m_tx;
  std::uint32_t m_bus_error_count = 0;
  bool m_halted = false;
  bool m_reset_pending = false;  // the domain came back on after being off
  std::uint64_t m_power_on_resets = 0;
  core::power::component m_power;
  cpu_debugger* m_debugger = nullptr;
};

// The CPU's parameters, bound to its timing and power (keys without the instance's prefix):
// cycles.<class>, cycles.branch_taken, cycles.trap, power.insn.<class>, power.background,
// power.leakage, power.retention.
std::vector<core::param_binding> bind_params(timing_config& timing, cpu_power& power, cpu_isa& isa);

}  // namespace edgevp::cpu

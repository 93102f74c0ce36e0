#include "models/cpu/cpu.h"

#include <algorithm>

#include "models/core/dmi_counters.h"

namespace edgevp::cpu {

cpu::cpu(const sc_core::sc_module_name& name, const cpu_config& cfg)
    : sc_core::sc_module(name),
      bus("bus"),
      sleeping("sleeping", false),
      bus_errors("bus_errors", 0),
      traps("traps", 0),
      m_iss(*this, cfg.timing, cfg.isa.iss()),
      m_period(cfg.clock_period),
      m_reset_pc(cfg.reset_pc),
      m_power(this->name()) {
  for (std::size_t c = 0; c < static_cast<std::size_t>(insn_class::count); ++c) {
    const auto cls = static_cast<insn_class>(c);
    m_power.add_event(std::string("insn.") + class_name(cls), cfg.power.insn[c], {m_iss.class_counter(cls)});
  }
  m_power.set_background(cfg.power.background);
  m_power.set_leakage(cfg.power.leakage);
  m_power.set_retention(cfg.power.retention);
  m_power.set_operations(m_iss.instret_counter());
  bus.register_invalidate_direct_mem_ptr(this, &cpu::invalidate_direct_mem_ptr);
  SC_HAS_PROCESS(cpu);
  SC_THREAD(run);
  sensitive << m_start;
  dont_initialize();
  m_iss.reset(m_reset_pc);
}

void cpu::start() { m_start.notify(sc_core::SC_ZERO_TIME); }

void cpu::set_irq(unsigned irq, bool level) {
  m_iss.set_irq(irq, level);
  if (level) m_wake.notify(sc_core::SC_ZERO_TIME);
}

void cpu::halt() {
  m_halted = true;
  m_iss.request_stop();
  m_wake.notify(sc_core::SC_ZERO_TIME);
}

sc_core::sc_time cpu::local_offset() const {
  return m_offset_base + m_period * static_cast<double>(m_iss.cycles() - m_synced_cycles);
}

void cpu::set_clock_period(const sc_core::sc_time& period) {
  if (period == m_period || period == sc_core::SC_ZERO_TIME) return;
  m_offset_base = local_offset();
  m_synced_cycles = m_iss.cycles();
  m_period = period;
  m_iss.invalidate_dmi(0, ~std::uint64_t{0});  // DMI latencies in cycles change: re-acquire
  m_iss.request_yield();  // re-plan the budget in cycles of the new period  // re-plan the budget in cycles of the new period
}

void cpu::attach_power(core::power::monitor& m, core::power::domain& d) {
  m.attach(m_power, d);
  d.on_change([this](core::power::state from, core::power::state to) {
    if (to == core::power::state::off) {
      m_iss.request_stop();  // nothing executes while off
    } else if (from == core::power::state::off) {
      m_reset_pending = true;
      m_wake.notify(sc_core::SC_ZERO_TIME);
    }
  });
}

sc_core::sc_time cpu::local_time() const { return sc_core::sc_time_stamp() + local_offset(); }

std::uint64_t cpu::to_cycles(const sc_core::sc_time& t) const {
  const auto p = m_period.value();
  return (t.value() + p - 1) / p;
}

void cpu::sync() {
  m_qk.set(local_offset());
  m_synced_cycles = m_iss.cycles();
  m_offset_base = sc_core::SC_ZERO_TIME;
  m_qk.sync();  // wait()s for the local time, resets it
  traps.write(static_cast<std::uint32_t>(m_iss.traps_taken()));
  if (on_sync) on_sync(sc_core::sc_time_stamp());
}

void cpu::run() {
  m_qk.reset();
  for (;;) {
    // A debugger is asked between quanta whether it wants the CPU (Ctrl-C, a new connection).
    if (m_debugger != nullptr && !m_halted && m_debugger->poll()) {
      debug_stop(stop_reason::halt);
      continue;
    }
    // Run up to the next quantum boundary, or to the next thing another process has scheduled
    // (a timer compare, a peripheral event), whichever is first: that event's interrupt is then
    // taken on time rather than up to a quantum late. One kernel query per quantum.
    sc_core::sc_time q = tlm::tlm_global_quantum::instance().compute_local_quantum();
    const sc_core::sc_time next = sc_core::sc_time_to_pending_activity();
    if (next > sc_core::SC_ZERO_TIME && next < q) q = next;
    const std::uint64_t budget = std::max<std::uint64_t>(1, q.value() / m_period.value());
    const stop_reason why = m_halted ? stop_reason::halt : m_iss.run(m_synced_cycles + budget);
    sync();
    switch (why) {
      case stop_reason::budget:
        break;
      case stop_reason::wfi: {
        const wfi_action act = on_wfi ? on_wfi() : wfi_action::idle;
        sleeping.write(true);
        const sc_core::sc_time before = sc_core::sc_time_stamp();
        if (act == wfi_action::power_down) {
          while (!m_reset_pending && !m_halted) sc_core::wait(m_wake);
        } else {
          while (!m_iss.interrupt_pending() && !m_halted && !m_reset_pending) sc_core::wait(m_wake);
          // An idle core's clock kept running: mcycle advances with time. A gated one's did not.
          if (act == wfi_action::idle) m_iss.add_cycles(to_cycles(sc_core::sc_time_stamp() - before));
          if (on_wake && !m_halted) on_wake();
        }
        m_synced_cycles = m_iss.cycles();
        sleeping.write(false);
        break;
      }
      case stop_reason::breakpoint:
      case stop_reason::step:
      case stop_reason::watchpoint:
        debug_stop(why);
        break;
      case stop_reason::unhandled_trap:
      case stop_reason::fault_loop:
        // With a debugger attached the fault stops the CPU first; the debugger may fix things
        // and resume, or deliver the fault, which ends the run as it would without it.
        if (debug_stop(why)) break;
        if (!m_halted) {
          m_halted = true;
          if (on_fault) on_fault(why, m_iss.last_trap());
        }
        sc_core::wait(m_never);
        break;
      case stop_reason::halt:
        if (m_halted) {
          sc_core::wait(m_never);
          break;
        }
        // Stopped because the domain went off: wait for power to come back.
        sleeping.write(true);
        while (!m_reset_pending && !m_halted) sc_core::wait(m_wake);
        sleeping.write(false);
        break;
    }
    if (m_reset_pending && !m_halted) {
      m_reset_pending = false;
      ++m_power_on_resets;
      m_iss.reset(m_reset_pc);
      m_synced_cycles = m_iss.cycles();
    }
  }
}

bool cpu::debug_stop(stop_reason why) {
  if (m_debugger == nullptr) return why != stop_reason::unhandled_trap && why != stop_reason::fault_loop;
  switch (m_debugger->stopped(why)) {
    case debug_verdict::resume:
      return true;
    case debug_verdict::deliver:
      return false;
    case debug_verdict::kill:
      m_halted = true;
      m_iss.request_stop();
      return false;
  }
  return false;
}

std::size_t cpu::debug_access(tlm::tlm_command cmd, std::uint32_t addr, unsigned char* data,
                              std::size_t len) {
  std::size_t done = 0;
  // The address space ends at 4 GiB: no wrap-around to 0.
  len = std::min<std::uint64_t>(len, 0x100000000ull - addr);
  while (done < len) {
    tlm::tlm_generic_payload tx;
    tx.set_command(cmd);
    tx.set_address(static_cast<std::uint64_t>(addr) + done);
    tx.set_data_ptr(data + done);
    const auto n = static_cast<unsigned>(std::min<std::size_t>(len - done, 1u << 20));
    tx.set_data_length(n);
    tx.set_streaming_width(n);
    const unsigned got = bus->transport_dbg(tx);
    done += got;
    if (got == 0) break;
  }
  return done;
}

std::size_t cpu::debug_read(std::uint32_t addr, unsigned char* data, std::size_t len) {
  return debug_access(tlm::TLM_READ_COMMAND, addr, data, len);
}

std::size_t cpu::debug_write(std::uint32_t addr, const unsigned char* data, std::size_t len) {
  // TLM takes a non-const pointer; a write does not modify the buffer.
  return debug_access(tlm::TLM_WRITE_COMMAND, addr, const_cast<unsigned char*>(data), len);
}

bool cpu::transport(tlm::tlm_command cmd, std::uint32_t addr, void* data, unsigned len, std::uint64_t& stall) {
  m_tx.set_command(cmd);
  m_tx.set_address(addr);
  m_tx.set_data_ptr(static_cast<unsigned char*>(data));
  m_tx.set_data_length(len);
  m_tx.set_streaming_width(len);
  m_tx.set_byte_enable_ptr(nullptr);
  m_tx.set_byte_enable_length(0);
  m_tx.set_dmi_allowed(false);
  m_tx.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  const sc_core::sc_time offset = local_offset();
  sc_core::sc_time delay = offset;
  bus->b_transport(m_tx, delay);
  stall = to_cycles(delay - offset);
  if (m_tx.is_response_error()) {
    bus_errors.write(++m_bus_error_count);
    return false;
  }
  if (m_tx.is_dmi_allowed()) acquire_dmi(addr);
  return true;
}

bool cpu::bus_read(std::uint32_t addr, void* data, unsigned len, std::uint64_t& stall) {
  return transport(tlm::TLM_READ_COMMAND, addr, data, len, stall);
}

bool cpu::bus_write(std::uint32_t addr, const void* data, unsigned len, std::uint64_t& stall) {
  // TLM takes a non-const pointer; a write command does not modify the buffer.
  return transport(tlm::TLM_WRITE_COMMAND, addr, const_cast<void*>(data), len, stall);
}

void cpu::acquire_dmi(std::uint32_t addr) {
  tlm::tlm_generic_payload tx;
  tx.set_command(tlm::TLM_READ_COMMAND);
  tx.set_address(addr);
  core::dmi_counters_extension ext;
  tx.set_extension(&ext);
  tlm::tlm_dmi dmi;
  const bool granted = bus->get_direct_mem_ptr(tx, dmi);
  tx.clear_extension(&ext);
  if (!granted) return;
  const std::uint64_t start = dmi.get_start_address();
  const std::uint64_t end = std::min<std::uint64_t>(dmi.get_end_address(), 0xFFFFFFFFull);
  if (end < start || dmi.get_dmi_ptr() == nullptr) return;
  dmi_region r;
  r.base = static_cast<std::uint32_t>(start);
  r.size = static_cast<std::uint32_t>(std::min<std::uint64_t>(end - start + 1, 0xFFFFFFFFull));
  r.ptr = dmi.get_dmi_ptr();
  r.readable = dmi.is_read_allowed();
  r.writable = dmi.is_write_allowed();
  r.read_cycles = static_cast<std::uint32_t>(to_cycles(dmi.get_read_latency()));
  r.write_cycles = static_cast<std::uint32_t>(to_cycles(dmi.get_write_latency()));
  r.counters = ext.counters;
  m_iss.add_dmi(r);
}

void cpu::invalidate_direct_mem_ptr(sc_dt::uint64 start, sc_dt::uint64 end) { m_iss.invalidate_dmi(start, end); }

}  // namespace edgevp::cpu

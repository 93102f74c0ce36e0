// The digital CIM's RTL behind its bridges (docs/rtl.md):
//
//   CPU --TLM--> [serve_register_access / axil_initiator] --AXI4-Lite--> edgevp_cim_digital
//   edgevp_cim_digital --AXI4--> [axi_target] --TLM (dma socket)--> interconnect
//
// An accel::device (device.h) beside the kind's TLM model, not derived from it: the block serves
// the contract's registers and runs the jobs itself; the wrapper counts the report's totals from
// what the block does.
//
// The verilated block is stepped on its own local time: a register access first brings it up to
// the access's time (ticking only while it has work), a thread keeps a running job moving while
// nobody accesses it (in steps of `step_cycles`), and an idle block is not clocked. Its reset
// follows its power domain. Energy: the kind's own power sources (cim.h add_digital_power),
// counted from the block's activity outputs.
//
// impl = lockstep adds the TLM model as a twin: every register write reaches both; the twin's DMA
// reads memory through debug transport and keeps its writes aside; when the RTL's job ends, the
// memory the RTL wrote must equal what the twin wrote, byte for byte, and the job's outcome
// (error, failing descriptor and address, descriptors, operations) must agree. The first
// mismatch goes to on_mismatch with the job, the address and both values.
// Verilator's headers come before SystemC's: with SYSTEMC_VERSION defined they would take
// sc_time_stamp() as the model's time (the block has its own local time).
#include "Vedgevp_cim_digital.h"
#include <verilated_vcd_c.h>

#include "models/rtl/cim_digital_rtl.h"

#include <cstdio>
#include <cstring>
#include <map>
#include <set>
#include <sstream>

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "models/accelerators/cim/cim.h"
#include "models/core/errors.h"
#include "models/rtl/axi_target.h"
#include "models/rtl/axil_initiator.h"
#include "models/rtl/verilated_host.h"

namespace edgevp::rtl {

namespace {

constexpr unsigned step_cycles = 32;   // how far a running job moves per step of its thread
constexpr unsigned reset_cycles = 4;

std::string hex(std::uint64_t v) {
  char b[24];
  std::snprintf(b, sizeof(b), "0x%llx", static_cast<unsigned long long>(v));
  return b;
}

class cim_digital_rtl final : public accel::device {
 public:
  SC_HAS_PROCESS(cim_digital_rtl);

  cim_digital_rtl(const sc_core::sc_module_name& name, const accel::instance& inst)
      : accel::device(name, inst),
        m_host(inst.name),
        m_lite(EDGEVP_AXIL_SLAVE_PINS(&m_host.model())),
        m_bridge(EDGEVP_AXI_MASTER_PINS(&m_host.model()),
                 [this](tlm::tlm_generic_payload& tx, sc_core::sc_time& d) { dma->b_transport(tx, d); }) {
    const std::uint64_t rows = inst.integer("rows");
    const std::uint64_t cols = inst.integer("cols");
    if (rows != 256 || cols != 256)
      throw core::config_error(inst.name + ".impl = " + inst.impl + ": the RTL is built for a 256 x 256 array, not " +
                               std::to_string(rows) + " x " + std::to_string(cols) + " (" + inst.name +
                               ".rows/cols)");
    const std::uint64_t pipeline = inst.integer("pipeline");
    if (pipeline >= (1u << 20))
      throw core::config_error(inst.name + ".pipeline: the RTL takes at most " + std::to_string((1u << 20) - 1));
    if (inst.rtl_timeout == 0) throw core::config_error(inst.name + ".rtl.timeout must be at least 1 cycle");
    if (inst.size < 0x60) throw core::config_error(inst.name + ".size must cover its registers (at least 0x60 bytes)");

    Vedgevp_cim_digital& m = m_host.model();
    m.cfg_self_base = static_cast<std::uint32_t>(inst.base);
    m.cfg_self_size = static_cast<std::uint32_t>(inst.size);
    m.cfg_burst = static_cast<std::uint16_t>(std::max<std::uint64_t>(inst.dma_burst, 4));
    m.cfg_pipeline = static_cast<std::uint32_t>(pipeline);
    m.fault = inst.rtl_fault ? 1 : 0;
    for (unsigned i = 0; i < 4; ++i) m.cfg_map_base[i] = m.cfg_map_size[i] = 0;

    m_host.add(m_lite);
    m_host.add(m_bridge);
    m_host.add(m_monitor);
    m_monitor.owner = this;
    if (!inst.rtl_vcd.empty()) m_host.open_vcd(inst.rtl_vcd);
    m_host.reset(reset_cycles);

    // Energy like the TLM twin: its sources, counted from the block's activity outputs.
    accel::cim::add_digital_power(power(), inst, static_cast<unsigned>(cols), m_mac, &m_rows_written);
    power().set_operations(&m_ops);

    if (inst.impl == "lockstep") {
      accel::instance t = inst;
      t.name = inst.name + "_tlm";
      t.impl = "tlm";
      m_twin = accel::registry::builtin().make(t);
      m_twin_port = std::make_unique<tlm_utils::simple_initiator_socket<cim_digital_rtl>>("twin_port");
      m_shadow = std::make_unique<tlm_utils::simple_target_socket<cim_digital_rtl>>("shadow");
      m_twin_port->bind(m_twin->in);
      m_shadow->register_b_transport(this, &cim_digital_rtl::shadow_transport);
      m_shadow->register_transport_dbg(this, &cim_digital_rtl::shadow_debug);
      m_twin->dma.bind(*m_shadow);
    }
    m_bridge.on_write = [this](std::uint64_t a, const unsigned char* d, unsigned n) {
      if (m_twin) record_rtl_write(a, n);
      if (on_job_end) m_job_writes.emplace_back(a, std::vector<unsigned char>(d, d + n));
    };
    SC_THREAD(worker);
  }

  // --- what the platform and reports read
  void set_dma_regions(const std::vector<region>& regions) override {
    if (regions.size() > 4) throw core::config_error(config().name + ": the RTL checks at most 4 DMA regions");
    Vedgevp_cim_digital& m = m_host.model();
    for (unsigned i = 0; i < 4; ++i) {
      m.cfg_map_base[i] = i < regions.size() ? static_cast<std::uint32_t>(regions[i].base) : 0;
      m.cfg_map_size[i] = i < regions.size() ? static_cast<std::uint32_t>(regions[i].size) : 0;
    }
    if (m_twin) m_twin->set_dma_regions(regions);
  }
  // The block checks its DMA against the regions above, in hardware; a bench's address map has
  // no place in it.
  void set_address_map(std::function<bool(std::uint64_t, std::uint64_t)> /*mapped*/) override {}
  [[nodiscard]] bool busy_at(const sc_core::sc_time& /*t*/) const override { return m_busy_bit; }
  [[nodiscard]] std::uint64_t jobs() const override { return m_descriptors; }
  [[nodiscard]] std::uint64_t errors() const override { return m_errors; }
  [[nodiscard]] std::uint64_t busy_cycles() const override { return m_busy_cycles; }
  [[nodiscard]] std::uint64_t operations() const override { return m_ops; }
  [[nodiscard]] sc_core::sc_time busy_time() const override { return m_busy_time; }
  [[nodiscard]] std::uint64_t dma_bytes() const override {
    return m_bridge.bytes_read() + m_bridge.bytes_written();
  }
  [[nodiscard]] job_summary last_job() const override { return m_last; }
  [[nodiscard]] std::vector<std::pair<std::string, double>> report() const override {
    std::vector<std::pair<std::string, double>> r = {
        {"rtl", 1},
        {"macs", static_cast<double>(m_macs)},
        {"rows_written", static_cast<double>(m_rows_written)},
        {"rtl_cycles", static_cast<double>(m_host.cycle())},
        {"rtl_read_bursts", static_cast<double>(m_bridge.read_bursts())},
        {"rtl_write_bursts", static_cast<double>(m_bridge.write_bursts())},
        {"rtl_max_reads_in_flight", static_cast<double>(m_bridge.max_reads_in_flight())},
    };
    if (m_twin) {
      r.emplace_back("lockstep_jobs_compared", static_cast<double>(m_compared));
      r.emplace_back("lockstep_mismatches", static_cast<double>(m_mismatches));
      r.emplace_back("lockstep_jobs_not_compared", static_cast<double>(m_skipped));
    }
    return r;
  }

 protected:
  void end_of_elaboration() override {
    m_host.set_clock(clock_source());
    if (m_twin) m_twin->set_clock(clock_source());
  }

  void b_transport(tlm::tlm_generic_payload& tx, sc_core::sc_time& delay) override {
    if (!domain_on()) {
      tx.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
      return;
    }
    if (tx.is_write())
      bus_accesses().write(tx.get_data_length());
    else if (tx.is_read())
      bus_accesses().read(tx.get_data_length());
    const sc_core::sc_time at = sc_core::sc_time_stamp() + delay;
    catch_up(at);
    // The twin sees the write first: a job the RTL finishes within this access is then compared.
    if (m_twin && tx.is_write()) mirror_write(tx, delay);
    serve_register_access(m_host, m_lite, tx, delay, config().rtl_timeout, config().name);
    sync_outputs();
    if (m_host.has_work()) m_kick.notify(sc_core::SC_ZERO_TIME);
  }
  // A debugger's access would clock the block and move its latches: not offered.
  unsigned int transport_dbg(tlm::tlm_generic_payload& tx) override {
    tx.set_response_status(tlm::TLM_OK_RESPONSE);
    return 0;
  }

  void power_changed(core::power::state from, core::power::state to) override {
    if (to == core::power::state::off) {
      m_lite.reset();
      m_bridge.reset();
      m_host.hold_reset();
      m_lockstep_pending = false;
      m_overlay.clear();
      m_rtl_written.clear();
      sync_outputs();
    } else if (from == core::power::state::off) {
      m_host.advance_to(sc_core::sc_time_stamp());
      m_host.reset(reset_cycles);
      sync_outputs();
    }
    if (m_twin) {
      // The twin follows the same domain: its registers and weights go with it.
      if (to == core::power::state::off) m_twin->reset();
    }
  }

 private:
  // Sees every cycle's status: job completions and busy time.
  struct monitor final : participant {
    cim_digital_rtl* owner = nullptr;
    void sample() override {}
    void update(const clocked& c) override { owner->on_cycle(c); }
  };

  void on_cycle(const clocked& c) {
    const Vedgevp_cim_digital& m = m_host.model();
    const bool busy = (m.dbg_status & accel::status_bits::busy) != 0;
    if (busy) {
      ++m_busy_cycles;
      ++m_job_cycles;
      m_busy_time += c.period();
    }
    const bool error = (m.dbg_status & accel::status_bits::error) != 0;
    if (busy && m_busy_bit && error && !m_error_bit) ++m_errors;  // a START refused as busy
    m_error_bit = error;
    if (busy && !m_busy_bit) {
      show_job(true, m_starts + 1);
      m_job_writes.clear();
      m_job_cycles = 1;
      m_job_macs0 = m.act_macs;
      m_jobs0 = m.dbg_jobs;
    }
    if (!busy && m_busy_bit) {
      job_completed();
      show_job(false, m_starts);
    }
    m_busy_bit = busy;
  }

  void job_completed() {
    const Vedgevp_cim_digital& m = m_host.model();
    job_summary s;
    s.starts = ++m_starts;
    const auto code = static_cast<accel::error>((m.dbg_status >> 8) & 0xFFu);
    const bool err = (m.dbg_status & accel::status_bits::error) != 0;
    s.err = err ? code : accel::error::none;
    s.err_desc = err ? m.dbg_err_desc : 0;
    s.err_addr = err ? m.dbg_err_addr : 0;
    s.descriptors = m.dbg_jobs >= m_jobs0 ? m.dbg_jobs - m_jobs0 : m.dbg_jobs;
    s.cycles = m_job_cycles;
    s.ops = 2 * (m.act_macs - m_job_macs0);
    m_descriptors += s.descriptors;
    if (err) ++m_errors;
    m_last = s;
    if (on_job_end) {
      job_record rec;
      rec.summary = s;
      rec.end = m_host.local_time();
      rec.writes = std::move(m_job_writes);
      m_job_writes.clear();
      on_job_end(rec);
    }
    if (m_twin && m_lockstep_pending) compare_job();
  }

  void sync_outputs() {
    const Vedgevp_cim_digital& m = m_host.model();
    m_mac[0][0] = m.act_mac_i4w4;
    m_mac[0][1] = m.act_mac_i4w8;
    m_mac[1][0] = m.act_mac_i8w4;
    m_mac[1][1] = m.act_mac_i8w8;
    m_rows_written = m.act_rows_written;
    m_macs = m.act_macs;
    m_ops = 2 * m.act_macs;
    irq.set(m.irq != 0 && !m_host.in_reset());
  }

  void catch_up(const sc_core::sc_time& t) {
    if (m_host.in_reset()) return;
    m_host.run_until(t);
    sync_outputs();
  }

  // Keeps a running job moving while nobody accesses the block. The block runs ahead of the
  // kernel, up to `step_cycles` past it, never behind: a DMA burst it issues then reaches the
  // interconnect at its own time (a block behind the kernel would have its bursts of a whole
  // step stamped with the kernel's time and queued back to back).
  void worker() {
    for (;;) {
      sc_core::wait(m_kick);
      while (!m_host.in_reset() && m_host.has_work()) {
        const sc_core::sc_time horizon = sc_core::sc_time_stamp() + m_host.period() * step_cycles;
        catch_up(horizon);
        sc_core::wait(horizon - sc_core::sc_time_stamp());
      }
    }
  }

  // --- lockstep
  void mirror_write(const tlm::tlm_generic_payload& tx, const sc_core::sc_time& delay) {
    const std::uint64_t addr = tx.get_address();
    std::uint32_t v = 0;
    std::memcpy(&v, tx.get_data_ptr(), std::min(4u, tx.get_data_length()));
    const bool ctrl = addr == 0x04 && tx.get_data_length() == 4;
    if (ctrl && (v & accel::ctrl_bits::reset) != 0) {
      m_lockstep_pending = false;
      m_overlay.clear();
      m_rtl_written.clear();
    }
    const bool start = ctrl && (v & accel::ctrl_bits::start) != 0 && (v & accel::ctrl_bits::reset) == 0;
    // A START the RTL refuses as busy is not given to the twin (whose job may have ended earlier):
    // both report the refusal from their own state.
    if (start && m_busy_bit) v &= ~accel::ctrl_bits::start;
    const job_summary before = m_twin->last_job();
    tlm::tlm_generic_payload copy;
    unsigned char buf[4];
    std::memcpy(buf, tx.get_data_ptr(), tx.get_data_length());
    if (ctrl) std::memcpy(buf, &v, 4);
    copy.set_command(tlm::TLM_WRITE_COMMAND);
    copy.set_address(addr);
    copy.set_data_ptr(buf);
    copy.set_data_length(tx.get_data_length());
    copy.set_streaming_width(tx.get_data_length());
    copy.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    sc_core::sc_time d = delay;
    if (start && !m_busy_bit) {
      m_overlay.clear();
      m_rtl_written.clear();
    }
    (*m_twin_port)->b_transport(copy, d);
    if (m_twin->last_job().starts != before.starts) {
      m_lockstep_pending = true;
    } else if (start && !m_busy_bit) {
      ++m_skipped;  // the twin was still busy with its previous job: this one is not compared
    }
  }

  void shadow_transport(tlm::tlm_generic_payload& tx, sc_core::sc_time& /*delay*/) {
    const std::uint64_t a = tx.get_address();
    const unsigned n = tx.get_data_length();
    unsigned char* d = tx.get_data_ptr();
    if (tx.is_write()) {
      for (unsigned i = 0; i < n; ++i) m_overlay[a + i] = d[i];
      tx.set_response_status(tlm::TLM_OK_RESPONSE);
      return;
    }
    tlm::tlm_generic_payload rd;
    rd.set_command(tlm::TLM_READ_COMMAND);
    rd.set_address(a);
    rd.set_data_ptr(d);
    rd.set_data_length(n);
    rd.set_streaming_width(n);
    const unsigned got = dma->transport_dbg(rd);
    if (got != n) {
      tx.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
      return;
    }
    for (unsigned i = 0; i < n; ++i) {
      auto it = m_overlay.find(a + i);
      if (it != m_overlay.end()) d[i] = it->second;
    }
    tx.set_response_status(tlm::TLM_OK_RESPONSE);
  }
  unsigned int shadow_debug(tlm::tlm_generic_payload& tx) { return dma->transport_dbg(tx); }

  void record_rtl_write(std::uint64_t addr, unsigned len) {
    for (unsigned i = 0; i < len; ++i) m_rtl_written.insert(addr + i);
  }

  bool memory_byte(std::uint64_t a, unsigned char& v) {
    tlm::tlm_generic_payload rd;
    rd.set_command(tlm::TLM_READ_COMMAND);
    rd.set_address(a);
    rd.set_data_ptr(&v);
    rd.set_data_length(1);
    rd.set_streaming_width(1);
    return dma->transport_dbg(rd) == 1;
  }

  void mismatch(const std::string& what) {
    ++m_mismatches;
    std::ostringstream os;
    os << "lockstep: " << config().name << ": job " << m_last.starts << " (ended at "
       << m_host.local_time().to_string() << ", RTL descriptor " << hex(m_host.model().dbg_desc) << "): " << what;
    m_report = os.str();
    if (on_mismatch) on_mismatch(m_report);
  }

  void compare_job() {
    m_lockstep_pending = false;
    ++m_compared;
    const job_summary t = m_twin->last_job();
    const job_summary& r = m_last;
    if (t.err != r.err || t.err_desc != r.err_desc || t.err_addr != r.err_addr) {
      mismatch("outcome: rtl error " + std::string(accel::error_name(r.err)) + " (descriptor " + hex(r.err_desc) +
               ", address " + hex(r.err_addr) + "), tlm error " + accel::error_name(t.err) + " (descriptor " +
               hex(t.err_desc) + ", address " + hex(t.err_addr) + ")");
      return;
    }
    // Memory: every byte either implementation wrote, in address order; the first difference.
    std::set<std::uint64_t> addrs(m_rtl_written.begin(), m_rtl_written.end());
    for (const auto& [a, v] : m_overlay) addrs.insert(a);
    for (std::uint64_t a : addrs) {
      auto it = m_overlay.find(a);
      const bool rtl_wrote = m_rtl_written.count(a) != 0;
      unsigned char mem = 0;
      memory_byte(a, mem);
      if (it == m_overlay.end()) {
        mismatch("memory " + hex(a) + ": rtl wrote " + hex(mem) + ", tlm did not write it");
        return;
      }
      if (!rtl_wrote) {
        mismatch("memory " + hex(a) + ": tlm wrote " + hex(it->second) + ", rtl did not write it (it holds " +
                 hex(mem) + ")");
        return;
      }
      if (mem != it->second) {
        mismatch("memory " + hex(a) + ": rtl " + hex(mem) + ", tlm " + hex(it->second));
        return;
      }
    }
    if (t.descriptors != r.descriptors || t.ops != r.ops) {
      mismatch("counters: rtl " + std::to_string(r.descriptors) + " descriptors, " + std::to_string(r.ops) +
               " ops; tlm " + std::to_string(t.descriptors) + " descriptors, " + std::to_string(t.ops) + " ops");
      return;
    }
    m_overlay.clear();
    m_rtl_written.clear();
  }

  verilated_host<Vedgevp_cim_digital> m_host;
  axil_initiator m_lite;
  axi_target m_bridge;
  monitor m_monitor;
  sc_core::sc_event m_kick{"kick"};
  // Activity and totals.
  std::uint64_t m_mac[2][2] = {{0, 0}, {0, 0}};
  std::uint64_t m_rows_written = 0;
  std::uint64_t m_macs = 0;
  std::uint64_t m_ops = 0;
  bool m_busy_bit = false;
  bool m_error_bit = false;
  std::uint64_t m_busy_cycles = 0;
  sc_core::sc_time m_busy_time;
  std::uint64_t m_job_cycles = 0;
  std::uint64_t m_job_macs0 = 0;
  std::uint32_t m_jobs0 = 0;
  std::uint64_t m_descriptors = 0;
  std::uint64_t m_errors = 0;
  std::uint64_t m_starts = 0;
  job_summary m_last;
  std::vector<std::pair<std::uint64_t, std::vector<unsigned char>>> m_job_writes;  // while on_job_end is set
  // Lockstep.
  std::unique_ptr<accel::device> m_twin;
  std::unique_ptr<tlm_utils::simple_initiator_socket<cim_digital_rtl>> m_twin_port;  // lockstep only
  std::unique_ptr<tlm_utils::simple_target_socket<cim_digital_rtl>> m_shadow;
  std::map<std::uint64_t, unsigned char> m_overlay;  // what the twin wrote this job
  std::set<std::uint64_t> m_rtl_written;
  bool m_lockstep_pending = false;
  std::uint64_t m_skipped = 0;
  std::uint64_t m_compared = 0;
  std::uint64_t m_mismatches = 0;
  std::string m_report;
};

}  // namespace

std::unique_ptr<accel::device> make_cim_digital(const accel::instance& inst) {
  return std::make_unique<cim_digital_rtl>(inst.name.c_str(), inst);
}

}  // namespace edgevp::rtl

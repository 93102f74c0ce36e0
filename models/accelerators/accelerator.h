// edgevp: the TLM job engine every TLM accelerator kind derives from (DESIGN.md "Accelerators";
// docs/accelerators.md). It implements the contract of device.h: it declares the contract's
// registers (offsets in accel::regs) and runs the descriptor chains; a kind adds its descriptor
// formats (descriptor_words), its computation and timing (execute) and its own registers.
//
// A START runs the descriptor chain at once, at the access's local time (loosely timed): the
// descriptors and data move through the `dma` initiator (b_transport into the interconnect, at the
// times the job's schedule gives, so they queue behind other initiators), results are written, and
// the job's end time is known. STATUS reads BUSY until an access's time reaches that end; DONE,
// the counters and the interrupt follow at that time (or at the first register read past it, when
// the reader runs ahead of the kernel). Errors are reported in STATUS and by the interrupt, never
// by aborting: see error in device.h.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <systemc>
#include <tlm>

#include "models/accelerators/device.h"
#include "models/accelerators/registry.h"

namespace edgevp::accel {

class accelerator;

// One descriptor being executed: its words and the DMA, validation and timing helpers a kind uses.
class job {
 public:
  [[nodiscard]] std::uint64_t address() const { return m_addr; }
  [[nodiscard]] std::uint32_t word(unsigned i) const { return i < m_words.size() ? m_words[i] : 0; }
  [[nodiscard]] std::uint8_t opcode() const { return static_cast<std::uint8_t>(m_words[0] & 0xFFu); }
  [[nodiscard]] std::uint32_t flags() const { return m_words[0] >> 8; }
  // When the descriptor has been fetched: the kind's schedule starts here.
  [[nodiscard]] sc_core::sc_time start() const { return m_start; }
  // Duration of n accelerator clock cycles (DVFS applies).
  [[nodiscard]] sc_core::sc_time cycles(std::uint64_t n) const;

  // Validation: each fails the job (and returns false) on a bad buffer: `len` bytes at `addr`
  // must lie in one mapped target (unmapped) and `addr` be a multiple of `align` (align).
  bool check_buffer(std::uint64_t addr, std::uint64_t len, unsigned align = 1);
  bool check_aligned(std::uint64_t value, unsigned align);  // a stride, for example
  void fail(error e, std::uint64_t addr = 0);
  [[nodiscard]] bool failed() const { return m_error != error::none; }

  // DMA through the interconnect. `t`: in, the earliest start; out, when the transfer ends.
  // On an error response the job fails with error::dma (ERR_ADDR = the transaction's address);
  // past the START's DMA budget (max_job_dma) with error::chain, before the transaction.
  bool read(std::uint64_t addr, void* data, std::uint64_t len, sc_core::sc_time& t);
  // `after_failure`: the write completes work begun before the job failed (a pipeline's earlier
  // stage); it runs although the job has failed, and the first error stays the one reported.
  bool write(std::uint64_t addr, const void* data, std::uint64_t len, sc_core::sc_time& t,
             bool after_failure = false);
  // Charges `units` of work against the START's budget (max_job_work); false (and the job
  // failed with error::chain) once it is spent. Kinds charge before they compute.
  bool charge(std::uint64_t units);
  // Work the START may still ask for: a kind whose work is open-ended (a program's cycles) bounds
  // it by this before it computes.
  [[nodiscard]] std::uint64_t work_left() const;

 private:
  friend class accelerator;
  explicit job(accelerator& owner) : m_owner(owner) {}
  bool transfer(tlm::tlm_command cmd, std::uint64_t addr, unsigned char* data, std::uint64_t len,
                sc_core::sc_time& t, bool after_failure = false);

  accelerator& m_owner;
  std::uint64_t m_addr = 0;
  std::vector<std::uint32_t> m_words;
  sc_core::sc_time m_start;
  error m_error = error::none;
  std::uint64_t m_error_addr = 0;
};

class accelerator : public device {
 public:
  accelerator(const sc_core::sc_module_name& name, const instance& inst, std::uint8_t kind_code,
              std::uint8_t version = 1);

  [[nodiscard]] std::size_t contract_registers() const override { return m_contract_registers; }
  void set_address_map(std::function<bool(std::uint64_t addr, std::uint64_t len)> mapped) override {
    m_mapped = std::move(mapped);
  }
  // What the DMA engine and the descriptor sequencer add to the interconnect's timing, in
  // accelerator clock cycles. All zero (the default): a transfer costs what the interconnect
  // charges and a descriptor starts as soon as it has been fetched. A kind with an RTL twin sets
  // what its engine costs (cim_digital.cc: rtl/edgevp_axi_dma_{rd,wr}.sv behind the AXI bridge).
  struct dma_timing {
    std::uint64_t read_setup = 0;   // per read transfer: command, first address phase, completion
    std::uint64_t write_setup = 0;  // per write transfer: command, completion
    std::uint64_t read_burst = 0;   // per read burst (of dma.burst bytes): its first beat
    std::uint64_t write_burst = 0;  // per write burst: its address phase and first beat
    unsigned beat_bytes = 0;        // data bus width: a burst not aligned to it moves one beat more
    std::uint64_t dispatch = 0;     // per descriptor: decode before it executes (or fails)
  };
  void set_dma_timing(const dma_timing& t) { m_dma_timing = t; }
  [[nodiscard]] const dma_timing& timing() const { return m_dma_timing; }

  void set_dma_regions(const std::vector<region>& regions) override;
  [[nodiscard]] const std::vector<region>& dma_regions() const { return m_regions; }

  [[nodiscard]] job_summary last_job() const override;

  // A job's descriptors, cycles and operations count when its START plans it (a soft reset that
  // abandons it does not take them back), its error when it completes.
  [[nodiscard]] bool busy_at(const sc_core::sc_time& t) const override { return m_busy && t < m_end; }
  [[nodiscard]] std::uint64_t jobs() const override { return m_total_jobs; }
  [[nodiscard]] std::uint64_t errors() const override { return m_errors; }
  [[nodiscard]] std::uint64_t busy_cycles() const override { return m_total_cycles; }
  [[nodiscard]] std::uint64_t operations() const override { return m_ops; }
  [[nodiscard]] sc_core::sc_time busy_time() const override { return m_busy_time; }
  [[nodiscard]] std::uint64_t dma_bytes() const override { return m_dma_bytes; }

  core::reg<std::uint32_t> id;
  core::reg<std::uint32_t> ctrl{this, "CTRL", regs::ctrl, 0, core::access::rw};
  core::reg<std::uint32_t> status{this, "STATUS", regs::status, 0, core::access::rw};
  core::reg<std::uint32_t> desc{this, "DESC", regs::desc, 0, core::access::rw};
  core::reg<std::uint32_t> err_desc{this, "ERR_DESC", regs::err_desc, 0, core::access::ro};
  core::reg<std::uint32_t> err_addr{this, "ERR_ADDR", regs::err_addr, 0, core::access::ro};
  core::reg<std::uint32_t> jobs_reg{this, "JOBS", regs::jobs, 0, core::access::ro};
  core::reg<std::uint32_t> cycles_lo{this, "CYCLES_LO", regs::cycles_lo, 0, core::access::ro};
  core::reg<std::uint32_t> cycles_hi{this, "CYCLES_HI", regs::cycles_hi, 0, core::access::ro};
  core::reg<std::uint32_t> ops_lo{this, "OPS_LO", regs::ops_lo, 0, core::access::ro};
  core::reg<std::uint32_t> ops_hi{this, "OPS_HI", regs::ops_hi, 0, core::access::ro};

 protected:
  // The kind: words in the descriptor of `opcode` (header included), 0 for an unknown opcode.
  [[nodiscard]] virtual unsigned descriptor_words(std::uint8_t opcode) const = 0;
  // Validates and executes one descriptor (j.fail() and return on a problem); returns when it
  // ends (absolute simulated time, >= j.start()). Counts its operations with count_ops().
  virtual sc_core::sc_time execute(job& j) = 0;
  // Soft reset (CTRL.RESET): the kind's control state, not its stored data.
  virtual void reset_kind() {}
  // The domain went off: what the kind loses (after the registers are reset).
  virtual void power_lost() {}

  void count_ops(std::uint64_t n) {
    m_ops_pending += n;
    m_ops += n;
  }
  // The operations counter the power component reports (2 per MAC).
  [[nodiscard]] const std::uint64_t* ops_counter() const { return &m_ops; }

  void reset_state() override;
  void power_changed(core::power::state from, core::power::state to) override;

 private:
  friend class job;
  void start(const sc_core::sc_time& at);
  void complete_if_due(const sc_core::sc_time& t);
  void complete();
  void update_irq();
  void on_done_event();  // SC_METHOD

  std::size_t m_contract_registers = 0;
  dma_timing m_dma_timing;
  std::function<bool(std::uint64_t, std::uint64_t)> m_mapped;
  std::vector<region> m_regions;
  std::uint64_t m_starts = 0;
  std::uint64_t m_job_ops = 0;
  std::vector<std::pair<std::uint64_t, std::vector<unsigned char>>> m_job_writes;  // while on_job_end is set
  // The job in flight.
  bool m_busy = false;
  sc_core::sc_time m_start_time;
  sc_core::sc_time m_end;
  error m_job_error = error::none;
  std::uint64_t m_job_error_desc = 0;
  std::uint64_t m_job_error_addr = 0;
  std::uint64_t m_job_descriptors = 0;
  std::uint64_t m_job_cycles = 0;  // at the clock of the START
  std::uint64_t m_work = 0;
  std::uint64_t m_dma_blocks = 0;  // against max_job_dma
  bool m_in_chain = false;
  std::uint64_t m_ops_pending = 0;
  sc_core::sc_event m_done{"done"};
  // Register-visible totals (updated at completion) and model totals.
  std::uint64_t m_jobs = 0;
  std::uint64_t m_errors = 0;
  std::uint64_t m_total_jobs = 0;
  std::uint64_t m_total_cycles = 0;
  std::uint64_t m_cycles = 0;
  std::uint64_t m_ops = 0;
  std::uint64_t m_ops_visible = 0;
  std::uint32_t m_cycles_hi_latch = 0;
  std::uint32_t m_ops_hi_latch = 0;
  sc_core::sc_time m_busy_time;
  std::uint64_t m_dma_bytes = 0;
};

}  // namespace edgevp::accel

// edgevp: an accelerator instance as the platform sees it (DESIGN.md "Accelerators";
// docs/accelerators.md). The contract every implementation of an instance offers:
//
//   offset  register    access  reset
//   0x00    ID          ro      0xACCE_KKVV (kind code, version)
//   0x04    CTRL        rw      0     bit0 START (w1), bit1 RESET (w1), bit2 IRQ_EN
//   0x08    STATUS      rw      0     bit0 BUSY, bit1 DONE (w1c), bit2 ERROR (w1c), 15:8 ERR_CODE
//   0x0C    DESC        rw      0     first descriptor
//   0x10    ERR_DESC    ro      0     descriptor that failed
//   0x14    ERR_ADDR    ro      0     offending address
//   0x18    JOBS        ro      0     descriptors completed
//   0x20/24 CYCLES      ro      0     busy cycles (reading LO latches HI)
//   0x28/2C OPS         ro      0     operations, 2 per MAC (reading LO latches HI)
//   0x40-   kind-specific
//
// plus a DMA initiator into the interconnect (`dma`), a completion interrupt (`irq`), a power
// domain with the kind's power sources, and the totals the run report and co-verification read.
// The platform and the reports hold every instance as a `device`, whatever implements it:
//
//   accelerator (accelerator.h)   the TLM job engine the kinds derive from: it declares the
//                                 registers above and runs descriptor chains itself;
//   the RTL (models/rtl/)         a verilated block behind its AXI bridges: the block serves the
//                                 registers and runs the jobs, the wrapper counts what it sees.
//
// The same firmware runs on either (`NAME.impl = tlm | rtl | lockstep`); the registry builds the
// one the configuration names (registry.h).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <tlm_utils/simple_initiator_socket.h>
#include <systemc>
#include <tlm>

#include "models/accelerators/registry.h"
#include "models/core/irq.h"
#include "models/core/peripheral.h"

namespace edgevp::accel {

enum class error : std::uint8_t {
  none = 0,
  opcode = 1,     // opcode 0 or unknown
  align = 2,      // descriptor, buffer or stride not aligned as required
  unmapped = 3,   // a buffer not wholly inside one mapped target
  shape = 4,      // sizes or offsets beyond the hardware, zero sizes
  precision = 5,  // unsupported bit width
  busy = 6,       // START while busy
  dma = 7,        // a DMA transfer got an error response
  param = 8,      // other malformed field
  chain = 9,      // too many chained descriptors, or more work or DMA than one START may ask for
  event = 10,     // a malformed event stream (SNN: unknown word, time going back, no end)
  overflow = 11,  // an output buffer too small for what the job produces
  program = 12,   // a program the accelerator runs did what the machine cannot (TTA: FAULT_PC, FAULT_CAUSE)
  timeout = 13,   // a program ran past its cycle budget
  config = 14,    // an inconsistent configuration (CGRA: CONFIG_CAUSE, ERR_ADDR = the record)
};
inline constexpr error last_error = error::config;
const char* error_name(error e);

inline constexpr std::uint32_t id_prefix = 0xACCE0000u;
inline constexpr std::size_t max_chain = 65536;
// Work one START may ask for (MACs, or what a kind counts as work): a chain beyond it ends with
// error::chain instead of keeping the host busy for hours inside one register write.
inline constexpr std::uint64_t max_job_work = std::uint64_t{1} << 33;
// DMA one START may move, in blocks of dma_block bytes (a transfer of n bytes counts
// ceil(n / dma_block), descriptor fetches included): past it the transfer is not made and the job
// ends with error::chain (ERR_ADDR: the transfer's address). With max_chain and max_job_work it
// bounds what one register write can cost the host (about 3 s of DMA; the interconnect's
// calendars stay bounded too: router.h), whatever the chain holds, loops included. The
// repository's largest job moves about 2000 blocks.
inline constexpr std::uint64_t dma_block = 64;
inline constexpr std::uint64_t max_job_dma = std::uint64_t{1} << 22;
inline constexpr unsigned max_descriptor_words = 64;

// The contract's register offsets: the TLM engine declares its registers at them, the benches
// address them by these names and --gen-memmap writes them for firmware (regs_header.h).
namespace regs {
inline constexpr std::uint64_t id = 0x00, ctrl = 0x04, status = 0x08, desc = 0x0C, err_desc = 0x10, err_addr = 0x14,
                               jobs = 0x18, cycles_lo = 0x20, cycles_hi = 0x24, ops_lo = 0x28, ops_hi = 0x2C;
inline constexpr std::uint64_t kind = 0x40;  // the kind's registers start here
}  // namespace regs

namespace ctrl_bits {
inline constexpr std::uint32_t start = 1u << 0;
inline constexpr std::uint32_t reset = 1u << 1;
inline constexpr std::uint32_t irq_en = 1u << 2;
}  // namespace ctrl_bits
namespace status_bits {
inline constexpr std::uint32_t busy = 1u << 0;
inline constexpr std::uint32_t done = 1u << 1;
inline constexpr std::uint32_t error = 1u << 2;
}  // namespace status_bits

class device : public core::peripheral {
 public:
  tlm_utils::simple_initiator_socket<device> dma;
  core::irq_line irq;

  [[nodiscard]] const instance& config() const { return m_inst; }
  // How many of registers() the contract declares (the first ones; the kind's follow), for the
  // generated register header. None for an implementation that serves its registers itself
  // (the RTL, through its AXI4-Lite bridge).
  [[nodiscard]] virtual std::size_t contract_registers() const { return 0; }

  // The memories DMA may use, as [base, base + size) windows: a buffer must lie wholly in one.
  struct region {
    std::uint64_t base = 0;
    std::uint64_t size = 0;
  };
  virtual void set_dma_regions(const std::vector<region>& regions) = 0;
  // Or, instead of regions, a predicate (a bench gives its router's map); the last one given
  // decides. Without either, every address is taken as mapped and the transfer's response
  // decides. The RTL checks regions only (it holds four in its own configuration inputs).
  virtual void set_address_map(std::function<bool(std::uint64_t addr, std::uint64_t len)> mapped) = 0;

  // What the last START planned (or ran): for co-verification and tests.
  struct job_summary {
    std::uint64_t starts = 0;  // STARTs accepted so far
    error err = error::none;
    std::uint64_t err_desc = 0;
    std::uint64_t err_addr = 0;
    std::uint64_t descriptors = 0;
    std::uint64_t cycles = 0;
    std::uint64_t ops = 0;
  };
  [[nodiscard]] virtual job_summary last_job() const = 0;
  // Co-verification (impl = lockstep) reports the first mismatch here; the platform ends the run.
  std::function<void(const std::string& report)> on_mismatch;

  // Co-verification across runs (edgevp --coverify): each START's outcome and the memory it
  // wrote, handed over when the job completes (TLM and RTL alike). Writes are recorded only while
  // this is set.
  struct job_record {
    job_summary summary;
    sc_core::sc_time end;
    std::vector<std::pair<std::uint64_t, std::vector<unsigned char>>> writes;  // address, bytes
  };
  std::function<void(const job_record&)> on_job_end;
  // The platform counts the completion interrupts it sees (rising edges of irq).
  void count_irq(bool level) {
    if (level) ++m_irq_raises;
  }
  [[nodiscard]] std::uint64_t irq_raises() const { return m_irq_raises; }

  // Totals since elaboration (soft resets do not clear them), for reports and tests: the TLM
  // engine counts its plans, the RTL what its block did.
  [[nodiscard]] virtual bool busy_at(const sc_core::sc_time& t) const = 0;
  [[nodiscard]] virtual std::uint64_t jobs() const = 0;
  [[nodiscard]] virtual std::uint64_t errors() const = 0;
  [[nodiscard]] virtual std::uint64_t busy_cycles() const = 0;
  [[nodiscard]] virtual std::uint64_t operations() const = 0;
  [[nodiscard]] virtual sc_core::sc_time busy_time() const = 0;
  [[nodiscard]] virtual std::uint64_t dma_bytes() const = 0;
  // Kind-specific figures for the run report: name -> value.
  [[nodiscard]] virtual std::vector<std::pair<std::string, double>> report() const { return {}; }

  // For waveforms (--vcd): high while a job runs, and the number of that job (STARTs so far).
  [[nodiscard]] const sc_core::sc_signal<bool, sc_core::SC_MANY_WRITERS>& busy_signal() const { return m_busy_line; }
  [[nodiscard]] const sc_core::sc_signal<std::uint32_t, sc_core::SC_MANY_WRITERS>& job_signal() const {
    return m_job_line;
  }

 protected:
  // An implementation reports each job's start and end here (the waveform lines above).
  void show_job(bool running, std::uint64_t job) {
    m_busy_line.write(running);
    m_job_line.write(static_cast<std::uint32_t>(job));
  }

  // The register window answers after `inst.register_latency`; the power component gets the
  // instance's access, leakage and background sources (an implementation adds the kind's).
  device(const sc_core::sc_module_name& name, const instance& inst);

 private:
  instance m_inst;
  std::uint64_t m_irq_raises = 0;
  sc_core::sc_signal<bool, sc_core::SC_MANY_WRITERS> m_busy_line{"busy", false};
  sc_core::sc_signal<std::uint32_t, sc_core::SC_MANY_WRITERS> m_job_line{"job", 0};
};

}  // namespace edgevp::accel

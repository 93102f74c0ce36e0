#include "models/accelerators/accelerator.h"

#include <algorithm>
#include <cstring>

namespace edgevp::accel {

// --- job ------------------------------------------------------------------------------------

sc_core::sc_time job::cycles(std::uint64_t n) const {
  const core::clock* c = m_owner.clock_source();
  const sc_core::sc_time period = c != nullptr ? c->period() : sc_core::sc_time(10, sc_core::SC_NS);
  return period * static_cast<double>(n);
}

void job::fail(error e, std::uint64_t addr) {
  if (m_error != error::none) return;  // the first error is the one reported
  m_error = e;
  m_error_addr = addr;
}

bool job::check_aligned(std::uint64_t value, unsigned align) {
  if (align > 1 && value % align != 0) {
    fail(error::align, value);
    return false;
  }
  return true;
}

bool job::check_buffer(std::uint64_t addr, std::uint64_t len, unsigned align) {
  if (failed()) return false;
  if (!check_aligned(addr, align)) return false;
  if (len == 0) return true;
  if (addr + len < addr || addr + len > (1ull << 32) || (m_owner.m_mapped && !m_owner.m_mapped(addr, len))) {
    fail(error::unmapped, addr);
    return false;
  }
  // Its own register window is not a DMA target (the job would read or change itself).
  const instance& self = m_owner.config();
  if (addr < self.base + self.size && self.base < addr + len) {
    fail(error::unmapped, addr);
    return false;
  }
  return true;
}

std::uint64_t job::work_left() const {
  return m_owner.m_work >= max_job_work ? 0 : max_job_work - m_owner.m_work;
}

bool job::charge(std::uint64_t units) {
  if (failed()) return false;
  m_owner.m_work += units;
  if (m_owner.m_work > max_job_work) {
    fail(error::chain);
    return false;
  }
  return true;
}

bool job::read(std::uint64_t addr, void* data, std::uint64_t len, sc_core::sc_time& t) {
  return transfer(tlm::TLM_READ_COMMAND, addr, static_cast<unsigned char*>(data), len, t);
}

bool job::write(std::uint64_t addr, const void* data, std::uint64_t len, sc_core::sc_time& t,
                bool after_failure) {
  // TLM takes a non-const pointer; a write does not modify the buffer.
  return transfer(tlm::TLM_WRITE_COMMAND, addr, static_cast<unsigned char*>(const_cast<void*>(data)), len, t,
                  after_failure);
}

bool job::transfer(tlm::tlm_command cmd, std::uint64_t addr, unsigned char* data, std::uint64_t len,
                   sc_core::sc_time& t, bool after_failure) {
  if (failed() && !after_failure) return false;
  const std::uint64_t burst = std::max<std::uint64_t>(m_owner.config().dma_burst, 4);
  const sc_core::sc_time now = sc_core::sc_time_stamp();
  const accelerator::dma_timing& et = m_owner.m_dma_timing;
  const bool rd = cmd == tlm::TLM_READ_COMMAND;
  if (len > 0) t += cycles(rd ? et.read_setup : et.write_setup);
  std::uint64_t done = 0;
  while (done < len) {
    const auto n = static_cast<unsigned>(std::min(burst, len - done));
    // The START's DMA budget (the completion of work begun before a failure is not charged: it
    // is one transfer's worth at most).
    if (!failed()) {
      m_owner.m_dma_blocks += (n + dma_block - 1) / dma_block;
      if (m_owner.m_dma_blocks > max_job_dma) {
        fail(error::chain, addr + done);
        return false;
      }
    }
    tlm::tlm_generic_payload tx;
    tx.set_command(cmd);
    tx.set_address(addr + done);
    tx.set_data_ptr(data + done);
    tx.set_data_length(n);
    tx.set_streaming_width(n);
    tx.set_byte_enable_ptr(nullptr);
    tx.set_dmi_allowed(false);
    tx.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    sc_core::sc_time delay = t > now ? t - now : sc_core::SC_ZERO_TIME;
    m_owner.dma->b_transport(tx, delay);
    if (tx.get_response_status() != tlm::TLM_OK_RESPONSE) {
      fail(error::dma, addr + done);
      return false;
    }
    t = now + delay;
    // The engine's own cycles: the burst's first beat (and address phase), and the beat an
    // unaligned burst adds on the data bus (the interconnect counts beats from the length).
    std::uint64_t extra = rd ? et.read_burst : et.write_burst;
    if (et.beat_bytes > 0) {
      const std::uint64_t a = addr + done;
      const std::uint64_t b = et.beat_bytes;
      extra += ((a + n - 1) / b - a / b + 1) - (n + b - 1) / b;
    }
    if (extra > 0) t += cycles(extra);
    if (cmd == tlm::TLM_WRITE_COMMAND && m_owner.on_job_end)
      m_owner.m_job_writes.emplace_back(addr + done, std::vector<unsigned char>(data + done, data + done + n));
    done += n;
    m_owner.m_dma_bytes += n;
  }
  return true;
}

// --- accelerator ----------------------------------------------------------------------------

void accelerator::set_dma_regions(const std::vector<region>& regions) {
  m_regions = regions;
  m_mapped = [this](std::uint64_t addr, std::uint64_t len) {
    for (const region& r : m_regions)
      if (addr >= r.base && addr - r.base < r.size && len <= r.size - (addr - r.base)) return true;
    return false;
  };
}

accelerator::job_summary accelerator::last_job() const {
  job_summary s;
  s.starts = m_starts;
  s.err = m_job_error;
  s.err_desc = m_job_error_desc;
  s.err_addr = m_job_error_addr;
  s.descriptors = m_job_descriptors;
  s.cycles = m_job_cycles;
  s.ops = m_job_ops;
  return s;
}

accelerator::accelerator(const sc_core::sc_module_name& name, const instance& inst, std::uint8_t kind_code,
                         std::uint8_t version)
    : device(name, inst),
      id(this, "ID", regs::id, id_prefix | (static_cast<std::uint32_t>(kind_code) << 8) | version,
         core::access::ro) {
  // The contract's registers are declared by now, the kind's not yet (they sit at 0x40 and up).
  m_contract_registers = registers().size();
  SC_HAS_PROCESS(accelerator);
  SC_METHOD(on_done_event);
  sensitive << m_done;
  dont_initialize();

  ctrl.on_write([this](std::uint32_t v) {
    const sc_core::sc_time t = access_time();
    complete_if_due(t);
    ctrl.set(v & ctrl_bits::irq_en);  // START and RESET read as 0
    if ((v & ctrl_bits::reset) != 0) {
      reset();
      ctrl.set(v & ctrl_bits::irq_en);
      return;
    }
    if ((v & ctrl_bits::start) != 0) start(t);
    update_irq();
  });
  status.on_read([this] {
    complete_if_due(access_time());
    return status.get() | (m_busy ? status_bits::busy : 0u);
  });
  status.on_write([this](std::uint32_t v) {
    complete_if_due(access_time());
    std::uint32_t s = status.get() & ~(v & (status_bits::done | status_bits::error));
    if ((s & status_bits::error) == 0) s &= ~0xFF00u;  // the code goes with the flag
    status.set(s);
    update_irq();
  });
  desc.on_write([this](std::uint32_t v) { desc.set(v); });
  const auto counter_read = [this](const std::uint64_t& value, std::uint32_t& latch) {
    complete_if_due(access_time());
    latch = static_cast<std::uint32_t>(value >> 32);
    return static_cast<std::uint32_t>(value);
  };
  cycles_lo.on_read([this, counter_read] { return counter_read(m_cycles, m_cycles_hi_latch); });
  cycles_hi.on_read([this] { return m_cycles_hi_latch; });
  ops_lo.on_read([this, counter_read] { return counter_read(m_ops_visible, m_ops_hi_latch); });
  ops_hi.on_read([this] { return m_ops_hi_latch; });
  jobs_reg.on_read([this] {
    complete_if_due(access_time());
    return static_cast<std::uint32_t>(m_jobs);
  });
  for (core::reg<std::uint32_t>* r : {&err_desc, &err_addr}) {
    r->on_read([this, r] {
      complete_if_due(access_time());
      return r->get();
    });
  }

  power().set_operations(&m_ops);
}

void accelerator::start(const sc_core::sc_time& at) {
  if (m_busy || m_in_chain) {
    // The running job continues; the refused START is reported at once.
    ++m_errors;
    status.set((status.get() & ~0xFF00u) | status_bits::error |
               (static_cast<std::uint32_t>(error::busy) << 8));
    err_desc.set(desc.get());
    err_addr.set(0);
    return;
  }
  status.set(status.get() & ~(status_bits::done | status_bits::error | 0xFF00u));
  ++m_starts;
  show_job(true, m_starts);
  m_job_writes.clear();
  m_busy = true;
  m_start_time = at;
  m_job_error = error::none;
  m_job_error_desc = 0;
  m_job_error_addr = 0;
  m_job_descriptors = 0;
  m_ops_pending = 0;
  m_work = 0;
  m_dma_blocks = 0;
  m_end = sc_core::sc_max_time();  // busy for any register read during the chain
  struct chain_guard {
    bool& flag;
    ~chain_guard() { flag = false; }
  } guard{m_in_chain};
  m_in_chain = true;

  sc_core::sc_time t = at;
  std::uint64_t next = desc.get();
  std::size_t count = 0;
  while (next != 0) {
    if (++count > max_chain) {
      m_job_error = error::chain;
      m_job_error_desc = next;
      break;
    }
    job j(*this);
    j.m_addr = next;
    // Header first (opcode, next), then the rest of the kind's descriptor.
    std::uint32_t header[2] = {0, 0};
    if (j.check_buffer(next, sizeof(header), 4) && j.read(next, header, sizeof(header), t)) {
      const unsigned words = descriptor_words(static_cast<std::uint8_t>(header[0] & 0xFFu));
      if (words < 2 || words > max_descriptor_words) {
        t += j.cycles(m_dma_timing.dispatch);  // the decode that finds the opcode unknown
        j.fail(error::opcode);
      } else {
        j.m_words.assign(words, 0);
        j.m_words[0] = header[0];
        j.m_words[1] = header[1];
        if (words > 2 && j.check_buffer(next + 8, 4ull * (words - 2), 4))
          j.read(next + 8, j.m_words.data() + 2, 4ull * (words - 2), t);
      }
    }
    if (!j.failed()) {
      t += j.cycles(m_dma_timing.dispatch);
      j.m_start = t;
      const sc_core::sc_time end = execute(j);
      t = std::max(end, t);
    }
    if (j.failed()) {
      m_job_error = j.m_error;
      m_job_error_desc = next;
      m_job_error_addr = j.m_error_addr;
      break;
    }
    ++m_job_descriptors;
    next = header[1];
  }
  m_end = t;
  // The job's totals are those of its plan, at the clock it was planned with (a DVFS switch during
  // the job does not re-plan it); a soft reset may abandon it, the report still counts it.
  const core::clock* c = clock_source();
  const double hz = c != nullptr ? c->hz() : 100e6;
  m_job_cycles = static_cast<std::uint64_t>((m_end - m_start_time).to_seconds() * hz + 0.5);
  m_total_cycles += m_job_cycles;
  m_job_ops = m_ops_pending;
  m_total_jobs += m_job_descriptors;
  m_busy_time += m_end - m_start_time;
  const sc_core::sc_time now = sc_core::sc_time_stamp();
  m_done.cancel();
  m_done.notify(m_end > now ? m_end - now : sc_core::SC_ZERO_TIME);
}

void accelerator::complete_if_due(const sc_core::sc_time& t) {
  if (m_busy && t >= m_end) complete();
}

void accelerator::complete() {
  m_busy = false;
  show_job(false, m_starts);
  m_done.cancel();
  m_cycles += m_job_cycles;
  m_ops_visible += m_ops_pending;
  m_ops_pending = 0;
  m_jobs += m_job_descriptors;
  std::uint32_t s = status.get() | status_bits::done;
  if (m_job_error != error::none) {
    ++m_errors;
    s = (s & ~0xFF00u) | status_bits::error | (static_cast<std::uint32_t>(m_job_error) << 8);
    err_desc.set(static_cast<std::uint32_t>(m_job_error_desc));
    err_addr.set(static_cast<std::uint32_t>(m_job_error_addr));
  }
  status.set(s);
  if (on_job_end) {
    job_record rec;
    rec.summary = last_job();
    rec.end = m_end;
    rec.writes = std::move(m_job_writes);
    m_job_writes.clear();
    on_job_end(rec);
  }
  update_irq();
}

void accelerator::on_done_event() {
  complete_if_due(sc_core::sc_time_stamp());
}

void accelerator::update_irq() {
  const bool pending = (status.get() & (status_bits::done | status_bits::error)) != 0;
  irq.set((ctrl.get() & ctrl_bits::irq_en) != 0 && pending);
}

void accelerator::reset_state() {
  // Abandons a job in flight (its results may already be in memory: see the header).
  m_busy = false;
  m_done.cancel();
  m_job_error = error::none;
  m_ops_pending = 0;
  m_cycles = 0;
  m_ops_visible = 0;
  m_jobs = 0;
  m_cycles_hi_latch = 0;
  m_ops_hi_latch = 0;
  reset_kind();
  irq.set(false);
}

void accelerator::power_changed(core::power::state from, core::power::state to) {
  core::peripheral::power_changed(from, to);
  if (to == core::power::state::off) power_lost();
}

}  // namespace edgevp::accel

#include "models/accelerators/cgra/cgra.h"

#include <algorithm>
#include <cctype>
#include <memory>

#include "models/core/errors.h"

namespace edgevp::accel::cgra {

namespace {

// --- energy (docs/models/cgra.md, "Energy") ------------------------------------------------------
// Blocks publishes ratios between architectures, not absolute energies (CALIBRATION.md: U). The
// memories use CALIBRATION.md's SRAM figures. The parameters marked "fit" are what
// tools/cgra/calibrate.py finds, within the bounds it states, for the shipped kernels' four
// mappings (firmware/apps/cgra_kernels) to come closest to the published ratios (SIMD 1.84x, VLIW
// 2.05x, conventional CGRA 1.22x) with one set of values for both kernels; bench/cgra.sh prints
// how closely they come back. The rest are U.
constexpr double sram_read_bit = 0.045e-12;
constexpr double sram_write_bit = 0.10e-12;
constexpr double e_fetch = 32 * sram_read_bit;  // fit: at its floor, the 32-bit instruction read
constexpr double e_ctrl_hop = 0.087e-12;        // fit: decoded control, one hop of the control network
constexpr double e_data_hop = 0.115e-12;        // fit: a 32-bit word, one hop of the data network
constexpr double e_alu_op = 0.05e-12;           // fit: at its floor
constexpr double e_mul_op = 1.0e-12;            // U
constexpr double e_lsu_op = 0.2e-12;            // U: address generation (the access is charged apart)
constexpr double e_rf_read = 0.135e-12;         // fit: a 32-bit register read (8-entry file)
constexpr double e_rf_write = 0.216e-12;        // fit
constexpr double e_imm_op = 0.05e-12;           // U
constexpr double e_dot8_op = 3.0e-12;           // fit: at its ceiling, 4 int8 MACs and the accumulation
constexpr double e_abu_op = 0.1e-12;            // U
constexpr double e_unit_cycle = 0.268e-12;      // fit: a powered unit's clock and leakage, per cycle
constexpr double e_config_bit = sram_write_bit;            // a configuration bit written
constexpr double leakage = 2e-6;                           // W: U, as the other kinds

std::uint64_t ceil_div(std::uint64_t a, std::uint64_t b) {
  return (a + b - 1) / b;
}

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

std::vector<std::pair<std::string, std::uint32_t>> constants() {
  std::vector<std::pair<std::string, std::uint32_t>> c = {
      {"OP_CONFIG", opcode::config}, {"OP_COPY", opcode::copy},       {"OP_RUN", opcode::run},
      {"DESC_WORDS", desc_words},    {"CONFIG_BACKGROUND", flag_background << 8},
      {"COPY_TO_SOC", flag_to_soc << 8}, {"IMAGE_MAGIC", image_magic},
  };
  for (unsigned i = 1; i < config_cause_count; ++i)
    c.emplace_back("CONFIG_" + upper(config_cause_name(static_cast<config_cause>(i))), i);
  for (unsigned i = 1; i < fault_count; ++i) c.emplace_back("CAUSE_" + upper(fault_name(static_cast<fault>(i))), i);
  return c;
}

cgra::cgra(const sc_core::sc_module_name& name, const instance& inst, fabric f)
    : accelerator(name, inst, code),
      units_reg(this, "UNITS", regs::units, 0, core::access::ro),
      decoders_reg(this, "DECODERS", regs::decoders, 0, core::access::ro),
      imem_insns_reg(this, "IMEM_INSNS", regs::imem_insns, 0, core::access::ro),
      mem_bytes_reg(this, "MEM_BYTES", regs::mem_bytes, 0, core::access::ro),
      banks_reg(this, "BANKS", regs::banks, 0, core::access::ro),
      max_cycles_reg(this, "MAX_CYCLES", regs::max_cycles, 0, core::access::rw),
      fault_pc(this, "FAULT_PC", regs::fault_pc, 0, core::access::ro),
      fault_cause(this, "FAULT_CAUSE", regs::fault_cause, 0, core::access::ro),
      fault_unit(this, "FAULT_UNIT", regs::fault_unit, 0, core::access::ro),
      config_cause_reg(this, "CONFIG_CAUSE", regs::config_cause, 0, core::access::ro),
      run_cycles(this, "RUN_CYCLES", regs::run_cycles, 0, core::access::ro),
      stalls_reg(this, "STALLS", regs::stalls, 0, core::access::ro),
      config_bits_reg(this, "CONFIG_BITS", regs::config_bits, 0, core::access::ro),
      m_array(std::move(f)),
      m_max_cycles(inst.integer("max_cycles")) {
  if (inst.size < regs::config_bits + 4)
    throw core::config_error(inst.name + ".size must cover its registers (at least 0x74 bytes)");
  const fabric& d = m_array.desc();
  units_reg.on_read([&d] { return static_cast<std::uint32_t>(d.units.size()); });
  decoders_reg.on_read([&d] { return static_cast<std::uint32_t>(d.decoders.size()); });
  imem_insns_reg.on_read([&d] { return d.imem; });
  mem_bytes_reg.on_read([&d] { return static_cast<std::uint32_t>(d.mem_bytes()); });
  banks_reg.on_read([&d] { return d.banks; });
  config_bits_reg.on_read([this] {
    return static_cast<std::uint32_t>(std::min<std::uint64_t>(m_array.count().config_bits, 0xFFFFFFFFu));
  });
  add_power_sources(inst);
}

void cgra::add_power_sources(const instance& inst) {
  const counters& c = m_array.count();
  const auto ops = [&c](unit_type t) { return &c.ops[static_cast<unsigned>(t)]; };
  core::power::component& p = power();
  p.add_event("fetch", inst.power_source("fetch", e_fetch), {&c.fetches});
  p.add_event("ctrl_hop", inst.power_source("ctrl_hop", e_ctrl_hop), {&c.ctrl_hops});
  p.add_event("data_hop", inst.power_source("data_hop", e_data_hop), {&c.data_hops});
  p.add_event("alu_op", inst.power_source("alu_op", e_alu_op), {ops(unit_type::alu)});
  p.add_event("mul_op", inst.power_source("mul_op", e_mul_op), {ops(unit_type::mul)});
  p.add_event("lsu_op", inst.power_source("lsu_op", e_lsu_op), {ops(unit_type::lsu)});
  p.add_event("rf_read", inst.power_source("rf_read", e_rf_read), {&c.rf_reads});
  p.add_event("rf_write", inst.power_source("rf_write", e_rf_write), {&c.rf_writes});
  p.add_event("imm_op", inst.power_source("imm_op", e_imm_op), {ops(unit_type::imm)});
  p.add_event("dot8_op", inst.power_source("dot8_op", e_dot8_op), {ops(unit_type::dot8)});
  p.add_event("abu_op", inst.power_source("abu_op", e_abu_op), {ops(unit_type::abu)});
  p.add_event("mem_read_bit", inst.power_source("mem_read_bit", sram_read_bit),
              {&c.mem_read_bits, &m_copy_count.mem_read_bits});
  p.add_event("mem_write_bit", inst.power_source("mem_write_bit", sram_write_bit),
              {&c.mem_write_bits, &m_copy_count.mem_write_bits});
  p.add_event("unit_cycle", inst.power_source("unit_cycle", e_unit_cycle), {&c.unit_cycles});
  p.add_event("config_bit", inst.power_source("config_bit", e_config_bit), {&c.config_bits});
}

std::vector<std::pair<std::string, double>> cgra::report() const {
  const counters& c = m_array.count();
  const auto d = [](std::uint64_t v) { return static_cast<double>(v); };
  return {{"units", d(m_array.desc().units.size())}, {"decoders", d(m_array.desc().decoders.size())},
          {"configs", d(m_configs)},  {"refusals", d(m_refusals)},
          {"runs", d(m_runs)},        {"faults", d(m_faults)},
          {"cycles", d(c.cycles)},    {"stalls", d(c.stalls)},
          {"fetches", d(c.fetches)},  {"macs", d(c.macs)},
          {"data_hops", d(c.data_hops)}, {"ctrl_hops", d(c.ctrl_hops)},
          {"rf_reads", d(c.rf_reads)}, {"rf_writes", d(c.rf_writes)},
          {"unit_cycles", d(c.unit_cycles)}, {"config_bits", d(c.config_bits)}};
}

unsigned cgra::descriptor_words(std::uint8_t op) const {
  return op >= opcode::config && op <= opcode::run ? desc_words : 0;
}

sc_core::sc_time cgra::execute(job& j) {
  switch (j.opcode()) {
    case opcode::config: return configure(j);
    case opcode::copy: return copy(j);
    default: return run(j);
  }
}

sc_core::sc_time cgra::configure(job& j) {
  const std::uint32_t addr = j.word(2), bytes = j.word(3);
  if ((j.flags() & ~flag_background) != 0 || j.word(4) != 0 || j.word(5) != 0) {
    j.fail(error::param);
    return j.start();
  }
  // An image holds its header and an END record at least (checking it is linear in its size).
  if (bytes % 4 != 0 || bytes < 4 * (image_header_words + 1) || bytes > max_image_bytes) {
    j.fail(error::shape);
    return j.start();
  }
  if (!j.check_buffer(addr, bytes, 4) || !j.charge(bytes)) return j.start();
  // BACKGROUND: loads while the RUN just before runs (after any BACKGROUND load before it: one
  // configuration port); otherwise, or after a COPY or a foreground CONFIG, when its turn comes.
  const bool overlap = (j.flags() & flag_background) != 0 && m_last_run.open && m_last_run.start_id == last_job().starts;
  if (!overlap) m_last_run.open = false;
  sc_core::sc_time t = overlap ? m_last_run.port_free : j.start();
  const sc_core::sc_time from = t;
  std::vector<std::uint32_t> image(bytes / 4);
  if (!j.read(addr, image.data(), bytes, t)) return std::max(t, j.start());
  const in_use busy = overlap ? m_array.users(m_last_run.groups) : in_use{};
  const config_result r = m_array.configure(image, overlap ? &busy : nullptr);
  ++m_configs;
  const sc_core::sc_time loaded = std::max(t, from + j.cycles(image.size()));
  if (overlap) m_last_run.port_free = loaded;
  const sc_core::sc_time end = std::max(loaded, j.start());
  if (r.cause != config_cause::none) {
    ++m_refusals;
    config_cause_reg = static_cast<std::uint32_t>(r.cause);
    j.fail(error::config, addr + r.offset);
  }
  return end;
}

sc_core::sc_time cgra::copy(job& j) {
  const std::uint32_t soc = j.word(2), local = j.word(3), bytes = j.word(4);
  if ((j.flags() & ~flag_to_soc) != 0 || j.word(5) != 0) {
    j.fail(error::param);
    return j.start();
  }
  std::vector<std::uint8_t>& mem = m_array.mem();
  if (bytes == 0 || bytes % 4 != 0 || local % 4 != 0 || std::uint64_t{local} + bytes > mem.size()) {
    j.fail(error::shape);
    return j.start();
  }
  if (!j.check_buffer(soc, bytes) || !j.charge(bytes)) return j.start();
  m_last_run.open = false;  // a BACKGROUND CONFIG after this does not overlap the RUN before it
  sc_core::sc_time t = j.start();
  if ((j.flags() & flag_to_soc) != 0) {
    m_copy_count.mem_read_bits += std::uint64_t{bytes} * 8;
    j.write(soc, mem.data() + local, bytes, t);
  } else {
    if (!j.read(soc, mem.data() + local, bytes, t)) return t;
    m_copy_count.mem_write_bits += std::uint64_t{bytes} * 8;
  }
  // One 32-bit word a cycle into each bank: the banks fill in parallel.
  return std::max(t, j.start() + j.cycles(ceil_div(bytes / 4, m_array.desc().banks)));
}

sc_core::sc_time cgra::run(job& j) {
  const std::uint32_t groups = j.word(2);
  if (j.flags() != 0 || j.word(3) != 0 || j.word(4) != 0 || j.word(5) != 0) {
    j.fail(error::param);
    return j.start();
  }
  // The kernel's cycles are the work: at most what the START has left (error CHAIN past it).
  const std::uint64_t budget = max_cycles_reg.get() != 0 ? max_cycles_reg.get() : m_max_cycles;
  const std::uint64_t limit = std::min(budget, j.work_left());
  if (limit == 0) {
    j.charge(1);
    return j.start();
  }
  const std::uint64_t macs = m_array.count().macs;
  const run_result r = m_array.run(groups, limit);
  ++m_runs;
  count_ops(2 * (m_array.count().macs - macs));
  run_cycles = static_cast<std::uint32_t>(std::min<std::uint64_t>(r.cycles, 0xFFFFFFFFu));
  stalls_reg = static_cast<std::uint32_t>(std::min<std::uint64_t>(r.stalls, 0xFFFFFFFFu));
  const sc_core::sc_time end = j.start() + j.cycles(r.cycles);
  m_last_run = {last_job().starts, true, groups, j.start(), end, j.start()};
  if (!j.charge(r.cycles)) return end;
  if (r.how == run_result::end::timeout && limit < budget) {
    j.fail(error::chain);
    return end;
  }
  switch (r.how) {
    case run_result::end::halt: break;
    case run_result::end::refused:
      ++m_refusals;
      config_cause_reg = static_cast<std::uint32_t>(r.refused);
      fault_unit = r.unit;
      j.fail(error::config);
      break;
    case run_result::end::timeout:
      fault_pc = r.pc;
      fault_cause = 0;
      j.fail(error::timeout, r.pc);
      break;
    case run_result::end::fault:
      ++m_faults;
      fault_pc = r.pc;
      fault_cause = static_cast<std::uint32_t>(r.cause);
      fault_unit = r.unit;
      j.fail(error::program, r.pc);
      break;
  }
  return end;
}

void cgra::reset_kind() {
  m_array.reset();
}

void cgra::power_lost() {
  m_array.clear();  // configuration memories and banks are SRAM
}

kind_info kind() {
  kind_info k;
  k.name = "cgra";
  k.code = cgra::code;
  k.summary =
      "coarse-grained reconfigurable array (Blocks-like): decoders bound per kernel to function units "
      "(SIMD, VLIW), circuit-switched data and control networks, partial reconfiguration";
  using ps = param_spec;
  k.keys = {
      ps::path("fabric", "", "fabric description (JSON, docs/models/cgra.md); empty: the built-in fabric"),
      ps::integer("max_cycles", 10000000, 1, 0xFFFFFFFFull, "cycle budget of a RUN (the reset value of MAX_CYCLES)",
                  "cycles"),
  };
  k.power = {
      ps::energy("fetch", e_fetch, "energy per instruction fetched and decoded (a decoder, a cycle)")
          .computed_default("32 x 0.045 pJ/bit (fit to Blocks' ratios: tools/cgra/calibrate.py)"),
      ps::energy("ctrl_hop", e_ctrl_hop, "energy per bound unit, cycle and control-network hop (fit)"),
      ps::energy("data_hop", e_data_hop, "energy per input read and data-network hop (fit)"),
      ps::energy("alu_op", e_alu_op, "energy per ALU operation (fit)"),
      ps::energy("mul_op", e_mul_op, "energy per multiplication (U)"),
      ps::energy("lsu_op", e_lsu_op, "energy per load-store operation, the access apart (U)"),
      ps::energy("rf_read", e_rf_read, "energy per register read (fit)"),
      ps::energy("rf_write", e_rf_write, "energy per register write (fit)"),
      ps::energy("imm_op", e_imm_op, "energy per immediate (U)"),
      ps::energy("dot8_op", e_dot8_op, "energy per dot-product unit operation (4 int8 MACs) (fit)"),
      ps::energy("abu_op", e_abu_op, "energy per branch / loop unit operation (U)"),
      ps::energy("mem_read_bit", sram_read_bit, "energy per local-memory bit read").computed_default("0.045 pJ/bit"),
      ps::energy("mem_write_bit", sram_write_bit, "energy per local-memory bit written").computed_default("0.10 pJ/bit"),
      ps::energy("unit_cycle", e_unit_cycle, "energy per powered unit and cycle of a RUN: clock and leakage (fit)"),
      ps::energy("config_bit", e_config_bit, "energy per configuration bit loaded").computed_default("0.10 pJ/bit"),
  };
  k.constants = constants();
  k.default_power = {1e-12, leakage, 0.0};
  k.make = [](const instance& inst) -> std::unique_ptr<device> {
    fabric f;
    try {
      f = load(inst.text("fabric"));
    } catch (const core::config_error& e) {
      throw core::config_error(inst.name + ".fabric: " + e.what());
    }
    return std::make_unique<cgra>(inst.name.c_str(), inst, std::move(f));
  };
  return k;
}

}  // namespace edgevp::accel::cgra

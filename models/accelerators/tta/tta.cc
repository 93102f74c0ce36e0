#include "models/accelerators/tta/tta.h"

#include <algorithm>
#include <limits>
#include <memory>

#include "models/core/errors.h"

namespace edgevp::accel::tta {

namespace {

// --- calibration (docs/models/tta.md, "Energy") -------------------------------------------------
// CALIBRATION.md: SRAM read 0.045 pJ/bit and write 0.10 pJ/bit (ZigZag, 32 KB): the instruction,
// data and parameter memories.
constexpr double sram_read_bit = 0.045e-12;
constexpr double sram_write_bit = 0.10e-12;
// U: BrainTTA publishes no breakdown; these are small against the memories and the MAC array.
constexpr double e_bus_bit = 0.01e-12;       // a bit on a transport bus (wires and sockets)
constexpr double e_rf_read_bit = 0.02e-12;   // a register-file bit read (latch-based RF)
constexpr double e_rf_write_bit = 0.03e-12;  // a register-file bit written
constexpr double e_alu_op = 0.1e-12;         // a 32-bit ALU operation
constexpr double e_mul_op = 1.0e-12;         // a 32 x 32 multiply
constexpr double e_vector_op = 1.0e-12;      // clearing or loading the 32 accumulators (the read is charged apart)
constexpr double e_vact_op = 10e-12;         // 32 lanes of requantisation / thresholding
constexpr double e_control_op = 0.1e-12;     // a jump, call, loop or halt
constexpr double leakage = 2e-6;             // W: U, as the other kinds (BrainTTA publishes no leakage)

// BrainTTA's peak figures (CALIBRATION.md): fJ per operation (2 per MAC) at 300 MHz, one vector
// MAC per cycle: 1024 binary, 512 ternary or 128 int8 MACs.
constexpr double published_clock = 300e6;
constexpr double fj_binary = 35e-15, fj_ternary = 67e-15, fj_int8 = 405e-15;

// What one cycle of the full-utilisation stream costs besides the MAC itself: the inner loop of
// tools/tta/examples and firmware/apps/*/ (one instruction, software-pipelined): its fetch, five
// 32-bit moves, two ALU additions (activation and weight addresses), a 32-bit data load, the
// 1024-bit weight read, and leakage at the published clock. The MAC operation's energy is the
// published total minus this: the one figure fitted, and the only one it could be fitted to.
double stream_overhead(unsigned insn_bits) {
  return insn_bits * sram_read_bit + 5 * 32 * e_bus_bit + 2 * e_alu_op + 32 * sram_read_bit +
         param_word_bytes * 8 * sram_read_bit + leakage / published_clock;
}
double mac_energy(double fj_per_op, unsigned macs) {
  static const unsigned bits = load("").insn_bits;
  return 2.0 * macs * fj_per_op - stream_overhead(bits);
}

std::uint64_t ceil_div(std::uint64_t a, std::uint64_t b) {
  return (a + b - 1) / b;
}

}  // namespace

std::vector<std::pair<std::string, std::uint32_t>> constants() {
  std::vector<std::pair<std::string, std::uint32_t>> c = {
      {"OP_PROGRAM", opcode::program},
      {"OP_COPY", opcode::copy},
      {"OP_RUN", opcode::run},
      {"DESC_WORDS", desc_words},
      {"COPY_TO_SOC", copy_flags::to_soc << 8},  // in descriptor word 0
      {"COPY_PMEM", copy_flags::pmem << 8},
      {"PROGRAM_W_SRC", word::program_src},
      {"PROGRAM_W_FIRST", word::program_first},
      {"PROGRAM_W_COUNT", word::program_count},
      {"COPY_W_SOC", word::copy_soc},
      {"COPY_W_LOCAL", word::copy_local},
      {"COPY_W_BYTES", word::copy_bytes},
      {"RUN_W_ENTRY", word::run_entry},
      {"RUN_W_ARGS", word::run_args},
      {"RUN_W_ARGS_BYTES", word::run_args_bytes},
      {"RUN_W_ARGS_DST", word::run_args_dst},
      {"PARAM_WORD_BYTES", param_word_bytes},
      {"LANES", vector_lanes},
  };
  for (unsigned f = 1; f < fault_count; ++f) {
    std::string n = fault_name(static_cast<fault>(f));
    for (char& ch : n) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    c.emplace_back("CAUSE_" + n, f);  // FAULT_CAUSE values (FAULT_PC is a register)
  }
  return c;
}

tta::tta(const sc_core::sc_module_name& name, const instance& inst, machine m)
    : accelerator(name, inst, code),
      imem_insns_reg(this, "IMEM_INSNS", regs::imem_insns, 0, core::access::ro),
      insn_bytes_reg(this, "INSN_BYTES", regs::insn_bytes, 0, core::access::ro),
      dmem_bytes_reg(this, "DMEM_BYTES", regs::dmem_bytes, 0, core::access::ro),
      pmem_bytes_reg(this, "PMEM_BYTES", regs::pmem_bytes, 0, core::access::ro),
      max_cycles_reg(this, "MAX_CYCLES", regs::max_cycles, 0, core::access::rw),
      fault_pc(this, "FAULT_PC", regs::fault_pc, 0, core::access::ro),
      fault_cause(this, "FAULT_CAUSE", regs::fault_cause, 0, core::access::ro),
      result(this, "RESULT", regs::result, 0, core::access::ro),
      run_cycles(this, "RUN_CYCLES", regs::run_cycles, 0, core::access::ro),
      insns_lo(this, "INSNS_LO", regs::insns_lo, 0, core::access::ro),
      insns_hi(this, "INSNS_HI", regs::insns_hi, 0, core::access::ro),
      moves_lo(this, "MOVES_LO", regs::moves_lo, 0, core::access::ro),
      moves_hi(this, "MOVES_HI", regs::moves_hi, 0, core::access::ro),
      m_proc(std::move(m)),
      m_max_cycles(inst.integer("max_cycles")) {
  if (inst.size < regs::moves_hi + 4)
    throw core::config_error(inst.name + ".size must cover its registers (at least 0x74 bytes)");
  const machine& d = m_proc.desc();
  imem_insns_reg.on_read([&d] { return d.imem_insns; });
  insn_bytes_reg.on_read([&d] { return d.insn_bytes(); });
  dmem_bytes_reg.on_read([&d] { return static_cast<std::uint32_t>(d.dmem_bytes); });
  pmem_bytes_reg.on_read([&d] { return static_cast<std::uint32_t>(d.pmem_bytes); });
  insns_lo.on_read([this] {
    m_insns_hi_latch = static_cast<std::uint32_t>(m_proc.count().insns >> 32);
    return static_cast<std::uint32_t>(m_proc.count().insns);
  });
  insns_hi.on_read([this] { return m_insns_hi_latch; });
  moves_lo.on_read([this] {
    m_moves_hi_latch = static_cast<std::uint32_t>(m_proc.count().moves >> 32);
    return static_cast<std::uint32_t>(m_proc.count().moves);
  });
  moves_hi.on_read([this] { return m_moves_hi_latch; });
  add_power_sources(inst);
}

void tta::add_power_sources(const instance& inst) {
  const counters& c = m_proc.count();
  const auto cls = [&c](op_class k) { return &c.ops[static_cast<unsigned>(k)]; };
  core::power::component& p = power();
  p.add_event("fetch_bit", inst.power_source("fetch_bit", sram_read_bit), {&c.fetch_bits});
  p.add_event("bus_bit", inst.power_source("bus_bit", e_bus_bit), {&c.bus_bits});
  p.add_event("rf_read_bit", inst.power_source("rf_read_bit", e_rf_read_bit), {&c.rf_read_bits});
  p.add_event("rf_write_bit", inst.power_source("rf_write_bit", e_rf_write_bit), {&c.rf_write_bits});
  p.add_event("alu_op", inst.power_source("alu_op", e_alu_op), {cls(op_class::alu)});
  p.add_event("mul_op", inst.power_source("mul_op", e_mul_op), {cls(op_class::mul)});
  p.add_event("vector_op", inst.power_source("vector_op", e_vector_op), {cls(op_class::vclear), cls(op_class::vload)});
  p.add_event("mac8_op", inst.power_source("mac8_op", mac_energy(fj_int8, 128)), {cls(op_class::mac8)});
  p.add_event("mact_op", inst.power_source("mact_op", mac_energy(fj_ternary, 512)), {cls(op_class::mact)});
  p.add_event("macb_op", inst.power_source("macb_op", mac_energy(fj_binary, 1024)), {cls(op_class::macb)});
  p.add_event("vact_op", inst.power_source("vact_op", e_vact_op), {cls(op_class::vact)});
  p.add_event("control_op", inst.power_source("control_op", e_control_op), {cls(op_class::control)});
  p.add_event("dmem_read_bit", inst.power_source("dmem_read_bit", sram_read_bit), {&c.dmem_read_bits, &m_copy_count.dmem_read_bits});
  p.add_event("dmem_write_bit", inst.power_source("dmem_write_bit", sram_write_bit), {&c.dmem_write_bits, &m_copy_count.dmem_write_bits});
  p.add_event("pmem_read_bit", inst.power_source("pmem_read_bit", sram_read_bit), {&c.pmem_read_bits, &m_copy_count.pmem_read_bits});
  p.add_event("pmem_write_bit", inst.power_source("pmem_write_bit", sram_write_bit), {&c.pmem_write_bits, &m_copy_count.pmem_write_bits});
  p.add_event("imem_write_bit", inst.power_source("imem_write_bit", sram_write_bit), {&m_program_bits});
}

std::vector<std::pair<std::string, double>> tta::report() const {
  const counters& c = m_proc.count();
  const machine& d = m_proc.desc();
  const auto cls = [&c](op_class k) { return static_cast<double>(c.ops[static_cast<unsigned>(k)]); };
  return {{"buses", static_cast<double>(d.buses.size())},
          {"units", static_cast<double>(d.units.size())},
          {"insn_bits", static_cast<double>(d.insn_bits)},
          {"runs", static_cast<double>(m_runs)},
          {"faults", static_cast<double>(m_faults)},
          {"timeouts", static_cast<double>(m_timeouts)},
          {"cycles", static_cast<double>(c.cycles)},
          {"insns", static_cast<double>(c.insns)},
          {"moves", static_cast<double>(c.moves)},
          {"squashed", static_cast<double>(c.squashed)},
          {"macs", static_cast<double>(c.macs)},
          {"mac8_ops", cls(op_class::mac8)},
          {"mact_ops", cls(op_class::mact)},
          {"macb_ops", cls(op_class::macb)},
          {"alu_ops", cls(op_class::alu) + cls(op_class::mul)},
          {"loads", cls(op_class::load)},
          {"stores", cls(op_class::store)},
          {"vact_ops", cls(op_class::vact)}};
}

unsigned tta::descriptor_words(std::uint8_t op) const {
  return op >= opcode::program && op <= opcode::run ? desc_words : 0;
}

sc_core::sc_time tta::execute(job& j) {
  switch (j.opcode()) {
    case opcode::program: return program(j);
    case opcode::copy: return copy(j);
    default: return run(j);
  }
}

sc_core::sc_time tta::program(job& j) {
  const std::uint32_t src = j.word(word::program_src), first = j.word(word::program_first),
                      n = j.word(word::program_count);
  const machine& d = m_proc.desc();
  if (j.flags() != 0 || j.word(word::reserved) != 0) {
    j.fail(error::param);
    return j.start();
  }
  if (n == 0 || std::uint64_t{first} + n > d.imem_insns) {
    j.fail(error::shape);
    return j.start();
  }
  const std::uint64_t bytes = std::uint64_t{n} * d.insn_bytes();
  if (!j.check_buffer(src, bytes, 8) || !j.charge(n)) return j.start();
  std::vector<std::uint8_t> image(bytes);
  sc_core::sc_time t = j.start();
  if (!j.read(src, image.data(), bytes, t)) return t;
  m_proc.load_program(first, image.data(), n);
  m_program_bits += std::uint64_t{n} * d.insn_bits;
  return std::max(t, j.start() + j.cycles(n));  // an instruction per cycle into the memory
}

sc_core::sc_time tta::copy(job& j) {
  const std::uint32_t fl = j.flags(), soc = j.word(word::copy_soc), local = j.word(word::copy_local),
                      bytes = j.word(word::copy_bytes);
  if ((fl & ~copy_flags::all) != 0 || j.word(word::reserved) != 0) {
    j.fail(error::param);
    return j.start();
  }
  const bool pmem = (fl & copy_flags::pmem) != 0, to_soc = (fl & copy_flags::to_soc) != 0;
  std::vector<std::uint8_t>& mem = pmem ? m_proc.pmem() : m_proc.dmem();
  if (bytes == 0 || std::uint64_t{local} + bytes > mem.size()) {
    j.fail(error::shape);
    return j.start();
  }
  if (!j.check_buffer(soc, bytes) || !j.charge(bytes)) return j.start();
  sc_core::sc_time t = j.start();
  counters& c = m_copy_count;
  if (to_soc) {
    (pmem ? c.pmem_read_bits : c.dmem_read_bits) += std::uint64_t{bytes} * 8;
    j.write(soc, mem.data() + local, bytes, t);
  } else {
    if (!j.read(soc, mem.data() + local, bytes, t)) return t;
    (pmem ? c.pmem_write_bits : c.dmem_write_bits) += std::uint64_t{bytes} * 8;
  }
  // The memory's port: a 32-bit word (data) or a 1024-bit word (parameters) per cycle.
  return std::max(t, j.start() + j.cycles(ceil_div(bytes, pmem ? param_word_bytes : 4)));
}

sc_core::sc_time tta::run(job& j) {
  const std::uint32_t entry = j.word(word::run_entry), args = j.word(word::run_args),
                      args_bytes = j.word(word::run_args_bytes), args_dst = j.word(word::run_args_dst);
  if (j.flags() != 0 || (args == 0 && args_bytes != 0)) {
    j.fail(error::param);
    return j.start();
  }
  sc_core::sc_time t = j.start();
  if (args_bytes != 0) {
    if (std::uint64_t{args_dst} + args_bytes > m_proc.dmem().size()) {
      j.fail(error::shape);
      return t;
    }
    if (!j.check_buffer(args, args_bytes) || !j.charge(args_bytes)) return t;
    if (!j.read(args, m_proc.dmem().data() + args_dst, args_bytes, t)) return t;
    m_copy_count.dmem_write_bits += std::uint64_t{args_bytes} * 8;
    t = std::max(t, j.start() + j.cycles(ceil_div(args_bytes, 4)));
  }
  // The program's cycles are the work: at most what the START has left (error CHAIN past it).
  const std::uint64_t budget = max_cycles_reg.get() != 0 ? max_cycles_reg.get() : m_max_cycles;
  const std::uint64_t limit = std::min(budget, j.work_left());
  if (limit == 0) {
    j.charge(1);
    return t;
  }
  const std::uint64_t macs = m_proc.count().macs;
  const run_result r = m_proc.run(entry, limit);
  ++m_runs;
  count_ops(2 * (m_proc.count().macs - macs));
  run_cycles = static_cast<std::uint32_t>(std::min<std::uint64_t>(r.cycles, 0xFFFFFFFFu));
  t += j.cycles(r.cycles);
  if (!j.charge(r.cycles)) return t;
  if (r.how == run_result::end::timeout && limit < budget) {
    j.fail(error::chain);
    return t;
  }
  if (r.how == run_result::end::halt) {
    result = r.value;
    return t;
  }
  fault_pc = r.pc;
  fault_cause = static_cast<std::uint32_t>(r.cause);
  if (r.how == run_result::end::timeout) {
    ++m_timeouts;
    j.fail(error::timeout, r.pc);
  } else {
    ++m_faults;
    j.fail(error::program, r.pc);
  }
  return t;
}

void tta::reset_kind() {
  m_proc.reset();
}

void tta::power_lost() {
  // All three memories are SRAM: the program, data and parameters are gone.
  m_proc.clear();
}

kind_info kind() {
  kind_info k;
  k.name = "tta";
  k.code = tta::code;
  k.summary =
      "transport-triggered processor (BrainTTA-like): a program of moves between function units, "
      "binary / ternary / int8 vector MACs, machine described in JSON";
  using ps = param_spec;
  k.keys = {
      ps::path("machine", "", "machine description (JSON, docs/models/tta.md); empty: the built-in BrainTTA-like machine"),
      ps::integer("max_cycles", 10000000, 1, 0xFFFFFFFFull, "cycle budget of a RUN (the reset value of MAX_CYCLES)",
                  "cycles"),
  };
  const double e_mac8 = mac_energy(fj_int8, 128), e_mact = mac_energy(fj_ternary, 512),
               e_macb = mac_energy(fj_binary, 1024);
  k.power = {
      ps::energy("fetch_bit", sram_read_bit, "energy per instruction bit fetched (insn_bits per instruction)")
          .computed_default("SRAM read, 0.045 pJ/bit"),
      ps::energy("bus_bit", e_bus_bit, "energy per bit of a bus per move (U)"),
      ps::energy("rf_read_bit", e_rf_read_bit, "energy per register-file bit read (U)"),
      ps::energy("rf_write_bit", e_rf_write_bit, "energy per register-file bit written (U)"),
      ps::energy("alu_op", e_alu_op, "energy per ALU operation (U)"),
      ps::energy("mul_op", e_mul_op, "energy per multiplication (U)"),
      ps::energy("vector_op", e_vector_op, "energy per accumulator clear or load (U)"),
      ps::energy("mac8_op", e_mac8, "energy per int8 vector MAC operation (128 MACs)")
          .computed_default("BrainTTA 405 fJ/op x 256 ops - the stream's other costs per cycle"),
      ps::energy("mact_op", e_mact, "energy per ternary vector MAC operation (512 MACs)")
          .computed_default("BrainTTA 67 fJ/op x 1024 ops - the stream's other costs per cycle"),
      ps::energy("macb_op", e_macb, "energy per binary vector MAC operation (1024 MACs)")
          .computed_default("BrainTTA 35 fJ/op x 2048 ops - the stream's other costs per cycle"),
      ps::energy("vact_op", e_vact_op, "energy per vector activation (32 lanes) (U)"),
      ps::energy("control_op", e_control_op, "energy per jump, call, loop or halt (U)"),
      ps::energy("dmem_read_bit", sram_read_bit, "energy per data-memory bit read").computed_default("0.045 pJ/bit"),
      ps::energy("dmem_write_bit", sram_write_bit, "energy per data-memory bit written").computed_default("0.10 pJ/bit"),
      ps::energy("pmem_read_bit", sram_read_bit, "energy per parameter-memory bit read").computed_default("0.045 pJ/bit"),
      ps::energy("pmem_write_bit", sram_write_bit, "energy per parameter-memory bit written")
          .computed_default("0.10 pJ/bit"),
      ps::energy("imem_write_bit", sram_write_bit, "energy per instruction-memory bit written (PROGRAM)")
          .computed_default("0.10 pJ/bit"),
  };
  k.constants = constants();
  k.default_power = {1e-12, leakage, 0.0};
  k.make = [](const instance& inst) -> std::unique_ptr<device> {
    machine m;
    try {
      m = load(inst.text("machine"));
    } catch (const core::config_error& e) {
      throw core::config_error(inst.name + ".machine: " + e.what());
    }
    return std::make_unique<tta>(inst.name.c_str(), inst, std::move(m));
  };
  return k;
}

}  // namespace edgevp::accel::tta

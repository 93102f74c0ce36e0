#include "platform/soc.h"

#include "models/rtl/gpio_rtl.h"
#include "models/rtl/implementations.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <utility>

#include "models/accelerators/regs_header.h"
#include "models/core/errors.h"

namespace edgevp::platform {

namespace {

memory::memory_config mem_cfg(const block_config& b, sc_core::sc_time rd, sc_core::sc_time wr, bool ro,
                              const memory::memory_power& pw) {
  memory::memory_config m;
  m.size = b.size;
  m.read_latency = rd;
  m.write_latency = wr;
  m.read_only = ro;
  m.power = pw;
  return m;
}

cpu::cpu_config make_cpu_cfg(const soc_config& c) {
  cpu::cpu_config cc;
  cc.clock_period = sc_core::sc_time(1e12 / c.cpu_clock_hz, sc_core::SC_PS);
  cc.timing = c.cpu_timing;
  cc.isa = c.cpu_isa;
  cc.reset_pc = static_cast<std::uint32_t>(c.rom.base);
  cc.power = c.cpu_power;
  return cc;
}

const core::power::operating_point& reset_opp(const soc_config& c) { return c.pmu_cfg.opps[c.pmu_cfg.reset_opp]; }

// RV32I encoders for the boot stub.
constexpr std::uint32_t t0 = 5, t1 = 6, t2 = 7;
std::uint32_t hi20(std::uint32_t v) { return (v + 0x800) & 0xFFFFF000u; }
std::uint32_t lo12(std::uint32_t v) { return (v - hi20(v)) & 0xFFFu; }
std::uint32_t lui(std::uint32_t rd, std::uint32_t v) { return hi20(v) | (rd << 7) | 0x37u; }
std::uint32_t addi(std::uint32_t rd, std::uint32_t rs1, std::uint32_t imm) {
  return ((imm & 0xFFFu) << 20) | (rs1 << 15) | (rd << 7) | 0x13u;
}
std::uint32_t lw(std::uint32_t rd, std::uint32_t rs1, std::uint32_t imm) {
  return ((imm & 0xFFFu) << 20) | (rs1 << 15) | (2u << 12) | (rd << 7) | 0x03u;
}
std::uint32_t branch(std::uint32_t funct3, std::uint32_t rs1, std::uint32_t rs2, std::int32_t off) {
  const auto o = static_cast<std::uint32_t>(off);
  return (((o >> 12) & 1u) << 31) | (((o >> 5) & 0x3Fu) << 25) | (rs2 << 20) | (rs1 << 15) | (funct3 << 12) |
         (((o >> 1) & 0xFu) << 8) | (((o >> 11) & 1u) << 7) | 0x63u;
}
std::uint32_t jr(std::uint32_t rs1) { return (rs1 << 15) | 0x67u; }

// The boot ROM: after a deep-sleep wake-up (PMU WAKE_REASON != 0) with a valid resume slot in
// eMRAM, jump to the stored vector; otherwise to the image's entry point. a0 = mhartid either way.
std::vector<std::uint32_t> boot_stub(const soc_config& c, std::uint32_t entry) {
  const auto pmu_wake = static_cast<std::uint32_t>(c.pmu.base + 0x14);
  const auto slot = static_cast<std::uint32_t>(resume_slot(c));
  std::vector<std::uint32_t> w;
  w.push_back(0xF1402573u);                        // csrr a0, mhartid
  w.push_back(lui(t0, pmu_wake));                  // t0 = %hi(PMU.WAKE_REASON)
  w.push_back(lw(t1, t0, lo12(pmu_wake)));         // t1 = WAKE_REASON
  const std::size_t beqz_at = w.size();
  w.push_back(0);                                  // beqz t1, cold (patched)
  w.push_back(lui(t0, slot));
  w.push_back(addi(t0, t0, lo12(slot)));           // t0 = resume slot
  w.push_back(lw(t2, t0, 0));                      // t2 = magic
  w.push_back(lui(t1, resume_magic));
  w.push_back(addi(t1, t1, lo12(resume_magic)));   // t1 = expected magic
  const std::size_t bne_at = w.size();
  w.push_back(0);                                  // bne t2, t1, cold (patched)
  w.push_back(lw(t2, t0, 4));                      // t2 = vector
  w.push_back(jr(t2));
  const std::size_t cold = w.size();
  w.push_back(lui(t0, entry));
  w.push_back(addi(t0, t0, lo12(entry)));
  w.push_back(jr(t0));
  w[beqz_at] = branch(0, t1, 0, static_cast<std::int32_t>(4 * (cold - beqz_at)));
  w[bne_at] = branch(1, t2, t1, static_cast<std::int32_t>(4 * (cold - bne_at)));
  return w;
}

}  // namespace

namespace {
std::string upper(std::string n) {
  for (auto& ch : n) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return n;
}
}  // namespace

std::string rtl_vcd_path(const std::string& file, const std::string& block, std::size_t blocks) {
  if (blocks <= 1) return file;
  std::string base = file;
  if (base.size() > 4 && base.compare(base.size() - 4, 4, ".vcd") == 0) base.resize(base.size() - 4);
  return base + "." + block + ".vcd";
}

std::size_t rtl_block_count(const soc_config& c) {
  std::size_t n = 0;
  for (const core::block_instance& b : c.blocks) n += b.impl != "tlm" ? 1 : 0;
  for (const accel::instance& a : c.accels) n += a.impl != "tlm" ? 1 : 0;
  return n;
}

std::vector<accel::instance> default_accelerators() {
  std::vector<accel::instance> v;
  for (const char* n : {"cim0", "cim1", "snn0", "tta0", "cgra0"}) {
    accel::instance i;
    i.name = n;
    i.kind = default_kind(n);
    i.base = accel_window_base + accel_window_size * v.size();
    i.size = accel_window_size;
    i.irq = accel_first_irq + static_cast<unsigned>(v.size());
    i.power = accel::registry::builtin().find(i.kind)->default_power;
    v.push_back(std::move(i));
  }
  return v;
}

std::vector<core::block_instance> default_blocks() {
  std::vector<core::block_instance> v;
  for (const char* n : {"uart", "rtc", "gpio"}) v.push_back(rtl::blocks().defaults(n, n));
  return v;
}

std::string default_kind(const std::string& instance) {
  if (instance == "cim0") return "cim-digital";
  if (instance == "cim1") return "cim-analog";
  if (instance == "snn0") return "snn";
  if (instance == "tta0") return "tta";
  if (instance == "cgra0") return "cgra";
  return "";
}

std::vector<core::param_binding> bind_params(soc_config& s) {
  using ps = core::param_spec;
  const sc_core::sc_time zero = sc_core::SC_ZERO_TIME, ms(1, sc_core::SC_MS);
  std::vector<core::param_binding> b;
  auto add = [&b](std::vector<core::param_binding> more) {
    for (auto& x : more) b.push_back(std::move(x));
  };
  // The clock's period is a whole number of picoseconds (SystemC's time resolution): above 10 GHz
  // it would be rounded to a few of them.
  b.push_back(core::bind(ps::frequency("cpu.clock", 0, 1e3, 10e9, "CPU clock (the reset operating point's, unless pmu.opps is given)"),
                         s.cpu_clock_hz));
  add(core::prefixed("cpu.", cpu::bind_params(s.cpu_timing, s.cpu_power, s.cpu_isa)));
  add(core::prefixed("bus.", interconnect::bind_params(s.bus)));
  // The fixed parts of the map (docs/memory-map.md). Memories are allocated whole: 1 GiB at most.
  const struct {
    const char* name;
    const char* what;
    block_config* b;
    std::uint64_t min_size, max_size;
  } fixed[] = {{"rom", "boot ROM (the boot stub needs 64 bytes)", &s.rom, 64, 1ull << 30},
               {"clint", "CLINT", &s.clint, 4, 1ull << 24},
               {"intc", "interrupt controller", &s.intc, 4, 1ull << 24},
               {"syscon", "syscon", &s.syscon, 4, 1ull << 24},
               {"pmu", "power-management unit", &s.pmu, 4, 1ull << 24},
               {"emram", "eMRAM", &s.emram, 64, 1ull << 30},
               {"sram", "SRAM", &s.sram, 4, 1ull << 30}};
  for (const auto& f : fixed) {
    const std::string n = f.name;
    b.push_back(core::bind(ps::integer(n + ".base", 0, 0, 0xFFFFFFFFull, std::string(f.what) + ": base address"), f.b->base));
    b.push_back(core::bind(ps::integer(n + ".size", 0, f.min_size, f.max_size, std::string(f.what) + ": size", "bytes"),
                           f.b->size));
    b.push_back(core::bind(ps::time(n + ".latency", zero, zero, ms, std::string(f.what) + ": extra latency per access at the interconnect"),
                           f.b->latency));
  }
  b.push_back(core::bind(ps::time("peripheral.latency", zero, zero, ms, "register access latency of every peripheral"),
                         s.peripheral_latency));
  b.push_back(core::bind(ps::time("emram.read_latency", zero, zero, ms, "eMRAM read latency"), s.emram_read_latency));
  b.push_back(core::bind(ps::time("emram.write_latency", zero, zero, ms, "eMRAM write latency"), s.emram_write_latency));
  b.push_back(core::bind(ps::integer("emram.row_bytes", 0, 1, 1ull << 20, "eMRAM row size: write endurance is counted per row", "bytes"),
                         s.emram_row_bytes));
  b.push_back(core::bind(ps::integer("emram.endurance", 0, 1, ~std::uint64_t{0}, "eMRAM write cycles per row before a warning"),
                         s.emram_endurance));
  b.push_back(core::bind(ps::frequency("clint.timebase", 0, 1, 10e9, "mtime frequency"), s.clint_timebase_hz));
  b.push_back(core::bind(ps::integer("syscon.platform_id", 0, 0, 0xFFFFFFFFu, "value of the syscon ID register"), s.platform_id));
  b.push_back(core::bind(ps::frequency("aon.clock", 0, 1, 1e9, "clock of the always-on domain: the RTC's tick"), s.aon_clock_hz));
  b.push_back(core::bind(ps::voltage("aon.voltage", 0, 0.05, 5.0, "supply of the always-on domain"), s.aon_voltage));
  add(core::prefixed("pmu.", pmu::bind_params(s.pmu_cfg)));
  const struct {
    const char* n;
    memory::memory_power* p;
  } mems[] = {{"rom", &s.rom_power}, {"sram", &s.sram_power}, {"emram", &s.emram_power}};
  for (const auto& m : mems) add(core::prefixed(std::string(m.n) + ".", memory::bind_power(*m.p)));
  const struct {
    const char* n;
    core::peripheral_power* p;
  } pers[] = {{"clint", &s.clint_power}, {"intc", &s.intc_power}, {"syscon", &s.syscon_power}, {"pmu", &s.pmu_power}};
  for (const auto& p : pers) add(core::prefixed(std::string(p.n) + ".", core::bind_power(*p.p)));
  return b;
}

std::uint64_t resume_slot(const soc_config& cfg) { return cfg.emram.base + cfg.emram.size - resume_slot_size; }

soc_config resolve(const soc_config& in) {
  soc_config c = in;
  if (!(c.cpu_clock_hz > 0)) throw core::config_error("cpu.clock must be positive");
  if (!c.opps_given) {
    c.pmu_cfg.opps = {{0.8, c.cpu_clock_hz}, {0.6, c.cpu_clock_hz / 2}};
  }
  if (c.pmu_cfg.opps.empty()) throw core::config_error("pmu.opps: no operating points");
  if (c.pmu_cfg.reset_opp >= c.pmu_cfg.opps.size())
    throw core::config_error("pmu.reset_opp: " + std::to_string(c.pmu_cfg.reset_opp) + " is out of range (" +
                             std::to_string(c.pmu_cfg.opps.size()) + " operating points in pmu.opps)");
  if (c.opps_given) c.cpu_clock_hz = reset_opp(c).frequency_hz;
  if (!(c.aon_voltage > 0)) throw core::config_error("aon.voltage must be positive");
  // Interrupt sources: each peripheral that raises one and each accelerator, one source each.
  std::vector<std::pair<std::string, unsigned>> sources;
  for (const core::block_instance& b : c.blocks)
    if (b.irq != 0) sources.emplace_back(b.name, b.irq);
  for (accel::instance& a : c.accels) {
    a.reset_voltage = reset_opp(c).voltage;
    a.register_latency = c.peripheral_latency;
    sources.emplace_back(a.name, a.irq);
  }
  for (std::size_t i = 0; i < sources.size(); ++i) {
    const auto& [name, irq] = sources[i];
    if (irq == 0 || irq >= 32) throw core::config_error(name + ".irq must be 1..31");
    for (std::size_t k = 0; k < i; ++k)
      if (sources[k].second == irq)
        throw core::config_error(name + ".irq: source " + std::to_string(irq) + " is taken by " + sources[k].first);
  }
  return c;
}

soc::soc(const sc_core::sc_module_name& name, const soc_config& cfg, std::function<void(unsigned char)> uart_tx)
    : soc(name, resolve(cfg), std::move(uart_tx), resolved_tag{}) {}

soc::soc(const sc_core::sc_module_name& name, const soc_config& cfg, std::function<void(unsigned char)> uart_tx,
         resolved_tag /*tag*/)
    : sc_core::sc_module(name),
      clock(cfg.cpu_clock_hz),
      power(reset_opp(cfg)),
      bus("bus", cfg.bus),
      cpu("cpu", make_cpu_cfg(cfg)),
      rom("rom", [&] {
        auto m = mem_cfg(cfg.rom, sc_core::SC_ZERO_TIME, sc_core::SC_ZERO_TIME, true, cfg.rom_power);
        m.non_volatile = true;
        return m;
      }()),
      sram("sram", mem_cfg(cfg.sram, sc_core::SC_ZERO_TIME, sc_core::SC_ZERO_TIME, false, cfg.sram_power)),
      emram("emram", [&] {
        auto m = mem_cfg(cfg.emram, cfg.emram_read_latency, cfg.emram_write_latency, false, cfg.emram_power);
        m.non_volatile = true;
        m.dmi_write = false;  // writes pay their latency and energy, and wear the array
        return m;
      }()),
      clint("clint", peripherals::clint_config{cfg.clint_timebase_hz, cfg.peripheral_latency}),
      intc("intc", peripherals::intc_config{32, cfg.peripheral_latency}),
      syscon("syscon", peripherals::syscon_config{cfg.platform_id,
                                                  (0u << 16) | (1u << 8) | 0u, cfg.peripheral_latency}),
      m_cfg(cfg),
      m_debug("debug") {
  m_console = std::move(uart_tx);
  build_power();

  if (cfg.emram_row_bytes == 0 || cfg.emram.size % cfg.emram_row_bytes != 0)
    throw core::config_error("emram.row_bytes must divide emram.size");
  if (cfg.emram_endurance == 0) throw core::config_error("emram.endurance must be positive");
  emram_wear = std::make_unique<memory::wear_map>(cfg.emram.size / cfg.emram_row_bytes, cfg.emram_row_bytes,
                                                  cfg.emram_endurance);
  emram.on_write = [this](std::uint64_t offset, unsigned len) { emram_wear->record_write(offset, len); };
  emram_wear->on_worn_out = [this](const memory::wear_entry& row) {
    // One line per worn row, the first few only: the report lists the worst rows.
    if (emram_wear->over_endurance() <= 8)
      std::fprintf(stderr, "edgevp: warning: eMRAM row %llu (address 0x%08llx) passed its endurance of %llu writes\n",
                   static_cast<unsigned long long>(row.row),
                   static_cast<unsigned long long>(m_cfg.emram.base + row.offset),
                   static_cast<unsigned long long>(emram_wear->endurance()));
  };

  cpu.bus.bind(bus.in);
  m_debug.bind(bus.in);
  syscon.mem.bind(bus.in);
  bus.map("rom", cfg.rom.base, cfg.rom.size, rom.in, cfg.rom.latency);
  bus.map("clint", cfg.clint.base, cfg.clint.size, clint.in, cfg.clint.latency);
  bus.map("intc", cfg.intc.base, cfg.intc.size, intc.in, cfg.intc.latency);
  bus.map("syscon", cfg.syscon.base, cfg.syscon.size, syscon.in, cfg.syscon.latency);
  bus.map("pmu", cfg.pmu.base, cfg.pmu.size, pmu->in, cfg.pmu.latency);
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    const core::block_instance& b = *block_configs[i];
    bus.map(b.name, b.base, b.size, blocks[i]->in, b.latency);
  }
  bus.map("emram", cfg.emram.base, cfg.emram.size, emram.in, cfg.emram.latency);
  bus.map("sram", cfg.sram.base, cfg.sram.size, sram.in, cfg.sram.latency);
  for (auto& a : accels) {
    const accel::instance& inst = a->config();
    bus.map(inst.name, inst.base, inst.size, a->in, inst.latency);
    a->dma.bind(bus.in);
    // DMA reaches the memories only: a job that could write another block's registers (START
    // another accelerator, power a domain off) would not be a job any more.
    a->set_dma_regions({{cfg.rom.base, cfg.rom.size}, {cfg.emram.base, cfg.emram.size}, {cfg.sram.base, cfg.sram.size}});
    const unsigned src = inst.irq;
    accel::device* ap = a.get();
    a->irq.bind([this, src, ap](bool v) {
      ap->count_irq(v);
      intc.set_source(src, v);
    });
  }

  clint.msip.bind([this](bool v) { cpu.set_irq(cpu::cause::msi, v); });
  clint.mtip.bind([this](bool v) { cpu.set_irq(cpu::cause::mti, v); });
  // Zicntr's time CSRs read the CLINT's mtime at the core's local time.
  cpu.iss().time_source = [this] { return clint.mtime_at(cpu.local_time()); };
  intc.irq.bind([this](bool v) { cpu.set_irq(cpu::cause::mei, v); });
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    const core::block_instance& b = *block_configs[i];
    if (core::irq_line* line = blocks[i]->interrupt(); line != nullptr) {
      if (b.irq == 0) throw core::config_error(b.name + ".irq: the block raises interrupts: give it a source");
      const unsigned src = b.irq;
      line->bind([this, src](bool v) { intc.set_source(src, v); });
    }
    if (core::irq_line* line = blocks[i]->wakeup(); line != nullptr) {
      const unsigned input = rtl::blocks().find(b.kind)->wake_input;
      line->bind([this, input](bool v) { pmu->set_wake(input, v); });
    }
  }
}

void soc::build_power() {
  namespace pw = core::power;
  const soc_config& cfg = m_cfg;
  pw::domain& aon = power.add_domain(cfg.pmu_cfg.always_on_domain, false, {cfg.aon_voltage, cfg.aon_clock_hz});
  pw::domain& dcpu = power.add_domain(cfg.pmu_cfg.cpu_domain);
  pw::domain& dsoc = power.add_domain(cfg.pmu_cfg.soc_domain);
  pw::domain& dsram = power.add_domain(cfg.pmu_cfg.retention_domain);
  pw::domain& demram = power.add_domain("emram");

  cpu.attach_power(power, dcpu);
  power.attach(bus.power(), dsoc);
  bus.set_clock(&clock);
  rom.attach_power(power, dsoc);
  sram.attach_power(power, dsram);
  emram.attach_power(power, demram);
  const struct {
    core::peripheral* p;
    const core::peripheral_power* pw;
  } soc_peripherals[] = {{&clint, &cfg.clint_power}, {&intc, &cfg.intc_power}};
  for (const auto& sp : soc_peripherals) {
    sp.p->configure_power(*sp.pw);
    sp.p->attach_power(power, dsoc);
    sp.p->set_clock(&clock);
  }
  build_blocks(false, dsoc, m_console);
  syscon.configure_power(cfg.syscon_power);
  syscon.attach_power(power, dsoc);
  syscon.set_clock(&clock);

  rtl::register_all();
  for (const accel::instance& conf : cfg.accels) {
    accel::instance inst = conf;
    if (inst.impl != "tlm" && !cfg.rtl_vcd.empty()) inst.rtl_vcd = rtl_vcd_path(cfg.rtl_vcd, inst.name, rtl_block_count(cfg));
    pw::domain& d = power.add_domain(inst.name);
    std::unique_ptr<accel::device> a = accel::registry::builtin().make(inst);
    a->attach_power(power, d);
    a->set_clock(&clock);
    accels.push_back(std::move(a));
  }

  pmu = std::make_unique<pmu::pmu>("pmu", cfg.pmu_cfg, power, clock);
  pmu->configure_power(cfg.pmu_power);
  pmu->attach_power(power, aon);
  build_blocks(true, aon, m_console);
  cpu.on_wfi = [this] { return pmu->core_wfi(); };
  cpu.on_wake = [this] { pmu->core_wake(); };
  clock.on_change([this](double hz) { cpu.set_clock_period(sc_core::sc_time(1e12 / hz, sc_core::SC_PS)); });

  power.check_curves(cfg.pmu_cfg.opps);
}

// The peripherals of one domain, in configuration order: the SoC's are clocked by the SoC clock
// (DVFS), the always-on ones run on their own.
void soc::build_blocks(bool always_on, core::power::domain& d, const std::function<void(unsigned char)>& console) {
  rtl::register_all();
  for (const core::block_instance& b : m_cfg.blocks) {
    const core::block_kind* k = rtl::blocks().find(b.kind);
    if (k == nullptr) throw core::config_error(b.name + ".kind: unknown block kind '" + b.kind + "'");
    if (k->always_on != always_on) continue;
    core::block_env env;
    env.console = console;
    env.aon_clock_hz = m_cfg.aon_clock_hz;
    env.register_latency = m_cfg.peripheral_latency;
    if (b.impl != "tlm" && !m_cfg.rtl_vcd.empty()) env.rtl_vcd = rtl_vcd_path(m_cfg.rtl_vcd, b.name, rtl_block_count(m_cfg));
    std::unique_ptr<core::peripheral> p = rtl::blocks().make(b, env);
    p->configure_power(b.power);
    p->attach_power(power, d);
    if (!always_on) p->set_clock(&clock);
    blocks.push_back(std::move(p));
    block_configs.push_back(&b);
  }
}

std::size_t soc::debug_access(tlm::tlm_command cmd, std::uint32_t addr, unsigned char* data, std::size_t len) {
  std::size_t done = 0;
  while (done < len) {
    tlm::tlm_generic_payload tx;
    tx.set_command(cmd);
    tx.set_address(addr + done);
    tx.set_data_ptr(data + done);
    const auto n = static_cast<unsigned>(std::min<std::size_t>(len - done, 1u << 20));
    tx.set_data_length(n);
    tx.set_streaming_width(n);
    const unsigned got = m_debug->transport_dbg(tx);
    done += got;
    if (got == 0) break;
  }
  return done;
}

std::size_t soc::debug_write(std::uint32_t addr, const unsigned char* data, std::size_t len) {
  // TLM takes a non-const pointer; a write does not modify the buffer.
  return debug_access(tlm::TLM_WRITE_COMMAND, addr, const_cast<unsigned char*>(data), len);
}

std::size_t soc::debug_read(std::uint32_t addr, unsigned char* data, std::size_t len) {
  return debug_access(tlm::TLM_READ_COMMAND, addr, data, len);
}

elf_image soc::load(const std::string& path) {
  // Only memories are loaded: a segment in a register window would be register writes.
  const auto not_memory = [this](std::uint32_t a, std::uint64_t n) -> std::string {
    for (const auto& r : bus.ranges()) {
      if (r.name == "rom" || r.name == "sram" || r.name == "emram") continue;
      if (a < r.base + r.size && r.base < a + n) return "the register window of " + r.name;
    }
    return "";
  };
  elf_image img = load_elf(
      path, [this](std::uint32_t a, const unsigned char* d, std::size_t n) { return debug_write(a, d, n); },
      not_memory);
  const std::uint64_t rom_base = m_cfg.rom.base;
  bool covers_reset = false;
  for (const auto& s : img.segments)
    if (rom_base >= s.addr && rom_base < static_cast<std::uint64_t>(s.addr) + s.mem_size) covers_reset = true;
  if (!covers_reset) {
    const std::vector<std::uint32_t> stub = boot_stub(m_cfg, img.entry);
    if (debug_write(static_cast<std::uint32_t>(rom_base), reinterpret_cast<const unsigned char*>(stub.data()),
                    stub.size() * 4) != stub.size() * 4)
      throw image_error("cannot write the boot stub at the ROM base");
  }
  if (img.tohost) {
    cpu.iss().set_store_watch(*img.tohost, *img.tohost + 4);
  }
  return img;
}

void write_memmap(const soc_config& in, const std::string& dir) {
  const soc_config c = resolve(in);
  const std::string h = dir + "/edgevp_memmap.h";
  const std::string ld = dir + "/edgevp_memmap.ld";
  auto open = [](const std::string& p) {
    std::ofstream f(p, std::ios::trunc);
    if (!f) throw std::runtime_error("cannot write " + p + ": " + std::strerror(errno));
    return f;
  };
  {
    std::ofstream f = open(h);
    char buf[128];
    f << "/* Generated by edgevp --gen-memmap from the configuration. Do not edit. */\n"
         "#ifndef EDGEVP_MEMMAP_H\n#define EDGEVP_MEMMAP_H\n\n";
    auto def = [&](const char* name, unsigned long long v) {
      std::snprintf(buf, sizeof(buf), "#define %-26s 0x%08llxu\n", name, v);
      f << buf;
    };
    def("EDGEVP_PLATFORM_ID", c.platform_id);
    std::snprintf(buf, sizeof(buf), "#define %-26s %lluu\n", "EDGEVP_CPU_CLOCK_HZ",
                  static_cast<unsigned long long>(c.cpu_clock_hz));
    f << buf;
    std::snprintf(buf, sizeof(buf), "#define %-26s %lluu\n", "EDGEVP_CLINT_TIMEBASE_HZ",
                  static_cast<unsigned long long>(c.clint_timebase_hz));
    f << buf;
    const struct { const char* n; const block_config* b; } blocks[] = {
        {"ROM", &c.rom}, {"CLINT", &c.clint}, {"INTC", &c.intc}, {"SYSCON", &c.syscon},
        {"PMU", &c.pmu}, {"EMRAM", &c.emram}, {"SRAM", &c.sram}};
    for (const auto& b : blocks) {
      def(("EDGEVP_" + std::string(b.n) + "_BASE").c_str(), b.b->base);
      def(("EDGEVP_" + std::string(b.n) + "_SIZE").c_str(), b.b->size);
    }
    // The peripherals the configuration lists (peripherals = uart,rtc,gpio).
    for (const core::block_instance& b : c.blocks) {
      const std::string n = upper(b.name);
      def(("EDGEVP_" + n + "_BASE").c_str(), b.base);
      def(("EDGEVP_" + n + "_SIZE").c_str(), b.size);
      if (b.irq == 0) continue;
      std::snprintf(buf, sizeof(buf), "#define %-26s %uu\n", ("EDGEVP_IRQ_" + n).c_str(), b.irq);
      f << buf;
    }
    // Power domains: the fixed ones, then one per accelerator instance.
    std::vector<std::string> domains = {c.pmu_cfg.always_on_domain, c.pmu_cfg.cpu_domain, c.pmu_cfg.soc_domain,
                                        c.pmu_cfg.retention_domain, "emram"};
    const std::size_t fixed_domains = domains.size();
    f << "\n/* Accelerators (docs/accelerators.md): the ID register gives each one's kind. */\n";
    std::snprintf(buf, sizeof(buf), "#define %-26s %zuu\n", "EDGEVP_ACCEL_COUNT", c.accels.size());
    f << buf;
    for (std::size_t k = 0; k < c.accels.size(); ++k) {
      const accel::instance& a = c.accels[k];
      std::string n = a.name;
      for (auto& ch : n) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      const std::string idx = "EDGEVP_ACCEL" + std::to_string(k);
      def((idx + "_BASE").c_str(), a.base);
      def((idx + "_SIZE").c_str(), a.size);
      std::snprintf(buf, sizeof(buf), "#define %-26s %uu\n", (idx + "_IRQ").c_str(), a.irq);
      f << buf;
      def(("EDGEVP_" + n + "_BASE").c_str(), a.base);
      def(("EDGEVP_" + n + "_SIZE").c_str(), a.size);
      std::snprintf(buf, sizeof(buf), "#define %-26s %uu\n", ("EDGEVP_IRQ_" + n).c_str(), a.irq);
      f << buf;
    }
    // Every instance as one initializer, in index order: { {base, irq, power domain, "name"}, ... }
    // (EDGEVP_DOMAIN_<NAME>: the accelerators' domains follow the fixed ones). Not defined without
    // instances: C (before C23) has no empty initializer list.
    if (!c.accels.empty()) {
      f << "#define EDGEVP_ACCEL_INSTANCES { \\\n";
      for (std::size_t k = 0; k < c.accels.size(); ++k) {
        const accel::instance& a = c.accels[k];
        std::snprintf(buf, sizeof(buf), "    {0x%08llxu, %uu, %zuu, ", static_cast<unsigned long long>(a.base), a.irq,
                      fixed_domains + k);
        f << buf << '"' << a.name << "\"}" << (k + 1 < c.accels.size() ? "," : "") << " \\\n";
      }
      f << "}\n";
    }
    std::snprintf(buf, sizeof(buf), "#define %-26s %lluu\n", "EDGEVP_RTC_CLOCK_HZ",
                  static_cast<unsigned long long>(c.aon_clock_hz));
    f << buf << "\n/* Power: deep-sleep resume slot (last 16 bytes of eMRAM: magic, vector), domains, OPPs. */\n";
    def("EDGEVP_EMRAM_RESUME_ADDR", resume_slot(c));
    def("EDGEVP_RESUME_MAGIC", resume_magic);
    for (const accel::instance& a : c.accels) domains.push_back(a.name);
    unsigned i = 0;
    for (const std::string& d : domains) {
      std::string n = d;
      for (auto& ch : n) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      std::snprintf(buf, sizeof(buf), "#define %-26s %uu\n", ("EDGEVP_DOMAIN_" + n).c_str(), i++);
      f << buf;
    }
    std::snprintf(buf, sizeof(buf), "#define %-26s %zuu\n", "EDGEVP_OPP_COUNT", c.pmu_cfg.opps.size());
    f << buf;
    for (std::size_t k = 0; k < c.pmu_cfg.opps.size(); ++k) {
      std::snprintf(buf, sizeof(buf), "#define %-26s %lluu\n", ("EDGEVP_OPP" + std::to_string(k) + "_HZ").c_str(),
                    static_cast<unsigned long long>(c.pmu_cfg.opps[k].frequency_hz));
      f << buf;
      std::snprintf(buf, sizeof(buf), "#define %-26s %lluu\n", ("EDGEVP_OPP" + std::to_string(k) + "_MV").c_str(),
                    static_cast<unsigned long long>(std::llround(c.pmu_cfg.opps[k].voltage * 1000)));
      f << buf;
    }
    std::snprintf(buf, sizeof(buf), "#define %-26s %uu\n", "EDGEVP_OPP_RESET", c.pmu_cfg.reset_opp);
    f << buf << "\n#endif\n";
  }
  {
    std::ofstream f = open(dir + "/edgevp_accel_regs.h");
    accel::write_regs_header(f, rtl::kinds());
  }
  {
    std::ofstream f = open(ld);
    char buf[160];
    f << "/* Generated by edgevp --gen-memmap from the configuration. Do not edit. */\nMEMORY\n{\n";
    std::snprintf(buf, sizeof(buf), "  ROM   (rx)  : ORIGIN = 0x%08llx, LENGTH = 0x%08llx\n",
                  static_cast<unsigned long long>(c.rom.base), static_cast<unsigned long long>(c.rom.size));
    f << buf;
    // The resume slot at the end of eMRAM is not for the linker.
    std::snprintf(buf, sizeof(buf), "  EMRAM (rwx) : ORIGIN = 0x%08llx, LENGTH = 0x%08llx\n",
                  static_cast<unsigned long long>(c.emram.base),
                  static_cast<unsigned long long>(c.emram.size - resume_slot_size));
    f << buf;
    std::snprintf(buf, sizeof(buf), "  SRAM  (rwx) : ORIGIN = 0x%08llx, LENGTH = 0x%08llx\n",
                  static_cast<unsigned long long>(c.sram.base), static_cast<unsigned long long>(c.sram.size));
    f << buf << "}\n";
  }
}

}  // namespace edgevp::platform

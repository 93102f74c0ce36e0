#include "platform/simulation.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <map>
#include <memory>
#include <sstream>

#include <nlohmann/json.hpp>

#include "models/core/errors.h"
#include "models/core/power_trace.h"
#include "models/memory/nv_image.h"
#include "models/cpu/gdb_server.h"
#include "platform/output_file.h"
#include "platform/progress.h"
#include "platform/signals.h"
#include "platform/uart_expect.h"
#include "platform/waveview.h"
#include "platform/soc.h"
#include "platform/units.h"

namespace edgevp::platform {

const char* reason_name(exit_reason r) {
  switch (r) {
    case exit_reason::firmware_exit: return "firmware_exit";
    case exit_reason::tohost_exit: return "tohost_exit";
    case exit_reason::unhandled_trap: return "unhandled_trap";
    case exit_reason::fault_loop: return "fault_loop";
    case exit_reason::time_limit: return "time_limit";
    case exit_reason::deadlock: return "deadlock";
    case exit_reason::killed: return "killed";
    case exit_reason::mismatch: return "mismatch";
    case exit_reason::signal: return "signal";
  }
  return "?";
}

namespace {

std::string hex32(std::uint32_t v) {
  char b[16];
  std::snprintf(b, sizeof(b), "0x%08x", v);
  return b;
}

const char* cause_name(std::uint32_t c) {
  if ((c & cpu::cause::interrupt) != 0) return "interrupt";
  switch (c) {
    case 0: return "instruction address misaligned";
    case 1: return "instruction access fault";
    case 2: return "illegal instruction";
    case 3: return "breakpoint";
    case 4: return "load address misaligned";
    case 5: return "load access fault";
    case 6: return "store/AMO address misaligned";
    case 7: return "store/AMO access fault";
    case 11: return "environment call from M-mode";
    default: return "unknown cause";
  }
}

// SystemC writes --vcd into a temporary file (its own writes are not checked: a full disk would go
// unnoticed), beside the VCD when that directory is writable, so that it fills with the same disk.
// The VCD is then written from it with every write checked.
struct vcd_staging {
  std::string base;  // what SystemC is given (it appends .vcd)
  ~vcd_staging() {
    if (!base.empty()) std::remove((base + ".vcd").c_str());
  }
  // Makes BASE.vcd, an empty file of ours; false if neither directory is writable.
  bool make(const std::string& vcd_path) {
    const auto slash = vcd_path.rfind('/');
    const std::string dir = slash == std::string::npos ? std::string(".") : vcd_path.substr(0, slash + 1);
    const char* tmp = std::getenv("TMPDIR");
    for (const std::string& d : {dir, std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp")}) {
      std::string name = d + (d.back() == '/' ? "" : "/") + ".edgevp-vcd-XXXXXX.vcd";
      const int fd = ::mkstemps(name.data(), 4);
      if (fd < 0) continue;
      ::close(fd);
      base = name.substr(0, name.size() - 4);
      return true;
    }
    return false;
  }
};

// The VCD from SystemC's temporary file, its $date line replaced (it would make two identical runs
// differ); "" or why it could not be written.
std::string write_vcd(const std::string& staged, const std::string& path) {
  std::ifstream in(staged, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  if (!in) return output_failure("--vcd", path, errno) + " (reading SystemC's temporary '" + staged + "')";
  std::string s = ss.str();
  in.close();
  const auto d = s.find("$date");
  const auto e = d == std::string::npos ? d : s.find("$end", d);
  if (d != std::string::npos && e != std::string::npos)
    s.replace(d, e - d, "$date\n     (edgevp: omitted for reproducible traces)\n");
  output_file out;
  if (!out.open("--vcd", path)) return output_failure("--vcd", path, errno);
  out.stream() << s;
  return out.close();
}

// SIGINT and SIGTERM stop a run at the CPU's next synchronisation, which writes the outputs as any
// other end of a run does. The handler only records the signal; SA_RESETHAND restores the default
// action, so that a second signal ends the process at once.
volatile std::sig_atomic_t stop_signal = 0;

void on_stop_signal(int sig) {
  stop_signal = sig;
}

struct open_region {
  std::string name;
  sc_core::sc_time start;
  std::uint64_t instret;
  std::uint64_t cycles;
  core::power::snapshot energy;
};

// Adds a closed region to the totals of its name; past run_result::max_region_names names, to
// `other` (`index` finds a name's total).
void add_to_totals(std::vector<region_total>& totals, region_total& other, std::map<std::string, std::size_t>& index,
                   const region_record& r, const core::power::snapshot& from, const core::power::snapshot& to) {
  region_total* it = &other;
  if (const auto found = index.find(r.name); found != index.end()) {
    it = &totals[found->second];
  } else if (totals.size() < run_result::max_region_names) {
    index.emplace(r.name, totals.size());
    totals.push_back({r.name, 0, 0.0, 0, 0, 0, {}, {}});
    it = &totals.back();
  } else if (other.count == 0) {
    other.name = "(other names)";
  }
  if (it->source_aj.empty()) {
    it->source_aj.assign(to.source_aj.size(), 0);
    it->source_basis.assign(to.source_basis.size(), 0.0);
  }
  ++it->count;
  it->time_s += r.end_s - r.start_s;
  it->instructions += r.instructions;
  it->cycles += r.cycles;
  it->energy_aj += to.total_aj - from.total_aj;
  for (std::size_t i = 0; i < it->source_aj.size() && i < from.source_aj.size(); ++i) {
    it->source_aj[i] += to.source_aj[i] - from.source_aj[i];
    it->source_basis[i] += to.source_basis[i] - from.source_basis[i];
  }
}

power_summary summarise_power(const core::power::monitor& m, const sc_core::sc_time& end) {
  namespace pw = core::power;
  power_summary p;
  p.total_j = pw::to_joules(m.total_aj());
  p.average_w = end > sc_core::SC_ZERO_TIME ? p.total_j / end.to_seconds() : 0.0;
  for (std::size_t k = 0; k < pw::kind_count; ++k)
    p.kind_j.emplace_back(pw::kind_name(static_cast<pw::kind>(k)), pw::to_joules(m.kind_aj(static_cast<pw::kind>(k))));
  for (const pw::component* c : m.components()) {
    power_component_record r;
    r.name = c->name();
    r.domain = c->domain() != nullptr ? c->domain()->name() : "";
    r.energy_j = pw::to_joules(c->energy_aj());
    r.operations = c->operations();
    for (const pw::source& s : c->sources()) {
      const char unit = s.kind == pw::kind::event ? 'J' : 'W';
      r.sources.push_back({s.name, pw::kind_name(s.kind), s.events, pw::to_joules(s.energy_aj),
                           format_curve(s.value, unit), s.basis, s.value.is_table()});
    }
    p.components.push_back(std::move(r));
  }
  for (const auto& d : m.domains()) {
    power_domain_record r;
    r.name = d->name();
    r.energy_j = pw::to_joules(d->energy_aj());
    for (std::size_t i = 0; i < pw::state_count; ++i) {
      const auto st = static_cast<pw::state>(i);
      r.state_energy_j.emplace_back(pw::state_name(st), pw::to_joules(d->energy_aj(st)));
      r.residency_s.emplace_back(pw::state_name(st), d->residency(st).to_seconds());
    }
    r.transitions = d->transitions();
    p.domains.push_back(std::move(r));
  }
  return p;
}

}  // namespace

// The waveform views (GTKWave save files) of --vcd and --power-vcd: every signal edgevp traces,
// grouped as a user looks for them.
std::vector<wave_group> signal_view(const soc& top) {
  wave_group irqs{"Interrupts", {{"SystemC.irq.mtip"}, {"SystemC.irq.msip"}, {"SystemC.irq.meip"}}};
  for (std::size_t i = 0; i < top.blocks.size(); ++i)
    if (top.blocks[i]->interrupt() != nullptr) irqs.traces.push_back({"SystemC.irq." + top.block_configs[i]->name});
  wave_group cpu{"CPU",
                 {{"SystemC.cpu.sleeping"},
                  {"SystemC.cpu.bus_errors", trace_format::decimal},
                  {"SystemC.cpu.traps", trace_format::decimal}}};
  wave_group accels{"Accelerators", {}};
  for (const auto& a : top.accels) {
    accels.traces.push_back({"SystemC." + a->config().name + ".busy"});
    accels.traces.push_back({"SystemC." + a->config().name + ".job", trace_format::decimal});
  }
  return {irqs, cpu, accels};
}

std::vector<wave_group> power_view(const soc& top) {
  wave_group power{"Power (W)", {}};
  wave_group states{"Domain states (0 off, 1 retention, 2 clock-gated, 3 on)", {}};
  for (const auto& d : top.power.domains()) {
    power.traces.push_back({"power." + d->name() + "_W", trace_format::analog});
    states.traces.push_back({"power." + d->name() + "_state", trace_format::decimal});
  }
  power.traces.push_back({"power.total_W", trace_format::analog});
  return {power, states};
}

run_result simulate(const parsed_options& opts) {
  const run_options& ro = opts.run;
  run_result res;
  // Outputs written only at the end are checked before the run: a run is not lost to a path that
  // could never be written.
  for (const auto& [option, path] : {std::pair<const char*, const std::string&>{"--report", ro.report},
                                     {"--power-plot", ro.power_plot}})
    if (!path.empty())
      if (const std::string why = unusable_output(path); !why.empty())
        throw std::runtime_error(std::string("cannot write ") + option + " '" + path + "': " + why);
  if (!ro.emram_image.empty())
    if (const std::string why = memory::nv_image_unwritable(ro.emram_image); !why.empty())
      throw std::runtime_error("cannot write --emram-image '" + ro.emram_image + "' at the end of the run: " + why);

  // UART output: stdout or a file; every byte also goes to the scenario's line checks.
  // A failed write is remembered (errno at the first) and makes the run exit 74 at its end.
  std::FILE* uart_out = stdout;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> uart_file(nullptr, &std::fclose);
  if (!ro.uart_out.empty()) {
    uart_file.reset(std::fopen(ro.uart_out.c_str(), "wb"));
    if (!uart_file) throw std::runtime_error("cannot write UART output file '" + ro.uart_out + "'");
    uart_out = uart_file.get();
  }
  int uart_error = 0;
  uart_expectations uart_expect(opts.scenario.uart_lines);
  auto tx = [&uart_expect, uart_out, &uart_error](unsigned char c) {
    uart_expect.put(static_cast<char>(c));
    bool ok = std::fputc(c, uart_out) != EOF;
    if (c == '\n') ok = std::fflush(uart_out) == 0 && ok;
    if (!ok && uart_error == 0) uart_error = errno != 0 ? errno : -1;
  };

  tlm::tlm_global_quantum::instance().set(ro.quantum);
  soc top("soc", opts.soc, tx);

  // How the run ends.
  bool ended = false;
  auto finish = [&](exit_reason why, int code) {
    if (ended) return;
    ended = true;
    res.reason = why;
    res.firmware_code = code;
    res.sim_time = top.cpu.local_time();
    top.cpu.halt();
    sc_core::sc_stop();
  };
  top.syscon.on_exit = [&](int code, sc_core::sc_time) { finish(exit_reason::firmware_exit, code); };
  top.cpu.iss().on_store_watch = [&](std::uint32_t, std::uint32_t value) {
    if ((value & 1) != 0) finish(exit_reason::tohost_exit, static_cast<int>(value >> 1));
  };
  top.cpu.on_fault = [&](cpu::stop_reason why, const cpu::trap_record& t) {
    res.pc = t.pc;
    res.cause = t.cause;
    res.tval = t.tval;
    finish(why == cpu::stop_reason::unhandled_trap ? exit_reason::unhandled_trap : exit_reason::fault_loop, 0);
  };

  // Co-verification: a lockstep block's first mismatch ends the run; --accel-log records jobs.
  std::string mismatch_report;
  output_file accel_log;
  if (!ro.accel_log.empty() && !accel_log.open("--accel-log", ro.accel_log))
    throw std::runtime_error("cannot write accelerator log '" + ro.accel_log + "'");
  for (auto& a : top.accels) {
    accel::device* ap = a.get();
    ap->on_mismatch = [&](const std::string& report) {
      if (!mismatch_report.empty()) return;
      mismatch_report = report;
      std::fprintf(stderr, "edgevp: %s\n", report.c_str());
      finish(exit_reason::mismatch, 0);
    };
    if (accel_log.is_open())
      ap->on_job_end = [&accel_log, ap](const accel::device::job_record& rec) {
        nlohmann::ordered_json j;
        j["block"] = ap->config().name;
        j["job"] = rec.summary.starts;
        j["end_ps"] = static_cast<std::uint64_t>(rec.end / sc_core::sc_time(1, sc_core::SC_PS));
        j["error"] = accel::error_name(rec.summary.err);
        j["err_desc"] = rec.summary.err_desc;
        j["err_addr"] = rec.summary.err_addr;
        j["descriptors"] = rec.summary.descriptors;
        j["cycles"] = rec.summary.cycles;
        j["ops"] = rec.summary.ops;
        // Memory written: the last value of each byte, as address-ordered runs.
        std::map<std::uint64_t, unsigned char> bytes;
        for (const auto& [addr, data] : rec.writes)
          for (std::size_t i = 0; i < data.size(); ++i) bytes[addr + i] = data[i];
        auto runs = nlohmann::ordered_json::array();
        std::string hexdata;
        std::uint64_t run_start = 0, next = 0;
        static const char* digits = "0123456789abcdef";
        for (const auto& [addr, v] : bytes) {
          if (!hexdata.empty() && addr != next) {
            runs.push_back({run_start, hexdata});
            hexdata.clear();
          }
          if (hexdata.empty()) run_start = addr;
          hexdata += digits[v >> 4];
          hexdata += digits[v & 15];
          next = addr + 1;
        }
        if (!hexdata.empty()) runs.push_back({run_start, hexdata});
        j["writes"] = runs;
        accel_log.stream() << j.dump() << '\n';
      };
  }

  // Firmware-marked regions, with their energy.
  std::vector<open_region> open;
  std::map<std::string, std::size_t> region_index;  // name -> its total
  res.regions_closed.assign(opts.scenario.regions.size(), false);
  top.syscon.on_region = [&](bool begin, const std::string& name, sc_core::sc_time) {
    const sc_core::sc_time now = top.cpu.local_time();
    top.power.checkpoint(now);
    if (begin) {
      open.push_back({name, now, top.cpu.iss().instret(), top.cpu.iss().cycles(), top.power.take_snapshot()});
      return;
    }
    if (open.empty()) return;
    const open_region o = open.back();
    open.pop_back();
    const core::power::snapshot e = top.power.take_snapshot();
    region_record r{o.name, static_cast<unsigned>(open.size()), o.start.to_seconds(), now.to_seconds(),
                    top.cpu.iss().instret() - o.instret, top.cpu.iss().cycles() - o.cycles, 0.0, {}, {}};
    r.energy_j = core::power::to_joules(e.total_aj - o.energy.total_aj);
    const auto& comps = top.power.components();
    for (std::size_t i = 0; i < comps.size() && i < e.component_aj.size(); ++i) {
      const std::int64_t d = e.component_aj[i] - o.energy.component_aj[i];
      if (d != 0) r.component_j.emplace_back(comps[i]->name(), core::power::to_joules(d));
      const std::uint64_t ops = e.operations[i] - o.energy.operations[i];
      if (ops != 0) r.operations.emplace_back(comps[i]->name(), ops);
    }
    add_to_totals(res.region_totals, res.other_names, region_index, r, o.energy, e);
    for (std::size_t i = 0; i < opts.scenario.regions.size(); ++i)
      if (opts.scenario.regions[i] == r.name) res.regions_closed[i] = true;
    if (res.regions.size() < run_result::max_region_records)
      res.regions.push_back(std::move(r));
    else
      ++res.regions_not_listed;
  };

  // Power traces; the CPU's synchronisations drive their sampling.
  std::unique_ptr<core::power::csv_trace> power_csv;
  std::unique_ptr<core::power::vcd_trace> power_vcd;
  if (!ro.power_csv.empty()) power_csv = std::make_unique<core::power::csv_trace>(top.power, ro.power_csv, ro.power_interval);
  if (!ro.power_vcd.empty()) {
    power_vcd = std::make_unique<core::power::vcd_trace>(top.power, ro.power_vcd);
    top.power.set_sample_interval(ro.power_interval);
    write_gtkw(gtkw_path(ro.power_vcd), ro.power_vcd, power_view(top));
  }
  progress_line progress(progress_line::wanted(ro.progress, ro.quiet), ro.progress);
  top.cpu.on_sync = [&top, &progress, &open, &finish, &res](sc_core::sc_time now) {
    if (stop_signal != 0) {
      res.signal = stop_signal;
      finish(exit_reason::signal, 0);
      return;
    }
    top.power.tick(now);
    if (progress.due())
      progress.print(now, top.cpu.iss().instret(), open.empty() ? std::string() : open.back().name,
                     top.power.estimate_joules(now));
  };

  // Traces.
  sc_core::sc_trace_file* vcd = nullptr;
  std::string vcd_path;
  vcd_staging vcd_staged;
  if (!ro.vcd.empty()) {
    std::string base = ro.vcd;
    if (base.size() > 4 && base.compare(base.size() - 4, 4, ".vcd") == 0) base.resize(base.size() - 4);
    vcd_path = base + ".vcd";
    { std::ofstream probe(vcd_path); if (!probe) throw std::runtime_error("cannot write VCD file '" + vcd_path + "'"); }
    if (!vcd_staged.make(vcd_path))
      throw std::runtime_error("cannot write VCD file '" + vcd_path + "': no directory for a temporary file");
    vcd = sc_core::sc_create_vcd_trace_file(vcd_staged.base.c_str());
    vcd->set_time_unit(1, sc_core::SC_PS);  // the kernel's resolution: every instant representable
    sc_core::sc_trace(vcd, top.clint.mtip.signal(), "irq.mtip");
    sc_core::sc_trace(vcd, top.clint.msip.signal(), "irq.msip");
    sc_core::sc_trace(vcd, top.intc.irq.signal(), "irq.meip");
    for (std::size_t i = 0; i < top.blocks.size(); ++i)  // every peripheral's interrupt line
      if (core::irq_line* line = top.blocks[i]->interrupt(); line != nullptr)
        sc_core::sc_trace(vcd, line->signal(), "irq." + top.block_configs[i]->name);
    sc_core::sc_trace(vcd, top.cpu.sleeping, "cpu.sleeping");
    sc_core::sc_trace(vcd, top.cpu.bus_errors, "cpu.bus_errors");
    sc_core::sc_trace(vcd, top.cpu.traps, "cpu.traps");
    for (const auto& a : top.accels) {
      sc_core::sc_trace(vcd, a->busy_signal(), a->config().name + ".busy");
      sc_core::sc_trace(vcd, a->job_signal(), a->config().name + ".job");
    }
    write_gtkw(gtkw_path(vcd_path), vcd_path, signal_view(top));
  }
  output_file trace;
  std::vector<char> trace_buf(1 << 20);
  if (!ro.trace_insn.empty()) {
    if (!trace.open("--trace-insn", ro.trace_insn, trace_buf.data(), trace_buf.size()))
      throw std::runtime_error("cannot write instruction trace '" + ro.trace_insn + "'");
    top.cpu.iss().set_trace(&trace.stream());
  }

  // Elaborate (binds the ports), load the image through the bus, then let the CPU run.
  sc_core::sc_start(sc_core::SC_ZERO_TIME);
  if (!ro.emram_image.empty()) {
    // The image first: the firmware's own eMRAM segments (XIP code) are loaded over it.
    const std::vector<unsigned char> nv = memory::load_nv_image(ro.emram_image, top.emram.size());
    std::copy(nv.begin(), nv.end(), top.emram.data());
  }
  const elf_image img = top.load(ro.firmware);

  // The debugger's port, once the image is there to be debugged.
  std::unique_ptr<cpu::gdb_server> gdb;
  if (ro.gdb_port) {
    gdb = std::make_unique<cpu::gdb_server>(top.cpu, *ro.gdb_port, ro.gdb_wait);
    gdb->on_kill = [&] { finish(exit_reason::killed, 0); };
    top.cpu.set_debugger(gdb.get());
    std::fprintf(stderr, "edgevp: GDB server listening on 127.0.0.1:%u%s\n", static_cast<unsigned>(gdb->port()),
                 ro.gdb_wait ? " (the CPU waits for a debugger to attach)" : "");
    std::fflush(stderr);
  }
  top.cpu.start();
  stop_signal = 0;
  // The first SIGINT or SIGTERM stops the run at the next synchronisation; a second one, the
  // default action again, ends edgevp at once.
  const signal_handlers signals({SIGINT, SIGTERM}, on_stop_signal, SA_RESETHAND | SA_RESTART);
  const auto t0 = std::chrono::steady_clock::now();
  sc_core::sc_start(ro.max_time, sc_core::SC_EXIT_ON_STARVATION);
  const auto t1 = std::chrono::steady_clock::now();
  progress.finish();
  res.wall_s = std::chrono::duration<double>(t1 - t0).count();

  if (!ended) {
    res.sim_time = top.cpu.local_time();
    // Starvation before the limit with the core asleep: nothing is left that could wake it. (A
    // wake-up scheduled beyond the limit is pending activity: that is the time limit.)
    if (sc_core::sc_time_stamp() < ro.max_time && top.cpu.sleeping.read() && !sc_core::sc_pending_activity()) {
      res.reason = exit_reason::deadlock;
    } else {
      res.reason = exit_reason::time_limit;
      if (res.sim_time > ro.max_time) res.sim_time = ro.max_time;
    }
  }
  if (res.reason != exit_reason::unhandled_trap && res.reason != exit_reason::fault_loop) res.pc = top.cpu.iss().pc();
  res.instructions = top.cpu.iss().instret();
  res.cycles = top.cpu.iss().cycles();
  top.power.checkpoint(res.sim_time);
  // Outputs that cannot be written are collected: the others and the report are still written.
  auto output_error = [&res](const std::string& why) {
    if (!why.empty()) res.output_errors.push_back(why);
  };
  if (!ro.emram_image.empty()) {
    try {
      memory::save_nv_image_atomic(ro.emram_image, top.emram.data(), top.emram.size());
    } catch (const memory::nv_image_error& e) {
      output_error(e.what());
    }
  }
  res.emram_row_writes = top.emram_wear->total_row_writes();
  res.emram_rows_over_endurance = top.emram_wear->over_endurance();
  res.emram_endurance = top.emram_wear->endurance();
  res.emram_row_bytes = top.emram_wear->row_bytes();
  for (const auto& w : top.emram_wear->worst(8))
    if (w.count > 0) res.emram_worst_rows.push_back({w.row, opts.soc.emram.base + w.offset, w.count});
  try {
    if (power_csv) power_csv->finish(top.power.last_checkpoint());
  } catch (const std::runtime_error&) {
    output_error(output_failure("--power-csv", ro.power_csv, 0));
  }
  try {
    if (power_vcd) power_vcd->finish(top.power.last_checkpoint());
  } catch (const std::runtime_error&) {
    output_error(output_failure("--power-vcd", ro.power_vcd, 0));
  }
  if (top.power.overflowed())
    throw core::config_error(
        "power: the energy accounted passes 9.2 J, more than integer attojoules hold; the results would be "
        "wrong. A power source is far too large (a very wide ADC's default energy?) or the run too long");
  res.power = summarise_power(top.power, top.power.last_checkpoint());
  for (const auto& a : top.accels) {
    run_result::accel_record rec;
    rec.name = a->config().name;
    rec.kind = a->config().kind;
    rec.base = a->config().base;
    rec.irq = a->config().irq;
    rec.jobs = a->jobs();
    rec.errors = a->errors();
    rec.busy_cycles = a->busy_cycles();
    rec.operations = a->operations();
    rec.dma_bytes = a->dma_bytes();
    rec.busy_s = a->busy_time().to_seconds();
    rec.energy_j = static_cast<double>(a->power().energy_aj()) * 1e-18;
    rec.stats = a->report();
    res.accelerators.push_back(std::move(rec));
  }
  res.power.deep_sleeps = top.pmu->deep_sleep_count();
  res.power.wake_ups = top.pmu->wake_count();
  if (vcd != nullptr) {
    sc_core::sc_close_vcd_trace_file(vcd);
    output_error(write_vcd(vcd_staged.base + ".vcd", vcd_path));
  }
  if (trace.is_open()) {
    top.cpu.iss().set_trace(nullptr);
    output_error(trace.close());
  }
  output_error(ro.uart_out.empty()
                   ? close_output(stdout, "the UART output to stdout", "", uart_error)
                   : close_output(uart_file.release(), "--uart-out", ro.uart_out, uart_error));

  const std::string at = " at pc " + hex32(res.pc) + ", simulated time " + format_time(res.sim_time);
  switch (res.reason) {
    case exit_reason::firmware_exit:
    case exit_reason::tohost_exit:
      // A code a process cannot exit with is never cut to its low byte (256 would be 0).
      res.process_code =
          res.firmware_code >= 0 && res.firmware_code <= 255 ? res.firmware_code : exit_code::firmware_range;
      res.message = std::string("firmware exited with code ") + std::to_string(res.firmware_code) +
                    (res.reason == exit_reason::tohost_exit ? " (tohost)" : "");
      if (res.process_code != res.firmware_code)
        res.message += " (above 255: edgevp exits with " + std::to_string(exit_code::firmware_range) + ")";
      break;
    case exit_reason::unhandled_trap:
      res.process_code = exit_code::fault;
      res.message = "unhandled trap: " + std::string(cause_name(res.cause)) + " (mcause " + hex32(res.cause) +
                    ", mtval " + hex32(res.tval) + ") with no trap handler installed (mtvec = 0)" + at;
      break;
    case exit_reason::fault_loop:
      res.process_code = exit_code::fault;
      res.message = "fault loop: the trap handler itself keeps trapping; last " + std::string(cause_name(res.cause)) +
                    " (mcause " + hex32(res.cause) + ", mtval " + hex32(res.tval) + ")" + at;
      break;
    case exit_reason::time_limit:
      res.process_code = exit_code::time_limit;
      res.message = "time limit: the firmware did not exit within --max-time " + format_time(ro.max_time) + at;
      break;
    case exit_reason::deadlock:
      res.process_code = exit_code::deadlock;
      res.message = "deadlock: the CPU waits for an interrupt (WFI) that nothing can raise" + at;
      break;
    case exit_reason::killed:
      res.process_code = exit_code::killed;
      res.message = "killed by the debugger" + at;
      break;
    case exit_reason::mismatch:
      res.process_code = exit_code::mismatch;
      res.message = "co-verification mismatch: " + mismatch_report;
      break;
    case exit_reason::signal:
      res.process_code = 128 + res.signal;
      res.message = std::string("stopped by ") + signal_name(res.signal) + " (signal " +
                    std::to_string(res.signal) + ")" + at;
      break;
  }
  if (accel_log.is_open()) {
    for (const auto& a : top.accels) {
      nlohmann::ordered_json j;
      j["block"] = a->config().name;
      j["end"] = true;
      j["irqs"] = a->irq_raises();
      j["jobs"] = a->jobs();
      accel_log.stream() << j.dump() << '\n';
    }
    output_error(accel_log.close());
  }
  if (gdb) {  // an attached debugger learns how the run ended
    if (res.reason == exit_reason::unhandled_trap || res.reason == exit_reason::fault_loop)
      gdb->terminated(res.cause);
    else
      gdb->exited(res.process_code);
    top.cpu.set_debugger(nullptr);
  }
  if (!res.output_errors.empty()) res.process_code = exit_code::io;
  if (!ro.report.empty()) {
    const std::string why = write_report(ro.report, opts, res);
    if (!why.empty()) {
      res.output_errors.push_back(why);
      res.process_code = exit_code::io;
    }
  }
  res.uart_found = uart_expect.found();
  res.uart_overflowed = uart_expect.overflowed();
  return res;
}

namespace {

// Region totals by name, each source that changed within them with its energy and basis.
nlohmann::ordered_json region_totals_json(const std::vector<region_total>& totals, const power_summary& p) {
  auto out = nlohmann::ordered_json::array();
  for (const auto& t : totals) {
    auto srcs = nlohmann::ordered_json::array();
    std::size_t i = 0;
    for (const auto& c : p.components)
      for (const auto& s : c.sources) {
        if (i < t.source_aj.size() && (t.source_aj[i] != 0 || t.source_basis[i] != 0))
          srcs.push_back({{"component", c.name},
                          {"source", s.name},
                          {"energy_j", core::power::to_joules(t.source_aj[i])},
                          {"basis", s.table ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(t.source_basis[i])}});
        ++i;
      }
    out.push_back({{"name", t.name},
                   {"count", t.count},
                   {"time_s", t.time_s},
                   {"instructions", t.instructions},
                   {"cycles", t.cycles},
                   {"energy_j", core::power::to_joules(t.energy_aj)},
                   {"sources", srcs}});
  }
  return out;
}

}  // namespace

std::string write_report(const std::string& path, const parsed_options& opts, const run_result& r) {
  nlohmann::ordered_json j;
  j["edgevp_version"] = EDGEVP_VERSION;
  j["firmware"] = opts.run.firmware;
  // The configuration that made this run (edgevp --config-from-report reruns it).
  nlohmann::ordered_json cfg = nlohmann::ordered_json::object();
  for (const auto& [key, g] : opts.configuration) {
    nlohmann::ordered_json e;
    if (g.values.size() == 1) e["value"] = g.values.front();
    else e["value"] = g.values;
    e["origin"] = g.origin;
    if (!g.file.empty()) e["file"] = g.file;
    cfg[key] = e;
  }
  j["configuration"] = cfg;
  j["exit"] = {{"reason", reason_name(r.reason)},
               {"firmware_code", r.firmware_code},
               {"process_code", r.process_code},
               {"message", r.message},
               {"pc", r.pc}};
  if (!r.output_errors.empty()) j["exit"]["output_errors"] = r.output_errors;
  if (r.reason == exit_reason::unhandled_trap || r.reason == exit_reason::fault_loop)
    j["exit"]["trap"] = {{"mcause", r.cause}, {"mtval", r.tval}};
  if (r.reason == exit_reason::signal) j["exit"]["signal"] = r.signal;
  j["simulated_time_s"] = r.sim_time.to_seconds();
  j["instructions"] = r.instructions;
  j["cycles"] = r.cycles;
  j["host_wall_time_s"] = r.wall_s;
  j["host_mips"] = r.wall_s > 0 ? static_cast<double>(r.instructions) / r.wall_s / 1e6 : 0.0;
  j["cpu_clock_hz"] = resolve(opts.soc).cpu_clock_hz;  // the reset operating point's
  j["quantum_s"] = opts.run.quantum.to_seconds();
  auto regions = nlohmann::ordered_json::array();
  for (const auto& g : r.regions) {
    nlohmann::ordered_json comps = nlohmann::ordered_json::object();
    for (const auto& [n, e] : g.component_j) comps[n] = e;
    nlohmann::ordered_json ops = nlohmann::ordered_json::object();
    for (const auto& [n, o] : g.operations) ops[n] = o;
    regions.push_back({{"name", g.name}, {"depth", g.depth}, {"start_s", g.start_s}, {"end_s", g.end_s},
                       {"instructions", g.instructions}, {"cycles", g.cycles}, {"energy_j", g.energy_j},
                       {"average_power_w", g.end_s > g.start_s ? g.energy_j / (g.end_s - g.start_s) : 0.0},
                       {"energy_by_component_j", comps}, {"operations", ops}});
  }
  j["regions"] = regions;
  if (r.regions_not_listed > 0) j["regions_not_listed"] = r.regions_not_listed;
  const power_summary& p = r.power;
  j["region_totals"] = region_totals_json(r.region_totals, p);
  if (r.other_names.count > 0) j["region_totals_other_names"] = region_totals_json({r.other_names}, p).at(0);
  nlohmann::ordered_json pj;
  pj["total_energy_j"] = p.total_j;
  pj["average_power_w"] = p.average_w;
  nlohmann::ordered_json kinds = nlohmann::ordered_json::object();
  for (const auto& [k, e] : p.kind_j) kinds[k] = e;
  pj["energy_by_kind_j"] = kinds;
  nlohmann::ordered_json doms = nlohmann::ordered_json::array();
  for (const auto& d : p.domains) {
    nlohmann::ordered_json se = nlohmann::ordered_json::object();
    for (const auto& [k, e] : d.state_energy_j) se[k] = e;
    nlohmann::ordered_json rs = nlohmann::ordered_json::object();
    for (const auto& [k, t] : d.residency_s) rs[k] = t;
    doms.push_back({{"name", d.name}, {"energy_j", d.energy_j}, {"energy_by_state_j", se}, {"residency_s", rs},
                    {"transitions", d.transitions}});
  }
  pj["domains"] = doms;
  nlohmann::ordered_json comps = nlohmann::ordered_json::array();
  for (const auto& c : p.components) {
    nlohmann::ordered_json srcs = nlohmann::ordered_json::array();
    for (const auto& s : c.sources)
      srcs.push_back({{"name", s.name},
                      {"kind", s.kind},
                      {"value", s.value},
                      {"events", s.events},
                      {"energy_j", s.energy_j},
                      {"basis", s.table ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(s.basis)}});
    comps.push_back({{"name", c.name}, {"domain", c.domain}, {"energy_j", c.energy_j}, {"operations", c.operations},
                     {"sources", srcs}});
  }
  pj["components"] = comps;
  pj["deep_sleeps"] = p.deep_sleeps;
  pj["wake_ups"] = p.wake_ups;
  j["power"] = pj;
  auto worst = nlohmann::ordered_json::array();
  for (const auto& w : r.emram_worst_rows) worst.push_back({{"row", w.row}, {"address", w.address}, {"writes", w.writes}});
  j["emram"] = {{"row_bytes", r.emram_row_bytes}, {"endurance", r.emram_endurance},
                {"row_writes", r.emram_row_writes}, {"rows_over_endurance", r.emram_rows_over_endurance},
                {"worst_rows", worst}};
  auto accels = nlohmann::ordered_json::array();
  for (const auto& a : r.accelerators) {
    nlohmann::ordered_json aj;
    aj["name"] = a.name;
    aj["kind"] = a.kind;
    aj["base"] = a.base;
    aj["irq"] = a.irq;
    aj["jobs"] = a.jobs;
    aj["errors"] = a.errors;
    aj["busy_time_s"] = a.busy_s;
    aj["busy_cycles"] = a.busy_cycles;
    aj["operations"] = a.operations;
    aj["dma_bytes"] = a.dma_bytes;
    aj["energy_j"] = a.energy_j;
    aj["ops_per_joule"] = a.energy_j > 0 ? static_cast<double>(a.operations) / a.energy_j : 0.0;
    aj["ops_per_second_busy"] = a.busy_s > 0 ? static_cast<double>(a.operations) / a.busy_s : 0.0;
    for (const auto& [k, v] : a.stats) aj[k] = v;
    accels.push_back(aj);
  }
  j["accelerators"] = accels;
  output_file out;
  if (!out.open("--report", path)) throw std::runtime_error("cannot write report '" + path + "'");
  out.stream() << j.dump(2) << '\n';
  return out.close();
}

}  // namespace edgevp::platform

#include "platform/options.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include "models/rtl/implementations.h"
#include "models/core/files.h"
#include "platform/instances.h"
#include "platform/units.h"

namespace edgevp::platform {

namespace po = boost::program_options;
using core::param_spec;
using core::param_value;

namespace {

// The accelerator kinds, with the RTL library's implementations registered.


po::options_description run_description() {
  po::options_description d("Options");
  d.add_options()
      ("help,h", "print this help and exit")
      ("version", "print the version and exit")
      ("config,c", po::value<std::vector<std::string>>()->composing(),
       "read options from a .cfg file (`key = value` lines; repeatable, later files win; the command line wins over all); inside a file, `config = FILE` includes FILE (relative to the including file, whose own keys win; repeatable, later includes win; a cycle is an error)")
      ("config-from-report", po::value<std::string>(), "take the configuration of the run that wrote the JSON report FILE (its `configuration` section: every key with its value and origin) as the lowest-priority source, so `edgevp --config-from-report run.json` reruns it; outputs (--report, --vcd, ...) are not taken")
      ("scenario", po::value<std::string>(), "run a scenario file (configuration + firmware + expectations) and check it")
      ("firmware", po::value<std::string>(), "firmware ELF image (also the positional argument)")
      ("firmware-dir", po::value<std::string>(), "where firmware names without a path are looked up as NAME.elf")
      ("max-time", po::value<time_value>(), "simulated-time limit; the run aborts with exit code 124 when reached (default 10s)")
      ("quantum", po::value<time_value>(), "global quantum of temporal decoupling (default 10us)")
      ("uart-out", po::value<std::string>(), "write the UART's output to FILE instead of stdout")
      ("report", po::value<std::string>(), "write a JSON summary of the run to FILE")
      ("vcd", po::value<std::string>(), "write a VCD trace (interrupt lines, CPU sleep, bus errors, traps) to FILE")
      ("coverify", po::value<std::string>(), "co-verification: run the firmware twice, BLOCK.impl=tlm and BLOCK.impl=rtl (each run checks the scenario), and compare the memory each job wrote, its outcome, the interrupts raised and the cycles per job (docs/rtl.md)")
      ("coverify.tolerance", po::value<double>(), "--coverify: relative difference allowed between a job's cycles on the RTL and on the TLM model (default 0.2; docs/rtl.md gives the measured error)")
      ("coverify.slack", po::value<u64_value>(), "--coverify: cycles allowed per job on top of the relative difference (default 16)")
      ("accel-log", po::value<std::string>(), "write every accelerator job (outcome, cycles, memory written) as JSON lines to FILE (what --coverify compares)")
      ("rtl-vcd", po::value<std::string>(), "write the RTL blocks' internal signals (Verilator tracing) to FILE, time-aligned with --vcd; with several RTL blocks, one file each: FILE's name gets .NAME before .vcd")
      ("trace-insn", po::value<std::string>(), "write one line per executed instruction (pc, raw, disassembly; a trapped one is marked with its mcause) to FILE")
      ("power-vcd", po::value<std::string>(), "write per-domain power (W) and domain states as a VCD to FILE")
      ("power-csv", po::value<std::string>(), "write per-domain average power per --power-interval as CSV to FILE")
      ("power-plot", po::value<std::string>(), "after the run, draw its power over time (domains, states, regions) and where the energy went into FILE (.png or .svg) with tools/plot (Python 3 and matplotlib); the report and power CSV it reads are temporary files unless --report / --power-csv name them")
      ("power-interval", po::value<time_value>(), "sample interval of --power-csv and --power-vcd (default 100us, at least 10ns)")
      ("emram-image", po::value<std::string>(), "eMRAM contents: read from FILE at start (missing: erased, 0xFF), written back atomically at exit")

      ("gen-memmap", po::value<std::string>(), "write edgevp_memmap.h and edgevp_memmap.ld for the configuration into DIR and exit")
      ("gen-power-table", po::value<std::string>(), "write every power source of the configuration (component, domain, kind, value or table over voltage, as the models derive them) as JSON to FILE and exit; tools/sweep recost uses it")
      ("gdb", po::value<std::string>()->value_name("PORT"), "serve the GDB remote protocol on 127.0.0.1:PORT (0: a free port, printed on stderr); a debugger may attach at any time")
      ("gdb-wait", "with --gdb: hold the CPU at reset until a debugger attaches")
      ("quiet,q", "do not print the end-of-run summary (nor the progress line); a run that fails still says why")
      ("progress", "print the progress line (simulated time, instructions, MIPS, open region, energy) on stderr even when it is not a terminal; on a terminal it is on unless --quiet");
  return d;
}

po::options_description soc_description() {
  po::options_description d("SoC configuration (command line as --key=value, or `key = value` in a .cfg file)");
  d.add_options()
      ("peripherals", po::value<std::string>(), "peripheral instances, comma-separated (default uart,rtc,gpio; none for none); each one's keys are NAME.kind, NAME.base, ... (see Peripherals below)")
      ("accel", po::value<std::string>(), "accelerator instances, comma-separated (default cim0,cim1,snn0,tta0,cgra0; none for no accelerator); each one's keys are NAME.kind, NAME.base, ... (see Accelerators below)")
      ("pmu.opps", po::value<opps_value>(), "operating points VOLTAGE@FREQUENCY,... (default 0.8V@cpu.clock,0.6V@cpu.clock/2); the reset one sets the CPU clock");
  soc_config defaults;
  for (const core::param_binding& b : bind_params(defaults))
    d.add_options()(b.spec.key.c_str(), po::value<std::string>(), b.spec.describe().c_str());
  return d;
}

po::options_description scenario_description() {
  po::options_description d("Scenario keys (in a --scenario file)");
  d.add_options()
      ("scenario.firmware", po::value<std::string>(), "firmware: an app name (looked up in --firmware-dir) or a path relative to the scenario file")
      ("scenario.description", po::value<std::string>(), "one line saying what the scenario shows")
      ("expect.exit_code", po::value<int>(), "expected exit code of the firmware")
      ("expect.uart", po::value<std::vector<std::string>>()->composing(), "a line the UART must print (repeatable; in order)")
      ("expect.max_time", po::value<time_value>(), "the firmware must exit within this simulated time")
      ("expect.max_energy", po::value<energy_value>(), "the run's total energy must not exceed this")
      ("expect.max_avg_power", po::value<power_value>(), "the run's average power must not exceed this")
      ("expect.region", po::value<std::vector<std::string>>()->composing(), "a firmware region that must be opened and closed (repeatable)");
  return d;
}

// Boost.Program_options (1.74) writes an error's message by replacing each placeholder of its
// template with the option or the value as the user wrote them, for as long as one is left: text
// that holds a placeholder makes what() loop for ever (`--x%canonical_option%`,
// `expect.exit_code = %value%` in a file) or garbles the message. So no argument, line of a
// configuration or scenario file, or key or value of a report may hold one. Returns the
// placeholder `text` holds, or "".
std::string boost_placeholder_in(const std::string& text) {
  static const char* const placeholders[] = {"%canonical_option%", "%invalid_line%", "%option%",
                                             "%original_token%",   "%prefix%",       "%value%"};
  for (const char* p : placeholders)
    if (text.find(p) != std::string::npos) return p;
  return "";
}

[[noreturn]] void refuse_placeholder(const std::string& where, const std::string& placeholder) {
  throw usage_error(where + " holds '" + placeholder +
                    "', a placeholder of the option parser's messages, which no option, value or line may hold");
}

// Every option for a set of instances. Building it (hundreds of declared keys, each with its help)
// costs more than parsing a command line against it: a caller that parses many times (the fuzz
// targets, a tool) gets the one built before for the same instances (up to 8 sets are kept; the
// reference is good until the next call).
const po::options_description& all_description(const instance_decls& decls = {}) {
  static std::map<std::string, po::options_description> built;  // by the instances' names and kinds
  std::string key;
  for (const auto* list : {&decls.blocks, &decls.accels}) {
    for (const instance_decl& d : *list) key += d.name + '=' + d.kind + ',';
    key += ';';
  }
  auto it = built.find(key);
  if (it == built.end()) {
    if (built.size() >= 8) built.clear();
    po::options_description all;
    all.add(run_description()).add(soc_description()).add(scenario_description()).add(instance_description(decls));
    it = built.emplace(key, all).first;
  }
  return it->second;
}

// The files a configuration file stands for, highest priority first: the file itself, then what
// it includes (`config = FILE` lines, relative to it; the last include first), each followed by its
// own includes. `strict`: a missing included file, a cycle or a chain deeper than 16 is a usage
// error naming the including file; otherwise (the discovery pass) such an include is skipped and
// the strict pass reports it.
void expand_includes(const std::string& path, bool strict, std::vector<std::string>& out,
                     std::vector<std::string>& chain) {
  out.push_back(path);
  if (!core::unreadable_file(path).empty()) return;
  std::ifstream in(path);
  if (!in) return;
  std::vector<std::string> includes;
  try {
    po::options_description only("includes");
    only.add_options()("config", po::value<std::vector<std::string>>()->composing(), "");
    for (const po::option& o : po::parse_config_file(in, only, true).options)
      if (o.string_key == "config")
        for (const std::string& v : o.value) includes.push_back(v);
  } catch (const po::error&) {
    return;  // parse_file reports it
  }
  const auto real = [](const std::string& p) {
    char* r = ::realpath(p.c_str(), nullptr);
    if (r == nullptr) return p;
    std::string s(r);
    std::free(r);
    return s;
  };
  chain.push_back(real(path));
  const auto slash = path.find_last_of('/');
  const std::string dir = slash == std::string::npos ? "" : path.substr(0, slash + 1);
  for (auto it = includes.rbegin(); it != includes.rend(); ++it) {
    const std::string inc = !it->empty() && (*it)[0] == '/' ? *it : dir + *it;
    const std::string where = path + ": config = '" + *it + "': ";
    if (const std::string why = core::unreadable_file(inc); !why.empty()) {
      if (strict) throw usage_error(where + "cannot read configuration file '" + inc + "': it " + why);
      continue;
    }
    if (std::find(chain.begin(), chain.end(), real(inc)) != chain.end()) {
      if (strict)
        throw usage_error(where + "an include cycle ('" + inc + "' includes itself, directly or not)");
      continue;
    }
    if (chain.size() >= 16) {
      if (strict) throw usage_error(where + "includes nested deeper than 16 files");
      continue;
    }
    expand_includes(inc, strict, out, chain);
  }
  chain.pop_back();
}

std::vector<std::string> with_includes(const std::string& path, bool strict) {
  std::vector<std::string> out, chain;
  expand_includes(path, strict, out, chain);
  return out;
}

po::parsed_options parse_file(const std::string& path, const po::options_description& desc) {
  if (const std::string why = core::unreadable_file(path); !why.empty())
    throw usage_error("cannot read configuration file '" + path + "': it " + why);
  std::ifstream file(path);
  if (!file) throw usage_error("cannot read configuration file '" + path + "'");
  std::stringstream in;
  in << file.rdbuf();
  std::istringstream lines(in.str());
  unsigned n = 0;
  for (std::string line; std::getline(lines, line);) {
    ++n;
    if (const std::string p = boost_placeholder_in(line); !p.empty())
      refuse_placeholder(path + ": line " + std::to_string(n), p);
  }
  try {
    return po::parse_config_file(in, desc, false);
  } catch (const po::error& e) {
    throw usage_error(path + ": " + e.what());
  }
}


// The `configuration` section of a report (write_report): key -> values as written. Throws
// usage_error naming the file when it is not a report edgevp wrote.
std::vector<std::pair<std::string, std::vector<std::string>>> report_configuration(const std::string& path) {
  if (const std::string why = core::unreadable_file(path); !why.empty())
    throw usage_error("option '--config-from-report': '" + path + "' " + why);
  std::ifstream in(path);
  if (!in) throw usage_error("option '--config-from-report': cannot read '" + path + "'");
  nlohmann::json j;
  try {
    in >> j;
  } catch (const nlohmann::json::exception& e) {
    throw usage_error("option '--config-from-report': '" + path + "' is not JSON: " + e.what());
  }
  if (!j.is_object() || !j.contains("configuration") || !j["configuration"].is_object())
    throw usage_error("option '--config-from-report': '" + path + "' has no configuration section (an edgevp report from --report)");
  std::vector<std::pair<std::string, std::vector<std::string>>> out;
  for (const auto& [key, e] : j["configuration"].items()) {
    if (!e.is_object() || !e.contains("value"))
      throw usage_error("option '--config-from-report': '" + path + "': configuration key '" + key + "' has no value");
    if (!replayed(key)) continue;
    std::vector<std::string> values;
    const auto& v = e["value"];
    if (v.is_string()) values.push_back(v.get<std::string>());
    else if (v.is_array())
      for (const auto& x : v) {
        if (!x.is_string()) throw usage_error("option '--config-from-report': '" + path + "': key '" + key + "' has a value that is not text");
        values.push_back(x.get<std::string>());
      }
    else throw usage_error("option '--config-from-report': '" + path + "': key '" + key + "' has a value that is not text");
    // An empty default (a path not given: tta0.machine, cgra0.fabric) is what leaving it out means;
    // given again it would be an empty path.
    if (values.size() == 1 && values.front().empty() && e.value("origin", "") == "default") continue;
    out.emplace_back(key, values);
  }
  return out;
}

// A report's configuration as parsed options (values as written: no quoting to get wrong).
po::parsed_options report_options(const std::string& path, const po::options_description& desc) {
  po::parsed_options parsed(&desc);
  for (auto& [key, values] : report_configuration(path)) {
    std::vector<std::string> texts{key};
    texts.insert(texts.end(), values.begin(), values.end());
    for (const std::string& text : texts)
      if (const std::string p = boost_placeholder_in(text); !p.empty())
        refuse_placeholder("option '--config-from-report': '" + path + "': key '" + key + "'", p);
    po::option o(key, values);
    // As a configuration file's option has them: the key, then the values (a message about the
    // option names it by its first token: "unrecognised option 'KEY'", not its value).
    o.original_tokens = {key};
    o.original_tokens.insert(o.original_tokens.end(), values.begin(), values.end());
    parsed.options.push_back(o);
  }
  return parsed;
}

// Which source gave each key: the first (highest-priority) one, as po::store decides.
void record(const po::parsed_options& parsed, const std::string& origin, const std::string& file,
            std::map<std::string, given_value>& given) {
  for (const po::option& o : parsed.options) {
    if (o.string_key.empty() || o.unregistered) continue;
    auto it = given.find(o.string_key);
    if (it == given.end()) {
      given[o.string_key] = {o.value, origin, file};
    } else if (it->second.origin == origin && it->second.file == file) {
      it->second.values.insert(it->second.values.end(), o.value.begin(), o.value.end());  // repeated key
    }
  }
}

template <typename T>
void get(const po::variables_map& vm, const char* key, T& out);
template <>
void get(const po::variables_map& vm, const char* key, std::uint64_t& out) {
  if (vm.count(key) != 0) out = vm[key].as<u64_value>().v;
}
template <>
void get(const po::variables_map& vm, const char* key, sc_core::sc_time& out) {
  if (vm.count(key) != 0) out = vm[key].as<time_value>().t;
}
template <>
void get(const po::variables_map& vm, const char* key, std::string& out) {
  if (vm.count(key) != 0) out = vm[key].as<std::string>();
}


std::string dir_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? std::string(".") : path.substr(0, slash);
}

}  // namespace

namespace {
// One section of --help: the kinds, the keys every instance has, then each kind's own keys.
template <typename Kinds, typename Keys>
std::string instances_help(const std::string& intro, const std::string& what, const Kinds& kinds, Keys keys) {
  std::ostringstream os;
  os << intro;
  for (const auto& k : kinds) os << "  " << k.name << ": " << k.summary << '\n';
  os << '\n';
  po::options_description common("Keys of every " + what + " instance");
  add_declared_options(common, "NAME", keys(nullptr));
  os << common << '\n';
  for (const auto& k : kinds) {
    po::options_description d("Keys of a " + k.name + " instance");
    po::options_description full;
    add_declared_options(full, "NAME", keys(&k));
    // Only the kind's own keys (the common ones are listed above).
    for (const auto& o : full.options())
      if (common.find_nothrow(o->long_name(), false) == nullptr) d.add(o);
    if (!d.options().empty()) os << d << '\n';
  }
  return os.str();
}
}  // namespace

static std::string accel_help() {
  return instances_help("Accelerators (docs/accelerators.md): `accel = NAME,...` lists the instances (default cim0,cim1,snn0,tta0,cgra0:\n"
                        "cim0 is a cim-digital, cim1 a cim-analog, snn0 an snn, tta0 a tta, cgra0 a cgra); each NAME takes the keys below. Kinds:\n",
                        "accelerator", accel_kinds().kinds(), accel_keys);
}

static std::string peripheral_help() {
  return instances_help("Peripherals (docs/memory-map.md): `peripherals = NAME,...` lists the instances (default\n"
                        "uart,rtc,gpio, each of the kind of its name); each NAME takes the keys below. Kinds:\n",
                        "peripheral", block_kinds().kinds(), block_keys);
}

std::string help_text() {
  std::ostringstream os;
  os << "edgevp " EDGEVP_VERSION " - SystemC/TLM-2.0 virtual platform of an edge-AI RISC-V SoC\n\n"
        "Usage: edgevp [options] FIRMWARE.elf\n"
        "       edgevp --scenario FILE [options]\n\n"
     << run_description() << '\n'
     << soc_description() << '\n'
     << scenario_description() << '\n'
     << peripheral_help() << '\n'
     << accel_help() << '\n'
     << "Exit codes:\n"
        "  0..63  the firmware's exit code (syscon EXIT register or riscv-tests tohost)\n"
        "  1      with --scenario: an expectation was not met\n"
        "  64     usage error: unknown option, malformed value, missing firmware\n"
        "  65     image error: missing, truncated, corrupt, 64-bit or non-RISC-V ELF, segment outside memory\n"
        "  70     internal error\n"
        "  74     an output file cannot be written (also a full disk after the run, whatever the\n"
        "         firmware exited with), or the GDB port cannot be opened\n"
        "  78     configuration error: overlapping or impossible memory map\n"
        "  123    deadlock: the CPU waits for an interrupt that nothing can raise\n"
        "  124    --max-time reached before the firmware exited\n"
        "  125    unhandled trap (no trap handler installed) or a fault loop\n"
        "  130    stopped by SIGINT (Ctrl-C), 143 by SIGTERM: outputs written, eMRAM image saved;\n"
        "         a second signal ends edgevp at once; with --coverify, 129 for SIGHUP too\n"
        "  137    the debugger killed the run (gdb `kill`)\n";
  return os.str();
}

namespace {

// Pass 1 of the parse: the accelerator instances and their kinds, which decide what keys exist.
// Problems are left to pass 2, which reports them with the full option table.
instance_decls discover_instances(int argc, const char* const* argv) {
  po::options_description d1 = all_description();
  // Values of options unknown in this pass (`--npu.kind cim-analog`) look positional: take any number.
  d1.add_options()("pass1-positional", po::value<std::vector<std::string>>());
  po::positional_options_description pos;
  pos.add("pass1-positional", -1);
  po::variables_map vm;
  std::vector<std::pair<std::string, std::string>> kinds;  // (key, value), first wins
  std::vector<std::pair<std::string, std::string>> report_kinds;
  std::string report_accel;
  std::string report_peripherals;
  try {
    // `--NAME.kind=KIND` or `--NAME.kind KIND` on the command line.
    for (int i = 1; i < argc; ++i) {
      const std::string a = argv[i];
      if (a.rfind("--", 0) != 0) continue;
      const auto eq = a.find('=');
      const std::string key = a.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
      if (key.size() <= 5 || key.compare(key.size() - 5, 5, ".kind") != 0) continue;
      if (eq != std::string::npos)
        kinds.emplace_back(key, a.substr(eq + 1));
      else if (i + 1 < argc)
        kinds.emplace_back(key, argv[i + 1]);
    }
    po::store(po::command_line_parser(argc, argv).options(d1).positional(pos).allow_unregistered().run(), vm);
    std::vector<std::string> files;
    if (vm.count("config") != 0) {
      const auto cfgs = vm["config"].as<std::vector<std::string>>();
      files.assign(cfgs.rbegin(), cfgs.rend());
    }
    if (vm.count("scenario") != 0) files.push_back(vm["scenario"].as<std::string>());
    if (vm.count("config-from-report") != 0) {
      for (const auto& [key, values] : report_configuration(vm["config-from-report"].as<std::string>())) {
        if (values.empty()) continue;
        if (key == "accel" && report_accel.empty()) report_accel = values.front();
        if (key == "peripherals" && report_peripherals.empty()) report_peripherals = values.front();
        if (key.size() > 5 && key.compare(key.size() - 5, 5, ".kind") == 0) report_kinds.emplace_back(key, values.front());
      }
    }
    std::vector<std::string> expanded;
    for (const std::string& f : files)
      for (const std::string& g : with_includes(f, false)) expanded.push_back(g);
    for (const std::string& f : expanded) {
      if (!core::unreadable_file(f).empty()) continue;  // pass 2 says why
      std::ifstream in(f);
      if (!in) continue;
      const po::parsed_options parsed = po::parse_config_file(in, d1, true);
      po::store(parsed, vm);
      for (const po::option& o : parsed.options)
        if (o.unregistered && o.string_key.size() > 5 &&
            o.string_key.compare(o.string_key.size() - 5, 5, ".kind") == 0 && !o.value.empty())
          kinds.emplace_back(o.string_key, o.value.front());
    }
  } catch (const po::error&) {
    // Pass 2 reports it.
  }
  kinds.insert(kinds.end(), report_kinds.begin(), report_kinds.end());  // the report has the lowest priority
  auto list = [&vm](const char* key, const std::string& from_report) {
    return vm.count(key) != 0 ? vm[key].as<std::string>() : from_report;
  };
  return declare_instances(list("peripherals", report_peripherals), list("accel", report_accel), kinds);
}

// The effective configuration: files as resolved, and every declared key of each instance.
void complete_configuration(parsed_options& p) {
  auto resolved = [&p](const std::string& key, const std::string& value) {
    if (value.empty()) return;
    auto it = p.configuration.find(key);
    if (it == p.configuration.end()) p.configuration[key] = {{value}, "scenario", p.run.scenario};
    else it->second.values = {value};
  };
  resolved("firmware", p.run.firmware);
  p.configuration.erase("scenario.firmware");  // `firmware` is the resolved one
  echo_instance_defaults(p.soc, p.configuration);
  for (const core::param_binding& b : bind_params(p.soc)) {
    if (b.spec.key == "cpu.clock" && p.soc.opps_given) continue;  // the reset operating point's
    if (p.configuration.count(b.spec.key) == 0) p.configuration[b.spec.key] = {{b.get().str()}, "default", ""};
  }
}

}  // namespace

parsed_options parse_options(int argc, const char* const* argv) {
  for (int i = 1; i < argc; ++i)
    if (const std::string p = boost_placeholder_in(argv[i]); !p.empty())
      refuse_placeholder("argument '" + std::string(argv[i]) + "'", p);
  po::positional_options_description pos;
  pos.add("firmware", 1);
  const instance_decls decls = discover_instances(argc, argv);
  const po::options_description& desc = all_description(decls);
  po::variables_map vm;
  parsed_options p;
  std::map<std::string, given_value>& given = p.configuration;
  // Later sources lose in po::store (first stored wins): command line, then the last --config
  // first, then the scenario file, then a report's configuration.
  auto store = [&](const po::parsed_options& parsed, const std::string& origin, const std::string& file) {
    try {
      po::store(parsed, vm);
    } catch (const po::error& e) {
      throw usage_error(file.empty() ? std::string(e.what()) : file + ": " + e.what());
    }
    record(parsed, origin, file, given);
  };
  try {
    store(po::command_line_parser(argc, argv).options(desc).positional(pos).run(), "command line", "");
  } catch (const po::error& e) {
    throw usage_error(e.what());
  }
  if (vm.count("config") != 0) {
    p.run.configs = vm["config"].as<std::vector<std::string>>();
    for (auto it = p.run.configs.rbegin(); it != p.run.configs.rend(); ++it)
      for (const std::string& f : with_includes(*it, true)) store(parse_file(f, desc), "file", f);
  }
  if (vm.count("scenario") != 0) {
    p.run.scenario = vm["scenario"].as<std::string>();
    for (const std::string& f : with_includes(p.run.scenario, true))
      store(parse_file(f, desc), "scenario", f);
  }
  if (vm.count("config-from-report") != 0) {
    p.run.config_from_report = vm["config-from-report"].as<std::string>();
    store(report_options(p.run.config_from_report, desc), "report", p.run.config_from_report);
  }
  try {
    po::notify(vm);
  } catch (const po::error& e) {
    throw usage_error(e.what());
  }

  run_options& r = p.run;
  r.help = vm.count("help") != 0;
  r.version = vm.count("version") != 0;
  r.quiet = vm.count("quiet") != 0;
  r.progress = vm.count("progress") != 0;
  get(vm, "firmware", r.firmware);
  get(vm, "firmware-dir", r.firmware_dir);
  get(vm, "max-time", r.max_time);
  get(vm, "quantum", r.quantum);
  get(vm, "uart-out", r.uart_out);
  get(vm, "report", r.report);
  get(vm, "vcd", r.vcd);
  get(vm, "accel-log", r.accel_log);
  get(vm, "coverify", r.coverify);
  if (vm.count("coverify.tolerance") != 0) {
    r.coverify_tolerance = vm["coverify.tolerance"].as<double>();
    if (!(r.coverify_tolerance >= 0 && r.coverify_tolerance <= 10))
      throw usage_error("option 'coverify.tolerance' must be 0..10 (a relative error)");
  }
  get(vm, "coverify.slack", r.coverify_slack);
  get(vm, "trace-insn", r.trace_insn);
  get(vm, "power-vcd", r.power_vcd);
  get(vm, "power-csv", r.power_csv);
  get(vm, "power-plot", r.power_plot);
  if (!r.power_plot.empty()) {
    const std::string& f = r.power_plot;
    const bool ok = (f.size() > 4 && (f.compare(f.size() - 4, 4, ".png") == 0 || f.compare(f.size() - 4, 4, ".svg") == 0));
    if (!ok) throw usage_error("option '--power-plot': '" + f + "' does not end in .png or .svg");
  }
  get(vm, "power-interval", r.power_interval);
  get(vm, "emram-image", r.emram_image);
  // One CSV row or VCD value per interval: below 10 ns a millisecond of simulation is 100,000 rows
  // per ns (1 ps wrote 3.2 GB for 1 ms).
  if (r.power_interval < sc_core::sc_time(10, sc_core::SC_NS))
    throw usage_error("option '--power-interval': '" + r.power_interval.to_string() +
                      "' is below the smallest sample interval, 10 ns");
  get(vm, "gen-memmap", r.gen_memmap);
  get(vm, "gen-power-table", r.gen_power_table);
  if (vm.count("gdb") != 0) {
    const std::string port = vm["gdb"].as<std::string>();
    char* end = nullptr;
    const unsigned long v = std::strtoul(port.c_str(), &end, 10);
    if (port.empty() || port.find_first_not_of("0123456789") != std::string::npos || *end != '\0' || v > 65535)
      throw usage_error("option '--gdb': '" + port + "' is not a TCP port (0 to 65535)");
    r.gdb_port = static_cast<std::uint16_t>(v);
  }
  r.gdb_wait = vm.count("gdb-wait") != 0;
  if (r.gdb_wait && !r.gdb_port) throw usage_error("option '--gdb-wait' needs '--gdb PORT'");
  if (r.quantum == sc_core::SC_ZERO_TIME) throw usage_error("option '--quantum' must be greater than zero");
  if (r.max_time == sc_core::SC_ZERO_TIME) throw usage_error("option '--max-time' must be greater than zero");

  soc_config& s = p.soc;
  // Every key the SoC and its models declare (bind_params), each parsed against its declaration.
  for (core::param_binding& b : bind_params(s)) {
    if (vm.count(b.spec.key) == 0) continue;
    try {
      b.set(b.spec.parse(vm[b.spec.key].as<std::string>()));
    } catch (const core::param_error& e) {
      throw usage_error(source_of(given, b.spec.key) + e.what());
    }
  }
  make_instances(vm, decls, given, s);
  get(vm, "rtl-vcd", s.rtl_vcd);
  if (vm.count("pmu.opps") != 0) {
    s.pmu_cfg.opps = vm["pmu.opps"].as<opps_value>().opps;
    s.opps_given = true;
    // The same bounds as cpu.clock and aon.voltage: a point is a clock the CPU runs at.
    for (const core::power::operating_point& op : s.pmu_cfg.opps)
      if (!(op.frequency_hz >= 1e3 && op.frequency_hz <= 10e9) || !(op.voltage >= 0.05 && op.voltage <= 5.0))
      {
        char point[64];
        std::snprintf(point, sizeof(point), "%gV@%gHz", op.voltage, op.frequency_hz);
        throw usage_error(std::string("option 'pmu.opps': ") + point +
                          " is out of range: frequencies 1kHz..10GHz, voltages 0.05V..5V");
      }
    const unsigned reset = s.pmu_cfg.reset_opp;
    if (vm.count("cpu.clock") != 0 && reset < s.pmu_cfg.opps.size() && s.pmu_cfg.opps[reset].frequency_hz != s.cpu_clock_hz)
      throw usage_error("options 'cpu.clock' and 'pmu.opps' disagree: the reset operating point runs at " +
                        std::to_string(s.pmu_cfg.opps[reset].frequency_hz) + " Hz; give one of them");
  }

  scenario_spec& sc = p.scenario;
  sc.file = r.scenario;
  get(vm, "scenario.firmware", sc.firmware);
  get(vm, "scenario.description", sc.description);
  if (vm.count("expect.exit_code") != 0) sc.exit_code = vm["expect.exit_code"].as<int>();
  if (vm.count("expect.uart") != 0) sc.uart_lines = vm["expect.uart"].as<std::vector<std::string>>();
  if (vm.count("expect.max_time") != 0) sc.max_sim_time = vm["expect.max_time"].as<time_value>().t;
  if (vm.count("expect.max_energy") != 0) sc.max_energy = vm["expect.max_energy"].as<energy_value>().c.value();
  if (vm.count("expect.max_avg_power") != 0) sc.max_avg_power = vm["expect.max_avg_power"].as<power_value>().c.value();
  if (vm.count("expect.region") != 0) sc.regions = vm["expect.region"].as<std::vector<std::string>>();

  // Resolve the firmware: the command line wins over the scenario's.
  if (r.firmware.empty() && !sc.firmware.empty()) {
    const std::string& f = sc.firmware;
    if (f.find('/') != std::string::npos || (f.size() > 4 && f.compare(f.size() - 4, 4, ".elf") == 0))
      r.firmware = f[0] == '/' ? f : dir_of(r.scenario) + "/" + f;
    else
      r.firmware = (r.firmware_dir.empty() ? std::string(".") : r.firmware_dir) + "/" + f + ".elf";
  }
  if (!r.scenario.empty() && sc.firmware.empty() && r.firmware.empty())
    throw usage_error(r.scenario + ": no scenario.firmware given");
  complete_configuration(p);
  return p;
}

bool replayed(const std::string& key) {
  static const char* const not_replayed[] = {
      "help", "version", "config", "config-from-report", "scenario", "gen-memmap", "gen-power-table", "gdb", "gdb-wait", "quiet", "progress",
      "coverify", "report", "vcd", "trace-insn", "power-vcd", "power-csv", "power-plot", "uart-out", "accel-log", "rtl-vcd",
      "emram-image"};
  for (const char* k : not_replayed)
    if (key == k) return false;
  return true;
}

}  // namespace edgevp::platform

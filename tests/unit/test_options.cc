// Bench for the configuration front end: unit-carrying values (units.h) and the command line,
// configuration files and scenario files (options.h).
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <vector>

#include "platform/options.h"
#include "platform/units.h"

namespace {

using edgevp::platform::parse_frequency;
using edgevp::platform::parse_options;
using edgevp::platform::parse_time;
using edgevp::platform::parse_u64;
using edgevp::platform::parsed_options;
using edgevp::platform::usage_error;
using sc_core::SC_MS;
using sc_core::SC_NS;
using sc_core::SC_PS;
using sc_core::SC_SEC;
using sc_core::sc_time;
using sc_core::SC_US;

class options : public ::testing::Test {
 protected:
  options() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "edgevp_opt_XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    m_dir = tmpl;
  }
  ~options() override {
    std::error_code ec;
    std::filesystem::remove_all(m_dir, ec);
  }

  // Writes DIR/name (creating sub-directories) and returns its path.
  std::string file(const std::string& name, const std::string& text) {
    const std::filesystem::path p = m_dir / name;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p) << text;
    return p.string();
  }
  [[nodiscard]] std::string dir() const { return m_dir.string(); }

  static parsed_options parse(std::initializer_list<std::string> args) {
    std::vector<std::string> all{"edgevp"};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<const char*> argv;
    for (const std::string& a : all) argv.push_back(a.c_str());
    return parse_options(static_cast<int>(argv.size()), argv.data());
  }

  // parse() must throw usage_error whose message contains every one of `parts`.
  static void expect_usage_error(std::initializer_list<std::string> args,
                                 std::initializer_list<std::string> parts) {
    try {
      parse(args);
      ADD_FAILURE() << "no usage_error";
    } catch (const usage_error& e) {
      const std::string what = e.what();
      for (const std::string& p : parts)
        EXPECT_NE(what.find(p), std::string::npos) << "no '" << p << "' in: " << what;
    }
  }

 private:
  std::filesystem::path m_dir;
};

// ------------------------------------------------------------------ units.h

TEST_F(options, parse_time_accepts_numbers_with_a_unit) {
  EXPECT_EQ(parse_time("10ns"), sc_time(10, SC_NS));
  EXPECT_EQ(parse_time("1.5 us"), sc_time(1500, SC_NS));
  EXPECT_EQ(parse_time("2ms"), sc_time(2, SC_MS));
  EXPECT_EQ(parse_time("1s"), sc_time(1, SC_SEC));
  EXPECT_EQ(parse_time("100ps"), sc_time(100, SC_PS));
  EXPECT_EQ(parse_time("  7 ns  "), sc_time(7, SC_NS));
  EXPECT_EQ(parse_time("0ns"), sc_core::SC_ZERO_TIME);
  EXPECT_EQ(parse_time("2.8ns"), sc_time(2800, SC_PS));
}

TEST_F(options, parse_time_rejects_bad_values) {
  for (const char* bad :
       {"", "10", "ns", "-1ns", "10 parsecs", "10NS", "1e30s", "nan ns", "inf s", "1 0ns", "10ns extra"}) {
    EXPECT_FALSE(parse_time(bad).has_value()) << "'" << bad << "'";
  }
}

TEST_F(options, parse_u64_accepts_decimal_hex_and_binary_multiples) {
  EXPECT_EQ(parse_u64("4096"), 4096u);
  EXPECT_EQ(parse_u64("0"), 0u);
  EXPECT_EQ(parse_u64("0x80000000"), 0x80000000u);
  EXPECT_EQ(parse_u64("512KiB"), 512u * 1024);
  EXPECT_EQ(parse_u64("2MiB"), 2u << 20);
  EXPECT_EQ(parse_u64("1GiB"), 1u << 30);
  EXPECT_EQ(parse_u64("16K"), 16u * 1024);
  EXPECT_EQ(parse_u64("2M"), 2u << 20);
  EXPECT_EQ(parse_u64(" 64 KiB "), 64u * 1024);
  EXPECT_EQ(parse_u64("18446744073709551615"), ~std::uint64_t{0});
  EXPECT_EQ(parse_u64("16GiB"), std::uint64_t{16} << 30);
}

TEST_F(options, parse_u64_rejects_bad_values) {
  for (const char* bad : {"", "-1", "+1", "abc", "12abc", "1.5MiB", "08", "0x", "18446744073709551616",
                          "17179869184GiB", "1 TiB", "4 kB", "KiB"}) {
    EXPECT_FALSE(parse_u64(bad).has_value()) << "'" << bad << "'";
  }
}

TEST_F(options, parse_frequency_accepts_hz_multiples) {
  EXPECT_DOUBLE_EQ(*parse_frequency("100MHz"), 100e6);
  EXPECT_DOUBLE_EQ(*parse_frequency("32.768kHz"), 32768.0);
  EXPECT_DOUBLE_EQ(*parse_frequency("1GHz"), 1e9);
  EXPECT_DOUBLE_EQ(*parse_frequency("50000000"), 50e6);
  EXPECT_DOUBLE_EQ(*parse_frequency("10 Hz"), 10.0);
}

TEST_F(options, parse_frequency_rejects_bad_values) {
  for (const char* bad : {"", "0Hz", "0", "-5MHz", "100mhz", "MHz", "1THz", "fast"}) {
    EXPECT_FALSE(parse_frequency(bad).has_value()) << "'" << bad << "'";
  }
}

TEST_F(options, format_time_picks_a_readable_unit) {
  EXPECT_EQ(edgevp::platform::format_time(sc_time(1234, SC_US)), "1.234 ms");
  EXPECT_EQ(edgevp::platform::format_time(sc_time(2, SC_SEC)), "2.000000 s");
  EXPECT_EQ(edgevp::platform::format_time(sc_time(15, SC_NS)), "15.000 ns");
}

// ------------------------------------------------------------------ command line

TEST_F(options, defaults) {
  const parsed_options p = parse({});
  EXPECT_FALSE(p.run.help);
  EXPECT_TRUE(p.run.firmware.empty());
  EXPECT_TRUE(p.run.configs.empty());
  EXPECT_EQ(p.run.max_time, sc_time(10, SC_SEC));
  EXPECT_EQ(p.run.quantum, sc_time(10, SC_US));
  EXPECT_EQ(p.soc.sram.base, 0x80000000u);
  EXPECT_EQ(p.soc.sram.size, 512u * 1024);
  EXPECT_EQ(p.soc.rom.base, 0u);
  ASSERT_EQ(p.soc.blocks.size(), 3u);
  EXPECT_EQ(p.soc.blocks[0].name, "uart");
  EXPECT_EQ(p.soc.blocks[0].base, 0x10000000u);
  EXPECT_EQ(p.soc.blocks[0].irq, 1u);
  EXPECT_EQ(p.soc.blocks[1].name, "rtc");
  EXPECT_EQ(p.soc.blocks[1].base, 0x10003000u);
  EXPECT_EQ(p.soc.blocks[2].name, "gpio");
  EXPECT_EQ(p.soc.blocks[2].irq, 3u);
  EXPECT_EQ(p.soc.emram.base, 0x20000000u);
  EXPECT_DOUBLE_EQ(p.soc.cpu_clock_hz, 100e6);
  EXPECT_EQ(p.soc.bus.hop_latency, sc_time(2, SC_NS));
  const edgevp::cpu::timing_config t;
  EXPECT_EQ(p.soc.cpu_timing.cycles, t.cycles);
  EXPECT_EQ(p.soc.cpu_timing.branch_taken_extra, t.branch_taken_extra);
  EXPECT_EQ(p.soc.platform_id, 0xED6E0001u);
  EXPECT_TRUE(p.scenario.uart_lines.empty());
  EXPECT_FALSE(p.scenario.exit_code.has_value());
}

TEST_F(options, values_on_the_command_line) {
  const parsed_options p = parse({"--sram.size=1MiB", "--cpu.clock=50MHz", "--max-time", "2ms",
                                  "--cpu.cycles.div=8", "--cpu.cycles.branch_taken=3",
                                  "--bus.hop_latency=5ns", "--emram.base=0x30000000", "app.elf", "-q"});
  EXPECT_EQ(p.soc.sram.size, 1u << 20);
  EXPECT_DOUBLE_EQ(p.soc.cpu_clock_hz, 50e6);
  EXPECT_EQ(p.run.max_time, sc_time(2, SC_MS));
  EXPECT_EQ(p.soc.cpu_timing.cycles[static_cast<std::size_t>(edgevp::cpu::insn_class::div)], 8u);
  EXPECT_EQ(p.soc.cpu_timing.branch_taken_extra, 3u);
  EXPECT_EQ(p.soc.bus.hop_latency, sc_time(5, SC_NS));
  EXPECT_EQ(p.soc.emram.base, 0x30000000u);
  EXPECT_EQ(p.run.firmware, "app.elf");
  EXPECT_TRUE(p.run.quiet);
}

TEST_F(options, help_and_version_flags) {
  EXPECT_TRUE(parse({"--help"}).run.help);
  EXPECT_TRUE(parse({"-h"}).run.help);
  EXPECT_TRUE(parse({"--version"}).run.version);
  EXPECT_NE(edgevp::platform::help_text().find("--sram.size"), std::string::npos);
}

TEST_F(options, unknown_option_is_a_usage_error_naming_it) {
  expect_usage_error({"--bogus.key=1"}, {"bogus.key"});
  expect_usage_error({"--sram.sise=1MiB"}, {"sram.sise"});
}

TEST_F(options, malformed_value_is_a_usage_error_naming_the_key) {
  expect_usage_error({"--sram.size=lots"}, {"sram.size", "lots"});
  expect_usage_error({"--max-time=10"}, {"max-time"});
  expect_usage_error({"--cpu.clock=fast"}, {"cpu.clock"});
  expect_usage_error({"--bus.hop_latency=-2ns"}, {"bus.hop_latency"});
}

TEST_F(options, value_too_wide_for_its_field_names_the_key) {
  expect_usage_error({"--cpu.cycles.div=0x100000000"}, {"cpu.cycles.div"});
  expect_usage_error({"--syscon.platform_id=0x1FFFFFFFF"}, {"syscon.platform_id"});
}

TEST_F(options, zero_quantum_or_time_limit_is_refused) {
  expect_usage_error({"--quantum=0ns"}, {"quantum"});
  expect_usage_error({"--max-time=0s"}, {"max-time"});
}

// ------------------------------------------------------------------ configuration files

TEST_F(options, config_file_sets_keys) {
  const std::string a =
      file("a.cfg", "# a comment\nsram.size = 256KiB\ncpu.clock = 20MHz\n\nuart.base = 0x10010000\n");
  const parsed_options p = parse({"--config", a});
  EXPECT_EQ(p.soc.sram.size, 256u * 1024);
  EXPECT_DOUBLE_EQ(p.soc.cpu_clock_hz, 20e6);
  EXPECT_EQ(p.soc.blocks[0].base, 0x10010000u);
  ASSERT_EQ(p.run.configs.size(), 1u);
  EXPECT_EQ(p.run.configs[0], a);
}

TEST_F(options, later_config_file_wins) {
  const std::string a = file("a.cfg", "sram.size = 256KiB\ncpu.clock = 20MHz\n");
  const std::string b = file("b.cfg", "sram.size = 128KiB\n");
  const parsed_options p = parse({"--config", a, "--config", b});
  EXPECT_EQ(p.soc.sram.size, 128u * 1024);
  EXPECT_DOUBLE_EQ(p.soc.cpu_clock_hz, 20e6) << "a key only the first file sets";
  const parsed_options q = parse({"-c", b, "-c", a});
  EXPECT_EQ(q.soc.sram.size, 256u * 1024);
}

TEST_F(options, command_line_wins_over_config_files) {
  const std::string a = file("a.cfg", "sram.size = 256KiB\n");
  const std::string b = file("b.cfg", "sram.size = 128KiB\n");
  EXPECT_EQ(parse({"--config", a, "--config", b, "--sram.size=64KiB"}).soc.sram.size, 64u * 1024);
  EXPECT_EQ(parse({"--sram.size=64KiB", "--config", a}).soc.sram.size, 64u * 1024);
}

TEST_F(options, unknown_key_in_a_config_file_names_file_and_key) {
  const std::string bad = file("bad.cfg", "sram.size = 1MiB\nnonsense.key = 3\n");
  expect_usage_error({"--config", bad}, {bad, "nonsense.key"});
}

TEST_F(options, malformed_value_in_a_config_file_names_file_and_key) {
  const std::string bad = file("bad.cfg", "sram.size = huge\n");
  expect_usage_error({"--config", bad}, {bad, "sram.size"});
}

TEST_F(options, missing_config_file_is_named) {
  const std::string missing = dir() + "/nope.cfg";
  expect_usage_error({"--config", missing}, {missing});
}

// ------------------------------------------------------------------ scenario files

TEST_F(options, scenario_firmware_name_resolves_through_firmware_dir) {
  const std::string s = file("scenarios/hello.cfg",
                             "scenario.firmware = hello\n"
                             "scenario.description = prints two lines\n"
                             "expect.exit_code = 3\n"
                             "expect.uart = Hello, world!\n"
                             "expect.uart = second line\n"
                             "expect.max_time = 5ms\n");
  const parsed_options p = parse({"--scenario", s, "--firmware-dir", "/opt/fw"});
  EXPECT_EQ(p.run.scenario, s);
  EXPECT_EQ(p.scenario.file, s);
  EXPECT_EQ(p.scenario.firmware, "hello");
  EXPECT_EQ(p.run.firmware, "/opt/fw/hello.elf");
  EXPECT_EQ(p.scenario.description, "prints two lines");
  ASSERT_TRUE(p.scenario.exit_code.has_value());
  EXPECT_EQ(*p.scenario.exit_code, 3);
  ASSERT_EQ(p.scenario.uart_lines.size(), 2u);
  EXPECT_EQ(p.scenario.uart_lines[0], "Hello, world!");
  EXPECT_EQ(p.scenario.uart_lines[1], "second line");
  ASSERT_TRUE(p.scenario.max_sim_time.has_value());
  EXPECT_EQ(*p.scenario.max_sim_time, sc_time(5, SC_MS));

  // Without --firmware-dir: the current directory.
  EXPECT_EQ(parse({"--scenario", s}).run.firmware, "./hello.elf");
}

TEST_F(options, scenario_firmware_path_is_relative_to_the_scenario_file) {
  const std::string s = file("scenarios/sub/rel.cfg", "scenario.firmware = ../bin/app.elf\n");
  EXPECT_EQ(parse({"--scenario", s, "--firmware-dir", "/opt/fw"}).run.firmware,
            dir() + "/scenarios/sub/../bin/app.elf");
  const std::string t = file("scenarios/sub/elf.cfg", "scenario.firmware = app.elf\n");
  EXPECT_EQ(parse({"--scenario", t}).run.firmware, dir() + "/scenarios/sub/app.elf");
  const std::string u = file("scenarios/sub/abs.cfg", "scenario.firmware = /abs/app.elf\n");
  EXPECT_EQ(parse({"--scenario", u}).run.firmware, "/abs/app.elf");
}

TEST_F(options, command_line_firmware_wins_over_the_scenario) {
  const std::string s = file("s.cfg", "scenario.firmware = hello\n");
  EXPECT_EQ(parse({"--scenario", s, "other.elf"}).run.firmware, "other.elf");
}

TEST_F(options, scenario_sets_soc_keys_and_the_command_line_wins) {
  const std::string s = file("s.cfg", "scenario.firmware = hello\nsram.size = 1MiB\ncpu.clock = 10MHz\n");
  const parsed_options p = parse({"--scenario", s, "--sram.size=2MiB"});
  EXPECT_EQ(p.soc.sram.size, 2u << 20);
  EXPECT_DOUBLE_EQ(p.soc.cpu_clock_hz, 10e6);
}

TEST_F(options, scenario_without_firmware_is_a_usage_error) {
  const std::string s = file("empty.cfg", "expect.exit_code = 0\n");
  expect_usage_error({"--scenario", s}, {s, "scenario.firmware"});
}

TEST_F(options, unknown_key_in_a_scenario_names_file_and_key) {
  const std::string s = file("typo.cfg", "scenario.firmware = hello\nexpect.uarts = x\n");
  expect_usage_error({"--scenario", s}, {s, "expect.uarts"});
}

// ------------------------------------------------------------------ found by fuzzing (tests/fuzz)

// Boost.Program_options fills its messages' placeholders (%canonical_option%, %value%, ...) with
// what the user wrote for as long as one is left: an option or value holding one made the message
// loop for ever (fuzz_config: a scenario line `expect.r%canonical_option%egion = active`) or came
// out garbled. Such text is refused, naming where it is and the placeholder.
TEST_F(options, boost_message_placeholders_on_the_command_line_are_refused) {
  expect_usage_error({"--x%canonical_option%=1"}, {"--x%canonical_option%=1", "'%canonical_option%'"});
  expect_usage_error({"--expect.exit_code=%value%"}, {"'%value%'"});
  expect_usage_error({"--sram.size", "%original_token%"}, {"'%original_token%'"});
  expect_usage_error({"--x%option%=1"}, {"'%option%'"});
  expect_usage_error({"--%prefix%"}, {"'%prefix%'"});
  expect_usage_error({"%invalid_line%.elf"}, {"'%invalid_line%'"});
}

TEST_F(options, boost_message_placeholders_in_files_are_refused_naming_the_line) {
  const std::string s = file("fuzz.cfg", "scenario.firmware = duty_cycle\nexpect.exit_code = 0\n"
                                         "expect.r%canonical_option%egion = active\n");
  expect_usage_error({"--scenario", s}, {s + ": line 3", "'%canonical_option%'"});
  const std::string c = file("c.cfg", "sram.size = 1MiB\n%invalid_line%\n");
  expect_usage_error({"--config", c}, {c + ": line 2", "'%invalid_line%'"});
  const std::string v = file("v.cfg", "expect.exit_code = %value%\n");
  expect_usage_error({"--config", v}, {v + ": line 1", "'%value%'"});
  const std::string h = file("h.cfg", "[%canonical_option%]\nx = 1\n");
  expect_usage_error({"--config", h}, {h + ": line 1"});
  // A percent sign alone is text like any other.
  const std::string u = file("u.cfg", "scenario.firmware = hello\nexpect.uart = 100% done (50%% of %d)\n");
  EXPECT_EQ(parse({"--scenario", u}).scenario.uart_lines.at(0), "100% done (50%% of %d)");
}

TEST_F(options, boost_message_placeholders_in_a_report_are_refused) {
  const std::string k = file("k.json", R"({"configuration": {"x%canonical_option%": {"value": "1"}}})");
  expect_usage_error({"--config-from-report", k}, {k, "x%canonical_option%", "'%canonical_option%'"});
  const std::string v =
      file("v.json", R"({"configuration": {"expect.exit_code": {"value": "%value%", "origin": "file"}}})");
  expect_usage_error({"--config-from-report", v}, {v, "expect.exit_code", "'%value%'"});
}

// A key of a report's configuration that edgevp does not know is named by the key (it was named
// by its value: "unrecognised option '1'").
TEST_F(options, unknown_key_in_a_report_names_the_key) {
  const std::string r = file("r.json", R"({"configuration": {"bogus.key": {"value": "1", "origin": "file"}}})");
  expect_usage_error({"--config-from-report", r}, {r, "unrecognised option 'bogus.key'"});
}

}  // namespace

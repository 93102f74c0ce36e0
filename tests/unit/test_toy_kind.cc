// A complete accelerator kind in one file, the way docs/accelerators.md says to write one: it
// registers itself, declares its typed keys (a range, a choice, a list), its power source, its
// registers and its descriptor constants, and then is configurable from the command line, listed
// in --help, built by the SoC from configuration alone and addressable by firmware through the
// generated register header. Nothing outside this file names it.
//
// "toy" scales a buffer of int8 values: y = clamp(x * GAIN >> SHIFT), one byte a cycle.
//   0x40 GAIN   ro  the configured gain
//   0x44 MODE   ro  0 saturate, 1 wrap
//   descriptor SCALE (opcode 1, 5 words): header, next, src, dst, len
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "models/accelerators/accelerator.h"
#include "models/accelerators/regs_header.h"
#include "models/core/errors.h"
#include "platform/options.h"
#include "platform/soc.h"
#include "tests/unit/accel_bench.h"

namespace {

using edgevp::accel::error;
using edgevp::accel::instance;
using edgevp::accel::kind_info;
using edgevp::accel::registry;
using edgevp::core::param_spec;
using namespace edgevp::test;

namespace toy_regs {
inline constexpr std::uint64_t gain = 0x40, mode = 0x44;
}
inline constexpr std::uint8_t op_scale = 1;
inline constexpr unsigned scale_words = 5;

class toy final : public edgevp::accel::accelerator {
 public:
  toy(const sc_core::sc_module_name& n, const instance& inst)
      : accelerator(n, inst, 0x7E),
        gain_reg(this, "GAIN", toy_regs::gain, static_cast<std::uint32_t>(inst.integer("gain")),
                 edgevp::core::access::ro),
        mode_reg(this, "MODE", toy_regs::mode, inst.text("mode") == "wrap" ? 1u : 0u,
                 edgevp::core::access::ro),
        m_gain(static_cast<std::int32_t>(inst.integer("gain"))),
        m_wrap(inst.text("mode") == "wrap") {
    power().add_event("byte", inst.power_source("byte", 2e-15), {&m_bytes});
  }
  edgevp::core::reg<std::uint32_t> gain_reg;
  edgevp::core::reg<std::uint32_t> mode_reg;

 protected:
  [[nodiscard]] unsigned descriptor_words(std::uint8_t op) const override {
    return op == op_scale ? scale_words : 0;
  }
  sc_core::sc_time execute(edgevp::accel::job& j) override {
    const std::uint32_t src = j.word(2), dst = j.word(3), len = j.word(4);
    if (len == 0 || len > 4096) {
      j.fail(error::shape);
      return j.start();
    }
    if (!j.check_buffer(src, len) || !j.check_buffer(dst, len) || !j.charge(len)) return j.start();
    std::vector<std::int8_t> buf(len);
    sc_core::sc_time t = j.start();
    if (!j.read(src, buf.data(), len, t)) return t;
    for (std::int8_t& v : buf) {
      const std::int32_t y = v * m_gain;
      v = m_wrap ? static_cast<std::int8_t>(y)
                 : static_cast<std::int8_t>(y < -128  ? -128
                                            : y > 127 ? 127
                                                      : y);
    }
    t += j.cycles(len);
    j.write(dst, buf.data(), len, t);
    m_bytes += len;
    count_ops(len);
    return t;
  }

 private:
  std::int32_t m_gain;
  bool m_wrap;
  std::uint64_t m_bytes = 0;
};

kind_info toy_kind() {
  kind_info k;
  k.name = "toy";
  k.code = 0x7E;
  k.summary = "test kind: scales int8 buffers";
  k.keys = {param_spec::integer("gain", 2, 1, 100, "multiplier"),
            param_spec::choice("mode", "saturate", {"saturate", "wrap"}, "what happens past int8"),
            param_spec::list("tags", {}, "labels, for the report only", {"red", "green"})};
  k.power = {param_spec::energy("byte", 2e-15, "energy per byte scaled")};
  k.constants = {{"OP_SCALE", op_scale}, {"SCALE_WORDS", scale_words}};
  k.make = [](const instance& inst) -> std::unique_ptr<edgevp::accel::accelerator> {
    return std::make_unique<toy>(inst.name.c_str(), inst);
  };
  return k;
}

// The one registration line.
const bool registered = (registry::builtin().add(toy_kind()), true);

edgevp::platform::parsed_options parse(std::vector<const char*> args) {
  args.insert(args.begin(), "edgevp");
  return edgevp::platform::parse_options(static_cast<int>(args.size()), args.data());
}

TEST(toy_kind, is_configured_from_the_command_line_with_its_typed_keys) {
  ASSERT_TRUE(registered);
  const auto o = parse({"--accel=toy0", "--toy0.kind=toy", "--toy0.gain=7", "--toy0.mode=wrap",
                        "--toy0.tags=red,green", "--toy0.power.byte=3fJ", "fw.elf"});
  ASSERT_EQ(o.soc.accels.size(), 1u);
  const instance& a = o.soc.accels[0];
  EXPECT_EQ(a.kind, "toy");
  EXPECT_EQ(a.params.integer("gain"), 7u);
  EXPECT_EQ(a.params.text("mode"), "wrap");
  EXPECT_EQ(a.params.items("tags"), (std::vector<std::string>{"red", "green"}));
  EXPECT_DOUBLE_EQ(a.power_overrides.at("byte").value(), 3e-15);
  EXPECT_EQ(o.configuration.at("toy0.gain").origin, "command line");
  EXPECT_EQ(o.configuration.at("toy0.mode").values, std::vector<std::string>{"wrap"});
}

TEST(toy_kind, bad_values_are_usage_errors_naming_the_key) {
  auto error_of = [](std::vector<const char*> args) -> std::string {
    try {
      (void)parse(std::move(args));
    } catch (const edgevp::platform::usage_error& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_EQ(error_of({"--accel=t", "--t.kind=toy", "--t.gain=0", "fw.elf"}),
            "option 't.gain': '0' is out of range: expected integer 1..100");
  EXPECT_EQ(error_of({"--accel=t", "--t.kind=toy", "--t.mode=fold", "fw.elf"}),
            "option 't.mode': 'fold' is not one of saturate, wrap");
  EXPECT_EQ(error_of({"--accel=t", "--t.kind=toy", "--t.tags=blue", "fw.elf"}),
            "option 't.tags': 'blue' has 'blue', not one of red, green");
  EXPECT_NE(error_of({"--accel=t", "--t.kind=toy", "--t.rows=4", "fw.elf"}).find("t.rows"),
            std::string::npos);
}

TEST(toy_kind, is_listed_in_help) {
  const std::string h = edgevp::platform::help_text();
  EXPECT_NE(h.find("toy: test kind: scales int8 buffers"), std::string::npos);
  EXPECT_NE(h.find("Keys of a toy instance"), std::string::npos);
  EXPECT_NE(h.find("--NAME.mode arg"), std::string::npos);
  EXPECT_NE(h.find("one of saturate, wrap"), std::string::npos);
}

TEST(toy_kind, firmware_gets_its_registers_and_constants_from_the_generated_header) {
  std::ostringstream h;
  edgevp::accel::write_regs_header(h, registry::builtin());
  const std::string s = h.str();
  EXPECT_NE(s.find("#define EDGEVP_TOY_GAIN                          0x40u"), std::string::npos) << s;
  EXPECT_NE(s.find("#define EDGEVP_TOY_MODE                          0x44u"), std::string::npos);
  EXPECT_NE(s.find("#define EDGEVP_TOY_ID                            0xacce7e01u"), std::string::npos);
  EXPECT_NE(s.find("#define EDGEVP_TOY_OP_SCALE                      0x1u"), std::string::npos);
  EXPECT_NE(s.find("#define EDGEVP_TOY_SCALE_WORDS                   0x5u"), std::string::npos);
}

TEST(toy_kind, the_soc_builds_it_from_configuration_alone) {
  const auto o = parse({"--accel=toy0", "--toy0.kind=toy", "--toy0.gain=3", "fw.elf"});
  edgevp::platform::soc top("top", o.soc, [](unsigned char) {});
  ASSERT_EQ(top.accels.size(), 1u);
  auto* t = dynamic_cast<toy*>(top.accels[0].get());
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->gain_reg.get(), 3u);
  EXPECT_EQ(t->config().base, 0x11000000u);  // the first accelerator window, from the configuration
}

TEST(toy_kind, runs_a_job_as_configured) {
  // 100 x 3 saturates, -5 x 3 does not.
  const auto o = parse({"--accel=toy0", "--toy0.kind=toy", "--toy0.gain=3", "fw.elf"});
  instance inst = o.soc.accels[0];
  inst.name = "bench_toy";
  inst.base = accel_base;
  accel_bench b(inst, registry::builtin());
  const std::int8_t in[4] = {100, -5, 1, -128};
  b.poke(sram_base + 0x100, in, sizeof(in));
  b.poke_words(sram_base, {op_scale, 0, static_cast<std::uint32_t>(sram_base + 0x100),
                           static_cast<std::uint32_t>(sram_base + 0x200), 4});
  b.run(sram_base);
  EXPECT_EQ(b.status() & edgevp::accel::status_bits::error, 0u);
  const std::vector<unsigned char> out = b.peek(sram_base + 0x200, 4);
  EXPECT_EQ(static_cast<std::int8_t>(out[0]), 127);
  EXPECT_EQ(static_cast<std::int8_t>(out[1]), -15);
  EXPECT_EQ(static_cast<std::int8_t>(out[2]), 3);
  EXPECT_EQ(static_cast<std::int8_t>(out[3]), -128);
}

}  // namespace

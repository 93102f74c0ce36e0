// Typed parameters (models/core/param.h): what each type accepts, ranges and choices, relative
// paths, text that reads back to the same value, and errors that name the key.
#include <gtest/gtest.h>

#include <string>

#include "models/core/param.h"

namespace {

using edgevp::core::param_error;
using edgevp::core::param_spec;
using edgevp::core::param_type;
using edgevp::core::param_value;
using edgevp::core::param_values;

std::string error_of(const param_spec& s, const std::string& text, const std::string& prefix = "") {
  try {
    (void)s.parse(text, "", prefix);
  } catch (const param_error& e) {
    return e.what();
  }
  return "";
}

TEST(param, integer_takes_multiples_and_hex_within_its_range) {
  const param_spec s = param_spec::integer("rows", 256, 1, 4096, "array rows");
  EXPECT_EQ(s.parse("4K").integer, 4096u);
  EXPECT_EQ(s.parse("0x10").integer, 16u);
  EXPECT_EQ(error_of(s, "0", "cim0."), "option 'cim0.rows': '0' is out of range: expected integer 1..4096");
  EXPECT_NE(error_of(s, "4097").find("out of range"), std::string::npos);
  EXPECT_NE(error_of(s, "-1").find("is not an integer"), std::string::npos);
  EXPECT_NE(error_of(s, "12abc").find("is not an integer"), std::string::npos);
}

TEST(param, real_refuses_nan_inf_and_text) {
  const param_spec s = param_spec::real("read_noise", 0.01, 0.0, 10.0, "read noise");
  EXPECT_DOUBLE_EQ(s.parse("0.5").real, 0.5);
  EXPECT_NE(error_of(s, "nan").find("finite"), std::string::npos);
  EXPECT_NE(error_of(s, "inf").find("finite"), std::string::npos);
  EXPECT_NE(error_of(s, "1e400").find("finite"), std::string::npos);
  EXPECT_NE(error_of(s, "0.5x").find("not a number"), std::string::npos);
  EXPECT_NE(error_of(s, "-0.1").find("out of range"), std::string::npos);
}

TEST(param, time_and_frequency_need_units_and_ranges) {
  const param_spec t =
      param_spec::time("mvm_time", sc_core::sc_time(14.4, sc_core::SC_NS),
                       sc_core::sc_time(1, sc_core::SC_PS), sc_core::sc_time(1, sc_core::SC_MS), "t");
  EXPECT_EQ(t.parse("2us").time, sc_core::sc_time(2, sc_core::SC_US));
  EXPECT_NE(error_of(t, "10").find("is not a time"), std::string::npos);
  EXPECT_NE(error_of(t, "2ms").find("out of range"), std::string::npos);
  EXPECT_NE(error_of(t, "0ps").find("out of range"), std::string::npos);
  const param_spec f = param_spec::frequency("clock", 100e6, 1e3, 2e9, "clock");
  EXPECT_DOUBLE_EQ(f.parse("32.768kHz").real, 32768.0);
  EXPECT_NE(error_of(f, "3GHz").find("out of range"), std::string::npos);
}

TEST(param, boolean_choice_and_list) {
  EXPECT_TRUE(param_spec::boolean("b", false, "").parse("yes").boolean);
  EXPECT_FALSE(param_spec::boolean("b", true, "").parse("off").boolean);
  EXPECT_NE(error_of(param_spec::boolean("b", false, ""), "maybe").find("not a boolean"), std::string::npos);
  const param_spec c = param_spec::choice("neuron", "lif", {"lif", "if"}, "neuron model");
  EXPECT_EQ(c.parse("if").text, "if");
  EXPECT_EQ(error_of(c, "hh"), "option 'neuron': 'hh' is not one of lif, if");
  const param_spec l = param_spec::list("layers", {}, "layers", {"conv", "fc"});
  EXPECT_EQ(l.parse("conv, fc,conv").items, (std::vector<std::string>{"conv", "fc", "conv"}));
  EXPECT_NE(error_of(l, "conv,,fc").find("empty item"), std::string::npos);
  EXPECT_NE(error_of(l, "conv,pool").find("'pool', not one of conv, fc"), std::string::npos);
  EXPECT_TRUE(param_spec::list("any", {}, "").parse("").items.empty());
}

TEST(param, path_is_resolved_against_the_naming_file) {
  const param_spec p = param_spec::path("program", "", "program");
  EXPECT_EQ(p.parse("prog.s", "configs").text, "configs/prog.s");
  EXPECT_EQ(p.parse("/abs/prog.s", "configs").text, "/abs/prog.s");
  EXPECT_EQ(p.parse("prog.s", "").text, "prog.s");
  EXPECT_NE(error_of(p, "").find("not a file path"), std::string::npos);
}

TEST(param, energy_and_power_take_tables_over_voltage) {
  const param_spec e = param_spec::energy("mac", 1e-12, "energy per MAC");
  EXPECT_TRUE(e.parse("0.6V:1pJ,0.8V:2pJ").curve.is_table());
  EXPECT_NE(error_of(e, "3pW").find("not an energy"), std::string::npos);
  EXPECT_DOUBLE_EQ(param_spec::power("leak", 0.0, "").parse("1.7uW").curve.value(), 1.7e-6);
}

TEST(param, str_reads_back_to_the_same_value) {
  const param_spec specs[] = {
      param_spec::integer("i", 4096, 0, 1u << 20, ""),
      param_spec::real("r", 39.26e-6, 0, 1, ""),
      param_spec::time("t", sc_core::sc_time(14.4, sc_core::SC_NS), sc_core::SC_ZERO_TIME,
                       sc_core::sc_time(1, sc_core::SC_SEC), ""),
      param_spec::frequency("f", 32768, 1, 1e10, ""),
      param_spec::boolean("b", true, ""),
      param_spec::list("l", {"a", "b"}, ""),
      param_spec::energy("e", 2.0 / 63e12, ""),
  };
  for (const param_spec& s : specs) {
    const param_value back = s.parse(s.default_value.str());
    EXPECT_EQ(back.str(), s.default_value.str()) << s.key;
  }
  EXPECT_EQ(specs[2].default_value.str(), "14.4ns");
  EXPECT_EQ(specs[3].default_value.str(), "32.768kHz");
}

TEST(param, values_fill_defaults_and_check_what_code_sets) {
  const std::vector<param_spec> specs = {param_spec::integer("rows", 256, 1, 4096, ""),
                                         param_spec::real("g", 1.0, 0, 2, "")};
  param_values v(specs, {{"rows", param_value::of(std::uint64_t{128})}});
  EXPECT_EQ(v.integer("rows"), 128u);
  EXPECT_DOUBLE_EQ(v.real("g"), 1.0);
  EXPECT_THROW((void)v.integer("g"), param_error);  // read with the wrong type
  EXPECT_THROW(param_values(specs, {{"nope", param_value::of(std::uint64_t{1})}}, "x."), param_error);
  EXPECT_THROW(param_values(specs, {{"rows", param_value::of(std::uint64_t{0})}}, "x."), param_error);
  EXPECT_THROW(param_values(specs, {{"rows", param_value::of_real(1.0)}}, "x."), param_error);
}

TEST(param, describe_says_what_is_accepted_and_the_default) {
  EXPECT_EQ(param_spec::integer("rows", 256, 1, 4096, "array rows").describe(),
            "array rows [integer 1..4096] (default 256)");
  EXPECT_EQ(param_spec::choice("impl", "tlm", {"tlm", "rtl"}, "implementation").describe(),
            "implementation [one of tlm, rtl] (default tlm)");
  EXPECT_EQ(param_spec::energy("adc", 0.0, "ADC").computed_default("from adc_bits").describe(),
            "ADC [an energy, or a table over voltage (0.6V:1pJ,0.8V:2pJ)] (default from adc_bits)");
}

}  // namespace

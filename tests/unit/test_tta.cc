// Bench for the transport-triggered accelerator (models/accelerators/tta/): the machine
// description and its errors, every instruction form on a tiny machine (moves, short and long
// immediates, guards), latencies, the control unit's delay slots, call, loop and halt, every
// program fault and the timeout, the vector operations against a reference written here from
// docs/models/tta.md, the energy events, and the descriptors through the accelerator contract.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "models/accelerators/tta/tta.h"
#include "models/core/errors.h"
#include "tests/unit/accel_bench.h"

namespace {

namespace tta = edgevp::accel::tta;
using edgevp::accel::error;
using edgevp::accel::instance;
using namespace edgevp::test;

// --- a tiny machine --------------------------------------------------------------------------

// Units: cu 0, imm 1, rf 2, bool 3, alu 4, lsu 5, vmac 6, vact 7, vst 8. Buses: b0, b1 (32 bits,
// 8-bit short immediates, everything no wider), v0 (1024 bits, the vector ports).
const char* const tiny_json = R"({
  "name": "tiny",
  "memories": {"imem": {"instructions": 64}, "dmem": {"bytes": 1024}, "pmem": {"bytes": 1024}},
  "buses": [
    {"name": "b0", "width": 32, "simm_bits": 8, "sources": ["*"], "destinations": ["*"]},
    {"name": "b1", "width": 32, "simm_bits": 8, "sources": ["*"], "destinations": ["*"]},
    {"name": "v0", "width": 1024, "simm_bits": 0, "sources": ["vmac.out1", "vact.out1"],
     "destinations": ["vact.in2", "vst.in2"]}
  ],
  "units": [
    {"name": "cu", "type": "control", "delay_slots": 2,
     "ports": [{"name": "in1t", "role": "trigger", "width": 32}, {"name": "in2", "role": "operand", "width": 32},
               {"name": "ra", "role": "result", "width": 32}],
     "operations": [{"name": "jump", "latency": 1}, {"name": "call", "latency": 1},
                    {"name": "halt", "latency": 1}, {"name": "loop", "latency": 1}]},
    {"name": "imm", "type": "immediate", "registers": 2, "width": 32},
    {"name": "rf", "type": "registers", "registers": 8, "width": 32, "read_ports": 1, "write_ports": 1},
    {"name": "bool", "type": "registers", "registers": 2, "width": 1, "read_ports": 1, "write_ports": 1, "guard": true},
    {"name": "alu", "type": "fu",
     "ports": [{"name": "in1t", "role": "trigger", "width": 32}, {"name": "in2", "role": "operand", "width": 32},
               {"name": "out1", "role": "result", "width": 32}],
     "operations": [{"name": "add", "latency": 1}, {"name": "sub", "latency": 1}, {"name": "eq", "latency": 1},
                    {"name": "mul", "latency": 3}, {"name": "shr", "latency": 1}, {"name": "gt", "latency": 1},
                    {"name": "gtu", "latency": 1}, {"name": "min", "latency": 1}, {"name": "max", "latency": 1}]},
    {"name": "lsu", "type": "fu", "memory": "dmem",
     "ports": [{"name": "in1t", "role": "trigger", "width": 32}, {"name": "in2", "role": "operand", "width": 32},
               {"name": "out1", "role": "result", "width": 32}],
     "operations": [{"name": "ld32", "latency": 2}, {"name": "st32", "latency": 1}, {"name": "ld8s", "latency": 2},
                    {"name": "st8", "latency": 1}]},
    {"name": "vmac", "type": "fu", "memory": "pmem",
     "ports": [{"name": "in1t", "role": "trigger", "width": 32}, {"name": "in2", "role": "operand", "width": 32},
               {"name": "out1", "role": "result", "width": 1024}],
     "operations": [{"name": "clr", "latency": 1}, {"name": "ldacc", "latency": 1}, {"name": "mac8", "latency": 1},
                    {"name": "mact", "latency": 1}, {"name": "macb", "latency": 1}]},
    {"name": "vact", "type": "fu",
     "ports": [{"name": "in1t", "role": "trigger", "width": 32}, {"name": "in2", "role": "operand", "width": 1024},
               {"name": "in3", "role": "operand", "width": 32}, {"name": "out1", "role": "result", "width": 1024}],
     "operations": [{"name": "req8", "latency": 1}, {"name": "sign", "latency": 1}, {"name": "tern", "latency": 1}]},
    {"name": "vst", "type": "fu", "memory": "dmem",
     "ports": [{"name": "in1t", "role": "trigger", "width": 32}, {"name": "in2", "role": "operand", "width": 1024}],
     "operations": [{"name": "st32", "latency": 1}, {"name": "st256", "latency": 1}, {"name": "st1024", "latency": 1}]}
  ]
})";

enum unit_index : unsigned { CU, IMM, RF, BOOL, ALU, LSU, VMAC, VACT, VST };
enum port_index : unsigned { IN1T = 0, IN2 = 1, OUT1 = 2, RA = 2, IN3 = 2, VOUT = 3 };
enum cu_op : unsigned { JUMP, CALL, HALT, LOOP };
enum alu_op : unsigned { ADD, SUB, EQ, MUL, SHR, GT, GTU, MIN, MAX };
enum lsu_op : unsigned { LD32, ST32, LD8S, ST8 };
enum vmac_op : unsigned { CLR, LDACC, MAC8, MACT, MACB };
enum vact_op : unsigned { REQ8, SIGN, TERN };
enum vst_op : unsigned { VST32, VST256, VST1024 };

// Slot encodings (docs/models/tta.md, "Program images").
std::uint64_t dst(unsigned u, unsigned p, unsigned op) {
  return (std::uint64_t{u} << 8) | (std::uint64_t{p} << 16) | (std::uint64_t{op} << 24);
}
std::uint64_t mv(unsigned su, unsigned sp, unsigned du, unsigned dp, unsigned op = 0) {
  return 1 | dst(du, dp, op) | (std::uint64_t{su | (sp << 8)} << 32);
}
std::uint64_t im(std::int32_t v, unsigned du, unsigned dp, unsigned op = 0) {
  return 2 | dst(du, dp, op) | (std::uint64_t{static_cast<std::uint32_t>(v)} << 32);
}
std::uint64_t limm(unsigned r, std::uint32_t v) {
  return 3 | dst(IMM, r, 0) | (std::uint64_t{v} << 32);
}
std::uint64_t guarded(std::uint64_t w, unsigned g, bool inverted = false) {
  return w | 4 | (inverted ? 8 : 0) | (std::uint64_t{g} << 4);
}
std::uint64_t halt(std::int32_t v = 0) {
  return im(v, CU, IN1T, HALT);
}

using insn = std::array<std::uint64_t, 3>;  // b0, b1, v0

tta::machine tiny() {
  return tta::parse(tiny_json, "tiny");
}

struct fixture {
  tta::processor p{tiny()};
  tta::run_result run(const std::vector<insn>& prog, std::uint64_t max = 1000, std::uint32_t entry = 0) {
    std::vector<std::uint8_t> image(prog.size() * 24);
    std::memcpy(image.data(), prog.data(), image.size());
    p.load_program(0, image.data(), static_cast<std::uint32_t>(prog.size()));
    return p.run(entry, max);
  }
  std::uint32_t rf(unsigned r) const { return p.reg(RF, r); }
};

std::string parse_error(const std::string& text) {
  try {
    tta::parse(text, "m.json");
  } catch (const edgevp::core::config_error& e) {
    return e.what();
  }
  return "(accepted)";
}

std::string edited(const std::string& from, const std::string& to) {
  std::string s = tiny_json;
  const std::size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return s.replace(at, from.size(), to);
}

// --- machine descriptions ----------------------------------------------------------------------

TEST(TtaMachine, BuiltInParsesAndItsOperationTableMatchesTheCodes) {
  const tta::machine m = tta::load("");
  EXPECT_EQ(m.name, "braintta");
  EXPECT_EQ(m.buses.size(), 6u);
  EXPECT_EQ(m.insn_bytes(), 48u);
  EXPECT_EQ(m.insn_bits, 109u);  // docs/models/tta.md's calibration is made with this figure
  for (unsigned c = 0; c <= static_cast<unsigned>(tta::op::loop); ++c)
    EXPECT_EQ(static_cast<unsigned>(tta::info(static_cast<tta::op>(c)).code), c);
}

TEST(TtaMachine, InconsistentDescriptionsNameThePathAndTheProblem) {
  const struct {
    std::string text, expect;
  } cases[] = {
      {edited(R"({"name": "mul", "latency": 3})", R"({"name": "mul", "latency": 0})"),
       "m.json: /units/4/operations/3/latency: 0 is outside 1..64"},
      {edited(R"({"name": "eq", "latency": 1})", R"({"name": "fma", "latency": 1})"),
       "/units/4/operations/2/name: unknown operation 'fma'"},
      {edited(R"("destinations": ["vact.in2", "vst.in2"])", R"("destinations": ["vact.in2"])"),
       "/units/8/ports/1: port 'vst.in2' is reachable by no bus"},
      {edited(R"("sources": ["vmac.out1", "vact.out1"])", R"("sources": ["vmac.out2", "vact.out1"])"),
       "/buses/2/sources/0: unit 'vmac' has no port 'out2'"},
      {edited(R"({"name": "alu", "type": "fu")", R"({"name": "lsu", "type": "fu")"), "/units/5/name: duplicate unit 'lsu'"},
      {edited(R"("name": "tiny",)", R"("name": "tiny", "colour": 1,)"), "m.json: /colour: unknown key"},
      {edited(R"({"name": "req8", "latency": 1})", R"({"name": "st32", "latency": 1})"),
       "'st32' accesses memory"},
      {edited(R"({"name": "alu", "type": "fu",
     "ports": [{"name": "in1t", "role": "trigger", "width": 32}, {"name": "in2", "role": "operand", "width": 32},)",
              R"({"name": "alu", "type": "fu",
     "ports": [{"name": "in1t", "role": "trigger", "width": 32},)"),
       "'add' needs 2 inputs, the unit has 1"},
      {R"({"name": "x",
  "memories": })", "m.json: parse error at line 2, column"},
  };
  for (const auto& c : cases) EXPECT_NE(parse_error(c.text).find(c.expect), std::string::npos) << parse_error(c.text);
}

TEST(TtaMachine, LoadNamesAMissingFile) {
  EXPECT_THROW(tta::load("/nonexistent/machine.json"), edgevp::core::config_error);
}

// --- moves, immediates, latencies ---------------------------------------------------------------

TEST(TtaProcessor, ResultAppearsAfterItsLatencyAndStays) {
  fixture f;
  const auto r = f.run({
      {im(5, ALU, IN2), im(7, ALU, IN1T, ADD), 0},    // 7 + 5, operand latched in the trigger's cycle
      {mv(ALU, OUT1, RF, 0), im(1, ALU, IN1T, ADD), 0},  // 12 readable; 1 + 5 starts
      {mv(ALU, OUT1, RF, 1), 0, 0},                       // 6
      {mv(ALU, OUT1, RF, 2), halt(), 0},                  // still 6: a result stays
  });
  EXPECT_EQ(r.how, tta::run_result::end::halt);
  EXPECT_EQ(f.rf(0), 12u);
  EXPECT_EQ(f.rf(1), 6u);
  EXPECT_EQ(f.rf(2), 6u);
  EXPECT_EQ(r.cycles, 4u);
}

TEST(TtaProcessor, LongLatencyResultIsNotReadableEarly) {
  fixture f;
  f.run({
      {im(3, ALU, IN2), im(4, ALU, IN1T, MUL), 0},  // ready 3 cycles later
      {mv(ALU, OUT1, RF, 0), 0, 0},
      {mv(ALU, OUT1, RF, 1), 0, 0},
      {mv(ALU, OUT1, RF, 2), halt(), 0},
  });
  EXPECT_EQ(f.rf(0), 0u);
  EXPECT_EQ(f.rf(1), 0u);
  EXPECT_EQ(f.rf(2), 12u);
}

TEST(TtaProcessor, RegisterWritesLandAtTheEndOfTheCycle) {
  fixture f;
  f.run({
      {im(9, RF, 0), 0, 0},
      {im(1, RF, 0), mv(RF, 0, ALU, IN1T, ADD), 0},  // reads the 9 written last cycle, not the 1
      {0, 0, 0},
      {mv(ALU, OUT1, RF, 1), halt(), 0},
  });
  EXPECT_EQ(f.rf(0), 1u);
  EXPECT_EQ(f.rf(1), 9u);
}

TEST(TtaProcessor, ShortImmediatesAreSignExtendedAndLongOnesTakeASlot) {
  fixture f;
  f.run({
      {im(-3, RF, 0), limm(1, 0x12345678u), 0},
      {mv(IMM, 1, RF, 1), 0, 0},
      {halt(), 0, 0},
  });
  EXPECT_EQ(f.rf(0), 0xFFFFFFFDu);
  EXPECT_EQ(f.rf(1), 0x12345678u);
}

TEST(TtaProcessor, GuardsSquashMovesAndInvertedGuardsTheOthers) {
  fixture f;
  const auto r = f.run({
      {im(1, BOOL, 0), 0, 0},
      {guarded(im(5, RF, 0), 0), guarded(im(6, RF, 1), 0, true), 0},  // one write port: only one runs
      {guarded(im(7, RF, 2), 1), halt(), 0},                           // bool.1 is 0
  });
  EXPECT_EQ(r.how, tta::run_result::end::halt);
  EXPECT_EQ(f.rf(0), 5u);
  EXPECT_EQ(f.rf(1), 0u);
  EXPECT_EQ(f.rf(2), 0u);
  EXPECT_EQ(f.p.count().squashed, 2u);
}

TEST(TtaProcessor, SignedOperationsAndSubWordLoads) {
  fixture f;
  const auto r = f.run({
      {im(-8, ALU, IN1T, ADD), im(0, ALU, IN2), 0},             // alu.out1 = -8
      {mv(ALU, OUT1, ALU, IN1T, SHR), im(1, ALU, IN2), 0},       // -8 >> 1 = -4 (arithmetic)
      {mv(ALU, OUT1, RF, 0), im(-1, LSU, IN2), 0},
      {mv(ALU, OUT1, ALU, IN1T, GT), im(3, ALU, IN2), 0},        // -4 > 3: 0 (signed)
      {mv(ALU, OUT1, RF, 1), im(-4, ALU, IN1T, GTU), 0},         // -4 >u 3: 1
      {mv(ALU, OUT1, RF, 2), im(-4, ALU, IN1T, MIN), 0},         // min(-4, 3)
      {mv(ALU, OUT1, RF, 3), im(8, LSU, IN1T, ST8), 0},          // dmem[8] = 0xFF
      {mv(ALU, OUT1, RF, 4), im(8, LSU, IN1T, LD8S), 0},
      {0, 0, 0},
      {mv(LSU, OUT1, RF, 5), halt(), 0},
  });
  ASSERT_EQ(r.how, tta::run_result::end::halt) << tta::fault_name(r.cause) << " at " << r.pc;
  EXPECT_EQ(static_cast<std::int32_t>(f.rf(0)), -4);
  EXPECT_EQ(f.rf(1), 0u);
  EXPECT_EQ(f.rf(2), 1u);
  EXPECT_EQ(static_cast<std::int32_t>(f.rf(3)), -4);
  EXPECT_EQ(f.p.dmem()[8], 0xFF);
  EXPECT_EQ(static_cast<std::int32_t>(f.rf(5)), -1);  // sign-extended
  EXPECT_EQ(f.p.count().dmem_write_bits, 8u);
  EXPECT_EQ(f.p.count().dmem_read_bits, 8u);
}

TEST(TtaProcessor, ResultsInFlightLandInTheOrderTheyWouldHaveAtTheEndOfARun) {
  fixture f;
  const auto r = f.run({
      {im(3, ALU, IN2), im(4, ALU, IN1T, MUL), 0},  // ready in cycle 3
      {im(1, ALU, IN1T, ADD), halt(), 0},           // ready in cycle 2: lands first
  });
  ASSERT_EQ(r.how, tta::run_result::end::halt);
  EXPECT_EQ(f.p.port_value(ALU, OUT1)[0], 12u);  // the multiplication, last to land
}

TEST(TtaProcessor, StateStaysBetweenRunsAndResetClearsIt) {
  fixture f;
  f.run({{im(7, RF, 3), halt(), 0}});
  EXPECT_EQ(f.rf(3), 7u);
  EXPECT_EQ(f.p.run(0, 10).how, tta::run_result::end::halt);
  EXPECT_EQ(f.rf(3), 7u);
  f.p.reset();
  EXPECT_EQ(f.rf(3), 0u);
  f.p.dmem()[0] = 1;
  f.p.clear();
  EXPECT_EQ(f.p.dmem()[0], 0);
  EXPECT_EQ(f.p.run(0, 10).cause, tta::fault::pc);  // the program is gone too
}

// --- control ----------------------------------------------------------------------------------

TEST(TtaProcessor, JumpTakesEffectAfterItsDelaySlots) {
  fixture f;
  const auto r = f.run({
      {im(4, CU, IN1T, JUMP), 0, 0},
      {im(1, RF, 0), 0, 0},  // delay slot 1
      {im(2, RF, 1), 0, 0},  // delay slot 2
      {im(3, RF, 2), 0, 0},  // skipped
      {halt(9), 0, 0},
  });
  EXPECT_EQ(r.how, tta::run_result::end::halt);
  EXPECT_EQ(r.value, 9u);
  EXPECT_EQ(f.rf(0), 1u);
  EXPECT_EQ(f.rf(1), 2u);
  EXPECT_EQ(f.rf(2), 0u);
  EXPECT_EQ(r.cycles, 4u);
}

TEST(TtaProcessor, CallGivesTheReturnAddressPastTheDelaySlots) {
  fixture f;
  const auto r = f.run({
      {im(4, CU, IN1T, CALL), 0, 0},
      {0, 0, 0},
      {0, 0, 0},
      {halt(1), 0, 0},
      {mv(CU, RA, RF, 0), 0, 0},
      {halt(2), 0, 0},
  });
  EXPECT_EQ(f.rf(0), 3u);
  EXPECT_EQ(r.value, 2u);  // halt(1), past the delay slots, was not run
}

TEST(TtaProcessor, LoopRepeatsItsBodyWithoutOverhead) {
  for (const std::int32_t count : {3, 1, 0}) {
    fixture f;
    const auto r = f.run({
        {im(1, ALU, IN2), 0, 0},
        {im(count, CU, IN2), im(3, CU, IN1T, LOOP), 0},  // body: 2..3
        {mv(ALU, OUT1, ALU, IN1T, ADD), 0, 0},
        {0, 0, 0},
        {mv(ALU, OUT1, RF, 0), 0, 0},
        {halt(), 0, 0},
    });
    EXPECT_EQ(r.how, tta::run_result::end::halt) << count;
    EXPECT_EQ(f.rf(0), static_cast<std::uint32_t>(count)) << count;
    EXPECT_EQ(r.cycles, 4u + 2u * static_cast<unsigned>(count)) << count;
  }
}

TEST(TtaProcessor, HaltEndsTheRunWithItsOperand) {
  fixture f;
  const auto r = f.run({{halt(42), 0, 0}, {im(1, RF, 0), 0, 0}});
  EXPECT_EQ(r.how, tta::run_result::end::halt);
  EXPECT_EQ(r.value, 42u);
  EXPECT_EQ(r.cycles, 1u);
  EXPECT_EQ(f.rf(0), 0u);
}

// --- faults -----------------------------------------------------------------------------------

struct fault_case {
  const char* what;
  std::vector<insn> prog;
  tta::fault cause;
  std::uint32_t pc;
};

TEST(TtaProcessor, EveryFaultEndsTheRunWithItsCauseAndAddress) {
  const fault_case cases[] = {
      {"reserved bits", {{0, 0, 0}, {0x100, 0, 0}}, tta::fault::insn, 1},
      {"unknown unit", {{mv(ALU, OUT1, 99, 0), 0, 0}}, tta::fault::insn, 0},
      {"operation on an operand port", {{im(1, ALU, IN2, SUB), 0, 0}}, tta::fault::insn, 0},
      {"source is an input port", {{mv(ALU, IN2, RF, 0), 0, 0}}, tta::fault::insn, 0},
      {"long immediate into a register file", {{3 | dst(RF, 0, 0), 0, 0}}, tta::fault::insn, 0},
      {"bus does not reach the source", {{mv(VMAC, OUT1, RF, 0), 0, 0}}, tta::fault::unconnected, 0},
      {"bus does not reach the destination", {{0, 0, im(0, RF, 0)}}, tta::fault::unconnected, 0},
      {"vector bus to a scalar port", {{0, 0, mv(VMAC, OUT1, RF, 0)}}, tta::fault::unconnected, 0},
      {"two writes to one port", {{im(1, ALU, IN2), im(2, ALU, IN2), 0}}, tta::fault::conflict, 0},
      {"two reads of a one-port file", {{mv(RF, 0, ALU, IN2), mv(RF, 1, LSU, IN2), 0}}, tta::fault::rf_ports, 0},
      {"load outside data memory",
       {{limm(0, 4096), 0, 0}, {mv(IMM, 0, LSU, IN1T, LD32), 0, 0}}, tta::fault::memory, 1},
      {"misaligned load", {{im(2, LSU, IN1T, LD32), 0, 0}}, tta::fault::memory, 0},
      {"parameter word outside memory", {{im(8, VMAC, IN1T, MAC8), 0, 0}}, tta::fault::memory, 0},
      {"jump outside the program", {{im(60, CU, IN1T, JUMP), 0, 0}, {0, 0, 0}, {0, 0, 0}}, tta::fault::pc, 60},
      {"jump in a delay slot", {{im(0, CU, IN1T, JUMP), 0, 0}, {im(0, CU, IN1T, JUMP), 0, 0}}, tta::fault::control, 1},
      {"loop ending before it starts", {{im(1, CU, IN2), im(0, CU, IN1T, LOOP), 0}}, tta::fault::control, 0},
      {"delay slots across a loop's end",
       {{im(2, CU, IN2), im(2, CU, IN1T, LOOP), 0}, {0, 0, 0}, {im(0, CU, IN1T, JUMP), 0, 0}, {0, 0, 0}},
       tta::fault::control, 2},
      {"short immediate too wide", {{im(200, RF, 0), 0, 0}}, tta::fault::immediate, 0},
      {"short immediate on a bus without", {{0, 0, im(0, VST, IN2)}}, tta::fault::immediate, 0},
      {"guard past the guard registers", {{guarded(im(0, RF, 0), 2), 0, 0}}, tta::fault::insn, 0},
      {"move into an immediate unit", {{im(0, IMM, 0), 0, 0}}, tta::fault::insn, 0},
      {"two writes to a register", {{limm(0, 1), limm(0, 2), 0}}, tta::fault::conflict, 0},
      {"two writes of a one-port file", {{im(1, RF, 0), im(2, RF, 1), 0}}, tta::fault::rf_ports, 0},
      {"store past data memory", {{limm(0, 1022), 0, 0}, {mv(IMM, 0, LSU, IN1T, ST32), 0, 0}}, tta::fault::memory, 1},
      {"nested loop",
       {{im(2, CU, IN2), im(3, CU, IN1T, LOOP), 0}, {im(2, CU, IN2), im(3, CU, IN1T, LOOP), 0}, {0, 0, 0}, {0, 0, 0}},
       tta::fault::control, 1},
      {"jump into a loop body at its end",
       {{im(3, CU, IN2), im(3, CU, IN1T, LOOP), 0}, {im(2, CU, IN1T, JUMP), 0, 0}, {0, 0, 0}, {0, 0, 0}},
       tta::fault::control, 3},
      {"running off the program", {{0, 0, 0}}, tta::fault::pc, 1},
  };
  for (const auto& c : cases) {
    fixture f;
    const auto r = f.run(c.prog);
    EXPECT_EQ(r.how, tta::run_result::end::fault) << c.what;
    EXPECT_EQ(r.cause, c.cause) << c.what << ": " << tta::fault_name(r.cause);
    EXPECT_EQ(r.pc, c.pc) << c.what;
  }
}

TEST(TtaProcessor, RunawayProgramEndsAtItsCycleBudget) {
  fixture f;
  const auto r = f.run({{im(0, CU, IN1T, JUMP), 0, 0}, {0, 0, 0}, {0, 0, 0}}, 1000);
  EXPECT_EQ(r.how, tta::run_result::end::timeout);
  EXPECT_EQ(r.cycles, 1000u);
  EXPECT_LT(r.pc, 3u);
}

// --- vector operations -------------------------------------------------------------------------

std::int32_t tern_ref(std::uint32_t x, unsigned j) {
  const unsigned c = (x >> (2 * j)) & 3u;
  return c == 1 ? 1 : c == 3 ? -1 : 0;
}

// acc[i] after one MAC of `op` on weight word 0 and activation a, from zero.
std::array<std::int32_t, 32> mac_ref(unsigned op, const std::vector<std::uint8_t>& pmem, std::uint32_t a) {
  std::array<std::int32_t, 32> acc{};
  for (unsigned i = 0; i < 32; ++i) {
    std::uint32_t w = 0;
    std::memcpy(&w, pmem.data() + 4 * i, 4);
    std::int32_t s = 0;
    if (op == MAC8) {
      for (unsigned j = 0; j < 4; ++j) s += std::int8_t(a >> (8 * j)) * std::int8_t(w >> (8 * j));
    } else if (op == MACT) {
      for (unsigned j = 0; j < 16; ++j) s += tern_ref(a, j) * tern_ref(w, j);
    } else {
      for (unsigned j = 0; j < 32; ++j) s += ((a >> j) & 1u) == ((w >> j) & 1u) ? 1 : -1;
    }
    acc[i] = s;
  }
  return acc;
}

TEST(TtaProcessor, VectorMacsMatchTheReferenceInEachPrecision) {
  std::mt19937 rng(7);
  for (const unsigned op : {MAC8, MACT, MACB}) {
    fixture f;
    for (auto& b : f.p.pmem()) b = static_cast<std::uint8_t>(rng());
    const std::uint32_t a = rng();
    const auto r = f.run({
        {im(0, VMAC, IN1T, CLR), limm(0, a), 0},
        {mv(IMM, 0, VMAC, IN2), im(0, VMAC, IN1T, op), 0},
        {im(0, VST, IN1T, VST1024), 0, mv(VMAC, OUT1, VST, IN2)},
        {halt(), 0, 0},
    });
    ASSERT_EQ(r.how, tta::run_result::end::halt);
    const auto want = mac_ref(op, f.p.pmem(), a);
    std::array<std::int32_t, 32> got{};
    std::memcpy(got.data(), f.p.dmem().data(), 128);
    EXPECT_EQ(got, want) << op;
    EXPECT_EQ(f.p.count().macs, op == MAC8 ? 128u : op == MACT ? 512u : 1024u);
  }
}

TEST(TtaProcessor, RequantisationThresholdAndTernaryActivations) {
  fixture f;
  std::array<std::int32_t, 32> acc{};
  for (unsigned i = 0; i < 32; ++i) acc[i] = (static_cast<std::int32_t>(i) - 16) * 1000 + 7;
  std::memcpy(f.p.pmem().data(), acc.data(), 128);
  const std::int32_t scale = 1 << 20, shift = 24;  // y = acc / 16, rounded
  const auto r = f.run({
      {im(0, VMAC, IN1T, LDACC), limm(0, static_cast<std::uint32_t>(scale)), 0},
      {limm(1, shift | 0x100), 0, 0},                                                          // ReLU
      {mv(IMM, 0, VACT, IN3), mv(IMM, 1, VACT, IN1T, REQ8), mv(VMAC, OUT1, VACT, IN2)},
      {im(0, VST, IN1T, VST256), 0, mv(VACT, VOUT, VST, IN2)},
      {im(100, VACT, IN1T, SIGN), 0, 0},
      {im(64, VST, IN1T, VST32), 0, mv(VACT, VOUT, VST, IN2)},
      {im(50, VACT, IN1T, TERN), 0, 0},
      {im(96, VST, IN1T, VST256), 0, mv(VACT, VOUT, VST, IN2)},
      {halt(), 0, 0},
  });
  ASSERT_EQ(r.how, tta::run_result::end::halt) << tta::fault_name(r.cause) << " at " << r.pc;
  const std::uint8_t* d = f.p.dmem().data();
  std::uint32_t sign = 0;
  std::uint64_t tern = 0;
  std::memcpy(&sign, d + 64, 4);
  std::memcpy(&tern, d + 96, 8);
  for (unsigned i = 0; i < 32; ++i) {
    const std::int64_t y = (std::int64_t{acc[i]} * scale + (1 << (shift - 1))) >> shift;
    EXPECT_EQ(static_cast<std::int8_t>(d[i]), std::clamp<std::int64_t>(y, 0, 127)) << i;
    EXPECT_EQ((sign >> i) & 1u, acc[i] >= 100 ? 1u : 0u) << i;
    const unsigned want = acc[i] >= 50 ? 1u : acc[i] <= -50 ? 3u : 0u;
    EXPECT_EQ((tern >> (2 * i)) & 3u, want) << i;
  }
}

// --- energy events -------------------------------------------------------------------------------

TEST(TtaProcessor, CountsTheEventsItsEnergyIsChargedOn) {
  fixture f;
  f.run({
      {im(1, BOOL, 0), im(2, ALU, IN2), 0},
      {mv(ALU, OUT1, RF, 0), guarded(im(5, ALU, IN1T, ADD), 1), 0},  // squashed
      {im(0, LSU, IN1T, LD32), 0, 0},
      {halt(), 0, 0},
  });
  const tta::counters& c = f.p.count();
  EXPECT_EQ(c.insns, 4u);
  EXPECT_EQ(c.fetch_bits, 4u * f.p.desc().insn_bits);
  EXPECT_EQ(c.moves, 5u);
  EXPECT_EQ(c.squashed, 1u);
  EXPECT_EQ(c.bus_bits, 5u * 32);
  EXPECT_EQ(c.rf_write_bits, 1u + 32u);  // bool.0, rf.0
  EXPECT_EQ(c.dmem_read_bits, 32u);
  EXPECT_EQ(c.ops[static_cast<unsigned>(tta::op_class::control)], 1u);
  EXPECT_EQ(c.ops[static_cast<unsigned>(tta::op_class::alu)], 0u);
}

// --- the accelerator: descriptors, registers, errors --------------------------------------------

namespace treg = tta::regs;
constexpr std::uint64_t desc_addr = sram_base;
constexpr std::uint64_t prog_addr = sram_base + 0x1000;
constexpr std::uint64_t args_addr = sram_base + 0x2000;
constexpr std::uint64_t out_addr = sram_base + 0x3000;

instance tta_instance(const std::string& machine = "") {
  instance i;
  i.name = "tta";
  i.kind = "tta";
  i.params.set("machine", edgevp::core::param_value::of_text(edgevp::core::param_type::path, machine));
  return i;
}

std::vector<std::uint32_t> desc(std::uint8_t op, std::uint32_t flags, std::uint32_t next, std::uint32_t a,
                                std::uint32_t b, std::uint32_t c, std::uint32_t d) {
  return {op | (flags << 8), next, a, b, c, d};
}

// The built-in machine: cu 0, imm 1, rf 2, bool 3, alu0 4, alu1 5, lsu 6, ...; buses b0..b4, v0.
// Reads the argument at data address 0, adds 1, stores it at 4 and halts with it.
std::vector<std::uint64_t> builtin_program() {
  constexpr unsigned alu0 = 4, lsu = 6, st32 = 5;
  const std::vector<std::vector<std::uint64_t>> p = {
      {im(0, lsu, IN1T, LD32)},
      {},
      {mv(lsu, OUT1, alu0, IN1T, ADD), im(1, alu0, IN2)},
      {im(4, lsu, IN1T, st32), mv(alu0, OUT1, lsu, IN2)},
      {mv(alu0, OUT1, CU, IN1T, HALT)},
  };
  std::vector<std::uint64_t> image;
  for (const auto& i : p) {
    for (unsigned b = 0; b < 6; ++b) image.push_back(b < i.size() ? i[b] : 0);
  }
  return image;
}

struct accel_fixture {
  accel_bench b{tta_instance()};
  tta::tta& dev() { return dynamic_cast<tta::tta&>(*b.dev); }
  void load_program(const std::vector<std::uint64_t>& image) {
    b.poke(prog_addr, image.data(), image.size() * 8);
  }
  void chain(const std::vector<std::vector<std::uint32_t>>& descs) {
    std::vector<std::uint32_t> all;
    for (std::size_t i = 0; i < descs.size(); ++i) {
      std::vector<std::uint32_t> d = descs[i];
      d[1] = i + 1 < descs.size() ? static_cast<std::uint32_t>(desc_addr + 24 * (i + 1)) : 0;
      all.insert(all.end(), d.begin(), d.end());
    }
    b.poke_words(desc_addr, all);
    b.run(desc_addr);
  }
  std::uint32_t reg(std::uint64_t off) { return static_cast<std::uint32_t>(b.rd(off).value); }
  void clear() { b.wr(reg::status, edgevp::accel::status_bits::done | edgevp::accel::status_bits::error); }
};

TEST(TtaAccelerator, ProgramCopyRunAndCopyBack) {
  accel_fixture f;
  f.load_program(builtin_program());
  f.b.poke_words(args_addr, {41});
  f.chain({desc(tta::opcode::program, 0, 0, prog_addr, 0, 5, 0),
           desc(tta::opcode::run, 0, 0, 0, args_addr, 4, 0),
           desc(tta::opcode::copy, tta::copy_flags::to_soc, 0, out_addr, 4, 4, 0)});
  EXPECT_EQ(f.b.status() & 0xFF06u, edgevp::accel::status_bits::done)
      << "fault " << f.reg(treg::fault_cause) << " at " << f.reg(treg::fault_pc);
  EXPECT_EQ(f.reg(treg::result), 42u);
  const auto out = f.b.peek(out_addr, 4);
  EXPECT_EQ(out[0], 42);
  EXPECT_EQ(f.reg(treg::run_cycles), 5u);
  EXPECT_EQ(f.reg(treg::insns_lo), 5u);
  EXPECT_EQ(f.reg(treg::insn_bytes), 48u);
  EXPECT_EQ(f.reg(treg::dmem_bytes), 32768u);
  EXPECT_TRUE(f.b.irq);
}

TEST(TtaAccelerator, ProgramFaultIsAnErrorWithItsAddressAndCause) {
  accel_fixture f;
  std::vector<std::uint64_t> image = builtin_program();
  image[0] = im(2, 6, IN1T, LD32);  // misaligned
  f.load_program(image);
  f.chain({desc(tta::opcode::program, 0, 0, prog_addr, 0, 5, 0), desc(tta::opcode::run, 0, 0, 0, 0, 0, 0)});
  EXPECT_EQ(f.b.err_code(), static_cast<unsigned>(error::program));
  EXPECT_EQ(f.reg(treg::fault_pc), 0u);
  EXPECT_EQ(f.reg(treg::fault_cause), static_cast<unsigned>(tta::fault::memory));
  EXPECT_TRUE(f.b.irq);
}

TEST(TtaAccelerator, RunPastMaxCyclesIsATimeout) {
  accel_fixture f;
  std::vector<std::uint64_t> image(4 * 6, 0);
  image[0] = im(0, CU, IN1T, JUMP);
  f.load_program(image);
  f.b.wr(treg::max_cycles, 500);
  f.chain({desc(tta::opcode::program, 0, 0, prog_addr, 0, 4, 0), desc(tta::opcode::run, 0, 0, 0, 0, 0, 0)});
  EXPECT_EQ(f.b.err_code(), static_cast<unsigned>(error::timeout));
  EXPECT_EQ(f.reg(treg::run_cycles), 500u);
}

TEST(TtaAccelerator, DescriptorsOutsideTheLocalMemoriesAreShapeErrors) {
  const std::vector<std::uint32_t> bad[] = {
      desc(tta::opcode::program, 0, 0, prog_addr, 1020, 5, 0),          // past 1024 instructions
      desc(tta::opcode::copy, tta::copy_flags::pmem, 0, out_addr, 131000, 1024, 0),
      desc(tta::opcode::copy, 0, 0, out_addr, 0, 0, 0),                  // zero bytes
      desc(tta::opcode::run, 0, 0, 0, args_addr, 8, 32764),             // arguments past data memory
  };
  accel_fixture f;  // one bench a process: the cases run one after the other
  for (const auto& d : bad) {
    f.chain({d});
    EXPECT_EQ(f.b.err_code(), static_cast<unsigned>(error::shape)) << d[0];
    f.clear();
  }
}

TEST(TtaAccelerator, UnknownFlagsAndReservedWordsAreParamErrors) {
  const std::vector<std::uint32_t> bad[] = {
      desc(tta::opcode::copy, 4, 0, out_addr, 0, 4, 0),
      desc(tta::opcode::copy, 0, 0, out_addr, 0, 4, 1),
      desc(tta::opcode::program, 1, 0, prog_addr, 0, 1, 0),
      desc(tta::opcode::run, 1, 0, 0, 0, 0, 0),
      desc(tta::opcode::run, 0, 0, 0, 0, 4, 0),  // arguments of 4 bytes from address 0
  };
  accel_fixture f;
  for (const auto& d : bad) {
    f.chain({d});
    EXPECT_EQ(f.b.err_code(), static_cast<unsigned>(error::param)) << d[0];
    f.clear();
  }
}

TEST(TtaAccelerator, ParameterCopyRoundTripsThroughTheSoc) {
  accel_fixture f;
  std::vector<std::uint32_t> w(64);
  for (unsigned i = 0; i < w.size(); ++i) w[i] = i * 0x01010101u;
  f.b.poke_words(args_addr, w);
  f.chain({desc(tta::opcode::copy, tta::copy_flags::pmem, 0, args_addr, 256, 256, 0),
           desc(tta::opcode::copy, tta::copy_flags::pmem | tta::copy_flags::to_soc, 0, out_addr, 256, 256, 0)});
  EXPECT_EQ(f.b.status() & 0xFF06u, edgevp::accel::status_bits::done);
  const auto out = f.b.peek(out_addr, 256);
  EXPECT_EQ(std::memcmp(out.data(), w.data(), 256), 0);
  EXPECT_EQ(std::memcmp(f.dev().core().pmem().data() + 256, w.data(), 256), 0);
}

TEST(TtaAccelerator, AMachineFileThatDoesNotParseIsAConfigurationErrorNamingTheKey) {
  const std::string path = testing::TempDir() + "/bad_machine.json";
  std::ofstream(path) << "{\"name\": \"x\"}";
  try {
    auto dev = edgevp::accel::registry::builtin().make(tta_instance(path));
    FAIL() << "accepted";
  } catch (const edgevp::core::config_error& e) {
    EXPECT_NE(std::string(e.what()).find("tta.machine: " + path + ": /memories: missing"), std::string::npos)
        << e.what();
  }
}

TEST(TtaAccelerator, EnergyIsChargedForTheRunsEvents) {
  accel_fixture f;
  f.load_program(builtin_program());
  f.chain({desc(tta::opcode::program, 0, 0, prog_addr, 0, 5, 0), desc(tta::opcode::run, 0, 0, 0, 0, 0, 0)});
  const auto& c = f.dev().core().count();
  EXPECT_EQ(c.insns, 5u);
  EXPECT_EQ(c.moves, 6u);
  f.b.monitor.checkpoint(sc_core::sc_time_stamp());
  unsigned seen = 0;
  for (const auto& src : f.b.dev->power().sources()) {
    if (src.name == "fetch_bit") {
      EXPECT_EQ(src.events, c.fetch_bits);
      EXPECT_GT(src.energy_aj, 0);
      ++seen;
    }
    if (src.name == "bus_bit") {
      EXPECT_EQ(src.events, 6u * 32u);
      ++seen;
    }
    if (src.name == "dmem_read_bit") {
      EXPECT_EQ(src.events, 32u);  // the load (no arguments)
      ++seen;
    }
    if (src.name == "imem_write_bit") {
      EXPECT_EQ(src.events, 5u * f.dev().core().desc().insn_bits);
      ++seen;
    }
    if (src.name == "control_op") {
      EXPECT_EQ(src.events, 1u);
      ++seen;
    }
  }
  EXPECT_EQ(seen, 5u);
}

}  // namespace

// Bench for the coarse-grained reconfigurable array (models/accelerators/cgra/): the fabric
// description and its errors; routes, bindings, broadcast (SIMD), lock-step groups (VLIW), the loop
// unit, bank conflicts, every unit type's operations, partial reconfiguration, every configuration
// error, run refusal and fault, the timeout, the energy events; and the descriptors through the
// accelerator contract.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "models/accelerators/cgra/cgra.h"
#include "models/core/errors.h"
#include "tests/unit/accel_bench.h"

namespace {

namespace cg = edgevp::accel::cgra;
using edgevp::accel::error;
using edgevp::accel::instance;
using namespace edgevp::test;
using cg::insn;
namespace op = cg::ops;

// Decoders id0..id2 on column 0; the datapath beside them; `far` out of every network's reach.
const char* const tiny_json = R"({
  "name": "tiny",
  "memory": {"banks": 2, "bank_bytes": 64},
  "imem": {"instructions": 16},
  "data_network": {"max_hops": 6},
  "control_network": {"max_hops": 6},
  "units": [
    {"name": "id0", "type": "id", "x": 0, "y": 0},
    {"name": "id1", "type": "id", "x": 0, "y": 1},
    {"name": "id2", "type": "id", "x": 0, "y": 2},
    {"name": "alu0", "type": "alu", "x": 1, "y": 0},
    {"name": "alu1", "type": "alu", "x": 1, "y": 1},
    {"name": "lsu0", "type": "lsu", "x": 2, "y": 0},
    {"name": "lsu1", "type": "lsu", "x": 2, "y": 1},
    {"name": "rf0", "type": "rf", "x": 3, "y": 0, "registers": 4},
    {"name": "imm0", "type": "imm", "x": 3, "y": 1, "registers": 4},
    {"name": "dot0", "type": "dot8", "x": 1, "y": 2},
    {"name": "dot1", "type": "dot8", "x": 2, "y": 2},
    {"name": "abu0", "type": "abu", "x": 3, "y": 2},
    {"name": "mul0", "type": "mul", "x": 4, "y": 0},
    {"name": "far", "type": "alu", "x": 20, "y": 20},
    {"name": "lsu2", "type": "lsu", "x": 2, "y": 3}
  ]
})";

enum unit_index : unsigned { ID0, ID1, ID2, ALU0, ALU1, LSU0, LSU1, RF0, IMM0, DOT0, DOT1, ABU0, MUL0, FAR, LSU2 };
constexpr unsigned N = cg::none;

// A kernel image, record by record (docs/models/cgra.md, "Kernel images").
struct image {
  std::vector<std::uint32_t> w{cg::image_magic, cg::image_version, 0, 15};
  image& rec(std::uint32_t type, const std::vector<std::uint32_t>& payload) {
    w.push_back(type | static_cast<std::uint32_t>(payload.size() << 8));
    w.insert(w.end(), payload.begin(), payload.end());
    return *this;
  }
  image& bind(unsigned u, unsigned d) { return rec(cg::record::bind, {u, d}); }
  image& route(unsigned u, unsigned in, unsigned src) { return rec(cg::record::route, {u, in, src}); }
  image& group(unsigned g, std::uint32_t mask) { return rec(cg::record::group, {g, mask}); }
  image& program(unsigned d, const std::vector<std::uint32_t>& p, unsigned first = 0) {
    std::vector<std::uint32_t> x{d, first, static_cast<std::uint32_t>(p.size())};
    x.insert(x.end(), p.begin(), p.end());
    return rec(cg::record::program, x);
  }
  image& init(unsigned u, const std::vector<std::uint32_t>& v, unsigned first = 0) {
    std::vector<std::uint32_t> x{u, first, static_cast<std::uint32_t>(v.size())};
    x.insert(x.end(), v.begin(), v.end());
    return rec(cg::record::init, x);
  }
  [[nodiscard]] std::vector<std::uint32_t> done() const {
    std::vector<std::uint32_t> x = w;
    x.push_back(cg::record::end);
    x[2] = static_cast<std::uint32_t>(4 * x.size());
    return x;
  }
};

struct fixture {
  cg::array a{cg::parse(tiny_json, "tiny")};
  cg::config_cause load(const image& i) { return a.configure(i.done()).cause; }
  cg::run_result run(std::uint32_t groups = 1, std::uint64_t max = 1000) { return a.run(groups, max); }
};

std::string parse_error(const std::string& text) {
  try {
    cg::parse(text, "f.json");
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

// --- fabric descriptions -----------------------------------------------------------------------

TEST(CgraFabric, BuiltInParses) {
  const cg::fabric f = cg::load("");
  EXPECT_EQ(f.name, "blocks");
  EXPECT_EQ(f.units.size(), 42u);
  EXPECT_EQ(f.decoders.size(), 16u);
  EXPECT_EQ(f.mem_bytes(), 65536u);
}

TEST(CgraFabric, InconsistentDescriptionsNameThePathAndTheProblem) {
  const struct {
    std::string text, expect;
  } cases[] = {
      {edited(R"("name": "alu1", "type": "alu")", R"("name": "alu0", "type": "alu")"),
       "f.json: /units/4/name: duplicate unit 'alu0'"},
      {edited(R"("name": "mul0", "type": "mul")", R"("name": "mul0", "type": "fpu")"),
       "/units/12/type: 'fpu' is not id, imm, alu, mul, lsu, rf, abu or dot8"},
      {edited(R"("banks": 2,)", R"("banks": 2, "ports": 1,)"), "f.json: /memory/ports: unknown key"},
      {edited(R"("bank_bytes": 64)", R"("bank_bytes": 66)"), "/memory/bank_bytes: 66 is not a multiple of 4"},
      {edited(R"("registers": 4},
    {"name": "imm0")", R"("registers": 0},
    {"name": "imm0")"), "/units/7/registers: 0 is outside 1..256"},
      {R"({"name": "x", "memory": {"banks": 1, "bank_bytes": 4}, "imem": {"instructions": 1},
          "data_network": {"max_hops": 1}, "control_network": {"max_hops": 1},
          "units": [{"name": "a", "type": "alu", "x": 0, "y": 0}]})",
       "f.json: /units: no instruction decoder (type id)"},
  };
  for (const auto& c : cases) EXPECT_NE(parse_error(c.text).find(c.expect), std::string::npos) << parse_error(c.text);
}

// --- routes, bindings, groups --------------------------------------------------------------------

TEST(CgraArray, RoutedInputsReadThePreviousCyclesOutputs) {
  fixture f;
  ASSERT_EQ(f.load(image()
                       .bind(ALU0, 0)
                       .bind(ALU1, 1)
                       .route(ALU1, 0, ALU0)
                       .group(0, 0b011)
                       .program(0, {insn(op::alu::li, 0, 5), 0, 0})
                       .program(1, {insn(op::alu::pass), insn(op::alu::pass), 0})),
            cg::config_cause::none);
  // alu1 passes alu0's output: 0 in cycle 0 (alu0's li lands at its end), 5 in cycle 1.
  const auto r = f.run();
  EXPECT_EQ(r.how, cg::run_result::end::halt);
  EXPECT_EQ(r.cycles, 3u);
  EXPECT_EQ(f.a.output(ALU1), 5u);
}

TEST(CgraArray, OneDecoderBroadcastsToEveryUnitBoundToIt) {
  fixture f;
  ASSERT_EQ(f.load(image().bind(ALU0, 0).bind(ALU1, 0).group(0, 0b001).program(0, {insn(op::alu::li, 0, -7)})),
            cg::config_cause::none);
  f.run();
  EXPECT_EQ(f.a.output(ALU0), static_cast<std::uint32_t>(-7));
  EXPECT_EQ(f.a.output(ALU1), static_cast<std::uint32_t>(-7));
  EXPECT_EQ(f.a.count().fetches, 1u);  // one fetch for both units (SIMD)
  EXPECT_EQ(f.a.count().ctrl_hops, 1u + 2u);
}

TEST(CgraArray, LockStepGroupRunsToItsLongestProgram) {
  fixture f;
  ASSERT_EQ(f.load(image()
                       .bind(ALU0, 0)
                       .bind(ALU1, 1)
                       .group(0, 0b011)
                       .program(0, {insn(op::alu::inc, 0, 1), insn(op::alu::inc, 0, 1), insn(op::alu::inc, 0, 1)})
                       .program(1, {insn(op::alu::inc, 0, 10)})),
            cg::config_cause::none);
  const auto r = f.run();
  EXPECT_EQ(r.cycles, 3u);
  EXPECT_EQ(f.a.output(ALU0), 3u);
  EXPECT_EQ(f.a.output(ALU1), 10u);
  EXPECT_EQ(f.a.count().fetches, 6u);  // both decoders fetch every cycle (VLIW)
}

TEST(CgraArray, SeparateGroupsRunInParallel) {
  fixture f;
  ASSERT_EQ(f.load(image()
                       .bind(ALU0, 0)
                       .bind(ALU1, 1)
                       .group(0, 0b001)
                       .group(1, 0b010)
                       .program(0, {insn(op::alu::inc, 0, 1), insn(op::alu::inc, 0, 1)})
                       .program(1, {insn(op::alu::inc, 0, 1), insn(op::alu::inc, 0, 1), insn(op::alu::inc, 0, 1)})),
            cg::config_cause::none);
  const auto r = f.run(0b11);
  EXPECT_EQ(r.cycles, 3u);
  EXPECT_EQ(f.a.output(ALU0), 2u);
  EXPECT_EQ(f.a.output(ALU1), 3u);
}

TEST(CgraArray, LoopUnitRepeatsItsBodyWithoutOverhead) {
  for (const int count : {5, 1, 0}) {
    fixture f;
    ASSERT_EQ(f.load(image()
                         .bind(ALU0, 0)
                         .bind(ABU0, 2)
                         .group(0, 0b101)
                         .program(0, {0, insn(op::alu::inc, 0, 1), insn(op::alu::inc, 0, 100)})
                         .program(2, {insn(op::abu::loop, 1, count), 0, 0})),
              cg::config_cause::none);
    const auto r = f.run();
    EXPECT_EQ(r.how, cg::run_result::end::halt);
    EXPECT_EQ(f.a.output(ALU0), static_cast<std::uint32_t>(count + 100)) << count;
    EXPECT_EQ(r.cycles, 2u + static_cast<unsigned>(count)) << count;
  }
}

TEST(CgraArray, BranchesAndHaltFollowTheAbu) {
  fixture f;
  // alu0 counts down from 3; abu0 jumps back while it is not zero, then halts.
  ASSERT_EQ(f.load(image()
                       .bind(ALU0, 0)
                       .bind(ABU0, 2)
                       .route(ABU0, 0, ALU0)
                       .init(ALU0, {3})
                       .group(0, 0b101)
                       .program(0, {insn(op::alu::inc, 0, -1), 0, 0, insn(op::alu::li, 0, 99)})
                       .program(2, {0, insn(op::abu::bnz, 0), insn(op::abu::halt), 0})),
            cg::config_cause::none);
  const auto r = f.run();
  EXPECT_EQ(r.how, cg::run_result::end::halt);
  EXPECT_EQ(f.a.output(ALU0), 0u);  // halted before the li
  EXPECT_EQ(r.cycles, 3u * 2u + 1u);
}

// --- units -----------------------------------------------------------------------------------------

TEST(CgraArray, LoadStoreUnitsAndAddressRegisters) {
  fixture f;
  std::uint32_t words[4] = {11, 22, 33, 44};
  std::memcpy(f.a.mem().data(), words, sizeof words);
  ASSERT_EQ(f.load(image()
                       .bind(LSU0, 0)
                       .bind(LSU1, 1)
                       .route(LSU1, 1, LSU0)
                       .init(LSU0, {4})
                       .init(LSU1, {64})
                       .group(0, 0b011)
                       .program(0, {insn(op::lsu::ldinc, 0, 4), insn(op::lsu::ldinc, 0, 4), 0})
                       .program(1, {0, insn(op::lsu::stinc, 0, 8), insn(op::lsu::stinc, 0, 8)})),
            cg::config_cause::none);
  const auto r = f.run();
  ASSERT_EQ(r.how, cg::run_result::end::halt);
  std::uint32_t out[3] = {};
  std::memcpy(out, f.a.mem().data() + 64, sizeof out);
  EXPECT_EQ(out[0], 22u);
  EXPECT_EQ(out[2], 33u);
}

TEST(CgraArray, DotProductAccumulatesFourInt8Products) {
  fixture f;
  ASSERT_EQ(f.load(image()
                       .bind(IMM0, 0)
                       .bind(ALU0, 1)
                       .bind(DOT0, 2)
                       .init(IMM0, {0x7F80FF02u})
                       .route(DOT0, 0, IMM0)
                       .route(DOT0, 1, ALU0)
                       .group(0, 0b111)
                       .program(0, {insn(op::imm::cnst, 0)})
                       .program(1, {insn(op::alu::li, 0, 0x0103)})
                       .program(2, {insn(op::dot8::clr), insn(op::dot8::dot), insn(op::dot8::dot)})),
            cg::config_cause::none);
  f.run();
  // bytes (2, -1, -128, 127) . (3, 1, 0, 0) = 6 - 1, twice.
  EXPECT_EQ(static_cast<std::int32_t>(f.a.output(DOT0)), 10);
  EXPECT_EQ(f.a.count().macs, 8u);
}

TEST(CgraArray, RegisterFileReadsAndWritesAtTheCycleEnd) {
  fixture f;
  ASSERT_EQ(f.load(image()
                       .bind(ALU0, 0)
                       .bind(RF0, 1)
                       .route(RF0, 0, ALU0)
                       .group(0, 0b011)
                       .program(0, {insn(op::alu::li, 0, 9), 0, 0})
                       .program(1, {0, insn(op::rf::rdwr, 2, 2), insn(op::rf::rd, 2)})),
            cg::config_cause::none);
  f.run();
  EXPECT_EQ(f.a.reg(RF0, 2), 9u);
  EXPECT_EQ(f.a.output(RF0), 9u);
  EXPECT_EQ(f.a.count().rf_reads, 2u);
  EXPECT_EQ(f.a.count().rf_writes, 1u);
}

TEST(CgraArray, MultiplierAndImmediates) {
  fixture f;
  ASSERT_EQ(f.load(image()
                       .bind(IMM0, 0)
                       .bind(MUL0, 1)
                       .route(MUL0, 0, IMM0)
                       .group(0, 0b011)
                       .program(0, {insn(op::imm::li, 0, -6), 0})
                       .program(1, {0, insn(op::mul::muli, 0, 7)})),
            cg::config_cause::none);
  f.run();
  EXPECT_EQ(static_cast<std::int32_t>(f.a.output(MUL0)), -42);
}

// --- bank conflicts -------------------------------------------------------------------------------

TEST(CgraArray, AccessesToOneBankSerialiseAndStallTheGroup) {
  for (const std::uint32_t second : {4u, 8u}) {  // bank 1 (none), bank 0 (a conflict)
    fixture f;
    ASSERT_EQ(f.load(image()
                         .bind(LSU0, 0)
                         .bind(LSU1, 0)
                         .init(LSU0, {0})
                         .init(LSU1, {second})
                         .group(0, 0b001)
                         .program(0, {insn(op::lsu::ldinc, 0, 0)})),
              cg::config_cause::none);
    const auto r = f.run();
    EXPECT_EQ(r.cycles, second == 8 ? 2u : 1u) << second;
    EXPECT_EQ(r.stalls, second == 8 ? 1u : 0u) << second;
  }
}

TEST(CgraArray, BetweenGroupsTheLowerNumberWinsTheBank) {
  fixture f;
  ASSERT_EQ(f.load(image()
                       .bind(LSU0, 0)
                       .bind(LSU1, 1)
                       .init(LSU1, {8})
                       .group(0, 0b001)
                       .group(1, 0b010)
                       .program(0, {insn(op::lsu::ldinc, 0, 0), insn(op::lsu::ldinc, 0, 0)})
                       .program(1, {insn(op::lsu::ldinc, 0, 0)})),
            cg::config_cause::none);
  const auto r = f.run(0b11);
  EXPECT_EQ(r.cycles, 3u);  // group 1 waits for group 0's two loads
  EXPECT_EQ(r.stalls, 2u);
}

// --- configuration: partial reconfiguration and errors ---------------------------------------------

TEST(CgraArray, AnImageChangesOnlyWhatItNames) {
  fixture f;
  ASSERT_EQ(f.load(image().bind(ALU0, 0).route(ALU1, 0, ALU0).group(0, 0b001).program(0, {insn(op::alu::li, 0, 1)})),
            cg::config_cause::none);
  ASSERT_EQ(f.load(image().bind(ALU1, 1).group(1, 0b010).program(1, {insn(op::alu::li, 0, 2)})), cg::config_cause::none);
  EXPECT_EQ(f.a.binding(ALU0), 0u);
  EXPECT_EQ(f.a.route(ALU1, 0), static_cast<unsigned>(ALU0));
  EXPECT_EQ(f.a.group_of(0), 0);
  EXPECT_EQ(f.a.group_of(1), 1);
  f.run(0b11);
  EXPECT_EQ(f.a.output(ALU0), 1u);
  EXPECT_EQ(f.a.output(ALU1), 2u);
}

TEST(CgraArray, BackgroundImageMustNotTouchTheRunningGroups) {
  fixture f;
  ASSERT_EQ(f.load(image().bind(ALU0, 0).group(0, 0b001).program(0, {insn(op::alu::li, 0, 1)})), cg::config_cause::none);
  const cg::in_use busy = f.a.users(0b001);
  EXPECT_EQ(busy.units[ID0], 1);
  EXPECT_EQ(busy.units[ALU0], 1);
  EXPECT_EQ(f.a.configure(image().bind(ALU1, 1).done(), &busy).cause, cg::config_cause::none);
  EXPECT_EQ(f.a.configure(image().program(0, {0}).done(), &busy).cause, cg::config_cause::busy);
  EXPECT_EQ(f.a.configure(image().route(ALU0, 0, ALU1).done(), &busy).cause, cg::config_cause::busy);
  // A GROUP record gives a group's whole membership: naming a running group changes it.
  EXPECT_EQ(f.a.configure(image().group(0, 0b100).done(), &busy).cause, cg::config_cause::busy);
}

TEST(CgraArray, WhatARunningUnitReadsIsBusyToo) {
  fixture f;
  ASSERT_EQ(f.load(image().bind(ALU0, 0).bind(ALU1, 1).route(ALU0, 0, ALU1).group(0, 1).group(1, 2)
                       .program(0, {insn(op::alu::pass)}).program(1, {insn(op::alu::li, 0, 4)})),
            cg::config_cause::none);
  const cg::in_use busy = f.a.users(0b01);
  EXPECT_EQ(busy.units[ALU1], 1);  // alu0 reads it
  EXPECT_EQ(f.a.configure(image().init(ALU1, {9}).done(), &busy).cause, cg::config_cause::busy);
}

TEST(CgraArray, AGroupWaitingForItsOwnBankAccessesKeepsTheBanks) {
  fixture f;
  // Group 0's two loads both go to bank 0: two cycles, in both of which group 1's load to bank 0
  // waits (the lower group keeps the bank), then goes.
  ASSERT_EQ(f.load(image()
                       .bind(LSU0, 0)
                       .bind(LSU1, 0)
                       .bind(LSU2, 1)
                       .init(LSU0, {0})
                       .init(LSU1, {8})
                       .init(LSU2, {16})
                       .group(0, 0b001)
                       .group(1, 0b010)
                       .program(0, {insn(op::lsu::ldinc, 0, 0)})
                       .program(1, {insn(op::lsu::ldinc, 0, 0)})),
            cg::config_cause::none);
  const auto r = f.run(0b11);
  EXPECT_EQ(r.cycles, 3u);
  EXPECT_EQ(r.stalls, 1u + 2u);
}

TEST(CgraArray, InconsistentImagesAreRefusedWithTheirCauseAndRecord) {
  std::vector<std::uint32_t> bad_magic = image().done();
  bad_magic[0] = 0;
  std::vector<std::uint32_t> long_record = image().done();
  long_record.insert(long_record.end() - 1, cg::record::bind | (50u << 8));
  long_record[2] += 4;
  std::vector<std::uint32_t> no_end = image().bind(ALU0, 0).done();
  no_end.pop_back();
  no_end[2] -= 4;
  const struct {
    const char* what;
    std::vector<std::uint32_t> words;
    cg::config_cause cause;
    std::uint32_t offset;
  } cases[] = {
      {"bad magic", bad_magic, cg::config_cause::format, 0},
      {"no END", no_end, cg::config_cause::format, 28},
      {"unit past the fabric", image().bind(40, 0).done(), cg::config_cause::unit, 16},
      {"decoder bound to a decoder", image().bind(ID1, 0).done(), cg::config_cause::unit, 16},
      {"input the unit lacks", image().route(RF0, 1, ALU0).done(), cg::config_cause::unit, 16},
      {"route from a decoder", image().route(ALU0, 0, ID0).done(), cg::config_cause::route, 16},
      {"route too long", image().route(FAR, 0, ALU0).done(), cg::config_cause::route, 16},
      {"bound twice", image().bind(ALU0, 0).bind(ALU0, 1).done(), cg::config_cause::binding, 28},
      {"two types on a decoder", image().bind(ALU0, 0).bind(LSU0, 0).done(), cg::config_cause::binding, 0},
      {"control too long", image().bind(FAR, 0).done(), cg::config_cause::binding, 0},
      {"decoder in two groups", image().group(0, 1).group(1, 1).done(), cg::config_cause::group, 28},
      {"group 8", image().group(8, 1).done(), cg::config_cause::group, 16},
      {"program past imem", image().program(0, {0, 0}, 15).done(), cg::config_cause::program, 16},
      {"init past registers", image().init(RF0, {1, 2}, 3).done(), cg::config_cause::program, 16},
      {"init of a multiplier", image().init(MUL0, {1}).done(), cg::config_cause::unit, 16},
      {"a group twice", image().group(0, 1).group(0, 2).done(), cg::config_cause::group, 28},
      {"mask naming no decoder", image().group(0, 1u << 5).done(), cg::config_cause::group, 16},
      {"unknown record type", image().rec(9, {1}).done(), cg::config_cause::format, 16},
      {"record longer than the image", long_record, cg::config_cause::format, 16},
      {"END with a payload", image().rec(cg::record::end, {0}).done(), cg::config_cause::format, 16},
  };
  for (const auto& c : cases) {
    fixture f;
    const cg::config_result r = f.a.configure(c.words);
    EXPECT_EQ(r.cause, c.cause) << c.what << ": " << cg::config_cause_name(r.cause);
    EXPECT_EQ(r.offset, c.offset) << c.what;
    EXPECT_EQ(f.a.binding(ALU0), cg::none) << c.what << ": nothing applied";
  }
}

TEST(CgraArray, InconsistentRunsAreRefusedBeforeAnyCycle) {
  {
    fixture f;  // a group with no decoder
    EXPECT_EQ(f.run(0b100).refused, cg::config_cause::run);
  }
  {
    fixture f;  // alu1 reads alu0, which is power-gated
    ASSERT_EQ(f.load(image().bind(ALU1, 0).route(ALU1, 0, ALU0).group(0, 1).program(0, {insn(op::alu::pass)})),
              cg::config_cause::none);
    const auto r = f.run();
    EXPECT_EQ(r.how, cg::run_result::end::refused);
    EXPECT_EQ(r.unit, static_cast<unsigned>(ALU1));
    EXPECT_EQ(r.cycles, 0u);
    EXPECT_EQ(f.a.count().cycles, 0u);
  }
}

TEST(CgraArray, EveryFaultEndsTheRunWithItsCauseUnitAndPc) {
  const struct {
    const char* what;
    image img;
    cg::fault cause;
    unsigned pc, unit;
  } cases[] = {
      {"load outside memory", image().bind(LSU0, 0).init(LSU0, {128}).group(0, 1).program(0, {0, insn(op::lsu::ldinc)}),
       cg::fault::memory, 1, LSU0},
      {"misaligned store", image().bind(LSU0, 0).init(LSU0, {2}).group(0, 1).program(0, {insn(op::lsu::stinc)}),
       cg::fault::memory, 0, LSU0},
      {"unknown operation", image().bind(ALU0, 0).group(0, 1).program(0, {insn(99)}), cg::fault::opcode, 0, ALU0},
      {"jump past the program", image().bind(ABU0, 0).group(0, 1).program(0, {insn(op::abu::jump, 9)}), cg::fault::pc,
       0, ABU0},
      {"loop in a loop",
       image().bind(ABU0, 0).group(0, 1).program(0, {insn(op::abu::loop, 2, 2), insn(op::abu::loop, 2, 2), 0}),
       cg::fault::loop, 1, ABU0},
  };
  for (const auto& c : cases) {
    fixture f;
    ASSERT_EQ(f.load(c.img), cg::config_cause::none) << c.what;
    const auto r = f.run();
    EXPECT_EQ(r.how, cg::run_result::end::fault) << c.what;
    EXPECT_EQ(r.cause, c.cause) << c.what << ": " << cg::fault_name(r.cause);
    EXPECT_EQ(r.pc, c.pc) << c.what;
    EXPECT_EQ(r.unit, c.unit) << c.what;
  }
}

TEST(CgraArray, RunawayKernelEndsAtItsCycleBudget) {
  fixture f;
  ASSERT_EQ(f.load(image().bind(ABU0, 0).group(0, 1).program(0, {insn(op::abu::jump, 0)})), cg::config_cause::none);
  const auto r = f.run(1, 500);
  EXPECT_EQ(r.how, cg::run_result::end::timeout);
  EXPECT_EQ(r.cycles, 500u);
}

// --- energy events -----------------------------------------------------------------------------------

TEST(CgraArray, CountsTheEventsItsEnergyIsChargedOn) {
  fixture f;
  ASSERT_EQ(f.load(image()
                       .bind(ALU0, 0)
                       .bind(ALU1, 1)
                       .route(ALU1, 0, ALU0)
                       .group(0, 0b011)
                       .program(0, {insn(op::alu::li, 0, 1), 0})
                       .program(1, {0, insn(op::alu::pass)})),
            cg::config_cause::none);
  f.run();
  const cg::counters& c = f.a.count();
  EXPECT_EQ(c.cycles, 2u);
  EXPECT_EQ(c.fetches, 4u);
  EXPECT_EQ(c.ctrl_hops, 2u * (1u + 1u));  // id0 -> alu0 and id1 -> alu1: one hop each, two cycles
  EXPECT_EQ(c.data_hops, 1u);             // alu1 read alu0 once
  EXPECT_EQ(c.ops[static_cast<unsigned>(cg::unit_type::alu)], 2u);
  EXPECT_EQ(c.unit_cycles, 4u);            // two powered units, two cycles; the rest power-gated
  EXPECT_EQ(c.config_bits, 32u * 30u);  // the image: header 4, 2 BIND 6, ROUTE 4, GROUP 3, 2 PROGRAM 12, END 1
}

// --- the accelerator: descriptors, registers, errors ---------------------------------------------------

constexpr std::uint64_t desc_addr = sram_base;
constexpr std::uint64_t img_addr = sram_base + 0x1000;
constexpr std::uint64_t data_addr = sram_base + 0x2000;
constexpr std::uint64_t out_addr = sram_base + 0x3000;

std::string tiny_file() {  // one file a test: ctest runs them in parallel
  const std::string path = testing::TempDir() + "/tiny_fabric." +
                           testing::UnitTest::GetInstance()->current_test_info()->name() + ".json";
  std::ofstream(path) << tiny_json;
  return path;
}

instance cgra_instance(const std::string& fabric) {
  instance i;
  i.name = "cgra";
  i.kind = "cgra";
  i.params.set("fabric", edgevp::core::param_value::of_text(edgevp::core::param_type::path, fabric));
  return i;
}

std::vector<std::uint32_t> desc(std::uint8_t op, std::uint32_t flags, std::uint32_t a, std::uint32_t b = 0,
                                std::uint32_t c = 0) {
  return {op | (flags << 8), 0, a, b, c, 0};
}

struct accel_fixture {
  accel_bench b{cgra_instance(tiny_file())};
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
};

// Sums two words: lsu0 loads them, alu0 accumulates, lsu1 stores the sum at 16.
image sum_kernel() {
  return image()
      .bind(LSU0, 0)
      .bind(ALU0, 1)
      .bind(LSU1, 2)
      .route(ALU0, 0, LSU0)
      .route(LSU1, 1, ALU0)
      .init(LSU1, {16})
      .group(0, 0b111)
      .program(0, {insn(op::lsu::ldinc, 0, 4), insn(op::lsu::ldinc, 0, 4), 0, 0})
      .program(1, {0, insn(op::alu::acc), insn(op::alu::acc), 0})
      .program(2, {0, 0, 0, insn(op::lsu::stinc)});
}

TEST(CgraAccelerator, ConfigCopyRunAndCopyBack) {
  accel_fixture f;
  const auto img = sum_kernel().done();
  f.b.poke_words(img_addr, img);
  f.b.poke_words(data_addr, {40, 2});
  f.chain({desc(cg::opcode::config, 0, img_addr, static_cast<std::uint32_t>(4 * img.size())),
           desc(cg::opcode::copy, 0, data_addr, 0, 8), desc(cg::opcode::run, 0, 1),
           desc(cg::opcode::copy, cg::flag_to_soc, out_addr, 16, 4)});
  EXPECT_EQ(f.b.status() & 0xFF06u, edgevp::accel::status_bits::done) << "cause " << f.reg(cg::regs::config_cause);
  EXPECT_EQ(f.b.peek(out_addr, 1)[0], 42);
  EXPECT_EQ(f.reg(cg::regs::run_cycles), 4u);
  EXPECT_EQ(f.reg(cg::regs::config_bits), 32u * img.size());
  EXPECT_EQ(f.reg(cg::regs::units), 15u);
  EXPECT_TRUE(f.b.irq);
}

TEST(CgraAccelerator, RefusedImageIsAConfigErrorNamingTheRecord) {
  accel_fixture f;
  const auto img = image().bind(ALU0, 0).route(FAR, 0, ALU0).done();
  f.b.poke_words(img_addr, img);
  f.chain({desc(cg::opcode::config, 0, img_addr, static_cast<std::uint32_t>(4 * img.size()))});
  EXPECT_EQ(f.b.err_code(), static_cast<unsigned>(error::config));
  EXPECT_EQ(f.reg(cg::regs::config_cause), static_cast<unsigned>(cg::config_cause::route));
  EXPECT_EQ(f.reg(edgevp::accel::regs::err_addr), static_cast<std::uint32_t>(img_addr + 28));
  EXPECT_TRUE(f.b.irq);
}

TEST(CgraAccelerator, RunFaultAndTimeoutAreErrors) {
  accel_fixture f;
  const auto img = image().bind(ABU0, 0).group(0, 1).program(0, {insn(op::abu::jump, 0)}).done();
  f.b.poke_words(img_addr, img);
  f.b.wr(cg::regs::max_cycles, 300);
  f.chain({desc(cg::opcode::config, 0, img_addr, static_cast<std::uint32_t>(4 * img.size())),
           desc(cg::opcode::run, 0, 1)});
  EXPECT_EQ(f.b.err_code(), static_cast<unsigned>(error::timeout));
  EXPECT_EQ(f.reg(cg::regs::run_cycles), 300u);
}

TEST(CgraAccelerator, BackgroundConfigOverlapsThePreviousRun) {
  accel_fixture f;
  const auto first = image().bind(ALU0, 0).group(0, 1).program(0, std::vector<std::uint32_t>(16, insn(op::alu::inc, 0, 1))).done();
  const auto second = image().bind(ALU1, 1).group(1, 2).program(1, {insn(op::alu::li, 0, 3)}).done();
  f.b.poke_words(img_addr, first);
  f.b.poke_words(img_addr + 0x400, second);
  const auto config = [&](std::uint32_t flags) {
    return std::vector<std::vector<std::uint32_t>>{
        desc(cg::opcode::config, 0, img_addr, static_cast<std::uint32_t>(4 * first.size())),
        desc(cg::opcode::run, 0, 1),
        desc(cg::opcode::config, flags, img_addr + 0x400, static_cast<std::uint32_t>(4 * second.size())),
        desc(cg::opcode::run, 0, 2)};
  };
  f.chain(config(cg::flag_background));
  EXPECT_EQ(f.b.status() & 0xFF06u, edgevp::accel::status_bits::done);
  const std::uint32_t overlapped = f.reg(edgevp::accel::regs::cycles_lo);
  f.b.wr(edgevp::accel::regs::status, edgevp::accel::status_bits::done);
  f.chain(config(0));
  const std::uint32_t serial = f.reg(edgevp::accel::regs::cycles_lo) - overlapped;
  EXPECT_LT(overlapped, serial);
  EXPECT_EQ(f.b.status() & 0xFF06u, edgevp::accel::status_bits::done);
}

}  // namespace

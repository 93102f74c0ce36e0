// Fuzz target: every accelerator kind's descriptor decoding, through the contract (DESC, START).
// One bench per kind (tests/unit/accel_bench.h: router, ROM, SRAM, a CPU-like initiator), all
// elaborated once: SystemC allows one elaboration per process. Each input restarts the chosen
// instance from power-on (its domain off and on again: registers, job state and local memories
// cleared) with a zeroed SRAM, and lets simulated time pass the job's end.
//
// Input: byte 0 picks the kind (modulo the kinds below); the rest (at most 32 KiB) is the SRAM's
// contents from its base, where DESC points: a descriptor chain and whatever data it names. The
// contract's failure mode is an error in STATUS and the interrupt (device.h); an exception, a
// crash, a sanitizer report or a hang is a finding.
//
// What one START may cost is bounded by design at minutes of host time (65536 descriptors, 2^33
// units of work, 2^22 DMA blocks: docs/accelerators.md), and a chain linked back to itself
// reaches those bounds; the unit benches check them (test_accelerator, test_cim). Here such an
// input would spend seconds per execution, so the harness cuts a chain where it comes back to a
// descriptor it has passed (the `next` word that closes the loop reads 0), keeps the instances
// small, and keeps an input whose START took more than 25 ms out of the corpus (it still runs).
// EDGEVP_FUZZ_VERBOSE=1 in the environment prints each input's outcome (STATUS, ERR_DESC, ...).
#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <set>
#include <string>

#include <systemc>

#include "models/accelerators/accelerator.h"
#include "models/accelerators/registry.h"
#include "tests/fuzz/fuzz_support.h"
#include "tests/unit/accel_bench.h"

namespace {

using edgevp::accel::instance;
using edgevp::core::param_value;
namespace test = edgevp::test;

// Sizes kept small where a descriptor's work grows with them (a 256 x 256 CIM takes seconds for a
// batch of 65536 vectors under ASan), and small cycle budgets for the programmable kinds; the
// descriptor formats do not depend on them.
instance make(const std::string& name, const std::string& kind) {
  instance i;
  i.name = name;
  i.kind = kind;
  if (kind == "cim-digital" || kind == "cim-analog") {
    i.params.set("rows", param_value::of(std::uint64_t{16}));
    i.params.set("cols", param_value::of(std::uint64_t{16}));
  }
  if (kind == "snn") i.params.set("neurons", param_value::of(std::uint64_t{1024}));
  if (kind == "tta" || kind == "cgra") i.params.set("max_cycles", param_value::of(std::uint64_t{2000}));
  return i;
}

constexpr std::array<const char*, 5> kinds = {"cim-digital", "cim-analog", "snn", "tta", "cgra"};
constexpr std::size_t max_image = 32 * 1024;  // of the SRAM's 1 MiB

// Follows the chain from the SRAM's base as the engine does (word 1 of each descriptor is the
// next one's address) and cuts it where it comes back to a descriptor already passed.
void cut_loops(unsigned char* sram) {
  std::set<std::uint64_t> passed;
  std::uint64_t at = test::sram_base;
  while (at >= test::sram_base && at + 8 <= test::sram_base + max_image && at % 4 == 0) {
    passed.insert(at);
    unsigned char* next_word = sram + (at - test::sram_base) + 4;
    std::uint32_t next = 0;
    std::memcpy(&next, next_word, 4);
    if (passed.count(next) != 0) {
      std::memset(next_word, 0, 4);
      return;
    }
    at = next;
  }
}

struct benches {
  std::array<std::unique_ptr<test::accel_bench>, kinds.size()> b;
  benches() {
    sc_core::sc_report_handler::set_actions(sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
    sc_core::sc_report_handler::set_actions(sc_core::SC_WARNING, sc_core::SC_DO_NOTHING);
    for (std::size_t k = 0; k < kinds.size(); ++k) {
      const std::string tag = "_" + std::to_string(k);
      b[k] = std::make_unique<test::accel_bench>(make("accel", kinds[k]), edgevp::accel::registry::builtin(),
                                                 tag, k + 1 == kinds.size());
    }
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static benches all;
  if (size < 1) return 0;
  test::accel_bench& b = *all.b[data[0] % kinds.size()];
  ++data;
  --size;

  // Power-on state: the domain off (registers, job, local memories) and on again; a zeroed SRAM.
  const sc_core::sc_time now = sc_core::sc_time_stamp();
  b.monitor.set_state(*b.domain, edgevp::core::power::state::off, now);
  b.monitor.set_state(*b.domain, edgevp::core::power::state::on, now);
  std::memset(b.sram.data(), 0, test::sram_size);
  std::memcpy(b.sram.data(), data, std::min(size, max_image));
  cut_loops(b.sram.data());
  b.irq = false;

  // START runs the chain inside the register write; then simulated time passes the job's end (at
  // most 1 s of it), so that STATUS shows how it ended and the interconnect's reservations, which
  // the bench keeps from input to input, are behind the next input's.
  const auto started = std::chrono::steady_clock::now();
  b.wr(test::reg::desc, static_cast<std::uint32_t>(test::sram_base));
  b.wr(test::reg::ctrl, edgevp::accel::ctrl_bits::start | edgevp::accel::ctrl_bits::irq_en);
  const bool slow = std::chrono::steady_clock::now() - started > std::chrono::milliseconds(25);
  const std::uint64_t cycles = std::min<std::uint64_t>(b.dev->last_job().cycles, 100'000'000);  // 10 ns each
  sc_core::sc_start(sc_core::sc_time(1, sc_core::SC_MS) +
                    sc_core::sc_time(10.0 * static_cast<double>(cycles), sc_core::SC_NS));

  // Everything the registers show afterwards, and what the reports read.
  std::uint64_t sum = 0;
  for (std::uint64_t off = 0; off < 0x80; off += 4) sum += b.rd(off).value;
  const auto last = b.dev->last_job();
  static const bool verbose = std::getenv("EDGEVP_FUZZ_VERBOSE") != nullptr;
  if (verbose)  // what a seed or a finding does, for its author
    std::fprintf(stderr, "%s: STATUS 0x%08x ERR_DESC 0x%08x ERR_ADDR 0x%08x descriptors %llu cycles %llu\n",
                 kinds[data[-1] % kinds.size()], b.status(), static_cast<unsigned>(b.rd(0x10).value),
                 static_cast<unsigned>(b.rd(0x14).value), static_cast<unsigned long long>(last.descriptors),
                 static_cast<unsigned long long>(last.cycles));
  sum += last.descriptors + last.cycles + last.ops + static_cast<unsigned>(last.err);
  for (const auto& [name, value] : b.dev->report())
    sum += name.size() + static_cast<std::uint64_t>(value != 0);
  sum += b.dev->jobs() + b.dev->errors() + b.dev->busy_cycles() + b.dev->operations() + b.dev->dma_bytes();
  edgevp::fuzz::keep(sum);
  return slow ? -1 : 0;  // -1: not added to the corpus
}

#include <string>

#include "models/cpu/cpu.h"

namespace edgevp::cpu {

std::vector<core::param_binding> bind_params(timing_config& timing, cpu_power& power, cpu_isa& isa) {
  using ps = core::param_spec;
  std::vector<core::param_binding> b;
  for (std::size_t i = 0; i < timing.cycles.size(); ++i) {
    const std::string c = class_name(static_cast<insn_class>(i));
    b.push_back(core::bind(ps::integer("cycles." + c, 0, 1, 1000, "cycles per " + c + " instruction"),
                           timing.cycles[i]));
  }
  b.push_back(core::bind(ps::integer("cycles.branch_taken", 0, 0, 1000, "extra cycles of a taken branch"),
                         timing.branch_taken_extra));
  b.push_back(core::bind(ps::integer("cycles.trap", 0, 0, 1000, "cycles to enter a trap handler"),
                         timing.trap_cycles));
  b.push_back(core::bind(ps::integer("cycles.misaligned", 0, 0, 1000,
                                     "extra cycles of a misaligned load or store (cpu.misaligned = emulate) on "
                                     "top of its byte accesses (RI5CY: 1, its second access)"),
                         timing.misaligned_extra));
  b.push_back(core::bind(ps::choice("pmp_entries", "", {"0", "4", "8", "16"},
                                    "physical memory protection entries (TOR, NA4, NAPOT, locking)"),
                         isa.pmp_entries));
  b.push_back(core::bind(ps::choice("misaligned", "", {"trap", "emulate"},
                                    "misaligned loads and stores: trap (address-misaligned exception), or "
                                    "performed as RI5CY does (byte accesses, cpu.cycles.misaligned extra cycles)"),
                         isa.misaligned));
  for (std::size_t i = 0; i < power.insn.size(); ++i) {
    const std::string c = class_name(static_cast<insn_class>(i));
    b.push_back(
        core::bind(ps::energy("power.insn." + c, 0.0, "energy per " + c + " instruction"), power.insn[i]));
  }
  b.push_back(core::bind(ps::power("power.background", 0.0, "CPU dynamic power while clocked (idle or not)"),
                         power.background));
  b.push_back(core::bind(ps::power("power.leakage", 0.0, "CPU leakage while powered"), power.leakage));
  b.push_back(core::bind(ps::power("power.retention", 0.0, "CPU leakage in retention"), power.retention));
  return b;
}

}  // namespace edgevp::cpu

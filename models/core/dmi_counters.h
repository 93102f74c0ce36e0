// edgevp: the TLM extension that carries a target's DMI access counters to the initiator.
//
// The initiator attaches an empty extension to its get_direct_mem_ptr request; a target that
// counts DMI traffic fills in `counters`; components on the path (the interconnect) may read it
// on the way back. An initiator that does not attach the extension simply leaves DMI traffic
// uncounted (tests, debuggers).
#pragma once

#include <tlm>

#include "models/core/access_counters.h"

namespace edgevp::core {

struct dmi_counters_extension : tlm::tlm_extension<dmi_counters_extension> {
  access_counters* counters = nullptr;

  [[nodiscard]] tlm::tlm_extension_base* clone() const override {
    auto* e = new dmi_counters_extension;  // NOLINT(cppcoreguidelines-owning-memory): TLM owns it
    e->counters = counters;
    return e;
  }
  void copy_from(const tlm::tlm_extension_base& other) override {
    counters = static_cast<const dmi_counters_extension&>(other).counters;
  }
};

}  // namespace edgevp::core

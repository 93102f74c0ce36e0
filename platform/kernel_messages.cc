#include "platform/kernel_messages.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>

#include <systemc>

namespace edgevp::platform {

namespace {

// A kind of message: the kernel's own by its id (W713: the text varies with the time), a model's
// by its module and text (one module reports different things).
struct kinds {
  std::map<std::string, std::uint64_t> repeats;  // shown once -> displays suppressed since
  std::map<std::string, unsigned> per_type;      // message type -> distinct texts shown
};

kinds& seen() {
  static kinds k;
  return k;
}

// Distinct texts shown per message type: past it, a module's further texts are counted too.
constexpr unsigned max_texts_per_type = 16;

void handler(const sc_core::sc_report& rep, const sc_core::sc_actions& actions) {
  if ((actions & sc_core::SC_DISPLAY) != 0) {
    // "Warning: (W713) current kernel time is not representable in VCD time units: ..." or
    // "Warning: soc.syscon: REGION_END with no open region: refused"; the kernel's source file and
    // line that follow are not for the user.
    std::string text = sc_core::sc_report_compose_message(rep);
    text.resize(std::min(text.size(), text.find('\n')));
    const bool kernel = rep.get_id() >= 0;
    std::string key = kernel ? std::string(rep.get_msg_type()) : text;
    kinds& k = seen();
    const bool further =
        !kernel && k.repeats.count(key) == 0 && k.per_type[rep.get_msg_type()] >= max_texts_per_type;
    if (further) key = std::string("further messages of ") + rep.get_msg_type();
    auto [it, first] = k.repeats.try_emplace(key, 0);
    if ((first && !further) || rep.get_severity() >= sc_core::SC_ERROR) {
      if (!kernel && first) ++k.per_type[rep.get_msg_type()];
      std::fprintf(stderr, "edgevp: %s%s\n", kernel ? "SystemC " : "", text.c_str());
      std::fflush(stderr);
    } else {
      ++it->second;
    }
  }
  sc_core::sc_report_handler::default_handler(rep, actions & ~sc_core::SC_DISPLAY);
}

}  // namespace

void install_kernel_messages() {
  sc_core::sc_report_handler::set_actions(sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
  sc_core::sc_report_handler::set_handler(&handler);
}

std::string kernel_message_repeats() {
  std::string out;
  for (const auto& [key, n] : seen().repeats) {
    if (n == 0) continue;
    if (!out.empty()) out += "; ";
    out += std::to_string(n) + " more of '" + key + "'";
  }
  return out.empty() ? out : out + " not shown";
}

}  // namespace edgevp::platform

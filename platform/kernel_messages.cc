#include "platform/kernel_messages.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include <systemc>

namespace edgevp::platform {

namespace {

std::map<std::string, std::uint64_t>& repeats() {
  static std::map<std::string, std::uint64_t> counts;  // message type -> displays suppressed
  return counts;
}

void handler(const sc_core::sc_report& rep, const sc_core::sc_actions& actions) {
  if ((actions & sc_core::SC_DISPLAY) != 0) {
    auto [it, first] = repeats().try_emplace(rep.get_msg_type(), 0);
    if (first || rep.get_severity() >= sc_core::SC_ERROR) {
      // "Warning: (W713) current kernel time is not representable in VCD time units: ..."; the
      // kernel's source file and line that follow are not for the user.
      std::string text = sc_core::sc_report_compose_message(rep);
      text.resize(std::min(text.size(), text.find('\n')));
      std::fprintf(stderr, "edgevp: SystemC %s\n", text.c_str());
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
  for (const auto& [type, n] : repeats()) {
    if (n == 0) continue;
    if (!out.empty()) out += ", ";
    out += std::to_string(n) + " repeat" + (n == 1 ? "" : "s") + " of SystemC's '" + type + "'";
  }
  return out.empty() ? out : out + " not shown";
}

}  // namespace edgevp::platform

// edgevp: where the SystemC kernel's own messages go.
//
// stdout belongs to the firmware's UART; the kernel prints its reports there by default, hundreds
// of times for one repeated warning. install_kernel_messages() sends every report, the kernel's
// and the models', to stderr instead, each kind of message once: the kernel's by its id
// ("edgevp: SystemC Warning: (W713) ..."), a model's by its module and text ("edgevp: Warning:
// soc.syscon: REGION_END with no open region: refused"), at most 16 different texts per module
// (the rest are counted as its further messages). Repeats are counted; kernel_message_repeats()
// says how many were not shown, for the end of the run. Info messages (trace timescale, "stopped
// by user") are not shown at all. What the kernel does besides displaying (throwing on an error,
// aborting on a fatal one) is unchanged.
#pragma once

#include <cstdint>
#include <string>

namespace edgevp::platform {

void install_kernel_messages();

// "N more of 'KIND' not shown" for the kinds shown more than once since install_kernel_messages(),
// or "" when there were none.
std::string kernel_message_repeats();

}  // namespace edgevp::platform

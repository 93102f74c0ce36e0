// edgevp: where the SystemC kernel's own messages go.
//
// stdout belongs to the firmware's UART; the kernel prints its reports there by default, hundreds
// of times for one repeated warning. install_kernel_messages() sends them to stderr instead, as
// "edgevp: SystemC Warning: (W713) ...", each distinct message type once: the repeats are counted
// and kernel_message_repeats() says how many were not shown, for the end of the run. Info
// messages (trace timescale, "stopped by user") are not shown at all. What the kernel does besides
// displaying (throwing on an error, aborting on a fatal one) is unchanged.
#pragma once

#include <cstdint>
#include <string>

namespace edgevp::platform {

void install_kernel_messages();

// "N repeats of SystemC warning (W713) not shown, ..." for each message type shown more than once
// since install_kernel_messages(), or "" when there were none.
std::string kernel_message_repeats();

}  // namespace edgevp::platform

// The SystemC kernel's messages (platform/kernel_messages.h): on stderr, never stdout (the UART's),
// each message type once, the repeats counted; errors still throw.
#include "platform/kernel_messages.h"

#include <gtest/gtest.h>

#include <string>
#include <systemc>

namespace {

using edgevp::platform::install_kernel_messages;
using edgevp::platform::kernel_message_repeats;

TEST(kernel_messages, a_warning_goes_to_stderr_once_and_its_repeats_are_counted) {
  install_kernel_messages();
  testing::internal::CaptureStdout();
  testing::internal::CaptureStderr();
  for (int i = 0; i < 5; ++i) SC_REPORT_WARNING("edgevp/test/repeated", "said five times");
  SC_REPORT_WARNING("edgevp/test/once", "said once");
  const std::string out = testing::internal::GetCapturedStdout();
  const std::string err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(out, "");
  EXPECT_EQ(err,
            "edgevp: SystemC Warning: edgevp/test/repeated: said five times\n"
            "edgevp: SystemC Warning: edgevp/test/once: said once\n");
  EXPECT_EQ(kernel_message_repeats(), "4 repeats of SystemC's 'edgevp/test/repeated' not shown");
}

TEST(kernel_messages, none_repeated_says_nothing) {
  install_kernel_messages();
  testing::internal::CaptureStderr();
  SC_REPORT_WARNING("edgevp/test/single", "once");
  testing::internal::GetCapturedStderr();
  EXPECT_EQ(kernel_message_repeats(), "");
}

TEST(kernel_messages, info_is_not_shown) {
  install_kernel_messages();
  testing::internal::CaptureStdout();
  testing::internal::CaptureStderr();
  SC_REPORT_INFO("edgevp/test/info", "not for the user");
  EXPECT_EQ(testing::internal::GetCapturedStdout(), "");
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "");
}

TEST(kernel_messages, an_error_still_throws_and_never_reaches_stdout) {
  install_kernel_messages();
  testing::internal::CaptureStdout();
  for (int i = 0; i < 2; ++i) EXPECT_THROW(SC_REPORT_ERROR("edgevp/test/error", "bad"), sc_core::sc_report);
  EXPECT_EQ(testing::internal::GetCapturedStdout(), "");
}

}  // namespace

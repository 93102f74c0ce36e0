// The SystemC kernel's messages (platform/kernel_messages.h): on stderr, never stdout (the UART's),
// each message type once, the repeats counted; errors still throw.
#include "platform/kernel_messages.h"

#include <gtest/gtest.h>

#include <algorithm>
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
            "edgevp: Warning: edgevp/test/repeated: said five times\n"
            "edgevp: Warning: edgevp/test/once: said once\n");
  EXPECT_EQ(kernel_message_repeats(), "4 more of 'Warning: edgevp/test/repeated: said five times' not shown");
}

// One module reports different things: each text is shown (a module's first 16 texts).
TEST(kernel_messages, different_texts_of_one_module_are_each_shown) {
  install_kernel_messages();
  testing::internal::CaptureStderr();
  SC_REPORT_WARNING("soc.syscon", "EXIT: value 0x00007777 is not a finisher code: refused");
  SC_REPORT_WARNING("soc.syscon", "REGION_END with no open region: refused");
  SC_REPORT_WARNING("soc.syscon", "REGION_END with no open region: refused");
  EXPECT_EQ(testing::internal::GetCapturedStderr(),
            "edgevp: Warning: soc.syscon: EXIT: value 0x00007777 is not a finisher code: refused\n"
            "edgevp: Warning: soc.syscon: REGION_END with no open region: refused\n");
  EXPECT_EQ(kernel_message_repeats(), "1 more of 'Warning: soc.syscon: REGION_END with no open region: refused' not shown");
}

// Texts that differ every time (a value in them) stop after 16 per module: the rest are counted.
TEST(kernel_messages, a_module_shows_at_most_16_different_texts) {
  install_kernel_messages();
  testing::internal::CaptureStderr();
  for (int i = 0; i < 40; ++i) SC_REPORT_WARNING("soc.uart", ("value " + std::to_string(i)).c_str());
  const std::string err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 16);
  EXPECT_EQ(kernel_message_repeats(), "24 more of 'further messages of soc.uart' not shown");
}

// The kernel's own messages (an id such as W713) are one kind whatever their text.
TEST(kernel_messages, a_kernel_message_is_one_kind_whatever_its_text) {
  install_kernel_messages();
  testing::internal::CaptureStderr();
  for (int t = 0; t < 3; ++t)
    SC_REPORT_WARNING(sc_core::SC_ID_SET_TIME_RESOLUTION_, ("at " + std::to_string(t) + " ps").c_str());
  const std::string err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
  EXPECT_EQ(err.rfind("edgevp: SystemC Warning: (W", 0), 0u) << err;
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

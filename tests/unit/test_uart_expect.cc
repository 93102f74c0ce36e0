// A scenario's expected UART lines, checked as the UART transmits (platform/uart_expect.h).
#include "platform/uart_expect.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using edgevp::platform::uart_expectations;

std::vector<bool> run(const std::vector<std::string>& want, const std::string& output) {
  uart_expectations e(want);
  for (char c : output) e.put(c);
  return e.found();
}

TEST(uart_expect, whole_lines_in_order) {
  EXPECT_EQ(run({"a", "b"}, "x\na\ny\nb\n"), (std::vector<bool>{true, true}));
  EXPECT_EQ(run({"b", "a"}, "a\nb\n"), (std::vector<bool>{true, false}));  // a came before b
  EXPECT_EQ(run({"a"}, "ab\n"), (std::vector<bool>{false}));                // not a whole line
  EXPECT_EQ(run({"a"}, " a\n"), (std::vector<bool>{false}));
}

TEST(uart_expect, a_carriage_return_before_the_newline_is_ignored) {
  EXPECT_EQ(run({"ok"}, "ok\r\n"), (std::vector<bool>{true}));
}

TEST(uart_expect, a_last_line_without_its_newline_counts) {
  EXPECT_EQ(run({"a", "end"}, "a\nend"), (std::vector<bool>{true, true}));
}

// A missing line leaves the search where it was: the next expectation is looked for after the
// last one found.
TEST(uart_expect, a_missing_line_does_not_move_the_search) {
  EXPECT_EQ(run({"a", "missing", "b"}, "a\nb\n"), (std::vector<bool>{true, false, true}));
  EXPECT_EQ(run({"b", "a", "c"}, "a\nb\nc\n"), (std::vector<bool>{true, false, true}));
}

TEST(uart_expect, a_repeated_expectation_needs_as_many_lines) {
  EXPECT_EQ(run({"x", "x"}, "x\n"), (std::vector<bool>{true, false}));
  EXPECT_EQ(run({"x", "x"}, "x\ny\nx\n"), (std::vector<bool>{true, true}));
  EXPECT_EQ(run({"x", "y", "x"}, std::string(1000, 'q') + "\nx\nx\nx\ny\nx\n"), (std::vector<bool>{true, true, true}));
}

TEST(uart_expect, an_empty_expected_line_matches_an_empty_line) {
  EXPECT_EQ(run({"a", ""}, "a\nb\n"), (std::vector<bool>{true, false}));
  EXPECT_EQ(run({"a", ""}, "a\n\nb\n"), (std::vector<bool>{true, true}));
}

// Only what the search needs is kept: long lines are dropped as they arrive, runs of the same
// matching line are kept as many times as the search can use. A million lines later, the order
// still decides.
TEST(uart_expect, long_lines_and_long_runs_are_followed) {
  uart_expectations e({"start", "x", "end"});
  for (char c : std::string("start\n")) e.put(c);
  const std::string noise(100000, 'n');
  for (int i = 0; i < 1000; ++i)
    for (char c : noise + "\n") e.put(c);
  for (int i = 0; i < 1000000; ++i)
    for (char c : std::string("x\n")) e.put(c);
  for (char c : std::string("end\n")) e.put(c);
  EXPECT_EQ(e.found(), (std::vector<bool>{true, true, true}));
  EXPECT_FALSE(e.overflowed());
}

TEST(uart_expect, no_expectations_keep_nothing) {
  uart_expectations e({});
  for (char c : std::string("anything\n")) e.put(c);
  EXPECT_TRUE(e.found().empty());
}

}  // namespace

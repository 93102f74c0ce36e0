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

// A run of one matching line is kept as many times as there are expectations (the most the
// search can use); past the limit, nothing more is looked at and the checker says so.
TEST(uart_expect, runs_are_capped_and_the_limit_is_reported) {
  uart_expectations e({"x", "x", "y"});
  for (int i = 0; i < 1000; ++i)
    for (char c : std::string("x\n")) e.put(c);
  EXPECT_EQ(e.kept(), 3u);
  for (char c : std::string("y\n")) e.put(c);
  EXPECT_EQ(e.found(), (std::vector<bool>{true, true, true}));
  uart_expectations small({"a", "b"}, 4);
  for (int i = 0; i < 3; ++i)
    for (char c : std::string("a\nb\n")) small.put(c);
  EXPECT_TRUE(small.overflowed());
  EXPECT_EQ(small.kept(), 4u);
  EXPECT_EQ(small.found(), (std::vector<bool>{true, true}));
}

// The checker against the whole-output search it replaced (check_scenario before), on random
// outputs and expectations over a small alphabet of lines (duplicates, empty lines, a last line
// without its newline, carriage returns).
std::vector<bool> whole_output_search(const std::vector<std::string>& want, const std::string& out) {
  std::vector<bool> result;
  std::size_t from = 0;
  for (const std::string& line : want) {
    std::size_t pos = from;
    bool found = false;
    while (pos < out.size()) {
      const std::size_t eol = out.find('\n', pos);
      std::string got = out.substr(pos, eol == std::string::npos ? std::string::npos : eol - pos);
      if (!got.empty() && got.back() == '\r') got.pop_back();
      pos = eol == std::string::npos ? out.size() : eol + 1;
      if (got == line) {
        found = true;
        break;
      }
    }
    result.push_back(found);
    if (found) from = pos;
  }
  return result;
}

TEST(uart_expect, equals_the_whole_output_search_on_random_outputs) {
  const std::vector<std::string> alphabet = {"", "a", "b", "ab", "c", "a\r"};
  std::uint64_t seed = 12345;
  auto next = [&seed](std::uint64_t n) {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    return (seed >> 33) % n;
  };
  for (int trial = 0; trial < 20000; ++trial) {
    std::vector<std::string> want;
    for (std::uint64_t i = next(5); i > 0; --i) {
      std::string w = alphabet[next(alphabet.size())];
      if (!w.empty() && w.back() == '\r') w.pop_back();  // expectations hold no carriage return
      want.push_back(w);
    }
    std::string out;
    for (std::uint64_t i = next(8); i > 0; --i) out += alphabet[next(alphabet.size())] + "\n";
    if (next(2) == 0) out += alphabet[next(alphabet.size())];  // a last line without its newline
    ASSERT_EQ(run(want, out), whole_output_search(want, out)) << "trial " << trial;
  }
}

TEST(uart_expect, no_expectations_keep_nothing) {
  uart_expectations e({});
  for (char c : std::string("anything\n")) e.put(c);
  EXPECT_TRUE(e.found().empty());
}

}  // namespace

// edgevp: a scenario's expected UART lines (`expect.uart`), checked as the UART transmits.
//
// Each expected line must appear as a whole line (a trailing '\r' ignored), after the one matched
// for the expectation before it; a line that is missing leaves the search where it was for the
// next one. Only what that needs is kept, not the output: for each complete line that equals an
// expected one, that line's index (a run of one index kept at most as many times as there are
// expectations, the most the search can use), and the line being received, up to the longest
// expected line (a longer one cannot match and is dropped as it arrives). Past `max_matches`
// recorded lines (a test may give fewer) the rest are not looked at, and overflowed() says so.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace edgevp::platform {

class uart_expectations {
 public:
  static constexpr std::size_t max_matches = std::size_t{1} << 24;

  explicit uart_expectations(std::vector<std::string> lines, std::size_t limit = max_matches);

  void put(char c);
  // Whether each expected line was found, in the order given (a partial last line counts as a line).
  [[nodiscard]] std::vector<bool> found() const;
  [[nodiscard]] bool overflowed() const { return m_overflowed; }
  [[nodiscard]] std::size_t kept() const { return m_matches.size(); }  // matching lines kept

 private:
  void end_line();

  std::vector<std::string> m_lines;
  std::size_t m_limit;
  std::size_t m_longest = 0;
  std::string m_current;
  bool m_too_long = false;
  std::vector<std::uint32_t> m_matches;  // indices into m_lines of complete lines that equal one
  std::size_t m_run = 0;                 // length of the run of equal indices at the end of m_matches
  bool m_overflowed = false;
};

}  // namespace edgevp::platform

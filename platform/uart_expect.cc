#include "platform/uart_expect.h"

#include <algorithm>

namespace edgevp::platform {

uart_expectations::uart_expectations(std::vector<std::string> lines, std::size_t limit)
    : m_lines(std::move(lines)), m_limit(limit) {
  for (const std::string& l : m_lines) m_longest = std::max(m_longest, l.size());
}

void uart_expectations::put(char c) {
  if (m_lines.empty()) return;
  if (c == '\n') {
    end_line();
    return;
  }
  if (m_too_long) return;
  m_current.push_back(c);
  if (m_current.size() > m_longest + 1) {  // + 1: a '\r' before the newline
    m_too_long = true;
    m_current.clear();
  }
}

void uart_expectations::end_line() {
  std::string line = std::move(m_current);
  m_current.clear();
  const bool too_long = m_too_long;
  m_too_long = false;
  if (too_long || m_overflowed) return;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  const auto it = std::find(m_lines.begin(), m_lines.end(), line);
  if (it == m_lines.end()) return;
  // Equal lines are equal to the first expectation of that text: indices of equal texts compare
  // as the same line below.
  const auto index = static_cast<std::uint32_t>(it - m_lines.begin());
  m_run = !m_matches.empty() && m_matches.back() == index ? m_run + 1 : 1;
  if (m_run > m_lines.size()) return;  // the search cannot use more of one run
  if (m_matches.size() >= m_limit) {
    m_overflowed = true;
    return;
  }
  m_matches.push_back(index);
}

std::vector<bool> uart_expectations::found() const {
  std::vector<std::uint32_t> matches = m_matches;
  if (!m_current.empty() && !m_too_long && !m_overflowed) {  // a last line without its newline
    std::string line = m_current;
    if (line.back() == '\r') line.pop_back();
    if (const auto it = std::find(m_lines.begin(), m_lines.end(), line); it != m_lines.end())
      matches.push_back(static_cast<std::uint32_t>(it - m_lines.begin()));
  }
  std::vector<bool> result(m_lines.size(), false);
  std::size_t from = 0;
  for (std::size_t j = 0; j < m_lines.size(); ++j) {
    const auto want = static_cast<std::uint32_t>(std::find(m_lines.begin(), m_lines.end(), m_lines[j]) - m_lines.begin());
    for (std::size_t pos = from; pos < matches.size(); ++pos) {
      if (matches[pos] == want) {
        result[j] = true;
        from = pos + 1;
        break;
      }
    }
  }
  return result;
}

}  // namespace edgevp::platform

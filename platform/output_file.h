// edgevp: output files whose every write is checked. A full disk or a failing device must not let
// a run end as a success (exit 74, naming the option and the file), and the first failure's reason
// is kept: a stream that has failed once writes nothing more, so errno at the end would be stale.
#pragma once

#include <cstdio>
#include <fstream>
#include <ostream>
#include <string>

namespace edgevp::platform {

// "cannot write OPTION 'PATH': REASON" (errno's text; "a write failed" when it is 0 or less; no
// path when PATH is empty).
std::string output_failure(const std::string& option, const std::string& path, int err);

// "" or why a file could not be created or replaced at PATH (a directory, a missing or unwritable
// directory, a file without write permission), checked without creating anything: an output that
// is written only at the end of a run (the report, the power plot) is checked at its start.
std::string unusable_output(const std::string& path);

// A file buffer that remembers errno at its first failed write.
class checked_filebuf : public std::filebuf {
 public:
  int error() const { return m_error; }
  void note(int err) {
    if (m_error == 0) m_error = err != 0 ? err : -1;
  }

 protected:
  int_type overflow(int_type c) override;
  std::streamsize xsputn(const char* s, std::streamsize n) override;
  int sync() override;

 private:
  int m_error = 0;  // -1: failed with no errno
};

// An output file: open() then write through stream(); close() flushes, closes and returns "" or
// the failure message (output_failure).
class output_file {
 public:
  output_file() : m_stream(&m_buf) {}
  output_file(const output_file&) = delete;
  output_file& operator=(const output_file&) = delete;
  // Opens (truncates) PATH, written as OPTION; false when it cannot be opened (errno says why).
  bool open(const std::string& option, const std::string& path, char* buffer = nullptr, std::size_t size = 0);
  bool is_open() const { return m_buf.is_open(); }
  std::ostream& stream() { return m_stream; }
  std::string close();

 private:
  checked_filebuf m_buf;
  std::ostream m_stream;
  std::string m_option, m_path;
};

// Flushes a stdio stream (and closes it unless it is stdout or stderr); "" or the failure message.
// ERR: errno at an earlier failed write the caller saw (0 if none).
std::string close_output(std::FILE* f, const std::string& option, const std::string& path, int err);

}  // namespace edgevp::platform

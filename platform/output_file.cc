#include "platform/output_file.h"

#include <cerrno>
#include <cstring>

#include <sys/stat.h>
#include <unistd.h>

#include "models/core/files.h"

namespace edgevp::platform {

std::string output_failure(const std::string& option, const std::string& path, int err) {
  return "cannot write " + option + (path.empty() ? std::string() : " '" + path + "'") + ": " +
         (err > 0 ? std::strerror(err) : "a write failed");
}

std::string unusable_output(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return "it is a directory";
    if (::access(path.c_str(), W_OK) != 0) return std::strerror(errno);
    return "";
  }
  if (errno != ENOENT && errno != ENOTDIR) return std::strerror(errno);
  return core::uncreatable_in_directory(path);  // names the directory (ENOTDIR: one that is a file)
}

checked_filebuf::int_type checked_filebuf::overflow(int_type c) {
  errno = 0;
  const int_type r = std::filebuf::overflow(c);
  if (traits_type::eq_int_type(r, traits_type::eof())) note(errno);  // (success with eof returns not_eof)
  return r;
}

std::streamsize checked_filebuf::xsputn(const char* s, std::streamsize n) {
  errno = 0;
  const std::streamsize r = std::filebuf::xsputn(s, n);
  if (r < n) note(errno);
  return r;
}

int checked_filebuf::sync() {
  errno = 0;
  const int r = std::filebuf::sync();
  if (r != 0) note(errno);
  return r;
}

bool output_file::open(const std::string& option, const std::string& path, char* buffer, std::size_t size) {
  m_option = option;
  m_path = path;
  if (buffer != nullptr) m_buf.pubsetbuf(buffer, static_cast<std::streamsize>(size));
  return m_buf.open(path, std::ios::out | std::ios::trunc) != nullptr;
}

std::string output_file::close() {
  if (!m_buf.is_open()) return {};
  m_stream.flush();
  errno = 0;
  if (m_buf.close() == nullptr) m_buf.note(errno);
  if (m_buf.error() == 0 && m_stream.fail()) m_buf.note(0);
  return m_buf.error() == 0 ? std::string() : output_failure(m_option, m_path, m_buf.error());
}

std::string close_output(std::FILE* f, const std::string& option, const std::string& path, int err) {
  errno = 0;
  if (std::fflush(f) != 0 && err == 0) err = errno != 0 ? errno : -1;
  if (std::ferror(f) != 0 && err == 0) err = -1;
  if (f != stdout && f != stderr) {
    errno = 0;
    if (std::fclose(f) != 0 && err == 0) err = errno != 0 ? errno : -1;
  }
  return err == 0 ? std::string() : output_failure(option, path, err);
}

}  // namespace edgevp::platform

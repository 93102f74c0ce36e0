#include "models/accelerators/json_reader.h"

#include <cctype>
#include <fstream>
#include <sstream>

#include "models/core/errors.h"

namespace edgevp::accel {

void json_fail(const std::string& origin, const std::string& path, const std::string& what) {
  throw core::config_error(origin + ": " + (path.empty() ? "/" : path) + ": " + what);
}

json parse_json(const std::string& text, const std::string& origin) {
  try {
    return json::parse(text);
  } catch (const json::exception& e) {  // syntax, or a number out of range (1e400)
    std::string what = e.what();  // "[json.exception.parse_error.101] parse error at line ..."
    const std::size_t at = what.find("] ");
    if (what.rfind("[json.exception.", 0) == 0 && at != std::string::npos) what = what.substr(at + 2);
    throw core::config_error(origin + ": " + what);
  }
}

std::string read_description(const std::string& file, const std::string& what) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw core::config_error(file + ": cannot read the " + what);
  std::ostringstream s;
  s << in.rdbuf();
  if (in.bad()) throw core::config_error(file + ": cannot read the " + what);
  return s.str();
}

json_object::json_object(const json& j, std::string origin, std::string path)
    : m_j(j), m_origin(std::move(origin)), m_path(std::move(path)) {
  if (!j.is_object()) json_fail(m_origin, m_path, "expected an object");
}

const json& json_object::at(const std::string& key) {
  m_seen.insert(key);
  if (!m_j.contains(key)) fail(key, "missing");
  return m_j.at(key);
}

std::uint64_t json_object::number(const std::string& key, std::uint64_t lo, std::uint64_t hi) {
  const json& v = at(key);
  if (!v.is_number_unsigned()) fail(key, "expected a non-negative integer");  // nlohmann keeps those unsigned
  const auto n = v.get<std::uint64_t>();
  if (n < lo || n > hi)
    fail(key, std::to_string(n) + " is outside " + std::to_string(lo) + ".." + std::to_string(hi));
  return n;
}

std::uint64_t json_object::number(const std::string& key, std::uint64_t lo, std::uint64_t hi,
                                  std::uint64_t fallback) {
  return has(key) ? number(key, lo, hi) : fallback;
}

std::string json_object::text(const std::string& key) {
  const json& v = at(key);
  if (!v.is_string() || v.get<std::string>().empty()) fail(key, "expected a non-empty string");
  return v.get<std::string>();
}

std::string json_object::name(const std::string& key) {
  const std::string n = text(key);
  bool ok = std::isalpha(static_cast<unsigned char>(n[0])) != 0 || n[0] == '_';
  for (const char c : n) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_');
  if (!ok) fail(key, "'" + n + "' is not a name (letters, digits, _)");
  return n;
}

bool json_object::flag(const std::string& key) {
  if (!has(key)) return false;
  const json& v = at(key);
  if (!v.is_boolean()) fail(key, "expected true or false");
  return v.get<bool>();
}

const json& json_object::array(const std::string& key, std::size_t lo, std::size_t hi) {
  const json& v = at(key);
  if (!v.is_array()) fail(key, "expected an array");
  if (v.size() < lo || v.size() > hi)
    fail(key, std::to_string(v.size()) + " entries, expected " + std::to_string(lo) + ".." + std::to_string(hi));
  return v;
}

void json_object::finish() const {
  for (const auto& [k, v] : m_j.items()) {
    if (k != "comment" && m_seen.count(k) == 0) fail(k, "unknown key");
  }
}

}  // namespace edgevp::accel

// edgevp: reading a JSON description (a TTA machine, a CGRA fabric) with errors that name where.
//
// json_object reads an object key by key: every key must be read (or be "comment"), so a misspelt
// key is an error; every error is a core::config_error "ORIGIN: /json/path: problem". parse_json()
// turns a syntax error into "ORIGIN: parse error at line L, column C: ...".
#pragma once

#include <cstdint>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

namespace edgevp::accel {

using json = nlohmann::json;

[[noreturn]] void json_fail(const std::string& origin, const std::string& path, const std::string& what);
json parse_json(const std::string& text, const std::string& origin);
// Reads FILE whole; a config_error naming it and `what` ("machine description") when it cannot.
std::string read_description(const std::string& file, const std::string& what);

class json_object {
 public:
  json_object(const json& j, std::string origin, std::string path);
  ~json_object() = default;
  json_object(const json_object&) = delete;
  json_object& operator=(const json_object&) = delete;

  [[nodiscard]] std::string path(const std::string& key) const { return m_path + "/" + key; }
  [[nodiscard]] const std::string& origin() const { return m_origin; }
  [[nodiscard]] bool has(const std::string& key) const { return m_j.contains(key); }
  const json& at(const std::string& key);
  // A non-negative integer in lo..hi; with a fallback, the key may be absent.
  std::uint64_t number(const std::string& key, std::uint64_t lo, std::uint64_t hi);
  std::uint64_t number(const std::string& key, std::uint64_t lo, std::uint64_t hi, std::uint64_t fallback);
  std::string text(const std::string& key);  // a non-empty string
  // A name: letters, digits and _, not starting with a digit.
  std::string name(const std::string& key = "name");
  bool flag(const std::string& key);  // absent: false
  const json& array(const std::string& key, std::size_t lo, std::size_t hi);
  // Call when done: a key nobody read is an error (comments excepted).
  void finish() const;
  [[noreturn]] void fail(const std::string& key, const std::string& what) const {
    json_fail(m_origin, key.empty() ? m_path : path(key), what);
  }

 private:
  const json& m_j;
  std::string m_origin;
  std::string m_path;
  std::set<std::string> m_seen;
};

}  // namespace edgevp::accel

// edgevp: declarative registers, after VCML's reg<>.
//
// A model declares each register once, as a member: name, offset, reset value, access rights and
// optional read/write callbacks. The owning peripheral (peripheral.h) decodes TLM payloads into
// register accesses; models never write address switches.
//
//   core::reg<uint32_t> ctrl{this, "CTRL", 0x04, 0, core::access::rw};
//   ctrl.on_write([this](uint32_t v) { ctrl.set(v & 0x7); start_if_requested(); });
//
// A write callback receives the value written and decides what is stored (call set()); without a
// callback the value is stored as is. A read callback returns the value the initiator sees; without
// one the stored value is returned.
#pragma once

#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <type_traits>
#include <utility>

namespace edgevp::core {

enum class access : std::uint8_t { ro, wo, rw };

class peripheral;

// Type-erased view of a register, as the peripheral base sees it.
class reg_base {
 public:
  reg_base(peripheral* owner, std::string name, std::uint64_t offset, unsigned width, access acc);
  virtual ~reg_base() = default;
  reg_base(const reg_base&) = delete;
  reg_base& operator=(const reg_base&) = delete;

  [[nodiscard]] const std::string& name() const { return m_name; }
  [[nodiscard]] std::uint64_t offset() const { return m_offset; }
  [[nodiscard]] unsigned width() const { return m_width; }
  [[nodiscard]] access rights() const { return m_access; }
  [[nodiscard]] bool readable() const { return m_access != access::wo; }
  [[nodiscard]] bool writable() const { return m_access != access::ro; }

  // Bus-side access (callbacks run). Data is little-endian, width() bytes.
  virtual void bus_read(unsigned char* data) = 0;
  virtual void bus_write(const unsigned char* data) = 0;
  // Debug access: no callbacks, no side effects; reads the stored value, writes store directly.
  virtual void debug_read(unsigned char* data) const = 0;
  virtual void debug_write(const unsigned char* data) = 0;
  virtual void reset() = 0;

 private:
  std::string m_name;
  std::uint64_t m_offset;
  unsigned m_width;
  access m_access;
};

template <typename T>
class reg final : public reg_base {
  static_assert(std::is_unsigned_v<T>, "registers hold unsigned integers");

 public:
  using read_cb = std::function<T()>;
  using write_cb = std::function<void(T)>;

  reg(peripheral* owner, std::string name, std::uint64_t offset, T reset_value = 0,
      access acc = access::rw)
      : reg_base(owner, std::move(name), offset, sizeof(T), acc), m_value(reset_value), m_reset(reset_value) {}

  void on_read(read_cb cb) { m_read = std::move(cb); }
  void on_write(write_cb cb) { m_write = std::move(cb); }

  [[nodiscard]] T get() const { return m_value; }
  void set(T v) { m_value = v; }
  operator T() const { return m_value; }  // NOLINT(google-explicit-constructor): reads like a field
  reg& operator=(T v) {
    m_value = v;
    return *this;
  }
  [[nodiscard]] T reset_value() const { return m_reset; }

  void bus_read(unsigned char* data) override {
    T v = m_read ? m_read() : m_value;
    std::memcpy(data, &v, sizeof(T));
  }
  void bus_write(const unsigned char* data) override {
    T v;
    std::memcpy(&v, data, sizeof(T));
    if (m_write)
      m_write(v);
    else
      m_value = v;
  }
  void debug_read(unsigned char* data) const override { std::memcpy(data, &m_value, sizeof(T)); }
  void debug_write(const unsigned char* data) override { std::memcpy(&m_value, data, sizeof(T)); }
  void reset() override { m_value = m_reset; }

 private:
  T m_value;
  T m_reset;
  read_cb m_read;
  write_cb m_write;
};

}  // namespace edgevp::core

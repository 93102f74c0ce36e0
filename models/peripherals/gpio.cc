#include "models/peripherals/gpio.h"
#include "models/core/files.h"

#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>

#include "models/core/errors.h"

namespace edgevp::peripherals {

namespace {

constexpr std::uint64_t u64_max = std::numeric_limits<std::uint64_t>::max();

std::string describe(const sc_core::sc_time& t) {
  return t.to_string();
}

// "10ms", "1.5us", "0s" -> picoseconds, exactly; false when malformed, finer than 1 ps or too large.
bool parse_time_ps(const std::string& tok, std::uint64_t& ps, std::string& why) {
  std::size_t i = 0;
  std::uint64_t whole = 0;
  std::uint64_t frac = 0;
  std::uint64_t frac_scale = 1;
  bool digits = false;
  for (; i < tok.size() && std::isdigit(static_cast<unsigned char>(tok[i])) != 0; ++i) {
    const std::uint64_t d = static_cast<std::uint64_t>(tok[i] - '0');
    if (whole > (u64_max - d) / 10) {
      why = "time '" + tok + "' is too large";
      return false;
    }
    whole = whole * 10 + d;
    digits = true;
  }
  if (i < tok.size() && tok[i] == '.') {
    for (++i; i < tok.size() && std::isdigit(static_cast<unsigned char>(tok[i])) != 0; ++i) {
      if (frac_scale >= 1000000000000ull) {  // more than 12 decimals is finer than 1 ps in seconds
        why = "time '" + tok + "' is finer than 1 ps";
        return false;
      }
      frac = frac * 10 + static_cast<std::uint64_t>(tok[i] - '0');
      frac_scale *= 10;
      digits = true;
    }
  }
  const std::string unit = tok.substr(i);
  static const struct {
    const char* name;
    std::uint64_t ps;
  } units[] = {{"ps", 1}, {"ns", 1000}, {"us", 1000000}, {"ms", 1000000000}, {"s", 1000000000000}};
  std::uint64_t scale = 0;
  for (const auto& u : units)
    if (unit == u.name) scale = u.ps;
  if (!digits || scale == 0) {
    why = "malformed time '" + tok + "' (a number and a unit: ps, ns, us, ms or s, e.g. 10ms)";
    return false;
  }
  if (whole > u64_max / scale) {
    why = "time '" + tok + "' is too large";
    return false;
  }
  // frac / frac_scale of a unit, in ps: must be whole. (At most 10^12 * 10^12: 128 bits.)
  __extension__ typedef unsigned __int128 u128;  // NOLINT(modernize-use-using)
  const u128 frac_units = u128{frac} * scale;
  if (frac_units % frac_scale != 0) {
    why = "time '" + tok + "' is finer than 1 ps";
    return false;
  }
  const auto frac_ps = static_cast<std::uint64_t>(frac_units / frac_scale);
  if (whole * scale > u64_max - frac_ps) {
    why = "time '" + tok + "' is too large";
    return false;
  }
  ps = whole * scale + frac_ps;
  return true;
}

sc_core::sc_time from_ps(std::uint64_t ps) {
  if (sc_core::sc_get_time_resolution() == sc_core::sc_time(1, sc_core::SC_PS))
    return sc_core::sc_time::from_value(ps);
  return sc_core::sc_time(static_cast<double>(ps), sc_core::SC_PS);
}

bool parse_uint(const std::string& tok, unsigned limit, unsigned& out) {
  if (tok.empty() || tok.size() > 3) return false;
  unsigned v = 0;
  for (const char c : tok) {
    if (std::isdigit(static_cast<unsigned char>(c)) == 0) return false;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  if (v >= limit) return false;
  out = v;
  return true;
}

}  // namespace

std::vector<gpio_event> parse_gpio_stimulus(const std::string& path) {
  if (const std::string why = core::unreadable_file(path); !why.empty())
    throw core::config_error("cannot read GPIO stimulus '" + path + "': it " + why);
  std::ifstream in(path);
  if (!in) throw core::config_error("cannot read GPIO stimulus '" + path + "': " + std::strerror(errno));
  std::vector<gpio_event> events;
  std::string line;
  unsigned lineno = 0;
  std::uint64_t last_ps = 0;
  while (std::getline(in, line)) {
    ++lineno;
    const auto fail = [&](const std::string& what) {
      throw core::config_error(path + ":" + std::to_string(lineno) + ": " + what);
    };
    const std::size_t hash = line.find('#');
    if (hash != std::string::npos) line.erase(hash);
    std::istringstream fields(line);
    std::vector<std::string> tok;
    for (std::string t; fields >> t;) tok.push_back(t);
    if (tok.empty()) continue;
    if (tok.size() != 3) fail("expected '<time> <pin> <level>' (e.g. '10ms 3 1'), got '" + line + "'");
    std::uint64_t ps = 0;
    std::string why;
    if (!parse_time_ps(tok[0], ps, why)) fail(why);
    unsigned pin = 0;
    if (!parse_uint(tok[1], gpio::num_pins, pin)) fail("pin '" + tok[1] + "' is not 0..31");
    if (tok[2] != "0" && tok[2] != "1") fail("level '" + tok[2] + "' is not 0 or 1");
    if (!events.empty() && ps < last_ps)
      fail("time " + tok[0] + " is earlier than the previous event's (times must not decrease)");
    last_ps = ps;
    events.push_back(gpio_event{from_ps(ps), pin, tok[2] == "1"});
  }
  if (in.bad()) throw core::config_error("cannot read GPIO stimulus '" + path + "': " + std::strerror(errno));
  return events;
}

gpio::gpio(const sc_core::sc_module_name& name, const gpio_config& cfg)
    : peripheral(name, cfg.latency), m_stimulus(cfg.stimulus), m_external(cfg.initial_inputs) {
  for (std::size_t i = 0; i < m_stimulus.size(); ++i) {
    const gpio_event& e = m_stimulus[i];
    if (e.pin >= num_pins)
      throw core::config_error(std::string(this->name()) + ": stimulus event " + std::to_string(i) +
                               " drives pin " + std::to_string(e.pin) + " (pins are 0..31)");
    if (i > 0 && e.time < m_stimulus[i - 1].time)
      throw core::config_error(std::string(this->name()) + ": stimulus event " + std::to_string(i) + " at " +
                               describe(e.time) + " is earlier than the one before it (" +
                               describe(m_stimulus[i - 1].time) + ")");
  }
  SC_HAS_PROCESS(gpio);
  SC_METHOD(play_stimulus);  // runs at time 0 (initialisation), then at each event's time

  irq_status.on_write([this](std::uint32_t v) { irq_status.set(irq_status.get() & ~v); });
  m_last = levels();
  input.set(m_last);
  pins.write(m_last);
}

std::uint32_t gpio::levels() const {
  const std::uint32_t oe = output_en.get();
  return (output.get() & oe) | (m_external & ~oe);
}

std::uint32_t gpio::driven_outputs() const {
  return output.get() & output_en.get();
}

void gpio::set_input(unsigned pin, bool level) {
  if (pin >= num_pins)
    throw std::out_of_range(std::string(name()) + ": set_input: no pin " + std::to_string(pin));
  const std::uint32_t bit = 1u << pin;
  m_external = level ? (m_external | bit) : (m_external & ~bit);
  update();
}

void gpio::update() {
  const std::uint32_t now = levels();
  const std::uint32_t changed = now ^ m_last;
  if (changed != 0) {
    const std::uint32_t rise = changed & now;
    const std::uint32_t fall = changed & ~now;
    irq_status.set(irq_status.get() | (rise & irq_rise_en.get()) | (fall & irq_fall_en.get()));
    m_last = now;
    pins.write(now);
  }
  input.set(now);
  const std::uint32_t driven = driven_outputs();
  if (driven != m_driven) {
    m_driven = driven;
    outputs.write(driven);
    if (on_output) on_output(driven);
  }
  const std::uint32_t armed = irq_status.get() & (irq_rise_en.get() | irq_fall_en.get());
  irq.set(armed != 0);
  wake.set((armed & wake_en.get()) != 0);
}

void gpio::play_stimulus() {
  const sc_core::sc_time now = sc_core::sc_time_stamp();
  // One event at a time: two events on a pin at the same time are two edges.
  for (; m_next < m_stimulus.size() && m_stimulus[m_next].time <= now; ++m_next)
    set_input(m_stimulus[m_next].pin, m_stimulus[m_next].level);
  if (m_next < m_stimulus.size()) next_trigger(m_stimulus[m_next].time - now);
  // else: no static sensitivity, never runs again
}

void gpio::reset_state() {
  // Registers are at their reset values; the outside world keeps driving its levels.
  m_last = levels();
  pins.write(m_last);
  update();
}

void gpio::after_access(const tlm::tlm_generic_payload& /*tx*/, bool /*debug*/) {
  update();
}

}  // namespace edgevp::peripherals

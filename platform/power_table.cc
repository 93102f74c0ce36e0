#include "platform/power_table.h"

#include <fstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "models/core/power.h"
#include "platform/soc.h"

namespace edgevp::platform {

namespace {

nlohmann::ordered_json source_json(const core::power::source& s) {
  nlohmann::ordered_json j;
  j["name"] = s.name;
  j["kind"] = core::power::kind_name(s.kind);
  j["unit"] = s.kind == core::power::kind::event ? "J" : "W";
  if (s.value.is_table()) {
    j["value"] = nullptr;
    auto pts = nlohmann::ordered_json::array();
    for (const auto& [v, x] : s.value.points()) pts.push_back({v, x});
    j["table"] = pts;
  } else {
    j["value"] = s.value.value();
    j["table"] = nullptr;
  }
  return j;
}

}  // namespace

void write_power_table(const parsed_options& opts, const std::string& path) {
  soc top("soc", opts.soc, [](unsigned char) {});
  nlohmann::ordered_json j;
  const auto& ref = top.power.reference();
  j["reference"] = {{"voltage_v", ref.voltage}, {"frequency_hz", ref.frequency_hz}};
  auto comps = nlohmann::ordered_json::array();
  for (const core::power::component* c : top.power.components()) {
    auto srcs = nlohmann::ordered_json::array();
    for (const auto& s : c->sources()) srcs.push_back(source_json(s));
    comps.push_back({{"name", c->name()},
                     {"domain", c->domain() != nullptr ? c->domain()->name() : ""},
                     {"sources", srcs}});
  }
  j["components"] = comps;
  std::ofstream out(path, std::ios::trunc);
  if (!out) throw std::runtime_error("cannot write power table '" + path + "'");
  out << j.dump(2) << '\n';
  out.close();
  if (!out) throw std::runtime_error("cannot write power table '" + path + "': write failed");
}

}  // namespace edgevp::platform

#include "models/interconnect/router.h"

#include <algorithm>
#include <cstdio>

#include "models/core/dmi_counters.h"
#include "models/core/errors.h"

namespace edgevp::interconnect {

namespace {

std::string hex_range(std::uint64_t base, std::uint64_t size) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "[0x%08llx, 0x%08llx)", static_cast<unsigned long long>(base),
                static_cast<unsigned long long>(base + size));
  return buf;
}

}  // namespace

router::router(const sc_core::sc_module_name& name, const router_config& cfg)
    : sc_core::sc_module(name), in("in"), out("out"), m_cfg(cfg), m_power(this->name()) {
  m_power.add_event("transfer", cfg.power.transfer, {&m_transfers});
  m_power.set_leakage(cfg.power.leakage);
  in.register_b_transport(this, &router::b_transport);
  in.register_get_direct_mem_ptr(this, &router::get_direct_mem_ptr);
  in.register_transport_dbg(this, &router::transport_dbg);
  out.register_invalidate_direct_mem_ptr(this, &router::invalidate_direct_mem_ptr);
}

void router::add_range(const std::string& name, std::uint64_t base, std::uint64_t size,
                       sc_core::sc_time latency) {
  if (size == 0) throw core::config_error("memory map: " + name + " has size 0");
  if (base + size > 0x100000000ull || base + size < base)
    throw core::config_error("memory map: " + name + " " + hex_range(base, size) +
                             " does not fit the 32-bit address space");
  for (const range& r : m_ranges) {
    if (base < r.base + r.size && r.base < base + size)
      throw core::config_error("memory map: " + name + " " + hex_range(base, size) + " overlaps " + r.name +
                               " " + hex_range(r.base, r.size));
  }
  m_ranges.push_back(range{name, base, size, latency, static_cast<unsigned>(m_ranges.size()), {}, {}});
}

const router::range* router::find(std::uint64_t addr) const {
  for (const range& r : m_ranges)
    if (addr - r.base < r.size) return &r;
  return nullptr;
}

router::range* router::decode(std::uint64_t addr) {
  return const_cast<range*>(find(addr));
}

void router::b_transport(int id, tlm::tlm_generic_payload& tx, sc_core::sc_time& delay) {
  const std::uint64_t addr = tx.get_address();
  delay += m_clock != nullptr ? m_clock->scale(m_cfg.hop_latency) : m_cfg.hop_latency;
  ++m_transfers;
  range* r = decode(addr);
  // An access must lie wholly inside one range: one that runs past the end is not the target's.
  if (r == nullptr || tx.get_data_length() > r->size - (addr - r->base)) {
    tx.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
    return;
  }
  // Contention: the target serves one transaction at a time. What the router knows of the
  // transaction's duration (the range's latency, the data beats past the first) must fit in a gap
  // of the calendar; the target's own latency is learnt on the way back.
  const sc_core::sc_time now = sc_core::sc_time_stamp();
  const sc_core::sc_time arrival = now + delay;
  const unsigned beats = (tx.get_data_length() + m_cfg.width_bytes - 1) / m_cfg.width_bytes;
  const sc_core::sc_time data_phase =
      beats > 1 ? (m_clock != nullptr ? m_clock->period() : m_cfg.cycle) * static_cast<double>(beats - 1)
                : sc_core::SC_ZERO_TIME;
  const sc_core::sc_time known = r->latency + data_phase;
  auto& busy = r->busy;
  // Intervals are disjoint and sorted, so their ends are sorted too: binary searches.
  const auto by_end = [](const auto& iv, const sc_core::sc_time& t) { return iv.second <= t; };
  busy.erase(busy.begin(), std::lower_bound(busy.begin(), busy.end(), now, by_end));
  sc_core::sc_time start = arrival;
  for (auto iv = std::lower_bound(busy.begin(), busy.end(), start, by_end); iv != busy.end(); ++iv) {
    if (iv->first >= start + known && (known > sc_core::SC_ZERO_TIME || iv->first > start)) break;
    start = iv->second;
  }
  if (start > arrival) {
    delay += start - arrival;
    r->stats.wait_time += start - arrival;
  }
  delay += known;
  ++r->stats.transactions;
  r->stats.bytes += tx.get_data_length();
  tx.set_address(addr - r->base);
  out[static_cast<int>(r->port)]->b_transport(tx, delay);
  tx.set_address(addr);
  // Reserve [start, end), merged with the reservations it touches.
  const sc_core::sc_time end = now + delay;
  auto it = std::lower_bound(busy.begin(), busy.end(), start,
                             [](const auto& iv, const sc_core::sc_time& t) { return iv.first < t; });
  if (it != busy.begin() && std::prev(it)->second >= start) --it;
  sc_core::sc_time lo = start, hi = end;
  auto last = it;
  while (last != busy.end() && last->first <= hi) {
    lo = std::min(lo, last->first);
    hi = std::max(hi, last->second);
    ++last;
  }
  it = busy.erase(it, last);
  busy.insert(it, {lo, hi});
  if (busy.size() > max_calendar) {
    // Merge neighbours pairwise (the gaps between them are lost): half the entries, bounded memory.
    std::size_t k = 0;
    for (std::size_t i = 0; i < busy.size(); i += 2, ++k)
      busy[k] = {busy[i].first, i + 1 < busy.size() ? busy[i + 1].second : busy[i].second};
    busy.resize(k);
  }
}

bool router::get_direct_mem_ptr(int id, tlm::tlm_generic_payload& tx, tlm::tlm_dmi& dmi) {
  const std::uint64_t addr = tx.get_address();
  range* r = decode(addr);
  if (r == nullptr) {
    dmi.allow_none();
    return false;
  }
  tx.set_address(addr - r->base);
  const bool ok = out[static_cast<int>(r->port)]->get_direct_mem_ptr(tx, dmi);
  tx.set_address(addr);
  if (const auto* ext = tx.get_extension<core::dmi_counters_extension>();
      ext != nullptr && ext->counters != nullptr) {
    m_power.add_counter("transfer", &ext->counters->reads);
    m_power.add_counter("transfer", &ext->counters->writes);
  }
  // Translate back and clip to the mapped range (a target may offer more than is mapped).
  const std::uint64_t start = dmi.get_start_address();
  const std::uint64_t end = std::min<std::uint64_t>(dmi.get_end_address(), r->size - 1);
  dmi.set_start_address(start + r->base);
  dmi.set_end_address(end + r->base);
  dmi.set_read_latency(dmi.get_read_latency() + r->latency);
  dmi.set_write_latency(dmi.get_write_latency() + r->latency);
  return ok;
}

unsigned int router::transport_dbg(int id, tlm::tlm_generic_payload& tx) {
  const std::uint64_t addr = tx.get_address();
  range* r = decode(addr);
  if (r == nullptr) return 0;
  // Clip to the range: the rest is someone else's (or nobody's).
  const unsigned len = tx.get_data_length();
  const std::uint64_t room = r->size - (addr - r->base);
  const unsigned n = static_cast<unsigned>(std::min<std::uint64_t>(len, room));
  tx.set_data_length(n);
  tx.set_address(addr - r->base);
  const unsigned done = out[static_cast<int>(r->port)]->transport_dbg(tx);
  tx.set_address(addr);
  tx.set_data_length(len);
  return done;
}

void router::invalidate_direct_mem_ptr(int port, sc_dt::uint64 start, sc_dt::uint64 end) {
  const range& r = m_ranges.at(static_cast<std::size_t>(port));
  if (start >= r.size || end < start) return;  // nothing of it is mapped
  const std::uint64_t s = r.base + start;
  const std::uint64_t e = end >= r.size ? r.base + r.size - 1 : r.base + end;
  for (unsigned i = 0; i < in.size(); ++i) in[static_cast<int>(i)]->invalidate_direct_mem_ptr(s, e);
}

std::vector<core::param_binding> bind_params(router_config& c) {
  using ps = core::param_spec;
  const sc_core::sc_time zero = sc_core::SC_ZERO_TIME;
  return {
      core::bind(ps::time("hop_latency", zero, zero, sc_core::sc_time(1, sc_core::SC_MS),
                          "interconnect latency per transaction"),
                 c.hop_latency),
      core::bind(ps::integer("width", 0, 1, 4096,
                             "interconnect data width: longer transactions (DMA bursts) take a bus cycle per extra beat",
                             "bytes"),
                 c.width_bytes),
      core::bind(ps::energy("power.transfer", 0.0, "interconnect energy per transfer (DMI included)"), c.power.transfer),
      core::bind(ps::power("power.leakage", 0.0, "interconnect leakage"), c.power.leakage),
  };
}

}  // namespace edgevp::interconnect

#include "models/accelerators/device.h"

namespace edgevp::accel {

const char* error_name(error e) {
  switch (e) {
    case error::none: return "none";
    case error::opcode: return "opcode";
    case error::align: return "align";
    case error::unmapped: return "unmapped";
    case error::shape: return "shape";
    case error::precision: return "precision";
    case error::busy: return "busy";
    case error::dma: return "dma";
    case error::param: return "param";
    case error::chain: return "chain";
    case error::event: return "event";
    case error::overflow: return "overflow";
    case error::program: return "program";
    case error::timeout: return "timeout";
    case error::config: return "config";
  }
  return "?";
}

device::device(const sc_core::sc_module_name& name, const instance& inst)
    : core::peripheral(name, inst.register_latency), dma("dma"), irq("irq"), m_inst(inst) {
  configure_power(inst.power);
}

}  // namespace edgevp::accel

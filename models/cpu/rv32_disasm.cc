// edgevp: RV32IMAC + Zicsr + Zifencei disassembler (see rv32_disasm.h for the output contract).
//
// Decoding picks a mnemonic and an operand format string, like binutils' opcode table does; one
// small interpreter prints the operands. Operand letters (32-bit / 16-bit):
//   d rd  s rs1  t rs2                      w rs1' (x8-x15)  x rs2' (x8-x15)  V rs2 (bits 6:2)
//   j I-imm   q S-imm   > shamt (hex)       c sp   i CI-imm   U c.lui imm (hex)   < c shamt (hex)
//   u U-imm (hex)   b B/CB target           k c.lw/c.sw offset   m c.lwsp   M c.swsp
//   a J/CJ target   E csr   Z csr uimm      K c.addi4spn imm   L c.addi16sp imm
//   P fence pred    Q fence succ
// Anything else is copied verbatim.
#include "models/cpu/rv32_disasm.h"

#include <algorithm>
#include <iterator>

namespace edgevp::cpu {
namespace {

constexpr const char* k_gpr[32] = {"zero", "ra", "sp", "gp", "tp",  "t0",  "t1", "t2",
                                   "s0",   "s1", "a0", "a1", "a2",  "a3",  "a4", "a5",
                                   "a6",   "a7", "s2", "s3", "s4",  "s5",  "s6", "s7",
                                   "s8",   "s9", "s10", "s11", "t3", "t4", "t5", "t6"};

std::uint32_t bits(std::uint32_t v, unsigned hi, unsigned lo) {
  return (v >> lo) & ((1u << (hi - lo + 1)) - 1u);
}

// Sign-extends the low `width` bits of `v`.
std::int32_t sext(std::uint32_t v, unsigned width) {
  const std::uint32_t m = 1u << (width - 1);
  return static_cast<std::int32_t>((v ^ m) - m);
}

// ---- CSR names: exactly the set binutils 2.40 names under privileged spec 1.12 (what objdump
// assumes when an object records no spec); every other number prints as hex. Table generated from
// objdump's output for all 4096 numbers.

struct csr_name {
  std::uint16_t num;
  const char* name;
};

// Sorted by number; the numbered families below are not repeated here.
constexpr csr_name k_csrs[] = {
    {0x001, "fflags"},     {0x002, "frm"},         {0x003, "fcsr"},       {0x008, "vstart"},
    {0x009, "vxsat"},      {0x00a, "vxrm"},        {0x00f, "vcsr"},       {0x015, "seed"},
    {0x100, "sstatus"},    {0x104, "sie"},         {0x105, "stvec"},      {0x106, "scounteren"},
    {0x10a, "senvcfg"},    {0x10c, "sstateen0"},   {0x10d, "sstateen1"},  {0x10e, "sstateen2"},
    {0x10f, "sstateen3"},  {0x114, "sieh"},        {0x140, "sscratch"},   {0x141, "sepc"},
    {0x142, "scause"},     {0x143, "stval"},       {0x144, "sip"},        {0x14d, "stimecmp"},
    {0x150, "siselect"},   {0x151, "sireg"},       {0x154, "siph"},       {0x15c, "stopei"},
    {0x15d, "stimecmph"},  {0x180, "satp"},        {0x200, "vsstatus"},   {0x204, "vsie"},
    {0x205, "vstvec"},     {0x214, "vsieh"},       {0x240, "vsscratch"},  {0x241, "vsepc"},
    {0x242, "vscause"},    {0x243, "vstval"},      {0x244, "vsip"},       {0x24d, "vstimecmp"},
    {0x250, "vsiselect"},  {0x251, "vsireg"},      {0x254, "vsiph"},      {0x25c, "vstopei"},
    {0x25d, "vstimecmph"}, {0x280, "vsatp"},       {0x300, "mstatus"},    {0x301, "misa"},
    {0x302, "medeleg"},    {0x303, "mideleg"},     {0x304, "mie"},        {0x305, "mtvec"},
    {0x306, "mcounteren"}, {0x308, "mvien"},       {0x309, "mvip"},       {0x30a, "menvcfg"},
    {0x30c, "mstateen0"},  {0x30d, "mstateen1"},   {0x30e, "mstateen2"},  {0x30f, "mstateen3"},
    {0x310, "mstatush"},   {0x313, "midelegh"},    {0x314, "mieh"},       {0x318, "mvienh"},
    {0x319, "mviph"},      {0x31a, "menvcfgh"},    {0x31c, "mstateen0h"}, {0x31d, "mstateen1h"},
    {0x31e, "mstateen2h"}, {0x31f, "mstateen3h"},  {0x320, "mcountinhibit"},
    {0x340, "mscratch"},   {0x341, "mepc"},        {0x342, "mcause"},     {0x343, "mtval"},
    {0x344, "mip"},        {0x34a, "mtinst"},      {0x34b, "mtval2"},     {0x350, "miselect"},
    {0x351, "mireg"},      {0x354, "miph"},        {0x35c, "mtopei"},     {0x5a8, "scontext"},
    {0x600, "hstatus"},    {0x602, "hedeleg"},     {0x603, "hideleg"},    {0x604, "hie"},
    {0x605, "htimedelta"}, {0x606, "hcounteren"},  {0x607, "hgeie"},      {0x608, "hvien"},
    {0x609, "hvictl"},     {0x60a, "henvcfg"},     {0x60c, "hstateen0"},  {0x60d, "hstateen1"},
    {0x60e, "hstateen2"},  {0x60f, "hstateen3"},   {0x613, "hidelegh"},   {0x615, "htimedeltah"},
    {0x618, "hvienh"},     {0x61a, "henvcfgh"},    {0x61c, "hstateen0h"}, {0x61d, "hstateen1h"},
    {0x61e, "hstateen2h"}, {0x61f, "hstateen3h"},  {0x643, "htval"},      {0x644, "hip"},
    {0x645, "hvip"},       {0x646, "hviprio1"},    {0x647, "hviprio2"},   {0x64a, "htinst"},
    {0x655, "hviph"},      {0x656, "hviprio1h"},   {0x657, "hviprio2h"},  {0x680, "hgatp"},
    {0x6a8, "hcontext"},   {0x747, "mseccfg"},     {0x757, "mseccfgh"},   {0x7a0, "tselect"},
    {0x7a1, "tdata1"},     {0x7a2, "tdata2"},      {0x7a3, "tdata3"},     {0x7a4, "tinfo"},
    {0x7a5, "tcontrol"},   {0x7a8, "mcontext"},    {0x7aa, "mscontext"},  {0x7b0, "dcsr"},
    {0x7b1, "dpc"},        {0x7b2, "dscratch0"},   {0x7b3, "dscratch1"},  {0xb00, "mcycle"},
    {0xb02, "minstret"},   {0xb80, "mcycleh"},     {0xb82, "minstreth"},  {0xc00, "cycle"},
    {0xc01, "time"},       {0xc02, "instret"},     {0xc20, "vl"},         {0xc21, "vtype"},
    {0xc22, "vlenb"},      {0xc80, "cycleh"},      {0xc81, "timeh"},      {0xc82, "instreth"},
    {0xda0, "scountovf"},  {0xdb0, "stopi"},       {0xe12, "hgeip"},      {0xeb0, "vstopi"},
    {0xf11, "mvendorid"},  {0xf12, "marchid"},     {0xf13, "mimpid"},     {0xf14, "mhartid"},
    {0xf15, "mconfigptr"}, {0xfb0, "mtopi"},
};

// Numbered families: CSR `first + k` is named prefix, index `first_index + k`, suffix.
struct csr_family {
  std::uint16_t first;
  std::uint16_t count;
  std::uint16_t first_index;
  const char* prefix;
  const char* suffix;
};

constexpr csr_family k_csr_families[] = {
    {0x323, 29, 3, "mhpmevent", ""},   {0x3a0, 16, 0, "pmpcfg", ""},
    {0x3b0, 64, 0, "pmpaddr", ""},     {0x723, 29, 3, "mhpmevent", "h"},
    {0xb03, 29, 3, "mhpmcounter", ""}, {0xb83, 29, 3, "mhpmcounter", "h"},
    {0xc03, 29, 3, "hpmcounter", ""},  {0xc83, 29, 3, "hpmcounter", "h"},
};

// Appends text to a caller's fixed buffer, always NUL-terminated, silently truncating.
class writer {
 public:
  writer(char* out, std::size_t size) : m_out(out), m_cap(size == 0 ? 0 : size - 1) {
    if (size != 0) m_out[0] = '\0';
  }

  void put(char c) {
    if (m_len < m_cap) {
      m_out[m_len++] = c;
      m_out[m_len] = '\0';
    }
  }
  void put(const char* s) {
    while (*s != '\0') put(*s++);
  }
  void dec(std::int32_t v) {
    // Through int64 so INT32_MIN negates safely.
    std::int64_t w = v;
    if (w < 0) {
      put('-');
      w = -w;
    }
    unsigned_digits(static_cast<std::uint32_t>(w), 10);
  }
  void dec(std::uint32_t v) { unsigned_digits(v, 10); }
  void hex(std::uint32_t v) {  // objdump's "0x%x"
    put("0x");
    unsigned_digits(v, 16);
  }
  void address(std::uint32_t v) { unsigned_digits(v, 16); }  // objdump's target: bare hex

  [[nodiscard]] std::size_t length() const { return m_len; }

 private:
  void unsigned_digits(std::uint32_t v, std::uint32_t base) {
    char tmp[12];
    int n = 0;
    do {
      tmp[n++] = "0123456789abcdef"[v % base];
      v /= base;
    } while (v != 0);
    while (n > 0) put(tmp[--n]);
  }

  char* m_out;
  std::size_t m_cap;
  std::size_t m_len = 0;
};

void put_csr(writer& w, std::uint32_t csr) {
  const auto* it = std::lower_bound(std::begin(k_csrs), std::end(k_csrs), csr,
                                    [](const csr_name& c, std::uint32_t n) { return c.num < n; });
  if (it != std::end(k_csrs) && it->num == csr) {
    w.put(it->name);
    return;
  }
  for (const auto& f : k_csr_families) {
    if (csr >= f.first && csr < f.first + f.count) {
      w.put(f.prefix);
      w.dec(static_cast<std::uint32_t>(f.first_index + (csr - f.first)));
      w.put(f.suffix);
      return;
    }
  }
  w.hex(csr);
}

// objdump's fence set: "iorw" letters present, or "unknown" for the empty set.
void put_fence_set(writer& w, std::uint32_t set) {
  if (set == 0) {
    w.put("unknown");
    return;
  }
  if ((set & 8u) != 0) w.put('i');
  if ((set & 4u) != 0) w.put('o');
  if ((set & 2u) != 0) w.put('r');
  if ((set & 1u) != 0) w.put('w');
}

// ---- Immediate extraction (RISC-V unprivileged spec, chapters 2 and 16).

std::int32_t imm_i(std::uint32_t x) { return sext(bits(x, 31, 20), 12); }
std::int32_t imm_s(std::uint32_t x) { return sext(bits(x, 31, 25) << 5 | bits(x, 11, 7), 12); }
std::int32_t imm_b(std::uint32_t x) {
  return sext(bits(x, 31, 31) << 12 | bits(x, 7, 7) << 11 | bits(x, 30, 25) << 5 |
                  bits(x, 11, 8) << 1,
              13);
}
std::int32_t imm_j(std::uint32_t x) {
  return sext(bits(x, 31, 31) << 20 | bits(x, 19, 12) << 12 | bits(x, 20, 20) << 11 |
                  bits(x, 30, 21) << 1,
              21);
}
std::int32_t imm_ci(std::uint32_t x) { return sext(bits(x, 12, 12) << 5 | bits(x, 6, 2), 6); }
std::uint32_t imm_cl_w(std::uint32_t x) {
  return bits(x, 12, 10) << 3 | bits(x, 6, 6) << 2 | bits(x, 5, 5) << 6;
}
std::uint32_t imm_lwsp(std::uint32_t x) {
  return bits(x, 12, 12) << 5 | bits(x, 6, 4) << 2 | bits(x, 3, 2) << 6;
}
std::uint32_t imm_swsp(std::uint32_t x) { return bits(x, 12, 9) << 2 | bits(x, 8, 7) << 6; }
std::uint32_t imm_addi4spn(std::uint32_t x) {
  return bits(x, 12, 11) << 4 | bits(x, 10, 7) << 6 | bits(x, 6, 6) << 2 | bits(x, 5, 5) << 3;
}
std::int32_t imm_addi16sp(std::uint32_t x) {
  return sext(bits(x, 12, 12) << 9 | bits(x, 6, 6) << 4 | bits(x, 5, 5) << 6 | bits(x, 4, 3) << 7 |
                  bits(x, 2, 2) << 5,
              10);
}
std::int32_t imm_cb(std::uint32_t x) {
  return sext(bits(x, 12, 12) << 8 | bits(x, 11, 10) << 3 | bits(x, 6, 5) << 6 |
                  bits(x, 4, 3) << 1 | bits(x, 2, 2) << 5,
              9);
}
std::int32_t imm_cj(std::uint32_t x) {
  return sext(bits(x, 12, 12) << 11 | bits(x, 11, 11) << 4 | bits(x, 10, 9) << 8 |
                  bits(x, 8, 8) << 10 | bits(x, 7, 7) << 6 | bits(x, 6, 6) << 7 |
                  bits(x, 5, 3) << 1 | bits(x, 2, 2) << 5,
              12);
}

// RV32C shifts: binutils prints shamt[5] too, though it is reserved on RV32.
std::uint32_t c_shamt(std::uint32_t x) { return bits(x, 12, 12) << 5 | bits(x, 6, 2); }

void put_target(writer& w, std::uint32_t pc, std::int32_t offset) {
  w.address(pc + static_cast<std::uint32_t>(offset));  // wraps modulo 2^32, as on RV32
}

void put_operands(writer& w, const char* fmt, std::uint32_t x, std::uint32_t pc) {
  for (; *fmt != '\0'; ++fmt) {
    switch (*fmt) {
      case 'd': w.put(k_gpr[bits(x, 11, 7)]); break;
      case 's': w.put(k_gpr[bits(x, 19, 15)]); break;
      case 't': w.put(k_gpr[bits(x, 24, 20)]); break;
      case 'j': w.dec(imm_i(x)); break;
      case 'q': w.dec(imm_s(x)); break;
      case '>': w.hex(bits(x, 25, 20)); break;
      case 'u': w.hex(bits(x, 31, 12)); break;
      case 'b': put_target(w, pc, (x & 3u) == 3u ? imm_b(x) : imm_cb(x)); break;
      case 'a': put_target(w, pc, (x & 3u) == 3u ? imm_j(x) : imm_cj(x)); break;
      case 'E': put_csr(w, bits(x, 31, 20)); break;
      case 'Z': w.dec(bits(x, 19, 15)); break;
      case 'P': put_fence_set(w, bits(x, 27, 24)); break;
      case 'Q': put_fence_set(w, bits(x, 23, 20)); break;
      case 'w': w.put(k_gpr[8 + bits(x, 9, 7)]); break;
      case 'x': w.put(k_gpr[8 + bits(x, 4, 2)]); break;
      case 'V': w.put(k_gpr[bits(x, 6, 2)]); break;
      case 'c': w.put("sp"); break;
      case 'i': w.dec(imm_ci(x)); break;
      case 'U': w.hex(static_cast<std::uint32_t>(imm_ci(x)) & 0xfffffu); break;
      case '<': w.hex(c_shamt(x)); break;
      case 'k': w.dec(imm_cl_w(x)); break;
      case 'm': w.dec(imm_lwsp(x)); break;
      case 'M': w.dec(imm_swsp(x)); break;
      case 'K': w.dec(imm_addi4spn(x)); break;
      case 'L': w.dec(imm_addi16sp(x)); break;
      default: w.put(*fmt); break;
    }
  }
}

// What decoding found: mnemonic, optional ".aq"/".rl"/".aqrl" suffix, operand format.
struct form {
  const char* name = nullptr;
  const char* args = "";
  const char* suffix = "";
};

form op_imm(std::uint32_t x) {
  const std::uint32_t f3 = bits(x, 14, 12);
  const std::uint32_t f6 = bits(x, 31, 26);  // binutils decodes RV64's 6-bit shamt on RV32 too
  switch (f3) {
    case 0: return {"addi", "d,s,j"};
    case 1: return f6 == 0 ? form{"slli", "d,s,>"} : form{};
    case 2: return {"slti", "d,s,j"};
    case 3: return {"sltiu", "d,s,j"};
    case 4: return {"xori", "d,s,j"};
    case 5: return f6 == 0 ? form{"srli", "d,s,>"} : f6 == 0x10 ? form{"srai", "d,s,>"} : form{};
    case 6: return {"ori", "d,s,j"};
    default: return {"andi", "d,s,j"};
  }
}

form op_reg(std::uint32_t x) {
  static constexpr const char* k_base[8] = {"add", "sll", "slt", "sltu", "xor", "srl", "or", "and"};
  static constexpr const char* k_mul[8] = {"mul", "mulh", "mulhsu", "mulhu",
                                           "div", "divu", "rem",    "remu"};
  const std::uint32_t f3 = bits(x, 14, 12);
  switch (bits(x, 31, 25)) {
    case 0x00: return {k_base[f3], "d,s,t"};
    case 0x01: return {k_mul[f3], "d,s,t"};
    case 0x20:
      if (f3 == 0) return {"sub", "d,s,t"};
      if (f3 == 5) return {"sra", "d,s,t"};
      return {};
    default: return {};
  }
}

form op_amo(std::uint32_t x) {
  static constexpr const char* k_order[4] = {"", ".rl", ".aq", ".aqrl"};
  if (bits(x, 14, 12) != 2) return {};  // .d forms are RV64 only
  const char* order = k_order[bits(x, 26, 25)];
  switch (bits(x, 31, 27)) {
    case 0x02: return bits(x, 24, 20) == 0 ? form{"lr.w", "d,(s)", order} : form{};
    case 0x03: return {"sc.w", "d,t,(s)", order};
    case 0x01: return {"amoswap.w", "d,t,(s)", order};
    case 0x00: return {"amoadd.w", "d,t,(s)", order};
    case 0x04: return {"amoxor.w", "d,t,(s)", order};
    case 0x0c: return {"amoand.w", "d,t,(s)", order};
    case 0x08: return {"amoor.w", "d,t,(s)", order};
    case 0x10: return {"amomin.w", "d,t,(s)", order};
    case 0x14: return {"amomax.w", "d,t,(s)", order};
    case 0x18: return {"amominu.w", "d,t,(s)", order};
    case 0x1c: return {"amomaxu.w", "d,t,(s)", order};
    default: return {};
  }
}

form op_system(std::uint32_t x) {
  static constexpr const char* k_csr[8] = {nullptr,  "csrrw",  "csrrs",  "csrrc",
                                           nullptr,  "csrrwi", "csrrsi", "csrrci"};
  const std::uint32_t f3 = bits(x, 14, 12);
  // binutils prints this csrrw as "unimp" even with no-aliases: it is the canonical illegal word.
  if (x == 0xc0001073u) return {"unimp"};
  if (f3 != 0) {
    if (k_csr[f3] == nullptr) return {};
    return {k_csr[f3], f3 < 4 ? "d,E,s" : "d,E,Z"};
  }
  switch (x) {
    case 0x00000073: return {"ecall"};
    case 0x00100073: return {"ebreak"};
    case 0x00200073: return {"uret"};
    case 0x10200073: return {"sret"};
    case 0x30200073: return {"mret"};
    case 0x7b200073: return {"dret"};
    case 0x10500073: return {"wfi"};
    case 0x20200073: return {"hret"};  // privileged spec 1.9 leftovers binutils still knows
    case 0x10400073: return {"sfence.vm"};
    default: break;
  }
  if ((x & 0xfff07fffu) == 0x10400073u) return {"sfence.vm", "s"};
  if ((x & 0xfe007fffu) == 0x12000073u) return {"sfence.vma", "s,t"};
  return {};
}

form decode32(std::uint32_t x) {
  const std::uint32_t f3 = bits(x, 14, 12);
  switch (bits(x, 6, 0)) {
    case 0x37: return {"lui", "d,u"};
    case 0x17: return {"auipc", "d,u"};
    case 0x6f: return {"jal", "d,a"};
    case 0x67: return f3 == 0 ? form{"jalr", "d,j(s)"} : form{};
    case 0x63: {
      static constexpr const char* k_br[8] = {"beq", "bne", nullptr, nullptr,
                                              "blt", "bge", "bltu",  "bgeu"};
      return k_br[f3] != nullptr ? form{k_br[f3], "s,t,b"} : form{};
    }
    case 0x03: {
      static constexpr const char* k_ld[8] = {"lb", "lh", "lw", nullptr, "lbu", "lhu"};
      return k_ld[f3] != nullptr ? form{k_ld[f3], "d,j(s)"} : form{};
    }
    case 0x23: {
      static constexpr const char* k_st[8] = {"sb", "sh", "sw"};
      return k_st[f3] != nullptr ? form{k_st[f3], "t,q(s)"} : form{};
    }
    case 0x13: return op_imm(x);
    case 0x33: return op_reg(x);
    case 0x2f: return op_amo(x);
    case 0x73: return op_system(x);
    case 0x0f:
      // binutils wants the reserved fields zero: fm (but fence.tso), rs1, rd, and fence.i's imm.
      if (x == 0x0000100fu) return {"fence.i"};
      if (x == 0x8330000fu) return {"fence.tso"};
      return (x & 0xf00fffffu) == 0x0000000fu ? form{"fence", "P,Q"} : form{};
    default: return {};
  }
}

// RV32C quadrants 0-2; the F/D load/store forms are absent because RV32IMAC has no F.
form decode16(std::uint32_t x) {
  const std::uint32_t f3 = bits(x, 15, 13);
  const std::uint32_t rd = bits(x, 11, 7);
  const std::uint32_t rs2 = bits(x, 6, 2);
  switch (bits(x, 1, 0) << 3 | f3) {  // octal labels: quadrant digit, funct3 digit
    case 000:
      if (x == 0) return {"c.unimp"};
      return imm_addi4spn(x) != 0 ? form{"c.addi4spn", "x,c,K"} : form{};
    case 002: return {"c.lw", "x,k(w)"};
    case 006: return {"c.sw", "x,k(w)"};
    case 010: return {"c.addi", "d,i"};
    case 011: return {"c.jal", "a"};
    case 012: return {"c.li", "d,i"};
    case 013:
      if (rd == 2) return {"c.addi16sp", "c,L"};
      return imm_ci(x) != 0 ? form{"c.lui", "d,U"} : form{};
    case 014:
      switch (bits(x, 11, 10)) {
        // A zero shift amount is the RV128 "64" form, which binutils names as such.
        case 0: return c_shamt(x) != 0 ? form{"c.srli", "w,<"} : form{"c.srli64", "w"};
        case 1: return c_shamt(x) != 0 ? form{"c.srai", "w,<"} : form{"c.srai64", "w"};
        case 2: return {"c.andi", "w,i"};
        default: {
          static constexpr const char* k_alu[4] = {"c.sub", "c.xor", "c.or", "c.and"};
          return bits(x, 12, 12) == 0 ? form{k_alu[bits(x, 6, 5)], "w,x"} : form{};
        }
      }
    case 015: return {"c.j", "a"};
    case 016: return {"c.beqz", "w,b"};
    case 017: return {"c.bnez", "w,b"};
    case 020: return c_shamt(x) != 0 ? form{"c.slli", "d,<"} : form{"c.slli64", "d"};
    case 022: return rd != 0 ? form{"c.lwsp", "d,m(c)"} : form{};
    case 024:
      if (bits(x, 12, 12) == 0) {
        if (rs2 != 0) return {"c.mv", "d,V"};
        return rd != 0 ? form{"c.jr", "d"} : form{};
      }
      if (rs2 != 0) return {"c.add", "d,V"};
      return rd != 0 ? form{"c.jalr", "d"} : form{"c.ebreak"};
    case 026: return {"c.swsp", "V,M(c)"};
    default: return {};
  }
}

}  // namespace

std::size_t disassemble(std::uint32_t insn, std::uint32_t pc, char* out, std::size_t size) {
  writer w(out, size);
  const bool compressed = (insn & 3u) != 3u;
  const std::uint32_t x = compressed ? (insn & 0xffffu) : insn;
  const form f = compressed ? decode16(x) : decode32(x);
  if (f.name == nullptr) {
    w.put(compressed ? ".2byte " : ".4byte ");
    w.hex(x);
    return w.length();
  }
  w.put(f.name);
  w.put(f.suffix);
  if (*f.args != '\0') {
    w.put(' ');
    put_operands(w, f.args, x, pc);
  }
  return w.length();
}

std::string disassemble(std::uint32_t insn, std::uint32_t pc) {
  char buf[disasm_max_length];
  const std::size_t n = disassemble(insn, pc, buf, sizeof buf);
  return std::string(buf, n);
}

}  // namespace edgevp::cpu

#include "platform/elf_loader.h"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

namespace edgevp::platform {

namespace {

std::string hex(std::uint64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "0x%08llx", static_cast<unsigned long long>(v));
  return buf;
}

// Bytes at the start of a segment that begins at file offset 0 and come before its first allocated
// section: the ELF and program headers and their padding (0 when the segment does not start there).
std::size_t header_lead(Elf* e, const GElf_Phdr& ph) {
  if (ph.p_offset != 0 || ph.p_filesz == 0) return 0;
  std::uint64_t first = ph.p_filesz;
  Elf_Scn* scn = nullptr;
  while ((scn = elf_nextscn(e, scn)) != nullptr) {
    GElf_Shdr sh;
    if (gelf_getshdr(scn, &sh) == nullptr || (sh.sh_flags & SHF_ALLOC) == 0 || sh.sh_type == SHT_NOBITS) continue;
    if (sh.sh_offset < ph.p_filesz) first = std::min<std::uint64_t>(first, sh.sh_offset);
  }
  return first < ph.p_filesz ? static_cast<std::size_t>(first) : 0;
}

// Owns the file descriptor and the Elf handle.
class elf_file {
 public:
  explicit elf_file(const std::string& path) : m_path(path) {
    m_fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);  // a FIFO must not block: refused below
    if (m_fd < 0) fail(std::strerror(errno));
    struct stat st {};
    if (::fstat(m_fd, &st) != 0) fail(std::strerror(errno));
    if (!S_ISREG(st.st_mode)) fail("not a regular file");
    m_size = static_cast<std::uint64_t>(st.st_size);
    if (elf_version(EV_CURRENT) == EV_NONE) fail("libelf initialisation failed");
    // Mapped, not read: only the pages the segments and tables use are touched (an image padded to
    // gigabytes costs nothing).
    m_elf = elf_begin(m_fd, ELF_C_READ_MMAP, nullptr);
    if (m_elf == nullptr) fail(std::string("not a readable ELF file (") + elf_errmsg(-1) + ")");
  }
  ~elf_file() {
    if (m_elf != nullptr) elf_end(m_elf);
    if (m_fd >= 0) ::close(m_fd);
  }
  elf_file(const elf_file&) = delete;
  elf_file& operator=(const elf_file&) = delete;

  [[noreturn]] void fail(const std::string& what) const { throw image_error(m_path + ": " + what); }
  Elf* elf() const { return m_elf; }
  std::uint64_t size() const { return m_size; }

 private:
  std::string m_path;
  int m_fd = -1;
  Elf* m_elf = nullptr;
  std::uint64_t m_size = 0;
};

}  // namespace

elf_image load_elf(const std::string& path, const bus_writer& write, const memory_check& not_memory) {
  elf_file f(path);
  Elf* e = f.elf();
  if (elf_kind(e) != ELF_K_ELF) f.fail("not an ELF file");

  std::size_t ident_size = 0;
  const char* ident = elf_getident(e, &ident_size);
  if (ident == nullptr || ident_size < EI_NIDENT) f.fail("truncated ELF header");
  if (ident[EI_CLASS] != ELFCLASS32)
    f.fail(std::string("ELF class is ") + (ident[EI_CLASS] == ELFCLASS64 ? "64-bit" : "unknown") +
           "; edgevp simulates RV32 and needs a 32-bit (ELFCLASS32) image");
  if (ident[EI_DATA] != ELFDATA2LSB) f.fail("not a little-endian ELF image");

  GElf_Ehdr eh;
  if (gelf_getehdr(e, &eh) == nullptr) f.fail(std::string("truncated or corrupt ELF header (") + elf_errmsg(-1) + ")");
  if (eh.e_machine != EM_RISCV)
    f.fail("ELF machine is " + std::to_string(eh.e_machine) + ", not RISC-V (" + std::to_string(EM_RISCV) + ")");
  if (eh.e_type != ET_EXEC) f.fail("not an executable ELF image (e_type " + std::to_string(eh.e_type) + ")");
  const unsigned version = eh.e_version != EV_CURRENT ? eh.e_version : static_cast<unsigned char>(ident[EI_VERSION]);
  if (version != EV_CURRENT)
    f.fail("ELF version is " + std::to_string(version) + ", not " + std::to_string(EV_CURRENT) +
           " (EV_CURRENT): corrupt ELF header");
  // The program header entries must be what they say (a 32-bit image's are 32 bytes), or each
  // would be read from the wrong place.
  if (eh.e_phnum != 0 && eh.e_phentsize != sizeof(Elf32_Phdr))
    f.fail("program header entry size (e_phentsize) is " + std::to_string(eh.e_phentsize) + ", not " +
           std::to_string(sizeof(Elf32_Phdr)) + ": corrupt ELF header");

  // Header tables must lie inside the file: a file cut short is named as truncated, even when the
  // loadable bytes happen to survive.
  const std::uint64_t ph_end = eh.e_phoff + static_cast<std::uint64_t>(eh.e_phnum) * eh.e_phentsize;
  const std::uint64_t sh_end = eh.e_shoff + static_cast<std::uint64_t>(eh.e_shnum) * eh.e_shentsize;
  if (ph_end > f.size()) f.fail("program headers extend past the end of the file (truncated or corrupt image)");
  if (sh_end > f.size()) f.fail("section headers extend past the end of the file (truncated image)");

  std::size_t phnum = 0;
  if (elf_getphdrnum(e, &phnum) != 0) f.fail(std::string("corrupt program headers (") + elf_errmsg(-1) + ")");
  if (phnum == 0) f.fail("no program headers: nothing to load");

  // Raw file bytes: checked against each segment's extent, so a truncated file is named, not read past.
  std::size_t raw_size = 0;
  const char* raw = elf_rawfile(e, &raw_size);
  if (raw == nullptr) f.fail(std::string("cannot read the file's contents (") + elf_errmsg(-1) + ")");

  elf_image img;
  img.path = path;
  img.entry = static_cast<std::uint32_t>(eh.e_entry);
  // Every loadable segment is checked before any is written: sizes, the file, the address space,
  // overlaps (the later one would silently overwrite the earlier) and what lies at its addresses.
  struct load_seg {
    GElf_Phdr ph;
    std::string name;
  };
  std::vector<load_seg> segs;
  for (std::size_t i = 0; i < phnum; ++i) {
    GElf_Phdr ph;
    if (gelf_getphdr(e, static_cast<int>(i), &ph) == nullptr)
      f.fail("program header " + std::to_string(i) + " is truncated or corrupt");
    if (ph.p_type != PT_LOAD || ph.p_memsz == 0) continue;
    const std::string seg = "segment " + std::to_string(i) + " [" + hex(ph.p_paddr) + ", " +
                            hex(ph.p_paddr + ph.p_memsz) + ")";
    if (ph.p_filesz > ph.p_memsz) f.fail(seg + ": file size exceeds memory size");
    if (ph.p_offset > raw_size || ph.p_filesz > raw_size - ph.p_offset)
      f.fail(seg + ": extends past the end of the file (truncated image?)");
    if (ph.p_paddr + ph.p_memsz > 0x100000000ull) f.fail(seg + ": beyond the 32-bit address space");
    if (not_memory) {
      if (const std::string what = not_memory(static_cast<std::uint32_t>(ph.p_paddr), ph.p_memsz);
          !what.empty())
        f.fail(seg + ": lies in " + what + ", not in a memory (only memories can be loaded)");
    }
    segs.push_back({ph, seg});
  }
  {
    // Overlaps: in address order, each segment must end before the next begins.
    std::vector<const load_seg*> by_addr;
    for (const load_seg& ls : segs) by_addr.push_back(&ls);
    std::stable_sort(by_addr.begin(), by_addr.end(),
                     [](const load_seg* a, const load_seg* b) { return a->ph.p_paddr < b->ph.p_paddr; });
    for (std::size_t k = 1; k < by_addr.size(); ++k)
      if (by_addr[k]->ph.p_paddr < by_addr[k - 1]->ph.p_paddr + by_addr[k - 1]->ph.p_memsz)
        f.fail(by_addr[k]->name + " overlaps " + by_addr[k - 1]->name +
               ": a corrupt image (loadable segments must not share addresses)");
  }
  unsigned loaded = 0;
  for (const load_seg& ls : segs) {
    const GElf_Phdr& ph = ls.ph;
    const std::string& seg = ls.name;
    auto addr = static_cast<std::uint32_t>(ph.p_paddr);
    std::size_t fsz = ph.p_filesz;
    std::uint64_t memsz = ph.p_memsz;
    const char* bytes = raw + ph.p_offset;
    // A linker without -N puts the ELF and program headers at the start of the first segment, a
    // page below the code (0x7FFFF000 for code at 0x80000000), where there may be no memory. Those
    // bytes are not the program: when they do not fit, they are left out, as QEMU's loader does.
    if (const std::size_t lead = header_lead(e, ph); lead > 0) {
      if (write(addr, reinterpret_cast<const unsigned char*>(bytes), lead) != lead) {
        addr += static_cast<std::uint32_t>(lead);
        bytes += lead;
        fsz -= lead;
        memsz -= lead;
      }
    }
    if (fsz > 0) {
      const std::size_t done = write(addr, reinterpret_cast<const unsigned char*>(bytes), fsz);
      if (done != fsz) f.fail(seg + ": address " + hex(addr + done) + " is outside every memory");
    }
    // Zero-fill .bss-like tails in chunks.
    static const unsigned char zeros[4096] = {};
    for (std::uint64_t off = fsz; off < memsz;) {
      const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(sizeof(zeros), memsz - off));
      const std::size_t done = write(static_cast<std::uint32_t>(addr + off), zeros, n);
      if (done != n) f.fail(seg + ": address " + hex(addr + off + done) + " is outside every memory");
      off += n;
    }
    img.segments.push_back({addr, static_cast<std::uint32_t>(fsz), static_cast<std::uint32_t>(memsz),
                            (ph.p_flags & PF_X) != 0});
    ++loaded;
  }
  if (loaded == 0) f.fail("no loadable segment");

  // Symbols (optional: a stripped image loads fine).
  Elf_Scn* scn = nullptr;
  while ((scn = elf_nextscn(e, scn)) != nullptr) {
    GElf_Shdr sh;
    if (gelf_getshdr(scn, &sh) == nullptr || sh.sh_type != SHT_SYMTAB || sh.sh_entsize == 0) continue;
    Elf_Data* data = elf_getdata(scn, nullptr);
    if (data == nullptr) continue;
    const std::size_t count = sh.sh_size / sh.sh_entsize;
    for (std::size_t k = 0; k < count; ++k) {
      GElf_Sym sym;
      if (gelf_getsym(data, static_cast<int>(k), &sym) == nullptr) break;
      const char* name = elf_strptr(e, sh.sh_link, sym.st_name);
      if (name == nullptr || *name == '\0') continue;
      const int type = GELF_ST_TYPE(sym.st_info);
      if (type != STT_FUNC && type != STT_OBJECT && type != STT_NOTYPE) continue;
      img.symbols.emplace(name, static_cast<std::uint32_t>(sym.st_value));
    }
  }
  if (auto it = img.symbols.find("tohost"); it != img.symbols.end()) img.tohost = it->second;
  if (auto it = img.symbols.find("fromhost"); it != img.symbols.end()) img.fromhost = it->second;
  return img;
}

}  // namespace edgevp::platform

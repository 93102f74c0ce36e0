// Bench for the ELF loader: images are written byte by byte at run time into a temporary directory
// (no cross toolchain needed), loaded through a bus_writer into a sparse memory, and every refusal
// must name the file and the problem.
#include <elf.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "platform/elf_loader.h"

namespace {

using edgevp::platform::elf_image;
using edgevp::platform::image_error;
using edgevp::platform::load_elf;

// ------------------------------------------------------------------ an ELF writer

struct segment {
  std::uint32_t type = PT_LOAD;
  std::uint32_t paddr = 0;
  std::vector<unsigned char> bytes;
  std::uint32_t memsz = 0;  // 0: same as bytes.size()
  std::uint32_t flags = PF_R;
  std::int64_t filesz_override = -1;  // to lie about the file size
};

struct symbol {
  std::string name;
  std::uint32_t value;
  unsigned char type;  // STT_*
};

struct elf_spec {
  unsigned char cls = ELFCLASS32;
  unsigned char data = ELFDATA2LSB;
  std::uint16_t type = ET_EXEC;
  std::uint16_t machine = EM_RISCV;
  std::uint32_t entry = 0x80000000u;
  std::vector<segment> segments;
  std::vector<symbol> symbols;  // a .symtab when not empty
};

// Appends fields in the image's byte order.
class writer {
 public:
  explicit writer(bool big_endian) : m_be(big_endian) {}
  void u8(unsigned v) { m_out.push_back(static_cast<unsigned char>(v)); }
  void u16(std::uint64_t v) { put(v, 2); }
  void u32(std::uint64_t v) { put(v, 4); }
  void u64(std::uint64_t v) { put(v, 8); }
  void raw(const std::vector<unsigned char>& b) { m_out.insert(m_out.end(), b.begin(), b.end()); }
  void align(std::size_t a) {
    while (m_out.size() % a != 0) m_out.push_back(0);
  }
  [[nodiscard]] std::size_t size() const { return m_out.size(); }
  std::vector<unsigned char>& bytes() { return m_out; }

 private:
  void put(std::uint64_t v, unsigned n) {
    for (unsigned i = 0; i < n; ++i) {
      const unsigned shift = 8 * (m_be ? n - 1 - i : i);
      m_out.push_back(static_cast<unsigned char>(v >> shift));
    }
  }
  bool m_be;
  std::vector<unsigned char> m_out;
};

void ident(writer& w, const elf_spec& s) {
  const unsigned char id[EI_NIDENT] = {ELFMAG0, ELFMAG1, ELFMAG2,    ELFMAG3,
                                       s.cls,   s.data,  EV_CURRENT, ELFOSABI_NONE};
  for (unsigned char c : id) w.u8(c);
}

std::uint32_t filesz_of(const segment& g) {
  return g.filesz_override >= 0 ? static_cast<std::uint32_t>(g.filesz_override)
                                : static_cast<std::uint32_t>(g.bytes.size());
}
std::uint32_t memsz_of(const segment& g) {
  return g.memsz != 0 ? g.memsz : static_cast<std::uint32_t>(g.bytes.size());
}

std::vector<unsigned char> build_elf32(const elf_spec& s) {
  const bool be = s.data == ELFDATA2MSB;
  const std::size_t ehsize = 52, phentsize = 32, shentsize = 40, symsize = 16;
  const std::size_t phoff = ehsize;
  std::size_t off = phoff + phentsize * s.segments.size();
  std::vector<std::size_t> seg_off;
  for (const segment& g : s.segments) {
    off = (off + 3) & ~std::size_t{3};
    seg_off.push_back(off);
    off += g.bytes.size();
  }
  // Symbols: .symtab, .strtab and .shstrtab after the segments, section headers last.
  std::vector<unsigned char> strtab{0};
  std::vector<std::uint32_t> name_off;
  for (const symbol& y : s.symbols) {
    name_off.push_back(static_cast<std::uint32_t>(strtab.size()));
    strtab.insert(strtab.end(), y.name.begin(), y.name.end());
    strtab.push_back(0);
  }
  const std::string shstr = std::string(1, '\0') + ".symtab" + '\0' + ".strtab" + '\0' + ".shstrtab" + '\0';
  const bool with_syms = !s.symbols.empty();
  off = (off + 3) & ~std::size_t{3};
  const std::size_t symtab_off = off;
  const std::size_t symtab_size = with_syms ? symsize * (s.symbols.size() + 1) : 0;
  off += symtab_size;
  const std::size_t strtab_off = off;
  off += with_syms ? strtab.size() : 0;
  const std::size_t shstr_off = off;
  off += with_syms ? shstr.size() : 0;
  off = (off + 3) & ~std::size_t{3};
  const std::size_t shoff = with_syms ? off : 0;
  const unsigned shnum = with_syms ? 4 : 0;

  writer w(be);
  ident(w, s);
  w.u16(s.type);
  w.u16(s.machine);
  w.u32(EV_CURRENT);
  w.u32(s.entry);
  w.u32(s.segments.empty() ? 0 : phoff);
  w.u32(shoff);
  w.u32(0);  // flags
  w.u16(ehsize);
  w.u16(phentsize);
  w.u16(s.segments.size());
  w.u16(shentsize);
  w.u16(shnum);
  w.u16(with_syms ? 3 : 0);
  for (std::size_t i = 0; i < s.segments.size(); ++i) {
    const segment& g = s.segments[i];
    w.u32(g.type);
    w.u32(seg_off[i]);
    w.u32(g.paddr);  // vaddr
    w.u32(g.paddr);
    w.u32(filesz_of(g));
    w.u32(memsz_of(g));
    w.u32(g.flags);
    w.u32(4);
  }
  for (std::size_t i = 0; i < s.segments.size(); ++i) {
    w.align(4);
    w.raw(s.segments[i].bytes);
  }
  if (with_syms) {
    w.align(4);
    for (unsigned k = 0; k < symsize; ++k) w.u8(0);  // symbol 0
    for (std::size_t i = 0; i < s.symbols.size(); ++i) {
      w.u32(name_off[i]);
      w.u32(s.symbols[i].value);
      w.u32(4);
      w.u8(ELF32_ST_INFO(STB_GLOBAL, s.symbols[i].type));
      w.u8(0);
      w.u16(1);  // some section: the loader does not care
    }
    w.raw(strtab);
    w.raw(std::vector<unsigned char>(shstr.begin(), shstr.end()));
    w.align(4);
    auto shdr = [&w](std::uint32_t name, std::uint32_t type, std::size_t offset, std::size_t size,
                     std::uint32_t link, std::uint32_t info, std::uint32_t align, std::uint32_t entsize) {
      w.u32(name);
      w.u32(type);
      w.u32(0);
      w.u32(0);
      w.u32(offset);
      w.u32(size);
      w.u32(link);
      w.u32(info);
      w.u32(align);
      w.u32(entsize);
    };
    shdr(0, SHT_NULL, 0, 0, 0, 0, 0, 0);
    shdr(1, SHT_SYMTAB, symtab_off, symtab_size, 2, 1, 4, symsize);
    shdr(9, SHT_STRTAB, strtab_off, strtab.size(), 0, 0, 1, 0);
    shdr(17, SHT_STRTAB, shstr_off, shstr.size(), 0, 0, 1, 0);
  }
  return w.bytes();
}

// A plausible RV64 executable: real 64-bit header and program header.
std::vector<unsigned char> build_elf64(const elf_spec& s) {
  writer w(false);
  ident(w, s);
  w.u16(ET_EXEC);
  w.u16(EM_RISCV);
  w.u32(EV_CURRENT);
  w.u64(s.entry);
  w.u64(64);  // phoff
  w.u64(0);   // shoff
  w.u32(0);
  w.u16(64);
  w.u16(56);
  w.u16(1);
  w.u16(64);
  w.u16(0);
  w.u16(0);
  w.u32(PT_LOAD);
  w.u32(PF_R | PF_X);
  w.u64(120);  // offset
  w.u64(s.entry);
  w.u64(s.entry);
  w.u64(8);
  w.u64(8);
  w.u64(8);
  for (int i = 0; i < 8; ++i) w.u8(0x13);
  return w.bytes();
}

std::vector<unsigned char> text_bytes(std::size_t n, unsigned char first) {
  std::vector<unsigned char> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<unsigned char>(first + i);
  return v;
}

// The default good image: text, data + bss, a large bss, symbols.
elf_spec good_spec() {
  elf_spec s;
  s.entry = 0x80000004u;
  segment text;
  text.paddr = 0x80000000u;
  text.bytes = text_bytes(16, 0x10);
  text.flags = PF_R | PF_X;
  segment dat;
  dat.paddr = 0x80001000u;
  dat.bytes = text_bytes(8, 0xA0);
  dat.memsz = 0x20;
  dat.flags = PF_R | PF_W;
  segment bss;  // no file bytes, bigger than the loader's zero chunk
  bss.paddr = 0x80004000u;
  bss.memsz = 10000;
  bss.flags = PF_R | PF_W;
  s.segments = {text, dat, bss};
  s.symbols = {{"main", 0x80000004u, STT_FUNC},
               {"tohost", 0x80001000u, STT_OBJECT},
               {"fromhost", 0x80001008u, STT_OBJECT}};
  return s;
}

// ------------------------------------------------------------------ the fixture

class elf_loader : public ::testing::Test {
 protected:
  elf_loader() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "edgevp_elf_XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    m_dir = tmpl;
  }
  ~elf_loader() override {
    std::error_code ec;
    std::filesystem::remove_all(m_dir, ec);
  }

  std::string write(const std::string& name, const std::vector<unsigned char>& bytes) {
    const std::string path = (m_dir / name).string();
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    return path;
  }

  // A sparse memory covering [mem_lo, mem_hi): the writer stops at its end.
  edgevp::platform::bus_writer writer_fn() {
    return [this](std::uint32_t addr, const unsigned char* d, std::size_t len) -> std::size_t {
      ++writes;
      for (std::size_t i = 0; i < len; ++i) {
        const std::uint64_t a = static_cast<std::uint64_t>(addr) + i;
        if (a < mem_lo || a >= mem_hi) return i;
        mem[static_cast<std::uint32_t>(a)] = d[i];
      }
      return len;
    };
  }

  elf_image load(const std::string& path) { return load_elf(path, writer_fn()); }

  // Loading must throw image_error whose message names the file and contains every `parts`.
  void expect_error(const std::string& path, std::initializer_list<const char*> parts) {
    try {
      load(path);
      ADD_FAILURE() << path << ": no image_error";
    } catch (const image_error& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find(path), std::string::npos) << "file not named: " << what;
      for (const char* p : parts)
        EXPECT_NE(what.find(p), std::string::npos) << "no '" << p << "' in: " << what;
    }
  }

  std::map<std::uint32_t, unsigned char> mem;
  std::uint64_t mem_lo = 0x80000000u;
  std::uint64_t mem_hi = 0x80010000u;
  unsigned writes = 0;

 private:
  std::filesystem::path m_dir;
};

// ------------------------------------------------------------------ good images

TEST_F(elf_loader, loads_segments_entry_and_symbols) {
  const std::string path = write("good.elf", build_elf32(good_spec()));
  const elf_image img = load(path);
  EXPECT_EQ(img.path, path);
  EXPECT_EQ(img.entry, 0x80000004u);
  ASSERT_EQ(img.segments.size(), 3u);
  EXPECT_EQ(img.segments[0].addr, 0x80000000u);
  EXPECT_EQ(img.segments[0].file_size, 16u);
  EXPECT_EQ(img.segments[0].mem_size, 16u);
  EXPECT_TRUE(img.segments[0].exec);
  EXPECT_EQ(img.segments[1].addr, 0x80001000u);
  EXPECT_EQ(img.segments[1].file_size, 8u);
  EXPECT_EQ(img.segments[1].mem_size, 0x20u);
  EXPECT_FALSE(img.segments[1].exec);
  EXPECT_EQ(img.segments[2].file_size, 0u);
  EXPECT_EQ(img.segments[2].mem_size, 10000u);

  for (std::uint32_t i = 0; i < 16; ++i) EXPECT_EQ(mem.at(0x80000000u + i), 0x10 + i) << i;
  for (std::uint32_t i = 0; i < 8; ++i) EXPECT_EQ(mem.at(0x80001000u + i), 0xA0 + i) << i;
  EXPECT_EQ(mem.count(0x80000010u), 0u) << "wrote past the text segment";

  ASSERT_TRUE(img.tohost.has_value());
  EXPECT_EQ(*img.tohost, 0x80001000u);
  ASSERT_TRUE(img.fromhost.has_value());
  EXPECT_EQ(*img.fromhost, 0x80001008u);
  ASSERT_EQ(img.symbols.count("main"), 1u);
  EXPECT_EQ(img.symbols.at("main"), 0x80000004u);
}

TEST_F(elf_loader, zero_fills_memsz_beyond_filesz) {
  // Memory holds garbage before loading: the tail of each segment must be written as zeros.
  for (std::uint32_t a = 0x80001000u; a < 0x80001020u; ++a) mem[a] = 0xEE;
  for (std::uint32_t a = 0x80004000u; a < 0x80004000u + 10000; ++a) mem[a] = 0xEE;
  load(write("bss.elf", build_elf32(good_spec())));
  for (std::uint32_t a = 0x80001008u; a < 0x80001020u; ++a) EXPECT_EQ(mem.at(a), 0u) << std::hex << a;
  unsigned nonzero = 0;
  for (std::uint32_t a = 0x80004000u; a < 0x80004000u + 10000; ++a) nonzero += mem.at(a) != 0 ? 1 : 0;
  EXPECT_EQ(nonzero, 0u);
  EXPECT_EQ(mem.count(0x80001020u), 0u) << "zero-filled past memsz";
  EXPECT_EQ(mem.count(0x80004000u + 10000), 0u) << "zero-filled past memsz";
}

TEST_F(elf_loader, image_without_symbols_has_no_tohost) {
  elf_spec s = good_spec();
  s.symbols.clear();
  const elf_image img = load(write("stripped.elf", build_elf32(s)));
  EXPECT_FALSE(img.tohost.has_value());
  EXPECT_FALSE(img.fromhost.has_value());
  EXPECT_TRUE(img.symbols.empty());
  EXPECT_EQ(img.segments.size(), 3u);
}

TEST_F(elf_loader, non_load_segments_are_skipped) {
  elf_spec s = good_spec();
  segment note;
  note.type = PT_NOTE;
  note.paddr = 0x10;  // outside memory: must not be written
  note.bytes = text_bytes(4, 1);
  s.segments.insert(s.segments.begin(), note);
  const elf_image img = load(write("note.elf", build_elf32(s)));
  EXPECT_EQ(img.segments.size(), 3u);
  EXPECT_EQ(mem.count(0x10), 0u);
}

// ------------------------------------------------------------------ refusals

TEST_F(elf_loader, missing_file) {
  const std::string path = write("x", {}) + ".does-not-exist";
  expect_error(path, {"No such file"});
}

TEST_F(elf_loader, empty_file) {
  expect_error(write("empty.elf", {}), {"ELF"});
}

TEST_F(elf_loader, random_bytes) {
  std::vector<unsigned char> junk(4096);
  std::uint32_t x = 12345;
  for (auto& b : junk) {
    x = x * 1103515245u + 12345u;
    b = static_cast<unsigned char>(x >> 16);
  }
  expect_error(write("junk.elf", junk), {"ELF"});
}

TEST_F(elf_loader, text_file) {
  const std::string text = "this is not an executable\n";
  expect_error(write("readme.elf", std::vector<unsigned char>(text.begin(), text.end())), {"ELF"});
}

TEST_F(elf_loader, truncated_file) {
  elf_spec s = good_spec();
  s.symbols.clear();
  std::vector<unsigned char> bytes = build_elf32(s);
  bytes.resize(bytes.size() - 6);  // cuts the data segment short
  expect_error(write("truncated.elf", bytes), {"past the end of the file", "0x80001000"});
}

TEST_F(elf_loader, segment_file_size_past_the_end) {
  elf_spec s = good_spec();
  s.segments[0].filesz_override = 0x100000;
  s.segments[0].memsz = 0x100000;
  expect_error(write("lying.elf", build_elf32(s)), {"past the end of the file"});
  EXPECT_EQ(writes, 0u) << "wrote before validating";
}

TEST_F(elf_loader, filesz_larger_than_memsz) {
  elf_spec s = good_spec();
  s.segments[1].memsz = 4;  // 8 file bytes
  expect_error(write("fat.elf", build_elf32(s)), {"file size exceeds memory size"});
}

TEST_F(elf_loader, elf64_is_refused_as_64_bit) {
  elf_spec s;
  s.cls = ELFCLASS64;
  expect_error(write("rv64.elf", build_elf64(s)), {"64-bit", "32-bit"});
}

TEST_F(elf_loader, wrong_machine) {
  elf_spec s = good_spec();
  s.machine = EM_386;
  expect_error(write("x86.elf", build_elf32(s)), {"RISC-V", "machine is 3"});
}

TEST_F(elf_loader, big_endian) {
  elf_spec s = good_spec();
  s.data = ELFDATA2MSB;
  expect_error(write("be.elf", build_elf32(s)), {"little-endian"});
}

TEST_F(elf_loader, relocatable_object) {
  elf_spec s = good_spec();
  s.type = ET_REL;
  expect_error(write("obj.o", build_elf32(s)), {"not an executable"});
}

TEST_F(elf_loader, no_program_headers) {
  elf_spec s = good_spec();
  s.segments.clear();
  expect_error(write("nophdr.elf", build_elf32(s)), {"no program headers"});
}

TEST_F(elf_loader, no_load_segment) {
  elf_spec s = good_spec();
  for (segment& g : s.segments) g.type = PT_NOTE;
  expect_error(write("noload.elf", build_elf32(s)), {"no loadable segment"});
}

TEST_F(elf_loader, segment_outside_memory_names_the_address) {
  elf_spec s = good_spec();
  s.segments[0].paddr = 0x8000FFF8u;  // 16 bytes: the last 8 fall off the end of memory
  expect_error(write("outside.elf", build_elf32(s)), {"outside every memory", "0x80010000"});
}

TEST_F(elf_loader, segment_entirely_outside_memory) {
  elf_spec s = good_spec();
  s.segments[0].paddr = 0x40000000u;
  expect_error(write("far.elf", build_elf32(s)), {"outside every memory", "0x40000000"});
}

TEST_F(elf_loader, bss_outside_memory_names_the_address) {
  elf_spec s = good_spec();
  s.segments[2].paddr = 0x8000F000u;  // 10000 bytes of bss run past 0x80010000
  expect_error(write("bss_out.elf", build_elf32(s)), {"outside every memory", "0x80010000"});
}

TEST_F(elf_loader, segment_beyond_4gib) {
  elf_spec s = good_spec();
  s.segments[2].paddr = 0xFFFFF000u;
  expect_error(write("wrap.elf", build_elf32(s)), {"32-bit address space"});
}

}  // namespace

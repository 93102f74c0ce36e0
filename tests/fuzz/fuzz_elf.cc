// Fuzz target: the ELF loader (platform/elf_loader.h) on arbitrary file contents. The documented
// failure is image_error (a message naming the file and the problem); anything else is a finding.
// The bus: a boot ROM at 0, an SRAM at 0x80000000 and a register window (uart) between them.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "platform/elf_loader.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

constexpr std::uint32_t rom_base = 0, rom_size = 0x4000;
constexpr std::uint32_t uart_base = 0x10000000, uart_size = 0x1000;
constexpr std::uint32_t sram_base = 0x80000000, sram_size = 0x80000;

std::vector<unsigned char> rom(rom_size), sram(sram_size);

// Accepts the part of [addr, addr + len) that lies in one memory, from addr on.
std::size_t write(std::uint32_t addr, const unsigned char* data, std::size_t len) {
  auto in = [&](std::uint32_t base, std::vector<unsigned char>& mem) -> std::size_t {
    if (addr < base || addr - base >= mem.size()) return 0;
    const std::size_t n = std::min<std::size_t>(len, mem.size() - (addr - base));
    std::memcpy(mem.data() + (addr - base), data, n);
    return n;
  };
  if (const std::size_t n = in(rom_base, rom); n != 0) return n;
  return in(sram_base, sram);
}

std::string not_memory(std::uint32_t addr, std::uint64_t len) {
  const std::uint64_t end = std::uint64_t{addr} + len;
  if (addr < std::uint64_t{uart_base} + uart_size && end > uart_base) return "the register window of uart";
  return "";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const edgevp::fuzz::scratch_file file("image.elf");
  file.write(data, size);
  try {
    const edgevp::platform::elf_image img = edgevp::platform::load_elf(file.path(), write, not_memory);
    // What the platform reads from an image: its entry, segments and symbols.
    std::uint64_t sum = img.entry;
    for (const auto& s : img.segments) sum += s.addr + s.file_size + s.mem_size;
    for (const auto& [name, value] : img.symbols) sum += name.size() + value;
    if (img.tohost) sum += *img.tohost;
    if (img.fromhost) sum += *img.fromhost;
    edgevp::fuzz::keep(sum);
  } catch (const edgevp::platform::image_error&) {
    // Documented: a malformed or unsuitable image.
  }
  return 0;
}

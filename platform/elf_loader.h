// edgevp: ELF image loading through libelf.
//
// Checks that the file is a 32-bit little-endian RISC-V executable (ELF version 1, 32-byte program
// header entries) whose loadable segments do not overlap, writes each PT_LOAD segment
// through a debug-transport writer (the bus), so a segment outside every memory is an error naming
// its address, and zero-fills the rest of each segment. Reads the symbol table for `tohost` /
// `fromhost` (riscv-tests HTIF) and keeps the symbols for later use (region names, debugger).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace edgevp::platform {

class image_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct elf_segment {
  std::uint32_t addr;
  std::uint32_t file_size;
  std::uint32_t mem_size;
  bool exec;
};

struct elf_image {
  std::string path;
  std::uint32_t entry = 0;
  std::vector<elf_segment> segments;
  std::map<std::string, std::uint32_t> symbols;  // function and object symbols
  std::optional<std::uint32_t> tohost;
  std::optional<std::uint32_t> fromhost;
};

// Writes `len` bytes at `addr`; returns how many bytes were accepted (fewer = outside memory).
using bus_writer = std::function<std::size_t(std::uint32_t addr, const unsigned char* data, std::size_t len)>;

// What lies at [addr, addr + len) when it is not wholly memory: the name of the register window
// it touches (e.g. "the register window of uart"), or "" when it is memory (or nothing: the
// writer then finds it outside every memory).
using memory_check = std::function<std::string(std::uint32_t addr, std::uint64_t len)>;

// Throws image_error with a message naming the file and the problem: besides a malformed file,
// loadable segments that overlap one another, and (with `not_memory`) a segment in a register
// window. Nothing is written unless every segment passes.
elf_image load_elf(const std::string& path, const bus_writer& write, const memory_check& not_memory = {});

}  // namespace edgevp::platform

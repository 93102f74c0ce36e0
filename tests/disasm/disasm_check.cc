// disasm_check: proves edgevp's disassembler against GNU objdump.
//
//   riscv64-unknown-elf-objdump -d -M no-aliases file.o | disasm_check [--min N]
//
// For every instruction line of the listing ("addr:<TAB>raw<spaces><TAB>text", raw being 4 hex
// digits for a 16-bit instruction and 8 for a 32-bit one) it compares
// edgevp::cpu::disassemble(raw, addr) with objdump's text, normalised to the disassembler's
// contract (rv32_disasm.h): the tab between mnemonic and operands becomes one space, and the
// trailing ` <symbol+offset>` and ` # <address>` annotations are dropped. Lines that are not
// instructions (headers, symbols, data shown as .word/.short/.byte) are skipped; a line that has an
// instruction's address but no instruction this parser understands is a failure, so no instruction
// of the listing escapes the comparison.
//
// Prints each mismatch and "N passed, M failed"; exits 1 on any mismatch or when fewer than N
// (default 200) instructions were compared, so a broken pipeline can never pass quietly.
//
//   disasm_check --emit-compressed          every 16-bit encoding (low bits != 11) as `.insn`
//   disasm_check --emit-random N SEED       N pseudo-random 32-bit encodings as `.insn`
// write assembly sources for the sweeps: encodings nobody wrote by hand, for objdump to judge.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <random>
#include <string>

#include "models/cpu/rv32_disasm.h"

namespace {

bool is_hex(const std::string& s) {
  return !s.empty() && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

void trim_right(std::string& s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.pop_back();
}

// objdump's text -> the disassembler's contract.
std::string normalise(std::string text) {
  trim_right(text);
  if (!text.empty() && text.back() == '>') {
    const auto lt = text.rfind(" <");
    if (lt != std::string::npos) text.erase(lt);
  }
  const auto comment = text.find(" # ");
  if (comment != std::string::npos) text.erase(comment);
  const auto tab = text.find('\t');
  if (tab != std::string::npos) text[tab] = ' ';
  trim_right(text);
  return text;
}

struct listing_line {
  std::uint32_t address = 0;
  std::uint32_t raw = 0;
  std::string text;
};

enum class line_kind { other, data, insn, unparsed };

// Splits "  1c:\t8000006f          \tjal\tzero,..." into its parts. `other` for lines without an
// instruction address, `data` for data in a code section, `unparsed` for an address line whose
// rest is not "raw<spaces><TAB>text".
line_kind parse(const std::string& line, listing_line& out) {
  const auto colon = line.find(":\t");
  if (colon == std::string::npos) return line_kind::other;
  const auto first = line.find_first_not_of(' ');
  const std::string address = line.substr(first, colon - first);
  if (!is_hex(address)) return line_kind::other;
  const auto raw_end = line.find('\t', colon + 2);
  if (raw_end == std::string::npos) return line_kind::unparsed;
  std::string raw = line.substr(colon + 2, raw_end - colon - 2);
  trim_right(raw);
  if (!is_hex(raw) || (raw.size() != 4 && raw.size() != 8)) return line_kind::unparsed;
  out.text = line.substr(raw_end + 1);
  // Data in a code section (mapping symbol $d) is not an instruction.
  for (const char* data : {".word", ".short", ".byte"}) {
    if (out.text.rfind(data, 0) == 0) return line_kind::data;
  }
  out.address = static_cast<std::uint32_t>(std::strtoull(address.c_str(), nullptr, 16));
  out.raw = static_cast<std::uint32_t>(std::strtoul(raw.c_str(), nullptr, 16));
  return line_kind::insn;
}

}  // namespace

int main(int argc, char** argv) {
  long minimum = 200;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--min") == 0 && i + 1 < argc) {
      minimum = std::strtol(argv[++i], nullptr, 10);
    } else if (std::strcmp(argv[i], "--emit-compressed") == 0) {
      std::cout << "\t.text\n";
      for (unsigned h = 0; h < 0x10000; ++h)
        if ((h & 3u) != 3u) std::printf("\t.insn 0x%04x\n", h);
      return 0;
    } else if (std::strcmp(argv[i], "--emit-random") == 0 && i + 2 < argc) {
      const long n = std::strtol(argv[i + 1], nullptr, 10);
      std::mt19937 rng(static_cast<std::uint32_t>(std::strtoul(argv[i + 2], nullptr, 10)));
      std::cout << "\t.text\n";
      for (long k = 0; k < n;) {
        const std::uint32_t w = rng() | 3u;
        if ((w & 0x1Cu) == 0x1Cu) continue;  // announces a 48-bit or longer instruction
        std::printf("\t.insn 0x%08x\n", w);
        ++k;
      }
      return 0;
    } else {
      std::cerr << "usage: objdump -d -M no-aliases FILE | " << argv[0] << " [--min N]\n"
                << "       " << argv[0] << " --emit-compressed | --emit-random N SEED\n";
      return 2;
    }
  }

  long passed = 0;
  long failed = 0;
  std::string line;
  listing_line insn;
  while (std::getline(std::cin, line)) {
    const line_kind kind = parse(line, insn);
    if (kind == line_kind::unparsed) {
      ++failed;
      std::cout << "UNPARSED '" << line << "'\n";
      continue;
    }
    if (kind != line_kind::insn) continue;
    const std::string expected = normalise(insn.text);
    const std::string actual = edgevp::cpu::disassemble(insn.raw, insn.address);
    if (actual == expected) {
      ++passed;
      continue;
    }
    ++failed;
    char head[40];
    std::snprintf(head, sizeof head, "%8x: %0*x", insn.address, (insn.raw & 3u) == 3u ? 8 : 4,
                  insn.raw);
    std::cout << "MISMATCH " << head << "  objdump '" << expected << "'  edgevp '" << actual
              << "'\n";
  }
  std::cout << passed << " passed, " << failed << " failed\n";
  if (passed + failed < minimum) {
    std::cout << "error: only " << passed + failed << " instructions checked, expected at least "
              << minimum << "\n";
    return 1;
  }
  return failed == 0 ? 0 : 1;
}

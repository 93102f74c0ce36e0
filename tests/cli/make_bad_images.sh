#!/usr/bin/env bash
# Makes corrupt and unsuitable ELF files from a good image: OUTDIR GOOD_ELF
set -eu
out=$1; good=$2
mkdir -p "$out"
: > "$out/empty.elf"
head -c 4096 /dev/urandom > "$out/random.elf" 2>/dev/null || dd if=/dev/zero of="$out/random.elf" bs=4096 count=1 2>/dev/null
size=$(stat -c %s "$good")
head -c 1000 "$good" > "$out/truncated.elf"                 # inside the first segment
head -c $((size * 2 / 3)) "$good" > "$out/truncated_tail.elf"  # segments intact, section headers lost
cp "$good" "$out/arm.elf"; printf '\x28\x00' | dd of="$out/arm.elf" bs=1 seek=18 conv=notrunc 2>/dev/null   # e_machine = ARM
cp "$good" "$out/bigendian.elf"; printf '\x02' | dd of="$out/bigendian.elf" bs=1 seek=5 conv=notrunc 2>/dev/null  # EI_DATA
cp "$good" "$out/class64.elf"; printf '\x02' | dd of="$out/class64.elf" bs=1 seek=4 conv=notrunc 2>/dev/null   # EI_CLASS
cp "$good" "$out/badphoff.elf"; printf '\xff\xff\xff\x7f' | dd of="$out/badphoff.elf" bs=1 seek=28 conv=notrunc 2>/dev/null  # e_phoff
printf 'unknown.key = 1\n' > "$out/unknown_key.cfg"
printf 'abcd' > "$out/short.img"   # an eMRAM image of the wrong size
printf 'sram.size = lots\n' > "$out/bad_value.cfg"
printf 'sram.size = 64KiB\n' > "$out/first.cfg"
printf 'sram.size = 1KiB\n' > "$out/second.cfg"
# Includes (`config = FILE` inside a file, relative to it): applied, overridden by the including
# file, a cycle, a missing file.
mkdir -p "$out/inc"
printf 'sram.size = 1KiB   # included\n' > "$out/inc/base.cfg"
printf 'config = inc/base.cfg\n' > "$out/include.cfg"
printf 'sram.size = 512KiB\nconfig = inc/base.cfg\n' > "$out/include_overridden.cfg"
printf 'config = cycle_b.cfg\n' > "$out/inc/cycle_a.cfg"
printf 'config = cycle_a.cfg\n' > "$out/inc/cycle_b.cfg"
printf 'config = inc/nope.cfg\n' > "$out/include_missing.cfg"
# Header fields and program headers the loader must refuse (python: offsets from the image's own
# headers): e_version 0, e_phentsize 16 and 64, two PT_LOAD segments that overlap, a PT_LOAD
# segment inside a register window (syscon at 0x10001000: its bytes would be register writes).
python3 - "$good" "$out" <<'PY'
import struct, sys
good, out = sys.argv[1], sys.argv[2]
img = bytearray(open(good, 'rb').read())
def save(name, data):
    open(out + '/' + name, 'wb').write(data)
def patched(offset, fmt, value):
    b = bytearray(img); struct.pack_into(fmt, b, offset, value); return b
save('version0.elf', patched(20, '<I', 0))           # e_version
save('phentsize16.elf', patched(42, '<H', 16))       # e_phentsize
save('phentsize64.elf', patched(42, '<H', 64))
phoff, = struct.unpack_from('<I', img, 28)
phentsize, phnum = struct.unpack_from('<HH', img, 42)
loads = [i for i in range(phnum)
         if struct.unpack_from('<I', img, phoff + i * phentsize)[0] == 1
         and struct.unpack_from('<I', img, phoff + i * phentsize + 20)[0] > 0]   # PT_LOAD, p_memsz
first, second = loads[0], loads[1]
paddr0, = struct.unpack_from('<I', img, phoff + first * phentsize + 12)
def moved(i, addr):   # p_vaddr and p_paddr of program header i
    b = bytearray(img)
    struct.pack_into('<II', b, phoff + i * phentsize + 8, addr, addr)
    return b
save('overlap.elf', moved(second, paddr0 + 0x100))   # the second segment inside the first
save('in_registers.elf', moved(second, 0x10001000))  # the second segment on the syscon's registers
PY

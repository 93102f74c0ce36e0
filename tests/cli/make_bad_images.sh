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

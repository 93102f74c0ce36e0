#!/usr/bin/env bash
# --vcd at a clock whose period is not a whole number of nanoseconds (333 MHz): the VCD's time base
# is the kernel's picosecond, so SystemC has nothing to warn about, and stdout carries the UART's
# output and nothing else (SystemC printed "(W713) current kernel time is not representable in VCD
# time units" there hundreds of times).
set -eu
edgevp=$1; elf=$2; dir=$3
rm -rf "$dir"; mkdir -p "$dir"
"$edgevp" --cpu.clock=333MHz --vcd "$dir/w.vcd" --uart-out "$dir/uart.txt" "$elf" > "$dir/stdout.txt" 2> "$dir/stderr.txt"
"$edgevp" --cpu.clock=333MHz --vcd "$dir/w2.vcd" "$elf" > "$dir/stdout2.txt" 2> "$dir/stderr2.txt"
cmp "$dir/stdout2.txt" "$dir/uart.txt" || { echo "FAIL: stdout is not the UART's output"; head -5 "$dir/stdout2.txt"; exit 1; }
[ ! -s "$dir/stdout.txt" ] || { echo "FAIL: stdout holds text with --uart-out"; head -5 "$dir/stdout.txt"; exit 1; }
if grep -q 'W713\|Warning' "$dir/stderr.txt" "$dir/stderr2.txt"; then echo "FAIL: SystemC warned"; grep -m3 'W713\|Warning' "$dir"/stderr*.txt; exit 1; fi
grep -q '^\$timescale' "$dir/w.vcd" || { echo "FAIL: no timescale in the VCD"; exit 1; }
grep -A1 '^\$timescale' "$dir/w.vcd" | tr -d ' \n' | grep -q '1ps' || { echo "FAIL: the VCD is not in picoseconds"; grep -A1 '^\$timescale' "$dir/w.vcd"; exit 1; }
echo "ok: $(wc -l < "$dir/uart.txt") UART lines on stdout, VCD in picoseconds"

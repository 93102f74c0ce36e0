#!/usr/bin/env bash
# edgevp's ISS against QEMU's JIT on the same compute-bound firmware (CRC-32, matrix multiply,
# sort, a state machine; firmware/apps/compute), in one run:
#   bench/iss_vs_qemu.sh [BUILD_DIR] [RUNS]
# One ELF runs on both: the compute app built against a memory map whose syscon sits at 0x0FFFF8,
# so its EXIT register is QEMU virt's SiFive test finisher (0x100000) and its UART is virt's 16550
# (0x10000000); the instruction count is edgevp's for that ELF (the program is deterministic).
# Prints, median of RUNS (default 5): edgevp MIPS (tracing off, default quantum; then with --vcd,
# with the power CSV, with a 100 ns quantum) and qemu-system-riscv32's wall time and MIPS
# (including its start-up), and the ratio.
set -euo pipefail
build=${1:-build/release}
runs=${2:-5}
src=$(cd "$(dirname "$0")/.." && pwd)
[ -x "$build/edgevp" ] || { echo "build first: cmake --preset release && cmake --build --preset release" >&2; exit 2; }
command -v qemu-system-riscv32 > /dev/null || { echo "qemu-system-riscv32 missing (scripts/install-deps.sh)" >&2; exit 2; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
syscon=(--syscon.base=0x0FFFF8)
mkdir -p "$tmp/memmap"
"$build/edgevp" --gen-memmap "$tmp/memmap" "${syscon[@]}"
cmake -S "$src/firmware" -B "$tmp/fw" -G Ninja -DCMAKE_TOOLCHAIN_FILE="$src/firmware/cmake/riscv-toolchain.cmake" \
  -DEDGEVP_MEMMAP_DIR="$tmp/memmap" > /dev/null
cmake --build "$tmp/fw" --target compute > /dev/null
elf=$tmp/fw/bin/compute.elf

edgevp_runs() {  # label, extra options...
  local label=$1; shift
  for i in $(seq "$runs"); do
    "$build/edgevp" --quiet "${syscon[@]}" --report "$tmp/$label.$i.json" "$@" "$elf" > "$tmp/uart.txt"
    grep -q "compute: ok" "$tmp/uart.txt" || { echo "edgevp run failed" >&2; exit 1; }
  done
}
edgevp_runs plain
edgevp_runs vcd --vcd "$tmp/run.vcd"
edgevp_runs power --power-csv "$tmp/p.csv" --power-interval 100us
edgevp_runs quantum --quantum 100ns
for i in $(seq "$runs"); do
  start=$(date +%s.%N)
  timeout 300 qemu-system-riscv32 -M virt -bios none -kernel "$elf" -nographic -serial file:"$tmp/qemu.txt" \
    -monitor none < /dev/null
  end=$(date +%s.%N)
  grep -q "compute: ok" "$tmp/qemu.txt" || { echo "qemu run failed" >&2; exit 1; }
  echo "$start $end" > "$tmp/qemu.$i.t"
done
/usr/bin/python3 - "$tmp" "$runs" <<'PY'
import json, statistics, sys
d, n = sys.argv[1], int(sys.argv[2])
def med(label):
    rows = [json.load(open(f"{d}/{label}.{i}.json")) for i in range(1, n + 1)]
    return rows[0]["instructions"], statistics.median(r["host_wall_time_s"] for r in rows)
insns, t = med("plain")
print(f"firmware: compute, {insns} instructions; median of {n} runs")
print(f"{'edgevp (tracing off, quantum 10us)':40s} {t:8.3f} s {insns / t / 1e6:8.1f} MIPS")
for label, what in (("vcd", "edgevp --vcd"), ("power", "edgevp --power-csv (100us)"), ("quantum", "edgevp --quantum 100ns")):
    _, tl = med(label)
    print(f"{what:40s} {tl:8.3f} s {insns / tl / 1e6:8.1f} MIPS  ({t / tl:.2f} x the plain run's speed)")
qt = statistics.median(float(open(f"{d}/qemu.{i}.t").read().split()[1]) - float(open(f"{d}/qemu.{i}.t").read().split()[0])
                       for i in range(1, n + 1))
print(f"{'qemu-system-riscv32 -M virt (JIT)':40s} {qt:8.3f} s {insns / qt / 1e6:8.1f} MIPS  (wall time including start-up)")
print(f"ratio edgevp / qemu: {qt / t:.3f}")
PY

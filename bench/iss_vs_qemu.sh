#!/usr/bin/env bash
# edgevp's ISS against QEMU's JIT on the same compute-bound firmware (CRC-32, matrix multiply,
# sort, a state machine; firmware/apps/compute), in one run, like with like:
#   bench/iss_vs_qemu.sh [BUILD_DIR] [RUNS]
# One ELF runs on both: the compute app built against a memory map whose syscon sits at 0x0FFFF8,
# so its EXIT register is QEMU virt's SiFive test finisher (0x100000) and its UART is virt's 16550
# (0x10000000); the instruction count is edgevp's for that ELF (the program is deterministic).
# Both simulators are timed the same two ways, runs alternating between them:
#   whole process   wall time of the process, start-up included;
#   without start-up  whole process minus the median whole-process time of a stub that exits at
#                   once through the same EXIT register (start-up, loading, exit).
# Also edgevp's own timer (the report's host_wall_time_s: elaboration excluded) and edgevp with
# --vcd, the power CSV and a 100 ns quantum. Medians of RUNS (default 5).
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
# The start-up stub: writes PASS (0x5555) to the EXIT register / test finisher at 0x100000.
printf '.globl _start\n_start:\n  li t0, 0x100000\n  li t1, 0x5555\n  sw t1, 0(t0)\n1: j 1b\n' > "$tmp/stub.S"
riscv64-unknown-elf-gcc -march=rv32imac -mabi=ilp32 -nostdlib -Wl,-N -Wl,--no-warn-rwx-segments -Wl,-Ttext=0x80000000 -o "$tmp/stub.elf" "$tmp/stub.S"
hello=$tmp/stub.elf
now() { date +%s.%N; }

edgevp_run() {  # label, run number, elf, extra options...
  local label=$1 i=$2 image=$3; shift 3
  local t0 t1
  t0=$(now)
  "$build/edgevp" --quiet "${syscon[@]}" --report "$tmp/$label.$i.json" "$@" "$image" > "$tmp/uart.txt"
  t1=$(now)
  [ "$image" = "$hello" ] || grep -q "compute: ok" "$tmp/uart.txt" || { echo "edgevp run '$label' failed" >&2; exit 1; }
  echo "$t0 $t1" > "$tmp/$label.$i.t"
}
qemu_run() {  # label, run number, elf
  local label=$1 i=$2 image=$3 t0 t1
  t0=$(now)
  timeout 300 qemu-system-riscv32 -M virt -bios none -kernel "$image" -nographic -serial file:"$tmp/qemu.txt" \
    -monitor none < /dev/null
  t1=$(now)
  [ "$image" = "$hello" ] || grep -q "compute: ok" "$tmp/qemu.txt" || { echo "qemu run '$label' failed" >&2; exit 1; }
  echo "$t0 $t1" > "$tmp/$label.$i.t"
}
for i in $(seq "$runs"); do  # alternating, so both see the same load
  edgevp_run plain "$i" "$elf"
  qemu_run qemu "$i" "$elf"
  edgevp_run hello "$i" "$hello"
  qemu_run qemu_hello "$i" "$hello"
  edgevp_run vcd "$i" "$elf" --vcd "$tmp/run.vcd"
  edgevp_run power "$i" "$elf" --power-csv "$tmp/p.csv" --power-interval 100us
  edgevp_run quantum "$i" "$elf" --quantum 100ns
done
/usr/bin/python3 - "$tmp" "$runs" <<'PY'
import json, statistics, sys
d, n = sys.argv[1], int(sys.argv[2])
med = statistics.median
def wall(label):
    return med(float(b) - float(a) for a, b in (open(f"{d}/{label}.{i}.t").read().split() for i in range(1, n + 1)))
def internal(label):
    return med(json.load(open(f"{d}/{label}.{i}.json"))["host_wall_time_s"] for i in range(1, n + 1))
insns = json.load(open(f"{d}/plain.1.json"))["instructions"]
ev, ev_up, qv, q_up = wall("plain"), wall("hello"), wall("qemu"), wall("qemu_hello")
ev_net, q_net = ev - ev_up, qv - q_up
print(f"firmware: compute, {insns} instructions; median of {n} runs, edgevp and QEMU alternating")
print(f"{'':34s} {'whole process':>22s} {'without start-up':>24s}")
print(f"{'edgevp (tracing off, quantum 10us)':34s} {ev:8.3f} s {insns / ev / 1e6:8.1f} MIPS "
      f"{ev_net:8.3f} s {insns / ev_net / 1e6:8.1f} MIPS")
print(f"{'qemu-system-riscv32 -M virt (JIT)':34s} {qv:8.3f} s {insns / qv / 1e6:8.1f} MIPS "
      f"{q_net:8.3f} s {insns / q_net / 1e6:8.1f} MIPS")
print(f"{'start-up (stub: edgevp, QEMU)':34s} {ev_up:8.3f} s {q_up:8.3f} s")
print(f"ratio edgevp / QEMU (speed): whole process {qv / ev:.3f}, without start-up {q_net / ev_net:.3f}")
t = internal("plain")
print(f"{'edgevp, its own timer (report)':34s} {t:8.3f} s {insns / t / 1e6:8.1f} MIPS")
for label, what in (("vcd", "edgevp --vcd"), ("power", "edgevp --power-csv (100us)"), ("quantum", "edgevp --quantum 100ns")):
    tl = internal(label)
    print(f"{what:34s} {tl:8.3f} s {insns / tl / 1e6:8.1f} MIPS  ({t / tl:.2f} x the plain run's speed, own timer)")
PY

#!/usr/bin/env bash
# RTL co-simulation figures (docs/rtl.md): for firmware that drives the digital CIM, the host wall
# time with cim0 on its TLM model and on its verilated RTL (median of N runs each, alternated), the
# RTL's speed in block cycles per host second, and the co-verification of the two (--coverify:
# jobs compared, cycles of the RTL against the TLM model, per-job error).
#
#   bench/rtl_cosim.sh [BUILD_DIR] [RUNS]     (default build/release, 5 runs)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
runs=${2:-5}
if [ ! -x "$build/edgevp" ]; then
  cmake --preset release >/dev/null
  cmake --build "$build" -j"$(nproc)"
fi
edgevp=$build/edgevp
fw=$build/firmware/bin
py=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# name, firmware, extra options
workloads=(
  "cim_mvm|cim_mvm|--accel=cim0"
  "fmnist_cnn_20|fmnist_cnn_digital_20|"
  "cim_peak|cim_peak|--accel=cim0"
)

echo "RTL co-simulation: cim0 (cim-digital) on impl=tlm and impl=rtl, median of $runs runs each"
printf '%-15s %10s %10s %8s %12s %14s %16s\n' workload "tlm wall" "rtl wall" "rtl/tlm" "rtl cycles" "cycles/host s" "(extra time only)"
for w in "${workloads[@]}"; do
  IFS='|' read -r name elf extra <<<"$w"
  for i in $(seq 1 "$runs"); do
    for impl in tlm rtl; do
      # shellcheck disable=SC2086
      "$edgevp" -q $extra --cim0.impl=$impl --report "$tmp/$name.$impl.$i.json" --uart-out /dev/null "$fw/$elf.elf"
    done
  done
  "$py" - "$tmp" "$name" "$runs" <<'EOF'
import json, statistics, sys
tmp, name, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
def load(impl, i):
    return json.load(open(f"{tmp}/{name}.{impl}.{i}.json"))
wall = {impl: statistics.median(load(impl, i)["host_wall_time_s"] for i in range(1, runs + 1)) for impl in ("tlm", "rtl")}
acc = next(a for a in load("rtl", 1)["accelerators"] if a["name"] == "cim0")
cycles = acc["rtl_cycles"]
extra = wall["rtl"] - wall["tlm"]
print(f"{name:15s} {wall['tlm']*1e3:8.1f}ms {wall['rtl']*1e3:8.1f}ms {wall['rtl']/wall['tlm']:8.2f} {cycles:12.0f} "
      f"{cycles/wall['rtl']/1e6:11.2f} M/s {(cycles/extra/1e6 if extra > 0 else float('nan')):13.2f} M/s")
EOF
done
echo "(cycles/host s: the block's clock cycles over the whole run's wall time; extra time only: over"
echo " the wall time the RTL run takes beyond the TLM run, i.e. the verilated block and its bridges)"
echo
echo "Co-verification (--coverify cim0, tolerance opened so that every job is compared): RTL against TLM"
for w in "${workloads[@]}"; do
  IFS='|' read -r name elf extra <<<"$w"
  # shellcheck disable=SC2086
  out=$("$edgevp" -q $extra --coverify=cim0 --coverify.tolerance=10 --uart-out /dev/null "$fw/$elf.elf" 2>&1 || true)
  echo "$name:"
  grep -E '^coverify: cim0: ([0-9]+ jobs|cycles|FAIL)' <<<"$out" | sed 's/^coverify: cim0: /  /'
done

#!/usr/bin/env bash
# Host MIPS of the ISS on the compute-bound firmware (CRC-32, matrix multiply, sort, state machine):
# median of N runs (default 5), tracing off, default quantum. Prints every run and the median.
#   bench/iss_mips.sh [BUILD_DIR] [RUNS]
set -euo pipefail
build=${1:-build/release}
runs=${2:-5}
elf=$build/firmware/bin/compute.elf
[ -x "$build/edgevp" ] && [ -f "$elf" ] || { echo "build first: cmake --preset release && cmake --build --preset release" >&2; exit 2; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for i in $(seq "$runs"); do
  "$build/edgevp" --quiet --report "$tmp/$i.json" "$elf" > /dev/null
done
/usr/bin/python3 - "$tmp" "$runs" <<'PY'
import json, statistics, sys
d, n = sys.argv[1], int(sys.argv[2])
rows = [json.load(open(f"{d}/{i}.json")) for i in range(1, n + 1)]
for i, r in enumerate(rows, 1):
    print(f"run {i}: {r['instructions']} instructions in {r['host_wall_time_s']:.3f} s = {r['host_mips']:.1f} MIPS")
print(f"median: {statistics.median(r['host_mips'] for r in rows):.1f} MIPS over {n} runs "
      f"(simulated {rows[0]['simulated_time_s']:.6f} s, exit {rows[0]['exit']['reason']})")
PY

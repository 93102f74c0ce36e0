#!/usr/bin/env bash
# What the progress line costs: host MIPS of the same run with and without --progress (the line
# forced on, stderr to a file), alternating, median of RUNS each, and the ratio.
#   bench/progress_cost.sh [BUILD_DIR] [RUNS] [ELF]
set -euo pipefail
build=${1:-build/release}
runs=${2:-9}
elf=${3:-$build/firmware/bin/fmnist_cnn_host.elf}
[ -x "$build/edgevp" ] || { echo "build first: cmake --preset release && cmake --build --preset release" >&2; exit 2; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for i in $(seq "$runs"); do
  "$build/edgevp" --quiet --report "$tmp/plain.$i.json" "$elf" > /dev/null 2> /dev/null
  "$build/edgevp" --quiet --progress --report "$tmp/progress.$i.json" "$elf" > /dev/null 2> "$tmp/progress.err"
done
/usr/bin/python3 - "$tmp" "$runs" "$elf" <<'PY'
import json, statistics, sys
tmp, n, elf = sys.argv[1], int(sys.argv[2]), sys.argv[3]
m = {k: statistics.median(json.load(open(f"{tmp}/{k}.{i}.json"))["host_mips"] for i in range(1, n + 1))
     for k in ("plain", "progress")}
print(f"{elf}: median host MIPS of {n} alternating runs: without --progress {m['plain']:.1f}, "
      f"with {m['progress']:.1f}, ratio {m['progress'] / m['plain']:.4f}")
PY

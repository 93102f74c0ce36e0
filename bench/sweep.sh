#!/usr/bin/env bash
# The sweep tool's throughput and its own cost: a 50-point sweep (the analog MLP on 20 images,
# cim1.seed 1..50) run by tools/sweep on the local backend, against the same 50 edgevp runs
# started by a bare shell loop with the same options. Prints jobs per minute at -j 1 and at -j
# (cores), and the tool's overhead per job (sweep -j 1 minus bare loop, divided by 50), as the
# median of ROUNDS interleaved rounds (default 3).
#   bench/sweep.sh [BUILD_DIR] [ROUNDS]
set -euo pipefail
build=${1:-build/release}
rounds=${2:-3}
src=$(cd "$(dirname "$0")/.." && pwd)
edgevp=$(cd "$build" && pwd)/edgevp
fw=$(cd "$build" && pwd)/firmware/bin/fmnist_mlp_analog_20.elf
[ -x "$edgevp" ] && [ -f "$fw" ] || { echo "build first: cmake --preset release && cmake --build --preset release" >&2; exit 2; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cores=$(nproc)
cat > "$tmp/s.toml" <<TOML
[sweep]
name = "bench"
firmware = "$fw"
[[axis]]
key = "cim1.seed"
range = [1, 50, 1]
[metrics]
region = "infer"
accuracy = 'accuracy (\d+)/(\d+)'
TOML
now() { date +%s.%N; }
for r in $(seq "$rounds"); do
  t0=$(now)
  for s in $(seq 50); do
    "$edgevp" --quiet --report "$tmp/bare.json" --uart-out "$tmp/bare.txt" --cim1.seed="$s" "$fw" 2>/dev/null
  done
  t1=$(now)
  "$src/tools/sweep/sweep.py" run "$tmp/s.toml" --dir "$tmp/j1.$r" --edgevp "$edgevp" -j 1 >/dev/null 2>&1
  t2=$(now)
  "$src/tools/sweep/sweep.py" run "$tmp/s.toml" --dir "$tmp/jn.$r" --edgevp "$edgevp" -j "$cores" >/dev/null 2>&1
  t3=$(now)
  echo "$t0 $t1 $t2 $t3" >> "$tmp/times"
done
/usr/bin/python3 - "$tmp/times" "$cores" <<'PY'
import statistics, sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1])]
cores = int(sys.argv[2])
bare = [r[1] - r[0] for r in rows]
j1 = [r[2] - r[1] for r in rows]
jn = [r[3] - r[2] for r in rows]
med = statistics.median
print(f"sweep bench: 50 jobs (fmnist_mlp_analog_20, cim1.seed 1..50), median of {len(rows)} rounds")
print(f"  bare edgevp loop      {med(bare):7.2f} s   {50 * 60 / med(bare):7.0f} jobs/min")
print(f"  sweep -j 1            {med(j1):7.2f} s   {50 * 60 / med(j1):7.0f} jobs/min")
print(f"  sweep -j {cores:<2d}           {med(jn):7.2f} s   {50 * 60 / med(jn):7.0f} jobs/min")
over = [(a - b) / 50 * 1e3 for a, b in zip(j1, bare)]
print(f"  tool overhead per job {med(over):7.1f} ms   (sweep -j 1 minus bare, per job; bare job {med(bare) / 50 * 1e3:.1f} ms)")
PY

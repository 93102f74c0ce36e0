#!/usr/bin/env bash
# The ISS under PMP (docs/models/cpu.md, "What checking costs"): a user-mode loop of loads, stores
# and ALU work under one NAPOT entry, the same loop in machine mode without PMP, and one
# instruction at a time (an enabled debug trigger), in MIPS of the ISS alone (bench/iss_pmp.cc),
# for models/cpu/ of this tree and of BASE, built side by side and run alternately RUNS times
# (default 5); prints every run and the medians, and the user-mode ratio this tree / BASE.
#   bench/iss_pmp.sh [BASE_REV] [RUNS]   (BASE_REV default: aa59457~1, before blocks ran under PMP)
set -euo pipefail
base_rev=${1:-aa59457~1}
runs=${2:-5}
src=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/src/models/cpu"
for f in $(git -C "$src" ls-tree --name-only "$base_rev" models/cpu/); do
  git -C "$src" show "$base_rev:$f" > "$tmp/src/$f"
done
iss="rv32_iss.cc rv32_blocks.cc rv32_decode.cc rv32_disasm.cc"
build() {  # OUT INCLUDE_ROOT
  local out=$1 root=$2 files=()
  for f in $iss; do files+=("$root/models/cpu/$f"); done
  g++ -O2 -std=c++17 -I"$root" -I"$src" "$src/bench/iss_pmp.cc" "${files[@]}" -o "$out"
}
build "$tmp/this" "$src"
build "$tmp/base" "$tmp/src"
printf '%-4s %-8s %10s %10s %15s\n' run tree user+pmp machine one-at-a-time
for i in $(seq "$runs"); do
  for t in base this; do
    read -r u m o < <("$tmp/$t")
    printf '%-4s %-8s %10s %10s %15s\n' "$i" "$t" "$u" "$m" "$o"
    echo "$t $u $m $o" >> "$tmp/all"
  done
done
/usr/bin/python3 - "$tmp/all" "$base_rev" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
med = {t: [statistics.median(float(r[k]) for r in rows if r[0] == t) for k in (1, 2, 3)] for t in ("base", "this")}
for t, name in (("base", sys.argv[2]), ("this", "this tree")):
    u, m, o = med[t]
    print(f"median {name}: user+pmp {u:.1f}, machine {m:.1f}, one at a time {o:.1f} MIPS")
print(f"user mode under PMP, this tree / {sys.argv[2]}: {med['this'][0] / med['base'][0]:.2f}x")
PY

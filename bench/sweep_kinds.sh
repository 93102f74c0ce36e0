#!/usr/bin/env bash
# Every accelerator kind on the Fashion-MNIST networks side by side, and the seed's Fig. 7, from the
# example sweep tools/sweep/examples/kinds.toml (8 edgevp runs, a few seconds): the table that
# README.md shows (docs.sweep_kinds checks it), and with a second argument the Fig. 7 picture.
#   bench/sweep_kinds.sh [BUILD_DIR] [FIG7.png]
set -euo pipefail
build=${1:-build/release}
src=$(cd "$(dirname "$0")/.." && pwd)
[ -x "$build/edgevp" ] || { echo "build first: cmake --preset release && cmake --build --preset release" >&2; exit 2; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
spec=$src/tools/sweep/examples/kinds.toml
sweep=("$src/tools/sweep/sweep.py")
"${sweep[@]}" run "$spec" --dir "$tmp" --edgevp "$build/edgevp" -j "$(nproc)" > "$tmp/run.txt" 2>&1 \
  || { cat "$tmp/run.txt" >&2; exit 1; }
echo "Fashion-MNIST on every accelerator kind (20 test images; tools/sweep/examples/kinds.toml):"
"${sweep[@]}" results "$spec" --dir "$tmp" --edgevp "$build/edgevp" --table
echo
echo "Peak (the accelerator alone, full-array stream, cim_peak) against end to end (the SoC, per inference):"
"${sweep[@]}" fig7 "$spec" --dir "$tmp" --edgevp "$build/edgevp" -o "${2:-$tmp/fig7.png}" | grep -v '^sweep: wrote'

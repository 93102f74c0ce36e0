#!/usr/bin/env bash
# The CGRA's kernels mapped four ways (docs/models/cgra.md, firmware/apps/cgra_kernels): per kernel
# (int8 fully connected, int8 3x3 convolution; the larger size of each), the cycles and cgra0's
# energy of each mapping, and the energy of the others over the Blocks mapping's beside the ratios
# Wijtvliet et al. (IEEE TCAD 2022) publish for the same comparison (CALIBRATION.md):
#   blocks  decoders shared over lanes (SIMD) and data from unit to unit over the network
#   simd    a SIMD processor: one decoder over the lanes, operands through register files   1.84x
#   vliw    a VLIW processor: a decoder per unit in lock-step, operands through register files  2.05x
#   cgra    a conventional CGRA: a context per unit and cycle, data over the network            1.22x
# and simulated fabric cycles per host second: cgra_speed (the larger convolution loaded and run 400
# times more) against cgra_speed_small (4 times), median of RUNS runs each (default 3), beside the
# ISS's MIPS in the same runs; RUNS = 0 leaves it out (docs/models/cgra.md's figures, which a test
# compares with this bench's output, are the deterministic part).
#   bench/cgra.sh [BUILD_DIR] [RUNS]
set -euo pipefail
build=${1:-build/release}
runs=${2:-3}
edgevp=$build/edgevp
fw=$build/firmware/bin
[ -x "$edgevp" ] || { echo "build first: cmake --preset release && cmake --build --preset release" >&2; exit 2; }
for app in cgra_kernels cgra_speed cgra_speed_small; do
  [ -f "$fw/$app.elf" ] || { echo "$fw/$app.elf missing: build the firmware" >&2; exit 2; }
done
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
run() {  # run NAME APP
  if ! "$edgevp" --quiet --report "$tmp/$1.json" "$fw/$2.elf" > "$tmp/$1.txt"; then
    echo "edgevp: $2 failed:" >&2; tail -5 "$tmp/$1.txt" >&2; exit 1
  fi
}
run run0 cgra_kernels
for i in $(seq 1 "$runs"); do
  echo "cgra: speed, run $i of $runs ..." >&2
  run "big.$i" cgra_speed
  run "small.$i" cgra_speed_small
done
/usr/bin/python3 - "$tmp" "$runs" <<'PY'
import json, re, statistics, sys
tmp, runs = sys.argv[1], int(sys.argv[2])
published = {"simd": 1.84, "vliw": 2.05, "cgra": 1.22}
r = json.load(open(f"{tmp}/run0.json"))
out = open(f"{tmp}/run0.txt").read()
cases = {}
for kernel, mapping, size, cycles, stalls, ops in re.findall(
        r"cgra_kernels: (\w+)\.(\w+)\.(\w+) ok cycles (\d+) stalls (\d+) macs (\d+)", out):
    cases[(kernel, mapping, size)] = (int(cycles), int(stalls), int(ops))
regions = {g["name"]: g for g in r["regions"] if g["name"].startswith("cgra.")}
print("CGRA kernels on the built-in fabric (firmware/apps/cgra_kernels, the larger size of each), energy of cgra0:")
print(f"{'kernel':7s} {'mapping':8s} {'size':>10s} {'cycles':>8s} {'stalls':>7s} {'MACs/cycle':>10s} "
      f"{'energy':>10s} {'pJ/MAC':>7s} {'vs blocks':>9s} {'published':>9s} {'error':>7s}")
for name in sorted(regions, key=lambda n: (n.split(".")[1], ["blocks", "simd", "vliw", "cgra"].index(n.split(".")[2]))):
    _, kernel, mapping, size = name.split(".")
    cycles, stalls, ops = cases[(kernel, mapping, size)]
    e = regions[name]["energy_by_component_j"]["soc.cgra0"]
    base = regions[f"cgra.{kernel}.blocks.{size}"]["energy_by_component_j"]["soc.cgra0"]
    ratio = e / base
    pub = published.get(mapping)
    pub_s = f"{pub:.2f}x" if pub else "-"
    err = f"{100 * (ratio / pub - 1):+6.1f}%" if pub else "-"
    print(f"{kernel:7s} {mapping:8s} {size:>10s} {cycles:8d} {stalls:7d} {ops / 2 / cycles:10.2f} "
          f"{e * 1e9:8.2f}nJ {e / (ops / 2) * 1e12:7.2f} {ratio:8.2f}x {pub_s:>9s} {err:>7s}")
if runs == 0:
    sys.exit(0)
def speed(kind):
    host, mips, cycles = [], [], 0
    for i in range(1, runs + 1):
        ri = json.load(open(f"{tmp}/{kind}.{i}.json"))
        host.append(ri["host_wall_time_s"])
        mips.append(ri["host_mips"])
        cycles = [x for x in ri["accelerators"] if x["name"] == "cgra0"][0]["cycles"]
    return statistics.median(host), statistics.median(mips), cycles
hb, mips_b, cb = speed("big")
hs, mips_s, cs = speed("small")
print()
print(f"Simulation speed (median of {runs} runs, this host): {(cb - cs) / max(hb - hs, 1e-9) / 1e6:.2f} M fabric "
      f"cycles per host second ({cb - cs:.0f} cycles in {hb - hs:.3f} s); the ISS in the same runs: {mips_s:.1f} MIPS")
PY

#!/usr/bin/env bash
# The transport-triggered accelerator against BrainTTA's published figures (docs/models/tta.md,
# CALIBRATION.md), on BrainTTA's SoC (configs/braintta.cfg: host + TTA at 300 MHz):
#   bench/tta_tops.sh [BUILD_DIR] [RUNS]
#   - per precision, modelled GOPS and fJ/op at full utilisation beside the published ones: the
#     steady state of the FC kernel (firmware/apps/tta_layers/fc.tta), as the difference between a
#     RUN of K = 1000 and one of K = 256 weight words (one tile of 32 outputs; firmware tta_peak):
#     operations (2 per MAC) over cycles at the TTA's clock, tta0's energy over operations;
#   - the Fashion-MNIST MLP (int8) end to end on the same SoC: energy per inference and TOPS/W
#     (the network's operations over everything the SoC spends per inference);
#   - simulated TTA cycles per host second: tta_peak's 20M-cycle hardware loop against the same
#     firmware with a 100k-cycle loop (tta_peak_small), median of RUNS runs each (default 3), beside
#     the ISS's MIPS in the same runs. RUNS = 0 leaves it out (docs/models/tta.md's figures, which
#     a test compares with this bench's output, are the deterministic part).
# Energy and cycle figures are simulated and deterministic; the speed depends on the host.
set -euo pipefail
build=${1:-build/release}
runs=${2:-3}
src=$(cd "$(dirname "$0")/.." && pwd)
edgevp=$build/edgevp
fw=$build/firmware/bin
cfg=$src/configs/braintta.cfg
[ -x "$edgevp" ] || { echo "build first: cmake --preset release && cmake --build --preset release" >&2; exit 2; }
for app in tta_peak tta_peak_small fmnist_tta; do
  [ -f "$fw/$app.elf" ] || { echo "$fw/$app.elf missing: build the firmware" >&2; exit 2; }
done
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
run() {  # run NAME APP: edgevp on BrainTTA's SoC, its report and output kept under NAME
  if ! "$edgevp" --quiet --config "$cfg" --report "$tmp/$1.json" "$fw/$2.elf" > "$tmp/$1.txt"; then
    echo "edgevp: $2 failed:" >&2; tail -5 "$tmp/$1.txt" >&2; exit 1
  fi
}
echo "tta_tops: full utilisation (tta_peak) ..." >&2
run peak tta_peak
echo "tta_tops: the Fashion-MNIST MLP (fmnist_tta) ..." >&2
run mlp fmnist_tta
for i in $(seq 1 "$runs"); do
  echo "tta_tops: speed, run $i of $runs ..." >&2
  run "speed_big.$i" tta_peak
  run "speed_small.$i" tta_peak_small
done
/usr/bin/python3 - "$tmp" "$runs" "$src/firmware/apps/fmnist/model_mlp.h" <<'PY'
import json, re, statistics, sys
tmp, runs, mlp_h = sys.argv[1], int(sys.argv[2]), sys.argv[3]
published = {"bin": (614, 35), "tern": (307, 67), "int8": (77, 405)}  # GOPS, fJ/op (CALIBRATION.md)
names = {"bin": "binary", "tern": "ternary", "int8": "int8"}

peak = json.load(open(f"{tmp}/peak.json"))
out = open(f"{tmp}/peak.txt").read()
clock = peak["cpu_clock_hz"]  # the accelerators run at the SoC's clock
regions = {g["name"]: g for g in peak["regions"]}
lines = {}
for prec, k, cycles, ops in re.findall(r"tta_peak: (\w+) K (\d+) cycles (\d+) ops (\d+)", out):
    e = regions[f"peak.{prec}.{k}"]["energy_by_component_j"]["soc.tta0"]
    lines[(prec, int(k))] = (int(cycles), int(ops), e)
print(f"TTA at full utilisation on BrainTTA's SoC (configs/braintta.cfg, {clock / 1e6:.0f} MHz): "
      "the FC kernel's steady state, K = 1000 minus K = 256")
print(f"{'precision':9s} {'MACs/cycle':>10s} {'GOPS':>8s} {'published':>9s} {'error':>7s} "
      f"{'fJ/op':>8s} {'published':>9s} {'error':>7s} {'TOPS/W':>7s}")
for prec in ("bin", "tern", "int8"):
    c1, o1, e1 = lines[(prec, 256)]
    c2, o2, e2 = lines[(prec, 1000)]
    ops, cyc, joules = o2 - o1, c2 - c1, e2 - e1
    gops = ops / (cyc / clock) / 1e9
    fj = joules / ops * 1e15
    pg, pf = published[prec]
    print(f"{names[prec]:9s} {ops / 2 / cyc:10.0f} {gops:8.1f} {pg:9d} {100 * (gops / pg - 1):+6.1f}% "
          f"{fj:8.1f} {pf:9d} {100 * (fj / pf - 1):+6.1f}% {1000 / fj:7.2f}")

text = open(mlp_h).read()
macs = sum(int(cin) * int(cout) for cin, cout in re.findall(r"\{NN_FC,\s*\d+,\s*\d+,\s*(\d+),\s*(\d+),", text))
mlp = json.load(open(f"{tmp}/mlp.json"))
infer = [g for g in mlp["regions"] if g["name"] == "infer"]
e = sum(g["energy_j"] for g in infer) / len(infer)
t = sum(g["end_s"] - g["start_s"] for g in infer) / len(infer)
tta = sum(g["energy_by_component_j"]["soc.tta0"] for g in infer) / len(infer)
acc = re.search(r"fmnist: mlp tta: accuracy (\d+)/(\d+)", open(f"{tmp}/mlp.txt").read())
print()
print(f"Fashion-MNIST MLP (int8, {macs} MACs) on tta0, end to end over {len(infer)} images: "
      f"accuracy {acc.group(1)}/{acc.group(2)}")
print(f"  {t * 1e6:.1f} us and {e * 1e9:.1f} nJ per inference ({100 * tta / e:.0f} % of it in tta0): "
      f"{2 * macs / e / 1e12:.2f} TOPS/W end to end, {2 * macs / tta / 1e12:.2f} TOPS/W for tta0 alone")

if runs == 0:
    sys.exit(0)

def speed(kind):
    host, mips, cyc = [], [], []
    for i in range(1, runs + 1):
        r = json.load(open(f"{tmp}/speed_{kind}.{i}.json"))
        c = re.search(r"tta_peak: speed cycles (\d+)", open(f"{tmp}/speed_{kind}.{i}.txt").read())
        host.append(r["host_wall_time_s"])
        mips.append(r["host_mips"])
        cyc.append(int(c.group(1)))
    return statistics.median(host), statistics.median(mips), cyc[0]
hb, mips_b, cb = speed("big")
hs, mips_s, cs = speed("small")
rate = (cb - cs) / max(hb - hs, 1e-9)
print()
print(f"Simulation speed (median of {runs} runs, this host): {rate / 1e6:.1f} M TTA cycles per host second "
      f"({cb} - {cs} cycles in {hb - hs:.3f} s); the ISS in the same runs: {mips_s:.1f} MIPS")
PY

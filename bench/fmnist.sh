#!/usr/bin/env bash
# Fashion-MNIST end to end (docs/fmnist.md): the CNN and the MLP on the host CPU alone, on the
# digital CIM and on the analog CIM, the MLP as a spiking network on the SNN engine
# (docs/models/snn.md), the int8 MLP on the transport-triggered accelerator (docs/models/tta.md)
# and the int8 CNN on the coarse-grained reconfigurable array (docs/models/cgra.md), on the default
# SoC, and a table of what a user came for:
#   bench/fmnist.sh [BUILD_DIR] [NETS]        (NETS: "cnn mlp" by default)
# Per network and mapping (all the images embedded in the firmware: the first 200 of the test set):
#   accuracy      on those images (the integer model's on the same images, and on the full test set)
#   latency       simulated time per inference (the firmware's "infer" regions)
#   cycles        CPU cycles per inference
#   energy        per inference: everything the SoC spends in the "infer" regions, leakage included
#   TOPS/W        end to end: the network's operations (2 per MAC) / energy per inference
#   weights       one-time energy of the "load_weights" region (programming the CIM array, loading
#                 tta0's parameter memory; on cgra0 only packing the weights in SRAM: its local memory
#                 cannot keep them, they are copied per layer inside "infer")
# and where each inference's energy goes: CPU (instructions; its clock while it waits), memories
# (SRAM, eMRAM, ROM), interconnect, the accelerator, leakage of every block.
# Figures are simulated and deterministic: one run of each is enough.
set -euo pipefail
build=${1:-build/release}
nets=${2:-cnn mlp}
src=$(cd "$(dirname "$0")/.." && pwd)
edgevp=$build/edgevp
fw=$build/firmware/bin
[ -x "$edgevp" ] || { echo "build first: cmake --preset release && cmake --build --preset release" >&2; exit 2; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
runs=()
run() {  # run RUN APP WHAT: edgevp on firmware APP, its report and output kept as RUN
  local elf=$fw/$2.elf
  [ -f "$elf" ] || { echo "$elf missing: build the firmware" >&2; exit 2; }
  echo "fmnist: running $3 ..." >&2
  if ! "$edgevp" --quiet --report "$tmp/$1.json" "$elf" > "$tmp/$1.txt"; then
    echo "edgevp: $2 failed:" >&2; tail -5 "$tmp/$1.txt" >&2; exit 1
  fi
  runs+=("$1")
}
for net in $nets; do
  for mapping in host digital analog; do
    run "$net.$mapping" "fmnist_${net}_${mapping}" "$net on $mapping"
  done
  if [ "$net" = cnn ]; then
    # The int8 CNN on cgra0 (docs/models/cgra.md, firmware/apps/fmnist_cgra): every CONFIG inside
    # "infer".
    run cnn.cgra fmnist_cgra "the cnn on cgra0"
  fi
  if [ "$net" = mlp ]; then
    # The MLP converted to a spiking network, on snn0 (docs/models/snn.md, tools/snn/).
    run mlp.snn fmnist_snn "the spiking mlp on snn0"
    # The int8 MLP on tta0 (docs/models/tta.md, firmware/apps/fmnist_tta).
    run mlp.tta fmnist_tta "the mlp on tta0"
  fi
done
/usr/bin/python3 - "$tmp" "$src/firmware/apps/fmnist" "${runs[@]}" <<'PY'
import json, re, sys
tmp, hdr_dir, runs = sys.argv[1], sys.argv[2], sys.argv[3:]

def network(net):
    """MACs per inference and the integer model's full-test-set accuracy, from the model header."""
    text = open(f"{hdr_dir}/model_{net}.h").read()
    macs = 0
    for kind, h, w, cin, cout in re.findall(r"\{(NN_CONV3X3|NN_FC),\s*(\d+),\s*(\d+),\s*(\d+),\s*(\d+),", text):
        h, w, cin, cout = int(h), int(w), int(cin), int(cout)
        macs += h * w * 9 * cin * cout if kind == "NN_CONV3X3" else cin * cout
    ppm = int(re.search(r"#define FMNIST_INT_ACCURACY_PPM (\d+)", text).group(1))
    return macs, ppm / 1e4

def group(name):
    short = name.split(".")[-1]
    if short == "cpu": return "cpu"
    if short in ("sram", "emram", "rom"): return "memories"
    if short == "bus": return "interconnect"
    if re.fullmatch(r"(cim|snn|tta|cgra)\d+", short): return "accelerator"
    return "other"

SI = {"a": 1e-18, "f": 1e-15, "p": 1e-12, "n": 1e-9, "u": 1e-6, "m": 1e-3, "": 1.0}
def watts(v):
    m = re.fullmatch(r"([-+0-9.eE]+)\s*([afpnum]?)W", str(v))
    return float(m.group(1)) * SI[m.group(2)] if m else 0.0

rows, parts_all = [], {}
for run in runs:
    net, mapping = run.split(".")
    r = json.load(open(f"{tmp}/{run}.json"))
    uart = open(f"{tmp}/{run}.txt").read()
    if mapping == "snn":  # its reference is the spiking model's, not the integer MLP's
        m = re.search(r"fmnist: snn \w+: accuracy (\d+)/(\d+), reference model (\d+)/(\d+)", uart)
    else:
        m = re.search(rf"fmnist: {net} {mapping}: accuracy (\d+)/(\d+), integer model (\d+)/(\d+)", uart)
    correct, n, int_correct = int(m.group(1)), int(m.group(2)), int(m.group(3))
    infer = [g for g in r["regions"] if g["name"] == "infer"]
    load = [g for g in r["regions"] if g["name"] == "load_weights"]
    assert len(infer) == n, (run, len(infer), n)
    e = sum(g["energy_j"] for g in infer) / n
    t = sum(g["end_s"] - g["start_s"] for g in infer) / n
    cyc = sum(g["cycles"] for g in infer) / n
    macs, int_full = network(net)
    if mapping == "snn":
        snn_h = open(f"{hdr_dir}_snn/model_snn.h").read()
        int_full = int(re.search(r"#define SNN_ACCURACY_PPM (\d+)", snn_h).group(1)) / 1e4
    comps = {c["name"]: c for c in r["power"]["components"]}
    parts = {}
    for g in infer:
        dur = g["end_s"] - g["start_s"]
        for name, ej in g["energy_by_component_j"].items():
            src = comps[name]["sources"]
            leak = sum(watts(s["value"]) for s in src if s["kind"] in ("leakage", "retention")) * dur
            bg = sum(watts(s["value"]) for s in src if s["kind"] == "background") * dur
            k = group(name)
            parts["leakage (all blocks)"] = parts.get("leakage (all blocks)", 0) + leak / n
            if k == "cpu":
                parts["cpu: instructions"] = parts.get("cpu: instructions", 0) + (ej - leak - bg) / n
                parts["cpu: clock while waiting/running"] = parts.get("cpu: clock while waiting/running", 0) + bg / n
            else:
                parts[k] = parts.get(k, 0) + (ej - leak) / n
    parts_all[run] = (parts, e)
    rows.append((net, mapping, correct, n, int_correct, int_full, t, cyc, e, 2 * macs / e / 1e12 if e else 0,
                 sum(g["energy_j"] for g in load)))

print(f"Fashion-MNIST on the default SoC (docs/fmnist.md): {rows[0][3]} test images per run")
print(f"{'net':4s} {'mapping':8s} {'accuracy':>9s} {'int model':>9s} {'full set':>8s} {'latency':>10s} {'cycles':>10s}"
      f" {'energy':>10s} {'TOPS/W':>8s} {'weights':>9s}")
print(f"{'':4s} {'':8s} {'(slice)':>9s} {'(slice)':>9s} {'(int)':>8s} {'/ inf':>10s} {'/ inf':>10s} {'/ inf':>10s}"
      f" {'e2e':>8s} {'(once)':>9s}")
for net, mapping, c, n, ic, full, t, cyc, e, tops, load in rows:
    print(f"{net:4s} {mapping:8s} {100 * c / n:8.1f}% {100 * ic / n:8.1f}% {full:7.2f}% {t * 1e3:8.3f}ms {cyc:10.0f}"
          f" {e * 1e6:8.3f}uJ {tops:8.4f} {load * 1e6:7.3f}uJ")
if any(run.endswith(".snn") for run in runs):
    print("(mlp snn: the MLP as a spiking network on snn0; its 'int model' and 'full set' columns are the")
    print(" spiking reference model's, tools/snn/snnref.py; TOPS/W counts the MLP's operations)")
print()
print("Where the energy of one inference goes (nJ, share):")
keys = [("cpu: instructions", "CPU insns"), ("cpu: clock while waiting/running", "CPU clock"),
        ("memories", "memories"), ("interconnect", "bus"), ("accelerator", "accelerator"),
        ("leakage (all blocks)", "leakage"), ("other", "other")]
print(f"{'':12s}" + "".join(f"{label:>16s}" for _, label in keys))
for run, (parts, e) in parts_all.items():
    cells = "".join(f"{max(0.0, 1e9 * parts.get(k, 0)):9.1f} {max(0.0, 100 * parts.get(k, 0) / e):4.1f}%" + " "
                    for k, _ in keys)
    print(f"{run:12s}" + cells)
PY

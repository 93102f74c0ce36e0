#!/usr/bin/env bash
# CIM efficiency against the published figures it is calibrated to (CALIBRATION.md, reference
# scenarios 1 and 2):
#   bench/cim_tops.sh [BUILD_DIR]
# Four runs of the simulator with --report:
#   (a) the default SoC (cim0 = cim-digital 256x256, cim1 = cim-analog 256x256: the 22 nm 8-Mb
#       RRAM macro of JSSC 2023, 8-bit DAC/ADC, dc-free readout, 8 rows per conversion) running
#       cim_peak: the whole array programmed, then per precision a chain of MVMs over all rows and
#       columns (full utilisation), each precision in a region "cim<i>.peak_i<in>w<w>";
#   (a') configs/neurram.cfg: a NeuRRAM-like core (bit-serial inputs, 6-bit ADC, current readout)
#       running cim_peak;
#   (b) configs/diana.cfg: DIANA's analog core (1152 x 512 SRAM cells, 6-bit ADC) running cim_peak;
#   (c) cim_mvm on the default SoC (small 64 x 32 tiles, checked against the CPU: a real,
#       mostly idle, workload).
# Per peak region it prints:
#   macro TOPS/W  = the accelerator's operations (2 per MAC) / the accelerator's own energy in
#                   the region (its MACs, ADC/DAC/cell events, register accesses, leakage); this is
#                   what the published macro figures measure;
#   GOPS          = operations / region duration (input DMA, compute and output DMA overlapped);
#   system TOPS/W = operations / all the energy of the region: the host waiting in WFI (clock
#                   running), SRAM reads and writes of the DMA, interconnect transfers, every
#                   block's leakage, the other accelerator's leakage;
#   published     = the figure each run is calibrated to, and modelled macro / published:
#                   (a) digital i4w4 254 and i8w8 63 TOPS/W (Fujiwara et al., ISSCC 2022; i4w8 and
#                   i8w4 have no published figure: the model takes the geometric mean); analog
#                   i8w8 21.6 TOPS/W (22 nm 8 Mb RRAM macro, 8b/8b/19b, JSSC 2023); (a') i4w4
#                   ~40 TOPS/W (NeuRRAM, 4-bit weights); (b) i7w2 600 TOPS/W peak (DIANA, 7b in /
#                   ternary w / 6b out, ISSCC 2022). Other precisions of a run have no figure.
# Then where the energy of one region goes (scenario 2, "peak vs end-to-end"): accelerator, CPU
# instructions, CPU clock while waiting, SRAM, interconnect, leakage of all blocks, the rest; and
# for (c) the end-to-end TOPS/W of the whole cim_mvm run (all accelerators' operations / total
# energy) and per MVM region.
# Energy, time and operations are simulated and deterministic (same configuration and firmware,
# same report), so one run of each is enough: no medians.
set -euo pipefail
build=${1:-build/release}
edgevp=$build/edgevp
fw=$build/firmware/bin
[ -x "$edgevp" ] || { echo "build first: cmake --preset release && cmake --build --preset release" >&2; exit 2; }
for app in cim_peak cim_mvm; do
  [ -f "$fw/$app.elf" ] || { echo "$fw/$app.elf missing: build the firmware" >&2; exit 2; }
done
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
src=$(cd "$(dirname "$0")/.." && pwd)

run() {  # label, elf, expected last line, options...
  local label=$1 elf=$2 ok=$3; shift 3
  if ! "$edgevp" --quiet --report "$tmp/$label.json" "$@" "$elf" > "$tmp/$label.txt"; then
    echo "edgevp run '$label' failed:" >&2; cat "$tmp/$label.txt" >&2; exit 1
  fi
  grep -q "$ok" "$tmp/$label.txt" || { echo "run '$label': no '$ok'" >&2; cat "$tmp/$label.txt" >&2; exit 1; }
}
run peak "$fw/cim_peak.elf" "cim_peak: ok"
run neurram "$fw/cim_peak.elf" "cim_peak: ok" --config "$src/configs/neurram.cfg"
run diana "$fw/cim_peak.elf" "cim_peak: ok" --config "$src/configs/diana.cfg"
run mvm "$fw/cim_mvm.elf" "cim_mvm: ok"

/usr/bin/python3 - "$tmp" <<'PY'
import json, re, sys
d = sys.argv[1]
rep = {k: json.load(open(f"{d}/{k}.json")) for k in ("peak", "neurram", "diana", "mvm")}

def comp_name(names, inst):
    """The power component of instance `inst` (e.g. cim0) among `names`."""
    for n in names:
        if n == inst or n.endswith("." + inst):
            return n
    raise SystemExit(f"no power component for {inst} in {sorted(names)}")

def accel(r, inst):
    for a in r["accelerators"]:
        if a["name"] == inst or a["name"].endswith("." + inst):
            return a
    raise SystemExit(f"no accelerator {inst} in the report")

PUB = {  # (run, kind, precision): (TOPS/W, source)
    ("peak", "cim-digital", "i4w4"): (254.0, "Fujiwara ISSCC'22, 4b"),
    ("peak", "cim-digital", "i8w8"): (63.0, "Fujiwara ISSCC'22, 8b"),
    ("peak", "cim-analog", "i8w8"): (21.6, "22nm 8Mb RRAM macro 8b/8b/19b, JSSC'23"),
    ("neurram", "cim-analog", "i4w4"): (40.0, "NeuRRAM ~40, 4b w"),
    ("diana", "cim-analog", "i7w2"): (600.0, "DIANA peak 7b/tern/6b"),
}

def published(run, kind, prec):
    return PUB.get((run, kind, prec))

def peak_rows(run, only=None):
    r = rep[run]
    rows = []
    for g in r["regions"]:
        m = re.fullmatch(r"(cim\d+)\.peak_(i\d+w\d+)", g["name"])
        if not m or (only and m.group(1) not in only):
            continue
        inst, prec = m.groups()
        a = accel(r, inst)
        shape = f"{int(a['rows'])}x{int(a['cols'])}"
        c = comp_name(g["energy_by_component_j"], inst)
        ops = g["operations"].get(c, 0)
        acc_j = g["energy_by_component_j"][c]
        dur = g["end_s"] - g["start_s"]
        rows.append(dict(run=run, region=g["name"], inst=inst, kind=a["kind"], shape=shape, prec=prec, ops=ops,
                         acc_j=acc_j, dur=dur, total_j=g["energy_j"], g=g, r=r))
    return rows

def table(title, rows):
    print(title)
    print(f"  {'region':16s} {'kind':11s} {'array':8s} {'ops':>11s} {'accel nJ':>9s} {'macro':>7s} {'GOPS':>8s}"
          f" {'region nJ':>10s} {'system':>7s} {'published':>9s} {'ratio':>6s}  source")
    print(f"  {'':16s} {'':11s} {'':8s} {'':>11s} {'':>9s} {'TOPS/W':>7s} {'':>8s} {'':>10s} {'TOPS/W':>7s}"
          f" {'TOPS/W':>9s} {'':>6s}")
    for x in rows:
        macro = x["ops"] / x["acc_j"] / 1e12
        system = x["ops"] / x["total_j"] / 1e12
        gops = x["ops"] / x["dur"] / 1e9
        p = published(x["run"], x["kind"], x["prec"])
        pub = f"{p[0]:9.1f} {macro / p[0]:6.2f}  {p[1]}" if p else f"{'-':>9s} {'-':>6s}"
        print(f"  {x['region']:16s} {x['kind']:11s} {x['shape']:8s} {x['ops']:11d} {x['acc_j'] * 1e9:9.2f} {macro:7.1f}"
              f" {gops:8.1f} {x['total_j'] * 1e9:10.2f} {system:7.2f} {pub}")
    print()

SI = {"a": 1e-18, "f": 1e-15, "p": 1e-12, "n": 1e-9, "u": 1e-6, "m": 1e-3, "": 1.0}

def si(v):
    """A source's value as the report gives it ("35.5uW", "7.87402fJ") in W or J."""
    m = re.fullmatch(r"([-+0-9.eE]+)\s*([afpnum]?)[WJ]", str(v))
    if not m:
        raise SystemExit(f"cannot read power value {v!r} (a table over voltage?)")
    return float(m.group(1)) * SI[m.group(2)]

def breakdown(x):
    """Where the energy of region x goes: dynamic energy by block, static (leakage) of all."""
    g, r = x["g"], x["r"]
    dur = x["dur"]
    comps = {c["name"]: c for c in r["power"]["components"]}
    parts = {}
    def add(k, v):
        parts[k] = parts.get(k, 0.0) + v
    for name, e in g["energy_by_component_j"].items():
        src = comps[name]["sources"]
        leak = sum(si(s["value"]) for s in src if s["kind"] == "leakage") * dur
        bg = sum(si(s["value"]) for s in src if s["kind"] == "background") * dur
        dyn = e - leak - bg
        add("leakage, all blocks", leak)
        short = name.split(".")[-1]
        if short == x["inst"]:
            add(f"accelerator {x['inst']} (MACs, periphery, registers)", dyn + bg)
        elif short == "cpu":
            add("CPU instructions (driver, interrupt)", dyn)
            add("CPU clock while waiting (background)", bg)
        elif short == "sram":
            add("SRAM (DMA reads/writes, CPU data)", dyn + bg)
        elif short in ("bus", "router", "interconnect"):
            add("interconnect transfers", dyn + bg)
        else:
            add("other blocks (dynamic)", dyn + bg)
    total = g["energy_j"]
    print(f"Where the energy of {x['region']} goes ({x['kind']} {x['shape']}, {dur * 1e6:.2f} us, "
          f"{total * 1e9:.2f} nJ, {x['ops'] / total / 1e12:.2f} TOPS/W system vs "
          f"{x['ops'] / x['acc_j'] / 1e12:.1f} macro):")
    for k, v in sorted(parts.items(), key=lambda kv: -kv[1]):
        print(f"  {k:48s} {v * 1e9:10.3f} nJ {100 * v / total:6.2f} %")
    print(f"  {'(components, ' + str(len(g['energy_by_component_j'])) + ', sum)':48s} "
          f"{sum(parts.values()) * 1e9:10.3f} nJ")
    print()

a = peak_rows("peak")
s = peak_rows("neurram", only={"cim1"})
b = peak_rows("diana", only={"cim1"})
table("(a) default SoC, cim_peak: full array, 256 vectors per precision (4 chained MVMs of 64), int8 out", a)
table("(a') NeuRRAM-like cim1 (configs/neurram.cfg: bit-serial inputs, 6-bit ADC, current readout), cim_peak", s)
table("(b) DIANA's analog core as cim1 (configs/diana.cfg: 1152x512 SRAM cells, 6-bit ADC), cim_peak", b)
for x in a + b:
    if (x["run"], x["kind"], x["prec"]) in (("peak", "cim-digital", "i4w4"), ("diana", "cim-analog", "i7w2")):
        breakdown(x)

m = rep["mvm"]
cims = [a_["name"] for a_ in m["accelerators"] if a_["kind"].startswith("cim-")]
ops_all = sum(a_["operations"] for a_ in m["accelerators"])
acc_all = sum(a_["energy_j"] for a_ in m["accelerators"])
tot = m["power"]["total_energy_j"]
print("(c) cim_mvm on the default SoC (64x32 tiles of 256x256 arrays, 8-vector batches, CPU checks)")
print(f"  whole run: {ops_all} accelerator ops, {tot * 1e6:.3f} uJ total ({acc_all * 1e9:.2f} nJ in the accelerators), "
      f"{m['simulated_time_s'] * 1e3:.3f} ms simulated")
print(f"  end-to-end: {ops_all / tot / 1e12:.6f} TOPS/W ({ops_all / tot / 1e9:.3f} GOPS/W); "
      f"accelerators alone {ops_all / acc_all / 1e12:.2f} TOPS/W")
print(f"  {'region':18s} {'ops':>9s} {'accel nJ':>9s} {'macro TOPS/W':>12s} {'region nJ':>10s} {'system TOPS/W':>13s} {'GOPS':>7s}")
for g in m["regions"]:
    if not re.fullmatch(r"cim\d+\.mvm_i\d+w\d+|cim\.concurrent", g["name"]):
        continue
    cs = [comp_name(g["energy_by_component_j"], c) for c in cims]
    ops = sum(g["operations"].get(c, 0) for c in cs)
    acc_j = sum(g["energy_by_component_j"][c] for c in cs)
    dur = g["end_s"] - g["start_s"]
    print(f"  {g['name']:18s} {ops:9d} {acc_j * 1e9:9.3f} {ops / acc_j / 1e12:12.2f} {g['energy_j'] * 1e9:10.3f}"
          f" {ops / g['energy_j'] / 1e12:13.3f} {ops / dur / 1e9:7.2f}")
PY

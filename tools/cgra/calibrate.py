#!/usr/bin/env python3
"""Fits the CGRA's unpublished energy parameters to the ratios Blocks publishes.

Wijtvliet et al. (IEEE TCAD 2022) publish, for the same kernels, how much less energy Blocks spends
than a SIMD processor (1.84x), a VLIW processor (2.05x) and a conventional CGRA (1.22x), and no
absolute energy per event (CALIBRATION.md: U). This tool takes a run of firmware/apps/cgra_kernels
(edgevp --report) whose regions `cgra.<kernel>.<mapping>.<size>` hold each mapping's RUN, reads
from the report the events each power source of cgra0 was charged for in each region (its
`basis`), and searches the parameters marked free below, within plausible bounds, for the set
whose energy ratios (mapping over blocks) come closest to the published ones on every kernel at
once (least squares on the logarithms). The memories keep CALIBRATION.md's SRAM figures. It prints
the fitted values; models/accelerators/cgra/cgra.cc carries them as its defaults.

    /usr/bin/python3 tools/cgra/calibrate.py REPORT.json

One set of parameters for all kernels: how closely both kernels come back is the only check of the
fit (bench/cgra.sh prints it); the absolute energies stay unvalidated.
"""
import json
import math
import random
import sys

PUBLISHED = {"simd": 1.84, "vliw": 2.05, "cgra": 1.22}
# Free parameters: (starting value J, lower bound, upper bound): the starting values are the first
# guesses cgra.cc had before the fit. The rest keep their configured values.
FREE = {
    "fetch": (1.94e-12, 1.44e-12, 6.0e-12),     # at least the 32-bit instruction read
    "ctrl_hop": (0.1e-12, 0.01e-12, 1.0e-12),
    "data_hop": (0.1e-12, 0.01e-12, 1.0e-12),
    "rf_read": (0.5e-12, 0.1e-12, 3.0e-12),
    "rf_write": (0.7e-12, 0.1e-12, 3.0e-12),
    "unit_cycle": (0.05e-12, 0.005e-12, 0.5e-12),
    "alu_op": (0.2e-12, 0.05e-12, 1.0e-12),
    "dot8_op": (0.8e-12, 0.2e-12, 3.0e-12),
}


def regions(report):
    """{(kernel, mapping, size): {source: basis}} and the fixed energy (other sources, leakage)."""
    out = {}
    for t in report["region_totals"]:
        parts = t["name"].split(".")
        if len(parts) != 4 or parts[0] != "cgra":
            continue
        basis, fixed = {}, 0.0
        for s in t["sources"]:
            if s["component"] != "soc.cgra0":
                continue
            if s["source"] in FREE:
                basis[s["source"]] = s["basis"]
            else:
                fixed += s["energy_j"]
        out[tuple(parts[1:])] = (basis, fixed)
    return out


def energy(case, p):
    basis, fixed = case
    return fixed + sum(p[k] * basis.get(k, 0.0) for k in p)


def cost(cases, p):
    c = 0.0
    for (kernel, mapping, size), case in cases.items():
        if mapping not in PUBLISHED:
            continue
        base = cases[(kernel, "blocks", size)]
        c += math.log(energy(case, p) / energy(base, p) / PUBLISHED[mapping]) ** 2
    return c


def fit(cases, rounds=4000, seed=1):
    rng = random.Random(seed)
    p = {k: v[0] for k, v in FREE.items()}
    best = cost(cases, p)
    step = 0.5
    for i in range(rounds):
        k = rng.choice(list(FREE))
        lo, hi = FREE[k][1], FREE[k][2]
        q = dict(p)
        q[k] = min(hi, max(lo, p[k] * math.exp(rng.uniform(-step, step))))
        c = cost(cases, q)
        if c < best:
            p, best = q, c
        if i % 500 == 499:
            step *= 0.7
    return p, best


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        print("usage: calibrate.py REPORT.json", file=sys.stderr)
        return 2
    cases = regions(json.load(open(sys.argv[1])))
    if not cases:
        print(f"{sys.argv[1]}: no regions cgra.<kernel>.<mapping>.<size> (a report of cgra_kernels?)",
              file=sys.stderr)
        return 1
    p, c = fit(cases)
    for k, v in p.items():
        print(f"{k:12s} {v * 1e12:8.4f} pJ   (was {FREE[k][0] * 1e12:.4f})")
    for (kernel, mapping, size), case in sorted(cases.items()):
        if mapping in PUBLISHED:
            r = energy(case, p) / energy(cases[(kernel, "blocks", size)], p)
            print(f"{kernel}.{mapping}.{size}: {r:.3f}x (published {PUBLISHED[mapping]:.2f}x)")
    print(f"cost {c:.5f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

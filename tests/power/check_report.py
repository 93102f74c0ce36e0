#!/usr/bin/python3
"""Checks edgevp's energy accounting against an independent calculation from the configured
parameters (the power values the report lists, and counts and times the run reports).

  check_report.py dvfs REPORT OPP...        OPP = VOLT@HZ in region order (opp0, opp1, ...)
  check_report.py duty_cycle REPORT CSV     whole-run average power, and deep-sleep rows of the CSV

Exit status 0 when every check holds within 1 %; each check prints one line.
"""
import json
import re
import sys

PREFIX = {"a": 1e-18, "f": 1e-15, "p": 1e-12, "n": 1e-9, "u": 1e-6, "m": 1e-3, "": 1.0, "k": 1e3, "M": 1e6}
failures = 0


def quantity(text):
    m = re.fullmatch(r"([0-9.eE+-]+)([afpnumkM]?)[JW]", text)
    if not m:
        raise SystemExit(f"cannot read parameter value '{text}' (tables are not supported by this check)")
    return float(m.group(1)) * PREFIX[m.group(2)]


def check(ok, what):
    global failures
    print(("PASS " if ok else "FAIL ") + what)
    if not ok:
        failures += 1


def close(got, want, rel=0.01):
    return abs(got - want) <= rel * abs(want)


def params(report, component):
    for c in report["power"]["components"]:
        if c["name"].split(".")[-1] == component:
            return {s["name"]: (s["kind"], quantity(s["value"]), s["events"]) for s in c["sources"]}
    raise SystemExit(f"no component {component} in the report")


def dvfs(report_path, opps):
    r = json.load(open(report_path))
    cpu = params(r, "cpu")
    ref_v, ref_f = opps[0]
    e_insn = [v for k, (kind, v, _) in cpu.items() if k.startswith("insn.")]
    check(len(set(e_insn)) == 1, "every instruction class has the same energy (this check assumes so)")
    regions = {g["name"]: g for g in r["regions"]}
    for i, (v, f) in enumerate(opps):
        g = regions[f"opp{i}"]
        t = g["end_s"] - g["start_s"]
        s = v / ref_v
        want = (g["instructions"] * e_insn[0] * s * s + cpu["background"][1] * s * s * (f / ref_f) * t
                + cpu["leakage"][1] * s * t)
        got = g["energy_by_component_j"].get("soc.cpu", 0.0)
        check(close(got, want), f"opp{i}: CPU energy {got:.6e} J vs {want:.6e} J from the parameters")
        if i > 0:
            g0 = regions["opp0"]
            ratio = t / (g0["end_s"] - g0["start_s"])
            check(close(ratio, ref_f / f, 0.05), f"opp{i}: takes {ratio:.3f} x the time of opp0 (clock ratio {ref_f / f:.3f})")


def duty_cycle(report_path, csv_path):
    r = json.load(open(report_path))
    p = r["power"]
    total_t = r["simulated_time_s"]
    # Independent total: every event source's count x its energy, every static source's power x the
    # time its domain spent in the states where it applies. (The run stays at the reference OPP.)
    domains = {d["name"]: d["residency_s"] for d in p["domains"]}
    want = 0.0
    for c in p["components"]:
        res = domains[c["domain"]]
        for s in c["sources"]:
            v = quantity(s["value"])
            if s["kind"] == "event":
                want += s["events"] * v
            elif s["kind"] == "background":
                want += v * res["on"]
            elif s["kind"] == "leakage":
                want += v * (res["on"] + res["clock_gated"])
            elif s["kind"] == "retention":
                want += v * res["retention"]
    got = p["average_power_w"]
    check(close(got, want / total_t), f"average power {got:.6e} W vs {want / total_t:.6e} W from the parameters")
    # Deep sleep: the rows where every domain but the always-on one is off (or SRAM in retention)
    # read the always-on domain's configured leakage.
    aon = sum(quantity(s["value"]) for c in p["components"] if c["domain"] == "aon"
              for s in c["sources"] if s["kind"] == "leakage")
    sram_ret = sum(quantity(s["value"]) for c in p["components"] if c["domain"] == "sram"
                   for s in c["sources"] if s["kind"] == "retention")
    lines = open(csv_path).read().splitlines()
    head = lines[0].split(",")
    state_cols = [i for i, h in enumerate(head) if h.endswith("_state") and h != "aon_state"]
    total_col = head.index("total_W")
    sleeping = []
    asleep_before = False  # a row's states are those at its end: a row is all deep sleep when
    for row in lines[1:-1]:  # the row before it ended asleep too (the last row may be partial)
        f = row.split(",")
        states = {head[i][:-6]: f[i] for i in state_cols}
        asleep = all(v in ("off", "retention") for v in states.values())
        if asleep and asleep_before:
            expect = aon + (sram_ret if states.get("sram") == "retention" else 0.0)
            sleeping.append((float(f[total_col]), expect))
        asleep_before = asleep
    check(len(sleeping) > 0, f"{len(sleeping)} power-trace rows in deep sleep")
    bad = [(w, e) for w, e in sleeping if not close(w, e)]
    check(not bad, f"deep-sleep rows read the configured deep-sleep power ({aon:.3e} W)"
          + (f"; first mismatch {bad[0][0]:.6e} W" if bad else ""))


def main():
    if len(sys.argv) >= 4 and sys.argv[1] == "dvfs":
        opps = []
        for o in sys.argv[3:]:
            v, f = o.split("@")
            opps.append((float(v), float(f)))
        dvfs(sys.argv[2], opps)
    elif len(sys.argv) == 4 and sys.argv[1] == "duty_cycle":
        duty_cycle(sys.argv[2], sys.argv[3])
    else:
        raise SystemExit(__doc__)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""--vcd and --power-vcd write GTKWave save files beside the VCDs: every trace they name exists in
its VCD (scopes joined by '.', no bit range), the groups are balanced, and the accelerators' busy
lines rise and fall (a job ran) with their job numbers counting.
    waveview.py EDGEVP FIRMWARE.elf WORKDIR"""
import os
import re
import subprocess
import sys


def vcd_signals(path):
    """Full names of a VCD's variables, and their id codes."""
    scope, names = [], {}
    with open(path) as f:
        for line in f:
            tok = line.split()
            if not tok:
                continue
            if tok[0] == "$scope":
                scope.append(tok[2])
            elif tok[0] == "$upscope":
                scope.pop()
            elif tok[0] == "$var":
                names[".".join(scope + [tok[4]])] = tok[3]
            elif tok[0] == "$enddefinitions":
                break
    return names


def changes(path, code):
    """Values a variable takes, in order (scalar and vector changes)."""
    out = []
    with open(path) as f:
        body = False
        for line in f:
            if line.startswith("$enddefinitions"):
                body = True
                continue
            if not body:
                continue
            line = line.strip()
            if line[:1] in "01xz" and line[1:] == code:
                out.append(line[0])
            elif line.startswith("b") and line.split()[-1] == code:
                out.append(int(line.split()[0][1:], 2))
    return out


def check_view(gtkw, vcd):
    names = vcd_signals(vcd)
    traces, depth = [], 0
    with open(gtkw) as f:
        lines = [l.rstrip("\n") for l in f]
    assert lines and lines[0].startswith("[*]"), f"{gtkw}: no header"
    assert f'[dumpfile] "{os.path.basename(vcd)}"' in lines, f"{gtkw}: dumpfile is not {vcd}"
    flags = 0
    for l in lines:
        if l.startswith("@"):
            flags = int(l[1:], 16)
            if flags & (1 << 23):
                depth += 1
            if flags & (1 << 24):
                depth -= 1
        elif l and l[0] not in "[-*@":
            traces.append(l)
    assert depth == 0, f"{gtkw}: groups do not balance"
    assert traces, f"{gtkw}: no traces"
    missing = [t for t in traces if t not in names]
    assert not missing, f"{gtkw}: traces not in {vcd}: {missing}"
    return traces, names


def main():
    edgevp, elf, work = sys.argv[1:4]
    os.makedirs(work, exist_ok=True)
    vcd, pvcd = os.path.join(work, "run.vcd"), os.path.join(work, "power.vcd")
    subprocess.run([edgevp, "--quiet", "--vcd", vcd, "--power-vcd", pvcd, "--power-interval", "10us", elf],
                   check=True, stdout=subprocess.DEVNULL)
    traces, names = check_view(os.path.join(work, "run.gtkw"), vcd)
    for t in ("SystemC.irq.uart", "SystemC.cpu.sleeping", "SystemC.cim0.busy", "SystemC.cim0.job"):
        assert t in traces, f"run.gtkw does not show {t}"
    busy = changes(vcd, names["SystemC.cim0.busy"])
    jobs = [j for j in changes(vcd, names["SystemC.cim0.job"]) if isinstance(j, int)]
    assert busy.count("1") >= 2 and busy[-1] == "0", f"cim0.busy does not rise and fall: {busy[:10]}"
    # A job shorter than a delta cycle shows no busy pulse, but its number does count.
    assert jobs and jobs == sorted(jobs) and jobs[-1] >= busy.count("1"), f"cim0.job does not count the jobs: {jobs[:10]}"
    ptraces, _ = check_view(os.path.join(work, "power.gtkw"), pvcd)
    for t in ("power.cpu_W", "power.total_W", "power.cim0_state"):
        assert t in ptraces, f"power.gtkw does not show {t}"
    print(f"ok: {len(traces)} + {len(ptraces)} traces shown, cim0 ran {jobs[-1]} jobs")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as e:
        print("FAIL:", e)
        sys.exit(1)

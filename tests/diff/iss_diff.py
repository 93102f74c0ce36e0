#!/usr/bin/python3
"""Differential test of the edgevp ISS against QEMU (qemu-riscv32, Linux user mode).

For each seed, rvgen.py writes a random RV32IMAC program. It is assembled once and linked twice
with the same layout (wrap/diff.ld): with wrap/edgevp.c into a bare-metal edgevp image that dumps
its registers and scratch buffer to the UART, and with wrap/linux.c into a Linux user image that
writes the same dump to stdout. Both images run, and the dumps must be identical.

On a mismatch the program is cut down block by block (bisection on the number of top-level
blocks) to the first block after which the two disagree; the report names the seed, that block's
disassembly, every register or scratch word that differs with both values, and the command that
reproduces it. The failing program's files are kept.

    iss_diff.py --edgevp BUILD/edgevp --memmap BUILD/memmap [--seeds N] [--first-seed S]
                [--insns N] [--jobs J] [--work DIR] [--keep]

Prints one summary line: programs, instructions the programs executed on edgevp (its report's
region "body", which also counts the 31 stores of the dump), mismatches, wall time.
Exit status: 0 all agree, 1 a mismatch, 2 a setup error.
"""

import argparse
import concurrent.futures
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import rvgen  # noqa: E402

WRAP = os.path.join(HERE, "wrap")
HAL_INCLUDE = os.path.join(ROOT, "firmware", "hal", "include")
ARCH = ["-march=rv32imac_zicsr_zifencei", "-mabi=ilp32"]


class Setup:
    def __init__(self, args):
        self.args = args
        self.gcc = args.cross_prefix + "gcc"
        self.objdump = args.cross_prefix + "objdump"
        self.nm = args.cross_prefix + "nm"
        self.cflags = ARCH + ["-ffreestanding", "-nostdlib", "-O2", "-g", "-Wall", "-Wextra", "-Werror",
                              "-fno-builtin", "-fno-tree-loop-distribute-patterns",
                              "-I" + WRAP, "-I" + HAL_INCLUDE, "-I" + args.memmap]
        self.ldflags = ["-march=rv32imac", "-mabi=ilp32", "-nostdlib", "-static", "-Wl,--no-relax",
                        "-Wl,--no-warn-rwx-segments", "-L" + args.memmap, "-T" + os.path.join(WRAP, "diff.ld")]
        self.work = args.work
        self.wrap_objs = {}

    def build_wrappers(self):
        d = os.path.join(self.work, "wrap")
        os.makedirs(d, exist_ok=True)
        objs = {}
        for src in ("start.S", "report.c", "edgevp.c", "linux.c"):
            obj = os.path.join(d, src.rsplit(".", 1)[0] + ".o")
            run_checked([self.gcc] + self.cflags + ["-c", os.path.join(WRAP, src), "-o", obj])
            objs[src] = obj
        common = [objs["start.S"], objs["report.c"]]
        self.wrap_objs = {"edgevp": common + [objs["edgevp.c"]], "qemu": common + [objs["linux.c"]]}


def run_checked(cmd, **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if p.returncode != 0:
        raise RuntimeError(f"command failed ({p.returncode}): {' '.join(cmd)}\n{p.stdout}{p.stderr}")
    return p


class Outcome:
    def __init__(self):
        self.ok = False
        self.instructions = 0
        self.edgevp_rc = None
        self.qemu_rc = None
        self.edgevp_out = ""
        self.qemu_out = ""
        self.edgevp_err = ""
        self.qemu_err = ""
        self.elf = {}


def build_and_run(setup, text, stem):
    """Assembles, links and runs one program on both sides; returns an Outcome."""
    o = Outcome()
    src, obj = stem + ".s", stem + ".o"
    with open(src, "w") as f:
        f.write(text)
    run_checked([setup.gcc] + setup.cflags + ["-c", src, "-o", obj])
    for side in ("edgevp", "qemu"):
        elf = f"{stem}.{side}.elf"
        run_checked([setup.gcc] + setup.ldflags + setup.wrap_objs[side] + [obj, "-o", elf])
        o.elf[side] = elf
    args = setup.args
    report = stem + ".report.json"
    try:
        p = subprocess.run([args.edgevp, "--max-time", "10s", "--report", report, o.elf["edgevp"]],
                           capture_output=True, text=True, timeout=args.timeout)
        o.edgevp_rc, o.edgevp_out, o.edgevp_err = p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired:
        o.edgevp_rc, o.edgevp_err = "timeout", f"no exit within {args.timeout} s"
    try:
        p = subprocess.run([args.qemu, o.elf["qemu"]], capture_output=True, text=True, timeout=args.timeout)
        o.qemu_rc, o.qemu_out, o.qemu_err = p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired:
        o.qemu_rc, o.qemu_err = "timeout", f"no exit within {args.timeout} s"
    if o.edgevp_rc == 0:
        try:
            with open(report) as f:
                regions = json.load(f).get("regions", [])
            o.instructions = sum(r["instructions"] for r in regions if r["name"] == "body")
        except (OSError, ValueError, KeyError):
            pass
    o.ok = o.edgevp_rc == 0 and o.qemu_rc == 0 and o.edgevp_out == o.qemu_out and o.edgevp_out.endswith("end\n")
    return o


def parse_dump(text):
    """{'x1': value, ..., 'm<offset>': value} from a dump (report.c's format)."""
    d = {}
    for line in text.splitlines():
        parts = line.split()
        if not parts:
            continue
        if parts[0].startswith("x") and len(parts) == 2:
            d[parts[0]] = int(parts[1], 16)
        elif parts[0].startswith("m"):
            base = int(parts[0][1:], 16)
            for i, w in enumerate(parts[1:]):
                d[f"m{base + 4 * i:04x}"] = int(w, 16)
    return d


def describe_differences(o, scratch_addr, limit=12):
    lines = []
    if o.edgevp_rc != 0 or o.qemu_rc != 0:
        lines.append(f"  exit: edgevp {o.edgevp_rc}, qemu {o.qemu_rc}")
        for name, err in (("edgevp", o.edgevp_err), ("qemu", o.qemu_err)):
            if err.strip() and (o.edgevp_rc if name == "edgevp" else o.qemu_rc) != 0:
                lines += [f"  {name} stderr: {line}" for line in err.strip().splitlines()[-3:]]
    a, b = parse_dump(o.edgevp_out), parse_dump(o.qemu_out)
    diffs = []
    for key in sorted(set(a) | set(b), key=lambda k: (k[0] != "x", int(k[1:], 16) if k[0] == "m" else int(k[1:]))):
        va, vb = a.get(key), b.get(key)
        if va == vb:
            continue
        if key[0] == "x":
            name = f"{key} ({rvgen.ABI[int(key[1:])]})"
        else:
            off = int(key[1:], 16)
            name = f"scratch+{off:#06x}" + (f" ({scratch_addr + off:#010x})" if scratch_addr else "")
        fa = "missing" if va is None else f"{va:#010x}"
        fb = "missing" if vb is None else f"{vb:#010x}"
        diffs.append(f"  {name}: edgevp {fa}, qemu {fb}")
    lines += diffs[:limit]
    if len(diffs) > limit:
        lines.append(f"  ... and {len(diffs) - limit} more")
    return lines


def symbols(setup, elf):
    p = run_checked([setup.nm, elf])
    out = {}
    for line in p.stdout.splitlines():
        parts = line.split()
        if len(parts) == 3:
            out[parts[2]] = int(parts[0], 16)
    return out


def disassemble(setup, elf, lo, hi):
    p = run_checked([setup.objdump, "-d", "-M", "no-aliases", f"--start-address={lo:#x}", f"--stop-address={hi:#x}",
                     elf])
    lines = p.stdout.splitlines()
    # Keep the instruction lines (and labels), not objdump's file header.
    start = next((i for i, l in enumerate(lines) if l.startswith("Disassembly")), -1) + 1
    return [l for l in lines[start:] if l.strip()]


def check_seed(setup, seed):
    """Runs one seed; returns (seed, ok, instructions, report lines)."""
    args = setup.args
    prog = rvgen.generate(seed, args.insns)
    d = os.path.join(setup.work, f"seed-{seed}")
    os.makedirs(d, exist_ok=True)
    try:
        o = build_and_run(setup, prog.render(), os.path.join(d, "full"))
    except RuntimeError as e:
        return seed, False, 0, [f"seed {seed}: build failed", str(e)]
    if o.ok:
        if not args.keep:
            shutil.rmtree(d, ignore_errors=True)
        return seed, True, o.instructions, []
    try:
        return seed, False, o.instructions, localise(setup, seed, prog, o, d)
    except (RuntimeError, OSError, KeyError) as e:
        lines = [f"MISMATCH seed {seed} (bisection failed: {e})"] + describe_differences(o, 0)
        return seed, False, o.instructions, lines


def localise(setup, seed, prog, full, d):
    """Bisects on the number of blocks: the first block after which edgevp and QEMU disagree."""
    args = setup.args
    nblocks = len(prog.blocks)
    cache = {nblocks: full}

    def outcome(k):
        if k not in cache:
            cache[k] = build_and_run(setup, prog.render(k), os.path.join(d, f"prefix{k}"))
        return cache[k]

    sym = symbols(setup, full.elf["edgevp"])
    scratch = sym.get("diff_scratch", 0)
    lines = [f"MISMATCH seed {seed}: {nblocks} blocks, --insns {args.insns}"]
    if outcome(0).ok:
        lo, hi = 0, nblocks  # blocks[:lo] agree, blocks[:hi] do not
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if outcome(mid).ok:
                lo = mid
            else:
                hi = mid
        culprit = outcome(hi)
        first = f"diff_blk_{hi - 1:04d}"
        nxt = f"diff_blk_{hi:04d}" if hi < nblocks else "diff_blk_end"
        psym = symbols(setup, culprit.elf["edgevp"])
        if hi == nblocks:
            nxt = "diff_blk_end"
        lo_addr, hi_addr = psym[first], psym.get(nxt, psym["diff_blk_end"])
        lines.append(f"the first {hi - 1} blocks agree; block {hi - 1} ({first}, {lo_addr:#010x}..{hi_addr:#010x}) "
                     f"is the first after which they differ:")
        lines += ["    " + l for l in disassemble(setup, culprit.elf["edgevp"], lo_addr, hi_addr)]
        lines.append(f"differences after block {hi - 1} (program cut there, {d}/prefix{hi}.s):")
        lines += describe_differences(culprit, scratch)
    else:
        lines.append("the register initialisation alone already differs:")
        lines += describe_differences(outcome(0), scratch)
    lines.append("differences at the end of the whole program:")
    lines += describe_differences(full, scratch)
    here = os.path.relpath(os.path.abspath(__file__))
    lines.append(f"reproduce: {here} --edgevp {args.edgevp} --memmap {args.memmap} "
                 f"--first-seed {seed} --seeds 1 --insns {args.insns} --keep --work DIR")
    lines.append(f"files kept in {d} (full.s, full.edgevp.elf, full.qemu.elf, prefix<K>.*)")
    return lines


def main():
    ap = argparse.ArgumentParser(description="edgevp ISS vs qemu-riscv32 on random RV32IMAC programs")
    ap.add_argument("--edgevp", required=True, help="the edgevp binary")
    ap.add_argument("--memmap", required=True, help="directory with edgevp_memmap.h/.ld (edgevp --gen-memmap)")
    ap.add_argument("--qemu", default="qemu-riscv32")
    ap.add_argument("--cross-prefix", default="riscv64-unknown-elf-")
    ap.add_argument("--seeds", type=int, default=1, help="number of programs")
    ap.add_argument("--first-seed", type=int, default=1)
    ap.add_argument("--insns", type=int, default=3000, help="instructions per program (generator's estimate)")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=60.0, help="host seconds per simulator run")
    ap.add_argument("--work", default=None, help="working directory (default: a temporary one)")
    ap.add_argument("--keep", action="store_true", help="keep the files of passing programs too")
    ap.add_argument("--progress", type=int, default=0, help="print a line every N programs")
    args = ap.parse_args()

    for tool in (args.edgevp, args.qemu, args.cross_prefix + "gcc", args.cross_prefix + "objdump"):
        if shutil.which(tool) is None:
            print(f"iss_diff: {tool} not found", file=sys.stderr)
            return 2
    for f in ("edgevp_memmap.h", "edgevp_memmap.ld"):
        if not os.path.exists(os.path.join(args.memmap, f)):
            print(f"iss_diff: {args.memmap} has no {f} (edgevp --gen-memmap DIR)", file=sys.stderr)
            return 2
    args.memmap = os.path.abspath(args.memmap)
    temp = args.work is None
    args.work = tempfile.mkdtemp(prefix="iss_diff.") if temp else os.path.abspath(args.work)
    os.makedirs(args.work, exist_ok=True)

    setup = Setup(args)
    start = time.monotonic()
    try:
        setup.build_wrappers()
    except RuntimeError as e:
        print(f"iss_diff: cannot build the wrappers: {e}", file=sys.stderr)
        return 2

    seeds = range(args.first_seed, args.first_seed + args.seeds)
    programs = instructions = mismatches = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for seed, ok, n, report in pool.map(lambda s: check_seed(setup, s), seeds):
            programs += 1
            instructions += n
            if not ok:
                mismatches += 1
                print("\n".join(report), flush=True)
            if args.progress and programs % args.progress == 0:
                print(f"iss_diff: {programs}/{args.seeds} programs, {instructions} instructions, "
                      f"{mismatches} mismatches, {time.monotonic() - start:.1f} s", flush=True)
    wall = time.monotonic() - start
    print(f"iss_diff: seeds {args.first_seed}..{args.first_seed + args.seeds - 1}: {programs} programs, "
          f"{instructions} instructions on edgevp, {mismatches} mismatches, {wall:.1f} s wall")
    if temp and mismatches == 0 and not args.keep:
        shutil.rmtree(args.work, ignore_errors=True)
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())

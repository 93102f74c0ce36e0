#!/usr/bin/python3
"""Seed corpora of the fuzz targets (tests/fuzz/*.cc), from what the repository holds.

    make_seeds.py OUT_DIR [DIR...]

Writes OUT_DIR/<target>/ for every target (the directories are emptied first):

    elf           ELF images under the DIRs (at most 128 KiB each: the smaller firmware, the CLI
                  tests' good and bad images), and a small RV32 executable made here (a segment,
                  symbols)
    config        scenarios/*.cfg, configs/*.cfg, the CLI tests' configuration files (written
                  here as tests/cli/make_bad_images.sh writes them, and *.cfg under the DIRs),
                  reports under the DIRs (*.json of at most 64 KiB with a `configuration` section:
                  that section alone), and a small report made here
    cmdline       the argument lists of tests/cli/CMakeLists.txt's cli_test() lines and every
                  scenario as `--key=value` arguments, NUL-separated
    tta_machine   models/accelerators/tta/braintta.json, tests/cli/tta/*.json, the machines of
                  tests/unit/test_tta.cc; braintta.json followed by a NUL and each program image
    tta_program   every program of firmware/apps/tta_layers/*.tta and tools/tta/examples/*.tta
                  (tools/tta/ttasm.py --bin) at each of its labels, with fc.tta's argument block
    cgra_fabric   models/accelerators/cgra/blocks.json, tests/cli/cgra/*.json, the fabrics of
                  tests/unit/test_cgra.cc; blocks.json followed by a NUL, a group mask and each
                  kernel image
    cgra_kernel   every kernel of firmware/apps/cgra_kernels/*.cgra and tools/cgra/examples/*.cgra
                  (tools/cgra/cgrasm.py --bin), run on the groups it declares
    accel         descriptor chains of every kind in the unit benches' formats (tests/unit/
                  test_cim.cc, test_snn.cc, test_tta.cc, test_cgra.cc), with the data they name

The DIRs are searched recursively; none given: the CI build's firmware and CLI test directories
(build/ci/firmware/bin, build/ci/tests/cli) where they exist. Exit status 0, or 1 with a message
when a tool fails.
"""
import glob
import hashlib
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
TARGETS = ["elf", "config", "cmdline", "tta_machine", "tta_program", "cgra_fabric", "cgra_kernel", "accel"]
MAX_ELF = 128 * 1024
MAX_REPORT = 64 * 1024


class Seeds:
    def __init__(self, out):
        self.out = out
        self.count = {t: 0 for t in TARGETS}
        self.seen = set()
        for t in TARGETS:
            d = os.path.join(out, t)
            shutil.rmtree(d, ignore_errors=True)
            os.makedirs(d)

    def save(self, target, name, data):
        if isinstance(data, str):
            data = data.encode()
        digest = hashlib.sha1(data).hexdigest()
        if (target, digest) in self.seen:  # the same bytes from two places
            return
        self.seen.add((target, digest))
        name = re.sub(r"[^A-Za-z0-9_.-]", "_", name)
        path = os.path.join(self.out, target, name)
        if os.path.exists(path):  # same name, other bytes: keep both
            path += "-" + digest[:8]
        with open(path, "wb") as f:
            f.write(data)
        self.count[target] += 1


def read(path):
    with open(path, "rb") as f:
        return f.read()


def words(*ws):
    return b"".join(struct.pack("<I", w & 0xFFFFFFFF) for w in ws)


def files_under(dirs, pattern, max_size):
    found = []
    for d in dirs:
        for base, subdirs, names in os.walk(d):
            subdirs.sort()
            for n in sorted(names):
                p = os.path.join(base, n)
                if re.fullmatch(pattern, n) and os.path.isfile(p) and os.path.getsize(p) <= max_size:
                    found.append(p)
    return found


# --- ELF ------------------------------------------------------------------------------------------

def small_elf():
    """An RV32 executable: one PT_LOAD segment at 0x80000000 (code and a .bss tail), .text,
    .symtab (_start, tohost, fromhost), .strtab and .shstrtab."""
    code = words(0x00000297, 0x0102A023, 0x0000006F, 0, 0, 0)  # auipc; sw; j .; tohost, fromhost
    base = 0x80000000
    ehsize, phentsize, shentsize = 52, 32, 40
    text_off = ehsize + phentsize
    strtab = b"\0_start\0tohost\0fromhost\0"
    shstrtab = b"\0.text\0.symtab\0.strtab\0.shstrtab\0"

    def sym(name, value, info, shndx):
        return struct.pack("<IIIBBH", name, value, 0, info, 0, shndx)

    symtab = sym(0, 0, 0, 0) + sym(1, base, 0x12, 1) + sym(8, base + 12, 0x11, 1) + sym(15, base + 16, 0x11, 1)
    symtab_off = text_off + len(code)
    strtab_off = symtab_off + len(symtab)
    shstrtab_off = strtab_off + len(strtab)
    shoff = (shstrtab_off + len(shstrtab) + 3) & ~3
    eh = b"\x7fELF" + bytes([1, 1, 1, 0]) + bytes(8)
    eh += struct.pack("<HHIIIIIHHHHHH", 2, 243, 1, base, ehsize, shoff, 0, ehsize, phentsize, 1, shentsize, 5, 4)
    ph = struct.pack("<IIIIIIII", 1, text_off, base, base, len(code), len(code) + 64, 7, 4)

    def sh(name, type_, flags, addr, off, size, link=0, info=0, align=1, entsize=0):
        return struct.pack("<IIIIIIIIII", name, type_, flags, addr, off, size, link, info, align, entsize)

    shdrs = sh(0, 0, 0, 0, 0, 0)
    shdrs += sh(1, 1, 6, base, text_off, len(code), align=4)                      # .text
    shdrs += sh(7, 2, 0, 0, symtab_off, len(symtab), link=3, info=1, align=4, entsize=16)  # .symtab
    shdrs += sh(15, 3, 0, 0, strtab_off, len(strtab))                             # .strtab
    shdrs += sh(23, 3, 0, 0, shstrtab_off, len(shstrtab))                         # .shstrtab
    img = eh + ph + code + symtab + strtab + shstrtab
    img += bytes(shoff - len(img)) + shdrs
    return img


def elf_seeds(s, dirs):
    s.save("elf", "small.elf", small_elf())
    for p in files_under(dirs, r".*\.elf", MAX_ELF):
        s.save("elf", os.path.relpath(p, os.path.dirname(os.path.dirname(p))), read(p))


# --- configuration files and command lines --------------------------------------------------------

CLI_CONFIGS = {  # tests/cli/make_bad_images.sh
    "unknown_key.cfg": "unknown.key = 1\n",
    "bad_value.cfg": "sram.size = lots\n",
    "first.cfg": "sram.size = 64KiB\n",
    "second.cfg": "sram.size = 1KiB\n",
    "include.cfg": "config = inc/base.cfg\n",
    "include_overridden.cfg": "sram.size = 512KiB\nconfig = inc/base.cfg\n",
    "cycle.cfg": "config = fuzz.cfg\n",
    "include_missing.cfg": "config = inc/nope.cfg\n",
}


def small_report():
    conf = {
        "accel": {"value": "cim0,tta0", "origin": "command line"},
        "cim0.rows": {"value": "128", "origin": "file", "file": "soc.cfg"},
        "tta0.machine": {"value": "", "origin": "default"},
        "expect.uart": {"value": ["a", "b"], "origin": "scenario"},
        "max-time": {"value": "1ms", "origin": "command line"},
    }
    return json.dumps({"configuration": conf}, indent=1)


def config_seeds(s, dirs):
    for p in sorted(glob.glob(os.path.join(ROOT, "scenarios", "*.cfg")) + glob.glob(os.path.join(ROOT, "configs", "*.cfg"))):
        s.save("config", os.path.basename(os.path.dirname(p)) + "_" + os.path.basename(p), read(p))
    for name, text in CLI_CONFIGS.items():
        s.save("config", "cli_" + name, text)
    for p in files_under(dirs, r".*\.cfg", 64 * 1024):
        s.save("config", "dir_" + os.path.basename(p), read(p))
    s.save("config", "report_small.json", small_report())
    for p in files_under(dirs, r".*\.json", MAX_REPORT):
        try:
            j = json.loads(read(p))
        except (ValueError, UnicodeDecodeError):
            continue
        if isinstance(j, dict) and isinstance(j.get("configuration"), dict):
            # Only the section --config-from-report reads (a report's other sections are most of it).
            s.save("config", "report_" + os.path.basename(p), json.dumps({"configuration": j["configuration"]}, indent=1))


def cli_argument_lists():
    """The arguments after ${edgevp} in tests/cli/CMakeLists.txt's cli_test() calls, with the
    build's variables replaced by plausible paths."""
    text = read(os.path.join(ROOT, "tests", "cli", "CMakeLists.txt")).decode()
    subst = {
        "${hello}": "hello.elf",
        "${cim_mvm}": "cim_mvm.elf",
        "${cli_dir}/": "",
        "${EDGEVP_FIRMWARE_DIR}/": "",
        "${CMAKE_CURRENT_SOURCE_DIR}/": os.path.join(ROOT, "tests", "cli") + "/",
    }
    lists = []
    for m in re.finditer(r"cli_test\((.*?)\)\s*$", text, re.S | re.M):
        body = m.group(1)
        if "${edgevp}" not in body:
            continue
        args = body.split("${edgevp}", 1)[1]
        for k, v in subst.items():
            args = args.replace(k, v)
        toks = [t.strip('"') for t in args.split()]
        if any("$" in t for t in toks):
            continue
        lists.append(toks)
    return lists


def cmdline_seeds(s):
    for i, toks in enumerate(cli_argument_lists()):
        s.save("cmdline", "cli_%03d" % i, b"\0".join(t.encode() for t in toks))
    for p in sorted(glob.glob(os.path.join(ROOT, "scenarios", "*.cfg"))):
        args = []
        for line in read(p).decode().splitlines():
            line = line.split("#", 1)[0].strip()
            if "=" in line:
                k, v = (x.strip() for x in line.split("=", 1))
                args.append("--%s=%s" % (k, v))
        args.append("firmware.elf")
        s.save("cmdline", "scenario_" + os.path.basename(p), "\0".join(args))


# --- the TTA and the CGRA --------------------------------------------------------------------------

def raw_strings(path):
    """The R"(...)" literals of a C++ file that hold JSON objects."""
    return [m.group(1) for m in re.finditer(r'R"\((\{.*?\})\)"', read(path).decode(), re.S)]


def tool(args):
    r = subprocess.run([sys.executable] + args, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("make_seeds: %s: %s" % (" ".join(args), r.stderr.strip()))


def assemble(tmp):
    """{name: (image bytes, {label: instruction})} for every TTA source; {name: image words} for
    every CGRA kernel."""
    tta, cgra = {}, {}
    srcs = sorted(glob.glob(os.path.join(ROOT, "firmware", "apps", "tta_layers", "*.tta")) +
                  glob.glob(os.path.join(ROOT, "tools", "tta", "examples", "*.tta")))
    for src in srcs:
        name = os.path.splitext(os.path.basename(src))[0]
        b, h = os.path.join(tmp, name + ".bin"), os.path.join(tmp, name + ".h")
        tool([os.path.join(ROOT, "tools", "tta", "ttasm.py"), "--bin", b, "-o", h, src])
        labels = {m.group(1): int(m.group(2))
                  for m in re.finditer(r"#define \w+?_LABEL_(\w+) (\d+)", read(h).decode())}
        tta[name] = (read(b), labels)
    srcs = sorted(glob.glob(os.path.join(ROOT, "firmware", "apps", "cgra_kernels", "*.cgra")) +
                  glob.glob(os.path.join(ROOT, "tools", "cgra", "examples", "*.cgra")))
    for src in srcs:
        name = os.path.splitext(os.path.basename(src))[0]
        b = os.path.join(tmp, name + ".bin")
        tool([os.path.join(ROOT, "tools", "cgra", "cgrasm.py"), "--bin", b, src])
        cgra[name] = read(b)
    return tta, cgra


TTA_INSN_BYTES = 48  # the built-in machine's six buses
# fc.tta's argument block (data address 0): IN, WBASE, K, T, OUT, ACT, SCALE.
FC_ARGS = words(64, 0, 2, 1, 128, 0, 1) + bytes(64 - 28) + bytes(range(1, 17))


def cgra_groups(image):
    """The group mask a kernel image declares (its GROUP records)."""
    w = struct.unpack("<%dI" % (len(image) // 4), image)
    i, mask = 4, 0
    while i < len(w) and (w[i] & 0xFF) != 0:
        n = w[i] >> 8
        if (w[i] & 0xFF) == 3 and n >= 1:
            mask |= 1 << (w[i + 1] & 31)
        i += 1 + n
    return mask or 1


def tta_cgra_seeds(s, tta, cgra):
    braintta = read(os.path.join(ROOT, "models", "accelerators", "tta", "braintta.json"))
    blocks = read(os.path.join(ROOT, "models", "accelerators", "cgra", "blocks.json"))
    s.save("tta_machine", "braintta.json", braintta)
    for p in sorted(glob.glob(os.path.join(ROOT, "tests", "cli", "tta", "*.json"))):
        s.save("tta_machine", "cli_" + os.path.basename(p), read(p))
    for i, j in enumerate(raw_strings(os.path.join(ROOT, "tests", "unit", "test_tta.cc"))):
        s.save("tta_machine", "unit_%02d.json" % i, j)
    for name, (image, labels) in tta.items():
        s.save("tta_machine", "braintta+" + name, braintta + b"\0" + image)
        for label, entry in sorted(labels.items()) or [("start", 0)]:
            args = FC_ARGS if name == "fc" else b""
            s.save("tta_program", "%s@%s" % (name, label),
                   words(entry, len(image) // TTA_INSN_BYTES) + image + args)

    s.save("cgra_fabric", "blocks.json", blocks)
    for p in sorted(glob.glob(os.path.join(ROOT, "tests", "cli", "cgra", "*.json"))):
        s.save("cgra_fabric", "cli_" + os.path.basename(p), read(p))
    for i, j in enumerate(raw_strings(os.path.join(ROOT, "tests", "unit", "test_cgra.cc"))):
        s.save("cgra_fabric", "unit_%02d.json" % i, j)
    for name, image in cgra.items():
        groups = cgra_groups(image)
        s.save("cgra_fabric", "blocks+" + name, blocks + b"\0" + words(groups) + image)
        data = words(*range(1, 65))
        s.save("cgra_kernel", name, words(groups, len(image) // 4) + image + words(0) + data)
    # A kernel, then a BACKGROUND image that only touches what the running groups do not use.
    names = sorted(cgra)
    for a, b in zip(names, names[1:] + names[:1]):
        s.save("cgra_kernel", "%s+%s" % (a, b),
               words(cgra_groups(cgra[a]), len(cgra[a]) // 4) + cgra[a] + words(len(cgra[b]) // 4) + cgra[b])


# --- descriptor chains through the contract (fuzz_accel.cc) ----------------------------------------

SRAM = 0x80000000
KINDS = {"cim-digital": 0, "cim-analog": 1, "snn": 2, "tta": 3, "cgra": 4}


class Image:
    """The SRAM's first bytes, descriptors at 0 chained in order."""

    def __init__(self):
        self.b = bytearray(0x100)

    def put(self, off, data):
        if len(self.b) < off + len(data):
            self.b.extend(bytes(off + len(data) - len(self.b)))
        self.b[off:off + len(data)] = data

    def chain(self, descs, spacing=0x80):
        for i, d in enumerate(descs):
            d = list(d)
            d[1] = SRAM + spacing * (i + 1) if i + 1 < len(descs) else 0
            self.put(spacing * i, words(*d))
        return self

    def seed(self, kind):
        return bytes([KINDS[kind]]) + bytes(self.b)


def cim_seeds(s):
    w_addr, in_addr, out_addr, bias_addr = 0x1000, 0x2000, 0x3000, 0x3800
    weights = bytes((i * 37 + 11) & 0xFF for i in range(16 * 16))
    inputs = bytes((i * 13 + 5) & 0xFF for i in range(4 * 40))
    bias = words(*range(-16, 16))

    def load(rows, cols, w_bits, row0=0, col0=0):
        return [1, 0, SRAM + w_addr, rows, row0 | rows << 16, col0 | cols << 16, w_bits, 0]

    def mvm(rows, cols, batch=1, in_bits=8, relu=False, out32=False, bias_on=False, scale=1, shift=0,
            adc_shift=0, in_stride=None, out_stride=None):
        fl = (1 if relu else 0) | (2 if out32 else 0)
        return [2 | fl << 8, 0, SRAM + in_addr, in_stride if in_stride is not None else rows,
                SRAM + out_addr, out_stride if out_stride is not None else (4 * cols if out32 else cols),
                rows << 16, cols << 16, batch, in_bits, SRAM + bias_addr if bias_on else 0, scale, shift,
                adc_shift, 0, 0]

    # fuzz_accel.cc's CIM instances are 16 x 16.
    for kind in ("cim-digital", "cim-analog"):
        variants = {
            "load_mvm": [load(16, 16, 8), mvm(16, 16)],
            "load4_mvm4_relu": [load(8, 16, 4), mvm(8, 16, batch=4, in_bits=4, relu=True, scale=3, shift=2)],
            "mvm_out32_bias": [load(16, 8, 8), mvm(16, 8, batch=2, out32=True, bias_on=True,
                                                   adc_shift=1 if kind == "cim-analog" else 0)],
            "load_window": [load(4, 8, 8, row0=8, col0=4)],
            "mvm_only": [mvm(16, 16, batch=3, in_stride=20, out_stride=17)],
        }
        for name, descs in variants.items():
            img = Image().chain(descs)
            img.put(w_addr, weights)
            img.put(in_addr, inputs)
            img.put(bias_addr, bias)
            s.save("accel", "%s_%s" % (kind, name), img.seed(kind))


def snn_seeds(s):
    syn, inp, out, counts, state = 0x1000, 0x2000, 0x3000, 0x3800, 0x3C00
    spike = lambda c, y, x: (2 << 28) | (c & 0xFF) << 16 | (y & 0xFF) << 8 | (x & 0xFF)
    time = lambda t: (5 << 28) | t
    end = 9 << 28

    def layer(type_, in_wh, in_c, out_c, out_wh, aux=0, flags=0x40, threshold=40, leak=0, in_size=0x400):
        return [2 | (type_ | flags) << 8, 0, SRAM + inp, in_size, 0, in_wh, in_c | out_c << 16, out_wh, 0, aux,
                threshold & 0xFFFF, leak, 0, SRAM + out, 0x400, 0, SRAM + counts, 0]

    def load(n):
        return [1, 0, SRAM + syn, 0, n, 0]

    stream = words(time(0), spike(0, 0, 0), spike(3, 0, 0), spike(7, 0, 0), time(2), spike(1, 0, 0), spike(3, 0, 0), end)
    conv_stream = words(time(1), spike(0, 1, 1), spike(1, 2, 0), time(4), spike(0, 3, 3), end)
    fc_w = bytes((i * 7 + 3) & 0xFF for i in range(8 * 6))
    conv_w = bytes((i * 5 + 1) & 0xFF for i in range(2 * 3 * 3 * 4))
    sparse = words(0, 2, 3, 5) + words(1 | 20 << 16, 4 | 0xF0 << 16, 2 | 30 << 16, 0 | 9 << 16, 5 | 1 << 16)
    variants = {
        "fc": ([load(len(fc_w)), layer(0, 1 | 1 << 16, 8, 6, 1 | 1 << 16), [3, 0, 0, 6, SRAM + state, 0]], fc_w, stream),
        "fc_int4_leak": ([load(len(fc_w)), layer(0, 1 | 1 << 16, 8, 6, 1 | 1 << 16, flags=0x40 | 4 | 1 << 3 | 1 << 5,
                                                   leak=2 | 1 << 8)], fc_w, stream),
        "conv": ([load(len(conv_w)), layer(1, 4 | 4 << 16, 2, 4, 4 | 4 << 16, aux=3, flags=0x40 | 2 << 3, leak=1)],
                 conv_w, conv_stream),
        "sparse": ([load(len(sparse)), layer(2, 1 | 1 << 16, 3, 6, 1 | 1 << 16, aux=16, threshold=10)], sparse,
                   words(time(0), spike(0, 0, 0), spike(2, 0, 0), time(1), spike(1, 0, 0), end)),
    }
    for name, (descs, synapses, events) in variants.items():
        img = Image().chain(descs)
        img.put(syn, synapses)
        img.put(inp, events)
        s.save("accel", "snn_" + name, img.seed("snn"))


def tta_accel_seeds(s, tta):
    prog, args, out = 0x1000, 0x3000, 0x3800
    # tests/unit/test_tta.cc builtin_program(): data[0] + 1 -> data[4], halt with it.
    def slot_im(v, du, dp, op=0):
        return 2 | du << 8 | dp << 16 | op << 24 | (v & 0xFFFFFFFF) << 32

    def slot_mv(su, sp, du, dp, op=0):
        return 1 | du << 8 | dp << 16 | op << 24 | (su | sp << 8) << 32

    rows = [[slot_im(0, 6, 0, 0)], [], [slot_mv(6, 2, 4, 0, 0), slot_im(1, 4, 1)],
            [slot_im(4, 6, 0, 5), slot_mv(4, 2, 6, 1)], [slot_mv(4, 2, 0, 0, 2)]]
    small = b"".join(struct.pack("<Q", r[b] if b < len(r) else 0) for r in rows for b in range(6))
    img = Image().chain([[1, 0, SRAM + prog, 0, 5, 0], [3, 0, 0, SRAM + args, 4, 0],
                         [2 | 1 << 8, 0, SRAM + out, 4, 4, 0]])
    img.put(prog, small)
    img.put(args, words(41))
    s.save("accel", "tta_program_run_copy", img.seed("tta"))
    img = Image().chain([[2 | 2 << 8, 0, SRAM + args, 256, 256, 0], [2 | 3 << 8, 0, SRAM + out, 256, 256, 0]])
    img.put(args, bytes(range(256)))
    s.save("accel", "tta_pmem_round_trip", img.seed("tta"))
    if "fc" in tta:
        image, labels = tta["fc"]
        n = len(image) // TTA_INSN_BYTES
        img = Image().chain([[1, 0, SRAM + prog, 0, n, 0], [2 | 2 << 8, 0, SRAM + 0x2000, 0, 384, 0],
                             [2, 0, SRAM + 0x2400, 64, 16, 0],
                             [3, 0, labels.get("fc8_req", 0), SRAM + args, 28, 0],
                             [2 | 1 << 8, 0, SRAM + out, 128, 32, 0]])
        img.put(prog, image)
        img.put(0x2000, bytes((i * 3) & 0xFF for i in range(384)))
        img.put(0x2400, bytes(range(1, 17)))
        img.put(args, FC_ARGS[:28])
        s.save("accel", "tta_fc8_req", img.seed("tta"))


def cgra_accel_seeds(s, cgra):
    image_at, data_at, out = 0x1000, 0x3000, 0x3800
    for name in ("sum", "fc_simd", "relu"):
        if name not in cgra:
            continue
        image = cgra[name]
        groups = cgra_groups(image)
        img = Image().chain([[1, 0, SRAM + image_at, len(image), 0, 0], [2, 0, SRAM + data_at, 0, 256, 0],
                             [3, 0, groups, 0, 0, 0], [2 | 1 << 8, 0, SRAM + out, 0, 256, 0]])
        img.put(image_at, image)
        img.put(data_at, words(*range(1, 65)))
        s.save("accel", "cgra_" + name, img.seed("cgra"))
    if "sum" in cgra and "relu" in cgra:
        a, b = cgra["sum"], cgra["relu"]
        img = Image().chain([[1, 0, SRAM + image_at, len(a), 0, 0], [3, 0, cgra_groups(a), 0, 0, 0],
                             [1 | 1 << 8, 0, SRAM + image_at + 0x800, len(b), 0, 0], [3, 0, cgra_groups(b), 0, 0, 0]])
        img.put(image_at, a)
        img.put(image_at + 0x800, b)
        s.save("accel", "cgra_background", img.seed("cgra"))


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    dirs = sys.argv[2:] or [d for d in (os.path.join(ROOT, "build", "ci", "firmware", "bin"),
                                        os.path.join(ROOT, "build", "ci", "tests", "cli")) if os.path.isdir(d)]
    s = Seeds(out)
    elf_seeds(s, dirs)
    config_seeds(s, dirs)
    cmdline_seeds(s)
    with tempfile.TemporaryDirectory() as tmp:
        tta, cgra = assemble(tmp)
    tta_cgra_seeds(s, tta, cgra)
    cim_seeds(s)
    snn_seeds(s)
    tta_accel_seeds(s, tta)
    cgra_accel_seeds(s, cgra)
    print("make_seeds: %s: %s (ELF and report directories: %s)" %
          (out, ", ".join("%s %d" % (t, n) for t, n in s.count.items()), " ".join(dirs) or "none"))


if __name__ == "__main__":
    main()

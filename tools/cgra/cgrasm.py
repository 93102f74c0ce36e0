#!/usr/bin/python3
"""Kernel tool of the `cgra` accelerator (docs/models/cgra.md): reads a fabric description (JSON)
and a kernel description, checks the kernel against the fabric as CONFIG does, and writes the
kernel image.

    cgrasm.py [--fabric FILE] [-o OUT.h] [--bin OUT.bin] [--name NAME] [--list] SOURCE.cgra

Exit status: 0 made, 1 an error in the fabric description or the source (the first one, as
"FILE: /json/path: problem" or "SOURCE:LINE: problem"), 2 a usage error.

The image is little-endian 32-bit words: 0x41524743 ("CGRA"), version 1, the image's bytes, the
fabric's unit count; then records, each a header word `type | payload words << 8` and its
payload, in this order:

    BIND     1  unit, decoder (255: unbind)        every unit a .bind names, in source order
    ROUTE    2  unit, input (0, 1), source (255)   every .route, in source order
    GROUP    3  group (0..7), decoder mask         every .group, by group number
    PROGRAM  4  decoder, 0, n, n instructions      every column of the table, left to right
    INIT     5  unit, first, n, n values           every .init, in source order
    END      0

Units are numbered by their index in the fabric's `units`, decoders by their index among the `id`
units. An instruction is operation (7:0) | a (15:8) | imm (31:16, two's complement).
"""
import argparse
import json
import os
import re
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
DEFAULT_FABRIC = os.path.join(ROOT, "models", "accelerators", "cgra", "blocks.json")

IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
INTEGER = re.compile(r"[-+]?(0[xX][0-9a-fA-F]+|[0-9]+)\Z")

MAGIC, VERSION = 0x41524743, 1
END, BIND, ROUTE, GROUP, PROGRAM, INIT = range(6)
RECORD_NAMES = ("END", "BIND", "ROUTE", "GROUP", "PROGRAM", "INIT")
NONE = 255  # BIND: unbind (power-gate); ROUTE: no source

MAX_UNITS, MAX_DECODERS, GROUPS = 255, 32, 8
MAX_IMEM, MAX_BANKS, MAX_BANK_BYTES, MAX_REGISTERS = 256, 64, 1 << 20, 256
MAX_COORD, MAX_HOPS = 255, 512  # as the model's parser (models/accelerators/cgra/fabric.cc)
IMM_MIN, IMM_MAX = -32768, 32767
COUNT_MAX = 65535  # loop's count: the model reads imm as unsigned 16 bits
VALUE_MIN, VALUE_MAX = -(1 << 31), (1 << 32) - 1  # .init values: 32 bits, either sign

TYPES = ("id", "imm", "alu", "mul", "lsu", "rf", "abu", "dot8")
INPUTS = {"id": (), "imm": (), "abu": ("in0",), "rf": ("in0",),
          "alu": ("in0", "in1"), "mul": ("in0", "in1"), "lsu": ("in0", "in1"), "dot8": ("in0", "in1")}
NO_OUTPUT = ("id", "abu")
WITH_REGISTERS = ("rf", "imm")
# what .init sets: (the words, one value only)
INIT_WHAT = {"rf": ("registers", False), "imm": ("constants", False), "alu": ("output", True),
             "dot8": ("output", True), "lsu": ("address register", True)}

# The operations of each type: name -> (number, a field, imm field). Field kinds: a "reg" (a
# register of the decoder's units), "addr" (an instruction address: a loop's last instruction, a
# jump target; labels allowed); imm "value" (signed 16 bits), "count" (a loop count, 0..65535),
# "reg" (rdwr's written register).
OPS = {
    "alu": {"add": (1, None, None), "sub": (2, None, None), "and": (3, None, None),
            "or": (4, None, None), "xor": (5, None, None), "shl": (6, None, None),
            "shr": (7, None, None), "shru": (8, None, None), "addi": (9, None, "value"),
            "li": (10, None, "value"), "pass": (11, None, None), "min": (12, None, None),
            "max": (13, None, None), "lt": (14, None, None), "eq": (15, None, None),
            "acc": (16, None, None), "inc": (17, None, "value")},
    "mul": {"mul": (1, None, None), "muli": (2, None, "value")},
    "lsu": {"ld": (1, None, "value"), "st": (2, None, "value"), "seta": (3, None, "value"),
            "ldinc": (4, None, "value"), "stinc": (5, None, "value")},
    "rf": {"rd": (1, "reg", None), "wr": (2, "reg", None), "rdwr": (3, "reg", "reg")},
    "imm": {"const": (1, "reg", None), "li": (2, None, "value")},
    "dot8": {"clr": (1, None, None), "dot": (2, None, None), "set": (3, None, None),
             "add": (4, None, None)},
    "abu": {"loop": (1, "addr", "count"), "loopr": (2, "addr", None), "jump": (3, "addr", None),
            "bnz": (4, "addr", None), "bz": (5, "addr", None), "halt": (6, None, None)},
    "id": {},
}
FIELD_SYNTAX = {"reg": "REG", "addr": "TARGET", "value": "IMM", "count": "COUNT"}
FIELD_NAMES = {("loop", "a"): "END", ("loopr", "a"): "END", ("rdwr", "a"): "READ",
               ("rdwr", "imm"): "WRITE"}  # where FIELD_SYNTAX's name would mislead


class AsmError(Exception):
    """An error with its complete message ("FILE: /path: problem" or "SOURCE:LINE: problem")."""


# --- fabric description ---------------------------------------------------------------------

class Unit:
    def __init__(self, index, name, kind, x, y, registers=0):
        self.index, self.name, self.type, self.x, self.y = index, name, kind, x, y
        self.registers = registers
        self.decoder = None  # an id unit: its number among the id units

    @property
    def inputs(self):
        return INPUTS[self.type]

    @property
    def has_output(self):
        return self.type not in NO_OUTPUT

    def hops(self, other):
        return abs(self.x - other.x) + abs(self.y - other.y)


class Fabric:
    """name, units, decoders (the id units in order), imem, banks, bank_bytes, data_hops,
    control_hops; unit(name)."""

    def __init__(self, name):
        self.name, self.units, self.decoders = name, [], []
        self.imem = self.banks = self.bank_bytes = self.data_hops = self.control_hops = 0
        self._names = {}

    @property
    def memory_bytes(self):
        return self.banks * self.bank_bytes

    def unit(self, name):
        return self._names.get(name)

    def index_names(self):
        self._names = {u.name: u for u in self.units}


def pointer(path, key):
    return f"{path}/{str(key).replace('~', '~0').replace('/', '~1')}"


class Reader:
    """Typed access to the JSON tree; every failure names the file and the JSON path."""

    def __init__(self, file):
        self.file = file

    def fail(self, path, problem):
        raise AsmError(f"{self.file}: {path or '/'}: {problem}")

    def obj(self, node, path, required, optional=()):
        if not isinstance(node, dict):
            self.fail(path, "expected an object")
        for key in required:
            if key not in node:
                self.fail(pointer(path, key), "missing")
        for key in node:
            if key not in required and key not in optional and key != "comment":
                self.fail(pointer(path, key), "unknown key")
        return node

    def integer(self, node, key, path, lo, hi):
        value, path = node[key], pointer(path, key)
        if not isinstance(value, int) or isinstance(value, bool):
            self.fail(path, "expected an integer")
        if not lo <= value <= hi:
            self.fail(path, f"{value} is out of range ({lo}..{hi})")
        return value

    def string(self, node, key, path, choices=None):
        value, path = node[key], pointer(path, key)
        if not isinstance(value, str) or not value:
            self.fail(path, "expected a non-empty string")
        if choices is not None and value not in choices:
            self.fail(path, f'"{value}" is not one of {", ".join(choices)}')
        return value

    def array(self, node, key, path, lo, hi):
        value, path = node[key], pointer(path, key)
        if not isinstance(value, list):
            self.fail(path, "expected an array")
        if not lo <= len(value) <= hi:
            self.fail(path, f"{len(value)} entries; expected {lo}..{hi}")
        return value


def read_json(file):
    def no_duplicates(pairs):
        seen = {}
        for key, value in pairs:
            if key in seen:
                raise AsmError(f'{file}: duplicate key "{key}"')
            seen[key] = value
        return seen

    try:
        with open(file, encoding="utf-8") as f:
            return json.loads(f.read(), object_pairs_hook=no_duplicates)
    except OSError as e:
        raise AsmError(f"{file}: cannot read: {e.strerror}") from None
    except UnicodeDecodeError as e:
        raise AsmError(f"{file}: cannot read: {e}") from None
    except json.JSONDecodeError as e:
        raise AsmError(f"{file}:{e.lineno}:{e.colno}: {e.msg}") from None


def load_fabric(file):
    """The fabric description in file, validated (AsmError on the first problem)."""
    r = Reader(file)
    top = r.obj(read_json(file), "", ("name", "memory", "imem", "data_network", "control_network",
                                      "units"))
    f = Fabric(r.string(top, "name", ""))
    if not IDENT.match(f.name):
        r.fail("/name", f'"{f.name}" is not a name (letters, digits, _)')
    mem = r.obj(top["memory"], "/memory", ("banks", "bank_bytes"))
    f.banks = r.integer(mem, "banks", "/memory", 1, MAX_BANKS)
    f.bank_bytes = r.integer(mem, "bank_bytes", "/memory", 4, MAX_BANK_BYTES)
    if f.bank_bytes % 4:
        r.fail("/memory/bank_bytes", f"{f.bank_bytes} is not a multiple of 4")
    imem = r.obj(top["imem"], "/imem", ("instructions",))
    f.imem = r.integer(imem, "instructions", "/imem", 1, MAX_IMEM)
    for key, attr in (("data_network", "data_hops"), ("control_network", "control_hops")):
        net = r.obj(top[key], "/" + key, ("max_hops",))
        setattr(f, attr, r.integer(net, "max_hops", "/" + key, 0, MAX_HOPS))
    names = {}
    for i, node in enumerate(r.array(top, "units", "", 1, MAX_UNITS)):
        path = f"/units/{i}"
        u = read_unit(r, i, node, path)
        if u.name in names:
            r.fail(path + "/name", f'duplicate unit name "{u.name}" (/units/{names[u.name]})')
        names[u.name] = i
        if u.type == "id":
            if len(f.decoders) == MAX_DECODERS:
                r.fail(path + "/type", f"a decoder past the {MAX_DECODERS}th; at most {MAX_DECODERS}")
            u.decoder = len(f.decoders)
            f.decoders.append(u)
        f.units.append(u)
    if not f.decoders:
        r.fail("/units", "no instruction decoder (type id)")
    f.index_names()
    return f


def read_unit(r, index, node, path):
    r.obj(node, path, ("name", "type", "x", "y"), ("registers",))
    kind = r.string(node, "type", path, TYPES)
    r.obj(node, path, ("name", "type", "x", "y") + (("registers",) if kind in WITH_REGISTERS else ()))
    name = r.string(node, "name", path)
    if not IDENT.match(name):
        r.fail(path + "/name", f'"{name}" is not a name (letters, digits, _)')
    x = r.integer(node, "x", path, 0, MAX_COORD)
    y = r.integer(node, "y", path, 0, MAX_COORD)
    registers = r.integer(node, "registers", path, 1, MAX_REGISTERS) if kind in WITH_REGISTERS else 0
    return Unit(index, name, kind, x, y, registers)


# --- source: the first pass -------------------------------------------------------------------

class Line:
    """One source line: a directive (words), a table row (cells; the header, a separator or an
    instruction at address), or nothing."""

    def __init__(self, number, text):
        self.number, self.text = number, text
        self.kind, self.words, self.cells, self.address, self.labels = None, [], [], None, []


def strip_comment(text):
    cut = text.find("#")
    return (text if cut < 0 else text[:cut]).strip()


def parse_integer(text):
    return int(text, 0) if not re.match(r"[-+]?0[0-9]", text) else int(text, 10)


def split_row(code):
    body = code[1:]
    if body.endswith("|"):
        body = body[:-1]
    return [c.strip() for c in body.split("|")]


SEPARATOR = re.compile(r":?-+:?\Z")
LABELS = re.compile(r"(?:[A-Za-z_][A-Za-z0-9_]*\s*:\s*)+\Z")


def scan(source_text, source_name):
    """First pass: lines; symbols {name: (value, line, "equ" | "label")}; the syntax, .equ and
    label errors are raised here, at their line."""
    lines, symbols, previous, address = [], {}, None, 0  # previous: the last table line
    for number, raw in enumerate(source_text.splitlines(), 1):
        line = Line(number, raw)
        lines.append(line)
        code = strip_comment(raw)
        try:
            if code.startswith("|"):
                line.cells = split_row(code)
                if previous is None:
                    line.kind = "header"
                elif previous.kind == "header" and all(SEPARATOR.match(c) for c in line.cells):
                    line.kind = "separator"  # a Markdown rule right under the header
                else:
                    line.kind, line.address = "row", address
                    address += 1
                    scan_labels(line, symbols)
                previous = line
            elif code.startswith("."):
                line.kind, line.words = "directive", code.split()
                if line.words[0] == ".equ":
                    scan_equ(line, symbols)
            elif code:
                raise AsmError(f'"{code}" is neither a directive (.name ...) nor a table row (| ... |)')
        except AsmError as e:
            raise AsmError(f"{source_name}:{number}: {e}") from None
    return lines, symbols


def scan_labels(line, symbols):
    cell = line.cells[0]
    if not cell:
        return
    if not LABELS.match(cell):
        raise AsmError(f'bad label cell "{cell}": labels are name: (or leave the cell empty)')
    for name in re.findall(r"([A-Za-z_][A-Za-z0-9_]*)\s*:", cell):
        define(symbols, name, line.address, line.number, "label")
        line.labels.append(name)


def scan_equ(line, symbols):
    words = line.words
    if len(words) != 3 or not IDENT.match(words[1]):
        raise AsmError(".equ needs a name and a value: .equ NAME VALUE")
    value = words[2]
    if INTEGER.match(value):
        value = parse_integer(value)
    elif value in symbols and symbols[value][2] == "equ":
        value = symbols[value][0]
    else:
        raise AsmError(f'.equ {words[1]}: "{value}" is not an integer or an earlier .equ name')
    define(symbols, words[1], value, line.number, "equ")


def define(symbols, name, value, number, kind):
    if name in symbols:
        raise AsmError(f'duplicate name "{name}" (line {symbols[name][1]})')
    symbols[name] = (value, number, kind)


# --- the kernel -------------------------------------------------------------------------------

class Record:
    """A record of the image: kind, payload words, a description, its source line; a PROGRAM's
    instructions [(address, labels, cell text, line)] for the listing."""

    def __init__(self, kind, payload, text, line, rows=None):
        self.kind, self.payload, self.text, self.line, self.rows = kind, payload, text, line, rows

    @property
    def words(self):
        return [self.kind | len(self.payload) << 8] + self.payload


class Kernel:
    """The made image: records, words, labels {name: address}, groups (mask), insns (rows)."""

    def __init__(self, fabric):
        self.fabric, self.records, self.labels, self.groups, self.insns = fabric, [], {}, 0, 0

    @property
    def words(self):
        body = [w for r in self.records for w in r.words]
        return [MAGIC, VERSION, 4 * (4 + len(body)), len(self.fabric.units)] + body


class Maker:
    """The passes after the scan: directives (in line order), the table, the checks across lines."""

    def __init__(self, fabric, symbols, insns):
        self.f, self.symbols, self.insns = fabric, symbols, insns
        self.groups = {}          # group -> (line, [decoder units])
        self.group_of = {}        # decoder unit index -> (group, line)
        self.binding = {}         # unit index -> (decoder unit or None, line)
        self.bound = {}           # decoder unit index -> [units bound to it here]
        self.routes = {}          # (unit index, input) -> line
        self.records = {BIND: [], ROUTE: [], GROUP: [], PROGRAM: [], INIT: []}

    # values

    def value(self, text, what, labels=False):
        if INTEGER.match(text):
            return parse_integer(text)
        if text in self.symbols:
            value, _, kind = self.symbols[text]
            if kind == "label" and not labels:
                raise AsmError(f'{what} "{text}" is a label: only loop ends and jump targets take labels')
            return value
        if IDENT.match(text):
            raise AsmError(f'unknown name "{text}" ({what}: not a label or .equ name)')
        raise AsmError(f'{what} "{text}" is not a number or a name')

    def ranged(self, text, what, lo, hi, labels=False):
        v = self.value(text, what, labels)
        if not lo <= v <= hi:
            shown = text if INTEGER.match(text) else f'"{text}" (= {v})'
            raise AsmError(f"{what} {shown} is out of range ({lo}..{hi})")
        return v

    def unit(self, name, what="unit"):
        u = self.f.unit(name)
        if u is None:
            raise AsmError(f'unknown {what} "{name}"')
        return u

    def decoder(self, name):
        u = self.f.unit(name)
        if u is None:
            raise AsmError(f'unknown decoder "{name}"')
        if u.type != "id":
            raise AsmError(f'"{name}" is not a decoder (type {u.type})')
        return u

    # directives

    def directive(self, line):
        words = line.words
        handler = {".equ": None, ".group": self.group, ".bind": self.bind, ".route": self.route,
                   ".init": self.init}
        if words[0] not in handler:
            raise AsmError(f'unknown directive "{words[0]}"')
        if handler[words[0]]:
            handler[words[0]](line, words[1:])

    def group(self, line, args):
        if len(args) < 2:
            raise AsmError(".group needs a group and its decoders: .group G DECODER...")
        g = self.ranged(args[0], "group", 0, GROUPS - 1)
        if g in self.groups:
            raise AsmError(f"group {g} is defined already (line {self.groups[g][0]})")
        decs = []
        for name in args[1:]:
            d = self.decoder(name)
            if d.index in self.group_of:
                other, number = self.group_of[d.index]
                raise AsmError(f'decoder "{d.name}" is in group {other} already (line {number})')
            self.group_of[d.index] = (g, line.number)
            decs.append(d)
        self.groups[g] = (line.number, decs)

    def bind(self, line, args):
        if len(args) < 2:
            raise AsmError(".bind needs a decoder (or - to unbind) and units: .bind DECODER UNIT...")
        dec = None if args[0] == "-" else self.decoder(args[0])
        for name in args[1:]:
            u = self.unit(name)
            if u.type == "id":
                raise AsmError(f'"{u.name}" is a decoder: decoders drive units, they are not bound')
            if u.index in self.binding:
                prev, number = self.binding[u.index]
                if prev is not dec:
                    shown = f'to "{prev.name}"' if prev else "as unbound"
                    raise AsmError(f'"{u.name}" is bound {shown} already (line {number}): one '
                                   "binding per unit in a kernel")
                continue
            if dec is not None:
                units = self.bound.setdefault(dec.index, [])
                if units and units[0].type != u.type:
                    raise AsmError(f'decoder "{dec.name}" drives {units[0].type} units ("{units[0].name}", '
                                   f'line {self.binding[units[0].index][1]}); "{u.name}" is of type {u.type}')
                hops = dec.hops(u)
                if hops > self.f.control_hops:
                    raise AsmError(f'"{u.name}" is {hops} hops from decoder "{dec.name}"; the control '
                                   f"network reaches {self.f.control_hops}")
                units.append(u)
            self.binding[u.index] = (dec, line.number)
            text = f"BIND {u.name} -> {dec.name}" if dec else f"BIND {u.name} -> none (unbound)"
            self.records[BIND].append(Record(BIND, [u.index, dec.decoder if dec else NONE], text,
                                             line.number))

    def route(self, line, args):
        if len(args) != 2 or args[0].count(".") != 1:
            raise AsmError(".route needs an input and a source: .route UNIT.in0|in1 SOURCE|-")
        name, port = args[0].split(".")
        u = self.unit(name)
        if port not in ("in0", "in1"):
            raise AsmError(f'unknown input "{port}" (in0 or in1)')
        if port not in u.inputs:
            has = ("no inputs" if not u.inputs else "in0 only")
            raise AsmError(f'"{u.name}" has no input {port} ({u.type} units have {has})')
        key = (u.index, int(port[2]))
        if key in self.routes:
            raise AsmError(f'"{args[0]}" is routed already (line {self.routes[key]})')
        src = None
        if args[1] != "-":
            src = self.unit(args[1], "source unit")
            if not src.has_output:
                raise AsmError(f'source "{src.name}" has no output ({src.type} units have none)')
            hops = src.hops(u)
            if hops > self.f.data_hops:
                raise AsmError(f'a route of {hops} hops from "{src.name}" to "{u.name}"; the data '
                               f"network reaches {self.f.data_hops}")
        self.routes[key] = line.number
        text = f"ROUTE {u.name}.{port} <- {src.name if src else 'none'}"
        self.records[ROUTE].append(Record(ROUTE, [u.index, key[1], src.index if src else NONE], text,
                                          line.number))

    def init(self, line, args):
        if len(args) < 2:
            raise AsmError(".init needs a unit and values: .init UNIT[@FIRST] VALUE...")
        name, at, first_text = args[0].partition("@")
        u = self.unit(name)
        if u.type not in INIT_WHAT:
            raise AsmError(f'"{u.name}" has nothing to initialise (type {u.type}; .init sets rf '
                           "registers, imm constants, alu and dot8 outputs, lsu address registers)")
        what, single = INIT_WHAT[u.type]
        first = self.ranged(first_text, "first", 0, MAX_REGISTERS - 1) if at else 0
        values = [self.ranged(v, "value", VALUE_MIN, VALUE_MAX) & 0xFFFFFFFF for v in args[1:]]
        if single:
            if first != 0 or len(values) != 1:
                raise AsmError(f'"{u.name}" takes one value, its {what} (first 0): '
                               f"{len(values)} from {first}")
        elif first + len(values) > u.registers:
            raise AsmError(f'"{u.name}" has {u.registers} {what}: {len(values)} values from {first} '
                           "go past them")
        text = f"INIT {u.name} {what}" + (f" from {first}" if not single else "")
        self.records[INIT].append(Record(INIT, [u.index, first, len(values)] + values, text,
                                         line.number))

    def group_record(self, g):
        """The GROUP record of group g, after every .bind (two ABUs in the group: an error)."""
        decs = self.groups[g][1]
        abus = [(u, d) for d in decs for u in self.bound.get(d.index, []) if u.type == "abu"]
        if len(abus) > 1:
            shown = ", ".join(f'"{u.name}" on "{d.name}"' for u, d in abus)
            raise AsmError(f"group {g} has {len(abus)} abu units ({shown}); at most one")
        mask = sum(1 << d.decoder for d in decs)
        self.records[GROUP].append(Record(GROUP, [g, mask], f"GROUP {g}: "
                                          + " ".join(d.name for d in decs), self.groups[g][0]))

    # the table

    def columns(self, header):
        if header.cells[0]:
            raise AsmError(f'the header\'s first cell is the label column: leave it empty, not '
                           f'"{header.cells[0]}"')
        if len(header.cells) < 2:
            raise AsmError("the header names no decoder: |  | DECODER | ... |")
        columns = []
        for i, name in enumerate(header.cells[1:], 1):
            if not name:
                raise AsmError(f"header cell {i + 1} is empty: name a decoder")
            d = self.decoder(name)
            if d in columns:
                raise AsmError(f'decoder "{name}" has two columns')
            if d.index not in self.group_of:
                raise AsmError(f'decoder "{name}" runs in no group (.group G {name} ...)')
            columns.append(d)
        return columns

    def row(self, line, columns, programs):
        if line.address >= self.f.imem:
            raise AsmError(f"instruction {line.address} is past the instruction memory "
                           f"({self.f.imem} instructions)")
        if len(line.cells) != len(columns) + 1:
            raise AsmError(f"{len(line.cells)} cells; the header has {len(columns) + 1}")
        for dec, cell, words in zip(columns, line.cells[1:], programs):
            words.append(self.cell(cell, dec, line.address))

    def program_records(self, header, columns, programs, rows):
        """A PROGRAM record per column, every row, nops included: a PROGRAM from 0 replaces the
        decoder's program, so a column of nops clears what an earlier kernel left there."""
        for column, (dec, words) in enumerate(zip(columns, programs), 1):
            listing = [(ln.address, " ".join(f"{n}:" for n in ln.labels), ln.cells[column], ln.number)
                       for ln in rows]
            self.records[PROGRAM].append(Record(
                PROGRAM, [dec.decoder, 0, len(words)] + words,
                f"PROGRAM {dec.name}: {len(words)} instructions from 0", header.number, listing))

    def cell(self, text, dec, address):
        parts = text.split()
        if not parts or parts == ["nop"]:
            return 0
        units = self.bound.get(dec.index)
        if not units:
            raise AsmError(f'"{text}": decoder "{dec.name}" drives no unit in this kernel (.bind '
                           f"{dec.name} UNIT...): its cells must be empty or nop")
        kind, op = units[0].type, parts[0]
        if op == "nop":
            raise AsmError(f'"{text}": nop takes no fields')
        if op not in OPS[kind]:
            raise AsmError(f'unknown operation "{op}" for {kind} units (decoder "{dec.name}" drives '
                           f'"{units[0].name}")')
        number, a_kind, imm_kind = OPS[kind][op]
        fields = [(f, k) for f, k in (("a", a_kind), ("imm", imm_kind)) if k]
        usage = " ".join([op] + [FIELD_NAMES.get((op, f), FIELD_SYNTAX[k]) for f, k in fields])
        if len(parts) - 1 != len(fields):
            raise AsmError(f'"{text}": {op} takes {len(fields)} field{"s" * (len(fields) != 1)} '
                           f"({usage})")
        a = imm = 0
        for (field, k), arg in zip(fields, parts[1:]):
            v = self.field(op, field, k, arg, units, address)
            if field == "a":
                a = v
            else:
                imm = v
        return number | a << 8 | (imm & 0xFFFF) << 16

    def field(self, op, field, k, arg, units, address):
        name = f"{op}'s {field}"
        if k == "reg":
            regs = min(u.registers for u in units)
            v = self.value(arg, name)
            if not 0 <= v < regs:
                fewest = min(units, key=lambda u: u.registers)
                raise AsmError(f'{name} {arg}: no such register ("{fewest.name}" has {regs})')
            return v
        if k == "value":
            return self.ranged(arg, name, IMM_MIN, IMM_MAX)
        if k == "count":
            return self.ranged(arg, name, 0, COUNT_MAX)
        v = self.ranged(arg, name, 0, 255, labels=True)  # addr
        shown = arg if INTEGER.match(arg) else f"{arg} (= {v})"
        if v >= self.insns:
            raise AsmError(f"{name} {shown} is past the program ({self.insns} instructions)")
        if op in ("loop", "loopr") and v <= address:
            raise AsmError(f"{name} {shown} is not after the loop (instruction {address})")
        return v


def make(source_text, fabric, source_name="<source>"):
    """Makes the image of source_text for fabric: a Kernel, or AsmError "SOURCE:LINE: problem".
    The order of the checks: the scan (syntax, .equ, labels), the directives in line order, the
    groups (in group order, at their .group line), the table's header, its rows in order."""
    lines, symbols = scan(source_text, source_name)
    rows = [ln for ln in lines if ln.kind == "row"]
    m = Maker(fabric, symbols, len(rows))

    def at(number, fn, *args):
        try:
            return fn(*args)
        except AsmError as e:
            raise AsmError(f"{source_name}:{number}: {e}") from None

    for line in lines:
        if line.kind == "directive":
            at(line.number, m.directive, line)
    for g in sorted(m.groups):
        at(m.groups[g][0], m.group_record, g)
    header = next((ln for ln in lines if ln.kind == "header"), None)
    if header is not None:
        columns = at(header.number, m.columns, header)
        programs = [[] for _ in columns]
        for line in rows:
            at(line.number, m.row, line, columns, programs)
        m.program_records(header, columns, programs, rows)
    kernel = Kernel(fabric)
    kernel.records = [r for kind in (BIND, ROUTE, GROUP, PROGRAM, INIT) for r in m.records[kind]]
    if not kernel.records:
        raise AsmError(f"{source_name}: nothing to configure (no .bind, .route, .group, .init or "
                       "operation)")
    kernel.records.append(Record(END, [], "END", None))
    kernel.labels = {n: v for n, (v, _, kind) in symbols.items() if kind == "label"}
    kernel.groups = sum(1 << g for g in m.groups)
    kernel.insns = len(rows)
    return kernel


# --- outputs ----------------------------------------------------------------------------------

def comment_text(text):
    return text.strip().replace("*/", "* /")


def record_rows(kernel):
    """(word offset, words, description) per line of the image: the image header, each record
    (a PROGRAM: its header and payload head, then each instruction)."""
    f = kernel.fabric
    words = kernel.words
    out = [(0, words[:4], f'image: "CGRA", version {VERSION}, {4 * len(words)} bytes, '
                          f"{len(f.units)} units (fabric {f.name})")]
    offset = 4
    for r in kernel.records:
        w = r.words
        where = f" (line {r.line})" if r.line else ""
        if r.kind == PROGRAM:
            out.append((offset, w[:4], r.text + where))
            for i, (address, labels, text, line) in enumerate(r.rows):
                out.append((offset + 4 + i, [w[4 + i]],
                            f"  {address:3}  {labels + ' ' if labels else ''}{text or 'nop'}"
                            f" (line {line})"))
        elif r.kind == INIT and len(w) > 8:
            out.append((offset, w[:4], r.text + where))
            for i in range(4, len(w), 8):
                out.append((offset + i, w[i:i + 8], ""))
        else:
            out.append((offset, w, r.text + where))
        offset += len(w)
    return out


def header_text(kernel, name, source_shown):
    f, words = kernel.fabric, kernel.words
    out = [f"/* Generated by tools/cgra/cgrasm.py from {comment_text(source_shown)} for fabric "
           f"{comment_text(f.name)}. Do not edit. */\n",
           f"#ifndef CGRASM_{name}_H\n#define CGRASM_{name}_H\n#include <stdint.h>\n\n",
           f"#define {name}_WORDS {len(words)}\n#define {name}_BYTES {4 * len(words)}\n",
           f"#define {name}_UNITS {len(f.units)}\n#define {name}_INSNS {kernel.insns}\n",
           f"#define {name}_GROUPS 0x{kernel.groups:02x}\n"]
    out += [f"#define {name}_LABEL_{label} {addr}\n" for label, addr in kernel.labels.items()]
    out.append(f"\nstatic const uint32_t {name}_image[] = {{\n")
    for _, ws, text in record_rows(kernel):
        hexed = " ".join(f"0x{w:08x}u," for w in ws)
        if text.startswith("  "):  # an instruction: its comment on its line
            out.append(f"  {hexed}  /* {comment_text(text)} */\n")
            continue
        if text:
            out.append(f"  /* {comment_text(text)} */\n")
        out.append(f"  {hexed}\n")
    out.append("};\n\n#endif\n")
    return "".join(out)


def listing_text(kernel):
    out = []
    for offset, ws, text in record_rows(kernel):
        hexed = " ".join(f"{w:08x}" for w in ws)
        out.append(f"{offset:04x}  {hexed:44}  {text}".rstrip())
    return "\n".join(out) + "\n"


def image_bytes(kernel):
    words = kernel.words
    return struct.pack(f"<{len(words)}I", *words)


def c_name(text):
    name = re.sub(r"[^A-Za-z0-9_]", "_", text)
    return name if IDENT.match(name) else "cgra_" + name


def shown_path(path):
    full = os.path.abspath(path)
    rel = os.path.relpath(full, ROOT)
    return path if rel.startswith("..") else rel.replace(os.sep, "/")


def write_file(path, data):
    try:
        with open(path, "wb") as f:
            f.write(data)
    except OSError as e:
        raise AsmError(f"{path}: cannot write: {e.strerror}") from None


def parse_args(argv):
    ap = argparse.ArgumentParser(prog="cgrasm.py", description=__doc__.split("\n\n")[0])
    ap.add_argument("source", metavar="SOURCE.cgra")
    ap.add_argument("--fabric", default=DEFAULT_FABRIC, metavar="FILE",
                    help="fabric description (default: models/accelerators/cgra/blocks.json)")
    ap.add_argument("-o", dest="header", metavar="OUT.h", help="write a C header")
    ap.add_argument("--bin", metavar="OUT.bin", help="write the raw little-endian image")
    ap.add_argument("--name", help="C name of the kernel (default: the source's stem)")
    ap.add_argument("--list", action="store_true", help="print a listing to stdout")
    args = ap.parse_args(argv)
    if args.name is not None and not IDENT.match(args.name):
        ap.error(f'--name "{args.name}" is not a C identifier')
    return args


def main(argv=None):
    args = parse_args(argv)
    name = args.name or c_name(os.path.splitext(os.path.basename(args.source))[0])
    try:
        fabric = load_fabric(args.fabric)
        try:
            with open(args.source, encoding="utf-8") as f:
                text = f.read()
        except (OSError, UnicodeDecodeError) as e:
            raise AsmError(f"{args.source}: cannot read: {getattr(e, 'strerror', None) or e}") from None
        kernel = make(text, fabric, args.source)
        if args.header:
            write_file(args.header, header_text(kernel, name, shown_path(args.source)).encode("utf-8"))
        if args.bin:
            write_file(args.bin, image_bytes(kernel))
    except AsmError as e:
        print(e, file=sys.stderr)
        return 1
    if args.list:
        sys.stdout.write(listing_text(kernel))
    return 0


if __name__ == "__main__":
    sys.exit(main())

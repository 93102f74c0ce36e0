#!/usr/bin/python3
"""Assembler of the `tta` accelerator (docs/models/tta.md): reads a machine description (JSON) and
an assembly source, checks every move against the machine, and writes the program image.

    ttasm.py [--machine FILE] [-o OUT.h] [--bin OUT.bin] [--name NAME] [--list] SOURCE.tta

Exit status: 0 assembled, 1 an error in the machine description or the source (the first one,
as "FILE: /json/path: problem" or "SOURCE:LINE: problem"), 2 a usage error.

An instruction is one 64-bit little-endian slot per bus, in bus order:

    bits  1:0   kind: 0 no move, 1 move from a port or register, 2 short immediate, 3 long immediate
    bit   2     guarded            bit 3  guard inverted (!)      bits 7:4  guard register
    bits 15:8   destination unit   bits 23:16  destination port or register
    bits 31:24  operation (a move to a trigger port; else 0)
    bits 63:32  kind 1: source unit (39:32), source port or register (47:40), 63:48 zero;
                kind 2: the immediate, 32-bit two's complement; kind 3: the 32-bit value
"""
import argparse
import json
import os
import re
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
DEFAULT_MACHINE = os.path.join(ROOT, "models", "accelerators", "tta", "braintta.json")

IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
INTEGER = re.compile(r"[-+]?(0[xX][0-9a-fA-F]+|[0-9]+)\Z")
REGISTER = re.compile(r"r?([0-9]+)\Z")

# operation: (inputs, outputs, memory it needs: None, "any" or "pmem")
ALU = (2, 1, None)
OPERATIONS = {
    "add": ALU, "sub": ALU, "and": ALU, "ior": ALU, "xor": ALU, "mul": ALU,
    "shl": ALU, "shr": ALU, "shru": ALU, "eq": ALU, "ne": ALU, "gt": ALU, "gtu": ALU,
    "min": ALU, "max": ALU,
    "ld32": (1, 1, "any"), "ld16u": (1, 1, "any"), "ld16s": (1, 1, "any"),
    "ld8u": (1, 1, "any"), "ld8s": (1, 1, "any"),
    "st32": (2, 0, "any"), "st16": (2, 0, "any"), "st8": (2, 0, "any"),
    "st64": (2, 0, "any"), "st256": (2, 0, "any"), "st1024": (2, 0, "any"),
    "clr": (1, 1, None), "ldacc": (1, 1, "pmem"),
    "mac8": (2, 1, "pmem"), "mact": (2, 1, "pmem"), "macb": (2, 1, "pmem"),
    "req8": (3, 1, None), "sign": (2, 1, None), "tern": (2, 1, None),
}
CONTROL_OPERATIONS = {"jump": (1, 0, None), "call": (1, 1, None), "halt": (1, 0, None),
                      "loop": (2, 0, None)}
MAX_GUARDS = 16
MAX_MEMORY = 16 << 20


class AsmError(Exception):
    """An error with its complete message ("FILE: /path: problem" or "SOURCE:LINE: problem")."""


# --- machine description --------------------------------------------------------------------

class Port:
    def __init__(self, index, name, role, width):
        self.index, self.name, self.role, self.width = index, name, role, width


class Operation:
    def __init__(self, index, name, latency):
        self.index, self.name, self.latency = index, name, latency


class Unit:
    def __init__(self, index, name, kind):
        self.index, self.name, self.kind = index, name, kind
        self.ports, self.operations = [], []
        self.registers = self.width = self.read_ports = self.write_ports = 0
        self.guard, self.guard_base, self.memory, self.delay_slots = False, 0, None, 0

    @property
    def has_registers(self):
        return self.kind in ("registers", "immediate")

    def port(self, name):
        return next((p for p in self.ports if p.name == name), None)

    def operation(self, name):
        return next((o for o in self.operations if o.name == name), None)


class Bus:
    def __init__(self, index, name, width, simm_bits):
        self.index, self.name, self.width, self.simm_bits = index, name, width, simm_bits
        self.sources, self.destinations = set(), set()  # endpoint keys (below)


class Machine:
    """units, buses, unit(name), imem (instructions), guard_count."""

    def __init__(self, name):
        self.name, self.units, self.buses = name, [], []
        self.imem = self.dmem = self.pmem = 0
        self.guard_count = 0

    def unit(self, name):
        return next((u for u in self.units if u.name == name), None)


def port_key(unit, port):
    return ("port", unit.index, port.index)


def unit_key(unit):
    return ("unit", unit.index)


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
                self.fail(path, f'missing "{key}"')
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
    except json.JSONDecodeError as e:
        raise AsmError(f"{file}:{e.lineno}:{e.colno}: {e.msg}") from None


def load_machine(file):
    """The machine description in file, validated (AsmError on the first problem)."""
    r = Reader(file)
    top = r.obj(read_json(file), "", ("name", "memories", "buses", "units"))
    m = Machine(r.string(top, "name", ""))
    if not IDENT.match(m.name):
        r.fail("/name", f'"{m.name}" is not a name (letters, digits, _)')
    read_memories(r, m, top)
    units = r.array(top, "units", "", 1, 255)
    for i, node in enumerate(units):
        m.units.append(read_unit(r, i, node, f"/units/{i}"))
    check_units(r, m)
    for i, node in enumerate(r.array(top, "buses", "", 1, 16)):
        m.buses.append(read_bus(r, m, i, node, f"/buses/{i}"))
    check_reach(r, m)
    return m


def read_memories(r, m, top):
    mem = r.obj(top["memories"], "/memories", ("imem", "dmem", "pmem"))
    m.imem = r.integer(r.obj(mem["imem"], "/memories/imem", ("instructions",)), "instructions",
                       "/memories/imem", 1, 65536)
    for name in ("dmem", "pmem"):
        path = f"/memories/{name}"
        size = r.integer(r.obj(mem[name], path, ("bytes",)), "bytes", path, 128, MAX_MEMORY)
        if size % 128:
            r.fail(path + "/bytes", f"{size} is not a multiple of 128")
        setattr(m, name, size)


UNIT_KEYS = {
    "control": (("name", "type", "delay_slots", "ports", "operations"), ("memory",)),
    "immediate": (("name", "type", "registers", "width"), ()),
    "registers": (("name", "type", "registers", "width", "read_ports", "write_ports"), ("guard",)),
    "fu": (("name", "type", "ports", "operations"), ("memory",)),
}


def read_unit(r, index, node, path):
    r.obj(node, path, ("name", "type"), ("registers", "width", "read_ports", "write_ports", "guard",
                                         "ports", "operations", "memory", "delay_slots"))
    kind = r.string(node, "type", path, tuple(UNIT_KEYS))
    r.obj(node, path, *UNIT_KEYS[kind])
    name = r.string(node, "name", path)
    if not IDENT.match(name):
        r.fail(path + "/name", f'"{name}" is not a name (letters, digits, _)')
    u = Unit(index, name, kind)
    if kind == "immediate":
        u.registers = r.integer(node, "registers", path, 1, 16)
        u.width = r.integer(node, "width", path, 1, 32)
    elif kind == "registers":
        u.registers = r.integer(node, "registers", path, 1, 256)
        u.width = r.integer(node, "width", path, 1, 32)
        u.read_ports = r.integer(node, "read_ports", path, 1, 16)
        u.write_ports = r.integer(node, "write_ports", path, 1, 16)
        u.guard = node.get("guard", False)
        if not isinstance(u.guard, bool):
            r.fail(path + "/guard", "expected true or false")
    else:
        if kind == "control":
            u.delay_slots = r.integer(node, "delay_slots", path, 0, 8)
        if "memory" in node:
            u.memory = r.string(node, "memory", path, ("dmem", "pmem"))
        read_ports(r, u, node, path)
        read_operations(r, u, node, path)
    return u


def read_ports(r, u, node, path):
    for i, p in enumerate(r.array(node, "ports", path, 1, 8)):
        ppath = f"{path}/ports/{i}"
        r.obj(p, ppath, ("name", "role", "width"))
        name = r.string(p, "name", ppath)
        if not IDENT.match(name):
            r.fail(ppath + "/name", f'"{name}" is not a name (letters, digits, _)')
        if u.port(name):
            r.fail(ppath + "/name", f'duplicate port name "{name}"')
        role = r.string(p, "role", ppath, ("trigger", "operand", "result"))
        u.ports.append(Port(i, name, role, r.integer(p, "width", ppath, 1, 1024)))
    triggers = sum(p.role == "trigger" for p in u.ports)
    if triggers != 1:
        r.fail(path + "/ports", f"{triggers} trigger ports; exactly one is needed")


def read_operations(r, u, node, path):
    table = CONTROL_OPERATIONS if u.kind == "control" else OPERATIONS
    inputs = sum(p.role != "result" for p in u.ports)
    outputs = sum(p.role == "result" for p in u.ports)
    for i, o in enumerate(r.array(node, "operations", path, 1, 255)):
        opath = f"{path}/operations/{i}"
        r.obj(o, opath, ("name", "latency"))
        name = r.string(o, "name", opath)
        if name not in table:
            other = "the control unit's" if name in CONTROL_OPERATIONS else "not a control"
            known = name in OPERATIONS or name in CONTROL_OPERATIONS
            r.fail(opath + "/name", f'"{name}" is {other} operation' if known else
                   f'unknown operation "{name}"')
        if u.operation(name):
            r.fail(opath + "/name", f'duplicate operation name "{name}"')
        need_in, need_out, memory = table[name]
        if need_in > inputs or need_out > outputs:
            r.fail(opath, f'"{name}" needs {need_in} inputs and {need_out} outputs; the unit has '
                   f"{inputs} and {outputs}")
        if memory == "pmem" and u.memory != "pmem":
            r.fail(opath, f'"{name}" reads the parameter memory: the unit needs "memory": "pmem"')
        if memory == "any" and u.memory is None:
            r.fail(opath, f'"{name}" accesses a memory: the unit needs "memory" (dmem or pmem)')
        u.operations.append(Operation(i, name, r.integer(o, "latency", opath, 1, 64)))


def check_units(r, m):
    names, control = {}, None
    for u in m.units:
        if u.name in names:
            r.fail(f"/units/{u.index}/name", f'duplicate unit name "{u.name}" (/units/{names[u.name]})')
        names[u.name] = u.index
        if u.kind == "control":
            if control is not None:
                r.fail(f"/units/{u.index}", f"a second control unit (/units/{control.index})")
            control = u
        if u.guard:
            u.guard_base = m.guard_count
            m.guard_count += u.registers
            if m.guard_count > MAX_GUARDS:
                r.fail(f"/units/{u.index}/registers",
                       f"{m.guard_count} guard registers in all; at most {MAX_GUARDS}")
    if control is None:
        r.fail("/units", "no control unit")


def read_bus(r, m, index, node, path):
    r.obj(node, path, ("name", "width", "simm_bits", "sources", "destinations"))
    name = r.string(node, "name", path)
    if not IDENT.match(name):
        r.fail(path + "/name", f'"{name}" is not a name (letters, digits, _)')
    if any(b.name == name for b in m.buses):
        r.fail(path + "/name", f'duplicate bus name "{name}"')
    bus = Bus(index, name, r.integer(node, "width", path, 1, 1024),
              r.integer(node, "simm_bits", path, 0, 32))
    if bus.simm_bits > bus.width:
        r.fail(path + "/simm_bits", f"{bus.simm_bits} bits: wider than the bus ({bus.width})")
    for direction in ("sources", "destinations"):
        keys = getattr(bus, direction)
        for i, text in enumerate(r.array(node, direction, path, 0, 4096)):
            epath = f"{path}/{direction}/{i}"
            if not isinstance(text, str):
                r.fail(epath, "expected a string")
            keys.update(endpoint_keys(r, m, bus, text, direction == "sources", epath))
    return bus


def endpoint_keys(r, m, bus, text, source, path):
    """The endpoint keys an entry of a bus's sources (source) or destinations names."""
    if text == "*":
        return [key for key, width in endpoints(m, source) if width <= bus.width]
    unit_name, _, port_name = text.partition(".")
    u = m.unit(unit_name)
    if u is None:
        r.fail(path, f'"{text}": no unit "{unit_name}"')
    if u.has_registers:
        if port_name:
            r.fail(path, f'"{text}": a register file or immediate unit is named alone ("{u.name}")')
        if u.kind == "immediate" and not source:
            r.fail(path, f'"{text}": an immediate unit is written only by long immediates')
        return [unit_key(u)]
    p = u.port(port_name) if port_name else None
    if p is None:
        r.fail(path, f'"{text}": no port "{port_name}" in "{u.name}"' if port_name else
               f'"{text}": a function unit needs its port ({u.name}.PORT)')
    if source != (p.role == "result"):
        r.fail(path, f'"{text}" is {"not " if source else ""}a result port')
    return [port_key(u, p)]


def endpoints(m, source):
    """(key, width) of every endpoint of a direction: sources read, destinations written."""
    for u in m.units:
        if u.has_registers:
            if source or u.kind == "registers":
                yield unit_key(u), u.width
            continue
        for p in u.ports:
            if source == (p.role == "result"):
                yield port_key(u, p), p.width


def check_reach(r, m):
    for u in m.units:
        if u.has_registers:
            if not any(unit_key(u) in b.sources for b in m.buses):
                r.fail(f"/units/{u.index}", f'no bus reads "{u.name}"')
            if u.kind == "registers" and not any(unit_key(u) in b.destinations for b in m.buses):
                r.fail(f"/units/{u.index}", f'no bus writes "{u.name}"')
            continue
        for p in u.ports:
            key, source = port_key(u, p), p.role == "result"
            if not any(key in (b.sources if source else b.destinations) for b in m.buses):
                r.fail(f"/units/{u.index}/ports/{p.index}", f'no bus reaches "{u.name}.{p.name}"')


# --- source ----------------------------------------------------------------------------------

class Line:
    """One source line: its labels, and an instruction (slot texts) or an .equ, or nothing."""

    def __init__(self, number, text):
        self.number, self.text = number, text
        self.labels, self.slots, self.address, self.error = [], None, None, None


class Program:
    """The assembled program: words (insns x buses), labels {name: address}, lines (listing)."""

    def __init__(self, machine):
        self.machine, self.words, self.labels, self.lines = machine, [], {}, []

    @property
    def insns(self):
        return len(self.words) // len(self.machine.buses)


def strip_comment(text):
    cut = min((i for i in (text.find("#"), text.find(";")) if i >= 0), default=len(text))
    return text[:cut].strip()


def parse_integer(text):
    return int(text, 0) if not re.match(r"[-+]?0[0-9]", text) else int(text, 10)


def scan(source_text):
    """First pass: lines with their labels and slot texts; symbols {name: (value, line, kind)}."""
    lines, symbols, address = [], {}, 0
    for number, raw in enumerate(source_text.splitlines(), 1):
        line = Line(number, raw)
        lines.append(line)
        try:
            address = scan_line(line, strip_comment(raw), symbols, address)
        except AsmError as e:
            line.error = str(e)
    return lines, symbols


def scan_line(line, text, symbols, address):
    while True:
        m = re.match(r"([A-Za-z_][A-Za-z0-9_]*)\s*:", text)
        if not m:
            break
        try:
            define(symbols, m.group(1), address, line.number)
        except AsmError as e:  # reported at this line; the addresses after it stay right
            line.error = line.error or str(e)
        line.labels.append(m.group(1))
        text = text[m.end():].strip()
    if re.match(r"\.[A-Za-z]", text):  # not "...", the empty move
        scan_directive(line, text, symbols)
    elif text:
        line.slots, line.address = [s.strip() for s in text.split(",")], address
        address += 1
    return address


def scan_directive(line, text, symbols):
    words = text.split()
    if words[0] != ".equ":
        raise AsmError(f'unknown directive "{words[0]}"')
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


def define(symbols, name, value, number, kind="label"):
    if name in symbols:
        raise AsmError(f'duplicate symbol "{name}" (line {symbols[name][1]})')
    symbols[name] = (value, number, kind)


def assemble(source_text, machine, source_name="<source>"):
    """Assembles source_text for machine: a Program, or AsmError "SOURCE:LINE: problem"."""
    lines, symbols = scan(source_text)
    prog = Program(machine)
    prog.labels = {n: v for n, (v, _, kind) in symbols.items() if kind == "label"}
    for line in lines:
        try:
            if line.error:
                raise AsmError(line.error)
            if line.slots is not None:
                prog.words.extend(assemble_line(line, machine, symbols))
        except AsmError as e:
            raise AsmError(f"{source_name}:{line.number}: {e}") from None
        prog.lines.append(line)
    if not prog.words:
        raise AsmError(f"{source_name}: no instructions")
    return prog


def assemble_line(line, machine, symbols):
    buses = machine.buses
    if line.address >= machine.imem:
        raise AsmError(f"instruction {line.address} is beyond the instruction memory "
                       f"({machine.imem} instructions)")
    if len(line.slots) > len(buses):
        raise AsmError(f"{len(line.slots)} moves; the machine has {len(buses)} buses")
    moves = [assemble_slot(text, bus, machine, symbols) for text, bus in zip(line.slots, buses)]
    check_instruction(moves)
    return [mv.word for mv in moves] + [0] * (len(buses) - len(moves))


# --- moves ------------------------------------------------------------------------------------

class Move:
    """A slot: its word, and what the instruction-level checks need."""

    def __init__(self, bus):
        self.bus, self.word, self.guarded = bus, 0, False
        self.write = self.read_unit = self.write_unit = None  # destination key, register files
        self.dest_text = ""


def assemble_slot(text, bus, machine, symbols):
    mv = Move(bus)
    if text in ("", "..."):
        return mv
    if "->" not in text:
        if re.match(r"[?!]", text) and re.search(r"\blimm\b", text):
            raise AsmError("a long immediate carries no guard")
        if re.match(r"limm\b", text):
            return assemble_limm(mv, text, machine, symbols)
        raise AsmError(f'"{text}" is not a move (SOURCE -> DESTINATION), limm or ...')
    left, _, right = text.partition("->")
    if "->" in right:
        raise AsmError(f'"{text}": one move per slot (separate moves by ",")')
    guard_field, src = parse_guard(mv, left.strip(), machine)
    src_field, src_key = parse_source(mv, src, bus, machine, symbols)
    dst_field, dst_key = parse_destination(mv, right.strip(), machine)
    if src_key is not None and src_key not in bus.sources:
        raise AsmError(f'bus {bus.name} does not reach source "{src}"')
    if dst_key not in bus.destinations:
        raise AsmError(f'bus {bus.name} does not reach destination "{mv.dest_text}"')
    mv.word = guard_field | dst_field | src_field
    return mv


def parse_guard(mv, text, machine):
    """(guard bits, the source text) of "[?G|!G] SOURCE"."""
    if not text:
        raise AsmError("a move without a source")
    if text[0] not in "?!":
        if len(text.split()) != 1:
            raise AsmError(f'"{text}": a source is one word')
        return 0, text
    parts = text[1:].split()
    if len(parts) != 2:
        raise AsmError(f'"{text}": a guard is ?G or !G before the source')
    u, reg = register_of(parts[0], machine, "guard")
    if not u.guard:
        raise AsmError(f'"{parts[0]}" is not a guard register')
    index = u.guard_base + reg
    if index >= MAX_GUARDS:
        raise AsmError(f'guard register "{parts[0]}" is number {index}; guards go up to {MAX_GUARDS - 1}')
    mv.guarded = True
    return 4 | (8 if text[0] == "!" else 0) | index << 4, parts[1]


def register_of(text, machine, what):
    """(unit, register) of "unit.N" / "unit.rN" on a register file or immediate unit."""
    unit_name, _, reg = text.partition(".")
    u = machine.unit(unit_name)
    if u is None:
        raise AsmError(f'unknown unit "{unit_name}" in {what} "{text}"')
    if not u.has_registers:
        raise AsmError(f'{what} "{text}" is not a register')
    m = REGISTER.match(reg)
    if not m or int(m.group(1)) >= u.registers:
        raise AsmError(f'unknown register "{reg}" of "{u.name}" ({u.registers} registers) '
                       f'in {what} "{text}"')
    return u, int(m.group(1))


def symbol_value(text, symbols, machine):
    if text in symbols:
        return symbols[text][0]
    if machine.unit(text):
        raise AsmError(f'"{text}" is a unit: name its port or register ({text}.X)')
    raise AsmError(f'undefined symbol "{text}"')


def parse_source(mv, text, bus, machine, symbols):
    """(bits 63:32 and kind, the endpoint key or None for an immediate)."""
    if INTEGER.match(text) or IDENT.match(text):
        value = parse_integer(text) if INTEGER.match(text) else symbol_value(text, symbols, machine)
        check_short(value, text, bus)
        return 2 | (value & 0xFFFFFFFF) << 32, None
    parts = text.split(".")
    if len(parts) != 2:
        raise AsmError(f'bad source "{text}": a result port, a register, an integer or a symbol')
    u = machine.unit(parts[0])
    if u is None:
        raise AsmError(f'unknown unit "{parts[0]}" in source "{text}"')
    if u.has_registers:
        u, reg = register_of(text, machine, "source")
        if u.kind == "registers":
            mv.read_unit = u
        return 1 | (u.index | reg << 8) << 32, unit_key(u)
    p = find_port(u, parts[1], text)
    if p.role != "result":
        raise AsmError(f'source "{text}" is not a result port')
    return 1 | (u.index | p.index << 8) << 32, port_key(u, p)


def check_short(value, text, bus):
    bits = bus.simm_bits
    if bits == 0:
        raise AsmError(f'bus {bus.name} carries no short immediate ("{text}")')
    lo, hi = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    if not lo <= value <= hi:
        shown = f'"{text}" (= {value})' if not INTEGER.match(text) else text
        raise AsmError(f"short immediate {shown} does not fit bus {bus.name} "
                       f"({bits} bits: {lo}..{hi})")


def find_port(u, name, text):
    p = u.port(name)
    if p is None:
        raise AsmError(f'unknown port "{name}" of "{u.name}" in "{text}"')
    return p


def parse_destination(mv, text, machine):
    """(bits 31:8, the endpoint key); sets mv's conflict and register-file fields."""
    mv.dest_text = text
    parts = text.split(".")
    if len(parts) not in (2, 3) or not all(parts):
        raise AsmError(f'bad destination "{text}": unit.port, unit.port.operation or a register')
    u = machine.unit(parts[0])
    if u is None:
        raise AsmError(f'unknown unit "{parts[0]}" in destination "{text}"')
    if u.has_registers:
        return register_destination(mv, u, parts, text, machine)
    p = find_port(u, parts[1], text)
    if p.role == "result":
        raise AsmError(f'destination "{text}" is a result port')
    op = 0
    if len(parts) == 3:
        if p.role != "trigger":
            raise AsmError(f'operation "{parts[2]}" on "{u.name}.{p.name}", which is not a trigger port')
        o = u.operation(parts[2])
        if o is None:
            raise AsmError(f'unknown operation "{parts[2]}" of "{u.name}"')
        op = o.index
    elif p.role == "trigger":
        raise AsmError(f'"{text}" is a trigger port: name its operation ({text}.OP)')
    mv.write = port_key(u, p)
    return u.index << 8 | p.index << 16 | op << 24, mv.write


def register_destination(mv, u, parts, text, machine):
    if u.kind == "immediate":
        raise AsmError(f'"{text}": immediate unit "{u.name}" is written only by limm')
    if len(parts) == 3:
        raise AsmError(f'operation "{parts[2]}" on register "{parts[0]}.{parts[1]}"')
    u, reg = register_of(text, machine, "destination")
    mv.write, mv.write_unit = ("reg", u.index, reg), u
    return u.index << 8 | reg << 16, unit_key(u)


def assemble_limm(mv, text, machine, symbols):
    m = re.match(r"limm\s+(\S+)\s*=\s*(\S+)\Z", text)
    if not m:
        raise AsmError(f'"{text}": a long immediate is limm UNIT.R = VALUE')
    target, value_text = m.groups()
    u, reg = register_of(target, machine, "limm target")
    if u.kind != "immediate":
        raise AsmError(f'limm to "{target}", which is not an immediate unit register')
    if INTEGER.match(value_text):
        value = parse_integer(value_text)
    elif IDENT.match(value_text):
        value = symbol_value(value_text, symbols, machine)
    else:
        raise AsmError(f'limm value "{value_text}" is not an integer or a symbol')
    if not -(1 << 31) <= value < (1 << 32):
        raise AsmError(f"long immediate {value_text} does not fit 32 bits")
    mv.write, mv.dest_text = ("reg", u.index, reg), target
    mv.word = 3 | u.index << 8 | reg << 16 | (value & 0xFFFFFFFF) << 32
    return mv


def check_instruction(moves):
    """Two unguarded writes to one destination; register-file ports (unguarded moves)."""
    written, reads, writes = {}, {}, {}
    for mv in moves:
        if mv.guarded or mv.word == 0:
            continue
        if mv.write in written:
            raise AsmError(f'two unguarded writes to "{mv.dest_text}" '
                           f"(buses {written[mv.write].name} and {mv.bus.name})")
        written[mv.write] = mv.bus
        for unit, count in ((mv.read_unit, reads), (mv.write_unit, writes)):
            if unit is not None:
                count[unit] = count.get(unit, 0) + 1
    for count, what, attr in ((reads, "reads", "read_ports"), (writes, "writes", "write_ports")):
        for u, n in count.items():
            if n > getattr(u, attr):
                raise AsmError(f'{n} unguarded {what} of register file "{u.name}"; it has '
                               f"{getattr(u, attr)} {attr.replace('_', ' ')}")


# --- outputs ----------------------------------------------------------------------------------

def comment_text(text):
    return text.strip().replace("*/", "* /")


def header_text(prog, name, source_shown):
    b = len(prog.machine.buses)
    out = [f"/* Generated by tools/tta/ttasm.py from {comment_text(source_shown)} for machine "
           f"{comment_text(prog.machine.name)}. Do not edit. */\n",
           f"#ifndef TTASM_{name}_H\n#define TTASM_{name}_H\n#include <stdint.h>\n\n",
           f"#define {name}_INSNS {prog.insns}\n#define {name}_BUSES {b}\n"]
    out += [f"#define {name}_LABEL_{label} {addr}\n" for label, addr in prog.labels.items()]
    out.append(f"\nstatic const uint64_t {name}_image[] = {{\n")
    for line in prog.lines:
        if line.slots is None:
            continue
        words = prog.words[line.address * b:(line.address + 1) * b]
        out.append(f"  /* {line.address}: {comment_text(strip_comment(line.text))} */\n")
        out.append("  " + " ".join(f"0x{w:016x}ull," for w in words) + "\n")
    out.append("};\n\n#endif\n")
    return "".join(out)


def listing_text(prog):
    b = len(prog.machine.buses)
    out = []
    for line in prog.lines:
        text = line.text.rstrip()
        if line.slots is None:  # labels, directives, comments
            out.append(f"{'':6}{text}" if text.strip() else "")
            continue
        words = prog.words[line.address * b:(line.address + 1) * b]
        out.append(f"{line.address:04x}  " + " ".join(f"{w:016x}" for w in words) + f"  {text}")
    return "\n".join(out).rstrip() + "\n"


def image_bytes(prog):
    return struct.pack(f"<{len(prog.words)}Q", *prog.words)


def c_name(text):
    name = re.sub(r"[^A-Za-z0-9_]", "_", text)
    return name if IDENT.match(name) else "tta_" + name


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
    ap = argparse.ArgumentParser(prog="ttasm.py", description=__doc__.split("\n\n")[0])
    ap.add_argument("source", metavar="SOURCE.tta")
    ap.add_argument("--machine", default=DEFAULT_MACHINE, metavar="FILE",
                    help="machine description (default: models/accelerators/tta/braintta.json)")
    ap.add_argument("-o", dest="header", metavar="OUT.h", help="write a C header")
    ap.add_argument("--bin", metavar="OUT.bin", help="write the raw little-endian image")
    ap.add_argument("--name", help="C name of the program (default: the source's stem)")
    ap.add_argument("--list", action="store_true", help="print a listing to stdout")
    args = ap.parse_args(argv)
    if args.name is not None and not IDENT.match(args.name):
        ap.error(f'--name "{args.name}" is not a C identifier')
    return args


def main(argv=None):
    args = parse_args(argv)
    name = args.name or c_name(os.path.splitext(os.path.basename(args.source))[0])
    try:
        machine = load_machine(args.machine)
        try:
            with open(args.source, encoding="utf-8") as f:
                text = f.read()
        except (OSError, UnicodeDecodeError) as e:
            raise AsmError(f"{args.source}: cannot read: {getattr(e, 'strerror', None) or e}") from None
        prog = assemble(text, machine, args.source)
        if args.header:
            write_file(args.header, header_text(prog, name, shown_path(args.source)).encode("utf-8"))
        if args.bin:
            write_file(args.bin, image_bytes(prog))
    except AsmError as e:
        print(e, file=sys.stderr)
        return 1
    if args.list:
        sys.stdout.write(listing_text(prog))
    return 0


if __name__ == "__main__":
    sys.exit(main())

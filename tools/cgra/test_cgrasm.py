#!/usr/bin/python3
"""Self test of cgrasm.py (< 2 s): every record and every operation's fields against
docs/models/cgra.md by hand-computed words, labels, .equ, every fabric-description and source
error, the command line (header, raw image, listing, exit codes), and the examples (sum.cgra,
fc4_blocks.cgra) and a control-flow kernel run on a small executor of the doc's execution rules
against Python references.

    /usr/bin/python3 tools/cgra/test_cgrasm.py [-v] [TestClass[.test]]
"""
import copy
import json
import os
import random
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import cgrasm  # noqa: E402
from cgrasm import BIND, END, GROUP, INIT, MAGIC, PROGRAM, ROUTE  # noqa: E402

CGRASM = [sys.executable, os.path.join(HERE, "cgrasm.py")]
SUM = os.path.join(HERE, "examples", "sum.cgra")
FC4 = os.path.join(HERE, "examples", "fc4_blocks.cgra")
M32 = 0xFFFFFFFF


def record(kind, *payload):
    """A record's words as the doc gives them: header `type | payload words << 8`, payload."""
    return [kind | len(payload) << 8, *payload]


# A small fabric: three decoders (unit indices 0, 2, 12: decoder numbers 0, 1, 2), every unit
# type, two register files of different sizes, two ABUs, control reach 2 and data reach 3 hops,
# 8 instructions, 2 banks of 64 bytes.
SMALL = {
    "name": "small",
    "memory": {"banks": 2, "bank_bytes": 64},
    "imem": {"instructions": 8},
    "data_network": {"max_hops": 3},
    "control_network": {"max_hops": 2},
    "units": [
        {"name": "d0", "type": "id", "x": 0, "y": 0},                       # 0
        {"name": "a0", "type": "alu", "x": 1, "y": 0},                      # 1
        {"name": "d1", "type": "id", "x": 0, "y": 1},                       # 2
        {"name": "a1", "type": "alu", "x": 1, "y": 1},                      # 3
        {"name": "m0", "type": "mul", "x": 2, "y": 0},                      # 4
        {"name": "l0", "type": "lsu", "x": 2, "y": 1},                      # 5
        {"name": "r0", "type": "rf", "x": 3, "y": 2, "registers": 4},       # 6
        {"name": "r1", "type": "rf", "x": 2, "y": 2, "registers": 2},       # 7
        {"name": "k0", "type": "imm", "x": 0, "y": 2, "registers": 3},      # 8
        {"name": "b0", "type": "abu", "x": 0, "y": 3},                      # 9
        {"name": "b1", "type": "abu", "x": 1, "y": 3},                      # 10
        {"name": "p0", "type": "dot8", "x": 2, "y": 3},                     # 11
        {"name": "d2", "type": "id", "x": 3, "y": 3},                       # 12
        {"name": "far", "type": "alu", "x": 9, "y": 9},                     # 13
    ],
}


class Base(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="cgrasm-test-")
        self.blocks = cgrasm.load_fabric(cgrasm.DEFAULT_FABRIC)
        self.small = cgrasm.load_fabric(self.write("small.json", json.dumps(SMALL)))

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def write(self, name, text):
        path = os.path.join(self.tmp, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def make(self, text, fabric=None):
        return cgrasm.make(text, fabric or self.small, "t.cgra")

    def words(self, text, fabric=None):
        return self.make(text, fabric).words

    def error(self, text, line, *words, fabric=None):
        """Making fails at line, the message holding every one of words."""
        with self.assertRaises(cgrasm.AsmError) as cm:
            self.make(text, fabric)
        msg = str(cm.exception)
        self.assertTrue(msg.startswith(f"t.cgra:{line}: "), msg)
        for w in words:
            self.assertIn(w, msg)
        return msg


def records(kernel, kind):
    return [r.words for r in kernel.records if r.kind == kind]


# --- encoding ---------------------------------------------------------------------------------

class Encoding(Base):
    def test_default_fabric(self):
        f = self.blocks
        self.assertEqual((f.name, len(f.units), len(f.decoders), f.imem, f.banks, f.bank_bytes,
                          f.data_hops, f.control_hops), ("blocks", 42, 16, 256, 8, 8192, 8, 8))
        self.assertEqual(f.memory_bytes, 65536)
        self.assertEqual([d.name for d in f.decoders], [f"id{i}" for i in range(16)])
        self.assertEqual((f.unit("lsu0").index, f.unit("dot3").index, f.unit("abu1").index), (16, 31, 41))

    def test_image_by_hand(self):
        k = self.make("""
            .group 1 d1 d0
            .bind  d0 a0
            .bind  d1 k0
            .bind  -  m0
            .route a0.in0 k0
            .route a1.in1 -
            .init  k0@1 5 -1
            .init  a0 0x12345678
            |    | d0      | d1        |
            | x: | addi -2 | const 2   |
            |    |         | li 0x7fff |
        """.replace("\n            ", "\n"))
        body = (record(BIND, 1, 0) + record(BIND, 8, 1) + record(BIND, 4, 255)
                + record(ROUTE, 1, 0, 8) + record(ROUTE, 3, 1, 255)
                + record(GROUP, 1, 0b11)
                + record(PROGRAM, 0, 0, 2, 0xFFFE0009, 0)
                + record(PROGRAM, 1, 0, 2, 0x00000201, 0x7FFF0002)
                + record(INIT, 8, 1, 2, 5, 0xFFFFFFFF) + record(INIT, 1, 0, 1, 0x12345678)
                + record(END))
        self.assertEqual(len(body), 44)
        self.assertEqual(k.words, [0x41524743, 1, 192, 14] + body)
        # the same, written out: headers 0x201 (BIND, 2 words), 0x302, 0x203, 0x504, 0x505, 0x405
        self.assertEqual(k.words[4:7], [0x00000201, 1, 0])
        self.assertEqual(k.words[13:17], [0x00000302, 1, 0, 8])
        self.assertEqual(k.words[21:24], [0x00000203, 1, 3])
        self.assertEqual(k.words[24:30], [0x00000504, 0, 0, 2, 0xFFFE0009, 0])
        self.assertEqual(k.words[-1], 0)
        self.assertEqual((k.labels, k.groups, k.insns), ({"x": 0}, 0b10, 2))

    def test_decoder_numbers_are_not_unit_indices(self):
        k = self.make(".group 7 d2\n.bind d2 p0\n| | d2 |\n| | dot |\n")
        self.assertEqual(records(k, BIND), [record(BIND, 11, 2)])      # d2 is unit 12, decoder 2
        self.assertEqual(records(k, GROUP), [record(GROUP, 7, 0b100)])
        self.assertEqual(records(k, PROGRAM), [record(PROGRAM, 2, 0, 1, 2)])
        self.assertEqual(k.groups, 0x80)

    def test_record_order(self):
        # written INIT, GROUP 3, ROUTE, BIND, GROUP 1: made BIND, ROUTE, GROUP 1, GROUP 3, INIT
        k = self.make(".init a1 7\n.group 3 d0\n.route a1.in0 a0\n.bind d1 a1\n.group 1 d1\n"
                      "| | d1 | d0 |\n| | pass | |\n")
        kinds = [r.kind for r in k.records]
        self.assertEqual(kinds, [BIND, ROUTE, GROUP, GROUP, PROGRAM, PROGRAM, INIT, END])
        self.assertEqual(records(k, GROUP), [record(GROUP, 1, 0b10), record(GROUP, 3, 0b1)])
        self.assertEqual(k.groups, 0b1010)

    def test_programs_cover_every_row(self):
        # d0's column has an operation in row 2 only: n = 4 (the trailing nop too); d1's none: a
        # PROGRAM of nops all the same, which replaces what an earlier kernel left
        k = self.make(".group 0 d0 d1\n.bind d0 a0\n.bind d1 a1\n"
                      "| | d0 | d1 |\n| | | nop |\n| | nop | |\n| | li 3 | |\n| | | |\n")
        self.assertEqual(records(k, PROGRAM), [record(PROGRAM, 0, 0, 4, 0, 0, 0x0003000A, 0),
                                               record(PROGRAM, 1, 0, 4, 0, 0, 0, 0)])
        self.assertEqual(k.insns, 4)

    def check_ops(self, fabric, decoder, unit, cases, prefix=""):
        rows = "".join(f"| | {cell} |\n" for cell, _ in cases)
        k = self.make(f"{prefix}.group 0 {decoder}\n.bind {decoder} {unit}\n| | {decoder} |\n{rows}",
                      fabric)
        program = records(k, PROGRAM)[0]
        self.assertEqual(program[:4], [PROGRAM | (3 + len(cases)) << 8, fabric.unit(decoder).decoder,
                                       0, len(cases)])
        for (cell, word), got in zip(cases, program[4:]):
            self.assertEqual(got, word, f"{cell}: 0x{got:08x}")

    def test_alu_operations(self):
        self.check_ops(self.blocks, "id1", "alu0", [
            ("add", 0x01), ("sub", 0x02), ("and", 0x03), ("or", 0x04), ("xor", 0x05),
            ("shl", 0x06), ("shr", 0x07), ("shru", 0x08), ("addi -1", 0xFFFF0009),
            ("li 300", 0x012C000A), ("pass", 0x0B), ("min", 0x0C), ("max", 0x0D), ("lt", 0x0E),
            ("eq", 0x0F), ("acc", 0x10), ("inc 4", 0x00040011), ("nop", 0), ("", 0)])

    def test_mul_operations(self):
        self.check_ops(self.blocks, "id4", "mul0", [("mul", 0x01), ("muli -3", 0xFFFD0002)])

    def test_lsu_operations(self):
        self.check_ops(self.blocks, "id0", "lsu0", [
            ("ld 8", 0x00080001), ("st -4", 0xFFFC0002), ("seta 0x100", 0x01000003),
            ("ldinc 4", 0x00040004), ("stinc 16", 0x00100005)])

    def test_rf_operations(self):
        self.check_ops(self.blocks, "id3", "rf0", [
            ("rd 3", 0x00000301), ("wr 1", 0x00000102), ("rdwr 2 7", 0x00070203), ("rd 7", 0x0701)])

    def test_imm_operations(self):
        self.check_ops(self.blocks, "id4", "imm0", [
            ("const 7", 0x00000701), ("li -32768", 0x80000002), ("li 32767", 0x7FFF0002),
            ("li N", 0xFFFB0002)], prefix=".equ N -5\n")

    def test_dot8_operations(self):
        self.check_ops(self.blocks, "id2", "dot0", [("clr", 1), ("dot", 2), ("set", 3), ("add", 4)])

    def test_abu_operations(self):
        # loop END COUNT; loopr END; jump, bnz, bz TARGET; labels or numbers
        self.check_ops(self.blocks, "id5", "abu1", [
            ("loop 2 7", 0x00070201), ("loopr 3", 0x00000302), ("jump 0", 0x00000003),
            ("bnz 5", 0x00000504), ("bz 3", 0x00000305), ("halt", 0x00000006),
            ("loop 8 65535", 0xFFFF0801), ("loop 8 0", 0x00000801), ("", 0)])
        # row 3 must carry the label e: check_ops has no label column, so again with one
        k = self.make(".group 0 id5\n.bind id5 abu1\n| | id5 |\n| | loopr e |\n| | |\n"
                      "| e: | bz e |\n", self.blocks)
        self.assertEqual(records(k, PROGRAM)[0][4:], [0x0202, 0, 0x0205])

    def test_labels_and_equ(self):
        k = self.make("""
            .equ N 010         # decimal, leading zeros allowed
            .equ M N           # an earlier .equ
            .equ H 0x1F
            .group 0 d1
            .bind d1 b0
            .init k0 M H -0x10
            | | d1 |
            | a: b: | loop c M |
            | | jump later |
            | c: | bnz a |
            | later: | |
        """.replace("\n            ", "\n"))
        self.assertEqual(k.labels, {"a": 0, "b": 0, "c": 2, "later": 3})
        self.assertEqual(records(k, PROGRAM)[0][4:], [0x000A0201, 0x0303, 0x0004, 0])
        self.assertEqual(records(k, INIT), [record(INIT, 8, 0, 3, 10, 31, 0xFFFFFFF0)])

    def test_table_forms(self):
        # no trailing |, a Markdown rule under the header, comments inside and between rows
        k = self.make(".group 0 d0 d1\n.bind d0 a0\n.bind d1 a1\n"
                      "|   | d0   | d1\n"
                      "|---|:----:|---:|\n"
                      "# a comment between rows\n"
                      "|   | add  | sub  # a comment\n"
                      "\n"
                      "| x:| li 1 | inc -1 |\n")
        self.assertEqual(records(k, PROGRAM), [record(PROGRAM, 0, 0, 2, 1, 0x0001000A),
                                               record(PROGRAM, 1, 0, 2, 2, 0xFFFF0011)])
        self.assertEqual(k.labels, {"x": 1})

    def test_a_rule_later_is_a_row(self):
        self.error(".group 0 d0\n.bind d0 a0\n| | d0 |\n| | add |\n|---|---|\n", 5,
                   'bad label cell "---"')

    def test_directives_after_the_table(self):
        k = self.make("| | d0 |\n| | li 1 |\n.bind d0 a0\n.group 0 d0\n")
        self.assertEqual(records(k, PROGRAM), [record(PROGRAM, 0, 0, 1, 0x0001000A)])

    def test_rebinding_to_the_same_decoder(self):
        k = self.make(".bind d0 a0 a1\n.bind d0 a0\n.bind - m0 m0\n")
        self.assertEqual(records(k, BIND), [record(BIND, 1, 0), record(BIND, 3, 0), record(BIND, 4, 255)])

    def test_simd_and_partial_images(self):
        # one decoder drives two rfs (its registers: the smaller file's); an image with binds only
        k = self.make(".group 0 d2\n.bind d2 r0 r1\n| | d2 |\n| | rdwr 1 0 |\n")
        self.assertEqual(records(k, BIND), [record(BIND, 6, 2), record(BIND, 7, 2)])
        self.assertEqual(records(k, PROGRAM)[0][4:], [0x00000103])
        self.assertEqual(self.words(".bind - a0\n"), [MAGIC, 1, 32, 14] + record(BIND, 1, 255) + [0])

    def test_init_values(self):
        k = self.make(".init r0@2 -2147483648 4294967295\n.init k0@0 1 2 3\n.init p0 -1\n.init l0 0x40\n"
                      ".init a1@0 7\n")
        self.assertEqual(records(k, INIT), [record(INIT, 6, 2, 2, 0x80000000, 0xFFFFFFFF),
                                            record(INIT, 8, 0, 3, 1, 2, 3), record(INIT, 11, 0, 1, M32),
                                            record(INIT, 5, 0, 1, 0x40), record(INIT, 3, 0, 1, 7)])

    def test_routes(self):
        k = self.make(".route a0.in0 a0\n.route l0.in1 p0\n.route r0.in0 -\n.route b1.in0 p0\n")
        self.assertEqual(records(k, ROUTE), [record(ROUTE, 1, 0, 1), record(ROUTE, 5, 1, 11),
                                             record(ROUTE, 6, 0, 255), record(ROUTE, 10, 0, 11)])

    def test_longest_reaches(self):
        # exactly max_hops: control d0 -> m0 (2), data k0 -> a0 (3)
        self.make(".bind d0 m0\n.route a0.in0 k0\n")

    def test_program_fills_the_instruction_memory(self):
        k = self.make(".group 0 d0\n.bind d0 a0\n| | d0 |\n" + "| | li 1 |\n" * 8)
        self.assertEqual(k.insns, 8)

    def test_doc_example_corrected(self):
        # docs/models/cgra.md's example with id0's units made one type and within control reach
        k = self.make("""
            # a comment
            .equ   N 196
            .group 0 id0 id1 id2           # decoders in lock-step
            .bind  id1 dot0 dot1           # the units id1 drives (several: SIMD)
            .bind  id0 abu1
            .bind  id2 lsu0
            .route dot0.in0 lsu0           # dot0's input 0 comes from lsu0's output
            .init  lsu0 0x100              # lsu0's address register
            .init  rf0 1 2 3               # rf0's registers from 0

            |       | id0        | id1  | id2     |
            |       | loop end N | clr  |         |
            | body: |            | nop  | ldinc 4 |
            | end:  |            | dot  |         |
        """.replace("\n            ", "\n"), self.blocks)
        self.assertEqual(records(k, PROGRAM)[0], record(PROGRAM, 0, 0, 3, 0x00C40201, 0, 0))
        self.assertEqual(k.labels, {"body": 1, "end": 2})


# --- fabric description errors ----------------------------------------------------------------

class FabricErrors(Base):
    def bad(self, change, path, *words):
        d = copy.deepcopy(SMALL)
        change(d)
        file = self.write("f.json", json.dumps(d))
        with self.assertRaises(cgrasm.AsmError) as cm:
            cgrasm.load_fabric(file)
        msg = str(cm.exception)
        self.assertTrue(msg.startswith(f"{file}: {path}: "), msg)
        for w in words:
            self.assertIn(w, msg)

    def test_small_is_valid(self):
        self.assertEqual([d.name for d in self.small.decoders], ["d0", "d1", "d2"])
        self.assertEqual(self.small.unit("d2").decoder, 2)

    def test_json_syntax(self):
        file = self.write("f.json", '{"name": "x",\n "units": [}')
        with self.assertRaises(cgrasm.AsmError) as cm:
            cgrasm.load_fabric(file)
        self.assertTrue(str(cm.exception).startswith(f"{file}:2:"), str(cm.exception))

    def test_duplicate_key(self):
        file = self.write("f.json", '{"name": "a", "name": "b"}')
        with self.assertRaises(cgrasm.AsmError) as cm:
            cgrasm.load_fabric(file)
        self.assertEqual(str(cm.exception), f'{file}: duplicate key "name"')

    def test_missing_file(self):
        with self.assertRaises(cgrasm.AsmError) as cm:
            cgrasm.load_fabric(os.path.join(self.tmp, "none.json"))
        self.assertIn("cannot read", str(cm.exception))

    def test_missing_keys(self):
        self.bad(lambda d: d.pop("control_network"), "/control_network", "missing")
        self.bad(lambda d: d["memory"].pop("banks"), "/memory/banks", "missing")
        self.bad(lambda d: d["units"][6].pop("registers"), "/units/6/registers", "missing")
        self.bad(lambda d: d["units"][0].pop("x"), "/units/0/x", "missing")

    def test_unknown_keys(self):
        self.bad(lambda d: d.update(clock=1), "/clock", "unknown key")
        self.bad(lambda d: d["imem"].update(bytes=4), "/imem/bytes", "unknown key")
        self.bad(lambda d: d["units"][1].update(registers=4), "/units/1/registers", "unknown key")
        self.bad(lambda d: d["units"][0].update(z=0), "/units/0/z", "unknown key")
        d = copy.deepcopy(SMALL)
        d["comment"] = "comments are allowed anywhere"
        d["units"][0]["comment"] = "here too"
        d["memory"]["comment"] = "and here"
        self.assertEqual(cgrasm.load_fabric(self.write("f.json", json.dumps(d))).name, "small")

    def test_types(self):
        self.bad(lambda d: d["units"][1].update(type="fpu"), "/units/1/type", '"fpu" is not one of')
        self.bad(lambda d: d.update(name=""), "/name", "non-empty string")
        self.bad(lambda d: d.update(name="my fabric"), "/name", '"my fabric" is not a name')
        self.bad(lambda d: d["units"][1].update(x="1"), "/units/1/x", "an integer")
        self.bad(lambda d: d["units"][1].update(x=True), "/units/1/x", "an integer")
        self.bad(lambda d: d.update(units={}), "/units", "an array")
        self.bad(lambda d: d["units"].__setitem__(1, []), "/units/1", "an object")
        self.bad(lambda d: d.update(memory=[]), "/memory", "an object")

    def test_names(self):
        self.bad(lambda d: d["units"][1].update(name="a.0"), "/units/1/name", "not a name")
        self.bad(lambda d: d["units"][3].update(name="a0"), "/units/3/name",
                 'duplicate unit name "a0" (/units/1)')

    def test_no_decoder(self):
        self.bad(lambda d: d.update(units=[u for u in d["units"] if u["type"] != "id"]), "/units",
                 "no instruction decoder (type id)")

    def test_shared_positions(self):
        # two units on one position are allowed (as the model's parser): 0 hops between them
        d = copy.deepcopy(SMALL)
        d["units"][3].update(x=1, y=0)
        f = cgrasm.load_fabric(self.write("f.json", json.dumps(d)))
        self.assertEqual(f.unit("a1").hops(f.unit("a0")), 0)

    def test_unit_count(self):
        def units(n):
            return [{"name": f"u{i}", "type": "alu" if i else "id", "x": i % 200, "y": i // 200}
                    for i in range(n)]
        self.bad(lambda d: d.update(units=[]), "/units", "0 entries; expected 1..255")
        self.bad(lambda d: d.update(units=units(256)), "/units", "256 entries")
        d = {**SMALL, "units": units(255)}
        self.assertEqual(len(cgrasm.load_fabric(self.write("f.json", json.dumps(d))).units), 255)

    def test_decoder_count(self):
        def decoders(n):
            return lambda d: d.update(units=[{"name": f"d{i}", "type": "id", "x": i, "y": 0}
                                             for i in range(n)])
        self.bad(decoders(33), "/units/32/type", "at most 32")
        d = copy.deepcopy(SMALL)
        decoders(32)(d)
        self.assertEqual(len(cgrasm.load_fabric(self.write("f.json", json.dumps(d))).decoders), 32)

    def test_imem(self):
        self.bad(lambda d: d["imem"].update(instructions=0), "/imem/instructions",
                 "0 is out of range (1..256)")
        self.bad(lambda d: d["imem"].update(instructions=257), "/imem/instructions", "(1..256)")

    def test_banks(self):
        self.bad(lambda d: d["memory"].update(banks=0), "/memory/banks", "(1..64)")
        self.bad(lambda d: d["memory"].update(banks=65), "/memory/banks", "(1..64)")

    def test_bank_bytes(self):
        self.bad(lambda d: d["memory"].update(bank_bytes=6), "/memory/bank_bytes", "not a multiple of 4")
        self.bad(lambda d: d["memory"].update(bank_bytes=0), "/memory/bank_bytes", "(4..1048576)")
        self.bad(lambda d: d["memory"].update(bank_bytes=(1 << 20) + 4), "/memory/bank_bytes", "(4..1048576)")
        d = copy.deepcopy(SMALL)
        d["memory"] = {"banks": 64, "bank_bytes": 1 << 20}
        self.assertEqual(cgrasm.load_fabric(self.write("f.json", json.dumps(d))).memory_bytes, 64 << 20)

    def test_registers(self):
        self.bad(lambda d: d["units"][6].update(registers=0), "/units/6/registers", "(1..256)")
        self.bad(lambda d: d["units"][8].update(registers=257), "/units/8/registers", "(1..256)")

    def test_positions_and_hops(self):
        self.bad(lambda d: d["units"][1].update(x=-1), "/units/1/x", "(0..255)")
        self.bad(lambda d: d["units"][1].update(y=256), "/units/1/y", "(0..255)")
        self.bad(lambda d: d["data_network"].update(max_hops=-1), "/data_network/max_hops", "(0..512)")
        self.bad(lambda d: d["control_network"].update(max_hops=513), "/control_network/max_hops",
                 "513 is out of range (0..512)")


# --- source errors ----------------------------------------------------------------------------

class SourceErrors(Base):
    GROUPED = ".group 0 d0 d1\n.bind d0 a0\n.bind d1 b0\n"

    def table(self, *rows, header="| | d0 | d1 |"):
        return self.GROUPED + header + "\n" + "".join(r + "\n" for r in rows)

    # lines and directives

    def test_unknown_line(self):
        self.error("\n.bind d0 a0\nbind d0 a1\n", 3, '"bind d0 a1" is neither a directive')

    def test_unknown_directive(self):
        self.error(".word 5", 1, 'unknown directive ".word"')

    def test_equ(self):
        self.error(".equ X", 1, ".equ NAME VALUE")
        self.error(".equ 9X 1", 1, ".equ NAME VALUE")
        self.error(".equ X Y\n.equ Y 1", 1, "earlier .equ")

    def test_duplicate_names(self):
        self.error(".equ a 1\n.equ a 2", 2, 'duplicate name "a" (line 1)')
        self.error(".equ a 1\n| | d0 |\n| a: | |", 3, 'duplicate name "a"')
        self.error("| | d0 |\n| a: | |\n| a: | |", 3, 'duplicate name "a" (line 2)')

    def test_bad_label_cell(self):
        self.error("| | d0 |\n| start | |", 2, 'bad label cell "start"')
        self.error("| | d0 |\n| 1x: | |", 2, "bad label cell")

    def test_group_form(self):
        self.error(".group 0", 1, ".group G DECODER...")

    def test_group_number(self):
        self.error(".group 8 d0", 1, "group 8 is out of range (0..7)")
        self.error(".group -1 d0", 1, "out of range")
        self.error(".equ G 9\n.group G d0", 2, 'group "G" (= 9) is out of range')

    def test_group_unknown_decoder(self):
        self.error(".group 0 dx", 1, 'unknown decoder "dx"')

    def test_group_not_a_decoder(self):
        self.error(".group 0 a0", 1, '"a0" is not a decoder (type alu)')

    def test_decoder_in_two_groups(self):
        self.error(".group 0 d0\n.group 1 d1 d0", 2, 'decoder "d0" is in group 0 already (line 1)')
        self.error(".group 0 d0 d0", 1, "in group 0 already")

    def test_group_defined_twice(self):
        self.error(".group 0 d0\n.group 0 d1", 2, "group 0 is defined already (line 1)")

    def test_bind_form(self):
        self.error(".bind d0", 1, ".bind DECODER UNIT...")

    def test_bind_unknown_unit(self):
        self.error(".bind d0 zz", 1, 'unknown unit "zz"')
        self.error(".bind dz a0", 1, 'unknown decoder "dz"')

    def test_bind_to_a_non_decoder(self):
        self.error(".bind a0 a1", 1, '"a0" is not a decoder')

    def test_bind_a_decoder(self):
        self.error(".bind d0 d1", 1, '"d1" is a decoder')
        self.error(".bind - d1", 1, '"d1" is a decoder')

    def test_bound_twice(self):
        self.error(".bind d0 a0\n.bind d1 a0", 2, '"a0" is bound to "d0" already (line 1)')
        self.error(".bind d0 a0\n.bind - a0", 2, '"a0" is bound to "d0" already')
        self.error(".bind - a0\n.bind d0 a0", 2, '"a0" is bound as unbound already')

    def test_decoder_driving_two_types(self):
        self.error(".bind d0 a0\n.bind d0 m0", 2, 'decoder "d0" drives alu units ("a0", line 1)',
                   '"m0" is of type mul')
        self.error(".bind d0 a0 k0", 1, "drives alu units")

    def test_control_reach(self):
        self.error(".bind d0 l0", 1, '"l0" is 3 hops from decoder "d0"; the control network reaches 2')

    def test_route_form(self):
        self.error(".route a0 a1", 1, ".route UNIT.in0|in1 SOURCE|-")
        self.error(".route a0.in0", 1, ".route UNIT.in0|in1")

    def test_route_unknown_units(self):
        self.error(".route zz.in0 a0", 1, 'unknown unit "zz"')
        self.error(".route a0.in0 zz", 1, 'unknown source unit "zz"')

    def test_route_unknown_input(self):
        self.error(".route a0.in2 a1", 1, 'unknown input "in2"')

    def test_route_into_missing_inputs(self):
        self.error(".route d0.in0 a1", 1, '"d0" has no input in0 (id units have no inputs)')
        self.error(".route k0.in0 a1", 1, '"k0" has no input in0 (imm units have no inputs)')
        self.error(".route b0.in1 a1", 1, '"b0" has no input in1 (abu units have in0 only)')
        self.error(".route r0.in1 a1", 1, '"r0" has no input in1 (rf units have in0 only)')

    def test_route_from_no_output(self):
        self.error(".route a0.in0 d1", 1, 'source "d1" has no output (id units have none)')
        self.error(".route a0.in0 b0", 1, 'source "b0" has no output (abu units have none)')

    def test_route_reach(self):
        self.error(".route a0.in0 far", 1,
                   'a route of 17 hops from "far" to "a0"; the data network reaches 3')

    def test_routed_twice(self):
        self.error(".route a0.in0 a1\n.route a0.in1 a1\n.route a0.in0 -", 3,
                   '"a0.in0" is routed already (line 1)')

    def test_init_form(self):
        self.error(".init r0", 1, ".init UNIT[@FIRST] VALUE...")

    def test_init_unknown_unit(self):
        self.error(".init zz 1", 1, 'unknown unit "zz"')

    def test_init_without_registers(self):
        for name, kind in (("d0", "id"), ("m0", "mul"), ("b0", "abu")):
            self.error(f".init {name} 1", 1, f'"{name}" has nothing to initialise (type {kind};')

    def test_init_past_registers(self):
        self.error(".init r0 1 2 3 4 5", 1, '"r0" has 4 registers: 5 values from 0 go past them')
        self.error(".init k0@2 1 2", 1, '"k0" has 3 constants: 2 values from 2')
        self.error(".init r1@300 1", 1, "first 300 is out of range (0..255)")

    def test_init_one_value(self):
        self.error(".init a0 1 2", 1, '"a0" takes one value, its output (first 0): 2 from 0')
        self.error(".init p0@1 1", 1, '"p0" takes one value, its output')
        self.error(".init l0 1 2", 1, '"l0" takes one value, its address register')

    def test_init_value_range(self):
        self.error(".init r0 4294967296", 1, "value 4294967296 is out of range (-2147483648..4294967295)")
        self.error(".init r0 -2147483649", 1, "out of range")

    def test_group_with_two_abus(self):
        # reported at the .group line, after every .bind
        self.error(".bind d0 a0\n.group 2 d0 d1 d2\n.bind d1 b0\n.bind d2 b1\n", 2,
                   'group 2 has 2 abu units ("b0" on "d1", "b1" on "d2"); at most one')
        self.make(".bind d1 b0\n.bind d2 b1\n.group 0 d1\n.group 1 d2")  # one per group
        # two on one decoder (SIMD): d1 reaches b1 with 3 control hops
        d = copy.deepcopy(SMALL)
        d["control_network"]["max_hops"] = 3
        f = cgrasm.load_fabric(self.write("f3.json", json.dumps(d)))
        self.error(".group 0 d1\n.bind d1 b0 b1\n", 1, '"b0" on "d1", "b1" on "d1"', fabric=f)

    # the table

    def test_header_label_cell(self):
        self.error(self.table(header="| x | d0 |"), 4, "the header's first cell is the label column")

    def test_header_empty_cell(self):
        self.error(self.table(header="| | d0 | |"), 4, "header cell 3 is empty")

    def test_header_without_decoders(self):
        self.error(self.table(header="| |"), 4, "the header names no decoder")

    def test_header_unknown_decoder(self):
        self.error(self.table(header="| | d0 | dx |"), 4, 'unknown decoder "dx"')

    def test_header_not_a_decoder(self):
        self.error(self.table(header="| | d0 | a0 |"), 4, '"a0" is not a decoder')

    def test_header_duplicate_column(self):
        self.error(self.table(header="| | d0 | d0 |"), 4, 'decoder "d0" has two columns')

    def test_decoder_in_no_group(self):
        self.error(self.table(header="| | d0 | d2 |"), 4, 'decoder "d2" runs in no group')

    def test_cell_count(self):
        self.error(self.table("| | add | |", "| | add |"), 6, "2 cells; the header has 3")
        self.error(self.table("| | add | | |"), 5, "4 cells; the header has 3")

    def test_unknown_operation(self):
        self.error(self.table("| | | |", "| | ld 4 | |"), 6,
                   'unknown operation "ld" for alu units (decoder "d0" drives "a0")')
        self.error(self.table("| | | add |"), 5, 'unknown operation "add" for abu units')

    def test_missing_field(self):
        self.error(self.table("| | addi | |"), 5, '"addi": addi takes 1 field (addi IMM)')
        self.error(self.table("| | | loop 0 |"), 5, "loop takes 2 fields (loop END COUNT)")
        self.error(self.table("| | | jump |"), 5, "(jump TARGET)")

    def test_extra_field(self):
        self.error(self.table("| | add 1 | |"), 5, "add takes 0 fields (add)")
        self.error(self.table("| | li 1 2 | |"), 5, "li takes 1 field")
        self.error(self.table("| | nop 1 | |"), 5, "nop takes no fields")

    def test_imm_range(self):
        self.error(self.table("| | li 32768 | |"), 5, "li's imm 32768 is out of range (-32768..32767)")
        self.error(self.table("| | addi -32769 | |"), 5, "out of range (-32768..32767)")
        self.error(".equ BIG 0x10000\n" + self.table("| | inc BIG | |"), 6, '"BIG" (= 65536) is out of range')

    def test_a_range(self):
        self.error(self.table("| | | jump 256 |"), 5, "jump's a 256 is out of range (0..255)")
        self.error(self.table("| | | jump -1 |"), 5, "out of range (0..255)")

    def test_loop_count_range(self):
        self.error(self.table("| | | loop 1 -1 |", "| | | |"), 5, "loop's imm -1 is out of range (0..65535)")
        self.error(self.table("| | | loop 1 0x10000 |", "| | | |"), 5, "0x10000 is out of range (0..65535)")

    def test_register_range(self):
        # d2 drives r0 (4 registers) and r1 (2): the registers are r1's
        src = ".group 0 d2\n.bind d2 r0 r1\n| | d2 |\n"
        self.make(src + "| | rd 1 |\n")
        self.error(src + "| | rd 2 |\n", 4, 'rd\'s a 2: no such register ("r1" has 2)')
        self.error(src + "| | rdwr 0 2 |\n", 4, "rdwr's imm 2: no such register")
        self.error(src + "| | wr -1 |\n", 4, "no such register")
        self.error(".group 0 d1\n.bind d1 k0\n| | d1 |\n| | const 3 |\n", 4, '("k0" has 3)')

    def test_label_as_register(self):
        self.error(".group 0 d2\n.bind d2 r0\n| | d2 |\n| x: | rd x |\n", 4,
                   'rd\'s a "x" is a label: only loop ends and jump targets take labels')
        self.error(self.table("| x: | li x | |"), 5, "is a label")
        self.error("| | d0 |\n| x: | |\n.init r0 x\n", 3, "is a label")

    def test_unknown_name(self):
        self.error(self.table("| | | jump nowhere |"), 5, 'unknown name "nowhere"')
        self.error(self.table("| | li 1+1 | |"), 5, 'li\'s imm "1+1" is not a number or a name')
        self.error(".init r0 X", 1, 'unknown name "X"')

    def test_target_past_the_program(self):
        self.error(self.table("| | | jump 2 |", "| | | |"), 5,
                   "jump's a 2 is past the program (2 instructions)")
        self.error(self.table("| | | loop 1 4 |"), 5, "past the program (1 instructions)")

    def test_loop_end_before_start(self):
        self.error(self.table("| | | |", "| x: | | loop x 3 |", "| | | |"), 6,
                   "loop's a x (= 1) is not after the loop (instruction 1)")
        self.error(self.table("| | | loopr 0 |", "| | | |"), 5, "not after the loop (instruction 0)")

    def test_decoder_without_units(self):
        src = ".group 0 d0 d1\n.bind d0 a0\n| | d0 | d1 |\n| | | nop |\n| | | bnz 0 |\n"
        self.error(src, 5, '"bnz 0": decoder "d1" drives no unit in this kernel', "empty or nop")
        self.make(src.replace("bnz 0", ""))  # empty and nop cells are fine

    def test_program_past_imem(self):
        self.error(".group 0 d0\n.bind d0 a0\n| | d0 |\n" + "| | |\n" * 9, 12,
                   "instruction 8 is past the instruction memory (8 instructions)")

    def test_nothing_to_configure(self):
        for text in ("", "# only comments\n.equ X 1\n"):
            with self.assertRaises(cgrasm.AsmError) as cm:
                self.make(text)
            self.assertTrue(str(cm.exception).startswith("t.cgra: nothing to configure"))

    def test_check_order(self):
        # a scan error (line 4) before a directive error (line 1), directives before the table
        self.error(".bind d0 zz\n| | d0 |\n| x: | |\n| x: | |\n", 4, "duplicate name")
        self.error("| | dz |\n.bind d0 zz\n", 2, 'unknown unit "zz"')
        self.error(".bind d0 a0\n| | d0 |\n| | foo |\n.group 0 d0 d0\n", 4, "in group 0 already")


# --- command line -----------------------------------------------------------------------------

class CommandLine(Base):
    SOURCE = ".group 0 d0\n.bind d0 a0\n| | d0 |\n| start: | li -1 |\n| end: | |\n"

    def run_tool(self, *args, fabric=True):
        extra = ["--fabric", self.write("small.json", json.dumps(SMALL))] if fabric else []
        return subprocess.run(CGRASM + extra + list(args), capture_output=True, text=True, check=False)

    def test_header(self):
        src = self.write("my-kernel.cgra", self.SOURCE)
        out = os.path.join(self.tmp, "k.h")
        p = self.run_tool("-o", out, src)
        self.assertEqual((p.returncode, p.stdout, p.stderr), (0, "", ""))
        with open(out, encoding="utf-8") as f:
            text = f.read()
        self.assertEqual(text.splitlines()[0], f"/* Generated by tools/cgra/cgrasm.py from {src} for "
                                               "fabric small. Do not edit. */")
        words = self.make(self.SOURCE).words
        for line in ("#ifndef CGRASM_my_kernel_H", "#define CGRASM_my_kernel_H", "#include <stdint.h>",
                     f"#define my_kernel_WORDS {len(words)}", f"#define my_kernel_BYTES {4 * len(words)}",
                     "#define my_kernel_UNITS 14", "#define my_kernel_INSNS 2",
                     "#define my_kernel_GROUPS 0x01", "#define my_kernel_LABEL_start 0",
                     "#define my_kernel_LABEL_end 1", "static const uint32_t my_kernel_image[] = {",
                     "  /* BIND a0 -> d0 (line 2) */", "#endif"):
            self.assertIn(line + "\n", text)
        self.assertEqual([int(w, 16) for w in re.findall(r"0x([0-9a-f]{8})u,", text)], words)

    def test_name_and_repository_path(self):
        out = os.path.join(self.tmp, "k.h")
        p = self.run_tool("--name", "fc", "-o", out, FC4, fabric=False)
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(out, encoding="utf-8") as f:
            text = f.read()
        self.assertTrue(text.startswith("/* Generated by tools/cgra/cgrasm.py from tools/cgra/examples/"
                                        "fc4_blocks.cgra for fabric blocks. Do not edit. */\n"))
        self.assertIn("static const uint32_t fc_image[] = {", text)
        self.assertIn("#define fc_LABEL_step 1\n", text)
        self.assertIn("#define fc_GROUPS 0x01\n", text)

    def test_default_name_is_a_c_identifier(self):
        out = os.path.join(self.tmp, "k.h")
        p = self.run_tool("-o", out, self.write("3x.y.cgra", ".bind - a0\n"))
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(out, encoding="utf-8") as f:
            self.assertIn("cgra_3x_y_image[]", f.read())

    def test_bin(self):
        out = os.path.join(self.tmp, "k.bin")
        p = self.run_tool("--bin", out, self.write("k.cgra", self.SOURCE))
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(out, "rb") as f:
            data = f.read()
        words = self.make(self.SOURCE).words
        self.assertEqual(len(data), 4 * len(words))
        self.assertEqual(list(struct.unpack(f"<{len(words)}I", data)), words)
        self.assertEqual(data[:8], b"CGRA\x01\x00\x00\x00")

    def test_list(self):
        p = self.run_tool("--list", self.write("k.cgra", self.SOURCE))
        self.assertEqual(p.returncode, 0, p.stderr)
        lines = p.stdout.splitlines()
        self.assertTrue(lines[0].startswith("0000  41524743 00000001 00000044 0000000e"), lines[0])
        self.assertIn("BIND a0 -> d0 (line 2)", lines[1])
        self.assertTrue(lines[1].startswith("0004  00000201 00000001 00000000"), lines[1])
        program = next(i for i, ln in enumerate(lines) if "PROGRAM d0" in ln)
        self.assertTrue(lines[program + 1].startswith("000e  ffff000a "), lines[program + 1])
        self.assertTrue(lines[program + 1].endswith("0  start: li -1 (line 4)"), lines[program + 1])
        self.assertTrue(lines[program + 2].endswith("1  end: nop (line 5)"), lines[program + 2])
        self.assertEqual(lines[-1], "0010  00000000" + " " * 38 + "END")

    def test_source_error(self):
        src = self.write("k.cgra", ".bind d0 a0\n.bind d0 zz\n")
        out = os.path.join(self.tmp, "k.h")
        p = self.run_tool("-o", out, src)
        self.assertEqual((p.returncode, p.stdout), (1, ""))
        self.assertEqual(p.stderr, f'{src}:2: unknown unit "zz"\n')
        self.assertFalse(os.path.exists(out))

    def test_fabric_error(self):
        d = copy.deepcopy(SMALL)
        d["imem"]["instructions"] = 0
        fabric = self.write("bad.json", json.dumps(d))
        p = subprocess.run(CGRASM + ["--fabric", fabric, self.write("k.cgra", ".bind - a0\n")],
                           capture_output=True, text=True, check=False)
        self.assertEqual(p.returncode, 1)
        self.assertEqual(p.stderr, f"{fabric}: /imem/instructions: 0 is out of range (1..256)\n")

    def test_missing_source(self):
        p = self.run_tool(os.path.join(self.tmp, "none.cgra"))
        self.assertEqual(p.returncode, 1)
        self.assertIn("cannot read", p.stderr)

    def test_usage_errors(self):
        self.assertEqual(self.run_tool(fabric=False).returncode, 2)
        self.assertEqual(self.run_tool("--name", "9bad", self.write("k.cgra", ".bind - a0\n")).returncode, 2)
        self.assertEqual(self.run_tool("--bogus", "k.cgra").returncode, 2)

    def test_examples(self):
        for example in (SUM, FC4):
            p = subprocess.run(CGRASM + ["--bin", os.path.join(self.tmp, "k.bin"), example],
                               capture_output=True, text=True, check=False)
            self.assertEqual((p.returncode, p.stdout, p.stderr), (0, "", ""), example)


# --- the examples on a small executor ---------------------------------------------------------

def s32(v):
    v &= M32
    return v - (1 << 32) if v >> 31 else v


def s16(v):
    v &= 0xFFFF
    return v - (1 << 16) if v >> 15 else v


def s8(v):
    return v - 256 if v > 127 else v


class Fault(Exception):
    """A CONFIG or RUN refusal or a run-time fault: its cause name (the doc's tables)."""


class Group:
    def __init__(self, number, decoders, length):
        self.number, self.decoders, self.length = number, decoders, length
        self.pc, self.loop, self.halted, self.wait, self.waited = 0, None, False, 0, False


class MiniCGRA:
    """The doc's execution rules (Units and instructions, Execution) for the self test: CONFIG
    applies an image's records; RUN runs groups cycle by cycle: every decoder of a group fetches at
    the group's PC (a nop past its program), its units read the previous cycle's outputs, outputs,
    registers and stores take effect at the end of the cycle, the group's ABU loops, jumps and
    halts, a group halts past its longest program. Accesses of one group to one bank serialise
    (banks in parallel: the group stalls a cycle per access to its busiest bank beyond the first,
    then executes); between groups banks are not arbitrated. An input without a route reads 0.
    Not a reference model: CONFIG checks only the format."""

    def __init__(self, fabric):
        self.f = fabric
        n = len(fabric.units)
        self.binding, self.routes, self.groups, self.programs = [None] * n, {}, {}, {}
        self.out, self.ar = [0] * n, [0] * n
        self.regs = [[0] * u.registers for u in fabric.units]
        self.mem = bytearray(fabric.memory_bytes)
        self.cycles = self.stalls = 0

    def config(self, words):
        if words[:2] != [MAGIC, 1] or words[2] != 4 * len(words) or words[3] != len(self.f.units):
            raise Fault("FORMAT")
        i = 4
        while True:
            kind, size = words[i] & 0xFF, words[i] >> 8
            p, i = words[i + 1:i + 1 + size], i + 1 + size
            if kind == END:
                if size or i != len(words):
                    raise Fault("FORMAT")
                return
            if kind in (PROGRAM, INIT) and size != 3 + p[2]:
                raise Fault("FORMAT")
            if kind == BIND:
                self.binding[p[0]] = None if p[1] == 255 else p[1]
            elif kind == ROUTE:
                self.routes[(p[0], p[1])] = None if p[2] == 255 else p[2]
            elif kind == GROUP:
                self.groups[p[0]] = p[1]
            elif kind == PROGRAM:
                prog = self.programs.setdefault(p[0], [])
                prog.extend([0] * (p[1] + p[2] - len(prog)))
                prog[p[1]:p[1] + p[2]] = p[3:]
            elif kind == INIT:
                u = self.f.units[p[0]]
                if u.type in ("rf", "imm"):
                    self.regs[u.index][p[1]:p[1] + p[2]] = p[3:]
                elif u.type == "lsu":
                    self.ar[u.index] = p[3]
                else:
                    self.out[u.index] = p[3]
            else:
                raise Fault("FORMAT")

    def units_of(self, decoder):
        return [u for u in self.f.units if self.binding[u.index] == decoder]

    def run(self, mask, max_cycles=100000):
        groups = []
        for g in range(8):
            if mask >> g & 1:
                decs = [d for d in range(32) if self.groups.get(g, 0) >> d & 1]
                length = max((len(self.programs.get(d, [])) for d in decs), default=0)
                if not length or sum(u.type == "abu" for d in decs for u in self.units_of(d)) > 1:
                    raise Fault("RUN")
                for u in (u for d in decs for u in self.units_of(d)):
                    for k in range(2):
                        src = self.routes.get((u.index, k))
                        if src is not None and self.binding[src] is None:
                            raise Fault("RUN")
                groups.append(Group(g, decs, length))
        self.cycles = self.stalls = 0
        while True:
            for st in groups:
                st.halted = st.halted or st.pc >= st.length
            active = [st for st in groups if not st.halted]
            if not active:
                return
            if self.cycles >= max_cycles:
                raise Fault("TIMEOUT")
            prev, pending = list(self.out), []
            for st in active:
                self.step(st, prev, pending)
            for write in pending:
                write()
            self.cycles += 1

    def inp(self, u, k, prev):
        src = self.routes.get((u.index, k))
        return 0 if src is None else prev[src]

    def step(self, st, prev, pending):
        insns = [(u, self.programs.get(d, [])[st.pc] if st.pc < len(self.programs.get(d, [])) else 0)
                 for d in st.decoders for u in self.units_of(d)]
        if not st.waited:  # banks serve in parallel: the busiest one sets the stall
            banks = {}
            for u, w in insns:
                addr = self.address(u, w, prev)
                if addr is not None:
                    b = addr // 4 % self.f.banks
                    banks[b] = banks.get(b, 0) + 1
            st.wait, st.waited = max(banks.values(), default=1) - 1, True
        if st.wait:
            st.wait -= 1
            self.stalls += 1
            return
        st.waited = False
        abu = None
        for u, w in insns:
            if u.type == "abu":
                abu = (u, w)
            else:
                self.execute(u, w, prev, pending)
        self.advance(st, abu, prev, pending)

    def address(self, u, w, prev):
        if u.type != "lsu" or w & 0xFF not in (1, 2, 4, 5):
            return None
        return (self.inp(u, 0, prev) + s16(w >> 16)) & M32 if w & 0xFF in (1, 2) else self.ar[u.index]

    def load(self, addr):
        if addr % 4 or addr + 4 > len(self.mem):
            raise Fault("MEMORY")
        return int.from_bytes(self.mem[addr:addr + 4], "little")

    def store(self, addr, value):
        self.load(addr)  # the checks

        def write():
            self.mem[addr:addr + 4] = (value & M32).to_bytes(4, "little")
        return write

    def advance(self, st, abu, prev, pending):
        """The group's next PC: the loop's end, then the ABU's decision (a jump out of the body
        ends the loop; one into it from the body's end is a LOOP fault)."""
        target = None
        if abu is not None and abu[1] & 0xFF:
            u, w = abu
            op, a, in0 = w & 0xFF, w >> 8 & 0xFF, self.inp(u, 0, prev)
            if op == 6:
                pending.append(lambda: setattr(st, "halted", True))
                return
            if op in (1, 2):  # loop (count: imm, unsigned 16 bits), loopr (count: in0)
                if st.loop or a <= st.pc:
                    raise Fault("LOOP")
                if a >= st.length:
                    raise Fault("PC")
                count = w >> 16 if op == 1 else in0
                if count:
                    st.loop = (st.pc + 1, a, count)
                else:
                    target = a + 1
            elif op == 3 or (op == 4 and in0) or (op == 5 and not in0):
                if a >= st.length:
                    raise Fault("PC")
                target = a
            elif op not in (4, 5):
                raise Fault("OPCODE")
        nxt = st.pc + 1
        if target is not None:
            nxt = target
            if st.loop and not st.loop[0] <= nxt <= st.loop[1]:
                st.loop = None
            elif st.loop and st.pc == st.loop[1]:
                raise Fault("LOOP")
        elif st.loop and st.pc == st.loop[1]:
            start, end, left = st.loop
            st.loop, nxt = ((start, end, left - 1), start) if left > 1 else (None, nxt)
        st.pc = nxt

    def execute(self, u, w, prev, pending):
        op, a, imm = w & 0xFF, w >> 8 & 0xFF, s16(w >> 16)
        if op == 0:
            return
        i, x, y, t = u.index, self.inp(u, 0, prev), self.inp(u, 1, prev), u.type
        out = None
        if t == "alu" and op <= 17:
            sx, sy = s32(x), s32(y)
            out = [None, x + y, x - y, x & y, x | y, x ^ y, x << (y & 31), sx >> (y & 31),
                   x >> (y & 31), x + imm, imm, x, min(sx, sy), max(sx, sy), int(sx < sy),
                   int(x == y), self.out[i] + x, self.out[i] + imm][op]
        elif t == "mul" and op <= 2:
            out = x * (y if op == 1 else imm)
        elif t == "lsu" and op <= 5:
            addr = self.address(u, w, prev)
            if op in (1, 4):
                out = self.load(addr)
            elif op in (2, 5):
                pending.append(self.store(addr, y))
            if op == 3:
                pending.append(lambda: self.ar.__setitem__(i, (x + imm) & M32))
            elif op in (4, 5):
                pending.append(lambda: self.ar.__setitem__(i, (self.ar[i] + imm) & M32))
        elif t == "rf" and op <= 3:
            regs = self.regs[i]
            if op in (1, 3):
                out = regs[a]
            if op in (2, 3):
                r = a if op == 2 else imm & 0xFF
                pending.append(lambda: regs.__setitem__(r, x))
        elif t == "imm" and op <= 2:
            out = self.regs[i][a] if op == 1 else imm
        elif t == "dot8" and op <= 4:
            acc = self.out[i]
            out = [None, 0, acc + sum(s8(x >> 8 * j & 255) * s8(y >> 8 * j & 255) for j in range(4)),
                   x, acc + x][op]
        else:
            raise Fault("OPCODE")
        if out is not None:
            pending.append(lambda: self.out.__setitem__(i, out & M32))


def with_equs(path, **values):
    """The example's text with its .equ values replaced."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    for name, value in values.items():
        text, n = re.subn(rf"^\.equ {name} +\S+", f".equ {name} {value}", text, flags=re.M)
        assert n == 1, name
    return text


class Examples(Base):
    def config(self, text):
        cgra = MiniCGRA(self.blocks)
        cgra.config(self.make(text, self.blocks).words)
        return cgra

    def test_sum(self):
        rnd = random.Random(1)
        for n in (1, 2, 3, 8, 50):
            cgra = self.config(with_equs(SUM, N=n, STEPS=n - 1))
            x = [rnd.randrange(1 << 32) for _ in range(n)]
            cgra.mem[0x100:0x100 + 4 * n] = struct.pack(f"<{n}I", *x)
            before = bytearray(cgra.mem)
            cgra.run(0b1)
            self.assertEqual(cgra.load(0x80), sum(x) & M32, n)
            self.assertEqual((cgra.cycles, cgra.stalls), (n + 2, 0), n)
            before[0x80:0x84] = cgra.mem[0x80:0x84]
            self.assertEqual(cgra.mem, before)  # nothing else written

    def test_sum_as_shipped(self):
        with open(SUM, encoding="utf-8") as f:
            cgra = self.config(f.read())
        cgra.mem[0x100:0x120] = struct.pack("<8I", *range(1, 9))
        cgra.run(1)
        self.assertEqual((cgra.load(0x80), cgra.cycles), (36, 10))

    @staticmethod
    def fc4_stalls(k, x_addr, w_addr, banks=8):
        """The layout's bank conflicts: x's word j against the four lanes' words of step j."""
        return sum((x_addr // 4 + j) % banks in {(w_addr // 4 + 4 * j + lane) % banks for lane in range(4)}
                   for j in range(k))

    def run_fc4(self, k, seed):
        rnd = random.Random(seed)
        x = [rnd.randint(-128, 127) for _ in range(4 * k)]
        w = [[rnd.randint(-128, 127) for _ in range(4 * k)] for _ in range(4)]
        cgra = self.config(with_equs(FC4, K=k, STEPS=k - 1))
        x_addr, w_addr, y_addr = 0x0000, 0x1000, 0x1000 + 16 * k
        cgra.mem[x_addr:x_addr + 4 * k] = bytes(v & 255 for v in x)
        for j in range(k):
            for lane in range(4):
                a = w_addr + 16 * j + 4 * lane
                cgra.mem[a:a + 4] = bytes(v & 255 for v in w[lane][4 * j:4 * j + 4])
        before = bytearray(cgra.mem)
        cgra.run(0b1)
        got = list(struct.unpack("<4i", cgra.mem[y_addr:y_addr + 16]))
        self.assertEqual(got, [sum(a * b for a, b in zip(w[lane], x)) for lane in range(4)], k)
        stalls = self.fc4_stalls(k, x_addr, w_addr)
        self.assertEqual((cgra.cycles, cgra.stalls), (k + 2 + stalls, stalls), k)
        before[y_addr:y_addr + 16] = cgra.mem[y_addr:y_addr + 16]
        self.assertEqual(cgra.mem, before)  # nothing else written
        return cgra

    def test_fc4(self):
        for i, k in enumerate((1, 2, 3, 7, 16, 100)):
            self.run_fc4(k, seed=i)

    def test_fc4_as_shipped(self):
        # K = 16: 18 cycles and 8 stalls, as the example's comments say; the lanes never conflict
        cgra = self.run_fc4(16, seed=7)
        self.assertEqual((cgra.cycles, cgra.stalls), (26, 8))
        self.assertEqual(self.fc4_stalls(16, 0x10, 0x1000), 8)  # wherever x sits: half the steps

    def test_control_flow_kernel(self):
        # s = n + (n-1) + ... + 1 by a bnz loop; s through rf0 (wr, rdwr), -3 s through mul0; both
        # stored by two SIMD lsus at addresses from two imm units' constants (one bank: a stall)
        src = """
            .group 0 id0 id1 id2 id3 id4 id5 id6
            .bind id5 abu1
            .bind id2 alu4
            .bind id1 alu0
            .bind id3 rf0
            .bind id6 mul0
            .bind id4 imm0 imm1
            .bind id0 lsu5 lsu0
            .route alu4.in0 alu4
            .route alu0.in0 alu4
            .route abu1.in0 alu4
            .route rf0.in0 alu0
            .route mul0.in0 alu0
            .route lsu5.in0 imm0
            .route lsu5.in1 rf0
            .route lsu0.in0 imm1
            .route lsu0.in1 mul0
            .init alu4 N
            .init alu0 0
            .init imm0 0 0x200
            .init imm1@1 0x300
            |      | id5     | id2     | id1 | id3      | id6     | id4     | id0  |
            | top: | bnz top | addi -1 | acc |          |         |         |      |
            |      |         |         |     | wr 2     | muli -3 |         |      |
            |      |         |         |     | rdwr 2 5 |         | const 1 |      |
            |      | halt    |         |     |          |         |         | st 4 |
        """.replace("\n            ", "\n")
        for n in (0, 1, 5):
            cgra = self.config(f".equ N {n}\n" + src)
            cgra.run(1)
            s = n * (n + 1) // 2
            self.assertEqual((cgra.load(0x204), s32(cgra.load(0x304))), (s, -3 * s), n)
            self.assertEqual(cgra.regs[self.blocks.unit("rf0").index][5], s)
            self.assertEqual((cgra.cycles, cgra.stalls), (n + 1 + 3 + 1, 1), n)

    def test_executor_bank_stalls(self):
        # four SIMD loads: two banks with two each cost one stall, three on one bank two
        for addrs, stalls in (((0, 32, 4, 36), 1), ((0, 32, 64, 4), 2), ((0, 4, 8, 12), 0)):
            inits = "".join(f".init lsu{i + 1} {a}\n" for i, a in enumerate(addrs))
            cgra = self.config(".group 0 id2\n.bind id2 lsu1 lsu2 lsu3 lsu4\n" + inits
                               + "| | id2 |\n| | ldinc 4 |\n")
            cgra.run(1)
            self.assertEqual((cgra.cycles, cgra.stalls), (1 + stalls, stalls), addrs)

    def test_executor_faults(self):
        cgra = self.config(".group 0 id5\n.bind id5 abu1\n| | id5 |\n| | jump 0 |\n")
        with self.assertRaises(Fault) as cm:
            cgra.run(1, max_cycles=50)
        self.assertEqual(str(cm.exception), "TIMEOUT")
        cgra = self.config(".group 0 id0\n.bind id0 lsu0\n.init lsu0 2\n| | id0 |\n| | ldinc 4 |\n")
        with self.assertRaises(Fault) as cm:
            cgra.run(1)
        self.assertEqual(str(cm.exception), "MEMORY")


if __name__ == "__main__":
    unittest.main()

#!/usr/bin/python3
"""Self test of ttasm.py (< 2 s): the slot encoding field by field against docs/models/tta.md's
table (every kind, guards, operations, registers), labels, .equ, limm, every machine-description
and source error, the command line (header, raw image, listing, exit codes), and the example
examples/fc8.tta run on a small executor of the doc's execution rules against an int8 FC
reference.

    /usr/bin/python3 tools/tta/test_ttasm.py [-v] [TestClass[.test]]
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
import ttasm  # noqa: E402

TTASM = [sys.executable, os.path.join(HERE, "ttasm.py")]
FC8 = os.path.join(HERE, "examples", "fc8.tta")

with open(ttasm.DEFAULT_MACHINE, encoding="utf-8") as _f:
    BRAIN = json.load(_f)


def unit_index(desc, name):
    return [u["name"] for u in desc["units"]].index(name)


def port_index(desc, unit, port):
    return [p["name"] for p in desc["units"][unit_index(desc, unit)]["ports"]].index(port)


def op_index(desc, unit, op):
    return [o["name"] for o in desc["units"][unit_index(desc, unit)]["operations"]].index(op)


def fields(word):
    """The doc's slot fields of a 64-bit word."""
    return {"kind": word & 3, "guarded": word >> 2 & 1, "inverted": word >> 3 & 1,
            "guard": word >> 4 & 15, "dunit": word >> 8 & 255, "dport": word >> 16 & 255,
            "op": word >> 24 & 255, "hi": word >> 32, "sunit": word >> 32 & 255,
            "sport": word >> 40 & 255, "zero": word >> 48}


# A small machine: two guard files around other units (guard numbering), a 16-bit bus without
# short immediates reaching a few endpoints, an 8-instruction memory.
SMALL = {
    "name": "small",
    "memories": {"imem": {"instructions": 8}, "dmem": {"bytes": 128}, "pmem": {"bytes": 256}},
    "buses": [
        {"name": "a", "width": 32, "simm_bits": 8, "sources": ["*"], "destinations": ["*"]},
        {"name": "n", "width": 16, "simm_bits": 0, "sources": ["r", "alu.out"],
         "destinations": ["alu.in2", "r"]},
    ],
    "units": [
        {"name": "g1", "type": "registers", "registers": 2, "width": 1, "read_ports": 1,
         "write_ports": 1, "guard": True},
        {"name": "cu", "type": "control", "delay_slots": 1,
         "ports": [{"name": "t", "role": "trigger", "width": 16}],
         "operations": [{"name": "jump", "latency": 1}, {"name": "halt", "latency": 1}]},
        {"name": "r", "type": "registers", "registers": 4, "width": 16, "read_ports": 1,
         "write_ports": 1},
        {"name": "g2", "type": "registers", "registers": 3, "width": 1, "read_ports": 1,
         "write_ports": 1, "guard": True},
        {"name": "alu", "type": "fu",
         "ports": [{"name": "in1t", "role": "trigger", "width": 32},
                   {"name": "in2", "role": "operand", "width": 32},
                   {"name": "out", "role": "result", "width": 32}],
         "operations": [{"name": "add", "latency": 1}, {"name": "sub", "latency": 1}]},
        {"name": "k", "type": "immediate", "registers": 2, "width": 32},
    ],
}


class Base(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="ttasm-test-")
        self.brain = ttasm.load_machine(ttasm.DEFAULT_MACHINE)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def write(self, name, text):
        path = os.path.join(self.tmp, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def machine(self, desc=SMALL):
        return ttasm.load_machine(self.write("m.json", json.dumps(desc, indent=1)))

    def asm(self, text, machine=None):
        return ttasm.assemble(text, machine or self.brain, "t.tta")

    def words(self, text, machine=None):
        return self.asm(text, machine).words

    def error(self, text, line, *words, machine=None):
        """Assembling fails at line, the message holding every one of words."""
        with self.assertRaises(ttasm.AsmError) as cm:
            self.asm(text, machine)
        msg = str(cm.exception)
        self.assertTrue(msg.startswith(f"t.tta:{line}: "), msg)
        for w in words:
            self.assertIn(w, msg)
        return msg


# --- encoding ---------------------------------------------------------------------------------

class Encoding(Base):
    def test_default_machine(self):
        m = self.brain
        self.assertEqual((m.name, len(m.units), len(m.buses), m.imem, m.guard_count),
                         ("braintta", 11, 6, 1024, 2))

    def test_move_from_port_by_hand(self):
        w = self.words("alu0.out1 -> lsu.in1t.ld32")
        self.assertEqual(len(w), 6)
        f = fields(w[0])
        self.assertEqual(f, {"kind": 1, "guarded": 0, "inverted": 0, "guard": 0,
                             "dunit": unit_index(BRAIN, "lsu"), "dport": port_index(BRAIN, "lsu", "in1t"),
                             "op": op_index(BRAIN, "lsu", "ld32"), "hi": f["hi"],
                             "sunit": unit_index(BRAIN, "alu0"), "sport": port_index(BRAIN, "alu0", "out1"),
                             "zero": 0})
        # lsu = unit 6, in1t = port 0, ld32 = op 0; alu0 = unit 4, out1 = port 2
        self.assertEqual(w[0], 1 | 6 << 8 | 0 << 16 | 0 << 24 | 4 << 32 | 2 << 40)
        self.assertEqual(w[0], 0x0000020400000601)
        self.assertEqual(w[1:], [0] * 5)

    def test_operation_index_and_register_source(self):
        for src in ("rf.3", "rf.r3"):
            w = self.words(f"{src} -> alu0.in1t.mul")[0]
            self.assertEqual(w, 1 | 4 << 8 | 0 << 16 | 14 << 24 | 2 << 32 | 3 << 40)
        w = self.words("..., ..., ..., ..., ..., vmac.out1 -> vst.in2")[5]
        self.assertEqual(fields(w)["dunit"], unit_index(BRAIN, "vst"))
        self.assertEqual(fields(w)["dport"], port_index(BRAIN, "vst", "in2"))
        self.assertEqual((fields(w)["sunit"], fields(w)["sport"]), (unit_index(BRAIN, "vmac"), 2))

    def test_register_destination_and_operand_port(self):
        w = self.words("cu.ra -> rf.15, imm.1 -> alu1.in2, bool.1 -> rf.r0")
        self.assertEqual(w[0], 1 | 2 << 8 | 15 << 16 | 0 << 32 | 2 << 40)
        self.assertEqual(w[1], 1 | 5 << 8 | 1 << 16 | 1 << 32 | 1 << 40)
        self.assertEqual(w[2], 1 | 2 << 8 | 0 << 16 | 3 << 32 | 1 << 40)

    def test_no_move_is_all_zero(self):
        for text in ("...", "..., ...", " , ,", "...,,..., ..., ..., ..."):
            self.assertEqual(self.words(text), [0] * 6, text)
        self.assertEqual(self.words("..., 1 -> rf.1")[0], 0)

    def test_short_immediates(self):
        cases = [("5", 5), ("-5", 0xFFFFFFFB), ("0x7FF", 0x7FF), ("-2048", 0xFFFFF800),
                 ("-0x10", 0xFFFFFFF0), ("0", 0), ("+7", 7), ("007", 7)]
        for text, hi in cases:
            w = self.words(f"{text} -> alu0.in2")[0]
            self.assertEqual(w, 2 | 4 << 8 | 1 << 16 | hi << 32, text)
        w = self.words("..., ..., ..., -32 -> alu0.in1t.sub, 31 -> rf.2")
        self.assertEqual(w[3], 2 | 4 << 8 | 0 << 16 | 1 << 24 | 0xFFFFFFE0 << 32)
        self.assertEqual(w[4], 2 | 2 << 8 | 2 << 16 | 31 << 32)

    def test_short_immediate_32_bits(self):
        d = copy.deepcopy(SMALL)
        d["buses"][0]["simm_bits"] = 32
        m = self.machine(d)
        self.assertEqual(self.words("-0x80000000 -> r.0", m)[0] >> 32, 0x80000000)
        self.assertEqual(self.words("0x7FFFFFFF -> r.0", m)[0] >> 32, 0x7FFFFFFF)
        self.error("0x80000000 -> r.0", 1, "short immediate", "does not fit", machine=m)

    def test_long_immediates(self):
        for text, hi in (("123456", 123456), ("0xFFFFFFFF", 0xFFFFFFFF), ("-1", 0xFFFFFFFF),
                         ("-2147483648", 0x80000000), ("4294967295", 0xFFFFFFFF)):
            w = self.words(f"..., limm imm.1 = {text}")
            self.assertEqual(w[0], 0)
            self.assertEqual(w[1], 3 | 1 << 8 | 1 << 16 | hi << 32, text)
        w = self.words("limm imm.r0=7")[0]
        self.assertEqual(w, 3 | 1 << 8 | 7 << 32)
        # limm on the vector bus (no short immediates) and in the same instruction as a read
        w = self.words("imm.0 -> rf.5, ..., ..., ..., ..., limm imm.0 = 9")
        self.assertEqual(w[5], 3 | 1 << 8 | 9 << 32)

    def test_guards(self):
        m = self.machine()  # g1: guards 0, 1 (unit 0); g2: guards 2, 3, 4 (unit 3)
        cases = [("?g1.0", 4 | 0 << 4), ("!g1.1", 4 | 8 | 1 << 4), ("?g2.0", 4 | 2 << 4),
                 ("!g2.2", 4 | 8 | 4 << 4), ("? g2.r1", 4 | 3 << 4)]
        for guard, bits in cases:
            w = self.words(f"{guard} alu.out -> r.1", m)[0]
            self.assertEqual(w, 1 | bits | 2 << 8 | 1 << 16 | 4 << 32 | 2 << 40, guard)
            w = self.words(f"{guard} -3 -> alu.in1t.sub", m)[0]
            self.assertEqual(w, 2 | bits | 4 << 8 | 1 << 24 | 0xFFFFFFFD << 32, guard)
        w = self.words("!bool.1 rf.3 -> lsu.in1t.ld32")[0]
        self.assertEqual(fields(w)["guarded"], 1)
        self.assertEqual(fields(w)["inverted"], 1)
        self.assertEqual(fields(w)["guard"], 1)

    def test_moves_go_to_buses_in_order(self):
        w = self.words("..., 1 -> rf.1, ..., , 2 -> rf.2")
        self.assertEqual([fields(x)["kind"] for x in w], [0, 2, 0, 0, 2, 0])
        self.assertEqual(fields(w[4])["hi"], 2)

    def test_labels_and_equ(self):
        prog = self.asm("""
            .equ N 12          # a constant
            .equ M N           ; an earlier .equ
            start: N -> rf.1
            a:
            b:  back -> cu.in1t.jump, M -> rf.2
                end -> rf.3, limm imm.0 = start
            back: limm imm.1 = end
            c: d: ...
            end:
        """)
        self.assertEqual(prog.labels, {"start": 0, "a": 1, "b": 1, "back": 3, "c": 4, "d": 4, "end": 5})
        w = prog.words
        self.assertEqual(fields(w[0])["hi"], 12)
        self.assertEqual(fields(w[6])["hi"], 3)
        self.assertEqual(fields(w[7])["hi"], 12)
        self.assertEqual(fields(w[12])["hi"], 5)
        self.assertEqual(w[13], 3 | 1 << 8 | 0 << 32)
        self.assertEqual(w[18], 3 | 1 << 8 | 1 << 16 | 5 << 32)
        self.assertEqual(prog.insns, 5)

    def test_comments(self):
        w = self.words("# only a comment\n; another\n   1 -> rf.1 # a move ; still a comment\n")
        self.assertEqual(len(w), 6)
        self.assertEqual(w[0], 2 | 2 << 8 | 1 << 16 | 1 << 32)

    def test_doc_example(self):
        prog = self.asm("""
            # comment (also ;)
            .equ  N_STEPS  196             # a named constant
            start:                         # a label: the next instruction's address
                4 -> alu0.in2, 0 -> alu0.in1t.add, ..., ...
                ?bool.0 rf.3 -> lsu.in1t.ld32, !bool.0 loop -> cu.in1t.jump
                limm imm.0 = 123456, imm.0 -> rf.5
            loop: N_STEPS -> rf.1
        """)
        self.assertEqual(prog.insns, 4)

    def test_guarded_moves_may_write_one_destination(self):
        self.words("?bool.0 1 -> rf.1, !bool.0 2 -> rf.1")
        self.words("?bool.0 1 -> rf.1, 2 -> rf.1")
        self.words("?bool.0 rf.1 -> rf.2, ?bool.0 rf.3 -> rf.4, rf.5 -> rf.6, rf.7 -> rf.8")

    def test_example_assembles(self):
        with open(FC8, encoding="utf-8") as f:
            prog = self.asm(f.read())
        self.assertEqual(prog.insns, 20)
        self.assertIn("mac", prog.labels)


# --- machine description errors --------------------------------------------------------------

class MachineErrors(Base):
    def bad(self, change, path, *words):
        d = copy.deepcopy(SMALL)
        change(d)
        file = self.write("m.json", json.dumps(d))
        with self.assertRaises(ttasm.AsmError) as cm:
            ttasm.load_machine(file)
        msg = str(cm.exception)
        self.assertTrue(msg.startswith(f"{file}: {path}: "), msg)
        for w in words:
            self.assertIn(w, msg)

    def test_small_is_valid(self):
        self.assertEqual(self.machine().guard_count, 5)

    def test_syntax_error(self):
        file = self.write("m.json", '{\n  "name": "x",\n  "buses": [}\n')
        with self.assertRaises(ttasm.AsmError) as cm:
            ttasm.load_machine(file)
        self.assertTrue(str(cm.exception).startswith(f"{file}:3:13: "), str(cm.exception))

    def test_missing_file(self):
        with self.assertRaises(ttasm.AsmError) as cm:
            ttasm.load_machine(os.path.join(self.tmp, "none.json"))
        self.assertIn("cannot read", str(cm.exception))

    def test_duplicate_json_key(self):
        file = self.write("m.json", '{"name": "a", "name": "b"}')
        with self.assertRaises(ttasm.AsmError) as cm:
            ttasm.load_machine(file)
        self.assertIn('duplicate key "name"', str(cm.exception))

    def test_unknown_operation(self):
        self.bad(lambda d: d["units"][4]["operations"].append({"name": "fma", "latency": 1}),
                 "/units/4/operations/2/name", 'unknown operation "fma"')

    def test_control_operation_on_fu(self):
        self.bad(lambda d: d["units"][4]["operations"].append({"name": "jump", "latency": 1}),
                 "/units/4/operations/2/name", "control unit")

    def test_fu_operation_on_control(self):
        self.bad(lambda d: d["units"][1]["operations"].append({"name": "add", "latency": 1}),
                 "/units/1/operations/2/name", "not a control operation")

    def test_latency_zero(self):
        self.bad(lambda d: d["units"][4]["operations"][1].update(latency=0),
                 "/units/4/operations/1/latency", "out of range")

    def test_latency_65(self):
        self.bad(lambda d: d["units"][4]["operations"][1].update(latency=65),
                 "/units/4/operations/1/latency", "1..64")

    def test_port_no_bus_reaches(self):
        def change(d):
            d["buses"][0]["destinations"] = ["alu.in2", "cu.t", "r", "g1", "g2"]
        self.bad(change, "/units/4/ports/0", 'no bus reaches "alu.in1t"')

    def test_result_port_no_bus_reads(self):
        def change(d):
            d["buses"][0]["sources"] = ["r", "g1", "g2", "k"]
            d["buses"][1]["sources"] = ["r"]
        self.bad(change, "/units/4/ports/2", 'no bus reaches "alu.out"')

    def test_register_file_no_bus_reads(self):
        self.bad(lambda d: d["buses"][0].update(sources=["alu.out", "g1", "g2", "r"]),
                 "/units/5", 'no bus reads "k"')

    def test_register_file_no_bus_writes(self):
        self.bad(lambda d: d["buses"][0].update(destinations=["alu.in1t", "cu.t", "r", "g1"]),
                 "/units/3", 'no bus writes "g2"')

    def test_wide_endpoint_not_in_star(self):
        # "*" reaches only endpoints no wider than the bus: a 64-bit port on a 32-bit bus is not
        def change(d):
            d["units"][1]["ports"][0]["width"] = 64
        self.bad(change, "/units/1/ports/0", 'no bus reaches "cu.t"')

    def test_duplicate_unit_name(self):
        self.bad(lambda d: d["units"][5].update(name="r"), "/units/5/name", 'duplicate unit name "r"')

    def test_duplicate_port_name(self):
        self.bad(lambda d: d["units"][4]["ports"][2].update(name="in2"), "/units/4/ports/2/name",
                 "duplicate port")

    def test_duplicate_operation_name(self):
        self.bad(lambda d: d["units"][4]["operations"][1].update(name="add"),
                 "/units/4/operations/1/name", "duplicate operation")

    def test_duplicate_bus_name(self):
        self.bad(lambda d: d["buses"][1].update(name="a"), "/buses/1/name", "duplicate bus")
        self.bad(lambda d: d["buses"][1].update(name="b-1"), "/buses/1/name", "not a name")

    def test_endpoint_unknown_unit(self):
        self.bad(lambda d: d["buses"][1]["sources"].append("foo.out"), "/buses/1/sources/2", 'no unit "foo"')

    def test_endpoint_unknown_port(self):
        self.bad(lambda d: d["buses"][1]["destinations"].append("alu.in9"), "/buses/1/destinations/2",
                 'no port "in9"')

    def test_endpoint_wrong_direction(self):
        self.bad(lambda d: d["buses"][1]["sources"].append("alu.in2"), "/buses/1/sources/2",
                 "not a result port")
        self.bad(lambda d: d["buses"][1]["destinations"].append("alu.out"), "/buses/1/destinations/2",
                 "is a result port")

    def test_endpoint_immediate_destination(self):
        self.bad(lambda d: d["buses"][1]["destinations"].append("k"), "/buses/1/destinations/2",
                 "only by long immediates")

    def test_endpoint_forms(self):
        self.bad(lambda d: d["buses"][1]["sources"].append("alu"), "/buses/1/sources/2", "alu.PORT")
        self.bad(lambda d: d["buses"][1]["sources"].append("r.1"), "/buses/1/sources/2", "named alone")

    def test_two_triggers(self):
        self.bad(lambda d: d["units"][4]["ports"][1].update(role="trigger"), "/units/4/ports",
                 "2 trigger ports")

    def test_no_trigger(self):
        self.bad(lambda d: d["units"][4]["ports"][0].update(role="operand"), "/units/4/ports",
                 "0 trigger ports")

    def test_no_control_unit(self):
        def change(d):
            del d["units"][1]
        self.bad(change, "/units", "no control unit")

    def test_two_control_units(self):
        self.bad(lambda d: d["units"].append(dict(copy.deepcopy(d["units"][1]), name="cu2")),
                 "/units/6", "second control unit")

    def test_too_many_guard_registers(self):
        self.bad(lambda d: d["units"][3].update(registers=15), "/units/3/registers",
                 "17 guard registers")

    def test_widths(self):
        self.bad(lambda d: d["units"][4]["ports"][2].update(width=1025), "/units/4/ports/2/width", "1..1024")
        self.bad(lambda d: d["units"][2].update(width=33), "/units/2/width", "1..32")
        self.bad(lambda d: d["buses"][0].update(width=0), "/buses/0/width", "1..1024")
        self.bad(lambda d: d["buses"][0].update(simm_bits=33), "/buses/0/simm_bits", "0..32")
        self.bad(lambda d: d["buses"][1].update(width=4, simm_bits=5), "/buses/1/simm_bits", "wider than the bus")

    def test_counts(self):
        self.bad(lambda d: d["units"][2].update(registers=257), "/units/2/registers", "1..256")
        self.bad(lambda d: d["units"][5].update(registers=17), "/units/5/registers", "1..16")
        self.bad(lambda d: d["units"][2].update(read_ports=0), "/units/2/read_ports", "1..16")
        self.bad(lambda d: d["units"][1].update(delay_slots=9), "/units/1/delay_slots", "0..8")
        self.bad(lambda d: d.update(buses=d["buses"] * 9), "/buses", "18 entries")
        self.bad(lambda d: d["units"][4]["ports"].extend(
            [{"name": f"p{i}", "role": "operand", "width": 8} for i in range(6)]), "/units/4/ports", "9 entries")

    def test_memories(self):
        self.bad(lambda d: d["memories"]["imem"].update(instructions=0), "/memories/imem/instructions")
        self.bad(lambda d: d["memories"]["imem"].update(instructions=65537), "/memories/imem/instructions")
        self.bad(lambda d: d["memories"]["dmem"].update(bytes=200), "/memories/dmem/bytes", "multiple of 128")
        self.bad(lambda d: d["memories"]["pmem"].update(bytes=(16 << 20) + 128), "/memories/pmem/bytes")

    def test_operation_needs_more_inputs(self):
        self.bad(lambda d: d["units"][4]["operations"].append({"name": "req8", "latency": 2}),
                 "/units/4/operations/2", '"req8" needs 3 inputs')
        self.bad(lambda d: d["units"][1]["operations"].append({"name": "call", "latency": 1}),
                 "/units/1/operations/2", "1 outputs")

    def test_memory_operations(self):
        self.bad(lambda d: d["units"][4]["operations"].append({"name": "ld32", "latency": 2}),
                 "/units/4/operations/2", "needs \"memory\"")

        def dmem_mac(d):
            d["units"][4]["memory"] = "dmem"
            d["units"][4]["operations"].append({"name": "mac8", "latency": 2})
        self.bad(dmem_mac, "/units/4/operations/2", '"pmem"')
        self.bad(lambda d: d["units"][4].update(memory="sram"), "/units/4/memory", "dmem, pmem")

    def test_keys(self):
        self.bad(lambda d: d["units"][4].update(delay_slots=1), "/units/4/delay_slots", "unknown key")
        self.bad(lambda d: d["buses"][0].update(simm=1), "/buses/0/simm", "unknown key")
        self.bad(lambda d: d["units"][2].pop("read_ports"), "/units/2", 'missing "read_ports"')
        self.bad(lambda d: d["units"][2].update(type="ram"), "/units/2/type", "not one of")
        self.bad(lambda d: d["units"][2].update(guard=1), "/units/2/guard", "true or false")
        self.bad(lambda d: d["units"][2].update(registers="4"), "/units/2/registers", "an integer")
        self.bad(lambda d: d["units"][2].update(name="a.b"), "/units/2/name", "not a name")
        d = copy.deepcopy(SMALL)
        d["comment"] = "comments are allowed anywhere"
        d["units"][0]["comment"] = "here too"
        d["units"][1]["memory"] = "dmem"  # accepted on the control unit, as the model does
        self.assertEqual(self.machine(d).name, "small")


# --- source errors ----------------------------------------------------------------------------

class SourceErrors(Base):
    def test_unknown_unit(self):
        self.error("...\nfoo.out -> rf.1", 2, 'unknown unit "foo"', "source")
        self.error("rf.1 -> foo.in2", 1, 'unknown unit "foo"', "destination")

    def test_unknown_port(self):
        self.error("alu0.out9 -> rf.1", 1, 'unknown port "out9"')
        self.error("rf.1 -> alu0.in3", 1, 'unknown port "in3"')

    def test_unknown_register(self):
        self.error("rf.16 -> alu0.in2", 1, 'unknown register "16"', "16 registers")
        self.error("rf.1 -> rf.x", 1, 'unknown register "x"')
        self.error("imm.2 -> rf.1", 1, 'unknown register "2"')

    def test_unknown_operation(self):
        self.error("rf.1 -> alu1.in1t.mul", 1, 'unknown operation "mul" of "alu1"')

    def test_operation_on_operand_port(self):
        self.error("rf.1 -> alu0.in2.add", 1, "not a trigger port")

    def test_operation_on_register(self):
        self.error("1 -> rf.1.add", 1, "operation", "register")

    def test_trigger_without_operation(self):
        self.error("rf.1 -> alu0.in1t", 1, "trigger port", "alu0.in1t.OP")

    def test_source_not_result(self):
        self.error("alu0.in2 -> rf.1", 1, '"alu0.in2" is not a result port')
        self.error("alu0.in1t.add -> rf.1", 1, "bad source")

    def test_destination_result(self):
        self.error("rf.1 -> alu0.out1", 1, '"alu0.out1" is a result port')

    def test_bad_forms(self):
        self.error("rf.1 rf.2", 1, "not a move")
        self.error("rf.1 -> 5", 1, "bad destination")
        self.error(" -> rf.1", 1, "without a source")
        self.error("rf.1 -> rf.2 -> rf.3", 1, "one move per slot")
        self.error("alu0 -> rf.1", 1, "is a unit")

    def test_bus_does_not_reach_source(self):
        # the 32-bit buses' "*" does not include the 1024-bit vmac.out1
        self.error("vmac.out1 -> vst.in2", 1, "bus b0 does not reach source", "vmac.out1")
        self.error("..., k.0 -> alu.in2", 1, "bus n does not reach source", machine=self.machine())

    def test_bus_does_not_reach_destination(self):
        self.error("..., ..., ..., ..., ..., vmac.out1 -> rf.1", 1, "bus v0 does not reach destination",
                   '"rf.1"')
        self.error("rf.1 -> vact.in2", 1, "bus b0 does not reach destination")

    def test_immediate_unit_destination(self):
        self.error("5 -> imm.0", 1, "written only by limm")

    def test_more_moves_than_buses(self):
        self.error("...\n" + ", ".join(["..."] * 7), 2, "7 moves", "6 buses")

    def test_short_immediate_on_bus_without(self):
        self.error("..., ..., ..., ..., ..., 5 -> vact.in2", 1, "bus v0 carries no short immediate")

    def test_short_immediate_out_of_range(self):
        self.error("2048 -> rf.1", 1, "short immediate 2048", "bus b0", "-2048..2047")
        self.error("-2049 -> rf.1", 1, "short immediate -2049")
        self.error("..., ..., ..., 32 -> rf.1", 1, "bus b3", "-32..31")
        self.error("..., ..., ..., ..., -33 -> rf.1", 1, "bus b4")

    def test_label_short_immediate_out_of_range(self):
        text = "...\n" * 40 + "far: ...\n..., ..., ..., far -> cu.in1t.jump\n"
        self.error(text, 42, 'short immediate "far" (= 40)', "bus b3")
        self.assertEqual(len(self.words(text.replace("..., ..., ..., far", "far"))), 42 * 6)

    def test_two_writes_to_one_port(self):
        self.error("1 -> alu0.in2, rf.1 -> alu0.in2", 1, 'two unguarded writes to "alu0.in2"', "b0 and b1")
        self.error("1 -> alu0.in1t.add, 2 -> alu0.in1t.sub", 1, "two unguarded writes")

    def test_two_writes_to_one_register(self):
        self.error("1 -> rf.4, 2 -> rf.r4", 1, 'two unguarded writes to "rf.r4"')
        self.error("limm imm.0 = 1, limm imm.0 = 2", 1, "two unguarded writes")

    def test_register_file_read_ports(self):
        self.error("rf.1 -> alu0.in2, rf.2 -> alu1.in2, rf.3 -> lsu.in2", 1,
                   '3 unguarded reads of register file "rf"', "2 read ports")
        self.error("rf.1 -> alu0.in2, rf.1 -> alu1.in2, rf.1 -> lsu.in2", 1, "3 unguarded reads")
        self.words("rf.1 -> alu0.in2, rf.2 -> alu1.in2, ?bool.0 rf.3 -> lsu.in2, imm.0 -> rf.4")
        self.error("..., bool.0 -> rf.1, bool.1 -> rf.2", 1, "reads of register file \"bool\"", "1 read ports")

    def test_register_file_write_ports(self):
        self.error("1 -> rf.1, 2 -> rf.2, 3 -> rf.3", 1, '3 unguarded writes of register file "rf"',
                   "2 write ports")
        self.words("1 -> rf.1, 2 -> rf.2, !bool.1 3 -> rf.3")

    def test_limm_target(self):
        self.error("limm rf.3 = 5", 1, 'limm to "rf.3"', "not an immediate unit register")
        self.error("limm alu0.in2 = 5", 1, "not a register")
        self.error("limm imm.2 = 5", 1, 'unknown register "2"')
        self.error("limm imm.0 5", 1, "limm UNIT.R = VALUE")

    def test_limm_range(self):
        self.error("limm imm.0 = 0x100000000", 1, "does not fit 32 bits")
        self.error("limm imm.0 = -2147483649", 1, "does not fit 32 bits")

    def test_limm_guarded(self):
        self.error("?bool.0 limm imm.0 = 5", 1, "no guard")

    def test_undefined_symbol(self):
        self.error("...\n...\nnowhere -> cu.in1t.jump", 3, 'undefined symbol "nowhere"')
        self.error("limm imm.0 = nowhere", 1, 'undefined symbol "nowhere"')

    def test_duplicate_label(self):
        self.error("a: ...\n...\na: ...\n", 3, 'duplicate symbol "a"', "line 1")
        self.error(".equ a 1\na: ...", 2, 'duplicate symbol "a"')
        self.error(".equ a 1\n.equ a 2", 2, 'duplicate symbol "a"')

    def test_directives(self):
        self.error(".word 5", 1, 'unknown directive ".word"')
        self.error(".equ X", 1, ".equ NAME VALUE")
        self.error(".equ X Y", 1, "earlier .equ")

    def test_too_many_instructions(self):
        m = self.machine()  # 8 instructions
        self.assertEqual(len(self.words("...\n" * 8, m)), 16)
        self.error("# 8 fit\n" + "...\n" * 9, 10, "instruction 8", "8 instructions", machine=m)

    def test_guard_not_a_guard_register(self):
        self.error("?rf.1 1 -> rf.2", 1, '"rf.1" is not a guard register')
        self.error("!alu0.out1 1 -> rf.2", 1, "not a register")
        self.error("?nope.0 1 -> rf.2", 1, 'unknown unit "nope"')
        self.error("?bool.2 1 -> rf.2", 1, 'unknown register "2"')
        self.error("?bool.0 -> rf.2", 1, "a guard is")

    def test_no_instructions(self):
        with self.assertRaises(ttasm.AsmError) as cm:
            self.asm("# nothing\nlabel:\n")
        self.assertEqual(str(cm.exception), "t.tta: no instructions")

    def test_first_error_in_line_order(self):
        # line 2's bad move comes before line 3's duplicate label (found in the first pass)
        self.error("x: ...\nrf.1 -> alu0.out1\nx: ...\n", 2, "result port")
        # a duplicate label does not shift the addresses after it: line 3 is still reported
        self.error("a: ...\na: ...\n", 2, "duplicate")


# --- command line -----------------------------------------------------------------------------

class CommandLine(Base):
    SOURCE = "start: 1 -> rf.1\nloop: ?bool.0 loop -> cu.in1t.jump, limm imm.0 = -1\n...\nend:\n"

    def run_asm(self, *args):
        return subprocess.run(TTASM + list(args), capture_output=True, text=True, check=False)

    def test_header(self):
        src = self.write("my-prog.tta", self.SOURCE)
        out = os.path.join(self.tmp, "p.h")
        p = self.run_asm("-o", out, src)
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(out, encoding="utf-8") as f:
            text = f.read()
        first = text.splitlines()[0]
        self.assertEqual(first, f"/* Generated by tools/tta/ttasm.py from {src} for machine braintta. "
                                "Do not edit. */")
        for line in ("#ifndef TTASM_my_prog_H", "#define TTASM_my_prog_H", "#include <stdint.h>",
                     "#define my_prog_INSNS 3", "#define my_prog_BUSES 6", "#define my_prog_LABEL_start 0",
                     "#define my_prog_LABEL_loop 1", "#define my_prog_LABEL_end 3",
                     "static const uint64_t my_prog_image[] = {", "#endif"):
            self.assertIn(line + "\n", text)
        words = [int(w, 16) for w in re.findall(r"0x([0-9a-f]{16})ull", text)]
        self.assertEqual(words, self.asm(self.SOURCE).words)

    def test_name_and_repository_path(self):
        out = os.path.join(self.tmp, "p.h")
        p = self.run_asm("--name", "fc", "-o", out, FC8)
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(out, encoding="utf-8") as f:
            text = f.read()
        self.assertTrue(text.startswith("/* Generated by tools/tta/ttasm.py from tools/tta/examples/fc8.tta "
                                        "for machine braintta. Do not edit. */\n"))
        self.assertIn("static const uint64_t fc_image[] = {", text)
        self.assertIn("#define fc_LABEL_mac ", text)

    def test_default_name_is_a_c_identifier(self):
        out = os.path.join(self.tmp, "p.h")
        p = self.run_asm("-o", out, self.write("3x.y.tta", "..."))
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(out, encoding="utf-8") as f:
            self.assertIn("tta_3x_y_image[]", f.read())

    def test_bin(self):
        src = self.write("p.tta", self.SOURCE)
        out = os.path.join(self.tmp, "p.bin")
        p = self.run_asm("--bin", out, src)
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(out, "rb") as f:
            data = f.read()
        self.assertEqual(len(data), 3 * 6 * 8)
        self.assertEqual(list(struct.unpack("<18Q", data)), self.asm(self.SOURCE).words)
        self.assertEqual(data[:8], bytes([0x02, 0x02, 0x01, 0x00, 0x01, 0, 0, 0]))  # 1 -> rf.1

    def test_list(self):
        p = self.run_asm("--list", self.write("p.tta", self.SOURCE))
        self.assertEqual(p.returncode, 0, p.stderr)
        lines = p.stdout.splitlines()
        self.assertTrue(lines[0].startswith("0000  0000000100010202 0000000000000000"), lines[0])
        self.assertTrue(lines[0].endswith("start: 1 -> rf.1"))
        self.assertTrue(lines[1].startswith("0001  "))
        self.assertIn("end:", lines[-1])

    def test_other_machine(self):
        m = self.write("m.json", json.dumps(SMALL))
        out = os.path.join(self.tmp, "p.h")
        p = self.run_asm("--machine", m, "-o", out, self.write("p.tta", "?g2.1 alu.out -> r.1, r.0 -> alu.in2"))
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(out, encoding="utf-8") as f:
            text = f.read()
        self.assertIn("for machine small.", text)
        self.assertIn("#define p_BUSES 2", text)

    def test_source_error(self):
        src = self.write("p.tta", "...\nrf.1 -> alu0.out1\n")
        out = os.path.join(self.tmp, "p.h")
        p = self.run_asm("-o", out, src)
        self.assertEqual(p.returncode, 1)
        self.assertEqual(p.stderr, f'{src}:2: destination "alu0.out1" is a result port\n')
        self.assertFalse(os.path.exists(out))

    def test_machine_error(self):
        d = copy.deepcopy(SMALL)
        d["units"][4]["operations"][0]["latency"] = 0
        m = self.write("m.json", json.dumps(d))
        p = self.run_asm("--machine", m, self.write("p.tta", "..."))
        self.assertEqual(p.returncode, 1)
        self.assertTrue(p.stderr.startswith(f"{m}: /units/4/operations/0/latency: "), p.stderr)

    def test_missing_source(self):
        p = self.run_asm(os.path.join(self.tmp, "none.tta"))
        self.assertEqual(p.returncode, 1)
        self.assertIn("cannot read", p.stderr)

    def test_usage_errors(self):
        self.assertEqual(self.run_asm().returncode, 2)
        self.assertEqual(self.run_asm("--name", "9bad", self.write("p.tta", "...")).returncode, 2)
        self.assertEqual(self.run_asm("--bogus", "p.tta").returncode, 2)

    def test_example(self):
        p = self.run_asm("--bin", os.path.join(self.tmp, "fc8.bin"), FC8)
        self.assertEqual((p.returncode, p.stdout, p.stderr), (0, "", ""))


# --- the example on a small executor -----------------------------------------------------------

def s32(v):
    v &= 0xFFFFFFFF
    return v - (1 << 32) if v >> 31 else v


def s8(v):
    return v - 256 if v > 127 else v


class Fault(Exception):
    pass


class MiniTTA:
    """The doc's execution rules (Execution) for the operations fc8.tta uses: guards and sources
    read at the start of a cycle, operand latches before triggers, triggers in unit order,
    register writes visible next cycle, results `latency` cycles later, jumps after the delay
    slots, the zero-overhead loop. A check of the example's schedule, not a reference model:
    no port, conflict or control checks beyond what the example needs."""

    def __init__(self, machine, words, dmem, pmem):
        self.m, self.nb = machine, len(machine.buses)
        self.insns = [words[i:i + self.nb] for i in range(0, len(words), self.nb)]
        self.dmem, self.pmem = dmem, pmem
        self.regs = {u.index: [0] * u.registers for u in machine.units if u.has_registers}
        self.guards = [(u.index, r) for u in machine.units if u.guard for r in range(u.registers)]
        self.latch, self.results, self.acc = {}, {}, [0] * 32
        self.cycle = self.pc = 0
        self.jump = self.loop = self.skip = self.halted = None
        self.delay_slots = next(u for u in machine.units if u.kind == "control").delay_slots

    def result(self, unit):
        ready = [v for c, v in self.results.get(unit, []) if c <= self.cycle]
        return ready[-1] if ready else 0

    def run(self, entry, max_cycles=100000):
        self.pc = entry
        while self.halted is None:
            if self.cycle >= max_cycles or self.pc >= len(self.insns):
                raise Fault(f"pc {self.pc} at cycle {self.cycle}")
            self.step()
        return self.halted

    def step(self):
        reg_writes, triggers = [], []
        for bus, w in zip(self.m.buses, self.insns[self.pc]):
            self.move(bus, w, reg_writes, triggers)
        new_jump = None
        for unit, op, t in sorted(triggers, key=lambda x: x[0].index):
            new_jump = self.execute(unit, op, t) or new_jump
        for u, r, v in reg_writes:
            self.regs[u][r] = v
        self.advance(new_jump)
        self.cycle += 1

    def move(self, bus, w, reg_writes, triggers):
        f = fields(w)
        if f["kind"] == 0:
            return
        if f["kind"] == 3:
            reg_writes.append((f["dunit"], f["dport"], f["hi"]))
            return
        if f["guarded"]:
            u, r = self.guards[f["guard"]]
            if bool(self.regs[u][r]) == bool(f["inverted"]):
                return
        if f["kind"] == 2:
            value = f["hi"]
        elif self.m.units[f["sunit"]].has_registers:
            value = self.regs[f["sunit"]][f["sport"]]
        else:
            value = self.result(f["sunit"])
        value &= (1 << bus.width) - 1
        u = self.m.units[f["dunit"]]
        if u.has_registers:
            reg_writes.append((u.index, f["dport"], value & ((1 << u.width) - 1)))
        elif u.ports[f["dport"]].role == "trigger":
            triggers.append((u, u.operations[f["op"]], value))
        else:
            self.latch[(u.index, f["dport"])] = value

    def operands(self, u):
        return [self.latch.get((u.index, p.index), 0) for p in u.ports if p.role == "operand"] + [0, 0]

    def mem(self, u, addr, size):
        mem = self.dmem if u.memory == "dmem" else self.pmem
        if addr % min(size, 4) or addr + size > len(mem):
            raise Fault(f"{u.name}: address {addr} at cycle {self.cycle}")
        return mem

    def execute(self, u, op, t):
        """Runs an operation; a jump's target, or None."""
        o1, o2 = self.operands(u)[:2]
        name, r = op.name, None
        if name in ("add", "sub", "shl", "ne"):
            r = {"add": t + o1, "sub": t - o1, "shl": t << (o1 & 31), "ne": int(t != o1)}[name]
            r &= 0xFFFFFFFF
        elif name == "ld32":
            r = int.from_bytes(self.mem(u, t, 4)[t:t + 4], "little")
        elif name in ("ldacc", "mac8"):
            word = self.mem(u, 128 * t, 128)[128 * t:128 * t + 128]
            lanes = [s32(int.from_bytes(word[4 * i:4 * i + 4], "little")) for i in range(32)]
            for i in range(32):
                dot = sum(s8(o1 >> 8 * j & 255) * s8(word[4 * i + j]) for j in range(4))
                self.acc[i] = lanes[i] if name == "ldacc" else s32(self.acc[i] + dot)
            r = sum((a & 0xFFFFFFFF) << 32 * i for i, a in enumerate(self.acc))
        elif name == "req8":
            r = self.req8(t, o1, s32(o2))
        elif name == "st256":
            self.mem(u, t, 32)[t:t + 32] = (o1 & ((1 << 256) - 1)).to_bytes(32, "little")
        elif name == "jump":
            return t
        elif name == "halt":
            self.halted = t
        elif name == "loop":
            self.loop = (self.pc + 1, t, o1) if o1 else None
            self.skip = None if o1 else t + 1
        else:
            raise Fault(f"operation {name} is not in the executor")
        if r is not None:
            self.results.setdefault(u.index, []).append((self.cycle + op.latency, r))
        return None

    @staticmethod
    def req8(t, accs, scale):
        s, lo = t & 63, 0 if t >> 8 & 1 else -128
        out = 0
        for i in range(32):
            a = s32(accs >> 32 * i)
            y = max(lo, min(127, (a * scale + ((1 << (s - 1)) if s else 0)) >> s))
            out |= (y & 255) << 8 * i
        return out

    def advance(self, new_jump):
        nxt = self.pc + 1
        if self.skip is not None:
            nxt, self.skip = self.skip, None
        if self.loop and self.pc == self.loop[1]:
            start, end, count = self.loop
            self.loop = (start, end, count - 1) if count > 1 else None
            if count > 1:
                nxt = start
        if self.jump is not None:
            target, left = self.jump
            self.jump = (target, left - 1) if left > 1 else None
            if left == 1:
                nxt = target
        if new_jump is not None:
            d = self.delay_slots
            self.jump = (new_jump, d) if d else None
            if not d:
                nxt = new_jump
        self.pc = nxt


def fc_reference(x, w, b, scale, shift, relu):
    out = []
    for o in range(len(w)):
        a = b[o] + sum(wi * xi for wi, xi in zip(w[o], x))
        y = (a * scale + ((1 << (shift - 1)) if shift else 0)) >> shift
        out.append(max(0 if relu else -128, min(127, y)))
    return out


class Example(Base):
    def setUp(self):
        super().setUp()
        with open(FC8, encoding="utf-8") as f:
            self.prog = self.asm(f.read())

    def run_fc(self, k, blocks, relu, shift, scale, w_word, seed):
        """fc8 on random int8 data against fc_reference; the outputs."""
        rnd = random.Random(seed)
        n, m = 4 * k, 32 * blocks
        x = [rnd.randint(-128, 127) for _ in range(n)]
        w = [[rnd.randint(-128, 127) for _ in range(n)] for _ in range(m)]
        b = [rnd.randint(-5000, 5000) for _ in range(m)]
        dmem, pmem = bytearray(self.brain.dmem), bytearray(self.brain.pmem)
        x_addr, y_addr = 256, 4096
        args = [x_addr, k, w_word, blocks, y_addr, shift | relu << 8, scale & 0xFFFFFFFF]
        dmem[0:28] = struct.pack("<7I", *args)
        dmem[x_addr:x_addr + n] = bytes(v & 255 for v in x)
        for blk in range(blocks):
            base = 128 * (w_word + blk * (k + 1))
            pmem[base:base + 128] = struct.pack("<32i", *b[32 * blk:32 * blk + 32])
            for j in range(k):
                word = bytes(w[32 * blk + i][4 * j + q] & 255 for i in range(32) for q in range(4))
                pmem[base + 128 * (j + 1):base + 128 * (j + 2)] = word
        sim = MiniTTA(self.brain, self.prog.words, dmem, pmem)
        result = sim.run(self.prog.labels["start"])
        got = [s8(v) for v in dmem[y_addr:y_addr + m]]
        self.assertEqual(got, fc_reference(x, w, b, scale, shift, relu), (k, blocks, relu))
        self.assertEqual(result, m)
        self.assertEqual(sim.cycle, 12 + blocks * (k + 5))
        self.assertEqual(dmem[y_addr + m:y_addr + m + 64], bytes(64))  # nothing past y
        return got

    def test_fc8(self):
        # K = 2 skips the loop body (count 0); the scales keep most outputs inside -128..127
        cases = [(2, 1, 0, 12, 1), (3, 1, 1, 10, 1), (4, 2, 0, 14, -1), (7, 3, 1, 9, 1),
                 (16, 2, 0, 16, 1), (2, 4, 1, 13, 1)]
        for i, (k, blocks, relu, shift, sign) in enumerate(cases):
            scale = sign * max(1, round((1 << shift) * 40 / (5500 * (4 * k) ** 0.5)))
            got = self.run_fc(k, blocks, relu, shift, scale, w_word=3 + i, seed=i)
            self.assertGreater(len(set(got)), 8 if blocks > 1 else 4, f"outputs too uniform: {got}")
        self.run_fc(2, 1, 0, 0, 1, w_word=0, seed=99)  # shift 0: no rounding term

    def test_fc8_weights_at_the_end_of_pmem(self):
        # the last block's E5 (ldacc of the word after its weights) must be squashed
        k, blocks = 5, 2
        self.run_fc(k, blocks, 0, 13, 2000, w_word=self.brain.pmem // 128 - blocks * (k + 1), seed=9)


if __name__ == "__main__":
    unittest.main()

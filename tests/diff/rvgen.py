#!/usr/bin/python3
"""Random RV32IMAC programs for the differential ISS test (tests/diff, see iss_diff.py).

A program is GNU assembly for section .text.body (entry diff_body) plus the initial contents of
the 4 KiB scratch buffer (section .data.scratch). It loads every register, runs a sequence of
top-level blocks and ends with `j diff_end` (tests/diff/wrap/start.S), which dumps the registers.
The same seed always gives the same program: the generator has its own PRNG (splitmix64), so the
output does not depend on the Python version.

What a program contains:
  - RV32I and M arithmetic, lui/auipc, li of boundary values (0, -1, INT_MIN, ...) so that
    division by zero, signed overflow and shifts by 31/32 come up often;
  - every RV32C instruction except c.ebreak (explicit c.* mnemonics, so the mix is known);
  - loads and stores of every width, AMOs (with aq/rl), LR/SC pairs, all on aligned addresses in
    the scratch buffer, computed from sp (which always points at diff_scratch + 1920);
  - forward branches, jumps over dead (junk) bytes, calls of local subroutines through
    jal/jalr/c.jal/c.jalr with various link registers, counted loops (nested at most twice);
  - self-modifying code: a store that rewrites an instruction that already ran, then fence.i.

Control flow is bounded by construction: the only backward branches close counted loops whose
counter nothing else writes. No CSR is read (counters differ between simulators by design) and
no instruction traps.

Each top-level block is self-contained (sp restored, no reservation left, subroutines local), so
a prefix of the blocks is a valid program too: iss_diff.py bisects on the prefix length to find
the first block after which the two simulators disagree.

    rvgen.py SEED [--insns N] [--blocks K] [-o FILE]
"""

import argparse
import sys

SCRATCH_SIZE = 4096
SP_OFFSET = 1920  # sp = diff_scratch + SP_OFFSET = diff_regs + 2048 (tests/diff/wrap/diff.ld)
SP = 2
ABI = ["zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
       "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6"]
MASK32 = 0xFFFFFFFF
INTERESTING = [0, 1, 2, 3, 0xFFFFFFFF, 0xFFFFFFFE, 0x80000000, 0x7FFFFFFF, 0x80000001, 0x7FFFFFFE,
               0x1F, 0x20, 0x21, 0x3F, 0x40, 0xFF, 0x80, 0xFFFF, 0x8000, 0xFFFF8000, 0xFFFFFF80,
               0x55555555, 0xAAAAAAAA, 0x0000FFFF, 0xFFFF0000, 0x7FF, 0x800, 0xFFFFF800]


class Rng:
    """splitmix64: small, fast, and the same sequence in every Python version."""

    def __init__(self, seed):
        # Hash the seed, so that neighbouring seeds do not give shifted copies of one sequence.
        self.state = self.mix((seed ^ 0x632BE59BD9B4E019) & 0xFFFFFFFFFFFFFFFF)

    @staticmethod
    def mix(z):
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
        return z ^ (z >> 31)

    def next64(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
        return self.mix(self.state)

    def below(self, n):
        return self.next64() % n

    def range(self, lo, hi):  # inclusive
        return lo + self.below(hi - lo + 1)

    def chance(self, p):
        return self.next64() < int(p * 2.0 ** 64)

    def choice(self, seq):
        return seq[self.below(len(seq))]

    def weighted(self, pairs):
        total = sum(w for w, _ in pairs)
        r = self.below(total)
        for w, v in pairs:
            if r < w:
                return v
            r -= w
        return pairs[-1][1]

    def u32(self):
        return self.next64() & MASK32

    def value(self):
        """A register value: often a boundary value, sometimes small, sometimes anything."""
        k = self.below(10)
        if k < 4:
            return self.choice(INTERESTING)
        if k < 6:
            return self.range(-64, 64) & MASK32
        if k < 7:
            return (1 << self.below(32)) ^ (MASK32 if self.chance(0.3) else 0)
        return self.u32()


def s32(v):
    v &= MASK32
    return v - (1 << 32) if v & 0x80000000 else v


# ------------------------------------------------------------------ encoders (self-modifying code)

def enc_r(f7, rs2, rs1, f3, rd, opc=0x33):
    return (f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opc


def enc_i(imm, rs1, f3, rd, opc=0x13):
    return ((imm & 0xFFF) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opc


R_OPS = {"add": (0, 0), "sub": (0x20, 0), "sll": (0, 1), "slt": (0, 2), "sltu": (0, 3), "xor": (0, 4),
         "srl": (0, 5), "sra": (0x20, 5), "or": (0, 6), "and": (0, 7), "mul": (1, 0), "mulh": (1, 1),
         "mulhsu": (1, 2), "mulhu": (1, 3), "div": (1, 4), "divu": (1, 5), "rem": (1, 6), "remu": (1, 7)}
I_OPS = {"addi": 0, "slti": 2, "sltiu": 3, "xori": 4, "ori": 6, "andi": 7}


class Block:
    def __init__(self):
        self.lines = []
        self.rvc = False
        self.size = 0  # upper bound of the code bytes so far
        self.dyn = 0   # estimate of the instructions it executes


class Gen:
    def __init__(self, seed, insns):
        self.rng = Rng(seed)
        self.seed = seed
        self.target = insns
        self.labels = 0
        self.reserved = {0, SP}  # never written by random instructions
        self.sp_off = SP_OFFSET  # sp - diff_scratch
        self.depth = 0           # loop nesting
        self.blk = None
        self.mult = 1            # loop multiplier of the code being generated
        # A few "hot" registers per program make dependency chains likely.
        pool = [r for r in range(1, 32) if r != SP]
        hot = set()
        while len(hot) < 9:
            hot.add(self.rng.choice(pool))
        hot.add(self.rng.range(8, 15))
        hot.add(self.rng.range(8, 15))
        self.hot = sorted(hot)

    # ---------------------------------------------------------------- emission

    def label(self):
        self.labels += 1
        return f".L{self.labels}"

    def put(self, text, size=4, rvc=False):
        b = self.blk
        if rvc != b.rvc:
            b.lines.append("    .option rvc" if rvc else "    .option norvc")
            b.rvc = rvc
        b.lines.append("    " + text)
        b.size += size
        b.dyn += self.mult * (1 if size <= 4 else 2)

    def c(self, text):
        self.put(text, 2, True)

    def raw(self, text):
        self.blk.lines.append(text)

    # ---------------------------------------------------------------- registers

    def rd(self, allow_zero=True):
        """A destination: any register that is not reserved (x0 now and then)."""
        if allow_zero and self.rng.chance(0.02):
            return 0
        while True:
            r = self.rng.choice(self.hot) if self.rng.chance(0.7) else self.rng.range(1, 31)
            if r not in self.reserved:
                return r

    def rdc(self):
        """A destination among x8..x15 (compressed rd')."""
        free = [r for r in range(8, 16) if r not in self.reserved]
        return self.rng.choice(free) if free else None

    def rs(self):
        k = self.rng.below(20)
        if k == 0:
            return 0
        if k < 14:
            return self.rng.choice(self.hot)
        return self.rng.range(0, 31)

    def rsc(self):
        return self.rng.range(8, 15)

    @staticmethod
    def n(r):
        return ABI[r]

    # ---------------------------------------------------------------- straight-line instructions

    def imm12(self):
        k = self.rng.below(6)
        if k == 0:
            return self.rng.choice([0, 1, -1, 2047, -2048, 0x7F0, -16, 31, 32])
        if k < 4:
            return self.rng.range(-64, 64)
        return self.rng.range(-2048, 2047)

    def gen_li(self):
        rd = self.rd(False)
        v = self.rng.value()
        self.put(f"li {self.n(rd)}, {s32(v)}", 8)

    def gen_alu_rr(self):
        op = self.rng.choice(["add", "sub", "sll", "slt", "sltu", "xor", "srl", "sra", "or", "and"])
        self.put(f"{op} {self.n(self.rd())}, {self.n(self.rs())}, {self.n(self.rs())}")

    def gen_alu_ri(self):
        if self.rng.chance(0.35):
            op = self.rng.choice(["slli", "srli", "srai"])
            sh = self.rng.choice([0, 1, 31, 30, 16]) if self.rng.chance(0.4) else self.rng.range(0, 31)
            self.put(f"{op} {self.n(self.rd())}, {self.n(self.rs())}, {sh}")
            return
        op = self.rng.choice(list(I_OPS))
        self.put(f"{op} {self.n(self.rd())}, {self.n(self.rs())}, {self.imm12()}")

    def gen_upper(self):
        op = self.rng.choice(["lui", "auipc"])
        imm = self.rng.choice([0, 1, 0x80000, 0xFFFFF, 0x7FFFF]) if self.rng.chance(0.3) else self.rng.below(1 << 20)
        self.put(f"{op} {self.n(self.rd())}, {imm}")

    def gen_muldiv(self):
        op = self.rng.choice(["mul", "mulh", "mulhsu", "mulhu", "div", "divu", "rem", "remu"])
        rd, a, b = self.rd(), self.rs(), self.rs()
        if op in ("div", "divu", "rem", "remu") and self.rng.chance(0.4):
            # Set up the corner cases: division by zero and INT_MIN / -1.
            if self.rng.chance(0.5) and a not in self.reserved and a != 0:
                self.put(f"li {self.n(a)}, {s32(0x80000000)}", 8)
            if b not in self.reserved and b != 0:
                self.put(f"li {self.n(b)}, {self.rng.choice([0, -1, 1])}", 8)
        self.put(f"{op} {self.n(rd)}, {self.n(a)}, {self.n(b)}")

    def gen_compressed_alu(self):
        k = self.rng.below(13)
        if k == 0:
            rd = self.rd(False)
            self.c(f"c.addi {self.n(rd)}, {self.rng.choice([v for v in range(-32, 32) if v != 0])}")
        elif k == 1:
            self.c(f"c.li {self.n(self.rd(False))}, {self.rng.range(-32, 31)}")
        elif k == 2:
            rd = self.rd(False)
            imm = self.rng.choice(list(range(1, 32)) + list(range(0xFFFE0, 0x100000)))
            self.c(f"c.lui {self.n(rd)}, {imm}")
        elif k in (3, 4, 5):
            rd = self.rdc()
            if rd is None:
                return self.gen_alu_rr()
            if k == 3:
                self.c(f"c.srli {self.n(rd)}, {self.rng.range(1, 31)}")
            elif k == 4:
                self.c(f"c.srai {self.n(rd)}, {self.rng.range(1, 31)}")
            else:
                self.c(f"c.andi {self.n(rd)}, {self.rng.range(-32, 31)}")
        elif k == 6:
            rd = self.rdc()
            if rd is None:
                return self.gen_alu_rr()
            op = self.rng.choice(["c.sub", "c.xor", "c.or", "c.and"])
            self.c(f"{op} {self.n(rd)}, {self.n(self.rsc())}")
        elif k == 7:
            self.c(f"c.slli {self.n(self.rd(False))}, {self.rng.range(1, 31)}")
        elif k == 8:
            rs2 = self.rs() or 1
            self.c(f"c.mv {self.n(self.rd(False))}, {self.n(rs2)}")
        elif k == 9:
            rs2 = self.rs() or 1
            self.c(f"c.add {self.n(self.rd(False))}, {self.n(rs2)}")
        elif k == 10:
            rd = self.rdc()
            if rd is None:
                return self.gen_alu_rr()
            self.c(f"c.addi4spn {self.n(rd)}, sp, {4 * self.rng.range(1, 255)}")
        elif k == 11:
            self.c("c.nop")
        else:
            self.gen_hint()

    def gen_hint(self):
        """Compressed HINTs (rd = x0 forms): they must execute as no-ops."""
        k = self.rng.below(8)
        if k == 5:
            self.c(f".half {0x6001 | (self.rng.range(1, 31) << 2):#06x}  # c.lui zero (hint)")
        elif k == 6:
            self.c(f".half {0x0001 | (self.rd(False) << 7):#06x}  # c.addi rd, 0 (hint)")
        elif k == 7:
            rd = self.rdc()
            if rd is None:
                return self.gen_alu_rr()
            self.c(f".half {self.rng.choice([0x8001, 0x8401]) | ((rd - 8) << 7):#06x}  # c.srli/c.srai rd, 0 (hint)")
        elif k == 0:
            self.c(f".half {0x0001 | (self.rng.range(1, 31) << 2):#06x}  # c.nop with imm (hint)")
        elif k == 1:
            self.c(f".half {0x4001 | (self.rng.range(0, 31) << 2):#06x}  # c.li zero (hint)")
        elif k == 2:
            self.c(f".half {0x8002 | (self.rng.range(1, 31) << 2):#06x}  # c.mv zero (hint)")
        elif k == 3:
            self.c(f".half {0x9002 | (self.rng.range(1, 31) << 2):#06x}  # c.add zero (hint)")
        else:
            self.c(f".half {0x0002 | (self.rng.range(1, 31) << 2):#06x}  # c.slli zero (hint)")

    def gen_fence(self):
        k = self.rng.below(4)
        if k == 0:
            self.put("fence")
        elif k == 1:
            self.put(f"fence {self.rng.choice(['r', 'w', 'rw', 'iorw', 'io'])}, "
                     f"{self.rng.choice(['r', 'w', 'rw', 'iorw', 'o'])}")
        elif k == 2:
            self.put("fence.tso")
        else:
            self.put("fence.i")

    # ---------------------------------------------------------------- memory

    def addr(self, width, lo=0, hi=SCRATCH_SIZE):
        """A random aligned scratch offset; often one of a few hot words, so loads see stores."""
        if self.rng.chance(0.4):
            off = self.rng.choice([0, 4, 64, 1020, 1024, 1920, 2044, 2048, 4092, 256, 512])
        else:
            off = self.rng.range(lo, hi - width)
        off -= off % width
        return min(max(off, lo), hi - width)

    def base_for(self, target, lo, hi, compressed=False):
        """Loads a base register so that target - base lies in [lo, hi] (a multiple of 4 for the
        compressed forms); returns (base, displacement)."""
        rb = self.rdc() if compressed else self.rd(False)
        if rb is None:
            return None, 0
        rel = target - self.sp_off
        k_lo, k_hi = max(-2048, rel - hi), min(2047, rel - lo)
        if compressed:
            k_lo += -k_lo % 4
            k_hi -= k_hi % 4
        if k_lo > k_hi or self.rng.chance(0.15):
            # Out of addi range (or now and then anyway): li + add, the long way to the address.
            disp = self.rng.range(lo, hi)
            if compressed:
                disp -= disp % 4
            k = rel - disp
            self.put(f"li {self.n(rb)}, {k}", 8)
            if self.rng.chance(0.5):
                self.put(f"add {self.n(rb)}, sp, {self.n(rb)}")
            else:
                self.put(f"add {self.n(rb)}, {self.n(rb)}, sp")
            return rb, disp
        k = k_lo + (4 if compressed else 1) * self.rng.below((k_hi - k_lo) // (4 if compressed else 1) + 1)
        self.put(f"addi {self.n(rb)}, sp, {k}")
        return rb, rel - k

    def gen_mem(self):
        width, load, op = self.rng.choice([(1, True, "lb"), (1, True, "lbu"), (2, True, "lh"), (2, True, "lhu"),
                                           (4, True, "lw"), (1, False, "sb"), (2, False, "sh"),
                                           (4, False, "sw")])
        target = self.addr(width)
        if self.rng.chance(0.3) and -2048 <= target - self.sp_off <= 2047:
            base, disp = SP, target - self.sp_off
        else:
            base, disp = self.base_for(target, -2048, 2047)
        reg = self.rd() if load else self.rs()
        self.put(f"{op} {self.n(reg)}, {disp}({self.n(base)})")

    def gen_cmem(self):
        load = self.rng.chance(0.5)
        if self.rng.chance(0.5):  # c.lwsp / c.swsp: sp + 0..252
            disp = 4 * self.rng.range(0, 63)
            if load:
                self.c(f"c.lwsp {self.n(self.rd(False))}, {disp}(sp)")
            else:
                self.c(f"c.swsp {self.n(self.rs())}, {disp}(sp)")
            return
        target = self.addr(4)
        base, disp = self.base_for(target, 0, 124, compressed=True)
        if base is None:
            return self.gen_mem()
        if load:
            rd = self.rdc()
            if rd is None:
                rd = base
            self.c(f"c.lw {self.n(rd)}, {disp}({self.n(base)})")
        else:
            self.c(f"c.sw {self.n(self.rsc())}, {disp}({self.n(base)})")

    def gen_code_load(self):
        """A load from the program's own code (addresses of code are only 2-byte aligned)."""
        rb = self.rd(False)
        op = self.rng.choice(["lb", "lbu", "lh", "lhu"])
        disp = self.rng.range(-32, 32) * 2
        self.put(f"auipc {self.n(rb)}, 0")
        self.put(f"{op} {self.n(self.rd())}, {disp}({self.n(rb)})")

    def aqrl(self):
        return self.rng.choice(["", "", ".aq", ".rl", ".aqrl"])

    def gen_amo(self):
        op = self.rng.choice(["amoswap", "amoadd", "amoxor", "amoand", "amoor", "amomin", "amomax", "amominu",
                              "amomaxu"])
        base, _ = self.base_for(self.addr(4), 0, 0)
        self.put(f"{op}.w{self.aqrl()} {self.n(self.rd())}, {self.n(self.rs())}, ({self.n(base)})")

    def gen_lrsc(self):
        """lr.w, a few ALU instructions, sc.w to the same address (usually) or another one.
        Nothing stores in between: whether a store by the same hart breaks the reservation is up
        to the implementation (QEMU compares values, edgevp does not), so it is not compared."""
        base, _ = self.base_for(self.addr(4), 0, 0)
        self.reserved.add(base)
        self.put(f"lr.w{self.aqrl()} {self.n(self.rd())}, ({self.n(base)})")
        for _ in range(self.rng.below(4)):
            self.rng.choice([self.gen_alu_rr, self.gen_alu_ri, self.gen_muldiv])()
        sc_base = base
        if self.rng.chance(0.2):
            sc_base, _ = self.base_for(self.addr(4), 0, 0)
        self.reserved.discard(base)
        again = self.rng.chance(0.2)  # a second sc.w: the reservation is gone, it must fail
        if again:
            self.reserved.add(sc_base)
        self.put(f"sc.w{self.aqrl()} {self.n(self.rd())}, {self.n(self.rs())}, ({self.n(sc_base)})")
        if again:
            self.reserved.discard(sc_base)
            self.put(f"sc.w {self.n(self.rd())}, {self.n(self.rs())}, ({self.n(sc_base)})")

    def gen_simple(self):
        """One straight-line item: no control flow."""
        return self.rng.weighted([
            (20, self.gen_alu_rr), (16, self.gen_alu_ri), (4, self.gen_upper), (6, self.gen_li),
            (12, self.gen_muldiv), (16, self.gen_compressed_alu), (12, self.gen_mem), (6, self.gen_cmem),
            (4, self.gen_amo), (2, self.gen_lrsc), (1, self.gen_fence), (1, self.gen_code_load)])()

    # ---------------------------------------------------------------- control flow

    def gen_body(self, count, allow_loops=True):
        for _ in range(count):
            self.gen_item(allow_loops)

    def gen_item(self, allow_loops=True):
        k = self.rng.below(100)
        if k < 76:
            return self.gen_simple()
        if k < 84:
            return self.gen_fwd_branch()
        if k < 87:
            return self.gen_jump_over()
        if k < 91:
            return self.gen_sp_adjust()
        if k < 95 and allow_loops and self.depth < 2:
            return self.gen_loop()
        if k < 98:
            return self.gen_call()
        if allow_loops and self.depth < 2:
            return self.gen_smc()
        return self.gen_simple()

    def branch(self, target):
        """A conditional branch forward to target: 32-bit, or c.beqz/c.bnez (+254 bytes at most:
        gen_fwd_branch widens it when the body it skips turns out longer)."""
        if self.rng.chance(0.3):
            op = self.rng.choice(["c.beqz", "c.bnez"])
            self.c(f"{op} {self.n(self.rsc())}, {target}")
            return
        op = self.rng.choice(["beq", "bne", "blt", "bge", "bltu", "bgeu"])
        self.put(f"{op} {self.n(self.rs())}, {self.n(self.rs())}, {target}")

    def gen_fwd_branch(self):
        skip = self.label()
        start = self.blk.size
        # Whether the branch is taken depends on data; the estimate counts the body as run.
        self.branch(skip)
        self.gen_body(self.rng.range(1, 5), allow_loops=False)
        if self.blk.size - start > 200:
            # Too far for c.beqz/c.bnez: rewrite the branch as a 32-bit one.
            for i in range(len(self.blk.lines) - 1, -1, -1):
                line = self.blk.lines[i]
                if line.strip().startswith(("c.beqz", "c.bnez")) and line.rstrip().endswith(skip):
                    reg = line.split()[1].rstrip(",")
                    self.blk.lines[i] = f"    {'beq' if 'beqz' in line else 'bne'} {reg}, zero, {skip}"
                    break
        self.raw(f"{skip}:")

    def gen_jump_over(self):
        """An unconditional jump over dead bytes (junk that would trap if it ran)."""
        skip = self.label()
        k = self.rng.below(3)
        if k == 0:
            self.c(f"c.j {skip}")
        elif k == 1:
            self.put(f"jal zero, {skip}")
        else:
            self.put(f"jal {self.n(self.rd(False))}, {skip}")
        for _ in range(self.rng.range(1, 4)):
            junk = self.rng.choice([0x00000000, 0xFFFFFFFF, self.rng.u32(), 0x00100073, 0x00000073])
            self.raw(f"    .word {junk:#010x}")
            self.blk.size += 4
        if self.rng.chance(0.5):
            self.raw("    .half 0x0000")
            self.blk.size += 2
        self.raw(f"{skip}:")

    def gen_sp_adjust(self):
        """Move sp (c.addi16sp, c.addi or addi), use it, move it back."""
        k = self.rng.choice([16 * v for v in range(-16, 13) if v != 0])
        if self.sp_off + k < 0 or self.sp_off + k + 256 > SCRATCH_SIZE:
            return self.gen_simple()
        form = self.rng.below(3)
        down = -k

        def move(d):
            if form == 0:
                self.c(f"c.addi16sp sp, {d}")
            elif form == 1 and -32 <= d < 32:
                self.c(f"c.addi sp, {d}")
            else:
                self.put(f"addi sp, sp, {d}")

        move(k)
        self.sp_off += k
        for _ in range(self.rng.range(1, 4)):
            self.rng.choice([self.gen_mem, self.gen_cmem, self.gen_alu_rr, self.gen_compressed_alu])()
        move(down)
        self.sp_off -= k

    def gen_loop(self):
        n = self.rng.range(1, 6 if self.depth == 0 else 3)
        counter = self.rd(False)
        self.reserved.add(counter)
        self.depth += 1
        top = self.label()
        count_up = self.rng.chance(0.3)
        limit = None
        if count_up:
            limit = self.rd(False)
            self.reserved.add(limit)
            self.put(f"li {self.n(counter)}, 0", 4)
            self.put(f"li {self.n(limit)}, {n}", 4)
        else:
            self.put(f"li {self.n(counter)}, {n}", 4)
        self.raw(f"{top}:")
        start = self.blk.size
        outer = self.mult
        self.mult *= n
        self.gen_body(self.rng.range(2, 10 if self.depth == 1 else 5))
        cname = self.n(counter)
        if count_up:
            self.put(f"addi {cname}, {cname}, 1")
            self.put(f"{self.rng.choice(['blt', 'bltu', 'bne'])} {cname}, {self.n(limit)}, {top}")
            self.reserved.discard(limit)
        else:
            if 8 <= counter <= 15 and self.rng.chance(0.5):
                self.c(f"c.addi {cname}, -1")
            else:
                self.put(f"addi {cname}, {cname}, -1")
            size = self.blk.size - start
            k = self.rng.below(4)
            if k == 0 and 8 <= counter <= 15 and size < 200:
                self.c(f"c.bnez {cname}, {top}")
            elif k == 1:
                self.put(f"blt zero, {cname}, {top}")
            elif k == 2:
                self.put(f"bltu zero, {cname}, {top}")
            else:
                self.put(f"bne {cname}, zero, {top}")
        self.mult = outer
        self.depth -= 1
        self.reserved.discard(counter)

    def gen_call(self):
        """A local subroutine, jumped over, then called one to three times."""
        after = self.label()
        sub = self.label()
        link = 1 if self.rng.chance(0.6) and 1 not in self.reserved else self.rd(False)
        if self.rng.chance(0.5):
            self.c(f"c.j {after}")
        else:
            self.put(f"jal zero, {after}")
        self.raw(f"{sub}:")
        self.reserved.add(link)
        calls = self.rng.range(1, 3)
        outer = self.mult
        self.mult *= calls
        self.gen_body(self.rng.range(1, 6), allow_loops=False)
        self.mult = outer
        k = self.rng.below(3)
        if k == 0 and link != 0:
            self.c(f"c.jr {self.n(link)}")
        elif k == 1:
            self.put(f"jalr zero, 0({self.n(link)})")
        else:
            self.put(f"jalr zero, {self.n(link)}, 0")
        self.reserved.discard(link)
        self.raw(f"{after}:")
        for _ in range(calls):
            k = self.rng.below(5)
            if k == 0 and link == 1:
                self.c(f"c.jal {sub}")
            elif k in (1, 2) or link != 1 and k == 0:
                self.put(f"jal {self.n(link)}, {sub}")
            else:
                # Through a register: la tmp, sub + off; jalr link, -off(tmp) or c.jalr tmp.
                tmp = self.rd(False)  # may be the link register itself: jalr reads it first
                if k == 3 and link == 1:
                    self.put(f"la {self.n(tmp)}, {sub}", 8)
                    self.c(f"c.jalr {self.n(tmp)}")
                else:
                    off = self.rng.choice([0, 4, -4, 1, -1, 100, -1000, 2047, -2046])
                    odd = self.rng.below(2)  # jalr clears bit 0 of the target: sub + 1 lands on sub
                    self.put(f"la {self.n(tmp)}, {sub} + {off}", 8)
                    self.put(f"jalr {self.n(link)}, {odd - off}({self.n(tmp)})")
            self.gen_simple()

    def gen_smc(self):
        """Self-modifying code: a two-pass loop whose first pass runs a slot instruction and then
        stores a new encoding over it (fence.i); the second pass runs the new instruction."""
        counter, base, val = self.rd(False), None, None
        self.reserved.add(counter)
        base = self.rd(False)
        self.reserved.add(base)
        val = self.rd(False)
        self.reserved.discard(counter)
        self.reserved.discard(base)
        if len({counter, base, val}) < 3:
            return self.gen_simple()
        top, slot = self.label(), self.label()
        self.put(f"li {self.n(counter)}, 2", 4)
        self.raw(f"{top}:")
        dests = [r for r in range(1, 32) if r not in self.reserved and r not in (counter, base, val)]
        rd = self.rng.choice(dests)
        old = self.rng.choice(list(I_OPS))
        self.raw(f"{slot}:")
        self.put(f"{old} {self.n(rd)}, {self.n(self.rs())}, {self.imm12()}")
        # The new instruction: a random register-register or register-immediate ALU operation.
        rd2 = self.rng.choice(dests)
        if self.rng.chance(0.5):
            name = self.rng.choice(list(R_OPS))
            f7, f3 = R_OPS[name]
            a, b = self.rs(), self.rs()
            word = enc_r(f7, b, a, f3, rd2)
            text = f"{name} {self.n(rd2)}, {self.n(a)}, {self.n(b)}"
        else:
            name = self.rng.choice(list(I_OPS))
            a, imm = self.rs(), self.imm12()
            word = enc_i(imm, a, I_OPS[name], rd2)
            text = f"{name} {self.n(rd2)}, {self.n(a)}, {imm}"
        self.put(f"la {self.n(base)}, {slot}", 8)
        self.put(f"li {self.n(val)}, {s32(word)}  # {text}", 8)
        # The slot is only 2-byte aligned (compressed code before it): two halfword stores, low
        # half first or high half first.
        v, b = self.n(val), self.n(base)
        if self.rng.chance(0.5):
            self.put(f"sh {v}, 0({b})")
            self.put(f"srli {v}, {v}, 16")
            self.put(f"sh {v}, 2({b})")
        else:
            self.put(f"srli {v}, {v}, 16")
            self.put(f"sh {v}, 2({b})")
            self.put(f"li {v}, {s32(word)}", 8)
            self.put(f"sh {v}, 0({b})")
        self.put("fence.i")
        self.put(f"addi {self.n(counter)}, {self.n(counter)}, -1")
        self.put(f"bne {self.n(counter)}, zero, {top}")
        self.blk.dyn += 7 * self.mult  # the second pass

    # ---------------------------------------------------------------- the program

    def new_block(self):
        self.blk = Block()
        return self.blk

    def finish_block(self):
        b = self.blk
        if b.rvc:
            b.lines.append("    .option norvc")
            b.rvc = False
        return b

    def generate(self):
        init = self.new_block()
        self.put("la sp, diff_regs + 2048", 8)
        for r in range(1, 32):
            if r != SP:
                self.put(f"li {self.n(r)}, {s32(self.rng.value())}", 8)
        self.finish_block()
        blocks = []
        total = 0
        while total < self.target:
            self.new_block()
            self.gen_item()
            b = self.finish_block()
            blocks.append(b)
            total += b.dyn
        scratch = [self.rng.value() if self.rng.chance(0.3) else self.rng.u32() for _ in range(SCRATCH_SIZE // 4)]
        return Program(self.seed, init, blocks, scratch)


class Program:
    def __init__(self, seed, init, blocks, scratch):
        self.seed = seed
        self.init = init
        self.blocks = blocks
        self.scratch = scratch

    def estimate(self, count=None):
        return sum(b.dyn for b in self.blocks[:count])

    def render(self, count=None):
        """The assembly of the program with its first `count` blocks (all by default)."""
        count = len(self.blocks) if count is None else count
        out = [f"# edgevp differential ISS test program: seed {self.seed}, "
               f"{count} of {len(self.blocks)} blocks (tests/diff/rvgen.py)",
               "    .option norelax", "    .option norvc",
               '    .section .text.body, "ax", @progbits',
               "    .globl diff_body", "diff_body:"]
        out += self.init.lines
        for i, b in enumerate(self.blocks[:count]):
            out.append(f"diff_blk_{i:04d}:")
            out += b.lines
        out.append("diff_blk_end:")
        out.append("    jal zero, diff_end")
        out.append('    .section .data.scratch, "aw", @progbits')
        for i in range(0, len(self.scratch), 8):
            out.append("    .word " + ", ".join(f"{w:#010x}" for w in self.scratch[i:i + 8]))
        return "\n".join(out) + "\n"


def generate(seed, insns=3000):
    return Gen(seed, insns).generate()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("seed", type=int)
    ap.add_argument("--insns", type=int, default=3000, help="instructions to aim for (estimate)")
    ap.add_argument("--blocks", type=int, default=None, help="emit only the first K blocks")
    ap.add_argument("-o", "--output", default="-")
    args = ap.parse_args()
    text = generate(args.seed, args.insns).render(args.blocks)
    if args.output == "-":
        sys.stdout.write(text)
    else:
        with open(args.output, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()

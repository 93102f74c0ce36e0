// Every RV32IMAC + Zicsr + Zifencei instruction form, for tests/disasm/disasm_check: objdump
// disassembles this object and edgevp's disassembler must print the same text for each word.
// Assemble with -march=rv32imac_zicsr_zifencei -mabi=ilp32. Registers and immediates go to their
// edges (x0, x31, min/max immediates and branch offsets); `.insn` words cover encodings objdump
// prints as .4byte/.2byte and the reserved or HINT encodings it still decodes.

        .option norelax         // resolve branch offsets here, so the words carry real targets
        .text
        .globl all_insns
all_insns:

// ---------------------------------------------------------------- RV32I, 32-bit encodings
        .option push
        .option norvc
rv32i:
        lui     zero, 0
        lui     a0, 0xfffff
        lui     t6, 0x80000
        lui     sp, 0x12345
        auipc   ra, 0
        auipc   t6, 0xfffff
        auipc   gp, 0x7ffff

        jal     ra, rv32i
        jal     zero, . + 1048574       // largest forward J offset
        jal     t6, . - 1048576         // largest backward J offset
        jal     s0, . + 2
        jalr    zero, 0(ra)
        jalr    ra, -2048(t6)
        jalr    t6, 2047(zero)
        jalr    s1, -1(a0)

        beq     a0, a1, rv32i
        beq     zero, zero, . + 4094    // largest forward B offset
        bne     t6, zero, . - 4096      // largest backward B offset
        blt     s0, s1, . + 2
        bge     a7, s2, . - 2
        bltu    t3, t4, . + 16
        bgeu    sp, gp, . - 16

        lb      a0, 0(a1)
        lb      zero, -2048(t6)
        lh      t6, 2047(zero)
        lw      s11, -1(sp)
        lbu     ra, 1(s0)
        lhu     tp, -100(t0)
        sb      a0, 0(a1)
        sb      t6, -2048(zero)
        sh      zero, 2047(t6)
        sw      s10, -4(sp)
        sw      ra, 2044(s1)

        addi    zero, zero, 0
        addi    a0, a1, -2048
        addi    t6, t6, 2047
        addi    sp, sp, -16
        slti    a2, a3, -1
        slti    zero, t6, 2047
        sltiu   a4, a5, 1
        sltiu   t6, zero, -2048
        xori    a6, a7, -1
        xori    s2, s3, 0x7ff
        ori     s4, s5, -2048
        ori     t0, zero, 1
        andi    s6, s7, 255
        andi    t6, t6, -1
        slli    a0, a0, 0
        slli    t6, zero, 31
        slli    s8, s9, 1
        srli    zero, t6, 31
        srli    s10, s11, 7
        srai    t3, t4, 31
        srai    t5, t6, 0

        add     zero, zero, zero
        add     t6, t6, t6
        sub     a0, a1, a2
        sub     sp, zero, t6
        sll     a3, a4, a5
        slt     a6, a7, s2
        sltu    s3, s4, s5
        xor     s6, s7, s8
        srl     s9, s10, s11
        sra     t3, t4, t5
        or      ra, sp, gp
        and     tp, t0, t1

        fence
        fence   iorw, iorw
        fence   r, rw
        fence   w, w
        fence   i, o
        fence   io, ir
        fence   ow, iw
        fence.tso
        ecall
        ebreak

// ---------------------------------------------------------------- M
        mul     a0, a1, a2
        mul     zero, t6, zero
        mulh    t6, zero, t6
        mulhsu  s0, s1, sp
        mulhu   ra, gp, tp
        div     t0, t1, t2
        divu    a3, a4, a5
        rem     a6, a7, s2
        remu    s10, s11, t3

// ---------------------------------------------------------------- A, every ordering
        lr.w            a0, (a1)
        lr.w.aq         zero, (t6)
        lr.w.rl         t6, (zero)
        lr.w.aqrl       s0, (sp)
        sc.w            a0, a2, (a1)
        sc.w.aq         t6, zero, (sp)
        sc.w.rl         zero, t6, (t6)
        sc.w.aqrl       s1, s2, (s3)
        amoswap.w       a0, a1, (a2)
        amoswap.w.aq    t6, zero, (sp)
        amoswap.w.rl    zero, t6, (ra)
        amoswap.w.aqrl  s4, s5, (s6)
        amoadd.w        a0, a1, (a2)
        amoadd.w.aq     a3, a4, (a5)
        amoadd.w.rl     a6, a7, (s2)
        amoadd.w.aqrl   t6, t6, (t6)
        amoxor.w        a0, a1, (a2)
        amoxor.w.aq     a3, a4, (a5)
        amoxor.w.rl     a6, a7, (s2)
        amoxor.w.aqrl   s3, s4, (s5)
        amoand.w        a0, a1, (a2)
        amoand.w.aq     a3, a4, (a5)
        amoand.w.rl     a6, a7, (s2)
        amoand.w.aqrl   s3, s4, (s5)
        amoor.w         a0, a1, (a2)
        amoor.w.aq      a3, a4, (a5)
        amoor.w.rl      a6, a7, (s2)
        amoor.w.aqrl    s3, s4, (s5)
        amomin.w        a0, a1, (a2)
        amomin.w.aq     a3, a4, (a5)
        amomin.w.rl     a6, a7, (s2)
        amomin.w.aqrl   s3, s4, (s5)
        amomax.w        a0, a1, (a2)
        amomax.w.aq     a3, a4, (a5)
        amomax.w.rl     a6, a7, (s2)
        amomax.w.aqrl   s3, s4, (s5)
        amominu.w       a0, a1, (a2)
        amominu.w.aq    a3, a4, (a5)
        amominu.w.rl    a6, a7, (s2)
        amominu.w.aqrl  s3, s4, (s5)
        amomaxu.w       a0, a1, (a2)
        amomaxu.w.aq    a3, a4, (a5)
        amomaxu.w.rl    a6, a7, (s2)
        amomaxu.w.aqrl  zero, zero, (zero)

// ---------------------------------------------------------------- Zicsr, by name and by number
        csrrw   a0, mstatus, a1
        csrrw   zero, mtvec, t6
        csrrs   t6, mhartid, zero
        csrrs   a0, mcause, zero
        csrrc   a1, mie, a2
        csrrc   zero, mip, t0
        csrrwi  a0, mscratch, 0
        csrrwi  t6, mepc, 31
        csrrsi  zero, mstatus, 8
        csrrsi  s0, mtval, 1
        csrrci  s1, mstatus, 31
        csrrci  zero, mie, 0
        csrrs   a0, misa, zero
        csrrs   a0, mvendorid, zero
        csrrs   a0, marchid, zero
        csrrs   a0, mimpid, zero
        csrrw   a0, medeleg, a0
        csrrw   a0, mideleg, a0
        csrrw   a0, mcounteren, a0
        csrrw   a0, mcountinhibit, a0
        csrrw   a0, mstatush, a0
        csrrw   a0, pmpcfg0, a0
        csrrw   a0, pmpcfg15, a0
        csrrw   a0, pmpaddr0, a0
        csrrw   a0, pmpaddr63, a0
        csrrs   a0, cycle, zero
        csrrs   a0, cycleh, zero
        csrrs   a0, time, zero
        csrrs   a0, timeh, zero
        csrrs   a0, instret, zero
        csrrs   a0, instreth, zero
        csrrs   a0, hpmcounter3, zero
        csrrs   a0, hpmcounter31h, zero
        csrrw   a0, mcycle, a1
        csrrw   a0, mcycleh, a1
        csrrw   a0, minstret, a1
        csrrw   a0, minstreth, a1
        csrrw   a0, mhpmcounter3, a1
        csrrw   a0, mhpmcounter17, a1
        csrrw   a0, mhpmcounter31, a1
        csrrw   a0, mhpmcounter3h, a1
        csrrw   a0, mhpmcounter31h, a1
        csrrw   a0, mhpmevent3, a1
        csrrw   a0, mhpmevent31, a1
        csrrs   a0, sstatus, zero
        csrrs   a0, satp, zero
        csrrs   a0, tselect, zero
        csrrs   a0, dcsr, zero
        csrrs   a0, dpc, zero
        csrrs   a0, 0x001, zero         // fflags: named although RV32IMAC has no F
        csrrs   a0, 0x7c0, zero         // custom: hex
        csrrs   a0, 0xfff, zero
        csrrwi  zero, 0x800, 31
        csrrci  t6, 0x000, 0

// ---------------------------------------------------------------- Zifencei, privileged
        fence.i
        mret
        sret
        uret
        dret
        wfi
        sfence.vma
        sfence.vma      a0
        sfence.vma      t6, zero
        sfence.vma      a0, a1
        .option pop

// ---------------------------------------------------------------- C, by the assembler
// With RVC on, gas picks the compressed encoding wherever one exists.
compressed_implicit:
        addi    a0, a0, 1
        addi    sp, sp, -512
        addi    s0, sp, 1020
        li      a5, -32
        lui     a4, 31
        slli    t6, t6, 31
        srli    s1, s1, 1
        srai    a5, a5, 31
        andi    a0, a0, -32
        add     a0, a0, a1
        mv      t6, ra
        sub     s0, s0, s1
        xor     a2, a2, a3
        or      a4, a4, a5
        and     s1, s1, a0
        lw      a0, 124(a5)
        sw      s1, 0(s0)
        lw      ra, 252(sp)
        sw      t6, 0(sp)
        beq     a0, zero, compressed_implicit
        bne     s1, zero, compressed_implicit
        j       compressed_implicit
        jal     compressed_implicit
        jr      t6
        jalr    a0
        ret
        nop
        ebreak

// ---------------------------------------------------------------- C, spelled out
compressed_explicit:
        c.addi4spn      a0, sp, 4
        c.addi4spn      s0, sp, 1020
        c.addi4spn      a5, sp, 512
        c.lw            s0, 0(s1)
        c.lw            a5, 124(a0)
        c.sw            a0, 64(a5)
        c.sw            s1, 124(s0)
        c.nop
        c.addi          a0, -32
        c.addi          t6, 31
        c.addi          sp, 1
        c.jal           compressed_explicit
        c.jal           . + 2046                // largest forward CJ offset
        c.jal           . - 2048                // largest backward CJ offset
        c.li            a0, -32
        c.li            t6, 31
        c.li            ra, 0
        c.addi16sp      sp, -512
        c.addi16sp      sp, 496
        c.addi16sp      sp, 16
        c.lui           a0, 1
        c.lui           t6, 31
        c.lui           ra, 0xfffe0
        c.lui           s0, 0xfffff
        c.srli          s0, 1
        c.srli          a5, 31
        c.srai          a0, 1
        c.srai          s1, 31
        c.andi          a0, -32
        c.andi          a5, 31
        c.andi          s0, 0
        c.sub           s0, a5
        c.xor           a0, a1
        c.or            s1, a2
        c.and           a5, s0
        c.j             compressed_explicit
        c.j             . + 2046
        c.j             . - 2048
        c.beqz          a0, . + 254             // largest forward CB offset
        c.beqz          s0, . - 256             // largest backward CB offset
        c.bnez          a5, compressed_explicit
        c.bnez          s1, . + 2
        c.slli          a0, 1
        c.slli          t6, 31
        c.slli          ra, 16
        c.lwsp          a0, 0(sp)
        c.lwsp          t6, 252(sp)
        c.lwsp          ra, 4(sp)
        c.jr            ra
        c.jr            t6
        c.mv            a0, a1
        c.mv            t6, ra
        c.ebreak
        c.jalr          a0
        c.jalr          t6
        c.add           a0, a1
        c.add           t6, t6
        c.swsp          a0, 0(sp)
        c.swsp          t6, 252(sp)
        c.swsp          zero, 128(sp)
        c.unimp

// ---------------------------------------------------------------- raw words
// Reserved or HINT encodings objdump still decodes (the ISS must trap or ignore them itself).
raw_decoded:
        .insn   0x6101          // c.addi16sp sp,0: reserved
        .insn   0x1002          // c.slli zero,0x20: HINT with shamt[5]=1, reserved on RV32
        .insn   0x0002          // c.slli64 zero
        .insn   0x8001          // c.srli64 s0
        .insn   0x8401          // c.srai64 s0
        .insn   0x1502          // c.slli a0,0x20
        .insn   0x9001          // c.srli s0,0x20
        .insn   0x0001          // c.addi zero,0 (c.nop)
        .insn   0x0501          // c.addi a0,0: HINT
        .insn   0x0005          // c.addi zero,1: HINT
        .insn   0x4005          // c.li zero,1: HINT
        .insn   0x6005          // c.lui zero,0x1: HINT
        .insn   0x8006          // c.mv zero,ra: HINT
        .insn   0x9006          // c.add zero,ra: HINT
        .insn   0x02051513      // slli a0,a0,0x20: shamt[5]=1, illegal on RV32
        .insn   0x0205d513      // srli a0,a1,0x20
        .insn   0x4205d513      // srai a0,a1,0x20
        .insn   0xc0001073      // csrrw zero,cycle,zero: objdump says unimp
        .insn   0x20200073      // hret (privileged spec 1.9)
        .insn   0x10400073      // sfence.vm (privileged spec 1.9)
        .insn   0x10450073      // sfence.vm a0
        .insn   0x0000000f      // fence with empty sets
        .insn   0x0100000f      // pause (fence w,0): Zihintpause is not in the ISA string

// Encodings objdump cannot decode for rv32imac_zicsr_zifencei: .4byte / .2byte.
raw_unknown:
        .insn   0x00002063      // branch funct3=2
        .insn   0x00003063      // branch funct3=3
        .insn   0x00003003      // ld (RV64)
        .insn   0x00006003      // lwu (RV64)
        .insn   0x00007003      // load funct3=7
        .insn   0x00003023      // sd (RV64)
        .insn   0x00004023      // store funct3=4
        .insn   0x0000001b      // addiw (RV64)
        .insn   0x0000003b      // addw (RV64)
        .insn   0x00001067      // jalr funct3=1
        .insn   0x04051513      // slli with funct6 != 0
        .insn   0x80055513      // srli/srai with bad funct6
        .insn   0x04000033      // OP with funct7=0x02
        .insn   0x40001033      // sll with funct7=0x20
        .insn   0x0000302f      // amoadd.d (RV64)
        .insn   0x1015a52f      // lr.w with rs2 != 0
        .insn   0x2800202f      // AMO funct5=0x05, unused
        .insn   0xf800202f      // AMO funct5=0x1f
        .insn   0x00004073      // SYSTEM funct3=4
        .insn   0x00100173      // ebreak with rd != 0
        .insn   0x30200173      // mret with rd != 0
        .insn   0x1200c0f3      // sfence.vma with rd != 0
        .insn   0x0000008f      // fence with rd != 0
        .insn   0x0000800f      // fence with rs1 != 0
        .insn   0x4000000f      // fence with fm=4
        .insn   0x8ff0000f      // fence with fm=8 but not the .tso sets
        .insn   0x0010100f      // fence.i with imm != 0
        .insn   0x0000200f      // MISC-MEM funct3=2
        .insn   0x00000053      // fadd.s: no F
        .insn   0x00002007      // flw: no F
        .insn   0x00000057      // vector: no V
        .insn   0x0000000b      // custom-0
        .insn   0x0004          // c.addi4spn with zero immediate
        .insn   0x2000          // c.fld: no D
        .insn   0x6000          // c.flw: no F
        .insn   0x8000          // quadrant 0 funct3=4 (reserved)
        .insn   0xa000          // c.fsd: no D
        .insn   0xe000          // c.fsw: no F
        .insn   0x6001          // c.lui zero,0: reserved
        .insn   0x6501          // c.lui a0,0: reserved
        .insn   0x9c01          // c.subw (RV64)
        .insn   0x9c21          // c.addw (RV64)
        .insn   0x9c41          // reserved
        .insn   0x9c61          // reserved
        .insn   0x2002          // c.fldsp: no D
        .insn   0x4002          // c.lwsp zero: reserved
        .insn   0x6002          // c.flwsp: no F
        .insn   0x8002          // c.jr zero: reserved
        .insn   0xa002          // c.fsdsp: no D
        .insn   0xe002          // c.fswsp: no F

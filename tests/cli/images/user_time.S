# Zicntr time and user mode on the SoC: reads time (the CLINT's mtime), enters user mode through
# mret with a PMP entry over RAM, reads time there (mcounteren.TM set), spins, reads again and
# ecalls back. Exit code (tohost): 0 when time went on and the trap was an ecall from U (cause 8);
# 1 time did not advance, 2 wrong cause.
.globl _start
_start:
  la t0, trap
  csrw mtvec, t0
  csrr s0, time
  li t0, -1                  # pmpaddr0 all ones, NAPOT: the whole address space, RWX
  csrw pmpaddr0, t0
  li t0, 0x1F
  csrw pmpcfg0, t0
  li t0, 2                   # mcounteren.TM
  csrw mcounteren, t0
  la t0, user
  csrw mepc, t0
  li t0, 0x1800              # MPP = user
  csrc mstatus, t0
  mret
user:
  li t1, 20000
1: addi t1, t1, -1
  bnez t1, 1b
  csrr s1, time
  ecall
trap:
  csrr t2, mcause
  li a0, 2
  li t3, 8
  bne t2, t3, done
  li a0, 1
  bleu s1, s0, done
  li a0, 0
done:
  la t0, tohost
  slli a0, a0, 1
  ori a0, a0, 1
  sw a0, 0(t0)
  sw zero, 4(t0)
2: j 2b
.section .tohost, "aw", @progbits
.align 6
.globl tohost
tohost: .dword 0
.align 6
.globl fromhost
fromhost: .dword 0

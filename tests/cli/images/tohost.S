# riscv-tests style exit: writes (code << 1) | 1 to tohost. Exit code 3.
.globl _start
_start:
  la t0, tohost
  li t1, (3 << 1) | 1
  sw t1, 0(t0)
  sw zero, 4(t0)
1: j 1b
.section .tohost, "aw", @progbits
.align 6
.globl tohost
tohost: .dword 0
.align 6
.globl fromhost
fromhost: .dword 0

# Installs a trap handler at an unmapped address, then traps: every trap traps again.
.globl _start
_start:
  li t0, 0x40000000
  csrw mtvec, t0
  ecall
1: j 1b

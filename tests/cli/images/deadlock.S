# Waits for an interrupt with every interrupt disabled in mie: nothing can ever wake it.
.globl _start
_start:
  csrw mie, zero
  wfi
1: j 1b

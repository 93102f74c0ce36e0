# Loads from an unmapped address without ever installing a trap handler (mtvec stays 0).
.globl _start
_start:
  li t0, 0x40000000
  lw t1, 0(t0)
1: j 1b

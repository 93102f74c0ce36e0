# Linked at 0x40000000, where there is no memory.
.globl _start
_start:
1: j 1b

# Exits with CODE (a -D of the build): through the syscon's EXIT register ((CODE << 16) | 0x3333,
# the SiFive test finisher), or with -DTOHOST through tohost ((CODE << 1) | 1).
.globl _start
_start:
#ifdef TOHOST
  la t0, tohost
  li t1, (CODE << 1) | 1
  sw t1, 0(t0)
  sw zero, 4(t0)
#else
  li t0, 0x10001000          # syscon (docs/memory-map.md)
  li t1, (CODE << 16) | 0x3333
  sw t1, 8(t0)               # EXIT
#endif
1: j 1b
.section .tohost, "aw", @progbits
.align 6
.globl tohost
tohost: .dword 0
.align 6
.globl fromhost
fromhost: .dword 0

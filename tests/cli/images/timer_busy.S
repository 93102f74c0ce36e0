# A busy-wait over a CLINT deadline whose handler writes mtimecmp: the CPU takes the timer
# interrupt in the same delta cycle as the CLINT raised mtip, and the handler's write lowers it
# again in that delta. Exits (tohost) 0 once the handler ran.
.globl _start
_start:
  la t0, handler
  csrw mtvec, t0
  li s0, 0x02000000          # CLINT
  li t1, 0xBFF8
  add t1, s0, t1
  lw t2, 0(t1)               # mtime (low half; small at this point)
  addi t2, t2, 100
  li t1, 0x4000
  add t1, s0, t1
  sw zero, 4(t1)             # mtimecmp high, then low
  sw t2, 0(t1)
  li t0, 0x80                # MTIE
  csrw mie, t0
  csrsi mstatus, 8           # MIE
  li s1, 0
1: beqz s1, 1b
  la t0, tohost
  li t1, 1
  sw t1, 0(t0)
  sw zero, 4(t0)
2: j 2b
.align 2
handler:
  li t1, 0x4000
  add t1, s0, t1
  li t2, -1
  sw t2, 4(t1)               # mtimecmp = all ones: mtip falls
  sw t2, 0(t1)
  li s1, 1
  mret
.section .tohost, "aw", @progbits
.align 6
.globl tohost
tohost: .dword 0
.align 6
.globl fromhost
fromhost: .dword 0

# 70000 firmware regions, each with its own name ("r" and the count in 5 hex digits), opened and
# closed one after the other; exits 0 through the syscon.
# The report keeps the first 65536 regions and counts the rest; the totals keep 4096 names.
.equ SYSCON, 0x10001000
.globl _start
_start:
  li s0, SYSCON
  la s1, name
  li s2, 0                # region count
  li s3, 70000
1:
  # name = "r" + 5 hex digits of s2
  li t0, 'r'
  sb t0, 0(s1)
  li t1, 5                # digits left
  addi t2, s1, 5          # last digit
  mv t3, s2
2:
  andi t4, t3, 15
  li t5, 10
  blt t4, t5, 3f
  addi t4, t4, 'a' - 10
  j 4f
3:
  addi t4, t4, '0'
4:
  sb t4, 0(t2)
  srli t3, t3, 4
  addi t2, t2, -1
  addi t1, t1, -1
  bnez t1, 2b
  sb zero, 6(s1)
  sw s1, 0x0C(s0)         # REGION_BEGIN
  sw zero, 0x10(s0)       # REGION_END
  addi s2, s2, 1
  blt s2, s3, 1b
  li t0, 0x5555
  sw t0, 0x08(s0)         # EXIT 0
6: j 6b
.data
name: .space 8

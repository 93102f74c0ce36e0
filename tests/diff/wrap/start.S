/*
 * Differential ISS test images: entry and epilogue, the same in both wrappers.
 *
 * _start sets up a stack for the platform hook, then jumps to the generated program
 * (diff_body), which loads every register itself. The program ends with `j diff_end` with sp
 * back at diff_regs + 2048; the epilogue stores x1..x31 into diff_regs and hands over to the
 * report (report.c), which prints registers and scratch buffer and exits.
 */
    .option norelax  /* gp is an ordinary register here: nothing may be relaxed against it */
    .option norvc

    .section .text.start, "ax", @progbits
    .globl  _start
    .type   _start, @function
_start:
    la      sp, __diff_stack_top
    call    diff_platform_begin
    j       diff_body
    .size   _start, . - _start

    .globl  diff_end
    .type   diff_end, @function
diff_end:
    .irp    n, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
    sw      x\n, (\n * 4 - 2048)(sp)
    .endr
    la      sp, __diff_stack_top
    call    diff_platform_end
    call    diff_report
1:  j       1b
    .size   diff_end, . - diff_end

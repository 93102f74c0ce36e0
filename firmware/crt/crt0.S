/*
 * edgevp crt0: entry point of every firmware image (machine mode, single hart).
 *
 * The boot ROM stub jumps here with a0 = mhartid. mtvec is still 0 (a trap now ends the run
 * with exit code 125), so traps are installed only once the C environment exists.
 *
 * Symbols come from link/sram.ld or link/emram.ld.
 */
    .section .text.init.enter, "ax", @progbits
    .globl  _start
    .type   _start, @function
_start:
    /* gp must be set before anything is relaxed against it. */
    .option push
    .option norelax
    la      gp, __global_pointer$
    .option pop
    la      sp, __stack_top
    /* Static TLS block: picolibc keeps errno in .tbss (local-exec, tp-relative). */
    la      tp, __tls_base

    /* Copy .data (and .tdata) from its load address when it is not already there. */
    la      a0, __data_start
    la      a1, __data_load
    la      a2, __data_end
    beq     a0, a1, 2f
1:  bgeu    a0, a2, 2f
    lw      t0, 0(a1)
    sw      t0, 0(a0)
    addi    a0, a0, 4
    addi    a1, a1, 4
    j       1b
2:
    /* Zero .tbss and .bss. */
    la      a0, __bss_start
    la      a1, __bss_end
3:  bgeu    a0, a1, 4f
    sw      zero, 0(a0)
    addi    a0, a0, 4
    j       3b
4:
    /* Direct mode: every trap enters the HAL at one address (4-byte aligned, low bits 00). */
    la      t0, hal_trap_entry
    csrw    mtvec, t0

    call    __libc_init_array

    li      a0, 0                   /* argc */
    li      a1, 0                   /* argv */
    call    main
    /* exit() runs atexit handlers and destructors, then _exit() -> syscon EXIT. */
    call    exit
5:  wfi
    j       5b
    .size   _start, . - _start

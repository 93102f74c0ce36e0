/*
 * Trap vector (mtvec direct mode): save the caller-saved registers and the trap CSRs in a
 * struct trap_frame on the current stack, call hal_trap_dispatch(frame, mcause, mepc, mtval),
 * restore mepc and mstatus from the frame (a hook may have changed them) and return.
 * Callee-saved registers are preserved by the C code itself; gp and tp never change.
 */
#include "edgevp/irq.h"

    .section .text.hal_trap_entry, "ax", @progbits
    .globl  hal_trap_entry
    .type   hal_trap_entry, @function
    .balign 4                       /* mtvec BASE: low two bits are the mode */
hal_trap_entry:
    addi    sp, sp, -TRAP_FRAME_SIZE
    sw      ra, TRAP_FRAME_RA(sp)
    sw      t0, TRAP_FRAME_T0(sp)
    sw      t1, TRAP_FRAME_T1(sp)
    sw      t2, TRAP_FRAME_T2(sp)
    sw      a0, TRAP_FRAME_A0(sp)
    sw      a1, TRAP_FRAME_A1(sp)
    sw      a2, TRAP_FRAME_A2(sp)
    sw      a3, TRAP_FRAME_A3(sp)
    sw      a4, TRAP_FRAME_A4(sp)
    sw      a5, TRAP_FRAME_A5(sp)
    sw      a6, TRAP_FRAME_A6(sp)
    sw      a7, TRAP_FRAME_A7(sp)
    sw      t3, TRAP_FRAME_T3(sp)
    sw      t4, TRAP_FRAME_T4(sp)
    sw      t5, TRAP_FRAME_T5(sp)
    sw      t6, TRAP_FRAME_T6(sp)

    csrr    a1, mcause
    csrr    a2, mepc
    csrr    a3, mtval
    csrr    t0, mstatus
    sw      a2, TRAP_FRAME_MEPC(sp)
    sw      a1, TRAP_FRAME_MCAUSE(sp)
    sw      a3, TRAP_FRAME_MTVAL(sp)
    sw      t0, TRAP_FRAME_MSTATUS(sp)

    mv      a0, sp
    call    hal_trap_dispatch

    lw      t0, TRAP_FRAME_MEPC(sp)
    lw      t1, TRAP_FRAME_MSTATUS(sp)
    csrw    mepc, t0
    csrw    mstatus, t1

    lw      ra, TRAP_FRAME_RA(sp)
    lw      t0, TRAP_FRAME_T0(sp)
    lw      t1, TRAP_FRAME_T1(sp)
    lw      t2, TRAP_FRAME_T2(sp)
    lw      a0, TRAP_FRAME_A0(sp)
    lw      a1, TRAP_FRAME_A1(sp)
    lw      a2, TRAP_FRAME_A2(sp)
    lw      a3, TRAP_FRAME_A3(sp)
    lw      a4, TRAP_FRAME_A4(sp)
    lw      a5, TRAP_FRAME_A5(sp)
    lw      a6, TRAP_FRAME_A6(sp)
    lw      a7, TRAP_FRAME_A7(sp)
    lw      t3, TRAP_FRAME_T3(sp)
    lw      t4, TRAP_FRAME_T4(sp)
    lw      t5, TRAP_FRAME_T5(sp)
    lw      t6, TRAP_FRAME_T6(sp)
    addi    sp, sp, TRAP_FRAME_SIZE
    mret
    .size   hal_trap_entry, . - hal_trap_entry

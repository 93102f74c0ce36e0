/*
 * Traps and interrupts (machine mode, mtvec direct mode).
 *
 * crt0 points mtvec at hal_trap_entry (trap.S), which saves the caller-saved registers and
 * mepc/mcause/mtval/mstatus in a struct trap_frame on the current stack and calls
 * hal_trap_dispatch():
 *
 *   interrupt, cause 3 (software) / 7 (timer) / others: the handler registered with
 *       irq_register(); none registered -> fatal.
 *   interrupt, cause 11 (external): unless irq_register(IRQ_M_EXT, ...) replaced it, claims
 *       from the intc, calls the handler registered with irq_register_source() for that
 *       source, completes, and repeats while sources are pending; an unregistered source is
 *       fatal (it is level-triggered and would interrupt forever).
 *   exception: the hook set with irq_set_exception_hook(); it may change frame->mepc (and the
 *       saved caller-saved registers) and returns true to resume at frame->mepc. No hook, or
 *       the hook returns false -> prints "unhandled exception: cause=.. epc=0x.. tval=0x.."
 *       and exits with HAL_EXIT_UNHANDLED_EXCEPTION(cause).
 *
 * Fatal interrupts print "unhandled interrupt: ..." and exit with HAL_EXIT_UNHANDLED_IRQ.
 * Handlers run with interrupts disabled (no nesting).
 */
#ifndef EDGEVP_IRQ_H
#define EDGEVP_IRQ_H

#include "edgevp/csr.h"

/* mcause codes of machine interrupts (mcause bit 31 set). */
#define IRQ_M_SOFT  3u
#define IRQ_M_TIMER 7u
#define IRQ_M_EXT   11u

/* mcause codes of synchronous exceptions. */
#define EXC_INSTR_MISALIGNED 0u
#define EXC_INSTR_ACCESS     1u
#define EXC_ILLEGAL_INSTR    2u
#define EXC_BREAKPOINT       3u
#define EXC_LOAD_MISALIGNED  4u
#define EXC_LOAD_ACCESS      5u
#define EXC_STORE_MISALIGNED 6u
#define EXC_STORE_ACCESS     7u
#define EXC_ECALL_M          11u

/* Exit codes of fatal traps, in the firmware's range of edgevp exit codes (0..63; 64 and up are
   the simulator's own, e.g. 125 for a trap while mtvec == 0, and 128 + N reads as "killed by
   signal N"): 47 for an interrupt, 48 + cause for exceptions 0..14, 63 for any other cause (the
   printed line gives it). Applications keep their own codes below 47. */
#define HAL_EXIT_UNHANDLED_IRQ              47
#define HAL_EXIT_UNHANDLED_EXCEPTION(cause) ((cause) < 15u ? 48 + (int)(cause) : 63)

/* struct trap_frame layout, shared with trap.S. */
#define TRAP_FRAME_RA      0
#define TRAP_FRAME_T0      4
#define TRAP_FRAME_T1      8
#define TRAP_FRAME_T2      12
#define TRAP_FRAME_A0      16
#define TRAP_FRAME_A1      20
#define TRAP_FRAME_A2      24
#define TRAP_FRAME_A3      28
#define TRAP_FRAME_A4      32
#define TRAP_FRAME_A5      36
#define TRAP_FRAME_A6      40
#define TRAP_FRAME_A7      44
#define TRAP_FRAME_T3      48
#define TRAP_FRAME_T4      52
#define TRAP_FRAME_T5      56
#define TRAP_FRAME_T6      60
#define TRAP_FRAME_MEPC    64
#define TRAP_FRAME_MCAUSE  68
#define TRAP_FRAME_MTVAL   72
#define TRAP_FRAME_MSTATUS 76
#define TRAP_FRAME_SIZE    80 /* a multiple of 16: the ABI's stack alignment */

#ifndef __ASSEMBLER__

#include <stdbool.h>
#include <stdint.h>

struct trap_frame {
    uint32_t ra, t0, t1, t2;
    uint32_t a0, a1, a2, a3, a4, a5, a6, a7;
    uint32_t t3, t4, t5, t6;
    uint32_t mepc;    /* restored into mepc before mret: a hook may change it */
    uint32_t mcause;
    uint32_t mtval;
    uint32_t mstatus; /* restored before mret */
};

/* Handler of a core interrupt (software, timer, ...). */
typedef void (*irq_handler_t)(void);
/* Handler of an intc source; called between claim and complete. */
typedef void (*irq_source_handler_t)(unsigned source);
/* Synchronous exception hook: true = handled, resume at frame->mepc. */
typedef bool (*irq_exception_hook_t)(struct trap_frame *frame);

/* The trap vector (trap.S) and the C dispatcher it calls. */
void hal_trap_entry(void);
void hal_trap_dispatch(struct trap_frame *frame, uint32_t mcause, uint32_t mepc, uint32_t mtval);

/* Global machine interrupt enable (mstatus.MIE). */
static inline void irq_enable(void)
{
    csr_set(mstatus, MSTATUS_MIE);
}

/* Disables and returns the previous mstatus for irq_restore(). */
static inline uint32_t irq_disable(void)
{
    return csr_read_clear(mstatus, MSTATUS_MIE);
}

static inline void irq_restore(uint32_t saved_mstatus)
{
    if (saved_mstatus & MSTATUS_MIE) {
        csr_set(mstatus, MSTATUS_MIE);
    }
}

/* Per-cause interrupt enables (mie; MIE_MSIE / MIE_MTIE / MIE_MEIE). */
static inline void irq_mie_enable(uint32_t mie_bits)
{
    csr_set(mie, mie_bits);
}

static inline void irq_mie_disable(uint32_t mie_bits)
{
    csr_clear(mie, mie_bits);
}

/* Wait for an interrupt. Wakes when an interrupt is pending and enabled in mie, even with
   mstatus.MIE = 0; race-free waiting is: disable, check the condition, wfi, enable. */
static inline void irq_wait(void)
{
    __asm__ volatile("wfi" ::: "memory");
}

/* Register (or with NULL remove) the handler of interrupt cause `cause` (< 32). Registering
   IRQ_M_EXT replaces the built-in intc claim/complete dispatcher. */
void irq_register(unsigned cause, irq_handler_t handler);

/* Register (or with NULL remove) the handler of intc source `source` (1..31). It does not
   enable the source: call intc_enable(source) and irq_mie_enable(MIE_MEIE). */
void irq_register_source(unsigned source, irq_source_handler_t handler);

/* Set (or with NULL remove) the synchronous-exception hook; returns the previous one. */
irq_exception_hook_t irq_set_exception_hook(irq_exception_hook_t hook);

/* Length in bytes (2 or 4) of the instruction at `pc`, from the low bits of its first
   halfword: what a hook adds to mepc to skip the faulting instruction. */
static inline uint32_t irq_insn_length(uint32_t pc)
{
    uint16_t first = *(volatile const uint16_t *)(uintptr_t)pc;
    return (first & 3u) == 3u ? 4u : 2u;
}

#endif /* __ASSEMBLER__ */

#endif

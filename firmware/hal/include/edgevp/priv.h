/*
 * Privilege and physical memory protection: running an untrusted task in user mode.
 *
 * PMP (docs/models/cpu.md; cpu.pmp_entries entries, 0/4/8/16): entry i covers a region in one of
 * three modes and gives user mode R/W/X on it; a locked entry (PMP_L) also binds machine mode and
 * ignores further writes until reset. The lowest-numbered matching entry decides; with no match,
 * machine mode may access and user mode may not.
 *
 *   pmp_set_napot(i, base, size, perms)   size a power of two >= 8, base aligned to it
 *   pmp_set_na4(i, addr, perms)           one word
 *   pmp_set_tor(i, base, top, perms)      [base, top): entry i - 1 holds base (it is set to OFF
 *                                         with pmpaddr = base); for i = 0, base must be 0
 * perms: PMP_R | PMP_W | PMP_X, plus PMP_L to lock. The setters write pmpcfg = OFF first, then
 * pmpaddr, then the final pmpcfg, and read both back: 0 = taken, PMP_EINVAL = bad arguments
 * (nothing written), PMP_ENOTTAKEN = the entry did not keep the value (locked, or not
 * implemented: past cpu.pmp_entries).
 *
 * User mode:
 *   struct priv_result r = priv_run_user(fn, arg, stack_top);
 * runs fn(arg) in user mode on the stack below stack_top (rounded down to 16 bytes) and returns
 * to the caller, in machine mode, when the task
 *   - calls priv_syscall(PRIV_SYS_EXIT, value) or returns value from fn: r.how = PRIV_EXITED,
 *     r.value = value;
 *   - takes any exception other than a system call (access fault, illegal instruction, ...):
 *     r.how = PRIV_FAULTED with its mcause, mtval and mepc.
 * Other system calls are served and the task goes on: PRIV_SYS_PUTC prints a character on the
 * UART (the UART is MMIO: user mode reaches it only through the kernel), any other number goes
 * to the handler set with priv_set_syscall_handler() (none: returns PRIV_SYS_ENOSYS). Interrupts
 * taken while the task runs (machine interrupts are always enabled in user mode) go to the HAL's
 * dispatcher (edgevp/irq.h) and the task resumes.
 *
 * For its duration priv_run_user installs its own trap vector (mtvec) and uses mscratch; it
 * restores both, and mstatus, before returning. A trap taken in machine mode meanwhile (inside
 * an interrupt or system-call handler) goes to the HAL's hal_trap_entry as usual. The task starts
 * with a0 = arg, sp = stack_top, ra = a stub that exits with fn's return value, gp and tp the
 * kernel's (addresses, not secrets) and every other register 0. The task may use only what the
 * PMP gives user mode: its code (and read-only data), its own memory and stack. Not reentrant:
 * one user task at a time.
 */
#ifndef EDGEVP_PRIV_H
#define EDGEVP_PRIV_H

#include <stdint.h>

#include "edgevp/csr.h"

/* mstatus fields of privilege. */
#define MSTATUS_MPP  (3u << 11) /* previous privilege: 3 machine, 0 user */
#define MSTATUS_MPRV (1u << 17) /* loads and stores with MPP's privilege */
#define MSTATUS_TW   (1u << 21) /* wfi in user mode is illegal */

/* mcounteren: user mode may read cycle / time / instret. */
#define MCOUNTEREN_CY (1u << 0)
#define MCOUNTEREN_TM (1u << 1)
#define MCOUNTEREN_IR (1u << 2)

/* mcause of an ecall from user mode (from machine mode: EXC_ECALL_M, edgevp/irq.h). */
#define EXC_ECALL_U 8u

/* pmpcfg bits of one entry. */
#define PMP_R       0x01u
#define PMP_W       0x02u
#define PMP_X       0x04u
#define PMP_A_OFF   0x00u
#define PMP_A_TOR   0x08u
#define PMP_A_NA4   0x10u
#define PMP_A_NAPOT 0x18u
#define PMP_A_MASK  0x18u
#define PMP_L       0x80u

#define PMP_MAX_ENTRIES 16u /* entries 0..15 (pmpcfg0..3, pmpaddr0..15) */

#define PMP_EINVAL    (-1)
#define PMP_ENOTTAKEN (-2)

#ifndef __ASSEMBLER__

#include <stdbool.h>

/* Raw access to entry i (0..15): pmpaddr holds address bits 33:2; pmpcfg is the entry's byte of
   pmpcfg(i / 4). Out-of-range indexes read 0 and are not written. */
uint32_t pmp_read_addr(unsigned i);
void pmp_write_addr(unsigned i, uint32_t value);
uint8_t pmp_read_cfg(unsigned i);
void pmp_write_cfg(unsigned i, uint8_t cfg); /* read-modify-write of pmpcfg(i / 4) */

/* pmpaddr of the NAPOT region [base, base + size): size a power of two >= 8, base a multiple of
   it. Returns false (and leaves *pmpaddr) otherwise. */
bool pmp_napot_encode(uintptr_t base, uint32_t size, uint32_t *pmpaddr);

/* perms: PMP_R | PMP_W | PMP_X [| PMP_L]. 0, PMP_EINVAL or PMP_ENOTTAKEN (see above). */
int pmp_set_napot(unsigned i, uintptr_t base, uint32_t size, unsigned perms);
int pmp_set_na4(unsigned i, uintptr_t addr, unsigned perms);
int pmp_set_tor(unsigned i, uintptr_t base, uintptr_t top, unsigned perms);

/* Entry i OFF with pmpaddr 0 (a locked entry stays as it is: returns PMP_ENOTTAKEN). */
int pmp_clear(unsigned i);
/* Every unlocked entry OFF. */
void pmp_clear_all(void);
/* Implemented entries (0..16): those whose pmpaddr keeps a written value or which are locked.
   Saves and restores each pmpaddr it probes. */
unsigned pmp_entry_count(void);

/* ---- user mode -------------------------------------------------------------------------- */

enum priv_end {
    PRIV_EXITED = 1,  /* PRIV_SYS_EXIT (or fn returned): value */
    PRIV_FAULTED = 2, /* an exception: mcause, mtval, mepc */
};

struct priv_result {
    enum priv_end how;
    uint32_t value;    /* PRIV_EXITED: the exit value */
    uint32_t mcause;   /* the trap that ended the task (EXC_ECALL_U for an exit) */
    uint32_t mtval;
    uint32_t mepc;     /* its pc */
    uint32_t syscalls; /* system calls served before the end (the exit not counted) */
};

typedef uint32_t (*priv_task_fn)(void *arg);
struct priv_result priv_run_user(priv_task_fn fn, void *arg, uintptr_t stack_top);

/* System calls: number in a7, argument and result in a0. */
#define PRIV_SYS_EXIT   0u          /* a = exit value; does not return */
#define PRIV_SYS_PUTC   1u          /* a = character; returns 0 */
#define PRIV_SYS_ENOSYS 0xFFFFFFFFu /* the result of an unknown call */

/* The kernel's handler of system calls other than EXIT and PUTC: returns the task's a0. Runs in
   machine mode; a task's pointer argument must be checked against what that task may access. */
typedef uint32_t (*priv_syscall_handler_t)(uint32_t n, uint32_t a);
priv_syscall_handler_t priv_set_syscall_handler(priv_syscall_handler_t handler);

/* From user mode: ask the kernel. */
static inline uint32_t priv_syscall(uint32_t n, uint32_t a)
{
    register uint32_t a0 __asm__("a0") = a;
    register uint32_t a7 __asm__("a7") = n;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a7) : "memory");
    return a0;
}

static inline __attribute__((noreturn)) void priv_exit(uint32_t value)
{
    priv_syscall(PRIV_SYS_EXIT, value);
    __builtin_unreachable();
}

static inline void priv_putc(char c)
{
    priv_syscall(PRIV_SYS_PUTC, (uint8_t)c);
}

#endif /* __ASSEMBLER__ */

#endif

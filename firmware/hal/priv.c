/* Privilege and PMP: PMP entry helpers and running a task in user mode (edgevp/priv.h). */
#include "edgevp/priv.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "edgevp/irq.h"
#include "edgevp/uart.h"

/* ---- PMP CSRs: their numbers must be immediates, hence the switches ------------------------ */

#define CSR_PMPCFG0  0x3A0
#define CSR_PMPADDR0 0x3B0

#define CSR_READ_NUM(num, out) __asm__ volatile("csrr %0, %1" : "=r"(out) : "i"(num))
#define CSR_WRITE_NUM(num, value) \
    __asm__ volatile("csrw %0, %1" : : "i"(num), "r"(value) : "memory")

#define REPEAT4(M, base) M(base + 0) M(base + 1) M(base + 2) M(base + 3)
#define REPEAT16(M) REPEAT4(M, 0) REPEAT4(M, 4) REPEAT4(M, 8) REPEAT4(M, 12)

uint32_t pmp_read_addr(unsigned i)
{
    uint32_t v = 0;
    switch (i) {
#define CASE(n)                              \
    case n:                                  \
        CSR_READ_NUM(CSR_PMPADDR0 + (n), v); \
        break;
        REPEAT16(CASE)
#undef CASE
    default:
        break;
    }
    return v;
}

void pmp_write_addr(unsigned i, uint32_t value)
{
    switch (i) {
#define CASE(n)                                  \
    case n:                                      \
        CSR_WRITE_NUM(CSR_PMPADDR0 + (n), value); \
        break;
        REPEAT16(CASE)
#undef CASE
    default:
        break;
    }
}

static uint32_t pmpcfg_read(unsigned reg)
{
    uint32_t v = 0;
    switch (reg) {
#define CASE(n)                             \
    case n:                                 \
        CSR_READ_NUM(CSR_PMPCFG0 + (n), v); \
        break;
        REPEAT4(CASE, 0)
#undef CASE
    default:
        break;
    }
    return v;
}

static void pmpcfg_write(unsigned reg, uint32_t value)
{
    switch (reg) {
#define CASE(n)                                 \
    case n:                                     \
        CSR_WRITE_NUM(CSR_PMPCFG0 + (n), value); \
        break;
        REPEAT4(CASE, 0)
#undef CASE
    default:
        break;
    }
}

uint8_t pmp_read_cfg(unsigned i)
{
    if (i >= PMP_MAX_ENTRIES) {
        return 0;
    }
    return (uint8_t)(pmpcfg_read(i / 4u) >> (8u * (i % 4u)));
}

void pmp_write_cfg(unsigned i, uint8_t cfg)
{
    if (i >= PMP_MAX_ENTRIES) {
        return;
    }
    const unsigned shift = 8u * (i % 4u);
    uint32_t v = pmpcfg_read(i / 4u);
    v = (v & ~(0xFFu << shift)) | ((uint32_t)cfg << shift);
    pmpcfg_write(i / 4u, v);
}

bool pmp_napot_encode(uintptr_t base, uint32_t size, uint32_t *pmpaddr)
{
    if (size < 8u || (size & (size - 1u)) != 0 || (base & (size - 1u)) != 0) {
        return false;
    }
    *pmpaddr = (uint32_t)(base >> 2) | ((size >> 3) - 1u);
    return true;
}

static bool perms_valid(unsigned perms)
{
    /* Only R, W, X, L; R = 0 with W = 1 is reserved. */
    return (perms & ~(unsigned)(PMP_R | PMP_W | PMP_X | PMP_L)) == 0 &&
           (perms & (PMP_R | PMP_W)) != PMP_W;
}

/* Entry i OFF, then its address, then its configuration; both read back. */
static int pmp_program(unsigned i, uint32_t addr, uint8_t cfg)
{
    pmp_write_cfg(i, 0);
    pmp_write_addr(i, addr);
    pmp_write_cfg(i, cfg);
    return pmp_read_addr(i) == addr && pmp_read_cfg(i) == cfg ? 0 : PMP_ENOTTAKEN;
}

int pmp_set_napot(unsigned i, uintptr_t base, uint32_t size, unsigned perms)
{
    uint32_t addr;
    if (i >= PMP_MAX_ENTRIES || !perms_valid(perms) || !pmp_napot_encode(base, size, &addr)) {
        return PMP_EINVAL;
    }
    return pmp_program(i, addr, (uint8_t)(PMP_A_NAPOT | perms));
}

int pmp_set_na4(unsigned i, uintptr_t addr, unsigned perms)
{
    if (i >= PMP_MAX_ENTRIES || !perms_valid(perms) || (addr & 3u) != 0) {
        return PMP_EINVAL;
    }
    return pmp_program(i, (uint32_t)(addr >> 2), (uint8_t)(PMP_A_NA4 | perms));
}

int pmp_set_tor(unsigned i, uintptr_t base, uintptr_t top, unsigned perms)
{
    if (i >= PMP_MAX_ENTRIES || !perms_valid(perms) || ((base | top) & 3u) != 0 || base >= top ||
        (i == 0 && base != 0)) {
        return PMP_EINVAL;
    }
    int rc = 0;
    pmp_write_cfg(i, 0);
    if (i > 0) {
        rc = pmp_program(i - 1u, (uint32_t)(base >> 2), PMP_A_OFF);
    }
    int top_rc = pmp_program(i, (uint32_t)(top >> 2), (uint8_t)(PMP_A_TOR | perms));
    return rc != 0 ? rc : top_rc;
}

int pmp_clear(unsigned i)
{
    if (i >= PMP_MAX_ENTRIES) {
        return PMP_EINVAL;
    }
    return pmp_program(i, 0, 0);
}

void pmp_clear_all(void)
{
    /* From the top: a locked TOR entry keeps the pmpaddr below it, which pmp_program reports. */
    for (unsigned i = PMP_MAX_ENTRIES; i-- > 0;) {
        if ((pmp_read_cfg(i) & PMP_L) == 0) {
            pmp_write_cfg(i, 0);
            pmp_write_addr(i, 0);
        }
    }
}

unsigned pmp_entry_count(void)
{
    unsigned n = 0;
    for (unsigned i = 0; i < PMP_MAX_ENTRIES; i++) {
        const bool locked = (pmp_read_cfg(i) & PMP_L) != 0;
        const bool below_locked_tor = i + 1u < PMP_MAX_ENTRIES &&
                                      (pmp_read_cfg(i + 1u) & (PMP_L | PMP_A_MASK)) ==
                                          (PMP_L | PMP_A_TOR);
        if (!locked && !below_locked_tor) {
            const uint32_t old = pmp_read_addr(i);
            pmp_write_addr(i, 0xFFFFFFFFu);
            const uint32_t probe = pmp_read_addr(i);
            pmp_write_addr(i, old);
            if (probe == 0) {
                break;
            }
        }
        n++;
    }
    return n;
}

/* ---- user mode ---------------------------------------------------------------------------- */

/* The task's registers while it is not running (x[0] unused), the kernel's callee-saved
   registers while it is, and the trap that stopped it. Offsets are used by the assembly below. */
struct priv_ctx {
    uint32_t x[32];  /*   0: x0..x31 of the task */
    uint32_t k[16];  /* 128: ra, sp, gp, tp, s0..s11 of the kernel */
    uint32_t mepc;   /* 192: where the task resumes (starts) */
    uint32_t mcause; /* 196 */
    uint32_t mtval;  /* 200 */
};
_Static_assert(offsetof(struct priv_ctx, k) == 128, "priv_ctx layout");
_Static_assert(offsetof(struct priv_ctx, mepc) == 192, "priv_ctx layout");
_Static_assert(offsetof(struct priv_ctx, mtval) == 200, "priv_ctx layout");

struct priv_run {
    struct priv_ctx ctx; /* first: the assembly's pointer is also the run's */
    struct priv_result result;
};

void priv_trap_entry(void);
void priv_enter_user(struct priv_ctx *ctx);
void priv_user_return(void);
int priv_trap_c(struct priv_ctx *ctx);

/*
 * priv_trap_entry (mtvec while a task may run). mscratch holds the context while the task runs
 * and 0 otherwise, so a trap from machine mode (mscratch = 0) goes on to hal_trap_entry with
 * every register as it was. From user mode: saves the task's registers and the trap CSRs in the
 * context, sets mscratch = 0, restores the kernel's gp, tp and sp and calls priv_trap_c(ctx):
 * 0 = resume the task (priv_resume), 1 = return from priv_enter_user to the kernel.
 *
 * priv_enter_user(ctx): saves the kernel's callee-saved registers, then priv_resume(ctx):
 * mscratch = ctx, mepc = ctx->mepc, MPP = user, the task's registers, mret.
 * Interrupts must be disabled in machine mode (mstatus.MIE = 0) when it is called.
 */
_Static_assert(MSTATUS_MPP == 0x1800u && PRIV_SYS_EXIT == 0u, "constants in the assembly");
#define PRIV_USER_REGS \
    "1,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31"

__asm__(
    ".section .text.priv_trap_entry, \"ax\", @progbits\n"
    ".globl priv_trap_entry\n"
    ".type priv_trap_entry, @function\n"
    ".balign 4\n"
    "priv_trap_entry:\n"
    "    csrrw sp, mscratch, sp\n"
    "    bnez  sp, 1f\n"
    "    csrrw sp, mscratch, sp\n" /* from machine mode: sp back, mscratch 0 */
    "    j     hal_trap_entry\n"
    "1:\n"
    "    .irp n," PRIV_USER_REGS "\n"
    "    sw    x\\n, (\\n * 4)(sp)\n"
    "    .endr\n"
    "    csrr  t0, mscratch\n"
    "    sw    t0, 8(sp)\n"
    "    csrw  mscratch, zero\n"
    "    csrr  t0, mepc\n"
    "    sw    t0, 192(sp)\n"
    "    csrr  t0, mcause\n"
    "    sw    t0, 196(sp)\n"
    "    csrr  t0, mtval\n"
    "    sw    t0, 200(sp)\n"
    "    mv    s0, sp\n"
    "    lw    gp, 136(s0)\n"
    "    lw    tp, 140(s0)\n"
    "    lw    sp, 132(s0)\n"
    "    mv    a0, s0\n"
    "    call  priv_trap_c\n"
    "    bnez  a0, 2f\n"
    "    mv    a0, s0\n"
    "    j     priv_resume\n"
    "2:\n" /* back to the kernel: priv_enter_user returns */
    "    lw    ra, 128(s0)\n"
    "    lw    sp, 132(s0)\n"
    "    lw    gp, 136(s0)\n"
    "    lw    tp, 140(s0)\n"
    "    lw    s1, 148(s0)\n"
    "    lw    s2, 152(s0)\n"
    "    lw    s3, 156(s0)\n"
    "    lw    s4, 160(s0)\n"
    "    lw    s5, 164(s0)\n"
    "    lw    s6, 168(s0)\n"
    "    lw    s7, 172(s0)\n"
    "    lw    s8, 176(s0)\n"
    "    lw    s9, 180(s0)\n"
    "    lw    s10, 184(s0)\n"
    "    lw    s11, 188(s0)\n"
    "    lw    s0, 144(s0)\n"
    "    ret\n"
    ".size priv_trap_entry, . - priv_trap_entry\n"
    "\n"
    ".section .text.priv_enter_user, \"ax\", @progbits\n"
    ".globl priv_enter_user\n"
    ".type priv_enter_user, @function\n"
    "priv_enter_user:\n"
    "    sw    ra, 128(a0)\n"
    "    sw    sp, 132(a0)\n"
    "    sw    gp, 136(a0)\n"
    "    sw    tp, 140(a0)\n"
    "    sw    s0, 144(a0)\n"
    "    sw    s1, 148(a0)\n"
    "    sw    s2, 152(a0)\n"
    "    sw    s3, 156(a0)\n"
    "    sw    s4, 160(a0)\n"
    "    sw    s5, 164(a0)\n"
    "    sw    s6, 168(a0)\n"
    "    sw    s7, 172(a0)\n"
    "    sw    s8, 176(a0)\n"
    "    sw    s9, 180(a0)\n"
    "    sw    s10, 184(a0)\n"
    "    sw    s11, 188(a0)\n"
    "priv_resume:\n"
    "    csrw  mscratch, a0\n"
    "    lw    t0, 192(a0)\n"
    "    csrw  mepc, t0\n"
    "    li    t0, 0x1800\n" /* MSTATUS_MPP */
    "    csrc  mstatus, t0\n"
    "    mv    sp, a0\n"
    "    .irp n," PRIV_USER_REGS "\n"
    "    lw    x\\n, (\\n * 4)(sp)\n"
    "    .endr\n"
    "    lw    sp, 8(sp)\n"
    "    mret\n"
    ".size priv_enter_user, . - priv_enter_user\n"
    "\n"
    /* Where a task's fn returns to (in user mode): exit with its return value. */
    ".section .text.priv_user_return, \"ax\", @progbits\n"
    ".globl priv_user_return\n"
    ".type priv_user_return, @function\n"
    "priv_user_return:\n"
    "    li    a7, 0\n" /* PRIV_SYS_EXIT */
    "    ecall\n"
    "3:  j     3b\n"
    ".size priv_user_return, . - priv_user_return\n"
    ".text\n");

static priv_syscall_handler_t syscall_handler;

priv_syscall_handler_t priv_set_syscall_handler(priv_syscall_handler_t handler)
{
    priv_syscall_handler_t previous = syscall_handler;
    syscall_handler = handler;
    return previous;
}

/* Called by priv_trap_entry, in machine mode on the kernel's stack, for every trap taken while
   the task ran. 0: resume the task at ctx->mepc; 1: return to the kernel. */
int priv_trap_c(struct priv_ctx *ctx)
{
    struct priv_run *run = (struct priv_run *)ctx;
    const uint32_t mcause = ctx->mcause;

    if (mcause & MCAUSE_INTERRUPT) {
        /* The HAL's handlers, as if the kernel had been interrupted; they do not use the
           frame's registers, which are the task's. */
        struct trap_frame frame = {
            .ra = ctx->x[1], .t0 = ctx->x[5], .t1 = ctx->x[6], .t2 = ctx->x[7],
            .a0 = ctx->x[10], .a1 = ctx->x[11], .a2 = ctx->x[12], .a3 = ctx->x[13],
            .a4 = ctx->x[14], .a5 = ctx->x[15], .a6 = ctx->x[16], .a7 = ctx->x[17],
            .t3 = ctx->x[28], .t4 = ctx->x[29], .t5 = ctx->x[30], .t6 = ctx->x[31],
            .mepc = ctx->mepc, .mcause = mcause, .mtval = ctx->mtval,
            .mstatus = csr_read(mstatus),
        };
        hal_trap_dispatch(&frame, mcause, ctx->mepc, ctx->mtval);
        return 0;
    }

    run->result.mcause = mcause;
    run->result.mtval = ctx->mtval;
    run->result.mepc = ctx->mepc;
    if (mcause == EXC_ECALL_U) {
        const uint32_t n = ctx->x[17], a = ctx->x[10];
        if (n == PRIV_SYS_EXIT) {
            run->result.how = PRIV_EXITED;
            run->result.value = a;
            return 1;
        }
        uint32_t ret;
        if (n == PRIV_SYS_PUTC) {
            uart_putc((char)a);
            ret = 0;
        } else if (syscall_handler != NULL) {
            ret = syscall_handler(n, a);
        } else {
            ret = PRIV_SYS_ENOSYS;
        }
        ctx->x[10] = ret;
        ctx->mepc += 4u; /* ecall has no compressed form */
        run->result.syscalls++;
        return 0;
    }
    run->result.how = PRIV_FAULTED;
    return 1;
}

struct priv_result priv_run_user(priv_task_fn fn, void *arg, uintptr_t stack_top)
{
    struct priv_run run;
    for (size_t i = 0; i < sizeof run.ctx.x / sizeof run.ctx.x[0]; i++) {
        run.ctx.x[i] = 0;
    }
    uint32_t gp, tp;
    __asm__ volatile("mv %0, gp\n\tmv %1, tp" : "=r"(gp), "=r"(tp));
    run.ctx.x[1] = (uint32_t)(uintptr_t)priv_user_return;
    run.ctx.x[2] = (uint32_t)(stack_top & ~(uintptr_t)15u);
    run.ctx.x[3] = gp;
    run.ctx.x[4] = tp;
    run.ctx.x[10] = (uint32_t)(uintptr_t)arg;
    run.ctx.mepc = (uint32_t)(uintptr_t)fn;
    run.ctx.mcause = 0;
    run.ctx.mtval = 0;
    run.result = (struct priv_result){0};

    const uint32_t saved_mstatus = csr_read_clear(mstatus, MSTATUS_MIE);
    const uint32_t saved_mscratch = csr_read(mscratch);
    csr_write(mscratch, 0);
    const uint32_t saved_mtvec = csr_read(mtvec);
    csr_write(mtvec, (uint32_t)(uintptr_t)priv_trap_entry);

    priv_enter_user(&run.ctx);

    csr_write(mtvec, saved_mtvec);
    csr_write(mscratch, saved_mscratch);
    csr_write(mstatus, saved_mstatus);
    return run.result;
}

/*
 * untrusted: a machine-mode kernel runs an untrusted task in user mode behind the PMP and shows
 * what the task can and cannot do (edgevp/priv.h; docs/models/cpu.md, privilege and PMP).
 *
 * PMP for task A (entries 0..2; with cpu.pmp_entries = 4 or more):
 *   0  OFF   base of entry 1 (the start of the image's code)
 *   1  TOR   [code start, __data_start): the firmware's code and read-only data, R X
 *   2  NAPOT task A's memory (4 KiB: its data, then its stack at the top), R W
 * Nothing else matches, so user mode may not touch the PMU, the accelerators, the UART, task B's
 * memory or the kernel's data and stack. Each probe is one priv_run_user() call; the kernel
 * checks how it ended (exit value, or mcause, mtval and mepc) bit for bit, and the state the
 * task tried to change, read from machine mode before and after:
 *    1 compute      A computes in its own memory, prints through the PUTC system call, exits
 *    2 pmu_load     load from a PMU register -> load access fault (5), mtval = the address
 *    3 pmu_store    store to the PMU's DOMAIN register of an accelerator (OPP without one)
 *                   -> store access fault (7), register unchanged
 *    4 accel_store  store to cim0's DESC register -> 7, register unchanged
 *    5 task_b_store store to task B's memory -> 7, B's memory unchanged
 *    6 kernel_load  load of a kernel variable -> 5
 *    7 uart_store   byte store to the UART's THR -> 7
 *    8 mstatus      csrr mstatus -> illegal instruction (2), mtval = the instruction
 *    9 time         csrr time/timeh with mcounteren.TM = 1: reads mtime, advances
 *   10 time_denied  the same with mcounteren.TM = 0 -> 2
 *   11 exec_data    code written into A's memory runs in machine mode, but from user mode
 *                   -> instruction access fault (1), mtval = mepc = its address
 *   12 irq_in_user  a timer interrupt taken while the task spins goes to the HAL's handler,
 *                   and the task resumes with its registers intact
 *   13 locked       last (a locked entry stays until reset): entry 3 = NA4 R + L over a kernel
 *                   word: a machine-mode store faults (7), loads work, the entry ignores writes
 * Output: "untrusted: <probe>: ok (...)" per probe, then "untrusted: ok".
 * Exit: 0; else the number of the first probe that did not end as expected, after
 * "untrusted: <probe>: FAILED (...)"; the probes after it do not run. With cpu.pmp_entries = 0
 * (no PMP: user mode reaches everything) that is 2, pmu_load. PMP entries that do not take are
 * only reported ("untrusted: warning: ..."): the probes are what must notice missing isolation.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "edgevp/accel.h"
#include "edgevp/irq.h"
#include "edgevp/memmap.h"
#include "edgevp/mmio.h"
#include "edgevp/pmu.h"
#include "edgevp/priv.h"
#include "edgevp/timer.h"

#define TASK_A_SIZE 4096u
#define TASK_B_SIZE 1024u
#define SQUARES     64u

/* Task A's memory: this struct at the bottom, its stack at the top. */
struct task_a_data {
    uint32_t squares[SQUARES];
    uint32_t store_addr; /* what task_store stores, and where */
    uint32_t store_value;
    uint32_t times[4];   /* task_time: time, timeh, then again after a delay */
    uint32_t code[4];    /* exec_data */
};

static uint8_t task_a_mem[TASK_A_SIZE] __attribute__((aligned(TASK_A_SIZE)));
static volatile uint32_t task_b_mem[TASK_B_SIZE / 4] __attribute__((aligned(TASK_B_SIZE)));
static volatile uint32_t kernel_secret = 0x5ec2e75u;
static volatile uint32_t kernel_locked_word;

#define TASK_A ((struct task_a_data *)task_a_mem)
#define TASK_A_STACK_TOP ((uintptr_t)task_a_mem + TASK_A_SIZE)

extern char _start[];       /* the start of .text (crt0 is linked first) */
extern char __data_start[]; /* the end of .text and .rodata */

/*
 * User-mode probes, in assembly so that the faulting instruction has a known address (its
 * label) and encoding (32-bit: norvc). They return to priv_user_return (ra), which exits with a0.
 *   task_load(addr)          a0 = *addr
 *   task_store(&{addr, v})   *addr = v (word), a0 = 0
 *   task_store_byte(&{a, v}) *(uint8_t *)a = v, a0 = 0
 *   task_mstatus()           a0 = mstatus
 *   task_time(times[4])      time, timeh, ~2000 loop iterations, time, timeh; a0 = 0
 *   task_spin(n)             a0 = 0 + 1 + ... + (n - 1) in a loop, -1 if t3 or s11 (set
 *                            before the loop) changed meanwhile
 * kernel_store(addr, v) is the machine-mode store of the locked probe.
 */
extern char task_load_insn[], task_store_insn[], task_store_byte_insn[], task_mstatus_insn[],
    task_time_insn[], kernel_store_insn[];
uint32_t task_load(void *arg);
uint32_t task_store(void *arg);
uint32_t task_store_byte(void *arg);
uint32_t task_mstatus(void *arg);
uint32_t task_time(void *arg);
uint32_t task_spin(void *arg);
void kernel_store(uintptr_t addr, uint32_t value);

__asm__(".section .text.untrusted_probes, \"ax\", @progbits\n"
        ".option push\n"
        ".option norvc\n"
        ".globl task_load, task_load_insn\n"
        "task_load:\n"
        "task_load_insn: lw a0, 0(a0)\n"
        "    ret\n"
        ".globl task_store, task_store_insn\n"
        "task_store:\n"
        "    lw t0, 0(a0)\n"
        "    lw t1, 4(a0)\n"
        "task_store_insn: sw t1, 0(t0)\n"
        "    li a0, 0\n"
        "    ret\n"
        ".globl task_store_byte, task_store_byte_insn\n"
        "task_store_byte:\n"
        "    lw t0, 0(a0)\n"
        "    lw t1, 4(a0)\n"
        "task_store_byte_insn: sb t1, 0(t0)\n"
        "    li a0, 0\n"
        "    ret\n"
        ".globl task_mstatus, task_mstatus_insn\n"
        "task_mstatus:\n"
        "task_mstatus_insn: csrr a0, mstatus\n"
        "    ret\n"
        ".globl task_time, task_time_insn\n"
        "task_time:\n"
        "task_time_insn: csrr t0, time\n"
        "    csrr t1, timeh\n"
        "    sw t0, 0(a0)\n"
        "    sw t1, 4(a0)\n"
        "    li t2, 2000\n"
        "1:  addi t2, t2, -1\n"
        "    bnez t2, 1b\n"
        "    csrr t0, time\n"
        "    csrr t1, timeh\n"
        "    sw t0, 8(a0)\n"
        "    sw t1, 12(a0)\n"
        "    li a0, 0\n"
        "    ret\n"
        ".globl task_spin\n"
        "task_spin:\n"
        "    li t3, 0x13579bdf\n"
        "    li s11, 0x2468ace0\n"
        "    mv t0, a0\n"
        "    li a0, 0\n"
        "2:  addi t0, t0, -1\n"
        "    add a0, a0, t0\n"
        "    bnez t0, 2b\n"
        "    li t1, 0x13579bdf\n"
        "    bne t3, t1, 3f\n"
        "    li t1, 0x2468ace0\n"
        "    bne s11, t1, 3f\n"
        "    ret\n"
        "3:  li a0, -1\n"
        "    ret\n"
        ".globl kernel_store, kernel_store_insn\n"
        "kernel_store:\n"
        "kernel_store_insn: sw a1, 0(a0)\n"
        "    ret\n"
        ".option pop\n"
        ".text\n");

/* Probe 1, in C: squares in A's memory, a greeting through the kernel, their sum as exit value.
   It touches only its argument (A's memory), its stack and read-only data. */
static const char task_a_greeting[] = "untrusted: task A: hello from user mode\n";

static uint32_t task_compute(void *arg)
{
    struct task_a_data *d = arg;
    for (uint32_t i = 0; i < SQUARES; i++) {
        d->squares[i] = i * i;
    }
    for (const char *p = task_a_greeting; *p != '\0'; p++) {
        priv_putc(*p);
    }
    uint32_t sum = 0;
    for (uint32_t i = 0; i < SQUARES; i++) {
        sum += d->squares[i];
    }
    return sum;
}

/* ---- checking ---------------------------------------------------------------------------- */

static const char *probe_name;
static int probe_number;

static void describe(const struct priv_result *r, char *buf, size_t len)
{
    if (r->how == PRIV_EXITED) {
        snprintf(buf, len, "exit 0x%08lx", (unsigned long)r->value);
    } else {
        snprintf(buf, len, "fault cause=%lu tval=0x%08lx epc=0x%08lx", (unsigned long)r->mcause,
                 (unsigned long)r->mtval, (unsigned long)r->mepc);
    }
}

static void begin(int number, const char *name)
{
    probe_number = number;
    probe_name = name;
}

static __attribute__((noreturn)) void fail(const char *what)
{
    printf("untrusted: %s: FAILED (%s)\n", probe_name, what);
    exit(probe_number);
}

/* The task must have ended with exactly this exception at this pc. */
static void expect_fault(const struct priv_result *r, uint32_t cause, uint32_t tval, uintptr_t epc)
{
    if (r->how != PRIV_FAULTED || r->mcause != cause || r->mtval != tval ||
        r->mepc != (uint32_t)epc) {
        char got[80], msg[200];
        describe(r, got, sizeof got);
        snprintf(msg, sizeof msg, "expected fault cause=%lu tval=0x%08lx epc=0x%08lx, got %s",
                 (unsigned long)cause, (unsigned long)tval, (unsigned long)epc, got);
        fail(msg);
    }
}

static void expect_exit(const struct priv_result *r, uint32_t value)
{
    if (r->how != PRIV_EXITED || r->value != value) {
        char got[80], msg[160];
        describe(r, got, sizeof got);
        snprintf(msg, sizeof msg, "expected exit 0x%08lx, got %s", (unsigned long)value, got);
        fail(msg);
    }
}

static void expect_unchanged(const char *what, uint32_t before, uint32_t after)
{
    if (before != after) {
        char msg[120];
        snprintf(msg, sizeof msg, "%s changed: 0x%08lx -> 0x%08lx", what, (unsigned long)before,
                 (unsigned long)after);
        fail(msg);
    }
}

static void ok(const char *detail)
{
    printf("untrusted: %s: ok (%s)\n", probe_name, detail);
}

/* A user-mode store of `value` to `addr` (word, or byte) must fault and change nothing. */
static void probe_store(uintptr_t addr, uint32_t value, bool byte)
{
    TASK_A->store_addr = (uint32_t)addr;
    TASK_A->store_value = value;
    struct priv_result r = priv_run_user(byte ? task_store_byte : task_store,
                                         &TASK_A->store_addr, TASK_A_STACK_TOP);
    expect_fault(&r, EXC_STORE_ACCESS, (uint32_t)addr,
                 (uintptr_t)(byte ? task_store_byte_insn : task_store_insn));
}

/* ---- the interrupt probe: the HAL's timer handler, entered from user mode ----------------- */

static volatile uint32_t timer_irqs;
static volatile uint32_t timer_irq_mstatus;

/* It masks MTIE rather than writing mtimecmp: the kernel disarms the CLINT afterwards. (A CLINT
   write from a handler entered at the very instant mtip rose ends the simulation with a SystemC
   "more than one driver" error on soc.clint.mtip: a platform issue, reported separately.) */
static void on_timer(void)
{
    timer_irqs++;
    timer_irq_mstatus = csr_read(mstatus);
    irq_mie_disable(MIE_MTIE);
}

/* ---- the locked probe: machine-mode traps through the HAL's exception hook ---------------- */

static volatile uint32_t m_traps, m_cause, m_tval, m_epc;

static bool record_and_skip(struct trap_frame *frame)
{
    m_traps++;
    m_cause = frame->mcause;
    m_tval = frame->mtval;
    m_epc = frame->mepc;
    frame->mepc += irq_insn_length(frame->mepc);
    return true;
}

/* ---- the kernel ---------------------------------------------------------------------------- */

static void setup_pmp(void)
{
    printf("untrusted: pmp: %u entries; code [0x%08lx, 0x%08lx) RX, task A [0x%08lx, 0x%08lx) RW\n",
           pmp_entry_count(), (unsigned long)(uintptr_t)_start,
           (unsigned long)(uintptr_t)__data_start, (unsigned long)(uintptr_t)task_a_mem,
           (unsigned long)TASK_A_STACK_TOP);
    pmp_clear_all();
    int rc_code = pmp_set_tor(1, (uintptr_t)_start, (uintptr_t)__data_start, PMP_R | PMP_X);
    int rc_a = pmp_set_napot(2, (uintptr_t)task_a_mem, TASK_A_SIZE, PMP_R | PMP_W);
    if (rc_code != 0 || rc_a != 0) {
        /* Reported, not fatal: the probes are what must notice missing isolation. */
        printf("untrusted: warning: PMP entries not taken (code %d, task A %d)\n", rc_code, rc_a);
    }
    csr_write(mcounteren, 0);
}

int main(void)
{
    char detail[160];
    setup_pmp();

    /* 1: compute in its own memory, talk through the kernel, exit with the result. */
    begin(1, "compute");
    for (uint32_t i = 0; i < SQUARES; i++) {
        TASK_A->squares[i] = 0xFFFFFFFFu;
    }
    const uint32_t expected_sum = (SQUARES - 1) * SQUARES * (2 * SQUARES - 1) / 6;
    struct priv_result r = priv_run_user(task_compute, TASK_A, TASK_A_STACK_TOP);
    expect_exit(&r, expected_sum);
    if (r.syscalls != sizeof task_a_greeting - 1) {
        snprintf(detail, sizeof detail, "%lu system calls, expected %u",
                 (unsigned long)r.syscalls, (unsigned)(sizeof task_a_greeting - 1));
        fail(detail);
    }
    for (uint32_t i = 0; i < SQUARES; i++) {
        if (TASK_A->squares[i] != i * i) {
            fail("task A's squares are wrong");
        }
    }
    snprintf(detail, sizeof detail, "exit %lu = sum of squares 0..%u in its memory, %lu putc calls",
             (unsigned long)r.value, SQUARES - 1, (unsigned long)r.syscalls);
    ok(detail);

    /* 2: load from the PMU. */
    begin(2, "pmu_load");
    const uintptr_t pmu_opp = EDGEVP_PMU_BASE + PMU_OPP;
    uint32_t before = mmio_read32(pmu_opp);
    r = priv_run_user(task_load, (void *)pmu_opp, TASK_A_STACK_TOP);
    expect_fault(&r, EXC_LOAD_ACCESS, (uint32_t)pmu_opp, (uintptr_t)task_load_insn);
    expect_unchanged("PMU OPP", before, mmio_read32(pmu_opp));
    snprintf(detail, sizeof detail, "load access fault, tval=0x%08lx, OPP still %lu",
             (unsigned long)r.mtval, (unsigned long)before);
    ok(detail);

    /* 3: power an accelerator's domain off (or switch the operating point) through the PMU. */
    begin(3, "pmu_store");
    uintptr_t pmu_reg = pmu_opp;
    uint32_t value = before + 1u;
    const char *reg_name = "OPP";
    if (accel_count() > 0) {
        pmu_reg = EDGEVP_PMU_BASE + PMU_DOMAIN(accel_instance(0)->domain);
        reg_name = "DOMAIN";
    }
    before = mmio_read32(pmu_reg);
    if (accel_count() > 0) {
        value = before == PMU_STATE_OFF ? PMU_STATE_ON : PMU_STATE_OFF;
    }
    probe_store(pmu_reg, value, false);
    expect_unchanged(reg_name, before, mmio_read32(pmu_reg));
    snprintf(detail, sizeof detail, "store access fault, tval=0x%08lx, %s%s%s still %lu",
             (unsigned long)pmu_reg, reg_name, accel_count() > 0 ? " of " : "",
             accel_count() > 0 ? accel_instance(0)->name : "", (unsigned long)before);
    ok(detail);

    /* 4: an accelerator's register window. */
    begin(4, "accel_store");
    struct accel_dev dev;
    if (accel_init_instance(&dev, 0) && accel_probe(&dev, NULL)) {
        const uintptr_t desc = dev.base + ACCEL_DESC;
        before = mmio_read32(desc);
        probe_store(desc, before ^ 0x80001000u, false);
        expect_unchanged("DESC", before, mmio_read32(desc));
        snprintf(detail, sizeof detail, "store access fault, tval=0x%08lx, %s DESC still 0x%08lx",
                 (unsigned long)desc, dev.name, (unsigned long)before);
        ok(detail);
    } else {
        printf("untrusted: accel_store: skipped (no accelerator)\n");
    }

    /* 5: another task's memory. */
    begin(5, "task_b_store");
    for (uint32_t i = 0; i < TASK_B_SIZE / 4; i++) {
        task_b_mem[i] = 0xB0B00000u | i;
    }
    const uintptr_t b_target = (uintptr_t)&task_b_mem[5];
    probe_store(b_target, 0xDEADBEEFu, false);
    for (uint32_t i = 0; i < TASK_B_SIZE / 4; i++) {
        expect_unchanged("task B's memory", 0xB0B00000u | i, task_b_mem[i]);
    }
    snprintf(detail, sizeof detail, "store access fault, tval=B+0x%lx, B's %u bytes unchanged",
             (unsigned long)(b_target - (uintptr_t)task_b_mem), TASK_B_SIZE);
    ok(detail);

    /* 6: the kernel's data. */
    begin(6, "kernel_load");
    r = priv_run_user(task_load, (void *)&kernel_secret, TASK_A_STACK_TOP);
    expect_fault(&r, EXC_LOAD_ACCESS, (uint32_t)(uintptr_t)&kernel_secret,
                 (uintptr_t)task_load_insn);
    ok("load access fault, tval=&kernel_secret");

    /* 7: the UART directly (the task must go through the kernel). */
    begin(7, "uart_store");
    probe_store(EDGEVP_UART_BASE, '!', true);
    snprintf(detail, sizeof detail, "store access fault, tval=0x%08lx",
             (unsigned long)EDGEVP_UART_BASE);
    ok(detail);

    /* 8: a machine-mode CSR. */
    begin(8, "mstatus");
    const uint32_t mstatus_insn = *(const uint32_t *)(uintptr_t)task_mstatus_insn;
    r = priv_run_user(task_mstatus, NULL, TASK_A_STACK_TOP);
    expect_fault(&r, EXC_ILLEGAL_INSTR, mstatus_insn, (uintptr_t)task_mstatus_insn);
    snprintf(detail, sizeof detail, "illegal instruction, tval=0x%08lx", (unsigned long)r.mtval);
    ok(detail);

    /* 9: time with mcounteren.TM: reads mtime and advances. */
    begin(9, "time");
    csr_write(mcounteren, MCOUNTEREN_TM);
    const uint64_t m_before = timer_now();
    r = priv_run_user(task_time, TASK_A->times, TASK_A_STACK_TOP);
    const uint64_t m_after = timer_now();
    csr_write(mcounteren, 0);
    expect_exit(&r, 0);
    const uint64_t t0 = ((uint64_t)TASK_A->times[1] << 32) | TASK_A->times[0];
    const uint64_t t1 = ((uint64_t)TASK_A->times[3] << 32) | TASK_A->times[2];
    if (!(m_before <= t0 && t0 < t1 && t1 <= m_after)) {
        snprintf(detail, sizeof detail,
                 "expected mtime %lu <= time %lu < time %lu <= mtime %lu",
                 (unsigned long)m_before, (unsigned long)t0, (unsigned long)t1,
                 (unsigned long)m_after);
        fail(detail);
    }
    /* The values depend on the image's timing: on a line of their own. */
    printf("untrusted: time: mtime %lu <= time %lu < time %lu <= mtime %lu\n",
           (unsigned long)m_before, (unsigned long)t0, (unsigned long)t1, (unsigned long)m_after);
    ok("time/timeh read mtime in user mode and advance");

    /* 10: time without mcounteren.TM. */
    begin(10, "time_denied");
    const uint32_t time_insn = *(const uint32_t *)(uintptr_t)task_time_insn;
    r = priv_run_user(task_time, TASK_A->times, TASK_A_STACK_TOP);
    expect_fault(&r, EXC_ILLEGAL_INSTR, time_insn, (uintptr_t)task_time_insn);
    snprintf(detail, sizeof detail, "illegal instruction, tval=0x%08lx", (unsigned long)r.mtval);
    ok(detail);

    /* 11: code in A's (non-executable) memory: runs in machine mode, not in user mode. */
    begin(11, "exec_data");
    TASK_A->code[0] = 0x02a00513u; /* li a0, 42 */
    TASK_A->code[1] = 0x00008067u; /* ret */
    __asm__ volatile("fence.i" ::: "memory");
    const uintptr_t code = (uintptr_t)TASK_A->code;
    const uint32_t m_result = ((uint32_t(*)(void))code)();
    if (m_result != 42u) {
        fail("the code does not return 42 in machine mode");
    }
    r = priv_run_user((priv_task_fn)code, NULL, TASK_A_STACK_TOP);
    expect_fault(&r, EXC_INSTR_ACCESS, (uint32_t)code, code);
    ok("instruction access fault, tval=epc=the code's address; it returns 42 in machine mode");

    /* 12: an interrupt while the task runs: the HAL handles it, the task goes on. Machine
       interrupts are enabled in user mode whatever mstatus.MIE (which stays 0 here). */
    begin(12, "irq_in_user");
    const uint32_t spins = 20000;
    irq_register(IRQ_M_TIMER, on_timer);
    timer_irqs = 0;
    timer_set_timeout(100); /* 100 us: the spin takes about 600 us */
    irq_mie_enable(MIE_MTIE);
    r = priv_run_user(task_spin, (void *)(uintptr_t)spins, TASK_A_STACK_TOP);
    irq_mie_disable(MIE_MTIE);
    timer_disable();
    irq_register(IRQ_M_TIMER, NULL);
    expect_exit(&r, spins * (spins - 1) / 2);
    if (timer_irqs != 1 || (timer_irq_mstatus & MSTATUS_MPP) != 0) {
        snprintf(detail, sizeof detail,
                 "expected 1 timer interrupt from user mode (MPP 0), got %lu (mstatus 0x%08lx)",
                 (unsigned long)timer_irqs, (unsigned long)timer_irq_mstatus);
        fail(detail);
    }
    snprintf(detail, sizeof detail, "1 timer interrupt from user mode, task exit %lu",
             (unsigned long)r.value);
    ok(detail);

    /* 13: a locked entry binds machine mode too (until reset: last). */
    begin(13, "locked");
    const uintptr_t word = (uintptr_t)&kernel_locked_word;
    kernel_locked_word = 0x10c4ed00u;
    int rc = pmp_set_na4(3, word, PMP_R | PMP_L);
    if (rc != 0) {
        snprintf(detail, sizeof detail, "pmp_set_na4(3, 0x%08lx, R|L) = %d",
                 (unsigned long)word, rc);
        fail(detail);
    }
    irq_exception_hook_t previous = irq_set_exception_hook(record_and_skip);
    m_traps = 0;
    kernel_store(word, 0xBADu);
    const uint32_t readback = kernel_locked_word; /* R: machine mode may still load */
    irq_set_exception_hook(previous);
    if (m_traps != 1 || m_cause != EXC_STORE_ACCESS || m_tval != (uint32_t)word ||
        m_epc != (uint32_t)(uintptr_t)kernel_store_insn) {
        snprintf(detail, sizeof detail,
                 "expected 1 machine-mode trap cause=7 tval=0x%08lx epc=0x%08lx, got %lu "
                 "(cause=%lu tval=0x%08lx epc=0x%08lx)",
                 (unsigned long)word, (unsigned long)(uintptr_t)kernel_store_insn,
                 (unsigned long)m_traps, (unsigned long)m_cause, (unsigned long)m_tval,
                 (unsigned long)m_epc);
        fail(detail);
    }
    expect_unchanged("the locked word", 0x10c4ed00u, readback);
    rc = pmp_clear(3);
    if (rc != PMP_ENOTTAKEN || pmp_read_cfg(3) != (PMP_A_NA4 | PMP_R | PMP_L) ||
        pmp_read_addr(3) != (uint32_t)(word >> 2)) {
        snprintf(detail, sizeof detail,
                 "the locked entry took a write (pmp_clear = %d, cfg 0x%02x)", rc,
                 pmp_read_cfg(3));
        fail(detail);
    }
    snprintf(detail, sizeof detail,
             "machine-mode store fault, tval=&word, word still 0x%08lx, entry ignores writes",
             (unsigned long)readback);
    ok(detail);

    printf("untrusted: ok\n");
    return 0;
}

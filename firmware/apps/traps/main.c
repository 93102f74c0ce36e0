/*
 * traps: synchronous exceptions through the HAL trap path.
 *
 * Each test executes one faulting instruction (always the 32-bit encoding: .option norvc).
 * The exception hook records mcause/mepc/mtval and resumes after the faulting instruction,
 * whose length it reads from the low two bits of the halfword at mepc. A test passes when
 * exactly one trap was taken, at the faulting instruction, with the expected mcause and mtval.
 *
 * Output, one line per trap (tval of the misaligned accesses is an SRAM address + 1 and
 * depends on the build; ebreak's tval is its own address on cores that report it, else 0):
 *   trap illegal_instruction: cause=2 tval=0xffffffff ok
 *   trap load_misaligned: cause=4 tval=0x8000xxxx ok
 *   trap store_misaligned: cause=6 tval=0x8000xxxx ok
 *   trap ecall: cause=11 tval=0x00000000 ok
 *   trap ebreak: cause=3 tval=0x8000xxxx ok
 *   trap load_access_fault: cause=5 tval=0x40000000 ok
 *   trap store_access_fault: cause=7 tval=0x00000000 ok
 *   traps: 7 of 7 ok
 * A failing test prints "FAILED (...)" instead of "ok".
 * Exit: 0 all as expected, else a bit mask of the failed tests (bit i = i-th line above).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "edgevp/irq.h"
#include "edgevp/memmap.h"

/* An address no block answers (load access fault). Overridable for other memory maps. */
#ifndef TRAPS_UNMAPPED_ADDR
#define TRAPS_UNMAPPED_ADDR 0x40000000u
#endif

#define OUTSIDE(addr, base, size) ((addr) < (base) || (addr) - (base) >= (size))
_Static_assert(OUTSIDE(TRAPS_UNMAPPED_ADDR, EDGEVP_ROM_BASE, EDGEVP_ROM_SIZE) &&
                   OUTSIDE(TRAPS_UNMAPPED_ADDR, EDGEVP_CLINT_BASE, EDGEVP_CLINT_SIZE) &&
                   OUTSIDE(TRAPS_UNMAPPED_ADDR, EDGEVP_INTC_BASE, EDGEVP_INTC_SIZE) &&
                   OUTSIDE(TRAPS_UNMAPPED_ADDR, EDGEVP_UART_BASE, EDGEVP_UART_SIZE) &&
                   OUTSIDE(TRAPS_UNMAPPED_ADDR, EDGEVP_SYSCON_BASE, EDGEVP_SYSCON_SIZE) &&
                   OUTSIDE(TRAPS_UNMAPPED_ADDR, EDGEVP_EMRAM_BASE, EDGEVP_EMRAM_SIZE) &&
                   OUTSIDE(TRAPS_UNMAPPED_ADDR, EDGEVP_SRAM_BASE, EDGEVP_SRAM_SIZE),
               "TRAPS_UNMAPPED_ADDR lies in a mapped block");

static volatile uint32_t trap_count;
static volatile uint32_t trap_cause;
static volatile uint32_t trap_epc;
static volatile uint32_t trap_tval;

static bool record_and_skip(struct trap_frame *frame)
{
    trap_count++;
    trap_cause = frame->mcause;
    trap_epc = frame->mepc;
    trap_tval = frame->mtval;
    frame->mepc += irq_insn_length(frame->mepc);
    return true;
}

/* Target of the misaligned accesses: word aligned, so +1 is misaligned for lw/sw. */
static volatile uint32_t scratch[2] __attribute__((aligned(8)));

/*
 * Each fault_* function runs one faulting instruction, labelled 1:, and returns the label's
 * address (the expected mepc). norvc: the 32-bit encoding, whatever the assembler would pick.
 */
#define FAULT_BEGIN ".option push\n.option norvc\nlla %0, 1f\n1: "
#define FAULT_END   "\n.option pop\n"

static __attribute__((noinline)) uint32_t fault_illegal(void)
{
    uint32_t pc;
    __asm__ volatile(FAULT_BEGIN ".word 0xffffffff" FAULT_END : "=&r"(pc) : : "memory");
    return pc;
}

static __attribute__((noinline)) uint32_t fault_load_misaligned(void)
{
    uint32_t pc, value;
    uintptr_t addr = (uintptr_t)&scratch[0] + 1;
    __asm__ volatile(FAULT_BEGIN "lw %1, 0(%2)" FAULT_END
                     : "=&r"(pc), "=&r"(value)
                     : "r"(addr)
                     : "memory");
    (void)value;
    return pc;
}

static __attribute__((noinline)) uint32_t fault_store_misaligned(void)
{
    uint32_t pc;
    uintptr_t addr = (uintptr_t)&scratch[0] + 1;
    __asm__ volatile(FAULT_BEGIN "sw %1, 0(%1)" FAULT_END : "=&r"(pc) : "r"(addr) : "memory");
    return pc;
}

static __attribute__((noinline)) uint32_t fault_ecall(void)
{
    uint32_t pc;
    __asm__ volatile(FAULT_BEGIN "ecall" FAULT_END : "=&r"(pc) : : "memory");
    return pc;
}

static __attribute__((noinline)) uint32_t fault_ebreak(void)
{
    uint32_t pc;
    __asm__ volatile(FAULT_BEGIN "ebreak" FAULT_END : "=&r"(pc) : : "memory");
    return pc;
}

static __attribute__((noinline)) uint32_t fault_load_access(void)
{
    uint32_t pc, value;
    uintptr_t addr = TRAPS_UNMAPPED_ADDR;
    __asm__ volatile(FAULT_BEGIN "lw %1, 0(%2)" FAULT_END
                     : "=&r"(pc), "=&r"(value)
                     : "r"(addr)
                     : "memory");
    (void)value;
    return pc;
}

static __attribute__((noinline)) uint32_t fault_store_access(void)
{
    uint32_t pc;
    uintptr_t addr = EDGEVP_ROM_BASE; /* the boot ROM is read-only */
    __asm__ volatile(FAULT_BEGIN "sw %1, 0(%1)" FAULT_END : "=&r"(pc) : "r"(addr) : "memory");
    return pc;
}

/* What mtval must hold. The privileged spec lets an implementation write 0 instead of the
   instruction bits (illegal instruction) or the pc (breakpoint): both are accepted there. */
enum tval_rule { TVAL_ADDR, TVAL_ZERO, TVAL_INSN_OR_ZERO, TVAL_PC_OR_ZERO };

struct trap_test {
    const char *name;
    uint32_t (*run)(void);
    uint32_t cause;
    enum tval_rule rule;
    uint32_t value; /* the address (TVAL_ADDR) or the instruction (TVAL_INSN_OR_ZERO) */
};

int main(void)
{
    const uintptr_t misaligned = (uintptr_t)&scratch[0] + 1;
    const struct trap_test tests[] = {
        {"illegal_instruction", fault_illegal, EXC_ILLEGAL_INSTR, TVAL_INSN_OR_ZERO, 0xffffffffu},
        {"load_misaligned", fault_load_misaligned, EXC_LOAD_MISALIGNED, TVAL_ADDR, misaligned},
        {"store_misaligned", fault_store_misaligned, EXC_STORE_MISALIGNED, TVAL_ADDR, misaligned},
        {"ecall", fault_ecall, EXC_ECALL_M, TVAL_ZERO, 0},
        {"ebreak", fault_ebreak, EXC_BREAKPOINT, TVAL_PC_OR_ZERO, 0},
        {"load_access_fault", fault_load_access, EXC_LOAD_ACCESS, TVAL_ADDR, TRAPS_UNMAPPED_ADDR},
        {"store_access_fault", fault_store_access, EXC_STORE_ACCESS, TVAL_ADDR, EDGEVP_ROM_BASE},
    };
    const unsigned n = sizeof tests / sizeof tests[0];

    irq_set_exception_hook(record_and_skip);

    unsigned failed_mask = 0, passed = 0;
    for (unsigned i = 0; i < n; i++) {
        const struct trap_test *t = &tests[i];
        trap_count = 0;
        trap_cause = trap_epc = trap_tval = 0xdeadbeefu;

        uint32_t pc = t->run();

        uint32_t count = trap_count, cause = trap_cause, epc = trap_epc, tval = trap_tval;
        bool tval_ok;
        switch (t->rule) {
        case TVAL_ADDR: tval_ok = tval == t->value; break;
        case TVAL_ZERO: tval_ok = tval == 0; break;
        case TVAL_INSN_OR_ZERO: tval_ok = tval == t->value || tval == 0; break;
        default: tval_ok = tval == pc || tval == 0; break;
        }

        printf("trap %s: cause=%lu tval=0x%08lx ", t->name, (unsigned long)cause,
               (unsigned long)tval);
        if (count == 1 && cause == t->cause && epc == pc && tval_ok) {
            printf("ok\n");
            passed++;
        } else {
            printf("FAILED (traps taken %lu, expected cause %lu, epc 0x%08lx expected 0x%08lx)\n",
                   (unsigned long)count, (unsigned long)t->cause, (unsigned long)epc,
                   (unsigned long)pc);
            failed_mask |= 1u << i;
        }
    }

    irq_set_exception_hook(NULL);
    printf("traps: %u of %u ok\n", passed, n);
    return (int)failed_mask;
}

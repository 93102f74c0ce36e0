/* Trap dispatcher: core interrupts, intc sources, exception hook, fatal traps. */
#include "edgevp/irq.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "edgevp/intc.h"
#include "edgevp/syscon.h"

_Static_assert(sizeof(struct trap_frame) == TRAP_FRAME_SIZE, "trap frame size");
_Static_assert(offsetof(struct trap_frame, t6) == TRAP_FRAME_T6, "trap frame layout");
_Static_assert(offsetof(struct trap_frame, mepc) == TRAP_FRAME_MEPC, "trap frame layout");
_Static_assert(offsetof(struct trap_frame, mstatus) == TRAP_FRAME_MSTATUS, "trap frame layout");

static irq_handler_t cause_handlers[32];
static irq_source_handler_t source_handlers[INTC_NUM_SOURCES];
static irq_exception_hook_t exception_hook;
static volatile int fatal_entered;

void irq_register(unsigned cause, irq_handler_t handler)
{
    if (cause < 32) {
        cause_handlers[cause] = handler;
    }
}

void irq_register_source(unsigned source, irq_source_handler_t handler)
{
    if (source > 0 && source < INTC_NUM_SOURCES) {
        source_handlers[source] = handler;
    }
}

irq_exception_hook_t irq_set_exception_hook(irq_exception_hook_t hook)
{
    irq_exception_hook_t previous = exception_hook;
    exception_hook = hook;
    return previous;
}

/* A fatal trap prints one line, then ends the run. A trap while printing (a broken stack, a
   broken UART) comes back here: it skips the printing and exits at once. */
static bool fatal_may_print(void)
{
    if (fatal_entered) {
        return false;
    }
    fatal_entered = 1;
    return true;
}

static void dispatch_external(void)
{
    unsigned source;
    while ((source = intc_claim()) != 0) {
        irq_source_handler_t handler =
            source < INTC_NUM_SOURCES ? source_handlers[source] : NULL;
        if (handler == NULL) {
            if (fatal_may_print()) {
                printf("unhandled interrupt: intc source %u\n", source);
            }
            syscon_exit(HAL_EXIT_UNHANDLED_IRQ);
        }
        handler(source);
        intc_complete(source);
    }
}

void hal_trap_dispatch(struct trap_frame *frame, uint32_t mcause, uint32_t mepc, uint32_t mtval)
{
    if (mcause & MCAUSE_INTERRUPT) {
        uint32_t cause = mcause & ~MCAUSE_INTERRUPT;
        irq_handler_t handler = cause < 32 ? cause_handlers[cause] : NULL;
        if (handler != NULL) {
            handler();
        } else if (cause == IRQ_M_EXT) {
            dispatch_external();
        } else {
            if (fatal_may_print()) {
                printf("unhandled interrupt: cause=%lu epc=0x%08lx\n", (unsigned long)cause,
                       (unsigned long)mepc);
            }
            syscon_exit(HAL_EXIT_UNHANDLED_IRQ);
        }
        return;
    }

    if (exception_hook != NULL && exception_hook(frame)) {
        return;
    }
    if (fatal_may_print()) {
        printf("unhandled exception: cause=%lu epc=0x%08lx tval=0x%08lx\n", (unsigned long)mcause,
               (unsigned long)mepc, (unsigned long)mtval);
    }
    syscon_exit(HAL_EXIT_UNHANDLED_EXCEPTION(mcause));
}

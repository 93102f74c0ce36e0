/*
 * Interrupt controller (intc) at EDGEVP_INTC_BASE: 32 level-triggered sources (0 reserved),
 * one output to the CPU's machine external interrupt (mip.MEIP).
 *
 *   PENDING (0x00, ro)  bit i: source i's line is high
 *   ENABLE  (0x04, rw)  bit i: source i may interrupt
 *   CLAIM   (0x08, rw)  read: claim the lowest pending, enabled, unclaimed source (0: none);
 *                       write: complete (unclaim) that source
 *
 * The usual flow lives in the HAL's trap dispatcher: register a handler with
 * irq_register_source() and enable the source; claim/complete happen around the handler.
 */
#ifndef EDGEVP_INTC_H
#define EDGEVP_INTC_H

#include <stdint.h>

#define INTC_PENDING 0x00u
#define INTC_ENABLE  0x04u
#define INTC_CLAIM   0x08u

#define INTC_NUM_SOURCES 32u

void intc_enable(unsigned source);
void intc_disable(unsigned source);
uint32_t intc_enabled(void);  /* ENABLE register */
uint32_t intc_pending(void);  /* PENDING register */
unsigned intc_claim(void);    /* 0 when nothing to claim */
void intc_complete(unsigned source);

#endif

/*
 * Timer: the CLINT (SiFive layout) at EDGEVP_CLINT_BASE.
 *
 *   mtime     64-bit counter at EDGEVP_CLINT_TIMEBASE_HZ (default 1 MHz: 1 tick = 1 us)
 *   mtimecmp  machine timer interrupt (mip.MTIP) pending while mtime >= mtimecmp
 *   msip      bit 0 = machine software interrupt (mip.MSIP) pending
 *
 * The CPU is RV32: 64-bit registers are two 32-bit halves; the helpers here read and write
 * them in an order that never yields a torn value or a spurious interrupt.
 */
#ifndef EDGEVP_TIMER_H
#define EDGEVP_TIMER_H

#include <stdbool.h>
#include <stdint.h>

#define CLINT_MSIP        0x0000u
#define CLINT_MTIMECMP_LO 0x4000u
#define CLINT_MTIMECMP_HI 0x4004u
#define CLINT_MTIME_LO    0xBFF8u
#define CLINT_MTIME_HI    0xBFFCu

/* Current mtime (hi/lo/hi read, retried when the low half wrapped in between). */
uint64_t timer_now(void);

/* Set mtimecmp to an absolute mtime value. Clears a pending timer interrupt if `when` is in
   the future. Writes hi = all ones first so no intermediate value can fire. */
void timer_set_compare(uint64_t when);

/* Current mtimecmp. */
uint64_t timer_get_compare(void);

/* Arm the timer `ticks` mtime ticks from now; returns the absolute deadline. */
uint64_t timer_set_timeout(uint64_t ticks);

/* No timer interrupt any more (mtimecmp = all ones, its reset value). */
void timer_disable(void);

/* Conversions, using EDGEVP_CLINT_TIMEBASE_HZ. */
uint64_t timer_us_to_ticks(uint64_t us);
uint64_t timer_ticks_to_us(uint64_t ticks);

/* Busy-wait (polling mtime) for at least `us` microseconds / `ticks` mtime ticks. */
void timer_delay_us(uint32_t us);
void timer_delay_ticks(uint64_t ticks);

/* Machine software interrupt: raise / lower CLINT MSIP bit 0, and read it back. */
void timer_msip_set(void);
void timer_msip_clear(void);
bool timer_msip_pending(void);

#endif

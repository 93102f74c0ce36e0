/*
 * irq: CLINT timer and software interrupts through the HAL trap path.
 *
 * The timer interrupt fires every PERIOD_TICKS mtime ticks; its handler counts and re-arms
 * at the next multiple of the period (no drift). main sleeps in WFI until TIMER_TICKS
 * interrupts were counted, then checks that the elapsed mtime is TIMER_TICKS periods to
 * within one period and that no interrupt comes once the timer is disabled. Then one machine
 * software interrupt through CLINT MSIP; its handler clears MSIP.
 *
 * Output:
 *   timer interrupts: 10
 *   elapsed mtime: <n> ticks (expected 10000..10999)
 *   software interrupts: 1
 * Exit: 0 all checks hold, else the first failure:
 *   1 timer count != 10       2 elapsed < 10 periods    3 elapsed >= 11 periods
 *   4 timer interrupt after the timer was disabled       5 spurious timer interrupt (handler
 *     entered while mtime < mtimecmp: MTIP did not drop after the re-arm)
 *   6 software interrupt count != 1 (within 10 periods)  7 MSIP still pending afterwards
 */
#include <stdint.h>
#include <stdio.h>

#include "edgevp/irq.h"
#include "edgevp/timer.h"

#ifndef PERIOD_TICKS
#define PERIOD_TICKS 1000u
#endif
#define TIMER_TICKS 10u

static volatile uint32_t timer_count;
static volatile uint32_t timer_spurious;
static volatile uint32_t soft_count;
static volatile uint64_t next_deadline;
static volatile uint64_t last_tick_time;

static void on_timer(void)
{
    uint64_t now = timer_now();
    if (now < next_deadline) {
        timer_spurious++;
        return;
    }
    timer_count++;
    last_tick_time = now;
    if (timer_count >= TIMER_TICKS) {
        timer_disable();
    } else {
        next_deadline += PERIOD_TICKS;
        timer_set_compare(next_deadline);
    }
}

static void on_software(void)
{
    soft_count++;
    timer_msip_clear();
}

int main(void)
{
    irq_register(IRQ_M_TIMER, on_timer);
    irq_register(IRQ_M_SOFT, on_software);

    /* --- timer --- */
    irq_disable();
    uint64_t start = timer_now();
    next_deadline = start + PERIOD_TICKS;
    timer_set_compare(next_deadline);
    irq_mie_enable(MIE_MTIE);

    /* Race-free sleep: test the condition with interrupts off, WFI wakes on the pending
       interrupt anyway, and the interrupt is taken once MIE is set again. */
    while (timer_count < TIMER_TICKS) {
        irq_disable();
        if (timer_count < TIMER_TICKS) {
            irq_wait();
        }
        irq_enable();
    }
    uint64_t elapsed = last_tick_time - start;

    printf("timer interrupts: %lu\n", (unsigned long)timer_count);
    printf("elapsed mtime: %lu ticks (expected %lu..%lu)\n", (unsigned long)elapsed,
           (unsigned long)(TIMER_TICKS * PERIOD_TICKS),
           (unsigned long)((TIMER_TICKS + 1) * PERIOD_TICKS - 1));

    /* The timer is disabled now: nothing may arrive during three more periods. */
    timer_delay_ticks(3 * PERIOD_TICKS);
    uint32_t count_after = timer_count;
    irq_mie_disable(MIE_MTIE);

    /* --- software interrupt --- */
    irq_mie_enable(MIE_MSIE);
    timer_msip_set();
    uint64_t give_up = timer_now() + 10 * PERIOD_TICKS;
    while (soft_count == 0 && timer_now() < give_up) {
    }
    /* Let a (wrong) second delivery show up before counting. */
    timer_delay_ticks(PERIOD_TICKS);
    irq_mie_disable(MIE_MSIE);
    printf("software interrupts: %lu\n", (unsigned long)soft_count);

    if (timer_spurious != 0) {
        printf("error: %lu spurious timer interrupts\n", (unsigned long)timer_spurious);
    }

    if (count_after != TIMER_TICKS) {
        return count_after < TIMER_TICKS ? 1 : 4;
    }
    if (elapsed < TIMER_TICKS * PERIOD_TICKS) {
        return 2;
    }
    if (elapsed >= (TIMER_TICKS + 1) * PERIOD_TICKS) {
        return 3;
    }
    if (timer_spurious != 0) {
        return 5;
    }
    if (soft_count != 1) {
        return 6;
    }
    if (timer_msip_pending()) {
        return 7;
    }
    return 0;
}

/*
 * duty_cycle: the sense-compute-sleep loop of an always-on sensor node (after TinyVers).
 *
 * Each wake-up reads a window of "sensor" samples, runs a small int8 inference on it, keeps the
 * result and a counter in eMRAM (EDGEVP_NV: survives deep sleep, the core's reset and, with
 * --emram-image, the end of the run), arms the RTC and enters deep sleep: everything but the
 * always-on domain (PMU, RTC, GPIO) powers down, SRAM included, so each wake-up is a reboot through
 * the boot ROM, which resumes at the vector stored in eMRAM (here _start: the C runtime is rebuilt).
 * After DUTY_CYCLES wake-ups the firmware checks every stored result against a recomputation and
 * exits. A power-on (not a wake-up) with valid state in eMRAM resumes the count: with
 * --emram-image, a run cut short by --max-time is continued by the next run. The code runs in place from eMRAM (link/emram.ld): SRAM contents do not survive.
 *
 * Regions: "active" around each wake-up's work (sense, infer, store).
 *
 * Built with DUTY_WAKE_GPIO (app duty_cycle_gpio), a rising edge on GPIO pin 0 (an external
 * sensor's "data ready") wakes the SoC instead of the RTC.
 */
#include <stdint.h>
#include <stdio.h>

#include "edgevp/gpio.h"
#include "edgevp/pmu.h"
#include "edgevp/rtc.h"
#include "edgevp/syscon.h"
#include "infer.h"

#ifndef DUTY_CYCLES
#define DUTY_CYCLES 5
#endif
#ifndef DUTY_PERIOD_TICKS
#define DUTY_PERIOD_TICKS 3277u /* RTC ticks between wake-ups: 100 ms at 32768 Hz */
#endif

#define NV_MAGIC 0xD0C7C1E5u

struct nv_state {
    uint32_t magic;
    uint32_t wakeups;
    uint32_t results[DUTY_CYCLES];
};

static struct nv_state nv EDGEVP_NV;

extern void _start(void);

int main(void)
{
    const uint32_t reason = pmu_wake_reason();
    if (nv.magic != NV_MAGIC || nv.wakeups >= DUTY_CYCLES) {
        nv.wakeups = 0;
        nv.magic = NV_MAGIC;
        printf("duty_cycle: cold boot, %u cycles of %u RTC ticks\n", (unsigned)DUTY_CYCLES,
               (unsigned)DUTY_PERIOD_TICKS);
    } else if (reason == PMU_REASON_POWER_ON) {
        /* Power was lost (a new run with --emram-image): the state in eMRAM survived. */
        printf("duty_cycle: power-on, resuming at wake-up %u\n", (unsigned)nv.wakeups);
    }

    syscon_region_begin("active");
    int8_t window[INFER_IN];
    const uint32_t n = nv.wakeups;
    sense(n, window);
    const uint32_t r = infer(window);
    nv.results[n] = r;
    nv.wakeups = n + 1;
    syscon_region_end();
    printf("duty_cycle: wake-up %u (reason %u): class %u score %u\n", (unsigned)n, (unsigned)reason,
           (unsigned)(r >> 24), (unsigned)(r & 0xFFFFFFu));

    if (nv.wakeups >= DUTY_CYCLES) {
        unsigned bad = 0;
        for (uint32_t i = 0; i < DUTY_CYCLES; ++i) {
            sense(i, window);
            if (infer(window) != nv.results[i])
                ++bad;
        }
        printf("duty_cycle: %u wake-ups, %u deep sleeps, %u mismatches\n", (unsigned)nv.wakeups,
               (unsigned)pmu_deep_sleeps(), bad);
        nv.magic = 0; /* the next run starts over */
        if (bad == 0)
            printf("duty_cycle: ok\n");
        return bad == 0 ? 0 : 1;
    }

#ifdef DUTY_WAKE_GPIO
    /* Sleep until the next rising edge on pin 0. */
    gpio_irq_clear(1u);
    gpio_irq_enable(1u, GPIO_EDGE_RISE);
    gpio_wake_enable(1u);
    pmu_set_wake_enable(PMU_WAKE_GPIO);
#else
    /* Sleep until the RTC's next alarm. */
    rtc_start_periodic(DUTY_PERIOD_TICKS, RTC_CTRL_WAKE_EN);
    pmu_set_wake_enable(PMU_WAKE_RTC);
#endif
    pmu_set_resume_vector(_start);
    pmu_deep_sleep();
}

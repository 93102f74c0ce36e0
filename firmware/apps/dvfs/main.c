/*
 * dvfs: the duty-cycle app's inference kernel at every operating point. Each run is a syscon
 * region named "opp<i>" so the report gives its time and energy; the firmware prints cycles and
 * the operating point, and checks that every operating point computes the same results.
 */
#include <stdio.h>
#include <stdlib.h>

#include "edgevp/csr.h"
#include "edgevp/pmu.h"
#include "edgevp/syscon.h"
#include "edgevp/timer.h"
#include "../duty_cycle/infer.h"

#ifndef DVFS_REPEAT
#define DVFS_REPEAT 50
#endif

static uint32_t run_kernel(void)
{
    int8_t window[INFER_IN];
    uint32_t h = 0;
    for (uint32_t n = 0; n < DVFS_REPEAT; ++n) {
        sense(n, window);
        h = h * 31u + infer(window);
    }
    return h;
}

int main(void)
{
    static const char *const names[] = {"opp0", "opp1", "opp2", "opp3"};
    const uint32_t count = pmu_opp_count();
    uint32_t reference = 0;
    printf("dvfs: %u operating points\n", (unsigned)count);
    for (uint32_t i = 0; i < count && i < 4; ++i) {
        if (pmu_set_opp(i) != 0) {
            printf("dvfs: cannot select operating point %u\n", (unsigned)i);
            return 1;
        }
        const uint64_t t0 = timer_now();
        const uint32_t c0 = (uint32_t)csr_read(mcycle);
        syscon_region_begin(names[i]);
        const uint32_t h = run_kernel();
        syscon_region_end();
        const uint32_t c1 = (uint32_t)csr_read(mcycle);
        const uint64_t t1 = timer_now();
        printf("dvfs: opp%u %u mV %u Hz: %u cycles, %u us, result %08x\n", (unsigned)i, (unsigned)pmu_opp_mv(),
               (unsigned)pmu_opp_hz(), (unsigned)(c1 - c0), (unsigned)(t1 - t0), (unsigned)h);
        if (i == 0)
            reference = h;
        else if (h != reference) {
            printf("dvfs: result differs at operating point %u\n", (unsigned)i);
            return 1;
        }
    }
    pmu_set_opp(0);
    printf("dvfs: ok\n");
    return 0;
}

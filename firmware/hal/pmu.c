/* PMU driver. */
#include "edgevp/pmu.h"

#include <stdint.h>

#include "edgevp/csr.h"
#include "edgevp/memmap.h"
#include "edgevp/mmio.h"

#define PMU(offset) ((uintptr_t)EDGEVP_PMU_BASE + (offset))

void pmu_set_mode(uint32_t mode) { mmio_write32(PMU(PMU_MODE), mode); }
uint32_t pmu_mode(void) { return mmio_read32(PMU(PMU_MODE)); }
uint32_t pmu_wake_reason(void) { return mmio_read32(PMU(PMU_WAKE_REASON)); }
void pmu_set_wake_enable(uint32_t sources) { mmio_write32(PMU(PMU_WAKE_EN), sources); }
void pmu_set_sram_retention(int keep) { mmio_write32(PMU(PMU_SRAM_RET), keep ? 1u : 0u); }
uint32_t pmu_deep_sleeps(void) { return mmio_read32(PMU(PMU_DEEP_SLEEPS)); }
uint32_t pmu_opp(void) { return mmio_read32(PMU(PMU_OPP)); }
uint32_t pmu_opp_count(void) { return mmio_read32(PMU(PMU_OPP_COUNT)); }
uint32_t pmu_opp_hz(void) { return mmio_read32(PMU(PMU_OPP_FREQ)); }
uint32_t pmu_opp_mv(void) { return mmio_read32(PMU(PMU_OPP_MV)); }

int pmu_set_opp(uint32_t index)
{
    if (index >= pmu_opp_count())
        return -1;
    mmio_write32(PMU(PMU_OPP), index);
    return 0;
}

uint32_t pmu_domain_state(uint32_t domain) { return mmio_read32(PMU(PMU_DOMAIN(domain))); }

int pmu_set_domain_state(uint32_t domain, uint32_t state)
{
    if (domain == EDGEVP_DOMAIN_AON || domain == EDGEVP_DOMAIN_CPU || domain == EDGEVP_DOMAIN_SOC ||
        state > PMU_STATE_ON)
        return -1;
    mmio_write32(PMU(PMU_DOMAIN(domain)), state);
    return 0;
}

void pmu_set_resume_vector(void (*vector)(void))
{
    volatile uint32_t *slot = (volatile uint32_t *)(uintptr_t)EDGEVP_EMRAM_RESUME_ADDR;
    slot[1] = (uint32_t)(uintptr_t)vector;
    slot[0] = EDGEVP_RESUME_MAGIC;
}

void pmu_deep_sleep(void)
{
    pmu_set_mode(PMU_MODE_DEEP_SLEEP);
    /* Nothing may be pending-and-enabled, or WFI would not sleep. */
    csr_clear(mstatus, MSTATUS_MIE);
    csr_write(mie, 0);
    for (;;)
        __asm__ volatile("wfi");
}

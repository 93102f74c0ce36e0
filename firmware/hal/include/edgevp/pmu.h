/*
 * Power-management unit at EDGEVP_PMU_BASE (always-on domain; docs/models/pmu.md).
 *
 *   MODE         (0x04)  what WFI does: PMU_MODE_RUN / PMU_MODE_SLEEP / PMU_MODE_DEEP_SLEEP
 *   OPP          (0x08)  operating point index (DVFS); OPP_COUNT (0x0C)
 *   WAKE_EN      (0x10)  deep-sleep wake-up sources: PMU_WAKE_RTC | PMU_WAKE_GPIO
 *   WAKE_REASON  (0x14)  why the core last came out of reset: PMU_REASON_*
 *   SRAM_RET     (0x18)  keep SRAM in retention during deep sleep
 *   DEEP_SLEEPS  (0x1C)  deep-sleep entries since power-on
 *   OPP_FREQ     (0x20)  Hz; OPP_MV (0x24) mV of the current operating point
 *   DOMAIN[i]    (0x40 + 4i)  state of power domain i (EDGEVP_DOMAIN_* in the memory map)
 *
 * Deep sleep powers down everything but the always-on domain; a wake-up resets the core, and the
 * boot ROM resumes at the vector stored in eMRAM's resume slot (pmu_set_resume_vector).
 */
#ifndef EDGEVP_PMU_H
#define EDGEVP_PMU_H

#include <stdint.h>

#define PMU_ID           0x00u
#define PMU_MODE         0x04u
#define PMU_OPP          0x08u
#define PMU_OPP_COUNT    0x0Cu
#define PMU_WAKE_EN      0x10u
#define PMU_WAKE_REASON  0x14u
#define PMU_SRAM_RET     0x18u
#define PMU_DEEP_SLEEPS  0x1Cu
#define PMU_OPP_FREQ     0x20u
#define PMU_OPP_MV       0x24u
#define PMU_DOMAIN_COUNT 0x3Cu
#define PMU_DOMAIN(i)    (0x40u + 4u * (i))

#define PMU_MODE_RUN        0u
#define PMU_MODE_SLEEP      1u
#define PMU_MODE_DEEP_SLEEP 2u

#define PMU_WAKE_RTC  (1u << 0)
#define PMU_WAKE_GPIO (1u << 1)

#define PMU_REASON_POWER_ON 0u
#define PMU_REASON_RTC      1u
#define PMU_REASON_GPIO     2u

#define PMU_STATE_OFF         0u
#define PMU_STATE_RETENTION   1u
#define PMU_STATE_CLOCK_GATED 2u
#define PMU_STATE_ON          3u

/* Variables that live in eMRAM and keep their value across deep sleep (and across runs with
   --emram-image). Not initialised by the loader or crt0: check a magic number before use. */
#define EDGEVP_NV __attribute__((section(".nvdata")))

void pmu_set_mode(uint32_t mode);
uint32_t pmu_mode(void);
uint32_t pmu_wake_reason(void);
void pmu_set_wake_enable(uint32_t sources);
void pmu_set_sram_retention(int keep);
uint32_t pmu_deep_sleeps(void);
/* Operating points: index, count, frequency (Hz) and voltage (mV) of the current one. */
uint32_t pmu_opp(void);
uint32_t pmu_opp_count(void);
uint32_t pmu_opp_hz(void);
uint32_t pmu_opp_mv(void);
/* Returns 0, or -1 if `index` does not exist. Takes the configured switching latency. */
int pmu_set_opp(uint32_t index);
uint32_t pmu_domain_state(uint32_t domain);
/* Returns 0, or -1 if the domain is not software-controlled (always-on, cpu, soc). */
int pmu_set_domain_state(uint32_t domain, uint32_t state);

/* The boot ROM jumps to `vector` after a deep-sleep wake-up (stored in eMRAM). */
void pmu_set_resume_vector(void (*vector)(void));
/* Enter deep sleep (wake-up sources must be enabled); execution resumes at the resume vector. */
__attribute__((noreturn)) void pmu_deep_sleep(void);

#endif

/* CLINT driver: mtime, mtimecmp, msip. */
#include "edgevp/timer.h"

#include "edgevp/memmap.h"
#include "edgevp/mmio.h"

#define CLINT(offset) ((uintptr_t)EDGEVP_CLINT_BASE + (offset))

uint64_t timer_now(void)
{
    uint32_t hi, lo;
    do {
        hi = mmio_read32(CLINT(CLINT_MTIME_HI));
        lo = mmio_read32(CLINT(CLINT_MTIME_LO));
    } while (mmio_read32(CLINT(CLINT_MTIME_HI)) != hi);
    return ((uint64_t)hi << 32) | lo;
}

void timer_set_compare(uint64_t when)
{
    /* hi = all ones first: while the low half changes, mtimecmp is beyond any reachable
       mtime, so neither the old high half with the new low half nor the reverse can fire. */
    mmio_write32(CLINT(CLINT_MTIMECMP_HI), 0xFFFFFFFFu);
    mmio_write32(CLINT(CLINT_MTIMECMP_LO), (uint32_t)when);
    mmio_write32(CLINT(CLINT_MTIMECMP_HI), (uint32_t)(when >> 32));
    /* Read back so the write has reached the CLINT (and MTIP has dropped) before the
       caller returns from its interrupt handler. */
    (void)mmio_read32(CLINT(CLINT_MTIMECMP_HI));
}

uint64_t timer_get_compare(void)
{
    uint32_t lo = mmio_read32(CLINT(CLINT_MTIMECMP_LO));
    uint32_t hi = mmio_read32(CLINT(CLINT_MTIMECMP_HI));
    return ((uint64_t)hi << 32) | lo;
}

uint64_t timer_set_timeout(uint64_t ticks)
{
    uint64_t when = timer_now() + ticks;
    timer_set_compare(when);
    return when;
}

void timer_disable(void)
{
    timer_set_compare(UINT64_MAX);
}

uint64_t timer_us_to_ticks(uint64_t us)
{
    return us * EDGEVP_CLINT_TIMEBASE_HZ / 1000000u;
}

uint64_t timer_ticks_to_us(uint64_t ticks)
{
    return ticks * 1000000u / EDGEVP_CLINT_TIMEBASE_HZ;
}

void timer_delay_ticks(uint64_t ticks)
{
    uint64_t start = timer_now();
    while (timer_now() - start < ticks) {
    }
}

void timer_delay_us(uint32_t us)
{
    /* Round up so a short delay on a slow timebase is never zero. */
    uint64_t ticks = ((uint64_t)us * EDGEVP_CLINT_TIMEBASE_HZ + 999999u) / 1000000u;
    timer_delay_ticks(ticks);
}

void timer_msip_set(void)
{
    mmio_write32(CLINT(CLINT_MSIP), 1u);
}

void timer_msip_clear(void)
{
    mmio_write32(CLINT(CLINT_MSIP), 0u);
    (void)mmio_read32(CLINT(CLINT_MSIP)); /* read back: the line is low before mret */
}

bool timer_msip_pending(void)
{
    return (mmio_read32(CLINT(CLINT_MSIP)) & 1u) != 0;
}

/* RTC / wake-up timer driver. */
#include "edgevp/rtc.h"

#include "edgevp/memmap.h"
#include "edgevp/mmio.h"

#define RTC(offset) ((uintptr_t)EDGEVP_RTC_BASE + (offset))

uint32_t rtc_id(void)
{
    return mmio_read32(RTC(RTC_ID));
}

void rtc_start(void)
{
    uint32_t ctrl = mmio_read32(RTC(RTC_CTRL));
    /* Through 0 so that a running counter restarts too. */
    mmio_write32(RTC(RTC_CTRL), ctrl & ~RTC_CTRL_EN);
    mmio_write32(RTC(RTC_CTRL), ctrl | RTC_CTRL_EN);
}

void rtc_stop(void)
{
    mmio_write32(RTC(RTC_CTRL), mmio_read32(RTC(RTC_CTRL)) & ~RTC_CTRL_EN);
}

uint32_t rtc_count(void)
{
    return mmio_read32(RTC(RTC_COUNT));
}

void rtc_set_alarm(uint32_t count)
{
    mmio_write32(RTC(RTC_ALARM), count);
}

uint32_t rtc_alarm(void)
{
    return mmio_read32(RTC(RTC_ALARM));
}

uint32_t rtc_set_alarm_in(uint32_t ticks)
{
    uint32_t now = rtc_count();
    uint32_t when = now + ticks;
    mmio_write32(RTC(RTC_ALARM), when);
    /* COUNT passed `when` before the write took effect (an interrupt between the read and the
       write): that match never happens. Match the current COUNT instead, which fires at once. */
    while ((uint32_t)(rtc_count() - now) >= ticks && !rtc_fired()) {
        mmio_write32(RTC(RTC_ALARM), rtc_count());
    }
    return when;
}

void rtc_start_periodic(uint32_t period_ticks, uint32_t ctrl_bits)
{
    if (period_ticks == 0) {
        period_ticks = 1;
    }
    mmio_write32(RTC(RTC_CTRL), 0);
    mmio_write32(RTC(RTC_ALARM), period_ticks - 1);
    mmio_write32(RTC(RTC_STATUS), RTC_STATUS_FIRED);
    mmio_write32(RTC(RTC_CTRL),
                 RTC_CTRL_EN | RTC_CTRL_PERIODIC | (ctrl_bits & (RTC_CTRL_IRQ_EN | RTC_CTRL_WAKE_EN)));
}

void rtc_set_ctrl(uint32_t ctrl)
{
    mmio_write32(RTC(RTC_CTRL), ctrl);
}

uint32_t rtc_ctrl(void)
{
    return mmio_read32(RTC(RTC_CTRL));
}

bool rtc_fired(void)
{
    return (mmio_read32(RTC(RTC_STATUS)) & RTC_STATUS_FIRED) != 0;
}

void rtc_clear(void)
{
    mmio_write32(RTC(RTC_STATUS), RTC_STATUS_FIRED);
    (void)mmio_read32(RTC(RTC_STATUS)); /* read back: the lines are low before mret */
}

uint32_t rtc_ms_to_ticks(uint32_t ms)
{
    return (uint32_t)(((uint64_t)ms * EDGEVP_RTC_CLOCK_HZ + 999u) / 1000u);
}

uint32_t rtc_ticks_to_us(uint32_t ticks)
{
    return (uint32_t)((uint64_t)ticks * 1000000u / EDGEVP_RTC_CLOCK_HZ);
}

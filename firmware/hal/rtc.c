/* RTC / wake-up timer driver. */
#include "edgevp/rtc.h"

#include <stdint.h>

#include "edgevp/memmap.h"
#include "edgevp/mmio.h"

#define RTC(offset) ((uintptr_t)EDGEVP_RTC_BASE + (offset))

uint32_t rtc_count(void) { return mmio_read32(RTC(RTC_COUNT)); }
uint32_t rtc_status(void) { return mmio_read32(RTC(RTC_STATUS)); }
void rtc_clear(void) { mmio_write32(RTC(RTC_STATUS), RTC_STATUS_FIRED); }

void rtc_start_periodic(uint32_t ticks)
{
    const uint32_t ctrl = mmio_read32(RTC(RTC_CTRL));
    /* The alarm repeats every ALARM + 1 ticks. */
    mmio_write32(RTC(RTC_ALARM), ticks - 1u);
    rtc_clear();
    mmio_write32(RTC(RTC_CTRL), (ctrl & RTC_CTRL_EN) | RTC_CTRL_EN | RTC_CTRL_WAKE_EN | RTC_CTRL_PERIODIC);
}

void rtc_alarm_in(uint32_t ticks, int wake, int irq)
{
    uint32_t ctrl = RTC_CTRL_EN | (wake ? RTC_CTRL_WAKE_EN : 0u) | (irq ? RTC_CTRL_IRQ_EN : 0u);
    if ((mmio_read32(RTC(RTC_CTRL)) & RTC_CTRL_EN) == 0u)
        mmio_write32(RTC(RTC_CTRL), RTC_CTRL_EN);
    mmio_write32(RTC(RTC_ALARM), rtc_count() + ticks);
    rtc_clear();
    mmio_write32(RTC(RTC_CTRL), ctrl);
}

void rtc_stop(void) { mmio_write32(RTC(RTC_CTRL), 0); }

/*
 * RTC / wake-up timer at EDGEVP_RTC_BASE (always-on domain; docs/models/rtc.md).
 *
 *   ID      (0x00, ro)  0x52544301
 *   COUNT   (0x04, ro)  ticks of EDGEVP_RTC_CLOCK_HZ since the counter was enabled
 *   ALARM   (0x08, rw)  compare value
 *   CTRL    (0x0C, rw)  RTC_CTRL_EN | RTC_CTRL_IRQ_EN | RTC_CTRL_WAKE_EN | RTC_CTRL_PERIODIC
 *   STATUS  (0x10, rw)  RTC_STATUS_FIRED (write 1 to clear)
 */
#ifndef EDGEVP_RTC_H
#define EDGEVP_RTC_H

#include <stdint.h>

#define RTC_ID     0x00u
#define RTC_COUNT  0x04u
#define RTC_ALARM  0x08u
#define RTC_CTRL   0x0Cu
#define RTC_STATUS 0x10u

#define RTC_CTRL_EN       (1u << 0)
#define RTC_CTRL_IRQ_EN   (1u << 1)
#define RTC_CTRL_WAKE_EN  (1u << 2)
#define RTC_CTRL_PERIODIC (1u << 3)
#define RTC_STATUS_FIRED  (1u << 0)

uint32_t rtc_count(void);
uint32_t rtc_status(void);
void rtc_clear(void);
/* Wake-up (and, with irq, interrupt) every `ticks` ticks; restarts the count when not running. */
void rtc_start_periodic(uint32_t ticks);
/* One alarm `ticks` from now (the count keeps running). */
void rtc_alarm_in(uint32_t ticks, int wake, int irq);
void rtc_stop(void);

#endif

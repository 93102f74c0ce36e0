/*
 * RTC / wake-up timer at EDGEVP_RTC_BASE (intc source EDGEVP_IRQ_RTC; its wake line goes to the
 * PMU). Always on: it keeps counting in deep sleep and wakes the SoC.
 *
 *   ID     (0x00, ro)  0x52544301
 *   COUNT  (0x04, ro)  ticks of EDGEVP_RTC_CLOCK_HZ (default 32768 Hz) since the counter was
 *                      enabled; frozen while disabled; wraps at 2^32 (36.4 h at 32768 Hz)
 *   ALARM  (0x08, rw)  compare value (reset 0xFFFFFFFF)
 *   CTRL   (0x0C, rw)  RTC_CTRL_* bits (reset 0: stopped)
 *   STATUS (0x10, rw)  bit 0 FIRED: COUNT became equal to ALARM; write 1 to clear
 *
 * The irq and wake lines are levels: FIRED && IRQ_EN, FIRED && WAKE_EN. A handler clears FIRED
 * (rtc_clear()) before it returns. PERIODIC: after a match COUNT restarts from 0, so the alarm
 * repeats every ALARM + 1 ticks.
 */
#ifndef EDGEVP_RTC_H
#define EDGEVP_RTC_H

#include <stdbool.h>
#include <stdint.h>

#define RTC_ID     0x00u
#define RTC_COUNT  0x04u
#define RTC_ALARM  0x08u
#define RTC_CTRL   0x0Cu
#define RTC_STATUS 0x10u

#define RTC_ID_VALUE 0x52544301u

#define RTC_CTRL_EN       (1u << 0) /* counter runs; 0 -> 1 restarts COUNT from 0 */
#define RTC_CTRL_IRQ_EN   (1u << 1) /* irq = FIRED */
#define RTC_CTRL_WAKE_EN  (1u << 2) /* wake = FIRED */
#define RTC_CTRL_PERIODIC (1u << 3) /* COUNT restarts from 0 after each match */

#define RTC_STATUS_FIRED (1u << 0)

uint32_t rtc_id(void);

/* Start the counter from 0 (keeps the other CTRL bits) / stop it (COUNT freezes). */
void rtc_start(void);
void rtc_stop(void);

uint32_t rtc_count(void);

/* ALARM = count (absolute). Writing the current COUNT matches at once. */
void rtc_set_alarm(uint32_t count);
uint32_t rtc_alarm(void);

/* One-shot alarm `ticks` (>= 1) ticks from now: ALARM = COUNT + ticks, returned. The counter must
   be running and FIRED clear. If `ticks` ticks pass between reading COUNT and writing ALARM (an
   interrupt in between), the alarm would be behind COUNT and wait for the wrap: it then fires at
   once instead. */
uint32_t rtc_set_alarm_in(uint32_t ticks);

/* Restart the counter with a periodic alarm every `period_ticks` (>= 1) ticks, the first one
   `period_ticks` after this call; `ctrl_bits` adds RTC_CTRL_IRQ_EN and/or RTC_CTRL_WAKE_EN.
   Clears FIRED. */
void rtc_start_periodic(uint32_t period_ticks, uint32_t ctrl_bits);

void rtc_set_ctrl(uint32_t ctrl);
uint32_t rtc_ctrl(void);

/* FIRED, and clearing it (write 1, read back so the lines are low before mret). */
bool rtc_fired(void);
void rtc_clear(void);

/* Conversions with EDGEVP_RTC_CLOCK_HZ; ms -> ticks rounds up (never a zero-length alarm). */
uint32_t rtc_ms_to_ticks(uint32_t ms);
uint32_t rtc_ticks_to_us(uint32_t ticks);

#endif

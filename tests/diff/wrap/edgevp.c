/*
 * Differential ISS test images: the bare-metal edgevp wrapper. The dump goes to the 16550 UART,
 * the run ends through the syscon EXIT register, and the program runs inside the syscon region
 * "body", so the run's report counts its instructions. Addresses come from the generated memory
 * map; register offsets from the HAL headers.
 */
#include <stdint.h>

#include "diff.h"
#include "edgevp/memmap.h"
#include "edgevp/mmio.h"
#include "edgevp/syscon.h"
#include "edgevp/uart.h"

#define SYSCON(offset) ((uintptr_t)EDGEVP_SYSCON_BASE + (offset))
#define UART(offset) ((uintptr_t)EDGEVP_UART_BASE + (offset))

void diff_platform_begin(void)
{
    mmio_write32(SYSCON(SYSCON_REGION_BEGIN), (uint32_t)(uintptr_t) "body");
}

void diff_platform_end(void)
{
    mmio_write32(SYSCON(SYSCON_REGION_END), 0u);
}

void diff_write(const char *s, unsigned n)
{
    while (n--) {
        while ((mmio_read8(UART(UART_LSR)) & UART_LSR_THRE) == 0) {
        }
        mmio_write8(UART(UART_THR), (uint8_t)*s++);
    }
}

void diff_exit(int code)
{
    const uint32_t c = (uint32_t)code & 0xFFFFu;
    mmio_write32(SYSCON(SYSCON_EXIT), code == 0 ? SYSCON_EXIT_PASS : ((c ? c : 0xFFFFu) << 16) | SYSCON_EXIT_FAIL);
    for (;;) {
        __asm__ volatile("wfi");
    }
}

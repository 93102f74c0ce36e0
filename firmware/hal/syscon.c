/* syscon driver and _exit(). */
#include "edgevp/syscon.h"

#include <stdint.h>
#include <unistd.h>

#include "edgevp/csr.h"
#include "edgevp/memmap.h"
#include "edgevp/mmio.h"

#define SYSCON(offset) ((uintptr_t)EDGEVP_SYSCON_BASE + (offset))

uint32_t syscon_platform_id(void)
{
    return mmio_read32(SYSCON(SYSCON_ID));
}

uint32_t syscon_version(void)
{
    return mmio_read32(SYSCON(SYSCON_VERSION));
}

void syscon_exit(int code)
{
    uint32_t value;
    if (code == 0) {
        value = SYSCON_EXIT_PASS;
    } else {
        uint32_t c = (uint32_t)code & 0xFFFFu;
        value = ((c ? c : 0xFFFFu) << 16) | SYSCON_EXIT_FAIL;
    }
    csr_clear(mstatus, MSTATUS_MIE); /* nothing may run after the exit request */
    mmio_write32(SYSCON(SYSCON_EXIT), value);
    for (;;) {
        __asm__ volatile("wfi");
    }
}

void syscon_region_begin(const char *name)
{
    mmio_write32(SYSCON(SYSCON_REGION_BEGIN), (uint32_t)(uintptr_t)name);
}

void syscon_region_end(void)
{
    mmio_write32(SYSCON(SYSCON_REGION_END), 0u);
}

/* picolibc's exit() ends here: the simulation ends with the program's status. */
void _exit(int status)
{
    syscon_exit(status);
}

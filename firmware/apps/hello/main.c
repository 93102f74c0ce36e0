/*
 * hello: the smallest end-to-end check of an edgevp image.
 *
 * Prints a greeting, the platform ID and version from the syscon, and checks what crt0 must
 * have done (initialised .data copied, .bss zeroed) and that the syscon ID matches the
 * generated memory map. Built twice: hello (all in SRAM, link/sram.ld) and hello_xip (code
 * executing in place from eMRAM, .data copied from eMRAM to SRAM, link/emram.ld).
 *
 * Output:
 *   Hello from edgevp!
 *   platform id: 0xed6e0001
 *   version: <major>.<minor>.<patch>
 *   executing in place from eMRAM          (hello_xip only)
 * Exit: 0; 1 platform ID differs from EDGEVP_PLATFORM_ID; 2 .data not initialised;
 *       3 .bss not zero; 4 code not in SRAM (hello) / eMRAM (hello_xip), or data not in SRAM.
 */
#include <stdint.h>
#include <stdio.h>

#include "edgevp/memmap.h"
#include "edgevp/syscon.h"

/* Big enough to land in .data rather than .sdata; both are checked. */
static volatile uint32_t data_words[4] = {0x01234567u, 0x89abcdefu, 0xdeadbeefu, 0x5a5aa5a5u};
static volatile uint32_t small_data = 0xc0ffee00u;
static volatile uint32_t bss_words[16];

static int in_region(uintptr_t addr, uintptr_t base, uintptr_t size)
{
    return addr >= base && addr - base < size;
}

int main(void)
{
    printf("Hello from edgevp!\n");

    uint32_t id = syscon_platform_id();
    uint32_t version = syscon_version();
    printf("platform id: 0x%08lx\n", (unsigned long)id);
    printf("version: %lu.%lu.%lu\n", (unsigned long)SYSCON_VERSION_MAJOR(version),
           (unsigned long)SYSCON_VERSION_MINOR(version),
           (unsigned long)SYSCON_VERSION_PATCH(version));

    if (id != EDGEVP_PLATFORM_ID) {
        printf("error: platform id differs from the memory map's 0x%08lx\n",
               (unsigned long)EDGEVP_PLATFORM_ID);
        return 1;
    }
    if (data_words[0] != 0x01234567u || data_words[1] != 0x89abcdefu ||
        data_words[2] != 0xdeadbeefu || data_words[3] != 0x5a5aa5a5u || small_data != 0xc0ffee00u) {
        printf("error: .data not initialised\n");
        return 2;
    }
    for (unsigned i = 0; i < sizeof bss_words / sizeof bss_words[0]; i++) {
        if (bss_words[i] != 0) {
            printf("error: .bss not zero\n");
            return 3;
        }
    }

    uintptr_t code = (uintptr_t)&main;
    uintptr_t data = (uintptr_t)&data_words[0];
#ifdef HELLO_XIP
    int code_ok = in_region(code, EDGEVP_EMRAM_BASE, EDGEVP_EMRAM_SIZE);
#else
    int code_ok = in_region(code, EDGEVP_SRAM_BASE, EDGEVP_SRAM_SIZE);
#endif
    if (!code_ok || !in_region(data, EDGEVP_SRAM_BASE, EDGEVP_SRAM_SIZE)) {
        printf("error: main at 0x%08lx, .data at 0x%08lx\n", (unsigned long)code,
               (unsigned long)data);
        return 4;
    }
#ifdef HELLO_XIP
    printf("executing in place from eMRAM\n");
#endif
    return 0;
}

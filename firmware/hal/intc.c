/* edgevp interrupt controller driver. */
#include "edgevp/intc.h"

#include "edgevp/memmap.h"
#include "edgevp/mmio.h"

#define INTC(offset) ((uintptr_t)EDGEVP_INTC_BASE + (offset))

void intc_enable(unsigned source)
{
    if (source == 0 || source >= INTC_NUM_SOURCES) {
        return;
    }
    mmio_write32(INTC(INTC_ENABLE), mmio_read32(INTC(INTC_ENABLE)) | (1u << source));
}

void intc_disable(unsigned source)
{
    if (source == 0 || source >= INTC_NUM_SOURCES) {
        return;
    }
    mmio_write32(INTC(INTC_ENABLE), mmio_read32(INTC(INTC_ENABLE)) & ~(1u << source));
}

uint32_t intc_enabled(void)
{
    return mmio_read32(INTC(INTC_ENABLE));
}

uint32_t intc_pending(void)
{
    return mmio_read32(INTC(INTC_PENDING));
}

unsigned intc_claim(void)
{
    return mmio_read32(INTC(INTC_CLAIM));
}

void intc_complete(unsigned source)
{
    mmio_write32(INTC(INTC_CLAIM), source);
}

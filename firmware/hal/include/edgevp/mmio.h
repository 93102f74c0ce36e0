/*
 * Memory-mapped register access. edgevp peripherals answer only accesses of exactly the
 * register's width (UART: 8 bit, the others: 32 bit); anything else is an access fault, so
 * every access goes through one of these and is volatile of the right width.
 */
#ifndef EDGEVP_MMIO_H
#define EDGEVP_MMIO_H

#include <stdint.h>

static inline uint8_t mmio_read8(uintptr_t addr)
{
    return *(volatile const uint8_t *)addr;
}

static inline void mmio_write8(uintptr_t addr, uint8_t value)
{
    *(volatile uint8_t *)addr = value;
}

static inline uint32_t mmio_read32(uintptr_t addr)
{
    return *(volatile const uint32_t *)addr;
}

static inline void mmio_write32(uintptr_t addr, uint32_t value)
{
    *(volatile uint32_t *)addr = value;
}

#endif

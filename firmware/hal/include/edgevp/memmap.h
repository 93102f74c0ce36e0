/*
 * edgevp memory map: the EDGEVP_* macros generated from the platform configuration
 * (`edgevp --gen-memmap DIR`; the firmware build passes -I<EDGEVP_MEMMAP_DIR>).
 * Every address the HAL touches comes from here; none is written literally.
 */
#ifndef EDGEVP_MEMMAP_WRAPPER_H
#define EDGEVP_MEMMAP_WRAPPER_H

#include "edgevp_memmap.h"

#if !defined(EDGEVP_UART_BASE) || !defined(EDGEVP_CLINT_BASE) || !defined(EDGEVP_INTC_BASE) || \
    !defined(EDGEVP_SYSCON_BASE) || !defined(EDGEVP_CLINT_TIMEBASE_HZ)
#error "edgevp_memmap.h lacks a base address the HAL needs (regenerate it with edgevp --gen-memmap)"
#endif

#endif

/* The whole edgevp HAL. */
#ifndef EDGEVP_HAL_H
#define EDGEVP_HAL_H

#include "edgevp/accel.h"
#include "edgevp/cim.h"
#include "edgevp/csr.h"
#include "edgevp/gpio.h"
#include "edgevp/intc.h"
#include "edgevp/irq.h"
#include "edgevp/memmap.h"
#include "edgevp/mmio.h"
#include "edgevp/rtc.h"
#include "edgevp/syscon.h"
#include "edgevp/timer.h"
#include "edgevp/uart.h"

#endif

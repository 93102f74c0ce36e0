/*
 * compute: a compute-bound, self-checking integer benchmark.
 *
 * ITERATIONS (a compile definition, CMake cache variable EDGEVP_COMPUTE_ITERATIONS) times:
 * CRC-32 of a 1 KiB pseudo-random buffer, a 16x16 int32 matrix product in two loop orders
 * compared element by element, a quicksort of 256 values checked ascending, and 32
 * "k<i>=<value>;" records formatted and parsed back by a state machine. Before the loop
 * CRC-32("123456789") must be 0xCBF43926. The loop runs inside the syscon region "compute".
 *
 * Output (the checksum depends only on ITERATIONS):
 *   compute: <ITERATIONS> iterations
 *   compute: <n> mtime ticks
 *   checksum: 0x<8 hex digits>
 *   compute: ok
 * Exit: 0 all checks pass, else the COMPUTE_ERR_* bits (1 CRC, 2 matmul, 4 sort, 8 parse).
 */
#include <stdint.h>
#include <stdio.h>

#include "edgevp/syscon.h"
#include "edgevp/timer.h"
#include "kernels.h"

#ifndef ITERATIONS
#define ITERATIONS 560
#endif

int main(void)
{
    uint32_t errors = 0;
    printf("compute: %lu iterations\n", (unsigned long)ITERATIONS);

    uint64_t start = timer_now();
    syscon_region_begin("compute");
    uint32_t checksum = compute_run(ITERATIONS, &errors);
    syscon_region_end();
    uint64_t ticks = timer_now() - start;

    printf("compute: %lu mtime ticks\n", (unsigned long)ticks);
    printf("checksum: 0x%08lx\n", (unsigned long)checksum);
    if (errors) {
        printf("compute: FAILED (errors 0x%lx)\n", (unsigned long)errors);
        return (int)errors;
    }
    printf("compute: ok\n");
    return 0;
}

/*
 * compute kernels: plain C, no HAL, so the same file also builds on a host to check the
 * expected checksum (see README.md).
 */
#ifndef COMPUTE_KERNELS_H
#define COMPUTE_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#define MAT_N       16
#define CRC_BYTES   1024
#define SORT_COUNT  256
#define RECORDS     32
#define RECORD_TEXT (RECORDS * 16 + 1)

/* Failure bits of compute_run(). */
#define COMPUTE_ERR_CRC    (1u << 0) /* CRC-32("123456789") != 0xCBF43926 */
#define COMPUTE_ERR_MATMUL (1u << 1) /* i-j-k and i-k-j products differ */
#define COMPUTE_ERR_SORT   (1u << 2) /* sort output not ascending */
#define COMPUTE_ERR_PARSE  (1u << 3) /* parsed records differ from the generated ones */

/* CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), table driven. */
void crc32_init(void);
uint32_t crc32(const void *data, size_t len);

/* C = A * B, two loop orders. */
void matmul_ijk(const int32_t a[MAT_N][MAT_N], const int32_t b[MAT_N][MAT_N],
                int32_t c[MAT_N][MAT_N]);
void matmul_ikj(const int32_t a[MAT_N][MAT_N], const int32_t b[MAT_N][MAT_N],
                int32_t c[MAT_N][MAT_N]);

/* Ascending quicksort (insertion sort below 16 elements). */
void sort_u32(uint32_t *v, size_t n);

/* "k<index>=<signed decimal>;" records: writer, and a state-machine parser that returns the
   number of records (-1 on a syntax error) with the sum of values and a hash of the keys. */
size_t records_format(char *out, const int32_t *values, size_t n);
int records_parse(const char *text, int64_t *sum, uint32_t *key_hash);

/* Runs every kernel `iterations` times on pseudo-random inputs; returns a checksum over all
   results and ORs COMPUTE_ERR_* bits into *errors. */
uint32_t compute_run(uint32_t iterations, uint32_t *errors);

#endif

/*
 * System controller (syscon) at EDGEVP_SYSCON_BASE: platform identity, end of simulation,
 * and the region markers the power monitor attributes energy to.
 *
 *   ID           (0x00, ro)  platform ID (EDGEVP_PLATFORM_ID by default)
 *   VERSION      (0x04, ro)  edgevp version, (major << 16) | (minor << 8) | patch
 *   EXIT         (0x08, wo)  SiFive test finisher: 0x5555 = exit 0, (code << 16) | 0x3333
 *   REGION_BEGIN (0x0C, wo)  address of a NUL-terminated name (<= 63 chars); regions nest
 *   REGION_END   (0x10, wo)  closes the innermost open region
 *
 * _exit() (and so exit() and returning from main) ends the simulation through EXIT.
 */
#ifndef EDGEVP_SYSCON_H
#define EDGEVP_SYSCON_H

#include <stdint.h>

#define SYSCON_ID           0x00u
#define SYSCON_VERSION      0x04u
#define SYSCON_EXIT         0x08u
#define SYSCON_REGION_BEGIN 0x0Cu
#define SYSCON_REGION_END   0x10u

#define SYSCON_EXIT_PASS 0x5555u
#define SYSCON_EXIT_FAIL 0x3333u

#define SYSCON_REGION_NAME_MAX 63u

#define SYSCON_VERSION_MAJOR(v) (((v) >> 16) & 0xFFu)
#define SYSCON_VERSION_MINOR(v) (((v) >> 8) & 0xFFu)
#define SYSCON_VERSION_PATCH(v) ((v) & 0xFFu)

uint32_t syscon_platform_id(void);
uint32_t syscon_version(void);

/* End the simulation with `code` (0 = success; the low 16 bits of a non-zero code are sent,
   a non-zero code whose low 16 bits are 0 is sent as 0xFFFF). Never returns. */
__attribute__((noreturn)) void syscon_exit(int code);

/* Open / close a named region (power and time accounting). `name` must stay valid until the
   region is closed (a string literal is the usual choice). */
void syscon_region_begin(const char *name);
void syscon_region_end(void);

#endif

/*
 * Machine-mode CSR access and the bits of mstatus / mie / mip / mcause the HAL uses.
 */
#ifndef EDGEVP_CSR_H
#define EDGEVP_CSR_H

#define MSTATUS_MIE  (1u << 3)
#define MSTATUS_MPIE (1u << 7)

/* mie / mip bits, one per machine interrupt cause. */
#define MIE_MSIE (1u << 3)  /* machine software interrupt (CLINT MSIP) */
#define MIE_MTIE (1u << 7)  /* machine timer interrupt (CLINT mtime >= mtimecmp) */
#define MIE_MEIE (1u << 11) /* machine external interrupt (intc) */

#define MCAUSE_INTERRUPT (1u << 31)

#ifndef __ASSEMBLER__

#include <stdint.h>

#define CSR_STR_(x) #x
#define CSR_STR(x) CSR_STR_(x)

#define csr_read(csr)                                                  \
    ({                                                                 \
        uint32_t csr_value_;                                           \
        __asm__ volatile("csrr %0, " CSR_STR(csr) : "=r"(csr_value_)); \
        csr_value_;                                                    \
    })

#define csr_write(csr, value) \
    __asm__ volatile("csrw " CSR_STR(csr) ", %0" : : "rK"((uint32_t)(value)) : "memory")

#define csr_set(csr, bits) \
    __asm__ volatile("csrs " CSR_STR(csr) ", %0" : : "rK"((uint32_t)(bits)) : "memory")

#define csr_clear(csr, bits) \
    __asm__ volatile("csrc " CSR_STR(csr) ", %0" : : "rK"((uint32_t)(bits)) : "memory")

/* Read-and-clear in one instruction: returns the old value. */
#define csr_read_clear(csr, bits)                                                    \
    ({                                                                               \
        uint32_t csr_value_;                                                         \
        __asm__ volatile("csrrc %0, " CSR_STR(csr) ", %1"                            \
                         : "=r"(csr_value_)                                          \
                         : "rK"((uint32_t)(bits))                                    \
                         : "memory");                                                \
        csr_value_;                                                                  \
    })

#endif /* __ASSEMBLER__ */

#endif

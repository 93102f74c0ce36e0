/*
 * Coarse-grained reconfigurable array (docs/models/cgra.md): kind cgra (ID 0xACCE0501) on the
 * common accelerator window (edgevp/accel.h).
 *
 * A fabric of function units (load-store units on a banked local memory, ALUs, multipliers,
 * int8 dot-product units, register files, immediate and loop units) and instruction decoders on
 * a grid, after Blocks (by default models/accelerators/cgra/blocks.json). A kernel image, made by
 * tools/cgra/cgrasm.py from a kernel description for the instance's fabric (a C header:
 * NAME_image[], NAME_BYTES, NAME_UNITS, NAME_GROUPS, NAME_LABEL_<label>; the firmware build runs
 * it: edgevp_cgra_kernel() in firmware/cmake/cgra.cmake), binds units to decoders (one decoder
 * over several units: SIMD), routes unit outputs to unit inputs, puts decoders into lock-step
 * groups (several decoders: VLIW) and loads their programs and initial values. Descriptors (six
 * words each):
 *
 *   CONFIG  check a kernel image whole, then apply it: only what it names changes (partial
 *           reconfiguration). Flag BACKGROUND: load it while the chain's previous RUN runs; the
 *           image may then touch no unit or decoder that RUN uses (else CONFIG_CAUSE BUSY)
 *   COPY    bytes between SoC memory and the local memory, either way (TO_SOC)
 *   RUN     run groups (a mask) together, cycle by cycle, until every one has halted
 *
 * A refused image (or a RUN whose groups are inconsistent) ends the job with ACCEL_ERR_CONFIG
 * before any cycle runs: CONFIG_CAUSE says why, ERR_ADDR is the SoC address of the offending
 * image record (0 for a RUN; the image's own address when no one record is at fault: BUSY, or a
 * BINDING with the bindings already configured). A run-time fault ends it with ACCEL_ERR_PROGRAM (FAULT_PC,
 * FAULT_CAUSE, FAULT_UNIT), a run past MAX_CYCLES with ACCEL_ERR_TIMEOUT (ERR_ADDR and FAULT_PC:
 * the program counter where it stopped).
 *
 * Registers (from 0x40):
 *   UNITS        (0x40, ro)  units in the fabric (an image records the count it was made for)
 *   DECODERS     (0x44, ro)  instruction decoders
 *   IMEM_INSNS   (0x48, ro)  instructions per decoder
 *   MEM_BYTES    (0x4C, ro)  local memory, all banks
 *   BANKS        (0x50, ro)  banks: 32-bit words interleaved, bank = (address / 4) mod BANKS
 *   MAX_CYCLES   (0x54, rw)  cycle budget of a RUN (0: the instance's configured max_cycles)
 *   FAULT_PC     (0x58, ro)  program counter of the last run-time fault (or timeout)
 *   FAULT_CAUSE  (0x5C, ro)  CGRA_CAUSE_* of that fault (0 after a timeout)
 *   FAULT_UNIT   (0x60, ro)  the unit (index in the fabric) that faulted
 *   CONFIG_CAUSE (0x64, ro)  CGRA_CONFIG_* of the last refusal
 *   RUN_CYCLES   (0x68, ro)  cycles of the last RUN (saturating)
 *   STALLS       (0x6C, ro)  cycles the last RUN's groups stalled on bank conflicts
 *   CONFIG_BITS  (0x70, ro)  configuration bits loaded since reset (saturating)
 *
 * Usage:
 *   struct accel_dev dev;  struct cgra_info info;
 *   if (cgra_find(0, &dev, &info) < 0) ...                   -- the first cgra of the memory map
 *   const struct cgra_kernel k = CGRA_KERNEL(fc);             -- from the tool's header fc.h
 *   int err = cgra_config(&dev, &k, 0, irq);                  -- checks the image's unit count
 *   err = cgra_copy(&dev, CGRA_COPY_TO_LOCAL, x, 0x100, n, irq);
 *   err = cgra_run(&dev, k.groups, irq);                      -- waits until the groups halt
 *   err = cgra_copy(&dev, CGRA_COPY_TO_SOC, y, 0x400, m, irq);
 * or several descriptors in one START (cgra_chain_*: they are linked as they are added):
 *   cgra_desc_t d[4];  struct cgra_chain c;
 *   cgra_chain_init(&c, d, 4);
 *   cgra_chain_config(&c, &k, 0);  cgra_chain_copy(&c, CGRA_COPY_TO_LOCAL, x, 0x100, n);
 *   cgra_chain_run(&c, k.groups);  cgra_chain_copy(&c, CGRA_COPY_TO_SOC, y, 0x400, m);
 *   err = cgra_chain_exec(&dev, &c, irq);        -- or cgra_chain_start() and accel_wait*()
 * With irq, accel_irq_attach(&dev) first. After an error: cgra_get_error() (the code's registers:
 * ERR_DESC, ERR_ADDR, CONFIG_CAUSE, FAULT_*), cgra_config_cause_name(), cgra_fault_name().
 *
 * A kernel's initial values (address registers, ALU outputs) are loaded by CONFIG only, and a
 * CONFIG changes only what its image names: a kernel that needs a clean fabric (no bindings or
 * routes left by another kernel) follows a clearing image in the same chain.
 */
#ifndef EDGEVP_CGRA_H
#define EDGEVP_CGRA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "edgevp/accel.h"

#define CGRA_ID   EDGEVP_CGRA_ID
#define CGRA_KIND EDGEVP_CGRA_CODE /* ACCEL_ID_KIND() */

/* --- registers ------------------------------------------------------------------------------ */
#define CGRA_UNITS        EDGEVP_CGRA_UNITS
#define CGRA_DECODERS     EDGEVP_CGRA_DECODERS
#define CGRA_IMEM_INSNS   EDGEVP_CGRA_IMEM_INSNS
#define CGRA_MEM_BYTES    EDGEVP_CGRA_MEM_BYTES
#define CGRA_BANKS        EDGEVP_CGRA_BANKS
#define CGRA_MAX_CYCLES   EDGEVP_CGRA_MAX_CYCLES
#define CGRA_FAULT_PC     EDGEVP_CGRA_FAULT_PC
#define CGRA_FAULT_CAUSE  EDGEVP_CGRA_FAULT_CAUSE
#define CGRA_FAULT_UNIT   EDGEVP_CGRA_FAULT_UNIT
#define CGRA_CONFIG_CAUSE EDGEVP_CGRA_CONFIG_CAUSE
#define CGRA_RUN_CYCLES   EDGEVP_CGRA_RUN_CYCLES
#define CGRA_STALLS       EDGEVP_CGRA_STALLS
#define CGRA_CONFIG_BITS  EDGEVP_CGRA_CONFIG_BITS

/* --- descriptors ---------------------------------------------------------------------------- */
#define CGRA_OP_CONFIG  EDGEVP_CGRA_OP_CONFIG
#define CGRA_OP_COPY    EDGEVP_CGRA_OP_COPY
#define CGRA_OP_RUN     EDGEVP_CGRA_OP_RUN
#define CGRA_DESC_WORDS EDGEVP_CGRA_DESC_WORDS

/* CONFIG flags (word 0): load while the chain's previous RUN runs (partial reconfiguration). */
#define CGRA_CONFIG_BACKGROUND EDGEVP_CGRA_CONFIG_BACKGROUND
/* COPY flags (word 0): the direction. */
#define CGRA_COPY_TO_SOC   EDGEVP_CGRA_COPY_TO_SOC /* local memory -> SoC */
#define CGRA_COPY_TO_LOCAL 0u                      /* SoC -> local memory */

/* Kernel images: little-endian words, the magic, the version, the image's bytes, the fabric's
   unit count, then the records (tools/cgra/README.md). */
#define CGRA_IMAGE_MAGIC        EDGEVP_CGRA_IMAGE_MAGIC
#define CGRA_IMAGE_VERSION      1u
#define CGRA_IMAGE_HEADER_WORDS 4u
#define CGRA_MAX_GROUPS         8u /* RUN's mask: bits 0..7 */

/* CONFIG_CAUSE: why a CONFIG (or a RUN) was refused:
     FORMAT   a bad magic, version, length, record type or length; another fabric's unit count
     UNIT     no such unit, or a unit of the wrong type for the record
     ROUTE    a route from a unit without an output, or past the data network's reach
     BINDING  a unit bound twice, a decoder over two types, past the control network's reach
     GROUP    a decoder in two groups, a group above 7
     PROGRAM  a program past instruction memory, an INIT past a unit's registers
     BUSY     a BACKGROUND image touching what the running RUN uses
     RUN      (RUN) a group without decoder or program, a route from an unbound unit, two ABUs */
#define CGRA_CONFIG_NONE    0u
#define CGRA_CONFIG_FORMAT  EDGEVP_CGRA_CONFIG_FORMAT
#define CGRA_CONFIG_UNIT    EDGEVP_CGRA_CONFIG_UNIT
#define CGRA_CONFIG_ROUTE   EDGEVP_CGRA_CONFIG_ROUTE
#define CGRA_CONFIG_BINDING EDGEVP_CGRA_CONFIG_BINDING
#define CGRA_CONFIG_GROUP   EDGEVP_CGRA_CONFIG_GROUP
#define CGRA_CONFIG_PROGRAM EDGEVP_CGRA_CONFIG_PROGRAM
#define CGRA_CONFIG_BUSY    EDGEVP_CGRA_CONFIG_BUSY
#define CGRA_CONFIG_RUN     EDGEVP_CGRA_CONFIG_RUN

/* FAULT_CAUSE: what a running group did. */
#define CGRA_CAUSE_NONE   0u
#define CGRA_CAUSE_MEMORY EDGEVP_CGRA_CAUSE_MEMORY /* a load or store outside local memory or not word-aligned */
#define CGRA_CAUSE_PC     EDGEVP_CGRA_CAUSE_PC     /* a jump or loop end outside the programs */
#define CGRA_CAUSE_LOOP   EDGEVP_CGRA_CAUSE_LOOP   /* a loop inside a loop, a loop end before its start */
#define CGRA_CAUSE_OPCODE EDGEVP_CGRA_CAUSE_OPCODE /* an operation the unit's type does not have */

typedef struct cgra_config_desc {
    uint32_t op;          /* 0: CGRA_OP_CONFIG | CGRA_CONFIG_BACKGROUND */
    uint32_t next;        /* 1 */
    uint32_t image;       /* 2: the image (SoC address, 4-aligned) */
    uint32_t bytes;       /* 3: its bytes */
    uint32_t reserved[2]; /* 4, 5: 0 */
} cgra_config_desc_t;

typedef struct cgra_copy_desc {
    uint32_t op;       /* 0: CGRA_OP_COPY | CGRA_COPY_TO_SOC */
    uint32_t next;     /* 1 */
    uint32_t soc;      /* 2: SoC address */
    uint32_t local;    /* 3: byte offset in the local memory (4-aligned) */
    uint32_t bytes;    /* 4: a multiple of 4, not 0 */
    uint32_t reserved; /* 5: 0 */
} cgra_copy_desc_t;

typedef struct cgra_run_desc {
    uint32_t op;          /* 0: CGRA_OP_RUN */
    uint32_t next;        /* 1 */
    uint32_t groups;      /* 2: bit g: group g */
    uint32_t reserved[3]; /* 3..5: 0 */
} cgra_run_desc_t;

/* Any of the three: the storage of a chain. */
typedef union cgra_desc {
    cgra_config_desc_t config;
    cgra_copy_desc_t copy;
    cgra_run_desc_t run;
    uint32_t word[6];
} cgra_desc_t;

_Static_assert(sizeof(cgra_config_desc_t) == 4 * EDGEVP_CGRA_DESC_WORDS, "CONFIG descriptor size");
_Static_assert(sizeof(cgra_copy_desc_t) == 4 * EDGEVP_CGRA_DESC_WORDS, "COPY descriptor size");
_Static_assert(sizeof(cgra_run_desc_t) == 4 * EDGEVP_CGRA_DESC_WORDS, "RUN descriptor size");
_Static_assert(sizeof(cgra_desc_t) == 4 * EDGEVP_CGRA_DESC_WORDS, "descriptor size");
_Static_assert(offsetof(cgra_config_desc_t, image) == 8 && offsetof(cgra_config_desc_t, bytes) == 12,
               "CONFIG w2 image, w3 bytes");
_Static_assert(offsetof(cgra_copy_desc_t, soc) == 8 && offsetof(cgra_copy_desc_t, local) == 12 &&
                   offsetof(cgra_copy_desc_t, bytes) == 16,
               "COPY w2 soc, w3 local, w4 bytes");
_Static_assert(offsetof(cgra_run_desc_t, groups) == 8, "RUN w2 groups");

/* --- kernels -------------------------------------------------------------------------------- */

/* A kernel image: what cgrasm.py's header holds. */
struct cgra_kernel {
    const uint32_t *image;
    uint32_t bytes;  /* CONFIG's w3 */
    uint32_t units;  /* the fabric's unit count it was made for (UNITS must match) */
    uint32_t groups; /* the groups it defines (RUN's mask) */
};
/* From the header of `cgrasm.py --name NAME`: CGRA_KERNEL(NAME). */
#define CGRA_KERNEL(name) {name##_image, name##_BYTES, name##_UNITS, name##_GROUPS}

/* Not device codes: what the HAL returns without starting anything. */
#define CGRA_ERR_IMAGE_FORMAT  (-16) /* not a kernel image: magic, version, its length word, alignment */
#define CGRA_ERR_IMAGE_UNITS   (-17) /* made for a fabric with another unit count than UNITS */
#define CGRA_ERR_CHAIN_STORAGE (-18) /* a chain that is empty or ran out of its descriptors */

/* The fabric behind the registers (read once by cgra_find() / cgra_get_info()). */
struct cgra_info {
    uint32_t id;
    uint32_t units;
    uint32_t decoders;
    uint32_t imem_insns;
    uint32_t mem_bytes;
    uint32_t banks;
};

bool cgra_is_cgra(uint32_t id);
void cgra_get_info(const struct accel_dev *dev, struct cgra_info *info);

/* The instance, skipping `skip` earlier cgra instances (accel_find()): its index, dev initialised
   and *info (may be NULL) filled; -1 when there is none. */
int cgra_find(unsigned skip, struct accel_dev *dev, struct cgra_info *info);

/* Is `k` a kernel image (magic, version, the length word = bytes, 4-aligned) made for this
   fabric's unit count? 0, CGRA_ERR_IMAGE_FORMAT or CGRA_ERR_IMAGE_UNITS. (CONFIG checks the rest.) */
int cgra_check_kernel(const struct accel_dev *dev, const struct cgra_kernel *k);

/* --- descriptors ---------------------------------------------------------------------------- */
/* flags: 0 or CGRA_CONFIG_BACKGROUND. */
void cgra_config_desc(cgra_config_desc_t *d, const struct cgra_kernel *k, uint32_t flags);
/* Any image, by address and size (hand-made or refused ones too: no check). */
void cgra_config_image_desc(cgra_config_desc_t *d, const void *image, uint32_t bytes, uint32_t flags);
/* flags: CGRA_COPY_TO_LOCAL or CGRA_COPY_TO_SOC. */
void cgra_copy_desc(cgra_copy_desc_t *d, uint32_t flags, const void *soc, uint32_t local, uint32_t bytes);
void cgra_run_desc(cgra_run_desc_t *d, uint32_t groups);
/* d->next = next (any descriptor type, or NULL to end the chain). */
void cgra_link(void *d, const void *next);

/* --- chains: descriptors added in order, linked as they come, one START --------------------- */
struct cgra_chain {
    cgra_desc_t *desc;  /* the storage (4-aligned, reachable by the accelerator's DMA) */
    unsigned capacity;
    unsigned count;
    bool overflow;      /* a descriptor did not fit: the chain will not start */
};

void cgra_chain_init(struct cgra_chain *c, cgra_desc_t *storage, unsigned capacity);
/* Each returns the descriptor added, or NULL (and sets overflow) when the storage is full. */
cgra_config_desc_t *cgra_chain_config(struct cgra_chain *c, const struct cgra_kernel *k, uint32_t flags);
cgra_config_desc_t *cgra_chain_config_image(struct cgra_chain *c, const void *image, uint32_t bytes,
                                            uint32_t flags);
cgra_copy_desc_t *cgra_chain_copy(struct cgra_chain *c, uint32_t flags, const void *soc, uint32_t local,
                                  uint32_t bytes);
cgra_run_desc_t *cgra_chain_run(struct cgra_chain *c, uint32_t groups);
/* START the chain (accel_start()); 0, or CGRA_ERR_CHAIN_STORAGE (empty or overflowed: nothing
   started). Then accel_wait() or, with irq, accel_wait_irq(). */
int cgra_chain_start(struct accel_dev *dev, const struct cgra_chain *c, bool irq);
/* Start and wait: an ACCEL_ERR_* code or CGRA_ERR_CHAIN_STORAGE. */
int cgra_chain_exec(struct accel_dev *dev, const struct cgra_chain *c, bool irq);

/* --- one descriptor, started and waited for ------------------------------------------------- */
/* Each returns ACCEL_ERR_NONE, an ACCEL_ERR_* code of the job (ACCEL_ERR_CONFIG,
   ACCEL_ERR_PROGRAM, ACCEL_ERR_TIMEOUT, ...), or (cgra_config) CGRA_ERR_IMAGE_*. With irq the wait
   is by interrupt (accel_irq_attach() first), else by polling. The descriptor is the HAL's own. */
int cgra_config(struct accel_dev *dev, const struct cgra_kernel *k, uint32_t flags, bool irq);
int cgra_copy(struct accel_dev *dev, uint32_t flags, const void *soc, uint32_t local, uint32_t bytes, bool irq);
int cgra_run(struct accel_dev *dev, uint32_t groups, bool irq);

/* --- registers ------------------------------------------------------------------------------ */
void cgra_set_max_cycles(const struct accel_dev *dev, uint32_t cycles); /* 0: the configured budget */
uint32_t cgra_max_cycles(const struct accel_dev *dev);
uint32_t cgra_fault_pc(const struct accel_dev *dev);
uint32_t cgra_fault_cause(const struct accel_dev *dev);
uint32_t cgra_fault_unit(const struct accel_dev *dev);
uint32_t cgra_config_cause(const struct accel_dev *dev);
uint32_t cgra_run_cycles(const struct accel_dev *dev);
uint32_t cgra_stalls(const struct accel_dev *dev);
uint32_t cgra_config_bits(const struct accel_dev *dev);

/* What ended the last failed job: the wait's ERR_DESC and ERR_ADDR (dev->err_desc, err_addr) and
   the kind's registers that go with `code`: CONFIG_CAUSE (ACCEL_ERR_CONFIG), FAULT_PC,
   FAULT_CAUSE, FAULT_UNIT (ACCEL_ERR_PROGRAM; FAULT_PC for ACCEL_ERR_TIMEOUT); the others 0. */
struct cgra_error {
    int code;
    uint32_t err_desc;
    uint32_t err_addr;
    uint32_t config_cause;
    uint32_t fault_pc;
    uint32_t fault_cause;
    uint32_t fault_unit;
};
void cgra_get_error(const struct accel_dev *dev, int code, struct cgra_error *e);

/* "NONE", "FORMAT", "UNIT", "ROUTE", "BINDING", "GROUP", "PROGRAM", "BUSY", "RUN", or "?". */
const char *cgra_config_cause_name(uint32_t cause);
/* "NONE", "MEMORY", "PC", "LOOP", "OPCODE", or "?". */
const char *cgra_fault_name(uint32_t cause);
/* accel_err_name(), and the CGRA_ERR_* codes. */
const char *cgra_err_name(int code);

#endif /* EDGEVP_CGRA_H */

/*
 * Accelerators: the common register window and job protocol of every accelerator kind
 * (docs/accelerators.md). The kind-specific parts (descriptor formats, registers from 0x40)
 * live in the kind's own header (edgevp/cim.h, ...).
 *
 *   ID        (0x00, ro)  0xACCE_KKVV: KK the kind code, VV its version
 *   CTRL      (0x04, rw)  START (w1: run the chain at DESC), RESET (w1: soft reset), IRQ_EN
 *   STATUS    (0x08, rw)  BUSY (ro), DONE (w1c), ERROR (w1c), ERR_CODE in bits 15:8 (ro)
 *   DESC      (0x0C, rw)  address of the first descriptor
 *   ERR_DESC  (0x10, ro)  address of the descriptor that failed
 *   ERR_ADDR  (0x14, ro)  the offending address (DMA, unmapped, unaligned), else 0
 *   JOBS      (0x18, ro)  descriptors completed since reset
 *   CYCLES    (0x20/0x24, ro)  busy cycles since reset (reading LO latches HI)
 *   OPS       (0x28/0x2C, ro)  operations since reset, 2 per MAC (reading LO latches HI)
 *
 * Every descriptor starts with word 0 = opcode (7:0) | flags (31:8) and word 1 = next (0: last).
 * The interrupt line is IRQ_EN && (DONE || ERROR), level-triggered at the device's intc source.
 *
 * The instances come from the generated memory map (EDGEVP_ACCEL_INSTANCES: base, irq, power
 * domain and name of each, in index order): accel_count(), accel_instance(i),
 * accel_init_instance() for instance i, accel_find() for the n-th present instance of a kind.
 * Their kind is read at run time from ID.
 *
 * Usage:
 *   struct accel_dev dev;
 *   accel_init_instance(&dev, 0);             -- or accel_init(&dev, base, irq)
 *   uint32_t id; if (!accel_probe(&dev, &id)) ...  -- a window the simulator left out
 *   accel_start(&dev, &desc, false);  int err = accel_wait(&dev, 0);       -- polling
 *   accel_irq_attach(&dev);
 *   accel_start(&dev, &desc, true);   int err = accel_wait_irq(&dev);      -- WFI until the irq
 * Both waits return ACCEL_ERR_NONE (0), an ACCEL_ERR_* code, or ACCEL_WAIT_TIMEOUT; the
 * STATUS value that ended the job is kept in dev.status (DONE and ERROR are cleared in the
 * device afterwards, so the next job starts clean).
 */
#ifndef EDGEVP_ACCEL_H
#define EDGEVP_ACCEL_H

#include <stdbool.h>
#include <stdint.h>

/* Offsets, bits and error codes come from the models (edgevp --gen-memmap). */
#include "edgevp_accel_regs.h"

/* --- register offsets ----------------------------------------------------------------------- */
#define ACCEL_ID        EDGEVP_ACCEL_ID
#define ACCEL_CTRL      EDGEVP_ACCEL_CTRL
#define ACCEL_STATUS    EDGEVP_ACCEL_STATUS
#define ACCEL_DESC      EDGEVP_ACCEL_DESC
#define ACCEL_ERR_DESC  EDGEVP_ACCEL_ERR_DESC
#define ACCEL_ERR_ADDR  EDGEVP_ACCEL_ERR_ADDR
#define ACCEL_JOBS      EDGEVP_ACCEL_JOBS
#define ACCEL_CYCLES_LO EDGEVP_ACCEL_CYCLES_LO
#define ACCEL_CYCLES_HI EDGEVP_ACCEL_CYCLES_HI
#define ACCEL_OPS_LO    EDGEVP_ACCEL_OPS_LO
#define ACCEL_OPS_HI    EDGEVP_ACCEL_OPS_HI
#define ACCEL_KIND_REGS EDGEVP_ACCEL_KIND_REGS /* first kind-specific register */

/* --- ID ------------------------------------------------------------------------------------- */
#define ACCEL_ID_MAGIC          0xACCEu
#define ACCEL_ID_IS_ACCEL(id)   (((id) >> 16) == ACCEL_ID_MAGIC)
#define ACCEL_ID_KIND(id)       (((id) >> 8) & 0xFFu)
#define ACCEL_ID_VERSION(id)    ((id) & 0xFFu)

/* --- CTRL ----------------------------------------------------------------------------------- */
#define ACCEL_CTRL_START  EDGEVP_ACCEL_CTRL_START
#define ACCEL_CTRL_RESET  EDGEVP_ACCEL_CTRL_RESET
#define ACCEL_CTRL_IRQ_EN EDGEVP_ACCEL_CTRL_IRQ_EN

/* --- STATUS --------------------------------------------------------------------------------- */
#define ACCEL_STATUS_BUSY           EDGEVP_ACCEL_STATUS_BUSY
#define ACCEL_STATUS_DONE           EDGEVP_ACCEL_STATUS_DONE
#define ACCEL_STATUS_ERROR          EDGEVP_ACCEL_STATUS_ERROR
#define ACCEL_STATUS_ERR_CODE_SHIFT EDGEVP_ACCEL_STATUS_ERR_CODE_SHIFT
#define ACCEL_STATUS_ERR_CODE_MASK  (0xFFu << ACCEL_STATUS_ERR_CODE_SHIFT)
#define ACCEL_STATUS_ERR_CODE(s)    (((s) >> ACCEL_STATUS_ERR_CODE_SHIFT) & 0xFFu)

/* --- descriptor header ---------------------------------------------------------------------- */
#define ACCEL_DESC_OPCODE_MASK 0xFFu
#define ACCEL_DESC_FLAGS_MASK  0xFFFFFF00u
#define ACCEL_DESC_WORD0(opcode, flags) \
    (((uint32_t)(opcode) & 0xFFu) | ((uint32_t)(flags) & 0xFFFFFF00u))
#define ACCEL_MAX_CHAIN        EDGEVP_ACCEL_MAX_CHAIN /* longer chains end with ACCEL_ERR_CHAIN */

/* --- error codes (STATUS.ERR_CODE) ---------------------------------------------------------- */
#define ACCEL_ERR_NONE      (int)EDGEVP_ACCEL_ERR_NONE /* */
#define ACCEL_ERR_OPCODE    (int)EDGEVP_ACCEL_ERR_OPCODE /* opcode 0 or unknown to the kind */
#define ACCEL_ERR_ALIGN     (int)EDGEVP_ACCEL_ERR_ALIGN /* descriptor, buffer or stride not word-aligned where required */
#define ACCEL_ERR_UNMAPPED  (int)EDGEVP_ACCEL_ERR_UNMAPPED /* a buffer or the descriptor not wholly inside one mapped target */
#define ACCEL_ERR_SHAPE     (int)EDGEVP_ACCEL_ERR_SHAPE /* sizes or offsets beyond the hardware, zero sizes */
#define ACCEL_ERR_PRECISION (int)EDGEVP_ACCEL_ERR_PRECISION /* a bit width the kind does not support */
#define ACCEL_ERR_BUSY      (int)EDGEVP_ACCEL_ERR_BUSY /* START while a job runs */
#define ACCEL_ERR_DMA       (int)EDGEVP_ACCEL_ERR_DMA /* a DMA transfer got an error response (ERR_ADDR: its address) */
#define ACCEL_ERR_PARAM     (int)EDGEVP_ACCEL_ERR_PARAM /* any other malformed field */
#define ACCEL_ERR_CHAIN     (int)EDGEVP_ACCEL_ERR_CHAIN /* more than 65536 chained descriptors, 2^33 MACs or 2^22 DMA blocks of 64 bytes */
#define ACCEL_ERR_EVENT     (int)EDGEVP_ACCEL_ERR_EVENT /* a malformed event stream (ERR_ADDR: the word) */
#define ACCEL_ERR_OVERFLOW  (int)EDGEVP_ACCEL_ERR_OVERFLOW /* an output buffer too small for the job */
#define ACCEL_ERR_PROGRAM   (int)EDGEVP_ACCEL_ERR_PROGRAM /* a program fault (TTA, CGRA: FAULT_PC, FAULT_CAUSE) */
#define ACCEL_ERR_TIMEOUT   (int)EDGEVP_ACCEL_ERR_TIMEOUT /* a program ran out of its cycle budget (TTA, CGRA: MAX_CYCLES) */
#define ACCEL_ERR_CONFIG    (int)EDGEVP_ACCEL_ERR_CONFIG /* a configuration refused before anything ran (CGRA: CONFIG_CAUSE, ERR_ADDR) */

/* Not a device code: what the waits return when the job did not end in time, or (accel_wait)
   when the device is idle without DONE (no job was started). */
#define ACCEL_WAIT_TIMEOUT (-1)
#define ACCEL_WAIT_IDLE    (-2)

/* One accelerator instance. Fill with accel_init(). The other fields are written by the
   waits and the interrupt handler: STATUS as it ended the last job, and with ERROR the
   ERR_DESC and ERR_ADDR registers read before DONE/ERROR were cleared. */
struct accel_dev {
    uintptr_t base;                /* register window */
    unsigned irq;                  /* intc source */
    unsigned domain;               /* PMU power domain, ACCEL_NO_DOMAIN if not known */
    const char *name;              /* instance name ("cim0"), "" if not known */
    uint32_t status;               /* STATUS that ended the last waited-for job */
    volatile uint32_t irq_status;  /* STATUS seen by the interrupt handler (0: none yet) */
    volatile uint32_t err_desc;    /* ERR_DESC of the last failed job */
    volatile uint32_t err_addr;    /* ERR_ADDR of the last failed job */
};

#define ACCEL_NO_DOMAIN 0xFFFFFFFFu

/* A device at an explicit window: no domain, no name. */
void accel_init(struct accel_dev *dev, uintptr_t base, unsigned irq);

/* --- the memory map's instances ------------------------------------------------------------- */

/* One entry of EDGEVP_ACCEL_INSTANCES. */
struct accel_instance {
    uintptr_t base;
    unsigned irq;
    unsigned domain; /* EDGEVP_DOMAIN_<NAME> */
    const char *name;
};

/* EDGEVP_ACCEL_COUNT: the instances of the memory map the firmware was built for (the
   simulator's configuration may leave some out: accel_probe() tells). */
unsigned accel_count(void);

/* Instance i (index order), or NULL when i >= accel_count(). */
const struct accel_instance *accel_instance(unsigned i);

/* accel_init() with instance i's base, irq, domain and name. False (dev untouched) when
   i >= accel_count(). */
bool accel_init_instance(struct accel_dev *dev, unsigned i);

/* The instance, skipping `skip` earlier matches, whose ID has the magic and the kind of `id`
   (ACCEL_ID_KIND; the version is ignored): the instances are probed in index order with
   accel_probe(), so absent windows are passed over. On success dev is initialised for it,
   *id_out (if not NULL) holds its ID register and the index is returned; else -1 (dev is then
   left initialised for the last instance tried). */
int accel_find(uint32_t id, unsigned skip, struct accel_dev *dev, uint32_t *id_out);

/* Raw register access (offset into the window). */
uint32_t accel_read(const struct accel_dev *dev, uint32_t offset);
void accel_write(const struct accel_dev *dev, uint32_t offset, uint32_t value);

/* Is there an accelerator at dev->base? Reads ID with a temporary exception hook, so an
   unmapped (or powered-off) window is reported as false instead of a fatal access fault.
   On true, *id (if not NULL) holds the ID register. */
bool accel_probe(const struct accel_dev *dev, uint32_t *id);

uint32_t accel_id(const struct accel_dev *dev);
unsigned accel_kind(const struct accel_dev *dev); /* ACCEL_ID_KIND(ID) */

/* Start the descriptor chain at `desc` (4-byte aligned, in memory the accelerator's DMA can
   reach). Clears DONE/ERROR first and orders all earlier memory writes before START. With
   `irq`, CTRL.IRQ_EN is set together with START (accel_irq_attach() must have run), else it
   is cleared. */
void accel_start(struct accel_dev *dev, const void *desc, bool irq);

uint32_t accel_status(const struct accel_dev *dev);
bool accel_busy(const struct accel_dev *dev);

/* Poll STATUS until BUSY is clear (timeout_us of mtime, 0 = no limit). Returns the job's
   ACCEL_ERR_* code (0: DONE without ERROR), ACCEL_WAIT_TIMEOUT, or ACCEL_WAIT_IDLE. */
int accel_wait(struct accel_dev *dev, uint32_t timeout_us);

/* Interrupts: register the device's intc handler, enable its intc source and mie.MEIE.
   The handler records STATUS in dev->irq_status and clears DONE/ERROR (lowering the line).
   Several devices may be attached at once (one per intc source). */
void accel_irq_attach(struct accel_dev *dev);
void accel_irq_detach(struct accel_dev *dev);

/* Sleep in WFI until the handler saw DONE or ERROR for the job started with
   accel_start(dev, desc, true). mstatus.MIE is enabled while sleeping and restored on return.
   Returns the job's ACCEL_ERR_* code. Waiting for several devices: start them all, then wait
   for each in turn. (No timeout: a device that never interrupts leaves the CPU in WFI, which
   the simulator reports as a deadlock.) */
int accel_wait_irq(struct accel_dev *dev);

/* Start and wait (polling or interrupt). */
int accel_run(struct accel_dev *dev, const void *desc, bool irq);

/* Write 1 to clear DONE and ERROR. */
void accel_clear(const struct accel_dev *dev);

uint32_t accel_err_code(const struct accel_dev *dev); /* STATUS.ERR_CODE now */
uint32_t accel_err_desc(const struct accel_dev *dev);
uint32_t accel_err_addr(const struct accel_dev *dev);
uint32_t accel_jobs(const struct accel_dev *dev);
uint64_t accel_cycles(const struct accel_dev *dev);   /* LO first: it latches HI */
uint64_t accel_ops(const struct accel_dev *dev);

/* Soft reset: control registers and counters to reset (the kind keeps e.g. its weights). A
   running job is abandoned. */
void accel_reset(const struct accel_dev *dev);

/* "NONE", "OPCODE", ... "CHAIN", "EVENT", "OVERFLOW", "PROGRAM", "TIMEOUT" (the device's
   ACCEL_ERR_TIMEOUT), "CONFIG", "WAIT_TIMEOUT" (ACCEL_WAIT_TIMEOUT), "IDLE", or "?" for an
   unknown code. */
const char *accel_err_name(int code);

/* Switch an instance's power domain (EDGEVP_DOMAIN_<NAME>) on or off through the PMU.
   Returns 0, or -1 if the PMU refuses the domain. While off, every register access faults. */
int accel_power(uint32_t domain, bool on);

#endif

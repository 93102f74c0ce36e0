/* Generic accelerator driver (docs/accelerators.md). */
#include "edgevp/accel.h"

#include <stddef.h>
#include <stdint.h>

#include "edgevp/intc.h"
#include "edgevp/irq.h"
#include "edgevp/memmap.h"
#include "edgevp/mmio.h"
#include "edgevp/pmu.h"
#include "edgevp/timer.h"

/* Orders normal memory accesses (descriptors, buffers) against the device's DMA: the
   compiler may not move them across, and the core completes them first (fence rw,rw). */
static inline void accel_fence(void)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
}

void accel_init(struct accel_dev *dev, uintptr_t base, unsigned irq)
{
    dev->base = base;
    dev->irq = irq;
    dev->domain = ACCEL_NO_DOMAIN;
    dev->name = "";
    dev->status = 0;
    dev->irq_status = 0;
    dev->err_desc = 0;
    dev->err_addr = 0;
}

uint32_t accel_read(const struct accel_dev *dev, uint32_t offset)
{
    return mmio_read32(dev->base + offset);
}

void accel_write(const struct accel_dev *dev, uint32_t offset, uint32_t value)
{
    mmio_write32(dev->base + offset, value);
}

/* --- the memory map's instances ------------------------------------------------------------- */

#ifdef EDGEVP_ACCEL_INSTANCES
static const struct accel_instance instances[] = EDGEVP_ACCEL_INSTANCES;
static const unsigned n_instances = sizeof instances / sizeof instances[0];
_Static_assert(sizeof instances / sizeof instances[0] == EDGEVP_ACCEL_COUNT,
               "EDGEVP_ACCEL_INSTANCES and EDGEVP_ACCEL_COUNT disagree");
#else
/* No accelerator in the memory map: the generator leaves the initializer out. */
static const struct accel_instance *const instances = NULL;
static const unsigned n_instances = 0;
#endif

unsigned accel_count(void)
{
    return n_instances;
}

const struct accel_instance *accel_instance(unsigned i)
{
    return i < n_instances ? &instances[i] : NULL;
}

bool accel_init_instance(struct accel_dev *dev, unsigned i)
{
    const struct accel_instance *in = accel_instance(i);
    if (in == NULL) {
        return false;
    }
    accel_init(dev, in->base, in->irq);
    dev->domain = in->domain;
    dev->name = in->name;
    return true;
}

/* --- probing -------------------------------------------------------------------------------- */

static volatile uint32_t probe_faults;

static bool probe_hook(struct trap_frame *frame)
{
    if (frame->mcause != EXC_LOAD_ACCESS) {
        return false;
    }
    probe_faults++;
    frame->mepc += irq_insn_length(frame->mepc);
    return true;
}

bool accel_probe(const struct accel_dev *dev, uint32_t *id)
{
    probe_faults = 0;
    irq_exception_hook_t previous = irq_set_exception_hook(probe_hook);
    uint32_t value = mmio_read32(dev->base + ACCEL_ID);
    irq_set_exception_hook(previous);
    if (probe_faults != 0) {
        return false;
    }
    if (id != NULL) {
        *id = value;
    }
    return true;
}

int accel_find(uint32_t id, unsigned skip, struct accel_dev *dev, uint32_t *id_out)
{
    for (unsigned i = 0; i < n_instances; ++i) {
        uint32_t found = 0;
        accel_init_instance(dev, i);
        if (!accel_probe(dev, &found) || !ACCEL_ID_IS_ACCEL(found) ||
            ACCEL_ID_KIND(found) != ACCEL_ID_KIND(id)) {
            continue;
        }
        if (skip > 0) {
            --skip;
            continue;
        }
        if (id_out != NULL) {
            *id_out = found;
        }
        return (int)i;
    }
    return -1;
}

uint32_t accel_id(const struct accel_dev *dev)
{
    return accel_read(dev, ACCEL_ID);
}

unsigned accel_kind(const struct accel_dev *dev)
{
    return ACCEL_ID_KIND(accel_id(dev));
}

/* Keep the error report of a job that ended with ERROR (before DONE/ERROR are cleared). */
static void capture_error(struct accel_dev *dev, uint32_t status)
{
    if (status & ACCEL_STATUS_ERROR) {
        dev->err_desc = accel_read(dev, ACCEL_ERR_DESC);
        dev->err_addr = accel_read(dev, ACCEL_ERR_ADDR);
    }
}

/* --- jobs ----------------------------------------------------------------------------------- */

void accel_clear(const struct accel_dev *dev)
{
    accel_write(dev, ACCEL_STATUS, ACCEL_STATUS_DONE | ACCEL_STATUS_ERROR);
}

void accel_start(struct accel_dev *dev, const void *desc, bool irq)
{
    accel_clear(dev);
    dev->status = 0;
    dev->irq_status = 0;
    dev->err_desc = 0;
    dev->err_addr = 0;
    accel_write(dev, ACCEL_DESC, (uint32_t)(uintptr_t)desc);
    accel_fence();
    accel_write(dev, ACCEL_CTRL, ACCEL_CTRL_START | (irq ? ACCEL_CTRL_IRQ_EN : 0u));
}

uint32_t accel_status(const struct accel_dev *dev)
{
    return accel_read(dev, ACCEL_STATUS);
}

bool accel_busy(const struct accel_dev *dev)
{
    return (accel_status(dev) & ACCEL_STATUS_BUSY) != 0;
}

static int status_code(uint32_t status)
{
    if (status & ACCEL_STATUS_ERROR) {
        return (int)ACCEL_STATUS_ERR_CODE(status);
    }
    return (status & ACCEL_STATUS_DONE) ? ACCEL_ERR_NONE : ACCEL_WAIT_IDLE;
}

int accel_wait(struct accel_dev *dev, uint32_t timeout_us)
{
    uint64_t deadline = timeout_us ? timer_now() + timer_us_to_ticks(timeout_us) : 0;
    uint32_t status;
    while ((status = accel_status(dev)) & ACCEL_STATUS_BUSY) {
        if (deadline != 0 && timer_now() >= deadline) {
            dev->status = status;
            return ACCEL_WAIT_TIMEOUT;
        }
    }
    accel_fence();
    dev->status = status;
    capture_error(dev, status);
    if (status & (ACCEL_STATUS_DONE | ACCEL_STATUS_ERROR)) {
        accel_clear(dev);
    }
    return status_code(status);
}

/* --- interrupts ----------------------------------------------------------------------------- */

static struct accel_dev *irq_devices[INTC_NUM_SOURCES];

static void accel_irq_handler(unsigned source)
{
    struct accel_dev *dev = source < INTC_NUM_SOURCES ? irq_devices[source] : NULL;
    if (dev == NULL) {
        return;
    }
    uint32_t status = accel_status(dev);
    if (status & (ACCEL_STATUS_DONE | ACCEL_STATUS_ERROR)) {
        /* Clear (the line is a level), then publish. */
        capture_error(dev, status);
        accel_clear(dev);
        dev->irq_status = status;
    }
}

void accel_irq_attach(struct accel_dev *dev)
{
    if (dev->irq == 0 || dev->irq >= INTC_NUM_SOURCES) {
        return;
    }
    irq_devices[dev->irq] = dev;
    irq_register_source(dev->irq, accel_irq_handler);
    intc_enable(dev->irq);
    irq_mie_enable(MIE_MEIE);
}

void accel_irq_detach(struct accel_dev *dev)
{
    if (dev->irq == 0 || dev->irq >= INTC_NUM_SOURCES) {
        return;
    }
    accel_write(dev, ACCEL_CTRL, 0u); /* IRQ_EN off; START and RESET are write-1 */
    intc_disable(dev->irq);
    irq_register_source(dev->irq, NULL);
    irq_devices[dev->irq] = NULL;
}

int accel_wait_irq(struct accel_dev *dev)
{
    /* Race-free: test with MIE = 0; WFI wakes on the pending interrupt, which is taken once
       MIE is set again. */
    uint32_t saved = irq_disable();
    while (dev->irq_status == 0) {
        irq_wait();
        irq_enable();
        irq_disable();
    }
    irq_restore(saved);
    accel_fence();
    dev->status = dev->irq_status;
    return status_code(dev->status);
}

int accel_run(struct accel_dev *dev, const void *desc, bool irq)
{
    accel_start(dev, desc, irq);
    return irq ? accel_wait_irq(dev) : accel_wait(dev, 0);
}

/* --- registers ------------------------------------------------------------------------------ */

uint32_t accel_err_code(const struct accel_dev *dev)
{
    return ACCEL_STATUS_ERR_CODE(accel_status(dev));
}

uint32_t accel_err_desc(const struct accel_dev *dev)
{
    return accel_read(dev, ACCEL_ERR_DESC);
}

uint32_t accel_err_addr(const struct accel_dev *dev)
{
    return accel_read(dev, ACCEL_ERR_ADDR);
}

uint32_t accel_jobs(const struct accel_dev *dev)
{
    return accel_read(dev, ACCEL_JOBS);
}

static uint64_t read64(const struct accel_dev *dev, uint32_t lo_offset)
{
    uint32_t lo = accel_read(dev, lo_offset); /* latches HI */
    uint32_t hi = accel_read(dev, lo_offset + 4u);
    return ((uint64_t)hi << 32) | lo;
}

uint64_t accel_cycles(const struct accel_dev *dev)
{
    return read64(dev, ACCEL_CYCLES_LO);
}

uint64_t accel_ops(const struct accel_dev *dev)
{
    return read64(dev, ACCEL_OPS_LO);
}

void accel_reset(const struct accel_dev *dev)
{
    accel_write(dev, ACCEL_CTRL, ACCEL_CTRL_RESET);
}

const char *accel_err_name(int code)
{
    static const char *const names[] = {"NONE", "OPCODE", "ALIGN", "UNMAPPED", "SHAPE",
                                        "PRECISION", "BUSY", "DMA", "PARAM", "CHAIN",
                                        "EVENT", "OVERFLOW", "PROGRAM", "TIMEOUT", "CONFIG"};
    _Static_assert(sizeof names / sizeof names[0] == (unsigned)ACCEL_ERR_CONFIG + 1u,
                   "a name for every ACCEL_ERR_* code");
    if (code == ACCEL_WAIT_TIMEOUT) {
        return "WAIT_TIMEOUT";
    }
    if (code == ACCEL_WAIT_IDLE) {
        return "IDLE";
    }
    if (code >= 0 && (unsigned)code < sizeof names / sizeof names[0]) {
        return names[code];
    }
    return "?";
}

int accel_power(uint32_t domain, bool on)
{
    return pmu_set_domain_state(domain, on ? PMU_STATE_ON : PMU_STATE_OFF);
}

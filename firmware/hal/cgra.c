/* Coarse-grained reconfigurable array: descriptors, chains, registers and error reporting
   (docs/models/cgra.md, edgevp/cgra.h). */
#include "edgevp/cgra.h"

#include <stddef.h>
#include <stdint.h>

bool cgra_is_cgra(uint32_t id)
{
    return ACCEL_ID_IS_ACCEL(id) && ACCEL_ID_KIND(id) == CGRA_KIND;
}

void cgra_get_info(const struct accel_dev *dev, struct cgra_info *info)
{
    info->id = accel_read(dev, ACCEL_ID);
    info->units = accel_read(dev, CGRA_UNITS);
    info->decoders = accel_read(dev, CGRA_DECODERS);
    info->imem_insns = accel_read(dev, CGRA_IMEM_INSNS);
    info->mem_bytes = accel_read(dev, CGRA_MEM_BYTES);
    info->banks = accel_read(dev, CGRA_BANKS);
}

int cgra_find(unsigned skip, struct accel_dev *dev, struct cgra_info *info)
{
    const int idx = accel_find(CGRA_ID, skip, dev, NULL);
    if (idx >= 0 && info != NULL) {
        cgra_get_info(dev, info);
    }
    return idx;
}

int cgra_check_kernel(const struct accel_dev *dev, const struct cgra_kernel *k)
{
    const uint32_t *w = k->image;
    if (w == NULL || ((uintptr_t)w & 3u) != 0u || k->bytes % 4u != 0u ||
        k->bytes < 4u * (CGRA_IMAGE_HEADER_WORDS + 1u) || w[0] != CGRA_IMAGE_MAGIC || w[1] != CGRA_IMAGE_VERSION ||
        w[2] != k->bytes) {
        return CGRA_ERR_IMAGE_FORMAT;
    }
    if (w[3] != k->units || k->units != accel_read(dev, CGRA_UNITS)) {
        return CGRA_ERR_IMAGE_UNITS;
    }
    return 0;
}

/* --- descriptors ---------------------------------------------------------------------------- */

void cgra_config_image_desc(cgra_config_desc_t *d, const void *image, uint32_t bytes, uint32_t flags)
{
    d->op = ACCEL_DESC_WORD0(CGRA_OP_CONFIG, flags);
    d->next = 0;
    d->image = (uint32_t)(uintptr_t)image;
    d->bytes = bytes;
    d->reserved[0] = 0;
    d->reserved[1] = 0;
}

void cgra_config_desc(cgra_config_desc_t *d, const struct cgra_kernel *k, uint32_t flags)
{
    cgra_config_image_desc(d, k->image, k->bytes, flags);
}

void cgra_copy_desc(cgra_copy_desc_t *d, uint32_t flags, const void *soc, uint32_t local, uint32_t bytes)
{
    d->op = ACCEL_DESC_WORD0(CGRA_OP_COPY, flags);
    d->next = 0;
    d->soc = (uint32_t)(uintptr_t)soc;
    d->local = local;
    d->bytes = bytes;
    d->reserved = 0;
}

void cgra_run_desc(cgra_run_desc_t *d, uint32_t groups)
{
    d->op = ACCEL_DESC_WORD0(CGRA_OP_RUN, 0u);
    d->next = 0;
    d->groups = groups;
    d->reserved[0] = 0;
    d->reserved[1] = 0;
    d->reserved[2] = 0;
}

void cgra_link(void *d, const void *next)
{
    ((uint32_t *)d)[1] = (uint32_t)(uintptr_t)next;
}

/* --- chains --------------------------------------------------------------------------------- */

void cgra_chain_init(struct cgra_chain *c, cgra_desc_t *storage, unsigned capacity)
{
    c->desc = storage;
    c->capacity = capacity;
    c->count = 0;
    c->overflow = false;
}

/* The next descriptor of the chain, linked after the last one; NULL when full. */
static cgra_desc_t *chain_add(struct cgra_chain *c)
{
    if (c->count >= c->capacity) {
        c->overflow = true;
        return NULL;
    }
    cgra_desc_t *d = &c->desc[c->count];
    if (c->count > 0u) {
        cgra_link(&c->desc[c->count - 1u], d);
    }
    c->count++;
    return d;
}

cgra_config_desc_t *cgra_chain_config_image(struct cgra_chain *c, const void *image, uint32_t bytes,
                                            uint32_t flags)
{
    cgra_desc_t *d = chain_add(c);
    if (d != NULL) {
        cgra_config_image_desc(&d->config, image, bytes, flags);
    }
    return d != NULL ? &d->config : NULL;
}

cgra_config_desc_t *cgra_chain_config(struct cgra_chain *c, const struct cgra_kernel *k, uint32_t flags)
{
    return cgra_chain_config_image(c, k->image, k->bytes, flags);
}

cgra_copy_desc_t *cgra_chain_copy(struct cgra_chain *c, uint32_t flags, const void *soc, uint32_t local,
                                  uint32_t bytes)
{
    cgra_desc_t *d = chain_add(c);
    if (d != NULL) {
        cgra_copy_desc(&d->copy, flags, soc, local, bytes);
    }
    return d != NULL ? &d->copy : NULL;
}

cgra_run_desc_t *cgra_chain_run(struct cgra_chain *c, uint32_t groups)
{
    cgra_desc_t *d = chain_add(c);
    if (d != NULL) {
        cgra_run_desc(&d->run, groups);
    }
    return d != NULL ? &d->run : NULL;
}

int cgra_chain_start(struct accel_dev *dev, const struct cgra_chain *c, bool irq)
{
    if (c->count == 0u || c->overflow) {
        return CGRA_ERR_CHAIN_STORAGE;
    }
    accel_start(dev, c->desc, irq);
    return 0;
}

int cgra_chain_exec(struct accel_dev *dev, const struct cgra_chain *c, bool irq)
{
    const int rc = cgra_chain_start(dev, c, irq);
    if (rc != 0) {
        return rc;
    }
    return irq ? accel_wait_irq(dev) : accel_wait(dev, 0);
}

/* --- one descriptor, started and waited for ------------------------------------------------- */

/* The descriptor of the synchronous calls: one at a time (each call waits for its job). */
static cgra_desc_t one;

int cgra_config(struct accel_dev *dev, const struct cgra_kernel *k, uint32_t flags, bool irq)
{
    const int rc = cgra_check_kernel(dev, k);
    if (rc != 0) {
        return rc;
    }
    cgra_config_desc(&one.config, k, flags);
    return accel_run(dev, &one, irq);
}

int cgra_copy(struct accel_dev *dev, uint32_t flags, const void *soc, uint32_t local, uint32_t bytes, bool irq)
{
    cgra_copy_desc(&one.copy, flags, soc, local, bytes);
    return accel_run(dev, &one, irq);
}

int cgra_run(struct accel_dev *dev, uint32_t groups, bool irq)
{
    cgra_run_desc(&one.run, groups);
    return accel_run(dev, &one, irq);
}

/* --- registers ------------------------------------------------------------------------------ */

void cgra_set_max_cycles(const struct accel_dev *dev, uint32_t cycles)
{
    accel_write(dev, CGRA_MAX_CYCLES, cycles);
}

uint32_t cgra_max_cycles(const struct accel_dev *dev)
{
    return accel_read(dev, CGRA_MAX_CYCLES);
}

uint32_t cgra_fault_pc(const struct accel_dev *dev)
{
    return accel_read(dev, CGRA_FAULT_PC);
}

uint32_t cgra_fault_cause(const struct accel_dev *dev)
{
    return accel_read(dev, CGRA_FAULT_CAUSE);
}

uint32_t cgra_fault_unit(const struct accel_dev *dev)
{
    return accel_read(dev, CGRA_FAULT_UNIT);
}

uint32_t cgra_config_cause(const struct accel_dev *dev)
{
    return accel_read(dev, CGRA_CONFIG_CAUSE);
}

uint32_t cgra_run_cycles(const struct accel_dev *dev)
{
    return accel_read(dev, CGRA_RUN_CYCLES);
}

uint32_t cgra_stalls(const struct accel_dev *dev)
{
    return accel_read(dev, CGRA_STALLS);
}

uint32_t cgra_config_bits(const struct accel_dev *dev)
{
    return accel_read(dev, CGRA_CONFIG_BITS);
}

void cgra_get_error(const struct accel_dev *dev, int code, struct cgra_error *e)
{
    e->code = code;
    e->err_desc = code > 0 ? dev->err_desc : 0u;
    e->err_addr = code > 0 ? dev->err_addr : 0u;
    e->config_cause = code == ACCEL_ERR_CONFIG ? cgra_config_cause(dev) : 0u;
    e->fault_pc = code == ACCEL_ERR_PROGRAM || code == ACCEL_ERR_TIMEOUT ? cgra_fault_pc(dev) : 0u;
    e->fault_cause = code == ACCEL_ERR_PROGRAM ? cgra_fault_cause(dev) : 0u;
    /* A run refused (CONFIG, cause RUN) names its unit too (255: none). */
    e->fault_unit = code == ACCEL_ERR_PROGRAM || e->config_cause == CGRA_CONFIG_RUN ? cgra_fault_unit(dev) : 0u;
}

const char *cgra_config_cause_name(uint32_t cause)
{
    switch (cause) {
    case CGRA_CONFIG_NONE: return "NONE";
    case CGRA_CONFIG_FORMAT: return "FORMAT";
    case CGRA_CONFIG_UNIT: return "UNIT";
    case CGRA_CONFIG_ROUTE: return "ROUTE";
    case CGRA_CONFIG_BINDING: return "BINDING";
    case CGRA_CONFIG_GROUP: return "GROUP";
    case CGRA_CONFIG_PROGRAM: return "PROGRAM";
    case CGRA_CONFIG_BUSY: return "BUSY";
    case CGRA_CONFIG_RUN: return "RUN";
    default: return "?";
    }
}

const char *cgra_fault_name(uint32_t cause)
{
    switch (cause) {
    case CGRA_CAUSE_NONE: return "NONE";
    case CGRA_CAUSE_MEMORY: return "MEMORY";
    case CGRA_CAUSE_PC: return "PC";
    case CGRA_CAUSE_LOOP: return "LOOP";
    case CGRA_CAUSE_OPCODE: return "OPCODE";
    default: return "?";
    }
}

const char *cgra_err_name(int code)
{
    switch (code) {
    case CGRA_ERR_IMAGE_FORMAT: return "IMAGE_FORMAT";
    case CGRA_ERR_IMAGE_UNITS: return "IMAGE_UNITS";
    case CGRA_ERR_CHAIN_STORAGE: return "CHAIN_STORAGE";
    default: return accel_err_name(code);
    }
}

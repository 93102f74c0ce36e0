/* Transport-triggered accelerator: descriptors, registers, and the FC layers' weight layout and
   CPU reference (docs/models/tta.md, edgevp/tta.h). */
#include "edgevp/tta.h"

#include <stddef.h>
#include <stdint.h>

bool tta_is_tta(uint32_t id)
{
    return ACCEL_ID_IS_ACCEL(id) && ACCEL_ID_KIND(id) == TTA_KIND;
}

void tta_get_info(const struct accel_dev *dev, struct tta_info *info)
{
    info->id = accel_read(dev, ACCEL_ID);
    info->imem_insns = accel_read(dev, TTA_IMEM_INSNS);
    info->insn_bytes = accel_read(dev, TTA_INSN_BYTES);
    info->dmem_bytes = accel_read(dev, TTA_DMEM_BYTES);
    info->pmem_bytes = accel_read(dev, TTA_PMEM_BYTES);
}

int tta_find(unsigned skip, struct accel_dev *dev, struct tta_info *info)
{
    const int idx = accel_find(TTA_ID, skip, dev, NULL);
    if (idx >= 0 && info != NULL) {
        tta_get_info(dev, info);
    }
    return idx;
}

int tta_check_program(const struct accel_dev *dev, const struct tta_program *prog, uint32_t first)
{
    if (accel_read(dev, TTA_INSN_BYTES) != 8u * prog->buses) {
        return TTA_ERR_IMAGE_BUSES;
    }
    const uint32_t imem = accel_read(dev, TTA_IMEM_INSNS);
    if (prog->insns == 0u || first > imem || prog->insns > imem - first) {
        return TTA_ERR_IMAGE_SIZE;
    }
    return 0;
}

/* --- descriptors ---------------------------------------------------------------------------- */

void tta_program_desc(tta_program_desc_t *d, const struct tta_program *prog, uint32_t first)
{
    d->op = ACCEL_DESC_WORD0(TTA_OP_PROGRAM, 0u);
    d->next = 0;
    d->src = (uint32_t)(uintptr_t)prog->image;
    d->first = first;
    d->count = prog->insns;
    d->reserved = 0;
}

void tta_copy_desc(tta_copy_desc_t *d, uint32_t flags, const void *soc, uint32_t local, uint32_t bytes)
{
    d->op = ACCEL_DESC_WORD0(TTA_OP_COPY, flags);
    d->next = 0;
    d->soc = (uint32_t)(uintptr_t)soc;
    d->local = local;
    d->bytes = bytes;
    d->reserved = 0;
}

void tta_run_desc(tta_run_desc_t *d, uint32_t entry, const void *args, uint32_t args_bytes, uint32_t args_dst)
{
    d->op = ACCEL_DESC_WORD0(TTA_OP_RUN, 0u);
    d->next = 0;
    d->entry = entry;
    d->args = args != NULL && args_bytes != 0u ? (uint32_t)(uintptr_t)args : 0u;
    d->args_bytes = args != NULL ? args_bytes : 0u;
    d->args_dst = args != NULL && args_bytes != 0u ? args_dst : 0u;
}

void tta_link(void *d, const void *next)
{
    ((uint32_t *)d)[1] = (uint32_t)(uintptr_t)next;
}

/* --- one descriptor, started and waited for ------------------------------------------------- */

/* The descriptor of the synchronous calls: one at a time (each call waits for its job). */
static union {
    tta_program_desc_t program;
    tta_copy_desc_t copy;
    tta_run_desc_t run;
} one;

int tta_load(struct accel_dev *dev, const struct tta_program *prog, uint32_t first, bool irq)
{
    const int rc = tta_check_program(dev, prog, first);
    if (rc != 0) {
        return rc;
    }
    tta_program_desc(&one.program, prog, first);
    return accel_run(dev, &one.program, irq);
}

int tta_copy(struct accel_dev *dev, uint32_t flags, const void *soc, uint32_t local, uint32_t bytes, bool irq)
{
    tta_copy_desc(&one.copy, flags, soc, local, bytes);
    return accel_run(dev, &one.copy, irq);
}

int tta_run(struct accel_dev *dev, uint32_t entry, const void *args, uint32_t args_bytes, uint32_t args_dst,
            bool irq)
{
    tta_run_desc(&one.run, entry, args, args_bytes, args_dst);
    return accel_run(dev, &one.run, irq);
}

/* --- registers ------------------------------------------------------------------------------ */

void tta_set_max_cycles(const struct accel_dev *dev, uint32_t cycles)
{
    accel_write(dev, TTA_MAX_CYCLES, cycles);
}

uint32_t tta_max_cycles(const struct accel_dev *dev)
{
    return accel_read(dev, TTA_MAX_CYCLES);
}

uint32_t tta_fault_pc(const struct accel_dev *dev)
{
    return accel_read(dev, TTA_FAULT_PC);
}

uint32_t tta_fault_cause(const struct accel_dev *dev)
{
    return accel_read(dev, TTA_FAULT_CAUSE);
}

uint32_t tta_result(const struct accel_dev *dev)
{
    return accel_read(dev, TTA_RESULT);
}

uint32_t tta_run_cycles(const struct accel_dev *dev)
{
    return accel_read(dev, TTA_RUN_CYCLES);
}

static uint64_t read64(const struct accel_dev *dev, uint32_t lo_offset, uint32_t hi_offset)
{
    const uint32_t lo = accel_read(dev, lo_offset); /* latches HI */
    return ((uint64_t)accel_read(dev, hi_offset) << 32) | lo;
}

uint64_t tta_insns(const struct accel_dev *dev)
{
    return read64(dev, TTA_INSNS_LO, TTA_INSNS_HI);
}

uint64_t tta_moves(const struct accel_dev *dev)
{
    return read64(dev, TTA_MOVES_LO, TTA_MOVES_HI);
}

const char *tta_fault_name(uint32_t cause)
{
    switch (cause) {
    case TTA_CAUSE_NONE: return "NONE";
    case TTA_CAUSE_INSN: return "INSN";
    case TTA_CAUSE_UNCONNECTED: return "UNCONNECTED";
    case TTA_CAUSE_CONFLICT: return "CONFLICT";
    case TTA_CAUSE_RF_PORTS: return "RF_PORTS";
    case TTA_CAUSE_MEMORY: return "MEMORY";
    case TTA_CAUSE_PC: return "PC";
    case TTA_CAUSE_CONTROL: return "CONTROL";
    case TTA_CAUSE_IMMEDIATE: return "IMMEDIATE";
    default: return "?";
    }
}

const char *tta_err_name(int code)
{
    if (code == TTA_ERR_IMAGE_BUSES) {
        return "IMAGE_BUSES";
    }
    if (code == TTA_ERR_IMAGE_SIZE) {
        return "IMAGE_SIZE";
    }
    return accel_err_name(code);
}

/* --- FC layers on the vector MAC unit ------------------------------------------------------- */

/* Step k's word of n values (inputs or one output's weights), padded with 0 codes. */
static uint32_t pack_step(unsigned type, const int8_t *v, uint32_t n, uint32_t k)
{
    const uint32_t e = tta_fc_per_word(type), i0 = k * e;
    const uint32_t m = i0 >= n ? 0u : n - i0 < e ? n - i0 : e;
    uint32_t w = 0;
    v += i0;
    if (type == TTA_FC_INT8) {
        if (m == 4u) {
            return (uint32_t)(uint8_t)v[0] | (uint32_t)(uint8_t)v[1] << 8 | (uint32_t)(uint8_t)v[2] << 16 |
                   (uint32_t)(uint8_t)v[3] << 24;
        }
        for (uint32_t j = 0; j < m; ++j) w |= (uint32_t)(uint8_t)v[j] << (8u * j);
    } else if (type == TTA_FC_TERNARY) {
        for (uint32_t j = 0; j < m; ++j) w |= (v[j] > 0 ? 1u : v[j] < 0 ? 3u : 0u) << (2u * j);
    } else {
        for (uint32_t j = 0; j < m; ++j) w |= (v[j] > 0 ? 1u : 0u) << j;
    }
    return w;
}

void tta_fc_pack_word(const struct tta_fc *l, uint32_t index, uint32_t lanes[TTA_FC_LANES])
{
    const uint32_t k = tta_fc_steps(l->type, l->n_in);
    const uint32_t tile = index / (k + 1u), j = index % (k + 1u);
    /* Binary: the padded inputs' bits (0 in input and weights: +1 each) come off the bias. */
    const int32_t pad = l->type == TTA_FC_BINARY ? (int32_t)(k * 32u - l->n_in) : 0;
    for (uint32_t i = 0; i < TTA_FC_LANES; ++i) {
        const uint32_t o = tile * TTA_FC_LANES + i;
        if (o >= l->n_out) {
            lanes[i] = j == 0u && l->type == TTA_FC_BINARY ? (uint32_t)INT32_C(-1073741824) : 0u;
        } else if (j == 0u) {
            lanes[i] = (uint32_t)((l->b != NULL ? l->b[o] : 0) - pad);
        } else {
            lanes[i] = pack_step(l->type, l->w + (size_t)o * l->n_in, l->n_in, j - 1u);
        }
    }
}

int tta_fc_load(struct accel_dev *dev, const struct tta_fc *l, uint32_t base, uint32_t *staging,
                uint32_t staging_words, bool irq)
{
    const uint32_t words = tta_fc_words(l);
    for (uint32_t done = 0; done < words;) {
        const uint32_t n = words - done < staging_words ? words - done : staging_words;
        for (uint32_t i = 0; i < n; ++i) tta_fc_pack_word(l, done + i, staging + i * TTA_FC_LANES);
        const int rc = tta_copy(dev, TTA_COPY_PMEM, staging, (base + done) * TTA_WORD_BYTES, n * TTA_WORD_BYTES, irq);
        if (rc != ACCEL_ERR_NONE) {
            return rc;
        }
        done += n;
    }
    return ACCEL_ERR_NONE;
}

void tta_fc_pack_input(unsigned type, const int8_t *x, uint32_t n, uint32_t *words)
{
    const uint32_t k = tta_fc_steps(type, n);
    for (uint32_t s = 0; s < k; ++s) words[s] = pack_step(type, x, n, s);
}

void tta_fc_ref(const struct tta_fc *l, const int8_t *x, int32_t *acc)
{
    const int8_t *w = l->w;
    for (uint32_t o = 0; o < l->n_out; ++o, w += l->n_in) {
        int32_t s = l->b != NULL ? l->b[o] : 0;
        for (uint32_t i = 0; i < l->n_in; ++i) s += (int32_t)x[i] * w[i];
        acc[o] = s;
    }
}

int8_t tta_req8(int32_t acc, int32_t scale, uint32_t shift, bool relu)
{
    shift &= 63u;
    int64_t p = (int64_t)acc * scale; /* |p| <= 2^62 */
    if (shift == 1u) {
        p = (p + 1) >> 1;
    } else if (shift > 1u) {
        /* (p + 2^(s-1)) >> s without the sum, which overflows at p = 2^62, s = 63: halving p first
           gives the same floor, since the halves differ by less than one step of 2^(s-1). */
        p = ((p >> 1) + ((int64_t)1 << (shift - 2u))) >> (shift - 1u);
    }
    const int64_t lo = relu ? 0 : -128;
    return (int8_t)(p < lo ? lo : p > 127 ? 127 : p);
}

void tta_fc_ref_req8(const int32_t *acc, uint32_t n_out, int32_t scale, uint32_t shift, bool relu, int8_t *out)
{
    const uint32_t n = tta_fc_tiles(n_out) * TTA_FC_LANES;
    for (uint32_t o = 0; o < n; ++o) out[o] = o < n_out ? tta_req8(acc[o], scale, shift, relu) : 0;
}

void tta_fc_ref_sign(const int32_t *acc, uint32_t n_out, int32_t threshold, uint32_t *out)
{
    const uint32_t tiles = tta_fc_tiles(n_out);
    for (uint32_t t = 0; t < tiles; ++t) out[t] = 0;
    for (uint32_t o = 0; o < n_out; ++o) out[o / 32u] |= (uint32_t)(acc[o] >= threshold) << (o % 32u);
}

void tta_fc_ref_tern(const int32_t *acc, uint32_t n_out, int32_t threshold, uint32_t *out)
{
    const uint32_t words = 2u * tta_fc_tiles(n_out);
    for (uint32_t t = 0; t < words; ++t) out[t] = 0;
    for (uint32_t o = 0; o < n_out; ++o) {
        const uint32_t code = acc[o] >= threshold ? 1u : (int64_t)acc[o] <= -(int64_t)threshold ? 3u : 0u;
        out[o / 16u] |= code << (2u * (o % 16u));
    }
}

/* CIM accelerator: descriptors, registers and the CPU reference (docs/models/cim.md). */
#include "edgevp/cim.h"

#include <stddef.h>
#include <stdint.h>

void cim_load_desc(cim_load_desc_t *d, const int8_t *src, uint32_t src_stride, unsigned row0,
                   unsigned rows, unsigned col0, unsigned cols, unsigned w_bits)
{
    d->op = ACCEL_DESC_WORD0(CIM_OP_LOAD, 0u);
    d->next = 0;
    d->src = (uint32_t)(uintptr_t)src;
    d->src_stride = src_stride;
    d->row0_rows = CIM_PACK16(row0, rows);
    d->col0_cols = CIM_PACK16(col0, cols);
    d->w_bits = w_bits;
    d->reserved = 0;
}

void cim_mvm_desc(cim_mvm_desc_t *d, const struct cim_mvm_args *a)
{
    d->op = ACCEL_DESC_WORD0(CIM_OP_MVM, a->flags);
    d->next = 0;
    d->in = (uint32_t)(uintptr_t)a->in;
    d->in_stride = a->in_stride;
    d->out = (uint32_t)(uintptr_t)a->out;
    d->out_stride = a->out_stride;
    d->row0_rows = CIM_PACK16(a->row0, a->rows);
    d->col0_cols = CIM_PACK16(a->col0, a->cols);
    d->batch = a->batch;
    d->in_bits = a->in_bits;
    d->bias = (uint32_t)(uintptr_t)a->bias;
    d->scale = a->scale;
    d->shift = a->shift;
    d->adc_shift = a->adc_shift;
    d->reserved[0] = 0;
    d->reserved[1] = 0;
}

/* --- device --------------------------------------------------------------------------------- */

bool cim_is_cim(uint32_t id)
{
    return ACCEL_ID_IS_ACCEL(id) &&
           (ACCEL_ID_KIND(id) == CIM_KIND_DIGITAL || ACCEL_ID_KIND(id) == CIM_KIND_ANALOG);
}

const char *cim_kind_name(uint32_t id)
{
    if (!cim_is_cim(id)) {
        return NULL;
    }
    return ACCEL_ID_KIND(id) == CIM_KIND_ANALOG ? "cim-analog" : "cim-digital";
}

void cim_read_info(const struct accel_dev *dev, struct cim_info *info)
{
    info->id = accel_id(dev);
    info->analog = ACCEL_ID_KIND(info->id) == CIM_KIND_ANALOG;
    info->rows = accel_read(dev, CIM_ROWS);
    info->cols = accel_read(dev, CIM_COLS);
    info->precisions = accel_read(dev, CIM_PRECISIONS);
    info->adc_bits = accel_read(dev, CIM_ADC_BITS);
    info->dac_bits = accel_read(dev, CIM_DAC_BITS);
    info->noise_sd = accel_read(dev, CIM_NOISE_SD);
    info->max_writes = accel_read(dev, CIM_MAX_WRITES);
}

uint32_t cim_noise_sd(const struct accel_dev *dev)
{
    return accel_read(dev, CIM_NOISE_SD);
}

uint32_t cim_max_writes(const struct accel_dev *dev)
{
    return accel_read(dev, CIM_MAX_WRITES);
}

bool cim_supports_in_bits(const struct cim_info *info, unsigned in_bits)
{
    return in_bits >= 1 && in_bits <= 32 && (info->precisions >> (in_bits - 1)) & 1u;
}

bool cim_supports_w_bits(const struct cim_info *info, unsigned w_bits)
{
    if (info->analog) {
        return w_bits >= 2 && w_bits <= 8;
    }
    return w_bits == 4 || w_bits == 8;
}

/* --- reference ------------------------------------------------------------------------------ */

int32_t cim_ref_weight(int8_t w, unsigned w_bits, bool analog)
{
    if (!analog) {
        return cim_sext((uint8_t)w, w_bits);
    }
    int32_t wmax = (int32_t)(1u << (w_bits - 1)) - 1;
    int32_t v = w;
    return v > wmax ? wmax : v < -wmax ? -wmax : v;
}

int64_t cim_ref_dot(const cim_load_desc_t *load, const cim_mvm_desc_t *mvm, bool analog,
                    uint32_t b, uint32_t c)
{
    const int8_t *src = (const int8_t *)(uintptr_t)load->src;
    const int8_t *x = (const int8_t *)(uintptr_t)mvm->in + b * mvm->in_stride;
    const uint32_t rows = CIM_HI16(mvm->row0_rows);
    const uint32_t row = CIM_LO16(mvm->row0_rows) - CIM_LO16(load->row0_rows);
    const uint32_t col = CIM_LO16(mvm->col0_cols) + c - CIM_LO16(load->col0_cols);
    const int8_t *w = src + col * load->src_stride + row;
    int64_t sum = 0;
    for (uint32_t r = 0; r < rows; ++r) {
        sum += (int64_t)cim_ref_input(x[r], mvm->in_bits) *
               cim_ref_weight(w[r], load->w_bits, analog);
    }
    return sum;
}

int64_t cim_ref_adc(int64_t sum, unsigned adc_shift, unsigned adc_bits)
{
    int64_t mag = sum < 0 ? -sum : sum;
    if (adc_shift > 0) {
        mag = (mag + ((int64_t)1 << (adc_shift - 1))) >> adc_shift; /* half away from zero */
    }
    int64_t code = sum < 0 ? -mag : mag;
    const int64_t hi = ((int64_t)1 << (adc_bits - 1)) - 1;
    const int64_t lo = -((int64_t)1 << (adc_bits - 1));
    code = code > hi ? hi : code < lo ? lo : code;
    return code * ((int64_t)1 << adc_shift);
}

int8_t cim_ref_requant(int32_t acc, int32_t scale, unsigned shift, bool relu)
{
    int64_t y = (int64_t)acc * scale + (shift ? (int64_t)1 << (shift - 1) : 0);
    y >>= shift; /* arithmetic (GCC) */
    if (relu && y < 0) {
        y = 0;
    }
    return (int8_t)(y > 127 ? 127 : y < -128 ? -128 : y);
}

int cim_ref_mvm(const cim_load_desc_t *load, const cim_mvm_desc_t *mvm, bool analog,
                unsigned adc_bits, void *out)
{
    const uint32_t lrow0 = CIM_LO16(load->row0_rows), lrows = CIM_HI16(load->row0_rows);
    const uint32_t lcol0 = CIM_LO16(load->col0_cols), lcols = CIM_HI16(load->col0_cols);
    const uint32_t row0 = CIM_LO16(mvm->row0_rows), rows = CIM_HI16(mvm->row0_rows);
    const uint32_t col0 = CIM_LO16(mvm->col0_cols), cols = CIM_HI16(mvm->col0_cols);
    if (row0 < lrow0 || row0 + rows > lrow0 + lrows || col0 < lcol0 ||
        col0 + cols > lcol0 + lcols) {
        return -1;
    }
    const uint32_t flags = mvm->op & ACCEL_DESC_FLAGS_MASK;
    const int32_t *bias = (const int32_t *)(uintptr_t)mvm->bias;
    for (uint32_t b = 0; b < mvm->batch; ++b) {
        uint8_t *o = (uint8_t *)out + b * mvm->out_stride;
        for (uint32_t c = 0; c < cols; ++c) {
            int64_t sum = cim_ref_dot(load, mvm, analog, b, c);
            if (analog) {
                sum = cim_ref_adc(sum, mvm->adc_shift, adc_bits);
            }
            /* int32 accumulator: the bias addition wraps like the hardware's adder. */
            int32_t acc = (int32_t)(uint32_t)sum;
            if (bias != NULL) {
                acc = (int32_t)((uint32_t)acc + (uint32_t)bias[c]);
            }
            if (flags & CIM_MVM_OUT32) {
                ((int32_t *)o)[c] = acc;
            } else {
                ((int8_t *)o)[c] =
                    cim_ref_requant(acc, mvm->scale, mvm->shift, (flags & CIM_MVM_RELU) != 0);
            }
        }
    }
    return 0;
}

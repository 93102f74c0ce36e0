/* SNN accelerator: descriptors, registers and the CPU reference (docs/models/snn.md). */
#include "edgevp/snn.h"

#include <stddef.h>
#include <stdint.h>

#define PACK16(lo, hi) (((uint32_t)(lo) & 0xFFFFu) | ((uint32_t)(hi) << 16))

void snn_load_desc(snn_load_desc_t *d, const void *src, uint32_t dst, uint32_t len)
{
    d->op = ACCEL_DESC_WORD0(SNN_OP_LOAD, 0u);
    d->next = 0;
    d->src = (uint32_t)(uintptr_t)src;
    d->dst = dst;
    d->len = len;
    d->reserved = 0;
}

static uint32_t layer_type(const struct snn_layer *l)
{
    return l->flags & (SNN_LAYER_CONV | SNN_LAYER_SPARSE);
}

void snn_layer_desc(snn_layer_desc_t *d, const struct snn_layer *l, const uint32_t *in, uint32_t in_size,
                    uint32_t in_offset, uint32_t *out, uint32_t out_size, uint32_t out_offset, uint32_t *counts)
{
    d->op = ACCEL_DESC_WORD0(SNN_OP_LAYER, l->flags);
    d->next = 0;
    d->in = (uint32_t)(uintptr_t)in;
    d->in_size = in_size;
    d->in_offset = in_offset;
    d->in_wh = PACK16(l->in_w, l->in_h);
    d->in_c_out_c = PACK16(l->in_c, l->out_c);
    d->out_wh = PACK16(l->out_w, l->out_h);
    d->weights = l->weights_off;
    d->aux = layer_type(l) == SNN_LAYER_CONV ? l->k : layer_type(l) == SNN_LAYER_SPARSE ? l->entries_off : 0;
    d->threshold_reset = PACK16((uint16_t)l->threshold, (uint16_t)l->reset);
    d->leak_refractory = (l->leak & 0xFFu) | ((l->refractory & 0xFFu) << 8);
    d->state = l->state;
    d->out = (uint32_t)(uintptr_t)out;
    d->out_size = out_size;
    d->out_offset = out_offset;
    d->counts = (uint32_t)(uintptr_t)counts;
    d->reserved = 0;
}

void snn_state_desc(snn_state_desc_t *d, uint32_t first, uint32_t count, int32_t *dst)
{
    d->op = ACCEL_DESC_WORD0(SNN_OP_STATE, 0u);
    d->next = 0;
    d->first = first;
    d->count = count;
    d->dst = (uint32_t)(uintptr_t)dst;
    d->reserved = 0;
}

bool snn_is_snn(uint32_t id)
{
    return ACCEL_ID_IS_ACCEL(id) && ACCEL_ID_KIND(id) == SNN_KIND;
}

uint64_t snn_synops(const struct accel_dev *dev)
{
    const uint32_t lo = accel_read(dev, SNN_SYNOPS_LO);
    return ((uint64_t)accel_read(dev, SNN_SYNOPS_HI) << 32) | lo;
}

/* --- the reference -------------------------------------------------------------------------- */

static int16_t sat16(int32_t v)
{
    return (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
}

/* One elapsed step of leak, as the document defines it (applied dt times). */
static int16_t leak_step(int16_t v, uint32_t mode, unsigned amount)
{
    if (mode == SNN_LAYER_LEAK_LINEAR) {
        if (v > 0) return (int16_t)(v > (int32_t)amount ? v - (int32_t)amount : 0);
        return (int16_t)(-v > (int32_t)amount ? v + (int32_t)amount : 0);
    }
    if (mode == SNN_LAYER_LEAK_SHIFT) return (int16_t)(v - (v >> amount));
    return v;
}

struct ref_run {
    const struct snn_layer *l;
    int16_t *v;
    uint32_t *last, *refr;
    int32_t *acc;
    uint8_t *touched;
    uint32_t step;
    unsigned out_count;
    uint32_t *out, out_max, out_len;
    uint32_t *counts;
    uint64_t synops;
};

static void touch(struct ref_run *r, unsigned n, int32_t w)
{
    if (!r->touched[n]) {
        const uint32_t mode = r->l->flags & (SNN_LAYER_LEAK_LINEAR | SNN_LAYER_LEAK_SHIFT);
        r->touched[n] = 1;
        r->acc[n] = 0;
        for (uint32_t t = r->last[n]; t < r->step; ++t) {
            const int16_t before = r->v[n];
            r->v[n] = leak_step(before, mode, r->l->leak);
            if (r->v[n] == before) break; /* it stays */
        }
        r->last[n] = r->step;
    }
    r->acc[n] += w;
    ++r->synops;
}

static int32_t weight(const struct snn_layer *l, uint32_t row, unsigned o)
{
    const uint8_t *w = (const uint8_t *)l->weights;
    if (l->flags & SNN_LAYER_INT4) {
        const unsigned nib = (w[row * ((l->out_c + 1) / 2) + o / 2] >> ((o % 2) * 4)) & 0xFu;
        return (int32_t)(nib ^ 8u) - 8;
    }
    return (int8_t)w[row * l->out_c + o];
}

static void integrate(struct ref_run *r, unsigned c, unsigned y, unsigned x)
{
    const struct snn_layer *l = r->l;
    const uint32_t i = (y * l->in_w + x) * l->in_c + c;
    if (layer_type(l) == SNN_LAYER_FC) {
        for (unsigned o = 0; o < l->out_c; ++o) touch(r, o, weight(l, i, o));
    } else if (layer_type(l) == SNN_LAYER_CONV) {
        const int h = (int)(l->k / 2);
        for (unsigned ky = 0; ky < l->k; ++ky) {
            const int y0 = (int)y - (int)ky + h;
            if (y0 < 0 || y0 >= (int)l->out_h) continue;
            for (unsigned kx = 0; kx < l->k; ++kx) {
                const int x0 = (int)x - (int)kx + h;
                if (x0 < 0 || x0 >= (int)l->out_w) continue;
                const uint32_t row = (c * l->k + ky) * l->k + kx;
                for (unsigned o = 0; o < l->out_c; ++o)
                    touch(r, ((unsigned)y0 * l->out_w + (unsigned)x0) * l->out_c + o, weight(l, row, o));
            }
        }
    } else {
        const uint32_t *ptr = (const uint32_t *)l->weights;
        for (uint32_t k = ptr[i]; k < ptr[i + 1]; ++k)
            touch(r, l->entries[k] & 0xFFFFu, (int8_t)((l->entries[k] >> 16) & 0xFFu));
    }
}

static bool emit(struct ref_run *r, uint32_t w)
{
    if (r->out_len >= r->out_max) return false;
    r->out[r->out_len++] = w;
    return true;
}

static bool close_step(struct ref_run *r)
{
    const struct snn_layer *l = r->l;
    bool marker = false;
    for (unsigned n = 0; n < r->out_count; ++n) {
        if (!r->touched[n]) continue;
        r->touched[n] = 0;
        if (r->step < r->refr[n]) continue;
        int16_t v = sat16((int32_t)r->v[n] + r->acc[n]);
        if (v >= l->threshold) {
            if (!marker && !emit(r, SNN_TIME(r->step))) return false;
            marker = true;
            const unsigned c = n % l->out_c, rest = n / l->out_c;
            if (!emit(r, SNN_SPIKE(c, rest / l->out_w, rest % l->out_w))) return false;
            if (r->counts) ++r->counts[n];
            v = (l->flags & SNN_LAYER_RESET_SUB) ? sat16((int32_t)v - l->threshold) : l->reset;
            r->refr[n] = r->step + 1 + l->refractory;
        }
        r->v[n] = v;
    }
    return true;
}

int snn_ref_layer(const struct snn_layer *l, const uint32_t *in, uint32_t in_words, int16_t *v, uint32_t *last,
                  uint32_t *refr, int32_t *acc, uint8_t *touched, uint32_t *out, uint32_t out_max,
                  uint32_t *out_len, uint32_t *counts, uint64_t *synops)
{
    struct ref_run r = {l, v, last, refr, acc, touched, 0, l->out_w * l->out_h * l->out_c, out, out_max, 0, counts, 0};
    for (unsigned n = 0; n < r.out_count; ++n) {
        if (l->flags & SNN_LAYER_CLEAR) {
            v[n] = 0;
            last[n] = 0;
            refr[n] = 0;
        }
        touched[n] = 0;
        if (counts) counts[n] = 0;
    }
    int rc = ACCEL_ERR_EVENT; /* a stream without END */
    for (uint32_t k = 0; k < in_words; ++k) {
        const uint32_t w = in[k], op = SNN_EVT_OP(w);
        if (op == SNN_EVT_SPIKE && ((w >> 24) & 0xFu) == 0 && SNN_SPIKE_C(w) < l->in_c && SNN_SPIKE_Y(w) < l->in_h &&
            SNN_SPIKE_X(w) < l->in_w) {
            integrate(&r, SNN_SPIKE_C(w), SNN_SPIKE_Y(w), SNN_SPIKE_X(w));
        } else if (op == SNN_EVT_TIME && SNN_TIME_OF(w) >= r.step) {
            if (SNN_TIME_OF(w) > r.step && !close_step(&r)) {
                rc = ACCEL_ERR_OVERFLOW;
                break;
            }
            r.step = SNN_TIME_OF(w);
        } else if (w == SNN_END) {
            rc = close_step(&r) && emit(&r, SNN_END) ? ACCEL_ERR_NONE : ACCEL_ERR_OVERFLOW;
            break;
        } else {
            break; /* ACCEL_ERR_EVENT */
        }
    }
    *out_len = r.out_len;
    *synops = r.synops;
    return rc;
}

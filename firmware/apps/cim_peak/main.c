/*
 * cim_peak: every compute-in-memory accelerator of the memory map at full array utilisation,
 * one syscon region per precision, for bench/cim_tops.sh (modelled TOPS/W and GOPS against the
 * published figures in CALIBRATION.md). It measures only: no CPU reference (cim_mvm checks).
 *
 * For each instance of the memory map (accel_count(), accel_init_instance()) whose ID is a CIM
 * kind, <name> its name in the memory map (cim0, cim1, ...):
 *   - the WHOLE array (ROWS x COLS) is programmed with one LOAD of pseudo-random weights,
 *     uniform in +-(2^(w_bits-1) - 1), outside the regions. The weight buffer is 64 KiB of SRAM:
 *     ROWS x COLS bytes with LOAD src_stride = ROWS when that fits (256 x 256), else columns
 *     read overlapping windows of it (src_stride < ROWS; still one LOAD);
 *   - per precision, a stream of CHAIN chained MVM descriptors, each rows = ROWS, cols = COLS,
 *     a batch of BATCH vectors (inputs uniform in +-(2^(in_bits-1) - 1)), int8 outputs
 *     requantised (scale 1, a shift that keeps about 4 sd of the sums in range), inside the
 *     syscon region "<name>.peak_i<in>w<w>"; the CPU waits in WFI for the completion interrupt;
 *     digital: i4w4, i8w4 (after a w4 LOAD), i4w8, i8w8 (after a w8 LOAD);
 *     analog:  i8w8, i4w4, i7w2 (ternary weights: DIANA's 7b in / ternary w);
 *     a precision PRECISIONS (DAC_BITS) does not support is skipped;
 *     analog adc_shift: log2 of 4 sd of the column sums (sd^2 = ROWS x E[x^2] x E[w^2]) minus
 *     (ADC_BITS - 1), so the outputs use the ADC's range without all clipping.
 *
 * Output, per region: "cim_peak: <name> <kind> i<in>w<w>: <rows>x<cols>, <n> vectors,
 * cycles <CYCLES delta>, ops <OPS delta>, mtime <ticks>, adc_shift <s>, shift <s>";
 * at the end "cim_peak: ok". Exit: 0 ok; 2 no CIM; 3 a job failed or OPS is not
 * 2 x rows x cols x vectors.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "edgevp/accel.h"
#include "edgevp/cim.h"
#include "edgevp/syscon.h"
#include "edgevp/timer.h"

#define BATCH    64u /* vectors per MVM descriptor */
#define CHAIN    4u  /* chained MVM descriptors per region */

#define W_BUF   (64u * 1024u) /* 256 x 256 weights */
#define IN_BUF  (80u * 1024u) /* BATCH vectors of up to 1280 rows */
#define OUT_BUF (32u * 1024u) /* BATCH int8 outputs of up to 512 columns */

#define EXIT_NO_CIM 2
#define EXIT_DEVICE 3

struct precision {
    unsigned in_bits, w_bits;
};

/* In order: a LOAD whenever w_bits changes. */
static const struct precision digital_list[] = {{4, 4}, {8, 4}, {4, 8}, {8, 8}};
static const struct precision analog_list[] = {{8, 8}, {4, 4}, {7, 2}};

static int8_t weights[W_BUF] __attribute__((aligned(4)));
static int8_t inputs[IN_BUF] __attribute__((aligned(4)));
static int8_t outputs[OUT_BUF] __attribute__((aligned(4)));
static cim_load_desc_t load_desc;
static cim_mvm_desc_t mvm_desc[CHAIN];

static uint32_t rng_state = 0x2545F491u;

static uint32_t xorshift32(void)
{
    uint32_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return rng_state = x;
}

static int32_t level_max(unsigned bits)
{
    return (int32_t)(1u << (bits - 1)) - 1;
}

/* Uniform in +-(2^(bits-1) - 1). */
static void fill_uniform(int8_t *p, uint32_t n, unsigned bits)
{
    const uint32_t m = (uint32_t)level_max(bits);
    const uint32_t span = 2u * m + 1u;
    for (uint32_t i = 0; i < n; ++i) {
        p[i] = (int8_t)((int32_t)((xorshift32() >> 8) % span) - (int32_t)m);
    }
}

/* E[v^2] x 3 of the uniform integers in +-m: m (m + 1). */
static uint64_t second_moment3(unsigned bits)
{
    const uint64_t m = (uint64_t)level_max(bits);
    return m * (m + 1u);
}

/* ceil(log2(v)), v >= 1 */
static unsigned ceil_log2(uint64_t v)
{
    unsigned n = 0;
    while (((uint64_t)1 << n) < v) {
        ++n;
    }
    return n;
}

/* log2 of 4 sd of a column sum, sd^2 = rows x E[x^2] x E[w^2]: ceil(log2(16 sd^2)) / 2. */
static unsigned log2_4sd(unsigned rows, unsigned in_bits, unsigned w_bits)
{
    const uint64_t var9 = (uint64_t)rows * second_moment3(in_bits) * second_moment3(w_bits);
    return (ceil_log2(16u * var9 / 9u + 1u) + 1u) / 2u;
}

/* A stride such that `count` windows of `len` bytes, `stride` apart, fit `size` bytes:
   `len` (disjoint) when they fit, else the largest that does (overlapping windows). */
static uint32_t fit_stride(uint32_t size, uint32_t len, uint32_t count)
{
    if (count <= 1u || (uint64_t)len * count <= size) {
        return len;
    }
    return (size - len) / (count - 1u);
}

static int load_array(struct accel_dev *dev, const struct cim_info *info, unsigned w_bits)
{
    const uint32_t stride = fit_stride(W_BUF, info->rows, info->cols);
    const uint32_t used = (info->cols - 1u) * stride + info->rows;
    fill_uniform(weights, used, w_bits);
    cim_load_desc(&load_desc, weights, stride, 0, info->rows, 0, info->cols, w_bits);
    int err = accel_run(dev, &load_desc, true);
    if (err != ACCEL_ERR_NONE) {
        printf("cim_peak: LOAD w%u failed: %s (status 0x%08lx)\n", w_bits, accel_err_name(err),
               (unsigned long)dev->status);
        return EXIT_DEVICE;
    }
    if (stride != info->rows) {
        printf("cim_peak: note: %lux%lu weights do not fit %u bytes: columns %lu bytes apart "
               "(overlapping windows)\n",
               (unsigned long)info->rows, (unsigned long)info->cols, W_BUF,
               (unsigned long)stride);
    }
    return 0;
}

static int run_peak(struct accel_dev *dev, const struct cim_info *info, const char *name,
                    const struct precision *p)
{
    const unsigned rows = info->rows, cols = info->cols;
    const uint32_t in_stride = fit_stride(IN_BUF, rows, BATCH);
    const uint32_t out_stride = fit_stride(OUT_BUF, cols, BATCH);
    fill_uniform(inputs, (BATCH - 1u) * in_stride + rows, p->in_bits);

    const unsigned l4sd = log2_4sd(rows, p->in_bits, p->w_bits);
    unsigned adc_shift = 0;
    if (info->analog && l4sd > info->adc_bits - 1u) {
        adc_shift = l4sd - (info->adc_bits - 1u);
        if (adc_shift > CIM_MVM_MAX_ADC_SHIFT) {
            adc_shift = CIM_MVM_MAX_ADC_SHIFT;
        }
    }
    const unsigned shift = l4sd > 7u ? l4sd - 7u : 0u;

    for (unsigned k = 0; k < CHAIN; ++k) {
        struct cim_mvm_args a = {
            .in = inputs,
            .in_stride = in_stride,
            .out = outputs,
            .out_stride = out_stride,
            .row0 = 0,
            .rows = rows,
            .col0 = 0,
            .cols = cols,
            .batch = BATCH,
            .in_bits = p->in_bits,
            .bias = NULL,
            .scale = 1,
            .shift = shift,
            .adc_shift = adc_shift,
            .flags = 0,
        };
        cim_mvm_desc(&mvm_desc[k], &a);
        cim_desc_chain(&mvm_desc[k], k + 1u < CHAIN ? &mvm_desc[k + 1u] : NULL);
    }

    char region[64];
    snprintf(region, sizeof region, "%s.peak_i%uw%u", name, p->in_bits, p->w_bits);
    const uint64_t c0 = accel_cycles(dev), o0 = accel_ops(dev);
    const uint64_t t0 = timer_now();
    syscon_region_begin(region);
    accel_start(dev, &mvm_desc[0], true);
    const int err = accel_wait_irq(dev);
    syscon_region_end();
    const uint64_t t1 = timer_now();
    const uint64_t cycles = accel_cycles(dev) - c0, ops = accel_ops(dev) - o0;
    if (err != ACCEL_ERR_NONE) {
        printf("cim_peak: %s failed: %s (status 0x%08lx, err_desc 0x%08lx)\n", region,
               accel_err_name(err), (unsigned long)dev->status, (unsigned long)dev->err_desc);
        return EXIT_DEVICE;
    }
    const uint32_t vectors = CHAIN * BATCH;
    printf("cim_peak: %s %s i%uw%u: %ux%u, %lu vectors, cycles %lu, ops %lu, mtime %lu, "
           "adc_shift %u, shift %u\n",
           name, cim_kind_name(info->id), p->in_bits, p->w_bits, rows, cols,
           (unsigned long)vectors, (unsigned long)cycles, (unsigned long)ops,
           (unsigned long)(t1 - t0), adc_shift, shift);
    if (ops != 2ull * rows * cols * vectors) {
        printf("cim_peak: %s: OPS %lu, expected %lu\n", region, (unsigned long)ops,
               (unsigned long)(2ull * rows * cols * vectors));
        return EXIT_DEVICE;
    }
    return 0;
}

static int run_instance(struct accel_dev *dev, const struct cim_info *info, const char *name)
{
    const struct precision *list = info->analog ? analog_list : digital_list;
    const unsigned n = info->analog ? sizeof analog_list / sizeof analog_list[0]
                                    : sizeof digital_list / sizeof digital_list[0];
    unsigned loaded_w = 0;
    int rc;
    accel_irq_attach(dev);
    for (unsigned i = 0; i < n; ++i) {
        const struct precision *p = &list[i];
        if (!cim_supports_in_bits(info, p->in_bits) || !cim_supports_w_bits(info, p->w_bits)) {
            printf("cim_peak: %s i%uw%u: not supported (PRECISIONS 0x%08lx), skipped\n", name,
                   p->in_bits, p->w_bits, (unsigned long)info->precisions);
            continue;
        }
        if (p->w_bits != loaded_w) {
            if ((rc = load_array(dev, info, p->w_bits)) != 0) {
                return rc;
            }
            loaded_w = p->w_bits;
        }
        if ((rc = run_peak(dev, info, name, p)) != 0) {
            return rc;
        }
    }
    accel_irq_detach(dev);
    return 0;
}

int main(void)
{
    unsigned found = 0;
    for (unsigned i = 0; i < accel_count(); ++i) {
        struct accel_dev dev;
        struct cim_info info;
        uint32_t id;
        accel_init_instance(&dev, i);
        if (!accel_probe(&dev, &id) || !cim_is_cim(id)) {
            printf("cim_peak: accel%u at 0x%08lx: no CIM, skipped\n", i, (unsigned long)dev.base);
            continue;
        }
        const char *name = dev.name;
        cim_read_info(&dev, &info);
        printf("cim_peak: %s: %s, %lux%lu cells, precisions 0x%08lx, adc %lu bits, dac %lu bits\n",
               name, cim_kind_name(id), (unsigned long)info.rows, (unsigned long)info.cols,
               (unsigned long)info.precisions, (unsigned long)info.adc_bits,
               (unsigned long)info.dac_bits);
        int rc = run_instance(&dev, &info, name);
        if (rc != 0) {
            return rc;
        }
        ++found;
    }
    if (found == 0) {
        printf("cim_peak: error: no CIM accelerator present\n");
        return EXIT_NO_CIM;
    }
    printf("cim_peak: ok\n");
    return 0;
}

/*
 * cim_mvm: every compute-in-memory accelerator of the memory map, checked against the CPU.
 *
 * For each instance i of the memory map (accel_count(), accel_init_instance(); an instance the
 * configuration left out is found missing by probing its ID register and skipped) whose ID is a
 * CIM kind, <name> its name in the memory map (cim0, cim1, ...):
 *   - LOAD a 64 x 32 tile of fixed-seed random weights (at row 16, column 8 when the array is
 *     large enough) with w_bits 8, then again with w_bits 4;
 *   - after each LOAD, an MVM batch of 8 vectors at in_bits 8 and 4 (those PRECISIONS
 *     supports), OUT32, inside the syscon region "<name>.mvm_i<in>w<w>"; prints the CYCLES and
 *     OPS deltas and checks OPS = 2 x rows x cols x batch;
 *     digital, and analog with NOISE_SD = 0: every output bit-exact against cim_ref_mvm(), and
 *     a second batch through the int8 path (bias, scale, shift, ReLU; analog: an adc_shift
 *     that clips) also bit-exact;
 *     analog with noise: adc_shift chosen so the ideal sums plus the noise margin fit the ADC;
 *     |acc - ideal| <= 6 x NOISE_SD/1e6 x sqrt(sum x^2) + 2^adc_shift for every output;
 *   - error reporting: opcodes 0 and 0x55 (OPCODE), an unsupported in_bits (PRECISION), an
 *     unaligned OUT32 buffer (ALIGN), rows past the array (SHAPE), and a chain whose second
 *     descriptor is bad (the first one's results are written, ERR_DESC names the second);
 *     STATUS, ERR_CODE, ERR_DESC and ERR_ADDR are checked, and the device works afterwards;
 *   - soft reset: control registers and counters return to 0, the weights stay;
 * jobs alternate between polling (accel_wait) and interrupt-driven waits (accel_wait_irq).
 * With two or more CIMs: one MVM started on each, then all waited for (interrupts).
 *
 * Output: per instance "cim_mvm: accel<i> at 0x<base> irq <n>: <kind> v<ver>", per batch
 * "cim_mvm: <name> i<in>w<w> ok" (and "... int8 ok"), "cim_mvm: <name> errors ok",
 * "cim_mvm: <name> soft reset ok", "cim_mvm: concurrent ok", and at the end "cim_mvm: ok".
 * Exit: 0 ok; 1 an output differs from the reference (the first mismatch is printed);
 * 2 no CIM in the memory map / present; 3 a job failed or a register (status, error report,
 * counter) is not what the contract says.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "edgevp/accel.h"
#include "edgevp/cim.h"
#include "edgevp/syscon.h"
#include "edgevp/timer.h"

#define N_IN     64u /* inputs (rows) of the tile */
#define N_OUT    32u /* outputs (columns) */
#define BATCH    8u
#define MAX_INST 8u
#define WAIT_TIMEOUT_US 100000u

#define EXIT_MISMATCH 1
#define EXIT_NO_CIM   2
#define EXIT_DEVICE   3

/* --- state ---------------------------------------------------------------------------------- */

struct inst {
    unsigned index;
    const char *name;           /* the instance's name in the memory map ("cim0") */
    struct accel_dev dev;
    struct cim_info info;
    unsigned row0, rows, col0, cols; /* the tile the LOADs write */
    uint32_t noise_sd;          /* NOISE_SD after the last LOAD */
    cim_load_desc_t load;       /* the last LOAD: what the array holds (for the reference) */
    cim_mvm_desc_t mvm;
    cim_mvm_desc_t mvm2;
    uint32_t bad[CIM_MVM_WORDS];
    int32_t out32[BATCH * N_OUT];
    int8_t out8[BATCH * N_OUT] __attribute__((aligned(4)));
};

static struct inst insts[MAX_INST];
static unsigned n_inst;

/* W[out][in]: column c's weights are contiguous (LOAD src_stride = N_IN). */
static int8_t weights[N_OUT * N_IN] __attribute__((aligned(4)));
static int8_t inputs[BATCH * N_IN] __attribute__((aligned(4)));
static int8_t bias_rand[N_OUT];
static int32_t bias_buf[N_OUT];
static int32_t ref32[BATCH * N_OUT];
static int8_t ref8[BATCH * N_OUT] __attribute__((aligned(4)));

static unsigned jobs_polled, jobs_irq, job_counter;

/* --- helpers -------------------------------------------------------------------------------- */

static uint32_t rng_state = 0x2545F491u;

static uint32_t xorshift32(void)
{
    uint32_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return rng_state = x;
}

static void fill_random(int8_t *p, uint32_t n)
{
    for (uint32_t i = 0; i < n; ++i) {
        p[i] = (int8_t)(xorshift32() >> 24);
    }
}

/* ceil(sqrt(v)) */
static uint64_t ceil_sqrt(uint64_t v)
{
    uint64_t r = 0;
    for (int bit = 31; bit >= 0; --bit) {
        uint64_t t = r | ((uint64_t)1 << bit);
        if (t * t <= v) {
            r = t;
        }
    }
    return r * r == v ? r : r + 1;
}

static int64_t abs64(int64_t v)
{
    return v < 0 ? -v : v;
}

static void print_failure(const struct inst *in, const char *what, int err)
{
    printf("cim_mvm: %s %s: job ended with %s (code %d, status 0x%08lx, err_desc 0x%08lx, "
           "err_addr 0x%08lx)\n",
           in->name, what, accel_err_name(err), err, (unsigned long)in->dev.status,
           (unsigned long)in->dev.err_desc, (unsigned long)in->dev.err_addr);
}

/* Start and wait, alternating between polling and the interrupt. */
static int run_job(struct inst *in, const void *desc, const char *what)
{
    bool irq = (job_counter++ & 1u) != 0;
    int err;
    if (irq) {
        jobs_irq++;
        accel_start(&in->dev, desc, true);
        err = accel_wait_irq(&in->dev);
    } else {
        jobs_polled++;
        accel_start(&in->dev, desc, false);
        err = accel_wait(&in->dev, WAIT_TIMEOUT_US);
    }
    if (err != ACCEL_ERR_NONE && what != NULL) {
        print_failure(in, what, err);
    }
    return err;
}

/* An OUT32 MVM over the whole tile with in_bits, on inputs. */
static void make_mvm(const struct inst *in, cim_mvm_desc_t *d, unsigned in_bits, void *out,
                     uint32_t flags, const int32_t *bias, int32_t scale, unsigned shift,
                     unsigned adc_shift)
{
    struct cim_mvm_args a = {
        .in = inputs,
        .in_stride = N_IN,
        .out = out,
        .out_stride = (flags & CIM_MVM_OUT32) ? N_OUT * 4u : N_OUT,
        .row0 = in->row0,
        .rows = in->rows,
        .col0 = in->col0,
        .cols = in->cols,
        .batch = BATCH,
        .in_bits = in_bits,
        .bias = bias,
        .scale = scale,
        .shift = shift,
        .adc_shift = adc_shift,
        .flags = flags,
    };
    cim_mvm_desc(d, &a);
}

/* Noise margin of vector b of an MVM: ceil(6 * NOISE_SD/1e6 * sqrt(sum x^2)). */
static int64_t noise_margin(const struct inst *in, const cim_mvm_desc_t *d, uint32_t b)
{
    if (in->noise_sd == 0) {
        return 0;
    }
    const int8_t *x = (const int8_t *)(uintptr_t)d->in + b * d->in_stride;
    uint64_t s2 = 0;
    for (uint32_t r = 0; r < CIM_HI16(d->row0_rows); ++r) {
        int64_t v = cim_ref_input(x[r], d->in_bits);
        s2 += (uint64_t)(v * v);
    }
    uint64_t num = 6u * (uint64_t)in->noise_sd * ceil_sqrt(s2);
    return (int64_t)((num + CIM_NOISE_SD_SCALE - 1) / CIM_NOISE_SD_SCALE);
}

/* The smallest adc_shift whose ADC range holds every ideal sum of the MVM plus the noise
   margin and one LSB of rounding. */
static unsigned choose_adc_shift(const struct inst *in, const cim_mvm_desc_t *d)
{
    int64_t need = 0;
    for (uint32_t b = 0; b < d->batch; ++b) {
        int64_t margin = noise_margin(in, d, b);
        for (uint32_t c = 0; c < CIM_HI16(d->col0_cols); ++c) {
            int64_t v = abs64(cim_ref_dot(&in->load, d, true, b, c)) + margin;
            if (v > need) {
                need = v;
            }
        }
    }
    const int64_t top = ((int64_t)1 << (in->info.adc_bits - 1)) - 1;
    for (unsigned s = 0; s < CIM_MVM_MAX_ADC_SHIFT; ++s) {
        if (top * ((int64_t)1 << s) >= need + ((int64_t)1 << s)) {
            return s;
        }
    }
    return CIM_MVM_MAX_ADC_SHIFT;
}

static bool exact_results(const struct inst *in)
{
    return !in->info.analog || in->noise_sd == 0;
}

/* Check the outputs of OUT32 MVM d (at d->out): bit-exact, or for a noisy analog array within
   the tolerance. Returns 0 or EXIT_MISMATCH (after printing the first mismatch). */
static int check_out32(const struct inst *in, const cim_mvm_desc_t *d, const char *label)
{
    const uint32_t cols = CIM_HI16(d->col0_cols);
    if (exact_results(in)) {
        if (cim_ref_mvm(&in->load, d, in->info.analog, in->info.adc_bits, ref32) != 0) {
            printf("cim_mvm: %s %s: MVM outside the loaded tile (app bug)\n", in->name, label);
            return EXIT_MISMATCH;
        }
        for (uint32_t b = 0; b < d->batch; ++b) {
            const int32_t *got = (const int32_t *)(uintptr_t)(d->out + b * d->out_stride);
            const int32_t *exp = (const int32_t *)((const uint8_t *)ref32 + b * d->out_stride);
            for (uint32_t c = 0; c < cols; ++c) {
                if (got[c] != exp[c]) {
                    printf("cim_mvm: MISMATCH %s %s out32 vector %lu column %lu: got %ld "
                           "expected %ld\n",
                           in->name, label, (unsigned long)b, (unsigned long)c, (long)got[c],
                           (long)exp[c]);
                    return EXIT_MISMATCH;
                }
            }
        }
        if (in->info.analog) {
            printf("cim_mvm: %s %s: adc_shift %lu, exact (noise off)\n", in->name, label,
                   (unsigned long)d->adc_shift);
        }
        return 0;
    }

    const int32_t *bias = (const int32_t *)(uintptr_t)d->bias;
    int64_t max_err = -1, tol_at_max = 0;
    for (uint32_t b = 0; b < d->batch; ++b) {
        const int64_t tol = noise_margin(in, d, b) + ((int64_t)1 << d->adc_shift);
        const int32_t *got = (const int32_t *)(uintptr_t)(d->out + b * d->out_stride);
        for (uint32_t c = 0; c < cols; ++c) {
            const int64_t ideal = cim_ref_dot(&in->load, d, true, b, c) + (bias ? bias[c] : 0);
            const int64_t err = abs64((int64_t)got[c] - ideal);
            if (err > tol) {
                printf("cim_mvm: MISMATCH %s %s out32 vector %lu column %lu: got %ld expected "
                       "%ld +- %ld\n",
                       in->name, label, (unsigned long)b, (unsigned long)c, (long)got[c],
                       (long)ideal, (long)tol);
                return EXIT_MISMATCH;
            }
            if (err > max_err) {
                max_err = err;
                tol_at_max = tol;
            }
        }
    }
    printf("cim_mvm: %s %s: adc_shift %lu, max error %ld (tolerance %ld there)\n", in->name, label,
           (unsigned long)d->adc_shift, (long)max_err, (long)tol_at_max);
    return 0;
}

static int check_out8(const struct inst *in, const cim_mvm_desc_t *d, const char *label)
{
    if (cim_ref_mvm(&in->load, d, in->info.analog, in->info.adc_bits, ref8) != 0) {
        printf("cim_mvm: %s %s: MVM outside the loaded tile (app bug)\n", in->name, label);
        return EXIT_MISMATCH;
    }
    for (uint32_t b = 0; b < d->batch; ++b) {
        const int8_t *got = (const int8_t *)(uintptr_t)(d->out + b * d->out_stride);
        const int8_t *exp = ref8 + b * d->out_stride;
        for (uint32_t c = 0; c < CIM_HI16(d->col0_cols); ++c) {
            if (got[c] != exp[c]) {
                printf("cim_mvm: MISMATCH %s %s int8 vector %lu column %lu: got %d expected %d\n",
                       in->name, label, (unsigned long)b, (unsigned long)c, got[c], exp[c]);
                return EXIT_MISMATCH;
            }
        }
    }
    return 0;
}

/* --- the parts of the test ------------------------------------------------------------------ */

static int load_weights(struct inst *in, unsigned w_bits)
{
    char region[SYSCON_REGION_NAME_MAX + 1];
    snprintf(region, sizeof region, "%s.load_w%u", in->name, w_bits);
    cim_load_desc(&in->load, weights, N_IN, in->row0, in->rows, in->col0, in->cols, w_bits);
    const uint64_t c0 = accel_cycles(&in->dev);
    syscon_region_begin(region);
    int err = run_job(in, &in->load, region);
    syscon_region_end();
    if (err != ACCEL_ERR_NONE) {
        return EXIT_DEVICE;
    }
    const uint64_t c1 = accel_cycles(&in->dev);
    in->noise_sd = cim_noise_sd(&in->dev);
    printf("cim_mvm: %s load w%u: %ux%u at row %u col %u, %lu cycles, noise_sd %lu, "
           "max_writes %lu\n",
           in->name, w_bits, in->rows, in->cols, in->row0, in->col0, (unsigned long)(c1 - c0),
           (unsigned long)in->noise_sd, (unsigned long)cim_max_writes(&in->dev));
    return 0;
}

static int run_precision(struct inst *in, unsigned in_bits)
{
    const unsigned w_bits = in->load.w_bits;
    char label[16];
    char region[SYSCON_REGION_NAME_MAX + 1];
    snprintf(label, sizeof label, "i%uw%u", in_bits, w_bits);
    snprintf(region, sizeof region, "%s.mvm_%s", in->name, label);

    /* OUT32 batch, in its own region. */
    make_mvm(in, &in->mvm, in_bits, in->out32, CIM_MVM_OUT32, NULL, 1, 0, 0);
    if (in->info.analog) {
        in->mvm.adc_shift = choose_adc_shift(in, &in->mvm);
    }
    memset(in->out32, 0xA5, sizeof in->out32);
    const uint64_t c0 = accel_cycles(&in->dev), o0 = accel_ops(&in->dev);
    syscon_region_begin(region);
    int err = run_job(in, &in->mvm, region);
    syscon_region_end();
    if (err != ACCEL_ERR_NONE) {
        return EXIT_DEVICE;
    }
    const uint64_t cycles = accel_cycles(&in->dev) - c0, ops = accel_ops(&in->dev) - o0;
    const uint64_t hundredths = cycles * 100u / BATCH;
    printf("cim_mvm: %s %s: %u vectors of %u x %u, %lu cycles (%lu.%02lu per vector), %lu ops\n",
           in->name, label, BATCH, in->rows, in->cols, (unsigned long)cycles,
           (unsigned long)(hundredths / 100u), (unsigned long)(hundredths % 100u),
           (unsigned long)ops);
    const uint64_t want_ops = 2ull * in->rows * in->cols * BATCH;
    if (ops != want_ops) {
        printf("cim_mvm: %s %s: OPS advanced by %lu, expected %lu (2 per MAC)\n", in->name, label,
               (unsigned long)ops, (unsigned long)want_ops);
        return EXIT_DEVICE;
    }
    if (cycles == 0) {
        printf("cim_mvm: %s %s: CYCLES did not advance\n", in->name, label);
        return EXIT_DEVICE;
    }
    int rc = check_out32(in, &in->mvm, label);
    if (rc != 0) {
        return rc;
    }

    if (exact_results(in)) {
        /* int8 path: bias, scale, rounding shift, ReLU (when in_bits == w_bits), clamp. An
           analog array gets an adc_shift two below the fitting one, so the ADC clips. */
        int64_t maxabs = 1;
        for (uint32_t i = 0; i < BATCH * N_OUT; ++i) {
            if (abs64(ref32[i]) > maxabs) {
                maxabs = abs64(ref32[i]);
            }
        }
        for (uint32_t c = 0; c < N_OUT; ++c) {
            bias_buf[c] = (int32_t)((bias_rand[c] * maxabs) / 256);
        }
        const int32_t scale = 77;
        unsigned shift = 0;
        while (shift < CIM_MVM_MAX_SHIFT && ((maxabs * 3 / 2) * scale >> shift) > 192) {
            shift++;
        }
        const unsigned adc_shift = in->mvm.adc_shift >= 2 ? in->mvm.adc_shift - 2 : 0;
        const uint32_t flags = in_bits == w_bits ? CIM_MVM_RELU : 0u;
        make_mvm(in, &in->mvm2, in_bits, in->out8, flags, bias_buf, scale, shift,
                 in->info.analog ? adc_shift : 0u);
        memset(in->out8, 0x5A, sizeof in->out8);
        if (run_job(in, &in->mvm2, label) != ACCEL_ERR_NONE) {
            return EXIT_DEVICE;
        }
        rc = check_out8(in, &in->mvm2, label);
        if (rc != 0) {
            return rc;
        }
        printf("cim_mvm: %s %s int8 ok\n", in->name, label);
    }
    printf("cim_mvm: %s %s ok\n", in->name, label);
    return 0;
}

/* One erroneous job: expects STATUS DONE | ERROR with `want`, ERR_DESC = want_desc and
   ERR_ADDR = want_addr. */
static int expect_error(struct inst *in, const void *desc, int want, const void *want_desc,
                        uint32_t want_addr, const char *what)
{
    int err = run_job(in, desc, NULL);
    const uint32_t err_desc = in->dev.err_desc, err_addr = in->dev.err_addr;
    printf("cim_mvm: %s %s: %s (code %d), err_desc 0x%08lx, err_addr 0x%08lx\n", in->name, what,
           accel_err_name(err), err, (unsigned long)err_desc, (unsigned long)err_addr);
    const uint32_t st = in->dev.status;
    if (err != want || !(st & ACCEL_STATUS_ERROR) || !(st & ACCEL_STATUS_DONE) ||
        err_desc != (uint32_t)(uintptr_t)want_desc || err_addr != want_addr) {
        printf("cim_mvm: %s %s: expected %s (code %d) with STATUS DONE|ERROR, err_desc 0x%08lx, "
               "err_addr 0x%08lx (STATUS was 0x%08lx)\n",
               in->name, what, accel_err_name(want), want, (unsigned long)(uintptr_t)want_desc,
               (unsigned long)want_addr, (unsigned long)st);
        return EXIT_DEVICE;
    }
    if (accel_status(&in->dev) & (ACCEL_STATUS_BUSY | ACCEL_STATUS_DONE | ACCEL_STATUS_ERROR)) {
        printf("cim_mvm: %s %s: STATUS 0x%08lx after clearing DONE and ERROR\n", in->name, what,
               (unsigned long)accel_status(&in->dev));
        return EXIT_DEVICE;
    }
    return 0;
}

static int test_errors(struct inst *in)
{
    int rc;
    const unsigned good_bits = cim_supports_in_bits(&in->info, 8) ? 8u : 4u;

    /* Unknown opcodes: 0 is never valid, 0x55 is no CIM opcode. */
    static const uint32_t opcodes[] = {0x00u, 0x55u};
    for (unsigned i = 0; i < 2; ++i) {
        memset(in->bad, 0, sizeof in->bad);
        in->bad[0] = opcodes[i];
        char what[32];
        snprintf(what, sizeof what, "opcode 0x%02lx", (unsigned long)opcodes[i]);
        if ((rc = expect_error(in, in->bad, ACCEL_ERR_OPCODE, in->bad, 0, what)) != 0) {
            return rc;
        }
    }

    /* An input width PRECISIONS does not list. */
    unsigned bad_bits = 1;
    while (bad_bits < 32 && cim_supports_in_bits(&in->info, bad_bits)) {
        bad_bits++;
    }
    make_mvm(in, &in->mvm, bad_bits, in->out32, CIM_MVM_OUT32, NULL, 1, 0, 0);
    rc = expect_error(in, &in->mvm, ACCEL_ERR_PRECISION, &in->mvm, 0, "in_bits unsupported");
    if (rc != 0) {
        return rc;
    }

    /* OUT32 output not word-aligned. */
    uint8_t *misaligned = (uint8_t *)in->out32 + 2;
    make_mvm(in, &in->mvm, good_bits, misaligned, CIM_MVM_OUT32, NULL, 1, 0, 0);
    rc = expect_error(in, &in->mvm, ACCEL_ERR_ALIGN, &in->mvm, (uint32_t)(uintptr_t)misaligned,
                      "out32 unaligned");
    if (rc != 0) {
        return rc;
    }

    /* Rows past the end of the array. */
    make_mvm(in, &in->mvm, good_bits, in->out32, CIM_MVM_OUT32, NULL, 1, 0, 0);
    in->mvm.row0_rows = CIM_PACK16(in->info.rows - 1u, 2u);
    rc = expect_error(in, &in->mvm, ACCEL_ERR_SHAPE, &in->mvm, 0, "rows past the array");
    if (rc != 0) {
        return rc;
    }

    /* A chain: a good MVM, then a bad opcode. The first one's results are written. */
    make_mvm(in, &in->mvm, good_bits, in->out32, CIM_MVM_OUT32, NULL, 1, 0, 0);
    if (in->info.analog) {
        in->mvm.adc_shift = choose_adc_shift(in, &in->mvm);
    }
    memset(in->bad, 0, sizeof in->bad);
    in->bad[0] = 0x55u;
    cim_desc_chain(&in->mvm, in->bad);
    memset(in->out32, 0xA5, sizeof in->out32);
    const uint32_t jobs0 = accel_jobs(&in->dev);
    rc = expect_error(in, &in->mvm, ACCEL_ERR_OPCODE, in->bad, 0, "chain MVM -> bad");
    if (rc != 0) {
        return rc;
    }
    const uint32_t jobs = accel_jobs(&in->dev) - jobs0;
    if (jobs != 1) {
        printf("cim_mvm: %s chain MVM -> bad: JOBS advanced by %lu, expected 1\n", in->name,
               (unsigned long)jobs);
        return EXIT_DEVICE;
    }
    if ((rc = check_out32(in, &in->mvm, "chain")) != 0) {
        return rc;
    }

    /* Still working. */
    make_mvm(in, &in->mvm, good_bits, in->out32, CIM_MVM_OUT32, NULL, 1, 0, 0);
    if (in->info.analog) {
        in->mvm.adc_shift = choose_adc_shift(in, &in->mvm);
    }
    memset(in->out32, 0xA5, sizeof in->out32);
    if (run_job(in, &in->mvm, "after errors") != ACCEL_ERR_NONE) {
        return EXIT_DEVICE;
    }
    if ((rc = check_out32(in, &in->mvm, "after errors")) != 0) {
        return rc;
    }
    printf("cim_mvm: %s errors ok\n", in->name);
    return 0;
}

static int test_reset(struct inst *in)
{
    accel_reset(&in->dev);
    const uint32_t ctrl = accel_read(&in->dev, ACCEL_CTRL), st = accel_status(&in->dev);
    const uint32_t jobs = accel_jobs(&in->dev);
    const uint64_t cycles = accel_cycles(&in->dev), ops = accel_ops(&in->dev);
    if (ctrl != 0 || st != 0 || jobs != 0 || cycles != 0 || ops != 0) {
        printf("cim_mvm: %s soft reset: CTRL 0x%lx STATUS 0x%lx JOBS %lu CYCLES %lu OPS %lu, "
               "expected all 0\n",
               in->name, (unsigned long)ctrl, (unsigned long)st, (unsigned long)jobs,
               (unsigned long)cycles, (unsigned long)ops);
        return EXIT_DEVICE;
    }
    /* The weights survive a soft reset: an MVM without a new LOAD. */
    const unsigned bits = cim_supports_in_bits(&in->info, 8) ? 8u : 4u;
    make_mvm(in, &in->mvm, bits, in->out32, CIM_MVM_OUT32, NULL, 1, 0, 0);
    if (in->info.analog) {
        in->mvm.adc_shift = choose_adc_shift(in, &in->mvm);
    }
    memset(in->out32, 0xA5, sizeof in->out32);
    if (run_job(in, &in->mvm, "after reset") != ACCEL_ERR_NONE) {
        return EXIT_DEVICE;
    }
    int rc = check_out32(in, &in->mvm, "after reset");
    if (rc != 0) {
        return rc;
    }
    printf("cim_mvm: %s soft reset ok\n", in->name);
    return 0;
}

static int test_instance(struct inst *in)
{
    const struct cim_info *info = &in->info;
    in->rows = info->rows < N_IN ? info->rows : N_IN;
    in->cols = info->cols < N_OUT ? info->cols : N_OUT;
    in->row0 = info->rows >= in->rows + 16u ? 16u : 0u;
    in->col0 = info->cols >= in->cols + 8u ? 8u : 0u;
    accel_irq_attach(&in->dev);

    static const unsigned w_list[] = {8, 4};
    static const unsigned in_list[] = {8, 4};
    int rc;
    for (unsigned wi = 0; wi < 2; ++wi) {
        if (!cim_supports_w_bits(info, w_list[wi])) {
            continue;
        }
        if ((rc = load_weights(in, w_list[wi])) != 0) {
            return rc;
        }
        for (unsigned ii = 0; ii < 2; ++ii) {
            if (!cim_supports_in_bits(info, in_list[ii])) {
                printf("cim_mvm: %s i%uw%u: input width not supported, skipped\n", in->name,
                       in_list[ii], w_list[wi]);
                continue;
            }
            if ((rc = run_precision(in, in_list[ii])) != 0) {
                return rc;
            }
        }
    }
    if ((rc = test_errors(in)) != 0) {
        return rc;
    }
    return test_reset(in);
}

/* Every CIM at once: start one MVM on each, then wait for all (interrupts). */
static int test_concurrent(void)
{
    int rc;
    for (unsigned i = 0; i < n_inst; ++i) {
        struct inst *in = &insts[i];
        const unsigned bits = cim_supports_in_bits(&in->info, 8) ? 8u : 4u;
        make_mvm(in, &in->mvm, bits, in->out32, CIM_MVM_OUT32, NULL, 1, 0, 0);
        if (in->info.analog) {
            in->mvm.adc_shift = choose_adc_shift(in, &in->mvm);
        }
        memset(in->out32, 0xA5, sizeof in->out32);
    }
    const uint64_t t0 = timer_now();
    syscon_region_begin("cim.concurrent");
    for (unsigned i = 0; i < n_inst; ++i) {
        accel_start(&insts[i].dev, &insts[i].mvm, true);
    }
    int errs[MAX_INST];
    for (unsigned i = 0; i < n_inst; ++i) {
        errs[i] = accel_wait_irq(&insts[i].dev);
    }
    syscon_region_end();
    const uint64_t t1 = timer_now();
    printf("cim_mvm: concurrent: %u instances, %lu us\n", n_inst, (unsigned long)(t1 - t0));
    for (unsigned i = 0; i < n_inst; ++i) {
        if (errs[i] != ACCEL_ERR_NONE) {
            print_failure(&insts[i], "concurrent", errs[i]);
            return EXIT_DEVICE;
        }
        if ((rc = check_out32(&insts[i], &insts[i].mvm, "concurrent")) != 0) {
            return rc;
        }
    }
    printf("cim_mvm: concurrent ok\n");
    return 0;
}

int main(void)
{
    const unsigned count = accel_count();
    printf("cim_mvm: %u accelerators in the memory map\n", count);
    if (count == 0) {
        printf("cim_mvm: error: no accelerator in the memory map; this test needs a CIM\n");
        return EXIT_NO_CIM;
    }
    unsigned limit = count;
    if (limit > MAX_INST) {
        limit = MAX_INST;
    }
    if (limit < count) {
        printf("cim_mvm: note: only the first %u accelerators are tested\n", limit);
    }

    fill_random(weights, sizeof weights);
    fill_random(inputs, sizeof inputs);
    fill_random(bias_rand, sizeof bias_rand);

    for (unsigned i = 0; i < limit; ++i) {
        struct inst *in = &insts[n_inst];
        uint32_t id;
        accel_init_instance(&in->dev, i);
        if (!accel_probe(&in->dev, &id)) {
            printf("cim_mvm: accel%u at 0x%08lx: not present\n", i, (unsigned long)in->dev.base);
            continue;
        }
        if (!cim_is_cim(id)) {
            printf("cim_mvm: accel%u at 0x%08lx irq %u: ID 0x%08lx is not a CIM, skipped\n", i,
                   (unsigned long)in->dev.base, in->dev.irq, (unsigned long)id);
            continue;
        }
        in->index = i;
        in->name = in->dev.name;
        cim_read_info(&in->dev, &in->info);
        printf("cim_mvm: accel%u at 0x%08lx irq %u: %s v%lu\n", i, (unsigned long)in->dev.base,
               in->dev.irq, cim_kind_name(id), (unsigned long)ACCEL_ID_VERSION(id));
        printf("cim_mvm: %s: %lux%lu cells, precisions 0x%08lx, adc %lu bits, dac %lu bits\n",
               in->name, (unsigned long)in->info.rows, (unsigned long)in->info.cols,
               (unsigned long)in->info.precisions, (unsigned long)in->info.adc_bits,
               (unsigned long)in->info.dac_bits);
        n_inst++;
    }
    if (n_inst == 0) {
        printf("cim_mvm: error: no CIM accelerator present\n");
        return EXIT_NO_CIM;
    }

    int rc;
    for (unsigned i = 0; i < n_inst; ++i) {
        if ((rc = test_instance(&insts[i])) != 0) {
            return rc;
        }
    }
    if (n_inst >= 2) {
        if ((rc = test_concurrent()) != 0) {
            return rc;
        }
    } else {
        printf("cim_mvm: concurrent skipped (one CIM)\n");
    }
    printf("cim_mvm: %u jobs polled, %u interrupt-driven\n", jobs_polled, jobs_irq);
    printf("cim_mvm: ok\n");
    return 0;
}

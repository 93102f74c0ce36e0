/*
 * tta_peak: the transport-triggered accelerator (docs/models/tta.md) at full utilisation, one
 * syscon region per RUN, for a bench (modelled throughput and energy per operation).
 *
 * Finds the first instance of kind tta (tta_find) and loads the FC kernels of
 * apps/tta_layers/fc.tta. Then, for each precision (int8: fc8_acc / mac8, tern: fct_acc / mact,
 * bin: fcb_acc / macb) and K in {256, 1000} (K weight words = 32-bit input words, T = 1 tile of
 * 32 outputs: the vector MAC unit fires every cycle of the loop body):
 *   - outside the region: deterministic pseudo-random inputs, weights and biases (a fixed LCG,
 *     reseeded per run), one lane (output) at a time, packed with tta_fc_pack_input() into the
 *     kernels' parameter-memory layout (edgevp/tta.h: the bias word, then K weight words) and
 *     COPYed to parameter memory (word 0) with one COPY; the packed input COPYed to data memory;
 *   - inside the syscon region "peak.<prec>.<K>" only the RUN of the raw-accumulator kernel,
 *     waited for by interrupt (WFI);
 *   - OPS (the common counter, 2 per MAC) read before and after the region; the accumulators
 *     COPYed back after it. Checked: OPS delta = 2 x K x MACs per step (256, 1024, 2048), the
 *     instructions executed = the kernel's schedule (K + 15 for one tile), RESULT = the address
 *     after the output; for K = 1000 the 32 accumulators against the CPU reference
 *     (tta_fc_ref(), one output at a time).
 * Then the speed phase: the `count` hardware-loop program of apps/tta_layers/faults.tta, with
 * MAX_CYCLES raised for it (and restored after), RUN with a count of
 * EDGEVP_TTA_PEAK_SPEED_CYCLES (default 20000000: the TTA executes about that many cycles, a
 * one-instruction loop body) inside the region "peak.speed".
 *
 * Output:
 *   "tta_peak: <prec> K <K> cycles <RUN_CYCLES> ops <OPS delta>"  per run
 *   "tta_peak: <prec> check ok"                                   after each precision's K = 1000
 *   "tta_peak: speed cycles <RUN_CYCLES>"
 *   "tta_peak: ok"
 * Exit: 0 ok; 1 an accumulator differs from the CPU's (the first mismatch is printed); 2 no tta
 * in the memory map; 3 a job failed or a counter is not what it should be (printed).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "edgevp/accel.h"
#include "edgevp/syscon.h"
#include "edgevp/tta.h"

#include "faults.h"
#include "fc.h"

#ifndef EDGEVP_TTA_PEAK_SPEED_CYCLES
#define EDGEVP_TTA_PEAK_SPEED_CYCLES 20000000
#endif

#define EXIT_MISMATCH 1
#define EXIT_NO_TTA   2
#define EXIT_DEVICE   3

#define K_MAX     1000u
#define K_CHECK   1000u /* the K whose accumulators are checked against the CPU */
#define E_MAX     32u   /* inputs per word (binary) */
#define N_IN_MAX  (K_MAX * E_MAX)

/* Data memory: the argument block at 0 (TTA_FC_ARGS_DST), the input at IN_ADDR, the output
   (128 bytes of accumulators) after it. Parameter memory: the layer from word 0. */
#define IN_ADDR 0x80u
#define WBASE   0u

struct precision {
    const char *name;
    uint8_t type; /* enum tta_fc_type */
    uint32_t entry;
};

static const struct precision precisions[] = {
    {"int8", TTA_FC_INT8, fc_LABEL_fc8_acc},
    {"tern", TTA_FC_TERNARY, fc_LABEL_fct_acc},
    {"bin", TTA_FC_BINARY, fc_LABEL_fcb_acc},
};
static const uint32_t ks[] = {256u, 1000u};

static struct accel_dev dev;
static struct tta_info info;

/* The layer's parameter-memory image: the bias word, then K weight words, 32 lanes each. */
static uint32_t image[(K_MAX + 1u) * TTA_FC_LANES];
static int8_t x[N_IN_MAX];
static int8_t row[N_IN_MAX]; /* one output's weights */
static uint32_t in_words[K_MAX];
static uint32_t lane_words[K_MAX];
static int32_t bias[TTA_FC_LANES];
static int32_t ref_acc[TTA_FC_LANES];
static int32_t out_acc[TTA_FC_LANES];
static struct tta_fc_args args;
static uint32_t count_args[2];
static char region[32];

static const struct tta_program fc_prog = TTA_PROGRAM(fc);
static const struct tta_program faults_prog = TTA_PROGRAM(faults);

/* A fixed LCG (Numerical Recipes); values from its high bits. */
static uint32_t lcg_state;
static uint32_t lcg(void)
{
    lcg_state = lcg_state * 1664525u + 1013904223u;
    return lcg_state;
}

static int8_t random_value(unsigned type)
{
    if (type == TTA_FC_INT8) return (int8_t)(lcg() >> 24);
    if (type == TTA_FC_TERNARY) return (int8_t)((int)((lcg() >> 16) % 3u) - 1);
    return (lcg() >> 31) ? 1 : -1;
}

static uint32_t macs_per_step(unsigned type)
{
    return TTA_FC_LANES * tta_fc_per_word(type); /* 128, 512, 1024 */
}

static int device_error(const char *what, int rc)
{
    printf("tta_peak: %s failed: %s (err_desc 0x%08lx, FAULT_PC %lu, FAULT_CAUSE %s)\n", what, tta_err_name(rc),
           (unsigned long)dev.err_desc, (unsigned long)tta_fault_pc(&dev), tta_fault_name(tta_fault_cause(&dev)));
    return EXIT_DEVICE;
}

/* Inputs, weights and biases for one run, packed; the CPU reference when `check`. */
static void prepare(unsigned type, uint32_t k, bool check)
{
    const uint32_t n_in = k * tta_fc_per_word(type);
    lcg_state = 0x7A9E0000u + 4096u * type + k;

    for (uint32_t i = 0; i < n_in; ++i) x[i] = random_value(type);
    tta_fc_pack_input(type, x, n_in, in_words);

    /* n_in is a whole number of words: no padding, the bias word is the biases (binary too). */
    for (uint32_t o = 0; o < TTA_FC_LANES; ++o) {
        bias[o] = type == TTA_FC_INT8 ? (int32_t)(lcg() % 40001u) - 20000 : (int32_t)(lcg() % 41u) - 20;
        image[o] = (uint32_t)bias[o];
    }
    /* Output o (lane o): its weights packed as an input word per step (tta.h), into weight
       word 1 + s. */
    for (uint32_t o = 0; o < TTA_FC_LANES; ++o) {
        for (uint32_t i = 0; i < n_in; ++i) row[i] = random_value(type);
        tta_fc_pack_input(type, row, n_in, lane_words);
        for (uint32_t s = 0; s < k; ++s) image[(1u + s) * TTA_FC_LANES + o] = lane_words[s];
        if (check) {
            const struct tta_fc l = {type, n_in, 1u, row, &bias[o]};
            tta_fc_ref(&l, x, &ref_acc[o]);
        }
    }
}

static int run_fc(const struct precision *p, uint32_t k)
{
    const bool check = k == K_CHECK;
    const uint32_t out_addr = (IN_ADDR + 4u * k + 8u + 127u) & ~127u;
    const uint32_t out_bytes = 4u * TTA_FC_LANES;

    prepare(p->type, k, check);
    int rc = tta_copy(&dev, TTA_COPY_PMEM, image, WBASE * TTA_WORD_BYTES, (k + 1u) * TTA_WORD_BYTES, true);
    if (rc != ACCEL_ERR_NONE) return device_error("weights COPY", rc);
    rc = tta_copy(&dev, TTA_COPY_DMEM, in_words, IN_ADDR, 4u * k, true);
    if (rc != ACCEL_ERR_NONE) return device_error("input COPY", rc);
    args.in = IN_ADDR;
    args.wbase = WBASE;
    args.steps = k;
    args.tiles = 1u;
    args.out = out_addr;
    args.act = 0u;
    args.scale = 0;

    snprintf(region, sizeof region, "peak.%s.%lu", p->name, (unsigned long)k);
    const uint64_t ops0 = accel_ops(&dev), insns0 = tta_insns(&dev);
    syscon_region_begin(region);
    rc = tta_run(&dev, p->entry, &args, sizeof args, TTA_FC_ARGS_DST, true);
    syscon_region_end();
    const uint64_t ops = accel_ops(&dev) - ops0, insns = tta_insns(&dev) - insns0;
    if (rc != ACCEL_ERR_NONE) return device_error(region, rc);
    const uint32_t cycles = tta_run_cycles(&dev), result = tta_result(&dev);
    printf("tta_peak: %s K %lu cycles %lu ops %llu\n", p->name, (unsigned long)k, (unsigned long)cycles,
           (unsigned long long)ops);

    const uint64_t want_ops = 2ull * k * macs_per_step(p->type);
    if (ops != want_ops) {
        printf("tta_peak: %s: OPS grew by %llu, expected 2 x %lu steps x %lu MACs = %llu\n", region,
               (unsigned long long)ops, (unsigned long)k, (unsigned long)macs_per_step(p->type),
               (unsigned long long)want_ops);
        return EXIT_DEVICE;
    }
    if (insns != k + 15u) {
        printf("tta_peak: %s: %llu instructions executed, the kernel's schedule has %lu\n", region,
               (unsigned long long)insns, (unsigned long)(k + 15u));
        return EXIT_DEVICE;
    }
    if (result != out_addr + out_bytes) {
        printf("tta_peak: %s: RESULT 0x%08lx, expected 0x%08lx\n", region, (unsigned long)result,
               (unsigned long)(out_addr + out_bytes));
        return EXIT_DEVICE;
    }
    if (!check) return 0;

    memset(out_acc, 0xA5, sizeof out_acc);
    rc = tta_copy(&dev, TTA_COPY_DMEM | TTA_COPY_TO_SOC, out_acc, out_addr, out_bytes, true);
    if (rc != ACCEL_ERR_NONE) return device_error("accumulators COPY", rc);
    for (uint32_t o = 0; o < TTA_FC_LANES; ++o) {
        if (out_acc[o] != ref_acc[o]) {
            printf("tta_peak: MISMATCH %s: accumulator %lu is %ld, the CPU's %ld\n", region, (unsigned long)o,
                   (long)out_acc[o], (long)ref_acc[o]);
            printf("tta_peak: %s check fail\n", p->name);
            return EXIT_MISMATCH;
        }
    }
    printf("tta_peak: %s check ok\n", p->name);
    return 0;
}

static int run_speed(void)
{
    const uint32_t count = (uint32_t)(EDGEVP_TTA_PEAK_SPEED_CYCLES);
    int rc = tta_load(&dev, &faults_prog, 0, true);
    if (rc != ACCEL_ERR_NONE) return device_error("loading the count program", rc);

    /* The budget: the count, the program's few cycles around the loop, and some margin. */
    const uint32_t old_max = tta_max_cycles(&dev);
    const uint32_t budget = count > 0xFFFFFFFFu - 1024u ? 0xFFFFFFFFu : count + 1024u;
    tta_set_max_cycles(&dev, budget);
    if (tta_max_cycles(&dev) != budget) {
        printf("tta_peak: MAX_CYCLES reads %lu after writing %lu\n", (unsigned long)tta_max_cycles(&dev),
               (unsigned long)budget);
        tta_set_max_cycles(&dev, old_max);
        return EXIT_DEVICE;
    }

    count_args[0] = 41u; /* the program halts with this + 1 */
    count_args[1] = count;
    syscon_region_begin("peak.speed");
    rc = tta_run(&dev, faults_LABEL_count, count_args, sizeof count_args, 0, true);
    syscon_region_end();
    const uint32_t cycles = tta_run_cycles(&dev), result = tta_result(&dev);
    tta_set_max_cycles(&dev, old_max);

    if (rc != ACCEL_ERR_NONE) return device_error("peak.speed", rc);
    printf("tta_peak: speed cycles %lu\n", (unsigned long)cycles);
    if (result != 42u) {
        printf("tta_peak: peak.speed: RESULT %lu, expected 42\n", (unsigned long)result);
        return EXIT_DEVICE;
    }
    if (cycles < count) {
        printf("tta_peak: peak.speed: %lu cycles for a loop of %lu iterations\n", (unsigned long)cycles,
               (unsigned long)count);
        return EXIT_DEVICE;
    }
    if (tta_max_cycles(&dev) != old_max) {
        printf("tta_peak: MAX_CYCLES reads %lu after restoring %lu\n", (unsigned long)tta_max_cycles(&dev),
               (unsigned long)old_max);
        return EXIT_DEVICE;
    }
    return 0;
}

int main(void)
{
    if (tta_find(0, &dev, &info) < 0) {
        printf("tta_peak: no tta accelerator in the memory map\n");
        return EXIT_NO_TTA;
    }
    if ((K_MAX + 1u) * TTA_WORD_BYTES > info.pmem_bytes || IN_ADDR + 4u * K_MAX + 8u + 256u > info.dmem_bytes) {
        printf("tta_peak: %s: %lu bytes parameters, %lu bytes data: too small for K %lu\n", dev.name,
               (unsigned long)info.pmem_bytes, (unsigned long)info.dmem_bytes, (unsigned long)K_MAX);
        return EXIT_DEVICE;
    }
    accel_irq_attach(&dev);

    int rc = tta_load(&dev, &fc_prog, 0, true);
    if (rc != ACCEL_ERR_NONE) {
        printf("tta_peak: loading the FC kernels (%lu instructions, %lu buses) failed: %s\n", (unsigned long)fc_INSNS,
               (unsigned long)fc_BUSES, tta_err_name(rc));
        return EXIT_DEVICE;
    }
    for (unsigned i = 0; i < sizeof precisions / sizeof precisions[0] && rc == 0; ++i) {
        for (unsigned j = 0; j < sizeof ks / sizeof ks[0] && rc == 0; ++j) rc = run_fc(&precisions[i], ks[j]);
    }
    if (rc == 0) rc = run_speed();
    if (rc != 0) {
        printf("tta_peak: FAIL\n");
        return rc;
    }
    printf("tta_peak: ok\n");
    return 0;
}

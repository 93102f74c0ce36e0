/*
 * tta_layers: fully connected layers on the transport-triggered accelerator (docs/models/tta.md),
 * binary, ternary and int8, checked bit for bit against the CPU.
 *
 * Finds the first instance of kind tta (tta_find), loads the FC kernels (fc.tta, assembled at
 * build time into fc.h) and, for each case below, inside the syscon region "tta.<case>":
 * fixed-seed random inputs, weights and biases; the weights packed by the CPU into the kernels'
 * parameter-memory layout and copied there (tta_fc_load: COPY through a staging buffer); then one
 * START of three chained descriptors: COPY the packed input to data memory, RUN the kernel with
 * its argument block, COPY the output back. The output is compared with tta_fc_ref() and its
 * activations (edgevp/tta.h), every byte of every tile, padding lanes included (except the raw
 * accumulators of padding lanes); RESULT with the address after the output; the instructions
 * the RUN executed (INSNS) with the kernel's schedule, T x (K + 5) + 10.
 *
 *   case                 what                               K (steps)  T (tiles)
 *   int8.req.20x10       mac8 + req8, ReLU                  5          1
 *   int8.req.300x70      mac8 + req8, no ReLU               75         3
 *   int8.req.1000x100    mac8 + req8, ReLU, to the last     250        4
 *                        parameter word
 *   int8.acc.100x45      mac8, int32 accumulators out       25         2
 *   int8.acc.7x33        mac8, int32 out, K not whole       2          2
 *   tern.tern.50x20      mact + tern                        4          1
 *   tern.tern.500x96     mact + tern                        32         3
 *   tern.acc.700x90      mact, int32 out                    44         3
 *   bin.sign.40x33       macb + sign                        2          2
 *   bin.sign.1000x64     macb + sign                        32         2
 *   bin.acc.2000x45      macb, int32 out                    63         2
 *   bin.acc.31x5         macb, int32 out                    1          1
 *
 * Then the error paths (region "tta.errors", faults.tta): a load outside data memory and a
 * misaligned one (ACCEL_ERR_PROGRAM, FAULT_CAUSE MEMORY, FAULT_PC = the load), a jump past the
 * program (PROGRAM, PC), a program that never halts with MAX_CYCLES lowered to 1000
 * (ACCEL_ERR_TIMEOUT, FAULT_PC in the loop, RUN_CYCLES), a COPY past data memory (SHAPE), images
 * for another machine or too large (refused by the HAL without a job); a hardware loop of 0 and
 * 100 iterations (RESULT, RUN_CYCLES 100 apart); and the first case again after all that. Jobs
 * alternate between polling and interrupt-driven waits.
 *
 * Output: "tta_layers: <case>: <n_in> -> <n_out>, K <k>, T <t>: <c> cycles, <i> insns, <m> moves"
 * and "tta_layers: <case> ok" per case, "tta_layers: errors ok", then "tta_layers: PASS" (or
 * "tta_layers: FAIL" after the first mismatch).
 * Exit: 0 PASS; 1 a result differs from the CPU's (the first mismatch is printed); 2 no tta in the
 * memory map; 3 a job failed or a register is not what the document says.
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

#define EXIT_MISMATCH 1
#define EXIT_NO_TTA   2
#define EXIT_DEVICE   3

#define MAX_WEIGHTS   100000u
#define MAX_IN        2000u
#define MAX_OUT       128u
#define STAGING_WORDS 32u

/* Data memory: the argument block at 0 (TTA_FC_ARGS_DST), the input at IN_ADDR, the output
   after it. */
#define IN_ADDR 0x80u

enum act { ACT_REQ8, ACT_ACC, ACT_TERN, ACT_SIGN };

struct fc_case {
    const char *name;
    uint8_t type; /* enum tta_fc_type */
    uint8_t act;  /* enum act */
    bool relu;
    uint32_t n_in, n_out;
    int32_t threshold; /* sign, tern */
    uint32_t wbase;    /* parameter word of the layer */
};

static const struct fc_case cases[] = {
    {"int8.req.20x10", TTA_FC_INT8, ACT_REQ8, true, 20, 10, 0, 0},
    {"int8.req.300x70", TTA_FC_INT8, ACT_REQ8, false, 300, 70, 0, 7},
    {"int8.req.1000x100", TTA_FC_INT8, ACT_REQ8, true, 1000, 100, 0, 20},
    {"int8.acc.100x45", TTA_FC_INT8, ACT_ACC, false, 100, 45, 0, 100},
    {"int8.acc.7x33", TTA_FC_INT8, ACT_ACC, false, 7, 33, 0, 3},
    {"tern.tern.50x20", TTA_FC_TERNARY, ACT_TERN, false, 50, 20, 3, 0},
    {"tern.tern.500x96", TTA_FC_TERNARY, ACT_TERN, false, 500, 96, 8, 40},
    {"tern.acc.700x90", TTA_FC_TERNARY, ACT_ACC, false, 700, 90, 0, 1},
    {"bin.sign.40x33", TTA_FC_BINARY, ACT_SIGN, false, 40, 33, 0, 0},
    {"bin.sign.1000x64", TTA_FC_BINARY, ACT_SIGN, false, 1000, 64, 4, 500},
    {"bin.acc.2000x45", TTA_FC_BINARY, ACT_ACC, false, 2000, 45, 0, 2},
    {"bin.acc.31x5", TTA_FC_BINARY, ACT_ACC, false, 31, 5, 0, 9},
};
#define N_CASES (sizeof cases / sizeof cases[0])

static struct accel_dev dev;
static struct tta_info info;
static unsigned jobs_run;

static int8_t weights[MAX_WEIGHTS];
static int8_t x[MAX_IN];
static int32_t bias[MAX_OUT];
static int32_t ref_acc[MAX_OUT];
static uint32_t in_words[MAX_IN / 4u + 1u];
static uint32_t staging[STAGING_WORDS * TTA_FC_LANES];
/* The device's output and the reference's, as stored (at most 4 tiles of int32). */
static uint32_t out_words[MAX_OUT];
static uint32_t ref_words[MAX_OUT];

static struct tta_fc_args args;
static tta_copy_desc_t copy_in, copy_out;
static tta_run_desc_t run_d;

static const struct tta_program fc_prog = TTA_PROGRAM(fc);
static const struct tta_program faults_prog = TTA_PROGRAM(faults);

static uint32_t rng = 0x9E3779B9u;
static uint32_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

static bool next_irq(void)
{
    return (jobs_run++ % 2u) != 0u;
}

static int8_t random_value(unsigned type)
{
    if (type == TTA_FC_INT8) return (int8_t)(rnd() & 0xFFu);
    if (type == TTA_FC_TERNARY) return (int8_t)((int)(rnd() % 3u) - 1);
    return (rnd() & 1u) ? 1 : -1;
}

static uint32_t out_stride(unsigned act)
{
    return act == ACT_REQ8 ? 32u : act == ACT_ACC ? 128u : act == ACT_TERN ? 8u : 4u;
}

/* The kernel's entry for a precision and an output. */
static uint32_t entry_of(unsigned type, unsigned act)
{
    if (type == TTA_FC_INT8) return act == ACT_REQ8 ? fc_LABEL_fc8_req : fc_LABEL_fc8_acc;
    if (type == TTA_FC_TERNARY) return act == ACT_TERN ? fc_LABEL_fct_tern : fc_LABEL_fct_acc;
    return act == ACT_SIGN ? fc_LABEL_fcb_sign : fc_LABEL_fcb_acc;
}

/* Runs one case; returns 0 or an exit code. */
static int run_case(const struct fc_case *c)
{
    const struct tta_fc l = {c->type, c->n_in, c->n_out, weights, bias};
    const uint32_t k = tta_fc_steps(c->type, c->n_in), t = tta_fc_tiles(c->n_out);
    const uint32_t out_addr = (IN_ADDR + 4u * k + 8u + 127u) & ~127u;
    const uint32_t out_bytes = t * out_stride(c->act);

    for (uint32_t i = 0; i < c->n_in; ++i) x[i] = random_value(c->type);
    for (uint32_t i = 0; i < c->n_in * c->n_out; ++i) weights[i] = random_value(c->type);
    for (uint32_t o = 0; o < c->n_out; ++o)
        bias[o] = c->type == TTA_FC_INT8 ? (int32_t)(rnd() % 40001u) - 20000 : (int32_t)(rnd() % 41u) - 20;
    tta_fc_ref(&l, x, ref_acc);

    /* req8: a scale that puts the largest accumulator at 160 (some saturate), shift 16. */
    int32_t scale = 0;
    uint32_t shift = 0;
    if (c->act == ACT_REQ8) {
        int32_t max = 1;
        for (uint32_t o = 0; o < c->n_out; ++o) {
            const int32_t a = ref_acc[o] < 0 ? -ref_acc[o] : ref_acc[o];
            max = a > max ? a : max;
        }
        shift = 16;
        scale = (int32_t)(((int64_t)160 << shift) / max);
    }

    int rc = tta_fc_load(&dev, &l, c->wbase, staging, STAGING_WORDS, next_irq());
    if (rc != ACCEL_ERR_NONE) {
        printf("tta_layers: %s: weights COPY failed: %s\n", c->name, tta_err_name(rc));
        return EXIT_DEVICE;
    }
    tta_fc_pack_input(c->type, x, c->n_in, in_words);
    memset(out_words, 0xA5, sizeof out_words);
    args.in = IN_ADDR;
    args.wbase = c->wbase;
    args.steps = k;
    args.tiles = t;
    args.out = out_addr;
    args.act = c->act == ACT_REQ8 ? shift | (c->relu ? TTA_FC_REQ8_RELU : 0u) : (uint32_t)c->threshold;
    args.scale = scale;
    tta_copy_desc(&copy_in, TTA_COPY_DMEM, in_words, IN_ADDR, 4u * k);
    tta_run_desc(&run_d, entry_of(c->type, c->act), &args, sizeof args, TTA_FC_ARGS_DST);
    tta_copy_desc(&copy_out, TTA_COPY_DMEM | TTA_COPY_TO_SOC, out_words, out_addr, out_bytes);
    tta_link(&copy_in, &run_d);
    tta_link(&run_d, &copy_out);

    const uint64_t insns0 = tta_insns(&dev), moves0 = tta_moves(&dev);
    rc = accel_run(&dev, &copy_in, next_irq());
    if (rc != ACCEL_ERR_NONE) {
        printf("tta_layers: %s: job failed: %s (err_desc 0x%08lx, FAULT_PC %lu, FAULT_CAUSE %s)\n", c->name,
               tta_err_name(rc), (unsigned long)dev.err_desc, (unsigned long)tta_fault_pc(&dev),
               tta_fault_name(tta_fault_cause(&dev)));
        return EXIT_DEVICE;
    }
    const uint64_t insns = tta_insns(&dev) - insns0, moves = tta_moves(&dev) - moves0;
    const uint32_t cycles = tta_run_cycles(&dev), result = tta_result(&dev);

    /* The reference as the device stores it. */
    uint32_t words;
    if (c->act == ACT_REQ8) {
        tta_fc_ref_req8(ref_acc, c->n_out, scale, shift, c->relu, (int8_t *)ref_words);
        words = 8u * t;
    } else if (c->act == ACT_SIGN) {
        tta_fc_ref_sign(ref_acc, c->n_out, c->threshold, ref_words);
        words = t;
    } else if (c->act == ACT_TERN) {
        tta_fc_ref_tern(ref_acc, c->n_out, c->threshold, ref_words);
        words = 2u * t;
    } else {
        memcpy(ref_words, ref_acc, 4u * c->n_out);
        words = c->n_out; /* the padding lanes' accumulators are not defined */
    }
    for (uint32_t i = 0; i < words; ++i) {
        if (out_words[i] != ref_words[i]) {
            printf("tta_layers: MISMATCH %s: output word %lu is 0x%08lx, the CPU's 0x%08lx\n", c->name,
                   (unsigned long)i, (unsigned long)out_words[i], (unsigned long)ref_words[i]);
            return EXIT_MISMATCH;
        }
    }
    if (result != out_addr + out_bytes) {
        printf("tta_layers: MISMATCH %s: RESULT 0x%08lx, expected 0x%08lx\n", c->name, (unsigned long)result,
               (unsigned long)(out_addr + out_bytes));
        return EXIT_MISMATCH;
    }
    const uint32_t schedule = t * (k + 5u) + 10u;
    if (insns != schedule) {
        printf("tta_layers: MISMATCH %s: %llu instructions executed, the kernel's schedule has %lu\n", c->name,
               (unsigned long long)insns, (unsigned long)schedule);
        return EXIT_MISMATCH;
    }
    printf("tta_layers: %s: %lu -> %lu, K %lu, T %lu: %lu cycles, %llu insns, %llu moves, %lu MACs per cycle\n",
           c->name, (unsigned long)c->n_in, (unsigned long)c->n_out, (unsigned long)k, (unsigned long)t,
           (unsigned long)cycles, (unsigned long long)insns, (unsigned long long)moves,
           (unsigned long)((uint64_t)c->n_in * c->n_out / (cycles ? cycles : 1u)));
    printf("tta_layers: %s ok\n", c->name);
    return 0;
}

static int expect(const char *what, int rc, int want)
{
    if (rc != want) {
        printf("tta_layers: %s: %s (%d), expected %s (%d)\n", what, tta_err_name(rc), rc, tta_err_name(want), want);
        return EXIT_DEVICE;
    }
    return 0;
}

static int expect_fault(const char *what, uint32_t entry, const uint32_t *a, uint32_t n_args, int want_err,
                        uint32_t want_cause, uint32_t pc_lo, uint32_t pc_hi)
{
    const int rc = tta_run(&dev, entry, a, 4u * n_args, 0, next_irq());
    const uint32_t pc = tta_fault_pc(&dev), cause = tta_fault_cause(&dev);
    if (rc != want_err || (want_err == ACCEL_ERR_PROGRAM && cause != want_cause) || pc < pc_lo || pc > pc_hi) {
        printf("tta_layers: %s: %s, FAULT_PC %lu, FAULT_CAUSE %s; expected %s, FAULT_PC %lu..%lu, %s\n", what,
               tta_err_name(rc), (unsigned long)pc, tta_fault_name(cause), tta_err_name(want_err),
               (unsigned long)pc_lo, (unsigned long)pc_hi, tta_fault_name(want_cause));
        return EXIT_DEVICE;
    }
    printf("tta_layers: %s: %s, FAULT_PC %lu, FAULT_CAUSE %s, RUN_CYCLES %lu\n", what, tta_err_name(rc),
           (unsigned long)pc, want_err == ACCEL_ERR_PROGRAM ? tta_fault_name(cause) : "-",
           (unsigned long)tta_run_cycles(&dev));
    return 0;
}

static int error_cases(void)
{
    static uint32_t a[3];
    int rc = expect("faults: PROGRAM", tta_load(&dev, &faults_prog, 0, next_irq()), ACCEL_ERR_NONE);

    /* Loads: outside data memory, misaligned, then a good one (RESULT = the word loaded). */
    a[0] = info.dmem_bytes;
    if (rc == 0)
        rc = expect_fault("load outside dmem", faults_LABEL_bad_load, a, 1, ACCEL_ERR_PROGRAM, TTA_CAUSE_MEMORY,
                          faults_LABEL_load_fault, faults_LABEL_load_fault);
    a[0] = 2;
    if (rc == 0)
        rc = expect_fault("misaligned load", faults_LABEL_bad_load, a, 1, ACCEL_ERR_PROGRAM, TTA_CAUSE_MEMORY,
                          faults_LABEL_load_fault, faults_LABEL_load_fault);
    a[0] = 8;
    a[2] = 0x12345678u;
    if (rc == 0) rc = expect("good load", tta_run(&dev, faults_LABEL_bad_load, a, 12, 0, next_irq()), ACCEL_ERR_NONE);
    if (rc == 0 && tta_result(&dev) != 0x12345678u) {
        printf("tta_layers: good load: RESULT 0x%08lx, expected 0x12345678\n", (unsigned long)tta_result(&dev));
        rc = EXIT_DEVICE;
    }

    /* A jump past the program: the PC fault (FAULT_PC printed; where it points is the model's). */
    if (rc == 0)
        rc = expect_fault("jump past the program", faults_LABEL_bad_jump, NULL, 0, ACCEL_ERR_PROGRAM, TTA_CAUSE_PC, 0,
                          0xFFFFFFFFu);

    /* A program that never halts, with MAX_CYCLES lowered. */
    tta_set_max_cycles(&dev, 1000);
    if (rc == 0 && tta_max_cycles(&dev) != 1000u) {
        printf("tta_layers: MAX_CYCLES reads %lu after writing 1000\n", (unsigned long)tta_max_cycles(&dev));
        rc = EXIT_DEVICE;
    }
    if (rc == 0)
        rc = expect_fault("never halts, MAX_CYCLES 1000", faults_LABEL_spin, NULL, 0, ACCEL_ERR_TIMEOUT, 0,
                          faults_LABEL_spin, faults_LABEL_spin + 3u);
    if (rc == 0 && tta_run_cycles(&dev) != 1000u) {
        printf("tta_layers: TIMEOUT after RUN_CYCLES %lu, MAX_CYCLES 1000\n", (unsigned long)tta_run_cycles(&dev));
        rc = EXIT_DEVICE;
    }
    tta_set_max_cycles(&dev, 0);

    /* A hardware loop of 100 iterations of an empty body, and of none: 100 cycles apart. */
    uint32_t cycles[2] = {0, 0};
    for (unsigned i = 0; i < 2 && rc == 0; ++i) {
        a[0] = 41u + i;
        a[1] = i == 0 ? 100u : 0u;
        rc = expect("loop", tta_run(&dev, faults_LABEL_count, a, 8, 0, next_irq()), ACCEL_ERR_NONE);
        cycles[i] = tta_run_cycles(&dev);
        if (rc == 0 && tta_result(&dev) != 42u + i) {
            printf("tta_layers: loop: RESULT %lu, expected %lu\n", (unsigned long)tta_result(&dev),
                   (unsigned long)(42u + i));
            rc = EXIT_DEVICE;
        }
    }
    if (rc == 0) {
        printf("tta_layers: loop of 100: %lu cycles, of 0: %lu cycles\n", (unsigned long)cycles[0],
               (unsigned long)cycles[1]);
        if (cycles[0] - cycles[1] != 100u) {
            printf("tta_layers: a loop of 100 iterations took %lu cycles more than one of 0\n",
                   (unsigned long)(cycles[0] - cycles[1]));
            rc = EXIT_DEVICE;
        }
    }

    /* A COPY past data memory. */
    if (rc == 0)
        rc = expect("COPY past dmem", tta_copy(&dev, TTA_COPY_DMEM, staging, info.dmem_bytes - 4u, 8, next_irq()),
                    ACCEL_ERR_SHAPE);

    /* Images the HAL refuses: another bus count, more instructions than instruction memory. */
    const struct tta_program wrong_buses = {fc_image, fc_INSNS, fc_BUSES + 1u};
    const struct tta_program too_long = {fc_image, info.imem_insns + 1u, fc_BUSES};
    if (rc == 0) rc = expect("image of another machine", tta_load(&dev, &wrong_buses, 0, false), TTA_ERR_IMAGE_BUSES);
    if (rc == 0) rc = expect("image too long", tta_load(&dev, &too_long, 0, false), TTA_ERR_IMAGE_SIZE);

    /* The FC kernels again. */
    if (rc == 0) rc = expect("FC kernels: PROGRAM", tta_load(&dev, &fc_prog, 0, next_irq()), ACCEL_ERR_NONE);
    if (rc == 0) printf("tta_layers: errors ok\n");
    return rc;
}

int main(void)
{
    if (tta_find(0, &dev, &info) < 0) {
        printf("tta_layers: no tta accelerator in the memory map\n");
        printf("tta_layers: FAIL\n");
        return EXIT_NO_TTA;
    }
    printf("tta_layers: %s at 0x%08lx: %lu instructions of %lu bytes, %lu bytes data, %lu bytes parameters\n",
           dev.name, (unsigned long)dev.base, (unsigned long)info.imem_insns, (unsigned long)info.insn_bytes,
           (unsigned long)info.dmem_bytes, (unsigned long)info.pmem_bytes);
    accel_irq_attach(&dev);

    syscon_region_begin("tta.load");
    int rc = tta_load(&dev, &fc_prog, 0, next_irq());
    syscon_region_end();
    if (rc != ACCEL_ERR_NONE) {
        printf("tta_layers: loading the FC kernels (%lu instructions, %lu buses) failed: %s\n",
               (unsigned long)fc_INSNS, (unsigned long)fc_BUSES, tta_err_name(rc));
        printf("tta_layers: FAIL\n");
        return EXIT_DEVICE;
    }

    static char region[40];
    for (unsigned i = 0; i < N_CASES && rc == 0; ++i) {
        snprintf(region, sizeof region, "tta.%s", cases[i].name);
        syscon_region_begin(region);
        rc = run_case(&cases[i]);
        syscon_region_end();
    }
    if (rc == 0) {
        syscon_region_begin("tta.errors");
        rc = error_cases();
        syscon_region_end();
    }
    if (rc == 0) {
        const struct fc_case again = {"again.int8.req.20x10", TTA_FC_INT8, ACT_REQ8, true, 20, 10, 0, 0};
        rc = run_case(&again);
    }
    printf("tta_layers: %s\n", rc == 0 ? "PASS" : "FAIL");
    return rc;
}

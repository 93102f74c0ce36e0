/*
 * fmnist_tta: Fashion-MNIST on the transport-triggered accelerator (docs/fmnist.md,
 * docs/models/tta.md): the int8 MLP of apps/fmnist/model_mlp.h (784 -> 128 ReLU -> 10) with the
 * integer semantics of apps/fmnist/nn.h, on the first tta instance, with the FC kernels of
 * apps/tta_layers/fc.tta.
 *
 * The weights are packed by the CPU into the kernels' parameter-memory layout (edgevp/tta.h,
 * tta_fc_pack_word(): per tile of 32 outputs a bias word, then one 1024-bit word per 4 inputs)
 * and copied into parameter memory once, inside region "load_weights": layer 0 from word 0
 * (4 tiles x 197 words), layer 1 after it (1 x 33). Then per image, inside region "infer":
 *   - the CPU converts the pixels to the int8 input (nn_input_convert);
 *   - one START of four chained descriptors: COPY the input to data memory, RUN fc8_req (layer 0:
 *     mac8, requantisation and ReLU on the vector unit, int8 out in data memory), RUN fc8_acc
 *     (layer 1: its int32 accumulators, bias included, are the logits), COPY the logits back;
 *   - argmax on the CPU (nn_argmax).
 *   fmnist: image <i> label <l> predicted <p> expected <e> cycles <c> time <t> us
 * Every image's logits are compared with the integer model's (fmnist_expected_logits), and for
 * the first FMNIST_TTA_HOST_CHECK images also with nn_infer_host() run on the CPU (outside
 * "infer"). At the end, like the other fmnist apps (bench/fmnist.sh parses them):
 *   fmnist: mlp tta: <correct>/<N> correct (<acc> %), <k> differ from the integer model,
 *           <cycles> cycles per inference
 *   fmnist: mlp tta: accuracy <correct>/<N>, integer model <its correct>/<N>
 *   fmnist: mlp tta: logits equal the integer model's on <n>/<N> images
 *   fmnist: ok
 * Before the images, each layer is run once on its own to print its RUN_CYCLES:
 *   fmnist: tta0: layer <l> <in> -> <out> (K <k>, T <t>): <c> cycles, <m> MACs per cycle
 * Exit: 0 ok; 1 a logit or class differs from the integer model (the first one is printed);
 * 2 no tta in the memory map; 3 a job failed.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "edgevp/accel.h"
#include "edgevp/csr.h"
#include "edgevp/syscon.h"
#include "edgevp/timer.h"
#include "edgevp/tta.h"

#include "fc.h"
#include "model_mlp.h"
#include "nn.h"

#ifndef FMNIST_N
#define FMNIST_N FMNIST_SLICE
#endif
#define N_IMAGES (FMNIST_N < FMNIST_SLICE ? FMNIST_N : FMNIST_SLICE)
_Static_assert(FMNIST_N >= 1, "FMNIST_N >= 1");
#ifndef FMNIST_TTA_HOST_CHECK
#define FMNIST_TTA_HOST_CHECK 3
#endif

#define EXIT_MISMATCH 1
#define EXIT_NO_TTA   2
#define EXIT_FAILED   3

_Static_assert(FMNIST_LAYERS == 2, "the MLP: two FC layers");
#define N_IN     NN_IMAGE_PIXELS
#define N_HIDDEN 128u
#define N_CLASS  10u

/* Data memory: argument block at 0, the input, the hidden layer, the logits (each followed by
   the 8 bytes the kernels read ahead). Parameter memory: layer 0 from word 0, layer 1 after. */
#define DM_IN     0x040u
#define DM_HIDDEN 0x400u
#define DM_LOGITS 0x500u
#define STAGING_WORDS 32u

static struct accel_dev dev;
static struct tta_info info;
static const struct tta_program fc_prog = TTA_PROGRAM(fc);
static struct tta_fc layer[2];
static struct tta_fc_args args[2];
static tta_copy_desc_t copy_in, copy_out;
static tta_run_desc_t run0, run1;
static uint32_t staging[STAGING_WORDS * TTA_FC_LANES];
static int8_t x[N_IN] __attribute__((aligned(4)));
static int32_t logits[32]; /* one tile of accumulators; the first 10 are the logits */
static int32_t host_logits[NN_MAX_CLASSES];

static void print_percent(uint32_t num, uint32_t den)
{
    const uint32_t h = (uint32_t)(((uint64_t)num * 10000u + den / 2u) / den);
    printf("%lu.%02lu", (unsigned long)(h / 100u), (unsigned long)(h % 100u));
}

static int fail(const char *what, int rc)
{
    printf("fmnist: %s failed: %s (err_desc 0x%08lx, FAULT_PC %lu, FAULT_CAUSE %s)\n", what, tta_err_name(rc),
           (unsigned long)dev.err_desc, (unsigned long)tta_fault_pc(&dev), tta_fault_name(tta_fault_cause(&dev)));
    return EXIT_FAILED;
}

/* The layers, their argument blocks and the per-image chain. */
static void build(void)
{
    for (unsigned i = 0; i < 2; ++i) {
        const nn_layer *nl = &fmnist_layers[i];
        layer[i].type = TTA_FC_INT8;
        layer[i].n_in = nl->in_c;
        layer[i].n_out = nl->out_c;
        layer[i].w = nl->w;
        layer[i].b = nl->b;
        args[i].steps = tta_fc_steps(TTA_FC_INT8, nl->in_c);
        args[i].tiles = tta_fc_tiles(nl->out_c);
    }
    args[0].in = DM_IN;
    args[0].wbase = 0;
    args[0].out = DM_HIDDEN;
    args[0].act = fmnist_layers[0].shift | (fmnist_layers[0].relu ? TTA_FC_REQ8_RELU : 0u);
    args[0].scale = fmnist_layers[0].scale;
    args[1].in = DM_HIDDEN;
    args[1].wbase = tta_fc_words(&layer[0]);
    args[1].out = DM_LOGITS;
    args[1].act = 0;
    args[1].scale = 0;
    tta_copy_desc(&copy_in, TTA_COPY_DMEM, x, DM_IN, N_IN);
    tta_run_desc(&run0, fc_LABEL_fc8_req, &args[0], sizeof args[0], TTA_FC_ARGS_DST);
    tta_run_desc(&run1, fc_LABEL_fc8_acc, &args[1], sizeof args[1], TTA_FC_ARGS_DST);
    tta_copy_desc(&copy_out, TTA_COPY_DMEM | TTA_COPY_TO_SOC, logits, DM_LOGITS, 4u * N_CLASS);
    tta_link(&copy_in, &run0);
    tta_link(&run0, &run1);
    tta_link(&run1, &copy_out);
}

/* Each layer of image 0 on its own: RUN_CYCLES per layer. */
static int profile(void)
{
    nn_input_convert(fmnist_images[0], x, N_IN);
    int rc = tta_copy(&dev, TTA_COPY_DMEM, x, DM_IN, N_IN, true);
    if (rc != ACCEL_ERR_NONE) return fail("COPY", rc);
    for (unsigned i = 0; i < 2; ++i) {
        rc = tta_run(&dev, i == 0 ? fc_LABEL_fc8_req : fc_LABEL_fc8_acc, &args[i], sizeof args[i], TTA_FC_ARGS_DST,
                     true);
        if (rc != ACCEL_ERR_NONE) return fail("RUN", rc);
        const uint32_t cycles = tta_run_cycles(&dev);
        printf("fmnist: %s: layer %u %lu -> %lu (K %lu, T %lu): %lu cycles, %lu MACs per cycle\n", dev.name, i,
               (unsigned long)layer[i].n_in, (unsigned long)layer[i].n_out, (unsigned long)args[i].steps,
               (unsigned long)args[i].tiles, (unsigned long)cycles,
               (unsigned long)(layer[i].n_in * layer[i].n_out / (cycles ? cycles : 1u)));
    }
    return 0;
}

int main(void)
{
    printf("fmnist: %s tta, %u of %u images\n", FMNIST_NET_NAME, (unsigned)N_IMAGES, (unsigned)FMNIST_SLICE);
    if (nn_check_layers(fmnist_layers, FMNIST_LAYERS) != NN_OK || fmnist_layers[0].kind != NN_FC ||
        fmnist_layers[1].kind != NN_FC || fmnist_layers[0].out_c != N_HIDDEN || fmnist_layers[1].out_c != N_CLASS) {
        printf("fmnist: the layer table is not the MLP this app maps\n");
        return EXIT_FAILED;
    }
    if (tta_find(0, &dev, &info) < 0) {
        printf("fmnist: no tta in the memory map\n");
        return EXIT_NO_TTA;
    }
    accel_irq_attach(&dev);
    build();
    if (tta_fc_words(&layer[0]) + tta_fc_words(&layer[1]) > info.pmem_bytes / TTA_WORD_BYTES) {
        printf("fmnist: the weights (%lu words) do not fit parameter memory (%lu bytes)\n",
               (unsigned long)(tta_fc_words(&layer[0]) + tta_fc_words(&layer[1])), (unsigned long)info.pmem_bytes);
        return EXIT_FAILED;
    }

    const uint32_t lc0 = csr_read(mcycle);
    syscon_region_begin("load_weights");
    int rc = tta_load(&dev, &fc_prog, 0, true);
    if (rc == ACCEL_ERR_NONE) rc = tta_fc_load(&dev, &layer[0], args[0].wbase, staging, STAGING_WORDS, true);
    if (rc == ACCEL_ERR_NONE) rc = tta_fc_load(&dev, &layer[1], args[1].wbase, staging, STAGING_WORDS, true);
    syscon_region_end();
    const uint32_t lc1 = csr_read(mcycle);
    if (rc != ACCEL_ERR_NONE) return fail("load_weights", rc);
    printf("fmnist: load_weights: %lu instructions, %lu parameter words, %lu cycles\n", (unsigned long)fc_INSNS,
           (unsigned long)(tta_fc_words(&layer[0]) + tta_fc_words(&layer[1])), (unsigned long)(lc1 - lc0));
    rc = profile();
    if (rc != 0) return rc;

    uint32_t correct = 0, int_correct = 0, differ = 0, logit_differ = 0;
    int first_img = -1, first_idx = -1;
    int32_t first_got = 0, first_exp = 0;
    uint64_t total_cycles = 0;
    const uint64_t acc0 = accel_cycles(&dev);
    const uint64_t t0 = timer_now();
    for (uint32_t i = 0; i < N_IMAGES; ++i) {
        const uint32_t c0 = csr_read(mcycle);
        const uint64_t s0 = timer_now();
        syscon_region_begin("infer");
        nn_input_convert(fmnist_images[i], x, N_IN);
        rc = accel_run(&dev, &copy_in, true);
        const int pred = rc == ACCEL_ERR_NONE ? (int)nn_argmax(logits, N_CLASS) : -1;
        syscon_region_end();
        const uint32_t cycles = csr_read(mcycle) - c0;
        const uint64_t us = timer_ticks_to_us(timer_now() - s0);
        if (rc != ACCEL_ERR_NONE) return fail("inference", rc);
        total_cycles += cycles;
        printf("fmnist: image %lu label %u predicted %d expected %u cycles %lu time %llu us\n", (unsigned long)i,
               fmnist_labels[i], pred, fmnist_expected[i], (unsigned long)cycles, (unsigned long long)us);
        correct += (uint32_t)pred == fmnist_labels[i];
        int_correct += fmnist_expected[i] == fmnist_labels[i];
        differ += (uint32_t)pred != fmnist_expected[i];
        bool same = true;
        for (uint32_t k = 0; k < N_CLASS; ++k) {
            if (logits[k] != fmnist_expected_logits[i][k]) {
                if (first_img < 0) {
                    first_img = (int)i;
                    first_idx = (int)k;
                    first_got = logits[k];
                    first_exp = fmnist_expected_logits[i][k];
                }
                same = false;
            }
        }
        logit_differ += !same;
        if ((uint32_t)pred != fmnist_expected[i] && first_img < 0) {
            first_img = (int)i;
            first_idx = -1;
            first_got = pred;
            first_exp = fmnist_expected[i];
        }
        if (i < FMNIST_TTA_HOST_CHECK) {
            /* The CPU's own int8 kernels on the same image. */
            const int host = nn_infer_host(fmnist_layers, FMNIST_LAYERS, fmnist_images[i], host_logits);
            bool host_same = host == pred;
            for (uint32_t k = 0; k < N_CLASS; ++k) host_same = host_same && host_logits[k] == logits[k];
            printf("fmnist: image %lu: logits %s nn_infer_host's\n", (unsigned long)i,
                   host_same ? "equal" : "DIFFER from");
            if (!host_same && first_img < 0) {
                first_img = (int)i;
                first_idx = -1;
                first_got = pred;
                first_exp = host;
            }
        }
    }
    const uint64_t t1 = timer_now();

    printf("fmnist: %s: %llu accelerator cycles per inference (copies and both RUNs)\n", dev.name,
           (unsigned long long)((accel_cycles(&dev) - acc0) / N_IMAGES));
    printf("fmnist: %u inferences in %llu us; %lu images with logits unlike the integer model's\n", (unsigned)N_IMAGES,
           (unsigned long long)timer_ticks_to_us(t1 - t0), (unsigned long)logit_differ);
    printf("fmnist: %s tta: %lu/%u correct (", FMNIST_NET_NAME, (unsigned long)correct, (unsigned)N_IMAGES);
    print_percent(correct, N_IMAGES);
    printf(" %%), %lu differ from the integer model, %llu cycles per inference\n", (unsigned long)differ,
           (unsigned long long)(total_cycles / N_IMAGES));
    printf("fmnist: %s tta: accuracy %lu/%u, integer model %lu/%u\n", FMNIST_NET_NAME, (unsigned long)correct,
           (unsigned)N_IMAGES, (unsigned long)int_correct, (unsigned)N_IMAGES);
    printf("fmnist: %s tta: logits equal the integer model's on %lu/%u images\n", FMNIST_NET_NAME,
           (unsigned long)(N_IMAGES - logit_differ), (unsigned)N_IMAGES);
    if (first_img >= 0) {
        if (first_idx >= 0) {
            printf("fmnist: MISMATCH image %d logit %d: got %ld expected %ld\n", first_img, first_idx, (long)first_got,
                   (long)first_exp);
        } else {
            printf("fmnist: MISMATCH image %d: predicted %ld expected %ld\n", first_img, (long)first_got,
                   (long)first_exp);
        }
        return EXIT_MISMATCH;
    }
    printf("fmnist: ok\n");
    return 0;
}

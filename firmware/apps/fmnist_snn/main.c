/*
 * fmnist_snn: Fashion-MNIST on the spiking accelerator (docs/fmnist.md, docs/models/snn.md).
 *
 * The network is the integer MLP converted to a two-layer spiking network by tools/snn/convert.py
 * (model_snn.h: weights, neuron parameters, the input encoding, and what the reference model
 * tools/snn/snnref.py computes for each embedded test image). Per image, inside region "infer":
 *   - the CPU encodes the pixels into an address-event stream (rate coding over SNN_T steps,
 *     exactly as snnref.py: docs in tools/snn/README.md);
 *   - one START runs a chain of three descriptors: LAYER 0 (784 inputs -> 128 hidden, into a
 *     ring), LAYER 1 (the hidden spikes -> 10 outputs, with spike counts) and STATE (the 10 output
 *     membranes);
 *   - the class is argmax over o of count[o] * threshold + membrane[o] (lowest index on ties).
 * The weights are loaded once, inside region "load_weights".
 *
 * Checked per image against the reference model: class, output spike counts, membranes, input
 * and hidden spike counts, synaptic operations. Output per image:
 *   fmnist: image <i> label <l> predicted <p> expected <e> cycles <c> in <spikes> hidden <spikes>
 *           synops <n>
 * and at the end
 *   fmnist: snn snn0: accuracy <correct>/<N>, reference model <its correct>/<N>
 *   fmnist: ok
 * With FMNIST_SNN_SWEEP, after the main run, the first SNN_SWEEP_IMAGES images again at each
 * encoding gain of snn_sweep_gain[] (regions "sweep<k>"), for bench/snn_activity.sh:
 *   fmnist: sweep <k> gain <g> images <n> in_spikes <total> synops <total> correct <c>
 * Exit: 0 ok; 1 a result differs from the reference model (the first difference is printed);
 * 2 no snn in the memory map; 3 a job failed.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "edgevp/accel.h"
#include "edgevp/csr.h"
#include "edgevp/snn.h"
#include "edgevp/syscon.h"

#include "model_snn.h"

#ifndef FMNIST_N
#define FMNIST_N FMNIST_SLICE
#endif
#if FMNIST_N > FMNIST_SLICE
#error "FMNIST_N exceeds the embedded images"
#endif
#ifndef SNN_SWEEP_IMAGES
#define SNN_SWEEP_IMAGES 20
#endif

#define EXIT_MISMATCH 1
#define EXIT_NO_SNN   2
#define EXIT_DEVICE   3

#define SNN_PIXELS (SNN_IN_W * SNN_IN_H * SNN_IN_C)
/* Input stream: at most one spike per input per step, a marker per step, END. */
#define IN_WORDS  (SNN_T * (SNN_PIXELS + 1) + 1)
#define MID_WORDS (SNN_T * (SNN_HIDDEN + 1) + 1)
#define OUT_WORDS (SNN_T * (SNN_OUT + 1) + 1)

static uint32_t in_ring[IN_WORDS];
static uint32_t mid_ring[MID_WORDS];
static uint32_t out_ring[OUT_WORDS];
static uint32_t counts[SNN_OUT];
static int32_t membranes[SNN_OUT];
static uint32_t acc[SNN_PIXELS];
static uint16_t active[SNN_PIXELS];
static uint8_t level[SNN_PIXELS];

static struct accel_dev dev;
static snn_load_desc_t load_d[2];
static snn_layer_desc_t layer_d[2];
static snn_state_desc_t state_d;
static struct snn_layer l0, l1;

/* The encoding of tools/snn/snnref.py: pixels below the threshold never spike; each other one
   adds p * gain to an accumulator starting at SNN_ENC_PHASE and spikes when it reaches 65536.
   The bias inputs (if the model has them) spike at every step. Returns the stream's words. */
static uint32_t encode(const uint8_t *pixels, uint32_t gain, uint32_t *spikes)
{
    unsigned n_active = 0;
    for (unsigned i = 0; i < 784u; ++i) {
        if (pixels[i] == 0) continue;
#if SNN_ENC_THRESHOLD > 0
        if (pixels[i] < SNN_ENC_THRESHOLD) continue;
#endif
        active[n_active] = (uint16_t)i;
        level[n_active] = pixels[i];
        acc[n_active] = SNN_ENC_PHASE;
        ++n_active;
    }
    uint32_t w = 0, s = 0;
    for (uint32_t t = 0; t < SNN_T; ++t) {
        const uint32_t marker = w;
        in_ring[w++] = SNN_TIME(t);
        for (unsigned k = 0; k < n_active; ++k) {
            acc[k] += level[k] * gain;
            if (acc[k] >= 65536u) {
                acc[k] -= 65536u;
                in_ring[w++] = SNN_SPIKE(0, active[k] / 28u, active[k] % 28u);
            }
        }
#if SNN_BIAS_INPUTS > 0
        for (unsigned b = 0; b < SNN_BIAS_INPUTS; ++b) in_ring[w++] = SNN_SPIKE(SNN_BIAS_C, SNN_BIAS_Y, SNN_BIAS_X0 + b);
#endif
        if (w == marker + 1) w = marker; /* no spike at this step: no marker */
    }
    in_ring[w++] = SNN_END;
    for (uint32_t k = 0; k < w; ++k) s += SNN_EVT_OP(in_ring[k]) == SNN_EVT_SPIKE;
    *spikes = s;
    return w;
}

static void build(void)
{
    l0.flags = SNN_LAYER_FC | SNN_LAYER_CLEAR | (SNN_L0_RESET_SUB ? SNN_LAYER_RESET_SUB : 0) |
               (SNN_L0_LEAK_MODE == 1 ? SNN_LAYER_LEAK_LINEAR : SNN_L0_LEAK_MODE == 2 ? SNN_LAYER_LEAK_SHIFT : 0);
    l0.in_w = SNN_IN_W;
    l0.in_h = SNN_IN_H;
    l0.in_c = SNN_IN_C;
    l0.out_w = l0.out_h = 1;
    l0.out_c = SNN_HIDDEN;
    l0.weights = snn_w0;
    l0.weights_off = 0;
    l0.threshold = SNN_L0_THRESHOLD;
    l0.reset = SNN_L0_RESET;
    l0.leak = SNN_L0_LEAK;
    l0.refractory = SNN_L0_REFRACTORY;
    l0.state = 0;
    l1 = l0;
    l1.flags = SNN_LAYER_FC | SNN_LAYER_CLEAR | (SNN_L1_RESET_SUB ? SNN_LAYER_RESET_SUB : 0) |
               (SNN_L1_LEAK_MODE == 1 ? SNN_LAYER_LEAK_LINEAR : SNN_L1_LEAK_MODE == 2 ? SNN_LAYER_LEAK_SHIFT : 0);
    l1.in_w = l1.in_h = 1;
    l1.in_c = SNN_HIDDEN;
    l1.out_c = SNN_OUT;
    l1.weights = snn_w1;
    l1.weights_off = sizeof snn_w0;
    l1.threshold = SNN_L1_THRESHOLD;
    l1.reset = SNN_L1_RESET;
    l1.leak = SNN_L1_LEAK;
    l1.refractory = SNN_L1_REFRACTORY;
    l1.state = SNN_HIDDEN;
    snn_layer_desc(&layer_d[0], &l0, in_ring, IN_WORDS, 0, mid_ring, MID_WORDS, 0, NULL);
    snn_layer_desc(&layer_d[1], &l1, mid_ring, MID_WORDS, 0, out_ring, OUT_WORDS, 0, counts);
    snn_state_desc(&state_d, SNN_HIDDEN, SNN_OUT, membranes);
    layer_d[0].next = (uint32_t)(uintptr_t)&layer_d[1];
    layer_d[1].next = (uint32_t)(uintptr_t)&state_d;
}

static int load_weights(void)
{
    snn_load_desc(&load_d[0], snn_w0, 0, sizeof snn_w0);
    snn_load_desc(&load_d[1], snn_w1, sizeof snn_w0, sizeof snn_w1);
    load_d[0].next = (uint32_t)(uintptr_t)&load_d[1];
    return accel_run(&dev, &load_d[0], true);
}

/* One inference; returns the class or a negative error. */
static int infer(const uint8_t *pixels, uint32_t gain, uint32_t *in_spikes)
{
    encode(pixels, gain, in_spikes);
    const int rc = accel_run(&dev, &layer_d[0], true);
    if (rc != ACCEL_ERR_NONE) {
        printf("fmnist: snn job failed (code %d, err_desc 0x%08lx, err_addr 0x%08lx)\n", rc,
               (unsigned long)dev.err_desc, (unsigned long)dev.err_addr);
        return -1;
    }
    int best = 0;
    int32_t best_score = 0;
    for (int o = 0; o < SNN_OUT; ++o) {
        const int32_t score = (int32_t)counts[o] * SNN_L1_THRESHOLD + membranes[o];
        if (o == 0 || score > best_score) {
            best = o;
            best_score = score;
        }
    }
    return best;
}

static int check(unsigned i, int pred, uint32_t in_spikes, uint32_t hidden, uint32_t synops)
{
    if (pred != snn_expected[i] || in_spikes != snn_expected_in_spikes[i] || hidden != snn_expected_hidden_spikes[i] ||
        synops != snn_expected_synops[i]) {
        printf("fmnist: MISMATCH image %u: class %d in %lu hidden %lu synops %lu; reference %u, %lu, %lu, %lu\n", i,
               pred, (unsigned long)in_spikes, (unsigned long)hidden, (unsigned long)synops,
               (unsigned)snn_expected[i], (unsigned long)snn_expected_in_spikes[i],
               (unsigned long)snn_expected_hidden_spikes[i], (unsigned long)snn_expected_synops[i]);
        return EXIT_MISMATCH;
    }
    for (unsigned o = 0; o < SNN_OUT; ++o)
        if (counts[o] != snn_expected_counts[i][o] || membranes[o] != snn_expected_membrane[i][o]) {
            printf("fmnist: MISMATCH image %u output %u: count %lu membrane %ld; reference %u, %d\n", i, o,
                   (unsigned long)counts[o], (long)membranes[o], (unsigned)snn_expected_counts[i][o],
                   snn_expected_membrane[i][o]);
            return EXIT_MISMATCH;
        }
    return 0;
}

#ifdef FMNIST_SNN_SWEEP
static int sweep(void)
{
    for (unsigned k = 0; k < SNN_SWEEP_N; ++k) {
        char region[16];
        snprintf(region, sizeof region, "sweep%u", k);
        uint64_t spikes = 0, synops = 0;
        unsigned correct = 0;
        for (unsigned i = 0; i < SNN_SWEEP_IMAGES; ++i) {
            const uint64_t s0 = snn_synops(&dev);
            uint32_t in = 0;
            syscon_region_begin(region);
            const int pred = infer(fmnist_images[i], snn_sweep_gain[k], &in);
            syscon_region_end();
            if (pred < 0) return EXIT_DEVICE;
            spikes += in;
            synops += snn_synops(&dev) - s0;
            correct += pred == fmnist_labels[i];
        }
        printf("fmnist: sweep %u gain %u images %u in_spikes %lu synops %lu correct %u\n", k,
               (unsigned)snn_sweep_gain[k], (unsigned)SNN_SWEEP_IMAGES, (unsigned long)spikes, (unsigned long)synops,
               correct);
    }
    return 0;
}
#endif

int main(void)
{
    uint32_t id = 0;
    if (accel_find(SNN_ID, 0, &dev, &id) < 0) {
        printf("fmnist: no snn accelerator in the memory map\n");
        return EXIT_NO_SNN;
    }
    printf("fmnist: snn %s, %u of %u images, %u steps\n", dev.name, (unsigned)FMNIST_N, (unsigned)FMNIST_SLICE,
           (unsigned)SNN_T);
    accel_irq_attach(&dev);
    build();
    syscon_region_begin("load_weights");
    const int lrc = load_weights();
    syscon_region_end();
    if (lrc != ACCEL_ERR_NONE) {
        printf("fmnist: LOAD failed (code %d)\n", lrc);
        return EXIT_DEVICE;
    }
    unsigned correct = 0, ref_correct = 0;
    for (unsigned i = 0; i < FMNIST_N; ++i) {
        const uint64_t s0 = snn_synops(&dev);
        const uint32_t c0 = csr_read(mcycle);
        uint32_t in = 0;
        syscon_region_begin("infer");
        const int pred = infer(fmnist_images[i], SNN_ENC_GAIN, &in);
        syscon_region_end();
        const uint32_t cycles = csr_read(mcycle) - c0;
        if (pred < 0) return EXIT_DEVICE;
        const uint32_t hidden = accel_read(&dev, SNN_IN_SPIKES); /* layer 1's input: the hidden spikes */
        const uint32_t synops = (uint32_t)(snn_synops(&dev) - s0);
        printf("fmnist: image %u label %u predicted %d expected %u cycles %lu in %lu hidden %lu synops %lu\n", i,
               (unsigned)fmnist_labels[i], pred, (unsigned)snn_expected[i], (unsigned long)cycles, (unsigned long)in,
               (unsigned long)hidden, (unsigned long)synops);
        const int rc = check(i, pred, in, hidden, synops);
        if (rc != 0) return rc;
        correct += pred == fmnist_labels[i];
        ref_correct += snn_expected[i] == fmnist_labels[i];
    }
    printf("fmnist: snn %s: accuracy %u/%u, reference model %u/%u\n", dev.name, correct, (unsigned)FMNIST_N,
           ref_correct, (unsigned)FMNIST_N);
#ifdef FMNIST_SNN_SWEEP
    const int src = sweep();
    if (src != 0) return src;
#endif
    printf("fmnist: ok\n");
    return 0;
}

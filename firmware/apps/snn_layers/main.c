/*
 * snn_layers: the spiking accelerator's layer types checked bit for bit against the CPU.
 *
 * Finds the first instance of kind snn in the memory map (accel_find) and, for each case below,
 * loads fixed-seed random weights (LOAD), writes a random input event stream, runs a LAYER and
 * compares with snn_ref_layer() (edgevp/snn.h, written from docs/models/snn.md): the output event
 * stream word for word, the spike counts, and every membrane (STATE); the SYNOPS register against
 * the reference's synaptic operations. Cases, each inside the syscon region "snn.<case>":
 *   fc8      FC int8 24 -> 16, no leak, reset to a value
 *   fc4      FC int4 40 -> 13, linear leak, reset by subtraction, refractory 1
 *   conv     CONV 3x3, 6x6x2 -> 6x6x4, shift leak 2
 *   conv5    CONV 5x5, 8x8x1 -> 8x8x3, int4
 *   sparse   SPARSE 32 -> 24, random compressed rows
 *   chain    FC 24 -> 16 -> 8: the second LAYER reads the first one's output ring (with wrap)
 * then the error paths: a time step going back (EVENT, ERR_ADDR = its word), an output ring too
 * small (OVERFLOW), a spike outside the input shape (EVENT). Jobs alternate between polling and
 * interrupt-driven waits.
 *
 * Output: "snn_layers: <case>: <in> spikes in, <out> out, <synops> synops, <cycles> cycles" and
 * "snn_layers: <case> ok" per case, "snn_layers: errors ok", and "snn_layers: ok".
 * Exit: 0 ok; 1 a result differs from the CPU's (the first mismatch is printed); 2 no snn in the
 * memory map; 3 a job failed or a register is not what the contract says.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "edgevp/accel.h"
#include "edgevp/snn.h"
#include "edgevp/syscon.h"

#define EXIT_MISMATCH 1
#define EXIT_NO_SNN   2
#define EXIT_DEVICE   3

#define MAX_NEURONS 256u
#define MAX_WORDS   4096u
#define MAX_SYN     8192u

static struct accel_dev dev;
static unsigned jobs_run;

static uint32_t in_ring[MAX_WORDS], out_ring[MAX_WORDS], ref_out[MAX_WORDS], mid_ring[MAX_WORDS];
static uint32_t counts[MAX_NEURONS], ref_counts[MAX_NEURONS];
static int32_t membranes[MAX_NEURONS];
static int16_t ref_v[MAX_NEURONS];
static uint32_t ref_last[MAX_NEURONS], ref_refr[MAX_NEURONS];
static int32_t scratch_acc[MAX_NEURONS];
static uint8_t scratch_touched[MAX_NEURONS];
static uint8_t syn[MAX_SYN] __attribute__((aligned(4)));
static uint32_t entries[MAX_SYN / 4];

static snn_load_desc_t load_d;
static snn_layer_desc_t layer_d;
static snn_state_desc_t state_d;

static uint32_t rng = 0x2545F491u;
static uint32_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

static int run(const void *desc)
{
    const bool irq = (jobs_run++ % 2) != 0;
    return accel_run(&dev, desc, irq);
}

static unsigned out_count(const struct snn_layer *l)
{
    return l->out_w * l->out_h * l->out_c;
}

/* Random stream: `steps` steps (with gaps), each input spiking with probability pct %. */
static uint32_t random_stream(const struct snn_layer *l, uint32_t *w, unsigned steps, unsigned pct)
{
    uint32_t n = 0;
    for (unsigned s = 0; s < steps; ++s) {
        const uint32_t t = s * 2 + (s % 3 == 0);
        bool marker = false;
        for (unsigned y = 0; y < l->in_h; ++y)
            for (unsigned x = 0; x < l->in_w; ++x)
                for (unsigned c = 0; c < l->in_c; ++c) {
                    if (rnd() % 100 >= pct || n + 3 >= MAX_WORDS) continue;
                    if (!marker) w[n++] = SNN_TIME(t);
                    marker = true;
                    w[n++] = SNN_SPIKE(c, y, x);
                }
    }
    w[n++] = SNN_END;
    return n;
}

static void random_weights(uint8_t *w, uint32_t bytes, int lo, int hi)
{
    for (uint32_t i = 0; i < bytes; ++i) w[i] = (uint8_t)(int8_t)(lo + (int)(rnd() % (uint32_t)(hi - lo + 1)));
}

static int load(const void *src, uint32_t dst, uint32_t len)
{
    snn_load_desc(&load_d, src, dst, len);
    const int rc = run(&load_d);
    if (rc != ACCEL_ERR_NONE) printf("snn_layers: LOAD failed (code %d)\n", rc);
    return rc;
}

/* Runs the layer on the device and on the CPU (the CPU's state in ref_v/last/refr) and compares
   everything. `in`: the input ring (in_size words, the stream from in_offset). */
static int check_layer(const char *name, const struct snn_layer *l, const uint32_t *in, uint32_t in_size,
                       uint32_t in_offset, uint32_t stream_words, uint32_t out_size, uint32_t out_offset)
{
    static uint32_t linear[MAX_WORDS];
    for (uint32_t k = 0; k < stream_words; ++k) linear[k] = in[(in_offset + k) % in_size];
    uint32_t ref_len = 0;
    uint64_t ref_synops = 0;
    const int ref_rc = snn_ref_layer(l, linear, stream_words, ref_v + l->state, ref_last + l->state,
                                     ref_refr + l->state, scratch_acc, scratch_touched, ref_out, out_size, &ref_len,
                                     ref_counts, &ref_synops);
    if (ref_rc != ACCEL_ERR_NONE) {
        printf("snn_layers: %s: the reference says %d (app bug)\n", name, ref_rc);
        return EXIT_DEVICE;
    }
    const uint64_t synops0 = snn_synops(&dev);
    const uint64_t cycles0 = accel_cycles(&dev);
    snn_layer_desc(&layer_d, l, in, in_size, in_offset, out_ring, out_size, out_offset, counts);
    const int rc = run(&layer_d);
    if (rc != ACCEL_ERR_NONE) {
        printf("snn_layers: %s: LAYER failed (code %d, err_addr 0x%08lx)\n", name, rc, (unsigned long)dev.err_addr);
        return EXIT_DEVICE;
    }
    if (accel_read(&dev, SNN_OUT_WORDS) != ref_len ||
        accel_read(&dev, SNN_OUT_END) != (out_offset + ref_len) % out_size) {
        printf("snn_layers: MISMATCH %s: %lu words out (end %lu), the CPU %lu\n", name,
               (unsigned long)accel_read(&dev, SNN_OUT_WORDS), (unsigned long)accel_read(&dev, SNN_OUT_END),
               (unsigned long)ref_len);
        return EXIT_MISMATCH;
    }
    for (uint32_t k = 0; k < ref_len; ++k)
        if (out_ring[(out_offset + k) % out_size] != ref_out[k]) {
            printf("snn_layers: MISMATCH %s: output word %lu is 0x%08lx, the CPU's 0x%08lx\n", name, (unsigned long)k,
                   (unsigned long)out_ring[(out_offset + k) % out_size], (unsigned long)ref_out[k]);
            return EXIT_MISMATCH;
        }
    const unsigned n = out_count(l);
    for (unsigned o = 0; o < n; ++o)
        if (counts[o] != ref_counts[o]) {
            printf("snn_layers: MISMATCH %s: neuron %u spiked %lu times, on the CPU %lu\n", name, o,
                   (unsigned long)counts[o], (unsigned long)ref_counts[o]);
            return EXIT_MISMATCH;
        }
    snn_state_desc(&state_d, l->state, n, membranes);
    if (run(&state_d) != ACCEL_ERR_NONE) return EXIT_DEVICE;
    for (unsigned o = 0; o < n; ++o)
        if (membranes[o] != ref_v[l->state + o]) {
            printf("snn_layers: MISMATCH %s: neuron %u membrane %ld, on the CPU %d\n", name, o, (long)membranes[o],
                   ref_v[l->state + o]);
            return EXIT_MISMATCH;
        }
    const uint64_t synops = snn_synops(&dev) - synops0;
    if (synops != ref_synops) {
        printf("snn_layers: MISMATCH %s: SYNOPS advanced by %lu, the CPU counts %lu\n", name, (unsigned long)synops,
               (unsigned long)ref_synops);
        return EXIT_MISMATCH;
    }
    printf("snn_layers: %s: %lu spikes in, %lu out, %lu synops, %lu cycles\n", name,
           (unsigned long)accel_read(&dev, SNN_IN_SPIKES), (unsigned long)accel_read(&dev, SNN_OUT_SPIKES),
           (unsigned long)synops, (unsigned long)(accel_cycles(&dev) - cycles0));
    printf("snn_layers: %s ok\n", name);
    return 0;
}

static struct snn_layer fc(unsigned in, unsigned out, uint32_t flags, int16_t threshold)
{
    struct snn_layer l;
    memset(&l, 0, sizeof l);
    l.flags = SNN_LAYER_FC | SNN_LAYER_CLEAR | flags;
    l.in_w = l.in_h = 1;
    l.in_c = in;
    l.out_w = l.out_h = 1;
    l.out_c = out;
    l.weights = syn;
    l.threshold = threshold;
    return l;
}

/* One random layer: weights loaded, a stream in the input ring, checked. */
static int random_case(const char *name, struct snn_layer *l, uint32_t w_bytes, int lo, int hi, unsigned steps,
                       unsigned pct)
{
    char region[32];
    snprintf(region, sizeof region, "snn.%s", name);
    syscon_region_begin(region);
    random_weights(syn, w_bytes, lo, hi);
    if (load(syn, 0, w_bytes) != ACCEL_ERR_NONE) return EXIT_DEVICE;
    const uint32_t words = random_stream(l, in_ring, steps, pct);
    const int rc = check_layer(name, l, in_ring, MAX_WORDS, 0, words, MAX_WORDS, 0);
    syscon_region_end();
    return rc;
}

static int sparse_case(void)
{
    struct snn_layer l = fc(32, 24, 0, 20);
    l.flags = SNN_LAYER_SPARSE | SNN_LAYER_CLEAR | SNN_LAYER_LEAK_LINEAR;
    l.leak = 1;
    uint32_t *ptr = (uint32_t *)syn;
    uint32_t e = 0;
    for (unsigned i = 0; i < 32; ++i) {
        ptr[i] = e;
        const unsigned k = rnd() % 6;
        for (unsigned j = 0; j < k; ++j)
            entries[e++] = (rnd() % 24) | ((uint32_t)(uint8_t)(int8_t)((int)(rnd() % 70) - 20) << 16);
    }
    ptr[32] = e;
    l.entries = entries;
    l.entries_off = 33 * 4;
    memcpy(syn + l.entries_off, entries, e * 4);
    syscon_region_begin("snn.sparse");
    if (load(syn, 0, l.entries_off + e * 4) != ACCEL_ERR_NONE) return EXIT_DEVICE;
    const uint32_t words = random_stream(&l, in_ring, 12, 30);
    const int rc = check_layer("sparse", &l, in_ring, MAX_WORDS, 0, words, MAX_WORDS, 0);
    syscon_region_end();
    return rc;
}

/* Two FC layers: the second reads the first one's output, which wraps around its ring. */
static int chain_case(void)
{
    struct snn_layer l1 = fc(24, 16, SNN_LAYER_RESET_SUB, 30);
    struct snn_layer l2 = fc(16, 8, SNN_LAYER_RESET_SUB, 20);
    l2.weights = syn + 24 * 16;
    l2.weights_off = 24 * 16;
    l2.state = 16;
    syscon_region_begin("snn.chain");
    random_weights(syn, 24 * 16 + 16 * 8, -10, 40);
    if (load(syn, 0, 24 * 16 + 16 * 8) != ACCEL_ERR_NONE) return EXIT_DEVICE;
    const uint32_t words = random_stream(&l1, in_ring, 10, 40);
    int rc = check_layer("chain.1", &l1, in_ring, MAX_WORDS, 0, words, 512, 400);
    if (rc == 0) {
        memcpy(mid_ring, out_ring, sizeof mid_ring);
        rc = check_layer("chain.2", &l2, mid_ring, 512, 400, accel_read(&dev, SNN_OUT_WORDS), 512, 0);
    }
    syscon_region_end();
    return rc;
}

static int expect_error(const char *what, int want, uint32_t want_addr)
{
    const int rc = run(&layer_d);
    if (rc != want || (want_addr != 0 && dev.err_addr != want_addr)) {
        printf("snn_layers: %s: code %d err_addr 0x%08lx, expected %d at 0x%08lx\n", what, rc,
               (unsigned long)dev.err_addr, want, (unsigned long)want_addr);
        return EXIT_DEVICE;
    }
    return 0;
}

static int error_cases(void)
{
    struct snn_layer l = fc(4, 8, 0, 1);
    random_weights(syn, 32, 1, 5);
    if (load(syn, 0, 32) != ACCEL_ERR_NONE) return EXIT_DEVICE;
    in_ring[0] = SNN_TIME(5);
    in_ring[1] = SNN_SPIKE(0, 0, 0);
    in_ring[2] = SNN_TIME(4);
    in_ring[3] = SNN_END;
    snn_layer_desc(&layer_d, &l, in_ring, 16, 0, out_ring, 64, 0, counts);
    int rc = expect_error("time going back", ACCEL_ERR_EVENT, (uint32_t)(uintptr_t)&in_ring[2]);
    in_ring[2] = SNN_SPIKE(4, 0, 0);
    if (rc == 0) rc = expect_error("spike outside", ACCEL_ERR_EVENT, (uint32_t)(uintptr_t)&in_ring[2]);
    in_ring[2] = SNN_END;
    snn_layer_desc(&layer_d, &l, in_ring, 16, 0, out_ring, 5, 0, counts); /* 8 spikes + marker + END */
    if (rc == 0) rc = expect_error("output overflow", ACCEL_ERR_OVERFLOW, (uint32_t)(uintptr_t)out_ring);
    snn_layer_desc(&layer_d, &l, in_ring, 16, 0, out_ring, 64, 0, counts);
    if (rc == 0 && run(&layer_d) != ACCEL_ERR_NONE) {
        printf("snn_layers: the device does not work after the errors\n");
        rc = EXIT_DEVICE;
    }
    if (rc == 0) printf("snn_layers: errors ok\n");
    return rc;
}

int main(void)
{
    uint32_t id = 0;
    const int idx = accel_find(SNN_ID, 0, &dev, &id);
    if (idx < 0) {
        printf("snn_layers: no snn accelerator in the memory map\n");
        return EXIT_NO_SNN;
    }
    printf("snn_layers: %s at 0x%08lx: %lu neurons, %lu synapse bytes, %lu lanes\n", dev.name, (unsigned long)dev.base,
           (unsigned long)accel_read(&dev, SNN_NEURONS), (unsigned long)accel_read(&dev, SNN_SYNAPSE_BYTES),
           (unsigned long)accel_read(&dev, SNN_LANES));
    accel_irq_attach(&dev);

    struct snn_layer l = fc(24, 16, 0, 40);
    l.reset = -3;
    int rc = random_case("fc8", &l, 24 * 16, -20, 40, 12, 30);
    if (rc == 0) {
        l = fc(40, 13, SNN_LAYER_INT4 | SNN_LAYER_LEAK_LINEAR | SNN_LAYER_RESET_SUB, 12);
        l.leak = 2;
        l.refractory = 1;
        rc = random_case("fc4", &l, 40 * 7, -128, 127, 16, 25);
    }
    if (rc == 0) {
        l = fc(2, 4, SNN_LAYER_LEAK_SHIFT, 25);
        l.flags = SNN_LAYER_CONV | SNN_LAYER_CLEAR | SNN_LAYER_LEAK_SHIFT;
        l.in_w = l.in_h = l.out_w = l.out_h = 6;
        l.k = 3;
        l.leak = 2;
        rc = random_case("conv", &l, 2 * 9 * 4, -15, 30, 8, 20);
    }
    if (rc == 0) {
        l = fc(1, 3, 0, 6);
        l.flags = SNN_LAYER_CONV | SNN_LAYER_CLEAR | SNN_LAYER_INT4 | SNN_LAYER_RESET_SUB;
        l.in_w = l.in_h = l.out_w = l.out_h = 8;
        l.k = 5;
        rc = random_case("conv5", &l, 25 * 2, -128, 127, 8, 25);
    }
    if (rc == 0) rc = sparse_case();
    if (rc == 0) rc = chain_case();
    if (rc == 0) rc = error_cases();
    if (rc != 0) return rc;
    printf("snn_layers: ok\n");
    return 0;
}

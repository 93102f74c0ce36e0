/*
 * fmnist_cgra: Fashion-MNIST on the coarse-grained reconfigurable array (docs/fmnist.md,
 * docs/models/cgra.md): the int8 CNN of apps/fmnist/model_cnn.h (conv3x3 28x28x1 -> 8, ReLU, pool;
 * conv3x3 14x14x8 -> 16, ReLU, pool; FC 784 -> 64, ReLU; FC 64 -> 10 logits) with the integer
 * semantics of apps/fmnist/nn.h, on the first cgra instance, with the Blocks-mapped kernels of
 * apps/cgra_kernels: conv_blocks.cgra for both convolutions and fc_blocks.cgra for both FC layers.
 *
 * What runs where:
 *   cgra0  every MAC: the convolutions (4 output channels per RUN, int32 out) and the FC layers
 *          (4 outputs at a time, int32 out);
 *   CPU    the input conversion (nn_input_convert, as a table of the 256 pixel values) and its
 *          zero padding into conv_blocks' layout (the single input channel padded to 4 with
 *          zeros, the weights likewise); between layers the bias, the requantisation with ReLU
 *          (nn_requant's semantics, bit for bit), the 2x2 max pooling and the packing of the next
 *          layer's input; the argmax. Neither kernel can start from the bias: both clear their
 *          accumulators (dot8 `clr`) at every pixel / group of 4 outputs, so an INIT of the dot8
 *          outputs would be lost; the CPU adds it. Pooling goes before the requantisation:
 *          requant is monotonic in the accumulator (non-decreasing for scale >= 0, else
 *          non-increasing: min instead of max), so max(requant(a_i + b)) = requant(max(a_i) + b),
 *          one requantisation per pooled output instead of four.
 *
 * Local memory (64 KiB) cannot keep the weights across images: conv_blocks' input alone is 30 KiB
 * for layer 0 (one 32-bit word per 32 bytes, bank 0), FC 784 -> 64's weights 49 KiB, and both
 * kernels put their weights at 0x1000. So nothing stays in cgra0 from one image to the next:
 * region "load_weights" only packs the weights, once, into the kernels' layouts in SRAM (and builds
 * the descriptor chains); every CONFIG and COPY is inside region "infer". Each layer has a prep
 * START (its CONFIGs, arguments, weights: what does not depend on the image) and then its work
 * STARTs; a layer's prep runs while the CPU still finishes the layer before (or, layer 0's, pads
 * the input). Per image:
 *   conv layer 0  28x28x4 -> 8 (CW 1, CG 2): the outputs of a RUN (P + 1 slots of 16 bytes from
 *                 0x100) must stay below the weights at 0x1000, so the layer runs in bands of 4
 *                 output rows (7 bands). Prep: CONFIG clear, CONFIG conv_blocks, COPY arguments,
 *                 weights. Band b: COPY the padded input rows it is the first to need (band 0
 *                 rows 0..5, then 4 more each), for b > 0 COPY its A_X0/A_XEND and CONFIG rewind,
 *                 RUN x 2, COPY its outputs back. One START per band: while band b+1 runs, the
 *                 CPU pools and requantises band b (double-buffered outputs) into layer 1's
 *                 padded input.
 *   conv layer 1  14x14x8 -> 16 (CW 2, CG 4): the same in bands of 4, 4, 4, 2 rows; its prep
 *                 begins with CONFIG rewind (conv_blocks is still configured). The CPU's pooled
 *                 outputs are the FC input (HWC order).
 *   FC 784 -> 64  fc_blocks holds at most K = 127 input words (x at 0x810, weights at 0x1000):
 *                 two RUNs of K = 98 (inputs 0..391, 392..783). Prep: CONFIG clear, CONFIG
 *                 fc_blocks, COPY arguments, weights of half 0; then one START: COPY x half 0,
 *                 RUN, COPY out, CONFIG rewind, COPY weights and x of half 1, RUN, COPY out. The
 *                 CPU adds the two halves and the bias, requantises with ReLU.
 *   FC 64 -> 10   outputs padded to 12 (zero weights). Prep: CONFIG rewind, COPY arguments,
 *                 weights; then COPY x, RUN, COPY out; the CPU adds the bias: the logits.
 * "rewind" images: a kernel's RUN moves its address registers and lane offsets (conv: the output
 * and weight pointers; fc: those and the input pointer), and only a CONFIG sets them back. With
 * the kernel still configured, its INIT records alone (copied out of its image at start-up: 45
 * words for conv_blocks, 50 for fc_blocks, instead of 422 and 274) leave the fabric exactly as a
 * CONFIG of the whole image would. Every CONFIG counts as reconfiguration: per inference 16
 * CONFIGs (2 clear, conv_blocks, fc_blocks, 12 rewinds), 1748 image words, a cycle per word
 * (each image's cost is measured alone once, before the images, and printed).
 *
 * Output: per image
 *   fmnist: image <i> label <l> predicted <p> expected <e> cycles <c> time <t> us
 * then the accelerator's work per inference and per layer (its busy cycles, CYCLES: RUN, CONFIG
 * and COPY; RUN cycles are the kernels' schedules, the last RUN of every START checked against
 * RUN_CYCLES, with STALLS 0; OPS must be 2 per MAC issued, zero padding included):
 *   fmnist: cgra0: layer <n> <what>: <busy> cycles: RUN <r> (<k> RUN(s), <m> MACs per cycle),
 *           CONFIG <c> (<n>, <w> words), COPY <b> bytes
 *   fmnist: cgra0: <busy> accelerator cycles per inference: RUN <r>, CONFIG <c> (reconfiguration:
 *           <n> CONFIGs, <w> words), COPY <b> bytes
 * and, like the other fmnist apps (bench/fmnist.sh parses them):
 *   fmnist: cnn cgra: <correct>/<N> correct (<acc> %), <k> differ from the integer model,
 *           <cycles> cycles per inference
 *   fmnist: cnn cgra: accuracy <correct>/<N>, integer model <its correct>/<N>
 *   fmnist: cnn cgra: logits equal the integer model's on <n>/<N> images
 *   fmnist: ok
 * Every image's logits are compared with the integer model's (fmnist_expected_logits), and for the
 * first FMNIST_CGRA_HOST_CHECK images also with nn_infer_host() on the CPU (outside "infer").
 * Exit: 0 ok; 1 a logit or class differs from the integer model (the first one is printed); 2 no
 * cgra in the memory map, or not the fabric the kernels were made for; 3 a job failed, or a
 * counter is not what the kernels' schedules say.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "edgevp/accel.h"
#include "edgevp/cgra.h"
#include "edgevp/csr.h"
#include "edgevp/syscon.h"
#include "edgevp/timer.h"

#include "clear.h"
#include "conv_blocks.h"
#include "fc_blocks.h"
#include "model_cnn.h"
#include "nn.h"

#ifndef FMNIST_N
#define FMNIST_N FMNIST_SLICE
#endif
#define N_IMAGES (FMNIST_N < FMNIST_SLICE ? FMNIST_N : FMNIST_SLICE)
_Static_assert(FMNIST_N >= 1, "FMNIST_N >= 1");
#ifndef FMNIST_CGRA_HOST_CHECK
#define FMNIST_CGRA_HOST_CHECK 3
#endif

#define EXIT_MISMATCH 1
#define EXIT_NO_CGRA  2
#define EXIT_FAILED   3

_Static_assert(FMNIST_LAYERS == 4, "the CNN: two conv layers, two FC layers");
#define N_CLASS 10u

/* The default fabric (models/accelerators/cgra/blocks.json), which the kernels are made for. */
#define FABRIC_MEM_BYTES 0x10000u
#define FABRIC_BANKS     8u

/* --- conv_blocks.cgra's local memory layout (apps/cgra_kernels/main.c) ----------------------- */
#define CONV_Y  0x0100u /* per RUN c: a scratch slot, then pixel n's lanes at + 16 (c (P+1) + 1 + n) */
#define CONV_WB 0x1000u /* block c, step t, lane l at CONV_WB + 288 CW c + 32 t + 16 + 4 l */
#define CONV_XB 0x2000u /* the padded input's region (rows at a pitch of CONV_RP) */
#define CONV_RP 1024u   /* a power of two: the kernel tests a window address's low bits */
enum conv_arg {
    A_X0 = 0x04, A_XEND = 0x08, A_MASK = 0x0C, A_DRUN = 0x24, A_DPIX = 0x28, A_DROW = 0x2C,
    A_MCW = 0x44, A_RUN2 = 0x48, A_WREW1 = 0x4C, A_WREW = 0x64, A_WNEXT = 0x68, CONV_ARGS_BYTES = 0x6C
};
#define CONV_Y_WORDS ((CONV_WB - CONV_Y) / 4u) /* room for a band's outputs, all its RUNs */

/* --- fc_blocks.cgra's local memory layout ----------------------------------------------------- */
#define FC_ARGS  0x0000u
#define FC_YL    0x07F0u /* the last group's outputs; group g at FC_YL - 16 (G - 1 - g) */
#define FC_XB    0x0810u /* x word j at FC_XB + 16 j */
#define FC_WB    0x1000u /* group g, step j, lane l at FC_WB + 16 (g K + j) + 4 l */
#define FC_K_MAX ((FC_WB - FC_XB) / 16u)
struct fc_args {
    int32_t yoff; /* 0x00 A_YOFF: -16 (G - 1) */
    uint32_t k1;  /* 0x04 A_K1: K - 1 */
    uint32_t n;   /* 0x08 A_N: n_out (relu.cgra; unused here) */
};

/* --- the network's shapes on the kernels ------------------------------------------------------ */
#define L0_H   28u
#define L0_CW  1u /* C_in 1, zero-padded to 4 */
#define L0_CG  2u /* C_out 8 */
#define L1_H   14u
#define L1_CW  2u /* C_in 8 */
#define L1_CG  4u /* C_out 16 */
#define FC1_IN   784u
#define FC1_OUT  64u
#define FC1_K    (FC1_IN / 4u)
#define FC1_HALF (FC1_K / 2u) /* input words per RUN */
#define FC1_G    (FC1_OUT / 4u)
#define FC2_IN   64u
#define FC2_K    (FC2_IN / 4u)
#define FC2_G    3u /* 10 outputs padded to 12 */
_Static_assert(FC1_K > FC_K_MAX && FC1_HALF <= FC_K_MAX && FC1_K % 2u == 0u && FC1_HALF % 2u == 0u,
               "FC 784 -> 64 in two RUNs of an even K (no bank conflicts)");

#define BANDS_MAX 8u
#define N_LAYERS  4u

/* Bytes of a conv layer's padded input region (from CONV_XB) and its first word's offset. */
#define CONV_XR_OFF(cw, w)   (CONV_RP - 32u * (cw) * ((w) - 1u))
#define CONV_X_BYTES(cw, h, w) (CONV_XR_OFF(cw, w) + CONV_RP * ((h) + 1u) + 32u * (cw) * ((w) + 2u))

static struct accel_dev dev;
static struct cgra_info info;
static const struct cgra_kernel k_clear = CGRA_KERNEL(clear);
static const struct cgra_kernel k_conv = CGRA_KERNEL(conv_blocks);
static const struct cgra_kernel k_fc = CGRA_KERNEL(fc_blocks);

/* The rewind images: a kernel's INIT records only. */
#define REWIND_WORDS_MAX 64u
static uint32_t conv_rewind[REWIND_WORDS_MAX], fc_rewind[REWIND_WORDS_MAX];
static uint32_t conv_rewind_bytes, fc_rewind_bytes;

/* What goes to local memory, packed in "load_weights" (weights) or per image (activations). */
static uint32_t l0_w[288u * L0_CW * L0_CG / 4u];
static uint32_t l1_w[288u * L1_CW * L1_CG / 4u];
static uint32_t fc1_w[2][FC1_G * FC1_HALF * 4u];
static uint32_t fc2_w[FC2_G * FC2_K * 4u];
static uint32_t l0_x[CONV_X_BYTES(L0_CW, L0_H, L0_H) / 4u]; /* zero but the image's words */
static uint32_t l1_x[CONV_X_BYTES(L1_CW, L1_H, L1_H) / 4u];
static uint32_t fc1_x[FC1_K * 4u]; /* word j at 16 j bytes */
static uint32_t fc2_x[FC2_K * 4u];
static uint32_t conv_y[2][CONV_Y_WORDS]; /* a band's outputs; double-buffered */
static int32_t fc1_y[2][FC1_OUT];        /* the two halves' accumulators */
static int32_t fc2_y[4u * FC2_G];
static struct fc_args fc1_args, fc2_args;
static int32_t logits[N_CLASS];
static int32_t host_logits[NN_MAX_CLASSES];

/* The images a chain CONFIGs, and the cycles each takes when loaded alone (measured once). */
enum cfg_image { CFG_CLEAR, CFG_CONV, CFG_FC, CFG_CONV_REWIND, CFG_FC_REWIND, N_CFG };
static const char *const cfg_name[N_CFG] = {"clear", "conv_blocks", "fc_blocks", "conv rewind", "fc rewind"};
static const uint32_t *cfg_image_of[N_CFG];
static uint32_t cfg_bytes[N_CFG];
static uint64_t cfg_cycles[N_CFG];

/* A layer's work per inference: what its chains hold (counted as they are built), and what the
   accelerator's counters said (summed over the images). */
struct layer_stats {
    uint32_t runs, run_cycles, copy_bytes;
    uint32_t configs[N_CFG];
    uint64_t macs; /* issued: 4 per dot8 operation, zero padding included */
    uint64_t busy, ops; /* measured, all images */
};
static struct layer_stats stats[N_LAYERS];

/* nn_requant for a layer, as the CPU does it between layers. For 33 <= shift <= 62 (the model's
   layers have 38 and 40) it reduces exactly to the high word of the product: with p = acc scale
   (|p| <= 2^62) and hi = p >> 32, (p + 2^(shift-1)) >> shift = (hi + 2^(shift-33)) >> (shift-32),
   which is far inside int32 (no saturation): one mulh, an add and a shift, then ReLU and the
   clamp. Other shifts take nn_requant itself. requant_check() compares the two at start-up. */
struct requant {
    int32_t scale;
    uint32_t shift;
    int relu;
    bool fast;
    int32_t round; /* 2^(shift-33) */
    uint32_t sh;   /* shift - 32 */
    int32_t lo;    /* 0 with ReLU, else -128 */
};

static void requant_init(struct requant *q, const nn_layer *nl)
{
    q->scale = nl->scale;
    q->shift = nl->shift;
    q->relu = nl->relu;
    q->fast = nl->shift >= 33u && nl->shift <= 62u;
    q->round = q->fast ? (int32_t)(1u << (nl->shift - 33u)) : 0;
    q->sh = q->fast ? nl->shift - 32u : 0u;
    q->lo = nl->relu ? 0 : -128;
}

static inline int32_t requant_fast(int32_t acc, int32_t scale, int32_t round, uint32_t sh, int32_t lo)
{
    int32_t y = (int32_t)(((int64_t)acc * scale) >> 32); /* mulh */
    y = (y + round) >> sh;
    return y < lo ? lo : y > 127 ? 127 : y;
}

/* One lane of a pooled output: the largest of the 2x2 accumulators at t (lane l of pixels n, n + 1,
   n + W, n + W + 1: t[0], t[4], t[w4], t[w4 + 4]), + bias, requantised; as the low byte. */
static inline __attribute__((always_inline)) uint32_t pool_lane(const int32_t *t, uint32_t w4, int32_t bias,
                                                                 int32_t scale, int32_t round, uint32_t sh,
                                                                 int32_t lo)
{
    int32_t v = t[0], u = t[4];
    v = u > v ? u : v;
    u = t[w4];
    v = u > v ? u : v;
    u = t[w4 + 4u];
    v = u > v ? u : v;
    return (uint32_t)requant_fast(v + bias, scale, round, sh, lo) & 0xFFu;
}

static int8_t requant(int32_t acc, const struct requant *q)
{
    return q->fast ? (int8_t)requant_fast(acc, q->scale, q->round, q->sh, q->lo)
                   : nn_requant(acc, q->scale, q->shift, q->relu);
}

/* A convolution on conv_blocks: shapes, its argument blocks, its prep chain and one chain per band. */
struct conv_layer {
    const nn_layer *nl;
    struct requant rq;
    uint32_t h, w, cw, cg, band_rows, bands;
    uint32_t *x;          /* the padded input (l0_x, l1_x) */
    uint32_t x_bytes;
    const uint32_t *wts;  /* packed weights */
    uint32_t w_bytes;
    uint32_t args[CONV_ARGS_BYTES / 4u];
    uint32_t band_args[BANDS_MAX][2]; /* A_X0, A_XEND of each band */
    struct cgra_chain prep;           /* CONFIGs, arguments, weights */
    struct cgra_chain chain[BANDS_MAX]; /* per band: its input rows, its RUNs, its outputs */
    uint32_t last_run[BANDS_MAX];     /* RUN_CYCLES the chain's last RUN must leave */
};
static struct conv_layer conv[2];
static struct cgra_chain fc1_prep, fc1_chain, fc2_prep, fc2_chain;
static uint32_t fc1_last_run, fc2_last_run;
static struct requant fc1_rq;
static int8_t input_lut[256]; /* nn_input_convert of every pixel value */

/* Descriptor storage for every chain (built once). */
#define DESC_POOL 112u
static cgra_desc_t desc_pool[DESC_POOL];
static unsigned desc_used;

static uint32_t pack4(const int8_t *v)
{
    return (uint32_t)(uint8_t)v[0] | (uint32_t)(uint8_t)v[1] << 8 | (uint32_t)(uint8_t)v[2] << 16 |
           (uint32_t)(uint8_t)v[3] << 24;
}

static void print_percent(uint32_t num, uint32_t den)
{
    const uint32_t h = (uint32_t)(((uint64_t)num * 10000u + den / 2u) / den);
    printf("%lu.%02lu", (unsigned long)(h / 100u), (unsigned long)(h % 100u));
}

static int fail(const char *what, int rc)
{
    struct cgra_error e;
    cgra_get_error(&dev, rc, &e);
    printf("fmnist: %s failed: %s (ERR_DESC 0x%08lx, ERR_ADDR 0x%08lx, CONFIG_CAUSE %s, FAULT_PC %lu, "
           "FAULT_CAUSE %s, FAULT_UNIT %lu)\n",
           what, cgra_err_name(rc), (unsigned long)e.err_desc, (unsigned long)e.err_addr,
           cgra_config_cause_name(e.config_cause), (unsigned long)e.fault_pc, cgra_fault_name(e.fault_cause),
           (unsigned long)e.fault_unit);
    return EXIT_FAILED;
}

/* --- building the chains ---------------------------------------------------------------------- */

/* The INIT records of kernel k as an image of their own (header, records, END): with k configured,
   loading it sets back what k's RUNs moved. Returns its bytes, 0 if it does not fit. */
static uint32_t make_rewind(const struct cgra_kernel *k, uint32_t *out)
{
    uint32_t n = CGRA_IMAGE_HEADER_WORDS;
    for (uint32_t i = CGRA_IMAGE_HEADER_WORDS; i < k->bytes / 4u;) {
        const uint32_t type = k->image[i] & 0xFFu, len = k->image[i] >> 8;
        if (type == 0u) break; /* END */
        if (type == 5u) {      /* INIT */
            if (n + 1u + len + 1u > REWIND_WORDS_MAX) return 0;
            for (uint32_t j = 0; j <= len; ++j) out[n++] = k->image[i + j];
        }
        i += 1u + len;
    }
    out[n++] = 0u; /* END */
    out[0] = CGRA_IMAGE_MAGIC;
    out[1] = CGRA_IMAGE_VERSION;
    out[2] = 4u * n;
    out[3] = k->units;
    return 4u * n;
}

static void chain_new(struct cgra_chain *c, unsigned n)
{
    if (desc_used + n > DESC_POOL) n = DESC_POOL - desc_used; /* overflows: caught by chains_ok() */
    cgra_chain_init(c, &desc_pool[desc_used], n);
    desc_used += n;
}

static void add_config(struct cgra_chain *c, struct layer_stats *s, enum cfg_image i)
{
    cgra_chain_config_image(c, cfg_image_of[i], cfg_bytes[i], 0u);
    s->configs[i]++;
}

static void add_copy(struct cgra_chain *c, struct layer_stats *s, uint32_t flags, const void *soc, uint32_t local,
                     uint32_t bytes)
{
    cgra_chain_copy(c, flags, soc, local, bytes);
    s->copy_bytes += bytes;
}

static void add_run(struct cgra_chain *c, struct layer_stats *s, uint32_t groups, uint32_t cycles, uint64_t macs)
{
    cgra_chain_run(c, groups);
    s->runs++;
    s->run_cycles += cycles;
    s->macs += macs;
}

/* conv_blocks' RUN: 3 + P (9 CW + 1) + 3 H + 3 cycles for H rows of W pixels (its schedule). */
static uint32_t conv_schedule(uint32_t cw, uint32_t rows, uint32_t w)
{
    return 3u + rows * w * (9u * cw + 1u) + 3u * rows + 3u;
}

/* The layer's shapes, arguments and chains. The prep chain loads what does not depend on the
   input: fresh, the clearing image and the whole kernel (else the rewind: conv_blocks is still
   configured), the arguments (band 0's A_X0, A_XEND) and the weights. Band b's chain: the padded
   input rows it is the first to need (band 0: rows 0 .. R + 1; then R more each: the row pitch's
   gap after a row, and the words before the first, are never read and not copied), for b > 0 its
   A_X0 / A_XEND and the rewind, a RUN per 4 output channels, its outputs back. */
static void conv_build(struct conv_layer *L, const nn_layer *nl, uint32_t cw, uint32_t *x, const uint32_t *wts,
                       bool fresh, struct layer_stats *s)
{
    L->nl = nl;
    requant_init(&L->rq, nl);
    L->h = nl->in_h;
    L->w = nl->in_w;
    L->cw = cw;
    L->cg = nl->out_c / 4u;
    L->x = x;
    L->x_bytes = CONV_X_BYTES(cw, L->h, L->w);
    L->wts = wts;
    L->w_bytes = 288u * cw * L->cg;
    /* The most rows whose outputs (every RUN's: P + 1 slots of 16 bytes) fit below the weights;
       even, for the pooling. */
    uint32_t rows = ((CONV_Y_WORDS / 4u) / L->cg - 1u) / L->w;
    rows &= ~1u;
    L->band_rows = rows < L->h ? rows : L->h;
    L->bands = (L->h + L->band_rows - 1u) / L->band_rows;

    const uint32_t xr = CONV_XB + CONV_XR_OFF(cw, L->w), row_bytes = 32u * cw * (L->w + 2u);
    memset(L->args, 0, sizeof L->args);
    L->args[A_MASK / 4] = CONV_RP - 1u;
    L->args[A_DRUN / 4] = CONV_RP - 32u * (3u * cw - 1u);
    L->args[A_DPIX / 4] = 32u * cw - 2u * CONV_RP - 32u * (3u * cw - 1u);
    L->args[A_DROW / 4] = CONV_RP - 32u * cw * L->w;
    L->args[A_MCW / 4] = (uint32_t)(-32 * (int32_t)cw);
    L->args[A_RUN2 / 4] = 3u * cw - 2u;
    L->args[A_WREW1 / 4] = (uint32_t)(-32 * (int32_t)(9u * cw - 1u));
    L->args[A_WREW / 4] = (uint32_t)(-288 * (int32_t)cw);
    L->args[A_WNEXT / 4] = 288u * cw;
    for (uint32_t b = 0; b < L->bands; ++b) {
        const uint32_t r0 = b * L->band_rows;
        const uint32_t r1 = r0 + L->band_rows < L->h ? r0 + L->band_rows : L->h;
        L->band_args[b][0] = xr + CONV_RP * r0;                          /* A_X0: the band's first window */
        L->band_args[b][1] = xr + CONV_RP * (r1 - 1u) + 32u * cw * L->w; /* A_XEND: after its last */
    }
    L->args[A_X0 / 4] = L->band_args[0][0];
    L->args[A_XEND / 4] = L->band_args[0][1];

    chain_new(&L->prep, fresh ? 4u : 3u);
    if (fresh) {
        add_config(&L->prep, s, CFG_CLEAR);
        add_config(&L->prep, s, CFG_CONV);
    } else {
        add_config(&L->prep, s, CFG_CONV_REWIND);
    }
    add_copy(&L->prep, s, CGRA_COPY_TO_LOCAL, L->args, 0u, sizeof L->args);
    add_copy(&L->prep, s, CGRA_COPY_TO_LOCAL, L->wts, CONV_WB, L->w_bytes);

    uint32_t next_row = 0; /* the first padded row not copied yet */
    for (uint32_t b = 0; b < L->bands; ++b) {
        const uint32_t r0 = b * L->band_rows;
        const uint32_t r1 = r0 + L->band_rows < L->h ? r0 + L->band_rows : L->h;
        struct cgra_chain *c = &L->chain[b];
        chain_new(c, 1u + (b == 0u ? 0u : 2u) + L->cg + 1u);
        /* Padded rows next_row .. r1 + 1 (the windows of output rows r0 .. r1 - 1). */
        const uint32_t lo = xr + CONV_RP * next_row, hi = xr + CONV_RP * (r1 + 1u) + row_bytes;
        add_copy(c, s, CGRA_COPY_TO_LOCAL, L->x + (lo - CONV_XB) / 4u, lo, hi - lo);
        next_row = r1 + 2u;
        if (b > 0u) {
            add_copy(c, s, CGRA_COPY_TO_LOCAL, L->band_args[b], A_X0, 8u);
            add_config(c, s, CFG_CONV_REWIND);
        }
        const uint32_t band_rows = r1 - r0, p = band_rows * L->w;
        L->last_run[b] = conv_schedule(cw, band_rows, L->w);
        for (uint32_t g = 0; g < L->cg; ++g) add_run(c, s, k_conv.groups, L->last_run[b], 9ull * 4u * cw * 4u * p);
        add_copy(c, s, CGRA_COPY_TO_SOC, conv_y[b & 1u], CONV_Y, 16u * L->cg * (p + 1u));
    }
}

/* fc_blocks' RUN: 3 + G (K + 2) cycles. */
static uint32_t fc_schedule(uint32_t k, uint32_t g)
{
    return 3u + g * (k + 2u);
}

/* FC 784 -> 64: prep (clear, fc_blocks, arguments, the first half's weights), then the two halves'
   RUNs. FC 64 -> 12: prep (rewind, arguments, weights), then its RUN. */
static void fc_build(void)
{
    struct layer_stats *s = &stats[2];
    fc1_args.yoff = -16 * (int32_t)(FC1_G - 1u);
    fc1_args.k1 = FC1_HALF - 1u;
    fc1_args.n = FC1_OUT;
    chain_new(&fc1_prep, 4u);
    add_config(&fc1_prep, s, CFG_CLEAR);
    add_config(&fc1_prep, s, CFG_FC);
    add_copy(&fc1_prep, s, CGRA_COPY_TO_LOCAL, &fc1_args, FC_ARGS, sizeof fc1_args);
    add_copy(&fc1_prep, s, CGRA_COPY_TO_LOCAL, fc1_w[0], FC_WB, sizeof fc1_w[0]);
    chain_new(&fc1_chain, 8u);
    fc1_last_run = fc_schedule(FC1_HALF, FC1_G);
    for (uint32_t h = 0; h < 2u; ++h) {
        if (h == 1u) {
            add_config(&fc1_chain, s, CFG_FC_REWIND);
            add_copy(&fc1_chain, s, CGRA_COPY_TO_LOCAL, fc1_w[1], FC_WB, sizeof fc1_w[1]);
        }
        add_copy(&fc1_chain, s, CGRA_COPY_TO_LOCAL, &fc1_x[4u * FC1_HALF * h], FC_XB, 16u * FC1_HALF);
        add_run(&fc1_chain, s, k_fc.groups, fc1_last_run, 16ull * FC1_HALF * FC1_G);
        add_copy(&fc1_chain, s, CGRA_COPY_TO_SOC, fc1_y[h], FC_YL - 16u * (FC1_G - 1u), 4u * FC1_OUT);
    }

    s = &stats[3];
    fc2_args.yoff = -16 * (int32_t)(FC2_G - 1u);
    fc2_args.k1 = FC2_K - 1u;
    fc2_args.n = 4u * FC2_G;
    chain_new(&fc2_prep, 3u);
    add_config(&fc2_prep, s, CFG_FC_REWIND);
    add_copy(&fc2_prep, s, CGRA_COPY_TO_LOCAL, &fc2_args, FC_ARGS, sizeof fc2_args);
    add_copy(&fc2_prep, s, CGRA_COPY_TO_LOCAL, fc2_w, FC_WB, sizeof fc2_w);
    chain_new(&fc2_chain, 3u);
    add_copy(&fc2_chain, s, CGRA_COPY_TO_LOCAL, fc2_x, FC_XB, sizeof fc2_x);
    fc2_last_run = fc_schedule(FC2_K, FC2_G);
    add_run(&fc2_chain, s, k_fc.groups, fc2_last_run, 16ull * FC2_K * FC2_G);
    add_copy(&fc2_chain, s, CGRA_COPY_TO_SOC, fc2_y, FC_YL - 16u * (FC2_G - 1u), sizeof fc2_y);
}

/* --- packing the weights into the kernels' layouts ("load_weights") ---------------------------- */

/* conv_blocks: block c (channels 4c..4c+3), step t = 3 CW ky + CW kx + i, lane l at
   288 CW c + 32 t + 16 + 4 l; input channels past nl->in_c are zero (layer 0: 1 of 4). */
static void conv_pack_weights(const nn_layer *nl, uint32_t cw, uint32_t *out)
{
    const uint32_t cg = nl->out_c / 4u, cin = nl->in_c;
    for (uint32_t c = 0; c < cg; ++c)
        for (uint32_t ky = 0; ky < 3u; ++ky)
            for (uint32_t kx = 0; kx < 3u; ++kx)
                for (uint32_t i = 0; i < cw; ++i)
                    for (uint32_t lane = 0; lane < 4u; ++lane) {
                        const uint32_t co = 4u * c + lane, t = 3u * cw * ky + cw * kx + i;
                        int8_t v[4];
                        for (uint32_t j = 0; j < 4u; ++j) {
                            const uint32_t ci = 4u * i + j;
                            v[j] = ci < cin ? nl->w[co * 9u * cin + (ky * 3u + kx) * cin + ci] : 0;
                        }
                        out[(288u * cw * c + 32u * t + 16u + 4u * lane) / 4u] = pack4(v);
                    }
}

/* fc_blocks: group g, step j, lane l at 16 (g K + j) + 4 l: outputs 4g + l, inputs 4 (k0 + j) ..;
   outputs past nl->out_c are zero. A packed word is the 4 weights' little-endian load: one lw when
   the rows are word-aligned (in_c a multiple of 4 and an aligned array). */
static void fc_pack_weights(const nn_layer *nl, uint32_t k0, uint32_t k, uint32_t g_count, uint32_t *out)
{
    for (uint32_t g = 0; g < g_count; ++g)
        for (uint32_t lane = 0; lane < 4u; ++lane) {
            const uint32_t o = 4u * g + lane;
            uint32_t *d = out + 4u * g * k + lane;
            if (o >= nl->out_c) {
                for (uint32_t j = 0; j < k; ++j, d += 4) *d = 0u;
                continue;
            }
            const int8_t *src = &nl->w[o * nl->in_c + 4u * k0];
            if (((uintptr_t)src & 3u) == 0u && (nl->in_c & 3u) == 0u) {
                const uint32_t *sw = __builtin_assume_aligned(src, 4);
                for (uint32_t j = 0; j < k; ++j, d += 4) memcpy(d, &sw[j], 4);
            } else {
                for (uint32_t j = 0; j < k; ++j, d += 4, src += 4) *d = pack4(src);
            }
        }
}

static void load_weights(void)
{
    conv_pack_weights(&fmnist_layers[0], L0_CW, l0_w);
    conv_pack_weights(&fmnist_layers[1], L1_CW, l1_w);
    fc_pack_weights(&fmnist_layers[2], 0u, FC1_HALF, FC1_G, fc1_w[0]);
    fc_pack_weights(&fmnist_layers[2], FC1_HALF, FC1_HALF, FC1_G, fc1_w[1]);
    fc_pack_weights(&fmnist_layers[3], 0u, FC2_K, FC2_G, fc2_w);
    /* The zeros of the layouts (the conv weights' unused half words, the inputs' padding and
       unused words) are .bss's: this runs once, and nothing writes them. */
    uint8_t pixel[256];
    for (uint32_t v = 0; v < 256u; ++v) pixel[v] = (uint8_t)v;
    nn_input_convert(pixel, input_lut, 256u);
    requant_init(&fc1_rq, &fmnist_layers[2]);
    conv_rewind_bytes = make_rewind(&k_conv, conv_rewind);
    fc_rewind_bytes = make_rewind(&k_fc, fc_rewind);
    const uint32_t *const images[N_CFG] = {k_clear.image, k_conv.image, k_fc.image, conv_rewind, fc_rewind};
    const uint32_t bytes[N_CFG] = {k_clear.bytes, k_conv.bytes, k_fc.bytes, conv_rewind_bytes, fc_rewind_bytes};
    for (unsigned i = 0; i < N_CFG; ++i) {
        cfg_image_of[i] = images[i];
        cfg_bytes[i] = bytes[i];
    }
    memset(stats, 0, sizeof stats);
    desc_used = 0;
    conv_build(&conv[0], &fmnist_layers[0], L0_CW, l0_x, l0_w, true, &stats[0]);
    conv_build(&conv[1], &fmnist_layers[1], L1_CW, l1_x, l1_w, false, &stats[1]);
    fc_build();
}

static bool chains_ok(void)
{
    bool ok = !fc1_prep.overflow && !fc1_chain.overflow && !fc2_prep.overflow && !fc2_chain.overflow &&
              conv_rewind_bytes != 0u && fc_rewind_bytes != 0u;
    for (unsigned l = 0; l < 2u; ++l) {
        ok = ok && !conv[l].prep.overflow;
        for (uint32_t b = 0; b < conv[l].bands; ++b) ok = ok && !conv[l].chain[b].overflow;
    }
    return ok;
}

/* --- the CPU's part between layers -------------------------------------------------------------- */

/* Where pooled output (py, px), channels 4c..4c+3 go: word base + py row + px pix + c chan. */
struct sink {
    uint32_t *base;
    uint32_t row, pix, chan;
};

/* Band b of a conv layer is in y (conv_blocks' output layout): 2x2 max pool of the accumulators
   (min for a negative scale), + bias, requantisation and ReLU, packed 4 channels a word into the
   sink. */
static void conv_band_finish(const struct conv_layer *L, const uint32_t *y, uint32_t b, const struct sink *s)
{
    const nn_layer *nl = L->nl;
    const uint32_t w = L->w, w4 = 4u * w, r0 = b * L->band_rows;
    const uint32_t rows = r0 + L->band_rows < L->h ? L->band_rows : L->h - r0, p = rows * w;
    const int32_t *acc = (const int32_t *)y;
    if (L->rq.fast && nl->scale >= 0) {
        const int32_t scale = L->rq.scale, round = L->rq.round, lo = L->rq.lo;
        const uint32_t sh = L->rq.sh, half_w = w / 2u, pix = s->pix, drow_step = s->row;
        for (uint32_t c = 0; c < L->cg; ++c) {
            const int32_t *bias = &nl->b[4u * c];
            const int32_t *t = acc + 4u * (c * (p + 1u) + 1u);
            uint32_t *drow = s->base + (r0 / 2u) * drow_step + c * s->chan;
            for (uint32_t pr = 0; pr < rows / 2u; ++pr, t += w4, drow += drow_step) {
                uint32_t *d = drow;
                for (const int32_t *end = t + 8u * half_w; t != end; t += 8u, d += pix) {
                    *d = pool_lane(t, w4, bias[0], scale, round, sh, lo) |
                         pool_lane(t + 1, w4, bias[1], scale, round, sh, lo) << 8 |
                         pool_lane(t + 2, w4, bias[2], scale, round, sh, lo) << 16 |
                         pool_lane(t + 3, w4, bias[3], scale, round, sh, lo) << 24;
                }
            }
        }
        return;
    }
    const bool up = nl->scale >= 0;
    for (uint32_t pr = 0; pr < rows / 2u; ++pr) {
        for (uint32_t px = 0; px < w / 2u; ++px) {
            uint32_t *dst = s->base + (r0 / 2u + pr) * s->row + px * s->pix;
            const uint32_t n = 2u * pr * w + 2u * px;
            for (uint32_t c = 0; c < L->cg; ++c) {
                const int32_t *q = acc + 4u * (c * (p + 1u) + 1u + n);
                uint32_t word = 0;
                for (uint32_t l = 0; l < 4u; ++l) {
                    int32_t m = q[l];
                    const int32_t v1 = q[4u + l], v2 = q[w4 + l], v3 = q[w4 + 4u + l];
                    if (up) {
                        m = v1 > m ? v1 : m;
                        m = v2 > m ? v2 : m;
                        m = v3 > m ? v3 : m;
                    } else {
                        m = v1 < m ? v1 : m;
                        m = v2 < m ? v2 : m;
                        m = v3 < m ? v3 : m;
                    }
                    const int8_t r = requant(m + nl->b[4u * c + l], &L->rq);
                    word |= (uint32_t)(uint8_t)r << (8u * l);
                }
                dst[c * s->chan] = word;
            }
        }
    }
}

/* The fast requantisation against nn_requant for each layer's scale and shift: densely where the
   outputs change (|acc| up to 2^17 in steps of 5), then coarsely to the ends of int32. Returns the
   number of differences (0). */
static uint32_t requant_check(void)
{
    const struct requant *q[3] = {&conv[0].rq, &conv[1].rq, &fc1_rq};
    uint32_t bad = 0;
    for (unsigned i = 0; i < 3u; ++i) {
        if (!q[i]->fast) continue;
        for (int32_t a = -(1 << 17); a <= (1 << 17); a += 5)
            bad += requant(a, q[i]) != nn_requant(a, q[i]->scale, q[i]->shift, q[i]->relu);
        for (int64_t a = INT32_MIN; a <= INT32_MAX; a += 65537 * 17)
            bad += requant((int32_t)a, q[i]) != nn_requant((int32_t)a, q[i]->scale, q[i]->shift, q[i]->relu);
        bad += requant(INT32_MAX, q[i]) != nn_requant(INT32_MAX, q[i]->scale, q[i]->shift, q[i]->relu);
    }
    return bad;
}

/* --- one image ---------------------------------------------------------------------------------- */

static uint64_t acc_mark;
static uint64_t ops_mark;

/* Wait for the running START; its busy cycles and operations go to layer l; its last RUN (run: 0
   when it has none) must have taken `run` cycles without stalls. */
static int wait_chain(unsigned l, uint32_t run, const char *what)
{
    const int rc = accel_wait_irq(&dev);
    if (rc != ACCEL_ERR_NONE) return fail(what, rc);
    const uint64_t c = accel_cycles(&dev), o = accel_ops(&dev);
    stats[l].busy += c - acc_mark;
    stats[l].ops += o - ops_mark;
    acc_mark = c;
    ops_mark = o;
    if (run != 0u && (cgra_run_cycles(&dev) != run || cgra_stalls(&dev) != 0u)) {
        printf("fmnist: %s: RUN_CYCLES %lu, STALLS %lu; the kernel's schedule is %lu cycles without stalls\n", what,
               (unsigned long)cgra_run_cycles(&dev), (unsigned long)cgra_stalls(&dev), (unsigned long)run);
        return EXIT_FAILED;
    }
    return 0;
}

static int start(const struct cgra_chain *c, const char *what)
{
    const int rc = cgra_chain_start(&dev, c, true);
    return rc != 0 ? fail(what, rc) : 0;
}

/* One conv layer, its prep chain already started (and counted as layer l): band after band, band
   b + 1 running while the CPU finishes band b. While the CPU finishes the last band, the next
   layer's prep chain (next_prep, layer l + 1) runs; it has ended when this returns 0. */
static int conv_layer_run(unsigned l, const struct sink *s, const struct cgra_chain *next_prep)
{
    static const char *const what[2] = {"conv layer 0", "conv layer 1"};
    const struct conv_layer *L = &conv[l];
    int rc = wait_chain(l, 0u, what[l]);
    if (rc == 0) rc = start(&L->chain[0], what[l]);
    for (uint32_t b = 0; b < L->bands && rc == 0; ++b) {
        rc = wait_chain(l, L->last_run[b], what[l]);
        if (rc != 0) break;
        rc = start(b + 1u < L->bands ? &L->chain[b + 1u] : next_prep, what[l]);
        if (rc != 0) break;
        conv_band_finish(L, conv_y[b & 1u], b, s);
    }
    return rc != 0 ? rc : wait_chain(l + 1u, 0u, "prep");
}

static int infer(const uint8_t *pixels)
{
    /* Layer 0's kernel, arguments and weights load while the CPU pads the input (one pixel
       around, channels 1..3) into layer 0's region. */
    int rc = start(&conv[0].prep, "conv layer 0");
    if (rc != 0) return rc;
    uint32_t *row = l0_x + (CONV_XR_OFF(L0_CW, L0_H) + CONV_RP + 32u * L0_CW) / 4u;
    for (const uint8_t *end = pixels + NN_IMAGE_PIXELS; pixels != end; row += CONV_RP / 4u) {
        uint32_t *d = row;
        for (const uint8_t *row_end = pixels + L0_H; pixels != row_end; ++pixels, d += 8u * L0_CW)
            *d = (uint8_t)input_lut[*pixels];
    }

    /* Layer 0 into layer 1's padded input: pooled (py, px) at padded (py + 1, px + 1), word c. */
    const struct sink s0 = {l1_x + (CONV_XR_OFF(L1_CW, L1_H) + CONV_RP + 32u * L1_CW) / 4u, CONV_RP / 4u,
                            8u * L1_CW, 8u};
    rc = conv_layer_run(0u, &s0, &conv[1].prep);
    if (rc != 0) return rc;
    /* Layer 1 into the FC input, HWC: feature ((py 7 + px) 16 + 4c + l), word j at 16 j bytes. */
    const struct sink s1 = {fc1_x, 4u * 4u * (L1_H / 2u), 4u * 4u, 4u};
    rc = conv_layer_run(1u, &s1, &fc1_prep);
    if (rc != 0) return rc;

    /* FC 784 -> 64: two halves; FC 64 -> 10's prep runs while the CPU adds them, the bias,
       requantises with ReLU. */
    rc = start(&fc1_chain, "fc layer 2");
    if (rc == 0) rc = wait_chain(2u, fc1_last_run, "fc layer 2");
    if (rc == 0) rc = start(&fc2_prep, "fc layer 3");
    if (rc != 0) return rc;
    const nn_layer *f1 = &fmnist_layers[2];
    for (uint32_t j = 0; j < FC2_K; ++j) {
        int8_t v[4];
        for (uint32_t l = 0; l < 4u; ++l) {
            const uint32_t o = 4u * j + l;
            v[l] = requant(fc1_y[0][o] + fc1_y[1][o] + f1->b[o], &fc1_rq);
        }
        fc2_x[4u * j] = pack4(v);
    }

    /* FC 64 -> 10: the logits. */
    rc = wait_chain(3u, 0u, "fc layer 3");
    if (rc == 0) rc = start(&fc2_chain, "fc layer 3");
    if (rc == 0) rc = wait_chain(3u, fc2_last_run, "fc layer 3");
    if (rc != 0) return rc;
    for (uint32_t o = 0; o < N_CLASS; ++o) logits[o] = fc2_y[o] + fmnist_layers[3].b[o];
    return 0;
}

/* A layer's CONFIGs per inference: how many, their image words, their cycles (each image's
   measured alone). */
static void layer_configs(const struct layer_stats *s, uint32_t *n, uint32_t *words, uint64_t *cycles)
{
    *n = *words = 0;
    *cycles = 0;
    for (unsigned i = 0; i < N_CFG; ++i) {
        *n += s->configs[i];
        *words += s->configs[i] * (cfg_bytes[i] / 4u);
        *cycles += s->configs[i] * cfg_cycles[i];
    }
}

static void print_layer(unsigned l, const char *what)
{
    const struct layer_stats *s = &stats[l];
    uint32_t n, words;
    uint64_t cycles;
    layer_configs(s, &n, &words, &cycles);
    printf("fmnist: %s: layer %u %s: %llu cycles: RUN %lu (%lu RUN%s, %lu MACs per cycle), CONFIG %llu (%lu, %lu "
           "words), COPY %lu bytes\n",
           dev.name, l, what, (unsigned long long)(s->busy / N_IMAGES), (unsigned long)s->run_cycles,
           (unsigned long)s->runs, s->runs == 1u ? "" : "s",
           (unsigned long)(s->macs / (s->run_cycles ? s->run_cycles : 1u)),
           (unsigned long long)cycles, (unsigned long)n, (unsigned long)words, (unsigned long)s->copy_bytes);
}

/* Each CONFIG image loaded alone (outside the regions, before the images): its cycles. The
   images leave the fabric as the first image's chains expect it: they begin with clear. */
static int profile_configs(void)
{
    for (unsigned i = 0; i < N_CFG; ++i) {
        const struct cgra_kernel k = {cfg_image_of[i], cfg_bytes[i], info.units, 0u};
        const uint64_t c0 = accel_cycles(&dev);
        const int rc = cgra_config(&dev, &k, 0u, true);
        if (rc != ACCEL_ERR_NONE) return fail(cfg_name[i], rc);
        cfg_cycles[i] = accel_cycles(&dev) - c0;
        printf("fmnist: %s: CONFIG %s: %lu words, %llu cycles\n", dev.name, cfg_name[i],
               (unsigned long)(cfg_bytes[i] / 4u), (unsigned long long)cfg_cycles[i]);
    }
    return 0;
}

int main(void)
{
    printf("fmnist: %s cgra, %u of %u images\n", FMNIST_NET_NAME, (unsigned)N_IMAGES, (unsigned)FMNIST_SLICE);
    const nn_layer *nl = fmnist_layers;
    if (nn_check_layers(nl, FMNIST_LAYERS) != NN_OK || nl[0].kind != NN_CONV3X3 || nl[0].in_h != L0_H ||
        nl[0].in_w != L0_H || nl[0].in_c != 1u || nl[0].out_c != 4u * L0_CG || !nl[0].pool ||
        nl[1].kind != NN_CONV3X3 || nl[1].in_h != L1_H || nl[1].in_w != L1_H || nl[1].in_c != 4u * L1_CW ||
        nl[1].out_c != 4u * L1_CG || !nl[1].pool || nl[2].kind != NN_FC || nl[2].in_c != FC1_IN ||
        nl[2].out_c != FC1_OUT || nl[3].kind != NN_FC || nl[3].in_c != FC2_IN || nl[3].out_c != N_CLASS) {
        printf("fmnist: the layer table is not the CNN this app maps\n");
        return EXIT_FAILED;
    }
    if (cgra_find(0, &dev, &info) < 0) {
        printf("fmnist: no cgra in the memory map\n");
        return EXIT_NO_CGRA;
    }
    if (info.units != conv_blocks_UNITS || info.mem_bytes != FABRIC_MEM_BYTES || info.banks != FABRIC_BANKS) {
        printf("fmnist: the kernels are made for the default fabric (%u units, %u bytes in %u banks)\n",
               (unsigned)conv_blocks_UNITS, FABRIC_MEM_BYTES, FABRIC_BANKS);
        return EXIT_NO_CGRA;
    }
    accel_irq_attach(&dev);

    const uint32_t lc0 = csr_read(mcycle);
    syscon_region_begin("load_weights");
    load_weights();
    syscon_region_end();
    const uint32_t lc1 = csr_read(mcycle);
    if (!chains_ok()) {
        printf("fmnist: the descriptor chains or rewind images do not fit their storage\n");
        return EXIT_FAILED;
    }
    for (unsigned l = 0; l < 2u; ++l) {
        if (CONV_XB + conv[l].x_bytes > info.mem_bytes || CONV_WB + conv[l].w_bytes > CONV_XB ||
            32u * conv[l].cw * (conv[l].w + 2u) > CONV_RP || conv[l].bands > BANDS_MAX || conv[l].band_rows < 2u) {
            printf("fmnist: conv layer %u does not fit conv_blocks' layout\n", l);
            return EXIT_FAILED;
        }
    }
    if (FC_WB + sizeof fc1_w[0] > info.mem_bytes) {
        printf("fmnist: FC layer 2 does not fit fc_blocks' layout\n");
        return EXIT_FAILED;
    }
    printf("fmnist: load_weights: %lu bytes of weights packed into the kernels' layouts in SRAM (copied to %s "
           "per layer inside infer), rewind images of %lu and %lu words, %lu descriptors, %lu cycles\n",
           (unsigned long)(sizeof l0_w + sizeof l1_w + sizeof fc1_w + sizeof fc2_w), dev.name,
           (unsigned long)(conv_rewind_bytes / 4u), (unsigned long)(fc_rewind_bytes / 4u), (unsigned long)desc_used,
           (unsigned long)(lc1 - lc0));
    const uint32_t bad = requant_check();
    if (bad != 0u) {
        printf("fmnist: the fast requantisation differs from nn_requant on %lu accumulators\n", (unsigned long)bad);
        return EXIT_MISMATCH;
    }
    int prc = profile_configs();
    if (prc != 0) return prc;

    uint32_t correct = 0, int_correct = 0, differ = 0, logit_differ = 0;
    int first_img = -1, first_idx = -1;
    int32_t first_got = 0, first_exp = 0;
    uint64_t total_cycles = 0;
    const uint32_t bits0 = cgra_config_bits(&dev);
    acc_mark = accel_cycles(&dev);
    ops_mark = accel_ops(&dev);
    const uint64_t acc0 = acc_mark;
    const uint64_t t0 = timer_now();
    for (uint32_t i = 0; i < N_IMAGES; ++i) {
        const uint32_t c0 = csr_read(mcycle);
        const uint64_t s0 = timer_now();
        syscon_region_begin("infer");
        int rc = infer(fmnist_images[i]);
        const int pred = rc == 0 ? (int)nn_argmax(logits, N_CLASS) : -1;
        syscon_region_end();
        const uint32_t cycles = csr_read(mcycle) - c0;
        const uint64_t us = timer_ticks_to_us(timer_now() - s0);
        if (rc != 0) return rc;
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
        if (i < FMNIST_CGRA_HOST_CHECK) {
            /* The CPU's own int8 kernels on the same image (not counted in any region). */
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
    const uint64_t busy = accel_cycles(&dev) - acc0;
    const uint32_t bits = cgra_config_bits(&dev) - bits0;

    /* The accelerator's work, per inference. */
    print_layer(0u, "conv 28x28x4->8 (1 channel padded to 4)");
    print_layer(1u, "conv 14x14x8->16");
    print_layer(2u, "fc 784->64 (2 RUNs of 392 inputs)");
    print_layer(3u, "fc 64->12 (10 outputs padded to 12)");
    uint32_t run = 0, configs = 0, words = 0, copy = 0;
    uint64_t macs = 0, ops = 0, config_cycles = 0;
    for (unsigned l = 0; l < N_LAYERS; ++l) {
        uint32_t n, w;
        uint64_t c;
        layer_configs(&stats[l], &n, &w, &c);
        run += stats[l].run_cycles;
        configs += n;
        words += w;
        config_cycles += c;
        copy += stats[l].copy_bytes;
        macs += stats[l].macs;
        ops += stats[l].ops;
    }
    printf("fmnist: %s: %llu accelerator cycles per inference: RUN %lu, CONFIG %llu (reconfiguration: %lu CONFIGs, "
           "%lu words), COPY %lu bytes\n",
           dev.name, (unsigned long long)(busy / N_IMAGES), (unsigned long)run, (unsigned long long)config_cycles,
           (unsigned long)configs, (unsigned long)words, (unsigned long)copy);
    int rc = 0;
    if (ops != 2u * macs * N_IMAGES || bits != 32u * words * N_IMAGES) {
        printf("fmnist: %s: OPS grew by %llu, CONFIG_BITS by %lu; expected 2 x %llu MACs and %lu image words per "
               "inference\n",
               dev.name, (unsigned long long)ops, (unsigned long)bits, (unsigned long long)macs, (unsigned long)words);
        rc = EXIT_FAILED;
    }
    printf("fmnist: %u inferences in %llu us; %lu images with logits unlike the integer model's\n", (unsigned)N_IMAGES,
           (unsigned long long)timer_ticks_to_us(t1 - t0), (unsigned long)logit_differ);
    printf("fmnist: %s cgra: %lu/%u correct (", FMNIST_NET_NAME, (unsigned long)correct, (unsigned)N_IMAGES);
    print_percent(correct, N_IMAGES);
    printf(" %%), %lu differ from the integer model, %llu cycles per inference\n", (unsigned long)differ,
           (unsigned long long)(total_cycles / N_IMAGES));
    printf("fmnist: %s cgra: accuracy %lu/%u, integer model %lu/%u\n", FMNIST_NET_NAME, (unsigned long)correct,
           (unsigned)N_IMAGES, (unsigned long)int_correct, (unsigned)N_IMAGES);
    printf("fmnist: %s cgra: logits equal the integer model's on %lu/%u images\n", FMNIST_NET_NAME,
           (unsigned long)(N_IMAGES - logit_differ), (unsigned)N_IMAGES);
    if (N_IMAGES == FMNIST_SLICE && int_correct != FMNIST_SLICE_INT_CORRECT) {
        printf("fmnist: the integer model's labels give %lu/%u, the model header says %u\n",
               (unsigned long)int_correct, (unsigned)N_IMAGES, (unsigned)FMNIST_SLICE_INT_CORRECT);
        rc = EXIT_MISMATCH;
    }
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
    if (rc != 0) return rc;
    printf("fmnist: ok\n");
    return 0;
}

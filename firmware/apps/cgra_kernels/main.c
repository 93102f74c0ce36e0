/*
 * cgra_kernels: two int8 kernels on the coarse-grained reconfigurable array (docs/models/cgra.md),
 * each mapped four ways, checked bit for bit against the CPU; then the error paths and a
 * partial reconfiguration.
 *
 * Kernels (kernel descriptions in this directory, made at build time by tools/cgra/cgrasm.py into
 * headers: firmware/cmake/cgra.cmake):
 *   fc    fully connected, y[o] = sum_k x[k] w[o][k], int32 out, 4 outputs at a time on the 4
 *         dot8 lanes; K = n_in / 4 and G = n_out / 4 from an argument block in local memory
 *   conv  3x3 convolution, stride 1, zero padding, HWC, C_in = 4 CW; 4 output channels per RUN on
 *         the 4 lanes (C_out = 4 CG: CG RUNs of one CONFIG); the input zero-padded by the CPU into
 *         local memory, the kernel walking each window itself; H, W, CW from an argument block
 * Mappings (one image each, the file's comments give its design, layout and schedule):
 *   blocks  SIMD decoders (one over the 4 dot8 lanes, one over the 4 lane load-store units, ...),
 *           data from unit to unit over routes, no register file traffic
 *   simd    SIMD decoders, every operand through register files (a vector register file)
 *   vliw    one decoder per unit, all in one lock-step group, operands through register files
 *   cgra    one decoder per unit (one context per unit and cycle), direct routes, no register files
 * All four of a kernel use the same local memory layout, so the CPU packs a layer once.
 *
 * For each kernel, size and mapping, polling and interrupt-driven waits alternating:
 *   - one START: CONFIG clear.cgra (every binding and route of the previous kernel undone), CONFIG
 *     the kernel, COPY the arguments, the input and the weights (CONFIG_BITS must grow by both
 *     images' bits);
 *   - the RUN (conv: CG RUNs, one START each), alone inside the syscon region
 *     "cgra.<kernel>.<mapping>.<size>" for the larger size, waited for by interrupt (WFI): a bench
 *     compares their energies;
 *   - one START: COPY the outputs back; compared with the CPU reference, every output;
 *     the OPS counter must have grown by 2 per MAC, RUN_CYCLES must be the kernel's schedule
 *     (below) and STALLS 0 (the layouts keep the banks apart).
 *
 *   kernel  size (fc: n_in x n_out,   what                    RUN_CYCLES a RUN:
 *           conv: H x W x C_in to C_out)                       blocks / cgra      simd / vliw
 *   fc      64x8                      K 16, G 2               3 + G (K + 2)      3 + G (2 K + 4)
 *   fc      256x16                    K 64, G 4
 *   conv    6x6x4to4                   P = 36, CW 1, 1 RUN     3 + P (9 CW + 1)   3 + P (18 CW + 4)
 *   conv    10x10x8to8                 P = 100, CW 2, 2 RUNs   + 3 H + 3          + 3 H + 2
 *   (P = H W pixels, CW = C_in / 4 words a pixel; a RUN computes 4 output channels)
 *
 * Then the error paths: a hand-made image with a route of 9 hops (the data network reaches 8):
 * CONFIG (14) with CONFIG_CAUSE ROUTE and ERR_ADDR its ROUTE record; one made for a fabric of
 * another unit count (FORMAT, ERR_ADDR the image) and the HAL refusing it without a job
 * (CGRA_ERR_IMAGE_UNITS); faults.cgra's load outside local memory (PROGRAM, FAULT_CAUSE MEMORY,
 * FAULT_UNIT lsu0, FAULT_PC 1) and its endless loop with MAX_CYCLES lowered to 1000 (TIMEOUT,
 * RUN_CYCLES 1000, FAULT_PC 2); a RUN of a group without decoders (CONFIG, CONFIG_CAUSE RUN,
 * ERR_ADDR 0). Then partial reconfiguration: fc.blocks.256x16 (group 0) and, in the same chain
 * after its RUN, a BACKGROUND CONFIG of relu.cgra (group 1, on units and decoders fc_blocks does
 * not use) and its RUN: the outputs must be the CPU's with ReLU, and the chain must take at least
 * relu's load (a cycle per image word) fewer accelerator cycles (CYCLES) than the same chain with
 * a foreground CONFIG: the load overlapped the RUN;
 * a BACKGROUND CONFIG of fc_blocks itself after its RUN is refused (CONFIG_CAUSE BUSY). Last,
 * fc.blocks.64x8 again.
 *
 * Output: "cgra_kernels: <kernel>.<mapping>.<size> ok cycles <RUN_CYCLES> stalls <STALLS> macs
 * <OPS delta: 2 per MAC>" per case (conv: the RUNs' sums), a line per error case, then
 * "cgra_kernels: PASS" (or "cgra_kernels: FAIL").
 * Exit: 0 PASS; 1 a result differs from the CPU's (the first mismatch is printed); 2 no cgra in
 * the memory map, or not the fabric the kernels were made for; 3 a job failed or a register is
 * not what the document says.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "edgevp/accel.h"
#include "edgevp/cgra.h"
#include "edgevp/syscon.h"

#include "clear.h"
#include "conv_blocks.h"
#include "conv_cgra.h"
#include "conv_simd.h"
#include "conv_vliw.h"
#include "faults.h"
#include "fc_blocks.h"
#include "fc_cgra.h"
#include "fc_simd.h"
#include "fc_vliw.h"
#include "relu.h"

#define EXIT_MISMATCH 1
#define EXIT_NO_CGRA  2
#define EXIT_DEVICE   3

/* --- the kernels ---------------------------------------------------------------------------- */

enum mapping { MAP_BLOCKS, MAP_SIMD, MAP_VLIW, MAP_CGRA, N_MAPPINGS };
static const char *const mapping_name[N_MAPPINGS] = {"blocks", "simd", "vliw", "cgra"};
/* simd and vliw take two beats a step (their register files' ports): see the .cgra files. */
static bool two_beats(unsigned m)
{
    return m == MAP_SIMD || m == MAP_VLIW;
}

static const struct cgra_kernel k_clear = CGRA_KERNEL(clear);
static const struct cgra_kernel k_fc[N_MAPPINGS] = {CGRA_KERNEL(fc_blocks), CGRA_KERNEL(fc_simd),
                                                    CGRA_KERNEL(fc_vliw), CGRA_KERNEL(fc_cgra)};
static const struct cgra_kernel k_conv[N_MAPPINGS] = {CGRA_KERNEL(conv_blocks), CGRA_KERNEL(conv_simd),
                                                      CGRA_KERNEL(conv_vliw), CGRA_KERNEL(conv_cgra)};
static const struct cgra_kernel k_relu = CGRA_KERNEL(relu);
static const struct cgra_kernel k_faults = CGRA_KERNEL(faults);

/* The default fabric (models/accelerators/cgra/blocks.json), which the kernels are made for. */
#define FABRIC_MEM_BYTES 0x10000u
#define FABRIC_BANKS     8u
#define UNIT_LSU0        16u /* unit indices: the fabric's order */
#define UNIT_LSU4        20u
#define UNIT_ABU1        41u

/* --- fc: the local memory layout of fc_*.cgra ----------------------------------------------- */
#define FC_ARGS 0x0000u /* struct fc_args */
#define FC_YL   0x07F0u /* the last group's outputs; group g at FC_YL - 16 (G - 1 - g) */
#define FC_XB   0x0810u /* x word j at FC_XB + 16 j */
#define FC_WB   0x1000u /* group g, step j, lane l at FC_WB + 16 (g K + j) + 4 l */
#define FC_K_MAX ((FC_WB - FC_XB) / 16u)
#define FC_G_MAX ((FC_YL - FC_ARGS - sizeof(struct fc_args)) / 16u + 1u)

struct fc_args {
    int32_t yoff; /* 0x00 A_YOFF: -16 (G - 1) */
    uint32_t k1;  /* 0x04 A_K1: K - 1 */
    uint32_t n;   /* 0x08 A_N: n_out (relu.cgra) */
};

/* --- conv: the local memory layout of conv_*.cgra ------------------------------------------- */
#define CONV_Y  0x0100u /* per RUN c: a scratch slot, then pixel n's lanes at + 16 (c (P+1) + 1 + n) */
#define CONV_WB 0x1000u /* block c, step t, lane l at CONV_WB + 288 CW c + 32 t + 16 + 4 l */
#define CONV_XB 0x2000u /* the padded input's region (rows at a pitch of CONV_RP) */
#define CONV_RP 1024u   /* a power of two: the kernels test a window address's low bits */

/* The argument block: word addresses in banks 1-3 (the kernels' A_* .equ). */
enum conv_arg {
    A_X0 = 0x04, A_XEND = 0x08, A_MASK = 0x0C, A_DRUN = 0x24, A_DPIX = 0x28, A_DROW = 0x2C,
    A_MCW = 0x44, A_RUN2 = 0x48, A_WREW1 = 0x4C, A_WREW = 0x64, A_WNEXT = 0x68, CONV_ARGS_BYTES = 0x6C
};

/* --- cases ---------------------------------------------------------------------------------- */

enum kind { FC, CONV };
struct layer {
    uint8_t kind;
    const char *size;
    bool region;              /* the larger size: a syscon region around its RUN */
    uint32_t n_in, n_out;     /* fc */
    uint32_t h, w, c_in, c_out; /* conv */
};
static const struct layer layers[] = {
    {FC, "64x8", false, 64, 8, 0, 0, 0, 0},
    {FC, "256x16", true, 256, 16, 0, 0, 0, 0},
    {CONV, "6x6x4to4", false, 0, 0, 6, 6, 4, 4},
    {CONV, "10x10x8to8", true, 0, 0, 10, 10, 8, 8},
};
#define N_LAYERS (sizeof layers / sizeof layers[0])

#define FC_IN_MAX    256u
#define FC_OUT_MAX   16u
#define CONV_H_MAX   10u
#define CONV_W_MAX   10u
#define CONV_CIN_MAX 8u
#define CONV_CO_MAX  8u
#define CONV_P_MAX   (CONV_H_MAX * CONV_W_MAX)

static struct accel_dev dev;
static struct cgra_info info;
static unsigned jobs_run;

/* The layer: its values, the CPU's result, and what goes to local memory. */
static int8_t x[CONV_P_MAX * CONV_CIN_MAX > FC_IN_MAX ? CONV_P_MAX * CONV_CIN_MAX : FC_IN_MAX];
static int8_t w[FC_IN_MAX * FC_OUT_MAX > 9u * CONV_CIN_MAX * CONV_CO_MAX ? FC_IN_MAX * FC_OUT_MAX
                                                                       : 9u * CONV_CIN_MAX * CONV_CO_MAX];
static int32_t ref[CONV_P_MAX * CONV_CO_MAX];
static struct fc_args fc_args;
static uint32_t conv_args[CONV_ARGS_BYTES / 4u];
static uint32_t x_words[CONV_RP * (CONV_H_MAX + 3u) / 4u];   /* fc: 4 K words; conv: the region */
static uint32_t w_words[FC_IN_MAX * FC_OUT_MAX / 4u];         /* fc: K G 4 words; conv: 72 CW CG */
static uint32_t out_words[(CONV_P_MAX + 1u) * CONV_CO_MAX];   /* fc: n_out; conv: CG (P + 1) 4 */
/* Where they go: local memory offsets and sizes (the packers set them). */
static uint32_t x_local, x_bytes, w_local, w_bytes, out_local, out_bytes, args_bytes;
static const void *args_src;

static cgra_desc_t desc[12];
static struct cgra_chain chain;
static char name[48];

static uint32_t rng = 0x2545F491u;
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

static uint32_t pack4(const int8_t *v)
{
    return (uint32_t)(uint8_t)v[0] | (uint32_t)(uint8_t)v[1] << 8 | (uint32_t)(uint8_t)v[2] << 16 |
           (uint32_t)(uint8_t)v[3] << 24;
}

static int device_error(const char *what, int rc)
{
    struct cgra_error e;
    cgra_get_error(&dev, rc, &e);
    printf("cgra_kernels: %s failed: %s (ERR_DESC 0x%08lx, ERR_ADDR 0x%08lx, CONFIG_CAUSE %s, FAULT_PC %lu, "
           "FAULT_CAUSE %s, FAULT_UNIT %lu)\n",
           what, cgra_err_name(rc), (unsigned long)e.err_desc, (unsigned long)e.err_addr,
           cgra_config_cause_name(e.config_cause), (unsigned long)e.fault_pc, cgra_fault_name(e.fault_cause),
           (unsigned long)e.fault_unit);
    return EXIT_DEVICE;
}

/* --- fc ------------------------------------------------------------------------------------- */

static void fc_ref(uint32_t n_in, uint32_t n_out)
{
    for (uint32_t o = 0; o < n_out; ++o) {
        int32_t s = 0;
        for (uint32_t k = 0; k < n_in; ++k) s += (int32_t)x[k] * w[o * n_in + k];
        ref[o] = s;
    }
}

/* The layer in fc_*.cgra's layout: x sparse (a word every 16 bytes), the weights group by group,
   step by step, lane by lane. */
static void fc_pack(uint32_t n_in, uint32_t n_out)
{
    const uint32_t k = n_in / 4u, g = n_out / 4u;
    memset(x_words, 0, 16u * k);
    for (uint32_t j = 0; j < k; ++j) x_words[4u * j] = pack4(&x[4u * j]);
    for (uint32_t gi = 0; gi < g; ++gi)
        for (uint32_t j = 0; j < k; ++j)
            for (uint32_t l = 0; l < 4u; ++l)
                w_words[4u * (gi * k + j) + l] = pack4(&w[(4u * gi + l) * n_in + 4u * j]);
    fc_args.yoff = -16 * (int32_t)(g - 1u);
    fc_args.k1 = k - 1u;
    fc_args.n = n_out;
    args_src = &fc_args;
    args_bytes = sizeof fc_args;
    x_local = FC_XB;
    x_bytes = 16u * k;
    w_local = FC_WB;
    w_bytes = 16u * k * g;
    out_local = FC_YL - 16u * (g - 1u);
    out_bytes = 4u * n_out;
}

/* --- conv ----------------------------------------------------------------------------------- */

/* The padded input: 0 outside the image. */
static int8_t conv_xp(const struct layer *l, uint32_t py, uint32_t px, uint32_t ci)
{
    if (py == 0u || px == 0u || py > l->h || px > l->w) return 0;
    return x[((py - 1u) * l->w + (px - 1u)) * l->c_in + ci];
}

/* w[co][ky][kx][ci] */
static int8_t conv_w(const struct layer *l, uint32_t co, uint32_t ky, uint32_t kx, uint32_t ci)
{
    return w[((co * 3u + ky) * 3u + kx) * l->c_in + ci];
}

static void conv_ref(const struct layer *l)
{
    for (uint32_t oy = 0; oy < l->h; ++oy)
        for (uint32_t ox = 0; ox < l->w; ++ox)
            for (uint32_t co = 0; co < l->c_out; ++co) {
                int32_t s = 0;
                for (uint32_t ky = 0; ky < 3u; ++ky)
                    for (uint32_t kx = 0; kx < 3u; ++kx)
                        for (uint32_t ci = 0; ci < l->c_in; ++ci)
                            s += (int32_t)conv_xp(l, oy + ky, ox + kx, ci) * conv_w(l, co, ky, kx, ci);
                ref[(oy * l->w + ox) * l->c_out + co] = s;
            }
}

/* XR: the padded input's first word; a row's last window starts at a multiple of CONV_RP. */
static uint32_t conv_xr(const struct layer *l)
{
    return CONV_XB + CONV_RP - 32u * (l->c_in / 4u) * (l->w - 1u);
}

static void conv_pack(const struct layer *l)
{
    const uint32_t cw = l->c_in / 4u, cg = l->c_out / 4u, xr = conv_xr(l);
    const uint32_t b00 = xr, blast = xr + CONV_RP * (l->h - 1u) + 32u * cw * (l->w - 1u);
    x_local = CONV_XB;
    x_bytes = xr - CONV_XB + CONV_RP * (l->h + 1u) + 32u * cw * (l->w + 2u);
    memset(x_words, 0, x_bytes);
    for (uint32_t py = 0; py < l->h + 2u; ++py)
        for (uint32_t px = 0; px < l->w + 2u; ++px)
            for (uint32_t i = 0; i < cw; ++i) {
                int8_t v[4];
                for (uint32_t j = 0; j < 4u; ++j) v[j] = conv_xp(l, py, px, 4u * i + j);
                x_words[(xr - CONV_XB + CONV_RP * py + 32u * (cw * px + i)) / 4u] = pack4(v);
            }
    w_local = CONV_WB;
    w_bytes = 288u * cw * cg;
    memset(w_words, 0, w_bytes);
    for (uint32_t c = 0; c < cg; ++c)
        for (uint32_t ky = 0; ky < 3u; ++ky)
            for (uint32_t kx = 0; kx < 3u; ++kx)
                for (uint32_t i = 0; i < cw; ++i)
                    for (uint32_t lane = 0; lane < 4u; ++lane) {
                        int8_t v[4];
                        const uint32_t t = 3u * cw * ky + cw * kx + i;
                        for (uint32_t j = 0; j < 4u; ++j) v[j] = conv_w(l, 4u * c + lane, ky, kx, 4u * i + j);
                        w_words[(288u * cw * c + 32u * t + 16u + 4u * lane) / 4u] = pack4(v);
                    }
    memset(conv_args, 0, sizeof conv_args);
    conv_args[A_X0 / 4] = b00;
    conv_args[A_XEND / 4] = blast + 32u * cw;
    conv_args[A_MASK / 4] = CONV_RP - 1u;
    conv_args[A_DRUN / 4] = CONV_RP - 32u * (3u * cw - 1u);
    conv_args[A_DPIX / 4] = 32u * cw - 2u * CONV_RP - 32u * (3u * cw - 1u);
    conv_args[A_DROW / 4] = CONV_RP - 32u * cw * l->w;
    conv_args[A_MCW / 4] = (uint32_t)(-32 * (int32_t)cw);
    conv_args[A_RUN2 / 4] = 3u * cw - 2u;
    conv_args[A_WREW1 / 4] = (uint32_t)(-32 * (int32_t)(9u * cw - 1u));
    conv_args[A_WREW / 4] = (uint32_t)(-288 * (int32_t)cw);
    conv_args[A_WNEXT / 4] = 288u * cw;
    args_src = conv_args;
    args_bytes = sizeof conv_args;
    out_local = CONV_Y;
    out_bytes = 16u * cg * (l->h * l->w + 1u);
}

/* --- one case ------------------------------------------------------------------------------- */

/* RUN_CYCLES of one RUN: the kernels' schedules (the table above). */
static uint32_t schedule(const struct layer *l, unsigned m)
{
    if (l->kind == FC) {
        const uint32_t k = l->n_in / 4u, g = l->n_out / 4u;
        return two_beats(m) ? 3u + g * (2u * k + 4u) : 3u + g * (k + 2u);
    }
    const uint32_t cw = l->c_in / 4u, p = l->h * l->w;
    return two_beats(m) ? 3u + p * (18u * cw + 4u) + 3u * l->h + 2u : 3u + p * (9u * cw + 1u) + 3u * l->h + 3u;
}

static uint64_t macs(const struct layer *l)
{
    return l->kind == FC ? (uint64_t)l->n_in * l->n_out : 9ull * l->h * l->w * l->c_in * l->c_out;
}

/* The chain that loads a kernel: clear, the kernel, the arguments (at 0 in both layouts), the
   input, the weights. */
static void load_chain(const struct cgra_kernel *k)
{
    cgra_chain_init(&chain, desc, sizeof desc / sizeof desc[0]);
    cgra_chain_config(&chain, &k_clear, 0u);
    cgra_chain_config(&chain, k, 0u);
    cgra_chain_copy(&chain, CGRA_COPY_TO_LOCAL, args_src, 0u, args_bytes);
    cgra_chain_copy(&chain, CGRA_COPY_TO_LOCAL, x_words, x_local, x_bytes);
    cgra_chain_copy(&chain, CGRA_COPY_TO_LOCAL, w_words, w_local, w_bytes);
}

static int run_case(const struct layer *l, unsigned m)
{
    const char *kernel = l->kind == FC ? "fc" : "conv";
    const struct cgra_kernel *k = l->kind == FC ? &k_fc[m] : &k_conv[m];
    const uint32_t runs = l->kind == FC ? 1u : l->c_out / 4u;
    snprintf(name, sizeof name, "cgra.%s.%s.%s", kernel, mapping_name[m], l->size);

    int rc = cgra_check_kernel(&dev, k);
    if (rc != 0) return device_error(name, rc);
    const uint32_t bits0 = cgra_config_bits(&dev);
    load_chain(k);
    rc = cgra_chain_exec(&dev, &chain, next_irq());
    if (rc != ACCEL_ERR_NONE) return device_error("load chain", rc);
    const uint32_t bits = cgra_config_bits(&dev) - bits0;
    if (bits != 8u * (k_clear.bytes + k->bytes)) {
        printf("cgra_kernels: %s: CONFIG_BITS grew by %lu, the images have %lu bits\n", name, (unsigned long)bits,
               (unsigned long)(8u * (k_clear.bytes + k->bytes)));
        return EXIT_DEVICE;
    }

    /* Only the RUNs in the region. */
    uint32_t cycles = 0, stalls = 0, sched_ok = 1;
    const uint64_t ops0 = accel_ops(&dev);
    if (l->region) syscon_region_begin(name);
    for (uint32_t r = 0; r < runs && rc == ACCEL_ERR_NONE; ++r) {
        rc = cgra_run(&dev, k->groups, l->region || next_irq()); /* the regions' RUNs: WFI */
        const uint32_t c = cgra_run_cycles(&dev);
        cycles += c;
        stalls += cgra_stalls(&dev);
        sched_ok &= c == schedule(l, m);
    }
    if (l->region) syscon_region_end();
    const uint64_t ops = accel_ops(&dev) - ops0;
    if (rc != ACCEL_ERR_NONE) return device_error(name, rc);

    memset(out_words, 0xA5, sizeof out_words);
    rc = cgra_copy(&dev, CGRA_COPY_TO_SOC, out_words, out_local, out_bytes, next_irq());
    if (rc != ACCEL_ERR_NONE) return device_error("output COPY", rc);

    if (l->kind == FC) {
        for (uint32_t o = 0; o < l->n_out; ++o) {
            if ((int32_t)out_words[o] != ref[o]) {
                printf("cgra_kernels: MISMATCH %s: y[%lu] = %ld, the CPU's %ld\n", name, (unsigned long)o,
                       (long)(int32_t)out_words[o], (long)ref[o]);
                return EXIT_MISMATCH;
            }
        }
    } else {
        const uint32_t p = l->h * l->w;
        for (uint32_t c = 0; c < runs; ++c)
            for (uint32_t n = 0; n < p; ++n)
                for (uint32_t lane = 0; lane < 4u; ++lane) {
                    const int32_t got = (int32_t)out_words[4u * (c * (p + 1u) + 1u + n) + lane];
                    const int32_t want = ref[n * l->c_out + 4u * c + lane];
                    if (got != want) {
                        printf("cgra_kernels: MISMATCH %s: y[%lu][%lu][%lu] = %ld, the CPU's %ld\n", name,
                               (unsigned long)(n / l->w), (unsigned long)(n % l->w), (unsigned long)(4u * c + lane),
                               (long)got, (long)want);
                        return EXIT_MISMATCH;
                    }
                }
    }
    if (ops != 2u * macs(l)) {
        printf("cgra_kernels: %s: OPS grew by %llu, expected 2 x %llu MACs\n", name, (unsigned long long)ops,
               (unsigned long long)macs(l));
        return EXIT_DEVICE;
    }
    if (!sched_ok || stalls != 0u) {
        printf("cgra_kernels: %s: RUN_CYCLES %lu (%lu RUNs), STALLS %lu; the kernel's schedule is %lu cycles a RUN "
               "without stalls\n",
               name, (unsigned long)cycles, (unsigned long)runs, (unsigned long)stalls,
               (unsigned long)schedule(l, m));
        return EXIT_DEVICE;
    }
    printf("cgra_kernels: %s.%s.%s ok cycles %lu stalls %lu macs %llu\n", kernel, mapping_name[m], l->size,
           (unsigned long)cycles, (unsigned long)stalls, (unsigned long long)ops);
    return 0;
}

/* Values (fixed seeds), the CPU's result, the packed layer; false when it does not fit the
   buffers or the layout. */
static bool make_layer(const struct layer *l, unsigned seed)
{
    if (l->kind == FC) {
        const uint32_t k = l->n_in / 4u, g = l->n_out / 4u;
        if (l->n_in % 4u != 0u || l->n_out % 4u != 0u || k == 0u || g == 0u || l->n_in > FC_IN_MAX ||
            l->n_out > FC_OUT_MAX || k > FC_K_MAX || g > FC_G_MAX || FC_WB + 16u * k * g > info.mem_bytes)
            return false;
    } else {
        const uint32_t cw = l->c_in / 4u;
        if (l->c_in % 4u != 0u || l->c_out % 4u != 0u || cw == 0u || l->c_out == 0u || l->h == 0u || l->w == 0u ||
            l->h > CONV_H_MAX || l->w > CONV_W_MAX || l->c_in > CONV_CIN_MAX || l->c_out > CONV_CO_MAX ||
            32u * cw * (l->w + 2u) > CONV_RP || CONV_WB + 288u * cw * (l->c_out / 4u) > CONV_XB ||
            CONV_Y + 16u * (l->c_out / 4u) * (l->h * l->w + 1u) > CONV_WB)
            return false;
    }
    rng = 0x2545F491u + 977u * seed;
    if (l->kind == FC) {
        for (uint32_t i = 0; i < l->n_in; ++i) x[i] = (int8_t)(rnd() >> 24);
        for (uint32_t i = 0; i < l->n_in * l->n_out; ++i) w[i] = (int8_t)(rnd() >> 24);
        fc_ref(l->n_in, l->n_out);
        fc_pack(l->n_in, l->n_out);
    } else {
        for (uint32_t i = 0; i < l->h * l->w * l->c_in; ++i) x[i] = (int8_t)(rnd() >> 24);
        for (uint32_t i = 0; i < 9u * l->c_in * l->c_out; ++i) w[i] = (int8_t)(rnd() >> 24);
        conv_ref(l);
        conv_pack(l);
    }
    return x_bytes <= sizeof x_words && x_local + x_bytes <= info.mem_bytes;
}

/* --- error paths ---------------------------------------------------------------------------- */

static int expect_error(const char *what, int rc, int want_code, uint32_t want_cause, uint32_t want_addr)
{
    struct cgra_error e;
    cgra_get_error(&dev, rc, &e);
    const uint32_t cause = want_code == ACCEL_ERR_CONFIG ? e.config_cause : e.fault_cause;
    const char *cause_name = want_code == ACCEL_ERR_CONFIG ? cgra_config_cause_name(cause) : cgra_fault_name(cause);
    if (rc != want_code || cause != want_cause || e.err_addr != want_addr) {
        printf("cgra_kernels: %s: %s, cause %s, ERR_ADDR 0x%08lx; expected %s, %s, 0x%08lx\n", what,
               cgra_err_name(rc), cause_name, (unsigned long)e.err_addr, cgra_err_name(want_code),
               want_code == ACCEL_ERR_CONFIG ? cgra_config_cause_name(want_cause) : cgra_fault_name(want_cause),
               (unsigned long)want_addr);
        return EXIT_DEVICE;
    }
    return 0;
}

/* Hand-made images: header, one record, END. */
static uint32_t bad_route[9];
static uint32_t bad_units[9];

static void make_bad_images(void)
{
    /* ROUTE abu1.in0 <- lsu4: from (5,0) to (1,5), 9 hops; the data network reaches 8. */
    const uint32_t route[] = {CGRA_IMAGE_MAGIC, CGRA_IMAGE_VERSION, sizeof bad_route, info.units,
                              2u | 3u << 8, UNIT_ABU1, 0u, UNIT_LSU4, 0u};
    memcpy(bad_route, route, sizeof route);
    /* BIND lsu0 -> decoder 0 in an image made for a fabric of one unit more. */
    const uint32_t units[] = {CGRA_IMAGE_MAGIC, CGRA_IMAGE_VERSION, 4u * 8u, info.units + 1u,
                              1u | 2u << 8, UNIT_LSU0, 0u, 0u, 0u};
    memcpy(bad_units, units, sizeof units);
}

static int error_cases(void)
{
    make_bad_images();

    /* A route too long: CONFIG, CONFIG_CAUSE ROUTE, ERR_ADDR = the ROUTE record (word 4). */
    int rc = cgra_config(&dev, &(struct cgra_kernel){bad_route, sizeof bad_route, info.units, 0u}, 0u, next_irq());
    rc = expect_error("route of 9 hops", rc, ACCEL_ERR_CONFIG, CGRA_CONFIG_ROUTE,
                      (uint32_t)(uintptr_t)&bad_route[4]);
    if (rc != 0) return rc;
    printf("cgra_kernels: route of 9 hops: CONFIG, CONFIG_CAUSE ROUTE, ERR_ADDR the ROUTE record ok\n");

    /* Another fabric's unit count: the HAL refuses it; CONFIG (the raw descriptor) says FORMAT at
       the image's first word. */
    const struct cgra_kernel other = {bad_units, 4u * 8u, info.units + 1u, 1u};
    rc = cgra_config(&dev, &other, 0u, false);
    if (rc != CGRA_ERR_IMAGE_UNITS) {
        printf("cgra_kernels: image for %lu units: %s, expected IMAGE_UNITS\n", (unsigned long)(info.units + 1u),
               cgra_err_name(rc));
        return EXIT_DEVICE;
    }
    cgra_chain_init(&chain, desc, 1u);
    cgra_chain_config_image(&chain, bad_units, 4u * 8u, 0u);
    rc = expect_error("image for another fabric", cgra_chain_exec(&dev, &chain, next_irq()), ACCEL_ERR_CONFIG,
                      CGRA_CONFIG_FORMAT, (uint32_t)(uintptr_t)bad_units);
    if (rc != 0) return rc;
    printf("cgra_kernels: image for another fabric: IMAGE_UNITS (HAL), CONFIG_CAUSE FORMAT ok\n");

    /* faults.cgra: a load outside local memory (group 0). */
    cgra_chain_init(&chain, desc, 2u);
    cgra_chain_config(&chain, &k_clear, 0u);
    cgra_chain_config(&chain, &k_faults, 0u);
    rc = cgra_chain_exec(&dev, &chain, next_irq());
    if (rc != ACCEL_ERR_NONE) return device_error("faults CONFIG", rc);
    rc = cgra_run(&dev, 1u << 0, next_irq());
    rc = expect_error("load outside local memory", rc, ACCEL_ERR_PROGRAM, CGRA_CAUSE_MEMORY, faults_LABEL_load);
    if (rc == 0 && (cgra_fault_unit(&dev) != UNIT_LSU0 || cgra_fault_pc(&dev) != faults_LABEL_load)) {
        printf("cgra_kernels: load outside local memory: FAULT_UNIT %lu, FAULT_PC %lu; expected %u (lsu0), %u\n",
               (unsigned long)cgra_fault_unit(&dev), (unsigned long)cgra_fault_pc(&dev), UNIT_LSU0,
               faults_LABEL_load);
        rc = EXIT_DEVICE;
    }
    if (rc != 0) return rc;
    printf("cgra_kernels: load outside local memory: PROGRAM, FAULT_CAUSE MEMORY, FAULT_UNIT %lu, FAULT_PC %lu, "
           "RUN_CYCLES %lu ok\n",
           (unsigned long)cgra_fault_unit(&dev), (unsigned long)cgra_fault_pc(&dev),
           (unsigned long)cgra_run_cycles(&dev));

    /* faults.cgra: an endless loop (group 1) with MAX_CYCLES lowered. */
    cgra_set_max_cycles(&dev, 1000u);
    if (cgra_max_cycles(&dev) != 1000u) {
        printf("cgra_kernels: MAX_CYCLES reads %lu after writing 1000\n", (unsigned long)cgra_max_cycles(&dev));
        return EXIT_DEVICE;
    }
    rc = cgra_run(&dev, 1u << 1, next_irq());
    cgra_set_max_cycles(&dev, 0u);
    rc = expect_error("endless loop, MAX_CYCLES 1000", rc, ACCEL_ERR_TIMEOUT, 0u, faults_LABEL_spin);
    if (rc == 0 && (cgra_run_cycles(&dev) != 1000u || cgra_fault_pc(&dev) != faults_LABEL_spin)) {
        printf("cgra_kernels: endless loop: RUN_CYCLES %lu, FAULT_PC %lu; expected 1000, %u\n",
               (unsigned long)cgra_run_cycles(&dev), (unsigned long)cgra_fault_pc(&dev), faults_LABEL_spin);
        rc = EXIT_DEVICE;
    }
    if (rc != 0) return rc;
    printf("cgra_kernels: endless loop, MAX_CYCLES 1000: TIMEOUT, RUN_CYCLES 1000, FAULT_PC %lu ok\n",
           (unsigned long)cgra_fault_pc(&dev));

    /* A RUN of a group that has no decoder: refused before it runs (CONFIG_CAUSE RUN, ERR_ADDR 0). */
    rc = expect_error("RUN of an empty group", cgra_run(&dev, 1u << 7, next_irq()), ACCEL_ERR_CONFIG,
                      CGRA_CONFIG_RUN, 0u);
    if (rc != 0) return rc;
    printf("cgra_kernels: RUN of an empty group: CONFIG, CONFIG_CAUSE RUN ok\n");
    return 0;
}

/* fc_blocks (group 0), then in the same chain relu.cgra (group 1) CONFIGed with `flags` and run:
   the outputs with ReLU. Returns the job's code; *busy the accelerator cycles it took. */
static int fc_relu_chain(const struct layer *l, uint32_t flags, uint64_t *busy)
{
    load_chain(&k_fc[MAP_BLOCKS]);
    cgra_chain_run(&chain, fc_blocks_GROUPS);
    cgra_chain_config(&chain, &k_relu, flags);
    cgra_chain_run(&chain, relu_GROUPS);
    cgra_chain_copy(&chain, CGRA_COPY_TO_SOC, out_words, out_local, out_bytes);
    memset(out_words, 0xA5, sizeof out_words);
    const uint64_t c0 = accel_cycles(&dev);
    const int rc = cgra_chain_exec(&dev, &chain, next_irq());
    *busy = accel_cycles(&dev) - c0;
    if (rc != ACCEL_ERR_NONE) return rc;
    for (uint32_t o = 0; o < l->n_out; ++o) {
        const int32_t want = ref[o] > 0 ? ref[o] : 0;
        if ((int32_t)out_words[o] != want) {
            printf("cgra_kernels: MISMATCH fc + relu: y[%lu] = %ld, the CPU's %ld\n", (unsigned long)o,
                   (long)(int32_t)out_words[o], (long)want);
            return EXIT_MISMATCH;
        }
    }
    return 0;
}

static int background_cases(void)
{
    const struct layer *l = &layers[1]; /* fc 256x16 */
    make_layer(l, 1u);
    uint64_t fg = 0, bg = 0;
    int rc = fc_relu_chain(l, 0u, &fg);
    if (rc == EXIT_MISMATCH) return rc;
    if (rc != 0) return device_error("fc + relu, foreground CONFIG", rc);
    rc = fc_relu_chain(l, CGRA_CONFIG_BACKGROUND, &bg);
    if (rc == EXIT_MISMATCH) return rc;
    if (rc != 0) return device_error("fc + relu, BACKGROUND CONFIG", rc);
    /* The BACKGROUND load (relu's image, a cycle per word) overlapped fc's RUN. */
    if (bg + relu_WORDS > fg) {
        printf("cgra_kernels: fc + relu: %llu cycles with a BACKGROUND CONFIG, %llu with a foreground one; "
               "expected at least %u (relu's image) fewer\n",
               (unsigned long long)bg, (unsigned long long)fg, (unsigned)relu_WORDS);
        return EXIT_DEVICE;
    }
    printf("cgra_kernels: fc.blocks.%s then relu, BACKGROUND CONFIG during the RUN: ok, %llu cycles "
           "(foreground CONFIG: %llu)\n",
           l->size, (unsigned long long)bg, (unsigned long long)fg);

    /* A BACKGROUND CONFIG that touches what the RUN before it uses. */
    load_chain(&k_fc[MAP_BLOCKS]);
    cgra_chain_run(&chain, fc_blocks_GROUPS);
    cgra_chain_config(&chain, &k_fc[MAP_BLOCKS], CGRA_CONFIG_BACKGROUND);
    rc = expect_error("BACKGROUND CONFIG of the running kernel", cgra_chain_exec(&dev, &chain, next_irq()),
                      ACCEL_ERR_CONFIG, CGRA_CONFIG_BUSY, (uint32_t)(uintptr_t)fc_blocks_image);
    if (rc != 0) return rc;
    printf("cgra_kernels: BACKGROUND CONFIG of the running kernel: CONFIG, CONFIG_CAUSE BUSY ok\n");
    return 0;
}

#ifndef EDGEVP_CGRA_SPEED_REPEAT
#define EDGEVP_CGRA_SPEED_REPEAT 0
#endif

/* bench/cgra.sh's simulation speed: the larger convolution, Blocks mapping, loaded and run
   EDGEVP_CGRA_SPEED_REPEAT times (the cgra_speed apps), where most of the host's time goes into
   simulating the fabric. The results were checked by run_case(). */
#if EDGEVP_CGRA_SPEED_REPEAT > 0
static int speed_phase(void)
{
    const struct layer *l = &layers[N_LAYERS - 1u];
    make_layer(l, (unsigned)(N_LAYERS - 1u));
    uint64_t cycles = 0;
    for (uint32_t r = 0; r < EDGEVP_CGRA_SPEED_REPEAT; ++r) {
        load_chain(&k_conv[MAP_BLOCKS]);
        int rc = cgra_chain_exec(&dev, &chain, next_irq());
        for (uint32_t c = 0; c < l->c_out / 4u && rc == ACCEL_ERR_NONE; ++c) {
            rc = cgra_run(&dev, k_conv[MAP_BLOCKS].groups, next_irq());
            cycles += cgra_run_cycles(&dev);
        }
        if (rc != ACCEL_ERR_NONE) return device_error("speed", rc);
    }
    printf("cgra_kernels: speed cycles %llu\n", (unsigned long long)cycles);
    return 0;
}
#endif

int main(void)
{
    if (cgra_find(0, &dev, &info) < 0) {
        printf("cgra_kernels: no cgra accelerator in the memory map\n");
        printf("cgra_kernels: FAIL\n");
        return EXIT_NO_CGRA;
    }
    printf("cgra_kernels: %s at 0x%08lx: %lu units, %lu decoders of %lu instructions, %lu bytes in %lu banks\n",
           dev.name, (unsigned long)dev.base, (unsigned long)info.units, (unsigned long)info.decoders,
           (unsigned long)info.imem_insns, (unsigned long)info.mem_bytes, (unsigned long)info.banks);
    if (info.units != clear_UNITS || info.mem_bytes != FABRIC_MEM_BYTES || info.banks != FABRIC_BANKS) {
        printf("cgra_kernels: the kernels are made for the default fabric (%u units, %u bytes in %u banks)\n",
               (unsigned)clear_UNITS, FABRIC_MEM_BYTES, FABRIC_BANKS);
        printf("cgra_kernels: FAIL\n");
        return EXIT_NO_CGRA;
    }
    accel_irq_attach(&dev);

    int rc = 0;
    for (unsigned i = 0; i < N_LAYERS && rc == 0; ++i) {
        if (!make_layer(&layers[i], i)) {
            printf("cgra_kernels: %s %s does not fit the kernels' layout\n", layers[i].kind == FC ? "fc" : "conv",
                   layers[i].size);
            rc = EXIT_DEVICE;
        }
        for (unsigned m = 0; m < N_MAPPINGS && rc == 0; ++m) rc = run_case(&layers[i], m);
    }
    if (rc == 0) rc = error_cases();
    if (rc == 0) rc = background_cases();
    if (rc == 0) {
        const struct layer again = {FC, "64x8.again", false, 64, 8, 0, 0, 0, 0};
        make_layer(&again, 0u);
        rc = run_case(&again, MAP_BLOCKS);
    }
#if EDGEVP_CGRA_SPEED_REPEAT > 0
    if (rc == 0) rc = speed_phase();
#endif
    printf("cgra_kernels: %s\n", rc == 0 ? "PASS" : "FAIL");
    return rc;
}

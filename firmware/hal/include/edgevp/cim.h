/*
 * Compute-in-memory accelerator (docs/models/cim.md): kinds cim-digital (ID 0xACCE0101) and
 * cim-analog (ID 0xACCE0201) on the common accelerator window (edgevp/accel.h).
 *
 * An array of ROWS x COLS weights; rows are the inputs, columns the outputs:
 *   acc[c] = sum over r of x[r] * W[row0 + r][col0 + c]
 *
 *   ROWS       (0x40, ro)  array rows
 *   COLS       (0x44, ro)  array columns
 *   PRECISIONS (0x48, ro)  bit n-1 set: n-bit inputs supported
 *   ADC_BITS   (0x4C, ro)  analog ADC resolution (digital: 0)
 *   DAC_BITS   (0x50, ro)  analog DAC resolution (digital: 0)
 *   NOISE_SD   (0x54, ro)  analog: sd of one weight's error in weight LSBs x 1e6 (0: noise off)
 *   MAX_WRITES (0x58, ro)  analog: most programming cycles of a cell; digital: of a row
 *
 * Descriptors (little-endian words, 4-byte aligned; the structs below are laid out word for
 * word): LOAD (opcode 1, 8 words) programs a tile of weights from W[out][in] bytes, MVM
 * (opcode 2, 16 words) multiplies a batch of int8 vectors, writing int32 (OUT32) or
 * requantised int8 outputs.
 *
 * The cim_ref_* functions compute on the CPU exactly what the documents define (for the
 * analog kind: the ideal, noise-free result), for checking the hardware.
 */
#ifndef EDGEVP_CIM_H
#define EDGEVP_CIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "edgevp/accel.h"

/* Both kinds share the CIM's registers and descriptors (models/accelerators/cim/cim.h); the names
 * below are the digital kind's, checked equal to the analog kind's. */
_Static_assert(EDGEVP_CIM_ANALOG_ROWS == EDGEVP_CIM_DIGITAL_ROWS && EDGEVP_CIM_ANALOG_MAX_WRITES == EDGEVP_CIM_DIGITAL_MAX_WRITES &&
                   EDGEVP_CIM_ANALOG_OP_MVM == EDGEVP_CIM_DIGITAL_OP_MVM && EDGEVP_CIM_ANALOG_MVM_WORDS == EDGEVP_CIM_DIGITAL_MVM_WORDS,
               "the CIM kinds' registers and descriptors differ");

/* --- identity ------------------------------------------------------------------------------- */
#define CIM_ID_DIGITAL   EDGEVP_CIM_DIGITAL_ID
#define CIM_ID_ANALOG    EDGEVP_CIM_ANALOG_ID
#define CIM_KIND_DIGITAL EDGEVP_CIM_DIGITAL_CODE /* ACCEL_ID_KIND() */
#define CIM_KIND_ANALOG  EDGEVP_CIM_ANALOG_CODE

/* --- kind-specific registers ---------------------------------------------------------------- */
#define CIM_ROWS       EDGEVP_CIM_DIGITAL_ROWS
#define CIM_COLS       EDGEVP_CIM_DIGITAL_COLS
#define CIM_PRECISIONS EDGEVP_CIM_DIGITAL_PRECISIONS
#define CIM_ADC_BITS   EDGEVP_CIM_DIGITAL_ADC_BITS
#define CIM_DAC_BITS   EDGEVP_CIM_DIGITAL_DAC_BITS
#define CIM_NOISE_SD   EDGEVP_CIM_DIGITAL_NOISE_SD
#define CIM_MAX_WRITES EDGEVP_CIM_DIGITAL_MAX_WRITES

#define CIM_NOISE_SD_SCALE 1000000u /* NOISE_SD is in weight LSBs x 1e6 */

/* --- descriptors ---------------------------------------------------------------------------- */
#define CIM_OP_LOAD EDGEVP_CIM_DIGITAL_OP_LOAD
#define CIM_OP_MVM  EDGEVP_CIM_DIGITAL_OP_MVM

#define CIM_LOAD_WORDS EDGEVP_CIM_DIGITAL_LOAD_WORDS
#define CIM_MVM_WORDS  EDGEVP_CIM_DIGITAL_MVM_WORDS

#define CIM_MVM_RELU  EDGEVP_CIM_DIGITAL_MVM_RELU
#define CIM_MVM_OUT32 EDGEVP_CIM_DIGITAL_MVM_OUT32

#define CIM_MVM_MAX_SHIFT     62u
#define CIM_MVM_MAX_ADC_SHIFT 30u

/* (lo in bits 15:0, hi in bits 31:16): row0/rows and col0/cols words. */
#define CIM_PACK16(lo, hi) (((uint32_t)(lo) & 0xFFFFu) | ((uint32_t)(hi) << 16))
#define CIM_LO16(w)        ((uint32_t)(w) & 0xFFFFu)
#define CIM_HI16(w)        ((uint32_t)(w) >> 16)

/* LOAD: the weight of array cell (row0 + r, col0 + c) is the byte at src + c * src_stride + r. */
typedef struct cim_load_desc {
    uint32_t op;         /* 0: CIM_OP_LOAD, no flags */
    uint32_t next;       /* 1: next descriptor, 0 = last */
    uint32_t src;        /* 2: weights, one signed byte each */
    uint32_t src_stride; /* 3: bytes from one column's weights to the next */
    uint32_t row0_rows;  /* 4: row0 (15:0), rows (31:16) */
    uint32_t col0_cols;  /* 5: col0 (15:0), cols (31:16) */
    uint32_t w_bits;     /* 6: digital 4 or 8 (low bits, sign-extended); analog 2..8 (clipped) */
    uint32_t reserved;   /* 7: 0 */
} cim_load_desc_t;

/* MVM: vector b at in + b * in_stride (one byte per row), outputs at out + b * out_stride
   (one byte per column, or one word with OUT32). */
typedef struct cim_mvm_desc {
    uint32_t op;          /* 0: CIM_OP_MVM | CIM_MVM_RELU | CIM_MVM_OUT32 */
    uint32_t next;        /* 1 */
    uint32_t in;          /* 2 */
    uint32_t in_stride;   /* 3 */
    uint32_t out;         /* 4 */
    uint32_t out_stride;  /* 5 */
    uint32_t row0_rows;   /* 6: row0 (15:0), rows (31:16): the input rows used */
    uint32_t col0_cols;   /* 7: col0 (15:0), cols (31:16): the output columns used */
    uint32_t batch;       /* 8: >= 1 */
    uint32_t in_bits;     /* 9: digital 4 or 8; analog 1..DAC_BITS (low bits, sign-extended) */
    uint32_t bias;        /* 10: cols int32 biases (word aligned), 0 = none */
    int32_t scale;        /* 11: requantisation multiplier */
    uint32_t shift;       /* 12: 0..62 */
    uint32_t adc_shift;   /* 13: analog: log2 of the ADC LSB (0..30); digital: 0 */
    uint32_t reserved[2]; /* 14-15: 0 */
} cim_mvm_desc_t;

/* The layouts above against the model's own word numbers (edgevp_accel_regs.h). */
_Static_assert(sizeof(cim_load_desc_t) == 4 * CIM_LOAD_WORDS, "LOAD descriptor size");
_Static_assert(offsetof(cim_load_desc_t, src) == 4 * EDGEVP_CIM_DIGITAL_LOAD_W_SRC, "LOAD src");
_Static_assert(offsetof(cim_load_desc_t, src_stride) == 4 * EDGEVP_CIM_DIGITAL_LOAD_W_SRC_STRIDE, "LOAD src_stride");
_Static_assert(offsetof(cim_load_desc_t, row0_rows) == 4 * EDGEVP_CIM_DIGITAL_LOAD_W_ROW0_ROWS, "LOAD row0_rows");
_Static_assert(offsetof(cim_load_desc_t, col0_cols) == 4 * EDGEVP_CIM_DIGITAL_LOAD_W_COL0_COLS, "LOAD col0_cols");
_Static_assert(offsetof(cim_load_desc_t, w_bits) == 4 * EDGEVP_CIM_DIGITAL_LOAD_W_W_BITS, "LOAD w_bits");
_Static_assert(offsetof(cim_load_desc_t, reserved) == 4 * EDGEVP_CIM_DIGITAL_LOAD_W_RESERVED, "LOAD reserved");
_Static_assert(sizeof(cim_mvm_desc_t) == 4 * CIM_MVM_WORDS, "MVM descriptor size");
_Static_assert(offsetof(cim_mvm_desc_t, in) == 4 * EDGEVP_CIM_DIGITAL_MVM_W_IN, "MVM in");
_Static_assert(offsetof(cim_mvm_desc_t, in_stride) == 4 * EDGEVP_CIM_DIGITAL_MVM_W_IN_STRIDE, "MVM in_stride");
_Static_assert(offsetof(cim_mvm_desc_t, out) == 4 * EDGEVP_CIM_DIGITAL_MVM_W_OUT, "MVM out");
_Static_assert(offsetof(cim_mvm_desc_t, out_stride) == 4 * EDGEVP_CIM_DIGITAL_MVM_W_OUT_STRIDE, "MVM out_stride");
_Static_assert(offsetof(cim_mvm_desc_t, row0_rows) == 4 * EDGEVP_CIM_DIGITAL_MVM_W_ROW0_ROWS, "MVM row0_rows");
_Static_assert(offsetof(cim_mvm_desc_t, col0_cols) == 4 * EDGEVP_CIM_DIGITAL_MVM_W_COL0_COLS, "MVM col0_cols");
_Static_assert(offsetof(cim_mvm_desc_t, batch) == 4 * EDGEVP_CIM_DIGITAL_MVM_W_BATCH, "MVM batch");
_Static_assert(offsetof(cim_mvm_desc_t, in_bits) == 4 * EDGEVP_CIM_DIGITAL_MVM_W_IN_BITS, "MVM in_bits");
_Static_assert(offsetof(cim_mvm_desc_t, bias) == 4 * EDGEVP_CIM_DIGITAL_MVM_W_BIAS, "MVM bias");
_Static_assert(offsetof(cim_mvm_desc_t, scale) == 4 * EDGEVP_CIM_DIGITAL_MVM_W_SCALE, "MVM scale");
_Static_assert(offsetof(cim_mvm_desc_t, shift) == 4 * EDGEVP_CIM_DIGITAL_MVM_W_SHIFT, "MVM shift");
_Static_assert(offsetof(cim_mvm_desc_t, adc_shift) == 4 * EDGEVP_CIM_DIGITAL_MVM_W_ADC_SHIFT, "MVM adc_shift");
_Static_assert(offsetof(cim_mvm_desc_t, reserved) == 4 * EDGEVP_CIM_DIGITAL_MVM_W_RESERVED, "MVM reserved");

/* Build a LOAD (next = 0). */
void cim_load_desc(cim_load_desc_t *d, const int8_t *src, uint32_t src_stride, unsigned row0,
                   unsigned rows, unsigned col0, unsigned cols, unsigned w_bits);

/* The fields of an MVM. */
struct cim_mvm_args {
    const int8_t *in;
    uint32_t in_stride;
    void *out;
    uint32_t out_stride;
    unsigned row0, rows, col0, cols;
    unsigned batch;
    unsigned in_bits;
    const int32_t *bias; /* NULL: none */
    int32_t scale;
    unsigned shift;
    unsigned adc_shift;  /* digital: 0 */
    uint32_t flags;      /* CIM_MVM_RELU | CIM_MVM_OUT32 */
};

/* Build an MVM (next = 0). */
void cim_mvm_desc(cim_mvm_desc_t *d, const struct cim_mvm_args *a);

/* Link descriptor `desc` (any kind: word 1) to `next` (NULL: last). */
static inline void cim_desc_chain(void *desc, const void *next)
{
    ((uint32_t *)desc)[1] = (uint32_t)(uintptr_t)next;
}

/* --- device --------------------------------------------------------------------------------- */

struct cim_info {
    uint32_t id;
    bool analog;
    uint32_t rows, cols;
    uint32_t precisions;
    uint32_t adc_bits, dac_bits;
    uint32_t noise_sd;
    uint32_t max_writes;
};

/* Is `id` a CIM kind (any version)? */
bool cim_is_cim(uint32_t id);
/* "cim-digital", "cim-analog", or NULL. */
const char *cim_kind_name(uint32_t id);
/* Reads ID and the CIM registers. */
void cim_read_info(const struct accel_dev *dev, struct cim_info *info);
uint32_t cim_noise_sd(const struct accel_dev *dev);
uint32_t cim_max_writes(const struct accel_dev *dev);
/* PRECISIONS bit in_bits-1. */
bool cim_supports_in_bits(const struct cim_info *info, unsigned in_bits);
/* digital 4 and 8; analog 2..8. */
bool cim_supports_w_bits(const struct cim_info *info, unsigned w_bits);

/* --- reference arithmetic ------------------------------------------------------------------- */

/* The low `bits` bits of v, sign-extended (bits 1..32). */
static inline int32_t cim_sext(uint32_t v, unsigned bits)
{
    if (bits >= 32) {
        return (int32_t)v;
    }
    uint32_t m = 1u << (bits - 1);
    v &= (m << 1) - 1u;
    return (int32_t)(v ^ m) - (int32_t)m;
}

/* An input element as the array sees it: the low in_bits bits, sign-extended. */
static inline int32_t cim_ref_input(int8_t x, unsigned in_bits)
{
    return cim_sext((uint8_t)x, in_bits);
}

/* A weight as stored: digital the low w_bits bits sign-extended, analog clipped to
   +-(2^(w_bits-1) - 1). */
int32_t cim_ref_weight(int8_t w, unsigned w_bits, bool analog);

/* Exact dot product of vector b with column c of the MVM (c counts from the MVM's col0), the
   array holding the weights written by `load`. Analog: the noise-free column sum. */
int64_t cim_ref_dot(const cim_load_desc_t *load, const cim_mvm_desc_t *mvm, bool analog,
                    uint32_t b, uint32_t c);

/* Ideal ADC: code = clamp(round_half_away(sum / 2^adc_shift), -2^(adc_bits-1),
   2^(adc_bits-1) - 1); returns code * 2^adc_shift. */
int64_t cim_ref_adc(int64_t sum, unsigned adc_shift, unsigned adc_bits);

/* Requantisation: y = (acc * scale + (shift ? 1 << (shift - 1) : 0)) >> shift in 64 bits
   (arithmetic shift), ReLU if asked, clamp to int8. */
int8_t cim_ref_requant(int32_t acc, int32_t scale, unsigned shift, bool relu);

/* The whole MVM on the CPU: writes what the device would write for `mvm` into `out` (laid
   out as the descriptor's out / out_stride say, but at `out`), reading inputs and bias from
   the descriptor's addresses. adc_bits: analog ADC resolution (ignored for digital).
   Returns 0, or -1 if the MVM's rows or columns are not all inside the tile `load` wrote. */
int cim_ref_mvm(const cim_load_desc_t *load, const cim_mvm_desc_t *mvm, bool analog,
                unsigned adc_bits, void *out);

#endif

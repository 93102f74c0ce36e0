/*
 * Spiking neural network accelerator (docs/models/snn.md): kind snn (ID 0xACCE0301) on the
 * common accelerator window (edgevp/accel.h).
 *
 * An event-driven engine: a LAYER descriptor streams address events (SNE's 32-bit words: TIME
 * markers, SPIKEs with channel / y / x, END) from a ring in memory into leaky integrate-and-fire
 * neurons held in the engine's neuron memory, through weights in its synapse memory (written by
 * LOAD), and writes the layer's output spikes as events to another ring (and a spike count per
 * neuron). STATE copies membranes out.
 *
 *   NEURONS       (0x40, ro)  neuron memory, in neurons
 *   SYNAPSE_BYTES (0x44, ro)  synapse memory, in bytes
 *   LANES         (0x48, ro)  synaptic operations per cycle
 *   OUT_END       (0x4C, ro)  output ring offset after the last LAYER's END (words)
 *   OUT_WORDS     (0x50, ro)  words the last LAYER wrote
 *   IN_SPIKES     (0x54, ro)  spikes the last LAYER read
 *   OUT_SPIKES    (0x58, ro)  spikes the last LAYER emitted
 *   STEPS         (0x5C, ro)  time steps the last LAYER closed
 *   SYNOPS        (0x60/0x64, ro)  synaptic operations since reset (LO latches HI)
 *
 * snn_ref_layer() computes on the CPU exactly what the document defines, event by event, for
 * checking the hardware.
 */
#ifndef EDGEVP_SNN_H
#define EDGEVP_SNN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "edgevp/accel.h"

#define SNN_ID   EDGEVP_SNN_ID
#define SNN_KIND EDGEVP_SNN_CODE /* ACCEL_ID_KIND() */

/* --- registers ------------------------------------------------------------------------------ */
#define SNN_NEURONS       EDGEVP_SNN_NEURONS
#define SNN_SYNAPSE_BYTES EDGEVP_SNN_SYNAPSE_BYTES
#define SNN_LANES         EDGEVP_SNN_LANES
#define SNN_OUT_END       EDGEVP_SNN_OUT_END
#define SNN_OUT_WORDS     EDGEVP_SNN_OUT_WORDS
#define SNN_IN_SPIKES     EDGEVP_SNN_IN_SPIKES
#define SNN_OUT_SPIKES    EDGEVP_SNN_OUT_SPIKES
#define SNN_STEPS         EDGEVP_SNN_STEPS
#define SNN_SYNOPS_LO     EDGEVP_SNN_SYNOPS_LO
#define SNN_SYNOPS_HI     EDGEVP_SNN_SYNOPS_HI

/* --- events --------------------------------------------------------------------------------- */
#define SNN_EVT_SPIKE EDGEVP_SNN_EVT_SPIKE
#define SNN_EVT_TIME  EDGEVP_SNN_EVT_TIME
#define SNN_EVT_END   EDGEVP_SNN_EVT_END
#define SNN_EVT_OP(w) ((uint32_t)(w) >> EDGEVP_SNN_EVT_OP_SHIFT)
#define SNN_SPIKE(c, y, x)                                                                    \
    (((uint32_t)SNN_EVT_SPIKE << EDGEVP_SNN_EVT_OP_SHIFT) | (((uint32_t)(c) & 0xFFu) << 16) | \
     (((uint32_t)(y) & 0xFFu) << 8) | ((uint32_t)(x) & 0xFFu))
#define SNN_TIME(t)     (((uint32_t)SNN_EVT_TIME << EDGEVP_SNN_EVT_OP_SHIFT) | ((uint32_t)(t) & 0x0FFFFFFFu))
#define SNN_END         ((uint32_t)SNN_EVT_END << EDGEVP_SNN_EVT_OP_SHIFT)
#define SNN_SPIKE_C(w)  (((uint32_t)(w) >> 16) & 0xFFu)
#define SNN_SPIKE_Y(w)  (((uint32_t)(w) >> 8) & 0xFFu)
#define SNN_SPIKE_X(w)  ((uint32_t)(w) & 0xFFu)
#define SNN_TIME_OF(w)  ((uint32_t)(w) & 0x0FFFFFFFu)
#define SNN_MAX_DIM     EDGEVP_SNN_MAX_DIM
#define SNN_MAX_KERNEL  EDGEVP_SNN_MAX_KERNEL

/* --- descriptors ---------------------------------------------------------------------------- */
#define SNN_OP_LOAD  EDGEVP_SNN_OP_LOAD
#define SNN_OP_LAYER EDGEVP_SNN_OP_LAYER
#define SNN_OP_STATE EDGEVP_SNN_OP_STATE

/* LAYER flags, in word 0 */
#define SNN_LAYER_FC          EDGEVP_SNN_LAYER_FC
#define SNN_LAYER_CONV        EDGEVP_SNN_LAYER_CONV
#define SNN_LAYER_SPARSE      EDGEVP_SNN_LAYER_SPARSE
#define SNN_LAYER_INT4        EDGEVP_SNN_LAYER_INT4
#define SNN_LAYER_LEAK_LINEAR EDGEVP_SNN_LAYER_LEAK_LINEAR
#define SNN_LAYER_LEAK_SHIFT  EDGEVP_SNN_LAYER_LEAK_SHIFT
#define SNN_LAYER_RESET_SUB   EDGEVP_SNN_LAYER_RESET_SUB
#define SNN_LAYER_CLEAR       EDGEVP_SNN_LAYER_CLEAR

typedef struct snn_load_desc {
    uint32_t op;       /* 0: SNN_OP_LOAD */
    uint32_t next;     /* 1 */
    uint32_t src;      /* 2: SoC address */
    uint32_t dst;      /* 3: synapse-memory byte offset */
    uint32_t len;      /* 4: bytes >= 1 */
    uint32_t reserved; /* 5: 0 */
} snn_load_desc_t;

typedef struct snn_layer_desc {
    uint32_t op;               /* 0: SNN_OP_LAYER | type | INT4 | leak | RESET_SUB | CLEAR */
    uint32_t next;             /* 1 */
    uint32_t in;               /* 2: input ring (4-aligned) */
    uint32_t in_size;          /* 3: words */
    uint32_t in_offset;        /* 4: first word */
    uint32_t in_wh;            /* 5: in_w (15:0), in_h (31:16) */
    uint32_t in_c_out_c;       /* 6: in_c (15:0), out_c (31:16) */
    uint32_t out_wh;           /* 7: out_w (15:0), out_h (31:16) */
    uint32_t weights;          /* 8: synapse-memory offset of W, or of row_ptr (SPARSE) */
    uint32_t aux;              /* 9: CONV k; SPARSE entries offset; FC 0 */
    uint32_t threshold_reset;  /* 10: threshold (int16, 15:0), reset (int16, 31:16) */
    uint32_t leak_refractory;  /* 11: leak (7:0), refractory (15:8) */
    uint32_t state;            /* 12: first neuron */
    uint32_t out;              /* 13: output ring (4-aligned) */
    uint32_t out_size;         /* 14: words >= 2 */
    uint32_t out_offset;       /* 15: where writing starts */
    uint32_t counts;           /* 16: uint32 spike count per output neuron, 0 = none */
    uint32_t reserved;         /* 17: 0 */
} snn_layer_desc_t;

typedef struct snn_state_desc {
    uint32_t op;       /* 0: SNN_OP_STATE */
    uint32_t next;     /* 1 */
    uint32_t first;    /* 2 */
    uint32_t count;    /* 3 */
    uint32_t dst;      /* 4: int32 per neuron */
    uint32_t reserved; /* 5: 0 */
} snn_state_desc_t;

_Static_assert(sizeof(snn_load_desc_t) == 4 * EDGEVP_SNN_LOAD_WORDS, "LOAD descriptor size");
_Static_assert(offsetof(snn_load_desc_t, src) == 4 * EDGEVP_SNN_LOAD_W_SRC, "LOAD src");
_Static_assert(offsetof(snn_load_desc_t, dst) == 4 * EDGEVP_SNN_LOAD_W_DST, "LOAD dst");
_Static_assert(offsetof(snn_load_desc_t, len) == 4 * EDGEVP_SNN_LOAD_W_LEN, "LOAD len");
_Static_assert(sizeof(snn_layer_desc_t) == 4 * EDGEVP_SNN_LAYER_WORDS, "LAYER descriptor size");
_Static_assert(offsetof(snn_layer_desc_t, in) == 4 * EDGEVP_SNN_LAYER_W_IN, "LAYER in");
_Static_assert(offsetof(snn_layer_desc_t, in_size) == 4 * EDGEVP_SNN_LAYER_W_IN_SIZE, "LAYER in_size");
_Static_assert(offsetof(snn_layer_desc_t, in_offset) == 4 * EDGEVP_SNN_LAYER_W_IN_OFFSET, "LAYER in_offset");
_Static_assert(offsetof(snn_layer_desc_t, in_wh) == 4 * EDGEVP_SNN_LAYER_W_IN_WH, "LAYER in_wh");
_Static_assert(offsetof(snn_layer_desc_t, in_c_out_c) == 4 * EDGEVP_SNN_LAYER_W_IN_C_OUT_C, "LAYER in_c_out_c");
_Static_assert(offsetof(snn_layer_desc_t, out_wh) == 4 * EDGEVP_SNN_LAYER_W_OUT_WH, "LAYER out_wh");
_Static_assert(offsetof(snn_layer_desc_t, weights) == 4 * EDGEVP_SNN_LAYER_W_WEIGHTS, "LAYER weights");
_Static_assert(offsetof(snn_layer_desc_t, aux) == 4 * EDGEVP_SNN_LAYER_W_AUX, "LAYER aux");
_Static_assert(offsetof(snn_layer_desc_t, threshold_reset) == 4 * EDGEVP_SNN_LAYER_W_THRESHOLD_RESET, "LAYER threshold");
_Static_assert(offsetof(snn_layer_desc_t, leak_refractory) == 4 * EDGEVP_SNN_LAYER_W_LEAK_REFRACTORY, "LAYER leak");
_Static_assert(offsetof(snn_layer_desc_t, state) == 4 * EDGEVP_SNN_LAYER_W_STATE, "LAYER state");
_Static_assert(offsetof(snn_layer_desc_t, out) == 4 * EDGEVP_SNN_LAYER_W_OUT, "LAYER out");
_Static_assert(offsetof(snn_layer_desc_t, out_size) == 4 * EDGEVP_SNN_LAYER_W_OUT_SIZE, "LAYER out_size");
_Static_assert(offsetof(snn_layer_desc_t, out_offset) == 4 * EDGEVP_SNN_LAYER_W_OUT_OFFSET, "LAYER out_offset");
_Static_assert(offsetof(snn_layer_desc_t, counts) == 4 * EDGEVP_SNN_LAYER_W_COUNTS, "LAYER counts");
_Static_assert(sizeof(snn_state_desc_t) == 4 * EDGEVP_SNN_STATE_WORDS, "STATE descriptor size");
_Static_assert(offsetof(snn_state_desc_t, first) == 4 * EDGEVP_SNN_STATE_W_FIRST, "STATE first");
_Static_assert(offsetof(snn_state_desc_t, count) == 4 * EDGEVP_SNN_STATE_W_COUNT, "STATE count");
_Static_assert(offsetof(snn_state_desc_t, dst) == 4 * EDGEVP_SNN_STATE_W_DST, "STATE dst");

/* A layer: what the LAYER descriptor and the CPU reference both take. */
struct snn_layer {
    uint32_t flags;            /* SNN_LAYER_* (type, INT4, leak, RESET_SUB, CLEAR) */
    unsigned in_w, in_h, in_c; /* input shape */
    unsigned out_w, out_h, out_c;
    unsigned k;                /* CONV kernel */
    const void *weights;       /* W (FC, CONV), or row_ptr (SPARSE), as loaded */
    uint32_t weights_off;      /* its synapse-memory offset */
    const uint32_t *entries;   /* SPARSE entries, as loaded */
    uint32_t entries_off;
    int16_t threshold, reset;
    unsigned leak, refractory;
    uint32_t state;            /* first neuron */
};

void snn_load_desc(snn_load_desc_t *d, const void *src, uint32_t dst, uint32_t len);
/* `in`/`out`: rings of in_size / out_size words, starting at in_offset / out_offset. */
void snn_layer_desc(snn_layer_desc_t *d, const struct snn_layer *l, const uint32_t *in, uint32_t in_size,
                    uint32_t in_offset, uint32_t *out, uint32_t out_size, uint32_t out_offset, uint32_t *counts);
void snn_state_desc(snn_state_desc_t *d, uint32_t first, uint32_t count, int32_t *dst);

bool snn_is_snn(uint32_t id);
uint64_t snn_synops(const struct accel_dev *dev); /* LO first: it latches HI */

/* The CPU reference of one layer over a stream (linear, not a ring), from the document.
   `v`, `last`, `refr`: the layer's neuron state (out_count each), updated in place (zeroed
   first when l->flags has CLEAR). `acc` and `touched`: scratch of out_count each. Writes the
   output stream to out (at most out_max words) and its length to *out_len, counts to counts
   (out_count, may be NULL). Returns ACCEL_ERR_NONE or the error the hardware reports
   (ACCEL_ERR_EVENT, ACCEL_ERR_OVERFLOW); *synops gets the synaptic operations. */
int snn_ref_layer(const struct snn_layer *l, const uint32_t *in, uint32_t in_words, int16_t *v, uint32_t *last,
                  uint32_t *refr, int32_t *acc, uint8_t *touched, uint32_t *out, uint32_t out_max,
                  uint32_t *out_len, uint32_t *counts, uint64_t *synops);

#endif /* EDGEVP_SNN_H */

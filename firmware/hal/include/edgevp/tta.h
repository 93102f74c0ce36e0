/*
 * Transport-triggered accelerator (docs/models/tta.md): kind tta (ID 0xACCE0401) on the common
 * accelerator window (edgevp/accel.h).
 *
 * A programmable TTA (BrainTTA-like by default: models/accelerators/tta/braintta.json) with its
 * own instruction, data and parameter memories. A program is a sequence of instructions of one
 * 64-bit move slot per bus, assembled by tools/tta/ttasm.py for the instance's machine into a C
 * header (NAME_image[], NAME_INSNS, NAME_BUSES, NAME_LABEL_<label>; the firmware build runs it:
 * edgevp_tta_kernel() in firmware/cmake/tta.cmake). Descriptors:
 *
 *   PROGRAM  copy a program image into instruction memory (from instruction `first`)
 *   COPY     move bytes between SoC memory and data memory (DMEM) or parameter memory (PMEM),
 *            either way (TO_SOC)
 *   RUN      copy an argument block into data memory, then run the program from `entry` until
 *            it halts (RESULT = the halt's operand), faults (ACCEL_ERR_PROGRAM: FAULT_PC,
 *            FAULT_CAUSE) or has run MAX_CYCLES cycles (ACCEL_ERR_TIMEOUT: FAULT_PC = where it
 *            stopped)
 *
 * Registers (from 0x40):
 *   IMEM_INSNS  (0x40, ro)  instruction memory, in instructions
 *   INSN_BYTES  (0x44, ro)  bytes per instruction in a program image (8 per bus)
 *   DMEM_BYTES  (0x48, ro)  data memory
 *   PMEM_BYTES  (0x4C, ro)  parameter memory
 *   MAX_CYCLES  (0x50, rw)  cycle budget of a RUN (0: the instance's configured max_cycles)
 *   FAULT_PC    (0x54, ro)  instruction address of the last program fault (or timeout)
 *   FAULT_CAUSE (0x58, ro)  what that fault was: TTA_CAUSE_*
 *   RESULT      (0x5C, ro)  the value the last RUN's program halted with
 *   RUN_CYCLES  (0x60, ro)  cycles of the last RUN (saturating)
 *   INSNS       (0x64/0x68, ro)  instructions executed, all RUNs (LO latches HI)
 *   MOVES       (0x6C/0x70, ro)  moves executed (not squashed), all RUNs (LO latches HI)
 *
 * Usage:
 *   struct accel_dev dev;  struct tta_info info;
 *   if (tta_find(0, &dev, &info) < 0) ...                  -- the first tta of the memory map
 *   const struct tta_program prog = TTA_PROGRAM(fc);       -- from the assembler's header fc.h
 *   int err = tta_load(&dev, &prog, 0, irq);               -- checks INSN_BYTES and IMEM_INSNS
 *   err = tta_copy(&dev, TTA_COPY_DMEM, input, 0x100, n, irq);         -- SoC -> data memory
 *   err = tta_run(&dev, fc_LABEL_fc8_req, &args, sizeof args, 0, irq); -- waits for the halt
 *   err = tta_copy(&dev, TTA_COPY_DMEM | TTA_COPY_TO_SOC, out, 0x400, m, irq);
 * or, for one START, the descriptors (tta_program_desc(), tta_copy_desc(), tta_run_desc())
 * linked with tta_link() and run with accel_run(). With irq, accel_irq_attach(&dev) first.
 * After ACCEL_ERR_PROGRAM or ACCEL_ERR_TIMEOUT: tta_fault_pc(), tta_fault_cause(),
 * tta_fault_name().
 *
 * The FC helpers below (tta_fc_*) are the weight layout and the CPU reference of the fully
 * connected kernels in firmware/apps/tta_layers/fc.tta, on the vector MAC unit's 1024-bit
 * parameter words (32 lanes of 32 bits).
 */
#ifndef EDGEVP_TTA_H
#define EDGEVP_TTA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "edgevp/accel.h"

#define TTA_ID   EDGEVP_TTA_ID
#define TTA_KIND EDGEVP_TTA_CODE /* ACCEL_ID_KIND() */

/* --- registers ------------------------------------------------------------------------------ */
#define TTA_IMEM_INSNS  EDGEVP_TTA_IMEM_INSNS
#define TTA_INSN_BYTES  EDGEVP_TTA_INSN_BYTES
#define TTA_DMEM_BYTES  EDGEVP_TTA_DMEM_BYTES
#define TTA_PMEM_BYTES  EDGEVP_TTA_PMEM_BYTES
#define TTA_MAX_CYCLES  EDGEVP_TTA_MAX_CYCLES
#define TTA_FAULT_PC    EDGEVP_TTA_FAULT_PC
#define TTA_FAULT_CAUSE EDGEVP_TTA_FAULT_CAUSE
#define TTA_RESULT      EDGEVP_TTA_RESULT
#define TTA_RUN_CYCLES  EDGEVP_TTA_RUN_CYCLES
#define TTA_INSNS_LO    EDGEVP_TTA_INSNS_LO
#define TTA_INSNS_HI    EDGEVP_TTA_INSNS_HI
#define TTA_MOVES_LO    EDGEVP_TTA_MOVES_LO
#define TTA_MOVES_HI    EDGEVP_TTA_MOVES_HI

/* --- descriptors ---------------------------------------------------------------------------- */
#define TTA_OP_PROGRAM EDGEVP_TTA_OP_PROGRAM
#define TTA_OP_COPY    EDGEVP_TTA_OP_COPY
#define TTA_OP_RUN     EDGEVP_TTA_OP_RUN

/* COPY flags, in word 0: the direction and the local memory. */
#define TTA_COPY_TO_SOC EDGEVP_TTA_COPY_TO_SOC /* local memory -> SoC (else SoC -> local) */
#define TTA_COPY_PMEM   EDGEVP_TTA_COPY_PMEM   /* parameter memory (else data memory) */
#define TTA_COPY_DMEM   0u

/* FAULT_CAUSE */
#define TTA_CAUSE_NONE        0u
#define TTA_CAUSE_INSN        EDGEVP_TTA_CAUSE_INSN        /* an instruction that does not decode */
#define TTA_CAUSE_UNCONNECTED EDGEVP_TTA_CAUSE_UNCONNECTED /* a source or destination the bus does not reach */
#define TTA_CAUSE_CONFLICT    EDGEVP_TTA_CAUSE_CONFLICT    /* two moves writing one port or register */
#define TTA_CAUSE_RF_PORTS    EDGEVP_TTA_CAUSE_RF_PORTS    /* more register-file accesses than ports */
#define TTA_CAUSE_MEMORY      EDGEVP_TTA_CAUSE_MEMORY      /* a load or store outside its memory, or misaligned */
#define TTA_CAUSE_PC          EDGEVP_TTA_CAUSE_PC          /* an instruction address outside the program */
#define TTA_CAUSE_CONTROL     EDGEVP_TTA_CAUSE_CONTROL     /* jump/loop in delay slots, nested loop, ... */
#define TTA_CAUSE_IMMEDIATE   EDGEVP_TTA_CAUSE_IMMEDIATE   /* a short immediate too wide for its bus */

typedef struct tta_program_desc {
    uint32_t op;       /* 0: TTA_OP_PROGRAM */
    uint32_t next;     /* 1 */
    uint32_t src;      /* 2: the image (SoC address) */
    uint32_t first;    /* 3: first instruction written */
    uint32_t count;    /* 4: instructions */
    uint32_t reserved; /* 5: 0 */
} tta_program_desc_t;

typedef struct tta_copy_desc {
    uint32_t op;       /* 0: TTA_OP_COPY | TTA_COPY_TO_SOC | TTA_COPY_PMEM */
    uint32_t next;     /* 1 */
    uint32_t soc;      /* 2: SoC address */
    uint32_t local;    /* 3: byte offset in the local memory */
    uint32_t bytes;    /* 4 */
    uint32_t reserved; /* 5: 0 */
} tta_copy_desc_t;

typedef struct tta_run_desc {
    uint32_t op;         /* 0: TTA_OP_RUN */
    uint32_t next;       /* 1 */
    uint32_t entry;      /* 2: instruction address */
    uint32_t args;       /* 3: argument block (SoC address), 0: none */
    uint32_t args_bytes; /* 4 */
    uint32_t args_dst;   /* 5: where it goes in data memory */
} tta_run_desc_t;

_Static_assert(sizeof(tta_program_desc_t) == 4 * EDGEVP_TTA_DESC_WORDS, "PROGRAM descriptor size");
_Static_assert(offsetof(tta_program_desc_t, src) == 4 * EDGEVP_TTA_PROGRAM_W_SRC, "PROGRAM src");
_Static_assert(offsetof(tta_program_desc_t, first) == 4 * EDGEVP_TTA_PROGRAM_W_FIRST, "PROGRAM first");
_Static_assert(offsetof(tta_program_desc_t, count) == 4 * EDGEVP_TTA_PROGRAM_W_COUNT, "PROGRAM count");
_Static_assert(sizeof(tta_copy_desc_t) == 4 * EDGEVP_TTA_DESC_WORDS, "COPY descriptor size");
_Static_assert(offsetof(tta_copy_desc_t, soc) == 4 * EDGEVP_TTA_COPY_W_SOC, "COPY soc");
_Static_assert(offsetof(tta_copy_desc_t, local) == 4 * EDGEVP_TTA_COPY_W_LOCAL, "COPY local");
_Static_assert(offsetof(tta_copy_desc_t, bytes) == 4 * EDGEVP_TTA_COPY_W_BYTES, "COPY bytes");
_Static_assert(sizeof(tta_run_desc_t) == 4 * EDGEVP_TTA_DESC_WORDS, "RUN descriptor size");
_Static_assert(offsetof(tta_run_desc_t, entry) == 4 * EDGEVP_TTA_RUN_W_ENTRY, "RUN entry");
_Static_assert(offsetof(tta_run_desc_t, args) == 4 * EDGEVP_TTA_RUN_W_ARGS, "RUN args");
_Static_assert(offsetof(tta_run_desc_t, args_bytes) == 4 * EDGEVP_TTA_RUN_W_ARGS_BYTES, "RUN args_bytes");
_Static_assert(offsetof(tta_run_desc_t, args_dst) == 4 * EDGEVP_TTA_RUN_W_ARGS_DST, "RUN args_dst");

/* --- programs ------------------------------------------------------------------------------- */

/* An assembled program: what ttasm.py's header holds. */
struct tta_program {
    const uint64_t *image; /* insns x buses 64-bit slots */
    uint32_t insns;
    uint32_t buses;
};
/* From the header of `ttasm.py --name NAME`: TTA_PROGRAM(NAME). */
#define TTA_PROGRAM(name) {name##_image, name##_INSNS, name##_BUSES}

/* Not device codes: what tta_load() returns, without starting anything, when the image is not
   for this machine (8 x buses != INSN_BYTES) or does not fit instruction memory. */
#define TTA_ERR_IMAGE_BUSES (-16)
#define TTA_ERR_IMAGE_SIZE  (-17)

/* The machine behind the registers (read once by tta_find() / tta_get_info()). */
struct tta_info {
    uint32_t id;
    uint32_t imem_insns;
    uint32_t insn_bytes; /* 8 x buses */
    uint32_t dmem_bytes;
    uint32_t pmem_bytes;
};

bool tta_is_tta(uint32_t id);
void tta_get_info(const struct accel_dev *dev, struct tta_info *info);

/* The instance, skipping `skip` earlier tta instances (accel_find()): its index, dev initialised
   and *info (may be NULL) filled; -1 when there is none. */
int tta_find(unsigned skip, struct accel_dev *dev, struct tta_info *info);

/* Is `prog` for this machine, and does it fit from instruction `first`? 0, TTA_ERR_IMAGE_BUSES
   or TTA_ERR_IMAGE_SIZE. */
int tta_check_program(const struct accel_dev *dev, const struct tta_program *prog, uint32_t first);

/* --- descriptors ---------------------------------------------------------------------------- */
void tta_program_desc(tta_program_desc_t *d, const struct tta_program *prog, uint32_t first);
/* flags: TTA_COPY_DMEM or TTA_COPY_PMEM, | TTA_COPY_TO_SOC for local memory -> soc. */
void tta_copy_desc(tta_copy_desc_t *d, uint32_t flags, const void *soc, uint32_t local, uint32_t bytes);
/* args == NULL (or args_bytes == 0): no argument block. */
void tta_run_desc(tta_run_desc_t *d, uint32_t entry, const void *args, uint32_t args_bytes, uint32_t args_dst);
/* d->next = next (any of the three descriptor types, or NULL to end the chain). */
void tta_link(void *d, const void *next);

/* --- one descriptor, started and waited for ------------------------------------------------- */
/* Each returns ACCEL_ERR_NONE, an ACCEL_ERR_* code of the job (ACCEL_ERR_PROGRAM,
   ACCEL_ERR_TIMEOUT, ...), or (tta_load) TTA_ERR_IMAGE_*. With irq the wait is by interrupt
   (accel_irq_attach() first), else by polling. The descriptor is the HAL's own (one per call). */
int tta_load(struct accel_dev *dev, const struct tta_program *prog, uint32_t first, bool irq);
int tta_copy(struct accel_dev *dev, uint32_t flags, const void *soc, uint32_t local, uint32_t bytes, bool irq);
int tta_run(struct accel_dev *dev, uint32_t entry, const void *args, uint32_t args_bytes, uint32_t args_dst,
            bool irq);

/* --- registers ------------------------------------------------------------------------------ */
void tta_set_max_cycles(const struct accel_dev *dev, uint32_t cycles); /* 0: the configured budget */
uint32_t tta_max_cycles(const struct accel_dev *dev);
uint32_t tta_fault_pc(const struct accel_dev *dev);
uint32_t tta_fault_cause(const struct accel_dev *dev);
uint32_t tta_result(const struct accel_dev *dev);
uint32_t tta_run_cycles(const struct accel_dev *dev);
uint64_t tta_insns(const struct accel_dev *dev); /* LO first: it latches HI */
uint64_t tta_moves(const struct accel_dev *dev);

/* "NONE", "INSN", "UNCONNECTED", "CONFLICT", "RF_PORTS", "MEMORY", "PC", "CONTROL",
   "IMMEDIATE", or "?". */
const char *tta_fault_name(uint32_t cause);
/* accel_err_name(), and the TTA_ERR_IMAGE_* codes. */
const char *tta_err_name(int code);

/* --- FC layers on the vector MAC unit (apps/tta_layers/fc.tta) ------------------------------ */
/*
 * A layer of n_out outputs over n_in inputs: acc[o] = b[o] + sum_i x[i] w[o][i] (int32), then an
 * activation. Values, one int8_t each in the arrays the helpers take:
 *   TTA_FC_INT8     x, w in -128..127 (mac8: E = 4 inputs per 32-bit word, byte j = input 4k+j)
 *   TTA_FC_TERNARY  x, w in {-1, 0, +1} (mact: E = 16 2-bit codes, 01 = +1, 11 = -1, 00 = 0)
 *   TTA_FC_BINARY   x, w in {-1, +1} (macb: E = 32 bits, 1 = +1, 0 = -1)
 * K = ceil(n_in / E) input steps (words), T = ceil(n_out / 32) tiles. Parameter memory holds T x
 * (K + 1) words from the layer's base word: tile t's bias word (lane i = b[32t + i]), then step
 * k's weight word (lane i = output 32t + i's weights for inputs kE .. kE + E - 1, packed as an
 * input word). Padding (inputs past n_in, outputs past n_out) is 0 for int8 and ternary. Binary
 * has no zero: padded input bits are 0 (-1) in the input and the weights, so each adds +1, which
 * the bias word takes back (b - padded bits); padded outputs get a bias of -2^30, so their sign
 * bit is 0 for any threshold above that.
 *
 * Activations (the outputs, T tiles of 32 lanes; lanes past n_out are 0, for tern with a
 * threshold > 0; raw accumulators of those lanes are not defined):
 *   req8  int8: clamp((acc x scale + round) >> shift, relu ? 0 : -128, 127), exact 64-bit
 *         product, round = shift ? 1 << (shift - 1) : 0 (fmnist's nn_requant)
 *   sign  1 bit: acc >= threshold
 *   tern  2-bit code: 01 if acc >= threshold, 11 if acc <= -threshold, else 00
 *   acc   the int32 accumulators (128 bytes a tile)
 *
 * The kernels' argument block (struct tta_fc_args) is documented in fc.tta; it goes to data
 * address 0 (TTA_FC_ARGS_DST).
 */
enum tta_fc_type { TTA_FC_INT8 = 0, TTA_FC_TERNARY = 1, TTA_FC_BINARY = 2 };

struct tta_fc {
    uint8_t type;       /* enum tta_fc_type */
    uint32_t n_in, n_out;
    const int8_t *w;    /* n_out x n_in, row-major */
    const int32_t *b;   /* n_out, NULL: 0 */
};

/* The argument block of every fc.tta entry. */
struct tta_fc_args {
    uint32_t in;    /* data address of the input (K words; 8 more readable bytes after it) */
    uint32_t wbase; /* parameter word of tile 0's bias */
    uint32_t steps; /* K */
    uint32_t tiles; /* T */
    uint32_t out;   /* data address of the output */
    uint32_t act;   /* req8: shift | relu << 8; sign, tern: threshold */
    int32_t scale;  /* req8 */
};
#define TTA_FC_ARGS_DST 0u
#define TTA_FC_LANES    EDGEVP_TTA_LANES            /* 32 lanes of 32 bits ... */
#define TTA_WORD_BYTES  EDGEVP_TTA_PARAM_WORD_BYTES /* ... in a 1024-bit parameter word */
#define TTA_FC_REQ8_RELU 0x100u

_Static_assert(TTA_FC_LANES * 4u == TTA_WORD_BYTES, "a parameter word is 32-bit lanes");

static inline uint32_t tta_fc_per_word(unsigned type)
{
    return type == TTA_FC_INT8 ? 4u : type == TTA_FC_TERNARY ? 16u : 32u;
}
static inline uint32_t tta_fc_steps(unsigned type, uint32_t n_in)
{
    return (n_in + tta_fc_per_word(type) - 1u) / tta_fc_per_word(type);
}
static inline uint32_t tta_fc_tiles(uint32_t n_out)
{
    return (n_out + TTA_FC_LANES - 1u) / TTA_FC_LANES;
}
/* Parameter words of the layer: T x (K + 1). */
static inline uint32_t tta_fc_words(const struct tta_fc *l)
{
    return tta_fc_tiles(l->n_out) * (tta_fc_steps(l->type, l->n_in) + 1u);
}

/* Word `index` (0 .. tta_fc_words() - 1) of the layer's parameter-memory image, as 32 lanes. */
void tta_fc_pack_word(const struct tta_fc *l, uint32_t index, uint32_t lanes[TTA_FC_LANES]);

/* The layer's parameter-memory image packed word by word into `staging` (room for
   `staging_words` words, 4-aligned) and copied to parameter memory from word `base`, one COPY per
   staging buffer. Returns an ACCEL_ERR_* code. */
int tta_fc_load(struct accel_dev *dev, const struct tta_fc *l, uint32_t base, uint32_t *staging,
                uint32_t staging_words, bool irq);

/* n input values as K words (tta_fc_steps(type, n)), padded as above. */
void tta_fc_pack_input(unsigned type, const int8_t *x, uint32_t n, uint32_t *words);

/* The CPU reference: acc[o] for o < n_out. */
void tta_fc_ref(const struct tta_fc *l, const int8_t *x, int32_t *acc);
/* The activations of the reference, packed as the device stores them (T tiles: req8 32 bytes,
   sign 4, tern 8 per tile; lanes past n_out 0). */
void tta_fc_ref_req8(const int32_t *acc, uint32_t n_out, int32_t scale, uint32_t shift, bool relu, int8_t *out);
void tta_fc_ref_sign(const int32_t *acc, uint32_t n_out, int32_t threshold, uint32_t *out);
void tta_fc_ref_tern(const int32_t *acc, uint32_t n_out, int32_t threshold, uint32_t *out);
int8_t tta_req8(int32_t acc, int32_t scale, uint32_t shift, bool relu);

#endif /* EDGEVP_TTA_H */

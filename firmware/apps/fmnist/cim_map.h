/*
 * Fashion-MNIST on one compute-in-memory accelerator (docs/fmnist.md, "Mappings"): the layers
 * of an nn_layer table mapped onto the first CIM instance of a kind (digital or analog).
 *
 *   cim_map_init()   finds the kind's first present instance (accel_find()), reads ROWS/COLS,
 *                    plans where every layer's weights go in the array, builds the LOAD and MVM
 *                    descriptors and prints the plan;
 *   cim_map_load()   programs the weights (LOAD, w_bits 8): all of them when they fit the array
 *                    at once (the usual case), else the first pass of the plan;
 *   cim_map_infer()  one image: the CPU converts the input, builds im2col buffers, pools, adds
 *                    the partial sums of split layers; the CIM does every MAC.
 *
 * Weight placement. Each layer's weight matrix (K = 9 C_in or N_in rows, out_c columns) is cut
 * into row tiles of at most ROWS rows (and column tiles of at most COLS columns). The tiles are
 * packed into the ROWS x COLS array, largest first, bottom-left on a skyline (each tile goes
 * to the column range whose highest used row is lowest, then leftmost). If every tile fits,
 * the weights are programmed once and stay (pass 0). If not (e.g. FC 784->128 alone needs
 * 100352 cells of the 65536), the fallback reloads weights during inference: the tiles are
 * packed in layer order into successive "passes" (a fresh array each), and before the MVMs of
 * a pass its LOADs are chained in front of them; the pass loaded last stays for the next
 * image only if it is the one needed first.
 *
 * Per inference: a conv layer is ONE MVM per tile with the H x W im2col rows as the batch
 * (in_stride K); an FC layer one MVM (batch 1) per tile. A layer with a single row tile uses
 * the CIM's bias, requantisation and ReLU (int8 out); a layer split into row tiles writes
 * int32 partial sums (OUT32) that the CPU adds, then bias and requantisation on the CPU; the
 * last layer writes OUT32 with the bias: the logits. Descriptors run as chains, as long as
 * no CPU work is needed in between (an FC fed by an unsplit, unpooled layer joins its chain;
 * LOADs of a pass join the chain of the MVMs that need them); the CPU sleeps in WFI until the
 * completion interrupt. in_bits 8; analog: adc_shift from the layer (see cim_map_adc_shift()).
 */
#ifndef FMNIST_CIM_MAP_H
#define FMNIST_CIM_MAP_H

#include <stdbool.h>
#include <stdint.h>

#include "nn.h"

#define CIM_MAP_ERR_NO_CIM  (-10) /* no instance of the kind in the memory map */
#define CIM_MAP_ERR_DEVICE  (-11) /* a job ended with an error (printed) */
#define CIM_MAP_ERR_MEMORY  (-12) /* the buffers do not fit CIM_MAP_ARENA / CIM_MAP_MAX_TILES */
#define CIM_MAP_ERR_SHAPE   (-13) /* the layer table does not chain, or in_bits 8 unsupported */

/* Buffers (im2col, activations, partial sums, descriptors) come from a static arena. */
#ifndef CIM_MAP_ARENA
#define CIM_MAP_ARENA (64u * 1024u)
#endif
#ifndef CIM_MAP_MAX_TILES
#define CIM_MAP_MAX_TILES 64u
#endif

/* Set up the mapping on the first CIM whose ID kind matches `cim_id` (CIM_ID_DIGITAL or
   CIM_ID_ANALOG). Returns 0 or CIM_MAP_ERR_*. */
int cim_map_init(const nn_layer *layers, uint32_t n, uint32_t cim_id);

/* Program the weights of the first pass (all weights when they fit). Returns 0 or an error. */
int cim_map_load(void);

/* Classify one image (NN_IMAGE_PIXELS raw pixels); the last layer's int32 logits go to
   logits_out. Returns the class (>= 0) or CIM_MAP_ERR_*. */
int cim_map_infer(const uint8_t *image_bytes, int32_t *logits_out);

/* The MVM adc_shift used for a layer: digital 0; analog the layer's adc_shift (defined for an
   8-bit ADC) minus (ADC_BITS - 8), i.e. the same full-scale range with the instance's ADC,
   limited to 0..30. A build with -DFMNIST_ADC_SHIFT=<s> uses s for every layer instead. */
uint32_t cim_map_adc_shift(const nn_layer *l);

/* About the mapping. */
bool cim_map_resident(void);         /* every weight programmed once */
uint32_t cim_map_passes(void);       /* 1 when resident */
const char *cim_map_name(void);      /* the accelerator's name in the memory map ("cim0") */
uint64_t cim_map_accel_cycles(void); /* the instance's CYCLES register */
uint32_t cim_map_rows_loaded(void);  /* array rows programmed so far (all LOADs) */

#endif

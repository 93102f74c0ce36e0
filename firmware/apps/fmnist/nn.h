/*
 * Fashion-MNIST workload: the layer table of the generated model headers (model_<net>.h) and
 * the int8 kernels of the host CPU. The integer semantics are docs/fmnist.md's:
 *
 *   input    x = (p * 127 + 127) / 255 per pixel (0..127), 28 x 28 x 1, HWC
 *   conv3x3  stride 1, zero padding 1, HWC; im2col row v[(ky * 3 + kx) * C_in + c],
 *            weights w[o][k], K = 9 C_in
 *   fc       input flattened in HWC order, weights w[o][i]
 *   acc      sum v[k] * w[o][k] + b[o] (int32)
 *   requant  y = (acc * scale + (shift ? 1 << (shift - 1) : 0)) >> shift (exact 64-bit product,
 *            arithmetic shift), ReLU if the layer has it, clamp to -128..127; not on the last
 *            layer, whose int32 accumulators are the logits
 *   pool     2 x 2 max, stride 2, after the activation where the layer has `pool`
 *   argmax   the lowest index among the largest logits
 */
#ifndef FMNIST_NN_H
#define FMNIST_NN_H

#include <stddef.h>
#include <stdint.h>

typedef enum { NN_FC = 0, NN_CONV3X3 = 1 } nn_kind;

typedef struct {
  uint8_t kind;            /* nn_kind */
  uint8_t in_h, in_w;      /* FC: 1, 1 */
  uint16_t in_c;           /* FC: the input features */
  uint16_t out_c;          /* output channels / features */
  uint8_t relu, pool;      /* pool: 2x2 max pool after the activation */
  const int8_t *w;         /* out_c x K, K = 9 in_c (conv) or in_c (FC) */
  const int32_t *b;        /* out_c */
  int32_t scale;           /* requantisation; unused on the last layer */
  uint32_t shift;
  uint32_t adc_shift;      /* analog CIM: log2 of the ADC LSB for this layer with an 8-bit ADC */
} nn_layer;

#define NN_IMAGE_H      28u
#define NN_IMAGE_W      28u
#define NN_IMAGE_PIXELS (NN_IMAGE_H * NN_IMAGE_W)
#define NN_MAX_CLASSES  10u /* logits_out holds the last layer's out_c (<= this for the apps) */

/* Largest tensor (bytes, int8) nn_infer_host() handles between layers, and largest im2col
   matrix (H W x 9 C_in); a bigger layer makes it return NN_ERR_SIZE. */
#ifndef NN_MAX_TENSOR
#define NN_MAX_TENSOR 16384u
#endif

#define NN_OK        0
#define NN_ERR_SIZE  (-1) /* a tensor or im2col matrix larger than NN_MAX_TENSOR */
#define NN_ERR_SHAPE (-2) /* layers that do not chain (input size != previous output size) */

/* K of a layer: the length of one output's weight vector. */
static inline uint32_t nn_layer_k(const nn_layer *l)
{
  return l->kind == NN_CONV3X3 ? 9u * l->in_c : l->in_c;
}

/* Elements of the layer's input tensor (h x w x c). */
static inline uint32_t nn_layer_in_size(const nn_layer *l)
{
  return (uint32_t)l->in_h * l->in_w * l->in_c;
}

/* Spatial size of the layer's output before pooling (FC: 1). */
static inline uint32_t nn_layer_out_pixels(const nn_layer *l)
{
  return l->kind == NN_CONV3X3 ? (uint32_t)l->in_h * l->in_w : 1u;
}

/* Elements of the layer's output after pooling. */
static inline uint32_t nn_layer_out_size(const nn_layer *l)
{
  if (l->kind == NN_CONV3X3 && l->pool) {
    return (uint32_t)(l->in_h / 2u) * (l->in_w / 2u) * l->out_c;
  }
  return nn_layer_out_pixels(l) * l->out_c;
}

/* --- kernels -------------------------------------------------------------------------------- */

/* Raw pixels (0..255) to the int8 input: x = (p * 127 + 127) / 255. */
void nn_input_convert(const uint8_t *pixels, int8_t *x, uint32_t n);

/* Exact dot product of n int8 pairs (int32 accumulator). */
int32_t nn_dot(const int8_t *a, const int8_t *b, uint32_t n);

/* Requantisation of one accumulator (64-bit product once per output). */
int8_t nn_requant(int32_t acc, int32_t scale, uint32_t shift, int relu);

/* The whole im2col matrix: h * w rows of 9 c bytes (row y * w + x). */
void nn_im2col(const int8_t *in, uint32_t h, uint32_t w, uint32_t c, int8_t *cols);

/* Conv 3x3 (stride 1, pad 1) + bias + requantisation + ReLU, HWC, int8 out (h x w x out_c);
   not pooled. cols: room for the im2col matrix (h w x 9 in_c bytes). */
void nn_conv3x3(const nn_layer *l, const int8_t *in, int8_t *out, int8_t *cols);

/* Fully connected: int8 out (requantised, ReLU), or with acc32 != NULL the int32
   accumulators (bias included, no requantisation: the last layer) into acc32. */
void nn_fc(const nn_layer *l, const int8_t *in, int8_t *out, int32_t *acc32);

/* 2x2 max pool, stride 2, HWC: h x w x c -> h/2 x w/2 x c. */
void nn_maxpool2x2(const int8_t *in, uint32_t h, uint32_t w, uint32_t c, int8_t *out);

/* Index of the largest of n values, the lowest index on a tie. */
uint32_t nn_argmax(const int32_t *v, uint32_t n);

/* The network on the CPU: image_bytes are NN_IMAGE_PIXELS raw pixels; the last layer's out_c
   int32 logits go to logits_out. Returns the predicted class (>= 0) or NN_ERR_*. */
int nn_infer_host(const nn_layer *layers, uint32_t n, const uint8_t *image_bytes,
                  int32_t *logits_out);

/* Check that the layers chain (each input size is the previous output size, the first input
   is 28 x 28 x 1, conv/pool shapes are even where pooled). Returns NN_OK or NN_ERR_SHAPE. */
int nn_check_layers(const nn_layer *layers, uint32_t n);

#endif

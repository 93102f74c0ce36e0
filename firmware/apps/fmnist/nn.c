/* Fashion-MNIST: the int8 kernels of the host CPU (semantics in nn.h and docs/fmnist.md). */
#include "nn.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* n / 255 = (n + 1 + (n >> 8)) >> 8 for 0 <= n < 65535: no division (32 cycles each). */
void nn_input_convert(const uint8_t *pixels, int8_t *x, uint32_t n)
{
  for (uint32_t i = 0; i < n; ++i) {
    const uint32_t v = (uint32_t)pixels[i] * 127u + 127u;
    x[i] = (int8_t)((v + 1u + (v >> 8)) >> 8);
  }
}

/* Four independent products per iteration: no 64-bit arithmetic, the loads and multiplies of
   RV32IM only. */
int32_t nn_dot(const int8_t *a, const int8_t *b, uint32_t n)
{
  int32_t s0 = 0, s1 = 0;
  uint32_t i = 0;
  for (; i + 4u <= n; i += 4u) {
    s0 += (int32_t)a[i] * b[i] + (int32_t)a[i + 2u] * b[i + 2u];
    s1 += (int32_t)a[i + 1u] * b[i + 1u] + (int32_t)a[i + 3u] * b[i + 3u];
  }
  for (; i < n; ++i) {
    s0 += (int32_t)a[i] * b[i];
  }
  return s0 + s1;
}

/* The 64-bit rounding shift in 32-bit halves: GCC would call __ashldi3 and __ashrdi3. */
int8_t nn_requant(int32_t acc, int32_t scale, uint32_t shift, int relu)
{
  const int64_t p = (int64_t)acc * scale; /* mul + mulh: exact */
  uint32_t lo = (uint32_t)p;
  int32_t hi = (int32_t)(p >> 32);
  if (shift != 0u) {
    const uint32_t r = shift - 1u; /* + 2^r: |p| <= 2^62, no overflow */
    if (r < 32u) {
      const uint32_t sum = lo + (1u << r);
      hi += sum < lo;
      lo = sum;
    } else {
      hi += (int32_t)(1u << (r - 32u));
    }
    if (shift < 32u) {
      lo = (lo >> shift) | ((uint32_t)hi << (32u - shift));
      hi >>= shift; /* arithmetic (GCC) */
    } else {
      lo = (uint32_t)(hi >> (shift - 32u));
      hi >>= 31;
    }
  }
  int32_t y = (int32_t)lo;
  if (hi != (y >> 31)) { /* outside int32: saturate by the sign */
    y = hi < 0 ? -128 : 127;
  }
  if (relu && y < 0) {
    y = 0;
  }
  return (int8_t)(y > 127 ? 127 : y < -128 ? -128 : y);
}

/* A small copy: words when everything is word aligned (C_in a multiple of 4), else bytes;
   kept out of memcpy, whose call costs more than these few bytes. */
static inline void copy_small(int8_t *d, const int8_t *s, uint32_t n)
{
  if ((((uintptr_t)d | (uintptr_t)s | n) & 3u) == 0u) {
    uint32_t *dw = (uint32_t *)(void *)d;
    const uint32_t *sw = (const uint32_t *)(const void *)s;
    for (uint32_t i = 0; i < n / 4u; ++i) {
      dw[i] = sw[i];
    }
    return;
  }
  for (uint32_t i = 0; i < n; ++i) {
    d[i] = s[i];
  }
}

/* memset, a word at a time where it can (picolibc's -Os memset goes byte by byte). */
static void clear(int8_t *d, uint32_t n)
{
  for (; ((uintptr_t)d & 3u) != 0u && n != 0u; --n) {
    *d++ = 0;
  }
  uint32_t *dw = (uint32_t *)(void *)d;
  for (uint32_t i = 0; i < n / 4u; ++i) {
    dw[i] = 0;
  }
  d += n & ~3u;
  for (n &= 3u; n != 0u; --n) {
    *d++ = 0;
  }
}

/* Column-block order: for each tap (ky, kx), the valid input pixels of each output row are
   copied into that tap's C bytes of consecutive im2col rows (stride K); the padding is
   cleared once up front. No per-row call, and C = 1 is a plain strided byte copy. */
void nn_im2col(const int8_t *in, uint32_t h, uint32_t w, uint32_t c, int8_t *cols)
{
  const uint32_t k = 9u * c;
  const bool words = ((c | (uintptr_t)cols | (uintptr_t)in) & 3u) == 0u;
  clear(cols, h * w * k);
  for (uint32_t ky = 0; ky < 3u; ++ky) {
    for (uint32_t kx = 0; kx < 3u; ++kx) {
      const uint32_t x_lo = kx == 0u ? 1u : 0u, x_hi = kx == 2u ? w - 1u : w;
      if (x_hi <= x_lo) {
        continue;
      }
      const uint32_t n = x_hi - x_lo;
      for (uint32_t y = 0; y < h; ++y) {
        const uint32_t iy = y + ky - 1u; /* wraps above the image */
        if (iy >= h) {
          continue;
        }
        const int8_t *src = in + (iy * w + x_lo + kx - 1u) * c;
        int8_t *dst = cols + (y * w + x_lo) * k + (ky * 3u + kx) * c;
        if (c == 1u) {
          for (uint32_t i = 0; i < n; ++i, dst += k) {
            *dst = src[i];
          }
        } else if (words) {
          for (uint32_t i = 0; i < n; ++i, dst += k, src += c) {
            copy_small(dst, src, c);
          }
        } else {
          for (uint32_t i = 0; i < n; ++i, dst += k, src += c) {
            for (uint32_t j = 0; j < c; ++j) {
              dst[j] = src[j];
            }
          }
        }
      }
    }
  }
}

/* im2col once (nn_im2col into cols), then per output pixel one contiguous K-long dot per
   output channel. */
void nn_conv3x3(const nn_layer *l, const int8_t *in, int8_t *out, int8_t *cols)
{
  const uint32_t pixels = (uint32_t)l->in_h * l->in_w, oc = l->out_c, k = 9u * l->in_c;
  nn_im2col(in, l->in_h, l->in_w, l->in_c, cols);
  for (uint32_t p = 0; p < pixels; ++p, cols += k) {
    const int8_t *wo = l->w;
    for (uint32_t o = 0; o < oc; ++o, wo += k) {
      const int32_t acc = nn_dot(cols, wo, k) + l->b[o];
      *out++ = nn_requant(acc, l->scale, l->shift, l->relu);
    }
  }
}

void nn_fc(const nn_layer *l, const int8_t *in, int8_t *out, int32_t *acc32)
{
  const uint32_t k = l->in_c;
  const int8_t *wo = l->w;
  for (uint32_t o = 0; o < l->out_c; ++o, wo += k) {
    const int32_t acc = nn_dot(in, wo, k) + l->b[o];
    if (acc32 != NULL) {
      acc32[o] = acc;
    } else {
      out[o] = nn_requant(acc, l->scale, l->shift, l->relu);
    }
  }
}

void nn_maxpool2x2(const int8_t *in, uint32_t h, uint32_t w, uint32_t c, int8_t *out)
{
  const uint32_t stride = w * c;
  for (uint32_t y = 0; y + 1u < h; y += 2u) {
    const int8_t *p0 = in + y * stride;
    for (uint32_t x = 0; x + 1u < w; x += 2u, p0 += c) {
      const int8_t *end = p0 + c;
      for (; p0 < end; ++p0) {
        int32_t m = p0[0], v = p0[c];
        m = v > m ? v : m;
        v = p0[stride];
        m = v > m ? v : m;
        v = p0[stride + c];
        m = v > m ? v : m;
        *out++ = (int8_t)m;
      }
    }
  }
}

uint32_t nn_argmax(const int32_t *v, uint32_t n)
{
  uint32_t best = 0;
  for (uint32_t i = 1; i < n; ++i) {
    if (v[i] > v[best]) {
      best = i;
    }
  }
  return best;
}

int nn_check_layers(const nn_layer *layers, uint32_t n)
{
  if (n == 0u || nn_layer_in_size(&layers[0]) != NN_IMAGE_PIXELS ||
      layers[n - 1u].kind != NN_FC) {
    return NN_ERR_SHAPE;
  }
  for (uint32_t i = 0; i < n; ++i) {
    const nn_layer *l = &layers[i];
    if (l->kind != NN_FC && l->kind != NN_CONV3X3) {
      return NN_ERR_SHAPE;
    }
    if (l->kind == NN_FC && (l->in_h != 1u || l->in_w != 1u || l->pool)) {
      return NN_ERR_SHAPE;
    }
    if (l->kind == NN_CONV3X3 && l->pool && ((l->in_h | l->in_w) & 1u)) {
      return NN_ERR_SHAPE;
    }
    if (l->out_c == 0u || l->in_c == 0u ||
        (i + 1u < n && nn_layer_out_size(l) != nn_layer_in_size(&layers[i + 1u]))) {
      return NN_ERR_SHAPE;
    }
  }
  return NN_OK;
}

/* Ping-pong tensors (a conv's unpooled output goes to the other one and is pooled back) and
   the im2col matrix. */
static int8_t nn_buf[2][NN_MAX_TENSOR] __attribute__((aligned(4)));
static int8_t nn_cols[NN_MAX_TENSOR] __attribute__((aligned(4)));

int nn_infer_host(const nn_layer *layers, uint32_t n, const uint8_t *image_bytes,
                  int32_t *logits_out)
{
  int rc = nn_check_layers(layers, n);
  if (rc != NN_OK) {
    return rc;
  }
  int8_t *cur = nn_buf[0], *other = nn_buf[1];
  nn_input_convert(image_bytes, cur, NN_IMAGE_PIXELS);
  for (uint32_t i = 0; i < n; ++i) {
    const nn_layer *l = &layers[i];
    if (nn_layer_out_pixels(l) * l->out_c > NN_MAX_TENSOR ||
        nn_layer_out_pixels(l) * nn_layer_k(l) > NN_MAX_TENSOR) {
      return NN_ERR_SIZE;
    }
    if (i + 1u == n) {
      nn_fc(l, cur, NULL, logits_out);
      return (int)nn_argmax(logits_out, l->out_c);
    }
    if (l->kind == NN_CONV3X3) {
      nn_conv3x3(l, cur, other, nn_cols);
      if (l->pool) {
        nn_maxpool2x2(other, l->in_h, l->in_w, l->out_c, cur);
        continue; /* the pooled tensor is back in cur */
      }
    } else {
      nn_fc(l, cur, other, NULL);
    }
    int8_t *t = cur;
    cur = other;
    other = t;
  }
  return NN_ERR_SHAPE; /* not reached: the last layer returns */
}

/* Fashion-MNIST on one CIM instance: placement, descriptors, inference (see cim_map.h). */
#include "cim_map.h"

#include <stdio.h>
#include <string.h>

#include "edgevp/accel.h"
#include "edgevp/cim.h"

#define MAX_LAYERS 16u
#define MAX_COLS   1024u /* columns the placement considers (the array's first ones) */

/* --- state ---------------------------------------------------------------------------------- */

struct tile {
  uint16_t layer;
  uint16_t rt;          /* row tile index within the layer */
  uint16_t k_lo, rows;  /* the layer's inputs k_lo .. k_lo + rows - 1 */
  uint16_t o_lo, cols;  /* the layer's outputs o_lo .. o_lo + cols - 1 */
  uint16_t row0, col0;  /* where they sit in the array */
  uint16_t pass;
  cim_load_desc_t load;
  cim_mvm_desc_t mvm;
};

struct layer_map {
  const nn_layer *l;
  uint32_t k, pixels;   /* K, output pixels before pooling (FC: 1) */
  uint16_t n_rt;        /* row tiles: > 1 means OUT32 partial sums added by the CPU */
  uint16_t first_tile, n_tiles;
  bool last;
  const int8_t *in_tensor; /* the layer's input tensor (h x w x c) */
  int8_t *out8;         /* int8 output before pooling (not the last layer) */
  int8_t *pooled;       /* after pooling (the next layer's input), or NULL */
  int32_t *out32;       /* n_rt partial-sum planes (pixels x out_c), or the logits */
};

static struct {
  struct accel_dev dev;
  struct cim_info info;
  const nn_layer *layers;
  uint32_t n_layers;
  struct layer_map lm[MAX_LAYERS];
  struct tile tiles[CIM_MAP_MAX_TILES];
  uint32_t n_tiles, n_passes;
  int32_t loaded_pass;  /* -1: none */
  int8_t *x0;           /* the converted image */
  int8_t *colbuf;       /* im2col rows of the current conv layer */
  void *chain_head, *chain_tail;
  uint32_t chain_layer;
  uint32_t rows_loaded;
} m;

static uint8_t arena[CIM_MAP_ARENA] __attribute__((aligned(8)));
static uint32_t arena_used;

static void *arena_alloc(uint32_t bytes)
{
  bytes = (bytes + 7u) & ~7u;
  if (arena_used + bytes > sizeof arena) {
    return NULL;
  }
  void *p = arena + arena_used;
  arena_used += bytes;
  return p;
}

/* --- placement ------------------------------------------------------------------------------ */

/* Bottom-left on a skyline: heights[c] = first free row of column c. */
static bool place(uint16_t *heights, uint32_t ncols, struct tile *t)
{
  uint32_t best_h = 0xFFFFFFFFu, best_c = 0;
  for (uint32_t c0 = 0; c0 + t->cols <= ncols; ++c0) {
    uint32_t h = 0;
    for (uint32_t c = c0; c < c0 + t->cols; ++c) {
      if (heights[c] > h) {
        h = heights[c];
      }
    }
    if (h < best_h) {
      best_h = h;
      best_c = c0;
    }
  }
  if (best_h == 0xFFFFFFFFu || best_h + t->rows > m.info.rows) {
    return false;
  }
  t->row0 = (uint16_t)best_h;
  t->col0 = (uint16_t)best_c;
  for (uint32_t c = best_c; c < best_c + t->cols; ++c) {
    heights[c] = (uint16_t)(best_h + t->rows);
  }
  return true;
}

static void plan(void)
{
  static uint16_t heights[MAX_COLS];
  const uint32_t ncols = m.info.cols < MAX_COLS ? m.info.cols : MAX_COLS;

  /* First try: everything resident, tiles in order of decreasing rows (stable). */
  uint8_t order[CIM_MAP_MAX_TILES];
  for (uint32_t i = 0; i < m.n_tiles; ++i) {
    uint32_t j = i;
    while (j > 0 && m.tiles[order[j - 1]].rows < m.tiles[i].rows) {
      order[j] = order[j - 1];
      --j;
    }
    order[j] = (uint8_t)i;
  }
  memset(heights, 0, sizeof heights);
  bool fits = true;
  for (uint32_t i = 0; i < m.n_tiles && fits; ++i) {
    struct tile *t = &m.tiles[order[i]];
    t->pass = 0;
    fits = place(heights, ncols, t);
  }
  if (fits) {
    m.n_passes = 1;
    return;
  }

  /* Fallback: the weights do not fit the array together. Pack the tiles in execution order
     into successive passes, a fresh array each; inference reloads a pass when it needs it. */
  memset(heights, 0, sizeof heights);
  uint32_t pass = 0;
  for (uint32_t i = 0; i < m.n_tiles; ++i) {
    struct tile *t = &m.tiles[i];
    if (!place(heights, ncols, t)) {
      ++pass;
      memset(heights, 0, sizeof heights);
      place(heights, ncols, t); /* a tile alone always fits: rows <= ROWS, cols <= COLS */
    }
    t->pass = (uint16_t)pass;
  }
  m.n_passes = pass + 1u;
}

/* --- adc_shift ------------------------------------------------------------------------------ */

uint32_t cim_map_adc_shift(const nn_layer *l)
{
  if (!m.info.analog) {
    return 0;
  }
#ifdef FMNIST_ADC_SHIFT
  (void)l;
  return FMNIST_ADC_SHIFT;
#else
  int32_t s = (int32_t)l->adc_shift - ((int32_t)m.info.adc_bits - 8);
  if (s < 0) {
    s = 0;
  }
  if (s > (int32_t)CIM_MVM_MAX_ADC_SHIFT) {
    s = (int32_t)CIM_MVM_MAX_ADC_SHIFT;
  }
  return (uint32_t)s;
#endif
}

/* --- set-up --------------------------------------------------------------------------------- */

static bool find_cim(uint32_t cim_id)
{
  if (!cim_is_cim(cim_id) || accel_find(cim_id, 0, &m.dev, NULL) < 0) {
    return false;
  }
  cim_read_info(&m.dev, &m.info);
  return true;
}

static int build_layers(void)
{
  /* Tiles. */
  m.n_tiles = 0;
  for (uint32_t li = 0; li < m.n_layers; ++li) {
    const nn_layer *l = &m.layers[li];
    struct layer_map *lm = &m.lm[li];
    lm->l = l;
    lm->k = nn_layer_k(l);
    lm->pixels = nn_layer_out_pixels(l);
    lm->last = li + 1u == m.n_layers;
    lm->n_rt = (uint16_t)((lm->k + m.info.rows - 1u) / m.info.rows);
    lm->first_tile = (uint16_t)m.n_tiles;
    const uint32_t ncols = m.info.cols < MAX_COLS ? m.info.cols : MAX_COLS;
    for (uint32_t rt = 0; rt < lm->n_rt; ++rt) {
      for (uint32_t o = 0; o < l->out_c; o += ncols) {
        if (m.n_tiles == CIM_MAP_MAX_TILES) {
          return CIM_MAP_ERR_MEMORY;
        }
        struct tile *t = &m.tiles[m.n_tiles++];
        memset(t, 0, sizeof *t);
        t->layer = (uint16_t)li;
        t->rt = (uint16_t)rt;
        t->k_lo = (uint16_t)(rt * m.info.rows);
        t->rows = (uint16_t)(lm->k - t->k_lo < m.info.rows ? lm->k - t->k_lo : m.info.rows);
        t->o_lo = (uint16_t)o;
        t->cols = (uint16_t)(l->out_c - o < ncols ? l->out_c - o : ncols);
      }
    }
    lm->n_tiles = (uint16_t)(m.n_tiles - lm->first_tile);
  }

  /* Buffers. */
  uint32_t col_max = 0;
  for (uint32_t li = 0; li < m.n_layers; ++li) {
    const struct layer_map *lm = &m.lm[li];
    if (lm->l->kind == NN_CONV3X3 && lm->pixels * lm->k > col_max) {
      col_max = lm->pixels * lm->k;
    }
  }
  m.x0 = arena_alloc(NN_IMAGE_PIXELS);
  m.colbuf = col_max ? arena_alloc(col_max) : NULL;
  if (m.x0 == NULL || (col_max && m.colbuf == NULL)) {
    return CIM_MAP_ERR_MEMORY;
  }
  const int8_t *in = m.x0;
  for (uint32_t li = 0; li < m.n_layers; ++li) {
    struct layer_map *lm = &m.lm[li];
    const nn_layer *l = lm->l;
    const uint32_t outs = lm->pixels * l->out_c;
    lm->in_tensor = in;
    lm->out8 = NULL;
    lm->pooled = NULL;
    lm->out32 = NULL;
    if (lm->last) {
      lm->out32 = arena_alloc(4u * outs * lm->n_rt);
    } else {
      lm->out8 = arena_alloc(outs);
      if (lm->n_rt > 1u) {
        lm->out32 = arena_alloc(4u * outs * lm->n_rt);
      }
      if (l->pool) {
        lm->pooled = arena_alloc(nn_layer_out_size(l));
      }
    }
    if ((lm->last || lm->n_rt > 1u) && lm->out32 == NULL) {
      return CIM_MAP_ERR_MEMORY;
    }
    if (!lm->last && (lm->out8 == NULL || (l->pool && lm->pooled == NULL))) {
      return CIM_MAP_ERR_MEMORY;
    }
    in = lm->pooled ? lm->pooled : lm->out8;
  }
  return 0;
}

static void build_descriptors(void)
{
  for (uint32_t i = 0; i < m.n_tiles; ++i) {
    struct tile *t = &m.tiles[i];
    const struct layer_map *lm = &m.lm[t->layer];
    const nn_layer *l = lm->l;
    /* Cell (row0 + r, col0 + c) = w[o_lo + c][k_lo + r]: column c's weights are contiguous. */
    cim_load_desc(&t->load, l->w + (uint32_t)t->o_lo * lm->k + t->k_lo, lm->k, t->row0, t->rows,
                  t->col0, t->cols, 8u);
    const bool conv = l->kind == NN_CONV3X3;
    struct cim_mvm_args a = {
        .in = (conv ? m.colbuf : lm->in_tensor) + t->k_lo,
        .in_stride = lm->k,
        .row0 = t->row0,
        .rows = t->rows,
        .col0 = t->col0,
        .cols = t->cols,
        .batch = lm->pixels,
        .in_bits = 8u,
        .adc_shift = cim_map_adc_shift(l),
        .scale = 1,
    };
    if (lm->n_rt > 1u) {
      /* Partial sums: plane rt, no bias (the CPU adds it once). */
      a.out = lm->out32 + (uint32_t)t->rt * lm->pixels * l->out_c + t->o_lo;
      a.out_stride = 4u * l->out_c;
      a.flags = CIM_MVM_OUT32;
    } else if (lm->last) {
      a.out = lm->out32 + t->o_lo;
      a.out_stride = 4u * l->out_c;
      a.bias = l->b + t->o_lo;
      a.flags = CIM_MVM_OUT32;
    } else {
      a.out = lm->out8 + t->o_lo;
      a.out_stride = l->out_c;
      a.bias = l->b + t->o_lo;
      a.scale = l->scale;
      a.shift = l->shift;
      a.flags = l->relu ? CIM_MVM_RELU : 0u;
    }
    cim_mvm_desc(&t->mvm, &a);
  }
}

static void print_plan(void)
{
  printf("fmnist: %s (%s) %lux%lu array, adc_bits %lu: %lu tiles, %s\n", m.dev.name,
         cim_kind_name(m.info.id), (unsigned long)m.info.rows, (unsigned long)m.info.cols,
         (unsigned long)m.info.adc_bits, (unsigned long)m.n_tiles,
         m.n_passes == 1u ? "all weights resident" : "weights do not fit: reloaded per pass");
  for (uint32_t i = 0; i < m.n_tiles; ++i) {
    const struct tile *t = &m.tiles[i];
    printf("fmnist:   layer %u tile %lu: in %u..%u out %u..%u -> rows %u..%u cols %u..%u",
           t->layer, (unsigned long)i, t->k_lo, t->k_lo + t->rows - 1u, t->o_lo,
           t->o_lo + t->cols - 1u, t->row0, t->row0 + t->rows - 1u, t->col0,
           t->col0 + t->cols - 1u);
    if (m.n_passes > 1u) {
      printf(" pass %u", t->pass);
    }
    if (m.info.analog) {
      printf(" adc_shift %lu", (unsigned long)t->mvm.adc_shift);
    }
    printf("\n");
  }
}

int cim_map_init(const nn_layer *layers, uint32_t n, uint32_t cim_id)
{
  memset(&m, 0, sizeof m);
  arena_used = 0;
  m.layers = layers;
  m.n_layers = n;
  m.loaded_pass = -1;
  if (n == 0u || n > MAX_LAYERS || nn_check_layers(layers, n) != NN_OK) {
    return CIM_MAP_ERR_SHAPE;
  }
  if (!find_cim(cim_id)) {
    return CIM_MAP_ERR_NO_CIM;
  }
  if (!cim_supports_in_bits(&m.info, 8u) || !cim_supports_w_bits(&m.info, 8u) ||
      m.info.rows == 0u || m.info.cols == 0u) {
    printf("fmnist: %s does not support 8-bit inputs and weights\n", m.dev.name);
    return CIM_MAP_ERR_SHAPE;
  }
  int rc = build_layers();
  if (rc != 0) {
    printf("fmnist: the mapping's buffers do not fit (arena %u bytes, %u tiles)\n",
           (unsigned)CIM_MAP_ARENA, (unsigned)CIM_MAP_MAX_TILES);
    return rc;
  }
  plan();
  build_descriptors();
  print_plan();
  accel_irq_attach(&m.dev);
  return 0;
}

/* --- jobs ----------------------------------------------------------------------------------- */

static void chain_add(void *desc)
{
  cim_desc_chain(desc, NULL);
  if (m.chain_head == NULL) {
    m.chain_head = desc;
  } else {
    cim_desc_chain(m.chain_tail, desc);
  }
  m.chain_tail = desc;
}

/* Name the descriptor a failed job stopped at. */
static void describe_desc(uint32_t addr)
{
  for (uint32_t i = 0; i < m.n_tiles; ++i) {
    const struct tile *t = &m.tiles[i];
    if (addr == (uint32_t)(uintptr_t)&t->load) {
      printf(" (LOAD of layer %u tile %lu)", t->layer, (unsigned long)i);
      return;
    }
    if (addr == (uint32_t)(uintptr_t)&t->mvm) {
      printf(" (MVM of layer %u tile %lu)", t->layer, (unsigned long)i);
      return;
    }
  }
}

/* Run the pending chain (interrupt-driven: the CPU sleeps in WFI). */
static int chain_run(void)
{
  if (m.chain_head == NULL) {
    return 0;
  }
  accel_start(&m.dev, m.chain_head, true);
  const int err = accel_wait_irq(&m.dev);
  m.chain_head = m.chain_tail = NULL;
  if (err != ACCEL_ERR_NONE) {
    printf("fmnist: %s job for layer %lu failed: %s (code %d, status 0x%08lx, err_desc "
           "0x%08lx, err_addr 0x%08lx)",
           m.dev.name, (unsigned long)m.chain_layer, accel_err_name(err), err,
           (unsigned long)m.dev.status, (unsigned long)m.dev.err_desc,
           (unsigned long)m.dev.err_addr);
    describe_desc(m.dev.err_desc);
    printf("\n");
    return CIM_MAP_ERR_DEVICE;
  }
  return 0;
}

/* Queue the LOADs of `pass` (if it is not the one in the array). */
static void need_pass(uint32_t pass)
{
  if (m.loaded_pass == (int32_t)pass) {
    return;
  }
  for (uint32_t i = 0; i < m.n_tiles; ++i) {
    if (m.tiles[i].pass == pass) {
      chain_add(&m.tiles[i].load);
      m.rows_loaded += m.tiles[i].rows;
    }
  }
  m.loaded_pass = (int32_t)pass;
}

int cim_map_load(void)
{
  need_pass(0);
  m.chain_layer = 0;
  return chain_run();
}

int cim_map_infer(const uint8_t *image_bytes, int32_t *logits_out)
{
  int rc;
  nn_input_convert(image_bytes, m.x0, NN_IMAGE_PIXELS);
  for (uint32_t li = 0; li < m.n_layers; ++li) {
    const struct layer_map *lm = &m.lm[li];
    const nn_layer *l = lm->l;
    if (l->kind == NN_CONV3X3) {
      /* The CPU builds the im2col rows from the previous layer's finished output. */
      if ((rc = chain_run()) != 0) {
        return rc;
      }
      nn_im2col(lm->in_tensor, l->in_h, l->in_w, l->in_c, m.colbuf);
    }
    if (m.chain_head == NULL) {
      m.chain_layer = li;
    }
    for (uint32_t i = lm->first_tile; i < (uint32_t)lm->first_tile + lm->n_tiles; ++i) {
      need_pass(m.tiles[i].pass);
      chain_add(&m.tiles[i].mvm);
    }
    if (lm->n_rt == 1u && !l->pool && !lm->last) {
      continue; /* a following FC layer reads out8 directly: same chain */
    }
    if ((rc = chain_run()) != 0) {
      return rc;
    }
    const uint32_t oc = l->out_c, outs = lm->pixels * oc;
    if (lm->n_rt > 1u) {
      /* Add the row tiles' partial sums, then bias (and requantisation) on the CPU. */
      const uint32_t plane = outs;
      for (uint32_t p = 0, idx = 0; p < lm->pixels; ++p) {
        for (uint32_t o = 0; o < oc; ++o, ++idx) {
          int32_t acc = l->b[o];
          for (uint32_t rt = 0; rt < lm->n_rt; ++rt) {
            acc += lm->out32[rt * plane + idx];
          }
          if (lm->last) {
            lm->out32[idx] = acc; /* plane 0 becomes the logits */
          } else {
            lm->out8[idx] = nn_requant(acc, l->scale, l->shift, l->relu);
          }
        }
      }
    }
    if (lm->pooled != NULL) {
      nn_maxpool2x2(lm->out8, l->in_h, l->in_w, oc, lm->pooled);
    }
    if (lm->last) {
      memcpy(logits_out, lm->out32, 4u * oc);
      return (int)nn_argmax(logits_out, oc);
    }
  }
  return CIM_MAP_ERR_SHAPE; /* not reached: the last layer returns */
}

/* --- about ---------------------------------------------------------------------------------- */

bool cim_map_resident(void)
{
  return m.n_passes == 1u;
}

uint32_t cim_map_passes(void)
{
  return m.n_passes;
}

const char *cim_map_name(void)
{
  return m.dev.name;
}

uint64_t cim_map_accel_cycles(void)
{
  return accel_cycles(&m.dev);
}

uint32_t cim_map_rows_loaded(void)
{
  return m.rows_loaded;
}

/*
 * fmnist_<net>_<mapping>: Fashion-MNIST classification of the model header's embedded test
 * images (docs/fmnist.md), on the host CPU or on a CIM accelerator.
 *
 * Build definitions (firmware/CMakeLists.txt sets them per app):
 *   FMNIST_MODEL    the model header's file name (model_cnn.h, model_mlp.h, ...)
 *   FMNIST_MAPPING  0 host (int8 kernels on the CPU), 1 digital CIM, 2 analog CIM
 *   FMNIST_N        images to classify (default and at most: the FMNIST_SLICE embedded ones)
 *   FMNIST_STRICT   1: the analog mapping must match the integer model like the digital one
 *                   (for runs with the noise off and an ADC that neither rounds nor clips)
 *
 * CIM mappings: the weights are programmed first, inside region "load_weights" (see
 * cim_map.h). Then per image, inside region "infer":
 *   fmnist: image <i> label <l> predicted <p> expected <e> cycles <c> time <t> us
 * (cycles: mcycle, which keeps counting while the CPU sleeps in WFI), and at the end
 *   fmnist: <net> <mapping>: accuracy <correct>/<N>, integer model <its correct>/<N>
 *   fmnist: <net> <mapping>: <correct>/<N> correct (<acc> %), <k> differ from the integer model,
 *           <cycles> cycles per inference
 *   fmnist: <net> <mapping>: logits equal the integer model's on <n>/<N> images
 *   fmnist: ok
 * "ok" when every prediction and every logit equals the integer model's (fmnist_expected,
 * fmnist_expected_logits) on host and digital; on analog (not strict) when the run completed:
 * its accuracy is reported, not required to match.
 * Exit: 0 ok; 1 a prediction or logit differs (host, digital; the first mismatch is printed);
 * 2 no CIM of the kind in the memory map; 3 a CIM job failed, or the layer table is unusable.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "edgevp/csr.h"
#include "edgevp/syscon.h"
#include "edgevp/timer.h"

#include "nn.h"

#define FMNIST_STR_(x) #x
#define FMNIST_STR(x) FMNIST_STR_(x)
#ifndef FMNIST_MODEL
#error "define FMNIST_MODEL (the model header, e.g. model_cnn.h)"
#endif
#include FMNIST_STR(FMNIST_MODEL)

#ifndef FMNIST_MAPPING
#define FMNIST_MAPPING 0
#endif
#ifndef FMNIST_N
#define FMNIST_N FMNIST_SLICE
#endif
#ifndef FMNIST_STRICT
#define FMNIST_STRICT 0
#endif

/* At most the embedded images. */
#define N_IMAGES (FMNIST_N < FMNIST_SLICE ? FMNIST_N : FMNIST_SLICE)
_Static_assert(FMNIST_N >= 1, "FMNIST_N >= 1");

#if FMNIST_MAPPING == 0
#define MAPPING_NAME "host"
#define EXACT 1
#elif FMNIST_MAPPING == 1 || FMNIST_MAPPING == 2
#include "cim_map.h"
#include "edgevp/cim.h"
#if FMNIST_MAPPING == 1
#define MAPPING_NAME "digital"
#define MAPPING_CIM_ID CIM_ID_DIGITAL
#define EXACT 1
#else
#define MAPPING_NAME "analog"
#define MAPPING_CIM_ID CIM_ID_ANALOG
#define EXACT FMNIST_STRICT
#endif
#else
#error "FMNIST_MAPPING: 0 host, 1 digital, 2 analog"
#endif

#define EXIT_MISMATCH 1
#define EXIT_NO_CIM   2
#define EXIT_FAILED   3

static int32_t logits[NN_MAX_CLASSES];

static int infer(const uint8_t *image)
{
#if FMNIST_MAPPING == 0
  return nn_infer_host(fmnist_layers, FMNIST_LAYERS, image, logits);
#else
  return cim_map_infer(image, logits);
#endif
}

/* "12.34": hundredths of a percent of num/den, rounded. */
static void print_percent(uint32_t num, uint32_t den)
{
  const uint32_t h = (uint32_t)(((uint64_t)num * 10000u + den / 2u) / den);
  printf("%lu.%02lu", (unsigned long)(h / 100u), (unsigned long)(h % 100u));
}

int main(void)
{
  const uint32_t classes = fmnist_layers[FMNIST_LAYERS - 1].out_c;
  printf("fmnist: %s %s, %u of %u images\n", FMNIST_NET_NAME, MAPPING_NAME, (unsigned)N_IMAGES,
         (unsigned)FMNIST_SLICE);
  if (nn_check_layers(fmnist_layers, FMNIST_LAYERS) != NN_OK || classes > NN_MAX_CLASSES) {
    printf("fmnist: the layer table does not chain\n");
    return EXIT_FAILED;
  }

#if FMNIST_MAPPING != 0
  int rc = cim_map_init(fmnist_layers, FMNIST_LAYERS, MAPPING_CIM_ID);
  if (rc == CIM_MAP_ERR_NO_CIM) {
    printf("fmnist: no %s CIM in the memory map\n", MAPPING_NAME);
    return EXIT_NO_CIM;
  }
  if (rc != 0) {
    printf("fmnist: mapping failed (%d)\n", rc);
    return EXIT_FAILED;
  }
  const uint32_t lc0 = csr_read(mcycle);
  syscon_region_begin("load_weights");
  rc = cim_map_load();
  syscon_region_end();
  const uint32_t lc1 = csr_read(mcycle);
  if (rc != 0) {
    return EXIT_FAILED;
  }
  printf("fmnist: load_weights: %lu rows programmed, %lu cycles\n",
         (unsigned long)cim_map_rows_loaded(), (unsigned long)(lc1 - lc0));
  const uint32_t rows_before = cim_map_rows_loaded();
  const uint64_t acc_before = cim_map_accel_cycles();
#endif

  uint32_t correct = 0, int_correct = 0, differ = 0, logit_differ = 0;
  int64_t max_logit_err = 0;
  int first_img = -1, first_idx = -1;
  int32_t first_got = 0, first_exp = 0;
  uint64_t total_cycles = 0;
  const uint64_t t0 = timer_now();

  for (uint32_t i = 0; i < N_IMAGES; ++i) {
    const uint32_t c0 = csr_read(mcycle);
    const uint64_t s0 = timer_now();
    syscon_region_begin("infer");
    const int pred = infer(fmnist_images[i]);
    syscon_region_end();
    const uint32_t cycles = csr_read(mcycle) - c0;
    const uint64_t us = timer_ticks_to_us(timer_now() - s0);
    if (pred < 0) {
      printf("fmnist: image %lu: inference failed (%d)\n", (unsigned long)i, pred);
      return EXIT_FAILED;
    }
    total_cycles += cycles;
    printf("fmnist: image %lu label %u predicted %d expected %u cycles %lu time %llu us\n",
           (unsigned long)i, fmnist_labels[i], pred, fmnist_expected[i], (unsigned long)cycles,
           (unsigned long long)us);
    correct += (uint32_t)pred == fmnist_labels[i];
    int_correct += fmnist_expected[i] == fmnist_labels[i];
    differ += (uint32_t)pred != fmnist_expected[i];
    bool same = true;
    for (uint32_t k = 0; k < classes; ++k) {
      const int32_t exp = fmnist_expected_logits[i][k];
      if (logits[k] != exp) {
        int64_t e = (int64_t)logits[k] - exp;
        e = e < 0 ? -e : e;
        if (e > max_logit_err) {
          max_logit_err = e;
        }
        if (same && first_img < 0) {
          first_img = (int)i;
          first_idx = (int)k;
          first_got = logits[k];
          first_exp = exp;
        }
        same = false;
      }
    }
    if ((uint32_t)pred != fmnist_expected[i] && first_img < 0) {
      first_img = (int)i; /* same logits, other class: an argmax disagreement */
      first_idx = -1;
      first_got = pred;
      first_exp = fmnist_expected[i];
    }
    logit_differ += !same;
  }
  const uint64_t t1 = timer_now();

#if FMNIST_MAPPING != 0
  printf("fmnist: %s: %llu accelerator cycles in the inferences, %lu rows reprogrammed\n",
         cim_map_name(), (unsigned long long)(cim_map_accel_cycles() - acc_before),
         (unsigned long)(cim_map_rows_loaded() - rows_before));
#endif
  printf("fmnist: %u inferences in %llu us; %lu images with logits unlike the integer model's "
         "(max |difference| %lld)\n",
         (unsigned)N_IMAGES, (unsigned long long)timer_ticks_to_us(t1 - t0),
         (unsigned long)logit_differ, (long long)max_logit_err);
  printf("fmnist: %s %s: %lu/%u correct (", FMNIST_NET_NAME, MAPPING_NAME, (unsigned long)correct,
         (unsigned)N_IMAGES);
  print_percent(correct, N_IMAGES);
  printf(" %%), %lu differ from the integer model, %llu cycles per inference\n",
         (unsigned long)differ, (unsigned long long)(total_cycles / N_IMAGES));

  /* The same figures without timing, for scenarios to match whole lines. */
  printf("fmnist: %s %s: accuracy %lu/%u, integer model %lu/%u\n", FMNIST_NET_NAME, MAPPING_NAME,
         (unsigned long)correct, (unsigned)N_IMAGES, (unsigned long)int_correct, (unsigned)N_IMAGES);
  printf("fmnist: %s %s: logits equal the integer model's on %lu/%u images\n", FMNIST_NET_NAME,
         MAPPING_NAME, (unsigned long)(N_IMAGES - logit_differ), (unsigned)N_IMAGES);
  if (EXACT && first_img >= 0) {
    if (first_idx >= 0) {
      printf("fmnist: MISMATCH image %d logit %d: got %ld expected %ld\n", first_img, first_idx,
             (long)first_got, (long)first_exp);
    } else {
      printf("fmnist: MISMATCH image %d: predicted %ld expected %ld\n", first_img,
             (long)first_got, (long)first_exp);
    }
    return EXIT_MISMATCH;
  }
  printf("fmnist: ok\n");
  return 0;
}

/*
 * A small stand-in for inference: a 16-input, 8-output int8 fully connected layer with ReLU over a
 * "sensor" window, then an argmax. Deterministic from its input; plain C, no HAL.
 */
#ifndef DUTY_INFER_H
#define DUTY_INFER_H

#include <stdint.h>

#define INFER_IN   64
#define INFER_OUT  16

/* Fills `window` with the sensor samples of wake-up number `n` (a fixed pseudo-random series). */
void sense(uint32_t n, int8_t window[INFER_IN]);
/* Returns (argmax << 24) | (score & 0xFFFFFF) of the layer's outputs for `window`. */
uint32_t infer(const int8_t window[INFER_IN]);
/* Multiply-accumulates one infer() performs. */
#define INFER_MACS (INFER_IN * INFER_OUT)

#endif

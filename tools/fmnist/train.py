#!/usr/bin/python3
"""Train the Fashion-MNIST MLP and CNN in plain numpy, quantise them to int8 and write the
firmware headers firmware/apps/fmnist/model_<net>.h and the test images they share,
firmware/apps/fmnist/test_slice.h (docs/fmnist.md).

    train.py [--net cnn|mlp|both] [--epochs N] [--seed S] [--slice N] [--out DIR] [--data DIR]

Deterministic: the same options give the same header bytes (numpy is pinned to one thread).
"""
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import intmodel as im  # noqa: E402

REPO = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
NET_IDS = {"cnn": 1, "mlp": 2}  # each net draws from its own seed stream: --net both == separately
DEFAULT_EPOCHS = {"cnn": 12, "mlp": 20}
BATCH = 128
LR = {"cnn": 2e-3, "mlp": 1e-3}
CALIB_IMAGES = 2000    # training images for activation scales and ADC shifts
SELECT_IMAGES = 5000   # other training images to choose the activation clipping percentile on
CLIP_PERCENTILES = (99.9, 99.99, 99.999, 100.0)
ADC_PERCENTILE = 99.99


# --- networks: (kind, in_h, in_w, in_c, out_c, relu, pool) ------------------------------------
def architecture(net):
    if net == "cnn":
        return [(im.NN_CONV3X3, 28, 28, 1, 8, 1, 1),
                (im.NN_CONV3X3, 14, 14, 8, 16, 1, 1),
                (im.NN_FC, 1, 1, 784, 64, 1, 0),
                (im.NN_FC, 1, 1, 64, 10, 0, 0)]
    return [(im.NN_FC, 1, 1, 784, 128, 1, 0),
            (im.NN_FC, 1, 1, 128, 10, 0, 0)]


def k_of(spec):
    return 9 * spec[3] if spec[0] == im.NN_CONV3X3 else spec[3]


def init_params(arch, rng):
    params = []
    for spec in arch:
        k, o = k_of(spec), spec[4]
        w = (rng.standard_normal((o, k)) * np.sqrt(2.0 / k)).astype(np.float32)
        params.append([w, np.zeros(o, dtype=np.float32)])
    return params


# --- float model (same layouts as the integer model: HWC, im2col (ky, kx, c), W[out][K]) -----
def col2im3x3(dcol, c):
    n, h, w, _ = dcol.shape
    dxp = np.zeros((n, h + 2, w + 2, c), dtype=dcol.dtype)
    for ky in range(3):
        for kx in range(3):
            j = (ky * 3 + kx) * c
            dxp[:, ky:ky + h, kx:kx + w, :] += dcol[..., j:j + c]
    return dxp[:, 1:h + 1, 1:w + 1, :]


def float_forward(arch, params, x, keep=False, acts=None):
    """x float32 (N, 28, 28, 1) -> logits (N, 10). keep: the caches for backward. acts: a list
    that receives each non-last layer's activation after ReLU, before the pool."""
    caches = []
    for i, (spec, (w, b)) in enumerate(zip(arch, params)):
        kind, relu, pool = spec[0], spec[5], spec[6]
        v = im.im2col3x3(x) if kind == im.NN_CONV3X3 else x.reshape(x.shape[0], -1)
        z = v @ w.T + b
        if i == len(arch) - 1:
            if keep:
                caches.append((v, None, None, None, x.shape))
            return z, caches
        a = np.maximum(z, 0) if relu else z
        if acts is not None:
            acts.append(a)
        if kind == im.NN_FC:
            a = a.reshape(a.shape[0], 1, 1, -1)
        p = im.maxpool2x2(a) if pool else a
        if keep:
            caches.append((v, z, a, p, x.shape))
        x = p
    raise AssertionError("unreachable")


def float_backward(arch, params, caches, dlogits):
    grads = [None] * len(arch)
    d = dlogits
    for i in range(len(arch) - 1, -1, -1):
        spec, w = arch[i], params[i][0]
        v, z, a, p, in_shape = caches[i]
        if i != len(arch) - 1:
            # d is the gradient w.r.t. this layer's output p
            if spec[6]:
                n, h, ww, c = a.shape
                a6 = a.reshape(n, h // 2, 2, ww // 2, 2, c)
                mask = a6 == p[:, :, None, :, None, :]
                d = (mask * d[:, :, None, :, None, :]).reshape(a.shape)
            d = d.reshape(z.shape)
            if spec[5]:
                d = d * (z > 0)
        dz2 = d.reshape(-1, d.shape[-1])
        grads[i] = [dz2.T @ v.reshape(-1, v.shape[-1]), dz2.sum(axis=0)]
        if i == 0:
            break
        dv = d @ w
        if spec[0] == im.NN_CONV3X3:
            d = col2im3x3(dv, spec[3])
        else:
            d = dv.reshape(in_shape)
    return grads


def softmax_xent(z, y):
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    prob = e / e.sum(axis=1, keepdims=True)
    loss = -np.log(prob[np.arange(len(y)), y] + 1e-12).mean()
    prob[np.arange(len(y)), y] -= 1.0
    return loss, prob / len(y)


def float_input(pixels):
    """The float model sees exactly the integer input, x_int / 127."""
    return (im.input_int8(pixels).astype(np.float32) / np.float32(127.0))


def float_predict(arch, params, pixels, chunk=1000):
    out = []
    for i in range(0, len(pixels), chunk):
        z, _ = float_forward(arch, params, float_input(pixels[i:i + chunk]))
        out.append(np.argmax(z, axis=1))
    return np.concatenate(out)


def train(net, arch, images, labels, test_images, test_labels, epochs, seed):
    rng = np.random.default_rng([seed, NET_IDS[net], 0])
    params = init_params(arch, rng)
    m = [[np.zeros_like(t) for t in pw] for pw in params]
    s = [[np.zeros_like(t) for t in pw] for pw in params]
    b1, b2, eps = 0.9, 0.999, 1e-8
    steps_per_epoch = len(images) // BATCH
    total = epochs * steps_per_epoch
    step = 0
    x_all = float_input(images)
    for ep in range(epochs):
        t0 = time.time()
        order = rng.permutation(len(images))
        loss_sum = 0.0
        for bi in range(steps_per_epoch):
            idx = order[bi * BATCH:(bi + 1) * BATCH]
            z, caches = float_forward(arch, params, x_all[idx], keep=True)
            loss, dz = softmax_xent(z, labels[idx].astype(np.int64))
            loss_sum += loss
            grads = float_backward(arch, params, caches, dz.astype(np.float32))
            step += 1
            # Adam, cosine decay of the learning rate to 2 % over the run
            lr = LR[net] * (0.02 + 0.98 * 0.5 * (1 + np.cos(np.pi * (step - 1) / total)))
            c1, c2 = 1 - b1**step, 1 - b2**step
            for li in range(len(params)):
                for j in range(2):
                    g = grads[li][j]
                    m[li][j] = b1 * m[li][j] + (1 - b1) * g
                    s[li][j] = b2 * s[li][j] + (1 - b2) * g * g
                    upd = (lr / c1) * m[li][j] / (np.sqrt(s[li][j] / c2) + eps)
                    params[li][j] = (params[li][j] - upd).astype(np.float32)
        acc = (float_predict(arch, params, test_images) == test_labels).mean()
        print(f"  {net} epoch {ep + 1}/{epochs}: loss {loss_sum / steps_per_epoch:.4f}, "
              f"float test accuracy {acc * 100:.2f} %, {time.time() - t0:.1f} s", flush=True)
    return params


# --- quantisation ----------------------------------------------------------------------------
def requant_pair(m):
    """scale (< 2^31) and shift (0..62) with scale / 2^shift ~ m, as many scale bits as fit."""
    for shift in range(62, -1, -1):
        scale = int(round(m * 2.0**shift))
        if scale < 2**31:
            if scale <= 0:
                raise ValueError(f"requantisation multiplier {m} too small")
            return scale, shift
    raise ValueError(f"requantisation multiplier {m} too large")


def quantise(arch, params, calib_x, percentile):
    """Integer layers for the float model: weights symmetric per layer (max|w| / 127), activation
    scales from the calib activations' percentile (after ReLU, before the pool), biases in the
    accumulator scale. Returns (layers, info per layer)."""
    acts = []
    float_forward(arch, params, calib_x, acts=acts)
    s_in = 1.0 / 127.0
    layers, info = [], []
    for i, (spec, (w, b)) in enumerate(zip(arch, params)):
        w64, b64 = w.astype(np.float64), b.astype(np.float64)
        s_w = float(np.abs(w64).max()) / 127.0
        wq = np.clip(np.round(w64 / s_w), -127, 127).astype(np.int64)
        s_acc = s_in * s_w
        bq = np.round(b64 / s_acc).astype(np.int64)
        last = i == len(arch) - 1
        if last:
            scale, shift, s_out = 0, 0, None
        else:
            a = acts[i]
            pos = a[a > 0] if spec[5] else np.abs(a).ravel()
            s_out = float(np.percentile(pos.astype(np.float64), percentile)) / 127.0
            scale, shift = requant_pair(s_acc / s_out)
        layers.append(im.Layer(*spec, wq, bq, scale, shift, 0))
        info.append({"s_in": s_in, "s_w": s_w, "s_out": s_out})
        s_in = s_out
    return layers, info


def adc_shifts(layers, calib_pixels, percentile=ADC_PERCENTILE):
    """Per layer: the smallest s with the percentile of |sum_k v w| (no bias; every output of
    every calibration image, before the pool) below 127 * 2^s."""
    sums = [[] for _ in layers]
    for c in range(0, len(calib_pixels), im.CHUNK):
        inputs = []
        im.forward(layers, im.input_int8(calib_pixels[c:c + im.CHUNK]), collect=inputs)
        for i, (L, x) in enumerate(zip(layers, inputs)):
            sums[i].append(np.abs(im.dot(im.layer_inputs(L, x), L.w)).astype(np.int32).ravel())
    out = []
    for i in range(len(layers)):
        p = float(np.percentile(np.concatenate(sums[i]).astype(np.float64), percentile))
        s = 0
        while not p < 127 * 2**s:
            s += 1
        out.append((min(s, 30), p))
    return out


# --- the header ------------------------------------------------------------------------------
def c_array(values, per_line, indent="  "):
    vals = [str(int(v)) for v in np.asarray(values).ravel()]
    lines = [indent + ",".join(vals[i:i + per_line]) + "," for i in range(0, len(vals), per_line)]
    return "\n".join(lines)


TEST_SLICE_HEADER = "test_slice.h"


def write_test_slice(path, command, slice_images, slice_labels):
    """The test images and labels every model header includes (TEST_SLICE_HEADER): the first
    --slice images of the t10k set, the same for every net."""
    n = len(slice_images)
    guard = "FMNIST_TEST_SLICE_H"
    out = [f"/* Generated by {command}. Do not edit. */",
           f"#ifndef {guard}",
           f"#define {guard}",
           "#include <stdint.h>",
           f"#define FMNIST_SLICE {n:<24d}/* test images embedded */",
           "",
           "/* raw pixels 0..255, one image row per line */",
           "static const uint8_t fmnist_images[FMNIST_SLICE][784] = {"]
    for k in range(n):
        out.append(f"  {{ /* {k} */")
        out.append(c_array(slice_images[k], 28, "    "))
        out.append("  },")
    out.append("};")
    out.append("static const uint8_t fmnist_labels[FMNIST_SLICE] = {")
    out.append(c_array(slice_labels, 40))
    out.append("};")
    out.append("")
    out.append(f"#endif /* {guard} */")
    with open(path, "w", encoding="ascii", newline="\n") as f:
        f.write("\n".join(out) + "\n")


def write_header(path, net, command, layers, float_ppm, int_ppm, n, slice_pred, slice_logits,
                 slice_correct):
    """The model: layers, accuracies and, for the n images of TEST_SLICE_HEADER (which it
    includes), the integer model's classes and logits."""
    guard = f"FMNIST_MODEL_{net.upper()}_H"
    out = [f"/* Generated by {command}. Do not edit. */",
           f"#ifndef {guard}",
           f"#define {guard}",
           '#include "nn.h"',
           f'#define FMNIST_NET_NAME "{net}"',
           f"#define FMNIST_LAYERS {len(layers)}",
           f'#include "{TEST_SLICE_HEADER}"',
           f"#if FMNIST_SLICE != {n}",
           f'#error "{TEST_SLICE_HEADER} holds another number of test images than this model '
           'expects: regenerate both"',
           "#endif",
           f"#define FMNIST_FLOAT_ACCURACY_PPM {float_ppm:<11d}/* on the full 10000-image test set */",
           f"#define FMNIST_INT_ACCURACY_PPM {int_ppm:<13d}/* the integer model, full test set */",
           f"#define FMNIST_SLICE_INT_CORRECT {slice_correct:<12d}"
           "/* the integer model on the embedded slice */",
           ""]
    rows = []
    for i, L in enumerate(layers):
        kind = "NN_CONV3X3" if L.kind == im.NN_CONV3X3 else "NN_FC"
        kdim = f"9 * {L.in_c}" if L.kind == im.NN_CONV3X3 else f"{L.in_c}"
        out.append(f"/* layer {i}: {kind} {L.in_h}x{L.in_w}x{L.in_c} -> {L.out_c}, W[out][K] */")
        out.append(f"static const int8_t fmnist_w{i}[{L.out_c} * {kdim}] = {{")
        out.append(c_array(L.w, min(L.k, 36)))
        out.append("};")
        out.append(f"static const int32_t fmnist_b{i}[{L.out_c}] = {{")
        out.append(c_array(L.b, 16))
        out.append("};")
        last = i == len(layers) - 1
        rows.append(f"  {{{kind}, {L.in_h}, {L.in_w}, {L.in_c}, {L.out_c}, {L.relu}, {L.pool}, "
                    f"fmnist_w{i}, fmnist_b{i}, {L.scale}, {L.shift}, {L.adc_shift}}},"
                    + ("   /* last: logits */" if last else ""))
    out.append("static const nn_layer fmnist_layers[FMNIST_LAYERS] = {")
    out.append("  /* kind, in_h, in_w, in_c, out_c, relu, pool, w, b, scale, shift, adc_shift */")
    out.extend(rows)
    out.append("};")
    out.append("")
    out.append(f"/* the integer model's class for the images of {TEST_SLICE_HEADER} */")
    out.append("static const uint8_t fmnist_expected[FMNIST_SLICE] = {")
    out.append(c_array(slice_pred, 40))
    out.append("};")
    out.append("static const int32_t fmnist_expected_logits[FMNIST_SLICE][10] = {")
    for k in range(n):
        out.append("  {" + ", ".join(str(int(v)) for v in slice_logits[k]) + "},")
    out.append("};")
    out.append("")
    out.append(f"#endif /* {guard} */")
    with open(path, "w", encoding="ascii", newline="\n") as f:
        f.write("\n".join(out) + "\n")


# --- driver ----------------------------------------------------------------------------------
def run_net(net, args, train_images, train_labels, test_images, test_labels):
    epochs = args.epochs if args.epochs is not None else DEFAULT_EPOCHS[net]
    command = (f"tools/fmnist/train.py --net {net} --epochs {epochs} --seed {args.seed} "
               f"--slice {args.slice}")
    arch = architecture(net)
    print(f"{net}: training {epochs} epochs ({command})", flush=True)
    t0 = time.time()
    params = train(net, arch, train_images, train_labels, test_images, test_labels, epochs,
                   args.seed)
    t_train = time.time() - t0

    float_correct = int((float_predict(arch, params, test_images) == test_labels).sum())
    float_ppm = float_correct * 1000000 // len(test_labels)

    # calibration and selection subsets of the training set, disjoint
    rng = np.random.default_rng([args.seed, NET_IDS[net], 1])
    order = rng.permutation(len(train_images))
    calib = train_images[order[:CALIB_IMAGES]]
    select = order[CALIB_IMAGES:CALIB_IMAGES + SELECT_IMAGES]
    calib_x = float_input(calib)
    best = None
    for pct in CLIP_PERCENTILES:
        layers, info = quantise(arch, params, calib_x, pct)
        acc = (im.classify(im.logits(layers, train_images[select])) == train_labels[select]).mean()
        print(f"  activation clip at the {pct} percentile: integer accuracy {acc * 100:.2f} % "
              f"on {SELECT_IMAGES} training images", flush=True)
        if best is None or acc > best[0]:
            best = (acc, pct, layers, info)
    _, pct, layers, info = best
    for L, (s, p) in zip(layers, adc_shifts(layers, calib)):
        L.adc_shift = s
    im.check_network(layers)

    test_logits = im.logits(layers, test_images)
    int_correct = int((im.classify(test_logits) == test_labels).sum())
    int_ppm = int_correct * 1000000 // len(test_labels)
    n = args.slice
    slice_logits = test_logits[:n]
    slice_pred = im.classify(slice_logits)
    slice_correct = int((slice_pred == test_labels[:n]).sum())

    os.makedirs(args.out, exist_ok=True)
    write_test_slice(os.path.join(args.out, TEST_SLICE_HEADER),
                     f"tools/fmnist/train.py --slice {n}", test_images[:n], test_labels[:n])
    path = os.path.join(args.out, f"model_{net}.h")
    write_header(path, net, command, layers, float_ppm, int_ppm, n, slice_pred, slice_logits,
                 slice_correct)
    # read it back (with the test slice it includes): the header must reproduce what was computed
    back = im.parse_header(path)
    assert np.array_equal(back["arrays"]["fmnist_images"].reshape(-1, 28, 28), test_images[:n])
    assert np.array_equal(im.logits(back["layers"], test_images[:n]), slice_logits)

    print(f"{net}: training {t_train:.0f} s; float {float_correct / 100:.2f} %, integer "
          f"{int_correct / 100:.2f} % on the test set; slice {slice_correct}/{n}; "
          f"activation clip percentile {pct}")
    print("  layer kind       K    out  s_w        s_in       s_out      scale       shift "
          "adc_shift (p99.99 |sum|)")
    adc = adc_shifts(layers, calib)
    for i, (L, inf, (s, p)) in enumerate(zip(layers, info, adc)):
        kind = "conv3x3" if L.kind == im.NN_CONV3X3 else "fc"
        s_out = f"{inf['s_out']:.4e}" if inf["s_out"] else "(logits) "
        print(f"  {i:<5d} {kind:<8s} {L.k:<4d} {L.out_c:<4d} {inf['s_w']:.4e} {inf['s_in']:.4e} "
              f"{s_out} {L.scale:<11d} {L.shift:<5d} {L.adc_shift:<2d} ({p:.0f})")
    print(f"  wrote {path}", flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--net", choices=("cnn", "mlp", "both"), default="both")
    ap.add_argument("--epochs", type=int, default=None,
                    help=f"default: {DEFAULT_EPOCHS['cnn']} (cnn), {DEFAULT_EPOCHS['mlp']} (mlp)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--slice", type=int, default=200, help="test images embedded (test_slice.h)")
    ap.add_argument("--out", default=os.path.join(REPO, "firmware", "apps", "fmnist"))
    ap.add_argument("--data", default=im.DEFAULT_DATA)
    args = ap.parse_args()
    if not 1 <= args.slice <= 10000:
        ap.error("--slice must be 1..10000")
    train_images, train_labels = im.load_split(args.data, "train")
    test_images, test_labels = im.load_split(args.data, "t10k")
    for net in (("cnn", "mlp") if args.net == "both" else (args.net,)):
        run_net(net, args, train_images, train_labels, test_images, test_labels)


if __name__ == "__main__":
    main()

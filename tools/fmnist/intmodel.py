#!/usr/bin/python3
"""The Fashion-MNIST integer model (docs/fmnist.md, "Integer semantics"), in numpy.

Used by train.py to produce the quantised outputs it embeds, and as a ctest test on a committed
header:

    intmodel.py HEADER [--data DIR]

reads the network back from the generated C header (weights, biases, requantisation; the
embedded slice from the test_slice.h it includes), runs it on the full 10000-image test set and
exits non-zero if the accuracy differs from FMNIST_INT_ACCURACY_PPM, if the outputs on the
embedded slice differ from fmnist_expected / fmnist_expected_logits, or if
FMNIST_SLICE_INT_CORRECT disagrees.

Exactness: the dot products run as float64 matrix products, which are exact here (int8 x int8
products, at most 784 terms: every partial sum is an integer far below 2^53; checked
per layer); bias, requantisation and everything after are int64.
"""
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import gzip  # noqa: E402
import re  # noqa: E402
import sys  # noqa: E402

import numpy as np  # noqa: E402

NN_FC = 0
NN_CONV3X3 = 1
KIND_NAMES = {"NN_FC": NN_FC, "NN_CONV3X3": NN_CONV3X3}
DEFAULT_DATA = "/usr/share/datasets/fashion-mnist"
CHUNK = 500  # images per vectorised step (bounds the im2col buffers to some 10 MB)


# --- data ------------------------------------------------------------------------------------
def load_idx(path):
    """An idx file (gzip): uint8 array shaped by its header."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    if data[0] != 0 or data[1] != 0 or data[2] != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte idx file")
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    arr = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim)
    if arr.size != int(np.prod(dims)):
        raise ValueError(f"{path}: size {arr.size} does not match the header {dims}")
    return arr.reshape(dims)


def load_split(data_dir, kind):
    """kind 'train' or 't10k': (images uint8 N x 28 x 28, labels uint8 N)."""
    images = load_idx(os.path.join(data_dir, f"{kind}-images-idx3-ubyte.gz"))
    labels = load_idx(os.path.join(data_dir, f"{kind}-labels-idx1-ubyte.gz"))
    if images.shape[0] != labels.shape[0] or images.shape[1:] != (28, 28):
        raise ValueError(f"{data_dir}: unexpected {kind} shapes {images.shape} {labels.shape}")
    return images, labels


def input_int8(pixels):
    """Raw pixels (..., 28, 28) 0..255 -> the int8 input x = (p * 127 + 127) / 255, HWC (C = 1)."""
    p = np.asarray(pixels, dtype=np.int64)
    x = (p * 127 + 127) // 255
    return x.reshape(p.shape[:-2] + (28, 28, 1))


# --- the network -----------------------------------------------------------------------------
class Layer:
    """One nn_layer: the fields of the firmware's struct, with w (out_c x K) and b as int64."""

    def __init__(self, kind, in_h, in_w, in_c, out_c, relu, pool, w, b, scale, shift, adc_shift):
        self.kind, self.in_h, self.in_w, self.in_c, self.out_c = kind, in_h, in_w, in_c, out_c
        self.relu, self.pool = int(relu), int(pool)
        self.w = np.asarray(w, dtype=np.int64).reshape(out_c, self.k)
        self.b = np.asarray(b, dtype=np.int64).reshape(out_c)
        self.scale, self.shift, self.adc_shift = int(scale), int(shift), int(adc_shift)

    @property
    def k(self):
        return 9 * self.in_c if self.kind == NN_CONV3X3 else self.in_c

    @property
    def out_shape(self):
        """(H, W, C) of the layer's output after the optional pool."""
        if self.kind == NN_FC:
            return (1, 1, self.out_c)
        h, w = self.in_h, self.in_w
        if self.pool:
            h, w = h // 2, w // 2
        return (h, w, self.out_c)


def check_network(layers):
    """The structural rules the firmware relies on; raises ValueError."""
    if not layers:
        raise ValueError("no layers")
    shape = (28, 28, 1)
    for i, L in enumerate(layers):
        last = i == len(layers) - 1
        if L.kind == NN_CONV3X3:
            if (L.in_h, L.in_w, L.in_c) != shape:
                raise ValueError(f"layer {i}: input {(L.in_h, L.in_w, L.in_c)}, expected {shape}")
            if L.pool and (L.in_h % 2 or L.in_w % 2):
                raise ValueError(f"layer {i}: pool on an odd size")
        elif L.kind == NN_FC:
            if (L.in_h, L.in_w) != (1, 1) or L.in_c != shape[0] * shape[1] * shape[2]:
                raise ValueError(f"layer {i}: FC input {(L.in_h, L.in_w, L.in_c)} after {shape}")
            if L.pool:
                raise ValueError(f"layer {i}: FC with pool")
        else:
            raise ValueError(f"layer {i}: unknown kind {L.kind}")
        if L.w.max(initial=0) > 127 or L.w.min(initial=0) < -128:
            raise ValueError(f"layer {i}: weights outside int8")
        if np.abs(L.b).max(initial=0) >= 2**31:
            raise ValueError(f"layer {i}: bias outside int32")
        if not 0 <= L.adc_shift <= 30:
            raise ValueError(f"layer {i}: adc_shift {L.adc_shift} outside 0..30")
        if last:
            if L.relu or L.pool:
                raise ValueError("last layer: logits take no ReLU or pool")
        else:
            if not 0 < L.scale < 2**31 or not 0 <= L.shift <= 62:
                raise ValueError(f"layer {i}: requantisation {L.scale} >> {L.shift} out of range")
        shape = L.out_shape
    if shape != (1, 1, 10):
        raise ValueError(f"the network ends in {shape}, not 10 logits")


def im2col3x3(x):
    """x (N, H, W, C) -> (N, H, W, 9 C): v[(ky * 3 + kx) * C + c] = x(y + ky - 1, x + kx - 1, c)."""
    n, h, w, c = x.shape
    xp = np.zeros((n, h + 2, w + 2, c), dtype=x.dtype)
    xp[:, 1:h + 1, 1:w + 1, :] = x
    return np.concatenate([xp[:, ky:ky + h, kx:kx + w, :] for ky in range(3) for kx in range(3)],
                          axis=3)


def maxpool2x2(x):
    n, h, w, c = x.shape
    return x.reshape(n, h // 2, 2, w // 2, 2, c).max(axis=(2, 4))


def layer_inputs(L, x):
    """The layer's input vectors (..., K) as int64, from the int8 tensor x (N, H, W, C)."""
    if L.kind == NN_CONV3X3:
        return im2col3x3(x)
    return x.reshape(x.shape[0], -1)


def dot(v, w):
    """Exact sum_k v[k] * w[o][k] for int8-range v (..., K) and w (O, K), as int64 (..., O)."""
    k = w.shape[1]
    bound = k * int(np.abs(v).max(initial=0)) * int(np.abs(w).max(initial=0))
    if bound >= 2**53:
        raise ValueError("dot product not exact in float64")
    return (v.astype(np.float64) @ w.T.astype(np.float64)).astype(np.int64)


def requantise(acc, scale, shift):
    """y = (acc * scale + (shift ? 1 << (shift - 1) : 0)) >> shift, exact in int64 (|acc| < 2^31)."""
    if np.abs(acc).max(initial=0) >= 2**31:
        raise ValueError("accumulator outside int32")
    rnd = (1 << (shift - 1)) if shift else 0
    return (acc * np.int64(scale) + np.int64(rnd)) >> np.int64(shift)


def run_layer(L, x, last):
    """One layer on the int8 tensor x (N, H, W, C): the next int8 tensor, or int64 logits (N, O)."""
    acc = dot(layer_inputs(L, x), L.w) + L.b
    if last:
        if np.abs(acc).max(initial=0) >= 2**31:
            raise ValueError("logit outside int32")
        return acc.reshape(acc.shape[0], -1)
    y = requantise(acc, L.scale, L.shift)
    if L.relu:
        y = np.maximum(y, 0)
    y = np.clip(y, -128, 127)
    if L.kind == NN_FC:
        y = y.reshape(y.shape[0], 1, 1, -1)
    if L.pool:
        y = maxpool2x2(y)
    return y


def forward(layers, x, collect=None):
    """int8 inputs (N, 28, 28, 1) -> int64 logits (N, 10). collect: a list that receives, per layer,
    the layer's input tensor (for calibration)."""
    for i, L in enumerate(layers):
        if collect is not None:
            collect.append(x)
        x = run_layer(L, x, i == len(layers) - 1)
    return x


def logits(layers, pixels, chunk=CHUNK):
    """Raw pixels (N, 28, 28) -> int64 logits (N, 10), in chunks."""
    out = [forward(layers, input_int8(pixels[i:i + chunk])) for i in range(0, len(pixels), chunk)]
    return np.concatenate(out, axis=0)


def classify(lg):
    """The largest logit's index, the lowest on a tie (np.argmax returns the first)."""
    return np.argmax(lg, axis=1)


# --- the generated header --------------------------------------------------------------------
def _strip_comments(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", " ", text)


def _ints(body):
    return [int(t, 0) for t in re.split(r"[\s,{}]+", body) if t]


def _read_generated(path, seen=None):
    """The header's text without comments, preceded by that of every generated header it
    #includes ("name", relative to the including header; e.g. the test slice). Includes of
    files that are not generated (nn.h) or do not exist next to it are left alone."""
    seen = set() if seen is None else seen
    real = os.path.realpath(path)
    if real in seen:
        return ""
    seen.add(real)
    with open(path, encoding="ascii") as f:
        raw = f.read()
    parts = []
    for name in re.findall(r'^[ \t]*#[ \t]*include[ \t]+"([^"]+)"', raw, flags=re.M):
        inc = os.path.join(os.path.dirname(path), name)
        if os.path.isfile(inc):
            with open(inc, encoding="ascii") as f:
                generated = f.readline().startswith("/* Generated by ")
            if generated:
                parts.append(_read_generated(inc, seen))
    parts.append(_strip_comments(raw))
    return "\n".join(parts)


def parse_header(path):
    """A generated model header (with the generated headers it includes, e.g. test_slice.h) ->
    dict: defines, arrays (name -> np.int64 array, flat), layers."""
    text = _read_generated(path)
    defines = {}
    for name, value in re.findall(r"^[ \t]*#define[ \t]+(\w+)[ \t]+(.+?)[ \t]*$", text, flags=re.M):
        defines[name] = value[1:-1] if value.startswith('"') else int(value, 0)
    arrays = {}
    array_re = r"static\s+const\s+(u?int(?:8|16|32)_t)\s+(\w+)((?:\[[^\]]*\])+)\s*=\s*\{(.*?)\}\s*;"
    for ctype, name, _dims, body in re.findall(array_re, text, flags=re.S):
        vals = np.array(_ints(body), dtype=np.int64)
        bits = int(re.search(r"\d+", ctype).group())
        lo, hi = (0, 2**bits - 1) if ctype.startswith("u") else (-(2**(bits - 1)), 2**(bits - 1) - 1)
        if vals.size and (vals.min() < lo or vals.max() > hi):
            raise ValueError(f"{path}: {name} has values outside {ctype}")
        arrays[name] = vals
    table = re.search(r"static\s+const\s+nn_layer\s+(\w+)\s*\[[^\]]*\]\s*=\s*\{(.*?)\}\s*;", text,
                      flags=re.S)
    if not table:
        raise ValueError(f"{path}: no nn_layer table")
    layers = []
    for row in re.findall(r"\{([^{}]*)\}", table.group(2)):
        f = [t.strip() for t in row.split(",") if t.strip()]
        if len(f) != 12:
            raise ValueError(f"{path}: layer row with {len(f)} fields: {row}")
        kind = KIND_NAMES[f[0]]
        in_h, in_w, in_c, out_c, relu, pool = (int(t, 0) for t in f[1:7])
        w, b = arrays[f[7]], arrays[f[8]]
        k = 9 * in_c if kind == NN_CONV3X3 else in_c
        if w.size != out_c * k or b.size != out_c:
            raise ValueError(f"{path}: {f[7]} / {f[8]} sizes {w.size} / {b.size} do not match")
        layers.append(Layer(kind, in_h, in_w, in_c, out_c, relu, pool, w, b,
                            int(f[9], 0), int(f[10], 0), int(f[11], 0)))
    if defines.get("FMNIST_LAYERS") != len(layers):
        raise ValueError(f"{path}: FMNIST_LAYERS {defines.get('FMNIST_LAYERS')} vs {len(layers)} rows")
    check_network(layers)
    return {"defines": defines, "arrays": arrays, "layers": layers}


# --- the check -------------------------------------------------------------------------------
def check_header(path, data_dir):
    """Returns a list of failures (empty: the header agrees with the integer model)."""
    model = parse_header(path)
    d, a, layers = model["defines"], model["arrays"], model["layers"]
    fails = []
    test_images, test_labels = load_split(data_dir, "t10k")
    lg = logits(layers, test_images)
    pred = classify(lg)
    correct = int((pred == test_labels).sum())
    ppm = correct * 1000000 // len(test_labels)
    print(f"{d.get('FMNIST_NET_NAME', '?')}: integer model {correct}/{len(test_labels)} = "
          f"{ppm / 1e4:.2f} % on the test set (header: FMNIST_INT_ACCURACY_PPM "
          f"{d.get('FMNIST_INT_ACCURACY_PPM')}; float {d.get('FMNIST_FLOAT_ACCURACY_PPM')})")
    if ppm != d.get("FMNIST_INT_ACCURACY_PPM"):
        fails.append(f"accuracy {ppm} ppm != FMNIST_INT_ACCURACY_PPM {d.get('FMNIST_INT_ACCURACY_PPM')}")

    n = d.get("FMNIST_SLICE", 0)
    images = a["fmnist_images"].reshape(-1, 28, 28)
    labels, expected = a["fmnist_labels"], a["fmnist_expected"]
    exp_logits = a["fmnist_expected_logits"].reshape(-1, 10)
    if not n or len(images) != n or len(labels) != n or len(expected) != n or len(exp_logits) != n:
        fails.append(f"slice arrays do not hold FMNIST_SLICE = {n} entries")
        return fails
    if not np.array_equal(images, test_images[:n]) or not np.array_equal(labels, test_labels[:n]):
        fails.append(f"the embedded slice is not the first {n} test images and labels")
    slice_lg = logits(layers, images)
    slice_pred = classify(slice_lg)
    if not np.array_equal(slice_lg, exp_logits):
        bad = np.nonzero((slice_lg != exp_logits).any(axis=1))[0]
        fails.append(f"fmnist_expected_logits differ on {len(bad)} images (first: {bad[0]})")
    if not np.array_equal(slice_pred, expected):
        bad = np.nonzero(slice_pred != expected)[0]
        fails.append(f"fmnist_expected differs on {len(bad)} images (first: {bad[0]})")
    slice_correct = int((slice_pred == labels).sum())
    print(f"slice: {slice_correct}/{n} correct (header: FMNIST_SLICE_INT_CORRECT "
          f"{d.get('FMNIST_SLICE_INT_CORRECT')})")
    if slice_correct != d.get("FMNIST_SLICE_INT_CORRECT"):
        fails.append(f"slice correct {slice_correct} != FMNIST_SLICE_INT_CORRECT "
                     f"{d.get('FMNIST_SLICE_INT_CORRECT')}")
    return fails


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("header", help="a generated model_<net>.h")
    ap.add_argument("--data", default=DEFAULT_DATA, help="directory of the idx .gz files")
    args = ap.parse_args(argv)
    try:
        fails = check_header(args.header, args.data)
    except (OSError, ValueError, KeyError) as e:
        print(f"error: {args.header}: {e}", file=sys.stderr)
        return 2
    for f in fails:
        print(f"FAIL: {f}", file=sys.stderr)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())

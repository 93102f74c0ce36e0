#!/usr/bin/python3
"""Reference model of the `snn` accelerator (docs/models/snn.md), in numpy.

A library (event words, stream parsing, an event-driven layer runner for FC / CONV / SPARSE
layers, a vectorised runner for batches of images through FC layers, the input encoding) and a
ctest check of a generated header:

    snnref.py --check HEADER [--data DIR]

reads back firmware/apps/fmnist_snn/model_snn.h (and the test_slice.h it includes), recomputes the
full test-set accuracy (vectorised runner), the 200 slice expectations (vectorised runner,
cross-checked against the event-driven runner on the first 20 slice images) and the activity sweep,
and exits non-zero on any difference.

Event words (32 bits, op in 31:28): SPIKE (2) channel 23:16, y 15:8, x 7:0, bits 27:24 zero;
TIME (5) step 27:0; END (9) bits 27:0 zero.

Input encoding (integer-exact, re-implemented by the firmware, firmware/apps/fmnist_snn/main.c):
  - parameters: T steps, gain g (0..256), pixel threshold th, phase (0..65535).
  - a pixel p (0..255) with p < th (or p == 0) never spikes. Every other pixel has an accumulator
    a = phase; at each step t = 0..T-1: a += p * g; if a >= 65536 it spikes at step t and
    a -= 65536. (p * g <= 65280 < 65536: at most one spike per step.) Closed form: the pixel
    spikes at t iff floor((phase + (t+1) p g) / 65536) > floor((phase + t p g) / 65536).
  - the optional bias inputs (n of them, at (c, y, x0 + j), j = 0..n-1) spike at every step.
  - stream: for every step t with >= 1 spike: TIME t, then the pixel spikes in pixel order
    (index y * 28 + x, c = 0), then the bias inputs in order; after the last step END.
  - input activity = pixel spikes / (784 * T) (bias inputs not counted).

Neuron model, per the doc: per-step 32-bit accumulators over the touched neurons; at the first
touch of a step the lazy leak for dt = t - last steps (dt <= 0: none); at the step's close, in
ascending neuron index, a neuron still refractory (t < refr) drops the step's input, otherwise
v = sat16(v + acc), then if v >= threshold: spike, v = reset or sat16(v - threshold),
refr = t + 1 + refractory.

Exactness of the vectorised runner: the per-step sums run as float32 matrix products over 0/1
spike rasters and int8 weights (every partial sum an integer below 2^24, checked), the rest int32
/ int64. For an FC layer all neurons are touched at a step with >= 1 input spike, so the lazy leak
is applied per image at those steps for dt = t - last steps, exactly as the event-driven rule.
"""
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fmnist"))
import intmodel  # noqa: E402

OP_SPIKE, OP_TIME, OP_END = 2, 5, 9
END_WORD = OP_END << 28
LEAK_NONE, LEAK_LINEAR, LEAK_SHIFT = 0, 1, 2
FC, CONV, SPARSE = 0, 1, 2
DEFAULT_DATA = intmodel.DEFAULT_DATA
CHUNK = 1000  # images per vectorised batch


# --- event words -----------------------------------------------------------------------------
def spike_word(c, y, x):
    if not (0 <= c < 256 and 0 <= y < 256 and 0 <= x < 256):
        raise ValueError(f"spike ({c}, {y}, {x}) outside 0..255")
    return (OP_SPIKE << 28) | (c << 16) | (y << 8) | x


def time_word(t):
    if not 0 <= t < (1 << 28):
        raise ValueError(f"time step {t} outside 28 bits")
    return (OP_TIME << 28) | t


def decode(word):
    """A word -> ('spike', c, y, x) / ('time', t) / ('end',); ValueError on an unknown op or
    nonzero reserved bits."""
    word &= 0xFFFFFFFF
    op = word >> 28
    if op == OP_SPIKE:
        if word & 0x0F000000:
            raise ValueError("SPIKE with nonzero reserved bits 27:24")
        return ("spike", (word >> 16) & 0xFF, (word >> 8) & 0xFF, word & 0xFF)
    if op == OP_TIME:
        return ("time", word & 0x0FFFFFFF)
    if op == OP_END:
        if word & 0x0FFFFFFF:
            raise ValueError("END with nonzero bits 27:0")
        return ("end",)
    raise ValueError(f"unknown operation {op}")


def parse_stream(words, shape):
    """words (the ring's content from the first word on) and the input shape (c, h, w) ->
    list of (t, [(c, y, x), ...]) in stream order, one entry per TIME marker (or the implicit step 0
    before the first marker, if spikes come before it); words after END are not read.
    ValueError naming the word index on any stream error of the doc."""
    in_c, in_h, in_w = shape
    steps = []
    cur = 0
    for i, w in enumerate(words):
        try:
            d = decode(int(w))
        except ValueError as e:
            raise ValueError(f"word {i}: {e} (0x{int(w) & 0xFFFFFFFF:08x})") from None
        if d[0] == "end":
            return steps
        if d[0] == "time":
            if d[1] < cur:
                raise ValueError(f"word {i}: time step {d[1]} < current step {cur}")
            cur = d[1]
            steps.append((cur, []))
            continue
        _, c, y, x = d
        if c >= in_c or y >= in_h or x >= in_w:
            raise ValueError(f"word {i}: spike ({c}, {y}, {x}) outside the input shape "
                             f"{in_c} x {in_h} x {in_w}")
        if not steps:
            steps.append((0, []))
        steps[-1][1].append((c, y, x))
    raise ValueError(f"word {len(words)}: the stream ends without END")


# --- arithmetic ------------------------------------------------------------------------------
def sat16(v):
    return max(-32768, min(32767, int(v)))


def leak_once(v, mode, amount):
    if mode == LEAK_LINEAR:
        m = min(abs(v), amount)
        return v - m if v > 0 else v + m
    if mode == LEAK_SHIFT:
        return v - (v >> amount)
    return v


def leak_n(v, mode, amount, dt):
    if mode == LEAK_NONE:
        return v
    for _ in range(max(0, dt)):
        nv = leak_once(v, mode, amount)
        if nv == v:
            break
        v = nv
    return v


def pack_int4(w):
    """w (rows, out) in -8..7 -> uint8 bytes, each row ceil(out / 2) bytes, low nibble first."""
    w = np.asarray(w, dtype=np.int64)
    if w.min(initial=0) < -8 or w.max(initial=0) > 7:
        raise ValueError("int4 weight outside -8..7")
    rows, out = w.shape
    nb = (out + 1) // 2
    padded = np.zeros((rows, 2 * nb), dtype=np.int64)
    padded[:, :out] = w & 0xF
    return (padded[:, 0::2] | (padded[:, 1::2] << 4)).astype(np.uint8).reshape(-1)


def unpack_int4(b, rows, out):
    b = np.asarray(b, dtype=np.uint8).reshape(rows, (out + 1) // 2).astype(np.int64)
    nib = np.empty((rows, 2 * b.shape[1]), dtype=np.int64)
    nib[:, 0::2] = b & 0xF
    nib[:, 1::2] = b >> 4
    nib = np.where(nib >= 8, nib - 16, nib)
    return nib[:, :out]


def sparse_entry(target, weight):
    return (int(target) & 0xFFFF) | ((int(weight) & 0xFF) << 16)


# --- layers ----------------------------------------------------------------------------------
class Layer:
    """One LAYER's configuration.

    kind FC: weights = int8 array (in_count x out_c) or, with int4, packed bytes (pack_int4).
    kind CONV: k odd; weights W[in_c][k][k][out_c] (int8 array of that shape / flat), or packed
      int4 bytes of the (in_c * k * k) x out_c matrix. out_h = in_h, out_w = in_w.
    kind SPARSE: row_ptr (in_count + 1), entries (32-bit words); out_c x out_h x out_w given.
    """

    def __init__(self, kind, in_shape, out_c, *, weights=None, int4=False, k=0, row_ptr=None,
                 entries=None, out_hw=(1, 1), threshold=1, reset=0, leak_mode=LEAK_NONE, leak=0,
                 reset_sub=False, refractory=0):
        self.kind, self.in_shape, self.out_c, self.int4, self.k = kind, tuple(in_shape), out_c, int4, k
        in_c, in_h, in_w = self.in_shape
        for n in (in_c, in_h, in_w, out_c):
            if not 1 <= n <= 256:
                raise ValueError("shape out of 1..256")
        if kind == FC:
            self.out_h, self.out_w = 1, 1
        elif kind == CONV:
            if k % 2 == 0 or not 1 <= k <= 7:
                raise ValueError(f"conv k {k}: must be odd, 1..7")
            self.out_h, self.out_w = in_h, in_w
        elif kind == SPARSE:
            self.out_h, self.out_w = out_hw
        else:
            raise ValueError(f"layer type {kind}")
        if not (1 <= threshold <= 32767 and -32768 <= reset < threshold):
            raise ValueError("threshold / reset out of range")
        if leak_mode not in (0, 1, 2) or not 0 <= leak <= 255 or not 0 <= refractory <= 255:
            raise ValueError("leak / refractory out of range")
        if leak_mode == LEAK_SHIFT and not 1 <= leak <= 15:
            raise ValueError("shift leak outside 1..15")
        self.threshold, self.reset, self.leak_mode, self.leak = threshold, reset, leak_mode, leak
        self.reset_sub, self.refractory = bool(reset_sub), refractory
        self.in_count = in_c * in_h * in_w
        self.neurons = out_c * self.out_h * self.out_w
        if kind in (FC, CONV):
            rows = self.in_count if kind == FC else in_c * k * k
            if int4:
                self.W = unpack_int4(weights, rows, out_c)
            else:
                self.W = np.asarray(weights, dtype=np.int64).reshape(rows, out_c)
                if self.W.min(initial=0) < -128 or self.W.max(initial=0) > 127:
                    raise ValueError("int8 weight out of range")
        else:
            rp = np.asarray(row_ptr, dtype=np.int64)
            ent = np.asarray(entries, dtype=np.int64) & 0xFFFFFFFF
            if rp.size != self.in_count + 1 or np.any(np.diff(rp) < 0) or rp[0] < 0 or rp[-1] > ent.size:
                raise ValueError("row_ptr: wrong size, decreasing or beyond the entries")
            if np.any(ent >> 24):
                raise ValueError("sparse entry with nonzero bits 31:24")
            tgt = ent & 0xFFFF
            if np.any(tgt >= self.neurons):
                raise ValueError("sparse target outside the layer")
            wt = (ent >> 16) & 0xFF
            self.row_ptr, self.targets, self.weights = rp, tgt, np.where(wt >= 128, wt - 256, wt)

    def neuron_index(self, c, y, x):
        return (y * self.out_w + x) * self.out_c + c

    def neuron_coords(self, n):
        c = n % self.out_c
        yx = n // self.out_c
        return c, yx // self.out_w, yx % self.out_w

    def fanout(self, c, y, x):
        """The synapses of input (c, y, x): list of (neuron index, weight)."""
        in_c, in_h, in_w = self.in_shape
        if self.kind == FC:
            i = (y * in_w + x) * in_c + c
            return [(o, int(self.W[i, o])) for o in range(self.out_c)]
        if self.kind == CONV:
            k, h = self.k, self.k // 2
            out = []
            for ky in range(k):
                y0 = y - ky + h
                if not 0 <= y0 < self.out_h:
                    continue
                for kx in range(k):
                    x0 = x - kx + h
                    if not 0 <= x0 < self.out_w:
                        continue
                    row = (c * k + ky) * k + kx
                    for o in range(self.out_c):
                        out.append((self.neuron_index(o, y0, x0), int(self.W[row, o])))
            return out
        i = (y * in_w + x) * in_c + c
        return [(int(self.targets[e]), int(self.weights[e]))
                for e in range(self.row_ptr[i], self.row_ptr[i + 1])]


class State:
    """Neuron state of one layer: v, last, refr (CLEAR: all zero)."""

    def __init__(self, n):
        self.v = [0] * n
        self.last = [0] * n
        self.refr = [0] * n


def run_layer(layer, words, state=None):
    """Event-driven run of one LAYER over an input stream (list of words). state: a State to
    continue from (None: CLEAR). Returns a dict: words (output stream), counts (per neuron),
    v (membranes), state, in_spikes, out_spikes, steps (closed), synops, touched (neuron updates
    at step closes), sat_pos / sat_neg (step closes where v + acc saturated)."""
    steps = parse_stream(words, layer.in_shape)
    st = state if state is not None else State(layer.neurons)
    counts = [0] * layer.neurons
    out_words = []
    res = {"in_spikes": 0, "out_spikes": 0, "steps": 0, "synops": 0, "touched": 0, "sat_pos": 0,
           "sat_neg": 0}
    # merge repeated markers of one step: a step closes only at a larger step or END
    merged = []
    for t, spikes in steps:
        if merged and merged[-1][0] == t:
            merged[-1][1].extend(spikes)
        else:
            merged.append((t, list(spikes)))
    for t, spikes in merged:
        acc = {}
        for c, y, x in spikes:
            res["in_spikes"] += 1
            for n, w in layer.fanout(c, y, x):
                res["synops"] += 1
                if n not in acc:
                    st.v[n] = leak_n(st.v[n], layer.leak_mode, layer.leak, t - st.last[n])
                    st.last[n] = t
                    acc[n] = 0
                acc[n] += w
        res["steps"] += 1
        fired = []
        for n in sorted(acc):
            res["touched"] += 1
            if t < st.refr[n]:
                continue
            raw = st.v[n] + acc[n]
            if raw > 32767:
                res["sat_pos"] += 1
            elif raw < -32768:
                res["sat_neg"] += 1
            v = sat16(raw)
            if v >= layer.threshold:
                fired.append(n)
                counts[n] += 1
                v = sat16(v - layer.threshold) if layer.reset_sub else layer.reset
                st.refr[n] = t + 1 + layer.refractory
            st.v[n] = v
        if fired:
            out_words.append(time_word(t))
            out_words.extend(spike_word(*layer.neuron_coords(n)) for n in fired)
            res["out_spikes"] += len(fired)
    out_words.append(END_WORD)
    res.update(words=out_words, counts=counts, v=list(st.v), state=st)
    return res


# --- the input encoding ----------------------------------------------------------------------
def encode_raster(pixels, T, gain, threshold, phase):
    """pixels (N, 784) or (N, 28, 28) uint8 -> bool raster (N, T, 784): pixel spikes per step."""
    p = np.asarray(pixels, dtype=np.int64).reshape(len(pixels), -1)
    p = np.where((p >= threshold) & (p > 0), p, 0)
    t = np.arange(T + 1, dtype=np.int64)
    cum = (phase + t[None, :, None] * (p * gain)[:, None, :]) >> 16  # (N, T + 1, 784)
    return np.diff(cum, axis=1).astype(bool)


def encode_stream(pixels, T, gain, threshold, phase, bias=None):
    """One image (784 pixels) -> the input stream words. bias: None or (n, c, y, x0)."""
    r = encode_raster(np.asarray(pixels).reshape(1, -1), T, gain, threshold, phase)[0]
    words = []
    for t in range(T):
        sp = [spike_word(0, i // 28, i % 28) for i in np.nonzero(r[t])[0]]
        if bias is not None:
            n, c, y, x0 = bias
            sp += [spike_word(c, y, x0 + j) for j in range(n)]
        if sp:
            words.append(time_word(t))
            words.extend(sp)
    words.append(END_WORD)
    return words


# --- vectorised FC runner --------------------------------------------------------------------
def leak_vec(v, mode, amount):
    if mode == LEAK_LINEAR:
        return v - np.sign(v) * np.minimum(np.abs(v), amount)
    if mode == LEAK_SHIFT:
        return v - (v >> amount)
    return v


def run_fc_dense(raster, W, threshold, reset=0, leak_mode=LEAK_NONE, leak=0, reset_sub=False,
                 refractory=0):
    """raster (N, T, IN) 0/1, W (IN, OUT) int -> (out raster bool (N, T, OUT), counts (N, OUT)
    int64, v (N, OUT) int64). Bit-exact with run_layer on an FC layer with CLEAR, the steps of the
    stream being t = 0..T-1 (steps with no input spike are not touched)."""
    raster = np.asarray(raster)
    n, T, _ = raster.shape
    W = np.asarray(W, dtype=np.int64)
    if int(np.abs(W).sum(axis=0).max(initial=0)) >= 2**24:
        raise ValueError("per-step sums not exact in float32")
    Wf = W.astype(np.float32)
    out_n = W.shape[1]
    v = np.zeros((n, out_n), dtype=np.int64)
    refr = np.zeros((n, out_n), dtype=np.int64)
    last = np.zeros(n, dtype=np.int64)
    counts = np.zeros((n, out_n), dtype=np.int64)
    out = np.zeros((n, T, out_n), dtype=bool)
    any_in = raster.any(axis=2)
    for t in range(T):
        m = any_in[:, t]
        if not m.any():
            continue
        if leak_mode != LEAK_NONE:
            dt = np.where(m, t - last, 0)
            for k in range(int(dt.max(initial=0))):
                sel = dt > k
                v[sel] = leak_vec(v[sel], leak_mode, leak)
        last[m] = t
        acc = (raster[:, t, :].astype(np.float32) @ Wf).astype(np.int64)
        live = m[:, None] & (t >= refr)
        nv = np.clip(v + acc, -32768, 32767)
        fire = live & (nv >= threshold)
        if reset_sub:
            nv = np.where(fire, np.clip(nv - threshold, -32768, 32767), nv)
        else:
            nv = np.where(fire, reset, nv)
        v = np.where(live, nv, v)
        refr = np.where(fire, t + 1 + refractory, refr)
        counts += fire
        out[:, t, :] = fire
    return out, counts, v


# --- the fmnist network ----------------------------------------------------------------------
class Net:
    """The 2-layer FC spiking network of model_snn.h."""

    def __init__(self, T, gain, enc_threshold, phase, w0, w1, l0, l1, bias=None, in_h=28):
        self.T, self.gain, self.enc_threshold, self.phase = T, gain, enc_threshold, phase
        self.w0 = np.asarray(w0, dtype=np.int64)  # (inputs, hidden): W[in][out]
        self.w1 = np.asarray(w1, dtype=np.int64)  # (hidden, out)
        if self.w0.ndim != 2 or self.w1.ndim != 2 or self.w0.shape[1] != self.w1.shape[0]:
            raise ValueError("w0 (in, hidden) and w1 (hidden, out) do not chain")
        self.l0, self.l1 = dict(l0), dict(l1)  # threshold, reset, leak_mode, leak, reset_sub, refractory
        self.bias = bias  # None or (n, c, y, x0)
        self.in_h = in_h

    def input_raster(self, pixels, gain=None):
        g = self.gain if gain is None else gain
        r = encode_raster(pixels, self.T, g, self.enc_threshold, self.phase)
        n = r.shape[0]
        full = np.zeros((n, self.T, self.w0.shape[0]), dtype=bool)
        full[:, :, :784] = r
        if self.bias is not None:
            nb, c, y, x0 = self.bias
            for j in range(nb):
                full[:, :, (y * 28 + x0 + j) * 1 + c] = True  # in_c = 1: c = 0
        return full, r

    def run_dense(self, pixels, gain=None, chunk=CHUNK):
        """-> dict of per-image arrays: pred, counts, v, in_spikes (with bias), pix_spikes,
        hidden_spikes, synops, sat (output membranes at a saturation bound)."""
        parts = []
        for s in range(0, len(pixels), chunk):
            full, r = self.input_raster(pixels[s:s + chunk], gain)
            hid, hc, _ = run_fc_dense(full, self.w0, **self.l0)
            _, oc, ov = run_fc_dense(hid, self.w1, **self.l1)
            score = oc * self.l1["threshold"] + ov
            ins = full.sum(axis=(1, 2))
            hs = hc.sum(axis=1)
            parts.append({"pred": np.argmax(score, axis=1), "counts": oc, "v": ov,
                          "in_spikes": ins, "pix_spikes": r.sum(axis=(1, 2)), "hidden_spikes": hs,
                          "synops": ins * self.w0.shape[1] + hs * self.w1.shape[1],
                          "sat": (np.abs(ov) >= 32767).any(axis=1)})
        return {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}

    def layers(self):
        l0 = Layer(FC, (1, self.in_h, 28), self.w0.shape[1], weights=self.w0, **self.l0)
        l1 = Layer(FC, (self.w0.shape[1], 1, 1), self.w1.shape[1], weights=self.w1, **self.l1)
        return l0, l1

    def run_events(self, pixels, gain=None):
        """One image through the event-driven runner: dict pred, counts, v, in_spikes,
        hidden_spikes, synops, words (of each stage)."""
        g = self.gain if gain is None else gain
        l0, l1 = self.layers()
        words = encode_stream(pixels, self.T, g, self.enc_threshold, self.phase, self.bias)
        r0 = run_layer(l0, words)
        r1 = run_layer(l1, r0["words"])
        score = [c * l1.threshold + v for c, v in zip(r1["counts"], r1["v"])]
        return {"pred": int(np.argmax(score)), "counts": r1["counts"], "v": r1["v"],
                "in_spikes": r0["in_spikes"], "hidden_spikes": r0["out_spikes"],
                "synops": r0["synops"] + r1["synops"], "words": (words, r0["words"], r1["words"])}


def layer_params(d, prefix):
    return {"threshold": d[prefix + "THRESHOLD"], "reset": d[prefix + "RESET"],
            "leak_mode": d[prefix + "LEAK_MODE"], "leak": d[prefix + "LEAK"],
            "reset_sub": bool(d[prefix + "RESET_SUB"]), "refractory": d[prefix + "REFRACTORY"]}


def net_from_header(path):
    model = parse_snn_header(path)
    d, a = model["defines"], model["arrays"]
    nb = d.get("SNN_BIAS_INPUTS", 0)
    bias = (nb, d["SNN_BIAS_C"], d["SNN_BIAS_Y"], d["SNN_BIAS_X0"]) if nb else None
    n_in = d["SNN_IN_C"] * d["SNN_IN_H"] * d["SNN_IN_W"]
    w0 = a["snn_w0"].reshape(n_in, d["SNN_HIDDEN"])
    w1 = a["snn_w1"].reshape(d["SNN_HIDDEN"], d["SNN_OUT"])
    net = Net(d["SNN_T"], d["SNN_ENC_GAIN"], d["SNN_ENC_THRESHOLD"], d["SNN_ENC_PHASE"], w0, w1,
              layer_params(d, "SNN_L0_"), layer_params(d, "SNN_L1_"), bias, in_h=d["SNN_IN_H"])
    return net, model


def parse_snn_header(path):
    """defines and arrays of a generated header (with the generated headers it includes)."""
    import re
    text = intmodel._read_generated(path)
    if "fmnist_images" not in text:  # test_slice.h comes from the fmnist app's include directory
        inc = os.path.join(os.path.dirname(path), "..", "fmnist", "test_slice.h")
        if os.path.isfile(inc):
            text = intmodel._read_generated(inc) + "\n" + text
    defines = {}
    for name, value in re.findall(r"^[ \t]*#define[ \t]+(\w+)[ \t]+(.+?)[ \t]*$", text, flags=re.M):
        try:
            defines[name] = int(value, 0)
        except ValueError:
            defines[name] = value
    arrays = {}
    array_re = r"static\s+const\s+(u?int(?:8|16|32)_t)\s+(\w+)((?:\[[^\]]*\])+)\s*=\s*\{(.*?)\}\s*;"
    for ctype, name, _dims, body in re.findall(array_re, text, flags=re.S):
        vals = np.array(intmodel._ints(body), dtype=np.int64)
        bits = int(re.search(r"\d+", ctype).group())
        lo, hi = (0, 2**bits - 1) if ctype.startswith("u") else (-(2**(bits - 1)), 2**(bits - 1) - 1)
        if vals.size and (vals.min() < lo or vals.max() > hi):
            raise ValueError(f"{path}: {name} has values outside {ctype}")
        arrays[name] = vals
    return {"defines": defines, "arrays": arrays}


# --- the check -------------------------------------------------------------------------------
def check_header(path, data_dir, events=20):
    fails = []
    net, model = net_from_header(path)
    d, a = model["defines"], model["arrays"]
    test_images, test_labels = intmodel.load_split(data_dir, "t10k")
    t0 = time.time()
    res = net.run_dense(test_images)
    correct = int((res["pred"] == test_labels).sum())
    ppm = correct * 1000000 // len(test_labels)
    act = int(res["pix_spikes"].sum()) * 1000000 // (len(test_labels) * 784 * net.T)
    print(f"snn: reference {correct}/{len(test_labels)} = {ppm / 1e4:.2f} % on the test set "
          f"(header SNN_ACCURACY_PPM {d.get('SNN_ACCURACY_PPM')}; integer MLP "
          f"{d.get('SNN_INT_ACCURACY_PPM')}); input activity {act} ppm; "
          f"{time.time() - t0:.1f} s")
    if ppm != d.get("SNN_ACCURACY_PPM"):
        fails.append(f"accuracy {ppm} ppm != SNN_ACCURACY_PPM {d.get('SNN_ACCURACY_PPM')}")

    n = d.get("FMNIST_SLICE", 0)
    images = a["fmnist_images"].reshape(-1, 28, 28)
    labels = a["fmnist_labels"]
    if not n or len(images) != n or not np.array_equal(images, test_images[:n]) \
            or not np.array_equal(labels, test_labels[:n]):
        fails.append("the embedded slice is not the first FMNIST_SLICE test images and labels")
        return fails
    sl = net.run_dense(images)
    exp = {"pred": a["snn_expected"], "counts": a["snn_expected_counts"].reshape(n, -1),
           "v": a["snn_expected_membrane"].reshape(n, -1),
           "in_spikes": a["snn_expected_in_spikes"], "hidden_spikes": a["snn_expected_hidden_spikes"],
           "synops": a["snn_expected_synops"]}
    names = {"pred": "snn_expected", "counts": "snn_expected_counts", "v": "snn_expected_membrane",
             "in_spikes": "snn_expected_in_spikes", "hidden_spikes": "snn_expected_hidden_spikes",
             "synops": "snn_expected_synops"}
    for k, e in exp.items():
        got = sl[k].reshape(e.shape)
        if got.shape != e.shape or not np.array_equal(got, e):
            bad = np.nonzero((got != e).reshape(n, -1).any(axis=1))[0]
            fails.append(f"{names[k]} differs on {len(bad)} images (first: {bad[0] if len(bad) else '?'})")
    t0 = time.time()
    for i in range(min(events, n)):
        ev = net.run_events(images[i])
        for k in exp:
            if not np.array_equal(np.asarray(ev[k]), sl[k][i]):
                fails.append(f"slice image {i}: event-driven {k} {ev[k]} != vectorised {sl[k][i]}")
    print(f"slice: event-driven runner == vectorised on the first {min(events, n)} images "
          f"({time.time() - t0:.1f} s)")
    sc = int((sl["pred"] == labels).sum())
    print(f"slice: {sc}/{n} correct (header SNN_SLICE_CORRECT {d.get('SNN_SLICE_CORRECT')})")
    if sc != d.get("SNN_SLICE_CORRECT"):
        fails.append(f"slice correct {sc} != SNN_SLICE_CORRECT {d.get('SNN_SLICE_CORRECT')}")

    ns = d.get("SNN_SWEEP_N", 0)
    gains = a.get("snn_sweep_gain", np.zeros(0))
    if ns and len(gains) == ns:
        for k, g in enumerate(gains):
            r = net.run_dense(test_images, gain=int(g))
            acc = int((r["pred"] == test_labels).sum()) * 1000000 // len(test_labels)
            act = int(r["pix_spikes"].sum()) * 1000000 // (len(test_labels) * 784 * net.T)
            print(f"sweep gain {int(g)}: accuracy {acc} ppm, activity {act} ppm")
            if acc != a["snn_sweep_accuracy_ppm"][k] or act != a["snn_sweep_activity_ppm"][k]:
                fails.append(f"sweep {k} (gain {int(g)}): {acc} / {act} ppm != header "
                             f"{a['snn_sweep_accuracy_ppm'][k]} / {a['snn_sweep_activity_ppm'][k]}")
    elif ns:
        fails.append("snn_sweep_gain does not hold SNN_SWEEP_N entries")
    return fails


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", metavar="HEADER", required=True, help="a generated model_snn.h")
    ap.add_argument("--data", default=DEFAULT_DATA, help="directory of the idx .gz files")
    ap.add_argument("--events", type=int, default=20,
                    help="slice images cross-checked with the event-driven runner")
    args = ap.parse_args(argv)
    try:
        fails = check_header(args.check, args.data, args.events)
    except (OSError, ValueError, KeyError) as e:
        print(f"error: {args.check}: {e}", file=sys.stderr)
        return 2
    for f in fails:
        print(f"FAIL: {f}", file=sys.stderr)
    if not fails:
        print("OK")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())

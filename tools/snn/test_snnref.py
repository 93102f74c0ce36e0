#!/usr/bin/python3
"""Self test of snnref.py: the event-driven runner against the vectorised one (random FC layers,
every leak mode, both reset modes, refractory periods, saturation, int4 and int8), hand-computed
CONV and SPARSE cases, the stream errors and the input encoding. Exits non-zero on a failure."""
import os
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy as np  # noqa: E402

import snnref as S  # noqa: E402

FAILS = []


def check(cond, what):
    if not cond:
        FAILS.append(what)
        print(f"FAIL: {what}")


def raster_stream(r, shape, repeat_marker=False, implicit_zero=False):
    """A (T, IN) 0/1 raster -> stream words (inputs in index order; HWC index)."""
    in_c, in_h, in_w = shape
    words = []
    for t in range(r.shape[0]):
        idx = np.nonzero(r[t])[0]
        if not len(idx):
            continue
        sp = [S.spike_word(i % in_c, (i // in_c) // in_w, (i // in_c) % in_w) for i in idx]
        if not (implicit_zero and t == 0 and not words):
            words.append(S.time_word(t))
        if repeat_marker and len(sp) > 1:  # split the step by a repeated marker, reversed order
            h = len(sp) // 2
            words.extend(sp[h:] + [S.time_word(t)] + sp[:h])
        else:
            words.extend(sp)
    return words + [S.END_WORD]


def raster_to_words(out, layer):
    words = []
    for t in range(out.shape[0]):
        idx = np.nonzero(out[t])[0]
        if len(idx):
            words.append(S.time_word(t))
            words.extend(S.spike_word(*layer.neuron_coords(int(n))) for n in idx)
    return words + [S.END_WORD]


def test_fc_random():
    rng = np.random.default_rng(7)
    cases = 0
    sat = [0, 0]
    for int4 in (False, True):
        for leak_mode, leak in ((S.LEAK_NONE, 0), (S.LEAK_LINEAR, 3), (S.LEAK_SHIFT, 2)):
            for reset_sub in (False, True):
                for refractory in (0, 2):
                    for big in (False, True):
                        in_c, in_h, in_w, out_c = 2, 3, 4, 7
                        n_in = in_c * in_h * in_w
                        T = 30 if big else 12
                        if int4:
                            W = rng.integers(-8, 8, size=(n_in, out_c))
                        elif big:
                            W = rng.integers(-128, 128, size=(n_in, out_c)) + 0
                            W[:, :3] = 127  # drives some neurons into +32767
                            W[:, 3:5] = -128  # and some into -32768
                        else:
                            W = rng.integers(-40, 41, size=(n_in, out_c))
                        thr = 32767 if big else int(rng.integers(20, 80))
                        reset = 0 if reset_sub else int(rng.integers(-30, min(thr, 30)))
                        p = dict(threshold=thr, reset=reset, leak_mode=leak_mode, leak=leak,
                                 reset_sub=reset_sub, refractory=refractory)
                        wts = S.pack_int4(W) if int4 else W
                        layer = S.Layer(S.FC, (in_c, in_h, in_w), out_c, weights=wts, int4=int4, **p)
                        check(np.array_equal(layer.W, W), "int4 pack/unpack" if int4 else "int8 W")
                        imgs = 3
                        dens = 0.9 if big else 0.3
                        r = rng.random((imgs, T, n_in)) < dens
                        r[:, 4, :] = False  # a step without input: no touch, no leak at 4
                        r[1, 5:9, :] = False
                        out, counts, v = S.run_fc_dense(r, W, **p)
                        for i in range(imgs):
                            words = raster_stream(r[i], (in_c, in_h, in_w), repeat_marker=(i == 1),
                                                  implicit_zero=(i == 2))
                            ev = S.run_layer(layer, words)
                            tag = f"fc int4={int4} leak={leak_mode} sub={reset_sub} refr={refractory} big={big} img {i}"
                            check(ev["words"] == raster_to_words(out[i], layer), tag + ": output words")
                            check(list(counts[i]) == ev["counts"], tag + ": counts")
                            check(list(v[i]) == ev["v"], tag + ": membranes")
                            check(ev["in_spikes"] == int(r[i].sum()), tag + ": in spikes")
                            check(ev["synops"] == int(r[i].sum()) * out_c, tag + ": synops")
                            cases += 1
                            sat[0] += ev["sat_pos"]
                            sat[1] += ev["sat_neg"]
    check(sat[0] > 0 and sat[1] > 0, f"saturation at both bounds reached ({sat})")
    return cases


def test_lazy_leak_hand():
    # one input, one neuron, weight 100, threshold 1000: touched at steps 0 and 5
    for mode, amount, expect in ((S.LEAK_LINEAR, 7, 100 - 35 + 100), (S.LEAK_SHIFT, 1, 4 + 100),
                                 (S.LEAK_NONE, 0, 200)):
        layer = S.Layer(S.FC, (1, 1, 1), 1, weights=[[100]], threshold=1000, leak_mode=mode, leak=amount)
        ev = S.run_layer(layer, [S.time_word(0), S.spike_word(0, 0, 0), S.time_word(5),
                                 S.spike_word(0, 0, 0), S.END_WORD])
        check(ev["v"] == [expect], f"lazy leak mode {mode}: {ev['v']} != {expect}")
    # shift leak of a negative value reaches 0; linear leak stops at 0
    check(S.leak_n(-5, S.LEAK_SHIFT, 3, 100) == 0, "shift leak of -5 -> 0")
    check(S.leak_n(-5, S.LEAK_LINEAR, 3, 1) == -2 and S.leak_n(-5, S.LEAK_LINEAR, 3, 2) == 0, "linear leak")
    check(S.leak_n(7, S.LEAK_SHIFT, 3, 100) == 7, "shift leak stops below 2^s")


def test_conv_hand():
    # 1 x 3 x 3 input, 1 output channel, k = 3, W[0][ky][kx][0] = ky * 3 + kx + 1
    W = np.arange(1, 10).reshape(1, 3, 3, 1)
    layer = S.Layer(S.CONV, (1, 3, 3), 1, k=3, weights=W.reshape(9, 1), threshold=3)
    ev = S.run_layer(layer, [S.time_word(0), S.spike_word(0, 0, 0), S.END_WORD])
    # the corner spike reaches (0,0) w 5, (0,1) w 4, (1,0) w 2, (1,1) w 1 only
    check(ev["synops"] == 4 and ev["in_spikes"] == 1, f"conv corner synops {ev['synops']}")
    check(ev["v"] == [0, 0, 0, 2, 1, 0, 0, 0, 0], f"conv corner membranes {ev['v']}")
    check(ev["words"] == [S.time_word(0), S.spike_word(0, 0, 0), S.spike_word(0, 0, 1), S.END_WORD],
          f"conv corner output {ev['words']}")
    check(ev["counts"] == [1, 1, 0, 0, 0, 0, 0, 0, 0], "conv corner counts")
    # random conv (k 3 and 5, 2 -> 3 channels, int8 and int4), one step, no fire: v = sat16(conv)
    rng = np.random.default_rng(3)
    for k in (1, 3, 5):
        for int4 in (False, True):
            in_c, h, w, oc = 2, 5, 6, 3
            Wk = rng.integers(-8, 8, size=(in_c, k, k, oc)) if int4 else rng.integers(-128, 128, size=(in_c, k, k, oc))
            x = rng.random((in_c, h, w)) < 0.5
            rows = Wk.reshape(in_c * k * k, oc)
            layer = S.Layer(S.CONV, (in_c, h, w), oc, k=k, int4=int4,
                            weights=S.pack_int4(rows) if int4 else rows, threshold=32767)
            words = [S.time_word(3)] + [S.spike_word(c, y, xx) for c, y, xx in zip(*np.nonzero(x))] + [S.END_WORD]
            ev = S.run_layer(layer, words)
            p = k // 2
            xp = np.zeros((in_c, h + 2 * p, w + 2 * p), dtype=np.int64)
            xp[:, p:p + h, p:p + w] = x
            ref = np.zeros((h, w, oc), dtype=np.int64)
            for y0 in range(h):
                for x0 in range(w):
                    ref[y0, x0] = np.einsum("cij,cijo->o", xp[:, y0:y0 + k, x0:x0 + k], Wk)
            check(ev["v"] == list(np.clip(ref, -32768, 32767).reshape(-1)), f"conv k {k} int4 {int4}")


def test_sparse_hand():
    rp = [0, 2, 2, 5]
    ent = [S.sparse_entry(1, 10), S.sparse_entry(3, -5), S.sparse_entry(1, 7), S.sparse_entry(0, 0),
           S.sparse_entry(3, 100)]
    words = [S.time_word(0), S.spike_word(0, 0, 0), S.spike_word(0, 0, 1), S.time_word(2),
             S.spike_word(0, 0, 2), S.spike_word(0, 0, 0), S.END_WORD]
    for refractory, expect_v2 in ((0, [0, 9, 0, -6]), (1, [0, -1, 0, -1])):
        layer = S.Layer(S.SPARSE, (1, 1, 3), 4, row_ptr=rp, entries=ent, threshold=15, reset=-2,
                        leak_mode=S.LEAK_LINEAR, leak=1, refractory=refractory)
        ev = S.run_layer(layer, words)
        check(ev["words"] == [S.time_word(2), S.spike_word(1, 0, 0), S.spike_word(3, 0, 0), S.END_WORD],
              f"sparse output {ev['words']}")
        check(ev["counts"] == [0, 1, 0, 1] and ev["v"] == [0, -2, 0, -2], f"sparse state {ev['v']}")
        check(ev["synops"] == 7 and ev["touched"] == 5 and ev["in_spikes"] == 4 and ev["steps"] == 2,
              f"sparse stats {ev['synops']} {ev['touched']} {ev['steps']}")
        # continue without CLEAR: step 3, input 0 (refractory 1: neurons 1 and 3 drop it)
        ev2 = S.run_layer(layer, [S.time_word(3), S.spike_word(0, 0, 0), S.END_WORD], state=ev["state"])
        check(ev2["v"] == expect_v2, f"sparse continued refractory {refractory}: {ev2['v']} != {expect_v2}")
    try:
        S.Layer(S.SPARSE, (1, 1, 3), 4, row_ptr=rp, entries=ent[:-1] + [S.sparse_entry(4, 1)], threshold=1)
        check(False, "sparse target outside the layer accepted")
    except ValueError:
        pass
    try:
        S.Layer(S.SPARSE, (1, 1, 3), 4, row_ptr=[0, 3, 2, 5], entries=ent, threshold=1)
        check(False, "decreasing row_ptr accepted")
    except ValueError:
        pass


def test_stream_errors():
    shape = (2, 3, 4)
    T, E, sp = S.time_word, S.END_WORD, S.spike_word
    cases = [
        ([T(0), sp(0, 0, 0), 0x30000000, E], 2, "unknown op"),
        ([T(0), sp(0, 0, 0) | (1 << 24), E], 1, "SPIKE reserved"),
        ([T(0), E | 1], 1, "END reserved"),
        ([T(3), sp(0, 0, 0), T(2), E], 2, "decreasing time"),
        ([T(0), sp(2, 0, 0), E], 1, "channel outside"),
        ([sp(0, 3, 0), E], 0, "y outside"),
        ([T(1), sp(0, 0, 1), sp(1, 2, 4), E], 2, "x outside"),
        ([T(0), sp(0, 0, 0)], 2, "missing END"),
    ]
    for words, idx, what in cases:
        try:
            S.parse_stream(words, shape)
            check(False, f"stream error not raised: {what}")
        except ValueError as e:
            check(str(e).startswith(f"word {idx}:"), f"{what}: message {e!r} does not name word {idx}")
    # accepted: repeated step, spikes before the first marker, words after END ignored
    st = S.parse_stream([sp(1, 2, 3), T(0), sp(0, 0, 0), T(0), T(4), E, 0xFFFFFFFF], shape)
    check(st == [(0, [(1, 2, 3)]), (0, [(0, 0, 0)]), (0, []), (4, [])], f"stream parse {st}")
    check(S.decode(sp(5, 6, 7)) == ("spike", 5, 6, 7) and S.decode(T(123)) == ("time", 123), "decode")


def test_encoding():
    rng = np.random.default_rng(5)
    pix = rng.integers(0, 256, size=(4, 784))
    for T, g, th, ph in ((16, 256, 0, 32768), (10, 37, 40, 0), (5, 256, 255, 65535)):
        r = S.encode_raster(pix, T, g, th, ph)
        for i in range(2):
            for j in range(0, 784, 13):
                p = int(pix[i, j])
                a, exp = ph, []
                for t in range(T):
                    if p < th or p == 0:
                        exp.append(False)
                        continue
                    a += p * g
                    exp.append(a >= 65536)
                    if a >= 65536:
                        a -= 65536
                check(list(r[i, :, j]) == exp, f"encoding T {T} g {g} pixel {p}")
        words = S.encode_stream(pix[0], T, g, th, ph, bias=(2, 0, 28, 0))
        st = S.parse_stream(words, (1, 29, 28))
        n_sp = sum(len(s) for _, s in st)
        check(n_sp == int(r[0].sum()) + 2 * T, "encode_stream spikes (with bias inputs)")
        check([t for t, _ in st] == list(range(T)), "encode_stream markers")


def test_net():
    """A small random 2-layer net with bias inputs: event-driven == vectorised."""
    rng = np.random.default_rng(11)
    w0 = rng.integers(-20, 21, size=(29 * 28, 6))
    w0[784 + 3:] = 0
    w1 = rng.integers(-60, 61, size=(6, 4))
    net = S.Net(8, 200, 30, 32768, w0, w1, dict(threshold=300, reset_sub=True),
                dict(threshold=100, reset=-5, leak_mode=S.LEAK_SHIFT, leak=3, refractory=1),
                bias=(3, 0, 28, 0), in_h=29)
    pix = rng.integers(0, 256, size=(3, 784)) * (rng.random((3, 784)) < 0.4)
    d = net.run_dense(pix)
    for i in range(3):
        ev = net.run_events(pix[i])
        for k in ("pred", "counts", "v", "in_spikes", "hidden_spikes", "synops"):
            check(np.array_equal(np.asarray(ev[k]), d[k][i]), f"net image {i}: {k}")


def main():
    t0 = time.time()
    n = test_fc_random()
    test_lazy_leak_hand()
    test_conv_hand()
    test_sparse_hand()
    test_stream_errors()
    test_encoding()
    test_net()
    print(f"{n} random FC streams; {len(FAILS)} failures; {time.time() - t0:.1f} s")
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())

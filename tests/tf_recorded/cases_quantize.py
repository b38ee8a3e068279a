"""Recorded cases: the quantize family (tf.quantize, quantize_v2, dequantize, quantized_concat, the
tf.quantization namespace, quantize_and_dequantize and _v2) and quantized tensors as constants, feeds and fetches."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error_text, grads, kernel_error, run, run_error, sig

# values on both sides of zero, exact ties of several scales, and values past every range used below
X = np.array([-7.0, -3.5, -1.0, -0.5, -0.31, -1e-6, 0.0, 1e-6, 0.25, 0.3, 0.5, 0.77, 1.0, 1.5, 2.5, 6.1],
             np.float32)
RANGES = [(-1.0, 1.0), (0.0, 6.0), (-3.5, 2.25), (2.0, 5.0), (-5.0, -2.0), (1.0, 1.0), (-0.001, 0.001),
          (-6.0, 0.0)]
QTYPES = ("qint8", "quint8", "qint16", "quint16", "qint32")


def _grid(seed, n=40, scale=4.0):
    rng = np.random.default_rng(seed)
    return np.concatenate([X, (rng.standard_normal(n) * scale).astype(np.float32)])


def _quantized(tf, mode, round_mode="HALF_AWAY_FROM_ZERO", narrow_range=False, types=QTYPES, x=X):
    out = []
    for t in types:
        for lo, hi in RANGES:
            out.append(list(tf.quantize(tf.constant(x), lo, hi, getattr(tf, t), mode=mode, round_mode=round_mode,
                                        narrow_range=narrow_range)))
    return out


def _flat(groups):
    return [t for g in groups for t in g]


def case_quantized_tensors(tf):
    c = tf.constant([(1,), (2,), (250,)], dtype=tf.quint8)
    c2 = tf.constant(np.array([-3, 0, 7], np.int8), dtype=tf.qint8)
    c3 = tf.constant(np.array([5, 6], tf.qint32.as_numpy_dtype))
    p = tf.placeholder(tf.qint16, [None])
    outs = [c, c2, c3, tf.identity(p), tf.reshape(c, [3, 1]), tf.concat([c2, c2], 0)]
    bad = [error_text(lambda: tf.constant(5, dtype=tf.qint8)), error_text(lambda: tf.constant([1, 2], tf.quint8)),
           error_text(lambda: tf.constant([(1.5,)], tf.quint8))]
    return [[sig(t) for t in outs], bad, run(tf, outs, {p: [-300, 4, 32767]}),
            run(tf, [tf.identity(p)], {p: np.array([1, 2], np.int16)})]


def case_quantize_graph(tf):
    x = tf.placeholder(tf.float32, [None, 3])
    a = tf.quantize(x, -1.0, 1.0, tf.quint8)
    b = tf.quantize_v2(x, -2, 2, tf.qint8, name="qv2", round_mode="HALF_TO_EVEN", mode="SCALED")
    c = tf.quantization.quantize(x, [-1.0, -2.0, -3.0], [1.0, 2.0, 3.0], tf.qint16, mode="SCALED", axis=-1,
                                 narrow_range=True, ensure_minimum_range=0.5)
    d = tf.dequantize(a.output, a.output_min, a.output_max)
    e = tf.quantization.dequantize(c[0], c[1], c[2], mode="SCALED", axis=1, narrow_range=True,
                                   dtype=tf.bfloat16, name="deq")
    f = tf.dequantize(b.output, b.output_min, b.output_max, mode="SCALED", axis=None)
    u = tf.quantize(tf.placeholder(tf.float32), 0.0, 1.0, tf.qint32, mode="MIN_FIRST")
    v = tf.quantize(x, tf.placeholder(tf.float32, [None]), tf.placeholder(tf.float32), tf.quint16, axis=0)
    return [describe(tf), type(a).__name__, list(a._fields), [sig(t) for t in list(u) + list(v) + [d, e, f]]]


def case_quantize_min_combined(tf):
    x = _grid(1)
    outs = _flat(_quantized(tf, "MIN_COMBINED", x=x))
    return run(tf, outs)


def case_quantize_min_first(tf):
    x = _grid(2)
    outs = _flat(_quantized(tf, "MIN_FIRST", x=x))
    return run(tf, outs)


def case_quantize_scaled(tf):
    x = _grid(3)
    outs = _flat(_quantized(tf, "SCALED", x=x) + _quantized(tf, "SCALED", "HALF_TO_EVEN", True, x=x))
    return run(tf, outs)


def case_quantize_ensure_minimum_range(tf):
    x = tf.constant(X)
    outs = [list(tf.quantize(x, lo, hi, tf.qint8, mode=m, ensure_minimum_range=e))
            for lo, hi in [(0.0, 0.0), (-0.2, -0.1), (3.0, 3.0), (-1.0, 1.0)] for e in (0.0, 0.3, 2.0)
            for m in ("MIN_COMBINED", "MIN_FIRST", "SCALED")]
    return run(tf, _flat(outs))


def case_quantize_axis(tf):
    x = tf.constant(_grid(4, 44).reshape(3, 4, 5))
    lo, hi = [-1.0, 0.0, -3.0, 2.0], [1.0, 6.0, 0.5, 3.0]
    outs = [list(tf.quantize(x, lo, hi, getattr(tf, t), mode=m, axis=1, narrow_range=n))
            for t in ("qint8", "quint8", "qint32") for m in ("MIN_COMBINED", "SCALED") for n in (False, True)]
    outs.append(list(tf.quantize(x, [-1.0] * 5, [2.0] * 5, tf.qint8, mode="SCALED", axis=-1)))
    outs.append(list(tf.quantize(tf.reshape(x, [1, 60]), [-1.0], [2.0], tf.qint8, axis=0)))
    deq = [tf.dequantize(q, a, b, mode="SCALED", axis=1) for q, a, b in outs[2:4]]
    return [[sig(t) for t in _flat(outs) + deq], run(tf, _flat(outs) + deq)]


def case_dequantize(tf):
    rng = np.random.default_rng(5)
    out = []
    for t, lo, hi in (("qint8", -128, 127), ("quint8", 0, 255), ("qint16", -32768, 32767), ("quint16", 0, 65535),
                      ("qint32", -2 ** 31, 2 ** 31 - 1)):
        v = np.concatenate([[lo, hi, 0, 1, -1 if lo else 2], rng.integers(lo, hi, 20, endpoint=True)])
        p = tf.placeholder(getattr(tf, t), [None])
        # (TF 2.21's oneDNN build hands SCALED qint32 to a kernel it lacks: a NotFoundError there)
        for mode in ("MIN_COMBINED", "MIN_FIRST", "SCALED")[:2 if t == "qint32" else 3]:
            for a, b in [(-1.0, 1.0), (0.0, 6.0), (-3.5, 2.25), (2.0, 2.0), (-6.0, 0.0)]:
                out.append(run(tf, [tf.dequantize(p, a, b, mode=mode)], {p: v}))
        out.append(run(tf, [tf.dequantize(p, -3.5, 2.25, dtype=tf.bfloat16)], {p: v}))
        if t != "qint32":
            out.append(run(tf, [tf.dequantize(p, -3.5, 2.25, mode="SCALED", narrow_range=True)], {p: v}))
    return out


def case_quantize_round_trip(tf):
    x = tf.placeholder(tf.float32, [None, 4])
    outs = []
    for t in (tf.quint8, tf.qint8, tf.qint16, tf.quint16):
        # (TF's oneDNN build hands MIN_FIRST of an 8-bit type over a fed input to _MklQuantizeV2, which rounds
        # differently: those are checked over constants in case_quantize_min_first)
        for mode in ("MIN_COMBINED", "MIN_FIRST", "SCALED") if t.size == 2 else ("MIN_COMBINED", "SCALED"):
            q = tf.quantize(x, -2.0, 3.0, t, mode=mode)
            outs.append(tf.dequantize(q.output, q.output_min, q.output_max, mode=mode))
    return run(tf, outs, {x: _grid(6, 44).reshape(15, 4)})


def case_quantize_build_errors(tf):
    x = tf.placeholder(tf.float32, [None, 3])
    qx = tf.placeholder(tf.qint8, [None, 3])
    r = tf.placeholder(tf.float32)
    m3 = [-1.0, -1.0, -1.0]
    return [error_text(f) for f in [
        lambda: tf.quantize(r, m3, m3, tf.qint8, axis=-1),
        lambda: tf.quantize(x, m3, m3, tf.qint8, axis=5),
        lambda: tf.quantize(x, [-1.0, 1.0], [1.0, 2.0], tf.qint8, axis=1),
        lambda: tf.quantize(x, -1.0, 1.0, tf.qint8, axis=1),
        lambda: tf.quantize(x, [-1.0], [1.0], tf.qint8),
        lambda: tf.quantize(x, -1.0, 1.0, tf.qint8, mode="FOO"),
        lambda: tf.quantize(x, -1.0, 1.0, tf.qint8, round_mode="UP"),
        lambda: tf.quantize(x, -1.0, 1.0, tf.int8),
        lambda: tf.quantize(tf.placeholder(tf.float64), -1.0, 1.0, tf.qint8),
        lambda: tf.dequantize(qx, -1.0, 1.0, dtype=tf.float64),
        lambda: tf.dequantize(x, -1.0, 1.0),
        lambda: tf.dequantize(qx, m3, m3, axis=5),
        lambda: tf.dequantize(qx, -1.0, 1.0, axis=5),
        lambda: tf.dequantize(qx, m3, m3, axis=2),
        lambda: tf.dequantize(qx, [-1.0, 1.0], [1.0, 2.0], axis=1),
        lambda: tf.dequantize(qx, -1.0, 1.0, axis=1),
        lambda: tf.dequantize(tf.placeholder(tf.qint8), [-1.0], [1.0], axis=0),
        lambda: tf.dequantize(tf.placeholder(tf.qint8), -1.0, 1.0, axis=-1),
        lambda: tf.dequantize(qx, [-1.0], [1.0]),
        lambda: tf.dequantize(qx, -1.0, 1.0, mode="BAR")]]


def case_quantize_kernel_errors(tf):
    x = tf.placeholder(tf.float32, [None, None])
    lo, hi = tf.placeholder(tf.float32), tf.placeholder(tf.float32)
    qx = tf.placeholder(tf.quint8, [None, None])
    q16 = tf.placeholder(tf.qint16)
    v = np.arange(6, dtype=np.float32).reshape(2, 3)
    feed = {x: v, lo: 1.0, hi: -1.0}
    vec = {x: v, lo: [-1.0, -1.0], hi: [1.0, 1.0]}
    return [kernel_error(tf, tf.quantize(x, lo, hi, tf.qint8).output, feed),
            kernel_error(tf, tf.quantize(x, lo, hi, tf.qint8, mode="SCALED").output, feed),
            kernel_error(tf, tf.quantize(x, lo, hi, tf.qint8, mode="MIN_FIRST").output, feed),
            kernel_error(tf, tf.quantize(x, -1.0, 1.0, tf.qint8, round_mode="HALF_TO_EVEN").output, {x: v}),
            kernel_error(tf, tf.quantize(x, -1.0, 1.0, tf.qint8, mode="MIN_FIRST", round_mode="HALF_TO_EVEN"),
                         {x: v}),
            kernel_error(tf, tf.quantize(x, lo, hi, tf.qint8, axis=1, mode="SCALED").output,
                         {x: v, lo: [-1.0, 1.0, 0.0], hi: [1.0, 0.5, 1.0]}),
            kernel_error(tf, tf.quantize(x, lo, hi, tf.qint8, axis=1, mode="MIN_FIRST").output,
                         {x: v, lo: [-1.0] * 3, hi: [1.0] * 3}),
            kernel_error(tf, tf.quantize(x, lo, hi, tf.qint8, axis=1).output, vec),
            kernel_error(tf, tf.quantize(x, lo, hi, tf.qint8).output, {x: v, lo: [-1.0, 1.0], hi: 2.0}),
            kernel_error(tf, tf.quantize(x, lo, hi, tf.qint8, axis=0).output, vec),
            kernel_error(tf, tf.dequantize(qx, lo, hi, axis=1), {qx: v, lo: [-1.0, -1.0], hi: [1.0, 1.0]}),
            kernel_error(tf, tf.dequantize(qx, lo, hi, axis=1, mode="MIN_FIRST"),
                         {qx: v, lo: [-1.0] * 3, hi: [1.0] * 3}),
            kernel_error(tf, tf.dequantize(qx, lo, hi), {qx: v, lo: [-1.0, 1.0], hi: 2.0}),
            kernel_error(tf, tf.dequantize(qx, lo, hi, axis=1), {qx: v, lo: [-1.0] * 3, hi: [1.0] * 2}),
            kernel_error(tf, tf.dequantize(q16, -1.0, 1.0, mode="SCALED", dtype=tf.bfloat16), {q16: v}),
            kernel_error(tf, tf.dequantize(qx, -1.0, 1.0, mode="MIN_FIRST", dtype=tf.bfloat16), {qx: v}),
            kernel_error(tf, tf.dequantize(qx, lo, hi, axis=0), {qx: v, lo: [-1.0] * 2, hi: [1.0] * 2}),
            run(tf, list(tf.quantize(x, lo, hi, tf.qint8, axis=1, mode="SCALED")),
                {x: v[:, :1], lo: [-1.0], hi: [2.0]})]


def case_quantized_concat(tf):
    rng = np.random.default_rng(7)
    a8, b8 = rng.integers(0, 256, (2, 3)), rng.integers(0, 256, (2, 2))
    a32, b32 = rng.integers(-2 ** 31, 2 ** 31 - 1, (3, 2)), rng.integers(-2 ** 31, 2 ** 31 - 1, (1, 2))
    pa, pb = tf.placeholder(tf.quint8, [2, None]), tf.placeholder(tf.quint8, [None, None])
    qa, qb = tf.placeholder(tf.qint32, [None, 2]), tf.placeholder(tf.qint32, [None, 2])
    outs = [tf.quantized_concat(1, [pa, pb], [-1.0, 0.0], [1.0, 3.0]),
            tf.quantized_concat(1, [pa, pb], [0.5, 0.5], [2.0, 2.0]),
            tf.quantized_concat(1, [pb, pa, pb], [-2.0, 0.0, 1.0], [2.0, 0.0, 1.5], name="three"),
            tf.quantization.quantized_concat(0, [qa, qb], [-1.0, -4.0], [3.0, 1.0]),
            tf.quantized_concat(0, [qa, qb], [-2.0, -2.0], [2.0, 2.0]),
            tf.quantized_concat(0, [qb, qa], [0.0, 1.0], [5.0, 7.0])]
    feed = {pa: a8, pb: b8, qa: a32, qb: b32}
    return [describe(tf), [sig(t) for o in outs for t in o], run(tf, [t for o in outs for t in o], feed)]


def case_quantized_concat_errors(tf):
    p2, p3 = tf.placeholder(tf.quint8, [2, 3]), tf.placeholder(tf.quint8, [2, None])
    u = tf.placeholder(tf.quint8)
    d = tf.placeholder(tf.int32)
    build = [error_text(f) for f in [
        lambda: tf.quantized_concat(0, [p2], [-1.0], [1.0]),
        lambda: tf.quantized_concat(0, [p2, tf.placeholder(tf.quint8, [2, 4])], [-1.0, -2.0], [1.0, 2.0]),
        lambda: tf.quantized_concat(0, [p2, tf.placeholder(tf.quint8, [2])], [-1.0, -2.0], [1.0, 2.0]),
        lambda: tf.quantized_concat(3, [p2, p3], [-1.0, -2.0], [1.0, 2.0]),
        lambda: tf.quantized_concat(0, [p2, tf.placeholder(tf.qint8, [2, 3])], [-1.0, -2.0], [1.0, 2.0]),
        lambda: tf.quantized_concat(0, [p2, p3], [[-1.0], [-2.0]], [1.0, 2.0]),
        lambda: tf.quantized_concat(0, [p2, p3], [-1.0], [1.0, 2.0]),
        lambda: tf.quantized_concat(0, [tf.placeholder(tf.quint8, []), u], [-1.0, -2.0], [1.0, 2.0]),
        lambda: tf.quantized_concat(d, [u, u], [-1.0, -2.0], [1.0, 2.0]).output.shape.as_list(),
        lambda: tf.quantized_concat(-1, [p2, p3], [-1.0, -2.0], [1.0, 2.0]).output.shape.as_list(),
        lambda: tf.quantized_concat(0, p2, [-1.0, -2.0], [1.0, 2.0])]]
    v = np.ones((2, 3), np.uint8)
    kernel = [kernel_error(tf, tf.quantized_concat(d, [u, u], [-1.0, -2.0], [1.0, 2.0]).output,
                           {d: 2, u: v}),
              kernel_error(tf, tf.quantized_concat(d, [u, u], [-1.0, -2.0], [1.0, 2.0]).output,
                           {d: -1, u: v}),
              kernel_error(tf, tf.quantized_concat(d, [u, p3], [-1.0, -2.0], [1.0, 2.0]).output,
                           {d: 0, u: v, p3: np.ones((2, 4), np.uint8)}),
              kernel_error(tf, tf.quantized_concat(d, [u, p3], [-1.0, -2.0], [1.0, 2.0]).output,
                           {d: 1, u: np.ones((2,), np.uint8), p3: v})]
    return [build, kernel]


def case_quantized_concat_any_type(tf):
    # the op takes any type (only quint8 and qint32 have kernels); not run: TF places every node of the graph
    return [sig(t) for t in tf.quantized_concat(0, [tf.constant([1.0]), tf.constant([2.0])], [-1.0, -2.0],
                                                [1.0, 2.0])]


def case_quantized_concat_no_kernel(tf):
    # only quint8 and qint32 have kernels; TF lists the node's attrs in no fixed order, so the class only
    i8 = tf.placeholder(tf.qint8, [2])
    return run_error(tf, tf.quantized_concat(0, [i8, i8], [-1.0, -1.0], [1.0, 1.0]).output, {i8: [1, 2]})


def case_quantize_and_dequantize(tf):
    x = _grid(8, 24)
    outs = []
    for dt in (tf.float32, tf.float64):
        xt = tf.constant(x.astype(dt.as_numpy_dtype))
        for signed in (True, False):
            for bits, narrow in ((8, False), (4, True), (2, False), (16, False)):
                outs.append(tf.quantization.quantize_and_dequantize(xt, -1.5, 2.0, signed_input=signed,
                                                                    num_bits=bits, range_given=True,
                                                                    narrow_range=narrow))
                outs.append(tf.quantization.quantize_and_dequantize_v2(xt, 0.0, 0.0, signed_input=signed,
                                                                       num_bits=bits, round_mode="HALF_UP",
                                                                       narrow_range=narrow))
        outs.append(tf.quantization.quantize_and_dequantize(xt, -0.5, 0.25, range_given=True, round_mode="HALF_UP"))
        outs.append(tf.quantization.quantize_and_dequantize_v2(xt, 0.0, 3.0, range_given=True))
        outs.append(tf.quantization.quantize_and_dequantize_v2(xt, -3.0, -1.0, range_given=True))
    outs.append(tf.quantization.quantize_and_dequantize_v2(tf.constant([-1.0, 0.5, 1.0]), 0.0, 0.0, True))
    outs.append(tf.quantization.quantize_and_dequantize(tf.constant([0.0, 0.0]), 0.0, 0.0))
    return [describe(tf)[:8], run(tf, outs)]


def case_quantize_and_dequantize_axis(tf):
    x = tf.placeholder(tf.float32, [3, None, 4])
    v = _grid(9, 44).reshape(3, 5, 4)
    outs = [tf.quantization.quantize_and_dequantize(x, [0.0] * 3, [0.0] * 3, axis=0),
            tf.quantization.quantize_and_dequantize_v2(x, [-1.0, 0.0, -2.0, 1.0], [1.0, 3.0, 0.5, 2.0],
                                                       axis=-1, num_bits=3, round_mode="HALF_UP"),
            tf.quantization.quantize_and_dequantize_v2(x, [0.0] * 4, [0.0] * 4, axis=2, signed_input=False)]
    return [[sig(t) for t in outs], run(tf, outs, {x: v})]


def case_quantize_and_dequantize_gradients(tf):
    x = tf.placeholder(tf.float32, [15, 4])
    v = _grid(10, 44).reshape(15, 4)
    w = tf.constant(np.cos(np.arange(60.0)).reshape(15, 4).astype(np.float32))
    y1 = tf.quantization.quantize_and_dequantize(x, -1.0, 2.0, range_given=True)
    y2 = tf.quantization.quantize_and_dequantize_v2(x, -1.0, 2.0, range_given=True, name="v4")
    y3 = tf.quantization.quantize_and_dequantize_v2(x, [-1.0, 0.0, -2.0, 0.5], [1.0, 1.0, 1.5, 3.0], axis=1)
    return [grads(tf, tf.reduce_sum(w * y1), [x], {x: v}), grads(tf, tf.reduce_sum(w * y2), [x], {x: v}),
            grads(tf, tf.reduce_sum(w * y3), [x], {x: v})]


def case_quantize_and_dequantize_errors(tf):
    x = tf.placeholder(tf.float32, [None, 3])
    u = tf.placeholder(tf.float32)
    lo, hi = tf.placeholder(tf.float32), tf.placeholder(tf.float32)
    qd, qd2 = tf.quantization.quantize_and_dequantize, tf.quantization.quantize_and_dequantize_v2
    build = [error_text(f) for f in [
        lambda: qd(x, [-1.0, -1.0], [1.0, 1.0], axis=1),
        lambda: qd(x, -1.0, 1.0, axis=1),
        lambda: qd(x, -1.0, 1.0, axis=5),
        lambda: qd(x, [-1.0], [1.0]),
        lambda: qd(x, -1.0, 1.0, round_mode="HALF_AWAY_FROM_ZERO"),
        lambda: qd(tf.placeholder(tf.int32), -1, 1),
        lambda: qd(u, -1.0, 1.0, axis=-1),
        lambda: qd2(x, [-1.0], [1.0], axis=5),
        lambda: qd2(x, [-1.0], [1.0], axis=-5),
        lambda: qd2(x, [-1.0], 1.0),
        lambda: qd2(x, -1.0, 1.0, num_bits="8")]]
    v = np.ones((2, 3), np.float32)
    kernel = [kernel_error(tf, qd(x, lo, hi, range_given=True), {x: v, lo: 1.0, hi: -1.0}),
              kernel_error(tf, qd2(x, lo, hi, range_given=True, axis=1), {x: v, lo: [1.0, 0, 0], hi: [-1.0, 1, 1]}),
              kernel_error(tf, qd(x, -1.0, 1.0, num_bits=0), {x: v}),
              kernel_error(tf, qd2(x, -1.0, 1.0, num_bits=62), {x: v}),
              kernel_error(tf, qd2(x, -1.0, 1.0, num_bits=62, signed_input=False), {x: v}),
              kernel_error(tf, qd2(u, lo, hi, axis=1, range_given=True), {u: v, lo: [-1.0, 0], hi: [1.0, 1]}),
              kernel_error(tf, qd2(u, lo, hi, axis=2, range_given=True), {u: v, lo: [-1.0] * 3, hi: [1.0] * 3}),
              kernel_error(tf, qd(u, lo, hi, range_given=True), {u: v, lo: [-1.0], hi: 1.0}),
              kernel_error(tf, qd2(u, lo, hi), {u: v, lo: [-1.0], hi: 1.0}),
              kernel_error(tf, qd2(u, lo, hi, axis=1, range_given=True), {u: v, lo: -1.0, hi: [1.0] * 3}),
              kernel_error(tf, qd2(u, lo, hi, axis=1, range_given=True), {u: v, lo: [-1.0] * 3, hi: 1.0}),
              kernel_error(tf, qd2(u, lo, hi, axis=1, range_given=True), {u: v, lo: [-1.0] * 3, hi: [1.0] * 3}),
              kernel_error(tf, qd(u, lo, hi, range_given=True), {u: v, lo: -1.0, hi: [1.0]}),
              kernel_error(tf, qd2(u, lo, hi, axis=5), {u: v, lo: 0.0, hi: 0.0}),
              kernel_error(tf, qd2(x, -1.0, 1.0, num_bits=63, signed_input=False), {x: v}),
              run(tf, [qd2(u, lo, hi, axis=1), qd2(u, lo, hi)], {u: v - 0.5, lo: [-1.0] * 2, hi: 2.0}),
              run(tf, [qd2(u, lo, hi), qd2(u, lo, hi, axis=1)], {u: np.zeros((0, 2)), lo: 0.0, hi: [0.0]}),
              run(tf, [qd2(x, -1.0, 1.0, num_bits=40), qd(x, -1.0, 1.0, num_bits=61, signed_input=False)],
                  {x: v * 0.3})]
    return [build, kernel]


def case_quantize_and_dequantize_half(tf):
    # no CPU kernel for half: TF places every node when a session starts, so this op gets a graph of its own
    return run_error(tf, tf.quantization.quantize_and_dequantize(tf.constant([1.0], tf.float16), -1.0, 1.0))


def case_quantization_namespace(tf):
    return sorted(n for n in dir(tf.quantization) if not n.startswith("_") and n != "experimental")

"""Recorded cases: the quantized tf.nn ops (quantized_avg_pool, quantized_max_pool, quantized_relu_x,
quantized_conv2d), as TF 2.21's default build runs them (oneDNN for the pools and the quint8 x qint8 conv).

TF places every node of a graph before it runs any, so a node without a kernel fails every run of its graph:
such nodes get a graph of their own here."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error, error_text, kernel_error, run, sig

POOL_GEOMETRIES = [((2, 7, 9, 3), (3, 3), (2, 2), "SAME"), ((1, 6, 6, 2), (2, 3), (1, 2), "VALID"),
                   ((1, 5, 7, 1), (1, 2), (3, 3), "SAME"), ((1, 4, 4, 1), (1, 1), (1, 1), "VALID"),
                   ((3, 8, 5, 4), (4, 5), (4, 1), "SAME"), ((1, 9, 9, 1), (2, 2), (3, 3), "VALID"),
                   ((2, 3, 14, 2), (1, 14), (1, 1), "VALID"), ((1, 6, 10, 1), (2, 5), (2, 5), "SAME")]
CONV_GEOMETRIES = [((1, 4, 5, 2), (2, 3, 2, 3), 1, "SAME"), ((2, 6, 7, 3), (3, 3, 3, 2), 2, "SAME"),
                   ((1, 7, 7, 1), (1, 1, 1, 2), 4, "SAME"), ((1, 9, 9, 2), (1, 1, 2, 1), 5, "VALID"),
                   ((1, 6, 6, 2), (2, 2, 2, 2), 3, "VALID"), ((1, 5, 5, 1), (5, 5, 1, 1), 1, "VALID"),
                   ((1, 3, 3, 1), (4, 4, 1, 1), 1, "SAME"), ((1, 8, 8, 1), (3, 3, 1, 1), 3, "VALID"),
                   ((1, 10, 10, 1), (2, 2, 1, 1), 4, "SAME")]
# the zero level of each input range: inside, below (min > 0: TF's reference functor), above 255, min == max
RANGES = [(-1.0, 2.0, -0.5, 0.5), (0.5, 2.0, -1.0, 1.0), (-3.0, -1.0, 0.2, 1.0), (0.0, 1.0, 0.0, 0.0),
          (-1.0, 1.0, 1.0, 1.0), (-100.0, -99.0, -1.0, 1.0), (2.0, -1.0, 0.3, -0.7)]


def _bits(values):
    """Fetched float32 results (run's [dtype, value] pairs) as their bit patterns, compared exactly."""
    return [np.asarray(v[1], np.float32).view(np.int32) for v in values]


def _start(out, n):
    """A kernel error with its message cut after n characters (where TF's text goes on in a random order), less
    the node suffix (TF's "Missing 1-th output" errors have none)."""
    return out if not isinstance(out, list) else [out[0], out[1].split(" [[{{node")[0][:n]]


def _no_kernel(tf, build, feed_values):
    """The start of TF's "No OpKernel" error for a graph holding only what `build` makes."""
    with tf.Graph().as_default():
        outs = build()
        feed = {p: v for p, v in zip(outs[0].op.inputs, feed_values)}
        out = kernel_error(tf, outs[0], feed)
        return _start(out, out[1].find("with these attrs: [") + 19) if isinstance(out, list) else out


def _sigs_of(fn, *args, **kw):
    """A call building ops, returning their outputs' signatures (for error_text)."""
    return lambda: [sig(t) for t in fn(*args, **kw)]


def _levels(rng, dtype, shape):
    info = np.iinfo(np.dtype(dtype.as_numpy_dtype)[0])
    return rng.integers(info.min, info.max + 1, shape).astype(info.dtype)


# ----- pools ----------------------------------------------------------------------------------------------------
def case_pool_graph(tf):
    x = tf.placeholder(tf.quint8, [None, 6, None, 4])
    lo, hi = tf.placeholder(tf.float32), tf.placeholder(tf.float32, [])
    a = tf.nn.quantized_avg_pool(x, lo, hi, [1, 2, 3, 1], [1, 2, 2, 1], "SAME")
    m = tf.nn.quantized_max_pool(x, -1.0, 1, (1, 3, 2, 1), (1, 1, 2, 1), b"VALID", name="mp")
    depth = tf.nn.quantized_max_pool(tf.placeholder(tf.qint8, [2, 5, 5, 6]), lo, hi, [1, 1, 1, 3], [1, 1, 1, 3],
                                     "VALID")
    avg_depth = tf.nn.quantized_avg_pool(tf.placeholder(tf.qint8, [2, 5, 5, 6]), lo, hi, [1, 1, 1, 3],
                                         [1, 1, 1, 3], "VALID")
    unknown = tf.nn.quantized_avg_pool(tf.placeholder(tf.qint32), 0.0, 1.0, [1, 2, 2, 1], [1, 2, 2, 1], "VALID")
    odd = tf.nn.quantized_max_pool(x, lo, hi, [2, 2, 2.0, 1], [1, 1, 1, 2], "SAME")
    outs = [a, m, depth, avg_depth, unknown, odd]
    return [describe(tf), [type(o).__name__ for o in outs], list(a._fields), [sig(t) for o in outs for t in o]]


def case_pool_values(tf):
    rng = np.random.default_rng(11)
    outs, feed = [], {}
    for dtype in (tf.quint8, tf.qint8):
        for shape, k, s, padding in POOL_GEOMETRIES:
            p = tf.placeholder(dtype)
            feed[p] = _levels(rng, dtype, shape)
            for fn in (tf.nn.quantized_avg_pool, tf.nn.quantized_max_pool):
                outs += list(fn(p, -1.5, 2.5, [1, *k, 1], [1, *s, 1], padding))
    got = run(tf, outs, feed)
    return [[sig(t) for t in outs], [v for i, v in enumerate(got) if i % 3 == 0], _bits(got[1::3] + got[2::3])]


def case_avg_pool_ties(tf):
    """Window sums at every remainder of their count: oneDNN rounds sum * f32(1 / count) half to even."""
    outs = []
    for k in (2, 3, 4, 6, 8, 12, 14, 20, 30):
        sums = np.arange(0, 255 * k, max(1, k // 2))
        cells = np.stack([np.full(k, v // k) + (np.arange(k) < v % k) for v in sums])
        for dtype, shift in ((tf.quint8, 0), (tf.qint8, 128)):
            x = (cells.reshape(1, 1, -1, 1) - shift).astype(np.dtype(dtype.as_numpy_dtype)[0])
            outs.append(tf.nn.quantized_avg_pool(tf.constant(x, dtype), 0.0, 1.0, [1, 1, k, 1], [1, 1, k, 1],
                                                 "VALID").output)
    edge = np.arange(1, 26, dtype=np.uint8).reshape(1, 5, 5, 1) * 9
    outs.append(tf.nn.quantized_avg_pool(tf.constant(edge, tf.quint8), 0.0, 1.0, [1, 3, 3, 1], [1, 2, 2, 1],
                                         "SAME").output)
    return run(tf, outs)


def case_pool_ranges_pass_through(tf):
    x = tf.placeholder(tf.quint8, [1, 2, 2, 1])
    lo, hi = tf.placeholder(tf.float32), tf.placeholder(tf.float32)
    outs = list(tf.nn.quantized_avg_pool(x, lo, hi, [1, 2, 2, 1], [1, 1, 1, 1], "VALID"))
    outs += list(tf.nn.quantized_max_pool(x, lo, hi, [1, 2, 2, 1], [1, 1, 1, 1], "SAME"))
    v = np.array([[[[3], [250]], [[7], [0]]]], np.uint8)
    return [run(tf, outs, {x: v, lo: 5.0, hi: -3.0}), _bits(run(tf, outs[1:3], {x: v, lo: 1e-30, hi: np.nan}))]


def case_pool_build_errors(tf):
    q = tf.placeholder(tf.quint8, [2, 5, 5, 3])
    out = []
    for fn in (tf.nn.quantized_max_pool, tf.nn.quantized_avg_pool):
        out.append([error_text(_sigs_of(fn, *args)) for args in [
            (q, -1.0, 1.0, [1, 2, 2], [1, 1, 1, 1], "SAME"),
            (q, -1.0, 1.0, [1, 2, 2, 1], [1, 1, 1, 1, 1], "SAME"),
            (q, -1.0, 1.0, [1, 2, 2], [1, 1, 1], "SAME"),
            (q, -1.0, 1.0, [1, 2, 2, 1], [1, 1, 1, 1], "FOO"),
            (q, -1.0, 1.0, [1, 6, 2, 1], [1, 1, 1, 1], "VALID"),
            (q, [-1.0], 1.0, [1, 2, 2, 1], [1, 1, 1, 1], "VALID"),
            (q, -1.0, [[1.0]], [1, 2, 2, 1], [1, 1, 1, 1], "VALID"),
            (tf.placeholder(tf.quint8, [5, 5, 3]), -1.0, 1.0, [1, 2, 2], [1, 1, 1, 1], "VALID"),
            (tf.placeholder(tf.float32, [2, 5, 5, 3]), -1.0, 1.0, [1, 2, 2, 1], [1, 1, 1, 1], "VALID"),
            (tf.placeholder(tf.uint8, [2, 5, 5, 3]), -1.0, 1.0, [1, 2, 2, 1], [1, 1, 1, 1], "VALID"),
            (q, -1.0, 1.0, [1, 2, 2, 1], [1, 0, 1, 1], "VALID"),
            (q, -1.0, 1.0, [1, 2, 2, 1], [1, 1, 1, 0], "SAME"),
            (q, -1.0, 1.0, (1, 2, 2, 1), 2, "VALID"),
            (q, -1.0, 1.0, 2, [1, 1, 1, 1], "VALID"),
            (q, -1.0, 1.0, [1, "2", 2, 1], [1, 1, 1, 1], "VALID"),
            (q, -1.0, 1.0, [1, 2, 2, 1], [1, 1, 1, 1], 3),
            (q, tf.constant(-1.0, tf.float64), 1.0, [1, 2, 2, 1], [1, 1, 1, 1], "VALID")]])
    return out


def case_pool_kernel_errors(tf):
    v = np.arange(2 * 5 * 5 * 4).reshape(2, 5, 5, 4).astype(np.uint8)
    out = []
    for dtype in (tf.quint8, tf.qint8):
        for fn in (tf.nn.quantized_max_pool, tf.nn.quantized_avg_pool):
            q = tf.placeholder(dtype)
            lo, hi = tf.placeholder(tf.float32), tf.placeholder(tf.float32)

            def err(ksize, strides, padding="VALID", x=v, low=-1.0, high=1.0, fn=fn, q=q, lo=lo, hi=hi):
                result = fn(q, lo, hi, ksize, strides, padding)
                return _start(kernel_error(tf, result, {q: x, lo: low, hi: high}), 60)
            out.append([err([1, 2, 2, 1], [1, 1, 1, 1], low=[-1.0, 1.0]),
                        err([1, 2, 2, 1], [1, 1, 1, 1], high=np.zeros((0,), np.float32)),
                        err([1, 2, 2, 1], [1, 1, 1, 1], low=[[-1.0]], high=[2.0]),
                        err([1, 2, 2, 1], [1, 1, 1, 1], x=v[0]),
                        err([1, 2, 2, 1], [1, 1, 1, 1], x=v[None]),
                        err([1, 2, 2, 1], [1, 1, 1, 1], x=v[0, 0]),
                        err([2, 2, 2, 1], [1, 1, 1, 1]),
                        err([1, 2, 2, 1], [2, 1, 1, 1]),
                        err([1, 1, 1, 2], [1, 1, 1, 2]),
                        err([1, 1, 1, 3], [1, 1, 1, 3]),
                        err([1, 1, 1, 2], [1, 1, 1, 1]),
                        err([1, 2, 1, 2], [1, 1, 1, 2]),
                        err([1, 6, 2, 1], [1, 1, 1, 1]),
                        err([1, 0, 2, 1], [1, 1, 1, 1]),
                        err([1, 2, 0, 1], [1, 1, 1, 1], "SAME"),
                        err([1, 2, 2, 1], [1, 1, 1, 1], x=np.zeros((0, 5, 5, 4), np.uint8)),
                        err([1, 2, 2, 1], [1, 1, 1, 1], x=np.zeros((1, 5, 5, 0), np.uint8)),
                        err([1, 2, 2, 1], [1, 1, 1, 1], "SAME", x=np.zeros((1, 0, 5, 2), np.uint8))])
    return out


def case_pool_empty_output(tf):
    q = tf.placeholder(tf.quint8)
    m = tf.nn.quantized_max_pool(q, -1.0, 1.0, [1, 6, 2, 1], [1, 1, 1, 1], "VALID")
    return run(tf, list(m), {q: np.ones((2, 5, 5, 4), np.uint8)})


def case_pool_no_kernel(tf):
    out = []
    for name in ("qint32", "qint16", "quint16"):
        for fn in (tf.nn.quantized_max_pool, tf.nn.quantized_avg_pool):
            def build(fn=fn, name=name):
                return fn(tf.placeholder(getattr(tf, name)), -1.0, 1.0, [1, 2, 2, 1], [1, 1, 1, 1], "VALID")
            out.append(_no_kernel(tf, build, [np.zeros((1, 3, 3, 1))]))
    return out


# ----- quantized_relu_x -------------------------------------------------------------------------------------
def case_relu_x_graph(tf):
    f = tf.placeholder(tf.quint8, [None, 3])
    a = tf.nn.quantized_relu_x(f, 6.0, -1.0, 1.0)
    b = tf.nn.quantized_relu_x(tf.placeholder(tf.qint32), 0.5, tf.placeholder(tf.float32), 2, out_type=tf.qint32,
                               name="rx")
    c = tf.nn.quantized_relu_x(tf.placeholder(tf.qint8, [2, None, 4]), 1.0, 0.0, 1.0, out_type=None)
    errors = [error_text(_sigs_of(tf.nn.quantized_relu_x, *args, **kw)) for args, kw in [
        ((f, [6.0], -1.0, 1.0), {}), ((f, 6.0, [-1.0], 1.0), {}), ((f, 6.0, -1.0, [[1.0]]), {}),
        ((f, 6.0, -1.0, 1.0), {"out_type": tf.float32}), ((f, 6.0, -1.0, 1.0), {"out_type": "foo"}),
        ((tf.placeholder(tf.float32), 6.0, -1.0, 1.0), {}), ((f, 6.0, -1.0, 1.0), {"out_type": 11})]]
    return [describe(tf), [type(o).__name__ for o in (a, b, c)], list(a._fields),
            [sig(t) for o in (a, b, c) for t in o], errors]


def case_relu_x_no_kernel(tf):
    out = []
    for t_in, t_out in (("quint8", "quint8"), ("qint32", "qint32"), ("qint8", "quint8")):
        def build(t_in=t_in, t_out=t_out):
            return tf.nn.quantized_relu_x(tf.placeholder(getattr(tf, t_in)), 1.0, -1.0, 1.0,
                                          out_type=getattr(tf, t_out))
        out.append(_no_kernel(tf, build, [np.zeros((2, 3))]))
    return out


# ----- quantized_conv2d -------------------------------------------------------------------------------------
def case_conv_graph(tf):
    x, w = tf.placeholder(tf.quint8, [None, 5, None, 4]), tf.placeholder(tf.quint8, [2, None, None, None])
    a = tf.nn.quantized_conv2d(x, w, -1.0, 1.0, -1.0, 1.0, [1, 2, 2, 1], "SAME")
    b = tf.nn.quantized_conv2d(tf.placeholder(tf.quint8), tf.placeholder(tf.qint8), tf.placeholder(tf.float32), 1,
                               -1.0, 1.0, (1, 2, 2, 1), b"VALID", out_type=tf.qint16, dilations=[1, 2, 1, 1],
                               name="qc")
    c = tf.nn.quantized_conv2d(tf.placeholder(tf.quint8, [None, 5, 7, 4]), tf.placeholder(tf.quint8, [None, 3, None, 2]),
                               -1.0, 1.0, -1.0, 1.0, [1, 2, 2, 1], "VALID", out_type=None, dilations=None)
    d = tf.nn.quantized_conv2d(tf.placeholder(tf.quint8, [2, 9, 8, 4]), tf.placeholder(tf.qint8, [3, 2, 2, 6]),
                               -1.0, 1.0, -1.0, 1.0, [1, 2, 3, 1], "VALID", dilations=[1, 2, 3, 1])
    outs = [a, b, c, d]
    return [describe(tf), [type(o).__name__ for o in outs], list(a._fields), [sig(t) for o in outs for t in o]]


def case_conv_build_errors(tf):
    x, w = tf.placeholder(tf.quint8, [2, 5, 5, 4]), tf.placeholder(tf.quint8, [2, 2, 4, 3])
    conv = tf.nn.quantized_conv2d

    def filt(*shape):
        return tf.placeholder(tf.quint8, shape)
    return [error_text(_sigs_of(conv, *args, **kw)) for args, kw in [
        ((x, w, -1.0, 1.0, -1.0, 1.0, [1, 1, 1], "SAME"), {}),
        ((x, w, -1.0, 1.0, -1.0, 1.0, [1, 1, 1, 1], "SAME"), {"dilations": [1, 1, 1]}),
        ((x, w, -1.0, 1.0, -1.0, 1.0, [1, 1, 1], "SAME"), {"dilations": [1, 1, 1, 1, 1]}),
        ((x, w, -1.0, 1.0, -1.0, 1.0, [1, 1, 1, 1], "EXPLICIT"), {}),
        ((x, filt(2, 2, 3, 3), -1.0, 1.0, -1.0, 1.0, [1, 1, 1, 1], "SAME"), {}),
        ((x, filt(2, 2, 2, 3), -1.0, 1.0, -1.0, 1.0, [1, 1, 1, 1], "SAME"), {}),
        ((x, filt(6, 2, 4, 3), -1.0, 1.0, -1.0, 1.0, [1, 1, 1, 1], "VALID"), {}),
        ((x, filt(3, 2, 4, 3), -1.0, 1.0, -1.0, 1.0, [1, 1, 1, 1], "VALID"), {"dilations": [1, 3, 1, 1]}),
        ((x, filt(2, 6, 4, 3), -1.0, 1.0, -1.0, 1.0, [1, 1, 1, 1], "VALID"), {}),
        ((x, filt(2, 2, 4), -1.0, 1.0, -1.0, 1.0, [1, 1, 1, 1], "VALID"), {}),
        ((filt(5, 5, 4), w, -1.0, 1.0, -1.0, 1.0, [1, 1, 1, 1], "VALID"), {}),
        ((x, w, [-1.0], 1.0, -1.0, 1.0, [1, 1, 1, 1], "SAME"), {}),
        ((x, w, -1.0, 1.0, -1.0, [[1.0]], [1, 1, 1, 1], "SAME"), {}),
        ((x, w, -1.0, 1.0, -1.0, 1.0, [1, 0, 1, 1], "SAME"), {}),
        ((x, w, -1.0, 1.0, -1.0, 1.0, [1, 1, 0, 1], "VALID"), {}),
        ((x, w, -1.0, 1.0, -1.0, 1.0, [1, 1, 1, 1], "SAME"), {"dilations": [1, 0, 1, 1]}),
        ((x, w, -1.0, 1.0, -1.0, 1.0, [1, 1, 1, 1], "SAME"), {"out_type": tf.float32}),
        ((x, w, -1.0, 1.0, -1.0, 1.0, [1, 1, 1, 1], "SAME"), {"out_type": 5}),
        ((x, w, -1.0, 1.0, -1.0, 1.0, [1, 1, 1, 1], "SAME"), {"out_type": "foo"}),
        ((x, w, -1.0, 1.0, -1.0, 1.0, (1, 1, 1, 1), "SAME"), {"dilations": 2}),
        ((x, w, -1.0, 1.0, -1.0, 1.0, 1, "SAME"), {}),
        ((x, tf.placeholder(tf.float32, [2, 2, 4, 3]), -1.0, 1.0, -1.0, 1.0, [1, 1, 1, 1], "SAME"), {}),
        ((tf.placeholder(tf.int8, [2, 5, 5, 4]), w, -1.0, 1.0, -1.0, 1.0, [1, 1, 1, 1], "SAME"), {}),
        ((x, w, -1.0, 1.0, -1.0, 1.0, [1, 2, 1, 1], "SAME"), {"dilations": [2, 1, 1, 1]})]]


def case_conv_reference_values(tf):
    """quint8 x quint8: TF's own kernel, its zero levels, window origins (shifted when a stride passes the
    filter) and fill, over every kind of range."""
    rng = np.random.default_rng(21)
    outs, feed = [], {}
    for shape, f_shape, stride, padding in CONV_GEOMETRIES:
        x, w = tf.placeholder(tf.quint8), tf.placeholder(tf.quint8)
        feed[x], feed[w] = _levels(rng, tf.quint8, shape), _levels(rng, tf.quint8, f_shape)
        for lo, hi, f_lo, f_hi in RANGES:
            outs += list(tf.nn.quantized_conv2d(x, w, lo, hi, f_lo, f_hi, [1, stride, stride, 1], padding))
    got = run(tf, outs, feed)
    return [[sig(t) for t in outs[:3]], got[0::3], _bits(got[1::3] + got[2::3])]


def case_conv_reference_overflow(tf):
    """int32 sums wrap around."""
    x = np.full((1, 3, 3, 300), 255, np.uint8)
    w = np.zeros((3, 3, 300, 2), np.uint8)
    w[..., 1] = 255
    outs = list(tf.nn.quantized_conv2d(tf.constant(x, tf.quint8), tf.constant(w, tf.quint8), 1.0, 2.0, 1.0, 2.0,
                                       [1, 1, 1, 1], "SAME"))
    return run(tf, outs)


def case_conv_onednn_values(tf):
    """quint8 x qint8 (a constant filter, which oneDNN needs): plain products over zero padding, dilations,
    unequal strides and groups, rescaled through float32."""
    rng = np.random.default_rng(31)
    outs, feed = [], {}
    geometries = [(s, f, [1, k, k, 1], p, [1, 1, 1, 1]) for s, f, k, p in CONV_GEOMETRIES]
    geometries += [((2, 9, 8, 3), (2, 3, 3, 2), [1, 1, 1, 1], "SAME", [1, 2, 2, 1]),
                   ((2, 9, 8, 3), (2, 3, 3, 2), [1, 2, 1, 1], "VALID", [1, 2, 1, 1]),
                   ((2, 9, 8, 3), (2, 3, 3, 2), [1, 1, 2, 1], "SAME", [1, 1, 3, 1]),
                   ((1, 4, 4, 4), (2, 2, 2, 4), [1, 1, 1, 1], "SAME", [1, 1, 1, 1]),
                   ((1, 5, 6, 6), (3, 2, 2, 6), [1, 2, 1, 1], "VALID", [1, 1, 2, 1])]
    for shape, f_shape, strides, padding, dilations in geometries:
        x = tf.placeholder(tf.quint8)
        feed[x] = _levels(rng, tf.quint8, shape)
        w = tf.constant(_levels(rng, tf.qint8, f_shape), tf.qint8)
        for lo, hi, f_lo, f_hi in RANGES + [(0.0, 0.0, -1.0, 1.0)]:
            outs += list(tf.nn.quantized_conv2d(x, w, lo, hi, f_lo, f_hi, strides, padding, dilations=dilations))
    got = run(tf, outs, feed)
    return [[sig(t) for t in outs[:3]], got[0::3], _bits(got[1::3] + got[2::3])]


def case_conv_onednn_large_sums(tf):
    """Sums past 2^24 lose bits in oneDNN's float32 rescaling."""
    rng = np.random.default_rng(41)
    outs = []
    for depth in (700, 2000, 5000):
        x = tf.constant(rng.integers(200, 256, (1, 3, 3, depth)).astype(np.uint8), tf.quint8)
        w = rng.integers(100, 128, (1, 1, depth, 4)) * np.array([1, -1, 1, -1])
        w[0, 0, :5, 2] = -128
        w = tf.constant(w.astype(np.int8), tf.qint8)
        for lo, hi, f_lo, f_hi in [(-1.0, 2.0, -0.5, 0.5), (0.0, 3.7, -0.013, 0.9), (-1e-3, 1e-3, -7.0, 3.0),
                                   (-5.0, 0.0, -1.0, 2.0)]:
            outs.append(tf.nn.quantized_conv2d(x, w, lo, hi, f_lo, f_hi, [1, 1, 1, 1], "SAME").output)
    return run(tf, outs)


def case_conv_reference_kernel_errors(tf):
    xv = np.arange(2 * 5 * 5 * 4).reshape(2, 5, 5, 4).astype(np.uint8)
    x, w = tf.placeholder(tf.quint8), tf.placeholder(tf.quint8)
    lo, hi, f_lo, f_hi = [tf.placeholder(tf.float32) for _ in range(4)]

    def err(strides, padding="SAME", xval=xv, w_shape=(2, 2, 4, 3), ranges=(-1.0, 1.0, -1.0, 1.0), **kw):
        out = tf.nn.quantized_conv2d(x, w, lo, hi, f_lo, f_hi, strides, padding, **kw)
        wv = (np.arange(np.prod(w_shape)) % 100).reshape(w_shape).astype(np.uint8)
        return kernel_error(tf, out, {x: xval, w: wv, **dict(zip((lo, hi, f_lo, f_hi), ranges))})
    return [err([1, 2, 1, 1]), err([2, 1, 1, 1]), err([1, 1, 1, 2]), err([1, 1, 1, 1], dilations=[1, 2, 2, 1]),
            err([1, 1, 1, 1], dilations=[2, 1, 1, 1]), err([1, 1, 1, 1], xval=xv[0]),
            err([1, 1, 1, 1], w_shape=(2, 2, 4)), err([1, 1, 1, 1], w_shape=(2, 2, 2, 3)),
            err([1, 1, 1, 1], ranges=([1.0, 2.0], 1.0, -1.0, 1.0)), err([1, 1, 1, 1], ranges=(-1.0, [1.0], -1.0, 1.0)),
            err([1, 1, 1, 1], ranges=(-1.0, 1.0, [[1.0]], 1.0)),
            err([1, 1, 1, 1], ranges=(-1.0, 1.0, -1.0, np.zeros(0, np.float32))),
            err([1, 1, 1, 1], "VALID", xval=xv[:, :2], w_shape=(5, 2, 4, 3))]


def case_conv_onednn_kernel_errors(tf):
    xv = np.arange(2 * 5 * 5 * 4).reshape(2, 5, 5, 4).astype(np.uint8)
    x = tf.placeholder(tf.quint8)
    lo, hi, f_lo, f_hi = [tf.placeholder(tf.float32) for _ in range(4)]
    w = tf.constant((np.arange(48) % 100 - 50).reshape(2, 2, 4, 3).astype(np.int8), tf.qint8)

    def err(strides, xval=xv, ranges=(-1.0, 1.0, -1.0, 1.0), **kw):
        out = tf.nn.quantized_conv2d(x, w, lo, hi, f_lo, f_hi, strides, "SAME", **kw)
        return kernel_error(tf, out, {x: xval, **dict(zip((lo, hi, f_lo, f_hi), ranges))})
    ranges = (-1.0, [1.0], np.float32(-1.0), 1.0)
    return [err([2, 1, 1, 1]), err([1, 1, 1, 2]), err([1, 1, 1, 1], dilations=[2, 1, 1, 1]),
            err([1, 1, 1, 1], dilations=[1, 1, 1, 2]), err([1, 1, 1, 1], xval=xv[..., :2]),
            err([1, 1, 1, 1], ranges=(-1.0, 1.0, [[1.0]], 1.0)), err([1, 1, 1, 1], ranges=ranges),
            run(tf, list(tf.nn.quantized_conv2d(x, w, lo, hi, f_lo, f_hi, [1, 1, 1, 1], "SAME")),
                {x: xv, **dict(zip((lo, hi, f_lo, f_hi), ranges))})]


def case_conv_no_kernel(tf):
    out = []
    for t_in, t_filter, t_out in (("qint8", "qint8", "qint32"), ("quint8", "quint8", "quint8"),
                                  ("qint8", "quint8", "qint32"), ("quint16", "qint8", "qint32")):
        def build(t_in=t_in, t_filter=t_filter, t_out=t_out):
            return tf.nn.quantized_conv2d(tf.placeholder(getattr(tf, t_in)), tf.placeholder(getattr(tf, t_filter)),
                                          -1.0, 1.0, -1.0, 1.0, [1, 1, 1, 1], "SAME", out_type=getattr(tf, t_out))
        out.append(_no_kernel(tf, build, [np.zeros((1, 3, 3, 1)), np.zeros((1, 1, 1, 1))]))
    return out


def case_no_gradients(tf):
    lo = tf.placeholder(tf.float32, [])
    x = tf.placeholder(tf.quint8, [1, 4, 4, 1])
    outs = [tf.nn.quantized_avg_pool(x, lo, 1.0, [1, 2, 2, 1], [1, 2, 2, 1], "VALID"),
            tf.nn.quantized_max_pool(x, lo, 1.0, [1, 2, 2, 1], [1, 2, 2, 1], "VALID"),
            tf.nn.quantized_relu_x(x, 6.0, lo, 1.0),
            tf.nn.quantized_conv2d(x, tf.placeholder(tf.quint8, [1, 1, 1, 1]), lo, 1.0, -1.0, 1.0, [1, 1, 1, 1],
                                   "SAME")]
    return [error(lambda o=o: tf.gradients(o[1], lo)) for o in outs]  # (raygraph words LookupError's text apart)

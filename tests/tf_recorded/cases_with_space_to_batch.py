"""Recorded cases: tf.nn.with_space_to_batch (SpaceToBatchND, `op` run VALID, BatchToSpaceND; the fast path for a
dilation rate of 1), with SAME/VALID/explicit padding, 1-D to 3-D, spatial_dims, NCHW, unknown shapes, gradients
and the build-time errors."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error, error_text, grads, run, run_error, sig

_r = np.random.RandomState(11)
X = _r.uniform(-1, 1, (2, 7, 6, 3)).astype(np.float32)
W = _r.uniform(-1, 1, (3, 2, 3, 4)).astype(np.float32)
X1 = _r.uniform(-1, 1, (2, 9, 3)).astype(np.float32)
W1 = _r.uniform(-1, 1, (3, 3, 2)).astype(np.float32)
X3 = _r.uniform(-1, 1, (1, 5, 6, 4, 2)).astype(np.float32)
W3 = _r.uniform(-1, 1, (2, 3, 2, 2, 3)).astype(np.float32)


def conv(tf, w):
    """An `op` for with_space_to_batch: an undilated convolution with the padding it is handed."""
    return lambda x, n, padding: tf.nn.convolution(x, w, padding)


def window(axes, k=2):
    """An `op` summing k neighbours along each of `axes` (a VALID box filter made of slices; any layout)."""
    def op(x, n, padding):
        assert padding == "VALID" and n == len(axes)
        for a in axes:
            parts = [x[(slice(None),) * a + (slice(i, i - k + 1 or None),)] for i in range(k)]
            x = sum(parts[1:], parts[0])
        return x
    return op


def wstb(tf, *args, **kwargs):
    return tf.nn.with_space_to_batch(*args, **kwargs)


def case_conv2d_same_and_valid(tf):
    x, w = tf.constant(X, name="x"), tf.constant(W, name="w")
    outs = [wstb(tf, x, [2, 3], "SAME", conv(tf, w), filter_shape=[3, 2]),
            wstb(tf, x, [2, 2], "VALID", conv(tf, w)),
            wstb(tf, input=x, dilation_rate=np.array([3, 1]), padding="SAME", op=conv(tf, w), filter_shape=W.shape),
            wstb(tf, x, (1, 2), "VALID", lambda v, n, p: tf.nn.conv2d(v, w, [1, 1, 1, 1], p))]
    return [describe(tf), [sig(t) for t in outs], run(tf, outs)]


def case_matches_dilated_convolution(tf):
    x, w = tf.constant(X), tf.constant(W)
    pairs = [(wstb(tf, x, [2, 3], "SAME", conv(tf, w), filter_shape=[3, 2]),
              tf.nn.convolution(x, w, "SAME", dilation_rate=[2, 3])),
             (wstb(tf, x, [2, 2], "VALID", conv(tf, w)), tf.nn.convolution(x, w, "VALID", dilation_rate=[2, 2]))]
    with tf.Session() as s:
        got = s.run(pairs)
    return [[float(np.abs(a - b).max()) for a, b in got], [list(a.shape) for a, _ in got]]


def case_conv1d(tf):
    x, w = tf.constant(X1, name="x"), tf.constant(W1, name="w")
    outs = [wstb(tf, x, [2], "SAME", conv(tf, w), filter_shape=[3, 3, 2]),
            wstb(tf, x, [3], "VALID", conv(tf, w)), wstb(tf, x, [4], "SAME", conv(tf, w), filter_shape=[3])]
    return [describe(tf), [sig(t) for t in outs], run(tf, outs)]


def case_conv3d(tf):
    x, w = tf.constant(X3, name="x"), tf.constant(W3, name="w")
    outs = [wstb(tf, x, [2, 1, 3], "SAME", conv(tf, w), filter_shape=W3.shape),
            wstb(tf, x, [1, 2, 2], "VALID", conv(tf, w))]
    return [describe(tf), [sig(t) for t in outs], run(tf, outs)]


def case_fast_path(tf):
    seen = []

    def op(x, n, padding):
        seen.append([sig(x), n, padding])
        return tf.identity(x, name="op")
    x = tf.constant(X, name="x")
    outs = [wstb(tf, x, [1, 1], "SAME", op), wstb(tf, x, np.array([1, 1]), "FOO", op),
            wstb(tf, x, tf.constant([1, 1]), [[0, 0], [1, 1]], op, spatial_dims=[1, 3]),
            wstb(tf, X, [1], "VALID", op, data_format="NCHW")]
    return [describe(tf), seen, [sig(t) for t in outs], run(tf, outs[:1])]


def case_op_arguments(tf):
    seen = []

    def op(x, n, padding):
        seen.append([sig(x), n, padding])
        return x
    x = tf.constant(X)
    outs = [wstb(tf, x, [2, 3], "SAME", op, filter_shape=[3, 3]), wstb(tf, x, [2, 1], "VALID", op),
            wstb(tf, x, [3], "VALID", op, spatial_dims=[2]), wstb(tf, x, [2, 2], "SAME", op, filter_shape=[1, 1])]
    return [seen, [sig(t) for t in outs], run(tf, outs)]


def case_unknown_spatial_dims(tf):
    x = tf.placeholder(tf.float32, [None, None, None, 3], name="x")
    w = tf.constant(W, name="w")
    outs = [wstb(tf, x, [2, 3], "SAME", conv(tf, w), filter_shape=[3, 2]), wstb(tf, x, [2, 2], "VALID", conv(tf, w))]
    return [describe(tf), [sig(t) for t in outs], run(tf, outs, {x: X}), run(tf, outs, {x: X[:1, :5, :4]})]


def case_unknown_batch_and_rank(tf):
    b = tf.placeholder(tf.float32, [None, 7, 6, 3], name="b")
    u = tf.placeholder(tf.float32, name="u")
    w = tf.constant(W, name="w")
    outs = [wstb(tf, b, [2, 3], "SAME", conv(tf, w), filter_shape=[3, 2]),
            wstb(tf, u, [2, 2], "VALID", conv(tf, w)), wstb(tf, u, [2, 1], "SAME", window([1, 2]), [2, 2])]
    return [describe(tf), [sig(t) for t in outs], run(tf, outs, {b: X[:1], u: X})]


def case_spatial_dims(tf):
    x4 = tf.constant(X.transpose(0, 3, 1, 2), name="x4")           # (2, 3, 7, 6)
    x5 = tf.constant(X3.transpose(0, 4, 1, 2, 3), name="x5")       # (1, 2, 5, 6, 4)
    outs = [wstb(tf, x4, [2, 3], "SAME", window([2, 3]), [2, 2], spatial_dims=[2, 3]),
            wstb(tf, x4, [2, 2], "VALID", window([1, 3]), spatial_dims=[1, 3]),
            wstb(tf, x5, [3, 2], "SAME", window([2, 4], 3), [3, 3], spatial_dims=(2, 4)),
            wstb(tf, x5, [2], "VALID", window([3]), spatial_dims=[3]),
            wstb(tf, tf.constant(X), [2, 3], "VALID", window([1, 2]), spatial_dims=[1, 2])]
    return [describe(tf), [sig(t) for t in outs], run(tf, outs)]


def case_spatial_dims_unknown_shape(tf):
    x = tf.placeholder(tf.float32, [None, 3, None, None], name="x")
    y = tf.placeholder(tf.float32, [2, None, 3, None, 4], name="y")
    outs = [wstb(tf, x, [2, 2], "SAME", window([1, 3]), [2, 2], spatial_dims=[1, 3]),
            wstb(tf, y, [3, 2], "VALID", window([1, 3]), spatial_dims=[1, 3])]
    feed = {x: X.transpose(0, 3, 1, 2)[:, :, :5], y: np.random.RandomState(12).uniform(-1, 1, (2, 5, 3, 7, 4)).astype(np.float32)}
    return [describe(tf), [sig(t) for t in outs], run(tf, outs, feed)]


def case_nchw(tf):
    xn = tf.constant(X.transpose(0, 3, 1, 2), name="xn")
    x1 = tf.constant(X1.transpose(0, 2, 1), name="x1")
    outs = [wstb(tf, xn, [2, 3], "SAME", window([2, 3]), [2, 2], data_format="NCHW"),
            wstb(tf, xn, [2, 2], "VALID", window([2, 3]), data_format="NCHW"),
            wstb(tf, x1, [3], "SAME", window([2], 3), [3], data_format="NCW"),
            wstb(tf, xn, [2, 2], "VALID", window([1, 2]), data_format="NHWC"),
            wstb(tf, xn, [2, 2], "VALID", window([1, 2]), data_format="CHWN")]
    return [describe(tf), [sig(t) for t in outs], run(tf, outs)]


def case_nchw_unknown_shapes(tf):
    x = tf.placeholder(tf.float32, [None, 3, None, None], name="x")
    u = tf.placeholder(tf.float32, name="u")
    out = wstb(tf, x, [2, 3], "SAME", window([2, 3]), [2, 2], data_format="NCHW")
    unknown_rank = error_text(lambda: wstb(tf, u, [2, 2], "VALID", window([2, 3]), data_format="NCHW"))
    return [describe(tf), sig(out), run(tf, [out], {x: X.transpose(0, 3, 1, 2)}), unknown_rank]


def case_nchw_conv2d(tf):
    xn = tf.constant(X.transpose(0, 3, 1, 2), name="xn")
    w = tf.constant(W, name="w")
    y = wstb(tf, xn, [2, 2], "SAME", lambda v, n, p: tf.nn.conv2d(v, w, [1, 1, 1, 1], p, data_format="NCHW"),
             filter_shape=[3, 2], data_format="NCHW")
    return [describe(tf), sig(y), run_error(tf, y)]


def case_explicit_padding(tf):
    x, w = tf.constant(X, name="x"), tf.constant(W, name="w")
    xn = tf.constant(X.transpose(0, 3, 1, 2), name="xn")
    outs = [wstb(tf, x, [2, 3], [[0, 0], [1, 2], [0, 1], [0, 0]], conv(tf, w)),
            wstb(tf, xn, [2, 2], ((0, 0), (0, 0), (2, 1), (1, 1)), window([2, 3]), data_format="NCHW")]
    return [describe(tf), [sig(t) for t in outs], run(tf, outs)]


def case_dilation_rate_tensor(tf):
    x, w = tf.constant(X, name="x"), tf.constant(W, name="w")
    r = tf.placeholder(tf.int32, [2], name="r")
    outs = [wstb(tf, x, r, "VALID", conv(tf, w)), wstb(tf, x, r, "SAME", conv(tf, w), filter_shape=[3, 2])]
    return [describe(tf), [sig(t) for t in outs], run(tf, outs, {r: [2, 3]}), run(tf, outs, {r: [1, 1]})]


def case_filter_shapes(tf):
    x = tf.constant(X, name="x")
    outs = [wstb(tf, x, [2, 2], "SAME", window([1, 2]), filter_shape=[2]),
            wstb(tf, x, [2, 3], "SAME", window([1, 2]), filter_shape=np.array([2, 2], np.int64)),
            wstb(tf, x, [2, 2], "SAME", window([1, 2]), filter_shape=tf.TensorShape([2, 2, 3, 3]))]
    return [describe(tf), [sig(t) for t in outs], run(tf, outs)]


def case_values_tf_does_not_fold(tf):
    """A rate behind an Add and a slice of a known Shape: TF's constant_value sees through neither, so both build
    as if unknown (static shapes left out: TF's shape inference does fold them)."""
    x = tf.constant(X, name="x")
    outs = [wstb(tf, x, tf.constant([2, 2]) + 0, "VALID", window([1, 2])),
            wstb(tf, x, tf.constant([1, 1]) + 0, "SAME", window([1, 2]), [2, 2])]
    outs += tf.required_space_to_batch_paddings(tf.shape(x)[1:3], [2, 4], [[1, 0], [2, 2]])
    computed_filter = error_text(lambda: wstb(tf, x, [2, 2], "SAME", window([1, 2]), tf.constant([2, 2]) + 0))
    return [[d[:3] for d in describe(tf)], run(tf, outs), computed_filter]


def case_dtypes_and_scope(tf):
    with tf.name_scope("outer"):
        d = wstb(tf, tf.constant(X.astype(np.float64)), [2, 2], "SAME", window([1, 2], 3), [3, 3])
        i = wstb(tf, tf.constant((X * 10).astype(np.int32)), [3], "VALID", window([1]))
    return [describe(tf), [sig(t) for t in (d, i)], run(tf, [d, i])]


def case_gradients(tf):
    x, w = tf.constant(X, name="x"), tf.constant(W, name="w")
    y = wstb(tf, x, [2, 3], "SAME", conv(tf, w), filter_shape=[3, 2])
    c = tf.constant(np.cos(np.arange(2 * 7 * 6 * 4)).reshape(2, 7, 6, 4).astype(np.float32))
    added, sigs, values = grads(tf, tf.reduce_sum(y * c), [x, w])
    return [[a for a in added if "Sum_grad" not in a[0]], sigs, values]   # (the loss's own gradient left out)


def case_gradients_unknown_shape(tf):
    x = tf.placeholder(tf.float32, [None, None, None, 3], name="x")
    w = tf.constant(W, name="w")
    y = wstb(tf, x, [2, 2], "VALID", conv(tf, w))
    gx, gw = tf.gradients(tf.reduce_sum(tf.square(y)), [x, w])
    return [[sig(gx), sig(gw)], run(tf, [gx, gw], {x: X})]


def case_gradients_1d_3d_nchw(tf):
    x1, w1 = tf.constant(X1), tf.constant(W1)
    x3, w3 = tf.constant(X3), tf.constant(W3)
    xn = tf.constant(X.transpose(0, 3, 1, 2))
    ys = [wstb(tf, x1, [2], "SAME", conv(tf, w1), filter_shape=[3]), wstb(tf, x3, [1, 2, 2], "VALID", conv(tf, w3)),
          wstb(tf, xn, [2, 3], "SAME", window([2, 3]), [2, 2], data_format="NCHW")]
    out = tf.gradients([tf.reduce_sum(tf.sin(y)) for y in ys], [x1, w1, x3, w3, xn])
    return [[sig(g) for g in out], run(tf, out)]


def case_dilation_rate_errors(tf):
    x = tf.constant(X)
    op = window([1, 2])
    return [error_text(lambda: wstb(tf, x, [[2, 2]], "VALID", op)),
            error_text(lambda: wstb(tf, x, 2, "VALID", op)),
            error_text(lambda: wstb(tf, x, tf.placeholder(tf.int32), "VALID", op)),
            error_text(lambda: wstb(tf, x, tf.placeholder(tf.int32, [None]), "VALID", op)),
            error_text(lambda: wstb(tf, x, [0, 2], "VALID", op)),
            error_text(lambda: wstb(tf, x, [1, -1], "VALID", op)),
            error_text(lambda: wstb(tf, x, [1.5, 2], "VALID", op)),
            error_text(lambda: wstb(tf, x, [], "VALID", op))]


def case_padding_errors(tf):
    x = tf.constant(X)
    op = window([1, 2])
    return [error_text(lambda: wstb(tf, x, [2, 2], "FOO", op)),
            error_text(lambda: wstb(tf, x, [2, 2], "same", op, filter_shape=[2, 2])),
            error_text(lambda: wstb(tf, x, [2, 2], "EXPLICIT", op)),
            error_text(lambda: wstb(tf, x, [2, 2], [[0, 0], [1, 1], [0, 0]], op)),
            error_text(lambda: wstb(tf, x, [2, 2], [[0, 0], 1, [0, 0], [0, 0]], op)),
            error_text(lambda: wstb(tf, x, [2, 2], [[0, 0], [1, 1, 1], [0, 0], [0, 0]], op)),
            error_text(lambda: wstb(tf, x, [2], [[0, 0], [1, 1], [0, 0], [0, 0]], window([1]))),
            error_text(lambda: wstb(tf, x, [2, 2], "SAME", op)),
            error_text(lambda: wstb(tf, x, [2, 2], "SAME", op, filter_shape=tf.placeholder(tf.int32, [2])))]


def case_spatial_dims_errors(tf):
    x = tf.constant(X)
    op = window([1, 2])
    return [error_text(lambda: wstb(tf, x, [2, 2], "VALID", op, spatial_dims=[2, 1])),
            error_text(lambda: wstb(tf, x, [2, 2], "VALID", op, spatial_dims=[0, 1])),
            error_text(lambda: wstb(tf, x, [2, 2], "VALID", op, spatial_dims=[1, 1])),
            error_text(lambda: wstb(tf, x, [2, 2], "VALID", op, spatial_dims=[1, 4])),
            error(lambda: wstb(tf, x, [2, 2], "VALID", op, spatial_dims=[1])),  # (raygraph prints [2] as (2,))
            error_text(lambda: wstb(tf, tf.constant(X[:, 0, 0]), [2, 2], "VALID", op)),
            error_text(lambda: wstb(tf, tf.constant(X[:, :, 0]), [2, 2], "VALID", op, data_format="NCHW")),
            error_text(lambda: wstb(tf, tf.constant(X[:, 0, 0]), [2, 2], "VALID", op, data_format="NCHW")),
            error_text(lambda: wstb(tf, tf.constant(X[:, :, 0]), [1, 1], "VALID", op)),
            error_text(lambda: wstb(tf, tf.constant(X[:, :, 0]), [2], "VALID", window([1]), spatial_dims=[1.0]))]


def case_run_errors(tf):
    x = tf.placeholder(tf.float32, [None, None, None, 3])
    r = tf.placeholder(tf.int32, [2])
    w = tf.constant(W)
    y = wstb(tf, x, [2, 2], "VALID", conv(tf, w))
    z = wstb(tf, tf.constant(X), r, "VALID", conv(tf, w))
    return [run_error(tf, y, {x: X[:, :2, :2]}), run_error(tf, z, {r: [0, 2]}), run_error(tf, z, {r: [9, 1]})]

"""Recorded cases: pooling (max_pool, avg_pool and their 1-D, 3-D, v2 and `pool` forms, max_pool_with_argmax)."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error, error_text, grads, run, run_error, sig  # noqa: E402

X = (np.sin(np.arange(2 * 5 * 5 * 3)) * 3).reshape(2, 5, 5, 3).astype(np.float32)
X1 = (np.cos(np.arange(2 * 7 * 3)) * 2).reshape(2, 7, 3).astype(np.float32)
X3 = (np.sin(np.arange(2 * 4 * 4 * 4 * 2) * 0.7)).reshape(2, 4, 4, 4, 2).astype(np.float32)
TIES = np.array([[1, 3, 3], [3, 2, 3], [0, 3, 1]], np.float32).reshape(1, 3, 3, 1)


def case_max_avg_pool_graph(tf):
    x = tf.placeholder(tf.float32, [None, 5, 5, 3], name="x")
    outs = [tf.nn.max_pool(x, 2, 2, "SAME"), tf.nn.avg_pool(x, [1, 3, 3, 1], [1, 2, 2, 1], "VALID", name="ap"),
            tf.nn.max_pool(x, [3, 2], (1, 2), "VALID", name="mp"), tf.nn.max_pool2d(x, 2, 2, "SAME"),
            tf.nn.avg_pool2d(x, 3, 1, "SAME"), tf.nn.max_pool(value=x, ksize=2, strides=1, padding="VALID")]
    return [describe(tf), [sig(t) for t in outs], run(tf, outs, {x: X})]


def case_pool_nchw(tf):
    x = tf.constant(X.transpose(0, 3, 1, 2))
    outs = [tf.nn.max_pool(x, 2, 2, "SAME", data_format="NCHW"),
            tf.nn.avg_pool(x, [1, 1, 3, 3], [1, 1, 2, 1], "SAME", data_format="NCHW"),
            tf.nn.max_pool(x, [3, 3], 2, "VALID", data_format="NCHW")]
    return [describe(tf), run(tf, outs)]


def case_pool_values_same_padding(tf):
    x = tf.constant(X)
    outs = [tf.nn.max_pool(x, 3, 2, "SAME"), tf.nn.avg_pool(x, 3, 2, "SAME"), tf.nn.avg_pool(x, 4, 3, "SAME"),
            tf.nn.max_pool(x, [4, 2], [3, 1], "SAME"), tf.nn.max_pool(-tf.abs(x), 3, 1, "SAME")]
    return run(tf, outs)


def case_pool_dtypes(tf):
    i = tf.constant((X * 10).astype(np.int32))
    h = tf.constant(np.round(X * 4).astype(np.float16) / 4)  # sums exact in float16
    d = tf.constant(X.astype(np.float64))
    outs = [tf.nn.max_pool(i, 2, 2, "SAME"), tf.nn.max_pool(h, 2, 2, "SAME"), tf.nn.avg_pool(h, 2, 2, "SAME"),
            tf.nn.avg_pool(d, 3, 2, "SAME"), tf.nn.max_pool(tf.constant((X * 10).astype(np.int64)), 2, 1, "VALID")]
    return [[sig(t) for t in outs], run(tf, outs), error_text(lambda: tf.nn.avg_pool(i, 2, 2, "SAME")),
            error(lambda: tf.nn.max_pool(tf.constant([[[[True]]]]), 1, 1, "SAME"))]


def case_pool_unknown_shapes(tf):
    u = tf.placeholder(tf.float32)
    p = tf.placeholder(tf.float32, [None, None, 6, 2])
    outs = [tf.nn.max_pool(u, 2, 2, "SAME"), tf.nn.avg_pool(u, 2, 2, "VALID"), tf.nn.max_pool(p, 3, 2, "VALID"),
            tf.nn.avg_pool(p, 3, 2, "SAME"), tf.nn.max_pool(p, 2, 2, "SAME", data_format="NCHW")]
    return [[sig(t) for t in outs], run(tf, outs[:2], {u: X}),
            run(tf, outs[2:4], {p: X[:, :, :, :2].repeat(2, axis=2)[:, :, :6]})]


def case_pool_build_errors(tf):
    x = tf.placeholder(tf.float32, [None, 5, 5, 3])
    return [error_text(lambda: tf.nn.max_pool(x, 2, 2, "FOO")),
            error_text(lambda: tf.nn.avg_pool(x, 2, 2, "EXPLICIT")),
            error_text(lambda: tf.nn.max_pool(x, [1, 2, 2], 2, "SAME")),
            error_text(lambda: tf.nn.avg_pool(x, 2, [1, 2, 2, 1, 1], "SAME")),
            error_text(lambda: tf.nn.max_pool(x, 7, 2, "VALID")),
            error_text(lambda: tf.nn.avg_pool(x, 2, 0, "VALID")),
            error_text(lambda: tf.nn.max_pool(x, 0, 2, "VALID")),
            error_text(lambda: tf.nn.max_pool(tf.placeholder(tf.float32, [5, 5, 3]), 2, 2, "VALID")),
            error_text(lambda: tf.nn.max_pool(x, 2, 2, "SAME", data_format="NCW")),
            error_text(lambda: tf.nn.avg_pool(x, 2, 2, [[0, 0], [1, 1], [1, 1], [0, 0]])),
            error_text(lambda: tf.nn.max_pool(x, 2, 2, "EXPLICIT")),
            error_text(lambda: tf.nn.max_pool(x, 2, 2, [[0, 0], [1, 1], [1, 1]])),
            error_text(lambda: tf.nn.max_pool(x, 2, 2, [[0, 0], [1, 1], [1], [0, 0]])),
            [op.name for op in tf.get_default_graph().get_operations()]]


def case_max_pool_explicit_padding(tf):
    x = tf.constant(X)
    y = tf.nn.max_pool(x, 2, 2, [[0, 0], [1, 1], [0, 1], [0, 0]])
    z = tf.nn.max_pool(-tf.abs(x), 3, 2, [[0, 0], [1, 2], [2, 1], [0, 0]])
    graph = describe(tf)
    g = tf.gradients(y, x, grad_ys=y)[0]
    return [graph, sig(y), sig(z), run(tf, [y, z, g])]


def case_pool_run_errors(tf):
    u = tf.placeholder(tf.float32)
    return [run_error(tf, tf.nn.max_pool(u, [2, 2, 2, 2], 1, "VALID"), {u: np.zeros((1, 3, 3, 3))}),
            run_error(tf, tf.nn.avg_pool(u, [2, 2, 2, 2], 1, "VALID"), {u: np.zeros((1, 3, 3, 3))}),
            run_error(tf, tf.nn.max_pool(u, [1, 1, 1, 2], [1, 1, 1, 2], "VALID"), {u: np.zeros((1, 2, 2, 3))})]


def case_max_pool_depthwise(tf):
    x = tf.constant(np.arange(24.0, dtype=np.float32).reshape(1, 2, 2, 6))
    y = tf.nn.max_pool(x, [1, 1, 1, 3], [1, 1, 1, 3], "VALID")
    return [sig(y), run(tf, [y])]


def case_max_pool_gradient_ties(tf):
    x = tf.constant(TIES)
    y = tf.nn.max_pool(x, 2, 1, "VALID")
    z = tf.nn.max_pool(x, 3, 1, "SAME")
    gy = tf.constant(np.array([1, 10, 100, 1000], np.float32).reshape(1, 2, 2, 1))
    gz = tf.constant((10.0 ** np.arange(9)).astype(np.float32).reshape(1, 3, 3, 1))
    ones = tf.constant(np.ones((1, 2, 2, 2), np.float32))
    w = tf.nn.max_pool(ones, 2, 1, "VALID", data_format="NCHW")
    return run(tf, [tf.gradients(y, x, gy)[0], tf.gradients(z, x, gz)[0], tf.gradients(w, ones)[0]])


def case_max_pool_gradient_graph(tf):
    x = tf.constant(X)
    y = tf.nn.max_pool(x, 3, 2, "SAME", name="mp")
    added, sigs, values = grads(tf, y, [x])
    return [added, sigs, values, describe(tf)[-3:]]


def case_avg_pool_gradient_graph(tf):
    x = tf.constant(X)
    p = tf.placeholder(tf.float32, [None, 5, 5, 3])
    y = tf.nn.avg_pool(x, 3, 2, "SAME")
    yp = tf.nn.avg_pool(p, 2, 2, "VALID", data_format="NHWC")
    return [grads(tf, y, [x]), grads(tf, yp, [p], {p: X})]


def case_pool_second_order(tf):
    x = tf.constant(X.astype(np.float64))
    y = tf.nn.max_pool(x, 3, 2, "SAME")
    g = tf.gradients(y, x, grad_ys=y)[0]
    gg = tf.gradients(g, x, grad_ys=g)[0]
    a = tf.nn.avg_pool(x, 3, 2, "SAME")
    ga = tf.gradients(a, x, grad_ys=a)[0]
    gga = tf.gradients(ga, x, grad_ys=ga)[0]
    # (TF names each grad_ys with an Identity, raygraph does not: left out here)
    types = sorted({op.type for op in tf.get_default_graph().get_operations()} - {"Identity"})
    return [types, run(tf, [g, gg, ga, gga])]


def case_max_pool_grad_grad_op(tf):
    x = tf.constant(X)
    y = tf.nn.max_pool(x, 3, 2, "SAME")
    w = tf.constant(np.cos(np.arange(2 * 3 * 3 * 3)).reshape(2, 3, 3, 3).astype(np.float32))
    g = tf.gradients(y, x, grad_ys=w)[0]
    v = tf.constant(np.sin(np.arange(X.size)).reshape(X.shape).astype(np.float32))
    added, sigs, values = grads(tf, g, [w])
    return [added, sigs, values]


def case_pool1d(tf):
    x = tf.placeholder(tf.float32, [None, 7, 3])
    xc = tf.constant(X1.transpose(0, 2, 1))
    outs = [tf.nn.max_pool1d(x, 2, 2, "SAME"), tf.nn.avg_pool1d(x, 3, 2, "VALID", name="a1"),
            tf.nn.max_pool1d(xc, [2], [1], "VALID", data_format="NCW"), tf.nn.avg_pool1d(xc, 2, 2, "SAME", "NCW"),
            tf.nn.max_pool1d(x, 2, 1, [[0, 0], [1, 0], [0, 0]])]
    return [describe(tf), [sig(t) for t in outs], run(tf, outs, {x: X1})]


def case_pool_v2(tf):
    x = tf.placeholder(tf.float32, [None, 5, 5, 3])
    outs = [tf.nn.max_pool_v2(x, 2, 2, "SAME"), tf.nn.avg_pool_v2(x, 2, 2, "SAME"),
            tf.nn.max_pool_v2(tf.constant(X1), 2, 1, "VALID"), tf.nn.avg_pool_v2(tf.constant(X1), [3], [2], "SAME"),
            tf.nn.max_pool_v2(tf.constant(X3), 2, 2, "SAME"), tf.nn.avg_pool_v2(tf.constant(X3), 3, 1, "VALID"),
            tf.nn.max_pool_v2(x, 2, 2, "SAME", name="named")]
    return [describe(tf), [sig(t) for t in outs], run(tf, outs, {x: X}),
            error_text(lambda: tf.nn.max_pool_v2(tf.placeholder(tf.float32), 2, 2, "SAME")),
            error_text(lambda: tf.nn.avg_pool_v2(tf.placeholder(tf.float32, [2, 2]), 2, 2, "SAME")),
            error_text(lambda: tf.nn.max_pool_v2(tf.constant(X3), 2, 2, [[0, 0]] * 5))]


def case_pool3d(tf):
    x = tf.placeholder(tf.float32, [None, 4, 4, 4, 2])
    outs = [tf.nn.max_pool3d(x, 2, 2, "SAME"), tf.nn.avg_pool3d(x, [1, 3, 2, 3, 1], [1, 1, 2, 1, 1], "VALID"),
            tf.nn.max_pool3d(x, [2, 3, 2], 2, "SAME", name="m3"), tf.nn.avg_pool3d(x, 3, 2, "SAME")]
    return [describe(tf), [sig(t) for t in outs], run(tf, outs, {x: X3})]


def case_pool3d_gradients(tf):
    x = tf.constant(X3)
    y = tf.nn.max_pool3d(x, 2, 2, "SAME")
    a = tf.nn.avg_pool3d(x, 3, 2, "SAME")
    return [grads(tf, y, [x]), grads(tf, a, [x])]


def case_pool3d_errors(tf):
    x = tf.placeholder(tf.float32, [None, 4, 4, 4, 3])
    return [error_text(lambda: tf.nn.max_pool3d(tf.placeholder(tf.float32, [None, 5, 5, 3]), 2, 2, "VALID")),
            error_text(lambda: tf.nn.max_pool3d(tf.placeholder(tf.float64, [1, 4, 4, 4, 3]), 2, 2, "VALID")),
            error_text(lambda: tf.nn.max_pool3d(x, 5, 2, "VALID")),
            error_text(lambda: tf.nn.max_pool3d(x, [1, 2, 2, 2], 2, "VALID")),
            error_text(lambda: tf.nn.avg_pool3d(x, 2, 2, "FOO")),
            error_text(lambda: tf.nn.avg_pool3d(x, 2, 2, "SAME", data_format="NHWC"))]


def case_pool_generic(tf):
    x = tf.placeholder(tf.float32, [None, 5, 5, 3])
    outs = [tf.nn.pool(x, [2, 2], "MAX", padding="SAME"), tf.nn.pool(x, [2, 2], "AVG", "VALID", strides=[2, 2]),
            tf.nn.pool(tf.constant(X1), [3], "MAX", "SAME", strides=[2], name="p1"),
            tf.nn.pool(tf.constant(X3), [2, 2, 2], "AVG", "SAME", strides=[2, 1, 2]),
            tf.nn.pool(tf.constant(X.transpose(0, 3, 1, 2)), [3, 3], "MAX", "VALID", data_format="NCHW")]
    return [describe(tf), [sig(t) for t in outs], run(tf, outs, {x: X})]


def case_pool_generic_errors(tf):
    x = tf.placeholder(tf.float32, [None, 5, 5, 3])
    return [error_text(lambda: tf.nn.pool(x, [2, 2], "MAX", "SAME", strides=[3, 3])),
            error_text(lambda: tf.nn.pool(x, [2, 2], "MIN", "SAME")),
            error_text(lambda: tf.nn.pool(x, [2, 2], "MAX", "SAME", dilation_rate=[2, 2])),
            error_text(lambda: tf.nn.pool(x, [2, 2, 2, 2], "MAX", "SAME")),
            error_text(lambda: tf.nn.pool(x, [2, 2], "MAX", "SAME", strides=[2, 2], dilation_rate=[2, 2])),
            error_text(lambda: tf.nn.pool(x, [2], "MAX", "SAME")),
            error_text(lambda: tf.nn.pool(x, [2, 2], "MAX", "SAME", strides=[0, 1])),
            error_text(lambda: tf.nn.pool(tf.constant(X1), [2], "MAX", "SAME", data_format="NHWC"))]


def case_max_pool_with_argmax(tf):
    x = tf.placeholder(tf.float32, [None, 5, 5, 3])
    v, i = tf.nn.max_pool_with_argmax(x, [1, 2, 2, 1], [1, 2, 2, 1], "SAME")
    v2, i2 = tf.nn.max_pool_with_argmax(x, [1, 3, 3, 1], [1, 1, 2, 1], "VALID", Targmax=tf.int32,
                                        include_batch_in_index=True, name="mpa")
    t, ti = tf.nn.max_pool_with_argmax(tf.constant(TIES), [1, 2, 2, 1], [1, 1, 1, 1], "VALID")
    return [describe(tf), [sig(t) for t in (v, i, v2, i2)], run(tf, [v, i, v2, i2, t, ti], {x: X}),
            error_text(lambda: tf.nn.max_pool_with_argmax(x, 2, 2, "SAME")),
            error_text(lambda: tf.nn.max_pool_with_argmax(x, [1, 2, 2, 1], [1, 2, 2, 1], "SAME", data_format="NCHW")),
            error_text(lambda: tf.nn.max_pool_with_argmax(x, [1, 2, 2, 1], [1, 2, 2, 1], "EXPLICIT")),
            error_text(lambda: tf.nn.max_pool_with_argmax(x, [1, 2, 2, 1], [1, 2, 2, 1], "SAME",
                                                          output_dtype=tf.float32))]


def case_max_pool_with_argmax_gradient(tf):
    x = tf.constant(X)
    v, i = tf.nn.max_pool_with_argmax(x, [1, 3, 3, 1], [1, 2, 2, 1], "SAME")
    added, sigs, values = grads(tf, v, [x])
    g = tf.gradients(v, x, grad_ys=v)[0]
    return [added, sigs, values, error(lambda: tf.gradients(tf.reduce_sum(g), x))]


def case_max_pool_grad_non_finite_gradients(tf):
    """A window's gradient goes to its first maximum only: the other cells stay 0 even where the incoming
    gradient is NaN or infinite (disjoint 2x2 windows and overlapping 3x3/2 ones, NHWC and 3-D)."""
    rng = np.random.default_rng(5)
    x = tf.constant(rng.integers(0, 3, (2, 6, 6, 3)).astype(np.float32))   # many ties
    out = []
    for k, s in ((2, 2), (3, 2), (2, 1)):
        n = (6 - k) // s + 1
        g = rng.standard_normal((2, n, n, 3)).astype(np.float32)
        g[0, 0, 0, 0], g[1, n - 1, 0, 2], g[0, 1, 1, 1] = np.nan, np.inf, -np.inf
        y = tf.nn.max_pool(x, [1, k, k, 1], [1, s, s, 1], "VALID")
        out.append(tf.gradients(y, x, grad_ys=g)[0])
    x3 = tf.constant(rng.integers(0, 2, (1, 4, 4, 4, 2)).astype(np.float32))
    g3 = np.full((1, 2, 2, 2, 2), np.nan, np.float32)
    g3[0, 0, 0, 0, 0] = 1.0
    y3 = tf.nn.max_pool3d(x3, [1, 2, 2, 2, 1], [1, 2, 2, 2, 1], "VALID")
    return run(tf, out + tf.gradients(y3, x3, grad_ys=g3))


def case_max_pool3d_grad_ties_overlapping(tf):
    """MaxPool3DGrad gives every cell within 1e-5 of the window's maximum the window's gradient (ties all
    take it), overlapping windows summed in TF's order, SAME padding."""
    rng = np.random.default_rng(6)
    out = []
    x = tf.constant((rng.integers(0, 3, (2, 4, 5, 3, 2)) + rng.integers(0, 2, (2, 4, 5, 3, 2)) * 4e-6)
                    .astype(np.float32))
    for k, s, pad in ((2, 1, "VALID"), (3, 2, "SAME"), (3, 1, "SAME")):
        y = tf.nn.max_pool3d(x, [1, k, k, k, 1], [1, s, s, s, 1], pad)
        g = tf.constant(rng.standard_normal(y.shape.as_list()).astype(np.float32) * 10)
        out += tf.gradients(y, x, grad_ys=g)
    return run(tf, out)


def case_max_pool_grad_grad_non_finite(tf):
    """The second derivative takes each window's first maximum's incoming value only: a NaN or infinite value
    at another cell stays out (2-D and 3-D)."""
    rng = np.random.default_rng(8)
    out = []
    for shape, pool, k in (((1, 4, 4, 2), tf.nn.max_pool, [1, 2, 2, 1]), ((1, 4, 4, 4, 1), tf.nn.max_pool3d,
                                                                         [1, 2, 2, 2, 1])):
        x = tf.constant(rng.standard_normal(shape).astype(np.float32))
        y = pool(x, k, k, "VALID")
        g = tf.constant(rng.standard_normal(y.shape.as_list()).astype(np.float32))
        dx = tf.gradients(y, x, grad_ys=g)[0]
        h = rng.standard_normal(shape).astype(np.float32)
        h.flat[::3] = np.nan
        h.flat[1::5] = np.inf
        out += tf.gradients(dx, g, grad_ys=tf.constant(h))
    return run(tf, out)


def case_max_pool_grad_large_inputs(tf):
    """MaxPoolGrad over inputs of thousands of cells (where a compiled loop runs it): ties, -inf and signed zeros
    in the input, NaN and -0.0 in the incoming gradient; disjoint, tiling, overlapping and padded windows."""
    rng = np.random.default_rng(11)
    out = []
    for shape, k, s, padding in (((2, 12, 12, 8), 2, 2, "SAME"), ((2, 13, 11, 8), 2, 2, "VALID"),
                                 ((2, 13, 11, 8), 3, 2, "SAME"), ((2, 9, 9, 8), 3, 1, "SAME"),
                                 ((2, 12, 12, 8), 3, 3, "VALID")):
        x = np.round(rng.standard_normal(shape), 1).astype(np.float32)
        x[0, 1, 2, 3], x[1, :3, :3, :2], x[1, 4, 4, 4] = -np.inf, 0.0, -0.0
        xt = tf.constant(x)
        y = tf.nn.max_pool(xt, [1, k, k, 1], [1, s, s, 1], padding)
        g = rng.standard_normal(y.shape.as_list()).astype(np.float32)
        g.reshape(-1)[::5], g[0, 0, 0, 0] = -0.0, np.nan
        out.append(tf.gradients(y, xt, grad_ys=g)[0])
    return run(tf, out)


def case_max_pool_grad_nan_input(tf):
    """Where a window holds a NaN, which cell its gradient goes to (inputs large enough for the compiled loop), and
    which cell and value max_pool_with_argmax gives."""
    x = np.round(np.random.default_rng(12).standard_normal((1, 16, 16, 4)), 1).astype(np.float32)
    x[0, 0, 0, 0], x[0, 3, 2, 1], x[0, 5, 5, 2], x[0, 8, 9, 3] = np.nan, np.nan, np.nan, np.nan
    xt = tf.constant(x)
    out = []
    for k, s in ((2, 2), (3, 2)):
        y = tf.nn.max_pool(xt, [1, k, k, 1], [1, s, s, 1], "SAME")
        out.append(tf.gradients(y, xt, grad_ys=np.ones(y.shape.as_list(), np.float32))[0])
        out += list(tf.nn.max_pool_with_argmax(xt, [1, k, k, 1], [1, s, s, 1], "SAME"))
    return run(tf, out)

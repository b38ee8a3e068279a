"""Recorded cases: the rest of tf.math and its top-level twins (cumprod, cumulative_logsumexp, norms and
moments, bincount, sobol_sample, approx_max/min_k, bit shifts, polyval, accumulate_n, scalar_mul,
saturate_cast, the raw divisions and the aliases of functions defined elsewhere), issue 16."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error, error_text, grads, run, run_error, sig  # noqa: E402

A = np.array([[1.5, -2.0, 3.0], [0.25, 4.0, -0.5]], np.float32)
A64 = np.array([[1.5, -2.0, 3.0], [0.25, 4.0, -0.5]], np.float64)


def case_cumprod_and_logsumexp(tf):
    x = tf.constant(A)
    outs = [tf.math.cumprod(x), tf.cumprod(x, 1, exclusive=True), tf.math.cumprod(x, 1, reverse=True, name="cp"),
            tf.math.cumulative_logsumexp(x, 1), tf.math.cumulative_logsumexp(x, exclusive=True, reverse=True),
            tf.math.cumsum(x, 1), tf.math.cumprod(tf.constant([[2, 3, 4]]), axis=-1)]
    return [describe(tf), [sig(t) for t in outs], run(tf, outs)]


def case_cumulative_gradients(tf):
    x = tf.constant(A64)
    ys = [tf.math.cumprod(x, 1), tf.math.cumprod(x, 0, exclusive=True, reverse=True),
          tf.math.cumulative_logsumexp(x, 1), tf.math.cumulative_logsumexp(x, 0, reverse=True)]
    w = np.array([[1.0, -2.0, 0.5], [3.0, 1.0, 2.0]])
    return [grads(tf, tf.reduce_sum(y * w), [x])[1:] for y in ys]


def case_cumulative_errors(tf):
    return [error(lambda: tf.math.cumulative_logsumexp(tf.constant([1, 2]))),
            run_error(tf, tf.math.cumprod(tf.constant([1.0, 2.0]), axis=tf.constant(3)))]


def case_norms_and_moments(tf):
    x = tf.constant(A)
    outs = [tf.math.reduce_euclidean_norm(x), tf.math.reduce_euclidean_norm(x, 1, keepdims=True),
            tf.math.reduce_std(x, 1), tf.math.reduce_variance(x), tf.math.reduce_std(x, [0, 1], keepdims=True),
            tf.math.reduce_variance(x, 0, name="v"), tf.math.reduce_euclidean_norm(tf.constant([[3, 4]]), 1)]
    return [describe(tf), [sig(t) for t in outs], run(tf, outs)]


def case_norms_and_moments_gradients(tf):
    x = tf.constant(A64)
    y = (tf.reduce_sum(tf.math.reduce_euclidean_norm(x, 1)) + tf.math.reduce_euclidean_norm(x, [0, 1], keepdims=True)
         + tf.reduce_sum(tf.math.reduce_std(x, 0)) + tf.math.reduce_variance(x))
    return grads(tf, tf.reduce_sum(y), [x])[1:]


def case_moments_errors(tf):
    return [error_text(lambda: tf.math.reduce_variance(tf.constant([1, 2]))),
            error(lambda: tf.math.reduce_std(tf.constant([1, 2], tf.int64)))]


def case_bincount(tf):
    p = tf.placeholder(tf.int32, [None])
    w = tf.placeholder(tf.float32, [None])
    outs = [tf.math.bincount(p), tf.math.bincount(p, minlength=8), tf.math.bincount(p, maxlength=3),
            tf.math.bincount(p, weights=w), tf.bincount(p, dtype=tf.float64)]
    feed = {p: [1, 1, 4, 0, 4, 4], w: [0.5, 1.0, 2.0, 3.0, -1.0, 0.25]}
    return [describe(tf), [sig(t) for t in outs], run(tf, outs, feed),
            run(tf, [tf.math.bincount(p)], {p: np.zeros(0, np.int32)}), run_error(tf, outs[0], {p: [1, -1]})]


def case_sobol(tf):
    outs = [tf.math.sobol_sample(3, 6), tf.math.sobol_sample(2, 4, skip=7, dtype=tf.float64),
            tf.math.sobol_sample(tf.constant(1), tf.constant(3), name="s")]
    return [describe(tf), [sig(t) for t in outs], run(tf, outs), run_error(tf, tf.math.sobol_sample(0, 2))]


def case_approx_top_k(tf):
    x = tf.constant([[0.5, 3.0, -1.0, 2.0], [4.0, 1.0, 1.5, -2.0]])
    top = tf.math.approx_max_k(x, 2)
    return [describe(tf), type(top).__name__, [sig(t) for t in top], run(tf, list(top))]


def case_approx_top_k_without_cpu_kernel(tf):
    x = tf.constant([[0.5, 3.0, -1.0, 2.0], [4.0, 1.0, 1.5, -2.0]])
    return [[sig(t) for t in tf.math.approx_min_k(x, 1)], run_error(tf, tf.math.approx_min_k(x, 1)[0])]


def case_approx_top_k_other_dimension_without_cpu_kernel(tf):
    x = tf.constant([[0.5, 3.0, -1.0, 2.0], [4.0, 1.0, 1.5, -2.0]])
    top = tf.math.approx_max_k(x, 1, reduction_dimension=0)
    return [[sig(t) for t in top], run_error(tf, top[0])]


def case_approx_top_k_gradient(tf):
    x = tf.constant([[0.5, 3.0, -1.0, 2.0], [4.0, 1.0, 1.5, -2.0]])
    values, _ = tf.math.approx_max_k(x, 2)
    y = tf.reduce_sum(values * [[1.0, 2.0], [3.0, 4.0]])
    g = tf.gradients(y, [x])
    return [[sig(t) for t in g], run(tf, g)]


def case_bit_shifts(tf):
    x8 = tf.constant([1, -3, 7, 100, -128], tf.int8)
    y8 = tf.constant([2, 9, -1, 3, 2], tf.int8)
    outs = [tf.bitwise.left_shift(x8, y8), tf.bitwise.right_shift(x8, y8),
            tf.bitwise.left_shift(tf.constant([1, 3], tf.uint32), tf.constant([31, 40], tf.uint32)),
            tf.bitwise.right_shift(tf.constant([-1, 1 << 40], tf.int64), tf.constant([63, 20], tf.int64)),
            tf.bitwise.left_shift([1, 2], 3, name="ls")]
    return [describe(tf), run(tf, outs), error(lambda: tf.bitwise.left_shift(1.0, 2.0)),
            [o for o in tf.gradients(tf.cast(outs[0], tf.float32), [x8]) if o is not None]]


def case_polyval_accumulate_scalar_mul(tf):
    x = tf.constant(A)
    outs = [tf.math.polyval([1.0, -2.0, 0.5], x), tf.math.polyval([], x), tf.math.polyval([tf.constant(3.0)], x),
            tf.math.accumulate_n([x, x, x]), tf.accumulate_n([x], name="one"), tf.math.scalar_mul(2.0, x),
            tf.scalar_mul(3, tf.constant([1, 2]))]
    return [describe(tf), [sig(t) for t in outs], run(tf, outs)]


def case_polyval_accumulate_errors(tf):
    x = tf.constant(A)
    return [error_text(lambda: tf.math.polyval(2.0, x)), error_text(lambda: tf.math.accumulate_n([])),
            error(lambda: tf.math.accumulate_n([x, tf.constant([1.0])])),
            error_text(lambda: tf.math.accumulate_n([x], tensor_dtype=tf.float64)),
            error_text(lambda: tf.math.scalar_mul([1.0, 2.0], x))]


def case_scalar_mul_indexed_slices_and_gradients(tf):
    v = tf.constant(A64)
    y = tf.gather(v, [1, 0])
    g = tf.gradients(tf.reduce_sum(y), v)[0]
    s = tf.math.scalar_mul(2.0, g)
    x = tf.constant(A64)
    coeffs = [tf.constant(c, tf.float64) for c in (1.0, -2.0, 0.5)]
    z = tf.reduce_sum(tf.math.polyval(coeffs, x) + tf.math.accumulate_n([x, 2.0 * x]))
    return [type(s).__name__, run(tf, [s.values, s.indices]), grads(tf, z, [x])[1:]]


def case_saturate_cast(tf):
    x = tf.constant([-300.0, -1.5, 0.0, 254.7, 1e10, np.nan])
    outs = [tf.saturate_cast(x, tf.uint8), tf.dtypes.saturate_cast(x, tf.int8), tf.saturate_cast(x, tf.int32),
            tf.saturate_cast(tf.constant([70000, -70000]), tf.int16),
            tf.saturate_cast(tf.constant([1e300, -1e300], tf.float64), tf.float32),
            tf.saturate_cast(tf.constant([3, 300], tf.int64), tf.float16)]
    return [describe(tf), run(tf, outs)]


def case_raw_divisions_and_casts(tf):
    a, b = tf.constant(A), tf.constant(A[::-1].copy())
    i, j = tf.constant([7, -7]), tf.constant([2, 2])
    outs = [tf.realdiv(a, b), tf.floor_div(a, b), tf.floor_div(i, j), tf.truncatemod(i, j), tf.to_double(a),
            tf.realdiv(a, b, name="rd")]
    return [describe(tf), run(tf, outs), error(lambda: tf.realdiv(i, j)),
            run_error(tf, tf.realdiv(tf.constant([1, 2]), tf.constant([1, 2])))]


def case_aliases(tf):
    x = tf.constant(A)
    outs = [tf.math.softmax(x), tf.math.log_softmax(x, axis=0), tf.math.softsign(x), tf.math.l2_normalize(x, 1),
            tf.math.zero_fraction(tf.constant([0.0, 1.0, 0.0, 2.0])), tf.math.in_top_k(x, [2, 1], 1),
            tf.math.top_k(x, 2).values, tf.nn.top_k(x).indices, tf.math.divide_no_nan(x, tf.constant([0.0, 1.0, 2.0])),
            tf.math.confusion_matrix([0, 1, 2], [0, 2, 2])]
    return [describe(tf), [sig(t) for t in outs], run(tf, outs)]


def case_log1p_expm1_edges(tf):
    """Log1p, Expm1 and Softplus at the edges of their formulas (TF's kernels compute log1p as
    x * log(1 + x) / ((1 + x) - 1) and expm1 as Kahan's (u - 1) * x / log(u)): zeros keep their sign, tiny
    inputs keep full precision (compared as out / x), -1, infinities and NaN, in float32 and float64."""
    outs = []
    for dtype in (np.float32, np.float64):
        edges = tf.constant(np.array([0.0, -0.0, -1.0, -0.5, 1.0, 1e30, -1e30, 88.0, 89.0, -104.0, np.inf, -np.inf,
                                      np.nan], dtype))
        tiny = tf.constant(np.array([1e-30, -1e-30, 1e-12, -1e-9, 3e-8, -6e-8, 1e-4, -1e-4], dtype))
        outs += [tf.math.log1p(edges), tf.math.expm1(edges), tf.nn.softplus(edges),
                 tf.math.log1p(tiny) / tiny, tf.math.expm1(tiny) / tiny,
                 tf.math.sign(tf.math.log1p(edges[:2])), 1.0 / tf.math.expm1(edges[:2])]
    return run(tf, outs)

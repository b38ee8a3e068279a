"""Recorded cases: batch_normalization, sufficient_statistics, normalize_moments, weighted_moments."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, run, sig  # noqa: E402

X = (np.sin(np.arange(2 * 3 * 4)) * 2).reshape(2, 3, 4).astype(np.float32)
W = (np.cos(np.arange(3 * 4)) + 1.5).reshape(3, 4).astype(np.float32)


def case_batch_normalization(tf):
    x = tf.constant(X)
    mean, var = tf.nn.moments(x, [0, 1])
    a = tf.nn.batch_normalization(x, mean, var, tf.constant([0.1, 0.2, 0.3, 0.4]), tf.constant([1.0, 2.0, 0.5, 1.5]),
                                  1e-3)
    b = tf.nn.batch_normalization(x, mean, var, None, None, 1e-3, name="bn")
    return [describe(tf), sig(a), sig(b), run(tf, [a, b])]


def case_sufficient_statistics_and_normalize(tf):
    x = tf.constant(X)
    p = tf.placeholder(tf.float32, [None, 3, 4])
    c, m, v, s = tf.nn.sufficient_statistics(x, [0, 2])
    c2, m2, v2, s2 = tf.nn.sufficient_statistics(p, [0, -1], shift=0.5, keepdims=True)
    mean, var = tf.nn.normalize_moments(c, m, v, None)
    mean2, var2 = tf.nn.normalize_moments(c2, m2, v2, s2, name="nm")
    return [describe(tf), [sig(t) for t in (c, m, v, c2, m2, v2, mean2, var2)],
            run(tf, [c, m, v, c2, m2, v2, mean, var, mean2, var2], {p: X})]


def case_weighted_moments(tf):
    x = tf.constant(X)
    a = tf.nn.weighted_moments(x, [0, 1], tf.constant(W[None, :, :] * np.ones((2, 1, 1), np.float32)))
    b = tf.nn.weighted_moments(x, [1], tf.constant(W[:, :1]), keepdims=True, name="wm")
    c = tf.nn.weighted_moments(tf.constant(X.astype(np.float16)), [2], 1.0)
    return [describe(tf), [sig(t) for t in a + b + c], run(tf, list(a + b + c))]


def case_fused_batch_norm_training_moments_precision(tf):
    """Training-mode FusedBatchNorm's batch moments over a large map far from zero (mean 100, std 0.05 over
    32x32x32 per channel): TF's float32 sums lose precision (y's mean per channel up to 0.009, not 0) the way
    numpy's float32 sums taken row after row do; float64 accumulators (tried when facenet's training drifted)
    are more exact than TF, and differ from it."""
    rs = np.random.RandomState(0)
    x = tf.constant((rs.randn(32, 32, 32, 4) * 0.05 + 100.0).astype(np.float32))
    y, m, v = tf.nn.fused_batch_norm(x, tf.ones([4]), tf.zeros([4]), epsilon=1e-5, is_training=True)
    dx, dscale, doffset = tf.gradients(y * tf.constant(rs.randn(32, 32, 32, 4).astype(np.float32)), [x, *y.op.inputs[1:3]])
    with tf.Session() as s:
        yv, mv, vv, dxv, ds, do = s.run([y, m, v, dx, dscale, doffset])
        return {"mean": mv - 100.0, "var": vv * 400.0, "y_mean": yv.mean((0, 1, 2)), "y": yv[0, :2, :2],
                "dscale": ds, "doffset": do, "dx": dxv[0, :2, :2] / 20.0}

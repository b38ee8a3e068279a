"""Recorded cases: fake_quant_with_min_max_args / _vars / _vars_per_channel, their gradient ops and tf.gradients
through them."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error, run, run_error, sig  # noqa: E402

X = np.array([-7.0, -1.0, -0.31, 0.0, 0.3, 0.77, 1.04, 2.5, 6.1], np.float32)
GRID = np.linspace(-3.0, 3.0, 61).astype(np.float32)


def case_fake_quant_args(tf):
    x = tf.constant(X)
    g = tf.constant(GRID)
    outs = [tf.fake_quant_with_min_max_args(x), tf.fake_quant_with_min_max_args(x, min=-1.0, max=2.0),
            tf.fake_quant_with_min_max_args(x, -1.0, 2.0, num_bits=4, narrow_range=True),
            tf.fake_quant_with_min_max_args(g, -0.5, 1.3, num_bits=3), tf.fake_quant_with_min_max_args(g, 0.2, 1.7),
            tf.fake_quant_with_min_max_args(g, -2.7, -0.4, num_bits=5),
            tf.fake_quant_with_min_max_args(g, -1.2, 2.1, num_bits=16)]
    return [describe(tf), run(tf, outs)]


def case_fake_quant_vars(tf):
    g = tf.constant(GRID)
    outs = [tf.fake_quant_with_min_max_vars(g, -0.5, 1.3, num_bits=3),
            tf.fake_quant_with_min_max_vars(g, tf.constant(-2.7), tf.constant(-0.4), num_bits=5),
            tf.fake_quant_with_min_max_vars(g, 0.2, 1.7, narrow_range=True),
            tf.fake_quant_with_min_max_vars(g, 0.0, 0.0), tf.fake_quant_with_min_max_vars(g, 2.0, 1.0)]
    return [describe(tf), run(tf, outs)]


def case_fake_quant_per_channel(tf):
    x = tf.constant(GRID[:60].reshape(5, 4, 3))
    lo, hi = tf.constant([-0.5, 0.2, -2.7]), tf.constant([1.3, 1.7, -0.4])
    outs = [tf.fake_quant_with_min_max_vars_per_channel(x, lo, hi),
            tf.fake_quant_with_min_max_vars_per_channel(x, lo, hi, num_bits=4, narrow_range=True),
            tf.fake_quant_with_min_max_vars_per_channel(tf.constant(GRID[:3]), [-1.0, 0.0, 0.0], [1.0, 0.0, 2.0]),
            tf.fake_quant_with_min_max_vars_per_channel(tf.reshape(x, [60, 1, 1, 1]), [-1.0], [1.0], num_bits=2)]
    return [[sig(t) for t in outs], run(tf, outs)]


def case_fake_quant_gradient_ops(tf):
    x = tf.constant(GRID[:60].reshape(20, 3))
    dy = tf.constant(np.cos(np.arange(60.0)).reshape(20, 3).astype(np.float32))
    a = tf.fake_quant_with_min_max_args_gradient(dy, x, -0.5, 1.3, num_bits=3)
    v = tf.fake_quant_with_min_max_vars_gradient(dy, x, -0.5, 1.3, num_bits=3)
    c = tf.fake_quant_with_min_max_vars_per_channel_gradient(dy, x, [-0.5, 0.2, -2.7], [1.3, 1.7, -0.4])
    z = tf.fake_quant_with_min_max_vars_gradient(dy, x, 0.0, 0.0)
    return [describe(tf), type(v).__name__, list(v._fields), [sig(t) for t in [a] + list(v) + list(c)],
            run(tf, [a] + list(v) + list(c) + list(z))]


def case_fake_quant_gradients(tf):
    x = tf.constant(GRID[:60].reshape(20, 3))
    lo, hi = tf.constant(-0.5), tf.constant(1.3)
    clo, chi = tf.constant([-0.5, 0.2, -2.7]), tf.constant([1.3, 1.7, -0.4])
    w = tf.constant(np.cos(np.arange(60.0)).reshape(20, 3).astype(np.float32))
    ys = [tf.fake_quant_with_min_max_args(x, -0.5, 1.3), tf.fake_quant_with_min_max_vars(x, lo, hi),
          tf.fake_quant_with_min_max_vars_per_channel(x, clo, chi)]
    out = [run(tf, tf.gradients(tf.reduce_sum(ys[0] * w), [x]))]
    out.append(run(tf, tf.gradients(tf.reduce_sum(ys[1] * w), [x, lo, hi])))
    out.append(run(tf, tf.gradients(tf.reduce_sum(ys[2] * w), [x, clo, chi])))
    return out


def case_fake_quant_errors(tf):
    x = tf.constant(X)
    return [run_error(tf, tf.fake_quant_with_min_max_args(x, min=2.0, max=1.0)),
            run_error(tf, tf.fake_quant_with_min_max_args(x, num_bits=1)),
            run_error(tf, tf.fake_quant_with_min_max_vars(x, -1.0, 1.0, num_bits=17)),
            error(lambda: tf.fake_quant_with_min_max_vars(x, [-1.0], 1.0)),
            error(lambda: tf.fake_quant_with_min_max_vars_per_channel(tf.reshape(x, [3, 3]), [-1.0, 0.0], [1.0, 1.0])),
            error(lambda: tf.fake_quant_with_min_max_vars_per_channel(tf.constant(1.0), [-1.0], [1.0])),
            error(lambda: tf.fake_quant_with_min_max_args(tf.constant([1], tf.int32))),
            error(lambda: tf.fake_quant_with_min_max_args(tf.constant([1.0], tf.float64)))]

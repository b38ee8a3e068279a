"""Recorded cases: gradients of tf.gather along a non-zero axis, with and without batch_dims, built as TF 2.21
builds them (the gathered axis moved next to the batch dims, UnsortedSegmentSum over batch-offset indices, moved
back), whole graphs compared op for op; and the values."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error, run  # noqa: E402


def _inputs():
    rng = np.random.default_rng(11)
    return (rng.standard_normal((2, 3, 4, 5)).astype(np.float32), rng.integers(0, 4, (2, 3, 6)).astype(np.int32),
            rng.integers(0, 3, (2, 5)).astype(np.int64))


def _grad(tf, x, build):
    y = build(x)
    w = tf.constant(np.linspace(-1, 1, int(np.prod(y.shape.as_list()))).reshape(y.shape.as_list()), tf.float32)
    return tf.gradients(y, x, grad_ys=w)[0]


def case_gather_axis_grad_graph(tf):
    p, i3, _ = _inputs()
    x = tf.constant(p)
    g = _grad(tf, x, lambda v: tf.gather(v, i3, axis=2, batch_dims=2))
    return [describe(tf), run(tf, [g])]


def case_gather_axis_grad_values(tf):
    p, i3, i2 = _inputs()
    x = tf.constant(p)
    gs = [_grad(tf, x, lambda v: tf.gather(v, i2, axis=1, batch_dims=1)),
          _grad(tf, x, lambda v: tf.gather(v, i2 % 5, axis=3, batch_dims=1)),
          _grad(tf, x, lambda v: tf.gather(v, i3, axis=-2, batch_dims=-1)),
          _grad(tf, x, lambda v: tf.gather(v, i3[0, :2], axis=2)),
          _grad(tf, x, lambda v: tf.gather(v, i2[0] % 3, axis=1))]
    return [[g.shape.as_list() for g in gs], run(tf, gs)]


def case_gather_axis_grad_fed(tf):
    p, i3, _ = _inputs()
    x = tf.placeholder(tf.float32, [None, 3, None, 5])
    i = tf.placeholder(tf.int32, [None, None, None])
    y = tf.gather(x, i, axis=2, batch_dims=2)
    g = tf.gradients(tf.reduce_sum(y * y), x)[0]
    iu = tf.placeholder(tf.int32)
    return [g.shape.as_list(), run(tf, [g], {x: p, i: i3}),
            error(lambda: tf.gradients(tf.gather(x, iu, axis=2, batch_dims=-1), x))]

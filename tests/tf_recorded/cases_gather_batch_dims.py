"""Recorded cases: tf.gather with batch_dims (GatherV2's batch_dims attr): values, static shapes (known, partly
known, negative batch_dims), TF's wrapper dropping batch_dims when axis is 0, and the kernel's checks."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import error, kernel_error, run, sig  # noqa: E402


def _inputs():
    rng = np.random.default_rng(7)
    return (rng.standard_normal((2, 3, 4, 5)).astype(np.float32),
            rng.integers(0, 4, (2, 3, 6)).astype(np.int32), rng.integers(0, 3, (2, 5)).astype(np.int64))


def case_gather_batch_dims_values(tf):
    p, i3, i2 = _inputs()
    outs = [tf.gather(p, i3, axis=2, batch_dims=2), tf.gather(p, i3[:, :, :2], axis=3, batch_dims=2),
            tf.gather(p, i2, batch_dims=1), tf.gather(p, i2, axis=1, batch_dims=1),
            tf.gather(p, i2 % 3, axis=3, batch_dims=1), tf.gather(p, i3, axis=-2, batch_dims=-1),
            tf.gather(p, i2 % 2, axis=0, batch_dims=1), tf.gather(p[:, :, 0, 0], i2[:, :2], batch_dims=1),
            tf.gather(p, i3[:, :, 0], axis=2, batch_dims=2)]
    return [[sig(t) for t in outs], [t.op.get_attr("batch_dims") for t in outs], run(tf, outs)]


def case_gather_batch_dims_partly_known(tf):
    p, i3, _ = _inputs()
    pp = tf.placeholder(tf.float32, [None, 3, None, 5])
    ii = tf.placeholder(tf.int32, [2, None, None])
    iu = tf.placeholder(tf.int32)
    outs = [tf.gather(pp, ii, axis=2, batch_dims=2), tf.gather(pp, ii, axis=3, batch_dims=1),
            tf.gather(pp, ii[:, 0] % 3, axis=1, batch_dims=-1)]
    return [[sig(t) for t in outs], sig(tf.gather(pp, iu, axis=2, batch_dims=1)),
            run(tf, outs, {pp: p, ii: i3})]


def case_gather_batch_dims_errors(tf):
    p, i3, i2 = _inputs()
    pp, ii = tf.placeholder(tf.float32), tf.placeholder(tf.int32)
    bad = [(lambda: tf.gather(p, i3, axis=1, batch_dims=2)), (lambda: tf.gather(p, i3, axis=2, batch_dims=4)),
           (lambda: tf.gather(p, i2.astype(np.int32)[:1], axis=2, batch_dims=1)),
           (lambda: tf.gather(p[0, 0, 0], i2[0], batch_dims=1))]
    runs = [(tf.gather(pp, ii, axis=1, batch_dims=2), i3), (tf.gather(pp, ii, axis=2, batch_dims=1), i3[:1]),
            (tf.gather(pp, ii, axis=2, batch_dims=2), i3 + 1), (tf.gather(pp, ii, axis=2, batch_dims=-4), i3)]
    return [[error(f) for f in bad], [kernel_error(tf, t, {pp: p, ii: v}) for t, v in runs]]


def case_gather_index_out_of_range_message(tf):
    """The kernel names a bad index by its position, and a scalar index by none ("indices = 3")."""
    p = tf.constant(np.arange(6, dtype=np.float32).reshape(3, 2))
    i = tf.placeholder(tf.int32)
    g = tf.gather(p, i)
    return [kernel_error(tf, g, {i: v}) for v in (3, -1, [0, 5], [[1, 2], [0, 7]])]

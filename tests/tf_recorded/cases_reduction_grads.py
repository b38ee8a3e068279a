"""Recorded cases: the gradient graphs of reduce_sum and reduce_mean (TF's Reshape + Tile where the input's shape
and the axes are known, BroadcastTo otherwise), op by op, with their values."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import grads  # noqa: E402

X = np.arange(2 * 3 * 4, dtype=np.float32).reshape(2, 3, 4) * 0.25


def case_reduce_grads_known_shapes(tf):
    x = tf.constant(X)
    return [grads(tf, tf.reduce_sum(x), [x]), grads(tf, tf.reduce_sum(x, [0, 2]), [x]),
            grads(tf, tf.reduce_sum(x, -1, keepdims=True), [x]), grads(tf, tf.reduce_mean(x, 1), [x]),
            grads(tf, tf.reduce_mean(x), [x]), grads(tf, tf.reduce_sum(x, [1, -1]), [x])]


def case_reduce_grads_partly_known(tf):
    p = tf.placeholder(tf.float32, [None, 3, 4])
    u = tf.placeholder(tf.float32)
    a = tf.placeholder(tf.int32, [None])
    feed = {p: X, u: X, a: [0, 2]}
    return [grads(tf, tf.reduce_sum(p), [p], feed), grads(tf, tf.reduce_sum(p, 1), [p], feed),
            grads(tf, tf.reduce_mean(u, [0, 1]), [u], feed), grads(tf, tf.reduce_sum(p, a), [p], feed)]

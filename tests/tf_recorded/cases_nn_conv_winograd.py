"""Recorded cases: 3x3 convolutions of stride 1 with at least 16 channels, which raygraph runs through
Winograd's F(2x2, 3x3) (ops/conv_winograd.py; the input's gradient too): odd and even output sizes, SAME,
VALID and explicit padding, a layer's bias and relu, and non-finite inputs (which take the direct route).
Values are recorded on a strided sample of each array."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import run, typed

_r = np.random.RandomState(12)
X = _r.uniform(-1, 1, (3, 11, 8, 16)).astype(np.float32)
W = _r.uniform(-1, 1, (3, 3, 16, 20)).astype(np.float32)


def _sample(t):
    return t[:, ::2, ::3, ::3] if t.shape.ndims == 4 and t.shape[0] == 3 else t[:, :, ::3, ::4]


def _values(tf, ys, xs):
    """Samples of the outputs and of the gradients of the sum of their squares."""
    gs = tf.gradients(tf.add_n([tf.reduce_sum(y * y) for y in ys]), xs)
    return run(tf, [_sample(t) for t in list(ys) + gs])


def case_winograd_conv2d_same_valid(tf):
    x, w = tf.constant(X), tf.constant(W)
    return _values(tf, [tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME"), tf.nn.conv2d(x, w, [1, 1, 1, 1], "VALID")],
                   [x, w])


def case_winograd_conv2d_explicit(tf):
    x, w = tf.constant(X), tf.constant(W)
    return _values(tf, [tf.nn.conv2d(x, w, [1, 1, 1, 1], [[0, 0], [2, 0], [1, 2], [0, 0]]),
                        tf.nn.conv2d(x, w, [1, 1, 1, 1], [[0, 0], [0, 1], [0, 0], [0, 0]])], [x, w])


def case_winograd_conv2d_layer(tf):
    tf.set_random_seed(3)
    x = tf.constant(_r.uniform(-1, 1, (4, 9, 10, 24)).astype(np.float32))
    h = tf.layers.conv2d(x, 32, 3, padding="same", activation=tf.nn.relu,
                         kernel_initializer=tf.constant_initializer(_r.uniform(-0.2, 0.2, (3, 3, 24, 32))))
    gx, = tf.gradients(tf.reduce_sum(h * h), [x])
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        return [typed(v) for v in s.run([h[:, ::2, ::3, ::5], gx[:, ::2, ::3, ::5]])]


def case_winograd_conv2d_non_finite(tf):
    xs = X.copy()
    xs[0, 3, 4, 5] = np.inf
    xs[1, 6, 2, 0] = np.nan
    xs[2, 0, 0, 1] = -np.inf
    y = tf.nn.conv2d(tf.constant(xs), tf.constant(W), [1, 1, 1, 1], "SAME")
    return run(tf, [y[:, :, :, ::4]])

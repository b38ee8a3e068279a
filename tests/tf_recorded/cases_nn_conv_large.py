"""Recorded cases: convolutions large enough that raygraph runs them through Fourier transforms
(ops/conv_fourier.py): values and gradients for strides, dilations, paddings, data formats and dtypes, and
non-finite inputs (which take the direct route). Values are recorded on a strided sample of each array."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import run

_r = np.random.RandomState(11)
X = _r.uniform(-1, 1, (2, 14, 13, 24)).astype(np.float32)
W = _r.uniform(-1, 1, (5, 5, 24, 32)).astype(np.float32)


def _sample(t):
    return t[:, ::2, ::3, ::5] if t.shape.ndims == 4 and t.shape[0] == 2 else t[::2, ::2, ::5, ::7]


def _values(tf, ys, xs):
    """Samples of the outputs and of the gradients of the sum of their squares."""
    gs = tf.gradients(tf.add_n([tf.reduce_sum(y * y) for y in ys]), xs)
    return run(tf, [_sample(t) for t in list(ys) + gs])


def _conv(tf, x, w, strides, padding, **kw):
    return tf.nn.conv2d(x, w, strides, padding, **kw)


def case_large_conv2d_same_valid(tf):
    x, w = tf.constant(X), tf.constant(W)
    return _values(tf, [_conv(tf, x, w, [1, 1, 1, 1], "SAME"), _conv(tf, x, w, [1, 1, 1, 1], "VALID")], [x, w])


def case_large_conv2d_strided_dilated_explicit(tf):
    x, w = tf.constant(X), tf.constant(W)
    return [_values(tf, [_conv(tf, x, w, [1, 2, 1, 1], "SAME")], [x, w]),
            _values(tf, [_conv(tf, x, w, [1, 1, 1, 1], "SAME", dilations=2)], [x, w]),
            _values(tf, [_conv(tf, x, w, [1, 1, 1, 1], [[0, 0], [3, 1], [0, 2], [0, 0]])], [x, w])]


def case_large_conv2d_nchw_and_float64(tf):
    x, w = tf.constant(np.transpose(X, (0, 3, 1, 2))), tf.constant(W)
    x64, w64 = tf.constant(X.astype(np.float64)), tf.constant(W.astype(np.float64))
    y = _conv(tf, x, w, [1, 1, 1, 1], "SAME", data_format="NCHW")
    gx, gw = tf.gradients(tf.reduce_sum(y * y), [x, w])
    return [run(tf, [y[:, ::5, ::2, ::3], gx[:, ::5, ::2, ::3], _sample(gw)]),
            _values(tf, [_conv(tf, x64, w64, [1, 1, 1, 1], "SAME")], [x64, w64])]


def case_large_conv2d_non_finite(tf):
    xs = X.copy()
    xs[0, 3, 4, 5] = np.inf
    xs[1, 7, 2, 0] = np.nan
    y = _conv(tf, tf.constant(xs), tf.constant(W), [1, 1, 1, 1], "SAME")
    return run(tf, [y[:, :, :, ::7]])

"""Recorded cases: tf.layers' transposed convolutions over unknown spatial dims build only their padding's
output-length formula (whole graphs compared op for op), and give TF's values."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe  # noqa: E402


def case_conv2d_transpose_unknown_dims(tf):
    tf.set_random_seed(3)
    x = tf.placeholder(tf.float32, [None, None, None, 2])
    ys = [tf.layers.conv2d_transpose(x, 3, 3, strides=2, padding=p, name=p) for p in ("same", "valid")]
    v = np.random.default_rng(1).standard_normal((1, 3, 4, 2)).astype(np.float32)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        return [describe(tf), [y.shape.as_list() for y in ys], [s.run(y, {x: v}).shape for y in ys]]


def case_conv3d_transpose_unknown_dims(tf):
    x = tf.placeholder(tf.float32, [2, None, 4, None, 1])
    y = tf.layers.conv3d_transpose(x, 2, (2, 3, 1), strides=(1, 2, 3), padding="valid")
    return [describe(tf), y.shape.as_list()]

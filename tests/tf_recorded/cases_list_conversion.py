"""Recorded cases: how TF converts lists: an op's list input takes the type of its first tensor and a nested
list holding tensors of another type is cast before it is packed (concat of an int32 tensor and [an int64
scalar]); grad_ys given to tf.gradients pass through an Identity named gradients/grad_ys_<i>."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error_text, run  # noqa: E402


def case_list_input_casts_nested_lists(tf):
    a = tf.constant(3, tf.int64)
    outs = [tf.concat([tf.constant([1, 2]), [a]], 0), tf.convert_to_tensor([a, 4], dtype=tf.int32),
            tf.stack([tf.constant(1.5), 2.5])]
    return [describe(tf), run(tf, outs),
            error_text(lambda: tf.concat([tf.constant([1]), tf.constant([2], tf.int64)], 0)),
            error_text(lambda: tf.convert_to_tensor([tf.constant(1), a], dtype=tf.int64))]


def case_grad_ys_identity(tf):
    x = tf.constant(np.array([1.0, 2.0], np.float32))
    y, z = tf.identity(x), tf.reduce_sum(x)
    g = tf.gradients([y, z], x, grad_ys=[np.array([1.0, -1.0], np.float32), None])
    return [describe(tf), run(tf, g)]

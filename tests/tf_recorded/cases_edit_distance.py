"""Recorded cases: tf.edit_distance (op EditDistance) over SparseTensors of strings and ints."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error, run, sig  # noqa: E402


def case_edit_distance_values(tf):
    h = tf.SparseTensor([[0, 0], [0, 1], [1, 0], [3, 2]], ["a", "b", "c", "x"], [4, 3])
    t = tf.SparseTensor([[0, 0], [1, 0], [1, 1], [2, 0], [3, 0], [3, 1]], ["a", "c", "d", "e", "x", "y"], [3, 4])
    outs = [tf.edit_distance(h, t), tf.edit_distance(h, t, normalize=False), tf.edit_distance(t, h),
            tf.edit_distance(h, h, normalize=False)]
    hi = tf.SparseTensor([[0, 0, 0], [0, 0, 1], [1, 1, 0]], tf.constant([1, 2, 3], tf.int64), [2, 2, 2])
    ti = tf.SparseTensor([[0, 0, 1], [1, 1, 0], [1, 1, 1], [1, 1, 2]], tf.constant([2, 3, 3, 4], tf.int64), [2, 2, 3])
    outs += [tf.edit_distance(hi, ti), tf.edit_distance(hi, ti, normalize=False, name="raw_distance")]
    return [describe(tf)[-8:], [sig(t) for t in outs], run(tf, outs)]


def case_edit_distance_shapes_errors(tf):
    p = tf.sparse_placeholder(tf.string)
    q = tf.sparse_placeholder(tf.string, shape=[None, None, None])
    h = tf.SparseTensor([[0, 0]], ["a"], [1, 1])
    value = tf.SparseTensorValue(np.array([[0, 0]], np.int64), np.array([b"b"], object), np.array([1, 1], np.int64))
    return [sig(tf.edit_distance(p, p)), sig(tf.edit_distance(q, q)), run(tf, [tf.edit_distance(h, value)]),
            error(lambda: tf.edit_distance(tf.constant(["a"]), h)), error(lambda: tf.edit_distance(h, [1])),
            error(lambda: tf.edit_distance(h, tf.SparseTensor([[0]], [1], [1])))]

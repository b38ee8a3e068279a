"""Recorded cases: sorted and unsorted segment reductions (max, min, mean, prod, sqrt_n), their gradients,
static shapes and errors, issue 16."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error, grads, run, run_error, sig  # noqa: E402

D = np.array([[1.0, -2.0], [3.0, 4.0], [-5.0, 6.0], [0.0, 2.0]], np.float32)
D64 = np.array([[1.5, -2.0], [3.0, 4.5], [-5.0, 6.0], [0.5, 2.0]], np.float64)


def case_sorted_segments(tf):
    d = tf.constant(D)
    ids = [0, 0, 2, 3]
    outs = [tf.math.segment_max(d, ids), tf.math.segment_min(d, ids), tf.math.segment_mean(d, ids),
            tf.math.segment_prod(d, ids), tf.segment_max(d, tf.constant(ids, tf.int64), name="m"),
            tf.segment_mean(tf.constant([[1, 2], [4, 7], [5, 5], [0, 0]]), ids)]
    return [describe(tf), [sig(t) for t in outs], run(tf, outs)]


def case_unsorted_segments(tf):
    d = tf.constant(D)
    ids = [2, -1, 0, 2]
    outs = [tf.math.unsorted_segment_max(d, ids, 4), tf.math.unsorted_segment_min(d, ids, 4),
            tf.math.unsorted_segment_prod(d, ids, 4), tf.math.unsorted_segment_sum(d, ids, 4),
            tf.unsorted_segment_max(tf.constant([1, 5, 3]), [1, 1, 0], 3)]
    return [describe(tf), [sig(t) for t in outs], run(tf, outs)]


def case_unsorted_mean_sqrt_n_graph(tf):
    d = tf.constant(D)
    outs = [tf.math.unsorted_segment_mean(d, [1, 0, 1, 1], 3), tf.math.unsorted_segment_sqrt_n(d, [1, 0, 1, 1], 3),
            tf.unsorted_segment_mean(tf.constant([[1.0, 2.0], [3.0, 4.0]]), [[0, 1], [1, 1]], 2, name="um")]
    return [describe(tf), [sig(t) for t in outs], run(tf, outs)]


def case_multi_dimensional_ids(tf):
    d = tf.constant(np.arange(12, dtype=np.float32).reshape(2, 3, 2))
    ids = tf.constant([[0, 1, 0], [2, 2, -1]])
    outs = [tf.math.unsorted_segment_max(d, ids, 3), tf.math.unsorted_segment_prod(d, ids, 3)]
    return [[sig(t) for t in outs], run(tf, outs)]


def case_dynamic_shapes(tf):
    p = tf.placeholder(tf.float32, [None, 2])
    i = tf.placeholder(tf.int32, [None])
    n = tf.placeholder(tf.int32, [])
    outs = [tf.math.segment_max(p, i), tf.math.unsorted_segment_min(p, i, n), tf.math.unsorted_segment_mean(p, i, n)]
    return [[sig(t) for t in outs], run(tf, outs, {p: D, i: [0, 1, 1, 2], n: 4})]


def case_segment_gradients(tf):
    d = tf.constant(D64)
    ids = [0, 0, 1, 1]
    ys = [tf.math.segment_max(d, ids), tf.math.segment_min(d, ids), tf.math.segment_mean(d, ids),
          tf.math.segment_prod(d, ids)]
    w = np.array([[1.0, 2.0], [3.0, -1.0]])
    return [grads(tf, tf.reduce_sum(y * w), [d])[1:] for y in ys]


def case_segment_gradients_with_ties_and_zeros(tf):
    d = tf.constant([[2.0, 0.0], [2.0, 3.0], [1.0, 0.0], [4.0, 5.0]], tf.float64)
    ys = [tf.math.segment_max(d, [0, 0, 0, 1]), tf.math.segment_prod(d, [0, 0, 0, 1]),
          tf.math.unsorted_segment_max(d, [0, 0, 0, 1], 2), tf.math.unsorted_segment_prod(d, [0, -1, 0, 1], 3)]
    return [grads(tf, tf.reduce_sum(y * 1.5), [d])[1:] for y in ys]


def case_unsorted_gradients(tf):
    d = tf.constant(D64)
    ids = tf.constant([2, -1, 0, 2])
    ys = [tf.math.unsorted_segment_max(d, ids, 3), tf.math.unsorted_segment_min(d, ids, 3),
          tf.math.unsorted_segment_prod(d, ids, 3), tf.math.unsorted_segment_mean(d, ids, 3),
          tf.math.unsorted_segment_sqrt_n(d, ids, 3)]
    w = np.array([[1.0, 2.0], [3.0, -1.0], [0.5, 1.0]])
    return [grads(tf, tf.reduce_sum(tf.where(tf.abs(y) > 1e30, tf.zeros_like(y), y) * w), [d])[2] for y in ys]


def case_segment_errors(tf):
    d = tf.constant(D)
    return [run_error(tf, tf.math.segment_max(d, [1, 0, 2, 3])),
            run_error(tf, tf.math.segment_mean(d, [0, 0, 1])),
            run_error(tf, tf.math.unsorted_segment_max(d, [0, 5, 1, 1], 3)),
            error(lambda: tf.math.segment_max(tf.constant([1 + 1j]), [0])),
            error(lambda: tf.math.segment_prod(d, [0.5, 1.0, 1.0, 1.0]))]

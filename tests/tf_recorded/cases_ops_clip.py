"""Recorded cases: clip_by_value, clip_by_norm, global_norm, clip_by_global_norm, clip_by_average_norm;
arg_max and arg_min."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error, error_text, run, sig  # noqa: E402

A = np.array([[1.5, -2.0, 3.0], [0.25, 4.0, -0.5]], np.float32)
B = np.array([3.0, -4.0], np.float32)


def _grad(tf, y, xs):
    gs = tf.gradients(y, xs)
    with tf.Session() as s:
        return s.run([g for g in gs if g is not None]), [g is None for g in gs]


# ----- clip_by_value -----------------------------------------------------------------------------------
def case_clip_by_value_graph_and_values(tf):
    a = tf.constant(A)
    outs = [tf.clip_by_value(a, -1.0, 2.0), tf.clip_by_value(a, [-1.0, 0.0, -3.0], 3.5, name="cv"),
            tf.clip_by_value(A, 0.0, 1.0)]
    return [describe(tf), [sig(t) for t in outs], run(tf, outs)]


def case_clip_by_value_tensors_and_ints(tf):
    x = tf.placeholder(tf.float32, [None, 3])
    lo, hi = tf.constant(-0.5), tf.constant(1.0)
    y = tf.clip_by_value(x, lo, hi)
    i = tf.clip_by_value(tf.constant([5, -7, 2]), -3, 3)
    with tf.Session() as s:
        return [sig(y), sig(i), s.run([y, i], {x: A})]


def case_clip_by_value_errors(tf):
    a = tf.constant(A)
    return [error_text(lambda: tf.clip_by_value(a, -1.0, np.zeros([4, 2, 3], np.float32))),
            error(lambda: tf.clip_by_value(a, -1, 2)),
            error(lambda: tf.clip_by_value(tf.constant([1, 2]), 0.5, 1.5))]


def case_clip_by_value_gradient(tf):
    x = tf.constant(A)
    lo, hi = tf.constant(-1.0), tf.constant(2.0)
    y = tf.reduce_sum(tf.clip_by_value(x, lo, hi) * tf.constant(B[0]))
    return _grad(tf, y, [x, lo, hi])


# ----- clip_by_norm ------------------------------------------------------------------------------------
def case_clip_by_norm_graph_and_values(tf):
    a = tf.constant(A)
    outs = [tf.clip_by_norm(a, 2.0), tf.clip_by_norm(a, 100.0), tf.clip_by_norm(a, 1.0, axes=[1], name="rows"),
            tf.clip_by_norm(a, 1.5, axes=0), tf.clip_by_norm(tf.zeros([2, 2]), 1.0), tf.clip_by_norm(a, -3.0)]
    return [describe(tf), [sig(t) for t in outs], run(tf, outs)]


def case_clip_by_norm_tensor_norm(tf):
    a = tf.constant(A)
    n = tf.placeholder(tf.float32, [])
    y = tf.clip_by_norm(a, n)
    with tf.Session() as s:
        return [describe(tf), s.run(y, {n: 2.0}), s.run(y, {n: -1.0})]


def case_clip_by_norm_gradient(tf):
    x = tf.constant(A)
    z = tf.zeros([3])
    y = tf.reduce_sum(tf.clip_by_norm(x, 2.0) * tf.constant(B[0])) + tf.reduce_sum(tf.clip_by_norm(z, 1.0))
    return _grad(tf, y, [x, z])


def case_clip_by_norm_errors(tf):
    return [error(lambda: tf.clip_by_norm(tf.constant([1, 2]), 1.0)),
            error(lambda: tf.clip_by_norm(tf.constant(A), [[1.0], [2.0], [3.0]]))]


# ----- global_norm, clip_by_global_norm -------------------------------------------------------------------
def case_global_norm(tf):
    a, b = tf.constant(A), tf.constant(B)
    n = tf.global_norm([a, None, b])
    m = tf.global_norm((a,), name="gn")
    return [describe(tf), sig(n), sig(m), run(tf, [n, m])]


def case_global_norm_errors(tf):
    a = tf.constant(A)
    return [error_text(lambda: tf.global_norm(a), 48), error_text(lambda: tf.global_norm("ab")),
            error(lambda: tf.global_norm([]))]


def case_clip_by_global_norm(tf):
    a, b = tf.constant(A), tf.constant(B)
    clipped, norm = tf.clip_by_global_norm([a, None, b], 2.0)
    big, _ = tf.clip_by_global_norm([a, b], 100.0, name="big")
    used, used_norm = tf.clip_by_global_norm([a], 1.0, use_norm=tf.constant(10.0))
    return [describe(tf), [None if c is None else sig(c) for c in clipped], sig(norm),
            run(tf, [clipped[0], clipped[2], norm, big[0], big[1], used[0], used_norm])]


def case_clip_by_global_norm_not_finite(tf):
    a = tf.constant([1.0, np.inf], tf.float32)
    clipped, norm = tf.clip_by_global_norm([a, tf.constant(B)], 1.0)
    return run(tf, clipped + [norm])


def case_clip_by_global_norm_gradient(tf):
    a, b = tf.constant(A), tf.constant(B)
    clipped, _ = tf.clip_by_global_norm([a, b], 2.0)
    y = tf.reduce_sum(clipped[0] * tf.constant(B[0])) + tf.reduce_sum(clipped[1])
    return _grad(tf, y, [a, b])


def case_clip_by_global_norm_errors(tf):
    return [error_text(lambda: tf.clip_by_global_norm(tf.constant(A), 1.0), 48)]


# ----- clip_by_average_norm -------------------------------------------------------------------------------
def case_clip_by_average_norm(tf):
    a = tf.constant(A)
    outs = [tf.clip_by_average_norm(a, 0.5), tf.clip_by_average_norm(a, 10.0, name="avg")]
    x = tf.placeholder(tf.float32)
    dyn = tf.clip_by_average_norm(x, 0.2)
    with tf.Session() as s:
        dyn_value = s.run(dyn, {x: B})
    return [describe(tf), [sig(t) for t in outs + [dyn]], run(tf, outs), dyn_value]


def case_clip_by_average_norm_gradient(tf):
    x = tf.constant(A)
    y = tf.reduce_sum(tf.clip_by_average_norm(x, 0.5) * tf.constant(B[0]))
    return _grad(tf, y, [x])


# ----- TF1's top-level aliases that real programs use ------------------------------------------------------
def case_arg_max_arg_min(tf):
    a = tf.constant([[1.0, 3.0], [4.0, 2.0]])
    outs = [tf.arg_max(a, 1), tf.arg_min(a, 0, output_type=tf.int32, name="m"), tf.arg_max(a, dimension=0)]
    return [describe(tf), run(tf, outs), error(lambda: tf.arg_max(a))]

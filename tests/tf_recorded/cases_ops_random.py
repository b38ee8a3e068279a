"""Recorded cases: random ops' graphs, seeds (graph-level and op-level rules) and static shapes."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error, sig  # noqa: E402


def _seeds(tf, types=("RandomUniform", "RandomStandardNormal", "TruncatedNormal", "RandomUniformInt")):
    return [[op.name, op.get_attr("seed"), op.get_attr("seed2")] for op in tf.get_default_graph().get_operations()
            if op.type in types]


def case_random_graphs(tf):
    outs = [tf.random_uniform([2, 3]), tf.random_uniform([2], 1.0, 3.0), tf.random_uniform([2], maxval=5.0),
            tf.random_uniform([3], 0, 10, dtype=tf.int32), tf.random_normal([2, 2]),
            tf.random_normal([2], mean=1.0, stddev=2.0, name="n"), tf.truncated_normal([4]),
            tf.truncated_normal([2], 0.5, 0.1, dtype=tf.float64), tf.random_uniform([2], -1, 1),
            tf.random_uniform((), dtype=tf.float64)]
    return [describe(tf), [sig(t) for t in outs]]


def case_random_no_seed(tf):
    tf.random_uniform([1])
    tf.random_normal([1], seed=5)
    return _seeds(tf)


def case_random_graph_seed(tf):
    tf.set_random_seed(1234)
    tf.random_uniform([1])
    tf.random_normal([1])
    tf.truncated_normal([1], seed=7)
    tf.random_uniform([1], 0, 5, dtype=tf.int64)
    tf.random_uniform([1])
    return _seeds(tf)


def case_random_seed_counter_across_set(tf):
    tf.random_uniform([1])
    tf.set_random_seed(1)
    tf.random_uniform([1])
    tf.set_random_seed(2)
    tf.random_uniform([1])
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(3)
        a = tf.random_uniform([1])
    return _seeds(tf) + [[a.op.get_attr("seed"), a.op.get_attr("seed2")]]


def case_random_seed_zero_and_large(tf):
    tf.set_random_seed(0)
    tf.random_uniform([1], seed=0)
    tf.random_uniform([1], seed=2 ** 31 + 5)
    tf.set_random_seed(2 ** 33)
    tf.random_uniform([1], seed=-3)
    return _seeds(tf)


def case_get_seed(tf):
    a = tf.get_seed(None)
    b = tf.get_seed(3)
    tf.set_random_seed(9)
    c = tf.get_seed(None)
    d = tf.get_seed(None)
    e = tf.get_seed(4)
    return [list(a), list(b), list(c), list(d), list(e)]


def case_random_shapes(tf):
    p = tf.placeholder(tf.int32, [2])
    q = tf.placeholder(tf.float32, [None, 3])
    outs = [tf.random_uniform(p), tf.random_normal(tf.shape(q)), tf.truncated_normal([tf.shape(q)[0], 4]),
            tf.random_uniform(tf.placeholder(tf.int32)), tf.random_uniform(np.array([2, 3], np.int64)),
            tf.random_normal(tf.TensorShape([2, 5]))]
    return [sig(t) for t in outs]


def case_random_errors(tf):
    return [error(lambda: tf.random_uniform([2], dtype=tf.int32)), error(lambda: tf.random_uniform([2], dtype=tf.bool)),
            error(lambda: tf.random_normal([2], dtype=tf.int32)), error(lambda: tf.truncated_normal([2], dtype=tf.int32)),
            error(lambda: tf.random_uniform([2.5])), error(lambda: tf.random_uniform([[2]]))]


def case_random_runtime_shapes_and_dtypes(tf):
    p = tf.placeholder(tf.int32, [2])
    outs = [tf.random_uniform(p), tf.random_normal([3], dtype=tf.float64), tf.truncated_normal([2, 2]),
            tf.random_uniform([4], 0, 3, dtype=tf.int32), tf.random_uniform([], dtype=tf.float16)]
    with tf.Session() as s:
        vals = s.run(outs, {p: [2, 5]})
    return [[v.dtype.name, list(v.shape)] for v in vals] + [
        bool(np.all((vals[0] >= 0) & (vals[0] < 1))), bool(np.all(np.abs(vals[2]) <= 2)),
        bool(np.all((vals[3] >= 0) & (vals[3] < 3)))]


def case_random_seeded_runs_repeat(tf):
    tf.set_random_seed(42)
    a = tf.random_uniform([5])
    with tf.Session() as s:
        first = [s.run(a), s.run(a)]
    with tf.Session() as s:
        second = [s.run(a), s.run(a)]
    return [bool(np.array_equal(first[0], second[0])), bool(np.array_equal(first[1], second[1])),
            bool(np.array_equal(first[0], first[1]))]


# ----- values: raygraph's random ops are TF's Philox streams, bit for bit ------------------------------------
def _two_runs(tf, outs):
    with tf.Session() as s:
        first = s.run(outs)
        second = s.run(outs)
    return [[v.dtype.name, v.tolist()] for v in first + second]


def case_random_values_op_seed(tf):
    outs = [tf.random_uniform([2, 3], seed=1), tf.random_normal([5], seed=2), tf.truncated_normal([6], seed=3),
            tf.random_uniform([3], 5, 10, dtype=tf.int32, seed=4), tf.random_uniform([2], -3, 2 ** 40, dtype=tf.int64,
                                                                                    seed=5)]
    return _two_runs(tf, outs)


def case_random_values_graph_seed(tf):
    tf.set_random_seed(1234)
    outs = [tf.random_uniform([3], -1.0, 1.0), tf.random_normal([2, 2], mean=3.0, stddev=0.5),
            tf.truncated_normal([5], stddev=0.1), tf.random_uniform([3], dtype=tf.float64),
            tf.random_normal([3], dtype=tf.float64), tf.truncated_normal([3], dtype=tf.float64)]
    return _two_runs(tf, outs)


def case_random_values_half_and_odd_sizes(tf):
    tf.set_random_seed(9)
    outs = [tf.random_uniform([5], dtype=tf.float16), tf.random_normal([3], dtype=tf.float16),
            tf.truncated_normal([7], dtype=tf.float16), tf.random_uniform([1, 7]), tf.random_normal([7]),
            tf.truncated_normal([1])]
    return _two_runs(tf, outs)


def case_random_values_statistics_large(tf):
    tf.set_random_seed(3)
    outs = [tf.random_uniform([20000]), tf.random_normal([20000]), tf.truncated_normal([20001])]
    with tf.Session() as s:
        vals = s.run(outs)
    return [[float(v.sum()), float((v * v).sum()), v[-3:].tolist()] for v in vals]


def case_random_values_in_variables(tf):
    tf.set_random_seed(5)
    w = tf.Variable(tf.truncated_normal([3, 2], stddev=0.1), name="w")
    b = tf.Variable(tf.random_uniform([2], -0.5, 0.5), name="b")
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        return [s.run(w).tolist(), s.run(b).tolist()]

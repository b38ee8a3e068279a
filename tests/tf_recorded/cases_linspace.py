"""Recorded cases: tf.linspace (and tf.lin_space) build TF 2's linspace_nd graph op for op (what
tf.compat.v1.linspace makes): op names and types, the result's name and static shape, values for float32 and
float64, a fed num, num 1, and TF's errors."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import error_text, sig  # noqa: E402


def case_linspace_graph(tf):
    g = tf.Graph()
    with g.as_default():
        x = tf.linspace(-3.0, 3.0, 32)
        ops = [[op.name, op.type] for op in g.get_operations()]
    return [sig(x), ops]


def case_linspace_values_and_names(tf):
    n = tf.placeholder(tf.int32, [])
    outs = [tf.linspace(-3.0, 3.0, 32), tf.linspace(tf.constant(0.0, tf.float64), 1.0, n, name="lin"),
            tf.linspace(1.0, 2.0, 1), tf.lin_space(2.0, -2.0, 5), tf.linspace(0.5, 0.5, 3)]
    with tf.Session() as s:
        values = s.run(outs, {n: 7})
    return [[sig(t) for t in outs], [np.asarray(v).tolist() for v in values]]


def case_linspace_errors(tf):
    return [error_text(lambda: tf.linspace(0.0, 1.0, 2.5)), error_text(lambda: tf.linspace(0, 1, 3))]


def case_linspace_along_an_axis(tf):
    outs = [tf.linspace([0.0, 10.0], [1.0, 20.0], 3, axis=1), tf.linspace([[0.0], [5.0]], [1.0, 2.0], 4, axis=-1),
            tf.linspace([0.0, 1.0], 2.0, 3, axis=0)]
    with tf.Session() as s:
        values = s.run(outs)
    return [[sig(t) for t in outs], [np.asarray(v).tolist() for v in values]]

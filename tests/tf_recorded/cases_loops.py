"""Recorded cases: tf.while_loop (TF1's frames: graph, names, static shapes, values, errors, nested loops, cond
inside loops and loops inside cond, stateful bodies, maximum_iterations, shape_invariants) and gradients
through loops (w.r.t. initial values, outside tensors and variables read in the body)."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error_text, run, sig  # noqa: E402


def case_graph_two_vars(tf):
    x = tf.constant(2.0)
    r = tf.while_loop(lambda i, a: i < 3, lambda i, a: (i + 1, a * x), [tf.constant(0), tf.constant(1.0)])
    return [describe(tf), [sig(t) for t in r], type(r).__name__, run(tf, list(r))]


def case_graph_maximum_iterations(tf):
    r = tf.while_loop(lambda a: a < 100.0, lambda a: a * 2, [tf.constant(1.0)], maximum_iterations=3)
    return [describe(tf), sig(r), run(tf, [r])]


def case_single_var_and_structures(tf):
    a = tf.while_loop(lambda i: i < 7, lambda i: i + 2, [0])
    b = tf.while_loop(lambda i: i < 7, lambda i: [i + 2], [0])
    c = tf.while_loop(lambda d: d["a"] < 4, lambda d: ({"a": d["a"] + 1, "b": d["b"] * 2.0},),
                      [{"a": 0, "b": 1.0}])
    d = tf.while_loop(lambda i, p: i < 3, lambda i, p: (i + 1, (p[0] + 1.0, p[1] * 3)), (0, (0.5, 2)))
    e = tf.while_loop(lambda i: i < 7, lambda i: i + 2, [0], return_same_structure=True)
    return [sig(a), isinstance(b, (list, tuple)), sig(b[0]) if isinstance(b, (list, tuple)) else sig(b),
            sorted(c[0]), type(d).__name__, type(d[1]).__name__, type(e).__name__,
            run(tf, [a, c[0]["a"], c[0]["b"], d[0], d[1][0], d[1][1], e[0]])]


def case_shape_invariants(tf):
    r = tf.while_loop(lambda i, x: i < 3, lambda i, x: (i + 1, tf.concat([x, x], 0)), [0, tf.constant([1.0, 2.0])],
                      shape_invariants=[tf.TensorShape([]), tf.TensorShape([None])])
    p = tf.placeholder(tf.float32, [None, 3])
    q = tf.while_loop(lambda i, x: i < 2, lambda i, x: (i + 1, x * 2.0), [0, p])
    with tf.Session() as s:
        v = s.run([r[1], q[1]], {p: np.ones((2, 3), np.float32)})
    return [sig(r[1]), sig(q[1]), v]


def case_errors(tf):
    def grows():
        tf.while_loop(lambda i, x: i < 3, lambda i, x: (i + 1, tf.concat([x, x], 0)), [0, tf.constant([1.0])])

    def bad_invariant():
        tf.while_loop(lambda i: i < 3, lambda i: i + 1, [tf.constant([1, 2])], shape_invariants=[tf.TensorShape([3])])

    def non_bool():
        tf.while_loop(lambda i: tf.cast(i, tf.float32), lambda i: i + 1, [0])

    def wrong_count():
        tf.while_loop(lambda i, j: i < 3, lambda i, j: i + 1, [0, 1])

    def not_callable():
        tf.while_loop(1, lambda i: i, [0])

    def no_vars():
        tf.while_loop(lambda: True, lambda: 1, [])
    return [error_text(grows), error_text(bad_invariant), error_text(non_bool, 60)[0], error_text(wrong_count)[0],
            error_text(not_callable), error_text(no_vars)]


def case_nested_loops(tf):
    def outer_body(i, acc):
        j, s = tf.while_loop(lambda j, s: j < i, lambda j, s: (j + 1, s + j), [0, 0])
        return i + 1, acc + s
    r = tf.while_loop(lambda i, acc: i < 5, outer_body, [0, 0])
    return [sig(r[1]), run(tf, list(r))]


def case_cond_in_loop_and_loop_in_cond(tf):
    r = tf.while_loop(lambda i, a: i < 6,
                      lambda i, a: (i + 1, tf.cond(tf.equal(i % 2, 0), lambda: a + i, lambda: a - 1)), [0, 0])
    p = tf.placeholder(tf.bool, [])
    q = tf.cond(p, lambda: tf.while_loop(lambda i: i < 10, lambda i: i + 3, [0]), lambda: tf.constant(-1))
    with tf.Session() as s:
        return [s.run(list(r)), s.run(q, {p: True}), s.run(q, {p: False})]


def case_stateful_body(tf):
    v = tf.Variable(0.0)

    def body(i):
        with tf.control_dependencies([tf.assign_add(v, 1.5)]):
            return i + 1
    r = tf.while_loop(lambda i: i < 4, body, [0])
    reads = tf.while_loop(lambda i, a: i < 3, lambda i, a: (i + 1, a + v), [0, 0.0])
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        return [s.run(r), s.run(v), s.run(r), s.run(v), s.run(reads[1])]


def case_gradients(tf):
    x = tf.constant(2.0)
    w = tf.Variable(1.5)
    i, a = tf.while_loop(lambda i, a: i < 3, lambda i, a: (i + 1, a * x * w), [0, x])
    _, b = tf.while_loop(lambda i, b: i < 4, lambda i, b: (i + 1, tf.sin(b) * b), [0, x])
    m = tf.constant([[0.5, -0.2], [0.1, 0.3]])
    v0 = tf.constant([[1.0, 2.0]])
    _, h = tf.while_loop(lambda i, h: i < 5, lambda i, h: (i + 1, tf.tanh(tf.matmul(h, m))), [0, v0])
    ga = tf.gradients(a, [x, w])
    gb = tf.gradients(b, x)
    gh = tf.gradients(tf.reduce_sum(h * h), [v0, m])
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        return s.run([a, ga, b, gb, h, gh])


def case_gradients_two_loop_vars(tf):
    x = tf.constant([1.0, -2.0])
    y = tf.constant(0.5)
    _, p, q = tf.while_loop(lambda i, p, q: i < 3, lambda i, p, q: (i + 1, p * q, q + tf.reduce_sum(p)), [0, x, y])
    g = tf.gradients(tf.reduce_sum(p) * q, [x, y])
    with tf.Session() as s:
        return s.run([p, q, g])

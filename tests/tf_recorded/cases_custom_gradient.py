"""custom_gradient, grad_pass_through, hessians and identity_n: graphs, values and gradients."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import error as raises  # noqa: E402


def _ops(g):
    return [(op.name, op.type, [t.name for t in op.inputs]) for op in g.get_operations()]


def case_custom_gradient_log1pexp(tf):
    @tf.custom_gradient
    def log1pexp(x):
        e = tf.exp(x)

        def grad(dy):
            return dy * (1 - 1 / (1 + e))
        return tf.log(1 + e), grad

    x = tf.constant([0.0, 1.0, 100.0])
    y = log1pexp(x)
    g = tf.gradients(y, x)[0]
    with tf.Session() as s:
        yv, gv = s.run([y, g])
    return [y.name, y.op.type, str(y.shape), g.name, yv, gv, _ops(tf.get_default_graph())]


def case_custom_gradient_two_args_two_results(tf):
    @tf.custom_gradient
    def f(a, b):
        def grad(dp, dq):
            return dp * 2.0 + dq, dq * 3.0
        return [a * b, a + b], grad

    a = tf.constant([1.0, 2.0])
    b = tf.constant([3.0, 4.0])
    p, q = f(a, b)
    loss = tf.reduce_sum(p * 5.0) + tf.reduce_sum(q * 7.0)
    ga, gb = tf.gradients(loss, [a, b])
    gp = tf.gradients(p, [a, b])
    with tf.Session() as s:
        return [p.name, q.name, s.run([p, q, ga, gb]), s.run(gp)]


def case_custom_gradient_python_args_and_tuple(tf):
    @tf.custom_gradient
    def clip_grad(x):
        def grad(dy):
            return tf.clip_by_value(dy, -0.5, 0.5)
        return tf.identity(x * 1.0), grad

    y = clip_grad(np.array([1.0, -2.0], np.float32))
    x = tf.placeholder(tf.float32, [None])
    z = clip_grad(x) * 3.0
    g = tf.gradients(z, x)[0]
    with tf.Session() as s:
        return [y.name, str(z.shape), s.run([y, g], {x: [1.0, 2.0, 3.0]})]


def case_custom_gradient_with_variable(tf):
    v = tf.Variable(2.0, name="v")

    @tf.custom_gradient
    def scale(x):
        def grad(dy, variables=None):
            return dy * v, [tf.reduce_sum(dy * 10.0 * x)]
        return x * v, grad

    x = tf.constant([1.0, 3.0])
    y = scale(x)
    gx, gv = tf.gradients(y, [x, v])
    with tf.Session() as s:
        s.run(v.initializer)
        return [y.name, s.run([y, gx, gv]), _ops(tf.get_default_graph())]


def case_custom_gradient_errors(tf):
    v = tf.Variable(2.0, name="v")

    @tf.custom_gradient
    def no_variables_kwarg(x):
        return x * v, lambda dy: dy

    @tf.custom_gradient
    def makes_variable(x):
        w = tf.Variable(1.0, name="w")
        return x * w, lambda dy: dy

    @tf.custom_gradient
    def wrong_count(x):
        return x * 2.0, lambda dy: [dy, dy]

    y = wrong_count(tf.constant(1.0))
    return [raises(lambda: no_variables_kwarg(tf.constant(1.0))), raises(lambda: makes_variable(tf.constant(1.0))),
            raises(lambda: tf.gradients(y, [])), raises(lambda: no_variables_kwarg(x=tf.constant(1.0)))]


def case_grad_pass_through(tf):
    x = tf.constant([1.3, -2.7, 0.4])
    y = tf.grad_pass_through(tf.round)(x)
    z = tf.grad_pass_through(lambda t: tf.square(t))(x)
    g = tf.gradients(tf.reduce_sum(y * [1.0, 2.0, 3.0]), x)[0]
    gz = tf.gradients(z, x)[0]
    with tf.Session() as s:
        return [y.op.type, s.run([y, g, z, gz])]


def case_identity_n(tf):
    a = tf.constant([1.0, 2.0])
    b = tf.constant([[3]], tf.int64)
    outs = tf.identity_n([a, b, 5.0], name="idn")
    g = tf.gradients(tf.reduce_sum(outs[0] * 2.0), a)[0]
    with tf.Session() as s:
        return [[(t.name, t.dtype.name, str(t.shape)) for t in outs], outs[0].op.type,
                [t.name for t in outs[0].op.inputs], s.run(outs), s.run(g), len(tf.identity_n([a]))]


def case_hessians_quadratic(tf):
    x = tf.constant([1.0, 2.0, 3.0])
    A = tf.constant([[2.0, 1.0, 0.0], [1.0, 3.0, 1.0], [0.0, 1.0, 4.0]])
    y = tf.reduce_sum(x * tf.linalg.matvec(A, x)) if hasattr(tf.linalg, "matvec") else \
        tf.reduce_sum(x * tf.reshape(tf.matmul(A, tf.reshape(x, [3, 1])), [3]))
    h = tf.hessians(y, x)
    with tf.Session() as s:
        return [len(h), h[0].name, str(h[0].shape), s.run(h)]


def case_hessians_matrix_and_two_xs(tf):
    x = tf.constant([[1.0, 2.0], [3.0, 0.5]])
    z = tf.constant(1.5)
    y = tf.reduce_sum(tf.sin(x) * x * z) + z * z * z
    hx, hz = tf.hessians(y, [x, z])
    with tf.Session() as s:
        return [hx.name, str(hx.shape), hz.name, str(hz.shape), s.run([hx, hz])]


def case_hessians_placeholder(tf):
    x = tf.placeholder(tf.float64, [None])
    h = tf.hessians(tf.reduce_sum(x ** 3), x)[0]
    with tf.Session() as s:
        return [str(h.shape), s.run(h, {x: [1.0, -2.0]})]

"""Recorded cases: gradient values (and static shapes) of the differentiable ops, against TF1's."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import shape_of  # noqa: E402

A = np.array([[1.5, -2.0, 3.0], [0.25, 4.0, -0.5]])
B = np.array([[2.0, 1.0, -4.0], [3.0, -2.0, 0.5]])
ROW = np.array([0.5, -1.5, 2.0])
COL = np.array([[2.0], [-3.0]])


def _grads(tf, make, inputs):
    """d(sum(w * f(xs)))/dxs for a fixed weight w (so every output element matters differently)."""
    xs = [tf.constant(v) for v in inputs]
    y = make(*xs)
    w = tf.constant(np.linspace(0.5, 1.5, int(np.prod(y.shape.as_list()))).reshape(y.shape.as_list()), y.dtype)
    gs = [g if g is None else tf.convert_to_tensor(g) for g in tf.gradients(tf.reduce_sum(y * w), xs)]
    with tf.Session() as s:
        vals = s.run([g for g in gs if g is not None])
    it = iter(vals)
    return [None if g is None else [shape_of(g), next(it)] for g in gs]


def case_grad_broadcast_arithmetic(tf):
    return [_grads(tf, lambda a, b: a + b, [A, ROW]), _grads(tf, lambda a, b: a - b, [COL, A]),
            _grads(tf, lambda a, b: a * b, [A, COL]), _grads(tf, lambda a, b: a / b, [A, B]),
            _grads(tf, lambda a, b: a / b, [ROW, COL]), _grads(tf, lambda a, b: 2.0 - a * b, [A, np.array(3.0)])]


def case_grad_pow_max_min(tf):
    pos = np.abs(A) + 0.5
    return [_grads(tf, lambda a, b: tf.pow(a, b), [pos, B]), _grads(tf, lambda a: a ** 3.0, [A]),
            _grads(tf, lambda a, b: tf.pow(a, b), [np.array([0.0, 2.0]), np.array([2.0, 0.5])]),
            _grads(tf, tf.maximum, [A, B]), _grads(tf, tf.minimum, [A, ROW]),
            _grads(tf, tf.squared_difference, [A, COL]), _grads(tf, tf.floormod, [A + 10, np.abs(B) + 1])]


def case_grad_unary(tf):
    pos = np.abs(A) + 0.5
    fns = [tf.negative, tf.abs, tf.square, tf.sqrt, tf.rsqrt, tf.exp, tf.log, tf.tanh, tf.sigmoid, tf.nn.relu,
           tf.reciprocal, tf.sin, tf.cos]
    return [_grads(tf, f, [pos if f in (tf.sqrt, tf.rsqrt, tf.log) else A]) for f in fns]


def case_grad_matmul(tf):
    m = np.arange(6, dtype=np.float64).reshape(3, 2) / 3
    return [_grads(tf, tf.matmul, [A, m]),
            _grads(tf, lambda a, b: tf.matmul(a, b, transpose_a=True), [m, m]),
            _grads(tf, lambda a, b: tf.matmul(a, b, transpose_b=True), [A, B]),
            _grads(tf, lambda a, b: tf.matmul(a, b, transpose_a=True, transpose_b=True), [m, A]),
            _grads(tf, tf.matmul, [np.arange(12.0).reshape(2, 2, 3), np.arange(6.0).reshape(3, 2)])]


def case_grad_reductions(tf):
    return [_grads(tf, lambda a: tf.reduce_sum(a, 0), [A]), _grads(tf, lambda a: tf.reduce_mean(a, 1, keepdims=True), [A]),
            _grads(tf, lambda a: tf.reduce_max(a, 1), [A]), _grads(tf, lambda a: tf.reduce_min(a), [A]),
            _grads(tf, lambda a: tf.reduce_prod(a, 0), [A]), _grads(tf, lambda a: tf.reduce_mean(a), [A]),
            _grads(tf, lambda a: tf.reduce_max(a, 1), [np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]])]),
            _grads(tf, lambda a: tf.reduce_prod(a, 1), [np.array([[0.0, 3.0, 2.0], [0.0, 0.0, 2.0]])])]


def case_grad_shape_ops(tf):
    return [_grads(tf, lambda a: tf.reshape(a, [3, 2]), [A]), _grads(tf, tf.transpose, [A]),
            _grads(tf, lambda a: tf.expand_dims(a, 1), [A]), _grads(tf, lambda a: tf.squeeze(a), [COL]),
            _grads(tf, lambda a: tf.tile(a, [2, 3]), [A]), _grads(tf, lambda a: tf.identity(a), [A]),
            _grads(tf, lambda a: tf.cast(a, tf.float32), [A]), _grads(tf, lambda a: tf.fill([2, 2], a), [np.array(3.0)])]


def case_grad_joining(tf):
    return [_grads(tf, lambda a, b: tf.concat([a, b], 0), [A, B]), _grads(tf, lambda a, b: tf.concat([a, b], 1), [A, COL]),
            _grads(tf, lambda a, b: tf.stack([a, b], 1), [A, B]),
            _grads(tf, lambda a: tf.unstack(a)[1] * 2.0, [A]),
            _grads(tf, lambda a: tf.split(a, 3, 1)[2] + tf.split(a, 3, 1)[0], [A]),
            _grads(tf, lambda a: tf.split(a, [1, 2], 1)[1], [A]), _grads(tf, lambda a, b: tf.add_n([a, b, a]), [A, B])]


def case_grad_slicing(tf):
    x = np.arange(24, dtype=np.float64).reshape(2, 3, 4)
    return [_grads(tf, lambda a: tf.slice(a, [0, 1, 1], [2, 2, 2]), [x]), _grads(tf, lambda a: a[1], [x]),
            _grads(tf, lambda a: a[:, ::2, 1:3], [x]), _grads(tf, lambda a: a[..., -1, tf.newaxis], [x]),
            _grads(tf, lambda a: a[::-1, 1:0:-1], [x]), _grads(tf, lambda a: tf.gather(a, [1, 0, 1]), [A]),
            _grads(tf, lambda a: tf.gather(a, [2, 2], axis=1), [A]),
            _grads(tf, lambda a: tf.pad(a, [[1, 0], [0, 2]]), [A])]


def case_grad_where_and_nn(tf):
    cond = tf.constant([[True, False, True], [False, False, True]])
    labels = np.array([[0.2, 0.3, 0.5], [1.0, 0.0, 0.0]])
    return [_grads(tf, lambda a, b: tf.where(cond, a, b), [A, B]), _grads(tf, tf.nn.softmax, [A]),
            _grads(tf, tf.nn.log_softmax, [A]), _grads(tf, lambda a: tf.nn.softmax(a, axis=0), [A]),
            _grads(tf, lambda a, b: tf.nn.softmax_cross_entropy_with_logits_v2(labels=b, logits=a), [A, labels]),
            _grads(tf, lambda a: tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[2, 0], logits=a), [A])]


def case_grad_none_for_integer_paths(tf):
    x = tf.constant(A)
    y = tf.reduce_sum(tf.cast(tf.argmax(x, 1), tf.float64) + tf.reduce_sum(x))
    g = tf.gradients(y, [x])
    return [shape_of(g[0]), tf.Session().run(g[0]).tolist()]


def case_grad_through_placeholder_with_default(tf):
    x = tf.constant(A)
    p = tf.placeholder_with_default(x, [2, 3])
    g = tf.gradients(tf.reduce_sum(p * p), [x])[0]
    with tf.Session() as s:
        return [s.run(g), s.run(g, {p: B})]

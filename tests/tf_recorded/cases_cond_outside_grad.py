"""Gradients through a cond whose branches return tensors made outside it (what
tf.layers.batch_normalization(training=<placeholder>) builds): the gradient takes the branch that ran, also
when such a cond sits inside another."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import run  # noqa: E402


def case_cond_returning_outside_tensors_gradient(tf):
    p = tf.placeholder(tf.bool, [])
    x = tf.constant(3.0)
    a, b = 2.0 * x, 5.0 * x
    y = tf.cond(p, lambda: a, lambda: b)
    (g,) = tf.gradients(y, [x])
    return [run(tf, [y, g], {p: True}), run(tf, [y, g], {p: False})]


def case_nested_cond_returning_outer_tensors_gradient(tf):
    p, q = tf.placeholder(tf.bool, []), tf.placeholder(tf.bool, [])
    x = tf.constant(2.0)
    a, b, c = x * x, 3.0 * x, 7.0 * x
    y = tf.cond(p, lambda: tf.cond(q, lambda: a, lambda: b), lambda: c)
    (g,) = tf.gradients(y, [x])
    return [run(tf, [y, g], {p: pv, q: qv}) for pv in (True, False) for qv in (True, False)]


def case_batch_norm_training_placeholder_gradient(tf):
    training = tf.placeholder(tf.bool, [])
    data = np.random.default_rng(0).standard_normal((4, 3)).astype(np.float32)
    x = tf.constant(data)
    h = tf.layers.batch_normalization(x, training=training)
    loss = tf.reduce_sum(h * tf.constant(np.arange(12, dtype=np.float32).reshape(4, 3)))
    grads = tf.gradients(loss, [x] + tf.trainable_variables())
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        return [s.run(grads, {training: True}), s.run(grads, {training: False})]

"""Recorded cases: fused_batch_norm (FusedBatchNormV3 and its gradients), tf.layers.BatchNormalization."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error, error_text, run, sig  # noqa: E402

X4 = (np.sin(np.arange(2 * 3 * 4 * 2) * 1.3) * 2).reshape(2, 3, 4, 2).astype(np.float32)
X5 = (np.cos(np.arange(2 * 2 * 3 * 2 * 3) * 0.7)).reshape(2, 2, 3, 2, 3).astype(np.float32)
X2 = (np.sin(np.arange(4 * 5) * 0.9) * 3).reshape(4, 5).astype(np.float32)


def _names(xs):
    return [x.name for x in xs]


# ----- tf.nn.fused_batch_norm ---------------------------------------------------------------------------------
def case_fused_batch_norm_graph(tf):
    x = tf.placeholder(tf.float32, [None, 3, 4, 2], name="x")
    a = tf.nn.fused_batch_norm(x, [1.0, 2.0], [0.5, -0.5])
    b = tf.nn.fused_batch_norm(x, [1.0, 2.0, 3.0], [0.5, -0.5, 1.0], data_format="NCHW", epsilon=1e-4, name="bn")
    c = tf.nn.fused_batch_norm(x, [1.0, 2.0], [0.5, -0.5], mean=[0.1, 0.2], variance=[1.0, 2.0], is_training=False)
    d = tf.nn.fused_batch_norm(x, [1.0, 2.0], [0.5, -0.5], mean=[0.1, 0.2], variance=[1.0, 2.0],
                               exponential_avg_factor=0.3)
    return [describe(tf), [sig(t) for t in a + b + c + d], sig(a[0].op.outputs[5]),
            run(tf, list(a + b + d) + [c[0]], {x: X4})]   # (TF's grappler drops the inference op's other outputs)


def case_fused_batch_norm_5d_and_half(tf):
    x = tf.constant(X5)
    a = tf.nn.fused_batch_norm(x, tf.ones([3]), tf.zeros([3]), data_format="NDHWC")
    b = tf.nn.fused_batch_norm(x, tf.ones([2]), tf.zeros([2]), data_format="NCDHW")
    h = tf.nn.fused_batch_norm(tf.constant(X4.astype(np.float16)), [1.0, 2.0], [0.5, -0.5])
    return [[sig(t) for t in a + b + h], run(tf, list(a + b + h))]


def case_fused_batch_norm_errors(tf):
    x = tf.placeholder(tf.float32, [None, 3, 4, 2])
    return [error_text(lambda: tf.nn.fused_batch_norm(x, [1.0, 2.0], [0.5, -0.5], is_training=False), 60),
            error_text(lambda: tf.nn.fused_batch_norm(x, [1.0, 2.0, 3.0], [0.5, -0.5]), 80),
            error_text(lambda: tf.nn.fused_batch_norm(tf.zeros([2, 3]), [1.0], [0.5]), 80),
            error(lambda: tf.nn.fused_batch_norm(x, [1.0, 2.0], [0.5, -0.5], data_format="NWC")),
            error(lambda: tf.nn.fused_batch_norm(tf.zeros([1, 2, 2, 2], tf.float64), [1.0, 2.0], [0.5, -0.5])),
            len(tf.get_default_graph().get_operations())]


def case_fused_batch_norm_gradients(tf):
    x = tf.placeholder(tf.float32, [None, 3, 4, 2])
    s, o = tf.constant([1.0, 2.0]), tf.constant([0.5, -0.5])
    y, _, _ = tf.nn.fused_batch_norm(x, s, o)
    y2, _, _ = tf.nn.fused_batch_norm(x, s, o, mean=[0.1, 0.2], variance=[1.0, 2.0], is_training=False)
    xc = tf.transpose(x, [0, 3, 1, 2])
    y3, _, _ = tf.nn.fused_batch_norm(xc, [1.0, 2.0], [0.5, -0.5], mean=[0.1, 0.2], variance=[1.0, 2.0],
                                      is_training=False, data_format="NCHW")
    loss = tf.reduce_sum(y * y * tf.sin(x)) + tf.reduce_sum(y2 * tf.cos(x)) + tf.reduce_sum(y3 * y3)
    gx, gs, go = tf.gradients(loss, [x, s, o])
    ops = sorted({(op.name, op.type) for op in tf.get_default_graph().get_operations() if "BatchNorm" in op.name})
    gg = tf.gradients(tf.reduce_sum(gx * gx) + tf.reduce_sum(gs * go), [x, s])
    return [ops, sig(gx), sig(gs), run(tf, [gx, gs, go] + gg, {x: X4})]


# ----- tf.layers.BatchNormalization ---------------------------------------------------------------------------
def _train_twice(tf, y, feed, extra=()):
    updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        s.run(updates, feed)
        out = s.run([y] + updates, feed)[0]
        return [out, s.run([v for v in tf.global_variables() if "moving" in v.name] + list(extra), feed)]


def case_batch_norm_layer_fused_graph(tf):
    x = tf.placeholder(tf.float32, [None, 3, 4, 2], name="x")
    layer = tf.layers.BatchNormalization()
    y = layer(x, training=True)
    return [describe(tf), sig(y), layer.fused, _names(layer.weights), _names(layer.trainable_weights),
            _names(layer.updates), _names(tf.get_collection(tf.GraphKeys.UPDATE_OPS)),
            _names(tf.global_variables()), _names(tf.trainable_variables()),
            _train_twice(tf, y, {x: X4})]


def case_batch_norm_layer_training_tensor(tf):
    x = tf.placeholder(tf.float32, [None, 3, 4, 2], name="x")
    t = tf.placeholder(tf.bool, [], name="t")
    y = tf.layers.batch_normalization(x, training=t, momentum=0.9, name="bn")
    out = _train_twice(tf, y, {x: X4, t: True})
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        inference = s.run(y, {x: X4, t: False})
    return [describe(tf), sig(y), _names(tf.get_collection(tf.GraphKeys.UPDATE_OPS)), out, inference]


def case_batch_norm_layer_inference_and_axis(tf):
    x = tf.placeholder(tf.float32, [None, 3, 4, 2], name="x")
    a = tf.layers.batch_normalization(x)
    b = tf.layers.batch_normalization(x, axis=1, training=True, center=False, scale=False, epsilon=0.01)
    c = tf.layers.batch_normalization(x, axis=2, training=True, gamma_initializer=tf.constant_initializer(2.0))
    return [describe(tf), [sig(t) for t in (a, b, c)], _names(tf.get_collection(tf.GraphKeys.UPDATE_OPS)),
            _train_twice(tf, [a, b, c], {x: X4})]


def case_batch_norm_layer_dense_input(tf):
    x = tf.placeholder(tf.float32, [None, 5], name="x")
    y = tf.layers.batch_normalization(x, training=True, beta_regularizer=tf.nn.l2_loss)
    z = tf.layers.batch_normalization(x, training=False, fused=False)
    return [describe(tf), sig(y), sig(z), _names(tf.get_collection(tf.GraphKeys.UPDATE_OPS)),
            _names(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)), _train_twice(tf, [y, z], {x: X2})]


def case_batch_norm_layer_dense_training_tensor(tf):
    x = tf.placeholder(tf.float32, [None, 5], name="x")
    t = tf.placeholder(tf.bool, [], name="t")
    y = tf.layers.batch_normalization(x, training=t)
    out = _train_twice(tf, y, {x: X2, t: True})
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        inference = s.run(y, {x: X2, t: False})
    return [sig(y), _names(tf.global_variables()), len(tf.get_collection(tf.GraphKeys.UPDATE_OPS)), out, inference]


def case_batch_norm_layer_reuse_and_gradients(tf):
    x = tf.placeholder(tf.float32, [None, 3, 4, 2], name="x")
    y = tf.layers.batch_normalization(x, training=True, name="shared")
    z = tf.layers.batch_normalization(x * 2.0, training=True, name="shared", reuse=True)
    again = error_text(lambda: tf.layers.batch_normalization(x, name="shared"), 60)
    loss = tf.reduce_sum(tf.square(y - 1.0)) + tf.reduce_sum(z)
    grads = tf.gradients(loss, [x] + tf.trainable_variables())
    return [sig(z), again, _names(tf.global_variables()), len(tf.get_collection(tf.GraphKeys.UPDATE_OPS)),
            _train_twice(tf, grads, {x: X4})]


def case_batch_norm_layer_errors(tf):
    x = tf.placeholder(tf.float32, [None, 3, 4, 2])
    return [error_text(lambda: tf.layers.batch_normalization(x, axis=4), 80),
            error_text(lambda: tf.layers.batch_normalization(tf.placeholder(tf.float32, [None, None]), 80), 99),
            error_text(lambda: tf.layers.batch_normalization(tf.placeholder(tf.float32, [None, None])), 80),
            error_text(lambda: tf.layers.batch_normalization(x, axis=2, fused=True), 80),
            error(lambda: tf.layers.BatchNormalization(axis="x"))]

"""tf.contrib.layers.optimize_loss and adaptive_clipping_fn (TF 1.15's contrib optimizers.py, recorded with
tf_slim's): the graph each optimizer spec builds, the values over steps with decay, clipping and multipliers,
the summaries it adds, and its argument errors."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import contrib_layers, error_text

X = np.array([[1.0, 2.0], [3.0, -1.0], [0.5, 0.5]], np.float32)
Y = np.array([[1.0], [2.0], [-1.0]], np.float32)


def _layers(tf):
    """tf.contrib.layers; when recording, tf_slim's optimizers module (contrib's, which holds optimize_loss)."""
    layers = contrib_layers(tf)
    if hasattr(tf, "contrib"):
        return layers
    from tensorflow.python.framework import indexed_slices, ops
    ops.IndexedSlices = getattr(ops, "IndexedSlices", indexed_slices.IndexedSlices)  # where tf_slim 1.1 finds it
    from tf_slim.layers import optimizers
    return optimizers


def _model(tf):
    w = tf.get_variable("w", initializer=tf.constant([[0.5], [-0.3]]))
    b = tf.get_variable("b", initializer=tf.constant([0.1]))
    loss = tf.reduce_mean(tf.square(tf.matmul(tf.constant(X), w) + b - tf.constant(Y)))
    return w, b, loss


def _steps(tf, train, fetch, n=3):
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        return [s.run([train] + fetch) for _ in range(n)]


def case_optimize_loss_sgd_graph_and_values(tf):
    layers = _layers(tf)
    w, b, loss = _model(tf)
    step = tf.train.get_or_create_global_step()
    train = layers.optimize_loss(loss, step, 0.1, "SGD")
    names = sorted(t.op.name for t in tf.get_collection(tf.GraphKeys.SUMMARIES))
    # (the graph outside the gradients: raygraph's broadcasting-op gradients are leaner than TF's)
    ops = [[op.name, op.type] for op in tf.get_default_graph().get_operations() if "/gradients/" not in op.name + "/"]
    return [train.name, names, [v.op.name for v in tf.global_variables()], ops, _steps(tf, train, [w, b, step])]


def case_optimize_loss_adam_decay_clip_multipliers(tf):
    layers = _layers(tf)
    w, b, loss = _model(tf)
    step = tf.train.get_or_create_global_step()
    train = layers.optimize_loss(
        loss, step, 0.05, "Adam", clip_gradients=0.5, gradient_multipliers={"w:0": 2.0},
        learning_rate_decay_fn=lambda lr, gs: tf.train.exponential_decay(lr, gs, 2, 0.5),
        summaries=["learning_rate", "loss", "gradients", "gradient_norm", "global_gradient_norm"], name="opt")
    names = sorted(t.op.name for t in tf.get_collection(tf.GraphKeys.SUMMARIES))
    return [train.name, names, [v.op.name for v in tf.global_variables()], _steps(tf, train, [w, b, step])]


def case_optimize_loss_optimizer_forms(tf):
    layers = _layers(tf)
    out = []
    for i, spec in enumerate([tf.train.AdagradOptimizer, tf.train.MomentumOptimizer(0.05, 0.5),
                              lambda lr: tf.train.RMSPropOptimizer(lr), "Momentum", "Ftrl", "RMSProp", "Adagrad"]):
        g = tf.Graph()
        with g.as_default():
            w, b, loss = _model(tf)
            step = tf.train.get_or_create_global_step()
            train = layers.optimize_loss(loss, step, tf.constant(0.1), spec, variables=[w],
                                         increment_global_step=i % 2 == 0, summaries=[])
            out.append([sorted(v.op.name for v in tf.global_variables()), _steps(tf, train, [w, b, step], 2)])
    return out


def case_adaptive_clipping(tf):
    layers = _layers(tf)
    w, b, loss = _model(tf)
    step = tf.train.get_or_create_global_step()
    clip = layers.adaptive_clipping_fn(std_factor=1.0, decay=0.9, static_max_norm=3.0, global_step=step,
                                       report_summary=True)
    train = layers.optimize_loss(loss, step, 0.1, "SGD", clip_gradients=clip)
    names = sorted(t.op.name for t in tf.get_collection(tf.GraphKeys.SUMMARIES))
    return [names, sorted(v.op.name for v in tf.global_variables()), _steps(tf, train, [w, b, step], 4)]


def case_optimize_loss_errors(tf):
    layers = _layers(tf)
    loss = _model(tf)[2]
    step = tf.train.get_or_create_global_step()
    opt = layers.optimize_loss
    return [error_text(lambda: opt(loss, step, 0.1, "Nope")),
            error_text(lambda: opt(loss, step, -0.1, "SGD", name="n1")),
            error_text(lambda: opt(loss, step, 1, "SGD", name="n2")),
            error_text(lambda: opt(loss, step, None, "SGD", name="n3")),
            error_text(lambda: opt(loss, step, None, tf.train.AdamOptimizer, name="n4"), 70),  # (then the class)
            error_text(lambda: opt(loss, step, 0.1, "SGD", summaries=["weights"], name="n5")),
            error_text(lambda: opt(loss, step, 0.1, "SGD", clip_gradients=1, name="n6")),
            error_text(lambda: opt(loss, step, 0.1, lambda lr: 3, name="n7")),
            error_text(lambda: opt(loss, step, 0.1, 42, name="n8")),
            error_text(lambda: opt(tf.constant([1.0, 2.0]), step, 0.1, "SGD", name="n9"))]

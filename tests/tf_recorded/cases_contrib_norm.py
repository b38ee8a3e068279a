"""tf.contrib.layers.batch_norm and layer_norm as TF 1.15 built them (recorded with tf_slim, contrib's successor,
whose layers.py is contrib's): variable names and collections, UPDATE_OPS, output names, values in training and
inference, forced updates (updates_collections=None), zero-debiased means, NCHW, batch weights, errors.

Recording needs `pip install tf-slim==1.1.0` in the TF venv (TF 2.21 keeps its legacy layers under tf_keras.src).
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import contrib_layers as _layers  # noqa: E402
from ops_helpers import error as raises  # noqa: E402


def _names(xs):
    return [x.name for x in xs]


X4 = np.arange(2 * 2 * 3 * 3, dtype=np.float32).reshape(2, 2, 3, 3) % 7 - 2.5
X2 = (np.arange(4 * 3, dtype=np.float32).reshape(4, 3) % 5) * 0.5 - 1.0


def _run(tf, build, x, steps=2, feed_training=None):
    """Builds `y = build(layers, input)`, runs the update ops `steps` times, reports names, collections, values."""
    layers = _layers(tf)
    inp = tf.constant(x)
    y = build(layers, inp)
    updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        feed = {} if feed_training is None else {feed_training[0]: feed_training[1]}
        out = None
        for _ in range(steps):
            out = s.run([y] + updates, feed)[0]
        return {"y": [y.name, y.shape.as_list(), out], "updates": _names(updates),
                "globals": _names(tf.global_variables()), "trainable": _names(tf.trainable_variables()),
                "model": _names(tf.model_variables()),
                "values": {v.op.name: s.run(v) for v in tf.global_variables()}}


def case_batch_norm_4d_default(tf):
    return _run(tf, lambda L, x: L.batch_norm(x), X4)


def case_batch_norm_4d_scale_inference(tf):
    return _run(tf, lambda L, x: L.batch_norm(x, scale=True, is_training=False, decay=0.9), X4)


def case_batch_norm_4d_not_fused(tf):
    return _run(tf, lambda L, x: L.batch_norm(x, fused=False, decay=0.5, center=False, scope="bn"), X4)


def case_batch_norm_2d_fused_path(tf):
    return _run(tf, lambda L, x: L.batch_norm(x, decay=0.5, scale=True, activation_fn=tf.nn.relu), X2)


def case_batch_norm_2d_forced_updates(tf):
    return _run(tf, lambda L, x: L.batch_norm(x, decay=0.5, updates_collections=None), X2)


def case_batch_norm_4d_forced_updates_nchw(tf):
    return _run(tf, lambda L, x: L.batch_norm(x, decay=0.5, updates_collections=None, data_format="NCHW"), X4)


def case_batch_norm_zero_debias(tf):
    return _run(tf, lambda L, x: L.batch_norm(x, decay=0.5, zero_debias_moving_mean=True), X2, steps=3)


def case_batch_norm_unfused_forced(tf):
    return _run(tf, lambda L, x: L.batch_norm(x, decay=0.5, fused=False, updates_collections=None, scale=True), X2)


def case_batch_norm_unfused_collections(tf):
    return _run(tf, lambda L, x: L.batch_norm(x, decay=0.5, fused=False, updates_collections="my_updates",
                                              variables_collections={"beta": ["betas"]}), X2)


def case_batch_norm_batch_weights(tf):
    return _run(tf, lambda L, x: L.batch_norm(x, decay=0.5, batch_weights=[1.0, 2.0, 0.0, 1.0]), X2)


def case_batch_norm_3d(tf):
    x = np.arange(2 * 3 * 2, dtype=np.float32).reshape(2, 3, 2) % 4 - 1.0
    return _run(tf, lambda L, x: L.batch_norm(x, decay=0.5), x)


def case_batch_norm_training_placeholder(tf):
    layers = _layers(tf)
    training = tf.placeholder(tf.bool, [], name="training")
    inp = tf.constant(X2)
    y = layers.batch_norm(inp, decay=0.5, is_training=training, updates_collections=None)
    z = layers.batch_norm(tf.constant(X4), decay=0.5, is_training=training)
    updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        a = s.run([y, z] + updates, {training: True})[:2]
        b = s.run([y, z], {training: False})
        return {"a": a, "b": b, "names": [y.name, z.name], "updates": _names(updates),
                "values": {v.op.name: s.run(v) for v in tf.global_variables()}}


def case_batch_norm_reuse_and_outputs_collection(tf):
    layers = _layers(tf)
    x = tf.placeholder(tf.float32, [None, 3])
    a = layers.batch_norm(x, scope="shared", outputs_collections="ends")
    b = layers.batch_norm(x, scope="shared", reuse=True)
    c = layers.batch_norm(x)
    return {"names": [a.name, b.name, c.name], "globals": _names(tf.global_variables()),
            "ends": _names(tf.get_collection("ends")), "shape": a.shape.as_list()}


def case_batch_norm_errors(tf):
    layers = _layers(tf)
    return [raises(lambda: layers.batch_norm(tf.placeholder(tf.float32), fused=False)),
            raises(lambda: layers.batch_norm(tf.placeholder(tf.float32, [2, None]))),
            raises(lambda: layers.batch_norm(tf.placeholder(tf.float32, [2, 3]), data_format="NDHWC")),
            raises(lambda: layers.batch_norm(tf.placeholder(tf.float32, [2, None]), fused=False))]


def case_layer_norm(tf):
    return _run(tf, lambda L, x: L.layer_norm(x), X4, steps=1)


def case_layer_norm_axes_and_options(tf):
    return _run(tf, lambda L, x: L.layer_norm(x, begin_norm_axis=-1, begin_params_axis=-2, center=False,
                                              activation_fn=tf.nn.relu, scope="ln"), X4, steps=1)


def case_layer_norm_2d_twice(tf):
    layers = _layers(tf)
    x = tf.constant(X2)
    a, b = layers.layer_norm(x), layers.layer_norm(x, variables_collections=["extra"])
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        return {"names": [a.name, b.name], "values": s.run([a, b]), "globals": _names(tf.global_variables()),
                "extra": _names(tf.get_collection("extra"))}


def case_layer_norm_errors(tf):
    layers = _layers(tf)
    return [raises(lambda: layers.layer_norm(tf.placeholder(tf.float32))),
            raises(lambda: layers.layer_norm(tf.placeholder(tf.float32, [2, 3]), begin_norm_axis=2)),
            raises(lambda: layers.layer_norm(tf.placeholder(tf.float32, [2, None])))]

"""tf.contrib.layers' convolutions, pooling, dropout, one_hot_encoding, repeat and stack, and
tf.contrib.framework's arg_scope over every contrib layer, as TF 1.15 built them (recorded with tf_slim 1.1,
contrib's successor, whose layers.py and arg_scope.py are contrib's): graphs, variable names and collections,
scopes and reuse, values, build-time and run-time errors.

Recording needs `pip install tf-slim==1.1.0` in the TF venv.
"""
import functools
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import contrib_framework, contrib_layers, describe, error_text, sig


def _names(xs):
    return [x.name for x in xs]


def _det(seed):
    """An initializer of fixed pseudo-random values, the same under both libraries."""
    rng = np.random.default_rng(seed)
    return lambda shape, dtype=None, partition_info=None: rng.uniform(-1, 1, size=shape).astype(np.float32)


def _images(seed, shape):
    return np.random.default_rng(seed).uniform(-2, 2, size=shape).astype(np.float32)


def _variables(tf, *collections):
    """Global variables with shapes, and the model/trainable ones and given collections by name."""
    out = {"globals": [[v.name, v.shape.as_list()] for v in tf.global_variables()],
           "model": _names(tf.model_variables()), "trainable": _names(tf.trainable_variables())}
    out.update({c: _names(tf.get_collection(c)) for c in collections})
    return out


def _values(tf, fetches, feed=None):
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        return s.run(list(fetches), feed)


# ----- graphs -----------------------------------------------------------------------------------------------
def case_conv2d_graph(tf):
    L = contrib_layers(tf)
    x = tf.placeholder(tf.float32, [None, None, 7, 3], name="x")
    a = L.conv2d(x, 4, 3)
    b = L.conv2d(x, 2, [3, 2], stride=2, padding="VALID", activation_fn=None, scope="c2")
    c = L.convolution2d(tf.placeholder(tf.float32, [None, 8, 7, 3]), 2, 3, rate=2, biases_initializer=None)
    return {"out": [sig(t) for t in (a, b, c)], "graph": describe(tf), **_variables(tf)}


def case_conv_ranks_and_nchw_graph(tf):
    L = contrib_layers(tf)
    x1 = tf.placeholder(tf.float32, [2, 9, 3])
    x3 = tf.placeholder(tf.float32, [None, 4, 5, 6, 2])
    xc = tf.placeholder(tf.float32, [None, 3, 8, 8])
    outs = [L.conv1d(x1, 4, 3, stride=2), L.convolution(x3, 3, [2, 2, 2], padding="VALID"),
            L.conv3d(x3, 2, 1, data_format="NCDHW"), L.conv2d(xc, 5, 3, data_format="NCHW", rate=[1, 2]),
            L.convolution(x1, 2, 2, data_format="NCW")]
    return {"out": [sig(t) for t in outs], "graph": describe(tf), **_variables(tf)}


def case_conv2d_transpose_graph(tf):
    L = contrib_layers(tf)
    x = tf.placeholder(tf.float32, [None, 5, 4, 3])
    outs = [L.conv2d_transpose(x, 2, 3, stride=2), L.convolution2d_transpose(x, 4, [2, 3], padding="VALID",
                                                                             activation_fn=None, scope="up"),
            L.conv2d_transpose(tf.placeholder(tf.float32, [2, 4, 3, 3]), 3, 2, stride=[2, 1],
                               biases_initializer=None)]
    return {"out": [sig(t) for t in outs], "graph": describe(tf), **_variables(tf)}


def case_conv2d_transpose_nchw(tf):
    """Shapes and values only: TF 1's Keras asked a session of its own for the devices here (its graph gains
    variable-initialization ops)."""
    L = contrib_layers(tf)
    x = _images(3, [2, 3, 4, 5])
    t = tf.placeholder(tf.float32, [2, 3, None, 5])
    a = L.conv2d_transpose(t, 2, 2, stride=[2, 1], data_format="NCHW", weights_initializer=_det(1))
    b = L.conv2d_transpose(tf.constant(x), 4, [3, 2], padding="VALID", data_format="NCHW",
                           weights_initializer=_det(2), biases_initializer=tf.constant_initializer(0.5))
    return {"out": [sig(a), sig(b)], "values": _values(tf, [a, b], {t: x}), **_variables(tf)}


def case_separable_graph(tf):
    L = contrib_layers(tf)
    x = tf.placeholder(tf.float32, [None, 6, 6, 3])
    outs = [L.separable_conv2d(x, 5, 3), L.separable_convolution2d(x, None, [3, 2], depth_multiplier=2, stride=2),
            L.separable_conv2d(x, 4, 3, rate=2, padding="VALID", pointwise_initializer=tf.ones_initializer()),
            L.separable_conv2d(x, None, 2, rate=[2, 1], normalizer_fn=L.layer_norm, activation_fn=None)]
    return {"out": [sig(t) for t in outs], "graph": describe(tf), **_variables(tf)}


def case_pool_graph(tf):
    L = contrib_layers(tf)
    x = tf.placeholder(tf.float32, [None, 7, None, 3])
    xc = tf.placeholder(tf.float32, [2, 3, 6, 6])
    outs = [L.max_pool2d(x, 2), L.avg_pool2d(x, [3, 2], stride=1, padding="SAME", scope="ap"),
            L.max_pool2d(xc, [2, 3], stride=[2, 1], data_format="NCHW", outputs_collections="ends"),
            L.avg_pool2d(xc, 2, data_format="NCHW")]
    return {"out": [sig(t) for t in outs], "graph": describe(tf), "ends": _names(tf.get_collection("ends"))}


def case_dropout_one_hot_graph(tf):
    L = contrib_layers(tf)
    x = tf.placeholder(tf.float32, [None, 4, 3])
    training = tf.placeholder(tf.bool, [])
    keep = tf.placeholder(tf.float32, [])
    outs = [L.dropout(x), L.dropout(x, 0.8, is_training=False), L.dropout(x, keep_prob=keep, is_training=training),
            L.dropout(x, 1.0, scope="keep_all"), L.dropout(x, 0.5, noise_shape=[None, 1, 3], seed=3),
            L.one_hot_encoding([1, 0, 3], 4), L.one_hot_encoding(tf.constant([[2], [1]], tf.int64), 3, on_value=5.0,
                                                                off_value=-1.0, scope="oh"),
            L.one_hot_encoding(tf.placeholder(tf.int32, [None]), 2, outputs_collections=["ends"])]
    return {"out": [sig(t) for t in outs], "graph": describe(tf), "ends": _names(tf.get_collection("ends")),
            **_variables(tf)}


def case_repeat_stack_graph(tf):
    L = contrib_layers(tf)
    x = tf.placeholder(tf.float32, [None, 6, 6, 3])
    outs = [L.repeat(x, 2, L.conv2d, 3, [3, 3]), L.repeat(x, 2, L.conv2d, 3, 1, scope="rep", activation_fn=None),
            L.stack(x, L.conv2d, [(4, 3), (5, [1, 1])], scope="st"),
            L.stack(tf.placeholder(tf.float32, [None, 5]), L.fully_connected, [6, 7]),
            L.repeat(x, 1, functools.partial(L.max_pool2d, kernel_size=2, stride=1)),
            L.stack(x, lambda t, n, scope: L.conv2d(t, n, 1, scope=scope), [2], scope="lam")]
    return {"out": [sig(t) for t in outs], "graph": describe(tf), **_variables(tf)}


# ----- values -----------------------------------------------------------------------------------------------
def case_conv_values(tf):
    L = contrib_layers(tf)
    x = _images(0, [2, 5, 6, 3])
    t = tf.constant(x)
    outs = [L.conv2d(t, 4, 3, weights_initializer=_det(1), biases_initializer=tf.constant_initializer(0.25)),
            L.conv2d(t, 2, [2, 3], stride=2, padding="VALID", weights_initializer=_det(2), activation_fn=tf.tanh),
            L.conv2d(t, 3, 3, rate=2, weights_initializer=_det(3), activation_fn=None),
            L.conv1d(tf.constant(x[:, 0]), 2, 2, weights_initializer=_det(4)),
            L.convolution(tf.constant(x[None]), 2, [1, 2, 2], weights_initializer=_det(5), activation_fn=None)]
    return _values(tf, outs)


def case_conv_transpose_and_separable_values(tf):
    L = contrib_layers(tf)
    x = _images(6, [2, 4, 5, 3])
    t = tf.placeholder(tf.float32, [None, None, None, 3])  # transposes of unknown sizes: values only
    outs = [L.conv2d_transpose(t, 2, 3, stride=2, weights_initializer=_det(1), activation_fn=None),
            L.conv2d_transpose(t, 3, [2, 3], padding="VALID", weights_initializer=_det(2),
                               biases_initializer=tf.constant_initializer(-0.5)),
            L.separable_conv2d(t, 4, 3, weights_initializer=_det(3), pointwise_initializer=_det(4)),
            L.separable_conv2d(t, None, [2, 3], depth_multiplier=2, stride=2, weights_initializer=_det(5),
                               activation_fn=None, biases_initializer=tf.constant_initializer(0.1)),
            L.separable_conv2d(tf.constant(x), 2, 3, rate=2, weights_initializer=_det(6), activation_fn=None)]
    return _values(tf, outs, {t: x}) + _values(tf, outs[:4], {t: x[:1, :3, :3]})


def case_pool_one_hot_values(tf):
    L = contrib_layers(tf)
    x = _images(7, [2, 5, 5, 3])
    t = tf.placeholder(tf.float32, [None, None, None, 3])
    labels = tf.placeholder(tf.int32, [None])
    outs = [L.max_pool2d(t, 2), L.avg_pool2d(t, 3, stride=1, padding="SAME"), L.max_pool2d(t, [3, 2], [1, 2]),
            L.avg_pool2d(t, [2, 2], 2, padding="SAME"), L.one_hot_encoding(labels, 4),
            L.one_hot_encoding(labels, 3, on_value=2.0, off_value=0.5)]
    return [_values(tf, outs, {t: x, labels: [0, 3, -1, 2]}),
            _values(tf, outs[:4] + outs[5:], {t: x[:, :2, :3], labels: []})]


def case_dropout_values(tf):
    L = contrib_layers(tf)
    x = _images(8, [4, 5, 6]) + 3.0
    t = tf.constant(x)
    training = tf.placeholder(tf.bool, [])
    a = L.dropout(t, 0.6, seed=1)
    b = L.dropout(t, 0.6, noise_shape=[4, 1, 6], seed=2, is_training=training)
    c = L.dropout(t, 0.3, is_training=False)
    d = L.dropout(t, 1.0)
    va, vb, vc, vd = _values(tf, [a, b, c, d], {training: True})
    off = _values(tf, [b], {training: False})[0]
    kept = np.isclose(va, x / 0.6, rtol=1e-5)
    return {"only_kept_or_zero": bool(np.all(kept | (va == 0))), "some_dropped": bool(np.any(va == 0)),
            "some_kept": bool(np.any(kept)), "noise_shared_over_axis_1": bool(np.all((vb == 0) == (vb[:, :1] == 0))),
            "off": off, "not_training": vc, "keep_all": vd}


def case_fully_connected_and_norm_values(tf):
    L = contrib_layers(tf)
    x = _images(9, [3, 4, 4, 2])
    t = tf.constant(x)
    y = L.conv2d(t, 3, 3, normalizer_fn=L.batch_norm, normalizer_params={"decay": 0.5, "scale": True},
                 weights_initializer=_det(1))
    z = L.fully_connected(L.flatten(y), 5, weights_initializer=_det(2), normalizer_fn=L.layer_norm)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        vy, vz = s.run([y, z])
        s.run(tf.get_collection(tf.GraphKeys.UPDATE_OPS))
        moving = s.run(tf.model_variables())
    return {"y": vy, "z": vz, "moving": moving, "names": [y.name, z.name], **_variables(tf, "update_ops")}


# ----- variables, collections, reuse ------------------------------------------------------------------------
def case_collections_and_reuse(tf):
    L = contrib_layers(tf)
    x = tf.placeholder(tf.float32, [None, 6, 6, 3])
    def reg(w):
        return tf.multiply(0.1, tf.nn.l2_loss(w), name="penalty")

    a = L.conv2d(x, 4, 3, scope="shared", variables_collections={"weights": ["W"], "biases": "B"},
                 outputs_collections="ends", weights_regularizer=reg, biases_regularizer=reg)
    b = L.conv2d(x, 4, 3, scope="shared", reuse=True)
    c = L.conv2d_transpose(x, 2, 3, trainable=False, variables_collections=["all"], outputs_collections="ends")
    d = L.separable_conv2d(x, 2, 3, variables_collections={"weights": ["W"]}, weights_regularizer=reg)
    e = L.separable_conv2d(x, None, 3, variables_collections=["all"], trainable=False)
    with tf.variable_scope("outer"):
        f = L.conv2d(x, 2, 1)
        g = L.conv2d(x, 2, 1)
    return {"out": _names([a, b, c, d, e, f, g]), "losses": _names(tf.losses.get_regularization_losses()),
            **_variables(tf, "W", "B", "all", "ends")}


def case_reuse_errors(tf):
    L = contrib_layers(tf)
    x = tf.placeholder(tf.float32, [None, 6, 6, 3])
    L.conv2d(x, 4, 3, scope="c")
    return [error_text(lambda: L.conv2d(x, 4, 3, scope="c"), 80),
            error_text(lambda: L.conv2d(x, 5, 3, scope="c", reuse=True), 80),
            error_text(lambda: L.conv2d(x, 4, 3, scope="new", reuse=True), 80),
            error_text(lambda: L.conv2d_transpose(x, 4, 3, scope="c", reuse=True), 80)]


# ----- arg_scope --------------------------------------------------------------------------------------------
def case_arg_scope_layers(tf):
    L, F = contrib_layers(tf), contrib_framework(tf)
    x = tf.placeholder(tf.float32, [None, 6, 6, 3])
    with F.arg_scope([L.fully_connected, L.conv2d], activation_fn=None, weights_initializer=_det(1)):
        with F.arg_scope([L.conv2d], padding="VALID", stride=2):
            a = L.conv2d(x, 4, 3)
            b = L.conv2d(x, 4, 3, padding="SAME", activation_fn=tf.nn.relu6)
        c = L.conv2d(x, 2, 1)
        d = L.fully_connected(L.flatten(c), 3)
        e = L.convolution2d_transpose(x, 2, 3)  # not in the scope: ReLU, xavier
    f = L.conv2d(x, 2, 1)
    with F.arg_scope([L.max_pool2d, L.avg_pool2d], kernel_size=[3, 3], padding="SAME"):
        g, h = L.max_pool2d(x), L.avg_pool2d(x, stride=1)
    with F.arg_scope([L.dropout, L.one_hot_encoding, L.flatten], outputs_collections="ends"):
        with F.arg_scope([L.dropout], is_training=False):
            i = L.dropout(x)
        j = L.one_hot_encoding([1], 2)
        k = L.flatten(x)
    with F.arg_scope([L.batch_norm, L.layer_norm], scale=True), F.arg_scope([L.layer_norm], scope="norm"):
        m = L.batch_norm(x)
        n = L.layer_norm(tf.placeholder(tf.float32, [None, 3]))
    with F.arg_scope([L.separable_conv2d], depth_multiplier=2, activation_fn=None):
        o = L.separable_conv2d(x, None, 3)
    vals = _values(tf, [a, c], {x: _images(2, [1, 6, 6, 3])})
    return {"out": [sig(t) for t in (a, b, c, d, e, f, g, h, i, j, k, m, n, o)], "values": vals,
            "ends": _names(tf.get_collection("ends")), **_variables(tf)}


def case_arg_scope_normalizer_and_repeat(tf):
    L, F = contrib_layers(tf), contrib_framework(tf)
    x = tf.placeholder(tf.float32, [None, 6, 6, 3])
    with F.arg_scope([L.conv2d, L.fully_connected], normalizer_fn=L.batch_norm,
                     normalizer_params={"is_training": False}), F.arg_scope([L.batch_norm], scale=True):
        a = L.repeat(x, 2, L.conv2d, 3, [3, 3], scope="block")
        b = L.stack(L.flatten(a), L.fully_connected, [4, 2])
        c = L.conv2d(x, 2, 1, normalizer_fn=None)
    return {"out": [sig(t) for t in (a, b, c)], **_variables(tf)}


def case_arg_scope_model_variables(tf):
    L, F = contrib_layers(tf), contrib_framework(tf)
    x = tf.placeholder(tf.float32, [None, 5])
    with F.arg_scope([F.model_variable], device="/cpu:0"):
        a = L.fully_connected(x, 3)
        b = L.batch_norm(x, fused=False)
        v = F.model_variable("mv", shape=[2], initializer=tf.zeros_initializer())
    with F.arg_scope([F.variable], collections=["mine"]):
        w = F.variable("plain", shape=[3])
        m = F.model_variable("model", shape=[1], collections=["extra"])
    c = L.fully_connected(x, 2)
    return {"devices": [[t.op.name, t.device] for t in tf.global_variables()], "out": _names([a, b, c]),
            "mv": [v.name, w.name, m.name], **_variables(tf, "mine", "extra")}


def case_arg_scope_api(tf):
    L, F = contrib_layers(tf), contrib_framework(tf)

    def plain(a, b=1, c=2):
        return a + 10 * b + 100 * c

    def with_local(a, b=1, c=2):
        total = a + 10 * b + 100 * c
        return total

    def no_defaults(a, b):
        return a - b

    f, g, h = F.add_arg_scope(plain), F.add_arg_scope(with_local), F.add_arg_scope(no_defaults)
    out = {"scoped": [list(F.arg_scoped_arguments(fn)) for fn in (f, g, h)],
           "has": [F.has_arg_scope(fn) for fn in (f, plain, L.conv2d, L.convolution2d, L.fully_connected,
                                                   L.repeat, L.stack, F.model_variable, F.arg_scope)],
           "names": [fn.__name__ for fn in (f, L.conv2d, L.conv2d_transpose, L.separable_conv2d, L.max_pool2d,
                                            L.avg_pool2d, L.dropout, L.batch_norm)]}
    with F.arg_scope([f, g], b=3) as sc1:
        out["calls"] = [f(1), f(1, c=0), g(1), h(5, 2), error_text(lambda: f(1, 4))]
        with F.arg_scope([f], c=5):
            out["nested"] = [f(0), g(0)]
            with F.arg_scope({}):
                out["emptied"] = [f(0), g(0)]
        out["after"] = f(0)
    with F.arg_scope(sc1):
        out["reused"] = [f(0), len(F.current_arg_scope())]
    out["outside"] = [f(0), len(F.current_arg_scope())]
    return out


def case_arg_scope_errors(tf):
    L, F = contrib_layers(tf), contrib_framework(tf)
    f = F.add_arg_scope(lambda a, b=1: a + b)

    def in_scope(fn):
        def go():
            with fn():
                pass
        return go

    out = [error_text(in_scope(lambda: F.arg_scope([f, tf.nn.relu], b=2)), 45),  # then the module's name
           error_text(in_scope(lambda: F.arg_scope(f, b=2))),
           error_text(in_scope(lambda: F.arg_scope({}, b=2))),
           error_text(lambda: f(1, c=3), 40)]
    x = tf.placeholder(tf.float32, [None, 4, 4, 2])
    with F.arg_scope([L.convolution], activation_fn=None):
        out.append(error_text(lambda: L.conv2d(x, 2, 1)))
        out.append(L.convolution(x, 2, 1).name)
    with F.arg_scope([f], b=5):  # as in TF, the failed inner arg_scope pops this one on its way out
        out.append(f(0))
        out.append(error_text(in_scope(lambda: F.arg_scope([tf.nn.relu])), 45))
        out.append(f(0))
    out.append(f(0))
    return out


# ----- errors -----------------------------------------------------------------------------------------------
# Messages raised by contrib's own code are compared whole; those of the tf.layers objects inside (TF 1's Keras when
# recording, tf_keras' wording in raygraph) by class and opening words.
def case_conv_errors(tf):
    L = contrib_layers(tf)
    x = tf.placeholder(tf.float32, [None, 6, 6, 3])
    return [error_text(lambda: L.conv2d(x, 4, 3, data_format="NHCW")),
            error_text(lambda: L.convolution(tf.placeholder(tf.float32, [2, 3]), 4, 3)),
            error_text(lambda: L.conv2d(tf.placeholder(tf.float32, [2, 3, 3]), 4, 3)),
            error_text(lambda: L.conv2d(tf.placeholder(tf.float32), 4, 3)),
            error_text(lambda: L.convolution(tf.placeholder(tf.float32), 4, 3)),
            error_text(lambda: L.conv2d(tf.placeholder(tf.float32, [None, 6, 6, None]), 4, 3), 54),
            error_text(lambda: L.conv2d(x, 4, [3, 3, 3])),
            error_text(lambda: L.conv2d(x, 4, 3, padding="FULL")),
            error_text(lambda: L.conv2d(x, 4, 9, padding="VALID"), 0),
            error_text(lambda: L.conv2d_transpose(x, 4, 3, data_format="NCDHW")),
            error_text(lambda: L.conv2d_transpose(tf.placeholder(tf.float32, [2, 3, 3]), 4, 3), 17),
            error_text(lambda: L.separable_conv2d(x, 4, 3, data_format="NWC")),
            error_text(lambda: L.separable_conv2d(tf.placeholder(tf.float32, [2, 3, None]), None, 3)),
            error_text(lambda: L.separable_conv2d(tf.placeholder(tf.float32, [2, 3, 3, None]), None, 3)),
            error_text(lambda: L.separable_conv2d(x, None, [1, 2, 3])),
            error_text(lambda: L.separable_conv2d(x, None, 3, stride=1.5))]


def case_other_errors(tf):
    L = contrib_layers(tf)
    x = tf.placeholder(tf.float32, [None, 6, 6, 3])
    return [error_text(lambda: L.max_pool2d(x, 2, data_format="NCDHW")),
            error_text(lambda: L.avg_pool2d(tf.placeholder(tf.float32, [2, 3]), 2), 17),
            error_text(lambda: L.max_pool2d(x, [2, 2, 2])),
            error_text(lambda: L.avg_pool2d(x, 2, padding="same_ish")),
            error_text(lambda: L.dropout(x, 1.5)),
            error_text(lambda: L.one_hot_encoding([1.0, 2.0], 3), 60),
            error_text(lambda: L.stack(x, L.conv2d, 4)),
            error_text(lambda: L.repeat(x, 1, L.conv2d, 4)),
            error_text(lambda: L.repeat(x, 1, lambda t, scope: t)),
            error_text(lambda: L.fully_connected(x, 3.0)),
            error_text(lambda: L.fully_connected(tf.placeholder(tf.float32, [None, None]), 3), 35)]


def case_runtime_errors(tf):
    L = contrib_layers(tf)
    x = tf.placeholder(tf.float32, [None, None, None, 3])
    depth = tf.placeholder(tf.int32, [])
    a = L.conv2d(x, 2, 3, padding="VALID", stride=2)
    b = L.max_pool2d(x, 3, padding="SAME")
    c = L.one_hot_encoding([0, 1], depth)
    d = L.conv2d(tf.placeholder(tf.float32, [None, 3, None, None], name="nchw"), 2, 1, data_format="NCHW")
    small = np.zeros([1, 3, 4, 3], np.float32)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())

        def error(fetch, feed):
            text = error_text(lambda: s.run(fetch, feed))
            if "Node: '" in text[1]:  # TF 2.21's message: "... Node: 'name' <kernel message>"
                text[1] = text[1].split("Node: '", 1)[1].split("' ", 1)[1]
            return text
        return [error(c, {depth: -1}), sig(d), s.run(c, {depth: 1}), [v.shape for v in s.run([a, b], {x: small})]]

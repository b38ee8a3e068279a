"""Recorded cases: tf.layers (Layer, Dense, Dropout, Flatten: names, scopes, reuse, weights, values), tensordot,
setdiff1d."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error, error_text, run, sig  # noqa: E402

X = np.arange(6, dtype=np.float32).reshape(2, 3) / 4.0 - 0.5


def _names(vs):
    return [v.name for v in vs]


def _init_and_run(tf, fetches, feed=None):
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        return s.run(fetches, feed)


# ----- Dense ------------------------------------------------------------------------------------------------
def case_dense_graph_and_names(tf):
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    y = tf.layers.dense(x, 4, activation=tf.nn.relu)
    z = tf.layers.dense(y, 2, name="out", use_bias=False)
    d = tf.layers.Dense(5, kernel_initializer=tf.zeros_initializer(), bias_initializer=tf.ones_initializer())
    a, b = d(x), d(x)
    return [describe(tf), [sig(t) for t in (y, z, a, b)], d.name, d.scope_name, _names(d.weights),
            _names(d.trainable_weights), d.built, d.units, _names(tf.global_variables()),
            _names(tf.trainable_variables())]


def case_dense_values_seeded(tf):
    tf.set_random_seed(7)
    x = tf.constant(X)
    y = tf.layers.dense(x, 4, activation=tf.nn.tanh)
    z = tf.layers.dense(y, 1, kernel_initializer=tf.truncated_normal_initializer(stddev=0.5, seed=3))
    return _init_and_run(tf, [y, z])


def case_dense_reuse(tf):
    x = tf.placeholder(tf.float32, [None, 3])
    a = tf.layers.dense(x, 2, name="shared")
    b = tf.layers.dense(x, 2, name="shared", reuse=True)
    again = error_text(lambda: tf.layers.dense(x, 2, name="shared"), 60)
    with tf.variable_scope("outer", reuse=tf.AUTO_REUSE):
        c = tf.layers.dense(x, 2, name="inner")
        d = tf.layers.dense(x, 2, name="inner")
    with tf.variable_scope("scope2"):
        e = tf.layers.dense(x, 2)
        f = tf.layers.dense(x, 2)
    return [describe(tf), [sig(t) for t in (a, b, c, d, e, f)], again, _names(tf.global_variables())]


def case_dense_rank3_and_dtypes(tf):
    x3 = tf.placeholder(tf.float32, [None, 5, 3], name="x3")
    y3 = tf.layers.dense(x3, 2)
    x64 = tf.placeholder(tf.float64, [2, 3], name="x64")
    y64 = tf.layers.dense(x64, 2)
    xs = tf.constant(np.ones([2, 4, 3], np.float32))
    ys = tf.layers.dense(xs, 2, kernel_initializer=tf.ones_initializer())
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        values = s.run(ys)
    return [describe(tf), [sig(t) for t in (y3, y64, ys)], values, _names(tf.global_variables()),
            [v.dtype.name for v in tf.global_variables()]]


def case_dense_errors(tf):
    x = tf.placeholder(tf.float32, [None, 3])
    d = tf.layers.Dense(2)
    d(x)
    return [error_text(lambda: tf.layers.dense(tf.placeholder(tf.float32, [3]), 2)),
            error_text(lambda: tf.layers.dense(tf.placeholder(tf.float32, [None, None]), 2)),
            error_text(lambda: d(tf.placeholder(tf.float32, [None, 4]))),
            error(lambda: tf.layers.dense(tf.placeholder(tf.int32, [None, 3]), 2)),
            error_text(lambda: tf.layers.Dense(2).scope_name),
            error(lambda: tf.layers.Dense(2, foo=1))]


def case_dense_regularizers_and_trainable(tf):
    x = tf.placeholder(tf.float32, [None, 3])
    y = tf.layers.dense(x, 2, kernel_regularizer=lambda w: 0.1 * tf.reduce_sum(tf.square(w)),
                        bias_regularizer=lambda b: tf.reduce_sum(b), name="reg")
    frozen = tf.layers.Dense(2, trainable=False, name="frozen")
    z = frozen(x)
    losses = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    return [describe(tf), sig(y), sig(z), [t.name for t in losses], _names(frozen.trainable_weights),
            _names(frozen.non_trainable_weights), _names(tf.trainable_variables()), _names(tf.global_variables())]


def case_dense_gradients(tf):
    tf.set_random_seed(1)
    x = tf.constant(X)
    y = tf.layers.dense(tf.layers.dense(x, 3, activation=tf.nn.sigmoid), 1)
    loss = tf.reduce_mean(tf.square(y))
    grads = tf.gradients(loss, tf.trainable_variables())
    return _init_and_run(tf, grads)


# ----- Dropout, Flatten -------------------------------------------------------------------------------------
def case_dropout_layer(tf):
    tf.set_random_seed(2)
    x = tf.constant(np.ones([3, 4], np.float32))
    train = tf.layers.dropout(x, rate=0.5, training=True)
    infer = tf.layers.dropout(x, rate=0.5)
    t = tf.placeholder(tf.bool, [])
    switch = tf.layers.dropout(x, rate=0.25, training=t, seed=4)
    zero = tf.layers.Dropout(0.0)(x, training=True)
    shaped = tf.layers.dropout(x, rate=0.5, noise_shape=[None, 1], training=True, name="ns")
    with tf.Session() as s:
        values = s.run([train, infer, zero, shaped])
        on, off = s.run(switch, {t: True}), s.run(switch, {t: False})
    return [describe(tf), [sig(v) for v in (train, infer, switch, zero, shaped)], values, on, off]


def case_flatten_layer(tf):
    outs = [tf.layers.flatten(tf.placeholder(tf.float32, [None, 2, 3])),
            tf.layers.flatten(tf.placeholder(tf.float32, [4, None, 3])),
            tf.layers.flatten(tf.placeholder(tf.float32, [None, None, 3])),
            tf.layers.flatten(tf.placeholder(tf.float32, [5])),
            tf.layers.Flatten(data_format="channels_first")(tf.placeholder(tf.float32, [None, 2, 3, 4])),
            tf.layers.flatten(tf.constant(np.arange(24.0, dtype=np.float32).reshape(2, 3, 4)), name="f")]
    bad = error_text(lambda: tf.layers.Flatten(data_format="nchw"))
    with tf.Session() as s:
        value = s.run(outs[-1])
    return [describe(tf), [sig(t) for t in outs], value, bad]


# ----- a user layer -----------------------------------------------------------------------------------------
def case_custom_layer(tf):
    class Scale(tf.layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight("w", shape=[int(input_shape[-1])], initializer=tf.constant_initializer(2.0))
            self.c = self.add_weight("c", shape=[], initializer=tf.zeros_initializer(), trainable=False)
            super().build(input_shape)

        def call(self, inputs):
            return inputs * self.w + self.c

    layer = Scale(name="scale")
    x = tf.constant(X)
    y, y2 = layer(x), layer.apply(x)
    other = Scale()
    z = other(x)
    values = _init_and_run(tf, [y, y2, z])
    return [describe(tf), layer.name, other.name, _names(layer.weights), _names(layer.trainable_weights),
            _names(layer.non_trainable_weights), layer.count_params(), values, _names(tf.trainable_variables())]


# ----- tensordot, setdiff1d ---------------------------------------------------------------------------------
def case_tensordot(tf):
    a = tf.constant(np.arange(24.0, dtype=np.float32).reshape(2, 3, 4))
    b = tf.constant(np.arange(12.0, dtype=np.float32).reshape(4, 3))
    outs = [tf.tensordot(a, b, 1), tf.tensordot(a, b, [[1, 2], [1, 0]]), tf.tensordot(a, b, [[2], [0]], name="td"),
            tf.tensordot(b, b, 0)]
    p = tf.placeholder(tf.float32, [None, 3, 4])
    q = tf.placeholder(tf.float32)
    dyn = [tf.tensordot(p, b, [[2], [0]]), tf.tensordot(q, b, [[1], [0]])]
    with tf.Session() as s:
        values = s.run(outs)
        dyn_values = s.run(dyn, {p: np.ones([2, 3, 4], np.float32), q: np.ones([2, 4], np.float32)})
    return [describe(tf), [sig(t) for t in outs + dyn], values, dyn_values,
            error_text(lambda: tf.tensordot(a, b, [[1], [0, 1]])), error_text(lambda: tf.tensordot(a, b, 5)),
            error_text(lambda: tf.tensordot(a, b, [1, 2, 3]))]


def case_setdiff1d(tf):
    x = tf.constant([1, 2, 3, 4, 5, 6])
    out, idx = tf.setdiff1d(x, [1, 3, 4])
    o64, i64 = tf.setdiff1d(tf.constant([5.0, 1.0, 5.0]), tf.constant([1.0]), index_dtype=tf.int64, name="d")
    return [describe(tf), [sig(t) for t in (out, idx, o64, i64)], run(tf, [out, idx, o64, i64]),
            error(lambda: tf.setdiff1d(tf.constant([[1]]), x))]


def case_variable_scope_counts(tf):
    """Default names count every entered scope of that name (named ones too); leaving a scope resets its
    sub-scopes; re-entering a scope object forgets what was opened inside; name scopes uniquify apart."""
    names = []
    with tf.variable_scope("flatten"):
        pass
    with tf.name_scope("flat"):
        with tf.variable_scope(None, default_name="flatten") as a:
            names.append([a.name, a.original_name_scope, tf.constant(0.0).name])
    for _ in range(2):
        with tf.variable_scope("outer") as outer:
            with tf.variable_scope(None, default_name="inner") as b:
                names.append([b.name, b.original_name_scope])
            with tf.variable_scope(None, default_name="inner") as c:
                names.append([c.name, c.original_name_scope])
    with tf.variable_scope(outer):
        with tf.variable_scope(None, default_name="inner") as d:
            names.append([d.name, d.original_name_scope])
    with tf.variable_scope(outer):
        with tf.variable_scope(None, default_name="inner") as e:
            names.append([e.name, e.original_name_scope])
    names.append(error_text(lambda: tf.variable_scope(None, default_name="x", reuse=True).__enter__()))
    x = tf.placeholder(tf.float32, [None, 3])
    layers = [tf.layers.dense(x, 1), tf.layers.flatten(x), tf.layers.dense(x, 1)]
    taken = error(lambda: tf.layers.dense(x, 1, name="dense"))
    return [names, [t.name for t in layers], [v.name for v in tf.global_variables()], taken]


# ----- pooling layers ---------------------------------------------------------------------------------------
def case_pooling_layers(tf):
    x4 = tf.placeholder(tf.float32, [None, 6, 6, 2], name="x4")
    x3 = tf.placeholder(tf.float32, [None, 7, 2], name="x3")
    x5 = tf.placeholder(tf.float32, [None, 4, 4, 4, 2], name="x5")
    outs = [tf.layers.max_pooling2d(x4, 2, 2), tf.layers.average_pooling2d(x4, [3, 2], [1, 2], padding="same"),
            tf.layers.MaxPooling2D(3, 2, name="mp")(x4), tf.layers.max_pooling1d(x3, 2, 2),
            tf.layers.average_pooling1d(x3, 3, 1, padding="SAME", name="ap1"),
            tf.layers.max_pooling1d(tf.placeholder(tf.float32, [None, 2, 7]), 2, 2, data_format="channels_first"),
            tf.layers.max_pooling3d(x5, 2, 2), tf.layers.average_pooling3d(x5, 2, 1),
            tf.layers.max_pooling3d(tf.placeholder(tf.float32, [None, 2, 4, 4, 4]), 2, 2, data_format="channels_first")]
    v4 = np.arange(72, dtype=np.float32).reshape(1, 6, 6, 2)
    v3 = np.arange(14, dtype=np.float32).reshape(1, 7, 2)
    with tf.Session() as s:
        values = s.run(outs[:5], {x4: v4, x3: v3})
    return [describe(tf), [sig(t) for t in outs], values]


def case_pooling_layer_errors(tf):
    x4 = tf.placeholder(tf.float32, [None, 6, 6, 2])
    return [error_text(lambda: tf.layers.max_pooling2d(x4, 2, None)),
            error_text(lambda: tf.layers.max_pooling2d(x4, [2, 2, 2], 2)),
            error_text(lambda: tf.layers.max_pooling2d(x4, 0, 2)),
            error_text(lambda: tf.layers.max_pooling2d(x4, 2, 2, padding="full")),
            error_text(lambda: tf.layers.max_pooling2d(x4, 2, 2, data_format="NHWC")),
            error_text(lambda: tf.layers.max_pooling2d(tf.placeholder(tf.float32, [None, 6, 2]), 2, 2)),
            error_text(lambda: tf.layers.max_pooling1d(x4, 2, 2))]


# ----- convolution layers -----------------------------------------------------------------------------------
def case_conv_layers_graph(tf):
    x = tf.placeholder(tf.float32, [None, 8, 8, 3], name="x")
    y = tf.layers.conv2d(x, 4, 3, activation=tf.nn.relu)
    z = tf.layers.conv2d(y, 2, [3, 3], strides=2, padding="same", use_bias=False, name="c2")
    t = tf.layers.conv2d_transpose(z, 3, 3, strides=2, padding="same")
    t2 = tf.layers.Conv2DTranspose(2, [2, 3], strides=(2, 1), padding="valid")(x)
    x1 = tf.placeholder(tf.float32, [None, 10, 3], name="x1")
    c1 = tf.layers.conv1d(x1, 4, 3)
    causal = tf.layers.Conv1D(2, 3, padding="causal", dilation_rate=1, name="causal")(x1)
    return [describe(tf), [sig(v) for v in (y, z, t, t2, c1, causal)], _names(tf.global_variables())]


def case_conv_layers_values(tf):
    tf.set_random_seed(11)
    x = tf.constant(np.arange(2 * 5 * 5 * 2, dtype=np.float32).reshape(2, 5, 5, 2) / 50.0)
    y = tf.layers.conv2d(x, 3, 2, padding="same", bias_initializer=tf.constant_initializer(0.1))
    p = tf.layers.max_pooling2d(y, 2, 2)
    t = tf.layers.conv2d_transpose(p, 2, 2, strides=2)
    x1 = tf.constant(np.arange(2 * 6 * 2, dtype=np.float32).reshape(2, 6, 2) / 10.0)
    c1 = tf.layers.conv1d(x1, 2, 2, padding="causal")
    loss = tf.reduce_sum(t) + tf.reduce_sum(c1)
    grads = tf.gradients(loss, tf.trainable_variables())
    return _init_and_run(tf, [y, p, t, c1] + grads)


def case_conv_layers_channels_first(tf):
    x = tf.placeholder(tf.float32, [None, 3, 6, 6])
    y = tf.layers.conv2d(x, 2, 3, data_format="channels_first")
    x1 = tf.placeholder(tf.float32, [None, 3, 7])
    c1 = tf.layers.conv1d(x1, 2, 3, data_format="channels_first")
    graph = describe(tf)
    # Keras asks a session for the GPUs here, which adds IsVariableInitialized ops to TF's graph: only shapes
    t = tf.layers.conv2d_transpose(x, 2, 2, strides=2, data_format="channels_first")
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        value = s.run(t, {x: np.ones([1, 3, 6, 6], np.float32)})
    return [graph, [sig(v) for v in (y, t, c1)], value.shape]


def case_conv_layer_errors(tf):
    x = tf.placeholder(tf.float32, [None, 8, 8, 3])
    layer = tf.layers.Conv2D(2, 3)
    layer(x)
    return [error_text(lambda: tf.layers.conv2d(x, 0, 3)),
            error_text(lambda: tf.layers.conv2d(x, 2, [3, 3, 3])),
            error_text(lambda: tf.layers.conv2d(x, 2, 3, strides=0)),
            error_text(lambda: tf.layers.conv2d(x, 2, 3, padding="causal")),
            error_text(lambda: tf.layers.conv2d(tf.placeholder(tf.float32, [None, 8, 8, None]), 2, 3)),
            error_text(lambda: tf.layers.conv2d(tf.placeholder(tf.float32, [None, 2, 2, 3]), 2, 3)),
            error_text(lambda: layer(tf.placeholder(tf.float32, [None, 8, 8, 4]))),
            error_text(lambda: tf.layers.conv2d(tf.placeholder(tf.float32, [8, 8, 3]), 2, 3)),
            error_text(lambda: tf.layers.conv2d_transpose(tf.placeholder(tf.float32, [None, 4, 4, 4, 3]), 2, 3))]


def case_conv3d_transpose_layer(tf):
    x = tf.placeholder(tf.float32, [None, 2, 3, 3, 2], name="x")
    a = tf.layers.conv3d_transpose(x, 3, 2, strides=2, kernel_initializer=tf.constant_initializer(0.1),
                                   activation=tf.nn.relu)
    layer = tf.layers.Conv3DTranspose(2, (3, 1, 2), padding="same", strides=(1, 2, 1), use_bias=False,
                                      kernel_initializer=tf.constant_initializer(-0.2), name="up")
    b = layer(x)
    first = tf.layers.conv3d_transpose(tf.transpose(x, [0, 4, 1, 2, 3]), 2, 2, data_format="channels_first",
                                       bias_initializer=tf.constant_initializer(0.5),
                                       kernel_initializer=tf.constant_initializer(0.3))
    grads = tf.gradients(tf.reduce_sum(a) + tf.reduce_sum(b * b) + tf.reduce_sum(first), [x] + tf.trainable_variables())
    errors = [error(lambda: tf.layers.conv3d_transpose(tf.ones([2, 3, 3, 2]), 2, 2)),
              error(lambda: tf.layers.conv3d_transpose(tf.placeholder(tf.float32, [1, 2, 2, 2, None]), 2, 2))]
    xs = np.arange(72, dtype=np.float32).reshape(2, 2, 3, 3, 2) / 50.0 - 0.5
    return [[sig(t) for t in (a, b, first)], _names(tf.global_variables()), layer.name, errors,
            _init_and_run(tf, [a, b, first, grads], {x: xs})]

"""The rest of tf.contrib.layers as TF 1.15 built it (recorded with tf_slim 1.1, whose layers are contrib's):
bias_add, softmax, the fully_connected aliases, legacy_fully_connected, maxout, unit_norm, poincare_normalize,
scale_gradient, dense_to_sparse, images_to_sequence/sequence_to_images, spatial_softmax, instance_norm,
group_norm, conv3d_transpose, conv2d_in_plane, the 3-D pools, pool and l1_l2_regularizer: graphs, variables and
collections, arg scopes, values, gradients, build-time and run-time errors.
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import contrib_framework, describe, error_text, sig
from ops_helpers import contrib_layers as _contrib_layers


def contrib_layers(tf):
    """`tf.contrib.layers`; when recording, tf_slim's layers, normalization and regularizers (all contrib's), with
    `array_ops.unstack` and `stack` (which legacy_fully_connected calls) where TF 1 had it."""
    layers = _contrib_layers(tf)
    if hasattr(tf, "contrib"):
        return layers
    import types

    from tensorflow.python.ops import array_ops
    from tf_slim.layers import normalization, regularizers
    array_ops.unstack = getattr(array_ops, "unstack", tf.unstack)
    array_ops.stack = getattr(array_ops, "stack", tf.stack)
    return types.SimpleNamespace(**{**vars(regularizers), **vars(normalization), **vars(layers)})


def _names(xs):
    return [x.name for x in xs]


def _det(seed):
    """An initializer of fixed pseudo-random values, the same under both libraries."""
    rng = np.random.default_rng(seed)
    return lambda shape, dtype=None, partition_info=None: rng.uniform(-1, 1, size=shape).astype(np.float32)


def _data(seed, shape, low=-2, high=2):
    return np.random.default_rng(seed).uniform(low, high, size=shape).astype(np.float32)


def _variables(tf, *collections):
    out = {"globals": [[v.name, v.shape.as_list()] for v in tf.global_variables()],
           "model": _names(tf.model_variables()), "trainable": _names(tf.trainable_variables())}
    out.update({c: _names(tf.get_collection(c)) for c in collections})
    return out


def _values(tf, fetches, feed=None):
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        return s.run(list(fetches), feed)


def _run_error(sess, fetch, feed):
    """The class and kernel message of the error running `fetch` raises (TF's node traceback left out)."""
    text = error_text(lambda: sess.run(fetch, feed))
    if isinstance(text, list) and "Node: '" in text[1]:
        text[1] = text[1].split("Node: '", 1)[1].split("' ", 1)[1]
    return text


# ----- graphs -----------------------------------------------------------------------------------------------
def case_bias_add_softmax_graph(tf):
    L = contrib_layers(tf)
    x = tf.placeholder(tf.float32, [None, 5, 4, 3])
    outs = [L.bias_add(x), L.bias_add(x, activation_fn=tf.nn.relu, scope="b", outputs_collections="ends"),
            L.bias_add(tf.placeholder(tf.float32, [2, 3, None, None]), data_format="NCHW",
                       variables_collections={"biases": ["B"]}, trainable=False),
            L.softmax(tf.placeholder(tf.float32, [None, 4])), L.softmax(x, scope="sm"),
            L.softmax(tf.placeholder(tf.float32, [None, None, 6]))]
    return {"out": [sig(t) for t in outs], "graph": describe(tf), "ends": _names(tf.get_collection("ends")),
            **_variables(tf, "B")}


def case_fully_connected_aliases_graph(tf):
    L = contrib_layers(tf)
    x = tf.placeholder(tf.float32, [None, 5])
    outs = [L.relu(x, 3), L.relu6(x, 2), L.elu(x, 2, scope="e"), L.linear(x, 4),
            L.legacy_fully_connected(x, 3), L.legacy_relu(tf.placeholder(tf.float32, [None, 2, 5]), 2, name="lr"),
            L.legacy_linear(x, 2, bias_init=None, weight_collections=["W"], output_collections=["ends"])]
    return {"out": [sig(t) for t in outs], "graph": describe(tf), "ends": _names(tf.get_collection("ends")),
            **_variables(tf, "W", "weights", "biases", "activations")}


def case_small_ops_graph(tf):
    L = contrib_layers(tf)
    x = tf.placeholder(tf.float32, [None, 6, 4])
    outs = [L.maxout(x, 2), L.maxout(x, 3, axis=1, scope="mo"), L.unit_norm(x, 1), L.unit_norm(x, 0, scope="un"),
            L.unit_norm(x, 2), L.poincare_normalize(x), L.poincare_normalize(x, axis=[1, 2], name="pn"),
            L.images_to_sequence(tf.placeholder(tf.float32, [None, 3, 5, 2])),
            L.images_to_sequence(tf.placeholder(tf.float32, [2, 2, 3, 5]), data_format="NCHW", scope="its"),
            L.sequence_to_images(tf.placeholder(tf.float32, [5, 6, 2]), 3),
            L.sequence_to_images(tf.placeholder(tf.float32, [5, None, 2]), 2, output_data_format="channels_first"),
            L.scale_gradient(x, 0.5)]
    sparse = L.dense_to_sparse(tf.placeholder(tf.int32, [None, 4]), eos_token=-1)
    return {"out": [sig(t) for t in outs], "sparse": [sig(sparse.indices), sig(sparse.values),
                                                      sig(sparse.dense_shape)], "graph": describe(tf)}


def case_spatial_softmax_graph(tf):
    L = contrib_layers(tf)
    outs = [L.spatial_softmax(tf.placeholder(tf.float32, [None, 4, 5, 3])),
            L.spatial_softmax(tf.placeholder(tf.float32, [2, 3, None, None]), temperature=0.5, name="ss",
                              data_format="NCHW", variables_collections=["T"]),
            L.spatial_softmax(tf.placeholder(tf.float32, [None, 4, 4, 2]), trainable=False)]
    return {"out": [sig(t) for t in outs], "graph": describe(tf), **_variables(tf, "T")}


def case_instance_group_norm_graph(tf):
    L = contrib_layers(tf)
    x = tf.placeholder(tf.float32, [None, 4, 5, 6])
    outs = [L.instance_norm(x), L.instance_norm(x, center=False, data_format="NCHW", scope="inc"),
            L.instance_norm(tf.placeholder(tf.float32, [None, 7, 3]), scale=False, activation_fn=tf.nn.relu,
                            variables_collections={"beta": ["BETA"]}, outputs_collections="ends"),
            L.group_norm(x, groups=3), L.group_norm(x, groups=2, channels_axis=1, reduction_axes=(2, 3), scale=False),
            L.group_norm(tf.placeholder(tf.float32, [None, 2, 3, 8]), groups=4, mean_close_to_zero=True,
                         scope="gn", trainable=False)]
    return {"out": [sig(t) for t in outs], "graph": describe(tf), "ends": _names(tf.get_collection("ends")),
            **_variables(tf, "BETA")}


def case_conv3d_transpose_in_plane_graph(tf):
    L = contrib_layers(tf)
    x = tf.placeholder(tf.float32, [None, 3, 4, 5, 2])
    i = tf.placeholder(tf.float32, [None, 6, 7, 3])
    outs = [L.conv3d_transpose(x, 4, 3, stride=2), L.convolution3d_transpose(x, 2, [1, 2, 3], padding="VALID",
                                                                             activation_fn=None, scope="up"),
            L.conv3d_transpose(x, 3, 2, biases_initializer=None, variables_collections={"weights": ["W"]}),
            L.conv2d_in_plane(i, 3), L.convolution2d_in_plane(i, [2, 1], stride=2, padding="VALID", scope="ip",
                                                             activation_fn=None, outputs_collections="ends"),
            L.conv2d_in_plane(i, 2, normalizer_fn=L.layer_norm, variables_collections=["all"])]
    return {"out": [sig(t) for t in outs], "graph": describe(tf), "ends": _names(tf.get_collection("ends")),
            **_variables(tf, "W", "all")}


def case_pool3d_and_pool_graph(tf):
    L = contrib_layers(tf)
    x = tf.placeholder(tf.float32, [None, 6, 5, None, 2])
    outs = [L.max_pool3d(x, 2), L.avg_pool3d(x, [3, 2, 1], stride=1, padding="SAME", scope="ap"),
            L.max_pool3d(tf.placeholder(tf.float32, [2, 3, 4, 4, 4]), 2, data_format="NCDHW",
                         outputs_collections="ends"),
            L.pool(tf.placeholder(tf.float32, [None, 6, 6, 3]), 2, "MAX"),
            L.pool(tf.placeholder(tf.float32, [None, 6, 6, 3]), [3, 2], "AVG", padding="SAME", stride=[2, 1]),
            L.pool(tf.placeholder(tf.float32, [None, 8, 3]), 3, "AVG", stride=2, scope="p1"),
            L.pool(x, 2, "MAX", stride=2, outputs_collections="ends")]
    return {"out": [sig(t) for t in outs], "graph": describe(tf), "ends": _names(tf.get_collection("ends"))}


def case_l1_l2_regularizer(tf):
    L = contrib_layers(tf)
    w = tf.constant(_data(1, [3, 4]))
    regs = [L.l1_l2_regularizer(), L.l1_l2_regularizer(0.5, 0.25, scope="both"), L.l1_l2_regularizer(0.0, 0.5),
            L.l1_l2_regularizer(0.3, 0.0)]
    outs = [r(w) for r in regs]
    with tf.Session() as s:
        values = s.run(outs)
    return {"out": [sig(t) for t in outs], "values": values, "graph": describe(tf),
            "errors": [error_text(lambda: L.l1_l2_regularizer(1, 0.5)), error_text(lambda: L.l1_l2_regularizer(0.5, 2)),
                       error_text(lambda: L.l1_l2_regularizer(-0.5, 0.5)),
                       error_text(lambda: L.l1_l2_regularizer(0.5, -1.0))]}


# ----- values -----------------------------------------------------------------------------------------------
def case_small_ops_values(tf):
    L = contrib_layers(tf)
    x = _data(2, [3, 6, 4])
    t = tf.placeholder(tf.float32, [None, None, 4])
    outs = [L.bias_add(t, initializer=tf.constant_initializer(0.5)), L.softmax(t), L.maxout(t, 2),
            L.unit_norm(t, 2), L.unit_norm(tf.constant(x), 0, epsilon=0.1), L.poincare_normalize(t, axis=2),
            L.poincare_normalize(t * 0.01, axis=[1, 2], epsilon=0.2),
            L.maxout(tf.constant(x), 3, axis=1)]
    images = _data(3, [2, 3, 5, 4])
    it = tf.placeholder(tf.float32, [None, None, 5, 4])
    seq = L.images_to_sequence(it)
    back = [L.sequence_to_images(seq, 3), L.sequence_to_images(tf.constant(images.reshape([5, 6, 4])), 2,
                                                               output_data_format="channels_first")]
    nchw = L.images_to_sequence(tf.constant(images), data_format="NCHW")
    labels = tf.placeholder(tf.int32, [None, None])
    sparse = L.dense_to_sparse(labels)
    sparse_eos = L.dense_to_sparse(labels, eos_token=3)
    lab = np.array([[1, 0, 3], [0, 0, 2]], np.int32)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        main = s.run(outs + [seq, nchw] + back + [sparse, sparse_eos], {t: x, it: images, labels: lab})
        small = s.run(outs[:4] + [sparse], {t: x[:1, :2], labels: np.zeros([0, 2], np.int32)})
    flat = []
    for v in main + small:
        flat.append([v.indices, v.values, v.dense_shape] if hasattr(v, "indices") else v)
    return flat


def case_fully_connected_aliases_values(tf):
    L = contrib_layers(tf)
    x = _data(4, [4, 5])
    t = tf.constant(x)
    outs = [L.relu(t, 3, weights_initializer=_det(1)), L.relu6(t * 3, 3, weights_initializer=_det(2)),
            L.elu(t, 2, weights_initializer=_det(3)), L.linear(t, 2, weights_initializer=_det(4)),
            L.legacy_fully_connected(t, 3, weight_init=_det(5), bias_init=tf.constant_initializer(0.25)),
            L.legacy_relu(tf.constant(x.reshape([2, 2, 5])), 2, weight_init=_det(6)),
            L.legacy_linear(tf.placeholder_with_default(x.reshape([1, 4, 5]), [None, None, 5]), 2,
                            weight_init=_det(7))]
    return _values(tf, outs)


def case_spatial_softmax_values(tf):
    L = contrib_layers(tf)
    x = _data(5, [2, 4, 5, 3])
    t = tf.placeholder(tf.float32, [None, None, None, 3])
    a = L.spatial_softmax(t)
    b = L.spatial_softmax(tf.constant(x.transpose([0, 3, 1, 2])), temperature=0.5, data_format="NCHW")
    c = L.spatial_softmax(t * 4.0, temperature=2.0, trainable=False)
    return [_values(tf, [a, b, c], {t: x}), _values(tf, [a], {t: x[:1, :1, :3]})]


def case_norm_values(tf):
    L = contrib_layers(tf)
    x = _data(6, [2, 3, 4, 6], -3, 5)
    t = tf.placeholder(tf.float32, [None, None, None, 6])
    init = {"beta": tf.constant_initializer(0.5), "gamma": tf.constant_initializer(2.0)}
    outs = [L.instance_norm(t), L.instance_norm(tf.constant(x), data_format="NCHW", param_initializers=init),
            L.instance_norm(t, center=False, epsilon=0.5),
            L.group_norm(tf.constant(x), groups=3, param_initializers=init),
            L.group_norm(tf.constant(x), groups=3, channels_axis=1, reduction_axes=(2, 3)),
            L.group_norm(tf.constant(x), groups=6, mean_close_to_zero=True, center=False, epsilon=0.1),
            L.group_norm(tf.constant(x[:, :, :, :4]), groups=4, channels_axis=-1, reduction_axes=(-2,))]
    return _values(tf, outs, {t: x})


def case_conv_pool_values(tf):
    L = contrib_layers(tf)
    x = _data(7, [2, 3, 4, 5, 2])
    i = _data(8, [2, 5, 6, 3])
    t = tf.placeholder(tf.float32, [None, None, None, None, 2])
    ti = tf.placeholder(tf.float32, [None, None, None, 3])
    outs = [L.conv3d_transpose(tf.constant(x), 2, 2, stride=2, weights_initializer=_det(1), activation_fn=None),
            L.conv3d_transpose(tf.constant(x), 3, [1, 2, 3], padding="VALID", weights_initializer=_det(2),
                               biases_initializer=tf.constant_initializer(-0.5)),
            L.conv2d_in_plane(ti, [2, 2], weights_initializer=_det(3), activation_fn=None),
            L.conv2d_in_plane(ti, 3, stride=2, padding="VALID", weights_initializer=_det(4),
                              biases_initializer=tf.constant_initializer(0.5)),
            L.max_pool3d(t, 2), L.avg_pool3d(t, [1, 2, 3], stride=[1, 2, 1], padding="SAME"),
            L.avg_pool3d(tf.constant(x.transpose([0, 4, 1, 2, 3])), 2, stride=1, data_format="NCDHW"),
            L.pool(ti, 2, "MAX", stride=2), L.pool(ti, [3, 2], "AVG", padding="SAME"),
            L.pool(t, [2, 1, 2], "MAX", padding="SAME"), L.pool(tf.constant(i[:, 0]), 2, "AVG", stride=1)]
    return _values(tf, outs, {t: x, ti: i})


def case_scale_gradient(tf):
    L = contrib_layers(tf)
    x = tf.placeholder(tf.float32, [None, 3])
    m = tf.placeholder(tf.float32, [])
    y = L.scale_gradient(x, m)
    z = L.scale_gradient(x * x, tf.constant([1.0, 2.0, -1.0]))
    g = tf.gradients(tf.reduce_sum(y) + tf.reduce_sum(z), [x, m])
    with tf.Session() as s:
        vy, vz, vg = s.run([y, z, g[0]], {x: _data(9, [2, 3]), m: 0.5})
    return {"values": [vy, vz, vg], "none": g[1] is None, "y": sig(y)}


def case_gdn_graph(tf):
    L = contrib_layers(tf)
    outs = [L.gdn(tf.placeholder(tf.float32, [None, 4, 4, 3])),
            L.gdn(tf.placeholder(tf.float32, [None, 3, 5]), inverse=True, name="igdn"),
            L.gdn(tf.placeholder(tf.float32, [2, 2, None, 4]), data_format="channels_first", trainable=False),
            L.gdn(tf.placeholder(tf.float32, [None, 2, 5]), data_format="channels_first", beta_min=0.1),
            L.gdn(tf.placeholder(tf.float32, [None, 2, 2, 2, 2]), gamma_init=0.5)]
    layer = L.GDN(name="g")
    y = layer.apply(tf.placeholder(tf.float32, [None, 4, 3]))
    return {"out": [sig(t) for t in outs + [y]], "graph": describe(tf), "layer": [layer.name, layer.inverse],
            "weights": _names(layer.weights), **_variables(tf)}


def case_gdn_values(tf):
    L = contrib_layers(tf)
    x = _data(10, [2, 3, 4, 3])
    t = tf.placeholder(tf.float32, [None, None, None, 3])
    outs = [L.gdn(t), L.gdn(t, inverse=True, gamma_init=0.5, beta_min=0.2),
            L.gdn(tf.constant(x.transpose([0, 3, 1, 2])), data_format="channels_first"),
            L.gdn(tf.constant(x[:, 0].transpose([0, 2, 1])), data_format="channels_first", inverse=True),
            L.gdn(tf.constant(x[:, :, 0]))]
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        s.run(tf.assign(tf.global_variables()[0], [0.0, 1.0, 2.0]))  # below the bound: bounded
        values = s.run(outs, {t: x})
    # the input specs' messages (TF 1's Keras when recording, tf_keras' wording in raygraph): opening words
    return {"values": values, "errors": [
        error_text(lambda: L.gdn(t, data_format="NHWC")),
        error_text(lambda: L.gdn(tf.placeholder(tf.float32, [2, 3])), 17),
        error_text(lambda: L.gdn(tf.placeholder(tf.float32, [2, 3, None]))),
        error_text(lambda: L.gdn(tf.placeholder(tf.float32, [1, 2, 3, 4, 5, 6])), 17),
        # TF 2.21 words it "operation'gg/..." (no space); raygraph's gradients put a space there
        error_text(lambda: tf.gradients(L.gdn(t, name="gg"), tf.trainable_variables()))]}


def _embed_sequence(tf):
    """`tf.contrib.layers.embed_sequence`; when recording, TF 1.15's contrib/layers/python/layers/encoders.py
    (and contrib's embedding_lookup_unique) transcribed over TF 2.21's ops (tf_slim has no encoders)."""
    if hasattr(tf, "contrib"):
        return tf.contrib.layers.embed_sequence
    F = contrib_framework(tf)

    def lookup_unique(params, ids, name=None):
        with tf.name_scope(name, "EmbeddingLookupUnique", [params, ids]):
            ids = tf.convert_to_tensor(ids)
            shape = tf.shape(ids)
            unique_ids, idx = tf.unique(tf.reshape(ids, tf.reduce_prod(shape, keepdims=True)))
            unique_embeddings = tf.nn.embedding_lookup(params, unique_ids)
            embeds = tf.reshape(tf.gather(unique_embeddings, idx),
                                tf.concat([shape, tf.shape(unique_embeddings)[1:]], 0))
            embeds.set_shape(ids.get_shape().concatenate(unique_embeddings.get_shape()[1:]))
            return embeds

    def embed_sequence(ids, vocab_size=None, embed_dim=None, unique=False, initializer=None, regularizer=None,
                       trainable=True, scope=None, reuse=None):
        if not (reuse or (vocab_size and embed_dim)):
            raise ValueError("Must specify vocab size and embedding dimension when not" "reusing. Got vocab_size="
                             f"{vocab_size} and embed_dim={embed_dim}")
        with tf.variable_scope(scope, "EmbedSequence", [ids], reuse=reuse):
            shape = [vocab_size, embed_dim]
            if reuse and vocab_size is None or embed_dim is None:
                shape = None
            embeddings = F.model_variable("embeddings", shape=shape, initializer=initializer,
                                          regularizer=regularizer, trainable=trainable)
            if unique:
                return lookup_unique(embeddings, ids)
            return tf.nn.embedding_lookup(embeddings, ids)
    return embed_sequence


def case_embed_sequence(tf):
    embed = _embed_sequence(tf)
    ids = tf.placeholder(tf.int32, [None, 4])
    a = embed(ids, 10, 3, initializer=_det(1))
    b = embed(ids, 10, 3, unique=True, scope="emb", initializer=_det(2))
    c = embed(tf.constant([[1, 1], [2, 1]], tf.int64), scope="emb", reuse=True, unique=True)
    d = embed(tf.placeholder(tf.int32, [None, None, 2]), 5, 2, trainable=False)
    e = embed(ids, scope="emb", reuse=True)
    feed = {ids: [[0, 1, 1, 9], [3, 3, 3, 0]]}
    values = _values(tf, [a, b, c, e], feed)
    errors = [error_text(lambda: embed(ids, 10)), error_text(lambda: embed(ids, embed_dim=3)),
              error_text(lambda: embed(ids, 10, 3, scope="emb"), 90),
              error_text(lambda: embed(ids, scope="new", reuse=True))]
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        runtime = [_run_error(s, t, {ids: [[0, 1, 2, 10]]}) for t in (a, b)]
    return {"out": [sig(t) for t in (a, b, c, d, e)], "graph": describe(tf), "values": values, "errors": errors,
            "runtime": runtime, **_variables(tf)}


# ----- arg scopes, variables, reuse -------------------------------------------------------------------------
def case_arg_scopes_and_reuse(tf):
    L, F = contrib_layers(tf), contrib_framework(tf)
    x = tf.placeholder(tf.float32, [None, 6, 6, 3])
    with F.arg_scope([L.bias_add, L.instance_norm, L.group_norm, L.conv2d_in_plane, L.conv3d_transpose],
                     activation_fn=tf.nn.relu6), \
            F.arg_scope([L.max_pool3d, L.avg_pool3d, L.pool, L.images_to_sequence], outputs_collections="ends"):
        a = L.bias_add(x)
        b = L.instance_norm(x)
        c = L.group_norm(x, groups=3)
        d = L.conv2d_in_plane(x, 2)
        e = L.conv3d_transpose(tf.placeholder(tf.float32, [None, 2, 2, 2, 1]), 1, 2)
        f = L.max_pool3d(tf.placeholder(tf.float32, [None, 2, 2, 2, 1]), 2)
        g = L.pool(x, 2, "AVG")
        h = L.images_to_sequence(x)
    with F.arg_scope([L.maxout], num_units=1), F.arg_scope([L.unit_norm], dim=1), \
            F.arg_scope([L.softmax], scope="sm"):
        i, j, k = L.maxout(x), L.unit_norm(x), L.softmax(x)
    with tf.variable_scope("outer"):
        m = L.bias_add(x, scope="shared")
    n = L.bias_add(x, scope="outer/shared", reuse=True)
    o = L.instance_norm(x, scope="InstanceNorm", reuse=True)
    has = [F.has_arg_scope(fn) for fn in (L.bias_add, L.softmax, L.maxout, L.unit_norm, L.dense_to_sparse,
                                          L.images_to_sequence, L.sequence_to_images, L.spatial_softmax,
                                          L.instance_norm, L.group_norm, L.conv3d_transpose, L.conv2d_in_plane,
                                          L.max_pool3d, L.avg_pool3d, L.pool, L.scale_gradient,
                                          L.poincare_normalize, L.legacy_fully_connected)]
    names = [fn.__name__ for fn in (L.bias_add, L.conv3d_transpose, L.convolution3d_transpose, L.conv2d_in_plane,
                                    L.max_pool3d, L.avg_pool3d, L.pool, L.instance_norm, L.group_norm)]
    return {"out": [sig(t) for t in (a, b, c, d, e, f, g, h, i, j, k, m, n, o)], "has": has, "names": names,
            "ends": _names(tf.get_collection("ends")), **_variables(tf)}


# ----- errors -----------------------------------------------------------------------------------------------
def case_errors(tf):
    L = contrib_layers(tf)
    x = tf.placeholder(tf.float32, [None, 6, 6, 3])
    p = tf.placeholder

    def e(fn, n=None):
        return error_text(fn, n)
    return [e(lambda: L.bias_add(x, data_format="NCW")), e(lambda: L.bias_add(p(tf.float32))),
            e(lambda: L.bias_add(p(tf.float32, [2, 3]), data_format="NCHW")),
            e(lambda: L.bias_add(p(tf.float32, [2, None]))),
            e(lambda: L.softmax(p(tf.float32, [3]))), e(lambda: L.softmax(p(tf.float32, [3, None]))),
            e(lambda: L.softmax(p(tf.float32))),
            e(lambda: L.legacy_fully_connected(p(tf.float32), 2)),
            e(lambda: L.legacy_fully_connected(p(tf.float32, [3]), 2)),
            e(lambda: L.legacy_fully_connected(p(tf.float32, [3, None]), 2)),
            e(lambda: L.maxout(x, 2)), e(lambda: L.maxout(p(tf.float32, [2, None]), 2)), e(lambda: L.unit_norm(x, 4)), e(lambda: L.unit_norm(x, -1)),
            e(lambda: L.unit_norm(p(tf.float32), 0)),
            e(lambda: L.images_to_sequence(x, data_format="NCW")),
            e(lambda: L.sequence_to_images(p(tf.float32, [None, None, 2]), 3), 40),
            e(lambda: L.spatial_softmax(x, data_format="NCW")),
            e(lambda: L.spatial_softmax(p(tf.float32, [None, 2, 2, None]))),
            e(lambda: L.instance_norm(p(tf.float32))), e(lambda: L.instance_norm(x, data_format="NCW")),
            e(lambda: L.instance_norm(p(tf.float32, [None, 2, None]))),
            e(lambda: L.group_norm(p(tf.float32))), e(lambda: L.group_norm(x, channels_axis=4)),
            e(lambda: L.group_norm(p(tf.float32, [2, 2, 2, None]))), e(lambda: L.group_norm(x)),
            e(lambda: L.group_norm(x, groups=2)), e(lambda: L.group_norm(x, groups=3, reduction_axes=(-3, -1))),
            e(lambda: L.group_norm(p(tf.float32, [2, None, 2, 4]), groups=2)),
            e(lambda: L.conv3d_transpose(x, 2, 2, data_format="NHWC")),
            e(lambda: L.conv2d_in_plane(p(tf.float32, [2, 3, 3]), 2)),
            e(lambda: L.conv2d_in_plane(p(tf.float32, [2, 3, 3, None]), 2)),
            e(lambda: L.conv2d_in_plane(x, [1, 2, 3])),
            e(lambda: L.max_pool3d(x, 2, data_format="NHWC")), e(lambda: L.avg_pool3d(x, 2, data_format="NCHW")),
            e(lambda: L.pool(p(tf.float32), 2, "MAX")), e(lambda: L.pool(p(tf.float32, [2, 3]), 2, "MAX")),
            e(lambda: L.pool(x, [2, 2, 2], "MAX")), e(lambda: L.pool(x, 0, "AVG")),
            e(lambda: L.pool(x, [2, "a"], "AVG")), e(lambda: L.pool(x, 2, "AVG", stride=[1, -1])),
            e(lambda: L.pool(x, 2, "MAX", dilation_rate=[1.5, 1]))]


def case_runtime_errors(tf):
    L = contrib_layers(tf)
    x = tf.placeholder(tf.float32, [None, None, None, 3])
    s = tf.placeholder(tf.float32, [4, None, 2])
    outs = [L.conv2d_in_plane(x, 3, padding="VALID"), L.sequence_to_images(s, 3)]
    feeds = [{x: np.zeros([1, 2, 2, 3], np.float32)}, {s: np.zeros([4, 4, 2], np.float32)}]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return [_run_error(sess, fetch, feed) for fetch, feed in zip(outs, feeds)]

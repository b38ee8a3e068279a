"""Recorded cases: fused_batch_norm (FusedBatchNormV3 and its gradients), tf.layers.BatchNormalization."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error, error_text, run, run_error, sig  # noqa: E402

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


# ----- top_k, in_top_k, lrn -----------------------------------------------------------------------------------
P = (np.sin(np.arange(3 * 6) * 2.1) * 2).reshape(3, 6).astype(np.float32)
P[0, 2] = P[0, 4]


def case_top_k_and_in_top_k(tf):
    x = tf.placeholder(tf.float32, [None, 6], name="x")
    v, i = tf.nn.top_k(x, 3)
    v2, i2 = tf.nn.top_k(tf.constant([[3, 1, 3, 2]]), 4, name="tk")
    v3, i3 = tf.nn.top_k(x, tf.placeholder_with_default(2, []), sorted=False)
    r = tf.nn.in_top_k(x, tf.constant([2, 0, 5]), 2)
    r2 = tf.nn.in_top_k(x, tf.constant([2, 0, 7], tf.int64), 1, name="itk")
    g = tf.gradients(tf.reduce_sum(v * v), x)[0]
    return [describe(tf, skip={o.name for o in tf.get_default_graph().get_operations() if "gradients" in o.name}),
            [sig(t) for t in (v, i, v2, i2, v3, i3, r, r2)], sig(g)[1:], run(tf, [v, i, v2, i2, tf.reduce_sum(v3, 1), tf.reduce_sum(i3, 1), r, r2, g], {x: P})]   # unsorted: any order


def case_top_k_errors(tf):
    x = tf.placeholder(tf.float32, [None, 6])
    k = tf.placeholder(tf.int32, [])
    v, _ = tf.nn.top_k(x, k)
    return [error_text(lambda: tf.nn.top_k(x, 7), 70), error(lambda: tf.nn.top_k(tf.constant(1.0), 1)),
            error(lambda: tf.nn.in_top_k(x, tf.constant([1, 2]), 1)),
            error(lambda: tf.nn.in_top_k(tf.constant([[1, 2]]), tf.constant([1]), 1)),
            error_text(lambda: tf.nn.top_k(x, tf.constant(-1)), 60),
            run_error(tf, v, {x: P, k: 9}), run_error(tf, v, {x: P, k: -1})]


def case_lrn_and_gradients(tf):
    x = tf.placeholder(tf.float32, [None, 2, 3, 6], name="x")
    a = tf.nn.lrn(x)
    b = tf.nn.local_response_normalization(x, depth_radius=2, bias=0.5, alpha=0.3, beta=0.75, name="norm")
    c = tf.nn.lrn(tf.cast(x, tf.float16), 1)
    loss = tf.reduce_sum(a * tf.sin(a)) + tf.reduce_sum(b * b)
    g = tf.gradients(loss, x)[0]
    grad_ops = sorted(op.type for op in tf.get_default_graph().get_operations() if "LRN" in op.name)
    xv = np.concatenate([P.reshape(1, 3, 6), P.reshape(1, 3, 6) * 0.5], 0).reshape(1, 2, 3, 6).repeat(2, 0)
    return [describe(tf, skip={o.name for o in tf.get_default_graph().get_operations() if "gradients" in o.name}),
            grad_ops, [sig(t) for t in (a, b, c, g)], run(tf, [a, b, c, g], {x: xv}),
            error(lambda: tf.nn.lrn(tf.zeros([2, 3]))), error(lambda: tf.nn.lrn(tf.zeros([1, 2, 2, 2], tf.float64)))]


# ----- space/depth/batch moves ----------------------------------------------------------------------------------
IMG = np.arange(2 * 4 * 6 * 3, dtype=np.float32).reshape(2, 4, 6, 3) / 10.0


def case_space_depth_batch_graph(tf):
    x = tf.placeholder(tf.float32, [None, 4, 6, 3], name="x")
    a = tf.space_to_depth(x, 2)
    b = tf.nn.depth_to_space(a, 2, name="d2s")
    c = tf.space_to_batch_nd(x, [2, 3], [[1, 1], [0, 0]])
    d = tf.batch_to_space_nd(c, [2, 3], [[1, 1], [0, 0]])
    e = tf.space_to_batch(x, [[0, 0], [1, 1]], 2)
    f = tf.nn.space_to_batch(x, [[0, 0], [1, 1]], block_size=2)
    h = tf.batch_to_space(tf.constant(IMG), [[0, 0], [0, 1]], 1)
    u = tf.space_to_batch_nd(x, tf.placeholder(tf.int32, [2]), [[0, 0], [0, 0]])
    ts = (a, b, c, d, e, f, h, u)
    loss = tf.reduce_sum(tf.sin(c)) + tf.reduce_sum(tf.cos(a))
    g = tf.gradients(loss, x)[0]
    return [describe(tf, skip={o.name for o in tf.get_default_graph().get_operations() if "gradients" in o.name}),
            [sig(t) for t in ts + (g,)], run(tf, [a, b, c, d, e, f, h, g], {x: IMG})]


def case_space_depth_batch_errors(tf):
    x = tf.placeholder(tf.float32, [None, 4, 6, 3])
    y = tf.space_to_depth(tf.placeholder(tf.float32, [None, None, None, 3]), 2)
    z = tf.space_to_batch_nd(tf.placeholder(tf.float32, [2, None, 3]), [2], [[0, 0]])
    return [error_text(lambda: tf.space_to_depth(x, 4), 60), error(lambda: tf.space_to_depth(x, 1)),
            error_text(lambda: tf.nn.depth_to_space(x, 2), 60), error(lambda: tf.space_to_depth(tf.zeros([2, 2]), 2)),
            error_text(lambda: tf.space_to_batch_nd(x, [3, 2], [[0, 0], [0, 0]]), 60),
            error(lambda: tf.space_to_depth(x, 2, data_format="NWC")),
            run_error(tf, y, {y.op.inputs[0]: np.zeros((1, 3, 4, 3))}),
            run_error(tf, z, {z.op.inputs[0]: np.zeros((2, 3, 3))}),
            run_error(tf, tf.space_to_depth(tf.transpose(x, [0, 3, 1, 2])[:, :2], 2, data_format="NCHW"), {x: IMG})]


# ----- compositions: xw_plus_b, relu_layer, crelu, swish, log_poisson_loss, weighted_cross_entropy, zero_fraction --
def case_nn_compositions(tf):
    x = tf.placeholder(tf.float32, [None, 6], name="x")
    w = tf.constant(np.cos(np.arange(12)).reshape(6, 2).astype(np.float32))
    ts = [tf.nn.xw_plus_b(x, w, [1.0, 2.0]), tf.nn.xw_plus_b(x, w, [1.0, 2.0], name="xwb"),
          tf.nn.relu_layer(x, w, [1.0, -2.0]), tf.nn.crelu(x), tf.nn.crelu(x, axis=0, name="cr"),
          tf.nn.log_poisson_loss(tf.abs(x) * 2, x), tf.nn.log_poisson_loss(tf.abs(x) * 2, x, compute_full_loss=True),
          tf.nn.weighted_cross_entropy_with_logits(labels=tf.sigmoid(x), logits=x, pos_weight=2.0),
          tf.nn.zero_fraction(tf.nn.relu(x)), tf.nn.zero_fraction([0, 1, 2, 0], name="zf")]
    g = tf.gradients(tf.add_n([tf.reduce_sum(t) for t in ts[:8]]), x)[0]
    graph = describe(tf, skip={o.name for o in tf.get_default_graph().get_operations() if "gradients" in o.name})
    sw = tf.nn.swish(x)   # (TF builds it under a custom gradient: values only)
    gs = tf.gradients(tf.reduce_sum(sw * sw), x)[0]
    return [graph, [sig(t) for t in ts], sig(g), run(tf, ts + [g, sw, gs], {x: P}),
            error(lambda: tf.nn.log_poisson_loss(tf.zeros([2]), tf.zeros([3]))),
            error(lambda: tf.nn.weighted_cross_entropy_with_logits(labels=tf.zeros([2]), logits=tf.zeros([3]),
                                                                   pos_weight=1.0))]


# ----- dilated convolutions through SpaceToBatchND ------------------------------------------------------------
XC = np.sin(np.arange(2 * 7 * 8 * 2)).reshape(2, 7, 8, 2).astype(np.float32)
WC = np.cos(np.arange(3 * 3 * 2 * 3)).reshape(3, 3, 2, 3).astype(np.float32)


def case_dilated_convolution(tf):
    x = tf.placeholder(tf.float32, [None, 7, 8, 2], name="x")
    w = tf.constant(WC)
    y = tf.nn.convolution(x, w, "SAME", dilation_rate=[2, 2])
    y2 = tf.nn.atrous_conv2d(x, w, 2, "VALID")
    y3 = tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME", dilations=[1, 2, 3, 1])
    y4 = tf.nn.convolution(x, w, "SAME", dilation_rate=[3, 1], name="conv")
    xc = tf.transpose(x, [0, 3, 1, 2])
    y5 = tf.nn.convolution(xc, w, "VALID", dilation_rate=[2, 3], data_format="NCHW")
    graph = describe(tf)
    g = tf.gradients(tf.reduce_sum(y * y) + tf.reduce_sum(y2) + tf.reduce_sum(y3 * y3) + tf.reduce_sum(y4), [x, w])
    return [graph, [sig(t) for t in (y, y2, y3, y4, y5)], run(tf, [y, y2, y3, y4] + g, {x: XC}),
            error(lambda: tf.nn.convolution(x, w, "SAME", strides=[2, 2], dilation_rate=[2, 2]))]


# ----- depthwise and separable convolutions -----------------------------------------------------------------------
XD = np.sin(np.arange(2 * 7 * 8 * 3)).reshape(2, 7, 8, 3).astype(np.float32)


def case_depthwise_and_separable(tf):
    x = tf.placeholder(tf.float32, [None, 7, 8, 3], name="x")
    w = tf.constant(np.cos(np.arange(3 * 3 * 3 * 2)).reshape(3, 3, 3, 2).astype(np.float32))
    pw = tf.constant(np.sin(np.arange(6 * 4)).reshape(1, 1, 6, 4).astype(np.float32))
    y = tf.nn.depthwise_conv2d(x, w, [1, 1, 1, 1], "SAME")
    y2 = tf.nn.depthwise_conv2d_native(x, w, [1, 2, 2, 1], "VALID", name="dw")
    y3 = tf.nn.separable_conv2d(x, w, pw, [1, 1, 1, 1], "SAME")
    y4 = tf.nn.depthwise_conv2d(tf.transpose(x, [0, 3, 1, 2]), w, [1, 1, 2, 1], "SAME", data_format="NCHW")
    graph = describe(tf)
    g = tf.gradients(tf.reduce_sum(y * y) + tf.reduce_sum(y2) + tf.reduce_sum(tf.sin(y3)) + tf.reduce_sum(y4 * y4),
                     [x, w, pw])
    types = sorted({o.type for o in tf.get_default_graph().get_operations() if "Depthwise" in o.type})
    return [graph, types, [sig(t) for t in (y, y2, y3, y4)], run(tf, [y, y2, y3, y4] + g, {x: XD}),
            error_text(lambda: tf.nn.depthwise_conv2d(x, tf.zeros([3, 3, 2, 2]), [1, 1, 1, 1], "SAME"), 40),
            error(lambda: tf.nn.depthwise_conv2d(x, w, [1, 1, 1, 1], "FULL"))]


def case_depthwise_and_separable_dilated(tf):
    x = tf.placeholder(tf.float32, [None, 7, 8, 3], name="x")
    w = tf.constant(np.cos(np.arange(3 * 3 * 3 * 2)).reshape(3, 3, 3, 2).astype(np.float32))
    w2 = tf.constant(np.cos(np.arange(2 * 3 * 3 * 1)).reshape(2, 3, 3, 1).astype(np.float32))
    pw = tf.constant(np.sin(np.arange(6 * 4)).reshape(1, 1, 6, 4).astype(np.float32))
    y = tf.nn.depthwise_conv2d(x, w, [1, 1, 1, 1], "SAME", rate=[2, 2])
    y2 = tf.nn.depthwise_conv2d(x, w2, [1, 1, 1, 1], "VALID", rate=[2, 3], name="dw")
    y3 = tf.nn.separable_conv2d(x, w, pw, [1, 1, 1, 1], "SAME", rate=[3, 2])
    y4 = tf.nn.depthwise_conv2d(x, w, [1, 1, 1, 1], "SAME", dilations=[1, 1])
    graph = describe(tf)
    g = tf.gradients(tf.reduce_sum(y * y) + tf.reduce_sum(y2) + tf.reduce_sum(tf.sin(y3)), [x, w, w2, pw])
    return [graph, [sig(t) for t in (y, y2, y3, y4)], run(tf, [y, y2, y3, y4] + g, {x: XD}),
            error(lambda: tf.nn.depthwise_conv2d(x, w, [1, 1, 1, 1], "SAME", rate=[0, 1]))]


# ----- tf.initializers' names ------------------------------------------------------------------------------------
def case_initializers_namespace(tf):
    names = ["he_normal", "he_uniform", "lecun_normal", "lecun_uniform", "glorot_normal", "glorot_uniform",
             "variance_scaling", "uniform_unit_scaling", "zeros", "ones", "constant", "random_normal",
             "random_uniform", "truncated_normal"]
    shapes = []
    for i, n in enumerate(names):
        init = getattr(tf.initializers, n)
        kwargs = {"seed": 3} if n not in ("zeros", "ones", "constant") else {}
        v = tf.get_variable(f"v{i}", [4, 5], initializer=init(**kwargs))
        shapes.append([v.name, v.shape.as_list(), type(init(**kwargs)).__name__])
    tf.set_random_seed(1)
    vals = [tf.get_variable("w1", [30, 20], initializer=tf.initializers.he_normal(seed=2)),
            tf.get_variable("w2", [3, 3, 8, 4], initializer=tf.initializers.lecun_uniform(seed=2)),
            tf.get_variable("w3", [30, 20], initializer=tf.initializers.uniform_unit_scaling(seed=2))]
    with tf.Session() as s:
        s.run(tf.initializers.global_variables())
        s.run(tf.initializers.variables(vals))
        out = s.run(vals)
    return [shapes, [[float(np.round(a.std(), 3)), float(np.round(np.abs(a).max(), 3))] for a in out],
            [a.ravel()[:4] for a in out]]


# ----- tf.layers separable convolutions --------------------------------------------------------------------------
def case_separable_conv_layers(tf):
    tf.set_random_seed(5)
    x = tf.placeholder(tf.float32, [None, 7, 8, 3], name="x")
    x1 = tf.placeholder(tf.float32, [None, 9, 3], name="x1")
    a = tf.layers.separable_conv2d(x, 4, 3, padding="same", depth_multiplier=2, activation=tf.nn.relu)
    layer = tf.layers.SeparableConv2D(2, (2, 3), strides=(2, 1), use_bias=False, name="sep")
    b = layer(x)
    c = tf.layers.separable_conv1d(x1, 5, 3)
    d = tf.layers.SeparableConv1D(2, 2, strides=2, padding="same", depth_multiplier=3)(x1)
    graph = describe(tf)
    loss = sum(tf.reduce_sum(t * t) for t in (a, b, c, d))
    g = tf.gradients(loss, [x, x1] + tf.trainable_variables())
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        out = s.run([a, b, c, d] + g, {x: XD, x1: XD[:, :, :3, 0].reshape(2, 7, 3)[:, :, :].repeat(2, 1)[:, :9]})
    return [graph, [sig(t) for t in (a, b, c, d)], _names(tf.trainable_variables()), _names(layer.weights),
            [v.shape.as_list() for v in tf.trainable_variables()], out]


# ----- 3-D convolutions -----------------------------------------------------------------------------------------
X3 = np.sin(np.arange(2 * 4 * 5 * 6 * 2)).reshape(2, 4, 5, 6, 2).astype(np.float32)


def case_conv3d(tf):
    x = tf.placeholder(tf.float32, [None, 4, 5, 6, 2], name="x")
    w = tf.constant(np.cos(np.arange(2 * 3 * 3 * 2 * 3)).reshape(2, 3, 3, 2, 3).astype(np.float32))
    y = tf.nn.conv3d(x, w, [1, 1, 1, 1, 1], "SAME")
    y2 = tf.nn.conv3d(x, w, [1, 2, 1, 2, 1], "VALID", name="c3")
    y3 = tf.nn.conv3d_transpose(y2, w, [2, 4, 5, 6, 2], [1, 2, 1, 2, 1], "VALID")
    y4 = tf.nn.convolution(x, w, "SAME")
    graph = describe(tf)
    g = tf.gradients(tf.reduce_sum(y * y) + tf.reduce_sum(tf.sin(y2)) + tf.reduce_sum(y3 * y3) + tf.reduce_sum(y4),
                     [x, w])
    types = sorted({o.type for o in tf.get_default_graph().get_operations() if "Conv3D" in o.type})
    return [graph, types, [sig(t) for t in (y, y2, y3, y4)], run(tf, [y, y2, y3, y4] + g, {x: X3}),
            error_text(lambda: tf.nn.conv3d(x, tf.zeros([2, 2, 2, 3, 1]), [1, 1, 1, 1, 1], "SAME"), 50),
            error(lambda: tf.nn.conv3d(x, w, [1, 1, 1, 1, 1], "EXPLICIT")),
            error(lambda: tf.nn.conv3d(x, w, [1, 1, 1, 1], "SAME"))]


def case_conv3d_layer(tf):
    tf.set_random_seed(4)
    x = tf.placeholder(tf.float32, [None, 4, 5, 6, 2], name="x")
    a = tf.layers.conv3d(x, 3, 2, padding="same", activation=tf.nn.relu)
    layer = tf.layers.Conv3D(2, (2, 3, 2), strides=(2, 1, 2), name="c3")
    b = layer(x)
    c = tf.layers.conv3d(tf.transpose(x, [0, 4, 1, 2, 3]), 2, 2, data_format="channels_first", use_bias=False)
    graph = describe(tf)
    g = tf.gradients(tf.reduce_sum(a * a) + tf.reduce_sum(b) + tf.reduce_sum(c), [x] + tf.trainable_variables())
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        out = s.run([a, b] + g, {x: X3})
    return [graph, [sig(t) for t in (a, b, c)], _names(tf.trainable_variables()), _names(layer.weights), out]

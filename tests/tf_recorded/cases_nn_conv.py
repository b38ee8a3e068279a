"""Recorded cases: convolutions (conv2d and its backprops, conv2d_transpose, conv1d, convolution)."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error, error_text, grads, run, run_error, sig  # noqa: E402


def conv_grads(tf, y, xs, feed_dict=None):
    """grads(), listing only the ops the convolutions' gradients add (not those of the loss around them)."""
    added, sigs, values = grads(tf, y, xs, feed_dict)
    return [[a for a in added if "Conv" in a[0] or "conv" in a[0]], sigs, values]

_r = np.random.RandomState(7)
X = _r.uniform(-1, 1, (2, 6, 5, 3)).astype(np.float32)
W = _r.uniform(-1, 1, (3, 2, 3, 4)).astype(np.float32)
X1 = _r.uniform(-1, 1, (2, 9, 3)).astype(np.float32)
W1 = _r.uniform(-1, 1, (3, 3, 2)).astype(np.float32)


def case_conv2d_graph(tf):
    x = tf.placeholder(tf.float32, [None, 6, 5, 3], name="x")
    w = tf.constant(W, name="w")
    outs = [tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME"),
            tf.nn.conv2d(x, filters=w, strides=[1, 2, 2, 1], padding="VALID", name="valid"),
            tf.nn.conv2d(input=x, filter=w, strides=2, padding=[[0, 0], [1, 2], [0, 1], [0, 0]]),
            tf.nn.conv2d(x, w, [2, 1], "SAME", dilations=2, use_cudnn_on_gpu=False)]
    return [describe(tf), [sig(t) for t in outs], run(tf, outs, {x: X})]


def case_conv2d_values_and_dtypes(tf):
    x, w = tf.constant(X), tf.constant(W)
    xn = tf.constant(np.transpose(X, (0, 3, 1, 2)))
    outs = [tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME"), tf.nn.conv2d(xn, w, [1, 1, 2, 2], "SAME", data_format="NCHW"),
            tf.nn.conv2d(tf.cast(x, tf.float64), tf.cast(w, tf.float64), [1, 1, 1, 1], "VALID"),
            tf.nn.conv2d(tf.cast(x * 4, tf.int32), tf.cast(w * 4, tf.int32), [1, 2, 1, 1], "SAME"),
            tf.nn.conv2d(tf.constant(X[..., :2]), tf.constant(W[:, :, :1, :]), [1, 1, 1, 1], "SAME")]  # 2 groups
    return [[sig(t) for t in outs], run(tf, outs)]


def case_conv2d_unknown_shapes(tf):
    u = tf.placeholder(tf.float32)
    p = tf.placeholder(tf.float32, [None, None, None, 3])
    q = tf.placeholder(tf.float32, [4, None, None, None])
    n = tf.placeholder(tf.float32, [None, 3, 6, 5])
    w = tf.constant(W)
    outs = [tf.nn.conv2d(u, w, [1, 1, 1, 1], "SAME"), tf.nn.conv2d(p, w, [1, 2, 2, 1], "VALID"),
            tf.nn.conv2d(p, u, [1, 1, 1, 1], "SAME"), tf.nn.conv2d(q, w, [1, 1, 1, 1], "SAME"),
            tf.nn.conv2d(n, w, [1, 1, 2, 2], "SAME", data_format="NCHW")]
    return [sig(t) for t in outs]


def case_conv2d_build_errors(tf):
    x = tf.placeholder(tf.float32, [None, 8, 8, 3])
    w = tf.ones((3, 3, 3, 4))
    return [error_text(lambda: tf.nn.conv2d(x, tf.ones((3, 3, 2, 4)), [1, 1, 1, 1], "SAME")),
            error_text(lambda: tf.nn.conv2d(x, tf.ones((3, 3, 1, 4)), [1, 1, 1, 1], "SAME")),
            error_text(lambda: tf.nn.conv2d(x, w, [1, 1, 1], "SAME")),
            error_text(lambda: tf.nn.conv2d(x, w, [1, 1, 1, 1], "FOO")),
            error_text(lambda: tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME", data_format="NWHC")),
            error_text(lambda: tf.nn.conv2d(x, tf.ones((3, 3, 3)), [1, 1, 1, 1], "SAME")),
            error_text(lambda: tf.nn.conv2d(tf.ones((8, 8, 3)), w, [1, 1, 1, 1], "SAME")),
            error_text(lambda: tf.nn.conv2d(x, tf.ones((3, 3, 3, 4), tf.float64), [1, 1, 1, 1], "SAME")),
            error_text(lambda: tf.nn.conv2d(x, tf.ones((9, 3, 3, 4)), [1, 1, 1, 1], "VALID")),
            error_text(lambda: tf.nn.conv2d(x, w, [1, 1, 1, 1], [[0, 0], [1, 1], [1, 1]])),
            error_text(lambda: tf.nn.conv2d(x, w, [1, 1, 1, 1], [[1, 0], [1, 1], [1, 1], [0, 0]])),
            error_text(lambda: tf.nn.conv2d(x, w, [1, 1, 1, 1], [[0, 0], [-1, 1], [1, 1], [0, 0]])),
            error_text(lambda: tf.nn.conv2d(x, w, [1, 0, 1, 1], "SAME")),
            error_text(lambda: tf.nn.conv2d(x, w, [1, 1, 1, 1], "EXPLICIT")),
            error_text(lambda: tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME", filters=w)),
            error(lambda: tf.nn.conv2d(tf.ones((1, 4, 4, 2), tf.uint8), tf.ones((2, 2, 2, 3), tf.uint8),
                                       [1, 1, 1, 1], "SAME")),
            [op.name for op in tf.get_default_graph().get_operations()]]


def case_conv2d_run_errors(tf):
    p = tf.placeholder(tf.float32)
    w = tf.ones((2, 2, 2, 3))
    return [run_error(tf, tf.nn.conv2d(p, w, [1, 1, 1, 1], "SAME"), {p: np.ones((1, 4, 4, 3))}),
            run_error(tf, tf.nn.conv2d(tf.ones((1, 5, 5, 2)), w, [2, 1, 1, 1], "SAME")),
            run_error(tf, tf.nn.conv2d(tf.ones((1, 5, 5, 2)), w, [1, 1, 1, 2], "SAME")),
            run_error(tf, tf.nn.conv2d(tf.ones((1, 5, 5, 2)), w, [1, 1, 1, 1], "SAME", dilations=[2, 1, 1, 1]))]


def case_conv2d_gradients(tf):
    x, w = tf.constant(X), tf.constant(W)
    y = tf.nn.conv2d(x, w, [1, 2, 1, 1], "SAME")
    return conv_grads(tf, tf.reduce_sum(y * y), [x, w])


def case_conv2d_gradients_nchw_explicit(tf):
    x, w = tf.constant(np.transpose(X, (0, 3, 1, 2))), tf.constant(W)
    y = tf.nn.conv2d(x, w, [1, 1, 1, 2], "SAME", data_format="NCHW")
    z = tf.nn.conv2d(tf.constant(X), w, [1, 1, 2, 1], [[0, 0], [1, 0], [2, 1], [0, 0]])
    return [conv_grads(tf, tf.reduce_sum(y * y), [x, w]), conv_grads(tf, tf.reduce_sum(z * z), [w])]


def case_conv2d_gradients_partial_batch(tf):
    x = tf.placeholder(tf.float32, [None, 6, 5, 3])
    w = tf.constant(W)
    y = tf.nn.conv2d(x, w, [1, 1, 1, 1], "VALID")
    return conv_grads(tf, tf.reduce_sum(y), [x, w], {x: X})


def case_conv2d_second_order(tf):
    x, w = tf.constant(X[:1]), tf.constant(W)
    y = tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME")
    gx, gw = tf.gradients(tf.reduce_sum(y * y), [x, w])
    return [conv_grads(tf, tf.reduce_sum(gx * gx), [x, w]), conv_grads(tf, tf.reduce_sum(gw * gw), [x, w])]


def case_conv2d_backprops(tf):
    w, x = tf.constant(W), tf.constant(X)
    dy = tf.constant(np.ones((2, 3, 5, 4), np.float32))
    p = tf.placeholder(tf.int32, [4])
    outs = [tf.nn.conv2d_backprop_input([2, 6, 5, 3], w, dy, [1, 2, 1, 1], "SAME"),
            tf.nn.conv2d_backprop_input([6, 5], w, dy, [1, 2, 1, 1], "SAME", name="bi2"),
            tf.nn.conv2d_backprop_filter(x, [3, 2, 3, 4], dy, [1, 2, 1, 1], "SAME"),
            tf.nn.conv2d_backprop_input(p, w, dy, [1, 2, 1, 1], "SAME"),
            tf.nn.conv2d_backprop_filter(x, p, dy, [1, 2, 1, 1], "SAME")]
    return [describe(tf), [sig(t) for t in outs], run(tf, outs[:3])]


def case_conv2d_backprop_errors(tf):
    x = tf.placeholder(tf.float32, [None, 4, 4, 3])
    dy = tf.ones([1, 4, 4, 3])
    return [error_text(lambda: tf.nn.conv2d_transpose(x, tf.ones([3, 3, 2, 4]), [5, 8, 8, 2], [1, 2, 2, 1])),
            error_text(lambda: tf.nn.conv2d_transpose(x, tf.ones([3, 3, 2, 3]), [5, 8, 2], [1, 2, 2, 1])),
            error_text(lambda: tf.nn.conv2d_backprop_filter(x, [3, 3, 3], dy, [1, 2, 2, 1], "SAME")),
            error_text(lambda: tf.nn.conv2d_backprop_input([1, 8, 8, 3], tf.ones([3, 3, 3, 2]), tf.ones([1, 4, 4, 2]),
                                                           2, "SAME")),
            error_text(lambda: tf.nn.conv2d_backprop_input([1, 8, 8, 3], tf.ones([3, 3, 3, 2]), tf.ones([1, 4, 4, 2]),
                                                           [1, 2, 2, 1], "FOO")),
            error_text(lambda: tf.nn.conv2d_backprop_filter(tf.ones([1, 8, 8, 3], tf.int32), [3, 3, 3, 2],
                                                            tf.ones([1, 4, 4, 2], tf.int32), [1, 2, 2, 1], "SAME"))]


def case_conv2d_transpose(tf):
    x = tf.placeholder(tf.float32, [None, 3, 3, 4])
    w = tf.constant(W)
    p = tf.placeholder(tf.int32, [4])
    outs = [tf.nn.conv2d_transpose(x, w, [2, 6, 5, 3], [1, 2, 2, 1]),
            tf.nn.conv2d_transpose(x, w, [2, 7, 6, 3], [1, 2, 2, 1], "VALID", name="up"),
            tf.nn.conv2d_transpose(value=x, filter=w, output_shape=p, strides=2),
            tf.nn.conv2d_transpose(input=x, filters=w, output_shape=tf.constant([2, 3, 3, 3]), strides=1,
                                   dilations=2)]
    v = np.linspace(-1, 1, 72).reshape(2, 3, 3, 4).astype(np.float32)
    return [describe(tf), [sig(t) for t in outs], run(tf, outs[:2] + outs[3:], {x: v})]


def case_conv2d_transpose_gradients(tf):
    x = tf.constant(np.linspace(-1, 1, 72).reshape(2, 3, 3, 4).astype(np.float32))
    w = tf.constant(W)
    y = tf.nn.conv2d_transpose(x, w, [2, 6, 5, 3], [1, 2, 2, 1])
    return conv_grads(tf, tf.reduce_sum(y * y), [x, w])


def case_conv1d(tf):
    x = tf.placeholder(tf.float32, [None, 9, 3])
    w = tf.constant(W1)
    outs = [tf.nn.conv1d(x, w, 1, "SAME"), tf.nn.conv1d(value=x, filters=w, stride=2, padding="VALID", name="c"),
            tf.nn.conv1d(input=x, filters=w, stride=[1, 2, 1], padding="SAME", data_format="NWC", dilations=2),
            tf.nn.conv1d(tf.constant(np.transpose(X1, (0, 2, 1))), w, 1, "SAME", data_format="NCW")]
    return [describe(tf), [sig(t) for t in outs], run(tf, outs, {x: X1})]


def case_conv1d_gradients_and_errors(tf):
    x, w = tf.constant(X1), tf.constant(W1)
    y = tf.nn.conv1d(x, w, 2, "SAME")
    return [conv_grads(tf, tf.reduce_sum(y * y), [x, w]),
            error_text(lambda: tf.nn.conv1d(x, w, [1, 2], "SAME")),
            error_text(lambda: tf.nn.conv1d(x, w, 1, "SAME", data_format="NWHC")),
            error_text(lambda: tf.nn.conv1d(x, tf.ones([3, 2, 4]), 1, "SAME"))]


def case_convolution(tf):
    x = tf.placeholder(tf.float32, [None, 6, 5, 3])
    w = tf.constant(W)
    outs = [tf.nn.convolution(x, w, "SAME"), tf.nn.convolution(x, w, "VALID", strides=[2, 1], name="cv"),
            tf.nn.convolution(tf.constant(X1), tf.constant(W1), "SAME", strides=[2]),
            tf.nn.convolution(X, W, "SAME"), tf.nn.convolution(x, w, padding="SAME", dilations=[1, 1])]
    return [describe(tf), [sig(t) for t in outs], run(tf, outs, {x: X})]


def case_convolution_errors(tf):
    return [error_text(lambda: tf.nn.convolution(tf.placeholder(tf.float32), tf.placeholder(tf.float32), "SAME")),
            error_text(lambda: tf.nn.convolution(tf.ones([2, 8, 8, 3]), tf.ones([3, 3, 3, 4]), "SAME", strides=[2, 2, 2])),
]

"""Recorded cases from affinelayer/pix2pix-tensorflow: grayscale_to_rgb of images of unknown shape (the
export graph and tools/tfimage.py), and the gradient of tf.pad (its discriminator's padded convolutions)."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, kernel_error, run, sig  # noqa: E402


def case_grayscale_to_rgb_unknown_shape(tf):
    p = tf.placeholder(tf.float32, [None, None, 1])
    q = tf.placeholder(tf.float32)
    a, b = tf.image.grayscale_to_rgb(p), tf.image.grayscale_to_rgb(q)
    g = np.arange(6, dtype=np.float32).reshape(2, 3, 1)
    return [describe(tf), sig(a), sig(b), run(tf, [a, b], {p: g, q: g}),
            kernel_error(tf, b, {q: np.zeros((2, 2, 3), np.float32)}),
            kernel_error(tf, b, {q: np.zeros((2, 1), np.float32)})]


def case_pad_gradient_graph(tf):
    x = tf.placeholder(tf.float32, [1, 3, 3, 2])
    y = tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]])
    w = tf.constant(np.arange(50, dtype=np.float32).reshape(1, 5, 5, 2) / 10.0)
    g = tf.gradients(y, x, grad_ys=w)[0]
    return [describe(tf), sig(g), run(tf, [g], {x: np.ones((1, 3, 3, 2), np.float32)})]


def case_graph_def_names_rewired_inputs_without_index(tf):
    """A while loop's Merge takes NextIteration through a rewired input: its NodeDef says "while/NextIteration:0",
    the GraphDef (the C++ graph's edges) "while/NextIteration"."""
    i = tf.constant(0)
    tf.while_loop(lambda i: i < 3, lambda i: i + 1, [i])
    g = tf.get_default_graph()
    merge = g.get_operation_by_name("while/Merge")
    gd = {n.name: list(n.input) for n in g.as_graph_def().node}
    return [list(merge.node_def.input), gd["while/Merge"]]


def case_broadcast_mul_gradient_graph(tf):
    """TF 2.21's _MulGrad (SmartBroadcastGradientArgs): Shape and Shape_1 constants, a Sum keeping the reduced
    axes, then a Reshape to the input's shape."""
    x = tf.placeholder(tf.float32, [2, 3])
    s = tf.placeholder(tf.float32, [])
    v = tf.placeholder(tf.float32, [1, 3])
    y = s * x * v
    g = tf.gradients(tf.reduce_sum(y), [s, v])
    return [describe(tf), [sig(t) for t in g],
            run(tf, g, {x: np.arange(6, dtype=np.float32).reshape(2, 3), s: 0.5, v: [[1.0, 2.0, 3.0]]})]


def case_broadcast_gradients_with_unknown_batch(tf):
    """Bias adds, scalings and clipping over an unknown batch dimension: the axes a static shape shows were
    broadcast are summed without BroadcastGradientArgs (only an unknown-vs-unknown pair needs it at run time),
    as in every dense layer's gradient."""
    x = tf.placeholder(tf.float32, [None, 3])
    u = tf.placeholder(tf.float32, [None, None])
    w = tf.constant(np.arange(6, dtype=np.float32).reshape(3, 2) / 4.0)
    b = tf.constant([0.5, -1.0])
    h = tf.matmul(x, w) + b
    z = tf.maximum(h * 2.0, 0.1) - tf.reduce_mean(h, 0) / tf.constant([[3.0, 4.0]])
    q = tf.atan2(z, b) + tf.squared_difference(z, tf.constant(1.0)) + tf.complex(z, b)[:, :1].__abs__()
    total = tf.reduce_sum(q) + tf.reduce_sum(u * tf.reduce_sum(x, 1, keepdims=True))
    grads = tf.gradients(total, [x, b, w, u])
    feed = {x: np.arange(12, dtype=np.float32).reshape(4, 3) / 5.0, u: np.ones((4, 2), np.float32)}
    return [describe(tf), [sig(t) for t in grads], run(tf, grads, feed)]


def case_max_min_gradients_static(tf):
    """TF's _MaximumMinimumGrad over fully known shapes: zeros_like of a known shape is a Const, SelectV2 picks
    the gradient (an infinite gradient stays out of the other input's share)."""
    x = tf.constant([[1.0, 5.0, 3.0], [2.0, 2.0, -1.0]])
    y = tf.constant([3.0, 2.0, 3.0])
    g = tf.constant([[np.inf, 1.0, 2.0], [3.0, -np.inf, 4.0]])
    outs = tf.gradients([tf.maximum(x, y), tf.minimum(x, y)], [x, y], grad_ys=[g, g])
    return [describe(tf), [sig(t) for t in outs], run(tf, outs)]


def case_where_v2_broadcast_gradients(tf):
    """TF's _SelectGradV2: a `zeros` scalar, and each branch's gradient summed back against the output's
    shape (a known x of [3], a y of unknown batch)."""
    c = tf.placeholder(tf.bool, [None, 3])
    x = tf.constant([1.0, 2.0, 3.0])
    y = tf.placeholder(tf.float32, [None, 1])
    out = tf.where_v2(c, x * 2.0, y * 3.0)
    grads = tf.gradients(tf.reduce_sum(out * tf.constant([[1.0, 2.0, 3.0]])), [x, y])
    feed = {c: [[True, False, True], [False, False, True]], y: [[1.0], [2.0]]}
    return [describe(tf), [sig(t) for t in grads], run(tf, grads, feed)]

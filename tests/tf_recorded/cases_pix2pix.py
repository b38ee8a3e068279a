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

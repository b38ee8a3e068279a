"""Recorded cases: tf.pad's REFLECT and SYMMETRIC modes (MirrorPad, MirrorPadGrad): values, static shapes,
gradients and their own gradients, errors."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error_text, kernel_error, run, sig  # noqa: E402

X = np.arange(2 * 3 * 4, dtype=np.float32).reshape(2, 3, 4) * 0.5 - 3.0


def case_mirror_pad_values(tf):
    x = tf.constant(X)
    outs = [tf.pad(x, [[1, 1], [2, 1], [3, 0]], "REFLECT"), tf.pad(x, [[1, 2], [3, 3], [0, 4]], "SYMMETRIC"),
            tf.pad(x, [[0, 0], [0, 0], [0, 0]], "reflect"), tf.pad(x, [[1, 0], [2, 2], [1, 3]], mode="Symmetric",
                                                                   name="sym"),
            tf.pad(tf.constant([[1, 2, 3], [4, 5, 6]]), [[1, 1], [2, 2]], "REFLECT"),
            tf.pad(tf.constant([b"a", b"b", b"c"]), [[2, 1]], "SYMMETRIC"),
            tf.pad(tf.constant(np.array([True, False])), [[1, 2]], "SYMMETRIC"),
            tf.pad(tf.constant(7.0), tf.zeros([0, 2], tf.int32), "REFLECT")]
    return [describe(tf), [sig(t) for t in outs], run(tf, outs)]


def case_mirror_pad_shapes(tf):
    p = tf.placeholder(tf.float32, [None, 4, None])
    u = tf.placeholder(tf.float32)
    q = tf.placeholder(tf.int32, [3, 2])
    outs = [tf.pad(p, [[1, 1], [2, 1], [0, 2]], "REFLECT"), tf.pad(u, [[1, 1], [2, 1]], "SYMMETRIC"),
            tf.pad(p, q, "REFLECT"), tf.pad(p, tf.constant([[1, 1], [2, 1], [0, 2]], tf.int64), "SYMMETRIC")]
    feed = {p: X.transpose(0, 2, 1).copy(), u: X[0], q: [[1, 0], [0, 1], [1, 1]]}
    return [[sig(t) for t in outs], run(tf, outs, feed)]


def case_mirror_pad_gradients(tf):
    x = tf.constant(X.astype(np.float64))
    out = []
    for mode, pads in (("REFLECT", [[1, 1], [2, 1], [3, 0]]), ("SYMMETRIC", [[2, 1], [3, 3], [0, 4]])):
        y = tf.pad(x, pads, mode)
        w = tf.constant(np.sin(np.arange(np.prod(y.shape.as_list()))).reshape(y.shape.as_list()))
        g = tf.gradients(y * w, x)[0]
        gg = tf.gradients(g * tf.constant(np.cos(np.arange(24.0)).reshape(2, 3, 4)), w)[0]
        out.append([g.op.type, sig(g), gg.op.type, sig(gg), run(tf, [g, gg])])
    return out


def case_mirror_pad_errors(tf):
    x = tf.constant(X)
    out = [error_text(lambda: tf.pad(x, [[1, 1], [1, 1], [1, 1]], "WRAP")),
           error_text(lambda: tf.pad(x, [[3, 0], [0, 0], [0, 0]], "REFLECT")),
           error_text(lambda: tf.pad(x, [[3, 0], [0, 0], [0, 0]], "SYMMETRIC")),
           error_text(lambda: tf.pad(x, [[1, 1], [1, 1]], "REFLECT")),
           error_text(lambda: tf.pad(x, [[-1, 1], [1, 1], [0, 0]], "SYMMETRIC"))]
    p = tf.placeholder(tf.float32, [None, None])
    q = tf.placeholder(tf.int32, [2, 2])
    for pads, feed in (([[2, 2], [0, 0]], X[0, :2]), ([[0, 0], [4, 0]], X[0]), ([[0, 3], [0, 0]], X[0])):
        out.append(kernel_error(tf, tf.pad(p, q, "REFLECT"), {p: feed, q: pads}))
    out.append(kernel_error(tf, tf.pad(p, q, "SYMMETRIC"), {p: X[0], q: [[0, 4], [0, 0]]}))
    out.append(kernel_error(tf, tf.pad(p, q, "SYMMETRIC"), {p: X[0], q: [[0, -1], [0, 0]]}))
    return out

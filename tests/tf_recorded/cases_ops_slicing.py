"""Recorded cases: Tensor.__getitem__ (StridedSlice), tf.strided_slice and tf.slice."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error, error_text, run, run_error, sig  # noqa: E402

X = np.arange(60, dtype=np.float32).reshape(3, 4, 5)


def case_getitem_graph(tf):
    x = tf.constant(X)
    outs = [x[0], x[1:], x[:, 2], x[..., 1], x[-1], x[::2], x[1, 2, 3], x[tf.newaxis], x[:, None, 1:3]]
    return [describe(tf), run(tf, outs)]


def case_getitem_values_many(tf):
    x = tf.constant(X)
    outs = [x[::-1], x[:, ::-2], x[-2:, :-1], x[1:1], x[5:], x[:, -10:10], x[..., ::-1, 0], x[0, ..., 0],
            x[None, ..., None], x[1, None, :, None, 2], x[:, 3:0:-1, 4:0:-2], x[-1:-4:-1], x[2:0:-1, -1],
            x[:0:-1], x[..., :], x[...], x[0][1][2], x[:, :, tf.newaxis, 4]]
    return [[sig(t) for t in outs], run(tf, outs)]


def case_getitem_tensor_indices(tf):
    x = tf.constant(X)
    i = tf.constant(1)
    j = tf.placeholder(tf.int32)
    k = tf.constant(2, tf.int64)
    outs = [x[i], x[i:], x[:, i:i + 2], x[j], x[j, :, 1], x[k], x[1:k]]
    sigs = [sig(t) for t in outs]
    return [describe(tf), sigs, run(tf, outs, {j: 2})]


def case_getitem_partial_shapes(tf):
    p = tf.placeholder(tf.float32, [None, 4, None])
    u = tf.placeholder(tf.float32)
    outs = [p[0], p[:, 1], p[..., 2], p[1:3], p[:, ::2], p[:, -1, :], p[tf.newaxis, :, 0], p[..., tf.newaxis],
            u[0], u[1:, 2], p[:, 1:3, 0:2], p[::-1, ::-1]]
    return [sig(t) for t in outs]


def case_getitem_errors(tf):
    x = tf.constant(X)
    return [error_text(lambda: x[3]), error_text(lambda: x[0, 0, 0, 0]), error_text(lambda: x[-4]),
            error(lambda: x[1.5]), error(lambda: x["a"]), error(lambda: x[..., ...]),
            error(lambda: x[tf.constant([1, 2])]), error_text(lambda: x[::0]),
            error(lambda: tf.constant(3.0)[0]), error(lambda: x[tf.constant(1.0)])]


def case_getitem_runtime_errors(tf):
    x = tf.constant(X)
    j = tf.placeholder(tf.int32)
    return [run_error(tf, x[j], {j: 3}), run_error(tf, x[j], {j: -4}), run_error(tf, x[:, j], {j: 4}),
            run(tf, [x[j:], x[-j:]], {j: 7})]


def case_getitem_scalar_and_vector(tf):
    v = tf.constant([1, 2, 3, 4])
    outs = [v[0], v[-1], v[1:3], v[::-1], v[tf.newaxis, :], v[:, tf.newaxis], v[...], v[2:2]]
    return [describe(tf), run(tf, outs)]


def case_getitem_on_variable_like_shapes(tf):
    m = tf.placeholder(tf.float32, [2, 3])
    return [sig(m[:, 0]), sig(m[1]), sig(m[0, 0]), sig(m[..., -1]), sig(m[:, :, tf.newaxis])]


def case_strided_slice_function(tf):
    x = tf.constant(X)
    outs = [tf.strided_slice(x, [0, 1], [2, 3]), tf.strided_slice(x, [0, 0, 0], [3, 4, 5], [1, 2, 3]),
            tf.strided_slice(x, [1], [2], shrink_axis_mask=1), tf.strided_slice(x, [0, 0], [0, 0], [1, 1],
                                                                                begin_mask=3, end_mask=3),
            tf.strided_slice(x, [0, 1], [0, 2], [1, 1], ellipsis_mask=1, name="ss"),
            tf.strided_slice(x, [0, 0], [1, 1], [1, 1], new_axis_mask=2)]
    return [describe(tf), run(tf, outs)]


def case_strided_slice_masks_combined(tf):
    x = tf.constant(X)
    outs = [tf.strided_slice(x, [0, 2, 0], [0, 0, 1], [1, -1, 1], begin_mask=1, end_mask=3),
            tf.strided_slice(x, [-1, 0], [0, 0], [1, 1], shrink_axis_mask=1, end_mask=2),
            tf.strided_slice(x, [0, 0, 1], [0, 0, 2], [1, 1, 1], ellipsis_mask=1, new_axis_mask=2),
            tf.strided_slice(x, [0, 1], [0, 2], [1, 1], ellipsis_mask=1, shrink_axis_mask=2)]
    return [[sig(t) for t in outs], run(tf, outs)]


def case_strided_slice_dynamic_begin(tf):
    x = tf.constant(X)
    b = tf.placeholder(tf.int32, [2])
    e = tf.placeholder(tf.int32, [2])
    s1 = tf.strided_slice(x, b, e)
    s2 = tf.strided_slice(x, b, e, [1, 1], shrink_axis_mask=1)
    s3 = tf.strided_slice(x, b, e, [1, 1], begin_mask=2, end_mask=2)
    return [sig(s1), sig(s2), sig(s3), run(tf, [s1, s2, s3], {b: [1, 1], e: [3, 3]})]


def case_slice_function(tf):
    x = tf.constant(X)
    outs = [tf.slice(x, [0, 1, 2], [2, 2, 2]), tf.slice(x, [1, 0, 0], [-1, -1, 3]), tf.slice(x, [0, 0, 0], [3, 4, 5]),
            tf.slice(x, [1, 1, 1], [0, 2, 1], name="sl"), tf.slice([1, 2, 3, 4], [1], [2]),
            tf.slice(x, tf.constant([0, 0, 0], tf.int64), [1, 1, 1])]
    return [describe(tf), run(tf, outs)]


def case_slice_shapes(tf):
    p = tf.placeholder(tf.float32, [None, 4, 5])
    b = tf.placeholder(tf.int32, [3])
    s = tf.placeholder(tf.int32, [3])
    outs = [tf.slice(p, [0, 1, 2], [2, 2, 2]), tf.slice(p, [0, 1, 2], [-1, -1, 2]), tf.slice(p, b, [1, 2, 3]),
            tf.slice(p, [0, 0, 0], s), tf.slice(tf.placeholder(tf.float32), [0, 0], [1, 2]),
            tf.slice(p, b, [-1, 2, -1]), tf.slice(p, b, tf.stack([1, tf.shape(p)[1], 2]))]
    return [sig(t) for t in outs]


def case_slice_errors(tf):
    x = tf.constant(X)
    return [error_text(lambda: tf.slice(x, [0, 0], [1, 1])), error_text(lambda: tf.slice(x, [0, 0, 0], [1, 1])),
            error(lambda: tf.slice(x, [0, 0, 0], [4, 1, 1])), error(lambda: tf.slice(x, [[0, 0, 0]], [[1, 1, 1]]))]


def case_slice_runtime_errors(tf):
    x = tf.constant(X)
    b = tf.placeholder(tf.int32)
    s = tf.placeholder(tf.int32)
    y = tf.slice(x, b, s)
    return [run_error(tf, y, {b: [0, 0, 0], s: [4, 1, 1]}), run_error(tf, y, {b: [-1, 0, 0], s: [1, 1, 1]}),
            run_error(tf, y, {b: [0, 0], s: [1, 1]}), run_error(tf, y, {b: [3, 0, 0], s: [1, 1, 1]}),
            run(tf, [y], {b: [3, 0, 0], s: [0, 1, 1]})]

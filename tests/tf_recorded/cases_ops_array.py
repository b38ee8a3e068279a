"""Recorded cases: sources, identity, shape ops, reshaping, joining, splitting, filling, ranges, one-hot, select."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error, error_text, run, run_error, sig  # noqa: E402

X = np.arange(24, dtype=np.float32).reshape(2, 3, 4)


# ----- Const, Placeholder, PlaceholderWithDefault, Identity, NoOp -------------------------------------
def case_constants(tf):
    outs = [tf.constant(1), tf.constant(2.5), tf.constant([1, 2]), tf.constant(7, shape=[2, 2]),
            tf.constant([1.0, 2.0], shape=[2, 3]), tf.constant(3, dtype=tf.float64), tf.constant(True),
            tf.constant([[1, 2]], dtype=tf.int64, name="c64"), tf.constant(np.float16(1.5)), tf.constant(2 ** 40),
            tf.constant(np.arange(3, dtype=np.uint8)), tf.constant([]), tf.constant("str")]
    return [describe(tf), run(tf, outs)]


def case_constant_errors(tf):
    return [error(lambda: tf.constant([1, 2, 3], shape=[2])), error(lambda: tf.constant([1.5], dtype=tf.int32)),
            error(lambda: tf.constant([1, 2], shape=[3], verify_shape=True)), error(lambda: tf.constant([[1], [2, 3]])),
            error(lambda: tf.constant(None)), error(lambda: tf.constant(2 ** 70))]


def case_placeholders(tf):
    ps = [tf.placeholder(tf.float32), tf.placeholder(tf.int32, [None]), tf.placeholder(tf.float64, [2, None, 3]),
          tf.placeholder(tf.bool, (), name="flag"), tf.placeholder(tf.string, shape=[1]),
          tf.placeholder("float", [3]), tf.placeholder(np.int64, name="n")]
    return [describe(tf), [sig(p) for p in ps]]


def case_placeholder_feeding(tf):
    p = tf.placeholder(tf.float32, [None, 2])
    q = tf.placeholder(tf.int32)
    y = p * 2.0
    z = q + 1
    with tf.Session() as s:
        a = s.run(y, {p: [[1, 2], [3, 4]]})
        b = s.run(z, {q: 5})
        c = s.run(z, {q: [[1, 2]]})
        d = error(lambda: s.run(y, {p: [1, 2]}))
        e = error(lambda: s.run(y))
        f = s.run(y, {p: np.zeros((0, 2))})
    return [a, b, c, d, e, f]


def case_placeholder_with_default(tf):
    a = tf.placeholder_with_default([1.0, 2.0], shape=[2])
    b = tf.placeholder_with_default(tf.constant([[1, 2]]), shape=[None, 2], name="pwd")
    c = tf.placeholder_with_default(3, shape=[])
    d = tf.placeholder_with_default([1, 2, 3], shape=None)
    with tf.Session() as s:
        vals = [s.run(a), s.run(a, {a: [5.0, 6.0]}), s.run(b), s.run(b, {b: [[3, 4], [5, 6]]}), s.run(c),
                s.run(d, {d: [7]})]
    return [describe(tf), vals]


def case_placeholder_with_default_errors(tf):
    return [error(lambda: tf.placeholder_with_default([1.0, 2.0], shape=[3])),
            error(lambda: tf.placeholder_with_default([[1.0, 2.0]], shape=[2]))]


def case_identity_and_no_op(tf):
    x = tf.constant([1.0, 2.0])
    i = tf.identity(x)
    j = tf.identity(x, name="same")
    k = tf.identity([1, 2])
    n = tf.no_op()
    m = tf.no_op(name="nothing")
    with tf.Session() as s:
        vals = [s.run(i), s.run(j), s.run(k), s.run(n), s.run(m)]
    return [describe(tf), vals, n.type, n.outputs]


def case_identity_partial_shape(tf):
    p = tf.placeholder(tf.float32, [None, 3])
    return [sig(tf.identity(p)), sig(tf.identity(tf.placeholder(tf.int32)))]


# ----- Shape, Size, Rank -----------------------------------------------------------------------------------
def case_shape_size_rank(tf):
    x = tf.constant(X)
    p = tf.placeholder(tf.float32, [None, 3])
    u = tf.placeholder(tf.float32)
    outs = [tf.shape(x), tf.size(x), tf.rank(x), tf.shape(p), tf.size(p), tf.rank(p), tf.shape(u), tf.size(u),
            tf.rank(u), tf.shape(x, out_type=tf.int64), tf.size(x, out_type=tf.int64), tf.shape(x, name="s"),
            tf.rank(x, name="r"), tf.shape([[1, 2]])]
    sigs = [sig(t) for t in outs]
    with tf.Session() as s:
        vals = s.run(outs[:3] + outs[9:], {})
        fed = s.run(outs[3:9], {p: np.zeros((5, 3)), u: np.zeros((2, 2, 2))})
    return [describe(tf), sigs, vals, fed]


def case_shape_type_errors(tf):
    x = tf.constant(X)
    return [error(lambda: tf.shape(x, out_type=tf.float32)), error(lambda: tf.size(x, out_type=tf.float32))]


# ----- Reshape ---------------------------------------------------------------------------------------------
def case_reshape(tf):
    x = tf.constant(X)
    outs = [tf.reshape(x, [6, 4]), tf.reshape(x, [-1]), tf.reshape(x, [4, -1, 2]), tf.reshape(x, (24,)),
            tf.reshape(x, tf.constant([2, 12], tf.int64)), tf.reshape(x, [2, 3, 4], name="same"),
            tf.reshape(tf.constant([5.0]), []), tf.reshape(x, np.array([3, 8], np.int64))]
    return [describe(tf), run(tf, outs)]


def case_reshape_static_shapes(tf):
    p = tf.placeholder(tf.float32, [None, 3, 4])
    u = tf.placeholder(tf.float32)
    s = tf.placeholder(tf.int32, [3])
    q = tf.placeholder(tf.int32)
    outs = [tf.reshape(p, [-1, 12]), tf.reshape(p, [-1, 2, 6]), tf.reshape(u, [2, -1]), tf.reshape(u, [3, 4]),
            tf.reshape(p, s), tf.reshape(p, q), tf.reshape(p, tf.shape(p)), tf.reshape(p, [tf.shape(p)[0], -1]),
            tf.reshape(p, tf.stack([q, 12])), tf.reshape(tf.constant(X), [q, -1])]
    return [sig(t) for t in outs]


def case_reshape_errors(tf):
    x = tf.constant(X)
    p = tf.placeholder(tf.float32, [None, 5])
    return [error_text(lambda: tf.reshape(x, [5, 5])), error_text(lambda: tf.reshape(x, [5, -1])),
            error_text(lambda: tf.reshape(x, [-1, -1])), error_text(lambda: tf.reshape(p, [3, -1])),
            error_text(lambda: tf.reshape(x, [[24]])), error(lambda: tf.reshape(x, [2.0, 12.0])),
            error_text(lambda: tf.reshape(x, [-2, 12]))]


def case_reshape_runtime_errors(tf):
    p = tf.placeholder(tf.float32)
    s = tf.placeholder(tf.int32)
    r = tf.reshape(p, s)
    feeds = [{p: X, s: [5, 5]}, {p: X, s: [5, -1]}, {p: X, s: [-1, -1]}, {p: X, s: [-2, -12]}, {p: X, s: [[24]]}]
    return [run_error(tf, r, f) for f in feeds] + [run(tf, [r], {p: X, s: [-1, 6]})]


# ----- Transpose ------------------------------------------------------------------------------------------
def case_transpose(tf):
    x = tf.constant(X)
    outs = [tf.transpose(x), tf.transpose(x, [1, 0, 2]), tf.transpose(x, perm=[2, 0, 1], name="t"),
            tf.transpose([[1, 2, 3]]), tf.transpose(x, tf.constant([0, 2, 1], tf.int64))]
    return [describe(tf), run(tf, outs)]


def case_transpose_shapes_and_errors(tf):
    p = tf.placeholder(tf.float32, [None, 3])
    u = tf.placeholder(tf.float32)
    perm = tf.placeholder(tf.int32, [3])
    outs = [tf.transpose(p), tf.transpose(u), tf.transpose(u, [1, 0]), tf.transpose(p, tf.placeholder(tf.int32)),
            tf.transpose(u, perm)]
    return [[sig(t) for t in outs], describe(tf)[-8:], error_text(lambda: tf.transpose(p, [0, 1, 2])),
            error(lambda: tf.transpose(p, [0, 0]))]


def case_transpose_runtime_errors(tf):
    x = tf.constant(X)
    perm = tf.placeholder(tf.int32)
    t = tf.transpose(x, perm)
    return [run_error(tf, t, {perm: [0, 0, 1]}), run_error(tf, t, {perm: [0, 1]}), run_error(tf, t, {perm: [0, 1, 5]})]


# ----- ExpandDims, Squeeze ----------------------------------------------------------------------------------
def case_expand_dims_and_squeeze(tf):
    x = tf.constant(X[:1, :, :1])
    outs = [tf.expand_dims(x, 0), tf.expand_dims(x, -1), tf.expand_dims(x, axis=2, name="e"), tf.expand_dims(x, dim=1),
            tf.squeeze(x), tf.squeeze(x, [0]), tf.squeeze(x, axis=[-1]), tf.squeeze(x, squeeze_dims=[0, 2]),
            tf.expand_dims(5, 0), tf.squeeze(x, 0, name="sq")]
    return [describe(tf), run(tf, outs)]


def case_expand_dims_squeeze_shapes(tf):
    p = tf.placeholder(tf.float32, [None, 1, 3])
    u = tf.placeholder(tf.float32)
    d = tf.placeholder(tf.int32)
    outs = [tf.expand_dims(p, 1), tf.expand_dims(p, -4), tf.expand_dims(u, 0), tf.expand_dims(p, d),
            tf.squeeze(p), tf.squeeze(p, [1]), tf.squeeze(u), tf.squeeze(u, [0]), tf.squeeze(p, [0])]
    return [sig(t) for t in outs]


def case_expand_dims_squeeze_errors(tf):
    x = tf.constant(X)
    return [error_text(lambda: tf.expand_dims(x, 4)), error_text(lambda: tf.expand_dims(x, -5)),
            error_text(lambda: tf.squeeze(x, [0])), error_text(lambda: tf.squeeze(x, [3])),
            error(lambda: tf.expand_dims(x, [0, 1]))]


def case_squeeze_runtime_error(tf):
    p = tf.placeholder(tf.float32)
    return [run_error(tf, tf.squeeze(p, [0]), {p: X}), run(tf, [tf.squeeze(p)], {p: np.zeros((1, 2, 1))})]


# ----- ConcatV2, Pack, Unpack, Split, Tile ------------------------------------------------------------------
def case_concat(tf):
    a, b = tf.constant(X), tf.constant(X + 100)
    outs = [tf.concat([a, b], 0), tf.concat([a, b], 1), tf.concat([a, b], -1), tf.concat([a, b, a], axis=2, name="c"),
            tf.concat([a], 0), tf.concat([[1, 2], [3]], 0), tf.concat([a, b], tf.constant(1, tf.int64))]
    return [describe(tf), run(tf, outs)]


def case_concat_shapes_and_errors(tf):
    p = tf.placeholder(tf.float32, [None, 3])
    q = tf.placeholder(tf.float32, [2, None])
    u = tf.placeholder(tf.float32)
    ax = tf.placeholder(tf.int32)
    outs = [tf.concat([p, q], 0), tf.concat([p, q], 1), tf.concat([p, u], 0), tf.concat([u, u], 0),
            tf.concat([p, q], ax)]
    return [[sig(t) for t in outs], error_text(lambda: tf.concat([p, tf.placeholder(tf.float32, [2, 4])], 0)),
            error_text(lambda: tf.concat([p, tf.placeholder(tf.float32, [3])], 0)),
            error_text(lambda: tf.concat([p, q], 2)), error(lambda: tf.concat([p, tf.constant([[1, 2, 3]])], 0))]


def case_concat_runtime_errors(tf):
    p = tf.placeholder(tf.float32)
    q = tf.placeholder(tf.float32)
    c = tf.concat([p, q], 0)
    return [run_error(tf, c, {p: np.zeros((2, 3)), q: np.zeros((2, 4))}),
            run_error(tf, c, {p: np.zeros((2, 3)), q: np.zeros(3)})]


def case_stack_and_unstack(tf):
    a, b = tf.constant([1.0, 2.0]), tf.constant([3.0, 4.0])
    s0 = tf.stack([a, b])
    s1 = tf.stack([a, b], axis=1)
    s2 = tf.stack([a, b], -1, name="st")
    s3 = tf.stack([[1, 2], [3, 4]])
    s4 = tf.stack([1.0, a[0]])
    u = tf.unstack(tf.constant(X))
    u1 = tf.unstack(tf.constant(X), axis=1)
    u2 = tf.unstack(tf.constant(X), num=4, axis=-1, name="un")
    return [describe(tf), run(tf, [s0, s1, s2, s3, s4] + u + u1 + u2), [sig(t) for t in u + u1 + u2]]


def case_stack_shapes_and_errors(tf):
    p = tf.placeholder(tf.float32, [None, 3])
    q = tf.placeholder(tf.float32, [2, None])
    u = tf.placeholder(tf.float32)
    return [sig(tf.stack([p, q])), sig(tf.stack([p, q], 2)), sig(tf.stack([p, u], 1)), sig(tf.stack([u, u])),
            error_text(lambda: tf.stack([p, tf.placeholder(tf.float32, [2, 4])])),
            error_text(lambda: tf.stack([p, tf.placeholder(tf.float32, [3])])),
            error_text(lambda: tf.stack([p, q], 3)), error(lambda: tf.stack([p, tf.constant([[1, 2, 3]])])),
            [sig(t) for t in tf.unstack(p, axis=1)], error_text(lambda: tf.unstack(p)),
            error_text(lambda: tf.unstack(u)), error_text(lambda: tf.unstack(p, num=4, axis=1)),
            error(lambda: tf.unstack(p, axis=2))]


def case_unstack_runtime_error(tf):
    p = tf.placeholder(tf.float32, [None, 2])
    u = tf.unstack(p, num=3)
    return run_error(tf, u, {p: np.zeros((2, 2))})


def case_split(tf):
    x = tf.constant(X)
    s1 = tf.split(x, 2)
    s2 = tf.split(x, 3, axis=1)
    s3 = tf.split(x, [1, 3], 2)
    s4 = tf.split(x, [1, -1, 1], axis=2, name="sp")
    s5 = tf.split(x, 1, 0)
    s6 = tf.split(x, tf.constant([2, 2]), 2)
    outs = s1 + s2 + s3 + s4 + s5 + s6
    return [describe(tf), run(tf, outs), [sig(t) for t in outs]]


def case_split_shapes_and_errors(tf):
    p = tf.placeholder(tf.float32, [None, 6])
    ax = tf.placeholder(tf.int32)
    return [[sig(t) for t in tf.split(p, 3, 1)], [sig(t) for t in tf.split(p, 2, 0)],
            [sig(t) for t in tf.split(p, [2, 4], 1)], [sig(t) for t in tf.split(p, 2, ax)],
            [sig(t) for t in tf.split(p, [2, -1], 1)],
            error_text(lambda: tf.split(p, 4, 1)), error_text(lambda: tf.split(p, [2, 3], 1)),
            error(lambda: tf.split(p, 2, 2)), error(lambda: tf.split(p, tf.placeholder(tf.int32), 1))]


def case_split_runtime_errors(tf):
    p = tf.placeholder(tf.float32, [None, 4])
    return [run_error(tf, tf.split(p, 2, 0), {p: np.zeros((3, 4))}),
            run_error(tf, tf.split(p, [1, 2], 0), {p: np.zeros((4, 4))})]


def case_tile(tf):
    x = tf.constant([[1, 2], [3, 4]])
    outs = [tf.tile(x, [2, 3]), tf.tile(x, [1, 1]), tf.tile(x, tf.constant([3, 1], tf.int64), name="t"),
            tf.tile([1.5], [4]), tf.tile(x, [0, 2])]
    p = tf.placeholder(tf.float32, [None, 3])
    m = tf.placeholder(tf.int32, [2])
    sigs = [sig(tf.tile(p, [2, 2])), sig(tf.tile(p, m)), sig(tf.tile(tf.placeholder(tf.float32), [2, 2]))]
    return [describe(tf), run(tf, outs), sigs, error_text(lambda: tf.tile(x, [2]))]


def case_tile_runtime_errors(tf):
    m = tf.placeholder(tf.int32)
    t = tf.tile(tf.constant([[1, 2]]), m)
    return [run_error(tf, t, {m: [2]}), run_error(tf, t, {m: [-1, 2]})]


# ----- Fill, zeros, ones, zeros_like, ones_like ---------------------------------------------------------------
def case_fill_zeros_ones(tf):
    outs = [tf.zeros([2, 3]), tf.ones([3]), tf.zeros([2], tf.int32), tf.ones((2, 2), dtype=tf.bool), tf.zeros([]),
            tf.fill([2, 2], 7), tf.fill([3], 1.5, name="f"), tf.zeros([20, 100]), tf.ones([1000]), tf.zeros([999]),
            tf.zeros(3), tf.zeros([2], name="z"), tf.ones([0, 3]), tf.zeros([2], tf.string)]
    return [describe(tf), [[v[0], v[1].shape] for v in run(tf, outs)], run(tf, outs[:7])]


def case_zeros_with_tensor_shape(tf):
    p = tf.placeholder(tf.float32, [None, 3])
    s = tf.placeholder(tf.int32, [2])
    outs = [tf.zeros(tf.shape(p)), tf.ones(s), tf.zeros([tf.shape(p)[0], 2]), tf.fill(tf.shape(p), 2.0),
            tf.zeros(tf.TensorShape([2, 3])), tf.zeros([2, 3], dtype=tf.float64), tf.ones(s, tf.int64)]
    return [describe(tf), [sig(t) for t in outs]]


def case_zeros_like_ones_like(tf):
    x = tf.constant(X)
    p = tf.placeholder(tf.float32, [None, 3])
    b = tf.constant([True, False])
    outs = [tf.zeros_like(x), tf.ones_like(x), tf.zeros_like(x, dtype=tf.int32), tf.ones_like(x, dtype=tf.int32),
            tf.zeros_like(p), tf.ones_like(p), tf.zeros_like([1, 2]), tf.ones_like([1.0]), tf.zeros_like(b),
            tf.ones_like(b), tf.zeros_like(x, name="zl"), tf.ones_like(x, name="ol"), tf.zeros_like(p, tf.int64),
            tf.ones_like(p, tf.int64)]
    sigs = [sig(t) for t in outs]
    fetch = [t for i, t in enumerate(outs) if i not in (4, 5, 12, 13)]
    return [describe(tf), sigs, run(tf, fetch), run(tf, outs[4:6] + outs[12:], {p: np.zeros((2, 3))})]


def case_fill_errors(tf):
    return [error_text(lambda: tf.fill([2, 2], [1, 2])), error(lambda: tf.fill([[2]], 1)),
            error(lambda: tf.zeros([-1, 2])), error(lambda: tf.fill([2.0], 1))]


def case_fill_runtime_errors(tf):
    d = tf.placeholder(tf.int32)
    return [run_error(tf, tf.fill(d, 1.0), {d: [-1, 2]}), run_error(tf, tf.zeros(d), {d: [2, -3]}),
            run_error(tf, tf.fill(d, 1.0), {d: [[2]]})]


# ----- Range -----------------------------------------------------------------------------------------------
def case_range(tf):
    outs = [tf.range(5), tf.range(2, 10, 3), tf.range(1.0, 2.0, 0.25), tf.range(10, 0, -3), tf.range(5, dtype=tf.int64),
            tf.range(0, 1.5, 0.5, name="r"), tf.range(3, 3), tf.range(tf.constant(4)), tf.range(5, delta=2),
            tf.range(2.5), tf.range(1, 4, dtype=tf.float32), tf.range(tf.constant(3, tf.int64), 6)]
    return [describe(tf), run(tf, outs)]


def case_range_shapes_and_errors(tf):
    n = tf.placeholder(tf.int32)
    return [sig(tf.range(n)), sig(tf.range(0, 10, n)), error(lambda: tf.range(0, 10, 0)),
            error(lambda: tf.range(5, dtype=tf.bool)), error(lambda: tf.range(tf.constant(1), 2.5)),
            error(lambda: tf.range(1, 5, dtype=tf.string))]


def case_range_runtime_errors(tf):
    n = tf.placeholder(tf.int32)
    return [run_error(tf, tf.range(0, 10, n), {n: 0}), run_error(tf, tf.range(0, n, 1), {n: -5}),
            run_error(tf, tf.range(5, n, 1), {n: 1})]


# ----- OneHot -----------------------------------------------------------------------------------------------
def case_one_hot(tf):
    i = tf.constant([0, 2, -1, 1])
    outs = [tf.one_hot(i, 3), tf.one_hot(i, 3, on_value=5, off_value=-1), tf.one_hot(i, 3, axis=0),
            tf.one_hot([[0, 1], [2, 0]], 3, dtype=tf.int64), tf.one_hot(i, 4, 1.0, 0.0, name="oh"),
            tf.one_hot(tf.constant([1, 0], tf.int64), 2, on_value=True, off_value=False),
            tf.one_hot(tf.constant([1, 0], tf.uint8), 2)]
    return [describe(tf), run(tf, outs)]


def case_one_hot_shapes_and_errors(tf):
    p = tf.placeholder(tf.int32, [None])
    d = tf.placeholder(tf.int32)
    return [sig(tf.one_hot(p, 4)), sig(tf.one_hot(p, d)), sig(tf.one_hot(tf.placeholder(tf.int32), 3)),
            sig(tf.one_hot(p, 4, axis=0)), error(lambda: tf.one_hot(tf.constant([1.0]), 2)),
            error(lambda: tf.one_hot(p, 3, on_value=1.0, off_value=0)), error(lambda: tf.one_hot(p, 3, axis=-2)),
            error(lambda: tf.one_hot(p, 3, on_value=1, dtype=tf.float32))]


def case_one_hot_runtime_errors(tf):
    d = tf.placeholder(tf.int32)
    return run_error(tf, tf.one_hot([1], d), {d: -1})


# ----- where / Select, gather --------------------------------------------------------------------------------
def case_where_select(tf):
    c = tf.constant([True, False, True])
    x = tf.constant([1.0, 2.0, 3.0])
    y = tf.constant([-1.0, -2.0, -3.0])
    m = tf.constant([[1, 2], [3, 4], [5, 6]])
    outs = [tf.where(c, x, y), tf.where(c, m, -m, name="w"), tf.where(c), tf.where([[True, False], [False, True]]),
            tf.where(tf.constant(True), x, y), tf.where(c, [1, 2, 3], [4, 5, 6])]
    return [describe(tf), run(tf, outs)]


def case_where_shapes_and_errors(tf):
    c = tf.placeholder(tf.bool, [None])
    x = tf.placeholder(tf.float32, [None, 2])
    return [sig(tf.where(c, x, x)), sig(tf.where(c)), sig(tf.where(tf.placeholder(tf.bool))),
            error_text(lambda: tf.where(c, x, tf.placeholder(tf.float32, [3, 3]))),
            error(lambda: tf.where(tf.placeholder(tf.bool, [2, 3]), x, x)),
            error(lambda: tf.where(c, x, tf.placeholder(tf.int32, [None, 2]))), error(lambda: tf.where(c, x))]


def case_where_runtime_errors(tf):
    c = tf.placeholder(tf.bool)
    x = tf.placeholder(tf.float32)
    s = tf.where(c, x, x)
    return [run_error(tf, s, {c: [True, False], x: np.zeros((3, 2))}), run(tf, [s], {c: [True, False], x: [[1.0], [2.0]]})]


def case_gather(tf):
    p = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    outs = [tf.gather(p, [2, 0]), tf.gather(p, 1), tf.gather(p, [[0, 1], [1, 2]]), tf.gather(p, [1, 0], axis=1),
            tf.gather(p, tf.constant([0], tf.int64), name="g")]
    return [describe(tf), run(tf, outs)]


def case_gather_runtime_errors(tf):
    p = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    i = tf.placeholder(tf.int32)
    return [run_error(tf, tf.gather(p, i), {i: [0, 2]}), run_error(tf, tf.gather(p, i), {i: [-1]})]

"""Recorded cases: issue 16's array ops: roll, unravel_index, linspace, meshgrid, repeat, sequence_mask,
boolean_mask, batch_gather, identity_n, ensure_shape, guarantee_const, bitcast, shape_n, reverse_v2,
unique_with_counts and the static-shape helpers."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error, grads, run, run_error, sig  # noqa: E402

X = np.arange(12, dtype=np.float32).reshape(3, 4)


def case_roll(tf):
    x = tf.constant(X)
    outs = [tf.roll(x, 1, 1), tf.roll(x, [1, -2], [0, 1]), tf.roll(x, [1, 1], [1, 1]), tf.roll(x, -4, 0),
            tf.roll(tf.constant([1, 2, 3], tf.int64), tf.constant(2, tf.int64), 0)]
    return [describe(tf), run(tf, outs)]


def case_roll_shapes_errors_gradient(tf):
    p = tf.placeholder(tf.float32, [None, 3])
    y = tf.roll(p, 2, 1)
    x = tf.constant(X.astype(np.float64))
    g = grads(tf, tf.reduce_sum(tf.roll(x, [1, 3], [0, 1]) * tf.constant(np.arange(12.0).reshape(3, 4))), [x])[1:]
    return [sig(y), g, error(lambda: tf.roll(tf.constant(1.0), 1, 0)),
            error(lambda: tf.roll(x, [1, 2], [0])), run_error(tf, tf.roll(x, 1, 2))]


def case_unravel_index(tf):
    outs = [tf.unravel_index(tf.constant([1, 5, 11]), tf.constant([3, 4])), tf.unravel_index(7, [2, 2, 2]),
            tf.unravel_index(tf.constant([3], tf.int64), tf.constant([2, 2], tf.int64))]
    return [describe(tf), run(tf, outs), run_error(tf, tf.unravel_index(12, [3, 4])),
            sig(tf.unravel_index(tf.placeholder(tf.int32, [None]), [3, 4]))]


def case_linspace(tf):
    outs = [tf.linspace(0.0, 1.0, 5), tf.lin_space(-3.0, 7.0, 4), tf.linspace(tf.constant(2.0, tf.float64), 8.0, 7),
            tf.linspace(1.0, 1.0, 1), tf.linspace(0.0, 1.0, tf.placeholder_with_default(3, []))]
    return [[sig(t)[1:] for t in outs], run(tf, outs), run_error(tf, tf.linspace(0.0, 1.0,
                                                                            tf.placeholder_with_default(0, [])))]


def case_meshgrid(tf):
    a, b, c = tf.constant([1, 2, 3]), tf.constant([4.0, 5.0]), tf.constant([7, 8, 9, 10])
    xy = tf.meshgrid(a, tf.cast(b, tf.int32))
    ij = tf.meshgrid(a, tf.cast(b, tf.int32), c, indexing="ij")
    three = tf.meshgrid(b, b, tf.cast(c, tf.float32))
    return [[sig(t)[1:] for t in xy + ij + three], run(tf, xy + ij + three),
            error(lambda: tf.meshgrid(a, a, indexing="zz"))]


def case_repeat(tf):
    x = tf.constant(X)
    outs = [tf.repeat(x, 2, axis=1), tf.repeat(x, [1, 0, 2], axis=0), tf.repeat(x, 2), tf.repeat(x, [2], axis=-1),
            tf.repeat(tf.constant([1, 2]), [3, 1]), tf.repeat(x, tf.constant([1, 2, 1, 0]), axis=1)]
    return [[sig(t)[1:] for t in outs[:4]], run(tf, outs)]


def case_repeat_gradient(tf):
    x = tf.constant(X.astype(np.float64))
    y = tf.repeat(x, [1, 2, 0], axis=0) * 3.0
    return [tf.gradients(tf.reduce_sum(y), [x])[0].shape.as_list(), run(tf, tf.gradients(tf.reduce_sum(y), [x]))]


def case_sequence_mask(tf):
    outs = [tf.sequence_mask([1, 3, 2], 5), tf.sequence_mask([1, 3, 2]), tf.sequence_mask([[1, 2], [0, 4]], 4),
            tf.sequence_mask(tf.constant([2, 0], tf.int64), 3, dtype=tf.float32), tf.sequence_mask([0, 0])]
    p = tf.placeholder(tf.int32, [None])
    return [[sig(t)[1:] for t in outs] + [sig(tf.sequence_mask(p, 4))[1:], sig(tf.sequence_mask(p))[1:]],
            run(tf, outs), error(lambda: tf.sequence_mask([1, 2], [3, 4]))]


def case_boolean_mask(tf):
    x = tf.constant(X)
    outs = [tf.boolean_mask(x, [True, False, True]), tf.boolean_mask(x, [[True, False, True, False]] * 3),
            tf.boolean_mask(x, [False, True, True, False], axis=1), tf.boolean_mask(tf.constant([1, 2, 3]), [False] * 3)]
    p = tf.placeholder(tf.float32, [None, 4])
    dyn = [tf.boolean_mask(p, tf.placeholder(tf.bool, [None])), tf.boolean_mask(p, tf.placeholder(tf.bool, [None, 4]))]
    return [[sig(t)[1:] for t in outs + dyn], run(tf, outs), error(lambda: tf.boolean_mask(x, True)),
            error(lambda: tf.boolean_mask(x, tf.placeholder(tf.bool))), error(lambda: tf.boolean_mask(x, [True] * 4))]


def case_boolean_mask_gradient(tf):
    x = tf.constant(X.astype(np.float64))
    y = tf.boolean_mask(x, [[True, False, True, False]] * 3) * tf.constant(np.arange(6.0))
    return run(tf, tf.gradients(tf.reduce_sum(y), [x]))


def case_batch_gather(tf):
    p = tf.constant(np.arange(24.0).reshape(2, 3, 4))
    outs = [tf.batch_gather(p, [[0, 2], [1, 1]]), tf.batch_gather(p, [[[0], [2], [1]], [[2], [1], [0]]]),
            tf.batch_gather(tf.constant([5, 6, 7]), [2, 0])]
    g = tf.gradients(tf.reduce_sum(outs[0]), [p])
    return [[sig(t)[1:] for t in outs], run(tf, outs + g)]


def case_identity_n_guarantee_const(tf):
    x, y = tf.constant(X), tf.constant([1, 2], tf.int64)
    outs = tf.identity_n([x, y]) + [tf.guarantee_const(x)]
    z = tf.constant(2.0, tf.float64)
    a, b = tf.identity_n([z * 3.0, z])
    return [describe(tf), run(tf, outs), run(tf, tf.gradients(a * b, [z]))]


def case_ensure_shape(tf):
    x = tf.constant(X)
    p = tf.placeholder(tf.float32, [None, None])
    outs = [tf.ensure_shape(x, [3, None]), tf.ensure_shape(p, [None, 4]), tf.ensure_shape(p, (3, 4)),
            tf.ensure_shape(tf.placeholder(tf.float32), [2])]
    feed = {p: X}
    with tf.Session() as s:
        values = s.run(outs[:3], feed)
    return [describe(tf, skip=("Placeholder", "Placeholder_1")), [sig(t)[1:] for t in outs], values,
            error(lambda: tf.ensure_shape(x, [4, 3])), error(lambda: tf.ensure_shape(x, [3])),
            error(lambda: tf.ensure_shape(x, None)),
            run_error(tf, tf.ensure_shape(p, [2, 4]), {p: X})]


def case_ensure_shape_gradient(tf):
    x = tf.constant(X.astype(np.float64))
    return run(tf, tf.gradients(tf.reduce_sum(tf.ensure_shape(x, [3, 4]) ** 2), [x]))


def case_bitcast(tf):
    f = tf.constant([1.0, -2.5, 0.0], tf.float32)
    outs = [tf.bitcast(f, tf.int32), tf.bitcast(f, tf.uint8), tf.bitcast(tf.constant([[1, 2], [3, 4]], tf.int32), tf.int64),
            tf.bitcast(tf.constant([1, 256], tf.int16), tf.uint16), tf.bitcast(tf.constant(7, tf.int64), tf.float64)]
    return [describe(tf), run(tf, outs), sig(tf.bitcast(tf.placeholder(tf.int32, [None, 2]), tf.int64)),
            error(lambda: tf.bitcast(tf.constant([1, 2, 3], tf.int32), tf.int64)),
            error(lambda: tf.bitcast(f, tf.string))]


def case_shape_n_reverse_v2(tf):
    x = tf.constant(X)
    outs = tf.shape_n([x, x[0]], out_type=tf.int64) + [tf.reverse_v2(x, [0]), tf.reverse_v2(x, [-1, 0])]
    return [[sig(t) for t in outs], run(tf, outs), error(lambda: tf.shape_n([x, tf.constant([1, 2])]))]


def case_unique_with_counts(tf):
    u = tf.unique_with_counts(tf.constant([4, 1, 4, 7, 1, 1]))
    v = tf.unique_with_counts(tf.constant([2.5, -1.0, 2.5]), out_idx=tf.int64)
    return [describe(tf), type(u).__name__, list(u._fields), run(tf, list(u) + list(v)),
            error(lambda: tf.unique_with_counts(tf.constant([[1, 2]])))]


def case_static_shape_helpers(tf):
    s = tf.broadcast_static_shape
    d = tf.dimension_at_index
    return [str(s(tf.TensorShape([2, 1]), tf.TensorShape([3]))), str(s(tf.TensorShape([None, 3]), tf.TensorShape([4, 1]))),
            str(s(tf.TensorShape(None), tf.TensorShape([2]))), error(lambda: s(tf.TensorShape([2]), tf.TensorShape([3]))),
            str(d(tf.TensorShape([2, None]), 0)), str(d(tf.TensorShape([2, None]), 1)), str(d(tf.TensorShape(None), 3)),
            type(d(tf.TensorShape([2]), 0)).__name__]


def case_parallel_stack(tf):
    x = tf.constant(X)
    outs = [tf.parallel_stack([x, x * 2.0, x]), tf.parallel_stack([tf.constant(1), tf.constant(2)])]
    return [describe(tf), run(tf, outs), error(lambda: tf.parallel_stack([tf.placeholder(tf.float32, [None])] * 2)),
            error(lambda: tf.parallel_stack([x, tf.constant([1.0])]))]


def case_required_space_to_batch_paddings(tf):
    outs = list(tf.required_space_to_batch_paddings([5, 7], [2, 3]))
    outs += list(tf.required_space_to_batch_paddings([4, 9, 10], [2, 3, 4], [[1, 0], [2, 2], [0, 3]]))
    dyn = tf.required_space_to_batch_paddings(tf.placeholder_with_default([5, 7], [2]), [2, 3], [[1, 0], [2, 2]])
    return [[sig(t) for t in outs], run(tf, outs + list(dyn)), [sig(t)[1:] for t in dyn],
            error(lambda: tf.required_space_to_batch_paddings([5], tf.placeholder(tf.int32, [None])))]


def case_sparse_matmul(tf):
    a = tf.constant(X[:2, :3])
    b = tf.constant(X[:, 1:])
    outs = [tf.sparse_matmul(a, b), tf.sparse_matmul(b, a, transpose_a=True, transpose_b=True, b_is_sparse=True),
            tf.sparse_matmul(a, a, transpose_b=True, a_is_sparse=True)]
    g = tf.gradients(tf.reduce_sum(outs[1] * tf.constant(np.arange(6.0, dtype=np.float32).reshape(3, 2))), [a, b])
    return [describe(tf)[:5], [sig(t)[1:] for t in outs], run(tf, outs + g),
            error(lambda: tf.sparse_matmul(a, a)), error(lambda: tf.sparse_matmul(tf.constant([[1.0]], tf.float64), a))]


def case_random_index_shuffle(tf):
    i = tf.constant(np.arange(12, dtype=np.int64))
    outs = [tf.random_index_shuffle(i, tf.constant([1, 2, 3], tf.int64), tf.constant(11, tf.int64)),
            tf.random_index_shuffle(tf.constant(np.arange(10, dtype=np.uint32)), tf.constant([7, 0, 42], tf.uint32),
                                    tf.constant(9, tf.uint32), rounds=6),
            tf.random_index_shuffle(tf.constant(5), tf.constant([-1, 2, 3]), tf.constant(1000)),
            tf.random_index_shuffle(tf.constant([3, 70000], tf.int64), tf.constant([[1, 2, 3], [4, 5, 6]], tf.int64),
                                    tf.constant([10, 100000], tf.int64)),
            tf.random_index_shuffle(tf.constant(0, tf.uint64), tf.constant([9, 9, 9], tf.uint64), tf.constant(0, tf.uint64)),
            tf.random_index_shuffle(tf.constant(2 ** 40, tf.int64), tf.constant([5, 6, 7], tf.int64),
                                    tf.constant(2 ** 41, tf.int64), rounds=8)]
    return [[sig(t)[1:] for t in outs], run(tf, outs)]

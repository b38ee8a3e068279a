"""tf.sets over dense and sparse inputs: op types and names, static shapes, the sparse results' values, set sizes,
the sparse-dense swap, and TF's errors."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import error as raises  # noqa: E402


def _desc(t):
    return [t.op.name, t.op.type, t.dtype.name, t.shape.as_list() if t.shape.ndims is not None else None]


def _sparse(tf, s):
    return [_desc(s.indices), _desc(s.values), _desc(s.dense_shape)]


def _run(tf, fetches, feed=None):
    with tf.Session() as s:
        return s.run(fetches, feed)


A = [[1, 2, 3, 2], [4, 5, 6, 7]]
B = [[2, 9], [7, 4]]


def _parts(s):
    return [s.indices, s.values, s.dense_shape]


def case_dense_dense(tf):
    a, b = tf.constant(A), tf.constant(B)
    out = [tf.sets.set_intersection(a, b), tf.sets.union(a, b), tf.sets.difference(a, b),
           tf.sets.set_difference(a, b, aminusb=False), tf.sets.intersection(a, b)]
    return [[_sparse(tf, s) for s in out], _run(tf, [_parts(s) for s in out])]


def case_strings_and_int64(tf):
    a = tf.constant([["a", "b", "c"], ["d", "a", "a"]])
    b = tf.constant([["c", "x"], ["a", "d"]])
    out = [tf.sets.union(a, b), tf.sets.difference(a, b),
           tf.sets.intersection(tf.constant(A, tf.int64), tf.constant(B, tf.int64))]
    return [[_sparse(tf, s) for s in out], _run(tf, [_parts(s) for s in out])]


def case_rank3_and_sizes(tf):
    a = tf.constant(np.arange(12).reshape(2, 2, 3) % 5)
    b = tf.constant(np.arange(8).reshape(2, 2, 2) % 3)
    u = tf.sets.union(a, b)
    sizes = [tf.sets.set_size(u), tf.sets.size(tf.sets.intersection(a, b))]
    return [_sparse(tf, u), [_desc(t) for t in sizes], _run(tf, [_parts(u), sizes])]


def case_dense_sparse_and_swap(tf):
    a, b = tf.constant(A), tf.constant(B)
    sb = tf.sets.union(b, b)
    sa = tf.sets.union(a, a)
    out = [tf.sets.intersection(a, sb), tf.sets.difference(a, sb), tf.sets.difference(sa, b),
           tf.sets.union(sa, b), tf.sets.difference(sa, sb, aminusb=False)]
    return [[_sparse(tf, s) for s in out], _run(tf, [_parts(s) for s in out])]


def case_unknown_shapes(tf):
    p = tf.placeholder(tf.int32, [None, None])
    q = tf.placeholder(tf.int32)
    out = [tf.sets.union(p, p), tf.sets.intersection(q, q)]
    size = tf.sets.size(out[0])
    return [[_sparse(tf, s) for s in out], _desc(size),
            _run(tf, [_parts(out[0]), _parts(out[1]), size], {p: [[1, 1], [2, 3]], q: [[[5, 6, 5]]]})]


def case_errors(tf):
    a = tf.constant(A)
    return [raises(lambda: tf.sets.union(tf.constant([1, 2]), tf.constant([1]))),
            raises(lambda: tf.sets.union(tf.constant([[1.0]]), tf.constant([[1.0]]))),
            raises(lambda: tf.sets.union(a, tf.constant([[1]], tf.int64))),
            raises(lambda: tf.sets.size(a)),
            raises(lambda: _run(tf, _parts(tf.sets.union(a, tf.constant([[1], [2], [3]]))))),
            raises(lambda: tf.sets.intersection(a, [[1, 2]], validate_indices=False))]


def case_results_are_sparse_tensors(tf):
    a, b = tf.constant(A), tf.constant(B)
    u = tf.sets.union(a, b)
    v = _run(tf, u)
    return [type(u).__name__, isinstance(u, tf.SparseTensor), type(v).__name__, u.dtype.name,
            u.get_shape().as_list() if u.get_shape().ndims is not None else None, list(v)]

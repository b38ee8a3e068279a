"""Recorded cases: tf.sparse.cross (SparseCrossV2): order of inputs and of combinations, ints, empty rows,
separators, static shapes and errors."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import error, sig  # noqa: E402


def case_sparse_cross_values_and_order(tf):
    st = tf.SparseTensor([[0, 0], [1, 0], [1, 1], [3, 0]], ["a", "b", "c", "d"], [4, 2])
    ints = tf.SparseTensor([[0, 0], [1, 0], [2, 0]], tf.constant([3, -4, 5], tf.int64), [4, 1])
    dense = tf.constant([["x", "y"], ["z", "w"], ["u", "v"], ["s", "t"]])
    dense_ints = tf.constant([[7], [8], [9], [10]], tf.int32)
    outs = [tf.sparse.cross([st, dense]), tf.sparse.cross([dense, st], separator="+"),
            tf.sparse.cross([ints, dense, st]), tf.sparse.cross([dense_ints, dense], name="ints"),
            tf.sparse.cross([st]), tf.sparse.cross([dense, dense_ints, ints], separator="")]
    with tf.Session() as s:
        values = s.run(outs)
    return [[[sig(t) for t in (o.indices, o.values, o.dense_shape)] for o in outs], values]


def case_sparse_cross_errors(tf):
    st = tf.SparseTensor([[0, 0]], ["a"], [2, 1])
    out = [error(lambda: tf.sparse.cross(st)), error(lambda: tf.sparse.cross([st, [["x"]]])),
           error(lambda: tf.sparse.cross([st, tf.constant(["x", "y"])]))]
    with tf.Session() as s:
        out.append(error(lambda: s.run(tf.sparse.cross([st, tf.constant([["x"], ["y"], ["z"]])]).values)))
    return out


def case_sparse_cross_hashed(tf):
    st = tf.SparseTensor([[0, 0], [1, 0], [1, 1], [3, 0]], ["a", "b", "c", "d"], [4, 2])
    ints = tf.SparseTensor([[0, 0], [1, 0], [2, 0], [3, 0]], tf.constant([3, -4, 5, 6], tf.int64), [4, 1])
    dense = tf.constant([["x", "y"], ["z", "w"], ["u", "v"], ["s", "t"]])
    outs = [tf.sparse.cross_hashed([st, dense]), tf.sparse.cross_hashed([dense, st], num_buckets=1000),
            tf.sparse.cross_hashed([ints, dense, st], num_buckets=7, hash_key=12345),
            tf.sparse.cross_hashed([tf.constant([[1, 2], [3, 4], [5, 6], [7, 8]]), ints], name="hashed")]
    with tf.Session() as s:
        values = s.run(outs)
    return [[[sig(t) for t in (o.indices, o.values, o.dense_shape)] for o in outs], values,
            error(lambda: tf.sparse.cross_hashed(st))]

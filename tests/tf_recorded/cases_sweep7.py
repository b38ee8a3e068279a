"""Recorded cases found by running research TF1 programs (a GCN, a char-RNN): a sparse placeholder whose shape
is a Tensor, sparse_retain with a mask of unknown rank, and dropout at keep_prob 1 still taking an op seed (so
later seeded ops get TF's seeds)."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import sig  # noqa: E402


def case_sparse_placeholder_with_tensor_shape(tf):
    x = tf.sparse_placeholder(tf.float32, shape=tf.constant(np.array([3, 4]), dtype=tf.int64))
    n = tf.placeholder(tf.int64, [2])
    y = tf.sparse_placeholder(tf.float32, shape=n)
    feed = (np.array([[0, 1], [2, 3]]), np.array([2.0, -1.0], np.float32), np.array([3, 4]))
    with tf.Session() as s:
        dense = s.run(tf.sparse_tensor_to_dense(x), {x: feed})
        fed = s.run(tf.sparse_tensor_to_dense(y), {y: feed})
    return [str(x.shape), sig(x.dense_shape), sig(x.indices), str(y.shape), sig(y.dense_shape), dense.tolist(),
            fed.tolist()]


def case_sparse_retain_mask_of_unknown_rank(tf):
    st = tf.SparseTensor([[0, 0], [1, 2], [2, 1]], [1.0, 2.0, 3.0], [3, 3])
    keep = tf.placeholder(tf.float32)
    shape = tf.placeholder(tf.int32)
    mask = tf.cast(tf.floor(keep + tf.random_uniform(shape, seed=1)), tf.bool)
    kept = tf.sparse_retain(st, mask)
    with tf.Session() as s:
        out = s.run(kept, {keep: 1.0, shape: [3]})
    return [str(mask.shape), out.indices.tolist(), out.values.tolist(), out.dense_shape.tolist()]


def case_dropout_keep_one_takes_a_seed(tf):
    tf.set_random_seed(0)
    x = tf.ones([2, 2])
    y = tf.nn.dropout(x, 1.0)
    z = tf.nn.dropout(x, rate=0.0)
    r = tf.random_uniform([3])
    with tf.Session() as s:
        values = s.run([y, z, r])
    return [r.op.get_attr("seed2"), y.name, z.name, [v.tolist() for v in values]]

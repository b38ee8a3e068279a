"""Recorded cases: the sparse segment reductions with num_segments (SparseSegment*WithNumSegments): values with
empty trailing and inner segments, static shapes, gradients, errors."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, grads, kernel_error, run, sig  # noqa: E402

DATA = np.arange(4 * 3, dtype=np.float32).reshape(4, 3) - 5.0


def case_num_segments_values(tf):
    d = tf.constant(DATA)
    outs = [tf.sparse.segment_sum(d, [0, 2, 1, 3], [0, 0, 2, 2], num_segments=5),
            tf.sparse.segment_mean(d, [0, 2, 2], [1, 1, 3], num_segments=4),
            tf.sparse.segment_sqrt_n(d, [3, 1], [0, 2], num_segments=tf.constant(3, tf.int64)),
            tf.sparse_segment_sum(tf.constant(DATA.astype(np.int32)), [1, 1], [0, 0], num_segments=2),
            tf.sparse.segment_sum(d, tf.constant([0, 1], tf.int64), [0, 0], num_segments=1, name="one")]
    return [describe(tf), [sig(t) for t in outs], run(tf, outs)]


def case_num_segments_fed(tf):
    d = tf.placeholder(tf.float32, [None, 3])
    n = tf.placeholder(tf.int32, [])
    y = tf.sparse.segment_mean(d, [0, 1, 3], [0, 1, 1], num_segments=n)
    with tf.Session() as s:
        vals = [s.run(y, {d: DATA, n: v}).tolist() for v in (2, 4)]
    return [sig(y), vals, kernel_error(tf, y, {d: DATA, n: 1})]


def case_num_segments_gradients(tf):
    d = tf.constant(DATA.astype(np.float64))
    out = []
    for fn in (tf.sparse.segment_sum, tf.sparse.segment_mean, tf.sparse.segment_sqrt_n):
        y = fn(d, [0, 2, 2, 3], [0, 0, 2, 2], num_segments=4)
        added, sigs, values = grads(tf, y * tf.constant(np.arange(12.0).reshape(4, 3)), [d])
        out.append([[a for a in added if "NumSegments_grad/" in a[0]], sigs, values])  # (raygraph's Mul
        # gradient leaves out TF's Shape constants)
    return out

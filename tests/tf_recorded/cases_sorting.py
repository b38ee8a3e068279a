"""Recorded cases: sort, argsort, searchsorted, histogram_fixed_width(_bins), bincount, tf.sparse.bincount."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import error, run, run_error, sig  # noqa: E402

X = np.array([[3.0, 1.0, 2.0, 1.0], [0.0, -5.0, 4.0, 9.0], [2.0, 2.0, -1.0, 0.5]], np.float32)


def case_sort_values(tf):
    x = tf.constant(X)
    outs = [tf.sort(x), tf.sort(x, direction="DESCENDING"), tf.sort(x, axis=0), tf.sort(x, axis=-2, direction="DESCENDING"),
            tf.sort(tf.constant([3, -1, 2, -7])), tf.sort(tf.constant([3, 255, 0, 9], tf.uint8)),
            tf.sort(tf.constant(np.arange(24.0).reshape(2, 3, 4)[:, ::-1]), axis=1),
            tf.sort(tf.constant([2, 1], tf.int64), direction="DESCENDING")]
    return [[sig(t) for t in outs], run(tf, outs)]


def case_argsort_values(tf):
    x = tf.constant(X)
    outs = [tf.argsort(x), tf.argsort(x, direction="DESCENDING"), tf.argsort(x, axis=0), tf.argsort(x, stable=True),
            tf.argsort(tf.constant([3, -1, 2, -1, 3])), tf.argsort(tf.constant([3, 255, 0], tf.uint8))]
    return [[sig(t) for t in outs], run(tf, outs)]


def case_sort_shapes_errors_gradient(tf):
    p = tf.placeholder(tf.float32, [None, 5])
    x = tf.constant(X.astype(np.float64))
    y = tf.sort(x) * tf.constant(np.arange(12.0).reshape(3, 4))
    g = tf.gradients(tf.reduce_sum(y), [x])
    return [sig(tf.sort(p)), sig(tf.argsort(p, axis=0)), run(tf, g), error(lambda: tf.sort(x, direction="UP")),
            error(lambda: tf.sort(x, axis=tf.placeholder(tf.int32, []))), error(lambda: tf.sort(x, axis=[0, 1])),
            error(lambda: tf.sort(tf.constant(["a"])))]


def case_searchsorted(tf):
    s = tf.constant([[1.0, 2.0, 2.0, 5.0], [0.0, 0.5, 3.0, 3.0]])
    v = tf.constant([[2.0, 0.0, 6.0], [3.0, -1.0, 0.5]])
    outs = [tf.searchsorted(s, v), tf.searchsorted(s, v, side="right"), tf.searchsorted(s, v, out_type=tf.int64),
            tf.searchsorted(tf.constant([1, 3, 5, 7]), tf.constant([0, 3, 8])),
            tf.searchsorted(tf.constant([1, 3, 5, 7]), tf.constant([3, 4]), side="right"),
            tf.searchsorted(tf.constant(np.sort(np.arange(24.0).reshape(2, 3, 4) % 5, -1)), tf.constant(np.ones((2, 3, 2))))]
    return [[sig(t) for t in outs], run(tf, outs), error(lambda: tf.searchsorted(s, v, side="middle")),
            run_error(tf, tf.searchsorted(s, tf.constant([[1.0]] * 3)))]


def case_histogram_fixed_width(tf):
    v = tf.constant([-1.0, 0.0, 1.5, 2.0, 4.99, 5.0, 7.0])
    outs = [tf.histogram_fixed_width(v, [0.0, 5.0], nbins=5), tf.histogram_fixed_width(v, [0.0, 5.0], 3, dtype=tf.int64),
            tf.histogram_fixed_width(tf.constant([[1, 5], [9, 0]]), [0, 10], nbins=4),
            tf.histogram_fixed_width(tf.constant(np.linspace(-1, 1, 50)), [-1.0, 1.0], nbins=7)]
    return [[sig(t)[1:] for t in outs], run(tf, outs),
            sig(tf.histogram_fixed_width(v, [0.0, 5.0], nbins=tf.placeholder(tf.int32, [])))[1:],
            run_error(tf, tf.histogram_fixed_width(v, [5.0, 0.0])),
            run_error(tf, tf.histogram_fixed_width(v, [0.0, 5.0], nbins=tf.placeholder_with_default(0, [])))]


def case_histogram_fixed_width_bins(tf):
    v = tf.constant([[-1.0, 0.0, 1.5], [2.0, 5.0, 7.0]])
    outs = [tf.histogram_fixed_width_bins(v, [0.0, 5.0], nbins=5),
            tf.histogram_fixed_width_bins(v, [0.0, 5.0], nbins=2, dtype=tf.int64),
            tf.histogram_fixed_width_bins(tf.constant([0.1, 0.9]), tf.constant([0.0, 1.0]), 10)]
    return [[sig(t)[1:] for t in outs], run(tf, outs)]


def case_bincount(tf):
    outs = [tf.bincount(tf.constant([1, 3, 2, 3, 7])), tf.bincount(tf.constant([1, 3, 2]), minlength=6),
            tf.bincount(tf.constant([1, 3, 2, 5]), maxlength=3), tf.bincount(tf.constant([[1, 0], [0, 0]])),
            tf.bincount(tf.constant([1, 3, 2]), weights=[0.5, 1.0, 2.0]),
            tf.bincount(tf.constant([1, 1]), weights=tf.constant([2.0, 3.0], tf.float64)),
            tf.bincount(tf.constant([], tf.int32)), tf.bincount(tf.constant([2, 0]), dtype=tf.float32)]
    return [[sig(t)[1:] for t in outs], run(tf, outs), run_error(tf, tf.bincount(tf.constant([1, -2])))]


def case_sparse_bincount(tf):
    a = tf.sparse.bincount(tf.constant([1, 2, 2, 5]), minlength=7)
    b = tf.sparse.bincount(tf.constant([[1, 2, 2], [0, 0, 7]]), axis=-1, maxlength=5)
    c = tf.sparse.bincount(tf.constant([[1, 2], [2, 0]]), weights=tf.constant([[0.5, 1.0], [2.0, 4.0]]))
    d = tf.sparse.bincount(tf.constant([3, 3, 1], tf.int64), binary_output=True)
    parts = [t for sp in (a, b, c, d) for t in (sp.indices, sp.values, sp.dense_shape)]
    return [[sig(t)[1:] for t in parts], run(tf, parts), run_error(tf, tf.sparse.bincount(tf.constant([1, -1])).values),
            error(lambda: tf.sparse.bincount(tf.constant([[1]]), axis=1))]


def case_approx_top_k(tf):
    x = tf.constant(X)
    a = tf.approx_top_k(x, 2)
    b = tf.approx_top_k(tf.constant(np.arange(24.0).reshape(2, 3, 4) % 5, tf.float32), 3)
    p = tf.approx_top_k(tf.placeholder(tf.float32, [None, 4]), 2)
    g = tf.gradients(tf.reduce_sum(a.values * tf.constant([[1.0, 2.0]] * 3)), [x])
    values = run(tf, list(a) + list(b) + g)
    c = tf.approx_top_k(x, 1, reduction_dimension=0)  # (built after the run: TF cannot run a graph holding it)
    return [type(a).__name__, list(a._fields), [sig(t)[1:] for t in list(a) + list(b) + list(c) + list(p)],
            values, run_error(tf, c.values), error(lambda: tf.approx_top_k(tf.constant([1.0], tf.float64), 1))]

"""Recorded cases: tensor_scatter_nd_* (values, shapes, gradients, errors), scatter_nd_* on variables and
batch_scatter_update."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error, run, run_error, sig  # noqa: E402

X = np.arange(12, dtype=np.float32).reshape(3, 4)


def case_tensor_scatter_values(tf):
    x = tf.constant(X)
    i, u = tf.constant([[2], [0]]), tf.constant([[1.0, 2.0, 3.0, 4.0], [-1.0, 9.0, 0.5, 20.0]])
    e, v = tf.constant([[0, 1], [2, 3], [0, 1]]), tf.constant([100.0, -5.0, 7.0])
    outs = [tf.tensor_scatter_nd_update(x, i, u), tf.tensor_scatter_nd_add(x, i, u), tf.tensor_scatter_nd_sub(x, i, u),
            tf.tensor_scatter_nd_max(x, i, u), tf.tensor_scatter_nd_min(x, i, u), tf.tensor_scatter_update(x, e, v),
            tf.tensor_scatter_add(x, e, v), tf.tensor_scatter_sub(x, e, v), tf.tensor_scatter_nd_max(x, e, v),
            tf.tensor_scatter_nd_min(x, e, v),
            tf.tensor_scatter_nd_add(tf.constant([1, 2, 3], tf.int64), tf.constant([[1], [1]], tf.int64),
                                     tf.constant([5, 6], tf.int64))]
    return [describe(tf), run(tf, outs)]


def case_tensor_scatter_shapes_errors(tf):
    p = tf.placeholder(tf.float32, [None, 4])
    x = tf.constant(X)
    shapes = [sig(tf.tensor_scatter_nd_update(p, [[1]], tf.placeholder(tf.float32, [1, None]))),
              sig(tf.tensor_scatter_nd_add(tf.placeholder(tf.float32), [[1, 2]], [3.0]))]
    return [shapes, error(lambda: tf.tensor_scatter_nd_update(x, [[1]], [[1.0, 2.0]])),
            error(lambda: tf.tensor_scatter_nd_update(x, [[1, 2, 3]], [1.0])),
            error(lambda: tf.tensor_scatter_nd_update(x, 1, [1.0])),
            run_error(tf, tf.tensor_scatter_nd_update(x, [[3]], [[1.0, 2.0, 3.0, 4.0]])),
            run_error(tf, tf.tensor_scatter_nd_add(x, [[0, -1]], [1.0]))]


def case_tensor_scatter_gradients(tf):
    x = tf.constant(X.astype(np.float64))
    i = tf.constant([[2], [0]])
    u = tf.constant([[1.0, 2.0, 30.0, 4.0], [-1.0, 9.0, 0.5, 20.0]], tf.float64)
    w = tf.constant(np.arange(1.0, 13.0).reshape(3, 4))
    out = []
    for fn in (tf.tensor_scatter_nd_update, tf.tensor_scatter_nd_add, tf.tensor_scatter_nd_sub,
               tf.tensor_scatter_nd_max, tf.tensor_scatter_nd_min):
        out.append(run(tf, tf.gradients(tf.reduce_sum(fn(x, i, u) * w), [x, u])))
    tie = tf.tensor_scatter_nd_max(x, [[0, 0], [1, 1]], tf.constant([0.0, 5.0], tf.float64))  # equal: split
    out.append(run(tf, tf.gradients(tf.reduce_sum(tie * w), [x])))
    return out


def case_scatter_nd_variables(tf):
    v = tf.Variable(X, name="v")
    w = tf.Variable([1, 2, 3, 4], name="w")
    ops = [tf.scatter_nd_update(v, [[0], [2]], [[1.0] * 4, [2.0] * 4]), tf.scatter_nd_add(v, [[1, 1], [1, 1]], [5.0, 6.0]),
           tf.scatter_nd_sub(v, [[0, 3]], [100.0]), tf.scatter_nd_update(w, [[3], [0]], [7, 8], use_locking=False),
           tf.scatter_nd_add(w, [[0]], [10])]
    out = [describe(tf, skip=("v", "v/Assign", "v/read", "v/initial_value", "w", "w/Assign", "w/read",
                              "w/initial_value", "Const", "Const_1")), [sig(t) for t in ops]]
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        out.append([s.run(t).tolist() for t in ops])
        out.append(s.run(v).tolist())
        try:
            s.run(tf.scatter_nd_update(v, [[5]], [[1.0] * 4]))
            out.append("no error")
        except Exception as e:  # noqa: BLE001
            out.append(type(e).__name__)
    out.append(error(lambda: tf.scatter_nd_add(v, [[0]], [[1.0, 2.0]])))
    return out


def case_batch_scatter_update(tf):
    v = tf.Variable(np.arange(12.0).reshape(2, 6))
    u = tf.batch_scatter_update(v, [[5, 0], [1, 1]], [[-1.0, -2.0], [-3.0, -4.0]])
    w = tf.Variable(np.arange(6.0))
    u1 = tf.batch_scatter_update(w, [4, 1], [10.0, 20.0], name="flat")
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        return [sig(u), sig(u1), s.run(u).tolist(), s.run(u1).tolist()]

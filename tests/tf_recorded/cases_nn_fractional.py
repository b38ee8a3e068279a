"""Recorded cases: fractional max and average pooling (their pooling sequences drawn from TF's Philox stream,
values, gradient ops, errors), and atan2's gradient."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error_text, grads, kernel_error, run, sig

X = (np.sin(np.arange(2 * 10 * 9 * 3) * 0.37) * 3).reshape(2, 10, 9, 3).astype(np.float32)
RATIOS = [1.0, 1.44, 1.73, 1.0]


def _pools(tf, fn, x):
    """Both pseudo-random and random sequences, with and without overlapping, seeded."""
    return [fn(x, RATIOS, pseudo_random=p, overlapping=o, deterministic=True, seed=s, seed2=s2)
            for p, o, s, s2 in ((False, False, 5, 7), (True, False, 5, 7), (False, True, 11, 0),
                                (True, True, 0, 3), (True, False, 123456789, 987654321))]


def case_fractional_max_pool(tf):
    x = tf.constant(X)
    outs = _pools(tf, tf.nn.fractional_max_pool, x)
    return [describe(tf), [[sig(t) for t in o] for o in outs], run(tf, [t for o in outs for t in o])]


def case_fractional_avg_pool(tf):
    x = tf.constant(X)
    outs = _pools(tf, tf.nn.fractional_avg_pool, x)
    return [describe(tf), [[sig(t) for t in o] for o in outs], run(tf, [t for o in outs for t in o])]


def case_fractional_pool_ratios(tf):
    """Ratios of 1 (no pooling on an axis), 2 (integer: still drawn), nearly the axis length; other dtypes."""
    x = tf.constant(X)
    outs = [tf.nn.fractional_max_pool(x, [1.0, 2.0, 1.0, 1.0], deterministic=True, seed=1, seed2=2),
            tf.nn.fractional_avg_pool(x, [1.0, 1.0, 2.5, 1.0], True, True, True, 3, 4),
            tf.nn.fractional_max_pool(x, [1.0, 9.5, 8.9, 1.0], deterministic=True, seed=8, seed2=1),
            tf.nn.fractional_max_pool(tf.constant((X * 10).astype(np.int32)), RATIOS, True, True, True, 2, 2),
            tf.nn.fractional_avg_pool(tf.constant((X * 10).astype(np.int64)), RATIOS, False, True, True, 2, 2),
            tf.nn.fractional_avg_pool(tf.constant(X.astype(np.float64)), RATIOS, False, False, True, 9, 9)]
    return [[[sig(t) for t in o] for o in outs], run(tf, [t for o in outs for t in o])]


def _grads(tf, y, xs, keep):
    """grads(), the ops it adds narrowed to those `keep(name, type)` accepts (the ops that reduce a broadcast
    gradient are other ops in raygraph)."""
    added, sigs, values = grads(tf, y, xs)
    return [[a for a in added if keep(*a)], sigs, values]


def _pool_grad_ops(name, _type):
    return "Pool_grad/" in name


def case_fractional_pool_gradients(tf):
    x = tf.constant(X.astype(np.float64))
    w = tf.constant(np.cos(np.arange(2 * 6 * 5 * 3)).reshape(2, 6, 5, 3))
    out = []
    for fn in (tf.nn.fractional_max_pool, tf.nn.fractional_avg_pool):
        for p, o in ((False, False), (True, True)):
            y = fn(x, RATIOS, p, o, True, 4, 6)[0]
            out.append(_grads(tf, y * w, [x], _pool_grad_ops))
    ties = tf.constant(np.round(X * 0.4).astype(np.float32))  # ties: the first maximum in scan order wins
    y = tf.nn.fractional_max_pool(ties, RATIOS, True, True, True, 4, 6)[0]
    out.append(_grads(tf, y * tf.cast(w, tf.float32), [ties], _pool_grad_ops))
    return out


def case_fractional_pool_unknown_shapes(tf):
    p = tf.placeholder(tf.float32, [None, 10, None, 3])
    u = tf.placeholder(tf.float32)
    outs = [tf.nn.fractional_max_pool(p, RATIOS, deterministic=True, seed=1, seed2=1),
            tf.nn.fractional_avg_pool(u, RATIOS, deterministic=True, seed=1, seed2=1)]
    avg_grad = error_text(lambda: tf.gradients(tf.nn.fractional_avg_pool(p, RATIOS, True, False, True, 1, 1)[0], p))
    return [[[sig(t) for t in o] for o in outs], run(tf, [t for o in outs for t in o], {p: X, u: X}), avg_grad]


def case_fractional_pool_unseeded(tf):
    """Unseeded: sequences differ between runs, but each is a valid pooling sequence."""
    x = tf.constant(X)
    y, rows, cols = tf.nn.fractional_max_pool(x, RATIOS, pseudo_random=True)
    with tf.Session() as s:
        seqs = [s.run([rows, cols]) for _ in range(3)]
    diffs = [[sorted(set(np.diff(r).tolist())), sorted(set(np.diff(c).tolist())), int(r[0]), int(r[-1]),
              int(c[0]), int(c[-1])] for r, c in seqs]
    return [sig(y), diffs]


def case_fractional_pool_errors(tf):
    x = tf.constant(X)
    out = [error_text(lambda: tf.nn.fractional_max_pool(x, [1.0, 1.5, 1.5])),
           error_text(lambda: tf.nn.fractional_avg_pool(x, [1.0, 0.5, 1.5, 1.0])),
           error_text(lambda: tf.nn.fractional_max_pool(tf.constant(X[0]), RATIOS)),
           error_text(lambda: tf.nn.fractional_max_pool(tf.constant(X.astype(np.float16)), RATIOS))]
    for bad in (tf.nn.fractional_max_pool(x, RATIOS, seed=3)[0],
                tf.nn.fractional_avg_pool(x, [1.0, 11.0, 1.5, 1.0], deterministic=True, seed=1)[0],
                tf.nn.fractional_max_pool(x, [2.0, 1.5, 1.5, 2.0], deterministic=True, seed=1)[0],
                tf.nn.fractional_avg_pool(x, [1.5, 1.5, 1.5, 1.0], deterministic=True, seed=1)[0],
                tf.nn.fractional_max_pool(x, [1.5, 1.5, 1.5, 1.0], deterministic=True, seed=1)[0],
                tf.nn.fractional_max_pool(x, [1.0, 1.5, 1.5, 1.5], deterministic=True, seed=1)[0],
                tf.nn.fractional_avg_pool(x, [1.0, 1.5, 1.5, 1.5], deterministic=True, seed=1)[0]):
        out.append(kernel_error(tf, bad))
    return out


def case_atan2_gradient(tf):
    y = tf.constant(np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]]))
    x = tf.constant(np.array([1.0, -2.0, 0.5]))
    def keep(_name, op_type):
        return op_type in ("Square", "AddV2", "RealDiv", "Mul", "Neg")
    return [_grads(tf, tf.atan2(y, x), [y, x], keep), _grads(tf, tf.atan2(x, y) * y, [x, y], keep)]

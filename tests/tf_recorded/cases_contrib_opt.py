"""Recorded cases: ApplyAdaMax, the fused op under tf.contrib.opt.AdaMaxOptimizer (TF 2.21 keeps the op, not
contrib.opt): graph, values over steps and dtypes, build-time and run-time errors."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error_text, sig

NAMES = ["var", "m", "v", "beta1_power", "lr", "beta1", "beta2", "epsilon", "grad"]


def _ada_max(tf, inputs, use_locking=False, name=None):
    """ApplyAdaMax over `inputs` (TF's order): tf.raw_ops when recording, raygraph's op table when replaying."""
    if hasattr(tf, "contrib"):
        from raygraph.ops import training
        return training.apply("ApplyAdaMax", inputs, use_locking=use_locking, name=name)
    return tf.raw_ops.ApplyAdaMax(**dict(zip(NAMES, inputs)), use_locking=use_locking, name=name)


def _slots(tf, seed, shape, dtype):
    rng = np.random.default_rng(seed)
    var = tf.Variable(rng.uniform(-1, 1, shape).astype(dtype), name="var")
    m = tf.Variable(rng.uniform(-0.5, 0.5, shape).astype(dtype), name="m")
    v = tf.Variable(rng.uniform(0, 0.5, shape).astype(dtype), name="v")
    return var, m, v, rng.uniform(-2, 2, shape).astype(dtype)


def _steps(tf, var, m, v, update, n=3, feed=None):
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        out = []
        for _ in range(n):
            out.append(s.run(update, feed))
            out.append(s.run([m, v]))
        return out


def case_ada_max_graph_and_values(tf):
    var, m, v, g = _slots(tf, 1, [2, 3], np.float32)
    up = _ada_max(tf, [var, m, v, 0.9, 0.01, 0.9, 0.999, 1e-8, g])
    named = _ada_max(tf, [var, m, v, 0.81, 0.1, 0.8, 0.99, 1e-7, g], use_locking=True, name="step")
    return [describe(tf), sig(up), sig(named), _steps(tf, var, m, v, up), _steps(tf, var, m, v, named, 2)]


def case_ada_max_float64_vector(tf):
    var, m, v, g = _slots(tf, 2, [5], np.float64)
    beta1_power = tf.placeholder(tf.float64, [])
    up = _ada_max(tf, [var, m, v, beta1_power, tf.constant(0.05, tf.float64), 0.9, 0.999, 1e-8, g])
    return [sig(up), _steps(tf, var, m, v, up, 2, {beta1_power: 0.9}), _steps(tf, var, m, v, up, 1, {beta1_power: 0.5})]


def case_ada_max_zero_and_large_grads(tf):
    """grad 0 (v decays, var moves by the old m), and |grad| above beta2 v (v takes it)."""
    var, m, v, _ = _slots(tf, 3, [4], np.float32)
    g = np.array([0.0, 100.0, -100.0, 1e-6], np.float32)
    up = _ada_max(tf, [var, m, v, 0.5, 1.0, 0.9, 0.5, 0.0, g])
    return _steps(tf, var, m, v, up, 2)


def case_ada_max_unknown_shapes(tf):
    var, m, v, g = _slots(tf, 4, [2, 2], np.float32)
    grad = tf.placeholder(tf.float32, [None, 2])
    lr = tf.placeholder(tf.float32)
    up = _ada_max(tf, [var, m, v, 0.9, lr, 0.9, 0.999, 1e-8, grad])
    return [sig(up), _steps(tf, var, m, v, up, 2, {grad: g, lr: 0.1})]


def case_ada_max_build_errors(tf):
    """A non-scalar lr, a slot that is no variable."""
    var, m, v, g = _slots(tf, 5, [2, 3], np.float32)
    return [error_text(lambda: _ada_max(tf, [var, m, v, 0.9, [0.01, 0.02], 0.9, 0.999, 1e-8, g])),
            error_text(lambda: _ada_max(tf, [var, m, v[0], 0.9, 0.01, 0.9, 0.999, 1e-8, g]))]


def case_ada_max_run_error(tf):
    var, m, v, g = _slots(tf, 6, [2, 3], np.float32)
    grad = tf.placeholder(tf.float32)
    up = _ada_max(tf, [var, m, v, 0.9, 0.01, 0.9, 0.999, 1e-8, grad])
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        before = s.run([var, m, v])
        err = error_text(lambda: s.run(up, {grad: g[:, :2]}))
        text = err[1].split("Node: '", 1)[1].split("' ", 1)[1] if "Node: '" in err[1] else err[1]
        # compared without spaces: TF writes the shapes [2,3], raygraph's shared Apply* kernel [2, 3]
        return [sig(up), [err[0], text.replace(" ", "")], before, s.run([var, m, v])]

"""FTRL and the proximal optimizers as TF1 builds and runs them: ops, slots, values after a few steps, dense and
sparse (a gather's IndexedSlices gradient), and the constructor's errors.

Gradient tensors are shown as "<gradient>" (their names come from the op table's gradient functions).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import error as raises  # noqa: E402


def _in_gradients(name):
    return any(part.startswith("gradients") for part in name.split("/"))


def _ops(tf, n0):
    out = []
    for op in tf.get_default_graph().get_operations()[n0:]:
        if not _in_gradients(op.name):
            out.append([op.name, op.type, ["<gradient>" if _in_gradients(t.name) else t.name for t in op.inputs]])
    return out


def _run(tf, make, sparse=False, steps=3, dtype=None):
    w = tf.Variable([[0.5, -1.0], [2.0, 0.25], [-0.3, 0.7]], name="w", dtype=dtype)
    x = tf.constant([[1.0, 2.0], [-1.0, 0.5]], dtype=dtype or tf.float32)
    rows = tf.gather(w, [2, 0, 2]) if sparse else w[:2]
    loss = tf.reduce_sum(tf.square(tf.matmul(x, rows, transpose_b=True) - 0.5)) / 3.0
    n0 = len(tf.get_default_graph().get_operations())
    opt = make()
    train = opt.minimize(loss)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        losses = [s.run(loss)]
        for _ in range(steps):
            s.run(train)
            losses.append(s.run(loss))
        return {"w": s.run(w), "losses": losses, "slots": {n: s.run(opt.get_slot(w, n)) for n in opt.get_slot_names()},
                "variables": [v.name for v in opt.variables()], "globals": [v.name for v in tf.global_variables()],
                "train": [train.name, train.type], "ops": _ops(tf, n0)}


def case_ftrl_default(tf):
    return _run(tf, lambda: tf.train.FtrlOptimizer(0.5))


def case_ftrl_l1_l2(tf):
    return _run(tf, lambda: tf.train.FtrlOptimizer(0.5, l1_regularization_strength=0.05,
                                                   l2_regularization_strength=0.1, initial_accumulator_value=0.3))


def case_ftrl_power_and_beta(tf):
    return _run(tf, lambda: tf.train.FtrlOptimizer(0.3, learning_rate_power=-0.3, l1_regularization_strength=0.01,
                                                   beta=0.2))


def case_ftrl_shrinkage_v2(tf):
    return _run(tf, lambda: tf.train.FtrlOptimizer(0.5, l1_regularization_strength=0.01,
                                                   l2_shrinkage_regularization_strength=0.1, accum_name="acc",
                                                   linear_name="lin"))


def case_ftrl_float64(tf):
    return _run(tf, lambda: tf.train.FtrlOptimizer(0.5, l2_regularization_strength=0.1), dtype=tf.float64)


def case_ftrl_sparse(tf):
    return _run(tf, lambda: tf.train.FtrlOptimizer(0.5, l1_regularization_strength=0.05,
                                                   l2_regularization_strength=0.1), sparse=True)


def case_ftrl_sparse_v2(tf):
    return _run(tf, lambda: tf.train.FtrlOptimizer(0.5, learning_rate_power=-0.7, l2_shrinkage_regularization_strength=0.2),
                sparse=True)


def case_proximal_gd(tf):
    return _run(tf, lambda: tf.train.ProximalGradientDescentOptimizer(0.1, l1_regularization_strength=0.05,
                                                                      l2_regularization_strength=0.2))


def case_proximal_gd_plain(tf):
    return _run(tf, lambda: tf.train.ProximalGradientDescentOptimizer(0.1))


def case_proximal_gd_sparse(tf):
    return _run(tf, lambda: tf.train.ProximalGradientDescentOptimizer(0.1, l1_regularization_strength=0.05,
                                                                      l2_regularization_strength=0.2), sparse=True)


def case_proximal_adagrad(tf):
    return _run(tf, lambda: tf.train.ProximalAdagradOptimizer(0.3, l1_regularization_strength=0.05,
                                                              l2_regularization_strength=0.2))


def case_proximal_adagrad_sparse(tf):
    return _run(tf, lambda: tf.train.ProximalAdagradOptimizer(0.3, initial_accumulator_value=0.5,
                                                              l2_regularization_strength=0.2), sparse=True)


def case_errors(tf):
    return [raises(lambda: tf.train.FtrlOptimizer(0.1, initial_accumulator_value=-1.0)),
            raises(lambda: tf.train.FtrlOptimizer(0.1, learning_rate_power=0.5)),
            raises(lambda: tf.train.FtrlOptimizer(0.1, l1_regularization_strength=-0.5)),
            raises(lambda: tf.train.FtrlOptimizer(0.1, l2_shrinkage_regularization_strength=-0.5)),
            raises(lambda: tf.train.ProximalAdagradOptimizer(0.1, initial_accumulator_value=0.0)),
            raises(lambda: tf.train.FtrlOptimizer(0.1).minimize(tf.reduce_sum(tf.Variable([1, 2]))))]

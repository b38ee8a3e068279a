"""Learning-rate decays and the global step, as TF1 computes them at several steps."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import error as raises  # noqa: E402


def _at_steps(tf, make, steps=(0, 1, 5, 10, 25, 100)):
    step = tf.train.get_or_create_global_step()
    lr = make(step)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        out = []
        for k in steps:
            s.run(tf.assign(step, k))
            out.append(s.run(lr))
        return [lr.name, lr.dtype.name, out]


def case_exponential_decay(tf):
    return [_at_steps(tf, lambda g: tf.train.exponential_decay(0.1, g, 10, 0.5)),
            _at_steps(tf, lambda g: tf.train.exponential_decay(0.1, g, 10, 0.5, staircase=True, name="stairs"))]


def case_piecewise_constant(tf):
    """Built on tf.case: its output is PiecewiseConstant/case/cond/Merge."""
    return _at_steps(tf, lambda g: tf.train.piecewise_constant(g, [5, 10, 25], [1.0, 0.5, 0.25, 0.125]))


def case_piecewise_constant_ops_and_dtypes(tf):
    step = tf.Variable(0, name="step")
    n0 = len(tf.get_default_graph().get_operations())
    lr = tf.train.piecewise_constant(step, [10, 20], [1.0, 0.5, 0.1], name="lr")
    ops = [[o.name, o.type] for o in tf.get_default_graph().get_operations()[n0:]]
    big = tf.Variable(0, dtype=tf.int64, name="big")
    lr64 = tf.train.piecewise_constant(big, [3, 7], [1, 2, 3])
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        seen = []
        for k in (0, 3, 4, 7, 8):
            s.run(big.assign(k))
            seen.append(s.run(lr64))
        return {"ops": ops, "name": lr.name, "lr64": [lr64.name, lr64.dtype.name, seen],
                "errors": [raises(lambda: tf.train.piecewise_constant(big, [1.5], [1, 2])),
                           raises(lambda: tf.train.piecewise_constant(step, [tf.constant(1, tf.int64)], [1, 2]))]}


def case_piecewise_constant_float_boundaries(tf):
    x = tf.placeholder(tf.float32, [])
    lr = tf.train.piecewise_constant(x, [0.5, 1.5], [10, 20, 30])
    with tf.Session() as s:
        return [s.run(lr, {x: v}) for v in (0.0, 0.5, 0.6, 1.5, 2.0)] + [
            raises(lambda: tf.train.piecewise_constant(x, [1.0], [1.0, 2.0, 3.0])),
            raises(lambda: tf.train.piecewise_constant(x, [1.0], [1.0, 2]))]


def case_other_decays(tf):
    return [_at_steps(tf, lambda g: tf.train.natural_exp_decay(0.1, g, 10, 0.3)),
            _at_steps(tf, lambda g: tf.train.inverse_time_decay(0.1, g, 10, 0.3, staircase=True)),
            _at_steps(tf, lambda g: tf.train.polynomial_decay(0.1, g, 20, end_learning_rate=0.01, power=2.0)),
            _at_steps(tf, lambda g: tf.train.polynomial_decay(0.1, g, 20, cycle=True)),
            _at_steps(tf, lambda g: tf.train.cosine_decay(0.1, g, 50, alpha=0.1))]


def case_decay_needs_global_step(tf):
    return [raises(lambda: tf.train.exponential_decay(0.1, None, 10, 0.5)),
            raises(lambda: tf.train.polynomial_decay(0.1, None, 10))]


def case_decayed_rate_drives_training(tf):
    w = tf.Variable(4.0, name="w")
    step = tf.train.get_or_create_global_step()
    lr = tf.train.exponential_decay(0.2, step, 2, 0.5, staircase=True)
    train = tf.train.GradientDescentOptimizer(lr).minimize(tf.square(w), global_step=step)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        out = []
        for _ in range(5):
            s.run(train)
            out.append(s.run([w, step, lr]))
        return out


def case_global_step_api(tf):
    first = tf.train.get_global_step()
    step = tf.train.create_global_step()
    again = tf.train.get_or_create_global_step()
    other = tf.Graph()
    with other.as_default():
        tf.Variable(1.5, name="global_step")
        bad_dtype = raises(lambda: tf.train.get_global_step())
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        value = tf.train.global_step(s, step)
    return [first is None, step.name, step.dtype.name, step.shape.as_list(), step.trainable, again is step,
            [v.name for v in tf.get_collection(tf.GraphKeys.GLOBAL_STEP)], raises(tf.train.create_global_step),
            bad_dtype, value, [op.name for op in tf.get_default_graph().get_operations()]]


def case_global_step_created_in_a_scope(tf):
    with tf.name_scope("deep"), tf.control_dependencies([tf.no_op(name="before")]):
        step = tf.train.get_or_create_global_step()
    return [step.name, [c.name for c in step.initializer.control_inputs], step.op.device]

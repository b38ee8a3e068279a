"""tf.train.ExponentialMovingAverage and the moving-average helpers as TF1 builds them: shadow variable names,
collections, values after a few updates (num_updates, zero-debiased tensors), average_name, variables_to_restore."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import error as raises  # noqa: E402


def _names(vs):
    return [v.name for v in vs]


def case_apply_variables(tf):
    v = tf.Variable([1.0, 2.0], name="v")
    w = tf.Variable(3.0, name="w")
    ema = tf.train.ExponentialMovingAverage(0.9)
    n0 = len(tf.get_default_graph().get_operations())
    op = ema.apply([v, w])
    # (TF1 also copies the shadow's initial value to guard against an uninitialized `v`: not compared here)
    ops = [[o.name, o.type] for o in tf.get_default_graph().get_operations()[n0:]
           if o.name.startswith(("cond", "IsVariableInitialized", "ExponentialMovingAverage"))
           and not o.name.endswith("/ExponentialMovingAverage")]
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        seen = [s.run([ema.average(v), ema.average(w)])]
        for k in range(3):
            s.run([v.assign_add([1.0, -1.0]), w.assign(w * 2.0)])
            s.run(op)
            seen.append(s.run([ema.average(v), ema.average(w)]))
        return {"op": [op.name, op.type], "averages": [ema.average(v).name, ema.average(w).name],
                "trainable": _names(tf.trainable_variables()), "globals": _names(tf.global_variables()),
                "moving": _names(tf.moving_average_variables()), "seen": seen, "ops": ops,
                "average_name": [ema.average_name(v), ema.average_name(w)], "name": ema.name,
                "colocation": [sorted(g.decode() for g in ema.average(v).op.colocation_groups())]}


def case_num_updates_and_default_list(tf):
    v = tf.Variable([1.0, -2.0], name="v")
    step = tf.Variable(0, name="step", trainable=False)
    ema = tf.train.ExponentialMovingAverage(0.99, num_updates=step, name="avg")
    op = ema.apply()
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        seen = []
        for k in range(4):
            s.run(v.assign(v + 1.0))
            s.run(op)
            s.run(step.assign_add(5))
            seen.append(s.run(ema.average(v)))
        return {"seen": seen, "name": ema.average(v).name, "op": op.name, "globals": _names(tf.global_variables())}


def case_tensor_zero_debias(tf):
    x = tf.placeholder(tf.float32, [2], name="x")
    loss = tf.reduce_mean(x * 2.0, name="loss")
    ema = tf.train.ExponentialMovingAverage(0.8, zero_debias=True)
    op = ema.apply([loss, x])
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        seen = []
        for k in range(3):
            s.run(op, {x: [1.0 + k, 3.0 * k]})
            seen.append(s.run([ema.average(loss), ema.average(x)]))
        return {"seen": seen, "globals": _names(tf.global_variables()), "moving": _names(tf.moving_average_variables()),
                "trainable": _names(tf.trainable_variables()), "op": op.name,
                "averages": [ema.average(loss).name, ema.average(x).name]}


def case_tensor_no_debias(tf):
    x = tf.constant([4.0, 8.0], name="c")
    ema = tf.train.ExponentialMovingAverage(0.5)
    op = ema.apply([x])
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        seen = []
        for _ in range(3):
            s.run(op)
            seen.append(s.run(ema.average(x)))
        return {"seen": seen, "globals": _names(tf.global_variables())}


def case_apply_twice_and_average_name(tf):
    v = tf.Variable(1.0, name="v")
    u = tf.Variable(2.0, name="u")
    ema = tf.train.ExponentialMovingAverage(0.5)
    before = ema.average_name(u)
    ema.apply([v])
    ema.apply([v, u])
    return {"before": before, "after": [ema.average_name(v), ema.average_name(u)],
            "globals": _names(tf.global_variables()), "missing": ema.average(tf.constant(1.0)) is None}


def case_two_emas_same_variable(tf):
    v = tf.Variable(1.0, name="v")
    a = tf.train.ExponentialMovingAverage(0.5)
    b = tf.train.ExponentialMovingAverage(0.9)
    a.apply([v])
    b.apply([v])
    return _names(tf.global_variables())


def case_variables_to_restore(tf):
    with tf.variable_scope("scope"):
        v = tf.get_variable("v", [2], initializer=tf.ones_initializer())
    other = tf.Variable(0, name="counter", trainable=False)
    ema = tf.train.ExponentialMovingAverage(0.9)
    ema.apply([v])
    restore = ema.variables_to_restore()
    explicit = ema.variables_to_restore([other])
    return {"restore": sorted([k, val.name] for k, val in restore.items()),
            "explicit": sorted([k, val.name] for k, val in explicit.items())}


def case_restore_averages_from_checkpoint(tf):
    import os
    import tempfile
    v = tf.Variable([1.0, 2.0], name="v")
    ema = tf.train.ExponentialMovingAverage(0.5)
    op = ema.apply([v])
    path = os.path.join(tempfile.mkdtemp(), "model")
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        s.run(v.assign([3.0, 6.0]))
        s.run(op)
        tf.train.Saver().save(s, path)
    tf.reset_default_graph()
    v = tf.Variable([0.0, 0.0], name="v")
    ema = tf.train.ExponentialMovingAverage(0.5)
    saver = tf.train.Saver(ema.variables_to_restore())
    with tf.Session() as s:
        saver.restore(s, path)
        return s.run(v)


def case_errors(tf):
    i = tf.Variable(1, name="i")
    ema = tf.train.ExponentialMovingAverage(0.5)
    return [raises(lambda: ema.apply([i]))]


def case_float64_variable(tf):
    v = tf.Variable([1.0, 2.0], dtype=tf.float64, name="v")
    ema = tf.train.ExponentialMovingAverage(0.75)
    op = ema.apply([v])
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        s.run(v.assign([5.0, -2.0]))
        s.run(op)
        a = s.run(ema.average(v))
        return {"value": a, "dtype": ema.average(v).dtype.name}

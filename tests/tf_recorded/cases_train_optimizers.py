"""Optimizers as TF1 builds and runs them: op and slot names, placement, update values after a few steps.

Gradient tensors feeding the optimizer are shown as "<gradient>": their names come from the gradient
functions of the op table, which these cases do not test.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import error as raises  # noqa: E402


def _model(tf, dtype=None):
    w = tf.Variable([[0.5, -1.0], [2.0, 0.25]], name="w", dtype=dtype)
    b = tf.Variable([0.1, -0.2], name="b", dtype=dtype)
    x = tf.constant([[1.0, 2.0], [-1.0, 0.5], [3.0, -2.0]], dtype=dtype or tf.float32)
    loss = tf.reduce_sum(tf.square(tf.matmul(x, w) + b)) / 3.0
    return w, b, loss


def _in_gradients(name):
    return any(part.startswith("gradients") for part in name.split("/"))


def _optimizer_ops(tf, n0):
    out = []
    for op in tf.get_default_graph().get_operations()[n0:]:
        if _in_gradients(op.name):
            continue
        inputs = ["<gradient>" if _in_gradients(t.name) else t.name for t in op.inputs]
        out.append([op.name, op.type, inputs, sorted(c.name for c in op.control_inputs),
                    sorted(g.decode() for g in op.colocation_groups())])
    return out


def _run(tf, make, steps=3, global_step=False, dtype=None):
    w, b, loss = _model(tf, dtype)
    step = tf.train.get_or_create_global_step() if global_step else None
    n0 = len(tf.get_default_graph().get_operations())
    opt = make()
    train = opt.minimize(loss, global_step=step)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        losses = [s.run(loss)]
        for _ in range(steps):
            s.run(train)
            losses.append(s.run(loss))
        slots = {name: s.run(opt.get_slot(w, name)) for name in opt.get_slot_names()}
        out = {"train": [train.name, train.type], "w": s.run(w), "b": s.run(b), "losses": losses, "slots": slots,
               "slot_names": opt.get_slot_names(), "name": opt.get_name(),
               "variables": [v.name for v in opt.variables()],
               "globals": [v.name for v in tf.global_variables()],
               "trainables": [v.name for v in tf.trainable_variables()],
               "train_op_collection": [o.name for o in tf.get_collection(tf.GraphKeys.TRAIN_OP)],
               "ops": _optimizer_ops(tf, n0)}
        if global_step:
            out["step"] = s.run(step)
        return out


def case_gradient_descent(tf):
    return _run(tf, lambda: tf.train.GradientDescentOptimizer(0.1))


def case_gradient_descent_global_step(tf):
    return _run(tf, lambda: tf.train.GradientDescentOptimizer(0.05), global_step=True)


def case_gradient_descent_float64(tf):
    return _run(tf, lambda: tf.train.GradientDescentOptimizer(0.1), dtype=tf.float64)


def case_momentum(tf):
    return _run(tf, lambda: tf.train.MomentumOptimizer(0.05, 0.9))


def case_momentum_nesterov(tf):
    return _run(tf, lambda: tf.train.MomentumOptimizer(0.05, 0.9, use_nesterov=True), global_step=True)


def case_adagrad(tf):
    return _run(tf, lambda: tf.train.AdagradOptimizer(0.1))


def case_adagrad_initial_accumulator(tf):
    return _run(tf, lambda: tf.train.AdagradOptimizer(0.2, initial_accumulator_value=0.5))


def case_adam(tf):
    return _run(tf, lambda: tf.train.AdamOptimizer(0.1), steps=4, global_step=True)


def case_adam_defaults(tf):
    return _run(tf, lambda: tf.train.AdamOptimizer())


def case_rmsprop(tf):
    return _run(tf, lambda: tf.train.RMSPropOptimizer(0.01))


def case_rmsprop_momentum_centered(tf):
    return _run(tf, lambda: tf.train.RMSPropOptimizer(0.01, decay=0.8, momentum=0.5, epsilon=1e-6, centered=True))


def case_adadelta(tf):
    return _run(tf, lambda: tf.train.AdadeltaOptimizer(1.0))


def case_adadelta_defaults(tf):
    return _run(tf, lambda: tf.train.AdadeltaOptimizer(), steps=2)


def case_named_minimize_in_scope(tf):
    w, b, loss = _model(tf)
    step = tf.train.get_or_create_global_step()
    n0 = len(tf.get_default_graph().get_operations())
    with tf.name_scope("outer"):
        opt = tf.train.AdamOptimizer(0.1, name="MyAdam")
        train = opt.minimize(loss, global_step=step, name="mini")
    return {"train": train.name, "ops": _optimizer_ops(tf, n0), "vars": [v.name for v in opt.variables()]}


def case_two_minimize_share_slots(tf):
    w, b, loss = _model(tf)
    opt = tf.train.AdamOptimizer(0.1)
    t1 = opt.minimize(loss)
    t2 = opt.minimize(loss * 2.0)
    return [t1.name, t2.name, [v.name for v in opt.variables()], [v.name for v in tf.global_variables()]]


def case_two_optimizers_same_variable(tf):
    w, b, loss = _model(tf)
    t1 = tf.train.MomentumOptimizer(0.1, 0.5).minimize(loss)
    t2 = tf.train.MomentumOptimizer(0.1, 0.5).minimize(loss)
    return [t1.name, t2.name, [v.name for v in tf.global_variables()]]


def case_var_list_and_unconnected(tf):
    w, b, loss = _model(tf)
    other = tf.Variable(1.0, name="other")
    opt = tf.train.GradientDescentOptimizer(0.1)
    gv = opt.compute_gradients(loss, var_list=[w, other])
    train = opt.apply_gradients(gv)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        s.run(train)
        return [[g is None for g, v in gv], [v.name for g, v in gv], s.run(w), s.run(b), s.run(other)]


def case_apply_gradients_manual(tf):
    w = tf.Variable([1.0, 2.0], name="w")
    opt = tf.train.MomentumOptimizer(0.5, 0.5)
    train = opt.apply_gradients([(tf.constant([1.0, -1.0]), w)], name="apply")
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        s.run(train)
        s.run(train)
        return [train.name, s.run(w), s.run(opt.get_slot(w, "momentum"))]


def case_learning_rate_tensor_and_callable(tf):
    w, b, loss = _model(tf)
    lr = tf.placeholder(tf.float32, [], name="lr")
    t1 = tf.train.GradientDescentOptimizer(lr).minimize(loss)
    t2 = tf.train.GradientDescentOptimizer(lambda: 0.01).minimize(loss)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        s.run(t1, {lr: 0.1})
        s.run(t2)
        return [s.run(w), [o.name for o in tf.get_collection(tf.GraphKeys.TRAIN_OP)]]


def case_gate_graph_and_none(tf):
    out = []
    for gate in (0, 1, 2):
        tf.reset_default_graph()
        w, b, loss = _model(tf)
        train = tf.train.GradientDescentOptimizer(0.1).minimize(loss, gate_gradients=gate)
        with tf.Session() as s:
            s.run(tf.global_variables_initializer())
            s.run(train)
            out.append(s.run(w))
    return out


def case_errors(tf):
    w = tf.Variable(1.0, name="w")
    i = tf.Variable(1, name="i")
    gd = tf.train.GradientDescentOptimizer(0.1)
    return {
        "no_gradient": raises(lambda: gd.minimize(tf.constant(1.0) * 2.0)),
        "int_loss": raises(lambda: gd.minimize(tf.constant(1), var_list=[w])),
        "no_vars": raises(lambda: gd.apply_gradients([])),
        "all_none": raises(lambda: gd.apply_gradients([(None, w)])),
        "bad_gate": raises(lambda: gd.minimize(w * 2.0, gate_gradients=7)),
        "empty_var_list": raises(lambda: gd.compute_gradients(w * 2.0, var_list=[])),
        "adagrad_zero_init": raises(lambda: tf.train.AdagradOptimizer(0.1, initial_accumulator_value=0.0)),
        "no_name": raises(lambda: tf.train.GradientDescentOptimizer(0.1, name="")),
        "int_var": raises(lambda: gd.apply_gradients([(tf.constant(1), i)])),
    }


def case_replica_device_setter_slots(tf):
    with tf.device(tf.train.replica_device_setter(ps_tasks=3)):
        w1 = tf.Variable([1.0, 2.0], name="w1")
        w2 = tf.Variable([1.0, 2.0], name="w2")
        loss = tf.reduce_sum(w1 * w2)
        step = tf.train.get_or_create_global_step()
        tf.train.AdamOptimizer(0.1).minimize(loss, global_step=step)
        tf.Variable(1.0, name="w3")
    return [[op.name, op.device, sorted(g.decode() for g in op.colocation_groups())]
            for op in tf.get_default_graph().get_operations()
            if op.type in ("VariableV2", "ApplyAdam", "AssignAdd", "Assign") and "gradients" not in op.name]


def case_update_runs_on_variable_device(tf):
    with tf.device("/cpu:0"):
        w = tf.Variable([1.0, 2.0], name="w")
    loss = tf.reduce_sum(w * w)
    with tf.device("/device:CPU:0"):
        opt = tf.train.MomentumOptimizer(0.1, 0.9)
        train = opt.minimize(loss)
    upd = tf.get_default_graph().get_operation_by_name("Momentum/update_w/ApplyMomentum")
    return [upd.device, opt.get_slot(w, "momentum").device, train.device]

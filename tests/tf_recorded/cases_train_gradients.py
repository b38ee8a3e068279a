"""tf.gradients as TF1 builds it: name scopes, AddN aggregation, None/zeros, stop_gradients, user gradients.

Only names the gradients machinery itself chooses are recorded (scopes, AddN, grad_ys); the ops inside
`<op>_grad/` come from the op table's gradient functions and are checked by value.
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import error as raises  # noqa: E402


def _scope(t):
    return None if t is None else t.name.rsplit("/", 1)[0]


def _run(tf, tensors, feed=None):
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        return s.run([t for t in tensors if t is not None], feed)


def case_scopes_and_names(tf):
    x = tf.constant([1.0, 2.0], name="x")
    y = tf.reduce_sum(x * x)
    g1 = tf.gradients(y, x)
    g2 = tf.gradients(y, [x], name="mygrads")
    with tf.name_scope("outer"):
        g3 = tf.gradients(y, x)
    g4 = tf.gradients(y, x)
    grad_ys = [op.name for op in tf.get_default_graph().get_operations() if "grad_ys" in op.name]
    return [[_scope(g[0]) for g in (g1, g2, g3, g4)], grad_ys, _run(tf, [g1[0], g2[0], g3[0], g4[0]])]


def case_addn_aggregation(tf):
    x = tf.constant([1.0, 2.0], name="x")
    a = tf.sin(x, name="a")
    b = tf.exp(x, name="b")
    c = tf.square(x, name="c")
    (g,) = tf.gradients(a + b + c, x)
    addn = tf.get_default_graph().get_operation_by_name(g.op.name)
    return [g.name, g.op.type, len(addn.inputs), _run(tf, [g])]


def case_unconnected_none_and_zero(tf):
    x = tf.constant([1.0, 2.0], name="x")
    z = tf.constant([3.0], name="z")
    y = tf.reduce_sum(x * 2.0)
    none = tf.gradients(y, [x, z])
    zero = tf.gradients(y, [x, z], unconnected_gradients=tf.UnconnectedGradients.ZERO)
    zero_str = tf.gradients(y, [z], unconnected_gradients="zero")
    return [[g is None for g in none], _run(tf, zero + zero_str)]


def case_stop_gradients(tf):
    a = tf.constant(0.0, name="a")
    b = 2.0 * a
    c = a + b
    g = tf.gradients(c, [a, b], stop_gradients=[a, b])
    g2 = tf.gradients(c, [a, b])
    s = tf.stop_gradient(a * 3.0)
    g3 = tf.gradients(s + a, a)
    return _run(tf, g + g2 + g3)


def case_grad_ys_and_multiple_ys(tf):
    x = tf.constant([1.0, 2.0, 3.0], name="x")
    y1 = x * x
    y2 = tf.reduce_sum(3.0 * x)
    g = tf.gradients([y1, y2], x, grad_ys=[tf.constant([1.0, 0.5, -1.0]), 2.0])
    self_grad = tf.gradients(y1, y1)
    return [_run(tf, g + self_grad), raises(lambda: tf.gradients([y1, y2], x, grad_ys=[1.0]))]


def case_variables_and_integer_paths(tf):
    w = tf.Variable([1.0, -2.0], name="w")
    n = tf.Variable(3, name="n")
    y = tf.reduce_sum(w * tf.cast(n, tf.float32)) + tf.reduce_sum(tf.cast(tf.cast(w, tf.int32), tf.float32))
    g = tf.gradients(y, [w, n])
    return [g[1] is None, _run(tf, [g[0]])]


def case_register_gradient_and_override(tf):
    @tf.RegisterGradient("RecordedDoubleGrad")
    def _double(op, grad):
        return 2.0 * grad * 2.0 * op.inputs[0]

    x = tf.constant([1.0, 3.0], name="x")
    g = tf.get_default_graph()
    with g.gradient_override_map({"Square": "RecordedDoubleGrad"}):
        y = tf.square(x, name="sq")
    y2 = tf.square(x, name="plain")
    gy = tf.gradients(y, x)
    gy2 = tf.gradients(y2, x)
    return [y.op.get_attr("_gradient_op_type"), _run(tf, gy + gy2),
            raises(lambda: tf.RegisterGradient("RecordedDoubleGrad")(_double))]


def case_not_differentiable(tf):
    tf.NotDifferentiable("RecordedNoGradOp")
    x = tf.constant([1.0, 2.0])
    y = tf.identity(x, name="ident")
    g = tf.get_default_graph()
    with g.gradient_override_map({"Identity": "RecordedNoGradOp"}):
        z = tf.identity(x, name="blocked")
    return [tf.gradients(y + z, x)[0] is not None, _run(tf, tf.gradients(y + z, x)),
            tf.gradients(z, x)[0] is None]


def case_colocate_gradients_with_ops(tf):
    with tf.device("/cpu:0"):
        x = tf.constant([1.0, 2.0], name="x")
        y = tf.reduce_sum(tf.square(x, name="sq"))
    (g,) = tf.gradients(y, x, colocate_gradients_with_ops=True)
    with tf.device("/device:CPU:0"):
        (g2,) = tf.gradients(y, x)
    grad_ops = [op for op in tf.get_default_graph().get_operations() if op.name.startswith("gradients/sq_grad/")]
    return [g.device, sorted({tuple(sorted(c.decode() for c in op.colocation_groups())) for op in grad_ops}),
            g2.device, _run(tf, [g, g2])]


def case_gate_and_aggregation_methods(tf):
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]], name="x")
    w = tf.constant([[0.5, -1.0], [2.0, 1.0]], name="w")
    y = tf.reduce_sum(tf.matmul(x, w) * tf.matmul(w, x) + tf.tanh(x))
    out = []
    for kwargs in ({}, {"gate_gradients": True}, {"aggregation_method": tf.AggregationMethod.EXPERIMENTAL_TREE},
                   {"aggregation_method": tf.AggregationMethod.ADD_N}):
        out.append(_run(tf, tf.gradients(y, [x, w], **kwargs)))
    out.append(raises(lambda: tf.gradients(y, x, aggregation_method=17)))
    return out


def case_mlp_gradients_values(tf):
    x = tf.constant(np.linspace(-1.0, 1.0, 12, dtype=np.float32).reshape(4, 3))
    labels = tf.constant(np.eye(2, dtype=np.float32)[[0, 1, 1, 0]])
    w1 = tf.Variable(np.linspace(-0.5, 0.5, 15, dtype=np.float32).reshape(3, 5), name="w1")
    b1 = tf.Variable(np.full(5, 0.1, np.float32), name="b1")
    w2 = tf.Variable(np.linspace(0.3, -0.3, 10, dtype=np.float32).reshape(5, 2), name="w2")
    h = tf.nn.relu(tf.matmul(x, w1) + b1)
    logits = tf.matmul(h, w2)
    loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits))
    return _run(tf, tf.gradients(loss, [w1, b1, w2]))


def case_errors(tf):
    x = tf.constant([1.0, 2.0])
    y = tf.reduce_sum(x)
    c = tf.constant(np.array([1 + 2j, 3 - 1j], np.complex64))
    return {"complex_without_grad_ys": raises(lambda: tf.gradients(tf.reduce_sum(c), c)),
            "bad_unconnected": raises(lambda: tf.gradients(y, x, unconnected_gradients="maybe")),
            "register_non_string": raises(lambda: tf.RegisterGradient(3)),
            "override_not_dict": raises(lambda: tf.get_default_graph().gradient_override_map([1]))}

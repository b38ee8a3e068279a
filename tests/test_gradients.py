"""tf.gradients: the walk between xs and ys, aggregation, gating, user gradients, "no gradient", and values.

Each op's own gradient is checked by its row in the op table test (tests/op_rows.py, test_ops.py).
"""
import numpy as np
import pytest

from raygraph.gradients import _pending_counts


def _ops_of_type(tf, op_type):
    return [op for op in tf.get_default_graph().get_operations() if op.type == op_type]


# ----- the walk, without running anything ---------------------------------------------------------------
def test_between_and_pending_counts_follow_only_float_paths(tf):
    x = tf.placeholder(tf.float32, [2], name="x")
    a = tf.sin(x, name="a")
    b = tf.cos(x, name="b")
    n = tf.cast(tf.cast(x, tf.int32, name="to_int"), tf.float32, name="to_float")
    y = tf.add_n([a, b, n], name="y")
    between, pending = _pending_counts([y.op], [x.op])
    assert {op.name for op in between} == {"x", "a", "b", "y"}  # the int path does not carry gradients
    assert pending[x.op] == 2 and pending[a.op] == 1 and pending[y.op] == 0


def test_contributions_are_summed_once(tf):
    x = tf.placeholder(tf.float32, [2], name="x")
    y = tf.reduce_sum(tf.sin(x) + tf.exp(x) + tf.square(x))
    (g,) = tf.gradients(y, x)
    addns = _ops_of_type(tf, "AddN")
    assert g.op.type == "AddN" and len(addns) == 1 and len(g.op.inputs) == 3
    assert g.op.colocation_groups() == g.op.inputs[0].op.colocation_groups()


def test_names_follow_scopes(tf):
    x = tf.constant([1.0, 2.0], name="x")
    y = tf.reduce_sum(x * x)
    first = tf.gradients(y, x)[0]
    with tf.name_scope("outer"):
        inner = tf.gradients(y, x, name="mine")[0]
    assert first.name.startswith("gradients/") and inner.name.startswith("outer/mine/")
    assert tf.get_default_graph().get_operation_by_name("gradients/grad_ys_0").type == "Fill"


def test_gating_leaves_out_gradients_nothing_uses(tf):
    x = tf.placeholder(tf.float32, [4, 3], name="x")
    w = tf.Variable(np.ones((3, 2), np.float32), name="w")
    y = tf.reduce_sum(tf.matmul(x, w, name="mm"))
    (gw,) = tf.gradients(y, [w], gate_gradients=True)
    gated = [op for op in tf.get_default_graph().get_operations() if "tuple" in op.name]
    assert gated == []  # only w's gradient flows on: nothing to gate, x's gradient need never run
    (gx, gw2) = tf.gradients(y, [x, w], gate_gradients=True)
    groups = [op for op in tf.get_default_graph().get_operations() if op.type == "NoOp" and "tuple" in op.name]
    assert len(groups) == 1 and len(groups[0].control_inputs) == 2


def test_colocate_gradients_with_ops(tf):
    with tf.device("/cpu:1"):
        x = tf.constant([1.0, 2.0], name="x")
        y = tf.reduce_sum(tf.square(x, name="sq"), name="total")
    tf.gradients(y, x, colocate_gradients_with_ops=True)
    sq_grads = [op for op in tf.get_default_graph().get_operations() if op.name.startswith("gradients/sq_grad/")]
    assert sq_grads and all(op.colocation_groups() == [b"loc:@sq"] for op in sq_grads)
    assert all(op.device == "/device:CPU:1" for op in sq_grads)


def test_missing_gradient_raises_lookup_error(tf):
    x = tf.constant([1.0, 2.0])
    with tf.get_default_graph().gradient_override_map({"Square": "NoSuchGradientAnywhere"}):
        y = tf.square(x)
    with pytest.raises(LookupError, match="No gradient defined for operation"):
        tf.gradients(y, x)


def test_argument_errors(tf):
    x = tf.constant([1.0, 2.0])
    y = tf.reduce_sum(x)
    with pytest.raises(ValueError, match="Passed 2 grad_ys for 1 ys"):
        tf.gradients(y, x, grad_ys=[1.0, 2.0])
    with pytest.raises(ValueError, match="Invalid aggregation_method"):
        tf.gradients(y, x, aggregation_method=9)
    with pytest.raises(ValueError, match="Unknown value for unconnected_gradients"):
        tf.gradients(y, x, unconnected_gradients="sometimes")


# ----- values ---------------------------------------------------------------------------------------------------
def _numeric_grad(f, x, eps=1e-6):
    out = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        d = np.zeros_like(x)
        d[i] = eps
        out[i] = (f(x + d) - f(x - d)) / (2 * eps)
    return out


CASES = [  # (name, graph builder on a float64 placeholder, the same function in numpy)
    ("diamond", lambda tf, x: tf.reduce_sum(tf.sin(x) * tf.exp(x) + x * x),
     lambda x: np.sum(np.sin(x) * np.exp(x) + x * x)),
    ("matmul_chain", lambda tf, x: tf.reduce_sum(tf.tanh(tf.matmul(x, tf.transpose(x)))),
     lambda x: np.sum(np.tanh(x @ x.T))),
    ("softmax_xent", lambda tf, x: tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(
        labels=tf.constant([[1.0, 0.0, 0.0], [0.0, 0.5, 0.5]], tf.float64), logits=x)),
     lambda x: np.mean(-np.sum(np.array([[1, 0, 0], [0, .5, .5]]) * (x - np.log(np.sum(np.exp(x), 1, keepdims=True))),
                               1))),
    ("relu_mean", lambda tf, x: tf.reduce_mean(tf.nn.relu(x - 0.1) * 3.0), lambda x: np.mean(np.maximum(x - 0.1, 0) * 3)),
]


@pytest.mark.parametrize("name,build,reference", CASES, ids=[c[0] for c in CASES])
def test_gradients_match_numerical_differences(rtf, name, build, reference):
    tf = rtf
    value = np.array([[0.3, -0.7, 1.2], [0.5, 0.25, -1.1]])
    x = tf.placeholder(tf.float64, value.shape)
    y = build(tf, x)
    (g,) = tf.gradients(y, x)
    (g_tree,) = tf.gradients(y, x, aggregation_method=tf.AggregationMethod.EXPERIMENTAL_TREE, gate_gradients=True)
    with tf.Session() as s:
        got, got_tree = s.run([g, g_tree], {x: value})
    np.testing.assert_allclose(got, _numeric_grad(reference, value), rtol=1e-5, atol=1e-8)
    np.testing.assert_allclose(got_tree, got, rtol=1e-12)


def test_xs_on_the_path_and_stop_gradients(rtf):
    tf = rtf
    x = tf.placeholder(tf.float32, [])
    h = x * 3.0
    y = h * h + x
    gx, gh = tf.gradients(y, [x, h])
    sx, = tf.gradients(y, [x], stop_gradients=[h])
    zx, zc = tf.gradients(y, [x, tf.constant(1.0)], unconnected_gradients="zero")
    with tf.Session() as s:
        assert s.run([gx, gh, sx, zx, zc], {x: 2.0}) == [37.0, 12.0, 1.0, 37.0, 0.0]


def test_registered_gradient_through_the_override_map(rtf):
    tf = rtf
    calls = []

    @tf.RegisterGradient("TestGradientsClippedSquare")
    def _clipped(op, grad):
        calls.append(op.name)
        return tf.minimum(tf.maximum(2.0 * op.inputs[0], -1.0), 1.0) * grad

    x = tf.constant([0.25, 3.0])
    with tf.get_default_graph().gradient_override_map({"Square": "TestGradientsClippedSquare"}):
        y = tf.reduce_sum(tf.square(x, name="clipped"))
    (g,) = tf.gradients(y, x)
    with tf.Session() as s:
        assert s.run(g).tolist() == [0.5, 1.0]
    assert calls == ["clipped"]
    with pytest.raises(KeyError, match="Registering two gradient"):
        tf.RegisterGradient("TestGradientsClippedSquare")(_clipped)


# ----- "no gradient": the op table's two markers (each op's gradient is checked by its row in op_rows.py) -----
def _op(op_type, *inputs, **attrs):
    from raygraph.ops.registry import apply_op
    return apply_op(op_type, list(inputs), dict(attrs))


def test_an_entry_must_state_its_gradient():
    from raygraph.ops.registry import REGISTRY, op
    for kwargs in ({}, {"grad": None}):
        with pytest.raises(TypeError, match="TestGradientsUndecided"):
            op("TestGradientsUndecided", "x:T", kernel=lambda a, x: x, **kwargs)
    assert "TestGradientsUndecided" not in REGISTRY


def test_not_differentiable_gives_none_and_no_gradient_defined_raises(tf):
    x = tf.constant([1.5, -2.5], tf.float64)
    assert tf.gradients(tf.floor(x), x) == [None]  # NOT_DIFFERENTIABLE (TF registers [None] for Floor)
    assert tf.gradients(tf.argmax(x, 0), x) == [None]
    (g,) = tf.gradients(tf.reduce_prod(x), x)  # Prod's gradient is a ProdGrad op, which has NO_GRADIENT_DEFINED
    with pytest.raises(LookupError, match=r"No gradient defined for operation'.*' \(op type: ProdGrad\)"):
        tf.gradients(g, x)


def test_not_differentiable_sets_the_table_marker(tf):
    from raygraph.gradients import _registered, gradient_function
    from raygraph.ops.registry import NOT_DIFFERENTIABLE
    tf.NotDifferentiable("TestGradientsNoGrad")
    tf.no_gradient("TestGradientsNoGrad2")
    assert _registered["TestGradientsNoGrad"] is NOT_DIFFERENTIABLE is _registered["TestGradientsNoGrad2"]
    x = tf.constant([1.0, 2.0])
    with tf.get_default_graph().gradient_override_map({"Square": "TestGradientsNoGrad"}):
        y = tf.square(x)
    assert gradient_function(y.op) is None and tf.gradients(y, x) == [None]


def test_register_gradient_refuses_a_type_the_table_decided(tf):
    for op_type in ("Square", "Floor", "Shape"):  # a gradient function, and NOT_DIFFERENTIABLE twice, as in TF
        with pytest.raises(KeyError, match="Registering two gradient"):
            tf.RegisterGradient(op_type)(lambda op, g: [g])


def test_prevent_gradient_raises(tf):
    x = tf.constant([1.0])
    with pytest.raises(LookupError):
        tf.gradients(_op("PreventGradient", x, message="no"), x)

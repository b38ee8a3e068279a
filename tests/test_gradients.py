"""tf.gradients: the walk between xs and ys, aggregation, gating, user gradients, and values."""
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


# ----- every gradient in the op table, against numerical differences ------------------------------------------
def _op(op_type, *inputs, **attrs):
    from raygraph.ops.registry import apply_op
    return apply_op(op_type, list(inputs), dict(attrs))


R = np.random.default_rng(5)
M23 = R.uniform(0.5, 1.5, (2, 3)) * np.array([[1, -1, 1], [-1, 1, 1]])  # away from 0 and from ties
POS = R.uniform(0.5, 2.0, (2, 3))
V3 = np.array([0.7, -1.3, 2.1])
SMALL = np.array([[0.3, -0.6, 0.45], [-0.2, 0.8, -0.55]])
UNIT = np.array([[0.3, -0.6, 0.45], [-0.2, 0.8, -0.55]])

GRAD_TABLE = [  # (op type, builder(tf, *inputs), input values)
    ("Abs", lambda tf, x: tf.abs(x), [M23]), ("Cos", lambda tf, x: tf.cos(x), [M23]),
    ("Sin", lambda tf, x: tf.sin(x), [M23]), ("Exp", lambda tf, x: tf.exp(x), [M23]),
    ("Expm1", lambda tf, x: tf.expm1(x), [M23]), ("Log", lambda tf, x: tf.log(x), [POS]),
    ("Log1p", lambda tf, x: tf.log1p(x), [POS]), ("Neg", lambda tf, x: tf.negative(x), [M23]),
    ("Reciprocal", lambda tf, x: tf.reciprocal(x), [M23]), ("Rsqrt", lambda tf, x: tf.rsqrt(x), [POS]),
    ("Sqrt", lambda tf, x: tf.sqrt(x), [POS]), ("Square", lambda tf, x: tf.square(x), [M23]),
    ("Sigmoid", lambda tf, x: tf.sigmoid(x), [M23]), ("Tanh", lambda tf, x: tf.tanh(x), [M23]),
    ("Sign", lambda tf, x: tf.sign(x), [M23]), ("Ceil", lambda tf, x: tf.ceil(x), [M23 + 0.25]),
    ("Floor", lambda tf, x: tf.floor(x), [M23 + 0.25]), ("Rint", lambda tf, x: tf.rint(x), [M23 + 0.25]),
    ("Round", lambda tf, x: tf.round(x), [M23 + 0.25]), ("Identity", lambda tf, x: tf.identity(x), [M23]),
    ("Snapshot", lambda tf, x: _op("Snapshot", x), [M23]),
    ("PlaceholderWithDefault", lambda tf, x: tf.placeholder_with_default(x, [2, 3]), [M23]),
    ("Print", lambda tf, x: tf.Print(x, [x]), [M23]),
    ("Cast", lambda tf, x: tf.cast(tf.cast(x, tf.float32) * 2.0, tf.float64), [M23]),
    ("Elu", lambda tf, x: tf.nn.elu(x), [M23]), ("Selu", lambda tf, x: tf.nn.selu(x), [M23]),
    ("LeakyRelu", lambda tf, x: tf.nn.leaky_relu(x, 0.3), [M23]), ("Relu", lambda tf, x: tf.nn.relu(x), [M23]),
    ("Relu6", lambda tf, x: tf.nn.relu6(x * 4.0), [M23]), ("Softplus", lambda tf, x: tf.nn.softplus(x), [M23]),
    ("Softsign", lambda tf, x: tf.nn.softsign(x), [M23]), ("L2Loss", lambda tf, x: tf.nn.l2_loss(x), [M23]),
    ("Softmax", lambda tf, x: tf.nn.softmax(x), [M23]), ("LogSoftmax", lambda tf, x: tf.nn.log_softmax(x), [M23]),
    ("ReluGrad", lambda tf, dy, x: _op("ReluGrad", dy, x), [M23, SMALL]),
    ("SigmoidGrad", lambda tf, y, dy: _op("SigmoidGrad", y, dy), [SMALL + 0.5, M23]),
    ("TanhGrad", lambda tf, y, dy: _op("TanhGrad", y, dy), [SMALL, M23]),
    ("SqrtGrad", lambda tf, y, dy: _op("SqrtGrad", y, dy), [POS, M23]),
    ("RsqrtGrad", lambda tf, y, dy: _op("RsqrtGrad", y, dy), [POS, M23]),
    ("ReciprocalGrad", lambda tf, y, dy: _op("ReciprocalGrad", y, dy), [POS, M23]),
    ("Add", lambda tf, x, y: _op("Add", x, y), [M23, V3]), ("AddV2", lambda tf, x, y: x + y, [M23, V3]),
    ("Sub", lambda tf, x, y: x - y, [M23, V3]), ("Mul", lambda tf, x, y: x * y, [M23, V3]),
    ("RealDiv", lambda tf, x, y: x / y, [M23, V3]), ("Maximum", lambda tf, x, y: tf.maximum(x, y), [M23, V3]),
    ("Minimum", lambda tf, x, y: tf.minimum(x, y), [M23, V3]), ("Pow", lambda tf, x, y: tf.pow(x, y), [POS, V3]),
    ("SquaredDifference", lambda tf, x, y: tf.squared_difference(x, y), [M23, V3]),
    ("FloorMod", lambda tf, x, y: tf.floormod(x, y), [M23 * 3.1, np.array([0.7, 1.3, 2.1])]),
    ("FloorDiv", lambda tf, x, y: tf.floordiv(x, y), [M23 * 3.1 + 0.05, np.array([0.7, 1.3, 2.1])]),
    ("TruncateDiv", lambda tf, x: tf.truncatediv(tf.cast(x, tf.int32), 2), [M23 * 5.0 + 0.25]),
    ("AddN", lambda tf, x, y, z: tf.add_n([x, y, z]), [M23, POS, SMALL]),
    ("MatMul", lambda tf, x, y: tf.matmul(x, y, transpose_b=True), [M23, POS]),
    ("BatchMatMulV2", lambda tf, x, y: tf.matmul(tf.stack([x, 2.0 * x]), tf.transpose(y)), [M23, POS]),
    ("BiasAdd", lambda tf, x, b: tf.nn.bias_add(x, b), [M23, V3]),
    ("BiasAddGrad", lambda tf, g: _bias_add_grad(tf, g), [M23]),
    ("Sum", lambda tf, x: tf.reduce_sum(x, 1, keepdims=True), [M23]),
    ("Mean", lambda tf, x: tf.reduce_mean(x, 0), [M23]), ("Max", lambda tf, x: tf.reduce_max(x, 1), [M23]),
    ("Min", lambda tf, x: tf.reduce_min(x, 0), [M23]), ("Prod", lambda tf, x: tf.reduce_prod(x, 1), [M23]),
    ("BroadcastTo", lambda tf, x: tf.broadcast_to(x, [4, 3]), [V3]),
    ("ConcatV2", lambda tf, x, y: tf.concat([x, y], 0), [M23, POS]),
    ("ExpandDims", lambda tf, x: tf.expand_dims(x, 1), [M23]),
    ("Fill", lambda tf, v: tf.fill([2, 2], v), [np.array(1.5)]),
    ("GatherV2", lambda tf, x: tf.gather(x, [2, 0, 2], axis=1), [M23]),
    ("DynamicStitch", lambda tf, a, b: tf.dynamic_stitch([[0, 2, 4], [1, 3, 5]], [a, b]), [V3, -V3]),
    ("Pack", lambda tf, x, y: tf.stack([x, y], axis=1), [M23, POS]),
    ("Unpack", lambda tf, x: tf.unstack(x, axis=1), [M23]),
    ("Pad", lambda tf, x: tf.pad(x, [[1, 0], [0, 2]]), [M23]),
    ("PadV2", lambda tf, x: tf.pad(x, [[1, 0], [0, 2]], constant_values=2.0), [M23]),
    ("Reshape", lambda tf, x: tf.reshape(x, [3, 2]), [M23]), ("ReverseV2", lambda tf, x: tf.reverse(x, [1]), [M23]),
    ("Slice", lambda tf, x: tf.slice(x, [0, 1], [2, 2]), [M23]),
    ("Split", lambda tf, x: tf.split(x, 3, axis=1), [M23]),
    ("SplitV", lambda tf, x: tf.split(x, [1, 2], axis=1), [M23]),
    ("Squeeze", lambda tf, x: tf.squeeze(tf.expand_dims(x, 0)), [M23]),
    ("StridedSlice", lambda tf, x: x[::-1, 1:], [M23]), ("Tile", lambda tf, x: tf.tile(x, [2, 1]), [M23]),
    ("Transpose", lambda tf, x: tf.transpose(x), [M23]),
    ("Select", lambda tf, x, y: tf.where(tf.constant([[True, False, True], [False, True, True]]), x, y), [M23, POS]),
    ("SelectV2", lambda tf, x, y: tf.where_v2(tf.constant([True, False, True]), x, y), [M23, V3]),
    ("UnsortedSegmentSum", lambda tf, x: _op("UnsortedSegmentSum", x, tf.constant([1, 0]), 3), [M23]),
    ("SoftmaxCrossEntropyWithLogits", lambda tf, x: tf.nn.softmax_cross_entropy_with_logits_v2(
        labels=tf.constant([[0.2, 0.3, 0.5], [1.0, 0.0, 0.0]], tf.float64), logits=x), [M23]),
    ("SparseSoftmaxCrossEntropyWithLogits", lambda tf, x: tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=tf.constant([2, 0]), logits=x), [M23]),
]
GRAD_ELSEWHERE = {  # differentiable entries checked by other tests, with where
    "Switch": "cases_session: cond_gradient", "Merge": "cases_session: cond_gradient",
    "RefSwitch": "cond over a variable", "PreventGradient": "raises by design (test below)",
    "ArgMax": "integer output", "ArgMin": "integer output",
    "StridedSliceGrad": "the gradient of StridedSlice's gradient, not differentiated twice here",
}


def _bias_add_grad(tf, g):
    from raygraph.ops.registry import apply_op
    return apply_op("BiasAddGrad", [g], {"data_format": "NHWC"})


def test_every_gradient_in_the_op_table_is_in_the_table(tf):
    from raygraph.ops.registry import REGISTRY
    differentiable = {name for name, entry in REGISTRY.items() if callable(entry.grad)}
    covered = {_row(row)[0] for row in GRAD_TABLE} | set(GRAD_ELSEWHERE)
    assert sorted(differentiable - covered) == []


def _row(row):
    return row.values if hasattr(row, "values") else row


@pytest.mark.parametrize("op_type,build,values", GRAD_TABLE, ids=[_row(row)[0] for row in GRAD_TABLE])
def test_op_gradient_matches_numerical_differences(rtf, op_type, build, values):
    tf = rtf
    xs = [tf.placeholder(tf.float64, np.shape(v)) for v in values]
    outs = build(tf, *xs)
    outs = outs if isinstance(outs, list) else [outs]
    weights = [tf.constant(np.random.default_rng(i).uniform(-1, 1, o.shape.as_list()), tf.float64)
               for i, o in enumerate(outs)]
    y = tf.add_n([tf.reduce_sum(tf.cast(o, tf.float64) * w) for o, w in zip(outs, weights)])
    grads = tf.gradients(y, xs)
    feed = dict(zip(xs, values))
    with tf.Session() as s:
        got = iter(s.run([y] + [g for g in grads if g is not None], feed)[1:])  # y: every feed is used
        got = [np.zeros(np.shape(v)) if g is None else next(got) for g, v in zip(grads, values)]
        eps, rtol = (1e-2, 1e-4) if op_type == "Cast" else (1e-6, 1e-5)  # Cast: a linear map through float32
        for x, value, analytic in zip(xs, values, got):
            def f(v, x=x):
                return s.run(y, {**feed, x: v})
            np.testing.assert_allclose(analytic, _numeric_grad(f, np.asarray(value, np.float64), eps), rtol=rtol,
                                       atol=1e-6, err_msg=op_type)


def test_prevent_gradient_raises(tf):
    x = tf.constant([1.0])
    with pytest.raises(LookupError):
        tf.gradients(_op("PreventGradient", x, message="no"), x)

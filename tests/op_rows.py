"""The rows of the table-driven op test (test_ops.py): one per op type in raygraph's op table.

A `Row` builds its op from input tensors and gives the numpy reference; `cases` are input tuples covering
several shapes and dtypes. `grad=True` rows also get their gradients checked on their float64 cases: tf.gradients
against central differences of the reference, so one row checks an op both ways. Every op whose entry has a
gradient function needs such a row (or a place in GRAD_EXEMPT); an op marked NOT_DIFFERENTIABLE may have one too,
which checks that its None gradients are right (the reference's differences are zero).
Ops checked by hand (stateful, random, file and control ops) are in op_rows_custom.CUSTOM.
"""
import numpy as np
import scipy.linalg

_rng = np.random.RandomState(1234)
F16, F32, F64 = np.float16, np.float32, np.float64
I32, I64, U8, I8 = np.int32, np.int64, np.uint8, np.int8
FLOATS = (F32, F64, F16)
NUMERIC = (F32, F64, I32, I64)


class Row:
    """One op type: build(tf, *inputs) -> tensor(s); ref(*arrays) -> array(s)."""

    def __init__(self, op, build, ref, cases, grad=False, dynamic=True, exact=True, grad_outputs=None,
                 grad_inputs=None, grad_step=1e-6, grad_tol=1e-6):
        self.op, self.build, self.ref, self.cases = op, build, ref, list(cases)
        self.grad = grad          # check tf.gradients against central differences on float64 cases
        self.grad_outputs = grad_outputs  # the outputs whose gradient is checked (None: every float64 one)
        self.grad_inputs = grad_inputs    # and the inputs (None: every float64 one)
        self.grad_step, self.grad_tol = grad_step, grad_tol  # the differences' step; rtol and atol of the check
        self.dynamic = dynamic    # also build over placeholders of partially known shape
        self.exact = exact        # with constant inputs the static shape is fully known


def arr(shape, dtype=F64, lo=-2.0, hi=2.0):
    if np.issubdtype(dtype, np.integer):
        return _rng.randint(int(lo), int(hi) + 1, size=shape).astype(dtype)
    if dtype is bool:
        return _rng.rand(*shape) > 0.5
    return _rng.uniform(lo, hi, size=shape).astype(dtype)


def unary(dtypes=FLOATS, shapes=((), (3,), (2, 3)), lo=-2.0, hi=2.0):
    return [(arr(s, d, lo, hi),) for d in dtypes for s in shapes]


PAIRS = (((2, 3), (2, 3)), ((2, 3), (3,)), ((4, 1), (1, 3)), ((), (2,)))


def binary(dtypes=NUMERIC, pairs=PAIRS, lo=-3.0, hi=3.0, lo2=None, hi2=None):
    lo2, hi2 = lo if lo2 is None else lo2, hi if hi2 is None else hi2
    return [(arr(a, d, lo, hi), arr(b, d, lo2, hi2)) for d in dtypes for a, b in pairs]


def nonzero(x):
    return np.where(np.abs(x) < 0.5, np.sign(x) + (x == 0) + 0.5 * np.sign(x), x).astype(x.dtype)


# Points the gradient checks also visit, away from 0 and from ties (they were test_gradients.py's gradient table).
_g = np.random.default_rng(5)
M23 = _g.uniform(0.5, 1.5, (2, 3)) * np.array([[1, -1, 1], [-1, 1, 1]])
POS = _g.uniform(0.5, 2.0, (2, 3))
V3 = np.array([0.7, -1.3, 2.1])
SMALL = np.array([[0.3, -0.6, 0.45], [-0.2, 0.8, -0.55]])
DIVISORS = np.array([0.7, 1.3, 2.1])


def raw(tf, op_type, inputs, attrs=None):
    from raygraph.ops.registry import apply_op
    return apply_op(op_type, inputs, dict(attrs or {}))


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _softmax(x, axis=-1):
    e = np.exp(x - x.max(axis, keepdims=True))
    return e / e.sum(axis, keepdims=True)


def _log_softmax(x, axis=-1):
    z = x - x.max(axis, keepdims=True)
    return z - np.log(np.exp(z).sum(axis, keepdims=True))


def _truncdiv(x, y):
    q = np.abs(x) // np.abs(y)
    return np.where((x < 0) != (y < 0), -q, q).astype(x.dtype)


def _int_pair(lo=-9, hi=9):
    return [(arr(a, d, lo, hi), nonzero(arr(b, d, 1, 4)) * np.where(arr(b, I32, 0, 1) > 0, 1, -1).astype(d))
            for d in (I32, I64) for a, b in PAIRS]


# ----- elementwise math ------------------------------------------------------------------------------------
MATH = [
    Row("AddV2", lambda tf, x, y: tf.add(x, y), np.add, binary(NUMERIC + (F16, U8)) + [(M23, V3)], grad=True),
    Row("Add", lambda tf, x, y: tf.add(x, y), lambda x, y: np.char.add(x.astype(bytes), y.astype(bytes)),
        [(np.array([b"ab", b"c"], object), np.array([b"x", b"yz"], object))], dynamic=False),
    Row("Add", lambda tf, x, y: raw(tf, "Add", [x, y]), np.add, binary((F32, F64)) + [(M23, V3)], grad=True),
    Row("Sub", lambda tf, x, y: x - y, np.subtract, binary(NUMERIC + (F16,)) + [(M23, V3)], grad=True),
    Row("Mul", lambda tf, x, y: x * y, np.multiply, binary(NUMERIC + (F16, U8)) + [(M23, V3)],
        grad=True),
    Row("RealDiv", lambda tf, x, y: x / y, np.true_divide, binary(FLOATS, lo2=0.5, hi2=3.0) + [(M23, V3)],
        grad=True),
    Row("DivNoNan", lambda tf, x, y: tf.div_no_nan(x, y), lambda x, y: np.where(y == 0, 0, x / np.where(y == 0, 1, y)),
        [(arr((2, 3), F32), np.array([[1.0, 0.0, 2.0], [0.0, -1.0, 4.0]], F32)), (M23, POS), (M23, V3)],
        grad=True),
    Row("FloorDiv", lambda tf, x, y: x // y, np.floor_divide, _int_pair() + binary((F32, F64), lo2=0.5, hi2=3.0) +
        [(M23 * 3.1 + 0.05, DIVISORS)], grad=True),
    Row("FloorMod", lambda tf, x, y: x % y, np.mod, _int_pair() + binary((F64,), lo2=0.5, hi2=3.0) +
        [(M23 * 3.1, DIVISORS)], grad=True),
    Row("TruncateDiv", lambda tf, x, y: tf.truncatediv(x, y), _truncdiv,
        _int_pair() + binary((F64,), lo2=0.5, hi2=3.0) + [(M23 * 5.0 + 0.25, np.full(3, 2.0))], grad=True),
    Row("Pow", lambda tf, x, y: x ** y, np.power, binary((F32, F64), lo=0.5, hi=3.0) +
        [(arr((3,), I32, 0, 4), arr((3,), I32, 0, 3)), (POS, V3)], grad=True),
    Row("Maximum", lambda tf, x, y: tf.maximum(x, y), np.maximum, binary(NUMERIC + (F16, U8)) + [(M23, V3)],
        grad=True),
    Row("Minimum", lambda tf, x, y: tf.minimum(x, y), np.minimum, binary(NUMERIC) + [(M23, V3)], grad=True),
    Row("SquaredDifference", lambda tf, x, y: tf.squared_difference(x, y), lambda x, y: (x - y) ** 2,
        binary((F32, F64, I32)) + [(M23, V3)], grad=True),
    Row("Atan2", lambda tf, x, y: tf.atan2(x, y), np.arctan2, binary((F32, F64)) + [(M23, V3)], grad=True),
] + [Row(t, lambda tf, x, y, t=t: raw(tf, t, [x, y]), fn, binary(NUMERIC + (U8,)))
     for t, fn in (("Less", np.less), ("LessEqual", np.less_equal), ("Greater", np.greater),
                   ("GreaterEqual", np.greater_equal))] + [
    Row("Equal", lambda tf, x, y: tf.equal(x, y), np.equal, binary(NUMERIC, lo=-1, hi=1) +
        [(np.array([True, False]), np.array([True, True]))]),
    Row("NotEqual", lambda tf, x, y: tf.not_equal(x, y), np.not_equal, binary(NUMERIC, lo=-1, hi=1)),
    Row("LogicalAnd", lambda tf, x, y: x & y, np.logical_and, [(arr((2, 3), bool), arr((3,), bool))]),
    Row("LogicalOr", lambda tf, x, y: x | y, np.logical_or, [(arr((2, 3), bool), arr((2, 3), bool))]),
    Row("LogicalNot", lambda tf, x: ~x, np.logical_not, [(arr((4,), bool),), (np.array(True),)]),
    Row("BitwiseAnd", lambda tf, x, y: x & y, np.bitwise_and, binary((I32, I64, U8), lo=0, hi=200)),
    Row("BitwiseOr", lambda tf, x, y: x | y, np.bitwise_or, binary((I32, U8), lo=0, hi=200)),
    Row("BitwiseXor", lambda tf, x, y: x ^ y, np.bitwise_xor, binary((I32, I64), lo=-50, hi=50)),
    Row("Invert", lambda tf, x: ~x, np.invert, unary((I32, U8, I64), lo=0, hi=100)),
]


def _unary_row(op, fn, ref, dtypes=FLOATS, lo=-2.0, hi=2.0, grad=True, at=M23):
    return Row(op, lambda tf, x: getattr(tf, fn)(x) if isinstance(fn, str) else fn(tf, x), ref,
               unary(dtypes, lo=lo, hi=hi) + [(at,)], grad=grad)


UNARY = [
    _unary_row("Neg", "negative", np.negative, FLOATS + (I32, I64)),
    _unary_row("Abs", "abs", np.abs, FLOATS + (I32, I64)),
    _unary_row("Sign", "sign", np.sign, FLOATS + (I32,)),
    _unary_row("Square", "square", np.square, FLOATS + (I32, U8)),
    _unary_row("Sqrt", "sqrt", np.sqrt, lo=0.2, hi=4.0, at=POS),
    _unary_row("Rsqrt", "rsqrt", lambda x: 1 / np.sqrt(x), lo=0.2, hi=4.0, at=POS),
    _unary_row("Exp", "exp", np.exp),
    _unary_row("Expm1", "expm1", np.expm1),
    _unary_row("Log", "log", np.log, lo=0.2, hi=4.0, at=POS),
    _unary_row("Log1p", "log1p", np.log1p, lo=-0.5, hi=4.0, at=POS),
    _unary_row("Tanh", "tanh", np.tanh),
    _unary_row("Sigmoid", "sigmoid", _sigmoid),
    _unary_row("Reciprocal", "reciprocal", lambda x: 1 / x, lo=0.3, hi=3.0),
    _unary_row("Sin", "sin", np.sin),
    _unary_row("Cos", "cos", np.cos),
    _unary_row("Floor", "floor", np.floor, at=M23 + 0.25),
    _unary_row("Ceil", "ceil", np.ceil, at=M23 + 0.25),
    _unary_row("Round", "round", np.round, lo=-4, hi=4, at=M23 + 0.25),
    _unary_row("Rint", "rint", np.rint, (F32, F64), lo=-4, hi=4, at=M23 + 0.25),  # TF has no float16 Rint kernel
    Row("IsNan", lambda tf, x: tf.is_nan(x), np.isnan, [(np.array([1.0, np.nan, np.inf], F32),)]),
    Row("IsInf", lambda tf, x: tf.is_inf(x), np.isinf, [(np.array([1.0, np.nan, -np.inf]),)]),
    Row("IsFinite", lambda tf, x: tf.is_finite(x), np.isfinite, [(np.array([1.0, np.nan, np.inf], F16),)]),
    Row("Cast", lambda tf, x: tf.cast(x, tf.int32), lambda x: np.trunc(x).astype(I32), unary((F32, F64), lo=-9, hi=9)),
    Row("Cast", lambda tf, x: tf.cast(tf.cast(x, tf.float32) * 2.0, tf.float64),
        lambda x: (x.astype(F32) * F32(2)).astype(F64), unary((F64,)) + [(M23,)], grad=True, grad_step=1e-2,
        grad_tol=1e-4),
    Row("TanhGrad", lambda tf, y, dy: raw(tf, "TanhGrad", [y, dy]), lambda y, dy: dy * (1 - y * y),
        binary((F32, F64), pairs=(((2, 3), (2, 3)),)) + [(SMALL, M23)], grad=True),
    Row("SigmoidGrad", lambda tf, y, dy: raw(tf, "SigmoidGrad", [y, dy]), lambda y, dy: dy * y * (1 - y),
        binary((F64,), pairs=(((3,), (3,)),)) + [(SMALL + 0.5, M23)], grad=True),
    Row("SqrtGrad", lambda tf, y, dy: raw(tf, "SqrtGrad", [y, dy]), lambda y, dy: dy * 0.5 / y,
        binary((F64,), pairs=(((3,), (3,)),), lo=0.5, hi=2.0) + [(POS, M23)],
        grad=True),
    Row("RsqrtGrad", lambda tf, y, dy: raw(tf, "RsqrtGrad", [y, dy]), lambda y, dy: dy * -0.5 * y ** 3,
        binary((F64,), pairs=(((3,), (3,)),)) + [(POS, M23)], grad=True),
    Row("ReciprocalGrad", lambda tf, y, dy: raw(tf, "ReciprocalGrad", [y, dy]), lambda y, dy: -dy * y * y,
        binary((F64,), pairs=(((3,), (3,)),)) + [(POS, M23)], grad=True),
    Row("BroadcastGradientArgs", lambda tf, a, b: raw(tf, "BroadcastGradientArgs", [a, b]),
        lambda a, b: [np.array([0, 2], I32), np.array([1], I32)], [(np.array([1, 4, 1], I32), np.array([2, 1, 5], I32))],
        exact=False),
]


# ----- reductions, MatMul, AddN ---------------------------------------------------------------------------
def _reduce_rows(op, fn, ref, dtypes, grad):
    x = [arr((2, 3, 4), d) for d in dtypes]
    return [Row(op, lambda tf, v, axis=axis, keep=keep: fn(tf)(v, axis, keepdims=keep),
                lambda v, axis=axis, keep=keep: ref(v, axis=None if axis is None else tuple(np.atleast_1d(axis)),
                                                    keepdims=keep).astype(v.dtype),
                [(v,) for v in x] + ([(M23,)] if grad and axis != [0, 2] else []), grad=grad)
            for axis, keep in ((None, False), (1, False), ([0, 2], True), (-1, True))]


def _mean(v, axis=None, keepdims=False):
    return np.mean(v, axis=axis, keepdims=keepdims) if v.dtype.kind == "f" else \
        np.trunc(np.sum(v, axis=axis, keepdims=keepdims) / max(v.size // max(np.sum(v, axis=axis).size, 1), 1))


def _prod_grad_ref(x, axes, dy):
    others = np.array([[np.prod(np.delete(x[i], j)) for j in range(x.shape[1])] for i in range(x.shape[0])])
    return others * dy[:, None]


REDUCE = (_reduce_rows("Sum", lambda tf: tf.reduce_sum, np.sum, (F32, F64, I32), True)
          + _reduce_rows("Mean", lambda tf: tf.reduce_mean, _mean, (F32, F64, I32), True)
          + _reduce_rows("Prod", lambda tf: tf.reduce_prod, np.prod, (F64, I64), True)
          + _reduce_rows("Max", lambda tf: tf.reduce_max, np.max, (F32, F64, I32), True)
          + _reduce_rows("Min", lambda tf: tf.reduce_min, np.min, (F64, I64), True)) + [
    Row("All", lambda tf, x: tf.reduce_all(x, 1), lambda x: np.all(x, 1), [(arr((3, 4), bool),)]),
    Row("Any", lambda tf, x: tf.reduce_any(x), lambda x: np.any(x), [(arr((3, 4), bool),)]),
    Row("ArgMax", lambda tf, x: tf.argmax(x, 1), lambda x: np.argmax(x, 1), unary(NUMERIC, shapes=((3, 4),))),
    Row("ArgMin", lambda tf, x: tf.argmin(x, 0, output_type=tf.int32), lambda x: np.argmin(x, 0).astype(I32),
        unary(NUMERIC, shapes=((3, 4),))),
    Row("AddN", lambda tf, x, y: tf.add_n([x, y, x]), lambda x, y: x + y + x,
        binary((F32, F64, I32), pairs=(((2, 3), (2, 3)), ((), ()))), grad=True),
    Row("AddN", lambda tf, x, y, z: tf.add_n([x, y, z]), lambda x, y, z: x + y + z, [(M23, POS, SMALL)], grad=True),
    Row("MatMul", lambda tf, x, y: tf.matmul(x, y), np.matmul,
        binary((F32, F64, I32), pairs=(((2, 3), (3, 4)), ((1, 2), (2, 1)))), grad=True),
    Row("MatMul", lambda tf, x, y: tf.matmul(x, y, transpose_a=True, transpose_b=True), lambda x, y: x.T @ y.T,
        binary((F64,), pairs=(((3, 2), (4, 3)),)), grad=True),
    Row("MatMul", lambda tf, x, y: tf.matmul(x, y, transpose_b=True), lambda x, y: x @ y.T,
        binary((F64,), pairs=(((2, 3), (4, 3)),)) + [(M23, POS)], grad=True),
    Row("BatchMatMulV2", lambda tf, x, y: tf.matmul(x, y), np.matmul,
        binary((F32, F64), pairs=(((2, 2, 3), (3, 4)), ((2, 1, 2, 3), (3, 3, 2)))) +
        [(np.stack([M23, 2 * M23]), POS.T)], grad=True),
    Row("BatchMatMulV2", lambda tf, x, y: tf.matmul(x, y, adjoint_a=True), lambda x, y: np.swapaxes(x, -1, -2) @ y,
        binary((F64,), pairs=(((2, 3, 2), (2, 3, 4)),)), grad=True),
    Row("DynamicStitch", lambda tf, i, j, d, e: tf.dynamic_stitch([i, j], [d, e]),
        lambda i, j, d, e: np.array([10, 1, 12, 1], I32),
        [(np.array([0, 1, 2, 3], I32), np.array([1, 3], I32), np.array([10, 11, 12, 13], I32), np.array([1, 1], I32))]),
    Row("DynamicStitch", lambda tf, a, b: tf.dynamic_stitch([[0, 2, 4], [1, 3, 5]], [a, b]),
        lambda a, b: np.stack([a, b], 1).reshape((6,) + a.shape[1:]),
        [(arr((3,)), arr((3,))), (arr((3, 2)), arr((3, 2))), (V3, -V3)], grad=True),
    Row("DynamicPartition", lambda tf, d: tf.dynamic_partition(d, [0, 2, 1, 0], 3),
        lambda d: [d[[0, 3]], d[[2]], d[[1]]], [(arr((4,)),), (arr((4, 2)),), (arr((4, 3), I32, 0, 9),)], grad=True,
        exact=False),
    Row("ParallelDynamicStitch", lambda tf, a, b: raw(tf, "ParallelDynamicStitch", [[[0, 2, 4], [1, 3, 5]], [a, b]],
                                                      {"N": 2}),
        lambda a, b: np.stack([a, b], 1).reshape((6,) + a.shape[1:]), [(arr((3,)), arr((3,))), (V3, -V3)], grad=True),
    Row("SparseToDense", lambda tf, v: tf.sparse_to_dense([[0, 1], [2, 0]], [3, 2], v, -1.0),
        lambda v: np.array([[-1, v[0]], [-1, -1], [v[1], -1]], v.dtype), [(arr((2,)),), (arr((2,), F32),)], grad=True),
    Row("ComputeAccidentalHits", lambda tf, t, s: list(tf.nn.compute_accidental_hits(t, s, 2)),
        lambda t, s: [np.array([0, 1, 1], I32), np.array([2, 0, 4], I64), np.full(3, -np.finfo(F32).max, F32)],
        [(np.array([[5, 3], [9, 7]], I64), np.array([9, 1, 5, 0, 7], I64))], exact=False),
    Row("ProdGrad", lambda tf, x, dy: raw(tf, "ProdGrad", [x, [1], dy]), lambda x, dy: _prod_grad_ref(x, 1, dy),
        [(np.array([[1.0, 2.0, 0.0], [3.0, -1.0, 2.0]]), np.array([0.5, 2.0]))]),
    Row("UnsortedSegmentSum", lambda tf, d, i: raw(tf, "UnsortedSegmentSum", [d, i, 3]),
        lambda d, i: np.stack([d[i == k].sum(0) for k in range(3)]).astype(d.dtype),
        [(arr((4, 2), d), np.array([0, 2, 0, 1], I32)) for d in (F64, I32)] + [(M23, np.array([1, 0], I32))],
        grad=True),
]


# ----- array ops ----------------------------------------------------------------------------------------------
X = arr((2, 3, 4))


def _strided_slice_grad_ref(dy):
    out = np.zeros((3, 4), dy.dtype)
    out[1:, 0::2] = dy
    return out


def _one_hot(i, depth=4, axis=-1):
    out = (np.arange(depth) == np.asarray(i)[..., None]).astype(F32)
    return np.moveaxis(out, -1, axis)


ARRAY = [
    Row("Identity", lambda tf, x: tf.identity(x), lambda x: x, unary(NUMERIC) + [(M23,)], grad=True),
    Row("IdentityN", lambda tf, x, y: tf.identity_n([x, y]), lambda x, y: [x, y],
        [(arr((2, 3)), arr((3,), I32)), (M23, arr((2,)))], grad=True),
    Row("BatchFunction", lambda tf, x, y: tf.nondifferentiable_batch_function(1, 4, 10)(lambda a, b: [a, b])(x, y),
        lambda x, y: [x, y], [(arr((2, 3)), arr((3,), I32))], exact=False),
    Row("StopGradient", lambda tf, x: tf.stop_gradient(x), lambda x: x, unary((F32, I32))),
    Row("PreventGradient", lambda tf, x: raw(tf, "PreventGradient", [x], {"message": "no"}), lambda x: x, unary((F32,))),
    Row("Snapshot", lambda tf, x: raw(tf, "Snapshot", [x]), lambda x: x, unary((F64,)) + [(M23,)], grad=True),
    Row("PlaceholderWithDefault", lambda tf, x: tf.placeholder_with_default(x, x.shape), lambda x: x,
        unary((F32, F64)) + [(M23,)], grad=True),
    Row("Print", lambda tf, x: tf.Print(x, [x], "op_rows: "), lambda x: x, [(arr((2,)),), (M23,)], grad=True),
    Row("Switch", lambda tf, x: tf.cond(tf.constant(True), lambda: x * 2.0, lambda: x - 1.0), lambda x: x * 2.0,
        unary((F32, F64)), grad=True),
    Row("Merge", lambda tf, x: tf.cond(tf.constant(False), lambda: x * 2.0, lambda: tf.square(x)), np.square,
        unary((F64,)), grad=True),
    Row("Shape", lambda tf, x: raw(tf, "Shape", [x], {"out_type": tf.int32}), lambda x: np.array(x.shape, I32),
        unary((F32, I32))),
    Row("Size", lambda tf, x: raw(tf, "Size", [x], {"out_type": tf.int64}), lambda x: np.array(x.size, I64),
        unary((F32,))),
    Row("Rank", lambda tf, x: raw(tf, "Rank", [x]), lambda x: np.array(x.ndim, I32), unary((F32, I64))),
    Row("Reshape", lambda tf, x: tf.reshape(x, [4, -1]), lambda x: x.reshape(4, -1), [(X,), (X.astype(I32),)],
        grad=True),
    Row("Reshape", lambda tf, x: tf.reshape(x, []), lambda x: x.reshape(()), [(np.array([2.5]),)], grad=True),
    Row("Reshape", lambda tf, x: tf.reshape(x, [3, 2]), lambda x: x.reshape(3, 2), [(M23,)], grad=True),
    Row("Transpose", lambda tf, x: tf.transpose(x), lambda x: x.T, [(X,), (X[0].astype(I32),), (M23,)], grad=True),
    Row("Transpose", lambda tf, x: tf.transpose(x, [1, 2, 0]), lambda x: x.transpose(1, 2, 0), [(X,)], grad=True),
    Row("ListDiff", lambda tf, x, y: list(tf.setdiff1d(x, y)),
        lambda x, y: [x[~np.isin(x, y)], np.flatnonzero(~np.isin(x, y)).astype(np.int32)],
        [(np.array([1, 2, 3, 4, 5, 6], I32), np.array([1, 3, 4], I32)), (np.array([5.0, 1.0, 5.0]), np.array([1.0])),
         (np.array([], I64), np.array([2], I64))], exact=False),
    Row("InvertPermutation", lambda tf, p: raw(tf, "InvertPermutation", [p]), lambda p: np.argsort(p).astype(p.dtype),
        [(np.array([2, 0, 3, 1], I32),), (np.array([1, 0], I64),)]),
    Row("ExpandDims", lambda tf, x: tf.expand_dims(x, -1), lambda x: x[..., None], unary(NUMERIC), grad=True),
    Row("ExpandDims", lambda tf, x: tf.expand_dims(x, 1), lambda x: np.expand_dims(x, 1), [(X,), (M23,)], grad=True),
    Row("Squeeze", lambda tf, x: tf.squeeze(x), np.squeeze,
        [(arr((1, 3, 1)),), (arr((2, 1), I32),), (M23[None],)], grad=True,
        dynamic=False),
    Row("Squeeze", lambda tf, x: tf.squeeze(x, [2]), lambda x: x[:, :, 0], [(arr((2, 3, 1)),)], grad=True),
    Row("Fill", lambda tf, v: tf.fill([2, 3], v), lambda v: np.full((2, 3), v), unary(NUMERIC, shapes=((),)) +
        [(np.array(1.5),)], grad=True),
    Row("ZerosLike", lambda tf, x: raw(tf, "ZerosLike", [x]), np.zeros_like, unary(NUMERIC)),
    Row("OnesLike", lambda tf, x: raw(tf, "OnesLike", [x]), np.ones_like, unary(NUMERIC)),
    Row("Range", lambda tf, a, b, d: tf.range(a, b, d), lambda a, b, d: np.arange(a, b, d).astype(np.asarray(a).dtype),
        [(np.array(v[0], t), np.array(v[1], t), np.array(v[2], t)) for t in (I32, I64, F32, F64)
         for v in ((0, 10, 3), (5, 1, -2), (2, 2, 1))], exact=False),
    Row("OneHot", lambda tf, i: tf.one_hot(i, 4), _one_hot, [(np.array([0, 3, -1, 2], I32),),
                                                           (np.array([[1, 0], [4, 2]], I64),)]),
    Row("OneHot", lambda tf, i: tf.one_hot(i, 4, axis=0), lambda i: _one_hot(i, axis=0), [(np.array([1, 2], I32),)]),
    Row("BroadcastTo", lambda tf, x: tf.broadcast_to(x, [2, 2, 3]), lambda x: np.broadcast_to(x, (2, 2, 3)),
        [(arr((3,)),), (arr((2, 1, 3)),), (arr((), I32),), (V3,)],
        grad=True),
    Row("ReverseV2", lambda tf, x: tf.reverse(x, [0, -1]), lambda x: x[::-1, ..., ::-1],
        [(X,), (X[0].astype(I32),), (M23,)], grad=True),
    Row("ReverseSequence", lambda tf, x: tf.reverse_sequence(x, [3, 0], seq_axis=2, batch_axis=0),
        lambda x: np.stack([np.concatenate([x[0, :, 2::-1], x[0, :, 3:]], 1), x[1]]), [(X,), (X.astype(I32),)],
        grad=True),
    Row("ReverseSequence", lambda tf, x: tf.reverse_sequence(x, np.array([1, 2, 0], I32), 0, 1),
        lambda x: np.stack([x[:, 0], np.concatenate([x[1::-1, 1], x[2:, 1]]), x[:, 2]], 1), [(X,)], grad=True),
    Row("ConcatV2", lambda tf, x, y: tf.concat([x, y, x], 1), lambda x, y: np.concatenate([x, y, x], 1),
        binary((F32, F64, I32), pairs=(((2, 3), (2, 1)), ((2, 0, 1), (2, 2, 1)))), grad=True),
    Row("ConcatV2", lambda tf, x, y: tf.concat([x, y], -1), lambda x, y: np.concatenate([x, y], -1),
        binary((F64,), pairs=(((2, 3), (2, 2)),)) + [(M23, POS)], grad=True),
    Row("ConcatOffset", lambda tf, x, y: raw(tf, "ConcatOffset", [-1, [x, y, x]], {"N": 3}),
        lambda x, y: [np.array([0, 0, v], x.dtype) for v in (0, x[2], x[2] + y[2])],
        [(np.array([2, 3, 4], I32), np.array([2, 3, 1], I32)), (np.array([5, 0, 2], I64), np.array([5, 0, 7], I64))],
        dynamic=False),
    Row("Pack", lambda tf, x, y: tf.stack([x, y], 1), lambda x, y: np.stack([x, y], 1),
        binary((F32, F64, I32), pairs=(((2, 3), (2, 3)), ((3,), (3,)))) + [(M23, POS)], grad=True),
    Row("Pack", lambda tf, x, y: tf.stack([x, y]), lambda x, y: np.stack([x, y]),
        binary((F64,), pairs=(((), ()),)), grad=True),
    Row("Unpack", lambda tf, x: tf.unstack(x, axis=1), lambda x: list(np.moveaxis(x, 1, 0)),
        [(X,), (X.astype(I64),), (M23,)], grad=True, dynamic=False),
    Row("Unpack", lambda tf, x: tf.unstack(x, num=2), list, [(X,)], grad=True),
    Row("Split", lambda tf, x: tf.split(x, 2, axis=2), lambda x: np.split(x, 2, 2), [(X,), (X.astype(I32),)],
        grad=True),
    Row("Split", lambda tf, x: tf.split(x, 1, axis=0), lambda x: [x], [(X,)], grad=True),
    Row("Split", lambda tf, x: tf.split(x, 3, axis=1), lambda x: np.split(x, 3, 1), [(M23,)], grad=True),
    Row("SplitV", lambda tf, x: tf.split(x, [1, -1, 2], axis=2), lambda x: np.split(x, [1, 2], 2), [(X,)],
        grad=True),
    Row("SplitV", lambda tf, x: tf.split(x, [1, 2], axis=1), lambda x: np.split(x, [1], 1), [(M23,)], grad=True),
    Row("Tile", lambda tf, x: tf.tile(x, [2, 1, 3]), lambda x: np.tile(x, (2, 1, 3)), [(X,), (X.astype(I32),)],
        grad=True),
    Row("Tile", lambda tf, x: tf.tile(x, [3]), lambda x: np.tile(x, 3), [(arr((2,)),)], grad=True),
    Row("Tile", lambda tf, x: tf.tile(x, [2, 1]), lambda x: np.tile(x, (2, 1)), [(M23,)], grad=True),
    Row("Pad", lambda tf, x: tf.pad(x, [[1, 0], [0, 2]]), lambda x: np.pad(x, [[1, 0], [0, 2]]),
        unary(NUMERIC, shapes=((2, 3),)) + [(M23,)], grad=True),
    Row("PadV2", lambda tf, x: tf.pad(x, [[0, 1], [2, 0]], constant_values=7), lambda x: np.pad(
        x, [[0, 1], [2, 0]], constant_values=7), unary((F64, I32), shapes=((2, 2),)) + [(M23,)], grad=True),
] + [Row("MirrorPad", lambda tf, x, m=m: tf.pad(x, [[1, 2], [0, 2]], m),
         lambda x, m=m: np.pad(x, [[1, 2], [0, 2]], m.lower()), unary(NUMERIC, shapes=((3, 3),)) + [(arr((3, 4)),)],
         grad=True) for m in ("REFLECT", "SYMMETRIC")] + [
    Row("MirrorPadGrad", lambda tf, g, m=m: raw(tf, "MirrorPadGrad", [g, [[1, 2], [0, 2]]], {"mode": m}),
        lambda g, m=m: _mirror_pad_grad_ref(g, [[1, 2], [0, 2]], m), [(arr((6, 5)),), (arr((6, 5), F32),)], grad=True)
    for m in ("REFLECT", "SYMMETRIC")]


def _mirror_pad_grad_ref(g, pads, mode):
    """Each padded cell's gradient added onto the cell it copies: np.pad of the cells' own indices says which."""
    shape = tuple(n - lo - hi for n, (lo, hi) in zip(g.shape, pads))
    source = np.pad(np.arange(int(np.prod(shape))).reshape(shape), pads, mode.lower())
    out = np.zeros(int(np.prod(shape)), g.dtype)
    np.add.at(out, source.ravel(), g.ravel())
    return out.reshape(shape)

SLICING = [
    Row("Slice", lambda tf, x: tf.slice(x, [1, 0, 1], [1, -1, 2]), lambda x: x[1:2, :, 1:3], [(X,), (X.astype(I32),)],
        grad=True),
    Row("Slice", lambda tf, x, b: tf.slice(x, b, [2, 2]), lambda x, b: x[b[0]:b[0] + 2, b[1]:b[1] + 2],
        [(arr((3, 4)), np.array([1, 2], I32)), (M23, np.array([0, 1], I32))], grad=True),
    Row("StridedSlice", lambda tf, x: x[1], lambda x: x[1], [(X,), (X.astype(U8),)], grad=True),
    Row("StridedSlice", lambda tf, x: x[..., ::-2, tf.newaxis, 1:], lambda x: x[..., ::-2, None, 1:], [(X,)],
        grad=True),
    Row("StridedSlice", lambda tf, x: x[-1:0:-1, 2, :-1], lambda x: x[-1:0:-1, 2, :-1], [(X,)], grad=True),
    Row("StridedSlice", lambda tf, x: x[::3, 5:], lambda x: x[::3, 5:], [(arr((7, 4)),)], grad=True),
    Row("StridedSlice", lambda tf, x: x[::-1, 1:], lambda x: x[::-1, 1:], [(M23,)], grad=True),
    Row("StridedSliceGrad", lambda tf, dy: raw(tf, "StridedSliceGrad", [[3, 4], [1, 0], [0, 4], [1, 2], dy],
                                                 {"begin_mask": 0, "end_mask": 1, "ellipsis_mask": 0,
                                                  "new_axis_mask": 0, "shrink_axis_mask": 0}),
        lambda dy: _strided_slice_grad_ref(dy),
        [(arr((2, 2)),)], grad=True),
    Row("GatherV2", lambda tf, p, i: tf.gather(p, i), lambda p, i: p[i],
        [(arr((4, 3), d), np.array([[3, 0], [1, 3]], I32)) for d in (F64, I32)], grad=True),
    Row("GatherV2", lambda tf, p, i: tf.gather(p, i, axis=1), lambda p, i: np.take(p, i, 1),
        [(X, np.array([2, 0, 2], I64)), (M23, np.array([2, 0, 2], I64))], grad=True),
    Row("Select", lambda tf, c, x, y: tf.where(c, x, y), np.where,
        [(arr((2, 3), bool), arr((2, 3), d), arr((2, 3), d)) for d in (F64, I32)] +
        [(np.array([[True, False, True], [False, True, True]]), M23, POS)], grad=True),
    Row("Select", lambda tf, c, x, y: tf.where(c, x, y), lambda c, x, y: np.where(c[:, None], x, y),
        [(arr((2,), bool), arr((2, 3)), arr((2, 3)))], grad=True),
    Row("SelectV2", lambda tf, c, x, y: tf.where_v2(c, x, y), np.where,
        [(arr((3,), bool), arr((2, 3)), arr((2, 1))), (np.array([True, False, True]), M23, V3)], grad=True),
    Row("Where", lambda tf, c: tf.where(c), np.argwhere, [(arr((3, 4), bool),), (arr((5,), F32, -1, 1) > 0,)],
        exact=False),
]


# ----- nn ------------------------------------------------------------------------------------------------------
LOGITS = arr((3, 4))
PROBS = _softmax(arr((3, 4)))
_SELU = (1.6732632423543772848170429916717, 1.0507009873554804934193349852946)


def _xent(logits, labels):
    return [-(labels * _log_softmax(logits)).sum(-1), _softmax(logits) - labels]


def _sparse_xent(logits, labels):
    onehot = np.eye(logits.shape[1])[labels]
    out = [-_log_softmax(logits)[np.arange(len(labels)), labels], _softmax(logits) - onehot]
    return [o.astype(logits.dtype) for o in out]


NN = [
    _unary_row("Relu", lambda tf, x: tf.nn.relu(x), lambda x: np.maximum(x, 0).astype(x.dtype), FLOATS + (I32,)),
    _unary_row("Relu6", lambda tf, x: tf.nn.relu6(x), lambda x: np.clip(x, 0, 6).astype(x.dtype), (F32, F64),
               lo=-3, hi=9, at=M23 * 4.0),
    _unary_row("Elu", lambda tf, x: tf.nn.elu(x), lambda x: np.where(x > 0, x, np.expm1(x)).astype(x.dtype)),
    _unary_row("Selu", lambda tf, x: tf.nn.selu(x),
               lambda x: (_SELU[1] * np.where(x > 0, x, _SELU[0] * np.expm1(x))).astype(x.dtype), (F32, F64)),
    _unary_row("Softplus", lambda tf, x: tf.nn.softplus(x), lambda x: np.log1p(np.exp(x)).astype(x.dtype), (F32, F64)),
    _unary_row("Softsign", lambda tf, x: tf.nn.softsign(x), lambda x: x / (1 + np.abs(x)), (F32, F64)),
    _unary_row("LeakyRelu", lambda tf, x: tf.nn.leaky_relu(x, 0.1),
               lambda x: np.where(x > 0, x, x * x.dtype.type(0.1)).astype(x.dtype), (F32, F64)),
    Row("ReluGrad", lambda tf, g, y: raw(tf, "ReluGrad", [g, y]), lambda g, y: g * (y > 0),
        binary((F64, F32), pairs=(((2, 3), (2, 3)),)) + [(M23, SMALL)], grad=True),
    Row("EluGrad", lambda tf, g, y: raw(tf, "EluGrad", [g, y]), lambda g, y: np.where(y < 0, g * (y + 1), g),
        binary((F64, F32), pairs=(((2, 3), (2, 3)),)) + [(M23, SMALL)], grad=True),
    Row("SeluGrad", lambda tf, g, y: raw(tf, "SeluGrad", [g, y]),
        lambda g, y: np.where(y < 0, g * (y + _SELU[0] * _SELU[1]), g * _SELU[1]),
        binary((F64, F32), pairs=(((2, 3), (2, 3)),)) + [(M23, SMALL)], grad=True),
    Row("Relu6Grad", lambda tf, g, x: raw(tf, "Relu6Grad", [g, x]), lambda g, x: g * ((x > 0) & (x < 6)),
        binary((F64, F32), pairs=(((2, 3), (2, 3)),), lo2=-3, hi2=9) + [(M23, SMALL * 10)], grad=True),
    Row("LeakyReluGrad", lambda tf, g, x: raw(tf, "LeakyReluGrad", [g, x], {"alpha": 0.3}),
        lambda g, x: np.where(x > 0, g, g * g.dtype.type(0.3)),
        binary((F64, F32), pairs=(((2, 3), (2, 3)),)) + [(M23, SMALL)], grad=True),
    Row("SoftsignGrad", lambda tf, g, x: raw(tf, "SoftsignGrad", [g, x]), lambda g, x: g / (1 + np.abs(x)) ** 2,
        binary((F64, F32), pairs=(((2, 3), (2, 3)),)) + [(M23, SMALL)]),
    Row("Softmax", lambda tf, x: tf.nn.softmax(x), _softmax, unary((F32, F64), shapes=((4,), (3, 4), (2, 2, 3))),
        grad=True),
    Row("Softmax", lambda tf, x: tf.nn.softmax(x, axis=0), lambda x: _softmax(x, 0), [(LOGITS,), (M23,)], grad=True),
    Row("LogSoftmax", lambda tf, x: tf.nn.log_softmax(x), _log_softmax, unary((F32, F64), shapes=((3, 4),)) +
        [(M23,)], grad=True),
    Row("SoftmaxCrossEntropyWithLogits", lambda tf, lg, lb: raw(tf, "SoftmaxCrossEntropyWithLogits", [lg, lb]), _xent,
        [(LOGITS, PROBS), (LOGITS.astype(F32), PROBS.astype(F32))], grad=True, grad_inputs=(0,)),
    Row("SoftmaxCrossEntropyWithLogits", lambda tf, lg, lb: raw(tf, "SoftmaxCrossEntropyWithLogits", [lg, lb]), _xent,
        [(LOGITS, PROBS)], grad=True, grad_outputs=(0,)),  # TF leaves the labels' backprop-output term out
    Row("SoftmaxCrossEntropyWithLogits", lambda tf, lg, lb: tf.nn.softmax_cross_entropy_with_logits_v2(
        labels=lb, logits=lg), lambda lg, lb: _xent(lg, lb)[0], [(LOGITS, PROBS), (arr((2, 2, 3)), _softmax(arr((2, 2, 3)))),
                                                       (M23, np.array([[0.2, 0.3, 0.5], [1.0, 0.0, 0.0]]))],
        grad=True),
    Row("SparseSoftmaxCrossEntropyWithLogits", lambda tf, lg, lb: raw(tf, "SparseSoftmaxCrossEntropyWithLogits",
                                                                      [lg, lb]), _sparse_xent,
        [(LOGITS, np.array([0, 3, 1], I64)), (LOGITS.astype(F32), np.array([2, 2, 0], I32)),
         (M23, np.array([2, 0], I32))], grad=True),
    Row("SparseSoftmaxCrossEntropyWithLogits", lambda tf, lg, lb: tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=lb, logits=lg), lambda lg, lb: _sparse_xent(lg.reshape(-1, 4), lb.reshape(-1))[0].reshape(lb.shape),
        [(arr((2, 3, 4)), np.array([[0, 1, 3], [2, 2, 0]], I32))], grad=True),
    Row("BiasAdd", lambda tf, x, b: tf.nn.bias_add(x, b), np.add, binary((F32, F64, I32), pairs=(((2, 3), (3,)),
                                                                                               ((2, 2, 4), (4,)))) +
        [(M23, V3)], grad=True),
    Row("BiasAddGrad", lambda tf, g: raw(tf, "BiasAddGrad", [g], {"data_format": "NHWC"}),
        lambda g: g.sum(tuple(range(g.ndim - 1))).astype(g.dtype), unary((F64, I32), shapes=((2, 3), (2, 2, 4))) + [(M23,)],
        grad=True,
        exact=False),
    Row("L2Loss", lambda tf, x: tf.nn.l2_loss(x), lambda x: (x * x).sum() / 2, unary((F32, F64)) + [(M23,)], grad=True),
]


from op_rows_custom import CUSTOM  # noqa: E402,F401 - the hand-checked rows

ROWS = MATH + UNARY + REDUCE + ARRAY + SLICING + NN

GRAD_EXEMPT = {  # ops with a gradient function but no grad row, and where their gradient is checked instead
    "RefSwitch": "a ref input: tests/tf_recorded (cond over a variable)",
    "PreventGradient": "its gradient raises by design: test_gradients.py test_prevent_gradient_raises",
}
GRAD_EXEMPT.update({name: "a TensorArray handle input: tf_recorded loops (tensor_array_in_loop_with_gradients, "
                          "dynamic_rnn_*, map_scan_fold)"
                    for name in ("TensorArrayReadV3", "TensorArrayWriteV3", "TensorArrayGatherV3",
                                 "TensorArrayScatterV3", "TensorArrayConcatV3", "TensorArraySplitV3")})
GRAD_EXEMPT.update({name: "only inside a loop body (tf.gradients there, as tf.hessians): tf_recorded "
                          "custom_gradient:hessians_*" for name in ("Enter", "RefEnter")})


# ----- pooling and normalization (ops/pooling.py, ops/normalization.py) ------------------------------------------
def _pool_pads(shape, ksize, strides, padding):
    if padding == "VALID":
        return [0] * len(shape), [(n - k) // s + 1 for n, k, s in zip(shape, ksize, strides)]
    out = [-(-n // s) for n, s in zip(shape, strides)]
    return [max((o - 1) * s + k - n, 0) // 2 for n, k, s, o in zip(shape, ksize, strides, out)], out


def _pool_windows(shape, ksize, strides, padding):
    """(output index, the input slice its window covers, padding excluded), by plain loops."""
    before, out = _pool_pads(shape, ksize, strides, padding)
    for idx in np.ndindex(*out):
        yield idx, tuple(slice(max(o * s - b, 0), min(o * s - b + k, n))
                         for o, s, b, k, n in zip(idx, strides, before, ksize, shape))


def _pool_out(shape, ksize, strides, padding):
    return tuple(_pool_pads(shape, ksize, strides, padding)[1])


def _pool_ref(kind, ksize, strides, padding):
    def ref(x):
        out = np.zeros(_pool_out(x.shape, ksize, strides, padding), x.dtype)
        for idx, sl in _pool_windows(x.shape, ksize, strides, padding):
            out[idx] = x[sl].max() if kind == "max" else x[sl].astype(np.float64).mean()
        return out
    return ref


def _first_max_at(x, sl):
    """The input index of the first maximum (row-major) of a window."""
    w = x[sl]
    return tuple(s.start + i for s, i in zip(sl, np.unravel_index(np.argmax(w), w.shape)))


def _max_pool_grad_ref(ksize, strides, padding):
    def ref(x, g):
        out = np.zeros(x.shape, g.dtype)
        for idx, sl in _pool_windows(x.shape, ksize, strides, padding):
            out[_first_max_at(x, sl)] += g[idx]
        return out
    return ref


def _max_pool_grad_grad_ref(ksize, strides, padding):
    def ref(x, gg):
        out = np.zeros(_pool_out(x.shape, ksize, strides, padding), gg.dtype)
        for idx, sl in _pool_windows(x.shape, ksize, strides, padding):
            out[idx] = gg[_first_max_at(x, sl)]
        return out
    return ref


def _avg_pool_grad_ref(ksize, strides, padding):
    def ref(shape, g):
        out = np.zeros(tuple(shape), g.dtype)
        for idx, sl in _pool_windows(tuple(shape), ksize, strides, padding):
            out[sl] += g[idx] / out[sl].size
        return out
    return ref


def _argmax_ref(ksize, strides, padding, with_batch=False):
    def ref(x):
        values = _pool_ref("max", ksize, strides, padding)(x)
        index = np.zeros(values.shape, np.int64)
        for idx, sl in _pool_windows(x.shape, ksize, strides, padding):
            at = _first_max_at(x, sl)
            index[idx] = np.ravel_multi_index(at, x.shape) - (0 if with_batch else at[0] * (x.size // x.shape[0]))
        return [values, index]
    return ref


def _argmax_grad_ref(ksize, strides, padding):
    def ref(x, g):
        out = np.zeros(x.shape, x.dtype)
        for idx, sl in _pool_windows(x.shape, ksize, strides, padding):
            out[_first_max_at(x, sl)] += g[idx]
        return out
    return ref


_NCHW = [0, 3, 1, 2]
_P4 = ([1, 3, 3, 1], [1, 2, 2, 1], "SAME")
_P4V = ([1, 2, 3, 1], [1, 1, 2, 1], "VALID")
_P5 = ([1, 2, 3, 2, 1], [1, 2, 1, 2, 1], "SAME")
X4, X5 = arr((2, 5, 5, 3)), arr((2, 4, 3, 5, 2))


def _attrs(k, s, p, fmt="NHWC"):
    return {"ksize": k, "strides": s, "padding": p, "data_format": fmt}


def _pool_rows(op_type, fn, kind, dtypes):
    rows = []
    for k, s, p in (_P4, _P4V):
        rows.append(Row(op_type, lambda tf, x, k=k, s=s, p=p: fn(tf, x, k, s, p, "NHWC"), _pool_ref(kind, k, s, p),
                        [(arr((2, 5, 5, 3), d),) for d in dtypes] + [(X4,)], grad=True))
    k, s = [_P4[0][i] for i in _NCHW], [_P4[1][i] for i in _NCHW]
    rows.append(Row(op_type, lambda tf, x: fn(tf, x, k, s, "SAME", "NCHW"), _pool_ref(kind, k, s, "SAME"),
                    [(arr((2, 3, 5, 4)),)], grad=True))
    return rows


POOLING = _pool_rows("MaxPool", lambda tf, x, k, s, p, f: tf.nn.max_pool(x, k, s, p, data_format=f), "max",
                     (F32, F16, I32)) + _pool_rows(
    "AvgPool", lambda tf, x, k, s, p, f: tf.nn.avg_pool(x, k, s, p, data_format=f), "avg", (F32, F16)) + [
    Row("MaxPoolGrad", lambda tf, x, g: raw(tf, "MaxPoolGrad", [x, tf.nn.max_pool(x, *_P4), g], _attrs(*_P4)),
        _max_pool_grad_ref(*_P4), [(X4, arr((2, 3, 3, 3))), (X4.astype(F32), arr((2, 3, 3, 3), F32))], grad=True),
    Row("MaxPoolGradGrad", lambda tf, x, gg: raw(tf, "MaxPoolGradGrad", [x, tf.nn.max_pool(x, *_P4V), gg],
                                                 _attrs(*_P4V)),
        _max_pool_grad_grad_ref(*_P4V), [(X4, arr((2, 5, 5, 3))), (X4.astype(F32), arr((2, 5, 5, 3), F32))],
        grad=True),
    Row("AvgPoolGrad", lambda tf, shape, g: raw(tf, "AvgPoolGrad", [shape, g], _attrs(*_P4)), _avg_pool_grad_ref(*_P4),
        [(np.array([2, 5, 5, 3], I32), arr((2, 3, 3, 3))), (np.array([2, 5, 5, 3], I32), arr((2, 3, 3, 3), F32))],
        grad=True, dynamic=False),
    Row("MaxPool3D", lambda tf, x: tf.nn.max_pool3d(x, *_P5), _pool_ref("max", *_P5),
        [(X5.astype(F32),), (X5.astype(F16),)]),
    Row("AvgPool3D", lambda tf, x: tf.nn.avg_pool3d(x, *_P5), _pool_ref("avg", *_P5),
        [(X5,), (X5.astype(F32),)], grad=True),
    Row("MaxPool3DGrad", lambda tf, x, g: raw(tf, "MaxPool3DGrad", [x, tf.nn.max_pool3d(x, *_P5), g],
                                              _attrs(*_P5, "NDHWC")),
        _max_pool_grad_ref(*_P5), [(X5.astype(F32), arr((2, 2, 3, 3, 2), F32))]),
    Row("MaxPool3DGradGrad", lambda tf, x, gg: raw(tf, "MaxPool3DGradGrad", [x, tf.nn.max_pool3d(x, *_P5), gg],
                                                   _attrs(*_P5, "NDHWC")),
        _max_pool_grad_grad_ref(*_P5), [(X5.astype(F32), arr((2, 4, 3, 5, 2), F32))]),
    Row("AvgPool3DGrad", lambda tf, shape, g: raw(tf, "AvgPool3DGrad", [shape, g], _attrs(*_P5, "NDHWC")),
        _avg_pool_grad_ref(*_P5), [(np.array([2, 4, 3, 5, 2], I32), arr((2, 2, 3, 3, 2)))], grad=True,
        dynamic=False),
    Row("MaxPoolWithArgmax", lambda tf, x: tf.nn.max_pool_with_argmax(x, *_P4), _argmax_ref(*_P4),
        [(X4,), (X4.astype(F32),), (arr((2, 5, 5, 3), I32, -50, 50),)], grad=True),
    Row("MaxPoolWithArgmax", lambda tf, x: tf.nn.max_pool_with_argmax(x, *_P4V, include_batch_in_index=True),
        _argmax_ref(*_P4V, with_batch=True), [(X4,)]),
    Row("MaxPoolGradWithArgmax", lambda tf, x, g: raw(tf, "MaxPoolGradWithArgmax", [
        x, g, tf.nn.max_pool_with_argmax(x, *_P4)[1]], {"ksize": _P4[0], "strides": _P4[1], "padding": _P4[2]}),
        _argmax_grad_ref(*_P4), [(X4, arr((2, 3, 3, 3))), (X4.astype(F32), arr((2, 3, 3, 3), F32))]),
]
ROWS += POOLING
GRAD_EXEMPT.update({  # no float64 kernels: their gradients are checked in float32 by tests/tf_recorded/cases_nn_pool.py
    "MaxPool3D": "float16/float32 only: tf_recorded nn_pool:pool3d_gradients",
    "MaxPool3DGrad": "float16/float32 only: tf_recorded nn_pool:pool3d_gradients (its own gradient: forward row)",
    "MaxPool3DGradGrad": "its gradient is MaxPool3DGrad, float16/float32 only",
    "FractionalMaxPool": "random regions: op_rows_custom._fractional_pools, tf_recorded nn_fractional",
    "FractionalAvgPool": "random regions: op_rows_custom._fractional_pools, tf_recorded nn_fractional",
})


# ----- convolutions (ops/conv.py) --------------------------------------------------------------------------
def _window_pads(n, k, s, d, padding):
    """TF's padding of one spatial dim: (before, after) for SAME / VALID / an explicit pair."""
    eff = (k - 1) * d + 1
    if padding == "VALID":
        return 0, 0
    if padding == "SAME":
        need = max(0, (-(-n // s) - 1) * s + eff - n)
        return need // 2, need - need // 2
    return tuple(padding)


def _conv_loops(x, w, strides, padding, dil, each):
    """Walks a direct (loop) NHWC convolution: each(out index, window slices, group channels) per position."""
    _, h, wd, c = x.shape
    kh, kw, cf, o = w.shape
    groups = c // cf
    og = o // groups
    pads = [_window_pads(n, k, s, d, p) for n, k, s, d, p in
            zip((h, wd), (kh, kw), strides, dil, padding if isinstance(padding, list) else [padding] * 2)]
    sizes = [(n + lo + hi - (k - 1) * d - 1) // s + 1 for n, (lo, hi), k, s, d in zip((h, wd), pads, (kh, kw),
                                                                                    strides, dil)]
    for i in range(sizes[0]):
        for j in range(sizes[1]):
            for g in range(groups):
                rows = slice(i * strides[0], i * strides[0] + (kh - 1) * dil[0] + 1, dil[0])
                cols = slice(j * strides[1], j * strides[1] + (kw - 1) * dil[1] + 1, dil[1])
                each((i, j), rows, cols, slice(g * cf, (g + 1) * cf), slice(g * og, (g + 1) * og))
    return pads, sizes


def _conv_ref(x, w, strides=(1, 1), padding="SAME", dil=(1, 1)):
    """A direct NHWC convolution in float64 (int64 for integers), cast back to x's dtype."""
    work = np.int64 if x.dtype.kind == "i" else np.float64
    pads = [_window_pads(n, k, s, d, p) for n, k, s, d, p in
            zip(x.shape[1:3], w.shape[:2], strides, dil, padding if isinstance(padding, list) else [padding] * 2)]
    xp = np.pad(x.astype(work), [(0, 0)] + pads + [(0, 0)])
    out = {}

    def each(at, rows, cols, cin, cout):
        out[at + (cout.start,)] = np.einsum("nhwc,hwco->no", xp[:, rows, cols, cin], w[..., cout].astype(work))
    _, sizes = _conv_loops(x, w, strides, padding, dil, each)
    y = np.zeros((x.shape[0], *sizes, w.shape[3]), work)
    og = w.shape[3] // (x.shape[3] // w.shape[2])
    for (i, j, start), v in out.items():
        y[:, i, j, start:start + og] = v
    return y.astype(x.dtype)


def _conv_input_ref(sizes, w, dy, strides=(1, 1), padding="SAME", dil=(1, 1)):
    x = np.zeros(sizes)
    pads = [_window_pads(n, k, s, d, p) for n, k, s, d, p in
            zip(x.shape[1:3], w.shape[:2], strides, dil, padding if isinstance(padding, list) else [padding] * 2)]
    dxp = np.pad(x, [(0, 0)] + pads + [(0, 0)])

    def each(at, rows, cols, cin, cout):
        dxp[:, rows, cols, cin] += np.einsum("no,hwco->nhwc", dy[:, at[0], at[1], cout], w[..., cout])
    _conv_loops(x, w, strides, padding, dil, each)
    return dxp[:, pads[0][0]:pads[0][0] + sizes[1], pads[1][0]:pads[1][0] + sizes[2]].astype(dy.dtype)


def _conv_filter_ref(x, fsizes, dy, strides=(1, 1), padding="SAME", dil=(1, 1)):
    w = np.zeros(fsizes)
    pads = [_window_pads(n, k, s, d, p) for n, k, s, d, p in
            zip(x.shape[1:3], w.shape[:2], strides, dil, padding if isinstance(padding, list) else [padding] * 2)]
    xp = np.pad(x.astype(np.float64), [(0, 0)] + pads + [(0, 0)])

    def each(at, rows, cols, cin, cout):
        w[..., cout] += np.einsum("nhwc,no->hwco", xp[:, rows, cols, cin], dy[:, at[0], at[1], cout])
    _conv_loops(x, w, strides, padding, dil, each)
    return w.astype(x.dtype)


def _nchw(f):
    """A reference for NHWC data applied to NCHW data (first argument and result transposed)."""
    return lambda x, *rest: np.transpose(f(np.transpose(x, (0, 2, 3, 1)), *rest), (0, 3, 1, 2))


_EXPLICIT = [[0, 0], [1, 2], [0, 1], [0, 0]]
CONV = [
    Row("Conv2D", lambda tf, x, w: tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME"), _conv_ref,
        [(arr((2, 5, 5, 3), d, -1, 1), arr((3, 3, 3, 4), d, -1, 1)) for d in (F64, F32, F16)] +
        [(arr((1, 4, 4, 2), I32, -3, 3), arr((2, 2, 2, 3), I32, -3, 3))], grad=True),
    Row("Conv2D", lambda tf, x, w: tf.nn.conv2d(x, w, [1, 2, 2, 1], "VALID"), lambda x, w: _conv_ref(x, w, (2, 2), "VALID"),
        [(arr((1, 7, 6, 2)), arr((3, 2, 2, 3))), (arr((2, 8, 8, 2), F32), arr((3, 3, 2, 5), F32))], grad=True),
    Row("Conv2D", lambda tf, x, w: tf.nn.conv2d(x, filters=w, strides=[1, 1, 2, 1], padding=_EXPLICIT, dilations=2),
        lambda x, w: _conv_ref(x, w, (1, 2), [[1, 2], [0, 1]], (2, 2)), [(arr((1, 6, 6, 2)), arr((2, 2, 2, 2)))],
        grad=True),
    Row("Conv2D", lambda tf, x, w: tf.nn.conv2d(x, w, [1, 1, 2, 2], "SAME", data_format="NCHW"),
        _nchw(lambda x, w: _conv_ref(x, w, (2, 2))), [(arr((1, 2, 5, 5)), arr((3, 3, 2, 3)))], grad=True),
    Row("Conv2D", lambda tf, x, w: tf.nn.conv2d(x, w, 1, "SAME"), _conv_ref,    # grouped: 2 groups of 2 channels
        [(arr((1, 4, 4, 4)), arr((2, 2, 2, 6)))], grad=True),
    Row("Conv2D", lambda tf, x, w: tf.nn.conv1d(x, w, 2, "SAME"),
        lambda x, w: _conv_ref(x[:, None], w[None], (1, 2))[:, 0], [(arr((2, 7, 3)), arr((3, 3, 4)))], grad=True),
    Row("Conv2DBackpropInput", lambda tf, w, dy: tf.nn.conv2d_backprop_input([2, 5, 5, 3], w, dy, [1, 2, 2, 1], "SAME"),
        lambda w, dy: _conv_input_ref((2, 5, 5, 3), w, dy, (2, 2)),
        [(arr((3, 3, 3, 4)), arr((2, 3, 3, 4))), (arr((3, 3, 3, 4), F32), arr((2, 3, 3, 4), F32))], grad=True),
    Row("Conv2DBackpropInput", lambda tf, x, w: tf.nn.conv2d_transpose(x, w, [1, 7, 6, 2], [1, 2, 2, 1], "VALID"),
        lambda x, w: _conv_input_ref((1, 7, 6, 2), w, x, (2, 2), "VALID"), [(arr((1, 3, 3, 3)), arr((3, 2, 2, 3)))],
        grad=True),
    Row("Conv2DBackpropInput", lambda tf, w, dy: tf.nn.conv2d_backprop_input(
        [1, 6, 6, 2], w, dy, [1, 1, 2, 1], _EXPLICIT, dilations=[1, 2, 2, 1]),
        lambda w, dy: _conv_input_ref((1, 6, 6, 2), w, dy, (1, 2), [[1, 2], [0, 1]], (2, 2)),
        [(arr((2, 2, 2, 2)), arr((1, 7, 3, 2)))], grad=True),
    Row("Conv2DBackpropFilter", lambda tf, x, dy: tf.nn.conv2d_backprop_filter(x, [3, 3, 3, 4], dy, [1, 2, 2, 1], "SAME"),
        lambda x, dy: _conv_filter_ref(x, (3, 3, 3, 4), dy, (2, 2)),
        [(arr((2, 5, 5, 3)), arr((2, 3, 3, 4))), (arr((2, 5, 5, 3), F32), arr((2, 3, 3, 4), F32))], grad=True),
    Row("Conv2DBackpropFilter", lambda tf, x, dy: tf.nn.conv2d_backprop_filter(x, [2, 2, 2, 6], dy, [1, 1, 1, 1], "VALID"),
        lambda x, dy: _conv_filter_ref(x, (2, 2, 2, 6), dy, padding="VALID"),   # grouped
        [(arr((1, 4, 4, 4)), arr((1, 3, 3, 6)))], grad=True),
    Row("ShapeN", lambda tf, x, y: raw(tf, "ShapeN", [[x, y]], {"N": 2, "out_type": tf.int32}),
        lambda x, y: [np.array(x.shape, I32), np.array(y.shape, I32)], [(arr((2, 3)), arr((4,))),
                                                                         (arr((1, 2, 2), I32), arr((3,), I32))]),
]
ROWS = ROWS + CONV

# ----- tf.debugging and tf.linalg ------------------------------------------------------------------------------
def _spd(tf, x):  # a symmetric positive definite matrix from any square x
    return tf.matmul(x, x, transpose_b=True) + 2.0 * np.eye(x.shape[-1] if x.shape[-1] is not None else 3)


def _spd_ref(x):
    return (x @ np.swapaxes(x, -1, -2) + 2.0 * np.eye(x.shape[-1])).astype(x.dtype)


def _well(x):  # diagonally dominant: invertible and well conditioned
    return (x + 4.0 * np.eye(x.shape[-1])).astype(x.dtype)


def _diag_ref(d, k=0):
    n = d.shape[-1] + abs(k)
    out = np.zeros(d.shape[:-1] + (n, n), d.dtype)
    idx = np.arange(d.shape[-1])
    out[..., idx + max(-k, 0), idx + max(k, 0)] = d
    return out


def _set_diag_ref(x, d):
    out = x.copy()
    idx = np.arange(d.shape[-1])
    out[..., idx, idx] = d
    return out


def _tri_ref(x, r, lower=True, adjoint=False):
    t = np.tril(x) if lower else np.triu(x)
    return np.linalg.solve(np.swapaxes(t, -1, -2) if adjoint else t, r)


SQ = ((3, 3), (2, 3, 3))
LONGTAIL = [
    Row("CheckNumerics", lambda tf, x: tf.check_numerics(x, "m"), lambda x: x, unary(), grad=True),
    Row("MatrixBandPart", lambda tf, x: tf.linalg.band_part(x, 1, 0), lambda x: np.tril(np.triu(x, -1)),
        [(arr(s, d),) for d in (F64, F32) for s in ((3, 3), (2, 3, 4))], grad=True),
    Row("MatrixBandPart", lambda tf, x: tf.matrix_band_part(x, -1, 1), lambda x: np.triu(x, -1) * 0 + np.tril(x, 1),
        [(arr((3, 4), I32),), (arr((4, 3)),)], grad=True),
    Row("MatrixDiagV3", lambda tf, d: tf.linalg.diag(d), _diag_ref, [(arr((3,)),), (arr((2, 3), F32),)], grad=True),
    Row("MatrixDiagV3", lambda tf, d: tf.linalg.diag(d, k=1), lambda d: _diag_ref(d, 1), [(arr((2, 3)),)], grad=True),
    Row("MatrixDiagPartV3", lambda tf, x: tf.linalg.diag_part(x), lambda x: np.diagonal(x, 0, -2, -1).copy(),
        [(arr((3, 3)),), (arr((2, 3, 4)),), (arr((4, 2), I32),)], grad=True),
    Row("MatrixDiagPartV3", lambda tf, x: tf.linalg.diag_part(x, k=-1), lambda x: np.diagonal(x, -1, -2, -1).copy(),
        [(arr((3, 3)),)], grad=True),
    Row("MatrixSetDiagV3", lambda tf, x, d: tf.linalg.set_diag(x, d), _set_diag_ref,
        [(arr((3, 3)), arr((3,))), (arr((2, 3, 4)), arr((2, 3))), (arr((2, 2), F32), arr((2,), F32))], grad=True),
    Row("MatrixInverse", lambda tf, x: tf.linalg.inv(x + 4.0 * np.eye(3)), lambda x: np.linalg.inv(_well(x)),
        [(arr(s),) for s in SQ] + [(arr((3, 3), F32),)], grad=True, grad_tol=1e-5, exact=True),
    Row("MatrixInverse", lambda tf, x: tf.matrix_inverse(x + 4.0 * np.eye(3), adjoint=True),
        lambda x: np.linalg.inv(np.swapaxes(_well(x), -1, -2)), [(arr((3, 3)),)], grad=True, grad_tol=1e-5),
    Row("MatrixDeterminant", lambda tf, x: tf.linalg.det(x + 4.0 * np.eye(3)), lambda x: np.linalg.det(_well(x)),
        [(arr(s),) for s in SQ] + [(arr((3, 3), F32),)], grad=True, grad_tol=1e-5),
    Row("LogMatrixDeterminant", lambda tf, x: list(tf.linalg.slogdet(x + 4.0 * np.eye(3))),
        lambda x: list(np.linalg.slogdet(_well(x))), [(arr(s),) for s in SQ], grad=True, grad_outputs=[1],
        grad_tol=1e-5),
    Row("Cholesky", lambda tf, x: tf.cholesky(_spd(tf, x)), lambda x: np.linalg.cholesky(_spd_ref(x)),
        [(arr(s),) for s in SQ] + [(arr((3, 3), F32),)], grad=True, grad_tol=1e-5),
    Row("MatrixSolve", lambda tf, x, r: tf.linalg.solve(x + 4.0 * np.eye(3), r),
        lambda x, r: np.linalg.solve(_well(x), r), [(arr((3, 3)), arr((3, 2))), (arr((2, 3, 3)), arr((2, 3, 1)))],
        grad=True, grad_tol=1e-5),
    Row("MatrixSolve", lambda tf, x, r: tf.matrix_solve(x + 4.0 * np.eye(3), r, adjoint=True),
        lambda x, r: np.linalg.solve(np.swapaxes(_well(x), -1, -2), r), [(arr((3, 3)), arr((3, 2)))], grad=True,
        grad_tol=1e-5),
    Row("MatrixTriangularSolve", lambda tf, x, r: tf.linalg.triangular_solve(x + 4.0 * np.eye(3), r),
        lambda x, r: _tri_ref(_well(x), r), [(arr((3, 3)), arr((3, 2))), (arr((2, 3, 3)), arr((2, 3, 2)))],
        grad=True, grad_tol=1e-5),
    Row("MatrixTriangularSolve", lambda tf, x, r: tf.matrix_triangular_solve(x + 4.0 * np.eye(3), r, lower=False,
                                                                               adjoint=True),
        lambda x, r: _tri_ref(_well(x), r, False, True), [(arr((3, 3)), arr((3, 2)))], grad=True, grad_tol=1e-5),
    Row("SelfAdjointEigV2", lambda tf, x: list(tf.linalg.eigh(_spd(tf, x))),
        lambda x: list(np.linalg.eigh(_spd_ref(x))), [(arr(s),) for s in SQ], grad=True, grad_outputs=[0],
        grad_tol=1e-5),
    Row("SelfAdjointEigV2", lambda tf, x: tf.linalg.eigvalsh(_spd(tf, x)), lambda x: np.linalg.eigvalsh(_spd_ref(x)),
        [(arr((3, 3)),)], grad=True, grad_tol=1e-5),
    Row("Diag", lambda tf, x: tf.diag(x), lambda x: np.diag(x.reshape(-1)).reshape(x.shape + x.shape),
        [(arr((3,)),), (arr((2, 2)),), (arr((2,), I32),)], grad=True),
    Row("DiagPart", lambda tf, x: tf.linalg.tensor_diag_part(x), lambda x: np.diagonal(x).copy(),
        [(arr((3, 3)),), (arr((2, 2), F32),)], grad=True),
    Row("DiagPart", lambda tf, x: tf.diag_part(tf.reshape(x, [2, 3, 2, 3])),
        lambda x: np.diagonal(x.reshape(6, 6)).reshape(2, 3), [(arr((6, 6)),)], grad=True),
    Row("Cross", lambda tf, a, b: tf.cross(a, b), np.cross,
        [(arr((3,)), arr((3,))), (arr((2, 3)), arr((2, 3))), (arr((2, 3), I32), arr((2, 3), I32))], grad=True),
    Row("Einsum", lambda tf, a, b: tf.einsum("ij,jk->ik", a, b), lambda a, b: a @ b,
        [(arr((2, 3)), arr((3, 4))), (arr((2, 3), F32), arr((3, 2), F32))], grad=True),
    Row("Einsum", lambda tf, a, b: tf.linalg.einsum("bij,bkj", a, b), lambda a, b: np.einsum("bij,bkj", a, b),
        [(arr((2, 2, 3)), arr((2, 4, 3)))], grad=True),
    Row("Einsum", lambda tf, a, b: tf.einsum("ij,k->i", a, b), lambda a, b: np.einsum("ij,k->i", a, b),
        [(arr((2, 3)), arr((4,)))], grad=True),
    Row("Qr", lambda tf, x: list(tf.linalg.qr(x)), lambda x: list(np.linalg.qr(x)),
        [(arr((3, 3)),), (arr((4, 3)),), (arr((2, 4, 3)),), (arr((3, 5)),), (arr((3, 3), F32),)], grad=True,
        grad_tol=1e-5),
    Row("Qr", lambda tf, x: list(tf.qr(x, full_matrices=True)), lambda x: list(np.linalg.qr(x, mode="complete")),
        [(arr((3, 3)),), (arr((2, 3)),)], grad=True, grad_tol=1e-5),
    Row("Einsum", lambda tf, a: tf.einsum("ijk->kj", a), lambda a: np.einsum("ijk->kj", a), [(arr((2, 3, 4)),)],
        grad=True),
]
ROWS = ROWS + LONGTAIL

# ----- fused batch norm, top_k, LRN, space/depth moves, more convolutions (ops/normalization.py, nn.py, conv.py) ----
def _bn_ref(x, scale, offset, mean=None, var=None, eps=1e-3, training=True):
    """y, mean, var of FusedBatchNormV3 (NHWC); the variance output is Bessel-corrected when training."""
    if training:
        n = x.size // x.shape[-1]
        mean, var = x.mean((0, 1, 2)), x.var((0, 1, 2))
        return [((x - mean) / np.sqrt(var + eps) * scale + offset).astype(x.dtype), mean, var * n / (n - 1)]
    return [((x - mean) / np.sqrt(var + eps) * scale + offset).astype(x.dtype), mean, var]


def _bn_grad_ref(dy, x, scale, mean, var, eps=1e-3):
    n = x.size // x.shape[-1]
    inv = 1 / np.sqrt(var + eps)
    xhat = (x - mean) * inv
    d_off, d_scale = dy.sum((0, 1, 2)), (dy * xhat).sum((0, 1, 2))
    return [(scale * inv * (dy - d_off / n - xhat * d_scale / n)).astype(dy.dtype), d_scale, d_off]


_BN = (arr((2, 3, 2, 3), F32), arr((3,), F32, 0.5, 1.5), arr((3,), F32))
_BN_POP = _BN + (arr((3,), F32), arr((3,), F32, 0.5, 2.0))
NNREST = [
    Row("FusedBatchNormV3", lambda tf, x, s, o: list(tf.nn.fused_batch_norm(x, s, o)), _bn_ref, [_BN], exact=True),
    Row("FusedBatchNormV3", lambda tf, x, s, o, m, v: list(tf.nn.fused_batch_norm(x, s, o, m, v, is_training=False)),
        lambda *a: _bn_ref(*a, training=False), [_BN_POP]),
    Row("FusedBatchNormGradV3", lambda tf, dy, x, s, m, v: raw(tf, "FusedBatchNormGradV3", [
        dy, x, s, m, v, tf.zeros([0])], {"epsilon": 1e-3, "data_format": "NHWC", "is_training": True})[:3],
        _bn_grad_ref, [(arr((2, 3, 2, 3), F32), _BN[0], _BN[1], _BN[0].mean((0, 1, 2)), _BN[0].var((0, 1, 2)))]),
]


def _top_k_ref(x, k):
    order = np.argsort(-x, axis=-1, kind="stable")[..., :k]
    return [np.take_along_axis(x, order, -1), order.astype(I32)]


def _lrn_ref(x, r=2, bias=1.0, alpha=0.5, beta=0.75):
    sq = np.pad(np.square(x.astype(F64)), [(0, 0)] * 3 + [(r, r)])
    norm = bias + alpha * sum(sq[..., i:i + x.shape[-1]] for i in range(2 * r + 1))
    return (x / norm ** beta).astype(x.dtype)


def _s2d_ref(x, b=2):
    n, h, w, c = x.shape
    return x.reshape(n, h // b, b, w // b, b, c).transpose(0, 1, 3, 2, 4, 5).reshape(n, h // b, w // b, b * b * c)


def _d2s_ref(x, b=2):
    n, h, w, c = x.shape
    return x.reshape(n, h, w, b, b, c // 4).transpose(0, 1, 3, 2, 4, 5).reshape(n, h * b, w * b, c // 4)


def _s2b_ref(x):   # block [2, 2], paddings [[1, 1], [0, 0]], by the definition's loops
    xp = np.pad(x, [(0, 0), (1, 1), (0, 0), (0, 0)])
    n, h, w, c = xp.shape
    out = np.zeros((4 * n, h // 2, w // 2, c), x.dtype)
    for i in range(2):
        for j in range(2):
            out[(i * 2 + j) * n:(i * 2 + j + 1) * n] = xp[:, i::2, j::2]
    return out


def _b2s_ref(x):   # block [2, 2], crops [[1, 1], [0, 0]]
    n = x.shape[0] // 4
    out = np.zeros((n, x.shape[1] * 2, x.shape[2] * 2, x.shape[3]), x.dtype)
    for i in range(2):
        for j in range(2):
            out[:, i::2, j::2] = x[(i * 2 + j) * n:(i * 2 + j + 1) * n]
    return out[:, 1:-1]


_LRN_ATTRS = {"depth_radius": 2, "bias": 1.0, "alpha": 0.5, "beta": 0.75}
NNREST += [
    Row("TopKV2", lambda tf, x: list(tf.nn.top_k(x, 3)), lambda x: _top_k_ref(x, 3),
        [(arr((2, 5)),), (arr((4,), F32),), (arr((2, 2, 6), I32, -9, 9),)], grad=True, grad_outputs=[0]),
    Row("InTopKV2", lambda tf, p, t: tf.nn.in_top_k(p, t, 2),
        lambda p, t: (p > p[np.arange(len(t)), t][:, None]).sum(1) < 2,
        [(arr((4, 5), F32), np.array([0, 3, 1, 4], I32)), (arr((3, 3), F32), np.array([2, 0, 1], np.int64))]),
    Row("LRN", lambda tf, x: tf.nn.lrn(x, 2, 1.0, 0.5, 0.75), _lrn_ref, [(arr((2, 2, 3, 6), F32),)]),
    Row("LRNGrad", lambda tf, g, x: raw(tf, "LRNGrad", [g, x, tf.nn.lrn(x, 2, 1.0, 0.5, 0.75)], _LRN_ATTRS),
        lambda g, x: _lrn_grad_ref(g, x), [(arr((1, 2, 2, 5), F32), arr((1, 2, 2, 5), F32))]),
    Row("SpaceToDepth", lambda tf, x: tf.space_to_depth(x, 2), _s2d_ref, [(arr((2, 4, 6, 3)),), (arr((1, 2, 2, 1), I32),)],
        grad=True),
    Row("DepthToSpace", lambda tf, x: tf.nn.depth_to_space(x, 2), _d2s_ref, [(arr((2, 2, 3, 8)),)], grad=True),
    Row("SpaceToBatchND", lambda tf, x: tf.space_to_batch_nd(x, [2, 2], [[1, 1], [0, 0]]), _s2b_ref,
        [(arr((2, 4, 6, 3)),), (arr((1, 2, 2, 1), I32),)], grad=True),
    Row("BatchToSpaceND", lambda tf, x: tf.batch_to_space_nd(x, [2, 2], [[1, 1], [0, 0]]), _b2s_ref,
        [(arr((8, 2, 3, 2)),)], grad=True),
]

NNREST += [
    Row("DepthwiseConv2dNative", lambda tf, x, w: tf.nn.depthwise_conv2d_native(x, w, [1, 1, 1, 1], "SAME"),
        lambda x, w: _conv_ref(x, w.reshape(w.shape[0], w.shape[1], 1, -1)),
        [(arr((2, 5, 5, 3)), arr((3, 3, 3, 2))), (arr((1, 4, 4, 2), F32), arr((2, 2, 2, 1), F32))], grad=True),
    Row("DepthwiseConv2dNative", lambda tf, x, w: tf.nn.depthwise_conv2d(x, w, [1, 2, 2, 1], "VALID"),
        lambda x, w: _conv_ref(x, w.reshape(3, 2, 1, -1), (2, 2), "VALID"), [(arr((1, 7, 6, 2)), arr((3, 2, 2, 3)))],
        grad=True),
    Row("DepthwiseConv2dNativeBackpropInput", lambda tf, w, dy: tf.nn.depthwise_conv2d_native_backprop_input(
        [2, 5, 5, 3], w, dy, [1, 2, 2, 1], "SAME"),
        lambda w, dy: _conv_input_ref((2, 5, 5, 3), w.reshape(3, 3, 1, 6), dy, (2, 2)),
        [(arr((3, 3, 3, 2)), arr((2, 3, 3, 6)))], grad=True),
    Row("DepthwiseConv2dNativeBackpropFilter", lambda tf, x, dy: tf.nn.depthwise_conv2d_native_backprop_filter(
        x, [3, 3, 3, 2], dy, [1, 2, 2, 1], "SAME"),
        lambda x, dy: _conv_filter_ref(x, (3, 3, 1, 6), dy, (2, 2)).reshape(3, 3, 3, 2),
        [(arr((2, 5, 5, 3)), arr((2, 3, 3, 6)))], grad=True),
]


def _conv3d_ref(x, w, strides=(1, 1, 1), padding="SAME"):
    """A direct NDHWC 3-D convolution (loops over output positions: small test inputs only)."""
    pads = [_window_pads(n, k, s, 1, padding) for n, k, s in zip(x.shape[1:4], w.shape[:3], strides)]
    xp = np.pad(x.astype(F64), [(0, 0)] + pads + [(0, 0)])
    out = [(n - k) // s + 1 for n, k, s in zip(xp.shape[1:4], w.shape[:3], strides)]
    y = np.zeros([x.shape[0]] + out + [w.shape[-1]])
    for i, j, k in np.ndindex(*out):
        win = xp[:, i * strides[0]:i * strides[0] + w.shape[0], j * strides[1]:j * strides[1] + w.shape[1],
                 k * strides[2]:k * strides[2] + w.shape[2]]
        y[:, i, j, k] = np.einsum("ndhwc,dhwco->no", win, w)
    return y.astype(x.dtype)


def _conv3d_vjp(x, w, dy, strides, padding, wrt):
    """The input or filter gradient of _conv3d_ref: its transpose, by linearity (one basis vector at a time)."""
    target = x if wrt == "input" else w
    out = np.zeros(target.shape)
    for idx in np.ndindex(*target.shape):
        e = np.zeros(target.shape)
        e[idx] = 1.0
        y = _conv3d_ref(e, w, strides, padding) if wrt == "input" else _conv3d_ref(x, e, strides, padding)
        out[idx] = np.sum(y * dy)
    return out.astype(dy.dtype)


NNREST += [
    Row("Conv3D", lambda tf, x, w: tf.nn.conv3d(x, w, [1, 1, 1, 1, 1], "SAME"), _conv3d_ref,
        [(arr((1, 3, 4, 3, 2)), arr((2, 3, 2, 2, 2))), (arr((2, 3, 3, 3, 1), F32), arr((2, 2, 2, 1, 3), F32))],
        grad=True),
    Row("Conv3D", lambda tf, x, w: tf.nn.conv3d(x, w, [1, 2, 1, 2, 1], "VALID"),
        lambda x, w: _conv3d_ref(x, w, (2, 1, 2), "VALID"), [(arr((1, 4, 3, 5, 2)), arr((2, 2, 3, 2, 2)))], grad=True),
    Row("Conv3DBackpropInputV2", lambda tf, w, dy: tf.nn.conv3d_transpose(dy, w, [1, 4, 3, 5, 2], [1, 2, 1, 2, 1],
                                                                          "VALID"),
        lambda w, dy: _conv3d_vjp(np.zeros((1, 4, 3, 5, 2)), w, dy, (2, 1, 2), "VALID", "input"),
        [(arr((2, 2, 3, 2, 2)), arr((1, 2, 2, 2, 2)))], grad=True),
    Row("Conv3DBackpropFilterV2", lambda tf, x, dy: tf.nn.conv3d_backprop_filter_v2(
        x, [2, 2, 3, 2, 2], dy, [1, 2, 1, 2, 1], "VALID"),
        lambda x, dy: _conv3d_vjp(x, np.zeros((2, 2, 3, 2, 2)), dy, (2, 1, 2), "VALID", "filter"),
        [(arr((1, 4, 3, 5, 2)), arr((1, 2, 2, 2, 2)))], grad=True),
]


def _lrn_grad_ref(g, x, r=2, bias=1.0, alpha=0.5, beta=0.75):
    """Central differences of sum(g * lrn(x)), element by element (small inputs only)."""
    x64, out, eps = x.astype(F64), np.zeros(x.shape), 1e-5
    for idx in np.ndindex(x.shape):
        hi, lo = x64.copy(), x64.copy()
        hi[idx] += eps
        lo[idx] -= eps
        out[idx] = (np.sum(g * _lrn_ref(hi, r, bias, alpha, beta)) - np.sum(g * _lrn_ref(lo, r, bias, alpha, beta))) / (2 * eps)
    return out.astype(x.dtype)


ROWS = ROWS + NNREST
GRAD_EXEMPT.update({
    "LRN": "float16/float32 only: tf_recorded nn_rest:lrn_and_gradients",
    "FusedBatchNormV3": "float16/float32 only: tf_recorded nn_rest:fused_batch_norm_gradients",
    "FusedBatchNormGradV3": "float16/float32 only: tf_recorded nn_rest:fused_batch_norm_gradients (second order)",
})

def _cumsum_ref(x, axis, exclusive=False, reverse=False):
    x = np.flip(x, axis) if reverse else x
    out = np.cumsum(x, axis=axis, dtype=x.dtype)
    if exclusive:
        out = np.concatenate([np.zeros_like(np.take(out, [0], axis)), np.delete(out, -1, axis)], axis)
    return np.flip(out, axis) if reverse else out


def _scatter_nd_ref(i, u, shape):
    out = np.zeros(shape, u.dtype)
    np.add.at(out, tuple(np.moveaxis(i, -1, 0)), u)
    return out


# ----- rows for metrics' ops: running sums, diagonals, scatter/gather by index tuples ----------------------------
METRIC_OPS = [
    Row("Cumsum", lambda tf, x: tf.cumsum(x, 1), lambda x: _cumsum_ref(x, 1), unary(NUMERIC, ((2, 3), (1, 4))),
        grad=True),
    Row("Cumsum", lambda tf, x: tf.cumsum(x, exclusive=True, reverse=True), lambda x: _cumsum_ref(x, 0, True, True),
        unary((F64, I64), ((4,), (3, 2))), grad=True),
    Row("Diag", lambda tf, x: tf.diag(x), lambda x: np.diag(x.ravel()).reshape(x.shape * 2),
        unary((F32, F64, I32), ((3,), (2, 2))), grad=True),
    Row("DiagPart", lambda tf, x: tf.diag_part(x), lambda x: np.diagonal(x),
        unary((F32, F64, I64), ((3, 3),)), grad=True),
    Row("DiagPart", lambda tf, x: tf.diag_part(x), lambda x: np.diagonal(x.reshape(4, 4)).reshape(2, 2),
        unary((F64,), ((2, 2, 2, 2),)), grad=True),
    Row("ScatterNd", lambda tf, i, u: tf.scatter_nd(i, u, [3, 2]), lambda i, u: _scatter_nd_ref(i, u, (3, 2)),
        [(np.array([[0, 1], [2, 0], [0, 1]], I32), arr((3,), d)) for d in (F64, I32)], grad=True),
    Row("ScatterNd", lambda tf, i, u: tf.scatter_nd(i, u, np.array([3, 2], I64)),
        lambda i, u: _scatter_nd_ref(i, u, (3, 2)), [(np.array([[2], [0]], I64), arr((2, 2)))], grad=True),
    Row("GatherNd", lambda tf, p, i: tf.gather_nd(p, i), lambda p, i: p[tuple(np.moveaxis(i, -1, 0))],
        [(arr((3, 2), d), np.array([[1, 0], [2, 1]], I32)) for d in (F64, I32)] +
        [(arr((3, 2, 2)), np.array([[[2], [0]]], I64))], grad=True),
]


def _set_ref(op):
    def ref(a, b):
        rows = [sorted(op(set(x.tolist()), set(y.tolist()))) for x, y in zip(a, b)]
        idx = [[i, j] for i, r in enumerate(rows) for j in range(len(r))]
        return [np.array(idx, I64).reshape(-1, 2), np.array([v for r in rows for v in r], a.dtype),
                np.array([len(rows), max(map(len, rows))], I64)]
    return ref


SETS = np.array([[1, 2, -1, 2], [3, 4, 5, 6]]), np.array([[2, -1], [7, 3]])
METRIC_OPS += [
    Row("DenseToDenseSetOperation", lambda tf, a, b: list(raw(tf, "DenseToDenseSetOperation", [a, b],
                                                              {"set_operation": "intersection"})),
        _set_ref(lambda x, y: x & y), [(SETS[0].astype(d), SETS[1].astype(d)) for d in (I32, I64)], exact=False),
    Row("DenseToDenseSetOperation", lambda tf, a, b: list(raw(tf, "DenseToDenseSetOperation", [a, b],
                                                              {"set_operation": "a-b"})),
        _set_ref(lambda x, y: x - y), [(SETS[0].astype(I64), SETS[1].astype(I64))], exact=False),
    Row("SetSize", lambda tf, a, b: raw(tf, "SetSize", list(raw(tf, "DenseToDenseSetOperation", [a, b],
                                                                    {"set_operation": "union"}))),
        lambda a, b: np.array([len(set(x) | set(y)) for x, y in zip(a.tolist(), b.tolist())], I32),
        [(SETS[0].astype(I64), SETS[1].astype(I64))], exact=False),
]


def _sparse_sets(tf, a, b, operation):
    """SparseToSparseSetOperation over the sparse forms of a and b (each one's intersection with itself)."""
    dense = [raw(tf, "DenseToDenseSetOperation", [x, x], {"set_operation": "intersection"}) for x in (a, b)]
    return list(raw(tf, "SparseToSparseSetOperation", list(dense[0]) + list(dense[1]), {"set_operation": operation}))


METRIC_OPS += [
    Row("SparseToSparseSetOperation", lambda tf, a, b: _sparse_sets(tf, a, b, "intersection"),
        _set_ref(lambda x, y: x & y), [(SETS[0].astype(d), SETS[1].astype(d)) for d in (I32, I64)], exact=False,
        dynamic=False),
    Row("SparseToSparseSetOperation", lambda tf, a, b: _sparse_sets(tf, a, b, "b-a"),
        _set_ref(lambda x, y: y - x), [(SETS[0].astype(I64), SETS[1].astype(I64))], exact=False, dynamic=False),
]
ROWS = ROWS + METRIC_OPS


def _resize_ref(kind, size, align_corners=False, half_pixel=False):
    """A loop-per-pixel reference for ResizeBilinear / ResizeNearestNeighbor (TF1's sampling rules)."""
    def ref(x):
        x = x if kind == "nearest" else x.astype(F32)  # TF interpolates in float32
        n_in, out = x.shape[1:3], np.zeros((x.shape[0],) + tuple(size) + (x.shape[3],), x.dtype)
        scale = [np.float32((i - 1) / (o - 1)) if align_corners and o > 1 else np.float32(i / o)
                 for i, o in zip(n_in, size)]
        for y in range(size[0]):
            for z in range(size[1]):
                if kind == "nearest":
                    p = [(v + 0.5) * s if half_pixel else v * s for v, s in zip((y, z), scale)]
                    p = [min(int(np.floor(q + 0.5) if align_corners else np.floor(q)), i - 1) for q, i in zip(p, n_in)]
                    out[:, y, z] = x[:, max(p[0], 0), max(p[1], 0)]
                    continue
                p = [(v + 0.5) * s - 0.5 if half_pixel else v * s for v, s in zip((y, z), scale)]
                lo = [max(int(np.floor(q)), 0) for q in p]
                hi = [min(int(np.ceil(q)), i - 1) for q, i in zip(p, n_in)]
                fy, fz = [q - np.floor(q) for q in p]
                top = x[:, lo[0], lo[1]] + (x[:, lo[0], hi[1]] - x[:, lo[0], lo[1]]) * fz
                bottom = x[:, hi[0], lo[1]] + (x[:, hi[0], hi[1]] - x[:, hi[0], lo[1]]) * fz
                out[:, y, z] = top + (bottom - top) * fy
        return out.astype(np.float32 if kind == "bilinear" else x.dtype)
    return ref


IMAGES = arr((2, 4, 5, 2))
IMAGE_OPS = [
    Row("ResizeBilinear", lambda tf, x: tf.image.resize_bilinear(x, [3, 7]), _resize_ref("bilinear", (3, 7)),
        [(IMAGES,), (IMAGES.astype(F32),), (arr((1, 3, 3, 1), U8, 0, 255),)]),
    # its output is float32 whatever the input: a cast to float64 lets the gradient check see it
    Row("ResizeBilinear", lambda tf, x: tf.cast(tf.image.resize_bilinear(x, [3, 7]), tf.float64),
        lambda x: _resize_ref("bilinear", (3, 7))(x).astype(F64), [(IMAGES,)], grad=True, grad_step=0.1, grad_tol=1e-5),
    Row("ResizeBilinear", lambda tf, x: tf.cast(tf.image.resize_bilinear(x, [6, 2], align_corners=True), tf.float64),
        lambda x: _resize_ref("bilinear", (6, 2), align_corners=True)(x).astype(F64), [(IMAGES,)], grad=True,
        grad_step=0.1, grad_tol=1e-5),
    Row("ResizeBilinear", lambda tf, x: tf.cast(tf.image.resize_bilinear(x, [5, 3], half_pixel_centers=True),
                                                tf.float64),
        lambda x: _resize_ref("bilinear", (5, 3), half_pixel=True)(x).astype(F64), [(IMAGES,)], grad=True,
        grad_step=0.1, grad_tol=1e-5),
    Row("ResizeNearestNeighbor", lambda tf, x: tf.image.resize_nearest_neighbor(x, [3, 8]),
        _resize_ref("nearest", (3, 8)), [(IMAGES,), (arr((1, 3, 3, 2), I32),)], grad=True),
    Row("ResizeNearestNeighbor", lambda tf, x: tf.image.resize_nearest_neighbor(x, [7, 3], align_corners=True),
        _resize_ref("nearest", (7, 3), align_corners=True), [(IMAGES,)], grad=True),
    Row("ResizeNearestNeighbor", lambda tf, x: tf.image.resize_nearest_neighbor(x, [3, 4], half_pixel_centers=True),
        _resize_ref("nearest", (3, 4), half_pixel=True), [(IMAGES,)], grad=True),
    Row("ResizeBilinearGrad", lambda tf, g, x: raw(tf, "ResizeBilinearGrad", [g, x], {"align_corners": False,
                                                                                     "half_pixel_centers": False}),
        lambda g, x: _bilinear_grad_ref(g, x.shape).astype(x.dtype),
        [(np.arange(4, dtype=F32).reshape(1, 2, 2, 1), arr((1, 2, 2, 1)))]),
    Row("ResizeNearestNeighborGrad", lambda tf, g: raw(tf, "ResizeNearestNeighborGrad", [g, [2, 3]],
                                                       {"align_corners": False, "half_pixel_centers": False}),
        lambda g: _nearest_grad_ref(g, (2, 3)), [(arr((1, 4, 5, 2)),), (arr((2, 1, 2, 1), F32),)]),
    Row("ClipByValue", lambda tf, t, lo, hi: raw(tf, "ClipByValue", [t, lo, hi]),
        lambda t, lo, hi: np.minimum(np.maximum(t, lo), hi).astype(t.dtype),
        [(arr((2, 3), d), np.array(-1, d), np.array(1, d)) for d in (F64, I32)] +
        [(M23, M23 - 0.25, np.full((2, 3), 0.75))], grad=True),
]


def _bilinear_grad_ref(g, shape):
    """The gradient of bilinear resizing to g's size, as the transpose of the resize (by basis vectors)."""
    ref, out = _resize_ref("bilinear", g.shape[1:3]), np.zeros(shape)
    for i in np.ndindex(*shape):
        e = np.zeros(shape)
        e[i] = 1.0
        out[i] = np.sum(ref(e) * g)
    return out


def _nearest_grad_ref(g, size):
    ref = _resize_ref("nearest", g.shape[1:3])
    shape, out = (g.shape[0],) + size + (g.shape[3],), None
    out = np.zeros(shape)
    for i in np.ndindex(*shape):
        e = np.zeros(shape)
        e[i] = 1.0
        out[i] = np.sum(ref(e) * g)
    return out.astype(g.dtype)


ROWS = ROWS + IMAGE_OPS


# ----- sparse tensors (ops/sparse_*.py, ops/segments.py): indices fixed, values and dense operands the inputs -----
_SI = np.array([[0, 1], [1, 0], [1, 2], [2, 3]], I64)  # sorted entries of a [3, 4] sparse tensor
_SHAPE = np.array([3, 4], I64)


def _dense(idx, v, shape, fill=0):
    out = np.full(shape, fill, v.dtype)
    out[tuple(np.asarray(idx).T)] = v
    return out


def _sorted_union(ai, av, bi, bv, fn):
    table = {}
    for k, x in zip(map(tuple, ai), av):
        table[k] = [x, 0]
    for k, x in zip(map(tuple, bi), bv):
        table.setdefault(k, [0, 0])[1] = x
    keys = sorted(table)
    return [np.array(keys, I64), np.array([fn(*table[k]) for k in keys], av.dtype)]


def _fill_ref(v, d):
    idx = np.array([[0, 1], [2, 3], [2, 0], [0, 0]], I64)[:3]
    order = [0, 1, 2]  # rows 0, 2, 2 (input order within a row); rows 1 and 3 get the default
    out_idx = np.array([[0, 1], [1, 0], [2, 3], [2, 0], [3, 0]], I64)
    out_val = np.array([v[0], d, v[1], v[2], d], v.dtype)
    return [out_idx, out_val, np.array([False, True, False, True]), np.array([0, 2, 3], I64)] if order else idx


def _split_ref(v):
    left, right = _SI[:, 1] < 2, _SI[:, 1] >= 2
    return [_SI[left], _SI[right] - [0, 2], v[left], v[right], np.array([3, 2], I64), np.array([3, 2], I64)]


def _reduce_groups(v, fn, axis):
    groups = {}
    for k, x in zip(map(tuple, _SI), v):
        key = tuple(0 if d == axis else c for d, c in enumerate(k))
        groups[key] = fn(groups[key], x) if key in groups else x
    return groups


def _softmax_rows(idx, v):
    out = np.zeros_like(v)
    for r in set(map(tuple, idx[:, :-1])):
        m = np.all(idx[:, :-1] == r, axis=1)
        out[m] = np.exp(v[m] - v[m].max()) / np.exp(v[m] - v[m].max()).sum()
    return out


def _segment_ref(d, indices, ids, norm):
    n = ids[-1] + 1
    out = np.zeros((n,) + d.shape[1:], d.dtype)
    for i, s in zip(indices, ids):
        out[s] += d[i]
    counts = np.bincount(ids, minlength=n)
    scale = {"sum": np.ones(n), "mean": 1 / np.maximum(counts, 1), "sqrtn": 1 / np.sqrt(np.maximum(counts, 1))}[norm]
    return (out * scale.reshape((-1,) + (1,) * (d.ndim - 1))).astype(d.dtype)


def _segment_grad_ref(g, norm, v2):
    indices, ids = np.array([0, 2, 2]), np.array([0, 0, 1])
    counts = np.bincount(ids)
    scale = {"Sum": np.ones(2), "Mean": 1 / counts, "SqrtN": 1 / np.sqrt(counts)}[norm]
    out = np.zeros((3,) + g.shape[1:], g.dtype)
    for i, s in zip(indices, ids):
        out[i] += g[s] * scale[s]
    return [out[[0, 2]], np.array([0, 2], I32)] if v2 else out


_SA, _SB = np.array([[0, 1], [1, 2]], I64), np.array([[0, 1], [2, 0]], I64)
_UNSORTED = np.array([[2, 3], [0, 1], [1, 2], [1, 0]], I64)
SPARSE_OPS = [
    Row("SparseTensorDenseMatMul", lambda tf, v, b: raw(tf, "SparseTensorDenseMatMul", [_SI, v, _SHAPE, b],
                                                        {"adjoint_a": False, "adjoint_b": False}),
        lambda v, b: _dense(_SI, v, (3, 4)) @ b, [(arr((4,)), arr((4, 2))), (arr((4,), F32), arr((4, 3), F32))],
        grad=True),
    Row("SparseReorder", lambda tf, v: raw(tf, "SparseReorder", [_UNSORTED, v, _SHAPE]),
        lambda v: [_UNSORTED[np.lexsort(_UNSORTED.T[::-1])], v[np.lexsort(_UNSORTED.T[::-1])]],
        [(arr((4,)),), (arr((4,), I32),)], grad=True),
    Row("SparseReshape", lambda tf, s: raw(tf, "SparseReshape", [_SI, _SHAPE, s]),
        lambda s: [np.stack(np.unravel_index(np.ravel_multi_index(tuple(_SI.T), (3, 4)), (2, 6)), 1).astype(I64),
                   np.array([2, 6], I64)], [(np.array([2, -1], I64),), (np.array([2, 6], I64),)], exact=False),
    Row("SparseAdd", lambda tf, a, b: raw(tf, "SparseAdd", [_SA, a, _SHAPE, _SB, b, _SHAPE, 0.0]),
        lambda a, b: [np.array([[0, 1], [1, 2], [2, 0]], I64), np.array([a[0] + b[0], a[1], b[1]], a.dtype), _SHAPE],
        [(arr((2,)), arr((2,))), (arr((2,), F32), arr((2,), F32))], grad=True, exact=False),
    Row("SparseAddGrad", lambda tf, g: raw(tf, "SparseAddGrad", [g, _SA, _SB, [[0, 1], [1, 2], [2, 0]]]),
        lambda g: [g[[0, 1]], g[[0, 2]]], [(arr((3,)),), (arr((3,), F32),)]),
    Row("SparseTensorDenseAdd", lambda tf, v, d: raw(tf, "SparseTensorDenseAdd", [_SI, v, _SHAPE, d]),
        lambda v, d: d + _dense(_SI, v, (3, 4)), [(arr((4,)), arr((3, 4))), (arr((4,), I32), arr((3, 4), I32))],
        grad=True),
    Row("SparseSlice", lambda tf, v: raw(tf, "SparseSlice", [_SI, v, _SHAPE, [1, 0], [2, 3]]),
        lambda v: [np.array([[0, 0], [0, 2]], I64), v[[1, 2]], np.array([2, 3], I64)],
        [(arr((4,)),), (arr((4,), I32),)], grad=True, exact=False),
    Row("SparseSliceGrad", lambda tf, g: raw(tf, "SparseSliceGrad", [g, _SI, [1, 0], [[0, 0], [0, 2]]]),
        lambda g: np.array([0, g[0], g[1], 0], g.dtype), [(arr((2,)),), (arr((2,), F32),)]),
    Row("SparseConcat", lambda tf, a, b: raw(tf, "SparseConcat", [[_SA, _SB], [a, b], [[3, 4], [3, 2]]],
                                             {"N": 2, "concat_dim": 1}),
        lambda a, b: [np.array([[0, 1], [0, 5], [1, 2], [2, 4]], I64), np.array([a[0], b[0], a[1], b[1]], a.dtype),
                      np.array([3, 6], I64)], [(arr((2,)), arr((2,))), (arr((2,), I32), arr((2,), I32))],
        exact=False),
    Row("SparseSplit", lambda tf, v: raw(tf, "SparseSplit", [1, _SI, v, _SHAPE], {"num_split": 2}), _split_ref,
        [(arr((4,)),), (arr((4,), F32),)], exact=False),
    Row("SparseFillEmptyRows", lambda tf, v, d: raw(tf, "SparseFillEmptyRows", [[[0, 1], [2, 3], [2, 0]], v,
                                                                               [4, 4], d]),
        _fill_ref, [(arr((3,)), np.array(0.5)), (arr((3,), I32), np.array(7, I32))], grad=True, exact=False),
    Row("SparseFillEmptyRowsGrad", lambda tf, g: raw(tf, "SparseFillEmptyRowsGrad", [[0, 2, 3], g]),
        lambda g: [g[[0, 2, 3]], np.array(g[1] + g[4], g.dtype)], [(arr((5,)),), (arr((5,), F32),)]),
    Row("SparseReduceSum", lambda tf, v: raw(tf, "SparseReduceSum", [_SI, v, _SHAPE, [1]], {"keep_dims": False}),
        lambda v: _dense(_SI, v, (3, 4)).sum(1).astype(v.dtype), [(arr((4,)),), (arr((4,), I32),)], grad=True),
    Row("SparseReduceMax", lambda tf, v: raw(tf, "SparseReduceMax", [_SI, v, _SHAPE, [0]], {"keep_dims": True}),
        lambda v: np.array([[v[1], v[0], v[2], v[3]]], v.dtype), [(arr((4,)),), (arr((4,), I32),)]),
    Row("SparseReduceSumSparse", lambda tf, v: raw(tf, "SparseReduceSumSparse", [_SI, v, _SHAPE, [1]],
                                                   {"keep_dims": False}),
        lambda v: [np.array([[0], [1], [2]], I64), np.array([v[0], v[1] + v[2], v[3]], v.dtype), np.array([3], I64)],
        [(arr((4,)),), (arr((4,), I32),)], exact=False),
    Row("SparseReduceMaxSparse", lambda tf, v: raw(tf, "SparseReduceMaxSparse", [_SI, v, _SHAPE, [1]],
                                                   {"keep_dims": True}),
        lambda v: [np.array([[0, 0], [1, 0], [2, 0]], I64), np.array([v[0], max(v[1], v[2]), v[3]], v.dtype),
                   np.array([3, 1], I64)], [(arr((4,)),), (arr((4,), I32),)], exact=False),
    Row("SparseSoftmax", lambda tf, v: raw(tf, "SparseSoftmax", [_SI, v, _SHAPE]), lambda v: _softmax_rows(_SI, v),
        [(arr((4,)),), (arr((4,), F32),)], grad=True),
    Row("SparseSparseMaximum", lambda tf, a, b: raw(tf, "SparseSparseMaximum", [_SA, a, _SHAPE, _SB, b, _SHAPE]),
        lambda a, b: _sorted_union(_SA, a, _SB, b, max), [(arr((2,)), arr((2,))), (arr((2,), I32), arr((2,), I32))],
        exact=False),
    Row("SparseSparseMinimum", lambda tf, a, b: raw(tf, "SparseSparseMinimum", [_SA, a, _SHAPE, _SB, b, _SHAPE]),
        lambda a, b: _sorted_union(_SA, a, _SB, b, min), [(arr((2,)), arr((2,))), (arr((2,), I32), arr((2,), I32))],
        exact=False),
    Row("SparseDenseCwiseMul", lambda tf, v, d: raw(tf, "SparseDenseCwiseMul", [_SI, v, _SHAPE, d]),
        lambda v, d: v * np.broadcast_to(d, (3, 4))[tuple(_SI.T)],
        [(arr((4,)), arr((3, 4))), (arr((4,)), arr((4,))), (arr((4,), I32), arr((1, 4), I32))], grad=True),
    Row("SparseDenseCwiseDiv", lambda tf, v, d: raw(tf, "SparseDenseCwiseDiv", [_SI, v, _SHAPE, d]),
        lambda v, d: v / np.broadcast_to(d, (3, 4))[tuple(_SI.T)],
        [(arr((4,)), nonzero(arr((3, 4)))), (arr((4,)), nonzero(arr((4,)))), (arr((4,), F32), nonzero(arr((4,), F32)))],
        grad=True),
    Row("SparseDenseCwiseAdd", lambda tf, v, d: raw(tf, "SparseDenseCwiseAdd", [_SI, v, _SHAPE, d]),
        lambda v, d: v + np.broadcast_to(d, (3, 4))[tuple(_SI.T)], [(arr((4,)), arr((3, 4))), (arr((4,)), arr((4,)))]),
    Row("SegmentSum", lambda tf, d: raw(tf, "SegmentSum", [d, [0, 0, 2]]),
        lambda d: _segment_ref(d, np.arange(3), np.array([0, 0, 2]), "sum"),
        [(arr((3,)),), (arr((3, 2)),), (arr((3, 2), I32),)], grad=True, exact=False),
] + [
    Row(f"SparseSegment{kind}", lambda tf, d, kind=kind: raw(tf, f"SparseSegment{kind}", [d, [0, 2, 2], [0, 0, 1]]),
        lambda d, kind=kind: _segment_ref(d, np.array([0, 2, 2]), np.array([0, 0, 1]), kind.lower()),
        [(arr((3, 2)),), (arr((3,), F32),)], grad=True, exact=False)
    for kind in ("Sum", "Mean", "SqrtN")
] + [
    Row(f"SparseSegment{kind}WithNumSegments", lambda tf, d, kind=kind: raw(
        tf, f"SparseSegment{kind}WithNumSegments", [d, [0, 2, 2], [0, 0, 2], 4]),
        lambda d, kind=kind: np.concatenate([_segment_ref(d, np.array([0, 2, 2]), np.array([0, 0, 2]), kind.lower()),
                                             np.zeros((1,) + d.shape[1:], d.dtype)]),
        [(arr((3, 2)),), (arr((3,), F32),)], grad=True, exact=False)
    for kind in ("Sum", "Mean", "SqrtN")
] + [
    Row(f"SparseSegment{kind}Grad{v2}", lambda tf, g, kind=kind, v2=v2: raw(
        tf, f"SparseSegment{kind}Grad{v2}", [g, [0, 2, 2], [0, 0, 1], 3]),
        lambda g, kind=kind, v2=v2: _segment_grad_ref(g, kind, v2), [(arr((2, 2)),), (arr((2,), F32),)], exact=False)
    for kind in ("Sum", "Mean", "SqrtN") for v2 in ("", "V2")
]
ROWS = ROWS + SPARSE_OPS
GRAD_EXEMPT.update({name: "TF's gradient raises NotImplementedError by design: tf_recorded sparse_tensor"
                    for name in ("SparseSparseMaximum", "SparseSparseMinimum", "SparseDenseCwiseAdd")})


# ----- random-op helpers: BroadcastArgs, RandomGammaGrad (ops/array.py, ops/random.py) ------------------------------
def _gamma_cdf(a, x):
    """The regularized lower incomplete gamma P(a, x) by its power series."""
    from math import exp, lgamma, log
    return sum(exp((a + n) * log(x) - x - lgamma(a + n + 1)) for n in range(int(x) + 200))


def _gamma_der_ref(alpha, sample, h=1e-3):
    """d sample / d alpha at a fixed CDF value: -(dP/da) / (dP/dx), dP/da by Richardson-extrapolated central
    differences."""
    from math import exp, lgamma, log

    def d_alpha(a, x, h):
        return (_gamma_cdf(a + h, x) - _gamma_cdf(a - h, x)) / (2 * h)
    out = [-(4 * d_alpha(a, x, h / 2) - d_alpha(a, x, h)) / 3 / exp((a - 1) * log(x) - x - lgamma(a))
           for a, x in ((float(a), float(x)) for a, x in zip(np.ravel(np.broadcast_to(alpha, np.broadcast_shapes(np.shape(alpha), np.shape(sample)))),
                           np.ravel(np.broadcast_to(sample, np.broadcast_shapes(np.shape(alpha), np.shape(sample))))))]
    return np.array(out).reshape(np.broadcast_shapes(np.shape(alpha), np.shape(sample))).astype(np.asarray(alpha).dtype)


RANDOM_HELPERS = [
    Row("BroadcastArgs", lambda tf, a, b: raw(tf, "BroadcastArgs", [a, b]),
        lambda a, b: np.array(np.broadcast_shapes(tuple(a), tuple(b)), a.dtype),
        [(np.array([2, 1, 3], I32), np.array([4, 3], I32)), (np.array([5], I64), np.array([], I64)),
         (np.array([1], I32), np.array([2, 1], I32))]),
    Row("RandomGammaGrad", lambda tf, a, x: raw(tf, "RandomGammaGrad", [a, x]), _gamma_der_ref,
        [(np.array([0.5, 1.0, 2.5, 7.0]), np.array([0.3, 1.7, 2.0, 9.5])),
         (np.array([[1.5], [4.0]]), np.array([0.5, 3.0, 6.0])), (np.array([3.0], F32), np.array([2.5], F32))],
        exact=False),
]
ROWS = ROWS + RANDOM_HELPERS
GRAD_EXEMPT["RandomGamma"] = "random: its gradient (RandomGammaGrad) is checked against TF's in tf_recorded " \
                             "random_more:gamma_gradient"


# ----- bicubic and area resizing, color ops, boxes (ops/image.py, ops/color.py, ops/boxes.py) ---------------------
def _keys(t, a):
    """Keys' cubic convolution weight at distance t."""
    t = abs(t)
    return ((a + 2) * t - (a + 3)) * t * t + 1 if t <= 1 else ((a * t - 5 * a) * t + 8 * a) * t - 4 * a


def _bicubic_ref(size, align_corners=False, half_pixel=False):
    """Per pixel: TF's taps at the fractional position rounded to 1/1024; half-pixel sampling (a = -0.5) drops
    taps outside the image and renormalizes, legacy sampling (a = -0.75) repeats the border."""
    a = -0.5 if half_pixel else -0.75

    def taps(o, n_in, n_out):
        s = np.float32((n_in - 1) / np.float32(n_out - 1)) if align_corners and n_out > 1 else np.float32(n_in / np.float32(n_out))
        where = (np.float32(o) + np.float32(0.5)) * s - np.float32(0.5) if half_pixel else np.float32(o) * s
        base = int(np.floor(where))
        frac = round(float(where - np.float32(base)) * 1024) / 1024
        out = [(min(max(base + j, 0), n_in - 1), _keys(frac - j, a), 0 <= base + j < n_in) for j in (-1, 0, 1, 2)]
        if half_pixel:
            out = [(i, w if inside else 0.0, inside) for i, w, inside in out]
            total = sum(w for _, w, _ in out)
            out = [(i, w / total, inside) for i, w, inside in out]
        return [(i, w) for i, w, _ in out]

    def ref(x):
        x = x.astype(np.float64)
        out = np.zeros((x.shape[0],) + tuple(size) + (x.shape[3],))
        for y in range(size[0]):
            for z in range(size[1]):
                for i, wy in taps(y, x.shape[1], size[0]):
                    for j, wz in taps(z, x.shape[2], size[1]):
                        out[:, y, z] += wy * wz * x[:, i, j]
        return out.astype(F32)
    return ref


def _area_ref(size, align_corners=False):
    """Per output pixel: the mean of the input over the area it covers (exact overlaps, borders repeated)."""
    def ref(x):
        out = np.zeros((x.shape[0],) + tuple(size) + (x.shape[3],))
        scales = [(i - 1) / (o - 1) if align_corners and o > 1 else i / o for i, o in zip(x.shape[1:3], size)]
        for y in range(size[0]):
            for z in range(size[1]):
                total = 0
                for i in range(int(np.floor(y * scales[0])), int(np.ceil((y + 1) * scales[0]))):
                    wy = min(i + 1, (y + 1) * scales[0]) - max(i, y * scales[0])
                    for j in range(int(np.floor(z * scales[1])), int(np.ceil((z + 1) * scales[1]))):
                        wz = min(j + 1, (z + 1) * scales[1]) - max(j, z * scales[1])
                        total = total + wy * wz * x[:, min(i, x.shape[1] - 1), min(j, x.shape[2] - 1)].astype(F64)
                out[:, y, z] = total / (scales[0] * scales[1])
        return out.astype(F32)
    return ref


def _per_pixel(fn):
    def ref(x, *factor):
        flat = x.reshape(-1, 3).astype(F64)
        out = np.array([fn(p, *(float(f) for f in factor)) for p in flat]).reshape(x.shape)
        return out.astype(x.dtype)
    return ref


def _hsv(p):
    import colorsys
    return colorsys.rgb_to_hsv(*p)


def _rgb(p):
    import colorsys
    return colorsys.hsv_to_rgb(*p)


def _saturate(p, scale):
    h, s, v = _hsv(p)
    return _rgb((h, min(max(s * scale, 0.0), 1.0), v))


def _hue(p, delta):
    h, s, v = _hsv(p)
    return _rgb(((h + delta) % 1.0, s, v))


def _contrast_ref(x, factor):
    mean = x.astype(F64).mean(axis=(-3, -2), keepdims=True)
    return ((x - mean) * factor + mean).astype(x.dtype)


def _crop_ref(method="bilinear", extrapolation=0.0, dtype=F32):
    """Per crop pixel: TF's sampling position y1 * (h - 1) + y * (y2 - y1) * (h - 1) / (crop_h - 1)."""
    def ref(image, boxes, ind, size):
        out = np.full((len(boxes),) + tuple(size) + (image.shape[3],), extrapolation)
        h, w = image.shape[1:3]
        for b, (y1, x1, y2, x2) in enumerate(boxes.astype(F64)):
            for y in range(size[0]):
                py = y1 * (h - 1) + y * (y2 - y1) * (h - 1) / (size[0] - 1) if size[0] > 1 else 0.5 * (y1 + y2) * (h - 1)
                for z in range(size[1]):
                    pz = x1 * (w - 1) + z * (x2 - x1) * (w - 1) / (size[1] - 1) if size[1] > 1 else 0.5 * (x1 + x2) * (w - 1)
                    if not (0 <= py <= h - 1 and 0 <= pz <= w - 1):
                        continue
                    img = image[ind[b]].astype(F64)
                    if method == "nearest":
                        out[b, y, z] = img[int(np.floor(py + 0.5)), int(np.floor(pz + 0.5))]
                        continue
                    t, l = int(np.floor(py)), int(np.floor(pz))
                    bt, r = int(np.ceil(py)), int(np.ceil(pz))
                    fy, fz = py - t, pz - l
                    top = img[t, l] + (img[t, r] - img[t, l]) * fz
                    bottom = img[bt, l] + (img[bt, r] - img[bt, l]) * fz
                    out[b, y, z] = top + (bottom - top) * fy
        return out.astype(dtype)
    return ref


def _crop_grad_image_ref(grads, boxes, ind, image_size):
    """The adjoint of the crop: each input pixel's gradient is the crop of its unit image dotted with grads."""
    out = np.zeros(tuple(image_size))
    for index in np.ndindex(*image_size):
        unit = np.zeros(tuple(image_size))
        unit[index] = 1
        out[index] = np.sum(_crop_ref()(unit, boxes, ind, grads.shape[1:3]).astype(F64) * grads)
    return out.astype(F32)


def _crop_grad_boxes_ref(grads, image, boxes, ind, h=1e-4):
    out = np.zeros(boxes.shape)
    for index in np.ndindex(*boxes.shape):
        up, down = boxes.astype(F64).copy(), boxes.astype(F64).copy()
        up[index] += h
        down[index] -= h
        crop = _crop_ref(dtype=F64)
        out[index] = np.sum((crop(image, up, ind, grads.shape[1:3]) - crop(image, down, ind, grads.shape[1:3]))
                            * grads) / (2 * h)
    return out.astype(F32)


def _nms_ref(boxes, scores, max_out, iou, score_threshold):
    def overlap(a, b):
        ya, yb = sorted(a[0::2]), sorted(b[0::2])
        xa, xb = sorted(a[1::2]), sorted(b[1::2])
        area_a, area_b = (ya[1] - ya[0]) * (xa[1] - xa[0]), (yb[1] - yb[0]) * (xb[1] - xb[0])
        if area_a <= 0 or area_b <= 0:
            return 0.0
        inter = max(min(ya[1], yb[1]) - max(ya[0], yb[0]), 0) * max(min(xa[1], xb[1]) - max(xa[0], xb[0]), 0)
        return inter / (area_a + area_b - inter)
    kept = []
    for i in sorted(range(len(scores)), key=lambda i: (-scores[i], i)):
        if scores[i] > score_threshold and len(kept) < max_out and all(overlap(boxes[i], boxes[j]) <= iou
                                                                       for j in kept):
            kept.append(i)
    return np.array(kept, I32)


RGB = _rng.uniform(0.05, 0.95, (2, 3, 4, 3))
CROP_BOXES = np.array([[0.1, 0.15, 0.83, 0.9], [0.55, 0.5, 0.6, 0.55], [-0.2, 0.33, 1.3, 0.61]], F32)
NMS_BOXES = np.array([[0, 0, 1, 1], [0, 0.1, 1, 1.1], [0, -0.1, 1, 0.9], [0, 10, 1, 11], [0, 10.1, 1, 11.1],
                      [1, 1, 0, 0]], F32)
NMS_SCORES = np.array([0.9, 0.75, 0.6, 0.95, 0.5, 0.8], F32)
IMAGE_MORE = [
    Row("ResizeBicubic", lambda tf, x: tf.image.resize_bicubic(x, [3, 7]), _bicubic_ref((3, 7)),
        [(IMAGES,), (IMAGES.astype(F32),), (arr((1, 3, 3, 1), U8, 0, 255),)]),
    Row("ResizeBicubic", lambda tf, x: tf.image.resize_bicubic(x, [6, 2], align_corners=True),
        _bicubic_ref((6, 2), align_corners=True), [(IMAGES,)]),
    Row("ResizeBicubic", lambda tf, x: tf.image.resize_bicubic(x, [5, 3], half_pixel_centers=True),
        _bicubic_ref((5, 3), half_pixel=True), [(IMAGES,)]),
    Row("ResizeBicubicGrad", lambda tf, g, x: raw(tf, "ResizeBicubicGrad", [g, x], {"align_corners": False,
                                                                                   "half_pixel_centers": False}),
        lambda g, x: np.array([[[[np.sum(_bicubic_ref((2, 3))(np.eye(6)[3 * i + j].reshape(1, 2, 3, 1)) * g)]
                                  for j in range(3)] for i in range(2)]], F32),
        [(np.arange(6, dtype=F32).reshape(1, 2, 3, 1), arr((1, 2, 3, 1), F32))]),
    Row("ResizeArea", lambda tf, x: tf.image.resize_area(x, [3, 2]), _area_ref((3, 2)),
        [(IMAGES,), (IMAGES.astype(F32),), (arr((1, 5, 7, 1), U8, 0, 255),)]),
    Row("ResizeArea", lambda tf, x: tf.image.resize_area(x, [6, 7], align_corners=True),
        _area_ref((6, 7), align_corners=True), [(IMAGES,)]),
    Row("RGBToHSV", lambda tf, x: tf.image.rgb_to_hsv(x), _per_pixel(_hsv), [(RGB,), (RGB.astype(F32),)], grad=True),
    Row("HSVToRGB", lambda tf, x: tf.image.hsv_to_rgb(x), _per_pixel(_rgb), [(RGB,), (RGB.astype(F32),)]),
    Row("AdjustContrastv2", lambda tf, x, f: raw(tf, "AdjustContrastv2", [x, f]), _contrast_ref,
        [(RGB.astype(F32), np.float32(1.7)), (RGB[0].astype(F32), np.float32(-0.4))]),
    Row("AdjustSaturation", lambda tf, x, f: raw(tf, "AdjustSaturation", [x, f]), _per_pixel(_saturate),
        [(RGB.astype(F32), np.float32(s)) for s in (0.0, 0.4, 2.5)]),
    Row("AdjustHue", lambda tf, x, f: raw(tf, "AdjustHue", [x, f]), _per_pixel(_hue),
        [(RGB.astype(F32), np.float32(d)) for d in (0.0, 0.25, -0.6)]),
    Row("CropAndResize", lambda tf, x, b: tf.image.crop_and_resize(x, b, [0, 1, 1], [3, 4], extrapolation_value=-1.0),
        lambda x, b: _crop_ref(extrapolation=-1.0)(x, b, [0, 1, 1], (3, 4)),
        [(IMAGES, CROP_BOXES), (IMAGES.astype(F32), CROP_BOXES), (arr((2, 4, 5, 2), U8, 0, 255), CROP_BOXES)]),
    Row("CropAndResize", lambda tf, x, b: tf.image.crop_and_resize(x, b, [1, 0, 1], [2, 3], method="nearest"),
        lambda x, b: _crop_ref("nearest")(x, b, [1, 0, 1], (2, 3)), [(IMAGES.astype(F32), CROP_BOXES)]),
    Row("CropAndResizeGradImage", lambda tf, g, b: raw(tf, "CropAndResizeGradImage", [g, b, [0, 1, 1], [2, 3, 4, 1]],
                                                       {"T": tf.float32}),
        lambda g, b: _crop_grad_image_ref(g, b, [0, 1, 1], (2, 3, 4, 1)), [(arr((3, 2, 3, 1), F32), CROP_BOXES)]),
    Row("CropAndResizeGradBoxes", lambda tf, g, x, b: raw(tf, "CropAndResizeGradBoxes", [g, x, b, [0, 1, 1]]),
        lambda g, x, b: _crop_grad_boxes_ref(g, x, b, [0, 1, 1]), [(arr((3, 2, 3, 1), F32), arr((2, 3, 4, 1), F32),
                                                                    CROP_BOXES)]),
    Row("NonMaxSuppressionV3", lambda tf, b, s: tf.image.non_max_suppression(b, s, 4, 0.5, 0.55),
        lambda b, s: _nms_ref(b, s, 4, 0.5, 0.55), [(NMS_BOXES, NMS_SCORES)], exact=False),
]
ROWS = ROWS + IMAGE_MORE
GRAD_EXEMPT.update({  # float32 outputs whatever the input: their gradients are checked against TF's instead
    "ResizeBicubic": "float32 output: tf_recorded image_more:resize_bicubic_gradients (ResizeBicubicGrad)",
    "CropAndResize": "float32 output: tf_recorded image_more:crop_and_resize (image and box gradients)",
    "StatelessRandomGammaV3": "random: tf_recorded random_more:stateless_gamma_gradient",
})


# ----- string ops (raygraph/ops/strings.py, string_joins.py); their TF-recorded cases check the exact formats
def _s(*words, shape=None):
    a = np.array([w.encode() for w in words], object)
    return a.reshape(shape) if shape else a


def _each(fn, x, otype=object):
    return np.vectorize(fn, otypes=[otype])(x) if x.size else np.zeros(x.shape, otype)


WORDS = _s("Hello", " a B\t", "", "ß x1", shape=(2, 2))


def _hash_ref(fn):
    from raygraph.ops import fingerprints  # the algorithms under test; recorded TF cases check them bit for bit
    return lambda x: _each(lambda s: fn(fingerprints, s) % 7, x, I64)


def _b64(s):
    import base64
    return base64.urlsafe_b64encode(s).rstrip(b"=")


def _reduce_join_ref(x, axes):
    moved = np.moveaxis(x, list(axes[::-1]), list(range(-len(axes), 0)))  # the first listed axis varies fastest
    rows = moved.reshape(moved.shape[:x.ndim - len(axes)] + (-1,))
    out = np.empty(rows.shape[:-1], object)
    for i in np.ndindex(out.shape):
        out[i] = b",".join(rows[i])
    return out


def _sparse_parts(s):
    return [s.indices, s.values, s.dense_shape]


def _format_ref(x, y):
    return np.array(("x=" + " ".join(str(v) for v in x.ravel()).join("[]") + " y=" + str(y)).encode(), object)


STRING_OPS = [
    Row("StringLower", lambda tf, x: tf.strings.lower(x), lambda x: _each(bytes.lower, x), [(WORDS,)]),
    Row("StringUpper", lambda tf, x: tf.strings.upper(x, encoding="utf-8"),
        lambda x: _each(lambda s: s.decode().upper().encode(), x), [(WORDS,)]),
    Row("StringStrip", lambda tf, x: tf.strings.strip(x), lambda x: _each(bytes.strip, x), [(WORDS,)]),
    Row("StringLength", lambda tf, x: tf.strings.length(x, unit="UTF8_CHAR"),
        lambda x: _each(lambda s: len(s.decode()), x, I32), [(WORDS,), (_s("é"),)]),
    Row("EncodeBase64", lambda tf, x: tf.encode_base64(x), lambda x: _each(_b64, x), [(WORDS,)]),
    Row("DecodeBase64", lambda tf, x: tf.decode_base64(tf.encode_base64(x)), lambda x: x, [(WORDS,)]),
    Row("EncodeWav", lambda tf, x: tf.audio.decode_wav(tf.audio.encode_wav(x, 8000)).audio,  # int16 steps, clamped
        lambda x: (np.clip(np.round(x * 32768), -32768, 32767) / 32768).astype(F32),
        [(arr((4, 2), F32, -1.2, 1.2),), (arr((3, 1), F32, -1, 1),)], exact=False),
    Row("DecodeWav", lambda tf, x: tf.audio.decode_wav(tf.audio.encode_wav(x, 8000), 3, 5).audio,  # last channel
        lambda x: np.pad((np.round(x * 32768) / 32768)[:, [0, 1, 1]], [(0, 2), (0, 0)]).astype(F32),  # repeated
        [(arr((3, 2), F32, -1, 1),)]),
    Row("StringToHashBucket", lambda tf, x: tf.string_to_hash_bucket(x, 7),
        _hash_ref(lambda f, s: f.hash64(s)), [(WORDS,)]),
    Row("StringToHashBucketFast", lambda tf, x: tf.string_to_hash_bucket_fast(x, 7),
        _hash_ref(lambda f, s: f.fingerprint64(s)), [(WORDS,)]),
    Row("StringToHashBucketStrong", lambda tf, x: tf.string_to_hash_bucket_strong(x, 7, [3, 4]),
        _hash_ref(lambda f, s: f.siphash([3, 4], s)), [(WORDS,)]),
    Row("StringToNumber", lambda tf, x: tf.string_to_number(x, tf.float64), lambda x: _each(float, x, F64),
        [(_s("1.5", "-2", " 3e2 ", "inf"),)]),
    Row("AsString", lambda tf, x: tf.as_string(x), lambda x: _each(lambda v: str(v).encode(), x),
        [(arr((2, 3), I32, -50, 50),), (arr((3,), I64, -5, 5),)]),
    Row("AsString", lambda tf, x: tf.as_string(x, precision=2), lambda x: _each(lambda v: b"%.2f" % v, x),
        [(arr((2, 3)),)]),
    Row("ReduceJoin", lambda tf, x: tf.reduce_join(x, [1, 0], separator=","), lambda x: _reduce_join_ref(x, [1, 0]),
        [(WORDS,)]),
    Row("ReduceJoin", lambda tf, x: tf.reduce_join(x, -1, separator=","), lambda x: _reduce_join_ref(x, [1]),
        [(WORDS,), (_s("a", "b", "c", "d", "e", "f", shape=(3, 2)),)]),
    Row("UnsortedSegmentJoin", lambda tf, x: tf.strings.unsorted_segment_join(x, [1, 1], 3, separator="+"),
        lambda x: np.array([b"", b"+".join(x[:, 0]), b""] + [b"", b"+".join(x[:, 1]), b""], object).reshape(2, 3).T,
        [(WORDS,)], dynamic=False),
    Row("RegexFullMatch", lambda tf, x: tf.strings.regex_full_match(x, tf.constant("[a-zA-Z]+")),
        lambda x: _each(lambda s: s.isalpha() and s.isascii(), x, bool), [(WORDS,)]),
    Row("StaticRegexReplace", lambda tf, x: tf.regex_replace(x, "[a-z]", "#"),
        lambda x: _each(lambda s: b"".join(b"#" if 97 <= c <= 122 else bytes([c]) for c in s), x), [(WORDS,)]),
    Row("RegexReplace", lambda tf, x: tf.regex_replace(x, tf.constant("(l+)"), "<\\1>", replace_global=False),
        lambda x: _each(lambda s: s.replace(b"ll", b"<ll>", 1), x), [(WORDS,)]),
    Row("Substr", lambda tf, x, p: tf.substr(x, p, p * 0 + 2),
        lambda x, p: np.vectorize(lambda s, i: s[i + len(s) if i < 0 else i:][:2], otypes=[object])(x, p),
        [(_s("Hello", "World", "abc"), np.array([0, 1, 3], I32)), (_s("xyz"), np.array([-2, 0], I64))]),
    Row("StringFormat", lambda tf, x, y: tf.strings.format("x={} y={}", [x, y]), _format_ref,
        [(arr((3,), I32, 0, 9), np.array(4, I64))]),
    Row("UnicodeTranscode", lambda tf, x: tf.strings.unicode_transcode(x, "UTF-8", "UTF-16-BE"),
        lambda x: _each(lambda s: s.decode().encode("utf-16-be"), x), [(WORDS,)]),
    Row("UnicodeScript", lambda tf, x: tf.strings.unicode_script(x),
        lambda x: np.where(x == ord("a"), 25, np.where(x == ord("Я"), 8, np.where(x < 0, -1, 0))).astype(I32),
        [(np.array([ord("a"), ord("Я"), ord(" "), -3], I32),)]),
    Row("StringNGrams", lambda tf, x: tf.strings.ngrams(x, 2, separator="_"),
        lambda x: np.array([[a + b"_" + b for a, b in zip(r[:-1], r[1:])] for r in x], object).reshape(x.shape[0], -1),
        [(_s("a", "b", "c", "d", "e", "f", shape=(2, 3)),)], exact=False, dynamic=False),
    Row("DenseToSparseSetOperation", lambda tf, a, b: _sparse_parts(tf.sets.intersection(a, tf.sets.union(b, b))),
        _set_ref(lambda x, y: x & y), [(SETS[0].astype(d), SETS[1].astype(d)) for d in (I32, I64)], exact=False),
]


def _split_ref(split):
    def ref(x):
        rows = [split(s) for s in x]
        return [np.array([[i, j] for i, r in enumerate(rows) for j in range(len(r))], I64).reshape(-1, 2),
                np.array([t for r in rows for t in r] + [None], object)[:-1],
                np.array([len(rows), max(map(len, rows))], I64)]
    return ref


SENTENCES = _s("a b  c", " x,y ", "one")
STRING_OPS += [
    Row("StringSplit", lambda tf, x: raw(tf, "StringSplit", [x, " ,"], {"skip_empty": True}),
        _split_ref(lambda s: [t for t in s.replace(b",", b" ").split(b" ") if t]), [(SENTENCES,)], exact=False),
    Row("StringSplitV2", lambda tf, x: raw(tf, "StringSplitV2", [x, ""], {"maxsplit": -1}),
        _split_ref(bytes.split), [(SENTENCES,)], exact=False),
    Row("StringSplitV2", lambda tf, x: raw(tf, "StringSplitV2", [x, " "], {"maxsplit": 1}),
        _split_ref(lambda s: s.split(b" ", 1)), [(SENTENCES,)], exact=False),
]
ROWS = ROWS + STRING_OPS


# ----- grayscale morphology (ops/morphology.py) -------------------------------------------------------------------
def _dilation_ref(x, f, strides, rates, padding):
    """Dilation2D by loops over every output cell and filter offset: (output, input grad of dy, filter grad of dy)
    with each cell's gradient at its first maximum, as TF's kernels."""
    b, h, w, c = x.shape
    fh, fw, _ = f.shape
    (sh, sw), (rh, rw) = strides, rates
    eh, ew = (fh - 1) * rh + 1, (fw - 1) * rw + 1
    if padding == "SAME":
        oh, ow = -(-h // sh), -(-w // sw)
        top, left = max(0, (oh - 1) * sh + eh - h) // 2, max(0, (ow - 1) * sw + ew - w) // 2
    else:
        oh, ow, top, left = (h - eh) // sh + 1, (w - ew) // sw + 1, 0, 0
    out = np.zeros((b, oh, ow, c), x.dtype)
    where = {}
    for n, y, z, k in np.ndindex(b, oh, ow, c):
        best, at = None, None
        for i, j in np.ndindex(fh, fw):
            r, s = y * sh - top + i * rh, z * sw - left + j * rw
            if 0 <= r < h and 0 <= s < w and (best is None or x[n, r, s, k] + f[i, j, k] > best):
                best, at = x[n, r, s, k] + f[i, j, k], (r, s, i, j)
        out[n, y, z, k], where[n, y, z, k] = best, at
    return out, where


def _dilation_grads(x, f, dy, strides, rates, padding):
    _, where = _dilation_ref(x, f, strides, rates, padding)
    dx, df = np.zeros_like(x), np.zeros_like(f)
    for (n, y, z, k), (r, s, i, j) in where.items():
        dx[n, r, s, k] += dy[n, y, z, k]
        df[i, j, k] += dy[n, y, z, k]
    return dx, df


_MORPH = ([1, 2, 1, 1], [1, 1, 2, 1], "SAME")
MORPHOLOGY = [
    Row("Dilation2D", lambda tf, x, f: tf.nn.dilation2d(x, f, *_MORPH),
        lambda x, f: _dilation_ref(x, f, (2, 1), (1, 2), "SAME")[0],
        [(arr((2, 5, 4, 3)), arr((2, 2, 3))), (arr((1, 4, 4, 2), F32), arr((3, 2, 2), F32)),
         (arr((1, 4, 5, 2), I32, -20, 20), arr((2, 2, 2), I32, -5, 5))], grad=True),
    Row("Dilation2D", lambda tf, x, f: tf.nn.dilation2d(x, f, [1, 1, 1, 1], [1, 1, 1, 1], "VALID"),
        lambda x, f: _dilation_ref(x, f, (1, 1), (1, 1), "VALID")[0], [(arr((2, 4, 5, 2)), arr((2, 3, 2)))],
        grad=True),
    Row("Dilation2DBackpropInput", lambda tf, x, f, dy: raw(tf, "Dilation2DBackpropInput", [x, f, dy],
                                                             {"strides": _MORPH[0], "rates": _MORPH[1],
                                                              "padding": "SAME"}),
        lambda x, f, dy: _dilation_grads(x, f, dy, (2, 1), (1, 2), "SAME")[0],
        [(arr((2, 5, 4, 3)), arr((2, 2, 3)), arr((2, 3, 4, 3))),
         (arr((1, 4, 4, 2), F32), arr((3, 2, 2), F32), arr((1, 2, 4, 2), F32))]),
    Row("Dilation2DBackpropFilter", lambda tf, x, f, dy: raw(tf, "Dilation2DBackpropFilter", [x, f, dy],
                                                              {"strides": _MORPH[0], "rates": _MORPH[1],
                                                               "padding": "SAME"}),
        lambda x, f, dy: _dilation_grads(x, f, dy, (2, 1), (1, 2), "SAME")[1],
        [(arr((2, 5, 4, 3)), arr((2, 2, 3)), arr((2, 3, 4, 3)))]),
]
ROWS = ROWS + MORPHOLOGY


def _draw_ref(images, boxes, colors=None):
    """The outlines TF's kernel draws, pixel by pixel."""
    out = images.copy()
    n, h, w, depth = images.shape
    table = colors[:, :depth] if colors is not None else None
    for b in range(n):
        for k, (y0, x0, y1, x1) in enumerate(boxes[b]):
            color = table[k % len(table)]
            t, l_, bo, r = (int(np.float32(v) * np.float32(s - 1)) for v, s in ((y0, h), (x0, w), (y1, h), (x1, w)))
            for i in range(h):
                for j in range(w):
                    on_row = (i == t or i == bo) and l_ <= j <= r
                    on_col = (j == l_ or j == r) and t <= i <= bo
                    if on_row or on_col:
                        out[b, i, j] = color
    return out


_BOXES = np.array([[[0.1, 0.2, 0.7, 0.9], [0.5, 0.0, 1.0, 0.4]], [[0.0, 0.0, 1.0, 1.0], [0.3, 0.3, 0.6, 0.5]]], F32)
_COLORS = np.array([[1.0, 0.5, 0.25, 1.0], [0.0, 0.75, 1.0, 0.5]], F32)
ROWS = ROWS + [
    Row("DrawBoundingBoxesV2", lambda tf, x, b, c: tf.image.draw_bounding_boxes(x, b, colors=c), _draw_ref,
        [(arr((2, 6, 7, 3), F32), _BOXES, _COLORS), (arr((2, 5, 5, 4), F32), _BOXES, _COLORS)]),
    Row("DrawBoundingBoxes", lambda tf, x, b: tf.image.draw_bounding_boxes(x, b),
        lambda x, b: _draw_ref(x, b, np.array([[1, 1, 0, 1], [0, 0, 1, 1]], F32)),
        [(arr((2, 6, 7, 3), F32), _BOXES)]),
]


def _overlap_nms_ref(overlaps, scores, max_out, threshold):
    kept = []
    for i in sorted(range(len(scores)), key=lambda i: (-scores[i], i)):
        if len(kept) < max_out and all(overlaps[i, j] <= threshold for j in kept):
            kept.append(i)
    return np.array(kept, I32)


_OVERLAPS = np.array([[1.0, 0.7, 0.2], [0.7, 1.0, 0.6], [0.2, 0.6, 1.0]], F32)
ROWS = ROWS + [  # hard suppression; Soft-NMS's decayed scores are checked against TF in tf_recorded image_nms
    Row("NonMaxSuppressionV5", lambda tf, b, s: tf.image.non_max_suppression_with_scores(b, s, 4, 0.5, 0.55),
        lambda b, s: [_nms_ref(b, s, 4, 0.5, 0.55), s[_nms_ref(b, s, 4, 0.5, 0.55)]], [(NMS_BOXES, NMS_SCORES)],
        exact=False),
    Row("NonMaxSuppressionWithOverlaps", lambda tf, o, s: tf.image.non_max_suppression_overlaps(o, s, 3, 0.65),
        lambda o, s: _overlap_nms_ref(o, s, 3, 0.65), [(_OVERLAPS, np.array([0.6, 0.9, 0.5], F32))], exact=False),
]


def _combined_nms_ref(per_class, total, iou):
    """Greedy NMS per batch entry and class, then the best `total` kept boxes (clipped to [0, 1]), zero-padded."""
    def ref(boxes, scores):
        out = [np.zeros((len(boxes), total, 4), F32), np.zeros((len(boxes), total), F32),
               np.zeros((len(boxes), total), F32), np.zeros(len(boxes), I32)]
        for b in range(len(boxes)):
            kept = []
            for c in range(scores.shape[2]):
                cb = boxes[b, :, c if boxes.shape[2] > 1 else 0]
                kept += [(scores[b, i, c], c, cb[i]) for i in _nms_ref(cb, scores[b, :, c], per_class, iou, -np.inf)]
            kept = sorted(kept, key=lambda k: -k[0])[:total]
            out[3][b] = len(kept)
            for j, (s, c, box) in enumerate(kept):
                out[0][b, j], out[1][b, j], out[2][b, j] = np.clip(box, 0, 1), s, c
        return out
    return ref


_CNMS = np.random.default_rng(11)
_CNMS_BOXES = [np.sort(_CNMS.uniform(-0.2, 1.2, (2, 6, q, 4)).astype(F32).reshape(-1, 2, 2), -1).reshape(2, 6, q, 4)
               [..., [0, 2, 1, 3]] for q in (1, 3)]
ROWS = ROWS + [Row("CombinedNonMaxSuppression",
                   lambda tf, b, s: list(tf.image.combined_non_max_suppression(b, s, 2, 5, 0.3)),
                   _combined_nms_ref(2, 5, 0.3), [(b, _CNMS.permutation(36).reshape(2, 6, 3).astype(F32) / 36)
                                                  for b in _CNMS_BOXES])]
# ----- issue 16: tf.math's trigonometry, special functions, complex numbers, segments, counting ------------------
import warnings  # noqa: E402

import scipy.special as _sc  # noqa: E402
from scipy.stats import qmc as _qmc  # noqa: E402


def _sobol_ref(dim, n, skip):
    engine = _qmc.Sobol(d=dim, scramble=False)
    engine.fast_forward(1 + skip)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return engine.random(n).astype(F32)


def _segments_ref(ufunc, empty, n=None):
    def ref(d, ids):
        count = int(ids.max()) + 1 if n is None else n
        out = np.full((count,) + d.shape[1:], empty, d.dtype)
        keep = ids >= 0
        ufunc.at(out, ids[keep], d[keep])
        if n is None:
            out[np.bincount(ids, minlength=count) == 0] = 0
        return out
    return ref


def _segment_mean_ref(d, ids):
    count = int(ids.max()) + 1
    out = np.zeros((count,) + d.shape[1:])
    np.add.at(out, ids, d)
    return (out / np.maximum(np.bincount(ids, minlength=count), 1).reshape((-1,) + (1,) * (d.ndim - 1))).astype(d.dtype)


def _igamma_grad_a_ref(a, x, h=1e-6):
    return (_sc.gammainc(a + h, x) - _sc.gammainc(a - h, x)) / (2 * h)


def _shift_ref(fn):
    return lambda x, y: fn(x, np.clip(y, 0, x.dtype.itemsize * 8 - 1).astype(x.dtype)).astype(x.dtype)


def _scan_ref(fn, identity, exclusive=False, reverse=False, axis=1):
    def ref(x):
        y = np.flip(x, axis) if reverse else x
        out = fn(y, axis=axis).astype(x.dtype)
        if exclusive:
            out = np.concatenate([np.full_like(np.take(out, [0], axis), identity), np.delete(out, -1, axis)], axis)
        return np.flip(out, axis) if reverse else out
    return ref


UNIT = _g.uniform(-0.9, 0.9, (2, 3))
ABOVE1 = _g.uniform(1.2, 3.0, (2, 3))
MATHX = [
    _unary_row("Tan", "tan", np.tan, lo=-1.2, hi=1.2, at=UNIT),
    _unary_row("Asin", "asin", np.arcsin, lo=-0.9, hi=0.9, at=UNIT),
    _unary_row("Acos", "acos", np.arccos, lo=-0.9, hi=0.9, at=UNIT),
    _unary_row("Atan", "atan", np.arctan),
    _unary_row("Sinh", "sinh", np.sinh),
    _unary_row("Cosh", "cosh", np.cosh),
    _unary_row("Asinh", "asinh", np.arcsinh),
    _unary_row("Acosh", "acosh", np.arccosh, lo=1.2, hi=3.0, at=ABOVE1),
    _unary_row("Atanh", "atanh", np.arctanh, lo=-0.9, hi=0.9, at=UNIT),
    _unary_row("Lgamma", "lgamma", _sc.gammaln, (F32, F64), lo=0.2, hi=4.0, at=POS),
    _unary_row("Digamma", "digamma", _sc.psi, (F32, F64), lo=0.2, hi=4.0, at=POS),
    _unary_row("Erf", "erf", _sc.erf, (F32, F64)),
    _unary_row("Erfc", "erfc", _sc.erfc, (F32, F64)),
    _unary_row("Erfinv", lambda tf, x: tf.math.erfinv(x), _sc.erfinv, (F32, F64), lo=-0.9, hi=0.9, at=UNIT),
    _unary_row("Ndtri", lambda tf, x: tf.math.ndtri(x), _sc.ndtri, (F32, F64), lo=0.1, hi=0.9, at=POS / 2.5),
    _unary_row("BesselI0", lambda tf, x: tf.math.bessel_i0(x), _sc.i0, (F32, F64)),
    _unary_row("BesselI1", lambda tf, x: tf.math.bessel_i1(x), _sc.i1, (F32, F64)),
    _unary_row("BesselI0e", lambda tf, x: tf.math.bessel_i0e(x), _sc.i0e, (F32, F64)),
    _unary_row("BesselI1e", lambda tf, x: tf.math.bessel_i1e(x), _sc.i1e, (F32, F64)),
    Row("Polygamma", lambda tf, n, x: tf.math.polygamma(n, x), lambda n, x: _sc.polygamma(n, x).astype(x.dtype),
        [(np.array([0.0, 1.0, 2.0], d), arr((2, 3), d, 0.5, 3.0)) for d in (F32, F64)] + [(np.array(1.0), POS)],
        grad=True, grad_inputs=[1]),
    Row("Zeta", lambda tf, x, q: tf.math.zeta(x, q), lambda x, q: _sc.zeta(x, q).astype(x.dtype),
        [(arr((2, 3), d, 1.5, 4.0), arr((3,), d, 0.5, 3.0)) for d in (F32, F64)] + [(POS + 1.2, POS)],
        grad=True, grad_inputs=[1]),
    Row("Igamma", lambda tf, a, x: tf.math.igamma(a, x), lambda a, x: _sc.gammainc(a, x).astype(x.dtype),
        [(arr((2, 3), d, 0.5, 3.0), arr((3,), d, 0.2, 4.0)) for d in (F32, F64)] + [(POS, POS[0])], grad=True,
        grad_step=1e-5, grad_tol=1e-5),
    Row("Igammac", lambda tf, a, x: tf.math.igammac(a, x), lambda a, x: _sc.gammaincc(a, x).astype(x.dtype),
        [(arr((2, 3), d, 0.5, 3.0), arr((2, 3), d, 0.2, 4.0)) for d in (F32, F64)] + [(POS, POS.T.reshape(2, 3))],
        grad=True, grad_step=1e-5, grad_tol=1e-5),
    Row("IgammaGradA", lambda tf, a, x: raw(tf, "IgammaGradA", [a, x]),
        lambda a, x: _igamma_grad_a_ref(a.astype(F64), x.astype(F64)).astype(a.dtype),
        [(POS.astype(F32), POS.T.reshape(2, 3).astype(F32))]),
    Row("Betainc", lambda tf, a, b, x: tf.math.betainc(a, b, x), lambda a, b, x: _sc.betainc(a, b, x).astype(x.dtype),
        [(arr((2, 3), d, 0.5, 3.0), arr((2, 3), d, 0.5, 3.0), arr((2, 3), d, 0.1, 0.9)) for d in (F32, F64)]
        + [(POS, POS[::-1], POS / 2.5)], grad=True, grad_inputs=[2]),
    Row("Xlogy", lambda tf, x, y: tf.math.xlogy(x, y), lambda x, y: np.where(x == 0, 0, x * np.log(y)).astype(x.dtype),
        binary(FLOATS, lo=0.2, hi=3.0) + [(np.array([0.0, 1.5, -2.0], F32), np.array([0.5, 2.0, 1.5], F32)),
                                          (M23, POS)],
        grad=True),
    Row("Xlog1py", lambda tf, x, y: tf.math.xlog1py(x, y),
        lambda x, y: np.where(x == 0, 0, x * np.log1p(y)).astype(x.dtype),
        binary(FLOATS, lo=0.2, hi=3.0) + [(M23, POS)],
        grad=True),
    Row("Xdivy", lambda tf, x, y: tf.math.xdivy(x, y), lambda x, y: np.where(x == 0, 0, x / y).astype(x.dtype),
        binary(FLOATS, lo=0.2, hi=3.0) + [(np.array([0.0, 1.5], F32), np.array([0.0, 2.0], F32)), (M23, POS)],
        grad=True),
    Row("MulNoNan", lambda tf, x, y: tf.math.multiply_no_nan(x, y),
        lambda x, y: np.where(y == 0, 0, x * y).astype(x.dtype),
        binary((F32, F64), pairs=(((2, 3), (2, 3)), ((3,), (3,)))) + [(np.array([np.inf, 2.0]), np.array([0.0, 3.0])),
                                                                       (M23, POS)], grad=True),
    Row("NextAfter", lambda tf, x, y: tf.math.nextafter(x, y), lambda x, y: np.nextafter(x, y),
        binary((F32, F64)) + [(M23, POS)], grad=True, grad_step=1e-3),
    Row("TruncateMod", lambda tf, x, y: tf.truncatemod(x, y), np.fmod,
        binary((F32, F64, I32, I64), lo=-9, hi=9, lo2=1, hi2=4)),
    Row("Complex", lambda tf, x, y: [tf.math.real(tf.complex(x, y) * tf.complex(x, y)),
                                     tf.math.imag(tf.complex(x, y) * tf.complex(y, y))],
        lambda x, y: [x * x - y * y, (x + y) * y], binary((F32, F64)) + [(M23, POS)], grad=True),
    Row("Real", lambda tf, x, y: tf.math.real(tf.complex(x, y)), lambda x, y: x + 0 * y, [(M23, POS)], grad=True),
    Row("Imag", lambda tf, x, y: tf.math.imag(tf.complex(x, y)), lambda x, y: y + 0 * x, [(M23, POS)], grad=True),
    Row("Angle", lambda tf, x, y: tf.math.angle(tf.complex(x, y)), lambda x, y: np.arctan2(y, x),
        [(M23, POS), (arr((3,), F32), arr((3,), F32))], grad=True),
    Row("ComplexAbs", lambda tf, x, y: tf.abs(tf.complex(x, y)), np.hypot,
        [(M23, POS), (arr((3,), F32), arr((3,), F32))], grad=True),
    Row("Conj", lambda tf, x, y: tf.math.real(tf.math.conj(tf.complex(x, y)) * tf.complex(2.0 + 0 * x, 1.0 + 0 * x)),
        lambda x, y: 2 * x + y, [(M23, POS)], grad=True),
    Row("ConjugateTranspose", lambda tf, x, y: tf.math.real(
        tf.transpose(tf.complex(x, y), conjugate=True) * tf.constant(2 + 1j, tf.complex128)),
        lambda x, y: 2 * x.T + y.T, [(M23, POS)], grad=True),
    Row("Cumprod", lambda tf, x: tf.math.cumprod(x, 1), _scan_ref(np.cumprod, 1), unary(NUMERIC, ((2, 3), (1, 4)))
        + [(M23,)], grad=True),
    Row("Cumprod", lambda tf, x: tf.math.cumprod(x, 1, exclusive=True, reverse=True),
        _scan_ref(np.cumprod, 1, True, True), [(M23,)], grad=True),
    Row("CumulativeLogsumexp", lambda tf, x: tf.math.cumulative_logsumexp(x, 1), _scan_ref(np.logaddexp.accumulate, 0),
        unary((F32, F64), ((2, 3),)) + [(M23,)], grad=True),
    Row("CumulativeLogsumexp", lambda tf, x: tf.math.cumulative_logsumexp(x, 1, exclusive=True, reverse=True),
        _scan_ref(np.logaddexp.accumulate, -np.inf, True, True), [(M23,)]),
    Row("EuclideanNorm", lambda tf, x: tf.math.reduce_euclidean_norm(x, 1),
        lambda x: np.sqrt(np.sum(x * x, 1)).astype(x.dtype), unary((F32, F64), ((2, 3),)) + [(M23,)], grad=True),
    Row("EuclideanNorm", lambda tf, x: tf.math.reduce_euclidean_norm(x, [0], keepdims=True),
        lambda x: np.sqrt(np.sum(x * x, 0, keepdims=True)), [(M23,)], grad=True),
    Row("SegmentMax", lambda tf, d: tf.math.segment_max(d, [0, 0, 2]), lambda d: _segments_ref(np.maximum, -np.inf)(
        d, np.array([0, 0, 2])), [(arr((3, 2), d),) for d in (F32, F64, I32)] + [(M23.T,)], grad=True, exact=False),
    Row("SegmentMin", lambda tf, d: tf.math.segment_min(d, [0, 1, 1]), lambda d: _segments_ref(np.minimum, 99)(
        d, np.array([0, 1, 1])), [(arr((3, 2), d),) for d in (F32, F64, I64)] + [(M23.T,)], grad=True, exact=False),
    Row("SegmentMean", lambda tf, d: tf.math.segment_mean(d, [0, 2, 2]),
        lambda d: _segment_mean_ref(d, np.array([0, 2, 2])), [(arr((3, 2), d),) for d in (F32, F64)] + [(M23.T,)],
        grad=True, exact=False),
    Row("SegmentProd", lambda tf, d: tf.math.segment_prod(d, [0, 0, 1]), lambda d: _segments_ref(np.multiply, 1)(
        d, np.array([0, 0, 1])), [(arr((3, 2), d),) for d in (F32, F64, I32)] + [(M23.T,)], grad=True, exact=False),
    Row("UnsortedSegmentMax", lambda tf, d: tf.math.unsorted_segment_max(d, [2, -1, 2], 4),
        lambda d: _segments_ref(np.maximum, np.finfo(d.dtype).min if d.dtype.kind == "f" else np.iinfo(d.dtype).min,
                                4)(d, np.array([2, -1, 2])), [(arr((3, 2), d),) for d in (F32, F64, I32)]),
    Row("UnsortedSegmentMax", lambda tf, d: tf.math.unsorted_segment_max(d, [1, -1, 0], 2),
        lambda d: _segments_ref(np.maximum, -np.inf, 2)(d, np.array([1, -1, 0])), [(M23.T,)], grad=True),
    Row("UnsortedSegmentMin", lambda tf, d: tf.math.unsorted_segment_min(d, [1, 0, 1], 2),
        lambda d: _segments_ref(np.minimum, np.inf, 2)(d, np.array([1, 0, 1])),
        [(arr((3, 2), d),) for d in (F32, F64)] + [(M23.T,)], grad=True),
    Row("UnsortedSegmentProd", lambda tf, d: tf.math.unsorted_segment_prod(d, [1, 0, 1], 3),
        lambda d: _segments_ref(np.multiply, 1, 3)(d, np.array([1, 0, 1])),
        [(arr((3, 2), d),) for d in (F32, F64, I32)] + [(M23.T,)], grad=True),
    Row("DenseBincount", lambda tf, x: tf.math.bincount(x), lambda x: np.bincount(x.ravel()).astype(I32),
        [(np.array([1, 1, 4, 0], I32),), (np.array([[2, 0], [2, 2]], I32),)], exact=False),
    Row("DenseBincount", lambda tf, x, w: tf.math.bincount(x, weights=w, minlength=6),
        lambda x, w: np.bincount(x.ravel(), w.ravel(), minlength=6).astype(w.dtype),
        [(np.array([1, 1, 4, 0], I32), arr((4,), d)) for d in (F32, F64)], exact=False),
    Row("Bincount", lambda tf, x, w: raw(tf, "Bincount", [x, 4, w]),
        lambda x, w: np.bincount(x[x < 4], w[x < 4], minlength=4).astype(w.dtype),
        [(np.array([3, 1, 5, 3], I32), arr((4,), d)) for d in (F32, I64)]),
    Row("Bucketize", lambda tf, x: raw(tf, "Bucketize", [x], {"boundaries": [-1.0, 0.0, 2.5]}),
        lambda x: np.searchsorted(np.array([-1.0, 0.0, 2.5], np.float32), x, side="right").astype(I32),
        [(np.array([[-2.0, -1.0], [0.0, 2.5], [3.0, 1.0]], d),) for d in (F32, F64)]
        + [(np.array([-1, 0, 2, 3], d),) for d in (I32, I64)]),
    Row("SobolSample", lambda tf: tf.math.sobol_sample(3, 5, skip=2), lambda: _sobol_ref(3, 5, 2), [()]),
    Row("ApproxTopK", lambda tf, x: list(tf.math.approx_max_k(x, 2)),
        lambda x: [np.sort(x, 1)[:, ::-1][:, :2], np.argsort(-x, 1, kind="stable")[:, :2].astype(I32)],
        [(arr((2, 5), F32),)]),
    Row("LeftShift", lambda tf, x, y: tf.bitwise.left_shift(x, y), _shift_ref(np.left_shift),
        [(np.array([1, -3, 7, 100], d), np.array([2, 9, -1, 3], d)) for d in (np.int8, I32)]
        + [(np.array([1, 3, 200], U8), np.array([2, 9, 1], U8))]),
    Row("RightShift", lambda tf, x, y: tf.bitwise.right_shift(x, y), _shift_ref(np.right_shift),
        [(np.array([-128, 100, 7, 64], d), np.array([2, 9, -1, 3], d)) for d in (np.int8, I64)]),
]
ROWS = ROWS + MATHX
GRAD_EXEMPT.update({"ApproxTopK": "no float64 kernel: its gradient is checked in float32 by "
                                  "tests/tf_recorded/cases_math_rest.py (approx_top_k_gradient)"})
# ----- tf.linalg's decompositions, matrix functions, least squares and tridiagonal systems ------------------------
def _lu_ref(x):
    p, lower, upper = scipy.linalg.lu(x)
    return [np.tril(lower, -1) + upper, np.argmax(p, axis=0).astype(I32)]


def _tridiag_dense(d):
    """The dense matrices of compact [..., 3, M] diagonals."""
    m = d.shape[-1]
    i = np.arange(m)
    out = np.zeros(d.shape[:-2] + (m, m), d.dtype)
    out[..., i, i] = d[..., 1, :]
    out[..., i[:-1], i[1:]] = d[..., 0, :-1]
    out[..., i[1:], i[:-1]] = d[..., 2, 1:]
    return out


def _dominant(d):  # tridiagonal diagonals whose main diagonal dominates
    return (d + np.array([0.0, 4.0, 0.0])[:, None]).astype(d.dtype)


def _per_matrix(fn):
    return lambda x: np.stack([fn(m) for m in x.reshape((-1,) + x.shape[-2:])]).reshape(x.shape).astype(x.dtype)


LINALG_MORE = [
    Row("Svd", lambda tf, x: list(tf.linalg.svd(x)),
        lambda x: [np.linalg.svd(x)[1], np.linalg.svd(x, full_matrices=False)[0],
                   np.swapaxes(np.linalg.svd(x, full_matrices=False)[2], -1, -2)],
        [(arr((3, 3)),), (arr((4, 3)),), (arr((2, 3, 4)),), (arr((3, 2), F32),)], grad=True, grad_tol=1e-5),
    Row("Svd", lambda tf, x: list(tf.svd(x, full_matrices=True)),
        lambda x: [np.linalg.svd(x)[1], np.linalg.svd(x)[0], np.swapaxes(np.linalg.svd(x)[2], -1, -2)],
        [(arr((3, 3)),), (arr((3, 2)),), (arr((2, 3)),)], grad=True, grad_tol=1e-5),
    Row("Svd", lambda tf, x: tf.svd(x, compute_uv=False), lambda x: np.linalg.svd(x, compute_uv=False),
        [(arr((3, 3)),), (arr((2, 4, 3)),)], grad=True, grad_tol=1e-5),
    Row("Lu", lambda tf, x: list(tf.linalg.lu(x + 4.0 * np.eye(3))), lambda x: _lu_ref(_well(x)),
        [(arr((3, 3)),), (arr((3, 3), F32),)]),
    Row("MatrixExponential", lambda tf, x: tf.linalg.expm(x), _per_matrix(scipy.linalg.expm),
        [(arr(s),) for s in SQ] + [(arr((3, 3), F32),)], grad=True, grad_tol=1e-5),
    Row("MatrixLogarithm", lambda tf, x: tf.linalg.logm(x),
        _per_matrix(lambda m: scipy.linalg.logm(m.astype(np.complex128))),
        [(_well(arr((3, 3))).astype(np.complex128),), (_well(arr((2, 2, 2))).astype(np.complex64),)]),
    Row("MatrixSquareRoot", lambda tf, x: tf.linalg.sqrtm(_spd(tf, x)),
        lambda x: _per_matrix(scipy.linalg.sqrtm)(_spd_ref(x)),
        [(arr(s),) for s in SQ] + [(arr((3, 3), F32),)], grad=True, grad_tol=1e-5),
    Row("MatrixSolveLs", lambda tf, a, b: raw(tf, "MatrixSolveLs", [a, b, 0.5], {"fast": True}),
        lambda a, b: np.linalg.solve(a.T @ a + 0.5 * np.eye(a.shape[1]), a.T @ b).astype(a.dtype),
        [(arr((4, 3)), arr((4, 2))), (arr((4, 3), F32), arr((4, 1), F32))], grad=True, grad_inputs=[0, 1],
        grad_tol=1e-5),
    Row("MatrixSolveLs", lambda tf, a, b: raw(tf, "MatrixSolveLs", [a, b, 0.0], {"fast": True}),
        lambda a, b: a.T @ np.linalg.solve(a @ a.T, b), [(arr((2, 4)), arr((2, 3)))], grad=True,
        grad_inputs=[0, 1], grad_tol=1e-5),
    Row("MatrixSolveLs", lambda tf, a, b: raw(tf, "MatrixSolveLs", [a, b, 0.0], {"fast": False}),
        lambda a, b: np.linalg.lstsq(a, b, rcond=None)[0], [(arr((4, 3)), arr((4, 2))), (arr((2, 3)), arr((2, 1)))]),
    Row("TridiagonalSolve", lambda tf, d, r: tf.linalg.tridiagonal_solve(d + [[0.0], [4.0], [0.0]], r),
        lambda d, r: np.linalg.solve(_tridiag_dense(_dominant(d)), r),
        [(arr((3, 4)), arr((4, 2))), (arr((2, 3, 3)), arr((2, 3, 1))), (arr((3, 4), F32), arr((4, 2), F32))],
        grad=True, grad_tol=1e-5),
    Row("TridiagonalMatMul", lambda tf, d, r: tf.linalg.tridiagonal_matmul(d, r),
        lambda d, r: _tridiag_dense(d) @ r,
        [(arr((3, 4)), arr((4, 2))), (arr((2, 3, 3)), arr((2, 3, 1))), (arr((3, 4), F32), arr((4, 2), F32))],
        grad=True),
]
ROWS = ROWS + LINALG_MORE


# ----- issue 16's array ops: sequences, identities, sorting, histograms, FFTs, N-D scatters, fake quantization ------
def _ts_ref(kind):
    def ref(x, i, u):
        out = x.copy()
        for row, val in zip(i.reshape(-1, i.shape[-1]), u.reshape((-1,) + x.shape[i.shape[-1]:])):
            at = tuple(row)
            out[at] = {"Update": val, "Add": out[at] + val, "Sub": out[at] - val, "Max": np.maximum(out[at], val),
                       "Min": np.minimum(out[at], val)}[kind]
        return out
    return ref


def _fake_quant_ref(lo, hi, bits=8, narrow=False):
    """A float64 re-derivation: the range shifted so 0 is a level, values rounded to the nearest level."""
    qmin, qmax = (1 if narrow else 0), 2 ** bits - 1
    lo, hi = np.asarray(lo, F64), np.asarray(hi, F64)
    scale = (hi - lo) / (qmax - qmin)
    zero = np.clip(np.round(qmin - lo / scale), qmin, qmax)
    nlo, nhi = (qmin - zero) * scale, (qmax - zero) * scale
    return lambda x: (np.round((np.clip(x, nlo, nhi) - nlo) / scale) * scale + nlo).astype(F32), nlo, nhi


def _fake_quant_grads_ref(lo, hi, axes=None):
    _, nlo, nhi = _fake_quant_ref(lo, hi)
    def ref(g, x):
        return [np.where((x >= nlo) & (x <= nhi), g, 0).astype(F32), np.where(x < nlo, g, 0).sum(axes).astype(F32),
                np.where(x > nhi, g, 0).sum(axes).astype(F32)]
    return ref


_FQ_X = np.array([[-7.0, -1.0, 0.31], [2.5, 6.1, 1.04]], F32)  # (no value half-way between two levels)
_CPLX = (arr((2, 3)) + 1j * arr((2, 3))).astype(np.complex64)
_CPLX3 = arr((2, 2, 3)) + 1j * arr((2, 2, 3))
def _gather_tree_ref(step_ids, parent_ids, lengths, end=2):
    """Beams traced back from the last step (TF 1.15's GatherTree), end tokens after a beam's first one."""
    t_max, batch, width = step_ids.shape
    out = np.full(step_ids.shape, end, step_ids.dtype)
    for b in range(batch):
        n = min(t_max, lengths[b])
        for j in range(width):
            beam = j
            for t in reversed(range(n)):
                out[t, b, j] = step_ids[t, b, beam]
                beam = parent_ids[t, b, beam]
            seen = list(out[:n, b, j]).index(end) if end in out[:n, b, j] else n
            out[seen + 1:n, b, j] = end
    return out


_GT_STEPS = np.array([[[1, 2, 3], [4, 5, 6]], [[7, 8, 9], [10, 11, 12]], [[5, 2, 4], [3, 3, 3]]], I32)
_GT_PARENTS = np.array([[[0, 0, 0], [0, 0, 0]], [[2, 1, 0], [1, 1, 0]], [[0, 1, 2], [2, 0, 1]]], I32)


ARRAY_MORE = [
    Row("Roll", lambda tf, x: tf.roll(x, [1, -1], [0, 1]), lambda x: np.roll(x, (1, -1), (0, 1)),
        [(arr((3, 4)),), (arr((2, 5), I32, -9, 9),)], grad=True),
    Row("UnravelIndex", lambda tf, i: tf.unravel_index(i, [3, 4]), lambda i: np.array(np.unravel_index(i, (3, 4)),
                                                                                      i.dtype),
        [(np.array([0, 5, 11], I32),), (np.array([7, 2], I64),)], dynamic=False),
    Row("GatherTree", lambda tf, s, p, n: tf.contrib.seq2seq.gather_tree(s, p, n, 2), _gather_tree_ref,
        [(_GT_STEPS, _GT_PARENTS, np.array([3, 2], I32)), (_GT_STEPS, _GT_PARENTS, np.array([0, 5], I32))]),
    Row("LinSpace", lambda tf, a, b: raw(tf, "LinSpace", [a, b, 5]), lambda a, b: np.linspace(a, b, 5).astype(a.dtype),
        [(np.array(0.0, F32), np.array(1.0, F32)), (np.array(-3.0), np.array(5.0))]),
    Row("IdentityN", lambda tf, x, y: tf.identity_n([x, y]), lambda x, y: [x, y],
        [(arr((2, 3)), arr((3,), I32))], grad=True),
    Row("GuaranteeConst", lambda tf, x: tf.guarantee_const(x), lambda x: x, [(arr((2, 3)),)]),
    Row("EnsureShape", lambda tf, x: tf.ensure_shape(x, [None] * x.shape.ndims), lambda x: x,
        [(arr((2, 3)),), (arr((4,), F32),)], grad=True),
    Row("Bitcast", lambda tf, x: tf.bitcast(x, tf.int32 if x.dtype == tf.float32 else tf.uint8),
        lambda x: x.view(I32) if x.dtype == F32 else x.view(U8).reshape(x.shape + (8,)),
        [(arr((2, 3), F32),), (arr((3,)),)]),
    Row("LowerBound", lambda tf, s, v: raw(tf, "LowerBound", [s, v], {"out_type": tf.int32}),
        lambda s, v: np.stack([np.searchsorted(a, b, "left") for a, b in zip(s, v)]).astype(I32),
        [(np.sort(arr((2, 5)), 1), arr((2, 3))), (np.array([[1, 2, 2, 4]], I32), np.array([[2, 0, 5]], I32))]),
    Row("UpperBound", lambda tf, s, v: raw(tf, "UpperBound", [s, v], {"out_type": tf.int64}),
        lambda s, v: np.stack([np.searchsorted(a, b, "right") for a, b in zip(s, v)]).astype(I64),
        [(np.array([[1, 2, 2, 4]], I32), np.array([[2, 0, 5]], I32))]),
    Row("HistogramFixedWidth", lambda tf, x: tf.histogram_fixed_width(x, [0.0, 5.0], nbins=5),
        lambda x: np.bincount(np.clip(np.floor(x.ravel() / 1.0), 0, 4).astype(int), minlength=5).astype(I32),
        [(arr((3, 4), F32, -2, 7),), (arr((5,), F64, 0, 5),)]),
    Row("DenseBincount", lambda tf, x, w: raw(tf, "DenseBincount", [x, 6, w], {"binary_output": False}),
        lambda x, w: np.bincount(x[x < 6], w[x < 6], minlength=6).astype(w.dtype),
        [(np.array([1, 3, 2, 3, 7], I32), arr((5,), F32))]),
    Row("DenseCountSparseOutput", lambda tf, x: raw(tf, "DenseCountSparseOutput", [x, np.zeros(0, I32)],
                                                    {"minlength": -1, "maxlength": -1, "binary_output": False}),
        lambda x: [np.array([[1], [2], [5]], I64), np.array([1, 2, 1], I32), np.array([6], I64)],
        [(np.array([1, 2, 5, 2], I32),)], exact=False),
    Row("UniqueWithCounts", lambda tf, x: list(tf.unique_with_counts(x)),
        lambda x: [np.array([4, 1, 7], x.dtype), np.array([0, 1, 0, 2, 1], I32), np.array([2, 2, 1], I32)],
        [(np.array([4, 1, 4, 7, 1], I64),)], exact=False),
    Row("FFT", lambda tf, x: tf.fft(x), lambda x: np.fft.fft(x).astype(x.dtype), [(_CPLX,), (_CPLX3,)]),
    Row("IFFT", lambda tf, x: tf.ifft(x), lambda x: np.fft.ifft(x).astype(x.dtype), [(_CPLX,), (_CPLX3,)]),
    Row("FFT2D", lambda tf, x: tf.fft2d(x), lambda x: np.fft.fft2(x).astype(x.dtype), [(_CPLX,), (_CPLX3,)]),
    Row("IFFT2D", lambda tf, x: tf.ifft2d(x), lambda x: np.fft.ifft2(x).astype(x.dtype), [(_CPLX3,)]),
    Row("FFT3D", lambda tf, x: tf.fft3d(x), lambda x: np.fft.fftn(x, axes=(-3, -2, -1)).astype(x.dtype), [(_CPLX3,)]),
    Row("IFFT3D", lambda tf, x: tf.ifft3d(x), lambda x: np.fft.ifftn(x, axes=(-3, -2, -1)).astype(x.dtype),
        [(_CPLX3,)]),
    Row("FakeQuantWithMinMaxArgs", lambda tf, x: tf.fake_quant_with_min_max_args(x, -1.0, 2.0),
        _fake_quant_ref(-1.0, 2.0)[0], [(_FQ_X,)]),
    Row("FakeQuantWithMinMaxArgsGradient",
        lambda tf, g, x: tf.fake_quant_with_min_max_args_gradient(g, x, -1.0, 2.0),
        lambda g, x: _fake_quant_grads_ref(-1.0, 2.0)(g, x)[0], [(arr((2, 3), F32), _FQ_X)]),
    Row("FakeQuantWithMinMaxVars", lambda tf, x: tf.fake_quant_with_min_max_vars(x, -0.5, 1.5),
        _fake_quant_ref(-0.5, 1.5)[0], [(_FQ_X,)]),
    Row("FakeQuantWithMinMaxVarsGradient",
        lambda tf, g, x: list(tf.fake_quant_with_min_max_vars_gradient(g, x, -0.5, 1.5)),
        _fake_quant_grads_ref(-0.5, 1.5), [(arr((2, 3), F32), _FQ_X)]),
    Row("FakeQuantWithMinMaxVarsPerChannel",
        lambda tf, x: tf.fake_quant_with_min_max_vars_per_channel(x, [-0.8, 0.0, -2.0], [1.0, 3.0, 0.5]),
        _fake_quant_ref([-0.8, 0.0, -2.0], [1.0, 3.0, 0.5])[0], [(_FQ_X,)]),
    Row("FakeQuantWithMinMaxVarsPerChannelGradient",
        lambda tf, g, x: list(tf.fake_quant_with_min_max_vars_per_channel_gradient(g, x, [-1.0, 0.0, -2.0],
                                                                                  [1.0, 3.0, 0.5])),
        _fake_quant_grads_ref([-0.8, 0.0, -2.0], [1.0, 3.0, 0.5], 0), [(arr((2, 3), F32), _FQ_X)]),
]
_TS_CASES = [(M23.copy(), np.array([[0, 2], [1, 0]], I32), np.array([0.25, -0.75])),
             (arr((3, 2)), np.array([[2], [0]], I64), arr((2, 2))), (arr((3,), I32, -5, 5), np.array([[1]], I32),
                                                                     np.array([4], I32))]
ARRAY_MORE += [Row("TensorScatter" + k, lambda tf, x, i, u, k=k: getattr(tf, "tensor_scatter_nd_" + k.lower())(x, i, u),
                   _ts_ref(k), _TS_CASES, grad=True) for k in ("Update", "Add", "Sub", "Max", "Min")]
GRAD_EXEMPT.update({t: "complex input: tests/tf_recorded/cases_arrays.py fft_gradients"
                    for t in ("FFT", "IFFT", "FFT2D", "IFFT2D", "FFT3D", "IFFT3D")})
_RX, _RX3 = arr((2, 6)), arr((2, 3, 4, 5), F32)  # tf.signal's real-input DFTs (raygraph/ops/signal_ops.py)
ARRAY_MORE += [
    Row("RFFT", lambda tf, x: tf.signal.rfft(x, [8]), lambda x: np.fft.rfft(x, 8), [(_RX,)]),
    Row("IRFFT", lambda tf, x: tf.signal.irfft(x, [7]), lambda x: np.fft.irfft(x, 7), [(np.fft.rfft(_RX),)]),
    Row("RFFT2D", lambda tf, x: tf.signal.rfft2d(x), lambda x: np.fft.rfft2(x).astype(np.complex64), [(_RX3,)]),
    Row("IRFFT2D", lambda tf, x: tf.signal.irfft2d(x, [4, 5]), lambda x: np.fft.irfft2(x, (4, 5)).astype(F32),
        [(np.fft.rfft2(_RX3).astype(np.complex64),)]),
    Row("RFFT3D", lambda tf, x: tf.signal.rfft3d(x, [3, 4, 6]), lambda x: np.fft.rfftn(x, (3, 4, 6), (1, 2, 3)),
        [(_RX3.astype(F64),)]),
    Row("IRFFT3D", lambda tf, x: tf.signal.irfft3d(x), lambda x: np.fft.irfftn(x, (3, 4, 4), (1, 2, 3)),
        [(np.fft.rfftn(_RX3.astype(F64), axes=(1, 2, 3)),)]),
]
GRAD_EXEMPT.update({t: "complex output or input: tests/tf_recorded/cases_signal.py rfft_gradients"
                    for t in ("RFFT", "IRFFT", "RFFT2D", "IRFFT2D")})
GRAD_EXEMPT.update({t: "float32 only: tests/tf_recorded/cases_arrays.py fake_quant_gradients"
                    for t in ("FakeQuantWithMinMaxArgs", "FakeQuantWithMinMaxVars", "FakeQuantWithMinMaxVarsPerChannel")})
GRAD_EXEMPT.update({t: "piecewise constant (no differences to check): op_rows_custom._quantized and tests/tf_recorded/"
                       "cases_quantize.py quantize_and_dequantize_gradients"
                    for t in ("QuantizeAndDequantizeV2", "QuantizeAndDequantizeV4", "QuantizeAndDequantizeV4Grad")})
ROWS = ROWS + ARRAY_MORE
ARRAY_MORE_2 = [
    Row("ApproxTopK", lambda tf, x: list(tf.approx_top_k(x, 2)),
        lambda x: [-np.sort(-x, -1)[..., :2], np.argsort(-x, -1, kind="stable")[..., :2].astype(I32)],
        [(arr((3, 5), F32),), (arr((2, 2, 4), F32),)]),
    Row("SparseMatMul", lambda tf, a, b: tf.sparse_matmul(a, b, transpose_b=True, a_is_sparse=True),
        lambda a, b: (a @ b.T).astype(F32), [(arr((2, 3), F32), arr((4, 3), F32))]),
    Row("ParallelConcat", lambda tf, x, y: tf.parallel_stack([x, y]), lambda x, y: np.stack([x, y]),
        [(arr((2, 3)), arr((2, 3))), (arr((4,), I32), arr((4,), I32))], dynamic=False),
    Row("RandomIndexShuffle", lambda tf, i: tf.random_index_shuffle(i, np.array([1, 2, 3], I64), np.array(9, I64)),
        lambda i: np.array([2, 0, 6, 4, 8, 1, 7, 9, 5, 3], i.dtype)[i],  # recorded from TF: tf_recorded cases_arrays
        [(np.arange(10, dtype=I64),), (np.array(4, I64),)]),
]
GRAD_EXEMPT.update({"ApproxTopK": "float32 at most: tests/tf_recorded/cases_sorting.py approx_top_k",
                    "SparseMatMul": "float32 only: tests/tf_recorded/cases_arrays.py sparse_matmul"})
ROWS = ROWS + ARRAY_MORE_2
ROWS = ROWS + [  # farmhash64 bytes recorded from TF (tests/tf_recorded/cases_fingerprint.py)
    Row("Fingerprint", lambda tf, x: tf.fingerprint(x),
        lambda x: np.array([[87, 121, 159, 150, 87, 134, 150, 254], [193, 253, 87, 90, 128, 159, 72, 43]], U8),
        [(np.array([[3.0, 1.0, 2.0], [0.0, 5.0, 4.0]], F32),)]),
]


def _patches_ref(k, s, r, padding):
    """Naive loops over output positions and window cells (2-D images, or 3-D volumes with rate 1)."""
    def ref(x):
        spatial = x.shape[1:-1]
        k_eff = [kk + (kk - 1) * (rr - 1) for kk, rr in zip(k, r)]
        out = [-(-n // ss) if padding == "SAME" else -(-(n - ke + 1) // ss) for n, ke, ss in zip(spatial, k_eff, s)]
        before = [max((o - 1) * ss + ke - n, 0) // 2 if padding == "SAME" else 0
                  for o, ss, ke, n in zip(out, s, k_eff, spatial)]
        res = np.zeros((x.shape[0],) + tuple(out) + (int(np.prod(k)) * x.shape[-1],), x.dtype)
        for pos in np.ndindex(*out):
            vals = []
            for cell in np.ndindex(*k):
                at = [p * ss + c * rr - b for p, ss, c, rr, b in zip(pos, s, cell, r, before)]
                inside = all(0 <= a < n for a, n in zip(at, spatial))
                vals.append(x[(slice(None),) + tuple(at)] if inside else np.zeros((x.shape[0], x.shape[-1]), x.dtype))
            res[(slice(None),) + pos] = np.concatenate(vals, axis=-1)
        return res
    return ref


ROWS = ROWS + [
    Row("ExtractImagePatches", lambda tf, x: tf.extract_image_patches(x, [1, 2, 3, 1], [1, 2, 1, 1], [1, 1, 2, 1], "SAME"),
        _patches_ref((2, 3), (2, 1), (1, 2), "SAME"), [(arr((2, 5, 6, 2)),), (arr((1, 4, 5, 1), F32),)], grad=True),
    Row("ExtractImagePatches", lambda tf, x: tf.extract_image_patches(x, [1, 2, 2, 1], [1, 1, 2, 1], [1, 1, 1, 1], "VALID"),
        _patches_ref((2, 2), (1, 2), (1, 1), "VALID"), [(arr((1, 4, 5, 3)),), (arr((2, 3, 3, 1), I32, -5, 5),)],
        grad=True),
    Row("ExtractVolumePatches", lambda tf, x: tf.extract_volume_patches(x, [1, 2, 1, 2, 1], [1, 1, 2, 2, 1], "SAME"),
        _patches_ref((2, 1, 2), (1, 2, 2), (1, 1, 1), "SAME"), [(arr((1, 3, 4, 3, 2)),)], grad=True),
]


def _conv_valid_ref(x, w):
    """A 2-D VALID convolution, stride 1, by loops over the window (channels last, leading batch dims folded)."""
    lead, x4 = x.shape[:-3], x.reshape((-1,) + x.shape[-3:])
    kh, kw = w.shape[:2]
    out = np.zeros((x4.shape[0], x4.shape[1] - kh + 1, x4.shape[2] - kw + 1, w.shape[-1]), x.dtype)
    for i in range(kh):
        for j in range(kw):
            out += np.einsum("nhwc,co->nhwo", x4[:, i:i + out.shape[1], j:j + out.shape[2]], w[i, j]).astype(x.dtype)
    return out.reshape(lead + out.shape[1:])


ROWS = ROWS + [
    Row("Conv", lambda tf, x, w: tf.conv(x, w, [1, 1, 1, 1], "VALID", batch_dims=x.shape.ndims - 3), _conv_valid_ref,
        [(arr((2, 4, 5, 3)), arr((2, 3, 3, 2))), (arr((2, 1, 3, 3, 1), F32), arr((2, 2, 1, 2), F32))]),
]
ROWS = ROWS + [
    Row("EditDistance", lambda tf, hv, tv: raw(tf, "EditDistance", [np.array([[0, 0], [0, 1], [1, 0]], I64), hv,
                                                                  np.array([2, 2], I64), np.array([[0, 0], [1, 0], [1, 1]], I64),
                                                                  tv, np.array([2, 3], I64)], {"normalize": True}),
        lambda hv, tv: np.array([1.0, 0.5], F32), [(np.array([1, 2, 3], I32), np.array([1, 3, 4], I32))]),
]


def _cross_ref(dense_a, dense_b):
    rows = [[x + b"_X_" + y for x in ra for y in rb] for ra, rb in zip(dense_a, dense_b)]
    return [np.array([[r, k] for r, row in enumerate(rows) for k in range(len(row))], I64).reshape(-1, 2),
            np.array([c for row in rows for c in row] + [None], object)[:-1],
            np.array([len(rows), max(map(len, rows))], I64)]


ROWS = ROWS + [
    Row("SparseCrossV2", lambda tf, a, b: (lambda st: [st.indices, st.values, st.dense_shape])(tf.sparse.cross([a, b])),
        _cross_ref,
        [(_s("a", "b", "c", "d").reshape(2, 2), _s("x", "y", "z", "w", "v", "u").reshape(2, 3))], exact=False),
]


def _cross_hashed_ref(a, b):
    """SparseCross, hashed: TF's FingerprintCat64 chain from the default hash key, written out here."""
    from raygraph.ops.fingerprints import fingerprint64
    mask, mul = (1 << 64) - 1, 0xC6A4A7935BD1E995

    def mix(v):
        return v ^ (v >> 47)

    def cat(x, y):
        r = x ^ mul
        r ^= (mix((y * mul) & mask) * mul) & mask
        r = (mix((r * mul) & mask) * mul) & mask
        return mix(r)
    idx, vals = _cross_ref(a, b)[0], []
    for ra, rb in zip(a, b):
        for x in ra:
            for y in rb:
                vals.append(cat(cat(0xDECAFCAFFE, fingerprint64(x)), fingerprint64(y)) % 50)
    return [idx, np.array(vals, I64), _cross_ref(a, b)[2]]


ROWS = ROWS + [
    Row("SparseCross", lambda tf, a, b: (lambda st: [st.indices, st.values, st.dense_shape])(
        tf.sparse.cross_hashed([a, b], num_buckets=50)), _cross_hashed_ref,
        [(_s("a", "b", "c", "d").reshape(2, 2), _s("x", "y", "z", "w", "v", "u").reshape(2, 3))], exact=False),
]


# ----- CTC: references by enumerating every alignment (path) of a few steps over a few classes -------------------
_CTC_IX = np.array([[0, 0], [0, 1], [1, 0]], I64)
_CTC_LABELS = [[1, 1], [0]]


def _ctc_collapse(path, blank):
    out = [k for i, k in enumerate(path) if k != blank and (i == 0 or k != path[i - 1])]
    return tuple(out)


def _ctc_paths(x, b, steps):
    """(path, probability) of every path of `steps` steps for batch entry b, under softmax(x)."""
    import itertools
    p = _softmax(x[:steps, b])
    for path in itertools.product(range(x.shape[2]), repeat=steps):
        yield path, np.prod(p[np.arange(steps), list(path)])


def _ctc_loss_ref(x, seq=(4, 3)):
    """-log p(label) and its gradient w.r.t. the logits (softmax minus each class's share of the label's paths)."""
    loss, grad = np.zeros(x.shape[1]), np.zeros(x.shape)
    for b, label in enumerate(_CTC_LABELS):
        total, share = 0.0, np.zeros((seq[b], x.shape[2]))
        for path, prob in _ctc_paths(x, b, seq[b]):
            if _ctc_collapse(path, x.shape[2] - 1) == tuple(label):
                total += prob
                share[np.arange(seq[b]), list(path)] += prob
        loss[b] = -np.log(total)
        grad[:seq[b], b] = _softmax(x[:seq[b], b]) - share / total
    return [loss.astype(x.dtype), grad.astype(x.dtype)]


def _ctc_sparse(rows, batch):
    ix = [[b, i] for b, r in enumerate(rows) for i in range(len(r))]
    return [np.array(ix, I64).reshape(-1, 2), np.array([v for r in rows for v in r], I64),
            np.array([batch, max(map(len, rows))], I64)]


def _ctc_greedy_ref(x, seq=(4, 2)):
    rows, log_prob = [], np.zeros((x.shape[1], 1), x.dtype)
    for b in range(x.shape[1]):
        best = [int(np.argmax(x[t, b])) for t in range(seq[b])]
        rows.append([k for i, k in enumerate(best) if k != x.shape[2] - 1 and (i == 0 or k != best[i - 1])])
        log_prob[b, 0] = -sum(x[t, b].max() for t in range(seq[b]))
    return _ctc_sparse(rows, x.shape[1]) + [log_prob]


def _ctc_beam_ref(x, seq=(3, 2), paths=2):
    """With a beam wider than every prefix the search is exact: the `paths` likeliest labelings."""
    out, log_probs = [[] for _ in range(paths)], np.zeros((x.shape[1], paths), x.dtype)
    for b in range(x.shape[1]):
        totals = {}
        for path, prob in _ctc_paths(x, b, seq[b]):
            key = _ctc_collapse(path, x.shape[2] - 1)
            totals[key] = totals.get(key, 0.0) + prob
        best = sorted(totals, key=lambda k: -totals[k])[:paths]
        for p, key in enumerate(best):
            out[p].append(list(key))
            log_probs[b, p] = np.log(totals[key])
    sparse = [_ctc_sparse(rows, x.shape[1]) for rows in out]
    return [s[0] for s in sparse] + [s[1] for s in sparse] + [s[2] for s in sparse] + [log_probs]


ROWS = ROWS + [
    Row("CTCLoss", lambda tf, x: raw(tf, "CTCLoss", [x, _CTC_IX, np.array([1, 1, 0], I32), np.array([4, 3], I32)]),
        _ctc_loss_ref, [(arr((4, 2, 3)),), (arr((4, 2, 3), F32),)], grad=True, grad_outputs=(0,), grad_tol=1e-5),
    Row("CTCGreedyDecoder", lambda tf, x: raw(tf, "CTCGreedyDecoder", [x, np.array([4, 2], I32)],
                                              {"merge_repeated": True, "blank_index": -1}),
        _ctc_greedy_ref, [(arr((4, 2, 3)),), (arr((4, 2, 4), F32),)], exact=False),
    Row("CTCBeamSearchDecoder", lambda tf, x: raw(tf, "CTCBeamSearchDecoder", [x, np.array([3, 2], I32)],
                                                  {"beam_width": 100, "top_paths": 2, "merge_repeated": False}),
        _ctc_beam_ref, [(arr((3, 2, 3)),), (arr((3, 2, 4), F32),)], exact=False),
]


# ----- glimpses (raygraph/ops/glimpse.py): zero noise, every value known (random fills: tf_recorded image_glimpse)
def _glimpse_ref(shift, size=(2, 3), pad=8):
    """Each image's `size` window whose corner is trunc(offset - shift), zeros outside the image."""
    def ref(x, offsets):
        padded = np.pad(x, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
        corners = [[int(np.float32(v) - np.float32(s)) + pad for v, s in zip(o, shift)] for o in offsets]
        return np.stack([img[r:r + size[0], c:c + size[1]] for img, (r, c) in zip(padded, corners)])
    return ref


_GLIMPSE_CASES = [(arr((3, 4, 5, 2), F32), np.array([[1, 1.5], [-0.5, 4.2], [3.9, 2.0]], F32)),
                  (arr((2, 3, 3, 1), F32), np.array([[5.5, -1.2], [0.0, 0.0]], F32))]
ROWS = ROWS + [
    Row(op_type, lambda tf, x, o, op_type=op_type: raw(tf, op_type, [x, [2, 3], o], {
        "centered": False, "normalized": False, "uniform_noise": False, "noise": "zero"}), _glimpse_ref(shift),
        _GLIMPSE_CASES) for op_type, shift in (("ExtractGlimpse", (1.0, 1.5)), ("ExtractGlimpseV2", (0.0, 0.0)))]


# ----- fused RNN cells (raygraph/ops/rnn_ops.py): no float64 kernels, so the forward ops' gradients are checked
# against TF's in tf_recorded contrib_rnn_block, and the Grad ops here against central differences of the forward
def _lstm_ref(x, cs, h, w, wci, wcf, wco, b, forget_bias=1.0, clip=-1.0, peep=True, ifco=False, dgates=0.0):
    """LSTMBlockCell's (i, cs, f, o, ci, co, h) in float64; `dgates` is added to the gates [x, h] w + b."""
    n = cs.shape[1]
    g = np.concatenate([x, h], 1).astype(F64) @ w + b + dgates
    gi, gc, gf, go = (g[:, k * n:(k + 1) * n] for k in ((0, 2, 1, 3) if ifco else (0, 1, 2, 3)))
    i = _sigmoid(gi + peep * cs * wci)
    ci = np.tanh(gc)
    f = _sigmoid(gf + forget_bias + peep * cs * wcf)
    new_cs = i * ci + f * cs
    new_cs = np.clip(new_cs, -clip, clip) if clip > 0 else new_cs
    co = np.tanh(new_cs)
    o = _sigmoid(go + peep * new_cs * wco)
    return [i, new_cs, f, o, ci, co, o * co]


def _block_ref(steps, x, cs, h, w, wci, wcf, wco, b, **kw):
    """BlockLSTM's outputs [time, batch, cell]: `steps` LSTM steps, zeros after."""
    outs = np.zeros((7,) + x.shape[:2] + cs.shape[1:])
    for t in range(steps):
        outs[:, t] = _lstm_ref(x[t], cs, h, w, wci, wcf, wco, b, **kw)
        cs, h = outs[1, t], outs[6, t]
    return list(outs)


def _gru_ref(x, h, w_ru, w_c, b_ru, b_c, d_ru=0.0, d_c=0.0):
    """GRUBlockCell's (r, u, c, h) in float64; d_ru and d_c are added to the gates' and candidate's sums."""
    n = h.shape[1]
    ru = _sigmoid(np.concatenate([x, h], 1).astype(F64) @ w_ru + b_ru + d_ru)
    r, u = ru[:, :n], ru[:, n:]
    c = np.tanh(np.concatenate([x, h * r], 1) @ w_c + b_c + d_c)
    return [r, u, c, u * h + (1 - u) * c]


def _numgrad(loss, args, k, step=1e-5):
    """d loss(*args) / d args[k] by central differences."""
    args = [np.asarray(a, F64) for a in args]
    g = np.zeros_like(args[k])
    for idx in np.ndindex(g.shape):
        for sign in (1, -1):
            moved = list(args)
            moved[k] = args[k].copy()
            moved[k][idx] += sign * step
            g[idx] += sign * loss(*moved) / (2 * step)
    return g


def _lstm_cell_grad_ref(x, cs, h, w, wci, wcf, wco, b, cs_grad, h_grad):
    def loss(cs, wci, wcf, wco, dgates):
        out = _lstm_ref(x, cs, h, w, wci, wcf, wco, b, dgates=dgates)
        return np.sum(out[1] * cs_grad + out[6] * h_grad)
    args = [cs, wci, wcf, wco, np.zeros((len(x), len(b)))]
    return [_numgrad(loss, args, k).astype(F32) for k in (0, 4, 1, 2, 3)]


def _block_grad_ref(ifco):
    def ref(x, cs, h, w, wci, wcf, wco, b, cs_grad, h_grad):
        def loss(*inputs):
            out = _block_ref(2, *inputs, forget_bias=0.0 if ifco else 1.0, ifco=ifco)
            return np.sum(out[1] * cs_grad + out[6] * h_grad)
        return [_numgrad(loss, [x, cs, h, w, wci, wcf, wco, b], k).astype(F32) for k in range(8)]
    return ref


def _gru_grad_ref(x, h, w_ru, w_c, b_ru, b_c, d_h):
    def loss(x, h, d_ru, d_c):
        return np.sum(_gru_ref(x, h, w_ru, w_c, b_ru, b_c, d_ru, d_c)[3] * d_h)
    args = [x, h, np.zeros((len(x), len(b_ru))), np.zeros((len(x), len(b_c)))]
    return [_numgrad(loss, args, k).astype(F32) for k in (0, 1, 3, 2)]


def _lstm_case(batch, inputs, cell, steps=None, grads=False):
    x = (steps, batch, inputs) if steps else (batch, inputs)
    out = [arr(x, F32, -1, 1), arr((batch, cell), F32, -1, 1), arr((batch, cell), F32, -1, 1),
           arr((inputs + cell, 4 * cell), F32, -1, 1)] + [arr((cell,), F32, -1, 1) for _ in range(3)] + [
           arr((4 * cell,), F32, -1, 1)]
    return tuple(out + ([arr(x[:-1] + (cell,), F32, -1, 1) for _ in range(2)] if grads else []))


def _gru_case(batch, inputs, cell, grads=False):
    return tuple(arr(s, F32, -1, 1) for s in [(batch, inputs), (batch, cell), (inputs + cell, 2 * cell),
                                              (inputs + cell, cell), (2 * cell,), (cell,)] + [(batch, cell)] * grads)


_CELL_ATTRS = {"forget_bias": 0.5, "cell_clip": 0.6, "use_peephole": True}
_BLOCK_ATTRS = {"BlockLSTM": {"forget_bias": 1.0, "cell_clip": -1.0, "use_peephole": True},
                "BlockLSTMV2": {"cell_clip": 0.0, "use_peephole": True}}


def _block_grad_build(fwd, bwd):
    def build(tf, *a):
        outs = raw(tf, fwd, [np.int64(2)] + list(a[:8]), _BLOCK_ATTRS[fwd])
        return raw(tf, bwd, [np.int64(2)] + list(a[:8]) + list(outs) + list(a[8:]), {"use_peephole": True})
    return build


ROWS = ROWS + [
    Row("LSTMBlockCell", lambda tf, *a: raw(tf, "LSTMBlockCell", a, _CELL_ATTRS),
        lambda *a: [v.astype(F32) for v in _lstm_ref(*a, forget_bias=0.5, clip=0.6)],
        [_lstm_case(2, 3, 2), _lstm_case(1, 1, 3)]),
    Row("LSTMBlockCellGrad", lambda tf, *a: raw(tf, "LSTMBlockCellGrad", list(a[:8]) + list(raw(
        tf, "LSTMBlockCell", a[:8], {"forget_bias": 1.0, "cell_clip": -1.0, "use_peephole": True}))[:6] + list(a[8:]),
        {"use_peephole": True}), _lstm_cell_grad_ref, [_lstm_case(2, 2, 2, grads=True)]),
    *[Row(op_type, lambda tf, *a, op_type=op_type: raw(tf, op_type, [np.int64(2)] + list(a), _BLOCK_ATTRS[op_type]),
          lambda *a, ifco=op_type == "BlockLSTMV2": [v.astype(F32) for v in _block_ref(
              2, *a, forget_bias=0.0 if ifco else 1.0, ifco=ifco)], [_lstm_case(2, 2, 3, steps=3)])
      for op_type in ("BlockLSTM", "BlockLSTMV2")],
    *[Row(bwd, _block_grad_build(fwd, bwd), _block_grad_ref(fwd == "BlockLSTMV2"),
          [_lstm_case(2, 2, 2, steps=3, grads=True)])
      for fwd, bwd in (("BlockLSTM", "BlockLSTMGrad"), ("BlockLSTMV2", "BlockLSTMGradV2"))],
    Row("GRUBlockCell", lambda tf, *a: raw(tf, "GRUBlockCell", a), lambda *a: [v.astype(F32) for v in _gru_ref(*a)],
        [_gru_case(2, 3, 2), _gru_case(3, 1, 4)]),
    Row("GRUBlockCellGrad", lambda tf, *a: raw(tf, "GRUBlockCellGrad", list(a[:6]) + list(
        raw(tf, "GRUBlockCell", a[:6]))[:3] + [a[6]]), _gru_grad_ref, [_gru_case(2, 2, 3, grads=True)]),
]
GRAD_EXEMPT.update({name: "no float64 kernel: its gradient is checked in float32 against TF's by tests/tf_recorded/"
                          "cases_contrib_rnn_block.py" for name in ("LSTMBlockCell", "BlockLSTM", "BlockLSTMV2",
                                                                     "GRUBlockCell")})

"""Math ops: elementwise arithmetic and comparison with broadcasting, reductions, MatMul, AddN, Cast.

Also the Python operators of Tensor (`operator`), named as TF1 names them (`add`, `mul`, `truediv`...).
"""
import numpy as np

from .. import dtypes
from ..convert import constant, convert_to_tensor
from ..graph import name_scope
from ..shape import TensorShape, unknown_shape
from ..tensor import Tensor
from .array import reshape, shape
from .registry import (COMPLEX, FLOATS, INTS, NOT_DIFFERENTIABLE, NUMBERS, REALS, apply_op, bool_broadcast_shape,
                       broadcast_shape, constant_value, dims, op, same_shape, with_rank)

_raw = TensorShape._raw
INDEX = (dtypes.int32, dtypes.int64)
SIGNED = FLOATS + COMPLEX + (dtypes.int8, dtypes.int16, dtypes.int32, dtypes.int64)


# ----- gradient helpers ------------------------------------------------------------------------------------
def _sum_to(grad, x):
    """Reduces a broadcast gradient back to the shape of input `x`."""
    gs, xs = dims(grad), dims(x)
    if gs is not None and gs == xs and None not in gs:
        return grad
    if gs is not None and xs is not None and None not in gs and None not in xs:
        lead = len(gs) - len(xs)
        axes = list(range(lead)) + [lead + i for i, d in enumerate(xs) if d == 1 and gs[lead + i] != 1]
        out = reduce_sum(grad, axes) if axes else grad
        return reshape(out, list(xs)) if dims(out) != xs else out
    rx, _ = apply_op("BroadcastGradientArgs", [shape(x), shape(grad)], {})
    return reshape(reduce_sum(grad, rx), shape(x))


def _bga_kernel(a, s0, s1):
    n = max(len(s0), len(s1))
    p0 = [1] * (n - len(s0)) + list(s0)
    p1 = [1] * (n - len(s1)) + list(s1)
    r0 = [i for i in range(n) if p0[i] == 1 and p1[i] != 1 or (i < n - len(s0))]
    r1 = [i for i in range(n) if p1[i] == 1 and p0[i] != 1 or (i < n - len(s1))]
    return np.array(r0, s0.dtype), np.array(r1, s1.dtype)


op("BroadcastGradientArgs", "s0:T=int32, s1:T", kernel=_bga_kernel, T=INDEX, grad=NOT_DIFFERENTIABLE,
   shape=lambda i, a: [(i[0].dtype.base_dtype, unknown_shape(1))] * 2)


def _binary_grad(gx, gy):
    """A broadcasting binary op's gradient from the unreduced gradients for x and y."""
    def grad(op, g):
        x, y = op.inputs
        return [None if gx is None else _sum_to(gx(op, g, x, y), x),
                None if gy is None else _sum_to(gy(op, g, x, y), y)]
    return grad


# ----- elementwise binary ---------------------------------------------------------------------------------
def _binary(type, fn, allowed, grad, out=broadcast_shape):
    op(type, "x:T, y:T", kernel=lambda a, x, y: fn(x, y), shape=out, grad=grad, T=allowed)


def _int_safe_floordiv(x, y):
    if np.issubdtype(np.asarray(x).dtype, np.integer) and np.any(np.asarray(y) == 0):
        from ..errors import InvalidArgumentError
        raise InvalidArgumentError(None, None, "Integer division by zero")
    return np.floor_divide(x, y)


def _realdiv(x, y):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.true_divide(x, y).astype(np.result_type(x, y), copy=False)


def _pow(x, y):
    if np.issubdtype(np.asarray(x).dtype, np.integer) and np.any(np.asarray(y) < 0):
        from ..errors import InvalidArgumentError
        raise InvalidArgumentError(None, None, "Integers to negative integer powers are not allowed")
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return np.power(x, y)


_add_grad = _binary_grad(lambda op, g, x, y: g, lambda op, g, x, y: g)
_binary("AddV2", np.add, NUMBERS, _add_grad)
_binary("Add", np.add, NUMBERS + (dtypes.string,), _add_grad)
_binary("Sub", np.subtract, NUMBERS, _binary_grad(lambda op, g, x, y: g, lambda op, g, x, y: -g))
_binary("Mul", np.multiply, NUMBERS, _binary_grad(lambda op, g, x, y: g * y, lambda op, g, x, y: x * g))
_binary("RealDiv", _realdiv, NUMBERS, _binary_grad(
    lambda op, g, x, y: g / y, lambda op, g, x, y: g * ((-x / y) / y)))
_binary("DivNoNan", lambda x, y: np.where(y == 0, 0, _realdiv(x, np.where(y == 0, 1, y))).astype(x.dtype),
        FLOATS, None)
_binary("FloorDiv", _int_safe_floordiv, NUMBERS, None)
_binary("FloorMod", np.mod, REALS, _binary_grad(
    lambda op, g, x, y: g, lambda op, g, x, y: g * -floordiv(x, y)))
_binary("TruncateDiv", lambda x, y: np.trunc(x / y).astype(x.dtype) if x.dtype.kind == "f"
        else (np.sign(x) * np.sign(y) * (np.abs(x) // np.abs(y))).astype(x.dtype), REALS, None)
_binary("Pow", _pow, NUMBERS, _binary_grad(
    lambda op, g, x, y: g * y * pow(x, y - 1),
    lambda op, g, x, y: g * op.outputs[0] * where_positive_log(x)))
_binary("Maximum", np.maximum, REALS, _binary_grad(
    lambda op, g, x, y: g * cast(greater_equal(x, y), g.dtype),
    lambda op, g, x, y: g * cast(less(x, y), g.dtype)))
_binary("Minimum", np.minimum, REALS, _binary_grad(
    lambda op, g, x, y: g * cast(less_equal(x, y), g.dtype),
    lambda op, g, x, y: g * cast(greater(x, y), g.dtype)))
_binary("SquaredDifference", lambda x, y: np.square(x - y), NUMBERS, _binary_grad(
    lambda op, g, x, y: g * (2.0 * (x - y)) if g.dtype.is_floating else g * 2 * (x - y),
    lambda op, g, x, y: -(g * (2.0 * (x - y)))))
_binary("Atan2", np.arctan2, FLOATS, None)

for _type, _fn in (("Equal", np.equal), ("NotEqual", np.not_equal)):
    op(_type, "x:T, y:T", kernel=lambda a, x, y, fn=_fn: fn(x, y), shape=bool_broadcast_shape,
       grad=NOT_DIFFERENTIABLE, T=NUMBERS + (dtypes.bool_, dtypes.string))
for _type, _fn in (("Less", np.less), ("LessEqual", np.less_equal), ("Greater", np.greater),
                   ("GreaterEqual", np.greater_equal)):
    op(_type, "x:T, y:T", kernel=lambda a, x, y, fn=_fn: fn(x, y), shape=bool_broadcast_shape,
       grad=NOT_DIFFERENTIABLE, T=REALS)
for _type, _fn in (("LogicalAnd", np.logical_and), ("LogicalOr", np.logical_or)):
    op(_type, "x:bool, y:bool", kernel=lambda a, x, y, fn=_fn: fn(x, y), shape=bool_broadcast_shape,
       grad=NOT_DIFFERENTIABLE)
for _type, _fn in (("BitwiseAnd", np.bitwise_and), ("BitwiseOr", np.bitwise_or), ("BitwiseXor", np.bitwise_xor)):
    _binary(_type, _fn, INTS, NOT_DIFFERENTIABLE)


def where_positive_log(x):
    safe = apply_op("Select", [greater(x, 0), x, apply_op("OnesLike", [x], {})], {})
    return apply_op("Select", [greater(x, 0), log(safe), apply_op("ZerosLike", [x], {})], {})


# ----- elementwise unary ------------------------------------------------------------------------------------
def _unary(type, fn, allowed, grad):
    op(type, "x:T", kernel=lambda a, x: fn(x), shape=same_shape, grad=grad, T=allowed)


def _quiet(fn):
    def run(x):
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return fn(x)
    return run


def _sigmoid(x):
    with np.errstate(over="ignore"):
        return (1 / (1 + np.exp(-x))).astype(x.dtype, copy=False)


_unary("Neg", np.negative, SIGNED, lambda op, g: [-g])
_unary("Abs", np.abs, REALS, lambda op, g: [g * sign(op.inputs[0])])
_unary("Sign", np.sign, NUMBERS, lambda op, g: [apply_op("ZerosLike", [op.inputs[0]], {})])
_unary("Square", np.square, NUMBERS, lambda op, g: [g * (2.0 * op.inputs[0]) if g.dtype.is_floating
                                                    else g * (2 * op.inputs[0])])
_unary("Sqrt", _quiet(np.sqrt), FLOATS + COMPLEX, lambda op, g: [apply_op("SqrtGrad", [op.outputs[0], g], {})])
_unary("Rsqrt", _quiet(lambda x: (1 / np.sqrt(x)).astype(x.dtype, copy=False)), FLOATS + COMPLEX,
       lambda op, g: [apply_op("RsqrtGrad", [op.outputs[0], g], {})])
_unary("Exp", _quiet(np.exp), FLOATS + COMPLEX, lambda op, g: [g * op.outputs[0]])
_unary("Expm1", _quiet(np.expm1), FLOATS + COMPLEX, lambda op, g: [g * exp(op.inputs[0])])
_unary("Log", _quiet(np.log), FLOATS + COMPLEX, lambda op, g: [g * reciprocal(op.inputs[0])])
_unary("Log1p", _quiet(np.log1p), FLOATS + COMPLEX, lambda op, g: [g * reciprocal(1.0 + op.inputs[0])])
_unary("Tanh", np.tanh, FLOATS + COMPLEX, lambda op, g: [apply_op("TanhGrad", [op.outputs[0], g], {})])
_unary("Sigmoid", _sigmoid, FLOATS + COMPLEX, lambda op, g: [apply_op("SigmoidGrad", [op.outputs[0], g], {})])
_unary("Reciprocal", _quiet(lambda x: np.reciprocal(x) if x.dtype.kind != "f" else
                            (1 / x).astype(x.dtype, copy=False)), NUMBERS,
       lambda op, g: [apply_op("ReciprocalGrad", [op.outputs[0], g], {})])
_unary("Sin", np.sin, FLOATS + COMPLEX, lambda op, g: [g * cos(op.inputs[0])])
_unary("Cos", np.cos, FLOATS + COMPLEX, lambda op, g: [-(g * sin(op.inputs[0]))])
_unary("Floor", np.floor, FLOATS, lambda op, g: [None])
_unary("Ceil", np.ceil, FLOATS, lambda op, g: [None])
_unary("Round", np.round, NUMBERS, lambda op, g: [None])
_unary("Rint", np.rint, FLOATS, lambda op, g: [None])
for _t, _fn in (("IsNan", np.isnan), ("IsInf", np.isinf), ("IsFinite", np.isfinite)):
    op(_t, "x:T", kernel=lambda a, x, fn=_fn: fn(x), shape=lambda i, a: (dtypes.bool_, i[0].shape),
       grad=NOT_DIFFERENTIABLE, T=FLOATS)
op("LogicalNot", "x:bool", kernel=lambda a, x: np.logical_not(x), shape=same_shape, grad=NOT_DIFFERENTIABLE)
op("Invert", "x:T", kernel=lambda a, x: np.invert(x), shape=same_shape, grad=NOT_DIFFERENTIABLE, T=INTS)

# The gradient kernels TF names in gradient graphs: f(y, dy) with y the op's output.
for _t, _fn in (("TanhGrad", lambda y, dy: dy * (1 - y * y)), ("SigmoidGrad", lambda y, dy: dy * y * (1 - y)),
                ("SqrtGrad", lambda y, dy: dy * 0.5 / y), ("RsqrtGrad", lambda y, dy: dy * -0.5 * y * y * y),
                ("ReciprocalGrad", lambda y, dy: -dy * y * y)):
    op(_t, "y:T, dy:T", kernel=lambda a, y, dy, fn=_fn: _quiet(lambda _: fn(y, dy))(None).astype(y.dtype, copy=False),
       shape=same_shape, grad=None, T=FLOATS + COMPLEX)


# ----- Python operators ----------------------------------------------------------------------------------
_TRUEDIV = {dtypes.uint8: dtypes.float32, dtypes.int8: dtypes.float32, dtypes.uint16: dtypes.float32,
            dtypes.int16: dtypes.float32, dtypes.int32: dtypes.float64, dtypes.uint32: dtypes.float64,
            dtypes.int64: dtypes.float64, dtypes.uint64: dtypes.float64}


def add(x, y, name=None):
    return apply_op("AddV2" if _dtype_of(x) != dtypes.string else "Add", [x, y], {}, name=name or "Add")


def _add_operator(x, y, name=None):
    if not isinstance(y, Tensor):
        y = convert_to_tensor(y, dtype_hint=x.dtype.base_dtype, name="y")
    return apply_op("Add" if x.dtype.base_dtype == dtypes.string else "AddV2", [x, y], {}, name=name)


def _dtype_of(x):
    return x.dtype.base_dtype if isinstance(x, Tensor) else None


def subtract(x, y, name=None):
    return apply_op("Sub", [x, y], {}, name=name)


def multiply(x, y, name=None):
    return apply_op("Mul", [x, y], {}, name=name)


def truediv(x, y, name=None):
    """x / y; integer inputs are cast to floats first (TF1's __truediv__)."""
    with name_scope(name, "truediv", [x, y]) as scope:
        x = convert_to_tensor(x, name="x")
        y = convert_to_tensor(y, dtype_hint=x.dtype.base_dtype, name="y")
        xd, yd = x.dtype.base_dtype, y.dtype.base_dtype
        if xd != yd:
            raise TypeError(f"`x` and `y` must have the same dtype, got {xd!r} != {yd!r}.")
        if xd in _TRUEDIV:
            x, y = cast(x, _TRUEDIV[xd]), cast(y, _TRUEDIV[xd])
        elif xd not in FLOATS + COMPLEX:
            raise TypeError(f"Invalid dtype {xd!r} in __truediv__.")
        return apply_op("RealDiv", [x, y], {}, name=scope)


def div(x, y, name=None):
    """TF1's `tf.div`: Python 2 division (floor for integers)."""
    with name_scope(name, "div", [x, y]) as scope:
        x = convert_to_tensor(x, name="x")
        y = convert_to_tensor(y, name="y", dtype=x.dtype.base_dtype)
        if x.dtype.base_dtype.is_floating or x.dtype.base_dtype.is_complex:
            return apply_op("RealDiv", [x, y], {}, name=scope)
        return apply_op("FloorDiv", [x, y], {}, name=scope)


def divide(x, y, name=None):
    if name is not None:
        return truediv(x, y, name=name)
    return operator("truediv", x, y) if isinstance(x, Tensor) else truediv(x, y)


def floordiv(x, y, name=None):
    with name_scope(name, "floordiv", [x, y]) as scope:
        return apply_op("FloorDiv", [x, y], {}, name=scope)


def floormod(x, y, name=None):
    return apply_op("FloorMod", [x, y], {}, name=name)


def pow(x, y, name=None):  # noqa: A001 - TF's name
    with name_scope(name, "Pow", [x]) as scope:
        return apply_op("Pow", [x, y], {}, name=scope)


def logical_and(x, y, name=None):
    return apply_op("LogicalAnd", [x, y], {}, name=name)


def logical_or(x, y, name=None):
    return apply_op("LogicalOr", [x, y], {}, name=name)


def logical_xor(x, y, name="LogicalXor"):
    return logical_and(logical_or(x, y), logical_not(logical_and(x, y)), name=name)


def logical_not(x, name=None):
    return apply_op("LogicalNot", [x], {}, name=name)


def _and(x, y, name=None):
    x = convert_to_tensor(x)
    return logical_and(x, y, name) if x.dtype.base_dtype == dtypes.bool_ else \
        apply_op("BitwiseAnd", [x, y], {}, name=name)


def _or(x, y, name=None):
    x = convert_to_tensor(x)
    return logical_or(x, y, name) if x.dtype.base_dtype == dtypes.bool_ else \
        apply_op("BitwiseOr", [x, y], {}, name=name)


def _xor(x, y, name=None):
    x = convert_to_tensor(x)
    return logical_xor(x, y, name) if x.dtype.base_dtype == dtypes.bool_ else \
        apply_op("BitwiseXor", [x, y], {}, name=name)


def invert(x, name=None):
    x = convert_to_tensor(x)
    if x.dtype.base_dtype == dtypes.bool_:
        return logical_not(x, name=name)
    return apply_op("Invert", [x], {}, name=name)


_OPERATORS = {"add": _add_operator, "sub": subtract, "mul": multiply, "truediv": truediv,
              "floordiv": floordiv, "mod": floormod, "pow": pow, "and": _and, "or": _or, "xor": _xor}


def operator(op_name, x, y, reverse=False):
    """`x <op> y` for a Tensor x (or `y <op> x` when reverse), in a name scope named after the operator."""
    fn = _OPERATORS.get(op_name) or (lambda a, b, name=None: matmul(a, b, name=name))
    with name_scope(None, op_name, [x, y]) as scope:
        if reverse:
            left = convert_to_tensor(y, dtype=x.dtype.base_dtype, name="x")
            return fn(left, x, name=scope)
        try:
            return fn(x, y, name=scope)
        except (TypeError, ValueError) as e:
            r_op = getattr(type(y), f"__r{op_name}__", None)
            if r_op is None or isinstance(y, Tensor):
                raise
            try:
                out = r_op(y, x)
            except (TypeError, ValueError):
                raise e from None
            if out is NotImplemented:
                raise
            return out


# ----- named unary and binary wrappers ---------------------------------------------------------------
def _wrap(type):
    def fn(x, name=None):
        return apply_op(type, [x], {}, name=name)
    fn.__name__ = type.lower()
    fn.__doc__ = f"Elementwise {type} (op type `{type}`)."
    return fn


negative = neg = _wrap("Neg")
sign = _wrap("Sign")
square = _wrap("Square")
sqrt = _wrap("Sqrt")
rsqrt = _wrap("Rsqrt")
exp = _wrap("Exp")
expm1 = _wrap("Expm1")
log = _wrap("Log")
log1p = _wrap("Log1p")
tanh = _wrap("Tanh")
sigmoid = _wrap("Sigmoid")
reciprocal = _wrap("Reciprocal")
sin = _wrap("Sin")
cos = _wrap("Cos")
floor = _wrap("Floor")
ceil = _wrap("Ceil")
rint = _wrap("Rint")
is_nan = _wrap("IsNan")
is_inf = _wrap("IsInf")
is_finite = _wrap("IsFinite")


def round(x, name=None):  # noqa: A001 - TF's name
    x = convert_to_tensor(x, name="x")
    return x if x.dtype.is_integer else apply_op("Round", [x], {}, name=name)


def abs(x, name=None):  # noqa: A001 - TF's name
    with name_scope(name, "Abs", [x]) as scope:
        x = convert_to_tensor(x, name="x")
        return apply_op("Abs", [x], {}, name=scope)


def _binary_wrap(type):
    def fn(x, y, name=None):
        return apply_op(type, [x, y], {}, name=name)
    fn.__name__ = type.lower()
    fn.__doc__ = f"Elementwise {type} with broadcasting (op type `{type}`)."
    return fn


maximum = _binary_wrap("Maximum")
minimum = _binary_wrap("Minimum")
squared_difference = _binary_wrap("SquaredDifference")
less = _binary_wrap("Less")
less_equal = _binary_wrap("LessEqual")
greater = _binary_wrap("Greater")
greater_equal = _binary_wrap("GreaterEqual")
div_no_nan = _binary_wrap("DivNoNan")
truncatediv = _binary_wrap("TruncateDiv")
atan2 = _binary_wrap("Atan2")
mod = floormod


def equal(x, y, name=None):
    return apply_op("Equal", [x, y], {"incompatible_shape_error": True}, name=name)


def not_equal(x, y, name=None):
    return apply_op("NotEqual", [x, y], {"incompatible_shape_error": True}, name=name)


# ----- cast -------------------------------------------------------------------------------------------------
def _cast_kernel(a, x):
    dst = a["DstT"]
    if dst is dtypes.string or a["SrcT"] is dtypes.string:
        from ..errors import UnimplementedError
        raise UnimplementedError(None, None, f"Cast {a['SrcT'].name} to {dst.name} is not supported")
    with np.errstate(invalid="ignore", over="ignore"):
        return np.asarray(x).astype(dst.as_numpy_dtype)


def _cast_grad(op, g):
    src = op._attrs["SrcT"]
    ok = (dtypes.float16, dtypes.float32, dtypes.float64) + COMPLEX
    if src in ok and op._attrs["DstT"] in ok:
        return [cast(g, src)]
    return [None]


op("Cast", "x:SrcT", kernel=_cast_kernel, shape=lambda i, a: (a["DstT"], i[0].shape), grad=_cast_grad)


def cast(x, dtype, name=None):
    """`x` as `dtype` (no new op if it already has that dtype)."""
    base = dtypes.as_dtype(dtype).base_dtype
    with name_scope(name, "Cast", [x]) as scope:
        x = convert_to_tensor(x, name="x")
        if x.dtype.base_dtype != base:
            x = apply_op("Cast", [x], {"DstT": base, "Truncate": False}, name=scope)
        return x


def to_float(x, name="ToFloat"):
    return cast(x, dtypes.float32, name=name)


def to_int32(x, name="ToInt32"):
    return cast(x, dtypes.int32, name=name)


def to_int64(x, name="ToInt64"):
    return cast(x, dtypes.int64, name=name)


# ----- matmul and add_n -----------------------------------------------------------------------------------
def _matmul_shape(inputs, a):
    x, y = inputs
    xd, yd = with_rank(x, 2), with_rank(y, 2)
    m, k1 = (xd[1], xd[0]) if a["transpose_a"] else xd
    k2, n = (yd[1], yd[0]) if a["transpose_b"] else yd
    if k1 is not None and k2 is not None and k1 != k2:
        raise ValueError(f"Dimensions must be equal, but are {k1} and {k2}")
    return x.dtype.base_dtype, _raw((m, n))


def _matmul_kernel(a, x, y):
    return np.matmul(x.T if a["transpose_a"] else x, y.T if a["transpose_b"] else y)


def _matmul_grad(op, g):
    ta, tb = op._attrs["transpose_a"], op._attrs["transpose_b"]
    a, b = op.inputs
    if not ta and not tb:
        return [matmul(g, b, transpose_b=True), matmul(a, g, transpose_a=True)]
    if not ta and tb:
        return [matmul(g, b), matmul(g, a, transpose_a=True)]
    if ta and not tb:
        return [matmul(b, g, transpose_b=True), matmul(a, g)]
    return [matmul(b, g, transpose_a=True, transpose_b=True), matmul(g, a, transpose_a=True, transpose_b=True)]


op("MatMul", "a:T, b:T", kernel=_matmul_kernel, shape=_matmul_shape, grad=_matmul_grad,
   T=(dtypes.float16, dtypes.float32, dtypes.float64, dtypes.int32, dtypes.int64) + COMPLEX)


def _batch_matmul_shape(inputs, a):
    x, y = inputs
    xd, yd = dims(x), dims(y)
    if xd is None or yd is None:
        return x.dtype.base_dtype, unknown_shape()
    m, k1 = (xd[-1], xd[-2]) if a["adj_x"] else xd[-2:]
    k2, n = (yd[-1], yd[-2]) if a["adj_y"] else yd[-2:]
    if k1 is not None and k2 is not None and k1 != k2:
        raise ValueError(f"Dimensions must be equal, but are {k1} and {k2}")
    from .registry import broadcast_dims
    return x.dtype.base_dtype, _raw(broadcast_dims(xd[:-2], yd[:-2]) + (m, n))


def _batch_matmul_kernel(a, x, y):
    return np.matmul(np.swapaxes(x, -1, -2) if a["adj_x"] else x, np.swapaxes(y, -1, -2) if a["adj_y"] else y)


def _batch_matmul_grad(op, g):
    x, y = op.inputs
    if op._attrs["adj_x"] or op._attrs["adj_y"]:
        raise NotImplementedError("BatchMatMulV2 gradient with adjoint flags")
    gx = apply_op("BatchMatMulV2", [g, y], {"adj_x": False, "adj_y": True})
    gy = apply_op("BatchMatMulV2", [x, g], {"adj_x": True, "adj_y": False})
    return [_sum_to(gx, x), _sum_to(gy, y)]


op("BatchMatMulV2", "x:T, y:T", kernel=_batch_matmul_kernel, shape=_batch_matmul_shape, grad=_batch_matmul_grad,
   T=(dtypes.float16, dtypes.float32, dtypes.float64, dtypes.int32, dtypes.int64) + COMPLEX)


def matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False, a_is_sparse=False,
           b_is_sparse=False, output_type=None, name=None):
    """Matrix product a @ b (MatMul for rank 2, BatchMatMulV2 for higher ranks)."""
    with name_scope(name, "MatMul", [a, b]) as scope:
        a = convert_to_tensor(a, name="a")
        b = convert_to_tensor(b, name="b", dtype_hint=a.dtype.base_dtype)
        ta, tb = transpose_a or adjoint_a, transpose_b or adjoint_b
        ra, rb = a.shape.ndims, b.shape.ndims
        if (ra is None or ra > 2) or (rb is None or rb > 2):
            return apply_op("BatchMatMulV2", [a, b], {"adj_x": ta, "adj_y": tb}, name=scope)
        return apply_op("MatMul", [a, b], {"transpose_a": ta, "transpose_b": tb}, name=scope)


def _add_n_shape(inputs, a):
    out = inputs[0].shape
    for t in inputs[1:]:
        if not out.is_compatible_with(t.shape):
            raise ValueError(f"Shapes must be equal rank, but are {out.ndims} and {t.shape.ndims}"
                             if out.ndims != t.shape.ndims else
                             f"Dimension 0 in both shapes must be equal, but are {out} and {t.shape}")
        out = out.merge_with(t.shape)
    return inputs[0].dtype.base_dtype, out


def _add_n_kernel(a, *xs):
    out = np.add(xs[0], xs[1])
    for x in xs[2:]:
        out = np.add(out, x)
    return out


op("AddN", "inputs:*T", kernel=_add_n_kernel, shape=_add_n_shape, grad=lambda op, g: [g] * len(op.inputs),
   T=NUMBERS)


def add_n(inputs, name=None):
    """The elementwise sum of a list of same-shaped tensors."""
    if not inputs or not isinstance(inputs, (list, tuple)):
        raise ValueError("Inputs must be an iterable of at least one Tensor/IndexedSlices with the same dtype "
                         "and shape.")
    inputs = [convert_to_tensor(x) for x in inputs]
    if len(inputs) == 1:
        from .array import identity
        return identity(inputs[0], name=name) if name else inputs[0]
    return apply_op("AddN", [inputs], {"N": len(inputs)}, name=name)


# ----- reductions --------------------------------------------------------------------------------------------
def _reduce_shape(inputs, a):
    x, axes_t = inputs
    d = dims(x)
    axes = constant_value(axes_t)
    keep = a["keep_dims"]
    dtype = x.dtype.base_dtype
    if d is None:
        return dtype, unknown_shape()
    if axes is None:
        return dtype, unknown_shape(len(d)) if keep else unknown_shape()
    n = len(d)
    picked = set()
    for ax in np.ravel(axes):
        ax = int(ax)
        if not -max(n, 1) <= ax < max(n, 1):
            raise ValueError(f"Invalid reduction dimension {ax} for input with {n} dimensions.")
        picked.add(ax % n if n else 0)
    if keep:
        return dtype, _raw(tuple(1 if i in picked else v for i, v in enumerate(d)))
    return dtype, _raw(tuple(v for i, v in enumerate(d) if i not in picked))


def _axes(x, axes):
    return tuple(int(i) % max(np.ndim(x), 1) for i in np.ravel(axes))


def _reduce_kernel(fn, empty=None):
    def kernel(a, x, axes):
        axis = _axes(x, axes)
        if empty is not None and np.size(x) == 0:
            return np.full(_kept(x, axis, a["keep_dims"]), empty(x.dtype), dtype=x.dtype)
        return np.asarray(fn(x, axis, a["keep_dims"])).astype(x.dtype, copy=False)
    return kernel


def _kept(x, axis, keep):
    return tuple(1 if i in axis else v for i, v in enumerate(np.shape(x)) if keep or i not in axis)


def _mean(x, axis, keep):
    if x.dtype.kind in "iu":
        count = max(int(np.prod([x.shape[i] for i in axis])), 1)
        return np.trunc(np.sum(x, axis=axis, keepdims=keep, dtype=np.int64) / count).astype(x.dtype)
    return np.mean(x, axis=axis, keepdims=keep, dtype=x.dtype)


def _lowest(dtype):
    return -np.inf if dtype.kind == "f" else np.iinfo(dtype).min


def _highest(dtype):
    return np.inf if dtype.kind == "f" else np.iinfo(dtype).max


def _reduced_grad_shape(op):
    """The shape of the input with reduced axes set to 1 (to broadcast a reduction's gradient back)."""
    x, axes = op.inputs
    xd = dims(x)
    v = constant_value(axes)
    if xd is not None and None not in xd and v is not None:
        picked = {int(i) % max(len(xd), 1) for i in np.ravel(v)}
        return [1 if i in picked else n for i, n in enumerate(xd)]
    return apply_op("ReducedShape", [shape(x), axes], {})


def _reduced_shape_kernel(a, s, axes):
    out = np.array(s)
    out[[int(i) % max(len(s), 1) for i in np.ravel(axes)]] = 1
    return out


op("ReducedShape", "input_shape:int32, axes:Tidx=int32", kernel=_reduced_shape_kernel, Tidx=INDEX,
   shape=lambda i, a: (dtypes.int32, i[0].shape), grad=NOT_DIFFERENTIABLE)


def _sum_grad(op, g):
    return [apply_op("BroadcastTo", [reshape(g, _reduced_grad_shape(op)), shape(op.inputs[0])], {}), None]


def _mean_grad(op, g):
    x = op.inputs[0]
    (gsum, _) = _sum_grad(op, g)
    xs, ys = x.shape, op.outputs[0].shape
    if xs.is_fully_defined() and ys.is_fully_defined():
        factor = constant(max(xs.num_elements() // max(ys.num_elements(), 1), 1), dtype=g.dtype.base_dtype)
    else:
        factor = cast(apply_op("Prod", [shape(x), [0]], {"keep_dims": False}) //
                      apply_op("Maximum", [apply_op("Prod", [shape(op.outputs[0]), [0]], {"keep_dims": False}), 1], {}),
                      g.dtype.base_dtype)
    return [truediv(gsum, factor), None]


def _min_max_grad(op, g):
    x, y = op.inputs[0], op.outputs[0]
    kept = _reduced_grad_shape(op)
    y = reshape(y, kept)
    g = reshape(g, kept)
    indicators = cast(equal(y, x), g.dtype.base_dtype)
    num_selected = reshape(apply_op("Sum", [indicators, op.inputs[1]], {"keep_dims": False}), kept)
    return [truediv(indicators, num_selected) * g, None]


def _prod_grad_kernel(a, x, axes, g):
    axis = _axes(x, axes)
    g = np.reshape(g, _kept(x, axis, True))
    out = np.empty_like(x)
    others = [i for i in range(np.ndim(x)) if i not in axis]
    perm = others + list(axis)
    xt = np.transpose(x, perm).reshape([x.shape[i] for i in others] + [-1])
    before = np.cumprod(np.concatenate([np.ones_like(xt[..., :1]), xt[..., :-1]], -1), -1)
    after = np.flip(np.cumprod(np.concatenate([np.ones_like(xt[..., :1]), np.flip(xt, -1)[..., :-1]], -1), -1), -1)
    res = (before * after).reshape([x.shape[i] for i in perm])
    out[...] = np.transpose(res, np.argsort(perm))
    return (out * g).astype(x.dtype)


op("ProdGrad", "x:T, axes:Tidx=int32, dy:T", kernel=_prod_grad_kernel, Tidx=INDEX, shape=same_shape, grad=None)

op("Sum", "input:T, reduction_indices:Tidx=int32", Tidx=INDEX, T=NUMBERS, shape=_reduce_shape, grad=_sum_grad,
   kernel=_reduce_kernel(lambda x, ax, k: np.sum(x, axis=ax, keepdims=k, dtype=x.dtype)))
op("Mean", "input:T, reduction_indices:Tidx=int32", Tidx=INDEX, T=NUMBERS, shape=_reduce_shape,
   grad=_mean_grad, kernel=_reduce_kernel(_mean, empty=lambda d: np.nan if d.kind == "f" else 0))
op("Prod", "input:T, reduction_indices:Tidx=int32", Tidx=INDEX, T=NUMBERS, shape=_reduce_shape,
   grad=lambda op, g: [apply_op("ProdGrad", [op.inputs[0], op.inputs[1], g], {}), None],
   kernel=_reduce_kernel(lambda x, ax, k: np.prod(x, axis=ax, keepdims=k, dtype=x.dtype)))
op("Max", "input:T, reduction_indices:Tidx=int32", Tidx=INDEX, T=REALS, shape=_reduce_shape, grad=_min_max_grad,
   kernel=_reduce_kernel(lambda x, ax, k: np.max(x, axis=ax, keepdims=k), empty=_lowest))
op("Min", "input:T, reduction_indices:Tidx=int32", Tidx=INDEX, T=REALS, shape=_reduce_shape, grad=_min_max_grad,
   kernel=_reduce_kernel(lambda x, ax, k: np.min(x, axis=ax, keepdims=k), empty=_highest))
op("All", "input:bool, reduction_indices:Tidx=int32", Tidx=INDEX, shape=_reduce_shape, grad=NOT_DIFFERENTIABLE,
   kernel=_reduce_kernel(lambda x, ax, k: np.all(x, axis=ax, keepdims=k)))
op("Any", "input:bool, reduction_indices:Tidx=int32", Tidx=INDEX, shape=_reduce_shape, grad=NOT_DIFFERENTIABLE,
   kernel=_reduce_kernel(lambda x, ax, k: np.any(x, axis=ax, keepdims=k)))


def _reduction_dims(x, axis):
    if axis is not None:
        return axis
    r = x.shape.ndims if isinstance(x, Tensor) else np.ndim(x)
    if r is not None:
        return constant(np.arange(r, dtype=np.int32))
    from .array import rank
    return apply_op("Range", [0, rank(x), 1], {})


def _reducer(type):
    def reduce(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None, keep_dims=None):
        if axis is not None and reduction_indices is not None:
            raise ValueError("Cannot specify both 'axis' and 'reduction_indices'.")
        axis = reduction_indices if axis is None else axis
        keep = bool(keepdims if keepdims is not None else keep_dims)
        x = convert_to_tensor(input_tensor)
        return apply_op(type, [x, _reduction_dims(x, axis)], {"keep_dims": keep}, name=name)
    reduce.__doc__ = f"Reduces along `axis` (all axes if None) with op type `{type}`."
    return reduce


reduce_sum = _reducer("Sum")
reduce_mean = _reducer("Mean")
reduce_prod = _reducer("Prod")
reduce_max = _reducer("Max")
reduce_min = _reducer("Min")
reduce_all = _reducer("All")
reduce_any = _reducer("Any")


def reduce_logsumexp(input_tensor, axis=None, keepdims=False, name=None, reduction_indices=None, keep_dims=None):
    keep = bool(keepdims or keep_dims)
    axis = reduction_indices if axis is None else axis
    with name_scope(name, "ReduceLogSumExp", [input_tensor]):
        x = convert_to_tensor(input_tensor)
        m = stop_gradient_(reduce_max(x, axis, keepdims=True))
        out = log(reduce_sum(exp(x - m), axis, keepdims=True)) + m
        return out if keep else reshape(out, shape(reduce_sum(x, axis)))


def stop_gradient_(x):
    return apply_op("StopGradient", [x], {})


def count_nonzero(input_tensor, axis=None, keepdims=False, dtype=dtypes.int64, name=None):
    with name_scope(name, "count_nonzero", [input_tensor]):
        x = convert_to_tensor(input_tensor)
        zero = constant(0, dtype=x.dtype.base_dtype) if x.dtype.base_dtype != dtypes.bool_ else False
        return cast(reduce_sum(cast(not_equal(x, zero), dtypes.int64), axis, keepdims=keepdims), dtype)


def _arg_shape(inputs, a):
    x, dim = inputs
    d = dims(x)
    ax = constant_value(dim)
    if d is None:
        return a["output_type"], unknown_shape()
    if ax is None:
        return a["output_type"], unknown_shape(len(d) - 1)
    ax = int(ax)
    if not -len(d) <= ax < len(d):
        raise ValueError(f"Expected dimension in the range [{-len(d)}, {len(d)}), but got {ax}")
    ax %= len(d)
    return a["output_type"], _raw(d[:ax] + d[ax + 1:])


op("ArgMax", "input:T, dimension:Tidx=int32", Tidx=INDEX, T=REALS, shape=_arg_shape, grad=NOT_DIFFERENTIABLE,
   kernel=lambda a, x, d: np.argmax(x, axis=int(d)).astype(a["output_type"].as_numpy_dtype))
op("ArgMin", "input:T, dimension:Tidx=int32", Tidx=INDEX, T=REALS, shape=_arg_shape, grad=NOT_DIFFERENTIABLE,
   kernel=lambda a, x, d: np.argmin(x, axis=int(d)).astype(a["output_type"].as_numpy_dtype))


def _arg(type):
    def fn(input, axis=None, name=None, dimension=None, output_type=dtypes.int64):
        if axis is not None and dimension is not None:
            raise ValueError("Cannot specify both 'axis' and 'dimension'")
        axis = dimension if axis is None else axis
        return apply_op(type, [input, 0 if axis is None else axis],
                        {"output_type": dtypes.as_dtype(output_type)}, name=name)
    fn.__doc__ = f"Index of the {'largest' if type == 'ArgMax' else 'smallest'} value along `axis`."
    return fn


argmax = _arg("ArgMax")
argmin = _arg("ArgMin")


# ----- segment sums (used by gather's gradient) ---------------------------------------------------------
def _segment_sum_kernel(a, data, ids, n):
    out = np.zeros((int(n),) + data.shape[ids.ndim:], dtype=data.dtype)
    np.add.at(out, ids, data)
    return out


op("UnsortedSegmentSum", "data:T, segment_ids:Tindices, num_segments:Tnumsegments=int32", kernel=_segment_sum_kernel,
   Tindices=INDEX, Tnumsegments=INDEX, grad=lambda op, g: [apply_op("GatherV2", [g, op.inputs[1], 0],
                                                                     {"batch_dims": 0}), None, None],
   shape=lambda i, a: (i[0].dtype.base_dtype, unknown_shape() if dims(i[0]) is None or dims(i[1]) is None else
                       _raw((None if constant_value(i[2]) is None else int(constant_value(i[2])),)
                            + dims(i[0])[len(dims(i[1])):])))


def unsorted_segment_sum(data, segment_ids, num_segments, name=None):
    return apply_op("UnsortedSegmentSum", [data, segment_ids, num_segments], {}, name=name)


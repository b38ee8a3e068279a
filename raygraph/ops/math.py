"""Elementwise math: arithmetic and comparison with broadcasting, unary functions, logic, Cast.

Also the Python operators of Tensor (`operator`), named as TF1 names them (`add`, `mul`, `truediv`...).
Reductions, AddN and ArgMax live in reduction.py, MatMul in linalg.py; both are re-exported here.
"""
import numpy as np

from scheduler.optimize import MINUS, PLUS, REAL_DIVIDE, RECIPROCAL, TIMES

from .. import dtypes
from ..convert import convert_to_tensor
from ..errors import InternalError, InvalidArgumentError, UnimplementedError
from ..default_graph import control_dependencies, name_scope
from ..shape import unknown_shape
from ..tensor import Tensor
from .array import reduce_gradient_args
from .registry import NO_GRADIENT_DEFINED, NOT_DIFFERENTIABLE, apply_op, cpu_kernel, op
from .sparse_tensor import SparseTensor
from . import scalar_math, wide_rows
from .shape_fns import bool_broadcast_shape, broadcast_shape, dims, same_shape

INDEX = (dtypes.int32, dtypes.int64)

# TF's allowed-type lists, in the order TF's error messages print them.
FLOAT = "bfloat16 float16 float32 float64"
FLOAT_COMPLEX = FLOAT + " complex64 complex128"
SIGNED = FLOAT + " int8 int16 int32 int64 complex64 complex128"
ARITH = "bfloat16 float16 float32 float64 uint8 int8 uint16 int16 int32 uint32 uint64 int64 complex64 complex128"
MINMAX = "bfloat16 float16 float32 float64 int8 uint8 int16 uint16 int32 uint32 int64 uint64"
COMPARE = "float32 float64 int32 uint8 int16 int8 int64 bfloat16 uint16 float16 uint32 uint64"
BITS = "int8 int16 int32 int64 uint8 uint16 uint32 uint64"


# ----- gradient helpers ------------------------------------------------------------------------------------
def _bga_kernel(a, s0, s1):
    dtype = s0.dtype
    s0, s1 = s0.tolist(), s1.tolist()  # (short lists: Python compares them faster than numpy, 3.1 -> 0.5 us)
    if s0 == s1:  # the common case, in every step of a gradient: nothing to reduce
        empty = np.empty(0, dtype)
        return empty, empty
    n = max(len(s0), len(s1))
    p0 = [1] * (n - len(s0)) + s0
    p1 = [1] * (n - len(s1)) + s1
    for d0, d1 in zip(p0, p1):
        if d0 != d1 and d0 != 1 and d1 != 1:
            raise InvalidArgumentError(None, None, f"Incompatible shapes: [{','.join(map(str, s0))}] vs. "
                                                   f"[{','.join(map(str, s1))}]")
    r0 = [i for i in range(n) if p0[i] == 1 and (p1[i] != 1 or i < n - len(s0))]
    r1 = [i for i in range(n) if p1[i] == 1 and (p0[i] != 1 or i < n - len(s1))]
    return np.array(r0, dtype), np.array(r1, dtype)


op("BroadcastGradientArgs", "s0:T=int32, s1:T", kernel=_bga_kernel, T=INDEX, grad=NOT_DIFFERENTIABLE,
   shape=lambda i, a: [(i[0].dtype.base_dtype, unknown_shape(1))] * 2)


def _binary_grad(gx, gy, shortcut=(), short=None):
    """A broadcasting binary op's gradient from the unreduced gradients for x and y (TF's _ReduceGradientArgs);
    `shortcut`: the dtypes for which TF's gradient returns them at once when x, y and the gradient have one
    fully known shape ("all": any dtype), built by `short(op, g, x, y)` where TF builds them otherwise there."""
    def grad(op, g):
        x, y = op.inputs
        direct = shortcut and (shortcut == "all" or g.dtype.base_dtype.name in shortcut) and _one_full_shape(x, y, g)
        if direct and short is not None:
            return short(op, g, x, y)
        ux = None if gx is None else gx(op, g, x, y)
        uy = None if gy is None else gy(op, g, x, y)
        return [ux, uy] if direct else list(reduce_gradient_args(x, y, ux, uy))
    return grad


def _one_full_shape(x, y, g):
    """TF's _ShapesFullySpecifiedAndEqual."""
    s = dims(x)
    return isinstance(g, Tensor) and s is not None and None not in s and s == dims(y) == dims(g)


def _conj(t):
    """TF's gradients conjugate complex factors (conj is Conj, defined in complex.py; a real tensor itself)."""
    return apply_op("Conj", [t], {}) if t.dtype.is_complex else t


def _where_positive_log(x):
    """log(x) where x > 0, else 0 (Pow's gradient for y, without a false singularity at 0)."""
    positive = greater(x, 0)
    safe = apply_op("Select", [positive, x, apply_op("OnesLike", [x], {})], {})
    return apply_op("Select", [positive, log(safe), apply_op("ZerosLike", [x], {})], {})


# ----- kernels that differ from plain numpy ----------------------------------------------------------------
def _is_int(x):
    return np.asarray(x).dtype.kind in "iu"


def _divides_by_zero(x, y):
    """Whether an integer division computes an output element from a zero divisor: TF checks each element
    it computes, so an empty output (an empty x, or an empty y) is no error."""
    if not _is_int(x) or not np.any(np.asarray(y) == 0):
        return False
    try:
        return 0 not in np.broadcast_shapes(np.shape(x), np.shape(y))
    except ValueError:  # shapes that do not broadcast fail in the kernel itself
        return False


def _check_int_divisor(x, y):
    if _divides_by_zero(x, y):
        raise InvalidArgumentError(None, None, "Integer division by zero")


def _floordiv(x, y):
    _check_int_divisor(x, y)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.floor_divide(x, y)


def _floormod(x, y):
    _check_int_divisor(x, y)
    with np.errstate(divide="ignore", invalid="ignore"):
        if _is_int(x):
            return np.mod(x, y)
        # TF's fmod-based FloorMod: a zero remainder keeps x's sign (np.mod gives it y's).
        trunc = np.fmod(x, y)
        return np.where((trunc != 0) & ((y < 0) != (trunc < 0)), trunc + y, trunc).astype(trunc.dtype)


def _truncatediv(x, y):
    if _is_int(x):
        if _divides_by_zero(x, y):
            raise InternalError(None, None, "Unexpected error in binary operator (only integer div and mod "
                                            "should have errors)")
        q = np.abs(x) // np.abs(y)
        return np.where((x < 0) != (y < 0), -q, q).astype(np.result_type(x, y))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.trunc(np.true_divide(x, y)).astype(np.result_type(x, y))


def _realdiv(x, y):
    if _is_int(x):
        return _truncatediv(x, y)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.true_divide(x, y).astype(np.result_type(x, y), copy=False)


def _pow(x, y):
    if _is_int(x):
        if np.any(np.asarray(y) < 0):
            raise InvalidArgumentError(None, None, "Integers to negative integer powers are not allowed")
        return np.power(x, y)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return np.power(x, y)


def _quiet(fn):
    def run(x):
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return fn(x)
    return run


def log1p_kernel(x):
    """log1p as TF's CPU kernels compute it (Eigen's packet formula): x * log(u) / (u - 1) with u = 1 + x, x
    itself where u rounds to 1 or is infinite. One log and four cheap passes: numpy's own log1p has no SIMD
    loop (15 ns per float32 here, this 4), and the formula matches TF's values more often."""
    if x.dtype.type not in _REAL_FLOATS:
        return np.log1p(x)
    one = x.dtype.type(1)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        u = np.add(x, one)
        log_u = np.log(u)
        out = np.asarray(np.subtract(u, one))
        np.divide(log_u, out, out=out)
        np.multiply(out, x, out=out)
        keep = (u == one) | (u == log_u)
    if keep.any():
        np.copyto(out, x, where=keep)
    return out


def expm1_kernel(x):
    """expm1 as TF's CPU kernels compute it (Eigen's packet formula, Kahan's): (u - 1) * x / log(u) with
    u = exp(x); x where u rounds to 1, -1 where u - 1 does, u where it is infinite (numpy's expm1 has no SIMD
    loop: 15 ns per float32 here, this ~5)."""
    if x.dtype.type not in _REAL_FLOATS:
        return np.expm1(x)
    one = x.dtype.type(1)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        u = np.exp(x)
        log_u = np.log(u)
        u_minus_one = np.asarray(np.subtract(u, one))
        out = np.multiply(u_minus_one, np.divide(x, log_u))
        fix = (u == one) | (u_minus_one == -one) | (u == log_u)
    if fix.any():
        out = np.asarray(out)
        np.copyto(out, np.where(u == one, x, np.where(u_minus_one == -one, -one, u)), where=fix)
    return out


_REAL_FLOATS = (np.float32, np.float64)


def _sigmoid(x):
    with np.errstate(over="ignore"):
        return (1 / (1 + np.exp(-x))).astype(x.dtype, copy=False)


# ----- elementwise binary ---------------------------------------------------------------------------------
def _binary(type, fn, allowed, grad, out=broadcast_shape, no_cpu_kernel="", algebra=None, scalar=None):
    kernel = lambda a, x, y: fn(x, y)  # noqa: E731
    _binary_op(type, cpu_kernel(type, kernel, no_cpu_kernel) if no_cpu_kernel else kernel, allowed, grad, out,
               algebra, scalar)


def _binary_op(type, kernel, allowed, grad, out=broadcast_shape, algebra=None, scalar=None):
    op(type, "x:T, y:T", kernel=kernel, shape=out, grad=grad, T=allowed, elementwise=True, algebra=algebra,
       scalar=scalar)


# The ops grappler's arithmetic rewrites turn an Add/Sub/Mul/RealDiv node into (TF writes "Add", not "AddV2").
ALGEBRA_FAMILY = {PLUS: "Add", MINUS: "Sub", TIMES: "Mul", RECIPROCAL: "Reciprocal"}
_add_grad = _binary_grad(lambda op, g, x, y: g, lambda op, g, x, y: g, "all")
_wide_add, _wide_sub, _wide_mul = (wide_rows.binary_kernel(f) for f in (np.add, np.subtract, np.multiply))
_binary_op("AddV2", _wide_add, "bfloat16 float16 float32 float64 uint8 uint16 uint32 uint64 int8 int16 int32 int64 "
        "complex64 complex128", _add_grad, algebra=PLUS, scalar=scalar_math.add)
_binary_op("Add", _wide_add, "bfloat16 float16 float32 float64 uint8 int8 int16 int32 int64 complex64 complex128 string",
        _add_grad, algebra=PLUS, scalar=scalar_math.add)
_binary_op("Sub", _wide_sub, "bfloat16 float16 float32 float64 uint8 int8 uint16 int16 int32 int64 complex64 "
        "complex128 uint32 uint64", _binary_grad(lambda op, g, x, y: g, lambda op, g, x, y: -g, "all"), algebra=MINUS,
           scalar=scalar_math.subtract)
_binary_op("Mul", _wide_mul, ARITH, _binary_grad(lambda op, g, x, y: apply_op("Mul", [g, _conj(y)], {}),
                                                lambda op, g, x, y: apply_op("Mul", [_conj(x), g], {}),
                                                ("float32", "int32"),
                                                lambda op, g, x, y: [apply_op("Mul", [g, y], {}),
                                                                     apply_op("Mul", [g, x], {})]), algebra=TIMES,
           scalar=scalar_math.multiply)
_binary("RealDiv", _realdiv, ARITH, _binary_grad(lambda op, g, x, y: _real_div(g, _conj(y)),
                                                 lambda op, g, x, y: g * _real_div(_real_div(-_conj(x), _conj(y)),
                                                                                   _conj(y))),
        no_cpu_kernel="uint8 int8 uint16 int16 int32 uint32 uint64 int64", algebra=REAL_DIVIDE,
        scalar=scalar_math.divide)
_binary("DivNoNan", lambda x, y: np.where(y == 0, 0, _realdiv(x, np.where(y == 0, 1, y))).astype(x.dtype),
        "float16 float32 bfloat16 float64 complex64 complex128",
        _binary_grad(lambda op, g, x, y: div_no_nan(g, y), lambda op, g, x, y: g * div_no_nan(div_no_nan(-x, y), y)))
_binary("FloorDiv", _floordiv, ARITH, NOT_DIFFERENTIABLE, no_cpu_kernel="complex64 complex128")
_binary("FloorMod", _floormod, BITS + " " + FLOAT, _binary_grad(
    lambda op, g, x, y: g, lambda op, g, x, y: g * -floordiv(x, y)))
_binary("TruncateDiv", _truncatediv, ARITH, NOT_DIFFERENTIABLE, no_cpu_kernel="complex64 complex128")
_binary("Pow", _pow, "bfloat16 float32 float16 float64 int8 int16 int32 int64 complex64 complex128", _binary_grad(
    lambda op, g, x, y: g * y * pow(x, y - 1),
    lambda op, g, x, y: g * op.outputs[0] * _where_positive_log(x)))
def _real_div(x, y):
    return apply_op("RealDiv", [x, y], {})


def _max_min_grad(selector):
    """TF's _MaximumMinimumGrad: the gradient where the selector picks x, else where it picks y."""
    def grad(op, g):
        from .filling import zeros_like  # filling's kernels stand on this module's
        x, y = op.inputs
        zeros = zeros_like(g)
        mask = selector(x, y)
        return list(reduce_gradient_args(x, y, apply_op("SelectV2", [mask, g, zeros], {}),
                                          apply_op("SelectV2", [mask, zeros, g], {})))
    return grad


def _squared_difference_grad(op, g):
    """TF's: 2 * g * (x - y) for x (scalar_mul's `scalar` and Mul, after g), its negation for y."""
    x, y = op.inputs
    with control_dependencies([g]):
        x_grad = apply_op("Mul", [convert_to_tensor(2.0, g.dtype.base_dtype, name="scalar"), g], {}) * (x - y)
    if _one_full_shape(x, y, g):
        return [x_grad, -x_grad]
    return list(reduce_gradient_args(x, y, x_grad, -x_grad))


_binary_op("Maximum", wide_rows.binary_kernel(np.maximum, scalars=True), MINMAX,
           _max_min_grad(lambda x, y: greater_equal(x, y)), scalar=scalar_math.maximum)
_binary_op("Minimum", wide_rows.binary_kernel(np.minimum, scalars=True), MINMAX,
           _max_min_grad(lambda x, y: less_equal(x, y)), scalar=scalar_math.minimum)
_binary("SquaredDifference", lambda x, y: np.square(x - y), FLOAT + " int32 int64 complex64 complex128",
        _squared_difference_grad, scalar=scalar_math.squared_difference)


def _atan2_grad(op, g):
    """TF's: g * x / (y^2 + x^2) for y, g * -y / (y^2 + x^2) for x, each summed back to its input's shape."""
    y, x = op.inputs
    with control_dependencies([g]):
        inv = g / (square(y) + square(x))
        return list(reduce_gradient_args(y, x, x * inv, -y * inv))


_binary("Atan2", np.arctan2, FLOAT, _atan2_grad)

for _type, _fn in (("Equal", np.equal), ("NotEqual", np.not_equal)):
    op(_type, "x:T, y:T", kernel=lambda a, x, y, fn=_fn: fn(x, y), shape=bool_broadcast_shape,
       grad=NOT_DIFFERENTIABLE, elementwise=True)
for _type, _fn in (("Less", np.less), ("LessEqual", np.less_equal), ("Greater", np.greater),
                   ("GreaterEqual", np.greater_equal)):
    op(_type, "x:T, y:T", kernel=lambda a, x, y, fn=_fn: fn(x, y), shape=bool_broadcast_shape,
       grad=NOT_DIFFERENTIABLE, T=COMPARE, elementwise=True)
for _type, _fn in (("LogicalAnd", np.logical_and), ("LogicalOr", np.logical_or)):
    op(_type, "x:bool, y:bool", kernel=lambda a, x, y, fn=_fn: fn(x, y), shape=bool_broadcast_shape,
       grad=NOT_DIFFERENTIABLE, elementwise=True)
for _type, _fn in (("BitwiseAnd", np.bitwise_and), ("BitwiseOr", np.bitwise_or), ("BitwiseXor", np.bitwise_xor)):
    _binary(_type, _fn, BITS, NOT_DIFFERENTIABLE)


def _shift(fn):
    """TF's shifts clamp the shift to [0, bits - 1]; a left shift wraps around in the type's width."""
    def shift(x, y):
        y = np.clip(y, 0, x.dtype.itemsize * 8 - 1).astype(x.dtype)
        with np.errstate(over="ignore"):
            return fn(x, y).astype(x.dtype)
    return shift


_binary("LeftShift", _shift(np.left_shift), BITS, NOT_DIFFERENTIABLE)
_binary("RightShift", _shift(np.right_shift), BITS, NOT_DIFFERENTIABLE)


# ----- elementwise unary ------------------------------------------------------------------------------------
def _unary(type, fn, allowed, grad, no_cpu_kernel="", scalar=None):
    kernel = lambda a, x: fn(x)  # noqa: E731
    op(type, "x:T", kernel=cpu_kernel(type, kernel, no_cpu_kernel) if no_cpu_kernel else kernel, shape=same_shape,
       grad=grad, T=allowed, elementwise=True, scalar=scalar)


def _square_grad(op, g):
    """TF's graph: grad * (conj(x) * 2), built after grad (so 2x is not computed early)."""
    with control_dependencies([g]):
        x = _conj(op.inputs[0])
        two = convert_to_tensor(np.array(2, x.dtype.as_numpy_dtype), name="Const")
        return [apply_op("Mul", [g, apply_op("Mul", [x, two], {})], {})]


_unary("Neg", np.negative, SIGNED, lambda op, g: [-g], scalar=scalar_math.negative)
_unary("Abs", np.abs, FLOAT + " int8 int16 int32 int64", lambda op, g: [g * sign(op.inputs[0])],
       scalar=scalar_math.absolute)
_unary("Sign", np.sign, SIGNED, lambda op, g: [apply_op("ZerosLike", [op.inputs[0]], {})])
_unary("Square", np.square, FLOAT + " int8 int16 int32 int64 uint8 uint16 uint32 uint64 complex64 complex128",
       _square_grad, scalar=scalar_math.square)
_unary("Sqrt", _quiet(np.sqrt), FLOAT_COMPLEX, lambda op, g: [apply_op("SqrtGrad", [_conj(op.outputs[0]), g], {})],
       scalar=scalar_math.sqrt)
_unary("Rsqrt", _quiet(lambda x: (1 / np.sqrt(x)).astype(x.dtype, copy=False)), FLOAT_COMPLEX,
       lambda op, g: [apply_op("RsqrtGrad", [_conj(op.outputs[0]), g], {})], scalar=scalar_math.rsqrt)
_unary("Exp", _quiet(np.exp), FLOAT_COMPLEX, lambda op, g: [g * _conj(op.outputs[0])], scalar=scalar_math.exp)
_unary("Expm1", _quiet(expm1_kernel), FLOAT_COMPLEX, lambda op, g: [g * exp(_conj(op.inputs[0]))],
       scalar=scalar_math.expm1)
_unary("Log", _quiet(np.log), FLOAT_COMPLEX, lambda op, g: [g * reciprocal(_conj(op.inputs[0]))],
       scalar=scalar_math.log)
_unary("Log1p", _quiet(log1p_kernel), FLOAT_COMPLEX, lambda op, g: [g * reciprocal(1.0 + _conj(op.inputs[0]))],
       scalar=scalar_math.log1p)
_unary("Tanh", np.tanh, FLOAT_COMPLEX, lambda op, g: [apply_op("TanhGrad", [_conj(op.outputs[0]), g], {})],
       scalar=scalar_math.tanh)
_unary("Sigmoid", _sigmoid, FLOAT_COMPLEX, lambda op, g: [apply_op("SigmoidGrad", [_conj(op.outputs[0]), g], {})],
       scalar=scalar_math.sigmoid)
_unary("Reciprocal", _quiet(lambda x: np.reciprocal(x) if x.dtype.kind not in "fc" else
                            (1 / x).astype(x.dtype, copy=False)), SIGNED,
       lambda op, g: [apply_op("ReciprocalGrad", [_conj(op.outputs[0]), g], {})],
       no_cpu_kernel="int8 int16 int32 int64", scalar=scalar_math.reciprocal)
_unary("Sin", np.sin, FLOAT_COMPLEX, lambda op, g: [g * cos(_conj(op.inputs[0]))])
_unary("Cos", np.cos, FLOAT_COMPLEX, lambda op, g: [-(g * sin(_conj(op.inputs[0])))])
_unary("Floor", np.floor, FLOAT, NOT_DIFFERENTIABLE)
_unary("Ceil", np.ceil, FLOAT, NOT_DIFFERENTIABLE)
_unary("Round", np.round, SIGNED, NOT_DIFFERENTIABLE, no_cpu_kernel="int8 int16 complex64 complex128")
_unary("Rint", np.rint, FLOAT, NOT_DIFFERENTIABLE, no_cpu_kernel="float16")
for _t, _fn in (("IsNan", np.isnan), ("IsInf", np.isinf), ("IsFinite", np.isfinite)):
    op(_t, "x:T", kernel=lambda a, x, fn=_fn: fn(x), shape=lambda i, a: (dtypes.bool_, i[0].shape),
       grad=NO_GRADIENT_DEFINED,
       T=FLOAT)
op("LogicalNot", "x:bool", kernel=lambda a, x: np.logical_not(x), shape=same_shape, grad=NOT_DIFFERENTIABLE)
op("Invert", "x:T", kernel=lambda a, x: np.invert(x), shape=same_shape, grad=NOT_DIFFERENTIABLE, T=BITS)

# The gradient kernels TF names in gradient graphs: f(y, dy) with y the op's output; each has its own gradient.
_GRAD_KERNELS = (
    ("TanhGrad", lambda y, dy: dy * (1 - y * y), scalar_math.tanh_grad,
     lambda op, g: [g * -2.0 * op.inputs[1] * op.inputs[0], apply_op("TanhGrad", [op.inputs[0], g], {})]),
    ("SigmoidGrad", lambda y, dy: dy * y * (1 - y), scalar_math.sigmoid_grad,
     lambda op, g: [g * op.inputs[1] * (1.0 - 2.0 * op.inputs[0]), apply_op("SigmoidGrad", [op.inputs[0], g], {})]),
    ("SqrtGrad", lambda y, dy: dy * 0.5 / y, scalar_math.sqrt_grad,
     lambda op, g: [-g * op.outputs[0] / op.inputs[0], g * 0.5 / op.inputs[0]]),
    ("RsqrtGrad", lambda y, dy: dy * -0.5 * y * y * y, scalar_math.rsqrt_grad,
     lambda op, g: [g * -1.5 * op.inputs[1] * square(op.inputs[0]),
                    apply_op("RsqrtGrad", [op.inputs[0], g], {})]),
    ("ReciprocalGrad", lambda y, dy: -dy * y * y, scalar_math.reciprocal_grad,
     lambda op, g: [g * -2.0 * op.inputs[1] * op.inputs[0], apply_op("ReciprocalGrad", [op.inputs[0], g], {})]))
for _t, _fn, _scalar, _grad in _GRAD_KERNELS:
    op(_t, "y:T, dy:T", kernel=lambda a, y, dy, fn=_fn: _quiet(lambda _: fn(y, dy))(None).astype(y.dtype, copy=False),
       shape=same_shape, grad=_grad, T=FLOAT_COMPLEX, elementwise=True, scalar=_scalar)


# ----- named functions --------------------------------------------------------------------------------------
def _wrap(type):
    def fn(x, name=None):
        return apply_op(type, [x], {}, name=name)
    fn.__name__ = type.lower()
    fn.__doc__ = f"Elementwise {type} (op type `{type}`)."
    return fn


def _binary_wrap(type):
    def fn(x, y, name=None):
        return apply_op(type, [x, y], {}, name=name)
    fn.__name__ = type.lower()
    fn.__doc__ = f"Elementwise {type} with broadcasting (op type `{type}`)."
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
logical_and = _binary_wrap("LogicalAnd")
logical_or = _binary_wrap("LogicalOr")
logical_not = _wrap("LogicalNot")
subtract = _binary_wrap("Sub")
multiply = _binary_wrap("Mul")
floormod = mod = _binary_wrap("FloorMod")
maximum = _binary_wrap("Maximum")
minimum = _binary_wrap("Minimum")
squared_difference = _binary_wrap("SquaredDifference")
less = _binary_wrap("Less")
less_equal = _binary_wrap("LessEqual")
greater = _binary_wrap("Greater")
greater_equal = _binary_wrap("GreaterEqual")
truncatediv = _binary_wrap("TruncateDiv")
atan2 = _binary_wrap("Atan2")


def round(x, name=None):  # noqa: A001 - TF's name
    """Rounds half to even; integers are returned as they are."""
    x = convert_to_tensor(x, name="x")
    return x if x.dtype.is_integer else apply_op("Round", [x], {}, name=name)


def abs(x, name=None):  # noqa: A001 - TF's name
    with name_scope(name, "Abs", [x]) as scope:
        x = convert_to_tensor(x, name="x")
        if x.dtype.is_complex:  # ComplexAbs is defined in complex.py
            return apply_op("ComplexAbs", [x], {"Tout": x.dtype.real_dtype}, name=scope)
        return apply_op("Abs", [x], {}, name=scope)


def equal(x, y, name=None):
    return apply_op("Equal", [x, y], {"incompatible_shape_error": True}, name=name)


def not_equal(x, y, name=None):
    return apply_op("NotEqual", [x, y], {"incompatible_shape_error": True}, name=name)


def add(x, y, name=None):
    """x + y (`AddV2`; `Add` for strings), with Python values converted under the scope `Add`."""
    with name_scope(name, "Add", [x]) as scope:
        x = convert_to_tensor(x, name="x")
        y = convert_to_tensor(y, dtype_hint=x.dtype.base_dtype, name="y")
        return apply_op("Add" if x.dtype.base_dtype is dtypes.string else "AddV2", [x, y], {}, name=scope)


_TRUEDIV = {dtypes.uint8: dtypes.float32, dtypes.int8: dtypes.float32, dtypes.uint16: dtypes.float32,
            dtypes.int16: dtypes.float32, dtypes.int32: dtypes.float64, dtypes.uint32: dtypes.float64,
            dtypes.int64: dtypes.float64, dtypes.uint64: dtypes.float64}


def truediv(x, y, name=None):
    """x / y; integer inputs are cast to floats first (TF1's __truediv__)."""
    with name_scope(name, "truediv", [x, y]) as scope:
        x = convert_to_tensor(x, name="x")
        y = convert_to_tensor(y, dtype_hint=x.dtype.base_dtype, name="y")
        return _float_division("RealDiv", x, y, scope, "__truediv__")


def div_no_nan(x, y, name=None):
    """x / y, and 0 where y is 0; integer inputs are cast to floats first, as in `truediv`."""
    with name_scope(name, "div_no_nan", [x, y]) as scope:
        if not isinstance(x, Tensor) and isinstance(y, Tensor):
            y = convert_to_tensor(y, name="y")
            x = convert_to_tensor(x, dtype=y.dtype.base_dtype, name="x")
        else:
            x = convert_to_tensor(x, name="x")
            y = convert_to_tensor(y, dtype_hint=x.dtype.base_dtype, name="y")
        return _float_division("DivNoNan", x, y, scope, "tf.math.divide_no_nan")


def _float_division(op_type, x, y, scope, caller):
    """`op_type` over x and y of one dtype, integers cast to floats first (TF's _TRUEDIV_TABLE)."""
    xd, yd = x.dtype.base_dtype, y.dtype.base_dtype
    if xd != yd:
        raise TypeError(f"`x` and `y` must have the same dtype, got {xd!r} != {yd!r}.")
    if xd in _TRUEDIV:
        x, y = cast(x, _TRUEDIV[xd]), cast(y, _TRUEDIV[xd])
    elif not (xd.is_floating or xd.is_complex):
        raise TypeError(f"Invalid dtype {xd!r} in {caller}")
    return apply_op(op_type, [x, y], {}, name=scope)


def div(x, y, name=None):
    """TF1's `tf.div`: Python 2 division (floor for integers)."""
    with name_scope(name, "div", [x, y]) as scope:
        x = convert_to_tensor(x, name="x")
        y = convert_to_tensor(y, name="y", dtype=x.dtype.base_dtype)
        if x.dtype.base_dtype.is_floating or x.dtype.base_dtype.is_complex:
            return apply_op("RealDiv", [x, y], {}, name=scope)
        return apply_op("FloorDiv", [x, y], {}, name=scope)


def divide(x, y, name=None):
    """x / y as the `/` operator computes it (scope `truediv`, or `name` if given)."""
    if name is not None:
        return truediv(x, y, name=name)
    if not isinstance(x, Tensor):
        x = convert_to_tensor(x, dtype=y.dtype.base_dtype if isinstance(y, Tensor) else None)
    return x / y  # the `/` operator's ops and name scope


def floordiv(x, y, name=None):
    with name_scope(name, "floordiv", [x, y]) as scope:
        return apply_op("FloorDiv", [x, y], {}, name=scope)


def pow(x, y, name=None):  # noqa: A001 - TF's name
    with name_scope(name, "Pow", [x]) as scope:
        return apply_op("Pow", [x, y], {}, name=scope)


def logical_xor(x, y, name="LogicalXor"):
    return logical_and(logical_or(x, y), logical_not(logical_and(x, y)), name=name)


def invert(x, name=None):
    """~x: LogicalNot for bools, Invert (bitwise) for integers."""
    x = convert_to_tensor(x)
    if x.dtype.base_dtype is dtypes.bool_:
        return logical_not(x, name=name)
    return apply_op("Invert", [x], {}, name=name)


# ----- cast -------------------------------------------------------------------------------------------------
def _cast_kernel(a, x):
    src, dst = a["SrcT"], a["DstT"]
    if dst is dtypes.string or src is dtypes.string:
        raise UnimplementedError(None, None, f"Cast {src.name} to {dst.name} is not supported")
    if src.is_floating and dst.is_integer:
        with np.errstate(invalid="ignore", over="ignore"):
            return _float_to_int(np.asarray(x), dst.as_numpy_dtype)
    with np.errstate(invalid="ignore", over="ignore"):
        return np.asarray(x).astype(dst.as_numpy_dtype)


def _float_to_int(x, to):
    """C++'s float -> int conversion as TF's x86 kernel does it: truncation through a 32-bit (or 64-bit) int;
    NaN and out-of-range values become that int's minimum, and narrower types keep the low bits."""
    info = np.iinfo(to)
    wide = np.int64 if info.bits == 64 or (info.bits == 32 and info.min == 0) else np.int32
    lo, hi = np.iinfo(wide).min, np.iinfo(wide).max
    t = np.trunc(x)
    bad = ~np.isfinite(t) | (t < lo) | (t > hi)
    return np.where(bad, lo, np.where(bad, 0, t).astype(wide)).astype(to)


def _cast_grad(op, g):
    ok = (dtypes.float16, dtypes.float32, dtypes.float64, dtypes.bfloat16, dtypes.complex64, dtypes.complex128)
    src = op._attrs["SrcT"]
    if src in ok and op._attrs["DstT"] in ok:
        return [cast(g, src)]
    return [None]


op("Cast", "x:SrcT", kernel=_cast_kernel, shape=lambda i, a: (a["DstT"], i[0].shape), grad=_cast_grad,
   elementwise=True)


def cast(x, dtype, name=None):
    """`x` as `dtype` (`x` itself if it is a Tensor of that dtype already); a SparseTensor's values cast."""
    base = dtypes.as_dtype(dtype).base_dtype
    if isinstance(x, Tensor) and x.dtype is base:
        return x
    with name_scope(name, "Cast", [x]) as scope:
        if isinstance(x, SparseTensor):
            return SparseTensor(x.indices, cast(x.values, base, name=scope), x.dense_shape)
        x = convert_to_tensor(x, name="x")
        if x.dtype is not base:
            x = apply_op("Cast", [x], {"DstT": base, "Truncate": False}, name=scope)
        return x


def to_float(x, name="ToFloat"):
    return cast(x, dtypes.float32, name=name)


def to_bfloat16(x, name="ToBFloat16"):
    return cast(x, dtypes.bfloat16, name=name)


def to_int32(x, name="ToInt32"):
    return cast(x, dtypes.int32, name=name)


def to_int64(x, name="ToInt64"):
    return cast(x, dtypes.int64, name=name)


bitwise_and = _binary_wrap("BitwiseAnd")
bitwise_or = _binary_wrap("BitwiseOr")
bitwise_xor = _binary_wrap("BitwiseXor")
left_shift = _binary_wrap("LeftShift")
right_shift = _binary_wrap("RightShift")

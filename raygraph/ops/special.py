"""Elementwise functions beyond ops/math.py: inverse and hyperbolic trigonometry, TF's special functions
(gamma, error, Bessel, zeta and incomplete gamma/beta functions, computed by scipy.special as TF's Eigen
kernels compute them) and the "safe" binary ops (Xlogy, Xdivy, Xlog1py, MulNoNan, NextAfter, TruncateMod).

Gradients are TF's (math_grad.py): each builds graph ops; complex inputs are conjugated as TF does.
"""
import numpy as np

from ..convert import constant, convert_to_tensor
from ..default_graph import name_scope
from ..errors import InternalError
from ..lazy_modules import Lazy
from .array import reshape, shape
from .complex import conj
from .distributions import gamma_sample_der_alpha
from .math import (FLOAT, FLOAT_COMPLEX, _binary_grad, _divides_by_zero, cast, cos, equal, exp, log, negative,
                   not_equal, reciprocal, sign, sqrt, square)
from .nn import softplus
from .reduction import reduce_sum
from .registry import NO_GRADIENT_DEFINED, apply_op, op
from .shape_fns import broadcast_shape, same_shape
from .slicing import where_v2

sc = Lazy("scipy.special")
SAFE = "float16 bfloat16 float32 float64 complex64 complex128"


def _scipy(name):
    """scipy.special's `name` as a kernel's function, looked up at its call (scipy is imported at its first use)."""
    return lambda *args: getattr(sc, name)(*args)


def _same_dtype(fn):
    """fn computed quietly (in float32 at least) and returned in its input's dtype, as TF's kernels do."""
    def kernel(a, *xs):
        wide = [x.astype(np.float32) if x.dtype == np.float16 else x for x in xs]
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return np.asarray(fn(*wide)).astype(xs[-1].dtype, copy=False)
    return kernel


def _unary(type, fn, allowed, grad):
    op(type, "x:T", kernel=_same_dtype(fn), shape=same_shape, grad=grad, T=allowed, elementwise=True)


def _one(g):
    return constant(1, dtype=g.dtype.base_dtype)


# ----- inverse and hyperbolic trigonometry --------------------------------------------------------------------
_unary("Tan", np.tan, FLOAT_COMPLEX, lambda op, g: [g * square(reciprocal(cos(conj(op.inputs[0]))))])
_unary("Asin", np.arcsin, FLOAT_COMPLEX,
       lambda op, g: [g * reciprocal(sqrt(_one(g) - square(conj(op.inputs[0]))))])
_unary("Acos", np.arccos, FLOAT_COMPLEX,
       lambda op, g: [-g * reciprocal(sqrt(_one(g) - square(conj(op.inputs[0]))))])
_unary("Atan", np.arctan, FLOAT_COMPLEX, lambda op, g: [g * reciprocal(_one(g) + square(conj(op.inputs[0])))])
_unary("Sinh", np.sinh, FLOAT_COMPLEX, lambda op, g: [g * cosh(conj(op.inputs[0]))])
_unary("Cosh", np.cosh, FLOAT_COMPLEX, lambda op, g: [g * sinh(conj(op.inputs[0]))])
_unary("Asinh", np.arcsinh, FLOAT_COMPLEX, lambda op, g: [g / cosh(conj(op.outputs[0]))])
_unary("Acosh", np.arccosh, FLOAT_COMPLEX, lambda op, g: [g / sinh(conj(op.outputs[0]))])
_unary("Atanh", np.arctanh, FLOAT_COMPLEX, lambda op, g: [g * reciprocal(_one(g) - square(conj(op.inputs[0])))])


# ----- gamma, error and Bessel functions ------------------------------------------------------------------------
def _c(g, value):
    return constant(value, dtype=g.dtype.base_dtype)


def _bessel_i1e_grad(op, g):
    x, y = op.inputs[0], op.outputs[0]
    dy = where_v2(equal(x, 0.0), cast(0.5, x.dtype), bessel_i0e(x) - y * (sign(x) + reciprocal(x)))
    return [g * dy]


def _bessel_i1_grad(op, g):
    x, y = op.inputs[0], op.outputs[0]
    dy = where_v2(equal(x, 0.0), cast(1.0, x.dtype), bessel_i0(x) - y / x)
    return [g * dy]


_unary("Lgamma", _scipy("gammaln"), FLOAT, lambda op, g: [g * digamma(conj(op.inputs[0]))])
_unary("Digamma", lambda x: np.where((x <= 0) & (x == np.floor(x)), np.nan, sc.psi(x)), FLOAT,
       lambda op, g: [g * polygamma(constant(1, dtype=op.inputs[0].dtype.base_dtype), conj(op.inputs[0]))])
_unary("Erf", _scipy("erf"), FLOAT,
       lambda op, g: [g * _c(g, 2 / np.sqrt(np.pi)) * exp(-square(conj(op.inputs[0])))])
_unary("Erfc", _scipy("erfc"), FLOAT,
       lambda op, g: [g * _c(g, -2 / np.sqrt(np.pi)) * exp(-square(conj(op.inputs[0])))])
_unary("Erfinv", _scipy("erfinv"), FLOAT, lambda op, g: [g * _c(g, np.sqrt(np.pi) / 2) * exp(square(op.outputs[0]))])
_unary("Ndtri", _scipy("ndtri"), FLOAT,
       lambda op, g: [g * _c(g, np.sqrt(2 * np.pi)) * exp(square(op.outputs[0]) / 2.0)])
_unary("BesselI0", _scipy("i0"), FLOAT, lambda op, g: [g * bessel_i1(op.inputs[0])])
_unary("BesselI1", _scipy("i1"), FLOAT, _bessel_i1_grad)
_unary("BesselI0e", _scipy("i0e"), FLOAT,
       lambda op, g: [g * (bessel_i1e(op.inputs[0]) - sign(op.inputs[0]) * op.outputs[0])])
_unary("BesselI1e", _scipy("i1e"), FLOAT, _bessel_i1e_grad)


# ----- functions of two or three arguments -----------------------------------------------------------------------
def _polygamma(n, x):
    whole = (n >= 0) & (n == np.floor(n))
    out = sc.polygamma(np.where(whole, n, 0).astype(np.int64), x)
    return np.where(whole, out, np.nan)


def _igamma_grad_a(a, x):
    """d/da of the regularized lower incomplete gamma P(a, x) (TF's IgammaGradA)."""
    a64, x64 = np.broadcast_arrays(np.asarray(a, np.float64), np.asarray(x, np.float64))
    if a64.size == 0:
        return np.zeros(a64.shape)
    d_x = np.exp(-x64 + (a64 - 1) * np.log(x64) - sc.gammaln(a64))
    return (-gamma_sample_der_alpha(a64, x64).reshape(a64.shape) * d_x).reshape(a64.shape)


def _broadcast_args(x, y):
    """TF's gradient prologue for two broadcast inputs: their shapes and the axes each was broadcast along."""
    sx, sy = shape(x), shape(y)
    rx, ry = apply_op("BroadcastGradientArgs", [sx, sy], {})
    return sx, sy, rx, ry


def _reduced(partial, r, s):
    return None if partial is None else reshape(reduce_sum(partial, r), s)


def _igamma_grad(sign_):
    def grad(op, g):
        a, x = op.inputs
        sa, sx, ra, rx = _broadcast_args(a, x)
        partial_a = apply_op("IgammaGradA", [a, x], {})
        partial_x = exp(-x + (a - 1) * log(x) - lgamma(a))
        ga, gx = _reduced(partial_a * g, ra, sa), _reduced(partial_x * g, rx, sx)
        return [-ga, -gx] if sign_ < 0 else [ga, gx]
    return grad


def _betainc_grad(op, g):
    a, b, x = op.inputs
    _, sx, _, rx = _broadcast_args(a, x)
    log_beta = lgamma(a) + lgamma(b) - lgamma(a + b)
    partial_x = exp(xlog1py(b - 1, -x) + xlogy(a - 1, x) - log_beta)
    return [None, None, _reduced(partial_x * g, rx, sx)]


def _second_grad(partial):
    """Polygamma's and Zeta's gradients: none for the first input, `partial(first, second)` for the second."""
    def grad(op, g):
        n, x = op.inputs
        _, sx, _, rx = _broadcast_args(n, x)
        return [None, _reduced(partial(conj(n), conj(x)) * g, rx, sx)]
    return grad


def _three_shape(inputs, a):
    """Betainc: a, b and x of one shape, or scalars (TF's kernel broadcasts no further)."""
    known = [t for t in inputs if t.shape.ndims != 0]
    out = known[0].shape if known else inputs[0].shape
    for t in known[1:]:
        if not out.is_compatible_with(t.shape):
            raise ValueError(f"Shapes must be equal rank, but are {out.ndims} and {t.shape.ndims}")
        out = out.merge_with(t.shape)
    return inputs[0].dtype.base_dtype, out


def _binary(type, fn, allowed, grad, names="x:T, y:T", kernel=None):
    op(type, names, kernel=kernel or _same_dtype(fn), shape=broadcast_shape, grad=grad, T=allowed,
       elementwise=True)


_binary("Polygamma", _polygamma, "float32 float64", _second_grad(lambda n, x: polygamma(n + 1, x)), names="a:T, x:T")
_binary("Zeta", _scipy("zeta"), "float32 float64", _second_grad(lambda x, q: -x * zeta(x + 1, q)), names="x:T, q:T")
_binary("Igamma", _scipy("gammainc"), FLOAT, _igamma_grad(1), names="a:T, x:T")
_binary("Igammac", _scipy("gammaincc"), FLOAT, _igamma_grad(-1), names="a:T, x:T")
_binary("IgammaGradA", _igamma_grad_a, "float32 float64", NO_GRADIENT_DEFINED, names="a:T, x:T")
op("Betainc", "a:T, b:T, x:T", kernel=_same_dtype(_scipy("betainc")), shape=_three_shape, grad=_betainc_grad,
   T="float32 float64")


# ----- the safe binary ops ------------------------------------------------------------------------------------
def _zero_where(mask, value):
    return np.where(mask, np.zeros((), value.dtype), value)


def _xlog(log_fn):
    return lambda x, y: _zero_where(x == 0, x * log_fn(y))


def _not_zero(x):
    return cast(not_equal(x, cast(0.0, x.dtype)), x.dtype)


def _x_grad(partial_x, partial_y):
    def grad(op, g):
        x, y = op.inputs
        sx, sy, rx, ry = _broadcast_args(x, y)
        return [_reduced(partial_x(_not_zero(x), y) * g, rx, sx), _reduced(partial_y(x, y) * g, ry, sy)]
    return grad


_binary("Xlogy", _xlog(np.log), SAFE, _x_grad(lambda nz, y: xlogy(nz, y), lambda x, y: xdivy(x, y)))
_binary("Xlog1py", _xlog(np.log1p), SAFE, _x_grad(lambda nz, y: xlog1py(nz, y), lambda x, y: xdivy(x, y + 1.0)))
_binary("Xdivy", lambda x, y: _zero_where(x == 0, x / y), SAFE,
        _x_grad(lambda nz, y: xdivy(nz, y), lambda x, y: xdivy(negative(x), y ** 2)))
_binary("MulNoNan", lambda x, y: _zero_where(y == 0, x * y), "bfloat16 float16 float32 float64 complex64 complex128",
        _binary_grad(lambda op, g, x, y: mul_no_nan(g, y), lambda op, g, x, y: mul_no_nan(x, g), "all"))
_binary("NextAfter", np.nextafter, "float64 float32", _binary_grad(
    lambda op, g, x, y: apply_op("OnesLike", [x], {}) * g, lambda op, g, x, y: apply_op("ZerosLike", [y], {}) * g),
    names="x1:T=float32, x2:T")


def _truncate_mod(a, x, y):
    if _divides_by_zero(x, y):  # TF's TruncateMod reports it as TruncateDiv does
        raise InternalError(None, None, "Unexpected error in binary operator (only integer div and mod should have "
                                        "errors)")
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.fmod(x, y)


_binary("TruncateMod", None, "int32 int64 bfloat16 float16 float32 float64", NO_GRADIENT_DEFINED,
        kernel=_truncate_mod)


# ----- the functions ------------------------------------------------------------------------------------------
def _wrap(type, scope=None):
    """TF's generated function for `type`; with `scope`, called inside name_scope(name, scope) (TF's wrappers
    in special_math_ops.py, whose op is then named `scope/Type`)."""
    def fn(x, name=None):
        if scope is None:
            return apply_op(type, [x], {}, name=name)
        with name_scope(name, scope, [x]):
            return apply_op(type, [x], {})
    fn.__name__ = scope or type.lower()
    fn.__doc__ = f"Elementwise {type} (op type `{type}`)."
    return fn


def _wrap2(type, lower, scope=None):
    def fn(x, y, name=None):
        if scope is None:
            return apply_op(type, [x, y], {}, name=name)
        with name_scope(name, scope, [x]):
            return apply_op(type, [x, y], {})
    fn.__name__ = lower
    fn.__doc__ = f"Elementwise {type} with broadcasting (op type `{type}`)."
    return fn


tan, asin, acos, atan = _wrap("Tan"), _wrap("Asin"), _wrap("Acos"), _wrap("Atan")
sinh, cosh, asinh, acosh, atanh = _wrap("Sinh"), _wrap("Cosh"), _wrap("Asinh"), _wrap("Acosh"), _wrap("Atanh")
lgamma, digamma, erf, erfc = _wrap("Lgamma"), _wrap("Digamma"), _wrap("Erf"), _wrap("Erfc")
erfinv, ndtri = _wrap("Erfinv", "erfinv"), _wrap("Ndtri", "ndtri")
bessel_i0, bessel_i1 = _wrap("BesselI0", "bessel_i0"), _wrap("BesselI1", "bessel_i1")
bessel_i0e, bessel_i1e = _wrap("BesselI0e", "bessel_i0e"), _wrap("BesselI1e", "bessel_i1e")
polygamma, zeta = _wrap2("Polygamma", "polygamma"), _wrap2("Zeta", "zeta")
igamma, igammac = _wrap2("Igamma", "igamma"), _wrap2("Igammac", "igammac")
xlogy = _wrap2("Xlogy", "xlogy")
xdivy, xlog1py = _wrap2("Xdivy", "xdivy", "xdivy"), _wrap2("Xlog1py", "xlog1py", "xlog1py")
truncatemod = _wrap2("TruncateMod", "truncatemod")


def betainc(a, b, x, name=None):
    """The regularized incomplete beta function I_x(a, b) (op `Betainc`)."""
    return apply_op("Betainc", [a, b, x], {}, name=name)


def nextafter(x1, x2, name=None):
    """The next representable value after x1 towards x2 (op `NextAfter`)."""
    return apply_op("NextAfter", [x1, x2], {}, name=name)


def multiply_no_nan(x, y, name=None):
    """x * y, and 0 where y is 0 even if x is NaN or infinite (op `MulNoNan`)."""
    with name_scope(name, "multiply_no_nan", [x, y]) as name:
        x = convert_to_tensor(x, name="x")
        y = convert_to_tensor(y, name="y", dtype=x.dtype.base_dtype)
        return apply_op("MulNoNan", [x, y], {}, name=name)


def mul_no_nan(x, y, name=None):
    return apply_op("MulNoNan", [x, y], {}, name=name)


def erfcinv(x, name=None):
    """The inverse of erfc, as TF builds it: -ndtri(x / 2) * sqrt(1 / 2)."""
    with name_scope(name, "erfcinv", [x]):
        x = convert_to_tensor(x, name="start")
        return -ndtri(0.5 * x) * np.sqrt(0.5)


def lbeta(x, name=None):
    """log(|Beta(x)|) over the last dimension: sum(lgamma(x)) - lgamma(sum(x))."""
    with name_scope(name, "lbeta", [x]):
        x = convert_to_tensor(x, name="x")
        log_prod_gamma_x = reduce_sum(lgamma(x), axis=[-1])
        log_gamma_sum_x = lgamma(reduce_sum(x, axis=[-1]))
        return log_prod_gamma_x - log_gamma_sum_x


def log_sigmoid(x, name=None):
    """log(sigmoid(x)) as -softplus(-x)."""
    with name_scope(name, "LogSigmoid", [x]) as name:
        x = convert_to_tensor(x, name="x")
        return negative(softplus(-x), name=name)


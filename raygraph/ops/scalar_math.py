"""Element formulas: what a float32 elementwise op computes for one element, for compiled loops.

The op table gives an elementwise op its formula (`scalar=`); planning fuses connected elementwise ops,
and a fused region whose members all have formulas runs as one compiled loop (scheduler/jit.py, numba).
Each formula is plain Python over float32 scalars that numba compiles and LLVM vectorizes: no libm calls
(numba would call scalar libm per element), no Python float64 constants (they would promote the
arithmetic), choices written as conditional expressions over `|` of comparisons (`or` branches).

The arithmetic formulas compute what the numpy kernels compute, operation for operation, so their bits
agree (a compiled loop contracts no multiply and add into one: only log's polynomial uses `fma`). exp and tanh
are TF's own (Eigen's packet math as TF builds it, without fused multiply-adds: its bits), log Cephes' polynomial as
Eigen's packet math evaluates it; log1p, expm1, sigmoid, softplus and elu are the formulas the kernels use, over
those. They agree with numpy's to a few units in the last place.
"""
import numpy as np

from scheduler.jit import float32_bits, float32_from_bits
from scheduler.jit import multiply_add as fma

F = np.float32
I = np.int32
_LOG2E, _LN2_HI, _LN2_LO = F(1.44269504088896341), F(0.693359375), F(-2.12194440e-4)
_EXP_HI, _EXP_LO = F(88.723), F(-104.0)
_FLT_MIN, _TWO_23 = F(1.17549435e-38), F(8388608.0)
_SQRT_HALF = F(0.707106781186547524)
_SIGN_AND_MANTISSA = I(-0x7F800001)   # the bits 0x807FFFFF
_INF = F(np.inf)
_TANH_CLAMP = F(7.90738964080810547)


# ----- arithmetic -------------------------------------------------------------------------------------------
def add(x, y):
    return x + y


def subtract(x, y):
    return x - y


def multiply(x, y):
    return x * y


def divide(x, y):
    return x / y


def maximum(x, y):
    """numpy's: NaN if either is."""
    return x if (x > y) | (x != x) else y


def minimum(x, y):
    return x if (x < y) | (x != x) else y


def squared_difference(x, y):
    d = x - y
    return d * d


def negative(x):
    return -x


def absolute(x):
    return abs(x)


def square(x):
    return x * x


def sqrt(x):
    return np.sqrt(x)


def rsqrt(x):
    return F(1) / np.sqrt(x)


def reciprocal(x):
    return F(1) / x


def relu(x):
    return x if (x > F(0)) | (x != x) else F(0)


# ----- exp and log as Eigen evaluates Cephes' polynomials -------------------------------------------------------
def _times_pow2(y, m):
    """y * 2**m for an integral float32 m in [-150, 128], by two normal powers of two in turn."""
    k = I(m)
    half = k >> I(1)
    return y * float32_from_bits((half + I(127)) << I(23)) * float32_from_bits((k - half + I(127)) << I(23))


def exp(x):
    """TF's float exp (Eigen's pexp_float, built without fused multiply-adds as TF's CPU kernels are): x = m ln2 + r,
    a degree-6 polynomial in r, times 2^m; 0 below -104 and infinity from 88.723 (NaN stays NaN). TF's bits except
    where they are denormal, which TF's kernels flush to zero (tests/tf_recorded/cases_elementwise_bits.py)."""
    c = max(min(x, _EXP_HI), _EXP_LO)
    m = np.floor(c * _LOG2E + F(0.5))
    r = m * -_LN2_HI + c
    r = m * -_LN2_LO + r
    r2 = r * r
    even = r2 * F(1.37449637986719608306884765625e-3) + F(4.166965186595916748046875e-2)
    odd = r2 * F(8.36894474923610687255859375e-3) + F(0.16666518151760101318359375)
    even = r2 * even + F(0.49999988079071044921875)
    y = r * odd + even
    y = r2 * y + (r + F(1))
    out = _times_pow2(y, m)   # (0 below -104, infinity from 88.723: the clamped powers of two give them)
    return out if x == x else x


def log(x):
    tiny = x < _FLT_MIN
    v = x * _TWO_23 if tiny else x
    bits = float32_bits(v)
    e = F((bits >> I(23)) - I(126)) - (F(23) if tiny else F(0))
    mantissa = float32_from_bits((bits & _SIGN_AND_MANTISSA) | I(0x3F000000))   # in [0.5, 1)
    low = mantissa < _SQRT_HALF
    e = e - F(1) if low else e
    t = (mantissa + mantissa - F(1)) if low else (mantissa - F(1))
    z = t * t
    y = F(7.0376836292e-2)
    y = fma(y, t, F(-1.1514610310e-1))
    y = fma(y, t, F(1.1676998740e-1))
    y = fma(y, t, F(-1.2420140846e-1))
    y = fma(y, t, F(1.4249322787e-1))
    y = fma(y, t, F(-1.6668057665e-1))
    y = fma(y, t, F(2.0000714765e-1))
    y = fma(y, t, F(-2.4999993993e-1))
    y = fma(y, t, F(3.3333331174e-1))
    y = y * t * z
    y = fma(e, _LN2_LO, y)
    y = fma(F(-0.5), z, y)
    out = fma(e, _LN2_HI, t + y)
    out = -_INF if x == F(0) else out
    out = x if x == _INF else out
    return np.float32(np.nan) if (x < F(0)) | (x != x) else out


def log1p(x):
    """The kernel's formula (Eigen's): x * log(u) / (u - 1), u = 1 + x; x where u rounds to 1 or is infinite."""
    u = x + F(1)
    log_u = log(u)
    out = x * (log_u / (u - F(1)))
    return x if (u == F(1)) | (u == log_u) else out


def expm1(x):
    """The kernel's formula (Kahan's, Eigen's): (u - 1) * (x / log(u)), u = exp(x)."""
    u = exp(x)
    um1 = u - F(1)
    log_u = log(u)
    out = um1 * (x / log_u)
    out = u if u == log_u else out
    out = F(-1) if um1 == F(-1) else out
    return x if u == F(1) else out


def tanh(x):
    """TF's float tanh (Eigen's ptanh_float, built without fused multiply-adds as TF's CPU kernels are): a
    9/8-degree rational function of x clamped to +-7.907, where it is exactly +-1 (NaN stays NaN: its
    comparisons are false). TF's bits for every one of 1M inputs checked against TF 2.21
    (tests/tf_recorded/cases_elementwise_bits.py holds 108K of them)."""
    c = -_TANH_CLAMP if x < -_TANH_CLAMP else _TANH_CLAMP if x > _TANH_CLAMP else x
    c2 = c * c
    p = F(1.394553628e-8)
    p = p * c2 + F(2.102733560e-5)
    p = p * c2 + F(3.520756727e-3)
    p = p * c2 + F(1.340216100e-1)
    q = F(8.015776984e-7)
    q = q * c2 + F(3.326951409e-4)
    q = q * c2 + F(2.597254514e-2)
    q = q * c2 + F(4.673548340e-1)
    q = q * c2 + F(1)
    return (c2 * c * p + c) / q


def sigmoid(x):
    return F(1) / (F(1) + exp(-x))


_SOFTPLUS_T = F(np.log(np.finfo(np.float32).eps)) + F(2)


def softplus(x):
    """TF's: x above -t, exp(x) below t, log1p(exp(x)) between (t = log(epsilon) + 2)."""
    e = exp(x)
    out = log1p(e)
    out = e if x < _SOFTPLUS_T else out
    return x if x > -_SOFTPLUS_T else out


def softsign(x):
    return x / (F(1) + abs(x))


def elu(x):
    return exp(min(x, F(0))) - F(1) if x < F(0) else x


_SELU_ALPHA, _SELU_SCALE = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946
_SELU_SA, _SELU_S = F(_SELU_SCALE * _SELU_ALPHA), F(_SELU_SCALE)


def selu(x):
    return _SELU_SA * (exp(min(x, F(0))) - F(1)) if x < F(0) else _SELU_S * x


# ----- gradient ops: f(y, dy) with y the op's output, or (gradients, features/outputs) ---------------------------
def tanh_grad(y, dy):
    return dy * (F(1) - y * y)


def sigmoid_grad(y, dy):
    return dy * y * (F(1) - y)


def sqrt_grad(y, dy):
    return dy * F(0.5) / y


def rsqrt_grad(y, dy):
    return dy * F(-0.5) * y * y * y


def reciprocal_grad(y, dy):
    return -dy * y * y


def relu_grad(g, y):
    return g * (F(1) if y > F(0) else F(0))


def elu_grad(g, y):
    return (y + F(1)) * g if y < F(0) else g


# Their kernels refuse inputs of different shapes (TF's InvalidArgumentError), where a loop would broadcast.
relu_grad.same_shapes = elu_grad.same_shapes = True
# what numpy computes slowly (3-15 ns per float32 here, a compiled loop ~0.5): a loop pays from fewer elements
for _f in (exp, log, log1p, expm1, tanh, sigmoid, softplus, elu, selu):
    _f.costly = True

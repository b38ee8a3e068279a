"""Running products and log-sum-exps (`Cumprod`, `CumulativeLogsumexp`, next to reduction.py's `Cumsum`), the
`EuclideanNorm` reduction, and the moments TF composes from reductions (`reduce_variance`, `reduce_std`)."""
import numpy as np

from ..convert import convert_to_tensor
from ..default_graph import name_scope
from ..errors import InvalidArgumentError
from .array import reshape, shape
from .complex import conj, real
from .math import div_no_nan, exp, greater, less, log, sqrt, square, truediv
from .reduction import (INDEX, SUMMABLE, _cumsum_shape, _reduce_kernel, _reduce_shape, _reducer, cumsum, reduce_mean,
                        reduced_shape, scan_kernel)
from .registry import apply_op, op
from .slicing import where_v2


def _cumprod_grad(op, g):
    x, axis = op.inputs
    exclusive, reverse = op._attrs["exclusive"], op._attrs["reverse"]
    prod = cumprod(x, axis, exclusive=exclusive, reverse=reverse)
    out = cumsum(prod * g, axis, exclusive=exclusive, reverse=not reverse)
    return [div_no_nan(out, x), None]


def _logsumexp_grad(op, g):
    x, axis = op.inputs
    exclusive, reverse = op._attrs["exclusive"], op._attrs["reverse"]
    lowest = g.dtype.base_dtype.min
    log_pos = where_v2(greater(g, 0), log(g), lowest)
    log_neg = where_v2(less(g, 0), log(-g), lowest)
    out = op.outputs[0]
    pos = exp(cumulative_logsumexp(log_pos - out, axis, reverse=not reverse, exclusive=exclusive) + x)
    neg = exp(cumulative_logsumexp(log_neg - out, axis, reverse=not reverse, exclusive=exclusive) + x)
    return [pos - neg, None]


op("Cumprod", "x:T, axis:Tidx=int32", kernel=scan_kernel(np.multiply.accumulate, 1), shape=_cumsum_shape,
   T=SUMMABLE, Tidx=INDEX, grad=_cumprod_grad)
op("CumulativeLogsumexp", "x:T, axis:Tidx=int32", kernel=scan_kernel(np.logaddexp.accumulate, -np.inf),
   shape=_cumsum_shape, T="bfloat16 float16 float32 float64", Tidx=INDEX, grad=_logsumexp_grad)


def _scan(type):
    def fn(x, axis=0, exclusive=False, reverse=False, name=None):
        with name_scope(name, type, [x]) as name:
            x = convert_to_tensor(x, name="x")
            return apply_op(type, [x, axis], {"exclusive": bool(exclusive), "reverse": bool(reverse)}, name=name)
    fn.__doc__ = f"The running {type} of `x` along `axis` (from the end if `reverse`; without itself if `exclusive`)."
    return fn


cumprod = _scan("Cumprod")
cumulative_logsumexp = _scan("CumulativeLogsumexp")


# ----- EuclideanNorm, reduce_variance, reduce_std ----------------------------------------------------------------
def _euclidean_norm(x, axis, keep):
    return np.sqrt(np.sum(x * np.conj(x), axis=axis, keepdims=keep))


def _euclidean_norm_grad(op, g):
    x, axes = op.inputs
    out = op.outputs[0]
    if not op._attrs["keep_dims"]:
        kept = reduced_shape(shape(x), axes)
        out, g = reshape(out, kept), reshape(g, kept)
    return [truediv(x, out / g), None]


op("EuclideanNorm", "input:T, reduction_indices:Tidx=int32", Tidx=INDEX, T=SUMMABLE, shape=_reduce_shape,
   kernel=_reduce_kernel(_euclidean_norm), grad=_euclidean_norm_grad)
reduce_euclidean_norm = _reducer("EuclideanNorm")


def reduce_variance(input_tensor, axis=None, keepdims=False, name=None):
    """The variance of the elements along `axis`: the mean of squared deviations from the mean."""
    with name_scope(name or "reduce_variance"):
        input_tensor = convert_to_tensor(input_tensor)
        means = reduce_mean(input_tensor, axis=axis, keepdims=True)
        if means.dtype.is_integer:
            raise TypeError(f"Input must be either real or complex. Received integer type {means.dtype}.")
        diff = input_tensor - means
        if diff.dtype.is_complex:
            squared = real(diff * conj(diff))
        else:
            squared = square(diff)
        return reduce_mean(squared, axis=axis, keepdims=keepdims)


def reduce_std(input_tensor, axis=None, keepdims=False, name=None):
    """The standard deviation of the elements along `axis`."""
    with name_scope(name or "reduce_std"):
        input_tensor = convert_to_tensor(input_tensor)
        return sqrt(reduce_variance(input_tensor, axis=axis, keepdims=keepdims))


"""Normalization (`tf.nn`): batch_normalization and the moments helpers, built from ops as TF1 builds them."""
from .. import dtypes
from ..convert import constant, convert_to_tensor
from ..default_graph import name_scope
from .array import rank, shape, squeeze
from .filling import zeros_like
from .math import add, cast, multiply, reciprocal, rsqrt, square, squared_difference, subtract
from .reduction import reduce_prod, reduce_sum
from .registry import apply_op
from .slicing import gather


def batch_normalization(x, mean, variance, offset, scale, variance_epsilon, name=None):
    """(x - mean) * scale / sqrt(variance + epsilon) + offset, as x * inv + (offset - mean * inv)."""
    with name_scope(name, "batchnorm", [x, mean, variance, scale, offset]):
        x = convert_to_tensor(x)
        inv = rsqrt(variance + variance_epsilon)
        if scale is not None:
            inv *= scale
        return x * cast(inv, x.dtype.base_dtype) + cast(offset - mean * inv if offset is not None else -mean * inv,
                                                        x.dtype.base_dtype)


def sufficient_statistics(x, axes, shift=None, keep_dims=None, name=None, keepdims=None):
    """(count, sum of x - shift, sum of squared (x - shift), shift) over `axes`."""
    axes = list(set(axes))
    keep = bool(keepdims if keepdims is not None else keep_dims)
    with name_scope(name, "sufficient_statistics", [x, shift]):
        x = convert_to_tensor(x, name="x")
        d = x.shape.as_list() if x.shape.ndims is not None else None
        if d is not None and all(d[a] is not None for a in axes):
            count = 1
            for a in axes:
                count *= d[a]
            counts = constant(count, dtype=x.dtype.base_dtype)
        else:
            r = rank(x)
            positive = [a + r if a < 0 else a for a in axes]
            counts = reduce_prod(gather(cast(shape(x), x.dtype.base_dtype), positive), name="count")
        if shift is not None:
            shift = convert_to_tensor(shift, name="shift")
            m_ss, v_ss = subtract(x, shift), squared_difference(x, shift)
        else:
            m_ss, v_ss = x, square(x)
        m_ss = reduce_sum(m_ss, axes, keepdims=keep, name="mean_ss")
        v_ss = reduce_sum(v_ss, axes, keepdims=keep, name="var_ss")
    return counts, m_ss, v_ss, shift


def normalize_moments(counts, mean_ss, variance_ss, shift, name=None):
    """(mean, variance) from sufficient statistics."""
    with name_scope(name, "normalize", [counts, mean_ss, variance_ss, shift]):
        divisor = reciprocal(counts, name="divisor")
        if shift is not None:
            shifted_mean = multiply(mean_ss, divisor, name="shifted_mean")
            mean = add(shifted_mean, shift, name="mean")
        else:
            shifted_mean = multiply(mean_ss, divisor, name="mean")
            mean = shifted_mean
        variance = subtract(multiply(variance_ss, divisor), square(shifted_mean), name="variance")
    return mean, variance


def _div_no_nan(x, y):
    with name_scope(None, "div_no_nan", [x, y]) as scope:
        return apply_op("DivNoNan", [x, y], {}, name=scope)


def weighted_moments(x, axes, frequency_weights, name=None, keep_dims=None, keepdims=None):
    """The frequency-weighted mean and variance of `x` over `axes`."""
    keep = bool(keepdims if keepdims is not None else keep_dims)
    with name_scope(name, "weighted_moments", [x, frequency_weights, axes]):
        x = convert_to_tensor(x, name="x")
        weights = convert_to_tensor(frequency_weights, name="frequency_weights")
        needs_cast = x.dtype.base_dtype is dtypes.float16
        if needs_cast:
            x = cast(x, dtypes.float32)
        if weights.dtype.base_dtype is not x.dtype.base_dtype:
            weights = cast(weights, x.dtype.base_dtype)
        weighted_sum = reduce_sum(weights * x, axes, name="weighted_input_sum", keepdims=True)
        sum_of_weights = reduce_sum(weights + zeros_like(x), axes, name="sum_of_weights", keepdims=True)
        mean = _div_no_nan(weighted_sum, sum_of_weights)
        distsq = reduce_sum(weights * squared_difference(x, mean), axes, name="weighted_distsq", keepdims=True)
        variance = _div_no_nan(distsq, sum_of_weights)
        if not keep:
            mean, variance = squeeze(mean, axis=axes), squeeze(variance, axis=axes)
        if needs_cast:
            mean, variance = cast(mean, dtypes.float16), cast(variance, dtypes.float16)
        return mean, variance

"""Normalization (`tf.nn`): batch_normalization and the moments helpers, built from ops as TF1 builds them;
FusedBatchNormV3 (`fused_batch_norm`) and its gradient ops."""
import numpy as np
from scheduler import intra_op

from .. import dtypes
from ..convert import constant, convert_to_tensor
from ..default_graph import name_scope
from ..errors import InvalidArgumentError
from ..shape import TensorShape, unknown_shape
from . import compiled
from .array import rank, reshape, shape, size, squeeze, stop_gradient, transpose
from .filling import zeros_like
from .math import add, cast, multiply, reciprocal, rsqrt, square, squared_difference, subtract
from .reduction import reduce_mean, reduce_prod, reduce_sum
from .registry import NO_GRADIENT_DEFINED, apply_op, op
from .shape_fns import merge_dims, with_rank
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


def batch_norm_with_global_normalization(t=None, m=None, v=None, beta=None, gamma=None, variance_epsilon=None,
                                        scale_after_normalization=None, name=None, input=None, mean=None,  # noqa: A002
                                        variance=None):
    """TF1's batch_norm_with_global_normalization: batch_normalization, scaled by gamma only if asked."""
    t = input if input is not None else t
    m = mean if mean is not None else m
    v = variance if variance is not None else v
    return batch_normalization(t, m, v, beta, gamma if scale_after_normalization else None, variance_epsilon, name)


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


# ----- FusedBatchNormV3 and its gradients -------------------------------------------------------------------
_FORMATS = ("NHWC", "NCHW", "NDHWC", "NCDHW")


def _channel_axis(fmt, ndim):
    return 1 if fmt.startswith("NC") else ndim - 1


def _per_channel(v, channel, ndim):
    return np.reshape(v, [-1 if i == channel else 1 for i in range(ndim)])


def _check_bn_inputs(a, x, vectors):
    if x.ndim not in (4, 5):
        raise InvalidArgumentError(None, None, f"input must be 4 or 5-dimensional{list(x.shape)}")
    depth = x.shape[_channel_axis(a["data_format"], x.ndim)]
    for name, v in vectors.items():
        if v.ndim != 1:
            raise InvalidArgumentError(None, None, f"{name} must be 1-dimensional{list(v.shape)}")
        if v.shape[0] != depth:
            raise InvalidArgumentError(None, None, f"{name} must have the same number of elements as the channels "
                                                   f"of x, got {v.shape[0]} and {depth}")


def _fused_bn_kernel(a, x, scale, offset, mean, var):
    """Training: normalizes by the batch's moments, returns the running ones; inference: by the given ones."""
    training, factor = a["is_training"], a["exponential_avg_factor"]
    vectors = {"scale": scale, "offset": offset}
    if not training or factor != 1.0:
        vectors.update({"estimated_mean": mean, "estimated_variance": var})
    _check_bn_inputs(a, x, vectors)
    channel = _channel_axis(a["data_format"], x.ndim)
    axes = tuple(i for i in range(x.ndim) if i != channel)
    xf = x.astype(np.float32)
    if training:
        count = x.size // max(1, x.shape[channel])
        use_mean, use_var = xf.mean(axis=axes), xf.var(axis=axes)
        unbiased = use_var * np.float32(count / max(count - 1, 1))   # TF's Bessel correction of the output
        out_mean, out_var = use_mean, unbiased
        if factor != 1.0:
            f = np.float32(factor)
            out_mean, out_var = (1 - f) * mean + f * use_mean, (1 - f) * var + f * unbiased
    else:
        use_mean, use_var, out_mean, out_var = mean, var, mean.copy(), var.copy()
    inv = scale / np.sqrt(use_var + np.float32(a["epsilon"]))
    y = (xf - _per_channel(use_mean, channel, x.ndim)) * _per_channel(inv, channel, x.ndim)
    y += _per_channel(offset, channel, x.ndim)
    f32 = np.float32
    return [y.astype(x.dtype), out_mean.astype(f32), out_var.astype(f32), use_mean.astype(f32),
            use_var.astype(f32), np.zeros(0, f32)]


def _fused_bn_grad_kernel(a, dy, x, scale, saved_mean, saved_var, _reserve):
    """d(x, scale, offset) from the saved batch moments (training) or the population ones (inference)."""
    _check_bn_inputs(a, x, {"scale": scale, "reserve_space_1": saved_mean, "reserve_space_2": saved_var})
    channel = _channel_axis(a["data_format"], x.ndim)
    axes = tuple(i for i in range(x.ndim) if i != channel)
    dyf, xf = dy.astype(np.float32), x.astype(np.float32)
    inv = 1.0 / np.sqrt(saved_var + np.float32(a["epsilon"]))
    xhat = (xf - _per_channel(saved_mean, channel, x.ndim)) * _per_channel(inv, channel, x.ndim)
    d_offset, d_scale = dyf.sum(axis=axes), (dyf * xhat).sum(axis=axes)
    if a["is_training"]:
        count = max(1, x.size // max(1, x.shape[channel]))
        dx = dyf - _per_channel(d_offset / count, channel, x.ndim) - xhat * _per_channel(d_scale / count, channel,
                                                                                         x.ndim)
        dx *= _per_channel(scale * inv, channel, x.ndim)
    else:
        dx = dyf * _per_channel(scale * inv, channel, x.ndim)
    f32 = np.float32
    return [dx.astype(x.dtype), d_scale.astype(f32), d_offset.astype(f32), np.zeros(0, f32), np.zeros(0, f32)]


def _merge_dim(a, b):
    if a is not None and b is not None and a != b:
        raise ValueError(f"Dimensions must be equal, but are {a} and {b}")
    return b if a is None else a


def _bn_rank(a):
    return 5 if a["data_format"] in ("NDHWC", "NCDHW") else 4


def _fused_bn_shape(inputs, a):
    x = with_rank(inputs[0], _bn_rank(a))
    channel = _channel_axis(a["data_format"], len(x))
    depth = (x[channel],)
    count = 3 if a["is_training"] and a["exponential_avg_factor"] == 1.0 else 5
    for t in inputs[1:count]:
        depth = (_merge_dim(depth[0], with_rank(t, 1)[0]),)
    y = x[:channel] + depth + x[channel + 1:]
    u = inputs[1].dtype.base_dtype
    vec = TensorShape._raw(depth)
    return [(inputs[0].dtype.base_dtype, TensorShape._raw(y))] + [(u, vec)] * 4 + [(u, unknown_shape())]


def _fused_bn_grad_shape(inputs, a):
    dy, x, scale, mean, var = inputs[:5]
    n = _bn_rank(a)
    dims = merge_dims(with_rank(dy, n), with_rank(x, n))
    channel = _channel_axis(a["data_format"], n)
    depth = (dims[channel],)
    for t in (scale, mean, var):
        depth = (_merge_dim(depth[0], with_rank(t, 1)[0]),)
    dims = dims[:channel] + depth + dims[channel + 1:]
    u = scale.dtype.base_dtype
    return [(dy.dtype.base_dtype, TensorShape._raw(dims)), (u, TensorShape._raw(depth)),
            (u, TensorShape._raw(depth)), (u, TensorShape._raw((0,))), (u, TensorShape._raw((0,)))]


def _bn_attrs(op_):
    return {k: op_._attrs[k] for k in ("epsilon", "data_format", "is_training")}


def _fused_bn_grad(op_, dy, *_):
    """TF's _BaseFusedBatchNormGrad: the grad op over the saved moments, or over the population ones in
    inference (channels-last there, transposing NCHW data around it)."""
    x, scale = op_.inputs[0], op_.inputs[1]
    a = _bn_attrs(op_)
    if a["is_training"]:
        dx, d_scale, d_offset, _, _ = apply_op("FusedBatchNormGradV3", [dy, x, scale] + op_.outputs[3:6], a)
        return [dx, d_scale, d_offset, None, None]
    fmt = a["data_format"]
    to_last = {"NCHW": [0, 2, 3, 1], "NCDHW": [0, 2, 3, 4, 1]}.get(fmt)
    if to_last:
        x, dy = transpose(x, to_last), transpose(dy, to_last)
    a["data_format"] = "NDHWC" if fmt in ("NDHWC", "NCDHW") else "NHWC"
    dx, d_scale, d_offset, _, _ = apply_op("FusedBatchNormGradV3", [dy, x, scale, op_.inputs[3], op_.inputs[4],
                                                                    op_.outputs[5]], a)
    if to_last:
        dx = transpose(dx, {"NCHW": [0, 3, 1, 2], "NCDHW": [0, 4, 1, 2, 3]}[fmt])
    return [dx, d_scale, d_offset, None, None]


def _bn_grad_graph(dy, x, scale, pop_mean, pop_var, epsilon, fmt, training):
    """TF's _BatchNormGrad: the fused gradient written with plain ops (to be differentiated once more)."""
    x_dtype = x.dtype.base_dtype
    if x_dtype is dtypes.float16:
        x, dy = cast(x, dtypes.float32), cast(dy, dtypes.float32)
    first = fmt in ("NHWC", "NDHWC")
    axes = ([0, 1, 2] if fmt == "NHWC" else [0, 1, 2, 3]) if first else ([0, 2, 3] if fmt == "NCHW" else [0, 2, 3, 4])
    if not first:
        shape_ = [1, size(pop_mean if not training else scale)] + [1] * (len(axes) - 1)
        scale = reshape(scale, shape_)
        if not training:
            pop_mean, pop_var = reshape(pop_mean, shape_), reshape(pop_var, shape_)
    if training:
        keep = not first
        mean_dy = reduce_mean(dy, axes, keepdims=keep)
        mean_x = reduce_mean(x, axes, keepdims=keep)
        var_x = reduce_mean(squared_difference(x, stop_gradient(mean_x)), axes, keepdims=keep)
        x_off = x - mean_x
        mean = reduce_mean(dy * x_off, axis=axes, keepdims=keep)
        dx = scale * rsqrt(var_x + epsilon) * ((dy - mean_dy) - reciprocal(var_x + epsilon) * mean * x_off)
        d_scale = rsqrt(var_x + epsilon) * reduce_sum(dy * x_off, axis=axes, keepdims=keep)
        if not first:
            d_scale = squeeze(d_scale)
        return cast(dx, x_dtype), d_scale, reduce_sum(dy, axis=axes)
    d_offset = reduce_sum(dy, axis=axes)
    inv = rsqrt(pop_var + epsilon)
    d_scale = reduce_sum(dy * (x - pop_mean) * inv, axis=axes)
    return cast(dy * scale * inv, x_dtype), d_scale, d_offset


def _fused_bn_grad_grad(op_, gg_x, gg_scale, gg_offset, *_):
    """TF's _FusedBatchNormGradGrad: differentiates the plain-op form of the gradient."""
    from ..gradients import gradients   # a gradient of a gradient: the gradient machinery builds it
    dy, x, scale, mean, var = op_.inputs[:5]
    a = _bn_attrs(op_)
    outs = _bn_grad_graph(dy, x, scale, mean, var, a["epsilon"], a["data_format"], a["is_training"])
    pairs = [(o, g) for o, g in zip(outs, (gg_x, gg_scale, gg_offset)) if g is not None]
    g_dy, g_x, g_scale = gradients([o for o, _ in pairs], [dy, x, scale], grad_ys=[g for _, g in pairs],
                                   stop_gradients=[dy, x, scale])   # partial derivatives, as a tape gives
    return [g_dy, g_x, g_scale, None, None, None]


_BN_CHOICES = {"data_format": _FORMATS}
op("FusedBatchNormV3", "x:T, scale:U, offset:U, mean:U, variance:U", kernel=_fused_bn_kernel, shape=_fused_bn_shape,
   grad=_fused_bn_grad, T="float16 bfloat16 float32", U="float32", choices=_BN_CHOICES)
op("FusedBatchNormGradV3", "y_backprop:T, x:T, scale:float32, reserve_space_1:U, reserve_space_2:U, "
   "reserve_space_3:U", kernel=_fused_bn_grad_kernel, shape=_fused_bn_grad_shape, grad=_fused_bn_grad_grad,
   T="float16 bfloat16 float32", U="float32", choices=_BN_CHOICES)


def fused_batch_norm(x, scale, offset, mean=None, variance=None, epsilon=0.001, data_format="NHWC", is_training=True,
                     name=None, exponential_avg_factor=1.0):
    """Batch normalization in one op (FusedBatchNormV3): (y, running or batch mean, running or batch variance)."""
    if (not is_training or exponential_avg_factor != 1.0) and (mean is None or variance is None):
        raise ValueError(f"Both `mean` and `variance` must be a 1D tensor when `is_training` is False or "
                         f"`exponential_avg_factor` != 1.0. Received: `mean` {mean!r} and `variance` {variance!r}")
    x = convert_to_tensor(x, name="input")
    scale = convert_to_tensor(scale, name="scale")
    offset = convert_to_tensor(offset, name="offset")
    if mean is None:
        mean = constant([])
    if variance is None:
        variance = constant([])
    factor = 1.0 if exponential_avg_factor is None else float(exponential_avg_factor)   # None: the attr's default
    attrs = {"epsilon": float(epsilon), "exponential_avg_factor": factor,
             "data_format": data_format, "is_training": bool(is_training)}
    y, running_mean, running_var, _, _, _ = apply_op("FusedBatchNormV3", [x, scale, offset, mean, variance], attrs,
                                                     name=name)
    return y, running_mean, running_var


# ----- LRN (local response normalization) and its gradient ------------------------------------------------------
def _window_sum(v, r):
    """Sums of v over [d - r, d + r] along the last axis (clipped at the ends), by a cumulative sum."""
    c = np.cumsum(np.pad(v, [(0, 0)] * (v.ndim - 1) + [(r + 1, r)]), axis=-1)
    return c[..., 2 * r + 1:] - c[..., :-2 * r - 1]


def _lrn_norm(a, x):
    if x.ndim != 4:
        raise InvalidArgumentError(None, None, f"input must be 4-dimensional{list(x.shape)}")
    return a["bias"] + a["alpha"] * _window_sum(np.square(x.astype(np.float64)), a["depth_radius"])


def _lrn_kernel(a, x):
    if _compiled_lrn(a, x):
        return _lrn_compiled(a, compiled.loops().lrn, x)
    return (x / _lrn_norm(a, x) ** a["beta"]).astype(x.dtype)


def _lrn_grad_kernel(a, dy, x, y):
    if not dy.shape == x.shape == y.shape:
        raise InvalidArgumentError(None, None, "input_grads, input_image, and out_image should have the same shape")
    if _compiled_lrn(a, x) and dy.dtype == y.dtype == x.dtype:
        return _lrn_compiled(a, compiled.loops().lrn_grad, dy, x, y)
    norm = _lrn_norm(a, x)
    xf, dyf = x.astype(np.float64), dy.astype(np.float64)
    back = _window_sum(dyf * xf * norm ** (-a["beta"] - 1), a["depth_radius"])
    return (dyf * norm ** -a["beta"] - 2 * a["alpha"] * a["beta"] * xf * back).astype(dy.dtype)


def _compiled_lrn(a, x):
    """Whether LRN over x runs its compiled loops (kernel_loops.lrn, lrn_grad: float32 as TF computes it, where the
    numpy way (float64 windows summed by cumsum, powers by np.power) took AlexNet's first LRN over [16, 56, 56, 64]
    39 ms, its gradient 91; the loops 6.5 and 9.4, TF 4.0 and 9.5)."""
    return (x.dtype == np.float32 and x.ndim == 4 and x.size >= compiled.COMPILED and x.shape[-1] > 0
            and a["depth_radius"] >= 0)


def _lrn_compiled(a, loop, *arrays):
    """loop(*arrays as [rows, depth], depth_radius, bias, alpha, beta, out) over shares of the rows (intra_op)."""
    depth = arrays[0].shape[-1]
    rows = [np.ascontiguousarray(v).reshape(-1, depth) for v in arrays]
    out = np.empty(rows[0].shape, np.float32)
    attrs = (min(int(a["depth_radius"]), depth), np.float32(a["bias"]), np.float32(a["alpha"]), np.float32(a["beta"]))
    intra_op.shares(lambda lo, hi: loop(*[v[lo:hi] for v in rows], *attrs, out[lo:hi]), len(out),
                    out.size * (2 * attrs[0] + 1))
    return out.reshape(arrays[0].shape)


def _lrn_shape(inputs, a):
    dims = None
    for t in inputs:
        dims = merge_dims(dims, with_rank(t, 4))
    return inputs[0].dtype.base_dtype, TensorShape._raw(dims)


_LRN_ATTRS = ("depth_radius", "bias", "alpha", "beta")
op("LRN", "input:T", kernel=_lrn_kernel, shape=_lrn_shape, T="float16 bfloat16 float32",
   grad=lambda op_, g: [apply_op("LRNGrad", [g, op_.inputs[0], op_.outputs[0]],
                                 {k: op_._attrs[k] for k in _LRN_ATTRS})])
op("LRNGrad", "input_grads:T, input_image:T, output_image:T", kernel=_lrn_grad_kernel, shape=_lrn_shape,
   T="float16 bfloat16 float32", grad=NO_GRADIENT_DEFINED)


def local_response_normalization(input, depth_radius=5, bias=1, alpha=1, beta=0.5, name=None):  # noqa: A002
    """input / (bias + alpha * sum of squares over [d - r, d + r] of the last axis) ** beta (op LRN)."""
    return apply_op("LRN", [input], {"depth_radius": int(depth_radius), "bias": float(bias), "alpha": float(alpha),
                                     "beta": float(beta)}, name=name)


lrn = local_response_normalization

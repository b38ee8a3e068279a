"""Neural-network ops (`tf.nn`): activations, softmax, cross entropies, bias_add, l2_loss."""
import numpy as np

from .. import dtypes
from ..convert import convert_to_tensor
from ..graph import name_scope
from ..shape import TensorShape, unknown_shape
from .array import expand_dims, reshape, shape
from .math import _sum_to, cast, exp, reduce_sum
from .registry import FLOATS, NOT_DIFFERENTIABLE, REALS, apply_op, dims, op, same_shape

_raw = TensorShape._raw


def _unary(type, fn, grad, allowed=FLOATS):
    op(type, "features:T", kernel=lambda a, x: fn(x), shape=same_shape, grad=grad, T=allowed)


def _relu_grad_kernel(a, g, y):
    return (g * (y > 0)).astype(g.dtype, copy=False)


def _softplus(x):
    with np.errstate(over="ignore"):
        return (np.logaddexp(0, x)).astype(x.dtype, copy=False)


def _elu(x):
    with np.errstate(over="ignore"):
        return np.where(x > 0, x, np.expm1(np.minimum(x, 0))).astype(x.dtype, copy=False)


_SELU_ALPHA, _SELU_SCALE = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946


_unary("Relu", lambda x: np.maximum(x, 0).astype(x.dtype, copy=False),
       lambda op, g: [apply_op("ReluGrad", [g, op.outputs[0]], {})], REALS)
op("ReluGrad", "gradients:T, features:T", kernel=_relu_grad_kernel, shape=same_shape, grad=None, T=REALS)
_unary("Relu6", lambda x: np.clip(x, 0, 6).astype(x.dtype, copy=False),
       lambda op, g: [g * cast((op.inputs[0] > 0) & (op.inputs[0] < 6), g.dtype)], REALS)
_unary("Elu", _elu, lambda op, g: [apply_op("Select", [op.outputs[0] > 0, g, g * (op.outputs[0] + 1.0)], {})])
_unary("Selu", lambda x: (_SELU_SCALE * np.where(x > 0, x, _SELU_ALPHA * np.expm1(np.minimum(x, 0)))).astype(x.dtype),
       lambda op, g: [apply_op("Select", [op.outputs[0] > 0, g * _SELU_SCALE,
                                          g * (op.outputs[0] + _SELU_SCALE * _SELU_ALPHA)], {})])
_unary("Softplus", _softplus, lambda op, g: [g * apply_op("Sigmoid", [op.inputs[0]], {})])
_unary("Softsign", lambda x: (x / (1 + np.abs(x))).astype(x.dtype, copy=False),
       lambda op, g: [g / apply_op("Square", [1.0 + apply_op("Abs", [op.inputs[0]], {})], {})])
op("LeakyRelu", "features:T", kernel=lambda a, x: np.where(x > 0, x, x * np.asarray(a["alpha"], x.dtype)),
   shape=same_shape, T=FLOATS,
   grad=lambda op, g: [apply_op("Select", [op.inputs[0] > 0, g, g * op._attrs["alpha"]], {})])


def relu(features, name=None):
    return apply_op("Relu", [features], {}, name=name)


def relu6(features, name=None):
    return apply_op("Relu6", [features], {}, name=name)


def elu(features, name=None):
    return apply_op("Elu", [features], {}, name=name)


def selu(features, name=None):
    return apply_op("Selu", [features], {}, name=name)


def softplus(features, name=None):
    return apply_op("Softplus", [features], {}, name=name)


def softsign(features, name=None):
    return apply_op("Softsign", [features], {}, name=name)


def leaky_relu(features, alpha=0.2, name=None):
    return apply_op("LeakyRelu", [features], {"alpha": float(alpha)}, name=name)


# ----- softmax ----------------------------------------------------------------------------------------------
def _softmax_kernel(a, x):
    e = np.exp(x - np.max(x, axis=-1, keepdims=True))
    return (e / np.sum(e, axis=-1, keepdims=True)).astype(x.dtype, copy=False)


def _log_softmax_kernel(a, x):
    z = x - np.max(x, axis=-1, keepdims=True)
    return (z - np.log(np.sum(np.exp(z), axis=-1, keepdims=True))).astype(x.dtype, copy=False)


def _softmax_shape(inputs, a):
    d = dims(inputs[0])
    if d is not None and len(d) < 1:
        raise ValueError(f"Shape must be at least rank 1 but is rank {len(d)}")
    return same_shape(inputs, a)


def _softmax_grad(op, g):
    y = op.outputs[0]
    return [(g - reduce_sum(g * y, -1, keepdims=True)) * y]


def _log_softmax_grad(op, g):
    return [g - reduce_sum(g, -1, keepdims=True) * exp(op.outputs[0])]


op("Softmax", "logits:T", kernel=_softmax_kernel, shape=_softmax_shape, grad=_softmax_grad, T=FLOATS)
op("LogSoftmax", "logits:T", kernel=_log_softmax_kernel, shape=_softmax_shape, grad=_log_softmax_grad, T=FLOATS)


def _along_last(type, logits, axis, name):
    logits = convert_to_tensor(logits)
    r = logits.shape.ndims
    if axis is None or axis == -1 or (r is not None and axis == r - 1):
        return apply_op(type, [logits], {}, name=name)
    from .array import transpose
    if r is None:
        raise ValueError(f"{type} over axis {axis} needs the rank of its input to be known")
    axis %= r
    perm = list(range(r))
    perm[axis], perm[-1] = perm[-1], perm[axis]
    with name_scope(name, type, [logits]) as scope:
        return transpose(apply_op(type, [transpose(logits, perm)], {}), perm, name=scope)


def softmax(logits, axis=None, name=None, dim=None):
    """exp(logits) / sum(exp(logits)) along `axis` (the last by default)."""
    return _along_last("Softmax", logits, dim if axis is None else axis, name)


def log_softmax(logits, axis=None, name=None, dim=None):
    return _along_last("LogSoftmax", logits, dim if axis is None else axis, name)


# ----- cross entropies --------------------------------------------------------------------------------------
def _xent_kernel(a, logits, labels):
    z = logits - np.max(logits, axis=-1, keepdims=True)
    log_p = z - np.log(np.sum(np.exp(z), axis=-1, keepdims=True))
    loss = -np.sum(labels * log_p, axis=-1)
    return loss.astype(logits.dtype, copy=False), (np.exp(log_p) - labels).astype(logits.dtype, copy=False)


def _xent_shape(inputs, a):
    logits, labels = inputs
    d = logits.shape.merge_with(labels.shape)._dims if logits.shape.is_compatible_with(labels.shape) else None
    if d is None and logits.shape.ndims is not None and labels.shape.ndims is not None:
        raise ValueError(f"logits and labels must be broadcastable: logits_size={logits.shape} "
                         f"labels_size={labels.shape}")
    dt = logits.dtype.base_dtype
    if d is None:
        return [(dt, unknown_shape(1)), (dt, unknown_shape(2))]
    if len(d) != 2:
        raise ValueError(f"Shape must be rank 2 but is rank {len(d)}")
    return [(dt, _raw(d[:1])), (dt, _raw(d))]


def _xent_grad(op, g_loss, g_backprop=None):
    backprop = op.outputs[1]
    g = expand_dims(g_loss, -1)
    logits = op.inputs[0]
    return [g * backprop, g * -apply_op("LogSoftmax", [logits], {})]


op("SoftmaxCrossEntropyWithLogits", "features:T, labels:T", kernel=_xent_kernel, shape=_xent_shape,
   grad=_xent_grad, T=FLOATS)


def softmax_cross_entropy_with_logits_v2(labels, logits, axis=-1, name=None, dim=None):
    """Per-example cross entropy between `labels` (a distribution) and softmax(`logits`)."""
    with name_scope(name, "softmax_cross_entropy_with_logits", [logits, labels]) as scope:
        logits = convert_to_tensor(logits, name="logits")
        labels = convert_to_tensor(labels, name="labels", dtype=logits.dtype.base_dtype)
        r = logits.shape.ndims
        if r == 2 or r is None:
            loss, _ = apply_op("SoftmaxCrossEntropyWithLogits", [logits, labels], {}, name=scope)
            return loss
        lead = shape(logits)[:-1]
        flat = reshape(logits, [-1, logits.shape[-1].value if logits.shape[-1].value else -1])
        flat_labels = reshape(labels, [-1, logits.shape[-1].value if logits.shape[-1].value else -1])
        loss, _ = apply_op("SoftmaxCrossEntropyWithLogits", [flat, flat_labels], {})
        return reshape(loss, lead, name=scope)


def softmax_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None, dim=-1, name=None, axis=None):
    """TF1's (deprecated) variant: like v2 but no gradient flows into `labels`."""
    if _sentinel is not None:
        raise ValueError("Only call `softmax_cross_entropy_with_logits` with named arguments (labels=..., "
                         "logits=..., ...).")
    with name_scope(name, "softmax_cross_entropy_with_logits_sg", [logits, labels]) as scope:
        labels = apply_op("StopGradient", [labels], {}, name="labels_stop_gradient")
        return softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits, name=scope)


def _sparse_xent_kernel(a, logits, labels):
    n = logits.shape[-1]
    if np.any((labels < 0) | (labels >= n)):
        from ..errors import InvalidArgumentError
        bad = labels[(labels < 0) | (labels >= n)]
        raise InvalidArgumentError(None, None, f"Received a label value of {int(bad.ravel()[0])} which is outside "
                                   f"the valid range of [0, {n}).  Label values: "
                                   + " ".join(str(int(v)) for v in np.ravel(labels)))
    z = logits - np.max(logits, axis=-1, keepdims=True)
    log_p = z - np.log(np.sum(np.exp(z), axis=-1, keepdims=True))
    loss = -np.take_along_axis(log_p, labels[:, None].astype(np.int64), axis=-1)[:, 0]
    back = np.exp(log_p)
    back[np.arange(len(labels)), labels] -= 1
    return loss.astype(logits.dtype, copy=False), back.astype(logits.dtype, copy=False)


def _sparse_xent_shape(inputs, a):
    logits, labels = inputs
    ld = dims(logits)
    dt = logits.dtype.base_dtype
    if ld is None:
        return [(dt, unknown_shape(1)), (dt, unknown_shape(2))]
    if len(ld) != 2:
        raise ValueError(f"Shape must be rank 2 but is rank {len(ld)}")
    return [(dt, _raw(ld[:1])), (dt, _raw(ld))]


op("SparseSoftmaxCrossEntropyWithLogits", "features:T, labels:Tlabels=int64", kernel=_sparse_xent_kernel,
   shape=_sparse_xent_shape, T=FLOATS, Tlabels=(dtypes.int32, dtypes.int64),
   grad=lambda op, g_loss, g_bp=None: [expand_dims(g_loss, -1) * op.outputs[1], None])


def sparse_softmax_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None, name=None):
    """Per-example cross entropy between integer class `labels` and softmax(`logits`)."""
    if _sentinel is not None:
        raise ValueError("Only call `sparse_softmax_cross_entropy_with_logits` with named arguments "
                         "(labels=..., logits=..., ...).")
    with name_scope(name, "SparseSoftmaxCrossEntropyWithLogits", [labels, logits]) as scope:
        labels = convert_to_tensor(labels)
        logits = convert_to_tensor(logits)
        ld, lb = logits.shape.ndims, labels.shape.ndims
        if ld is not None and lb is not None and lb != ld - 1:
            raise ValueError(f"Rank mismatch: Rank of labels (received {lb}) should equal rank of logits minus 1 "
                             f"(received {ld}).")
        if ld == 2 or ld is None:
            loss, _ = apply_op("SparseSoftmaxCrossEntropyWithLogits", [logits, labels], {}, name=scope)
            return loss
        n = logits.shape[-1].value
        loss, _ = apply_op("SparseSoftmaxCrossEntropyWithLogits",
                           [reshape(logits, [-1, n]), reshape(labels, [-1])], {})
        return reshape(loss, shape(labels), name=scope)


def sigmoid_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None, name=None):
    """max(x, 0) - x * z + log(1 + exp(-|x|)), per element."""
    with name_scope(name, "logistic_loss", [logits, labels]) as scope:
        logits = convert_to_tensor(logits, name="logits")
        labels = convert_to_tensor(labels, name="labels", dtype=logits.dtype.base_dtype)
        from .math import abs as abs_, log1p, maximum
        relu_logits = maximum(logits, 0.0)
        neg_abs = -abs_(logits)
        return apply_op("AddV2", [relu_logits - logits * labels, log1p(exp(neg_abs))], {}, name=scope)


# ----- bias_add, l2_loss ------------------------------------------------------------------------------------
def _bias_add_shape(inputs, a):
    x, b = inputs
    d, bd = dims(x), dims(b)
    if bd is not None and len(bd) != 1:
        raise ValueError(f"Shape must be rank 1 but is rank {len(bd)}")
    if d is not None and bd is not None and d and d[-1] is not None and bd[0] is not None and d[-1] != bd[0]:
        raise ValueError(f"Dimensions must be equal, but are {d[-1]} and {bd[0]}")
    return x.dtype.base_dtype, x.shape


def _bias_add_kernel(a, x, b):
    if a.get("data_format", "NHWC") == "NCHW" and np.ndim(x) > 2:
        return x + np.reshape(b, (-1,) + (1,) * (np.ndim(x) - 2))
    return x + b


op("BiasAdd", "value:T, bias:T", kernel=_bias_add_kernel, shape=_bias_add_shape,
   grad=lambda op, g: [g, apply_op("BiasAddGrad", [g], {"data_format": op._attrs.get("data_format", "NHWC")})])
op("BiasAddGrad", "out_backprop:T", shape=lambda i, a: (i[0].dtype.base_dtype, unknown_shape(1)), grad=None,
   kernel=lambda a, g: np.sum(g, axis=tuple(range(np.ndim(g) - 1)), dtype=g.dtype))


def bias_add(value, bias, data_format=None, name=None):
    with name_scope(name, "BiasAdd", [value, bias]) as scope:
        value = convert_to_tensor(value, name="input")
        bias = convert_to_tensor(bias, dtype=value.dtype.base_dtype, name="bias")
        return apply_op("BiasAdd", [value, bias], {"data_format": data_format or "NHWC"}, name=scope)


op("L2Loss", "t:T", kernel=lambda a, x: np.asarray(np.sum(np.square(x)) / 2, dtype=x.dtype), T=FLOATS,
   shape=lambda i, a: (i[0].dtype.base_dtype, _raw(())), grad=lambda op, g: [op.inputs[0] * g])


def l2_loss(t, name=None):
    return apply_op("L2Loss", [t], {}, name=name)


def l2_normalize(x, axis=None, epsilon=1e-12, name=None, dim=None):
    axis = dim if axis is None else axis
    with name_scope(name, "l2_normalize", [x]) as scope:
        x = convert_to_tensor(x, name="x")
        from .math import maximum, multiply, rsqrt
        square_sum = reduce_sum(x * x, axis, keepdims=True)
        return multiply(x, rsqrt(maximum(square_sum, epsilon)), name=scope)


def moments(x, axes, shift=None, name=None, keep_dims=None, keepdims=None):
    keep = bool(keepdims or keep_dims)
    with name_scope(name, "moments", [x, axes]):
        from .math import reduce_mean, squared_difference
        from .array import stop_gradient
        mean = reduce_mean(x, axes, keepdims=True, name="mean")
        variance = reduce_mean(squared_difference(x, stop_gradient(mean)), axes, keepdims=True, name="variance")
        if not keep:
            from .array import squeeze
            mean, variance = squeeze(mean, axes), squeeze(variance, axes)
        return mean, variance


def dropout(x, keep_prob=None, noise_shape=None, seed=None, name=None, rate=None):
    """Zeroes elements with probability `rate` (= 1 - keep_prob), scaling the rest by 1 / keep_prob."""
    from .random import random_uniform
    from .math import floor
    with name_scope(name, "dropout", [x]) as scope:
        x = convert_to_tensor(x, name="x")
        if rate is None:
            if keep_prob is None:
                raise ValueError("Either keep_prob or rate must be given")
            keep = convert_to_tensor(keep_prob, dtype=x.dtype.base_dtype, name="keep_prob")
        else:
            keep = 1.0 - convert_to_tensor(rate, dtype=x.dtype.base_dtype, name="rate")
        noise = shape(x) if noise_shape is None else noise_shape
        mask = floor(keep + random_uniform(noise, seed=seed, dtype=x.dtype.base_dtype))
        return apply_op("Mul", [x / keep, mask], {}, name=scope)



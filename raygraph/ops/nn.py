"""Neural-network ops (`tf.nn`): activations, softmax, cross entropies, bias_add, l2_loss."""
import numbers

import numpy as np

from .. import dtypes
from ..convert import constant, convert_to_tensor
from ..default_graph import name_scope
from ..errors import InvalidArgumentError
from ..tensor import Tensor
from ..shape import TensorShape, as_shape
from .array import broadcast_to, expand_dims, rank, reshape, shape, squeeze, stop_gradient, transpose
from .math import add, cast, equal, exp, log1p, log1p_kernel, maximum, multiply, rsqrt, squared_difference, subtract
from .reduction import reduce_all, reduce_mean, reduce_sum
from .registry import NO_GRADIENT_DEFINED, apply_op, op
from .shape_fns import broadcast_dims, dims, merge_dims, same_shape, with_rank
from .filling import range as range_, zeros_like
from .joining import concat
from .linalg import matmul
from .slicing import choose, slice as slice_, where
from ..graph import get_default_graph
from .control import Assert
from .random import get_seed, random_uniform
from . import compiled, eigen_sums, scalar_math, wide_rows

_wide_add = wide_rows.binary(np.add)
_minimum = wide_rows.binary(np.minimum, scalars=True)

HALF_UP = "float16 bfloat16 float32 float64"
RELU_T = "float32 float64 int32 uint8 int16 int8 int64 bfloat16 uint16 float16 uint32 uint64"

_raw = TensorShape._raw


def _unary(type, fn, grad, allowed=HALF_UP, scalar=None):
    op(type, "features:T", kernel=lambda a, x: fn(x), shape=same_shape, grad=grad, T=allowed, elementwise=True,
       scalar=scalar)


def _relu_grad_kernel(a, g, y):
    if _compiled(g, y):
        out = np.empty_like(g)
        compiled.loops().relu_grad(g, y, out)
        return out
    return wide_rows.relu_grad(g, y)


def _compiled(x, *others):
    """Whether kernel_loops' loop runs a kernel over `x` and `others`: a float32 array of compiled.COMPILED elements
    or more, C-ordered, and the others alike of its shape and dtype."""
    return (type(x) is np.ndarray and x.dtype == np.float32 and x.size >= compiled.COMPILED and x.flags.c_contiguous
            and all(type(o) is np.ndarray and o.dtype == x.dtype and o.shape == x.shape and o.flags.c_contiguous
                    for o in others))


_FLOATS = (np.float16, np.float32, np.float64)


def _softplus(x):
    """TF's formula: x above -t, exp(x) below t, log1p(exp(x)) between, t = log(epsilon) + 2 in x's type
    (np.logaddexp took 25 ms on 1M floats, this ~2.5 ms)."""
    if x.dtype not in _FLOATS:
        with np.errstate(over="ignore"):
            return (np.logaddexp(0, x)).astype(x.dtype, copy=False)
    t = x.dtype.type(np.log(np.finfo(x.dtype).eps)) + x.dtype.type(2)
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(x)
        out = log1p_kernel(e)
    for where_, value in ((x > -t, x), (x < t, e)):
        if where_.any():
            out = choose(where_, value, out)
    return out


def _elu(x):
    """TF's formula, exp(x) - 1 where x < 0, else x (so a tiny negative x gives 0, and -0.0 and NaN stay)."""
    with np.errstate(over="ignore"):
        return choose(x < 0, np.exp(_minimum(x, np.zeros((), x.dtype))) - _t(x, 1), x)


def _selu(x):
    """TF's formula: scale_alpha * (exp(x) - 1) where x < 0, else scale * x, the constants in x's type."""
    with np.errstate(over="ignore"):
        return choose(x < 0, _t(x, _SELU_SCALE * _SELU_ALPHA) * (np.exp(_minimum(x, np.zeros((), x.dtype))) - _t(x, 1)),
                      _t(x, _SELU_SCALE) * x)


def _t(x, value):
    return x.dtype.type(value)


_SELU_ALPHA, _SELU_SCALE = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946


_unary("Relu", wide_rows.relu,
       lambda op, g: [apply_op("ReluGrad", [g, op.outputs[0]], {})], RELU_T + " qint8", scalar_math.relu)
_unary("Relu6", lambda x: np.clip(x, 0, 6).astype(x.dtype, copy=False),
       lambda op, g: [apply_op("Relu6Grad", [g, op.outputs[0]], {})], RELU_T)
_unary("Elu", _elu, lambda op, g: [apply_op("EluGrad", [g, op.outputs[0]], {})], scalar=scalar_math.elu)
_unary("Selu", _selu, lambda op, g: [apply_op("SeluGrad", [g, op.outputs[0]], {})], scalar=scalar_math.selu)
_unary("Softplus", _softplus, lambda op, g: [g * apply_op("Sigmoid", [op.inputs[0]], {})], scalar=scalar_math.softplus)
_unary("Softsign", lambda x: (x / (1 + np.abs(x))).astype(x.dtype, copy=False),
       lambda op, g: [apply_op("SoftsignGrad", [g, op.inputs[0]], {})], scalar=scalar_math.softsign)
op("LeakyRelu", "features:T", kernel=lambda a, x: np.where(x > 0, x, x * np.asarray(a["alpha"], x.dtype)),
   shape=same_shape, T=HALF_UP, elementwise=True,
   grad=lambda op, g: [apply_op("LeakyReluGrad", [g, op.inputs[0]], {"alpha": op._attrs["alpha"]})])


# ----- the activations' gradient ops: TF's kernels (relu_op.h, softsign_op.cc), second derivatives as TF's
def _activation_grad(type, kernel, allowed=HALF_UP, second=NO_GRADIENT_DEFINED, inputs="gradients:T, features:T",
                     scalar=None):
    def checked(a, g, x):
        if np.shape(g) != np.shape(x):
            raise InvalidArgumentError(None, None, f"Inputs to operation {{name}} of type {type} must have the same "
                                                   f"size and shape.  Input 0: {_text(np.shape(g))} != input 1: "
                                                   f"{_text(np.shape(x))}")
        return kernel(a, g, x)
    op(type, inputs, kernel=checked, shape=_both_inputs_shape, T=allowed, elementwise=True, grad=second,
       scalar=scalar)


def _both_inputs_shape(inputs, a):
    return inputs[0].dtype.base_dtype, _raw(merge_dims(dims(inputs[0]), dims(inputs[1])))


def _below_zero_grad(op_, g):
    """EluGrad's and SeluGrad's own gradient: again the op for its gradient input, g * gradients where the
    activation is negative for its activation input."""
    y = op_.inputs[1]
    return [apply_op(op_.type, [g, y], {}),
            where(y < 0, g * op_.inputs[0], zeros_like(y))]


_activation_grad("ReluGrad", _relu_grad_kernel, RELU_T,
                 second=lambda op_, g: [apply_op("ReluGrad", [g, op_.inputs[1]], {}),
                                        apply_op("ZerosLike", [op_.inputs[1]], {})],
                 scalar=scalar_math.relu_grad)
_activation_grad("EluGrad", lambda a, g, y: choose(y < 0, (y + _t(y, 1)) * g, g), inputs="gradients:T, outputs:T",
                 second=_below_zero_grad, scalar=scalar_math.elu_grad)
_activation_grad("SeluGrad", lambda a, g, y: choose(y < 0, g * (y + _t(y, _SELU_SCALE * _SELU_ALPHA)),
                                                    g * _t(g, _SELU_SCALE)),
                 inputs="gradients:T, outputs:T", second=_below_zero_grad)
_activation_grad("Relu6Grad", lambda a, g, x: g * ((x > 0) & (x < 6)).astype(g.dtype), RELU_T,
                 second=lambda op_, g: [apply_op("Relu6Grad", [g, op_.inputs[1]], {}),
                                        zeros_like(op_.inputs[1])])
_activation_grad("LeakyReluGrad", lambda a, g, x: choose(x > 0, g, g * _t(g, a["alpha"])),
                 second=lambda op_, g: [apply_op("LeakyReluGrad", [g, op_.inputs[1]], {"alpha": op_._attrs["alpha"]}),
                                        zeros_like(op_.inputs[1])])
_activation_grad("SoftsignGrad", lambda a, g, x: g / np.square(np.abs(x) + _t(x, 1)))


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


op("Softmax", "logits:T", kernel=_softmax_kernel, shape=_softmax_shape, grad=_softmax_grad, T=HALF_UP)
op("LogSoftmax", "logits:T", kernel=_log_softmax_kernel, shape=_softmax_shape, grad=_log_softmax_grad, T=HALF_UP)


def _along_axis(op_type, logits, axis, name):
    """TF's _wrap_2d_function: op_type over the last axis, moving `axis` there and back with transposes."""
    logits = convert_to_tensor(logits)
    r = logits.shape.ndims
    if axis == -1 or axis == r - 1:
        return apply_op(op_type, [logits], {}, name=name)
    if not -r <= axis < r:
        raise InvalidArgumentError(None, None, f"`dim` must be in the range [{-r}, {r}) where {r} is the number "
                                               f"of dimensions in the input. Received: dim={axis}")
    ndims = rank(logits)
    dim = axis + ndims if axis < 0 else axis
    input_rank = rank(logits)
    dim_axis = dim % r
    out = _swap_axis(apply_op(op_type, [_swap_axis(logits, dim_axis, subtract(input_rank, 1))], {}), dim_axis,
                     subtract(input_rank, 1), name=name)
    out.set_shape(logits.shape)
    return out


def _swap_axis(t, dim_index, last_index, name=None):
    perm = concat([range_(dim_index), [last_index], range_(dim_index + 1, last_index), [dim_index]], 0)
    return transpose(t, perm, name=name)


def softmax(logits, axis=None, name=None, dim=None):
    """exp(logits) / sum(exp(logits)) along `axis` (the last by default)."""
    return _along_axis("Softmax", logits, _axis_arg(axis, dim), name)


def log_softmax(logits, axis=None, name=None, dim=None):
    """logits - log(sum(exp(logits))) along `axis` (the last by default)."""
    return _along_axis("LogSoftmax", logits, _axis_arg(axis, dim), name)


def _axis_arg(axis, dim, default=-1):
    if axis is not None and dim is not None:
        raise ValueError("Cannot specify both 'axis' and 'dim'.")
    axis = dim if axis is None else axis
    return default if axis is None else axis


# ----- cross entropies --------------------------------------------------------------------------------------
def _shifted_exps(logits):
    """(z, exp(z), sum(exp(z))) for z = logits - max along the class axis, as TF's xent kernels compute them."""
    z = logits - np.max(logits, axis=-1, keepdims=True)
    e = np.exp(z)
    return z, e, _class_sums(e)[..., None]


def _class_sums(x):
    """The sums along `x`'s last axis, in TF's order for a float32 [n, c]."""
    return eigen_sums.row_sums(x) if x.dtype == np.float32 and x.ndim == 2 else np.sum(x, axis=-1)


def _xent_kernel(a, logits, labels):
    if np.ndim(logits) > 2 or np.ndim(labels) > 2:
        raise InvalidArgumentError(None, None, "logits and labels must be either 2-dimensional, or broadcasted to "
                                               "be 2-dimensional")
    try:
        if np.shape(logits) != np.shape(labels):
            logits, labels = np.broadcast_arrays(logits, labels)
    except ValueError:
        raise InvalidArgumentError(None, None, f"logits and labels must be broadcastable: logits_size="
                                               f"{_text(np.shape(logits))} labels_size={_text(np.shape(labels))}")
    if _compiled(logits, labels) and logits.ndim == 2:
        loss, backprop = np.empty(logits.shape[:1], logits.dtype), np.empty_like(logits)
        compiled.loops().softmax_xent(logits, labels, loss, backprop)
        return loss, backprop
    z, e, s = _shifted_exps(logits)
    # TF: sum(labels * (lse - z)), not -sum(labels * log_p): a zero loss (one class) is +0.0 there, not -0.0
    loss = _class_sums(labels * (np.log(s) - z))
    return loss.astype(logits.dtype, copy=False), (e / s - labels).astype(logits.dtype, copy=False)


def _text(shape):
    return "[" + ",".join(str(d) for d in shape) + "]"


def _xent_shape(inputs, a):
    logits, labels = inputs
    dt = logits.dtype.base_dtype
    ld = dims(logits)
    if ld is not None and len(ld) == 2:
        try:
            both = merge_dims(ld, dims(labels))
        except ValueError:
            both = None
        if both is not None:
            return [(dt, _raw(both[:1])), (dt, _raw(both))]
    out = broadcast_dims(ld, dims(labels))
    if out is None:
        raise ValueError("Shape must be broadcasted with rank 2, but is rank is unknown.")
    if len(out) != 2:
        raise ValueError(f"Shape must be broadcasted with rank 2, but is rank {len(out)}")
    return [(dt, _raw(out[:1])), (dt, _raw(out))]


def _xent_logits_grad(op, g_loss, g_backprop):
    """TF's gradient for the logits of either cross entropy: through the loss, and (second order) through the
    backprop output, whose derivative is the softmax's."""
    grad = expand_dims(g_loss, -1) * op.outputs[1]
    # TF skips this for a zeros gradient (`_is_zeros_tensor`: what tf.gradients fills in for an unused output)
    if g_backprop is not None and g_backprop.op.type != "ZerosLike":
        softmax = apply_op("Softmax", [op.inputs[0]], {})
        inner = squeeze(matmul(expand_dims(g_backprop, 1), expand_dims(softmax, 2)), axis=1)
        grad += (g_backprop - inner) * softmax
    return grad


def _xent_grad(op, g_loss, g_backprop=None):
    """As TF: the labels' gradient comes from the loss only (the backprop output's is left out)."""
    return [_xent_logits_grad(op, g_loss, g_backprop),
            expand_dims(g_loss, -1) * -apply_op("LogSoftmax", [op.inputs[0]], {})]


op("SoftmaxCrossEntropyWithLogits", "features:T, labels:T", kernel=_xent_kernel, shape=_xent_shape,
   grad=_xent_grad, T=HALF_UP)


def _flatten_outer_dims(logits):
    """[..., n] -> [-1, n], as TF writes it (Rank, Slice of Shape, concat, Reshape)."""
    r = rank(logits)
    last = slice_(shape(logits), [subtract(r, 1)], [1])
    out = reshape(logits, concat([[-1], last], 0))
    d = dims(logits)
    if d is not None and None not in d[:-1]:
        out.set_shape([int(np.prod(d[:-1], dtype=np.int64)), d[-1]])
    return out


def softmax_cross_entropy_with_logits_v2(labels, logits, axis=None, name=None, dim=None):
    """Per-example cross entropy between `labels` (a distribution) and softmax(`logits`)."""
    axis = _axis_arg(axis, dim)
    with name_scope(name, "softmax_cross_entropy_with_logits", [logits, labels]) as scope:
        logits = convert_to_tensor(logits, name="logits")
        labels = convert_to_tensor(labels, name="labels")
        half = logits.dtype.base_dtype is dtypes.float16
        precise = cast(logits, dtypes.float32) if half else logits
        labels = cast(labels, precise.dtype.base_dtype)
        input_rank = rank(precise)
        static = logits.shape
        if axis != -1:
            def to_end(t):
                return transpose(t, concat([range_(axis), range_(axis + 1, input_rank), [axis]], 0))
            precise, labels = to_end(precise), to_end(labels)
        input_shape = shape(precise)
        precise, labels = _flatten_outer_dims(precise), _flatten_outer_dims(labels)
        cost, _ = apply_op("SoftmaxCrossEntropyWithLogits", [precise, labels], {}, name=scope)
        cost = reshape(cost, slice_(input_shape, [0], [subtract(input_rank, 1)]))
        if static.ndims is not None:
            d = static.as_list()
            del d[axis]
            cost.set_shape(d)
        return cast(cost, logits.dtype.base_dtype) if half else cost


def softmax_cross_entropy_with_logits(labels=None, logits=None, dim=-1, name=None, axis=None):
    """TF1's (deprecated) variant: like v2 but no gradient flows into `labels`. As in TF 2's compat.v1 (no
    `_sentinel` any more), positional arguments are (labels, logits)."""
    dim = _axis_arg(axis, dim)
    if labels is None or logits is None:
        raise ValueError(f"Both `labels` and `logits` must be provided for softmax_cross_entropy_with_logits"
                         f"Received: labels={labels} and logits={logits}")
    with name_scope(name, "softmax_cross_entropy_with_logits_sg", [logits, labels]) as scope:
        labels = apply_op("StopGradient", [labels], {}, name="labels_stop_gradient")
    return softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits, axis=dim, name=scope)


def _sparse_xent_kernel(a, logits, labels):
    if np.ndim(logits) != 2:
        raise InvalidArgumentError(None, None, f"logits must be 2-D, but got shape {_text(np.shape(logits))}")
    if np.ndim(labels) != 1 or len(labels) != len(logits):
        raise InvalidArgumentError(None, None, f"logits and labels must have the same first dimension, got logits "
                                               f"shape {_text(np.shape(logits))} and labels shape "
                                               f"{_text(np.shape(labels))}")
    n = logits.shape[-1]
    if _compiled(logits) and labels.dtype.kind == "i":
        loss, backprop = np.empty(logits.shape[:1], logits.dtype), np.empty_like(logits)
        bad = compiled.loops().sparse_softmax_xent(logits, labels, loss, backprop)
        if bad < 0:
            return loss, backprop
    if np.any((labels < 0) | (labels >= n)):
        bad = labels[(labels < 0) | (labels >= n)]
        raise InvalidArgumentError(None, None, f"Received a label value of {int(bad.ravel()[0])} which is outside "
                                   f"the valid range of [0, {n}).  Label values: "
                                   + " ".join(str(int(v)) for v in np.ravel(labels)))
    z, e, s = _shifted_exps(logits)
    rows = np.arange(len(labels))
    back = e / s
    back[rows, labels] -= 1
    # TF: lse - z[label] (+0.0 for a sure class), not -log_p[label] (-0.0)
    return (np.log(s)[:, 0] - z[rows, labels]).astype(logits.dtype, copy=False), back.astype(logits.dtype, copy=False)


def _sparse_xent_shape(inputs, a):
    logits, labels = inputs
    ld, bd = with_rank(logits, 2), with_rank(labels, 1)
    if ld[0] is not None and bd[0] is not None and ld[0] != bd[0]:
        raise ValueError(f"Dimensions must be equal, but are {ld[0]} and {bd[0]}")
    batch = ld[0] if ld[0] is not None else bd[0]
    dt = logits.dtype.base_dtype
    return [(dt, _raw((batch,))), (dt, _raw((batch, ld[1])))]


op("SparseSoftmaxCrossEntropyWithLogits", "features:T, labels:Tlabels=int64", kernel=_sparse_xent_kernel,
   shape=_sparse_xent_shape, T=HALF_UP, Tlabels=(dtypes.int32, dtypes.int64),
   grad=lambda op, g_loss, g_bp=None: [_xent_logits_grad(op, g_loss, g_bp), None])


def sparse_softmax_cross_entropy_with_logits(labels=None, logits=None, name=None):
    """Per-example cross entropy between integer class `labels` and softmax(`logits`)."""
    if labels is None or logits is None:
        raise ValueError(f"Both `labels` and `logits` must be provided for sparse_softmax_cross_entropy_with_logits"
                         f"Received: labels={labels} and logits={logits}")
    with name_scope(name, "SparseSoftmaxCrossEntropyWithLogits", [labels, logits]):
        labels = convert_to_tensor(labels)
        logits = convert_to_tensor(logits)
        half = logits.dtype.base_dtype is dtypes.float16
        precise = cast(logits, dtypes.float32) if half else logits
        labels_shape = shape(labels)
        _check_sparse_shapes(labels.shape, logits)
        if logits.shape.ndims == 2:
            cost, _ = apply_op("SparseSoftmaxCrossEntropyWithLogits", [precise, labels], {}, name=name)
            return cast(cost, dtypes.float16) if half else cost
        return _sparse_xent_any_rank(labels, labels_shape, logits, precise, half, name)


def _check_sparse_shapes(lb, logits):
    lg = logits.shape
    if lg.ndims == 0:
        raise ValueError(f"`logits` cannot be a scalar. Received logits={logits}`")
    if lg.ndims is not None and lb.ndims is not None and lb.ndims != lg.ndims - 1:
        raise ValueError(f"`labels.shape.rank` must equal `logits.shape.rank - 1`. Received: labels.shape={lb} of "
                         f"rank {lb.ndims} and logits.shape={lg} of rank {lg.ndims}")
    if lb.is_fully_defined() and lg[:-1].is_fully_defined() and lb.as_list() != lg[:-1].as_list():
        raise ValueError(f"`labels.shape` must equal `logits.shape` except for the last dimension. Received: "
                         f"labels.shape={lb} and logits.shape={lg}")


def _sparse_xent_any_rank(labels, labels_shape, logits, precise, half, name):
    """Rank != 2: flatten to [-1, classes] (asserting the shapes agree when not known statically)."""
    checks = []
    if not (labels.shape.is_fully_defined() and logits.shape[:-1].is_fully_defined()):
        checks.append(Assert(reduce_all(equal(shape(labels), shape(logits)[:-1])),
                             ["Condition x == y did not hold element-wise:"]))
    with get_default_graph().control_dependencies(checks):
        classes = shape(logits)[rank(logits) - 1]
        precise = reshape(precise, [-1, classes])
        flat_labels = reshape(labels, [-1])
        cost, _ = apply_op("SparseSoftmaxCrossEntropyWithLogits", [precise, flat_labels], {}, name=name)
        cost = reshape(cost, labels_shape)
        cost.set_shape(labels.shape)
        return cast(cost, dtypes.float16) if half else cost


def sigmoid_cross_entropy_with_logits(labels=None, logits=None, name=None):
    """max(x, 0) - x * z + log(1 + exp(-|x|)), per element, with TF's selects (defined gradients at 0)."""
    with name_scope(name, "logistic_loss", [logits, labels]) as scope:
        logits = convert_to_tensor(logits, name="logits")
        labels = convert_to_tensor(labels, name="labels")
        try:
            labels.shape.assert_is_compatible_with(logits.shape)
        except ValueError:
            raise ValueError(f"`logits` and `labels` must have the same shape, received ({logits.shape} vs "
                             f"{labels.shape}).") from None
        zeros = zeros_like(logits, dtype=logits.dtype)
        cond = logits >= zeros
        relu_logits = where(cond, logits, zeros)
        neg_abs_logits = where(cond, -logits, logits)
        return add(relu_logits - logits * labels, log1p(exp(neg_abs_logits)), name=scope)


# ----- bias_add, l2_loss ------------------------------------------------------------------------------------
def _bias_add_shape(inputs, a):
    x, b = inputs
    d, bd = dims(x), dims(b)
    if bd is not None and len(bd) != 1:
        raise ValueError(f"Shape must be rank 1 but is rank {len(bd)}")
    channel = None
    if d is not None and d:
        channel = d[1] if a.get("data_format") == "NCHW" and len(d) > 2 else d[-1]
    if channel is not None and bd is not None and bd[0] is not None and channel != bd[0]:
        raise ValueError(f"Dimensions must be equal, but are {channel} and {bd[0]}")
    return x.dtype.base_dtype, x.shape


def _bias_add_kernel(a, x, b):
    if a.get("data_format", "NHWC") == "NCHW" and np.ndim(x) > 2:
        return x + np.reshape(b, (-1,) + (1,) * (np.ndim(x) - 2))
    return _wide_add(x, b)


_SUMMABLE = ("float32 float64 int32 uint8 int16 int8 complex64 int64 qint8 quint8 qint32 bfloat16 qint16 quint16 "
             "uint16 complex128 float16 uint32 uint64")
# Fused with its neighbours (a layer's BiasAdd and Relu), it adds as Add does, where its bias meets the last axis
# (NHWC); NCHW's is the second and keeps the kernel's way. build_an_image_dataset.py's first layer, bias and ReLU
# over [128, 60, 60, 32]: 18.4 ms as the members' numpy kernels, ~5.5 ms as one compiled loop.
op("BiasAdd", "value:T, bias:T", kernel=_bias_add_kernel, shape=_bias_add_shape, T=_SUMMABLE, elementwise=True,
   grad=lambda op, g: [g, apply_op("BiasAddGrad", [g], {"data_format": op._attrs.get("data_format", "NHWC")})],
   scalar=scalar_math.add, scalar_when=lambda a: a.get("data_format", "NHWC") != "NCHW")
def _bias_add_grad_shape(inputs, a):
    d = dims(inputs[0])
    if d is not None and len(d) < 2:
        raise ValueError(f"Shape must be at least rank 2 but is rank {len(d)}")
    channels = None if d is None else d[1] if a.get("data_format") == "NCHW" else d[-1]
    return inputs[0].dtype.base_dtype, _raw((channels,))


def _bias_add_grad_kernel(a, g):
    axis = 1 if a.get("data_format") == "NCHW" else np.ndim(g) - 1
    if np.ndim(g) >= 2 and axis == np.ndim(g) - 1 and _compiled(g):
        # its rows one after another, numpy's additions in numpy's order, in one pass where numpy makes a call per
        # row (a [128, 60, 60, 32] gradient 17.3 -> 3.7 ms): eigen_loops' column sums with no packed columns
        out = np.empty(g.shape[-1], g.dtype)
        compiled.eigen_loops().columns(g.reshape(-1, g.shape[-1]), 0, out)
        return out
    return np.sum(g, axis=tuple(i for i in range(np.ndim(g)) if i != axis), dtype=g.dtype)


def _bias_add_grad_grad(op, g):
    """Each bias gradient came from every position of its channel: broadcast it back over them."""
    x = op.inputs[0]
    if op._attrs.get("data_format") == "NCHW":
        g = reshape(g, [-1] + [1] * (x.shape.ndims - 2))
    return [broadcast_to(g, shape(x))]


op("BiasAddGrad", "out_backprop:T", kernel=_bias_add_grad_kernel, shape=_bias_add_grad_shape,
   grad=_bias_add_grad_grad, T=_SUMMABLE)


def bias_add(value, bias, data_format=None, name=None):
    """`value + bias` along the channel dim; data_format "N...C" is NHWC, "NC..." is NCHW."""
    with name_scope(name, "BiasAdd", [value, bias]) as scope:
        if data_format is not None:
            if data_format.startswith("NC"):
                data_format = "NCHW"
            elif data_format.startswith("N") and data_format.endswith("C"):
                data_format = "NHWC"
            else:
                raise ValueError(f"`data_format` must be of the form `N...C` or `NC...`. Received: "
                                 f"data_format={data_format}")
        value = convert_to_tensor(value, name="input")
        bias = convert_to_tensor(bias, dtype=value.dtype.base_dtype, name="bias")
        return apply_op("BiasAdd", [value, bias], {"data_format": data_format or "NHWC"}, name=scope)


op("L2Loss", "t:T", kernel=lambda a, x: np.asarray(np.sum(np.square(x)) / 2, dtype=x.dtype), T=HALF_UP,
   shape=lambda i, a: (i[0].dtype.base_dtype, _raw(())), grad=lambda op, g: [op.inputs[0] * g])


def l2_loss(t, name=None):
    return apply_op("L2Loss", [t], {}, name=name)


def l2_normalize(x, axis=None, epsilon=1e-12, name=None, dim=None):
    axis = dim if axis is None else axis
    with name_scope(name, "l2_normalize", [x]) as scope:
        x = convert_to_tensor(x, name="x")
        square_sum = reduce_sum(apply_op("Square", [x], {}), axis, keepdims=True)
        return multiply(x, rsqrt(maximum(square_sum, epsilon)), name=scope)


def moments(x, axes, shift=None, name=None, keep_dims=None, keepdims=None):
    keep = bool(keepdims or keep_dims)
    with name_scope(name, "moments", [x, axes]):
        mean = reduce_mean(x, axes, keepdims=True, name="mean")
        variance = reduce_mean(squared_difference(x, stop_gradient(mean)), axes, keepdims=True, name="variance")
        if not keep:
            mean, variance = squeeze(mean, axes), squeeze(variance, axes)
        return mean, variance


def dropout(x, keep_prob=None, noise_shape=None, seed=None, name=None, rate=None):
    """Zeroes elements with probability `rate` (or 1 - keep_prob), scaling the rest by 1 / (1 - rate); the graph
    TF1's compat.v1 dropout builds (scale, uniform draw, GreaterEqual, SelectV2)."""
    if keep_prob is not None:
        if rate is not None:
            raise ValueError("Cannot specify both 'rate' and 'keep_prob'.")
        try:
            rate = 1.0 - keep_prob
        except TypeError:
            raise ValueError(f"`keep_prob` must be a floating point number or Tensor. Received: keep_prob={keep_prob}"
                             ) from None
    if rate is None:
        raise ValueError(f"`rate` must be provided. Received: rate={rate}")
    with name_scope(name, "dropout", [x]):
        is_number = isinstance(rate, numbers.Real)
        if is_number and (rate < 0 or rate >= 1):
            raise ValueError(f"`rate` must be a scalar tensor or a float in the range [0, 1). Received: rate={rate}")
        x = convert_to_tensor(x, name="x")
        dtype = x.dtype
        if not dtype.is_floating:
            raise ValueError(f"`x.dtype` must be a floating point tensor as `x` will be scaled. Received: "
                             f"x_dtype={dtype}")
        if is_number and rate == 0:
            get_seed(seed)  # TF's dummy_rng_step: the fast path still takes a seed, so later seeded ops agree
            return x
        if not isinstance(rate, Tensor):
            if not is_number:
                raise ValueError(f"`rate` must be a scalar or scalar tensor. Received: rate={rate}")
            ret = apply_op("Mul", [x, convert_to_tensor(1 / (1 - rate), dtype=dtype)], {})
        else:
            rate.shape.assert_has_rank(0)
            if rate.dtype != dtype:
                if not rate.dtype.is_compatible_with(dtype):
                    raise ValueError(f"`x.dtype` must be compatible with `rate.dtype`. Received: x.dtype={dtype} "
                                     f"and rate.dtype={rate.dtype}")
                rate = apply_op("Cast", [rate], {"DstT": dtype.base_dtype, "Truncate": False}, name="rate")
            one = constant(1, dtype=dtype)
            ret = apply_op("RealDiv", [x, apply_op("Sub", [one, rate], {})], {})
        random_tensor = random_uniform(_noise_shape(x, noise_shape), seed=seed, dtype=dtype)
        keep_mask = random_tensor >= rate
        ret = apply_op("SelectV2", [keep_mask, ret, constant(0, dtype=dtype)], {})
        ret.set_shape(x.shape)
        return ret


def _noise_shape(x, noise_shape):
    """TF's _get_noise_shape: the dims of `noise_shape` left None take x's known dims."""
    if noise_shape is None:
        return shape(x)
    try:
        wanted = as_shape(noise_shape)
    except (TypeError, ValueError):
        return noise_shape
    if x.shape.dims is not None and wanted.dims is not None and len(x.shape.dims) == len(wanted.dims):
        return TensorShape([w.value if w.value is not None or d.value is None else d.value
                            for d, w in zip(x.shape.dims, wanted.dims)])
    return noise_shape



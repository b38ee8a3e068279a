"""Fake quantization (`FakeQuantWithMinMaxArgs`, `...Vars`, `...VarsPerChannel` and their gradient ops): float
values clamped to a range and rounded to one of its 2^num_bits levels, in float32 as TF's kernels compute them.

TF first "nudges" the range so that 0.0 is exactly a level (its zero point is a whole number), then takes
`floor((clamped - min) / scale - zero_point + 0.5) * scale`. The gradient passes through inside the nudged range; below it the gradient
goes to `min`, above it to `max`.
"""
import collections

import numpy as np

from .. import dtypes
from ..errors import InvalidArgumentError
from ..shape import TensorShape
from .registry import NOT_DIFFERENTIABLE, apply_op, op
from .shape_fns import dims, merge_dims, with_rank

F32 = np.float32
_raw = TensorShape._raw
VarsGradient = collections.namedtuple("FakeQuantWithMinMaxVarsGradient",
                                      "backprops_wrt_input backprop_wrt_min backprop_wrt_max")
PerChannelGradient = collections.namedtuple("FakeQuantWithMinMaxVarsPerChannelGradient",
                                            "backprops_wrt_input backprop_wrt_min backprop_wrt_max")


def _error(message):
    return InvalidArgumentError(None, None, message)


def _levels(a):
    bits = a["num_bits"]
    if not 2 <= bits <= 16:
        raise _error("num_bits must be between 2 and 16, inclusive")
    return (1 if a["narrow_range"] else 0), (1 << bits) - 1


def _nudge(lo, hi, a):
    """(nudged min, nudged max, scale, inverse scale), float32 arrays (one entry per channel)."""
    qmin, qmax = _levels(a)
    lo, hi = np.asarray(lo, F32), np.asarray(hi, F32)
    span = F32(qmax - qmin)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale, inv = (hi - lo) / span, span / (hi - lo)  # TF computes the inverse afresh, not as 1 / scale
        zero_from_min = F32(qmin) - lo / scale
        zero = np.where(zero_from_min < qmin, F32(qmin), np.where(zero_from_min > qmax, F32(qmax),
                                                                   np.floor(zero_from_min + F32(0.5))))
    return ((F32(qmin) - zero) * scale).astype(F32), ((F32(qmax) - zero) * scale).astype(F32), scale, inv


def _quantize(x, lo, hi, a, divide=False):
    """TF's kernels: the level of each clamped value, counted from the zero point, times the scale. The Vars op
    divides by the scale where the others multiply by the inverse."""
    nlo, nhi, scale, inv = _nudge(lo, hi, a)
    with np.errstate(divide="ignore", invalid="ignore"):
        zero = np.floor(-nlo * inv + F32(0.5))
        shifted = np.maximum(np.minimum(x, nhi), nlo) - nlo
        steps = shifted / scale if divide else shifted * inv
        out = (np.floor(steps - zero + F32(0.5)) * scale).astype(F32)
    both_zero = (np.asarray(lo) == 0) & (np.asarray(hi) == 0)  # a [0, 0] range gives zeros
    return np.where(both_zero, F32(0), out).astype(F32) if np.any(both_zero) else out


def _backprops(g, x, lo, hi, a, axes):
    nlo, nhi, _, _ = _nudge(lo, hi, a)
    both_zero = (np.asarray(lo) == 0) & (np.asarray(hi) == 0)  # a [0, 0] range passes every gradient to x
    inside = ((x >= nlo) & (x <= nhi)) | both_zero
    zero = np.zeros_like(g)
    return (np.where(inside, g, zero), np.where((x < nlo) & ~both_zero, g, zero).sum(axis=axes).astype(F32),
            np.where((x > nhi) & ~both_zero, g, zero).sum(axis=axes).astype(F32))


def _check_args(a):
    if not a["min"] < a["max"]:
        raise _error(f"min has to be smaller than max, was: {a['min']:g} >= {a['max']:g}")
    _levels(a)


def _args_kernel(a, x):
    _check_args(a)
    return _quantize(x, a["min"], a["max"], a)


def _args_gradient_kernel(a, g, x):
    _check_args(a)
    return _backprops(g, x, a["min"], a["max"], a, None)[0]


def _channels(x, lo, hi):
    if np.ndim(x) < 1 or np.shape(lo) != (np.shape(x)[-1],) or np.shape(hi) != (np.shape(x)[-1],):
        raise _error(f"min and max must be 1-D with size of the inputs' last dimension, got {list(np.shape(lo))} "
                     f"and {list(np.shape(hi))} for inputs {list(np.shape(x))}")


def _per_channel_kernel(a, x, lo, hi):
    _channels(x, lo, hi)
    return _quantize(x, lo, hi, a)


def _per_channel_gradient_kernel(a, g, x, lo, hi):
    _channels(x, lo, hi)
    return _backprops(g, x, lo, hi, a, tuple(range(np.ndim(x) - 1)))


# ----- shapes and gradients -----------------------------------------------------------------------------------
def _input_shape(inputs, a):
    return dtypes.float32, inputs[0].shape


def _vars_shape(inputs, a):
    with_rank(inputs[1], 0)
    with_rank(inputs[2], 0)
    return _input_shape(inputs, a)


def _per_channel_dims(x, lo, hi):
    d = dims(x)
    if d is not None and not 1 <= len(d) <= 4:
        raise ValueError(f"Shape must be at least rank 1 but is rank {len(d)}" if len(d) < 1 else
                         f"Shape must be at most rank 4 but is rank {len(d)}")
    n = merge_dims(with_rank(lo, 1), with_rank(hi, 1))
    if d is not None:
        n = merge_dims(n, (d[-1],))
    return n


def _per_channel_shape(inputs, a):
    _per_channel_dims(*inputs)
    return _input_shape(inputs, a)


def _vars_gradient_shape(inputs, a):
    g, x, lo, hi = inputs
    with_rank(lo, 0)
    with_rank(hi, 0)
    return [(dtypes.float32, _raw(merge_dims(dims(g), dims(x)))), (dtypes.float32, _raw(())),
            (dtypes.float32, _raw(()))]


def _per_channel_gradient_shape(inputs, a):
    g, x, lo, hi = inputs
    n = _per_channel_dims(x, lo, hi)
    return [(dtypes.float32, _raw(merge_dims(dims(g), dims(x)))), (dtypes.float32, _raw(n)),
            (dtypes.float32, _raw(n))]


def _bits(op_):
    return {"num_bits": op_._attrs["num_bits"], "narrow_range": op_._attrs["narrow_range"]}


_ARGS = ["min", "max", "num_bits", "narrow_range"]
op("FakeQuantWithMinMaxArgs", "inputs:float32", kernel=_args_kernel, shape=_input_shape,
   grad=lambda op_, g: [apply_op("FakeQuantWithMinMaxArgsGradient", [g, op_.inputs[0]],
                                 {k: op_._attrs[k] for k in _ARGS})])
op("FakeQuantWithMinMaxArgsGradient", "gradients:float32, inputs:float32", kernel=_args_gradient_kernel,
   shape=lambda i, a: (dtypes.float32, _raw(merge_dims(dims(i[0]), dims(i[1])))), grad=NOT_DIFFERENTIABLE)
op("FakeQuantWithMinMaxVars", "inputs:float32, min:float32, max:float32",
   kernel=lambda a, x, lo, hi: _quantize(x, lo, hi, a, divide=True), shape=_vars_shape,
   grad=lambda op_, g: list(apply_op("FakeQuantWithMinMaxVarsGradient", [g] + list(op_.inputs), _bits(op_))))
op("FakeQuantWithMinMaxVarsGradient", "gradients:float32, inputs:float32, min:float32, max:float32",
   kernel=lambda a, g, x, lo, hi: _backprops(g, x, lo, hi, a, None), shape=_vars_gradient_shape,
   grad=NOT_DIFFERENTIABLE)
op("FakeQuantWithMinMaxVarsPerChannel", "inputs:float32, min:float32, max:float32", kernel=_per_channel_kernel,
   shape=_per_channel_shape,
   grad=lambda op_, g: list(apply_op("FakeQuantWithMinMaxVarsPerChannelGradient", [g] + list(op_.inputs),
                                     _bits(op_))))
op("FakeQuantWithMinMaxVarsPerChannelGradient", "gradients:float32, inputs:float32, min:float32, max:float32",
   kernel=_per_channel_gradient_kernel, shape=_per_channel_gradient_shape, grad=NOT_DIFFERENTIABLE)


# ----- the functions ------------------------------------------------------------------------------------------
def fake_quant_with_min_max_args(inputs, min=-6, max=6, num_bits=8, narrow_range=False, name=None):
    """`inputs` clamped to [min, max] (nudged so 0 is a level) and rounded to 2^num_bits levels."""
    return apply_op("FakeQuantWithMinMaxArgs", [inputs], {"min": float(min), "max": float(max),
                                                          "num_bits": int(num_bits), "narrow_range": bool(narrow_range)},
                    name=name)


def fake_quant_with_min_max_args_gradient(gradients, inputs, min=-6, max=6, num_bits=8, narrow_range=False,
                                          name=None):
    """The gradient of fake_quant_with_min_max_args: `gradients` where `inputs` lies in the nudged range."""
    return apply_op("FakeQuantWithMinMaxArgsGradient", [gradients, inputs],
                    {"min": float(min), "max": float(max), "num_bits": int(num_bits),
                     "narrow_range": bool(narrow_range)}, name=name)


def fake_quant_with_min_max_vars(inputs, min, max, num_bits=8, narrow_range=False, name=None):
    """Like fake_quant_with_min_max_args, with the range given as scalar tensors."""
    return apply_op("FakeQuantWithMinMaxVars", [inputs, min, max],
                    {"num_bits": int(num_bits), "narrow_range": bool(narrow_range)}, name=name)


def fake_quant_with_min_max_vars_gradient(gradients, inputs, min, max, num_bits=8, narrow_range=False,
                                          name=None):
    """The gradients of fake_quant_with_min_max_vars for its input, min and max."""
    return VarsGradient(*apply_op("FakeQuantWithMinMaxVarsGradient", [gradients, inputs, min, max],
                                  {"num_bits": int(num_bits), "narrow_range": bool(narrow_range)}, name=name))


def fake_quant_with_min_max_vars_per_channel(inputs, min, max, num_bits=8, narrow_range=False,
                                             name=None):
    """Fake quantization with one range per channel (the last dim)."""
    return apply_op("FakeQuantWithMinMaxVarsPerChannel", [inputs, min, max],
                    {"num_bits": int(num_bits), "narrow_range": bool(narrow_range)}, name=name)


def fake_quant_with_min_max_vars_per_channel_gradient(gradients, inputs, min, max, num_bits=8,
                                                      narrow_range=False, name=None):
    """The gradients of fake_quant_with_min_max_vars_per_channel for its input, min and max."""
    return PerChannelGradient(*apply_op("FakeQuantWithMinMaxVarsPerChannelGradient", [gradients, inputs, min, max],
                                        {"num_bits": int(num_bits), "narrow_range": bool(narrow_range)}, name=name))

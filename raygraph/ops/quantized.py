"""Quantized tensors: `QuantizeV2`, `Dequantize`, `QuantizedConcat` and `QuantizeAndDequantizeV2`/`V4` (with
`V4Grad`), computed in float32 step by step as TF's Eigen kernels do.

A quantized value is held as numpy records of one integer field (dtypes.qint8 ...); the kernels work on the
plain integers (`_ints`) and hand records back (`_records`). A range [min, max] maps to the integers of the type
by one of three modes:
- MIN_COMBINED: `(clamp(x) - min) * scale`, shifted by half the type's range for signed types;
- MIN_FIRST: `round(x * scale) - round(min * scale)`, counted from the type's lowest value, clamped;
- SCALED: `x * scale` with one scale keeping 0 at 0 and both ends inside the type (the range is rewritten).
QuantizeV2 first widens the range to hold 0 and to span at least `ensure_minimum_range` (relative).
"""
import collections

import numpy as np

from .. import dtypes
from ..default_graph import name_scope
from ..errors import InvalidArgumentError, UnimplementedError
from ..shape import TensorShape
from .joining import _concat_shape
from .registry import NO_GRADIENT_DEFINED, apply_op, cpu_kernel, op
from .shape_fns import dims, float_text, merge_dims, with_rank

F32 = np.float32
QUANTIZED = "qint8 quint8 qint32 qint16 quint16"
_FLOAT_MAX = F32(np.finfo(F32).max)
_raw = TensorShape._raw
QuantizeV2 = collections.namedtuple("QuantizeV2", "output output_min output_max")
QuantizedConcat = collections.namedtuple("QuantizedConcat", "output output_min output_max")


def _error(message):
    return InvalidArgumentError(None, None, message)


def _base(dtype):
    """The plain integer numpy type under a quantized dtype's records."""
    return np.dtype(dtype.as_numpy_dtype)[0]


def _ints(x):
    x = np.asarray(x)
    return x[x.dtype.names[0]] if x.dtype.names else x


def _records(values, dtype):
    return np.ascontiguousarray(values).astype(_base(dtype)).view(dtype.as_numpy_dtype)


def _round_away(x):
    """std::round: halves away from zero, exactly (x - trunc(x) is exact in floating point)."""
    whole = np.trunc(x)
    return np.where(np.abs(x - whole) >= 0.5, whole + np.sign(x), whole).astype(x.dtype)


def _flushed(x):
    """TF's threads flush float32 denormals to zero."""
    return F32(0) if abs(x) < np.finfo(F32).tiny else F32(x)


def _cast(values, dtype):
    """Eigen's vectorized float -> quantized cast: to int32 as x86 converts (NaN and values past int32 become
    its lowest value), then saturated into the type."""
    info = np.iinfo(_base(dtype))
    with np.errstate(invalid="ignore"):
        v = np.rint(values)
        ints = np.where((v >= -2.0 ** 31) & (v < 2.0 ** 31), v, -2.0 ** 31).astype(np.int64)
    return _records(np.clip(ints, info.min, info.max), dtype)


def _to_float(q, lo, hi, dtype):
    """DEQUANTIZE_WITH_EIGEN (MIN_FIRST): the float each level stands for, in float32."""
    info = np.iinfo(_base(dtype))
    scale = F32(float(F32(hi) - F32(lo)) / (2.0 ** info.bits - 1.0))
    rounded = F32(lo) if hi == lo else F32(_round_away(np.asarray(F32(lo) / scale)) * scale)
    return (rounded - F32(info.min) * scale) + _ints(q).astype(F32) * scale


def _to_levels(x, lo, hi, dtype):
    """QUANTIZE_WITH_EIGEN (MIN_FIRST): each float's level, rounded, clamped, as records."""
    info = np.iinfo(_base(dtype))
    scale = F32(0.0 if hi == lo else (2.0 ** info.bits - 1.0) / float(F32(hi) - F32(lo)))
    lowest = F32(info.min)
    offset = F32(_round_away(np.asarray(F32(lo) * scale))) - lowest
    levels = _round_away(np.asarray(x, F32) * scale) - offset
    bounds = max(lowest, F32(-2.147483648e9)), min(F32(info.max), F32(2.147483520e9))
    return _records(np.clip(levels, *bounds).astype(np.int64), dtype)


# ----- QuantizeV2 ---------------------------------------------------------------------------------------------
def _widened(lo, hi, a):
    if hi < lo:
        raise _error("input_max_range must be larger than input_min_range.")
    lo, hi = F32(lo), F32(hi)
    low = min(F32(0), lo)
    eps = max(F32(1), max(abs(lo), abs(hi))) * F32(a["ensure_minimum_range"])
    return low, max(F32(0), max(hi, F32(low + eps)))


def _quantize_slice(x, lo, hi, a, dtype):
    """One slice's levels and its output range (QuantizeSlice / QuantizeTensor)."""
    low, high = _widened(lo, hi, a)
    info = np.iinfo(_base(dtype))
    if a["mode"] == "MIN_FIRST":
        return _to_levels(x, low, high, dtype), low, high
    if a["mode"] == "MIN_COMBINED":
        with np.errstate(divide="ignore"):
            scale = F32(np.float64(float(info.max) - float(info.min)) / np.float64(F32(high - low)))
        with np.errstate(invalid="ignore"):
            shifted = (np.maximum(np.minimum(x, high), low) - low) * scale
        if info.min < 0:
            return _cast(_round_away(shifted - F32((float(info.max) - info.min + 1) / 2.0)), dtype), low, high
        return _cast(np.trunc(shifted + F32(0.5)), dtype), low, high
    qmin, qmax = F32(info.min + (1 if a["narrow_range"] else 0)), F32(info.max)
    scale = min(qmin / low if qmin * low > 0 else _FLOAT_MAX, qmax / high if qmax * high > 0 else _FLOAT_MAX)
    low, high = _flushed(qmin / scale), _flushed(qmax / scale)
    scaled = np.maximum(np.minimum(x, high), low) * scale
    rounded = np.rint(scaled) if a["round_mode"] == "HALF_TO_EVEN" else _round_away(scaled)
    return _cast(rounded, dtype), low, high


def _check_modes(a):
    if a["round_mode"] == "HALF_TO_EVEN" and a["mode"] != "SCALED":
        raise _error(f"Round mode 'HALF_TO_EVEN' only supported for mode 'SCALED', but mode is '{a['mode']}'.")


def _check_ranges(x, lo, hi, axis):
    for name, r in (("min_range", lo), ("max_range", hi)):
        if axis > -1 and (np.ndim(r) != 1 or np.shape(r)[0] != x.shape[axis]):
            raise _error(f"If axis is specified, {name} must be a 1-D tensor whose size matches the axis dimension "
                         f"of the input and output tensors, but {name} is a 1-D tensor of size {np.size(r)} and "
                         f"input's axis dimension is of size {x.shape[axis]}")
        if axis == -1 and np.size(r) != 1:
            raise _error(f"If axis is not specified, {name} must contain a single float element, but it contains "
                         f"{np.size(r)} elements")


def _quantize_kernel(a, x, lo, hi):
    _check_modes(a)
    axis, dtype = a["axis"], a["T"]
    _check_ranges(x, lo, hi, axis)
    if axis == -1 or x.shape[axis] == 1:  # one slice: TF's scalar path, with scalar ranges out
        q, low, high = _quantize_slice(x, np.ravel(lo)[0], np.ravel(hi)[0], a, dtype)
        return q, np.asarray(low, F32), np.asarray(high, F32)
    if a["mode"] == "MIN_FIRST":
        raise UnimplementedError(None, None, "MIN_FIRST mode is not implemented for Quantize with axis != -1.")
    parts = [_quantize_slice(np.take(x, i, axis), lo[i], hi[i], a, dtype) for i in range(x.shape[axis])]
    q = np.stack([_ints(p[0]) for p in parts], axis)
    return _records(q, dtype), np.array([p[1] for p in parts], F32), np.array([p[2] for p in parts], F32)


def _minmax_shape(x, lo, hi, axis, at_least=True):
    """The range inputs' shape: scalars, or vectors as long as the input's `axis` dimension."""
    if axis < -1:
        raise ValueError(f"axis should be at least -1, got {axis}")
    rank = 0 if axis == -1 else 1
    with_rank(lo, rank)
    minmax = with_rank(hi, rank)
    if axis != -1:
        d = dims(x)
        if d is not None and len(d) < axis + 1:
            raise ValueError(f"Shape must be at least rank {axis + 1} but is rank {len(d)}")
        if d is not None and None not in (d[axis], minmax[0]) and d[axis] != minmax[0]:
            raise ValueError(f"Dimensions must be equal, but are {minmax[0]} and {d[axis]}")
    return minmax


def _quantize_shape(inputs, a):
    x, lo, hi = inputs
    minmax = _raw(_minmax_shape(x, lo, hi, a["axis"]))
    return [(a["T"], x._shape), (dtypes.float32, minmax), (dtypes.float32, minmax)]


op("QuantizeV2", "input:float32, min_range:float32, max_range:float32", kernel=_quantize_kernel,
   shape=_quantize_shape, grad=NO_GRADIENT_DEFINED, T=QUANTIZED,
   choices={"mode": ("MIN_COMBINED", "MIN_FIRST", "SCALED"), "round_mode": ("HALF_AWAY_FROM_ZERO", "HALF_TO_EVEN")})


# ----- Dequantize ---------------------------------------------------------------------------------------------
def _dequantize_slice(q, lo, hi, a, dtype):
    info = np.iinfo(_base(dtype))
    lo, hi = F32(lo), F32(hi)
    if a["mode"] == "MIN_FIRST":
        return _to_float(q, lo, hi, dtype)
    values = _ints(q).astype(F32)
    if a["mode"] == "MIN_COMBINED":
        half = F32(0.0) if info.min == 0 else F32((F32(info.max) - F32(info.min) + F32(1)) / F32(2))
        return (values + half) * F32((hi - lo) / (F32(info.max) - F32(info.min))) + lo
    if info.min == 0:
        scale = F32(hi / F32(info.max))
    else:
        scale = max(F32(lo / F32(info.min + (1 if a["narrow_range"] else 0))), F32(hi / F32(info.max)))
    return values * scale


def _dequantize_kernel(a, q, lo, hi):
    if a["dtype"] is dtypes.bfloat16 and a["mode"] != "MIN_COMBINED":
        raise _error(f"When output type is bfloat16, Mode string must be 'MIN_COMBINED', is '{a['mode']}'")
    axis, dtype = a["axis"], a["T"]
    if axis >= q.ndim:
        raise _error(f"Axis must be less than input dimension({q.ndim}), got {axis}")
    slices = 1 if axis == -1 else q.shape[axis]
    for name, r in (("input_min_tensor", lo), ("input_max_tensor", hi)):
        if np.size(r) != slices:
            raise _error(f"{name} must have as many elements as input on the dequantization axis ({axis}), got "
                         f"{np.size(r)}, expected {slices}")
    if slices == 1:
        out = _dequantize_slice(q, np.ravel(lo)[0], np.ravel(hi)[0], a, dtype)
    elif a["mode"] == "MIN_FIRST":
        raise UnimplementedError(None, None, "MIN_FIRST mode is not implemented for Dequantize with axis != -1.")
    else:
        out = np.stack([_dequantize_slice(np.take(q, i, axis), lo[i], hi[i], a, dtype) for i in range(slices)], axis)
    return np.asarray(out, F32).astype(a["dtype"].as_numpy_dtype)


def _dequantize_shape(inputs, a):
    q, lo, hi = inputs
    d, axis = dims(q), a["axis"]
    if axis < -1:
        raise ValueError(f"axis should be at least -1, got {axis}")
    if axis > (-1 if d is None else len(d)):
        raise ValueError(f"Axis must be less than input dimension({-1 if d is None else len(d)}), got {axis}")
    _minmax_shape(q, lo, hi, axis)
    return a["dtype"], q._shape


op("Dequantize", "input:T, min_range:float32, max_range:float32", kernel=_dequantize_kernel,
   shape=_dequantize_shape, grad=NO_GRADIENT_DEFINED, T=QUANTIZED, dtype="bfloat16 float32",
   choices={"mode": ("MIN_COMBINED", "MIN_FIRST", "SCALED")})


# ----- QuantizedConcat ----------------------------------------------------------------------------------------
def _text(shape):
    return "[" + ",".join(str(d) for d in shape) + "]"


def _concat_kernel(a, axis, *rest):
    n, dtype = a["N"], a["T"]
    if dtype not in (dtypes.quint8, dtypes.qint32):
        raise _error(f"No OpKernel was registered to support Op 'QuantizedConcat' with these attrs: "
                     f"[N={n}, T=DT_{dtype.name.upper()}]")
    values, los, his = rest[:n], [F32(v) for v in rest[n:2 * n]], [F32(v) for v in rest[2 * n:]]
    axis, first = int(axis), values[0].shape
    if not 0 <= axis < len(first):
        raise _error(f"ConcatOp : Expected concatenating dimensions in the range [0, {len(first)}), but got {axis}")
    for i, v in enumerate(values):
        if v.ndim != len(first):
            raise _error(f"ConcatOp : Ranks of all input tensors should match: shape[0] = {_text(first)} vs. "
                         f"shape[{i}] = {_text(v.shape)}")
        if any(v.shape[j] != first[j] for j in range(len(first)) if j != axis):
            raise _error(f"ConcatOp : Dimensions of inputs should match: shape[0] = {_text(first)} vs. "
                         f"shape[{i}] = {_text(v.shape)}")
    low, high = min(F32(0), *los), max(F32(0), *his)  # the range always holds 0
    if dtype is dtypes.qint32:  # signed: a range symmetric about 0
        high = max(abs(low), abs(high))
        low = -high
    parts = [_ints(v) if (lo, hi) == (low, high) else _ints(_to_levels(_to_float(v, lo, hi, dtype), low, high, dtype))
             for v, lo, hi in zip(values, los, his)]
    return _records(np.concatenate(parts, axis), dtype), np.asarray(low, F32), np.asarray(high, F32)


def _concat_quantized_shape(inputs, a):
    n = a["N"]
    dtype, shape = _concat_shape(list(inputs[1:n + 1]) + [inputs[0]], a)
    for t in inputs[n + 1:]:
        with_rank(t, 0)
    return [(dtype, shape), (dtypes.float32, _raw(())), (dtypes.float32, _raw(()))]


op("QuantizedConcat", "concat_dim:int32, values:*T, input_mins:*float32, input_maxes:*float32",
   kernel=_concat_kernel, shape=_concat_quantized_shape, grad=NO_GRADIENT_DEFINED)


# ----- QuantizeAndDequantizeV2 / V4 ---------------------------------------------------------------------------
def _qdq_scale(lo, hi, a, t):
    """ComputeQuantizationRange: (scale, inverse scale, range), keeping the side that sets the scale."""
    bits, signed = a["num_bits"], a["signed_input"]
    qmin = (-(1 << (bits - 1)) + (1 if a["narrow_range"] else 0)) if signed else 0
    qmax = (1 << (bits - 1)) - 1 if signed else (1 << bits) - 1
    qmin, qmax, big = t(qmin), t(qmax), t(np.finfo(t).max)
    from_min = qmin / lo if qmin * lo > 0 else big
    from_max = qmax / hi if qmax * hi > 0 else big
    if from_min < from_max:
        inverse = t(lo / qmin)
        return t(from_min), inverse, (lo, t(qmax * inverse))
    inverse = t(hi / qmax)
    return t(from_max), inverse, (t(qmin * inverse), hi)


def _qdq_slice(x, lo, hi, a):
    t = x.dtype.type
    if x.size == 0:
        return x.copy()
    if not a["range_given"]:
        lo, hi = x.min(), x.max()
    scale, inverse, (lo, hi) = _qdq_scale(t(lo), t(hi), a, t)
    if a["range_given"]:
        x = np.maximum(np.minimum(x, hi), lo)
    with np.errstate(over="ignore", invalid="ignore"):
        scaled = x * scale
        rounded = np.rint(scaled) if a["round_mode"] == "HALF_TO_EVEN" else np.floor(scaled + t(0.5))
        return (rounded * inverse).astype(t)


def _qdq_kernel(a, x, lo, hi):
    bits, signed, axis = a["num_bits"], a["signed_input"], a["axis"]
    if not 0 < bits < (62 if signed else 63):
        raise _error(f"num_bits is out of range: {bits} with signed_input_ {int(signed)}")
    if axis < -1:
        raise _error(f"Axis must be at least -1. Found {axis}")
    if axis != -1 and axis >= x.ndim:
        raise _error(f"Shape must be at least rank {axis + 1} but is rank {x.ndim}")
    if a["range_given"]:
        if axis != -1 and np.ndim(lo) == np.ndim(hi) == 0:
            raise _error("Shape must be rank 1 for input_min_tensor when the axis is specified")
        for name, r in (("input_min", lo), ("input_max", hi)):  # TF 2.21 asks this with an axis too
            if np.ndim(r) != 0:
                raise _error(f"{name} must be a scalar.")
        if lo > hi:
            raise _error(f"Invalid range: input_min {float_text(float(lo))} > input_max {float_text(float(hi))}")
    if axis == -1:
        return _qdq_slice(x, lo, hi, a)
    return np.stack([_qdq_slice(np.take(x, i, axis), None, None, a) for i in range(x.shape[axis])], axis)


def _qdq_shape(inputs, a):
    x, lo, hi = inputs
    _minmax_shape(x, lo, hi, a["axis"])
    return x.dtype.base_dtype, x._shape


def _qdq_grad_kernel(a, g, x, lo, hi):
    axis = a["axis"]
    if axis < -1:
        raise _error(f"Axis must be at least -1. Found {axis}")
    if axis != -1 and axis >= x.ndim:
        raise _error(f"Axis should be -1 or 0 or a positive value less than {x.ndim}but given axis value was {axis}")
    if g.shape != x.shape:
        raise _error("gradient and input must be the same size")
    for name, r in (("min", lo), ("max", hi)):
        if np.ndim(r) > 1:
            raise _error(f"Input {name} tensor must have dimension 0 or 1. Received {np.ndim(r)}.")
    if axis != -1:
        for name, r in (("min", lo), ("max", hi)):
            if np.shape(r)[:1] != (x.shape[axis],):
                raise _error(f"{name} has incorrect size, expected {x.shape[axis]} was {np.shape(r)[0]}")
        where = [1] * x.ndim
        where[axis] = -1
        lo, hi = np.reshape(lo, where), np.reshape(hi, where)
    else:
        for name, r in (("input_min", lo), ("input_max", hi)):
            if np.ndim(r) != 0:
                raise _error(f"{name} must be a scalar if axis is unspecified")
    inside = (x >= lo) & (x <= hi)
    zeros = np.zeros(np.shape(lo) if axis == -1 else (x.shape[axis],), x.dtype)
    return (g * inside).astype(x.dtype), zeros, zeros.copy()


def _qdq_grad_shape(inputs, a):
    g, x, lo, hi = inputs
    axis = a["axis"]
    d = dims(x)
    if d is not None and len(d) < axis + 1:
        raise ValueError(f"Shape must be at least rank {axis + 1} but is rank {len(d)}")
    minmax = merge_dims(dims(hi), with_rank(lo, 0 if axis == -1 else 1))
    if axis != -1 and d is not None and None not in (d[axis], minmax[0]) and d[axis] != minmax[0]:
        raise ValueError(f"Dimensions must be equal, but are {minmax[0]} and {d[axis]}")
    t = x.dtype.base_dtype
    return [(t, _raw(merge_dims(dims(g), d))), (t, _raw(minmax)), (t, _raw(minmax))]


def _v4_grad(op_, grad):
    return list(apply_op("QuantizeAndDequantizeV4Grad", [grad] + list(op_.inputs[:3]),
                         {"axis": op_._attrs["axis"]}))


_QDQ = {"shape": _qdq_shape, "T": "bfloat16 float16 float32 float64",
        "choices": {"round_mode": ("HALF_TO_EVEN", "HALF_UP")}}
op("QuantizeAndDequantizeV2", "input:T, input_min:T, input_max:T", grad=lambda op_, g: [g, None, None],
   kernel=cpu_kernel("QuantizeAndDequantizeV2", _qdq_kernel, "float16 bfloat16"), **_QDQ)
op("QuantizeAndDequantizeV4", "input:T, input_min:T, input_max:T", grad=_v4_grad,
   kernel=cpu_kernel("QuantizeAndDequantizeV4", _qdq_kernel, "float16 bfloat16"), **_QDQ)
op("QuantizeAndDequantizeV4Grad", "gradients:T, input:T, input_min:T, input_max:T",
   kernel=cpu_kernel("QuantizeAndDequantizeV4Grad", _qdq_grad_kernel, "float16 bfloat16"),
   shape=_qdq_grad_shape, grad=_v4_grad, T="bfloat16 float16 float32 float64")


# ----- the functions ------------------------------------------------------------------------------------------
def _axis(x, axis):
    """TF's wrappers: None is -1; a negative axis counts from the end of a known rank."""
    if axis is None:
        return -1
    if axis < 0:
        if x.shape.ndims is None:
            raise ValueError("input should have known rank to use negative axis.")
        return axis % x.shape.ndims
    return axis


def _int(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"Expected int for argument '{name}' not {value!r}.")
    return int(value)


def quantize_v2(input, min_range, max_range, T, mode="MIN_COMBINED", name=None,
                round_mode="HALF_AWAY_FROM_ZERO", narrow_range=False, axis=None, ensure_minimum_range=0.01):
    """`input` (float32) as levels of the quantized type `T` over [min_range, max_range]; and the range used."""
    attrs = {"T": dtypes.as_dtype(T), "mode": mode, "round_mode": round_mode, "narrow_range": bool(narrow_range),
             "axis": _axis(input, axis), "ensure_minimum_range": float(ensure_minimum_range)}
    return QuantizeV2(*apply_op("QuantizeV2", [input, min_range, max_range], attrs, name=name))


def quantize(input, min_range, max_range, T, mode="MIN_COMBINED", round_mode="HALF_AWAY_FROM_ZERO",
             name=None, narrow_range=False, axis=None, ensure_minimum_range=0.01):
    """tf.quantization.quantize: quantize_v2 with `name` later in the arguments."""
    return quantize_v2(input, min_range, max_range, T, mode, name, round_mode, narrow_range, axis,
                       ensure_minimum_range)


def dequantize(input, min_range, max_range, mode="MIN_COMBINED", name=None, axis=None,
               narrow_range=False, dtype=dtypes.float32):
    """The floats the levels of `input` stand for over [min_range, max_range]."""
    attrs = {"mode": mode, "narrow_range": bool(narrow_range), "axis": _axis(input, axis),
             "dtype": dtypes.as_dtype(dtype)}
    return apply_op("Dequantize", [input, min_range, max_range], attrs, name=name)


def quantized_concat(concat_dim, values, input_mins, input_maxes, name=None):
    """Concatenates quantized tensors, requantized into one range covering all of theirs."""
    for arg, v in (("values", values), ("input_mins", input_mins), ("input_maxes", input_maxes)):
        if not isinstance(v, (list, tuple)):
            raise TypeError(f"Expected list for '{arg}' argument to 'quantized_concat' Op, not {v!r}.")
        if arg != "values" and len(v) != len(values):
            raise ValueError(f"List argument '{arg}' to 'quantized_concat' Op with length {len(v)} must match "
                             f"length {len(values)} of argument 'values'.")
    if len(values) < 2:
        with name_scope(name or "QuantizedConcat"):  # TF's op builder has taken the name when it checks
            raise ValueError(f"List argument 'values' to 'QuantizedConcat' Op with length {len(values)} shorter than "
                             f"minimum length 2.")
    return QuantizedConcat(*apply_op("QuantizedConcat", [concat_dim, list(values), list(input_mins),
                                                         list(input_maxes)], {"N": len(values)}, name=name))


def _qdq(op_type, input, input_min, input_max, signed_input, num_bits, range_given, round_mode, name,
         narrow_range, axis):
    attrs = {"signed_input": bool(signed_input), "num_bits": _int(num_bits, "num_bits"),
             "range_given": bool(range_given), "round_mode": round_mode, "narrow_range": bool(narrow_range)}
    attrs["axis"] = _axis(input, axis)
    return apply_op(op_type, [input, input_min, input_max], attrs, name=name)


def quantize_and_dequantize(input, input_min, input_max, signed_input=True, num_bits=8,
                            range_given=False, round_mode="HALF_TO_EVEN", name=None, narrow_range=False, axis=None):
    """`input` rounded to 2^num_bits levels and back (QuantizeAndDequantizeV2: the gradient passes through)."""
    return _qdq("QuantizeAndDequantizeV2", input, input_min, input_max, signed_input, num_bits, range_given,
                round_mode, name, narrow_range, axis)


def quantize_and_dequantize_v2(input, input_min, input_max, signed_input=True, num_bits=8,
                               range_given=False, round_mode="HALF_TO_EVEN", name=None, narrow_range=False,
                               axis=None):
    """Like quantize_and_dequantize (QuantizeAndDequantizeV4): the gradient is zero outside [input_min, input_max]."""
    return _qdq("QuantizeAndDequantizeV4", input, input_min, input_max, signed_input, num_bits, range_given,
                round_mode, name, narrow_range, axis)

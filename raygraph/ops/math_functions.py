"""TF1's math functions composed of other ops (math_ops.py's Python): `polyval`, `accumulate_n`, `scalar_mul`,
`reciprocal_no_nan`, `saturate_cast`, the `to_*` casts, the raw `realdiv`/`floor_div`, and `Bucketize` (the
bucket index of each element: how many `boundaries` are <= it, as feature columns bucketize)."""
import builtins

import numpy as np

from .. import dtypes
from ..convert import constant, convert_to_tensor
from ..default_graph import name_scope
from ..shape import as_shape, unknown_shape
from ..tensor import Tensor
from .array import identity
from .filling import zeros_like
from .indexed_slices import IndexedSlices, convert_to_tensor_or_indexed_slices
from .math import _binary_wrap, cast, div_no_nan
from .reduction import add_n
from .registry import NOT_DIFFERENTIABLE, apply_op, op

realdiv = _binary_wrap("RealDiv")
floor_div = _binary_wrap("FloorDiv")


def _bucketize_shape(inputs, attrs):
    return dtypes.int32, inputs[0]._shape


# TF compares each element with the float boundaries (std::upper_bound): a value equal to a boundary goes above it
op("Bucketize", "input:T", T="int32 int64 float32 float64", shape=_bucketize_shape, grad=NOT_DIFFERENTIABLE,
   kernel=lambda a, x: np.searchsorted(np.asarray(a["boundaries"], np.float32), x, side="right").astype(np.int32))


def bucketize(input, boundaries, name=None):  # noqa: A002 - TF's name (math_ops._bucketize)
    """The bucket of each element of `input`: 0 below boundaries[0], i where boundaries[i-1] <= x < boundaries[i]."""
    return apply_op("Bucketize", [input], {"boundaries": [float(b) for b in boundaries]}, name=name)


def polyval(coeffs, x, name=None):
    """coeffs[0] * x**(n-1) + ... + coeffs[n-1], by Horner's method."""
    if not isinstance(coeffs, list):
        raise ValueError(f"Argument coeffs must be list type. Received type {type(coeffs)}.")
    with name_scope(name, "polyval", coeffs + [x]) as name:
        x = convert_to_tensor(x, name="x")
        if len(coeffs) < 1:
            return zeros_like(x, name=name)
        coeffs = [convert_to_tensor(c, name=f"coeff_{i}") for i, c in enumerate(coeffs)]
        p = coeffs[0]
        for c in coeffs[1:]:
            p = c + p * x
        return p


def accumulate_n(inputs, shape=None, tensor_dtype=None, name=None):
    """The elementwise sum of `inputs` (TF1's accumulate_n is add_n after its checks)."""
    def _input_error():
        return ValueError("inputs must be a list of at least one Tensor with the same dtype and shape")
    if not inputs or not isinstance(inputs, (list, tuple)):
        raise _input_error()
    inputs = [convert_to_tensor_or_indexed_slices(x) for x in inputs]
    if not all(isinstance(x, Tensor) for x in inputs) or not all(x.dtype == inputs[0].dtype for x in inputs):
        raise _input_error()
    merged = unknown_shape() if shape is None else as_shape(shape)
    for t in inputs:
        merged = merged.merge_with(t.shape)
    if tensor_dtype is not None and tensor_dtype != inputs[0].dtype:
        raise TypeError(f"The `tensor_dtype` argument is {tensor_dtype}, but `input` is of type {inputs[0].dtype}. "
                        f"These must be equal. Try casting the input to the desired type.")
    if len(inputs) == 1:
        return inputs[0] if name is None else identity(inputs[0], name=name)
    return add_n(inputs, name=name)


def scalar_mul(scalar, x, name=None):
    """scalar * x for a 0-d `scalar` (op `Mul`); an IndexedSlices stays one."""
    base = dtypes.as_dtype(x.dtype).base_dtype
    scalar = convert_to_tensor(scalar, dtype=base, name="scalar")
    if scalar.shape.ndims != 0:
        raise ValueError(f"The input scalar must be a 0-D value. Received shape {scalar.shape}.")
    if isinstance(x, IndexedSlices):
        return IndexedSlices(apply_op("Mul", [scalar, x.values], {}, name=name), x.indices, x.dense_shape)
    return apply_op("Mul", [scalar, x], {}, name=name)


def reciprocal_no_nan(x, name=None):
    """1 / x, and 0 where x is 0."""
    with name_scope(name, "reciprocal_no_nan", [x]) as scope:
        x = convert_to_tensor(x, name="x")
        one = constant(1, dtype=x.dtype.base_dtype, name="one")
        return div_no_nan(one, x, name=scope)


def saturate_cast(value, dtype, name=None):
    """`value` cast to `dtype`, clamped first to the values `dtype` can hold (TF's ClipByValue, then Cast)."""
    with name_scope(name, "saturate_cast", [value]) as name:
        value = convert_to_tensor(value, name="value")
        dtype = dtypes.as_dtype(dtype).base_dtype
        in_dtype = value.dtype.base_dtype
        if in_dtype.is_complex:
            if dtype.is_complex:
                lo, hi = in_dtype.real_dtype, dtype.real_dtype
                if lo.min < hi.min or lo.max > hi.max:
                    value = apply_op("ClipByValue", [
                        value, convert_to_tensor(builtins.complex(hi.min, hi.min), dtype=in_dtype),
                        convert_to_tensor(builtins.complex(hi.max, hi.max), dtype=in_dtype)], {}, name="clamp")
                return cast(value, dtype, name=name)
            value = apply_op("Real", [value], {"Tout": in_dtype.real_dtype})
            in_dtype = in_dtype.real_dtype
        lo, hi = _limits(in_dtype, dtype.real_dtype)
        value = apply_op("ClipByValue", [value, convert_to_tensor(lo, dtype=in_dtype),
                                         convert_to_tensor(hi, dtype=in_dtype)], {}, name="clamp")
        return cast(value, dtype, name=name)


def _limits(in_dtype, out_dtype):
    """The clamp bounds: the narrower type's range, each moved toward 0 where `in_dtype` rounds it outward."""
    np_dtype = in_dtype.as_numpy_dtype
    try:
        promoted = np.promote_types(np_dtype, out_dtype.as_numpy_dtype)
    except TypeError:
        promoted = float
    lo = np_dtype(np.maximum(in_dtype.min, out_dtype.min))
    if np.array([lo, out_dtype.min], dtype=promoted)[0] < np.array([lo, out_dtype.min], dtype=promoted)[1]:
        lo = np.nextafter(lo, np_dtype(0), dtype=np_dtype)
    hi = np_dtype(np.minimum(float(in_dtype.max), float(out_dtype.max)))
    if np.array([hi, out_dtype.max], dtype=promoted)[0] > np.array([hi, out_dtype.max], dtype=promoted)[1]:
        hi = np.nextafter(hi, np_dtype(0), dtype=np_dtype)
    return lo, hi


def to_double(x, name="ToDouble"):
    return cast(x, dtypes.float64, name=name)

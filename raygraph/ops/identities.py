"""Ops that pass their input on, checked or reinterpreted: `EnsureShape`, `GuaranteeConst`,
`Bitcast`, and the static-shape helpers `broadcast_static_shape`, `dimension_at_index`."""
import numpy as np

from .. import dtypes
from ..errors import InvalidArgumentError
from ..shape import Dimension, TensorShape, as_shape, unknown_shape
from .registry import NO_GRADIENT_DEFINED, apply_op, op
from .shape_fns import broadcast_dims, dims, merge_dims, same_shape

_raw = TensorShape._raw


def _text(d):
    return "?" if d is None else "[" + ",".join("?" if x is None else str(x) for x in d) + "]"


# ----- GuaranteeConst (IdentityN is in array.py) -------------------------------------------------------------------------
op("GuaranteeConst", "input:T", kernel=lambda a, x: x, shape=same_shape, grad=NO_GRADIENT_DEFINED)


def guarantee_const(input, name=None):
    """`input`, promised constant for the whole run (op GuaranteeConst)."""
    return apply_op("GuaranteeConst", [input], name=name)


# ----- EnsureShape ------------------------------------------------------------------------------------------
def _compatible(value_shape, want):
    return want is None or (len(value_shape) == len(want) and
                            all(w is None or w == v for v, w in zip(value_shape, want)))


def _ensure_shape_kernel(a, x):
    want = a["shape"]._dims
    if not _compatible(np.shape(x), want):
        raise InvalidArgumentError(None, None, f"Shape of tensor input {_text(np.shape(x))} "
                                   f"is not compatible with expected shape {_text(want)}.")
    return x


def _ensure_shape_shape(inputs, a):
    x = inputs[0]
    got, want = dims(x), a["shape"]._dims
    if got is None:
        return x.dtype.base_dtype, a["shape"]
    if want is None:  # TF reads an unknown-rank expected shape as rank -1, which no known rank matches
        raise ValueError(f"Shape must be rank -1 but is rank {len(got)}")
    if len(got) != len(want):
        raise ValueError(f"Shape must be rank {len(want)} but is rank {len(got)}")
    return x.dtype.base_dtype, _raw(merge_dims(got, want))


op("EnsureShape", "input:T", kernel=_ensure_shape_kernel, shape=_ensure_shape_shape, grad=lambda op, g: [g])


def ensure_shape(x, shape, name=None):
    """`x`, checked at run time to have a shape compatible with `shape` (op EnsureShape)."""
    if not isinstance(shape, TensorShape):
        shape = as_shape(shape)
    return apply_op("EnsureShape", [x], {"shape": shape}, name=name)


# ----- Bitcast ----------------------------------------------------------------------------------------------
_BITCAST_T = ("bfloat16 float16 float32 float64 int64 int32 uint8 uint16 uint32 uint64 int8 int16 complex64 "
              "complex128 qint8 quint8 qint16 quint16 qint32")


def _bitcast_dims(d, src, dst, error):
    a, b = np.dtype(src.as_numpy_dtype).itemsize, np.dtype(dst.as_numpy_dtype).itemsize
    if d is None or a == b:
        return d
    if a > b:
        return tuple(d) + (a // b,)
    if len(d) < 1 or (d[-1] is not None and d[-1] != b // a):
        raise error(f"Cannot bitcast from {src.name} to {dst.name}: shape {_text(d)}")
    return tuple(d[:-1])


def _bitcast_kernel(a, x):
    x = np.array(x, order="C")  # (ascontiguousarray would make a scalar 1-D)
    src, dst = a["T"], a["type"]
    shape_ = _bitcast_dims(x.shape, src, dst, lambda m: InvalidArgumentError(None, None, m))
    return x.view(dst.as_numpy_dtype).reshape(shape_)


def _bitcast_shape(inputs, a):
    d = _bitcast_dims(dims(inputs[0]), a["T"], a["type"], ValueError)
    return a["type"], unknown_shape() if d is None else _raw(d)


op("Bitcast", "input:T", kernel=_bitcast_kernel, shape=_bitcast_shape, grad=NO_GRADIENT_DEFINED, T=_BITCAST_T)


def bitcast(input, type, name=None):
    """`input`'s bytes read as `type` (a last dim added or dropped when the sizes differ; op Bitcast)."""
    type = dtypes.as_dtype(type)
    if type.name not in _BITCAST_T.split():  # (the attr is named `type`, so op() cannot list its dtypes)
        raise TypeError(f"Value passed to parameter 'type' has DataType {type.name} not in list of allowed values: "
                        f"{', '.join(_BITCAST_T.split())}")
    return apply_op("Bitcast", [input], {"type": type}, name=name)


# ----- static shapes ----------------------------------------------------------------------------------------
def broadcast_static_shape(shape_x, shape_y):
    """The broadcast of two TensorShapes; ValueError when they cannot broadcast."""
    try:
        return _raw(broadcast_dims(as_shape(shape_x)._dims, as_shape(shape_y)._dims))
    except ValueError:
        raise ValueError(f"Incompatible shapes for broadcasting. Two shapes are compatible if for each dimension "
                         f"pair they are either equal or one of them is 1. Received: {shape_x} and {shape_y}."
                         ) from None


def dimension_at_index(shape, index):
    """`shape[index]` as a Dimension (unknown when the rank is unknown)."""
    shape = as_shape(shape)
    if shape.ndims is None:
        return Dimension(None)
    return shape.dims[index] if isinstance(shape.dims[index], Dimension) else Dimension(shape[index])

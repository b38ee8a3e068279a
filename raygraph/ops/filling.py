"""Filling ops: Fill and zeros/ones (Consts when small, as TF1 makes them), ZerosLike/OnesLike, Range, OneHot."""
import numpy as np

from .. import dtypes
from ..convert import constant, convert_to_tensor
from ..default_graph import name_scope
from ..shape import TensorShape, as_shape, unknown_shape
from ..tensor import Tensor
from .array import _error, _shape_as_tensor, _text, reshape, shape_internal
from .registry import NOT_DIFFERENTIABLE, apply_op, cpu_kernel, op
from .shape_fns import constant_value, constant_value_as_shape, dims, same_shape, with_rank
from .math import cast

INDEX = (dtypes.int32, dtypes.int64)
_raw = TensorShape._raw


# ----- filling -------------------------------------------------------------------------------------------
def _fill_shape(inputs, a):
    d, value = inputs
    with_rank(d, 1)
    with_rank(value, 0)
    v = constant_value(d)
    if v is not None and np.any(np.asarray(v) < 0):
        raise ValueError("Fill dimensions must be >= 0")
    return value.dtype.base_dtype, constant_value_as_shape(d)


def _fill_kernel(a, d, v):
    if np.ndim(d) != 1:
        raise _error(f"dims must be a vector, got shape {_text(np.shape(d))}")
    if np.ndim(v) != 0:
        raise _error(f"value must be a scalar, got shape {_text(np.shape(v))}")
    for n in d:
        if n < 0:
            raise _error(f"Dimension {n} must be >= 0")
    return np.full(tuple(int(n) for n in d), v, dtype=v.dtype)


def _fill_grad(op, g):
    from .reduction import reduce_sum
    return [None, reduce_sum(g)]


op("Fill", "dims:index_type=int32, value:T", kernel=_fill_kernel, index_type=INDEX, shape=_fill_shape,
   grad=_fill_grad)
op("ZerosLike", "x:T", kernel=lambda a, x: np.zeros_like(x), shape=same_shape, grad=NOT_DIFFERENTIABLE)
op("OnesLike", "x:T", kernel=lambda a, x: np.ones_like(x), shape=same_shape, grad=NOT_DIFFERENTIABLE,
   T="bfloat16 float16 float32 float64 int8 uint8 int16 uint16 int32 uint32 int64 uint64 complex64 complex128 bool")


def fill(dims, value, name=None):
    """A tensor of shape `dims` filled with `value`."""
    return apply_op("Fill", [dims, value], {}, name=name)


def _filled(value, default_name, shape_, dtype, name):
    """TF's zeros/ones: a Const for fewer than 1000 elements, else Fill with `<name>/shape_as_tensor`."""
    with name_scope(name, default_name, [shape_]) as scope:
        if not isinstance(shape_, Tensor):
            try:
                d = _plain_dims(shape_)
                if np.prod(d) < 1000:
                    filled = value if np.prod(d) else np.zeros(d, dtype.as_numpy_dtype)  # no elements to repeat
                    return constant(filled, dtype=dtype, shape=d, name=scope)
            except (TypeError, ValueError):
                pass
            try:
                shape_ = _shape_as_tensor(as_shape(shape_))
            except (TypeError, ValueError):
                shape_ = convert_to_tensor(shape_, dtype=dtypes.int32)
        if shape_.shape.ndims == 0:
            shape_ = reshape(shape_, [-1])
        return fill(shape_, constant(value, dtype=dtype), name=scope)


def _plain_dims(shape_):
    if isinstance(shape_, TensorShape):
        if not shape_.is_fully_defined():
            raise TypeError("partially known shape")
        return shape_.as_list()
    if isinstance(shape_, (list, tuple)) and any(isinstance(d, Tensor) for d in shape_):
        raise TypeError("shape holds tensors")
    return shape_


def zeros(shape, dtype=dtypes.float32, name=None):
    """A tensor of zeros (False, "") of `shape`."""
    dtype = dtypes.as_dtype(dtype).base_dtype
    zero = False if dtype is dtypes.bool_ else "" if dtype is dtypes.string else 0
    return _filled(zero, "zeros", shape, dtype, name)


def ones(shape, dtype=dtypes.float32, name=None):
    dtype = dtypes.as_dtype(dtype).base_dtype
    return _filled(True if dtype is dtypes.bool_ else 1, "ones", shape, dtype, name)


def zeros_like(tensor, dtype=None, name=None, optimize=True):
    """Zeros shaped like `tensor`: a Const when its shape is known, else ZerosLike (or Fill for a new dtype)."""
    with name_scope(name, "zeros_like", [tensor]) as scope:
        if not isinstance(tensor, Tensor):
            tensor = convert_to_tensor(tensor, name="tensor")
        dtype = None if dtype is None else dtypes.as_dtype(dtype).base_dtype
        if optimize and tensor.shape.is_fully_defined() and tensor.dtype.base_dtype is not dtypes.variant:
            return zeros(tensor.shape, dtype=dtype or tensor.dtype.base_dtype, name=scope)
        if dtype is not None and dtype is not tensor.dtype.base_dtype:
            return zeros(shape_internal(tensor, optimize=optimize), dtype=dtype, name=scope)
        return apply_op("ZerosLike", [tensor], {}, name=scope)


def ones_like(tensor, dtype=None, name=None, optimize=True):
    """Ones shaped like `tensor` (a Fill over its shape, as in TF1)."""
    with name_scope(name, "ones_like", [tensor]) as scope:
        tensor = convert_to_tensor(tensor, name="tensor")
        shape_t = shape_internal(tensor, optimize=optimize)
        out = ones(shape_t, dtype=tensor.dtype.base_dtype if dtype is None else dtype, name=scope)
        out.set_shape(tensor.shape)
        return out


# ----- ranges, one-hot ----------------------------------------------------------------------------------
def _range_size(start, limit, delta, error):
    if start > limit and delta > 0:
        raise error(f"Requires start <= limit when delta > 0: {start}/{limit}")
    if start < limit and delta < 0:
        raise error(f"Requires start >= limit when delta < 0: {start}/{limit}")
    if delta == 0:
        raise error("Requires delta != 0")
    if isinstance(start, (np.integer, int)):
        return int((abs(limit - start) + abs(delta) - 1) // abs(delta))
    return int(np.ceil(np.abs((limit - start) / delta)))


def _range_shape(inputs, a):
    for t, what in zip(inputs, ("start", "limit", "delta")):
        d = dims(t)
        if d is not None and len(d) != 0:
            raise ValueError(f"Shape must be rank 0 but is rank {len(d)} for '{what}'")
    values = [constant_value(t) for t in inputs]
    if any(v is None for v in values):
        return a["Tidx"], unknown_shape(1)
    return a["Tidx"], _raw((_range_size(*(v[()] for v in map(np.asarray, values)), ValueError),))


def _range_kernel(a, start, limit, delta):
    for v, what in zip((start, limit, delta), ("start", "limit", "delta")):
        if np.ndim(v) != 0:
            raise _error(f"{what} must be a scalar, not shape {_text(np.shape(v))}")
    start, limit, delta = (np.asarray(v)[()] for v in (start, limit, delta))
    n = _range_size(start, limit, delta, _error)
    dtype = a["Tidx"].as_numpy_dtype
    return (start + np.arange(n, dtype=dtype) * delta).astype(dtype)  # TF computes start + i * delta


op("Range", "start:Tidx=int32, limit:Tidx, delta:Tidx", shape=_range_shape,
   kernel=cpu_kernel("Range", _range_kernel, "int8 int16 uint16 uint32 uint64", attr="Tidx"),
   Tidx="bfloat16 float16 float32 float64 int8 int16 int32 int64 uint16 uint32 uint64", grad=NOT_DIFFERENTIABLE)


def range(start, limit=None, delta=1, dtype=None, name="range"):  # noqa: A001 - TF's name
    """Like Python's range, as a tensor: dtype inferred from the arguments (int32 for ints)."""
    if limit is None:
        start, limit = 0, start
    with name_scope(name, "Range", [start, limit, delta]) as scope:
        args = [v if isinstance(v, Tensor) else convert_to_tensor(v, dtype=dtype, name=n)
                for v, n in ((start, "start"), (limit, "limit"), (delta, "delta"))]
        if dtype is None:
            order = [dtypes.int32, dtypes.int64, dtypes.float16, dtypes.float32, dtypes.float64]
            if any(t.dtype not in order for t in args):
                raise AssertionError("range arguments must be int32, int64 or floating point tensors")
            dtype = max((t.dtype for t in args), key=order.index)
        args = [cast(t, dtype) for t in args]
        return apply_op("Range", args, {}, name=scope)


def _one_hot_shape(inputs, a):
    idx, depth = inputs[0], inputs[1]
    axis = a["axis"]
    if axis < -1:
        raise ValueError("axis must be >= -1")
    n = constant_value(depth)
    if n is not None and int(n) < 0:
        raise ValueError(f"Dimension size, given by scalar input 1, must be non-negative but is {int(n)}")
    d = dims(idx)
    if d is None:
        return inputs[2].dtype.base_dtype, unknown_shape()
    at = (axis + len(d) + 1) % (len(d) + 1)
    return inputs[2].dtype.base_dtype, _raw(d[:at] + (None if n is None else int(n),) + d[at:])


def _one_hot_kernel(a, idx, depth, on, off):
    if np.ndim(depth) != 0 or int(depth) < 0:
        raise _error(f"depth must be non-negative, got: {int(np.ravel(depth)[0])}" if np.ndim(depth) == 0 else
                     f"depth must be a scalar, but got: {_text(np.shape(depth))}")
    for v, what in ((on, "on_value"), (off, "off_value")):
        if np.ndim(v) != 0:
            raise _error(f"{what} must be a scalar, but got: {_text(np.shape(v))}")
    hot = np.arange(int(depth)) == np.expand_dims(idx, -1)
    out = np.where(hot, on, off).astype(on.dtype)
    return out if a["axis"] == -1 else np.moveaxis(out, -1, a["axis"])


op("OneHot", "indices:TI=int64, depth:int32, on_value:T, off_value:T", kernel=_one_hot_kernel,
   TI="uint8 int8 int32 int64", shape=_one_hot_shape, grad=NOT_DIFFERENTIABLE)


def one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype=None, name=None):
    """A one-hot tensor: `on_value` where the last (or `axis`) index equals `indices`, else `off_value`."""
    with name_scope(name, "one_hot", [indices, depth, on_value, off_value, axis, dtype]) as scope:
        dtype = None if dtype is None else dtypes.as_dtype(dtype)
        on = None if on_value is None else convert_to_tensor(on_value, dtype_hint=dtype)
        off = None if off_value is None else convert_to_tensor(off_value, dtype_hint=dtype)
        given = [t.dtype.base_dtype for t in (on, off) if t is not None]
        if given and dtype is not None:
            for t, what in ((on, "on_value"), (off, "off_value")):
                if t is not None and t.dtype.base_dtype != dtype:
                    raise TypeError(f"dtype {t.dtype.base_dtype!r} of {what} does not match dtype parameter "
                                    f"{dtype!r}")
        dtype = given[0] if given and dtype is None else (dtype or dtypes.float32)
        on = convert_to_tensor(1, dtype, name="on_value") if on is None else on
        off = convert_to_tensor(0, dtype, name="off_value") if off is None else off
        if on.dtype.base_dtype != off.dtype.base_dtype:
            raise TypeError(f"dtype {on.dtype.base_dtype!r} of on_value does not match dtype "
                            f"{off.dtype.base_dtype!r} of off_value")
        return apply_op("OneHot", [indices, depth, on, off], {"axis": -1 if axis is None else axis}, name=scope)

"""Counting values: `UniqueWithCounts`, `HistogramFixedWidth` (and the composed `histogram_fixed_width_bins`), `DenseBincount`
(`tf.bincount`) and `DenseCountSparseOutput` (`tf.sparse.bincount`)."""
import collections

import numpy as np

from .. import dtypes
from ..convert import convert_to_tensor
from ..default_graph import name_scope
from ..errors import InvalidArgumentError
from ..shape import TensorShape
from .array import reshape, shape
from .clip import clip_by_value
from .math import cast, floor, truediv
from .registry import NO_GRADIENT_DEFINED, apply_op, op
from .shape_fns import constant_value, dims, with_rank
from .sparse_tensor import SparseTensor

_raw = TensorShape._raw
UniqueWithCounts = collections.namedtuple("UniqueWithCounts", "y idx count")


def _error(message):
    return InvalidArgumentError(None, None, message)


# ----- UniqueWithCounts ---------------------------------------------------------------------------------------
def _unique_with_counts_kernel(a, x):
    if np.ndim(x) != 1:
        raise _error("unique expects a 1D vector.")
    values, first, inverse, counts = np.unique(x, return_index=True, return_inverse=True, return_counts=True)
    order = np.argsort(first, kind="stable")  # TF lists the values in the order they first appear
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    out_idx = a["out_idx"].as_numpy_dtype
    return values[order], rank[inverse.reshape(-1)].astype(out_idx), counts[order].astype(out_idx)


op("UniqueWithCounts", "x:T", kernel=_unique_with_counts_kernel, out_idx="int32 int64", grad=NO_GRADIENT_DEFINED,
   shape=lambda i, a: [(i[0].dtype.base_dtype, _raw((None,))), (a["out_idx"], i[0].shape), (a["out_idx"], _raw((None,)))])


def unique_with_counts(x, out_idx=dtypes.int32, name=None):
    """The distinct values of the 1-D `x` in order of appearance, each element's value index, and the counts."""
    return UniqueWithCounts(*apply_op("UniqueWithCounts", [x], {"out_idx": dtypes.as_dtype(out_idx)}, name=name))


# ----- HistogramFixedWidth ------------------------------------------------------------------------------------
def _histogram_kernel(a, values, value_range, nbins):
    lo, hi, n = value_range[0], value_range[1], int(nbins)
    if not lo < hi:
        raise _error(f"value_range should satisfy value_range[0] < value_range[1], but got [{lo:g} {hi:g}]")
    if n <= 0:
        raise _error(f"nbins should be a positive number, but got '{n}'")
    step = (float(hi) - float(lo)) / n  # TF's kernel: bins from doubles, clamped into [0, nbins - 1]
    at = np.minimum((np.maximum(values, lo) - lo).astype(np.float64) / step, n - 1).astype(np.int32)
    return np.bincount(at.reshape(-1), minlength=n).astype(a["dtype"].as_numpy_dtype)


def _histogram_shape(inputs, a):
    _values, value_range, nbins = inputs
    with_rank(value_range, 1)
    with_rank(nbins, 0)
    r = dims(value_range)
    if r[0] is not None and r[0] != 2:
        raise ValueError(f"Dimension must be 2 but is {r[0]}")
    n = constant_value(nbins)
    if n is not None and int(n) < 0:
        raise ValueError(f"nbins should be a positive number, but got '{int(n)}'")
    return a["dtype"], _raw((None if n is None else int(n),))


op("HistogramFixedWidth", "values:T, value_range:T, nbins:int32", kernel=_histogram_kernel, shape=_histogram_shape,
   T="int32 int64 float32 float64", dtype="int32 int64", grad=NO_GRADIENT_DEFINED)


def histogram_fixed_width(values, value_range, nbins=100, dtype=dtypes.int32, name=None):
    """Counts of `values` in `nbins` equal bins over `value_range` (outside values go to the end bins)."""
    with name_scope(name, "histogram_fixed_width", [values, value_range, nbins]) as scope:
        values = convert_to_tensor(values, name="values")
        value_range = convert_to_tensor(value_range, values.dtype, name="value_range")
        nbins = convert_to_tensor(nbins, dtypes.int32, name="nbins")
        return apply_op("HistogramFixedWidth", [values, value_range, nbins], {"dtype": dtypes.as_dtype(dtype)},
                        name=scope)


def histogram_fixed_width_bins(values, value_range, nbins=100, dtype=dtypes.int32, name=None):
    """Each value's bin among `nbins` equal bins over `value_range` (clipped into [0, nbins - 1])."""
    with name_scope(name, "histogram_fixed_width_bins", [values, value_range, nbins]):
        values = convert_to_tensor(values, name="values")
        full = shape(values)
        values = reshape(values, [-1])
        value_range = convert_to_tensor(value_range, name="value_range")
        nbins = convert_to_tensor(nbins, dtypes.int32, name="nbins")
        n = cast(nbins, values.dtype)
        scaled = truediv(values - value_range[0], value_range[1] - value_range[0], name="scaled_values")
        at = floor(n * scaled, name="indices")
        return reshape(cast(clip_by_value(at, 0, n - 1), dtypes.int32), full)  # int32 whatever `dtype` says, as TF


# ----- counting (tf.sparse.bincount; tf.bincount's DenseBincount is in bincount.py) ------------------------------
def _count(rows, size, weights, binary):
    out = np.zeros((rows.shape[0], size), dtype=weights.dtype)
    for i, row in enumerate(rows):
        keep = row < size
        if binary:
            out[i, row[keep]] = 1
        elif weights.size:
            np.add.at(out[i], row[keep], weights[i][keep])
        else:
            np.add.at(out[i], row[keep], 1)
    return out


# ----- DenseCountSparseOutput (tf.sparse.bincount) ------------------------------------------------------------
def _count_sparse_kernel(a, values, weights):
    if (values < 0).any():
        raise _error("Input values must all be non-negative")
    rows = values.reshape(1, -1) if values.ndim == 1 else values.reshape(values.shape[0], -1)
    top = int(rows.max()) + 1 if rows.size else 0
    size = max(top, a["minlength"]) if a["minlength"] >= 0 else top
    if a["maxlength"] >= 0:
        size = min(size, a["maxlength"])
    w = weights.reshape(rows.shape) if weights.size else np.zeros(0, weights.dtype)
    counts = _count(rows, size, w, a["binary_output"])
    at = np.argwhere(counts != 0)
    indices = at[:, 1:] if values.ndim == 1 else at
    shape_ = [size] if values.ndim == 1 else [rows.shape[0], size]
    return indices.astype(np.int64), counts[tuple(at.T)], np.array(shape_, np.int64)


def _count_sparse_shape(inputs, a):
    values, weights = inputs
    d = dims(values)
    r = None if d is None else len(d)
    return [(dtypes.int64, _raw((None, r))), (weights.dtype.base_dtype, _raw((None,))),
            (dtypes.int64, _raw((r,)))]


op("DenseCountSparseOutput", "values:T, weights:output_type", kernel=_count_sparse_kernel, shape=_count_sparse_shape,
   T="int32 int64", output_type="int32 int64 float32 float64", grad=NO_GRADIENT_DEFINED)


def sparse_bincount(values, weights=None, axis=0, minlength=None, maxlength=None, binary_output=False, name=None):
    """`tf.sparse.bincount` over a dense tensor: the counts as a SparseTensor (per row when `axis=-1`)."""
    with name_scope(name, "count", [values, weights]):
        values = convert_to_tensor(values)
        if axis is None:
            axis = 0
        if axis not in (0, -1):
            raise ValueError(f"Unsupported value for argument axis={axis}. Only 0 and -1 are currently supported.")
        if axis == 0:
            values = reshape(values, [-1])
        if weights is None:
            weights = convert_to_tensor(np.zeros(0, values.dtype.as_numpy_dtype))
        else:
            weights = reshape(convert_to_tensor(weights), [-1]) if axis == 0 else convert_to_tensor(weights)
        attrs = {"minlength": -1 if minlength is None else int(minlength),
                 "maxlength": -1 if maxlength is None else int(maxlength), "binary_output": bool(binary_output)}
        return SparseTensor(*apply_op("DenseCountSparseOutput", [values, weights], attrs))

"""Segment reductions: the sorted `SegmentSum`/`Max`/`Min`/`Mean`/`Prod` (rows of `data` reduced by increasing
`segment_ids`), the unsorted `UnsortedSegmentMax`/`Min`/`Prod` (and `unsorted_segment_mean`/`sqrt_n` built
over UnsortedSegmentSum as TF builds them), and the sparse
ones (`SparseSegmentSum`/`Mean`/`SqrtN`: the rows `data[indices]`, summed by segment, divided by the count
or its square root), what `embedding_lookup_sparse` combines with.

Their gradients are TF's `SparseSegment*Grad` ops (a dense tensor shaped like `data`) or, for an op made with
`sparse_gradient=True`, the `*GradV2` ops, whose (values, sorted unique indices) make an IndexedSlices, so an
optimizer updates only the rows a step looked up.
"""
import numpy as np

from .. import dtypes
from ..convert import convert_to_tensor
from ..default_graph import name_scope
from ..errors import InvalidArgumentError
from ..shape import TensorShape
from .array import expand_dims, rank, reshape, shape, shape_internal
from .filling import ones, ones_like, zeros_like
from .indexed_slices import IndexedSlices
from .joining import concat
from .math import cast, equal, greater, logical_and, maximum, sqrt
from .reduction import _segment_sum_shape, gather_drop_negatives, unsorted_segment_reduce, unsorted_segment_sum
from .registry import NOT_DIFFERENTIABLE, apply_op, op
from .shape_fns import constant_value, dims
from .slicing import gather, where_v2

_raw = TensorShape._raw
_FLOATS = "bfloat16 float16 float32 float64"
_INDEX = "int32 int64"


def _error(message):
    return InvalidArgumentError(None, None, message)


def _segment_count(ids):
    ids = np.asarray(ids).ravel()
    if len(ids) and (np.any(np.diff(ids) < 0) or ids[0] < 0):
        raise _error("segment ids are not increasing")
    return int(ids[-1]) + 1 if len(ids) else 0


def _segment_sum_kernel(a, data, ids):
    ids = np.asarray(ids)
    if ids.ndim != 1 or len(ids) != np.shape(data)[0]:
        raise _error("segment_ids should be the same size as dimension 0 of input.")
    out = np.zeros((_segment_count(ids),) + np.shape(data)[1:], np.asarray(data).dtype)
    np.add.at(out, ids, data)
    return out


op("SegmentSum", "data:T, segment_ids:Tindices", kernel=_segment_sum_kernel, Tindices=_INDEX,
   shape=lambda i, a: (i[0].dtype.base_dtype, _raw((None,) + tuple((dims(i[0]) or [None, None])[1:]))
                       if dims(i[0]) is not None else TensorShape(None)),
   grad=lambda op, g: [gather(g, op.inputs[1]), None])


def segment_sum(data, segment_ids, name=None):
    """Sums of the rows of `data` with equal (sorted) `segment_ids`; row k of the result is segment k."""
    return apply_op("SegmentSum", [data, segment_ids], {}, name=name)


# ----- sorted SegmentMax / Min / Mean / Prod -------------------------------------------------------------------
_ORDERED = "float32 float64 int32 uint8 int16 int8 int64 bfloat16 uint16 float16 uint32 uint64"
_NUMBERS = ("float32 float64 int32 uint8 int16 int8 complex64 int64 bfloat16 uint16 complex128 float16 uint32 "
            "uint64")


def _sorted_kernel(ufunc, empty, mean=False):
    def kernel(a, data, ids):
        ids = np.asarray(ids)
        if ids.ndim != 1 or len(ids) != np.shape(data)[0]:
            raise _error("segment_ids should be the same size as dimension 0 of input.")
        n = _segment_count(ids)
        counts = np.bincount(ids, minlength=n).reshape((n,) + (1,) * (data.ndim - 1))
        out = np.full((n,) + data.shape[1:], _fill(empty, data.dtype), data.dtype)
        ufunc.at(out, ids, data)
        if mean:
            out = out / np.maximum(counts, 1)
            out = (np.trunc(out) if data.dtype.kind in "iu" else out).astype(data.dtype)
        return np.where(counts == 0, np.zeros((), data.dtype), out) if empty != 1 else out
    return kernel


def _fill(empty, dtype):
    if empty in ("lowest", "highest"):
        info = np.finfo(dtype) if dtype.kind in "fc" else np.iinfo(dtype)
        return info.min if empty == "lowest" else info.max
    return empty


def _segment_min_max_grad(op, g):
    data, ids = op.inputs
    is_selected = equal(data, gather(op.outputs[0], ids))
    num_selected = segment_sum(cast(is_selected, g.dtype), ids)
    gathered = gather(g / num_selected, ids)
    return [where_v2(is_selected, gathered, zeros_like(data)), None]


def _segment_mean_grad(op, g):
    data, ids = op.inputs
    ones_shape = concat([shape(ids), ones(expand_dims(rank(data) - 1, 0), dtype=dtypes.int32)], 0)
    scaled = g / segment_sum(ones(ones_shape, dtype=g.dtype), ids)
    return [gather(scaled, ids), None]


def _prod_grad(data, ids, out, g, gather_, segment_prod_, segment_count):
    """TF's product gradient: the product of the others, also where one element is zero."""
    is_zero = equal(data, 0)
    num_zeros = segment_count(cast(is_zero, dtypes.int32))
    g = where_v2(greater(num_zeros, 1), zeros_like(g), g)
    non_zero_data = where_v2(is_zero, ones_like(data), data)
    partial = where_v2(is_zero, gather_(segment_prod_(non_zero_data)), gather_(out) / non_zero_data)
    return gather_(g) * partial


def _segment_prod_grad(op, g):
    data, ids = op.inputs
    return [_prod_grad(data, ids, op.outputs[0], g, lambda t: gather(t, ids),
                       lambda t: apply_op("SegmentProd", [t, ids], {}), lambda t: segment_sum(t, ids)), None]


_SORTED_SHAPE = lambda i, a: (i[0].dtype.base_dtype, _rows_shape(i[0], None))  # noqa: E731
op("SegmentMax", "data:T, segment_ids:Tindices", kernel=_sorted_kernel(np.maximum, "lowest"), shape=_SORTED_SHAPE,
   grad=_segment_min_max_grad, T=_ORDERED, Tindices=_INDEX)
op("SegmentMin", "data:T, segment_ids:Tindices", kernel=_sorted_kernel(np.minimum, "highest"), shape=_SORTED_SHAPE,
   grad=_segment_min_max_grad, T=_ORDERED, Tindices=_INDEX)
op("SegmentMean", "data:T, segment_ids:Tindices", kernel=_sorted_kernel(np.add, 0, mean=True), shape=_SORTED_SHAPE,
   grad=_segment_mean_grad, T=_NUMBERS, Tindices=_INDEX)
op("SegmentProd", "data:T, segment_ids:Tindices", kernel=_sorted_kernel(np.multiply, 1), shape=_SORTED_SHAPE,
   grad=_segment_prod_grad, T=_NUMBERS, Tindices=_INDEX)


# ----- UnsortedSegmentMax / Min / Prod, unsorted_segment_mean / sqrt_n --------------------------------------------
def _unsorted_kernel(ufunc, empty):
    return lambda a, data, ids, n: unsorted_segment_reduce(ufunc, _fill(empty, data.dtype), data, np.asarray(ids), n)


def _unsorted_min_max_grad(op, g):
    data, ids, n = op.inputs
    gathered, clipped, is_positive = gather_drop_negatives(op.outputs[0], ids)
    is_selected = logical_and(equal(data, gathered), is_positive)
    num_selected = unsorted_segment_sum(cast(is_selected, g.dtype), ids, n)
    grads, _, _ = gather_drop_negatives(g / num_selected, None, clipped, is_positive)
    return [where_v2(is_selected, grads, zeros_like(grads)), None, None]


def _unsorted_prod_grad(op, g):
    data, ids, n = op.inputs
    return [_prod_grad(data, ids, op.outputs[0], g, lambda t: gather_drop_negatives(t, ids)[0],
                       lambda t: apply_op("UnsortedSegmentProd", [t, ids, n], {}),
                       lambda t: unsorted_segment_sum(t, ids, n)), None, None]


for _kind, _fn, _empty, _grad, _t in (("Max", np.maximum, "lowest", _unsorted_min_max_grad, _ORDERED),
                                      ("Min", np.minimum, "highest", _unsorted_min_max_grad, _ORDERED),
                                      ("Prod", np.multiply, 1, _unsorted_prod_grad, _NUMBERS)):
    op(f"UnsortedSegment{_kind}", "data:T, segment_ids:Tindices, num_segments:Tnumsegments=int32",
       kernel=_unsorted_kernel(_fn, _empty), shape=_segment_sum_shape, grad=_grad, T=_t, Tindices=_INDEX,
       Tnumsegments=_INDEX)


def _sorted_fn(kind):
    def fn(data, segment_ids, name=None):
        return apply_op(f"Segment{kind}", [data, segment_ids], {}, name=name)
    fn.__name__ = f"segment_{kind.lower()}"
    fn.__doc__ = f"The {kind.lower()} of the rows of `data` with equal (sorted) `segment_ids` (op `Segment{kind}`)."
    return fn


def _unsorted_fn(kind):
    def fn(data, segment_ids, num_segments, name=None):
        return apply_op(f"UnsortedSegment{kind}", [data, segment_ids, num_segments], {}, name=name)
    fn.__name__ = f"unsorted_segment_{kind.lower()}"
    fn.__doc__ = f"The {kind.lower()} of the rows of `data` by segment id, in any order (op `UnsortedSegment{kind}`)."
    return fn


segment_max, segment_min, segment_mean, segment_prod = (_sorted_fn(k) for k in ("Max", "Min", "Mean", "Prod"))
unsorted_segment_max, unsorted_segment_min, unsorted_segment_prod = (_unsorted_fn(k) for k in ("Max", "Min", "Prod"))


def _unsorted_segment_n(data, segment_ids, num_segments):
    """Each segment's row count (at least 1), shaped to broadcast against the segment sums."""
    num_segments = convert_to_tensor(num_segments)
    n = unsorted_segment_sum(ones(shape_internal(segment_ids), dtype=data.dtype), segment_ids, num_segments)
    broadcastable = concat([num_segments[None],
                            ones([rank(data) - rank(segment_ids)], dtype=num_segments.dtype)], axis=0)
    return maximum(reshape(n, broadcastable), 1)


def unsorted_segment_mean(data, segment_ids, num_segments, name=None):
    """The mean of the rows of `data` by segment id (0 for an empty segment)."""
    with name_scope(name, "UnsortedSegmentMean"):
        data, segment_ids = convert_to_tensor(data), convert_to_tensor(segment_ids)
        n = _unsorted_segment_n(data, segment_ids, num_segments)
        return unsorted_segment_sum(data, segment_ids, num_segments) / n


def unsorted_segment_sqrt_n(data, segment_ids, num_segments, name=None):
    """The sum of the rows of `data` by segment id, divided by the square root of the segment's row count."""
    with name_scope(name, "UnsortedSegmentSqrtN"):
        data, segment_ids = convert_to_tensor(data), convert_to_tensor(segment_ids)
        n = _unsorted_segment_n(data, segment_ids, num_segments)
        return unsorted_segment_sum(data, segment_ids, num_segments) / sqrt(n)


# ----- SparseSegmentSum / Mean / SqrtN -------------------------------------------------------------------------
_NORMS = {"Sum": lambda n: np.ones_like(n), "Mean": lambda n: 1.0 / np.maximum(n, 1),
          "SqrtN": lambda n: 1.0 / np.sqrt(np.maximum(n, 1))}


def _sparse_segment_kernel(kind):
    def kernel(a, data, indices, ids, num_segments=None):
        data, indices, ids = np.asarray(data), np.asarray(indices).ravel(), np.asarray(ids).ravel()
        if len(indices) != len(ids):
            raise _error("segment_ids and indices should have same size.")
        bad = np.flatnonzero((indices < 0) | (indices >= len(data)))
        if bad.size:
            raise _error(f"Bad: indices[{bad[0]}] == {indices[bad[0]]} out of range [0, {len(data)})")
        n = _segment_count(ids)
        if num_segments is not None:  # the WithNumSegments ops: that many rows, the ones no id names empty
            if np.ndim(num_segments) != 0:
                raise _error(f"num_segments should be a scalar, not shape {list(np.shape(num_segments))}")
            if int(num_segments) < n:
                raise _error("segment ids must be < num_segments")
            n = int(num_segments)
        out = np.zeros((n,) + data.shape[1:], data.dtype)
        np.add.at(out, ids, data[indices])
        scale = _NORMS[kind](np.bincount(ids, minlength=n).astype(np.float64))
        return (out * scale.reshape((n,) + (1,) * (data.ndim - 1))).astype(data.dtype)
    return kernel


def _grad_values(kind, g, indices, ids, dim0):
    """Each looked-up row's gradient: its segment's gradient times the segment's norm."""
    g, indices, ids = np.asarray(g), np.asarray(indices).ravel(), np.asarray(ids).ravel()
    scale = _NORMS[kind](np.bincount(ids, minlength=len(g)).astype(np.float64))
    rows = g[ids] * scale[ids].reshape((-1,) + (1,) * (g.ndim - 1))
    return rows.astype(g.dtype)


def _grad_kernel(kind):
    def kernel(a, g, indices, ids, dim0):
        rows = _grad_values(kind, g, indices, ids, dim0)
        out = np.zeros((int(dim0),) + np.shape(g)[1:], np.asarray(g).dtype)
        np.add.at(out, np.asarray(indices).ravel(), rows)
        return out
    return kernel


def _grad_v2_kernel(kind):
    def kernel(a, g, indices, ids, dim0):
        rows = _grad_values(kind, g, indices, ids, dim0)
        unique, where = np.unique(np.asarray(indices).ravel(), return_inverse=True)
        out = np.zeros((len(unique),) + np.shape(g)[1:], np.asarray(g).dtype)
        np.add.at(out, np.ravel(where), rows)
        return [out, unique.astype(np.asarray(indices).dtype)]
    return kernel


def _sparse_segment_grad(kind):
    def grad(op, g):
        data, indices, ids = op.inputs[:3]
        dim0 = shape(data)[0]
        rest = [None] * (len(op.inputs) - 1)  # indices, segment ids (and num_segments)
        if op._attrs.get("sparse_gradient"):
            values, unique = apply_op(f"SparseSegment{kind}GradV2", [g, indices, ids, dim0], {})
            return [IndexedSlices(values, unique, shape(data))] + rest
        return [apply_op(f"SparseSegment{kind}Grad", [g, indices, ids, dim0], {})] + rest
    return grad


def _known(t):
    """A scalar tensor's value when known while building, else None."""
    value = constant_value(t)
    return None if value is None else int(value)


def _rows_shape(t, first):
    d = dims(t)
    return _raw((first,) + tuple(d[1:])) if d is not None else TensorShape(None)


for _kind in ("Sum", "Mean", "SqrtN"):
    _t = "bfloat16 float16 float32 float64 int32 int64 uint8 int16 int8 uint16 uint32 uint64" if _kind == "Sum" \
        else _FLOATS
    op(f"SparseSegment{_kind}", "data:T, indices:Tidx, segment_ids:Tsegmentids=int32",
       kernel=_sparse_segment_kernel(_kind), grad=_sparse_segment_grad(_kind), T=_t, Tidx=_INDEX,
       Tsegmentids=_INDEX, shape=lambda i, a: (i[0].dtype.base_dtype, _rows_shape(i[0], None)))
    op(f"SparseSegment{_kind}WithNumSegments",
       "data:T, indices:Tidx, segment_ids:Tsegmentids=int32, num_segments:Tnumsegments=int32",
       kernel=_sparse_segment_kernel(_kind), grad=_sparse_segment_grad(_kind), T=_t, Tidx=_INDEX,
       Tsegmentids=_INDEX, Tnumsegments=_INDEX, shape=lambda i, a: (i[0].dtype.base_dtype, _rows_shape(i[0], _known(i[3]))))
    op(f"SparseSegment{_kind}Grad", "grad:T, indices:Tidx, segment_ids:Tsegmentids=int32, output_dim0:int32",
       kernel=_grad_kernel(_kind), grad=NOT_DIFFERENTIABLE, T=_FLOATS, Tidx=_INDEX, Tsegmentids=_INDEX,
       shape=lambda i, a: (i[0].dtype.base_dtype, _rows_shape(i[0], None)))
    op(f"SparseSegment{_kind}GradV2", "grad:T, indices:Tidx, segment_ids:Tsegmentids=int32, dense_output_dim0:int32",
       kernel=_grad_v2_kernel(_kind), grad=NOT_DIFFERENTIABLE, T=_FLOATS, Tidx=_INDEX, Tsegmentids=_INDEX,
       shape=lambda i, a: [(i[0].dtype.base_dtype, _rows_shape(i[0], None)), (i[1].dtype.base_dtype, _raw((None,)))])


def _sparse_segment(kind):
    def fn(data, indices, segment_ids, name=None, num_segments=None, sparse_gradient=False):
        attrs = {"sparse_gradient": sparse_gradient}
        if num_segments is not None:
            return apply_op(f"SparseSegment{kind}WithNumSegments", [data, indices, segment_ids, num_segments], attrs,
                            name=name)
        return apply_op(f"SparseSegment{kind}", [data, indices, segment_ids], attrs, name=name)
    fn.__name__ = f"sparse_segment_{kind.lower()}"
    fn.__doc__ = (f"TF's SparseSegment{kind}: the rows `data[indices]` reduced by sorted `segment_ids` (into "
                  f"`num_segments` rows when given: SparseSegment{kind}WithNumSegments).")
    return fn


sparse_segment_sum = _sparse_segment("Sum")
sparse_segment_mean = _sparse_segment("Mean")
sparse_segment_sqrt_n = _sparse_segment("SqrtN")

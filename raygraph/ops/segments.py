"""Sorted segment reductions: `SegmentSum` (rows of `data` summed by increasing `segment_ids`) and the sparse
ones (`SparseSegmentSum`/`Mean`/`SqrtN`: the rows `data[indices]`, summed by segment, divided by the count
or its square root), what `embedding_lookup_sparse` combines with.

Their gradients are TF's `SparseSegment*Grad` ops (a dense tensor shaped like `data`) or, for an op made with
`sparse_gradient=True`, the `*GradV2` ops, whose (values, sorted unique indices) make an IndexedSlices, so an
optimizer updates only the rows a step looked up.
"""
import numpy as np

from ..errors import InvalidArgumentError
from ..shape import TensorShape
from .array import shape
from .indexed_slices import IndexedSlices
from .registry import NOT_DIFFERENTIABLE, apply_op, op
from .shape_fns import dims
from .slicing import gather

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


# ----- SparseSegmentSum / Mean / SqrtN -------------------------------------------------------------------------
_NORMS = {"Sum": lambda n: np.ones_like(n), "Mean": lambda n: 1.0 / np.maximum(n, 1),
          "SqrtN": lambda n: 1.0 / np.sqrt(np.maximum(n, 1))}


def _sparse_segment_kernel(kind):
    def kernel(a, data, indices, ids):
        data, indices, ids = np.asarray(data), np.asarray(indices).ravel(), np.asarray(ids).ravel()
        if len(indices) != len(ids):
            raise _error("segment_ids and indices should have same size.")
        bad = np.flatnonzero((indices < 0) | (indices >= len(data)))
        if bad.size:
            raise _error(f"Bad: indices[{bad[0]}] == {indices[bad[0]]} out of range [0, {len(data)})")
        n = _segment_count(ids)
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
        data, indices, ids = op.inputs
        dim0 = shape(data)[0]
        if op._attrs.get("sparse_gradient"):
            values, unique = apply_op(f"SparseSegment{kind}GradV2", [g, indices, ids, dim0], {})
            return [IndexedSlices(values, unique, shape(data)), None, None]
        return [apply_op(f"SparseSegment{kind}Grad", [g, indices, ids, dim0], {}), None, None]
    return grad


def _rows_shape(t, first):
    d = dims(t)
    return _raw((first,) + tuple(d[1:])) if d is not None else TensorShape(None)


for _kind in ("Sum", "Mean", "SqrtN"):
    _t = "bfloat16 float16 float32 float64 int32 int64 uint8 int16 int8 uint16 uint32 uint64" if _kind == "Sum" \
        else _FLOATS
    op(f"SparseSegment{_kind}", "data:T, indices:Tidx, segment_ids:Tsegmentids=int32",
       kernel=_sparse_segment_kernel(_kind), grad=_sparse_segment_grad(_kind), T=_t, Tidx=_INDEX,
       Tsegmentids=_INDEX, shape=lambda i, a: (i[0].dtype.base_dtype, _rows_shape(i[0], None)))
    op(f"SparseSegment{_kind}Grad", "grad:T, indices:Tidx, segment_ids:Tsegmentids=int32, output_dim0:int32",
       kernel=_grad_kernel(_kind), grad=NOT_DIFFERENTIABLE, T=_FLOATS, Tidx=_INDEX, Tsegmentids=_INDEX,
       shape=lambda i, a: (i[0].dtype.base_dtype, _rows_shape(i[0], None)))
    op(f"SparseSegment{_kind}GradV2", "grad:T, indices:Tidx, segment_ids:Tsegmentids=int32, dense_output_dim0:int32",
       kernel=_grad_v2_kernel(_kind), grad=NOT_DIFFERENTIABLE, T=_FLOATS, Tidx=_INDEX, Tsegmentids=_INDEX,
       shape=lambda i, a: [(i[0].dtype.base_dtype, _rows_shape(i[0], None)), (i[1].dtype.base_dtype, _raw((None,)))])


def _sparse_segment(kind):
    def fn(data, indices, segment_ids, name=None, num_segments=None, sparse_gradient=False):
        if num_segments is not None:
            raise NotImplementedError("raygraph's sparse segment reductions take no num_segments")
        return apply_op(f"SparseSegment{kind}", [data, indices, segment_ids], {"sparse_gradient": sparse_gradient},
                        name=name)
    fn.__name__ = f"sparse_segment_{kind.lower()}"
    fn.__doc__ = f"TF's SparseSegment{kind}: the rows `data[indices]` reduced by sorted `segment_ids`."
    return fn


sparse_segment_sum = _sparse_segment("Sum")
sparse_segment_mean = _sparse_segment("Mean")
sparse_segment_sqrt_n = _sparse_segment("SqrtN")

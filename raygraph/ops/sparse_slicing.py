"""Cutting and joining SparseTensors: `SparseSlice`, `SparseConcat`, `SparseSplit` and `SparseFillEmptyRows`
(and the gradient ops of the first and last), each an op-table entry with the `tf.sparse` function that
builds it.
"""
import numpy as np

from .. import dtypes
from ..convert import convert_to_tensor
from ..default_graph import name_scope
from ..shape import TensorShape
from .array import reshape
from .joining import concat
from .reduction import reduce_max
from .registry import NO_GRADIENT_DEFINED, NOT_DIFFERENTIABLE, NUMBERS, apply_op, op
from .shape_fns import constant_value, dims
from .sparse_ops import (
    as_sparse,
    error,
    parts,
    row_major_order,
    sparse_specs,
    static_rank,
    text,
)
from .sparse_tensor import SparseTensor

_raw = TensorShape._raw
_I64 = dtypes.int64


# ----- SparseSlice, SparseConcat, SparseSplit -----------------------------------------------------------------
def _slice_kernel(a, idx, values, dense_shape, start, size):
    idx = np.asarray(idx, np.int64).reshape(len(values), -1)
    start, size, dense_shape = (np.asarray(x, np.int64) for x in (start, size, dense_shape))
    keep = np.all((idx >= start) & (idx < start + size), axis=1)
    out_shape = np.maximum(np.minimum(start + size, dense_shape) - start, 0)
    return [idx[keep] - start, np.asarray(values)[keep], out_shape.astype(np.int64)]


def _slice_grad(op, _, g, __):
    val_grad = apply_op("SparseSliceGrad", [g, op.inputs[0], op.inputs[3], op.outputs[0]], {})
    val_grad.set_shape(op.inputs[1].shape)
    return [None, val_grad, None, None, None]


op("SparseSlice", "indices:int64, values:T, shape:int64, start:int64, size:int64", kernel=_slice_kernel,
   shape=lambda i, a: sparse_specs(static_rank(i[2]), i[1].dtype.base_dtype), grad=_slice_grad)


def _slice_grad_kernel(a, g, idx, start, out_idx):
    position = {tuple(row): k for k, row in enumerate((np.asarray(out_idx) + np.asarray(start)).tolist())}
    rows = [position.get(tuple(row)) for row in np.asarray(idx).tolist()]
    return np.asarray([g[k] if k is not None else 0 for k in rows], g.dtype).reshape(len(rows))


op("SparseSliceGrad", "backprop_val_grad:T, input_indices:int64, input_start:int64, output_indices:int64",
   kernel=_slice_grad_kernel, T=NUMBERS, grad=NOT_DIFFERENTIABLE,
   shape=lambda i, a: (i[0].dtype.base_dtype, _raw((dims(i[1])[0] if dims(i[1]) else None,))))


def sparse_slice(sp_input, start, size, name=None):
    """The entries of `sp_input` in the box [start, start + size), their indices shifted to start at 0."""
    sp_input = as_sparse(sp_input)
    start = convert_to_tensor(start, _I64)
    size = convert_to_tensor(size, _I64)
    with name_scope(name, "SparseSlice", [sp_input]) as scope:
        return SparseTensor(*apply_op("SparseSlice", parts(sp_input) + [start, size], {}, name=scope))


def _concat_kernel(a, *parts):
    n, axis = a["N"], a["concat_dim"]
    indices, values, shapes = parts[:n], parts[n:2 * n], [np.asarray(s, np.int64) for s in parts[2 * n:]]
    rank = len(shapes[0])
    axis = axis + rank if axis < 0 else axis
    if not 0 <= axis < rank:
        raise error(f"Concat dimension must be in range [{-rank}, {rank}), got {a['concat_dim']}")
    for i, s in enumerate(shapes[1:], 1):
        if len(s) != rank or any(s[d] != shapes[0][d] for d in range(rank) if d != axis):
            raise error(f"Input shapes must match: expected {text(shapes[0])} for dimension 0 but got {text(s)} "
                         f"for input {i}")
    offsets = np.cumsum([0] + [int(s[axis]) for s in shapes[:-1]])
    idx = [np.asarray(x, np.int64).reshape(-1, rank).copy() for x in indices]
    for x, off in zip(idx, offsets):
        x[:, axis] += off
    idx, vals = np.concatenate(idx), np.concatenate([np.asarray(v) for v in values])
    out_shape = shapes[0].copy()
    out_shape[axis] = sum(int(s[axis]) for s in shapes)
    perm = row_major_order(idx)
    return [idx[perm], vals[perm], out_shape]


op("SparseConcat", "indices:*int64, values:*T, shapes:*int64", kernel=_concat_kernel, grad=NOT_DIFFERENTIABLE,
   shape=lambda i, a: sparse_specs(static_rank(i[2 * a["N"]]), i[a["N"]].dtype.base_dtype, _total_entries(i[:a["N"]])))


def _total_entries(indices):
    counts = [dims(x)[0] if dims(x) else None for x in indices]
    return None if None in counts else sum(counts)


def sparse_concat(axis, sp_inputs, name=None, expand_nonconcat_dim=False, concat_dim=None,
                  expand_nonconcat_dims=None):
    """The SparseTensors `sp_inputs` joined along `axis` (the other dims grown to the largest with
    `expand_nonconcat_dim`)."""
    axis = concat_dim if concat_dim is not None else axis
    expand = expand_nonconcat_dims if expand_nonconcat_dims is not None else expand_nonconcat_dim
    if not isinstance(sp_inputs, (list, tuple)):
        raise TypeError("Inputs must be a list or tuple.")
    sp_inputs = [as_sparse(x) for x in sp_inputs]
    if len(sp_inputs) == 1:
        return sp_inputs[0]
    shapes = [x.dense_shape for x in sp_inputs]
    if expand:
        largest = reduce_max(concat([reshape(s, [1, -1]) for s in shapes], 0), 0)
        shapes = [concat([largest[:axis], s[-1:] if axis == -1 else s[axis:axis + 1],
                          [] if axis == -1 else largest[axis + 1:]], 0) for s in shapes]
    indices, values, out_shape = apply_op("SparseConcat", [[x.indices for x in sp_inputs],
                                                           [x.values for x in sp_inputs], shapes],
                                          {"N": len(sp_inputs), "concat_dim": axis}, name=name)
    static = [x.shape for x in sp_inputs]
    if all(s.ndims is not None for s in static):
        known = [[d for d in s.as_list()] for s in static]
        out = [max(col) if expand and None not in col else (None if None in col else col[0]) for col in zip(*known)]
        if not expand:
            out = static[0].as_list()
        column = [s[axis] for s in known]
        out[axis] = None if None in column else sum(column)
    else:
        out = None
    if all(s.is_fully_defined() for s in static):
        return SparseTensor(indices, values, convert_to_tensor(out, dtype=_I64))
    result = SparseTensor(indices, values, out_shape)
    result.set_shape(TensorShape(out))
    return result


def _split_kernel(a, split_dim, idx, values, dense_shape):
    n, rank = a["num_split"], len(dense_shape)
    d = int(split_dim) + rank if int(split_dim) < 0 else int(split_dim)
    if not 0 <= d < rank:
        raise error(f"Input split_dim should be between {-rank} and {rank}, got {int(split_dim)}")
    if n < 1 or n > dense_shape[d]:
        raise error(f"Input num_split should be between 1 and {dense_shape[d]}, got {n}")
    size, extra = divmod(int(dense_shape[d]), n)
    idx = np.asarray(idx, np.int64).reshape(len(values), rank)
    col = idx[:, d]
    big = extra * (size + 1)
    part = np.where(col < big, col // (size + 1), extra + (col - big) // max(size, 1))
    outs = [[], [], []]
    for k in range(n):
        start = k * (size + 1) if k < extra else big + (k - extra) * size
        mine = idx[part == k].copy()
        mine[:, d] -= start
        shape_k = np.asarray(dense_shape, np.int64).copy()
        shape_k[d] = size + (k < extra)
        outs[0].append(mine)
        outs[1].append(np.asarray(values)[part == k])
        outs[2].append(shape_k)
    return outs[0] + outs[1] + outs[2]


op("SparseSplit", "split_dim:int64, indices:int64, values:T, shape:int64", kernel=_split_kernel,
   grad=NO_GRADIENT_DEFINED,
   shape=lambda i, a: [p for p in sparse_specs(static_rank(i[3]), i[2].dtype.base_dtype) for _ in range(a["num_split"])])


def sparse_split(keyword_required=None, sp_input=None, num_split=None, axis=None, name=None, split_dim=None):
    """`sp_input` cut along `axis` into `num_split` SparseTensors (the first ones one larger if it does not
    divide evenly). Arguments by keyword only."""
    if keyword_required is not None:
        raise ValueError("Keyword arguments are required for this function.")
    axis = split_dim if axis is None else axis
    for value, what in ((sp_input, "sp_input"), (num_split, "num_split"), (axis, "axis")):
        if value is None:
            raise ValueError(f"{what} is required")
    sp_input = as_sparse(sp_input)
    out = apply_op("SparseSplit", [convert_to_tensor(axis, dtype=_I64)] + parts(sp_input), {"num_split": num_split},
                   name=name)
    return [SparseTensor(out[k], out[num_split + k], out[2 * num_split + k]) for k in range(num_split)]


# ----- SparseFillEmptyRows ---------------------------------------------------------------------------------
def _fill_kernel(a, idx, values, dense_shape, default):
    rows = int(dense_shape[0]) if len(dense_shape) else 0
    idx = np.asarray(idx, np.int64).reshape(len(values), len(dense_shape))
    if len(idx) and (idx[:, 0].min() < 0 or idx[:, 0].max() >= rows):
        bad = int(np.flatnonzero((idx[:, 0] < 0) | (idx[:, 0] >= rows))[0])
        raise error(f"indices({bad}, 0) is invalid: {idx[bad, 0]} >= {rows}")
    counts = np.bincount(idx[:, 0], minlength=rows) if len(idx) else np.zeros(rows, np.int64)
    empty = counts == 0
    filler = np.zeros((int(empty.sum()), idx.shape[1]), np.int64)
    filler[:, 0] = np.flatnonzero(empty)
    all_idx = np.concatenate([idx, filler])
    all_vals = np.concatenate([np.asarray(values), np.full(len(filler), default, np.asarray(values).dtype)])
    perm = np.argsort(all_idx[:, 0], kind="stable")  # rows in order, each row's entries in input order
    reverse = np.empty(len(all_idx), np.int64)
    reverse[perm] = np.arange(len(all_idx))
    return [all_idx[perm], all_vals[perm], empty, reverse[:len(idx)]]


def _fill_grad(op, _, g, __, ___):
    d_values, d_default = apply_op("SparseFillEmptyRowsGrad", [op.outputs[3], g], {})
    return [None, d_values, None, d_default]


op("SparseFillEmptyRows", "indices:int64, values:T, dense_shape:int64, default_value:T", kernel=_fill_kernel,
   grad=_fill_grad, shape=lambda i, a: sparse_specs(static_rank(i[2]), i[1].dtype.base_dtype)[:2] + [
       (dtypes.bool_, _raw((_first(i[2]),))), (_I64, _raw((dims(i[1])[0] if dims(i[1]) else None,)))])


def _first(dense_shape):
    """The dense shape's first dim if known while building (the number of rows)."""
    v = constant_value(dense_shape)
    return int(np.ravel(v)[0]) if v is not None and np.size(v) else None


def _fill_grad_kernel(a, reverse, g):
    d_values = np.asarray(g)[np.asarray(reverse, np.int64)]
    return [d_values, np.asarray(np.sum(g) - np.sum(d_values), g.dtype)]


op("SparseFillEmptyRowsGrad", "reverse_index_map:int64, grad_values:T", kernel=_fill_grad_kernel,
   grad=NOT_DIFFERENTIABLE, shape=lambda i, a: [(i[1].dtype.base_dtype, i[0].shape), (i[1].dtype.base_dtype, _raw(()))])


def sparse_fill_empty_rows(sp_input, default_value, name=None):
    """`sp_input` with the entry `default_value` at [row, 0, ...] of each row that has none, and a bool
    vector telling which rows were empty."""
    sp_input = as_sparse(sp_input)
    with name_scope(name, "SparseFillEmptyRows", [sp_input]):
        default_value = convert_to_tensor(default_value, dtype=sp_input.values.dtype)
        indices, values, empty, _ = apply_op("SparseFillEmptyRows", parts(sp_input) + [default_value], {})
        return SparseTensor(indices, values, sp_input.dense_shape), empty



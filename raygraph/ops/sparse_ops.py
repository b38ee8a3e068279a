"""The ops over SparseTensors (TF's gen_sparse_ops), each taking a sparse tensor as its three parts
(indices [N, rank], values [N], dense_shape [rank]) and giving sparse results as parts too, with the
Python functions of `tf.sparse` that build them from and into `SparseTensor`s.

Kernels assume what TF's do: indices in row-major order where an op says so (SparseAdd, SparseSoftmax,
the reductions' sparse outputs), and give sorted indices back. Errors are TF's InvalidArgumentError.
"""
import numpy as np

from .. import dtypes
from ..convert import convert_to_tensor
from ..default_graph import name_scope
from ..errors import InvalidArgumentError
from ..shape import TensorShape, unknown_shape
from .array import expand_dims, identity, invert_permutation, reshape, shape, transpose
from .filling import ones, zeros, zeros_like
from .filling import range as range_
from .indexed_slices import IndexedSlices
from .joining import concat, stack
from .math import cast
from .reduction import reduce_max, reduce_sum, reduced_shape
from .registry import NO_GRADIENT_DEFINED, NOT_DIFFERENTIABLE, NUMBERS, REALS, apply_op, op
from .shape_fns import constant_value, constant_value_as_shape, dims, with_rank
from .slicing import gather, gather_nd
from .sparse_tensor import SparseTensor, SparseTensorValue, is_sparse, static_dense_shape

_raw = TensorShape._raw
_I64 = dtypes.int64


def _error(message):
    return InvalidArgumentError(None, None, message)


def _text(values):
    return "[" + ",".join(str(int(v)) for v in np.ravel(values)) + "]"


def _order(idx):
    """The permutation putting the rows of `idx` in row-major order (stable)."""
    idx = np.asarray(idx).reshape(len(idx), -1)
    return np.lexsort(idx.T[::-1]) if idx.shape[1] else np.arange(len(idx))


def _rank_of(t):
    """The static rank a dense-shape tensor tells (its length), or None."""
    return dims(t)[0] if dims(t) else None


def _sparse_parts(rank, dtype, n=None):
    return [(_I64, _raw((n, rank))), (dtype, _raw((n,))), (_I64, _raw((rank,)))]


def _parts(sp):
    return [sp.indices, sp.values, sp.dense_shape]


# ----- SparseTensorDenseMatMul ------------------------------------------------------------------------------
def _matmul_kernel(a, idx, values, a_shape, b):
    rows, cols = (1, 0) if a["adjoint_a"] else (0, 1)
    out_rows, inner = int(a_shape[rows]), int(a_shape[cols])
    b = np.conj(b.T) if a["adjoint_b"] else b
    if b.shape[0] != inner:
        raise _error(f"Cannot multiply A and B because inner dimension does not match: {inner} vs. {b.shape[0]}.  "
                     f"Did you forget a transpose?  Dimensions of A: [{a_shape[0]}, {a_shape[1]}).  Dimensions of B: "
                     f"{list(np.shape(b))}")
    idx = np.asarray(idx, np.int64).reshape(-1, 2)
    for j, (name, limit) in ((cols, ("k", inner)), (rows, ("m", out_rows))):
        bad = np.flatnonzero((idx[:, j] < 0) | (idx[:, j] >= limit))
        if bad.size:
            raise _error(f"{name} ({idx[bad[0], j]}) from index[{bad[0]},{j}] out of bounds (>={limit})")
    values = np.conj(values) if a["adjoint_a"] else values
    out = np.zeros((out_rows, b.shape[1]), np.result_type(values, b))
    np.add.at(out, idx[:, rows], values[:, None] * b[idx[:, cols]])
    return out


def _matmul_shape(inputs, a):
    a_dims = constant_value_as_shape(inputs[2]).with_rank(2).as_list()
    b_dims = list(with_rank(inputs[3], 2))
    if a["adjoint_a"]:
        a_dims = a_dims[::-1]
    if a["adjoint_b"]:
        b_dims = b_dims[::-1]
    if None not in (a_dims[1], b_dims[0]) and a_dims[1] != b_dims[0]:
        raise ValueError(f"Dimensions must be equal, but are {a_dims[1]} and {b_dims[0]}")
    return inputs[1].dtype.base_dtype, _raw((a_dims[0], b_dims[1]))


def _matmul_grad(op, g):
    idx, values, a_shape, b = op.inputs
    adj_a, adj_b = op._attrs["adjoint_a"], op._attrs["adjoint_b"]
    b_grad = apply_op("SparseTensorDenseMatMul", [idx, values, a_shape, g],
                      {"adjoint_a": not adj_a, "adjoint_b": False})
    if adj_b:
        b_grad = transpose(b_grad)
    rows, cols = idx[:, 0], idx[:, 1]
    parts_a = gather(g, cols if adj_a else rows)
    parts_b = gather(transpose(b) if adj_b else b, rows if adj_a else cols)
    return [None, reduce_sum(parts_a * parts_b, 1), None, b_grad]


op("SparseTensorDenseMatMul", "a_indices:Tindices, a_values:T, a_shape:int64, b:T", kernel=_matmul_kernel,
   shape=_matmul_shape, grad=_matmul_grad, T="half float32 float64 int32 int64 complex64 complex128",
   Tindices="int32 int64")


def sparse_tensor_dense_matmul(sp_a, b, adjoint_a=False, adjoint_b=False, name=None):
    """The dense product of the 2-D SparseTensor `sp_a` (or its adjoint) and the dense matrix `b`
    (or, when `b` is the sparse one, of the dense `sp_a` and `b`, through the transposed product)."""
    if is_sparse(b):
        if adjoint_a != adjoint_b:
            return transpose(sparse_tensor_dense_matmul(b, sp_a, adjoint_a, adjoint_b))
        return transpose(sparse_tensor_dense_matmul(b, sp_a, adjoint_a=not adjoint_a, adjoint_b=not adjoint_b))
    sp_a = _sparse(sp_a)
    with name_scope(name, "SparseTensorDenseMatMul", [sp_a.indices, sp_a.values, b]):
        b = convert_to_tensor(b, name="b")
        return apply_op("SparseTensorDenseMatMul", [sp_a.indices, sp_a.values, sp_a.dense_shape, b],
                        {"adjoint_a": adjoint_a, "adjoint_b": adjoint_b})


# ----- SparseReorder, SparseReshape -------------------------------------------------------------------------
def _reorder_kernel(a, idx, values, dense_shape):
    perm = _order(idx)
    return [np.asarray(idx, np.int64)[perm], np.asarray(values)[perm]]


def _reorder_grad(op, _, g):
    idx, dense_shape = op.inputs[0], op.inputs[2]
    entries = range_(shape(idx)[0])
    ordered = apply_op("SparseReorder", [idx, entries, dense_shape], {})[1]
    return [None, gather(g, invert_permutation(ordered)), None]


op("SparseReorder", "input_indices:int64, input_values:T, input_shape:int64", kernel=_reorder_kernel,
   shape=lambda i, a: [(_I64, i[0].shape), (i[1].dtype.base_dtype, i[1].shape)], grad=_reorder_grad)


def sparse_reorder(sp_input, name=None):
    """The same SparseTensor with its entries in row-major order."""
    sp_input = _sparse(sp_input)
    indices, values = apply_op("SparseReorder", _parts(sp_input), {}, name=name)
    if sp_input.shape.is_fully_defined():
        return SparseTensor(indices, values, sp_input.shape.as_list())
    out = SparseTensor(indices, values, identity(sp_input.dense_shape))
    out.set_shape(sp_input.shape)
    return out


def _new_shape(old, new):
    new = [int(d) for d in np.ravel(new)]
    total = int(np.prod(old, dtype=np.int64))
    unknown = [i for i, d in enumerate(new) if d == -1]
    if len(unknown) > 1:
        raise _error(f"only one output dimension may be -1, not both {unknown[0]} and {unknown[1]}")
    known = int(np.prod([d for d in new if d != -1], dtype=np.int64))
    if unknown:
        if known == 0 or total % known:
            raise _error(f"Input to reshape is a SparseTensor with {total} dense values, but the requested shape "
                         f"requires a multiple of {known}. inputs_shape={_text(old)} output shape={_text(new)}")
        new[unknown[0]] = total // known
    elif known != total:
        raise _error(f"Input to reshape is a tensor with {total} dense values, but the requested shape has {known}. "
                     f"inputs_shape={_text(old)} output shape={_text(new)}")
    return new


def _reshape_kernel(a, idx, old, new):
    new = _new_shape(old, new)
    idx = np.asarray(idx, np.int64).reshape(len(idx), -1)
    flat = np.ravel_multi_index(tuple(idx.T), tuple(int(d) for d in old)) if idx.size else np.zeros(len(idx), int)
    out = np.stack(np.unravel_index(flat, new), 1) if new else np.zeros((len(idx), 0))
    return [out.astype(np.int64).reshape(len(idx), len(new)), np.asarray(new, np.int64)]


op("SparseReshape", "input_indices:int64, input_shape:int64, new_shape:int64", kernel=_reshape_kernel,
   shape=lambda i, a: [(_I64, _raw((dims(i[0])[0] if dims(i[0]) else None, _rank_of(i[2])))),
                       (_I64, _raw((_rank_of(i[2]),)))], grad=NOT_DIFFERENTIABLE)


def sparse_reshape(sp_input, shape, name=None):
    """The SparseTensor with the same entries in a dense tensor of `shape` (one dim may be -1)."""
    sp_input = _sparse(sp_input)
    shape = cast(shape, dtype=_I64)
    with name_scope(name, "SparseReshape", [sp_input]) as scope:
        indices, out_shape = apply_op("SparseReshape", [sp_input.indices, sp_input.dense_shape, shape], {}, name=scope)
        wanted = static_dense_shape(shape)
        if wanted.ndims is not None and sp_input.shape.is_fully_defined():
            out_shape = _static_reshape(sp_input.shape.as_list(), wanted.as_list(), constant_value(shape), out_shape)
        return SparseTensor(indices, identity(sp_input.values), out_shape)


def _static_reshape(old, wanted, given, out_shape):
    """TF's build-time check of a reshape whose shapes are known: the new dense shape as a constant."""
    if given is not None and sum(int(d) == -1 for d in np.ravel(given)) > 1:
        raise ValueError(f"At most one dimension can be inferred (-1). Found: {np.ravel(given)}")
    size = int(np.prod(old))
    implied = sum(d is None for d in wanted)
    original = list(wanted)
    if implied == 1 and 0 not in wanted:
        rest = [d for d in wanted if d is not None]
        wanted[wanted.index(None)] = int(size // np.prod(rest))
    if implied == 0 or (implied == 1 and 0 not in wanted):
        if int(np.prod(wanted)) != size:
            raise ValueError(f"Cannot reshape a tensor with {size} elements to shape {original} "
                             f"({int(np.prod(wanted))} elements).")
        return convert_to_tensor(wanted, dtype=_I64, name="Const")
    return out_shape


# ----- SparseAdd, SparseTensorDenseAdd -----------------------------------------------------------------------
def _check_same_shape(a_shape, b_shape):
    if len(a_shape) != len(b_shape):
        raise _error(f"Operands do not have the same ranks; got shapes: {_text(a_shape)} and {_text(b_shape)}")
    for d, (x, y) in enumerate(zip(a_shape, b_shape)):
        if x != y:
            raise _error(f"Operands' shapes do not match: got {x} and {y} for dimension {d}")


def _add_kernel(a, ai, av, ash, bi, bv, bsh, thresh):
    _check_same_shape(ash, bsh)
    merged = {}
    for i, row in enumerate(np.asarray(ai).tolist()):
        merged[tuple(row)] = av[i]
    overlap = set()
    for j, row in enumerate(np.asarray(bi).tolist()):
        key = tuple(row)
        if key in merged:
            overlap.add(key)
            merged[key] = merged[key] + bv[j]
        else:
            merged[key] = bv[j]
    keys = sorted(k for k, v in merged.items() if k not in overlap or np.abs(v) >= thresh)
    dtype = np.result_type(av, bv)
    indices = np.asarray(keys, np.int64).reshape(len(keys), len(ash))
    return [indices, np.asarray([merged[k] for k in keys], dtype).reshape(len(keys)), np.asarray(ash, np.int64)]


def _add_grad(op, _, g, __):
    a_grad, b_grad = apply_op("SparseAddGrad", [g, op.inputs[0], op.inputs[3], op.outputs[0]], {})
    a_grad.set_shape(op.inputs[1].shape)
    b_grad.set_shape(op.inputs[4].shape)
    return [None, a_grad, None, None, b_grad, None, None]


op("SparseAdd", "a_indices:int64, a_values:T, a_shape:int64, b_indices:int64, b_values:T, b_shape:int64, "
   "thresh:Treal", kernel=_add_kernel, grad=_add_grad, T=NUMBERS, Treal=REALS,
   shape=lambda i, a: _sparse_parts(_rank_of(i[2]), i[1].dtype.base_dtype)[:2] + [(_I64, i[2].shape)])


def _add_grad_kernel(a, g, ai, bi, si):
    position = {tuple(row): k for k, row in enumerate(np.asarray(si).tolist())}

    def pick(idx):
        rows = [position.get(tuple(row)) for row in np.asarray(idx).tolist()]
        return np.asarray([g[k] if k is not None else 0 for k in rows], g.dtype).reshape(len(rows))
    return [pick(ai), pick(bi)]


op("SparseAddGrad", "backprop_val_grad:T, a_indices:int64, b_indices:int64, sum_indices:int64",
   kernel=_add_grad_kernel, T=NUMBERS, grad=NOT_DIFFERENTIABLE,
   shape=lambda i, a: [(i[0].dtype.base_dtype, _raw((dims(i[1])[0] if dims(i[1]) else None,))),
                       (i[0].dtype.base_dtype, _raw((dims(i[2])[0] if dims(i[2]) else None,)))])


def _dense_add_kernel(a, idx, values, sp_shape, b):
    out = np.array(b, copy=True)
    if tuple(int(d) for d in sp_shape) != out.shape:
        raise _error(f"Dimension 0 does not equal (no broadcasting is supported): sparse side {sp_shape[0]} vs dense "
                     f"side {out.shape[0] if out.ndim else 0}" if out.ndim == len(sp_shape) else
                     f"Sparse shape {_text(sp_shape)} does not equal dense shape {list(out.shape)}")
    idx = np.asarray(idx).reshape(len(values), -1)
    np.add.at(out, tuple(idx.T), values)
    return out


op("SparseTensorDenseAdd", "a_indices:Tindices, a_values:T, a_shape:Tindices, b:T", kernel=_dense_add_kernel,
   shape=lambda i, a: (i[3].dtype.base_dtype, i[3].shape), T=NUMBERS, Tindices="int32 int64",
   grad=lambda op, g: [None, gather_nd(g, op.inputs[0]), None, g])


def sparse_add(a, b, threshold=None, thresh=None):
    """The sum of two SparseTensors (a SparseTensor, dropping summed entries under `threshold` in magnitude),
    or of a SparseTensor and a dense tensor (a dense tensor)."""
    threshold = thresh if threshold is None else threshold
    threshold = 0 if threshold is None else threshold
    sparse = [is_sparse(x) for x in (a, b)]
    if not any(sparse):
        raise TypeError("At least one input should be SparseTensor; do you mean to use tf.add()?")
    if all(sparse):
        a, b = _sparse(a), _sparse(b)
        thresh = convert_to_tensor(threshold, dtype=a.values.dtype.real_dtype.base_dtype, name="threshold")
        indices, values, out_shape = apply_op("SparseAdd", _parts(a) + _parts(b) + [thresh], {})
        a.shape.assert_is_compatible_with(b.shape)
        static = a.shape.merge_with(b.shape) if None not in (a.shape.ndims, b.shape.ndims) else unknown_shape()
        return SparseTensor(indices, values, static.as_list() if static.is_fully_defined() else out_shape)
    if sparse[1]:
        a, b = b, a
    a = _sparse(a)
    return apply_op("SparseTensorDenseAdd", _parts(a) + [b], {})


def _sparse(x):
    """`x` as a SparseTensor (from a SparseTensorValue); a TypeError for anything else."""
    if isinstance(x, SparseTensorValue):
        return SparseTensor.from_value(x)
    if not isinstance(x, SparseTensor):
        raise TypeError("Input must be a SparseTensor.")
    return x


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
   shape=lambda i, a: _sparse_parts(_rank_of(i[2]), i[1].dtype.base_dtype), grad=_slice_grad)


def _slice_grad_kernel(a, g, idx, start, out_idx):
    position = {tuple(row): k for k, row in enumerate((np.asarray(out_idx) + np.asarray(start)).tolist())}
    rows = [position.get(tuple(row)) for row in np.asarray(idx).tolist()]
    return np.asarray([g[k] if k is not None else 0 for k in rows], g.dtype).reshape(len(rows))


op("SparseSliceGrad", "backprop_val_grad:T, input_indices:int64, input_start:int64, output_indices:int64",
   kernel=_slice_grad_kernel, T=NUMBERS, grad=NOT_DIFFERENTIABLE,
   shape=lambda i, a: (i[0].dtype.base_dtype, _raw((dims(i[1])[0] if dims(i[1]) else None,))))


def sparse_slice(sp_input, start, size, name=None):
    """The entries of `sp_input` in the box [start, start + size), their indices shifted to start at 0."""
    sp_input = _sparse(sp_input)
    start = convert_to_tensor(start, _I64)
    size = convert_to_tensor(size, _I64)
    with name_scope(name, "SparseSlice", [sp_input]) as scope:
        return SparseTensor(*apply_op("SparseSlice", _parts(sp_input) + [start, size], {}, name=scope))


def _concat_kernel(a, *parts):
    n, axis = a["N"], a["concat_dim"]
    indices, values, shapes = parts[:n], parts[n:2 * n], [np.asarray(s, np.int64) for s in parts[2 * n:]]
    rank = len(shapes[0])
    axis = axis + rank if axis < 0 else axis
    if not 0 <= axis < rank:
        raise _error(f"Concat dimension must be in range [{-rank}, {rank}), got {a['concat_dim']}")
    for i, s in enumerate(shapes[1:], 1):
        if len(s) != rank or any(s[d] != shapes[0][d] for d in range(rank) if d != axis):
            raise _error(f"Input shapes must match: expected {_text(shapes[0])} for dimension 0 but got {_text(s)} "
                         f"for input {i}")
    offsets = np.cumsum([0] + [int(s[axis]) for s in shapes[:-1]])
    idx = [np.asarray(x, np.int64).reshape(-1, rank).copy() for x in indices]
    for x, off in zip(idx, offsets):
        x[:, axis] += off
    idx, vals = np.concatenate(idx), np.concatenate([np.asarray(v) for v in values])
    out_shape = shapes[0].copy()
    out_shape[axis] = sum(int(s[axis]) for s in shapes)
    perm = _order(idx)
    return [idx[perm], vals[perm], out_shape]


op("SparseConcat", "indices:*int64, values:*T, shapes:*int64", kernel=_concat_kernel, grad=NOT_DIFFERENTIABLE,
   shape=lambda i, a: _sparse_parts(_rank_of(i[2 * a["N"]]), i[a["N"]].dtype.base_dtype, _total_entries(i[:a["N"]])))


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
    sp_inputs = [_sparse(x) for x in sp_inputs]
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
        raise _error(f"Input split_dim should be between {-rank} and {rank}, got {int(split_dim)}")
    if n < 1 or n > dense_shape[d]:
        raise _error(f"Input num_split should be between 1 and {dense_shape[d]}, got {n}")
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
   shape=lambda i, a: [p for p in _sparse_parts(_rank_of(i[3]), i[2].dtype.base_dtype) for _ in range(a["num_split"])])


def sparse_split(keyword_required=None, sp_input=None, num_split=None, axis=None, name=None, split_dim=None):
    """`sp_input` cut along `axis` into `num_split` SparseTensors (the first ones one larger if it does not
    divide evenly). Arguments by keyword only."""
    if keyword_required is not None:
        raise ValueError("Keyword arguments are required for this function.")
    axis = split_dim if axis is None else axis
    for value, what in ((sp_input, "sp_input"), (num_split, "num_split"), (axis, "axis")):
        if value is None:
            raise ValueError(f"{what} is required")
    sp_input = _sparse(sp_input)
    out = apply_op("SparseSplit", [convert_to_tensor(axis, dtype=_I64)] + _parts(sp_input), {"num_split": num_split},
                   name=name)
    return [SparseTensor(out[k], out[num_split + k], out[2 * num_split + k]) for k in range(num_split)]


# ----- SparseFillEmptyRows ---------------------------------------------------------------------------------
def _fill_kernel(a, idx, values, dense_shape, default):
    rows = int(dense_shape[0]) if len(dense_shape) else 0
    idx = np.asarray(idx, np.int64).reshape(len(values), len(dense_shape))
    if len(idx) and (idx[:, 0].min() < 0 or idx[:, 0].max() >= rows):
        bad = int(np.flatnonzero((idx[:, 0] < 0) | (idx[:, 0] >= rows))[0])
        raise _error(f"indices({bad}, 0) is invalid: {idx[bad, 0]} >= {rows}")
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
   grad=_fill_grad, shape=lambda i, a: _sparse_parts(_rank_of(i[2]), i[1].dtype.base_dtype)[:2] + [
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
    sp_input = _sparse(sp_input)
    with name_scope(name, "SparseFillEmptyRows", [sp_input]):
        default_value = convert_to_tensor(default_value, dtype=sp_input.values.dtype)
        indices, values, empty, _ = apply_op("SparseFillEmptyRows", _parts(sp_input) + [default_value], {})
        return SparseTensor(indices, values, sp_input.dense_shape), empty


# ----- reductions: SparseReduceSum/Max (dense results) and their *Sparse forms ---------------------------------
def _groups(a, idx, values, dense_shape, axes):
    """The kept dims' shape (reduced dims 1), each entry's group index, and the reduced axes."""
    rank = len(dense_shape)
    axes = [int(x) for x in np.ravel(axes)]
    for x in axes:
        if not -rank <= x < rank:
            raise _error(f"Invalid reduction dimension {x}, for input with {rank} dimensions.")
    axes = sorted({x % rank for x in axes}) if rank else []
    kept = [1 if d in axes else int(n) for d, n in enumerate(dense_shape)]
    idx = np.asarray(idx, np.int64).reshape(len(values), rank).copy()
    idx[:, axes] = 0
    return kept, idx, axes


def _reduce_dense(combine, fill):
    def kernel(a, idx, values, dense_shape, axes):
        kept, groups, axes = _groups(a, idx, values, dense_shape, axes)
        out = np.zeros(kept, np.asarray(values).dtype)
        if combine is np.maximum:  # TF's max starts each group at the lowest value; untouched groups stay 0
            seen = np.zeros(kept, bool)
            seen[tuple(groups.T)] = True
            start = np.full(kept, fill(np.asarray(values).dtype), np.asarray(values).dtype)
            combine.at(start, tuple(groups.T), values)
            out = np.where(seen, start, out)
        else:
            combine.at(out, tuple(groups.T), values)
        return out if a["keep_dims"] else out.reshape([n for d, n in enumerate(kept) if d not in axes])
    return kernel


def _reduce_sparse(combine):
    def kernel(a, idx, values, dense_shape, axes):
        kept, groups, axes = _groups(a, idx, values, dense_shape, axes)
        keys, where = np.unique(groups, axis=0, return_inverse=True) if len(groups) else (groups, np.zeros(0, int))
        where = np.ravel(where)
        out = np.zeros(len(keys), np.asarray(values).dtype)
        if combine is np.maximum:
            out[:] = _lowest(out.dtype)
        combine.at(out, where, values)
        dims_left = [d for d in range(len(kept)) if a["keep_dims"] or d not in axes]
        return [keys[:, dims_left].astype(np.int64), out, np.asarray(kept, np.int64)[dims_left]]
    return kernel


def _lowest(dtype):
    return -np.inf if np.dtype(dtype).kind == "f" else np.iinfo(dtype).min


def _reduce_shape(inputs, a):
    """TF's static shape of a dense sparse reduction: known when the dense shape and axes are."""
    dense_shape, axes = constant_value(inputs[2]), constant_value(inputs[3])
    dtype = inputs[1].dtype.base_dtype
    if dense_shape is None or axes is None:
        return dtype, unknown_shape()
    rank = len(dense_shape)
    axes = {int(x) % rank for x in np.ravel(axes)} if rank else set()
    return dtype, _raw(tuple(1 if d in axes else int(n) for d, n in enumerate(dense_shape)
                             if a["keep_dims"] or d not in axes))


def _reduce_sum_grad(op, g):
    idx, dense_shape = op.inputs[0], op.inputs[2]
    kept = cast(reduced_shape(cast(dense_shape, dtypes.int32), op.inputs[3]), _I64)
    scale = dense_shape // kept
    return [None, gather_nd(reshape(g, kept), idx // scale), None, None]


_REDUCE = "input_indices:int64, input_values:T, input_shape:int64, reduction_axes:int32"
op("SparseReduceSum", _REDUCE, kernel=_reduce_dense(np.add, None), shape=_reduce_shape, grad=_reduce_sum_grad,
   T=NUMBERS)
op("SparseReduceMax", _REDUCE, kernel=_reduce_dense(np.maximum, _lowest), shape=_reduce_shape,
   grad=NO_GRADIENT_DEFINED, T=REALS)
op("SparseReduceSumSparse", _REDUCE, kernel=_reduce_sparse(np.add), shape=lambda i, a: [
    (_I64, unknown_shape()), (i[1].dtype.base_dtype, unknown_shape()), (_I64, unknown_shape())],
   grad=NO_GRADIENT_DEFINED, T=NUMBERS)
op("SparseReduceMaxSparse", _REDUCE, kernel=_reduce_sparse(np.maximum), shape=lambda i, a: [
    (_I64, unknown_shape()), (i[1].dtype.base_dtype, unknown_shape()), (_I64, unknown_shape())],
   grad=NO_GRADIENT_DEFINED, T=REALS)


def _reduction_axes(sp_input, axis):
    if axis is not None:
        return axis
    if sp_input.shape.ndims:
        return convert_to_tensor(np.arange(sp_input.shape.ndims, dtype=np.int32), name="Const")
    return range_(0, cast(apply_op("Size", [sp_input.dense_shape], {"out_type": dtypes.int32}), dtypes.int32))


def _reducer(op_type, sparse_output):
    def reduce(sp_input, axis=None, keepdims=None, reduction_axes=None, keep_dims=None):
        axis = reduction_axes if axis is None else axis
        keepdims = keep_dims if keepdims is None else keepdims
        out = apply_op(op_type, _parts(sp_input) + [_reduction_axes(sp_input, axis)], {"keep_dims": bool(keepdims)})
        return SparseTensor(*out) if sparse_output else out
    reduce.__name__ = op_type
    reduce.__doc__ = f"TF's {op_type}: the entries of `sp_input` reduced over `axis` (all axes if None)."
    return reduce


sparse_reduce_sum = _reducer("SparseReduceSum", False)
sparse_reduce_max = _reducer("SparseReduceMax", False)
sparse_reduce_sum_sparse = _reducer("SparseReduceSumSparse", True)
sparse_reduce_max_sparse = _reducer("SparseReduceMaxSparse", True)


# ----- SparseSoftmax, SparseSparseMaximum/Minimum ---------------------------------------------------------
def _softmax_kernel(a, idx, values, dense_shape):
    if len(dense_shape) < 2:
        raise _error(f"Input should have rank >= 2, but received shape: {_text(dense_shape)}")
    idx = np.asarray(idx, np.int64).reshape(len(values), -1)
    values = np.asarray(values)
    _, group = np.unique(idx[:, :-1], axis=0, return_inverse=True) if len(idx) else (None, np.zeros(0, int))
    group = np.ravel(group)
    top = np.full(group.max() + 1 if len(group) else 0, -np.inf, values.dtype)
    np.maximum.at(top, group, values)
    e = np.exp(values - top[group])
    total = np.zeros_like(top)
    np.add.at(total, group, e)
    return (e / total[group]).astype(values.dtype)


def _softmax_grad(op, g):
    idx, dense_shape, out = op.inputs[0], op.inputs[2], op.outputs[0]
    product = SparseTensor(idx, out * g, dense_shape)
    sum_reduced = -sparse_reduce_sum(product, [-1], keepdims=True)
    summed = apply_op("SparseDenseCwiseAdd", [idx, g, dense_shape, sum_reduced], {})
    return [None, summed * out, None]


op("SparseSoftmax", "sp_indices:int64, sp_values:T, sp_shape:int64", kernel=_softmax_kernel, grad=_softmax_grad,
   shape=lambda i, a: (i[1].dtype.base_dtype, i[1].shape), T="half float32 float64")


def sparse_softmax(sp_input, name=None):
    """Softmax over the last dimension of `sp_input`, counting only its entries (missing ones are -inf)."""
    with name_scope(name, "SparseSoftmax", [sp_input.indices, sp_input.values]):
        out = apply_op("SparseSoftmax", _parts(sp_input), {})
        return SparseTensor(sp_input.indices, out, sp_input.dense_shape)


def _union_kernel(fn):
    def kernel(a, ai, av, ash, bi, bv, bsh):
        _check_same_shape(ash, bsh)
        table = {}
        for i, row in enumerate(np.asarray(ai).tolist()):
            table[tuple(row)] = [av[i], 0]
        for j, row in enumerate(np.asarray(bi).tolist()):
            table.setdefault(tuple(row), [0, 0])[1] = bv[j]
        keys = sorted(table)
        values = np.asarray([fn(*table[k]) for k in keys], np.result_type(av, bv)).reshape(len(keys))
        return [np.asarray(keys, np.int64).reshape(len(keys), len(ash)), values]
    return kernel


def _not_implemented(op_type):
    def grad(op, grad):  # takes one output's gradient, as TF's: on a two-output op that is a TypeError, as in TF
        raise NotImplementedError(f"Gradient for {op_type} is not implemented.")
    return grad


_PAIR = "a_indices:int64, a_values:T, a_shape:int64, b_indices:int64, b_values:T, b_shape:int64"
for _type, _fn in (("SparseSparseMaximum", max), ("SparseSparseMinimum", min)):
    op(_type, _PAIR, kernel=_union_kernel(_fn), grad=_not_implemented(_type), T=REALS,
       shape=lambda i, a: _sparse_parts(None, i[1].dtype.base_dtype)[:2])


def _union(op_type):
    def fn(sp_a, sp_b, name=None):
        with name_scope(name, op_type, [sp_a.indices, sp_a.values, sp_b.indices, sp_b.values]) as scope:
            indices, values = apply_op(op_type, _parts(sp_a) + _parts(sp_b), {}, name=scope)
        return SparseTensor(indices, values, sp_a.dense_shape)
    fn.__doc__ = f"The element-wise {op_type[12:].lower()} of two SparseTensors of one shape (missing entries 0)."
    return fn


sparse_maximum = _union("SparseSparseMaximum")
sparse_minimum = _union("SparseSparseMinimum")


# ----- a SparseTensor with a dense tensor: SparseDenseCwiseMul/Div/Add ------------------------------------------
def _cwise_kernel(fn):
    def kernel(a, idx, values, dense_shape, dense):
        rank, dense = len(dense_shape), np.asarray(dense)
        if dense.ndim > rank or any(d not in (1, int(s)) for d, s in zip(dense.shape[::-1], dense_shape[::-1])):
            raise _error(f"SparseDenseBinaryOpShared broadcasts dense to sparse only; got incompatible shapes: "
                         f"[{','.join(map(str, dense_shape))}] vs. [{','.join(map(str, dense.shape))}]")
        full = np.broadcast_to(dense, tuple(int(s) for s in dense_shape))
        idx = np.asarray(idx, np.int64).reshape(len(values), rank)
        return fn(np.asarray(values), full[tuple(idx.T)]).astype(np.asarray(values).dtype)
    return kernel


def _cwise_grad(is_mul):
    def grad(op, g):
        idx, values, sp_shape, y = op.inputs
        y_shape = cast(shape(y), _I64)
        added = expand_dims(apply_op("Size", [sp_shape], {"out_type": dtypes.int32}) -
                            apply_op("Size", [y_shape], {"out_type": dtypes.int32}), 0)
        augmented = concat([apply_op("Fill", [added, np.int64(1)], {}), y_shape], 0)
        scaled = idx // (sp_shape // augmented)
        scaled = apply_op("Slice", [scaled, concat([[0], added], 0), [-1, -1]], {})
        dense_vals = gather_nd(y, scaled)
        if is_mul:
            dx, dy_val = g * dense_vals, g * values
        else:
            dx, dy_val = g / dense_vals, g * (-values / (dense_vals * dense_vals))
        dy = sparse_add(zeros_like(y), SparseTensor(scaled, dy_val, y_shape))
        return [None, dx, None, dy]
    return grad


_CWISE = "sp_indices:int64, sp_values:T, sp_shape:int64, dense:T"
_cwise_shape = lambda i, a: (i[1].dtype.base_dtype, _raw((dims(i[0])[0] if dims(i[0]) else None,)))
op("SparseDenseCwiseMul", _CWISE, kernel=_cwise_kernel(np.multiply), shape=_cwise_shape, grad=_cwise_grad(True),
   T=NUMBERS)
op("SparseDenseCwiseDiv", _CWISE, kernel=_cwise_kernel(lambda x, y: x / y if x.dtype.kind in "fc"
                                                       else np.sign(x) * np.sign(y) * (np.abs(x) // np.abs(y))),
   shape=_cwise_shape, grad=_cwise_grad(False), T=NUMBERS)
op("SparseDenseCwiseAdd", _CWISE, kernel=_cwise_kernel(np.add), shape=_cwise_shape,
   grad=_not_implemented("SparseDenseCwiseAdd"), T=NUMBERS)


def sparse_dense_cwise_add(sp_t, dense_t):
    """`dense_t` (broadcast) added to the entries of `sp_t`, as a SparseTensor of the same indices."""
    out = apply_op("SparseDenseCwiseAdd", _parts(sp_t) + [dense_t], {})
    return SparseTensor(sp_t.indices, out, sp_t.dense_shape)


# ----- to and from dense tensors, and what TF builds from the ops above ---------------------------------------
def sparse_tensor_to_dense(sp_input, default_value=None, validate_indices=True, name=None):
    """The dense tensor of `sp_input`, `default_value` (0) where it has no entry."""
    sp_input = _sparse(sp_input)
    if default_value is None:
        default_value = zeros([], dtype=sp_input.dtype.base_dtype)
    return apply_op("SparseToDense", [sp_input.indices, sp_input.dense_shape, sp_input.values, default_value],
                    {"validate_indices": validate_indices}, name=name)


def from_dense(tensor, name=None):
    """The SparseTensor of the nonzero entries of the dense `tensor`."""
    with name_scope(name, "dense_to_sparse"):
        tensor = convert_to_tensor(tensor)
        indices = apply_op("Where", [apply_op("NotEqual", [tensor, zeros_like(tensor)],
                                              {"incompatible_shape_error": True})], {})
        return SparseTensor(indices, gather_nd(tensor, indices), shape(tensor, out_type=_I64))


def sparse_retain(sp_input, to_retain):
    """The entries of `sp_input` where the bool vector `to_retain` is True."""
    sp_input = _sparse(sp_input)
    to_retain = convert_to_tensor(to_retain)
    to_retain.shape.assert_has_rank(1)
    if sp_input.values.shape.dims is not None:
        sp_input.values.shape.dims[0].assert_is_compatible_with(to_retain.shape.dims[0])
    where_true = reshape(apply_op("Where", [to_retain], {}), [-1])
    return SparseTensor(gather(sp_input.indices, where_true), gather(sp_input.values, where_true),
                        identity(sp_input.dense_shape))


def sparse_reset_shape(sp_input, new_shape=None):
    """`sp_input` with dense shape `new_shape` (no smaller), or its tight bounding box."""
    sp_input = _sparse(sp_input)
    indices, values, old = identity(sp_input.indices), identity(sp_input.values), identity(sp_input.dense_shape)
    if new_shape is None:
        upper = apply_op("Max", [indices, 0], {"keep_dims": False})
        return SparseTensor(indices, values, apply_op("Maximum", [np.int64(0), upper + apply_op("OnesLike", [old], {})],
                                                      {}))
    new_shape = cast(convert_to_tensor(new_shape), _I64)
    new_shape.shape.assert_has_rank(1)
    known, old_known = constant_value(new_shape), sp_input.shape
    if known is not None and old_known.is_fully_defined():
        if not np.all(np.asarray(old_known.as_list()) <= known):
            raise ValueError(f"Requested new_shape should have dimension sizes >= sp_input.shape.  Found new_shape "
                             f"({np.asarray(old_known.as_list())}), sp_input.shape ({known}).")
        new_shape = known
    return SparseTensor(indices, values, new_shape)


def sparse_transpose(sp_input, perm=None, name=None):
    """`sp_input` with its dimensions permuted by `perm` (reversed by default), reordered."""
    with name_scope(name, "SparseTranspose", [sp_input]):
        if perm is None:
            if sp_input.shape.ndims is not None:
                perm = sp_input.shape.ndims - 1 - np.arange(0, sp_input.shape.ndims, 1)
            else:
                n = apply_op("Size", [sp_input.dense_shape], {"out_type": dtypes.int32})
                perm = n - 1 - range_(0, n, 1)
        indices = transpose(gather(transpose(sp_input.indices), perm))
        known = constant_value(convert_to_tensor(perm))
        if known is not None and sp_input.shape.is_fully_defined():
            old = sp_input.shape.as_list()
            new_shape = [old[p] for p in known]
        else:
            new_shape = gather(sp_input.dense_shape, perm)
        return sparse_reorder(SparseTensor(indices, sp_input.values, new_shape))


def _int64(value, name):
    if isinstance(value, (int, np.integer)):
        return convert_to_tensor(value, name=name, dtype=_I64)
    if not hasattr(value, "dtype") or not hasattr(value, "op"):
        raise TypeError(f"{name} must be an integer value")
    return value if value.dtype == _I64 else cast(value, _I64)


def sparse_eye(num_rows, num_columns=None, dtype=dtypes.float32, name=None):
    """A SparseTensor of ones on the diagonal of a [num_rows, num_columns] matrix."""
    with name_scope(name, "eye", [num_rows, num_columns]):
        num_rows = _int64(num_rows, "num_rows")
        num_columns = num_rows if num_columns is None else _int64(num_columns, "num_columns")
        size = apply_op("Minimum", [num_rows, num_columns], {})
        diag = range_(size, dtype=_I64)
        return SparseTensor(stack([diag, diag], axis=1), ones(reshape(size, [-1]), dtype=dtype),
                            [num_rows, num_columns])


def sparse_expand_dims(sp_input, axis=None, name=None):
    """`sp_input` with a new dimension of size 1 at `axis` (the last by default)."""
    rank = sp_input.dense_shape.shape[0]
    rank = shape(sp_input.dense_shape)[0] if rank is None else rank
    axis = -1 if axis is None else axis
    with name_scope(name, "expand_dims", [sp_input]):
        if isinstance(axis, (int, np.integer)):
            axis = convert_to_tensor(axis, name="axis", dtype=dtypes.int32)
        elif not hasattr(axis, "op"):
            raise TypeError("axis must be an integer value in range [-rank(sp_input) - 1, rank(sp_input)]")
        axis = apply_op("SelectV2", [axis >= 0, axis, axis + rank + 1], {})
        column = shape(sp_input.indices)[0]
        new_index = apply_op("Fill", [stack([column, 1]), np.int64(0)], {}, name="zeros")
        before = apply_op("Slice", [sp_input.indices, stack([0, 0]), stack([-1, axis])], {})
        after = apply_op("Slice", [sp_input.indices, stack([0, axis]), [-1, -1]], {})
        indices = concat([before, new_index, after], axis=1)
        shape_before = apply_op("Slice", [sp_input.dense_shape, [0], reshape(axis, [1])], {})
        shape_after = apply_op("Slice", [sp_input.dense_shape, reshape(axis, [1]), [-1]], {})
        one = convert_to_tensor([1], name="new_shape", dtype=_I64)
        return SparseTensor(indices, sp_input.values, concat([shape_before, one, shape_after], axis=0))


def sparse_merge(sp_ids, sp_values, vocab_size, name=None, already_sorted=False):
    """The SparseTensor whose last index is `sp_ids`' values (of `vocab_size` possible) and whose values are
    `sp_values`' values: [batch, id] -> weight, the input of a sparse linear model."""
    if isinstance(sp_ids, (SparseTensor, SparseTensorValue)):
        sp_ids = [sp_ids]
        if not (hasattr(vocab_size, "op") or isinstance(vocab_size, (int, np.integer))):
            raise TypeError(f"vocab_size has to be a Tensor or Python int. Found {type(vocab_size)}")
        vocab_size = [vocab_size]
    elif not isinstance(vocab_size, (list, tuple)):
        raise TypeError(f"vocab_size has to be a list of Tensors or Python ints. Found {type(vocab_size)}")
    if len(sp_ids) != len(vocab_size):
        raise ValueError("sp_ids and vocab_size have to have equal lengths.")
    with name_scope(name, "SparseMerge", [sp_ids, sp_values]):
        sp_ids = [_sparse(x) for x in sp_ids]
        sp_values = _sparse(sp_values)
        ids = [expand_dims(x.values if x.dtype == _I64 else cast(x.values, _I64), axis=1) for x in sp_ids]
        vocab_size = [cast(x, _I64) for x in vocab_size]
        new_indices = concat([sp_ids[0].indices[:, :-1]] + ids, 1)
        new_shape = concat([sp_ids[0].dense_shape[:-1], vocab_size], 0)
        result = SparseTensor(new_indices, sp_values.values, new_shape)
        if already_sorted:
            return result
        ordered = sparse_reorder(result)
        return SparseTensor(ordered.indices, ordered.values, new_shape)


def sparse_to_indicator(sp_input, vocab_size, name=None):
    """A dense bool tensor [..., vocab_size], True at the ids each row of `sp_input` holds."""
    sp_input = _sparse(sp_input)
    with name_scope(name, "SparseToIndicator", [sp_input]) as scope:
        num_entries = shape(sp_input.indices)[0]
        new_values = apply_op("Fill", [expand_dims(num_entries, 0), True], {})
        merged = sparse_merge(sp_input, SparseTensor(sp_input.indices, new_values, sp_input.dense_shape), vocab_size,
                              scope)
        return sparse_tensor_to_dense(merged, default_value=False, validate_indices=False, name=scope)


def sparse_mask(a, mask_indices, name=None):
    """The IndexedSlices `a` without the slices whose indices are in `mask_indices`."""
    with name_scope(name, "sparse_mask", [a, mask_indices]) as scope:
        out_indices, to_gather = apply_op("ListDiff", [a.indices, mask_indices], {"out_idx": dtypes.int32})
        return IndexedSlices(gather(a.values, to_gather, name=scope), out_indices, a.dense_shape)

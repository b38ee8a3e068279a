"""Arithmetic over SparseTensors: the reductions (`SparseReduceSum`/`Max`, dense, and their `*Sparse` forms),
`SparseSoftmax`, the element-wise `SparseSparseMaximum`/`Minimum` and a sparse tensor with a dense one
(`SparseDenseCwiseMul`/`Div`/`Add`), each an op-table entry with the `tf.sparse` function that builds it.
"""
import numpy as np

from .. import dtypes
from ..convert import convert_to_tensor
from ..default_graph import name_scope
from ..shape import TensorShape, unknown_shape
from .array import expand_dims, reshape, shape
from .filling import range as range_
from .filling import zeros_like
from .joining import concat
from .math import cast
from .reduction import reduced_shape
from .registry import NO_GRADIENT_DEFINED, NUMBERS, REALS, apply_op, op
from .shape_fns import constant_value, dims
from .slicing import gather_nd
from .sparse_ops import (
    check_same_shape,
    error,
    parts,
    sparse_add,
    sparse_specs,
    text,
)
from .sparse_tensor import SparseTensor

_raw = TensorShape._raw
_I64 = dtypes.int64


# ----- reductions: SparseReduceSum/Max (dense results) and their *Sparse forms ---------------------------------
def _groups(a, idx, values, dense_shape, axes):
    """The kept dims' shape (reduced dims 1), each entry's group index, and the reduced axes."""
    rank = len(dense_shape)
    axes = [int(x) for x in np.ravel(axes)]
    for x in axes:
        if not -rank <= x < rank:
            raise error(f"Invalid reduction dimension {x}, for input with {rank} dimensions.")
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
        out = apply_op(op_type, parts(sp_input) + [_reduction_axes(sp_input, axis)], {"keep_dims": bool(keepdims)})
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
        raise error(f"Input should have rank >= 2, but received shape: {text(dense_shape)}")
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
        out = apply_op("SparseSoftmax", parts(sp_input), {})
        return SparseTensor(sp_input.indices, out, sp_input.dense_shape)


def _union_kernel(fn):
    def kernel(a, ai, av, ash, bi, bv, bsh):
        check_same_shape(ash, bsh)
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
       shape=lambda i, a: sparse_specs(None, i[1].dtype.base_dtype)[:2])


def _union(op_type):
    def fn(sp_a, sp_b, name=None):
        with name_scope(name, op_type, [sp_a.indices, sp_a.values, sp_b.indices, sp_b.values]) as scope:
            indices, values = apply_op(op_type, parts(sp_a) + parts(sp_b), {}, name=scope)
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
            raise error(f"SparseDenseBinaryOpShared broadcasts dense to sparse only; got incompatible shapes: "
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
    out = apply_op("SparseDenseCwiseAdd", parts(sp_t) + [dense_t], {})
    return SparseTensor(sp_t.indices, out, sp_t.dense_shape)



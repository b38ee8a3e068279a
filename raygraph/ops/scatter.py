"""Row updates of a variable (`ScatterUpdate`, `ScatterAdd`, `ScatterSub`, `ScatterMul`, `ScatterDiv`,
`ScatterMin`, `ScatterMax`: `ref[indices[i], ...] op= updates[i, ...]`) and `Unique`, which deduplicates the
indices of a sparse gradient.

Unlike the other variable writes (ops/state.py), a scatter changes the variable's array in place, as TF's
kernel does: a step that touches 500 rows of a 50,000-row embedding writes those rows only. So a value
read from the variable earlier in the same step, and not yet consumed, sees the update (TF1 has the same
race); a fetched or sent value is a copy and never changes.
"""
import collections

import numpy as np

from .. import dtypes
from ..convert import convert_to_tensor
from ..default_graph import name_scope
from ..errors import InvalidArgumentError
from ..shape import TensorShape
from .array import expand_dims, reshape, shape
from .filling import ones_like, range as range_, zeros_like
from .joining import concat
from .math import cast, equal
from .reduction import reduce_sum
from .registry import NO_GRADIENT_DEFINED, NOT_DIFFERENTIABLE, NUMBERS, REALS, apply_op, op
from .shape_fns import constant_value_as_shape, dims, merge_dims, with_rank
from .slicing import gather_nd, scatter_nd
from .state import locked

_raw = TensorShape._raw
UniqueWithCounts = collections.namedtuple("UniqueWithCounts", "y idx count")


def writable(ref):
    """The variable's array, to be updated in place (copied once if it is a read-only buffer)."""
    value = ref.read()
    if not value.flags.writeable:
        value = value.copy()
        ref.write(value)
    return value


def first_bad(idx, n):
    """The position of the first index outside [0, n), or None."""
    bad = (idx < 0) | (idx >= n)
    return int(np.argmax(bad)) if bad.any() else None


def in_order(idx):
    """Positions of `idx` in batches whose indices are distinct: first every index's first occurrence, then each
    repeat alone, in order. Applying the batches one after another updates each row in the order TF's
    sequential kernels do, with one vectorized step when nothing repeats."""
    _, first = np.unique(idx, return_index=True)
    if first.size == idx.size:
        return [slice(None)]
    rest = np.ones(idx.size, bool)
    rest[first] = False
    return [np.sort(first)] + [slice(i, i + 1) for i in np.flatnonzero(rest).tolist()]


def add_rows(var, idx, rows, subtract=False):
    """var[idx] += rows (or -=), repeated indices adding up in order."""
    for part in in_order(idx):
        at = idx[part]
        if subtract:
            var[at] -= rows[part]
        else:
            var[at] += rows[part]


# ----- the scatter ops ----------------------------------------------------------------------------------------
def _combine(kind, var, idx, rows):
    if kind == "update":
        var[idx] = rows
    elif kind == "add":
        add_rows(var, idx, rows)
    elif kind == "sub":
        add_rows(var, idx, rows, subtract=True)
    else:
        getattr(np, {"mul": "multiply", "div": "divide", "min": "minimum", "max": "maximum"}[kind]).at(var, idx, rows)


def _scatter_kernel(kind):
    def kernel(a, res, ref, indices, updates):
        with locked(a, [ref]):
            var = writable(ref)
            shape, ishape, ushape = var.shape, np.shape(indices), np.shape(updates)
            if ushape and ushape != ishape + shape[1:]:
                raise InvalidArgumentError(None, None, f"Must have updates.shape = indices.shape + params.shape"
                                           f"[1:] or updates.shape = [], got updates.shape {list(ushape)}, "
                                           f"indices.shape {list(ishape)}, params.shape {list(shape)}")
            idx = np.asarray(indices).reshape(-1).astype(np.int64, copy=False)
            rows = np.broadcast_to(np.asarray(updates, var.dtype), (idx.size,) + shape[1:])
            bad = first_bad(idx, shape[0])
            _combine(kind, var, idx[:bad], rows[:bad])  # TF's kernel has applied the rows before a bad index
            if bad is not None:
                raise InvalidArgumentError(None, None, f"indices[{bad}] = {int(idx[bad])} is not in [0, {shape[0]})")
        return ref
    return kernel


def _scatter_shape(inputs, a):
    ref, indices, updates = inputs
    var, i, u = dims(ref), dims(indices), dims(updates)
    if u is not None and len(u) != 0 and var is not None and i is not None:
        merge_dims(u, i + var[1:])
    return ref.dtype, ref.shape


for _kind in ("update", "add", "sub", "mul", "div", "min", "max"):
    _types = {} if _kind == "update" else {"T": REALS if _kind in ("min", "max") else NUMBERS}
    op("Scatter" + _kind.capitalize(), "ref:&T, indices:Tindices, updates:T", kernel=_scatter_kernel(_kind),
       shape=_scatter_shape, stateful=True, Tindices="int32 int64", **_types,
       grad=NOT_DIFFERENTIABLE if _kind in ("add", "sub", "mul", "div") else NO_GRADIENT_DEFINED)


def _scatter(kind):
    def fn(ref, indices, updates, use_locking=kind == "update", name=None):
        return apply_op("Scatter" + kind.capitalize(), [ref, indices, updates], {"use_locking": use_locking},
                        name=name)
    fn.__name__ = "scatter_" + kind
    fn.__doc__ = f"`ref[indices[i], ...] {'' if kind == 'update' else kind + ' '}= updates[i, ...]`, in place."
    return fn


scatter_update, scatter_add, scatter_sub = _scatter("update"), _scatter("add"), _scatter("sub")
scatter_mul, scatter_div, scatter_min, scatter_max = _scatter("mul"), _scatter("div"), _scatter("min"), _scatter("max")


# ----- Unique -------------------------------------------------------------------------------------------------
def _unique_kernel(a, x):
    if np.ndim(x) != 1:
        raise InvalidArgumentError(None, None, "unique expects a 1D vector.")
    values, first, inverse = np.unique(x, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")  # TF lists the values in the order they first appear
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    return values[order], rank[inverse.reshape(-1)].astype(a["out_idx"].as_numpy_dtype)


op("Unique", "x:T", kernel=_unique_kernel, out_idx="int32 int64", grad=NO_GRADIENT_DEFINED,
   shape=lambda i, a: [(i[0].dtype.base_dtype, _raw((None,))),
                       (a["out_idx"], _raw(tuple(with_rank(i[0], 1))))])


def unique(x, out_idx=dtypes.int32, name=None):
    """The distinct values of the 1-D `x` in order of appearance, and for each element its value's index."""
    return apply_op("Unique", [x], {"out_idx": dtypes.as_dtype(out_idx)}, name=name)


# ----- SparseToDense ------------------------------------------------------------------------------------------
def _sparse_to_dense_kernel(a, indices, output_shape, values, default):
    shape = tuple(int(d) for d in np.reshape(output_shape, -1))
    idx = np.asarray(indices).reshape((-1, len(shape)) if np.ndim(indices) < 2 else np.shape(indices))
    if np.ndim(indices) == 0:
        idx = idx.reshape(1, -1)
    n = idx.shape[0]
    if np.ndim(values) not in (0, 1) or (np.ndim(values) == 1 and np.shape(values)[0] != n):
        raise InvalidArgumentError(None, None, f"sparse_values has incorrect shape {list(np.shape(values))}, "
                                   f"should be [] or [{n}]")
    out = np.full(shape, default, dtype=np.asarray(values).dtype)
    for i, row in enumerate(idx.tolist()):
        if any(not 0 <= v < d for v, d in zip(row, shape)):
            raise InvalidArgumentError(None, None, f"indices[{i}] = [{','.join(map(str, row))}] is out of bounds: "
                                       f"need 0 <= index < [{','.join(map(str, shape))}]")
        if a.get("validate_indices", True) and i and row <= idx[i - 1].tolist():
            word = "repeated" if row == idx[i - 1].tolist() else "out of order"
            raise InvalidArgumentError(None, None, f"indices[{i}] = [{','.join(map(str, row))}] is {word}. Many "
                                       f"sparse ops require sorted indices.\n    Use `tf.sparse.reorder` to create "
                                       f"a correctly ordered copy.\n\n")
    if n:
        out[tuple(idx.T)] = values
    return out


def _sparse_to_dense_shape(inputs, a):
    return inputs[2].dtype.base_dtype, constant_value_as_shape(inputs[1])


def _sparse_to_dense_grad(op, g):
    indices, output_shape = op.inputs[0], op.inputs[1]
    values_grad = gather_nd(g, indices)
    default_grad = reduce_sum(g) - reduce_sum(values_grad)
    return [zeros_like(indices), zeros_like(output_shape), values_grad, default_grad]


op("SparseToDense", "sparse_indices:Tindices, output_shape:Tindices, sparse_values:T, default_value:T",
   kernel=_sparse_to_dense_kernel, shape=_sparse_to_dense_shape, Tindices="int32 int64",
   grad=_sparse_to_dense_grad)


def sparse_to_dense(sparse_indices, output_shape, sparse_values, default_value=0, validate_indices=True,
                    name=None):
    """A dense tensor of `output_shape` holding `sparse_values` at `sparse_indices`, `default_value` elsewhere."""
    return apply_op("SparseToDense", [sparse_indices, output_shape, sparse_values, default_value],
                    {"validate_indices": validate_indices}, name=name)


# ----- ScatterNd* (a variable's slices in place) and TensorScatter* (a new tensor) ---------------------------
_ND_KINDS = {"update": None, "add": np.add, "sub": np.subtract, "max": np.maximum, "min": np.minimum}


def _scatter_nd_into(kind, out, indices, updates):
    """out[indices[i]] op= updates[i], in order (a repeated index updated once per occurrence)."""
    indices, updates = np.asarray(indices), np.asarray(updates)
    k = indices.shape[-1] if indices.ndim else 0
    if indices.ndim < 1 or k > out.ndim:
        raise InvalidArgumentError(None, None, f"Output must be at least {k}-D, but got shape {list(out.shape)}")
    want = indices.shape[:-1] + out.shape[k:]
    if updates.shape != want:
        raise InvalidArgumentError(None, None, f"Dimensions [0,{indices.ndim - 1}) of indices[shape="
                                   f"{list(indices.shape)}] = {list(indices.shape[:-1])} must match dimensions [0,"
                                   f"{indices.ndim - 1}) of updates[shape={list(updates.shape)}]")
    flat = indices.reshape(-1, k)
    rows = updates.reshape((flat.shape[0],) + out.shape[k:])
    bad = np.any((flat < 0) | (flat >= np.asarray(out.shape[:k], dtype=np.int64)), axis=1)
    if bad.any():
        i = int(np.argmax(bad))
        raise InvalidArgumentError(None, None, f"indices[{i}] = [{', '.join(str(int(v)) for v in flat[i])}] does "
                                   f"not index into shape [{','.join(map(str, out.shape))}]")
    where = tuple(flat.T)
    fn = _ND_KINDS[kind]
    if fn is None:
        for part in in_order(np.ravel_multi_index(where, out.shape[:k]) if k else np.zeros(len(flat), int)):
            out[tuple(w[part] for w in where)] = rows[part]
    else:
        fn.at(out, where, rows)
    return out


def _scatter_nd_shape(inputs, a):
    """TF's ScatterNdUpdateShape: updates.shape == indices.shape[:-1] + tensor.shape[indices.shape[-1]:]."""
    ref, indices, updates = inputs
    r, i, u = dims(ref), dims(indices), dims(updates)
    if i is not None and len(i) < 1:
        raise ValueError("Shape must be at least rank 1 but is rank 0")
    if r is not None and i is not None and u is not None and i[-1] is not None:
        if i[-1] > len(r):
            raise ValueError(f"The last dimension of indices ({i[-1]}) must be <= the rank of input ({len(r)})")
        want = i[:-1] + r[i[-1]:]
        if len(want) != len(u):
            raise ValueError(f"Shapes must be equal rank, but are {len(u)} and {len(want)}")
        merge_dims(u, want)
    return ref.dtype, ref.shape  # a ref for ScatterNd*, as the variable's own ops


def _scatter_nd_ref_kernel(kind):
    def kernel(a, res, ref, indices, updates):
        with locked(a, [ref]):
            _scatter_nd_into(kind, writable(ref), indices, updates)
        return ref
    return kernel


def _tensor_scatter_kernel(kind):
    return lambda a, tensor, indices, updates: _scatter_nd_into(kind, np.array(tensor), indices, updates)


def _tensor_scatter_update_grad(op, g):
    indices = op.inputs[1]
    return [tensor_scatter_nd_update(g, indices, zeros_like(op.inputs[2])), None, gather_nd(g, indices)]


def _tensor_scatter_extreme_grad(op, g):
    x, indices, y = op.inputs
    out = op.outputs[0]
    x_hits = cast(equal(x, out), g.dtype)
    y_hits = cast(equal(y, gather_nd(out, indices)), g.dtype)
    hits = x_hits + scatter_nd(indices, y_hits, shape(x, out_type=indices.dtype))
    return [g * x_hits / hits, None, gather_nd(g / hits, indices) * y_hits]


_TENSOR_SCATTER_GRADS = {
    "update": _tensor_scatter_update_grad,
    "add": lambda op, g: [g, None, gather_nd(g, op.inputs[1])],
    "sub": lambda op, g: [g, None, -gather_nd(g, op.inputs[1])],
    "max": _tensor_scatter_extreme_grad, "min": _tensor_scatter_extreme_grad}
_ND_INDICES = "int16 int32 int64 uint16"
for _kind in ("update", "add", "sub", "max", "min"):
    _types = {} if _kind == "update" else {"T": REALS if _kind in ("min", "max") else NUMBERS}
    if _kind in ("update", "add", "sub"):
        op("ScatterNd" + _kind.capitalize(), "ref:&T, indices:Tindices, updates:T", stateful=True,
           kernel=_scatter_nd_ref_kernel(_kind), shape=_scatter_nd_shape, Tindices="int32 int64", **_types,
           grad=NOT_DIFFERENTIABLE)
    op("TensorScatter" + _kind.capitalize(), "tensor:T, indices:Tindices, updates:T",
       kernel=_tensor_scatter_kernel(_kind), shape=_scatter_nd_shape, Tindices=_ND_INDICES, **_types,
       grad=_TENSOR_SCATTER_GRADS[_kind])


def _scatter_nd_ref(kind):
    def fn(ref, indices, updates, use_locking=kind == "update", name=None):
        return apply_op("ScatterNd" + kind.capitalize(), [ref, indices, updates],
                        {"use_locking": use_locking, "bad_indices_policy": ""}, name=name)
    fn.__name__ = "scatter_nd_" + kind
    fn.__doc__ = f"`ref[indices[i]] {'' if kind == 'update' else kind + ' '}= updates[i]` in place (op " \
                 f"ScatterNd{kind.capitalize()})."
    return fn


def _tensor_scatter(kind):
    def fn(tensor, indices, updates, name=None):
        return apply_op("TensorScatter" + kind.capitalize(), [tensor, indices, updates], {"bad_indices_policy": ""},
                        name=name)
    fn.__name__ = "tensor_scatter_nd_" + kind
    fn.__doc__ = f"A copy of `tensor` with `[indices[i]] {'' if kind == 'update' else kind + ' '}= updates[i]`."
    return fn


scatter_nd_update, scatter_nd_add, scatter_nd_sub = (_scatter_nd_ref(k) for k in ("update", "add", "sub"))
tensor_scatter_nd_update, tensor_scatter_nd_add, tensor_scatter_nd_sub, tensor_scatter_nd_max, \
    tensor_scatter_nd_min = (_tensor_scatter(k) for k in ("update", "add", "sub", "max", "min"))


def batch_scatter_update(ref, indices, updates, use_locking=True, name=None):
    """`ref[b..., indices[b..., i]] = updates[b..., i]`: scatter_nd_update with each index's batch position."""
    with name_scope(name, "BatchScatterUpdate", [ref, indices, updates]):
        indices = convert_to_tensor(indices, name="indices")
        rank = dims(indices)
        if rank is None:
            raise ValueError("batch_gather does not allow indices with unknown shape.")
        rank = len(rank)
        nd = expand_dims(indices, -1)
        full = shape(indices)
        parts = []
        for d in range(rank - 1):
            axis_range = reshape(cast(range_(0, full[d], 1), nd.dtype), [1] * d + [-1] + [1] * (rank - d))
            parts.append(axis_range * ones_like(nd))
        return scatter_nd_update(ref, concat(parts + [nd], -1), updates, use_locking=use_locking)


# ----- UniqueWithCounts ---------------------------------------------------------------------------------------
def _unique_with_counts_kernel(a, x):
    values, idx = _unique_kernel(a, x)
    return values, idx, np.bincount(idx, minlength=len(values)).astype(idx.dtype)


op("UniqueWithCounts", "x:T", kernel=_unique_with_counts_kernel, out_idx="int32 int64", grad=NO_GRADIENT_DEFINED,
   shape=lambda i, a: [(i[0].dtype.base_dtype, _raw((None,))), (a["out_idx"], _raw(tuple(with_rank(i[0], 1)))),
                       (a["out_idx"], _raw((None,)))])


def unique_with_counts(x, out_idx=dtypes.int32, name=None):
    """`unique(x)` and how often each distinct value occurs."""
    return UniqueWithCounts(*apply_op("UniqueWithCounts", [x], {"out_idx": dtypes.as_dtype(out_idx)}, name=name))

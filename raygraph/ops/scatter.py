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
from ..errors import InvalidArgumentError
from ..shape import TensorShape
from . import compiled
from .filling import zeros_like
from .reduction import reduce_sum
from .registry import NO_GRADIENT_DEFINED, NOT_DIFFERENTIABLE, NUMBERS, REALS, apply_op, op
from .shape_fns import constant_value_as_shape, dims, merge_dims, with_rank
from .slicing import gather_nd
from .state import locked

_raw = TensorShape._raw


def writable(ref):
    """The variable's array, to be updated in place (copied once if it is a read-only buffer)."""
    value = ref.read()
    if not value.flags.writeable:
        value = value.copy()
        ref.write(value)
    return value


def first_bad(idx, n):
    """The position of the first index outside [0, n), or None."""
    if idx.size == 0 or (idx.min() >= 0 and idx.max() < n):
        return None
    return int(np.argmax((idx < 0) | (idx >= n)))


def _repeats(idx):
    """None when no index repeats; else, for the indices that repeat, the positions of their first
    occurrences, then of their second occurrences, and so on (a list of position arrays)."""
    order = np.argsort(idx, kind="stable")
    s = idx[order]
    repeat = np.flatnonzero(s[1:] == s[:-1])  # sorted position j + 1 repeats position j
    if repeat.size == 0:
        return None
    batches, rank, last = [[]], 0, -2
    for j in repeat.tolist():  # few in a sparse gradient: grouped in Python
        rank = rank + 1 if j == last + 1 else 1
        if rank == 1:
            batches[0].append(j)
        if rank == len(batches):
            batches.append([])
        batches[rank].append(j + 1)
        last = j
    return [order[b] for b in batches]


def in_order(idx):
    """Positions of `idx` in batches whose indices are distinct: every index's first occurrence, then every
    second occurrence, and so on. Applying the batches one after another updates each row in the order TF's
    sequential kernels do, with one vectorized step when nothing repeats."""
    reps = _repeats(idx)
    if reps is None:
        return [slice(None)]
    first = np.ones(idx.size, bool)
    for part in reps[1:]:
        first[part] = False
    return [np.flatnonzero(first)] + reps[1:]


def add_rows(var, idx, rows, subtract=False):
    """var[idx] += rows (or -=), repeated indices adding up in order. Floats, from compiled.COMPILED elements: one
    row after another in a compiled loop (kernel_loops.add_rows), as TF's kernel (a [512, 128] update of a
    50,000-row table: 14 us against numpy's 91 in cache, 60-70 against 126-138 in embedding_train's step); else
    all rows at once, then the rows of the indices that repeat (few in a sparse gradient) are put back and redone
    one occurrence at a time."""
    if var.dtype in _FLOATS and rows.dtype == var.dtype and var.flags.c_contiguous and var.size \
            and rows.size >= compiled.COMPILED:
        rows = np.ascontiguousarray(rows).reshape(idx.size, -1)
        compiled.loops().add_rows(var.reshape(var.shape[0], -1), idx, rows, subtract)
        return
    fn = np.subtract if subtract else np.add
    reps = _repeats(idx)
    if reps is not None:
        saved = var[idx[reps[0]]]
    new = np.take(var, idx, axis=0)
    fn(new, rows, out=new)
    var[idx] = new
    if reps is not None:
        var[idx[reps[0]]] = saved
        for part in reps:
            at = idx[part]
            var[at] = fn(var[at], rows[part])


_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))


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
            rows = np.asarray(updates, var.dtype)
            if rows.shape != (idx.size,) + shape[1:]:
                rows = np.broadcast_to(rows, (idx.size,) + shape[1:])
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


Unique = collections.namedtuple("Unique", "y idx")


def unique(x, out_idx=dtypes.int32, name=None):
    """The distinct values of the 1-D `x` in order of appearance (.y), and for each element its value's index
    (.idx): TF's named pair."""
    return Unique(*apply_op("Unique", [x], {"out_idx": dtypes.as_dtype(out_idx)}, name=name))


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

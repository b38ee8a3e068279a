"""Slices of a tensor updated at N-D indices: `ScatterNdUpdate`, `ScatterNdAdd`, `ScatterNdSub` write a
variable in place (like ops/scatter.py's row updates), `TensorScatterUpdate/Add/Sub/Max/Min` make an updated
copy (with TF's gradients), and the composed `batch_scatter_update`."""
import contextlib

import numpy as np

from ..convert import convert_to_tensor
from ..default_graph import name_scope
from ..errors import InvalidArgumentError
from .array import expand_dims, reshape, shape
from .filling import ones_like, zeros_like
from .filling import range as range_
from .joining import concat
from .math import cast, equal
from .registry import NOT_DIFFERENTIABLE, NUMBERS, REALS, apply_op, op
from .scatter import in_order, writable
from .shape_fns import dims, merge_dims
from .slicing import gather_nd, scatter_nd
from .state import locked

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
        if i[-1] > len(r):  # (TF's shape function lets this pass: the kernel fails)
            return ref.dtype, ref.shape
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
    with name_scope(name) if name else contextlib.nullcontext():  # (TF names no scope of its own)
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

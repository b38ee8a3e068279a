"""Set operations over the last dimension (`tf.sets` on dense inputs): `DenseToDenseSetOperation`, whose
result is a sparse tensor (indices, values, dense shape), and `SetSize`, which counts a sparse set per row.

A result is returned as `SparseSet`, a plain (indices, values, dense_shape) triple of tensors.
"""
from collections import namedtuple

import numpy as np

from .. import dtypes
from ..convert import convert_to_tensor
from ..default_graph import name_scope
from ..errors import InvalidArgumentError
from ..shape import TensorShape, unknown_shape
from .registry import NOT_DIFFERENTIABLE, apply_op, op
from .shape_fns import dims, merge_dims

SparseSet = namedtuple("SparseSet", "indices values dense_shape")
_SET_T = "int8 int16 int32 int64 uint8 uint16 string"
_OPERATIONS = {"a-b": lambda x, y: x - y, "b-a": lambda x, y: y - x, "intersection": lambda x, y: x & y,
               "union": lambda x, y: x | y}


def _set_operation_kernel(a, x, y):
    if a["set_operation"] not in _OPERATIONS:
        raise InvalidArgumentError(None, None, f"Invalid set_operation {a['set_operation']}.")
    if x.shape[:-1] != y.shape[:-1]:
        raise InvalidArgumentError(None, None, f"Shapes {list(x.shape)} and {list(y.shape)} do not match in all "
                                   "but the last dimension")
    lead = x.shape[:-1]
    fn = _OPERATIONS[a["set_operation"]]
    rows = [sorted(fn(set(xr.tolist()), set(yr.tolist())))
            for xr, yr in zip(x.reshape(-1, x.shape[-1]), y.reshape(-1, y.shape[-1]))]
    indices, values = [], []
    for flat, row in enumerate(rows):
        where = list(np.unravel_index(flat, lead)) if lead else []
        for j, v in enumerate(row):
            indices.append([int(w) for w in where] + [j])
            values.append(v)
    width = max((len(r) for r in rows), default=0)
    return (np.asarray(indices, np.int64).reshape(-1, len(lead) + 1), np.asarray(values, x.dtype),
            np.asarray(lead + (width,), np.int64))


def _set_operation_shape(inputs, a):
    x = inputs[0]
    d = dims(x)
    if d is not None and len(d) < 2:
        raise ValueError(f"Shape must be at least rank 2 but is rank {len(d)}")
    if len(inputs) == 2:  # dense-dense: all but the last dimension agree
        e = dims(inputs[1])
        if e is not None and len(e) < 2:
            raise ValueError(f"Shape must be at least rank 2 but is rank {len(e)}")
        if d is not None and e is not None:
            merge_dims(d[:-1], e[:-1])
        d = d if d is not None else e
    n = None if d is None else len(d)
    return [(dtypes.int64, TensorShape._raw((None, n))), (x.dtype.base_dtype, TensorShape._raw((None,))),
            (dtypes.int64, TensorShape._raw((n,)))]


def _set_size_kernel(a, indices, values, shape_):
    out = np.zeros(tuple(int(v) for v in shape_[:-1]), np.int32)
    if len(indices):
        np.add.at(out, tuple(indices[:, :-1].T), 1)
    return out


op("DenseToDenseSetOperation", "set1:T, set2:T", kernel=_set_operation_kernel, shape=_set_operation_shape,
   grad=NOT_DIFFERENTIABLE, T=_SET_T)
op("SetSize", "set_indices:int64, set_values:T, set_shape:int64", kernel=_set_size_kernel, grad=NOT_DIFFERENTIABLE,
   shape=lambda i, a: (dtypes.int32, unknown_shape()), T=_SET_T)


_VALID = tuple(dtypes.as_dtype(n) for n in _SET_T.split())


def _is_sparse(x):
    return isinstance(x, SparseSet) or type(x).__name__ in ("SparseTensor", "SparseTensorValue")


def _as_set(x, name):
    """A Tensor, or a SparseSet of three tensors for a sparse input (SparseSet, SparseTensor or its value)."""
    if not _is_sparse(x):
        return convert_to_tensor(x, name=name)
    if type(x).__name__ == "SparseTensor":
        return SparseSet(x.indices, x.values, x.dense_shape)
    with name_scope(name):
        return SparseSet(convert_to_tensor(x.indices, dtypes.int64, name="indices"), convert_to_tensor(x.values,
                         name="values"), convert_to_tensor(x.dense_shape, dtypes.int64, name="dense_shape"))


def _dtype(x):
    return (x.values if isinstance(x, SparseSet) else x).dtype.base_dtype


def _set_operation(a, b, set_operation, validate_indices=True, flip=None):
    """TF's set op over dense or sparse `a` and `b`: a sparse `a` with a dense `b` swaps them (and `flip`s a
    difference), since the ops take dense-dense, dense-sparse and sparse-sparse."""
    a = _as_set(a, "a")
    if _dtype(a) not in _VALID:
        raise TypeError(f"'a' has invalid dtype `{_dtype(a).name}` not in supported dtypes: "
                        f"`{', '.join(d.name for d in _VALID)}`.")
    b = _as_set(b, "b")
    if _dtype(b) != _dtype(a):
        raise TypeError(f"Types don't match, {_dtype(a).name} vs {_dtype(b).name}.")
    if isinstance(a, SparseSet) and not isinstance(b, SparseSet):
        a, b = b, a
        set_operation = flip or set_operation
    attrs = {"set_operation": set_operation, "validate_indices": validate_indices}
    if isinstance(a, SparseSet):
        return SparseSet(*apply_op("SparseToSparseSetOperation", list(a) + list(b), attrs))
    if isinstance(b, SparseSet):
        return SparseSet(*apply_op("DenseToSparseSetOperation", [a] + list(b), attrs))
    return SparseSet(*apply_op("DenseToDenseSetOperation", [a, b], attrs))


def set_intersection(a, b, validate_indices=True):
    """The per-row intersection of the last dimensions of `a` and `b` (dense or sparse), as a SparseSet."""
    return _set_operation(a, b, "intersection", validate_indices)


def set_union(a, b, validate_indices=True):
    """The per-row union of the last dimensions of `a` and `b` (dense or sparse), as a SparseSet."""
    return _set_operation(a, b, "union", validate_indices)


def set_difference(a, b, aminusb=True, validate_indices=True):
    """The per-row difference `a - b` (or `b - a`) of the last dimensions, as a SparseSet."""
    return _set_operation(a, b, "a-b" if aminusb else "b-a", validate_indices, flip="b-a" if aminusb else "a-b")


def set_size(a, validate_indices=True):
    """The number of elements of each row of the sparse set `a`."""
    if not _is_sparse(a):
        raise TypeError(f"Expected `SparseTensor`, got {a}.")
    a = _as_set(a, "a")
    if _dtype(a) not in _VALID:
        raise TypeError(f"Invalid dtype `{_dtype(a).name}` not in supported dtypes: "
                        f"`{', '.join(d.name for d in _VALID)}`.")
    return apply_op("SetSize", list(a), {"validate_indices": validate_indices})


def _sparse_rows(indices, values, shape_):
    """Row position (all dims but the last) -> the set of that row's values."""
    rows = {}
    for idx, v in zip(np.asarray(indices).tolist(), np.asarray(values).tolist()):
        rows.setdefault(tuple(idx[:-1]), set()).add(v)
    return rows


def _sparse_set_operation_kernel(a, i1, v1, s1, i2, v2, s2):
    if a["set_operation"] not in _OPERATIONS:
        raise InvalidArgumentError(None, None, f"Invalid set_operation {a['set_operation']}.")
    if list(s1[:-1]) != list(s2[:-1]):
        raise InvalidArgumentError(None, None, f"Shapes {list(s1)} and {list(s2)} do not match in all but the last "
                                   "dimension")
    fn = _OPERATIONS[a["set_operation"]]
    r1, r2 = _sparse_rows(i1, v1, s1), _sparse_rows(i2, v2, s2)
    indices, values, width = [], [], 0
    for row in sorted(set(r1) | set(r2)):
        result = sorted(fn(r1.get(row, set()), r2.get(row, set())))
        width = max(width, len(result))
        indices += [list(row) + [j] for j in range(len(result))]
        values += result
    return (np.asarray(indices, np.int64).reshape(-1, len(s1)), np.asarray(values, v1.dtype),
            np.asarray(list(s1[:-1]) + [width], np.int64))


def _sparse_set_operation_shape(inputs, a):
    n = dims(inputs[2])
    n = None if n is None else n[0]
    return [(dtypes.int64, TensorShape._raw((None, n))), (inputs[1].dtype.base_dtype, TensorShape._raw((None,))),
            (dtypes.int64, TensorShape._raw((n,)))]


op("SparseToSparseSetOperation", "set1_indices:int64, set1_values:T, set1_shape:int64, set2_indices:int64, "
   "set2_values:T, set2_shape:int64", kernel=_sparse_set_operation_kernel, shape=_sparse_set_operation_shape,
   grad=NOT_DIFFERENTIABLE, T=_SET_T)


def sparse_set_operation(a, b, set_operation, validate_indices=True):
    """The per-row `set_operation` of two SparseSets, as a SparseSet."""
    out = apply_op("SparseToSparseSetOperation", list(a) + list(b),
                   {"set_operation": set_operation, "validate_indices": validate_indices})
    return SparseSet(*out)


def _dense_to_sparse_kernel(a, x, i2, v2, s2):
    """A dense `set1` as the sparse set of all its entries, then the sparse-sparse operation."""
    lead = x.shape[:-1]
    i1 = np.asarray([list(where) + [j] for where in np.ndindex(lead) for j in range(x.shape[-1])], np.int64)
    return _sparse_set_operation_kernel(a, i1.reshape(-1, x.ndim), x.reshape(-1), np.asarray(x.shape, np.int64),
                                        i2, v2, s2)


op("DenseToSparseSetOperation", "set1:T, set2_indices:int64, set2_values:T, set2_shape:int64",
   kernel=_dense_to_sparse_kernel, shape=_set_operation_shape, grad=NOT_DIFFERENTIABLE, T=_SET_T)

"""Set operations over the last dimension (`tf.sets` on dense inputs): `DenseToDenseSetOperation`, whose
result is a sparse tensor (indices, values, dense shape), and `SetSize`, which counts a sparse set per row.

A result is returned as `SparseSet`, a plain (indices, values, dense_shape) triple of tensors.
"""
from collections import namedtuple

import numpy as np

from .. import dtypes
from ..convert import convert_to_tensor
from ..errors import InvalidArgumentError
from ..shape import TensorShape, unknown_shape
from .registry import NOT_DIFFERENTIABLE, apply_op, op
from .shape_fns import dims

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


def _dense_set_operation(a, b, set_operation, validate_indices=True):
    a = convert_to_tensor(a, name="a")
    b = convert_to_tensor(b, name="b")
    if b.dtype.base_dtype != a.dtype.base_dtype:
        raise TypeError(f"Types don't match, {a.dtype} vs {b.dtype}.")
    out = apply_op("DenseToDenseSetOperation", [a, b],
                   {"set_operation": set_operation, "validate_indices": validate_indices})
    return SparseSet(*out)


def set_intersection(a, b, validate_indices=True):
    """The per-row intersection of the last dimensions of `a` and `b`, as a SparseSet."""
    return _dense_set_operation(a, b, "intersection", validate_indices)


def set_difference(a, b, aminusb=True, validate_indices=True):
    """The per-row difference `a - b` (or `b - a`) of the last dimensions, as a SparseSet."""
    return _dense_set_operation(a, b, "a-b" if aminusb else "b-a", validate_indices)


def set_size(a, validate_indices=True):
    """The number of elements of each row of the SparseSet `a`."""
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

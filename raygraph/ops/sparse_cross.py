"""`tf.sparse.cross` (op SparseCrossV2) and `cross_hashed` (op SparseCross): per row, every combination of one
feature from each input, joined by a separator or hashed. SparseTensors come first, then dense inputs (as TF
orders them); the first input varies slowest; ints are written in decimal; a row with no feature in some
input has no crosses. A hashed cross chains TF's FingerprintCat64 from `hash_key` over each feature's hash
(farmhash Fingerprint64 of a string, the int itself), modulo `num_buckets` (or int64's maximum)."""
import itertools

import numpy as np

from .. import dtypes
from ..convert import convert_to_tensor
from ..errors import InvalidArgumentError
from ..shape import TensorShape
from ..tensor import Tensor
from .math import cast
from .fingerprints import fingerprint64
from .registry import NOT_DIFFERENTIABLE, apply_op, op
from .shape_fns import with_rank
from .sparse_tensor import SparseTensor


def _text(v):
    return v if isinstance(v, bytes) else str(v).encode() if not isinstance(v, str) else v.encode()


def _rows(a, parts, feature):
    """Per input (sparse ones first), per row, its features as `feature(value)` makes them; the batch size."""
    n, n_dense = a["N"], len(a["dense_types"])
    indices, values, shapes = parts[:n], parts[n:2 * n], parts[2 * n:3 * n]
    dense = parts[3 * n:3 * n + n_dense]
    for d in dense:
        if np.ndim(d) != 2:
            raise InvalidArgumentError(None, None, f"Dense inputs should be a matrix but received shape "
                                                   f"{list(np.shape(d))}")
    sizes = {int(s[0]) for s in shapes} | {np.shape(d)[0] for d in dense}
    if len(sizes) > 1:
        raise InvalidArgumentError(None, None, f"Expected batch size {sorted(sizes)[0]} got {sorted(sizes)[1]}")
    batch = sizes.pop() if sizes else 0
    rows = []
    for i, v in zip(indices, values):
        per = [[] for _ in range(batch)]
        for (r, *_), x in zip(np.asarray(i).reshape(-1, 2), np.asarray(v).ravel()):
            per[r].append(feature(x))
        rows.append(per)
    for d in dense:
        rows.append([[feature(x) for x in row] for row in np.asarray(d)])
    return rows, batch


def _crossed(rows, batch, combine, dtype):
    out_idx, out_val, width = [], [], 0
    for r in range(batch):
        crosses = [combine(c) for c in itertools.product(*(feature[r] for feature in rows))] if rows else []
        out_idx += [[r, k] for k in range(len(crosses))]
        out_val += crosses
        width = max(width, len(crosses))
    values = np.array(out_val + [None], object)[:-1] if dtype is object else np.array(out_val, dtype)
    return np.array(out_idx, np.int64).reshape(-1, 2), values, np.array([batch, width], np.int64)


def _cross_kernel(a, *parts):
    sep = _text(np.asarray(parts[-1]).item())
    rows, batch = _rows(a, parts[:-1], _text)
    return _crossed(rows, batch, sep.join, object)


_MASK, _MUL = (1 << 64) - 1, 0xC6A4A7935BD1E995


def _shift_mix(v):
    return v ^ (v >> 47)


def _fingerprint_cat64(fp1, fp2):
    """TF's FingerprintCat64: two 64-bit fingerprints combined (order matters)."""
    out = fp1 ^ _MUL
    out ^= (_shift_mix((fp2 * _MUL) & _MASK) * _MUL) & _MASK
    out = (out * _MUL) & _MASK
    out = (_shift_mix(out) * _MUL) & _MASK
    return _shift_mix(out)


def _hash_feature(x):
    return fingerprint64(_text(x)) if isinstance(x, (bytes, str)) else int(x) & _MASK


def _sparse_cross_kernel(a, *parts):
    if not a["hashed_output"]:
        rows, batch = _rows(a, parts, _text)
        return _crossed(rows, batch, b"_X_".join, object)
    rows, batch = _rows(a, parts, _hash_feature)
    modulo = a["num_buckets"] if a["num_buckets"] > 0 else (1 << 63) - 1

    def combine(features):
        out = a["hash_key"] & _MASK
        for f in features:
            out = _fingerprint_cat64(out, f)
        return out % modulo
    return _crossed(rows, batch, combine, np.int64)


def _cross_shape(inputs, a):
    if "out_type" in a:  # SparseCross: its values are out_type
        return [(dtypes.int64, TensorShape._raw((None, 2))), (a["out_type"], TensorShape._raw((None,))),
                (dtypes.int64, TensorShape._raw((2,)))]
    with_rank(inputs[-1], 0)
    return [(dtypes.int64, TensorShape._raw((None, 2))), (dtypes.string, TensorShape._raw((None,))),
            (dtypes.int64, TensorShape._raw((2,)))]


op("SparseCrossV2", "indices:*int64, values:+sparse_types, shapes:*int64, dense_inputs:+dense_types, sep:string",
   kernel=_cross_kernel, shape=_cross_shape, grad=NOT_DIFFERENTIABLE)
op("SparseCross", "indices:*int64, values:+sparse_types, shapes:*int64, dense_inputs:+dense_types",
   kernel=_sparse_cross_kernel, shape=_cross_shape, grad=NOT_DIFFERENTIABLE)


def _split_inputs(inputs):
    if not isinstance(inputs, (tuple, list)):
        raise TypeError("Inputs must be a list")
    if not all(isinstance(i, (SparseTensor, Tensor)) for i in inputs):
        raise TypeError("All inputs must be Tensor or SparseTensor.")
    sparse = [i for i in inputs if isinstance(i, SparseTensor)]
    dense = [i for i in inputs if not isinstance(i, SparseTensor)]
    values = [s.values if s.values.dtype == dtypes.string else cast(s.values, dtypes.int64) for s in sparse]
    dense = [d if d.dtype == dtypes.string else cast(d, dtypes.int64) for d in dense]
    return sparse, values, dense


def cross_hashed(inputs, num_buckets=0, hash_key=None, name=None):
    """The crosses of `inputs`, each hashed to an int64 (in [0, num_buckets) when num_buckets > 0)."""
    sparse, values, dense = _split_inputs(inputs)
    internal = dtypes.int64 if any(t.dtype != dtypes.string for t in values + dense) else dtypes.string
    attrs = {"N": len(sparse), "hashed_output": True, "num_buckets": int(num_buckets),
             "hash_key": int(hash_key or 0xDECAFCAFFE), "out_type": dtypes.int64, "internal_type": internal}
    indices, values_out, shape_out = apply_op(
        "SparseCross", [[s.indices for s in sparse], values, [s.dense_shape for s in sparse], dense], attrs,
        name=name)
    return SparseTensor(indices, values_out, shape_out)


def cross(inputs, name=None, separator=None):
    """The crosses of `inputs` (SparseTensors and 2-D dense tensors of strings or ints) as a string SparseTensor."""
    separator = convert_to_tensor("_X_" if separator is None else separator, dtypes.string)
    sparse, values, dense = _split_inputs(inputs)
    indices, values_out, shape_out = apply_op(
        "SparseCrossV2", [[s.indices for s in sparse], values, [s.dense_shape for s in sparse], dense, separator],
        {"N": len(sparse)}, name=name)
    return SparseTensor(indices, values_out, shape_out)

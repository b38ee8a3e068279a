"""`tf.sparse.cross` (op SparseCrossV2): per row, every combination of one feature from each input, joined by
a separator. SparseTensors come first, then dense inputs (as TF orders them); the first input varies
slowest; ints are written in decimal; a row with no feature in some input has no crosses."""
import itertools

import numpy as np

from .. import dtypes
from ..convert import convert_to_tensor
from ..errors import InvalidArgumentError
from ..shape import TensorShape
from ..tensor import Tensor
from .math import cast
from .registry import NOT_DIFFERENTIABLE, apply_op, op
from .shape_fns import with_rank
from .sparse_tensor import SparseTensor


def _text(v):
    return v if isinstance(v, bytes) else str(v).encode() if not isinstance(v, str) else v.encode()


def _cross_kernel(a, *parts):
    n, n_dense = a["N"], len(a["dense_types"])
    indices, values, shapes = parts[:n], parts[n:2 * n], parts[2 * n:3 * n]
    dense, sep = parts[3 * n:3 * n + n_dense], _text(np.asarray(parts[-1]).item())
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
            per[r].append(_text(x))
        rows.append(per)
    for d in dense:
        rows.append([[_text(x) for x in row] for row in np.asarray(d)])
    out_idx, out_val, width = [], [], 0
    for r in range(batch):
        crosses = [sep.join(c) for c in itertools.product(*(feature[r] for feature in rows))] if rows else []
        out_idx += [[r, k] for k in range(len(crosses))]
        out_val += crosses
        width = max(width, len(crosses))
    return (np.array(out_idx, np.int64).reshape(-1, 2), np.array(out_val + [None], object)[:-1],
            np.array([batch, width], np.int64))


def _cross_shape(inputs, a):
    with_rank(inputs[-1], 0)
    return [(dtypes.int64, TensorShape._raw((None, 2))), (dtypes.string, TensorShape._raw((None,))),
            (dtypes.int64, TensorShape._raw((2,)))]


op("SparseCrossV2", "indices:*int64, values:+sparse_types, shapes:*int64, dense_inputs:+dense_types, sep:string",
   kernel=_cross_kernel, shape=_cross_shape, grad=NOT_DIFFERENTIABLE)


def cross(inputs, name=None, separator=None):
    """The crosses of `inputs` (SparseTensors and 2-D dense tensors of strings or ints) as a string SparseTensor."""
    separator = convert_to_tensor("_X_" if separator is None else separator, dtypes.string)
    if not isinstance(inputs, (tuple, list)):
        raise TypeError("Inputs must be a list")
    if not all(isinstance(i, (SparseTensor, Tensor)) for i in inputs):
        raise TypeError("All inputs must be Tensor or SparseTensor.")
    sparse = [i for i in inputs if isinstance(i, SparseTensor)]
    dense = [i for i in inputs if not isinstance(i, SparseTensor)]
    values = [s.values if s.values.dtype == dtypes.string else cast(s.values, dtypes.int64) for s in sparse]
    dense = [d if d.dtype == dtypes.string else cast(d, dtypes.int64) for d in dense]
    indices, values_out, shape_out = apply_op(
        "SparseCrossV2", [[s.indices for s in sparse], values, [s.dense_shape for s in sparse], dense, separator],
        {"N": len(sparse)}, name=name)
    return SparseTensor(indices, values_out, shape_out)

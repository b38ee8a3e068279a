"""`EditDistance` (`tf.edit_distance`): the Levenshtein distance between the sequences of two SparseTensors,
per position of their leading dims (the last dim orders each sequence), optionally divided by the truth's
length."""
import numpy as np

from .. import dtypes
from ..errors import InvalidArgumentError
from ..shape import TensorShape
from .registry import NOT_DIFFERENTIABLE, apply_op, op
from .shape_fns import constant_value
from .sparse_tensor import SparseTensor, SparseTensorValue

_raw = TensorShape._raw


def levenshtein(a, b):
    """Insertions, deletions and substitutions turning sequence `a` into `b`."""
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (x != y))
    return row[-1]


def _sequences(indices, values, shape_, label):
    """Leading index -> the values in order of the last index."""
    if indices.ndim != 2 or values.ndim != 1 or indices.shape[0] != values.shape[0] or \
            indices.shape[1] != shape_.shape[0]:
        raise InvalidArgumentError(None, None, f"{label} indices, values and shape do not describe a SparseTensor")
    groups = {}
    for row, v in zip(indices.tolist(), values.tolist()):
        groups.setdefault(tuple(row[:-1]), []).append((row[-1], v))
    return {k: [v for _, v in sorted(items)] for k, items in groups.items()}


def _kernel(a, hi, hv, hs, ti, tv, ts):
    if hs.shape != ts.shape:
        raise InvalidArgumentError(None, None, f"hypothesis_shape and truth_shape must have the same rank: "
                                   f"{list(hs)} vs. {list(ts)}")
    out_shape = tuple(int(max(h, t)) for h, t in zip(hs[:-1], ts[:-1]))
    hyp, truth = _sequences(hi, hv, hs, "hypothesis"), _sequences(ti, tv, ts, "truth")
    out = np.zeros(out_shape, np.float32)
    with np.errstate(divide="ignore", invalid="ignore"):
        for key in set(hyp) | set(truth):
            h, t = hyp.get(key, []), truth.get(key, [])
            d = np.float32(levenshtein(h, t))
            out[key] = d / np.float32(len(t)) if a["normalize"] else d
    return out


def _shape(inputs, a):
    hs, ts = inputs[2], inputs[5]
    known = [constant_value(hs), constant_value(ts)]
    if all(v is not None for v in known):
        if known[0].shape != known[1].shape:
            raise ValueError(f"hypothesis_shape and truth_shape must have the same rank: {list(known[0])} vs. "
                             f"{list(known[1])}")
        return dtypes.float32, _raw(tuple(int(max(h, t)) for h, t in zip(known[0][:-1], known[1][:-1])))
    return dtypes.float32, TensorShape(None)  # (TF too, unless both shapes are known while building)


op("EditDistance", "hypothesis_indices:int64, hypothesis_values:T, hypothesis_shape:int64, truth_indices:int64, "
   "truth_values:T, truth_shape:int64", kernel=_kernel, shape=_shape, grad=NOT_DIFFERENTIABLE)


def edit_distance(hypothesis, truth, normalize=True, name="edit_distance"):
    """Levenshtein distances between the sequences of two SparseTensors (divided by the truth's lengths when
    `normalize`: an empty truth gives inf, or 0 against an empty hypothesis)."""
    if not isinstance(hypothesis, (SparseTensor, SparseTensorValue)):
        raise TypeError("Hypothesis must be a SparseTensor.")
    if not isinstance(truth, (SparseTensor, SparseTensorValue)):
        raise TypeError("Truth must be a SparseTensor.")
    return apply_op("EditDistance", [hypothesis.indices, hypothesis.values, hypothesis.dense_shape, truth.indices,
                                     truth.values, truth.dense_shape], {"normalize": bool(normalize)}, name=name)

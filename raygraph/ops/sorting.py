"""Sorting (`tf.sort`, `tf.argsort`: TopKV2 over the whole axis, as TF builds them), binary search
(`tf.searchsorted`: ops LowerBound and UpperBound) and `tf.approx_top_k` (op ApproxTopK)."""

import numpy as np

from .. import dtypes
from ..convert import constant, convert_to_tensor
from ..default_graph import name_scope
from ..errors import InvalidArgumentError
from ..shape import TensorShape
from .array import rank, reshape, shape, transpose
from .ranking import ApproxTopK, top_k
from .registry import NO_GRADIENT_DEFINED, apply_op, op
from .shape_fns import constant_value, dims

_raw = TensorShape._raw


# ----- sort, argsort ------------------------------------------------------------------------------------------
def _descending(values, axis, indices):
    """TopKV2 with k = the axis' length, over `axis` moved last (and back)."""
    n = len(dims(values)) if dims(values) is not None else None
    swap = None
    if not (axis == -1 or (n is not None and axis + 1 == n)):
        if n is None:
            raise ValueError("tf.sort over an axis other than the last needs an input of known rank")
        axis %= n
        swap = constant(np.r_[np.arange(axis), [n - 1], np.arange(axis + 1, n - 1), [axis]].astype(np.int32),
                        name="transposition")
        values = transpose(values, swap)
    k = shape(values)[-1]
    rank(values)  # (TF's graph has it)
    out = top_k(values, k)[1 if indices else 0]
    return out if swap is None else transpose(out, swap)


def _sort(values, axis, direction, indices):
    if direction not in ("ASCENDING", "DESCENDING"):
        raise ValueError(f"{direction} should be one of ASCENDING, DESCENDING")
    axis = convert_to_tensor(axis, name="axis")
    static = constant_value(axis)
    if dims(axis) not in (None, ()) or static is None:
        raise ValueError("axis must be a constant scalar")
    axis = int(static)
    values = convert_to_tensor(values, name="values")
    if direction == "DESCENDING":
        return _descending(values, axis, indices)
    # ascending: the descending order of an order-reversing map of the values (exact for every dtype)
    dtype = values.dtype.base_dtype
    if dtype.is_unsigned:
        top = convert_to_tensor(np.iinfo(dtype.as_numpy_dtype).max, dtype)
        out = _descending(top - values, axis, indices)
        return out if indices else top - out
    if dtype.is_integer:
        out = _descending(-values - 1, axis, indices)
        return out if indices else -out - 1
    out = _descending(-values, axis, indices)
    return out if indices else -out


def sort(values, axis=-1, direction="ASCENDING", name=None):
    """`values` sorted along `axis` ("ASCENDING" or "DESCENDING")."""
    with name_scope(name, "sort"):
        return _sort(values, axis, direction, False)


def argsort(values, axis=-1, direction="ASCENDING", stable=False, name=None):
    """The indices that sort `values` along `axis` (int32); equal values keep their order."""
    with name_scope(name, "argsort"):
        return _sort(values, axis, direction, True)


# ----- LowerBound, UpperBound ---------------------------------------------------------------------------------
def _bound_kernel(side):
    def kernel(a, sorted_inputs, values):
        if np.ndim(sorted_inputs) < 1 or np.ndim(values) < 1:
            raise InvalidArgumentError(None, None, "inputs must be at least 1-D")
        if sorted_inputs.shape[0] != values.shape[0]:
            raise InvalidArgumentError(None, None, "Leading dim_size of both tensors must match.")
        rows_s = sorted_inputs.reshape(sorted_inputs.shape[0], -1)
        rows_v = values.reshape(values.shape[0], -1)
        out = np.stack([np.searchsorted(s, v, side=side) for s, v in zip(rows_s, rows_v)]) if len(rows_s) else \
            np.zeros(rows_v.shape, np.int64)
        return out.reshape(values.shape).astype(a["out_type"].as_numpy_dtype)
    return kernel


def _bound_shape(inputs, a):
    for t in inputs:
        d = dims(t)
        if d is not None and len(d) < 1:
            raise ValueError(f"Shape must be at least rank 1 but is rank {len(d)}")
    return a["out_type"], inputs[1].shape


for _type, _side in (("LowerBound", "left"), ("UpperBound", "right")):
    op(_type, "sorted_inputs:T, values:T", kernel=_bound_kernel(_side), shape=_bound_shape, out_type="int32 int64",
       grad=NO_GRADIENT_DEFINED)


def searchsorted(sorted_sequence, values, side="left", out_type=dtypes.int32, name=None):
    """For each value, where it would go in its row of `sorted_sequence` (`side`: "left" or "right")."""
    sorted_sequence = convert_to_tensor(sorted_sequence)
    values = convert_to_tensor(values)
    n, m = shape(sorted_sequence)[-1], shape(values)[-1]
    seq_2d = reshape(sorted_sequence, [-1, n])
    values_2d = reshape(values, [-1, m])
    if side not in ("left", "right"):
        raise ValueError(f"Argument `side` must be either 'right' or 'left'. Received: `side` = '{side}'.")
    out = apply_op("UpperBound" if side == "right" else "LowerBound", [seq_2d, values_2d],
                   {"out_type": dtypes.as_dtype(out_type)}, name=name)
    return reshape(out, shape(values))


# ----- ApproxTopK ---------------------------------------------------------------------------------------------
_APPROX_ATTRS = ("k", "reduction_dimension", "recall_target", "is_max_k", "reduction_input_size_override",
                 "aggregate_to_topk")


def approx_top_k(input, k, reduction_dimension=-1, recall_target=0.95, is_max_k=True,
                 reduction_input_size_override=-1, aggregate_to_topk=True, name=None):
    """The `k` largest values along `reduction_dimension` and their int32 indices (op ApproxTopK; exact here, and
    like TF's CPU kernels only for the maximum over dimension -1)."""
    attrs = {"k": int(k), "reduction_dimension": int(reduction_dimension), "recall_target": float(recall_target),
             "is_max_k": bool(is_max_k), "reduction_input_size_override": int(reduction_input_size_override),
             "aggregate_to_topk": bool(aggregate_to_topk)}
    return ApproxTopK(*apply_op("ApproxTopK", [input], attrs, name=name))

"""Sorting (`tf.sort`, `tf.argsort`: TopKV2 over the whole axis, as TF builds them), binary search
(`tf.searchsorted`: ops LowerBound and UpperBound) and `tf.approx_top_k` (op ApproxTopK)."""
import collections

import numpy as np

from .. import dtypes
from ..convert import constant, convert_to_tensor
from ..default_graph import name_scope
from ..errors import InvalidArgumentError
from ..shape import TensorShape
from .array import broadcast_to, rank, reshape, shape, transpose
from .filling import range as range_
from .joining import concat
from .ranking import top_k
from .registry import NO_GRADIENT_DEFINED, apply_op, op
from .shape_fns import _dt_name, constant_value, dims
from .slicing import scatter_nd

_raw = TensorShape._raw
ApproxTopK = collections.namedtuple("ApproxTopK", "values indices")


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


def _approx_top_k_kernel(a, x):
    # TF's CPU kernels exist only for the maximum over the last dim, named -1 (its other kernels are XLA's)
    if a["reduction_dimension"] != -1 or not a["is_max_k"]:
        listed = ", ".join(f"{k}={str(a[k]).lower() if isinstance(a[k], bool) else a[k]}" for k in _APPROX_ATTRS)
        raise InvalidArgumentError(None, None, f"No OpKernel was registered to support Op 'ApproxTopK' with these "
                                   f"attrs: [{listed}, T={_dt_name(a['T'])}]")
    if np.ndim(x) < 1:
        raise InvalidArgumentError(None, None, "input must be at least 1-D")
    k = a["k"]
    order = np.argsort(-x.astype(np.float64), axis=-1, kind="stable")[..., :k]
    return np.take_along_axis(x, order, -1), order.astype(np.int32)


def _approx_top_k_shape(inputs, a):
    x = inputs[0]
    d = dims(x)
    if d is None:
        return [(x.dtype.base_dtype, TensorShape(None)), (dtypes.int32, TensorShape(None))]
    if not -len(d) <= a["reduction_dimension"] < len(d):
        raise ValueError(f"Invalid reduction dimension {a['reduction_dimension']} for rank {len(d)}")
    axis = a["reduction_dimension"] % len(d)
    if d[axis] is not None and d[axis] < a["k"]:
        raise ValueError(f"Reduction dimension {axis} has size {d[axis]}, smaller than k = {a['k']}")
    out = _raw(d[:axis] + ((a["k"] if a["aggregate_to_topk"] else None),) + d[axis + 1:])
    return [(x.dtype.base_dtype, out), (dtypes.int32, out)]


def _approx_top_k_grad(op, g, _):
    """The values' gradient scattered back to where they came from (TF's rule; it needs static shapes)."""
    idx = op.outputs[1]
    shape_ = idx.shape.as_list()
    rank, n = len(shape_), int(np.prod(shape_))
    axis = op._attrs["reduction_dimension"] % rank
    parts = []
    for d in range(rank):
        if d == axis:
            parts.append(reshape(idx, shape_ + [1]))
        else:
            steps = reshape(range_(shape_[d]), [1] * d + [shape_[d]] + [1] * (rank - d))
            parts.append(broadcast_to(steps, shape_ + [1]))
    where = reshape(concat(parts, rank), [n, rank])
    return [scatter_nd(where, reshape(g, [n]), op.inputs[0].shape.as_list())]


op("ApproxTopK", "input:T", kernel=_approx_top_k_kernel, shape=_approx_top_k_shape, grad=_approx_top_k_grad,
   T="float16 bfloat16 float32")


def approx_top_k(input, k, reduction_dimension=-1, recall_target=0.95, is_max_k=True,
                 reduction_input_size_override=-1, aggregate_to_topk=True, name=None):
    """The `k` largest values along `reduction_dimension` and their int32 indices (op ApproxTopK; exact here, and
    like TF's CPU kernels only for the maximum over dimension -1)."""
    attrs = {"k": int(k), "reduction_dimension": int(reduction_dimension), "recall_target": float(recall_target),
             "is_max_k": bool(is_max_k), "reduction_input_size_override": int(reduction_input_size_override),
             "aggregate_to_topk": bool(aggregate_to_topk)}
    return ApproxTopK(*apply_op("ApproxTopK", [input], attrs, name=name))

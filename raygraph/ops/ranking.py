"""Ranking (`tf.nn.top_k`, `tf.nn.in_top_k`, `tf.math.approx_max_k`): TopKV2, InTopKV2 and ApproxTopK."""
import collections

import numpy as np

from .. import dtypes
from ..default_graph import name_scope
from ..errors import InvalidArgumentError
from ..shape import TensorShape
from .array import broadcast_to, expand_dims, reshape, shape
from .filling import range as range_, zeros
from .joining import concat
from .reduction import reduce_sum
from .registry import NOT_DIFFERENTIABLE, REALS, apply_op, op
from .shape_fns import constant_value, with_rank

_raw = TensorShape._raw


def _error(message):
    return InvalidArgumentError(None, None, message)


def _top_k_kernel(a, x, k):
    k = int(k)
    if np.ndim(x) < 1:
        raise _error(f"input must be >= 1-D, got shape {list(np.shape(x))}")
    if k < 0:
        raise _error(f"Need k >= 0, got {k}")
    if x.shape[-1] < k:
        raise _error(f"input must have at least k columns. Had {x.shape[-1]}, needed {k}")
    # Largest first; equal values keep their order (the lower index first), as TF's kernel does.
    order = np.argsort(-x if x.dtype.kind != "u" else ~x, axis=-1, kind="stable")[..., :k]
    return [np.take_along_axis(x, order, -1), order.astype(a["index_type"].as_numpy_dtype)]


def _top_k_shape(inputs, a):
    x, k = inputs
    with_rank(k, 0)
    d = x.shape._dims
    if d is not None and len(d) < 1:
        raise ValueError(f"Shape must be at least rank 1 but is rank {len(d)}")
    value = constant_value(k)
    kk = None if value is None else int(value)
    if kk is not None and kk < 0:
        raise ValueError(f"Dimension size, given by scalar input 1, must be non-negative but is {kk}")
    if d is not None and kk is not None and d[-1] is not None and d[-1] < kk:
        raise ValueError(f"input must have last dimension >= k = {kk} but is {d[-1]}")
    out = None if d is None else _raw(d[:-1] + (kk,))
    if out is None:
        out = TensorShape(None)
    return [(x.dtype.base_dtype, out), (a["index_type"], out)]


def _top_k_grad(op_, grad, _):
    """The values' gradient lands on the input positions the indices name (a one-hot product; each row's
    indices are distinct)."""
    depth = shape(op_.inputs[0])[-1]
    hot = apply_op("OneHot", [op_.outputs[1], depth, 1.0, 0.0], {"axis": -1, "T": grad.dtype.base_dtype})
    return [reduce_sum(hot * expand_dims(grad, -1), -2), zeros([], dtype=dtypes.int32)]


op("TopKV2", "input:T, k:Tk=int32", kernel=_top_k_kernel, shape=_top_k_shape, grad=_top_k_grad, T=REALS,
   Tk="int16 int32 int64", index_type="int16 int32 int64")


TopKV2 = collections.namedtuple("TopKV2", ["values", "indices"])  # what TF's generated functions return
ApproxTopK = collections.namedtuple("ApproxTopK", ["values", "indices"])


def top_k(input, k=1, sorted=True, name=None, index_type=dtypes.int32):  # noqa: A002 - TF's names
    """The `k` largest entries of the last dimension and their indices (op TopKV2)."""
    return TopKV2(*apply_op("TopKV2", [input, k], {"sorted": bool(sorted), "index_type": dtypes.as_dtype(index_type)},
                            name=name))


def _in_top_k_kernel(a, predictions, targets, k):
    if predictions.ndim != 2:
        raise _error(f"predictions must be 2-dimensional{list(predictions.shape)}")
    if targets.ndim != 1:
        raise _error(f"targets must be 1-dimensional{list(targets.shape)}")
    if predictions.shape[0] != targets.shape[0]:
        raise _error(f"First dimension of predictions {predictions.shape[0]} must match length of targets "
                     f"{targets.shape[0]}")
    n, classes = predictions.shape
    ok = (targets >= 0) & (targets < classes)
    rows = np.arange(n)
    target = predictions[rows, np.clip(targets, 0, max(classes - 1, 0))] if classes else np.zeros(n)
    finite = np.isfinite(target)
    larger = (predictions > target[:, None]).sum(axis=1) if classes else np.zeros(n)
    return ok & finite & (larger < int(k))


def _in_top_k_shape(inputs, a):
    p, t, k = inputs
    pd, td = with_rank(p, 2), with_rank(t, 1)
    with_rank(k, 0)
    if pd[0] is not None and td[0] is not None and pd[0] != td[0]:
        raise ValueError(f"Dimensions must be equal, but are {pd[0]} and {td[0]}")
    return dtypes.bool_, _raw((pd[0] if pd[0] is not None else td[0],))


op("InTopKV2", "predictions:float32, targets:T, k:T", kernel=_in_top_k_kernel, shape=_in_top_k_shape,
   grad=NOT_DIFFERENTIABLE, T="int32 int64")


def in_top_k(predictions, targets, k, name=None):
    """Whether each target is among the `k` largest predictions of its row (op InTopKV2)."""
    with name_scope(name, "in_top_k"):
        return apply_op("InTopKV2", [predictions, targets, k], {}, name=name)


# ----- ApproxTopK (on a CPU TF computes the exact top k) ------------------------------------------------------
def _approx_top_k_kernel(a, x):
    if not a["is_max_k"] or a["reduction_dimension"] != -1:  # TF's CPU kernel is the max along the last axis
        raise _error(f"No OpKernel was registered to support Op 'ApproxTopK' with these attrs: "
                     f"[is_max_k={str(a['is_max_k']).lower()}, reduction_dimension={a['reduction_dimension']}] "
                     f"(on a CPU TensorFlow computes only approx_max_k along the last dimension)")
    axis, k = a["reduction_dimension"] % max(np.ndim(x), 1), a["k"]
    if x.shape[axis] < k:
        raise _error(f"k must be less than or equal to the reduction dimension size, got k = {k}")
    key = -x if a["is_max_k"] else x
    order = np.take(np.argsort(key, axis=axis, kind="stable"), np.arange(k), axis=axis)
    return [np.take_along_axis(x, order, axis), order.astype(np.int32)]


def _approx_top_k_shape(inputs, a):
    d = inputs[0].shape._dims
    if d is None:
        return [(inputs[0].dtype.base_dtype, TensorShape(None)), (dtypes.int32, TensorShape(None))]
    if not -len(d) <= a["reduction_dimension"] < len(d):
        raise ValueError(f"Invalid reduction dimension {a['reduction_dimension']} for a rank {len(d)} input")
    out = list(d)
    out[a["reduction_dimension"] % len(d)] = a["k"]
    return [(inputs[0].dtype.base_dtype, _raw(tuple(out))), (dtypes.int32, _raw(tuple(out)))]


def _approx_top_k_grad(op_, grad, _):
    """TF's: the values' gradient scattered (ScatterNd) to the input positions the indices name; the indices of
    the other dimensions are ranges broadcast to the indices' (static) shape."""
    dims_ = op_.outputs[1].shape.as_list()
    rank_, axis = len(dims_), op_._attrs["reduction_dimension"] % len(dims_)
    lifted = dims_ + [1]

    def lifted_index(d):
        if d == axis:
            return reshape(op_.outputs[1], lifted)
        iota_shape = [1] * (rank_ + 1)
        iota_shape[d] = dims_[d]
        return broadcast_to(reshape(range_(dims_[d]), iota_shape), lifted)
    flat = int(np.prod(dims_))
    index = reshape(concat([lifted_index(d) for d in range(rank_)], axis=rank_), [flat, rank_])
    return [apply_op("ScatterNd", [index, reshape(grad, [flat]), op_.inputs[0].shape.as_list()], {})]


op("ApproxTopK", "input:T", kernel=_approx_top_k_kernel, shape=_approx_top_k_shape, grad=_approx_top_k_grad,
   T="float16 bfloat16 float32")


def _approx_k(is_max_k):
    def fn(operand, k, reduction_dimension=-1, recall_target=0.95, reduction_input_size_override=-1,
           aggregate_to_topk=True, name=None):
        attrs = {"k": int(k), "reduction_dimension": int(reduction_dimension), "recall_target": float(recall_target),
                 "is_max_k": is_max_k, "reduction_input_size_override": int(reduction_input_size_override),
                 "aggregate_to_topk": bool(aggregate_to_topk)}
        return ApproxTopK(*apply_op("ApproxTopK", [operand], attrs, name=name))
    fn.__name__ = "approx_max_k" if is_max_k else "approx_min_k"
    fn.__doc__ = f"The k {'largest' if is_max_k else 'smallest'} values along a dimension and their indices."
    return fn


approx_max_k, approx_min_k = _approx_k(True), _approx_k(False)

"""Reductions (`Sum`, `Mean`, `Max`, `Min`, `Prod`, `All`, `Any`), `ArgMax`/`ArgMin`, `AddN`, segment sums."""
import math

import numpy as np

from .. import dtypes
from ..convert import constant, convert_to_tensor
from ..errors import InvalidArgumentError
from ..default_graph import name_scope
from ..shape import TensorShape, unknown_shape
from .array import identity, rank, reshape, shape, size
from .filling import ones, ones_like, range as range_, zeros_like
from .math import cast, equal, exp, floordiv, log, maximum, not_equal, truediv
from .eigen_sums import leading_sums, trailing_sums
from .registry import NO_GRADIENT_DEFINED, NOT_DIFFERENTIABLE, apply_op, op
from .shape_fns import constant_value, dims, merge_all_dims
from .joining import concat, dynamic_stitch

_raw = TensorShape._raw
INDEX = (dtypes.int32, dtypes.int64)
SUMMABLE = ("float32 float64 int32 uint8 int16 int8 complex64 int64 qint8 quint8 qint32 bfloat16 qint16 quint16 "
            "uint16 complex128 float16 uint32 uint64")
ORDERED = "float32 float64 int32 uint8 int16 int8 int64 bfloat16 uint16 float16 uint32 uint64 qint8 quint8 qint32 " \
          "qint16 quint16"


# ----- AddN -----------------------------------------------------------------------------------------------
def _add_n_shape(inputs, a):
    """Merges the inputs' shapes from the last one back, as TF's shape function does."""
    cur = merge_all_dims(inputs)
    return inputs[0].dtype.base_dtype, _raw(cur)


def _add_n_kernel(a, *xs):
    for i, x in enumerate(xs[1:], 1):
        if np.shape(x) != np.shape(xs[0]):
            raise InvalidArgumentError(None, None, "Inputs to operation AddN of type AddN must have the same size "
                                       f"and shape.  Input 0: {_text(np.shape(xs[0]))} != input {i}: "
                                       f"{_text(np.shape(x))}")
    out = np.add(xs[0], xs[1])
    for x in xs[2:]:
        out = np.add(out, x)
    return out


def _text(shape_):
    return "[" + ",".join(str(d) for d in shape_) + "]"


op("AddN", "inputs:*T", kernel=_add_n_kernel, shape=_add_n_shape, grad=lambda op, g: [g] * len(op.inputs),
   T=SUMMABLE + " variant", elementwise=True)


def add_n(inputs, name=None):
    """The elementwise sum of a list of same-shaped tensors."""
    if not inputs or not isinstance(inputs, (list, tuple)):
        raise ValueError("Inputs must be an iterable of at least one Tensor/IndexedSlices with the same dtype "
                         "and shape.")
    inputs = [convert_to_tensor(x) for x in inputs]
    if len(inputs) == 1:
        return identity(inputs[0], name=name) if name else inputs[0]
    return apply_op("AddN", [inputs], {"N": len(inputs)}, name=name)


# ----- reductions --------------------------------------------------------------------------------------------
def _reduce_shape(inputs, a):
    x, axes_t = inputs
    d, ad = dims(x), dims(axes_t)
    if ad is not None and len(ad) > 1:
        raise ValueError(f"Shape must be at most rank 1 but is rank {len(ad)}")
    axes = constant_value(axes_t)
    keep = a["keep_dims"]
    dtype = x.dtype.base_dtype
    if axes is None or d is None:
        return dtype, unknown_shape(len(d)) if keep and d is not None else unknown_shape()
    n = len(d)
    picked = set()
    for ax in np.ravel(axes):
        ax = int(ax)
        if not -n <= ax < n:
            raise ValueError(f"Invalid reduction dimension {ax} for input with {n} dimensions.")
        picked.add(ax % n)
    if keep:
        return dtype, _raw(tuple(1 if i in picked else v for i, v in enumerate(d)))
    return dtype, _raw(tuple(v for i, v in enumerate(d) if i not in picked))


def _axes(x, axes):
    """The reduction axes as non-negative ints, checked as TF's kernels check them."""
    n = np.ndim(x)
    if np.ndim(axes) <= 1 and np.size(axes) <= n:
        flat = np.ravel(axes).tolist()
        if all(-n <= ax < n for ax in flat):
            out = tuple(sorted({ax % n for ax in flat}))
            if len(out) == len(flat):
                return out
    out = []
    for ax in np.ravel(axes):
        ax = int(ax)
        if not -n <= ax < n:
            raise InvalidArgumentError(None, None, f"Invalid reduction dimension ({ax} for input with {n} "
                                                   f"dimension(s)")
        if ax % n in out:
            raise InvalidArgumentError(None, None, f"Invalid reduction arguments: Axes contains duplicate "
                                                   f"dimension: {ax % n}")
        out.append(ax % n)
    return tuple(out)


def _reduce_kernel(fn):
    def kernel(a, x, axes):
        if np.size(axes) == 0 and isinstance(x, np.ndarray):  # reduced over no axis: the input itself, as TF forwards it
            return x
        return np.asarray(fn(x, _axes(x, axes), a["keep_dims"])).astype(x.dtype, copy=False)
    return kernel


def _sum(x, axis, keep):
    """np.sum; float32 over innermost or leading axes in TF's order (eigen_sums.py). A float64 array summed over
    its leading axes (a bias's gradient) is summed as rows `fold` times wider, then folded: numpy sums columns a
    row at a time, slowly when rows are short (16 channels)."""
    exact = trailing_sums(x, axis, keep)
    if exact is None:
        exact = leading_sums(x, axis, keep)
    if exact is not None:
        return exact
    lead = len(axis)
    if x.dtype in (np.float32, np.float64) and 0 < lead < x.ndim and axis == tuple(range(lead)) and x.size:
        cols = math.prod(x.shape[lead:])
        rows = x.size // cols
        fold = math.gcd(rows, 1 << max(0, (4096 // cols).bit_length() - 1))
        if fold > 1 and x.flags.c_contiguous:
            total = x.reshape(rows // fold, fold * cols).sum(0).reshape(fold, cols).sum(0)
            return total.reshape((1,) * lead * keep + x.shape[lead:])
    return np.sum(x, axis=axis, keepdims=keep, dtype=x.dtype)


def _mean(x, axis, keep):
    count = math.prod(x.shape[i] for i in axis)
    if x.dtype.kind not in "iu":
        if count == 0:  # 0 / 0, without numpy's warning
            return np.full(np.sum(x, axis=axis, keepdims=keep).shape, np.nan, x.dtype)
        exact = trailing_sums(x, axis, keep)   # TF's MeanReducer: its sum (in its order) over the count
        if exact is None:
            exact = leading_sums(x, axis, keep)
        if exact is not None:
            return exact / x.dtype.type(count)
        return np.mean(x, axis=axis, keepdims=keep, dtype=x.dtype)
    total = np.sum(x, axis=axis, keepdims=keep, dtype=x.dtype)
    if count == 0:
        return np.zeros_like(total)
    return np.where(total < 0, -(-total // count), total // count)  # C++ integer division truncates


def _extreme(reduce, pick):
    def fn(x, axis, keep):
        if x.dtype.kind == "f":
            edge = -np.inf if pick == "min" else np.inf
        else:
            edge = getattr(np.iinfo(x.dtype), pick)
        return reduce(x, axis=axis, keepdims=keep, initial=edge)
    return fn


def _reduced_grad_shape(op):
    """The shape of the input with reduced axes set to 1 (to broadcast a reduction's gradient back)."""
    x, axes = op.inputs
    xd = dims(x)
    v = constant_value(axes)
    if xd is not None and None not in xd and v is not None:
        picked = {int(i) % max(len(xd), 1) for i in np.ravel(v)}
        return [1 if i in picked else n for i, n in enumerate(xd)]
    return reduced_shape(shape(x), axes)


def reduced_shape(input_shape, axes):
    """`input_shape` with the `axes` set to 1, built as TF builds it (a DynamicStitch; the rank and the axes'
    shape are Consts where known)."""
    input_shape, axes = convert_to_tensor(input_shape), convert_to_tensor(axes)
    input_rank = size(input_shape, out_type=axes.dtype)
    axes = (axes + input_rank) % input_rank
    axes_shape = shape(axes)
    return dynamic_stitch([range_(input_rank), axes], [input_shape, ones(axes_shape, dtype=input_shape.dtype)])


def _sum_grad(op, g):
    """TF's: with the input's rank and the axes known, the gradient reshaped (reduced axes of 1) and tiled back
    (by the input's shape when every axis is reduced; by constant multiples when its shape is known, which TF
    computes once per graph with ops it leaves in the graph); else broadcast to the input's shape."""
    x, axes = op.inputs
    xd, picked = dims(x), constant_value(axes)
    if xd is not None and picked is not None:
        picked = np.ravel(picked)
        if np.array_equal(picked, np.arange(len(xd))):
            g = reshape(g, [1] * len(xd))
            return [apply_op("Tile", [g, constant(list(xd), dtype=dtypes.int32) if None not in xd else shape(x)], {}),
                    None]
        if None not in xd:
            kept, tiles = _kept_and_tiles(op.graph, tuple(xd), tuple(picked.tolist()))
            return [apply_op("Tile", [reshape(g, kept), tiles], {}), None]
    input_shape = shape(x)
    if not op._attrs.get("keep_dims"):
        g = reshape(g, reduced_shape(input_shape, axes))
    return [apply_op("BroadcastTo", [g, input_shape], {}), None]


def _kept_and_tiles(graph, dims_, axes):
    """The reduced shape (axes kept as 1) and the tile multiples undoing it; the first time in a graph for a
    (shape, axes) pair TF computes the multiples with a Maximum and a FloorDiv, which stay in its graph."""
    cache = graph.__dict__.setdefault("_reduced_shape_cache", {})
    if (dims_, axes) not in cache:
        kept = np.array(dims_, np.int32)
        kept[list(axes)] = 1
        floordiv(list(dims_), maximum(kept.tolist(), 1))
        cache[(dims_, axes)] = kept.tolist(), (np.array(dims_) // np.maximum(kept, 1)).astype(np.int32).tolist()
    return cache[(dims_, axes)]


def _mean_grad(op, g):
    x = op.inputs[0]
    (gsum, _) = _sum_grad(op, g)
    xs, ys = x.shape, op.outputs[0].shape
    if xs.is_fully_defined() and ys.is_fully_defined():
        factor = constant(max(xs.num_elements() // max(ys.num_elements(), 1), 1), dtype=g.dtype.base_dtype)
    else:  # TF's: the product of the reduced dims, read at run time
        input_shape = shape(x)
        input_rank = size(input_shape)
        axes = (op.inputs[1] + input_rank) % input_rank
        factor = cast(reduce_prod(apply_op("GatherV2", [input_shape, axes, 0], {"batch_dims": 0})),
                      g.dtype.base_dtype)
    return [truediv(gsum, factor), None]


def _min_max_grad(op, g):
    x, y = op.inputs[0], op.outputs[0]
    kept = _reduced_grad_shape(op)
    y = reshape(y, kept)
    g = reshape(g, kept)
    indicators = cast(equal(y, x), g.dtype.base_dtype)
    num_selected = reshape(apply_op("Sum", [indicators, op.inputs[1]], {"keep_dims": False}), kept)
    return [truediv(indicators, num_selected) * g, None]


def _prod_grad_kernel(a, x, axes, g):
    """d prod / d x_i = product of the other elements (exclusive cumulative products, so zeros are exact)."""
    axis = _axes(x, axes)
    others = [i for i in range(np.ndim(x)) if i not in axis]
    perm = others + list(axis)
    xt = np.transpose(x, perm).reshape([x.shape[i] for i in others] + [-1])
    ones = np.ones_like(xt[..., :1])
    before = np.cumprod(np.concatenate([ones, xt[..., :-1]], -1), -1)
    after = np.flip(np.cumprod(np.concatenate([ones, np.flip(xt, -1)[..., :-1]], -1), -1), -1)
    res = np.transpose((before * after).reshape([x.shape[i] for i in perm]), np.argsort(perm))
    kept = tuple(1 if i in axis else n for i, n in enumerate(np.shape(x)))
    return (res * np.reshape(g, kept)).astype(x.dtype)


op("ProdGrad", "x:T, axes:Tidx=int32, dy:T", kernel=_prod_grad_kernel, Tidx=INDEX, grad=NO_GRADIENT_DEFINED,
   shape=lambda i, a: (i[0].dtype.base_dtype, i[0].shape))

_REDUCE = "input:T, reduction_indices:Tidx=int32"
op("Sum", _REDUCE, Tidx=INDEX, T=SUMMABLE, shape=_reduce_shape, grad=_sum_grad,
   kernel=_reduce_kernel(_sum))
op("Mean", _REDUCE, Tidx=INDEX, T=SUMMABLE, shape=_reduce_shape, grad=_mean_grad, kernel=_reduce_kernel(_mean))
op("Prod", _REDUCE, Tidx=INDEX, T=SUMMABLE, shape=_reduce_shape,
   grad=lambda op, g: [apply_op("ProdGrad", [op.inputs[0], op.inputs[1], g], {}), None],
   kernel=_reduce_kernel(lambda x, ax, k: np.prod(x, axis=ax, keepdims=k, dtype=x.dtype)))
op("Max", _REDUCE, Tidx=INDEX, T=ORDERED, shape=_reduce_shape, grad=_min_max_grad,
   kernel=_reduce_kernel(_extreme(np.max, "min")))
op("Min", _REDUCE, Tidx=INDEX, T=ORDERED, shape=_reduce_shape, grad=_min_max_grad,
   kernel=_reduce_kernel(_extreme(np.min, "max")))
op("All", "input:bool, reduction_indices:Tidx=int32", Tidx=INDEX, shape=_reduce_shape, grad=NO_GRADIENT_DEFINED,
   kernel=_reduce_kernel(lambda x, ax, k: np.all(x, axis=ax, keepdims=k)))
op("Any", "input:bool, reduction_indices:Tidx=int32", Tidx=INDEX, shape=_reduce_shape, grad=NO_GRADIENT_DEFINED,
   kernel=_reduce_kernel(lambda x, ax, k: np.any(x, axis=ax, keepdims=k)))


def _reduction_dims(x, axis):
    """TF's _ReductionDims: all axes as a Const when the rank is known and non-zero, else range(0, rank(x))."""
    if axis is not None:
        return axis
    try:
        r = x.shape.ndims  # tensors and variables (TF reads `x.shape.rank`, so numpy arrays have no rank here)
    except AttributeError:
        r = None
    if r:
        return constant(np.arange(r, dtype=np.int32))
    return range_(0, rank(x))


def _reducer(type):
    def reduce(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None, keep_dims=None):
        if axis is not None and reduction_indices is not None:
            raise ValueError("Cannot specify both 'axis' and 'reduction_indices'.")
        if keepdims is not None and keep_dims is not None:
            raise ValueError("Cannot specify both 'keepdims' and 'keep_dims'.")
        axis = reduction_indices if axis is None else axis
        keep = bool(keepdims if keepdims is not None else keep_dims)
        out = apply_op(type, [input_tensor, _reduction_dims(input_tensor, axis)], {"keep_dims": keep}, name=name)
        if axis is None and not keep and not out.shape.is_fully_defined():
            out.set_shape(())  # reducing over every axis gives a scalar, whatever the rank
        return out
    reduce.__name__ = f"reduce_{type.lower()}"
    reduce.__doc__ = f"Reduces along `axis` (all axes if None) with op type `{type}`."
    return reduce


reduce_sum = _reducer("Sum")
reduce_mean = _reducer("Mean")
reduce_prod = _reducer("Prod")
reduce_max = _reducer("Max")
reduce_min = _reducer("Min")
reduce_all = _reducer("All")
reduce_any = _reducer("Any")


def reduce_logsumexp(input_tensor, axis=None, keepdims=False, name=None, reduction_indices=None, keep_dims=None):
    """log(sum(exp(x))) along `axis`, computed stably (the max is subtracted first, as in TF)."""
    keep = bool(keepdims or keep_dims)
    axis = reduction_indices if axis is None else axis
    with name_scope(name, "ReduceLogSumExp", [input_tensor]) as scope:
        x = convert_to_tensor(input_tensor)
        raw_max = reduce_max(x, axis, keepdims=True)
        finite = apply_op("IsFinite", [raw_max], {})
        my_max = apply_op("StopGradient", [apply_op("SelectV2", [finite, raw_max, 0], {})], {})
        result = log(reduce_sum(exp(x - my_max), axis, keepdims=keep))
        if not keep:
            my_max = reshape(my_max, shape(result))
        out = apply_op("AddV2", [result, my_max], {}, name=scope)
        if axis is None and not keep and not out.shape.is_fully_defined():
            out.set_shape(())
        return out


def count_nonzero(input_tensor, axis=None, keepdims=False, dtype=dtypes.int64, name=None):
    with name_scope(name, "count_nonzero", [input_tensor]):
        x = convert_to_tensor(input_tensor)
        zero = constant(0, dtype=x.dtype.base_dtype) if x.dtype.base_dtype != dtypes.bool_ else False
        return cast(reduce_sum(cast(not_equal(x, zero), dtypes.int64), axis, keepdims=keepdims), dtype)


# ----- ArgMax / ArgMin ----------------------------------------------------------------------------------------
def _arg_shape(inputs, a):
    x, dim = inputs
    d, dd = dims(x), dims(dim)
    if dd is not None and len(dd) > 0:
        raise ValueError(f"Shape must be rank 0 but is rank {len(dd)}")
    if d is None:
        return a["output_type"], unknown_shape()
    if len(d) <= 1:
        return a["output_type"], _raw(())
    ax = constant_value(dim)
    if ax is None:
        return a["output_type"], unknown_shape(len(d) - 1)
    ax = int(ax)
    if not -len(d) <= ax < len(d):
        raise ValueError(f"Dimension ({ax}) must be in the range [{-len(d)}, {len(d)}), where {len(d)} is the "
                         f"number of dimensions in the input.")
    ax %= len(d)
    return a["output_type"], _raw(d[:ax] + d[ax + 1:])


def _arg_kernel(fn):
    def kernel(a, x, dim):
        n, ax = np.ndim(x), int(dim)
        if not -n <= ax < n:
            raise InvalidArgumentError(None, None, f"Expected dimension in the range [{-n}, {n}), but got {ax}")
        if x.shape[ax] == 0:
            raise InvalidArgumentError(None, None, f"Reduction axis {ax} is empty in shape {_text(x.shape)}")
        return fn(x, axis=ax).astype(a["output_type"].as_numpy_dtype)
    return kernel


_ARG_T = ORDERED + " bool"
op("ArgMax", "input:T, dimension:Tidx=int32", Tidx="int16 int32 int64", T=_ARG_T, shape=_arg_shape,
   grad=NOT_DIFFERENTIABLE, output_type="int16 uint16 int32 int64", kernel=_arg_kernel(np.argmax))
op("ArgMin", "input:T, dimension:Tidx=int32", Tidx=INDEX, T=_ARG_T, shape=_arg_shape,
   grad=NOT_DIFFERENTIABLE, output_type=INDEX, kernel=_arg_kernel(np.argmin))


def _arg(type):
    def fn(input, axis=None, name=None, dimension=None, output_type=dtypes.int64):
        if axis is not None and dimension is not None:
            raise ValueError("Cannot specify both 'axis' and 'dimension'.")
        axis = dimension if axis is None else axis
        return apply_op(type, [input, 0 if axis is None else axis],
                        {"output_type": dtypes.as_dtype(output_type)}, name=name)
    fn.__name__ = type.lower()
    fn.__doc__ = f"Index of the {'largest' if type == 'ArgMax' else 'smallest'} value along `axis` (0 if None)."
    return fn


argmax = _arg("ArgMax")
argmin = _arg("ArgMin")


def _raw_arg(type):
    def fn(input, dimension, output_type=dtypes.int64, name=None):
        return apply_op(type, [input, dimension], {"output_type": dtypes.as_dtype(output_type)}, name=name)
    fn.__name__ = f"arg_{type[3:].lower()}"
    fn.__doc__ = f"TF1's deprecated `tf.{fn.__name__}`: `{type}` along `dimension` (required)."
    return fn


arg_max = _raw_arg("ArgMax")
arg_min = _raw_arg("ArgMin")


# ----- segment sums (gather's gradient) ---------------------------------------------------------------------
def _segment_sum_kernel(a, data, ids, n):
    return unsorted_segment_reduce(np.add, 0, data, ids, n)


def unsorted_segment_reduce(ufunc, empty, data, ids, n):
    """TF's unsorted segment kernels: rows with a negative id are dropped, an id >= n is an error."""
    n = int(n)
    if np.any(ids >= n):
        bad = int(np.ravel(ids[ids >= n])[0])
        raise InvalidArgumentError(None, None, f"segment_ids[...] = {bad} is out of range [0, {n})")
    out = np.full((n,) + data.shape[ids.ndim:], empty, dtype=data.dtype)
    keep = ids >= 0
    ufunc.at(out, ids[keep], data[keep])
    return out


def _segment_sum_shape(inputs, a):
    data, ids, n = inputs
    if dims(data) is None or dims(ids) is None:
        return data.dtype.base_dtype, unknown_shape()
    v = constant_value(n)
    return data.dtype.base_dtype, _raw((None if v is None else int(v),) + dims(data)[len(dims(ids)):])


def gather_drop_negatives(params, ids, clipped=None, is_positive=None):
    """TF's _GatherDropNegatives: `params` gathered at `ids`, zero where an id is negative (a dropped row)."""
    if clipped is None:
        clipped = apply_op("Maximum", [ids, zeros_like(ids)], {})
    gathered = apply_op("GatherV2", [params, clipped, 0], {"batch_dims": 0})
    if is_positive is None:
        is_positive = apply_op("GreaterEqual", [ids, 0], {})
        ones_shape = concat([shape(is_positive), ones([rank(gathered) - rank(is_positive)], dtype=dtypes.int32)], 0)
        is_positive = apply_op("LogicalAnd", [reshape(is_positive, ones_shape),
                                              ones_like(gathered, dtype=dtypes.bool_)], {})
    return apply_op("SelectV2", [is_positive, gathered, zeros_like(gathered)], {}), clipped, is_positive


op("UnsortedSegmentSum", "data:T, segment_ids:Tindices, num_segments:Tnumsegments=int32",
   kernel=_segment_sum_kernel, shape=_segment_sum_shape, T=SUMMABLE, Tindices="int16 int32 int64",
   Tnumsegments=INDEX, grad=lambda op, g: [gather_drop_negatives(g, op.inputs[1])[0], None, None])


def unsorted_segment_sum(data, segment_ids, num_segments, name=None):
    return apply_op("UnsortedSegmentSum", [data, segment_ids, num_segments], {}, name=name)


# ----- Running reductions (Cumsum here; Cumprod, CumulativeLogsumexp in cumulative.py) ----------------------------
def scan_kernel(accumulate, identity):
    """A running reduction along `axis`, from the end if `reverse`, each element left out if `exclusive`."""
    def kernel(a, x, axis):
        n, ax = np.ndim(x), int(axis)
        if not -n <= ax < n:
            raise InvalidArgumentError(None, None, f"ValueError: axis must be in range [{-n}, {n}), but got {ax}")
        ax %= n
        if a["reverse"]:
            x = np.flip(x, ax)
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            out = accumulate(x, axis=ax).astype(x.dtype, copy=False)
        if a["exclusive"]:
            first = np.full_like(np.take(out, [0], axis=ax), identity)
            out = np.concatenate([first, np.delete(out, -1, axis=ax)], axis=ax)
        return np.flip(out, ax) if a["reverse"] else out
    return kernel


def _cumsum_shape(inputs, a):
    x, axis = inputs
    if dims(x) is not None and len(dims(x)) < 1:
        raise ValueError("Shape must be at least rank 1 but is rank 0")
    if dims(axis) not in (None, ()):
        raise ValueError(f"Shape must be rank 0 but is rank {len(dims(axis))}")
    return x.dtype.base_dtype, x.shape


op("Cumsum", "x:T, axis:Tidx=int32", kernel=scan_kernel(np.add.accumulate, 0), shape=_cumsum_shape, T=SUMMABLE,
   Tidx=INDEX,
   grad=lambda op, g: [cumsum(g, op.inputs[1], exclusive=op._attrs["exclusive"], reverse=not op._attrs["reverse"]),
                       None])


def cumsum(x, axis=0, exclusive=False, reverse=False, name=None):
    """The running sums of `x` along `axis` (from the end if `reverse`; each without itself if `exclusive`)."""
    with name_scope(name, "Cumsum", [x]) as name:
        x = convert_to_tensor(x, name="x")
        return apply_op("Cumsum", [x, axis], {"exclusive": bool(exclusive), "reverse": bool(reverse)}, name=name)

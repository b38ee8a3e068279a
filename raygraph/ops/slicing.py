"""Slicing and indexing: Slice, StridedSlice (`tensor[...]`), GatherV2, Select/SelectV2 (`where`), Where.

StridedSlice follows TF's ValidateStridedSliceOp: the sparse spec (one entry per index item, with masks)
becomes a dense spec (one entry per input dimension, the ellipsis expanded), which gives both the static
shape (dims it cannot know are None) and, at run time, the numpy slices to take.
"""
from builtins import slice as _slice

import numpy as np

from .. import dtypes
from ..convert import constant, convert_to_tensor
from ..errors import InvalidArgumentError
from ..default_graph import name_scope
from ..shape import Dimension, TensorShape, unknown_shape
from ..tensor import Tensor
from .array import expand_dims, rank, reduce_gradient_args, reshape, shape, size as array_size, transpose
from .indexed_slices import IndexedSlices
from .filling import ones, ones_like, zeros, zeros_like
from .filling import range as range_
from .joining import concat, stack, tile
from .registry import NO_GRADIENT_DEFINED, apply_op, op
from . import compiled
from .shape_fns import broadcast_dims, constant_value, constant_value_as_shape, dims, merge_dims, with_rank
from .math import cast

INDEX = (dtypes.int32, dtypes.int64)
_raw = TensorShape._raw
_MASKS = ("begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask", "shrink_axis_mask")


def _text(shape_):
    return "[" + ",".join("?" if d is None else str(d) for d in shape_) + "]"


def _error(message):
    return InvalidArgumentError(None, None, message)


# ----- Slice -----------------------------------------------------------------------------------------------
def _slice_shape(inputs, a):
    x, begin, size_t = inputs
    nb, ns = with_rank(begin, 1), with_rank(size_t, 1)
    n = merge_dims(nb, ns)[0]
    if n is not None:
        with_rank(x, n)
    sizes = constant_value_as_shape(size_t)._dims
    if sizes is None:
        d = dims(x)
        return x.dtype.base_dtype, unknown_shape(None if d is None else len(d))
    b, s, d = constant_value(begin), constant_value(size_t), dims(x)
    if s is not None and b is not None and d is not None:  # a size of -1 takes the rest of the dimension
        sizes = tuple(None if k == -1 and d[i] is None else d[i] - int(b[i]) if k == -1 else int(k)
                      for i, k in enumerate(s))
    return x.dtype.base_dtype, _raw(sizes)


def _slice_kernel(a, x, begin, size):
    if np.ndim(begin) != 1 or np.shape(begin) != np.shape(size) or len(begin) != np.ndim(x):
        raise _error(f"Expected begin and size arguments to be 1-D tensors of size {np.ndim(x)}, but got shapes "
                     f"{_text(np.shape(begin))} and {_text(np.shape(size))} instead.")
    index = []
    for i, (b, s, n) in enumerate(zip(begin, size, np.shape(x))):
        b, s = int(b), int(s)
        s = n - b if s == -1 else s
        if not 0 <= b <= n:
            raise _error(f"Expected begin[{i}] in [0, {n}], but got {b}")
        if not (0 <= s and b + s <= n):
            raise _error(f"Expected size[{i}] in [0, {n - b}], but got {s}")
        index.append(_slice(b, b + s))
    return x[tuple(index)]


def _slice_grad(op, g):
    x, begin, _ = op.inputs
    index_dtype = begin.dtype.base_dtype
    pack = stack([rank(x), 1])
    before = reshape(begin, pack)
    after = reshape(shape(x, out_type=index_dtype) - shape(op.outputs[0], out_type=index_dtype) - begin, pack)
    return [apply_op("Pad", [g, concat([before, after], 1)], {}), None, None]


op("Slice", "input:T, begin:Index=int32, size:Index", kernel=_slice_kernel, Index=INDEX, shape=_slice_shape,
   grad=_slice_grad)


def slice(input_, begin, size, name=None):  # noqa: A001 - TF's name
    """The part of `input_` starting at `begin` of extent `size` (-1: to the end)."""
    return apply_op("Slice", [input_, begin, size], {}, name=name)


# ----- StridedSlice ---------------------------------------------------------------------------------------------
def _dense_spec(rank, begin, end, strides, a):
    """TF's BuildDenseSpec: per input dim (begin, end, stride, begin masked, end masked, shrink), and
    `gather`, the output dims: an input dim index, or "new" for a new axis (shrunk dims are left out)."""
    n = len(strides)
    ell, new = a["ellipsis_mask"], a["new_axis_mask"]
    if ell & (ell - 1):
        raise ValueError("Multiple ellipses in slice spec not allowed")
    if not ell:
        ell |= 1 << n
        n += 1
    after_ellipsis = sum(1 for i in range(n) if new & (1 << i) and ell & ((1 << i) - 1))
    dense, gather, full = [], [], 0
    for i in range(n):
        bit = 1 << i
        if ell & bit:
            stop = min(rank - (n - i) + 1 + after_ellipsis, rank)
            while full < stop:
                dense.append((0, 0, 1, True, True, False))
                gather.append(full)
                full += 1
        elif new & bit:
            gather.append("new")
        else:
            if full == rank:
                raise ValueError("Attempting to slice scalar input." if rank == 0 else
                                 f"Index out of range using input dim {full}; input has only {rank} dims")
            shrink = bool(a["shrink_axis_mask"] & bit)
            dense.append((None if begin is None else int(begin[i]), None if end is None else int(end[i]),
                          int(strides[i]), bool(a["begin_mask"] & bit), bool(a["end_mask"] & bit), shrink))
            if not shrink:
                gather.append(full)
            full += 1
    return dense, gather


def _processing(d, dense, error):
    """TF's step 3: canonical (begin, end, stride) per dim where known, and the processing shape."""
    spans, sizes = [], []
    for i, (b, e, s, bm, em, shrink) in enumerate(dense):
        n = d[i] if i < len(d) else None
        if s == 0:
            raise error(f"strides[{i}] must be non-zero")
        if shrink and s <= 0:
            raise error("only stride 1 allowed on non-range indexing.")
        if n is None:
            spans.append(None)
            sizes.append(1 if shrink else None)
            continue
        if b is not None and e is not None:
            if shrink:
                b = b + n if b < 0 else b
                if not 0 <= b < n:
                    raise error(f"slice index {b} of dimension {i} out of bounds.")
                e = b + 1
            else:
                b, e = _canonical(b, bm, 0, s, n), _canonical(e, em, 1, s, n)
            length = e - b
        elif shrink:
            length = 1
        elif bm and em:
            length = -n if s < 0 else n
        else:
            spans.append(None)
            sizes.append(None)
            continue
        spans.append((b, e, s))
        sizes.append(0 if length == 0 or (length < 0) != (s < 0) else -(-length // s) if s > 0 else -(length // -s))
    return spans, sizes


def _canonical(x, masked, which, s, n):
    lo, hi = (0, n) if s > 0 else (-1, n - 1)
    if masked:
        return (lo, hi)[which] if s > 0 else (hi, lo)[which]
    x = x + n if x < 0 else x
    return min(max(x, lo), hi)


def _final_shape(gather, sizes):
    return tuple(1 if g == "new" else sizes[g] for g in gather)


def _strided_slice_shape(inputs, a):
    x, begin, end, strides = inputs
    n = merge_dims(merge_dims(with_rank(begin, 1), with_rank(end, 1)), with_rank(strides, 1))[0]
    s = constant_value(strides)
    d = dims(x)
    if d is None or n is None or s is None:
        return x.dtype.base_dtype, unknown_shape()
    dense, gather = _dense_spec(len(d), constant_value(begin), constant_value(end), s, a)
    return x.dtype.base_dtype, _raw(_final_shape(gather, _processing(d, dense, ValueError)[1]))


def _numpy_index(x, begin, end, strides, a):
    """The numpy slices (one per input dim) and the output shape of a StridedSlice over x."""
    try:
        dense, gather = _dense_spec(np.ndim(x), begin, end, strides, a)
    except ValueError as e:
        raise _error(str(e)) from None
    spans, sizes = _processing(np.shape(x), dense, _error)
    index = tuple(_slice(0, 0) if s < 0 and b < 0 else _slice(b, None if e < 0 else e, s) for b, e, s in spans)
    return index, _final_shape(gather, sizes)


def _strided_slice_kernel(a, x, begin, end, strides):
    index, out_shape = _numpy_index(x, begin, end, strides, a)
    return np.reshape(x[index], out_shape)


def _strided_slice_grad_kernel(a, shp, begin, end, strides, dy):
    out = np.zeros(tuple(int(n) for n in shp), dtype=dy.dtype)
    index, _ = _numpy_index(out, begin, end, strides, a)
    out[index] = np.reshape(dy, out[index].shape)
    return out


def _strided_slice_grad(op, g):
    x, begin, end, strides = op.inputs
    attrs = {k: op._attrs[k] for k in _MASKS}
    # TF's: the constant arguments by value (new Consts in the gradient's scope, none of the forward's ops)
    args = [_value_or(t) for t in (shape(x, out_type=begin.dtype.base_dtype), begin, end, strides)]
    return [apply_op("StridedSliceGrad", args + [g], attrs), None, None, None]


def _value_or(t):
    value = constant_value(t)
    return t if value is None else value


def _strided_slice_grad_grad(op, g):
    attrs = {k: op._attrs[k] for k in _MASKS}
    return [None, None, None, None, apply_op("StridedSlice", [g] + list(op.inputs[1:4]), attrs)]


op("StridedSlice", "input:T, begin:Index=int32, end:Index, strides:Index", Index="int16 int32 int64",
   kernel=_strided_slice_kernel, shape=_strided_slice_shape, grad=_strided_slice_grad)
op("StridedSliceGrad", "shape:Index=int32, begin:Index, end:Index, strides:Index, dy:T", Index=INDEX,
   kernel=_strided_slice_grad_kernel, grad=_strided_slice_grad_grad,
   shape=lambda i, a: (i[4].dtype.base_dtype, constant_value_as_shape(i[0])))


def strided_slice(input_, begin, end, strides=None, begin_mask=0, end_mask=0, ellipsis_mask=0, new_axis_mask=0,
                  shrink_axis_mask=0, var=None, name=None):
    """TF's strided_slice: `input_[begin:end:strides]` per dimension, shaped by the masks."""
    if strides is None:
        strides = ones_like(begin)
    return apply_op("StridedSlice", [input_, begin, end, strides],
                    {"begin_mask": begin_mask, "end_mask": end_mask, "ellipsis_mask": ellipsis_mask,
                     "new_axis_mask": new_axis_mask, "shrink_axis_mask": shrink_axis_mask}, name=name)


def slice_helper(tensor, slice_spec):
    """`tensor[slice_spec]`: Python indexing as a StridedSlice named `strided_slice`."""
    tensor = convert_to_tensor(tensor)
    if not isinstance(slice_spec, (list, tuple)):
        slice_spec = [slice_spec]
    begin, end, strides = [], [], []
    masks = dict.fromkeys(_MASKS, 0)
    for index, s in enumerate(slice_spec):
        bit = 1 << index
        if isinstance(s, _slice):
            _add_slice(s, bit, begin, end, strides, masks)
        elif s is Ellipsis:
            begin.append(0), end.append(0), strides.append(1)
            masks["ellipsis_mask"] |= bit
        elif s is None:
            begin.append(0), end.append(0), strides.append(1)
            masks["new_axis_mask"] |= bit
        else:
            _check_index(s)
            begin.append(s)
            end.append(s + 1)
            wide = isinstance(s, Tensor) and s.dtype.base_dtype in (dtypes.int16, dtypes.int64)
            strides.append(constant(1, dtype=s.dtype.base_dtype) if wide else 1)
            masks["shrink_axis_mask"] |= bit
    with name_scope(None, "strided_slice", [tensor] + begin + end + strides) as scope:
        if begin:
            packed = [stack(begin), stack(end), stack(strides)]
            if any(t.dtype.base_dtype is dtypes.int64 for t in packed):
                packed = [cast(t, dtypes.int64) for t in packed]
        else:
            packed = [constant([], dtype=dtypes.int32)] * 3
        return strided_slice(tensor, *packed, name=scope, **masks)


def _add_slice(s, bit, begin, end, strides, masks):
    """One `start:stop:step` item; missing parts are masked (zeros typed like any tensor part)."""
    kinds = [t.dtype.base_dtype for t in (s.start, s.stop, s.step) if isinstance(t, Tensor)]
    dtype = dtypes.int64 if dtypes.int64 in kinds else dtypes.int32 if dtypes.int32 in kinds else \
        dtypes.int16 if dtypes.int16 in kinds else None
    for part, out, mask, default in ((s.start, begin, "begin_mask", 0), (s.stop, end, "end_mask", 0),
                                     (s.step, strides, None, 1)):
        if part is not None and not (isinstance(part, Dimension) and part.value is None):
            _check_index(part)
            out.append(part)
        else:
            out.append(default if dtype is None else constant(default, dtype=dtype))
            if mask:
                masks[mask] |= bit


def _check_index(idx):
    if isinstance(idx, (int, np.integer, Dimension)):
        return
    dtype = getattr(idx, "dtype", None)
    ok = (dtypes.int16, dtypes.int32, dtypes.int64)
    if dtype is None or dtypes.as_dtype(dtype).base_dtype not in ok or idx.shape.ndims == 1:
        raise TypeError("Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and scalar "
                        f"tf.int32/tf.int64 tensors are valid indices, got {idx!r}")


# ----- GatherV2 ----------------------------------------------------------------------------------------------
def _gather_shape(inputs, a):
    params, indices, axis_t = inputs
    p, i = dims(params), dims(indices)
    if p is not None and len(p) < 1:
        raise ValueError("Shape must be at least rank 1 but is rank 0")
    with_rank(axis_t, 0)
    axis = constant_value(axis_t)
    if axis is None:
        if p is None or i is None:
            return params.dtype.base_dtype, unknown_shape()
        return params.dtype.base_dtype, unknown_shape(len(p) + len(i) - 1 - a["batch_dims"])
    axis, batch_dims = int(axis), a["batch_dims"]
    if p is not None and len(p) < (-axis if axis < 0 else axis + 1):
        raise ValueError(f"Shape must be at least rank {-axis if axis < 0 else axis + 1} but is rank {len(p)}")
    if i is not None and len(i) < abs(batch_dims):
        raise ValueError(f"Shape must be at least rank {abs(batch_dims)} but is rank {len(i)}")
    if p is None or i is None:
        return params.dtype.base_dtype, unknown_shape()
    batch_dims += len(i) if batch_dims < 0 else 0
    if len(p) < batch_dims + 1:
        raise ValueError(f"Shape must be at least rank {batch_dims + 1} but is rank {len(p)}")
    axis %= len(p)
    return params.dtype.base_dtype, _raw(p[:axis] + i[batch_dims:] + p[axis + 1:])


def _gather_kernel(a, params, indices, axis):
    axis = int(axis)
    if not -np.ndim(params) <= axis < np.ndim(params):
        raise _error(f"Expected axis in the range [{-np.ndim(params)}, {np.ndim(params)}), but got {axis}")
    n, indices = params.shape[axis], np.asarray(indices)
    if a.get("batch_dims"):
        return _batched_gather(params, indices, axis % params.ndim, a["batch_dims"])
    if indices.ndim == 0 and indices.dtype.kind in "iu" and 0 <= (i := int(indices)) < n:
        return params.take(i, axis=axis)   # one index (a queue runner's row): no reductions to check it
    _check_indices(indices, n)
    return params.take(indices, axis=axis, mode="clip")  # the indices are checked: no second check


def _check_indices(indices, n):
    """TF's error for the first index outside [0, n), named by its position (none for a scalar index)."""
    if indices.size and (indices.min() < 0 or indices.max() >= n):
        where = tuple(int(v) for v in np.argwhere((indices < 0) | (indices >= n))[0])
        at = f"[{','.join(map(str, where))}]" if where else ""
        raise _error(f"indices{at} = {int(indices[where])} is not in [0, {n})")


def _batched_gather(params, indices, axis, batch_dims):
    """GatherV2 with batch_dims: entry k of the leading `batch_dims` dims gathers from params[k] by indices[k]."""
    if not -indices.ndim <= batch_dims <= indices.ndim:
        raise _error(f"Expected batch_dims in the range [{-indices.ndim}, {indices.ndim}], but got {batch_dims}")
    batch_dims += indices.ndim if batch_dims < 0 else 0
    if batch_dims >= params.ndim:
        raise _error(f"batch_dims ({batch_dims}) must be less than rank(params) ({params.ndim}).")
    if axis < batch_dims:
        raise _error(f"batch_dims ({batch_dims}) must be less than or equal to axis ({axis}).")
    for k in range(batch_dims):
        if params.shape[k] != indices.shape[k]:
            raise _error(f"params.shape[{k}]: {params.shape[k]} should be equal to indices.shape[{k}]: "
                         f"{indices.shape[k]}")
    n = params.shape[axis]
    _check_indices(indices, n)
    # as [batch, outer, n, inner] params and [batch, k] indices: one fancy index picks every row at once
    size = int(np.prod(params.shape[:batch_dims], dtype=np.int64))
    outer = int(np.prod(params.shape[batch_dims:axis], dtype=np.int64))
    p = params.reshape(size, outer, n, -1)
    i = indices.reshape(size, 1, -1)
    out = p[np.arange(size)[:, None, None], np.arange(outer)[None, :, None], i]
    return out.reshape(params.shape[:axis] + indices.shape[batch_dims:] + params.shape[axis + 1:])


def _gather_grad(op, g):
    """TF's: an IndexedSlices along axis 0 (the output's slices, one per index); otherwise the gathered axis moved
    next to the batch dims, the slices summed into their rows (offset per batch entry) and moved back."""
    params, indices, axis = op.inputs
    with op.graph.colocate_with(params.op):  # params can be large: its shape is computed where it lives
        params_shape = shape(params)
    batch_dims = op._attrs.get("batch_dims", 0)
    if batch_dims < 0:
        if indices.shape.ndims is None:
            raise ValueError(f"Currently, it is unsupported to take the gradient of tf.gather when batch_dims < 0 and "
                             f"the rank of the indices is unknown. Please pass a positive batch_dims or use "
                             f"tf.ensure_shape to update the shape of indices when calling tf.gather. Got "
                             f"batch_dims={batch_dims} and indices={indices}")
        batch_dims += indices.shape.ndims
    g = _dense(g)
    size = expand_dims(array_size(indices), 0)
    if constant_value(axis) == 0:
        values = reshape(g, concat([size, params_shape[1:]], 0))
        return [IndexedSlices(values, reshape(indices, size), params_shape), None, None]
    outer_shape = params_shape[:axis]
    values_shape = concat([outer_shape, [-1], params_shape[axis:][1:]], 0)
    values_dims, axis_dims = array_size(values_shape), array_size(outer_shape)
    outer, batch_axis = range_(batch_dims), range_(batch_dims, axis_dims)
    inner = range_(axis_dims + 1, values_dims)
    values = reshape(g, values_shape)
    to_front = concat([outer, [axis_dims], batch_axis, inner], 0)
    values = transpose(values, to_front)
    grad = _batch_gather_grad(gather(params_shape, to_front), values, indices, batch_dims, params_shape[axis])
    grad = transpose(grad, concat([outer, batch_axis + 1, [batch_dims], inner], 0))
    return [reshape(grad, shape(params)), None, None]


def _dense(g):
    return convert_to_tensor(g) if not isinstance(g, IndexedSlices) else apply_op(
        "UnsortedSegmentSum", [g.values, g.indices, g.dense_shape[0]], {})


def _batch_gather_grad(params_shape, values, indices, batch_dims, gather_dim_size):
    """TF's _BatchGatherGrad: the slices summed into rows of the gathered axis, each batch entry's its own."""
    from .reduction import unsorted_segment_sum
    size = expand_dims(array_size(indices), 0)
    if batch_dims:
        values_shape = shape(values)
        outer, inner = values_shape[:batch_dims], values_shape[batch_dims:][1:]
        batch_size = apply_op("Prod", [outer, [0]], {"keep_dims": False})
        flat_values_shape = concat([[-1], inner], 0)
        gather_dim_size *= batch_size
        indices = _batch_indices(params_shape, indices, batch_dims)
        values = reshape(values, flat_values_shape)
    grad = unsorted_segment_sum(values, reshape(indices, size), gather_dim_size)
    return reshape(grad, concat([outer, flat_values_shape], 0)) if batch_dims else grad


def _batch_indices(params_shape, indices, batch_dims):
    """TF's _GetBatchIndices: each index plus its batch entry's offset into the flattened batch dims."""
    dtype = indices.dtype.base_dtype
    dims_ = cast(params_shape, dtype)
    accum = ones((), dtype=dtype)
    for dim in range(batch_dims, 0, -1):
        dim_value = dims_[dim - 1]
        accum *= dims_[dim]
        dim_indices = range_(zeros((), dtype=dtype), dim_value, ones((), dtype=dtype)) * accum
        dim_shape = concat([tile([1], [dim - 1]), [dim_value], tile([1], [rank(indices) - dim])], axis=0)
        indices += reshape(dim_indices, dim_shape)
    return indices


def sparse_gradient_indices(op_, index):
    """The dtype of the indices where `op_`'s gradient for its input `index` is IndexedSlices of that input's
    rows (a gather along axis 0, see _gather_grad), else None: what a loop's gradient accumulates as TF does."""
    if op_.type == "GatherV2" and index == 0 and constant_value(op_.inputs[2]) == 0:
        return op_.inputs[1].dtype.base_dtype
    return None


op("GatherV2", "params:Tparams, indices:Tindices, axis:Taxis=int32", kernel=_gather_kernel,
   Tindices="int16 int32 int64", Taxis=INDEX, shape=_gather_shape, grad=_gather_grad)


def gather(params, indices, validate_indices=None, name=None, axis=None, batch_dims=0):
    """The slices of `params` at `indices` along `axis` (0 by default)."""
    axis = batch_dims if axis is None else axis
    if not isinstance(axis, Tensor) and int(axis) == 0 or isinstance(axis, Tensor) and constant_value(axis) == 0:
        batch_dims = 0   # TF's wrapper passes batch_dims only when the axis is not 0
    return apply_op("GatherV2", [params, indices, axis], {"batch_dims": batch_dims}, name=name)


# ----- Select (TF1's where), SelectV2, Where ------------------------------------------------------------------
def _select_shape(inputs, a):
    cond, x, y = inputs
    data = merge_dims(dims(x), dims(y))
    c = dims(cond)
    if c is not None and data is not None and len(c) != 0:
        if len(c) != 1 or len(data) == 0:
            data = merge_dims(data, c)
        else:
            merge_dims(c, data[:1])
    return x.dtype.base_dtype, _raw(data)


def _select_kernel(a, c, x, y):
    if np.shape(x) != np.shape(y):
        raise _error(f"'then' and 'else' must have the same size.  but received: {_text(np.shape(x))} vs. "
                     f"{_text(np.shape(y))}")
    if np.ndim(c) == 1 and np.ndim(x) > 1:
        if len(c) != np.shape(x)[0]:
            raise _error(f"Number of batches of 'then' must match size of 'condition', but saw: {np.shape(x)[0]} "
                         f"vs. {len(c)}")
        c = np.reshape(c, (-1,) + (1,) * (np.ndim(x) - 1))
    elif np.ndim(c) and np.shape(c) != np.shape(x):
        raise _error(f"'condition' and 'then' must have the same size.  but received: {_text(np.shape(c))} vs. "
                     f"{_text(np.shape(x))}")
    return choose(c, x, y)


_SAME_SIZE_INT = {1: np.int8, 2: np.int16, 4: np.int32, 8: np.int64}


def choose(c, x, y):
    """`np.where(c, x, y)` in x's dtype. For numbers of one shape it selects bits, y ^ ((x ^ y) * c) on
    same-size ints: exact for every value (NaNs, -0.0), and np.where, which branches per element, is ~1.5x
    slower (~3x on an unpredictable condition); from compiled.COMPILED elements, with a condition of their shape
    or one per row, in one pass (kernel_loops.select: embedding_train's four Selects of [512, 65] took 53-60 us each in
    its step as three numpy passes)."""
    c, x, y = np.asarray(c), np.asarray(x), np.asarray(y)
    bits = _SAME_SIZE_INT.get(x.dtype.itemsize) if x.dtype.kind in "biufc" else None
    if (bits is None or x.dtype != y.dtype or x.shape != y.shape or c.dtype != bool or not x.ndim
            or c.ndim > x.ndim or any(n not in (1, m) for n, m in zip(c.shape[::-1], x.shape[::-1]))):
        return np.where(c, x, y).astype(x.dtype, copy=False)
    xb, yb = x.view(bits), y.view(bits)
    if x.size >= compiled.COMPILED and x.flags.c_contiguous and y.flags.c_contiguous and c.flags.c_contiguous and (
            c.shape == x.shape or c.shape == x.shape[:1] + (1,) * (x.ndim - 1)):
        rows = x.shape[0] if c.shape != x.shape else 1   # (rows: a vector condition picks rows)
        out = np.empty_like(xb)
        compiled.loops().select(c.reshape(rows, -1), xb.reshape(rows, -1), yb.reshape(rows, -1), out.reshape(rows, -1))
        return out.view(x.dtype)
    out = np.bitwise_xor(xb, yb)
    np.multiply(out, c, out=out)
    out ^= yb
    return out.view(x.dtype)


def _select_grad(op, g):
    c, x, _ = op.inputs
    z = zeros_like(x)
    return [None, where(c, g, z), where(c, z, g)]


def _select_v2_grad(op, g):
    """TF's: the gradient where c picks x (y), each summed back against the output's shape."""
    c, x, y = op.inputs
    z = constant(0, dtype=g.dtype.base_dtype, name="zeros")
    gx, gy = where_v2(c, g, z), where_v2(c, z, g)
    return [None, reduce_gradient_args(x, op.outputs[0], gx, None)[0],
            reduce_gradient_args(y, op.outputs[0], gy, None)[0]]


op("Select", "condition:bool, t:T, e:T", kernel=_select_kernel, shape=_select_shape, grad=_select_grad)
op("SelectV2", "condition:bool, t:T, e:T", kernel=lambda a, c, x, y: choose(c, x, y),
   shape=lambda i, a: (i[1].dtype.base_dtype, _raw(broadcast_dims(broadcast_dims(dims(i[0]), dims(i[1])),
                                                                  dims(i[2])))),
   grad=_select_v2_grad)
op("Where", "input:T=bool", kernel=lambda a, c: np.argwhere(c).astype(np.int64), grad=NO_GRADIENT_DEFINED,
   T="float32 float64 int32 uint8 int16 int8 complex64 int64 qint8 quint8 qint32 bfloat16 qint16 quint16 uint16 "
     "complex128 float16 uint32 uint64 bool",
   shape=lambda i, a: (dtypes.int64, _raw((None, None if dims(i[0]) is None else len(dims(i[0]))))))


def where(condition, x=None, y=None, name=None):
    """Elements of x where condition is true, else of y (TF1's `Select`); or the true indices (`Where`)."""
    if x is None and y is None:
        with name_scope(name, "Where", [condition]) as scope:
            condition = convert_to_tensor(condition, preferred_dtype=dtypes.bool_, name="condition")
            return apply_op("Where", [condition], {}, name=scope)
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")
    return apply_op("Select", [condition, x, y], {}, name=name)


def where_v2(condition, x=None, y=None, name=None):
    """Like `where`, broadcasting condition, x and y together (`SelectV2`)."""
    if x is None and y is None:
        return where(condition, name=name)
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")
    return apply_op("SelectV2", [condition, x, y], {}, name=name)


# ----- ScatterNd and GatherNd ------------------------------------------------------------------------------------
def _nd_positions(indices, shape_, what):
    """`indices`' last axis as positions into `shape_`'s leading dims; InvalidArgumentError when out of range."""
    k = indices.shape[-1]
    flat = indices.reshape(-1, k)
    bad = np.any((flat < 0) | (flat >= np.asarray(shape_[:k])), axis=1)
    if np.any(bad):
        i = int(np.argmax(bad))
        raise _error(f"indices[{i}] = [{', '.join(str(int(v)) for v in flat[i])}] does not index into {what} "
                     f"{_text(tuple(shape_))}")
    return tuple(flat.T)


def _scatter_nd_kernel(a, indices, updates, shape_):
    shape_ = tuple(int(v) for v in shape_)
    out = np.zeros(shape_, dtype=updates.dtype)
    where = _nd_positions(indices, shape_, "shape")
    np.add.at(out, where, updates.reshape((-1,) + shape_[indices.shape[-1]:]))
    return out


def _gather_nd_kernel(a, params, indices):
    where = _nd_positions(indices, params.shape, "param shape")
    k = indices.shape[-1]
    return params[where].reshape(indices.shape[:-1] + params.shape[k:])


def _scatter_nd_shape(inputs, a):
    indices, updates, shape_t = inputs
    out = constant_value_as_shape(shape_t)
    i, u = dims(indices), dims(updates)
    if i is not None and len(i) < 1:
        raise ValueError("Shape must be at least rank 1 but is rank 0")
    if i is not None and u is not None and out.ndims is not None and i[-1] is not None:
        want = i[:-1] + out._dims[i[-1]:]
        if len(want) != len(u) or merge_dims(want, u) is None:
            raise ValueError(f"Dimensions must be equal: updates {_text(u)} for indices {_text(i)} into "
                             f"{_text(out._dims)}")
    return updates.dtype.base_dtype, out


def _gather_nd_shape(inputs, a):
    params, indices = inputs
    p, i = dims(params), dims(indices)
    if i is None or p is None or i[-1] is None:
        return params.dtype.base_dtype, unknown_shape()
    if i[-1] > len(p):
        raise ValueError(f"indices.shape[-1] must be <= params.rank, but saw indices shape: {_text(i)} and "
                         f"params shape: {_text(p)}")
    return params.dtype.base_dtype, TensorShape._raw(i[:-1] + p[i[-1]:])


_ND_ATTRS = {"bad_indices_policy": ""}
op("ScatterNd", "indices:Tindices, updates:T, shape:Tindices", kernel=_scatter_nd_kernel,
   shape=_scatter_nd_shape, Tindices="int16 int32 int64",
   grad=lambda op, g: [None, apply_op("GatherNd", [g, op.inputs[0]], dict(_ND_ATTRS)), None])
op("GatherNd", "params:Tparams, indices:Tindices", kernel=_gather_nd_kernel, shape=_gather_nd_shape,
   Tindices="int16 int32 int64",
   grad=lambda op, g: [apply_op("ScatterNd", [op.inputs[1], g, shape(op.inputs[0], out_type=op.inputs[1].dtype)],
                                dict(_ND_ATTRS)), None])


def scatter_nd(indices, updates, shape, name=None):  # noqa: A002 - TF's argument name
    """A zero tensor of `shape` with `updates` added at `indices` (duplicates summed)."""
    return apply_op("ScatterNd", [indices, updates, shape], dict(_ND_ATTRS), name=name)


def gather_nd(params, indices, name=None, batch_dims=0):
    """The slices of `params` at the index tuples on `indices`' last axis."""
    if batch_dims:
        raise NotImplementedError("gather_nd with batch_dims is not supported")
    return apply_op("GatherNd", [params, indices], dict(_ND_ATTRS), name=name)

"""Evenly spaced and rearranged values: `LinSpace`, `Roll`, `UnravelIndex`, `ParallelConcat` and the
Python-composed `linspace`, `meshgrid`, `repeat`, `sequence_mask`, `boolean_mask`, `batch_gather`."""
import numpy as np

from .. import dtypes
from ..convert import convert_to_tensor
from ..default_graph import name_scope
from ..errors import InvalidArgumentError
from ..shape import TensorShape, unknown_shape
from .array import broadcast_dynamic_shape, broadcast_to, expand_dims, reshape, shape, size, squeeze
from .filling import ones, zeros_like
from .filling import range as _range
from .joining import concat, tile
from .math import cast, equal, less, maximum
from .reduction import reduce_max, reduce_prod
from .registry import NO_GRADIENT_DEFINED, NOT_DIFFERENTIABLE, apply_op, op
from .shape_fns import constant_value, dims, merge_dims, same_shape, with_rank
from .slicing import gather, slice as _slice, where, where_v2

INDEX = (dtypes.int32, dtypes.int64)
_raw = TensorShape._raw


def _error(message):
    return InvalidArgumentError(None, None, message)


# ----- LinSpace -----------------------------------------------------------------------------------------------
def _lin_space_kernel(a, start, stop, num):
    if np.ndim(start) or np.ndim(stop) or np.ndim(num):
        which = "start" if np.ndim(start) else "stop" if np.ndim(stop) else "num"
        raise _error(f"{which} must be a scalar, not shape {list(np.shape(locals()[which]))}")
    n = int(num)
    if n < 0:  # (tf.linspace gives nothing for num = 0; the LinSpace op of older TFs refused it)
        raise _error(f"Requires num >= 0: {n}")
    if n == 0:
        return np.zeros(0, np.asarray(start).dtype)
    dt = np.asarray(start).dtype
    out = np.empty(n, dt)
    if n == 1:
        out[0] = start
        return out
    step = dt.type((stop - start) / dt.type(n - 1))
    out[:] = start + step * np.arange(n, dtype=dt)  # TF: start + i * step, the last one exactly stop
    out[-1] = stop
    return out


def _lin_space_shape(inputs, a):
    start, _stop, num = inputs
    for t in inputs:
        with_rank(t, 0)
    n = constant_value(num)
    if n is not None and int(n) < 0:
        raise ValueError(f"Requires num >= 0: {int(n)}")
    return start.dtype.base_dtype, _raw((None if n is None else int(n),))


op("LinSpace", "start:T, stop:T, num:Tidx=int32", kernel=_lin_space_kernel, shape=_lin_space_shape,
   T="bfloat16 float16 float32 float64", Tidx=INDEX, grad=NOT_DIFFERENTIABLE)


def lin_space_op(start, stop, num, name=None):
    """The single LinSpace op (TF 1's `math_ops.lin_space`, today's `tf.raw_ops.LinSpace`)."""
    with name_scope(name, "LinSpace", [start, stop]) as scope:
        start = convert_to_tensor(start, name="start")
        stop = convert_to_tensor(stop, name="stop", dtype=start.dtype)
        return apply_op("LinSpace", [start, stop, num], name=scope)


def linspace(start, stop, num, name=None, axis=0):
    """`num` evenly spaced values from `start` to `stop`, both included, along `axis`.

    TF 2.x's `tf.compat.v1.linspace` is `math_ops.linspace_nd`, composed of ~70 ops in scope `linspace/` whose
    result is `linspace/Slice:0` (TF 1.x's single LinSpace op is what `tf.raw_ops.LinSpace` still makes);
    this builds the same graph, op for op, so programs listing a graph's ops or printing the tensor's name see
    TensorFlow's names."""
    with name_scope(name, "linspace", [start, stop]):
        start = convert_to_tensor(start, name="start")
        stop = convert_to_tensor(stop, name="stop", dtype=start.dtype)
        num_int = convert_to_tensor(num, name="num", preferred_dtype=dtypes.int32)
        if not num_int.dtype.is_integer:
            raise TypeError(f"Argument `tensor` (name: num) must be of type integer. Received `tensor` = {num_int} "
                            f"of dtype: <dtype: '{num_int.dtype.name}'>")
        num_int = apply_op("Cast", [num_int], {"DstT": dtypes.int32, "Truncate": False})  # convert_to_int_tensor
        cast(num_int, dtype=start.dtype)  # made, and unused, as TF's linspace_nd does (its op names count on it)
        broadcast_shape = broadcast_dynamic_shape(shape(start), shape(stop))
        start = broadcast_to(start, broadcast_shape)
        stop = broadcast_to(stop, broadcast_shape)
        expanded_start = expand_dims(start, axis=axis)
        expanded_stop = expand_dims(stop, axis=axis)
        shp = shape(expanded_start)
        ndims = shape(shp)[0]
        axis = where_v2(axis >= 0, axis, ndims + axis)
        num_fill = maximum(num_int - 2, 0)
        n_steps = maximum(num_int - 1, 1)
        delta = (expanded_stop - expanded_start) / cast(n_steps, expanded_stop.dtype)
        expanded_start = cast(expanded_start, delta.dtype)
        expanded_stop = cast(expanded_stop, delta.dtype)
        range_end = where_v2(num_int >= 0, n_steps, -1)
        desired_range = cast(_range(1, range_end, dtype=dtypes.int64), delta.dtype)
        mask = equal(axis, _range(ndims))
        desired_range_shape = where_v2(mask, num_fill, 1)
        desired_range = reshape(desired_range, desired_range_shape)
        res = expanded_start + delta * desired_range
        concatenated = concat((expanded_start, res, expanded_stop), axis=axis)
        begin = zeros_like(shp)
        size_ = concat((shp[0:axis], reshape(num_int, [1]), shp[axis + 1:]), axis=0)
        return _slice(concatenated, begin, size_)


# ----- Roll ---------------------------------------------------------------------------------------------------
def _roll_kernel(a, x, shift, axis):
    if np.ndim(x) < 1:
        raise _error("input must be 1-D or higher")
    if np.ndim(shift) > 1:
        raise _error(f"shift must be a scalar or a 1-D vector. Found: {list(np.shape(shift))}")
    if np.ndim(axis) > 1:
        raise _error(f"axis must be a scalar or a 1-D vector. Found: {list(np.shape(axis))}")
    shift, axis = np.reshape(shift, -1), np.reshape(axis, -1)
    if shift.size != axis.size:
        raise _error("shift and axis must have the same size")
    totals = [0] * np.ndim(x)
    for s, ax in zip(shift.tolist(), axis.tolist()):
        if not -np.ndim(x) <= ax < np.ndim(x):
            raise _error(f"axis {ax} is out of range")
        totals[ax % np.ndim(x)] += s
    return np.roll(x, totals, tuple(range(np.ndim(x))))


def _roll_shape(inputs, a):
    x, shift, axis = inputs
    d = dims(x)
    if d is not None and len(d) < 1:
        raise ValueError(f"Shape must be at least rank 1 but is rank {len(d)}")
    for t in (shift, axis):
        r = dims(t)
        if r is not None and len(r) > 1:
            raise ValueError(f"Shape must be at most rank 1 but is rank {len(r)}")
    s, ax = dims(shift), dims(axis)
    if s and ax and s[0] is not None and ax[0] is not None and s[0] != ax[0]:
        raise ValueError(f"Dimensions must be equal, but are {s[0]} and {ax[0]}")
    return same_shape(inputs, a)


op("Roll", "input:T, shift:Tshift, axis:Taxis", kernel=_roll_kernel, shape=_roll_shape, Tshift=INDEX, Taxis=INDEX,
   grad=lambda op, g: [roll(g, -op.inputs[1], op.inputs[2]), None, None])


def roll(input, shift, axis, name=None):
    """`input` with its elements shifted by `shift` along `axis`, wrapping around (op Roll)."""
    return apply_op("Roll", [input, shift, axis], name=name)


# ----- UnravelIndex -------------------------------------------------------------------------------------------
def _unravel_kernel(a, indices, shape_):
    shape_ = np.asarray(shape_)
    if np.ndim(indices) > 1:
        raise _error(f"The indices can only be scalar or vector, got \"{list(np.shape(indices))}\"")
    if np.ndim(shape_) != 1:
        raise _error(f"The indices can only be 1-D, got \"{list(shape_.shape)}\"")
    if (shape_ <= 0).any():
        raise _error("Input dims must be > 0")
    total = int(np.prod(shape_, dtype=np.int64))
    if ((np.asarray(indices) < 0) | (np.asarray(indices) >= total)).any():
        raise _error("index is out of bound as with dims")
    return np.array(np.unravel_index(indices, tuple(shape_.tolist())), dtype=shape_.dtype)


def _unravel_shape(inputs, a):
    indices, shape_ = inputs
    i, s = dims(indices), with_rank(shape_, 1)
    if i is None:
        return indices.dtype.base_dtype, unknown_shape()
    if len(i) > 1:
        raise ValueError(f"Shape must be at most rank 1 but is rank {len(i)}")
    return indices.dtype.base_dtype, _raw((s[0],) + tuple(i))


op("UnravelIndex", "indices:Tidx, dims:Tidx", kernel=_unravel_kernel, shape=_unravel_shape, Tidx=INDEX,
   grad=NO_GRADIENT_DEFINED)


def unravel_index(indices, dims, name=None):
    """The coordinates, in an array of shape `dims`, of flat `indices` (op UnravelIndex)."""
    return apply_op("UnravelIndex", [indices, dims], name=name)


# ----- composed: meshgrid, repeat, sequence_mask, boolean_mask, batch_gather ----------------------------------
def meshgrid(*args, **kwargs):
    """N-D coordinate grids from 1-D vectors; `indexing="xy"` (default) swaps the first two axes."""
    indexing, name = kwargs.pop("indexing", "xy"), kwargs.pop("name", "meshgrid")
    if kwargs:
        raise TypeError(f"'{next(iter(kwargs))}' is an invalid keyword argument for this function")
    if indexing not in ("xy", "ij"):
        raise ValueError("Argument `indexing` parameter must be either 'xy' or 'ij'")
    with name_scope(name, "meshgrid", list(args)):
        n = len(args)
        outputs = [reshape(convert_to_tensor(x), (1,) * i + (-1,) + (1,) * (n - i - 1)) for i, x in enumerate(args)]
        shapes = [size(x) for x in args]
        dtype = outputs[0].dtype if outputs else dtypes.int32
        if indexing == "xy" and n > 1:
            outputs[0] = reshape(outputs[0], (1, -1) + (1,) * (n - 2))
            outputs[1] = reshape(outputs[1], (-1, 1) + (1,) * (n - 2))
            shapes[0], shapes[1] = shapes[1], shapes[0]
        grid = ones(shapes, dtype)
        return [x * grid for x in outputs]


def repeat(input, repeats, axis=None, name=None):
    """Each element (slice along `axis`) repeated `repeats` times; `axis=None` repeats the flattened input."""
    with name_scope(name, "Repeat", [input, repeats]):
        data = convert_to_tensor(input, name="input")
        repeats = convert_to_tensor(repeats, name="repeats")
        if axis is None:
            data, axis = reshape(data, [-1]), 0
        rank = dims(data)
        if rank is None:
            raise ValueError("tf.repeat needs an input of known rank")
        axis = axis % len(rank) if len(rank) else 0
        if dims(repeats) is not None and len(dims(repeats)) > 1:
            raise ValueError("`repeats` must be a scalar or a 1-D tensor")
        if dims(repeats) == () or dims(repeats) == (1,):
            repeats = reshape(repeats, [])
            tiled = tile(expand_dims(data, axis + 1), [1] * (axis + 1) + [repeats] + [1] * (len(rank) - axis - 1))
            data_shape = shape(data)
            return reshape(tiled, concat([data_shape[:axis], [repeats * data_shape[axis]], data_shape[axis + 1:]], 0))
        # one count per slice: tile each slice as often as the most repeated one, keep the first `count` copies
        most = maximum(convert_to_tensor(0, repeats.dtype), reduce_max(repeats))
        tiled = tile(expand_dims(data, axis + 1), [1] * (axis + 1) + [most] + [1] * (len(rank) - axis - 1))
        return boolean_mask(tiled, sequence_mask(repeats, most), axis=axis)


def sequence_mask(lengths, maxlen=None, dtype=dtypes.bool_, name=None):
    """`mask[i..., j] = j < lengths[i...]`, with `maxlen` columns (the longest length by default)."""
    with name_scope(name, "SequenceMask", [lengths, maxlen]):
        lengths = convert_to_tensor(lengths)
        if maxlen is None:
            maxlen = maximum(convert_to_tensor(0, lengths.dtype), reduce_max(lengths))
        else:
            maxlen = convert_to_tensor(maxlen)
        if dims(maxlen) is not None and len(dims(maxlen)) != 0:
            raise ValueError("Argument `maxlen` must be scalar for sequence_mask, received `maxlen` = "
                             f"{maxlen} with shape '{maxlen.shape}' instead")
        row = _range(0, maxlen, 1)
        result = less(row, cast(expand_dims(lengths, -1), maxlen.dtype))
        dtype = dtypes.as_dtype(dtype)
        return result if dtype == dtypes.bool_ else cast(result, dtype)


def boolean_mask(tensor, mask, name="boolean_mask", axis=None):
    """The entries of `tensor` where `mask` is True; `mask` covers the dims `axis..axis + mask.ndim`."""
    with name_scope(name, values=[tensor, mask]):
        tensor = convert_to_tensor(tensor, name="tensor")
        mask = convert_to_tensor(mask, name="mask")
        mask_dims = dims(mask)
        if mask_dims == ():
            raise ValueError("mask cannot be scalar.")
        if mask_dims is None:
            raise ValueError("Number of mask dimensions must be specified, even if some dimensions are None.  "
                             "E.g. shape=[None] is ok, but shape=None is not.")
        axis = 0 if axis is None else axis
        axis_value = constant_value(convert_to_tensor(axis)) if not isinstance(axis, int) else axis
        n = len(mask_dims)
        static = tensor.shape
        if axis_value is not None:
            axis = int(axis_value)
            static[axis:axis + n].assert_is_compatible_with(mask.shape)
        leading = reduce_prod(shape(tensor)[axis:axis + n], [0])  # three Shape ops (Shape, Shape_1, Shape_2), as TF
        tensor = reshape(tensor, concat([shape(tensor)[:axis], [leading], shape(tensor)[axis + n:]], 0))
        if axis_value is not None and static.ndims is not None:
            tensor.set_shape(static[:axis].concatenate([static[axis:axis + n].num_elements()])
                             .concatenate(static[axis + n:]))
        mask = reshape(mask, [-1])
        return gather(tensor, squeeze(where(mask), axis=[1]), axis=axis)


def batch_gather(params, indices, name=None):
    """`params[b..., indices[b..., i], ...]`: a gather within each batch entry (the batch dims lead `indices`)."""
    with name_scope(name, "BatchGather", [params, indices]):
        indices = convert_to_tensor(indices, name="indices")
        params = convert_to_tensor(params, name="params")
        if dims(indices) is None:
            raise ValueError("batch_gather does not allow indices with unknown shape.")
        b = len(dims(indices)) - 1
        if b <= 0:
            return gather(params, indices)
        p_shape, i_shape = shape(params), shape(indices)
        # row r of batch entry e is row e * N + r of params flattened over its batch dims
        starts = cast(_range(reduce_prod(i_shape[:b])) * p_shape[b], indices.dtype)
        flat = gather(reshape(params, concat([[-1], p_shape[b + 1:]], 0)),
                      indices + reshape(starts, concat([i_shape[:b], [1]], 0)))
        return reshape(flat, concat([i_shape, p_shape[b + 1:]], 0))


# ----- ParallelConcat (tf.parallel_stack) ---------------------------------------------------------------------
def _parallel_concat_kernel(a, *xs):
    for i, x in enumerate(xs):
        if np.ndim(x) < 1 or np.shape(x)[0] != 1 or np.shape(x)[1:] != tuple(a["shape"]._dims[1:]):
            raise _error(f"Input {i} has shape {list(np.shape(x))}, not [1] + {list(a['shape']._dims[1:])}")
    return np.concatenate(xs, 0)


def _parallel_concat_shape(inputs, a):
    want = a["shape"]
    if not want.is_fully_defined():
        raise ValueError("shape attr must be fully defined.")
    if want.ndims == 0:
        raise ValueError("Can't concat scalars: the shape attr must have rank > 0.")
    for i, x in enumerate(inputs):
        d = dims(x)
        if d is not None and (len(d) != want.ndims or d[0] not in (None, 1)):
            raise ValueError(f"All input shapes must have the first dimension size be 1, and the rank of the shape "
                             f"attr; input {i} has shape {x.shape}")
        if d is not None:
            merge_dims(d[1:], want._dims[1:])
    return inputs[0].dtype.base_dtype, want


op("ParallelConcat", "values:*T", kernel=_parallel_concat_kernel, shape=_parallel_concat_shape,
   grad=NO_GRADIENT_DEFINED)


def parallel_stack(values, name="parallel_stack"):
    """`stack(values)` as one ParallelConcat, which needs every value's shape known when building."""
    with name_scope(name):
        first = convert_to_tensor(values[0])
        out_shape = TensorShape([len(values)]).concatenate(first.shape)
        return apply_op("ParallelConcat", [[expand_dims(v, 0) for v in values]],
                        {"N": len(values), "shape": out_shape})

"""Moving blocks of spatial positions into depth or batch and back: SpaceToDepth, DepthToSpace, SpaceToBatchND,
BatchToSpaceND (`tf.space_to_depth`, `tf.space_to_batch_nd`, ...). Each kernel is one reshape and transpose.
`required_space_to_batch_paddings` computes the paddings a space_to_batch needs; `with_space_to_batch` runs an op
between the two to dilate it.
"""
from itertools import groupby

import numpy as np

from .. import dtypes
from ..convert import convert_to_tensor
from ..default_graph import name_scope
from ..errors import InvalidArgumentError
from ..shape import TensorShape
from .array import shape
from .filling import zeros
from .joining import concat, stack
from .registry import apply_op, op
from .shape_fns import constant_value, with_rank

_raw = TensorShape._raw
_FORMATS = ("NHWC", "NCHW", "NCHW_VECT_C")


def _error(message):
    return InvalidArgumentError(None, None, message)


# ----- SpaceToDepth and DepthToSpace ----------------------------------------------------------------------------
def _nhwc(x, fmt, op_type):
    if fmt != "NHWC":   # TF has NCHW kernels on GPUs only
        raise _error(f"No OpKernel was registered to support Op '{op_type}' with these attrs: "
                     f"[data_format=\"{fmt}\"]")
    return x


def _space_to_depth_kernel(a, x):
    if x.ndim != 4:
        raise _error(f"Input rank should be: 4 instead of: {x.ndim}")
    b, fmt = a["block_size"], a["data_format"]
    v = _nhwc(x, fmt, "SpaceToDepth")
    n, h, w, c = v.shape
    if h % b or w % b:
        raise _error(f"Image width {w} and height {h} should be divisible by block_size: {b}")
    return v.reshape(n, h // b, b, w // b, b, c).transpose(0, 1, 3, 2, 4, 5).reshape(n, h // b, w // b, b * b * c)


def _depth_to_space_kernel(a, x):
    if x.ndim != 4:
        raise _error(f"Input rank should be: 4 instead of: {x.ndim}")
    b, fmt = a["block_size"], a["data_format"]
    v = _nhwc(x, fmt, "DepthToSpace")
    n, h, w, c = v.shape
    if c % (b * b):
        raise _error(f"Input depth dimension {c} should be divisible by: {b * b}")
    return v.reshape(n, h, w, b, b, c // (b * b)).transpose(0, 1, 3, 2, 4, 5).reshape(n, h * b, w * b, c // (b * b))


def _divided(d, b):
    if d is None:
        return None
    if d % b:
        raise ValueError(f"Dimension size must be evenly divisible by {b} but is {d}")
    return d // b


def _depth_shape(to_depth):
    def shape_fn(inputs, a):
        d = with_rank(inputs[0], 4)
        b, fmt = a["block_size"], a["data_format"]
        if b < 2:
            raise ValueError(f"Value for attr 'block_size' of {b} must be at least minimum 2")
        n, h, w, c = (d[0], d[2], d[3], d[1]) if fmt == "NCHW" else d
        if to_depth:
            h, w, c = _divided(h, b), _divided(w, b), None if c is None else c * b * b
        else:
            h, w, c = None if h is None else h * b, None if w is None else w * b, _divided(c, b * b)
        out = (n, c, h, w) if fmt == "NCHW" else (n, h, w, c)
        return inputs[0].dtype.base_dtype, _raw(out)
    return shape_fn


def _block_attrs(op_):
    return {"block_size": op_._attrs["block_size"], "data_format": op_._attrs["data_format"]}


op("SpaceToDepth", "input:T", kernel=_space_to_depth_kernel, shape=_depth_shape(True), choices={"data_format": _FORMATS},
   grad=lambda op_, g: [apply_op("DepthToSpace", [g], _block_attrs(op_))])
op("DepthToSpace", "input:T", kernel=_depth_to_space_kernel, shape=_depth_shape(False),
   choices={"data_format": _FORMATS}, grad=lambda op_, g: [apply_op("SpaceToDepth", [g], _block_attrs(op_))])


def space_to_depth(input, block_size, name=None, data_format="NHWC"):
    """Moves each block_size x block_size block of positions into the depth (op SpaceToDepth)."""
    return apply_op("SpaceToDepth", [input], {"block_size": int(block_size), "data_format": data_format}, name=name)


def depth_to_space(input, block_size, name=None, data_format="NHWC"):
    """The inverse of space_to_depth (op DepthToSpace)."""
    return apply_op("DepthToSpace", [input], {"block_size": int(block_size), "data_format": data_format}, name=name)


# ----- SpaceToBatchND and BatchToSpaceND ------------------------------------------------------------------------
def _check_block(block, pairs, x, label):
    block = np.asarray(block).reshape(-1).astype(np.int64)
    pairs = np.asarray(pairs).astype(np.int64)
    m = block.size
    if pairs.shape != (m, 2):
        raise _error(f"{label} should have shape [{m}, 2] instead of {list(pairs.shape)}")
    if x.ndim < 1 + m:
        raise _error(f"input rank should be >= {1 + m} instead of {x.ndim}")
    if (block < 1).any():
        raise _error("All values in block_shape must be positive, got value, " + str(block.min()) + " instead.")
    if (pairs < 0).any():
        raise _error(f"All values in {label} must be non-negative")
    return block, pairs, m


def _space_to_batch_kernel(a, x, block, paddings):
    block, pads, m = _check_block(block, paddings, x, "paddings")
    xp = np.pad(x, [(0, 0)] + [tuple(p) for p in pads] + [(0, 0)] * (x.ndim - 1 - m))
    spatial = xp.shape[1:1 + m]
    for i, (s, b) in enumerate(zip(spatial, block)):
        if s % b:
            raise _error(f"padded_shape[{i}]={s} is not divisible by block_shape[{i}]={b}")
    n, rest = x.shape[0], xp.shape[1 + m:]
    split = [n] + [v for s, b in zip(spatial, block) for v in (s // b, b)] + list(rest)
    order = [2 + 2 * i for i in range(m)] + [0] + [1 + 2 * i for i in range(m)] + list(range(1 + 2 * m, len(split)))
    out = xp.reshape(split).transpose(order)
    return out.reshape([n * int(np.prod(block))] + [s // b for s, b in zip(spatial, block)] + list(rest))


def _batch_to_space_kernel(a, x, block, crops):
    block, crops, m = _check_block(block, crops, x, "crops")
    prod = int(np.prod(block))
    if x.shape[0] % prod:
        raise _error(f"Input batch dimension ({x.shape[0]}) is not divisible by product of block sizes ({prod})")
    n, spatial, rest = x.shape[0] // prod, x.shape[1:1 + m], x.shape[1 + m:]
    y = x.reshape(list(block) + [n] + list(spatial) + list(rest))
    order = [m] + [v for i in range(m) for v in (m + 1 + i, i)] + list(range(2 * m + 1, y.ndim))
    y = y.transpose(order).reshape([n] + [s * b for s, b in zip(spatial, block)] + list(rest))
    for i, (lo, hi) in enumerate(crops):
        if lo + hi > y.shape[1 + i]:
            raise _error(f"crops must be less than or equal to the input size along dimension {i + 1}")
    return y[(slice(None),) + tuple(slice(lo, y.shape[1 + i] - hi) for i, (lo, hi) in enumerate(crops))]


def _batch_shape(to_batch):
    def shape_fn(inputs, a):
        x, block_t, pairs_t = inputs
        bd = with_rank(block_t, 1)
        with_rank(pairs_t, 2)
        d = x.shape._dims
        m = bd[0]
        if d is None:
            return x.dtype.base_dtype, TensorShape(None)
        if m is not None and len(d) < 1 + m:
            raise ValueError(f"Shape must be at least rank {1 + m} but is rank {len(d)}")
        n = len(d) if m is None else 1 + m
        out = [None] * n + list(d[n:])
        block, pairs = constant_value(block_t), constant_value(pairs_t)
        if block is not None:   # as TF: the batch needs only the block (taken dim by dim), the spatial dims the pairs
            block = np.ravel(block).astype(int).tolist()
            batch = d[0]
            for b in block:
                batch = None if batch is None else batch * b if to_batch else _divided(batch, b)
            out[0] = batch
            if pairs is not None:
                for i, (lo, hi) in enumerate(np.reshape(pairs, (-1, 2)).astype(int).tolist()):
                    s, b = d[1 + i], block[i]
                    out[1 + i] = None if s is None else _divided(s + lo + hi, b) if to_batch else s * b - lo - hi
        return x.dtype.base_dtype, _raw(tuple(out))
    return shape_fn


_INDEX = (dtypes.int32, dtypes.int64)
op("SpaceToBatchND", "input:T, block_shape:Tblock_shape=int32, paddings:Tpaddings=int32",
   kernel=_space_to_batch_kernel, shape=_batch_shape(True), Tblock_shape=_INDEX, Tpaddings=_INDEX,
   grad=lambda op_, g: [apply_op("BatchToSpaceND", [g, op_.inputs[1], op_.inputs[2]], {}), None, None])
op("BatchToSpaceND", "input:T, block_shape:Tblock_shape=int32, crops:Tcrops=int32",
   kernel=_batch_to_space_kernel, shape=_batch_shape(False), Tblock_shape=_INDEX, Tcrops=_INDEX,
   grad=lambda op_, g: [apply_op("SpaceToBatchND", [g, op_.inputs[1], op_.inputs[2]], {}), None, None])


def space_to_batch_nd(input, block_shape, paddings, name=None):
    """Pads the spatial dims and moves each block of positions into the batch (op SpaceToBatchND)."""
    return apply_op("SpaceToBatchND", [input, block_shape, paddings], {}, name=name)


def batch_to_space_nd(input, block_shape, crops, name=None):
    """The inverse of space_to_batch_nd, cropping afterwards (op BatchToSpaceND)."""
    return apply_op("BatchToSpaceND", [input, block_shape, crops], {}, name=name)


def space_to_batch(input, paddings, block_size=None, name=None, block_shape=None):
    """space_to_batch_nd over the two spatial dims of a 4-D input with a square block."""
    block_size = block_shape if block_size is None else block_size
    result = space_to_batch_nd(input, np.array([block_size, block_size], np.int64), paddings, name=name)
    result.set_shape(result.shape.with_rank(4))
    return result


def batch_to_space(input, crops, block_size, name=None, block_shape=None):
    """batch_to_space_nd over the two spatial dims of a 4-D input with a square block."""
    block_size = block_shape if block_size is None else block_size
    result = batch_to_space_nd(input, np.array([block_size, block_size], np.int64), crops, name=name)
    result.set_shape(result.shape.with_rank(4))
    return result


def required_space_to_batch_paddings(input_shape, block_shape, base_paddings=None, name=None):
    """The paddings (and the crops undoing them) that make `input_shape` plus `base_paddings` divisible by
    `block_shape`: padding only at the ends. Constants when every input is known while building."""
    with name_scope(name, "required_space_to_batch_paddings", [input_shape, block_shape]):
        input_shape = convert_to_tensor(input_shape, dtypes.int32, name="input_shape")
        block_shape = convert_to_tensor(block_shape, dtypes.int32, name="block_shape")
        if not block_shape.shape.is_fully_defined():
            raise ValueError(f"Shape {block_shape.shape} is not fully defined")
        if block_shape.shape.ndims != 1:
            raise ValueError(f"Shape {block_shape.shape} must have rank 1")
        n = block_shape.shape.as_list()[0]
        if n == 0:
            return zeros([0, 2], dtypes.int32), zeros([0, 2], dtypes.int32)
        input_shape.shape.assert_is_compatible_with([n])
        if base_paddings is not None:
            base_paddings = convert_to_tensor(base_paddings, dtypes.int32, name="base_paddings")
            base_paddings.shape.assert_is_compatible_with([n, 2])
        else:
            base_paddings = zeros([n, 2], dtypes.int32)
        known = [_static_value(t) for t in (block_shape, input_shape, base_paddings)]
        if all(v is not None for v in known):
            block_shape, input_shape, base_paddings = known
        start, end = base_paddings[:, 0], base_paddings[:, 1]
        extra = (block_shape - (input_shape + start + end) % block_shape) % block_shape
        end = end + extra
        paddings = stack([[start[i], end[i]] for i in range(n)], name="paddings")
        crops = stack([[0, extra[i]] for i in range(n)], name="crops")
        return paddings, crops


def with_space_to_batch(input, dilation_rate, padding, op, filter_shape=None, spatial_dims=None,
                        data_format=None):
    """Runs `op(x, num_spatial_dims, padding)` as its dilated ("atrous") form, as TF's tf.nn.with_space_to_batch:
    SpaceToBatchND moves each phase of `dilation_rate` into the batch (padded for SAME as a filter of
    `filter_shape` dilated would be, and to a multiple of the rate), `op` runs VALID on it and BatchToSpaceND moves
    it back, cropping the extra padding. A rate of all ones just calls `op(input, num_spatial_dims, padding)`.
    `spatial_dims` default to the dims after the batch (after the channels for a `data_format` starting "NC")."""
    input = convert_to_tensor(input, name="input")
    rate = convert_to_tensor(dilation_rate, dtypes.int32, name="dilation_rate")
    if rate.shape.ndims not in (None, 1):
        raise ValueError(f"`dilation_rate.shape.rank` must be 1. Received: dilation_rate={rate} of rank "
                         f"{rate.shape.ndims}")
    if not rate.shape.is_fully_defined():
        raise ValueError(f"`dilation_rate.shape` must be fully defined. Received: dilation_rate={rate} with shape "
                         f"{rate.shape}")
    n = rate.shape.as_list()[0]
    channels_first = data_format is not None and data_format.startswith("NC")
    first = 2 if channels_first else 1
    given = list(range(first, first + n) if spatial_dims is None else spatial_dims)
    spatial_dims = sorted({int(d) for d in given})
    if spatial_dims != given or any(d < 1 for d in spatial_dims):
        raise ValueError(f"`spatial_dims` must be a monotonically increasing sequence of positive integers. "
                         f"Received: spatial_dims={given}")
    min_rank = spatial_dims[-1] if channels_first else spatial_dims[-1] + 1   # (TF's count for channels first)
    try:
        input.shape.with_rank_at_least(min_rank)
    except ValueError:
        raise ValueError(f"`input.shape.rank` must be at least {min_rank}. Received: input.shape={input.shape} "
                         f"with rank {input.shape.ndims}") from None
    known_rate = _static_value(rate)
    if known_rate is not None:
        if np.any(known_rate < 1):
            raise ValueError(f"`dilation_rate` must be positive. Received: dilation_rate={known_rate}")
        if np.all(known_rate == 1):
            return op(input, n, padding)
    base = _base_paddings(padding, filter_shape, n, rate if known_rate is None else known_rate, channels_first)
    sizes = None if input.shape.ndims is None else [input.shape.as_list()[d] for d in spatial_dims]
    if sizes is None or None in sizes:
        dynamic = shape(input)
        sizes = stack([dynamic[d] for d in spatial_dims])
    if base is None:   # TF would take the shape of op's filter here, which with_space_to_batch has none of
        raise ValueError("None values not supported.")
    paddings, crops = required_space_to_batch_paddings(sizes, rate, base)
    block, paddings, crops = (_spread(v, fill, spatial_dims) for v, fill in ((rate, 1), (paddings, 0), (crops, 0)))
    result = batch_to_space_nd(op(space_to_batch_nd(input, block, paddings), n, "VALID"), block, crops)
    if channels_first and result.shape.ndims is None:   # TF reads dim 1 of the result (to fill in channels)
        raise TypeError("'NoneType' object is not subscriptable")
    return result


def _base_paddings(padding, filter_shape, n, rate, channels_first):
    """The [n, 2] padding before the rounding up to the rate: the dilated filter's SAME padding, zeros for VALID,
    the spatial pairs of an explicit padding list; None for SAME with a filter shape unknown while building."""
    from .conv import convert_padding  # conv.py imports this module
    padding, explicit = convert_padding(padding)
    if padding == "SAME":
        if filter_shape is None:
            raise ValueError(f"`filter_shape` must be specified for `padding='SAME'`. Received: "
                             f"filter_shape={filter_shape} and padding={padding}")
        known = _static_value(convert_to_tensor(filter_shape, name="filter_shape"))
        if known is None:
            return None
        extra = (known[:n] - 1) * rate
        start = extra // 2
        end = extra - start
        return stack([[start[i], end[i]] for i in range(n)])
    if padding == "VALID":
        return np.zeros([n, 2], np.int32)
    if padding == "EXPLICIT":
        pairs = np.array(explicit).reshape([n + 2, 2])
        return pairs[2:] if channels_first else pairs[1:-1]
    raise ValueError(f"`padding` must be one of 'SAME' or 'VALID'. Received: padding={padding}")


def _spread(value, fill, spatial_dims):
    """`value`'s rows at rows `spatial_dims` - 1 of max(spatial_dims) rows, `fill` in the rows between (the block,
    paddings or crops SpaceToBatchND takes over every dim from 1 to the last spatial one); a constant when `value`
    is known while building, else a concat."""
    known = _static_value(value)
    rows, parts, last = value if known is None else known, [], 0
    for _, run in groupby(enumerate(spatial_dims), lambda pair: pair[1] - pair[0]):   # runs of consecutive dims
        run = list(run)
        if run[0][1] > last + 1:
            gap = [run[0][1] - 1 - last] + value.shape.as_list()[1:]
            parts.append(np.full(gap, fill, value.dtype.as_numpy_dtype))
        parts.append(rows[run[0][0]:run[-1][0] + 1])
        last = run[-1][1]
    return concat(parts, 0) if known is None else np.concatenate(parts)


def _static_value(t):
    """`t`'s value where TF's tensor_util.constant_value knows it (fewer ops than the shape functions fold), which
    is what TF's Python code for these functions consults; else None."""
    from ..tensor_util import get_static_value  # tensor_util sits above the op families
    return get_static_value(t)

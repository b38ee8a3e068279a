"""Moving blocks of spatial positions into depth or batch and back: SpaceToDepth, DepthToSpace, SpaceToBatchND,
BatchToSpaceND (`tf.space_to_depth`, `tf.space_to_batch_nd`, ...). Each kernel is one reshape and transpose.
`required_space_to_batch_paddings` computes the paddings a space_to_batch needs.
"""
import numpy as np

from .. import dtypes
from ..convert import convert_to_tensor
from ..default_graph import name_scope
from ..errors import InvalidArgumentError
from ..shape import TensorShape
from .filling import zeros
from .joining import stack
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


def space_to_depth(input, block_size, name=None, data_format="NHWC"):  # noqa: A002 - TF's names
    """Moves each block_size x block_size block of positions into the depth (op SpaceToDepth)."""
    return apply_op("SpaceToDepth", [input], {"block_size": int(block_size), "data_format": data_format}, name=name)


def depth_to_space(input, block_size, name=None, data_format="NHWC"):  # noqa: A002
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
        block, pairs = constant_value(block_t), constant_value(pairs_t)
        if block is None or pairs is None:
            return x.dtype.base_dtype, _raw((None,) * (len(d) if m is None else 1 + m) + (() if m is None else d[1 + m:]))
        block, pairs = np.ravel(block).astype(int).tolist(), np.reshape(pairs, (-1, 2)).astype(int).tolist()
        prod = int(np.prod(block))
        spatial = []
        for s, b, (lo, hi) in zip(d[1:], block, pairs):
            if to_batch:
                spatial.append(None if s is None else _divided(s + lo + hi, b))
            else:
                spatial.append(None if s is None else s * b - lo - hi)
        if to_batch:
            batch = None if d[0] is None else d[0] * prod
        else:
            batch = None if d[0] is None else _divided(d[0], prod)
        return x.dtype.base_dtype, _raw((batch,) + tuple(spatial) + tuple(d[1 + len(block):]))
    return shape_fn


_INDEX = (dtypes.int32, dtypes.int64)
op("SpaceToBatchND", "input:T, block_shape:Tblock_shape=int32, paddings:Tpaddings=int32",
   kernel=_space_to_batch_kernel, shape=_batch_shape(True), Tblock_shape=_INDEX, Tpaddings=_INDEX,
   grad=lambda op_, g: [apply_op("BatchToSpaceND", [g, op_.inputs[1], op_.inputs[2]], {}), None, None])
op("BatchToSpaceND", "input:T, block_shape:Tblock_shape=int32, crops:Tcrops=int32",
   kernel=_batch_to_space_kernel, shape=_batch_shape(False), Tblock_shape=_INDEX, Tcrops=_INDEX,
   grad=lambda op_, g: [apply_op("SpaceToBatchND", [g, op_.inputs[1], op_.inputs[2]], {}), None, None])


def space_to_batch_nd(input, block_shape, paddings, name=None):  # noqa: A002
    """Pads the spatial dims and moves each block of positions into the batch (op SpaceToBatchND)."""
    return apply_op("SpaceToBatchND", [input, block_shape, paddings], {}, name=name)


def batch_to_space_nd(input, block_shape, crops, name=None):  # noqa: A002
    """The inverse of space_to_batch_nd, cropping afterwards (op BatchToSpaceND)."""
    return apply_op("BatchToSpaceND", [input, block_shape, crops], {}, name=name)


def space_to_batch(input, paddings, block_size=None, name=None, block_shape=None):  # noqa: A002
    """space_to_batch_nd over the two spatial dims of a 4-D input with a square block."""
    block_size = block_shape if block_size is None else block_size
    result = space_to_batch_nd(input, np.array([block_size, block_size], np.int64), paddings, name=name)
    result.set_shape(result.shape.with_rank(4))
    return result


def batch_to_space(input, crops, block_size, name=None, block_shape=None):  # noqa: A002
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
        known = [constant_value(t) for t in (block_shape, input_shape, base_paddings)]
        if all(v is not None for v in known):
            block_shape, input_shape, base_paddings = known
        start, end = base_paddings[:, 0], base_paddings[:, 1]
        extra = (block_shape - (input_shape + start + end) % block_shape) % block_shape
        paddings = stack([[start[i], end[i] + extra[i]] for i in range(n)], name="paddings")
        crops = stack([[0, extra[i]] for i in range(n)], name="crops")
        return paddings, crops

"""Joining and splitting: ConcatV2, Pack (stack), Unpack (unstack), Split, SplitV, Tile, Pad."""
import numpy as np

from .. import dtypes
from ..convert import convert_to_tensor
from ..errors import InvalidArgumentError, UnimplementedError
from ..default_graph import name_scope
from ..shape import Dimension, TensorShape, unknown_shape
from ..tensor import Tensor
from .array import identity, rank, reshape, shape, shape_n, transpose
from .filling import zeros, zeros_like
from .indexed_slices import IndexedSlices
from .registry import NOT_DIFFERENTIABLE, REGISTRY, apply_op, op
from .shape_fns import constant_value, constant_value_as_shape, dims, merge_all_dims, merge_dims, with_rank

INDEX = (dtypes.int32, dtypes.int64)
_raw = TensorShape._raw


def _text(shape_):
    return "[" + ",".join("?" if d is None else str(d) for d in shape_) + "]"


def _error(message):
    return InvalidArgumentError(None, None, message)


def _single(outputs):
    """A multi-output kernel's result: the array itself when there is one output (the executor's rule)."""
    return outputs[0] if len(outputs) == 1 else tuple(outputs)


def _filled_grads(op, grads):
    return [g if g is not None else zeros_like(t) for g, t in zip(grads, op.outputs)]


# ----- ConcatV2 --------------------------------------------------------------------------------------------
def _concat_shape(inputs, a):
    """TF's ConcatShapeHelper: equal ranks, then (with the axis known) merged non-axis dims, summed axis dim."""
    values, axis_t = inputs[:-1], inputs[-1]
    with_rank(axis_t, 0)
    r = None
    for t in values:
        r = len(dims(t)) if r is None and dims(t) is not None else r
        if r is not None:
            with_rank(t, r)
    axis = constant_value(axis_t)
    dtype = values[0].dtype.base_dtype
    if axis is None:
        if r == 0:
            raise ValueError("Can't concatenate scalars (use tf.stack instead)")
        return dtype, unknown_shape(r)
    axis = int(axis)
    min_rank = -axis if axis < 0 else axis + 1
    for t in values:
        d = dims(t)
        if d is not None and len(d) < min_rank:
            raise ValueError(f"Shape must be at least rank {min_rank} but is rank {len(d)}")
    if r is None:
        return dtype, unknown_shape()
    axis %= r
    before, middle, after = _split_at(dims(values[-1]), axis)
    for t in values[-2::-1]:
        b, m, a = _split_at(dims(t), axis)
        before = merge_dims(b, before)
        middle = None if middle is None or m is None else middle + m
        after = merge_dims(a, after)
    if before is None or after is None:
        return dtype, unknown_shape()
    return dtype, _raw(before + (middle,) + after)


def _split_at(d, axis):
    return (None, None, None) if d is None else (d[:axis], d[axis], d[axis + 1:])


def _concat_kernel(a, *xs):
    values, axis = xs[:-1], int(xs[-1])
    r = np.ndim(values[0])
    if not -r <= axis < r:
        raise _error(f"ConcatOp : Expected concatenating dimensions in the range [{-r}, {r}), but got {axis}")
    axis %= r
    for i, x in enumerate(values[1:], 1):
        if np.ndim(x) != r:
            raise _error(f"ConcatOp : Ranks of all input tensors should match: shape[0] = "
                         f"{_text(np.shape(values[0]))} vs. shape[{i}] = {_text(np.shape(x))}")
        for j in range(r):
            if j != axis and x.shape[j] != values[0].shape[j]:
                raise _error(f"ConcatOp : Dimension {j} in both shapes must be equal: shape[0] = "
                             f"{_text(np.shape(values[0]))} vs. shape[{i}] = {_text(np.shape(x))}")
    return np.concatenate(values, axis=axis)


def _concat_offset_kernel(a, concat_dim, *shapes):
    first = shapes[0]
    n = first.size
    axis = int(concat_dim) + n if int(concat_dim) < 0 else int(concat_dim)
    if not 0 <= axis < n:
        raise _error(f"Concat dim is out of range: {int(concat_dim)} vs. {n}")
    offsets, at = [], 0
    for i, s in enumerate(shapes):
        if s.size != n:
            raise _error(f"input {i} should contain {n} elements, but got {s.size}")
        if any(s[j] != first[j] for j in range(n) if j != axis):
            raise _error(f"All dimensions except {axis} must match. Input {i} has shape [{' '.join(map(str, s))}] "
                         f"and doesn't match input 0 with shape [{' '.join(map(str, first))}].")
        offset = np.zeros(n, s.dtype)
        offset[axis] = at
        offsets.append(offset)
        at += s[axis]
    return _single(offsets)


op("ConcatOffset", "concat_dim:int32, shape:*shape_type", kernel=_concat_offset_kernel, grad=NOT_DIFFERENTIABLE,
   shape=lambda inputs, a: [(x.dtype.base_dtype, x.shape) for x in inputs[1:]], shape_type=INDEX)


def _output_context(op_):
    """The control-flow context an op's outputs live in (an Exit's: the loop's outer one), as TF's GetOutputContext."""
    ctx = op_._cond_context
    return getattr(ctx, "outer", None) if op_._def.role == "exit" else ctx


def _input_shapes(values):
    """Their shapes: Consts when all are known, else one ShapeN (TF's _ExtractInputShapes)."""
    sizes = []
    for x in values:
        size = shape(x)
        if size.op.type != "Const":
            return list(shape_n(values))
        sizes.append(size)
    return sizes


def _concat_grad(op, g):
    """TF's _ConcatGradHelper: each input's slice of `g` (ConcatOffset and Slice; Split past 16 inputs)."""
    values, axis = op.inputs[:-1], op.inputs[-1]
    if len(values) == 1:
        return [g, None]
    if not isinstance(g, IndexedSlices):
        if axis.op.type == "Const" and _output_context(g.op) is not _output_context(axis.op):
            axis = convert_to_tensor(constant_value(axis), dtype=axis.dtype)  # (not routed in through an Enter)
        non_neg_axis = axis % rank(values[0])
        sizes = _input_shapes(values)
        if len(sizes) > 16:
            sizes = apply_op("Squeeze", [apply_op("Slice", [stack(sizes, axis=1), [non_neg_axis, 0], [1, -1]], {})],
                             {"squeeze_dims": []})
            return list(split(g, sizes, non_neg_axis)) + [None]
        offsets = apply_op("ConcatOffset", [non_neg_axis, sizes], {"N": len(sizes)})
        return [apply_op("Slice", [g, begin, size], {}) for begin, size in zip(offsets, sizes)] + [None]
    return _concat_grad_indexed_slices(values, axis, g) + [None]


def _concat_grad_indexed_slices(values, axis, g):
    """TF's gradients of a concat whose output gradient is IndexedSlices: IndexedSlices for each input, along axis
    0 the rows of `g` that fall in that input (indices shifted), along another axis all rows, values sliced."""
    non_neg_axis = axis % rank(values[0])
    a = constant_value(axis)
    if a is None:
        raise ValueError("Can only compute IndexedSlices gradient with statically-known concat_dim")
    if a < 0:
        r = dims(values[0])
        if r is None:
            raise ValueError("Can only compute IndexedSlices gradient with negative concat_dim when first value "
                             "rank is statically-known.")
        a %= len(r)
    sizes = [shape(v) for v in values]
    out = []
    if a > 0:
        shape_of_shape = shape(sizes[0])
        mask = concat([zeros(apply_op("ExpandDims", [non_neg_axis, 0], {}), dtype=dtypes.int32), [1],
                       zeros(shape_of_shape - non_neg_axis - 1, dtype=dtypes.int32)], 0)
        begin = zeros(shape_of_shape, dtype=dtypes.int32)
        for size in sizes:
            tail = apply_op("Slice", [size, [1], [-1]], {})
            new_values = apply_op("Slice", [g.values, begin, concat([[-1], tail], 0)], {})
            out.append(IndexedSlices(new_values, g.indices, size))
            begin = apply_op("AddV2", [begin, size * mask], {}, name="Add")
        return out
    start = convert_to_tensor(0, dtype=g.indices.dtype)
    for size in sizes:
        size_axis = apply_op("GatherV2", [size, non_neg_axis, 0], {"batch_dims": 0})
        if size_axis.dtype.base_dtype != g.indices.dtype.base_dtype:
            size_axis = apply_op("Cast", [size_axis], {"DstT": g.indices.dtype.base_dtype})
        end = start + size_axis
        inside = apply_op("LogicalAnd", [g.indices >= start, g.indices < end], {})
        selected = apply_op("Squeeze", [apply_op("Where", [inside], {})], {"squeeze_dims": [1]})
        new_indices = apply_op("GatherV2", [g.indices, selected, 0], {"batch_dims": 0}) - start
        new_values = apply_op("GatherV2", [g.values, selected, 0], {"batch_dims": 0})
        out.append(IndexedSlices(new_values, new_indices, size))
        start = end
    return out


op("ConcatV2", "values:*T, axis:Tidx=int32", kernel=_concat_kernel, Tidx=INDEX, shape=_concat_shape,
   grad=_concat_grad)


def concat(values, axis, name="concat"):
    """Joins tensors along `axis` (one tensor: an Identity, as in TF1)."""
    if not isinstance(values, (list, tuple)):
        values = [values]
    if len(values) == 1:
        with name_scope(name):
            t = convert_to_tensor(axis, name="concat_dim", dtype=dtypes.int32)
            if t.shape.ndims not in (None, 0):
                raise ValueError(f"Shape {t.shape} must have rank 0")
            return identity(values[0], name=name)  # TF names it `name` inside the scope: concat/concat
    return apply_op("ConcatV2", [list(values), axis], {"N": len(values)}, name=name)


# ----- Pack / Unpack ---------------------------------------------------------------------------------------
def _pack_shape(inputs, a):
    cur = merge_all_dims(inputs)
    dtype = inputs[0].dtype.base_dtype
    if cur is None:
        return dtype, unknown_shape()
    axis = _pack_axis(a["axis"], len(cur) + 1, ValueError)
    return dtype, _raw(cur[:axis] + (len(inputs),) + cur[axis:])


def _pack_axis(axis, r, error):
    if not -r <= axis < r:
        raise error(f"Invalid axis: {axis}; must be in [{-r},{r})")
    return axis % r


def _pack_kernel(a, *xs):
    for i, x in enumerate(xs[1:], 1):
        if np.shape(x) != np.shape(xs[0]):
            raise _error(f"Shapes of all inputs must match: values[0].shape = {_text(np.shape(xs[0]))} != "
                         f"values[{i}].shape = {_text(np.shape(x))}")
    return np.stack(xs, axis=a["axis"])


op("Pack", "values:*T", kernel=_pack_kernel, shape=_pack_shape,
   grad=lambda op, g: unstack(g, num=op._attrs["N"], axis=op._attrs["axis"]))


def stack(values, axis=0, name="stack"):
    """Stacks rank-R tensors into one rank-(R+1) tensor (a Const when every value is a Python value)."""
    if axis == 0:
        try:
            return convert_to_tensor(values, name=name)
        except (TypeError, ValueError, NotImplementedError):
            pass
    first = dims(convert_to_tensor(values[0], name=name))
    if first is not None:
        n = len(first) + 1
        if not -n <= axis < n:
            raise ValueError(f"Argument `axis` = {axis} not in range [{-n}, {n})")
    return apply_op("Pack", [list(values)], {"axis": axis, "N": len(values)}, name=name)


def pack_tensors(tensors, name):
    """A Pack of tensors (list autopacking in convert.py)."""
    return apply_op("Pack", [tensors], {"axis": 0, "N": len(tensors)}, name=name)


def _unpack_shape(inputs, a):
    x = inputs[0]
    d = dims(x)
    n = a["num"]
    if d is None:
        return [(x.dtype.base_dtype, unknown_shape())] * n
    axis = _pack_axis(a["axis"], len(d), ValueError)
    if d[axis] is not None and d[axis] != n:
        raise ValueError(f"Dimension must be {n} but is {d[axis]}")
    return [(x.dtype.base_dtype, _raw(d[:axis] + d[axis + 1:]))] * n


def _unpack_kernel(a, x):
    axis = _pack_axis(a["axis"], np.ndim(x), _error)
    if x.shape[axis] != a["num"]:
        raise _error(f"Input shape axis {axis} must equal {a['num']}, got shape {_text(x.shape)}")
    return _single(list(np.moveaxis(x, axis, 0)))


op("Unpack", "value:T", kernel=_unpack_kernel, shape=_unpack_shape,
   grad=lambda op, *gs: [stack(_filled_grads(op, gs), axis=op._attrs["axis"])])


def unstack(value, num=None, axis=0, name="unstack"):
    """Splits `value` along `axis` into a list of tensors of one rank less."""
    if num is None:
        value = convert_to_tensor(value)
        d = dims(value)
        if d is not None:
            if not -len(d) <= axis < len(d):
                raise ValueError(f"Argument `axis` = {axis} not in range [{-len(d)}, {len(d)})")
            num = d[axis]
        if num is None:
            raise ValueError(f"Cannot infer argument `num` from shape {value.shape}")
    out = apply_op("Unpack", [value], {"num": num, "axis": axis}, name=name)
    return out if isinstance(out, list) else [out] if isinstance(out, Tensor) else []


# ----- Split / SplitV --------------------------------------------------------------------------------------
def _split_dim(axis_t, d, index):
    """TF's MakeDimForScalarInputWithNegativeIndexing: the split axis, or None if unknown."""
    with_rank(axis_t, 0)
    v = constant_value(axis_t)
    if v is None:
        return None
    v = int(v)
    if v < 0 and d is not None:
        v += len(d)
        if v < 0:
            raise ValueError(f"Dimension size, given by scalar input {index}, must be in range "
                             f"[-{len(d)}, {len(d)})")
    return v


def _split_shape(inputs, a):
    axis_t, x = inputs
    n, d, dtype = a["num_split"], dims(x), x.dtype.base_dtype
    axis = _split_dim(axis_t, d, 0)
    if axis is None:
        return [(dtype, unknown_shape(None if d is None else len(d)))] * n
    if d is None:
        return [(dtype, unknown_shape())] * n
    if len(d) < axis + 1:
        raise ValueError(f"Shape must be at least rank {axis + 1} but is rank {len(d)}")
    if d[axis] is not None and d[axis] % n:
        raise ValueError(f"Dimension size must be evenly divisible by {n} but is {d[axis]}\n\tNumber of ways to "
                         f"split should evenly divide the split dimension")
    part = None if d[axis] is None else d[axis] // n
    return [(dtype, _raw(d[:axis] + (part,) + d[axis + 1:]))] * n


def _split_kernel(a, axis, x):
    n, r = a["num_split"], np.ndim(x)
    axis = int(axis)
    if not -r <= axis < r:
        raise _error(f"-input rank(-{r}) <= split_dim < input rank ({r}), but got {axis}")
    axis %= r
    if x.shape[axis] % n:
        raise _error(f"Number of ways to split should evenly divide the split dimension, but got split_dim "
                     f"{axis} (size = {x.shape[axis]}) and num_split {n}")
    step, lead = x.shape[axis] // n, (slice(None),) * axis
    return _single([x[lead + (slice(k * step, (k + 1) * step),)] for k in range(n)])   # np.split's views, leaner


op("Split", "split_dim:int32, value:T", kernel=_split_kernel, shape=_split_shape,
   grad=lambda op, *gs: [None, concat(_filled_grads(op, gs), op.inputs[0])])


def _splitv_shape(inputs, a):
    x, sizes_t, axis_t = inputs
    n, d, dtype = a["num_split"], dims(x), x.dtype.base_dtype
    axis = _split_dim(axis_t, d, 2)
    sizes = constant_value(sizes_t)
    if d is None:
        return [(dtype, unknown_shape())] * n
    if len(d) == 0:
        raise ValueError("Can't split scalars")
    if sizes is None:
        if axis is None:
            return [(dtype, unknown_shape(len(d)))] * n
        return [(dtype, _raw(d[:axis] + (None,) + d[axis + 1:]))] * n
    if len(d) < axis + 1:
        raise ValueError(f"Shape must be at least rank {axis + 1} but is rank {len(d)}")
    return [(dtype, _raw(d[:axis] + (s,) + d[axis + 1:])) for s in _split_sizes(sizes, d[axis], n)]


def _split_sizes(sizes, total, n):
    """TF's SplitV checks of `size_splits` against the axis size `total` (None if unknown)."""
    sizes = [int(s) for s in np.ravel(sizes)]
    if len(sizes) != n:
        raise ValueError(f"Length of size_splits should be equal to num_outputs: {n} vs. {len(sizes)}")
    if sizes.count(-1) > 1:
        raise ValueError("size_splits can only have one -1")
    known = sum(s for s in sizes if s != -1)
    out = []
    for i, s in enumerate(sizes):
        if s == -1 and total is not None:
            s = total - known
        if s < -1 or (s == -1 and total is not None):
            raise ValueError(f"Split size at index {i} must be >= 0. Got: {s}")
        out.append(None if s == -1 else s)
    if total is not None and (known > total if -1 in sizes else known != total):
        raise ValueError(f"can't split axis of size {total} into pieces of size [{','.join(map(str, sizes))}]")
    return out


def _splitv_kernel(a, x, sizes, axis):
    r = np.ndim(x)
    axis = int(axis)
    if not -r <= axis < r:
        raise _error(f"-input rank(-{r}) <= split_dim < input rank ({r}), but got {axis}")
    axis %= r
    try:
        sizes = _split_sizes(sizes, x.shape[axis], a["num_split"])
    except ValueError as e:
        raise _error(str(e)) from None
    before, start, parts = (slice(None),) * axis, 0, []
    for size in sizes:  # views, as np.split's, without its Python-level overhead (~4x)
        parts.append(x[before + (slice(start, start + size),)])
        start += size
    return _single(parts)


op("SplitV", "value:T, size_splits:Tlen=int64, split_dim:int32", kernel=_splitv_kernel, Tlen="int8 int32 int64",
   shape=_splitv_shape, grad=lambda op, *gs: [concat(_filled_grads(op, gs), op.inputs[2]), None, None])


def split(value, num_or_size_splits, axis=0, num=None, name="split"):
    """Splits into `num_or_size_splits` equal parts (an int) or parts of the given sizes."""
    if isinstance(num_or_size_splits, (int, np.integer, Dimension)) and not isinstance(num_or_size_splits, bool):
        out = apply_op("Split", [axis, value], {"num_split": int(num_or_size_splits)}, name=name)
        return out if isinstance(out, list) else [out]
    sizes = convert_to_tensor(num_or_size_splits)
    if sizes.shape.ndims == 0:
        raise ValueError(f"Rank-0 tensors are not supported as the num_or_size_splits argument to split. "
                         f"Argument provided: {num_or_size_splits}")
    if num is None:
        d = dims(sizes)
        num = d[0] if d else None
        if num is None:
            raise ValueError(f"Cannot infer argument `num` from shape {num_or_size_splits}")
    out = apply_op("SplitV", [value, sizes, axis], {"num_split": int(num)}, name=name)
    return out if isinstance(out, list) else [out]


def split_v(value, sizes, axis):
    return split(value, sizes, axis=axis)


# ----- Tile -------------------------------------------------------------------------------------------------
def _tile_shape(inputs, a):
    x, mult = inputs
    d = dims(x)
    m = constant_value_as_shape(mult)._dims
    if d is not None:
        if m is not None and len(m) != len(d):
            raise ValueError(f"Shape must be rank {len(d)} but is rank {len(m)}")
        md = dims(mult)
        if md is not None and len(md) == 1 and md[0] is not None and md[0] != len(d):
            raise ValueError(f"Dimension 0 in both shapes must be equal, but are {md[0]} and {len(d)}. Shapes "
                             f"are [{md[0]}] and [{len(d)}].")
        m = m if m is not None else (None,) * len(d)
    if m is None:
        return x.dtype.base_dtype, unknown_shape()
    d = with_rank(x, len(m))
    return x.dtype.base_dtype, _raw(tuple(None if v is None or k is None else v * k for v, k in zip(d, m)))


def _tile_kernel(a, x, m):
    if np.ndim(m) != 1 or len(m) != np.ndim(x):
        raise _error(f"Expected multiples argument to be a vector of length {np.ndim(x)} but got length "
                     f"{np.size(m)}")
    for i, k in enumerate(m):
        if k < 0:
            raise _error(f"Expected multiples[{i}] >= 0, but got {k}")
    return np.tile(x, m) if np.ndim(x) else x


def _tile_grad(op, g):
    from .reduction import reduce_sum
    x, mult = op.inputs
    split_shape = reshape(transpose(stack([mult, shape(x, out_type=mult.dtype.base_dtype)])), [-1])
    axes = apply_op("Range", [0, apply_op("Size", [split_shape], {"out_type": dtypes.int32}), 2], {})
    out = reduce_sum(reshape(g, split_shape), axes)
    out.set_shape(x.shape)
    return [out, None]


op("Tile", "input:T, multiples:Tmultiples=int32", kernel=_tile_kernel, Tmultiples=INDEX, shape=_tile_shape,
   grad=_tile_grad)


def tile(input, multiples, name=None):
    """`input` repeated `multiples[i]` times along each axis i."""
    return apply_op("Tile", [input, multiples], {}, name=name)


# ----- Pad --------------------------------------------------------------------------------------------------
def _padded_shape(sign):
    """The shape function of the pads (sign +1: each dim grows by its paddings) and of MirrorPadGrad (-1: it
    shrinks by them), as TF's: the input's rank from the paddings' shape before their values are asked for."""
    def shape_fn(inputs, a):
        x, pads = inputs[0], inputs[1]
        d, pd = dims(x), dims(pads)
        if pd is not None and (len(pd) != 2 or pd[1] not in (None, 2)):
            raise ValueError(f"Shape must be rank 2 but is rank {len(pd)}" if len(pd) != 2 else
                             f"Dimension 1 in both shapes must be equal, but are {pd[1]} and 2")
        if pd is not None and pd[0] is not None:
            with_rank(x, pd[0])
        p = constant_value(pads)
        if p is None:
            n = pd[0] if pd is not None else None
            return x.dtype.base_dtype, unknown_shape(len(d) if d is not None else n)
        d = with_rank(x, len(p))
        if np.any(np.asarray(p) < 0):
            raise ValueError("Paddings must be non-negative")
        return x.dtype.base_dtype, _raw(tuple(None if n is None else n + sign * (int(lo) + int(hi))
                                              for n, (lo, hi) in zip(d, p)))
    return shape_fn


_pad_shape = _padded_shape(1)


def _pad_kernel(a, x, p, c=0):
    if np.shape(p) != (np.ndim(x), 2):
        raise _error(f"The first dimension of paddings must be the rank of inputs{_text(np.shape(p))}, "
                     f"{_text(np.shape(x))}")
    pads = np.asarray(p).tolist()
    if any(n < 0 for pair in pads for n in pair):
        raise _error(f"Paddings must be non-negative: {int(np.min(p))}")
    x = np.asarray(x)
    if x.dtype.hasobject:
        return np.pad(x, p, constant_values=c)
    out = np.empty(tuple(n + lo + hi for n, (lo, hi) in zip(x.shape, pads)), x.dtype)  # np.pad: ~10x slower
    out[tuple(slice(lo, lo + n) for n, (lo, _) in zip(x.shape, pads))] = x
    for axis, (lo, hi) in enumerate(pads):  # then only the borders are filled
        before = (slice(None),) * axis
        if lo:
            out[before + (slice(0, lo),)] = c
        if hi:
            out[before + (slice(out.shape[axis] - hi, None),)] = c
    return out


def _pad_grad(op, g):
    from .slicing import slice as slice_
    x, pads = op.inputs[:2]
    begin = reshape(slice_(pads, [0, 0], stack([rank(x), 1])), [-1])  # TF's stack: `stack`, `stack/1`
    return [slice_(g, begin, shape(x)), None] + [None] * (len(op.inputs) - 2)


op("Pad", "input:T, paddings:Tpaddings=int32", kernel=_pad_kernel, Tpaddings=INDEX, shape=_pad_shape,
   grad=_pad_grad)
op("PadV2", "input:T, paddings:Tpaddings=int32, constant_values:T", kernel=_pad_kernel, Tpaddings=INDEX,
   shape=_pad_shape, grad=_pad_grad)


# ----- MirrorPad: REFLECT leaves a border's edge out of its mirror image, SYMMETRIC repeats it -----------------
_MIRROR_MODES = ("REFLECT", "SYMMETRIC")
_MAX_MIRROR_RANK = 5   # TF's kernels cover ranks 0 to 5


def _mirror_pads(a, x, p, grad=False):
    """The [(before, after)] of a MirrorPad (or, `grad`, MirrorPadGrad) kernel, checked as TF's kernels check them."""
    if np.ndim(p) != 2 or np.shape(p)[1] != 2:
        raise _error(f"paddings must be a matrix with 2 columns: {_text(np.shape(p))}")
    if np.shape(p)[0] != np.ndim(x):
        raise _error(f"The first dimension of paddings must be the rank of inputs{_text(np.shape(p))}, "
                     f"{_text(np.shape(x))}")
    if np.ndim(x) > _MAX_MIRROR_RANK:
        raise UnimplementedError(None, None, f"inputs rank not in [0,{_MAX_MIRROR_RANK}]: {np.ndim(x)}")
    pads = [(int(lo), int(hi)) for lo, hi in np.asarray(p)]
    reflect = a["mode"] == "REFLECT"
    for n, (lo, hi) in zip(np.shape(x), pads):
        if lo < 0 or hi < 0:
            raise _error(f"{'P' if grad else 'p'}addings must be non-negative: {lo}{', ' if grad else ' '}{hi}")
        if grad:
            if lo + hi >= n:
                raise _error(f"Total paddings must be less than the input dimension size: {lo + hi} was not less "
                             f"than {n}")
            n -= lo + hi
        where = "output dimension size" if grad else "dimension size"
        if reflect and (lo >= n or hi >= n):
            raise _error(f"paddings must be less than the {where}: {lo}, {hi} not less than {n}")
        if not reflect and (lo > n or hi > n):
            raise _error(f"paddings must be no greater than the {where}: {lo}, {hi} greater than {n}")
    return pads


def _mirror_pad_kernel(a, x, p):
    pads = _mirror_pads(a, x, p)
    x = np.asarray(x)
    return np.pad(x, pads, mode=a["mode"].lower()) if x.ndim else x.copy()


def _mirror_pad_grad_kernel(a, g, p):
    """Each padded cell's gradient added back onto the cell it mirrors, one axis at a time."""
    pads = _mirror_pads(a, g, p, grad=True)
    edge = 1 if a["mode"] == "REFLECT" else 0   # REFLECT's mirror images start one cell in from the edge
    out = np.asarray(g)
    for axis, (lo, hi) in enumerate(pads):
        n = out.shape[axis] - lo - hi
        cells = np.moveaxis(out, axis, 0)
        folded = cells[lo:lo + n].copy()
        if lo:
            folded[edge:edge + lo] += cells[lo - 1::-1]
        if hi:
            folded[n - edge - hi:n - edge] += cells[lo + n:][::-1]
        out = np.moveaxis(folded, 0, axis)
    return np.ascontiguousarray(out)


op("MirrorPad", "input:T, paddings:Tpaddings=int32", kernel=_mirror_pad_kernel, Tpaddings=INDEX, shape=_pad_shape,
   choices={"mode": _MIRROR_MODES},
   grad=lambda op_, g: [apply_op("MirrorPadGrad", [g, op_.inputs[1]], {"mode": op_._attrs["mode"]}), None])
op("MirrorPadGrad", "input:T, paddings:Tpaddings=int32", kernel=_mirror_pad_grad_kernel, Tpaddings=INDEX,
   shape=_padded_shape(-1), choices={"mode": _MIRROR_MODES},
   grad=lambda op_, g: [apply_op("MirrorPad", [g, op_.inputs[1]], {"mode": op_._attrs["mode"]}), None])


def pad(tensor, paddings, mode="CONSTANT", name=None, constant_values=0):
    """Pads with `constant_values` (mode CONSTANT: ops Pad, PadV2) or with the tensor's mirror images (REFLECT,
    leaving each edge out, or SYMMETRIC, repeating it: op MirrorPad); mode in any case."""
    mode = mode.upper() if isinstance(mode, str) else mode
    if mode in _MIRROR_MODES:
        return apply_op("MirrorPad", [tensor, paddings], {"mode": mode}, name=name)
    if mode != "CONSTANT":
        raise ValueError(f'Value of argument `mode` expected to be one of "CONSTANT", "REFLECT", or "SYMMETRIC". '
                         f"Received `mode` = {mode}")
    if not isinstance(constant_values, Tensor) and constant_values == 0:
        return apply_op("Pad", [tensor, paddings], {}, name=name)
    return apply_op("PadV2", [tensor, paddings, constant_values], {}, name=name)


# ----- DynamicStitch -----------------------------------------------------------------------------------------
def _stitch_kernel(a, *args):
    n = len(args) // 2
    indices, data = args[:n], args[n:]
    size = 1 + max((int(np.max(i)) for i in indices if np.size(i)), default=-1)
    inner = np.shape(data[0])[np.ndim(indices[0]):]
    out = np.zeros((size,) + inner, dtype=np.asarray(data[0]).dtype)
    for idx, d in zip(indices, data):  # later inputs win where indices repeat, as in TF
        out[np.ravel(idx)] = np.reshape(d, (-1,) + inner)
    return out


def _stitch_shape(inputs, a):
    n = len(inputs) // 2
    indices, data = inputs[:n], inputs[n:]
    idx_d, data_d = dims(indices[0]), dims(data[0])
    inner = None if idx_d is None or data_d is None else data_d[len(idx_d):]
    size = None
    values = [constant_value(i) for i in indices]
    if all(v is not None for v in values):
        size = 1 + max((int(np.max(v)) for v in values if np.size(v)), default=-1)
    if inner is None:
        return data[0].dtype.base_dtype, unknown_shape()
    return data[0].dtype.base_dtype, TensorShape._raw((size,) + inner)


op("DynamicStitch", "indices:*int32, data:*T", kernel=_stitch_kernel, shape=_stitch_shape,
   grad=lambda op, g: [None] * (len(op.inputs) // 2) + [
       apply_op("GatherV2", [g, i, 0], {"batch_dims": 0}) for i in op.inputs[:len(op.inputs) // 2]])


def dynamic_stitch(indices, data, name=None):
    """Interleaves `data` into one tensor: result[indices[m][i]] = data[m][i]."""
    return apply_op("DynamicStitch", [list(indices), list(data)], {"N": len(indices)}, name=name)


# ----- DynamicPartition, ParallelDynamicStitch (the partitioned embedding lookup's pair) ----------------------
def _partition_kernel(a, data, partitions):
    n = a["num_partitions"]
    bad = (partitions < 0) | (partitions >= n)
    if np.any(bad):
        where = tuple(int(v) for v in np.argwhere(bad)[0])
        raise InvalidArgumentError(None, None, f"partitions[{','.join(map(str, where))}] = "
                                   f"{int(partitions[where])} is not in [0, {n})")
    if np.shape(data)[:np.ndim(partitions)] != np.shape(partitions):
        raise InvalidArgumentError(None, None, f"data.shape must start with partitions.shape, got data.shape = "
                                   f"{list(np.shape(data))}, partitions.shape = {list(np.shape(partitions))}")
    return [np.asarray(data)[partitions == p] for p in range(n)]


def _partition_shape(inputs, a):
    data, partitions = dims(inputs[0]), dims(inputs[1])
    if data is not None and partitions is not None:
        merge_dims(data[:len(partitions)], partitions)
    inner = None if data is None or partitions is None else (None,) + data[len(partitions):]
    return [(inputs[0].dtype.base_dtype, TensorShape._raw(inner))] * a["num_partitions"]


def _partition_grad(op, *grads):
    indices = op.inputs[1]
    prefix_shape = shape(indices)
    size = apply_op("Prod", [prefix_shape, [0]], {"keep_dims": False})
    original = reshape(apply_op("Range", [0, size, 1], {}, name="range"), prefix_shape)
    partitioned = dynamic_partition(original, indices, op._attrs["num_partitions"])
    stitched = parallel_dynamic_stitch(partitioned, list(grads))
    return [reshape(stitched, shape(op.inputs[0])), None]


op("DynamicPartition", "data:T, partitions:int32", kernel=_partition_kernel, shape=_partition_shape,
   grad=_partition_grad)
op("ParallelDynamicStitch", "indices:*int32, data:*T", kernel=_stitch_kernel, shape=_stitch_shape,
   grad=REGISTRY["DynamicStitch"].grad)


def dynamic_partition(data, partitions, num_partitions, name=None):
    """The slices of `data` by partition: output p holds data[i] where partitions[i] == p, in order."""
    out = apply_op("DynamicPartition", [data, partitions], {"num_partitions": num_partitions}, name=name)
    return out if isinstance(out, list) else [out]


def parallel_dynamic_stitch(indices, data, name=None):
    """Like `dynamic_stitch` (merged with no fixed order where indices repeat)."""
    return apply_op("ParallelDynamicStitch", [list(indices), list(data)], {"N": len(indices)}, name=name)

"""Array ops: constants and placeholders, shapes, reshaping, joining, splitting, slicing, filling."""
from builtins import range as _range, slice as _slice

import numpy as np

from .. import dtypes
from ..convert import constant, convert_to_tensor
from ..graph import get_default_graph, name_scope
from ..shape import TensorShape, as_shape, unknown_shape
from ..tensor import Tensor
from .registry import (NOT_DIFFERENTIABLE, apply_op, constant_value, constant_value_as_shape, dims, op,
                       same_shape, with_rank)

INDEX = (dtypes.int32, dtypes.int64)
_raw = TensorShape._raw


def _out(dtype, d):
    return dtype, _raw(d)


def _axis(axis, rank, what="axis"):
    if rank is not None and not -rank <= axis < max(rank, 1):
        raise ValueError(f"{what} {axis} is out of range [{-rank}, {rank})")
    return axis + rank if axis < 0 and rank is not None else axis


# ----- sources ----------------------------------------------------------------------------------------
op("Const", kernel=lambda a: a["value"], shape=None, grad=NOT_DIFFERENTIABLE)


def _placeholder_kernel(a):
    from ..errors import InvalidArgumentError
    raise InvalidArgumentError(None, None, "You must feed a value for placeholder tensor '{name}' with dtype "
                               f"{a['dtype'].name}" + ("" if a["shape"].ndims is None else
                                                       f" and shape {_dims_text(a['shape'])}"))


def _dims_text(shape):
    return "[" + ",".join("?" if d is None else str(d) for d in shape._dims) + "]"


op("Placeholder", kernel=_placeholder_kernel, stateful=False, grad=NOT_DIFFERENTIABLE,
   shape=lambda i, a: (a["dtype"], a["shape"]))
op("PlaceholderWithDefault", "input:dtype", kernel=lambda a, x: x, grad=NOT_DIFFERENTIABLE,
   shape=lambda i, a: (a["dtype"], a["shape"]))


def placeholder(dtype, shape=None, name=None):
    """A value that must be fed at run time (InvalidArgumentError otherwise)."""
    dtype = dtypes.as_dtype(dtype)
    return apply_op("Placeholder", [], {"dtype": dtype, "shape": as_shape(shape)}, name=name)


def placeholder_with_default(input, shape, name=None):
    """A value that may be fed, and is `input` otherwise."""
    with name_scope(name or "PlaceholderWithDefault") as scope:
        x = convert_to_tensor(input, name="input")
    shape = as_shape(shape)
    if not x.shape.is_compatible_with(shape) and not (shape.ndims is None):
        raise ValueError(f"Shapes {x.shape} and {shape} are incompatible")
    return apply_op("PlaceholderWithDefault", [x], {"dtype": x.dtype.base_dtype, "shape": shape},
                    name=scope)


# ----- identity-like -----------------------------------------------------------------------------------
op("Identity", "input:T", kernel=lambda a, x: x, shape=same_shape, grad=lambda op, g: [g])
op("StopGradient", "input:T", kernel=lambda a, x: x, shape=same_shape, grad=NOT_DIFFERENTIABLE)
op("PreventGradient", "input:T", kernel=lambda a, x: x, shape=same_shape, grad=NOT_DIFFERENTIABLE)
op("Snapshot", "input:T", kernel=lambda a, x: np.copy(x), shape=same_shape, grad=lambda op, g: [g])


def identity(input, name=None):
    """A tensor with the same value as `input` (a new op)."""
    return apply_op("Identity", [input], {}, name=name)


def stop_gradient(input, name=None):
    return apply_op("StopGradient", [input], {}, name=name)


# ----- shapes of tensors --------------------------------------------------------------------------------
def _shape_kernel(a, x):
    return np.array(np.shape(x), dtype=a["out_type"].as_numpy_dtype)


op("Shape", "input:T", kernel=_shape_kernel, grad=NOT_DIFFERENTIABLE,
   shape=lambda i, a: _out(a["out_type"], (None if dims(i[0]) is None else len(dims(i[0])),)))
op("Size", "input:T", kernel=lambda a, x: np.array(np.size(x), a["out_type"].as_numpy_dtype),
   grad=NOT_DIFFERENTIABLE, shape=lambda i, a: _out(a["out_type"], ()))
op("Rank", "input:T", kernel=lambda a, x: np.array(np.ndim(x), np.int32), grad=NOT_DIFFERENTIABLE,
   shape=lambda i, a: _out(dtypes.int32, ()))


def shape(input, name=None, out_type=dtypes.int32):
    return apply_op("Shape", [input], {"out_type": dtypes.as_dtype(out_type)}, name=name)


def size(input, name=None, out_type=dtypes.int32):
    return apply_op("Size", [input], {"out_type": dtypes.as_dtype(out_type)}, name=name)


def rank(input, name=None):
    """The rank of `input` (a constant when the static rank is known, as in TF1)."""
    with name_scope(name or "Rank") as scope:
        x = convert_to_tensor(input)
    if x.shape.ndims is not None:
        return constant(x.shape.ndims, dtypes.int32, name=scope)
    return apply_op("Rank", [x], {}, name=scope)


# ----- reshaping ------------------------------------------------------------------------------------------
def _reshape_shape(inputs, a):
    x, new = inputs
    target = constant_value_as_shape(new)
    if target._dims is None:
        return x.dtype.base_dtype, target
    in_dims = dims(x)
    known = [d for d in target._dims if d is not None and d != -1]
    n_unknown = sum(1 for d in target._dims if d is None)
    if in_dims is not None and None not in in_dims:
        size = int(np.prod(in_dims, dtype=np.int64))
        prod = int(np.prod(known, dtype=np.int64))
        if n_unknown == 0 and prod != size:
            raise ValueError(f"Cannot reshape a tensor with {size} elements to shape "
                             f"{_dims_text(_raw(tuple(-1 if d is None else d for d in target._dims)))} "
                             f"({prod} elements)")
        if n_unknown == 1:
            if prod == 0 or size % prod:
                raise ValueError(f"Cannot reshape a tensor with {size} elements to shape {target} ")
            return x.dtype.base_dtype, _raw(tuple(size // prod if d is None else d for d in target._dims))
    return x.dtype.base_dtype, target


def _reshape_grad(op, g):
    return [reshape(g, shape(op.inputs[0])), None]


op("Reshape", "tensor:T, shape:Tshape=int32", kernel=lambda a, x, s: np.reshape(x, s), Tshape=INDEX,
   shape=_reshape_shape, grad=_reshape_grad)


def reshape(tensor, shape, name=None):
    return apply_op("Reshape", [tensor, shape], {}, name=name)


def _transpose_shape(inputs, a):
    x, perm = inputs
    p = constant_value(perm)
    d = dims(x)
    if p is None:
        n = dims(perm)[0] if dims(perm) else None
        return x.dtype.base_dtype, unknown_shape(n if d is None else len(d))
    if d is None:
        return x.dtype.base_dtype, unknown_shape(len(p))
    if len(p) != len(d):
        raise ValueError(f"Dimension must be {len(d)} but is {len(p)}")
    return x.dtype.base_dtype, _raw(tuple(d[int(i)] for i in p))


def _transpose_grad(op, g):
    return [transpose(g, apply_op("InvertPermutation", [op.inputs[1]], {})), None]


op("Transpose", "x:T, perm:Tperm=int32", kernel=lambda a, x, p: np.transpose(x, p), Tperm=INDEX,
   shape=_transpose_shape, grad=_transpose_grad)
op("InvertPermutation", "x:T", kernel=lambda a, p: np.argsort(p).astype(p.dtype), T=INDEX,
   shape=same_shape, grad=NOT_DIFFERENTIABLE)


def transpose(a, perm=None, name="transpose", conjugate=False):
    with name_scope(name or "transpose") as scope:
        a = convert_to_tensor(a, name="a")
        if perm is None:
            r = a.shape.ndims
            perm = (np.arange(r - 1, -1, -1, dtype=np.int32) if r is not None else
                    apply_op("Range", [rank(a) - 1, -1, -1], {}))
    return apply_op("Transpose", [a, perm], {}, name=scope)


def _expand_dims_shape(inputs, a):
    x, dim = inputs
    d = dims(x)
    v = constant_value(dim)
    if d is None or v is None:
        return x.dtype.base_dtype, unknown_shape(None if d is None else len(d) + 1)
    axis = int(np.ravel(v)[0])
    if not -len(d) - 1 <= axis <= len(d):
        raise ValueError(f"Tried to expand dim index {axis} for tensor with {len(d)} dimensions.")
    axis = axis + len(d) + 1 if axis < 0 else axis
    return x.dtype.base_dtype, _raw(d[:axis] + (1,) + d[axis:])


op("ExpandDims", "input:T, dim:Tdim=int32", kernel=lambda a, x, d: np.expand_dims(x, int(d)), Tdim=INDEX,
   shape=_expand_dims_shape, grad=lambda op, g: [reshape(g, shape(op.inputs[0])), None])


def expand_dims(input, axis=None, name=None, dim=None):
    if axis is None:
        axis = dim
    if axis is None:
        raise ValueError("Must specify an axis argument to tf.expand_dims()")
    return apply_op("ExpandDims", [input, axis], {}, name=name)


def _squeeze_shape(inputs, a):
    x = inputs[0]
    d = dims(x)
    axes = a["squeeze_dims"]
    if d is None:
        return x.dtype.base_dtype, unknown_shape()
    if axes:
        axes = [_axis(ax, len(d)) for ax in axes]
        for ax in axes:
            if d[ax] is not None and d[ax] != 1:
                raise ValueError(f"Can not squeeze dim[{ax}], expected a dimension of 1, got {d[ax]}")
        return x.dtype.base_dtype, _raw(tuple(v for i, v in enumerate(d) if i not in axes))
    if None in d:
        return x.dtype.base_dtype, unknown_shape()
    return x.dtype.base_dtype, _raw(tuple(v for v in d if v != 1))


op("Squeeze", "input:T", kernel=lambda a, x: np.squeeze(x, axis=tuple(a["squeeze_dims"]) or None),
   shape=_squeeze_shape, grad=lambda op, g: [reshape(g, shape(op.inputs[0]))])


def squeeze(input, axis=None, name=None, squeeze_dims=None):
    axis = squeeze_dims if axis is None else axis
    if isinstance(axis, int):
        axis = [axis]
    return apply_op("Squeeze", [input], {"squeeze_dims": list(axis or [])}, name=name)


# ----- joining and splitting ------------------------------------------------------------------------------
def _pack_shape(inputs, a):
    first = inputs[0]
    out = first.shape
    for t in inputs[1:]:
        if not out.is_compatible_with(t.shape):
            raise ValueError(f"Shapes must be equal rank, but are {out.ndims} and {t.shape.ndims}"
                             if out.ndims != t.shape.ndims else
                             f"Shapes {out} and {t.shape} are not compatible")
        out = out.merge_with(t.shape)
    if out._dims is None:
        return first.dtype.base_dtype, unknown_shape()
    axis = _axis(a["axis"], len(out._dims) + 1)
    return first.dtype.base_dtype, _raw(out._dims[:axis] + (len(inputs),) + out._dims[axis:])


def _pack_grad(op, g):
    return unstack(g, num=op._attrs["N"], axis=op._attrs["axis"])


op("Pack", "values:*T", kernel=lambda a, *xs: np.stack(xs, axis=a["axis"]), shape=_pack_shape,
   grad=_pack_grad)


def stack(values, axis=0, name="stack"):
    """Stacks a list of rank-R tensors into one rank-(R+1) tensor (a constant when all are constants)."""
    if axis == 0:
        try:
            return convert_to_tensor(values, name=name)
        except (TypeError, ValueError, NotImplementedError):
            pass
    first = convert_to_tensor(values[0], name=name)
    if first.shape.ndims is not None:
        n = first.shape.ndims + 1
        if not -n <= axis < n:
            raise ValueError(f"Argument `axis` = {axis} not in range [{-n}, {n})")
    return apply_op("Pack", [list(values)], {"axis": axis, "N": len(values)}, name=name)


def pack_tensors(tensors, name):
    """A Pack of tensors (used by list autopacking)."""
    return apply_op("Pack", [tensors], {"axis": 0, "N": len(tensors)}, name=name)


def _unpack_shape(inputs, a):
    x = inputs[0]
    d = dims(x)
    n = a["num"]
    if d is None:
        return [(x.dtype.base_dtype, unknown_shape())] * n
    axis = _axis(a["axis"], len(d))
    if d[axis] is not None and d[axis] != n:
        raise ValueError(f"Dimension must be {n} but is {d[axis]}")
    return [(x.dtype.base_dtype, _raw(d[:axis] + d[axis + 1:]))] * n


def _unpack_kernel(a, x):
    return tuple(np.moveaxis(x, a["axis"], 0))


op("Unpack", "value:T", kernel=_unpack_kernel, shape=_unpack_shape,
   grad=lambda op, *gs: [stack([g if g is not None else zeros_like(t) for g, t in zip(gs, op.outputs)],
                               axis=op._attrs["axis"])])


def unstack(value, num=None, axis=0, name="unstack"):
    value = convert_to_tensor(value)
    if num is None:
        d = dims(value)
        if d is None:
            raise ValueError(f"Cannot infer argument `num` from shape {value.shape}")
        num = d[_axis(axis, len(d))]
        if num is None:
            raise ValueError(f"Cannot infer argument `num` from shape {value.shape}")
    out = apply_op("Unpack", [value], {"num": num, "axis": axis}, name=name)
    return out if isinstance(out, list) else ([] if not isinstance(out, Tensor) else [out])


def _concat_shape(inputs, a):
    values, axis_t = inputs[:-1], inputs[-1]
    axis = constant_value(axis_t)
    ranks = [dims(t) for t in values if dims(t) is not None]
    dtype = values[0].dtype.base_dtype
    if not ranks:
        return dtype, unknown_shape()
    r = len(ranks[0])
    for d in ranks:
        if len(d) != r:
            raise ValueError(f"Shape must be rank {r} but is rank {len(d)}")
    if axis is None:
        return dtype, unknown_shape(r)
    axis = _axis(int(axis), r)
    out = list(ranks[0])
    out[axis] = 0
    for t in values:
        d = dims(t)
        if d is None:
            out[axis] = None
            continue
        for i in _range(r):
            if i == axis:
                out[axis] = None if out[axis] is None or d[i] is None else out[axis] + d[i]
            elif out[i] is None:
                out[i] = d[i]
            elif d[i] is not None and d[i] != out[i]:
                raise ValueError(f"Dimension {i} in both shapes must be equal, but are {out[i]} and {d[i]}. "
                                 f"Shapes are {_raw(tuple(ranks[0]))} and {t.shape}.")
    return dtype, _raw(tuple(out))


def _concat_grad(op, g):
    values, axis = op.inputs[:-1], op.inputs[-1]
    sizes = [shape(v) for v in values]
    return list(split_v(g, stack(sizes)[:, axis] if False else _sizes_along(sizes, axis), axis)) + [None]


def _sizes_along(sizes, axis):
    return stack([apply_op("GatherV2", [s, axis, 0], {"batch_dims": 0}) for s in sizes])


op("ConcatV2", "values:*T, axis:Tidx=int32", kernel=lambda a, *xs: np.concatenate(xs[:-1], axis=int(xs[-1])),
   Tidx=INDEX, shape=_concat_shape, grad=_concat_grad)


def concat(values, axis, name="concat"):
    if not isinstance(values, (list, tuple)):
        values = [values]
    if len(values) == 1:
        with name_scope(name) as scope:
            convert_to_tensor(axis, name="concat_dim", dtype=dtypes.int32)
            return identity(values[0], name=scope)
    return apply_op("ConcatV2", [list(values), axis], {"N": len(values)}, name=name)


def _split_shape(inputs, a):
    axis_t, x = inputs
    n = a["num_split"]
    d = dims(x)
    axis = constant_value(axis_t)
    if d is None or axis is None:
        return [(x.dtype.base_dtype, unknown_shape(None if d is None else len(d)))] * n
    axis = _axis(int(axis), len(d))
    if d[axis] is not None and d[axis] % n:
        raise ValueError(f"Dimension size must be evenly divisible by {n} but is {d[axis]}")
    part = None if d[axis] is None else d[axis] // n
    return [(x.dtype.base_dtype, _raw(d[:axis] + (part,) + d[axis + 1:]))] * n


op("Split", "split_dim:int32, value:T", kernel=lambda a, ax, x: tuple(np.split(x, a["num_split"], axis=int(ax))),
   shape=_split_shape, grad=lambda op, *gs: [None, concat(
       [g if g is not None else zeros_like(t) for g, t in zip(gs, op.outputs)], op.inputs[0])])


def _splitv_shape(inputs, a):
    x, sizes_t, axis_t = inputs
    n = a["num_split"]
    d = dims(x)
    sizes, axis = constant_value(sizes_t), constant_value(axis_t)
    if d is None or axis is None:
        return [(x.dtype.base_dtype, unknown_shape(None if d is None else len(d)))] * n
    axis = _axis(int(axis), len(d))
    if sizes is None:
        return [(x.dtype.base_dtype, _raw(d[:axis] + (None,) + d[axis + 1:]))] * n
    sizes = [int(s) for s in sizes]
    if -1 in sizes and d[axis] is not None:
        sizes[sizes.index(-1)] = d[axis] - (sum(sizes) + 1)
    return [(x.dtype.base_dtype, _raw(d[:axis] + (s if s >= 0 else None,) + d[axis + 1:])) for s in sizes]


def _splitv_kernel(a, x, sizes, axis):
    sizes = [int(s) for s in sizes]
    if -1 in sizes:
        sizes[sizes.index(-1)] = x.shape[int(axis)] - (sum(sizes) + 1)
    return tuple(np.split(x, np.cumsum(sizes)[:-1], axis=int(axis)))


op("SplitV", "value:T, size_splits:Tlen=int32, split_dim:int32", kernel=_splitv_kernel, Tlen=INDEX,
   shape=_splitv_shape, grad=lambda op, *gs: [concat(
       [g if g is not None else zeros_like(t) for g, t in zip(gs, op.outputs)], op.inputs[2]), None, None])


def split(value, num_or_size_splits, axis=0, num=None, name="split"):
    """Splits into `num_or_size_splits` equal parts (an int) or parts of the given sizes."""
    if isinstance(num_or_size_splits, (int, np.integer)):
        out = apply_op("Split", [axis, value], {"num_split": int(num_or_size_splits)}, name=name)
        return out if isinstance(out, list) else [out]
    sizes = convert_to_tensor(num_or_size_splits)
    if num is None:
        d = dims(sizes)
        if d is None or d[0] is None:
            raise ValueError(f"Cannot infer argument `num` from shape {sizes.shape}")
        num = d[0]
    out = apply_op("SplitV", [value, sizes, axis], {"num_split": int(num)}, name=name)
    return out if isinstance(out, list) else [out]


def split_v(value, sizes, axis):
    return split(value, sizes, axis=axis)


def _tile_shape(inputs, a):
    x, mult = inputs
    d = dims(x)
    m = constant_value(mult)
    if d is None:
        return x.dtype.base_dtype, unknown_shape(None if dims(mult) is None else dims(mult)[0])
    if m is None:
        return x.dtype.base_dtype, unknown_shape(len(d))
    if len(m) != len(d):
        raise ValueError(f"Shape must be rank {len(d)} but is rank {len(m)}")
    return x.dtype.base_dtype, _raw(tuple(None if v is None else v * int(k) for v, k in zip(d, m)))


def _tile_grad(op, g):
    x, mult = op.inputs
    in_shape = shape(x)
    split_shape = reshape(transpose(stack([mult, in_shape])), [-1])
    axes = apply_op("Range", [0, size(split_shape), 2], {})
    return [apply_op("Sum", [reshape(g, split_shape), axes], {"keep_dims": False}), None]


op("Tile", "input:T, multiples:Tmultiples=int32", kernel=lambda a, x, m: np.tile(x, m), Tmultiples=INDEX,
   shape=_tile_shape, grad=_tile_grad)


def tile(input, multiples, name=None):
    return apply_op("Tile", [input, multiples], {}, name=name)


# ----- slicing ---------------------------------------------------------------------------------------------
def _slice_shape(inputs, a):
    x, begin, size_t = inputs
    d = dims(x)
    b, s = constant_value(begin), constant_value(size_t)
    n = len(d) if d is not None else (dims(begin)[0] if dims(begin) else None)
    if s is None:
        sz = constant_value_as_shape(size_t)
        return x.dtype.base_dtype, sz if sz.ndims is not None else unknown_shape(n)
    out = []
    for i, k in enumerate(s):
        k = int(k)
        if k == -1:
            out.append(None if d is None or d[i] is None or b is None else d[i] - int(b[i]))
        else:
            out.append(k)
    return x.dtype.base_dtype, _raw(tuple(out))


def _slice_kernel(a, x, begin, size):
    idx = tuple(_slice(int(b), None if int(s) == -1 else int(b) + int(s)) for b, s in zip(begin, size))
    for (b, s), n in zip(zip(begin, size), np.shape(x)):
        if b < 0 or (s != -1 and b + s > n):
            from ..errors import InvalidArgumentError
            raise InvalidArgumentError(None, None, f"Expected size[i] in [0, {n - b}], but got {s}")
    return x[idx]


def _slice_grad(op, g):
    x, begin, _ = op.inputs
    r = rank(x)
    before = reshape(begin, stack([r, 1]))
    after = reshape(shape(x) - shape(op.outputs[0]) - begin, stack([r, 1]))
    return [apply_op("Pad", [g, concat([before, after], 1)], {}), None, None]


op("Slice", "input:T, begin:Index=int32, size:Index", kernel=_slice_kernel, Index=INDEX, shape=_slice_shape,
   grad=_slice_grad)


def slice(input_, begin, size, name=None):  # noqa: A001 - TF's name
    return apply_op("Slice", [input_, begin, size], {}, name=name)


def strided_slice_items(ndim, begin, end, strides, a):
    """The Python index (slices, ints, None, Ellipsis) that a StridedSlice's masks describe."""
    items = []
    for i in _range(len(begin)):
        bit = 1 << i
        if a["ellipsis_mask"] & bit:
            items.append(Ellipsis)
        elif a["new_axis_mask"] & bit:
            items.append(None)
        elif a["shrink_axis_mask"] & bit:
            items.append(int(begin[i]))
        else:
            items.append(_slice(None if a["begin_mask"] & bit else int(begin[i]),
                                        None if a["end_mask"] & bit else int(end[i]), int(strides[i])))
    return tuple(items)


def _strided_slice_kernel(a, x, begin, end, strides):
    items = strided_slice_items(np.ndim(x), begin, end, strides, a)
    for item, n in zip([i for i in items if i is not None and i is not Ellipsis], np.shape(x)):
        if isinstance(item, int) and not -n <= item < n:
            from ..errors import InvalidArgumentError
            raise InvalidArgumentError(None, None, f"slice index {item} of dimension 0 out of bounds.")
    return np.array(x[items]) if np.ndim(x) else x


def _strided_slice_shape(inputs, a):
    x, begin, end, strides = inputs
    d = dims(x)
    b, e, s = constant_value(begin), constant_value(end), constant_value(strides)
    if d is not None and b is not None and e is not None and s is not None:
        if None not in d:
            probe = np.broadcast_to(np.empty((), np.int8), d)
            try:
                return x.dtype.base_dtype, _raw(probe[strided_slice_items(len(d), b, e, s, a)].shape)
            except IndexError as err:
                raise ValueError(f"slice index out of bounds: {err}") from None
        return x.dtype.base_dtype, _partial_strided_shape(d, b, e, s, a)
    return x.dtype.base_dtype, unknown_shape()


def _partial_strided_shape(d, b, e, s, a):
    items = strided_slice_items(len(d), b, e, s, a)
    if Ellipsis in items:
        k = items.index(Ellipsis)
        consumed = sum(1 for i in items if i is not None and i is not Ellipsis)
        items = items[:k] + (_slice(None),) * (len(d) - consumed) + items[k + 1:]
    out, axis = [], 0
    for item in items:
        if item is None:
            out.append(1)
            continue
        n = d[axis] if axis < len(d) else None
        axis += 1
        if isinstance(item, int):
            continue
        out.append(None if n is None else len(_range(*item.indices(n))))
    out.extend(d[axis:])
    return _raw(tuple(out))


def _strided_slice_grad(op, g):
    x, begin, end, strides = op.inputs
    a = op._attrs
    return [apply_op("StridedSliceGrad", [shape(x), begin, end, strides, g],
                     {k: a[k] for k in ("begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask",
                                        "shrink_axis_mask")}), None, None, None]


def _strided_slice_grad_kernel(a, shp, begin, end, strides, dy):
    out = np.zeros(tuple(shp), dtype=dy.dtype)
    out[strided_slice_items(len(shp), begin, end, strides, a)] = dy
    return out


op("StridedSlice", "input:T, begin:Index=int32, end:Index, strides:Index", Index=INDEX,
   kernel=_strided_slice_kernel, shape=_strided_slice_shape, grad=_strided_slice_grad)
op("StridedSliceGrad", "shape:Index=int32, begin:Index, end:Index, strides:Index, dy:T", Index=INDEX,
   kernel=_strided_slice_grad_kernel, grad=NOT_DIFFERENTIABLE,
   shape=lambda i, a: (i[4].dtype.base_dtype, constant_value_as_shape(i[0])))


def strided_slice(input_, begin, end, strides=None, begin_mask=0, end_mask=0, ellipsis_mask=0,
                  new_axis_mask=0, shrink_axis_mask=0, var=None, name=None):
    if strides is None:
        strides = ones_like(begin)
    return apply_op("StridedSlice", [input_, begin, end, strides],
                    {"begin_mask": begin_mask, "end_mask": end_mask, "ellipsis_mask": ellipsis_mask,
                     "new_axis_mask": new_axis_mask, "shrink_axis_mask": shrink_axis_mask}, name=name)


def slice_helper(tensor, slice_spec):
    """`tensor[slice_spec]`: Python indexing as a StridedSlice named `strided_slice`."""
    if not isinstance(slice_spec, (list, tuple)):
        slice_spec = [slice_spec]
    begin, end, strides = [], [], []
    masks = dict(begin_mask=0, end_mask=0, ellipsis_mask=0, new_axis_mask=0, shrink_axis_mask=0)
    for index, s in enumerate(slice_spec):
        bit = 1 << index
        if isinstance(s, _slice):
            for part, lst, mask, default in ((s.start, begin, "begin_mask", 0), (s.stop, end, "end_mask", 0),
                                             (s.step, strides, None, 1)):
                if part is None:
                    lst.append(default)
                    if mask:
                        masks[mask] |= bit
                else:
                    _check_index(part)
                    lst.append(part)
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
            strides.append(1)
            masks["shrink_axis_mask"] |= bit
    with name_scope(None, "strided_slice", [tensor] + begin + end + strides) as scope:
        packed = [stack(begin), stack(end), stack(strides)]
        return strided_slice(tensor, *packed, name=scope, **masks)


def _check_index(idx):
    if isinstance(idx, (int, np.integer)) and not isinstance(idx, bool):
        return
    if isinstance(idx, Tensor) and idx.dtype.base_dtype in (dtypes.int16, dtypes.int32, dtypes.int64):
        if idx.shape.ndims in (None, 0):
            return
    raise TypeError("Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and scalar "
                    "tf.int32/tf.int64 tensors are valid indices, got " + repr(idx))


# ----- filling -------------------------------------------------------------------------------------------
def _fill_shape(inputs, a):
    d, value = inputs
    return value.dtype.base_dtype, constant_value_as_shape(d)


op("Fill", "dims:index_type=int32, value:T", kernel=lambda a, d, v: np.full(tuple(d), v, dtype=v.dtype),
   index_type=INDEX, shape=_fill_shape,
   grad=lambda op, g: [None, apply_op("Sum", [g, apply_op("Range", [0, rank(g), 1], {})], {"keep_dims": False})])


def fill(dims, value, name=None):
    return apply_op("Fill", [dims, value], {}, name=name)


op("ZerosLike", "x:T", kernel=lambda a, x: np.zeros_like(x), shape=same_shape, grad=NOT_DIFFERENTIABLE)
op("OnesLike", "x:T", kernel=lambda a, x: np.ones_like(x), shape=same_shape, grad=NOT_DIFFERENTIABLE)


def _filled(value_for, default_name, shape_, dtype, name):
    dtype = dtypes.as_dtype(dtype).base_dtype
    with name_scope(name or default_name) as scope:
        value = value_for(dtype)
        if not isinstance(shape_, Tensor):
            try:
                if np.prod(shape_) < 1000:
                    return constant(value, dtype=dtype, shape=shape_, name=scope)
            except (TypeError, ValueError):
                pass
            try:
                shape_ = convert_to_tensor(TensorShape(shape_), name="shape_as_tensor")
            except (TypeError, ValueError):
                shape_ = convert_to_tensor(shape_, dtype=dtypes.int32)
        if shape_.shape.ndims == 0:
            shape_ = reshape(shape_, [-1])
        return fill(shape_, constant(value, dtype=dtype), name=scope)


def zeros(shape, dtype=dtypes.float32, name=None):
    return _filled(lambda d: False if d is dtypes.bool_ else ("" if d is dtypes.string else 0),
                   "zeros", shape, dtype, name)


def ones(shape, dtype=dtypes.float32, name=None):
    return _filled(lambda d: True if d is dtypes.bool_ else 1, "ones", shape, dtype, name)


def zeros_like(tensor, dtype=None, name=None, optimize=True):
    with name_scope(name or "zeros_like") as scope:
        tensor = convert_to_tensor(tensor, name="tensor")
    if dtype is not None and dtypes.as_dtype(dtype) != tensor.dtype.base_dtype:
        return zeros(shape(tensor) if not tensor.shape.is_fully_defined() else tensor.shape.as_list(),
                     dtype=dtype, name=scope)
    return apply_op("ZerosLike", [tensor], {}, name=scope)


def ones_like(tensor, dtype=None, name=None, optimize=True):
    with name_scope(name or "ones_like") as scope:
        tensor = convert_to_tensor(tensor, name="tensor")
        dtype = tensor.dtype.base_dtype if dtype is None else dtypes.as_dtype(dtype)
        if optimize and tensor.shape.is_fully_defined():
            shape_t = constant(tensor.shape.as_list(), dtype=dtypes.int32, name="Shape")
        else:
            shape_t = shape(tensor)
        return fill(shape_t, constant(True if dtype is dtypes.bool_ else 1, dtype=dtype), name=scope)


# ----- ranges, one-hot, gather, select ------------------------------------------------------------------
def _range_shape(inputs, a):
    start, limit, delta = (constant_value(t) for t in inputs)
    dtype = inputs[0].dtype.base_dtype
    if start is None or limit is None or delta is None:
        return dtype, unknown_shape(1)
    if delta == 0:
        raise ValueError("Requires delta != 0")
    return dtype, _raw((max(0, int(np.ceil((limit - start) / delta))),))


def _range_kernel(a, start, limit, delta):
    if delta == 0:
        from ..errors import InvalidArgumentError
        raise InvalidArgumentError(None, None, "Requires delta != 0: 0")
    return np.arange(start, limit, delta, dtype=a["Tidx"].as_numpy_dtype)


op("Range", "start:Tidx=int32, limit:Tidx, delta:Tidx", kernel=_range_kernel,
   Tidx=(dtypes.float32, dtypes.float64, dtypes.int32, dtypes.int64), shape=_range_shape,
   grad=NOT_DIFFERENTIABLE)


def range(start, limit=None, delta=1, dtype=None, name="range"):  # noqa: A001 - TF's name
    """Like Python's range, as a tensor: dtype inferred from the arguments (int32 for ints)."""
    if limit is None:
        start, limit = 0, start
    with name_scope(name) as scope:
        start = convert_to_tensor(start, dtype=dtype, name="start")
        limit = convert_to_tensor(limit, dtype=dtype, name="limit")
        delta = convert_to_tensor(delta, dtype=dtype, name="delta")
        if dtype is None:
            order = [dtypes.int32, dtypes.int64, dtypes.float32, dtypes.float64]
            inferred = max((t.dtype.base_dtype for t in (start, limit, delta)), key=order.index)
            start, limit, delta = (cast_if(t, inferred) for t in (start, limit, delta))
    return apply_op("Range", [start, limit, delta], {}, name=scope)


def cast_if(t, dtype):
    from .math import cast
    return t if t.dtype.base_dtype == dtype else cast(t, dtype)


def _one_hot_shape(inputs, a):
    idx, depth, on, off = inputs
    d = dims(idx)
    n = constant_value(depth)
    n = None if n is None else int(n)
    if d is None:
        return on.dtype.base_dtype, unknown_shape()
    axis = a["axis"]
    axis = len(d) if axis == -1 else axis
    return on.dtype.base_dtype, _raw(d[:axis] + (n,) + d[axis:])


def _one_hot_kernel(a, idx, depth, on, off):
    eye = np.arange(int(depth)) == np.expand_dims(idx, -1)
    out = np.where(eye, on, off).astype(on.dtype)
    return out if a["axis"] == -1 else np.moveaxis(out, -1, a["axis"])


op("OneHot", "indices:TI, depth:int32, on_value:T, off_value:T", kernel=_one_hot_kernel,
   TI=(dtypes.uint8, dtypes.int32, dtypes.int64), shape=_one_hot_shape, grad=NOT_DIFFERENTIABLE)


def one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype=None, name=None):
    with name_scope(name or "one_hot") as scope:
        if dtype is None:
            dtype = (on_value.dtype.base_dtype if isinstance(on_value, Tensor) else
                     off_value.dtype.base_dtype if isinstance(off_value, Tensor) else dtypes.float32)
        dtype = dtypes.as_dtype(dtype)
        on = convert_to_tensor(1 if on_value is None else on_value, dtype=dtype, name="on_value")
        off = convert_to_tensor(0 if off_value is None else off_value, dtype=dtype, name="off_value")
        indices = convert_to_tensor(indices, name="indices")
        depth = convert_to_tensor(depth, name="depth")
    return apply_op("OneHot", [indices, depth, on, off], {"axis": -1 if axis is None else axis},
                    name=scope)


def _gather_shape(inputs, a):
    params, indices, axis_t = inputs
    p, i = dims(params), dims(indices)
    axis = constant_value(axis_t)
    if p is None or i is None or axis is None:
        return params.dtype.base_dtype, unknown_shape()
    axis = _axis(int(axis), len(p))
    return params.dtype.base_dtype, _raw(p[:axis] + i + p[axis + 1:])


def _gather_kernel(a, params, indices, axis):
    axis = int(axis)
    n = params.shape[axis]
    if np.any((indices < 0) | (indices >= n)):
        from ..errors import InvalidArgumentError
        bad = int(np.ravel(indices[(indices < 0) | (indices >= n)])[0])
        raise InvalidArgumentError(None, None, f"indices = {bad} is not in [0, {n})")
    return np.take(params, indices, axis=axis)


def _gather_grad(op, g):
    params, indices, axis = op.inputs
    from .math import unsorted_segment_sum
    if constant_value(axis) not in (0, None) and int(constant_value(axis)) != 0:
        raise NotImplementedError("Gradient of GatherV2 is implemented for axis 0 only.")
    p_shape = shape(params)
    flat_idx = reshape(indices, [-1])
    inner = p_shape[1:]
    values = reshape(g, concat([[-1], inner], 0))
    return [unsorted_segment_sum(values, flat_idx, p_shape[0]), None, None]


op("GatherV2", "params:Tparams, indices:Tindices, axis:Taxis=int32", kernel=_gather_kernel,
   Tindices=INDEX, Taxis=INDEX, shape=_gather_shape, grad=_gather_grad)


def gather(params, indices, validate_indices=None, name=None, axis=None, batch_dims=0):
    with name_scope(name or "GatherV2") as scope:
        axis_t = convert_to_tensor(0 if axis is None else axis, name="axis")
    return apply_op("GatherV2", [params, indices, axis_t], {"batch_dims": batch_dims}, name=scope)


def _select_shape(inputs, a):
    cond, x, y = inputs
    if not x.shape.is_compatible_with(y.shape):
        raise ValueError(f"Shapes must be equal rank, but are {x.shape.ndims} and {y.shape.ndims}")
    return x.dtype.base_dtype, x.shape.merge_with(y.shape)


def _select_kernel(a, c, x, y):
    if np.ndim(c) == 1 and np.ndim(x) > 1:
        c = np.reshape(c, (-1,) + (1,) * (np.ndim(x) - 1))
    return np.where(c, x, y).astype(x.dtype, copy=False)


def _select_grad(op, g):
    c, x, _ = op.inputs
    z = zeros_like(x)
    return [None, apply_op("Select", [c, g, z], {}), apply_op("Select", [c, z, g], {})]


op("Select", "condition:bool, t:T, e:T", kernel=_select_kernel, shape=_select_shape, grad=_select_grad)


def _select_v2_shape(inputs, a):
    from .registry import broadcast_dims
    c, x, y = inputs
    return x.dtype.base_dtype, _raw(broadcast_dims(broadcast_dims(dims(c), dims(x)), dims(y)))


op("SelectV2", "condition:bool, t:T, e:T", kernel=lambda a, c, x, y: np.where(c, x, y).astype(x.dtype, copy=False),
   shape=_select_v2_shape, grad=None)


def _where_kernel(a, c):
    return np.argwhere(c).astype(np.int64)


op("Where", "input:T", kernel=_where_kernel, grad=NOT_DIFFERENTIABLE,
   shape=lambda i, a: _out(dtypes.int64, (None, dims(i[0]) and len(dims(i[0])))))


def where(condition, x=None, y=None, name=None):
    """Elements of x where condition is true, else of y (TF1 `Select`); or the true indices."""
    if x is None and y is None:
        return apply_op("Where", [condition], {}, name=name)
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")
    return apply_op("Select", [condition, x, y], {}, name=name)


def where_v2(condition, x=None, y=None, name=None):
    if x is None and y is None:
        return apply_op("Where", [condition], {}, name=name)
    return apply_op("SelectV2", [condition, x, y], {}, name=name)


def _pad_shape(inputs, a):
    x, pads = inputs[0], inputs[1]
    d, p = dims(x), constant_value(pads)
    if d is None or p is None:
        return x.dtype.base_dtype, unknown_shape(None if d is None else len(d))
    return x.dtype.base_dtype, _raw(tuple(None if n is None else n + int(lo) + int(hi) for n, (lo, hi) in zip(d, p)))


def _pad_grad(op, g):
    x, pads = op.inputs[:2]
    begin = reshape(slice(pads, [0, 0], stack([rank(x), 1])), [-1])
    return [slice(g, begin, shape(x)), None] + [None] * (len(op.inputs) - 2)


op("Pad", "input:T, paddings:Tpaddings=int32", kernel=lambda a, x, p: np.pad(x, p), Tpaddings=INDEX,
   shape=_pad_shape, grad=_pad_grad)
op("PadV2", "input:T, paddings:Tpaddings=int32, constant_values:T",
   kernel=lambda a, x, p, c: np.pad(x, p, constant_values=c), Tpaddings=INDEX, shape=_pad_shape, grad=_pad_grad)


def pad(tensor, paddings, mode="CONSTANT", name=None, constant_values=0):
    if mode.upper() != "CONSTANT":
        raise NotImplementedError(f"pad mode {mode} is not supported by raygraph yet")
    if not isinstance(constant_values, Tensor) and constant_values == 0:
        return apply_op("Pad", [tensor, paddings], {}, name=name)
    return apply_op("PadV2", [tensor, paddings, constant_values], {}, name=name)


op("BroadcastTo", "input:T, shape:Tidx=int32", kernel=lambda a, x, s: np.array(np.broadcast_to(x, tuple(s))),
   Tidx=INDEX, shape=lambda i, a: (i[0].dtype.base_dtype, constant_value_as_shape(i[1])), grad=None)


def broadcast_to(input, shape, name=None):
    return apply_op("BroadcastTo", [input, shape], {}, name=name)


op("ReverseV2", "tensor:T, axis:Tidx=int32", kernel=lambda a, x, ax: np.flip(x, tuple(int(i) for i in ax)),
   Tidx=INDEX, shape=same_shape, grad=lambda op, g: [reverse(g, op.inputs[1]), None])


def reverse(tensor, axis, name=None):
    return apply_op("ReverseV2", [tensor, axis], {}, name=name)


newaxis = None

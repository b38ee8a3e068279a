"""Array ops: constants and placeholders, identity, shapes, reshaping, transposing, broadcast_to, reverse.

Filling (fill, zeros, ones, *_like, range, one_hot) lives in filling.py, joining and splitting (concat, stack,
split, tile, pad) in joining.py, slicing and indexing (slice, strided_slice, gather, where) in slicing.py.
"""
from builtins import range as _range

import numpy as np

from .. import dtypes
from ..convert import constant, convert_to_tensor
from ..errors import InvalidArgumentError
from ..default_graph import name_scope
from ..shape import TensorShape, as_shape, unknown_shape
from ..tensor import Tensor
from .registry import NO_GRADIENT_DEFINED, NOT_DIFFERENTIABLE, apply_op, op
from .shape_fns import constant_value, constant_value_as_shape, dims, merge_dims, same_shape, with_rank

INDEX = (dtypes.int32, dtypes.int64)
_raw = TensorShape._raw
# TF's names of dtypes in kernel messages (DataTypeString).


def _text(shape):
    """A shape as TF's kernels print it: [2,3], with ? for unknown dims."""
    return "[" + ",".join("?" if d is None else str(d) for d in shape) + "]"


def _error(message):
    return InvalidArgumentError(None, None, message)


# ----- sources ----------------------------------------------------------------------------------------
op("Const", kernel=lambda a: a["value"], shape=None, grad=NOT_DIFFERENTIABLE, role="constant")


def _placeholder_kernel(a):
    shape = a["shape"]
    dtype = dtypes.type_string(a["dtype"])
    raise _error(f"You must feed a value for placeholder tensor '{{name}}' with dtype {dtype}"
                 + ("" if shape.ndims is None else f" and shape {_text(shape._dims)}"))


def _placeholder_with_default_shape(inputs, a):
    merge_dims(dims(inputs[0]), a["shape"]._dims)
    return a["dtype"], a["shape"]


op("Placeholder", kernel=_placeholder_kernel, grad=NO_GRADIENT_DEFINED, shape=lambda i, a: (a["dtype"], a["shape"]),
   role="must_feed")
op("PlaceholderWithDefault", "input:dtype", kernel=lambda a, x: x, grad=lambda op, g: [g],
   shape=_placeholder_with_default_shape)


def placeholder(dtype, shape=None, name=None):
    """A value that must be fed at run time (InvalidArgumentError otherwise)."""
    return apply_op("Placeholder", [], {"dtype": dtypes.as_dtype(dtype), "shape": as_shape(shape)}, name=name)


def placeholder_with_default(input, shape, name=None):
    """A value that may be fed, and is `input` otherwise."""
    return apply_op("PlaceholderWithDefault", [input], {"shape": as_shape(shape)}, name=name)


# ----- identity-like -----------------------------------------------------------------------------------
def _prevent_gradient_grad(op, g):
    message = op._attrs.get("message", "")  # TF shows the attr's bytes: b'...'
    message = message.encode() if isinstance(message, str) else message
    raise LookupError(f"Gradient explicitly disabled. Reason: {message}")


op("Identity", "input:T", kernel=lambda a, x: x, shape=same_shape, grad=lambda op, g: [g], role="pass_through")
op("StopGradient", "input:T", kernel=lambda a, x: x, shape=same_shape, grad=NOT_DIFFERENTIABLE)
op("PreventGradient", "input:T", kernel=lambda a, x: x, shape=same_shape, grad=_prevent_gradient_grad)
op("Snapshot", "input:T", kernel=lambda a, x: x, shape=same_shape, grad=lambda op, g: [g])


def identity(input, name=None):
    """A tensor with the same value as `input` (a new op)."""
    return apply_op("Identity", [input], {}, name=name)


op("IdentityN", "input:+T", kernel=lambda a, *xs: xs[0] if len(xs) == 1 else tuple(xs),
   shape=lambda i, a: [(t.dtype.base_dtype, t.shape) for t in i], grad=lambda op, *gs: list(gs))


def identity_n(input, name=None):
    """The tensors of the list `input`, each the same as its input, all from one op."""
    out = apply_op("IdentityN", [list(input)], {}, name=name)
    return [out] if isinstance(out, Tensor) else list(out)


def stop_gradient(input, name=None):
    return apply_op("StopGradient", [input], {}, name=name)


# ----- shapes of tensors --------------------------------------------------------------------------------
def _shape_kernel(a, x):
    return np.array(np.shape(x), dtype=a["out_type"].as_numpy_dtype)


op("Shape", "input:T", kernel=_shape_kernel, grad=NOT_DIFFERENTIABLE, out_type=INDEX, shape_only=True,
   shape=lambda i, a: (a["out_type"], _raw((None if dims(i[0]) is None else len(dims(i[0])),))))
def _one_or_tuple(outputs):
    """A multi-output kernel's result: the array itself when there is one output (the executor's rule)."""
    return outputs[0] if len(outputs) == 1 else tuple(outputs)


op("ShapeN", "input:*T", kernel=lambda a, *xs: _one_or_tuple([_shape_kernel(a, x) for x in xs]), grad=NOT_DIFFERENTIABLE,
   out_type=INDEX, shape_only=True,
   shape=lambda i, a: [(a["out_type"], _raw((None if dims(x) is None else len(dims(x)),))) for x in i])
op("Size", "input:T", kernel=lambda a, x: np.array(np.size(x), a["out_type"].as_numpy_dtype), out_type=INDEX,
   grad=NOT_DIFFERENTIABLE, shape_only=True, shape=lambda i, a: (a["out_type"], _raw(())))
op("Rank", "input:T", kernel=lambda a, x: np.array(np.ndim(x), np.int32), grad=NOT_DIFFERENTIABLE, shape_only=True,
   shape=lambda i, a: (dtypes.int32, _raw(())))


def shape(input, name=None, out_type=dtypes.int32):
    """The shape of `input`: a Const when the static shape is fully known (as in TF1), else a Shape op."""
    return shape_internal(input, name, out_type=dtypes.int32 if out_type is None else out_type)


# SparseTensor and SparseTensorValue, which ops/sparse_tensor.py (above this module) registers: shape, size and
# rank read a sparse tensor's dense_shape, as TF's do
SPARSE_TYPES = ()


def _sparse(x):
    return isinstance(x, SPARSE_TYPES)


def shape_internal(input, name=None, optimize=True, out_type=None):
    """TF's shape_internal: with no out_type, a known shape becomes `shape_as_tensor` (int64 if needed)."""
    with name_scope(name, "Shape", [input]) as scope:
        if _sparse(input):
            return apply_op("Cast", [input.dense_shape], {"DstT": dtypes.as_dtype(out_type or dtypes.int32),
                                                           "Truncate": False})
        x = convert_to_tensor(input)
        if optimize and x.shape.is_fully_defined():
            if out_type is None:
                return _shape_as_tensor(x.shape)
            return constant(x.shape.as_list(), dtypes.as_dtype(out_type), name=scope)
        out_type = dtypes.int32 if out_type is None else dtypes.as_dtype(out_type)
        return apply_op("Shape", [x], {"out_type": out_type}, name=scope)


def _shape_as_tensor(shape_):
    """A fully known TensorShape as a Const named `shape_as_tensor` (int64 if a dim needs it), as TF names it."""
    if not shape_.is_fully_defined():
        raise ValueError(f"Cannot convert a partially known TensorShape {shape_} to a Tensor.")
    d = shape_.as_list()
    return constant(d, dtypes.int64 if any(v >= 2 ** 31 for v in d) else dtypes.int32, name="shape_as_tensor")


def shape_n(input, out_type=dtypes.int32, name=None):
    """The shapes of the tensors in `input`, one ShapeN op (never folded, as in TF1)."""
    out = apply_op("ShapeN", [list(input)], {"N": len(input), "out_type": dtypes.as_dtype(out_type)}, name=name)
    return out if isinstance(out, list) else [out]


def size(input, name=None, out_type=dtypes.int32):
    """The number of elements of `input` (a Const when known statically)."""
    out_type = dtypes.as_dtype(out_type)
    with name_scope(name, "Size", [input]) as scope:
        if _sparse(input):
            dense_shape = apply_op("Cast", [input.dense_shape], {"DstT": out_type, "Truncate": False})
            return apply_op("Prod", [dense_shape, 0], {"keep_dims": False}, name=scope)
        x = convert_to_tensor(input)
        d = dims(x)
        if d is not None and None not in d:
            return constant(int(np.prod(d, dtype=np.int64)), out_type, name=scope)
        if d is not None and 0 in d:
            return constant(0, out_type, name=scope)
        return apply_op("Size", [x], {"out_type": out_type}, name=scope)


def rank(input, name=None):
    """The rank of `input` (a Const when the static rank is known, as in TF1)."""
    with name_scope(name, "Rank", [input]) as scope:
        if _sparse(input):
            return apply_op("Size", [input.dense_shape], {"out_type": dtypes.int32}, name=scope)
        x = convert_to_tensor(input)
        if x.shape.ndims is not None:
            return constant(x.shape.ndims, dtypes.int32, name=scope)
        return apply_op("Rank", [x], {}, name=scope)


# ----- reshaping ------------------------------------------------------------------------------------------
def _reshape_shape(inputs, a):
    """TF's SetOutputShapeForReshape: infers one unknown dim from the element counts when it can."""
    x, new = inputs
    with_rank(new, 1)
    out = constant_value_as_shape(new)._dims
    d = dims(x)
    if out is None or d is None:
        return x.dtype.base_dtype, _raw(out)
    out_known, out_unknown = _known_count(out)
    in_known, in_unknown = _known_count(d)
    if out_unknown is None or in_unknown is None:  # more than one unknown dim: nothing to infer
        return x.dtype.base_dtype, _raw(out)
    if in_unknown < 0 and out_unknown < 0:
        if in_known != out_known:
            raise ValueError(f"Cannot reshape a tensor with {in_known} elements to shape {_text(out)} "
                             f"({out_known} elements)")
    elif in_unknown < 0 and out_known > 0:
        if in_known % out_known:
            raise ValueError(f"Dimension size must be evenly divisible by {out_known} but is {in_known}")
        out = out[:out_unknown] + (in_known // out_known,) + out[out_unknown + 1:]
    elif out_unknown < 0 and in_known != 0:
        if out_known % in_known:
            raise ValueError(f"Dimension size must be evenly divisible by {in_known} but is {out_known}")
    elif in_unknown >= 0 and out_unknown >= 0 and in_known == out_known:
        out = out[:out_unknown] + (d[in_unknown],) + out[out_unknown + 1:]
    return x.dtype.base_dtype, _raw(out)


def _known_count(d):
    """(product of the known dims, index of the unknown dim: -1 if none, None if several)."""
    count, unknown = 1, -1
    for i, v in enumerate(d):
        if v is None:
            if unknown >= 0:
                return count, None
            unknown = i
        else:
            count *= v
    return count, unknown


def _reshape_kernel(a, x, s):
    if type(s) is np.ndarray and s.ndim == 1:  # the common case (a list's min: 0.4 us; np.all ~5 us)
        shape = s.tolist()
        if not shape or min(shape) >= -1:
            try:
                # TF's checks below only explain failures; the method skips np.reshape's dispatch (2.5 -> 0.4 us)
                return x.reshape(shape) if type(x) is np.ndarray else np.reshape(x, shape)
            except ValueError:
                pass
    return _reshape_checked(x, s)


def _reshape_checked(x, s):
    if np.ndim(s) != 1:
        raise _error(f"sizes input must be 1-D, not {_text(np.shape(s))}")
    s = [int(v) for v in s]
    unknown = [i for i, v in enumerate(s) if v == -1]
    if len(unknown) > 1:
        raise _error(f"Only one input size may be -1, not both {unknown[0]} and {unknown[1]}")
    for i, v in enumerate(s):
        if v < -1:
            raise _error(f"Size {i} must be non-negative, not {v}")
    if unknown:  # TF leaves zero sizes out of both counts, so [0, -1, 1] of a [0, 3] tensor is [0, 3, 1]
        zero = 0 in s
        known = int(np.prod([v for v in s if v > 0], dtype=np.int64))
        count = int(np.prod([n for n in np.shape(x) if n > 0 or not zero], dtype=np.int64))
        if count % known and not (zero and 0 in np.shape(x)):
            raise _error(f"Input to reshape is a tensor with {count} values, but the requested shape "
                         f"requires a multiple of {known}")
        s[unknown[0]] = count // known
    if int(np.prod(s, dtype=np.int64)) != np.size(x):
        raise _error(f"Input to reshape is a tensor with {np.size(x)} values, but the requested shape has "
                     f"{int(np.prod(s, dtype=np.int64))}")
    return np.reshape(x, s)


def _reshape_to_input(op, g):
    return reshape(g, shape(op.inputs[0]))


op("Reshape", "tensor:T, shape:Tshape=int32", kernel=_reshape_kernel, Tshape=INDEX, shape=_reshape_shape,
   grad=lambda op, g: [_reshape_to_input(op, g), None])


def reshape(tensor, shape, name=None):
    return apply_op("Reshape", [tensor, shape], {}, name=name)


def _transpose_shape(inputs, a):
    """TF's TransposeShapeFn: the input's rank (or perm's length) and, with perm known, the dims."""
    x, perm = inputs
    d, pd = dims(x), dims(perm)
    n_perm = pd[0] if pd is not None and len(pd) == 1 else None
    p = constant_value(perm)
    if d is None and n_perm is None and p is None:
        return x.dtype.base_dtype, unknown_shape()
    r = len(d) if d is not None else n_perm if n_perm is not None else len(p)
    if d is None and r < 2:
        return x.dtype.base_dtype, x.shape
    d = with_rank(x, r)
    with_rank(perm, 1)
    if n_perm is not None and n_perm != r:
        raise ValueError(f"Dimension must be {r} but is {n_perm}")
    if p is None:
        return x.dtype.base_dtype, unknown_shape(r)
    for i in p:
        if not -r <= i < r:
            raise ValueError(f"perm dim {i} is out of range of input rank {r}")
    return x.dtype.base_dtype, _raw(tuple(d[int(i)] for i in p))


def _transpose_kernel(a, x, p):
    n = np.ndim(x)
    if np.ndim(p) != 1:
        raise _error(f"perm must be rank 1, got shape {_text(np.shape(p))}")
    if len(p) != n:
        raise _error(f"transpose expects a vector of size {n}. But input(1) is a vector of size {len(p)}")
    for i in p:
        if not 0 <= i < n:
            raise _error(f"{i} is out of range [0 .. {n})")
    for i in _range(n):
        if i not in p:
            raise _error(f"{i} is missing from {{{','.join(str(v) for v in p)}}}.")
    return np.transpose(x, p)


op("Transpose", "x:T, perm:Tperm=int32", kernel=_transpose_kernel, Tperm=INDEX, shape=_transpose_shape,
   grad=lambda op, g: [transpose(g, apply_op("InvertPermutation", [op.inputs[1]], {})), None])
op("ConjugateTranspose", "x:T, perm:Tperm=int32", kernel=lambda a, x, p: np.conj(_transpose_kernel(a, x, p)),
   Tperm=INDEX, shape=_transpose_shape,
   grad=lambda op, g: [transpose(g, apply_op("InvertPermutation", [op.inputs[1]], {}), conjugate=True), None])
op("InvertPermutation", "x:T=int32", kernel=lambda a, p: np.argsort(p).astype(p.dtype), T=INDEX,
   shape=lambda i, a: (i[0].dtype.base_dtype, _raw(with_rank(i[0], 1))), grad=NOT_DIFFERENTIABLE)


def invert_permutation(x, name=None):
    """The inverse of the permutation `x`: y[x[i]] = i."""
    return apply_op("InvertPermutation", [x], {}, name=name)


def transpose(a, perm=None, name="transpose", conjugate=False):
    """Permutes the dimensions of `a` (reverses them when perm is None)."""
    with name_scope(name, "transpose", [a]) as scope:
        if not isinstance(a, Tensor):
            a = convert_to_tensor(a, name="a")
        if perm is None:
            r = a.shape.ndims
            perm = (np.arange(r - 1, -1, -1, dtype=np.int32) if r is not None else
                    apply_op("Range", [apply_op("Rank", [a], {}) - 1, -1, -1], {}))
        kind = "ConjugateTranspose" if conjugate and a.dtype.is_complex else "Transpose"
        return apply_op(kind, [a, perm], {}, name=scope)


def _expand_dims_shape(inputs, a):
    x, dim = inputs
    d = dims(x)
    v = constant_value(dim)
    if v is not None and np.size(v) != 1:
        raise ValueError("'dim' input must be a tensor with a single value")
    if v is None or d is None:
        return x.dtype.base_dtype, unknown_shape()
    axis, r = int(np.ravel(v)[0]), len(d)
    if not -r - 1 <= axis <= r:
        raise ValueError(f"dim {axis} not in the interval [{-r - 1}, {r}].")
    axis = axis + r + 1 if axis < 0 else axis
    return x.dtype.base_dtype, _raw(d[:axis] + (1,) + d[axis:])


def _expand_dims_kernel(a, x, dim):
    if np.size(dim) != 1:
        raise _error("'dim' must be a tensor with a single value")
    axis, r = int(np.ravel(dim)[0]), np.ndim(x)
    if not -r - 1 <= axis <= r:
        raise _error(f"Tried to expand dim index {axis} for tensor with {r} dimensions.")
    return np.expand_dims(x, axis)


op("ExpandDims", "input:T, dim:Tdim=int32", kernel=_expand_dims_kernel, Tdim=INDEX, shape=_expand_dims_shape,
   grad=lambda op, g: [_reshape_to_input(op, g), None])


def expand_dims(input, axis=None, name=None, dim=None):
    if axis is not None and dim is not None:
        raise ValueError("Cannot specify both 'axis' and 'dim'.")
    axis = dim if axis is None else axis
    if axis is None:
        raise ValueError("Must specify an axis argument to tf.expand_dims()")
    return apply_op("ExpandDims", [input, axis], {}, name=name)


def _squeeze_axes(axes, r, error):
    out = set()
    for i, ax in enumerate(axes):
        if not -r <= ax < r:
            raise error(f"squeeze_dims[{i}] not in [{-r},{r}).")
        out.add(ax % r)
    return out


def _squeeze_shape(inputs, a):
    x = inputs[0]
    d = dims(x)
    if d is None:
        return x.dtype.base_dtype, unknown_shape()
    axes = _squeeze_axes(a["squeeze_dims"], len(d), ValueError)
    out = []
    for i, v in enumerate(d):
        if v is None:
            if i in axes:
                continue
            if not axes:
                return x.dtype.base_dtype, unknown_shape()
        elif v == 1:
            if i in axes or not axes:
                continue
        elif i in axes:
            raise ValueError(f"Can not squeeze dim[{i}], expected a dimension of 1, got {v}")
        out.append(v)
    return x.dtype.base_dtype, _raw(tuple(out))


def _squeeze_kernel(a, x):
    axes = _squeeze_axes(a["squeeze_dims"], np.ndim(x), _error)
    for i in sorted(axes):
        if x.shape[i] != 1:
            raise _error(f"Can not squeeze dim[{i}], expected a dimension of 1, got {x.shape[i]}")
    return np.squeeze(x, axis=tuple(axes) if axes else None)


op("Squeeze", "input:T", kernel=_squeeze_kernel, shape=_squeeze_shape, grad=lambda op, g: [_reshape_to_input(op, g)])


def squeeze(input, axis=None, name=None, squeeze_dims=None):
    if axis is not None and squeeze_dims is not None:
        raise ValueError("Cannot specify both 'axis' and 'squeeze_dims'.")
    axis = squeeze_dims if axis is None else axis
    if np.isscalar(axis):
        axis = [axis]
    return apply_op("Squeeze", [input], {"squeeze_dims": [int(v) for v in axis or []]}, name=name)


# ----- broadcasting: broadcast_to, and summing a broadcast gradient back -------------------------------
def sum_to(grad, x):
    """Reduces a broadcast gradient back to the shape of input `x` (a Sum, then a Reshape if needed; TF's
    older form, which its ClipByValue and BatchMatMul gradients keep)."""
    gs, xs = dims(grad), dims(x)
    if gs is not None and gs == xs and None not in gs:
        return grad
    if gs is not None and xs is not None and None not in gs and None not in xs:
        lead = len(gs) - len(xs)
        axes = list(range(lead)) + [lead + i for i, d in enumerate(xs) if d == 1 and gs[lead + i] != 1]
        out = apply_op("Sum", [grad, axes], {"keep_dims": False}) if axes else grad
        return reshape(out, list(xs)) if dims(out) != xs else out
    rx, _ = apply_op("BroadcastGradientArgs", [shape(x), shape(grad)], {})
    return reshape(apply_op("Sum", [grad, rx], {"keep_dims": False}), shape(x))


def reduce_gradient_args(x, y, gx, gy):
    """TF's _ReduceGradientArgs: a broadcasting binary op's gradients for x and y (None: not wanted), each summed
    back to its input's shape, over the axes the static shapes show were broadcast (TF 2's
    SmartBroadcastGradientArgs: BroadcastGradientArgs only where a broadcast is decided at run time), as a Sum
    keeping the axes and a Reshape to Shape(x) (a Const when known; both shapes are made, as in TF)."""
    if gx is None and gy is None:
        return gx, gy
    xs, ys = dims(x), dims(y)
    sx, sy = shape(x), shape(y)
    axes = _broadcast_axes(xs, ys)
    if axes is None:
        rx, ry = apply_op("BroadcastGradientArgs", [sx, sy], {})
        reduce_x = reduce_y = True
    else:
        (rx, ry), (nx, ny) = axes, (len(xs), len(ys))
        reduce_x, reduce_y = bool(rx) or nx < ny, bool(ry) or ny < nx
    return _summed(gx, sx, rx, reduce_x), _summed(gy, sy, ry, reduce_y)


def _broadcast_axes(xs, ys):
    """TF's _InferGradientReductionAxes: the axes of x and of y that were broadcast, or None when the static
    shapes leave that to run time."""
    if xs is None or ys is None:
        return None
    n = max(len(xs), len(ys))
    px, py = [1] * (n - len(xs)) + list(xs), [1] * (n - len(ys)) + list(ys)
    rx, ry = [], []
    for axis, (a, b) in enumerate(zip(px, py)):
        if a == 1 and b != 1:
            rx.append(axis)
        elif b == 1 and a != 1:
            ry.append(axis)
        elif a is None or b is None:
            return None
    return rx, ry


def _summed(g, s, axes, needed):
    if g is None or not needed:
        return g
    return reshape(apply_op("Sum", [g, axes], {"keep_dims": True}), s)


def _broadcast_to_grad(op, g):
    """TF's _BroadcastToGrad: summed over BroadcastGradientArgs' axes, then reshaped to the input's shape."""
    x, target = op.inputs
    x_shape = shape(x, out_type=target.dtype)
    known = constant_value(target)
    if known is not None:
        target = constant(np.asarray(known), target.dtype)
    _, axes = apply_op("BroadcastGradientArgs", [target, x_shape], {})
    return [reshape(apply_op("Sum", [g, axes], {"keep_dims": True}), x_shape), None]


op("BroadcastTo", "input:T, shape:Tidx=int32", kernel=lambda a, x, s: np.array(np.broadcast_to(x, tuple(s))),
   Tidx=INDEX, shape=lambda i, a: (i[0].dtype.base_dtype, constant_value_as_shape(i[1])), grad=_broadcast_to_grad)


def broadcast_to(input, shape, name=None):
    return apply_op("BroadcastTo", [input, shape], {}, name=name)


def _broadcast_args_kernel(a, s0, s1):
    try:
        return np.array(np.broadcast_shapes(tuple(s0), tuple(s1)), s0.dtype)
    except ValueError:
        raise InvalidArgumentError(None, None, f"Incompatible shapes: [{','.join(map(str, s0))}] vs. "
                                               f"[{','.join(map(str, s1))}]") from None


def _broadcast_args_shape(inputs, a):
    n = [with_rank(t, 1)[0] for t in inputs]
    return inputs[0].dtype.base_dtype, TensorShape._raw((None if None in n else max(n),))


op("BroadcastArgs", "s0:T=int32, s1:T", kernel=_broadcast_args_kernel, shape=_broadcast_args_shape, T=INDEX,
   grad=NOT_DIFFERENTIABLE)


def broadcast_dynamic_shape(shape_x, shape_y):
    """The broadcast of two shapes given as 1-D tensors."""
    return apply_op("BroadcastArgs", [shape_x, shape_y], {})


op("ReverseV2", "tensor:T, axis:Tidx=int32", kernel=lambda a, x, ax: np.flip(x, tuple(int(i) for i in ax)),
   Tidx=INDEX, shape=same_shape, grad=lambda op, g: [reverse(g, op.inputs[1]), None])


def reverse(tensor, axis, name=None):
    return apply_op("ReverseV2", [tensor, axis], {}, name=name)


def _reverse_sequence_kernel(a, x, lengths):
    seq_dim, batch_dim = a["seq_dim"], a["batch_dim"]
    if len(lengths) != x.shape[batch_dim]:
        raise _error(f"Length of seq_lengths != input.dims({batch_dim}), ({len(lengths)} vs. "
                       f"{x.shape[batch_dim]})")
    out = np.array(x, copy=True)
    flip_axis = seq_dim - (batch_dim < seq_dim)  # the seq axis once the batch axis is indexed away
    for b, n in enumerate(lengths):
        if not 0 <= n <= x.shape[seq_dim]:
            raise _error(f"seq_lens({b}) > input.dims({seq_dim})" if n > 0 else f"seq_lens({b}) < 0")
        index = [slice(None)] * x.ndim
        index[batch_dim], index[seq_dim] = b, slice(0, int(n))
        out[tuple(index)] = np.flip(x[tuple(index)], flip_axis)
    return out


def _reverse_sequence_shape(inputs, a):
    """TF's: seq_lengths a vector, both dims inside the input, the batch dim merged with seq_lengths' length."""
    x, (n,) = inputs[0], with_rank(inputs[1], 1)
    d = dims(x)
    if d is None:
        return x.dtype.base_dtype, unknown_shape()
    for what, axis in (("batch_dim", a["batch_dim"]), ("seq_dim", a["seq_dim"])):
        if axis >= len(d):
            raise ValueError(f"{what} must be < input rank: {axis} vs. {len(d)}")
    b = d[a["batch_dim"]]
    if None not in (b, n) and b != n:
        raise ValueError(f"Dimensions must be equal, but are {b} and {n}")
    return x.dtype.base_dtype, TensorShape(d[:a["batch_dim"]] + (n if b is None else b,) + d[a["batch_dim"] + 1:])


op("ReverseSequence", "input:T, seq_lengths:Tlen=int64", kernel=_reverse_sequence_kernel, Tlen="int32 int64",
   shape=_reverse_sequence_shape,
   grad=lambda op, g: [apply_op("ReverseSequence", [g, op.inputs[1]], {"seq_dim": op._attrs["seq_dim"],
                                                                      "batch_dim": op._attrs["batch_dim"]}), None])


def reverse_sequence(input, seq_lengths, seq_axis=None, batch_axis=None, name=None, seq_dim=None,  # noqa: A002
                     batch_dim=None):
    """Reverses the first `seq_lengths[i]` entries along `seq_axis` of each slice `i` along `batch_axis`."""
    seq_axis = seq_dim if seq_axis is None else seq_axis
    batch_axis = (0 if batch_dim is None else batch_dim) if batch_axis is None else batch_axis
    return apply_op("ReverseSequence", [input, seq_lengths], {"seq_dim": seq_axis, "batch_dim": batch_axis},
                    name=name)


newaxis = None


# ----- set difference ---------------------------------------------------------------------------------------
def _list_diff_kernel(a, x, y):
    keep = ~np.isin(x, y)
    return x[keep], np.flatnonzero(keep).astype(a["out_idx"].as_numpy_dtype)


def _list_diff_shape(inputs, a):
    with_rank(inputs[0], 1)
    with_rank(inputs[1], 1)
    return [(inputs[0].dtype.base_dtype, _raw((None,))), (a["out_idx"], _raw((None,)))]


op("ListDiff", "x:T, y:T", kernel=_list_diff_kernel, shape=_list_diff_shape, grad=NO_GRADIENT_DEFINED, out_idx=INDEX)


def setdiff1d(x, y, index_dtype=dtypes.int32, name=None):
    """(the values of 1-D `x` not in `y`, in order; their indices in `x`)."""
    return apply_op("ListDiff", [x, y], {"out_idx": dtypes.as_dtype(index_dtype)}, name=name)

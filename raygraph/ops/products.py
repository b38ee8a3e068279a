"""Products and norms beyond matmul: einsum (`Einsum`), cross products (`Cross`), tensor diagonals (`Diag`,
`DiagPart`), matrix-vector products and TF's vector and matrix norms, with TF's shapes and gradients."""
import numpy as np

from ..convert import convert_to_tensor
from ..default_graph import name_scope
from ..errors import InvalidArgumentError
from ..shape import TensorShape, unknown_shape
from .registry import apply_op, op
from .shape_fns import dims, merge_dims
from .array import expand_dims, squeeze
from .filling import zeros_like
from .linalg import matmul
from .math import abs as abs_, cast, pow as pow_, sqrt
from .reduction import reduce_max, reduce_sum

_raw = TensorShape._raw
_ANY = ("float16 float32 float64 int8 int16 int32 int64 uint8 uint16 uint32 uint64 bool complex64 complex128 "
        "string bfloat16")


# ----- norms and products -------------------------------------------------------------------------------------
def _norm_args(ord, axis):  # noqa: A002 - TF's name
    matrix = isinstance(axis, (tuple, list)) and len(axis) == 2
    if matrix:
        axis = tuple(axis)
        if not all(isinstance(a, int) for a in axis) or axis[0] == axis[1]:
            raise ValueError(f"'axis' must be None, an integer, or a tuple of 2 unique integers, got {axis}")
        supported = ["euclidean", "fro", 1, 2, np.inf]
        if ord not in supported:
            raise ValueError(f"'ord' must be a supported matrix norm in {supported}, got {ord}")
        return matrix, axis
    if not (isinstance(axis, int) or axis is None):
        raise ValueError(f"'axis' must be None, an integer, or a tuple of 2 unique integers, got {axis}")
    if (not np.isreal(ord) or ord <= 0) and ord not in ["euclidean", 1, 2, np.inf]:
        raise ValueError(f"'ord' must be a supported vector norm, got {ord}")
    return matrix, (axis,) if axis is not None else None


def norm(tensor, ord="euclidean", axis=None, keepdims=None, name=None, keep_dims=None):  # noqa: A002
    """TF's vector and matrix norms (euclidean/fro, 1, inf, p > 0) over `axis` (an int or a pair)."""
    keepdims = bool(keepdims if keepdims is not None else keep_dims)
    matrix, axis = _norm_args(ord, axis)
    with name_scope(name, "norm", [tensor]):
        tensor = convert_to_tensor(tensor)
        if ord in ("fro", "euclidean", 2, 2.0):
            if matrix and ord in (2, 2.0):
                raise NotImplementedError("tf.norm's matrix 2-norm needs singular values, which raygraph lacks")
            result = sqrt(reduce_sum(tensor * tensor, axis, keepdims=True))
        else:
            result = abs_(tensor)
            if ord == 1:
                result = reduce_sum(result, None if axis is None else axis[0], keepdims=True)
                if matrix:
                    result = reduce_max(result, axis[-1], keepdims=True)
            elif ord == np.inf:
                if matrix:
                    result = reduce_sum(result, axis[1], keepdims=True)
                result = reduce_max(result, None if axis is None else axis[0], keepdims=True)
            else:
                result = pow_(reduce_sum(pow_(result, ord), axis, keepdims=True), 1.0 / ord)
        return result if keepdims else squeeze(result, axis)


def normalize(tensor, ord="euclidean", axis=None, name=None):  # noqa: A002
    """(tensor / its norm, the norm kept in reduced dims)."""
    with name_scope(name, "normalize", [tensor]):
        tensor = convert_to_tensor(tensor)
        n = cast(norm(tensor, ord, axis, keepdims=True), tensor.dtype)
        return tensor / n, n


def matvec(a, b, transpose_a=False, adjoint_a=False, a_is_sparse=False, b_is_sparse=False, name=None):
    """Matrix-vector products a @ b over the leading (batch) dims."""
    with name_scope(name, "MatVec", [a, b]):
        out = matmul(a, expand_dims(b, -1), transpose_a=transpose_a, adjoint_a=adjoint_a)
        return squeeze(out, -1)


# ----- tensor diagonals and cross products ----------------------------------------------------------------------
_T_DIAG = "bfloat16 float16 float32 float64 int32 int64 complex64 complex128"


def _tensor_diag_shape(inputs, a):
    d = dims(inputs[0])
    if d is not None and len(d) == 0:
        raise ValueError("Shape must be at least rank 1 but is rank 0")
    return inputs[0].dtype.base_dtype, unknown_shape() if d is None else _raw(tuple(d) + tuple(d))


def _tensor_diag_kernel(a, x):
    n = x.size
    out = np.zeros((n, n), x.dtype)
    out[np.arange(n), np.arange(n)] = x.reshape(-1)
    return out.reshape(x.shape + x.shape)


def _tensor_diag_part_shape(inputs, a):
    d = dims(inputs[0])
    if d is None:
        return inputs[0].dtype.base_dtype, unknown_shape()
    if len(d) % 2 or not d:
        raise ValueError(f"Input must have even and non-zero rank, input rank is {len(d)}")
    half = len(d) // 2
    out = []
    for p, q in zip(d[:half], d[half:]):
        if p is not None and q is not None and p != q:
            raise ValueError(f"Dimensions must be equal, but are {p} and {q}")
        out.append(p if p is not None else q)
    return inputs[0].dtype.base_dtype, _raw(tuple(out))


def _tensor_diag_part_kernel(a, x):
    half = x.ndim // 2
    if x.ndim % 2 or x.shape[:half] != x.shape[half:]:
        raise InvalidArgumentError(None, None, f"Invalid shape {list(x.shape)}: dimensions must match in pairs")
    n = int(np.prod(x.shape[:half], dtype=np.int64))
    return x.reshape(n, n)[np.arange(n), np.arange(n)].reshape(x.shape[:half])


op("Diag", "diagonal:T", kernel=_tensor_diag_kernel, shape=_tensor_diag_shape, T=_T_DIAG,
   grad=lambda op, g: [tensor_diag_part(g)])
op("DiagPart", "input:T", kernel=_tensor_diag_part_kernel, shape=_tensor_diag_part_shape, T=_T_DIAG,
   grad=lambda op, g: [tensor_diag(g)])


def tensor_diag(diagonal, name=None):
    """The tensor with `diagonal` on its diagonal: shape diagonal.shape * 2 (TF's tf.diag)."""
    return apply_op("Diag", [diagonal], {}, name=name)


def tensor_diag_part(input, name=None):  # noqa: A002
    """The diagonal of a tensor of shape s + s (TF's tf.diag_part)."""
    return apply_op("DiagPart", [input], {}, name=name)


def _cross_shape(inputs, a):
    d = merge_dims(dims(inputs[0]), dims(inputs[1]))
    if d is not None:
        if not d:
            raise ValueError("Shape must be at least rank 1 but is rank 0")
        if d[-1] is not None and d[-1] != 3:
            raise ValueError(f"Dimension must be 3 but is {d[-1]}")
    return inputs[0].dtype.base_dtype, unknown_shape() if d is None else _raw(d)


def _cross_kernel(a, x, y):
    if x.shape != y.shape:
        raise InvalidArgumentError(None, None, f"Both inputs must be of same shape: {list(x.shape)} vs. "
                                               f"{list(y.shape)}")
    if x.ndim < 1 or x.shape[-1] != 3:
        raise InvalidArgumentError(None, None, f"Trailing dimension must be of size 3: {list(x.shape)}")
    return np.cross(x, y).astype(x.dtype, copy=False)


op("Cross", "a:T, b:T", kernel=_cross_kernel, shape=_cross_shape,
   T="float32 float64 int32 uint8 int16 int8 int64 bfloat16 uint16 float16 uint32 uint64",
   grad=lambda op, g: [cross(op.inputs[1], g), cross(g, op.inputs[0])])


def cross(a, b, name=None):
    """Pairwise cross products of 3-vectors along the last dimension."""
    return apply_op("Cross", [a, b], {}, name=name)


# ----- einsum -----------------------------------------------------------------------------------------------
def _einsum_parts(equation):
    inputs, _, output = equation.partition("->")
    return inputs.split(","), output


def _einsum_shape(inputs, a):
    subs, out = _einsum_parts(a["equation"])
    sizes = {}
    for t, s in zip(inputs, subs):
        d = dims(t)
        if d is None:
            return inputs[0].dtype.base_dtype, _raw(tuple(None for _ in out))
        if len(d) != len(s):
            raise ValueError(f"Input {subs.index(s)} to einsum has rank {len(d)} but the equation gives "
                             f"{len(s)} labels: {s}")
        for label, n in zip(s, d):
            known = sizes.get(label)
            if known is not None and n is not None and known != n:
                raise ValueError(f"Dimensions must be equal, but are {known} and {n}")
            sizes[label] = n if known is None else known
    return inputs[0].dtype.base_dtype, _raw(tuple(sizes.get(label) for label in out))


def _einsum_grad(op, g):
    subs, out = _einsum_parts(op._attrs["equation"])
    grads = []
    for k, (x, s) in enumerate(zip(op.inputs, subs)):
        if len(set(s)) != len(s):
            raise LookupError(f"raygraph has no gradient for Einsum's repeated labels in {s!r}")
        others = [(t, o) for j, (t, o) in enumerate(zip(op.inputs, subs)) if j != k]
        seen = set(out).union(*(set(o) for _, o in others))
        kept = "".join(label for label in s if label in seen)
        equation = ",".join([out] + [o for _, o in others]) + "->" + kept
        grad = apply_op("Einsum", [[g] + [t for t, _ in others]], {"equation": equation, "N": 1 + len(others)})
        if kept != s:  # labels summed inside x alone: their gradient is broadcast back
            for i, label in enumerate(s):
                if label not in seen:
                    grad = expand_dims(grad, i)
            grad = grad + zeros_like(x)
        grads.append(grad)
    return grads


op("Einsum", "inputs:*T", kernel=lambda a, *xs: np.asarray(np.einsum(a["equation"], *xs)), shape=_einsum_shape,
   grad=_einsum_grad, T=_ANY)


def einsum(equation, *inputs, **kwargs):
    """TF's einsum over one or two tensors (an `Einsum` op), e.g. einsum('ij,jk->ik', a, b)."""
    name = kwargs.pop("name", None)
    equation = equation.replace(" ", "")
    if "..." in equation or not 1 <= len(inputs) <= 2:
        raise NotImplementedError("raygraph's einsum takes one or two inputs and no ellipsis")
    if "->" not in equation:  # implicit output: the labels used once, in alphabetical order
        labels = equation.replace(",", "")
        equation += "->" + "".join(sorted(c for c in set(labels) if labels.count(c) == 1))
    with name_scope(name, "einsum", list(inputs)):
        return apply_op("Einsum", [list(inputs)], {"equation": equation, "N": len(inputs)})

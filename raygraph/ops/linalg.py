"""Matrix products: `MatMul` (rank 2, transpose flags) and `BatchMatMulV2` (batched, broadcasting)."""
import numpy as np
from scheduler import blas, intra_op
from scheduler.partition import CONSTANT_INPUTS

from .. import dtypes
from ..convert import convert_to_tensor
from ..errors import InvalidArgumentError
from ..default_graph import name_scope
from ..shape import TensorShape, unknown_shape
from .registry import Remap, apply_op, cpu_kernel, op
from .shape_fns import broadcast_dims, dims, with_rank
from .array import rank, reshape, setdiff1d, shape, sum_to, transpose
from .filling import range as range_
from .joining import concat, stack
from .reduction import reduce_prod
from .slicing import gather, where
from .state import Ref, locked, sole_array

_raw = TensorShape._raw


def _text(shape):
    return "[" + ",".join(str(d) for d in shape) + "]"


# ----- MatMul -----------------------------------------------------------------------------------------------
def _matmul_shape(inputs, a):
    x, y = inputs
    xd, yd = with_rank(x, 2), with_rank(y, 2)
    m, k1 = (xd[1], xd[0]) if a["transpose_a"] else xd
    k2, n = (yd[1], yd[0]) if a["transpose_b"] else yd
    if k1 is not None and k2 is not None and k1 != k2:
        raise ValueError(f"Dimensions must be equal, but are {k1} and {k2}")
    return x.dtype.base_dtype, _raw((m, n))


_FLOAT16 = np.dtype(np.float16)


def _half(x):
    """float16 or bfloat16: numpy multiplies these without BLAS (~100x slower than float32), so the products
    are computed in float32 and rounded back once, as TF's CPU kernels (which accumulate in float) do. (A
    dtype's `name` costs ~3 us: a product's kernel asks on every run, so only of a dtype of no numpy kind.)"""
    dt = x.dtype
    return dt == _FLOAT16 or dt.kind == "V" and dt.name == "bfloat16"


def _matmul_kernel(a, x, y):
    for i, v in enumerate((x, y)):
        if np.ndim(v) != 2:
            raise InvalidArgumentError(None, None, f"In[{i}] is not a matrix. Instead it has shape {_text(v.shape)}")
    x = x.T if a["transpose_a"] else x
    y = y.T if a["transpose_b"] else y
    if x.shape[1] != y.shape[0]:
        raise InvalidArgumentError(None, None, f"Matrix size-incompatible: In[0]: {_text(x.shape)}, In[1]: "
                                               f"{_text(y.shape)}")
    if _half(x):
        return intra_op.matmul(x.astype(np.float32), y.astype(np.float32)).astype(x.dtype)
    return intra_op.matmul(x, y, constant=1 in a.get(CONSTANT_INPUTS, ()))   # (a folded constant: packed once)


def _mm(x, y, ta=False, tb=False, which="grad_a"):
    attrs = {"transpose_a": ta, "transpose_b": tb, "grad_a": which == "grad_a", "grad_b": which == "grad_b"}
    return apply_op("MatMul", [x, y], attrs)


def _matmul_grad(op, g):
    ta, tb = op._attrs["transpose_a"], op._attrs["transpose_b"]
    a, b = op.inputs
    if not ta and not tb:
        return [_mm(g, b, tb=True), _mm(a, g, ta=True, which="grad_b")]
    if not ta and tb:
        return [_mm(g, b), _mm(g, a, ta=True, which="grad_b")]
    if ta and not tb:
        return [_mm(b, g, tb=True), _mm(a, g, which="grad_b")]
    return [_mm(b, g, ta=True, tb=True), _mm(g, a, ta=True, tb=True, which="grad_b")]


def _descend_by_product(a, d, x, y, var, alpha):
    """ApplyGradientDescent of a product nothing else reads (a dense layer's weight gradient; planning merges the
    two, fusion.remap): var -= alpha * (x @ y) as one gemm into the variable's own array, C = -alpha x y + C, with
    no array for the gradient and no second pass over it; gemm rounds the update once where the two kernels round
    the gradient, then the update (within a unit in the last place of their value: 29% of the elements of a
    [784, 256] weight updated by random [128, 784] and [128, 256] factors differ so; a batch longer than gemm's
    block of the inner dimension (OpenBLAS here: 320 rows of float32, 256 of float64) adds each block's product
    in turn: float rounding). None where the array may not be written in place (the
    two kernels run then, and report what fails): anything besides the variable's store holds it
    (state.sole_array), the variable is uninitialized, of another dtype than the factors, or the shapes do not
    meet."""
    if not isinstance(var, Ref) or np.ndim(x) != 2 or np.ndim(y) != 2 or np.ndim(alpha) != 0:
        return None
    x = x.T if a["transpose_a"] else x
    y = y.T if a["transpose_b"] else y
    with locked(d, [var]):
        value = sole_array(var)
        if value is None or value.shape != (x.shape[0], y.shape[1]) or \
                not intra_op.accumulate(x, y, value, -float(np.asarray(alpha, value.dtype)), 1.0):
            return None
    return var


def _momentum_by_product(a, d, x, y, var, accum, lr, momentum):
    """ApplyMomentum (not Nesterov's) of a product nothing else reads: accum = accum * momentum + x @ y as one gemm
    into the accumulator's own array (C = x y + momentum C: gemm scales C, then adds the product, TF's two
    roundings and bits, where the batch fits in gemm's block of the inner dimension), then var - lr * accum, with
    no array for the gradient. None as `_descend_by_product` (the
    accumulator's array must be its store's alone)."""
    if a.get("use_nesterov") or d.get("use_nesterov") or not isinstance(var, Ref) or not isinstance(accum, Ref) or \
            np.ndim(x) != 2 or np.ndim(y) != 2 or np.ndim(lr) != 0 or np.ndim(momentum) != 0:
        return None
    x = x.T if a["transpose_a"] else x
    y = y.T if a["transpose_b"] else y
    with locked(d, [var, accum]):
        held = sole_array(accum)
        value = var.store.get(var.key)
        if held is None or held.shape != (x.shape[0], y.shape[1]) or not isinstance(value, np.ndarray) or \
                value.shape != held.shape or value.dtype != held.dtype or \
                not intra_op.accumulate(x, y, held, 1.0, float(np.asarray(momentum, held.dtype))):
            return None
        var.write(value - np.asarray(lr, held.dtype) * held)
    return var


_MATMUL_T = "bfloat16 float16 float32 float64 int32 int64 uint8 uint16 uint32 uint64 complex64 complex128"
_NO_UNSIGNED = "uint8 uint16 uint32 uint64"
op("MatMul", "a:T, b:T", kernel=cpu_kernel("MatMul", _matmul_kernel, _NO_UNSIGNED), shape=_matmul_shape,
   grad=_matmul_grad, T=_MATMUL_T, fresh=True,
   remaps=(Remap("ApplyGradientDescent", at=2, same=(), kernel=_descend_by_product, others=True),
           Remap("ApplyMomentum", at=3, same=(), kernel=_momentum_by_product, others=True)))


# ----- BatchMatMulV2 ----------------------------------------------------------------------------------------
def _batch_matmul_shape(inputs, a):
    x, y = inputs
    xd, yd = dims(x), dims(y)
    for d in (xd, yd):
        if d is not None and len(d) < 2:
            raise ValueError(f"Shape must be at least rank 2 but is rank {len(d)}")
    if xd is None or yd is None:
        return x.dtype.base_dtype, unknown_shape()
    m, k1 = (xd[-1], xd[-2]) if a["adj_x"] else xd[-2:]
    k2, n = (yd[-1], yd[-2]) if a["adj_y"] else yd[-2:]
    if k1 is not None and k2 is not None and k1 != k2:
        raise ValueError(f"Dimensions must be equal, but are {k1} and {k2}")
    return x.dtype.base_dtype, _raw(broadcast_dims(xd[:-2], yd[:-2]) + (m, n))


def _batch_matmul_kernel(a, x, y):
    x = np.swapaxes(x, -1, -2) if a["adj_x"] else x
    y = np.swapaxes(y, -1, -2) if a["adj_y"] else y
    if x.shape[-1] != y.shape[-2]:
        raise InvalidArgumentError(None, None, f"Matrix size-incompatible: In[0]: {_text(x.shape)}, In[1]: "
                                               f"{_text(y.shape)}")
    try:
        if _half(x):
            return np.matmul(x.astype(np.float32), y.astype(np.float32)).astype(x.dtype)
        if x.ndim == y.ndim == 3 and x.shape[0] == y.shape[0]:   # (a stack on MKL's batched gemm where it runs)
            return blas.matmul_batch(x, y, np.empty(x.shape[:2] + y.shape[2:], np.result_type(x, y)))
        return np.matmul(x, y)
    except ValueError:
        raise InvalidArgumentError(None, None, f"In[0] and In[1] must have compatible batch dimensions: "
                                               f"{_text(x.shape)} vs. {_text(y.shape)}") from None


def _bmm(x, y, adj_x, adj_y):
    return apply_op("BatchMatMulV2", [x, y], {"adj_x": adj_x, "adj_y": adj_y, "grad_x": False, "grad_y": False})


def _batch_matmul_grad(op, g):
    x, y = op.inputs
    adj_x, adj_y = op._attrs["adj_x"], op._attrs["adj_y"]
    if not adj_x:
        gx, gy = (_bmm(g, y, False, True), _bmm(x, g, True, False)) if not adj_y else \
            (_bmm(g, y, False, False), _bmm(g, x, True, False))
    else:
        gx, gy = (_bmm(y, g, False, True), _bmm(x, g, False, False)) if not adj_y else \
            (_bmm(y, g, True, True), _bmm(g, x, True, True))
    return [sum_to(gx, x), sum_to(gy, y)]


op("BatchMatMulV2", "x:T, y:T", kernel=cpu_kernel("BatchMatMulV2", _batch_matmul_kernel, _NO_UNSIGNED), shape=_batch_matmul_shape, grad=_batch_matmul_grad,
   T="bfloat16 float16 float32 float64 int16 int32 int64 uint8 uint16 uint32 uint64 complex64 complex128")


def matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False, a_is_sparse=False,
           b_is_sparse=False, output_type=None, name=None):
    """Matrix product a @ b (MatMul for rank 2, BatchMatMulV2 for higher or unknown ranks)."""
    with name_scope(name, "MatMul", [a, b]) as scope:
        if transpose_a and adjoint_a:
            raise ValueError("Only one of transpose_a and adjoint_a can be True.")
        if transpose_b and adjoint_b:
            raise ValueError("Only one of transpose_b and adjoint_b can be True.")
        a = convert_to_tensor(a, name="a")
        b = convert_to_tensor(b, name="b", dtype_hint=a.dtype.base_dtype)
        ta, tb = transpose_a or adjoint_a, transpose_b or adjoint_b
        ra, rb = a.shape.ndims, b.shape.ndims
        if (ra is None or ra > 2) or (rb is None or rb > 2):
            return apply_op("BatchMatMulV2", [a, b], {"adj_x": ta, "adj_y": tb, "grad_x": False, "grad_y": False},
                            name=scope)
        return apply_op("MatMul", [a, b], {"transpose_a": ta, "transpose_b": tb, "grad_a": False, "grad_b": False},
                        name=scope)


# ----- tensordot --------------------------------------------------------------------------------------------
def tensordot(a, b, axes, name=None):
    """Sums the products of `a`'s and `b`'s elements over the given axes, as TF builds it: each side transposed
    and reshaped to a matrix (statically where shapes are known), one MatMul, and a reshape to the free dims."""
    with name_scope(name, "Tensordot", [a, b, axes]) as scope:
        a = convert_to_tensor(a, name="a")
        b = convert_to_tensor(b, name="b")
        a_axes, b_axes = _tensordot_axes(a, axes)
        a_matrix, a_free, a_free_static = _tensordot_reshape(a, a_axes)
        b_matrix, b_free, b_free_static = _tensordot_reshape(b, b_axes, True)
        product = matmul(a_matrix, b_matrix)
        if isinstance(a_free, list) and isinstance(b_free, list):
            if product.shape.is_fully_defined() and product.shape.as_list() == a_free + b_free:
                return product
            return reshape(product, a_free + b_free, name=scope)
        a_free = convert_to_tensor(a_free, dtype=dtypes.int32)
        b_free = convert_to_tensor(b_free, dtype=dtypes.int32)
        out = reshape(product, concat([a_free, b_free], 0), name=scope)
        if a_free_static is not None and b_free_static is not None:
            out.set_shape(a_free_static + b_free_static)
        return out


def _tensordot_axes(a, axes):
    if isinstance(axes, (int, np.integer)):
        if axes < 0:
            raise ValueError(f"`axes` must be at least 0. Received: {axes}.")
        n = a.shape.ndims
        if n is not None:
            if axes > n:
                raise ValueError(f"`axes` must not be larger than the number of dimensions of tensor {a}.  Received "
                                 f"{axes}, vs tensor dimensions {n}.")
            return list(range(n - axes, n)), list(range(axes))
        r = rank(a)
        return range_(r - axes, r, dtype=dtypes.int32), range_(axes, dtype=dtypes.int32)
    if isinstance(axes, (list, tuple)):
        if len(axes) != 2:
            raise ValueError(f"`axes` must be an integer or have length 2. Received {axes}.")
        a_axes, b_axes = axes
        if isinstance(a_axes, (int, np.integer)) and isinstance(b_axes, (int, np.integer)):
            a_axes, b_axes = [a_axes], [b_axes]
        if len(a_axes) != len(b_axes):
            raise ValueError(f"Different number of contraction axes `a` and `b`, {len(a_axes)} != {len(b_axes)}.")
        return a_axes, b_axes
    axes = convert_to_tensor(axes, name="axes", dtype=dtypes.int32)
    return axes[0], axes[1]


def _tensordot_reshape(a, axes, flipped=False):
    """`a` as a matrix: free dims by contracted dims (or the other way round when flipped)."""
    if a.shape.is_fully_defined() and isinstance(axes, (list, tuple)):
        shape_a = a.shape.as_list()
        axes = [i if i >= 0 else i + len(shape_a) for i in axes]
        free = [i for i in range(len(shape_a)) if i not in axes]
        free_dims = [shape_a[i] for i in free]
        prod_free = int(np.prod([shape_a[i] for i in free]))
        prod_axes = int(np.prod([shape_a[i] for i in axes]))
        perm = list(axes) + free if flipped else free + list(axes)
        new_shape = [prod_axes, prod_free] if flipped else [prod_free, prod_axes]
        moved = transpose(a, perm) if perm != list(range(len(shape_a))) else a
        return (reshape(moved, new_shape) if moved.shape.as_list() != new_shape else moved), free_dims, free_dims
    if a.shape.ndims is not None and isinstance(axes, (list, tuple)):
        shape_a = a.shape.as_list()
        axes = [i if i >= 0 else i + len(shape_a) for i in axes]
        free = [i for i in range(len(shape_a)) if i not in axes]
        free_static = [shape_a[i] for i in free]
        axes = convert_to_tensor(axes, dtype=dtypes.int32, name="axes")
        free = convert_to_tensor(free, dtype=dtypes.int32, name="free")
        shape_a = shape(a)
    else:
        free_static = None
        shape_a = shape(a)
        rank_a = rank(a)
        axes = convert_to_tensor(axes, dtype=dtypes.int32, name="axes")
        axes = where(axes >= 0, axes, axes + rank_a)
        free, _ = setdiff1d(range_(rank_a), axes, dtypes.int32)
    free_dims = gather(shape_a, free)
    axes_dims = gather(shape_a, axes)
    prod_free, prod_axes = reduce_prod(free_dims), reduce_prod(axes_dims)
    if flipped:
        perm, new_shape = concat([axes, free], 0), stack([prod_axes, prod_free])
    else:
        perm, new_shape = concat([free, axes], 0), stack([prod_free, prod_axes])
    return reshape(transpose(a, perm), new_shape), free_dims, free_static

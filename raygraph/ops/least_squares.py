"""Linear least squares: `MatrixSolveLs` with TF's gradient, and matrix_solve_ls (tf.linalg.lstsq), which TF builds
from regularized normal equations solved by Cholesky (the op itself for fast=False or very large batches)."""
import numpy as np

from .. import dtypes
from ..convert import convert_to_tensor
from ..default_graph import name_scope
from ..errors import InvalidArgumentError
from ..lazy_modules import Lazy
from ..shape import TensorShape, unknown_shape
from .registry import apply_op, op
from .array import shape
from .linalg import matmul
from .math import cast, greater_equal
from .control_flow import cond
from .matrix import _matrices, cholesky, cholesky_solve, eye, matrix_transpose
from .decompositions import lapack_input

scipy_linalg = Lazy("scipy.linalg")

_raw = TensorShape._raw
_CACHE_BYTES = 256000  # TF runs the op instead of the composite when the input is larger and batch-bound


def _ls_shape(inputs, a):
    m, r = _matrices(inputs[0]), _matrices(inputs[1])
    dtype = inputs[0].dtype.base_dtype
    if m is None or r is None:
        return dtype, unknown_shape()
    if m[-2] is not None and r[-2] is not None and m[-2] != r[-2]:
        raise ValueError(f"Dimensions must be equal, but are {m[-2]} and {r[-2]}")
    batch = [x if x is not None else y for x, y in zip(m[:-2], r[:-2])]
    return dtype, _raw(tuple(batch) + (m[-1], r[-1]))


def _ls_one(a, b, l2, fast):
    if not fast:
        return np.linalg.lstsq(a, b, rcond=None)[0]
    tall = a.shape[-2] >= a.shape[-1]
    gram = a.conj().T @ a if tall else a @ a.conj().T
    try:
        factor = scipy_linalg.cho_factor(gram + l2 * np.eye(len(gram)), lower=True, check_finite=False)
    except np.linalg.LinAlgError:
        raise InvalidArgumentError(None, None, "Input matrix was rank deficient or ill-conditioned. Try setting "
                                               "fast=False or provide a larger l2_regularizer > 0.") from None
    if tall:
        return scipy_linalg.cho_solve(factor, a.conj().T @ b)
    return a.conj().T @ scipy_linalg.cho_solve(factor, b)


def _ls_kernel(a, matrix, rhs, l2):
    if matrix.shape[-2] != rhs.shape[-2]:
        raise InvalidArgumentError(None, None, "Input matrix and right-hand side must have the same number of rows.")
    out = np.empty(matrix.shape[:-2] + (matrix.shape[-1], rhs.shape[-1]), matrix.dtype)
    for index in np.ndindex(matrix.shape[:-2]):
        out[index] = _ls_one(lapack_input(matrix[index]), lapack_input(rhs[index]), float(l2), a["fast"])
    return out


def _gramian_cholesky(matrix, l2, tall):
    """cholesky(A^H A + l2 I) when `tall`, else cholesky(A A^H + l2 I)."""
    gram = matmul(matrix, matrix, adjoint_a=tall, adjoint_b=not tall)
    if not (isinstance(l2, (int, float)) and l2 == 0):
        dims = shape(matrix)
        batch, size = dims[:-2], dims[-1] if tall else dims[-2]
        identity = eye(size, batch_shape=batch, dtype=matrix.dtype.base_dtype)
        identity.set_shape(matrix.shape[:-2].concatenate([matrix.shape[-1 if tall else -2]] * 2))
        gram += l2 * identity
    return cholesky(gram)


def _by_shape(matrix, tall_fn, wide_fn):
    """tall_fn() or wide_fn(), chosen statically when the matrix's size is known, else by a cond."""
    d = _matrices(matrix)
    if d is not None and d[-2] is not None and d[-1] is not None:
        return tall_fn() if d[-2] >= d[-1] else wide_fn()
    size = shape(matrix)[-2:]
    return cond(greater_equal(size[0], size[1]), tall_fn, wide_fn)


def _ls_grad(op, g):
    if not op._attrs["fast"]:
        raise ValueError("Gradient not defined for fast=False")
    a, b, l2 = op.inputs
    l2 = cast(l2, a.dtype.base_dtype)
    return list(_by_shape(a, lambda: _tall_grad(op, a, b, l2, g), lambda: _wide_grad(a, b, l2, g))) + [None]


def _tall_grad(op, a, b, l2, g):
    """X = (A^H A + l2 I)^-1 A^H B."""
    z = cholesky_solve(_gramian_cholesky(a, l2, True), g)
    xz = matmul(op.outputs[0], z, adjoint_b=True)
    return -matmul(a, xz + matrix_transpose(xz)) + matmul(b, z, adjoint_b=True), matmul(a, z)


def _wide_grad(a, b, l2, g):
    """X = A^H (A A^H + l2 I)^-1 B."""
    chol = _gramian_cholesky(a, l2, False)
    grad_b = cholesky_solve(chol, matmul(a, g))
    y = cholesky_solve(chol, b)
    grad_a = -matmul(grad_b, matmul(y, a, adjoint_a=True)) + matmul(y, g - matmul(a, grad_b, adjoint_a=True),
                                                                    adjoint_b=True)
    return grad_a, grad_b


op("MatrixSolveLs", "matrix:T, rhs:T, l2_regularizer:float64", kernel=_ls_kernel, shape=_ls_shape, grad=_ls_grad,
   T="float64 float32 float16 complex64 complex128")


def _composite(matrix):
    """TF's choice: normal equations from ops unless the input outgrows a cache and the batch outnumbers rows."""
    s = matrix.shape
    if not s.is_fully_defined():
        return True
    d = s.as_list()
    big = int(np.prod(d)) * matrix.dtype.size > _CACHE_BYTES
    return not (big and int(np.prod(d[:-2])) > min(d[-2:]))


def matrix_solve_ls(matrix, rhs, l2_regularizer=0.0, fast=True, name=None):
    """X minimizing ||matrix @ X - rhs||^2 + l2_regularizer * ||X||^2 (the minimum-norm X when wide)."""
    matrix = convert_to_tensor(matrix, name="matrix")
    if matrix.dtype.base_dtype == dtypes.complex128 and l2_regularizer != 0:
        raise NotImplementedError("matrix_solve_ls is currently disabled for complex128 and l2_regularizer != 0 due "
                                  "to poor accuracy.")
    if not (fast and _composite(matrix)):
        return apply_op("MatrixSolveLs", [matrix, rhs, l2_regularizer], {"fast": fast}, name=name)
    with name_scope(name, "matrix_solve_ls", [matrix, rhs, l2_regularizer]):
        return _by_shape(matrix, lambda: cholesky_solve(_gramian_cholesky(matrix, l2_regularizer, True),
                                                        matmul(matrix, rhs, adjoint_a=True)),
                         lambda: matmul(matrix, cholesky_solve(_gramian_cholesky(matrix, l2_regularizer, False), rhs),
                                        adjoint_a=True))

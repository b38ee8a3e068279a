"""Matrix decompositions with TF's gradients, over numpy's and scipy's LAPACK: QR (`Qr`), singular values
(`Svd`) and LU (`Lu`), and the functions TF builds from them in Python (lu_solve, pinv, matrix_rank...)."""
import warnings

import numpy as np

from .. import dtypes
from ..convert import convert_to_tensor
from ..default_graph import name_scope
from ..errors import InvalidArgumentError
from ..lazy_modules import Lazy
from ..shape import TensorShape, unknown_shape
from .registry import NO_GRADIENT_DEFINED, apply_op, op
from .array import expand_dims, shape
from .joining import concat
from .filling import one_hot, ones_like, zeros_like
from .linalg import matmul
from .math import cast, greater
from .reduction import reduce_max, reduce_sum
from .slicing import where_v2
from .matrix import (_matrices, _safe_reciprocal, _square, matrix_band_part, matrix_diag, matrix_diag_part,
                     matrix_set_diag, matrix_transpose, matrix_triangular_solve)

scipy_linalg = Lazy("scipy.linalg")

_raw = TensorShape._raw


def _qr_shape(inputs, a):
    d = _matrices(inputs[0])
    dtype = inputs[0].dtype.base_dtype
    if d is None:
        return [(dtype, unknown_shape()), (dtype, unknown_shape())]
    batch, m, n = tuple(d[:-2]), d[-2], d[-1]
    p = m if a["full_matrices"] else (None if m is None or n is None else min(m, n))
    return [(dtype, _raw(batch + (m, p))), (dtype, _raw(batch + (p, n)))]


def _qr_kernel(a, x):
    q, r = np.linalg.qr(x, mode="complete" if a["full_matrices"] else "reduced")
    return [q.astype(x.dtype, copy=False), r.astype(x.dtype, copy=False)]


def _solve_right(x, r):
    """x @ inverse(r) for upper-triangular r."""
    return matrix_transpose(matrix_triangular_solve(r, matrix_transpose(x), lower=False, adjoint=False))


def _qr_grad_deep(q, r, dq, dr):
    qdq = matmul(q, dq, adjoint_a=True)
    qdq_ = qdq - matrix_transpose(qdq)
    rdr = matmul(r, dr, adjoint_b=True)
    rdr_ = rdr - matrix_transpose(rdr)
    tril = matrix_band_part(qdq_ + rdr_, -1, 0)
    return matmul(q, dr + _solve_right(tril, r)) + _solve_right(dq - matmul(q, qdq), r)


def _qr_grad(op, dq, dr):
    q, r = op.outputs
    rd, qd = r.shape.as_list() if r.shape.ndims is not None else None, q.shape.as_list()
    if rd is None or rd[-2] is None or rd[-1] is None:
        raise NotImplementedError(f"QrGrad not implemented with dynamic shapes. Received r.shape: {r.shape}")
    if rd[-2] > rd[-1] and qd[-2] == qd[-1]:
        raise NotImplementedError(f"QrGrad not implemented when nrows > ncols and full_matrices is true. Received "
                                  f"r.shape={r.shape} with nrows={rd[-2]}and ncols={rd[-1]}.")
    dq = zeros_like(q) if dq is None else dq
    dr = zeros_like(r) if dr is None else dr
    rows, cols = qd[-2], rd[-1]
    if rows >= cols:
        return [_qr_grad_deep(q, r, dq, dr)]
    y, u = op.inputs[0][..., :, rows:], r[..., :, :rows]
    dv, du = dr[..., :, rows:], dr[..., :, :rows]
    dx = _qr_grad_deep(q, u, dq + matmul(y, dv, adjoint_b=True), du)
    return [concat([dx, matmul(q, dv)], axis=-1)]


op("Qr", "input:T", kernel=_qr_kernel, shape=_qr_shape, grad=_qr_grad,
   T="float64 float32 float16 complex64 complex128")


def qr(input, full_matrices=False, name=None):  # noqa: A002 - TF's name
    """(q, r) of each matrix: q with orthonormal columns, r upper triangular, q @ r == input."""
    with name_scope(name, "Qr", [input]) as scope:
        return tuple(apply_op("Qr", [input], {"full_matrices": full_matrices}, name=scope))


# ----- singular value decomposition -----------------------------------------------------------------------------
def _svd_shape(inputs, a):
    d = _matrices(inputs[0])
    dtype = inputs[0].dtype.base_dtype
    if d is None:
        return [(dtype, unknown_shape())] * 3
    batch, m, n = tuple(d[:-2]), d[-2], d[-1]
    p = None if m is None or n is None else min(m, n)
    if not a["compute_uv"]:
        return [(dtype, _raw(batch + (p,))), (dtype, _raw((0,))), (dtype, _raw((0,)))]
    full = a["full_matrices"]
    return [(dtype, _raw(batch + (p,))), (dtype, _raw(batch + (m, m if full else p))),
            (dtype, _raw(batch + (n, n if full else p)))]


def lapack_input(x):
    """x in a dtype LAPACK takes (float16 is computed in float32, as TF's kernels do through Eigen)."""
    return x.astype(np.float32) if x.dtype == np.float16 else x


def _svd_kernel(a, x):
    y = lapack_input(x)
    if not a["compute_uv"]:
        s = np.linalg.svd(y, compute_uv=False)
        return [s.astype(x.dtype), np.zeros((0,), x.dtype), np.zeros((0,), x.dtype)]
    u, s, vh = np.linalg.svd(y, full_matrices=a["full_matrices"])
    return [s.astype(x.dtype), u.astype(x.dtype), np.conj(np.swapaxes(vh, -1, -2)).astype(x.dtype)]


def _svd_grad(op, grad_s, grad_u, grad_v):
    """Giles' and Townsend's derivative of A = U diag(s) V^H, taken for the wide case (m <= n)."""
    a = op.inputs[0]
    grad_s = zeros_like(op.outputs[0]) if grad_s is None else cast(grad_s, a.dtype.base_dtype)
    if not op._attrs["compute_uv"]:
        _, u, v = svd(a, compute_uv=True)
        return [matmul(u, matmul(matrix_diag(grad_s), v, adjoint_b=True))]
    d = a.shape.as_list() if a.shape.ndims is not None else None
    if d is None or d[-2] is None or d[-1] is None:
        raise NotImplementedError("SVD gradient has not been implemented for input with unknown inner matrix shape.")
    m, n = d[-2], d[-1]
    s, u, v = op.outputs
    grad_u = zeros_like(u) if grad_u is None else grad_u
    grad_v = zeros_like(v) if grad_v is None else grad_v
    tall = m > n
    if tall:  # differentiate A^H = V diag(s) U^H instead
        m, n, u, v, grad_u, grad_v = n, m, v, u, grad_v, grad_u
    full = op._attrs["full_matrices"]
    if full and abs(m - n) > 1:
        raise NotImplementedError(f"svd gradient is not implemented for abs(m - n) > 1 when full_matrices is True. "
                                  f"Received: m={m} and n={n} from op input={a} with shape={a.shape}.")
    s_mat, s2 = matrix_diag(s), s * s
    f = matrix_set_diag(_safe_reciprocal(expand_dims(s2, -2) - expand_dims(s2, -1)), zeros_like(s))
    v1, grad_v1 = v[..., :, :m], grad_v[..., :, :m]
    f_u = f * matmul(u, grad_u, adjoint_a=True)
    v_gv = matmul(v1, grad_v1, adjoint_a=True)
    f_v = f * v_gv
    middle = (matrix_diag(grad_s) + matmul(f_u + matrix_transpose(f_u, conjugate=True), s_mat)
              + matmul(s_mat, f_v + matrix_transpose(f_v, conjugate=True)))
    if a.dtype.is_complex:  # the phase of each singular vector pair
        l_diag = matrix_diag(matrix_diag_part(v_gv))
        middle += 0.5 * matmul(matrix_diag(_safe_reciprocal(s)), matrix_transpose(l_diag, conjugate=True) - l_diag)
    grad_a = matmul(u, matmul(middle, v1, adjoint_b=True))
    if m != n:
        gv1t = matrix_transpose(grad_v1, conjugate=True)
        rest = gv1t - matmul(matmul(gv1t, v1), v1, adjoint_b=True)
        if full:
            v2 = v[..., :, m:n]
            rest -= matmul(matmul(v1, grad_v[..., :, m:n], adjoint_a=True), v2, adjoint_b=True)
        grad_a += matmul(matmul(u, matrix_diag(_safe_reciprocal(s))), rest)
    return [matrix_transpose(grad_a, conjugate=True) if tall else grad_a]


op("Svd", "input:T", kernel=_svd_kernel, shape=_svd_shape, grad=_svd_grad,
   T="float64 float32 float16 complex64 complex128")


def svd(tensor, full_matrices=False, compute_uv=True, name=None):
    """(s, u, v) with tensor == u @ diag(s) @ adjoint(v), s descending; only s when not `compute_uv`."""
    s, u, v = apply_op("Svd", [tensor], {"compute_uv": compute_uv, "full_matrices": full_matrices}, name=name)
    return (s, u, v) if compute_uv else s


def matrix_rank(a, tol=None, validate_args=False, name=None):
    """The number of singular values of each matrix above `tol` (default: max(s) * max(m, n) * eps)."""
    with name_scope(name or "matrix_rank"):
        a = convert_to_tensor(a, name="a")
        s = svd(a, compute_uv=False)
        if tol is None:
            eps = float(np.finfo(a.dtype.as_numpy_dtype).eps)
            size = cast(reduce_max(shape(a)[-2:]), a.dtype.base_dtype)
            tol = reduce_max(s, axis=-1, keepdims=True) * size * eps
        else:
            tol = expand_dims(convert_to_tensor(tol, a.dtype.base_dtype, name="tol"), -1)
        return reduce_sum(cast(greater(s, tol), dtypes.int32), axis=-1)


def pinv(a, rcond=None, validate_args=False, name=None):
    """The Moore-Penrose pseudo-inverse of each matrix, dropping singular values below rcond * max(s)."""
    with name_scope(name or "pinv"):
        a = convert_to_tensor(a, name="a")
        if rcond is None:
            d = a.shape.as_list() if a.shape.ndims is not None else [None, None]
            size = (cast(reduce_max(shape(a)[-2:]), a.dtype.base_dtype) if None in d[-2:] else max(d[-2:]))
            rcond = 10.0 * size * float(np.finfo(a.dtype.as_numpy_dtype).eps)
        s, u, v = svd(a, full_matrices=False, compute_uv=True)
        cutoff = rcond * reduce_max(s, axis=-1)
        s = where_v2(greater(s, expand_dims(cutoff, -1)), s, np.inf)
        return matmul(v / expand_dims(s, -2), u, adjoint_b=True)


# ----- LU decomposition -----------------------------------------------------------------------------------------
def _lu_kernel(a, x):
    _check_square_matrix(x)
    lu = np.empty_like(x)
    perm = np.empty(x.shape[:-1], a["output_idx_type"].as_numpy_dtype)
    for index in np.ndindex(x.shape[:-2]):
        with warnings.catch_warnings():  # a zero pivot is TF's error, raised below
            warnings.simplefilter("ignore", scipy_linalg.LinAlgWarning)
            packed, pivots = scipy_linalg.lu_factor(lapack_input(x[index]), check_finite=False)
        if np.any(np.diagonal(packed) == 0):
            raise InvalidArgumentError(None, None, "Input is not invertible.")
        rows = np.arange(x.shape[-1])
        for i, p in enumerate(pivots):  # LAPACK's row swaps, applied in order
            rows[i], rows[p] = rows[p], rows[i]
        lu[index], perm[index] = packed, rows
    return [lu, perm]


def _check_square_matrix(x):
    if x.shape[-1] != x.shape[-2]:
        raise InvalidArgumentError(None, None, "Input matrix must be square.")


def _lu_shape(inputs, a):
    d = _square(inputs[0])
    dtype = inputs[0].dtype.base_dtype
    if d is None:
        return [(dtype, unknown_shape()), (a["output_idx_type"], unknown_shape())]
    return [(dtype, _raw(d)), (a["output_idx_type"], _raw(d[:-1]))]


op("Lu", "input:T", kernel=_lu_kernel, shape=_lu_shape, grad=NO_GRADIENT_DEFINED,
   T="float64 float32 float16 complex64 complex128", output_idx_type="int32 int64")


def lu(input, output_idx_type=dtypes.int32, name=None):  # noqa: A002 - TF's name
    """(lu, p): L (unit lower, below the diagonal) and U packed in one matrix, with input[p] == L @ U."""
    return tuple(apply_op("Lu", [input], {"output_idx_type": dtypes.as_dtype(output_idx_type)}, name=name))


def _lu_factors(lower_upper):
    lower = matrix_set_diag(matrix_band_part(lower_upper, -1, 0), ones_like(matrix_diag_part(lower_upper)))
    return lower, matrix_band_part(lower_upper, 0, -1)


def _permutation_matrix(perm, like):
    """P with P @ x == x[perm] (rows of each matrix)."""
    return one_hot(perm, shape(perm)[-1], dtype=like.dtype.base_dtype)


def lu_reconstruct(lower_upper, perm, validate_args=False, name=None):
    """The matrix whose `lu` is (lower_upper, perm)."""
    with name_scope(name or "lu_reconstruct"):
        lower_upper = convert_to_tensor(lower_upper, name="lower_upper")
        perm = convert_to_tensor(perm, name="perm")
        lower, upper = _lu_factors(lower_upper)
        return matmul(_permutation_matrix(perm, lower_upper), matmul(lower, upper), adjoint_a=True)


def lu_solve(lower_upper, perm, rhs, validate_args=False, name=None):
    """X with A @ X = rhs, given (lower_upper, perm) = lu(A): two triangular solves."""
    with name_scope(name or "lu_solve"):
        lower_upper = convert_to_tensor(lower_upper, name="lower_upper")
        perm = convert_to_tensor(perm, name="perm")
        rhs = convert_to_tensor(rhs, dtype=lower_upper.dtype.base_dtype, name="rhs")
        lower, upper = _lu_factors(lower_upper)
        permuted = matmul(_permutation_matrix(perm, lower_upper), rhs)
        y = matrix_triangular_solve(lower, permuted, lower=True)
        return matrix_triangular_solve(upper, y, lower=False)


def lu_matrix_inverse(lower_upper, perm, validate_args=False, name=None):
    """The inverse of the matrix whose `lu` is (lower_upper, perm)."""
    with name_scope(name or "lu_matrix_inverse"):
        lower_upper = convert_to_tensor(lower_upper, name="lower_upper")
        identity = matrix_diag(ones_like(matrix_diag_part(lower_upper)))
        return lu_solve(lower_upper, perm, identity)

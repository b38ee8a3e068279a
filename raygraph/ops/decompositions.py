"""QR decomposition (`Qr`) with TF's gradient, over numpy's LAPACK."""
import numpy as np

from ..default_graph import name_scope
from ..shape import TensorShape, unknown_shape
from .registry import apply_op, op
from .joining import concat
from .filling import zeros_like
from .linalg import matmul
from .matrix import _matrices, matrix_band_part, matrix_transpose, matrix_triangular_solve

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

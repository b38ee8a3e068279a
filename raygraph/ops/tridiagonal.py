"""Tridiagonal matrices: solving (`TridiagonalSolve`, LAPACK's banded solver through scipy) and multiplying
(`TridiagonalMatMul`) with TF's gradients, and eigh_tridiagonal.

TF's compact format holds the three diagonals of each M x M matrix as [..., 3, M] rows: superdiagonal (its last
element unused), main diagonal, subdiagonal (its first element unused).
"""
import numpy as np

from ..convert import convert_to_tensor
from ..default_graph import name_scope
from ..errors import InvalidArgumentError
from ..lazy_modules import Lazy
from ..shape import TensorShape, unknown_shape
from .registry import apply_op, op
from .shape_fns import dims
from .array import expand_dims, squeeze
from .filling import range as _range
from .joining import pad, stack
from .math import greater, less_equal, logical_and
from .reduction import reduce_sum
from .slicing import gather, where
from .matrix import matrix_diag, matrix_diag_part, matrix_transpose, self_adjoint_eig, self_adjoint_eigvals
from .decompositions import lapack_input

scipy_linalg = Lazy("scipy.linalg")

_raw = TensorShape._raw
_T = "float64 float32 complex64 complex128"


def _shifted(x, by):
    """x moved `by` places along its last axis (towards higher indices when positive), zero-filled."""
    paddings = [[0, 0]] * (x.shape.ndims - 1) + [[by, 0] if by > 0 else [0, -by]]
    return pad(x[..., :-by] if by > 0 else x[..., -by:], paddings)


def _shifted_rows(x, by):
    return matrix_transpose(_shifted(matrix_transpose(x), by))


def _rows_np(x, by):
    """numpy: row i of the result is row i - by of x (zero where there is none)."""
    out = np.zeros_like(x)
    if by > 0:
        out[..., by:, :] = x[..., :-by, :]
    else:
        out[..., :by, :] = x[..., -by:, :]
    return out


def _conj(x):
    if x.dtype.is_complex:
        raise NotImplementedError("conjugating complex tridiagonal systems is not supported by raygraph yet")
    return x


def _rhs_shape(inputs, a):
    d = dims(inputs[-1])
    if d is not None and len(d) < 2:
        raise ValueError(f"Shape must be at least rank 2 but is rank {len(d)}")
    return inputs[-1].dtype.base_dtype, unknown_shape() if d is None else _raw(d)


# ----- solving --------------------------------------------------------------------------------------------------
def _solve_one(diagonals, rhs):
    banded = np.zeros(diagonals.shape, diagonals.dtype)
    banded[0, 1:], banded[1], banded[2, :-1] = diagonals[0, :-1], diagonals[1], diagonals[2, 1:]
    try:
        return scipy_linalg.solve_banded((1, 1), banded, rhs, check_finite=False)
    except np.linalg.LinAlgError:  # TF's kernel divides by the zero pivot
        return np.full(rhs.shape, np.nan)


def _solve_kernel(a, diagonals, rhs):
    if diagonals.shape[-1] != rhs.shape[-2]:
        raise InvalidArgumentError(None, None, f"Expected number of left-hand sides and right-hand sides to be "
                                               f"equal, got {diagonals.shape[-1]} and {rhs.shape[-2]}")
    batch = np.broadcast_shapes(diagonals.shape[:-2], rhs.shape[:-2])
    diagonals = np.broadcast_to(lapack_input(diagonals), batch + diagonals.shape[-2:])
    out = np.broadcast_to(rhs, batch + rhs.shape[-2:]).copy()
    for index in np.ndindex(batch):
        out[index] = _solve_one(diagonals[index], lapack_input(out[index]))
    return out


def transposed_diagonals(diagonals):
    """The compact diagonals of the transposed matrix: the sub- and superdiagonals swap places."""
    return stack([_shifted(diagonals[..., 2, :], -1), diagonals[..., 1, :], _shifted(diagonals[..., 0, :], 1)],
                 axis=-2)


def _solve_grad(op, g):
    diagonals, x = op.inputs[0], op.outputs[0]
    transposed = transposed_diagonals(diagonals)
    grad_rhs = apply_op("TridiagonalSolve", [transposed, g], dict(op._attrs))
    gt, xt = matrix_transpose(grad_rhs), matrix_transpose(_conj(x))
    grad_diagonals = stack([reduce_sum(gt * _shifted(xt, -1), -2), reduce_sum(gt * xt, -2),
                            reduce_sum(gt * _shifted(xt, 1), -2)], axis=-2)
    return [-grad_diagonals, grad_rhs]


op("TridiagonalSolve", "diagonals:T, rhs:T", kernel=_solve_kernel, shape=_rhs_shape, grad=_solve_grad, T=_T)


def compact_diagonals(diagonals, diagonals_format):
    if diagonals_format == "compact":
        return convert_to_tensor(diagonals, name="diagonals")
    if diagonals_format == "sequence":
        if not isinstance(diagonals, (tuple, list)) or len(diagonals) != 3:
            raise ValueError("Expected diagonals to be a sequence of length 3.")
        superdiag, maindiag, subdiag = (convert_to_tensor(d) for d in diagonals)
        m = maindiag.shape[-1] if maindiag.shape.ndims else None
        return stack([_padded(superdiag, m, -1, "superdiagonal"), maindiag, _padded(subdiag, m, 1, "subdiagonal")],
                     axis=-2)
    if diagonals_format == "matrix":
        matrix = convert_to_tensor(diagonals, name="diagonals")
        d = dims(matrix)
        if d is not None and d[-1] is not None and d[-2] is not None and d[-1] != d[-2]:
            raise ValueError(f"Expected last two dimensions of diagonals to be same, got {d[-1]} and {d[-2]}")
        batch = [[0, 0]] * (len(d) - 2)
        return stack([pad(matrix_diag_part(matrix, k=1), batch + [[0, 1]]), matrix_diag_part(matrix),
                      pad(matrix_diag_part(matrix, k=-1), batch + [[1, 0]])], axis=-2)
    raise ValueError(f"Unrecognized diagonals_format: {diagonals_format}")


def _padded(t, m, side, what):
    n = t.shape[-1] if t.shape.ndims else None
    if not n or n == m:
        return t
    if m is not None and n == m - 1:
        return pad(t, [[0, 0]] * (t.shape.ndims - 1) + [[1, 0] if side > 0 else [0, 1]])
    raise ValueError(f"Expected {what} to be have length {m} or {m - 1}, got {n}.")


def tridiagonal_solve(diagonals, rhs, diagonals_format="compact", transpose_rhs=False, conjugate_rhs=False,
                      name=None, partial_pivoting=True, perturb_singular=False):
    """X with A @ X = rhs for tridiagonal A given by its diagonals ('compact', 'sequence' or 'matrix')."""
    diagonals = compact_diagonals(diagonals, diagonals_format)
    rhs = convert_to_tensor(rhs, name="rhs")
    d, r = dims(diagonals), dims(rhs)
    if d is not None:
        if len(d) < 2:
            raise ValueError(f"Expected diagonals to have rank at least 2, got {len(d)}")
        if r is not None and len(r) not in (len(d), len(d) - 1):
            raise ValueError(f"Expected the rank of rhs to be {len(d) - 1} or {len(d)}, got {len(r)}")
    if d is not None and d[-2] is not None and d[-2] != 3:
        raise ValueError(f"Expected 3 diagonals got {d[-2]}")
    vector = d is not None and r is not None and len(r) == len(d) - 1
    if vector:
        rhs = expand_dims(_conj(rhs) if conjugate_rhs else rhs, -1)
    elif transpose_rhs:
        rhs = matrix_transpose(_conj(rhs) if conjugate_rhs else rhs)
    elif conjugate_rhs:
        rhs = _conj(rhs)
    r = dims(rhs)
    if d is not None and r is not None and d[-1] and r[-2] and d[-1] != r[-2]:
        raise ValueError(f"Expected number of left-hand sided and right-hand sides to be equal, got {d[-1]} and "
                         f"{r[-2]}")
    x = apply_op("TridiagonalSolve", [diagonals, rhs],
                 {"partial_pivoting": partial_pivoting, "perturb_singular": perturb_singular}, name=name)
    return squeeze(x, -1) if vector else x


# ----- multiplying ----------------------------------------------------------------------------------------------
def _matmul_kernel(a, superdiag, maindiag, subdiag, rhs):
    col = lambda d: np.swapaxes(d, -1, -2)  # noqa: E731 - [..., 1, M] -> [..., M, 1]
    return (col(maindiag) * rhs + col(superdiag) * _rows_np(rhs, -1) + col(subdiag) * _rows_np(rhs, 1)).astype(
        rhs.dtype)


def _matmul_grad(op, g):
    superdiag, maindiag, subdiag, rhs = op.inputs
    rhs = _conj(rhs)
    rhs_grad = (_shifted_rows(matrix_transpose(superdiag) * g, 1) + matrix_transpose(maindiag) * g
                + _shifted_rows(matrix_transpose(subdiag) * g, -1))
    return [_row_dots(_shifted_rows(rhs, -1), g), _row_dots(rhs, g), _row_dots(_shifted_rows(rhs, 1), g), rhs_grad]


def _row_dots(x, y):
    """[..., 1, M]: the dot product of each row of x with the same row of y."""
    return expand_dims(reduce_sum(x * y, -1), -2)


op("TridiagonalMatMul", "superdiag:T, maindiag:T, subdiag:T, rhs:T", kernel=_matmul_kernel, shape=_rhs_shape,
   grad=_matmul_grad, T=_T)


def tridiagonal_matmul(diagonals, rhs, diagonals_format="compact", name=None):
    """A @ rhs for tridiagonal A given by its diagonals ('compact', 'sequence' or 'matrix')."""
    if diagonals_format == "sequence":
        superdiag, maindiag, subdiag = (convert_to_tensor(d) for d in diagonals)
    else:
        if diagonals_format not in ("compact", "matrix"):
            raise ValueError(f"Unrecognized diagonals_format: {diagonals_format}")
        compact = compact_diagonals(diagonals, diagonals_format)
        superdiag, maindiag, subdiag = compact[..., 0, :], compact[..., 1, :], compact[..., 2, :]
    rows = [expand_dims(d, -2) for d in (superdiag, maindiag, subdiag)]
    return apply_op("TridiagonalMatMul", rows + [rhs], name=name)


# ----- eigenvalues ----------------------------------------------------------------------------------------------
def eigh_tridiagonal(alpha, beta, eigvals_only=True, select="a", select_range=None, tol=None, name=None):
    """Eigenvalues (ascending), and eigenvectors as columns unless `eigvals_only`, of the symmetric tridiagonal
    matrix with diagonal `alpha` and off-diagonal `beta`: all ('a'), those with index in select_range ('i'), or
    those in the interval (lo, hi] ('v')."""
    if select not in ("a", "i", "v"):
        raise ValueError("'select must have a value in {'a', 'i', 'v'}.")
    with name_scope(name or "eigh_tridiagonal"):
        alpha = convert_to_tensor(alpha, name="alpha")
        beta = _conj(convert_to_tensor(beta, dtype=alpha.dtype.base_dtype, name="beta"))
        matrix = matrix_diag(alpha) + matrix_diag(beta, k=1) + matrix_diag(beta, k=-1)
        if eigvals_only:
            values, vectors = self_adjoint_eigvals(matrix), None
        else:
            values, vectors = self_adjoint_eig(matrix)
        if select == "a":
            return values if eigvals_only else (values, vectors)
        lo, hi = select_range
        if select == "i":
            keep = _range(lo, hi + 1)
        else:
            keep = squeeze(where(logical_and(greater(values, lo), less_equal(values, hi))), -1)
        values = gather(values, keep)
        return values if eigvals_only else (values, gather(vectors, keep, axis=1))

"""Functions of (batches of) matrices: bands and diagonals, inverses, determinants, Cholesky, solvers and
symmetric eigendecompositions, with TF's op types, static shapes, errors and gradients (numpy's LAPACK).

Every op here works on the last two dimensions and maps over the leading (batch) ones.
"""
import numpy as np

from .. import dtypes
from ..convert import convert_to_tensor
from ..default_graph import name_scope
from ..errors import InvalidArgumentError
from ..shape import TensorShape, unknown_shape
from ..tensor import Tensor
from .registry import apply_op, op
from .shape_fns import broadcast_dims, constant_value, dims
from .array import expand_dims, rank, reshape, shape, transpose
from .filling import ones, ones_like, zeros, zeros_like
from .joining import concat
from .linalg import matmul
from .math import log, minimum, reciprocal
from .reduction import reduce_sum

_raw = TensorShape._raw
_T_INV = "float64 float32 float16 complex64 complex128"   # MatrixInverse, Cholesky, MatrixSolve, SelfAdjointEigV2
_T_DET = "float16 float32 float64 complex64 complex128"   # MatrixDeterminant, LogMatrixDeterminant
_ANY = ("float16 float32 float64 int8 int16 int32 int64 uint8 uint16 uint32 uint64 bool complex64 complex128 "
        "string bfloat16")


def _matrices(x, what="input"):
    """The static dims of a batch of matrices, checked as TF's shape functions do (None: unknown rank)."""
    d = dims(x)
    if d is not None and len(d) < 2:
        raise ValueError(f"Shape must be at least rank 2 but is rank {len(d)}")
    return d


def _square(x):
    d = _matrices(x)
    if d is not None and d[-1] is not None and d[-2] is not None and d[-1] != d[-2]:
        raise ValueError(f"Dimensions must be equal, but are {d[-2]} and {d[-1]}")
    return d


def _check_square(x):
    if x.ndim < 2:
        raise InvalidArgumentError(None, None, f"Input tensor 0 must have rank >= 2, got {x.ndim}")
    if x.shape[-1] != x.shape[-2]:
        raise InvalidArgumentError(None, None, "Input matrix must be square.")


def _same_shape_square(inputs, a):
    d = _square(inputs[0])
    return inputs[0].dtype.base_dtype, (unknown_shape() if d is None else _raw(d))


def _batch_shape(inputs, a):
    d = _square(inputs[0])
    return inputs[0].dtype.base_dtype, (unknown_shape() if d is None else _raw(d[:-2]))


def _adjoint_np(x):
    return np.conj(np.swapaxes(x, -1, -2))


def adjoint(matrix, name=None):
    """The conjugate transpose of the last two dimensions (a Transpose op, TF's matrix_transpose)."""
    with name_scope(name, "adjoint", [matrix]):
        return matrix_transpose(convert_to_tensor(matrix, name="matrix"), conjugate=True)


def matrix_transpose(a, name="matrix_transpose", conjugate=False):
    """Transposes the last two dimensions of `a`."""
    with name_scope(name, values=[a]):
        a = convert_to_tensor(a, name="a")
        n = a.shape.ndims
        if n is None:  # the permutation computed from the rank, as TF builds it
            r = rank(a)
            perm = concat((apply_op("Range", [0, r - 2, 1], {}), [r - 1, r - 2]), 0)
            return transpose(a, perm, conjugate=conjugate)
        if n < 2:
            raise ValueError(f"Argument `a` should be a (batch) matrix with rank >= 2.  Received `a` = {a} with "
                             f"shape: {a.shape}")
        return transpose(a, list(range(n - 2)) + [n - 1, n - 2], conjugate=conjugate)


# ----- bands and diagonals ------------------------------------------------------------------------------------
def _band_kernel(a, x, lower, upper):
    n, m = x.shape[-2], x.shape[-1]
    if lower > n:
        raise InvalidArgumentError(None, None, f"num_lower must be negative or less or equal to number of rows "
                                               f"({n}) got: {lower}")
    if upper > m:
        raise InvalidArgumentError(None, None, f"num_upper must be negative or less or equal to number of columns "
                                               f"({m}) got: {upper}")
    i, j = np.ogrid[:n, :m]
    keep = ((lower < 0) | (i - j <= lower)) & ((upper < 0) | (j - i <= upper))
    return np.where(keep, x, np.zeros((), x.dtype))


op("MatrixBandPart", "input:T, num_lower:Tindex=int64, num_upper:Tindex", kernel=_band_kernel,
   shape=lambda i, a: (i[0].dtype.base_dtype, i[0].shape if _matrices(i[0]) is not None else unknown_shape()),
   grad=lambda op, g: [matrix_band_part(g, op.inputs[1], op.inputs[2]), None, None], T=_ANY, Tindex="int32 int64")


def matrix_band_part(input, num_lower, num_upper, name=None):  # noqa: A002 - TF's name
    """Zeroes everything outside the band of `num_lower` sub- and `num_upper` super-diagonals (-1: all)."""
    return apply_op("MatrixBandPart", [input, num_lower, num_upper], {}, name=name)


def _diag_kernel(a, diagonal, k, num_rows, num_cols, padding):
    k = int(k)
    n = diagonal.shape[-1]
    rows, cols = _diag_dims(n, k, int(num_rows), int(num_cols))
    out = np.full(diagonal.shape[:-1] + (rows, cols), padding, dtype=diagonal.dtype)
    idx = np.arange(n)
    r, c = idx + max(-k, 0), idx + max(k, 0)
    ok = (r < rows) & (c < cols)
    out[..., r[ok], c[ok]] = diagonal[..., ok]
    return out


def _diag_shape(inputs, a):
    d = dims(inputs[0])
    if d is not None and len(d) < 1:
        raise ValueError(f"Shape must be at least rank 1 but is rank {len(d)}")
    k = _known(inputs[1])
    rows, cols = _known(inputs[2]), _known(inputs[3])
    if d is None or k is None:
        return inputs[0].dtype.base_dtype, unknown_shape()
    if d[-1] is None or rows is None or cols is None:
        return inputs[0].dtype.base_dtype, _raw(tuple(d[:-1]) + (None, None))
    rows, cols = _diag_dims(d[-1], k, rows, cols)
    return inputs[0].dtype.base_dtype, _raw(tuple(d[:-1]) + (rows, cols))


def _diag_dims(n, k, rows, cols):
    """TF's output matrix size: at least the diagonal's, square unless num_rows or num_cols says otherwise."""
    least_rows, least_cols = n + max(-k, 0), n + max(k, 0)
    if rows < 0 and cols < 0:
        rows = cols = max(least_rows, least_cols)
    return (rows if rows >= 0 else least_rows), (cols if cols >= 0 else least_cols)


def _known(t):
    v = constant_value(t)
    return None if v is None or np.ndim(v) != 0 else int(v)


op("MatrixDiagV3", "diagonal:T, k:int32, num_rows:int32, num_cols:int32, padding_value:T", kernel=_diag_kernel,
   shape=_diag_shape, T=_ANY, choices={"align": ("LEFT_RIGHT", "RIGHT_LEFT", "LEFT_LEFT", "RIGHT_RIGHT")},
   grad=lambda op, g: [matrix_diag_part(g, k=op.inputs[1]), None, None, None, None])


def _diag_part_kernel(a, x, k, padding):
    return np.diagonal(x, offset=int(k), axis1=-2, axis2=-1).copy()


def _diag_part_shape(inputs, a):
    d = _matrices(inputs[0])
    k = _known(inputs[1])
    if d is None or k is None:
        return inputs[0].dtype.base_dtype, unknown_shape()
    n, m = d[-2], d[-1]
    length = None if n is None or m is None else max(0, min(n + min(k, 0), m - max(k, 0)))
    return inputs[0].dtype.base_dtype, _raw(tuple(d[:-2]) + (length,))


op("MatrixDiagPartV3", "input:T, k:int32, padding_value:T", kernel=_diag_part_kernel, shape=_diag_part_shape,
   T=_ANY, choices={"align": ("LEFT_RIGHT", "RIGHT_LEFT", "LEFT_LEFT", "RIGHT_RIGHT")},
   grad=lambda op, g: [matrix_set_diag(zeros_like(op.inputs[0]), g, k=op.inputs[1]), None, None])


def _set_diag_kernel(a, x, diagonal, k):
    out = x.copy()
    k = int(k)
    n = np.diagonal(x, offset=k, axis1=-2, axis2=-1).shape[-1]
    if diagonal.shape[-1] != n:
        raise InvalidArgumentError(None, None, f"diagonal must be at least 1-dim and match the matrix's diagonal "
                                               f"length {n}, got shape {list(diagonal.shape)}")
    idx = np.arange(n)
    out[..., idx + max(-k, 0), idx + max(k, 0)] = diagonal
    return out


def _set_diag_shape(inputs, a):
    d = _matrices(inputs[0])
    dd = dims(inputs[1])
    if d is None:
        return inputs[0].dtype.base_dtype, unknown_shape()
    batch = list(d[:-2])
    if dd is not None and len(dd) == len(d) - 1:  # the diagonal's batch dims refine the input's
        batch = [a if a is not None else b for a, b in zip(batch, dd[:-1])]
    return inputs[0].dtype.base_dtype, _raw(tuple(batch) + tuple(d[-2:]))


op("MatrixSetDiagV3", "input:T, diagonal:T, k:int32", kernel=_set_diag_kernel, shape=_set_diag_shape, T=_ANY,
   choices={"align": ("LEFT_RIGHT", "RIGHT_LEFT", "LEFT_LEFT", "RIGHT_RIGHT")},
   grad=lambda op, g: [matrix_set_diag(g, zeros_like(op.inputs[1]), k=op.inputs[2]),
                       matrix_diag_part(g, k=op.inputs[2]), None])


def matrix_diag(diagonal, name="diag", k=0, num_rows=-1, num_cols=-1, padding_value=0, align="RIGHT_LEFT"):
    """Matrices with `diagonal` on their k-th diagonal and `padding_value` elsewhere (MatrixDiagV3)."""
    with name_scope(name) as scope:
        diagonal = convert_to_tensor(diagonal, name="diagonal")
        sizes = [convert_to_tensor(v, dtypes.int32, name=n) for v, n in
                 ((k, "k"), (num_rows, "num_rows"), (num_cols, "num_cols"))]
        padding = convert_to_tensor(padding_value, dtype=diagonal.dtype.base_dtype, name="padding_value")
        return apply_op("MatrixDiagV3", [diagonal] + sizes + [padding], {"align": align}, name=scope)


def matrix_diag_part(input, name="diag_part", k=0, padding_value=0, align="RIGHT_LEFT"):  # noqa: A002
    """The k-th diagonal of each matrix (MatrixDiagPartV3)."""
    with name_scope(name) as scope:
        input = convert_to_tensor(input, name="input")  # noqa: A001
        k = convert_to_tensor(k, dtypes.int32, name="k")
        padding = convert_to_tensor(padding_value, dtype=input.dtype.base_dtype, name="padding_value")
        return apply_op("MatrixDiagPartV3", [input, k, padding], {"align": align}, name=scope)


def matrix_set_diag(input, diagonal, name="set_diag", k=0, align="RIGHT_LEFT"):  # noqa: A002
    """Each matrix with its k-th diagonal replaced by `diagonal` (MatrixSetDiagV3)."""
    with name_scope(name) as scope:
        return apply_op("MatrixSetDiagV3", [input, diagonal, convert_to_tensor(k, dtypes.int32, name="k")],
                        {"align": align}, name=scope)


def trace(x, name=None):
    """The sum of each matrix's diagonal."""
    with name_scope(name, "Trace", [x]) as scope:
        x = convert_to_tensor(x, name="x")
        return reduce_sum(matrix_diag_part(x), [-1], name=scope)


def eye(num_rows, num_columns=None, batch_shape=None, dtype=dtypes.float32, name=None):
    """Identity matrices [*batch_shape, num_rows, num_columns]; the sizes may be tensors."""
    with name_scope(name, "eye", [num_rows, num_columns, batch_shape]):
        square = num_columns is None
        num_columns = num_rows if square else num_columns
        dynamic = isinstance(num_rows, Tensor) or isinstance(num_columns, Tensor)
        if dynamic:
            size = minimum(num_rows, num_columns)
        else:
            square, size = num_rows == num_columns, min(num_rows, num_columns)
        batch = [] if batch_shape is None else batch_shape
        if dynamic or isinstance(batch, Tensor):
            batch = convert_to_tensor(batch, dtypes.int32, name="shape")
            diag = ones(concat([batch, [size]], 0), dtype=dtype)
            full = None if square else concat([batch, [num_rows, num_columns]], 0)
        else:
            diag = ones(list(batch) + [size], dtype=dtype)
            full = list(batch) + [num_rows, num_columns]
        return matrix_diag(diag) if square else matrix_set_diag(zeros(full, dtype=dtype), diag)


# ----- inverses and determinants --------------------------------------------------------------------------------
def _inverse_kernel(a, x):
    _check_square(x)
    x = _adjoint_np(x) if a["adjoint"] else x
    try:
        return np.linalg.inv(x).astype(x.dtype, copy=False)
    except np.linalg.LinAlgError:
        raise InvalidArgumentError(None, None, "Input is not invertible.") from None


def _inverse_grad(op, g):
    inv = op.outputs[0]
    adj = op._attrs["adjoint"]
    inner = matmul(g, inv, adjoint_a=adj, adjoint_b=not adj)
    return [-matmul(inv, inner, adjoint_a=not adj)]


op("MatrixInverse", "input:T", kernel=_inverse_kernel, shape=_same_shape_square, grad=_inverse_grad, T=_T_INV)


def matrix_inverse(input, adjoint=False, name=None):  # noqa: A002
    """The inverse (of the adjoint, if `adjoint`) of each square matrix."""
    return apply_op("MatrixInverse", [input], {"adjoint": adjoint}, name=name)


def _det_kernel(a, x):
    _check_square(x)
    return np.linalg.det(x).astype(x.dtype, copy=False)


def _det_multipliers(g, like):
    return reshape(g, concat([shape(like), [1, 1]], 0))


def _det_grad(op, g):
    a, det = op.inputs[0], op.outputs[0]
    return [_det_multipliers(g * det, det) * matrix_inverse(a, adjoint=True)]


op("MatrixDeterminant", "input:T", kernel=_det_kernel, shape=_batch_shape, grad=_det_grad, T=_T_DET)


def matrix_determinant(input, name=None):  # noqa: A002
    """The determinant of each square matrix."""
    return apply_op("MatrixDeterminant", [input], {}, name=name)


def _slogdet_kernel(a, x):
    _check_square(x)
    sign, logdet = np.linalg.slogdet(x)
    return [np.asarray(sign, x.dtype), np.asarray(logdet, x.dtype)]


def _slogdet_shape(inputs, a):
    dtype, batch = _batch_shape(inputs, a)
    return [(dtype, batch), (dtype, batch)]


def _slogdet_grad(op, _, g):
    return [_det_multipliers(g, g) * matrix_inverse(op.inputs[0], adjoint=True)]


op("LogMatrixDeterminant", "input:T", kernel=_slogdet_kernel, shape=_slogdet_shape, grad=_slogdet_grad, T=_T_DET)


def log_matrix_determinant(input, name=None):  # noqa: A002
    """(sign, log|det|) of each square matrix."""
    return tuple(apply_op("LogMatrixDeterminant", [input], {}, name=name))


def slogdet(input, name=None):  # noqa: A002
    """(sign, log|det|) of each square matrix."""
    return log_matrix_determinant(input, name=name)


def logdet(matrix, name=None):
    """log(det(matrix)) of Hermitian positive definite matrices, through their Cholesky factors."""
    with name_scope(name, "logdet", [matrix]):
        chol = cholesky(matrix)
        return 2.0 * reduce_sum(log(matrix_diag_part(chol)), axis=[-1])


# ----- Cholesky, solvers, eigendecompositions -------------------------------------------------------------------
def _cholesky_kernel(a, x):
    _check_square(x)
    try:
        return np.linalg.cholesky(x).astype(x.dtype, copy=False)
    except np.linalg.LinAlgError:  # TF's kernel fills a failed factor with NaNs (its upper part is undefined)
        out = np.empty_like(x)
        for index in np.ndindex(x.shape[:-2]):
            try:
                out[index] = np.linalg.cholesky(x[index])
            except np.linalg.LinAlgError:
                out[index] = np.tril(np.full(x.shape[-2:], np.nan, x.dtype))
        return out


def _cholesky_grad(op, g):
    chol = op.outputs[0]
    identity = matrix_set_diag(zeros_like(chol), ones_like(matrix_diag_part(chol)))
    chol_inv = matrix_triangular_solve(chol, identity)
    middle = matmul(chol, g, adjoint_a=True)
    middle = matrix_set_diag(middle, 0.5 * matrix_diag_part(middle))
    middle = matrix_band_part(middle, -1, 0)
    grad = matmul(matmul(chol_inv, middle, adjoint_a=True), chol_inv)
    grad += matrix_transpose(grad, conjugate=True)
    return [grad * 0.5]


op("Cholesky", "input:T", kernel=_cholesky_kernel, shape=_same_shape_square, grad=_cholesky_grad, T=_T_INV)


def cholesky(input, name=None):  # noqa: A002
    """The lower Cholesky factor of each Hermitian positive definite matrix."""
    return apply_op("Cholesky", [input], {}, name=name)


def _solve_shape(inputs, a):
    m, r = _square(inputs[0]), _matrices(inputs[1])
    if m is None or r is None:
        return inputs[0].dtype.base_dtype, unknown_shape() if r is None else _raw(r)
    if m[-2] is not None and r[-2] is not None and m[-2] != r[-2]:
        raise ValueError(f"Dimensions must be equal, but are {m[-2]} and {r[-2]}")
    return inputs[0].dtype.base_dtype, _raw(tuple(r[:-2]) + ((m[-1] if m[-1] is not None else r[-2]), r[-1]))


def _solve_kernel(a, m, rhs):
    _check_square(m)
    if m.shape[-2] != rhs.shape[-2]:
        raise InvalidArgumentError(None, None, "Input matrix and right-hand side must have the same number of rows.")
    m = _adjoint_np(m) if a["adjoint"] else m
    try:
        return np.linalg.solve(m, rhs).astype(rhs.dtype, copy=False)
    except np.linalg.LinAlgError:
        raise InvalidArgumentError(None, None, "Input matrix is not invertible.") from None


def _solve_grad(op, g):
    m, adj = op.inputs[0], op._attrs["adjoint"]
    c = op.outputs[0]
    grad_b = matrix_solve(m, g, adjoint=not adj)
    grad_a = -matmul(c, grad_b, adjoint_b=True) if adj else -matmul(grad_b, c, adjoint_b=True)
    return [grad_a, grad_b]


op("MatrixSolve", "matrix:T, rhs:T", kernel=_solve_kernel, shape=_solve_shape, grad=_solve_grad, T=_T_INV)


def matrix_solve(matrix, rhs, adjoint=False, name=None):
    """X with matrix @ X = rhs (adjoint(matrix) @ X = rhs if `adjoint`)."""
    return apply_op("MatrixSolve", [matrix, rhs], {"adjoint": adjoint}, name=name)


def _triangular_solve_kernel(a, m, rhs):
    _check_square(m)
    lower, adj = a["lower"], a["adjoint"]
    tri = np.tril(m) if lower else np.triu(m)
    tri = _adjoint_np(tri) if adj else tri
    diag = np.diagonal(tri, axis1=-2, axis2=-1)
    if np.any(diag == 0):
        raise InvalidArgumentError(None, None, "Input matrix is not invertible.")
    batch = np.broadcast_shapes(tri.shape[:-2], rhs.shape[:-2])
    tri = np.broadcast_to(tri, batch + tri.shape[-2:])
    rhs = np.broadcast_to(rhs, batch + rhs.shape[-2:])
    return np.linalg.solve(tri, rhs).astype(rhs.dtype, copy=False)


def _triangular_solve_grad(op, g):
    m, lower, adj = op.inputs[0], op._attrs["lower"], op._attrs["adjoint"]
    c = op.outputs[0]
    grad_b = matrix_triangular_solve(m, g, lower=lower, adjoint=not adj)
    grad_a = -matmul(c, grad_b, adjoint_b=True) if adj else -matmul(grad_b, c, adjoint_b=True)
    grad_a = matrix_band_part(grad_a, -1, 0) if lower else matrix_band_part(grad_a, 0, -1)
    return [grad_a, grad_b]


def _triangular_solve_shape(inputs, a):
    dtype, out = _solve_shape(inputs, a)
    m, r = dims(inputs[0]), dims(inputs[1])
    if m is None or r is None or out.ndims is None:
        return dtype, out
    batch = broadcast_dims(tuple(m[:-2]), tuple(r[:-2]))  # TF's triangular solve broadcasts batch dimensions
    return dtype, unknown_shape() if batch is None else _raw(tuple(batch) + tuple(out.as_list()[-2:]))


op("MatrixTriangularSolve", "matrix:T, rhs:T", kernel=_triangular_solve_kernel, shape=_triangular_solve_shape,
   grad=_triangular_solve_grad, T="bfloat16 float64 float32 float16 complex64 complex128")


def matrix_triangular_solve(matrix, rhs, lower=True, adjoint=False, name=None):
    """X with triangular(matrix) @ X = rhs, using only the lower (or upper) triangle of `matrix`."""
    with name_scope(name, "triangular_solve", [matrix, rhs]):
        return apply_op("MatrixTriangularSolve", [matrix, rhs], {"lower": lower, "adjoint": adjoint})


def _eig_kernel(a, x):
    _check_square(x)
    if a["compute_v"]:
        e, v = np.linalg.eigh(x, UPLO="L")
        return [e.astype(x.dtype, copy=False), v.astype(x.dtype, copy=False)]
    e = np.linalg.eigvalsh(x, UPLO="L")
    return [e.astype(x.dtype, copy=False), np.zeros((0,), x.dtype)]


def _eig_shape(inputs, a):
    d = _square(inputs[0])
    dtype = inputs[0].dtype.base_dtype
    if d is None:
        return [(dtype, unknown_shape()), (dtype, unknown_shape())]
    v = _raw(d) if a["compute_v"] else _raw((0,))
    return [(dtype, _raw(d[:-1])), (dtype, v)]


def _safe_reciprocal(x, eps=1e-20):
    return x * reciprocal(x * x + eps)


def _eig_grad(op, grad_e, grad_v):
    e = op.outputs[0]
    if op._attrs["compute_v"]:
        v = op.outputs[1]
        f = matrix_set_diag(_safe_reciprocal(expand_dims(e, -2) - expand_dims(e, -1)), zeros_like(e))
        inner = matrix_diag(grad_e if grad_e is not None else zeros_like(e))
        if grad_v is not None:
            inner = inner + f * matmul(v, grad_v, adjoint_a=True)
        grad = matmul(v, matmul(inner, v, adjoint_b=True))
    else:
        _, v = self_adjoint_eig(op.inputs[0])
        grad = matmul(v, matmul(matrix_diag(grad_e), v, adjoint_b=True))
    grad = matrix_band_part(grad + matrix_transpose(grad, conjugate=True), -1, 0)
    return [matrix_set_diag(grad, 0.5 * matrix_diag_part(grad))]


op("SelfAdjointEigV2", "input:T", kernel=_eig_kernel, shape=_eig_shape, grad=_eig_grad, T=_T_INV)


def self_adjoint_eig(tensor, name=None):
    """(eigenvalues ascending, eigenvectors as columns) of each self-adjoint matrix (its lower triangle)."""
    e, v = apply_op("SelfAdjointEigV2", [tensor], {"compute_v": True}, name=name)
    return e, v


def self_adjoint_eigvals(tensor, name=None):
    """The eigenvalues of each self-adjoint matrix, ascending."""
    return apply_op("SelfAdjointEigV2", [tensor], {"compute_v": False}, name=name)[0]


def cholesky_solve(chol, rhs, name=None):
    """X with A @ X = rhs, given chol = cholesky(A): two triangular solves."""
    with name_scope(name, "cholesky_solve", [chol, rhs]):
        y = apply_op("MatrixTriangularSolve", [chol, rhs], {"lower": True, "adjoint": False})
        return apply_op("MatrixTriangularSolve", [chol, y], {"lower": True, "adjoint": True})

"""Operators given by their entries: LinearOperatorFullMatrix (a matrix) and LinearOperatorLowerTriangular (the
lower triangle of one), with triangular solves and determinants from the diagonal for the latter."""
from ..convert import convert_to_tensor
from ..default_graph import name_scope
from ..ops.array import expand_dims, shape as shape_of
from ..ops.linalg import matmul as dense_matmul
from ..ops.math import abs as abs_, log
from ..ops.matrix import matrix_band_part, matrix_diag_part, matrix_transpose, matrix_triangular_solve
from ..ops.reduction import reduce_prod, reduce_sum
from .base import LinearOperator, broadcast_matrices


class LinearOperatorFullMatrix(LinearOperator):
    """An operator given by its (batch) matrix."""

    def __init__(self, matrix, is_non_singular=None, is_self_adjoint=None, is_positive_definite=None, is_square=None,
                 name="LinearOperatorFullMatrix"):
        with name_scope(name) as scope:
            self._scope = scope
            self._matrix = convert_to_tensor(matrix, name="matrix")
            allowed = ("float16", "float32", "float64", "complex64", "complex128")
            if self._matrix.dtype.base_dtype.name not in allowed:
                raise TypeError(f"Argument `matrix` must have dtype in [{', '.join('tf.' + a for a in allowed)}]. "
                                f"Received: {self._matrix.dtype}.")
            if self._matrix.shape.ndims is not None and self._matrix.shape.ndims < 2:
                raise ValueError(f"Argument `matrix` must have at least 2 dimensions. Received: {self._matrix}.")
        super().__init__(self._matrix.dtype, [self._matrix], is_non_singular, is_self_adjoint, is_positive_definite,
                         is_square, name, dict(matrix=matrix, is_non_singular=is_non_singular,
                                               is_self_adjoint=is_self_adjoint,
                                               is_positive_definite=is_positive_definite, is_square=is_square,
                                               name=name))

    matrix = property(lambda self: self._matrix)

    def _shape(self):
        return self._matrix.shape

    def _shape_tensor(self):
        return shape_of(self._matrix)

    def _to_dense(self):
        return self._matrix

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        return dense_matmul(self._matrix, x, adjoint_a=adjoint, adjoint_b=adjoint_arg)


class LinearOperatorLowerTriangular(LinearOperator):
    """An operator given by the lower triangle of its (batch) matrix (the rest is ignored)."""

    def __init__(self, tril, is_non_singular=None, is_self_adjoint=None, is_positive_definite=None, is_square=None,
                 name="LinearOperatorLowerTriangular"):
        if is_square is False:
            raise ValueError("Only square lower triangular operators supported at this time.")
        with name_scope(name) as scope:
            self._scope = scope
            self._tril = convert_to_tensor(tril, name="tril")
            if self._tril.shape.ndims is not None and self._tril.shape.ndims < 2:
                raise ValueError(f"Argument tril must have at least 2 dimensions.  Found: {self._tril}")
        super().__init__(self._tril.dtype, [self._tril], is_non_singular, is_self_adjoint, is_positive_definite,
                         True, name, dict(tril=tril, is_non_singular=is_non_singular, is_self_adjoint=is_self_adjoint,
                                          is_positive_definite=is_positive_definite, is_square=is_square, name=name))

    tril = property(lambda self: matrix_band_part(self._tril, -1, 0))

    def _shape(self):
        return self._tril.shape

    def _shape_tensor(self):
        return shape_of(self._tril)

    def _to_dense(self):
        return matrix_band_part(self._tril, -1, 0)

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        return dense_matmul(self._to_dense(), x, adjoint_a=adjoint, adjoint_b=adjoint_arg)

    def _diag_part(self):
        return matrix_diag_part(self._tril)

    def _determinant(self):
        return reduce_prod(self._diag_part(), axis=[-1])

    def _log_abs_determinant(self):
        return reduce_sum(log(abs_(self._diag_part())), axis=[-1])

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        rhs = matrix_transpose(rhs, conjugate=True) if adjoint_arg else rhs
        return matrix_triangular_solve(*broadcast_matrices(self._to_dense(), rhs), lower=True, adjoint=adjoint)

    def _eigvals(self):
        return self._diag_part()

    def _linop_matmul(self, other):
        if type(other).__name__ == "LinearOperatorDiag":  # the diag scales the columns
            return LinearOperatorLowerTriangular(self._to_dense() * expand_dims(other.diag, -2),
                                                 is_non_singular=_both(self, other, "is_non_singular"), is_square=True)
        return super()._linop_matmul(other)


def _both(a, b, hint):
    return True if getattr(a, hint) and getattr(b, hint) else None

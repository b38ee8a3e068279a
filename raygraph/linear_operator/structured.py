"""Structured square operators: LinearOperatorHouseholder (a reflection), LinearOperatorPermutation,
LinearOperatorToeplitz (constant diagonals) and LinearOperatorTridiag."""
import numpy as np

from .. import dtypes
from ..convert import convert_to_tensor
from ..default_graph import name_scope
from ..ops.array import expand_dims, reverse, shape as shape_of
from ..ops.filling import one_hot, ones, range as range_, zeros
from ..ops.joining import concat
from ..ops.linalg import matmul as dense_matmul
from ..ops.math import cast, equal
from ..ops.matrix import eye, matrix_determinant, matrix_diag, matrix_diag_part, matrix_transpose
from ..ops.reduction import reduce_sum
from ..ops.slicing import gather
from ..ops.tridiagonal import (compact_diagonals, transposed_diagonals, tridiagonal_matmul,
                               tridiagonal_solve)
from .base import LinearOperator, broadcast_batch


def _arg(x, adjoint_arg):
    return matrix_transpose(x, conjugate=True) if adjoint_arg else x


def _square_shape(t, extra_dims=0):
    """batch + [n, n] from a tensor whose last axis has length n (after `extra_dims` leading-inner axes)."""
    s = t.shape
    if s.ndims is None:
        return s
    return s[:s.ndims - 1 - extra_dims].concatenate([s[-1], s[-1]])


class LinearOperatorHouseholder(LinearOperator):
    """The reflection I - 2 v v^H / |v|^2 through the hyperplane orthogonal to v = reflection_axis."""

    def __init__(self, reflection_axis, is_non_singular=None, is_self_adjoint=None, is_positive_definite=None,
                 is_square=None, name="LinearOperatorHouseholder"):
        parameters = dict(reflection_axis=reflection_axis, is_non_singular=is_non_singular,
                          is_self_adjoint=is_self_adjoint, is_positive_definite=is_positive_definite,
                          is_square=is_square, name=name)
        with name_scope(name) as scope:
            self._scope = scope
            self._axis = convert_to_tensor(reflection_axis, name="reflection_axis")
        if is_self_adjoint is False:
            raise ValueError("A Householder operator is always self adjoint.")
        if is_non_singular is False:
            raise ValueError("A Householder operator is always non-singular.")
        if is_positive_definite is True:
            raise ValueError("A Householder operator is always non-positive definite.")
        if is_square is False:
            raise ValueError("A Householder operator is always square.")
        super().__init__(self._axis.dtype, None, is_non_singular, True, False, True, name, parameters)

    reflection_axis = property(lambda self: self._axis)

    def _shape(self):
        return _square_shape(self._axis)

    def _unit_axis(self):
        v = expand_dims(self._axis, -1)
        return v, reduce_sum(v * v, axis=-2, keepdims=True)

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        x = _arg(x, adjoint_arg)
        v, norm2 = self._unit_axis()
        return x - 2.0 * v * dense_matmul(v, x, adjoint_a=True) / norm2

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        return self._matmul(rhs, adjoint=adjoint, adjoint_arg=adjoint_arg)  # a reflection is its own inverse

    def _to_dense(self):
        v, norm2 = self._unit_axis()
        n = self.domain_dimension_tensor()
        return eye(n, dtype=self.dtype) - 2.0 * dense_matmul(v, v, adjoint_b=True) / norm2

    def _determinant(self):
        return -ones(self.batch_shape_tensor(), dtype=self.dtype)

    def _log_abs_determinant(self):
        return zeros(self.batch_shape_tensor(), dtype=self.dtype)

    def _trace(self):
        return cast(self.domain_dimension_tensor(), self.dtype) - 2.0 + zeros(self.batch_shape_tensor(), self.dtype)

    def _eigvals(self):
        n = self.domain_dimension_tensor()
        values = concat([[-1.0], ones(expand_dims(n - 1, 0), dtype=dtypes.float32)], 0)
        return cast(values, self.dtype) + zeros(expand_dims(n, 0), self.dtype) * expand_dims(
            zeros(self.batch_shape_tensor(), self.dtype), -1)

    def _linop_adjoint(self):
        return self

    def _linop_inverse(self):
        return self


class LinearOperatorPermutation(LinearOperator):
    """The permutation matrix P with (P @ x)[i] = x[perm[i]]."""

    def __init__(self, perm, dtype=dtypes.float32, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=None, name="LinearOperatorPermutation"):
        parameters = dict(perm=perm, dtype=dtype, is_non_singular=is_non_singular, is_self_adjoint=is_self_adjoint,
                          is_positive_definite=is_positive_definite, is_square=is_square, name=name)
        with name_scope(name) as scope:
            self._scope = scope
            self._perm = convert_to_tensor(perm, name="perm")
            if not self._perm.dtype.is_integer:
                raise TypeError(f"Argument perm must be integer dtype. Found: {self._perm}")
        if is_non_singular is False:
            raise ValueError("A Permutation operator is always non-singular.")
        if is_square is False:
            raise ValueError("A Permutation operator is always square.")
        super().__init__(dtype, None, is_non_singular, is_self_adjoint, is_positive_definite, True, name, parameters)

    perm = property(lambda self: self._perm)

    def _shape(self):
        return _square_shape(self._perm)

    def _to_dense(self):
        return one_hot(self._perm, shape_of(self._perm)[-1], dtype=self.dtype)

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        return dense_matmul(self._to_dense(), _arg(x, adjoint_arg), adjoint_a=adjoint)

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        return dense_matmul(self._to_dense(), _arg(rhs, adjoint_arg), adjoint_a=not adjoint)  # P^-1 = P^T

    def _determinant(self):
        return matrix_determinant(self._to_dense())

    def _log_abs_determinant(self):
        return zeros(self.batch_shape_tensor(), dtype=self.dtype)

    def _trace(self):
        fixed = equal(self._perm, cast(_positions(self._perm), self._perm.dtype))
        return reduce_sum(cast(fixed, self.dtype), axis=-1)

    def _diag_part(self):
        return matrix_diag_part(self._to_dense())


def _positions(t):
    return range_(shape_of(t)[-1])


class LinearOperatorToeplitz(LinearOperator):
    """The Toeplitz matrix T[i, j] = col[i - j] (i >= j), row[j - i] (i < j); row[0] is ignored."""

    def __init__(self, col, row, is_non_singular=None, is_self_adjoint=None, is_positive_definite=None,
                 is_square=None, name="LinearOperatorToeplitz"):
        parameters = dict(col=col, row=row, is_non_singular=is_non_singular, is_self_adjoint=is_self_adjoint,
                          is_positive_definite=is_positive_definite, is_square=is_square, name=name)
        with name_scope(name) as scope:
            self._scope = scope
            self._col = convert_to_tensor(col, name="col")
            self._row = convert_to_tensor(row, dtype=self._col.dtype.base_dtype, name="row")
        super().__init__(self._col.dtype, None, is_non_singular, is_self_adjoint, is_positive_definite, True, name,
                         parameters)

    col = property(lambda self: self._col)
    row = property(lambda self: self._row)

    def _shape(self):
        batch = broadcast_batch(self._col.shape[:-1], self._row.shape[:-1])
        return batch.concatenate([self._col.shape[-1], self._col.shape[-1]])

    def _to_dense(self):
        n = self._col.shape[-1].value
        if n is None:
            raise NotImplementedError("LinearOperatorToeplitz needs a statically known size in raygraph")
        values = concat([reverse(self._row[..., 1:], [-1]), self._col + 0 * self._row], axis=-1)
        i, j = np.ogrid[:n, :n]
        return gather(values, (n - 1 + i - j).astype(np.int32), axis=-1, batch_dims=0)


class LinearOperatorTridiag(LinearOperator):
    """A tridiagonal operator given by its diagonals ('compact', 'sequence' or 'matrix' format, as
    tridiagonal_solve takes them)."""

    def __init__(self, diagonals, diagonals_format="compact", is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=None, name="LinearOperatorTridiag"):
        parameters = dict(diagonals=diagonals, diagonals_format=diagonals_format, is_non_singular=is_non_singular,
                          is_self_adjoint=is_self_adjoint, is_positive_definite=is_positive_definite,
                          is_square=is_square, name=name)
        if diagonals_format not in ("compact", "matrix", "sequence"):
            raise ValueError(f"Diagonals Format must be one of compact, matrix, sequence, got : {diagonals_format}")
        with name_scope(name) as scope:
            self._scope = scope
            self._format = diagonals_format
            if diagonals_format == "sequence":
                self._diagonals = [convert_to_tensor(d, name=f"diag_{i}") for i, d in enumerate(diagonals)]
            else:
                self._diagonals = convert_to_tensor(diagonals, name="diagonals")
        dtype = (self._diagonals[0] if diagonals_format == "sequence" else self._diagonals).dtype
        super().__init__(dtype, None, is_non_singular, is_self_adjoint, is_positive_definite, is_square, name,
                         parameters)

    diagonals = property(lambda self: self._diagonals)
    diagonals_format = property(lambda self: self._format)

    def _shape(self):
        if self._format == "matrix":
            return self._diagonals.shape
        if self._format == "sequence":
            return _square_shape(self._diagonals[1])
        return _square_shape(self._diagonals, extra_dims=1)

    def _compact(self):
        return compact_diagonals(self._diagonals, self._format)

    def _to_dense(self):
        if self._format == "matrix":  # TF's operator is the matrix as given (products use its three diagonals)
            return self._diagonals
        d = self._compact()
        return matrix_diag(d[..., 1, :]) + matrix_diag(d[..., 0, :-1], k=1) + matrix_diag(d[..., 2, 1:], k=-1)

    def _diagonals_for(self, adjoint):
        if adjoint and self.dtype.is_complex:
            raise NotImplementedError("the adjoint of a complex tridiagonal operator is not supported by raygraph yet")
        return transposed_diagonals(self._compact()) if adjoint else self._compact()

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        return tridiagonal_matmul(self._diagonals_for(adjoint), _arg(x, adjoint_arg))

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        return tridiagonal_solve(self._diagonals_for(adjoint), _arg(rhs, adjoint_arg))

    def _diag_part(self):
        return self._compact()[..., 1, :]

"""Diagonal operators: LinearOperatorDiag, LinearOperatorIdentity, LinearOperatorScaledIdentity and
LinearOperatorZeros, whose products, solves, determinants and parts need no matrix."""
import numpy as np

from .. import dtypes
from ..convert import convert_to_tensor
from ..default_graph import name_scope
from ..shape import TensorShape
from ..tensor import Tensor
from ..ops.array import expand_dims, shape as shape_of
from ..ops.filling import ones, zeros
from ..ops.joining import concat
from ..ops.math import abs as abs_, cast, log, minimum, sqrt
from ..ops.matrix import eye, matrix_diag, matrix_diag_part, matrix_set_diag, matrix_transpose
from ..ops.reduction import reduce_prod, reduce_sum
from ..ops.shape_fns import constant_value
from .base import LinearOperator, static_or_tensor
from .dense import LinearOperatorLowerTriangular


def _conj(x):
    if x.dtype.is_complex:
        raise NotImplementedError("the adjoint of a complex diagonal operator is not supported by raygraph yet")
    return x


def _arg(x, adjoint_arg):
    return matrix_transpose(x, conjugate=True) if adjoint_arg else x


class LinearOperatorDiag(LinearOperator):
    """The square operator diag(d) of each vector d in the batch."""

    def __init__(self, diag, is_non_singular=None, is_self_adjoint=None, is_positive_definite=None, is_square=True,
                 name="LinearOperatorDiag"):
        parameters = dict(diag=diag, is_non_singular=is_non_singular, is_self_adjoint=is_self_adjoint,
                          is_positive_definite=is_positive_definite, is_square=is_square, name=name)
        with name_scope(name) as scope:
            self._scope = scope
            self._diag = convert_to_tensor(diag, name="diag")
            if self._diag.shape.ndims is not None and self._diag.shape.ndims < 1:
                raise ValueError(f"Argument diag must have at least 1 dimension.  Found: {self._diag}")
        if not self._diag.dtype.is_complex:
            if is_self_adjoint is False:
                raise ValueError("A real diagonal operator is always self adjoint.")
            is_self_adjoint = True
        if is_square is False:
            raise ValueError("Only square diagonal operators currently supported.")
        super().__init__(self._diag.dtype, [self._diag], is_non_singular, is_self_adjoint, is_positive_definite,
                         True, name, parameters)

    diag = property(lambda self: self._diag)

    def _shape(self):
        s = self._diag.shape
        return s.concatenate([s[-1]]) if s.ndims is not None else TensorShape(None)

    def _shape_tensor(self):
        s = shape_of(self._diag)
        return concat([s, s[-1:]], 0)

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        diag = _conj(self._diag) if adjoint else self._diag
        return expand_dims(diag, -1) * _arg(x, adjoint_arg)

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        diag = _conj(self._diag) if adjoint else self._diag
        return _arg(rhs, adjoint_arg) * expand_dims(1.0 / diag, -1)

    def _determinant(self):
        return reduce_prod(self._diag, axis=[-1])

    def _log_abs_determinant(self):
        return reduce_sum(log(abs_(self._diag)), axis=[-1])

    def _to_dense(self):
        return matrix_diag(self._diag)

    def _diag_part(self):
        return self._diag

    def _add_to_tensor(self, x):
        return matrix_set_diag(x, matrix_diag_part(x) + self._diag)

    def _eigvals(self):
        return self._diag

    def _linop_adjoint(self):
        return LinearOperatorDiag(_conj(self._diag), is_non_singular=self.is_non_singular,
                                  is_self_adjoint=self.is_self_adjoint, is_positive_definite=self.is_positive_definite)

    def _linop_inverse(self):
        return LinearOperatorDiag(1.0 / self._diag, is_non_singular=self.is_non_singular,
                                  is_self_adjoint=self.is_self_adjoint, is_positive_definite=self.is_positive_definite)

    def _linop_cholesky(self):
        return LinearOperatorDiag(sqrt(self._diag), is_non_singular=True, is_self_adjoint=True,
                                  is_positive_definite=True)

    def _linop_matmul(self, other):
        if isinstance(other, LinearOperatorDiag):
            return LinearOperatorDiag(self._diag * other.diag, is_non_singular=_both(self, other, "is_non_singular"),
                                      is_self_adjoint=_both(self, other, "is_self_adjoint"),
                                      is_positive_definite=_both(self, other, "is_positive_definite"))
        if isinstance(other, LinearOperatorLowerTriangular):  # the diag scales the rows
            return LinearOperatorLowerTriangular(expand_dims(self._diag, -1) * other.to_dense(),
                                                 is_non_singular=_both(self, other, "is_non_singular"), is_square=True)
        return super()._linop_matmul(other)


def _both(a, b, hint):
    return True if getattr(a, hint) and getattr(b, hint) else None


def _num(value, what):
    """A row or column count: a Python int (checked as TF does) or an int32 tensor."""
    t = convert_to_tensor(value, name=what) if not isinstance(value, Tensor) else value
    if not t.dtype.is_integer:
        raise TypeError(f"Argument {what} must be integer type.  Found: {t}")
    v = constant_value(t)
    if v is not None:
        if np.ndim(v) != 0:
            raise ValueError(f"Argument {what} must be a 0-D Tensor.  Found: {t}")
        if int(v) < 0:
            raise ValueError(f"Argument {what} must be non-negative.  Found: {int(v)}")
        return int(v), t
    return None, t


def _batch(batch_shape):
    if batch_shape is None:
        return None, None
    t = convert_to_tensor(batch_shape, dtypes.int32, name="batch_shape")
    v = constant_value(t)
    if v is not None and np.any(np.asarray(v) < 0):
        raise ValueError(f"Argument batch_shape must be non-negative.  Found: {list(v)}")
    return (None if v is None else [int(i) for i in np.ravel(v)]), t


class _BaseIdentity(LinearOperator):
    """What the identity and scaled identity share: a size, and matrices made from eye()."""

    def _square_dims(self):
        n = self._rows
        return TensorShape([n, n])


class LinearOperatorIdentity(_BaseIdentity):
    """The num_rows x num_rows identity (a batch of them when batch_shape is given)."""

    def __init__(self, num_rows, batch_shape=None, dtype=None, is_non_singular=True, is_self_adjoint=True,
                 is_positive_definite=True, is_square=True, assert_proper_shapes=False, name="LinearOperatorIdentity"):
        parameters = dict(num_rows=num_rows, batch_shape=batch_shape, dtype=dtype, is_non_singular=is_non_singular,
                          is_self_adjoint=is_self_adjoint, is_positive_definite=is_positive_definite,
                          is_square=is_square, assert_proper_shapes=assert_proper_shapes, name=name)
        for hint, value, what in ((is_self_adjoint, True, "self-adjoint"), (is_positive_definite, True,
                                                                              "positive definite"),
                                  (is_non_singular, True, "non-singular"), (is_square, True, "square")):
            if not value == hint:
                raise ValueError(f"An identity operator is always {what}.")
        with name_scope(name) as scope:
            self._scope = scope
            self._rows, self._rows_tensor = _num(num_rows, "num_rows")
            self._batch, self._batch_tensor = _batch(batch_shape)
        super().__init__(dtype or dtypes.float32, None, True, True, True, True, name, parameters)

    def _shape(self):
        batch = TensorShape([]) if self._batch_tensor is None else TensorShape(self._batch)
        return batch.concatenate(self._square_dims())

    def _shape_tensor(self):
        n = self._rows_tensor
        square = convert_to_tensor([n, n]) if self._rows is None else np.array([self._rows] * 2, np.int32)
        return square if self._batch_tensor is None else concat([self._batch_tensor, square], 0)

    def _broadcast(self, x):
        if self._batch_tensor is None:
            return x
        return x + zeros(concat([self._batch_tensor, [1, 1]], 0), dtype=self.dtype)

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        return self._broadcast(_arg(x, adjoint_arg))

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        return self._broadcast(_arg(rhs, adjoint_arg))

    def _determinant(self):
        return ones(self.batch_shape_tensor(), dtype=self.dtype)

    def _log_abs_determinant(self):
        return zeros(self.batch_shape_tensor(), dtype=self.dtype)

    def _trace(self):
        return ones(self.batch_shape_tensor(), dtype=self.dtype) * cast(self.domain_dimension_tensor(), self.dtype)

    def _diag_part(self):
        return ones(static_or_tensor(self.shape[:-1], lambda: self.shape_tensor()[:-1]), dtype=self.dtype)

    def _to_dense(self):
        return eye(self._rows if self._rows is not None else self._rows_tensor,
                   batch_shape=self._batch if self._batch is not None else self._batch_tensor, dtype=self.dtype)

    def _add_to_tensor(self, x):
        return x + self._to_dense()

    def _eigvals(self):
        return self._diag_part()

    def _cond(self):
        return ones(self.batch_shape_tensor(), dtype=self.dtype)

    def _linop_adjoint(self):
        return self

    def _linop_inverse(self):
        return self

    def _linop_cholesky(self):
        return self

    def _linop_matmul(self, other):
        return other


class LinearOperatorScaledIdentity(_BaseIdentity):
    """multiplier * I (num_rows x num_rows), one multiplier per batch member."""

    def __init__(self, num_rows, multiplier, is_non_singular=None, is_self_adjoint=None, is_positive_definite=None,
                 is_square=True, assert_proper_shapes=False, name="LinearOperatorScaledIdentity"):
        parameters = dict(num_rows=num_rows, multiplier=multiplier, is_non_singular=is_non_singular,
                          is_self_adjoint=is_self_adjoint, is_positive_definite=is_positive_definite,
                          is_square=is_square, assert_proper_shapes=assert_proper_shapes, name=name)
        if not is_square:
            raise ValueError("A ScaledIdentity operator is always square.")
        with name_scope(name) as scope:
            self._scope = scope
            self._multiplier = convert_to_tensor(multiplier, name="multiplier")
            self._rows, self._rows_tensor = _num(num_rows, "num_rows")
        if not self._multiplier.dtype.is_complex:
            if is_self_adjoint is False:
                raise ValueError("A real diagonal operator is always self adjoint.")
            is_self_adjoint = True
        super().__init__(self._multiplier.dtype, None, is_non_singular, is_self_adjoint, is_positive_definite, True,
                         name, parameters)

    multiplier = property(lambda self: self._multiplier)

    def _shape(self):
        return self._multiplier.shape.concatenate(self._square_dims())

    def _shape_tensor(self):
        n = self._rows_tensor if self._rows is None else self._rows
        return concat([shape_of(self._multiplier), [n, n]], 0)

    def _scale(self, adjoint):
        m = _conj(self._multiplier) if adjoint else self._multiplier
        return expand_dims(expand_dims(m, -1), -1)

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        return _arg(x, adjoint_arg) * self._scale(adjoint)

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        return _arg(rhs, adjoint_arg) / self._scale(adjoint)

    def _n(self):
        return cast(self.domain_dimension_tensor(), self.dtype)

    def _determinant(self):
        return self._multiplier ** self._n()

    def _log_abs_determinant(self):
        return self._n() * log(abs_(self._multiplier))

    def _trace(self):
        return self._n() * self._multiplier

    def _diag_part(self):
        return expand_dims(self._multiplier, -1) * ones(
            static_or_tensor(TensorShape([self._rows]), lambda: expand_dims(self._rows_tensor, 0)), dtype=self.dtype)

    def _to_dense(self):
        return self._scale(False) * eye(self._rows if self._rows is not None else self._rows_tensor, dtype=self.dtype)

    def _add_to_tensor(self, x):
        return matrix_set_diag(x, matrix_diag_part(x) + expand_dims(self._multiplier, -1))

    def _eigvals(self):
        return self._diag_part()

    def _linop_adjoint(self):
        return LinearOperatorScaledIdentity(self._rows_tensor, _conj(self._multiplier),
                                            is_non_singular=self.is_non_singular, is_self_adjoint=self.is_self_adjoint,
                                            is_positive_definite=self.is_positive_definite)

    def _linop_inverse(self):
        return LinearOperatorScaledIdentity(self._rows_tensor, 1.0 / self._multiplier,
                                            is_non_singular=self.is_non_singular, is_self_adjoint=self.is_self_adjoint,
                                            is_positive_definite=self.is_positive_definite)

    def _linop_cholesky(self):
        return LinearOperatorScaledIdentity(self._rows_tensor, sqrt(self._multiplier), is_non_singular=True,
                                            is_self_adjoint=True, is_positive_definite=True)


class LinearOperatorZeros(LinearOperator):
    """The num_rows x num_columns zero matrix (a batch of them when batch_shape is given)."""

    def __init__(self, num_rows, num_columns=None, batch_shape=None, dtype=None, is_non_singular=False,
                 is_self_adjoint=True, is_positive_definite=False, is_square=True, assert_proper_shapes=False,
                 name="LinearOperatorZeros"):
        parameters = dict(num_rows=num_rows, num_columns=num_columns, batch_shape=batch_shape, dtype=dtype,
                          is_non_singular=is_non_singular, is_self_adjoint=is_self_adjoint,
                          is_positive_definite=is_positive_definite, is_square=is_square,
                          assert_proper_shapes=assert_proper_shapes, name=name)
        if is_non_singular:
            raise ValueError("A zero operator is always singular.")
        if is_positive_definite:
            raise ValueError("A zero operator is never positive definite.")
        with name_scope(name) as scope:
            self._scope = scope
            self._rows, self._rows_tensor = _num(num_rows, "num_rows")
            if num_columns is None:
                self._cols, self._cols_tensor = self._rows, self._rows_tensor
            else:
                self._cols, self._cols_tensor = _num(num_columns, "num_columns")
            self._batch, self._batch_tensor = _batch(batch_shape)
        if is_square and self._rows is not None and self._cols is not None and self._rows != self._cols:
            raise ValueError(f"LinearOperatorZeros initialized as is_square=True, but got num_rows({self._rows}) != "
                             f"num_columns({self._cols})")
        super().__init__(dtype or dtypes.float32, None, False, is_self_adjoint, False, is_square, name, parameters)

    def _shape(self):
        batch = TensorShape([]) if self._batch_tensor is None else TensorShape(self._batch)
        return batch.concatenate(TensorShape([self._rows, self._cols]))

    def _shape_tensor(self):
        dims = [self._rows_tensor if self._rows is None else self._rows,
                self._cols_tensor if self._cols is None else self._cols]
        return concat([self._batch_tensor if self._batch_tensor is not None else [], dims], 0)

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        x = _arg(x, adjoint_arg)
        rows = self.domain_dimension_tensor() if adjoint else self.range_dimension_tensor()
        x_shape = shape_of(x)
        out = zeros(concat([x_shape[:-2], [rows], x_shape[-1:]], 0), dtype=self.dtype)
        if self._batch_tensor is None:
            return out
        return out + zeros(concat([self._batch_tensor, [1, 1]], 0), dtype=self.dtype)

    def _determinant(self):
        return zeros(self.batch_shape_tensor(), dtype=self.dtype)

    def _trace(self):
        return zeros(self.batch_shape_tensor(), dtype=self.dtype)

    def _diag_part(self):
        size = minimum(self.range_dimension_tensor(), self.domain_dimension_tensor())
        return zeros(concat([self.batch_shape_tensor(), expand_dims(size, 0)], 0), dtype=self.dtype)

    def _to_dense(self):
        return zeros(self.shape_tensor(), dtype=self.dtype)

    def _add_to_tensor(self, x):
        return x + self._to_dense()

    def _eigvals(self):
        return zeros(static_or_tensor(self.shape[:-1], lambda: self.shape_tensor()[:-1]), dtype=self.dtype)


"""TF's `tf.linalg.LinearOperator`: a (batch of) matrix known by what it does, not by its entries.

A subclass gives its static shape (`_shape`), its dynamic shape (`_shape_tensor`) and `_matmul`; everything else
(to_dense, solve, determinant, diag_part, trace, eigvals, cholesky...) has a dense default here, which subclasses
replace where their structure makes it cheaper, as TF's do. Every method builds its ops under the operator's
name scope (taken once, when the operator is built) and a scope named after the method: "LinearOperatorDiag/solve/".

This module also holds the views the base's defaults return: the adjoint and the inverse of an operator.
"""
import numpy as np

from .. import dtypes
from ..convert import convert_to_tensor
from ..default_graph import name_scope
from ..shape import TensorShape
from ..ops.array import broadcast_dynamic_shape, broadcast_to, expand_dims, shape as shape_of, squeeze
from ..ops.checks import assert_less, assert_positive
from ..ops.joining import concat
from ..ops.linalg import matmul as dense_matmul
from ..ops.math import abs as abs_, exp, log
from ..ops.matrix import (cholesky as dense_cholesky, cholesky_solve, eye, matrix_determinant,
                          matrix_diag_part, matrix_solve, matrix_transpose, self_adjoint_eigvals, slogdet)
from ..ops.reduction import reduce_max, reduce_min, reduce_sum
from ..ops.decompositions import svd


def static_or_tensor(shape, tensor_fn, name=None):
    """A shape as a constant when it is known, else the tensor `tensor_fn()` makes."""
    if shape.is_fully_defined():
        return convert_to_tensor(np.array(shape.as_list(), np.int32), name=name)
    return tensor_fn()


def broadcast_batch(a, b):
    """The static broadcast of two batch shapes (TensorShapes)."""
    if a.ndims is None or b.ndims is None:
        return TensorShape(None)
    x, y = a.as_list(), b.as_list()
    n = max(len(x), len(y))
    x, y = [1] * (n - len(x)) + x, [1] * (n - len(y)) + y
    out = []
    for i, j in zip(x, y):
        if i == 1 or i is None and j not in (1, None):
            out.append(j)
        elif j == 1 or j is None or i == j:
            out.append(i)
        else:
            raise ValueError(f"Incompatible shapes for broadcasting: {a} and {b}")
    return TensorShape(out)


class LinearOperator:
    """A (batch of) linear operator(s) on vectors: [B1, ..., Bb, M, N] like a matrix, without its entries."""

    def __init__(self, dtype, graph_parents=None, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=None, name=None, parameters=None):
        if is_positive_definite:
            if is_non_singular is False:
                raise ValueError("A positive definite matrix is always non-singular.")
            is_non_singular = True
        if is_non_singular:
            if is_square is False:
                raise ValueError("A non-singular matrix is always square.")
            is_square = True
        if is_self_adjoint:
            if is_square is False:
                raise ValueError("A self-adjoint matrix is always square.")
            is_square = True
        self._dtype = dtypes.as_dtype(dtype).base_dtype if dtype is not None else None
        self._graph_parents = list(graph_parents or [])
        self._is_non_singular, self._is_self_adjoint = is_non_singular, is_self_adjoint
        self._is_positive_definite, self._is_square_set = is_positive_definite, is_square
        self._name = name or type(self).__name__
        self._parameters = dict(parameters or {})
        if not hasattr(self, "_scope"):
            with name_scope(self._name) as scope:
                self._scope = scope
        if is_square is False and self._known_square() is True:
            raise ValueError("User set is_square hint to False, but the operator was square.")

    # ----- names, hints and shapes ----------------------------------------------------------------------------
    dtype = property(lambda self: self._dtype)
    name = property(lambda self: self._name)
    parameters = property(lambda self: dict(self._parameters))
    graph_parents = property(lambda self: list(self._graph_parents))
    is_non_singular = property(lambda self: self._is_non_singular)
    is_self_adjoint = property(lambda self: self._is_self_adjoint)
    is_positive_definite = property(lambda self: self._is_positive_definite)

    @property
    def is_square(self):
        """Whether the operator is square: the hint if set, else what its static shape says (None: unknown)."""
        return self._is_square_set if self._is_square_set is not None else self._known_square()

    def _known_square(self):
        d, r = self.domain_dimension, self.range_dimension
        return None if d.value is None or r.value is None else d.value == r.value

    def _method_scope(self, name):
        """The scope `<operator>/<method>/` (the operator's scope is re-entered, the method's made unique)."""
        return _Scopes(self._scope, name)

    @property
    def shape(self):
        return self._shape()

    @property
    def batch_shape(self):
        return self.shape[:-2]

    @property
    def tensor_rank(self, name="tensor_rank"):
        return self.shape.ndims

    @property
    def domain_dimension(self):
        return self.shape[-1] if self.shape.ndims is not None else TensorShape([None])[0]

    @property
    def range_dimension(self):
        return self.shape[-2] if self.shape.ndims is not None else TensorShape([None])[0]

    def shape_tensor(self, name="shape_tensor"):
        with self._method_scope(name):
            return static_or_tensor(self.shape, self._shape_tensor)

    def batch_shape_tensor(self, name="batch_shape_tensor"):
        with self._method_scope(name):
            return static_or_tensor(self.batch_shape, lambda: self._shape_tensor()[:-2], name="batch_shape")

    def tensor_rank_tensor(self, name="tensor_rank_tensor"):
        with self._method_scope(name):
            if self.shape.ndims is not None:
                return convert_to_tensor(self.shape.ndims, dtypes.int32)
            return shape_of(self._shape_tensor())[0]

    def domain_dimension_tensor(self, name="domain_dimension_tensor"):
        with self._method_scope(name):
            d = self.domain_dimension.value
            return convert_to_tensor(d, dtypes.int32) if d is not None else self._shape_tensor()[-1]

    def range_dimension_tensor(self, name="range_dimension_tensor"):
        with self._method_scope(name):
            d = self.range_dimension.value
            return convert_to_tensor(d, dtypes.int32) if d is not None else self._shape_tensor()[-2]

    def _shape_tensor(self):
        return shape_of(self.to_dense())

    # ----- products and solves --------------------------------------------------------------------------------
    def _check_input_dtype(self, arg):
        if arg.dtype.base_dtype != self.dtype:
            raise TypeError(f"Expected argument to have dtype {self.dtype}.  Found: {arg.dtype} in tensor {arg}")

    def matmul(self, x, adjoint=False, adjoint_arg=False, name="matmul"):
        """self @ x (adjoint(self) if `adjoint`, adjoint(x) if `adjoint_arg`); an operator x gives a composition."""
        if isinstance(x, LinearOperator):
            left = self.adjoint() if adjoint else self
            right = x.adjoint() if adjoint_arg else x
            with self._method_scope(name):
                return left._linop_matmul(right)
        with self._method_scope(name):
            x = convert_to_tensor(x, name="x")
            self._check_input_dtype(x)
            return self._matmul(x, adjoint=adjoint, adjoint_arg=adjoint_arg)

    def _linop_matmul(self, other):
        """self @ other as an operator: a composition unless the pair has a closed form (TF's matmul registry)."""
        from .composite import LinearOperatorComposition
        return LinearOperatorComposition([self, other])

    def __matmul__(self, other):
        return self.matmul(other)

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        return dense_matmul(self.to_dense(), x, adjoint_a=adjoint, adjoint_b=adjoint_arg)

    def matvec(self, x, adjoint=False, name="matvec"):
        """self @ x for (batch) vectors x."""
        with self._method_scope(name):
            x = convert_to_tensor(x, name="x")
            self._check_input_dtype(x)
            return self._matvec(x, adjoint=adjoint)

    def _matvec(self, x, adjoint=False):
        return squeeze(self._matmul(expand_dims(x, -1), adjoint=adjoint), -1)

    def _check_solvable(self):
        if self.is_non_singular is False:
            raise NotImplementedError("Exact solve not implemented for an operator that is expected to be singular.")
        if self.is_square is False:
            raise NotImplementedError("Exact solve not implemented for an operator that is expected to not be square.")

    def solve(self, rhs, adjoint=False, adjoint_arg=False, name="solve"):
        """X with self @ X = rhs (adjoint(self) if `adjoint`, adjoint(rhs) if `adjoint_arg`)."""
        self._check_solvable()
        if isinstance(rhs, LinearOperator):
            left = self.adjoint() if adjoint else self
            return left.inverse().matmul(rhs, adjoint_arg=adjoint_arg)
        with self._method_scope(name):
            rhs = convert_to_tensor(rhs, name="rhs")
            self._check_input_dtype(rhs)
            return self._solve(rhs, adjoint=adjoint, adjoint_arg=adjoint_arg)

    def _can_use_cholesky(self):
        return bool(self.is_self_adjoint and self.is_positive_definite)

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        rhs = matrix_transpose(rhs, conjugate=True) if adjoint_arg else rhs
        if self._can_use_cholesky():
            return cholesky_solve(dense_cholesky(self.to_dense()), rhs)
        matrix, rhs = broadcast_matrices(self.to_dense(), rhs)
        return matrix_solve(matrix, rhs, adjoint=adjoint)

    def solvevec(self, rhs, adjoint=False, name="solve"):
        """x with self @ x = rhs for (batch) vectors rhs."""
        self._check_solvable()
        with self._method_scope(name):
            rhs = convert_to_tensor(rhs, name="rhs")
            self._check_input_dtype(rhs)
            return squeeze(self._solve(expand_dims(rhs, -1), adjoint=adjoint), -1)

    # ----- scalars and parts ----------------------------------------------------------------------------------
    def _check_square(self, what):
        if self.is_square is False:
            raise NotImplementedError(f"{what} not implemented for an operator that is expected to not be square.")

    def determinant(self, name="det"):
        """det(self) of each matrix in the batch."""
        self._check_square("Determinant")
        with self._method_scope(name):
            return self._determinant()

    def _determinant(self):
        if self.is_positive_definite:
            return exp(self._log_abs_determinant())
        return matrix_determinant(self.to_dense())

    def log_abs_determinant(self, name="log_abs_det"):
        """log|det(self)| of each matrix in the batch."""
        self._check_square("Determinant")
        with self._method_scope(name):
            return self._log_abs_determinant()

    def _log_abs_determinant(self):
        if self._can_use_cholesky():
            return 2.0 * reduce_sum(log(matrix_diag_part(dense_cholesky(self.to_dense()))), axis=[-1])
        return slogdet(self.to_dense())[1]

    def to_dense(self, name="to_dense"):
        """The operator's matrix (or batch of them)."""
        with self._method_scope(name):
            return self._to_dense()

    def _to_dense(self):
        identity = eye(self.domain_dimension_tensor(), batch_shape=self.batch_shape_tensor(), dtype=self.dtype)
        return self.matmul(identity)

    def diag_part(self, name="diag_part"):
        """The main diagonal of each matrix."""
        with self._method_scope(name):
            return self._diag_part()

    def _diag_part(self):
        return matrix_diag_part(self.to_dense())

    def trace(self, name="trace"):
        """The sum of each matrix's diagonal."""
        with self._method_scope(name):
            return self._trace()

    def _trace(self):
        return reduce_sum(self.diag_part(), axis=-1)

    def add_to_tensor(self, x, name="add_to_tensor"):
        """self.to_dense() + x."""
        with self._method_scope(name):
            x = convert_to_tensor(x, name="x")
            self._check_input_dtype(x)
            return self._add_to_tensor(x)

    def _add_to_tensor(self, x):
        return self.to_dense() + x

    def eigvals(self, name="eigvals"):
        """The eigenvalues of each (self-adjoint) matrix, ascending."""
        if not self.is_self_adjoint:
            raise NotImplementedError("Only self-adjoint matrices are supported.")
        with self._method_scope(name):
            return self._eigvals()

    def _eigvals(self):
        return self_adjoint_eigvals(self.to_dense())

    def cond(self, name="cond"):
        """The condition number: the ratio of the largest to the smallest singular value."""
        with self._method_scope(name):
            return self._cond()

    def _cond(self):
        if self.is_self_adjoint:
            values = abs_(self._eigvals())
        else:
            values = svd(self.to_dense(), compute_uv=False)
        return reduce_max(values, axis=-1) / reduce_min(values, axis=-1)

    # ----- operators from operators ---------------------------------------------------------------------------
    def adjoint(self, name="adjoint"):
        """The conjugate transpose (the operator itself when it is self-adjoint)."""
        if self.is_self_adjoint is True:
            return self
        with self._method_scope(name):
            return self._linop_adjoint()

    H = property(lambda self: self.adjoint())

    def _linop_adjoint(self):
        return LinearOperatorAdjoint(self, is_non_singular=self.is_non_singular, is_self_adjoint=self.is_self_adjoint,
                                     is_positive_definite=self.is_positive_definite, is_square=self.is_square)

    def inverse(self, name="inverse"):
        """The inverse operator."""
        if self.is_square is False:
            raise ValueError("Cannot take the Inverse: This operator represents a non square matrix.")
        if self.is_non_singular is False:
            raise ValueError("Cannot take the Inverse: This operator represents a singular matrix.")
        with self._method_scope(name):
            return self._linop_inverse()

    def _linop_inverse(self):
        return LinearOperatorInversion(self, is_non_singular=self.is_non_singular,
                                       is_self_adjoint=self.is_self_adjoint,
                                       is_positive_definite=self.is_positive_definite, is_square=self.is_square)

    def cholesky(self, name="cholesky"):
        """The lower-triangular L with self == L @ adjoint(L) (for self-adjoint positive definite operators)."""
        if not (self.is_positive_definite and self.is_self_adjoint):
            raise ValueError("Cannot take the Cholesky decomposition: Not a positive definite self adjoint matrix.")
        with self._method_scope(name):
            return self._linop_cholesky()

    def _linop_cholesky(self):
        from .dense import LinearOperatorLowerTriangular  # a dense operator is a kind of operator: below this one
        return LinearOperatorLowerTriangular(dense_cholesky(self.to_dense()), is_non_singular=True,
                                             is_self_adjoint=False, is_square=True)

    # ----- run-time checks ------------------------------------------------------------------------------------
    def assert_non_singular(self, name="assert_non_singular"):
        """An op failing at run time when some matrix is singular (its condition number is too large)."""
        with self._method_scope(name):
            eps = np.finfo(self.dtype.real_dtype.as_numpy_dtype).eps
            size = max(self.domain_dimension.value or 1, self.range_dimension.value or 1)
            return assert_less(self._cond(), np.array(100.0 * size / eps, self.dtype.real_dtype.as_numpy_dtype),
                               message="Singular matrix up to precision epsilon.")

    def assert_positive_definite(self, name="assert_positive_definite"):
        """An op failing at run time unless every matrix is positive definite (its eigenvalues are positive)."""
        with self._method_scope(name):
            return assert_positive(self_adjoint_eigvals(self.to_dense()), message="Matrix was not positive definite.")

    def assert_self_adjoint(self, name="assert_self_adjoint"):
        """An op failing at run time unless every matrix equals its adjoint."""
        with self._method_scope(name):
            dense = self.to_dense()
            return assert_less(reduce_max(abs_(dense - matrix_transpose(dense, conjugate=True))),
                               np.array(1e-6, self.dtype.real_dtype.as_numpy_dtype),
                               message="Matrix was not equal to its adjoint.")


class _Scopes:
    """Enters an operator's scope, then a method's."""

    def __init__(self, outer, inner):
        self._outer, self._inner = name_scope(outer), name_scope(inner)

    def __enter__(self):
        self._outer.__enter__()
        return self._inner.__enter__()

    def __exit__(self, *exc):
        self._inner.__exit__(*exc)
        return self._outer.__exit__(*exc)


def broadcast_matrices(a, b):
    """a and b with their batch dimensions broadcast against each other (when their static shapes differ)."""
    sa, sb = a.shape, b.shape
    if sa.ndims is not None and sb.ndims is not None and sa[:-2].as_list() == sb[:-2].as_list() and \
            sa[:-2].is_fully_defined():
        return a, b
    batch = broadcast_dynamic_shape(shape_of(a)[:-2], shape_of(b)[:-2])
    return (broadcast_to(a, concat([batch, shape_of(a)[-2:]], 0)),
            broadcast_to(b, concat([batch, shape_of(b)[-2:]], 0)))


# ----- the views the defaults return -----------------------------------------------------------------------------
def _init_wrapper(self, operator, name, is_non_singular, is_self_adjoint, is_positive_definite, is_square):
    """An operator made from one other (adjoint, inverse): each hint not given is the wrapped operator's."""
    hints = [operator.is_non_singular if is_non_singular is None else is_non_singular,
             operator.is_self_adjoint if is_self_adjoint is None else is_self_adjoint,
             operator.is_positive_definite if is_positive_definite is None else is_positive_definite,
             operator.is_square if is_square is None else is_square]
    LinearOperator.__init__(self, operator.dtype, None, *hints, name=name,
                            parameters=dict(operator=operator, is_non_singular=is_non_singular,
                                            is_self_adjoint=is_self_adjoint, is_positive_definite=is_positive_definite,
                                            is_square=is_square, name=name))


class LinearOperatorAdjoint(LinearOperator):
    """The adjoint (conjugate transpose) of an operator."""

    def __init__(self, operator, is_non_singular=None, is_self_adjoint=None, is_positive_definite=None,
                 is_square=None, name=None):
        self._operator = operator
        name = name or operator.name + "_adjoint"
        for hint, value in (("is_non_singular", is_non_singular), ("is_self_adjoint", is_self_adjoint),
                            ("is_positive_definite", is_positive_definite), ("is_square", is_square)):
            if getattr(operator, hint) is not None and value is not None and getattr(operator, hint) != value:
                raise ValueError(f"An operator is {hint.replace('is_', '').replace('_', '-')} if and only if its "
                                 f"adjoint is {hint.replace('is_', '').replace('_', '-')}.")
        _init_wrapper(self, operator, name, is_non_singular, is_self_adjoint, is_positive_definite, is_square)

    operator = property(lambda self: self._operator)

    def _shape(self):
        s = self._operator.shape
        return s[:-2].concatenate([s[-1], s[-2]]) if s.ndims is not None else s

    def _shape_tensor(self):
        s = self._operator.shape_tensor()
        return concat([s[:-2], s[-1:], s[-2:-1]], 0)

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        return self._operator.matmul(x, adjoint=not adjoint, adjoint_arg=adjoint_arg)

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        return self._operator.solve(rhs, adjoint=not adjoint, adjoint_arg=adjoint_arg)

    def _to_dense(self):
        return matrix_transpose(self._operator.to_dense(), conjugate=True)

    def _determinant(self):
        return self._operator.determinant()

    def _log_abs_determinant(self):
        return self._operator.log_abs_determinant()

    def _diag_part(self):
        return self._operator.diag_part()

    def _trace(self):
        return self._operator.trace()

    def _linop_adjoint(self):
        return self._operator


class LinearOperatorInversion(LinearOperator):
    """The inverse of a (non-singular) operator: its matmul is the operator's solve and vice versa."""

    def __init__(self, operator, is_non_singular=None, is_self_adjoint=None, is_positive_definite=None,
                 is_square=None, name=None):
        self._operator = operator
        name = name or operator.name + "_inv"
        for hint, value in (("is_non_singular", is_non_singular), ("is_square", is_square)):
            if getattr(operator, hint) is False or value is False:
                raise ValueError(f"Argument `{hint}` or argument `operator` must have supplied hint `{hint}` equal "
                                 f"to `True` or `None`. Found `operator.{hint}`: {getattr(operator, hint)}, "
                                 f"`{hint}`: {value}.")
        _init_wrapper(self, operator, name, is_non_singular, is_self_adjoint, is_positive_definite, is_square)

    operator = property(lambda self: self._operator)

    def _shape(self):
        return self._operator.shape

    def _shape_tensor(self):
        return self._operator.shape_tensor()

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        return self._operator.solve(x, adjoint=adjoint, adjoint_arg=adjoint_arg)

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        return self._operator.matmul(rhs, adjoint=adjoint, adjoint_arg=adjoint_arg)

    def _determinant(self):
        return 1.0 / self._operator.determinant()

    def _log_abs_determinant(self):
        return -1.0 * self._operator.log_abs_determinant()

    def _linop_inverse(self):
        return self._operator

"""Operators made of operators: LinearOperatorComposition (a product), LinearOperatorBlockDiag,
LinearOperatorBlockLowerTriangular, LinearOperatorKronecker and LinearOperatorLowRankUpdate (L + U D V^H)."""
import functools

from ..default_graph import name_scope
from ..ops.array import expand_dims, reshape, shape as shape_of
from ..ops.filling import zeros
from ..ops.joining import concat, split
from ..ops.linalg import matmul as dense_matmul
from ..ops.math import cast
from ..ops.matrix import matrix_determinant, matrix_inverse, matrix_solve, matrix_transpose, slogdet
from ..convert import convert_to_tensor
from .base import LinearOperator, broadcast_batch
from .dense import LinearOperatorFullMatrix
from .diagonal import LinearOperatorDiag, LinearOperatorIdentity


def _checked(operators, what="operators"):
    operators = list(operators)
    if not operators:
        raise ValueError(f"Expected a non-empty list of {what}. Found: {operators}")
    dtype = operators[0].dtype
    if any(o.dtype != dtype for o in operators):
        found = "   ".join(f"({o.name!r}, tf.{o.dtype.name})" for o in operators)
        raise TypeError(f"Expected all operators to have the same dtype.  Found {found}")
    return operators


def _all(operators, hint):
    return True if all(getattr(o, hint) for o in operators) else None


def _batch_of(operators):
    return functools.reduce(broadcast_batch, [o.batch_shape for o in operators])


def _arg(x, adjoint_arg):
    return matrix_transpose(x, conjugate=True) if adjoint_arg else x


def _dim(d):
    return d.value if hasattr(d, "value") else d


def _sum_dims(dims):
    return None if any(_dim(d) is None for d in dims) else sum(_dim(d) for d in dims)


def _prod_dims(dims):
    return None if any(_dim(d) is None for d in dims) else functools.reduce(lambda a, b: a * b, [_dim(d) for d in dims])


class LinearOperatorComposition(LinearOperator):
    """The product operators[0] @ operators[1] @ ... of operators with matching dimensions."""

    def __init__(self, operators, is_non_singular=None, is_self_adjoint=None, is_positive_definite=None,
                 is_square=None, name=None):
        self._operators = _checked(operators)
        name = name or "_o_".join(o.name for o in self._operators)
        if is_non_singular is None and _all(self._operators, "is_non_singular") and _all(self._operators, "is_square"):
            is_non_singular = True
        super().__init__(self._operators[0].dtype, None, is_non_singular, is_self_adjoint, is_positive_definite,
                         is_square, name, dict(operators=operators, is_non_singular=is_non_singular,
                                               is_self_adjoint=is_self_adjoint,
                                               is_positive_definite=is_positive_definite, is_square=is_square,
                                               name=name))

    operators = property(lambda self: list(self._operators))

    def _shape(self):
        first, last = self._operators[0].shape, self._operators[-1].shape
        return _batch_of(self._operators).concatenate([first[-2], last[-1]])

    def _shape_tensor(self):
        return concat([self._operators[0].shape_tensor()[:-1], self._operators[-1].shape_tensor()[-1:]], 0)

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        order = self._operators if adjoint else self._operators[::-1]
        result = order[0].matmul(x, adjoint=adjoint, adjoint_arg=adjoint_arg)
        for o in order[1:]:
            result = o.matmul(result, adjoint=adjoint)
        return result

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        order = self._operators[::-1] if adjoint else self._operators
        result = order[0].solve(rhs, adjoint=adjoint, adjoint_arg=adjoint_arg)
        for o in order[1:]:
            result = o.solve(result, adjoint=adjoint)
        return result

    def _to_dense(self):
        result = self._operators[-1].to_dense()
        for o in self._operators[-2::-1]:
            result = o.matmul(result)
        return result

    def _determinant(self):
        return functools.reduce(lambda a, b: a * b, [o.determinant() for o in self._operators])

    def _log_abs_determinant(self):
        return functools.reduce(lambda a, b: a + b, [o.log_abs_determinant() for o in self._operators])


class _DiagonalBlocks:
    """What a block-diagonal or block-triangular operator takes from its diagonal blocks (`_diagonal`)."""

    def _determinant(self):
        return functools.reduce(lambda a, b: a * b, [o.determinant() for o in self._diagonal])

    def _log_abs_determinant(self):
        return functools.reduce(lambda a, b: a + b, [o.log_abs_determinant() for o in self._diagonal])

    def _diag_part(self):
        return concat([_broadcast_batch(o.diag_part(), self.batch_shape, 1) for o in self._diagonal], axis=-1)


class LinearOperatorBlockDiag(_DiagonalBlocks, LinearOperator):
    """The block-diagonal operator with square `operators` on its diagonal."""

    def __init__(self, operators, is_non_singular=None, is_self_adjoint=None, is_positive_definite=None,
                 is_square=True, name=None):
        self._operators = self._diagonal = _checked(operators)
        name = name or "_ds_".join(o.name for o in self._operators)
        if any(o.is_square is False for o in self._operators):
            raise ValueError("Argument operators must be square.")  # TF's BlockDiag takes square blocks only here
        for hint, value in (("is_non_singular", is_non_singular), ("is_self_adjoint", is_self_adjoint),
                            ("is_positive_definite", is_positive_definite)):
            if _all(self._operators, hint) and value is False:
                raise ValueError(f"The direct sum of {hint.replace('is_', '').replace('_', '-')} operators is always "
                                 f"{hint.replace('is_', '').replace('_', '-')}.")
        is_non_singular = True if _all(self._operators, "is_non_singular") else is_non_singular
        is_self_adjoint = True if _all(self._operators, "is_self_adjoint") else is_self_adjoint
        is_positive_definite = True if _all(self._operators, "is_positive_definite") else is_positive_definite
        super().__init__(self._operators[0].dtype, None, is_non_singular, is_self_adjoint, is_positive_definite,
                         True, name, dict(operators=operators, is_non_singular=is_non_singular,
                                          is_self_adjoint=is_self_adjoint, is_positive_definite=is_positive_definite,
                                          is_square=is_square, name=name))

    operators = property(lambda self: list(self._operators))

    def _shape(self):
        rows = _sum_dims([o.range_dimension for o in self._operators])
        cols = _sum_dims([o.domain_dimension for o in self._operators])
        return _batch_of(self._operators).concatenate([rows, cols])

    def _blockwise(self, x, apply, adjoint_arg):
        x = _arg(x, adjoint_arg)
        sizes = [_dim(o.domain_dimension) for o in self._operators]
        parts = split(x, sizes, axis=-2)
        return concat([apply(o, p) for o, p in zip(self._operators, parts)], axis=-2)

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        return self._blockwise(x, lambda o, p: o.matmul(p, adjoint=adjoint), adjoint_arg)

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        return self._blockwise(rhs, lambda o, p: o.solve(p, adjoint=adjoint), adjoint_arg)

    def _to_dense(self):
        return block_matrix([[o if i == j else None for j in range(len(self._operators))]
                             for i, o in enumerate(self._operators)], self._operators, self.dtype)

    def _trace(self):
        return functools.reduce(lambda a, b: a + b, [o.trace() for o in self._operators])

    def _eigvals(self):
        return concat([_broadcast_batch(o.eigvals(), self.batch_shape, 1) for o in self._operators], axis=-1)

    def _linop_adjoint(self):
        return LinearOperatorBlockDiag([o.adjoint() for o in self._operators], self.is_non_singular,
                                       self.is_self_adjoint, self.is_positive_definite, True)

    def _linop_inverse(self):
        return LinearOperatorBlockDiag([o.inverse() for o in self._operators], self.is_non_singular,
                                       self.is_self_adjoint, self.is_positive_definite, True)

    def _linop_cholesky(self):
        return LinearOperatorBlockDiag([o.cholesky() for o in self._operators], True, None, None, True)


def _broadcast_batch(t, batch, inner):
    """t with its batch dimensions broadcast to `batch` (a known TensorShape), keeping `inner` trailing dims."""
    if batch.ndims is None or not batch.is_fully_defined() or t.shape[:-inner].as_list() == batch.as_list():
        return t
    return t + zeros(batch.as_list() + [1] * inner, dtype=t.dtype)


def block_matrix(blocks, diagonal, dtype):
    """The dense matrix of a grid of operator blocks (None: a zero block), rows sized by `diagonal`'s ranges."""
    batch = _batch_of([b for row in blocks for b in row if b is not None])
    rows = []
    for i, row in enumerate(blocks):
        cells = []
        for j, block in enumerate(row):
            if block is None:
                size = [_dim(diagonal[i].range_dimension), _dim(diagonal[j].domain_dimension)]
                cells.append(zeros(batch.as_list() + size, dtype=dtype))
            else:
                cells.append(_broadcast_batch(block.to_dense(), batch, 2))
        rows.append(concat(cells, axis=-1))
    return concat(rows, axis=-2)


class LinearOperatorBlockLowerTriangular(_DiagonalBlocks, LinearOperator):
    """The block lower-triangular operator of `operators`: row i holds i + 1 blocks, the last one square."""

    def __init__(self, operators, is_non_singular=None, is_self_adjoint=None, is_positive_definite=None,
                 is_square=None, name="LinearOperatorBlockLowerTriangular"):
        self._operators = [list(row) for row in operators]
        if not self._operators:
            raise ValueError(f"Expected a non-empty list of operators. Found: {operators}")
        for i, row in enumerate(self._operators):
            if len(row) != i + 1:
                raise ValueError(f"Argument `operators[{i}]` must contain `{i + 1}` blocks. Received: {len(row)} "
                                 f"blocks.")
        _checked([o for row in self._operators for o in row])
        self._diagonal = [row[-1] for row in self._operators]
        if _all(self._diagonal, "is_non_singular") and is_non_singular is None:
            is_non_singular = True
        super().__init__(self._diagonal[0].dtype, None, is_non_singular, is_self_adjoint, is_positive_definite,
                         True, name, dict(operators=operators, is_non_singular=is_non_singular,
                                          is_self_adjoint=is_self_adjoint, is_positive_definite=is_positive_definite,
                                          is_square=is_square, name=name))

    operators = property(lambda self: [list(r) for r in self._operators])

    def _shape(self):
        size = _sum_dims([o.domain_dimension for o in self._diagonal])
        return _batch_of([o for row in self._operators for o in row]).concatenate([size, size])

    def _to_dense(self):
        n = len(self._operators)
        return block_matrix([[row[j] if j < len(row) else None for j in range(n)] for row in self._operators],
                            self._diagonal, self.dtype)

    def _linop_inverse(self):
        """The block lower-triangular inverse, its blocks cut from the dense inverse."""
        inverse = matrix_inverse(self.to_dense())
        edges = [0]
        for o in self._diagonal:
            edges.append(edges[-1] + _dim(o.domain_dimension))
        rows = [[LinearOperatorFullMatrix(inverse[..., edges[i]:edges[i + 1], edges[j]:edges[j + 1]])
                 for j in range(i + 1)] for i in range(len(self._diagonal))]
        return LinearOperatorBlockLowerTriangular(rows, is_non_singular=self.is_non_singular)


def _kron_dense(a, b):
    """The Kronecker product of two batches of matrices."""
    sa, sb = shape_of(a), shape_of(b)
    product = expand_dims(expand_dims(a, -1), -3) * expand_dims(expand_dims(b, -3), -2)  # [..., i, k, j, l]
    batch = shape_of(product)[:-4]
    return reshape(product, concat([batch, [sa[-2] * sb[-2], sa[-1] * sb[-1]]], 0))


class LinearOperatorKronecker(LinearOperator):
    """The Kronecker product operators[0] (x) operators[1] (x) ..."""

    def __init__(self, operators, is_non_singular=None, is_self_adjoint=None, is_positive_definite=None,
                 is_square=None, name=None):
        self._operators = _checked(operators)
        name = name or "_x_".join(o.name for o in self._operators)
        for hint, value in (("is_non_singular", is_non_singular), ("is_self_adjoint", is_self_adjoint)):
            if _all(self._operators, hint) and value is False:
                raise ValueError(f"The Kronecker product of {hint.replace('is_', '').replace('_', '-')} operators is "
                                 f"always {hint.replace('is_', '').replace('_', '-')}.")
        is_non_singular = True if _all(self._operators, "is_non_singular") else is_non_singular
        is_self_adjoint = True if _all(self._operators, "is_self_adjoint") else is_self_adjoint
        super().__init__(self._operators[0].dtype, None, is_non_singular, is_self_adjoint, is_positive_definite,
                         is_square, name, dict(operators=operators, is_non_singular=is_non_singular,
                                               is_self_adjoint=is_self_adjoint,
                                               is_positive_definite=is_positive_definite, is_square=is_square,
                                               name=name))

    operators = property(lambda self: list(self._operators))

    def _shape(self):
        rows = _prod_dims([o.range_dimension for o in self._operators])
        cols = _prod_dims([o.domain_dimension for o in self._operators])
        return _batch_of(self._operators).concatenate([rows, cols])

    def _to_dense(self):
        return functools.reduce(_kron_dense, [o.to_dense() for o in self._operators])

    def _powers(self):
        """N / n_i for each (square) factor: det(A (x) B) = det(A)^(N/n_A) det(B)^(N/n_B)."""
        total = cast(self.domain_dimension_tensor(), self.dtype)
        return [total / cast(o.domain_dimension_tensor(), self.dtype) for o in self._operators]

    def _determinant(self):
        return functools.reduce(lambda a, b: a * b, [o.determinant() ** p
                                                     for o, p in zip(self._operators, self._powers())])

    def _log_abs_determinant(self):
        return functools.reduce(lambda a, b: a + b, [o.log_abs_determinant() * p
                                                     for o, p in zip(self._operators, self._powers())])

    def _trace(self):
        return functools.reduce(lambda a, b: a * b, [o.trace() for o in self._operators])

    def _diag_part(self):
        def outer(a, b):
            product = expand_dims(a, -1) * expand_dims(b, -2)
            return reshape(product, concat([shape_of(product)[:-2], [shape_of(a)[-1] * shape_of(b)[-1]]], 0))
        return functools.reduce(outer, [o.diag_part() for o in self._operators])

    def _linop_adjoint(self):
        return LinearOperatorKronecker([o.adjoint() for o in self._operators], self.is_non_singular,
                                       self.is_self_adjoint, self.is_positive_definite, self.is_square)

    def _linop_inverse(self):
        return LinearOperatorKronecker([o.inverse() for o in self._operators], self.is_non_singular,
                                       self.is_self_adjoint, self.is_positive_definite, self.is_square)

    def _linop_cholesky(self):
        return LinearOperatorKronecker([o.cholesky() for o in self._operators], True, None, None, True)


class LinearOperatorLowRankUpdate(LinearOperator):
    """base_operator + U diag(diag_update) V^H (V = U when v is None); solves and determinants by Woodbury's
    identity and the matrix determinant lemma."""

    def __init__(self, base_operator, u, diag_update=None, v=None, is_diag_update_positive=None,
                 is_non_singular=None, is_self_adjoint=None, is_positive_definite=None, is_square=None,
                 name="LinearOperatorLowRankUpdate"):
        parameters = dict(base_operator=base_operator, u=u, diag_update=diag_update, v=v,
                          is_diag_update_positive=is_diag_update_positive, is_non_singular=is_non_singular,
                          is_self_adjoint=is_self_adjoint, is_positive_definite=is_positive_definite,
                          is_square=is_square, name=name)
        self._base = base_operator
        self._symmetric = v is None
        with name_scope(name) as scope:
            self._scope = scope
            dtype = base_operator.dtype
            self._u = convert_to_tensor(u, dtype=dtype, name="u")
            self._v = self._u if v is None else convert_to_tensor(v, dtype=dtype, name="v")
            if diag_update is None:
                self._diag = None
                is_diag_update_positive = True
            else:
                self._diag = convert_to_tensor(diag_update, dtype=dtype, name="diag_update")
        if self._symmetric and base_operator.is_self_adjoint and is_self_adjoint is None:
            is_self_adjoint = True
        if (self._symmetric and base_operator.is_positive_definite and is_diag_update_positive
                and is_positive_definite is None):
            is_positive_definite = True
        self._is_diag_update_positive = is_diag_update_positive
        super().__init__(dtype, None, is_non_singular, is_self_adjoint, is_positive_definite, is_square, name,
                         parameters)

    base_operator = property(lambda self: self._base)
    u = property(lambda self: self._u)
    v = property(lambda self: self._v)
    diag_update = property(lambda self: self._diag)
    is_diag_update_positive = property(lambda self: self._is_diag_update_positive)

    def _shape(self):
        return broadcast_batch(self._base.batch_shape, self._u.shape[:-2]).concatenate(self._base.shape[-2:])

    def _diag_operator(self):
        if self._diag is None:
            return LinearOperatorIdentity(shape_of(self._u)[-1], dtype=self.dtype)
        return LinearOperatorDiag(self._diag, is_positive_definite=self._is_diag_update_positive or None)

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        u, v = (self._v, self._u) if adjoint else (self._u, self._v)
        base = self._base.matmul(x, adjoint=adjoint, adjoint_arg=adjoint_arg)
        coefficients = dense_matmul(v, _arg(x, adjoint_arg), adjoint_a=True)
        return base + dense_matmul(u, self._diag_operator().matmul(coefficients, adjoint=adjoint))

    def _to_dense(self):
        update = dense_matmul(self._u, self._diag_operator().matmul(self._v, adjoint_arg=True))
        return self._base.to_dense() + update

    def _capacitance(self):
        """D^-1 + V^H L^-1 U: det(L + U D V^H) = det(C) det(D) det(L)."""
        inner = dense_matmul(self._v, self._base.solve(self._u), adjoint_a=True)
        return self._diag_operator().inverse().add_to_tensor(inner)

    def _determinant(self):
        return (matrix_determinant(self._capacitance()) * self._diag_operator().determinant()
                * self._base.determinant())

    def _log_abs_determinant(self):
        return (slogdet(self._capacitance())[1] + self._diag_operator().log_abs_determinant()
                + self._base.log_abs_determinant())

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        u, v = (self._v, self._u) if adjoint else (self._u, self._v)
        base_solution = self._base.solve(rhs, adjoint=adjoint, adjoint_arg=adjoint_arg)
        capacitance = self._capacitance()
        correction = matrix_solve(capacitance, dense_matmul(v, base_solution, adjoint_a=True), adjoint=adjoint)
        return base_solution - self._base.solve(dense_matmul(u, correction), adjoint=adjoint)

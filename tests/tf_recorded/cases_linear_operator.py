"""Recorded cases: tf.linalg's LinearOperator family (FullMatrix, LowerTriangular, Diag, Identity, ScaledIdentity,
Zeros, Adjoint, Inversion, Composition, BlockDiag, BlockLowerTriangular, Kronecker, LowRankUpdate, Householder,
Permutation, Toeplitz, Tridiag): static shapes and hints, and the values of to_dense, matmul (adjoint, adjoint_arg),
matvec, solve, solvevec, determinant, log_abs_determinant, diag_part, trace, add_to_tensor, shape tensors, and
of the inverse, adjoint and Cholesky operators; construction errors."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import error_text, shape_of  # noqa: E402

M = np.array([[4.0, 1.0, -0.5], [1.0, 3.0, 0.25], [-0.5, 0.25, 2.0]])
N = np.array([[2.0, 1.0, 0.5], [-1.0, 3.0, 0.25], [0.5, -0.75, 1.5]])
X = np.array([[1.0, -2.0], [0.5, 3.0], [2.0, 1.0]])


def _value(d):
    return d.value if hasattr(d, "value") else d


def _dims(s):
    return None if s.ndims is None else s.as_list()


def _tried(fn):
    try:
        return fn()
    except (ValueError, NotImplementedError, TypeError) as e:
        return type(e).__name__


def summary(tf, op, x, n_batch=0):
    """An operator's static facts and the values of its methods on x (a [.., N, K] float64 or float32 array)."""
    facts = [type(op).__name__, op.name, op.dtype.name, _dims(op.shape), _dims(op.batch_shape),
             op.tensor_rank, _value(op.domain_dimension), _value(op.range_dimension), op.is_square,
             op.is_self_adjoint, op.is_non_singular, op.is_positive_definite]
    x = tf.constant(x.astype(op.dtype.as_numpy_dtype))
    xt = tf.linalg.matrix_transpose(x)
    x_adj = x if op.is_square else tf.ones([_value(op.range_dimension), 2], op.dtype)
    tensors = {"dense": op.to_dense(), "matmul": op.matmul(x), "matmul_adj": op.matmul(x_adj, adjoint=True),
               "matmul_arg": op.matmul(xt, adjoint_arg=True), "matvec": op.matvec(x[..., 0]),
               "shape": op.shape_tensor(), "batch": op.batch_shape_tensor(), "domain": op.domain_dimension_tensor(),
               "range": op.range_dimension_tensor(), "rank": op.tensor_rank_tensor()}
    if op.is_square is not False:
        tensors.update(diag=op.diag_part(), trace=op.trace(), plus=op.add_to_tensor(op.to_dense()))
    if op.is_square and op.is_non_singular is not False:
        tensors.update(solve=op.solve(x), solve_adj=op.solve(x, adjoint=True), solvevec=op.solvevec(x[..., 0]),
                       det=op.determinant(), logdet=op.log_abs_determinant())
    made = {"inverse": lambda: op.inverse(), "adjoint": lambda: op.adjoint(), "cholesky": lambda: op.cholesky()}
    kinds = {}
    for k, fn in made.items():
        o = _tried(fn)
        kinds[k] = o if isinstance(o, str) else type(o).__name__
        if not isinstance(o, str):
            tensors[k] = o.to_dense()
    if op.is_self_adjoint:
        tensors["eigvals"] = op.eigvals()
    keys = sorted(tensors)
    static = {k: [tensors[k].dtype.name, shape_of(tensors[k])] for k in keys}
    with tf.Session() as s:
        values = dict(zip(keys, s.run([tensors[k] for k in keys])))
    if "eigvals" in values:
        values["eigvals"] = np.sort(values["eigvals"], axis=-1)
    return [facts, kinds, static, values]


def case_full_matrix(tf):
    return [summary(tf, tf.linalg.LinearOperatorFullMatrix(M, is_self_adjoint=True, is_positive_definite=True), X),
            summary(tf, tf.linalg.LinearOperatorFullMatrix(np.stack([N, M]), name="batch"), X),
            summary(tf, tf.linalg.LinearOperatorFullMatrix(X.T.astype(np.float32)), X)]


def case_lower_triangular(tf):
    return [summary(tf, tf.linalg.LinearOperatorLowerTriangular(N), X),
            summary(tf, tf.linalg.LinearOperatorLowerTriangular(np.stack([M, N]).astype(np.float32),
                                                                 is_non_singular=True), X)]


def case_diag(tf):
    return [summary(tf, tf.linalg.LinearOperatorDiag([2.0, 3.0, 0.5], is_positive_definite=True), X),
            summary(tf, tf.linalg.LinearOperatorDiag(np.array([[1.0, -2.0, 4.0], [0.5, 1.0, 2.0]])), X),
            error_text(lambda: tf.linalg.LinearOperatorDiag(1.0)),
            error_text(lambda: tf.linalg.LinearOperatorDiag([1.0, 2.0], is_self_adjoint=False))]


def case_identity_scaled_zeros(tf):
    return [summary(tf, tf.linalg.LinearOperatorIdentity(3, dtype=tf.float64), X),
            summary(tf, tf.linalg.LinearOperatorIdentity(3, batch_shape=[2]), X),
            summary(tf, tf.linalg.LinearOperatorScaledIdentity(3, 2.5), X),
            summary(tf, tf.linalg.LinearOperatorScaledIdentity(3, np.array([2.0, -0.5]), is_non_singular=True), X),
            summary(tf, tf.linalg.LinearOperatorZeros(3, dtype=tf.float64), X),
            summary(tf, tf.linalg.LinearOperatorZeros(2, 3, is_square=False, is_self_adjoint=False), X),
            error_text(lambda: tf.linalg.LinearOperatorIdentity(-1)),
            error_text(lambda: tf.linalg.LinearOperatorIdentity(2.5)),
            error_text(lambda: tf.linalg.LinearOperatorZeros(2, 3)),
            error_text(lambda: tf.linalg.LinearOperatorZeros(2, is_non_singular=True))]


def case_adjoint_inversion(tf):
    full = tf.linalg.LinearOperatorFullMatrix(N)
    return [summary(tf, tf.linalg.LinearOperatorAdjoint(full), X),
            summary(tf, tf.linalg.LinearOperatorInversion(full), X),
            summary(tf, tf.linalg.LinearOperatorInversion(tf.linalg.LinearOperatorDiag(np.array([2.0, 4.0, -1.0]))), X),
            error_text(lambda: tf.linalg.LinearOperatorInversion(tf.linalg.LinearOperatorZeros(2)))]


def case_composition(tf):
    a = tf.linalg.LinearOperatorFullMatrix(N)
    b = tf.linalg.LinearOperatorDiag(np.array([2.0, -1.0, 0.5]))
    c = tf.linalg.LinearOperatorLowerTriangular(M, is_non_singular=True)
    return [summary(tf, tf.linalg.LinearOperatorComposition([a, b]), X),
            summary(tf, tf.linalg.LinearOperatorComposition([c, b, a], name="abc"), X),
            summary(tf, b.matmul(c), X),
            error_text(lambda: tf.linalg.LinearOperatorComposition([])),
            error_text(lambda: tf.linalg.LinearOperatorComposition([a, tf.linalg.LinearOperatorIdentity(3)]))]


def case_block_diag(tf):
    a = tf.linalg.LinearOperatorFullMatrix(M[:2, :2], is_self_adjoint=True, is_positive_definite=True)
    b = tf.linalg.LinearOperatorDiag(np.array([2.0]))
    return [summary(tf, tf.linalg.LinearOperatorBlockDiag([a, b]), X),
            summary(tf, tf.linalg.LinearOperatorBlockDiag([tf.linalg.LinearOperatorFullMatrix(N[:1, :1]),
                                                           tf.linalg.LinearOperatorFullMatrix(N[1:, 1:])]), X)]


def case_block_lower_triangular(tf):
    a = tf.linalg.LinearOperatorFullMatrix(N[:2, :2])
    b = tf.linalg.LinearOperatorFullMatrix(N[2:, :2])
    c = tf.linalg.LinearOperatorDiag(np.array([2.0]))
    return [summary(tf, tf.linalg.LinearOperatorBlockLowerTriangular([[a], [b, c]]), X),
            error_text(lambda: tf.linalg.LinearOperatorBlockLowerTriangular([[a, b], [c]]))]


def case_kronecker(tf):
    a = tf.linalg.LinearOperatorFullMatrix(np.array([[2.0, 1.0], [0.5, 3.0]]))
    b = tf.linalg.LinearOperatorDiag(np.array([1.0, -2.0, 0.5]))
    c = tf.linalg.LinearOperatorFullMatrix(M, is_self_adjoint=True, is_positive_definite=True)
    y = np.arange(12.0).reshape(6, 2) / 4
    return [summary(tf, tf.linalg.LinearOperatorKronecker([a, b]), y),
            summary(tf, tf.linalg.LinearOperatorKronecker([tf.linalg.LinearOperatorDiag(np.array([2.0, 3.0])), c]), y)]


def case_low_rank_update(tf):
    base = tf.linalg.LinearOperatorDiag(np.array([2.0, 3.0, 4.0]), is_positive_definite=True)
    u = np.array([[1.0], [0.5], [-1.0]])
    v = np.array([[0.5], [1.0], [2.0]])
    return [summary(tf, tf.linalg.LinearOperatorLowRankUpdate(base, u), X),
            summary(tf, tf.linalg.LinearOperatorLowRankUpdate(base, u, diag_update=np.array([2.0]), is_diag_update_positive=True),
                    X),
            summary(tf, tf.linalg.LinearOperatorLowRankUpdate(tf.linalg.LinearOperatorFullMatrix(N), u, v=v), X)]


def case_structured(tf):
    return [summary(tf, tf.linalg.LinearOperatorHouseholder([1.0, 2.0, -1.0]), X),
            summary(tf, tf.linalg.LinearOperatorPermutation([2, 0, 1], dtype=tf.float64), X),
            summary(tf, tf.linalg.LinearOperatorPermutation([[1, 0, 2], [0, 1, 2]]), X),
            summary(tf, tf.linalg.LinearOperatorToeplitz([3.0, 1.0, 0.5], [9.0, -1.0, 2.0]), X),
            summary(tf, tf.linalg.LinearOperatorTridiag(
                np.array([[1.0, 0.5, 0.0], [4.0, 3.0, 5.0], [0.0, -1.0, 0.75]])), X),
            summary(tf, tf.linalg.LinearOperatorTridiag(N, diagonals_format="matrix"), X),
            error_text(lambda: tf.linalg.LinearOperatorHouseholder([1.0, 2.0], is_self_adjoint=False))]


def case_names(tf):
    full = tf.linalg.LinearOperatorFullMatrix(M, is_self_adjoint=True, is_positive_definite=True)
    diag = tf.linalg.LinearOperatorDiag(np.array([2.0, 3.0, 0.5]), name="scales")
    x = tf.constant(X)
    outs = [full.matmul(x), full.matvec(x[:, 0]), full.solve(x), full.determinant(), full.log_abs_determinant(),
            full.to_dense(), full.diag_part(), full.trace(), full.add_to_tensor(x[:, :1]), full.shape_tensor(),
            full.batch_shape_tensor(), full.eigvals(), full.cond(), full.matmul(x, name="product"),
            diag.matmul(x), diag.solve(x), diag.to_dense(), diag.determinant(), diag.log_abs_determinant(),
            diag.diag_part(), diag.trace()]
    ops = [full.inverse(), full.adjoint(), full.cholesky(), diag.inverse(), diag.adjoint(), full.matmul(diag),
           tf.linalg.LinearOperatorComposition([full, diag]), tf.linalg.LinearOperatorBlockDiag([full, diag]),
           tf.linalg.LinearOperatorKronecker([full, diag])]
    return [[t.name for t in outs], [[type(o).__name__, o.name] for o in ops]]


def case_unknown_shapes(tf):
    m = tf.placeholder(tf.float64, [None, 3, 3])
    d = tf.placeholder(tf.float64, [None, None])
    u = tf.placeholder(tf.float64)
    n = tf.placeholder(tf.int32, [])
    ops = [tf.linalg.LinearOperatorFullMatrix(m), tf.linalg.LinearOperatorDiag(d),
           tf.linalg.LinearOperatorFullMatrix(u), tf.linalg.LinearOperatorIdentity(n, dtype=tf.float64),
           tf.linalg.LinearOperatorScaledIdentity(n, tf.constant([2.0, 3.0], tf.float64)),
           tf.linalg.LinearOperatorLowerTriangular(m)]
    facts = [[_dims(o.shape), _dims(o.batch_shape), o.tensor_rank, _value(o.domain_dimension), o.is_square]
             for o in ops]
    x = tf.constant(X)
    outs = []
    for o in ops:
        outs += [o.shape_tensor(), o.batch_shape_tensor(), o.matmul(x), o.to_dense(), o.determinant(), o.trace()]
    feed = {m: np.stack([M, N]), d: np.array([[1.0, 2.0, 3.0], [0.5, -1.0, 4.0]]), u: N, n: 3}
    with tf.Session() as s:
        values = s.run(outs, feed)
    return [facts, [[t.dtype.name, shape_of(t)] for t in outs], values]

"""Recorded cases: tf.linalg's svd, lu (and lu_solve, lu_reconstruct, lu_matrix_inverse), pinv, matrix_rank, lstsq,
expm, logm, sqrtm, tridiagonal_solve, tridiagonal_matmul, eigh_tridiagonal and the top-level svd,
matrix_solve_ls, matrix_square_root: graphs, static shapes, values, gradients and errors.

Singular vectors and eigenvectors are defined up to sign, so cases compare them as |v| (or through
sign-invariant functions of them). Functions TF builds from many small ops (lu_reconstruct, pinv, expm...) are
compared by dtype, static shape and values, not by their graphs."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error, error_text, run, run_error, shape_of, sig  # noqa: E402

A = np.array([[4.0, 1.0, -0.5], [1.0, 3.0, 0.25], [-0.5, 0.25, 2.0], [1.0, -1.0, 0.5]])
M = np.array([[2.0, 1.0, 0.5], [-1.0, 3.0, 0.25], [0.5, -0.75, 1.5]])
SPD = np.array([[4.0, 1.0, -0.5], [1.0, 3.0, 0.25], [-0.5, 0.25, 2.0]])
DIAGS = np.array([[1.0, 0.5, -0.25, 0.0], [4.0, 3.0, 5.0, 2.0], [0.0, -1.0, 0.75, 0.5]])
RHS = np.array([[1.0, 2.0], [0.0, -1.0], [3.0, 0.5], [-2.0, 1.0]])


def ds(t):
    """A tensor's dtype and static shape (for functions whose op names differ from TF's composites)."""
    return [t.dtype.name, shape_of(t)]


def _grads(tf, y, xs):
    gs = tf.gradients(y, xs)
    with tf.Session() as s:
        return s.run([g for g in gs if g is not None]), [g is None for g in gs]


def case_svd(tf):
    x = tf.constant(A)
    p = tf.placeholder(tf.float32, [None, 4, 3])
    s, u, v = tf.linalg.svd(x)
    s2, u2, v2 = tf.svd(x, full_matrices=True)
    s3 = tf.linalg.svd(tf.transpose(x), compute_uv=False, name="values")
    shapes = [sig(t) for t in [s, u, v, s2, u2, v2, s3] + list(tf.linalg.svd(p)) + [tf.svd(p, compute_uv=False)]
              + list(tf.svd(p, full_matrices=True)) + list(tf.linalg.svd(tf.placeholder(tf.float64)))]
    graph = describe(tf)
    with tf.Session() as sess:
        vals = sess.run([s, u, v, s2, u2, v2, s3, tf.matmul(u * s, v, adjoint_b=True)])
    return [graph, shapes, [np.abs(o) if i in (1, 2, 4, 5) else o for i, o in enumerate(vals)]]


def case_svd_gradients(tf):
    x = tf.constant(A)
    w = tf.constant(np.arange(12.0).reshape(4, 3) / 10)
    s, u, v = tf.linalg.svd(x)
    ys = [tf.reduce_sum(s * tf.constant([1.0, 2.0, 3.0], tf.float64)), tf.reduce_sum(u * u * w),
          tf.reduce_sum(v * v * w[:3]), tf.reduce_sum(tf.svd(tf.transpose(x), compute_uv=False)),
          tf.reduce_sum(tf.linalg.svd(tf.transpose(x))[1] ** 2 * w[:3])]
    return [_grads(tf, y, x) for y in ys]


def case_svd_errors(tf):
    u = tf.linalg.svd(tf.constant(np.ones((5, 2))), full_matrices=True)[1]
    return [error_text(lambda: tf.linalg.svd(tf.constant([[1, 2], [3, 4]]))),
            error_text(lambda: tf.linalg.svd(tf.zeros([3]))),
            error(lambda: tf.gradients(tf.reduce_sum(u), tf.constant(1.0))),
            error_text(lambda: tf.gradients(tf.reduce_sum(tf.linalg.svd(tf.placeholder(tf.float64, [None, None]))[1]),
                                            tf.constant(1.0)))]


def case_lu(tf):
    x = tf.constant(M)
    b = tf.placeholder(tf.float64, [2, 3, 3])
    lu, p = tf.linalg.lu(x)
    lu2, p2 = tf.linalg.lu(b, name="batch")
    shapes = [sig(t) for t in (lu, p, lu2, p2) + tf.linalg.lu(tf.placeholder(tf.float32, [None, None]),
                                                              output_idx_type=tf.int64)]
    graph = describe(tf)
    outs = [lu, p, lu2, p2, tf.linalg.lu_reconstruct(lu, p), tf.linalg.lu_reconstruct(lu2, p2),
            tf.linalg.lu_solve(lu, p, tf.constant(A[:3])), tf.linalg.lu_matrix_inverse(lu, p),
            tf.linalg.lu_matrix_inverse(lu2, p2)]
    feed = {b: np.stack([M, M.T[::-1]])}
    return [graph, shapes, [ds(t) for t in outs[4:]], run(tf, outs, feed),
            run_error(tf, tf.linalg.lu(b), {b: np.zeros((2, 3, 3))}),
            error_text(lambda: tf.linalg.lu(tf.zeros([2, 3]))),
            error(lambda: tf.gradients(tf.reduce_sum(lu), x))]


def case_pinv_rank(tf):
    x = tf.constant(A)
    low = tf.constant(np.array([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [1.0, 0.0, 1.0]], np.float32))
    p = tf.placeholder(tf.float64, [None, 4, 3])
    outs = [tf.linalg.pinv(x), tf.linalg.pinv(low), tf.linalg.pinv(low, rcond=0.5), tf.linalg.matrix_rank(x),
            tf.linalg.matrix_rank(low), tf.linalg.matrix_rank(low, tol=2.0), tf.linalg.pinv(p),
            tf.linalg.matrix_rank(p)]
    g = tf.gradients(tf.reduce_sum(outs[0] * tf.constant(np.arange(12.0).reshape(3, 4))), x)
    return [[ds(t) for t in outs], run(tf, outs + g, {p: np.stack([A, A[::-1]])})]


def case_lstsq(tf):
    a = tf.constant(A)
    b = tf.constant(RHS)
    p = tf.placeholder(tf.float64, [None, 4, 3])
    outs = [tf.linalg.lstsq(a, b), tf.linalg.lstsq(a, b, l2_regularizer=0.5), tf.matrix_solve_ls(a, b, fast=False),
            tf.linalg.lstsq(tf.transpose(a), b[:3]), tf.matrix_solve_ls(p, tf.ones([2, 4, 1], tf.float64), 0.1),
            tf.linalg.lstsq(tf.cast(a, tf.float32), tf.cast(b, tf.float32), fast=False, name="robust")]
    graph = describe(tf)
    gs = tf.gradients(tf.reduce_sum(outs[0] * 2.0) + tf.reduce_sum(outs[1]) + tf.reduce_sum(outs[3] ** 2), [a, b])
    return [graph, [sig(t) for t in outs], run(tf, outs + gs, {p: np.stack([A, A[::-1]])}),
            error_text(lambda: tf.gradients(outs[2], a)),
            error_text(lambda: tf.linalg.lstsq(tf.zeros([3, 2], tf.complex128), tf.zeros([3, 1], tf.complex128), 0.5))]


def case_matrix_functions(tf):
    x = tf.constant(M)
    c = tf.constant(SPD.astype(np.complex128))
    spd = tf.constant(SPD)
    p = tf.placeholder(tf.float32, [None, 3, 3])
    roots = [tf.linalg.sqrtm(spd), tf.matrix_square_root(p), tf.linalg.logm(c), tf.linalg.logm(tf.cast(c, tf.complex64))]
    graph = describe(tf)
    exps = [tf.linalg.expm(x), tf.linalg.expm(p), tf.linalg.expm(tf.constant(M * 0.1, tf.float32))]
    feed = {p: np.stack([SPD, np.eye(3) * 2.0]).astype(np.float32)}
    g = tf.gradients(tf.reduce_sum(exps[0] * tf.constant(np.arange(9.0).reshape(3, 3) / 10))
                     + tf.reduce_sum(roots[0] * tf.constant(np.arange(9.0).reshape(3, 3))), [x, spd])
    return [graph, [sig(t) for t in roots], [ds(t) for t in exps], run(tf, roots + exps + g, feed)]


def case_matrix_function_errors(tf):
    neg = tf.constant([[-1.0, 0.0], [0.0, 1.0]])
    return [error_text(lambda: tf.linalg.logm(tf.constant([[1.0, 0.0], [0.0, 1.0]]))),
            error_text(lambda: tf.linalg.sqrtm(tf.zeros([2, 3]))),
            error_text(lambda: tf.linalg.expm(tf.constant([[1, 2], [3, 4]]))),
            error(lambda: tf.gradients(tf.linalg.logm(tf.constant([[1.0 + 0j]])), tf.constant(1.0))),
            run(tf, [tf.linalg.sqrtm(neg)])]


def case_tridiagonal(tf):
    d = tf.constant(DIAGS)
    r = tf.constant(RHS)
    dense = tf.constant(np.diag(DIAGS[1]) + np.diag(DIAGS[0, :-1], 1) + np.diag(DIAGS[2, 1:], -1))
    seq = (tf.constant(DIAGS[0, :-1]), tf.constant(DIAGS[1]), tf.constant(DIAGS[2, 1:]))
    outs = [tf.linalg.tridiagonal_solve(d, r), tf.linalg.tridiagonal_solve(d, r[:, 0]),
            tf.linalg.tridiagonal_solve(d, tf.transpose(r), transpose_rhs=True, partial_pivoting=False),
            tf.linalg.tridiagonal_matmul(d, r), tf.linalg.tridiagonal_solve(tf.cast(d, tf.float32),
                                                                           tf.cast(r, tf.float32), name="single")]
    graph = describe(tf)
    more = [tf.linalg.tridiagonal_solve(dense, r, diagonals_format="matrix"),
            tf.linalg.tridiagonal_solve(seq, r, diagonals_format="sequence"),
            tf.linalg.tridiagonal_matmul(dense, r, diagonals_format="matrix"),
            tf.linalg.tridiagonal_matmul((d[0], d[1], d[2]), r, diagonals_format="sequence")]
    shapes = [sig(t) for t in outs] + [ds(t) for t in more] + [
        ds(tf.linalg.tridiagonal_solve(tf.placeholder(tf.float32, [None, 3, None]), tf.placeholder(tf.float32)))]
    gs = tf.gradients(tf.reduce_sum(outs[0] * tf.constant([[1.0, 2.0]], tf.float64)) + tf.reduce_sum(outs[3] ** 2),
                      [d, r])
    return [graph, shapes, run(tf, outs + more + gs)]


def case_tridiagonal_errors(tf):
    d = tf.zeros([3, 4])
    return [error_text(lambda: tf.linalg.tridiagonal_solve(tf.zeros([4, 4]), tf.zeros([4, 1]))),
            error_text(lambda: tf.linalg.tridiagonal_solve(d, tf.zeros([3, 1]))),
            error_text(lambda: tf.linalg.tridiagonal_solve(tf.zeros([4]), tf.zeros([4, 1]))),
            error_text(lambda: tf.linalg.tridiagonal_solve(d, tf.zeros([2, 3, 4, 1]))),
            error_text(lambda: tf.linalg.tridiagonal_solve(d, tf.zeros([4, 1]), diagonals_format="banded")),
            error_text(lambda: tf.linalg.tridiagonal_solve(tf.zeros([3, 4]), tf.zeros([4, 1]),
                                                           diagonals_format="matrix")),
            error_text(lambda: tf.linalg.tridiagonal_solve([d[0], d[1]], tf.zeros([4, 1]),
                                                           diagonals_format="sequence")),
            run(tf, [tf.linalg.tridiagonal_solve(tf.constant([[0.0, 1.0], [0.0, 0.0], [0.0, 0.0]]),
                                                 tf.constant([[1.0], [2.0]]))])]


def case_eigh_tridiagonal(tf):
    alpha = tf.constant([1.0, 2.0, 3.0, -1.0], tf.float64)
    beta = tf.constant([0.5, 0.25, -0.75], tf.float64)
    e = tf.linalg.eigh_tridiagonal(alpha, beta)
    e2, v2 = tf.linalg.eigh_tridiagonal(alpha, beta, eigvals_only=False)
    ei = tf.linalg.eigh_tridiagonal(alpha, beta, select="i", select_range=[1, 2])
    ev = tf.linalg.eigh_tridiagonal(alpha, beta, select="v", select_range=[0.5, 2.5])
    vv = tf.linalg.eigh_tridiagonal(alpha, beta, eigvals_only=False, select="i", select_range=[1, 2])[1]
    e32 = tf.linalg.eigh_tridiagonal(tf.cast(alpha, tf.float32), tf.cast(beta, tf.float32))
    with tf.Session() as s:
        vals = s.run([e, e2, v2, ei, ev, vv, e32])
    return [[ds(t) for t in (e, e2, v2, e32)], [np.abs(o) if i in (2, 5) else o for i, o in enumerate(vals)],
            error_text(lambda: tf.linalg.eigh_tridiagonal(alpha, beta, select="x"))]

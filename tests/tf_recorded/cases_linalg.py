"""Recorded cases: tf.linalg's matrix functions (band_part, diag, diag_part, set_diag, trace, eye, inv, det,
slogdet, logdet, cholesky, solve, triangular_solve, eigh, eigvalsh, adjoint) and the top-level matrix_* names:
graphs, static shapes, values, gradients and errors."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error, error_text, run, run_error, sig  # noqa: E402

M = np.array([[4.0, 1.0, -0.5], [1.0, 3.0, 0.25], [-0.5, 0.25, 2.0]])
B = np.array([[[2.0, 0.5], [0.5, 1.0]], [[3.0, -1.0], [-1.0, 2.0]]])
R = np.array([[1.0, -2.0], [0.5, 3.0], [2.0, 1.0]])


def _grads(tf, y, xs):
    gs = tf.gradients(y, xs)
    with tf.Session() as s:
        return s.run([g for g in gs if g is not None]), [g is None for g in gs]


def case_bands_and_diagonals(tf):
    x = tf.placeholder(tf.float32, [None, 3, 3])
    d = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    outs = [tf.linalg.band_part(x, 1, 0), tf.matrix_band_part(x, -1, 0, name="lower"), tf.linalg.diag(d),
            tf.linalg.diag(d, k=1), tf.linalg.diag_part(x), tf.linalg.diag_part(x, k=-1), tf.linalg.set_diag(x, d),
            tf.matrix_diag(d), tf.matrix_diag_part(x), tf.matrix_set_diag(x, d), tf.linalg.trace(x), tf.trace(x),
            tf.linalg.eye(3), tf.eye(2, 3, dtype=tf.float64), tf.linalg.eye(2, batch_shape=[2])]
    feed = {x: np.stack([M, M.T]).astype(np.float32)}
    return [describe(tf), [sig(t) for t in outs], run(tf, outs, feed)]


def case_diag_shapes_unknown(tf):
    x = tf.placeholder(tf.float32)
    d = tf.placeholder(tf.float32, [None, None])
    outs = [tf.linalg.diag(x), tf.linalg.diag(d), tf.linalg.diag_part(x), tf.linalg.band_part(x, 0, 0),
            tf.linalg.set_diag(tf.placeholder(tf.float32, [None, 2, 4]), tf.placeholder(tf.float32, [3, 2]))]
    return [sig(t) for t in outs]


def case_inverse_det_solve(tf):
    m = tf.constant(M)
    b = tf.placeholder(tf.float64, [2, 2, 2])
    r = tf.constant(R)
    sign, logabs = tf.linalg.slogdet(m)
    outs = [tf.linalg.inv(m), tf.matrix_inverse(m, adjoint=True), tf.linalg.det(m), tf.matrix_determinant(b), sign,
            logabs, tf.linalg.logdet(m), tf.linalg.cholesky(m), tf.cholesky(b), tf.linalg.solve(m, r),
            tf.matrix_solve(m, r, adjoint=True), tf.linalg.triangular_solve(m, r),
            tf.matrix_triangular_solve(m, r, lower=False, adjoint=True), tf.linalg.adjoint(m),
            tf.linalg.matrix_transpose(b)]
    return [describe(tf), [sig(t) for t in outs], run(tf, outs, {b: B})]


def case_eigh(tf):
    b = tf.placeholder(tf.float64, [None, 2, 2])
    e, v = tf.linalg.eigh(b)
    e2, v2 = tf.self_adjoint_eig(tf.constant(M))
    vals = tf.linalg.eigvalsh(b)
    vals2 = tf.self_adjoint_eigvals(tf.constant(M, tf.float32))
    with tf.Session() as s:
        out = s.run([e, v, e2, v2, vals, vals2], {b: B})
    # eigenvectors are defined up to sign: compare |v|
    return [describe(tf), [sig(t) for t in (e, v, e2, v2, vals, vals2)],
            [np.abs(o) if i in (1, 3) else o for i, o in enumerate(out)]]


def case_gradients(tf):
    m = tf.constant(M)
    r = tf.constant(R)
    w = tf.constant(np.arange(9.0).reshape(3, 3) / 10)
    y = (tf.reduce_sum(tf.linalg.inv(m) * w) + tf.linalg.det(m) + tf.linalg.slogdet(m)[1]
         + tf.reduce_sum(tf.linalg.cholesky(m) * w) + tf.reduce_sum(tf.linalg.solve(m, r))
         + tf.reduce_sum(tf.linalg.triangular_solve(m, r) * 2.0) + tf.linalg.logdet(m)
         + tf.reduce_sum(tf.linalg.band_part(m, 0, 1) * w) + tf.linalg.trace(m * w)
         + tf.reduce_sum(tf.linalg.eigvalsh(m) * tf.constant([1.0, 2.0, 3.0], tf.float64)))
    return _grads(tf, y, [m, r])


def case_gradients_each(tf):
    m = tf.constant(M)
    d = tf.constant([1.0, 2.0, 3.0], tf.float64)
    w = tf.constant(np.arange(9.0).reshape(3, 3) / 10)
    e, v = tf.linalg.eigh(m)
    ys = [tf.reduce_sum(tf.linalg.inv(m, adjoint=True) * w), tf.linalg.det(m),
          tf.reduce_sum(tf.linalg.cholesky(m) * w), tf.reduce_sum(tf.linalg.diag(d) * w),
          tf.reduce_sum(tf.linalg.diag_part(m) * d), tf.reduce_sum(tf.linalg.set_diag(m, d) * w),
          tf.reduce_sum(e * d) + tf.reduce_sum(tf.abs(v[:, 0]))]
    return [_grads(tf, y, [m, d]) for y in ys]


def case_errors(tf):
    return [error_text(lambda: tf.linalg.inv(tf.zeros([2, 3]))),
            error_text(lambda: tf.linalg.det(tf.zeros([3]))),
            error_text(lambda: tf.linalg.solve(tf.zeros([3, 3]), tf.zeros([2, 1]))),
            error(lambda: tf.linalg.inv(tf.zeros([2, 2], tf.int32))),
            error_text(lambda: tf.linalg.cholesky(tf.zeros([2, 3, 4]))),
            error_text(lambda: tf.linalg.diag_part(tf.zeros([3])))]


def case_run_errors(tf):
    x = tf.placeholder(tf.float64, [None, None])
    return [run_error(tf, tf.linalg.inv(x), {x: np.zeros((2, 2))}),
            run_error(tf, tf.linalg.cholesky(x), {x: -np.eye(2)}),
            run_error(tf, tf.linalg.solve(x, tf.ones([2, 1], tf.float64)), {x: np.zeros((2, 2))}),
            run_error(tf, tf.linalg.inv(x), {x: np.zeros((2, 3))})]


def case_norms_and_products(tf):
    x = tf.constant(np.array([[3.0, -4.0, 1.0], [0.5, 2.0, -2.0]], np.float32))
    outs = [tf.norm(x), tf.linalg.norm(x, axis=1), tf.norm(x, ord=1, axis=0, keepdims=True),
            tf.norm(x, ord=np.inf, axis=-1), tf.norm(x, ord=3, axis=1), tf.norm(x, ord=1, axis=[0, 1]),
            tf.norm(x, ord=np.inf, axis=(0, 1)), tf.norm(x, ord="fro", axis=(0, 1), keep_dims=True),
            tf.linalg.matvec(tf.constant(M), tf.constant([1.0, 2.0, 3.0], tf.float64)),
            tf.linalg.matvec(tf.constant(B), tf.constant([[1.0, -1.0], [2.0, 0.5]], tf.float64), adjoint_a=True)]
    n, nn = tf.linalg.normalize(x, axis=1)
    outs += [n, nn]
    graph = describe(tf)  # (the gradient's graph is left out: only its values are compared)
    errs = [error_text(lambda: tf.norm(x, ord="fro", axis=1)), error_text(lambda: tf.norm(x, axis=[0, 0])),
            error_text(lambda: tf.norm(x, ord=-1)), error_text(lambda: tf.norm(x, ord=0.5, axis=(0, 1)))]
    g = tf.gradients(tf.reduce_sum(outs[1]) + tf.reduce_sum(outs[4]), x)[0]
    outs.append(tf.linalg.l2_normalize(x, axis=1))
    return [graph, [sig(t) for t in outs], run(tf, outs + [g]), errs]


def case_random_namespace(tf):
    tf.set_random_seed(7)
    outs = [tf.random.uniform([3], seed=1), tf.random.normal([2, 2], seed=2), tf.random.truncated_normal([2], seed=3),
            tf.random.uniform([2], maxval=10, dtype=tf.int32, seed=4)]
    return [[sig(t) for t in outs], run(tf, outs), tf.random.get_seed(5)]


def case_tensor_diag_cross_cholesky_solve(tf):
    d = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    a = tf.constant([[1.0, 0.0, 2.0], [-1.0, 3.0, 0.5]])
    b = tf.constant([[0.0, 1.0, 1.0], [2.0, -2.0, 1.0]])
    chol = tf.linalg.cholesky(tf.constant(M))
    outs = [tf.diag(d), tf.linalg.tensor_diag([1, 2, 3]), tf.diag_part(tf.diag(d)), tf.linalg.tensor_diag_part(M),
            tf.cross(a, b), tf.linalg.cross(a[0], b[0]), tf.linalg.cholesky_solve(chol, tf.constant(R))]
    errs = [error_text(lambda: tf.diag_part(tf.zeros([2, 3]))), error_text(lambda: tf.diag_part(tf.zeros([2, 2, 2]))),
            error_text(lambda: tf.cross(tf.zeros([2, 3]), tf.zeros([3, 3]))),
            error_text(lambda: tf.cross(tf.zeros([2, 2]), tf.zeros([2, 2]))), error(lambda: tf.diag(1.0))]
    graph = describe(tf)
    g = tf.gradients(tf.reduce_sum(outs[0] * 2.0) + tf.reduce_sum(outs[4] * tf.constant([1.0, 2.0, 3.0])), [d, a, b])
    return [graph, [sig(t) for t in outs], run(tf, outs + g), errs]


def case_einsum(tf):
    a = tf.placeholder(tf.float32, [None, 3])
    b = tf.constant(np.arange(12.0, dtype=np.float32).reshape(3, 4))
    c = tf.constant(np.arange(24.0).reshape(2, 4, 3))
    outs = [tf.einsum("ij,jk->ik", a, b), tf.einsum("ij, jk", a, b, name="implicit"), tf.linalg.einsum("ij->j", a),
            tf.einsum("bij,jk->bik", c, tf.cast(b, tf.float64)), tf.einsum("ijk->kji", c), tf.einsum("ij,ij->i", b, b)]
    feed = {a: [[1.0, 2.0, 3.0], [0.5, -1.0, 2.0]]}
    graph = describe(tf)
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    y = tf.constant([[1.0, 0.0, 2.0], [2.0, 1.0, -1.0]])
    z = tf.einsum("ij,jk->ik", x, y)
    g = tf.gradients(tf.reduce_sum(z * z) + tf.reduce_sum(tf.einsum("ij->i", y) * 2.0), [x, y])
    return [graph, [sig(t) for t in outs], run(tf, outs + g, feed),
            error_text(lambda: tf.einsum("ij,kj", a, b))]


def case_qr(tf):
    x = tf.constant(np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 10.0], [1.0, 0.0, 1.0]]))
    p = tf.placeholder(tf.float32, [None, 4, 3])
    outs = list(tf.linalg.qr(x)) + list(tf.qr(x, full_matrices=True)) + list(tf.linalg.qr(tf.transpose(x)))
    shapes = [sig(t) for t in outs + list(tf.qr(p)) + list(tf.qr(p, full_matrices=True))]
    graph = describe(tf)
    g = tf.gradients(tf.reduce_sum(outs[0] * 2.0) + tf.reduce_sum(outs[1]) + tf.reduce_sum(outs[5] * 3.0), x)
    return [graph, shapes, run(tf, outs + g), error(lambda: tf.gradients(tf.reduce_sum(outs[2]), x))]

"""Recorded cases: tf.linalg.LinearOperatorCirculant, LinearOperatorCirculant2D and LinearOperatorCirculant3D:
static facts and hints, the graphs matmul/solve/determinant... build (known and unknown dims), the values of every
method (real and complex spectra, float32/float64/complex64/complex128 input-output dtypes, batches that
broadcast), the adjoint, inverse, product and quotient operators, build-time errors and the run-time asserts."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error, error_text, kernel_error, run_error, shape_of  # noqa: E402


def _dims(s):
    return None if s.ndims is None else s.as_list()


def _value(d):
    return d.value if hasattr(d, "value") else d


def _parts(v):
    """A fetched value; a complex one as [real, imag] (plain data keeps only real parts)."""
    v = np.asarray(v)
    return np.stack([v.real, v.imag]) if v.dtype.kind == "c" else v


def fetch(tf, tensors, feed=None):
    """Each tensor's dtype, static shape and value."""
    with tf.Session() as s:
        values = s.run(list(tensors), feed)
    return [[t.dtype.name, shape_of(t), _parts(v)] for t, v in zip(tensors, values)]


def facts(op):
    return [type(op).__name__, op.name, op.dtype.name, _dims(op.shape), _dims(op.batch_shape), op.tensor_rank,
            _value(op.domain_dimension), op.block_depth, _dims(op.block_shape), op.spectrum.dtype.name,
            op.is_self_adjoint, op.is_non_singular, op.is_positive_definite, op.is_square]


def methods(tf, op, x, feed=None):
    """The values of op's methods on x ([.., N, R], op.dtype): products, solves, scalars, parts and shapes."""
    x = tf.convert_to_tensor(x)
    xt = tf.linalg.adjoint(x)
    tensors = [op.to_dense(), op.matmul(x), op.matmul(x, adjoint=True), op.matmul(xt, adjoint_arg=True),
               op.matvec(x[..., 0]), op.matvec(x[..., 0], adjoint=True), op.solve(x), op.solve(x, adjoint=True),
               op.solve(xt, adjoint_arg=True), op.solvevec(x[..., 0]), op.determinant(), op.log_abs_determinant(),
               op.diag_part(), op.trace(), op.cond(), op.convolution_kernel(), op.add_to_tensor(op.to_dense()),
               op.shape_tensor(), op.batch_shape_tensor(), op.block_shape_tensor(), op.domain_dimension_tensor(),
               op.range_dimension_tensor(), op.tensor_rank_tensor()]
    if op.is_self_adjoint:
        tensors.append(op.eigvals())
    return fetch(tf, tensors, feed)


def _kernel_spectrum(shape, seed, axes):
    """The spectrum of a real convolution kernel: Hermitian, so the operator is a real matrix."""
    rng = np.random.default_rng(seed)
    return np.fft.fftn(rng.normal(size=shape), axes=axes)


# ----- static facts -------------------------------------------------------------------------------------------
def case_facts(tf):
    C, C2, C3 = tf.linalg.LinearOperatorCirculant, tf.linalg.LinearOperatorCirculant2D, tf.linalg.LinearOperatorCirculant3D
    ops = [C([1.0, 2.0, 3.0]),
           C(np.array([1 + 1j, 2, 3], np.complex64), input_output_dtype=tf.float32, name="circ"),
           C(np.ones([2, 4]), input_output_dtype=tf.float64, is_positive_definite=True),
           C(np.ones([3], np.complex128), input_output_dtype=tf.complex128, is_self_adjoint=True, is_non_singular=True),
           C2(np.ones([2, 3], np.float32)), C2(np.ones([5, 2, 3], np.complex64), is_non_singular=False),
           C3(np.ones([2, 1, 2, 3], np.float32), input_output_dtype=tf.float32),
           C(tf.placeholder(tf.complex64, [None, None])), C(tf.placeholder(tf.float32, [None, 4])),
           C2(tf.placeholder(tf.complex64, [2, None, 3])), C3(tf.placeholder(tf.complex64)),
           C(tf.placeholder(tf.float32))]
    return [facts(o) for o in ops] + [[o.parameters["name"], o.parameters["is_square"]] for o in ops[:3]]


# ----- graphs -------------------------------------------------------------------------------------------------
def case_graph_matmul(tf):
    op = tf.linalg.LinearOperatorCirculant([1.0, 2.0, 3.0])
    y = op.matmul(tf.ones([3, 2], tf.complex64))
    op2 = tf.linalg.LinearOperatorCirculant2D(np.ones([2, 2, 3], np.float32), input_output_dtype=tf.float32)
    z = op2.matmul(tf.ones([6, 2]))
    return [[y.name, y.dtype.name, shape_of(y)], [z.name, z.dtype.name, shape_of(z)], describe(tf)]


def case_graph_unknown_dims(tf):
    op = tf.linalg.LinearOperatorCirculant(tf.placeholder(tf.complex64, [None, None]))
    y = op.matmul(tf.placeholder(tf.complex64, [None, 2]))
    op3 = tf.linalg.LinearOperatorCirculant3D(tf.placeholder(tf.complex128, [2, 1, 2, 2]),
                                              input_output_dtype=tf.float64)
    z = op3.solve(tf.ones([2, 4, 3], tf.float64), adjoint=True)
    return [[y.name, shape_of(y)], [z.name, z.dtype.name, shape_of(z)], describe(tf)]


def case_graph_scalars(tf):
    op = tf.linalg.LinearOperatorCirculant2D(tf.constant(np.ones([2, 2, 3]), tf.complex64), is_self_adjoint=True)
    outs = [op.determinant(), op.log_abs_determinant(), op.trace(), op.eigvals(), op.cond(), op.convolution_kernel(),
            op.shape_tensor(), op.block_shape_tensor()]
    checks = [op.assert_non_singular(), op.assert_positive_definite(), op.assert_self_adjoint()]
    return [[[t.name, t.dtype.name, shape_of(t)] for t in outs], [c.name for c in checks], describe(tf)]


def case_graph_unknown_scalars(tf):
    p = tf.placeholder(tf.complex64, [None, None])
    op = tf.linalg.LinearOperatorCirculant(p, input_output_dtype=tf.complex64)
    outs = [op.determinant(), op.trace(), op.log_abs_determinant(), op.shape_tensor()]
    return [[[t.name, t.dtype.name, shape_of(t)] for t in outs], describe(tf),
            fetch(tf, outs, {p: np.array([[1, 2j, -1, 3], [0.5, 1, 1, 1]])})]


# ----- values -------------------------------------------------------------------------------------------------
def case_values_real_matrix(tf):
    """A Hermitian spectrum with a real input-output dtype: a real circulant matrix."""
    rng = np.random.default_rng(1)
    spectrum = _kernel_spectrum([5], 2, [-1])
    x = rng.normal(size=[5, 2])
    op32 = tf.linalg.LinearOperatorCirculant(spectrum.astype(np.complex64), input_output_dtype=tf.float32)
    op64 = tf.linalg.LinearOperatorCirculant(spectrum, input_output_dtype=tf.float64, is_non_singular=True)
    return [methods(tf, op32, x.astype(np.float32)), methods(tf, op64, x)]


def case_values_complex(tf):
    """A complex non-Hermitian spectrum: a complex matrix, not self-adjoint."""
    rng = np.random.default_rng(3)
    spectrum = (rng.normal(size=4) + 1j * rng.normal(size=4)).astype(np.complex64)
    x = (rng.normal(size=[4, 3]) + 1j * rng.normal(size=[4, 3])).astype(np.complex64)
    op = tf.linalg.LinearOperatorCirculant(spectrum)
    op128 = tf.linalg.LinearOperatorCirculant(spectrum.astype(np.complex128), input_output_dtype=tf.complex128)
    return [methods(tf, op, x), methods(tf, op128, x.astype(np.complex128))]


def case_values_real_spectrum(tf):
    """A real spectrum: self-adjoint; complex64 in and out by default, float64 spectra compute in complex128."""
    rng = np.random.default_rng(4)
    x = (rng.normal(size=[4, 2]) + 1j * rng.normal(size=[4, 2])).astype(np.complex64)
    op = tf.linalg.LinearOperatorCirculant([3.0, -1.0, 2.0, 0.5], is_positive_definite=False)
    op64 = tf.linalg.LinearOperatorCirculant(np.array([1.0, 2.0, 4.0, 0.25]), input_output_dtype=tf.complex128,
                                             is_positive_definite=True)
    return [methods(tf, op, x), methods(tf, op64, x.astype(np.complex128))]


def case_values_2d(tf):
    rng = np.random.default_rng(5)
    spectrum = _kernel_spectrum([2, 3], 6, [-2, -1])
    x = rng.normal(size=[6, 2])
    op = tf.linalg.LinearOperatorCirculant2D(spectrum, input_output_dtype=tf.float64)
    op_c = tf.linalg.LinearOperatorCirculant2D(
        (rng.normal(size=[2, 2]) + 1j * rng.normal(size=[2, 2])).astype(np.complex64))
    return [methods(tf, op, x), methods(tf, op_c, (x[:4] + 0.5j).astype(np.complex64))]


def case_values_3d(tf):
    rng = np.random.default_rng(7)
    spectrum = _kernel_spectrum([2, 2, 2], 8, [-3, -2, -1]).astype(np.complex64)
    op = tf.linalg.LinearOperatorCirculant3D(spectrum, input_output_dtype=tf.float32)
    return methods(tf, op, rng.normal(size=[8, 3]).astype(np.float32))


def case_values_batches(tf):
    """Batch dims of the spectrum and of the argument broadcast against each other."""
    rng = np.random.default_rng(9)
    spectrum = _kernel_spectrum([2, 1, 3], 10, [-1])
    op = tf.linalg.LinearOperatorCirculant(spectrum, input_output_dtype=tf.float64)
    x = rng.normal(size=[4, 3, 2])
    op2 = tf.linalg.LinearOperatorCirculant2D(_kernel_spectrum([3, 2, 2], 11, [-2, -1]).astype(np.complex64))
    y = (rng.normal(size=[4, 1]) + 0j).astype(np.complex64)
    outs = [op.matmul(x), op.solve(x), op.matvec(x[..., 0]), op2.matmul(y), op2.solve(y, adjoint=True)]
    return [[facts(op), facts(op2)], fetch(tf, outs), methods(tf, op, x[0])]


def case_values_fed(tf):
    """Spectra and arguments fed at run time, with unknown dims."""
    p = tf.placeholder(tf.complex64, [None, None])
    q = tf.placeholder(tf.complex128, [None, 2, None])
    x = tf.placeholder(tf.complex64, [None, 2])
    op = tf.linalg.LinearOperatorCirculant(p)
    op2 = tf.linalg.LinearOperatorCirculant2D(q, input_output_dtype=tf.complex128)
    y2 = tf.placeholder(tf.complex128, [6, 1])
    outs = [op.matmul(x), op.solve(x, adjoint=True), op.determinant(), op.trace(), op.shape_tensor(),
            op.block_shape_tensor(), op.diag_part(), op.convolution_kernel(), op2.matmul(y2), op2.determinant(),
            op2.shape_tensor()]
    # Names left out: TF's batch_shape_tensor and domain_dimension_tensor call shape_tensor in a nested method scope
    # (.../batch_shape_tensor/LinearOperatorCirculant/shape_tensor/...), raygraph's LinearOperator base does not.
    unnamed = [op.batch_shape_tensor(), op.domain_dimension_tensor()]
    rng = np.random.default_rng(12)
    feed = {p: rng.normal(size=[2, 3]) + 1j, x: rng.normal(size=[3, 2]), q: rng.normal(size=[1, 2, 3]) + 2,
            y2: rng.normal(size=[6, 1])}
    feed2 = {p: [[1, 2, 3, 4, 5]], x: np.ones([5, 2]), q: rng.normal(size=[2, 2, 3]) - 3j, y2: np.ones([6, 1])}
    return [[[t.name, t.dtype.name, shape_of(t)] for t in outs], fetch(tf, outs + unnamed, feed),
            fetch(tf, outs + unnamed, feed2)]


def case_values_edge(tf):
    """A 1x1 operator, an empty batch, and a zero spectrum entry (det 0, solve inf as TF's)."""
    one = tf.linalg.LinearOperatorCirculant([2.0], input_output_dtype=tf.float32)
    empty = tf.linalg.LinearOperatorCirculant(np.zeros([0, 3], np.complex64))
    zero = tf.linalg.LinearOperatorCirculant([0.0, 1.0], input_output_dtype=tf.float32)
    outs = [one.to_dense(), one.solve([[4.0]]), one.determinant(), one.diag_part(),
            empty.determinant(), empty.trace(), empty.diag_part(), empty.cond(),
            zero.determinant(), zero.log_abs_determinant(), zero.solve([[1.0], [1.0]]), zero.cond()]
    return [[facts(o) for o in (one, empty, zero)], fetch(tf, outs)]


# ----- operators from operators -------------------------------------------------------------------------------
def case_derived_operators(tf):
    C, C2 = tf.linalg.LinearOperatorCirculant, tf.linalg.LinearOperatorCirculant2D
    a = C(np.array([1 + 1j, 2, 3 - 0.5j], np.complex64), input_output_dtype=tf.complex64, is_non_singular=True)
    b = C(np.array([2.0, 1.0, 0.5], np.complex64), is_self_adjoint=True, is_positive_definite=True)
    c = C2(np.array([[1.0, 2.0], [3.0, 4.0]], np.float32), input_output_dtype=tf.float32)
    real = C([1.0, 2.0, 3.0], input_output_dtype=tf.float32)
    made = [a.adjoint(), a.H, a.inverse(), a.matmul(b), b.matmul(a), a.matmul(b, adjoint=True),
            a.matmul(b, adjoint_arg=True), a.solve(b), b.solve(a, adjoint=True), a @ a, b.inverse(), c.inverse(),
            c.matmul(c), c.adjoint(), real.adjoint(), real.inverse(), b.cholesky()]
    kinds = [[type(o).__name__, o.dtype.name, o.is_self_adjoint, o.is_non_singular, o.is_positive_definite,
              _dims(o.shape)] for o in made]
    same = [real.adjoint() is real, b.adjoint() is b, a.adjoint() is a]
    dense = fetch(tf, [o.to_dense() for o in made])
    mixed = a.matmul(tf.linalg.LinearOperatorFullMatrix(np.eye(3, dtype=np.complex64)))
    return [kinds, same, dense, [type(mixed).__name__, mixed.dtype.name], fetch(tf, [mixed.to_dense()])]


# ----- errors -------------------------------------------------------------------------------------------------
def case_build_errors(tf):
    C, C2, C3 = tf.linalg.LinearOperatorCirculant, tf.linalg.LinearOperatorCirculant2D, tf.linalg.LinearOperatorCirculant3D
    c = C([1.0, 2.0, 3.0], name="c")
    z = C([1 + 1j, 2.0], name="z")
    return [error_text(lambda: C([1.0, 2.0], is_self_adjoint=False)),
            error_text(lambda: C([1 + 1j, 2.0], is_square=False)),
            error_text(lambda: C2([1.0, 2.0], name="c2")),
            error_text(lambda: C3(np.ones([2, 2], np.float32), name="c3")),
            error_text(lambda: C(1.0, name="c0")),
            error_text(lambda: C([1.0, 2.0], is_positive_definite=True, is_non_singular=False)),
            error_text(lambda: c.matmul(tf.ones([3, 2], name="f32"))),
            error_text(lambda: c.matmul(tf.ones([4, 2], tf.complex64))),
            error_text(lambda: c.matmul(tf.ones([2, 4], tf.complex64), adjoint_arg=True)),
            error_text(lambda: c.matvec(tf.ones([4], tf.complex64))),
            error_text(lambda: c.solve(tf.ones([4, 2], tf.complex64))),
            error(lambda: c.matmul(tf.ones([3], tf.complex64))),
            error_text(lambda: c.matmul(C([1.0, 2.0]))),
            error_text(lambda: c.solve(C([1.0, 2.0]))),
            error_text(lambda: z.eigvals()),
            error_text(lambda: C([1.0, 2.0], is_non_singular=False).inverse()),
            error_text(lambda: C([1.0, 2.0], is_non_singular=False).solve(tf.ones([2, 1], tf.complex64))),
            error_text(lambda: c.cholesky()),
            error_text(lambda: c.assert_hermitian_spectrum()),
            error_text(lambda: C(np.array([1.0, 2.0]), input_output_dtype=tf.float64).assert_hermitian_spectrum()),
            error_text(lambda: C(np.ones([2, 3], np.float32)).matmul(tf.ones([4, 3, 1], tf.complex64))),
            error_text(lambda: C(np.array([1.0, 2.0]), input_output_dtype=tf.float32).solve(tf.ones([2, 1]))),
            error_text(lambda: C(np.array([1.0, 2.0])).solve(tf.ones([2, 1], tf.complex64))),
            error_text(lambda: z.matmul(C([1.0, 2.0]))),
            error_text(lambda: C2(np.ones([2, 2], np.float32)).matmul(C(np.ones([4], np.float32))).name)]


def case_asserts(tf):
    p = tf.placeholder(tf.complex64, [None])
    op = tf.linalg.LinearOperatorCirculant(p)
    real = tf.linalg.LinearOperatorCirculant(tf.placeholder(tf.float32, [3]))
    checks = [op.assert_non_singular(), op.assert_positive_definite(), op.assert_self_adjoint()]
    out = [[c.name, c.type] for c in checks] + [[real.assert_self_adjoint().type]]
    for value in ([1, 2, 3], [1, 0, 2], [1, -1, 2], [1, 1j, 2], [2 + 1j, 1e-3, 3 - 2j]):
        out.append([kernel_error(tf, c, {p: value}) for c in checks])
    return out


def case_run_errors(tf):
    p = tf.placeholder(tf.complex64, [None])
    x = tf.placeholder(tf.complex64, [None, 2])
    m = tf.linalg.LinearOperatorCirculant(p).matmul(x)
    s = tf.linalg.LinearOperatorCirculant(p, name="solver").solve(x)
    q = tf.placeholder(tf.complex64, [None, None])
    b = tf.linalg.LinearOperatorCirculant(q, name="batched").matmul(tf.ones([2, 3, 1], tf.complex64))
    feed = {p: np.ones(4), x: np.ones([3, 2])}
    return [kernel_error(tf, m, feed), kernel_error(tf, s, feed), run_error(tf, b, {q: np.ones([3, 3])}),
            kernel_error(tf, b, {q: np.ones([2, 3])})]

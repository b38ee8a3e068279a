"""Functions of square matrices through their power series: exponential, logarithm and square root (scipy's
Pade, inverse scaling-and-squaring and Schur methods), with TF's gradients where TF has them."""
import warnings

import numpy as np

from ..convert import convert_to_tensor
from ..default_graph import name_scope
from ..lazy_modules import Lazy
from .registry import NO_GRADIENT_DEFINED, apply_op, op
from .array import expand_dims, reshape, shape
from .filling import zeros_like
from .joining import concat
from .matrix import (_check_square, _same_shape_square, matrix_diag, matrix_diag_part, matrix_solve,
                     matrix_transpose)
from .decompositions import lapack_input

scipy_linalg = Lazy("scipy.linalg")

_FLOAT_OR_COMPLEX = "float64 float32 float16 complex64 complex128"


def _each_matrix(fn, x):
    out = np.empty(x.shape, x.dtype)
    for index in np.ndindex(x.shape[:-2]):
        out[index] = fn(x[index])
    return out


# ----- exponential ----------------------------------------------------------------------------------------------
def _expm_kernel(a, x):
    _check_square(x)
    return _each_matrix(lambda m: scipy_linalg.expm(lapack_input(m)), x)


def _expm_grad(op, g):
    """The adjoint of expm's Frechet derivative: the upper right block of expm([[A^H, G], [0, A^H]])."""
    a_h = matrix_transpose(op.inputs[0], conjugate=True)
    block = concat([concat([a_h, g], -1), concat([zeros_like(a_h), a_h], -1)], -2)
    n = shape(a_h)[-1]
    return [matrix_exponential(block)[..., :n, n:]]


# TF builds expm in Python from a Pade approximant (its MatrixExponential op was removed); one op here.
op("MatrixExponential", "input:T", kernel=_expm_kernel, shape=_same_shape_square, grad=_expm_grad,
   T=_FLOAT_OR_COMPLEX)


def matrix_exponential(input, name=None):  # noqa: A002 - TF's name
    """exp(input) = sum_k input^k / k! of each square matrix."""
    with name_scope(name, "matrix_exponential", [input]):
        matrix = convert_to_tensor(input, name="input")
        if matrix.dtype.base_dtype.name not in _FLOAT_OR_COMPLEX.split():
            raise ValueError(f"tf.linalg.expm does not support matrices of type {matrix.dtype}")
        return apply_op("MatrixExponential", [matrix])


# ----- logarithm ------------------------------------------------------------------------------------------------
def _logm_one(m):
    with warnings.catch_warnings():  # scipy's estimate of its own error, which TF's kernel does not report
        warnings.simplefilter("ignore", RuntimeWarning)
        return scipy_linalg.logm(m.astype(np.complex128))


def _logm_kernel(a, x):
    _check_square(x)
    return _each_matrix(_logm_one, x)


op("MatrixLogarithm", "input:T", kernel=_logm_kernel, shape=_same_shape_square, grad=NO_GRADIENT_DEFINED,
   T="complex64 complex128")


def matrix_logarithm(input, name=None):  # noqa: A002 - TF's name
    """The principal logarithm of each square complex matrix (TF defines it for complex dtypes only)."""
    return apply_op("MatrixLogarithm", [input], name=name)


# ----- square root ----------------------------------------------------------------------------------------------
def _sqrtm_one(m):
    root = scipy_linalg.sqrtm(lapack_input(m))
    if np.iscomplexobj(root) and not np.iscomplexobj(m):  # no real root: TF's real Schur method gives NaNs
        return np.full(m.shape, np.nan, m.dtype)
    return root


def _sqrtm_kernel(a, x):
    _check_square(x)
    return _each_matrix(_sqrtm_one, x)


def _kron(a, b):
    """The Kronecker product of each pair of n x n matrices: [..., n*n, n*n]."""
    n = shape(a)[-1]
    blocks = expand_dims(expand_dims(a, -1), -3) * expand_dims(expand_dims(b, -3), -2)  # [..., i, k, j, l]
    return reshape(blocks, concat([shape(a)[:-2], [n * n, n * n]], 0))


def _sqrtm_grad(op, g):
    """Solves the Sylvester equation R^H X + X R^H = G (R = sqrtm(A)) as one (n*n) x (n*n) linear system."""
    root = op.outputs[0]
    root_h = matrix_transpose(root, conjugate=True)
    identity = _eye_like(root)
    system = _kron(root_h, identity) + _kron(identity, matrix_transpose(root_h))
    dims = shape(root)
    n = dims[-1]
    vec = reshape(g, concat([dims[:-2], [n * n, 1]], 0))
    return [reshape(matrix_solve(system, vec), dims)]


def _eye_like(x):
    return matrix_diag(matrix_diag_part(zeros_like(x)) + 1)


op("MatrixSquareRoot", "input:T", kernel=_sqrtm_kernel, shape=_same_shape_square, grad=_sqrtm_grad,
   T=_FLOAT_OR_COMPLEX)


def matrix_square_root(input, name=None):  # noqa: A002 - TF's name
    """The principal square root R (R @ R == input) of each square matrix; NaNs where no real root exists."""
    return apply_op("MatrixSquareRoot", [input], name=name)

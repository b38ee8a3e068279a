"""Circulant operators: LinearOperatorCirculant, LinearOperatorCirculant2D and LinearOperatorCirculant3D, the
[[nested] block] circulant matrices A with A u = IDFT[spectrum * DFT[u]] (DFT over the inner 1, 2 or 3 dims of
the spectrum, `block_depth`). They are built as TF builds them: matmul and solve reshape the argument's columns
into blocks, FFT them, scale by the spectrum and transform back; determinant, trace and the eigenvalues come
from the spectrum itself."""
import numpy as np

from .. import dtypes
from ..convert import convert_to_tensor
from ..default_graph import name_scope
from ..ops.array import broadcast_dynamic_shape, broadcast_to, reshape, transpose
from ..ops.array import rank as rank_of
from ..ops.array import shape as shape_of
from ..ops.checks import assert_equal, assert_integer, assert_less, assert_positive
from ..ops.complex import complex as complex_
from ..ops.complex import conj, imag, real
from ..ops.control import no_op
from ..ops.fft import fft, fft2d, fft3d, ifft, ifft2d, ifft3d
from ..ops.filling import ones, zeros_like
from ..ops.filling import range as range_
from ..ops.identities import broadcast_static_shape, dimension_at_index
from ..ops.joining import concat
from ..ops.math import abs as abs_
from ..ops.math import cast, less, log, mod
from ..ops.matrix import adjoint as adjoint_of
from ..ops.reduction import reduce_max, reduce_min, reduce_prod, reduce_sum
from ..ops.slicing import where_v2
from .base import LinearOperator

_FFT = {1: fft, 2: fft2d, 3: fft3d}
_IFFT = {1: ifft, 2: ifft2d, 3: ifft3d}


class _BaseLinearOperatorCirculant(LinearOperator):
    """What the three circulant operators share; `block_depth` is how many inner spectrum dims are transformed."""

    def __init__(self, spectrum, block_depth, input_output_dtype=dtypes.complex64, is_non_singular=None,
                 is_self_adjoint=None, is_positive_definite=None, is_square=True, name="LinearOperatorCirculant"):
        parameters = {"spectrum": spectrum, "input_output_dtype": input_output_dtype, "is_non_singular": is_non_singular,
                      "is_self_adjoint": is_self_adjoint, "is_positive_definite": is_positive_definite,
                      "is_square": is_square, "name": name}
        if block_depth not in (1, 2, 3):
            raise ValueError(f"Argument `block_depth` must be one of [1, 2, 3]. Received: {block_depth}.")
        self._block_depth = block_depth
        with name_scope(name) as scope:
            self._scope = scope
            self._spectrum = convert_to_tensor(spectrum, name="spectrum")
            if self._spectrum.shape.ndims is not None and self._spectrum.shape.ndims < block_depth:
                raise ValueError(f"Argument `spectrum` must have at least {block_depth} dimensions. "
                                 f"Received: {self._spectrum}.")
            if not self._spectrum.dtype.is_complex:
                if is_self_adjoint is False:
                    raise ValueError(f"A real spectrum always corresponds to a self-adjoint operator. Expected "
                                     f"argument `is_self_adjoint` to be True when `spectrum.dtype.is_complex` = "
                                     f"True. Received: {is_self_adjoint}.")
                is_self_adjoint = True
            if is_square is False:
                raise ValueError(f"A [[nested] block] circulant operator is always square. Expected argument "
                                 f"`is_square` to be True. Received: {is_square}.")
            super().__init__(dtypes.as_dtype(input_output_dtype), None, is_non_singular, is_self_adjoint,
                             is_positive_definite, True, name, parameters)

    spectrum = property(lambda self: self._spectrum)
    block_depth = property(lambda self: self._block_depth)

    @property
    def block_shape(self):
        return self._spectrum.shape[-self._block_depth:]

    def block_shape_tensor(self):
        """The shape of the spectrum's block dims, as a tensor."""
        return self._block_shape_tensor()

    def _block_shape_tensor(self, spectrum_shape=None):
        if self.block_shape.is_fully_defined():
            return convert_to_tensor(self.block_shape.as_list(), name="block_shape")
        spectrum_shape = shape_of(self._spectrum) if spectrum_shape is None else spectrum_shape
        return spectrum_shape[-self._block_depth:]

    # ----- shapes ---------------------------------------------------------------------------------------------
    def _shape(self):
        s = self._spectrum.shape
        trailing = s[-self._block_depth:]
        n = int(np.prod(trailing.as_list())) if trailing.is_fully_defined() else None
        return s[:-self._block_depth].concatenate([n, n])

    def _shape_tensor(self, spectrum=None):
        s = shape_of(self._spectrum if spectrum is None else spectrum)
        batch_shape = s[:-self._block_depth]
        n = reduce_prod(s[-self._block_depth:])
        return concat((batch_shape, [n, n]), 0)

    def _batch_shape_for(self, shape):
        if self.batch_shape.is_fully_defined():
            return convert_to_tensor(np.array(self.batch_shape.as_list(), np.int32), name="batch_shape")
        return shape[:-2]

    # ----- columns to blocks and back -------------------------------------------------------------------------
    def _vectorize_then_blockify(self, matrix):
        """[..., N, R] -> [R, ..., N0, (N1, N2)]: each column a vector, its N entries shaped as the blocks."""
        vec = _rotate_transpose(matrix, 1)
        if vec.shape.is_fully_defined() and self.block_shape.is_fully_defined():
            final_shape = vec.shape[:-1].concatenate(self.block_shape)
        else:
            final_shape = concat((shape_of(vec)[:-1], self.block_shape_tensor()), 0)
        return reshape(vec, final_shape)

    def _unblockify(self, x):
        """Flattens the trailing block dims."""
        d = self._block_depth
        if x.shape.is_fully_defined():
            dims = x.shape.as_list()
            return reshape(x, dims[:-d] + [int(np.prod(dims[-d:]))])
        s = shape_of(x)
        return reshape(x, concat((s[:-d], [reduce_prod(s[-d:])]), 0))

    def _unblockify_then_matricize(self, vec):
        return _rotate_transpose(self._unblockify(vec), -1)

    def _fft(self, x):
        return _FFT[self._block_depth](_to_complex(x))

    def _ifft(self, x):
        return _IFFT[self._block_depth](_to_complex(x))

    def _broadcast_batch_dims(self, x, spectrum):
        """x and the spectrum with their batch dims broadcast (the spectrum as a [batch, N, 1] matrix meanwhile)."""
        spectrum = convert_to_tensor(spectrum, name="spectrum")
        batch_shape = self._batch_shape_for(self._shape_tensor(spectrum=spectrum))
        spec_mat = reshape(spectrum, concat((batch_shape, [-1, 1]), axis=0))
        x, spec_mat = _broadcast_matrix_batch_dims(x, spec_mat)
        x_batch_shape = shape_of(x)[:-2]
        spectrum_shape = shape_of(spectrum)
        spectrum = reshape(spec_mat, concat((x_batch_shape, self._block_shape_tensor(spectrum_shape=spectrum_shape)),
                                            axis=0))
        return x, spectrum

    # ----- products, solves and scalars -----------------------------------------------------------------------
    def _check_dims(self, x, self_dim, arg_dim):
        # TF's LinearOperator.matmul/solve check this before calling _matmul/_solve.
        dimension_at_index(self.shape, self_dim).assert_is_compatible_with(x.shape[arg_dim])

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        self._check_dims(x, -2 if adjoint else -1, -1 if adjoint_arg else -2)
        x = adjoint_of(x) if adjoint_arg else x
        spectrum = _to_complex(self._spectrum)
        if adjoint:
            spectrum = conj(spectrum)
        x = cast(x, spectrum.dtype)
        x, spectrum = self._broadcast_batch_dims(x, spectrum)
        result = self._ifft(spectrum * self._fft(self._vectorize_then_blockify(x)))
        return cast(self._unblockify_then_matricize(result), self.dtype)

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        self._check_dims(rhs, -1 if adjoint else -2, -1 if adjoint_arg else -2)
        rhs = adjoint_of(rhs) if adjoint_arg else rhs
        spectrum = _to_complex(self._spectrum)
        if adjoint:
            spectrum = conj(spectrum)
        rhs, spectrum = self._broadcast_batch_dims(rhs, spectrum)
        solution = self._ifft(self._fft(self._vectorize_then_blockify(rhs)) / spectrum)
        return cast(self._unblockify_then_matricize(solution), self.dtype)

    def _block_axes(self):
        return [-(i + 1) for i in range(self._block_depth)]

    def _determinant(self):
        return cast(reduce_prod(self._spectrum, axis=self._block_axes()), self.dtype)

    def _log_abs_determinant(self):
        return cast(reduce_sum(log(abs_(self._spectrum)), axis=self._block_axes()), self.dtype)

    def _trace(self):
        # Every diagonal entry is the mean of the spectrum, so the trace is its sum.
        s, d = self._spectrum, self._block_depth
        if s.shape.is_fully_defined():
            axis = np.arange(s.shape.ndims - d, s.shape.ndims, dtype=np.int32)
        else:
            spec_rank = rank_of(s)
            axis = range_(spec_rank - d, spec_rank)
        re = reduce_sum(real(s), axis=axis)
        if not self.dtype.is_complex:
            return cast(re, self.dtype)
        im = zeros_like(re) if self.is_self_adjoint else reduce_sum(imag(s), axis=axis)
        return cast(complex_(re, im), self.dtype)

    def _diag_part(self):
        # The trace over N rather than the mean directly: a [0, 0] operator gives [] (TF's reasoning).
        if self.shape.is_fully_defined():
            diag_shape, diag_size = self.shape[:-1], self.domain_dimension.value
        else:
            diag_shape, diag_size = self.shape_tensor()[:-1], self.domain_dimension_tensor()
        ones_diag = ones(diag_shape, dtype=self.dtype)
        diag_value = self.trace() / cast(diag_size, self.dtype)
        return diag_value[..., None] * ones_diag

    def _eigvals(self):
        return self._unblockify(self._spectrum)

    def _cond(self):
        values = abs_(self._unblockify(self._spectrum))
        return reduce_max(values, axis=-1) / reduce_min(values, axis=-1)

    def convolution_kernel(self, name="convolution_kernel"):
        """The kernel h whose DFT is the spectrum (A's first column, shaped as the blocks), as `self.dtype`."""
        with self._method_scope(name):
            return cast(self._ifft(_to_complex(self._spectrum)), self.dtype)

    # ----- run-time checks ------------------------------------------------------------------------------------
    def assert_hermitian_spectrum(self, name="assert_hermitian_spectrum"):
        """An op failing at run time unless the spectrum is Hermitian (the operator is real)."""
        eps = np.finfo(self.dtype.real_dtype.as_numpy_dtype).eps
        with self._method_scope(name):
            # As in TF: eps times an int32 tensor is an int32 tensor, so assert_less rejects it (a TypeError).
            max_err = eps * self.domain_dimension_tensor()
            return assert_less(abs_(imag(self.convolution_kernel())), max_err, message="Spectrum was not Hermitian")

    def assert_non_singular(self, name="assert_non_singular"):
        """An op failing at run time when some spectrum entry is zero."""
        with self._method_scope(name), name_scope("assert_no_entries_with_modulus_zero"):
            should_be_nonzero = abs_(self._spectrum)
            zero = convert_to_tensor(0, dtype=self._spectrum.dtype.base_dtype.real_dtype)
            return assert_less(zero, should_be_nonzero, message="Singular operator:  Spectrum contained zero values.")

    def assert_positive_definite(self, name="assert_positive_definite"):
        """An op failing at run time unless the spectrum's real part is positive."""
        with self._method_scope(name):
            return assert_positive(real(self._spectrum),
                                   message="Not positive definite:  Real part of spectrum was not all positive.")

    def assert_self_adjoint(self, name="assert_self_adjoint"):
        """An op failing at run time unless the spectrum is real (a NoOp for a real dtype)."""
        with self._method_scope(name), name_scope("assert_zero_imag_part"):
            x = self._spectrum
            if x.dtype.base_dtype.is_floating:
                return no_op()
            zero = convert_to_tensor(0, dtype=x.dtype.base_dtype.real_dtype)
            return assert_equal(zero, imag(x),
                                message="Not self-adjoint:  The spectrum contained non-zero imaginary part.")

    # ----- operators from operators: still circulant ----------------------------------------------------------
    def _like(self, spectrum, **kwargs):
        return type(self)(spectrum, is_square=True, **kwargs)

    def _linop_adjoint(self):
        spectrum = conj(self._spectrum) if self._spectrum.dtype.is_complex else self._spectrum
        # TF leaves input_output_dtype at its default (complex64) here.
        return self._like(spectrum, is_non_singular=self.is_non_singular, is_self_adjoint=self.is_self_adjoint,
                          is_positive_definite=self.is_positive_definite)

    def _linop_inverse(self):
        return self._like(1.0 / self._spectrum, is_non_singular=self.is_non_singular,
                          is_self_adjoint=self.is_self_adjoint, is_positive_definite=self.is_positive_definite,
                          input_output_dtype=self.dtype)

    def _linop_matmul(self, other):
        if other.range_dimension.value is not None and self.domain_dimension.value is not None and \
                other.range_dimension.value != self.domain_dimension.value:
            raise ValueError(f"Operators are incompatible. Expected `x` to have dimension "
                             f"{self.domain_dimension.value} but got {other.range_dimension.value}.")
        if not (isinstance(other, type(self)) and isinstance(self, type(other))):
            return super()._linop_matmul(other)
        return self._like(self._spectrum * other.spectrum, **_combined_hints(self, other))

    def solve(self, rhs, adjoint=False, adjoint_arg=False, name="solve"):
        """X with self @ X = rhs; for a circulant rhs of the same kind, the circulant operator rhs / self."""
        if not isinstance(rhs, type(self)):
            return super().solve(rhs, adjoint=adjoint, adjoint_arg=adjoint_arg, name=name)
        self._check_solvable()
        left = self.adjoint() if adjoint else self
        right = rhs.adjoint() if adjoint_arg else rhs
        if right.range_dimension.value is not None and left.domain_dimension.value is not None and \
                right.range_dimension.value != left.domain_dimension.value:
            raise ValueError(f"Operators are incompatible. Expected `rhs` to have dimension "
                             f"{left.domain_dimension.value} but got {right.range_dimension.value}.")
        with self._method_scope(name):
            return self._like(right.spectrum / left.spectrum, **_combined_hints(left, right))


class LinearOperatorCirculant(_BaseLinearOperatorCirculant):
    """A [batch of] circulant matrix A[m, n] = h[(m - n) % N], given by its spectrum H = DFT[h] ([B.., N])."""

    def __init__(self, spectrum, input_output_dtype=dtypes.complex64, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=True, name="LinearOperatorCirculant"):
        super().__init__(spectrum, 1, input_output_dtype, is_non_singular, is_self_adjoint, is_positive_definite,
                         is_square, name)


class LinearOperatorCirculant2D(_BaseLinearOperatorCirculant):
    """A [batch of] block circulant matrix with circulant blocks, given by its 2-D spectrum ([B.., N0, N1])."""

    def __init__(self, spectrum, input_output_dtype=dtypes.complex64, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=True, name="LinearOperatorCirculant2D"):
        super().__init__(spectrum, 2, input_output_dtype, is_non_singular, is_self_adjoint, is_positive_definite,
                         is_square, name)


class LinearOperatorCirculant3D(_BaseLinearOperatorCirculant):
    """A [batch of] nested block circulant matrix, given by its 3-D spectrum ([B.., N0, N1, N2])."""

    def __init__(self, spectrum, input_output_dtype=dtypes.complex64, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=True, name="LinearOperatorCirculant3D"):
        super().__init__(spectrum, 3, input_output_dtype, is_non_singular, is_self_adjoint, is_positive_definite,
                         is_square, name)


# ----- helpers (TF's _to_complex, distribution_util.rotate_transpose, broadcast_matrix_batch_dims, hint rules) --
def _to_complex(x):
    if x.dtype.is_complex:
        return x
    return cast(x, dtypes.complex128 if x.dtype == dtypes.float64 else dtypes.complex64)


def _rotate_transpose(x, shift, name="rotate_transpose"):
    """x with its dims rolled right by `shift` ([a, b, c] -> [c, a, b] for shift 1)."""
    with name_scope(name):
        shift_t = convert_to_tensor(shift, name="shift")
        assert_integer(shift_t)
        ndims = x.shape.ndims
        if ndims is not None:
            if ndims < 2:
                return x
            shift = int(np.sign(shift) * (abs(shift) % ndims))
            if shift == 0:
                return x
            return transpose(x, perm=np.roll(np.arange(ndims), shift))
        ndims = rank_of(x)
        shift_t = where_v2(less(shift_t, 0), mod(-shift_t, ndims), ndims - mod(shift_t, ndims))
        return transpose(x, perm=concat([range_(shift_t, ndims), range_(0, shift_t)], 0))


def _broadcast_matrix_batch_dims(*matrices):
    with name_scope("broadcast_matrix_batch_dims"):
        for m in matrices:
            if m.shape.ndims is not None and m.shape.ndims < 2:
                raise ValueError(f"Expected [batch] matrix to have at least two dimensions. Found: {m}.")
        batch = matrices[0].shape[:-2]
        for m in matrices[1:]:
            batch = broadcast_static_shape(batch, m.shape[:-2])
        if batch.is_fully_defined():
            return [m if m.shape[:-2] == batch else
                    broadcast_to(m, concat([batch.as_list(), shape_of(m)[-2:]], axis=0)) for m in matrices]
        batch = shape_of(matrices[0])[:-2]
        for m in matrices[1:]:
            batch = broadcast_dynamic_shape(batch, shape_of(m)[:-2])
        return [broadcast_to(m, concat([batch, shape_of(m)[-2:]], axis=0)) for m in matrices]


def _combined_hints(a, b):
    """The hints of a product (or quotient) of two commuting operators (TF's property_hint_util)."""
    non_singular = False if a.is_non_singular is False or b.is_non_singular is False else \
        a.is_non_singular and b.is_non_singular
    self_adjoint = True if a.is_self_adjoint and b.is_self_adjoint else \
        False if {a.is_self_adjoint, b.is_self_adjoint} == {True, False} else None
    positive_definite = True if all(o.is_positive_definite is True and o.is_self_adjoint is True for o in (a, b)) \
        else None
    return {"is_non_singular": non_singular, "is_self_adjoint": self_adjoint, "is_positive_definite": positive_definite}

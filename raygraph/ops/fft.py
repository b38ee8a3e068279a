"""Discrete Fourier transforms over a complex tensor's inner 1, 2 or 3 dims (`FFT`, `IFFT`, `FFT2D`, `IFFT2D`,
`FFT3D`, `IFFT3D`), and the N-D ops `FFTND`, `IFFTND`, `RFFTND`, `IRFFTND`, which TensorFlow builds but has no
CPU kernel for: they fail at run time as TF's do on a CPU."""
import numpy as np

from .. import dtypes
from .array import shape
from .math import cast, reciprocal
from .reduction import reduce_prod
from .registry import NO_GRADIENT_DEFINED, apply_op, cpu_kernel, op
from .shape_fns import dims

_COMPLEX = "complex64 complex128"
_REAL = "float32 float64"


def _kernel(axes, inverse):
    transform = np.fft.ifftn if inverse else np.fft.fftn

    def kernel(a, x):
        axes_ = tuple(range(-axes, 0))
        if np.size(x) == 0:
            return np.array(x)
        return transform(x, axes=axes_).astype(x.dtype, copy=False)
    return kernel


def _shape(axes):
    def fn(inputs, a):
        x = inputs[0]
        d = dims(x)
        if d is not None and len(d) < axes:
            raise ValueError(f"Shape must be at least rank {axes} but is rank {len(d)}")
        return x.dtype.base_dtype, x.shape
    return fn


def _grad(axes, inverse):
    """d FFT = IFFT(g) * n and d IFFT = FFT(g) / n, with n the transform's size (TF's _fft_grad/_ifft_grad)."""
    def grad(op, g):
        n = reduce_prod(shape(g)[-axes:])
        if inverse:
            return [_TRANSFORMS[(axes, False)](g) * cast(reciprocal(cast(n, _real(g.dtype))), g.dtype)]
        return [_TRANSFORMS[(axes, True)](g) * cast(n, g.dtype)]
    return grad


def _real(complex_dtype):
    return dtypes.float64 if complex_dtype.base_dtype == dtypes.complex128 else dtypes.float32


def _transform(type_, axes):
    def fn(input, name=None):
        return apply_op(type_, [input], name=name)
    fn.__name__ = type_.lower()
    fn.__doc__ = f"The {'inverse ' if type_.startswith('I') else ''}DFT over the inner {axes} dim(s) (op {type_})."
    return fn


_TRANSFORMS = {}
for _axes, _suffix in ((1, ""), (2, "2D"), (3, "3D")):
    for _inverse in (False, True):
        _type = ("IFFT" if _inverse else "FFT") + _suffix
        op(_type, "input:Tcomplex", kernel=_kernel(_axes, _inverse), shape=_shape(_axes),
           grad=_grad(_axes, _inverse), Tcomplex=_COMPLEX)
        _TRANSFORMS[(_axes, _inverse)] = _transform(_type, _axes)
fft, ifft, fft2d, ifft2d, fft3d, ifft3d = (_TRANSFORMS[k] for k in ((1, False), (1, True), (2, False), (2, True),
                                                                   (3, False), (3, True)))


# ----- the N-D ops: graph only, as in TF on a CPU -------------------------------------------------------------
def _no_cpu_kernel(type_, attr):
    return cpu_kernel(type_, lambda a, *xs: None, _COMPLEX, attr=attr)


for _type in ("FFTND", "IFFTND"):
    op(_type, "input:Tcomplex, fft_length:int32, axes:int32", kernel=_no_cpu_kernel(_type, "Tcomplex"),
       shape=lambda i, a: (i[0].dtype.base_dtype, i[0].shape), Tcomplex=_COMPLEX, grad=NO_GRADIENT_DEFINED)
op("RFFTND", "input:Treal, fft_length:int32, axes:int32", kernel=_no_cpu_kernel("RFFTND", "Tcomplex"),
   shape=lambda i, a: (a["Tcomplex"], i[0].shape), Treal=_REAL, Tcomplex=_COMPLEX, grad=NO_GRADIENT_DEFINED)
op("IRFFTND", "input:Tcomplex, fft_length:int32, axes:int32", kernel=_no_cpu_kernel("IRFFTND", "Tcomplex"),
   shape=lambda i, a: (a["Treal"], i[0].shape), Treal=_REAL, Tcomplex=_COMPLEX, grad=NO_GRADIENT_DEFINED)


def fftnd(input, fft_length, axes, name=None):
    """The N-D DFT over `axes` (op FFTND; like TF, no CPU kernel: it fails when run)."""
    return apply_op("FFTND", [input, fft_length, axes], name=name)


def ifftnd(input, fft_length, axes, name=None):
    """The inverse N-D DFT over `axes` (op IFFTND; no CPU kernel, as in TF)."""
    return apply_op("IFFTND", [input, fft_length, axes], name=name)


def rfftnd(input, fft_length, axes, Tcomplex=dtypes.complex64, name=None):
    """The N-D DFT of a real tensor (op RFFTND; no CPU kernel, as in TF)."""
    return apply_op("RFFTND", [input, fft_length, axes], {"Tcomplex": dtypes.as_dtype(Tcomplex)}, name=name)


def irfftnd(input, fft_length, axes, Treal=dtypes.float32, name=None):
    """The real inverse N-D DFT (op IRFFTND; no CPU kernel, as in TF)."""
    return apply_op("IRFFTND", [input, fft_length, axes], {"Treal": dtypes.as_dtype(Treal)}, name=name)

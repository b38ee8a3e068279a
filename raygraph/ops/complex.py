"""Complex numbers: `Complex` (from real and imaginary parts), `Real`, `Imag`, `Conj`, `Angle`, `ComplexAbs`.

The Python functions follow TF1's math_ops: on real tensors `real` and `conj` return their input, `imag` is
zeros and `angle` is pi where the input is negative; gradients carry TF's conjugation conventions.
"""
import numpy as np

from .. import dtypes
from ..convert import constant, convert_to_tensor
from ..default_graph import name_scope
from .array import reduce_gradient_args
from .filling import ones_like, zeros_like
from .math import cast, div_no_nan, less, reciprocal
from .registry import apply_op, op
from .shape_fns import broadcast_shape
from .slicing import where

_REAL_OF = {dtypes.complex64: dtypes.float32, dtypes.complex128: dtypes.float64}
_COMPLEX_OF = {dtypes.float32: dtypes.complex64, dtypes.float64: dtypes.complex128}


def _complex_grad(op, g):
    x, y = op.inputs
    return list(reduce_gradient_args(x, y, real(g), imag(g)))


def _angle_grad(op, g):
    x = op.inputs[0]
    z = reciprocal(complex(imag(x), real(x)))
    return [-complex(g, constant(0, dtype=g.dtype)) * z]


def _complex_abs_grad(op, g):
    return [div_no_nan(complex(g, zeros_like(g)) * op.inputs[0],
                       complex(op.outputs[0], zeros_like(op.outputs[0])))]


def _to_real(a, x):
    return (a["Tout"], x.shape)


op("Complex", "real:T=float32, imag:T", T="float32 float64", Tout="complex64 complex128", elementwise=True,
   kernel=lambda a, re, im: (re + 1j * im).astype(a["Tout"].as_numpy_dtype),
   shape=lambda i, a: (a["Tout"], broadcast_shape(i, a)[1]), grad=_complex_grad)
op("Real", "input:T=complex64", T="complex64 complex128", Tout="float32 float64", elementwise=True,
   kernel=lambda a, x: np.real(x).astype(a["Tout"].as_numpy_dtype),
   shape=lambda i, a: _to_real(a, i[0]), grad=lambda op, g: [complex(g, constant(0, dtype=g.dtype))])
op("Imag", "input:T=complex64", T="complex64 complex128", Tout="float32 float64", elementwise=True,
   kernel=lambda a, x: np.imag(x).astype(a["Tout"].as_numpy_dtype),
   shape=lambda i, a: _to_real(a, i[0]), grad=lambda op, g: [complex(constant(0, dtype=g.dtype), g)])
op("Angle", "input:T=complex64", T="complex64 complex128", Tout="float32 float64", elementwise=True,
   kernel=lambda a, x: np.angle(x).astype(a["Tout"].as_numpy_dtype),
   shape=lambda i, a: _to_real(a, i[0]), grad=_angle_grad)
op("ComplexAbs", "x:T=complex64", T="complex64 complex128", Tout="float32 float64", elementwise=True,
   kernel=lambda a, x: np.abs(x).astype(a["Tout"].as_numpy_dtype),
   shape=lambda i, a: _to_real(a, i[0]), grad=_complex_abs_grad)
op("Conj", "input:T=complex64", T="complex64 complex128 variant", elementwise=True, kernel=lambda a, x: np.conj(x),
   shape=lambda i, a: (i[0].dtype.base_dtype, i[0].shape), grad=lambda op, g: [conj(g)])


def complex(real, imag, name=None):  # noqa: A001 - TF's name
    """real + imag * 1j: complex64 from float32 parts, complex128 from float64 ones."""
    real = convert_to_tensor(real, name="real")
    imag = convert_to_tensor(imag, name="imag")
    with name_scope(name, "Complex", [real, imag]) as name:
        kinds = (real.dtype.base_dtype, imag.dtype.base_dtype)
        if kinds not in ((dtypes.float32, dtypes.float32), (dtypes.float64, dtypes.float64)):
            raise TypeError(f"The `real` and `imag` components have incorrect types: {kinds[0].name} "
                            f"{kinds[1].name}. They must be consistent, and one of [tf.float32, tf.float64]")
        return apply_op("Complex", [real, imag], {"Tout": _COMPLEX_OF[kinds[0]]}, name=name)


def _part(type, on_real):
    def fn(input, name=None):  # noqa: A002 - TF's name
        with name_scope(name, type, [input]) as name:
            input = convert_to_tensor(input, name="input")
            if input.dtype.base_dtype.is_complex:
                return apply_op(type, [input], {"Tout": _REAL_OF[input.dtype.base_dtype]}, name=name)
            return on_real(input, name)
    fn.__name__ = type.lower()
    fn.__doc__ = f"The {type.lower()} of a complex tensor (op `{type}`); TF's value for a real one."
    return fn


real = _part("Real", lambda x, name: x)
imag = _part("Imag", lambda x, name: zeros_like(x))
angle = _part("Angle", lambda x, name: where(less(x, 0.0), np.pi * ones_like(x), zeros_like(x)))


def conj(x, name=None):
    """The complex conjugate (op `Conj`); a real tensor is returned as it is."""
    with name_scope(name, "Conj", [x]) as name:
        x = convert_to_tensor(x, name="x")
        if x.dtype.base_dtype.is_complex or x.dtype.base_dtype is dtypes.variant:
            return apply_op("Conj", [x], {}, name=name)
        if x.dtype.base_dtype.is_floating or x.dtype.base_dtype.is_integer:
            return x
        raise TypeError(f"Expected numeric or variant tensor, got dtype {x.dtype!r}.")


def complex_abs(x, name=None):
    """|x| of a complex tensor (op `ComplexAbs`), what `tf.abs` builds for one."""
    return apply_op("ComplexAbs", [x], {"Tout": _REAL_OF[x.dtype.base_dtype]}, name=name)


def to_complex64(x, name="ToComplex64"):
    return cast(x, dtypes.complex64, name=name)


def to_complex128(x, name="ToComplex128"):
    return cast(x, dtypes.complex128, name=name)


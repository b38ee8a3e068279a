"""`py_func`: an op whose kernel is a Python function (shipped to the device that runs it)."""
import itertools
import traceback

import numpy as np

from .. import dtypes
from ..errors import (InvalidArgumentError, OutOfRangeError, ResourceExhaustedError, UnimplementedError,
                      UnknownError)
from ..shape import unknown_shape
from .registry import NO_GRADIENT_DEFINED, NOT_DIFFERENTIABLE, apply_op, op

_tokens = itertools.count()


# TF's py_func kernel (py_func.cc) gives a Python exception these codes (subclasses included), else UNKNOWN;
# input loops rely on StopIteration becoming OutOfRangeError.
_PYTHON_ERRORS = ((ValueError, InvalidArgumentError), (TypeError, InvalidArgumentError),
                  (StopIteration, OutOfRangeError), (MemoryError, ResourceExhaustedError),
                  (NotImplementedError, UnimplementedError))


def _python_error(e):
    """The OpError for exception `e` raised by a py_func's function, with TF's class and message layout."""
    cls = next((c for kind, c in _PYTHON_ERRORS if isinstance(e, kind)), UnknownError)
    frames = "".join(traceback.format_tb(e.__traceback__.tb_next if e.__traceback__ else None))
    summary = "".join(traceback.format_exception_only(type(e), e))
    return cls(None, None, f"{type(e).__name__}: {e}\nTraceback (most recent call last):\n{frames}{summary}")


def _py_func_kernel(a, res, *inputs):
    try:
        out = a["_func"](*inputs)
    except Exception as e:  # noqa: BLE001 - every Python failure becomes an OpError
        raise _python_error(e) from e
    touts = a["Tout"]
    if not a["_list"]:
        out = [out]
    if out is None:
        out = []
    if len(out) != len(touts):
        raise InvalidArgumentError(None, None, f"{a['token']} returns {len(out)} values, but expects to see "
                                   f"{len(touts)} values.")
    results = []
    for i, (value, dtype) in enumerate(zip(out, touts)):
        arr = np.asarray(value)
        if dtype is dtypes.string:
            strings = np.asarray(value, dtype=object)
            results.append(np.vectorize(lambda v: v.encode() if isinstance(v, str) else v, otypes=[object])(strings)
                           if strings.ndim else np.asarray(strings.item().encode() if isinstance(strings.item(), str)
                                                           else strings.item(), dtype=object))
            continue
        if arr.dtype != dtype.as_numpy_dtype and not (arr.dtype == np.float64 and isinstance(value, float)):
            try:  # TF's DataTypeString names: "double", "float", ...
                got = dtypes.type_string(arr.dtype)
            except (TypeError, ValueError):
                got = str(arr.dtype)
            raise InvalidArgumentError(None, None, f"{i}-th value returned by {a['token']} is {got}, but "
                                       f"expects {dtypes.type_string(dtype)}")
        results.append(arr.astype(dtype.as_numpy_dtype, copy=False))
    return tuple(results) if len(results) != 1 else results[0]


op("PyFunc", "input:+Tin", kernel=_py_func_kernel, stateful=True, grad=NOT_DIFFERENTIABLE,
   shape=lambda i, a: [(d, unknown_shape()) for d in a["Tout"]])


def py_func(func, inp, Tout, stateful=True, name=None):  # noqa: N803 - TF's argument name
    """Wraps a Python function of numpy arrays as an op; it runs in the device actor that hosts the op."""
    is_list = isinstance(Tout, (list, tuple))
    touts = [dtypes.as_dtype(t) for t in (Tout if is_list else [Tout])]
    attrs = {"Tout": touts, "token": f"pyfunc_{next(_tokens)}", "_func": func, "_list": is_list}
    out = apply_op("PyFunc", [list(inp)], attrs, name=name)
    if not is_list:
        return out
    if not touts:
        return []
    return out if isinstance(out, list) else [out]


numpy_function = py_func


# ----- py_function: TF runs its function eagerly, on EagerTensors ---------------------------------------------
class EagerValue(np.ndarray):
    """What a py_function's function receives: the input's array, with EagerTensor's `.numpy()`, `.dtype`-free
    numpy arithmetic and `.shape`. raygraph has no eager ops: TF ops called on it inside the function fail."""

    def numpy(self):
        return np.asarray(self)


def _eager_kernel(a, res, *inputs):
    return _py_func_kernel(a, res, *[np.asarray(x).view(EagerValue) for x in inputs])


op("EagerPyFunc", "input:+Tin", kernel=_eager_kernel, stateful=True, grad=NO_GRADIENT_DEFINED,
   shape=lambda i, a: [(d, unknown_shape()) for d in a["Tout"]])


def py_function(func=None, inp=None, Tout=None, name=None):  # noqa: N803 - TF's argument name
    """Wraps a Python function as an op (EagerPyFunc); its arguments have `.numpy()` as TF's EagerTensors do.

    Not differentiable in raygraph: TF differentiates it by running it eagerly under a tape."""
    if func is None:
        return lambda f: py_function(f, inp, Tout, name)
    is_list = isinstance(Tout, (list, tuple))
    touts = [dtypes.as_dtype(t) for t in (Tout if is_list else [Tout])]
    attrs = {"Tout": touts, "token": f"pyfunc_{next(_tokens)}", "_func": func, "_list": is_list}
    out = apply_op("EagerPyFunc", [list(inp or [])], attrs, name=name)
    if not is_list or not touts:  # no outputs: the op itself, as TF returns it
        return out
    return out if isinstance(out, list) else [out]

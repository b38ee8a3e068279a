"""Tensor-like conversion: `convert_to_tensor`, `constant`, and the conversion-function registry.

Python and numpy values become `Const` ops with TF1's dtype inference (int -> int32 unless it does not
fit, float -> float32, numpy keeps its dtype, str -> string); lists holding tensors become a `Pack`
("packed"); other types go through functions registered with `register_tensor_conversion_function`.
"""
import numbers
import threading

import numpy as np

from . import dtypes
from .graph import get_default_graph
from .tensor import Tensor
from .operation import Operation
from .shape import Dimension, TensorShape

_FAILED = ("Failed to convert elements of {!r} to Tensor. Consider casting elements to a supported type. "
           "See https://www.tensorflow.org/api_docs/python/tf/dtypes for supported TF dtypes.")
_SCALARS = (int, float, bool, complex, np.generic, np.ndarray)
_NOT_AUTOPACKABLE = (int, float, bool, complex, str, bytes, np.generic, np.ndarray, memoryview)


# ----- numpy values with TF's inference ------------------------------------------------------------
def _leaves(values, tuples=True):
    if isinstance(values, list) or tuples and isinstance(values, tuple):
        for v in values:
            yield from _leaves(v, tuples)
    else:
        yield values


def _is_ok(dtype, v):
    if dtype is dtypes.bool_:
        return isinstance(v, (bool, np.bool_))
    if dtype.is_integer:
        return isinstance(v, (numbers.Integral, np.integer)) or hasattr(v, "__index__") and not isinstance(v, float)
    if dtype.is_floating:
        return isinstance(v, (numbers.Real, np.number))
    if dtype.is_complex:
        return isinstance(v, (numbers.Complex, np.number))
    if dtype is dtypes.string:
        return isinstance(v, (str, bytes, np.str_, np.bytes_))
    if dtype.is_quantized:  # TF takes only its numpy records (tuples) for quantized types
        return isinstance(v, tuple)
    return True


def _check_compatible(values, dtype):
    records = dtype is not None and dtype.is_quantized  # a record (tuple) holds ints: each is checked
    for leaf in _leaves(values, not records):
        for v in leaf if records and isinstance(leaf, tuple) else (leaf,):
            if isinstance(v, Tensor):
                raise TypeError("Expected any non-tensor type, but got a tensor instead." if dtype is None else
                                f"Expected {dtype.name}, but got {v} of type '{type(v).__name__}'.")
            if dtype is not None and not _is_ok(dtypes.int32 if v is not leaf else dtype, v):
                raise TypeError(f"Expected {dtype.name}, but got {v} of type '{type(v).__name__}'.")


def _to_bytes_array(a):
    out = np.empty(a.shape, dtype=object)
    flat = out.reshape(-1)
    for i, v in enumerate(np.asarray(a).reshape(-1)):
        flat[i] = v.encode() if isinstance(v, str) else bytes(v)
    return out


def to_numpy(values, dtype=None):
    """The numpy array TF would make of `values` (a copy), with TF1's dtype choices; and its DType."""
    if isinstance(values, (np.ndarray, np.generic)):
        if dtype is not None:
            if dtype.base_dtype is dtypes.string:
                return _to_bytes_array(values), dtypes.string
            return np.array(values, dtype=dtype.as_numpy_dtype), dtype.base_dtype
        arr = np.array(values)
        if arr.dtype.kind in "USO":
            return _to_bytes_array(arr), dtypes.string
        return arr, dtypes.as_dtype(arr.dtype)
    if values is None:
        raise ValueError("None values not supported.")
    _check_compatible(values, dtype)
    if dtype is not None:
        if dtype.base_dtype is dtypes.string:
            return _to_bytes_array(np.array(values, dtype=object)), dtypes.string
        return np.array(values, dtype=dtype.as_numpy_dtype), dtype.base_dtype
    try:
        arr = np.array(values)
    except OverflowError:
        raise TypeError(_FAILED.format(values)) from None
    kind = arr.dtype.kind
    if kind in "USO":
        if kind == "O" and any(isinstance(v, int) and not isinstance(v, bool) for v in _leaves(values)):
            raise TypeError(_FAILED.format(values))
        if not all(isinstance(v, (str, bytes, np.str_, np.bytes_)) for v in _leaves(values)):
            raise TypeError(_FAILED.format(values))
        # numpy's fixed-width bytes drop trailing NULs ("\x01\x00" -> "\x01"): keep each value whole
        return _to_bytes_array(np.array(values, dtype=object) if kind == "S" else arr), dtypes.string
    if arr.dtype == np.float64:
        arr = arr.astype(np.float32)
    elif arr.dtype == np.int64:
        small = arr.astype(np.int32)
        if np.array_equal(small, arr):
            arr = small
    elif arr.dtype == np.uint64:
        raise TypeError(_FAILED.format(values))
    return arr, dtypes.as_dtype(arr.dtype)


def _fit_shape(arr, shape, verify_shape):
    shape = tuple(int(d) for d in shape)
    size = int(np.prod(shape, dtype=np.int64))
    if verify_shape and arr.shape != shape:
        raise TypeError(f"Expected Tensor's shape: {shape}, but got {arr.shape}.")
    if arr.size > size:
        raise ValueError(f"Too many elements provided. Takes at most {size:d}, but got {arr.size:d}.")
    if arr.size == size:
        return arr.reshape(shape)
    flat = arr.reshape(-1)
    fill = flat[-1] if flat.size else np.zeros((), arr.dtype)[()]
    out = np.empty(size, dtype=arr.dtype)
    out[:flat.size] = flat
    out[flat.size:] = fill  # a short value list repeats its last element, as TF's TensorProto does
    return out.reshape(shape)


# ----- constants -------------------------------------------------------------------------------------
def constant(value, dtype=None, shape=None, name="Const", verify_shape=False):
    """A `Const` op holding `value` (converted with TF1's rules), in the default graph."""
    from .ops.registry import REGISTRY
    if dtype is not None:
        dtype = dtypes.as_dtype(dtype)
    arr, dt = to_numpy(value, dtype)
    given = None   # how many values TF's proto keeps, where fewer than the shape holds (graph_def.tensor_proto)
    if shape is not None and int(np.prod(shape, dtype=np.int64)) == 0:
        arr = np.zeros(tuple(int(d) for d in shape), dtype=arr.dtype)  # TF: an empty tensor of that shape
    elif shape is not None:
        given = arr.size
        arr = _fit_shape(arr, shape, verify_shape)
        given = given if given < arr.size else None
    arr.flags.writeable = False
    g = get_default_graph()
    op = Operation(g, "Const", g._op_name(name or "Const"), (), [(dt, TensorShape._raw(arr.shape))],
                   {"value": arr, "dtype": dt}, REGISTRY["Const"])
    if given is not None:
        g._given_values[op._name] = given
    return op._outputs[0]


# ----- the registry ----------------------------------------------------------------------------------
_lock = threading.Lock()
_registry = {}   # priority -> [(base_type, fn)]
_cache = {}      # type -> [(base_type, fn)] in priority order


def register_tensor_conversion_function(base_type, conversion_func, priority=100):
    """Registers `conversion_func(value, dtype=None, name=None, as_ref=False)` for `base_type`."""
    base_types = base_type if isinstance(base_type, tuple) else (base_type,)
    if any(not isinstance(t, type) for t in base_types):
        raise TypeError(f"Argument `base_type` must be a type or a tuple of types. Obtained: {base_type}")
    if any(issubclass(t, (int, float, np.generic, np.ndarray)) for t in base_types):
        raise TypeError("Cannot register conversions for Python numeric types and NumPy scalars and arrays.")
    if not callable(conversion_func):
        raise TypeError(f"Argument `conversion_func` must be callable. Received {conversion_func}.")
    with _lock:
        _registry.setdefault(priority, []).append((base_type, conversion_func))
        _cache.clear()


def _functions_for(cls):
    funcs = _cache.get(cls)
    if funcs is None:
        with _lock:
            funcs = [(base, fn) for _, entries in sorted(_registry.items())
                     for base, fn in entries if issubclass(cls, base)]
            _cache[cls] = funcs
    return funcs


def convert_to_tensor(value, dtype=None, name=None, preferred_dtype=None, dtype_hint=None, as_ref=False):
    """Converts a Tensor, Variable, Python or numpy value (or a registered type) to a Tensor."""
    if dtype is not None:
        dtype = dtypes.as_dtype(dtype)
    if type(value) is Tensor:
        if dtype is not None and not dtype.is_compatible_with(value._dtype.base_dtype):
            raise ValueError(f"Tensor conversion requested dtype {dtype.name} for Tensor with dtype "
                             f"{value.dtype.name}: {value!r}")
        return value
    preferred = preferred_dtype or dtype_hint
    if preferred is not None:
        preferred = dtypes.as_dtype(preferred)
    if isinstance(value, _SCALARS):
        funcs = ((type(value), _constant_conversion),)
    else:
        funcs = _functions_for(type(value))
    for base, fn in funcs:
        ret = None
        if dtype is None and preferred is not None:
            try:
                ret = fn(value, dtype=preferred, name=name, as_ref=as_ref)
            except (TypeError, ValueError):
                ret = None
            else:
                if ret is not NotImplemented and ret.dtype.base_dtype != preferred.base_dtype:
                    raise RuntimeError(f"Conversion function {fn!r} for type {base} returned incompatible "
                                       f"dtype: requested = {preferred.base_dtype!r}, actual = "
                                       f"{ret.dtype.base_dtype!r}")
        if ret is None:
            ret = fn(value, dtype=dtype, name=name, as_ref=as_ref)
        if ret is NotImplemented:
            continue
        if not isinstance(ret, Tensor):
            raise RuntimeError(f"Conversion function {fn!r} for type {base} returned non-Tensor: {ret!r}")
        if dtype is not None and not dtype.is_compatible_with(ret.dtype):
            raise RuntimeError(f"Conversion function {fn} for type {base} returned incompatible dtype: "
                               f"requested = {dtype}, actual = {ret.dtype}")
        return ret
    raise TypeError(f"Cannot convert {value!r} with type {type(value)} to Tensor: no conversion function "
                    f"registered.")


def convert_n_to_tensor(values, dtype=None, name=None, preferred_dtype=None):
    if not isinstance(values, (list, tuple)):
        raise TypeError("values must be a sequence.")
    return [convert_to_tensor(v, dtype=dtype, name=None if name is None else f"{name}_{i}",
                              preferred_dtype=preferred_dtype) for i, v in enumerate(values)]


def _constant_conversion(value, dtype=None, name=None, as_ref=False):
    return constant(value, dtype=dtype, name=name)


def _tensor_conversion(value, dtype=None, name=None, as_ref=False):
    if dtype is not None and not dtype.is_compatible_with(value.dtype):
        raise ValueError(f"Tensor conversion requested dtype {dtype.name} for Tensor with dtype "
                         f"{value.dtype.name}: {value!r}")
    return value


def _autopacking_conversion(value, dtype=None, name=None, as_ref=False):
    """A (nested) list holding tensors becomes a Pack of its elements."""
    if as_ref or all(isinstance(v, _NOT_AUTOPACKABLE) for v in _leaves(value)):
        return NotImplemented
    inferred = None
    for v in _leaves(value):
        if isinstance(v, Tensor):
            inferred = v.dtype.base_dtype
            break
    if inferred is None:
        return NotImplemented
    if dtype is not None and dtypes.as_dtype(dtype).base_dtype != inferred:  # TF casts what differs, then packs
        value = _cast_nested(value, dtypes.as_dtype(dtype).base_dtype)
    return _autopack(value, dtype or inferred, name or "packed")


def _cast_nested(value, dtype):
    from .ops.math import cast
    if isinstance(value, (list, tuple)):
        return type(value)(_cast_nested(v, dtype) for v in value)
    return cast(value, dtype) if isinstance(value, Tensor) and value.dtype.base_dtype != dtype else value


def _autopack(values, dtype, name):
    from .ops.joining import pack_tensors
    g = get_default_graph()
    old = g._name_stack
    scope = g._scope_for(name)
    g._name_stack = scope
    try:
        converted, must_pack = [], False
        for i, elem in enumerate(values):
            if isinstance(elem, Tensor):
                if elem.dtype.base_dtype != dtype:
                    raise TypeError(f"Cannot convert a list containing a tensor of dtype {elem.dtype} to "
                                    f"{dtype} (Tensor is: {elem!r})")
                must_pack = True
            elif isinstance(elem, (list, tuple)):
                elem = _autopack(elem, dtype, str(i))
                if isinstance(elem, Tensor):
                    must_pack = True
            converted.append(elem)
        if not must_pack:
            return converted
        tensors = [e if isinstance(e, Tensor) else constant(e, dtype=dtype, name=str(i))
                   for i, e in enumerate(converted)]
        return pack_tensors(tensors, name=scope + "/")
    finally:
        g._name_stack = old


def _shape_conversion(value, dtype=None, name=None, as_ref=False):
    if isinstance(value, Dimension):
        if value.value is None:
            raise ValueError("Cannot convert an unknown Dimension to a Tensor: ?")
        return constant(value.value, dtype=dtype or dtypes.int32, name=name)
    if not value.is_fully_defined():
        raise ValueError(f"Cannot convert a partially known TensorShape {value} to a Tensor.")
    dims = value.as_list()
    if dtype is None:
        dtype = dtypes.int64 if any(d >= 2 ** 31 for d in dims) else dtypes.int32
    assert isinstance(value, TensorShape)
    return constant(dims, dtype=dtype, name=name or "shape_as_tensor")


def _register_builtins():
    register_tensor_conversion_function(Tensor, _tensor_conversion, 0)
    register_tensor_conversion_function((list, tuple), _autopacking_conversion, 99)
    register_tensor_conversion_function((list, tuple), _constant_conversion, 100)
    register_tensor_conversion_function((TensorShape, Dimension), _shape_conversion, 100)
    register_tensor_conversion_function(object, _constant_conversion, 200)


_register_builtins()

"""TensorFlow's element types (`tf.float32`, ...) with TF1's enum numbers, names and ref types."""
import builtins

import numpy as np

_LAZY = object()   # bfloat16's numpy type until it is first asked for: ml_dtypes costs a process 0.4 s to import


class DType:
    """An element type; `float32_ref` and friends are the ref variants RefVariables produce."""

    __slots__ = ("_enum", "_name", "_np")

    def __init__(self, enum, name, np_type):
        self._enum = enum
        self._name = name
        self._np = np_type

    name = property(lambda self: self._name)
    as_datatype_enum = property(lambda self: self._enum)
    is_ref_dtype = property(lambda self: self._enum > 100)
    base_dtype = property(lambda self: _BY_ENUM[self._enum - 100] if self._enum > 100 else self)
    as_numpy_dtype = property(lambda self: _numpy_type(self.base_dtype))
    is_bool = property(lambda self: self.base_dtype is bool_)
    is_quantized = property(lambda self: self.base_dtype in _QUANTIZED)
    is_floating = property(lambda self: self.base_dtype in _FLOATS)
    is_complex = property(lambda self: self.base_dtype in (complex64, complex128))
    is_integer = property(lambda self: self.base_dtype in _INTS)
    is_unsigned = property(lambda self: self.base_dtype in (uint8, uint16, uint32, uint64))
    is_numpy_compatible = property(lambda self: self.base_dtype._np is not None)

    @property
    def _as_ref(self):
        return self if self.is_ref_dtype else _BY_ENUM[self._enum + 100]

    @property
    def real_dtype(self):
        return {complex64: float32, complex128: float64}.get(self.base_dtype, self.base_dtype)

    @property
    def size(self):
        if self.base_dtype in (string, resource, variant):
            return 0
        return np.dtype(self.as_numpy_dtype).itemsize

    @property
    def min(self):
        base = self.base_dtype
        if base in _QUANTIZED:
            raise TypeError(f"Cannot find minimum value of {self} with quantized type {base}.")
        if base is bfloat16:
            return float(_ml_dtypes().finfo(base.as_numpy_dtype).min)
        if base in _FLOATS:
            return float(np.finfo(base._np).min)
        if base in _INTS:
            return int(np.iinfo(base._np).min)
        raise TypeError(f"Cannot find minimum value of {self} with type {self}.")

    @property
    def max(self):
        base = self.base_dtype
        if base in _QUANTIZED:
            raise TypeError(f"Cannot find maximum value of {self} with quantized type {base}.")
        if base is bfloat16:
            return float(_ml_dtypes().finfo(base.as_numpy_dtype).max)
        if base in _FLOATS:
            return float(np.finfo(base._np).max)
        if base in _INTS:
            return int(np.iinfo(base._np).max)
        raise TypeError(f"Cannot find maximum value of {self} with type {self}.")

    @property
    def limits(self):
        return self.min, self.max

    def is_compatible_with(self, other):
        other = as_dtype(other)
        return self._enum in (other._enum, other.base_dtype._enum)

    def __eq__(self, other):
        if other is None:
            return False
        if type(other) is DType:
            return self._enum == other._enum
        try:
            return self._enum == as_dtype(other)._enum
        except TypeError:
            return False

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return self._enum

    def __reduce__(self):
        return as_dtype, (self._name,)

    def __repr__(self):
        return f"tf.{self._name}"

    def __str__(self):
        return f"<dtype: '{self._name}'>"


def _ml_dtypes():
    import ml_dtypes  # noqa: PLC0415 - see _LAZY
    return ml_dtypes


def _numpy_type(base):
    """A base DType's numpy type (bfloat16's: ml_dtypes', TF's own numpy type, imported on first use)."""
    np_type = base._np
    if np_type is _LAZY:
        np_type = _ml_dtypes().bfloat16
        for d in (base, _BY_ENUM[base._enum + 100]):
            d._np = np_type
        _BY_NP[np.dtype(np_type)] = base
    return np_type


def _make(enum, name, np_type):
    d = DType(enum, name, np_type)
    _BY_ENUM[enum] = d
    ref = DType(enum + 100, name + "_ref", np_type)
    _BY_ENUM[enum + 100] = ref
    return d


_BY_ENUM = {}
float32 = _make(1, "float32", np.float32)
float64 = _make(2, "float64", np.float64)
int32 = _make(3, "int32", np.int32)
uint8 = _make(4, "uint8", np.uint8)
int16 = _make(5, "int16", np.int16)
int8 = _make(6, "int8", np.int8)
string = _make(7, "string", np.object_)
complex64 = _make(8, "complex64", np.complex64)
int64 = _make(9, "int64", np.int64)
bool_ = _make(10, "bool", np.bool_)
# TF's quantized types: numpy records of one integer field, as TF's own numpy types are
qint8 = _make(11, "qint8", np.dtype([("qint8", np.int8)]))
quint8 = _make(12, "quint8", np.dtype([("quint8", np.uint8)]))
qint32 = _make(13, "qint32", np.dtype([("qint32", np.int32)]))
bfloat16 = _make(14, "bfloat16", _LAZY)  # ml_dtypes' bfloat16, TF's own numpy type (on first use)
qint16 = _make(15, "qint16", np.dtype([("qint16", np.int16)]))
quint16 = _make(16, "quint16", np.dtype([("quint16", np.uint16)]))
uint16 = _make(17, "uint16", np.uint16)
complex128 = _make(18, "complex128", np.complex128)
float16 = _make(19, "float16", np.float16)
resource = _make(20, "resource", None)
variant = _make(21, "variant", None)
uint32 = _make(22, "uint32", np.uint32)
uint64 = _make(23, "uint64", np.uint64)
half = float16
double = float64

_FLOATS = (float16, float32, float64, bfloat16)
_QUANTIZED = (qint8, quint8, qint16, quint16, qint32)
QUANTIZED_DTYPES = frozenset(_QUANTIZED + tuple(d._as_ref for d in _QUANTIZED))
_INTS = (int8, int16, int32, int64, uint8, uint16, uint32, uint64)

_BY_NAME = {d.name: d for d in _BY_ENUM.values()}
_BY_NAME.update({"half": float16, "float": float32, "double": float64, "bool": bool_,
                 "half_ref": float16._as_ref, "float_ref": float32._as_ref,
                 "double_ref": float64._as_ref})
_BY_NP = {np.dtype(d._np): d for d in _BY_ENUM.values() if d._np not in (None, _LAZY) and d._enum < 100}
_BY_NP.update({np.dtype("U"): string, np.dtype("S"): string, np.dtype(object): string})
_PYTHON = {builtins.float: float32, builtins.bool: bool_, builtins.object: string}


def type_string(dtype):
    """TF's DataTypeString, the name TF's messages give a dtype: "float" for float32, "double", "half", else its
    name."""
    name = as_dtype(dtype).name
    return {"float32": "float", "float64": "double", "float16": "half"}.get(name, name)


def as_dtype(type_value):
    """Converts a DType, enum, name, numpy dtype or Python type to a `DType` (TypeError if impossible)."""
    if type(type_value) is DType:
        return type_value
    if isinstance(type_value, int) and not isinstance(type_value, builtins.bool):
        if type_value in _BY_ENUM:
            return _BY_ENUM[type_value]
        raise TypeError(f"Cannot convert the argument `type_value`: {type_value!r} to a TensorFlow DType.")
    if isinstance(type_value, str):
        if type_value in _BY_NAME:
            return _BY_NAME[type_value]
        raise TypeError(f"Cannot convert the argument `type_value`: {type_value!r} to a TensorFlow DType.")
    if isinstance(type_value, type) and type_value in _PYTHON:
        return _PYTHON[type_value]
    if isinstance(type_value, type) and not issubclass(type_value, np.generic):
        raise TypeError(f"Cannot convert the argument `type_value`: {type_value!r} to a TensorFlow DType.")
    try:
        np_dtype = np.dtype(type_value)
    except TypeError:
        raise TypeError(f"Cannot convert the argument `type_value`: {type_value!r} to a TensorFlow DType.") from None
    if np_dtype.kind in "USO":
        return string
    if np_dtype in _BY_NP:
        return _BY_NP[np_dtype]
    if np_dtype.name == "bfloat16" and np_dtype == np.dtype(bfloat16.as_numpy_dtype):   # (ml_dtypes': see _LAZY)
        return bfloat16
    raise TypeError(f"Cannot convert the argument `type_value`: {type_value!r} to a TensorFlow DType.")


bool = bool_  # noqa: A001 - TF's name (`tf.dtypes.bool`); the module itself says builtins.bool

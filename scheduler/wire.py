"""How tensors travel between devices: Arrow-backed values in the Ray object store.

A numeric tensor travels as an Arrow buffer over its numpy memory plus dtype and shape: the buffer
pickles out of band, so Ray moves it without copying it into the pickle, and the receiver's numpy view
reads the object store's memory in place. A string tensor travels as an Arrow `large_binary` array
plus its shape, which Ray moves without pickling each string.
"""
import numpy as np
import pyarrow as pa


class NumericTensor:
    """A numeric tensor as an Arrow buffer, a dtype and a shape."""

    __slots__ = ("buffer", "dtype", "shape")

    def __init__(self, buffer, dtype, shape):
        self.buffer = buffer
        self.dtype = dtype
        self.shape = shape

    def __reduce__(self):
        return NumericTensor, (self.buffer, self.dtype, self.shape)


class StringTensor:
    """A string tensor as an Arrow binary array and a shape."""

    __slots__ = ("values", "shape")

    def __init__(self, values, shape):
        self.values = values
        self.shape = shape

    def __reduce__(self):
        return StringTensor, (self.values, self.shape)


def encode(value):
    """The Arrow-backed form of a tensor value (numpy array, numpy scalar, bytes or None)."""
    if value is None:
        return None
    arr = np.asarray(value)
    if arr.dtype.kind in "OSU":
        flat = [v if isinstance(v, bytes) else str(v).encode() for v in arr.reshape(-1).tolist()]
        return StringTensor(pa.array(flat, type=pa.large_binary()), arr.shape)
    if not arr.flags.c_contiguous:
        arr = np.ascontiguousarray(arr)
    return NumericTensor(pa.py_buffer(arr.reshape(-1).view(np.uint8)), arr.dtype.str, arr.shape)


def decode(obj):
    """The numpy value of an encoded tensor (read-only when it shares the object store's memory)."""
    if obj is None:
        return None
    if isinstance(obj, StringTensor):
        out = np.empty(len(obj.values), dtype=object)
        out[:] = obj.values.to_pylist()
        return out.reshape(obj.shape) if obj.shape else out[0]
    arr = np.frombuffer(obj.buffer, dtype=np.dtype(obj.dtype)).reshape(obj.shape)
    return arr if obj.shape else arr[()]

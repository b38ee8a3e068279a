"""How tensors travel between devices: Arrow-backed values in the Ray object store.

Numeric tensors become `pyarrow.Tensor` (zero-copy over the numpy buffer, and zero-copy again when
read back on the same node); string tensors become an Arrow `large_binary` array plus their shape,
which Ray moves without pickling each string.
"""
import numpy as np
import pyarrow as pa


class StringTensor:
    """A string tensor as an Arrow binary array and a shape."""

    __slots__ = ("values", "shape")

    def __init__(self, values, shape):
        self.values = values
        self.shape = shape

    def __reduce__(self):
        return StringTensor, (self.values, self.shape)


class Scalar:
    """A numpy scalar (pyarrow.Tensor needs at least one dimension)."""

    __slots__ = ("array",)

    def __init__(self, array):
        self.array = array

    def __reduce__(self):
        return Scalar, (self.array,)


def encode(value):
    """The Arrow-backed form of a tensor value (numpy array, numpy scalar, bytes or None)."""
    if value is None:
        return None
    arr = np.asarray(value)
    if arr.dtype.kind in "OSU":
        flat = [v if isinstance(v, bytes) else str(v).encode() for v in arr.reshape(-1).tolist()]
        return StringTensor(pa.array(flat, type=pa.large_binary()), arr.shape)
    if arr.ndim == 0:
        return Scalar(pa.Tensor.from_numpy(arr.reshape(1)))
    if not arr.flags.c_contiguous:
        arr = np.ascontiguousarray(arr)
    return pa.Tensor.from_numpy(arr)


def decode(obj):
    """The numpy value of an encoded tensor (read-only when it shares the object store's memory)."""
    if obj is None:
        return None
    if isinstance(obj, StringTensor):
        out = np.empty(len(obj.values), dtype=object)
        out[:] = obj.values.to_pylist()
        return out.reshape(obj.shape) if obj.shape else out[0]
    if isinstance(obj, Scalar):
        return obj.array.to_numpy()[0]
    return obj.to_numpy()


def register_serializers():
    """Teach Ray (in this process) to move pyarrow.Tensor zero-copy, via its numpy view."""
    import ray.util
    ray.util.register_serializer(pa.Tensor, serializer=lambda t: t.to_numpy(), deserializer=pa.Tensor.from_numpy)

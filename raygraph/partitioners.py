"""TF1's partitioners (how many slices a partitioned variable gets per axis) and create_partitioned_variables."""
import math

from . import dtypes
from .default_graph import name_scope
from .shape import TensorShape
from .variable_scope import _store, get_variable_scope, variable_scope


def fixed_size_partitioner(num_shards, axis=0):
    """`num_shards` slices along `axis` (fewer if the axis is shorter)."""
    def partitioner(shape, **unused_args):
        out = [1] * len(shape)
        out[axis] = min(num_shards, shape.dims[axis].value)
        return out
    return partitioner


def _element_size(dtype, bytes_per_string_element):
    dtype = dtypes.as_dtype(dtype)
    return bytes_per_string_element if dtype.base_dtype is dtypes.string else dtype.size


def variable_axis_size_partitioner(max_shard_bytes, axis=0, bytes_per_string_element=16, max_shards=None):
    """Slices along `axis` of at most `max_shard_bytes` each (at most `max_shards` of them)."""
    if max_shard_bytes < 1 or bytes_per_string_element < 1:
        raise ValueError(f"Both max_shard_bytes and bytes_per_string_element must be positive. Currently, "
                         f"max_shard_bytes is {max_shard_bytes} andbytes_per_string_element is "
                         f"{bytes_per_string_element}")
    if max_shards and max_shards < 1:
        raise ValueError("max_shards must be positive.")

    def partitioner(shape, dtype):
        if not isinstance(shape, TensorShape):
            raise ValueError(f"shape is not a TensorShape: {shape}")
        if not shape.is_fully_defined():
            raise ValueError(f"shape is not fully defined: {shape}")
        out = [1] * shape.ndims
        per_slice = 1.0 * (shape.num_elements() / shape.dims[axis].value) * _element_size(
            dtype, bytes_per_string_element)
        slices_per_shard = max(1, math.floor(max_shard_bytes / per_slice))
        shards = int(math.ceil(1.0 * shape.dims[axis].value / slices_per_shard))
        out[axis] = min(max_shards, shards) if max_shards else shards
        return out
    return partitioner


def min_max_variable_partitioner(max_partitions=1, axis=0, min_slice_size=256 << 10, bytes_per_string_element=16):
    """Slices along `axis` of at least `min_slice_size` bytes, at most `max_partitions` of them."""
    def partitioner(shape, dtype):
        if axis >= len(shape):
            raise ValueError(f"Cannot partition variable along axis {axis} when shape is only {shape}")
        total = shape.num_elements() * _element_size(dtype, bytes_per_string_element)
        out = [1] * len(shape)
        out[axis] = max(1, min(shape.dims[axis].value, max_partitions, int(math.ceil(total / min_slice_size))))
        return out
    return partitioner


def create_partitioned_variables(shape, slicing, initializer, dtype=dtypes.float32, trainable=True, collections=None,
                                 name=None, reuse=None):
    """The parts (a list of variables) of a variable of `shape` sliced as `slicing` says (deprecated TF1 API)."""
    if len(shape) != len(slicing):
        raise ValueError(f"The 'shape' and 'slicing' of a partitioned Variable must have the length: shape: {shape}, "
                         f"slicing: {slicing}")
    if len(shape) < 1:
        raise ValueError(f"A partitioned Variable must have rank at least 1: shape: {shape}")
    with variable_scope(name, "PartitionedVariable", reuse=reuse):
        scope = get_variable_scope()
        with name_scope(None):
            var = _store().get_variable(scope.name, shape=shape, dtype=dtypes.as_dtype(dtype),
                                        initializer=initializer, reuse=scope.reuse, trainable=trainable,
                                        collections=collections, partitioner=lambda **unused: slicing)
        return list(var)

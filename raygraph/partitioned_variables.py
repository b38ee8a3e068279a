"""Partitioned variables: one logical variable stored as slices `w/part_0`, `w/part_1`... along one axis.

`get_variable(..., partitioner=p)` asks `p(shape=, dtype=)` for the number of slices per axis (at most one
axis above 1), makes one variable per slice (its initializer told the slice's place through
`partition_info`) and returns a PartitionedVariable, which reads as the concatenation of its parts
(`w/ConcatPartitions/concat`, then an Identity named `w`) and iterates over them.
"""
import collections.abc

from .convert import register_tensor_conversion_function
from .default_graph import control_dependencies, name_scope
from .shape import TensorShape, as_shape
from .ops.array import identity
from .ops.joining import concat


class SaveSliceInfo:
    """Where a part lies in its full variable (TF's Variable.SaveSliceInfo)."""

    def __init__(self, full_name=None, full_shape=None, var_offset=None, var_shape=None):
        self.full_name, self.full_shape, self.var_offset, self.var_shape = full_name, full_shape, var_offset, var_shape

    @property
    def spec(self):
        """TF's slice spec string: the full shape, then offset,length per dimension."""
        dims = " ".join(str(d) for d in self.full_shape)
        return dims + " " + ":".join(f"{o},{n}" for o, n in zip(self.var_offset, self.var_shape))


class PartitionInfo:
    """What a partitioned variable's initializer is told: the full shape and this part's offset."""

    def __init__(self, full_shape, var_offset):
        self.full_shape, self.var_offset = full_shape, var_offset

    def single_offset(self, shape):
        dim = self.single_slice_dim(shape)
        return 0 if dim is None else self.var_offset[dim]

    def single_slice_dim(self, shape):
        for i, (full, part) in enumerate(zip(self.full_shape, shape)):
            if full != part:
                return i
        return None


class PartitionedVariable:
    """A variable kept as slices (its parts, in offset order); used as a tensor it is their concatenation."""

    def __init__(self, name, shape, dtype, variable_list, partitions):
        self._variable_list = sorted(variable_list, key=lambda v: v._save_slice_info.var_offset)
        self._name, self._shape, self._dtype, self._partitions = name, as_shape(shape), dtype, list(partitions)

    def __iter__(self):
        return iter(self._variable_list)

    def __len__(self):
        n = len(self._partition_axes())
        if n > 1:
            raise ValueError(f"Cannot get a length for {n} > 1 partition axes")
        return len(self._variable_list)

    def _partition_axes(self):
        axes = [i for i, p in enumerate(self._partitions) if p > 1]
        return axes or [0]

    def _concat(self):
        if len(self._variable_list) == 1:
            with name_scope(None):
                return identity(self._variable_list[0], name=self._name)
        axis = self._partition_axes()[0]
        with name_scope(self._name + "/ConcatPartitions/"):
            joined = concat(self._variable_list, axis)
        with name_scope(None):
            return identity(joined, name=self._name)

    def as_tensor(self):
        """The concatenation of the parts (made outside any control dependencies)."""
        with control_dependencies(None):
            return self._concat()

    name = property(lambda self: self._name)
    dtype = property(lambda self: self._dtype)
    shape = property(lambda self: self._shape)

    def get_shape(self):
        return self._shape

    def _get_variable_list(self):
        return self._variable_list

    def _get_partitions(self):
        return self._partitions

    def __repr__(self):
        return f"<PartitionedVariable {self._name} shape={self._shape} parts={len(self._variable_list)}>"


def _convert(v, dtype=None, name=None, as_ref=False):
    if dtype is not None and not dtype.is_compatible_with(v.dtype):
        raise ValueError(f"Incompatible type conversion requested to type '{dtype.name}' for variable of type "
                         f"'{v.dtype.name}'")
    if as_ref:
        raise NotImplementedError("PartitionedVariable doesn't support being used as a reference.")
    return v.as_tensor()


register_tensor_conversion_function(PartitionedVariable, _convert)


# ----- making one --------------------------------------------------------------------------------------------
def slicing(partitioner, shape, dtype):
    """The partitioner's slices per axis, checked as TF checks them."""
    if not shape.is_fully_defined():
        raise ValueError(f"Shape of a new partitioned variable must be fully defined, but instead was {shape}.")
    if shape.ndims < 1:
        raise ValueError(f"A partitioned Variable must have rank at least 1, shape: {shape}")
    out = partitioner(shape=shape, dtype=dtype)
    if not isinstance(out, collections.abc.Sequence):
        raise ValueError(f"Partitioner must return a sequence, but saw: {out}")
    if len(out) != shape.ndims:
        raise ValueError(f"Partitioner returned a partition list that does not match the Variable's rank: {out} "
                         f"vs. {shape}")
    if any(p < 1 for p in out):
        raise ValueError(f"Partitioner returned zero partitions for some axes: {out}")
    if sum(p > 1 for p in out) > 1:
        raise ValueError(f"Can only slice a variable along one dimension: shape: {shape}, partitioning: {out}")
    return list(out)


def slices(full_shape, partitions):
    """(offset, shape) of each part: the first `size % n` parts one longer, as TF slices."""
    dim = next((i for i, p in enumerate(partitions) if p > 1), 0)
    n = partitions[dim] if partitions else 1
    extra, base = full_shape[dim] % n, full_shape[dim] // n
    offset = [0] * len(full_shape)
    for i in range(n):
        shape = list(full_shape)
        shape[dim] = base + (1 if i < extra else 0)
        yield list(offset), shape
        offset[dim] += shape[dim]


def make(name, shape, dtype, partitions, make_part):
    """A PartitionedVariable of parts `make_part(part_name, part_shape, partition_info)`."""
    full = as_shape(shape).as_list()
    parts = []
    for i, (offset, part_shape) in enumerate(slices(full, partitions)):
        v = make_part(f"{name}/part_{i}", part_shape, PartitionInfo(full, offset))
        v._save_slice_info = SaveSliceInfo(name, full, offset, part_shape)
        parts.append(v)
    return PartitionedVariable(name, TensorShape(full), dtype, parts, partitions)

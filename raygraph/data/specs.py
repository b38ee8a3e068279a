"""Type specs of what a dataset holds (TF's `element_spec`, `tf.data.DatasetSpec`, the `*Structure` names of
`tf.data.experimental`): a dtype and static shape per component, compared and printed as TF's."""
from .. import dtypes
from ..shape import as_shape
from . import structure as nest


class Structure:
    """The base of the specs (TF's TypeSpec)."""

    _fields = ()

    def _key(self):
        return tuple(getattr(self, f) for f in self._fields)

    def __eq__(self, other):
        return type(self) is type(other) and self._key() == other._key()

    def __ne__(self, other):
        return not self == other

    def __hash__(self):
        return hash((type(self).__name__,) + tuple(str(k) for k in self._key()))

    def __repr__(self):  # TF's TypeSpec: its fields' reprs in order
        return f"{self._name}({', '.join(_show(getattr(self, f)) for f in self._fields)})"


def _show(value):
    return f"tf.{value.name}" if isinstance(value, dtypes.DType) else repr(value)


class TensorSpec(Structure):
    _name, _fields = "TensorSpec", ("shape", "dtype", "name")

    def __init__(self, shape, dtype=dtypes.float32, name=None):
        self.shape, self.dtype, self.name = as_shape(shape), dtypes.as_dtype(dtype), name

    def __repr__(self):
        return f"TensorSpec(shape={self.shape}, dtype=tf.{self.dtype.name}, name={self.name!r})"

    def is_compatible_with(self, other):
        return isinstance(other, TensorSpec) and self.dtype == other.dtype and \
            self.shape.is_compatible_with(other.shape)


class SparseTensorSpec(Structure):
    _name, _fields = "SparseTensorSpec", ("shape", "dtype")

    def __init__(self, shape=None, dtype=dtypes.float32):
        self.shape, self.dtype = as_shape(shape), dtypes.as_dtype(dtype)


class TensorArraySpec(Structure):
    _name, _fields = "TensorArraySpec", ("element_shape", "dtype", "dynamic_size", "infer_shape")

    def __init__(self, element_shape=None, dtype=dtypes.float32, dynamic_size=False, infer_shape=True):
        self.element_shape, self.dtype = as_shape(element_shape), dtypes.as_dtype(dtype)
        self.dynamic_size, self.infer_shape = dynamic_size, infer_shape


class RaggedTensorSpec(Structure):
    _name, _fields = "RaggedTensorSpec", ("shape", "dtype", "ragged_rank")

    def __init__(self, shape=None, dtype=dtypes.float32, ragged_rank=None):
        self.shape, self.dtype = as_shape(shape), dtypes.as_dtype(dtype)
        self.ragged_rank = ragged_rank if ragged_rank is not None else max((self.shape.ndims or 1) - 1, 0)


class DatasetSpec(Structure):
    """The spec of a dataset (as a component: `window`'s datasets, a dataset-valued function's result)."""

    _name, _fields = "DatasetSpec", ("element_spec", "dataset_shape")

    def __init__(self, element_spec, dataset_shape=()):
        self.element_spec, self.dataset_shape = element_spec, as_shape(dataset_shape)

    @staticmethod
    def from_value(value):
        return DatasetSpec(value.element_spec)


class OptionalSpec(Structure):
    """The spec of an `Optional` holding an element of `element_spec`."""

    _name, _fields = "OptionalSpec", ("element_spec",)

    def __init__(self, element_spec):
        self.element_spec = element_spec

    @staticmethod
    def from_value(value):
        return OptionalSpec(value.element_spec)


def element_spec(structure):
    """The specs of a structure of `structure.Spec`s (a dataset's `_structure`)."""
    return nest.map_structure(lambda s: DatasetSpec(element_spec(s.inner)) if s.inner is not None else
                              SparseTensorSpec(s.shape, s.dtype) if s.sparse else TensorSpec(s.shape, s.dtype),
                              structure)


# tf.data.experimental's old names: functions of (dtype, shape) in TF's order
def TensorStructure(dtype, shape):  # noqa: N802 - TF's name
    return TensorSpec(shape, dtype)


def SparseTensorStructure(dtype, shape):  # noqa: N802 - TF's name
    return SparseTensorSpec(shape, dtype)


def TensorArrayStructure(dtype, element_shape, dynamic_size, infer_shape):  # noqa: N802 - TF's name
    return TensorArraySpec(element_shape, dtype, dynamic_size, infer_shape)


def RaggedTensorStructure(dtype, shape, ragged_rank):  # noqa: N802 - TF's name
    return RaggedTensorSpec(shape, dtype, ragged_rank)

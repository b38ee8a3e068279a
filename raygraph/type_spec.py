"""Type specs: what a value's type is without the value (`tf.TensorSpec`, `tf.SparseTensorSpec`...).

raygraph's specs describe values (shape, dtype, and what kind of value); TF 2's function tracing,
the only thing that turns specs back into values, is out of scope.
"""
from . import dtypes
from .convert import convert_to_tensor
from .shape import TensorShape, as_shape
from .tensor import Tensor
from .ops.indexed_slices import IndexedSlices
from .ops.shape_fns import constant_value_as_shape
from .ops.sparse_tensor import SparseTensor
from .ops.tensor_array import TensorArray


class TypeSpec:
    """The type of a value: the base class of the specs (abstract: use a subclass)."""

    __slots__ = ()

    def __init__(self):
        raise TypeError(f"Can't instantiate abstract class {type(self).__name__}")

    value_type = property(lambda self: None)

    def _fields(self):
        raise NotImplementedError

    def is_compatible_with(self, spec_or_value):
        """Whether `spec_or_value` (a spec or a value) could have this type."""
        other = spec_or_value if isinstance(spec_or_value, TypeSpec) else _spec_of(spec_or_value)
        if other is None or type(other) is not type(self):
            return False
        return all(_compatible(a, b) for a, b in zip(self._fields(), other._fields()))

    def most_specific_common_supertype(self, others):
        """The most specific spec compatible with this one and each of `others` (None if there is none)."""
        out = self
        for other in others:
            if type(other) is not type(out):
                return None
            fields = [_common(a, b) for a, b in zip(out._fields(), other._fields())]
            if any(f is _NONE for f in fields):
                return None
            out = type(out)(*fields)
        return out

    def most_specific_compatible_type(self, other):
        """Deprecated TF name of `most_specific_common_supertype`; ValueError if there is none."""
        out = self.most_specific_common_supertype([other])
        if out is None:
            raise ValueError(f"No TypeSpec is compatible with both {self} and {other}")
        return out

    def __eq__(self, other):
        return type(other) is type(self) and self._fields() == other._fields()

    def __ne__(self, other):
        return not self == other

    def __hash__(self):
        return hash((type(self).__name__,) + tuple(_hashable(f) for f in self._fields()))

    def __repr__(self):
        return f"{type(self).__name__}({', '.join(_field_repr(f) for f in self._fields())})"


_NONE = object()


def _compatible(a, b):
    if isinstance(a, TensorShape):
        return a.is_compatible_with(b)
    if isinstance(a, TypeSpec):
        return a.is_compatible_with(b)
    if isinstance(a, str) or isinstance(b, str):
        return True  # names never make types incompatible
    return a is None or b is None or a == b


def _common(a, b):
    if isinstance(a, TensorShape):
        return a.most_specific_compatible_shape(b)
    if isinstance(a, TypeSpec):
        c = a.most_specific_common_supertype([b])
        return _NONE if c is None else c
    if isinstance(a, str) or a is None or b is None:
        return a if a == b else None  # a name kept only when both agree
    return a if a == b else _NONE


def _hashable(f):
    return tuple(f.as_list()) if isinstance(f, TensorShape) and f.ndims is not None else f if not isinstance(
        f, TensorShape) else None


def _field_repr(f):
    return repr(f)


class TensorSpec(TypeSpec):
    """The type of a Tensor: its shape, dtype and (optionally) a name."""

    __slots__ = ("_shape", "_dtype", "_name")

    def __init__(self, shape, dtype=dtypes.float32, name=None):
        self._shape = as_shape(shape)
        self._dtype = dtypes.as_dtype(dtype)
        self._name = name

    shape = property(lambda self: self._shape)
    dtype = property(lambda self: self._dtype)
    name = property(lambda self: self._name)
    value_type = property(lambda self: Tensor)

    def _fields(self):
        return (self._shape, self._dtype, self._name)

    @classmethod
    def from_spec(cls, spec, name=None):
        return cls(spec.shape, spec.dtype, name or getattr(spec, "name", None))

    @classmethod
    def from_tensor(cls, tensor, name=None):
        """The spec of `tensor`, named `name` or after its op."""
        if not isinstance(tensor, Tensor):
            raise ValueError(f"`tensor` should be a tf.Tensor, but got type {type(tensor)}.")
        return cls(tensor.shape, tensor.dtype, name or tensor.op.name)

    def is_compatible_with(self, spec_or_tensor):
        if not isinstance(spec_or_tensor, (TensorSpec, Tensor)):
            return False  # TF's graph-mode TensorSpec compares with Tensors and TensorSpecs only
        return (self._dtype.is_compatible_with(spec_or_tensor.dtype)
                and self._shape.is_compatible_with(spec_or_tensor.shape))

    def __repr__(self):
        return f"TensorSpec(shape={self._shape}, dtype={self._dtype!r}, name={self._name!r})"


class SparseTensorSpec(TypeSpec):
    """The type of a SparseTensor: its dense shape and dtype."""

    __slots__ = ("_shape", "_dtype")

    def __init__(self, shape=None, dtype=dtypes.float32):
        self._shape = as_shape(shape)
        self._dtype = dtypes.as_dtype(dtype)

    shape = property(lambda self: self._shape)
    dtype = property(lambda self: self._dtype)
    value_type = property(lambda self: SparseTensor)

    def _fields(self):
        return (self._shape, self._dtype)

    @classmethod
    def from_value(cls, value):
        return cls(value.get_shape(), value.dtype)


class IndexedSlicesSpec(TypeSpec):
    """The type of an IndexedSlices: its dense shape, dtypes, and the shape of its indices."""

    __slots__ = ("_shape", "_values_dtype", "_indices_dtype", "_dense_shape_dtype", "_indices_shape")

    def __init__(self, shape=None, dtype=dtypes.float32, indices_dtype=dtypes.int64, dense_shape_dtype=None,
                 indices_shape=None):
        self._shape = as_shape(shape)
        self._values_dtype = dtypes.as_dtype(dtype)
        self._indices_dtype = dtypes.as_dtype(indices_dtype)
        self._dense_shape_dtype = None if dense_shape_dtype is None else dtypes.as_dtype(dense_shape_dtype)
        self._indices_shape = as_shape(indices_shape).with_rank(1)

    shape = property(lambda self: self._shape)
    dtype = property(lambda self: self._values_dtype)
    value_type = property(lambda self: IndexedSlices)

    def _fields(self):
        return (self._shape, self._values_dtype, self._indices_dtype, self._dense_shape_dtype, self._indices_shape)


class NoneTensorSpec(TypeSpec):
    """The type of None where a value may be missing."""

    __slots__ = ()

    def __init__(self):
        pass

    value_type = property(lambda self: type(None))

    def _fields(self):
        return ()


class OptionalSpec(TypeSpec):
    """The type of an optional value holding a value of type `element_spec` (tf.data's Optional)."""

    __slots__ = ("_element_spec",)

    def __init__(self, element_spec):
        self._element_spec = element_spec

    element_spec = property(lambda self: self._element_spec)

    def _fields(self):
        return (self._element_spec,)

    def __repr__(self):
        return f"OptionalSpec({self._element_spec!r},)"


class TensorArraySpec(TypeSpec):
    """The type of a TensorArray: its elements' shape and dtype, whether it grows, whether it infers shapes."""

    __slots__ = ("_element_shape", "_dtype", "_dynamic_size", "_infer_shape")

    def __init__(self, element_shape=None, dtype=dtypes.float32, dynamic_size=False, infer_shape=True):
        self._element_shape = as_shape(element_shape)
        self._dtype = dtypes.as_dtype(dtype)
        self._dynamic_size = dynamic_size
        self._infer_shape = infer_shape

    value_type = property(lambda self: TensorArray)

    def _fields(self):
        return (self._element_shape, self._dtype, self._dynamic_size, self._infer_shape)


def _spec_of(value):
    if value is None:
        return NoneTensorSpec()
    if isinstance(value, TypeSpec):
        return value
    if isinstance(value, Tensor):
        return TensorSpec(value.shape, value.dtype)
    if isinstance(value, SparseTensor):
        return SparseTensorSpec.from_value(value)
    if isinstance(value, IndexedSlices):
        ds = value.dense_shape
        shape = TensorShape([None]).concatenate(value.values.shape[1:])
        if ds is not None:
            shape = shape.merge_with(constant_value_as_shape(ds))
        return IndexedSlicesSpec(shape, value.values.dtype, value.indices.dtype,
                                 None if ds is None else ds.dtype, value.indices.shape)
    return None


def type_spec_from_value(value):
    """The TypeSpec of `value`: a Tensor's, a SparseTensor's...; other values as the tensor they convert to."""
    spec = _spec_of(value)
    if spec is not None:
        return spec
    try:
        return _spec_of(convert_to_tensor(value))
    except (TypeError, ValueError):
        raise TypeError(f"Could not build a TypeSpec for {value!r} with type {type(value).__name__}") from None

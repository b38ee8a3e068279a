"""`tf.SparseTensor`: a dense tensor of `dense_shape` given by the entries `values[i]` at `indices[i]` (zero
elsewhere), held as three tensors: int64 `indices` [N, rank], `values` [N], int64 `dense_shape` [rank].

It is not a Tensor: converting one to a Tensor is a TypeError, as in TF; ops over it take its three parts
(ops/sparse_*.py). A session fetches one as a `SparseTensorValue`, and a `sparse_placeholder` is fed a
SparseTensorValue or an (indices, values, dense_shape) tuple.
"""
import collections

import numpy as np

from .. import dtypes
from ..convert import convert_to_tensor, register_tensor_conversion_function
from ..default_graph import name_scope
from ..shape import as_shape, dimension_value, unknown_shape
from ..tensor import Tensor
from . import array
from .array import placeholder, placeholder_with_default
from .registry import apply_op
from .shape_fns import constant_value, constant_value_as_shape

SparseTensorValue = collections.namedtuple("SparseTensorValue", ["indices", "values", "dense_shape"])


class SparseTensor:
    """A sparse tensor: `dense[tuple(indices[i])] = values[i]`, of shape `dense_shape`.

    >>> st = tf.SparseTensor(indices=[[0, 0], [1, 2]], values=[1, 2], dense_shape=[3, 4])
    """

    def __init__(self, indices, values, dense_shape):
        with name_scope(None, "SparseTensor", [indices, values, dense_shape]):
            indices = convert_to_tensor(indices, name="indices", dtype=dtypes.int64)
            values = convert_to_tensor(values, name="values")
            dense_shape = convert_to_tensor(dense_shape, name="dense_shape", dtype=dtypes.int64)
        self._indices, self._values, self._dense_shape = indices, values, dense_shape
        self._dense_shape_default = static_dense_shape(dense_shape)
        indices_shape = indices.shape.with_rank(2)
        values_shape = values.shape.with_rank(1)
        shape_shape = dense_shape.shape.with_rank(1)
        indices_shape.dims[0].assert_is_compatible_with(values_shape.dims[0])
        indices_shape.dims[1].assert_is_compatible_with(shape_shape.dims[0])

    @classmethod
    def from_value(cls, sparse_tensor_value):
        """A SparseTensor of a SparseTensorValue (or of another SparseTensor's parts)."""
        if not is_sparse(sparse_tensor_value):
            raise TypeError(f"Argument sparse_tensor_value={sparse_tensor_value} is neither a SparseTensor nor "
                            f"SparseTensorValue.")
        v = sparse_tensor_value
        return SparseTensor(indices=v.indices, values=v.values, dense_shape=v.dense_shape)

    indices = property(lambda self: self._indices, doc="The int64 [N, rank] indices of the entries.")
    values = property(lambda self: self._values, doc="The [N] values of the entries.")
    dense_shape = property(lambda self: self._dense_shape, doc="The int64 [rank] shape of the dense tensor.")
    op = property(lambda self: self._values.op, doc="The op that produces `values`.")
    dtype = property(lambda self: self._values.dtype)
    graph = property(lambda self: self._indices.graph)
    shape = property(lambda self: self._dense_shape_default, doc="The dense tensor's static shape.")

    def get_shape(self):
        return self._dense_shape_default

    def set_shape(self, shape):
        """Refines the static shape of the dense tensor (a ValueError if incompatible)."""
        self._dense_shape_default = self._dense_shape_default.merge_with(as_shape(shape))

    def with_values(self, new_values):
        """The same indices and dense shape with other values."""
        return SparseTensor(self._indices, new_values, self._dense_shape)

    def consumers(self):
        return [op for t in (self._indices, self._values, self._dense_shape) for op in t.consumers()]

    def eval(self, feed_dict=None, session=None):
        """Its value, a SparseTensorValue, in `session` or the default session."""
        from ..session import eval_in_session  # eval needs a session: sessions sit above the op families
        return eval_in_session([self], feed_dict, self.graph, session, "tensor")[0]

    def __repr__(self):
        return f"SparseTensor(indices={self._indices}, values={self._values}, dense_shape={self._dense_shape})"

    # A SparseTensor times (or over) a dense tensor: TF's only operators on it.
    def __mul__(self, other):
        return _cwise("SparseDenseCwiseMul", self, other, "mul")

    def __truediv__(self, other):
        return _cwise("SparseDenseCwiseDiv", self, other, "truediv", truediv=True)

    def __div__(self, other):
        return _cwise("SparseDenseCwiseDiv", self, other, "div")


# int inputs of `/` are cast first, as TF's truediv does
_TRUEDIV = {dtypes.uint8: dtypes.float32, dtypes.int8: dtypes.float32, dtypes.uint16: dtypes.float32,
            dtypes.int16: dtypes.float32, dtypes.uint32: dtypes.float64, dtypes.int32: dtypes.float64,
            dtypes.uint64: dtypes.float64, dtypes.int64: dtypes.float64}


def _cwise(op_type, sp, dense, name, truediv=False):
    with name_scope(None, name, [sp, dense]) as scope:
        values = sp.values
        dense = convert_to_tensor(dense, dtype=sp.dtype.base_dtype, name="y")
        target = _TRUEDIV.get(sp.dtype.base_dtype) if truediv else None
        if target is not None:
            values = apply_op("Cast", [values], {"DstT": target}, name="Cast")
            dense = apply_op("Cast", [dense], {"DstT": target}, name="Cast")
        out = apply_op(op_type, [sp.indices, values, sp.dense_shape, dense], {}, name=scope)
        return SparseTensor(sp.indices, out, sp.dense_shape)


# The op types whose values TF's Python `constant_value` knows: a SparseTensor's static shape comes from those
# only (TF's `constant_value_as_shape`), not from the shape refiner's wider folding.
_PYTHON_FOLDABLE = {"Const", "Shape", "Size", "Rank", "Range", "Cast", "ConcatV2", "Pack", "Fill", "Identity",
                    "StopGradient", "Equal", "NotEqual"}


def _foldable(t):
    return t.op.type in _PYTHON_FOLDABLE and all(_foldable(x) for x in t.op.inputs)


def static_dense_shape(dense_shape):
    """The dense shape a 1-D shape tensor statically tells, as TF's Python `constant_value_as_shape` sees it."""
    op = dense_shape.op
    if op.type == "ConcatV2":
        out = as_shape([])
        for part in op.inputs[:-1]:
            out = out.concatenate(static_dense_shape(part))
        return out
    if op.type == "Pack":
        return as_shape([None if not _foldable(x) or int(constant_value(x)) < 0 else int(constant_value(x))
                         for x in op.inputs])
    if op.type == "StridedSlice" and all(_foldable(x) for x in op.inputs[1:]) and not (
            op._attrs["ellipsis_mask"] or op._attrs["new_axis_mask"] or op._attrs["shrink_axis_mask"]):
        whole = static_dense_shape(op.inputs[0])
        if whole.ndims is not None:
            picked = op._def.kernel(op._attrs, np.array(whole.as_list(), dtype=object),
                                    *[constant_value(x) for x in op.inputs[1:]])
            return as_shape(list(picked))
    if _foldable(dense_shape) or op.type == "Shape":
        return constant_value_as_shape(dense_shape)
    return unknown_shape(dense_shape.shape[0].value if dense_shape.shape.ndims == 1 else None)


def _no_conversion(value, dtype=None, name=None, as_ref=False):
    raise TypeError(f"Failed to convert elements of {value} to Tensor. Consider casting elements to a supported "
                    f"type. See https://www.tensorflow.org/api_docs/python/tf/dtypes for supported TF dtypes.")


register_tensor_conversion_function(SparseTensor, _no_conversion)


def is_sparse(x):
    return isinstance(x, (SparseTensor, SparseTensorValue))


def convert_to_tensor_or_sparse_tensor(value, dtype=None, name=None):
    """`value` as a SparseTensor if it is sparse (checking `dtype`), else as a Tensor."""
    dtype = dtypes.as_dtype(dtype) if dtype is not None else None
    if isinstance(value, SparseTensorValue):
        value = SparseTensor.from_value(value)
    if isinstance(value, SparseTensor):
        if dtype and not dtype.is_compatible_with(value.dtype):
            raise RuntimeError(f"Sparse dtype mismatch. Requested: {dtype.name},  Actual: {value.dtype.name}")
        return value
    return convert_to_tensor(value, dtype=dtype, name=name)


def sparse_placeholder(dtype, shape=None, name=None):
    """A SparseTensor of three placeholders, fed with a SparseTensorValue or an (indices, values, shape) tuple.

    A known `shape` is the default of the dense-shape placeholder (-1 for its unknown dims)."""
    shape_name = None if name is None else name + "/shape"
    if shape is None:
        rank = None
        dense_shape = placeholder(dtypes.int64, shape=[rank], name=shape_name)
        default = constant_value_as_shape(dense_shape)
    elif isinstance(shape, Tensor):  # TF: the rank from its static shape, the default from its constant value
        rank = shape.shape[0]
        default = constant_value_as_shape(shape)
        dense_shape = placeholder_with_default(shape, shape=shape.shape, name=shape_name)
    else:
        rank = len(shape)
        default = as_shape([None if d is None or dimension_value(d) in (None, -1) else d for d in shape])
        value = [-1 if d is None else d for d in default.as_list()]
        value = convert_to_tensor(value, dtype=dtypes.int64, name=None if name is None else name + "/shape_default")
        dense_shape = placeholder_with_default(value, shape=value.shape, name=shape_name)
    result = SparseTensor(values=placeholder(dtype, shape=[None], name=None if name is None else name + "/values"),
                          indices=placeholder(dtypes.int64, shape=[None, rank],
                                              name=None if name is None else name + "/indices"),
                          dense_shape=dense_shape)
    result.set_shape(default)
    return result
array.SPARSE_TYPES = (SparseTensor, SparseTensorValue)   # shape, size and rank read their dense_shape

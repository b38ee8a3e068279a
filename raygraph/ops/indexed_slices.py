"""`tf.IndexedSlices`: rows `values[i]` of a dense tensor at `indices[i]` (the rest zero); what the gradient of
a gather (an embedding lookup) is, so that an optimizer can update only the rows a step touched.

Densifying one (`convert_to_tensor`) is an `UnsortedSegmentSum` of its values into `dense_shape[0]` rows,
with TF's warning when the dense tensor would be huge; repeated indices add up, as everywhere in TF.
"""
import collections
import warnings

import numpy as np

from .. import dtypes
from ..convert import convert_to_tensor, register_tensor_conversion_function
from ..shape import TensorShape
from ..tensor import Tensor
from .registry import apply_op
from .shape_fns import constant_value, constant_value_as_shape

_LARGE_SPARSE_NUM_ELEMENTS = 100000000  # TF's threshold for its "may consume a large amount of memory" warning


class IndexedSlices:
    """A sparse tensor of slices: `dense[indices[i]] = values[i]`, of shape `dense_shape`.

    >>> g = tf.gradients(tf.reduce_sum(tf.gather(w, [0, 2])), w)[0]   # an IndexedSlices
    """

    def __init__(self, values, indices, dense_shape=None):
        self._values = values
        self._indices = indices
        self._dense_shape = dense_shape

    values = property(lambda self: self._values, doc="The values of the slices (a Tensor).")
    indices = property(lambda self: self._indices, doc="The 1-D indices of the slices (a Tensor).")
    dense_shape = property(lambda self: self._dense_shape, doc="The dense tensor's shape (a 1-D Tensor or None).")
    name = property(lambda self: self._values.name)
    device = property(lambda self: self._values.device)
    op = property(lambda self: self._values.op)
    dtype = property(lambda self: self._values.dtype)
    graph = property(lambda self: self._values.graph)

    @property
    def shape(self):
        """The dense tensor's static shape, as far as `dense_shape` tells."""
        if self._dense_shape is None:
            return TensorShape(None)
        return constant_value_as_shape(self._dense_shape)

    def consumers(self):
        return [op for t in (self._values, self._indices, self._dense_shape) if t is not None for op in t.consumers()]

    def __str__(self):
        shape = f", dense_shape={self._dense_shape}" if self._dense_shape is not None else ""
        return f"IndexedSlices(indices={self._indices}, values={self._values}{shape})"

    __repr__ = __str__

    def __neg__(self):
        return IndexedSlices(-self._values, self._indices, self._dense_shape)


IndexedSlicesValue = collections.namedtuple("IndexedSlicesValue", ["values", "indices", "dense_shape"])


def _to_tensor(value, dtype=None, name=None, as_ref=False):
    """TF's densifying conversion: the values summed into their rows."""
    if dtype and not dtype.is_compatible_with(value.dtype):
        raise ValueError(f"Incompatible tensor conversion requested to `dtype` {dtype.name} for IndexedSlices "
                         f"({value}) with dtype {value.dtype.name}")
    if value.dense_shape is None:
        raise ValueError(f"Tensor conversion requested for IndexedSlices for argument `value` without dense_shape: "
                         f"{value!s}")
    known = constant_value(value.dense_shape)
    if known is not None:
        n = int(np.prod(known))
        if n >= _LARGE_SPARSE_NUM_ELEMENTS:
            warnings.warn(f"Converting sparse IndexedSlices to a dense Tensor with {n} elements. This may consume "
                          f"a large amount of memory.")
    return apply_op("UnsortedSegmentSum", [value.values, value.indices, value.dense_shape[0]], {}, name=name)


register_tensor_conversion_function(IndexedSlices, _to_tensor)


def convert_to_tensor_or_indexed_slices(value, dtype=None, name=None):
    """`value` itself if it is IndexedSlices (checking `dtype`), else `convert_to_tensor(value)`."""
    if isinstance(value, IndexedSlices):
        if dtype and not dtype.is_compatible_with(value.dtype):
            raise ValueError(f"Tensor conversion requested dtype {dtype.name} for Tensor with dtype "
                             f"{value.dtype.name}: {value!r}")
        return value
    return convert_to_tensor(value, dtype=dtype, name=name)


def aggregate(grads):
    """TF's sum of several gradients when one is IndexedSlices: AddN (densifying) if any is dense, else the
    concatenation of their values and indices (int64 indices when int32 and int64 mix)."""
    grads = [g for g in grads if g is not None]
    if any(isinstance(g, Tensor) for g in grads):
        return apply_op("AddN", [grads], {"N": len(grads)})
    if len({g.indices.dtype.base_dtype for g in grads}) > 1:
        grads = [g if g.indices.dtype.base_dtype is not dtypes.int32 else IndexedSlices(
            g.values, apply_op("Cast", [g.indices], {"DstT": dtypes.int64}, name="Cast"), g.dense_shape)
            for g in grads]
    values = apply_op("ConcatV2", [[g.values for g in grads], 0], {"N": len(grads)}, name="concat")
    indices = apply_op("ConcatV2", [[g.indices for g in grads], 0], {"N": len(grads)}, name="concat")
    return IndexedSlices(values, indices, grads[0].dense_shape)

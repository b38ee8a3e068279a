"""An element's structure as tf.data sees it: tuples, namedtuples and dicts (sorted by key) nest; anything
else (a list included, which tf.data turns into one tensor; a SparseTensor or SparseTensorValue) is a leaf.

A SparseTensor component travels through a pipeline boxed, as in TF: one variant tensor of shape [3] holding
its indices, values and dense shape (`box`), or [n, 3] for a batch of n of them, and is unboxed
(`unbox`: a `DeserializeSparse` op) where a function or `get_next` hands it out."""
from .. import dtypes
from ..ops.joining import stack, unstack
from ..ops.registry import apply_op
from ..ops.serialization import serialize_sparse
from ..ops.sparse_tensor import SparseTensor, SparseTensorValue
from ..convert import convert_to_tensor
from ..shape import unknown_shape
from ..tensor import Tensor


def is_nested(x):
    return isinstance(x, (tuple, dict)) and not isinstance(x, SparseTensorValue)


def flatten(x):
    """The leaves of `x`, depth first (dicts by sorted key)."""
    if isinstance(x, dict):
        return [leaf for k in sorted(x) for leaf in flatten(x[k])]
    if isinstance(x, tuple) and not isinstance(x, SparseTensorValue):
        return [leaf for v in x for leaf in flatten(v)]
    return [x]


def pack(structure, flat):
    """`flat` leaves in the shape of `structure`."""
    it = iter(flat)
    out = _pack(structure, it)
    return out


def _pack(s, it):
    if isinstance(s, dict):
        packed = {k: _pack(s[k], it) for k in sorted(s)}
        return type(s)((k, packed[k]) for k in s) if type(s) is not dict else {k: packed[k] for k in s}
    if isinstance(s, tuple) and not isinstance(s, SparseTensorValue):
        values = [_pack(v, it) for v in s]
        return type(s)(*values) if hasattr(s, "_fields") else tuple(values)
    return next(it)


def map_structure(fn, x):
    return pack(x, [fn(leaf) for leaf in flatten(x)])


def same_structure(a, b):
    if isinstance(a, dict) or isinstance(b, dict):
        return isinstance(a, dict) and isinstance(b, dict) and sorted(a) == sorted(b) and all(
            same_structure(a[k], b[k]) for k in a)
    if isinstance(a, tuple) or isinstance(b, tuple):
        return isinstance(a, tuple) and isinstance(b, tuple) and len(a) == len(b) and all(
            same_structure(x, y) for x, y in zip(a, b))
    return True


class Spec:
    """A component's static type: dtype and shape; `inner`, for a component that is itself a dataset (the
    elements of `window`), that dataset's element structure; `sparse` for a SparseTensor (dtype and shape
    are its values' dtype and its dense shape)."""

    __slots__ = ("dtype", "inner", "shape", "sparse")

    def __init__(self, dtype, shape, inner=None, sparse=False):
        self.dtype, self.shape, self.inner, self.sparse = dtype, shape, inner, sparse

    def with_shape(self, shape):
        return Spec(self.dtype, shape, self.inner, self.sparse)

    @property
    def flat(self):
        """(dtype, static shape) of the tensor that carries the component (a boxed SparseTensor: a variant
        of unknown shape, [3] or [..., 3])."""
        return (dtypes.variant, unknown_shape()) if self.sparse else (self.dtype, self.shape)


def type_attrs(structure):
    """A dataset op's `output_types` and `output_shapes`: those of the tensors carrying its components."""
    flat = [s.flat for s in flatten(structure)]
    return {"output_types": [t for t, _ in flat], "output_shapes": [sh for _, sh in flat]}


def box(value):
    """A SparseTensor as its [3] variant (TF's SerializeSparse); other values as they are."""
    if isinstance(value, SparseTensor):
        return serialize_sparse(value, out_type=dtypes.variant)
    return value


def unbox(tensor, spec):
    """The component `spec` describes, from the tensor carrying it (TF's SparseTensorSpec
    `_from_compatible_tensor_list`: the dense shape's known dims become constants)."""
    if not spec.sparse:
        return tensor
    indices, values, dense_shape = apply_op("DeserializeSparse", [tensor], {"dtype": spec.dtype})
    rank = spec.shape.ndims
    indices.set_shape([None, rank])
    if spec.shape.is_fully_defined():
        dense_shape = convert_to_tensor(spec.shape.as_list(), dtype=dtypes.int64, name="shape")
    elif rank is not None and any(d is not None for d in spec.shape.as_list()):
        pieces = unstack(dense_shape, num=rank)
        for i, d in enumerate(spec.shape.as_list()):
            if d is not None:
                pieces[i] = convert_to_tensor(d, dtype=dtypes.int64)
        dense_shape = stack(pieces)
    else:
        dense_shape.set_shape([rank])
    return SparseTensor(indices, values, dense_shape)


class Structured:
    """TF's `output_types`/`output_shapes`/`output_classes` of an object with a `_structure` of Specs (a
    dataset's elements, an iterator's `get_next`)."""

    output_types = property(lambda self: map_structure(lambda s: s.dtype, self._structure))
    output_shapes = property(lambda self: map_structure(lambda s: s.shape, self._structure))
    output_classes = property(lambda self: map_structure(lambda s: SparseTensor if s.sparse else Tensor,
                                                         self._structure))

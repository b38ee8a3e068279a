"""`tf.sets`: per-row set operations over the last dimension of dense or sparse tensors; results are SparseTensors."""
from .ops import sets as _sets
from .ops.sets import set_size  # noqa: F401
from .ops.sparse_tensor import SparseTensor


def set_intersection(a, b, validate_indices=True):
    """The per-row intersection of the last dimensions of `a` and `b` (dense or sparse), as a SparseTensor."""
    return SparseTensor(*_sets.set_intersection(a, b, validate_indices))


def set_union(a, b, validate_indices=True):
    """The per-row union of the last dimensions of `a` and `b` (dense or sparse), as a SparseTensor."""
    return SparseTensor(*_sets.set_union(a, b, validate_indices))


def set_difference(a, b, aminusb=True, validate_indices=True):
    """The per-row difference `a - b` (or `b - a`) of the last dimensions, as a SparseTensor."""
    return SparseTensor(*_sets.set_difference(a, b, aminusb, validate_indices))


difference, intersection, size, union = set_difference, set_intersection, set_size, set_union

"""`tf.sets`: per-row set operations over the last dimension of dense or sparse tensors; results are sparse."""
from .ops.sets import set_difference, set_intersection, set_size, set_union  # noqa: F401

difference, intersection, size, union = set_difference, set_intersection, set_size, set_union

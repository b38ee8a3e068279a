"""An element's structure as tf.data sees it: tuples, namedtuples and dicts (sorted by key) nest; anything
else (a list included, which tf.data turns into one tensor) is a leaf."""
from ..tensor import Tensor


def is_nested(x):
    return isinstance(x, (tuple, dict))


def flatten(x):
    """The leaves of `x`, depth first (dicts by sorted key)."""
    if isinstance(x, dict):
        return [leaf for k in sorted(x) for leaf in flatten(x[k])]
    if isinstance(x, tuple):
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
    if isinstance(s, tuple):
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
    elements of `window`), that dataset's element structure."""

    __slots__ = ("dtype", "inner", "shape")

    def __init__(self, dtype, shape, inner=None):
        self.dtype, self.shape, self.inner = dtype, shape, inner


class Structured:
    """TF's `output_types`/`output_shapes`/`output_classes` of an object with a `_structure` of Specs (a
    dataset's elements, an iterator's `get_next`)."""

    output_types = property(lambda self: map_structure(lambda s: s.dtype, self._structure))
    output_shapes = property(lambda self: map_structure(lambda s: s.shape, self._structure))
    output_classes = property(lambda self: map_structure(lambda s: Tensor, self._structure))

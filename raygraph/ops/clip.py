"""Clipping by value and by norm (`tf.clip_by_value`, `clip_by_norm`, `clip_by_global_norm`,
`clip_by_average_norm`, `global_norm`), built from existing ops exactly as TF1's clip_ops.py builds them, so
op names, values and gradients match TF's."""
import collections.abc

import numpy as np

from .. import dtypes
from ..convert import constant, convert_to_tensor
from ..default_graph import colocate_with, name_scope
from ..errors import InvalidArgumentError
from .array import identity, rank, size, sum_to
from .filling import ones_like, range as range_, zeros_like
from .indexed_slices import IndexedSlices
from .joining import stack
from .math import cast, greater, less, logical_or, maximum, minimum, rsqrt, sqrt
from .nn import l2_loss
from .reduction import reduce_sum
from .registry import NUMBERS, op
from .shape_fns import same_shape
from .slicing import where


def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    """`t` with values below `clip_value_min` raised to it and values above `clip_value_max` lowered to it."""
    with name_scope(name, "clip_by_value", [t, clip_value_min, clip_value_max]) as name:
        values = convert_to_tensor(t, name="t")
        t_min = minimum(values, clip_value_max)
        values.shape.assert_is_compatible_with(t_min.shape)  # no broadcasting beyond t's shape
        t_max = maximum(t_min, clip_value_min, name=name)
        values.shape.assert_is_compatible_with(t_max.shape)
    return t_max


def clip_by_norm(t, clip_norm, axes=None, name=None):
    """`t * clip_norm / max(l2norm(t, axes), clip_norm)`: `t` scaled down to an L2-norm of at most `clip_norm`."""
    with name_scope(name, "clip_by_norm", [t, clip_norm]) as name:
        values = convert_to_tensor(_values(t), name="t")
        if np.isscalar(clip_norm):
            clip_norm = max(clip_norm, 0)
        else:
            clip_norm = cast(maximum(clip_norm, 0), dtype=values.dtype)
        l2sum = reduce_sum(values * values, axes, keepdims=True)
        pred = l2sum > 0
        l2sum_safe = where(pred, l2sum, ones_like(l2sum))  # two selects keep the gradient free of NaNs at 0
        l2norm = where(pred, sqrt(l2sum_safe), l2sum)
        intermediate = values * clip_norm
        values.shape.assert_is_compatible_with(intermediate.shape)
        clipped = identity(intermediate / maximum(l2norm, clip_norm), name=name)
        return IndexedSlices(clipped, t.indices, t.dense_shape) if isinstance(t, IndexedSlices) else clipped


def _values(t):
    """What a clip reads of `t`: the values of IndexedSlices (which stay sparse), else `t`."""
    return t.values if isinstance(t, IndexedSlices) else t


def _sequence(t_list):
    if not isinstance(t_list, collections.abc.Sequence) or isinstance(t_list, str):
        raise TypeError(f"`t_list` should be a sequence of tensors. Received {type(t_list)}.")
    return list(t_list)


def global_norm(t_list, name=None):
    """sqrt(sum of the squared L2-norms of the tensors in `t_list`); None entries are skipped."""
    t_list = _sequence(t_list)
    with name_scope(name, "global_norm", t_list) as name:
        values = [convert_to_tensor(_values(t), name=f"t_{i}") if t is not None else None
                  for i, t in enumerate(t_list)]
        half_squared_norms = []
        for v in values:
            if v is not None:
                with colocate_with(v):
                    half_squared_norms.append(l2_loss(v))
        half_squared_norm = reduce_sum(stack(half_squared_norms))
        return sqrt(half_squared_norm * constant(2.0, dtype=half_squared_norm.dtype), name="global_norm")


def clip_by_global_norm(t_list, clip_norm, use_norm=None, name=None):
    """(each of `t_list` times clip_norm / max(global_norm, clip_norm), the global norm)."""
    t_list = _sequence(t_list)
    if use_norm is None:
        use_norm = global_norm(t_list, name)
    with name_scope(name, "clip_by_global_norm", t_list + [clip_norm]) as name:
        scale_for_finite = clip_norm * minimum(1.0 / use_norm, constant(1.0, dtype=use_norm.dtype) / clip_norm)
        scale = scale_for_finite + (use_norm - use_norm)  # NaN when the norm is not finite
        values = [convert_to_tensor(_values(t), name=f"t_{i}") if t is not None else None
                  for i, t in enumerate(t_list)]
        clipped = []
        for i, v in enumerate(values):
            if v is None:
                clipped.append(None)
                continue
            with colocate_with(v):
                clipped.append(identity(v * cast(scale, v.dtype), name=f"{name}_{i}"))
        clipped = [IndexedSlices(c, t.indices, t.dense_shape) if isinstance(t, IndexedSlices) else c
                   for c, t in zip(clipped, t_list)]
    return clipped, use_norm


def clip_by_average_norm(t, clip_norm, name=None):
    """`t` scaled so that its L2-norm divided by its number of elements is at most `clip_norm`."""
    with name_scope(name, "clip_by_average_norm", [t, clip_norm]) as name:
        t = convert_to_tensor(t, name="t")
        n_element = cast(size(t), dtypes.float32)
        l2norm_inv = rsqrt(reduce_sum(t * t, range_(rank(t))))
        return identity(t * clip_norm * minimum(l2norm_inv * n_element, constant(1.0) / clip_norm), name=name)


# ----- ClipByValue (the op TF's saturate_cast clamps with) -------------------------------------------------------
def _clip_kernel(a, t, lo, hi):
    for bound in (lo, hi):
        if np.ndim(bound) != 0 and np.shape(bound) != np.shape(t):
            raise InvalidArgumentError(None, None, "clip_value_min and clip_value_max must be either scalars or "
                                       f"have the same shape as t: {list(np.shape(t))}")
    return np.minimum(np.maximum(t, lo), hi).astype(t.dtype)


def _clip_grad(op, g):
    t, lo, hi = op.inputs
    below, above = less(t, lo), greater(t, hi)
    zeros = zeros_like(g)
    return [where(logical_or(below, above), zeros, g), sum_to(where(below, g, zeros), lo),
            sum_to(where(above, g, zeros), hi)]


op("ClipByValue", "t:T, clip_value_min:T, clip_value_max:T", kernel=_clip_kernel, shape=same_shape,
   grad=_clip_grad, T=NUMBERS)

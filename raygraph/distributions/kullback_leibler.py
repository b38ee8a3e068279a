"""`tf.distributions.kl_divergence` and `RegisterKL`: KL divergences looked up by the two classes' MROs."""
import inspect

from ..default_graph import control_dependencies, name_scope
from ..ops.array import identity
from ..ops.control import Assert
from ..ops.math import is_nan, logical_not
from ..ops.reduction import reduce_any

_DIVERGENCES = {}


def _registered_kl(type_a, type_b):
    """The KL function registered for the nearest pair of parents (sum of MRO distances)."""
    kl_fn, best = None, None
    for mro_to_a, parent_a in enumerate(inspect.getmro(type_a)):
        for mro_to_b, parent_b in enumerate(inspect.getmro(type_b)):
            candidate = _DIVERGENCES.get((parent_a, parent_b))
            if not kl_fn or (candidate and mro_to_a + mro_to_b < best):
                best, kl_fn = mro_to_a + mro_to_b, candidate
    return kl_fn


def kl_divergence(distribution_a, distribution_b, allow_nan_stats=True, name=None):
    """KL(distribution_a || distribution_b); with allow_nan_stats=False, asserts that no value is NaN."""
    kl_fn = _registered_kl(type(distribution_a), type(distribution_b))
    if kl_fn is None:
        raise NotImplementedError(
            f"No KL(distribution_a || distribution_b) registered for distribution_a type "
            f"{type(distribution_a).__name__} and distribution_b type {type(distribution_b).__name__}")
    with name_scope("KullbackLeibler"):
        kl_t = kl_fn(distribution_a, distribution_b, name=name)
        if allow_nan_stats:
            return kl_t
        kl_t = identity(kl_t, name="kl")
        message = (f"KL calculation between {distribution_a.name} and {distribution_b.name} returned NaN values "
                   f"(and was called with allow_nan_stats=False). Values:")
        with control_dependencies([Assert(logical_not(reduce_any(is_nan(kl_t))), [message, kl_t])]):
            return identity(kl_t, name="checked_kl")


def cross_entropy(ref, other, allow_nan_stats=True, name=None):
    """H[ref, other] = entropy(ref) + KL(ref || other)."""
    with name_scope(name, "cross_entropy"):
        return ref.entropy() + kl_divergence(ref, other, allow_nan_stats=allow_nan_stats)


class RegisterKL:
    """Decorator registering `kl_fn(a, b, name=None)` for a pair of distribution classes."""

    def __init__(self, dist_cls_a, dist_cls_b):
        self._key = (dist_cls_a, dist_cls_b)

    def __call__(self, kl_fn):
        if not callable(kl_fn):
            raise TypeError(f"kl_fn must be callable, received: {kl_fn}")
        if self._key in _DIVERGENCES:
            raise ValueError(f"KL({self._key[0].__name__} || {self._key[1].__name__}) has already been registered "
                             f"to: {_DIVERGENCES[self._key]}")
        _DIVERGENCES[self._key] = kl_fn
        return kl_fn

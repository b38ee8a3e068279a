"""`tf.distributions.Exponential`: Gamma(1, rate), sampled as -log(uniform) / rate."""
import numpy as np

from .. import dtypes
from ..convert import convert_to_tensor
from ..default_graph import name_scope
from ..ops.array import shape as shape_op
from ..ops.filling import ones
from ..ops.joining import concat
from ..ops.math import log
from ..ops.nn import softplus
from ..ops.random import random_uniform
from . import gamma


class Exponential(gamma.Gamma):
    """Exponential(rate): density rate * exp(-rate x)."""

    def __init__(self, rate, validate_args=False, allow_nan_stats=True, name="Exponential"):
        parameters = dict(locals())
        with name_scope(name, values=[rate]) as scope:
            self._rate = convert_to_tensor(rate, name="rate")
        super().__init__(concentration=ones([], dtype=self._rate.dtype), rate=self._rate,
                         allow_nan_stats=allow_nan_stats, validate_args=validate_args, name=scope)
        self._parameters = parameters
        self._graph_parents += [self._rate]

    @staticmethod
    def _param_shapes(sample_shape):
        return {"rate": convert_to_tensor(sample_shape, dtype=dtypes.int32)}

    rate = property(lambda self: self._rate)

    def _log_survival_function(self, value):
        return self._log_prob(value) - log(self._rate)

    def _sample_n(self, n, seed=None):
        shape = concat([[n], shape_op(self._rate)], 0)
        sampled = random_uniform(shape, minval=np.finfo(self.dtype.as_numpy_dtype).tiny, maxval=1.0, seed=seed,
                                 dtype=self.dtype)
        return -log(sampled) / self._rate


class ExponentialWithSoftplusRate(Exponential):
    """Exponential with rate = softplus(rate)."""

    def __init__(self, rate, validate_args=False, allow_nan_stats=True, name="ExponentialWithSoftplusRate"):
        parameters = dict(locals())
        with name_scope(name, values=[rate]) as scope:
            super().__init__(rate=softplus(rate, name="softplus_rate"), validate_args=validate_args,
                             allow_nan_stats=allow_nan_stats, name=scope)
        self._parameters = parameters

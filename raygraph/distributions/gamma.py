"""`tf.distributions.Gamma`: Gamma(concentration, rate), sampled by TF's RandomGamma."""
import numpy as np

from .. import dtypes
from ..convert import convert_to_tensor
from ..default_graph import control_dependencies, name_scope
from ..ops.array import identity
from ..ops.checks import assert_less, assert_positive, assert_same_float_dtype
from ..ops.control import with_dependencies
from ..ops.filling import fill, ones
from ..ops.math import log, sqrt, square
from ..ops.nn import softplus
from ..ops.random import random_gamma
from ..ops.slicing import where_v2
from ..ops.special import digamma, igamma, lgamma, xlogy
from . import distribution, kullback_leibler


class Gamma(distribution.ScalarEvent):
    """Gamma with density rate**c x**(c - 1) exp(-rate x) / Gamma(c)."""

    _batch_params = ("concentration", "rate")

    def __init__(self, concentration, rate, validate_args=False, allow_nan_stats=True, name="Gamma"):
        parameters = dict(locals())
        with name_scope(name, values=[concentration, rate]) as scope:
            checks = [assert_positive(concentration), assert_positive(rate)] if validate_args else []
            with control_dependencies(checks):
                self._concentration = identity(concentration, name="concentration")
                self._rate = identity(rate, name="rate")
                assert_same_float_dtype([self._concentration, self._rate])
        super().__init__(dtype=self._concentration.dtype, validate_args=validate_args,
                         allow_nan_stats=allow_nan_stats, reparameterization_type=distribution.FULLY_REPARAMETERIZED,
                         parameters=parameters, graph_parents=[self._concentration, self._rate], name=scope)

    @staticmethod
    def _param_shapes(sample_shape):
        return dict(zip(("concentration", "rate"), [convert_to_tensor(sample_shape, dtype=dtypes.int32)] * 2))

    concentration = property(lambda self: self._concentration)
    rate = property(lambda self: self._rate)



    def _sample_n(self, n, seed=None):
        return random_gamma(shape=[n], alpha=self.concentration, beta=self.rate, dtype=self.dtype, seed=seed)

    def _log_prob(self, x):
        return self._log_unnormalized_prob(x) - self._log_normalization()

    def _cdf(self, x):
        x = self._maybe_assert_valid_sample(x)
        return igamma(self.concentration, self.rate * x)

    def _log_unnormalized_prob(self, x):
        x = self._maybe_assert_valid_sample(x)
        return xlogy(self.concentration - 1.0, x) - self.rate * x

    def _log_normalization(self):
        return lgamma(self.concentration) - self.concentration * log(self.rate)

    def _entropy(self):
        return (self.concentration - log(self.rate) + lgamma(self.concentration)
                + (1.0 - self.concentration) * digamma(self.concentration))

    def _mean(self):
        return self.concentration / self.rate

    def _variance(self):
        return self.concentration / square(self.rate)

    def _stddev(self):
        return sqrt(self.concentration) / self.rate

    def _mode(self):
        mode = (self.concentration - 1.0) / self.rate
        if self.allow_nan_stats:
            nan = fill(self.batch_shape_tensor(), np.array(np.nan, dtype=self.dtype.as_numpy_dtype()), name="nan")
            return where_v2(self.concentration > 1.0, mode, nan)
        return with_dependencies([assert_less(ones([], self.dtype), self.concentration,
                                              message="mode not defined when any concentration <= 1")], mode)

    def _maybe_assert_valid_sample(self, x):
        assert_same_float_dtype(tensors=[x], dtype=self.dtype)
        if not self.validate_args:
            return x
        return with_dependencies([assert_positive(x)], x)


class GammaWithSoftplusConcentrationRate(Gamma):
    """Gamma with softplus applied to both parameters."""

    def __init__(self, concentration, rate, validate_args=False, allow_nan_stats=True,
                 name="GammaWithSoftplusConcentrationRate"):
        parameters = dict(locals())
        with name_scope(name, values=[concentration, rate]) as scope:
            super().__init__(concentration=softplus(concentration, name="softplus_concentration"),
                             rate=softplus(rate, name="softplus_rate"), validate_args=validate_args,
                             allow_nan_stats=allow_nan_stats, name=scope)
        self._parameters = parameters


@kullback_leibler.RegisterKL(Gamma, Gamma)
def _kl_gamma_gamma(g0, g1, name=None):
    with name_scope(name, "kl_gamma_gamma", values=[g0.concentration, g0.rate, g1.concentration, g1.rate]):
        return ((g0.concentration - g1.concentration) * digamma(g0.concentration) + lgamma(g1.concentration)
                - lgamma(g0.concentration) + g1.concentration * log(g0.rate) - g1.concentration * log(g1.rate)
                + g0.concentration * (g1.rate / g0.rate - 1.0))

"""`tf.distributions.Beta`: Beta(concentration1, concentration0) on [0, 1], sampled from two gamma draws."""
import numpy as np

from .. import dtypes
from ..convert import convert_to_tensor
from ..default_graph import name_scope
from ..ops.array import shape as shape_op
from ..ops.checks import assert_less, assert_positive, assert_same_float_dtype
from ..ops.control import with_dependencies
from ..ops.filling import fill, ones, ones_like
from ..ops.math import exp, log, log1p, logical_and
from ..ops.nn import softplus
from ..ops.random import random_gamma
from ..ops.slicing import where_v2
from ..ops.special import betainc, digamma, lgamma, xlogy
from . import distribution, kullback_leibler, util


class Beta(distribution.ScalarEvent):
    """Beta with density x**(c1 - 1) (1 - x)**(c0 - 1) / B(c1, c0)."""

    def __init__(self, concentration1=None, concentration0=None, validate_args=False, allow_nan_stats=True,
                 name="Beta"):
        parameters = dict(locals())
        with name_scope(name, values=[concentration1, concentration0]) as scope:
            self._concentration1 = self._maybe_assert_valid_concentration(
                convert_to_tensor(concentration1, name="concentration1"), validate_args)
            self._concentration0 = self._maybe_assert_valid_concentration(
                convert_to_tensor(concentration0, name="concentration0"), validate_args)
            assert_same_float_dtype([self._concentration1, self._concentration0])
            self._total_concentration = self._concentration1 + self._concentration0
        super().__init__(dtype=self._total_concentration.dtype, validate_args=validate_args,
                         allow_nan_stats=allow_nan_stats, reparameterization_type=distribution.FULLY_REPARAMETERIZED,
                         parameters=parameters,
                         graph_parents=[self._concentration1, self._concentration0, self._total_concentration],
                         name=scope)

    @staticmethod
    def _param_shapes(sample_shape):
        return dict(zip(["concentration1", "concentration0"], [convert_to_tensor(sample_shape, dtype=dtypes.int32)] * 2))

    concentration1 = property(lambda self: self._concentration1)
    concentration0 = property(lambda self: self._concentration0)
    total_concentration = property(lambda self: self._total_concentration)

    def _batch_shape_tensor(self):
        return shape_op(self.total_concentration)

    def _batch_shape(self):
        return self.total_concentration.get_shape()


    def _sample_n(self, n, seed=None):
        expanded_concentration1 = ones_like(self.total_concentration, dtype=self.dtype) * self.concentration1
        expanded_concentration0 = ones_like(self.total_concentration, dtype=self.dtype) * self.concentration0
        gamma1_sample = random_gamma(shape=[n], alpha=expanded_concentration1, dtype=self.dtype, seed=seed)
        gamma2_sample = random_gamma(shape=[n], alpha=expanded_concentration0, dtype=self.dtype,
                                     seed=util.gen_new_seed(seed, "beta"))
        return gamma1_sample / (gamma1_sample + gamma2_sample)

    def _log_prob(self, x):
        return self._log_unnormalized_prob(x) - self._log_normalization()

    def _prob(self, x):
        return exp(self._log_prob(x))

    def _log_cdf(self, x):
        return log(self._cdf(x))

    def _cdf(self, x):
        return betainc(self.concentration1, self.concentration0, x)

    def _log_unnormalized_prob(self, x):
        x = self._maybe_assert_valid_sample(x)
        return xlogy(self.concentration1 - 1.0, x) + (self.concentration0 - 1.0) * log1p(-x)

    def _log_normalization(self):
        return lgamma(self.concentration1) + lgamma(self.concentration0) - lgamma(self.total_concentration)

    def _entropy(self):
        return (self._log_normalization() - (self.concentration1 - 1.0) * digamma(self.concentration1)
                - (self.concentration0 - 1.0) * digamma(self.concentration0)
                + (self.total_concentration - 2.0) * digamma(self.total_concentration))

    def _mean(self):
        return self._concentration1 / self._total_concentration

    def _variance(self):
        return self._mean() * (1.0 - self._mean()) / (1.0 + self.total_concentration)

    def _mode(self):
        mode = (self.concentration1 - 1.0) / (self.total_concentration - 2.0)
        if self.allow_nan_stats:
            nan = fill(self.batch_shape_tensor(), np.array(np.nan, dtype=self.dtype.as_numpy_dtype()), name="nan")
            is_defined = logical_and(self.concentration1 > 1.0, self.concentration0 > 1.0)
            return where_v2(is_defined, mode, nan)
        return with_dependencies([
            assert_less(ones([], dtype=self.dtype), self.concentration1,
                        message="Mode undefined for concentration1 <= 1."),
            assert_less(ones([], dtype=self.dtype), self.concentration0,
                        message="Mode undefined for concentration0 <= 1.")], mode)

    def _maybe_assert_valid_concentration(self, concentration, validate_args):
        if not validate_args:
            return concentration
        return with_dependencies([assert_positive(concentration, message="Concentration parameter must be positive.")],
                                 concentration)

    def _maybe_assert_valid_sample(self, x):
        if not self.validate_args:
            return x
        return with_dependencies([assert_positive(x, message="sample must be positive"),
                                  assert_less(x, ones([], self.dtype), message="sample must be less than `1`.")], x)


class BetaWithSoftplusConcentration(Beta):
    """Beta with softplus applied to both concentrations."""

    def __init__(self, concentration1, concentration0, validate_args=False, allow_nan_stats=True,
                 name="BetaWithSoftplusConcentration"):
        parameters = dict(locals())
        with name_scope(name, values=[concentration1, concentration0]) as scope:
            super().__init__(concentration1=softplus(concentration1, name="softplus_concentration1"),
                             concentration0=softplus(concentration0, name="softplus_concentration0"),
                             validate_args=validate_args, allow_nan_stats=allow_nan_stats, name=scope)
        self._parameters = parameters


@kullback_leibler.RegisterKL(Beta, Beta)
def _kl_beta_beta(d1, d2, name=None):
    def delta(fn, is_property=True):
        fn1, fn2 = getattr(d1, fn), getattr(d2, fn)
        return fn2 - fn1 if is_property else fn2() - fn1()
    with name_scope(name, "kl_beta_beta", values=[d1.concentration1, d1.concentration0, d1.total_concentration,
                                                  d2.concentration1, d2.concentration0, d2.total_concentration]):
        return (delta("_log_normalization", is_property=False) - digamma(d1.concentration1) * delta("concentration1")
                - digamma(d1.concentration0) * delta("concentration0")
                + digamma(d1.total_concentration) * delta("total_concentration"))

"""`tf.distributions.Normal`: the normal distribution with mean `loc` and standard deviation `scale`."""
import math

from .. import dtypes
from ..convert import constant, convert_to_tensor
from ..default_graph import control_dependencies, name_scope
from ..ops.array import identity
from ..ops.checks import assert_positive, assert_same_float_dtype
from ..ops.filling import ones_like
from ..ops.joining import concat
from ..ops.math import log, square, squared_difference
from ..ops.nn import softplus
from ..ops.random import random_normal
from . import distribution, kullback_leibler, special_math


class Normal(distribution.ScalarEvent):
    """N(loc, scale**2), sampled as loc + scale * random_normal."""

    _batch_params = ("loc", "scale")

    def __init__(self, loc, scale, validate_args=False, allow_nan_stats=True, name="Normal"):
        parameters = dict(locals())
        with (name_scope(name, values=[loc, scale]) as scope,
              control_dependencies([assert_positive(scale)] if validate_args else [])):
            self._loc = identity(loc, name="loc")
            self._scale = identity(scale, name="scale")
            assert_same_float_dtype([self._loc, self._scale])
        super().__init__(dtype=self._scale.dtype, reparameterization_type=distribution.FULLY_REPARAMETERIZED,
                         validate_args=validate_args, allow_nan_stats=allow_nan_stats, parameters=parameters,
                         graph_parents=[self._loc, self._scale], name=scope)

    @staticmethod
    def _param_shapes(sample_shape):
        return dict(zip(("loc", "scale"), [convert_to_tensor(sample_shape, dtype=dtypes.int32)] * 2))

    loc = property(lambda self: self._loc)
    scale = property(lambda self: self._scale)



    def _sample_n(self, n, seed=None):
        shape = concat([[n], self.batch_shape_tensor()], 0)
        sampled = random_normal(shape=shape, mean=0.0, stddev=1.0, dtype=self.loc.dtype, seed=seed)
        return sampled * self.scale + self.loc

    def _log_prob(self, x):
        return self._log_unnormalized_prob(x) - self._log_normalization()

    def _log_cdf(self, x):
        return special_math.log_ndtr(self._z(x))

    def _cdf(self, x):
        return special_math.ndtr(self._z(x))

    def _log_survival_function(self, x):
        return special_math.log_ndtr(-self._z(x))

    def _survival_function(self, x):
        return special_math.ndtr(-self._z(x))

    def _log_unnormalized_prob(self, x):
        return -0.5 * square(self._z(x))

    def _log_normalization(self):
        return 0.5 * math.log(2.0 * math.pi) + log(self.scale)

    def _entropy(self):
        scale = self.scale * ones_like(self.loc)
        return 0.5 * math.log(2.0 * math.pi * math.e) + log(scale)

    def _mean(self):
        return self.loc * ones_like(self.scale)

    def _quantile(self, p):
        return self._inv_z(special_math.ndtri(p))

    def _stddev(self):
        return self.scale * ones_like(self.loc)

    def _mode(self):
        return self._mean()

    def _z(self, x):
        with name_scope("standardize", values=[x]):
            return (x - self.loc) / self.scale

    def _inv_z(self, z):
        with name_scope("reconstruct", values=[z]):
            return z * self.scale + self.loc


class NormalWithSoftplusScale(Normal):
    """Normal with scale = softplus(scale)."""

    def __init__(self, loc, scale, validate_args=False, allow_nan_stats=True, name="NormalWithSoftplusScale"):
        parameters = dict(locals())
        with name_scope(name, values=[scale]) as scope:
            super().__init__(loc=loc, scale=softplus(scale, name="softplus_scale"), validate_args=validate_args,
                             allow_nan_stats=allow_nan_stats, name=scope)
        self._parameters = parameters


@kullback_leibler.RegisterKL(Normal, Normal)
def _kl_normal_normal(n_a, n_b, name=None):
    with name_scope(name, "kl_normal_normal", [n_a.loc, n_b.loc]):
        one = constant(1, dtype=n_a.dtype)
        two = constant(2, dtype=n_a.dtype)
        half = constant(0.5, dtype=n_a.dtype)
        s_a_squared = square(n_a.scale)
        s_b_squared = square(n_b.scale)
        ratio = s_a_squared / s_b_squared
        return squared_difference(n_a.loc, n_b.loc) / (two * s_b_squared) + half * (ratio - one - log(ratio))

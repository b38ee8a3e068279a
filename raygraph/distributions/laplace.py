"""`tf.distributions.Laplace`: density exp(-|x - loc| / scale) / (2 scale)."""
import math

import numpy as np

from .. import dtypes
from ..convert import convert_to_tensor
from ..default_graph import control_dependencies, name_scope
from ..ops.array import identity
from ..ops.checks import assert_positive, assert_same_float_dtype
from ..ops.filling import zeros_like
from ..ops.joining import concat
from ..ops.math import abs as abs_op
from ..ops.math import exp, log, log1p, sign
from ..ops.nn import softplus
from ..ops.random import random_uniform
from . import distribution, special_math


class Laplace(distribution.ScalarEvent):
    """Laplace(loc, scale), sampled by inverting the CDF at a uniform draw in (-1, 1)."""

    _batch_params = ("loc", "scale")

    def __init__(self, loc, scale, validate_args=False, allow_nan_stats=True, name="Laplace"):
        parameters = dict(locals())
        with name_scope(name, values=[loc, scale]) as scope:
            with control_dependencies([assert_positive(scale)] if validate_args else []):
                self._loc = identity(loc, name="loc")
                self._scale = identity(scale, name="scale")
                assert_same_float_dtype([self._loc, self._scale])
            super().__init__(dtype=self._loc.dtype, reparameterization_type=distribution.FULLY_REPARAMETERIZED,
                             validate_args=validate_args, allow_nan_stats=allow_nan_stats, parameters=parameters,
                             graph_parents=[self._loc, self._scale], name=scope)

    @staticmethod
    def _param_shapes(sample_shape):
        return dict(zip(("loc", "scale"), [convert_to_tensor(sample_shape, dtype=dtypes.int32)] * 2))

    loc = property(lambda self: self._loc)
    scale = property(lambda self: self._scale)



    def _sample_n(self, n, seed=None):
        shape = concat([[n], self.batch_shape_tensor()], 0)
        np_dtype = self.dtype.as_numpy_dtype
        uniform_samples = random_uniform(shape=shape, minval=np.nextafter(np_dtype(-1.0), np_dtype(0.0)),
                                         maxval=1.0, dtype=self.dtype, seed=seed)
        return self.loc - self.scale * sign(uniform_samples) * log1p(-abs_op(uniform_samples))

    def _log_prob(self, x):
        return self._log_unnormalized_prob(x) - self._log_normalization()

    def _prob(self, x):
        return exp(self._log_prob(x))

    def _log_cdf(self, x):
        return special_math.log_cdf_laplace(self._z(x))

    def _log_survival_function(self, x):
        return special_math.log_cdf_laplace(-self._z(x))

    def _cdf(self, x):
        z = self._z(x)
        return 0.5 + 0.5 * sign(z) * (1.0 - exp(-abs_op(z)))

    def _log_unnormalized_prob(self, x):
        return -abs_op(self._z(x))

    def _log_normalization(self):
        return math.log(2.0) + log(self.scale)

    def _entropy(self):
        scale = self.scale + zeros_like(self.loc)
        return math.log(2.0) + 1.0 + log(scale)

    def _mean(self):
        return self.loc + zeros_like(self.scale)

    def _stddev(self):
        return math.sqrt(2.0) * self.scale + zeros_like(self.loc)

    def _median(self):
        return self._mean()

    def _mode(self):
        return self._mean()

    def _z(self, x):
        return (x - self.loc) / self.scale


class LaplaceWithSoftplusScale(Laplace):
    """Laplace with scale = softplus(scale)."""

    def __init__(self, loc, scale, validate_args=False, allow_nan_stats=True, name="LaplaceWithSoftplusScale"):
        parameters = dict(locals())
        with name_scope(name, values=[loc, scale]) as scope:
            super().__init__(loc=loc, scale=softplus(scale, name="softplus_scale"), validate_args=validate_args,
                             allow_nan_stats=allow_nan_stats, name=scope)
        self._parameters = parameters

"""`tf.distributions.Uniform`: the continuous uniform distribution on [low, high)."""
import math

from .. import dtypes
from ..convert import convert_to_tensor
from ..default_graph import control_dependencies, name_scope
from ..ops.array import broadcast_dynamic_shape, identity
from ..ops.array import shape as shape_op
from ..ops.checks import assert_less, assert_same_float_dtype
from ..ops.filling import ones, ones_like, zeros, zeros_like
from ..ops.joining import concat
from ..ops.math import is_nan, log, logical_or, square
from ..ops.random import random_uniform
from ..ops.slicing import where_v2
from . import distribution


class Uniform(distribution.ScalarEvent):
    """Uniform(low, high), sampled as low + (high - low) * random_uniform."""

    _batch_params = ("low", "high")

    def __init__(self, low=0.0, high=1.0, validate_args=False, allow_nan_stats=True, name="Uniform"):
        parameters = dict(locals())
        with name_scope(name, values=[low, high]) as scope:
            checks = [assert_less(low, high, message="uniform not defined when low >= high.")]
            with control_dependencies(checks if validate_args else []):
                self._low = identity(low, name="low")
                self._high = identity(high, name="high")
                assert_same_float_dtype([self._low, self._high])
        super().__init__(dtype=self._low.dtype, reparameterization_type=distribution.FULLY_REPARAMETERIZED,
                         validate_args=validate_args, allow_nan_stats=allow_nan_stats, parameters=parameters,
                         graph_parents=[self._low, self._high], name=scope)

    @staticmethod
    def _param_shapes(sample_shape):
        return dict(zip(("low", "high"), [convert_to_tensor(sample_shape, dtype=dtypes.int32)] * 2))

    low = property(lambda self: self._low)
    high = property(lambda self: self._high)

    def range(self, name="range"):
        """high - low."""
        with self._name_scope(name):
            return self.high - self.low



    def _sample_n(self, n, seed=None):
        shape = concat([[n], self.batch_shape_tensor()], 0)
        samples = random_uniform(shape=shape, dtype=self.dtype, seed=seed)
        return self.low + self.range() * samples

    def _prob(self, x):
        broadcasted_x = x * ones(self.batch_shape_tensor(), dtype=x.dtype)
        return where_v2(is_nan(broadcasted_x), broadcasted_x,
                        where_v2(logical_or(broadcasted_x < self.low, broadcasted_x >= self.high),
                                 zeros_like(broadcasted_x), ones_like(broadcasted_x) / self.range()))

    def _cdf(self, x):
        broadcast_shape = broadcast_dynamic_shape(shape_op(x), self.batch_shape_tensor())
        zeros_t = zeros(broadcast_shape, dtype=self.dtype)
        ones_t = ones(broadcast_shape, dtype=self.dtype)
        broadcasted_x = x * ones_t
        result_if_not_big = where_v2(x < self.low, zeros_t, (broadcasted_x - self.low) / self.range())
        return where_v2(x >= self.high, ones_t, result_if_not_big)

    def _entropy(self):
        return log(self.range())

    def _mean(self):
        return (self.low + self.high) / 2.0

    def _variance(self):
        return square(self.range()) / 12.0

    def _stddev(self):
        return self.range() / math.sqrt(12.0)

"""`tf.distributions.StudentT`: Student's t with `df` degrees of freedom, location `loc` and scale `scale`."""
import numpy as np

from .. import dtypes
from ..convert import convert_to_tensor
from ..default_graph import control_dependencies, name_scope
from ..ops.array import identity
from ..ops.checks import assert_less, assert_positive, assert_same_float_dtype
from ..ops.control import with_dependencies
from ..ops.filling import fill, ones, ones_like
from ..ops.joining import concat
from ..ops.math import abs as abs_op
from ..ops.math import floor, greater, less, log, log1p, rsqrt, square
from ..ops.nn import softplus
from ..ops.random import random_gamma, random_normal
from ..ops.slicing import where_v2
from ..ops.special import betainc, digamma, lbeta, lgamma
from . import distribution, util


class StudentT(distribution.ScalarEvent):
    """StudentT(df, loc, scale), sampled as loc + scale * normal / sqrt(chi2(df) / df)."""

    _batch_params = ("df", "loc", "scale")

    def __init__(self, df, loc, scale, validate_args=False, allow_nan_stats=True, name="StudentT"):
        parameters = dict(locals())
        with (name_scope(name, values=[df, loc, scale]) as scope,
              control_dependencies([assert_positive(df)] if validate_args else [])):
            self._df = identity(df, name="df")
            self._loc = identity(loc, name="loc")
            self._scale = identity(scale, name="scale")
            assert_same_float_dtype((self._df, self._loc, self._scale))
        super().__init__(dtype=self._scale.dtype, reparameterization_type=distribution.FULLY_REPARAMETERIZED,
                         validate_args=validate_args, allow_nan_stats=allow_nan_stats, parameters=parameters,
                         graph_parents=[self._df, self._loc, self._scale], name=scope)

    @staticmethod
    def _param_shapes(sample_shape):
        return dict(zip(("df", "loc", "scale"), [convert_to_tensor(sample_shape, dtype=dtypes.int32)] * 3))

    df = property(lambda self: self._df)
    loc = property(lambda self: self._loc)
    scale = property(lambda self: self._scale)



    def _sample_n(self, n, seed=None):
        shape = concat([[n], self.batch_shape_tensor()], 0)
        normal_sample = random_normal(shape, dtype=self.dtype, seed=seed)
        df = self.df * ones(self.batch_shape_tensor(), dtype=self.dtype)
        gamma_sample = random_gamma([n], 0.5 * df, beta=0.5, dtype=self.dtype,
                                    seed=util.gen_new_seed(seed, salt="student_t"))
        samples = normal_sample * rsqrt(gamma_sample / df)
        return samples * self.scale + self.loc

    def _log_prob(self, x):
        return self._log_unnormalized_prob(x) - self._log_normalization()

    def _log_unnormalized_prob(self, x):
        y = (x - self.loc) / self.scale
        return -0.5 * (self.df + 1.0) * log1p(y ** 2.0 / self.df)

    def _log_normalization(self):
        return (log(abs_op(self.scale)) + 0.5 * log(self.df) + 0.5 * np.log(np.pi) + lgamma(0.5 * self.df)
                - lgamma(0.5 * (self.df + 1.0)))

    def _cdf(self, x):
        y = (x - self.loc) / abs_op(self.scale)
        x_t = self.df / (y ** 2.0 + self.df)
        neg_cdf = 0.5 * betainc(0.5 * self.df, 0.5, x_t)
        return where_v2(less(y, 0.0), neg_cdf, 1.0 - neg_cdf)

    def _entropy(self):
        v = ones(self.batch_shape_tensor(), dtype=self.dtype)[..., None]
        u = v * self.df[..., None]
        beta_arg = concat([u, v], -1) / 2.0
        return (log(abs_op(self.scale)) + 0.5 * log(self.df) + lbeta(beta_arg)
                + 0.5 * (self.df + 1.0) * (digamma(0.5 * (self.df + 1.0)) - digamma(0.5 * self.df)))

    def _nan_where_df_le_1(self, value):
        nan = np.array(np.nan, dtype=self.dtype.as_numpy_dtype())
        return where_v2(greater(self.df, ones(self.batch_shape_tensor(), dtype=self.dtype)), value,
                        fill(self.batch_shape_tensor(), nan, name="nan"))

    def _mean(self):
        mean = self.loc * ones(self.batch_shape_tensor(), dtype=self.dtype)
        if self.allow_nan_stats:
            return self._nan_where_df_le_1(mean)
        return with_dependencies([assert_less(ones([], dtype=self.dtype), self.df,
                                              message="mean not defined for components of df <= 1")], mean)

    def _variance(self):
        denom = where_v2(greater(self.df, 2.0), self.df - 2.0, ones_like(self.df))
        var = ones(self.batch_shape_tensor(), dtype=self.dtype) * square(self.scale) * self.df / denom
        inf = np.array(np.inf, dtype=self.dtype.as_numpy_dtype())
        result_where_defined = where_v2(self.df > fill(self.batch_shape_tensor(), 2.0), var,
                                        fill(self.batch_shape_tensor(), inf, name="inf"))
        if self.allow_nan_stats:
            return self._nan_where_df_le_1(result_where_defined)
        return with_dependencies([assert_less(ones([], dtype=self.dtype), self.df,
                                              message="variance not defined for components of df <= 1")],
                                 result_where_defined)

    def _mode(self):
        return identity(self.loc)


class StudentTWithAbsDfSoftplusScale(StudentT):
    """StudentT with df = floor(|df|) and scale = softplus(scale)."""

    def __init__(self, df, loc, scale, validate_args=False, allow_nan_stats=True,
                 name="StudentTWithAbsDfSoftplusScale"):
        parameters = dict(locals())
        with name_scope(name, values=[df, scale]) as scope:
            super().__init__(df=floor(abs_op(df)), loc=loc, scale=softplus(scale, name="softplus_scale"),
                             validate_args=validate_args, allow_nan_stats=allow_nan_stats, name=scope)
        self._parameters = parameters

"""`tf.distributions.DirichletMultinomial`: multinomial counts whose class probabilities are Dirichlet draws."""
from .. import dtypes
from ..convert import convert_to_tensor
from ..default_graph import name_scope
from ..ops.array import reshape
from ..ops.array import shape as shape_op
from ..ops.checks import assert_equal, assert_positive
from ..ops.control import with_dependencies
from ..ops.filling import one_hot
from ..ops.joining import concat
from ..ops.linalg import matmul
from ..ops.math import cast, exp, log, sqrt
from ..ops.matrix import matrix_set_diag
from ..ops.random import multinomial, random_gamma
from ..ops.reduction import reduce_sum
from ..ops.special import lbeta
from . import distribution, util


class DirichletMultinomial(distribution.Distribution):
    """DirichletMultinomial(total_count, concentration): the last axis of `concentration` is the event."""

    def __init__(self, total_count, concentration, validate_args=False, allow_nan_stats=True,
                 name="DirichletMultinomial"):
        parameters = dict(locals())
        with name_scope(name, values=[total_count, concentration]) as scope:
            self._total_count = convert_to_tensor(total_count, name="total_count")
            if validate_args:
                self._total_count = util.embed_check_nonnegative_integer_form(self._total_count)
            self._concentration = self._maybe_assert_valid_concentration(
                convert_to_tensor(concentration, name="concentration"), validate_args)
            self._total_concentration = reduce_sum(self._concentration, -1)
        super().__init__(dtype=self._concentration.dtype, validate_args=validate_args,
                         allow_nan_stats=allow_nan_stats, reparameterization_type=distribution.NOT_REPARAMETERIZED,
                         parameters=parameters, graph_parents=[self._total_count, self._concentration], name=scope)

    total_count = property(lambda self: self._total_count)
    concentration = property(lambda self: self._concentration)
    total_concentration = property(lambda self: self._total_concentration)

    def _batch_shape_tensor(self):
        return shape_op(self.total_concentration)

    def _batch_shape(self):
        return self.total_concentration.get_shape()

    def _event_shape_tensor(self):
        return shape_op(self.concentration)[-1:]

    def _event_shape(self):
        return self.concentration.get_shape().with_rank_at_least(1)[-1:]

    def _sample_n(self, n, seed=None):
        n_draws = cast(self.total_count, dtype=dtypes.int32)
        k = self.event_shape_tensor()[0]
        unnormalized_logits = reshape(log(random_gamma(shape=[n], alpha=self.concentration, dtype=self.dtype,
                                                       seed=seed)), shape=[-1, k])
        draws = multinomial(logits=unnormalized_logits, num_samples=n_draws,
                            seed=util.gen_new_seed(seed, salt="dirichlet_multinomial"))
        x = reduce_sum(one_hot(draws, depth=k), -2)
        x = reshape(x, concat([[n], self.batch_shape_tensor(), [k]], 0))
        return cast(x, self.dtype)

    def _log_prob(self, counts):
        counts = self._maybe_assert_valid_sample(counts)
        ordered_prob = lbeta(self.concentration + counts) - lbeta(self.concentration)
        return ordered_prob + util.log_combinations(self.total_count, counts)

    def _prob(self, counts):
        return exp(self._log_prob(counts))

    def _mean(self):
        return self.total_count * (self.concentration / self.total_concentration[..., None])

    def _covariance(self):
        x = self._variance_scale_term() * self._mean()
        return matrix_set_diag(-matmul(x[..., None], x[..., None, :]), self._variance())

    def _variance(self):
        scale = self._variance_scale_term()
        x = scale * self._mean()
        return x * (self.total_count * scale - x)

    def _variance_scale_term(self):
        c0 = self.total_concentration[..., None]
        return sqrt((1.0 + c0 / self.total_count) / (1.0 + c0))

    def _maybe_assert_valid_concentration(self, concentration, validate_args):
        if not validate_args:
            return concentration
        concentration = util.embed_check_categorical_event_shape(concentration)
        return with_dependencies([assert_positive(concentration, message="Concentration parameter must be positive.")],
                                 concentration)

    def _maybe_assert_valid_sample(self, counts):
        if not self.validate_args:
            return counts
        counts = util.embed_check_nonnegative_integer_form(counts)
        return with_dependencies([assert_equal(self.total_count, reduce_sum(counts, -1),
                                               message="counts last-dimension must sum to `self.total_count`")],
                                 counts)

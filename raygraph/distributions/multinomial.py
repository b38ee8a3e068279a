"""`tf.distributions.Multinomial`: counts over k classes from `total_count` draws with logits or probs."""
from .. import dtypes
from ..convert import convert_to_tensor
from ..default_graph import name_scope
from ..functional import map_fn
from ..ops.array import identity, reshape, transpose
from ..ops.array import shape as shape_op
from ..ops.checks import assert_equal
from ..ops.control import with_dependencies
from ..ops.filling import one_hot, ones_like
from ..ops.joining import concat
from ..ops.linalg import matmul
from ..ops.math import cast
from ..ops.matrix import matrix_set_diag
from ..ops.nn import log_softmax
from ..ops.random import multinomial
from ..ops.reduction import reduce_sum
from . import distribution, util


class Multinomial(distribution.Distribution):
    """Multinomial(total_count, logits or probs); samples draw each batch member's counts in a map_fn."""

    def __init__(self, total_count, logits=None, probs=None, validate_args=False, allow_nan_stats=True,
                 name="Multinomial"):
        parameters = dict(locals())
        with name_scope(name, values=[total_count, logits, probs]) as scope:
            self._total_count = convert_to_tensor(total_count, name="total_count")
            if validate_args:
                self._total_count = util.embed_check_nonnegative_integer_form(self._total_count)
            self._logits, self._probs = util.get_logits_and_probs(
                logits=logits, probs=probs, multidimensional=True, validate_args=validate_args, name=scope)
            self._mean_val = self._total_count[..., None] * self._probs
        super().__init__(dtype=self._probs.dtype, reparameterization_type=distribution.NOT_REPARAMETERIZED,
                         validate_args=validate_args, allow_nan_stats=allow_nan_stats, parameters=parameters,
                         graph_parents=[self._total_count, self._logits, self._probs], name=scope)

    total_count = property(lambda self: self._total_count)
    logits = property(lambda self: self._logits)
    probs = property(lambda self: self._probs)

    def _batch_shape_tensor(self):
        return shape_op(self._mean_val)[:-1]

    def _batch_shape(self):
        return self._mean_val.get_shape().with_rank_at_least(1)[:-1]

    def _event_shape_tensor(self):
        return shape_op(self._mean_val)[-1:]

    def _event_shape(self):
        return self._mean_val.get_shape().with_rank_at_least(1)[-1:]

    def _sample_n(self, n, seed=None):
        n_draws = cast(self.total_count, dtype=dtypes.int32)
        k = self.event_shape_tensor()[0]
        n_draws = ones_like(self.logits[..., 0], dtype=n_draws.dtype) * n_draws
        logits = ones_like(n_draws[..., None], dtype=self.logits.dtype) * self.logits
        flat_logits = reshape(logits, [-1, k])
        flat_ndraws = n * reshape(n_draws, [-1])

        def _sample_single(args):
            logits, n_draw = args[0], args[1]
            x = multinomial(logits[None, ...], n_draw, seed)
            x = reshape(x, shape=[n, -1])
            return reduce_sum(one_hot(x, depth=k), axis=-2)
        x = map_fn(_sample_single, [flat_logits, flat_ndraws], dtype=self.dtype)
        x = transpose(x, perm=[1, 0, 2])
        return reshape(x, concat([[n], self.batch_shape_tensor(), [k]], 0))

    def _log_prob(self, counts):
        return self._log_unnormalized_prob(counts) - self._log_normalization(counts)

    def _log_unnormalized_prob(self, counts):
        counts = self._maybe_assert_valid_sample(counts)
        return reduce_sum(counts * log_softmax(self.logits), -1)

    def _log_normalization(self, counts):
        counts = self._maybe_assert_valid_sample(counts)
        return -util.log_combinations(self.total_count, counts)

    def _mean(self):
        return identity(self._mean_val)

    def _covariance(self):
        p = self.probs * ones_like(self.total_count)[..., None]
        return matrix_set_diag(-matmul(self._mean_val[..., None], p[..., None, :]), self._variance())

    def _variance(self):
        p = self.probs * ones_like(self.total_count)[..., None]
        return self._mean_val - self._mean_val * p

    def _maybe_assert_valid_sample(self, counts):
        if not self.validate_args:
            return counts
        counts = util.embed_check_nonnegative_integer_form(counts)
        return with_dependencies([assert_equal(self.total_count, reduce_sum(counts, -1),
                                               message="counts must sum to `self.total_count`")], counts)

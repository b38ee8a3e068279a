"""`tf.distributions.Categorical`: one of K classes, from logits or probs over the last axis."""
from .. import dtypes
from ..convert import constant, convert_to_tensor
from ..default_graph import name_scope
from ..ops.array import identity, rank, reshape, transpose
from ..ops.array import shape as shape_op
from ..ops.filling import ones, ones_like, zeros_like
from ..ops.joining import concat
from ..ops.math import cast
from ..ops.nn import log_softmax, softmax, sparse_softmax_cross_entropy_with_logits
from ..ops.random import multinomial
from ..ops.reduction import argmax, reduce_sum
from ..ops.sequences import sequence_mask
from ..ops.slicing import where
from ..shape import TensorShape, dimension_value
from . import distribution, kullback_leibler, util


def _broadcast_cat_event_and_params(event, params, base_dtype):
    """Broadcasts the event against params' batch shape (params gain a trailing class axis)."""
    if event.dtype.is_integer:
        pass
    elif event.dtype.is_floating:
        event = cast(event, dtype=dtypes.int32)
    else:
        raise TypeError(f"`value` should have integer `dtype` or `self.dtype` ({base_dtype})")
    shape_known_statically = (params.shape.ndims is not None and params.shape[:-1].is_fully_defined()
                              and event.shape.is_fully_defined())
    if not shape_known_statically or params.shape[:-1] != event.shape:
        params *= ones_like(event[..., None], dtype=params.dtype)
        params_shape = shape_op(params)[:-1]
        event *= ones(params_shape, dtype=event.dtype)
        if params.shape.ndims is not None:
            event.set_shape(TensorShape(params.shape[:-1]))
    return event, params


class Categorical(distribution.ScalarEvent):
    """Categorical(logits or probs); samples, cdf argument and mode have `dtype` (int32 by default)."""

    def __init__(self, logits=None, probs=None, dtype=dtypes.int32, validate_args=False, allow_nan_stats=True,
                 name="Categorical"):
        parameters = dict(locals())
        with name_scope(name, values=[logits, probs]) as scope:
            self._logits, self._probs = util.get_logits_and_probs(
                logits=logits, probs=probs, validate_args=validate_args, multidimensional=True, name=scope)
            if validate_args:
                self._logits = util.embed_check_categorical_event_shape(self._logits)
            logits_shape_static = self._logits.get_shape().with_rank_at_least(1)
            if logits_shape_static.ndims is not None:
                self._batch_rank = convert_to_tensor(logits_shape_static.ndims - 1, dtype=dtypes.int32,
                                                     name="batch_rank")
            else:
                with name_scope(name="batch_rank"):
                    self._batch_rank = rank(self._logits) - 1
            logits_shape = shape_op(self._logits, name="logits_shape")
            if dimension_value(logits_shape_static[-1]) is not None:
                self._event_size = convert_to_tensor(logits_shape_static.dims[-1].value, dtype=dtypes.int32,
                                                     name="event_size")
            else:
                with name_scope(name="event_size"):
                    self._event_size = logits_shape[self._batch_rank]
            if logits_shape_static[:-1].is_fully_defined():
                self._batch_shape_val = constant(logits_shape_static[:-1].as_list(), dtype=dtypes.int32,
                                                 name="batch_shape")
            else:
                with name_scope(name="batch_shape"):
                    self._batch_shape_val = logits_shape[:-1]
        super().__init__(dtype=dtype, reparameterization_type=distribution.NOT_REPARAMETERIZED,
                         validate_args=validate_args, allow_nan_stats=allow_nan_stats, parameters=parameters,
                         graph_parents=[self._logits, self._probs], name=scope)

    event_size = property(lambda self: self._event_size)
    logits = property(lambda self: self._logits)
    probs = property(lambda self: self._probs)

    def _batch_shape_tensor(self):
        return identity(self._batch_shape_val)

    def _batch_shape(self):
        return self.logits.get_shape()[:-1]


    def _sample_n(self, n, seed=None):
        if self.logits.get_shape().ndims == 2:
            logits_2d = self.logits
        else:
            logits_2d = reshape(self.logits, [-1, self.event_size])
        sample_dtype = dtypes.int64 if self.dtype.size > 4 else dtypes.int32
        draws = multinomial(logits_2d, n, seed=seed, output_dtype=sample_dtype)
        draws = reshape(transpose(draws), concat([[n], self.batch_shape_tensor()], 0))
        return cast(draws, self.dtype)

    def _cdf(self, k):
        k = convert_to_tensor(k, name="k")
        if self.validate_args:
            k = util.embed_check_integer_casting_closed(k, target_dtype=dtypes.int32)
        k, probs = _broadcast_cat_event_and_params(k, self.probs, base_dtype=self.dtype.base_dtype)
        batch_flattened_probs = reshape(probs, (-1, self._event_size))
        batch_flattened_k = reshape(k, [-1])
        to_sum_over = where(sequence_mask(batch_flattened_k, self._event_size), batch_flattened_probs,
                            zeros_like(batch_flattened_probs))
        return reshape(reduce_sum(to_sum_over, axis=-1), shape_op(k))

    def _log_prob(self, k):
        k = convert_to_tensor(k, name="k")
        if self.validate_args:
            k = util.embed_check_integer_casting_closed(k, target_dtype=dtypes.int32)
        k, logits = _broadcast_cat_event_and_params(k, self.logits, base_dtype=self.dtype.base_dtype)
        return -sparse_softmax_cross_entropy_with_logits(labels=k, logits=logits)

    def _entropy(self):
        return -reduce_sum(log_softmax(self.logits) * self.probs, axis=-1)

    def _mode(self):
        ret = cast(argmax(self.logits, axis=self._batch_rank), self.dtype)
        ret.set_shape(self.batch_shape)
        return ret


@kullback_leibler.RegisterKL(Categorical, Categorical)
def _kl_categorical_categorical(a, b, name=None):
    with name_scope(name, "kl_categorical_categorical", values=[a.logits, b.logits]):
        delta_log_probs1 = log_softmax(a.logits) - log_softmax(b.logits)
        return reduce_sum(softmax(a.logits) * delta_log_probs1, axis=-1)

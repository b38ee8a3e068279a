"""`tf.contrib.seq2seq.sequence_loss`: the sequence loss TF1 programs train their sequence models with (TF 1.15's)."""
from ...default_graph import name_scope
from ...ops.array import reshape, shape
from ...ops.math import cast, div_no_nan
from ...ops.nn import sparse_softmax_cross_entropy_with_logits
from ...ops.reduction import count_nonzero, reduce_sum


def sequence_loss(logits, targets, weights, average_across_timesteps=True, average_across_batch=True,
                  sum_over_timesteps=False, sum_over_batch=False, softmax_loss_function=None, name=None):
    """The weighted cross-entropy of `logits` [batch, time, classes] against `targets` [batch, time]: averaged over
    the weights (or summed over the nonzero weights' count) along time, batch, both, or neither."""
    for t, what in ((logits, "Logits must be a [batch_size x sequence_length x logits] tensor"),
                    (targets, "Targets must be a [batch_size x sequence_length] tensor"),
                    (weights, "Weights must be a [batch_size x sequence_length] tensor")):
        if len(t.get_shape()) != (3 if t is logits else 2):
            raise ValueError(what)
    for average, total, axis in ((average_across_timesteps, sum_over_timesteps, "timesteps"),
                                 (average_across_batch, sum_over_batch, "batch")):
        if average and total:
            raise ValueError(f"average_across_{axis} and sum_over_{axis} cannot be set to True at same time.")
    with name_scope(name, "sequence_loss", [logits, targets, weights]):
        flat_logits = reshape(logits, [-1, shape(logits)[2]])
        flat_targets = reshape(targets, [-1])
        loss = (softmax_loss_function or sparse_softmax_cross_entropy_with_logits)(labels=flat_targets,
                                                                                   logits=flat_logits)
        loss *= reshape(weights, [-1])
        if average_across_timesteps and average_across_batch:
            return div_no_nan(reduce_sum(loss), reduce_sum(weights))
        if sum_over_timesteps and sum_over_batch:
            loss = reduce_sum(loss)
            return div_no_nan(loss, cast(count_nonzero(weights), loss.dtype))
        loss = reshape(loss, shape(logits)[0:2])
        if average_across_timesteps or average_across_batch:
            axis = [0] if average_across_batch else [1]
            loss = reduce_sum(loss, axis=axis)
            return div_no_nan(loss, reduce_sum(weights, axis=axis))
        if sum_over_timesteps or sum_over_batch:
            axis = [0] if sum_over_batch else [1]
            loss = reduce_sum(loss, axis=axis)
            return div_no_nan(loss, cast(count_nonzero(weights, axis=axis), dtype=loss.dtype))
        return loss

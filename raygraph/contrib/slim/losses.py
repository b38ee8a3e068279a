"""`slim.losses` (TF 1.15's `tf.contrib.losses`, kept by tf_slim as losses/loss_ops.py): the losses before
`tf.losses`, with their argument order (predictions or logits first) and their weighting: the weighted sum of
the losses over the number of elements with a nonzero weight, added to the LOSSES collection."""
from ... import dtypes
from ... import losses as _tf_losses
from ...convert import convert_to_tensor
from ...default_graph import name_scope
from ...ops.array import reshape, shape, size, squeeze
from ...ops.filling import ones, ones_like
from ...ops.math import abs as abs_
from ...ops.math import cast, div, div_no_nan, equal, log, multiply, not_equal, squared_difference, subtract
from ...ops.nn import (
    relu,
    sigmoid_cross_entropy_with_logits,
    softmax_cross_entropy_with_logits,
    sparse_softmax_cross_entropy_with_logits,
)
from ...ops.reduction import add_n, reduce_prod, reduce_sum
from ...ops.slicing import slice as slice_
from ...ops.slicing import where
from ..framework import add_arg_scope


def _scale_losses(losses, weights):
    """The losses summed over the dimensions `weights` lacks, times the weights, summed."""
    axis = list(range(max(0, weights.get_shape().ndims), losses.get_shape().ndims))
    return reduce_sum(multiply(reduce_sum(losses, axis=axis), weights))


def _num_present(losses, weights):
    """How many loss elements have a nonzero weight (`weights` broadcast over the trailing dimensions)."""
    if weights.get_shape().ndims == 0:
        batch_size = reshape(slice_(shape(losses), [0], [1]), [])
        num_per_batch = div(cast(size(losses), dtypes.float32), cast(batch_size, dtypes.float32))
        num_per_batch = where(equal(weights, 0), 0.0, num_per_batch)
        return reduce_sum(multiply(ones(reshape(batch_size, [1])), num_per_batch))
    axis = list(range(1, weights.get_shape().ndims))
    num_nonzero_per_batch = reduce_sum(cast(not_equal(weights, 0), dtypes.float32), axis=axis)
    broadcast_dims = slice_(shape(losses), [weights.get_shape().ndims], [-1])
    num_to_broadcast = cast(reduce_prod(broadcast_dims), dtypes.float32)
    return reduce_sum(multiply(num_nonzero_per_batch, num_to_broadcast))


def compute_weighted_loss(losses, weights=1.0, scope=None):
    """The weighted mean of `losses` over its elements with nonzero weight, added to LOSSES."""
    with name_scope(scope, "weighted_loss", [losses, weights]):
        losses = convert_to_tensor(losses)
        input_dtype = losses.dtype
        losses = cast(losses, dtypes.float32)
        weights = cast(convert_to_tensor(weights), dtypes.float32)
        if losses.get_shape().ndims is None:
            raise ValueError("losses.get_shape().ndims cannot be None")
        weights_shape = weights.get_shape()
        if weights_shape.ndims is None:
            raise ValueError("weights.get_shape().ndims cannot be None")
        if weights_shape.ndims > 1 and weights_shape.dims[-1].is_compatible_with(1):
            weights = squeeze(weights, [-1])
        total_loss = _scale_losses(losses, weights)
        num_present = _num_present(losses, weights)
        mean_loss = cast(div_no_nan(reduce_sum(total_loss), num_present, name="value"), input_dtype)
        add_loss(mean_loss)
        return mean_loss


add_loss = add_arg_scope(_tf_losses.add_loss)   # tf.losses' collection functions, contrib's add_loss arg-scoped
get_losses, get_regularization_losses = _tf_losses.get_losses, _tf_losses.get_regularization_losses


def get_total_loss(add_regularization_losses=True, name="total_loss"):
    """The sum of the LOSSES collection and, by default, of REGULARIZATION_LOSSES."""
    losses = get_losses()
    if add_regularization_losses:
        losses += get_regularization_losses()
    return add_n(losses, name=name)


def _pointwise(default_name, loss_fn):
    """A loss of (predictions, labels) as floats: `loss_fn`'s elementwise losses, weighted."""
    def loss(predictions, labels=None, weights=1.0, scope=None):
        with name_scope(scope, default_name, [predictions, labels, weights]) as name:
            predictions.get_shape().assert_is_compatible_with(labels.get_shape())
            predictions = cast(predictions, dtypes.float32)
            labels = cast(labels, dtypes.float32)
            return compute_weighted_loss(loss_fn(predictions, labels), weights, scope=name)
    loss.__name__ = default_name
    return loss


absolute_difference = _pointwise("absolute_difference", lambda p, y: abs_(subtract(p, y)))
mean_squared_error = _pointwise("mean_squared_error", squared_difference)


def log_loss(predictions, labels=None, weights=1.0, epsilon=1e-7, scope=None):
    with name_scope(scope, "log_loss", [predictions, labels, weights]) as name:
        predictions.get_shape().assert_is_compatible_with(labels.get_shape())
        predictions = cast(predictions, dtypes.float32)
        labels = cast(labels, dtypes.float32)
        losses = -multiply(labels, log(predictions + epsilon)) - multiply((1 - labels), log(1 - predictions + epsilon))
        return compute_weighted_loss(losses, weights, scope=name)


def sigmoid_cross_entropy(logits, multi_class_labels, weights=1.0, label_smoothing=0, scope=None):
    with name_scope(scope, "sigmoid_cross_entropy_loss", [logits, multi_class_labels, weights]) as name:
        logits.get_shape().assert_is_compatible_with(multi_class_labels.get_shape())
        multi_class_labels = cast(multi_class_labels, logits.dtype)
        if label_smoothing > 0:
            multi_class_labels = multi_class_labels * (1 - label_smoothing) + 0.5 * label_smoothing
        losses = sigmoid_cross_entropy_with_logits(labels=multi_class_labels, logits=logits, name="xentropy")
        return compute_weighted_loss(losses, weights, scope=name)


def softmax_cross_entropy(logits, onehot_labels, weights=1.0, label_smoothing=0, scope=None):
    with name_scope(scope, "softmax_cross_entropy_loss", [logits, onehot_labels, weights]) as name:
        logits.get_shape().assert_is_compatible_with(onehot_labels.get_shape())
        onehot_labels = cast(onehot_labels, logits.dtype)
        if label_smoothing > 0:
            num_classes = cast(shape(onehot_labels)[1], logits.dtype)
            onehot_labels = onehot_labels * (1.0 - label_smoothing) + label_smoothing / num_classes
        losses = softmax_cross_entropy_with_logits(labels=onehot_labels, logits=logits, name="xentropy")
        return compute_weighted_loss(losses, weights, scope=name)


def sparse_softmax_cross_entropy(logits, labels, weights=1.0, scope=None):
    with name_scope(scope, "sparse_softmax_cross_entropy_loss", [logits, labels, weights]) as name:
        labels = reshape(labels, shape=[shape(labels)[0]])
        losses = sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits, name="xentropy")
        return compute_weighted_loss(losses, weights, scope=name)


def hinge_loss(logits, labels=None, scope=None):
    """The unweighted hinge losses of 0/1 `labels` (not added to LOSSES)."""
    with name_scope(scope, "hinge_loss", [logits, labels]):
        logits.get_shape().assert_is_compatible_with(labels.get_shape())
        labels = cast(labels, dtypes.float32)
        all_ones = ones_like(labels)
        labels = subtract(2 * labels, all_ones)
        return relu(subtract(all_ones, multiply(labels, logits)))


def cosine_distance(predictions, labels=None, axis=None, weights=1.0, scope=None, dim=None):
    if dim is not None:
        if axis is not None:
            raise ValueError("Cannot specify both 'axis' and 'dim'")
        axis = dim
    if axis is None:
        raise ValueError("You must specify 'axis'.")
    with name_scope(scope, "cosine_distance_loss", [predictions, labels, weights]) as name:
        predictions.get_shape().assert_is_compatible_with(labels.get_shape())
        radial_diffs = multiply(cast(predictions, dtypes.float32), cast(labels, dtypes.float32))
        losses = 1 - reduce_sum(radial_diffs, axis=[axis])
        return compute_weighted_loss(losses, weights, scope=name)

"""`tf.losses`: TF1's loss functions, built from existing ops exactly as TF1's losses_impl.py builds them (op
names, the `LOSSES` collection, `Reduction` semantics, weights broadcast and checked as TF checks them).

Where TF checks weights against values whose shapes are only known at run time, TF uses a set operation
that raygraph lacks; raygraph builds the same check (every weights dim is 1 or the values' dim, or the
weights are a scalar) from elementwise ops, so those graphs hold other ops than TF's (same results)."""
from . import dtypes
from .convert import constant, convert_to_tensor
from .default_graph import add_to_collection, control_dependencies, get_collection, name_scope
from .graph import GraphKeys, get_default_graph
from .ops.array import rank, shape, size, squeeze, stop_gradient
from .ops.control import Assert, no_op
from .ops.control_flow import cond
from .ops.filling import ones_like, range as range_, zeros_like
from .ops.math import (abs as abs_, add, cast, div_no_nan, equal, log, logical_or, maximum, minimum, multiply,
                       square, squared_difference, subtract)
from .ops.nn import (relu, sigmoid_cross_entropy_with_logits, softmax_cross_entropy_with_logits_v2,
                     sparse_softmax_cross_entropy_with_logits)
from .ops.reduction import add_n, reduce_all, reduce_sum
from .ops.shape_fns import constant_value
from .ops.slicing import where

_BROADCAST_ERROR = "weights can not be broadcast to values."


class Reduction:
    """How a weighted loss is reduced to a scalar (or not)."""

    NONE = "none"
    SUM = "weighted_sum"
    SUM_OVER_BATCH_SIZE = "weighted_sum_over_batch_size"
    MEAN = "weighted_mean"
    SUM_BY_NONZERO_WEIGHTS = "weighted_sum_by_nonzero_weights"
    SUM_OVER_NONZERO_WEIGHTS = SUM_BY_NONZERO_WEIGHTS

    @classmethod
    def all(cls):
        return (cls.NONE, cls.SUM, cls.MEAN, cls.SUM_OVER_BATCH_SIZE, cls.SUM_OVER_NONZERO_WEIGHTS,
                cls.SUM_BY_NONZERO_WEIGHTS)

    @classmethod
    def validate(cls, key):
        if key not in cls.all():
            raise ValueError(f"Invalid Reduction Key {key}. Key should be one of {cls.all()}.")


# ----- the loss collections ------------------------------------------------------------------------------
def add_loss(loss, loss_collection=GraphKeys.LOSSES):
    """Adds `loss` to the collection `loss_collection` (nothing if it is None or empty)."""
    if loss_collection:
        add_to_collection(loss_collection, loss)


def get_losses(scope=None, loss_collection=GraphKeys.LOSSES):
    return get_collection(loss_collection, scope)


def get_regularization_losses(scope=None):
    return get_collection(GraphKeys.REGULARIZATION_LOSSES, scope)


def get_regularization_loss(scope=None, name="total_regularization_loss"):
    """The sum of the regularization losses (a 0.0 Const if there are none)."""
    losses = get_regularization_losses(scope)
    return add_n(losses, name=name) if losses else constant(0.0)


def get_total_loss(add_regularization_losses=True, name="total_loss", scope=None):
    """The sum of the `LOSSES` collection, and of the regularization losses unless told otherwise."""
    losses = get_losses(scope=scope)
    if add_regularization_losses:
        losses += get_regularization_losses(scope=scope)
    return add_n(losses, name=name)


# ----- weights --------------------------------------------------------------------------------------------
def _assert_broadcastable(weights, values):
    """A no-op when the static shapes show `weights` broadcast to `values`; ValueError when they show it does
    not; otherwise an Assert checked at run time (TF's weights_broadcast_ops.assert_broadcastable)."""
    with name_scope(None, "assert_broadcastable", (weights, values)) as scope:
        with name_scope(None, "weights", (weights,)) as weights_scope:
            weights = convert_to_tensor(weights, name=weights_scope)
            weights_shape = shape(weights, name="shape")
            weights_rank = rank(weights, name="rank")
        weights_rank_static = constant_value(weights_rank)
        with name_scope(None, "values", (values,)) as values_scope:
            values = convert_to_tensor(values, name=values_scope)
            values_shape = shape(values, name="shape")
            values_rank = rank(values, name="rank")
        values_rank_static = constant_value(values_rank)
        if weights_rank_static is not None and values_rank_static is not None:
            if weights_rank_static == 0:
                return no_op(name="static_scalar_check_success")
            if weights_rank_static != values_rank_static:
                raise ValueError(f"{_BROADCAST_ERROR} values.rank={values_rank_static}. weights.rank="
                                 f"{weights_rank_static}. values.shape={values.shape}. weights.shape="
                                 f"{weights.shape}. Received weights={weights}, values={values}")
            w_static, v_static = constant_value(weights_shape), constant_value(values_shape)
            if w_static is not None and v_static is not None:
                for i in range(len(v_static)):
                    if w_static[i] not in (1, v_static[i]):
                        raise ValueError(f"{_BROADCAST_ERROR} Mismatch at dim {i}. values.shape={v_static}, "
                                         f"weights.shape={w_static}. Received weights={weights}, values={values}")
                return no_op(name="static_dims_check_success")
        is_scalar = equal(0, weights_rank, name="is_scalar")
        data = (_BROADCAST_ERROR, "weights.shape=", weights.name, weights_shape, "values.shape=", values.name,
                values_shape, "is_scalar=", is_scalar)
        is_valid_shape = cond(is_scalar, lambda: is_scalar,
                              lambda: _has_valid_nonscalar_shape(weights_rank, weights_shape, values_rank,
                                                                 values_shape), name="is_valid_shape")
        return Assert(is_valid_shape, data, name=scope)


def _has_valid_nonscalar_shape(weights_rank, weights_shape, values_rank, values_shape):
    with name_scope(None, "has_valid_nonscalar_shape", (weights_rank, weights_shape, values_rank, values_shape)):
        is_same_rank = equal(values_rank, weights_rank, name="is_same_rank")
        return cond(is_same_rank, lambda: _has_valid_dims(weights_shape, values_shape), lambda: is_same_rank)


def _has_valid_dims(weights_shape, values_shape):
    with name_scope(None, "has_invalid_dims", (weights_shape, values_shape)) as scope:
        return reduce_all(logical_or(equal(weights_shape, 1), equal(weights_shape, values_shape)), name=scope)


def _broadcast_weights(weights, values):
    """`weights` times ones shaped like `values` (just `weights` when their static shapes already agree)."""
    with name_scope(None, "broadcast_weights", (weights, values)) as scope:
        values = convert_to_tensor(values, name="values")
        weights = convert_to_tensor(weights, dtype=values.dtype.base_dtype, name="weights")
        if (weights.shape.is_fully_defined() and values.shape.is_fully_defined()
                and weights.shape.is_compatible_with(values.shape)):
            return weights
        with control_dependencies((_assert_broadcastable(weights, values),)):
            return multiply(weights, ones_like(values), name=scope)


def _num_present(losses, weights, per_batch=False):
    """The number of elements of `losses` whose weight is not 0 (per batch entry, or in all)."""
    if isinstance(weights, float) and weights != 0.0:
        return _num_elements(losses)
    with name_scope(None, "num_present", (losses, weights)) as scope:
        weights = cast(weights, dtype=dtypes.float32)
        present = where(equal(weights, 0.0), zeros_like(weights), ones_like(weights))
        present = _broadcast_weights(present, losses)
        if per_batch:
            return reduce_sum(present, axis=range_(1, rank(present)), keepdims=True, name=scope)
        return reduce_sum(present, name=scope)


def _num_elements(losses):
    with name_scope(None, "num_elements", values=[losses]) as scope:
        return cast(size(losses, name=scope), dtype=losses.dtype)


def _safe_mean(losses, num_present):
    return div_no_nan(reduce_sum(losses), num_present, name="value")


# ----- reducing a weighted loss ---------------------------------------------------------------------------
def compute_weighted_loss(losses, weights=1.0, scope=None, loss_collection=GraphKeys.LOSSES,
                          reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """`losses * weights`, reduced as `reduction` says, cast back to the losses' dtype, added to the
    collection."""
    Reduction.validate(reduction)
    with name_scope(scope, "weighted_loss", (losses, weights)):
        get_default_graph()._last_loss_reduction = reduction
        with control_dependencies((_assert_broadcastable(weights, losses),)):
            losses = convert_to_tensor(losses)
            input_dtype = losses.dtype
            losses = cast(losses, dtype=dtypes.float32)
            weights = cast(weights, dtype=dtypes.float32)
            weighted_losses = multiply(losses, weights)
            if reduction == Reduction.NONE:
                loss = weighted_losses
            else:
                loss = reduce_sum(weighted_losses)
                if reduction == Reduction.MEAN:
                    loss = _safe_mean(loss, reduce_sum(ones_like(losses) * weights))
                elif reduction == Reduction.SUM_BY_NONZERO_WEIGHTS:
                    loss = _safe_mean(loss, _num_present(losses, weights))
                elif reduction == Reduction.SUM_OVER_BATCH_SIZE:
                    loss = _safe_mean(loss, _num_elements(losses))
            loss = cast(loss, input_dtype)
            add_loss(loss, loss_collection)
            return loss


def _require(**args):
    for name, value in args.items():
        if value is None:
            raise ValueError(f"Argument `{name}` must not be None.")


def _as_floats(predictions, labels):
    predictions = cast(predictions, dtype=dtypes.float32)
    labels = cast(labels, dtype=dtypes.float32)
    predictions.shape.assert_is_compatible_with(labels.shape)
    return predictions, labels


# ----- the losses -----------------------------------------------------------------------------------------
def absolute_difference(labels, predictions, weights=1.0, scope=None, loss_collection=GraphKeys.LOSSES,
                        reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    _require(labels=labels, predictions=predictions)
    with name_scope(scope, "absolute_difference", (predictions, labels, weights)) as scope:
        predictions, labels = _as_floats(predictions, labels)
        losses = abs_(subtract(predictions, labels))
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction=reduction)


def cosine_distance(labels, predictions, axis=None, weights=1.0, scope=None, loss_collection=GraphKeys.LOSSES,
                    reduction=Reduction.SUM_BY_NONZERO_WEIGHTS, dim=None):
    if axis is not None and dim is not None:
        raise ValueError("Cannot specify both 'axis' and 'dim'")
    axis = dim if axis is None else axis
    if axis is None:
        raise ValueError("You must specify argument `axis`.")
    _require(labels=labels, predictions=predictions)
    with name_scope(scope, "cosine_distance_loss", (predictions, labels, weights)) as scope:
        predictions, labels = _as_floats(predictions, labels)
        radial_diffs = multiply(predictions, labels)
        losses = 1 - reduce_sum(radial_diffs, axis=(axis,), keepdims=True)
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction=reduction)


def hinge_loss(labels, logits, weights=1.0, scope=None, loss_collection=GraphKeys.LOSSES,
               reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    _require(labels=labels, logits=logits)
    with name_scope(scope, "hinge_loss", (logits, labels, weights)) as scope:
        logits, labels = _as_floats(logits, labels)
        all_ones = ones_like(labels)
        labels = subtract(2 * labels, all_ones)
        losses = relu(subtract(all_ones, multiply(labels, logits)))
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction=reduction)


def huber_loss(labels, predictions, weights=1.0, delta=1.0, scope=None, loss_collection=GraphKeys.LOSSES,
               reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    _require(labels=labels, predictions=predictions)
    with name_scope(scope, "huber_loss", (predictions, labels, weights)) as scope:
        predictions, labels = _as_floats(predictions, labels)
        abs_error = abs_(subtract(predictions, labels))
        quadratic = minimum(abs_error, delta)
        linear = subtract(abs_error, quadratic)
        losses = multiply(convert_to_tensor(0.5, dtype=quadratic.dtype), multiply(quadratic, quadratic))
        losses = add(losses, multiply(delta, linear))
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction=reduction)


def log_loss(labels, predictions, weights=1.0, epsilon=1e-7, scope=None, loss_collection=GraphKeys.LOSSES,
             reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    _require(labels=labels, predictions=predictions)
    with name_scope(scope, "log_loss", (predictions, labels, weights)) as scope:
        predictions, labels = _as_floats(predictions, labels)
        losses = (-multiply(labels, log(predictions + epsilon))
                  - multiply((1 - labels), log(1 - predictions + epsilon)))
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction=reduction)


def mean_pairwise_squared_error(labels, predictions, weights=1.0, scope=None, loss_collection=GraphKeys.LOSSES):
    """For each batch entry, the mean of the squared differences between all pairs of its elements' errors."""
    _require(labels=labels, predictions=predictions)
    with name_scope(scope, "mean_pairwise_squared_error", (predictions, labels, weights)):
        weights = cast(weights, dtype=dtypes.float32)
        labels = cast(labels, dtype=dtypes.float32)
        with control_dependencies((_assert_broadcastable(weights, labels),)):
            predictions = cast(predictions, dtype=dtypes.float32)
            predictions.shape.assert_is_compatible_with(labels.shape)
            diffs = subtract(predictions, labels)
            axis = range_(1, rank(diffs))
            sum_squares_diff_per_batch = reduce_sum(square(diffs), axis=axis, keepdims=True)
            num_present_per_batch = _num_present(diffs, weights, per_batch=True)
            term1 = 2.0 * div_no_nan(sum_squares_diff_per_batch, maximum(num_present_per_batch - 1, 0),
                                     name="value")
            sum_diff = reduce_sum(diffs, axis=axis, keepdims=True)
            term2 = 2.0 * div_no_nan(square(sum_diff),
                                     maximum(multiply(num_present_per_batch, num_present_per_batch - 1), 0),
                                     name="value")
            loss = reduce_sum(multiply(term1 - term2, weights))
            mean_loss = where(reduce_sum(num_present_per_batch) > 0, loss, zeros_like(loss), name="value")
            add_loss(mean_loss, loss_collection)
            return mean_loss


def mean_squared_error(labels, predictions, weights=1.0, scope=None, loss_collection=GraphKeys.LOSSES,
                       reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    _require(labels=labels, predictions=predictions)
    with name_scope(scope, "mean_squared_error", (predictions, labels, weights)) as scope:
        predictions, labels = _as_floats(predictions, labels)
        losses = squared_difference(predictions, labels)
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction=reduction)


def sigmoid_cross_entropy(multi_class_labels, logits, weights=1.0, label_smoothing=0, scope=None,
                          loss_collection=GraphKeys.LOSSES, reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    _require(multi_class_labels=multi_class_labels, logits=logits)
    with name_scope(scope, "sigmoid_cross_entropy_loss", (logits, multi_class_labels, weights)) as scope:
        logits = convert_to_tensor(logits)
        multi_class_labels = cast(multi_class_labels, logits.dtype)
        logits.shape.assert_is_compatible_with(multi_class_labels.shape)
        if label_smoothing > 0:
            multi_class_labels = multi_class_labels * (1 - label_smoothing) + 0.5 * label_smoothing
        losses = sigmoid_cross_entropy_with_logits(labels=multi_class_labels, logits=logits, name="xentropy")
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction=reduction)


def softmax_cross_entropy(onehot_labels, logits, weights=1.0, label_smoothing=0, scope=None,
                          loss_collection=GraphKeys.LOSSES, reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    _require(onehot_labels=onehot_labels, logits=logits)
    with name_scope(scope, "softmax_cross_entropy_loss", (logits, onehot_labels, weights)) as scope:
        logits = convert_to_tensor(logits)
        onehot_labels = cast(onehot_labels, logits.dtype)
        logits.shape.assert_is_compatible_with(onehot_labels.shape)
        if label_smoothing > 0:
            num_classes = cast(shape(onehot_labels)[-1], logits.dtype)
            smooth_negatives = label_smoothing / num_classes
            onehot_labels = onehot_labels * (1.0 - label_smoothing) + smooth_negatives
        onehot_labels = stop_gradient(onehot_labels, name="labels_stop_gradient")
        losses = softmax_cross_entropy_with_logits_v2(labels=onehot_labels, logits=logits, name="xentropy")
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction=reduction)


def sparse_softmax_cross_entropy(labels, logits, weights=1.0, scope=None, loss_collection=GraphKeys.LOSSES,
                                 reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    _require(labels=labels, logits=logits)
    with name_scope(scope, "sparse_softmax_cross_entropy_loss", (logits, labels, weights)) as scope:
        labels, logits, weights = _remove_squeezable_dimensions(labels, logits, weights, expected_rank_diff=1)
        losses = sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits, name="xentropy")
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction=reduction)


# ----- squeezing a trailing dimension of size 1 -----------------------------------------------------------
def _remove_squeezable(labels, predictions, expected_rank_diff=0, name=None):
    """Squeezes the last dim of `predictions` or `labels` when their ranks differ by one more (or less) than
    `expected_rank_diff` (TF's confusion_matrix.remove_squeezable_dimensions)."""
    with name_scope(name, "remove_squeezable_dimensions", [labels, predictions]):
        predictions = convert_to_tensor(predictions)
        labels = convert_to_tensor(labels)
        p_shape, l_shape = predictions.shape, labels.shape
        p_rank, l_rank = p_shape.ndims, l_shape.ndims
        if l_rank is not None and p_rank is not None:
            rank_diff = p_rank - l_rank
            if rank_diff == expected_rank_diff + 1 and p_shape.dims[-1].is_compatible_with(1):
                predictions = squeeze(predictions, [-1])
            elif rank_diff == expected_rank_diff - 1 and l_shape.dims[-1].is_compatible_with(1):
                labels = squeeze(labels, [-1])
            return labels, predictions
        rank_diff = rank(predictions) - rank(labels)
        if p_rank is None or p_shape.dims[-1].is_compatible_with(1):
            predictions = cond(equal(expected_rank_diff + 1, rank_diff), lambda: squeeze(predictions, [-1]),
                               lambda: predictions)
        if l_rank is None or l_shape.dims[-1].is_compatible_with(1):
            labels = cond(equal(expected_rank_diff - 1, rank_diff), lambda: squeeze(labels, [-1]), lambda: labels)
        return labels, predictions


def _remove_squeezable_dimensions(labels, predictions, weights=None, expected_rank_diff=0):
    labels, predictions = _remove_squeezable(labels, predictions, expected_rank_diff=expected_rank_diff)
    if weights is None:
        return labels, predictions, weights
    weights = convert_to_tensor(weights)
    labels_rank, weights_shape = labels.shape.ndims, weights.shape
    weights_rank = weights_shape.ndims
    if labels_rank is not None and weights_rank is not None:
        if weights_rank - labels_rank == 1:
            weights = squeeze(weights, [-1])
        return labels, predictions, weights
    rank_diff = rank(weights) - rank(labels)
    if weights_rank is None or (weights_rank > 0 and weights_shape.dims[-1].is_compatible_with(1)):
        weights = cond(equal(1, rank_diff), lambda: squeeze(weights, [-1]), lambda: weights)
    return labels, predictions, weights


__all__ = ["Reduction", "absolute_difference", "add_loss", "compute_weighted_loss", "cosine_distance", "get_losses",
           "get_regularization_loss", "get_regularization_losses", "get_total_loss", "hinge_loss", "huber_loss",
           "log_loss", "mean_pairwise_squared_error", "mean_squared_error", "sigmoid_cross_entropy",
           "softmax_cross_entropy", "sparse_softmax_cross_entropy"]

"""`tf.metrics`: TF1's streaming metrics, built from existing ops as TF1's metrics_impl.py builds them.

Each metric keeps its running state in local variables (zeros, not trainable, in `LOCAL_VARIABLES` and
`METRIC_VARIABLES`, named as TF names them: `accuracy/total`, `auc/true_positives`...) and returns a pair:
the value read from that state, and an update op that adds a batch to the state and gives the new value.
`tf.local_variables_initializer()` resets them. Weights are checked and broadcast as in `tf.losses` (whose
run-time check raygraph builds from other ops than TF's, see losses.py).
"""
from . import dtypes
from .ops.checks import (assert_greater_equal, assert_less, assert_less_equal, assert_non_negative, assert_rank_in,
                         assert_type)
from .convert import constant, convert_to_tensor
from .default_graph import add_to_collections, control_dependencies, name_scope
from .graph import GraphKeys
from .logging import warning
from .losses import _assert_broadcastable, _broadcast_weights, _remove_squeezable
from .ops.array import expand_dims, identity, rank, reshape, shape, size, squeeze, transpose
from .ops.control import with_dependencies
from .ops.control_flow import cond
from .ops.filling import fill, ones, ones_like, zeros, zeros_like
from .ops.joining import concat, stack, tile
from .ops.math import (abs as abs_, add, cast, div_no_nan, divide, equal, greater, greater_equal, less, log,
                       logical_and, logical_not, maximum, minimum, multiply, not_equal, sqrt, squared_difference,
                       subtract)
from .ops.reduction import argmax, argmin, cumsum, reduce_max, reduce_mean, reduce_min, reduce_sum, reduced_shape
from .ops.registry import apply_op
from .ops.sets import SparseSet, set_difference, set_intersection, set_size, sparse_set_operation
from .ops.slicing import scatter_nd, where, where_v2
from .ops.products import tensor_diag_part as diag_part
from .ops.scatter import scatter_add
from .ops.state import assign_add
from .variable_scope import variable_scope
from .variables import Variable


def metric_variable(shape, dtype, validate_shape=True, name=None):
    """A zero-initialized local variable in `LOCAL_VARIABLES` and `METRIC_VARIABLES`."""
    return Variable(lambda: zeros(shape, dtype), trainable=False, validate_shape=validate_shape, name=name,
                    collections=[GraphKeys.LOCAL_VARIABLES, GraphKeys.METRIC_VARIABLES])


def _publish(collections, tensor):
    if collections:
        add_to_collections(collections, tensor)
    return tensor


# ----- squeezing and weights ---------------------------------------------------------------------------------
def _remove_squeezable_dimensions(predictions, labels, weights):
    """Squeezes labels/predictions to the same rank, and weights to theirs (or expands them by one)."""
    predictions = convert_to_tensor(predictions)
    if labels is not None:
        labels, predictions = _remove_squeezable(labels, predictions)
        predictions.shape.assert_is_compatible_with(labels.shape)
    if weights is None:
        return predictions, labels, None
    weights = convert_to_tensor(weights)
    w_rank = weights.shape.ndims
    if w_rank == 0:
        return predictions, labels, weights
    p_rank = predictions.shape.ndims
    if p_rank is not None and w_rank is not None:
        if w_rank - p_rank == 1:
            weights = squeeze(weights, [-1])
        elif p_rank - w_rank == 1:
            weights = expand_dims(weights, [-1])
        return predictions, labels, weights
    w_rank_t = rank(weights)
    rank_diff = w_rank_t - rank(predictions)
    if w_rank is not None and not weights.shape.dims[-1].is_compatible_with(1):
        maybe_squeeze = lambda: weights  # noqa: E731
    else:
        maybe_squeeze = lambda: squeeze(weights, [-1])  # noqa: E731

    def maybe_expand():
        return cond(equal(rank_diff, -1), lambda: expand_dims(weights, [-1]), lambda: weights)

    weights = cond(equal(w_rank_t, 0), lambda: weights,
                   lambda: cond(equal(rank_diff, 1), maybe_squeeze, maybe_expand))
    return predictions, labels, weights


# ----- means ---------------------------------------------------------------------------------------------------
def mean(values, weights=None, metrics_collections=None, updates_collections=None, name=None):
    """The (weighted) mean of every value seen: `total / count`."""
    with variable_scope(name, "mean", (values, weights)):
        values = cast(values, dtypes.float32)
        total = metric_variable([], dtypes.float32, name="total")
        count = metric_variable([], dtypes.float32, name="count")
        if weights is None:
            num_values = cast(size(values), dtypes.float32)
        else:
            values, _, weights = _remove_squeezable_dimensions(values, None, weights)
            weights = _broadcast_weights(cast(weights, dtypes.float32), values)
            values = multiply(values, weights)
            num_values = reduce_sum(weights)
        update_total = assign_add(total, reduce_sum(values))
        with control_dependencies([values]):
            update_count = assign_add(count, num_values)
        value = _publish(metrics_collections, div_no_nan(total, maximum(count, 0), name="value"))
        update = div_no_nan(update_total, maximum(update_count, 0), name="update_op")
        return value, _publish(updates_collections, update)


def mean_tensor(values, weights=None, metrics_collections=None, updates_collections=None, name=None):
    """The elementwise (weighted) mean of every `values` seen."""
    with variable_scope(name, "mean", (values, weights)):
        values = cast(values, dtypes.float32)
        total = metric_variable(values.shape, dtypes.float32, name="total_tensor")
        count = metric_variable(values.shape, dtypes.float32, name="count_tensor")
        num_values = ones_like(values)
        if weights is not None:
            values, _, weights = _remove_squeezable_dimensions(values, None, weights)
            weights = _broadcast_weights(cast(weights, dtypes.float32), values)
            values = multiply(values, weights)
            num_values = multiply(num_values, weights)
        update_total = assign_add(total, values)
        with control_dependencies([values]):
            update_count = assign_add(count, num_values)
        value = _publish(metrics_collections, div_no_nan(total, maximum(count, 0), name="value"))
        update = div_no_nan(update_total, maximum(update_count, 0), name="update_op")
        return value, _publish(updates_collections, update)


def accuracy(labels, predictions, weights=None, metrics_collections=None, updates_collections=None, name=None):
    """How often `predictions` equal `labels`."""
    predictions, labels, weights = _remove_squeezable_dimensions(predictions, labels, weights)
    predictions.shape.assert_is_compatible_with(labels.shape)
    if labels.dtype != predictions.dtype:
        predictions = cast(predictions, labels.dtype)
    is_correct = cast(equal(predictions, labels), dtypes.float32)
    return mean(is_correct, weights, metrics_collections, updates_collections, name or "accuracy")


def mean_absolute_error(labels, predictions, weights=None, metrics_collections=None, updates_collections=None,
                        name=None):
    predictions, labels, weights = _remove_squeezable_dimensions(predictions, labels, weights)
    errors = abs_(predictions - labels)
    return mean(errors, weights, metrics_collections, updates_collections, name or "mean_absolute_error")


def mean_squared_error(labels, predictions, weights=None, metrics_collections=None, updates_collections=None,
                       name=None):
    predictions, labels, weights = _remove_squeezable_dimensions(predictions, labels, weights)
    errors = squared_difference(labels, predictions)
    return mean(errors, weights, metrics_collections, updates_collections, name or "mean_squared_error")


def root_mean_squared_error(labels, predictions, weights=None, metrics_collections=None, updates_collections=None,
                            name=None):
    predictions, labels, weights = _remove_squeezable_dimensions(predictions, labels, weights)
    mse, update_mse = mean_squared_error(labels, predictions, weights, None, None, name or "root_mean_squared_error")
    return _publish(metrics_collections, sqrt(mse)), _publish(updates_collections, sqrt(update_mse))


def mean_relative_error(labels, predictions, normalizer, weights=None, metrics_collections=None,
                        updates_collections=None, name=None):
    """The mean of `|labels - predictions| / normalizer` (0 where the normalizer is 0)."""
    predictions, labels, weights = _remove_squeezable_dimensions(predictions, labels, weights)
    predictions, normalizer = _remove_squeezable(predictions, normalizer)
    predictions.shape.assert_is_compatible_with(normalizer.shape)
    errors = where(equal(normalizer, 0.0), zeros_like(labels), divide(abs_(labels - predictions), normalizer))
    return mean(errors, weights, metrics_collections, updates_collections, name or "mean_relative_error")


def mean_cosine_distance(labels, predictions, dim, weights=None, metrics_collections=None, updates_collections=None,
                         name=None):
    """`1 -` the mean cosine similarity along `dim` (the inputs are expected to be unit-normalized)."""
    predictions, labels, weights = _remove_squeezable_dimensions(predictions, labels, weights)
    radial = reduce_sum(multiply(predictions, labels), axis=[dim], keepdims=True)
    value, update = mean(radial, weights, None, None, name or "mean_cosine_distance")
    return _publish(metrics_collections, subtract(1.0, value)), _publish(updates_collections, subtract(1.0, update))


def percentage_below(values, threshold, weights=None, metrics_collections=None, updates_collections=None, name=None):
    is_below = cast(less(values, threshold), dtypes.float32)
    return mean(is_below, weights, metrics_collections, updates_collections, name or "percentage_below_threshold")


def mean_per_class_accuracy(labels, predictions, num_classes, weights=None, metrics_collections=None,
                            updates_collections=None, name=None):
    """The mean over classes of each class's accuracy."""
    with variable_scope(name, "mean_accuracy", (predictions, labels, weights)):
        labels = cast(labels, dtypes.int64)
        if labels.shape.ndims > 1:
            labels = reshape(labels, [-1])
        if predictions.shape.ndims > 1:
            predictions = reshape(predictions, [-1])
        predictions.shape.assert_is_compatible_with(labels.shape)
        total = metric_variable([num_classes], dtypes.float32, name="total")
        count = metric_variable([num_classes], dtypes.float32, name="count")
        ones_ = ones([size(labels)], dtypes.float32)
        if labels.dtype != predictions.dtype:
            predictions = cast(predictions, labels.dtype)
        is_correct = cast(equal(predictions, labels), dtypes.float32)
        if weights is not None:
            if weights.shape.ndims > 1:
                weights = reshape(weights, [-1])
            weights = cast(weights, dtypes.float32)
            is_correct *= weights
            ones_ *= weights
        update_total = scatter_add(total, labels, ones_)
        update_count = scatter_add(count, labels, is_correct)
        per_class = div_no_nan(count, maximum(total, 0), name=None)
        value = _publish(metrics_collections, reduce_mean(per_class, name="mean_accuracy"))
        update = div_no_nan(update_count, maximum(update_total, 0), name="update_op")
        return value, _publish(updates_collections, update)


# ----- confusion matrices ------------------------------------------------------------------------------------
def confusion_matrix(labels, predictions, num_classes=None, dtype=dtypes.int32, name=None, weights=None):
    """The `num_classes` x `num_classes` matrix counting (or weighing) each (label, prediction) pair."""
    with name_scope(name, "confusion_matrix", (predictions, labels, num_classes, weights)):
        labels, predictions = _remove_squeezable(convert_to_tensor(labels, name="labels"),
                                                 convert_to_tensor(predictions, name="predictions"))
        predictions = cast(predictions, dtypes.int64)
        labels = cast(labels, dtypes.int64)
        labels = with_dependencies([assert_non_negative(labels, message="`labels` contains negative values")], labels)
        predictions = with_dependencies(
            [assert_non_negative(predictions, message="`predictions` contains negative values")], predictions)
        if num_classes is None:
            num_classes = maximum(reduce_max(predictions), reduce_max(labels)) + 1
        else:
            n64 = cast(num_classes, dtypes.int64)
            labels = with_dependencies([assert_less(labels, n64, message="`labels` out of bound")], labels)
            predictions = with_dependencies([assert_less(predictions, n64, message="`predictions` out of bound")],
                                            predictions)
        if weights is not None:
            weights = convert_to_tensor(weights, name="weights")
            predictions.shape.assert_is_compatible_with(weights.shape)
            weights = cast(weights, dtype)
        shape_ = stack([num_classes, num_classes])
        indices = stack([labels, predictions], axis=1)
        values = ones_like(predictions, dtype) if weights is None else weights
        return scatter_nd(indices=indices, updates=values, shape=cast(shape_, dtypes.int64))


def _streaming_confusion_matrix(labels, predictions, num_classes, weights=None):
    total_cm = metric_variable([num_classes, num_classes], dtypes.float64, name="total_confusion_matrix")
    predictions = cast(predictions, dtypes.int64)
    labels = cast(labels, dtypes.int64)
    num_classes = cast(num_classes, dtypes.int64)
    if predictions.shape.ndims > 1:
        predictions = reshape(predictions, [-1])
    if labels.shape.ndims > 1:
        labels = reshape(labels, [-1])
    if weights is not None and weights.shape.ndims > 1:
        weights = reshape(weights, [-1])
    current = confusion_matrix(labels, predictions, num_classes, weights=weights, dtype=dtypes.float64)
    return total_cm, assign_add(total_cm, current)


def mean_iou(labels, predictions, num_classes, weights=None, metrics_collections=None, updates_collections=None,
             name=None):
    """The mean over classes of intersection-over-union, from a running confusion matrix."""
    with variable_scope(name, "mean_iou", (predictions, labels, weights)):
        predictions.shape.assert_is_compatible_with(labels.shape)
        total_cm, update = _streaming_confusion_matrix(labels, predictions, num_classes, weights)
        sum_over_row = cast(reduce_sum(total_cm, 0), dtypes.float32)
        sum_over_col = cast(reduce_sum(total_cm, 1), dtypes.float32)
        cm_diag = cast(diag_part(total_cm), dtypes.float32)
        denominator = sum_over_row + sum_over_col - cm_diag
        num_valid = reduce_sum(cast(not_equal(denominator, 0), dtype=dtypes.float32))
        denominator = where(greater(denominator, 0), denominator, ones_like(denominator))
        iou = divide(cm_diag, denominator)
        value = where(greater(num_valid, 0), reduce_sum(iou, name="mean_iou") / num_valid, 0)
        return _publish(metrics_collections, value), _publish(updates_collections, update)


# ----- counts of true/false positives/negatives ----------------------------------------------------------------
def _count_condition(values, weights=None, metrics_collections=None, updates_collections=None):
    assert_type(values, dtypes.bool_)
    count = metric_variable([], dtypes.float32, name="count")
    values = cast(values, dtypes.float32)
    if weights is not None:
        with control_dependencies((assert_rank_in(weights, (0, rank(values))),)):
            weights = cast(weights, dtypes.float32)
            values = multiply(values, weights)
    value = _publish(metrics_collections, identity(count))
    update = assign_add(count, reduce_sum(values))
    return value, _publish(updates_collections, update)


def _counter(default_name, label_value, prediction_value):
    def metric(labels, predictions, weights=None, metrics_collections=None, updates_collections=None, name=None):
        with variable_scope(name, default_name, (predictions, labels, weights)):
            predictions, labels, weights = _remove_squeezable_dimensions(
                cast(predictions, dtype=dtypes.bool_), cast(labels, dtype=dtypes.bool_), weights)
            hit = logical_and(equal(labels, label_value), equal(predictions, prediction_value))
            return _count_condition(hit, weights, metrics_collections, updates_collections)
    metric.__name__ = default_name
    metric.__doc__ = f"The (weighted) number of {default_name.replace('_', ' ')}."
    return metric


true_positives = _counter("true_positives", True, True)
false_positives = _counter("false_positives", False, True)
true_negatives = _counter("true_negatives", False, False)
false_negatives = _counter("false_negatives", True, False)


def _ratio(default_name, first, second):
    def metric(labels, predictions, weights=None, metrics_collections=None, updates_collections=None, name=None):
        with variable_scope(name, default_name, (predictions, labels, weights)):
            predictions, labels, weights = _remove_squeezable_dimensions(
                cast(predictions, dtype=dtypes.bool_), cast(labels, dtype=dtypes.bool_), weights)
            a, a_update = first(labels, predictions, weights)
            b, b_update = second(labels, predictions, weights)

            def ratio(x, y, name):
                return where(greater(x + y, 0), divide(x, x + y), 0, name)
            value = _publish(metrics_collections, ratio(a, b, "value"))
            return value, _publish(updates_collections, ratio(a_update, b_update, "update_op"))
    metric.__name__ = default_name
    return metric


precision = _ratio("precision", true_positives, false_positives)
precision.__doc__ = "true positives / (true positives + false positives), 0 when there are none."
recall = _ratio("recall", true_positives, false_negatives)
recall.__doc__ = "true positives / (true positives + false negatives), 0 when there are none."


# ----- counts at thresholds, and what is computed from them --------------------------------------------------
_KINDS = {"tp": ("true_positives", True, True), "fn": ("false_negatives", True, False),
          "tn": ("true_negatives", False, False), "fp": ("false_positives", False, True)}


def _confusion_matrix_at_thresholds(labels, predictions, thresholds, weights=None, includes=None):
    """Variables counting, per threshold, the tp/fn/tn/fp among predictions above the threshold; their updates."""
    includes = tuple(_KINDS) if includes is None else includes
    for key in includes:
        if key not in _KINDS:
            raise ValueError(f"Invalid key: {key}")
    with control_dependencies([
            assert_greater_equal(predictions, cast(0.0, dtype=predictions.dtype),
                                  message="predictions must be in [0, 1]"),
            assert_less_equal(predictions, cast(1.0, dtype=predictions.dtype),
                               message="predictions must be in [0, 1]")]):
        predictions, labels, weights = _remove_squeezable_dimensions(
            cast(predictions, dtypes.float32), cast(labels, dtype=dtypes.bool_), weights)
    n = len(thresholds)
    predictions_2d = reshape(predictions, [-1, 1])
    labels_2d = reshape(cast(labels, dtype=dtypes.bool_), [1, -1])
    num_predictions = predictions_2d.shape.as_list()[0]
    if num_predictions is None:
        num_predictions = shape(predictions_2d)[0]
    thresh_tiled = tile(expand_dims(constant(thresholds), [1]), stack([1, num_predictions]))
    pred_is_pos = greater(tile(transpose(predictions_2d), [n, 1]), thresh_tiled)
    pred_is_neg = logical_not(pred_is_pos) if ("fn" in includes or "tn" in includes) else None
    label_is_pos = tile(labels_2d, [n, 1])
    label_is_neg = logical_not(label_is_pos) if ("fp" in includes or "tn" in includes) else None
    weights_tiled = None
    if weights is not None:
        weights = _broadcast_weights(cast(weights, dtypes.float32), predictions)
        weights_tiled = tile(reshape(weights, [1, -1]), [n, 1])
        thresh_tiled.shape.assert_is_compatible_with(weights_tiled.shape)
    values, updates = {}, {}
    for key in ("tp", "fn", "tn", "fp"):
        if key not in includes:
            continue
        var_name, label_pos, pred_pos = _KINDS[key]
        var = metric_variable([n], dtypes.float32, name=var_name)
        hit = cast(logical_and(label_is_pos if label_pos else label_is_neg, pred_is_pos if pred_pos else pred_is_neg),
                   dtypes.float32)
        if weights_tiled is not None:
            hit *= weights_tiled
        updates[key] = assign_add(var, reduce_sum(hit, 1))
        values[key] = var
    return values, updates


def _at_thresholds(key, default_name):
    def metric(labels, predictions, thresholds, weights=None, metrics_collections=None, updates_collections=None,
               name=None):
        with variable_scope(name, default_name, (predictions, labels, weights)):
            values, updates = _confusion_matrix_at_thresholds(labels, predictions, thresholds, weights=weights,
                                                              includes=(key,))
            value = _publish(metrics_collections, identity(values[key]))
            return value, _publish(updates_collections, updates[key])
    metric.__name__ = default_name + "_at_thresholds"
    metric.__doc__ = f"The (weighted) number of {default_name.replace('_', ' ')} above each threshold."
    return metric


true_positives_at_thresholds = _at_thresholds("tp", "true_positives")
false_positives_at_thresholds = _at_thresholds("fp", "false_positives")
true_negatives_at_thresholds = _at_thresholds("tn", "true_negatives")
false_negatives_at_thresholds = _at_thresholds("fn", "false_negatives")


def _ratio_at_thresholds(default_name, other):
    def metric(labels, predictions, thresholds, weights=None, metrics_collections=None, updates_collections=None,
               name=None):
        with variable_scope(name, default_name + "_at_thresholds", (predictions, labels, weights)):
            values, updates = _confusion_matrix_at_thresholds(labels, predictions, thresholds, weights,
                                                              includes=("tp", other))

            def ratio(tp, x, suffix):
                return divide(tp, 1e-7 + tp + x, name=f"{default_name}_{suffix}")
            value = _publish(metrics_collections, ratio(values["tp"], values[other], "value"))
            return value, _publish(updates_collections, ratio(updates["tp"], updates[other], "update_op"))
    metric.__name__ = default_name + "_at_thresholds"
    return metric


precision_at_thresholds = _ratio_at_thresholds("precision", "fp")
recall_at_thresholds = _ratio_at_thresholds("recall", "fn")


def _interpolate_pr_auc(tp, fp, fn, n):
    dtp = tp[:n - 1] - tp[1:]
    p = tp + fp
    prec_slope = div_no_nan(dtp, maximum(p[:n - 1] - p[1:], 0), name="prec_slope")
    intercept = tp[1:] - multiply(prec_slope, p[1:])
    safe_p_ratio = where(logical_and(p[:n - 1] > 0, p[1:] > 0),
                         div_no_nan(p[:n - 1], maximum(p[1:], 0), name="recall_relative_ratio"), ones_like(p[1:]))
    return reduce_sum(div_no_nan(prec_slope * (dtp + intercept * log(safe_p_ratio)), maximum(tp[1:] + fn[1:], 0),
                                 name="pr_auc_increment"), name="interpolate_pr_auc")


def _compute_auc(tp, fn, tn, fp, n, curve, summation_method, name):
    if curve == "PR" and summation_method == "careful_interpolation":
        return _interpolate_pr_auc(tp, fp, fn, n)
    epsilon = 1.0e-6
    rec = divide(tp + epsilon, tp + fn + epsilon)
    if curve == "ROC":
        x, y = divide(fp, fp + tn + epsilon), rec
    else:
        x, y = rec, divide(tp + epsilon, tp + fp + epsilon)
    if summation_method not in ("trapezoidal", "careful_interpolation", "minoring", "majoring"):
        raise ValueError(f"Invalid summation_method: {summation_method} summation_method should be 'trapezoidal', "
                         "'careful_interpolation', 'minoring', or 'majoring'.")
    widths = x[:n - 1] - x[1:]
    if summation_method == "minoring":
        heights = minimum(y[:n - 1], y[1:])
    elif summation_method == "majoring":
        heights = maximum(y[:n - 1], y[1:])
    else:
        heights = (y[:n - 1] + y[1:]) / 2.
    return reduce_sum(multiply(widths, heights), name=name)


def _thresholds(num_thresholds, last=1.0 + 1e-7):
    inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
    return [0.0 - 1e-7] + inner + [last]


def auc(labels, predictions, weights=None, num_thresholds=200, metrics_collections=None, updates_collections=None,
        curve="ROC", name=None, summation_method="trapezoidal", thresholds=None):
    """The area under the ROC or PR curve, from counts at `num_thresholds` thresholds."""
    with variable_scope(name, "auc", (labels, predictions, weights)):
        if curve not in ("ROC", "PR"):
            raise ValueError(f"Curve must be either ROC or PR. Curve {curve} is unknown.")
        if thresholds is not None:
            inner = sorted(thresholds)
            num_thresholds = len(inner) + 2
            thresholds = [0.0 - 1e-7] + inner + [1.0 + 1e-7]
        else:
            thresholds = _thresholds(num_thresholds)
        values, updates = _confusion_matrix_at_thresholds(labels, predictions, thresholds, weights)
        if curve == "PR" and summation_method == "trapezoidal":
            warning('Trapezoidal rule is known to produce incorrect PR-AUCs; please switch to '
                    '"careful_interpolation" instead.')

        def compute(c, name):
            return _compute_auc(c["tp"], c["fn"], c["tn"], c["fp"], num_thresholds, curve, summation_method, name)
        value = _publish(metrics_collections, compute(values, "value"))
        return value, _publish(updates_collections, compute(updates, "update_op"))


def sensitivity_at_specificity(labels, predictions, specificity, weights=None, num_thresholds=200,
                               metrics_collections=None, updates_collections=None, name=None):
    """The sensitivity at the threshold whose specificity is nearest `specificity`."""
    if specificity < 0 or specificity > 1:
        raise ValueError(f"`specificity` must be in the range [0, 1]. Currently, `specificity` got {specificity}.")
    with variable_scope(name, "sensitivity_at_specificity", (predictions, labels, weights)):
        values, updates = _confusion_matrix_at_thresholds(labels, predictions, _thresholds(num_thresholds), weights)

        def compute(c, name):
            specificities = divide(c["tn"], c["tn"] + c["fp"] + 1e-7)
            index = cast(argmin(abs_(specificities - specificity), 0), dtypes.int32)
            return divide(c["tp"][index], c["tp"][index] + c["fn"][index] + 1e-7, name)
        value = _publish(metrics_collections, compute(values, "value"))
        return value, _publish(updates_collections, compute(updates, "update_op"))


def specificity_at_sensitivity(labels, predictions, sensitivity, weights=None, num_thresholds=200,
                               metrics_collections=None, updates_collections=None, name=None):
    """The specificity at the (last) threshold whose sensitivity is nearest `sensitivity`."""
    if sensitivity < 0 or sensitivity > 1:
        raise ValueError(f"`sensitivity` must be in the range [0, 1]. Currently, `sensitivity` is {sensitivity}.")
    with variable_scope(name, "specificity_at_sensitivity", (predictions, labels, weights)):
        thresholds = _thresholds(num_thresholds, last=1.0 - 1e-7)
        values, updates = _confusion_matrix_at_thresholds(labels, predictions, thresholds, weights)

        def compute(c, name):
            sensitivities = divide(c["tp"], c["tp"] + c["fn"] + 1e-7)
            min_val = reduce_min(abs_(sensitivities - sensitivity))
            at_min = cast(equal(abs_(sensitivities - sensitivity), min_val), dtypes.int64)
            index = cast(argmax(cumsum(at_min), 0), dtypes.int32)
            return divide(c["tn"][index], c["tn"][index] + c["fp"][index] + 1e-7, name)
        value = _publish(metrics_collections, compute(values, "value"))
        return value, _publish(updates_collections, compute(updates, "update_op"))


# ----- precision and recall of the top k predicted classes ------------------------------------------------------
def _at_k_name(name, k=None, class_id=None):
    name = f"{name}_at_{k}" if k is not None else f"{name}_at_k"
    return name if class_id is None else f"{name}_class{class_id}"


def _maybe_expand_labels(labels, predictions):
    """`labels` with a last dim of 1 added when their rank is one less than `predictions`'."""
    with name_scope(None, "expand_labels", (labels, predictions)) as scope:
        labels = convert_to_tensor(labels)
        labels_rank, predictions_rank = labels.shape.ndims, predictions.shape.ndims
        if labels_rank is not None and predictions_rank is not None:
            if predictions_rank == labels_rank:
                return labels
            if predictions_rank == labels_rank + 1:
                return expand_dims(labels, -1, name=scope)
            raise ValueError(f"Unexpected labels shape {labels.shape} for predictions shape {predictions.shape}. "
                             "Predictions rank should be the same rank as labels rank or labels rank plus one .")
        return cond(equal(rank(predictions), rank(labels) + 1), lambda: expand_dims(labels, -1, name=scope),
                    lambda: labels)


def _select_class_id(ids, selected_id):
    """The entries of each row of `ids` equal to `selected_id`, as a sparse set shaped like `ids`."""
    ids = convert_to_tensor(ids)
    ids_shape = shape(ids, out_type=dtypes.int64)
    ids_last_dim = size(ids_shape) - 1
    filled_shape = reduced_shape(cast(ids_shape, dtypes.int32), cast(reshape(ids_last_dim, [1]), dtypes.int32))
    result = set_intersection(fill(filled_shape, cast(selected_id, dtypes.int64)), ids)
    return SparseSet(result.indices, result.values, ids_shape)


def _set_op(kind, predictions_idx, labels):
    """The set whose size counts `kind` per row: dense sets, or the sparse ones of a selected class."""
    operation = {"tp": "intersection", "fp": "a-b", "fn": "b-a"}[kind]
    if isinstance(labels, SparseSet):
        return sparse_set_operation(predictions_idx, labels, operation)
    if kind == "tp":
        return set_intersection(predictions_idx, labels)
    return set_difference(predictions_idx, labels, aminusb=(kind == "fp"))


def _sparse_count_at_k(kind, labels, predictions_idx, class_id=None, weights=None, name=None):
    """Per row, the (weighted) number of true positives, false negatives or false positives among the top k."""
    scope_name = {"tp": "true_positives", "fn": "false_negatives", "fp": "false_positives"}[kind]
    with name_scope(name, scope_name, (predictions_idx, labels, weights)):
        if class_id is not None:
            labels, predictions_idx = _select_class_id(labels, class_id), _select_class_id(predictions_idx, class_id)
        counted = set_size(_set_op(kind, predictions_idx, labels))
        counted = cast(counted, dtypes.float64)
        if weights is not None:
            with control_dependencies((_assert_broadcastable(weights, counted),)):
                counted = multiply(counted, cast(weights, dtypes.float64))
        return counted


def _streaming_count_at_k(kind, labels, predictions_idx, k=None, class_id=None, weights=None):
    prefix = {"tp": "true_positive", "fn": "false_negative", "fp": "false_positive"}[kind]
    with name_scope(None, _at_k_name(prefix, k, class_id=class_id), (predictions_idx, labels, weights)) as scope:
        counted = _sparse_count_at_k(kind, labels, predictions_idx, class_id, weights)
        batch_total = cast(reduce_sum(counted), dtypes.float64)
        var = metric_variable([], dtypes.float64, name=scope)
        return var, assign_add(var, batch_total, name="update")


def _at_top_k(default_name, other):
    def metric(labels, predictions_idx, k=None, class_id=None, weights=None, metrics_collections=None,
               updates_collections=None, name=None):
        with name_scope(name, _at_k_name(default_name, k, class_id=class_id),
                        (predictions_idx, labels, weights)) as scope:
            labels = _maybe_expand_labels(labels, predictions_idx)
            top_k_idx = cast(predictions_idx, dtypes.int64)
            tp, tp_update = _streaming_count_at_k("tp", labels, top_k_idx, k, class_id, weights)
            o, o_update = _streaming_count_at_k(other, labels, top_k_idx, k, class_id, weights)
            value = _publish(metrics_collections, divide(tp, add(tp, o), name=scope))
            return value, _publish(updates_collections, divide(tp_update, add(tp_update, o_update), name="update"))
    metric.__name__ = default_name + "_at_top_k"
    return metric


precision_at_top_k = _at_top_k("precision", "fp")
precision_at_top_k.__doc__ = "Precision of the predicted class ids `predictions_idx` against the label ids."
recall_at_top_k = _at_top_k("recall", "fn")
recall_at_top_k.__doc__ = "Recall of the predicted class ids `predictions_idx` against the label ids."


def _top_k_indices(predictions, k):
    """The indices of the k largest predictions per row (TopKV2, the op of `tf.nn.top_k`)."""
    return apply_op("TopKV2", [predictions, k], {"sorted": True, "index_type": dtypes.int32})[1]


def _at_k(default_name, at_top_k):
    def metric(labels, predictions, k, class_id=None, weights=None, metrics_collections=None,
               updates_collections=None, name=None):
        with name_scope(name, _at_k_name(default_name, k, class_id=class_id),
                        (predictions, labels, weights)) as scope:
            return at_top_k(labels, _top_k_indices(predictions, k), k=k, class_id=class_id, weights=weights,
                            metrics_collections=metrics_collections, updates_collections=updates_collections,
                            name=scope)
    metric.__name__ = default_name + "_at_k"
    metric.__doc__ = f"{default_name.capitalize()} of the k highest-scored class ids against the label ids."
    return metric


precision_at_k = _at_k("precision", precision_at_top_k)
recall_at_k = _at_k("recall", recall_at_top_k)
sparse_precision_at_k = precision_at_k


# ----- average precision at k --------------------------------------------------------------------------------------
def _expand_and_tile(tensor, multiple, dim=0, name=None):
    if multiple < 1:
        raise ValueError(f"Invalid argument multiple={multiple} for expand_and_tile  call. `multiple` must be an "
                         "integer > 0")
    with name_scope(name, "expand_and_tile", (tensor, multiple, dim)) as scope:
        tensor = convert_to_tensor(tensor)
        expanded = expand_dims(tensor, dim if dim >= 0 else dim - 1, name="expand")
        if multiple == 1:
            return expanded
        ones_ = ones_like(shape(tensor))
        multiples = concat((ones_[:dim], (multiple,), ones_[dim:]), 0, name="multiples")
        return tile(expanded, multiples, name=scope)


def _num_relevant(labels, k):
    if k < 1:
        raise ValueError(f"Invalid k={k}")
    with name_scope(None, "num_relevant", (labels,)) as scope:
        labels = convert_to_tensor(labels)
        num_labels = reduce_sum(where_v2(greater_equal(labels, 0), ones_like(labels), zeros_like(labels)), axis=-1)
        return minimum(num_labels, k, name=scope)


def _average_precision_per_row(labels, predictions_idx):
    """Each row's average precision of its ranked predicted ids against its label ids."""
    with name_scope(None, "average_precision", (predictions_idx, labels)) as scope:
        predictions_idx = cast(predictions_idx, dtypes.int64, name="predictions_idx")
        if predictions_idx.shape.ndims == 0:
            raise ValueError("The rank of `predictions_idx` must be at least 1.")
        k = predictions_idx.shape.as_list()[-1]
        if k is None:
            raise ValueError("The last dimension of predictions_idx must be set. Currently, it is None.")
        labels = _maybe_expand_labels(labels, predictions_idx)
        predictions_idx_per_k = expand_dims(predictions_idx, -1, name="predictions_idx_per_k")
        labels_per_k = _expand_and_tile(labels, multiple=k, dim=-1, name="labels_per_k")
        relevant_per_k = _sparse_count_at_k("tp", labels_per_k, predictions_idx_per_k, name="relevant_per_k")
        tp_per_k = cumsum(relevant_per_k, axis=-1, name="tp_per_k")
        retrieved_per_k = cumsum(ones_like(relevant_per_k), axis=-1, name="retrieved_per_k")
        precision_per_k = divide(cast(tp_per_k, dtypes.float64), cast(retrieved_per_k, dtypes.float64),
                                 name="precision_per_k")
        relevant_precision_per_k = multiply(precision_per_k, cast(relevant_per_k, dtypes.float64),
                                            name="relevant_precision_per_k")
        precision_sum = reduce_sum(relevant_precision_per_k, axis=(-1,), name="precision_sum")
        num_relevant_items = cast(_num_relevant(labels, k), dtypes.float64)
        return divide(precision_sum, num_relevant_items, name=scope)


def _streaming_average_precision(labels, predictions_idx, weights, metrics_collections, updates_collections, name):
    with name_scope(name, "average_precision_at_top_k", (predictions_idx, labels, weights)) as scope:
        average_precision = _average_precision_per_row(labels, predictions_idx)
        if weights is not None:
            weights = _broadcast_weights(cast(weights, dtypes.float64), average_precision)
            average_precision = multiply(average_precision, weights)
        with name_scope(None, "max", (average_precision,)) as max_scope:
            max_var = metric_variable([], dtypes.float64, name=max_scope)
            if weights is None:
                batch_max = cast(size(average_precision, name="batch_max"), dtypes.float64)
            else:
                batch_max = reduce_sum(weights, name="batch_max")
            max_update = assign_add(max_var, batch_max, name="update")
        with name_scope(None, "total", (average_precision,)) as total_scope:
            total_var = metric_variable([], dtypes.float64, name=total_scope)
            total_update = assign_add(total_var, reduce_sum(average_precision, name="batch_total"), name="update")
        value = _publish(metrics_collections, div_no_nan(total_var, max_var, name="mean"))
        return value, _publish(updates_collections, div_no_nan(total_update, max_update, name=scope))


def _clean_out_of_range_indices(labels, num_classes):
    """`labels`, with those >= num_classes replaced by -1 (ignored)."""
    def clean():
        return where_v2(greater_equal(labels, num_classes), -1 * ones_like(labels), labels)
    return cond(greater_equal(reduce_max(labels), num_classes), clean, lambda: labels)


def average_precision_at_k(labels, predictions, k, weights=None, metrics_collections=None,
                           updates_collections=None, name=None):
    """The mean over rows of the average precision of the k highest-scored class ids."""
    if k < 1:
        raise ValueError(f"Invalid k={k}. `k` should be >= 1.")
    with name_scope(name, _at_k_name("average_precision", k), (predictions, labels, weights)) as scope:
        predictions_idx = _top_k_indices(predictions, k)
        labels = _clean_out_of_range_indices(labels, cast(shape(predictions)[-1], dtypes.int64))
        return _streaming_average_precision(labels, predictions_idx, weights, metrics_collections,
                                            updates_collections, scope)


sparse_average_precision_at_k = average_precision_at_k

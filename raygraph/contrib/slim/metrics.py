"""`slim.metrics`' streaming metrics (TF 1.15's `tf.contrib.metrics`, kept by tf_slim as metrics/metric_ops.py):
`tf.metrics` under their old names, predictions before labels."""
from ... import dtypes
from ... import metrics as _m
from ...ops.math import cast
from ...ops.ranking import in_top_k


def _forward(metric, *extra):
    """`streaming_<metric>(predictions, labels, *extra, weights=None, metrics_collections=None,
    updates_collections=None, name=None)` calling `tf.metrics.<metric>`."""
    names = extra + ("weights", "metrics_collections", "updates_collections", "name")

    def streaming(predictions, labels, *args, **kwargs):
        if len(args) > len(names):
            raise TypeError(f"streaming_{metric.__name__}() takes {len(names) + 2} positional arguments")
        for key, value in zip(names, args):
            if key in kwargs:
                raise TypeError(f"streaming_{metric.__name__}() got multiple values for argument '{key}'")
            kwargs[key] = value
        return metric(labels=labels, predictions=predictions, **kwargs)
    streaming.__name__ = "streaming_" + metric.__name__
    return streaming


def streaming_mean(values, weights=None, metrics_collections=None, updates_collections=None, name=None):
    return _m.mean(values, weights, metrics_collections, updates_collections, name)


def streaming_mean_tensor(values, weights=None, metrics_collections=None, updates_collections=None, name=None):
    return _m.mean_tensor(values, weights, metrics_collections, updates_collections, name)


def streaming_percentage_less(values, threshold, weights=None, metrics_collections=None, updates_collections=None,
                              name=None):
    return _m.percentage_below(values, threshold, weights, metrics_collections, updates_collections, name)


streaming_true_positives = _forward(_m.true_positives)
streaming_true_negatives = _forward(_m.true_negatives)
streaming_false_positives = _forward(_m.false_positives)
streaming_false_negatives = _forward(_m.false_negatives)
streaming_accuracy = _forward(_m.accuracy)
streaming_precision = _forward(_m.precision)
streaming_recall = _forward(_m.recall)
streaming_mean_absolute_error = _forward(_m.mean_absolute_error)
streaming_mean_squared_error = _forward(_m.mean_squared_error)
streaming_root_mean_squared_error = _forward(_m.root_mean_squared_error)
streaming_mean_relative_error = _forward(_m.mean_relative_error, "normalizer")
streaming_mean_iou = _forward(_m.mean_iou, "num_classes")
streaming_precision_at_thresholds = _forward(_m.precision_at_thresholds, "thresholds")
streaming_recall_at_thresholds = _forward(_m.recall_at_thresholds, "thresholds")
streaming_specificity_at_sensitivity = _forward(_m.specificity_at_sensitivity, "sensitivity")
streaming_sensitivity_at_specificity = _forward(_m.sensitivity_at_specificity, "specificity")
streaming_sparse_recall_at_k = _forward(_m.recall_at_k, "k", "class_id")
streaming_sparse_precision_at_k = _forward(_m.precision_at_k, "k", "class_id")
streaming_sparse_average_precision_at_k = _forward(_m.average_precision_at_k, "k")


def streaming_auc(predictions, labels, weights=None, num_thresholds=200, metrics_collections=None,
                  updates_collections=None, curve="ROC", name=None):
    return _m.auc(labels, predictions, weights, num_thresholds, metrics_collections, updates_collections, curve,
                  name)


def streaming_recall_at_k(predictions, labels, k, weights=None, metrics_collections=None, updates_collections=None,
                          name=None):
    """The mean of `in_top_k(predictions, labels, k)`."""
    hits = cast(in_top_k(predictions, labels, k), dtypes.float32)
    return streaming_mean(hits, weights, metrics_collections, updates_collections, name or f"recall_at_{k}")


def aggregate_metrics(*value_update_tuples):
    """([values], [update ops]) of (value, update op) pairs."""
    if not value_update_tuples:
        raise ValueError("Expected at least one value_tensor/update_op pair")
    value_ops, update_ops = zip(*value_update_tuples)
    return list(value_ops), list(update_ops)


def aggregate_metric_map(names_to_tuples):
    """({name: value}, {name: update op}) of {name: (value, update op)}."""
    names = names_to_tuples.keys()
    value_ops, update_ops = zip(*names_to_tuples.values())
    return dict(zip(names, value_ops)), dict(zip(names, update_ops))

"""Recorded cases: tf.metrics (local variables and their names and collections, update ops over several
steps, final values, weights, metrics/updates collections, TF1's build-time and run-time checks)."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error, error_text, run_error, sig, typed  # noqa: E402

LABELS = [np.array([1, 0, 1, 1, 0], np.int64), np.array([0, 0, 1, 0, 1], np.int64)]
SCORES = [np.array([0.9, 0.3, 0.2, 0.7, 0.6], np.float32), np.array([0.1, 0.55, 0.8, 0.4, 0.35], np.float32)]
WEIGHTS = [np.array([1.0, 2.0, 0.5, 1.0, 0.0], np.float32), np.array([1.0, 1.0, 3.0, 0.0, 2.0], np.float32)]


def steps(tf, metric, feeds):
    """Runs the local initializer, then `metric`'s update op once per feed, then its value."""
    value, update = metric
    with tf.Session() as s:
        s.run(tf.local_variables_initializer())
        updates = [typed(s.run(update, f)) for f in feeds]
        return [sig(value), sig(update), updates, typed(s.run(value))]


_INSIDE = ("cond/", "AssertGuard/", "is_valid_shape/")


def graph(tf):
    """`describe`, less the ops inside conds (raygraph's cond passes a branch's outside tensors and an
    Assert's data through other ops than TF's; the run-time weights check is built from other ops, see
    raygraph/losses.py)."""
    return [op for op in describe(tf) if not any(s in op[0] for s in _INSIDE)]


def variables(tf):
    """The local, metric and global variables' names."""
    keys = tf.GraphKeys
    return [[v.name for v in tf.get_collection(k)] for k in (keys.LOCAL_VARIABLES, keys.METRIC_VARIABLES,
                                                             keys.GLOBAL_VARIABLES)]


def _feeds(*pairs):
    return [dict(zip(p[0], p[1])) for p in pairs]


def case_accuracy_graph_steps_and_variables(tf):
    lab, pred = tf.placeholder(tf.int64, [None]), tf.placeholder(tf.int64, [None])
    m = tf.metrics.accuracy(lab, pred)
    feeds = [{lab: LABELS[0], pred: (SCORES[0] > 0.5).astype(np.int64)},
             {lab: LABELS[1], pred: (SCORES[1] > 0.5).astype(np.int64)}]
    return [graph(tf), variables(tf), steps(tf, m, feeds)]


def case_accuracy_weights_collections_and_names(tf):
    lab, pred, w = tf.placeholder(tf.int32, [None, 1]), tf.placeholder(tf.int32, [None]), tf.placeholder(tf.float32)
    m = tf.metrics.accuracy(lab, pred, weights=w, metrics_collections=["mc"], updates_collections=["uc"],
                            name="acc")
    m2 = tf.metrics.accuracy([1, 2], [1, 3])
    feeds = [{lab: LABELS[0][:, None].astype(np.int32), pred: np.int32([1, 1, 1, 0, 0]), w: WEIGHTS[0]},
             {lab: LABELS[1][:, None].astype(np.int32), pred: np.int32([0, 1, 1, 0, 1]), w: 2.0}]
    names = [[t.name for t in tf.get_collection(k)] for k in ("mc", "uc")]
    return [names, variables(tf), steps(tf, m, feeds), steps(tf, m2, [None]), graph(tf)]


def case_mean_and_mean_tensor(tf):
    x, w = tf.placeholder(tf.float64, [2, 3]), tf.placeholder(tf.float32, [2, 1])
    a = tf.metrics.mean(x)
    b = tf.metrics.mean(x, weights=w, name="wmean")
    c = tf.metrics.mean_tensor(x)
    d = tf.metrics.mean_tensor(x, weights=w)
    feeds = [{x: [[1, 2, 3], [4, 5, 6]], w: [[1.0], [0.0]]}, {x: [[0, 1, 0], [2, 2, 2]], w: [[0.5], [2.0]]}]
    return [graph(tf), variables(tf), [steps(tf, m, feeds) for m in (a, b, c, d)]]


def case_regression_errors(tf):
    lab, pred = tf.placeholder(tf.float32, [None, 2]), tf.placeholder(tf.float32, [None, 2])
    w = tf.constant([[1.0], [3.0]])
    ms = [tf.metrics.mean_squared_error(lab, pred), tf.metrics.mean_absolute_error(lab, pred, weights=w),
          tf.metrics.root_mean_squared_error(lab, pred), tf.metrics.mean_relative_error(lab, pred, lab + 1.0),
          tf.metrics.mean_cosine_distance(lab, pred, dim=1), tf.metrics.percentage_below(pred, 0.5)]
    feeds = [{lab: [[0.5, 1.0], [2.0, 0.0]], pred: [[1.0, 1.0], [1.0, 0.25]]},
             {lab: [[0.0, 1.0], [1.0, 1.0]], pred: [[0.25, 0.5], [1.5, -1.0]]}]
    return [graph(tf), variables(tf), [steps(tf, m, feeds) for m in ms]]


def case_counts_precision_recall(tf):
    lab, pred, w = tf.placeholder(tf.int64, [None]), tf.placeholder(tf.float32, [None]), tf.placeholder(tf.float32)
    p = pred > 0.5
    ms = [tf.metrics.true_positives(lab, p), tf.metrics.false_positives(lab, p, weights=w),
          tf.metrics.true_negatives(lab, p), tf.metrics.false_negatives(lab, p),
          tf.metrics.precision(lab, p, weights=w), tf.metrics.recall(lab, p)]
    feeds = [{lab: LABELS[i], pred: SCORES[i], w: WEIGHTS[i]} for i in (0, 1)]
    return [graph(tf), variables(tf), [steps(tf, m, feeds) for m in ms]]


def case_at_thresholds(tf):
    lab, pred = tf.placeholder(tf.int64, [None]), tf.placeholder(tf.float32, [None])
    th = [0.25, 0.5, 0.75]
    ms = [tf.metrics.true_positives_at_thresholds(lab, pred, th),
          tf.metrics.false_positives_at_thresholds(lab, pred, th, weights=tf.constant(WEIGHTS[0])),
          tf.metrics.true_negatives_at_thresholds(lab, pred, th),
          tf.metrics.false_negatives_at_thresholds(lab, pred, th),
          tf.metrics.precision_at_thresholds(lab, pred, th), tf.metrics.recall_at_thresholds(lab, pred, th)]
    feeds = [{lab: LABELS[i], pred: SCORES[i]} for i in (0, 1)]
    return [graph(tf), variables(tf), [steps(tf, m, feeds) for m in ms]]


def case_auc_variants(tf):
    lab, pred = tf.placeholder(tf.bool, [None]), tf.placeholder(tf.float32, [None])
    ms = [tf.metrics.auc(lab, pred), tf.metrics.auc(lab, pred, curve="PR", num_thresholds=20),
          tf.metrics.auc(lab, pred, curve="PR", summation_method="careful_interpolation"),
          tf.metrics.auc(lab, pred, summation_method="minoring", thresholds=[0.3, 0.6]),
          tf.metrics.auc(lab, pred, summation_method="majoring", weights=tf.constant(WEIGHTS[1]))]
    feeds = [{lab: LABELS[i].astype(bool), pred: SCORES[i]} for i in (0, 1)]
    return [[v.name for v in tf.local_variables()], [steps(tf, m, feeds) for m in ms]]


def case_auc_graph(tf):
    m = tf.metrics.auc(tf.constant([True, False]), tf.constant([0.6, 0.2]), num_thresholds=4)
    return [graph(tf), steps(tf, m, [None, None])]


def case_sensitivity_specificity(tf):
    lab, pred = tf.placeholder(tf.int32, [None]), tf.placeholder(tf.float32, [None])
    ms = [tf.metrics.sensitivity_at_specificity(lab, pred, 0.6),
          tf.metrics.specificity_at_sensitivity(lab, pred, 0.7, num_thresholds=50, weights=tf.constant(WEIGHTS[0]))]
    feeds = [{lab: LABELS[i], pred: SCORES[i]} for i in (0, 1)]
    return [graph(tf), [steps(tf, m, feeds) for m in ms]]


def case_mean_iou_and_per_class_accuracy(tf):
    lab, pred = tf.placeholder(tf.int64, [None]), tf.placeholder(tf.int64, [None])
    w = tf.placeholder(tf.float32, [None])
    ms = [tf.metrics.mean_iou(lab, pred, 3), tf.metrics.mean_iou(lab, pred, 3, weights=w, name="wiou"),
          tf.metrics.mean_per_class_accuracy(lab, pred, 3), tf.metrics.mean_per_class_accuracy(lab, pred, 3, weights=w)]
    feeds = [{lab: [0, 1, 2, 2, 1], pred: [0, 2, 2, 1, 1], w: WEIGHTS[0]},
             {lab: [2, 2, 0, 0, 1], pred: [2, 0, 0, 1, 1], w: WEIGHTS[1]}]
    return [graph(tf), variables(tf), [steps(tf, m, feeds) for m in ms]]


def case_mean_iou_2d_and_out_of_range(tf):
    lab, pred = tf.placeholder(tf.int32, [None, 2]), tf.placeholder(tf.int32, [None, 2])
    v, u = tf.metrics.mean_iou(lab, pred, 2)
    good = steps(tf, (v, u), [{lab: [[0, 1], [1, 1]], pred: [[0, 0], [1, 1]]}])

    def bad():
        with tf.Session() as s:
            s.run(tf.local_variables_initializer())
            s.run(u, {lab: [[0, 2], [1, 1]], pred: [[0, 0], [1, 1]]})
    return [good, error(bad)]


def case_build_errors(tf):
    a, b = tf.constant([1, 0, 1]), tf.constant([1, 0])
    return [error_text(lambda: tf.metrics.accuracy(a, b)),
            error_text(lambda: tf.metrics.auc(a, tf.constant([0.1, 0.2, 0.3]), curve="XY")),
            error_text(lambda: tf.metrics.auc(a, tf.constant([0.1, 0.2, 0.3]), summation_method="nope")),
            error_text(lambda: tf.metrics.sensitivity_at_specificity(a, tf.constant([0.1, 0.2, 0.3]), 1.5)),
            error_text(lambda: tf.metrics.specificity_at_sensitivity(a, tf.constant([0.1, 0.2, 0.3]), -0.5)),
            error(lambda: tf.metrics.mean_squared_error(tf.constant([1.0, 2.0]), tf.constant([1.0, 2.0, 3.0]))),
            error(lambda: tf.metrics.mean(tf.constant([1.0, 2.0]), weights=tf.constant([1.0, 2.0, 3.0])))]


def case_run_errors(tf):
    lab, pred = tf.placeholder(tf.int64, [None]), tf.placeholder(tf.float32, [None])
    _, u = tf.metrics.auc(lab, pred)
    uninit = run_error(tf, u, {lab: [1], pred: [0.5]})

    def out_of_range():
        with tf.Session() as s:
            s.run(tf.local_variables_initializer())
            s.run(u, {lab: [1, 0], pred: [0.5, 1.5]})
    return [uninit, error(out_of_range)]


def case_reset_with_local_initializer(tf):
    x = tf.placeholder(tf.float32, [None])
    v, u = tf.metrics.mean(x)
    with tf.Session() as s:
        s.run(tf.local_variables_initializer())
        s.run(u, {x: [1.0, 3.0]})
        first = s.run(v)
        s.run(tf.local_variables_initializer())
        s.run(u, {x: [10.0]})
        second = s.run(v)
    return [typed(first), typed(second), [v.name for v in tf.local_variables()], tf.global_variables()]


def case_precision_recall_at_top_k(tf):
    lab = tf.placeholder(tf.int64, [None, 2])
    idx = tf.placeholder(tf.int32, [None, 3])
    ms = [tf.metrics.precision_at_top_k(lab, idx), tf.metrics.recall_at_top_k(lab, idx, k=3),
          tf.metrics.precision_at_top_k(lab, idx, weights=tf.constant([1.0, 2.0, 0.5]), name="wp"),
          tf.metrics.recall_at_top_k(tf.constant([1, 0, 4], tf.int64), idx[:, :1])]
    feeds = [{lab: [[1, 2], [0, 3], [4, 4]], idx: [[1, 0, 3], [2, 3, 1], [4, 0, 2]]},
             {lab: [[0, 0], [1, 2], [3, 4]], idx: [[0, 1, 2], [4, 3, 0], [1, 2, 3]]}]
    return [[v.name for v in tf.local_variables()], [[sig(t) for t in m] for m in ms],
            [steps(tf, m, feeds) for m in ms], error(lambda: tf.metrics.recall_at_top_k(lab, idx[0]))]


def case_confusion_matrix(tf):
    lab, pred = tf.placeholder(tf.int32, [None]), tf.placeholder(tf.int32, [None])
    a = tf.confusion_matrix(lab, pred)
    b = tf.confusion_matrix(lab, pred, num_classes=4, dtype=tf.float32, weights=[1.0, 2.0, 0.5])
    feed = {lab: [0, 2, 1], pred: [0, 1, 1]}
    with tf.Session() as s:
        vals = [typed(v) for v in s.run([a, b], feed)]
    return [sig(a), sig(b), vals, run_error(tf, b, {lab: [0, 5, 1], pred: [0, 1, 1]})]


def case_at_top_k_class_id(tf):
    lab = tf.placeholder(tf.int64, [None, 2])
    idx = tf.placeholder(tf.int64, [None, 3])
    ms = [tf.metrics.precision_at_top_k(lab, idx, class_id=1), tf.metrics.recall_at_top_k(lab, idx, k=3, class_id=4),
          tf.metrics.precision_at_top_k(lab, idx, class_id=0, weights=tf.constant([1.0, 2.0, 0.5]))]
    feeds = [{lab: [[1, 2], [0, 3], [4, 4]], idx: [[1, 0, 3], [2, 3, 1], [4, 0, 2]]},
             {lab: [[0, 0], [1, 2], [3, 4]], idx: [[0, 1, 2], [4, 3, 0], [1, 2, 3]]}]
    return [[v.name for v in tf.local_variables()], [[sig(t) for t in m] for m in ms],
            [steps(tf, m, feeds) for m in ms]]

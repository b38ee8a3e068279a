"""Recorded cases: the tf.metrics that rank predictions with top_k (TopKV2): precision_at_k, recall_at_k,
average_precision_at_k and their sparse_* aliases."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import error, sig, typed  # noqa: E402

SCORES = [np.array([[0.1, 0.5, 0.2, 0.9, 0.0], [0.3, 0.1, 0.8, 0.6, 0.2], [0.9, 0.1, 0.2, 0.3, 0.4]], np.float32),
          np.array([[0.5, 0.4, 0.3, 0.2, 0.1], [0.0, 0.2, 0.1, 0.7, 0.6], [0.2, 0.9, 0.3, 0.1, 0.5]], np.float32)]
LABELS = [np.array([[3, 1], [0, 2], [4, 7]], np.int64), np.array([[0, 0], [4, 1], [2, 3]], np.int64)]


def steps(tf, metric, feeds):
    value, update = metric
    with tf.Session() as s:
        s.run(tf.local_variables_initializer())
        updates = [typed(s.run(update, f)) for f in feeds]
        return [sig(value), sig(update), updates, typed(s.run(value))]


def case_precision_recall_at_k(tf):
    lab, pred = tf.placeholder(tf.int64, [None, 2]), tf.placeholder(tf.float32, [None, 5])
    ms = [tf.metrics.precision_at_k(lab, pred, 2), tf.metrics.recall_at_k(lab, pred, 3),
          tf.metrics.sparse_precision_at_k(lab, pred, 1, weights=tf.constant([1.0, 0.5, 2.0])),
          tf.metrics.recall_at_k(lab[:, 0], pred, 2, name="r1")]
    feeds = [{lab: LABELS[i], pred: SCORES[i]} for i in (0, 1)]
    return [[v.name for v in tf.local_variables()], [steps(tf, m, feeds) for m in ms]]


def case_average_precision_at_k(tf):
    lab, pred = tf.placeholder(tf.int64, [None, 2]), tf.placeholder(tf.float32, [None, 5])
    ms = [tf.metrics.average_precision_at_k(lab, pred, 3),
          tf.metrics.sparse_average_precision_at_k(lab, pred, 2, weights=tf.constant([1.0, 0.0, 3.0])),
          tf.metrics.average_precision_at_k(lab[:, :1], pred, 1)]
    feeds = [{lab: LABELS[i], pred: SCORES[i]} for i in (0, 1)]
    return [[v.name for v in tf.local_variables()], [steps(tf, m, feeds) for m in ms],
            error(lambda: tf.metrics.average_precision_at_k(lab, pred, 0))]

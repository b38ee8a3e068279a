"""Recorded cases: tf.nn.ctc_unique_labels (a map_fn of Unique over the label rows, zero-padded)."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import run, sig  # noqa: E402

LABELS = np.array([[3, 4, 4, 3, 0], [1, 1, 1, 1, 1], [7, 2, 9, 2, 5]], np.int32)


def case_ctc_unique_labels(tf):
    outs = list(tf.nn.ctc_unique_labels(tf.constant(LABELS))) + list(tf.nn.ctc_unique_labels(
        tf.constant(LABELS.astype(np.int64)), name="u64"))
    return [[sig(t) for t in outs], run(tf, outs)]


def case_ctc_unique_labels_fed(tf):
    p = tf.placeholder(tf.int32, [None, None])
    outs = list(tf.nn.ctc_unique_labels(p))
    return [[sig(t) for t in outs], run(tf, outs, {p: LABELS[:, :4]}), run(tf, outs, {p: LABELS[:1]})]

"""Recorded cases: Reshape with a -1 size over tensors or sizes holding zeros (TF leaves zero sizes out of the
element counts that infer the -1, so [0, -1, 1] of a [0, 3] tensor is [0, 3, 1]), fed so the kernel decides."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import kernel_error, run, sig  # noqa: E402

PAIRS = [([0, 3], [0, -1, 1]), ([0, 3], [-1]), ([2, 0, 3], [0, -1]), ([0], [-1, 0]), ([0, 4], [-1, 0]),
         ([3, 0], [5, -1]), ([0, 2], [3, -1]), ([6], [-1, 2])]
BAD = [([6], [0, -1]), ([6], [-1, 4]), ([0, 3], [2, 0, -1, -1]), ([4], [-2, -1])]


def case_reshape_zero_sizes(tf):
    p, q = tf.placeholder(tf.float32), tf.placeholder(tf.int32)
    r = tf.reshape(p, q)
    return [sig(r), [run(tf, [r], {p: np.zeros(a, np.float32), q: b}) for a, b in PAIRS]]


def case_reshape_zero_sizes_static(tf):
    outs = [tf.reshape(tf.zeros(a), b) for a, b in PAIRS]
    return [[sig(t) for t in outs], run(tf, outs)]


def case_reshape_zero_sizes_errors(tf):
    p, q = tf.placeholder(tf.float32), tf.placeholder(tf.int32)
    r = tf.reshape(p, q)
    return [kernel_error(tf, r, {p: np.zeros(a, np.float32), q: b}) for a, b in BAD]

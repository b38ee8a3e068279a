"""ReverseSequence's shape function: seq_lengths' length fills in an unknown batch dim (so bidirectional RNNs over
placeholders with a constant sequence_length know their batch), and its build-time errors."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import error_text, run, sig  # noqa: E402


def case_reverse_sequence_static_shapes(tf):
    x = tf.placeholder(tf.float32, [None, 5, 3])
    outs = [tf.reverse_sequence(x, [5, 3], seq_axis=1, batch_axis=0),
            tf.reverse_sequence(tf.placeholder(tf.float32, [4, None, 2]), tf.placeholder(tf.int64, [None]), seq_axis=1),
            tf.reverse_sequence(tf.placeholder(tf.float32), [1, 2], seq_axis=1),
            tf.reverse_sequence(tf.placeholder(tf.float32, [3, None]), [1, 2], seq_axis=0, batch_axis=1),
            tf.reverse_sequence(tf.placeholder(tf.float32, [None, None]), tf.placeholder(tf.int32, [None]),
                                seq_axis=1)]
    data = np.arange(30, dtype=np.float32).reshape(2, 5, 3)
    return [[sig(t) for t in outs], run(tf, [outs[0]], {x: data})]


def case_reverse_sequence_shape_errors(tf):
    x = tf.placeholder(tf.float32, [None, 5, 3])
    return [error_text(lambda: tf.reverse_sequence(x, [5, 3, 1, 1], seq_axis=1, batch_axis=3)),
            error_text(lambda: tf.reverse_sequence(x, [5, 3], seq_axis=3)),
            error_text(lambda: tf.reverse_sequence(tf.zeros([2, 5, 3]), [5, 3, 1], seq_axis=1)),
            error_text(lambda: tf.reverse_sequence(x, [[5]], seq_axis=1))]

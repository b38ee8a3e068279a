"""Session.run's feed_dict with nested keys (an LSTMStateTuple, a tuple of placeholders): TF flattens the keys
and feeds each leaf from the matching leaf of the value; mismatches and repeated leaves are ValueErrors."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import error_text


def case_feed_lstm_state_tuple(tf):
    cell = tf.nn.rnn_cell.LSTMCell(2)
    s0 = cell.zero_state(1, tf.float32)
    total = s0.c + s0.h
    a, b = tf.placeholder(tf.float32, [2]), tf.placeholder(tf.float32, [2])
    with tf.Session() as s:
        zero = s.run(s0)
        return [s.run(total, {s0: (np.ones((1, 2), np.float32), 2 * np.ones((1, 2), np.float32))}),
                s.run(total, {s0: zero}),
                s.run(a * b, {(a, (b,)): (np.array([1.0, 2.0]), (np.array([3.0, 4.0]),))})]


def case_feed_nested_key_errors(tf):
    a, b = tf.placeholder(tf.float32, [2]), tf.placeholder(tf.float32, [2])
    with tf.Session() as s:
        return [error_text(lambda: s.run(a + b, {(a, b): ([1.0, 2.0],)})),
                error_text(lambda: s.run(a + b, {(a, b): [1.0, 2.0, 3.0]})),
                error_text(lambda: s.run(a + b, {(a, b): ([1.0, 2.0], [3.0, 4.0]), a: [5.0, 6.0]})),
                error_text(lambda: s.run(a + b, {(a, a): (np.ones(2), np.ones(2)), b: [5.0, 6.0]})),
                error_text(lambda: s.run(a + b, {(a, b): (np.ones(2), np.ones(2)), a: [5.0, 6.0]}))]

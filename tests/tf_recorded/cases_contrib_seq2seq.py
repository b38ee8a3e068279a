"""Recorded cases: tf.contrib.seq2seq.sequence_loss. TF 2.21 has no contrib, so when recording, the TF side
builds TF 1.15's sequence_loss from the same TF ops (`_tf115_sequence_loss` below, written from TF 1.15's
documented algorithm): the cases check raygraph's graph (names, types, shapes) and values against what those ops
give in TensorFlow, for every averaging/summing mode, fed shapes, zero weights and the argument errors."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error_text, run  # noqa: E402


def _tf115_sequence_loss(tf):
    def loss_fn(logits, targets, weights, average_across_timesteps=True, average_across_batch=True,
                sum_over_timesteps=False, sum_over_batch=False, softmax_loss_function=None, name=None):
        if len(logits.get_shape()) != 3:
            raise ValueError("Logits must be a [batch_size x sequence_length x logits] tensor")
        if len(targets.get_shape()) != 2:
            raise ValueError("Targets must be a [batch_size x sequence_length] tensor")
        if len(weights.get_shape()) != 2:
            raise ValueError("Weights must be a [batch_size x sequence_length] tensor")
        if average_across_timesteps and sum_over_timesteps:
            raise ValueError("average_across_timesteps and sum_over_timesteps cannot be set to True at same time.")
        if average_across_batch and sum_over_batch:
            raise ValueError("average_across_batch and sum_over_batch cannot be set to True at same time.")
        with tf.name_scope(name, "sequence_loss", [logits, targets, weights]):
            flat = tf.reshape(logits, [-1, tf.shape(logits)[2]])
            labels = tf.reshape(targets, [-1])
            fn = softmax_loss_function or tf.nn.sparse_softmax_cross_entropy_with_logits
            x = fn(labels=labels, logits=flat)
            x *= tf.reshape(weights, [-1])
            if average_across_timesteps and average_across_batch:
                return tf.div_no_nan(tf.reduce_sum(x), tf.reduce_sum(weights))
            if sum_over_timesteps and sum_over_batch:
                x = tf.reduce_sum(x)
                return tf.div_no_nan(x, tf.cast(tf.count_nonzero(weights), x.dtype))
            x = tf.reshape(x, tf.shape(logits)[0:2])
            if average_across_timesteps or average_across_batch:
                axis = [0] if average_across_batch else [1]
                x = tf.reduce_sum(x, axis=axis)
                return tf.div_no_nan(x, tf.reduce_sum(weights, axis=axis))
            if sum_over_timesteps or sum_over_batch:
                axis = [0] if sum_over_batch else [1]
                x = tf.reduce_sum(x, axis=axis)
                return tf.div_no_nan(x, tf.cast(tf.count_nonzero(weights, axis=axis), dtype=x.dtype))
            return x
    return loss_fn


def _sequence_loss(tf):
    return tf.contrib.seq2seq.sequence_loss if hasattr(tf, "contrib") else _tf115_sequence_loss(tf)


def _data():
    rng = np.random.default_rng(4)
    w = (rng.random((3, 5)) > 0.3).astype(np.float32)
    w[2] = 0.0
    return rng.standard_normal((3, 5, 4)).astype(np.float32), rng.integers(0, 4, (3, 5)).astype(np.int32), w


MODES = [{}, {"average_across_timesteps": False}, {"average_across_batch": False},
         {"average_across_timesteps": False, "average_across_batch": False},
         {"average_across_timesteps": False, "sum_over_timesteps": True},
         {"average_across_batch": False, "sum_over_batch": True},
         {"average_across_timesteps": False, "average_across_batch": False, "sum_over_timesteps": True,
          "sum_over_batch": True}]


def case_sequence_loss_graph(tf):
    logits, targets, weights = _data()
    loss = _sequence_loss(tf)(tf.constant(logits), tf.constant(targets), tf.constant(weights))
    return [describe(tf), loss.name, run(tf, [loss])]


def case_sequence_loss_modes(tf):
    logits, targets, weights = _data()
    f = _sequence_loss(tf)
    outs = [f(tf.constant(logits), tf.constant(targets), tf.constant(weights), name=f"m{i}", **m)
            for i, m in enumerate(MODES)]
    return [[[t.name, t.shape.as_list()] for t in outs], run(tf, outs)]


def case_sequence_loss_fed_and_custom_loss(tf):
    logits, targets, weights = _data()
    f = _sequence_loss(tf)
    lp, tp, wp = (tf.placeholder(tf.float32, [None, None, 4]), tf.placeholder(tf.int32, [None, None]),
                  tf.placeholder(tf.float32, [None, None]))
    outs = [f(lp, tp, wp), f(lp, tp, wp, average_across_batch=False),
            f(lp, tp, wp, softmax_loss_function=lambda labels, logits: tf.reduce_max(logits, 1) * 0 + 1.0)]
    return [[t.shape.as_list() for t in outs], run(tf, outs, {lp: logits, tp: targets, wp: weights})]


def case_sequence_loss_errors(tf):
    logits, targets, weights = _data()
    f = _sequence_loss(tf)
    lg, tg, wg = tf.constant(logits), tf.constant(targets), tf.constant(weights)
    return [error_text(lambda: f(lg[0], tg, wg)), error_text(lambda: f(lg, tg[0], wg)),
            error_text(lambda: f(lg, tg, wg[0])), error_text(lambda: f(lg, tg, wg, sum_over_timesteps=True)),
            error_text(lambda: f(lg, tg, wg, sum_over_batch=True))]

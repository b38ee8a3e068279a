"""Recorded cases: relu, softmax, log_softmax and the softmax cross entropies."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error, error_text, run, run_error, sig  # noqa: E402

LOGITS = np.array([[2.0, 1.0, 0.1], [0.5, 2.5, -1.0]], np.float32)
LABELS = np.array([[0.7, 0.2, 0.1], [0.0, 1.0, 0.0]], np.float32)
L3 = np.arange(24, dtype=np.float32).reshape(2, 3, 4) / 10.0


def case_relu(tf):
    x = tf.constant([[-1.0, 0.0, 2.5], [3.0, -0.5, 1.0]])
    outs = [tf.nn.relu(x), tf.nn.relu(x, name="r"), tf.nn.relu([-2, 3]), tf.nn.relu(tf.constant([-1, 2], tf.int64))]
    return [describe(tf), run(tf, outs), error(lambda: tf.nn.relu(tf.constant([True])))]


def case_softmax_graph(tf):
    x = tf.constant(LOGITS)
    outs = [tf.nn.softmax(x), tf.nn.log_softmax(x), tf.nn.softmax(x, name="sm"), tf.nn.softmax(x, axis=1),
            tf.nn.softmax([1.0, 2.0, 3.0])]
    return [describe(tf), run(tf, outs)]


def case_softmax_other_axis(tf):
    x = tf.constant(L3)
    outs = [tf.nn.softmax(x, axis=0), tf.nn.log_softmax(x, axis=1), tf.nn.softmax(x, dim=-2, name="s2")]
    return [describe(tf), [sig(t) for t in outs], run(tf, outs)]


def case_softmax_shapes_and_errors(tf):
    p = tf.placeholder(tf.float32, [None, 5])
    u = tf.placeholder(tf.float32)
    return [sig(tf.nn.softmax(p)), sig(tf.nn.log_softmax(u)), sig(tf.nn.softmax(p, axis=0)),
            error_text(lambda: tf.nn.softmax(tf.constant(1.0))), error(lambda: tf.nn.softmax(tf.constant([1, 2]))),
            error(lambda: tf.nn.softmax(p, axis=2)), error(lambda: tf.nn.softmax(u, axis=0))]


def case_softmax_values_extreme(tf):
    x = tf.constant([[1000.0, 0.0, -1000.0], [-np.inf, 0.0, 1.0]])
    h = tf.constant([[1.0, 2.0], [3.0, 3.0]], tf.float16)
    d = tf.constant([[1.0, 2.0], [3.0, 3.0]], tf.float64)
    return run(tf, [tf.nn.softmax(x), tf.nn.log_softmax(x), tf.nn.softmax(h), tf.nn.log_softmax(d)])


def case_xent_v2_graph(tf):
    logits, labels = tf.constant(LOGITS), tf.constant(LABELS)
    loss = tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits)
    return [describe(tf), sig(loss), run(tf, [loss])]


def case_xent_v2_named_and_axis(tf):
    logits, labels = tf.constant(L3), tf.constant(np.ones((2, 3, 4), np.float32) / 4)
    a = tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits, name="xe")
    b = tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits, axis=1)
    return [describe(tf), sig(a), sig(b), run(tf, [a, b])]


def case_xent_v2_partial_shapes(tf):
    p = tf.placeholder(tf.float32, [None, 3])
    q = tf.placeholder(tf.float32, [None, 3])
    u = tf.placeholder(tf.float32)
    a = tf.nn.softmax_cross_entropy_with_logits_v2(labels=q, logits=p)
    b = tf.nn.softmax_cross_entropy_with_logits_v2(labels=u, logits=u)
    return [sig(a), sig(b), run(tf, [a], {p: LOGITS, q: LABELS})]


def case_xent_v2_errors(tf):
    p = tf.placeholder(tf.float32, [2, 3])
    return [error(lambda: tf.nn.softmax_cross_entropy_with_logits_v2(labels=tf.placeholder(tf.float32, [2, 4]),
                                                                     logits=p)),
            error(lambda: tf.nn.softmax_cross_entropy_with_logits_v2(labels=tf.constant([[1, 0, 0], [0, 1, 0]]),
                                                                     logits=p)),
            error(lambda: tf.nn.softmax_cross_entropy_with_logits_v2(labels=p, logits=tf.constant([[1, 2, 3]])))]


def case_xent_deprecated_v1(tf):
    logits, labels = tf.constant(LOGITS), tf.constant(LABELS)
    loss = tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    return [describe(tf), sig(loss), run(tf, [loss]), error(lambda: tf.nn.softmax_cross_entropy_with_logits(labels))]


def case_sparse_xent_graph(tf):
    logits = tf.constant(LOGITS)
    loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[0, 1], logits=logits)
    loss64 = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=tf.constant([2, 0], tf.int64), logits=logits,
                                                           name="sx")
    return [describe(tf), sig(loss), sig(loss64), run(tf, [loss, loss64])]


def case_sparse_xent_rank3(tf):
    logits = tf.constant(L3)
    labels = tf.constant([[0, 1, 3], [2, 2, 0]])
    loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    return [describe(tf), sig(loss), run(tf, [loss])]


def case_sparse_xent_shapes_and_errors(tf):
    p = tf.placeholder(tf.float32, [None, 4])
    i = tf.placeholder(tf.int32, [None])
    return [sig(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=i, logits=p)),
            error_text(lambda: tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[[0]], logits=p)),
            error_text(lambda: tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[0, 1, 2],
                                                                              logits=tf.constant(LOGITS))),
            error(lambda: tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[0.0, 1.0],
                                                                         logits=tf.constant(LOGITS))),
            error_text(lambda: tf.nn.sparse_softmax_cross_entropy_with_logits(labels=0, logits=tf.constant(1.0))),
            error(lambda: tf.nn.sparse_softmax_cross_entropy_with_logits(logits=p))]


def case_sparse_xent_runtime_errors(tf):
    i = tf.placeholder(tf.int32, [None])
    loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=i, logits=tf.constant(LOGITS))
    return [run_error(tf, loss, {i: [0, 3]}), run_error(tf, loss, {i: [-1, 0]}),
            run_error(tf, loss, {i: [0, 1, 2]})]


def case_dropout_graph_and_values(tf):
    """TF1's compat.v1 dropout: a scale, a seeded uniform draw, GreaterEqual and SelectV2."""
    tf.set_random_seed(3)
    x = tf.placeholder(tf.float32, [None, 4], name="x")
    a = tf.nn.dropout(x, rate=0.3)
    b = tf.nn.dropout(x, keep_prob=0.75, seed=5, name="kp")
    r = tf.placeholder(tf.float32, [])
    c = tf.nn.dropout(x, rate=r, noise_shape=[1, 4])
    d = tf.nn.dropout(x, rate=0.0)
    with tf.Session() as s:
        values = s.run([a, b, c], {x: np.arange(12, dtype=np.float32).reshape(3, 4) + 1, r: 0.5})
    return [describe(tf), [sig(t) for t in (a, b, c, d)], values]


def case_dropout_errors(tf):
    x = tf.constant([1.0, 2.0])
    return [error_text(lambda: tf.nn.dropout(x, rate=1.0)), error_text(lambda: tf.nn.dropout(x)),
            error_text(lambda: tf.nn.dropout(tf.constant([1, 2]), rate=0.5)),
            error(lambda: tf.nn.dropout(x, rate=tf.constant([0.5, 0.5])))]


def case_cross_entropy_of_a_sure_class_is_positive_zero(tf):
    """A loss that is exactly zero (one class, or a label with all the probability) is +0.0 as TF's kernels compute
    it (log-sum-exp minus the logit), not -0.0, in the dense, v2 and sparse forms."""
    logits = tf.constant(np.array([[3.0], [-1.5]], np.float32))
    labels = tf.constant(np.array([[1.0], [1.0]], np.float32))
    sure = tf.constant(np.array([[0.0, -200.0], [5.0, -300.0]], np.float32))
    ts = [tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits),
          tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits),
          tf.nn.sparse_softmax_cross_entropy_with_logits(labels=tf.constant([0, 0]), logits=logits),
          tf.nn.sparse_softmax_cross_entropy_with_logits(labels=tf.constant([0, 0]), logits=sure)]
    with tf.Session() as s:
        values = s.run(ts)
    return [[v.tolist(), np.signbit(v).tolist()] for v in values]

"""Recorded cases: tf.losses (every loss, Reduction, weights, the LOSSES collection, total losses)."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error, error_text, run, run_error, sig  # noqa: E402

P = np.array([[0.9, 0.2, 0.4], [0.1, 0.7, 0.3]], np.float32)
L = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]], np.float32)
LOGITS = np.array([[2.0, -1.0, 0.5], [0.3, 1.2, -2.0]], np.float32)
W_ROWS = np.array([[2.0], [0.0]], np.float32)
W_FULL = np.array([[1.0, 0.0, 2.0], [0.5, 0.0, 1.0]], np.float32)


def _losses(tf, p, l, logits, cosine=True, softmax=True, **kw):
    cos = [tf.losses.cosine_distance(l, p, axis=1, **kw)] if cosine else []
    soft = [tf.losses.softmax_cross_entropy(l, logits, **kw)] if softmax else []
    return cos + soft + [tf.losses.absolute_difference(l, p, **kw),
            tf.losses.hinge_loss(l, logits, **kw), tf.losses.huber_loss(l, p, delta=0.25, **kw),
            tf.losses.log_loss(l, p, **kw), tf.losses.mean_squared_error(l, p, **kw),
            tf.losses.sigmoid_cross_entropy(l, logits, **kw)]


def case_every_loss_graph_and_values(tf):
    outs = _losses(tf, tf.constant(P), tf.constant(L), tf.constant(LOGITS))
    outs.append(tf.losses.sparse_softmax_cross_entropy(tf.constant([0, 1]), tf.constant(LOGITS)))
    outs.append(tf.losses.mean_pairwise_squared_error(tf.constant(L), tf.constant(P)))
    return [describe(tf), [sig(t) for t in outs], run(tf, outs), [t.name for t in tf.losses.get_losses()]]


def case_weights_row_and_full(tf):
    p, l, lg = tf.constant(P), tf.constant(L), tf.constant(LOGITS)
    rows = _losses(tf, p, l, lg, softmax=False, weights=W_ROWS)
    soft_rows = tf.losses.softmax_cross_entropy(l, lg, weights=W_ROWS[:, 0])
    soft_bad = error(lambda: tf.losses.softmax_cross_entropy(l, lg, weights=W_ROWS))
    full = _losses(tf, p, l, lg, cosine=False, softmax=False, weights=tf.constant(W_FULL))
    cos_full = error(lambda: tf.losses.cosine_distance(l, p, axis=1, weights=W_FULL))
    scalar = _losses(tf, p, l, lg, weights=0.5)
    return [run(tf, rows + full + scalar + [soft_rows]), len(tf.losses.get_losses()), cos_full, soft_bad]


def case_reductions(tf):
    p, l = tf.constant(P), tf.constant(L)
    R = tf.losses.Reduction
    outs = [tf.losses.mean_squared_error(l, p, weights=W_FULL, reduction=r)
            for r in (R.NONE, R.SUM, R.MEAN, R.SUM_OVER_BATCH_SIZE, R.SUM_BY_NONZERO_WEIGHTS)]
    zero = tf.losses.absolute_difference(l, p, weights=0.0)
    return [describe(tf), [sig(t) for t in outs], run(tf, outs + [zero]), R.all(), R.SUM_OVER_NONZERO_WEIGHTS]


def case_compute_weighted_loss(tf):
    losses = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    a = tf.losses.compute_weighted_loss(losses)
    b = tf.losses.compute_weighted_loss(losses, weights=[[1.0], [0.0]], scope="mine")
    c = tf.losses.compute_weighted_loss(tf.constant([1.0, 2.0], tf.float64), loss_collection=None)
    return [describe(tf), [sig(t) for t in (a, b, c)], run(tf, [a, b, c]), len(tf.losses.get_losses())]


def case_label_smoothing(tf):
    lg = tf.constant(LOGITS)
    outs = [tf.losses.softmax_cross_entropy(L, lg, label_smoothing=0.2),
            tf.losses.sigmoid_cross_entropy(L, lg, label_smoothing=0.1)]
    return [describe(tf), run(tf, outs)]


def case_sparse_squeezes_labels_and_weights(tf):
    labels = tf.constant([[0], [2]])
    loss = tf.losses.sparse_softmax_cross_entropy(labels, tf.constant(LOGITS), weights=tf.constant([[1.0], [3.0]]))
    return [describe(tf), sig(loss), run(tf, [loss])]


def case_pairwise_weights(tf):
    l, p = tf.constant(L), tf.constant(P)
    outs = [tf.losses.mean_pairwise_squared_error(l, p, weights=[[2.0], [0.5]]),
            tf.losses.mean_pairwise_squared_error(l, p, weights=0.0)]
    return run(tf, outs)


def case_unknown_shapes(tf):
    p = tf.placeholder(tf.float32, [None, 3])
    l = tf.placeholder(tf.float32, [None, 3])
    w = tf.placeholder(tf.float32, [None, 1])
    mse = tf.losses.mean_squared_error(l, p, weights=w)
    sp = tf.losses.sparse_softmax_cross_entropy(tf.placeholder(tf.int32, [None]), p)
    with tf.Session() as s:
        good = s.run(mse, {p: P, l: L, w: W_ROWS})
    bad = run_error(tf, mse, {p: P, l: L, w: np.ones([2, 2], np.float32)})
    return [sig(mse), sig(sp), good, bad]


def case_errors(tf):
    p, l = tf.constant(P), tf.constant(L)
    return [error_text(lambda: tf.losses.mean_squared_error(None, p)),
            error_text(lambda: tf.losses.cosine_distance(l, p)),
            error_text(lambda: tf.losses.hinge_loss(l, None)),
            error(lambda: tf.losses.mean_squared_error(l, tf.constant([1.0, 2.0]))),
            error_text(lambda: tf.losses.mean_squared_error(l, p, weights=[1.0, 2.0, 3.0, 4.0]), 40),
            error_text(lambda: tf.losses.mean_squared_error(l, p, weights=np.ones([2, 1, 1], np.float32)), 40),
            error_text(lambda: tf.losses.mean_squared_error(l, p, reduction="mean"), 40),
            error(lambda: tf.losses.sparse_softmax_cross_entropy(tf.constant([0, 1]), None))]


def case_total_and_regularization(tf):
    p, l = tf.constant(P), tf.constant(L)
    a = tf.losses.mean_squared_error(l, p)
    b = tf.losses.absolute_difference(l, p, scope="abs")
    none = tf.losses.get_regularization_loss()
    tf.add_to_collection(tf.GraphKeys.REGULARIZATION_LOSSES, tf.constant(0.25, name="reg"))
    tf.losses.add_loss(tf.constant(1.5, name="extra"))
    tf.losses.add_loss(tf.constant(9.0, name="ignored"), loss_collection=None)
    total = tf.losses.get_total_loss()
    plain = tf.losses.get_total_loss(add_regularization_losses=False, name="plain")
    reg = tf.losses.get_regularization_loss()
    scoped = tf.losses.get_losses(scope="abs")
    return [sig(none), sig(total), sig(plain), sig(reg), [t.name for t in scoped],
            [t.name for t in tf.losses.get_regularization_losses()], run(tf, [a, b, none, total, plain, reg])]


def case_gradients(tf):
    p = tf.constant(P)
    lg = tf.constant(LOGITS)
    total = (tf.losses.mean_squared_error(L, p, weights=W_FULL) + tf.losses.huber_loss(L, p, delta=0.3)
             + tf.losses.softmax_cross_entropy(L, lg) + tf.losses.log_loss(L, p))
    g = tf.gradients(total, [p, lg])
    with tf.Session() as s:
        return s.run(g)

"""Recorded cases found by running TF1 notebooks and programs (udacity/deep-learning's word2vec, ...): an
elementwise region whose values are read only through control edges (a gradient the optimizer's gate groups but
never reads, as after sampled_softmax_loss with labels of unknown width)."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import sig  # noqa: E402


def case_region_read_only_through_control_edges(tf):
    x = tf.placeholder(tf.float32, [None], name="x")
    a = tf.exp(x * 2.0) + 1.0
    with tf.control_dependencies([a]):
        y = tf.identity(x, name="y")
    with tf.Session() as s:
        return [sig(y), s.run(y, {x: [1.0, 2.0]}).tolist()]


def case_sampled_softmax_step_with_labels_of_unknown_width(tf):
    tf.set_random_seed(1)
    inputs = tf.placeholder(tf.int32, [None])
    labels = tf.placeholder(tf.int32, [None, None])
    emb = tf.Variable(np.linspace(-1, 1, 80, dtype=np.float32).reshape(20, 4))
    w = tf.Variable(np.linspace(-0.2, 0.2, 80, dtype=np.float32).reshape(20, 4))
    b = tf.Variable(tf.zeros(20))
    cost = tf.reduce_mean(tf.nn.sampled_softmax_loss(w, b, labels, tf.nn.embedding_lookup(emb, inputs), 5, 20))
    step = tf.train.GradientDescentOptimizer(0.5).minimize(cost)
    feed = {inputs: [1, 2, 3], labels: np.array([4, 5, 6])[:, None]}
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        first = s.run([cost, step], feed)[0]
        return [round(float(first), 5), round(float(s.run(cost, feed)), 5), np.round(s.run(b), 5).tolist()]

"""Recorded cases: a model trained through dynamic_rnn (a while loop writing TensorArrays) exports, saves and
restores: the gradient loop makes no accumulator for a TensorArray's handle (TF makes none: its gradient flows
through the flow tensor); and the message of running an op with a default session of another graph."""
import os
import tempfile

import numpy as np


def case_dynamic_rnn_trained_then_saved(tf):
    tf.set_random_seed(1)
    x = tf.placeholder(tf.float32, [None, 3, 1])
    outputs, _ = tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicRNNCell(4), x, dtype=tf.float32)
    loss = tf.reduce_mean(tf.square(outputs - 0.5))
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    g = tf.get_default_graph()
    resource_consts = [op.name for op in g.get_operations()
                       if op.type == "Const" and op.get_attr("dtype") == tf.resource]
    graph_def = g.as_graph_def()
    saver = tf.train.Saver()
    feed = {x: np.linspace(-1, 1, 12, dtype=np.float32).reshape(4, 3, 1)}
    path = os.path.join(tempfile.mkdtemp(), "model")
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        losses = [float(s.run([train, loss], feed)[1]) for _ in range(5)]
        saver.save(s, path)
        after = float(s.run(loss, feed))
    with tf.Session() as s:
        saver.restore(s, path)
        restored = float(s.run(loss, feed))
    return [resource_consts, len(graph_def.node) > 0, np.round(losses, 5).tolist(), round(after, 5),
            round(restored, 5)]


def case_op_run_with_other_graph_default_session(tf):
    with tf.Graph().as_default():
        op = tf.no_op()
    out = []
    with tf.Session():
        for fn in (op.run, tf.constant(1.0).eval):
            try:
                fn() if fn is not op.run else op.run()
                out.append("ran")
            except ValueError as e:
                out.append(str(e))
    return out

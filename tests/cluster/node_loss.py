"""A worker node dies mid-training: `run` raises UnavailableError naming the task; a new session on a
replacement node restores the last checkpoint and training continues (run as a script by test_cluster.py).
"""
import os
import sys
import tempfile

import numpy as np
from common import CLUSTER, finish, start

import raygraph as tf


def build():
    g = tf.Graph()
    with g.as_default():
        with tf.device(tf.train.replica_device_setter(cluster=CLUSTER, worker_device="/job:worker/task:1")):
            x = tf.placeholder(tf.float32, [None, 2], name="x")
            y = tf.placeholder(tf.float32, [None, 1], name="y")
            w = tf.get_variable("w", [2, 1], initializer=tf.zeros_initializer())
            step = tf.train.get_or_create_global_step()
            loss = tf.reduce_mean(tf.square(tf.matmul(x, w) - y))
            train = tf.train.GradientDescentOptimizer(0.05).minimize(loss, global_step=step)
            saver = tf.train.Saver()
            init = tf.global_variables_initializer()
    return g, x, y, loss, train, step, saver, init


def main():
    cluster, nodes = start()
    doomed = nodes["worker:1"]
    ckpt_dir = tempfile.mkdtemp()
    xs = np.random.default_rng(1).standard_normal((32, 2)).astype(np.float32)
    ys = xs @ np.array([[2.0], [-1.0]], np.float32)
    g, x, y, loss, train, step, saver, init = build()
    out = {}
    sess = tf.Session("auto", graph=g)
    sess.run(init)
    for i in range(20):
        sess.run(train, {x: xs, y: ys})
        if i == 9:
            out["saved"] = saver.save(sess, os.path.join(ckpt_dir, "model"), global_step=step)
    out["loss_at_save"] = float(sess.run(loss, {x: xs, y: ys}))
    cluster.remove_node(doomed)
    try:
        sess.run(train, {x: xs, y: ys})
        out["error"] = "no error"
    except tf.errors.OpError as e:
        out["error"] = type(e).__name__
        out["message"] = str(e)[:300]
    sess.close()
    cluster.add_node(num_cpus=1, resources={"worker:1": 1})   # a replacement machine for worker task 1
    tf.Session.reset("auto")                                   # forget the old run's state everywhere
    with tf.Session("auto", graph=g) as sess2:
        saver.restore(sess2, tf.train.latest_checkpoint(ckpt_dir))
        out["restored_step"] = int(sess2.run(step))
        out["loss_after_restore"] = float(sess2.run(loss, {x: xs, y: ys}))
        for _ in range(30):
            sess2.run(train, {x: xs, y: ys})
        out["final_step"] = int(sess2.run(step))
        out["final_loss"] = float(sess2.run(loss, {x: xs, y: ys}))
    finish(cluster, out)


if __name__ == "__main__":
    sys.exit(main())

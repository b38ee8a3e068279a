"""The guide's parameter-server program, trained on a Ray cluster.

    RAY_AUTH_MODE=token ray job submit --address http://<head>:8265 --working-dir . -- \
        python examples/ps_worker_training.py
    python examples/ps_worker_training.py --target ray://<head>:10001   # a Ray client (finds the token itself)
    python examples/ps_worker_training.py            # no cluster: starts a local Ray runtime first

Variables live on two ps tasks (`/job:ps/task:0`, `/job:ps/task:1`); two worker tasks each compute the
gradients of half of every batch (in-graph replication), which are averaged and applied on the ps
tasks. Every task is a device actor on the cluster (see raygraph/cluster.py for where each one runs).
"""
import argparse
import os

import numpy as np

import raygraph as tf

CLUSTER = {"ps": ["ps0:2222", "ps1:2222"], "worker": ["worker0:2222", "worker1:2222"]}


def make_data(n=512, classes=4, dim=16, seed=0):
    rng = np.random.default_rng(seed)
    centers = rng.standard_normal((classes, dim)) * 3
    labels = rng.integers(0, classes, n)
    return (centers[labels] + rng.standard_normal((n, dim))).astype(np.float32), labels.astype(np.int64)


def build(dim=16, hidden=32, classes=4, workers=2):
    with tf.device("/job:ps/task:0"):
        weights_1 = tf.Variable(tf.truncated_normal([dim, hidden], stddev=0.1, seed=1), name="weights_1")
        biases_1 = tf.Variable(tf.zeros([hidden]), name="biases_1")
    with tf.device("/job:ps/task:1"):
        weights_2 = tf.Variable(tf.truncated_normal([hidden, classes], stddev=0.1, seed=2), name="weights_2")
        biases_2 = tf.Variable(tf.zeros([classes]), name="biases_2")
    x = tf.placeholder(tf.float32, [None, dim], name="x")
    labels = tf.placeholder(tf.int64, [None], name="labels")
    xs, ys = tf.split(x, workers), tf.split(labels, workers)
    params = [weights_1, biases_1, weights_2, biases_2]
    losses, grads = [], []
    for i in range(workers):
        with tf.device(f"/job:worker/task:{i}"), tf.name_scope(f"tower_{i}"):
            layer_1 = tf.nn.relu(tf.matmul(xs[i], weights_1) + biases_1)
            layer_2 = tf.matmul(layer_1, weights_2) + biases_2
            loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=ys[i], logits=layer_2))
            losses.append(loss)
            grads.append(tf.gradients(loss, params))
    with tf.device("/job:ps/task:0"):
        mean_grads = [tf.add_n(list(gs)) / float(workers) for gs in zip(*grads)]
        step = tf.train.get_or_create_global_step()
        train = tf.train.GradientDescentOptimizer(0.5).apply_gradients(zip(mean_grads, params), global_step=step)
    return x, labels, tf.add_n(losses) / float(workers), train, step


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--target", default="auto", help="a raygraph Session target (default: the Ray cluster)")
    args = parser.parse_args()
    if args.target == "auto" and not os.environ.get("RAY_ADDRESS"):
        import ray
        ray.init(address="local", logging_level="ERROR")  # no cluster given: a local one, so the example runs anywhere
    x, labels, loss, train, step = build()
    data, classes = make_data()
    feed = {x: data, labels: classes}
    with tf.Session(args.target) as sess:
        sess.run(tf.global_variables_initializer())
        first = sess.run(loss, feed)
        for _ in range(args.steps):
            sess.run(train, feed)
        last = sess.run(loss, feed)
        tasks = sorted({d.rsplit("/device:", 1)[0] for d in sess._runtime.client.handles})
        print(f"tasks: {', '.join(tasks)}")
        print(f"loss {first:.4f} -> {last:.4f} after {sess.run(step)} steps")
        print("TRAINED" if last < first * 0.5 else "NOT TRAINED")
    tf.Session.reset(args.target)


if __name__ == "__main__":
    main()

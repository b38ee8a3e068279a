"""Where a step of `mlp_train` (784-256-10 MLP, batch 128, SGD; bench/workloads.py) goes on raygraph.

Measures, in one process, medians over many steps:
  numpy          the same step written directly in numpy (forward, backward, SGD update): the arithmetic
  in order       the step on an in-process Device (the actor's body, without Ray) as it runs now: the
                 partition's compiled straight-line function, i.e. its kernels one after another
  executor       the same step through the dependency-driven executor (what every step used before; a step
                 with a deadline, sends or receives still does)
  session.run    the real thing: client, step channel, feed transfer, device actor
and the differences: the kernels' own overhead over plain numpy (in order - numpy), the executor's
bookkeeping (executor - in order) and client + channel + feed and fetch transfer (session.run - in order).

Usage: python bench/step_breakdown.py [steps]
"""
import statistics
import sys
import time

import numpy as np

import raygraph as tf
from raygraph import engine
from scheduler.device import Device
from threadpoolctl import threadpool_limits

BATCH = 128


def build():
    g = tf.Graph()
    with g.as_default():
        tf.set_random_seed(0)
        x = tf.placeholder(tf.float32, [None, 784])
        y = tf.placeholder(tf.float32, [None, 10])
        w1 = tf.Variable(tf.truncated_normal([784, 256], stddev=0.05))
        b1 = tf.Variable(tf.zeros([256]))
        w2 = tf.Variable(tf.truncated_normal([256, 10], stddev=0.05))
        b2 = tf.Variable(tf.zeros([10]))
        h = tf.nn.relu(tf.matmul(x, w1) + b1)
        logits = tf.matmul(h, w2) + b2
        loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=logits))
        train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
        init = tf.global_variables_initializer()
    return g, x, y, train, init


def median_ms(fn, n):
    for _ in range(5):
        fn()
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1e3


def numpy_step(xs, ys):
    rng = np.random.default_rng(0)
    w1 = (rng.standard_normal((784, 256)) * 0.05).astype(np.float32)
    b1, w2 = np.zeros(256, np.float32), (rng.standard_normal((256, 10)) * 0.05).astype(np.float32)
    b2 = np.zeros(10, np.float32)

    def step():
        nonlocal w1, b1, w2, b2
        pre = xs @ w1 + b1
        h = np.maximum(pre, 0)
        logits = h @ w2 + b2
        e = np.exp(logits - logits.max(1, keepdims=True))
        p = e / e.sum(1, keepdims=True)
        g = (p - ys) / BATCH
        gw2, gb2 = h.T @ g, g.sum(0)
        gh = (g @ w2.T) * (pre > 0)
        gw1, gb1 = xs.T @ gh, gh.sum(0)
        w1 -= 0.1 * gw1
        b1 -= 0.1 * gb1
        w2 -= 0.1 * gw2
        b2 -= 0.1 * gb2
    return step


def main(n):
    rng = np.random.default_rng(0)
    xs = rng.standard_normal((BATCH, 784)).astype(np.float32)
    ys = np.eye(10, dtype=np.float32)[rng.integers(0, 10, BATCH)]
    with threadpool_limits(1):  # devices run single-threaded BLAS (scheduler/intra_op.py)
        numpy_ms = median_ms(numpy_step(xs, ys), n)
    g, x, y, train, init = build()
    with tf.Session(graph=g) as s:
        s.run(init)
        run_ms = median_ms(lambda: s.run(train, {x: xs, y: ys}), n)
        # The same plans on an in-process Device: the actor's body without Ray, the channel or the client.
        plans = {key[1][0].name: p for key, p in s._plans.items() if key[1] and not key[0]}
        device = Device(next(iter(plans[train.name].partitions)))
        for op in (init, train):
            (_, part), = plans[op.name].partitions.items()
            device.install(plans[op.name].id, part, {})
        device.run_step(plans[init.name].id, -1, {}, False, None)
        feeds = {engine._key(x): xs, engine._key(y): ys}
        ids = iter(range(10 ** 9))
        device_ms = median_ms(lambda: device.run_step(plans[train.name].id, next(ids), feeds, False, None), n)
        executor_ms = median_ms(lambda: device.run_step(plans[train.name].id, next(ids), feeds, False, 60.0), n)
        device.close()
    rows = [("numpy (the arithmetic, one thread)", numpy_ms), ("device step, in order (in-process)", device_ms),
            ("device step, through the executor (in-process)", executor_ms), ("session.run", run_ms),
            ("  kernels' overhead over numpy = in order - numpy", device_ms - numpy_ms),
            ("  executor bookkeeping = executor - in order", executor_ms - device_ms),
            ("  client + channel + transfers = run - in order", run_ms - device_ms)]
    for label, ms in rows:
        print(f"{label:52} {ms:7.3f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)

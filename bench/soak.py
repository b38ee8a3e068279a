"""Ray's state must not grow with steps: a two-device soak, with every Ray process's memory before and after.

    python bench/soak.py [--steps 10000]

A local session with two CPU devices runs a step whose tensors cross between them (and a variable update);
the resident memory of each Ray process of this runtime (GCS, raylet, workers and device actors) is read
after a warm-up of 1,000 steps and again at the end. Before devices had direct links, each cross-device
tensor was a Ray task and an object, and the GCS grew ~25 MB per 1,000 steps.
"""
import argparse
import os
import sys
import time

import numpy as np
import psutil

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import raygraph as tf  # noqa: E402


def ray_processes():
    """{description: Process} of this session's Ray processes (children of the driver, and their children)."""
    procs = {}
    for p in psutil.Process().children(recursive=True):
        try:
            name = " ".join(p.cmdline()[:3])[-70:] or p.name()
            procs[f"{p.pid} {name}"] = p
        except psutil.Error:
            continue
    return procs


def rss(procs):
    out = {}
    for key, p in procs.items():
        try:
            out[key] = p.memory_info().rss
        except psutil.Error:
            pass
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=10_000)
    args = parser.parse_args()
    with tf.device("/cpu:0"):
        x = tf.placeholder(tf.float32, [64, 64])
        h = tf.tanh(tf.matmul(x, x))
        counter = tf.Variable(0.0)
    with tf.device("/cpu:1"):
        y = tf.reduce_sum(h * 2.0)
        bump = tf.assign_add(counter, y * 0.0 + 1.0)  # a tensor back to cpu:0 for the update
    data = np.random.default_rng(0).standard_normal((64, 64)).astype(np.float32) * 0.1
    with tf.Session(config=tf.ConfigProto(device_count={"CPU": 2})) as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(1000):
            sess.run(bump, {x: data})
        procs = ray_processes()
        before = rss(procs)
        start = time.perf_counter()
        for _ in range(args.steps - 1000):
            sess.run(bump, {x: data})
        seconds = time.perf_counter() - start
        after = rss(procs)
        assert sess.run(counter) == args.steps
    per = 1000.0 / (args.steps - 1000)
    print(f"{args.steps} steps, {seconds / (args.steps - 1000) * 1e3:.3f} ms/step; resident memory growth per "
          f"1,000 steps after the first 1,000:")
    for key in sorted(before, key=lambda k: -(after.get(k, 0) - before[k])):
        if key in after:
            print(f"  {(after[key] - before[key]) * per / 2**20:+8.3f} MiB  ({after[key] / 2**20:.0f} MiB)  {key}")


if __name__ == "__main__":
    main()

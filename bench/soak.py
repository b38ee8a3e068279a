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

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import raygraph as tf  # noqa: E402


def ray_processes():
    """{"pid command": pid} of this session's Ray processes: the driver's descendants (read from /proc)."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    parents[int(entry)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
    mine, frontier = set(), {os.getpid()}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - mine
        mine |= frontier
    procs = {}
    for pid in mine:
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                words = f.read().split(b"\0")
            name = os.path.basename(words[0].decode(errors="replace"))
            if name.startswith("python") and len(words) > 1:
                name = os.path.basename(words[1].decode(errors="replace"))
            procs[f"{pid} {name[:50]}"] = pid
        except OSError:
            continue
    return procs


def rss(procs):
    out = {}
    for key, pid in procs.items():
        try:
            with open(f"/proc/{pid}/status") as f:
                out[key] = next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmRSS:"))
        except (OSError, StopIteration):
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

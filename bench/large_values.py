"""Large values to and from the client: fetching and feeding a 1 GiB tensor, on raygraph or TensorFlow 1.

    python bench/large_values.py raygraph|tf [--gib 1.0]

Prints the median of 3 runs of each after one warm-up, and the client's peak resident memory. Run
`tf` with a python that has tensorflow (a separate virtualenv); raygraph never imports it.
"""
import argparse
import os
import resource
import statistics
import sys
import time

import numpy as np


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("system", choices=["raygraph", "tf"])
    parser.add_argument("--gib", type=float, default=1.0)
    args = parser.parse_args()
    if args.system == "tf":
        import tensorflow.compat.v1 as tf
        tf.disable_eager_execution()
    else:
        sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        import raygraph as tf
    n = int(args.gib * (1 << 28))  # float32 elements
    big = tf.Variable(tf.zeros([n]), name="big")
    x = tf.placeholder(tf.float32, [n])
    total = tf.reduce_sum(x)
    data = np.ones(n, np.float32)
    with tf.Session() as sess:
        sess.run(big.initializer)
        for label, run in (("fetch", lambda: sess.run(big)), ("feed", lambda: sess.run(total, {x: data}))):
            times = []
            for i in range(4):
                start = time.perf_counter()
                out = run()
                times.append(time.perf_counter() - start)
                del out
            print(f"{label}_{args.gib:g}GiB\t{statistics.median(times[1:]):.3f}\ts\t(first {times[0]:.3f} s)")
    print(f"peak_rss\t{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20:.2f}\tGiB")


if __name__ == "__main__":
    main()

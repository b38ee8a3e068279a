"""A long elementwise expression: a ~30-op activation/normalization chain over a 1M-element tensor, where
planning fuses the chain into one node (scheduler/fusion.py).

Usage: python bench/elementwise.py tf|raygraph [fused|unfused]
Prints the median seconds per step. The same graph runs on TF1 (tensorflow's compat.v1) and raygraph.
"""
import statistics
import sys
import time

import numpy as np

N = 1 << 20


def load(which):
    if which == "tf":
        import tensorflow as tf
        tf1 = tf.compat.v1
        tf1.disable_eager_execution()
        return tf1
    import raygraph
    return raygraph


def chain(tf, x):
    """~30 elementwise ops: normalize with precomputed statistics, then a stack of activations."""
    h = (x - 0.5) * 3.4641016                       # to unit variance (uniform input)
    h = h * 1.1 + 0.1                               # scale and shift
    h = tf.nn.relu(h) + 0.01 * tf.minimum(h, 0.0)   # leaky relu by hand
    h = tf.tanh(h) * 0.9 + tf.sigmoid(h) * 0.1
    h = tf.square(h) + tf.abs(h)
    h = tf.sqrt(h + 1e-3)
    h = tf.exp(-h) * h
    h = tf.maximum(h, 0.05) - tf.minimum(h, 0.95)
    h = tf.nn.softplus(h) * tf.nn.elu(h - 0.2)
    h = tf.math.log1p(tf.abs(h)) + tf.math.rsqrt(h * h + 1.0)
    return h


def main(which, mode="fused"):
    tf = load(which)
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float32, [N])
        y = chain(tf, x)
    ops = len(g.get_operations())
    config = tf.ConfigProto()
    if which == "raygraph":
        config.graph_options.optimizer_options.global_jit_level = 1 if mode == "fused" else -1
    v = np.random.default_rng(0).random(N).astype(np.float32)
    with tf.Session(graph=g, config=config) as s:
        s.run(y, {x: v})
        out = []
        for _ in range(7):
            t = time.perf_counter()
            for _ in range(10):
                s.run(y, {x: v})
            out.append((time.perf_counter() - t) / 10)
    print(f"elementwise_chain ({ops} ops in the graph) {which} {mode if which == 'raygraph' else ''} "
          f"{statistics.median(out) * 1e3:.2f} ms/step")


if __name__ == "__main__":
    main(*sys.argv[1:])

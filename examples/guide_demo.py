"""The "Graphs and Sessions" guide, run on raygraph's embedded Ray runtime.

    python examples/guide_demo.py

Builds the guide's graphs with `import raygraph as tf`, runs them in Sessions (each device is a Ray
actor), runs two heavy branches on two CPU devices at once, and prints per-device timings from
RunMetadata.
"""
import time

import numpy as np

import raygraph as tf


def naming():
    g = tf.Graph()
    with g.as_default():
        c_0 = tf.constant(0, name="c")
        c_1 = tf.constant(2, name="c")
        with tf.name_scope("outer"):
            c_2 = tf.constant(2, name="c")
            with tf.name_scope("inner"):
                c_3 = tf.constant(3, name="c")
            c_4 = tf.constant(4, name="c")
            with tf.name_scope("inner"):
                c_5 = tf.constant(5, name="c")
    print("op names:", [t.op.name for t in (c_0, c_1, c_2, c_3, c_4, c_5)])


def variables_and_feeds():
    g = tf.Graph()
    with g.as_default():
        x = tf.constant([[37.0, -23.0], [1.0, 4.0]])
        w = tf.Variable(tf.random_uniform([2, 2], seed=1), name="w")
        y = tf.matmul(x, w)
        output = tf.nn.softmax(y)
        p = tf.placeholder(tf.float32, shape=[3])
        sq = tf.square(p)
    with tf.Session(graph=g) as sess:
        sess.run(w.initializer)
        y_val, out_val = sess.run([y, output])
        print("softmax rows sum to", out_val.sum(axis=1))
        print("square of fed [1, 2, 3]:", sess.run(sq, {p: [1.0, 2.0, 3.0]}))
        try:
            sess.run(sq)
        except tf.errors.InvalidArgumentError as e:
            print("unfed placeholder ->", type(e).__name__)


def parallel_branches_on_two_devices(n=512, depth=6):
    g = tf.Graph()
    rng = np.random.default_rng(0)
    with g.as_default():
        x = tf.placeholder(tf.float32, [n, n], name="x")
        outs = []
        for d in range(2):
            with tf.device(f"/cpu:{d}"), tf.name_scope(f"branch{d}"):
                w = tf.constant((rng.standard_normal((n, n)) / np.sqrt(n)).astype(np.float32))
                h = x
                for _ in range(depth):
                    h = tf.tanh(tf.matmul(h, w))
                outs.append(tf.reduce_sum(h))
        total = tf.add_n(outs)
    value = rng.standard_normal((n, n)).astype(np.float32)
    config = tf.ConfigProto(device_count={"CPU": 2})
    with tf.Session(graph=g, config=config) as sess:
        sess.run(total, {x: value})
        options = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)
        metadata = tf.RunMetadata()
        start = time.perf_counter()
        result = sess.run(total, {x: value}, options=options, run_metadata=metadata)
        print(f"two branches on two device actors: total={result:.4f} in {1e3 * (time.perf_counter() - start):.1f} ms")
        for dev in metadata.step_stats.dev_stats:
            busy = sum(n.all_end_rel_micros for n in dev.node_stats) / 1e3
            print(f"  {dev.device}: {len(dev.node_stats)} ops, {busy:.1f} ms of kernel time")


def main():
    t0 = time.perf_counter()
    naming()
    variables_and_feeds()
    parallel_branches_on_two_devices()
    print(f"done in {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()

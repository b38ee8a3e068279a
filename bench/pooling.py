"""The pooling kernels (raygraph/ops/pooling.py) on the shapes of `cnn_train` (/work/shared/bench/workloads.py:
LeNet, batch 64, NHWC float32, max_pool 2x2/2 SAME over [64,28,28,16] and [64,14,14,32]) and a few other
common pools (3x3/2 overlapping, NCHW, AvgPool).

Usage: python bench/pooling.py [kernels|trace] [runs]
  kernels  each kernel called directly in this process: median milliseconds over `runs` calls (default 200),
           wall clock (time.perf_counter) and this process's CPU time (time.process_time; steadier on a
           shared machine)
  trace    cnn_train's graph in a raygraph Session, `runs` traced steps (default 20): per op type, the median
           over steps of its summed kernel time (RunOptions FULL_TRACE step stats)
"""
import collections
import statistics
import sys
import time

import numpy as np

import raygraph as tf
from raygraph.ops.registry import get

CNN = [("pool1 [64,28,28,16]", (64, 28, 28, 16)), ("pool2 [64,14,14,32]", (64, 14, 14, 32))]
OTHERS = [("3x3/2 SAME [16,28,28,64]", (16, 28, 28, 64), 3, 2, "NHWC"),
          ("2x2/2 NCHW [64,16,28,28]", (64, 16, 28, 28), 2, 2, "NCHW")]


def _attrs(k, s, fmt, padding="SAME"):
    window, step = ([1, k, k, 1], [1, s, s, 1]) if fmt == "NHWC" else ([1, 1, k, k], [1, 1, s, s])
    return {"ksize": window, "strides": step, "padding": padding, "data_format": fmt, "explicit_paddings": []}


def _calls(shape, a):
    """op type -> a no-argument call of its kernel, on a ReLU'd input (ties at zero, as in cnn_train)."""
    rng = np.random.default_rng(0)
    x = np.maximum(rng.standard_normal(shape).astype(np.float32), 0)
    y = get("MaxPool").kernel(a, x)
    g = rng.standard_normal(y.shape).astype(np.float32)
    shape_ = np.array(shape, np.int32)
    return {"MaxPool": lambda: get("MaxPool").kernel(a, x),
            "MaxPoolGrad": lambda: get("MaxPoolGrad").kernel(a, x, y, g),
            "AvgPool": lambda: get("AvgPool").kernel(a, x),
            "AvgPoolGrad": lambda: get("AvgPoolGrad").kernel(a, shape_, g)}


def kernels(runs):
    cases = [(name, shape, _attrs(2, 2, "NHWC")) for name, shape in CNN]
    cases += [(name, shape, _attrs(k, s, fmt)) for name, shape, k, s, fmt in OTHERS]
    print(f"{'pool':26} {'op':12} {'wall ms':>8} {'cpu ms':>8}")
    total = collections.Counter()
    for name, shape, a in cases:
        for op_type, call in _calls(shape, a).items():
            call()
            wall, cpu = [], []
            for _ in range(runs):
                t, c = time.perf_counter(), time.process_time()
                call()
                wall.append(time.perf_counter() - t)
                cpu.append(time.process_time() - c)
            w, c = statistics.median(wall) * 1e3, statistics.median(cpu) * 1e3
            if name.startswith("pool"):
                total[op_type] += w
            print(f"{name:26} {op_type:12} {w:8.3f} {c:8.3f}", flush=True)
    print("cnn_train's two pools (wall ms):", ", ".join(f"{k} {v:.3f}" for k, v in total.items()))


def trace(runs):
    g = tf.Graph()   # cnn_train's convolutions and pools (its dense layers matter not here)
    with g.as_default():
        tf.set_random_seed(0)
        x = tf.placeholder(tf.float32, [None, 28, 28, 1])
        y = tf.placeholder(tf.int64, [None])
        h = tf.nn.relu(tf.nn.conv2d(x, tf.Variable(tf.truncated_normal([5, 5, 1, 16], stddev=0.1)), [1, 1, 1, 1],
                                    "SAME"))
        h = tf.nn.max_pool(h, [1, 2, 2, 1], [1, 2, 2, 1], "SAME")
        h = tf.nn.relu(tf.nn.conv2d(h, tf.Variable(tf.truncated_normal([5, 5, 16, 32], stddev=0.1)), [1, 1, 1, 1],
                                    "SAME"))
        h = tf.nn.max_pool(h, [1, 2, 2, 1], [1, 2, 2, 1], "SAME")
        logits = tf.matmul(tf.reshape(h, [-1, 7 * 7 * 32]), tf.Variable(tf.truncated_normal([7 * 7 * 32, 10])))
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
        train = tf.train.AdamOptimizer(1e-3).minimize(loss)
        init = tf.global_variables_initializer()
    rng = np.random.default_rng(0)
    feed_x, feed_y = rng.standard_normal((64, 28, 28, 1)).astype(np.float32), rng.integers(0, 10, 64)
    per_type = collections.defaultdict(list)
    with tf.Session(graph=g) as s:
        s.run(init)
        for step in range(runs + 3):
            meta = tf.RunMetadata()
            s.run(train, {x: feed_x, y: feed_y}, options=tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE),
                  run_metadata=meta)
            if step < 3:
                continue   # warm-up
            sums = collections.Counter()
            for dev in meta.step_stats.dev_stats:
                for ns in dev.node_stats:
                    op = ns.timeline_label.split(" = ")[1].split("(")[0] if " = " in ns.timeline_label else ""
                    sums[op] += ns.all_end_rel_micros
            for op in ("MaxPool", "MaxPoolGrad"):
                per_type[op].append(sums[op] / 1e3)
    for op, values in per_type.items():
        print(f"{op:12} {statistics.median(values):.3f} ms/step (median of {len(values)} traced steps)")


if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else "kernels"
    {"kernels": kernels, "trace": trace}[mode](int(sys.argv[2]) if len(sys.argv) > 2 else
                                                 (200 if mode == "kernels" else 20))

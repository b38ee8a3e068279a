"""Recorded cases: tf.data.Dataset.reduce (one ReduceDataset op): sums and counts, nested states, states whose
shape grows (relaxed to unknown dims), empty datasets, the op's attrs, TF's build-time TypeErrors and the
kernel's run-time errors, and a reduced tensor used downstream in a training-style graph."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import error_text, kernel_error, run, sig  # noqa: E402


def sigs(tensors):
    return [sig(t) for t in tensors]


def run_message(tf, fetch):
    """The class and kernel message of a run-time error, without TF's prefix and node trailer."""
    out = kernel_error(tf, fetch)
    if not isinstance(out, list):
        return out
    return [out[0], out[1].replace("Graph execution error: ", "").split(" [[")[0]]


def case_reduce_sum_and_count(tf):
    D = tf.data.Dataset
    total = D.range(5).reduce(np.int64(0), lambda s, x: s + x)
    count = D.range(2, 9, 3).reduce(np.int64(0), lambda s, _: s + 1)
    floats = D.from_tensor_slices(tf.constant([[1.5, 2.0], [3.0, -4.0], [0.25, 8.0]])).reduce(
        tf.zeros([2]), lambda s, x: s + x * x)
    return [sigs([total, count, floats]), run(tf, [total, count, floats])]


def case_reduce_op_graph(tf):
    p = tf.placeholder(tf.float32, [None, 3])
    r = tf.data.Dataset.from_tensor_slices(p).reduce(tf.zeros([3]), lambda s, x: tf.maximum(s, x))
    op = r.op
    attrs = [[t.name for t in op.get_attr(k)] for k in ("Tstate", "Targuments", "output_types")]
    shapes = [None if s.ndims is None else s.as_list() for s in (tf.TensorShape(x) for x in op.get_attr(
        "output_shapes"))]
    rng = np.random.default_rng(3)
    x = rng.normal(size=(4, 3)).astype(np.float32)
    with tf.Session() as s:
        values = [s.run(r, {p: x}), s.run(r, {p: -np.abs(x)}), s.run(r, {p: x[:0]})]
    return [sig(r), op.type, op.name, [t.name for t in op.inputs], attrs, shapes,
            op.get_attr("use_inter_op_parallelism"), values]


def case_reduce_nested_states(tf):
    D = tf.data.Dataset
    pair = D.range(1, 6).reduce((np.int64(0), np.float32(1)), lambda s, x: (s[0] + x, s[1] * tf.cast(x, tf.float32)))
    nested = D.from_tensor_slices({"a": [1, 2, 3], "b": [[1.0, 0.5], [2.0, 0.25], [3.0, 0.125]]}).reduce(
        {"n": np.int32(0), "acc": (tf.zeros([2]), np.int32(1))},
        lambda s, e: {"n": s["n"] + e["a"], "acc": (s["acc"][0] + e["b"], s["acc"][1] * e["a"])})
    zipped = D.zip((D.range(3), D.range(10, 13))).reduce(np.int64(0), lambda s, e: s + e[0] * e[1])
    flat = [pair[0], pair[1], nested["n"], nested["acc"][0], nested["acc"][1], zipped]
    return [sigs(flat), sorted(nested), run(tf, flat)]


def case_reduce_growing_state(tf):
    D = tf.data.Dataset
    grow = D.range(4).reduce(tf.constant([], tf.int64), lambda s, x: tf.concat([s, [x * x]], 0))
    matrix = D.range(3).reduce(tf.zeros([1, 2]), lambda s, x: tf.concat([s, tf.fill([1, 2], tf.cast(x, tf.float32))],
                                                                          0))
    rank = D.range(2).reduce(tf.constant(1, tf.int64), lambda s, x: tf.reshape(s, [1]))
    mixed = D.range(3).reduce((np.int64(0), tf.constant([0.5])),
                              lambda s, x: (s[0] + x, tf.concat([s[1], s[1]], 0)))
    flat = [grow, matrix, rank, mixed[0], mixed[1]]
    return [sigs(flat), run(tf, flat)]


def case_reduce_empty(tf):
    D = tf.data.Dataset
    a = D.range(0).reduce(np.int64(7), lambda s, x: s + x)
    b = D.range(6).filter(lambda x: x > 10).reduce((np.float32(1.5), tf.constant([1, 2])), lambda s, x: (
        s[0] * 2.0, s[1] * 3))
    c = D.range(3).take(0).reduce(tf.constant([], tf.int64), lambda s, x: tf.concat([s, [x]], 0))
    flat = [a, b[0], b[1], c]
    return [sigs(flat), run(tf, flat)]


def case_reduce_build_errors(tf):
    D = tf.data.Dataset
    ds = D.range(3)
    return [error_text(lambda: ds.reduce(np.int64(0), lambda s, x: tf.cast(s, tf.int32))),
            error_text(lambda: ds.reduce((np.int64(0), np.float32(0)), lambda s, x: (s[0], tf.cast(x, tf.int32)))),
            error_text(lambda: ds.reduce({"a": np.float32(0)}, lambda s, x: {"a": tf.cast(x, tf.float64)})),
            error_text(lambda: ds.reduce(np.int64(0), lambda s, x: 0))]


def case_reduce_list_and_mismatched_structures(tf):
    D = tf.data.Dataset
    listed = D.range(4).reduce(np.int64(1), lambda s, x: [s + x])
    known = D.range(3).reduce(np.int64(0), lambda s, x: tf.constant([1, 2], tf.int64))
    extra = D.range(3).reduce(np.int64(0), lambda s, x: (s, s))
    fewer = D.range(3).reduce((np.int64(0), np.int64(1)), lambda s, x: s[0])
    empty_extra = D.range(0).reduce(np.int64(5), lambda s, x: (s, s))
    return [sigs([listed, known, extra, fewer[0], fewer[1], empty_extra]), run(tf, [listed, empty_extra, known]),
            run_message(tf, known), run_message(tf, extra), run_message(tf, fewer[0])]


def case_reduce_run_errors(tf):
    D = tf.data.Dataset
    inf = D.range(3).reduce(np.float32(1), lambda s, x: s + tf.debugging.check_numerics(
        1.0 / tf.cast(x - 1, tf.float32), "reduce boom"))
    gathered = D.range(4).reduce(np.float32(0), lambda s, x: s + tf.reduce_sum(tf.gather(tf.constant([1.0, 2.0]), [x])))
    fine = D.range(3).reduce(np.float32(0), lambda s, x: s + tf.gather(tf.constant([1.0, 2.0, 3.0]), x))
    return [run_message(tf, inf), run_message(tf, gathered), run(tf, [fine])]


def case_reduce_in_training_graph(tf):
    rng = np.random.default_rng(11)
    rows = rng.normal(size=(5, 3)).astype(np.float32)
    mean = tf.data.Dataset.from_tensor_slices(rows).reduce(
        (tf.zeros([3]), np.float32(0)), lambda s, x: (s[0] + x, s[1] + 1.0))
    centre = mean[0] / mean[1]
    w = tf.Variable(rng.normal(size=(3, 2)).astype(np.float32), name="w")
    x = tf.placeholder(tf.float32, [None, 3])
    logits = tf.matmul(x - centre, w)
    loss = tf.reduce_mean(tf.square(logits))
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    feed = {x: rng.normal(size=(4, 3)).astype(np.float32)}
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        losses = [s.run([loss, train], feed)[0] for _ in range(3)]
        final = s.run([centre, w])
    return [sigs([centre, logits, loss]), losses, final]

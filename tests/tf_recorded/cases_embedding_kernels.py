"""The kernels of an embedding training step, at their edges: scatter updates with repeated indices (each
row's float order, as bits) and a bad index after good rows, Select's three forms over NaN / -0.0 / ints,
Pad and Reshape forms and errors, GatherV2's forms and errors, and the candidate samplers' stream over
many runs."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import error as raises  # noqa: E402


def _bits(x):
    """Floats as their bit patterns: equal only if bit-identical."""
    x = np.asarray(x)
    return {"bits": x.view({2: np.int16, 4: np.int32, 8: np.int64}[x.dtype.itemsize]).tolist(), "dtype": x.dtype.name}


def case_scatter_repeats_float_order(tf):
    rng = np.random.RandomState(0)
    init = (rng.randn(6, 3) * 1e4).astype(np.float32)
    idx = [3, 1, 3, 3, 0, 1, 5, 3, 1]
    rows = (rng.randn(9, 3) * np.array([1e7, 1e-3, 1.0])).astype(np.float32)
    out = {}
    for kind in ("sub", "add"):
        for dt in (tf.int32, tf.int64):
            v = tf.Variable(init, name=f"v_{kind}_{dt.name}")
            op = getattr(tf, "scatter_" + kind)(v, tf.constant(idx, dt), rows)
            with tf.Session() as s:
                s.run(v.initializer)
                out[f"{kind}_{dt.name}"] = [_bits(s.run(op)), _bits(s.run(op))]
    flat = tf.Variable(init[:, 0], name="flat")
    sub = tf.scatter_sub(flat, tf.constant([2, 2, 4, 2], tf.int64), rows[:4, 0] * np.float32(1e-4))
    every = tf.Variable(init[:2], name="every")
    same = tf.scatter_add(every, [1] * 7 + [0], rows[:8] * np.float32(1e-3))
    with tf.Session() as s:
        s.run([flat.initializer, every.initializer])
        out["flat"] = _bits(s.run(sub))
        out["all_one_row"] = _bits(s.run(same))
    return out


def case_scatter_bad_index_after_repeats(tf):
    v = tf.Variable(np.arange(12, dtype=np.float32).reshape(4, 3), name="v")
    bad = tf.scatter_sub(v, [2, 0, 2, 7, 1], np.full((5, 3), 0.5, np.float32))
    neg = tf.scatter_add(v, tf.constant([1, 1, -1], tf.int64), np.ones((3, 3), np.float32))
    with tf.Session() as s:
        s.run(v.initializer)
        first = raises(lambda: s.run(bad))
        after_bad = s.run(v)
        second = raises(lambda: s.run(neg))
        return [first, after_bad, second, s.run(v)]


def case_sparse_sgd_repeated_ids(tf):
    rng = np.random.RandomState(1)
    emb = tf.Variable((rng.randn(10, 4) * 100).astype(np.float32), name="emb")
    ids = tf.constant([3, 7, 3, 3, 0, 7, 9, 3])
    weights = (rng.randn(8, 4) * np.array([1e3, 1.0, 1e-2, 10.0])).astype(np.float32)  # the gradient's rows
    loss = tf.reduce_sum(tf.nn.embedding_lookup(emb, ids) * tf.constant(weights))
    train = tf.train.GradientDescentOptimizer(0.37).minimize(loss)
    with tf.Session() as s:
        s.run(emb.initializer)
        for _ in range(3):
            s.run(train)
        return _bits(s.run(emb))


def _complex(re, im):
    out = np.empty(re.shape, np.complex64)
    out.real, out.imag = re, im
    return out


def case_select_forms(tf):
    nan, inf = float("nan"), float("inf")
    x = np.array([[nan, -0.0, 1.5], [inf, 2.0, -3.0]], np.float32)
    y = np.array([[1.0, 0.0, -nan], [-inf, -0.0, 7.0]], np.float32)
    c = np.array([[True, True, False], [False, True, True]])
    outs = {"same": tf.where(c, x, y), "rows": tf.where([False, True], x, y), "scalar": tf.where(True, x, y),
            "f64": tf.where(c, x.astype(np.float64), y.astype(np.float64)),
            "f16": tf.where(c, x.astype(np.float16), y.astype(np.float16)),
            "v2": tf.where_v2([[True], [False]], x, y), "v2_bcast": tf.where_v2(c, x[0], y[1])}
    ints = {"i32": tf.where(c, [[1, 2, 3], [4, 5, 6]], [[-1, -2, -3], [-4, -5, -6]]),
            "u8": tf.where(c, tf.constant([[1, 2, 3], [4, 5, 6]], tf.uint8), tf.constant([[9] * 3] * 2, tf.uint8)),
            "bool": tf.where(c, c, ~c), "i64_rows3d": tf.where([True, False], tf.ones([2, 2, 2], tf.int64),
                                                                 tf.zeros([2, 2, 2], tf.int64)),
            "c64": tf.where(c, tf.constant(_complex(x, y)), tf.constant(_complex(y, x)))}
    p = tf.placeholder(tf.float32)
    q = tf.placeholder(tf.bool)
    with tf.Session() as s:
        got = s.run(outs)
        out = {k: _bits(v) for k, v in got.items()}
        out.update({k: v for k, v in s.run({k: v for k, v in ints.items() if k != "c64"}).items()})
        out["c64"] = _bits(s.run(ints["c64"]).view(np.float32))
        out["errors"] = [raises(lambda: s.run(tf.where(q, p, p), {q: [True, False, True], p: np.ones((2, 3))})),
                         raises(lambda: s.run(tf.where(q, p, tf.ones([2, 2])), {q: [[True] * 2] * 2,
                                                                               p: np.ones((2, 3))})),
                         raises(lambda: s.run(tf.where(q, p, p), {q: [[True] * 2] * 2, p: np.ones((2, 3))}))]
    return out


def case_pad_forms(tf):
    x = np.arange(12, dtype=np.float32).reshape(3, 4)
    outs = {"two_axes": tf.pad(x, [[1, 2], [0, 3]]), "one_axis": tf.pad(x[0], [[2, 1]]),
            "none": tf.pad(x, [[0, 0], [0, 0]]), "three": tf.pad(x.reshape(3, 2, 2), [[0, 1], [1, 0], [2, 2]]),
            "int": tf.pad(tf.constant([[1, 2]], tf.int32), [[1, 1], [0, 2]]),
            "bool": tf.pad(tf.constant([True, False]), [[1, 2]]),
            "constant": tf.pad(x, [[1, 0], [0, 1]], constant_values=7.5),
            "empty": tf.pad(tf.zeros([0, 2]), [[1, 1], [0, 1]]), "scalar": tf.pad(tf.constant(3.0), tf.zeros([0, 2],
                                                                                                          tf.int32)),
            "i64_pads": tf.pad(x[:2], tf.constant([[0, 1], [1, 0]], tf.int64))}
    p = tf.placeholder(tf.int32)
    with tf.Session() as s:
        out = s.run(outs)
        out["errors"] = [raises(lambda: s.run(tf.pad(x, p), {p: [[0, -1], [0, 0]]})),
                         raises(lambda: s.run(tf.pad(x, p), {p: [[0, 1]]})),
                         raises(lambda: tf.pad(x, [[0, 1]]))]
        out["shapes"] = [tf.pad(x, p).shape.as_list() if tf.pad(x, p).shape.ndims is not None else None,
                         tf.pad(tf.placeholder(tf.float32, [None, 4]), [[1, 1], [2, 0]]).shape.as_list()]
    return out


def case_reshape_forms(tf):
    x = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    t = tf.transpose(tf.constant(x), [2, 0, 1])
    s_ = tf.placeholder(tf.int32)
    outs = {"infer": tf.reshape(x, [-1, 4]), "flat": tf.reshape(x, [-1]), "scalar": tf.reshape([5.0], []),
            "transposed": tf.reshape(t, [4, 6]), "column": tf.reshape(t[:, 0, 0], [-1, 1]),
            "i64_shape": tf.reshape(x, tf.constant([6, 4], tf.int64)), "empty": tf.reshape(tf.zeros([0, 3]), [3, 0])}
    with tf.Session() as s:
        out = s.run(outs)
        out["errors"] = [raises(lambda: s.run(tf.reshape(x, s_), {s_: v})) for v in
                         ([5, -1], [-1, -1], [2, -2], [[24]], [25], [-1, 0])]
    return out


def case_gather_forms(tf):
    x = np.arange(20, dtype=np.float32).reshape(4, 5)
    i = tf.placeholder(tf.int64)
    outs = {"rows": tf.gather(x, [3, 0, 3]), "i64": tf.gather(x, tf.constant([1, 1], tf.int64)),
            "axis1": tf.gather(x, [[4, 0], [2, 2]], axis=1), "neg_axis": tf.gather(x, [1], axis=-1),
            "empty": tf.gather(x, tf.zeros([0], tf.int32)), "scalar_index": tf.gather(x, 2),
            "lookup": tf.nn.embedding_lookup(tf.constant(x), [[0, 3], [3, 1]])}
    with tf.Session() as s:
        out = s.run(outs)
        out["errors"] = [raises(lambda: s.run(tf.gather(x, i), {i: v})) for v in ([0, 4, 1], [-1], [[0, 1], [7, 0]])]
        out["axis_error"] = raises(lambda: s.run(tf.gather(x, [0], axis=i), {i: 2}))
    return out


def case_samplers_stream_many_runs(tf):
    tc = tf.constant([[1, 7], [0, 3], [4, 2]], tf.int64)
    log_u = tf.nn.log_uniform_candidate_sampler(tc, 2, 6, True, 1000, seed=11)
    uni = tf.nn.uniform_candidate_sampler(tc, 2, 5, False, 30, seed=12)
    big = tf.nn.log_uniform_candidate_sampler(tc, 2, 64, True, 50000, seed=13)
    with tf.Session() as s:
        runs = [s.run([log_u, uni]) for _ in range(70)]
        bigs = [s.run(big) for _ in range(40)]
    # the draws are compared exactly; the expected counts to a tolerance (TF's come from glibc's log1pf and
    # expm1f, numpy's float32 ones differ from them in the last bit at times)
    return {"small": runs, "big_sampled": [b[0] for b in bigs], "big_counts": [b[1:] for b in bigs[::13]]}

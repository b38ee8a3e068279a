"""Recorded cases: tf.train.SequenceExample parsing (parse_single_sequence_example, parse_sequence_example: one
ParseSequenceExampleV2 op), context and feature-list features, FixedLenSequenceFeature's allow_missing, VarLen
feature lists as SparseTensors, the dense lengths, errors; SparseFeature in parse_example."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error, run_error, sig  # noqa: E402


def _seq(tf, context=None, lists=None):
    se = tf.train.SequenceExample()
    for k, (kind, values) in (context or {}).items():
        getattr(se.context.feature[k], kind).value.extend(values)
    for k, (kind, steps) in (lists or {}).items():
        fl = se.feature_lists.feature_list[k]
        for step in steps:
            getattr(fl.feature.add(), kind).value.extend(step)
    return se.SerializeToString()


def _records(tf):
    a = _seq(tf, {"id": ("int64_list", [7]), "tags": ("bytes_list", [b"x", b"y"])},
             {"tok": ("int64_list", [[1, 2], [3, 4], [5, 6]]), "w": ("float_list", [[0.5], [], [1.5, 2.5]]),
              "s": ("bytes_list", [[b"a"], [b"b"], [b"c"]])})
    b = _seq(tf, {"id": ("int64_list", [8])},
             {"tok": ("int64_list", [[9, 10]]), "s": ("bytes_list", [[b"d"]])})
    return a, b


def _features(tf, allow_missing=True):
    context = {"id": tf.io.FixedLenFeature([], tf.int64), "tags": tf.io.VarLenFeature(tf.string),
               "lang": tf.io.FixedLenFeature([2], tf.string, default_value=["en", "fr"])}
    seq = {"tok": tf.io.FixedLenSequenceFeature([2], tf.int64), "w": tf.io.VarLenFeature(tf.float32),
           "s": tf.io.FixedLenSequenceFeature([], tf.string, allow_missing=allow_missing)}
    return context, seq


def _fetch(tf, tensors):
    with tf.Session() as s:
        values = s.run(tensors)
    return _plain(values)


def _plain(x):
    if isinstance(x, dict):
        return {k: _plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)) and not hasattr(x, "indices"):
        return [_plain(v) for v in x]
    if hasattr(x, "indices"):
        return [x.indices, x.values, x.dense_shape]
    return x


def _sigs(d):
    return {k: ([sig(v.indices), sig(v.values), sig(v.dense_shape)] if hasattr(v, "indices") else sig(v))
            for k, v in d.items()}


def case_single_graph(tf):
    a, _ = _records(tf)
    ctx, seq = tf.io.parse_single_sequence_example(tf.constant(a), *_features(tf))
    return [describe(tf), _sigs(ctx), _sigs(seq)]


def case_single_values(tf):
    a, b = _records(tf)
    first = tf.io.parse_single_sequence_example(a, *_features(tf))
    second = tf.io.parse_single_sequence_example(tf.constant(b), *_features(tf), name="second")
    return [_fetch(tf, first), _fetch(tf, second)]


def case_batch_graph(tf):
    a, b = _records(tf)
    ctx, seq, lengths = tf.io.parse_sequence_example(tf.constant([a, b]), *_features(tf))
    p = tf.placeholder(tf.string, [None])
    ctx2, seq2, lengths2 = tf.io.parse_sequence_example(p, *_features(tf), name="fed")
    return [describe(tf), _sigs(ctx), _sigs(seq), _sigs(lengths), _sigs(ctx2), _sigs(seq2), _sigs(lengths2)]


def case_batch_values(tf):
    a, b = _records(tf)
    p = tf.placeholder(tf.string, [None])
    out = tf.io.parse_sequence_example(p, *_features(tf))
    with tf.Session() as s:
        return [_plain(s.run(out, {p: [a, b]})), _plain(s.run(out, {p: [b]}))]


def case_top_level_names(tf):
    a, _ = _records(tf)
    ctx, seq = tf.parse_single_sequence_example(a, sequence_features={"tok": tf.FixedLenSequenceFeature([2], tf.int64)})
    return _fetch(tf, [ctx, seq])


def case_missing_and_mismatched(tf):
    a, b = _records(tf)
    fixed = tf.io.FixedLenSequenceFeature
    missing = tf.io.parse_single_sequence_example(b, sequence_features={"w2": fixed([], tf.float32)})
    allowed = tf.io.parse_single_sequence_example(b, sequence_features={
        "w2": tf.io.FixedLenSequenceFeature([], tf.float32, allow_missing=True), "v": tf.io.VarLenFeature(tf.int64)})
    size = tf.io.parse_single_sequence_example(a, sequence_features={"tok": fixed([3], tf.int64)})
    kind = tf.io.parse_single_sequence_example(a, sequence_features={"tok": fixed([2], tf.float32)})
    ctx_missing = tf.io.parse_single_sequence_example(b, context_features={"x": tf.io.FixedLenFeature([], tf.int64)})
    return [run_error(tf, missing[1]), _fetch(tf, allowed), run_error(tf, size[1]), run_error(tf, kind[1]),
            run_error(tf, ctx_missing[0]), run_error(tf, tf.io.parse_single_sequence_example(
                b"\xff\xff", sequence_features={"v": tf.io.VarLenFeature(tf.int64)})[1]["v"].values)]


def case_build_errors(tf):
    a, _ = _records(tf)
    return [error(lambda: tf.io.parse_single_sequence_example(a)),
            error(lambda: tf.io.parse_single_sequence_example(a, sequence_features={
                "s": tf.io.FixedLenSequenceFeature([], tf.string, default_value="z")})),
            error(lambda: tf.io.parse_single_sequence_example([a], sequence_features={
                "s": tf.io.VarLenFeature(tf.string)})),
            error(lambda: tf.io.parse_sequence_example(a, sequence_features={"s": tf.io.VarLenFeature(tf.string)}))]


def case_sparse_feature(tf):
    ex = tf.train.Example(features=tf.train.Features(feature={
        "ix": tf.train.Feature(int64_list=tf.train.Int64List(value=[3, 0, 5])),
        "val": tf.train.Feature(float_list=tf.train.FloatList(value=[0.5, 1.5, 2.5]))})).SerializeToString()
    empty = tf.train.Example().SerializeToString()
    f = {"sp": tf.io.SparseFeature("ix", "val", tf.float32, 6), "val": tf.io.VarLenFeature(tf.float32)}
    one = tf.io.parse_single_example(ex, f)
    many = tf.io.parse_example([ex, empty, ex], {"sp": tf.SparseFeature("ix", "val", tf.float32, 8,
                                                                       already_sorted=False)})
    return [sorted(one), sorted(many), _fetch(tf, [one, many])]

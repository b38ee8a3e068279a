"""Recorded cases: dataset functions that use tensors of the outer graph (TF's captures): constants, fed
placeholders (re-initialized with other values), variables, in map, parallel map, filter, flat_map and
interleave, nested functions; the captured tensors as the op's other_arguments; TF's errors."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import error_text  # noqa: E402


def _values(s, nxt, n):
    return [np.asarray(s.run(nxt)).tolist() for _ in range(n)]


def case_capture_constant_and_variable(tf):
    c = tf.constant([1.0, 2.0])
    v = tf.Variable(3.0)
    R = tf.data.Dataset.range
    d = R(3).map(lambda x: tf.cast(x, tf.float32) * c + v)
    e = R(6).filter(lambda x: tf.cast(x, tf.float32) < c[1]).map(lambda x: x * 2, num_parallel_calls=2)
    it = tf.data.make_initializable_iterator(d)
    one = tf.data.make_one_shot_iterator(e).get_next()
    op = d._variant_tensor.op
    out = [op.type, [t.name for t in op.inputs], [str(t) for t in op.get_attr("Targuments")]]
    with tf.Session() as s:
        s.run(v.initializer)
        s.run(it.initializer)
        out.append(_values(s, it.get_next(), 3))
        out.append(_values(s, one, 2))
    return out


def case_capture_variable_initializable_and_one_shot(tf):
    v = tf.Variable(3.0)
    d = tf.data.Dataset.range(6).filter(lambda x: tf.cast(x, tf.float32) < v)
    it = tf.data.make_initializable_iterator(d)
    nxt = it.get_next()
    with tf.Session() as s:
        s.run(v.initializer)
        s.run(it.initializer)
        got = _values(s, nxt, 3)
        s.run(v.assign(1.0))
        s.run(it.initializer)
        again = _values(s, nxt, 1)
    return [got, again, error_text(lambda: tf.data.make_one_shot_iterator(d))]


def case_capture_placeholder_reinitialized(tf):
    p = tf.placeholder(tf.int64, [])
    q = tf.placeholder(tf.float32, [None])
    d = tf.data.Dataset.range(10).filter(lambda x: tf.equal(x % p, 0)).map(lambda x: tf.cast(x, tf.float32) + q)
    it = tf.data.make_initializable_iterator(d)
    nxt = it.get_next()
    out = []
    with tf.Session() as s:
        for k, base in ((3, [0.0, 0.5]), (4, [10.0, 20.0])):
            s.run(it.initializer, {p: k, q: base})
            out.append(_values(s, nxt, 3))
    return out


def case_capture_in_flat_map_and_interleave(tf):
    n = tf.constant(2, tf.int64)
    scale = tf.constant(10, tf.int64)
    R = tf.data.Dataset.range
    flat = R(3).flat_map(lambda x: R(n).map(lambda y: x * scale + y))
    inter = R(3).interleave(lambda x: R(n).map(lambda y: x + y * scale), cycle_length=2)
    with tf.Session() as s:
        return [_values(s, tf.data.make_one_shot_iterator(flat).get_next(), 6),
                _values(s, tf.data.make_one_shot_iterator(inter).get_next(), 6)]


def case_capture_placeholder_in_one_shot_iterator(tf):
    p = tf.placeholder(tf.float32, [])
    d = tf.data.Dataset.range(3).map(lambda x: tf.cast(x, tf.float32) * p)
    return error_text(lambda: tf.data.make_one_shot_iterator(d))


def _drain(tf, s, it, feed):
    s.run(it.initializer, feed)
    nxt, out = it.get_next(), []
    while True:
        try:
            out.append(np.asarray(s.run(nxt)).tolist())
        except tf.errors.OutOfRangeError:
            return out


def _inputs(d):
    op = d._variant_tensor.op
    return [op.type, [t.name for t in op.inputs], sorted(a for a in op.node_def.attr if a.startswith("T"))]


def case_capture_in_scan_take_while_map_and_batch_and_grouping(tf):
    k = tf.placeholder(tf.int64, [], name="k")
    c = tf.constant(10, tf.int64, name="c")
    base, ex = tf.data.Dataset.range(7), tf.data.experimental
    made = [base.apply(ex.scan(tf.constant(0, tf.int64), lambda s, x: (s + x * k, s + c))),
            base.apply(ex.take_while(lambda x: x < k)),
            base.apply(ex.map_and_batch(lambda x: x * k + c, 3)),
            base.apply(ex.group_by_window(lambda x: x % k, lambda key, w: w.batch(c), window_size_func=lambda key: k)),
            base.apply(ex.group_by_reducer(lambda x: x % k, ex.Reducer(lambda key: key * c, lambda s, x: s + x + k,
                                                                      lambda s: s * k)))]
    out = [_inputs(d) for d in made]
    its = [tf.data.make_initializable_iterator(d) for d in made]
    with tf.Session() as s:
        for feed in (2, 3):
            out.append([_drain(tf, s, it, {k: feed}) for it in its])
    return out


def case_capture_in_reduce(tf):
    k = tf.placeholder(tf.float32, [], name="k")
    v = tf.Variable([1.0, -1.0], name="v")
    total = tf.data.Dataset.range(4).reduce((tf.constant(0.0), tf.zeros([2])), lambda s, x: (
        s[0] + tf.cast(x, tf.float32) * k, s[1] + v))
    op = total[0].op
    with tf.Session() as s:
        s.run(v.initializer)
        return [op.type, [t.name for t in op.inputs], [x.tolist() for x in s.run(total, {k: 0.5})]]


def case_lookup_tables_in_dataset_functions(tf):
    table = tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(["a", "b", "c"], [1, 2, 3], tf.string,
                                                                          tf.int64), -1)
    vocab = tf.lookup.StaticVocabularyTable(tf.lookup.KeyValueTensorInitializer(["x", "y"], [0, 1], tf.string,
                                                                                tf.int64), 2)
    lines = tf.data.Dataset.from_tensor_slices(["a b", "c d e", "b", "x y z"])
    words = lines.map(lambda line: tf.string_split([line]).values)
    ids = words.map(lambda w: (w, table.lookup(w), vocab.lookup(w)))
    batched = ids.padded_batch(2, ([None], [None], [None]), (b"<pad>", tf.constant(0, tf.int64),
                                                              tf.constant(-5, tf.int64)))
    known = words.unbatch().filter(lambda w: table.lookup(w) > 0).map(lambda w: table.lookup(w), num_parallel_calls=2)
    total = words.unbatch().reduce(tf.constant(0, tf.int64), lambda s, w: s + table.lookup(w))
    its = [tf.data.make_initializable_iterator(d) for d in (batched, known)]
    out = [_inputs(ids), _inputs(known)]
    with tf.Session() as s:
        s.run(tf.tables_initializer())
        for it in its:
            s.run(it.initializer)
            nxt, got = it.get_next(), []
            try:
                while True:
                    got.append([np.asarray(x).tolist() for x in tf.nest.flatten(s.run(nxt))])
            except tf.errors.OutOfRangeError:
                pass
            out.append(got)
        out.append(int(s.run(total)))
    return out


def case_mutable_table_and_queue_in_a_map(tf):
    table = tf.lookup.experimental.MutableHashTable(tf.int64, tf.float32, default_value=-1.0)
    insert = table.insert(tf.constant([1, 3], tf.int64), tf.constant([0.5, 1.5]))
    q = tf.FIFOQueue(5, tf.float32)
    enqueue = q.enqueue_many([[7.0, 8.0]])
    d = tf.data.Dataset.range(4).map(lambda x: table.lookup(x))
    e = tf.data.Dataset.range(2).map(lambda x: q.dequeue() + tf.cast(x, tf.float32))
    its = [tf.data.make_initializable_iterator(x) for x in (d, e)]
    with tf.Session() as s:
        s.run([insert, enqueue])
        return [_drain(tf, s, it, None) for it in its] + [int(s.run(q.size()))]

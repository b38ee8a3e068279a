"""tf.data.experimental's common part and the rest of tf.data: scan, take_while, unique, grouping and bucketing,
choose/sample_from_datasets, Counter, enumerate, cardinality, optionals, single elements, options, specs,
CSV and SQL datasets, make_csv_dataset, parsed Examples and the TFRecord writer; values, static types, errors."""
import os
import sqlite3
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import error as raises  # noqa: E402


def shapes(s):
    if isinstance(s, dict):
        return {k: shapes(v) for k, v in s.items()}
    if isinstance(s, (tuple, list)):
        return [shapes(v) for v in s]
    return None if s.ndims is None else s.as_list()


def names(s):
    if isinstance(s, dict):
        return {k: names(v) for k, v in s.items()}
    if isinstance(s, (tuple, list)):
        return [names(v) for v in s]
    return s.name


def types(ds):
    return [shapes(ds.output_shapes), names(ds.output_types)]


def drain(tf, sess, t, limit=60):
    out = []
    for _ in range(limit):
        try:
            out.append(sess.run(t))
        except tf.errors.OutOfRangeError:
            out.append("end")
            break
        except tf.errors.OpError as e:
            out.append(type(e).__name__)
            break
    return out


def values(tf, ds, limit=60):
    nxt = tf.data.make_one_shot_iterator(ds).get_next()
    with tf.Session() as sess:
        return drain(tf, sess, nxt, limit)


def run(tf, t):
    with tf.Session() as s:
        try:
            return s.run(t)
        except tf.errors.OpError as e:
            return type(e).__name__


# ----- transformations ---------------------------------------------------------------------------------------
def case_scan(tf):
    E, D = tf.data.experimental, tf.data.Dataset
    ds = D.range(6).apply(E.scan(tf.constant(0, tf.int64), lambda s, x: (s + x, s * 10)))
    pair = D.range(4).apply(E.scan((tf.constant(1.0), tf.constant(0, tf.int64)),
                                   lambda s, x: ((s[0] * 2.0, s[1] + x), {"a": s[0], "b": tf.fill([2], x)})))
    grow = D.range(3).apply(E.scan(tf.constant([], tf.int64), lambda s, x: (tf.concat([s, [x]], 0), tf.size(s))))
    return [types(ds), values(tf, ds), types(pair), values(tf, pair), types(grow), values(tf, grow),
            raises(lambda: D.range(3).apply(E.scan(tf.constant(0, tf.int64), lambda s, x: (tf.cast(s, tf.int32), x)))),
            raises(lambda: D.range(3).apply(E.scan(tf.constant(0, tf.int64), lambda s, x: s)))]


def case_take_while_unique_ignore_errors(tf):
    E, D = tf.data.experimental, tf.data.Dataset
    tw = D.range(10).apply(E.take_while(lambda x: x < 4))
    u = D.from_tensor_slices(["a", "b", "a", "c", "b"]).apply(E.unique())
    u2 = D.from_tensor_slices(tf.constant([3, 1, 3, 2, 1], tf.int32)).apply(E.unique())
    bad = D.from_tensor_slices([1.0, 0.0, 2.0]).map(lambda x: tf.debugging.check_numerics(1.0 / x, "inf"))
    return [values(tf, tw), values(tf, u), values(tf, u2), values(tf, bad.apply(E.ignore_errors())), values(tf, bad),
            raises(lambda: D.range(3).apply(E.take_while(lambda x: x))),
            raises(lambda: D.range(3).map(lambda x: tf.cast(x, tf.float32)).apply(E.unique())),
            raises(lambda: D.zip((D.range(2), D.range(2))).apply(E.unique()))]


def case_group_by_window(tf):
    E, D = tf.data.experimental, tf.data.Dataset
    ds = D.range(10).apply(E.group_by_window(lambda x: x % 3, lambda k, w: w.batch(10), window_size=2))
    flush = D.from_tensor_slices(tf.constant([5, 3, 5, 1, 3, 9, 1], tf.int64)).apply(
        E.group_by_window(lambda x: x, lambda k, w: w.batch(10).map(lambda b: (b[0] * 10, b)), window_size=5))
    sized = D.range(12).apply(E.group_by_window(lambda x: x % 2, lambda k, w: w.batch(4),
                                                window_size_func=lambda k: k + 2))
    return [types(ds), values(tf, ds), types(flush), values(tf, flush), values(tf, sized),
            raises(lambda: E.group_by_window(lambda x: x, lambda k, w: w)),
            raises(lambda: E.group_by_window(lambda x: x, lambda k, w: w, 2, lambda k: k)),
            raises(lambda: D.range(3).apply(E.group_by_window(lambda x: tf.cast(x, tf.int32), lambda k, w: w, 2)))]


def case_group_by_reducer(tf):
    E, D = tf.data.experimental, tf.data.Dataset
    r = E.Reducer(lambda k: tf.constant(0, tf.int64), lambda s, x: s + x, lambda s: s)
    ds = D.from_tensor_slices(tf.constant([5, 3, 5, 1, 3, 9, 1], tf.int64)).apply(E.group_by_reducer(lambda x: x, r))
    pairs = E.Reducer(lambda k: (k, tf.constant(0.0)), lambda s, x: (s[0], s[1] + tf.cast(x, tf.float32)),
                      lambda k, total: {"key": k, "mean": total})
    ds2 = D.range(8).apply(E.group_by_reducer(lambda x: x % 3, pairs))
    return [types(ds), values(tf, ds), types(ds2), values(tf, ds2)]


def case_bucket_by_sequence_length(tf):
    E, D = tf.data.experimental, tf.data.Dataset
    ds = D.from_tensor_slices(tf.constant([1, 5, 2, 7, 3, 3, 6, 1], tf.int64)).map(lambda n: tf.fill([n], n))
    b = ds.apply(E.bucket_by_sequence_length(lambda x: tf.shape(x)[0], [3, 6], [2, 2, 3]))
    nopad = D.range(7).map(lambda x: tf.fill([2], x)).apply(E.bucket_by_sequence_length(
        lambda x: tf.cast(x[0] % 2, tf.int32) + 1, [2], [2, 3], no_padding=True, drop_remainder=True))
    return [types(b), values(tf, b), types(nopad), values(tf, nopad),
            raises(lambda: E.bucket_by_sequence_length(lambda x: x, [1, 2], [3, 4]))]


def case_choose_from_datasets(tf):
    E, D = tf.data.experimental, tf.data.Dataset
    choice = D.from_tensor_slices(tf.constant([0, 1, 1, 0, 0, 0, 1], tf.int64))
    a = E.choose_from_datasets([D.range(3), D.range(10, 13)], choice)
    stop = E.choose_from_datasets([D.range(3), D.range(10, 13)], choice, stop_on_empty_dataset=True)
    return [types(a), values(tf, a), values(tf, stop),
            raises(lambda: E.choose_from_datasets([D.range(3)], D.range(3).map(lambda x: tf.cast(x, tf.int32)))),
            raises(lambda: E.choose_from_datasets([D.range(3), D.from_tensors(1.0)], choice)),
            raises(lambda: E.choose_from_datasets([], choice))]


def case_sample_from_datasets(tf):
    """The order is random (TF's and raygraph's differ); which elements come, and when, does not."""
    E, D = tf.data.experimental, tf.data.Dataset
    s = E.sample_from_datasets([D.range(5), D.range(100, 105)], seed=3)
    one = E.sample_from_datasets([D.range(5), D.range(100, 105)], weights=[1.0, 0.0], seed=3)
    got = values(tf, s)
    return [types(s), sorted(int(v) for v in got[:-1]), got[-1], values(tf, one),
            raises(lambda: E.sample_from_datasets([D.range(2)], weights=[0.5, 0.5]))]


def case_random_dataset_and_counter(tf):
    E, D = tf.data.experimental, tf.data.Dataset
    r = E.RandomDataset(seed=4)
    got = values(tf, r.take(50))
    c = E.Counter(3, 2)
    cf = E.Counter(0.5, 0.25, dtype=tf.float32)
    return [types(r), len(got), all(0 <= v < 2 ** 32 for v in got[:-1]), len(set(got)) > 40, types(c),
            values(tf, c.take(4)), types(cf), values(tf, cf.take(3))]


def case_enumerate_unbatch_from_list(tf):
    E, D = tf.data.experimental, tf.data.Dataset
    e = D.from_tensor_slices(["x", "y"]).apply(E.enumerate_dataset(5))
    u = D.from_tensors([[1, 2], [3, 4]]).apply(E.unbatch())
    fl = E.from_list([(1, "a"), (2, "b")])
    fd = E.from_list([{"k": [1.0, 2.0]}, {"k": [3.0, 4.0]}])
    return [types(e), values(tf, e), values(tf, D.range(3).enumerate()), types(u), values(tf, u), values(tf, fl),
            values(tf, fd), raises(lambda: E.from_list([]))]


def case_cardinality(tf):
    E, D = tf.data.experimental, tf.data.Dataset
    dss = [D.range(5), D.range(5).repeat(), D.range(5).filter(lambda x: x > 1), D.range(7).batch(2),
           D.range(7).batch(2, True), D.range(5).take(10), D.range(5).skip(2), D.zip((D.range(3), D.range(5))),
           D.range(3).concatenate(D.range(2)), D.range(3).map(lambda x: x), D.range(3).shuffle(3),
           D.range(3).prefetch(1), D.range(3).cache(), D.range(3).padded_batch(2, []),
           D.range(4).apply(E.map_and_batch(lambda x: x, 3)), D.range(3).take(-1), D.range(3).repeat().take(4),
           D.range(3).repeat().skip(4), D.range(3).apply(E.enumerate_dataset()), D.range(3).flat_map(D.range),
           D.range(5).apply(E.scan(tf.constant(0, tf.int64), lambda s, x: (s, x))), D.range(0).repeat(),
           D.range(5).apply(E.assert_cardinality(5)), E.Counter(), D.range(3).apply(E.unique()),
           D.range(10, 0, -3), D.range(3).repeat(0), D.from_tensors(1), D.range(5).window(2),
           D.range(5).window(2, 2, 1, True), E.from_list([1, 2, 3]), E.RandomDataset(1), D.range(3).repeat(2),
           D.from_tensors([1, 2]).unbatch()]
    c = E.cardinality(D.range(3))
    with tf.Session() as s:
        got = s.run([E.cardinality(d) for d in dss])
    return [c.name, c.dtype.name, c.shape.as_list(), got, E.INFINITE_CARDINALITY, E.UNKNOWN_CARDINALITY,
            tf.data.INFINITE_CARDINALITY, tf.data.UNKNOWN_CARDINALITY, tf.data.AUTOTUNE, E.AUTOTUNE, E.SHARD_HINT,
            run(tf, D.range(7).cardinality())]


def case_assert_cardinality(tf):
    E, D = tf.data.experimental, tf.data.Dataset
    return [values(tf, D.range(3).apply(E.assert_cardinality(3))),
            values(tf, D.range(3).apply(E.assert_cardinality(2))),
            values(tf, D.range(3).apply(E.assert_cardinality(5))),
            values(tf, D.range(1).apply(E.assert_cardinality(E.INFINITE_CARDINALITY)))]


def case_get_single_element(tf):
    E, D = tf.data.experimental, tf.data.Dataset
    e = E.get_single_element(D.range(1))
    d = E.get_single_element(D.from_tensors({"a": [1, 2], "b": "s"}))
    return [e.name, e.op.type, e.dtype.name, e.shape.as_list(), run(tf, e), run(tf, d),
            run(tf, E.get_single_element(D.range(0))), run(tf, E.get_single_element(D.range(2))),
            raises(lambda: E.get_single_element(5))]


def case_optional(tf):
    E, D = tf.data.experimental, tf.data.Dataset
    it = tf.data.make_one_shot_iterator(D.range(2))
    o = E.get_next_as_optional(it)
    v = E.Optional.from_value((tf.constant(1.5), {"x": tf.constant([1, 2])}))
    n = E.Optional.empty(tf.TensorSpec([], tf.int32)) if hasattr(tf, "TensorSpec") else \
        E.Optional.empty(E.TensorStructure(tf.int32, []))
    with tf.Session() as s:
        steps = [s.run([o.has_value(), o.get_value()]) for _ in range(2)]
        last = s.run(o.has_value())
        err = raises(lambda: s.run(o.get_value()))
        got = s.run([v.has_value(), v.get_value(), n.has_value()])
    return [o.has_value().op.type, o.get_value().op.type, repr(o.element_spec), repr(v.element_spec), steps, last,
            err, got]


def case_options(tf):
    D, E = tf.data.Dataset, tf.data.experimental
    o = tf.data.Options()
    o.experimental_deterministic = False
    o.threading.private_threadpool_size = 2
    o.experimental_optimization.map_fusion = True
    d = D.range(3).with_options(o)
    o2 = tf.data.Options()
    o2.threading.max_intra_op_parallelism = 1
    d2 = d.map(lambda x: x + 1).with_options(o2)
    got = d2.options()

    def set_bad():
        o.nope = 1

    def set_type():
        o.experimental_deterministic = 3

    def mutate():
        d.options().experimental_deterministic = True
    return [d._variant_tensor.op.type, d.options().experimental_deterministic, d.options() == o,
            got.threading.private_threadpool_size, got.threading.max_intra_op_parallelism,
            got.experimental_optimization.map_fusion, got.experimental_deterministic, values(tf, d2),
            raises(set_bad), raises(set_type), raises(mutate), tf.data.Options() == tf.data.Options(),
            int(E.AutoShardPolicy.DATA), str(E.ExternalStatePolicy.WARN), str(E.AutotuneAlgorithm.HILL_CLIMB),
            int(o.experimental_distribute.auto_shard_policy), o.autotune.enabled,
            type(tf.data.ThreadingOptions()).__name__, raises(lambda: D.range(3).as_numpy_iterator())]


def case_specs(tf):
    D, E = tf.data.Dataset, tf.data.experimental
    ds = D.from_tensor_slices(({"a": [[1.0, 2.0]]}, ["s"]))
    return [repr(E.get_structure(ds)), repr(ds.element_spec), repr(E.TensorStructure(tf.int32, [2, None])),
            repr(E.SparseTensorStructure(tf.float32, [3])),
            repr(E.DatasetStructure(E.TensorStructure(tf.int64, []))),
            E.TensorStructure(tf.int32, [2]) == E.TensorStructure(tf.int32, [2]),
            E.TensorStructure(tf.int32, [2]) == E.TensorStructure(tf.int64, [2]),
            tf.data.DatasetSpec is E.DatasetStructure, raises(lambda: tf.data.NumpyIterator(D.range(2)))]


def case_copy_and_prefetch_to_device(tf):
    E, D = tf.data.experimental, tf.data.Dataset
    a = D.range(3).apply(E.copy_to_device("/cpu:0"))
    b = D.range(3).apply(E.prefetch_to_device("/cpu:0", 2))
    return [types(a), values(tf, a), values(tf, b)]


def case_pad_to_cardinality(tf):
    E, D = tf.data.experimental, tf.data.Dataset
    ds = D.from_tensor_slices({"a": [1, 2], "b": [[1.0, 2.0], [3.0, 4.0]]}).apply(E.pad_to_cardinality(4))
    return [types(ds), values(tf, ds), raises(lambda: D.range(3).apply(E.pad_to_cardinality(4))),
            raises(lambda: D.from_tensors({"valid": 1}).apply(E.pad_to_cardinality(4)))]


# ----- files and tables -----------------------------------------------------------------------------------------
def _write(text, name="a.csv"):
    d = tempfile.mkdtemp()
    path = os.path.join(d, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def case_csv_dataset(tf):
    E = tf.data.experimental
    path = _write('a,b,c,d\n1,x,2.5,7\n2,"y,z",,8\n,w,1e3,9\n')
    ds = E.CsvDataset(path, [tf.int32, tf.string, [0.5], tf.constant([0], tf.int64)], header=True)
    sel = E.CsvDataset(path, [[-1], [0.0]], header=True, select_cols=[0, 2])
    na = E.CsvDataset(_write("1;NA\n2;3\n"), [[0], [-7]], field_delim=";", na_value="NA")
    q = E.CsvDataset(_write('"a"b,c\n'), [tf.string, tf.string], use_quote_delim=False)
    return [types(ds), ds._variant_tensor.op.type, values(tf, ds), values(tf, sel), values(tf, na), values(tf, q),
            values(tf, E.CsvDataset(path, [tf.int32] * 3, header=True)),
            values(tf, E.CsvDataset(path, [tf.int32] * 4)), values(tf, E.CsvDataset(_write("a,1\n"), [0, 0]))]


def case_csv_dataset_gzip_and_files(tf):
    import gzip
    E = tf.data.experimental
    d = tempfile.mkdtemp()
    paths = [os.path.join(d, n) for n in ("a.csv.gz", "b.csv.gz")]
    for i, p in enumerate(paths):
        with gzip.open(p, "wt") as f:
            f.write(f"{i},{i * 10}\n{i + 1},{i * 10 + 1}\n")
    ds = E.CsvDataset(paths, [tf.int64, tf.int64], compression_type="GZIP")
    return values(tf, ds)


def case_make_csv_dataset(tf):
    E = tf.data.experimental
    path = _write("name,x,y,label\nab,1,2.5,0\ncd,2,3.5,1\nef,3,,1\ngh,4,5.5,0\n")
    ds = E.make_csv_dataset(path, 2, label_name="label", shuffle=False, num_epochs=1)
    rep = E.make_csv_dataset(path, 3, shuffle=False, select_columns=["x", "label"])
    nxt = tf.data.make_one_shot_iterator(rep).get_next()
    with tf.Session() as s:
        first = [s.run(nxt) for _ in range(3)]
    return [types(ds), values(tf, ds), types(rep), first,
            raises(lambda: E.make_csv_dataset(path, 2, label_name="nope")),
            raises(lambda: E.make_csv_dataset(path + ".none", 2)),
            raises(lambda: E.make_csv_dataset(path, 2, header=False)),
            raises(lambda: E.make_csv_dataset(path, 2, select_columns=["x", "x"]))]


def case_make_csv_dataset_inference(tf):
    E = tf.data.experimental
    path = _write("i,big,fl,dbl,s\n1,3000000000,1.5,1e300,a\n2,1,2,2,3\n")
    ds = E.make_csv_dataset(path, 1, shuffle=False, num_epochs=1)
    return [types(ds), values(tf, ds)]


def case_sql_dataset(tf):
    E = tf.data.experimental
    path = os.path.join(tempfile.mkdtemp(), "db.sqlite")
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE t (name TEXT, n INTEGER, x REAL)")
    db.executemany("INSERT INTO t VALUES (?, ?, ?)", [("a", 1, 0.5), ("b", 2, 1.5)])
    db.commit()
    db.close()
    ds = E.SqlDataset("sqlite", path, "SELECT name, n, x FROM t ORDER BY n", (tf.string, tf.int32, tf.float64))
    bad = E.SqlDataset("sqlite", path, "SELECT nope FROM t", (tf.string,))
    return [types(ds), ds._variant_tensor.op.type, values(tf, ds), values(tf, bad)]


def _examples(tf, path):
    with tf.python_io.TFRecordWriter(path) as w:
        for i in range(5):
            ex = tf.train.Example(features=tf.train.Features(feature={
                "x": tf.train.Feature(float_list=tf.train.FloatList(value=[i, i * 0.5])),
                "y": tf.train.Feature(int64_list=tf.train.Int64List(value=[i % 2]))}))
            w.write(ex.SerializeToString())


def case_make_batched_features_dataset(tf):
    E = tf.data.experimental
    path = os.path.join(tempfile.mkdtemp(), "ex.tfrecord")
    _examples(tf, path)
    features = {"x": tf.FixedLenFeature([2], tf.float32), "y": tf.FixedLenFeature([], tf.int64)}
    ds = E.make_batched_features_dataset(path, 2, features, label_key="y", num_epochs=1, shuffle=False)
    parsed = tf.data.TFRecordDataset(path).batch(3).apply(E.parse_example_dataset(features))
    return [types(ds), values(tf, ds), types(parsed), values(tf, parsed)]


def case_tfrecord_writer(tf):
    E, D = tf.data.experimental, tf.data.Dataset
    d = tempfile.mkdtemp()
    plain, gz = os.path.join(d, "a.tfrecord"), os.path.join(d, "b.tfrecord")
    w = E.TFRecordWriter(plain).write(D.from_tensor_slices(["ab", "cde"]))
    w2 = E.TFRecordWriter(gz, "GZIP").write(D.from_tensor_slices(["x"]))
    with tf.Session() as s:
        s.run([w, w2])
    back = values(tf, tf.data.TFRecordDataset(plain))
    back_gz = values(tf, tf.data.TFRecordDataset(gz, "GZIP"))
    return [w.type, w.name, back, back_gz, list(tf.python_io.tf_record_iterator(plain)),
            raises(lambda: E.TFRecordWriter(plain).write(D.range(3)))]


def case_rejection_resample(tf):
    """Random which elements are kept (TF also mixes unrejected ones in): types and the classes kept."""
    E, D = tf.data.experimental, tf.data.Dataset
    ds = D.range(40).map(lambda x: (x % 2, tf.cast(x, tf.float32)))
    only0 = ds.apply(E.rejection_resample(lambda c, v: c, [1.0, 0.0], initial_dist=[0.5, 0.5], seed=1))
    est = D.range(60).apply(E.rejection_resample(lambda x: x % 3, [0.0, 0.5, 0.5], seed=2))
    got0, got_est = values(tf, only0, 100), values(tf, est, 100)
    return [types(only0), sorted({int(c) for c, _ in got0[:-1]}), len(got0) > 10, got0[-1], types(est),
            sorted({int(c) for c, _ in got_est[:-1]}), all(int(x) % 3 == int(c) for c, x in got_est[:-1])]

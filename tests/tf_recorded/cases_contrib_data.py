"""tf.contrib.data (TF 1.15): its names that are tf.data.experimental's, drop-remainder batching, sliding windows,
sloppy interleave, reduce_dataset, assert_element_shape, read_batch_features; values, static types, errors.
TF 2.21 has no tf.contrib: when recording, `contrib_data` builds the names as TF 1.15's contrib code does."""
import os
import sys
import tempfile
import types

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cases_data_experimental import types as spec
from cases_data_experimental import values
from ops_helpers import error_text

ALIASED = ["AUTOTUNE", "Counter", "CsvDataset", "Optional", "RandomDataset", "Reducer", "SqlDataset", "TFRecordWriter",
           "bucket_by_sequence_length", "choose_from_datasets", "copy_to_device", "enumerate_dataset",
           "get_next_as_optional", "get_single_element", "group_by_reducer", "group_by_window", "ignore_errors",
           "make_batched_features_dataset", "make_csv_dataset", "map_and_batch", "parallel_interleave",
           "parse_example_dataset", "prefetch_to_device", "rejection_resample", "sample_from_datasets", "scan",
           "shuffle_and_repeat", "unbatch", "unique"]
OWN = ["batch_and_drop_remainder", "padded_batch_and_drop_remainder", "sliding_window_batch", "sloppy_interleave",
       "reduce_dataset", "assert_element_shape", "read_batch_features"]


def contrib_data(tf):
    """`tf.contrib.data`; when recording, tf.data.experimental's names and TF 1.15's contrib definitions of
    the others over TF 2.21."""
    if hasattr(tf, "contrib"):
        return tf.contrib.data
    from tensorflow.python.data.ops import dataset_ops
    from tensorflow.python.ops import gen_experimental_dataset_ops

    E = tf.data.experimental
    c = types.SimpleNamespace(**{n: getattr(E, n) for n in ALIASED})

    class SlideDataset(dataset_ops.UnaryDataset):  # TF 1.15's contrib sliding._SlideDataset
        def __init__(self, input_dataset, window_size, window_shift, window_stride):
            self._structure = tf.nest.map_structure(lambda s: s._batch(None), input_dataset.element_spec)
            variant = gen_experimental_dataset_ops.sliding_window_dataset(
                input_dataset._variant_tensor, window_size=tf.constant(window_size, tf.int64),
                window_shift=tf.constant(window_shift, tf.int64), window_stride=tf.constant(window_stride, tf.int64),
                **self._flat_structure)
            super().__init__(input_dataset, variant)

        @property
        def element_spec(self):
            return self._structure

    def sliding_window_batch(window_size, stride=None, window_shift=None, window_stride=1):
        if stride is None and window_shift is None:
            window_shift = 1
        elif stride is not None and window_shift is None:
            window_shift = stride
        elif stride is not None and window_shift is not None:
            raise ValueError("Cannot specify both `stride` and `window_shift`")
        return lambda ds: SlideDataset(ds, window_size, window_shift, window_stride)

    def reduce_dataset(dataset, reducer):
        if not isinstance(dataset, tf.data.Dataset):
            raise TypeError("`dataset` must be a `tf.data.Dataset` object.")
        return reducer.finalize_func(dataset.reduce(reducer.init_func(np.int64(0)), reducer.reduce_func))

    def with_shape(expected, t):
        if t.shape.is_fully_defined():
            return t
        if expected.rank == 0:
            return tf.reshape(t, [])
        dims = tf.constant([-1 if d is None else d for d in expected.as_list()], tf.int32)
        actual = tf.shape(t)
        ok = tf.logical_and(tf.equal(tf.size(actual), expected.rank),
                            tf.reduce_all(tf.logical_or(tf.equal(dims, -1), tf.equal(dims, actual))))
        with tf.control_dependencies([tf.Assert(ok, ["Wrong shape", dims, actual])]):
            out = tf.identity(t)
        out.set_shape(expected)
        return out

    def assert_element_shape(expected_shapes):
        def apply(ds):
            flat = tf.nest.flatten(tf.data.get_output_shapes(ds))
            expected = [tf.TensorShape(s) for s in tf.nest.flatten(expected_shapes)]
            for have, want in zip(flat, expected):
                have.merge_with(want)

            def check(*xs):
                value = xs[0] if len(xs) == 1 else xs
                checked = [with_shape(w, t) if w else t for w, t in zip(expected, tf.nest.flatten(value))]
                return tf.nest.pack_sequence_as(value, checked)
            return ds.map(check)
        return apply

    def read_batch_features(file_pattern, batch_size, features, reader=None, reader_args=None,
                            randomize_input=True, num_epochs=None, capacity=10000):
        ds = E.make_batched_features_dataset(file_pattern, batch_size, features, reader=reader,
                                             reader_args=reader_args, shuffle=randomize_input,
                                             num_epochs=num_epochs, shuffle_buffer_size=capacity)
        return tf.data.make_one_shot_iterator(ds).get_next()

    c.batch_and_drop_remainder = lambda n: lambda ds: ds.batch(n, drop_remainder=True)
    c.padded_batch_and_drop_remainder = lambda n, shapes, values=None: lambda ds: ds.padded_batch(
        n, padded_shapes=shapes, padding_values=values, drop_remainder=True)
    c.sloppy_interleave = lambda f, cycle, block=1: E.parallel_interleave(f, cycle, block, sloppy=True)
    c.sliding_window_batch, c.reduce_dataset = sliding_window_batch, reduce_dataset
    c.assert_element_shape, c.read_batch_features = assert_element_shape, read_batch_features
    return c


def case_names_and_identity(tf):
    C = contrib_data(tf)
    out = [[n for n in ALIASED + OWN if not hasattr(C, n)],
           [n for n in ALIASED if getattr(C, n) is not getattr(tf.data.experimental, n)]]
    if hasattr(tf, "contrib"):
        from raygraph.contrib import data
        out.append(data is tf.contrib.data)
    else:
        out.append(True)
    return out


def case_batch_and_drop_remainder(tf):
    C, D = contrib_data(tf), tf.data.Dataset
    out = []
    for n, k in ((7, 3), (6, 3), (2, 3), (0, 2), (5, 1)):
        ds = D.range(n).apply(C.batch_and_drop_remainder(k))
        out += [spec(ds), values(tf, ds)]
    pairs = D.from_tensor_slices((np.arange(10, dtype=np.float32).reshape(5, 2), ["a", "b", "c", "d", "e"]))
    ds = pairs.apply(C.batch_and_drop_remainder(2))
    out += [spec(ds), values(tf, ds)]
    ds = D.from_tensor_slices({"x": np.arange(4), "y": np.arange(4.0)}).apply(C.batch_and_drop_remainder(3))
    out += [spec(ds), values(tf, ds)]
    n = tf.placeholder(tf.int64, [])
    ds = D.range(10).apply(C.batch_and_drop_remainder(n))
    out.append(spec(ds))
    it = tf.data.make_initializable_iterator(ds)
    nxt = it.get_next()
    with tf.Session() as s:
        for size in (4, 0):
            try:
                s.run(it.initializer, {n: size})
                out += [s.run(nxt), s.run(nxt)]
                out.append(s.run(nxt))
            except tf.errors.OutOfRangeError:
                out.append("end")
            except tf.errors.OpError as e:
                out.append(type(e).__name__)
    return out


def case_padded_batch_and_drop_remainder(tf):
    C, D = contrib_data(tf), tf.data.Dataset
    ragged = D.range(1, 6).map(lambda x: tf.fill([x], x))
    out = []
    for k, shapes, pad in ((2, [None], None), (2, [6], np.int64(-1)), (5, [None], None), (6, [None], None)):
        ds = ragged.apply(C.padded_batch_and_drop_remainder(k, shapes, pad))
        out += [spec(ds), values(tf, ds)]
    pairs = ragged.map(lambda x: (x, tf.cast(tf.size(x), tf.float32)))
    ds = pairs.apply(C.padded_batch_and_drop_remainder(2, ([None], []), (np.int64(9), 0.5)))
    out += [spec(ds), values(tf, ds)]
    return out


def case_sliding_window_batch(tf):
    C, D = contrib_data(tf), tf.data.Dataset
    out = []
    for n, kwargs in ((7, {"window_size": 3}), (7, {"window_size": 3, "window_shift": 2}),
                      (7, {"window_size": 2, "stride": 3}),
                      (9, {"window_size": 3, "window_shift": 1, "window_stride": 2}),
                      (2, {"window_size": 3}), (3, {"window_size": 3, "window_shift": 5})):
        ds = D.range(n).apply(C.sliding_window_batch(**kwargs))
        out += [spec(ds), values(tf, ds)]
    pairs = D.from_tensor_slices((np.arange(12, dtype=np.float32).reshape(6, 2), np.arange(6, dtype=np.int32)))
    ds = pairs.apply(C.sliding_window_batch(4, window_shift=2))
    out += [spec(ds), values(tf, ds)]
    ds = D.from_tensor_slices({"a": np.arange(5), "b": np.arange(5.0) * 2}).apply(C.sliding_window_batch(2))
    out += [spec(ds), values(tf, ds)]
    out.append(error_text(lambda: C.sliding_window_batch(3, stride=1, window_shift=1)))
    out.append(values(tf, D.range(5).apply(C.sliding_window_batch(2, window_stride=0))))
    return out


def case_sloppy_interleave(tf):
    C, D = contrib_data(tf), tf.data.Dataset
    out = []
    for cycle, block in ((2, 1), (3, 2), (1, 1)):
        ds = D.range(1, 5).apply(C.sloppy_interleave(lambda x: D.from_tensors(x).repeat(x), cycle, block))
        got = values(tf, ds)
        out += [spec(ds), sorted(got[:-1]), got[-1]]
    ds = D.range(3).apply(C.sloppy_interleave(lambda x: D.from_tensor_slices(([x, x + 10], [1.5, 2.5])), 2))
    got = values(tf, ds)
    out += [spec(ds), sorted(tuple(map(float, v)) for v in got[:-1])]
    return out


def case_reduce_dataset(tf):
    C, D = contrib_data(tf), tf.data.Dataset
    total = C.Reducer(lambda k: k, lambda s, x: s + x, lambda s: s * 10)
    count = C.Reducer(lambda k: np.float32(0.5), lambda s, x: s + 1.0, lambda s: s)
    out = []
    for ds in (D.range(5), D.range(0), D.range(3, 4)):
        r = C.reduce_dataset(ds, total)
        out.append([r.dtype.name, r.shape.as_list()])
        with tf.Session() as s:
            out.append(s.run(r))
    r = C.reduce_dataset(D.from_tensor_slices(([1, 2, 3], ["a", "b", "c"])), count)
    with tf.Session() as s:
        out += [r.dtype.name, s.run(r)]
    out.append(error_text(lambda: C.reduce_dataset([1, 2], total)))
    return out


def case_assert_element_shape(tf):
    C, D = contrib_data(tf), tf.data.Dataset
    TS = tf.TensorShape
    fixed = D.range(3).map(lambda x: (tf.ones([2]) * tf.cast(x, tf.float32),
                                      tf.zeros([3, 4], tf.int32) + tf.cast(x, tf.int32)))
    out = []
    for want in ((TS([2]), TS([3, 4])), (TS(None), TS([None, 4])), (TS([None]), TS(None))):
        ds = fixed.apply(C.assert_element_shape(want))
        out += [spec(ds), values(tf, ds)]
    out.append(error_text(lambda: fixed.apply(C.assert_element_shape((TS([3]), TS([3, 4]))))))
    out.append(error_text(lambda: fixed.apply(C.assert_element_shape((TS([2, 1]), TS([3, 4]))))))
    x = tf.placeholder(tf.int64)
    loose = D.from_tensors(x)
    for feed, want in ((np.ones([3, 2]), TS([3, 2])), (np.ones([3, 2]), TS([None, 2])), (np.ones([2, 2]), TS([3, 2])),
                       (np.ones([3, 2]), TS([3])), (np.ones([3, 2]), TS([3, 2, 1])), (np.ones([1, 5]), TS([1, None])),
                       (np.ones([4]), TS([None, 4])),
                       (np.array(5), TS([])), (np.ones([2]), TS([])), (np.ones([1]), TS([]))):
        ds = loose.apply(C.assert_element_shape(want))
        it = tf.data.make_initializable_iterator(ds)
        nxt = it.get_next()
        out.append(spec(ds))
        with tf.Session() as s:
            s.run(it.initializer, {x: feed})
            try:
                out.append(s.run(nxt))
            except tf.errors.OpError as e:
                out.append(type(e).__name__)
    single = D.range(4).apply(C.assert_element_shape(TS([])))
    out += [spec(single), values(tf, single)]
    return out


def case_aliases_in_pipelines(tf):
    C, D = contrib_data(tf), tf.data.Dataset
    out = []
    ds = D.range(7).apply(C.map_and_batch(lambda x: x * 2, 3))
    out += [spec(ds), values(tf, ds)]
    ds = D.range(7).apply(C.map_and_batch(lambda x: (x, tf.cast(x, tf.float32)), 3, drop_remainder=True))
    out += [spec(ds), values(tf, ds)]
    ds = D.range(4).apply(C.parallel_interleave(lambda x: D.range(x), cycle_length=2))
    out += [spec(ds), values(tf, ds)]
    ds = D.range(3).apply(C.shuffle_and_repeat(1, 2))
    out += [spec(ds), values(tf, ds)]
    ds = D.range(5).apply(C.scan(np.int64(0), lambda s, x: (s + x, s * 2)))
    out += [spec(ds), values(tf, ds)]
    ds = D.from_tensor_slices([[1, 2], [3, 4]]).apply(C.unbatch()).apply(C.enumerate_dataset(5))
    out += [spec(ds), values(tf, ds)]
    ds = D.from_tensor_slices([3, 1, 3, 2, 1]).apply(C.unique())
    out += [spec(ds), values(tf, ds)]
    ds = C.Counter(2, 3).take(3)
    out += [spec(ds), values(tf, ds)]
    r = C.get_single_element(D.from_tensors(tf.constant([1.5, 2.5])))
    with tf.Session() as s:
        out.append(s.run(r))
    return out


def case_read_batch_features(tf):
    path = os.path.join(tempfile.mkdtemp(), "ex.tfrecord")
    f = tf.train
    with tf.python_io.TFRecordWriter(path) as w:
        for i in range(5):
            w.write(f.Example(features=f.Features(feature={
                "id": f.Feature(int64_list=f.Int64List(value=[i])),
                "x": f.Feature(float_list=f.FloatList(value=[i * 0.5, -i]))})).SerializeToString())
    features = {"id": tf.FixedLenFeature([], tf.int64), "x": tf.FixedLenFeature([2], tf.float32)}
    batch = contrib_data(tf).read_batch_features(path, 2, features, randomize_input=False, num_epochs=1)
    out = [sorted(batch), {k: [v.dtype.name, v.shape.as_list()] for k, v in batch.items()}]
    with tf.Session() as s:
        for _ in range(4):
            try:
                out.append(s.run(batch))
            except tf.errors.OutOfRangeError:
                out.append("end")
                break
    return out

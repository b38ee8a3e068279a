"""Recorded cases: what printing a dataset shows (`<_MapDataset element_spec=TensorSpec(...)>`): TF's class for
the op that made it, or the class of the constructor (readers, generators, tf.data.experimental's
transformations), and its element spec."""
import os
import tempfile

import numpy as np


def _texts(datasets):
    return [repr(d) for d in datasets]


def case_repr_sources_and_methods(tf):
    D = tf.data.Dataset
    r = D.range(6)
    return _texts([
        r, D.from_tensors([1, 2]), D.from_tensor_slices((np.zeros((4, 3), np.float32), np.arange(4))),
        D.from_tensor_slices({"a": [1, 2], "b": [[1.0], [2.0]]}), r.map(lambda x: x * 2),
        r.map(lambda x: x, num_parallel_calls=2), r.batch(2), r.batch(2, drop_remainder=True), r.padded_batch(2, []),
        r.shuffle(3), r.repeat(2), r.take(2), r.skip(1), r.filter(lambda x: x > 1),
        r.flat_map(lambda x: D.from_tensors(x)), r.interleave(lambda x: D.from_tensors(x), cycle_length=2),
        r.interleave(lambda x: D.from_tensors(x), cycle_length=2, num_parallel_calls=2),
        D.zip((r, r)), D.zip({"a": r, "b": r}), r.concatenate(r), r.prefetch(1), r.cache(), r.window(2),
        r.shard(2, 0), r.batch(2).unbatch(), r.enumerate(), r.with_options(tf.data.Options()),
        r.map(lambda x: x * 2).batch(2), D.from_tensors(((1, 2.0), {"k": "s"}))])


def case_repr_readers_and_generators(tf):
    folder = tempfile.mkdtemp()
    path = os.path.join(folder, "t.txt")
    with open(path, "w") as f:
        f.write("a\nb\n")
    D = tf.data.Dataset
    E = tf.data.experimental
    return _texts([
        tf.data.TextLineDataset(path), tf.data.TFRecordDataset(path), tf.data.FixedLengthRecordDataset(path, 1),
        D.from_generator(lambda: iter([1, 2]), tf.int64),
        D.from_generator(lambda: iter([[1, 2]]), tf.int32, tf.TensorShape([2])),
        D.list_files(os.path.join(folder, "*.txt")), D.list_files(os.path.join(folder, "*.txt"), shuffle=False),
        E.CsvDataset(path, [tf.string]), E.RandomDataset(seed=1), E.Counter()])


def case_repr_experimental_transformations(tf):
    D = tf.data.Dataset
    E = tf.data.experimental
    r = D.range(6)

    def one(x):
        return D.from_tensors(x)
    return _texts([
        r.batch(2).apply(E.unbatch()), r.apply(E.enumerate_dataset()), r.apply(E.ignore_errors()),
        r.apply(E.unique()), r.apply(E.take_while(lambda x: x < 3)), r.apply(E.assert_cardinality(6)),
        r.apply(E.shuffle_and_repeat(3)), r.apply(E.parallel_interleave(one, 2)),
        r.apply(E.map_and_batch(lambda x: x, 2)), r.apply(E.copy_to_device("/cpu:0")),
        r.apply(E.prefetch_to_device("/cpu:0")), r.apply(E.scan(np.int64(0), lambda s, x: (s + x, x))),
        r.apply(E.group_by_window(lambda x: x % 2, lambda k, d: d.batch(2), 2)),
        r.apply(E.group_by_reducer(lambda x: x % 2, E.Reducer(lambda k: np.int64(0), lambda s, x: s + x,
                                                                  lambda s: s))),
        r.apply(E.bucket_by_sequence_length(lambda x: tf.cast(x, tf.int32), [3], [2, 2])),
        E.choose_from_datasets([r, r], D.range(2).repeat(2)), E.sample_from_datasets([r, r], seed=1),
        r.apply(E.rejection_resample(lambda x: tf.cast(x % 2, tf.int32), [0.5, 0.5], initial_dist=[0.5, 0.5],
                                     seed=1))])


def case_repr_unknown_dims(tf):
    p = tf.placeholder(tf.float32, [None, 3])
    q = tf.placeholder(tf.int32)
    D = tf.data.Dataset
    return _texts([D.from_tensor_slices(p), D.from_tensors(q), D.from_tensor_slices(p).batch(4),
                   D.from_tensor_slices((p, tf.range(5))).padded_batch(2, ([None], []))])

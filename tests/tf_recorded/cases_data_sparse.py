"""Recorded cases: SparseTensors inside tf.data pipelines: from_tensors/from_tensor_slices of SparseTensors,
map functions that parse VarLen features or take sparse arguments, batch (the dense shape the largest of the
batch's), unbatch, the other transformations carrying sparse components, static types and specs, get_next's
graph, and TF's errors; plus string elements ending in NUL bytes through slices, maps and batches."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import error_text, kernel_error, sig  # noqa: E402


def _example(tf, values):
    feature = tf.train.Feature(int64_list=tf.train.Int64List(value=values))
    return tf.train.Example(features=tf.train.Features(feature={"v": feature})).SerializeToString()


def _drain(tf, dataset, n):
    nxt = tf.data.make_one_shot_iterator(dataset).get_next()
    with tf.Session() as s:
        return [_plain(s.run(nxt)) for _ in range(n)]


def _plain(value):
    """A fetched element as lists (SparseTensorValues as their three parts)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in sorted(value.items())}
    if isinstance(value, tuple) and not hasattr(value, "indices"):
        return [_plain(v) for v in value]
    if hasattr(value, "indices"):
        return ["sparse", value.indices.tolist(), value.values.tolist(), value.dense_shape.tolist()]
    if isinstance(value, bytes):
        return value.hex()  # (numpy's bytes would drop trailing NULs)
    if isinstance(value, np.ndarray) and value.dtype == object:
        return [_plain(v) for v in value] if value.ndim else _plain(value[()])
    return np.asarray(value).tolist()


def _types(dataset):
    return [repr(dataset.element_spec), str(dataset.output_types), str(dataset.output_shapes),
            str(_class_names(dataset.output_classes))]


def _class_names(classes):
    if isinstance(classes, dict):
        return {k: _class_names(v) for k, v in sorted(classes.items())}
    if isinstance(classes, tuple):
        return [_class_names(c) for c in classes]
    return classes.__name__


def _sparse_sig(st):
    return [sig(st.indices), sig(st.values), sig(st.dense_shape)]


def case_sparse_from_tensors(tf):
    st = tf.SparseTensor([[0, 1], [2, 0]], [1.5, -2.0], [3, 4])
    d = tf.data.Dataset.from_tensors(st)
    value = tf.SparseTensorValue(np.array([[1]]), np.array([7], np.int32), np.array([5]))
    d2 = tf.data.Dataset.from_tensors((value, 3))
    return [_types(d), _drain(tf, d, 1), _types(d2), _drain(tf, d2, 1)]


def case_sparse_from_tensor_slices_and_batch(tf):
    st = tf.SparseTensor([[0, 1], [0, 3], [2, 0], [3, 2]], [1, 2, 3, 4], [4, 5])
    d = tf.data.Dataset.from_tensor_slices(st)
    b = d.batch(3)
    return [_types(d), _drain(tf, d, 4), _types(b), _drain(tf, b, 2)]


def case_sparse_parsed_varlen(tf):
    records = [_example(tf, v) for v in ([1, 2], [3], [], [4, 5, 6])]
    d = tf.data.Dataset.from_tensor_slices(records)
    single = d.map(lambda r: tf.parse_single_example(r, {"v": tf.VarLenFeature(tf.int64)}))
    batched = d.batch(2).map(lambda r: tf.parse_example(r, {"v": tf.VarLenFeature(tf.int64)}))
    return [_types(single), _drain(tf, single, 4), _types(single.batch(3)), _drain(tf, single.batch(3), 2),
            _types(batched), _drain(tf, batched, 2)]


def case_sparse_map_arguments(tf):
    st = tf.SparseTensor([[0, 0], [1, 2], [1, 3]], [1.0, 2.0, 3.0], [2, 4])
    d = tf.data.Dataset.from_tensor_slices(st)
    dense = d.map(lambda s: tf.sparse.to_dense(s))
    both = tf.data.Dataset.zip((d, tf.data.Dataset.range(2))).map(lambda s, i: (tf.sparse.reduce_sum(s), i, s))
    kept = d.filter(lambda s: tf.size(s.values) > 1)
    return [_types(dense), _drain(tf, dense, 2), _types(both), _drain(tf, both, 2), _drain(tf, kept, 1)]


def case_sparse_unbatch_and_carriers(tf):
    st = tf.SparseTensor([[0, 1], [1, 0], [1, 2], [2, 2]], [1, 2, 3, 4], [3, 3])
    d = tf.data.Dataset.from_tensor_slices(st)
    rebatched = d.batch(2).unbatch()
    whole = tf.data.Dataset.from_tensors(st).unbatch()
    carried = d.repeat(2).skip(1).take(3).prefetch(1).cache()
    return [_types(rebatched), _drain(tf, rebatched, 3), _types(whole), _drain(tf, whole, 3),
            _drain(tf, carried, 3)]


def case_sparse_get_next_graph(tf):
    st = tf.SparseTensor([[0], [2]], [1.0, 2.0], [3])
    p = tf.placeholder(tf.int64, [None, 1])
    it = tf.data.Dataset.from_tensors(st).make_one_shot_iterator()
    nxt = it.get_next()
    op = nxt.indices.op
    unknown = tf.data.Dataset.from_tensors(tf.SparseTensor(p, [1.0], [4])).make_initializable_iterator().get_next()
    get = op.inputs[0].op
    return [_sparse_sig(nxt), op.type, get.type, [str(t) for t in get.get_attr("output_types")],
            [str(tf.TensorShape(s)) for s in get.get_attr("output_shapes")], _sparse_sig(unknown)]


def case_sparse_padded_batch_error(tf):
    st = tf.SparseTensor([[0]], [1], [3])
    return error_text(lambda: tf.data.Dataset.from_tensors(st).padded_batch(2, [None]))


def case_strings_ending_in_nul(tf):
    d = tf.data.Dataset.from_tensor_slices([b"a\x00", b"bc", b"\x00\x00"])
    return [_drain(tf, d, 3), _drain(tf, d.batch(3), 1), _drain(tf, d.padded_batch(3, []), 1),
            _drain(tf, d.map(lambda x: x + b"\x00"), 3), _drain(tf, d.map(lambda x: tf.stack([x, x])).batch(2), 1),
            _drain(tf, d.batch(2).unbatch(), 3)]


def case_sparse_parse_example_dataset_and_reinitializable(tf):
    records = [_example(tf, v) for v in ([1, 2], [3], [], [4, 5, 6])]
    d = tf.data.Dataset.from_tensor_slices(records).batch(2).apply(
        tf.data.experimental.parse_example_dataset({"v": tf.io.VarLenFeature(tf.int64)}))
    other = tf.data.Dataset.from_tensor_slices(records[2:]).batch(2).map(
        lambda r: tf.parse_example(r, {"v": tf.VarLenFeature(tf.int64)}))
    it = tf.data.Iterator.from_structure(d.output_types, d.output_shapes, output_classes=d.output_classes)
    nxt = it.get_next()
    out = [_types(d)]
    with tf.Session() as s:
        for ds in (d, other):
            s.run(it.make_initializer(ds))
            out.append(_plain(s.run(nxt)))
    return out


def case_dense_to_sparse_batch(tf):
    E = tf.data.experimental
    d = tf.data.Dataset.from_tensor_slices([[1, 0, 2], [0, 0, 0], [3, 4, 5], [6, 0, 7]])
    fixed = d.apply(E.dense_to_sparse_batch(3, [4]))
    ragged = tf.data.Dataset.range(1, 5).map(lambda n: tf.fill([n], n)).apply(E.dense_to_sparse_batch(2, [None]))
    grid = tf.data.Dataset.range(3).map(lambda n: tf.reshape(tf.range(n * 2), [n, 2])).apply(
        E.dense_to_sparse_batch(2, [None, 2]))
    too_big = tf.data.Dataset.range(2, 4).map(lambda n: tf.fill([n], n)).apply(E.dense_to_sparse_batch(2, [2]))
    wrong_rank = d.apply(E.dense_to_sparse_batch(2, [3, 1]))
    out = [_types(fixed), _drain(tf, fixed, 2), _types(ragged), _drain(tf, ragged, 2), _types(grid),
           _drain(tf, grid, 2), _drain(tf, fixed.unbatch(), 3), repr(fixed),
           error_text(lambda: tf.data.Dataset.zip((d, d)).apply(E.dense_to_sparse_batch(2, [3]))),
           error_text(lambda: d.apply(E.dense_to_sparse_batch(2, [-1])))]
    for bad in (too_big, wrong_rank):
        out.append(kernel_error(tf, tf.data.make_one_shot_iterator(bad).get_next().values))
    with tf.Session() as s:
        out.append(int(s.run(tf.data.experimental.cardinality(fixed))))
    return out


def case_sparse_map_and_batch_choose_and_variant(tf):
    E = tf.data.experimental
    d = tf.data.Dataset.range(1, 5).apply(E.map_and_batch(lambda n: tf.SparseTensor([[0]], [n], [3]), 2))
    chosen = E.choose_from_datasets([d, d], tf.data.Dataset.range(2))
    back = E.from_variant(E.to_variant(d), d.element_spec)
    return [[_types(x) for x in (d, chosen)], repr(back.element_spec), [_drain(tf, x, 1) for x in (d, chosen, back)]]

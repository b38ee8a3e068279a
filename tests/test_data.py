"""tf.data: the recipes a device iterates (no Ray), graph functions, and iterators as device resources.

TF's own behaviour (values, static types, op names, errors) is checked by tests/tf_recorded/cases_data*.py;
these tests cover what recording cannot: seed stability, background threads, placement, error text."""
import threading
import time

import numpy as np
import pytest

from raygraph.data import function, pipeline, resource, sources
from raygraph.errors import FailedPreconditionError, InvalidArgumentError, OutOfRangeError


def _all(recipe):
    return [tuple(np.asarray(c).tolist() for c in e) for e in recipe.iterate()]


# ----- recipes, without a session --------------------------------------------------------------------------
def test_recipes_compose():
    r = pipeline.Repeat(pipeline.Batch(sources.Range(0, 5, 1, np.int64), 2, False), 2)
    assert _all(r) == [([0, 1],), ([2, 3],), ([4],)] * 2
    assert _all(pipeline.Batch(sources.Range(0, 5, 1, np.int64), 2, True)) == [([0, 1],), ([2, 3],)]
    assert _all(pipeline.Skip(pipeline.Take(sources.Range(0, 9, 1, np.int64), 4), 2)) == [(2,), (3,)]


def test_shuffle_is_seed_stable_and_reshuffles_each_pass():
    def order(seed, passes=1):
        return [e[0] for e in _all(pipeline.Repeat(pipeline.Shuffle(sources.Range(0, 50, 1, np.int64), 10, seed, 5),
                                                   passes))]
    assert order(3) == order(3) and order(3) != order(4)
    assert sorted(order(3)) == list(range(50))
    two = order(3, passes=2)
    assert two[:50] == order(3) and two[50:] != two[:50] and sorted(two[50:]) == list(range(50))
    # a buffer of n lets an element move at most n-1 places ahead of its turn
    assert all(v < i + 10 for i, v in enumerate(order(7)))


def test_map_error_ends_only_that_element():
    def fn(element):
        if element[0] == 1:
            raise InvalidArgumentError(None, None, "bad")
        return element
    it = pipeline.Map(sources.Range(0, 3, 1, np.int64), fn).iterate()
    assert next(it) == (0,)
    with pytest.raises(InvalidArgumentError):
        next(it)
    assert next(it) == (2,)


def test_parallel_map_keeps_order():
    def slow(element):
        time.sleep(0.001 * (5 - element[0]))
        return (element[0] * 2,)
    assert _all(pipeline.Map(sources.Range(0, 6, 1, np.int64), slow, parallel=4)) == [(v * 2,) for v in range(6)]


def test_prefetch_thread_ends_when_its_iterator_is_dropped():
    res = resource.IteratorResource("it")
    before = threading.active_count()
    res.initialize(pipeline.Prefetch(pipeline.Repeat(sources.Range(0, 3, 1, np.int64), -1), 2))
    assert res.get_next() == (0,)
    assert threading.active_count() == before + 1
    res.initialize(sources.Range(0, 1, 1, np.int64))   # re-initialized: the old producer stops
    deadline = time.monotonic() + 5
    while threading.active_count() > before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert threading.active_count() == before
    assert res.get_next() == (0,)
    with pytest.raises(OutOfRangeError):
        res.get_next()


def test_iterator_resource_before_initialization():
    with pytest.raises(FailedPreconditionError):
        resource.IteratorResource("it").get_next()
    with pytest.raises(TypeError):
        import pickle
        pickle.dumps(resource.IteratorResource("it"))


def test_traced_function_runs_without_a_session(tf):
    f, outputs = function.trace(lambda args: [args[0] * 2.0 + 1.0, tf.shape(args[1])],
                                [(tf.float32, tf.TensorShape([2])), (tf.int32, tf.TensorShape(None))], "f")
    assert [o.shape.as_list() for o in outputs] == [[2], [None]]
    x, shape = f((np.array([1.0, 2.0], np.float32), np.zeros((3, 4), np.int32)))
    assert x.tolist() == [3.0, 5.0] and shape.tolist() == [3, 4]


def test_which_functions_run_on_rows(tf):
    def on_rows(fn, specs=((tf.float32, tf.TensorShape([3])),)):
        return function.trace(fn, list(specs), "f")[0].on_rows
    assert on_rows(lambda a: [tf.tanh(a[0] * 0.5 + 1.0), a[0]])
    assert on_rows(lambda a: [tf.cast(a[0], tf.int32) // 2])
    assert not on_rows(lambda a: [a[0] * tf.constant([1.0, 2.0, 3.0])])       # a non-scalar constant
    assert not on_rows(lambda a: [a[0] + tf.random_uniform([])])               # stateful
    assert not on_rows(lambda a: [tf.reduce_sum(a[0])])                        # not elementwise
    assert not on_rows(lambda a: [a[0], tf.constant(1.0)])                     # an output not from the element
    assert not on_rows(lambda a: [a[0] * 2.0], [(tf.float32, tf.TensorShape([None]))])   # shape not known
    assert not on_rows(lambda a: [a[0] + a[1]], [(tf.float32, tf.TensorShape([3])),
                                                 (tf.float32, tf.TensorShape([]))])   # per-element broadcasting


def test_map_then_batch_runs_the_function_once_per_batch(tf, monkeypatch):
    f, _ = function.trace(lambda a: [a[0] * 2.0 + 1.0], [(tf.float32, tf.TensorShape([2]))], "f")
    calls = []
    real = function.Function.__call__
    monkeypatch.setattr(function.Function, "__call__", lambda self, args: calls.append(1) or real(self, args))
    data = np.arange(14, dtype=np.float32).reshape(7, 2)
    batches = _all(pipeline.Batch(pipeline.Map(sources.Slices([data]), f), 3, False))
    assert batches == [((data[lo:lo + 3] * 2 + 1).tolist(),) for lo in (0, 3, 6)]
    assert len(calls) == 3


def test_map_then_batch_fails_at_the_failing_element_and_goes_on_after_it(tf):
    f, _ = function.trace(lambda a: [tf.math.floordiv(10, a[0])], [(tf.int32, tf.TensorShape([]))], "f")
    assert f.on_rows
    it = pipeline.Batch(pipeline.Map(sources.Slices([np.array([1, 2, 0, 4, 5, 6, 7], np.int32)]), f), 3,
                        False).iterate()
    with pytest.raises(InvalidArgumentError, match="Integer division by zero"):
        next(it)
    assert [next(it)[0].tolist(), next(it)[0].tolist()] == [[2, 2, 1], [1]]   # as TF: the batch after the element
    with pytest.raises(StopIteration):
        next(it)


def test_functions_capture_the_outer_graphs_tensors_as_other_arguments(tf):
    outer = tf.constant(1.0)
    mapped = tf.data.Dataset.range(3).map(lambda x: outer)
    assert [t.name for t in mapped._variant_tensor.op.inputs] == ["RangeDataset:0", "Const:0"]
    scanned = tf.data.Dataset.range(3).apply(tf.data.experimental.scan(outer, lambda s, x: (s + outer, x)))
    assert [t.name for t in scanned._variant_tensor.op.inputs] == ["RangeDataset_1:0", "Const:0", "Const:0"]


# ----- in a session ------------------------------------------------------------------------------------------
def test_map_error_names_the_op_and_iterator_stays_usable(rtf):
    tf = rtf

    def check(x):
        if x == 1:
            raise ValueError("element one is bad")
        return x
    ds = tf.data.Dataset.range(3).map(lambda x: tf.py_func(check, [x], tf.int64))
    nxt = tf.data.make_one_shot_iterator(ds).get_next(name="batch")
    with tf.Session() as s:
        assert s.run(nxt) == 0
        with pytest.raises(tf.errors.InvalidArgumentError) as e:
            s.run(nxt)
        assert "element one is bad" in str(e.value) and "batch" in str(e.value)
        assert e.value.op is not None and e.value.op.name == "batch"
        assert s.run(nxt) == 2


def test_shuffled_dataset_repeats_its_order_in_a_new_session(rtf):
    tf = rtf
    tf.set_random_seed(1)
    nxt = tf.data.make_one_shot_iterator(tf.data.Dataset.range(30).shuffle(8).batch(30)).get_next()
    with tf.Session() as s:
        first = s.run(nxt).tolist()
    with tf.Session() as s:
        assert s.run(nxt).tolist() == first
    assert sorted(first) == list(range(30)) and first != list(range(30))


def test_iterator_lives_on_its_device_and_its_ops_follow_it(rtf):
    tf = rtf
    xs = np.arange(12, dtype=np.float32).reshape(6, 2)
    with tf.device("/cpu:1"):
        it = tf.data.Dataset.from_tensor_slices(xs).batch(3).make_initializable_iterator()
    with tf.device("/cpu:0"):
        batch = it.get_next()
        total = tf.reduce_sum(batch)
    assert batch.op.colocation_groups() == [b"loc:@" + it._iterator_resource.op.name.encode()]
    assert it.initializer.colocation_groups() == batch.op.colocation_groups()
    with tf.Session(config=tf.ConfigProto(device_count={"CPU": 2})) as s:
        s.run(it.initializer)
        meta = tf.RunMetadata()
        assert s.run(total, options=tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE), run_metadata=meta) == 15.0
        placed = {n.node_name: d.device for d in meta.step_stats.dev_stats for n in d.node_stats}
        assert placed[batch.op.name].endswith("CPU:1") and placed[total.op.name].endswith("CPU:0")
        assert s.run(total) == 51.0
        with pytest.raises(tf.errors.OutOfRangeError):
            s.run(total)


def test_one_shot_iterator_rejects_placeholders(rtf):
    tf = rtf
    n = tf.placeholder(tf.int64, [])
    with pytest.raises(ValueError):
        tf.data.make_one_shot_iterator(tf.data.Dataset.range(n))


def test_from_generator_runs_in_the_device(rtf):
    tf = rtf

    def gen():
        for i in range(3):
            yield {"a": i, "b": [i] * 2}
    ds = tf.data.Dataset.from_generator(gen, {"a": tf.int32, "b": tf.float32},
                                        {"a": tf.TensorShape([]), "b": tf.TensorShape([2])}).batch(3)
    nxt = tf.data.make_one_shot_iterator(ds).get_next()
    assert nxt["a"].shape.as_list() == [None] and nxt["b"].shape.as_list() == [None, 2]
    with tf.Session() as s:
        got = s.run(nxt)
    assert got["a"].tolist() == [0, 1, 2] and got["b"].dtype == np.float32 and got["b"][2].tolist() == [2, 2]


def test_dataset_graphs_serialize_with_function_attrs(tf):
    def gen():
        yield 1
    ds = tf.data.Dataset.range(3).map(lambda x: x + 1).filter(lambda x: x > 1)
    ds = ds.concatenate(tf.data.Dataset.from_generator(gen, tf.int64))
    tf.data.make_one_shot_iterator(ds).get_next()
    nodes = {n.op: n for n in tf.get_default_graph().as_graph_def().node}
    assert nodes["MapDataset"].attr["f"].func.name.startswith("__inference_Dataset_map_")
    assert nodes["FilterDataset"].attr["predicate"].func.name.startswith("__inference_Dataset_filter_")
    assert nodes["OneShotIterator"].attr["dataset_factory"].func.name.startswith("__inference__make_dataset")
    assert [t for t in nodes["IteratorGetNext"].attr["output_types"].list.type] == [9]  # DT_INT64


def test_large_records_round_trip(tmp_path):
    from raygraph import python_io
    assert python_io.crc32c(b"123456789") == 0xE3069283  # the CRC-32C check value
    data = np.random.RandomState(0).bytes(3 << 20)
    path = str(tmp_path / "big.tfrecord")
    with python_io.TFRecordWriter(path, options="GZIP") as w:
        w.write(data)
    assert list(python_io.tf_record_iterator(path, "GZIP")) == [data]

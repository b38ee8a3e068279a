"""Hand-checked rows of the op test: stateful, random, file and control ops, and other modules' ops.

Each setup(tf) builds a graph and returns {op type: check(session)}; a check runs and asserts.
"""
import numpy as np
from op_rows import F32, F64, I64, U8, raw


# ----- custom rows: sources, randomness, files, control flow and the stateful ops of other modules ----------
def _checks(*pairs):
    """check(session) running each (fetch, feed, verify) pair."""
    def check(s):
        for fetch, feed, verify in pairs:
            verify(s.run(fetch, feed))
    return check


def _equal(want):
    def verify(got):
        assert np.array_equal(np.asarray(got), np.asarray(want)), (got, want)
    return verify


def _sources(tf):
    c = tf.constant([[1, 2]], dtype=tf.int64)
    p = tf.placeholder(tf.float32, [None, 2])
    d = tf.placeholder_with_default(np.float64(1.5), [])
    return {"Const": _checks((c, None, _equal(np.array([[1, 2]], I64)))),
            "Placeholder": _checks((p * 2, {p: [[1, 2]]}, _equal(np.array([[2, 4]], F32)))),
            "PlaceholderWithDefault": _checks((d, None, _equal(1.5)), (d, {d: 3.0}, _equal(3.0))),
            "NoOp": _checks((tf.no_op(), None, lambda v: v is None))}


def _random(tf):
    def stats(lo, hi, mean, tol, dtype):
        def verify(v):
            assert v.dtype == dtype and v.shape == (400, 50), (v.dtype, v.shape)
            assert lo <= v.min() and v.max() < hi and abs(v.mean() - mean) < tol, (v.min(), v.max(), v.mean())
        return verify
    tf.set_random_seed(7)
    u = tf.random_uniform([400, 50], dtype=tf.float64)
    return {"RandomUniform": _checks((u, None, stats(0, 1, 0.5, 0.02, F64))),
            "RandomUniformInt": _checks((tf.random_uniform([400, 50], -3, 7, dtype=tf.int64), None,
                                         stats(-3, 7, 1.5, 0.1, I64))),
            "RandomStandardNormal": _checks((tf.random_normal([400, 50], 2.0, 3.0), None,
                                             stats(-30, 30, 2.0, 0.1, F32))),
            "TruncatedNormal": _checks((tf.truncated_normal([400, 50]), None, stats(-2, 2.0001, 0.0, 0.05, F32)))}


def _files(tf):
    import io
    import os
    import tempfile

    from PIL import Image
    img = (np.arange(48).reshape(4, 4, 3) * 5).astype(U8)
    png, jpg = io.BytesIO(), io.BytesIO()
    Image.fromarray(img).save(png, format="PNG")
    Image.fromarray(img).save(jpg, format="JPEG", quality=95)
    path = os.path.join(tempfile.mkdtemp(), "data.bin")
    write = tf.write_file(path, tf.constant(png.getvalue()))
    read = tf.read_file(path)

    def check(s):
        s.run(write)
        assert s.run(read) == png.getvalue()
        assert np.array_equal(s.run(tf.decode_png(read)), img)
        decoded = s.run(tf.decode_jpeg(jpg.getvalue(), channels=3))
        assert decoded.shape == (4, 4, 3) and np.abs(decoded.astype(int) - img).max() < 20
    return {"WriteFile": check, "ReadFile": check, "DecodePng": check, "DecodeJpeg": check}


def _control(tf):
    x = tf.placeholder(tf.float32, [])
    ok = tf.Assert(x > 0, [x])
    with tf.control_dependencies([ok]):
        y = tf.identity(x)
    printed = tf.Print(x, [x], "x=")
    pred = tf.placeholder(tf.bool, [])
    z = tf.cond(pred, lambda: x * 2.0, lambda: x - 1.0)
    v = tf.Variable(1.0)
    r = raw(tf, "RefSwitch", [v._variable if hasattr(v, "_variable") else v.op.outputs[0], pred])

    def check(s):
        from raygraph.errors import InvalidArgumentError
        assert s.run(y, {x: 2.0}) == 2.0 and s.run(printed, {x: 3.0}) == 3.0
        try:
            s.run(y, {x: -1.0})
            raise AssertionError("Assert did not fail")
        except InvalidArgumentError:
            pass
        assert s.run(z, {x: 3.0, pred: True}) == 6.0 and s.run(z, {x: 3.0, pred: False}) == 2.0
        s.run(v.initializer)
        assert s.run(r[1] + 1.0, {pred: True}) == 2.0
    return {"Assert": check, "Print": check, "Switch": check, "Merge": check, "RefSwitch": check}


def _loops(tf):
    """A loop (Enter, Merge, LoopCond, Switch, NextIteration, Exit), one reading a variable (RefEnter), its
    gradient (the stacks), and the Ref variants of NextIteration and Exit over a variable."""
    x = tf.placeholder(tf.float64, [])
    v = tf.Variable(2.0, dtype=tf.float64)
    _, y = tf.while_loop(lambda i, a: i < 3, lambda i, a: (i + 1, a * x), [0, x])
    _, z = tf.while_loop(lambda i, a: i < 2, lambda i, a: (i + 1, a + v), [0, x])
    gx = tf.gradients(y, x)[0]
    ref = v.op.outputs[0]
    r_next, r_exit, r_enter = (raw(tf, kind, [ref]) for kind in ("RefNextIteration", "RefExit", "RefEnter"))

    ta = tf.TensorArray(tf.float64, size=2, clear_after_read=False).unstack(tf.constant([[1.0, 2.0], [3.0, 4.0]], tf.float64))
    parts = tf.TensorArray(tf.float64, size=2, infer_shape=False).split(tf.constant([1.0, 2.0, 3.0], tf.float64), [1, 2])
    arrays = [ta.read(1), ta.gather([1, 0]), ta.size(), ta.concat(), parts.concat(), ta.grad("g").flow]
    closed = ta.close()

    def check(s):
        s.run(v.initializer)
        got = s.run(arrays)
        assert got[0].tolist() == [3.0, 4.0] and got[1].tolist() == [[3.0, 4.0], [1.0, 2.0]] and got[2] == 2
        assert got[3].tolist() == [1.0, 2.0, 3.0, 4.0] and got[4].tolist() == [1.0, 2.0, 3.0]
        assert s.run(closed) is None
        assert s.run([y, gx], {x: 2.0}) == [16.0, 32.0]
        assert s.run(z, {x: 1.0}) == 5.0
        assert s.run(r_next.op.inputs[0]) == 2.0 and {r_exit.op.type, r_enter.op.type} == {"RefExit", "RefEnter"}
    return {k: check for k in ("Enter", "RefEnter", "Exit", "RefExit", "NextIteration", "RefNextIteration",
                               "LoopCond", "StackV2", "StackPushV2", "StackPopV2", "TensorArrayV3", "TensorArrayReadV3",
                               "TensorArrayWriteV3", "TensorArrayGatherV3", "TensorArrayScatterV3",
                               "TensorArrayConcatV3", "TensorArraySplitV3", "TensorArraySizeV3", "TensorArrayCloseV3",
                               "TensorArrayGradV3")}


def _state(tf):
    v = tf.Variable([1.0, 2.0], name="v")
    w = tf.Variable(3, name="w")
    add, sub = tf.assign_add(v, [1.0, 1.0]), tf.assign_sub(v, [0.5, 0.5])
    reset = tf.assign(v, [0.0, 4.0])
    report = tf.report_uninitialized_variables([v, w])
    inited = tf.is_variable_initialized(w)
    f = tf.py_func(lambda a: (a * 2).astype(np.float32), [v], tf.float32)

    def check(s):
        assert list(s.run(report)) == [b"v", b"w"] and not s.run(inited)
        s.run([v.initializer, w.initializer])
        assert list(s.run(report)) == [] and s.run(inited)
        assert list(s.run(add)) == [2.0, 3.0] and list(s.run(sub)) == [1.5, 2.5]
        assert list(s.run(reset)) == [0.0, 4.0] and list(s.run(f)) == [0.0, 8.0]
    return dict.fromkeys(["VariableV2", "Assign", "AssignAdd", "AssignSub", "IsVariableInitialized",
                          "PyFunc"], check)


def _scatter_add(tf):
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], dtype=tf.float64)
    add = tf.scatter_add(v, [2, 0, 2], [[1.0, 1.0], [0.5, 0.5], [2.0, 2.0]])
    scalar = tf.scatter_add(v, np.array([1], np.int64), 10.0)
    bad = tf.scatter_add(v, [3], [[1.0, 1.0]])

    def check(s):
        s.run(v.initializer)
        assert add.shape.as_list() == [3, 2] and add.dtype == tf.float64._as_ref
        assert s.run(add).tolist() == [[1.5, 2.5], [3.0, 4.0], [8.0, 9.0]]
        assert s.run(scalar).tolist() == [[1.5, 2.5], [13.0, 14.0], [8.0, 9.0]]
        try:
            s.run(bad)
            raise AssertionError("an index out of range must fail")
        except tf.errors.InvalidArgumentError as e:
            assert "indices[0] = 3 is not in [0, 3)" in str(e)
    return {"ScatterAdd": check}


def _summaries(tf):
    from tensorboard.compat.proto import summary_pb2
    s1 = tf.summary.scalar("loss", tf.constant(1.5))
    s2 = tf.summary.histogram("h", tf.constant([1.0, 2.0, 2.0]))
    s3 = tf.summary.image("img", tf.zeros([1, 2, 2, 3]))
    s4 = tf.summary.text("t", tf.constant("hello"))
    merged = tf.summary.merge([s1, s2, s3, s4])

    def check(s):
        tags = [v.tag for v in summary_pb2.Summary.FromString(s.run(merged)).value]
        assert tags == ["loss", "h", "img/image/0", "t"], tags
    clips = tf.summary.audio("snd", tf.constant([[0.5, -0.25]]), 8000)  # AudioSummaryV2: WAV clips, the
    decoded = tf.audio.decode_wav(tf.placeholder(tf.string, name="wav"))  # round trip checked in cases_audio.py

    def check_audio(s):
        clip = summary_pb2.Summary.FromString(s.run(clips)).value[0]
        assert (clip.tag, clip.audio.sample_rate, clip.audio.length_frames) == ("snd/audio/0", 8000, 2), clip
        wav = s.run(decoded, {"wav:0": clip.audio.encoded_audio_string})
        assert wav.audio.ravel().tolist() == [0.5, -0.25] and wav.sample_rate == 8000, wav
    return {**dict.fromkeys(["ScalarSummary", "HistogramSummary", "ImageSummary", "TensorSummaryV2", "MergeSummary"],
                            check), "AudioSummaryV2": check_audio}


def _training(tf):
    import os
    import tempfile

    from raygraph.ops import training as T
    g, lr = np.array([0.5, -1.0]), 0.1
    slots = {n: tf.Variable([0.2, 0.3], dtype=tf.float64, name=n) for n in ("var", "a", "b", "c")}
    var, a, b, c = (slots[n] for n in ("var", "a", "b", "c"))
    updates = {
        "ApplyGradientDescent": (T.apply_gradient_descent(var, lr, g), lambda v, a, b, c: v - lr * g),
        "ApplyMomentum": (T.apply_momentum(var, a, lr, g, 0.9), lambda v, a, b, c: v - lr * (a * 0.9 + g)),
        "ApplyAdagrad": (T.apply_adagrad(var, a, lr, g), lambda v, a, b, c: v - lr * g / np.sqrt(a + g * g)),
        "ApplyAdam": (T.apply_adam(var, a, b, 0.9, 0.99, lr, 0.9, 0.99, 1e-8, g), lambda v, a, b, c: v - (
            a + (g - a) * 0.1) * lr * np.sqrt(0.01) / 0.1 / (np.sqrt(b + (g * g - b) * 0.01) + 1e-8)),
        "ApplyAdaMax": (T.apply("ApplyAdaMax", [var, a, b, 0.9, lr, 0.9, 0.99, 1e-8, g]), lambda v, a, b, c: v - lr / (
            1 - 0.9) * (a + (g - a) * 0.1) / (np.maximum(0.99 * b, np.abs(g)) + 1e-8)),
        "ApplyRMSProp": (T.apply_rms_prop(var, a, b, lr, 0.9, 0.5, 1e-6, g), lambda v, a, b, c: v - (
            b * 0.5 + lr * g / np.sqrt(a + (g * g - a) * 0.1 + 1e-6))),
        "ApplyCenteredRMSProp": (T.apply_centered_rms_prop(var, a, b, c, lr, 0.9, 0.5, 1e-6, g), lambda v, a, b, c: v - (
            c * 0.5 + lr * g / np.sqrt(b + (g * g - b) * 0.1 - (a + (g - a) * 0.1) ** 2 + 1e-6))),
        "ApplyAdadelta": (T.apply_adadelta(var, a, b, 1.0, 0.9, 1e-6, g), lambda v, a, b, c: v - np.sqrt(
            b + 1e-6) / np.sqrt(a * 0.9 + 0.1 * g * g + 1e-6) * g),
        "ApplyFtrl": (T.apply("ApplyFtrl", [var, a, b, g, lr, 0.0, 0.5, -0.5]), lambda v, a, b, c: -(
            b + g - (np.sqrt(a + g * g) - np.sqrt(a)) / lr * v) / (np.sqrt(a + g * g) / lr + 1.0)),
        "ApplyFtrlV2": (T.apply("ApplyFtrlV2", [var, a, b, g, lr, 0.0, 0.5, 0.25, -0.5]), lambda v, a, b, c: -(
            b + g + 0.5 * v - (np.sqrt(a + g * g) - np.sqrt(a)) / lr * v) / (np.sqrt(a + g * g) / lr + 1.0)),
        "ApplyProximalGradientDescent": (T.apply("ApplyProximalGradientDescent", [var, lr, 0.0, 0.5, g]),
                                         lambda v, a, b, c: (v - lr * g) / (1 + lr * 0.5)),
        "ApplyProximalAdagrad": (T.apply("ApplyProximalAdagrad", [var, a, lr, 0.0, 0.5, g]), lambda v, a, b, c: (
            v - g * lr / np.sqrt(a + g * g)) / (1 + 0.5 * lr / np.sqrt(a + g * g))),
        "ApplyAdagradDA": (T.apply("ApplyAdagradDA", [var, a, b, g, lr, 0.0, 0.5, tf.constant(2, tf.int64)]),
                           lambda v, a, b, c: -lr * (a + g) / (0.5 * 2 * lr + np.sqrt(b + g * g)))}
    prefix = os.path.join(tempfile.mkdtemp(), "ckpt")
    save = T.save_v2(prefix, ["var"], [""], [var])
    restored = T.restore_v2(prefix, ["var"], [""], [tf.float64])
    init = tf.variables_initializer(list(slots.values()))

    def check(s):
        for update, ref in updates.values():
            s.run(init)
            before = s.run([var, a, b, c])
            assert np.allclose(s.run(update), ref(*before)), update.op.type
        s.run(init)
        s.run(save)
        assert np.allclose(s.run(restored), [0.2, 0.3])
    return dict(dict.fromkeys(updates, check), SaveV2=check, RestoreV2=check)


def _data(tf):
    """Every dataset and iterator op, each in a pipeline whose elements are checked (tf.data)."""
    import os
    import tempfile
    D = tf.data.Dataset
    d = tempfile.mkdtemp()
    rec, txt = os.path.join(d, "r.tfrecord"), os.path.join(d, "t.txt")
    with tf.python_io.TFRecordWriter(rec) as w:
        w.write(b"ab")
    with open(txt, "wb") as f:
        f.write(b"line\nxy")

    def gen():
        yield 7
    pipelines = {
        "TensorDataset": (D.from_tensors([1, 2]), [[1, 2]]),
        "TensorSliceDataset": (D.from_tensor_slices([1, 2]), [1, 2]),
        "RangeDataset": (D.range(2), [0, 1]),
        "GeneratorDataset": (D.from_generator(gen, tf.int64), [7]),
        "ZipDataset": (D.zip((D.range(2), D.range(5, 7))).map(lambda a, b: a + b), [5, 7]),
        "ConcatenateDataset": (D.range(1).concatenate(D.range(3, 4)), [0, 3]),
        "MapDataset": (D.range(2).map(lambda x: x * 3), [0, 3]),
        "ParallelMapDatasetV2": (D.range(3).map(lambda x: x + 1, num_parallel_calls=2), [1, 2, 3]),
        "FilterDataset": (D.range(4).filter(lambda x: x > 1), [2, 3]),
        "FlatMapDataset": (D.range(3).flat_map(lambda x: D.range(x)), [0, 0, 1]),
        "InterleaveDataset": (D.range(2).interleave(lambda x: D.from_tensors(x).repeat(2), 2), [0, 1, 0, 1]),
        "BatchDatasetV2": (D.range(3).batch(2), [[0, 1], [2]]),
        "PaddedBatchDatasetV2": (D.range(1, 3).map(lambda x: tf.fill([x], x)).padded_batch(2, [None]), [[[1, 0], [2, 2]]]),
        "MapAndBatchDataset": (D.range(3).apply(tf.data.experimental.map_and_batch(lambda x: -x, 3)), [[0, -1, -2]]),
        "ShuffleDataset": (D.range(1).shuffle(4, seed=1), [0]),
        "RepeatDataset": (D.range(1).repeat(2), [0, 0]),
        "TakeDataset": (D.range(5).take(1), [0]),
        "SkipDataset": (D.range(3).skip(2), [2]),
        "ShardDataset": (D.range(7).shard(3, 1), [1, 4]),
        "CacheDataset": (D.range(2).cache().repeat(2), [0, 1, 0, 1]),
        "PrefetchDataset": (D.range(2).prefetch(1), [0, 1]),
        "UnbatchDataset": (D.from_tensors([4, 5]).unbatch(), [4, 5]),
        "WindowDataset": (D.range(3).window(2).flat_map(lambda w: w.batch(2)), [[0, 1], [2]]),
        "TFRecordDataset": (tf.data.TFRecordDataset(rec), [b"ab"]),
        "TextLineDataset": (tf.data.TextLineDataset(txt), [b"line", b"xy"]),
        "FixedLengthRecordDatasetV2": (tf.data.FixedLengthRecordDataset(txt, 3, header_bytes=1), [b"ine", b"\nxy"]),
        "MatchingFiles": (D.list_files(os.path.join(d, "*.txt")), [txt.encode()]),
    }
    one_shot = {k: tf.data.make_one_shot_iterator(ds).get_next() for k, (ds, _) in pipelines.items()}
    n = tf.placeholder(tf.int64, [])
    init = D.range(n).make_initializable_iterator()
    handle = tf.placeholder(tf.string, [])
    feedable = tf.data.Iterator.from_string_handle(handle, tf.int64, [])
    s_handle = init.string_handle()
    feed_next, init_next = feedable.get_next(), init.get_next()
    parsed = tf.parse_single_example(tf.train.Example(features=tf.train.Features(feature={"v": tf.train.Feature(
        float_list=tf.train.FloatList(value=[1.5, 2.5]))})).SerializeToString(), {"v": tf.FixedLenFeature([2], tf.float32)})
    raw = tf.decode_raw(tf.constant([b"\x01\x00"]), tf.int16)
    csv = tf.decode_csv(tf.constant(["1,a"]), [[0], [""]])

    def check_pipelines(s):
        for key, (_, want) in pipelines.items():
            got = []
            while True:
                try:
                    got.append(s.run(one_shot[key]))
                except tf.errors.OutOfRangeError:
                    break
            assert [np.asarray(g).tolist() for g in got] == [np.asarray(w).tolist() for w in want], (key, got)

    def check_iterators(s):
        s.run(init.initializer, {n: 3})
        assert s.run(init_next) == 0
        h = s.run(s_handle)
        assert s.run(feed_next, {handle: h}) == 1 and s.run(init_next) == 2

    def check_parsing(s):
        assert np.array_equal(s.run(parsed["v"]), [1.5, 2.5])
        assert s.run(raw).tolist() == [[1]]
        assert [np.asarray(v).tolist() for v in s.run(csv)] == [[1], [b"a"]]
    checks = dict.fromkeys(pipelines, check_pipelines)
    checks.update(dict.fromkeys(["IteratorV2", "OneShotIterator", "MakeIterator", "IteratorGetNext",
                                 "IteratorToStringHandle", "IteratorFromStringHandleV2"], check_iterators))
    checks.update(dict.fromkeys(["ParseExampleV2", "DecodeRaw", "DecodeCSV"], check_parsing))
    return checks


def _data_experimental(tf):
    """tf.data.experimental's dataset ops, each in a pipeline whose elements are checked, and the ops that run a
    dataset to its end, count it, or hold an optional element."""
    import os
    import sqlite3
    import tempfile
    D, E = tf.data.Dataset, tf.data.experimental
    d = tempfile.mkdtemp()
    csv, db, rec = os.path.join(d, "a.csv"), os.path.join(d, "a.db"), os.path.join(d, "w.tfrecord")
    with open(csv, "w") as f:
        f.write("1,x\n2,y\n")
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE t (n INTEGER)")
    conn.execute("INSERT INTO t VALUES (4)")
    conn.commit()
    conn.close()
    bad = D.from_tensor_slices([1.0, 0.0]).map(lambda x: tf.debugging.check_numerics(1.0 / x, "inf"))
    pipelines = {
        "ScanDataset": (D.range(3).apply(E.scan(tf.constant(0, tf.int64), lambda s, x: (s + x, s))), [0, 0, 1]),
        "TakeWhileDataset": (D.range(5).apply(E.take_while(lambda x: x < 2)), [0, 1]),
        "UniqueDataset": (D.from_tensor_slices([2, 2, 1]).apply(E.unique()), [2, 1]),
        "IgnoreErrorsDataset": (bad.apply(E.ignore_errors()), [1.0]),
        "GroupByWindowDataset": (D.range(4).apply(E.group_by_window(lambda x: x % 2, lambda k, w: w.batch(2), 2)),
                                 [[0, 2], [1, 3]]),
        "ExperimentalGroupByReducerDataset": (D.range(4).apply(E.group_by_reducer(lambda x: x % 2, E.Reducer(
            lambda k: tf.constant(0, tf.int64), lambda s, x: s + x, lambda s: s))), [2, 4]),
        "DirectedInterleaveDataset": (E.choose_from_datasets([D.range(2), D.range(5, 7)], D.from_tensor_slices(
            tf.constant([1, 0, 1], tf.int64))), [5, 0, 6]),
        "RandomDataset": (E.RandomDataset(3).map(lambda x: x * 0 + tf.cast(x < 2 ** 32, tf.int64)).take(2), [1, 1]),
        "AssertCardinalityDataset": (D.range(2).apply(E.assert_cardinality(2)), [0, 1]),
        "ListDataset": (E.from_list([3, 4]), [3, 4]),
        "OptionsDataset": (D.range(2).with_options(tf.data.Options()), [0, 1]),
        "CSVDatasetV2": (E.CsvDataset(csv, [tf.int32, tf.string]).map(lambda n, s: n), [1, 2]),
        "SqlDataset": (E.SqlDataset("sqlite", db, "SELECT n FROM t", (tf.int64,)).map(lambda n: n), [4]),
    }
    one_shot = {k: tf.data.make_one_shot_iterator(ds).get_next() for k, (ds, _) in pipelines.items()}
    count = E.cardinality(D.range(7).batch(2))
    single = E.get_single_element(D.range(3, 4))
    write = E.TFRecordWriter(rec).write(D.from_tensor_slices(["ab"]))
    it = tf.data.make_one_shot_iterator(D.range(1))
    opt = E.get_next_as_optional(it)
    value = E.Optional.from_value(tf.constant([1.5, 2.5]))
    empty = E.Optional.empty(E.TensorStructure(tf.int32, []))

    def check_pipelines(s):
        for key, (_, want) in pipelines.items():
            got = []
            while True:
                try:
                    got.append(s.run(one_shot[key]))
                except tf.errors.OutOfRangeError:
                    break
            assert [np.asarray(g).tolist() for g in got] == [np.asarray(w).tolist() for w in want], (key, got)

    def check_ends(s):
        assert s.run(count) == 4 and s.run(single) == 3
        s.run(write)
        assert list(tf.python_io.tf_record_iterator(rec)) == [b"ab"]

    def check_optionals(s):
        assert s.run([opt.has_value(), opt.get_value()]) == [True, 0] and not s.run(opt.has_value())
        assert s.run(value.get_value()).tolist() == [1.5, 2.5] and s.run(value.has_value())
        assert not s.run(empty.has_value())
    checks = dict.fromkeys(pipelines, check_pipelines)
    checks.update(dict.fromkeys(["DatasetCardinality", "DatasetToSingleElement", "DatasetToTFRecord"], check_ends))
    checks.update(dict.fromkeys(["OptionalFromValue", "OptionalNone", "OptionalHasValue", "OptionalGetValue",
                                 "IteratorGetNextAsOptional"], check_optionals))
    return checks


def _sparse(tf):
    """Row updates in place (Scatter*, SparseApply*: duplicate rows applied once per occurrence) and Unique."""
    from raygraph.ops import training as T
    from raygraph.ops import scatter as S
    init = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    slots = {n: tf.Variable(init * k, name=n) for n, k in (("var", 1), ("a", 0.5), ("b", 0.25), ("c", 0.125))}
    var, a, b, c = (slots[n] for n in ("var", "a", "b", "c"))
    idx, g, lr = [2, 0, 2], np.array([[1.0, -1.0], [0.5, 0.5], [2.0, 1.0]]), 0.1

    def rows(fn, n=1):  # the dense formula `fn` applied to each (row, gradient row) in order
        def ref(*arrays):
            arrays = [x.copy() for x in arrays]
            for i, r in enumerate(idx):
                news = fn(*(x[r] for x in arrays), g[i])
                for x, new in zip(arrays, news):
                    x[r] = new
            return arrays[0]
        return ref
    scatter = {"Update": lambda v, u: u, "Add": np.add, "Sub": np.subtract, "Mul": np.multiply,
               "Div": np.divide, "Min": np.minimum, "Max": np.maximum}
    updates = {f"Scatter{k}": (getattr(S, "scatter_" + k.lower())(var, idx, g),
                               rows(lambda v, a, b, c, u, f=f: [f(v, u)])) for k, f in scatter.items()}
    updates.update({
        "SparseApplyMomentum": (T.sparse_apply("SparseApplyMomentum", [var, a, lr, g, idx, 0.9]),
                                rows(lambda v, a, b, c, u: [v - lr * (a * 0.9 + u), a * 0.9 + u])),
        "SparseApplyAdagrad": (T.sparse_apply("SparseApplyAdagrad", [var, a, lr, g, idx]),
                               rows(lambda v, a, b, c, u: [v - lr * u / np.sqrt(a + u * u), a + u * u])),
        "SparseApplyRMSProp": (T.sparse_apply("SparseApplyRMSProp", [var, a, b, lr, 0.9, 0.5, 1e-6, g, idx]),
                               rows(lambda v, a, b, c, u: [v - (b * 0.5 + lr * u / np.sqrt(0.9 * a + 0.1 * u * u
                                                                                          + 1e-6)),
                                                           0.9 * a + 0.1 * u * u, b * 0.5 + lr * u / np.sqrt(
                                                               0.9 * a + 0.1 * u * u + 1e-6)])),
        "SparseApplyCenteredRMSProp": (T.sparse_apply("SparseApplyCenteredRMSProp",  # mg=c, ms=a, mom=b
                                                      [var, c, a, b, lr, 0.9, 0.5, 1e-6, g, idx]),
                                       rows(lambda v, ms, mom, mg, u: [
                                           v - (mom * 0.5 + lr * u / np.sqrt(
                                               0.9 * ms + 0.1 * u * u - (0.9 * mg + 0.1 * u) ** 2 + 1e-6)),
                                           0.9 * ms + 0.1 * u * u,
                                           mom * 0.5 + lr * u / np.sqrt(
                                               0.9 * ms + 0.1 * u * u - (0.9 * mg + 0.1 * u) ** 2 + 1e-6),
                                           0.9 * mg + 0.1 * u])),
        "SparseApplyAdadelta": (T.sparse_apply("SparseApplyAdadelta", [var, a, b, 1.0, 0.9, 1e-6, g, idx]),
                                rows(lambda v, a, b, c, u: [
                                    v - np.sqrt(b + 1e-6) / np.sqrt(0.9 * a + 0.1 * u * u + 1e-6) * u,
                                    0.9 * a + 0.1 * u * u,
                                    0.9 * b + 0.1 * (np.sqrt(b + 1e-6) / np.sqrt(0.9 * a + 0.1 * u * u + 1e-6)
                                                     * u) ** 2
                                ]))})
    def ftrl(v, a, b, c, u, shrink=0.0):  # lr 0.1, l1 0, l2 0.5
        new_a = a + u * u
        lin = b + u + 2 * shrink * v - (np.sqrt(new_a) - np.sqrt(a)) / lr * v
        return [-lin / (np.sqrt(new_a) / lr + 1.0), new_a, lin]
    updates.update({
        "SparseApplyFtrl": (T.sparse_apply("SparseApplyFtrl", [var, a, b, g, idx, lr, 0.0, 0.5, -0.5]), rows(ftrl)),
        "SparseApplyFtrlV2": (T.sparse_apply("SparseApplyFtrlV2", [var, a, b, g, idx, lr, 0.0, 0.5, 0.25, -0.5]),
                              rows(lambda *x: ftrl(*x, shrink=0.25))),
        "SparseApplyProximalGradientDescent": (
            T.sparse_apply("SparseApplyProximalGradientDescent", [var, lr, 0.0, 0.5, g, idx]),
            rows(lambda v, a, b, c, u: [(v - lr * u) / (1 + lr * 0.5)])),
        "SparseApplyProximalAdagrad": (
            T.sparse_apply("SparseApplyProximalAdagrad", [var, a, lr, 0.0, 0.5, g, idx]),
            rows(lambda v, a, b, c, u: [(v - u * lr / np.sqrt(a + u * u)) / (1 + 0.5 * lr / np.sqrt(a + u * u)),
                                        a + u * u]))})
    uniq = S.unique(tf.constant([4, 1, 4, 7, 1], tf.int64), out_idx=tf.int64)
    init_op = tf.variables_initializer(list(slots.values()))

    def check(s):
        for name, (update, ref) in updates.items():
            s.run(init_op)
            before = s.run([var, a, b, c])
            assert np.allclose(s.run(update), ref(*before)), name
        y, i = s.run(uniq)
        assert y.tolist() == [4, 1, 7] and i.tolist() == [0, 1, 0, 2, 1] and i.dtype == I64
    return dict(dict.fromkeys(updates, check), Unique=check)


def _samplers(tf):
    """Seeded candidate samplers: in range, distinct when unique, the same in a second session (their bit-for-bit
    agreement with TF is in tests/tf_recorded/cases_embedding.py)."""
    tf.set_random_seed(5)
    true = tf.constant([[1, 3], [2, 0]], tf.int64)
    ops = {"UniformCandidateSampler": tf.nn.uniform_candidate_sampler(true, 2, 6, True, 10),
           "LogUniformCandidateSampler": tf.nn.log_uniform_candidate_sampler(true, 2, 5, False, 1000),
           "AllCandidateSampler": tf.nn.all_candidate_sampler(true, 2, 4, True)}

    def check(s):
        first = s.run(ops)
        (u, ut, us), (lg, lt, ls), (a, at, as_) = (first[k] for k in sorted(ops, key=list(ops).index))
        assert sorted(set(u.tolist())) == sorted(u.tolist()) and u.min() >= 0 and u.max() < 10 and u.dtype == I64
        assert ut.shape == (2, 2) and us.shape == (6,) and us.dtype == F32
        assert lg.min() >= 0 and lg.max() < 1000
        assert np.allclose(ls, 5 * np.log((lg + 2.0) / (lg + 1.0)) / np.log(1001.0))  # p * num_sampled
        assert a.tolist() == [0, 1, 2, 3] and np.all(at == 1) and np.all(as_ == 1)
        again = s.run(ops)
        assert not np.array_equal(again["UniformCandidateSampler"][0], u)  # each run draws anew
    return dict.fromkeys(ops, check)



def _distorted_boxes(tf):
    """The distorted-crop samplers: TF's crops for these seeds (raw ops; tf.image's function is compared with TF
    case by case in tests/tf_recorded/cases_image_sdbb.py), the stateful one advancing, the stateless one not."""
    box = np.array([[[0.1, 0.2, 0.5, 0.9]]], np.float32)
    attrs = {"aspect_ratio_range": [0.75, 1.33], "area_range": [0.05, 1.0], "max_attempts": 100,
             "use_image_if_no_bounding_boxes": False}
    v1 = raw(tf, "SampleDistortedBoundingBox", [[120, 90, 3], box],
             dict(attrs, seed=3, seed2=4, min_object_covered=0.3))
    v2 = tf.image.sample_distorted_bounding_box([120, 90, 3], box, seed=3, seed2=4, min_object_covered=0.3)
    stateless = raw(tf, "StatelessSampleDistortedBoundingBox",
                    [tf.constant([120, 90, 3], tf.int64), box, 0.3, tf.constant([5, 6])], attrs)
    crops = {"SampleDistortedBoundingBox": v1, "SampleDistortedBoundingBoxV2": v2,
             "StatelessSampleDistortedBoundingBox": stateless}

    def check(s):
        runs = [s.run(crops) for _ in range(2)]
        for name in ("SampleDistortedBoundingBox", "SampleDistortedBoundingBoxV2"):
            assert [list(r[name][0]) + list(r[name][1]) for r in runs] == [[37, 1, 0, 66, 70, -1],
                                                                          [8, 30, 0, 45, 51, -1]], runs
        for r in runs:
            begin, size, bbox = r["StatelessSampleDistortedBoundingBox"]
            assert begin.dtype == I64 and list(begin) + list(size) == [37, 3, 0, 73, 83, -1], r
            assert np.allclose(bbox, [[[37 / 120, 3 / 90, 110 / 120, 86 / 90]]]) and bbox.dtype == F32
    return dict.fromkeys(crops, check)


def _sharded_save(tf):
    """The ops TF's sharded savers add, as a SavedModel's saver runs them: a temporary prefix, its shard's
    file name, then the shards merged into one bundle."""
    import os
    import tempfile
    from raygraph.ops import training as T
    from raygraph.ops.registry import apply_op
    prefix = tf.constant(os.path.join(tempfile.mkdtemp(), "model"))
    is_s3 = apply_op("StaticRegexFullMatch", [prefix], {"pattern": "^s3://.*"})
    temp = apply_op("StringJoin", [[prefix, tf.where(is_s3, ".part", "_temp/part")]], {"N": 2, "separator": ""})
    shard = apply_op("ShardedFilename", [temp, tf.constant(0), tf.constant(1)], {})
    v = tf.Variable([1.5, 2.5], name="v")
    with tf.control_dependencies([T.save_v2(shard, ["v"], [""], [v])]):
        merge = apply_op("MergeV2Checkpoints", [tf.reshape(shard, [1]), prefix], {"delete_old_dirs": True})
    joined = apply_op("StringJoin", [[tf.constant(["a", "b"]), tf.constant("c")]], {"N": 2, "separator": "-"})

    def check(s):
        s.run(v.initializer)
        assert s.run(is_s3) == False and s.run(temp).endswith(b"model_temp/part")  # noqa: E712
        assert s.run(shard).endswith(b"model_temp/part-00000-of-00001")
        assert s.run(joined).tolist() == [b"a-c", b"b-c"]
        s.run(merge)
        path = s.run(prefix).decode()
        assert sorted(os.listdir(os.path.dirname(path))) == ["model.data-00000-of-00001", "model.index"]
        assert s.run(T.restore_v2(path, ["v"], [""], [tf.float32])[0]).tolist() == [1.5, 2.5]
    return dict.fromkeys(["StaticRegexFullMatch", "StringJoin", "ShardedFilename", "MergeV2Checkpoints"], check)


def _queues(tf):
    fifo = tf.FIFOQueue(4, [tf.float32, tf.int32], shapes=[[2], []])
    shuffle = tf.RandomShuffleQueue(4, 0, tf.int32, shapes=[[]], seed=1)
    padding = tf.PaddingFIFOQueue(4, tf.int32, shapes=[[None]])
    prio = tf.PriorityQueue(4, [tf.string], shapes=[[]])
    pairs = [(fifo.enqueue([[1.0, 2.0], 3]), None, lambda v: v is None),
             (fifo.enqueue_many([[[3.0, 4.0], [5.0, 6.0]], [7, 8]]), None, lambda v: v is None),
             (fifo.size(), None, _equal(np.int32(3))),
             (fifo.dequeue(), None, lambda v: v[0].tolist() == [1.0, 2.0] and v[1] == 3),
             (fifo.dequeue_many(1), None, lambda v: v[0].tolist() == [[3.0, 4.0]] and v[1].tolist() == [7]),
             (fifo.close(), None, lambda v: v is None), (fifo.is_closed(), None, _equal(True)),
             (fifo.dequeue_up_to(3), None, lambda v: v[1].tolist() == [8]),
             (shuffle.enqueue_many([[5, 6]]), None, lambda v: v is None),
             (shuffle.dequeue_many(2), None, lambda v: sorted(v.tolist()) == [5, 6]),
             (padding.enqueue([[1, 2, 3]]), None, lambda v: v is None), (padding.enqueue([[4]]), None, lambda v: 1),
             (padding.dequeue_many(2), None, _equal([[1, 2, 3], [4, 0, 0]])),
             (prio.enqueue_many(([2, 1], ["b", "a"])), None, lambda v: v is None),
             (prio.dequeue(), None, lambda v: v[0] == 1 and v[1] == b"a")]

    def check(s):
        for fetch, feed, verify in pairs:
            got = s.run(fetch, feed)
            ok = verify(got)  # _equal's verifiers assert themselves
            assert ok is None or ok, (fetch, got)
    return dict.fromkeys(["FIFOQueueV2", "RandomShuffleQueueV2", "PaddingFIFOQueueV2", "PriorityQueueV2",
                          "QueueEnqueueV2", "QueueEnqueueManyV2", "QueueDequeueV2", "QueueDequeueManyV2",
                          "QueueDequeueUpToV2", "QueueCloseV2", "QueueSizeV2", "QueueIsClosedV2"], check)


def _accumulators(tf):
    """Fresh gradients averaged (dense; sparse per row), stale ones (local step below the set step) dropped."""
    acc = tf.ConditionalAccumulator(tf.float32, shape=[2])
    sparse = tf.SparseConditionalAccumulator(tf.float32, shape=[3, 2])
    pairs = [(acc.apply_grad([1.0, 2.0]), lambda v: v is None), (acc.apply_grad([3.0, 0.0]), lambda v: v is None),
             (acc.num_accumulated(), lambda v: v == 2), (acc.take_grad(2), lambda v: v.tolist() == [2.0, 1.0]),
             (acc.set_global_step(3), lambda v: v is None), (acc.apply_grad([9.0, 9.0], local_step=2), lambda v: 1),
             (acc.num_accumulated(), lambda v: v == 0),
             (sparse.apply_grad([0, 2], [[1.0, 1.0], [2.0, 2.0]], grad_shape=[3, 2]), lambda v: v is None),
             (sparse.apply_grad([2], [[4.0, 0.0]]), lambda v: v is None),
             (sparse.take_grad(2), lambda v: v[0].tolist() == [0, 2] and v[1].tolist() == [[1.0, 1.0], [3.0, 1.0]])]

    def check(s):
        for fetch, verify in pairs:
            got = s.run(fetch)
            assert verify(got), (fetch, got)
    return dict.fromkeys(["ResourceConditionalAccumulator", "SparseConditionalAccumulator",
                          "ResourceAccumulatorApplyGradient", "SparseAccumulatorApplyGradient",
                          "ResourceAccumulatorTakeGradient", "SparseAccumulatorTakeGradient",
                          "ResourceAccumulatorNumAccumulated", "ResourceAccumulatorSetGlobalStep"], check)


def _input_helpers(tf):
    shuffled = tf.random_shuffle(tf.range(10), seed=5)
    epochs = tf.Variable(0, dtype=tf.int64, name="epochs")
    count = epochs.count_up_to(2)

    def check(s):
        assert s.run(shuffled).tolist() == [1, 3, 2, 7, 6, 9, 0, 5, 8, 4]  # TensorFlow's order for seed 5
        s.run(epochs.initializer)
        assert [s.run(count), s.run(count)] == [0, 1]
        try:
            s.run(count)
            raise AssertionError("CountUpTo passed its limit")
        except tf.errors.OutOfRangeError:
            pass
    return {"RandomShuffle": check, "CountUpTo": check}


CUSTOM = [_sources, _random, _files, _control, _loops, _state, _summaries, _training, _sharded_save, _data,
          _data_experimental, _sparse, _samplers, _distorted_boxes, _scatter_add, _queues, _input_helpers, _accumulators]


def _more_random(tf):
    """Multinomial, gamma, Poisson, the stateless ops, Generator's RngReadAndSkip and the unigram samplers: in
    range, with the right moments, stateless ones the same every run (their values against TF's are in
    tests/tf_recorded/cases_random_more.py)."""
    tf.set_random_seed(3)
    logits = np.log(np.array([[0.2, 0.3, 0.5]], np.float32))
    seed = tf.constant([4, 5], tf.int64)
    key, counter = raw(tf, "StatelessRandomGetKeyCounter", [seed])
    ops = {"Multinomial": tf.random.categorical(logits, 20000),
           "RandomGamma": tf.random.gamma([20000], [0.5, 4.0], dtype=tf.float64),
           "RandomPoissonV2": tf.random.poisson([2.0, 30.0], [20000], dtype=tf.int64),
           "StatelessRandomGetKeyCounter": key,
           "StatelessRandomUniformV2": raw(tf, "StatelessRandomUniformV2", [[5000], key, counter, 1],
                                           {"dtype": tf.float64}),
           "StatelessRandomNormalV2": tf.random.stateless_normal([5000], seed),
           "StatelessTruncatedNormalV2": tf.random.stateless_truncated_normal([5000], seed),
           "StatelessRandomUniformIntV2": tf.random.stateless_uniform([5000], seed, -3, 4, tf.int32),
           "StatelessRandomUniformFullIntV2": tf.random.stateless_uniform([5000], seed, None, None, tf.uint32),
           "StatelessMultinomial": tf.random.stateless_categorical(logits, 20000, seed),
           "StatelessRandomGammaV3": tf.random.stateless_gamma([20000, 2], seed, [0.5, 4.0], dtype=tf.float64),
           "StatelessRandomPoisson": tf.random.stateless_poisson([20000, 2], seed, [2.0, 30.0]),
           "StatelessRandomBinomial": tf.random.stateless_binomial([20000], seed, 10.0, 0.3),
           "StatelessParameterizedTruncatedNormal": tf.random.stateless_parameterized_truncated_normal(
               [20000], seed, 1.0, 2.0, 0.0, 4.0)}
    gen = tf.random.Generator.from_seed(7)
    draw = gen.normal([10000])
    true = tf.constant([[0, 1], [2, 0]], tf.int64)
    fixed = tf.random.fixed_unigram_candidate_sampler(true, 2, 3, True, 4, unigrams=[0.0, 1.0, 3.0, 6.0], seed=1)
    learned = tf.random.learned_unigram_candidate_sampler(true, 2, 200, False, 3, seed=2)

    def check(s):
        v = s.run(ops)
        assert abs(np.bincount(v["Multinomial"][0], minlength=3) / 20000 - [0.2, 0.3, 0.5]).max() < 0.02
        for name in ("RandomGamma", "RandomPoissonV2"):
            assert abs(v[name].mean(0) / [[0.5, 4.0], [2.0, 30.0]][name != "RandomGamma"] - 1).max() < 0.05, name
        assert v["RandomGamma"].min() > 0 and v["RandomPoissonV2"].dtype == I64
        assert v["StatelessRandomGetKeyCounter"][0].dtype == np.uint64
        again = s.run(ops)
        for name, value in v.items():
            if name.startswith("Stateless"):
                assert all(np.array_equal(a, b) for a, b in zip(np.atleast_1d(value), np.atleast_1d(again[name])))
        assert 0 <= v["StatelessRandomUniformV2"].min() and v["StatelessRandomUniformV2"].max() < 1
        assert abs(v["StatelessRandomNormalV2"].std() - 1) < 0.05 and abs(v["StatelessTruncatedNormalV2"]).max() < 2
        assert v["StatelessRandomUniformIntV2"].min() == -3 and v["StatelessRandomUniformIntV2"].max() == 3
        assert v["StatelessRandomUniformFullIntV2"].dtype == np.uint32
        assert abs(np.bincount(v["StatelessMultinomial"][0], minlength=3) / 20000 - [0.2, 0.3, 0.5]).max() < 0.02
        assert abs(v["StatelessRandomGammaV3"].mean(0) / [0.5, 4.0] - 1).max() < 0.05
        assert abs(v["StatelessRandomPoisson"].mean(0) / [2.0, 30.0] - 1).max() < 0.05
        assert abs(v["StatelessRandomBinomial"].mean() - 3.0) < 0.1
        t = v["StatelessParameterizedTruncatedNormal"]
        assert t.min() >= 0 and t.max() <= 4 and t.dtype == F32
        s.run(gen.state.initializer)
        first, second = s.run(draw), s.run(draw)
        assert abs(first.mean()) < 0.05 and not np.array_equal(first, second)
        assert s.run(gen.state).tolist() == [7 + 2 * 256 * 10000, 0, 0]
        sampled, true_expected, _ = s.run(fixed)
        assert sorted(sampled.tolist()) == [1, 2, 3] and true_expected.shape == (2, 2)
        counts = np.bincount(s.run(learned[0]), minlength=3)
        assert counts.sum() == 200 and counts.min() > 0
    return dict.fromkeys(list(ops) + ["RngReadAndSkip", "FixedUnigramCandidateSampler",
                                      "LearnedUnigramCandidateSampler"], check)


CUSTOM.append(_more_random)


def _printing(tf):
    """PrintV2 appends its scalar string and `end` to a file:// stream; Timestamp is the run's time."""
    import os
    import tempfile
    import time
    path = os.path.join(tempfile.mkdtemp(), "printed.txt")
    p = tf.print("x", tf.constant([1, 2]), output_stream="file://" + path, end=";")
    t = tf.timestamp()

    def check(s):
        s.run(p)
        s.run(p)
        with open(path) as f:
            assert f.read() == "x [1 2];x [1 2];"
        before = time.time()
        v = s.run(t)
        assert v.dtype == F64 and before - 1 <= v <= time.time() + 1
    return {"PrintV2": check, "Timestamp": check}


CUSTOM.append(_printing)


def _session_handles(tf):
    """GetSessionHandle keeps a value in the device across runs; GetSessionTensor reads it, DeleteSessionTensor
    frees it."""
    h = tf.get_session_handle(tf.constant([1.5, 2.5]) * 2.0)

    def check(s):
        first = s.run(h)
        p, x = tf.get_session_tensor(first.handle, tf.float32)
        d, delete = tf.delete_session_tensor(first.handle)
        assert np.array_equal(s.run(x, {p: first.handle}), np.array([3.0, 5.0], F32))
        s.run(delete, {d: first.handle})
        try:
            s.run(x, {p: first.handle})
        except tf.errors.InvalidArgumentError:
            return
        raise AssertionError("a deleted handle was still readable")
    return {"GetSessionHandle": check, "GetSessionTensor": check, "DeleteSessionTensor": check}


CUSTOM.append(_session_handles)


def _py_function(tf):
    """EagerPyFunc hands its function arrays with EagerTensor's .numpy()."""
    a = tf.constant([1.0, 2.0])
    f = tf.py_function(lambda x, y: (x.numpy() * 2 + y, (x.numpy() + 1).astype(np.int32)), [a, 3.0],
                       [tf.float32, tf.int32])

    def check(s):
        got = s.run(f)
        assert np.array_equal(got[0], np.array([5.0, 7.0], F32)) and got[1].tolist() == [2, 3]
    return {"EagerPyFunc": check}


CUSTOM.append(_py_function)


def _io_formats(tf):
    """tf.io's codecs, serializations, SequenceExample parsing, proto codecs and TF1 readers: each op runs and
    gives back what it was given (their values against TF's are in tests/tf_recorded/cases_io_*.py)."""
    import io
    import os
    import tempfile
    import zlib

    from PIL import Image
    img = (np.arange(60).reshape(4, 5, 3) * 4).astype(U8)

    def pillow(fmt, **kw):
        out = io.BytesIO()
        Image.fromarray(img).save(out, format=fmt, **kw)
        return out.getvalue()
    png = tf.io.encode_png(img)
    jpg = tf.io.encode_jpeg(img, quality=100, chroma_downsampling=False)
    images = {"EncodePng": tf.io.decode_png(png), "DecodeBmp": tf.io.decode_bmp(pillow("BMP")),
              "DecodeGif": tf.io.decode_gif(pillow("GIF"))[0], "DecodeWebP": tf.io.decode_webp(
                  pillow("WEBP", lossless=True))[0], "DecodeImage": tf.io.decode_image(png)}
    near = {"EncodeJpeg": tf.io.decode_jpeg(jpg, dct_method="INTEGER_ACCURATE"),
            "DecodeAndCropJpeg": tf.io.decode_and_crop_jpeg(jpg, [0, 0, 4, 5], dct_method="INTEGER_ACCURATE")}
    jpeg_shape, jxl = tf.io.extract_jpeg_shape(jpg), tf.io.decode_jxl(b"")
    st = tf.SparseTensor([[0, 1], [2, 0]], [1.5, 2.5], [3, 4])
    back = tf.io.deserialize_many_sparse(tf.io.serialize_many_sparse(st), tf.float32)
    one = tf.io.serialize_sparse(st)
    tensor = tf.io.parse_tensor(tf.io.serialize_tensor(tf.constant([[1, 2]], tf.int64)), tf.int64)
    text = tf.io.decode_compressed([zlib.compress(b"abc")], "ZLIB")
    json_text = '{"features": {"feature": {"a": {"int64List": {"value": ["3"]}}}}}'
    json_ex = tf.io.parse_single_example(tf.io.decode_json_example(json_text),
                                         {"a": tf.io.FixedLenFeature([], tf.int64)})
    seq = tf.train.SequenceExample()
    seq.feature_lists.feature_list["f"].feature.add().float_list.value.extend([1.0, 2.0])
    _, lists = tf.io.parse_single_sequence_example(seq.SerializeToString(), sequence_features={
        "f": tf.io.FixedLenSequenceFeature([2], tf.float32)})
    proto = tf.io.decode_proto(tf.io.encode_proto([[1]], [[[7]]], ["dtype"], "tensorflow.TensorProto"),
                               "tensorflow.TensorProto", ["dtype"], [tf.int32])
    path = os.path.join(tempfile.mkdtemp(), "lines.txt")
    with open(path, "wb") as f:
        f.write(b"a\nb\n")
    q = tf.FIFOQueue(5, tf.string)
    enqueue, close = q.enqueue_many([[path, path]]), q.close()
    kinds = (("TextLineReaderV2", tf.TextLineReader), ("TFRecordReaderV2", tf.TFRecordReader),
             ("WholeFileReaderV2", tf.WholeFileReader), ("IdentityReaderV2", tf.IdentityReader),
             ("LMDBReader", tf.LMDBReader))
    readers = {k: cls() for k, cls in kinds}
    readers["FixedLengthRecordReaderV2"] = tf.FixedLengthRecordReader(2)
    line = readers["TextLineReaderV2"].read(q)
    lines = readers["TextLineReaderV2"].read_up_to(q, 5)
    text_reader = readers["TextLineReaderV2"]
    counts = [text_reader.num_records_produced(), text_reader.num_work_units_completed()]
    ident = readers["IdentityReaderV2"]
    state = ident.serialize_state()
    lmdb_queue = tf.FIFOQueue(5, tf.string)
    lmdb_fill, lmdb_read = lmdb_queue.enqueue(path), readers["LMDBReader"].read(lmdb_queue)[0]

    def check(s):
        for name, got in s.run(images).items():
            assert np.array_equal(got, img), name
        for name, got in s.run(near).items():
            assert np.abs(got.astype(int) - img).max() <= 4, name
        assert s.run(jpeg_shape).tolist() == [4, 5, 3]
        v = s.run(back)
        assert v.indices.tolist() == [[0, 1], [2, 0]] and v.values.tolist() == [1.5, 2.5] and s.run(one).shape == (3,)
        assert s.run(tensor).tolist() == [[1, 2]] and s.run(text).tolist() == [b"abc"] and s.run(json_ex)["a"] == 3
        assert s.run(lists["f"]).tolist() == [[1.0, 2.0]] and s.run(proto.values[0]).tolist() == [[7]]
        s.run(enqueue)
        s.run(close)
        assert s.run(line)[1] == b"a" and s.run(lines)[1].tolist() == [b"b"] and s.run(counts) == [2, 1]
        s.run(readers["TextLineReaderV2"].reset())
        assert s.run(counts) == [0, 0]
        s.run(ident.restore_state(b"\x08\x01\x10\x01\x18\x05\x22\x01w"))
        assert s.run(state) == b"\x08\x01\x10\x01\x18\x05\x22\x01w"
        s.run(lmdb_fill)
        for fetch, error in ((jxl, tf.errors.UnimplementedError), (lmdb_read, tf.errors.UnimplementedError)):
            try:
                s.run(fetch)
                raise AssertionError(f"{fetch} ran")
            except error:
                pass
    ops = ["EncodePng", "EncodeJpeg", "DecodeBmp", "DecodeGif", "DecodeWebP", "DecodeImage", "DecodeAndCropJpeg",
           "ExtractJpegShape", "DecodeJxl", "SerializeSparse", "SerializeManySparse", "DeserializeManySparse",
           "SerializeTensor", "ParseTensor", "DecodeCompressed", "DecodeJSONExample", "ParseSequenceExampleV2",
           "DecodeProtoV2", "EncodeProto", "ReaderReadV2", "ReaderReadUpToV2", "ReaderNumRecordsProducedV2",
           "ReaderNumWorkUnitsCompletedV2", "ReaderSerializeStateV2", "ReaderRestoreStateV2", "ReaderResetV2"]
    return dict.fromkeys(ops + list(readers), check)


CUSTOM.append(_io_formats)


def _arrays_more(tf):
    """N-D slices of a variable updated in place (ScatterNd*), and the N-D FFT ops, which (as in TF) have no CPU
    kernel: built with TF's static shapes, an InvalidArgumentError when run."""
    var = tf.Variable(np.arange(6.0).reshape(3, 2))
    idx, rows = [[2], [0], [2]], np.array([[1.0, -1.0], [0.5, 0.5], [2.0, 1.0]])
    updates = {"ScatterNdUpdate": tf.scatter_nd_update(var, idx, rows), "ScatterNdAdd": tf.scatter_nd_add(var, idx, rows),
               "ScatterNdSub": tf.scatter_nd_sub(var, idx, rows)}
    want = {"ScatterNdUpdate": [[0.5, 0.5], [2, 3], [2, 1]], "ScatterNdAdd": [[0.5, 1.5], [2, 3], [7, 5]],
            "ScatterNdSub": [[-0.5, 0.5], [2, 3], [1, 5]]}
    c = tf.constant(np.ones((2, 3), np.complex64))
    nd = {"FFTND": tf.fftnd(c, [2, 3], [0, 1]), "IFFTND": tf.ifftnd(c, [2, 3], [0, 1]),
          "RFFTND": tf.rfftnd(tf.ones([2, 3]), [2, 3], [0, 1]), "IRFFTND": tf.irfftnd(c, [2, 3], [0, 1])}
    x, w, dy = tf.zeros([1, 2, 3, 1]), tf.ones([2, 2, 1, 1]), tf.ones([1, 1, 2, 1])  # (and the V2 conv backprops)
    nd["Conv2DBackpropInputV2"] = tf.conv2d_backprop_input_v2(x, w, dy, [1, 1, 1, 1], "VALID")[0, 0]
    nd["Conv2DBackpropFilterV2"] = tf.reshape(tf.conv2d_backprop_filter_v2(x, w, dy, [1, 1, 1, 1], "VALID"), [2, 2])

    def check(s):
        for name, update in updates.items():
            s.run(var.initializer)
            assert s.run(update).tolist() == want[name], name
        for name, t in nd.items():
            assert t.shape.as_list() in ([2, 3], [3, 1], [2, 2]), name
            try:
                s.run(t)
                raise AssertionError(f"{name} ran")
            except tf.errors.InvalidArgumentError as e:
                assert f"No OpKernel was registered to support Op '{name}'" in e.message, e.message
    return dict.fromkeys(list(updates) + list(nd), check)


CUSTOM.append(_arrays_more)


def _fractional_pools(tf):
    """FractionalMaxPool/AvgPool and their gradient ops against loops over the regions of the sequences they
    returned (which must be valid: from 0 to the axis length in steps of k or k + 1); seeded pools draw the
    same sequences every run, and tf.gradients runs the gradient ops (their values against TF's are in
    tests/tf_recorded/cases_nn_fractional.py)."""
    import itertools
    x = np.sin(np.arange(2 * 7 * 8 * 3) * 0.9).reshape(2, 7, 8, 3)
    ratio = [1.0, 1.6, 1.5, 1.0]
    pools = {(kind, p, o): getattr(tf.nn, f"fractional_{kind}_pool")(tf.constant(x), ratio, p, o, True, 3, 4)
             for kind in ("max", "avg") for p in (False, True) for o in (False, True)}
    w = np.cos(np.arange(2 * 4 * 5 * 3)).reshape(2, 4, 5, 3)
    grads = {key: tf.gradients(y * w, y.op.inputs[0]) for key, (y, _, _) in pools.items()}

    def regions(seq, n, overlapping):
        return [range(a, min(b if overlapping else b - 1, n - 1) + 1) for a, b in itertools.pairwise(seq)]

    def reference(kind, values, rows, cols, overlapping):
        rs, cs = regions(rows, 7, overlapping), regions(cols, 8, overlapping)
        y, dx = np.zeros((2, len(rs), len(cs), 3)), np.zeros_like(values)
        for b, i, j, d in np.ndindex(y.shape):
            cells = [(r, c) for r in rs[i] for c in cs[j]]
            got = [values[b, r, c, d] for r, c in cells]
            if kind == "max":
                y[b, i, j, d] = max(got)
                r, c = cells[int(np.argmax(got))]  # the first maximum
                dx[b, r, c, d] += w[b, i, j, d]
            else:
                y[b, i, j, d] = np.mean(got)
                for r, c in cells:
                    dx[b, r, c, d] += w[b, i, j, d] / len(cells)
        return y, dx

    def check(s):
        for key, (y, rows, cols) in pools.items():
            kind, _, overlapping = key
            got_y, got_rows, got_cols = s.run([y, rows, cols])
            for seq, n, out in ((got_rows, 7, 4), (got_cols, 8, 5)):
                assert seq[0] == 0 and seq[-1] == n and len(seq) == out + 1 and set(np.diff(seq)) <= {1, 2}, seq
            assert np.array_equal(s.run(rows), got_rows)  # seeded: the same regions every run
            want_y, want_dx = reference(kind, x, got_rows, got_cols, overlapping)
            assert np.allclose(got_y, want_y, rtol=1e-12, atol=0), (kind, overlapping)
            assert np.allclose(s.run(grads[key])[0], want_dx, rtol=1e-12, atol=0), (kind, overlapping)
    return {"FractionalMaxPool": check, "FractionalAvgPool": check, "FractionalMaxPoolGrad": check,
            "FractionalAvgPoolGrad": check}


CUSTOM.append(_fractional_pools)


def _jpeg_quality(tf):
    """EncodeJpegVariableQuality: JPEG bytes that decode near the image, smaller at a lower quality, and a
    quality outside [0, 100] refused (its values against TF's are in tests/tf_recorded/cases_image_jpeg_quality.py)."""
    img = (np.add.outer(np.arange(16) * 6, np.arange(16) * 4)[:, :, None] + np.array([20, 40, 60])).astype(U8)
    q = tf.placeholder(tf.int32, [])
    enc = raw(tf, "EncodeJpegVariableQuality", [tf.constant(img), q])
    dec = tf.io.decode_jpeg(enc)

    def check(s):
        (high, high_img), (low, low_img) = (s.run([enc, dec], {q: v}) for v in (95, 5))
        error = [np.abs(d.astype(int) - img).mean() for d in (high_img, low_img)]
        assert len(low) < len(high) and error[0] < 3 and error[0] < error[1], (len(low), len(high), error)
        try:
            s.run(enc, {q: 101})
            raise AssertionError("quality 101 was taken")
        except tf.errors.InvalidArgumentError:
            pass
    return {"EncodeJpegVariableQuality": check}


CUSTOM.append(_jpeg_quality)


def _box_proposals(tf):
    """GenerateBoundingBoxProposals: built with TF's static shapes; running it fails as in TF's CPU build, which
    has no kernel for it (its graph and errors against TF's are in tests/tf_recorded/cases_image_proposals.py)."""
    rng = np.random.default_rng(0)
    rois, probs = tf.image.generate_bounding_box_proposals(
        rng.uniform(size=(2, 3, 3, 2)).astype(F32), np.zeros((2, 3, 3, 8), F32), np.ones((2, 5), F32),
        rng.uniform(size=(9, 2, 4)).astype(F32), post_nms_topn=4)

    def check(s):
        assert rois.shape.as_list() == [2, 4, 4] and probs.shape.as_list() == [2, 4], (rois.shape, probs.shape)
        try:
            s.run(rois)
            raise AssertionError("GenerateBoundingBoxProposals ran on a CPU")
        except tf.errors.InvalidArgumentError as e:
            assert "No OpKernel was registered" in e.message, e.message
    return {"GenerateBoundingBoxProposals": check}


CUSTOM.append(_box_proposals)


def _quantized(tf):
    """The quantize family on small exact cases (their values against TF's: tests/tf_recorded/cases_quantize.py)."""
    x = tf.constant([-1.0, -0.5, 0.0, 0.5, 1.0])
    q = tf.quantize(x, -1.0, 1.0, tf.quint8)
    levels = np.array([0, 64, 128, 191, 255], U8)
    c = tf.quantized_concat(0, [q.output, q.output], [q.output_min] * 2, [q.output_max] * 2)
    y = np.array([-1.0, -0.3, 0.2, 1.0], F32)
    v2 = tf.quantization.quantize_and_dequantize(tf.constant(y), -1.0, 1.0, range_given=True)
    v4 = tf.quantization.quantize_and_dequantize_v2(tf.constant(y), -1.0, 1.0, range_given=True)
    v4_grad = tf.gradients(v4 * 3.0, v4.op.inputs[0])[0]
    rounded = (np.rint(y * 127) / 127).astype(F32)
    return {"QuantizeV2": _checks((q.output, None, _equal(levels)), (q[1:], None, _equal([-1.0, 1.0]))),
            "Dequantize": _checks((tf.dequantize(*q), None, _equal((levels * F32(2 / 255) - 1).astype(F32)))),
            "QuantizedConcat": _checks((c.output, None, _equal(np.concatenate([levels, levels])))),
            "QuantizeAndDequantizeV2": _checks((v2, None, _equal(rounded))),
            "QuantizeAndDequantizeV4": _checks((v4, None, _equal(rounded))),
            "QuantizeAndDequantizeV4Grad": _checks((v4_grad, None, _equal(np.full(4, 3.0, F32))))}


CUSTOM.append(_quantized)


def _quantized_nn(tf):
    """The quantized tf.nn ops on small exact cases (their values against TF's: cases_quantized_nn.py)."""
    x = tf.constant(np.array([1, 2, 3, 6], U8).reshape(1, 2, 2, 1), tf.quint8)
    avg = tf.nn.quantized_avg_pool(x, -1.0, 3.0, [1, 2, 2, 1], [1, 2, 2, 1], "VALID")
    top = tf.nn.quantized_max_pool(x, -1.0, 3.0, [1, 2, 1, 1], [1, 1, 1, 1], "VALID")
    w = tf.constant(np.array([1, 1, 2], U8).reshape(1, 1, 3, 1), tf.quint8)
    pixels = tf.constant(np.array([1, 2, 3, 4, 5, 6], U8).reshape(1, 1, 2, 3), tf.quint8)
    conv = tf.nn.quantized_conv2d(pixels, w, 0.0, 1.0, 0.0, 1.0, [1, 1, 1, 1], "VALID")  # zero levels are 0
    relu = tf.nn.quantized_relu_x(x, 6.0, -1.0, 3.0)

    def no_kernel(s):
        try:
            s.run(relu.activations)
            raise AssertionError("QuantizedReluX ran: TF 2.21 has no kernel for it")
        except tf.errors.InvalidArgumentError as e:
            assert "No OpKernel was registered" in e.message, e.message
    return {"QuantizedAvgPool": _checks((avg.output, None, _equal([[[[3]]]])), (avg[1:], None, _equal([-1.0, 3.0]))),
            "QuantizedMaxPool": _checks((top.output, None, _equal([[[[3], [6]]]]))),
            "QuantizedConv2D": _checks((conv.output, None, _equal([[[[9], [21]]]]))),
            "QuantizedReluX": no_kernel}


CUSTOM.append(_quantized_nn)


def _lookup_tables(tf):
    """A hash table filled from tensors (LookupTableImportV2, and the raw InitializeTableV2) and from a text file,
    looked up, sized and exported (their graphs, values and errors against TF's: cases_lookup.py)."""
    import os
    import tempfile
    path = os.path.join(tempfile.mkdtemp(), "vocab.txt")
    with open(path, "w") as f:
        f.write("red\ngreen\n")
    table = tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(["a", "b"], tf.constant([1, 2], tf.int64)), -1)
    text = tf.lookup.StaticHashTable(tf.lookup.TextFileInitializer(path, tf.string, -2, tf.int64, -1), -1)
    handle = raw(tf, "HashTableV2", [], {"key_dtype": tf.int64, "value_dtype": tf.float32, "shared_name": "t"})
    init = raw(tf, "InitializeTableV2", [handle, tf.constant([3, 4], tf.int64), tf.constant([0.5, 1.5])])
    find = raw(tf, "LookupTableFindV2", [handle, tf.constant([[4, 5]], tf.int64), 0.0], {"Tin": tf.int64,
                                                                                      "Tout": tf.float32})
    keys, values = table.export()

    def check(s):
        s.run([tf.tables_initializer(), init])
        assert s.run(table.lookup(tf.constant([["b", "z"]]))).tolist() == [[2, -1]]
        assert s.run(text.lookup(tf.constant(["green", "red", "x"]))).tolist() == [1, 0, -1]
        assert s.run([table.size(), text.size()]) == [2, 2]
        assert sorted(zip(*s.run([keys, values]))) == [(b"a", 1), (b"b", 2)]
        assert s.run(find).tolist() == [[1.5, 0.0]]
    return dict.fromkeys(["HashTableV2", "LookupTableImportV2", "InitializeTableV2", "InitializeTableFromTextFileV2",
                          "LookupTableFindV2", "LookupTableSizeV2", "LookupTableExportV2"], check)


CUSTOM.append(_lookup_tables)


def _table_from_dataset(tf):
    """A table filled from a dataset of (key, value) pairs (TF's graphs, values and errors:
    cases_lookup.py's tables_from_datasets)."""
    pairs = tf.data.Dataset.range(3).map(lambda x: (x, tf.as_string(x * 2)))
    table = tf.lookup.StaticHashTable(tf.data.experimental.DatasetInitializer(pairs), "none")

    def check(s):
        s.run(tf.tables_initializer())
        assert s.run(table.lookup(tf.constant([2, 0, 7], tf.int64))).tolist() == [b"4", b"0", b"none"]
    return {"InitializeTableFromDataset": check}


CUSTOM.append(_table_from_dataset)


def _mutable_lookup_tables(tf):
    """Mutable tables (scalar and vector values, dense buckets) filled, read, removed from and sized (their
    graphs, values, bucket layouts, errors and checkpoints against TF's: cases_lookup_mutable.py)."""
    table = tf.lookup.experimental.MutableHashTable(tf.string, tf.int64, -1)
    vec = tf.lookup.experimental.MutableHashTable(tf.int64, tf.float32, [0.0, 0.0])
    dense = tf.lookup.experimental.DenseHashTable(tf.int64, tf.int64, -1, empty_key=0, deleted_key=-1,
                                                  initial_num_buckets=4)
    fill = [table.insert(tf.constant(["a", "b"]), tf.constant([1, 2], tf.int64)),
            vec.insert(tf.constant([7], tf.int64), [[1.0, 2.0]]),
            dense.insert(tf.constant([5, 9], tf.int64), tf.constant([50, 90], tf.int64))]
    drop = [table.remove(tf.constant(["a"])), dense.remove(tf.constant([9], tf.int64))]

    def check(s):
        s.run(fill)
        s.run(drop)
        assert s.run(table.lookup(tf.constant(["a", "b"]))).tolist() == [-1, 2]
        assert s.run(vec.lookup(tf.constant([7, 8], tf.int64))).tolist() == [[1.0, 2.0], [0.0, 0.0]]
        assert s.run(dense.lookup(tf.constant([5, 9], tf.int64))).tolist() == [50, -1]
        assert s.run([table.size(), vec.size(), dense.size()]) == [1, 1, 1]
    return dict.fromkeys(["MutableHashTableV2", "MutableHashTableOfTensorsV2", "MutableDenseHashTableV2",
                          "LookupTableInsertV2", "LookupTableRemoveV2"], check)


CUSTOM.append(_mutable_lookup_tables)


def _dataset_reduce(tf):
    """Dataset.reduce: a sum and a count folded together, and an empty dataset's initial state."""
    D = tf.data.Dataset
    total, count = D.range(1, 5).reduce((np.int64(0), np.int64(0)), lambda s, x: (s[0] + x, s[1] + 1))
    empty = D.range(0).reduce(np.float32(2.5), lambda s, x: s * 0.0)
    return {"ReduceDataset": _checks(([total, count], None, _equal([10, 4])), (empty, None, _equal(2.5)))}


CUSTOM.append(_dataset_reduce)


def _deserialize_sparse(tf):
    """DeserializeSparse: a dataset's boxed SparseTensors stacked by a batch (the dense shape the largest of
    the batch's), and one SparseTensor serialized as TensorProtos; DenseToSparseBatchDataset's every entry."""
    from raygraph.ops.registry import apply_op
    rows = tf.data.Dataset.from_tensor_slices(tf.SparseTensor([[0, 1], [2, 3]], [1.5, 2.5], [3, 5])).batch(3)
    batch = tf.data.make_one_shot_iterator(rows).get_next()
    st = tf.SparseTensor([[0, 1], [2, 0]], [1.5, 2.5], [3, 4])
    parts = apply_op("DeserializeSparse", [tf.io.serialize_sparse(st)], {"dtype": tf.float32})
    expect = [[[0, 1], [2, 3]], [1.5, 2.5], [3, 5]]
    dense = tf.data.Dataset.from_tensor_slices([[1, 0], [2, 3]]).apply(tf.data.experimental.dense_to_sparse_batch(2, [3]))
    dense_batch = tf.data.make_one_shot_iterator(dense).get_next()

    def check(s):
        got = s.run(batch)
        assert [got.indices.tolist(), got.values.tolist(), got.dense_shape.tolist()] == expect, got
        assert [p.tolist() for p in s.run(parts)] == [[[0, 1], [2, 0]], [1.5, 2.5], [3, 4]]
        got = s.run(dense_batch)
        assert got.indices.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]] and got.values.tolist() == [1, 0, 2, 3]
        assert got.dense_shape.tolist() == [2, 3]
    return {"DeserializeSparse": check, "DenseToSparseBatchDataset": check}


CUSTOM.append(_deserialize_sparse)

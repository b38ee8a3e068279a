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
                          "ReportUninitialized", "PyFunc"], check)


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
    return dict.fromkeys(["ScalarSummary", "HistogramSummary", "ImageSummary", "TensorSummaryV2", "MergeSummary"],
                         check)


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
        "ApplyRMSProp": (T.apply_rms_prop(var, a, b, lr, 0.9, 0.5, 1e-6, g), lambda v, a, b, c: v - (
            b * 0.5 + lr * g / np.sqrt(a + (g * g - a) * 0.1 + 1e-6))),
        "ApplyCenteredRMSProp": (T.apply_centered_rms_prop(var, a, b, c, lr, 0.9, 0.5, 1e-6, g), lambda v, a, b, c: v - (
            c * 0.5 + lr * g / np.sqrt(b + (g * g - b) * 0.1 - (a + (g - a) * 0.1) ** 2 + 1e-6))),
        "ApplyAdadelta": (T.apply_adadelta(var, a, b, 1.0, 0.9, 1e-6, g), lambda v, a, b, c: v - np.sqrt(
            b + 1e-6) / np.sqrt(a * 0.9 + 0.1 * g * g + 1e-6) * g)}
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


CUSTOM = [_sources, _random, _files, _control, _state, _summaries, _training, _queues, _input_helpers]

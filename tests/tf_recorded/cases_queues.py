"""Recorded cases: queues (op types, names, attrs, static shapes, values and orders, errors) and the queue-based
input producers and batching of tf.train."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ops_helpers import describe, error_text, sig  # noqa: E402


def _l(x):
    return list(x) if isinstance(x, (list, tuple)) else [x]


def _err(sess, fetch):
    def go():
        sess.run(fetch)
    return error_text(go)[0]


def case_fifo_graph(tf):
    q = tf.FIFOQueue(3, [tf.float32, tf.int32], shapes=[[2], []], name="q")
    outs = [q.dequeue(), q.dequeue_many(2), q.dequeue_up_to(5), [q.size(), q.is_closed()]]
    q.enqueue([[1.0, 2.0], 3])
    q.enqueue_many([[[1.0, 2.0]], [5]], name="many")
    q.close(cancel_pending_enqueues=True)
    q2 = tf.FIFOQueue(4, tf.string)
    return [describe(tf), [[sig(t) for t in o] for o in outs], sig(q2.dequeue()), q2.name, q.name]


def case_other_queue_graphs(tf):
    r = tf.RandomShuffleQueue(10, 2, [tf.int64], shapes=[[3]], seed=4)
    p = tf.PaddingFIFOQueue(5, [tf.int32, tf.string], shapes=[[None, 2], []])
    pr = tf.PriorityQueue(5, [tf.float32], shapes=[[2]])
    n = tf.FIFOQueue(5, [tf.int32, tf.float32], shapes=[[], []], names=["a", "b"])
    outs = [r.dequeue_many(4), p.dequeue_many(2), pr.dequeue(), pr.dequeue_up_to(3)]
    d = n.dequeue()
    n.enqueue({"a": 1, "b": 2.0})
    return [describe(tf), [[sig(t) for t in _l(o)] for o in outs], sorted(d), [sig(d[k]) for k in sorted(d)]]


def case_fifo_values_and_errors(tf):
    q = tf.FIFOQueue(4, [tf.float32, tf.int32], shapes=[[2], []])
    with tf.Session() as s:
        s.run(q.enqueue_many([[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], [7, 8, 9]]))
        out = [s.run(q.size()).tolist(), [v.tolist() for v in s.run(q.dequeue())],
               [v.tolist() for v in s.run(q.dequeue_many(1))]]
        out.append(error_text(lambda: q.enqueue_many([[[1.0, 2.0]], [1, 2]])))
        a, b = tf.placeholder(tf.float32, [None, 2]), tf.placeholder(tf.int32, [None])
        bad = q.enqueue_many([a, b])
        out.append(error_text(lambda: s.run(bad, {a: [[1.0, 2.0]], b: [1, 2]}))[0])
        s.run(q.close())
        out += [s.run(q.is_closed()).tolist(), _err(s, q.enqueue([[1.0, 2.0], 3])),
                [v.tolist() for v in s.run(q.dequeue_up_to(5))], _err(s, q.dequeue()), _err(s, q.dequeue_many(0))]
    u = tf.FIFOQueue(2, tf.float32)
    with tf.Session() as s:
        out.append(_err(s, u.dequeue_many(1)))
        out.append(error_text(lambda: s.run(u.dequeue(), options=tf.RunOptions(timeout_in_ms=50)))[0])
    return out


def case_shuffle_padding_priority_values(tf):
    r = tf.RandomShuffleQueue(20, 3, tf.int32, shapes=[[]], seed=11)
    p = tf.PaddingFIFOQueue(5, [tf.int32, tf.string], shapes=[[None], [None]])
    pr = tf.PriorityQueue(5, [tf.string], shapes=[[]])
    with tf.Session() as s:
        s.run(r.enqueue_many([list(range(20))]))
        order = [s.run(r.dequeue()).tolist() for _ in range(5)] + s.run(r.dequeue_many(6)).tolist()
        s.run(r.close())
        order += s.run(r.dequeue_up_to(20)).tolist()
        s.run(p.enqueue([[1, 2, 3], ["a"]]))
        s.run(p.enqueue([[4], ["b", "c"]]))
        padded = [v.tolist() for v in s.run(p.dequeue_many(2))]
        s.run(pr.enqueue_many(([5, 1, 3], ["e", "a", "c"])))
        s.run(pr.enqueue((2, "b")))
        prio = [v.tolist() for v in s.run(pr.dequeue_many(4))]
    return [order, padded, prio]


def case_input_producers(tf):
    tf.set_random_seed(3)
    s1 = tf.train.string_input_producer(["a", "b", "c"], num_epochs=2)
    s2 = tf.train.range_input_producer(5, shuffle=False)
    x, y = tf.train.slice_input_producer([np.arange(12.0).reshape(6, 2), np.arange(6)], seed=5)
    i = tf.train.input_producer([[1, 2], [3, 4]], shuffle=False, capacity=8)
    names = sorted([v.name for v in tf.local_variables()])
    qrs = [[qr.name, [o.name for o in qr.enqueue_ops], qr.close_op.name, qr.cancel_op.name]
           for qr in tf.get_collection(tf.GraphKeys.QUEUE_RUNNERS)]
    summaries = sorted(t.name for t in tf.get_collection(tf.GraphKeys.SUMMARIES))
    return [describe(tf), sig(x), sig(y), s1.name, s2.name, i.name, names, qrs, summaries]


def _drain(tf, fetch, limit=50):
    out = []
    with tf.Session() as s:
        s.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess=s, coord=coord)
        try:
            for _ in range(limit):
                out.append([np.asarray(v).tolist() for v in s.run(fetch)])
        except tf.errors.OutOfRangeError:
            out.append("OutOfRangeError")
        coord.request_stop()
        coord.join(threads)
    return out


def case_batch_values(tf):
    tf.set_random_seed(1)
    xs = np.arange(20, dtype=np.float32).reshape(10, 2)
    x, y = tf.train.slice_input_producer([xs, np.arange(10)], num_epochs=2, shuffle=True)
    xb, yb = tf.train.batch([x, y], batch_size=4, allow_smaller_final_batch=True)
    return [sig(xb), sig(yb), _drain(tf, [xb, yb])]


def case_string_producer_values(tf):
    tf.set_random_seed(2)
    q = tf.train.string_input_producer(["a", "b", "c", "d"], num_epochs=3, seed=9)
    return [_drain(tf, [q.dequeue()])]


def case_shuffle_batch_graph(tf):
    x = tf.constant([1.0, 2.0])
    b = tf.train.shuffle_batch([x, tf.constant(3)], batch_size=5, capacity=20, min_after_dequeue=10, seed=2,
                               num_threads=2)
    c = tf.train.batch({"x": x, "y": tf.constant([[1]])}, batch_size=3, dynamic_pad=True)
    d = tf.train.batch_join([[x], [x * 2]], batch_size=2)
    e = tf.train.shuffle_batch_join([[x], [x + 1]], 2, 10, 2, seed=1)
    m = tf.train.maybe_batch([x], tf.constant(True), 2)
    qrs = [[qr.name, [o.name for o in qr.enqueue_ops]] for qr in tf.get_collection(tf.GraphKeys.QUEUE_RUNNERS)]
    return [[sig(t) for t in b], {k: sig(v) for k, v in c.items()}, [sig(t) for t in _l(d)], [sig(t) for t in _l(e)],
            [sig(t) for t in _l(m)], [isinstance(t, list) for t in (d, e, m)], qrs, sorted(t.name for t in tf.get_collection(tf.GraphKeys.SUMMARIES))]


def case_batch_shape_errors(tf):
    p = tf.placeholder(tf.float32, [None])
    return [error_text(lambda: tf.train.batch([p], 2)), error_text(lambda: tf.train.string_input_producer([])),
            error_text(lambda: tf.FIFOQueue(2, tf.float32, shapes=[[2]]).enqueue([[1.0, 2.0, 3.0]]))]


def case_queue_runner_exception_types(tf):
    """By default only OutOfRangeError ends a runner's thread quietly (a cancelled enqueue is reported)."""
    q = tf.FIFOQueue(3, tf.float32)
    qr = tf.train.QueueRunner(q, [q.enqueue(1.0)])
    mine = tf.train.QueueRunner(q, [q.enqueue(2.0)], queue_closed_exception_types=(tf.errors.CancelledError,
                                                                                 tf.errors.OutOfRangeError))
    errors = []
    for bad in ([tf.errors.CancelledError], (ValueError,)):
        try:
            tf.train.QueueRunner(q, [q.enqueue(3.0)], queue_closed_exception_types=bad)
        except TypeError as e:
            errors.append(str(e).split(" but saw")[0])
    return [[t.__name__ for t in r.queue_closed_exception_types] for r in (qr, mine)], \
        [list(r.to_proto().queue_closed_exception_types) for r in (qr, mine)], errors


def _staging(tf):
    if hasattr(tf, "contrib"):
        return tf.contrib.staging.StagingArea
    from tensorflow.python.ops.data_flow_ops import StagingArea
    return StagingArea


def case_staging_area_her_pattern(tf):
    """openai/baselines her/ddpg.py: put a tuple of fed batches, get() them back in order inside the train graph."""
    StagingArea = _staging(tf)
    st = StagingArea(dtypes=[tf.float32, tf.float32], shapes=[(None, 3), (None, 2)])
    o, u = tf.placeholder(tf.float32, (None, 3)), tf.placeholder(tf.float32, (None, 2))
    stage = st.put([o, u])
    got = st.get()
    loss = tf.reduce_sum(got[0]) + tf.reduce_sum(got[1] * 2)
    out = [[str(t.get_shape()) for t in got], len(got)]
    with tf.Session() as s:
        for i in range(2):
            s.run(stage, {o: np.ones((2, 3)) * (i + 1), u: np.ones((2, 2))})
        out += [int(s.run(st.size())), float(s.run(loss)), float(s.run(loss)), int(s.run(st.size()))]
    return out

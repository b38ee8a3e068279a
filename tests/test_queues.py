"""Queues as device resources: TF1's names, shapes and values, blocking without deadlocking the device,
deadlines, closing, and cancellation when the session closes."""
import os
import subprocess
import sys
import textwrap
import threading
import time

import numpy as np
import pytest


def _thread(fn):
    out = {}

    def target():
        try:
            out["value"] = fn()
        except BaseException as e:  # noqa: BLE001 - checked by the test
            out["error"] = e
    t = threading.Thread(target=target, daemon=True)
    t.start()
    return t, out


def test_names_types_and_static_shapes(tf):
    q = tf.FIFOQueue(3, [tf.float32, tf.int32], shapes=[[2], []])
    d, dm, du = q.dequeue(), q.dequeue_many(2), q.dequeue_up_to(5)
    assert (q.queue_ref.op.type, q.queue_ref.dtype, q.queue_ref.shape.as_list()) == ("FIFOQueueV2", tf.resource, [])
    assert q.enqueue([[1.0, 2.0], 3]).name == "fifo_queue_enqueue"
    assert q.enqueue_many([[[1.0, 2.0]], [5]]).type == "QueueEnqueueManyV2"
    assert [t.name for t in d] == ["fifo_queue_Dequeue:0", "fifo_queue_Dequeue:1"]
    assert dm[0].shape.as_list() == [2, 2] and du[0].shape.as_list() == [None, 2]
    assert (q.close().name, q.size().name, q.is_closed().name) == ("fifo_queue_Close", "fifo_queue_Size:0",
                                                                   "fifo_queue_Is_Closed:0")
    with pytest.raises(ValueError):
        q.enqueue([[1.0, 2.0, 3.0], 3])


def test_fifo_values_close_and_errors(rtf):
    tf = rtf
    q = tf.FIFOQueue(3, [tf.float32, tf.int32], shapes=[[2], []])
    em = q.enqueue_many([[[1.0, 2.0], [3.0, 4.0]], [5, 6]])
    with tf.Session() as sess:
        sess.run(em)
        assert sess.run(q.size()) == 2
        a, b = sess.run(q.dequeue())
        assert a.tolist() == [1.0, 2.0] and b == 5
        sess.run(q.close())
        assert sess.run(q.is_closed())
        with pytest.raises(tf.errors.CancelledError):
            sess.run(q.enqueue([[1.0, 2.0], 3]))
        rest = sess.run(q.dequeue_up_to(5))
        assert rest[0].tolist() == [[3.0, 4.0]] and rest[1].tolist() == [6]
        with pytest.raises(tf.errors.OutOfRangeError):
            sess.run(q.dequeue())


def test_each_enqueue_is_shape_checked_and_a_waiting_dequeue_many_wakes_once_filled(rtf):
    tf = rtf
    q = tf.FIFOQueue(5, tf.float32, shapes=[[2]])
    p = tf.placeholder(tf.float32)
    enq, dm = q.enqueue([p]), q.dequeue_many(3)
    with tf.Session() as sess:
        sess.run(enq, {p: [1.0, 2.0]})
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"Shape mismatch in tuple component 0. Expected "
                                                                 r"\[2\], got \[3\]"):
            sess.run(enq, {p: [1.0, 2.0, 3.0]})   # after a fitting element of another shape
        t, out = _thread(lambda: sess.run(dm))
        for v in (3.0, 5.0):
            time.sleep(0.05)
            assert t.is_alive()                  # two of three: still waiting
            sess.run(enq, {p: [v, v + 1]})
        t.join(5)
        assert out["value"].tolist() == [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]


def test_a_blocked_enqueue_goes_on_after_one_dequeue_of_a_large_full_queue(rtf):
    tf = rtf
    q = tf.FIFOQueue(32, tf.int32, shapes=[[]])
    with tf.Session() as sess:
        sess.run(q.enqueue_many([list(range(32))]))
        t, out = _thread(lambda: sess.run(q.enqueue([99])))
        time.sleep(0.05)
        assert t.is_alive()                       # full
        assert sess.run(q.dequeue()) == 0         # one free place (dequeues wake enqueues by eighths, the
        t.join(5)                                 # blocked enqueue checks again within _POLL anyway)
        assert not t.is_alive() and "error" not in out
        assert sess.run(q.dequeue_many(32)).tolist() == list(range(1, 32)) + [99]


def test_dequeue_many_needs_shapes(rtf):
    tf = rtf
    q = tf.FIFOQueue(3, tf.float32)
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match="specified shapes"):
            sess.run(q.dequeue_many(1))


def test_random_shuffle_padding_and_priority(rtf):
    tf = rtf
    r = tf.RandomShuffleQueue(10, 2, tf.int32, seed=3, shapes=[[]])
    p = tf.PaddingFIFOQueue(5, [tf.int32], shapes=[[None]])
    pr = tf.PriorityQueue(5, [tf.string], shapes=[[]])
    with tf.Session() as sess:
        sess.run(r.enqueue_many([list(range(10))]))
        assert sess.run(r.dequeue_many(8)).tolist() == [7, 1, 4, 5, 6, 8, 0, 9]  # TensorFlow's order
        sess.run(p.enqueue([[1, 2]]))
        sess.run(p.enqueue([[3]]))
        assert sess.run(p.dequeue_many(2)).tolist() == [[1, 2], [3, 0]]
        sess.run(pr.enqueue_many(([3, 1, 2], ["c", "a", "b"])))
        prio, vals = sess.run(pr.dequeue_many(3))
        assert prio.tolist() == [1, 2, 3] and vals.tolist() == [b"a", b"b", b"c"]


def test_blocking_ops_leave_the_device_free(rtf):
    """A blocked dequeue waits while other steps (the enqueue that frees it) run on the same device."""
    tf = rtf
    q = tf.FIFOQueue(2, tf.float32, shapes=[[]])
    x = tf.placeholder(tf.float32, [])
    e, d = q.enqueue(x), q.dequeue()
    with tf.Session() as sess:
        t, out = _thread(lambda: sess.run(d))
        time.sleep(0.3)
        assert t.is_alive()
        sess.run(e, {x: 5.0})
        t.join(10)
        assert out == {"value": 5.0}
        sess.run(e, {x: 1.0})
        sess.run(e, {x: 2.0})
        t, out = _thread(lambda: sess.run(e, {x: 3.0}))  # full: blocks until a dequeue
        time.sleep(0.3)
        assert t.is_alive()
        assert sess.run(d) == 1.0
        t.join(10)
        assert not t.is_alive() and "error" not in out
        assert [sess.run(d), sess.run(d)] == [2.0, 3.0]
        with pytest.raises(tf.errors.DeadlineExceededError):
            sess.run(d, options=tf.RunOptions(timeout_in_ms=200))
        sess.run(e, {x: 4.0})  # the timed-out dequeue took nothing
        assert sess.run(d, options=tf.RunOptions(timeout_in_ms=10000)) == 4.0


def test_close_cancels_pending_enqueues_and_session_close_cancels_blocked_runs(rtf):
    tf = rtf
    q = tf.FIFOQueue(1, tf.float32, shapes=[[]])
    e, d = q.enqueue(1.0), q.dequeue()
    sess = tf.Session()
    sess.run(e)
    t, out = _thread(lambda: sess.run(e))
    time.sleep(0.3)
    sess.run(q.close(cancel_pending_enqueues=True))
    t.join(10)
    assert isinstance(out.get("error"), tf.errors.CancelledError)
    assert sess.run(d) == 1.0
    q2 = tf.FIFOQueue(1, tf.float32, shapes=[[]])
    t, out = _thread(lambda: sess.run(q2.dequeue()))
    time.sleep(0.5)
    start = time.monotonic()
    sess.close()
    t.join(10)
    assert time.monotonic() - start < 10 and not t.is_alive()
    assert isinstance(out.get("error"), tf.errors.CancelledError)


def test_a_queue_is_shared_by_the_sessions_of_a_device(rtf):
    """Two clients of one cluster task see one queue (what TF1's token queues rely on)."""
    tf = rtf
    with tf.device("/job:localhost/replica:0/task:0/device:CPU:0"):
        q = tf.FIFOQueue(5, tf.int32, shapes=[[]], shared_name="shared_q")
    with tf.Session() as sess:
        sess.run(q.enqueue_many([[1, 2, 3]]))
        assert sess.run(q.dequeue()) == 1


def test_queue_runners_enqueue_inside_the_device_and_stop_with_the_coordinator(rtf):
    """A queue runner's enqueue repeats in its device (no client round trip per element); the coordinator's
    stop ends it (the queue is cancelled) and closing the session under a blocked enqueue ends it too."""
    import ray
    tf = rtf
    images = np.arange(512 * 4, dtype=np.float32).reshape(512, 4)
    image, label = tf.train.slice_input_producer([images, np.arange(512)], shuffle=False)
    x, y = tf.train.batch([image, label], batch_size=32, capacity=64)
    with tf.Session() as s:
        s.run(tf.constant(0))
        (h,) = s._runtime.client.handles.values()
        before = ray.get(h.actor.counters.remote())  # a pooled device actor: its counters started earlier
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess=s, coord=coord)
        for i in range(10):
            xv, yv = s.run([x, y])
            assert yv.tolist() == list(range(32 * i, 32 * i + 32)) and np.array_equal(xv, images[yv])
        counts = ray.get(h.actor.counters.remote())
        assert counts["repeated_steps"] - before["repeated_steps"] >= 320
        assert counts["step_messages"] - before["step_messages"] < 30
        coord.request_stop()
        coord.join(threads, stop_grace_period_secs=10)
        assert not any(t.is_alive() for t in threads)
    with tf.Session() as s:  # no coordinator: closing the session stops the runners, blocked on full queues
        threads = tf.train.start_queue_runners(sess=s)
        s.run(x)
        time.sleep(0.3)
    for t in threads:
        t.join(10)
        assert not t.is_alive()


def test_queue_runner_threads_end_quietly_when_a_script_exits_with_its_session_open(tmp_path):
    """A script that starts queue runners without a Coordinator and never closes its session: at exit the
    devices go with Ray, and the runner threads end without a traceback (TF1's daemon threads end silently)."""
    script = tmp_path / "runners.py"
    script.write_text(textwrap.dedent("""\
        import raygraph as tf
        q = tf.FIFOQueue(10, tf.int32)
        tf.train.add_queue_runner(tf.train.QueueRunner(q, [q.enqueue([tf.constant(1)])]))
        x = q.dequeue()
        sess = tf.Session()
        tf.train.start_queue_runners(sess=sess)
        print(sess.run(x))
        """))
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = {k: v for k, v in os.environ.items() if k != "RAY_ADDRESS"}
    env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
    r = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=180)
    assert r.returncode == 0 and r.stdout == "1\n", r.stderr[-2000:]
    assert "Traceback" not in r.stderr and "UnavailableError" not in r.stderr, r.stderr[-2000:]

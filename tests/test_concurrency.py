"""Many client threads on one session: every run returns, locked updates are exact, a hung kernel delays
no one else's deadline (issues 19, 15.1 and 15.5).

Every run here has a deadline (RunOptions.timeout_in_ms) and every thread a join deadline, so a hang
fails the test instead of blocking the suite. The stress test is small in the suite; the issue's
version (20 repetitions of 8 threads x 500 runs) is `RAYGRAPH_STRESS=20x500 pytest -k stress -s`.
"""
import os
import threading
import time

import numpy as np
import pytest

THREADS = 8


def _run_threads(work, n=THREADS, deadline=60.0):
    """Runs work(k) in n daemon threads; fails if one raised or has not returned within `deadline` s."""
    errors = []

    def target(k):
        try:
            work(k)
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append((k, e))
    threads = [threading.Thread(target=target, args=(k,), daemon=True) for k in range(n)]
    end = time.monotonic() + deadline
    for t in threads:
        t.start()
    for t in threads:
        t.join(max(0.0, end - time.monotonic()))
    stuck = [k for k, t in enumerate(threads) if t.is_alive()]
    assert not stuck, f"threads {stuck} still running after {deadline} s (a run that never returned)"
    assert not errors, errors


def test_locked_assign_add_from_eight_threads_loses_no_update(rtf):
    tf = rtf
    v = tf.Variable(tf.zeros([1 << 20]))
    add = tf.assign_add(v, 1.0, use_locking=True)
    sub = tf.assign_sub(v, 2.0, use_locking=True)
    runs = 40
    with tf.Session() as sess:
        sess.run(v.initializer)

        def work(k):  # no deadline here (the join has one): steps without one run in their message's thread
            for i in range(runs):
                sess.run(add if i % 4 else sub)  # 30 adds and 10 subtracts of 2: +10
        _run_threads(work)
        value = sess.run(v)
    assert np.all(value == THREADS * 10), (value.min(), value.max())  # before the fix: ~1/4 of them lost


def _stress_graph(tf, size):
    """The ops of the stress test: a shared counter (locked), a counter per thread (unlocked, one writer),
    a locked training step, and a fed reduction (its feed goes through shared memory)."""
    g = tf.Graph()
    with g.as_default():
        shared = tf.Variable(tf.zeros([size]), name="shared")
        ops = {"locked": tf.assign_add(shared, 1.0, use_locking=True), "shared": shared}
        ops["own"] = [tf.Variable(0.0, name=f"own{k}") for k in range(THREADS)]
        ops["own_add"] = [tf.assign_add(v, 1.0) for v in ops["own"]]
        w = tf.Variable(tf.zeros([4]), name="w")
        x = tf.placeholder(tf.float32, [4])
        ops.update(w=w, x=x, train=tf.train.GradientDescentOptimizer(1.0, use_locking=True).minimize(
            tf.reduce_sum(w * x)))
        ops["big"] = tf.placeholder(tf.float32, [None])
        ops["total"] = tf.reduce_sum(ops["big"])
        ops["init"] = tf.global_variables_initializer()
    return g, ops


def _stress_once(tf, runs, size, timeout_ms):
    """8 threads x `runs` mixed runs on one new session; checks every result exactly."""
    g, ops = _stress_graph(tf, size)
    options = tf.RunOptions(timeout_in_ms=timeout_ms)
    counts = [[0, 0, 0] for _ in range(THREADS)]  # locked adds, own adds, training steps
    ones = np.ones(4, np.float32)
    with tf.Session(graph=g) as sess:
        sess.run(ops["init"])

        def work(k):
            big = np.full(1 << 18, k, np.float32)  # 1 MiB
            for i in range(runs):
                kind = (i + k) % 4
                if kind == 0:
                    sess.run(ops["locked"], options=options)
                    counts[k][0] += 1
                elif kind == 1:
                    counts[k][1] += 1
                    assert sess.run(ops["own_add"][k], options=options) == counts[k][1]
                    assert sess.run(ops["own"][k], options=options) == counts[k][1]
                elif kind == 2:
                    sess.run(ops["train"], {ops["x"]: ones}, options=options)
                    counts[k][2] += 1
                else:
                    assert sess.run(ops["total"], {ops["big"]: big}, options=options) == k * big.size
        _run_threads(work, deadline=max(60.0, runs * 0.5))
        shared, w = sess.run([ops["shared"], ops["w"]])
    assert np.all(shared == sum(c[0] for c in counts))
    assert np.all(w == -sum(c[2] for c in counts))


def test_stress_eight_threads_mixed_runs_on_one_session_all_return_exactly(rtf):
    """Issue 19: a new session's threads connecting at once hung some of them, before their first run."""
    repeats, runs = (int(n) for n in os.environ.get("RAYGRAPH_STRESS", "5x32").split("x"))
    size = 1 << 20 if "RAYGRAPH_STRESS" in os.environ else 1 << 16
    started = time.monotonic()
    for r in range(repeats):
        _stress_once(rtf, runs, size, timeout_ms=30000)
        if "RAYGRAPH_STRESS" in os.environ:
            print(f"repetition {r + 1}/{repeats}: {time.monotonic() - started:.1f} s", flush=True)


def test_a_hung_py_func_does_not_fail_other_threads_timed_runs(rtf, tmp_path):
    """Issue 15.5: timed steps queued behind a hung kernel on the device's pool missed their deadlines."""
    tf = rtf
    started = tmp_path / "started"

    def hang():
        started.write_text("")
        time.sleep(4.0)
        return np.float32(1.0)
    slow = tf.py_func(hang, [], tf.float32)
    y = tf.constant(2.0) * 3.0
    config = tf.ConfigProto(inter_op_parallelism_threads=1)  # one pool thread: the one the hang takes
    with tf.Session(config=config) as sess:
        assert sess.run(y) == 6.0  # the channel and plan are ready before the clock matters
        result = {}
        hung = threading.Thread(target=lambda: result.setdefault(
            "slow", sess.run(slow, options=tf.RunOptions(timeout_in_ms=30000))), daemon=True)
        hung.start()
        for _ in range(200):  # until the py_func runs (at most 10 s)
            if started.exists():
                break
            time.sleep(0.05)
        assert started.exists()
        quick = tf.RunOptions(timeout_in_ms=1000)

        def work(k):
            for _ in range(5):
                assert sess.run(y, options=quick) == 6.0
        _run_threads(work, n=4, deadline=20.0)
        assert hung.is_alive()  # the others finished while the py_func still ran
        hung.join(30)
        assert result["slow"] == 1.0


def test_a_step_past_its_deadline_runs_none_of_its_waiting_nodes(rtf, tmp_path):
    """Issue 15.5: the cancelled step's later write does not land after DeadlineExceededError."""
    tf = rtf
    v = tf.Variable(0.0)
    finished = tmp_path / "finished"

    def slow():
        time.sleep(1.0)
        finished.write_text("")
        return np.float32(1.0)
    gate = tf.py_func(slow, [], tf.float32)
    with tf.control_dependencies([gate]):
        write = tf.assign(v, 5.0)
    with tf.Session() as sess:
        sess.run(v.initializer)
        with pytest.raises(tf.errors.DeadlineExceededError):
            sess.run(write, options=tf.RunOptions(timeout_in_ms=300))
        for _ in range(100):  # until the py_func has returned (at most 5 s)
            if finished.exists():
                break
            time.sleep(0.05)
        assert finished.exists()
        time.sleep(0.3)  # the write would run at once after it; its absence needs a moment to show
        assert sess.run(v) == 0.0

"""Session on Ray: concurrency seen in traces, devices, threads, errors, deadlines, lifecycle."""
import contextlib
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import numpy as np
import pytest


def _spans(md, device_suffix=None):
    out = {}
    for dev in md.step_stats.dev_stats:
        if device_suffix and not dev.device.endswith(device_suffix):
            continue
        for n in dev.node_stats:
            out[n.node_name] = (n.all_start_micros, n.all_start_micros + n.all_end_rel_micros, dev.device)
    return out


def _trace_options(tf):
    return tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)


def test_independent_heavy_branches_overlap_on_one_device(rtf):
    tf = rtf
    x = tf.placeholder(tf.float32, [640, 640])
    w = tf.constant(np.eye(640, dtype=np.float32))
    a = tf.matmul(x, w, name="branch_a")
    b = tf.matmul(x, w * 2.0, name="branch_b")  # not the same product: CSE would compute that once
    total = tf.reduce_sum(a) + tf.reduce_sum(b)
    value = np.ones((640, 640), np.float32)
    with tf.Session() as s:
        for _ in range(3):  # warm: the executor learns these nodes are expensive
            s.run(total, {x: value})
        for _ in range(5):
            md = tf.RunMetadata()
            s.run(total, {x: value}, options=_trace_options(tf), run_metadata=md)
            spans = _spans(md)
            (a0, a1, _), (b0, b1, _) = spans["branch_a"], spans["branch_b"]
            if a0 < b1 and b0 < a1:
                break
        assert a0 < b1 and b0 < a1, f"branches did not overlap: a={spans['branch_a']} b={spans['branch_b']}"
        assert len({d for _, _, d in spans.values()}) == 1


def test_two_devices_two_dev_stats_and_tensors_cross_intact(rtf):
    tf = rtf
    with tf.device("/cpu:0"):
        nums = tf.constant(np.arange(12, dtype=np.float64).reshape(3, 4)) * 2.0
        words = tf.constant([["ä", "bb"], ["", "c\x00d"]])
        ints = tf.constant(7, dtype=tf.int64)
    with tf.device("/cpu:1"):
        nums1 = nums + 0.0
        words1 = tf.reshape(words, [2, 2])
        ints1 = ints + 1
    with tf.Session(config=tf.ConfigProto(device_count={"CPU": 2})) as s:
        md = tf.RunMetadata()
        n, w, i = s.run([nums1, words1, ints1], options=_trace_options(tf), run_metadata=md)
    assert len(md.step_stats.dev_stats) == 2
    assert np.array_equal(n, np.arange(12, dtype=np.float64).reshape(3, 4) * 2.0) and n.dtype == np.float64
    assert w.tolist() == [["ä".encode(), b"bb"], [b"", b"c\x00d"]]
    assert i == 8 and i.dtype == np.int64
    spans = _spans(md)
    assert spans["Reshape"][2].endswith("CPU:1")


def test_many_threads_run_one_session(rtf):
    tf = rtf
    x = tf.placeholder(tf.float32, [])
    y = x * 2.0 + 1.0
    results, errors = {}, []
    with tf.Session() as s:
        def work(k):
            try:
                for j in range(20):
                    results[(k, j)] = s.run(y, {x: float(k * 100 + j)})
            except Exception as e:  # noqa: BLE001
                errors.append(e)
        threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
        [t.start() for t in threads]
        [t.join() for t in threads]
    assert not errors
    assert all(v == 2.0 * (k * 100 + j) + 1.0 for (k, j), v in results.items()) and len(results) == 80


def test_kernel_failure_is_an_op_error_naming_the_op_with_its_creation_trace(rtf):
    tf = rtf
    p = tf.placeholder(tf.float32, [None])
    idx = tf.placeholder(tf.int32, [None])
    g = tf.gather(p, idx, name="bad_gather")
    with tf.Session() as s:
        with pytest.raises(tf.errors.InvalidArgumentError) as info:
            s.run(g, {p: [1.0], idx: [3]})
    err = info.value
    assert err.op is g.op and err.error_code == tf.errors.INVALID_ARGUMENT
    assert "bad_gather" in str(err) and "test_session.py" in str(err)


def test_deadline_exceeded_and_session_still_usable(rtf):
    tf = rtf
    x = tf.constant(1.0)
    slow = tf.py_func(lambda v: (time.sleep(1.5), v)[1], [x], tf.float32)
    fast = x + 1.0
    with tf.Session() as s:
        start = time.perf_counter()
        with pytest.raises(tf.errors.DeadlineExceededError):
            s.run(slow, options=tf.RunOptions(timeout_in_ms=200))
        assert time.perf_counter() - start < 1.2
        assert s.run(fast) == 2.0


def test_operation_timeout_from_config(rtf):
    tf = rtf
    slow = tf.py_func(lambda: (time.sleep(1.0), np.float32(0))[1], [], tf.float32)
    with tf.Session(config=tf.ConfigProto(operation_timeout_in_ms=100)) as s:
        with pytest.raises(tf.errors.DeadlineExceededError):
            s.run(slow)


def test_dead_device_actor_is_unavailable(rtf):
    tf = rtf
    import ray
    x = tf.constant(1.0) + 1.0
    s = tf.Session()
    assert s.run(x) == 2.0
    (handle,) = s._runtime.client.handles.values()
    ray.kill(handle.actor)
    time.sleep(0.5)
    with pytest.raises(tf.errors.UnavailableError):
        s.run(x)
    s.close()


def test_dead_device_is_unavailable_when_a_new_signature_installs(rtf):
    tf = rtf
    import ray
    x = tf.placeholder(tf.float32, name="x")
    s = tf.Session()
    assert s.run(x + 1.0, {x: 1.0}) == 2.0
    (device, handle), = s._runtime.client.handles.items()
    ray.kill(handle.actor)
    time.sleep(0.5)
    with pytest.raises(tf.errors.UnavailableError, match=device):  # a plan not yet installed on it
        s.run(x * 2.0, {x: 1.0})
    s.close()


def test_close_releases_actors_and_is_idempotent(rtf):
    tf = rtf
    v = tf.Variable(3.0)
    s = tf.Session()
    s.run(v.initializer)
    client = s._runtime.client
    assert client.handles
    s.close()
    s.close()
    assert not client.handles
    with pytest.raises(RuntimeError):
        s.run(v)
    with tf.Session() as s2:  # a fresh session (perhaps on a recycled actor) starts empty
        with pytest.raises(tf.errors.FailedPreconditionError):
            s2.run(v)


def test_failure_on_one_device_aborts_the_others(rtf):
    tf = rtf
    with tf.device("/cpu:0"):
        bad = tf.py_func(lambda: (_ for _ in ()).throw(ValueError("boom")), [], tf.float32)
    with tf.device("/cpu:1"):
        waits = bad + 1.0
    with tf.Session(config=tf.ConfigProto(device_count={"CPU": 2})) as s:
        start = time.perf_counter()
        with pytest.raises(tf.errors.InvalidArgumentError):
            s.run(waits)
        assert time.perf_counter() - start < 5
        assert s.run(tf.constant(5.0)) == 5.0


def test_gpu_pinned_op_without_gpu(rtf):
    tf = rtf
    with tf.device("/gpu:0"):
        y = tf.constant(2.0) * 3.0
    with tf.Session() as s:
        with pytest.raises(tf.errors.InvalidArgumentError, match="Cannot assign a device"):
            s.run(y)
    with tf.Session(config=tf.ConfigProto(allow_soft_placement=True)) as s:
        assert s.run(y) == 6.0


def test_log_device_placement(rtf, capfd):
    tf = rtf
    y = tf.constant(1.0, name="c1") + 1.0
    with tf.Session(config=tf.ConfigProto(log_device_placement=True)) as s:
        s.run(y)
    captured = capfd.readouterr()
    assert "add: (AddV2): /job:localhost/replica:0/task:0/device:CPU:0" in captured.err
    assert "add: (AddV2): /job:localhost/replica:0/task:0/device:CPU:0" in captured.out  # TF's placer printf()s it


def test_partition_graphs_and_step_stats_fields(rtf):
    tf = rtf
    y = tf.matmul([[37.0, -23.0], [1.0, 4.0]], tf.random_uniform([2, 2], seed=3))
    with tf.Session() as s:
        options = tf.RunOptions(output_partition_graphs=True, trace_level=tf.RunOptions.FULL_TRACE)
        md = tf.RunMetadata()
        s.run(y, options=options, run_metadata=md)
    assert len(md.partition_graphs) == 1
    assert {n.op for n in md.partition_graphs[0].node} >= {"MatMul", "RandomUniform"}
    (dev,) = md.step_stats.dev_stats
    assert dev.device == "/job:localhost/replica:0/task:0/device:CPU:0"
    mm = [n for n in dev.node_stats if n.node_name == "MatMul"][0]
    assert mm.all_start_micros > 1.6e15 and mm.op_end_rel_micros >= mm.op_start_rel_micros
    assert mm.timeline_label.startswith("MatMul = MatMul(") and mm.thread_id > 0


def test_random_ops_advance_per_run_and_repeat_per_seeded_session(rtf):
    tf = rtf
    tf.set_random_seed(7)
    r = tf.random_uniform([4])
    with tf.Session() as s:
        a, b = s.run(r), s.run(r)
    with tf.Session() as s:
        c = s.run(r)
    assert not np.array_equal(a, b)
    assert np.array_equal(a, c)


def test_a_single_fetch_is_checked_as_one_in_a_list(rtf):
    """One tensor or op fetched alone takes a shorter path than a structure; it must not skip TF's checks:
    a cond's pivot is not fetchable, and another graph's tensor or op is no fetch of this session."""
    tf = rtf
    p = tf.placeholder(tf.bool, [])
    out = tf.cond(p, lambda: tf.constant(1.0), lambda: tf.constant(2.0))
    pivot = tf.get_default_graph().get_tensor_by_name("cond/switch_t:0")
    noop = tf.no_op()
    other = tf.Graph()
    with other.as_default():
        stranger, stranger_op = tf.constant(3.0), tf.no_op()
    with tf.Session() as s:
        for fetch in (pivot, [pivot], pivot.op):
            with pytest.raises(tf.errors.InaccessibleTensorError, match="cond/switch_t has been marked as not"):
                s.run(fetch, {p: True})
        for fetch in (stranger, stranger_op):
            with pytest.raises(ValueError, match="is not an element of this graph"):
                s.run(fetch)
        assert s.run(out, {p: True}) == 1.0 and s.run(noop) is None and s.run([out, noop], {p: False}) == [2.0, None]


def test_plans_are_cached_per_signature(rtf):
    tf = rtf
    x = tf.placeholder(tf.float32)
    y = x + 1.0
    with tf.Session() as s:
        s.run(y, {x: 1.0})
        s.run(y, {x: 2.0})
        s.run([y], {x: 2.0})
        assert len(s._plans) == 1
        s.run(y, {y: 5.0})
        assert len(s._plans) == 2


_CYCLE_AT_EXIT = """
import atexit, gc, sys, time
gc.disable()                # the only collection is the one at exit, after Ray's own atexit shutdown
atexit.register(gc.collect)
import raygraph as tf

def run_and_keep_error():
    sess = tf.Session()     # never closed
    bad = tf.py_func(lambda: (_ for _ in ()).throw(ValueError("boom")), [], tf.float32)
    try:
        sess.run(bad)
    except tf.errors.OpError as e:
        err = e             # err -> traceback -> this frame -> err (and sess): a reference cycle
    return None

run_and_keep_error()
print("ready", flush=True)
"""


def _live_processes_in_group(pgid):
    out = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open(f"/proc/{pid}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid and fields[0] != "Z":
                out.append(int(pid))
    return out


@contextlib.contextmanager
def _program_in_its_own_group(code):
    """A Python program (`code`) started in a process group of its own, on this checkout, with no RAY_ADDRESS
    (its own embedded runtime); whatever of the group is left at the end is killed."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([root, os.environ.get("PYTHONPATH", "")]))
    env.pop("RAY_ADDRESS", None)
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=root, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        yield proc
    finally:
        if proc.poll() is None or _live_processes_in_group(proc.pid):
            try:
                os.killpg(proc.pid, signal.SIGKILL)  # the child's own group: it and the Ray it started
            except ProcessLookupError:
                pass
            proc.wait()


def _assert_group_ends(pgid, message):
    """Nothing of process group `pgid` (an exited program's) is left within 5 s."""
    deadline = time.monotonic() + 5
    while _live_processes_in_group(pgid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _live_processes_in_group(pgid), message


def test_unclosed_session_in_a_cycle_does_not_block_exit():
    """A session found by the garbage collector after Ray shut down must not call into Ray (which would
    start a new runtime during finalization and block forever)."""
    with _program_in_its_own_group(_CYCLE_AT_EXIT) as proc:
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read()  # bounded by the run's own time
        start = time.monotonic()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pytest.fail("the process did not exit within 10 s of its last line")
        assert proc.returncode == 0, proc.stderr.read()
        assert time.monotonic() - start < 10
        _assert_group_ends(proc.pid, "a Ray runtime started by the process was left behind")


def test_tensors_between_devices_travel_over_links_not_the_object_store(rtf):
    """Values of every kind (large numeric buffers, strings, scalars), control tokens and a dead branch of a
    cond go from device to device over the devices' own links; no send falls back to Ray's object store."""
    import ray
    tf = rtf
    big = np.arange(1 << 17, dtype=np.float32).reshape(256, 512)  # 512 KiB: raw frames beside the pickle
    with tf.device("/cpu:0"):
        x = tf.placeholder(tf.float32, [256, 512])
        words = tf.constant([b"a", b"\x00bc", "ä".encode()])
        flag = tf.placeholder(tf.bool, [])
        first = tf.assign_add(tf.Variable(0.0), 1.0)
        doubled = x * 2.0
    with tf.device("/cpu:1"):
        total = tf.reduce_sum(doubled)
        joined = tf.identity(words)
        picked = tf.cond(flag, lambda: doubled[0, 1] + 1.0, lambda: doubled[0, 2] - 1.0)
        with tf.control_dependencies([first]):
            after = tf.constant(7.0) + 0.0
    with tf.Session(config=tf.ConfigProto(device_count={"CPU": 2})) as s:
        s.run(tf.global_variables_initializer())
        for f in (True, False):
            t, w, p, a = s.run([total, joined, picked, after], {x: big, flag: f})
            assert np.isclose(t, big.astype(np.float64).sum() * 2, rtol=1e-6)
            assert w.tolist() == [b"a", b"\x00bc", "ä".encode()]
            assert p == (3.0 if f else 3.0) and a == 7.0
        handles = s._runtime.client.handles.values()
        counts = [ray.get(h.actor.counters.remote()) for h in handles]
    # per step at least `doubled` and the control token of `first`
    assert sum(c["link_sends"] for c in counts) >= 4
    assert sum(c["ref_sends"] for c in counts) == 0


def test_an_unclosed_session_leaves_no_shared_memory_at_exit(tmp_path):
    """A script that feeds a large array through a session it never closes (a GCN program's `sess =
    tf.Session()`): at exit its step channel's shared-memory segment is unlinked, so Python's resource
    tracker reports no leaked shared_memory objects."""
    script = tmp_path / "unclosed.py"
    script.write_text(textwrap.dedent("""\
        import numpy as np
        import raygraph as tf
        p = tf.placeholder(tf.float32)
        sess = tf.Session()
        print(sess.run(tf.reduce_sum(p), {p: np.ones((1000, 1000), np.float32)}))
        """))
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = {k: v for k, v in os.environ.items() if k != "RAY_ADDRESS"}
    env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
    r = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=180,
                       check=False)
    assert r.returncode == 0 and float(r.stdout) == 1e6, r.stderr[-2000:]
    assert "leaked shared_memory" not in r.stderr, r.stderr[-2000:]


def test_starting_the_local_runtime_leaves_pythons_random_state_alone(tmp_path):
    """A program that seeds Python's `random` and then opens its first Session (MemN2N, NTM) draws the numbers
    it would under TF: starting the embedded Ray runtime does not advance the global generator."""
    script = tmp_path / "seeded.py"
    script.write_text(textwrap.dedent("""\
        import random
        import raygraph as tf
        random.seed(7)
        with tf.Session() as sess:
            sess.run(tf.constant(1.0))
        drawn = random.randrange(10 ** 6)
        random.seed(7)
        print(drawn == random.randrange(10 ** 6))
        """))
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = {k: v for k, v in os.environ.items() if k != "RAY_ADDRESS"}
    env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
    r = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=180,
                       check=False)
    assert r.returncode == 0 and r.stdout.strip() == "True", r.stderr[-2000:]


_MONITOR_AT_EXIT = """
import raygraph as tf
from scheduler import runtime
with tf.Session() as sess:
    sess.run(tf.constant(1.0))
monitor = runtime._monitor_process()
print(monitor.pid if monitor is not None else "none", flush=True)
"""


def _running(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_the_local_runtime_ends_at_exit_with_its_monitor_killed_first():
    """A program's embedded runtime ends with the program: raygraph finds the runtime's autoscaler monitor (which,
    sent SIGTERM after the GCS is gone, held every exit for Ray's grace second) and kills it, then shuts Ray
    down; nothing the program started is left, and nothing reports the monitor's end."""
    with _program_in_its_own_group(_MONITOR_AT_EXIT) as proc:
        line = proc.stdout.readline().strip()
        assert line.isdigit(), (line, proc.stderr.read()[-2000:])   # the monitor was found while the runtime ran
        proc.wait(timeout=60)
        err = proc.stderr.read()
        assert proc.returncode == 0, err[-2000:]
        assert "autoscaler" not in err.lower() and "Terminated with signal" not in err, err[-2000:]
        assert not _running(int(line)), "the monitor outlived the program"
        _assert_group_ends(proc.pid, "a Ray process started by the program was left behind")


_RAYLET_RETRIES = """
import raygraph as tf
from ray._private import worker
with tf.Session() as sess:
    sess.run(tf.constant(1.0))
    raylet, = worker._global_node.all_processes["raylet"]
    with open(f"/proc/{raylet.process.pid}/environ", "rb") as f:
        env = dict(item.split(b"=", 1) for item in f.read().split(b"\\0") if b"=" in item)
    print(*(env.get(key, b"-").decode() for key in (b"RAY_raylet_client_connect_timeout_milliseconds",
                                                    b"RAY_raylet_client_num_connect_attempts")), flush=True)
"""


def test_the_local_runtimes_processes_retry_connecting_to_a_socket_every_50_ms():
    """The embedded runtime's raylet (and every process it starts) retries a local socket that is not listening yet
    every 50 ms, 200 times, not every second 10 times (runtime.CONNECT_RETRIES): its object store, just started."""
    with _program_in_its_own_group(_RAYLET_RETRIES) as proc:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err[-2000:]
        assert out.split() == ["50", "200"], (out, err[-2000:])


def test_a_programs_own_connect_retries_are_kept():
    from scheduler import runtime
    env = {"RAY_raylet_client_num_connect_attempts": "7"}
    runtime.retry_connects_sooner(env)
    assert env == {"RAY_raylet_client_num_connect_attempts": "7"}
    env = {}
    runtime.retry_connects_sooner(env)
    assert env == runtime.CONNECT_RETRIES


def test_the_local_runtimes_devices_run_large_products_on_briefly_spinning_openblas_threads(tmp_path):
    """The embedded runtime's device actors start with OPENBLAS_THREAD_TIMEOUT set (scheduler/intra_op.py):
    their OpenBLAS threads sleep soon after a product, so large products may run on them."""
    script = tmp_path / "blas.py"
    script.write_text(textwrap.dedent("""\
        import os
        import numpy as np
        import raygraph as tf

        def probe(x):
            from scheduler import intra_op
            return np.array([len(intra_op._blas), int(os.environ["OPENBLAS_THREAD_TIMEOUT"])], np.int64)
        with tf.Session() as sess:
            print(*sess.run(tf.py_func(probe, [tf.constant(1.0)], tf.int64)))
        """))
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = {k: v for k, v in os.environ.items() if k not in ("RAY_ADDRESS", "OPENBLAS_THREAD_TIMEOUT")}
    env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
    r = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=180,
                       check=False)
    assert r.returncode == 0, r.stderr[-2000:]
    setters, spin = map(int, r.stdout.split())
    from scheduler import intra_op
    assert setters >= 1 and spin == intra_op.SPIN


def test_shapes_computed_from_a_batch_follow_its_size_from_step_to_step(rtf):
    """The shapes a gradient computes from a batch of unknown size are kept while the size stays (the
    device's Kept outputs): batches of 2, 3 and 2 rows still get their own mean's gradient and shapes."""
    tf = rtf
    x = tf.placeholder(tf.float32, [None, 3])
    w = tf.Variable(np.ones((3, 1), np.float32))
    loss = tf.reduce_mean(tf.matmul(x, w))
    grad, = tf.gradients(loss, [x])
    rows = tf.shape(x)[0] * 10
    with tf.Session() as s:
        s.run(w.initializer)
        for n in (2, 3, 3, 2, 5):
            g, r = s.run([grad, rows], {x: np.ones((n, 3), np.float32)})
            np.testing.assert_allclose(g, np.full((n, 3), 1 / n, np.float32))
            assert r == n * 10

"""Overlapped while-loop iterations (scheduler/iterations.py) on an in-process device with two threads: the same
values as one after another, stateful ops in iteration order, at most parallel_iterations in flight, a
failing op reported as itself, and the trace showing iterations overlap."""
import itertools

import numpy as np
import pytest

from raygraph.table import GraphTable
from scheduler import intra_op, iterations
from scheduler.channel import StepMessage
from scheduler.device import Device
from scheduler.plan import build_plan

_ids = itertools.count()
CPU0 = ("/job:localhost/replica:0/task:0/device:CPU:0", ("localhost", 0, 0, "CPU", 0))


@pytest.fixture
def device(monkeypatch):
    d = Device(CPU0[0], threads=2, blas_threads=2)
    yield d
    d.pool.shutdown()
    intra_op.enable(False)
    intra_op.configure(1)


class _Runner:
    """Steps of a graph on the in-process device, a plan per signature (as a session keeps them)."""

    def __init__(self, device, graph):
        self.device, self.graph, self.plans = device, graph, {}

    def __call__(self, fetches, targets=(), trace=False):
        """One step of `fetches` (tensors) after `targets` (ops); returns (values, reply)."""
        signature = (tuple((t.op.name, t.value_index) for t in fetches), tuple(op.name for op in targets))
        plan = self.plans.get(signature)
        if plan is None:
            table = GraphTable(self.graph).refresh()
            plan = self.plans[signature] = build_plan(table, list(signature[0]), list(signature[1]), [], [CPU0],
                                                      plan_id=f"p{next(_ids)}")
            self.device.install(plan.id, plan.partitions[CPU0[0]], {})
        reply = self.device.handle(StepMessage(kind="run", plan_id=plan.id, step_id=f"{plan.id}/{next(_ids)}",
                                               feeds={}, trace=trace, timeout=None))
        return [np.array(v) for v in reply.values or ()], reply  # (copies: in-process values may be live arrays)


def _both(tf, device, monkeypatch, build, targets=()):
    """The values of `build()`'s fetches run one after another and overlapped (fresh graph and device state)."""
    out = {}
    for mode in ("never", "always"):
        monkeypatch.setattr(iterations, "MODE", mode)
        tf.reset_default_graph()
        device.reset()
        fetches, init = build()
        run = _Runner(device, tf.get_default_graph())
        if init is not None:
            reply = run([], [init])[1]
            assert reply.kind == "ok", reply
        values, reply = run(fetches, targets)
        assert reply.kind == "ok", reply
        out[mode] = values
    return out["never"], out["always"]


def _heavy_loop(tf, n=6, size=160, parallel=4):
    """map_fn (a while loop) over n independent iterations, each a chain of 4 matmuls of size x size."""
    rng = np.random.default_rng(0)
    w = tf.constant((rng.standard_normal((size, size)) / np.sqrt(size)).astype(np.float32))
    x = tf.constant(rng.standard_normal((size, size)).astype(np.float32))

    def one(scale):
        h = x * scale
        for _ in range(4):
            h = tf.tanh(tf.matmul(h, w))
        return tf.reduce_sum(h)
    return tf.map_fn(one, tf.range(1.0, n + 1.0), parallel_iterations=parallel)


def test_overlapped_iterations_give_the_sequential_values_and_overlap_in_the_trace(tf, device, monkeypatch):
    one_by_one, overlapped = _both(tf, device, monkeypatch, lambda: ([_heavy_loop(tf)], None))
    np.testing.assert_array_equal(one_by_one[0], overlapped[0])
    monkeypatch.setattr(iterations, "MODE", "always")
    tf.reset_default_graph()
    out = _heavy_loop(tf, n=8, size=384)
    run = _Runner(device, tf.get_default_graph())
    for _ in range(3):
        _, reply = run([out], trace=True)
        assert reply.kind == "ok", reply
        events = sorted((start, end, thread) for name, op, start, end, thread in reply.stats if op == "MatMul")
        assert len(events) == 9 * 4  # every iteration's body ops (dead ones in the last, as TF1 traces them)
        if any(b[0] < a[1] and b[2] != a[2] for a, b in itertools.pairwise(events)):
            break
    else:
        pytest.fail("no two MatMuls of the loop ran at once")


def test_gradients_through_an_overlapped_loop_keep_the_stack_order(tf, device, monkeypatch):
    def build():
        w = tf.Variable(np.linspace(0.5, 1.5, 9, dtype=np.float32).reshape(3, 3))
        xs = tf.constant(np.arange(24, dtype=np.float32).reshape(6, 4) / 10)

        def body(i, h, acc):
            h = tf.tanh(tf.matmul(h, w) + tf.gather(xs, i)[None, :3] @ tf.ones([3, 3]))
            return i + 1, h, acc + tf.reduce_sum(h * tf.cast(i + 1, tf.float32))
        _, h, acc = tf.while_loop(lambda i, h, acc: i < 6, body, (0, tf.ones([2, 3]), 0.0), parallel_iterations=8)
        loss = acc + tf.reduce_sum(h)
        # (xs's gradient is IndexedSlices, as in TF: its rows are gathered in the loop)
        return [loss, *map(tf.convert_to_tensor, tf.gradients(loss, [w, xs]))], tf.global_variables_initializer()
    one_by_one, overlapped = _both(tf, device, monkeypatch, build)
    for a, b in zip(one_by_one, overlapped):
        np.testing.assert_allclose(np.asarray(a, np.float64), np.asarray(b, np.float64), rtol=1e-6)


def test_stateful_ops_run_once_per_iteration_in_order(tf, device, monkeypatch):
    def build():
        v = tf.Variable(0.0)
        q = tf.FIFOQueue(10, tf.int32, shapes=[[]])

        def body(i):
            with tf.control_dependencies([tf.assign_add(v, 1.0), q.enqueue(i * 10)]):
                return i + 1
        done = tf.while_loop(lambda i: i < 5, body, [0], parallel_iterations=5)
        init = tf.global_variables_initializer()
        with tf.control_dependencies([done]):
            return [v.read_value(), q.dequeue_many(5)], init
    one_by_one, overlapped = _both(tf, device, monkeypatch, build)
    assert one_by_one[0] == overlapped[0] == 5.0
    np.testing.assert_array_equal(overlapped[1], [0, 10, 20, 30, 40])


def test_nested_loops_and_a_cond_inside_give_the_sequential_values(tf, device, monkeypatch):
    def build():
        def inner(j, s):
            return j + 1, s + tf.cast(j, tf.float32)

        def body(i, total):
            _, s = tf.while_loop(lambda j, s: j < i, inner, (0, 0.0), parallel_iterations=3)
            step = tf.cond(i % 2 > 0, lambda: s * 2.0, lambda: s - 1.0)
            return i + 1, total + step
        _, total = tf.while_loop(lambda i, t: i < 7, body, (0, 0.0), parallel_iterations=4)
        return [total], None
    one_by_one, overlapped = _both(tf, device, monkeypatch, build)
    assert one_by_one == overlapped
    assert overlapped[0] == sum((sum(range(i)) * 2.0) if i % 2 else sum(range(i)) - 1.0 for i in range(7))


def test_at_most_parallel_iterations_are_in_flight(tf, device, monkeypatch):
    monkeypatch.setattr(iterations, "MODE", "always")
    seen = []
    started = iterations.Overlap._start

    def start(self, k, values):
        seen.append(self.in_flight)
        return started(self, k, values)
    monkeypatch.setattr(iterations.Overlap, "_start", start)
    out = _heavy_loop(tf, n=9, size=160, parallel=3)
    run = _Runner(device, tf.get_default_graph())
    for _ in range(2):  # (the device lets the loop use its second thread from the second step on)
        seen.clear()
        values, reply = run([out])
        assert reply.kind == "ok" and len(values[0]) == 9
    assert len(seen) == 10 and 1 <= max(seen) <= 2  # a new iteration starts with at most 2 others in flight


def test_a_failing_op_in_an_overlapped_iteration_names_the_op_and_the_device_goes_on(tf, device, monkeypatch):
    monkeypatch.setattr(iterations, "MODE", "always")

    def body(i):
        check = tf.Assert(i < 3, [i], name="small")
        with tf.control_dependencies([check]):
            return i + 1
    out = tf.while_loop(lambda i: i < 6, body, [0], parallel_iterations=4)
    run = _Runner(device, tf.get_default_graph())
    _, reply = run([out])
    assert reply.kind == "error" and reply.node == "while/small/Assert"
    good = tf.while_loop(lambda i: i < 6, lambda i: i + 2, [0], parallel_iterations=4)
    assert run([good])[0] == [6]


def test_a_loop_keeps_the_faster_way_and_many_short_nodes_never_overlap(tf, device):
    out = _heavy_loop(tf, n=2, size=8)
    plan = build_plan(GraphTable(tf.get_default_graph()).refresh(), [(out.op.name, 0)], [], [], [CPU0])
    (loop,) = [n.attrs["loop"] for n in plan.partitions[CPU0[0]].nodes if n.op_type == "_Loop"]
    intra_op.enable(True)  # (a step whose kernels may use the device's second thread)
    n = len(loop.part.nodes)

    def learn(one_by_one, overlapped):
        pace, ways = iterations.Pace(), []
        for _ in range(6):
            way = pace.overlap(loop)
            ways.append(way)
            pace.ran(way, overlapped if way else one_by_one, 1)
        return ways
    slow = iterations.MIN_NODE * n * 2  # seconds per iteration: heavy enough to try
    assert learn(slow, slow / 2) == [False, False, True, True, True, True]
    assert learn(slow, slow * 2) == [False, False, True, True, False, False]
    assert learn(iterations.MIN_NODE * n / 2, 0) == [False] * 6
    assert learn(iterations.MIN_ITERATION / 2, 0) == [False] * 6
    intra_op.enable(False)  # (no second thread: the loop never settles, and keeps no more timings)
    pace = iterations.Pace()
    for _ in range(100):
        pace.ran(pace.overlap(loop), slow, 1)
    assert pace.choice is None and len(pace.seconds[False]) == iterations.TRIES


def test_what_kernels_print_after_an_overlapped_loop_stays_in_the_steps_output(tf, device, monkeypatch):
    monkeypatch.setattr(iterations, "MODE", "always")

    def body(i):
        return tf.Print(i + 1, [i], message="in body ")
    out = tf.Print(tf.while_loop(lambda i: i < 3, body, [0], parallel_iterations=2), [7], message="after ")
    run = _Runner(device, tf.get_default_graph())
    for _ in range(2):  # (the second step runs in order: the device's own sink around the whole partition)
        values, reply = run([out])
        assert values == [3]
        printed = "".join(text for _, text in reply.output)
        assert printed.count("in body") == 3 and "after [7]" in printed

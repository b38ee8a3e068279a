"""Traced steps: RunMetadata's StepStats and partition graphs, and their Chrome trace (client.timeline).

The trace format itself is checked event for event against TensorFlow in tf_recorded/cases_io_timeline.py.
"""
import json

import numpy as np
import pytest

CPU0 = "/job:localhost/replica:0/task:0/device:CPU:0"
CPU1 = "/job:localhost/replica:0/task:0/device:CPU:1"


def two_device_step(tf):
    """a, b = a @ a on CPU:0; c = b + 1 and d (after b, a control edge) on CPU:1; run traced."""
    with tf.device("/cpu:0"):
        a = tf.constant([[1.0, 2.0], [3.0, 4.0]], name="a")
        b = tf.matmul(a, a, name="b")
    with tf.device("/cpu:1"):
        c = tf.add(b, 1.0, name="c")
        with tf.control_dependencies([b.op]):
            d = tf.identity(c, name="d")
    metadata = tf.RunMetadata()
    options = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE, output_partition_graphs=True)
    config = tf.ConfigProto(device_count={"CPU": 2})
    config.graph_options.optimizer_options.opt_level = tf.OptimizerOptions.L0  # no folding: b and c would be
    with tf.Session(config=config) as sess:
        value = sess.run(d, options=options, run_metadata=metadata)
    np.testing.assert_allclose(value, np.array([[7.0, 10.0], [15.0, 22.0]]) + 1)
    return metadata


@pytest.fixture(scope="module")
def metadata(ray_runtime):
    import raygraph as tf
    tf.reset_default_graph()
    try:
        return two_device_step(tf)
    finally:
        tf.reset_default_graph()


def _stats(metadata):
    return {dev.device: {ns.node_name: ns for ns in dev.node_stats} for dev in metadata.step_stats.dev_stats}


def test_step_stats_have_one_device_entry_per_device(metadata):
    stats = _stats(metadata)
    assert set(stats) == {CPU0, CPU1}
    assert "b" in stats[CPU0] and {"c", "d"} <= set(stats[CPU1])  # constants may be folded, untraced
    b = stats[CPU0]["b"]
    assert b.timeline_label == "b = MatMul(a, a)"
    assert stats[CPU1]["d"].timeline_label == "d = Identity(c, ^b)"
    assert b.all_start_micros > 0 and b.all_end_rel_micros >= 0
    assert b.all_start_nanos // 1000 == b.all_start_micros
    out = b.output[0].tensor_description
    assert [d.size for d in out.shape.dim] == [2, 2]
    assert out.allocation_description.requested_bytes == 16


def test_partition_graphs_pair_sends_with_receives(metadata):
    parts = {p.node[0].device: {n.name: n for n in p.node} for p in metadata.partition_graphs}
    assert set(parts) == {CPU0, CPU1}
    sends = {n.attr["tensor_name"].s: n for n in parts[CPU0].values() if n.op == "_Send"}
    recvs = {n.attr["tensor_name"].s: n for n in parts[CPU1].values() if n.op == "_Recv"}
    assert sends.keys() == recvs.keys() and len(sends) == 2  # b's value, and b's control edge
    data = next(s for s in sends.values() if s.input[0] == "b")
    recv = recvs[data.attr["tensor_name"].s]
    assert data.attr["recv_device"].s.decode() == CPU1 and recv.attr["send_device"].s.decode() == CPU0
    assert list(parts[CPU1]["c"].input) == [recv.name, "c/y"]
    control_recv = next(r for r in recvs.values() if r is not recv)
    assert "^" + control_recv.name in parts[CPU1]["d"].input


def test_chrome_trace_of_a_two_device_run(metadata):
    import raygraph as tf
    trace = json.loads(tf.client.timeline.Timeline(metadata.step_stats).generate_chrome_trace_format())
    events = trace["traceEvents"]
    rows = {e["args"]["name"]: e["pid"] for e in events if e["name"] == "process_name"}
    assert {CPU0 + " Compute", CPU1 + " Compute"} <= set(rows)
    ops = {e["args"]["name"]: e for e in events if e["ph"] == "X"}
    assert ops["b"]["pid"] == rows[CPU0 + " Compute"] and ops["c"]["pid"] == rows[CPU1 + " Compute"]
    assert ops["c"]["args"]["input0"] == "b"
    starts = {e["id"]: e for e in events if e["ph"] == "s" and e["name"] == "b"}
    ends = [e for e in events if e["ph"] == "t" and e["id"] in starts]
    assert any(e["pid"] == rows[CPU1 + " Compute"] and starts[e["id"]]["pid"] == rows[CPU0 + " Compute"]
               for e in ends)


def test_untraced_runs_leave_step_stats_empty(rtf):
    tf = rtf
    metadata = tf.RunMetadata()
    with tf.Session() as sess:
        sess.run(tf.constant(1.0) + 1.0, options=tf.RunOptions(), run_metadata=metadata)
    assert not metadata.step_stats.dev_stats and not metadata.partition_graphs

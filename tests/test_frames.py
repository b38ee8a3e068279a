"""While loops in the engine (scheduler/frames.py): a frame becomes one loop node whose body runs in the device;
TF-written GraphDefs with frames import and run; a failing op inside a body is reported as itself."""
import os

import numpy as np
import pytest
from tensorboard.compat.proto import graph_pb2

from raygraph import errors
from raygraph.importer import import_graph_def
from raygraph.table import GraphTable
from scheduler.partition import check_partition
from scheduler.plan import PlanError, build_plan

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures")
CPU = [("/job:localhost/replica:0/task:0/device:CPU:0", ("localhost", 0, 0, "CPU", 0))]


def test_a_frame_becomes_one_loop_node(tf):
    x = tf.constant(2.0)
    _, a = tf.while_loop(lambda i, a: i < 3, lambda i, a: (i + 1, a * x), [0, 1.0])
    plan = build_plan(GraphTable(tf.get_default_graph()).refresh(), [(a.op.name, 0)], [], [], CPU)
    (part,) = plan.partitions.values()
    check_partition(part)
    loops = [n for n in part.nodes if n.op_type == "_Loop"]
    assert [n.name for n in loops] == ["while/while_context"]
    body = loops[0].attrs["loop"].part
    check_partition(body)
    assert {"while/mul", "while/add", "while/LoopCond"} <= {n.name for n in body.nodes}
    assert not any(n.name.startswith("while/") and n.name != "while/Exit_1" and n not in loops for n in part.nodes)


CPU1 = ("/job:localhost/replica:0/task:0/device:CPU:1", ("localhost", 0, 0, "CPU", 1))


def test_a_loop_runs_where_its_stateful_ops_are_and_its_stateless_ops_pinned_elsewhere_follow(rtf):
    tf = rtf
    with tf.device("/cpu:1"):
        scale = tf.Variable(2.0)
        count = tf.Variable(0.0)
    with tf.device("/cpu:0"):
        def body(i, x):
            with tf.device("/cpu:0"):
                j = i + 1
            with tf.device("/cpu:1"):
                y = x * scale  # a read of a variable from another device, in the body
            with tf.control_dependencies([tf.assign_add(count, 1.0)]):  # colocated with count: cpu:1
                return j, y + 0.0
        i, x = tf.while_loop(lambda i, x: i < 5, body, [tf.constant(0), tf.constant(1.0)])
    plan = build_plan(GraphTable(tf.get_default_graph()).refresh(), [(x.op.name, 0)], [], [], CPU + [CPU1])
    (loop_device,) = [d for d, p in plan.partitions.items() if any(n.op_type == "_Loop" for n in p.nodes)]
    assert loop_device == CPU1[0]
    with tf.Session(config=tf.ConfigProto(device_count={"CPU": 2})) as s:
        s.run(tf.global_variables_initializer())
        assert s.run([i, x]) == [5, 32.0]
        assert s.run(count) == 5.0


def test_a_loop_whose_stateful_ops_ask_for_two_devices_is_refused(tf):
    with tf.device("/cpu:0"):
        a = tf.Variable(0.0)
    with tf.device("/cpu:1"):
        b = tf.Variable(0.0)

    def body(i):
        with tf.control_dependencies([tf.assign_add(a, 1.0), tf.assign_add(b, 1.0)]):
            return i + 1
    out = tf.while_loop(lambda i: i < 3, body, [0])
    with pytest.raises(PlanError, match="different devices"):
        build_plan(GraphTable(tf.get_default_graph()).refresh(), [(out.op.name, 0)], [], [], CPU + [CPU1])


def test_tf_written_while_loops_import_and_run(rtf):
    tf = rtf
    with open(os.path.join(FIXTURES, "while_loops.pb"), "rb") as f:
        gd = graph_pb2.GraphDef.FromString(f.read())
    import_graph_def(gd, name="")
    with tf.Session() as s:
        out = s.run(["out:0", "out_nested:0"], {"x:0": 1.5})
    np.testing.assert_allclose(out, [15.71875, 6.0])  # TensorFlow's results (tests/fixtures, made by TF 2.21)


def test_failing_assert_in_a_body_names_the_op_and_the_session_goes_on(rtf):
    tf = rtf
    v = tf.Variable(0)
    k = tf.placeholder(tf.int32, [])

    def body(i):
        check = tf.Assert(tf.not_equal(i, k), [i], name="check")
        with tf.control_dependencies([check]):
            with tf.control_dependencies([tf.assign_add(v, 1)]):
                return i + 1
    r = tf.while_loop(lambda i: i < 5, body, [0])
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        with pytest.raises(errors.InvalidArgumentError) as e:
            s.run(r, {k: 3})
        assert "while/check" in str(e.value)
        assert s.run(v) == 3  # iterations 0..2 ran their assign_add, as in TF
        assert s.run(r, {k: 7}) == 5 and s.run(v) == 8


def test_printed_output_in_a_body_reaches_the_client(rtf, capfd):
    tf = rtf
    r = tf.while_loop(lambda i: i < 3, lambda i: tf.Print(i + 1, [i], message="it "), [0])
    with tf.Session() as s:
        assert s.run(r) == 3
    err = capfd.readouterr().err
    assert "it [0]" in err and "it [2]" in err

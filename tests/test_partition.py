"""Partition records: the checker catches hand-broken partitions, the printer shows one line per node."""
import dataclasses

import pytest

from scheduler.partition import Node, Partition, PartitionError, check_partition, format_node
from scheduler.plan import NodeSpec, build_plan

CPU0 = ("/job:localhost/replica:0/task:0/device:CPU:0", ("localhost", 0, 0, "CPU", 0))
CPU1 = ("/job:localhost/replica:0/task:0/device:CPU:1", ("localhost", 0, 0, "CPU", 1))


def _add(at, *xs):
    return sum(xs)


def _node(name, inputs, outputs, **more):
    return Node(name=name, op_type="AddV2", kernel=_add, inputs=tuple(inputs), outputs=tuple(outputs), **more)


def _chain(**changes):
    """x (fed, s0) -> a = x + 1 (s2, with the constant s1) -> b = a + a (s3), fetched."""
    fields = {"nodes": [_node("a", [0, 1], [2]), _node("b", [2, 2], [3])], "deps": [(), (0,)], "n_slots": 4,
              "feeds": {("x", 0): 0}, "consts": {1: 1}, "fetches": (3,)}
    return Partition(**{**fields, **changes})


def test_a_well_formed_partition_passes():
    check_partition(_chain())


def test_reading_a_slot_nothing_fills_names_the_node():
    part = _chain(feeds={})
    with pytest.raises(PartitionError, match="input 0 of node a reads slot s0, which nothing fills") as info:
        check_partition(part)
    assert info.value.node == "a"


def test_reading_a_node_output_without_waiting_for_it():
    with pytest.raises(PartitionError, match="node b reads slot s2 of node a without waiting"):
        check_partition(_chain(deps=[(), ()]))


def test_a_cycle_of_waits_is_reported():
    with pytest.raises(PartitionError, match="form a cycle"):
        check_partition(_chain(deps=[(1,), (0,)]))


def test_a_slot_filled_twice_and_out_of_range_slots():
    with pytest.raises(PartitionError, match="filled twice"):
        check_partition(_chain(consts={1: 1, 0: 5}))
    with pytest.raises(PartitionError, match="out of range"):
        check_partition(_chain(n_slots=3, fetches=()))


def test_counts_that_do_not_match_the_nodes():
    part = _chain()
    part.readers[2] = 1  # b reads s2 twice
    with pytest.raises(PartitionError, match="reader counts"):
        check_partition(part)
    part = _chain()
    part.initial_waiting[1] = 0
    with pytest.raises(PartitionError, match="node b waits for 0 nodes"):
        check_partition(part)


def test_a_receive_needs_its_pseudo_node():
    recv = Node(name="_recv/k", op_type="_Recv", kernel=None, outputs=(0,))
    good = Partition(nodes=[recv, _node("use", [0], [1])], deps=[(), (0,)], n_slots=2, recvs={"k": 0},
                     recv_nodes={"k": 0}, fetches=(1,))
    check_partition(good)
    with pytest.raises(PartitionError, match="the receive of 'k' has no pseudo-node"):
        check_partition(dataclasses.replace(good, recv_nodes={"k": 1}))


def test_controls_must_be_waited_for():
    part = _chain(nodes=[_node("a", [0, 1], [2]), _node("b", [2, 2], [3], controls=(0,))])
    check_partition(part)
    with pytest.raises(PartitionError, match="control inputs"):
        check_partition(_chain(nodes=[_node("a", [0, 1], [2], controls=(1,)), _node("b", [2, 2], [3])]))


def test_records_are_frozen_and_built_by_keyword():
    node = _node("a", [0], [1])
    with pytest.raises(dataclasses.FrozenInstanceError):
        node.inputs = (2,)
    with pytest.raises(TypeError):
        Node("a", "AddV2", _add)  # positional construction is refused
    with pytest.raises(ValueError, match="unknown role"):
        NodeSpec(name="x", op_type="X", role="loop")


def test_printer_shows_feeds_constants_nodes_and_fetches():
    text = str(_chain())
    assert text.splitlines() == [
        "feed ('x', 0) -> s0",
        "const s1 = 1",
        "[0] a: s2 = AddV2(s0, s1)",
        "[1] b: s3 = AddV2(s2, s2) waits [0]",
        "fetch s3",
    ]
    assert format_node(Node(name="n", op_type="NoOp", kernel=_add, controls=(0,), role="pass_through"), (0,)) == \
        "n: NoOp() waits [0] (controls [0]; pass_through)"


def test_printer_shows_sends_and_receives_of_a_planned_step():
    t = {"x": NodeSpec(name="x", op_type="Const", kernel=lambda at: 2, device=(None, None, None, "CPU", 1)),
         "y": NodeSpec(name="y", op_type="Neg", kernel=lambda at, x: -x, inputs=(("x", 0),),
                       device=(None, None, None, "CPU", 0))}
    plan = build_plan(t, [("y", 0)], [], [], [CPU0, CPU1])
    assert str(plan.partitions[CPU1[0]]).splitlines() == ["[0] x: s0 = Const()", f"send s0 -> 'x:0' to {CPU0[0]}"]
    assert str(plan.partitions[CPU0[0]]).splitlines() == [
        "recv 'x:0' -> s0 (node 0)", "[1] y: s1 = Neg(s0) waits [0]", "fetch s1"]
    for part in plan.partitions.values():
        check_partition(part)


def test_planning_checks_partitions_when_asked(monkeypatch):
    """With RAYGRAPH_CHECK_PLANS=1 (as in this suite) a broken partition fails planning, printed."""
    import scheduler.plan as plan_module
    monkeypatch.setenv("RAYGRAPH_CHECK_PLANS", "1")

    def broken(part):
        raise PartitionError("input 0 of node y reads slot s9, which nothing fills", "y")
    monkeypatch.setattr(plan_module, "check_partition", broken)
    t = {"y": NodeSpec(name="y", op_type="Neg", kernel=lambda at: 1)}
    with pytest.raises(PartitionError, match="(?s)is broken: input 0 of node y.*y: s0 = Neg()"):
        build_plan(t, [("y", 0)], [], [], [CPU0])
    monkeypatch.setenv("RAYGRAPH_CHECK_PLANS", "0")
    build_plan(t, [("y", 0)], [], [], [CPU0])

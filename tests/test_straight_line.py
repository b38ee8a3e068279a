"""The in-order runner (scheduler/straight_line.py): partitions compiled to straight-line functions give
the threaded executor's results, deadness and errors."""
import pickle

import pytest

from scheduler.executor import StepError, run_step
from scheduler.partition import Node, Partition
from scheduler.resources import DEAD, VariableRef
from scheduler.straight_line import compile_partition, run_in_order


def _node(name, kernel, inputs, outputs, **kw):
    return Node(name=name, op_type=name, kernel=kernel, inputs=tuple(inputs), outputs=tuple(outputs), **kw)


def _both(part, feeds, res_for=None):
    """The in-order result, checked against the executor's."""
    got = run_in_order(part, feeds, res_for)
    assert got == run_step(part, feeds, res_for)[0]
    return got


def test_a_diamond_with_a_two_output_node_and_a_constant():
    nodes = [_node("split", lambda at, x: (x + 1, x * 2), [0], [1, 2]),
             _node("c", lambda at, a, b, k: a + b + k, [1, 2, 4], [3])]
    part = Partition(nodes=nodes, deps=[(), (0,)], n_slots=5, feeds={"x": 0}, fetches=[3, 1], consts={4: 100})
    assert _both(part, {"x": 3}) == [110, 4]
    assert part.compiled.run is not None  # compiled once, kept on the partition
    assert _both(part, {"x": 0}) == [101, 1]


def test_deadness_follows_inputs_merges_and_dead_control_inputs():
    switch = _node("switch", lambda at, x, p: (DEAD, x) if p else (x, DEAD), [0, 1], [2, 3], role="switch")
    neg = _node("neg", lambda at, x: -x, [2], [4], conditional=True)
    inc = _node("inc", lambda at, x: x + 1, [3], [5], conditional=True)
    merge = _node("merge", lambda at, *xs: next(x for x in xs if x is not DEAD), [4, 5], [6], conditional=True,
                  role="merge")
    after_neg = _node("after_neg", lambda at: "ran", [], [7], conditional=True, controls=(1,))  # waits on `neg`
    part = Partition(nodes=[switch, neg, inc, merge, after_neg], deps=[(), (0,), (0,), (1, 2), (1,)], n_slots=8,
                     feeds={"x": 0, "p": 1}, fetches=[6, 4, 5, 7])
    assert _both(part, {"x": 5, "p": False}) == [-5, -5, DEAD, "ran"]
    assert _both(part, {"x": 5, "p": True}) == [6, DEAD, 6, DEAD]


def test_a_failing_kernel_is_named_and_later_nodes_do_not_run():
    ran = []
    nodes = [_node("ok", lambda at, x: x, [0], [1]), _node("bad", lambda at, x: 1 / 0, [1], [2]),
             _node("after", lambda at, x: ran.append(x), [2], [])]
    part = Partition(nodes=nodes, deps=[(), (0,), (1,)], n_slots=3, feeds={"x": 0}, fetches=[1])
    with pytest.raises(StepError) as info:
        run_in_order(part, {"x": 1}, None)
    assert info.value.node_name == "bad" and isinstance(info.value.error, ZeroDivisionError) and ran == []


def test_stateful_kernels_get_their_binding_and_refs_are_read_where_wanted():
    class Box(VariableRef):
        __slots__ = ("value",)

        def __init__(self, value):
            self.value = value

        def read(self):
            return self.value
    bump = _node("bump", lambda at, binding, x: binding + x, [0], [1], stateful=True, deref=(0,))
    keep = _node("keep", lambda at, x: x, [0], [2])
    part = Partition(nodes=[bump, keep], deps=[(), ()], n_slots=3, feeds={"v": 0}, fetches=[1, 2], fetch_deref=(1,))
    got = run_in_order(part, {"v": Box(21)}, lambda node: 1000)
    assert got == [1021, 21]


def test_a_compiled_partition_pickles_without_its_function():
    nodes_free = Partition(nodes=[], deps=[], n_slots=1, feeds={"x": 0}, fetches=[0])
    nodes_free.compiled.run = compile_partition(nodes_free)
    copy = pickle.loads(pickle.dumps(nodes_free))
    assert copy.compiled.run is None and run_in_order(copy, {"x": 7}, None) == [7]

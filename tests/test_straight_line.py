"""The in-order runner (scheduler/straight_line.py): partitions compiled to straight-line functions give
the threaded executor's results, deadness and errors."""
import collections
import pickle

import numpy as np
import pytest

from scheduler.executor import StepError, run_step
from scheduler.partition import INPUTS, SHAPES, Kept, Node, Partition
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


class _Counted:
    """A kernel that counts its runs in `calls` (picklable, unlike a closure)."""

    def __init__(self, calls, name, fn):
        self.calls, self.name, self.fn = calls, name, fn

    def __call__(self, at, *xs):
        self.calls[self.name] += 1
        return self.fn(*xs)


def _shape_of(x):
    return np.array(x.shape)


def _kept_partition(calls):
    """x -> shape(x) (kept by shape) -> a table of halves of that shape (kept: a shape and a constant) ->
    x times the table (reads the feed: runs every time)."""
    nodes = [_node("shape", _Counted(calls, "shape", _shape_of), [0], [1], keep=SHAPES),
             _node("table", _Counted(calls, "table", np.full), [1, 2], [3], keep=INPUTS),
             _node("scale", _Counted(calls, "scale", np.multiply), [0, 3], [4], keep=INPUTS)]
    return Partition(nodes=nodes, deps=[(), (0,), (1,)], n_slots=5, feeds={"x": 0}, fetches=[4, 3],
                     consts={2: np.float32(0.5)})


def test_outputs_are_kept_while_the_shapes_they_come_from_stay():
    calls = collections.Counter()
    part = _kept_partition(calls)
    assert [k is not None for k in part.kept] == [True, True, False]  # `scale` reads the feed
    for rows in (2, 2, 3, 2):
        x = np.arange(rows * 3, dtype=np.float32).reshape(rows, 3)
        scaled, table = run_in_order(part, {"x": x}, None)
        np.testing.assert_array_equal(scaled, x / 2)
        np.testing.assert_array_equal(table, np.full((rows, 3), 0.5, np.float32))
    assert calls == {"shape": 3, "table": 3, "scale": 4}  # the second run of 2 rows kept them
    got = run_step(part, {"x": np.ones((2, 3), np.float32)}, None)[0]  # the executor keeps them too
    np.testing.assert_array_equal(got[0], np.full((2, 3), 0.5))
    assert calls == {"shape": 3, "table": 3, "scale": 5}


def test_a_node_on_constants_alone_is_not_kept():
    """Planning folds what it may; one it left (a fetched read of a file by a constant name) runs each step."""
    calls = collections.Counter()
    nodes = [_node("read", _Counted(calls, "read", np.negative), [0], [1], keep=INPUTS)]
    part = Partition(nodes=nodes, deps=[()], n_slots=2, fetches=[1], consts={0: np.float32(2)})
    for _ in range(2):
        assert run_in_order(part, {}, None) == [-2]
    assert part.kept == (None,) and calls == {"read": 2}


def test_outputs_larger_than_the_limit_are_not_kept(monkeypatch):
    monkeypatch.setattr(Kept, "LARGEST", 16)   # bytes: a table of 2 x 3 floats (24) is too large
    calls = collections.Counter()
    part = _kept_partition(calls)
    for _ in range(3):
        run_in_order(part, {"x": np.ones((2, 3), np.float32)}, None)
    assert calls == {"shape": 1, "table": 3, "scale": 3}


def test_a_partition_travels_without_what_it_kept():
    part = _kept_partition(collections.Counter())
    run_in_order(part, {"x": np.ones((2, 3), np.float32)}, None)
    assert part.kept[0].last is not None
    copy = pickle.loads(pickle.dumps(part))
    assert [k.last for k in copy.kept if k is not None] == [None, None]


def test_a_node_that_may_reuse_an_input_gets_only_one_a_fresh_node_made_and_no_one_else_reads():
    """`reuse` nodes learn (attrs["into"]) of an input whose value a `fresh` node made, not kept from run to run,
    read by no other node, not fetched: its buffer may take their output."""
    from scheduler.straight_line import _donors
    seen = []

    def reuser(at, a, b):
        seen.append(at.get("into"))
        return a + b
    nodes = [_node("fresh", lambda at, x: x * 2, [0], [1], fresh=True),
             _node("fresh2", lambda at, x: x * 3, [0], [2], fresh=True),
             _node("plain", lambda at, x: x + 0, [0], [3]),
             _node("kept", lambda at, x: x * 5, [0], [8], fresh=True, keep=SHAPES),
             _node("fetched", lambda at, x: x * 7, [0], [9], fresh=True),
             _node("r1", reuser, [3, 1], [4], reuse=True),     # slot 1: fresh, read once -> input 1
             _node("r2", reuser, [3, 2], [5], reuse=True),     # slot 3 is not fresh, slot 2 read twice
             _node("r3", lambda at, x: -x, [2], [6]),
             _node("r4", reuser, [8, 9], [7], reuse=True),     # kept from run to run; fetched
             _node("r5", lambda at, x: -x, [3], [10], fresh=True)]
    part = Partition(nodes=nodes, deps=[(), (), (), (), (), (0, 2), (1, 2), (1,), (3, 4), (2,)], n_slots=11,
                     feeds={"x": 0}, fetches=[4, 5, 6, 7, 9, 10])
    assert _donors(part) == {5: 1}
    assert run_in_order(part, {"x": 1}, None) == [3, 4, -3, 12, 7, -1]
    assert seen == [1, None, None]

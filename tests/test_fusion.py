"""Plan-time rewrites: constant folding, CSE and the fusion of elementwise regions (optimize.py, fusion.py).

The first half plans hand-written node tables (no graph, no Ray); the second runs sessions and checks
that fused and unfused steps give the same numbers, and what traces and partition graphs show."""
import dataclasses

import numpy as np
import pytest

from scheduler.executor import Step, run_inline, run_step
from scheduler.fusion import FUSED_OP
from scheduler.optimize import (MINUS, PLUS, REAL_DIVIDE, RECIPROCAL, REWRITTEN, TIMES, Algebra, Optimizations,
                                from_config)
from scheduler.partition import CONSTANT, check_partition
from scheduler.plan import NodeSpec, build_plan

CPU0 = ("/job:localhost/replica:0/task:0/device:CPU:0", ("localhost", 0, 0, "CPU", 0))
CPU1 = ("/job:localhost/replica:0/task:0/device:CPU:1", ("localhost", 0, 0, "CPU", 1))
ALL = Optimizations()
NONE = Optimizations(fold_constants=False, eliminate_common=False, fuse=False)


def const(name, value, **more):
    return NodeSpec(name=name, op_type="Const", kernel=lambda a: a["value"], attrs={"value": np.asarray(value)},
                    role=CONSTANT, pure=True, **more)


def ew(name, fn, *inputs, **more):
    """An elementwise node computing fn(*inputs)."""
    return NodeSpec(name=name, op_type="Ew", kernel=lambda a, *xs: fn(*xs), inputs=tuple((i, 0) for i in inputs),
                    elementwise=True, pure=True, **more)


def other(name, fn, *inputs, stateful=False, **more):
    kernel = (lambda a, res, *xs: fn(*xs)) if stateful else (lambda a, *xs: fn(*xs))
    return NodeSpec(name=name, op_type="Other", kernel=kernel, inputs=tuple((i, 0) for i in inputs),
                    stateful=stateful, pure=not stateful, **more)


def feed(name):
    return NodeSpec(name=name, op_type="Placeholder", kernel=None, role="must_feed")


def table(*specs):
    return {s.name: s for s in specs}


def run(plan, feeds, device=CPU0[0]):
    part = plan.partitions[device]
    check_partition(part)
    values, _ = run_step(part, feeds, lambda node: None, run_inline)
    return values


def kernels(plan, device=CPU0[0]):
    return [n.op_type for n in plan.partitions[device].nodes if n.kernel is not None]


# ----- fusion -------------------------------------------------------------------------------------------
def test_a_chain_becomes_one_fused_node_with_the_same_values():
    t = table(feed("x"), ew("a", np.tanh, "x"), ew("b", lambda v: v * 2, "a"), ew("c", lambda v: v + 1, "b"))
    x = np.linspace(-1, 1, 5).astype(np.float32)
    fused = build_plan(t, [("c", 0)], [], [("x", 0)], [CPU0], optimizations=ALL)
    plain = build_plan(t, [("c", 0)], [], [("x", 0)], [CPU0], optimizations=NONE)
    assert kernels(fused) == [FUSED_OP] and kernels(plain) == ["Ew"] * 3
    assert fused.partitions[CPU0[0]].nodes[0].attrs["fused_ops"] == ("a", "b", "c")
    np.testing.assert_array_equal(run(fused, {("x", 0): x})[0], run(plain, {("x", 0): x})[0])


def test_values_needed_outside_a_region_are_its_outputs():
    t = table(feed("x"), ew("a", np.exp, "x"), ew("b", lambda v: v * 2, "a"), other("s", np.sum, "a"),
              ew("c", lambda v, s: v + s, "b", "s"))
    x = np.arange(3, dtype=np.float32)
    plan = build_plan(t, [("b", 0), ("c", 0)], [], [("x", 0)], [CPU0], optimizations=ALL)
    b, c = run(plan, {("x", 0): x})
    np.testing.assert_allclose(b, np.exp(x) * 2)
    np.testing.assert_allclose(c, np.exp(x) * 2 + np.exp(x).sum())
    # c needs s, which needs a: c cannot join a's region (a cycle through s); a and b fuse, b fetched
    part = plan.partitions[CPU0[0]]
    assert [n.attrs.get("fused_ops") for n in part.nodes] == [("a", "b"), None, None]
    assert len(part.nodes[0].outputs) == 2


def test_sibling_regions_merge_when_they_meet():
    t = table(feed("x"), ew("a", np.tanh, "x"), ew("b", np.exp, "x"), ew("c", np.add, "a", "b"))
    plan = build_plan(t, [("c", 0)], [], [("x", 0)], [CPU0], optimizations=ALL)
    assert kernels(plan) == [FUSED_OP]
    x = np.ones(2, np.float32)
    np.testing.assert_allclose(run(plan, {("x", 0): x})[0], np.tanh(x) + np.exp(x))


def test_regions_that_would_wait_for_each_other_are_not_made():
    # a1 -> o1 -> b2 and b1 -> o2 -> a2: {a1, a2} and {b1, b2} are each convex, but would wait for each other
    t = table(feed("x"), ew("a1", np.tanh, "x"), ew("b1", np.exp, "x"), other("o1", np.negative, "a1"),
              other("o2", np.negative, "b1"), ew("b2", np.add, "b1", "o1"), ew("a2", np.add, "a1", "o2"),
              ew("out", np.multiply, "a2", "b2"))
    x = np.linspace(0, 1, 4)
    plan = build_plan(t, [("out", 0)], [], [("x", 0)], [CPU0], optimizations=ALL)
    want = (np.tanh(x) - np.exp(x)) * (np.exp(x) - np.tanh(x))
    np.testing.assert_allclose(run(plan, {("x", 0): x})[0], want)
    assert FUSED_OP in kernels(plan)


def test_values_sent_to_another_device_stay_visible():
    t = table(feed("x"), ew("a", np.tanh, "x", device=CPU0[1]), ew("b", lambda v: v * 3, "a", device=CPU0[1]),
              other("remote", lambda v: v + 100, "a", device=CPU1[1]))
    plan = build_plan(t, [("b", 0), ("remote", 0)], [], [("x", 0)], [CPU0, CPU1], optimizations=ALL)
    part = plan.partitions[CPU0[0]]
    assert kernels(plan) == [FUSED_OP]
    sent = [slot for slot, keys in part.sends.items() if "a:0" in keys]
    assert sent and sent[0] in part.nodes[0].outputs
    check_partition(plan.partitions[CPU1[0]])


def test_a_failing_member_is_reported_as_itself():
    def boom(v):
        raise ValueError("bad value")
    t = table(feed("x"), ew("a", np.tanh, "x"), ew("b", boom, "a"), ew("c", np.exp, "b"))
    plan = build_plan(t, [("c", 0)], [], [("x", 0)], [CPU0], optimizations=ALL)
    step = Step(plan.partitions[CPU0[0]], lambda node: None, {("x", 0): np.ones(2)})
    run_inline(step, plan.partitions[CPU0[0]].roots)
    assert step.error.node_name == "b" and "bad value" in str(step.error.error)


def test_stateful_and_non_elementwise_nodes_are_not_fused():
    t = table(feed("x"), ew("a", np.tanh, "x"), other("st", np.exp, "a", stateful=True, elementwise=True),
              ew("b", np.exp, "st"))
    plan = build_plan(t, [("b", 0)], [], [("x", 0)], [CPU0], optimizations=ALL)
    assert kernels(plan) == ["Ew", "Other", "Ew"]


# ----- remapping (an op and the consumer its entry names, one node) ---------------------------------------------
def _remap_table(rule_kernel, consumer_reads="x", **producer):
    """x, y fed; p = x * y (whose entry remaps a C reading p and x); c = p - x; d = c + 1."""
    from raygraph.ops.registry import Remap
    rule = Remap("C", at=0, same=((1, 0),), kernel=rule_kernel)
    return table(feed("x"), feed("y"), other("p", lambda x, y: x * y, "x", "y", remaps=(rule,), **producer),
                 NodeSpec(name="c", op_type="C", kernel=lambda a, v, x: v - x, inputs=(("p", 0), (consumer_reads, 0)),
                          pure=True),
                 other("d", lambda v: v + 1, "c"))


XY = {("x", 0): np.array([1.0, 2.0, 3.0]), ("y", 0): np.array([4.0, 5.0, 6.0])}


@pytest.mark.parametrize("applies", [True, False])
def test_an_op_and_the_consumer_its_entry_remaps_run_as_one_node(applies):
    """The merged node has the consumer's name and place and reads the producer's inputs; it runs the rule's
    kernel, or (where that gives None) the two kernels, with the unmerged values."""
    calls = []
    def both(a, consumer_attrs, x, y):
        calls.append((x.tolist(), y.tolist()))
        return x * y - x if applies else None
    t = _remap_table(both)
    merged = build_plan(t, [("d", 0)], [], [("x", 0), ("y", 0)], [CPU0], optimizations=ALL)
    plain = build_plan(t, [("d", 0)], [], [("x", 0), ("y", 0)], [CPU0], optimizations=NONE)
    part = merged.partitions[CPU0[0]]
    assert kernels(merged) == ["_FusedOther", "Other"] and kernels(plain) == ["Other", "C", "Other"]
    node = part.nodes[0]
    assert node.name == "c" and node.attrs[REWRITTEN] and node.inputs == (part.feeds[("x", 0)], part.feeds[("y", 0)])
    np.testing.assert_array_equal(run(merged, XY)[0], run(plain, XY)[0])
    np.testing.assert_array_equal(run(merged, XY)[0], [4.0, 9.0, 16.0])
    assert len(calls) == 2


def test_a_remap_needs_the_consumer_alone_reading_the_value_and_the_producers_inputs():
    unmerged = ["Other", "C", "Other"]
    t = _remap_table(lambda *args: pytest.fail("not merged"))
    assert kernels(build_plan(t, [("d", 0), ("p", 0)], [], [("x", 0), ("y", 0)], [CPU0],   # p fetched
                              optimizations=ALL)) == unmerged
    t2 = _remap_table(lambda *args: pytest.fail("not merged"), consumer_reads="y")        # c reads y, not x
    assert kernels(build_plan(t2, [("d", 0)], [], [("x", 0), ("y", 0)], [CPU0], optimizations=ALL)) == unmerged
    t3 = {**t, "e": other("e", lambda v: -v, "p")}                                        # p read twice
    assert kernels(build_plan(t3, [("d", 0), ("e", 0)], [], [("x", 0), ("y", 0)], [CPU0],
                              optimizations=ALL)) == unmerged + ["Other"]
    t4 = _remap_table(lambda *args: pytest.fail("not merged"), stateful=True)             # a stateful producer
    t4["p"] = NodeSpec(name="p", op_type="Other", kernel=lambda a, res, x, y: x * y, inputs=(("x", 0), ("y", 0)),
                       stateful=True, remaps=t["p"].remaps)
    assert kernels(build_plan(t4, [("d", 0)], [], [("x", 0), ("y", 0)], [CPU0], optimizations=ALL)) == unmerged
    t5 = {**t, "c": dataclasses.replace(t["c"], control=("p",))}                          # c also waits on p
    assert kernels(build_plan(t5, [("d", 0)], [], [("x", 0), ("y", 0)], [CPU0], optimizations=ALL)) == unmerged


@pytest.mark.parametrize("applies", [True, False])
def test_a_stateful_consumer_merges_into_a_stateful_node_that_gets_its_binding(applies):
    """An update reading a product (an optimizer's apply of its gradient): the merged node is stateful; the rule's
    kernel computes the consumer's value, or where it gives None the consumer's own kernel runs with the consumer's
    resource binding."""
    from raygraph.ops.registry import Remap
    seen = []

    def rule(a, consumer_attrs, x, y):
        return x * y - x if applies else None
    t = _remap_table(rule)
    t["p"] = dataclasses.replace(t["p"], remaps=(Remap("C", at=0, same=((1, 0),), kernel=rule),))
    t["c"] = NodeSpec(name="c", op_type="C", kernel=lambda a, res, v, x: seen.append(res) or v - x,
                      inputs=(("p", 0), ("x", 0)), stateful=True)
    plan = build_plan(t, [("d", 0)], [], [("x", 0), ("y", 0)], [CPU0], optimizations=ALL)
    node = plan.partitions[CPU0[0]].nodes[0]
    assert kernels(plan) == ["_FusedOther", "Other"] and node.name == "c" and node.stateful
    part = plan.partitions[CPU0[0]]
    values, _ = run_step(part, XY, lambda n: f"binding of {n.name}", run_inline)
    np.testing.assert_array_equal(values[0], [4.0, 9.0, 16.0])
    assert seen == ([] if applies else ["binding of c"])


@pytest.mark.parametrize("which", ["p", "c"])
def test_a_failure_in_a_merged_node_names_its_op(which):
    def boom(*args):
        raise ValueError("bad value")
    t = _remap_table(lambda *args: None)
    t[which] = dataclasses.replace(t[which], kernel=boom)
    plan = build_plan(t, [("d", 0)], [], [("x", 0), ("y", 0)], [CPU0], optimizations=ALL)
    assert kernels(plan)[0] == "_FusedOther"
    step = Step(plan.partitions[CPU0[0]], lambda node: None, XY)
    run_inline(step, plan.partitions[CPU0[0]].roots)
    assert step.error.node_name == which and "bad value" in str(step.error.error)


@pytest.mark.parametrize("applies", [True, False])
def test_an_op_and_the_region_that_alone_reads_it_run_as_one_node(applies):
    """A Remap to REGION with `others`: p = x * y merges with the fused region c = p + z, d = c * c that reads it;
    the merged node is the region's (name, the ops it holds) of op type _Fused<p's>, reading p's inputs then the
    region's others; the rule's kernel gets them and the region's program,
    and where it gives None the two kernels run, with the same values."""
    from raygraph.ops.registry import REGION, Remap
    seen = []

    def rule(a, region, x, y, z):
        seen.append((len(region["program"].members), region["fused_ops"]))
        return (x * y + z) ** 2 if applies else None
    made = []
    t = table(feed("x"), feed("y"), feed("z"),
              other("p", lambda x, y: made.append(x * y) or made[-1], "x", "y", fresh=True,
                    remaps=(Remap(REGION, at=0, same=(), kernel=rule, others=True),)),
              ew("c", np.add, "p", "z"), ew("d", lambda v: v * v, "c"), other("e", np.negative, "d"))
    feeds = {**XY, ("z", 0): np.array([1.0, -1.0, 0.5])}
    merged = build_plan(t, [("e", 0)], [], [("x", 0), ("y", 0), ("z", 0)], [CPU0], optimizations=ALL)
    plain = build_plan(t, [("e", 0)], [], [("x", 0), ("y", 0), ("z", 0)], [CPU0], optimizations=NONE)
    part = merged.partitions[CPU0[0]]
    assert kernels(merged) == ["_FusedOther", "Other"] and kernels(plain) == ["Other", "Ew", "Ew", "Other"]
    node = part.nodes[0]
    assert node.name == "fused/d" and node.attrs["fused_ops"] == ("c", "d") and node.attrs["program"].outputs == (1,)
    assert node.inputs == tuple(part.feeds[(v, 0)] for v in "xyz")
    want = -((feeds["x", 0] * feeds["y", 0] + feeds["z", 0]) ** 2)
    np.testing.assert_array_equal(run(merged, feeds)[0], want)
    np.testing.assert_array_equal(run(plain, feeds)[0], want)
    assert seen == [(2, ("c", "d"))] and len(made) == (1 if applies else 2)   # (p's kernel: unmerged, and merged
    #                                                                               where the rule gives None)


def test_large_regions_split_their_rows_over_threads_with_the_same_values(split_kernels):
    t = table(feed("x"), feed("bias"), ew("a", np.add, "x", "bias"), ew("b", np.tanh, "a"),
              ew("c", lambda v: v * v, "b"))
    plan = build_plan(t, [("c", 0), ("a", 0)], [], [("x", 0), ("bias", 0)], [CPU0], optimizations=ALL)
    rng = np.random.default_rng(0)
    feeds = {("x", 0): rng.standard_normal((512, 256)).astype(np.float32),
             ("bias", 0): rng.standard_normal(256).astype(np.float32)}
    whole = run(plan, feeds)
    with split_kernels():
        split = run(plan, feeds)
    for w, s in zip(whole, split):
        np.testing.assert_array_equal(w, s)


# ----- constant folding and CSE -----------------------------------------------------------------------------
def test_constant_subgraphs_are_folded_but_not_stateful_or_failing_nodes():
    def fail(v):
        raise ValueError("only at run time")
    t = table(const("k", [1.0, 2.0]), ew("k2", lambda v: v * 10, "k"), other("rnd", lambda v: v + 1, "k2",
              stateful=True), other("bad", fail, "k"), feed("x"), ew("y", np.add, "x", "k2"))
    plan = build_plan(t, [("y", 0), ("rnd", 0)], [], [("x", 0)], [CPU0], optimizations=ALL)
    part = plan.partitions[CPU0[0]]
    assert any(np.array_equal(v, [10.0, 20.0]) for v in part.consts.values())  # k2 folded
    assert "rnd" in [n.name for n in part.nodes]
    np.testing.assert_array_equal(run(plan, {("x", 0): np.ones(2)})[0], [11.0, 21.0])
    bad = build_plan(t, [("y", 0)], ["bad"], [("x", 0)], [CPU0], optimizations=ALL)
    assert "bad" in [n.name for n in bad.partitions[CPU0[0]].nodes]


def test_a_folded_node_keeps_its_constants_control_inputs():
    """Constants inside a cond branch wait for its pivot; a node folded from them must too, or its value
    would flow (live) out of the branch that was not taken."""
    t = table(feed("x"), other("pivot", lambda v: v, "x"), const("k1", 2.0, control=("pivot",)),
              const("k2", 3.0, control=("pivot",)), const("k3", 4.0), ew("sum", np.add, "k1", "k2"),
              ew("scaled", np.multiply, "sum", "k3"), other("out", np.add, "scaled", "x"))
    plan = build_plan(t, [("out", 0)], [], [("x", 0)], [CPU0], optimizations=ALL)
    part = plan.partitions[CPU0[0]]
    scaled = next(n for n in part.nodes if n.name == "scaled")
    assert scaled.role == CONSTANT and not scaled.inputs
    assert part.deps[part.nodes.index(scaled)] == (next(i for i, n in enumerate(part.nodes) if n.name == "pivot"),)
    assert [n.name for n in part.nodes] == ["pivot", "scaled", "out"]   # k1, k2 only fed the folded nodes
    assert run(plan, {("x", 0): np.float32(1)})[0] == 21.0


def test_a_fed_node_is_not_folded():
    t = table(const("k", 1.0), ew("k2", lambda v: v * 10, "k"), ew("y", lambda v: v + 1, "k2"))
    plan = build_plan(t, [("y", 0)], [], [("k2", 0)], [CPU0], optimizations=ALL)
    assert run(plan, {("k2", 0): np.float32(5)})[0] == 6


def test_common_subexpressions_are_computed_once_and_fetched_by_either_name():
    calls = []

    def counted(attrs, *xs):
        calls.append(1)
        return xs[-1] * 2

    def node(name, stateful=False):  # one kernel, as the op table gives all nodes of an op type
        return NodeSpec(name=name, op_type="Twice", kernel=counted, inputs=(("x", 0),), stateful=stateful,
                        pure=not stateful)
    t = table(feed("x"), node("a1"), node("a2"), other("s", np.add, "a1", "a2"), node("st1", True),
              node("st2", True))
    plan = build_plan(t, [("s", 0), ("a2", 0), ("st1", 0), ("st2", 0)], [], [("x", 0)], [CPU0],
                      optimizations=ALL)
    s, a2, st1, st2 = run(plan, {("x", 0): np.float32(3)})
    assert (s, a2, st1, st2) == (12, 6, 6, 6) and len(calls) == 3  # a2 merged into a1; stateful nodes kept


# grappler's arithmetic rewrites: hand-written Add/Sub/Mul/RealDiv nodes carry their Algebra
FAMILY = {PLUS: ("Add", lambda a, x, y: np.add(x, y), None), MINUS: ("Sub", lambda a, x, y: np.subtract(x, y), None),
          TIMES: ("Mul", lambda a, x, y: np.multiply(x, y), None), RECIPROCAL: ("Reciprocal", lambda a, x: 1 / x, None)}
KINDS = {PLUS: "AddV2", MINUS: "Sub", TIMES: "Mul", REAL_DIVIDE: "RealDiv"}


def arith(name, operation, x, y, shapes=None):
    op_type, kernel, _ = FAMILY.get(operation, ("RealDiv", lambda a, u, v: np.divide(u, v), None))
    return NodeSpec(name=name, op_type=KINDS[operation], kernel=kernel, inputs=((x, 0), (y, 0)), elementwise=True,
                    pure=True, algebra=Algebra(operation=operation, family=FAMILY, shapes=shapes or {}))


def f32(*values):
    return np.float32(values[0]) if len(values) == 1 else np.array(values, np.float32)


def test_constants_are_pushed_down_a_chain_and_folded_into_one_operation():
    """((x + 0.1) + 0.2) + 0.3 runs as x + (0.3 + (0.2 + 0.1)): one addition, TF's numbers."""
    t = table(feed("x"), const("c1", f32(0.1)), const("c2", f32(0.2)), const("c3", f32(0.3)),
              arith("a1", PLUS, "x", "c1"), arith("a2", PLUS, "a1", "c2"), arith("a3", PLUS, "a2", "c3"))
    plan = build_plan(t, [("a3", 0)], [], [("x", 0)], [CPU0], optimizations=ALL)
    assert kernels(plan) == ["AddV2"]   # the op a symmetric push keeps
    x = f32(1e8, 3.3, -7.1)
    (got,) = run(plan, {("x", 0): x})
    np.testing.assert_array_equal(got, x + (f32(0.3) + (f32(0.2) + f32(0.1))))
    assert not np.array_equal(got, ((x + f32(0.1)) + f32(0.2)) + f32(0.3))   # the unrewritten numbers differ


def test_subtractions_keep_each_terms_sign():
    """(0.3 - x) + 0.7 -> (0.7 + 0.3) - x and (x - 0.1) - 0.7 -> x - (0.7 + 0.1), as grappler turns them."""
    t = table(feed("x"), const("c1", f32(0.3)), const("c2", f32(0.7)), const("c3", f32(0.1)),
              arith("s1", MINUS, "c1", "x"), arith("s2", PLUS, "s1", "c2"),
              arith("d1", MINUS, "x", "c3"), arith("d2", MINUS, "d1", "c2"))
    plan = build_plan(t, [("s2", 0), ("d2", 0)], [], [("x", 0)], [CPU0], optimizations=ALL)
    assert sorted(kernels(plan)) == ["Sub", "Sub"]
    x = np.linspace(-3, 3, 7, dtype=np.float32) * 1e3
    s2, d2 = run(plan, {("x", 0): x})
    np.testing.assert_array_equal(s2, (f32(0.7) + f32(0.3)) - x)
    np.testing.assert_array_equal(d2, x - (f32(0.7) + f32(0.1)))


def test_a_division_by_a_constant_multiplies_by_its_reciprocal():
    t = table(feed("x"), const("c", f32(3.0)), arith("q", REAL_DIVIDE, "x", "c"))
    plan = build_plan(t, [("q", 0)], [], [("x", 0)], [CPU0], optimizations=ALL)
    part = plan.partitions[CPU0[0]]
    assert kernels(plan) == ["Mul"] and "ConstantFolding/q_recip" in part.const_names.values()
    x = np.arange(1, 50, dtype=np.float32) * 1.7
    np.testing.assert_array_equal(run(plan, {("x", 0): x})[0], x * (f32(1) / f32(3)))


def test_a_fetched_or_shared_intermediate_keeps_its_value():
    t = table(feed("x"), const("c1", f32(0.1)), const("c2", f32(0.7)), arith("a", MINUS, "x", "c1"),
              arith("b", MINUS, "a", "c2"), arith("p", MINUS, "x", "c1"), arith("q", MINUS, "p", "c2"),
              other("r", np.negative, "p"))
    plan = build_plan(t, [("a", 0), ("b", 0), ("q", 0), ("r", 0)], [], [("x", 0)], [CPU0],
                      optimizations=Optimizations(eliminate_common=False))
    x = np.linspace(-3, 3, 7, dtype=np.float32) * 1e3
    a, b, q, _ = run(plan, {("x", 0): x})
    np.testing.assert_array_equal(a, x - f32(0.1))
    np.testing.assert_array_equal(b, a - f32(0.7))   # a is fetched: b reads it as it is
    np.testing.assert_array_equal(q, a - f32(0.7))   # p has another reader


def test_a_larger_constant_is_not_pushed_next_to_an_operand_of_known_smaller_shape():
    """Grappler's shape guard (feeds' shapes are never trusted: `x`'s here is, through a variable-like node)."""
    shapes = {("v", 0): (5,), ("w", 0): (5,)}
    t = table(other("v", lambda: f32(*range(5))), other("w", lambda: f32(*range(5))),
              const("c", np.ones((3, 5), np.float32)), arith("s", PLUS, "v", "w", shapes),
              arith("t", PLUS, "s", "c", {("s", 0): (5,), ("c", 0): (3, 5)}))
    plan = build_plan(t, [("t", 0)], [], [], [CPU0], optimizations=Optimizations(fuse=False))
    assert plan.partitions[CPU0[0]].nodes[-1].inputs != ()   # t still reads s: nothing pushed
    assert not any(REWRITTEN in n.attrs for n in plan.partitions[CPU0[0]].nodes)


def test_config_options_map_as_in_tf1(monkeypatch):
    monkeypatch.delenv("RAYGRAPH_FUSION", raising=False)
    assert from_config() == Optimizations()                  # L1 (0): folding and CSE on; fusion by default
    assert from_config(opt_level=-1) == Optimizations(fold_constants=False, eliminate_common=False)
    assert from_config(opt_level=-1, do_constant_folding=True).fold_constants
    assert not from_config(jit_level=-1).fuse and from_config(jit_level=1).fuse
    assert from_config().arithmetic and not from_config(grappler_folding=False).arithmetic
    monkeypatch.setenv("RAYGRAPH_FUSION", "0")
    assert not from_config(jit_level=2).fuse


# ----- sessions -------------------------------------------------------------------------------------------
def _config(tf, fuse):
    config = tf.ConfigProto()
    config.graph_options.optimizer_options.global_jit_level = 1 if fuse else -1
    return config


def _mlp(tf):
    rng = np.random.default_rng(1)
    x = tf.placeholder(tf.float32, [None, 8])
    w = tf.Variable(rng.standard_normal((8, 16)).astype(np.float32) * 0.3)
    b = tf.Variable(np.zeros(16, np.float32))
    h = tf.nn.relu(tf.matmul(x, w) + b)
    z = tf.sigmoid(h * 2.0 - 1.0) * tf.tanh(h) + tf.square(h - 0.5)
    loss = tf.reduce_mean(z)
    train = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    return x, z, loss, train, rng.standard_normal((32, 8)).astype(np.float32)


@pytest.mark.parametrize("monkey", [None])
def test_fused_and_unfused_training_agree(rtf, monkeypatch, monkey):
    monkeypatch.delenv("RAYGRAPH_FUSION", raising=False)
    out = {}
    for fuse in (True, False):
        g = rtf.Graph()
        with g.as_default():
            x, z, loss, train, xs = _mlp(rtf)
            init = rtf.global_variables_initializer()
        with rtf.Session(graph=g, config=_config(rtf, fuse)) as s:
            s.run(init)
            losses = [s.run([loss, train], {x: xs})[0] for _ in range(5)]
            out[fuse] = (losses, s.run(z, {x: xs}))
    np.testing.assert_allclose(out[True][0], out[False][0], rtol=1e-6)
    np.testing.assert_allclose(out[True][1], out[False][1], rtol=1e-6)


@pytest.mark.parametrize("variant", ["plain", "use_locking", "float64, rate fed", "transposed weight", "executor"])
def test_a_dense_layers_gradient_descent_runs_as_one_gemm_into_the_variable(rtf, variant):
    """SGD on a layer fed by a placeholder: planning merges the weight gradient's product with the
    ApplyGradientDescent that alone reads it (MatMul's entry remaps it), one node named as the update, which adds
    -rate * x^T dy into the variable's array; the variables after each step agree with the unmerged kernels' to
    float rounding (one rounding of the update where those round the gradient, then the update): with the
    variable's lock, in float64 with a fed rate, for x @ w^T, and in steps through the executor (a deadline)."""
    dtype = rtf.float64 if variant.startswith("float64") else rtf.float32
    rng = np.random.default_rng(3)
    xs, ts = (rng.standard_normal(shape).astype(dtype.as_numpy_dtype) for shape in ((64, 96), (64, 80)))
    options = rtf.RunOptions(timeout_in_ms=60000) if variant == "executor" else rtf.RunOptions()
    out = {}
    for fuse in (True, False):
        g = rtf.Graph()
        with g.as_default():
            rtf.set_random_seed(0)
            x, t = rtf.placeholder(dtype, [None, 96]), rtf.placeholder(dtype, [None, 80])
            rate = rtf.placeholder(dtype, []) if "fed" in variant else 0.5
            transposed = variant == "transposed weight"
            w = rtf.Variable(rtf.truncated_normal([80, 96] if transposed else [96, 80], stddev=0.1, dtype=dtype))
            b = rtf.Variable(rtf.zeros([80], dtype))
            loss = rtf.reduce_mean(rtf.square(rtf.nn.relu(rtf.matmul(x, w, transpose_b=transposed) + b) - t))
            train = rtf.train.GradientDescentOptimizer(rate, use_locking=variant == "use_locking").minimize(loss)
            init = rtf.global_variables_initializer()
        feeds = {x: xs, t: ts, **({rate: 0.5} if "fed" in variant else {})}
        with rtf.Session(graph=g, config=_config(rtf, fuse)) as s:
            s.run(init)
            meta = rtf.RunMetadata()
            s.run(train, feeds, options=rtf.RunOptions(output_partition_graphs=True), run_metadata=meta)
            out[fuse] = [s.run([w, b])] + [s.run([train, w, b], feeds, options=options)[1:] for _ in range(4)]
            nodes = {n.name: n for gd in meta.partition_graphs for n in gd.node}
        update = nodes["GradientDescent/update_Variable/ApplyGradientDescent"]
        if fuse:
            assert update.op == "_FusedMatMul" and "gradients/MatMul_grad/MatMul_1" not in nodes
            assert x.op.name in [i.split(":")[0] for i in update.input[:2]]
        else:
            assert update.op == "ApplyGradientDescent" and nodes["gradients/MatMul_grad/MatMul_1"].op == "MatMul"
    tol = 1e-12 if dtype == rtf.float64 else 1e-6
    for merged, plain in zip(out[True], out[False]):
        for a, c in zip(merged, plain):
            np.testing.assert_allclose(a, c, rtol=10 * tol, atol=tol)
    assert not np.allclose(out[True][0][0], out[True][-1][0], atol=1e-3)   # (the weights moved)


@pytest.mark.parametrize("nesterov", [False, True])
def test_a_dense_layers_momentum_runs_as_one_gemm_into_its_accumulator(rtf, nesterov):
    """Momentum on a layer fed by a placeholder: the weight gradient's product merges with the ApplyMomentum that
    alone reads it, which adds it into the accumulator's own array scaled by the momentum (gemm: C = x^T dy +
    momentum C), then updates the variable: TF's bits where the batch fits in one of gemm's blocks (here 64 rows).
    Nesterov's update reads the gradient again: it is merged too, and its kernel runs the two kernels."""
    rng = np.random.default_rng(5)
    xs, ts = rng.standard_normal((64, 96)).astype(np.float32), rng.standard_normal((64, 80)).astype(np.float32)
    out = {}
    for fuse in (True, False):
        g = rtf.Graph()
        with g.as_default():
            rtf.set_random_seed(0)
            x, t = rtf.placeholder(rtf.float32, [None, 96]), rtf.placeholder(rtf.float32, [None, 80])
            w = rtf.Variable(rtf.truncated_normal([96, 80], stddev=0.1))
            loss = rtf.reduce_mean(rtf.square(rtf.tanh(rtf.matmul(x, w)) - t))
            opt = rtf.train.MomentumOptimizer(0.3, 0.9, use_nesterov=nesterov)
            train = opt.minimize(loss)
            accum = opt.get_slot(w, "momentum")
            init = rtf.global_variables_initializer()
        with rtf.Session(graph=g, config=_config(rtf, fuse)) as s:
            s.run(init)
            meta = rtf.RunMetadata()
            s.run(train, {x: xs, t: ts}, options=rtf.RunOptions(output_partition_graphs=True), run_metadata=meta)
            out[fuse] = [s.run([train, w, accum], {x: xs, t: ts})[1:] for _ in range(4)]
            nodes = {n.name: n for gd in meta.partition_graphs for n in gd.node}
        update = nodes["Momentum/update_Variable/ApplyMomentum"]
        assert update.op == ("_FusedMatMul" if fuse else "ApplyMomentum")
    for merged, plain in zip(out[True], out[False]):
        for a, c in zip(merged, plain):
            np.testing.assert_array_equal(a.view(np.int32), c.view(np.int32))
    assert not np.allclose(out[True][0][0], out[True][-1][0], atol=1e-3)


def test_the_merged_update_writes_the_variables_array_only_where_nothing_else_holds_it():
    """The merged kernel (linalg._descend_by_product) adds -alpha x y into the variable's own array; it declines
    (None: the two kernels run) where anything else holds that array, it is a view or read-only, the variable is
    uninitialized, or of a dtype no gemm takes, leaving the value as it was. Momentum's (_momentum_by_product)
    writes the accumulator's array so, with TF's bits."""
    import threading

    from raygraph.ops.linalg import _descend_by_product, _momentum_by_product
    from raygraph.ops.state import Ref
    rng = np.random.default_rng(4)
    x, dy = rng.standard_normal((32, 24)).astype(np.float32), rng.standard_normal((32, 16)).astype(np.float32)
    attrs, update = {"transpose_a": True, "transpose_b": False}, {"use_locking": True}
    store, locks = {}, {"w": threading.Lock()}
    ref = Ref(store, "w", "w", locks)
    assert _descend_by_product(attrs, update, x, dy, ref, np.float32(0.5)) is None   # uninitialized
    store["w"] = rng.standard_normal((24, 16)).astype(np.float32)
    before = store["w"].copy()
    array_id = id(store["w"])
    assert _descend_by_product(attrs, update, x, dy, ref, np.float32(0.5)) is ref
    assert id(store["w"]) == array_id and not locks["w"].locked()
    np.testing.assert_allclose(store["w"], before - 0.5 * (x.T.astype(np.float64) @ dy), rtol=1e-5, atol=1e-5)
    held = store["w"]   # (a value of the step read from the variable, a fetch, another step's read)
    kept = held.copy()
    assert _descend_by_product(attrs, update, x, dy, ref, np.float32(0.5)) is None
    np.testing.assert_array_equal(held, kept)
    del held
    for value in (np.zeros((48, 16), np.float32)[::2], kept.copy(), kept.astype(np.float16)):
        if value.base is None and value.dtype == np.float32:
            value.flags.writeable = False
        store["w"] = value
        assert _descend_by_product(attrs, update, x, dy, ref, np.float32(0.5)) is None
        np.testing.assert_array_equal(store["w"], value)
    # momentum: the product added into the accumulator's own array (TF's bits: one block of gemm), then the variable
    store["w"], store["m"] = kept.copy(), rng.standard_normal((24, 16)).astype(np.float32)
    locks["m"] = threading.Lock()
    accum = Ref(store, "m", "m", locks)
    m_id, m_before, w_before = id(store["m"]), store["m"].copy(), store["w"].copy()
    assert _momentum_by_product(attrs, update, x, dy, ref, accum, np.float32(0.3), np.float32(0.9)) is ref
    want_m = m_before * np.float32(0.9) + x.T @ dy
    assert id(store["m"]) == m_id and store["m"].tobytes() == want_m.tobytes()
    assert store["w"].tobytes() == (w_before - np.float32(0.3) * want_m).tobytes()
    held = store["m"]
    assert _momentum_by_product(attrs, update, x, dy, ref, accum, np.float32(0.3), np.float32(0.9)) is None
    assert held.tobytes() == want_m.tobytes()


def test_traces_and_partition_graphs_show_the_fused_node(rtf, monkeypatch):
    monkeypatch.delenv("RAYGRAPH_FUSION", raising=False)
    x = rtf.placeholder(rtf.float32, [4], name="x")
    k = rtf.constant(3.0, name="k") * 2.0   # folded when planning: a Const in the partition graph
    y = rtf.tanh(x * k + 1.0, name="y")
    total = rtf.reduce_sum(y, name="total")
    opts = rtf.RunOptions(trace_level=rtf.RunOptions.FULL_TRACE, output_partition_graphs=True)
    meta = rtf.RunMetadata()
    with rtf.Session() as s:
        value = s.run(total, {x: np.arange(4, dtype=np.float32)}, options=opts, run_metadata=meta)
    assert value == pytest.approx(np.tanh(np.arange(4) * 6.0 + 1.0).sum(), rel=1e-6)
    labels = [n.timeline_label for d in meta.step_stats.dev_stats for n in d.node_stats]
    assert f"fused/y = {FUSED_OP}(mul_1, add, y)" in labels
    (gd,) = meta.partition_graphs
    nodes = {n.name: n for n in gd.node}
    fused = nodes["fused/y"]
    assert fused.op == FUSED_OP and list(fused.attr["fused_ops"].list.s) == [b"mul_1", b"add", b"y"]
    assert nodes["total"].input[0] == "fused/y" and "y" not in nodes
    assert nodes["mul"].op == "Const" and nodes["mul"].attr["value"].tensor.float_val == [6.0]
    for nd in gd.node:  # a graph TF could import: every input names a node of it
        assert all(i.lstrip("^").split(":")[0] in nodes for i in nd.input), nd.name


def test_a_run_time_error_in_a_fused_op_names_that_op(rtf, monkeypatch):
    monkeypatch.setenv("RAYGRAPH_FUSION", "1")
    a = rtf.placeholder(rtf.float32, [None])
    b = rtf.placeholder(rtf.float32, [None])
    c = rtf.exp(rtf.add(a * 2.0, b, name="bad_add"))
    with rtf.Session() as s, pytest.raises(rtf.errors.InvalidArgumentError, match="bad_add"):
        s.run(c, {a: np.ones(3), b: np.ones(4)})


@pytest.mark.parametrize("opt_level", [0, -1])   # TF1's L1 (folding on) and L0
def test_branches_of_constants_give_the_taken_branch(rtf, opt_level):
    p, q = rtf.placeholder(rtf.bool, []), rtf.placeholder(rtf.bool, [])
    r = rtf.cond(p, lambda: rtf.constant(1) + rtf.constant(2), lambda: rtf.constant(5) * rtf.constant(3))
    nested = rtf.cond(p, lambda: rtf.cond(q, lambda: rtf.constant(1.0) * 2.0 + 1.0, lambda: rtf.constant(5.0) - 1.0),
                      lambda: rtf.square(rtf.constant(3.0)))
    loop = rtf.while_loop(lambda i: i < 7, lambda i: i + rtf.constant(2) * rtf.constant(1), [rtf.constant(0)])
    config = rtf.ConfigProto()
    config.graph_options.optimizer_options.opt_level = opt_level
    with rtf.Session(config=config) as s:
        assert (s.run(r, {p: True}), s.run(r, {p: False})) == (3, 15)
        assert [s.run(nested, {p: a, q: b}) for a in (True, False) for b in (True, False)] == [3.0, 4.0, 9.0, 9.0]
        assert s.run(loop) == 8


def test_constants_are_folded_in_sessions_too(rtf):
    k = rtf.constant([1.0, 2.0]) * 3.0 + 1.0
    y = rtf.matmul(rtf.reshape(k, [1, 2]), [[1.0], [1.0]])
    with rtf.Session() as s:
        np.testing.assert_array_equal(s.run(y), [[11.0]])
        (plan,) = s._plans.values()
        (part,) = plan.partitions.values()
        assert [n.op_type for n in part.nodes] == ["MatMul"]  # fetched: it runs, as TF's folded Const does
        assert any(np.array_equal(v, [[4.0, 7.0]]) for v in part.consts.values())


def test_partition_graphs_show_the_arithmetic_rewrites(rtf):
    """x / 255.0 - 0.5 - 0.25 runs as TF runs it: (x * (1 / 255)) - (0.25 + 0.5), the constants folded."""
    x = rtf.placeholder(rtf.float32, [None], name="x")
    y = x / 255.0 - 0.5 - 0.25
    v = np.arange(0, 256, 7, dtype=np.float32)
    graphs = {}
    for fuse in (False, True):
        meta = rtf.RunMetadata()
        with rtf.Session(config=_config(rtf, fuse)) as s:
            got = s.run(y, {x: v}, options=rtf.RunOptions(output_partition_graphs=True), run_metadata=meta)
        np.testing.assert_array_equal(got, v * (f32(1) / f32(255)) - (f32(0.25) + f32(0.5)))
        (gd,) = meta.partition_graphs
        graphs[fuse] = nodes = {n.name: n for n in gd.node}
        for nd in gd.node:  # every input names a node of the graph
            assert all(i.lstrip("^").split(":")[0] in nodes for i in nd.input), nd.name
    nodes = graphs[False]
    assert (nodes["truediv"].op, list(nodes["truediv"].input)) == ("Mul", ["x", "ConstantFolding/truediv_recip"])
    assert nodes["ConstantFolding/truediv_recip"].op == "Const"
    assert (nodes["sub_1"].op, list(nodes["sub_1"].input)) == ("Sub", ["truediv", "sub"])
    assert nodes["sub"].op == "Const" and nodes["sub"].attr["value"].tensor.float_val == [0.75]
    fused = graphs[True]["fused/sub_1"]
    assert list(fused.input) == ["x", "ConstantFolding/truediv_recip", "sub"]


@pytest.mark.parametrize("switch", ["constant_folding", "disable_meta_optimizer"])
def test_turning_grappler_constant_folding_off_keeps_the_graph_as_built(rtf, switch):
    x = rtf.placeholder(rtf.float32, [None])
    y = (x / 3.0 - 0.1) - 0.7
    config = rtf.ConfigProto()
    setattr(config.graph_options.rewrite_options, switch, 2 if switch == "constant_folding" else True)  # OFF
    v = np.linspace(-3e3, 3e3, 101, dtype=np.float32)
    with rtf.Session(config=config) as s:
        np.testing.assert_array_equal(s.run(y, {x: v}), (v / f32(3) - f32(0.1)) - f32(0.7))
    with rtf.Session() as s:
        np.testing.assert_array_equal(s.run(y, {x: v}), v * (f32(1) / f32(3)) - (f32(0.7) + f32(0.1)))


def test_regions_downstream_of_a_switch_fuse_where_their_values_live_and_die_together(rtf, monkeypatch):
    """A fused node downstream of a switch is dead when any input is: a loop body's cell is fused (all its
    values live or die with the iteration), a region mixing a branch's values with a live one is not."""
    monkeypatch.delenv("RAYGRAPH_FUSION", raising=False)
    from raygraph.ops.registry import apply_op
    p, x = rtf.placeholder(rtf.bool, []), rtf.placeholder(rtf.float32, [3])
    taken_no, taken_yes = apply_op("Switch", [x, p], {})
    live = x * 3.0 + 1.0   # never dead, fetched, and read by the branch directly (tf.cond would pass it a Switch)
    r = apply_op("Merge", [[taken_no - 1.0, rtf.tanh(taken_yes * 2.0 + live) * 0.5]], {})[0]
    _, h = rtf.while_loop(lambda i, h: i < 3, lambda i, h: (i + 1, rtf.sigmoid(h * 0.5 + 1.0) * h - 0.25),
                          (rtf.constant(0), x))
    xs = np.array([0.5, -1.0, 2.0], np.float32)
    want_h = xs
    for _ in range(3):
        want_h = (1 / (1 + np.exp(-(want_h * np.float32(0.5) + 1))) * want_h - np.float32(0.25)).astype(np.float32)
    with rtf.Session() as s:
        for taken in (True, False):
            got_r, got_live, got_h = s.run([r, live, h], {p: taken, x: xs})
            np.testing.assert_allclose(got_live, xs * 3 + 1)
            np.testing.assert_allclose(got_r, np.tanh(xs * 2 + xs * 3 + 1) * 0.5 if taken else xs - 1, rtol=1e-6)
            np.testing.assert_allclose(got_h, want_h, rtol=1e-6)
        plan = next(plan for key, plan in s._plans.items() if any(t is h for t in key[0]))
    (part,) = plan.partitions.values()
    (body,) = [n.attrs["loop"].part for n in part.nodes if "loop" in n.attrs]
    fused = [n for n in body.nodes if n.op_type == FUSED_OP]
    assert len(fused) == 1 and fused[0].conditional and len(fused[0].attrs["fused_ops"]) == 5


@pytest.mark.parametrize("window", [2, 3])   # 2x2 of stride 2: one pass (kernel_loops); 3x3: the two kernels
def test_a_relu_gradient_of_a_max_pool_gradient_runs_as_one_node_with_the_same_bits(rtf, window):
    """ReLU then max-pool (every conv layer's ending): planning merges MaxPoolGrad with the ReluGrad that reads it
    (MaxPoolGrad's entry remaps it), one node named as the ReluGrad; the gradient has the unmerged bits (ties,
    zeros, NaN and infinities in the input; NaN, infinities and signed zeros in the gradient), with the pool run in
    the step (its taken cells kept) or fed."""
    rng = np.random.default_rng(5)
    x = rtf.placeholder(rtf.float32, [4, 12, 12, 16])
    r = rtf.nn.relu(x)
    m = rtf.nn.max_pool(r, [1, window, window, 1], [1, 2, 2, 1], "VALID")
    gy = rtf.placeholder(rtf.float32, m.shape)
    (dx,) = rtf.gradients(m, [x], grad_ys=gy)
    xs = rng.standard_normal(x.shape.as_list()).astype(np.float32)
    xs[:, ::3] = np.round(xs[:, ::3])                              # ties, zeros, -0.0
    xs.flat[rng.integers(0, xs.size, 40)] = -0.0
    xs.flat[rng.integers(0, xs.size, 20)] = np.nan
    xs.flat[rng.integers(0, xs.size, 20)] = np.inf
    g = rng.standard_normal(m.shape.as_list()).astype(np.float32)
    g.flat[rng.integers(0, g.size, 30)] = -0.0
    g.flat[rng.integers(0, g.size, 10)] = np.nan
    g.flat[rng.integers(0, g.size, 10)] = -np.inf
    results = {}
    for fuse in (False, True):
        with rtf.Session(config=_config(rtf, fuse)) as s:
            ms = s.run(m, {x: xs})
            meta = rtf.RunMetadata()
            results[fuse] = [s.run(dx, {x: xs, gy: g}, options=rtf.RunOptions(output_partition_graphs=True),
                                   run_metadata=meta),
                             s.run(dx, {x: xs, gy: g, m: ms})]   # the pool's output fed: it does not run
            nodes = {n.name: n for gd in meta.partition_graphs for n in gd.node}
        relu_grad = nodes[dx.op.name]
        if fuse:
            assert relu_grad.op == "_FusedMaxPoolGrad" and not any(n.op == "MaxPoolGrad" for n in nodes.values())
            assert [i.split(":")[0] for i in relu_grad.input] == ["Relu", m.op.name, gy.op.name]
        else:
            assert relu_grad.op == "ReluGrad"
    for merged, plain in zip(results[True], results[False]):
        np.testing.assert_array_equal(merged.view(np.int32), plain.view(np.int32))
    assert np.isnan(results[True][0]).any() and (results[True][0] != 0).sum() > 100


@pytest.mark.parametrize("layer", ["conv + b", "b + conv", "bias_add", "fourier", "winograd", "rgb", "fetched"])
def test_a_convolution_and_its_bias_relu_region_run_as_one_node_with_the_same_bits(rtf, layer):
    """conv2d, + bias, relu, max_pool (a layer): planning merges the convolution with the region that alone reads
    it (Conv2D's entry remaps a bias + ReLU region), one node named and listed as the region, whose route adds the
    bias and takes ReLU as it writes: the taps (one input channel), the Fourier route (16, the input finite),
    Winograd's (3x3 taps), im2col (three channels); the layer's value and gradients have the unmerged bits (NaN
    and infinities in the input and the bias, the bias on either side, BiasAdd). Where the convolution is fetched
    nothing merges."""
    rng = np.random.default_rng(8)
    c, k = {"rgb": 3, "fourier": 16, "winograd": 16}.get(layer, 1), 3 if layer == "winograd" else 5
    x = rtf.placeholder(rtf.float32, [6, 13, 11, c])
    w = rtf.Variable(rng.standard_normal((k, k, c, 20)).astype(np.float32))
    b = rtf.Variable(rng.standard_normal(20).astype(np.float32))
    conv = rtf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME")
    pre = b + conv if layer == "b + conv" else rtf.nn.bias_add(conv, b) if layer == "bias_add" else conv + b
    r = rtf.nn.relu(pre)
    m = rtf.nn.max_pool(r, [1, 2, 2, 1], [1, 2, 2, 1], "SAME")
    grads = rtf.gradients(rtf.reduce_sum(m * m), [w, b])
    fetches = [r, *grads] + ([conv] if layer == "fetched" else [])
    xs = rng.standard_normal(x.shape.as_list()).astype(np.float32)
    if layer not in ("fourier", "winograd"):   # (the transforms take finite inputs only)
        xs.flat[rng.integers(0, xs.size, 3)] = np.nan
        xs.flat[rng.integers(0, xs.size, 3)] = -np.inf
    bs = rng.standard_normal(20).astype(np.float32)
    bs[3] = np.nan
    bs[[2, 7]] = [np.inf, -np.inf]
    results = {}
    for fuse in (False, True):
        with rtf.Session(config=_config(rtf, fuse)) as s:
            s.run(rtf.global_variables_initializer())
            s.run(b.assign(bs))
            meta = rtf.RunMetadata()
            results[fuse] = s.run(fetches, {x: xs}, options=rtf.RunOptions(output_partition_graphs=True),
                                  run_metadata=meta)
            nodes = {n.name: n for gd in meta.partition_graphs for n in gd.node}
        layer_node = nodes[f"fused/{r.op.name}"] if fuse else nodes[r.op.name]
        if fuse and layer != "fetched":
            assert layer_node.op == "_FusedConv2D" and conv.op.name not in nodes
            assert [v.decode() for v in layer_node.attr["fused_ops"].list.s] == [pre.op.name, r.op.name]
            assert sorted(i.split(":")[0] for i in layer_node.input) == sorted([x.op.name, w.op.name, b.op.name])
        else:
            assert conv.op.name in nodes and layer_node.op in ("_FusedElementwise", "Relu")
    for merged, plain in zip(results[True], results[False]):
        np.testing.assert_array_equal(merged.view(np.int32), plain.view(np.int32))
    assert np.isnan(results[True][0]).any() and (results[True][0] == 0).any() and np.isinf(results[True][0]).any()


def test_nodes_know_which_inputs_are_folded_constants():
    """Planning marks the input positions it fills with folded constants (partition.CONSTANT_INPUTS): the same
    arrays in every step, whose derived forms a kernel may keep (blas' packed factors)."""
    from scheduler.partition import CONSTANT_INPUTS
    t = table(feed("x"), const("w", np.ones((2, 2))), other("p", lambda x, w: x @ w, "x", "w"),
              other("q", lambda p: -p, "p"))
    plan = build_plan(t, [("q", 0)], [], [("x", 0)], [CPU0], optimizations=ALL)
    nodes = {n.name: n for n in plan.partitions[CPU0[0]].nodes}
    assert nodes["p"].attrs[CONSTANT_INPUTS] == (1,) and CONSTANT_INPUTS not in nodes["q"].attrs

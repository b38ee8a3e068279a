"""Planning on hand-written node tables: pruning, placement, partitioning (no graph, no Ray)."""
import pytest

from scheduler.executor import run_inline, Step
from scheduler.partition import PASS_THROUGH
from scheduler.plan import NodeSpec, PlanError, build_plan, place, prune
from scheduler.resources import VariableRef

CPU0 = ("/job:localhost/replica:0/task:0/device:CPU:0", ("localhost", 0, 0, "CPU", 0))
CPU1 = ("/job:localhost/replica:0/task:0/device:CPU:1", ("localhost", 0, 0, "CPU", 1))
GPU0 = ("/job:localhost/replica:0/task:0/device:GPU:0", ("localhost", 0, 0, "GPU", 0))
ANY = (None, None, None, None, None)


def spec(name, inputs=(), control=(), device=ANY, colocate=(), kernel=None, op_type="Op", text="", **more):
    kernel = kernel or (lambda at, *xs: sum(xs) if xs else 1)
    return NodeSpec(name=name, op_type=op_type, kernel=kernel, inputs=tuple(inputs), control=tuple(control),
                    device=device, colocate=tuple(colocate), device_text=text, **more)


def table(*specs):
    return {s.name: s for s in specs}


def test_prune_keeps_only_what_fetches_need_and_stops_at_feeds():
    t = table(spec("a"), spec("b", [("a", 0)]), spec("c", [("b", 0)]), spec("unused", [("a", 0)]),
              spec("ctl"), spec("d", [("c", 0)], control=["ctl"]))
    assert set(prune(t, [("d", 0)], [], [])) == {"a", "b", "c", "d", "ctl"}
    assert set(prune(t, [("d", 0)], [], [("b", 0)])) == {"c", "d", "ctl"}
    assert prune(t, [("b", 0)], [], [("b", 0)]) == []
    order = prune(t, [("d", 0)], [], [])
    assert order.index("a") < order.index("b") < order.index("c") < order.index("d")


def test_prune_detects_cycles():
    t = table(spec("a", [("b", 0)]), spec("b", [("a", 0)]))
    with pytest.raises(PlanError, match="cycle"):
        prune(t, [("a", 0)], [], [])


def test_place_honours_requests_colocation_and_soft_placement():
    t = table(spec("v", device=("localhost", None, None, "CPU", 1), text="/device:CPU:1"),
              spec("read", [("v", 0)], colocate=["v"]), spec("free"))
    out = place(t, ["v", "read", "free"], [CPU0, CPU1])
    assert out == {"v": CPU1[0], "read": CPU1[0], "free": CPU0[0]}
    gpu = table(spec("g", device=(None, None, None, "GPU", 0), text="/device:GPU:0"))
    with pytest.raises(PlanError, match="Cannot assign a device for operation g"):
        place(gpu, ["g"], [CPU0])
    assert place(gpu, ["g"], [CPU0], soft=True) == {"g": CPU0[0]}
    assert place(table(spec("x")), ["x"], [CPU0, GPU0]) == {"x": GPU0[0]}  # TF1 prefers the GPU


def test_colocation_conflict_is_an_error_unless_soft():
    t = table(spec("a", device=(None, None, None, "CPU", 0), text="/cpu:0"),
              spec("b", colocate=["a"], device=(None, None, None, "CPU", 1), text="/cpu:1"))
    with pytest.raises(PlanError, match="Cannot colocate"):
        place(t, ["a", "b"], [CPU0, CPU1])
    assert place(t, ["a", "b"], [CPU0, CPU1], soft=True) == {"a": CPU0[0], "b": CPU0[0]}


def test_partitions_exchange_tensors_and_control_edges():
    t = table(spec("x", device=(None, None, None, "CPU", 0)),
              spec("y", [("x", 0)], device=(None, None, None, "CPU", 1)),
              spec("z", [("y", 0)], control=["x"], device=(None, None, None, "CPU", 0)))
    plan = build_plan(t, [("z", 0)], [], [], [CPU0, CPU1])
    p0, p1 = plan.partitions[CPU0[0]], plan.partitions[CPU1[0]]
    assert sorted(p0.send_targets) == ["x:0"] and p0.send_targets["x:0"] == (CPU1[0],)
    assert sorted(p1.recv_nodes) == ["x:0"] and sorted(p1.send_targets) == ["y:0"]
    # run both partitions by hand, delivering sends as receives
    steps = {}
    mailbox = []
    for dev, part in plan.partitions.items():
        steps[dev] = Step(part, None, {}, send=lambda k, v, dev=dev: mailbox.append((k, v)))
    for dev, step in steps.items():
        run_inline(step, step.part.roots)
    while mailbox:
        key, value = mailbox.pop()
        for dev, step in steps.items():
            if key in step.part.recv_nodes:
                run_inline(step, step.receive(key, value))
    assert plan.fetch_routes == [(CPU0[0], 0)]
    assert steps[CPU0[0]].results() == [1]


def test_feeds_route_to_every_consuming_device_and_fetching_a_feed_returns_it():
    t = table(spec("p"), spec("a", [("p", 0)], device=(None, None, None, "CPU", 0)),
              spec("b", [("p", 0)], device=(None, None, None, "CPU", 1)))
    plan = build_plan(t, [("a", 0), ("b", 0), ("p", 0)], [], [("p", 0)], [CPU0, CPU1])
    assert sorted(plan.feed_routes[("p", 0)]) == sorted([CPU0[0], CPU1[0]])
    assert plan.fetch_routes[2] == ("fed", ("p", 0))


def test_unfed_placeholder_is_reported_at_plan_time():
    t = table(NodeSpec(name="ph", op_type="Placeholder", role="must_feed", unfed_error="You must feed ph"),
              spec("use", [("ph", 0)]))
    with pytest.raises(PlanError, match="You must feed ph"):
        build_plan(t, [("use", 0)], [], [], [CPU0])
    build_plan(t, [("use", 0)], [], [("ph", 0)], [CPU0])


def test_constants_fold_into_prefilled_slots():
    t = table(spec("c", op_type="Const", kernel=lambda at: at["value"], attrs={"value": 41}, role="constant"),
              spec("use", [("c", 0)]))
    plan = build_plan(t, [("use", 0)], [], [], [CPU0])
    part = plan.partitions[CPU0[0]]
    assert [n.name for n in part.nodes] == ["use"]
    assert 41 in part.initial_values


def test_one_tensor_sent_to_several_devices():
    t = table(spec("v", device=(None, None, None, "CPU", 0)),
              spec("a", [("v", 0)], device=(None, None, None, "CPU", 1)),
              spec("b", [("v", 0)], device=(None, None, None, "GPU", 0)))
    plan = build_plan(t, [("a", 0), ("b", 0)], [], [], [CPU0, CPU1, GPU0])
    assert sorted(plan.partitions[CPU0[0]].send_targets["v:0"]) == sorted([CPU1[0], GPU0[0]])


def test_a_cycle_error_names_the_whole_cycle():
    t = table(spec("a", [("c", 0)]), spec("b", [("a", 0)]), spec("c", [("b", 0)]), spec("out", [("c", 0)]))
    pattern = r"Graph is invalid, contains a cycle with 3 nodes: (\w) -> (\w) -> (\w) -> \1"
    with pytest.raises(PlanError, match=pattern) as info:
        prune(t, [("out", 0)], [], [])
    cycle = str(info.value).split(": ")[1].split(" -> ")
    assert sorted(cycle[:3]) == ["a", "b", "c"]
    assert cycle[cycle.index("a") + 1] == "b"  # named in the data's direction: a feeds b
    assert info.value.code == "INVALID_ARGUMENT"


def test_pass_throughs_are_spliced_out_unless_something_else_needs_them():
    t = table(spec("x"), spec("id", [("x", 0)], role="pass_through", kernel=lambda at, x: x),
              spec("order", role="pass_through", kernel=lambda at: None, control=["x"], n_outputs=0),
              spec("use", [("id", 0)], control=["order"]))
    part = build_plan(t, [("use", 0)], [], [], [CPU0]).partitions[CPU0[0]]
    assert [n.name for n in part.nodes] == ["x", "use"]
    assert part.nodes[1].inputs == part.nodes[0].outputs and part.deps[1] == (0,)
    fetched = build_plan(t, [("id", 0)], [], [], [CPU0]).partitions[CPU0[0]]  # a fetched pass-through stays
    assert [n.name for n in fetched.nodes] == ["x", "id"]


def test_nodes_after_a_switch_are_conditional_and_merges_keep_their_role():
    t = table(spec("p"), spec("sw", [("p", 0)], role="switch"), spec("f", [("sw", 0)]),
              spec("m", [("f", 0), ("p", 0)], role="merge"), spec("free", [("p", 0)]))
    part = build_plan(t, [("m", 0), ("free", 0)], [], [], [CPU0]).partitions[CPU0[0]]
    flags = {n.name: (n.conditional, n.role) for n in part.nodes}
    assert flags == {"p": (False, None), "sw": (False, "switch"), "f": (True, None), "m": (True, "merge"),
                     "free": (False, None)}


class _Cell(VariableRef):
    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def read(self):
        return self.value


def _update(at, ref, g):
    ref.value = ref.value - g
    return ref


@pytest.mark.parametrize("listed_first", ["reader", "update"])
def test_a_write_waits_for_the_reads_of_its_variable_that_do_not_depend_on_it(listed_first):
    """TF's usual order for an ungated update (apply_gradients of tf.gradients): the backward pass's reads of
    a variable come before the update. The update waits for them; a read that depends on it still follows."""
    cell = _Cell(1.0)
    t = table(
        spec("w", kernel=lambda at: cell, ref_outputs=(0,), op_type="VariableV2"),
        spec("read", [("w", 0)], kernel=lambda at, v: v, role=PASS_THROUGH, op_type="Identity"),
        spec("grad", kernel=lambda at: 2.0),  # the gradient of w does not read w...
        spec("reader", [("read", 0)], kernel=lambda at, v: v * 10.0),  # ...the gradient of another input does
        spec("update", [("w", 0), ("grad", 0)], kernel=_update, ref_args=(0,), ref_outputs=(0,)),
        spec("after", [("read", 0)], control=["update"], kernel=lambda at, v: v * 100.0),
    )
    targets = ["reader", "update"] if listed_first == "reader" else ["update", "reader"]
    plan = build_plan(t, [("after", 0)], targets, [], [CPU0])
    (part,) = plan.partitions.values()
    names = [n.name for n in part.nodes]
    assert names.index("reader") in part.deps[names.index("update")]
    step = Step(part, None, {})
    run_inline(step, part.roots)
    assert cell.value == -1.0
    assert step.values[part.nodes[names.index("reader")].outputs[0]] == 10.0   # read before the update
    assert step.values[part.nodes[names.index("after")].outputs[0]] == -100.0  # read after it

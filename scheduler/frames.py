"""While loops in a plan: each of TF1's loop frames becomes one loop node that runs inside its device.

A frame is the ops between its Enter ops (which name it in their `frame_name` attr) and its Exit ops:
its Merges (each joining an Enter and a NextIteration), the condition ending in LoopCond, the Switches
on it, and the body. `collapse(table, plan_sub)` replaces every outermost frame of a graph table by

    a loop node   named after the frame; inputs: what its Enters read; one output per Exit
    its Exits     kept as pass-throughs of the loop node's outputs (so `while/Exit:0` is still the name)

and plans the frame's own ops, once, as a sub-partition (`plan_sub`, which collapses frames nested in it
the same way). Each iteration runs that sub-partition with the executor, fed with the Enters' values
(constant over the loop) and the Merges' values (this iteration's loop variables); it fetches the
LoopCond value, each NextIteration's input (the next loop variables) and each Exit's input (the loop's
results, alive once the condition is false: the Switches make the body dead then). An iteration runs its
nodes in order in the device thread running the loop node (the sub-partition's straight-line function:
small steps, no hand-offs), or, where the loop allows parallel iterations and its device measured it
faster, iterations overlap (iterations.py). No state outlives an iteration but the loop variables, and no
client round trip happens per iteration.

A loop runs on one device: the merged request of its stateful ops (variables, queues, stacks...). Its
stateless ops pinned elsewhere run there too (their values are the same anywhere; a variable read from
another device enters the loop as its value at the loop's start). Stateful ops asking for different
devices are refused (PlanError) unless soft placement is on.
"""
import time
from dataclasses import dataclass, field, replace

from .iterations import Pace
from .partition import ENTER, EXIT, LOOP_COND, MERGE, NEXT_ITERATION, PASS_THROUGH
from .resources import Binding
from .straight_line import compiled, filled


class LoopError(Exception):
    """A frame that cannot become a loop node; `node` names an op of it."""

    def __init__(self, message, node=None):
        super().__init__(message)
        self.node = node


@dataclass(slots=True, frozen=True, kw_only=True, eq=False)
class Loop:
    """What a loop node's kernel needs: the sub-partition and how its feeds and fetches line up."""

    name: str
    part: object          # the frame's Partition
    enter_keys: tuple     # per loop input: the Enter output it feeds, (name, 0)
    merge_keys: tuple     # per loop variable: its Merge output, (name, 0)
    merge_inputs: tuple   # per loop variable: the loop input its first value comes from
    fetches: tuple        # per fetch of an iteration (cond, nexts..., exits...): ("fed", key) or position
    n_exits: int
    parallel: int = 1     # parallel_iterations: how many iterations may be in flight at once
    pace: Pace = field(init=False)  # how it runs its iterations, learnt on its device (iterations.py)

    def __post_init__(self):
        object.__setattr__(self, "pace", Pace())


def run_loop(attrs, binding, *inputs):
    """The loop node's kernel: iterations until the condition is false; returns the Exit values."""
    loop = attrs["loop"]
    bindings = binding.state.setdefault("nodes", {})
    pace = loop.pace

    def bind(node):
        b = bindings.get(node.name)
        if b is None:
            b = bindings[node.name] = Binding(node.name, binding.variables, binding.locks, {}, binding.shared,
                                              binding.device)
        return b
    used = loop.part.feeds
    feeds = {k: v for k, v in zip(loop.enter_keys, inputs) if k in used}
    first = [inputs[i] for i in loop.merge_inputs]
    overlapped = pace.overlap(loop)
    start = time.perf_counter()
    out, iterations = (pace.run if overlapped else _one_by_one)(loop, feeds, first, bind)
    pace.ran(overlapped, time.perf_counter() - start, iterations)
    return out


def _one_by_one(loop, feeds, current, bind):
    """Runs the iterations one after another in this thread, each the sub-partition's straight-line function
    (straight_line.py) over its slots; returns (exit values, iterations)."""
    part = loop.part
    run, slots, first = compiled(part), part.feeds, filled(part, feeds)
    merges = [(slots[key], var) for var, key in enumerate(loop.merge_keys) if key in slots]
    routes = [(True, slots[f[1]]) if isinstance(f, tuple) else (False, f) for f in loop.fetches]
    n_vars = len(current)
    iterations = 0
    while True:
        values = first.copy()
        for slot, var in merges:
            values[slot] = current[var]
        fetched = run(values, bind)
        iterations += 1
        out = [values[x] if fed else fetched[x] for fed, x in routes]
        if not out[0]:
            return (tuple(out[1 + n_vars:]) if loop.n_exits != 1 else out[1 + n_vars]), iterations
        current = out[1:1 + n_vars]


def collapse(table, plan_sub, soft=False):
    """`table` with each outermost frame replaced by a loop node (see the module docstring); `table`
    itself if it has no frame. `plan_sub(sub_table, fetches, feeds, ref_feeds, device, targets)` plans a frame's ops
    as one Partition."""
    enters = {}
    for name, spec in table.items():
        if spec.role == ENTER:
            enters.setdefault(spec.attrs.get("frame_name", ""), []).append(name)
    if not enters:
        return table
    users = _users(table)
    members = {frame: _members(table, users, names) for frame, names in enters.items()}
    inner = set()
    for frame, levels in members.items():
        inner.update(f for f, names in enters.items() if f != frame and names[0] in levels)
    out = dict(table)
    for frame in enters:
        if frame not in inner:
            _replace(out, table, frame, enters[frame], members[frame], plan_sub, soft)
    return out


def _users(table):
    users = {name: [] for name in table}
    for name, spec in table.items():
        for src, _ in spec.inputs:
            if src in users:
                users[src].append(name)
        for src in spec.control:
            if src in users:
                users[src].append(name)
    return users


def _members(table, users, enters):
    """node -> its nesting level below the frame (0: the frame's own ops) for the frame of `enters`."""
    level = {e: 0 for e in enters}
    stack = list(enters)
    while stack:
        name = stack.pop()
        d = level[name] - (table[name].role == EXIT)
        if d < 0:
            continue  # one of the frame's own Exits: what reads it is outside
        for user in users[name]:
            if user not in level:
                level[user] = d + (table[user].role == ENTER)
                stack.append(user)
    return level


def _replace(out, table, frame, enters, levels, plan_sub, soft):
    own = {n for n, d in levels.items() if d == 0}
    exits = [n for n in levels if n in own and table[n].role == EXIT]
    conds = [n for n in own if table[n].role == LOOP_COND]
    if len(conds) != 1:
        return  # not a loop TF1 builds: its ops stay as they are (and are only an error where a step needs them)
    enter_pos = {e: i for i, e in enumerate(enters)}
    merge_keys, merge_inputs, next_keys = [], [], []
    for name in levels:
        spec = table[name]
        if name in own and spec.role == MERGE and len(spec.inputs) == 2:
            first, back = spec.inputs
            if first[0] in enter_pos and table.get(back[0]) is not None and table[back[0]].role == NEXT_ITERATION:
                merge_keys.append((name, 0))
                merge_inputs.append(enter_pos[first[0]])
                next_keys.append(table[back[0]].inputs[0])
    device = _device(table, levels, frame, soft)
    skip = {n for n in own if table[n].role in (ENTER, EXIT, NEXT_ITERATION)}
    sub = {n: table[n] for n in levels if n not in skip}
    merges = {key[0] for key in merge_keys}  # fed each iteration: a wait on one (the cond's pivot) is void
    for n, spec in sub.items():
        if merges.intersection(spec.control):
            sub[n] = replace(spec, control=tuple(c for c in spec.control if c not in merges))
    enter_keys = tuple((e, 0) for e in enters)
    fetch_keys = [(conds[0], 0)] + next_keys + [table[x].inputs[0] for x in exits]
    ref_feeds = {(e, 0) for e in enters if table[e].ref_outputs}
    # what a NextIteration waits for runs once per iteration too (a gradient's pushes of forward values)
    targets = sorted({c for n in own if table[n].role == NEXT_ITERATION for c in table[n].control})
    part, routes = plan_sub(sub, fetch_keys, list(enter_keys) + merge_keys, ref_feeds, device, targets)
    loop = Loop(name=frame, part=part, enter_keys=enter_keys, merge_keys=tuple(merge_keys),
                merge_inputs=tuple(merge_inputs), fetches=tuple(routes), n_exits=len(exits),
                parallel=int(table[enters[0]].attrs.get("parallel_iterations", 1) or 1))
    for name in levels:
        del out[name]
    controls = {c for n in levels for c in table[n].control if c not in levels}
    first = table[enters[0]]
    out[frame] = type(first)(
        name=frame, op_type="_Loop", kernel=run_loop, attrs={"loop": loop}, stateful=True,
        inputs=tuple(table[e].inputs[0] for e in enters), control=tuple(sorted(controls)), device=device,
        device_text=first.device_text, n_outputs=len(exits),
        ref_args=tuple(i for i, e in enumerate(enters) if table[e].ref_outputs))
    for k, x in enumerate(exits):
        spec = table[x]
        out[x] = type(spec)(name=x, op_type=spec.op_type, kernel=spec.kernel, attrs=spec.attrs,
                            inputs=((frame, k),), control=(), device=device, device_text=spec.device_text,
                            role=PASS_THROUGH)


def _device(table, levels, frame, soft):
    """The merged device request of a frame's ops; LoopError if two of them conflict (the first one's, with
    soft placement)."""
    merged, first = None, None
    for name in sorted(levels, key=lambda n: not table[n].stateful):  # stateful ops first: they decide
        request = table[name].device
        if merged is None:
            merged, first = request, name
            continue
        both = []
        for a, b in zip(merged, request):
            if a is not None and b is not None and a != b:
                if soft or not table[name].stateful:
                    both = list(merged)
                    break
                raise LoopError(f"while loop {frame} has ops on different devices ({first} on "
                                f"'{table[first].device_text}', {name} on '{table[name].device_text}'): a loop "
                                f"runs on one device", name)
            both.append(a if a is not None else b)
        merged = tuple(both)
    return merged

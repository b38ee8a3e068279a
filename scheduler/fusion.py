"""Fusing elementwise regions of a partition into one node each, when planning (after gradients are built), and
before that merging an op with the consumer its op table entry remaps (`remap`: MaxPoolGrad and the ReluGrad of its
value, as TF's grappler remaps patterns of ops to fused kernels), after it with the region that alone reads its
value (a convolution and its bias + ReLU).

An elementwise op (its table entry says so: each output element depends only on the input elements at
the same broadcast position) costs the executor a dispatch, a waiting-count update and a timing per run,
more than the arithmetic of a small tensor. `fuse` gathers connected elementwise nodes of a partition
into regions and replaces each region of two or more nodes by one `_FusedElementwise` node whose kernel
(`run_fused`) runs the members' own kernels in order, compiled on its device into one straight-line
function (a member one line, each value dropped after its last use): the same numbers as unfused, one
dispatch. Large regions run in blocks of rows, whose
temporaries stay in cache, shared among the device's intra-op threads when the step lets kernels split
themselves (intra_op.py). An op whose element formula is costly (tanh, exp, sigmoid: numpy runs them at
3-15 ns per float32) and that joins no region keeps its node, with a kernel that runs the formula as a
compiled loop where one applies (jit.py): a tanh between two matmuls.

A region never hides a value someone else needs: a member's output read outside the region, sent to
another device or fetched is an output of the fused node. A node joins the region of one of its
producers only if none of its other producers depends on that region (no cycle through an outside
node). Members are plain nodes: not stateful, no control sends. Downstream of a switch (a loop's body, a
cond's branch) the fused node is dead when any of its inputs is, so there a region is fused only when each
value leaving it would die of the same causes (the same switches' predicates) as all of its inputs.
"""
import heapq
from dataclasses import dataclass, field, replace

from . import intra_op, jit
from .executor import StepError
from .optimize import REWRITTEN
from .partition import CONSTANT, INPUTS, PASS_THROUGH, SWITCH, Compiled, Node

FUSED_OP = "_FusedElementwise"
REMAPPED_FROM = "_remapped_from"   # an attr of a node merged with its producer (`remap`): the producer's name
MAX_SEARCH = 4096    # nodes a cycle check may visit before it gives up (and refuses the join)
# A large region runs in blocks of rows (intra_op.rows) shared among the device's threads only when each
# block is worth a thread hand-off (~0.1 ms here, and the GIL changes hands at every member's kernel): at
# least BLOCK elements and BLOCK_WORK member-elements per block. Measured in-process on 2 cores: a 48-op
# chain over 1M floats 10.2 ms unfused, 8.3 ms in blocks of 2^18 elements, 22.7 ms in blocks of 2^15;
# add + relu over 800K floats 0.52 ms whole, 2.1 ms in 2^18-element blocks.
BLOCK = 1 << 18
BLOCK_WORK = 1 << 23


@dataclass(slots=True, frozen=True, kw_only=True, eq=False)
class Program:
    """A fused region: its members in order, each (name, kernel, attrs, args); an arg >= 0 is the fused
    node's input of that position, ~j the value of member j. `outputs`: the members whose values leave
    the region; `drops[j]`: the member values no longer needed once member j ran; `formulas`: per member
    (its element formula or None, args), for the region's compiled loops (jit.py)."""

    members: tuple
    outputs: tuple
    drops: tuple
    formulas: tuple = ()
    loops: dict = field(init=False, default_factory=dict)   # its compiled loops (jit.loop_for)
    compiled: Compiled = field(init=False, default_factory=Compiled)  # its function, once its device ran it
    layouts: dict = field(init=False, default_factory=dict)  # its outputs' layout in blocks (intra_op.rows)

    def run(self, inputs):
        """The outputs' values (a tuple) for the fused node's `inputs`."""
        run = self.compiled.run
        if run is None:
            run = self.compiled.run = self._compile()
        return run(inputs)

    def _compile(self):
        """The program as one straight-line function (a member one line, as straight_line.py does for a
        partition): run(inputs) -> the outputs' values; a failing member raises StepError naming it."""
        scope = {"StepError": StepError, "NAMES": [m[0] for m in self.members]}
        used = sorted({a for m in self.members for a in m[3] if a >= 0})
        lines = ["def run(inputs):", *(f"    x{a} = inputs[{a}]" for a in used), "    j = 0", "    try:"]
        for j, (_, kernel, attrs, args) in enumerate(self.members):
            scope[f"K{j}"], scope[f"A{j}"] = kernel, attrs
            call = ", ".join([f"A{j}"] + [f"x{a}" if a >= 0 else f"v{~a}" for a in args])
            lines += [f"        j = {j}", f"        v{j} = K{j}({call})"]
            if self.drops[j]:
                lines.append(f"        del {', '.join(f'v{k}' for k in self.drops[j])}")
        lines += ["    except Exception as e:  # noqa: BLE001 - reported as the member's failure, as unfused",
                  "        raise StepError(NAMES[j], e) from None",
                  f"    return ({''.join(f'v{j}, ' for j in self.outputs)})"]
        exec(compile("\n".join(lines), f"<fused region of {len(self.members)} ops>", "exec"), scope)  # noqa: S102
        return scope["run"]


def run_fused(attrs, *inputs):
    """The fused node's kernel."""
    program = attrs["program"]
    out = jit.loop_for(program.formulas, program.outputs, inputs, program.loops, attrs.get("into"))
    if out is not None:
        return out[0] if len(out) == 1 else tuple(out)
    out = intra_op.rows(program.run, inputs, max(BLOCK, BLOCK_WORK // len(program.members)), program.layouts)
    return out[0] if len(program.outputs) == 1 else out   # (none: a region read only through control edges)


def fusable(node):
    return node.elementwise and not node.stateful and not (node.conditional and node.controls) \
        and node.role is None and len(node.outputs) == 1


def fuse(nodes, deps, keep, live=frozenset()):
    """(nodes, deps, renumber) with each op merged with the consumer its entry remaps (`remap`) and each
    elementwise region replaced by one fused node; `keep`: slots read outside the partition (sent, fetched);
    `live`: slots filled before the step that are never dead (feeds, folded constants). renumber maps each old
    index to the new index of the node itself or of the node that holds it."""
    nodes, deps, first = remap(nodes, deps, keep)
    nodes, deps, then = _fuse_regions(nodes, deps, keep, live)
    nodes, deps, last = remap(nodes, deps, keep)   # (an op and the region reading its value: a Remap to REGION)
    return nodes, deps, {i: last[then[j]] for i, j in first.items()}


def remap(nodes, deps, keep):
    """(nodes, deps, renumber) with each node merged with its consumer where the node's op table entry names
    that consumer among its `remaps` (registry.Remap, as TF's grappler remaps MaxPoolGrad + ReluGrad...): the
    consumer reads the node's only output, which it alone reads and nothing fetches or sends, at the rule's
    input, and its other inputs are the node's own, as the rule says (or any, where the rule takes `others`); both
    are plain nodes (no role, not downstream of a switch; the node stateless, the consumer may be stateful: an
    optimizer's update of the product that is its gradient), the consumer has no control input from the node, and
    nothing else waits for the node before the consumer (each node in one merge). The merged node takes the
    consumer's place, name, outputs and statefulness, and the node's inputs followed by the consumer's others; its
    kernel (`run_remapped`) computes the consumer's outputs from them."""
    if not any(node.remaps for node in nodes):   # (most partitions: planning runs this twice)
        return nodes, deps, {i: i for i in range(len(nodes))}
    readers = {}
    for i, node in enumerate(nodes):
        for s in node.inputs:
            readers.setdefault(s, []).append(i)
    waiters = {}
    for i, waits in enumerate(deps):
        for d in waits:
            waiters.setdefault(d, set()).add(i)
    merged = {}   # consumer -> (producer, rule)
    for p, node in enumerate(nodes):
        if not node.remaps or not _plain(node) or len(node.outputs) != 1 or node.outputs[0] in keep or p in merged:
            continue   # (a node merged into its own producer's node merges no further)
        users = readers.get(node.outputs[0], ())
        c = users[0] if len(users) == 1 else None
        if c is None or c in merged or p in nodes[c].controls or any(w < c for w in waiters.get(p, ()) if w != c):
            continue
        consumer = nodes[c]
        for rule in node.remaps:
            ok = (rule.consumer == consumer.op_type and consumer.role is None and not consumer.conditional
                  and (rule.others or len(consumer.inputs) == 1 + len(rule.same))
                  and rule.at < len(consumer.inputs) and consumer.inputs[rule.at] == node.outputs[0]
                  and all(consumer.inputs[ci] == node.inputs[pi] for ci, pi in rule.same))
            if ok:
                merged[c] = (p, rule)
                break
    if not merged:
        return nodes, deps, {i: i for i in range(len(nodes))}
    gone = {p for p, _ in merged.values()}
    position = {i: n for n, i in enumerate(i for i in range(len(nodes)) if i not in gone)}
    renumber = {**position, **{p: position[c] for c, (p, _) in merged.items()}}
    new_nodes, new_deps = [], []
    for i in position:
        p, rule = merged.get(i, (None, None))
        waits = set(deps[i]) if p is None else (set(deps[p]) | set(deps[i])) - {p}
        new_nodes.append(nodes[i] if p is None else _remapped(nodes[p], nodes[i], rule))
        new_deps.append(tuple(sorted({renumber[d] for d in waits})))
    return new_nodes, new_deps, renumber


def _plain(node):
    return not node.stateful and node.role is None and not node.conditional


def _others(producer, consumer, rule):
    """The positions of the consumer's inputs that are neither the producer's value nor its inputs (`remap`)."""
    taken = {rule.at} | {ci for ci, _ in rule.same}
    return tuple(i for i in range(len(consumer.inputs)) if i not in taken)


def _remapped(producer, consumer, rule):
    """The node that computes `consumer` from `producer`'s inputs and the consumer's others (`remap`); in partition
    graphs and traces it is the consumer's node, of op type _Fused<producer's>, reading those (as grappler's fused
    ops); a region's node still lists the ops it holds."""
    others = _others(producer, consumer, rule)
    attrs = {"producer": producer, "consumer": consumer, "remap": rule, "others": others,
             REMAPPED_FROM: producer.name,   # (the consumer writes into the value where it may: no one else holds it)
             "consumer_attrs": {**consumer.attrs, "into": rule.at} if consumer.reuse and producer.fresh
             else consumer.attrs}
    if consumer.op_type == FUSED_OP:
        attrs.update(program=consumer.attrs["program"], fused_ops=consumer.attrs["fused_ops"])
    else:
        attrs[REWRITTEN] = True
    n = len(producer.inputs)
    return Node(name=consumer.name, op_type="_Fused" + producer.op_type, attrs=attrs, stateful=consumer.stateful,
                kernel=run_remapped_stateful if consumer.stateful else run_remapped,
                inputs=producer.inputs + tuple(consumer.inputs[i] for i in others),
                deref=producer.deref + tuple(n + k for k, i in enumerate(others) if i in consumer.deref),
                outputs=consumer.outputs, controls=producer.controls + consumer.controls, fresh=consumer.fresh)


def run_remapped(attrs, *inputs):
    """A merged node's kernel (`remap`): the rule's kernel, or where it does not apply the producer's kernel and
    the consumer's, each failure reported as that op's."""
    return _run_remapped(attrs, None, inputs)


def run_remapped_stateful(attrs, binding, *inputs):
    """`run_remapped` for a stateful consumer: the consumer's resource binding goes to its kernel."""
    return _run_remapped(attrs, binding, inputs)


def _run_remapped(attrs, binding, inputs):
    producer, consumer, rule = attrs["producer"], attrs["consumer"], attrs["remap"]
    n = len(producer.inputs)
    try:
        out = rule.kernel(producer.attrs, consumer.attrs, *inputs)
        value = producer.kernel(producer.attrs, *inputs[:n]) if out is None else None
    except StepError:
        raise
    except Exception as e:  # noqa: BLE001 - reported as the producer's failure, as unmerged
        raise StepError(producer.name, e) from None
    if out is not None:
        return out
    args = [None] * len(consumer.inputs)
    args[rule.at] = value
    for ci, pi in rule.same:
        args[ci] = inputs[pi]
    for i, v in zip(attrs["others"], inputs[n:]):
        args[i] = v
    try:
        if consumer.stateful:
            return consumer.kernel(attrs["consumer_attrs"], binding, *args)
        return consumer.kernel(attrs["consumer_attrs"], *args)
    except StepError:
        raise
    except Exception as e:  # noqa: BLE001 - reported as the consumer's failure, as unmerged
        raise StepError(consumer.name, e) from None


def _fuse_regions(nodes, deps, keep, live):
    readers = {}
    for i, node in enumerate(nodes):
        for s in node.inputs:
            readers.setdefault(s, set()).add(i)
    deaths = _deaths(nodes, live) if any(node.conditional for node in nodes) else None
    made = {s: node for node in nodes for s in node.outputs}
    lone = {s for s, r in readers.items() if len(r) == 1 and s not in keep and s in made and made[s].fresh}
    for strict in (False, True):
        regions = [members for members in _regions(nodes, deps, strict)
                   if _dies_whole(nodes, members, readers, keep, deaths)]
        if not regions:
            return [_alone(node, lone) for node in nodes], deps, {i: i for i in range(len(nodes))}
        member_of = {i: r for r, members in enumerate(regions) for i in members}
        items, waits, order = _order(len(nodes), deps, regions, member_of)
        if order is not None:
            break
    fused = [_fused_node(nodes, members, readers, keep) for members in regions]
    # the new list: kept nodes and fused nodes, producers first (a fused node where its last member was)
    position = {item: n for n, item in enumerate(order)}
    new_nodes = [_alone(nodes[x], lone) if kind == "node" else fused[x] for kind, x in order]
    at = {item: n for n, item in enumerate(items)}
    new_deps = [tuple(sorted(position[w] for w in waits[at[item]])) for item in order]
    renumber = {i: position[("fused", member_of[i])] if i in member_of else position[("node", i)]
                for i in range(len(nodes))}
    return new_nodes, new_deps, renumber


def _dies_whole(nodes, members, readers, keep, deaths):
    """Whether a region, run as one node that is dead when any input is (downstream of a switch), lets
    each value out as dead as it is unfused: always when no member may see a dead value; else when every
    value that leaves dies of the same causes as the region's inputs together (`deaths`, see `_deaths`: in
    a while loop's body every value lives or dies with the iteration)."""
    if not any(nodes[i].conditional for i in members):
        return True
    made = {nodes[i].outputs[0]: i for i in members}
    dies_of = {}
    for i in members:   # producers first
        dies_of[i] = frozenset().union(*(dies_of[made[s]] if s in made else deaths(s) for s in nodes[i].inputs))
    every = frozenset().union(*dies_of.values())
    inside = set(members)
    return all(dies_of[i] == every for i in members
               if nodes[i].outputs[0] in keep or readers.get(nodes[i].outputs[0], set()) - inside)


def _deaths(nodes, live):
    """slot -> what may make its value dead, as a set of causes: a switch's predicate taking the other
    branch (pred slot, branch: the switches of one loop or cond share it), or a value of unknown deadness
    (a received slot, a merge's output). A value is dead when any of its causes is; live slots (feeds,
    folded constants) and the outputs of nodes no switch precedes have none."""
    death, dead_node = {}, []   # slot -> its causes; node -> the causes of its being dead (as a control input)

    def of(s):
        return death.get(s, frozenset() if s in live else frozenset([s]))
    for i, node in enumerate(nodes):
        if not node.conditional and node.role != SWITCH:
            dead_node.append(frozenset())
            death.update((out, frozenset()) for out in node.outputs)
            continue
        base = frozenset().union(*(of(s) for s in node.inputs), *(dead_node[c] for c in node.controls))
        plain = node.role in (None, CONSTANT, PASS_THROUGH)   # dead when an input (or a control input) is
        dead_node.append(base if plain else frozenset([("node", i)]))
        for k, out in enumerate(node.outputs):
            if node.role == SWITCH:
                pred = node.inputs[1] if len(node.inputs) > 1 else ("node", i)
                death[out] = base | {(pred, k)}   # (outputs: false, true)
            else:
                death[out] = base if plain else frozenset([out])   # a merge, a loop's own nodes: their own rules
    return of


def _alone(node, lone):
    """`node`, or where it is an elementwise op with an element formula outside any region, the same node whose
    kernel runs its formula as a compiled loop when its inputs are large enough and the formula is costly (a tanh
    between two matmuls) or the loop may write into an input's buffer (a ReluGrad of an output not remapped): an
    input in `lone`, made by a `fresh` node and read by this one alone."""
    if node.scalar is None or node.stateful or node.role is not None or len(node.outputs) != 1 or not (
            getattr(node.scalar, "costly", False) or any(s in lone for s in node.inputs)):
        return node   # (downstream of a switch it may be: the executor, not the kernel, sees dead inputs)
    return replace(node, kernel=_CompiledOp(node.kernel, ((node.scalar, tuple(range(len(node.inputs)))),)),
                   reuse=True)


class _CompiledOp:
    """A kernel that runs its op's formula as a compiled loop where one applies (jit.loop_for), else itself: a
    costly formula always, another one where it may write into an input's buffer (attrs["into"])."""

    __slots__ = ("kernel", "formulas", "loops", "costly")

    def __init__(self, kernel, formulas):
        self.kernel, self.formulas, self.loops = kernel, formulas, {}
        self.costly = getattr(formulas[0][0], "costly", False)

    def __call__(self, attrs, *inputs):
        into = attrs.get("into")
        out = jit.loop_for(self.formulas, (0,), inputs, self.loops, into) if self.costly or into is not None else None
        return self.kernel(attrs, *inputs) if out is None else out[0]


def _order(n, deps, regions, member_of):
    """The kept nodes and fused regions as items ("node", i) and ("fused", r), what each waits for, and
    their order, producers first (None if regions wait for each other: each region is convex, but two
    grown greedily may still form a cycle; the strict rule of `_regions` cannot)."""
    items = [("node", i) for i in range(n) if i not in member_of] + [("fused", r) for r in range(len(regions))]
    waits = []
    for kind, x in items:
        ds = deps[x] if kind == "node" else {d for i in regions[x] for d in deps[i]}
        waits.append({("fused", member_of[d]) if d in member_of else ("node", d) for d in ds} - {(kind, x)})
    return items, waits, _topological(items, waits, lambda it: it[1] if it[0] == "node" else regions[it[1]][-1])


def _topological(items, waits, priority):
    index = {item: n for n, item in enumerate(items)}
    users = [[] for _ in items]
    count = [len(w) for w in waits]
    for n, w in enumerate(waits):
        for src in w:
            users[index[src]].append(n)
    ready = [(priority(items[n]), n) for n in range(len(items)) if not count[n]]
    heapq.heapify(ready)
    order = []
    while ready:
        n = heapq.heappop(ready)[1]
        order.append(items[n])
        for u in users[n]:
            count[u] -= 1
            if not count[u]:
                heapq.heappush(ready, (priority(items[u]), u))
    return order if len(order) == len(items) else None


def _regions(nodes, deps, strict=False):
    """Lists of node indices (increasing), one per region of two or more fusable nodes. A node joins the
    region of its first producer it may join, and the regions of its other producers join that one too
    when the union stays convex (no path leaves it and comes back); `strict`: only when what the union
    waits for from outside all comes before its first member."""
    producer = {s: i for i, node in enumerate(nodes) for s in node.outputs}
    region_of, regions = {}, []
    for i, node in enumerate(nodes):
        if not fusable(node):
            continue
        target = None
        for r in dict.fromkeys(region_of.get(producer.get(s)) for s in node.inputs):
            if r is None or r == target:
                continue
            members = regions[r]
            if target is None:
                outside = [d for d in deps[i] if region_of.get(d) != r]
                if all(d < members[0] for d in outside) if strict else \
                        not _reaches(outside, set(members), members[0], deps):
                    target = r
                    members.append(i)
                    region_of[i] = r
                continue
            union = set(members) | set(regions[target])
            lo = min(members[0], regions[target][0])
            outside = [d for m in union for d in deps[m] if d not in union]
            if all(d < lo for d in outside) if strict else not _reaches(outside, union, lo, deps):
                regions[target] = sorted(union)
                for m in members:
                    region_of[m] = target
                regions[r] = []
        if target is None:
            region_of[i] = len(regions)
            regions.append([i])
    return [members for members in regions if len(members) > 1]


def _reaches(starts, members, lo, deps):
    """Whether any member is among `starts` or what they wait for (transitively), looking no further back
    than node `lo` (members start there); True also when the search grows too large to finish."""
    seen, stack = set(), list(starts)
    while stack:
        d = stack.pop()
        if d < lo or d in seen:
            continue
        if d in members:
            return True
        seen.add(d)
        if len(seen) > MAX_SEARCH:
            return True
        stack.extend(deps[d])
    return False


def _fused_node(nodes, members, readers, keep):
    member_set = set(members)
    made = {nodes[i].outputs[0]: j for j, i in enumerate(members)}
    inputs, deref, specs, last_use = [], [], [], {}
    for j, i in enumerate(members):
        node = nodes[i]
        args = []
        for p, s in enumerate(node.inputs):
            if s in made:
                args.append(~made[s])
                last_use[made[s]] = j
                continue
            if s not in inputs:
                inputs.append(s)
            args.append(inputs.index(s))
            if p in node.deref and inputs.index(s) not in deref:
                deref.append(inputs.index(s))
        specs.append((node.name, node.kernel, node.attrs, tuple(args)))
    outputs = tuple(j for j, i in enumerate(members)
                    if nodes[i].outputs[0] in keep or readers.get(nodes[i].outputs[0], set()) - member_set)
    drops = [[] for _ in members]
    for k, j in last_use.items():
        if k not in outputs:
            drops[j].append(k)
    last = nodes[members[-1]]
    formulas = tuple((nodes[i].scalar, spec[3]) for i, spec in zip(members, specs))
    program = Program(members=tuple(specs), outputs=outputs, drops=tuple(tuple(d) for d in drops),
                      formulas=formulas if all(f is not None for f, _ in formulas) else ())
    return Node(name=f"fused/{last.name}", op_type=FUSED_OP, kernel=run_fused,
                conditional=any(nodes[i].conditional for i in members),
                keep=INPUTS if all(nodes[i].keep for i in members) else None, reuse=bool(program.formulas),
                attrs={"program": program, "fused_ops": tuple(nodes[i].name for i in members)},
                inputs=tuple(inputs), deref=tuple(sorted(deref)),
                outputs=tuple(nodes[members[j]].outputs[0] for j in outputs))


"""Planning a step: prune the graph table to what the fetches need, place each node on a device, and
cut the result into one `Partition` per device, joined by send/receive keys (folding constants into
pre-filled slots and splicing out pass-throughs on the way).

The input is plain data: a dict of `NodeSpec` by name (made by the client from its graph), fetch keys
`(node, output)`, target names, fed keys, and the session's device names. The output `Plan` is plain
data too, cached by the client and shipped once to each device. With RAYGRAPH_CHECK_PLANS=1 in the
environment every partition planned is checked (`check_partition`; the tests do that).
"""
import heapq
import os
from dataclasses import dataclass, field, replace
from functools import partial

from . import frames, fusion, optimize
from .partition import (CONSTANT, CONSTANT_INPUTS, INPUTS, MUST_FEED, PASS_THROUGH, ROLES, SHAPES, SWITCH, Node,
                        Partition, PartitionError)
from .partition import check_partition

_ANY = (None, None, None, None, None)


@dataclass(slots=True, frozen=True, kw_only=True)
class NodeSpec:
    """A graph node as the scheduler sees it."""

    name: str
    op_type: str
    kernel: object = None
    attrs: dict = field(default_factory=dict)
    stateful: bool = False
    inputs: tuple = ()          # [(producer name, output index)]
    control: tuple = ()         # [producer name]
    device: tuple = _ANY        # requested (job, replica, task, type, index), None = any
    device_text: str = ""       # the requested device as the user wrote it, for messages
    colocate: tuple = ()        # names this node must share a device with
    n_outputs: int = 1
    ref_args: tuple = ()        # input positions that take a variable ref (writers: Assign...)
    ref_outputs: tuple = ()     # output positions that are variable refs
    role: str | None = None     # what the engine treats specially (partition.ROLES), from the op's entry
    unfed_error: str | None = None  # for a MUST_FEED node: the error message for running it unfed
    elementwise: bool = False   # its entry says each output element depends only on the inputs' at its position
    pure: bool = False          # its outputs depend on its inputs alone: CSE may merge it, folding precompute it
    shape_only: bool = False    # ... on its inputs' shapes alone (Shape, Size, Rank)
    algebra: object = None      # what arithmetic it computes, for grappler's rewrites (optimize.Algebra), or None
    scalar: object = None       # its float32 element formula, for compiled loops of fused regions (jit.py), or None
    fresh: bool = False         # its kernel's outputs are new arrays nothing else holds
    remaps: tuple = ()          # consumers its kernel may run with as one node (registry.Remap, fusion.py)

    def __post_init__(self):
        if self.role not in ROLES:
            raise ValueError(f"node {self.name}: unknown role {self.role!r} (known: {ROLES})")


class PlanError(Exception):
    """A step that cannot be planned; `code` is a TF error code name, `node` the node at fault."""

    def __init__(self, code, message, node=None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.node = node


@dataclass(slots=True, frozen=True, kw_only=True, eq=False)
class Plan:
    """Per-device partitions and how the client routes feeds to them and fetches back."""

    partitions: dict     # device name -> Partition
    feed_routes: dict    # fed key -> [device name]
    fetch_routes: list   # per fetch: ("fed", key) or (device name, position)
    placement: dict      # node name -> device name
    id: str = ""         # the client's name for it (devices keep installed partitions by it)


def _with_constant_inputs(node, consts):
    """`node`, its attrs telling which of its inputs are folded constants (CONSTANT_INPUTS) where some are."""
    at = tuple(i for i, s in enumerate(node.inputs) if s in consts)
    return replace(node, attrs={**node.attrs, CONSTANT_INPUTS: at}) if at else node


# ----- pruning ------------------------------------------------------------------------------------------
def prune(table, fetches, targets, feeds):
    """Names of the nodes the fetches and targets need, given the fed tensors (in dependency order)."""
    fed = set(feeds)
    order, state = [], {}
    path = []  # the nodes being expanded, each needing the next: where a cycle shows up
    roots = [name for name, i in fetches if (name, i) not in fed] + list(targets)
    for root in roots:
        if root in state:
            continue
        stack = [(root, False)]
        while stack:
            name, expanded = stack.pop()
            if expanded:
                state[name] = 2
                order.append(name)
                path.pop()
                continue
            mark = state.get(name)
            if mark == 2:
                continue
            if mark == 1:
                raise _cycle_error(path[path.index(name):])
            state[name] = 1
            path.append(name)
            stack.append((name, True))
            spec = table[name]
            for key in spec.inputs:
                if key not in fed and state.get(key[0]) != 2:
                    stack.append((key[0], False))
            for c in spec.control:
                if state.get(c) != 2:
                    stack.append((c, False))
    return order


def _cycle_error(needs):
    """`needs`: nodes each needing the next, the last needing the first; named in the data's direction."""
    flow = needs[::-1]
    return PlanError("INVALID_ARGUMENT", f"Graph is invalid, contains a cycle with {len(flow)} nodes: "
                                         f"{' -> '.join(flow + [flow[0]])}", flow[0])


# ----- placement -----------------------------------------------------------------------------------------
class _Groups:
    """Union-find over colocation groups."""

    def __init__(self):
        self.parent = {}

    def find(self, x):
        root = x
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        self.parent[x] = root
        return root

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


def _merge(a, b):
    """Field-by-field merge of two device requests; None if they conflict."""
    out = []
    for x, y in zip(a, b):
        if x is not None and y is not None and x != y:
            return None
        out.append(x if x is not None else y)
    return tuple(out)


def _matches(request, fields):
    return all(r is None or r == f for r, f in zip(request, fields))


def place(table, names, devices, soft=False):
    """node name -> device name for the needed nodes; PlanError when a request cannot be met.

    `devices` is a list of (name, (job, replica, task, type, index)); nodes of one colocation group get
    one device, chosen from the merge of their requests.
    """
    groups = _Groups()
    for name in names:
        for other in table[name].colocate:
            groups.union(name, other)
    requested = {}
    for name in names:
        root = groups.find(name)
        spec = table[name].device
        if root not in requested:
            requested[root] = (spec, name)
            continue
        merged = _merge(requested[root][0], spec)
        if merged is None:
            if not soft:
                first = requested[root][1]
                raise PlanError("INVALID_ARGUMENT",
                                f"Cannot colocate nodes {{{{colocation_node {first}}}}} and {{{{colocation_node "
                                f"{name}}}}}: Cannot merge devices with incompatible specifications: "
                                f"'{table[first].device_text}' and '{table[name].device_text}'", name)
            continue
        requested[root] = (merged, requested[root][1])
    chosen, out = {}, {}
    for name in names:
        root = groups.find(name)
        if root not in chosen:
            spec, first = requested[root]
            chosen[root] = _choose(spec, devices, soft, first, table[first].device_text)
        out[name] = chosen[root]
    return out


def _choose(spec, devices, soft, node, raw):
    matches = [d for d in devices if _matches(spec, d[1])]
    if not matches and soft:
        matches = [d for d in devices if _matches(spec[:3] + (None, None), d[1])]  # only type/index relax
    if not matches:
        kind = spec[3]
        if kind and not any(d[1][3] == kind for d in devices):
            reason = (f"Could not satisfy explicit device specification '{raw}' because no supported kernel "
                      f"for {kind} devices is available.")
        else:
            reason = (f"Could not satisfy explicit device specification '{raw}' because no devices matching "
                      f"that specification are registered in this process; available devices: "
                      f"{', '.join(d[0] for d in devices)}")
        raise PlanError("INVALID_ARGUMENT", f"Cannot assign a device for operation {node}: {reason}", node)
    if spec[3] is None:  # unconstrained type: a GPU if there is one, as TF1 prefers
        for d in matches:
            if d[1][3] == "GPU":
                return d[0]
    return matches[0][0]


def _feeds_stand_in(table, fed):
    """`table`, less the control edges from fed placeholders: as in TF, the feed stands in for the node."""
    fed_nodes = {name for name, _ in fed if name in table and table[name].role == MUST_FEED}
    changed = {name: replace(spec, control=tuple(c for c in spec.control if c not in fed_nodes))
               for name, spec in table.items() if fed_nodes.intersection(spec.control)}
    return {**table, **changed} if changed else table


# ----- partitioning --------------------------------------------------------------------------------------
def build_plan(table, fetches, targets, feeds, devices, soft=False, plan_id="", ref_feeds=(), optimizations=None):
    """The whole plan for one (fetches, targets, feeds) signature: collapse loops, prune, rewrite (optimize.py),
    place, cut, fold, splice and fuse. `ref_feeds`: fed keys whose values are variable refs (a loop's
    RefEnters, frames.py). `optimizations` (optimize.Optimizations): those of the table's session if None."""
    opts = optimizations or getattr(table, "optimizations", None) or optimize.Optimizations()
    feeds = list(feeds)
    fed = set(feeds)
    table = _feeds_stand_in(table, fed)
    try:
        table = frames.collapse(table, partial(_plan_frame, optimizations=opts), soft)
    except frames.LoopError as e:
        raise PlanError("UNIMPLEMENTED", str(e), e.node) from None
    names = prune(table, fetches, targets, feeds)
    for name in names:
        if table[name].role == MUST_FEED:
            raise PlanError("INVALID_ARGUMENT", table[name].unfed_error or f"You must feed a value for {name}",
                            name)
    rewritten, names, rename = optimize.rewrite(table, names, fed, [key[0] for key in fetches], opts)
    if rename:  # a fetched duplicate is fetched from the node kept in its place
        fetches = [key if key in fed else (rename.get(key[0], key[0]), key[1]) for key in fetches]
    if rewritten is not table:  # constants that only fed folded nodes are no longer needed (TF removes them too)
        table = rewritten
        names = prune(table, fetches, [rename.get(t, t) for t in targets], feeds)
    placement = place(table, names, devices, soft)
    cut = _Cut(table, fed, placement, opts.fuse)
    cut.carrying.update((key, key[0]) for key in ref_feeds)
    for name in cut_order(table, names, fed):  # producers before consumers
        cut.add(table[name])
    feed_routes = {}
    for dev, b in cut.builders.items():
        for key in b.feeds:
            feed_routes.setdefault(key, []).append(dev)
    fetch_routes = []
    for key in fetches:
        if key in fed:
            fetch_routes.append(("fed", key))
        else:
            dev = placement[key[0]]
            fetch_routes.append((dev, cut.builder(dev).fetch(key, key in cut.carrying)))
    partitions = {dev: b.finish() for dev, b in cut.builders.items()}
    if os.environ.get("RAYGRAPH_CHECK_PLANS") == "1":
        for dev, part in partitions.items():
            try:
                check_partition(part)
            except PartitionError as e:
                raise PartitionError(f"the partition for {dev} is broken: {e}\n{part}", e.node) from None
    return Plan(partitions=partitions, feed_routes=feed_routes, fetch_routes=fetch_routes, placement=placement,
                id=plan_id)


def _plan_frame(table, fetches, feeds, ref_feeds, device, targets, optimizations):
    """A loop frame's ops as one partition on the loop's device, and per fetch its position there (or
    ("fed", key) for a fetch of a fed value)."""
    plan = build_plan(table, fetches, targets, feeds, [("loop", device)], soft=True, ref_feeds=ref_feeds,
                      optimizations=optimizations)
    part = plan.partitions.get("loop") or Partition(nodes=(), deps=(), n_slots=0)
    return part, [route if route[0] == "fed" else route[1] for route in plan.fetch_routes]


def cut_order(table, names, fed):
    """The ordering policy: the order nodes are cut (and numbered) in. Producers come before consumers, and
    a node that writes a variable (an input taking its ref) as late as that allows, so that the reads of
    the variable that do not depend on the write come before it; `_Cut` then makes the write wait for
    them. That is TF's usual order (a step reads a variable, e.g. in the backward pass, before an update
    that nothing orders against those reads), and the waits only ever point forward in this order, so
    they cannot form a cycle."""
    position = {name: i for i, name in enumerate(names)}
    waiting, users = {}, {name: [] for name in names}
    for name in names:
        spec = table[name]
        sources = {k[0] for k in spec.inputs if k not in fed} | set(spec.control)
        waiting[name] = len(sources)
        for src in sources:
            users[src].append(name)
    ready = [(bool(table[n].ref_args), position[n], n) for n in names if not waiting[n]]
    heapq.heapify(ready)
    order = []
    while ready:
        name = heapq.heappop(ready)[2]
        order.append(name)
        for user in users[name]:
            waiting[user] -= 1
            if not waiting[user]:
                heapq.heappush(ready, (bool(table[user].ref_args), position[user], user))
    return order


class _Cut:
    """Cuts placed nodes into one partition builder per device, wiring cross-device edges as send/receive
    pairs. It also tracks which nodes may see dead values, and which tensors may hold a variable ref."""

    def __init__(self, table, fed, placement, fuse=False):
        self.table, self.fed, self.placement, self.fuse = table, fed, placement, fuse
        self.builders = {}       # device name -> _PartitionBuilder
        self.conditional = set()  # nodes downstream of a switch may see dead values
        self.carrying = {}        # tensor that may hold a variable ref (ref outputs, pass-throughs of them)
        #                           -> the variable's node
        self.reads = {}           # (device, variable node) -> indices of the nodes there that read it

    def builder(self, device):
        if device not in self.builders:
            self.builders[device] = _PartitionBuilder(self.fuse)
        return self.builders[device]

    def add(self, spec):
        if self._may_see_dead(spec):
            self.conditional.add(spec.name)
        b = self.builder(self.placement[spec.name])
        inputs, deps, local = self._wire_inputs(spec, b)
        controls = self._wire_controls(spec, b)
        deps.update(controls)
        # A pass-through of a variable passes the ref on, so its readers see the variable when they run
        # (TF's buffer aliasing: `with control_dependencies([assign]): identity(v)` reads the new value).
        carrying = self.carrying
        aliases = spec.role == PASS_THROUGH and spec.inputs and spec.inputs[0] in carrying and 0 in local
        deref = () if aliases else tuple(p for p in sorted(local)
                                                if spec.inputs[p] in carrying and p not in spec.ref_args)
        written = [carrying[spec.inputs[p]] for p in spec.ref_args if p in local and spec.inputs[p] in carrying]
        dev = self.placement[spec.name]
        for var in written:  # earlier reads of the variable that do not depend on this write (cut_order)
            deps.update(self.reads.get((dev, var), ()))
        for p in deref:
            self.reads.setdefault((dev, carrying[spec.inputs[p]]), []).append(len(b.nodes))
        origin = written[0] if written else spec.name
        carrying.update(((spec.name, i), origin) for i in spec.ref_outputs)
        if aliases:
            carrying[(spec.name, 0)] = carrying[spec.inputs[0]]
        b.add(spec, inputs, deps, deref, spec.name in self.conditional, controls)

    def _may_see_dead(self, spec):
        table, conditional = self.table, self.conditional
        sources = [k[0] for k in spec.inputs if k not in self.fed] + list(spec.control)
        return any(name in conditional or table[name].role == SWITCH for name in sources)

    def _wire_inputs(self, spec, b):
        """Per input: its slot here (fed, local, or received); the nodes waited for; positions read locally."""
        dev, placement = self.placement[spec.name], self.placement
        inputs, deps, local = [], set(), set()
        for pos, key in enumerate(spec.inputs):
            if key in self.fed:
                slot = b.feed(key)
                if key in self.carrying:  # a variable ref fed into a loop's iteration
                    local.add(pos)
            elif placement[key[0]] == dev:
                slot = b.slot_of(key)
                deps.add(b.index[key[0]])
                local.add(pos)
            else:
                b_src = self.builder(placement[key[0]])
                send_key = f"{key[0]}:{key[1]}"
                b_src.send(b_src.slot_of(key), send_key, dev)
                slot, recv = b.recv(send_key)
                deps.add(recv)
            inputs.append(slot)
        return inputs, deps, local

    def _wire_controls(self, spec, b):
        """The node indices, here, of the spec's control inputs (receives for those on other devices)."""
        dev, placement = self.placement[spec.name], self.placement
        controls = []
        for c in spec.control:
            if placement[c] == dev:
                controls.append(b.index[c])
            else:
                b_src = self.builder(placement[c])
                send_key = "^" + c
                b_src.control_send(c, send_key, dev)
                controls.append(b.recv(send_key)[1])
        return controls


class _PartitionBuilder:
    """One device's nodes as they are cut, then `finish()`ed into a Partition."""

    def __init__(self, fuse=False):
        self.fuse = fuse         # fuse elementwise regions (fusion.py) when finishing
        self.nodes, self.deps = [], []
        self.index = {}          # node name -> node index
        self.slots = {}          # (node, output) key -> slot
        self.n_slots = 0
        self.feeds, self.recvs, self.recv_nodes = {}, {}, {}
        self.fetches, self.fetch_deref = [], []
        self.sends = {}          # slot -> [send key]
        self.control_sends = {}  # node name -> [send key]
        self.send_targets = {}   # send key -> [receiving device]

    def _new_slot(self):
        self.n_slots += 1
        return self.n_slots - 1

    def feed(self, key):
        if key not in self.feeds:
            self.feeds[key] = self._new_slot()
        return self.feeds[key]

    def slot_of(self, key):
        return self.slots[key]

    def recv(self, send_key):
        if send_key not in self.recvs:
            slot = self._new_slot()
            self.recvs[send_key] = slot
            self.recv_nodes[send_key] = len(self.nodes)
            self.nodes.append(Node(name="_recv/" + send_key, op_type="_Recv", kernel=None, outputs=(slot,)))
            self.deps.append(())
        return self.recvs[send_key], self.recv_nodes[send_key]

    def send(self, slot, send_key, device):
        _add_once(self.sends.setdefault(slot, []), send_key)
        _add_once(self.send_targets.setdefault(send_key, []), device)

    def control_send(self, name, send_key, device):
        _add_once(self.control_sends.setdefault(name, []), send_key)
        _add_once(self.send_targets.setdefault(send_key, []), device)

    def add(self, spec, inputs, deps, deref, conditional=False, controls=()):
        outputs = tuple(self._new_slot() for _ in range(spec.n_outputs))
        for i, slot in enumerate(outputs):
            self.slots[(spec.name, i)] = slot
        self.index[spec.name] = len(self.nodes)
        self.nodes.append(Node(name=spec.name, op_type=spec.op_type, kernel=spec.kernel, attrs=spec.attrs,
                               stateful=spec.stateful, inputs=tuple(inputs), deref=deref, outputs=outputs,
                               conditional=conditional, controls=tuple(controls), role=spec.role,
                               elementwise=spec.elementwise, scalar=spec.scalar, keep=_keep(spec),
                               fresh=spec.fresh, remaps=spec.remaps))
        self.deps.append(tuple(sorted(deps)))

    def fetch(self, key, is_ref):
        position = len(self.fetches)
        self.fetches.append(self.slots[key])
        if is_ref:
            self.fetch_deref.append(position)
        return position

    def finish(self):
        """The Partition, with constants folded into pre-filled slots, and pass-through nodes that only
        pass a value or an ordering on spliced out (their consumers read and wait on what they did)."""
        removed = self._foldable() | self._pass_through()
        folded = [self.nodes[i] for i in sorted(removed) if self.nodes[i].role == CONSTANT]
        consts = {node.outputs[0]: node.kernel(node.attrs) for node in folded}
        nodes, deps, renumber, alias = self._splice(removed)
        nodes = [replace(node, controls=tuple(renumber[c] for c in node.controls if c not in removed))
                 for node in nodes]
        fetches = tuple(alias.get(s, s) for s in self.fetches)
        if self.fuse:
            nodes, deps, again = fusion.fuse(nodes, deps, set(fetches) | set(self.sends),
                                             live=set(self.feeds.values()) | set(consts))
            renumber = {i: again[j] for i, j in renumber.items()}
            nodes = [replace(node, controls=tuple(again[c] for c in node.controls)) if node.controls else node
                     for node in nodes]
        nodes = [_with_constant_inputs(node, consts) for node in nodes]
        return Partition(
            nodes=tuple(nodes), deps=tuple(deps), n_slots=self.n_slots, feeds=dict(self.feeds),
            recvs=dict(self.recvs), fetches=fetches,
            sends={slot: tuple(keys) for slot, keys in self.sends.items()},
            recv_nodes={key: renumber[i] for key, i in self.recv_nodes.items()},
            fetch_deref=tuple(self.fetch_deref),
            control_sends={renumber[self.index[name]]: tuple(keys) for name, keys in self.control_sends.items()},
            send_targets={k: tuple(v) for k, v in self.send_targets.items()}, consts=consts,
            const_names={node.outputs[0]: node.name for node in folded})

    def _splice(self, removed):
        """The nodes left (inputs re-pointed past removed pass-throughs), their waits, old -> new index,
        and slot -> the slot a removed pass-through passed on."""
        alias, inherited = {}, {}   # slot -> slot it passes on; removed node -> the nodes it waited for
        renumber, kept = {}, []
        for i, node in enumerate(self.nodes):
            waits = set()
            for d in self.deps[i]:
                waits.update(inherited[d] if d in removed else (d,))
            if i in removed:
                inherited[i] = waits
                if node.role == PASS_THROUGH and node.outputs:
                    alias[node.outputs[0]] = alias.get(node.inputs[0], node.inputs[0])
                continue
            renumber[i] = len(kept)
            kept.append((replace(node, inputs=tuple(alias.get(s, s) for s in node.inputs)), waits))
        deps = [tuple(sorted(renumber[d] for d in waits)) for _, waits in kept]
        return [node for node, _ in kept], deps, renumber, alias

    def _foldable(self):
        sent = set(self.sends)
        return {i for i, (node, deps) in enumerate(zip(self.nodes, self.deps))
                if node.role == CONSTANT and not deps and node.outputs[0] not in sent
                and node.name not in self.control_sends}

    def _pass_through(self):
        sent = set(self.sends) | set(self.fetches)
        return {i for i, node in enumerate(self.nodes)
                if node.role == PASS_THROUGH and not node.conditional and node.name not in self.control_sends
                and not node.deref and not any(s in sent for s in node.outputs)}


def _keep(spec):
    """What a device may keep of a node's outputs between runs (partition.SHAPES, INPUTS or None)."""
    if spec.role is not None or not spec.pure:
        return None
    return SHAPES if spec.shape_only else INPUTS


def _add_once(items, item):
    if item not in items:
        items.append(item)

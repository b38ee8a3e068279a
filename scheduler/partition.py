"""A device's share of a plan, as plain records: `Node` and `Partition`, their checker and their printer.

A partition is a list of nodes over numbered value slots. Slots are filled from outside (feeds, tensors
received from other devices, constants folded when planning) or by node outputs; `deps[i]` lists the
nodes node i waits for. `check_partition` verifies those invariants, `str(partition)` prints one line
per node:

    feed ('x', 0) -> s0
    recv 'y:0' -> s1 (node 0)
    const s2 = 41
    [1] add: s3 = AddV2(s0, s1) waits [0]
    send s3 -> 'add:0' to /device:CPU:1
    fetch s3
"""
from dataclasses import dataclass, field

import numpy as np

from .trials import Trial

MISSING = object()      # the value of a slot not filled yet
NEVER_DROPPED = 1 << 30  # reader count that keeps a fetched, sent or constant slot to the step's end

# An op's role: what the engine needs to know about it beyond its kernel (from the op's table entry).
CONSTANT = "constant"          # no inputs and pure: planning runs it once and pre-fills its slot
PASS_THROUGH = "pass_through"  # passes its first input on (or only an ordering): spliced out where possible,
                               # and a variable ref passes through it to its readers
SWITCH = "switch"              # one output is dead: what follows it may see dead values
MERGE = "merge"                # runs unless all its inputs are dead (other ops are dead if any input is)
MUST_FEED = "must_feed"        # cannot run: a step that needs it unfed is an error
# A while loop's frame (frames.py): its Enter ops (attr frame_name) lead into it, its Exit ops out of it,
# NextIteration passes a value to the next iteration, LoopCond is the loop's condition.
ENTER, EXIT, NEXT_ITERATION, LOOP_COND = "enter", "exit", "next_iteration", "loop_cond"
ROLES = (None, CONSTANT, PASS_THROUGH, SWITCH, MERGE, MUST_FEED, ENTER, EXIT, NEXT_ITERATION, LOOP_COND)
CONSTANT_INPUTS = "_constant_inputs"  # a node's attr: its input positions that planning fills with folded constants,
#                                       the same arrays, unchanged, in every step (a kernel may keep what it derives)
# What a device may keep of a node's outputs from one run to the next (`Kept`): while its inputs'
# shapes stay (SHAPES: a Shape or Size op), or while its inputs are the very values of the last run (INPUTS:
# a node whose outputs depend on its inputs alone, reading kept outputs and constants).
SHAPES, INPUTS = "shapes", "inputs"
MAX_CONSTANT_BYTES = 10 << 20   # TF's limit on a folded constant (ConstantFoldingOptions.max_constant_size): the
                                # largest value planning folds (optimize.py) and a device keeps (`Kept`)


@dataclass(slots=True, frozen=True, kw_only=True, eq=False)
class Node:
    """One op of a partition: its kernel, the slots it reads and writes, and how it treats dead values."""

    name: str
    op_type: str
    kernel: object                # kernel(attrs, *values) or, if stateful, kernel(attrs, binding, *values)
    attrs: dict = field(default_factory=dict)
    stateful: bool = False
    inputs: tuple = ()            # slot per input
    deref: tuple = ()             # input positions that may hold a variable ref, read when the node runs
    outputs: tuple = ()           # slot per output
    conditional: bool = False     # may see dead inputs (downstream of a switch)
    controls: tuple = ()          # node indices of its control inputs (a dead one makes it dead)
    role: str | None = None       # one of ROLES
    elementwise: bool = False     # may be fused with its elementwise neighbours (fusion.py)
    scalar: object = None         # its float32 element formula: a fused region may run as one compiled loop (jit.py)
    keep: str | None = None       # SHAPES, INPUTS or None: what its outputs may be kept for
    fresh: bool = False           # its kernel's outputs are new arrays nothing else holds
    reuse: bool = False           # its kernel may write its output into an input given as attrs["into"]
    remaps: tuple = ()            # consumers its kernel may compute with it as one node (fusion.remap)

    def __repr__(self):
        return f"<Node {self.name} {self.op_type}>"


@dataclass(slots=True, frozen=True, kw_only=True, eq=False)
class Partition:
    """A device's share of a plan: nodes (producers first) over `n_slots` slots (see the module docstring).

    The fields after `consts` are derived from the others when it is made; what the device that runs it
    learns is mutable: `costs`, each node's measured seconds per run (None: not run yet), `trial` and what
    `kept` holds.
    """

    nodes: tuple
    deps: tuple                   # per node: the node indices it waits for (data and control, this partition)
    n_slots: int
    feeds: dict = field(default_factory=dict)          # fed key -> slot
    recvs: dict = field(default_factory=dict)          # send key -> slot filled by a receive
    fetches: tuple = ()                                # slots, in fetch order
    sends: dict = field(default_factory=dict)          # slot -> (send key, ...)
    recv_nodes: dict = field(default_factory=dict)     # send key -> its pseudo-node (a node without kernel)
    fetch_deref: tuple = ()                            # fetch positions holding variable refs to read
    control_sends: dict = field(default_factory=dict)  # node index -> (send key, ...) for control edges
    send_targets: dict = field(default_factory=dict)   # send key -> (receiving device, ...)
    consts: dict = field(default_factory=dict)         # slot -> constant value
    const_names: dict = field(default_factory=dict)    # slot -> the node whose value it holds (folded or Const)
    dependents: tuple = field(init=False)        # per node: the nodes waiting for it
    levels: tuple = field(init=False)            # per node: the most nodes on a path from it to the end (executor.py)
    roots: list = field(init=False)              # nodes ready at the start (receives are not: they arrive)
    initial_waiting: list = field(init=False)    # per node: len(deps[i])
    initial_values: list = field(init=False)     # per slot: its constant, or MISSING
    readers: list = field(init=False)            # per slot: inputs reading it (NEVER_DROPPED if kept)
    signals: bool = field(init=False)            # whether any node sends to another device
    costs: list = field(init=False)
    compiled: object = field(init=False)         # its straight-line function, once a device compiled it
    trial: Trial = field(init=False)             # whether its kernels split themselves, as its device learns
    kept: tuple = field(init=False)              # per node: its Kept outputs from run to run, or None

    def __post_init__(self):
        dependents = [[] for _ in self.nodes]
        for i, ds in enumerate(self.deps):
            for d in ds:
                dependents[d].append(i)
        values = [MISSING] * self.n_slots
        for slot, value in self.consts.items():
            values[slot] = value
        derived = {"dependents": tuple(tuple(ds) for ds in dependents), "levels": _levels(dependents),
                   "roots": [i for i, (n, ds) in enumerate(zip(self.nodes, self.deps))
                             if not ds and n.kernel is not None],
                   "initial_waiting": [len(ds) for ds in self.deps], "initial_values": values,
                   "readers": _readers(self), "signals": bool(self.sends or self.control_sends),
                   "costs": [None] * len(self.nodes), "compiled": Compiled(), "trial": Trial(),
                   "kept": _kept(self)}
        for name, value in derived.items():
            object.__setattr__(self, name, value)

    def __str__(self):
        return format_partition(self)


def _levels(dependents):
    """Per node, how many nodes the longest path from it to a node nothing waits for holds (itself included)."""
    levels = [1] * len(dependents)
    for i in reversed(range(len(dependents))):   # producers first: a node's dependents come after it
        if dependents[i]:
            levels[i] = 1 + max(levels[d] for d in dependents[i])
    return tuple(levels)


class Compiled:
    """Where a device keeps the function it compiled from a partition (straight_line.py). Never pickled: a
    partition travels to its device before it is compiled there."""

    __slots__ = ("run",)

    def __init__(self):
        self.run = None

    def __reduce__(self):
        return Compiled, ()


class Kept:
    """A node's outputs kept from one run to the next: a run whose inputs are the last run's (for SHAPES,
    whose inputs have the last run's shapes) takes them instead of running the kernel again. So the
    shapes a gradient computes from a batch of unknown size (Shape, Slice, Tile... of softmax's gradient)
    are computed once per batch size, not once per step."""

    __slots__ = ("by_shape", "last")
    LARGEST = MAX_CONSTANT_BYTES   # bytes: larger outputs are not kept

    def __init__(self, by_shape):
        self.by_shape = by_shape
        self.last = None  # (key, outputs) of the last run, replaced whole (threads may run the node at once)

    def __reduce__(self):  # a partition travels to its device without what it kept
        return Kept, (self.by_shape,)

    def run(self, node, args):
        """node.kernel(node.attrs, *args), or the outputs of the last run with the same key."""
        last = self.last
        if self.by_shape:
            key = tuple(a.shape if isinstance(a, (np.ndarray, np.generic)) else object() for a in args)
            if last is not None and last[0] == key:
                return last[1]
        elif last is not None and all(a is b for a, b in zip(last[0], args)):
            return last[1]
        else:
            key = tuple(args)
        out = node.kernel(node.attrs, *args)
        values = out if len(node.outputs) > 1 else (out,)
        small = all(isinstance(v, (np.ndarray, np.generic)) and v.nbytes <= self.LARGEST for v in values)
        self.last = (key, out) if small else None
        return out


def _kept(part):
    """Per node, a Kept for those whose outputs a run may keep for the next: a node that reads only its
    inputs' shapes, or one that reads the outputs of such nodes and constants; None for the others. (A
    node on constants alone is left to run: planning folds those it may, and one it did not fold, a fetched
    `ReadFile` of a constant name, reads again each step, as in TF.)"""
    stable, kept = set(part.consts), []
    derived = set()   # outputs of kept nodes
    for node in part.nodes:
        keep = node.keep
        if keep is None or node.conditional or node.deref or not node.inputs or not node.outputs or keep != SHAPES \
                and not (all(s in stable for s in node.inputs) and any(s in derived for s in node.inputs)):
            kept.append(None)
            continue
        kept.append(Kept(keep == SHAPES))
        stable.update(node.outputs)
        derived.update(node.outputs)
    return tuple(kept)


def _readers(part):
    readers = [0] * part.n_slots
    for node in part.nodes:
        for s in node.inputs:
            readers[s] += 1
    for s in (*part.fetches, *part.sends, *part.consts):
        readers[s] += NEVER_DROPPED
    return readers


# ----- the printer ---------------------------------------------------------------------------------------
def format_partition(part):
    """One line per fed, received and constant slot, per node, per send and per fetch."""
    lines = [f"feed {key!r} -> s{slot}" for key, slot in part.feeds.items()]
    lines += [f"recv {key!r} -> s{slot} (node {part.recv_nodes.get(key)})" for key, slot in part.recvs.items()]
    lines += [f"const s{slot} = {_short(value)}" for slot, value in sorted(part.consts.items())]
    for i, node in enumerate(part.nodes):
        if node.kernel is not None:
            lines.append(f"[{i}] {format_node(node, part.deps[i])}")
    for slot, keys in part.sends.items():
        for key in keys:
            lines.append(f"send s{slot} -> {key!r} to {', '.join(part.send_targets.get(key, ()))}")
    for i, keys in part.control_sends.items():
        for key in keys:
            lines.append(f"send [{i}] -> {key!r} to {', '.join(part.send_targets.get(key, ()))}")
    lines += [f"fetch s{slot}" + (" (read the variable)" if p in part.fetch_deref else "")
              for p, slot in enumerate(part.fetches)]
    return "\n".join(lines)


def format_node(node, deps=()):
    """`name: s3 = AddV2(s1, s2) waits [0, 1]`, plus what the engine treats specially."""
    outputs = ", ".join(f"s{s}" for s in node.outputs)
    text = f"{node.name}: {outputs + ' = ' if outputs else ''}{node.op_type}({', '.join(f's{s}' for s in node.inputs)})"
    if deps:
        text += f" waits {list(deps)}"
    notes = [f"holds {', '.join(node.attrs['fused_ops'])}" if "fused_ops" in node.attrs else "",
             f"controls {list(node.controls)}" if node.controls else "",
             f"reads refs at {list(node.deref)}" if node.deref else "",
             "conditional" if node.conditional else "", node.role or "", "stateful" if node.stateful else ""]
    notes = [n for n in notes if n]
    return text + (f" ({'; '.join(notes)})" if notes else "")


def _short(value):
    text = repr(value).replace("\n", " ")
    return text if len(text) <= 40 else text[:37] + "..."


# ----- the checker ---------------------------------------------------------------------------------------
class PartitionError(Exception):
    """A partition that breaks an invariant the executor relies on; `node` names the node at fault."""

    def __init__(self, message, node=None):
        super().__init__(message)
        self.node = node


def check_partition(part):
    """Raises PartitionError unless every input slot is filled (by a feed, a receive, a constant or a node
    the reader waits for), the waits are acyclic, and the derived counts match the nodes."""
    producer = _producers(part)
    for i, node in enumerate(part.nodes):
        waits = set(part.deps[i])
        if any(not 0 <= d < len(part.nodes) for d in waits):
            raise PartitionError(f"node {node.name} waits for a node that does not exist: {sorted(waits)}", node.name)
        for pos, slot in enumerate(node.inputs):
            source = producer.get(slot)
            if source is None:
                raise PartitionError(f"input {pos} of node {node.name} reads slot s{slot}, which nothing fills",
                                     node.name)
            if isinstance(source, int) and source not in waits:
                raise PartitionError(f"input {pos} of node {node.name} reads slot s{slot} of node "
                                     f"{part.nodes[source].name} without waiting for it", node.name)
        if not set(node.controls) <= waits:
            raise PartitionError(f"node {node.name} has control inputs {list(node.controls)} it does not wait for",
                                 node.name)
    for slot in (*part.fetches, *part.sends):
        if slot not in producer:
            raise PartitionError(f"slot s{slot} is fetched or sent, but nothing fills it")
    _check_acyclic(part)
    _check_counts(part)


def _producers(part):
    """slot -> "feed", "const" or the index of the node that writes it (a receive's pseudo-node for a
    received tensor); a slot filled twice fails."""
    producer = {}

    def fill(slot, source, name=None):
        if not 0 <= slot < part.n_slots:
            raise PartitionError(f"slot s{slot} is out of range (the partition has {part.n_slots})", name)
        if slot in producer:
            raise PartitionError(f"slot s{slot} is filled twice ({producer[slot]} and {source})", name)
        producer[slot] = source
    for slot in part.feeds.values():
        fill(slot, "feed")
    for slot in part.consts:
        fill(slot, "const")
    for i, node in enumerate(part.nodes):
        for slot in node.outputs:
            fill(slot, i, node.name)
    for key, slot in part.recvs.items():
        i = part.recv_nodes.get(key)
        if i is None or part.nodes[i].kernel is not None or part.nodes[i].outputs != (slot,):
            raise PartitionError(f"the receive of {key!r} has no pseudo-node writing slot s{slot}")
    return producer


def _check_acyclic(part):
    waiting = [len(set(ds)) for ds in part.deps]
    dependents = [[] for _ in part.nodes]
    for i, ds in enumerate(part.deps):
        for d in set(ds):
            dependents[d].append(i)
    ready = [i for i, n in enumerate(waiting) if n == 0]
    done = 0
    while ready:
        i = ready.pop()
        done += 1
        for j in dependents[i]:
            waiting[j] -= 1
            if waiting[j] == 0:
                ready.append(j)
    if done < len(part.nodes):
        stuck = [part.nodes[i].name for i, n in enumerate(waiting) if n > 0]
        raise PartitionError(f"the waits of nodes {', '.join(stuck)} form a cycle", stuck[0])


def _check_counts(part):
    for i, node in enumerate(part.nodes):
        if part.initial_waiting[i] != len(part.deps[i]) or len(set(part.deps[i])) != len(part.deps[i]):
            raise PartitionError(f"node {node.name} waits for {part.initial_waiting[i]} nodes, but its "
                                 f"dependencies are {list(part.deps[i])}", node.name)
        for d in part.deps[i]:
            if i not in part.dependents[d]:
                raise PartitionError(f"node {node.name} is not among the dependents of what it waits for",
                                     node.name)
    if part.readers != _readers(part):
        raise PartitionError("the slots' reader counts do not match the nodes reading them")

"""Planning a step: prune the graph table to what the fetches need, place each node on a device, and
cut the result into one `Partition` per device, joined by send/receive keys.

The input is plain data: a dict of `NodeSpec` by name (made by the client from its graph), fetch keys
`(node, output)`, target names, fed keys, and the session's device names. The output `Plan` is plain
data too, cached by the client and shipped once to each device.
"""
from .executor import Node, Partition

_ANY = (None, None, None, None, None)
_SWITCHES = ("Switch", "RefSwitch")


class NodeSpec:
    """A graph node as the scheduler sees it."""

    __slots__ = ("name", "op_type", "kernel", "attrs", "stateful", "inputs", "control", "device",
                 "device_text", "colocate", "n_outputs", "ref_args", "ref_outputs", "source_only")

    def __init__(self, name, op_type, kernel, attrs, stateful, inputs, control, device=_ANY, colocate=(),
                 n_outputs=1, ref_args=(), ref_outputs=(), source_only=None, device_text=""):
        self.name = name
        self.op_type = op_type
        self.kernel = kernel
        self.attrs = attrs
        self.stateful = stateful
        self.inputs = inputs            # [(producer name, output index)]
        self.control = control          # [producer name]
        self.device = device            # requested (job, replica, task, type, index), None = any
        self.device_text = device_text  # the requested device as the user wrote it, for messages
        self.colocate = colocate        # names this node must share a device with
        self.n_outputs = n_outputs
        self.ref_args = ref_args        # input positions that take a variable ref (writers: Assign...)
        self.ref_outputs = ref_outputs  # output positions that are variable refs
        self.source_only = source_only  # if not None: the error message for running it unfed


class PlanError(Exception):
    """A step that cannot be planned; `code` is a TF error code name, `node` the node at fault."""

    def __init__(self, code, message, node=None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.node = node


class Plan:
    """Per-device partitions and how the client routes feeds to them and fetches back."""

    def __init__(self, partitions, feed_routes, fetch_routes, placement):
        self.partitions = partitions      # device name -> Partition
        self.feed_routes = feed_routes    # fed key -> [device name]
        self.fetch_routes = fetch_routes  # per fetch: ("fed", key) or (device name, position)
        self.placement = placement        # node name -> device name


# ----- pruning ------------------------------------------------------------------------------------------
def prune(table, fetches, targets, feeds):
    """Names of the nodes the fetches and targets need, given the fed tensors (in dependency order)."""
    fed = set(feeds)
    order, state = [], {}
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
                continue
            mark = state.get(name)
            if mark == 2:
                continue
            if mark == 1:
                raise PlanError("INVALID_ARGUMENT", f"Graph is invalid, contains a cycle through node '{name}'",
                                name)
            state[name] = 1
            stack.append((name, True))
            spec = table[name]
            for key in spec.inputs:
                if key not in fed and state.get(key[0]) != 2:
                    stack.append((key[0], False))
            for c in spec.control:
                if state.get(c) != 2:
                    stack.append((c, False))
    return order


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


# ----- partitioning --------------------------------------------------------------------------------------
def build_plan(table, fetches, targets, feeds, devices, soft=False):
    """The whole plan for one (fetches, targets, feeds) signature."""
    feeds = list(feeds)
    fed = set(feeds)
    names = prune(table, fetches, targets, feeds)
    for name in names:
        if table[name].source_only is not None:
            raise PlanError("INVALID_ARGUMENT", table[name].source_only, name)
    placement = place(table, names, devices, soft)
    builders = {}

    def builder(device):
        if device not in builders:
            builders[device] = _PartitionBuilder()
        return builders[device]

    conditional = set()  # nodes downstream of a Switch may see dead values
    carrying = set()     # tensors that may hold a variable ref: ref outputs, and Identity's of them
    for name in names:  # producers before consumers
        spec = table[name]
        if any(k[0] in conditional or table[k[0]].op_type in _SWITCHES for k in spec.inputs if k not in fed) or \
                any(c in conditional or table[c].op_type in _SWITCHES for c in spec.control):
            conditional.add(name)
        dev = placement[name]
        b = builder(dev)
        inputs, deps, local, controls = [], set(), set(), []
        for pos, key in enumerate(spec.inputs):
            if key in fed:
                slot = b.feed(key)
            elif placement[key[0]] == dev:
                slot = b.slot_of(key)
                deps.add(b.index[key[0]])
                local.add(pos)
            else:
                b_src = builder(placement[key[0]])
                send_key = f"{key[0]}:{key[1]}"
                b_src.send(b_src.slot_of(key), send_key, dev)
                slot, recv = b.recv(send_key)
                deps.add(recv)
            inputs.append(slot)
        for c in spec.control:
            if placement[c] == dev:
                producer = b.index[c]
            else:
                b_src = builder(placement[c])
                send_key = "^" + c
                b_src.control_send(c, send_key, dev)
                _, producer = b.recv(send_key)
            deps.add(producer)
            controls.append(producer)
        # An Identity of a variable passes the ref on, so its readers see the variable when they run
        # (TF's buffer aliasing: `with control_dependencies([assign]): identity(v)` reads the new value).
        aliases = spec.op_type == "Identity" and spec.inputs and spec.inputs[0] in carrying and 0 in local
        deref = () if aliases else tuple(p for p in sorted(local)
                                                if spec.inputs[p] in carrying and p not in spec.ref_args)
        carrying.update((name, i) for i in spec.ref_outputs)
        if aliases:
            carrying.add((name, 0))
        b.add(spec, inputs, deps, deref, name in conditional, controls)
    feed_routes = {}
    for b_dev, b in builders.items():
        for key in b.feeds:
            feed_routes.setdefault(key, []).append(b_dev)
    fetch_routes = []
    for key in fetches:
        if key in fed:
            fetch_routes.append(("fed", key))
            continue
        dev = placement[key[0]]
        b = builder(dev)
        fetch_routes.append((dev, b.fetch(key, key in carrying)))
    partitions = {dev: b.finish() for dev, b in builders.items()}
    return Plan(partitions, feed_routes, fetch_routes, placement)


class _PartitionBuilder:
    def __init__(self):
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
            self.nodes.append(Node("_recv/" + send_key, "_Recv", None, {}, False, (), (), (slot,)))
            self.deps.append(())
        return self.recvs[send_key], self.recv_nodes[send_key]

    def send(self, slot, send_key, device):
        keys = self.sends.setdefault(slot, [])
        if send_key not in keys:
            keys.append(send_key)
        targets = self.send_targets.setdefault(send_key, [])
        if device not in targets:
            targets.append(device)

    def control_send(self, name, send_key, device):
        keys = self.control_sends.setdefault(name, [])
        if send_key not in keys:
            keys.append(send_key)
        targets = self.send_targets.setdefault(send_key, [])
        if device not in targets:
            targets.append(device)

    def add(self, spec, inputs, deps, deref, conditional=False, controls=()):
        outputs = tuple(self._new_slot() for _ in range(spec.n_outputs))
        for i, slot in enumerate(outputs):
            self.slots[(spec.name, i)] = slot
        self.index[spec.name] = len(self.nodes)
        node = Node(spec.name, spec.op_type, spec.kernel, spec.attrs, spec.stateful, tuple(inputs), deref, outputs,
                    conditional, tuple(controls))
        self.nodes.append(node)
        self.deps.append(tuple(sorted(deps)))

    def fetch(self, key, is_ref):
        position = len(self.fetches)
        self.fetches.append(self.slots[key])
        if is_ref:
            self.fetch_deref.append(position)
        return position

    def finish(self):
        """The Partition, with constants folded into pre-filled slots, and Identity/NoOp nodes that only
        pass a value or an ordering on spliced out (their consumers read and wait on what they did)."""
        removed = self._foldable() | self._pass_through()
        consts = {self.nodes[i].outputs[0]: self.nodes[i].attrs["value"] for i in removed
                  if self.nodes[i].op_type == "Const"}
        alias, inherited = {}, {}   # slot -> slot it passes on; removed node -> the nodes it waited for
        renumber, nodes = {}, []
        for i, node in enumerate(self.nodes):
            waits = set()
            for d in self.deps[i]:
                waits.update(inherited[d] if d in removed else (d,))
            if i in removed:
                inherited[i] = waits
                if node.op_type == "Identity":
                    alias[node.outputs[0]] = alias.get(node.inputs[0], node.inputs[0])
                continue
            node.inputs = tuple(alias.get(s, s) for s in node.inputs)
            renumber[i] = len(nodes)
            nodes.append((node, waits))
        deps = [tuple(sorted(renumber[d] for d in waits)) for _, waits in nodes]
        nodes = [node for node, _ in nodes]
        for node in nodes:
            node.controls = tuple(renumber[c] for c in node.controls if c not in removed)
        fetches = [alias.get(s, s) for s in self.fetches]
        control_sends = {renumber[self.index[name]]: keys for name, keys in self.control_sends.items()}
        recv_nodes = {key: renumber[i] for key, i in self.recv_nodes.items()}
        return Partition(nodes, deps, self.n_slots, self.feeds, self.recvs, fetches, self.sends, recv_nodes,
                         tuple(self.fetch_deref), control_sends, {k: tuple(v) for k, v in self.send_targets.items()}, consts)

    def _foldable(self):
        sent = set(self.sends)
        return {i for i, (node, deps) in enumerate(zip(self.nodes, self.deps))
                if node.op_type == "Const" and not deps and node.outputs[0] not in sent
                and node.name not in self.control_sends}

    def _pass_through(self):
        sent = set(self.sends) | set(self.fetches)
        out = set()
        for i, node in enumerate(self.nodes):
            if node.conditional or node.name in self.control_sends:
                continue
            if node.op_type == "NoOp":
                out.add(i)
            elif node.op_type == "Identity" and not node.deref and node.outputs[0] not in sent:
                out.add(i)
        return out

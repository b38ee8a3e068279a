"""RunMetadata: the step's trace (StepStats, one DeviceStepStats per device) and its partition graphs.

The device actors report, per traced node, (name, op type, start, end, thread). Here that becomes TF's
NodeExecStats: times in micro- and nanoseconds, a `timeline_label` "name = Op(inputs)" naming the inputs
as the NodeDef does, and one NodeOutput per output describing the tensor (dtype, static shape, bytes when
known), which is what `client.timeline` needs to draw data flowing between devices.

A node that planning fused from several elementwise ops (scheduler/fusion.py) is shown as itself: its
label lists the ops it holds, and in a partition graph it is one `_FusedElementwise` node whose `fused_ops`
attr names them, its consumers reading its outputs. An op merged with the consumer its entry remaps is the
consumer's node, of op type `_Fused<op>`, reading the op's inputs (as grappler's fused ops).
"""
from tensorboard.compat.proto import (allocation_description_pb2, graph_pb2, step_stats_pb2,
                                      tensor_description_pb2)

from scheduler.fusion import REMAPPED_FROM
from scheduler.optimize import REWRITTEN

from .dtypes import as_dtype
from .graph_def import GRAPH_DEF_VERSION, attr_value, node_def, tensor_proto


def fill_run_metadata(run_metadata, stats, plan, graph, options):
    """Fills `run_metadata` (a RunMetadata proto) for one step run with `options`."""
    if options.trace_level > 0 and stats:
        fused = {node.name: node.attrs["fused_ops"] for part in plan.partitions.values() for node in part.nodes
                 if "fused_ops" in node.attrs}
        for device in sorted(stats):
            dev = run_metadata.step_stats.dev_stats.add(device=device)
            for record in sorted(stats[device] or (), key=lambda r: (r[2], r[3])):
                dev.node_stats.add().CopyFrom(node_exec_stats(record, graph, fused.get(record[0])))
    if options.output_partition_graphs:
        edges = _Edges(plan)
        for device in plan.partitions:
            run_metadata.partition_graphs.add().CopyFrom(partition_graph(plan, device, graph, edges))


def node_exec_stats(record, graph, fused_ops=None):
    """The NodeExecStats of one traced node: (name, op type, start, end, thread), times in seconds; a fused
    node's label lists the ops it holds (`fused_ops`)."""
    name, op_type, start, end, thread = record
    op = graph._ops_by_name.get(name)
    inputs = [t._as_node_def_input() for t in op._inputs] + ["^" + c._name for c in op._control_inputs] \
        if op is not None else list(fused_ops or ())
    start_ns, end_ns = int(start * 1e9), int(end * 1e9)
    ns = step_stats_pb2.NodeExecStats(
        node_name=name, all_start_micros=start_ns // 1000, op_start_rel_micros=0,
        op_end_rel_micros=(end_ns - start_ns) // 1000, all_end_rel_micros=(end_ns - start_ns) // 1000,
        all_start_nanos=start_ns, op_start_rel_nanos=0, op_end_rel_nanos=end_ns - start_ns,
        all_end_rel_nanos=end_ns - start_ns, scheduled_micros=start_ns // 1000, scheduled_nanos=start_ns,
        thread_id=thread % (2 ** 32), timeline_label=f"{name} = {op_type}({', '.join(inputs)})")
    for slot, t in enumerate(op._outputs if op is not None else ()):
        ns.output.add(slot=slot, tensor_description=tensor_description(t))
    return ns


def tensor_description(t):
    """A TensorDescription of tensor `t` from its static dtype and shape (bytes only if fully known)."""
    shape = t._shape
    dtype = t._dtype.base_dtype
    size = 0
    if shape.is_fully_defined() and dtype.as_numpy_dtype is not object:
        import numpy as np
        size = int(np.prod(shape.as_list(), dtype=np.int64)) * np.dtype(dtype.as_numpy_dtype).itemsize
    return tensor_description_pb2.TensorDescription(
        dtype=dtype.as_datatype_enum, shape=shape.as_proto(),
        allocation_description=allocation_description_pb2.AllocationDescription(
            requested_bytes=size, allocated_bytes=size, allocator_name="cpu"))


# ----- partition graphs ----------------------------------------------------------------------------------
class _Edges:
    """Numbers the plan's cross-device transfers, so a _Send and its _Recv share names as in TF:
    node `<producer>/_<2k>` sends, `<producer>/_<2k+1>` receives, over `edge_<k>_<producer>`."""

    def __init__(self, plan):
        self.ids = {}  # (send key, receiving device) -> k
        for device in sorted(plan.partitions):
            for key, targets in sorted(plan.partitions[device].send_targets.items()):
                for target in targets:
                    self.ids[(key, target)] = len(self.ids)

    def names(self, key, recv_device):
        k = self.ids[(key, recv_device)]
        producer = _producer(key)
        return f"{producer}/_{2 * k}", f"{producer}/_{2 * k + 1}", f"edge_{k}_{producer}"


def _transfer_attrs(nd, tensor_name, send_device, recv_device):
    nd.attr["tensor_name"].s = tensor_name.encode()
    nd.attr["send_device"].s = send_device.encode()
    nd.attr["send_device_incarnation"].i = 1
    nd.attr["recv_device"].s = recv_device.encode()
    nd.attr["client_terminated"].b = False


def partition_graph(plan, device, graph, edges=None):
    """The GraphDef of the part of the step that ran on `device`, with its _Send/_Recv nodes."""
    edges = edges or _Edges(plan)
    gd = graph_pb2.GraphDef()
    gd.versions.producer = GRAPH_DEF_VERSION
    part = plan.partitions[device]
    received = {}  # send key -> name of the _Recv node here
    for node in part.nodes:
        if node.op_type == "_Recv":
            key = node.name[len("_recv/"):]
            received[key] = _add_recv(gd, key, device, plan, graph, edges)
    fused = [node for node in part.nodes if "fused_ops" in node.attrs]
    held = {name: node for node in fused for name in node.attrs["fused_ops"]}
    names = [name for node in part.nodes if node.op_type != "_Recv" for name in node.attrs.get("fused_ops", (node.name,))]
    ops = [graph._ops_by_name[name] for name in names if name in graph._ops_by_name]
    outputs = _fused_outputs(fused, graph)
    folded = {name: part.consts[slot] for slot, name in part.const_names.items()}
    slots = _slot_names(part)
    planned = [node for node in part.nodes if REWRITTEN in node.attrs]   # changed or made by planning
    merged = {node.attrs[REMAPPED_FROM] for node in part.nodes if REMAPPED_FROM in node.attrs}
    sources = [op for op in _with_local_sources(ops, plan, device, received) if op._name not in merged]
    present = {op._name for op in sources}
    fed = {slot: key[0] for key, slot in part.feeds.items()}
    for node in planned + fused:   # what rewritten and fused nodes read: constants folded when planning, feeds
        for slot in node.inputs:
            name = part.const_names.get(slot) or fed.get(slot)
            if name is None or name in present:
                continue
            present.add(name)
            if name in folded:
                _add_const(gd, name, folded[name], graph, device)
            else:
                gd.node.add().CopyFrom(node_def(graph._ops_by_name[name]))
                gd.node[-1].device = device
    for op in sources:
        if op._name in held:
            continue
        nd = gd.node.add()
        if op._name in folded and op._inputs:  # computed when planning: a Const, as TF's constant folding makes
            _add_const(gd, op._name, folded[op._name], graph, device, nd)
        else:
            nd.CopyFrom(node_def(op))
        nd.device = device
        _rewire(nd, received, outputs)
    for node in planned:
        nd = next((n for n in gd.node if n.name == node.name), None) or gd.node.add(name=node.name, device=device)
        nd.op = node.op_type
        control = [i for i in nd.input if i.startswith("^")]
        del nd.input[:]
        nd.input.extend([slots[s] for s in node.inputs] + control)
        _rewire(nd, received, outputs)
    for node in fused:
        nd = _fused_node_def(gd, node, [slots[s] for s in node.inputs], device)
        _rewire(nd, received, outputs)
    for key, targets in sorted(part.send_targets.items()):
        for target in targets:
            _add_send(gd, key, device, target, graph, edges)
    return gd


def _slot_names(part):
    """slot -> the tensor it holds, as a NodeDef input names it."""
    names = {slot: key[0] if key[1] == 0 else f"{key[0]}:{key[1]}" for key, slot in part.feeds.items()}
    names.update((slot, key) for key, slot in part.recvs.items() if not key.startswith("^"))
    names.update(part.const_names)
    for node in part.nodes:
        if "fused_ops" in node.attrs:
            members = node.attrs["fused_ops"]
            names.update((slot, members[j]) for slot, j in zip(node.outputs, node.attrs["program"].outputs))
        else:
            names.update((slot, node.name if j == 0 else f"{node.name}:{j}") for j, slot in enumerate(node.outputs))
    return names


def _add_const(gd, name, value, graph, device, nd=None):
    """A constant planning computed, as the Const node TF's constant folding makes."""
    nd = nd if nd is not None else gd.node.add()
    nd.name, nd.op, nd.device = name, "Const", device
    op = graph._ops_by_name.get(name)
    dtype = op._outputs[0]._dtype.base_dtype if op is not None else as_dtype(value.dtype)
    nd.attr["dtype"].CopyFrom(attr_value(dtype))
    nd.attr["value"].tensor.CopyFrom(tensor_proto(value, dtype))
    return nd


def _with_local_sources(ops, plan, device, received):
    """`ops` preceded by the local producers the executor does not run as nodes: constants it folded
    into the partition, and fed tensors' ops (standing for the fed values)."""
    present, sources = {op._name for op in ops}, []
    for op in ops:
        for t in op._inputs:
            src = t._op
            local = plan.placement.get(src._name, device) == device
            if local and src._name not in present and f"{src._name}:{t._value_index}" not in received:
                present.add(src._name)
                sources.append(src)
    return sources + ops


def _producer(key):
    """The op a send key ('op:i' for a tensor, '^op' for a control edge) comes from."""
    return key[1:] if key.startswith("^") else key.rsplit(":", 1)[0]


def _sender(plan, key):
    return plan.placement[_producer(key)]


def _add_recv(gd, key, device, plan, graph, edges):
    _, recv_name, tensor_name = edges.names(key, device)
    nd = gd.node.add(name=recv_name, op="_Recv", device=device)
    if key.startswith("^"):
        nd.attr["tensor_type"].type = 1  # a control edge carries a dummy float (DT_FLOAT), as in TF
    else:
        nd.attr["tensor_type"].type = graph.get_tensor_by_name(key).dtype.base_dtype.as_datatype_enum
    _transfer_attrs(nd, tensor_name, _sender(plan, key), device)
    return recv_name


def _add_send(gd, key, device, target, graph, edges):
    send_name, _, tensor_name = edges.names(key, target)
    if key.startswith("^"):  # a control edge: send a dummy constant that runs after the producer
        dummy = gd.node.add(name=send_name + "/control", op="Const", device=device, input=[key])
        dummy.attr["dtype"].type = 1
        dummy.attr["value"].tensor.dtype = 1
        dummy.attr["value"].tensor.float_val.append(0.0)
        nd = gd.node.add(name=send_name, op="_Send", device=device, input=[dummy.name])
        nd.attr["T"].type = 1
    else:
        t = graph.get_tensor_by_name(key)
        nd = gd.node.add(name=send_name, op="_Send", device=device, input=[t._as_node_def_input()])
        nd.attr["T"].type = t.dtype.base_dtype.as_datatype_enum
    _transfer_attrs(nd, tensor_name, device, target)


def _rewire(nd, received, fused_outputs=None):
    """Points inputs made on other devices at the _Recv nodes that brought them here, and inputs made by
    ops held in fused nodes at those nodes' outputs."""
    fused_outputs = fused_outputs or {}
    for i, inp in enumerate(nd.input):
        if inp.startswith("^"):
            if inp in received:
                nd.input[i] = "^" + received[inp]
            elif inp[1:] in fused_outputs:
                nd.input[i] = "^" + fused_outputs[inp[1:]]
            continue
        key = inp if ":" in inp else inp + ":0"
        if key in received:
            nd.input[i] = received[key]
        elif key in fused_outputs:
            nd.input[i] = fused_outputs[key]


def _fused_outputs(fused, graph):
    """'op:0' of each op whose value leaves its fused node -> that node's output ('fused/x:1'); a control
    edge from an op in a fused node ('op') -> the fused node."""
    out = {}
    for node in fused:
        program = node.attrs["program"]
        names = node.attrs["fused_ops"]
        for k, j in enumerate(program.outputs):
            out[names[j] + ":0"] = node.name if k == 0 else f"{node.name}:{k}"
        out.update((name, node.name) for name in names)
    return out


def _fused_node_def(gd, node, inputs, device):
    """A fused node's NodeDef: its inputs are the tensors it reads from outside the ops it holds."""
    nd = gd.node.add(name=node.name, op=node.op_type, device=device, input=inputs)
    nd.attr["fused_ops"].list.s.extend(name.encode() for name in node.attrs["fused_ops"])
    return nd

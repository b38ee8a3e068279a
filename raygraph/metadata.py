"""RunMetadata: the step's trace (StepStats, one DeviceStepStats per device) and its partition graphs."""
from tensorboard.compat.proto import graph_pb2

from .graph_def import GRAPH_DEF_VERSION, node_def


def fill_run_metadata(run_metadata, stats, plan, graph, options):
    """Fills `run_metadata` (a RunMetadata proto) for one step run with `options`."""
    if options.trace_level > 0 and stats:
        for device, records in stats.items():
            dev = run_metadata.step_stats.dev_stats.add(device=device)
            for name, op_type, start, end, thread in records or ():
                op = graph._ops_by_name.get(name)
                inputs = ", ".join(t.name.split(":")[0] if t.value_index == 0 else t.name for t in op.inputs) \
                    if op is not None else ""
                start_us, end_us = int(start * 1e6), int(end * 1e6)
                dev.node_stats.add(node_name=name, all_start_micros=start_us, op_start_rel_micros=0,
                                   op_end_rel_micros=end_us - start_us, all_end_rel_micros=end_us - start_us,
                                   thread_id=thread % (2 ** 32), timeline_label=f"{name} = {op_type}({inputs})")
    if options.output_partition_graphs:
        for device in plan.partitions:
            run_metadata.partition_graphs.add().CopyFrom(partition_graph(plan, device, graph))


def partition_graph(plan, device, graph):
    """The GraphDef of the part of the step that ran on `device`, with its _Send/_Recv nodes."""
    gd = graph_pb2.GraphDef()
    gd.versions.producer = GRAPH_DEF_VERSION
    part = plan.partitions[device]
    for node in part.nodes:
        if node.op_type == "_Recv":
            key = node.name[len("_recv/"):]
            nd = gd.node.add(name=node.name, op="_Recv", device=device)
            nd.attr["tensor_name"].s = key.encode()
            continue
        op = graph._ops_by_name[node.name]
        nd = gd.node.add()
        nd.CopyFrom(node_def(op))
        nd.device = device
    for key, target in part.send_targets.items():
        nd = gd.node.add(name="_send/" + key, op="_Send", device=device)
        nd.attr["tensor_name"].s = key.encode()
        nd.attr["recv_device"].s = target.encode()
    return gd



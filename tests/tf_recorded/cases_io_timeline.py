"""`client.timeline.Timeline` on hand-written StepStats: the Chrome trace must be TensorFlow's, event for event."""
import importlib
import json


def _timeline(tf):
    client = getattr(tf, "client", None)
    if client is not None:
        return client.timeline
    return importlib.import_module("tensorflow.python.client.timeline")


def _node(dev, name, label, start, duration, thread, outputs=()):
    ns = dev.node_stats.add(node_name=name, all_start_micros=start, all_end_rel_micros=duration,
                            op_end_rel_micros=duration, thread_id=thread, timeline_label=label)
    for dtype, dims, nbytes in outputs:
        out = ns.output.add(slot=len(ns.output))
        out.tensor_description.dtype = dtype
        for d in dims:
            out.tensor_description.shape.dim.add(size=d)
        out.tensor_description.allocation_description.requested_bytes = nbytes
        out.tensor_description.allocation_description.allocator_name = "cpu"


def _step_stats(tf):
    """Two devices: a, b on CPU:0 (b overlapping a, so a second lane), c on CPU:1 reading b (a flow)."""
    md = tf.RunMetadata()
    cpu0 = md.step_stats.dev_stats.add(device="/job:localhost/replica:0/task:0/device:CPU:0")
    _node(cpu0, "a", "a = Const()", 100, 10, 7, [(1, [2, 2], 16)])
    _node(cpu0, "b", "b = MatMul(a, a)", 105, 20, 8, [(1, [2, 2], 16), (3, [], 4)])
    _node(cpu0, "d", "d = Identity(b:1, ^a)", 130, 5, 7, [(3, [], 4)])
    cpu1 = md.step_stats.dev_stats.add(device="/job:localhost/replica:0/task:0/device:CPU:1")
    _node(cpu1, "c", "c = AddV2(b, b/_1)", 140, 6, 9, [(1, [2, 2], 16)])
    _node(cpu1, "RecvTensor", "RecvTensor", 138, 1, 9)
    return md.step_stats


def case_chrome_trace_with_dataflow(tf):
    return json.loads(_timeline(tf).Timeline(_step_stats(tf)).generate_chrome_trace_format())


def case_chrome_trace_with_memory(tf):
    return json.loads(_timeline(tf).Timeline(_step_stats(tf)).generate_chrome_trace_format(show_memory=True))


def case_chrome_trace_without_dataflow(tf):
    trace = _timeline(tf).Timeline(_step_stats(tf)).generate_chrome_trace_format(show_dataflow=False)
    return json.loads(trace)


def case_allocator_maximums(tf):
    analysis = _timeline(tf).Timeline(_step_stats(tf)).analyze_step_stats(show_memory=True)
    return {k: [v.timestamp, v.num_bytes, sorted(v.tensors)] for k, v in analysis.allocator_maximums.items()}


def case_compact_format(tf):
    analysis = _timeline(tf).Timeline(_step_stats(tf)).analyze_step_stats(show_memory=False)
    return analysis.chrome_trace.format_to_string(pretty=False)

"""`Timeline`: a step's StepStats (from `RunMetadata`) as a Chrome trace, in TensorFlow's format.

Open the JSON in chrome://tracing or https://ui.perfetto.dev. Each device gets a "<device> Compute" process
row (its ops, one lane per concurrently running op) and a "<device> Tensors" row; a tensor consumed on
another device or lane than the one that made it is drawn as a flow arrow from producer to consumer.

    run_metadata = tf.RunMetadata()
    sess.run(y, options=tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE), run_metadata=run_metadata)
    with open("trace.json", "w") as f:
        f.write(Timeline(run_metadata.step_stats).generate_chrome_trace_format())
"""
import collections
import copy
import json
import re

AllocationMaximum = collections.namedtuple("AllocationMaximum", ("timestamp", "num_bytes", "tensors"))
StepStatsAnalysis = collections.namedtuple("StepStatsAnalysis", ("chrome_trace", "allocator_maximums"))

_LABEL = re.compile(r"(.*) = (.*)\((.*)\)")


class _ChromeTraceFormatter:
    """Collects Chrome trace events: metadata (process/thread names) first, then the timed events."""

    def __init__(self, show_memory=False):
        self._show_memory = show_memory
        self._events = []
        self._metadata = []

    @staticmethod
    def _event(ph, category, name, pid, tid, timestamp):
        return {"ph": ph, "cat": category, "name": name, "pid": pid, "tid": tid, "ts": timestamp}

    def emit_pid(self, name, pid):
        self._metadata.append({"name": "process_name", "ph": "M", "pid": pid, "args": {"name": name}})

    def emit_tid(self, name, pid, tid):
        self._metadata.append({"name": "thread_name", "ph": "M", "pid": pid, "tid": tid, "args": {"name": name}})

    def emit_region(self, timestamp, duration, pid, tid, category, name, args):
        event = self._event("X", category, name, pid, tid, timestamp)
        event["dur"] = duration
        event["args"] = args
        self._events.append(event)

    def _emit_object(self, ph, category, name, timestamp, pid, tid, object_id, args=None):
        event = self._event(ph, category, name, pid, tid, timestamp)
        event["id"] = object_id
        if args is not None:
            event["args"] = args
        self._events.append(event)

    def emit_obj_create(self, category, name, timestamp, pid, tid, object_id):
        self._emit_object("N", category, name, timestamp, pid, tid, object_id)

    def emit_obj_delete(self, category, name, timestamp, pid, tid, object_id):
        self._emit_object("D", category, name, timestamp, pid, tid, object_id)

    def emit_obj_snapshot(self, category, name, timestamp, pid, tid, object_id, snapshot):
        self._emit_object("O", category, name, timestamp, pid, tid, object_id, {"snapshot": snapshot})

    def emit_flow_start(self, name, timestamp, pid, tid, flow_id):
        self._emit_object("s", "DataFlow", name, timestamp, pid, tid, flow_id)

    def emit_flow_end(self, name, timestamp, pid, tid, flow_id):
        self._emit_object("t", "DataFlow", name, timestamp, pid, tid, flow_id)

    def emit_counter(self, category, name, pid, timestamp, counter, value):
        self.emit_counters(category, name, pid, timestamp, {counter: value})

    def emit_counters(self, category, name, pid, timestamp, counters):
        event = self._event("C", category, name, pid, 0, timestamp)
        event["args"] = dict(counters)
        self._events.append(event)

    def format_to_string(self, pretty=False):
        trace = {"traceEvents": self._metadata + self._events}
        if pretty:
            return json.dumps(trace, indent=4, separators=(",", ": "))
        return json.dumps(trace, separators=(",", ":"))


class _TensorTracker:
    """One tensor's life: where and when it was made, its size, and the times ops used it."""

    def __init__(self, name, object_id, timestamp, pid, allocator, num_bytes):
        self.name = name
        self.object_id = object_id
        self.create_time = timestamp
        self.pid = pid
        self.allocator = allocator
        self.num_bytes = num_bytes
        self.ref_times = []
        self.unref_times = []

    @property
    def last_unref(self):
        return max(self.unref_times)

    def add_ref(self, timestamp):
        self.ref_times.append(timestamp)

    def add_unref(self, timestamp):
        self.unref_times.append(timestamp)


def parse_op_label(label):
    """'name = Op(a, b:1)' -> ('name', 'Op', ['a', 'b:1']) (the form of NodeExecStats.timeline_label)."""
    match = _LABEL.match(label)
    if match is None:
        return "unknown", "unknown", []
    name, op, inputs = match.groups()
    return name, op, inputs.split(", ") if inputs else []


def _end(ns):
    return ns.all_start_micros + ns.all_end_rel_micros


class Timeline:
    """The Chrome-trace view of one step's `StepStats` (`graph` is accepted for TF compatibility)."""

    def __init__(self, step_stats, graph=None):
        self._origin_step_stats = step_stats
        self._step_stats = None
        self._graph = graph
        self._chrome_trace = _ChromeTraceFormatter()
        self._next_pid = 0
        self._device_pids = {}    # device -> pid of its compute row
        self._tensor_pids = {}    # device -> pid of its tensors row
        self._tensors = {}        # tensor name -> _TensorTracker
        self._next_flow_id = 0
        self._flow_starts = {}    # tensor name -> (time, pid, tid) it became available
        self._allocator_maximums = {}

    def _alloc_pid(self):
        self._next_pid += 1
        return self._next_pid - 1

    def _allocate_pids(self):
        self._allocators_pid = self._alloc_pid()
        self._chrome_trace.emit_pid("Allocators", self._allocators_pid)
        for dev_stats in self._step_stats.dev_stats:
            self._device_pids[dev_stats.device] = device_pid = self._alloc_pid()
            self._tensor_pids[dev_stats.device] = tensors_pid = self._alloc_pid()
            self._chrome_trace.emit_pid(dev_stats.device + " Compute", device_pid)
            self._chrome_trace.emit_pid(dev_stats.device + " Tensors", tensors_pid)

    def _assign_lanes(self):
        """Per device, puts each op in the first lane free at its start (its `thread_id` becomes the lane)."""
        for dev_stats in self._step_stats.dev_stats:
            lanes = [0]
            for ns in dev_stats.node_stats:
                for i, busy_until in enumerate(lanes):
                    if ns.all_start_micros > busy_until:
                        lanes[i] = _end(ns)
                        ns.thread_id = i
                        break
                else:
                    ns.thread_id = len(lanes)
                    lanes.append(_end(ns))

    def _emit_op(self, ns, pid):
        if ns.node_name == "RecvTensor":
            op, inputs = "RecvTensor", []
        else:
            _, op, inputs = parse_op_label(ns.timeline_label)
        args = {"name": ns.node_name, "op": op}
        for i, name in enumerate(inputs):
            args[f"input{i}"] = name
        self._chrome_trace.emit_region(ns.all_start_micros, ns.all_end_rel_micros, pid, ns.thread_id, "Op", op, args)

    def _analyze_tensors(self, show_memory):
        """Registers every op output as a tensor, available from its producer's end."""
        for dev_stats in self._step_stats.dev_stats:
            device_pid = self._device_pids[dev_stats.device]
            tensors_pid = self._tensor_pids[dev_stats.device]
            for ns in dev_stats.node_stats:
                start, end, tid = ns.all_start_micros, _end(ns), ns.thread_id
                for index, output in enumerate(ns.output):
                    name = f"{ns.node_name}:{index}" if index else ns.node_name
                    allocation = output.tensor_description.allocation_description
                    tensor = _TensorTracker(name, len(self._tensors), start, tensors_pid,
                                            allocation.allocator_name, allocation.requested_bytes)
                    self._tensors[name] = tensor
                    tensor.add_ref(start)
                    tensor.add_unref(end)
                    self._flow_starts[name] = (end, device_pid, tid)
                    if show_memory:
                        self._chrome_trace.emit_obj_create("Tensor", name, start, tensors_pid, tid, tensor.object_id)
                        desc = str(output.tensor_description).replace('"', "")
                        self._chrome_trace.emit_obj_snapshot("Tensor", name, end - 1, tensors_pid, tid,
                                                             tensor.object_id, {"tensor_description": desc})

    def _show_compute(self, show_dataflow):
        """Emits each op, and a flow arrow for each input made on another device or lane."""
        for dev_stats in self._step_stats.dev_stats:
            device_pid = self._device_pids[dev_stats.device]
            for ns in dev_stats.node_stats:
                self._emit_op(ns, device_pid)
                if ns.node_name == "RecvTensor":
                    continue
                for name in parse_op_label(ns.timeline_label)[2]:
                    if name not in self._tensors and name.rfind("/_") > 0:
                        name = name[:name.rfind("/_")]  # a _Recv node stands for the tensor it received
                    tensor = self._tensors.get(name)
                    if tensor is None:
                        continue
                    tensor.add_ref(ns.all_start_micros)
                    tensor.add_unref(_end(ns) - 1)
                    made_at, made_pid, made_tid = self._flow_starts[name]
                    if show_dataflow and (made_pid != device_pid or made_tid != ns.thread_id):
                        flow_id, self._next_flow_id = self._next_flow_id, self._next_flow_id + 1
                        self._chrome_trace.emit_flow_start(name, made_at, made_pid, made_tid, flow_id)
                        self._chrome_trace.emit_flow_end(name, ns.all_start_micros, device_pid, ns.thread_id,
                                                         flow_id)

    def _show_memory_counters(self):
        """Per allocator, a counter of live bytes over time, and the moment it peaked."""
        allocations = {}
        for name, tensor in self._tensors.items():
            self._chrome_trace.emit_obj_delete("Tensor", name, tensor.last_unref, tensor.pid, 0, tensor.object_id)
            events = allocations.setdefault(tensor.allocator, [])
            events.append((tensor.create_time, tensor.num_bytes, name))
            events.append((tensor.last_unref, -tensor.num_bytes, name))
        maximums = {}
        for allocator, events in allocations.items():
            events.sort()
            total, live = 0, set()
            maximums[allocator] = AllocationMaximum(timestamp=0, num_bytes=0, tensors=set())
            for time, num_bytes, name in sorted(events, key=lambda e: e[0]):
                total += num_bytes
                if num_bytes < 0:
                    live.discard(name)
                else:
                    live.add(name)
                if total > maximums[allocator].num_bytes:
                    maximums[allocator] = AllocationMaximum(timestamp=time, num_bytes=total, tensors=set(live))
                self._chrome_trace.emit_counter("Memory", allocator, self._allocators_pid, time, allocator, total)
        self._allocator_maximums = maximums

    def analyze_step_stats(self, show_dataflow=True, show_memory=True, op_time="schedule"):
        """The trace and the allocators' peak usage. `op_time` is 'schedule', 'gpu' or 'all'; without GPU
        streams they coincide."""
        if op_time not in ("schedule", "gpu", "all"):
            raise ValueError(f"op_time must be 'schedule', 'gpu' or 'all', not {op_time!r}")
        self._step_stats = copy.deepcopy(self._origin_step_stats)
        self._allocate_pids()
        self._assign_lanes()
        self._analyze_tensors(show_memory)
        self._show_compute(show_dataflow)
        if show_memory:
            self._show_memory_counters()
        return StepStatsAnalysis(chrome_trace=self._chrome_trace, allocator_maximums=self._allocator_maximums)

    def generate_chrome_trace_format(self, show_dataflow=True, show_memory=False, op_time="schedule"):
        """The step as a Chrome-trace JSON string (chrome://tracing, Perfetto)."""
        analysis = self.analyze_step_stats(show_dataflow=show_dataflow, show_memory=show_memory, op_time=op_time)
        return analysis.chrome_trace.format_to_string(pretty=True)

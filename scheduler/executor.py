"""The in-device executor: runs one partition of a step, each op as soon as its inputs are ready.

A partition (`Partition` in partition.py, made by `plan.py`) is a list of nodes over numbered value slots.
Running it keeps one `Step` state table:

    values     slot -> value          filled by feeds, constants, received tensors and node outputs
    waiting    node -> int            how many of the node's producer nodes have not finished
    remaining  int                    nodes not yet finished; the step is done at 0
    left       slot -> int            consumers still to read the slot; at 0 the value is dropped
    error      exception or None      the first failure; later work is skipped
    stats      list                   (node, start, end, thread) when tracing

`finish(node, outputs)` stores the outputs, frees spent inputs and returns the dependents that became
ready. Who runs a ready node is the `dispatch` function handed to `run_step`: `run_inline` runs
everything in the calling thread (for tests); `ThreadedDispatch` keeps cheap nodes in the thread that
made them ready and gives expensive ones (by their measured cost) to a worker pool, so independent
heavy ops run concurrently while chains of small ops pay no thread hand-offs. Of the expensive nodes ready,
a thread runs the one with the longest path ahead (`Partition.levels`): independent chains advance side by
side and end together, where a thread that kept to its own chain could end a whole chain's remainder before
another (`parallel_branches`' eight chains of products, in-process: one of two threads idle for 2.5 ms of a
33 ms step). Tensors from other devices complete their receive pseudo-nodes through `Step.receive`.
"""
import heapq
import itertools
import threading
import time

from .partition import MERGE
from .resources import DEAD, VariableRef, collect_output, current_step, output_sink, running_step

EXPENSIVE = 150e-6  # seconds: nodes slower than this are worth a thread hand-off (and its GIL contention)


def is_dead(node, values, dead):
    """Whether a node downstream of a switch must not run: a dead control input, or dead data inputs (all of
    them, for a merge)."""
    if dead and any(c in dead for c in node.controls):
        return True
    flags = [values[s] is DEAD for s in node.inputs]
    return all(flags) if node.role == MERGE and flags else any(flags)


class StepError(Exception):
    """A kernel failure, tagged with the node that raised it."""

    def __init__(self, node_name, error):
        super().__init__(node_name, error)
        self.node_name = node_name
        self.error = error


class Step:
    """The state table of one run of a Partition (see the module docstring)."""

    def __init__(self, part, res_for, feeds, send=None, trace=False):
        self.part = part
        self.nodes = part.nodes
        self.dependents = part.dependents
        self.costs = part.costs
        self.kept = part.kept
        self.res_for = res_for          # node -> resource binding for stateful kernels
        self.send = send if part.signals else None
        self.values = values = part.initial_values.copy()
        slots = part.feeds
        for key, value in feeds.items():
            values[slots[key]] = value
        self.waiting = part.initial_waiting.copy()
        self.remaining = len(part.nodes)
        self.left = part.readers.copy()
        self.lock = threading.Lock()
        self.done = threading.Event()
        self.error = None
        self.stats = [] if trace else None
        self.output = []                # what its kernels printed, in the order they printed it
        self.dead = set()
        self.shared = []                # heap of (rank, order, node): expensive ready nodes any thread may take
        self.levels = part.levels
        self.order = itertools.count()
        self.idle = threading.Condition(threading.Lock())  # where the step's caller waits for shared nodes
        self.spread = True  # hand expensive nodes to other threads (off when its kernels split themselves)
        if self.remaining == 0:
            self.done.set()

    def end(self):
        """Marks the step done (finished, failed or aborted) and wakes its caller if it waits for work."""
        self.done.set()
        with self.idle:
            self.idle.notify_all()

    # ----- the mechanism ---------------------------------------------------------------------------
    def execute(self, node, kept=None):
        """Runs a node's kernel (or takes its `kept` outputs: partition.Kept); returns its outputs (a tuple)."""
        values = self.values
        args = [values[s] for s in node.inputs]
        for p in node.deref:
            if isinstance(args[p], VariableRef):
                args[p] = args[p].read()
        if node.stateful:
            sink, step = output_sink(), current_step()  # (this step may run inside a kernel of another)
            collect_output(self.output)  # a stateful kernel may print (tf.Print): into this step's output
            running_step(self)  # a blocking kernel (a queue's dequeue) gives up when this step ends
            try:
                out = node.kernel(node.attrs, self.res_for(node), *args)
            finally:
                collect_output(sink)
                running_step(step)
        elif kept is not None:
            out = kept.run(node, args)
        else:
            out = node.kernel(node.attrs, *args)
        n = len(node.outputs)
        if n == 1:
            return (out,)
        return () if n == 0 else tuple(out)

    def finish(self, i, outputs):
        """Stores node i's outputs and returns the nodes that became ready."""
        node = self.nodes[i]
        values, left = self.values, self.left
        for slot, value in zip(node.outputs, outputs):
            values[slot] = value
        ready = []
        with self.lock:
            for s in node.inputs:
                left[s] -= 1
                if left[s] == 0:
                    values[s] = None
            waiting = self.waiting
            for d in self.dependents[i]:
                waiting[d] -= 1
                if waiting[d] == 0:
                    ready.append(d)
            self.remaining -= 1
            last = self.remaining == 0
        if self.send is not None:
            self._signal(i, node)
        if last:  # after the sends: a step is done only once its values are on their way to other devices
            self.end()
        return ready

    def _signal(self, i, node):
        part = self.part
        for slot in node.outputs:
            for key in part.sends.get(slot, ()):
                self.send(key, self.values[slot])
        for key in part.control_sends.get(i, ()):
            self.send(key, DEAD if i in self.dead else None)

    def fail(self, i, error):
        with self.lock:
            if self.error is None:  # a loop node's failing body op is reported as itself (frames.py)
                self.error = error if isinstance(error, StepError) else \
                    StepError(self.nodes[i].name if i is not None else None, error)
        self.end()

    def receive(self, key, value):
        """A tensor from another device arrived: fill its slot and release what waited for it."""
        i = self.part.recv_nodes[key]
        if value is DEAD:
            self.dead.add(i)
        return self.finish(i, (value,))

    def _is_dead(self, i, node):
        return is_dead(node, self.values, self.dead)

    def run_node(self, i):
        """Executes node i and finishes it; returns the newly ready nodes ([] after a failure)."""
        if self.error is not None:
            return []
        node = self.nodes[i]
        start = time.perf_counter()
        try:
            if node.conditional and self._is_dead(i, node):
                self.dead.add(i)
                outputs = (DEAD,) * len(node.outputs)
            else:
                outputs = self.execute(node, self.kept[i])
        except Exception as e:  # noqa: BLE001 - every kernel failure is reported with its node
            self.fail(i, e)
            return []
        end = time.perf_counter()
        # The cost estimate follows the fastest recent runs: wall time also counts waits for the GIL,
        # which would make cheap nodes look expensive and send them to other threads (more waiting).
        costs = self.costs
        cost = costs[i]
        costs[i] = end - start if cost is None else min(end - start, cost * 1.1)
        if self.stats is not None:
            self.stats.append((i, start, end, threading.get_ident()))
        try:
            return self.finish(i, outputs)
        except Exception as e:  # noqa: BLE001 - e.g. sending to another device failed: end the step
            self.fail(i, e)
            return []

    def results(self):
        if self.error is not None:
            raise self.error
        out = [self.values[s] for s in self.part.fetches]
        for p in self.part.fetch_deref:
            if isinstance(out[p], VariableRef):
                out[p] = out[p].read()
        return out


# ----- dispatch --------------------------------------------------------------------------------------
def run_inline(step, ready):
    """Dispatch that runs every ready node in the calling thread (deterministic; for tests)."""
    stack = list(ready)
    while stack:
        stack.extend(step.run_node(stack.pop()))


class ThreadedDispatch:
    """Runs cheap ready nodes in the current thread and hands expensive ones to a thread pool."""

    def __init__(self, pool):
        self.pool = pool

    def __call__(self, step, ready):
        if ready:
            self._work(step, self._share(step, list(ready), []))

    def _share(self, step, ready, queue):
        """Keeps cheap nodes (and one expensive one if nothing else) for this thread; the other expensive
        ones go to the step's shared queue, which pool threads (and idle callers) drain."""
        costs = step.costs
        for j in ready:
            cost = costs[j]
            if step.spread and (cost is None or cost > EXPENSIVE) and (queue or len(ready) > 1 and j != ready[-1]):
                self._offer(step, j)
                with step.idle:
                    step.idle.notify()
                self.pool.submit(self._work, step, [])
            else:
                queue.append(j)
        return queue

    @staticmethod
    def _rank(step, i):
        """Where node i goes among the shared nodes: by its path ahead once it has run (its cost measured), else
        after those, in the order the nodes became ready (a step's first run keeps TF's order: its first failing
        assert is the one TF reports)."""
        return -step.levels[i] if step.costs[i] is not None else 0

    @classmethod
    def _offer(cls, step, i):
        with step.lock:
            heapq.heappush(step.shared, (cls._rank(step, i), next(step.order), i))

    @classmethod
    def _take(cls, step, i=None):
        """The first shared node by `_rank`, or None; with `i` (an expensive node this thread kept): i unless a
        shared node ranks before it, which is taken in its place (i shared instead)."""
        shared = step.shared
        with step.lock:
            if not shared:
                return i
            if i is None:
                return heapq.heappop(shared)[2]
            rank = cls._rank(step, i)
            if shared[0][0] >= rank:
                return i
            return heapq.heapreplace(shared, (rank, next(step.order), i))[2]

    def serve(self, step, ready):
        """Dispatches `ready`, then, until the step is done, takes the shared nodes no other thread has taken yet:
        the calling thread would only wait for the step, and the pool's threads cannot help each other (a node
        a busy pool thread shares waits for it to finish the nodes it kept)."""
        self(step, ready)
        idle, shared, done = step.idle, step.shared, step.done
        while not done.is_set():
            with idle:
                while not shared and not done.is_set():
                    idle.wait()
            self._work(step, [])

    def _work(self, step, queue):
        """Runs this thread's nodes, then helps with the shared queue until it is empty."""
        costs = step.costs
        while True:
            if queue:
                i = queue.pop()
                if step.shared and step.spread and (costs[i] is None or costs[i] > EXPENSIVE):
                    i = self._take(step, i)
            else:
                i = self._take(step)
                if i is None:
                    return
            ready = step.run_node(i)
            if ready:
                self._share(step, ready, queue)


def run_step(part, feeds, res_for, dispatch=run_inline, send=None, trace=False, timeout=None):
    """Runs a partition to completion; returns (fetched values, step). Raises StepError or TimeoutError."""
    step = Step(part, res_for, feeds, send, trace)
    dispatch(step, part.roots)
    if not step.done.wait(timeout):
        step.fail(None, TimeoutError())
        raise TimeoutError()
    return step.results(), step

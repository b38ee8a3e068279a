"""Overlapping a while loop's iterations (TF1's `parallel_iterations`), for loops whose iterations are heavy.

A loop node (frames.py) runs its iterations one after another by default. `Overlap` runs them as TF1's
executor does: each iteration is an executor `Step` of the frame's sub-partition, and a node of iteration
k+1 runs as soon as its inputs are there, while iteration k may still be running:

    loop variables  iteration k+1's Merge slots are filled when iteration k produces the NextIteration
                    values (a node reading a loop variable waits for it, as for a producer node)
    condition       iteration k+1 exists once iteration k's LoopCond value is true; at most `limit`
                    (parallel_iterations) iterations are in flight
    stateful nodes  run in iteration order: node i of iteration k+1 waits for node i of iteration k
                    (a stack's pushes and pops, an assign_add per iteration keep the sequential order)
    the results     the Exit values of the iteration whose condition is false, once every iteration ended

Ready nodes run in this thread and on the device's other intra-op threads (intra_op.beside); kernels do
not split their own work meanwhile. A failing node ends the loop with its StepError once nodes in flight
have ended; an abort of the enclosing step reaches blocking kernels of every iteration. Traced steps get
an event per node of each iteration.
"""
import collections
import os
import threading

from . import intra_op
from .executor import Step, StepError
from .resources import DEAD, VariableRef, current_step, output_sink

COND, NEXT = "cond", "next"


class _Iteration(Step):
    """One iteration's state table; its `error` is also the enclosing step's (an abort reaches its kernels)."""

    def __init__(self, k, outer, part, res_for, feeds, trace):
        self.k = k
        self.outer = outer
        self._error = None
        super().__init__(part, res_for, feeds, trace=trace)
        self.feeds_by_key = dict(feeds)  # its fed values (the loop's inputs and its loop variables) by key
        self.nexts = {}      # loop variable -> its next value, once this iteration produced it
        self.seen = 0        # nodes whose end the loop has taken into account

    @property
    def error(self):
        if self._error is None and self.outer is not None:
            return getattr(self.outer, "error", None)
        return self._error

    @error.setter
    def error(self, value):
        self._error = value


class Shape:
    """What the overlapped run needs to know of a loop's sub-partition, computed once per loop."""

    def __init__(self, loop):
        part = self.part = loop.part
        if not part.nodes:
            raise ValueError("a loop without nodes has nothing to overlap")
        self.merge_slots = [part.feeds.get(key) for key in loop.merge_keys]
        readers = collections.defaultdict(list)
        for i, node in enumerate(part.nodes):
            for s in set(node.inputs):
                readers[s].append(i)
        self.readers = {s: tuple(readers[s]) for s in self.merge_slots if s is not None}
        waiting = part.initial_waiting.copy()
        for s, nodes in self.readers.items():
            for i in nodes:
                waiting[i] += 1
        self.waiting = waiting
        self.roots = [i for i, w in enumerate(waiting) if w == 0]
        self.stateful = [i for i, node in enumerate(part.nodes) if node.stateful]
        n_vars = len(loop.merge_keys)
        self.watch = collections.defaultdict(list)  # slot -> (COND or NEXT, loop variable, fetch position)
        self.fed_nexts = []                         # (loop variable, fed key) for next values that are feeds
        for j, route in enumerate(loop.fetches[:1 + n_vars]):
            kind, var = (COND, None) if j == 0 else (NEXT, j - 1)
            if isinstance(route, tuple):
                if kind == COND:
                    raise ValueError("a loop whose condition is fed cannot overlap")
                self.fed_nexts.append((var, route[1]))
            else:
                self.watch[part.fetches[route]].append((kind, var, route))
        self.deref = set(part.fetch_deref)


class Overlap:
    """One overlapped run of a loop (see the module docstring)."""

    def __init__(self, loop, shape, feeds, first, bind, limit, helpers):
        self.loop, self.shape, self.part = loop, shape, shape.part
        self.feeds = feeds
        self.bind = bind
        self.limit = limit
        self.helpers = helpers       # threads besides this one that may run nodes
        self.outer = current_step()
        self.output = output_sink()
        trace = getattr(self.outer, "stats", None) is not None
        self.stats = [] if trace else None
        self.lock = threading.Condition()
        self.iterations = {}         # k -> _Iteration, while it may still be needed
        self.progress = [0] * len(self.part.nodes)  # stateful node -> iterations in which it ended
        self.in_flight = 0           # iterations started and not ended
        self.waiting_start = None    # an iteration whose condition allows a next one that the limit holds back
        self.last = None             # the iteration whose condition was false
        self.ended = 0
        self.shared = collections.deque()  # (iteration, node) ready for any thread
        self.running = 0             # nodes being run, by any thread
        self.working = 1             # threads working on the loop (this one included)
        self.error = None
        with self.lock:
            self.shared.extend(self._start(0, first))

    # ----- running -----------------------------------------------------------------------------------
    def run(self):
        """Runs the loop to its end here and beside; returns the Exit values (a value if there is one)."""
        with intra_op.alone():
            while True:
                self._work()
                with self.lock:
                    while not self.shared and not self._over():
                        self.lock.wait()
                    if self._over():
                        break
        if self.stats is not None and self.outer is not None:
            nodes = self.part.nodes
            self.outer.stats.extend((nodes[i] if isinstance(i, int) else i, *times) for i, *times in self.stats)
        if self.error is not None:
            raise self.error
        last = self.iterations[self.last]
        out = [last.feeds_by_key[route[1]] if isinstance(route, tuple) else self._fetched(last, route)
               for route in self.loop.fetches[1 + len(self.loop.merge_keys):]]
        return tuple(out) if self.loop.n_exits != 1 else out[0]

    def _over(self):
        return self.running == 0 and (self.error is not None or self.last is not None and self.ended == self.last + 1)

    def _work(self):
        """Takes ready nodes (this thread's own first) until none is left."""
        mine = []
        while True:
            with self.lock:
                if self.error is not None:
                    self.shared.clear()
                    return
                if mine:
                    it, i = mine.pop()
                elif self.shared:
                    it, i = self.shared.popleft()
                else:
                    return
                self.running += 1
            ready = [(it, j) for j in it.run_node(i)]
            with self.lock:
                self.running -= 1
                if it._error is not None:
                    if self.error is None:
                        self.error = it._error
                elif getattr(self.outer, "error", None) is not None and self.error is None:
                    self.error = self.outer.error
                else:
                    try:
                        ready += self._after(it, i)
                    except Exception as e:  # noqa: BLE001 - e.g. a condition that is no boolean
                        self.error = StepError(self.part.nodes[i].name, e)
                        ready = []
                if ready:
                    mine.append(ready.pop(0))
                    self.shared.extend(ready)
                    if self.shared and self.working < 1 + self.helpers:
                        self.working += 1
                        intra_op.beside(self._helper)
                if self.shared or self._over():
                    self.lock.notify_all()

    def _helper(self):
        try:
            self._work()
        finally:
            with self.lock:
                self.working -= 1
                self.lock.notify_all()

    # ----- the iterations' bookkeeping (under self.lock) ---------------------------------------------
    def _start(self, k, values):
        """Iteration k with its loop variables `values` (a list, entries None until known); returns its
        ready nodes."""
        shape, part = self.shape, self.part
        it = _Iteration(k, self.outer, part, self.bind, self.feeds, self.stats is not None)
        if self.stats is not None:
            it.stats = self.stats
        if self.output is not None:
            it.output = self.output
        it.waiting = shape.waiting.copy()
        for i in shape.stateful:
            if self.progress[i] < k:
                it.waiting[i] += 1
        self.iterations[k] = it
        self.in_flight += 1
        ready = [(it, i) for i in shape.roots if it.waiting[i] == 0]
        for var, value in enumerate(values):
            if value is not None:
                ready += self._deliver(it, var, value)
        return ready

    def _deliver(self, it, var, value):
        """Loop variable `var` of iteration `it` is `value`: returns the nodes it made ready."""
        key = self.loop.merge_keys[var]
        it.feeds_by_key[key] = value
        slot = self.shape.merge_slots[var]
        if slot is None:
            return []
        it.values[slot] = value
        ready = []
        with it.lock:
            for i in self.shape.readers[slot]:
                it.waiting[i] -= 1
                if it.waiting[i] == 0:
                    ready.append((it, i))
        return ready

    def _fetched(self, it, route):
        value = it.values[self.part.fetches[route]]
        if route in self.shape.deref and isinstance(value, VariableRef):
            value = value.read()
        return value

    def _after(self, it, i):
        """Node i of iteration `it` ended: what it means for the loop; returns nodes that became ready."""
        k, ready = it.k, []
        following = self.iterations.get(k + 1)
        for slot in self.part.nodes[i].outputs:
            for kind, var, route in self.shape.watch.get(slot, ()):
                value = self._fetched(it, route)
                if kind == COND:
                    if value is DEAD or not value:
                        self.last = k
                    else:
                        ready += self._next(it)
                        following = self.iterations.get(k + 1)
                elif following is not None:
                    ready += self._deliver(following, var, value)
                else:
                    it.nexts[var] = value
        if self.part.nodes[i].stateful:
            self.progress[i] = k + 1
            if following is not None:
                with following.lock:
                    following.waiting[i] -= 1
                    if following.waiting[i] == 0:
                        ready.append((following, i))
        it.seen += 1
        if it.seen == len(self.part.nodes):  # (every node of an iteration ends, run or dead)
            self.in_flight -= 1
            self.ended += 1
            if k != self.last:
                del self.iterations[k]  # iteration k-1 has ended its stateful nodes and produced its values
            if self.waiting_start is not None:
                ready += self._next(self.waiting_start)
        return ready

    def _next(self, it):
        """Starts the iteration after `it` (whose condition was true), unless the limit holds it back."""
        if self.in_flight >= self.limit:
            self.waiting_start = it
            return []
        self.waiting_start = None
        values = [None] * len(self.loop.merge_keys)
        for var, value in it.nexts.items():
            values[var] = value
        for var, key in self.shape.fed_nexts:
            values[var] = it.feeds_by_key[key]
        it.nexts = {}
        return self._start(it.k + 1, values)


# Whether loop nodes overlap their iterations: "auto" (learnt per loop, `Pace`), "always" (every loop with
# parallel_iterations > 1, even without other threads: to check the overlapped run), "never".
MODE = os.environ.get("RAYGRAPH_OVERLAP_ITERATIONS", "auto")
MIN_ITERATION = 2e-4  # seconds: iterations this short run one after another (a thread hand-off is ~50 us here)
MIN_NODE = 3e-5       # seconds per node of an iteration (on average) below which they also do: an overlapped
                      # node costs the executor's ~10 us more than in order, and its threads contend for the
                      # GIL (lstm_train's loops, ~6 us per node, ran 2.5x slower overlapped)
TRIES = 2             # runs timed each way before a loop settles


class Pace:
    """How a loop node runs its iterations, learnt from its runs: one after another first; if its iterations
    take at least MIN_ITERATION and MIN_NODE per node, overlapped for TRIES runs, then whichever way was faster
    per iteration."""

    def __init__(self):
        self.seconds = {False: [], True: []}  # overlapped -> seconds per iteration of each timed run
        self.choice = None
        self.shape = None                     # the loop's Shape, once an overlapped run needed it

    def overlap(self, loop):
        """Whether this run of `loop` overlaps its iterations."""
        if MODE == "never" or loop.parallel < 2 or self.shape is False:
            return False
        if MODE != "always" and not self._learnt(len(loop.part.nodes)):
            return False
        if self.shape is None:
            try:
                self.shape = Shape(loop)
            except ValueError:  # nothing to overlap
                self.shape = False
                return False
        return True

    def _learnt(self, n_nodes):
        if intra_op.spare() < 1:
            return False
        if self.choice is not None:
            return self.choice
        one_by_one, overlapped = self.seconds[False], self.seconds[True]
        if len(one_by_one) < TRIES:
            return False
        if min(one_by_one) < max(MIN_ITERATION, MIN_NODE * n_nodes):
            self.choice = False
        elif len(overlapped) >= TRIES:
            self.choice = min(overlapped) < min(one_by_one)
        return self.choice is not False

    def ran(self, overlapped, seconds, iterations):
        timed = self.seconds[overlapped]
        if self.choice is None and iterations and len(timed) < TRIES:  # (bounded: a loop that never settles,
            timed.append(seconds / iterations)                            # parallel_iterations=1, times no more)

    def run(self, loop, feeds, first, bind):
        """An overlapped run (once `overlap` said so); returns (exit values, iterations)."""
        run = Overlap(loop, self.shape, feeds, first, bind, loop.parallel, intra_op.spare())
        out = run.run()
        return out, run.last + 1

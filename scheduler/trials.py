"""Trials: which of two ways of running the same work is faster, learnt from its runs.

A device repeats the same steps many times, and which way runs them faster on this machine (kernels
splitting themselves over the cores, or independent kernels side by side on the device's threads) depends
on the work and on the machine. A rule of thumb got some wrong: a partition whose first step ran before any
of its nodes had a measured cost was judged to run its slow kernels one at a time, so `parallel_branches`'
eight independent products took turns, split (29-33 ms), instead of running side by side (22 ms).

So each way's first run is not timed (it pays that way's one-off costs: compiling a partition run in order,
first touches, the executor learning what each node costs), then the two ways take turns for TRIES timed runs
each, and the one with the lower best time is kept: turns and best times discount the machine's noise. A run
that follows a run the other way is not timed either (a turn is two runs): it pays for the switch. On the second
machine (README) OpenBLAS's worker thread, asleep since the last product it shared (the steps side by side run
single-threaded products), took 10-15 ms to start on its next one (a [64, 1568] x [1568, 128] product of 0.15
ms; alone after 1 ms idle 0.14-0.16 ms, after 50 ms 9.8), so `cnn_train`'s split runs, each right after a run
side by side, took 13-22 ms in a trial of alternate runs and the slower way was kept. When the
ways are far apart, each way's first CLEAR runs tell already (every run of one faster than every run of the
other): `parallel_branches`' split steps took 29-33 ms against 22-24 side by side, and the full trial spent
five of its first ten steps the slow way (a benchmark timing 16 steps measured 27-30 ms a step). A fresh
device actor warms up for longer than that, though (its first `mlp_train` steps took 1.5-2.4 ms either way,
its later ones 1.1 ms split and 1.4-1.9 ms not), and a choice made then was wrong in one trial of four to six here.
So the settled choice stays on trial: after `gap` runs the other way runs again. Its earlier times are stale
(the device has warmed up since), so they are dropped, and its first run again is not timed (on the second
machine `cnn_train`'s first step split after the steps side by side took 9.0-10.6 ms, the next ones 6.7-7.1,
against 9.3-10.2 side by side, and judging that first run kept the slower way through two retries).
A fresh run slower than the best of the chosen way's latest TRIES then confirms the choice at the cost of two
runs; one that is not takes TRIES runs in a row, and the faster of the two ways' latest TRIES runs is kept
(mlp_train's first choice, made while warming up, was wrong, and a single run of the other way, weighed against
its stale warm-up times, corrected it only sometimes). The gap doubles each time the choice holds (up to MAX_GAP:
a run in 512 the slower way) and starts again from FIRST_GAP when it changes.

Where the nodes' measured costs already say the answer, no trial is run: when the device's threads, running
the nodes side by side at those costs, would be busy through BALANCED of the step (`busy`), kernels that split
themselves have nothing to win (only the idle rest, paying their hand-offs), and side by side is kept for good
after its first timed run. `parallel_branches`' eight chains of products (busy 0.99 on two threads) spent
steps 3-8 of its trial on split runs of 21-45 ms against 15-16, and two more every retry.
"""
import collections
import heapq
import math

TRIES = 4        # each way's latest timed runs that are compared
CLEAR = 2        # each way's timed runs that settle the trial early when they do not overlap
FIRST_GAP = 16   # runs of the settled way before the other is tried again
MAX_GAP = 512
BALANCED = 0.95  # the share of the threads' time side by side from which it is kept without a trial


class Trial:
    """Chooses between two ways, False and True: `way()` says which to run now, `ran(way, seconds)` times it."""

    __slots__ = ("seconds", "choice", "warm", "runs", "gap", "retrying", "last", "again", "judged")

    def __init__(self):
        self.seconds = ([], [])     # per way: the times of its latest timed runs (at most TRIES)
        self.choice = None          # the faster way, once settled
        self.warm = [False, False]  # per way: whether its first (untimed) run was made
        self.runs = 0               # runs of the chosen way since the other last ran
        self.gap = FIRST_GAP
        self.retrying = False       # whether the other way is taking its TRIES runs in a row
        self.last = None            # the way of the latest run
        self.again = False          # whether the latest run was untimed (a first or a switch): its way runs again
        self.judged = False         # whether keep_if asked its partition's costs

    def way(self, retry=True):
        """Before settling: each way in turn (False first), twice a turn, the first of each untimed. After: the
        chosen way, or the other once its gap is over (until its retry ends); with `retry` False (a traced
        step, whose profile should show how steps run) always the chosen way."""
        if self.choice is None:
            return self.last if self.again else self.last is False
        return self.choice if not retry or self.runs < self.gap and not self.retrying else not self.choice

    def ran(self, way, seconds):
        """Times a run made `way`: not its first, nor one that follows a run the other way (it pays the switch)."""
        switched, self.last = way != self.last, way
        if not self.warm[way] or switched:
            self.warm[way] = self.again = True
            return
        self.again = False
        timed = self.seconds[way]
        if self.choice is None and len(timed) >= TRIES:
            return   # (a way asked for out of turn)
        timed.append(seconds)
        del timed[:-TRIES]
        if self.choice is None:
            if all(len(t) >= TRIES for t in self.seconds) or self._apart():
                self.choice = self._faster()
        elif way == self.choice:
            self.runs += 1
        elif not self.retrying:
            timed[:] = [seconds]   # its older times are stale (the device has warmed up since)
            if seconds > min(self.seconds[self.choice]):
                self._verdict(self.choice)   # slower than the best of the choice's latest: it holds
            else:
                self.retrying = True
        elif len(timed) >= TRIES:
            self._verdict(self._faster())

    def keep_if(self, balanced):
        """Before settling, after the way side by side's first timed run (once: `balanced` may simulate a large
        partition): keeps it for good, never tried again, where `balanced()` (its costs say it keeps the threads
        busy: `busy`)."""
        if self.choice is None and not self.judged and self.seconds[False]:
            self.judged = True
            if balanced():
                self.choice, self.gap = False, math.inf

    def _verdict(self, faster):
        self.gap = min(2 * self.gap, MAX_GAP) if faster == self.choice else FIRST_GAP
        self.choice, self.runs, self.retrying = faster, 0, False

    def _apart(self):
        """Whether each way has CLEAR timed runs and every run of one was faster than every run of the other."""
        off, on = self.seconds
        if len(off) < CLEAR or len(on) < CLEAR:
            return False
        return max(off) < min(on) or max(on) < min(off)

    def _faster(self):
        return min(self.seconds[True]) < min(self.seconds[False])


def busy(deps, dependents, costs, threads):
    """The share of `threads` threads' time that a step's nodes (`deps`, `dependents` per node, producers
    first) would keep busy at their measured `costs` (None: not run, as a branch not taken) side by side, each
    started on the first thread free once its deps are done."""
    costs = [cost or 0.0 for cost in costs]
    total = sum(costs)
    if not total:
        return 0.0
    waiting = [len(ds) for ds in deps]
    ready = collections.deque(i for i, n in enumerate(waiting) if not n)
    running, now, free = [], 0.0, threads
    while ready or running:
        while ready and free:
            i = ready.popleft()
            heapq.heappush(running, (now + costs[i], i))
            free -= 1
        now, i = heapq.heappop(running)
        free += 1
        for j in dependents[i]:
            waiting[j] -= 1
            if not waiting[j]:
                ready.append(j)
    return total / (threads * now) if now else 0.0

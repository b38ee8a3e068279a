"""Trials: which of two ways of running the same work is faster, learnt from its first runs.

A device repeats the same steps many times, and which way runs them faster on this machine (kernels
splitting themselves over the cores, or independent kernels side by side on the device's threads) depends
on the work and on the machine. A rule of thumb got some wrong: a partition whose first step ran before any
of its nodes had a measured cost was judged to run its slow kernels one at a time, so `parallel_branches`'
eight independent products took turns, split (29-33 ms), instead of running side by side (22 ms). So after
a first run that is not timed (it pays one-off costs: compiling, first touches, the executor learning what
each node costs), the two ways take turns for TRIES runs each, and the one with the lower best time is
kept: turns and best times discount warming up and the machine's noise.
"""
TRIES = 3   # runs timed each way before a trial settles


class Trial:
    """Chooses between two ways, False and True: `way()` says which to run now, `ran(way, seconds)` times it."""

    __slots__ = ("seconds", "choice", "warm")

    def __init__(self):
        self.seconds = ([], [])   # per way: the times of its timed runs
        self.choice = None        # the faster way, once settled
        self.warm = False         # whether the first (untimed) run was made

    def way(self):
        """The settled way; else False for the first run, then the way with fewer timed runs (True first)."""
        if self.choice is not None:
            return self.choice
        return self.warm and len(self.seconds[True]) <= len(self.seconds[False])

    def ran(self, way, seconds):
        """Times a run made `way` (the first run, runs after the trial settled or beyond TRIES count not)."""
        if not self.warm:
            self.warm = True
            return
        if self.choice is not None:
            return
        timed = self.seconds[way]
        if len(timed) < TRIES:
            timed.append(seconds)
        if all(len(t) >= TRIES for t in self.seconds):
            self.choice = min(self.seconds[True]) < min(self.seconds[False])

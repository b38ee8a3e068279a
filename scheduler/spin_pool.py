"""Spin pool: threads that take work handed to them, and wait for it spinning a while before they sleep.

A kernel that splits its work hands a share to another thread and later waits for it. Handed over through
a lock or a condition (ThreadPoolExecutor), each way costs a futex wake-up, 50-55 us here (a share posted
after 50 us or 1 ms of other work alike), and a training step splits its kernels a dozen times or more:
`cnn_train`'s convolutions kept one core idle through 200-300 us of each of their 0.5-1.7 ms, and a share of
ApplyAdam's 200K elements took 350 us where the whole took 270. So the pool's threads, done with a share,
watch a flag for the next one for SPIN seconds before they sleep, and a thread waiting for a share watches
the share's flag likewise: each watches from a compiled loop that holds no GIL (an atomic load and a pause
instruction per turn), so the other threads run on meanwhile. A hand-off each way then took 20-27 us (what is
left is mostly the GIL passing from one thread to the other). The loop is compiled (numba, ~0.5 s with its
import) by the first share submitted in a process, not before (a device that never splits a kernel starts
without it); a spinning thread uses its core, so threads spin only for SPIN after their last work.
"""
import collections
import threading
import time

import numpy as np

SPIN = 3e-4   # seconds a thread watches for work (or for its share's end) before it sleeps
_spin = None  # the compiled watch: (flags, index, turns) -> whether flags[index] became nonzero
_turns = 0    # turns of the watch loop in SPIN seconds
_compiling = threading.Lock()


class Share:
    """Work handed to a pool: `result()` waits for it and returns its value or raises its error."""

    __slots__ = ("fn", "args", "kwargs", "value", "error", "done", "event")

    def __init__(self, fn, args, kwargs):
        self.fn, self.args, self.kwargs = fn, args, kwargs
        self.value = self.error = self.event = None
        self.done = np.zeros(1, np.int32)

    def run(self):
        try:
            self.value = self.fn(*self.args, **self.kwargs)
        except BaseException as e:  # noqa: BLE001 - raised by result() in the thread that waits
            self.error = e
        self.done[0] = 1
        event = self.event
        if event is not None:
            event.set()

    def wait(self):
        """Returns once it has run."""
        if not self.done[0] and not _spin(self.done, 0, _turns):
            self.event = threading.Event()
            if not self.done[0]:
                self.event.wait()

    def result(self):
        self.wait()
        if self.error is not None:
            raise self.error
        return self.value


class SpinPool:
    """`threads` threads running the Shares submitted to them, in order."""

    def __init__(self, threads, name="raygraph-spin"):
        self.queue = collections.deque()
        self.posted = np.zeros(1, np.int32)   # set when a share is queued
        self.cond = threading.Condition()
        self.sleeping = 0
        self.closed = False
        for k in range(threads):
            threading.Thread(target=self._serve, name=f"{name}_{k}", daemon=True).start()

    def submit(self, fn, *args, **kwargs):
        if _spin is None:
            _compile()
        share = Share(fn, args, kwargs)
        self.queue.append(share)
        self.posted[0] = 1
        if self.sleeping:
            with self.cond:
                self.cond.notify()
        return share

    def close(self):
        """Its threads end once they have run what was submitted."""
        self.closed = True
        self.posted[0] = 1
        with self.cond:
            self.cond.notify_all()

    def _serve(self):
        queue, posted = self.queue, self.posted
        while True:
            posted[0] = 0   # (before taking: a share queued after this sets it again)
            while True:
                try:
                    share = queue.popleft()
                except IndexError:
                    break
                share.run()
            if self.closed:
                return
            if _spin is not None and _spin(posted, 0, _turns):   # (compiled by the first submit)
                continue
            with self.cond:
                self.sleeping += 1
                while not queue and not self.closed:
                    self.cond.wait()
                self.sleeping -= 1


def _compile():
    """Compiles the watch loop once per process, and measures how many of its turns make SPIN seconds; where
    it cannot be compiled, threads sleep at once (as a ThreadPoolExecutor's)."""
    global _spin, _turns
    with _compiling:
        if _spin is None:
            try:
                spin, _turns = _compiled()
            except Exception:  # noqa: BLE001 - e.g. no numba for this platform: no spinning
                spin, _turns = (lambda flags, index, turns: False), 0
            _spin = spin


def _compiled():
    from . import spin_loop  # noqa: PLC0415 - numba, only for devices that split their kernels

    never = np.zeros(1, np.int32)
    spin_loop.spin(never, 0, 10)
    started = time.perf_counter()
    spin_loop.spin(never, 0, 1 << 16)
    return spin_loop.spin, max(1, int(SPIN * (1 << 16) / max(time.perf_counter() - started, 1e-9)))

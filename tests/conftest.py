"""Shared fixtures: one small Ray runtime for the whole test run (started only if a test needs it).

Everything the run writes to the temp dir (Ray's session files, device actors' socket directories, the
tests' own files, those of the processes they start) goes under one directory of its own, removed at the
end; the run fails if a device actor's socket directory is still held there, so no run leaves
/tmp/raygraph-* behind, and other runs on the machine are never mistaken for this one.
"""
import contextlib
import glob
import os
import shutil
import tempfile
import time

import pytest

os.environ.setdefault("RAY_DEDUP_LOGS", "0")
os.environ.setdefault("RAYGRAPH_CHECK_PLANS", "1")  # every partition planned is checked (scheduler/partition.py)
# as the embedded runtime's device actors run (scheduler/runtime.py: intra_op.SPIN), large products on OpenBLAS's
# threads; set before numpy loads OpenBLAS, which reads it then
os.environ.setdefault("OPENBLAS_THREAD_TIMEOUT", "18")
RUN_TMP = tempfile.mkdtemp(prefix="rg-tests-")
os.environ["TMPDIR"] = RUN_TMP
tempfile.tempdir = None  # re-read TMPDIR


def pytest_sessionfinish(session, exitstatus):
    """Removes the run's temp dir; fails the run if a device actor still holds a socket directory there."""
    from scheduler import socket_dirs
    deadline = time.monotonic() + 10  # the last actors' processes may still be exiting
    while True:
        socket_dirs.sweep(RUN_TMP, grace=0)
        left = glob.glob(os.path.join(RUN_TMP, socket_dirs.PREFIX + "*"))
        if not left or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    shutil.rmtree(RUN_TMP, ignore_errors=True)
    if left:
        print(f"\nsocket directories of device actors still alive after the run: {left}")
        session.exitstatus = 1


@pytest.fixture
def split_kernels():
    """A context manager: inside it, the kernels of steps run in this thread split their work over two
    intra-op threads (scheduler/intra_op.py); one thread again after."""
    from scheduler import intra_op

    @contextlib.contextmanager
    def split():
        intra_op.configure(2)
        intra_op.enable(True)
        try:
            yield
        finally:
            intra_op.enable(False)
            intra_op.configure(1)
    return split


@pytest.fixture(scope="session")
def ray_runtime():
    """The embedded runtime a Session starts (scheduler/runtime.py: its lean head, device processes with one
    malloc arena), with modest resources, shut down at the end (only what we started)."""
    import ray
    from scheduler import runtime
    started = not ray.is_initialized()
    if started:
        runtime.ensure_ray("local", num_cpus=2)
    yield ray
    if started:
        from scheduler.runtime import drain_pool
        drain_pool()
        ray.shutdown()


@pytest.fixture
def tf(request):
    """The raygraph module with a fresh default graph for the test."""
    import raygraph
    raygraph.reset_default_graph()
    yield raygraph
    raygraph.reset_default_graph()


@pytest.fixture
def rtf(ray_runtime, tf):
    """raygraph with Ray running (for tests that run sessions)."""
    return tf

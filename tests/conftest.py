"""Shared fixtures: one small Ray runtime for the whole test run (started only if a test needs it)."""
import os

import pytest

os.environ.setdefault("RAY_DEDUP_LOGS", "0")
os.environ.setdefault("RAYGRAPH_CHECK_PLANS", "1")  # every partition planned is checked (scheduler/partition.py)


@pytest.fixture(scope="session")
def ray_runtime():
    """A local Ray runtime with modest resources, shut down at the end (only what we started)."""
    import ray
    started = not ray.is_initialized()
    if started:
        ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=True, logging_level="ERROR")
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

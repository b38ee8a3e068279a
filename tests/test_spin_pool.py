"""The spin pool (scheduler/spin_pool.py): shares run in its threads, their values and errors come back, whether
its threads are watching for work or asleep, and its threads end when it is closed."""
import threading
import time

import numpy as np
import pytest

from scheduler import spin_pool
from scheduler.spin_pool import SpinPool


@pytest.fixture
def pool():
    p = SpinPool(1, "test-spin")
    yield p
    p.close()


def test_a_share_runs_in_the_pools_thread_and_its_value_comes_back(pool):
    share = pool.submit(lambda a, b, scale=1: (threading.current_thread().name, (a + b) * scale), 2, 3, scale=10)
    assert share.result() == ("test-spin_0", 50)


def test_a_shares_error_is_raised_by_result_not_by_wait(pool):
    share = pool.submit(lambda: 1 // 0)
    share.wait()
    with pytest.raises(ZeroDivisionError):
        share.result()


def test_shares_run_in_order_while_the_thread_watches_and_after_it_slept(pool):
    seen = []
    shares = [pool.submit(seen.append, k) for k in range(50)]   # (queued faster than they run)
    for s in shares:
        s.wait()
    assert seen == list(range(50))
    deadline = time.monotonic() + 5
    while not pool.sleeping and time.monotonic() < deadline:   # past its watch, it sleeps
        time.sleep(0.001)
    assert pool.sleeping == 1
    assert pool.submit(lambda: "woken").result() == "woken"


def test_a_wait_longer_than_the_watch_sleeps_until_the_share_ends(pool):
    release = threading.Event()
    share = pool.submit(lambda: release.wait(5) and "done")
    threading.Timer(0.2, release.set).start()   # (long past the watch)
    assert share.result() == "done"
    assert share.event is not None   # (it slept on the share's event)


def test_closing_ends_its_threads_after_what_was_submitted():
    p = SpinPool(2, "test-close")
    threads = [t for t in threading.enumerate() if t.name.startswith("test-close")]
    share = p.submit(np.sum, np.arange(4))
    p.close()
    assert share.result() == 6
    for t in threads:
        t.join(5)
        assert not t.is_alive()


def test_without_the_compiled_watch_threads_sleep_at_once_and_still_run_shares(monkeypatch):
    monkeypatch.setattr(spin_pool, "_spin", lambda flags, index, turns: False)
    p = SpinPool(1, "test-nowatch")
    try:
        assert [p.submit(lambda k=k: k * k).result() for k in range(20)] == [k * k for k in range(20)]
    finally:
        p.close()


def test_the_watch_sees_a_flag_set_by_another_thread():
    spin_pool._compile()
    flags = np.zeros(1, np.int32)
    assert not spin_pool._spin(flags, 0, 1000)
    threading.Timer(0.01, lambda: flags.__setitem__(0, 1)).start()
    assert spin_pool._spin(flags, 0, 1 << 62)   # (returns once set: the load is not hoisted out of the loop)

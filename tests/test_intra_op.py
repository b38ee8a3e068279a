"""Intra-op parallelism (scheduler/intra_op.py): a kernel's work cut into shares over the device's threads, and
the convolution kernels that cut their batch that way giving the unsplit results."""
import collections
import threading

import numpy as np
import pytest

from raygraph.ops import conv
from raygraph.ops.registry import get
from scheduler import intra_op


@pytest.fixture
def two_threads():
    intra_op.configure(2)
    intra_op.enable(True)
    yield
    intra_op.enable(False)
    intra_op.configure(1)


def test_shares_cover_the_range_in_order_on_two_threads(two_threads):
    seen = []

    def run(lo, hi):
        seen.append(threading.current_thread().name)
        return (lo, hi, intra_op._may_split())
    assert intra_op.shares(run, 7, intra_op.MIN_WORK) == [(0, 3, False), (3, 7, False)]   # no split inside a share
    assert len(set(seen)) == 2
    assert intra_op._may_split()   # the calling thread may split again afterwards


def test_small_work_or_disabled_runs_whole(two_threads):
    run = lambda lo, hi: (lo, hi)  # noqa: E731
    assert intra_op.shares(run, 7, intra_op.MIN_WORK - 1) == [(0, 7)]
    intra_op.enable(False)
    assert intra_op.shares(run, 7, intra_op.MIN_WORK) == [(0, 7)]


def test_threads_busy_with_other_loops_are_not_split_over(two_threads):
    run = lambda lo, hi: (lo, hi)  # noqa: E731
    intra_op.enable(True, busy=1)   # a queue runner repeating on the device: one thread left
    assert intra_op.shares(run, 8, intra_op.MIN_WORK) == [(0, 8)]
    intra_op.enable(True)
    assert intra_op.shares(run, 8, intra_op.MIN_WORK) == [(0, 4), (4, 8)]


def test_a_failing_share_raises_after_every_share_ended(two_threads):
    ended = []

    def run(lo, hi):
        if lo == 0:
            raise ValueError("first share")
        threading.Event().wait(0.05)
        ended.append(hi)
    with pytest.raises(ValueError, match="first share"):
        intra_op.shares(run, 4, intra_op.MIN_WORK)
    assert ended == [4]


def test_rows_share_every_block_once_their_layout_is_known(two_threads):
    """The first call runs its first block alone to learn which outputs have the rows (4 blocks on 2 threads:
    3 and 1); with the layout remembered, later calls share all blocks evenly (2 and 2), same values."""
    x = np.arange(8 * 3, dtype=np.float32).reshape(8, 3)
    k = np.float32(3)
    threads = []

    def run(inputs):
        threads.append(threading.current_thread().name)
        a, b = inputs
        return a * b, np.exp(b), (a > 10).astype(np.int8)
    layouts = {}
    expected = run([x, k])
    for call in range(2):
        threads.clear()
        out = intra_op.rows(run, [x, k], 6, layouts)
        assert sorted(collections.Counter(threads).values()) == ([1, 3] if call == 0 else [2, 2])
        for got, want in zip(out, expected):
            np.testing.assert_array_equal(got, want)
            assert got.dtype == want.dtype
    assert list(layouts.values()) == [(((3,), np.float32), None, ((3,), np.int8))]
    threads.clear()
    out = intra_op.rows(run, [x[:4], k], 3, layouts)   # other shapes: learnt again, the old layout dropped
    assert sorted(collections.Counter(threads).values()) == [2] and len(layouts) == 1
    np.testing.assert_array_equal(out[0], x[:4] * k)


def test_matmul_inside_a_share_does_not_wait_on_the_busy_pool(two_threads):
    x = np.ones((512, 256), np.float32)
    out = intra_op.shares(lambda lo, hi: intra_op.matmul(x[lo:hi], x.T), 512, intra_op.MIN_WORK)
    np.testing.assert_array_equal(np.concatenate(out), x @ x.T)


@pytest.mark.parametrize("m, n", [(256, 128), (128, 256)])   # rows of x cut, columns of y cut
def test_without_openblas_threads_a_large_product_is_cut_into_blocks_on_the_devices_threads(two_threads,
                                                                                            monkeypatch, m, n):
    monkeypatch.setattr(intra_op, "_blas", [])
    calls = []
    monkeypatch.setattr(intra_op.blas, "matmul", lambda a, b, constant=False, **kw: (
        calls.append(threading.current_thread().name), np.dot(a, b, **kw))[1])
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((m, 784), np.float32), rng.standard_normal((784, n), np.float32)
    np.testing.assert_allclose(intra_op.matmul(x, y), np.dot(x, y), rtol=1e-5, atol=1e-4)
    assert len(calls) == 2 and len(set(calls)) == 2
    intra_op.matmul(x[:, :156], y[:156])   # 5M multiply-adds: too small to pay for a hand-off between threads
    assert len(calls) == 3


def test_an_outer_product_is_not_cut_over_threads(two_threads, monkeypatch):
    """[m, 1] x [1, n] is one multiply per element, memory-bound: whole, on blas.matmul, even where its
    elements pass the work from which products split."""
    monkeypatch.setattr(intra_op, "_blas", [lambda n: pytest.fail("an outer product on OpenBLAS's threads")])
    calls = []
    monkeypatch.setattr(intra_op.blas, "matmul", lambda a, b, **kw: (calls.append(a.shape), np.multiply(a, b))[1])
    x, y = np.arange(4096, dtype=np.float32)[:, None], np.arange(1024, dtype=np.float32)[None, :]
    np.testing.assert_array_equal(intra_op.matmul(x, y), np.outer(x, y))
    assert calls == [(4096, 1)]


def test_openblas_threads_are_used_only_where_they_spin_briefly(monkeypatch):
    """OpenBLAS's threads spin 2^OPENBLAS_THREAD_TIMEOUT cycles after a product (by default ~0.1 s of a core):
    products run on them only where the variable keeps that short."""
    monkeypatch.delenv("OPENBLAS_THREAD_TIMEOUT", raising=False)
    assert intra_op.blas_threads() == []
    for value in (str(intra_op.MAX_SPIN + 1), "28", "short"):
        monkeypatch.setenv("OPENBLAS_THREAD_TIMEOUT", value)
        assert intra_op.blas_threads() == []
    monkeypatch.setenv("OPENBLAS_THREAD_TIMEOUT", str(intra_op.SPIN))
    assert intra_op.blas_threads()   # numpy's OpenBLAS (pthreads), and any other loaded


def test_a_large_product_runs_on_openblas_threads_and_leaves_blas_single_threaded(monkeypatch):
    from threadpoolctl import threadpool_info
    monkeypatch.setenv("OPENBLAS_THREAD_TIMEOUT", str(intra_op.SPIN))
    intra_op.configure(2)
    try:
        setters, counts = intra_op._blas, []
        monkeypatch.setattr(intra_op, "_blas", [lambda n: (counts.append(n), [f(n) for f in setters])])
        rng = np.random.default_rng(0)
        x, y = rng.standard_normal((128, 784), np.float32), rng.standard_normal((784, 256), np.float32)
        np.testing.assert_allclose(intra_op.matmul(x, y), x @ y, rtol=1e-5, atol=1e-4)
        assert counts == []   # kernels may not split: one thread
        intra_op.enable(True)
        np.testing.assert_allclose(intra_op.matmul(x, y), x @ y, rtol=1e-5, atol=1e-4)
        assert counts == [2, 1]
        np.testing.assert_array_equal(intra_op.matmul(x[:8], y[:, :8]), x[:8] @ y[:, :8])   # small: not split
        assert counts == [2, 1]
        a, b = rng.standard_normal((64, 156), np.float32), rng.standard_normal((156, 512), np.float32)
        np.testing.assert_allclose(intra_op.matmul(a, b), a @ b, rtol=1e-5, atol=1e-4)   # dynamic_rnn's 5M
        assert counts == [2, 1, 2, 1]                                       # multiply-adds: on OpenBLAS's threads
        np.testing.assert_array_equal(intra_op.matmul(a[:, :20], b[:20]), a[:, :20] @ b[:20])   # 655K: not
        assert counts == [2, 1, 2, 1]
        c = rng.standard_normal((784, 256)).astype(np.float32)   # a product added into an array: as a product
        want = c + 0.5 * (x.T @ (x @ y))
        assert intra_op.accumulate(x.T, x @ y, c, 0.5, 1.0)
        np.testing.assert_allclose(c, want, rtol=1e-4, atol=1e-3)
        assert counts == [2, 1, 2, 1, 2, 1]
        assert {i["num_threads"] for i in threadpool_info() if i["internal_api"] == "openblas"} == {1}
    finally:
        intra_op.enable(False)
        intra_op.configure(1)
    assert intra_op._blas == []


@pytest.mark.parametrize("shape, filt", [((16, 14, 14, 32), (5, 5, 32, 64)),    # Fourier route
                                         ((8, 20, 20, 48), (3, 3, 48, 64))])    # im2col route
def test_convolutions_split_over_the_batch_match_unsplit(monkeypatch, shape, filt, split_kernels):
    counts, shares = [], intra_op.shares

    def counted(run, n, work):
        counts.append(len(out := shares(run, n, work)))
        return out
    monkeypatch.setattr(intra_op, "shares", counted)
    rng = np.random.default_rng(0)
    x, w = rng.standard_normal(shape, dtype=np.float32), rng.standard_normal(filt, dtype=np.float32)
    a = {"strides": [1, 1, 1, 1], "padding": "SAME", "explicit_paddings": [], "data_format": "NHWC",
         "dilations": [1, 1, 1, 1]}
    geo = conv._Geometry(x.shape, w.shape, a, 2, "")
    assert geo.work >= conv._SPLIT_WORK
    dy = rng.standard_normal((shape[0],) + geo.out + (filt[-1],), dtype=np.float32)

    def three():
        return [get("Conv2D").kernel(a, x, w),
                get("Conv2DBackpropInput").kernel(a, np.array(x.shape, np.int32), w, dy),
                get("Conv2DBackpropFilter").kernel(a, x, np.array(w.shape, np.int32), dy)]
    whole = three()
    with split_kernels():
        split = three()
    assert counts == [1, 1, 1, 2, 2, 2]   # each kernel ran in two shares once allowed
    for got, want in zip(split, whole):   # to float32 rounding: BLAS may round products of other sizes otherwise
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5 * np.abs(want).max())


@pytest.mark.parametrize("m, n", [(256, 128), (128, 256)])   # rows of c cut, columns of c cut
def test_a_product_accumulated_into_an_array_is_cut_as_the_product_is(two_threads, monkeypatch, m, n):
    """intra_op.accumulate (c = alpha x @ y + beta c in place) splits where `matmul` would: without OpenBLAS's
    threads, into one block of c along its longer side per device thread; small ones whole; False (nothing
    written) where no gemm applies."""
    monkeypatch.setattr(intra_op, "_blas", [])
    calls = []
    accumulate = intra_op.blas.accumulate
    monkeypatch.setattr(intra_op.blas, "accumulate", lambda *a, **kw: (
        calls.append(threading.current_thread().name), accumulate(*a, **kw))[1])
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((784, m), np.float32).T, rng.standard_normal((784, n), np.float32)
    c = rng.standard_normal((m, n)).astype(np.float32)
    want = c.astype(np.float64) - 0.1 * (x.astype(np.float64) @ y)
    assert intra_op.accumulate(x, y, c, -0.1, 1.0)
    np.testing.assert_allclose(c, want, rtol=1e-5, atol=1e-4)
    assert len(calls) == 2 and len(set(calls)) == 2
    assert intra_op.accumulate(x[:, :156], y[:156], c, 1.0, 1.0) and len(calls) == 3   # 5M multiply-adds: whole
    ints = c.astype(np.int64)
    assert not intra_op.accumulate(x, y, ints, 1.0, 1.0)
    np.testing.assert_array_equal(ints, c.astype(np.int64))


"""Intra-op parallelism: a large matrix product split over the device's cores by the device itself.

Multi-threaded BLAS on a device that also runs independent kernels at once oversubscribes the cores,
and its spinning threads made step times swing by half here. So devices run single-threaded BLAS, and
a large product runs on `threads` threads only in the steps of partitions whose slow kernels run one at a
time (the device learns which, see device.py): on OpenBLAS's own threads for that product where they stop
spinning soon after it (`blas_threads`), else cut into blocks computed on the device's threads. Kernels whose items are
independent (a convolution's images) cut them into one share per thread (`shares`); elementwise work runs
in blocks of rows (`rows`). Only long calls gain: each numpy call hands the GIL over, so kernels made of many
short calls ran slower split (max-pool gradients: 1.2-2x). Products on one thread, and each block of a product cut
into blocks, run on `blas.matmul` (MKL where installed). Shares go to the device's other threads through a spin
pool (spin_pool.py: a hand-off without a futex wake-up while they are busy): `cnn_train`'s step in-process 7.4-7.7
-> 7.1-7.3 ms, its kernels' single-core time 3.7 -> 3.4-3.5 ms a step.
"""
import contextlib
import itertools
import math
import os
import threading

import numpy as np

from . import blas
from .spin_pool import SpinPool

_pool = None
_threads = 1
_local = threading.local()
MIN_WORK = 1.6e7   # multiply-adds below which splitting costs more than it saves (a thread hand-off here is
                   # ~50-100 us: measured interleaved, 4M-MAC products took 1.7x longer split, 25M ones 0.87x)
MIN_SIDE = 64      # a product whose result is thinner on both sides is mostly its long reduction: each share of
                   # its rows would stream all of the other factor (LeNet's filter gradient, [25, 50176] @
                   # [50176, 16], ran 1.4x slower split)
# OpenBLAS's worker threads spin for 2^OPENBLAS_THREAD_TIMEOUT cycles after each product before they sleep
# (its default, 28: ~0.1 s, taking a core from the device's other threads and from its client). The runtime
# sets SPIN for the device actors it starts (runtime.py): 2^18 cycles, ~0.1 ms here, long enough for a step's
# next product to find them awake. At or below MAX_SPIN a large product runs on OpenBLAS's threads, which share
# its packed blocks where the device's threads each pack their own: [128, 784] x [784, 256] on two cores took
# 0.30 ms against 0.40 cut in two (one thread: 0.56); `mlp_train`'s step in-process 1.08-1.22 ms against
# 1.28-1.32.
SPIN, MAX_SPIN = 18, 20
# OpenBLAS's threads, awake, take a product from far less work than the device's: on the second machine (README),
# AVX2 kernels, dynamic_rnn's [64, 156] x [156, 512] and its gradients' products (5M multiply-adds) in
# `lstm_train`'s steps, in-process: 12.2-13.0 ms a step from MIN_WORK, 9.4-10.6 from 1M-4M (AVX-512 kernels:
# within the noise; `cnn_train` either way).
MIN_BLAS_WORK = 1e6
_blas = []         # set_num_threads of numpy's OpenBLAS where it spins briefly, else empty


def configure(threads):
    """Sets this process's intra-op parallelism (1: none)."""
    global _pool, _threads, _usable, _blas
    _threads = _usable = max(1, int(threads))
    if _pool is not None:
        _pool.close()
    _pool = SpinPool(_threads - 1, "raygraph-intra") if _threads > 1 else None
    _blas = blas_threads() if _threads > 1 else []


def threads():
    """This process's intra-op parallelism (its device's; TF's intra_op_parallelism_threads), 1 where unset."""
    return _threads


def blas_threads():
    """The set_num_threads functions of the process's OpenBLAS libraries (pthreads builds) when their threads
    spin briefly (OPENBLAS_THREAD_TIMEOUT at most MAX_SPIN, read by OpenBLAS when it loads: so set in the
    process's environment from its start), else []."""
    try:
        if int(os.environ.get("OPENBLAS_THREAD_TIMEOUT", "")) > MAX_SPIN:
            return []
    except ValueError:   # unset or not a number: the device's own threads split
        return []
    # (called directly: threadpoolctl's own set_num_threads ignores every thread but the first that used it)
    found = []
    for lib, dll in blas.openblas_libraries():
        if lib.threading_layer == "pthreads":
            found += [getattr(dll, f"{prefix}openblas_set_num_threads{suffix}")
                      for prefix in ("", "scipy_") for suffix in ("", "64_", "_64")
                      if hasattr(dll, f"{prefix}openblas_set_num_threads{suffix}")][:1]
    return found


def enable(on, busy=0):
    """Whether kernels of the step running in this thread (and its helpers) may split their work, over the
    threads that `busy` other loops of the device (queue runners' repetitions) leave: on 2 cores, a training
    step that split its products while a queue runner fed it took 5.4-7.9 ms, not splitting 5.1-6.3 ms."""
    global _enabled, _usable
    _enabled, _usable = on, max(1, _threads - busy)


_enabled = False
_usable = 1


def _may_split():
    """Whether a kernel running in this thread may split its work now (not inside a share of another's)."""
    return _enabled and _usable > 1 and not getattr(_local, "inside", False)


def shares(run, n, work):
    """[run(lo, hi) for one share of range(n) per thread], in order, when this step's kernels may split and
    `work` (multiply-adds or element operations) pays for the hand-offs; else [run(0, n)]. For kernels whose
    items (a batch's images) are independent: the caller joins the shares' results. Kernels called inside a
    share do not split again (the pool's threads are busy with the shares)."""
    if not _may_split() or n < 2 or work < MIN_WORK:
        return [run(0, n)]
    parts = min(_usable, n)
    bounds = [n * k // parts for k in range(parts + 1)]
    futures = [_pool.submit(_inside, run, lo, hi) for lo, hi in zip(bounds[1:-1], bounds[2:])]
    try:
        first = _inside(run, 0, bounds[1])
    finally:
        for f in futures:   # no share is left running (writing) when this returns or raises
            f.wait()
    return [first] + [f.result() for f in futures]


def _inside(run, *args):
    _local.inside = True
    try:
        return run(*args)
    finally:
        _local.inside = False


def spare():
    """How many threads besides this one the kernels of this step may occupy now (0: none)."""
    return _usable - 1 if _may_split() else 0


def beside(run, *args):
    """Runs run(*args) on another of the device's threads (see `spare`); kernels there do not split."""
    return _pool.submit(_inside, run, *args)


@contextlib.contextmanager
def alone():
    """Kernels this thread runs meanwhile do not split (its step runs several of them at once)."""
    was = getattr(_local, "inside", False)
    _local.inside = True
    try:
        yield
    finally:
        _local.inside = was


def matmul(x, y, constant=False):
    """x @ y for 2-D arrays; on several threads when large and allowed: OpenBLAS's own (`_blas`), else the
    device's, each computing a block of the result along its longer side: column blocks of y (joined at the
    end) or row blocks of x (written in place). Outer products (one inner element) stay whole: `blas.matmul`
    multiplies them (`constant`: as blas.matmul's, where the product runs whole)."""
    m, n = x.shape[0], y.shape[1]
    if _whole(m, x.shape[1], n):
        return blas.matmul(x, y, constant=constant)
    if _blas:
        with _openblas_threads():
            return np.matmul(x, y)
    if n >= m:
        bounds = _bounds(n)
        futures = [_pool.submit(blas.matmul, x, y[:, lo:hi]) for lo, hi in zip(bounds[1:-1], bounds[2:])]
        first = blas.matmul(x, y[:, :bounds[1]])
        return np.concatenate([first] + [f.result() for f in futures], axis=1)
    out = np.empty((m, n), dtype=np.result_type(x, y))
    bounds = _bounds(m)
    futures = [_pool.submit(blas.matmul, x[lo:hi], y, out=out[lo:hi]) for lo, hi in zip(bounds[1:-1], bounds[2:])]
    blas.matmul(x[:bounds[1]], y, out=out[:bounds[1]])
    for f in futures:
        f.result()
    return out


def _whole(m, k, n):
    """Whether a product of [m, k] and [k, n] runs whole, on one thread (small, or kernels may not split now)."""
    return not _may_split() or max(m, n) < MIN_SIDE or k < 2 or m * k * n < (MIN_BLAS_WORK if _blas else MIN_WORK)


@contextlib.contextmanager
def _openblas_threads():
    """OpenBLAS's own threads for the products run meanwhile (single-threaded again after)."""
    for set_threads in _blas:
        set_threads(_usable)
    try:
        yield
    finally:
        for set_threads in _blas:
            set_threads(1)


def accumulate(x, y, c, alpha, beta):
    """c = alpha * (x @ y) + beta * c in c's memory (blas.accumulate), split as `matmul` splits x @ y: on
    OpenBLAS's own threads, else in blocks of c along its longer side on the device's; True, or False where no gemm
    applies (nothing written)."""
    m, n = c.shape
    if _whole(m, x.shape[1], n):
        return blas.accumulate(x, y, c, alpha, beta)
    if _blas:
        with _openblas_threads():
            return blas.accumulate(x, y, c, alpha, beta, openblas=True)
    if blas.gemm_for(x, y, c) is None:
        return False
    if n >= m:
        blocks = [(x, y[:, lo:hi], c[:, lo:hi]) for lo, hi in itertools.pairwise(_bounds(n))]
    else:
        blocks = [(x[lo:hi], y, c[lo:hi]) for lo, hi in itertools.pairwise(_bounds(m))]
    futures = [_pool.submit(blas.accumulate, *block, alpha, beta) for block in blocks[1:]]
    try:
        blas.accumulate(*blocks[0], alpha, beta)
    finally:
        for f in futures:   # no block is left running (writing) when this returns or raises
            f.wait()
    return True


def _bounds(n):
    """Where `n` rows or columns are cut into one even share per thread (numpy's linspace costs ~20 µs)."""
    return [n * k // _usable for k in range(_usable + 1)]


def rows(run, inputs, block, layouts=None):
    """run(inputs) -> tuple of arrays, for an elementwise `run`, computed in blocks of rows (axis 0 of the
    inputs' broadcast shape) of about `block` elements: their temporaries stay in cache, and the blocks
    are shared among the device's threads when its step lets kernels split. Inputs without those rows
    (broadcast along them) go whole to every block; a failing block reruns whole, so that the error is
    the one the whole run raises. `layouts`: a dict the caller keeps for this `run`, where the outputs'
    layout for the inputs' shapes and dtypes is remembered; without it (the first call) the first block
    runs alone to learn it, and only the others are shared (on 2 threads: 3 blocks' time for 4)."""
    if max(map(np.size, inputs), default=0) < 2 * block:  # small (or grown only by broadcasting): whole
        return run(inputs)
    try:
        shape = np.broadcast_shapes(*(np.shape(a) for a in inputs))
    except ValueError:
        return run(inputs)
    size = math.prod(shape)
    n, ndim = (shape[0], len(shape)) if shape else (0, 0)
    per_block = max(2, block * n // size) if size else n
    if size < 2 * block or n < 2 * per_block:
        return run(inputs)
    whole = [not (isinstance(a, np.ndarray) and a.ndim == ndim and a.shape[0] == n) for a in inputs]
    if any(w and np.size(a) >= block for w, a in zip(whole, inputs)):
        return run(inputs)  # a large input broadcast along the rows would be recomputed per block
    pairs = list(itertools.pairwise(list(range(0, n, per_block)) + [n]))
    key = tuple((np.shape(a), np.result_type(a)) for a in inputs)
    layout = layouts.get(key) if layouts is not None else None
    try:
        if layout is None:   # which outputs have the rows, and their dtypes: from the first block
            first = run([a if w else a[slice(*pairs[0])] for w, a in zip(whole, inputs)])
            layout = tuple((np.shape(v)[1:], np.asarray(v).dtype) if np.ndim(v) == ndim and
                           np.shape(v)[0] == pairs[0][1] else None for v in first)
            if layouts is not None:
                layouts.clear()   # one layout kept: a partition's inputs rarely change shape
                layouts[key] = layout
        else:
            first = None
        outs = [np.empty((n,) + lay[0], lay[1]) if lay else None for lay in layout]

        def blocks(share):
            values = None
            for lo, hi in share:
                values = run([a if w else a[lo:hi] for w, a in zip(whole, inputs)])
                for out, v in zip(outs, values):
                    if out is not None:
                        out[lo:hi] = v
            return values
        if first is not None:
            for out, v in zip(outs, first):
                if out is not None:
                    out[slice(*pairs[0])] = v
            pairs = pairs[1:]
        threads = _usable if _may_split() else 1
        shares = [pairs[k::threads] for k in range(threads)]
        futures = [_pool.submit(blocks, share) for share in shares[1:] if share]
        last = blocks(shares[0])
        for f in futures:
            f.result()
    except Exception:  # noqa: BLE001 - the whole run raises the error the caller must see
        return run(inputs)
    rowless = first if first is not None else last   # outputs without the rows: the same from every block
    return tuple(out if out is not None else v for out, v in zip(outs, rowless))

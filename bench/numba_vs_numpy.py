"""Why fused regions run numpy kernels and not a numba loop: the 48-op chain of bench/elementwise.py over 1M
float32, as numba compiles it (one loop, `parallel=True` over the cores, `fastmath`) and as numpy runs it
op by op, whole and in place in cache-sized blocks on one and two threads (the floor for a fused node).

numba's loop vectorizes the arithmetic but calls libm for each exp, tanh, log1p and sqrt: it vectorizes
those only with Intel's SVML, which pip's llvmlite is not built with (`numba -s`: "SVML Operational: False").

Usage: pip install numba; python bench/numba_vs_numpy.py   (prints median milliseconds per evaluation)
"""
import math
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

N = 1 << 20
F = np.float32


def by_numpy(x):
    """The chain of bench/elementwise.py, op by op (a new array per op)."""
    h = (x - F(0.5)) * F(3.4641016)
    h = h * F(1.1) + F(0.1)
    h = np.maximum(h, F(0)) + F(0.01) * np.minimum(h, F(0))
    h = np.tanh(h) * F(0.9) + (1 / (1 + np.exp(-h))) * F(0.1)
    h = np.sqrt(np.square(h) + np.abs(h) + F(1e-3))
    h = np.exp(-h) * h
    h = np.maximum(h, F(0.05)) - np.minimum(h, F(0.95))
    e = h - F(0.2)
    h = np.log1p(np.exp(h)) * np.where(e < 0, np.expm1(e), e)
    return np.log1p(np.abs(h)) + 1 / np.sqrt(h * h + F(1))


def in_place(x, out, block=1 << 18):
    """The same chain in place, block by block: no allocation, each block's temporaries in cache."""
    a, b, c = (np.empty(min(block, x.size), F) for _ in range(3))
    for lo in range(0, x.size, block):
        n = min(block, x.size - lo)
        a_, b_, c_ = a[:n], b[:n], c[:n]
        np.subtract(x[lo:lo + n], F(0.5), out=a_)
        a_ *= F(3.4641016)
        a_ *= F(1.1)
        a_ += F(0.1)
        np.minimum(a_, F(0), out=b_)
        b_ *= F(0.01)
        np.maximum(a_, F(0), out=a_)
        a_ += b_
        np.negative(a_, out=b_)
        np.exp(b_, out=b_)
        b_ += 1
        np.divide(F(0.1), b_, out=b_)
        np.tanh(a_, out=a_)
        a_ *= F(0.9)
        a_ += b_
        np.abs(a_, out=b_)
        np.square(a_, out=a_)
        a_ += b_
        a_ += F(1e-3)
        np.sqrt(a_, out=a_)
        np.negative(a_, out=b_)
        np.exp(b_, out=b_)
        a_ *= b_
        np.maximum(a_, F(0.05), out=b_)
        np.minimum(a_, F(0.95), out=a_)
        np.subtract(b_, a_, out=a_)
        np.exp(a_, out=b_)
        np.log1p(b_, out=b_)
        a_ -= F(0.2)
        np.expm1(a_, out=c_)
        np.copyto(a_, c_, where=a_ < 0)
        a_ *= b_
        np.abs(a_, out=b_)
        np.log1p(b_, out=b_)
        np.multiply(a_, a_, out=a_)
        a_ += 1
        np.sqrt(a_, out=a_)
        np.divide(1, a_, out=a_)
        np.add(a_, b_, out=out[lo:lo + n])
    return out


def numba_chain():
    from numba import njit, prange

    @njit(fastmath=True, parallel=True)
    def run(x, out):
        for i in prange(x.shape[0]):
            h = (x[i] - F(0.5)) * F(3.4641016)
            h = h * F(1.1) + F(0.1)
            h = max(h, F(0)) + F(0.01) * min(h, F(0))
            h = math.tanh(h) * F(0.9) + (F(1) / (F(1) + math.exp(-h))) * F(0.1)
            h = math.sqrt(h * h + abs(h) + F(1e-3))
            h = math.exp(-h) * h
            h = max(h, F(0.05)) - min(h, F(0.95))
            e = h - F(0.2)
            h = math.log1p(math.exp(h)) * (math.expm1(e) if e < 0 else e)
            out[i] = math.log1p(abs(h)) + F(1) / math.sqrt(h * h + F(1))
    return run


def median_ms(fn, n=15):
    fn()
    times = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3


def main():
    x = np.random.default_rng(0).random(N).astype(F)
    out, out2 = np.empty_like(x), np.empty_like(x)
    pool = ThreadPoolExecutor(1)

    def two_threads():
        half = pool.submit(in_place, x[N // 2:], out2[N // 2:])
        in_place(x[:N // 2], out2[:N // 2])
        half.result()
    print(f"numpy, op by op:            {median_ms(lambda: by_numpy(x)):6.2f} ms")
    print(f"numpy, in place, 1 thread:  {median_ms(lambda: in_place(x, out)):6.2f} ms")
    print(f"numpy, in place, 2 threads: {median_ms(two_threads):6.2f} ms")
    np.testing.assert_allclose(out, by_numpy(x), rtol=1e-5, atol=1e-6)
    try:
        run = numba_chain()
    except ImportError:
        sys.exit("numba is not installed (pip install numba)")
    print(f"numba, one parallel loop:   {median_ms(lambda: run(x, out)):6.2f} ms")
    np.testing.assert_allclose(out, by_numpy(x), rtol=1e-5, atol=1e-6)


if __name__ == "__main__":
    main()

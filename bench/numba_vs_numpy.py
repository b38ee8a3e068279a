"""How a fused region's loop is compiled: the 48-op chain of bench/elementwise.py over 1M float32, as numpy
runs it op by op, whole and in place in cache-sized blocks on one and two threads (the numpy path of a
fused node), as numba compiles it with Python's math functions (one loop, `parallel=True`, `fastmath`),
and as raygraph compiles it (scheduler/jit.py: the op table's element formulas, raygraph/ops/scalar_math.py).

numba's loop over `math.exp`, `math.tanh`, `math.log1p` calls scalar libm for each element: it vectorizes
them only with Intel's SVML, which pip's llvmlite is not built with (`numba -s`: "SVML Operational: False").
raygraph's formulas compute exp, log and tanh as Eigen's polynomials in plain float32 arithmetic, which
LLVM vectorizes (8 floats per AVX2 instruction).

Usage: python bench/numba_vs_numpy.py   (prints median milliseconds per evaluation)
"""
import math
import statistics
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


def compiled_loop():
    """The chain as raygraph compiles it: the same member formulas a session's fused node uses."""
    import raygraph  # noqa: F401 - fills the op table
    from raygraph.ops import registry
    from scheduler import jit
    f = {t: registry.get(t).scalar for t in ("Sub", "Mul", "AddV2", "Maximum", "Minimum", "Tanh", "Sigmoid",
                                             "Square", "Abs", "Sqrt", "Exp", "Neg", "Softplus", "Elu", "Log1p",
                                             "Rsqrt")}
    k = [np.float32(c) for c in (0.5, 3.4641016, 1.1, 0.1, 0, 0.01, 0.9, 1e-3, 0.05, 0.95, 0.2, 1)]
    # (member formula, args): an arg >= 0 is input k[arg - 1] (0 the tensor), ~j member j's value
    members = [("Sub", 0, 1), ("Mul", ~0, 2), ("Mul", ~1, 3), ("AddV2", ~2, 4), ("Maximum", ~3, 5),
               ("Minimum", ~3, 5), ("Mul", 6, ~5), ("AddV2", ~4, ~6), ("Tanh", ~7), ("Mul", ~8, 7),
               ("Sigmoid", ~7), ("Mul", ~10, 4), ("AddV2", ~9, ~11), ("Square", ~12), ("Abs", ~12),
               ("AddV2", ~13, ~14), ("AddV2", ~15, 8), ("Sqrt", ~16), ("Neg", ~17), ("Exp", ~18),
               ("Mul", ~19, ~17), ("Maximum", ~20, 9), ("Minimum", ~20, 10), ("Sub", ~21, ~22),
               ("Softplus", ~23), ("Sub", ~23, 11), ("Elu", ~25), ("Mul", ~24, ~26), ("Abs", ~27),
               ("Log1p", ~28), ("Mul", ~27, ~27), ("AddV2", ~30, 12), ("Rsqrt", ~31), ("AddV2", ~29, ~32)]
    formulas = tuple((f[m[0]], m[1:]) for m in members)
    loops = {}
    return lambda x: jit.loop_for(formulas, (len(members) - 1,), [x] + k, loops)[0]


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
    run = numba_chain()
    print(f"numba, math functions:      {median_ms(lambda: run(x, out)):6.2f} ms")
    np.testing.assert_allclose(out, by_numpy(x), rtol=1e-5, atol=1e-6)
    from scheduler import intra_op
    loop = compiled_loop()
    print(f"raygraph's loop, 1 thread:  {median_ms(lambda: loop(x)):6.2f} ms")
    np.testing.assert_allclose(loop(x), by_numpy(x), rtol=1e-5, atol=1e-6)
    intra_op.configure(2)
    intra_op.enable(True)
    print(f"raygraph's loop, 2 threads: {median_ms(lambda: loop(x)):6.2f} ms")


if __name__ == "__main__":
    main()

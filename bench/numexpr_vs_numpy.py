"""Why fused regions run numpy kernels and not numexpr: one elementwise expression (10 ops, two of them
transcendental) evaluated by numexpr (if installed) and by numpy op by op, whole and in cache-sized
blocks of rows (what a fused node does), on float32 tensors of several sizes.

Usage: python bench/numexpr_vs_numpy.py   (prints microseconds per evaluation, best of 7)
"""
import time

import numpy as np

EXPR = "tanh(x * h + y) * exp(-x) + sqrt(x * x + 1) - y * c"  # h, c: float32 (a float literal is float64)


H, C = np.array(0.5, np.float32), np.array(0.25, np.float32)


def by_numpy(x, y):
    return np.tanh(x * H + y) * np.exp(-x) + np.sqrt(x * x + np.float32(1)) - y * C


def blocked(x, y, block=1 << 15):
    if x.size <= block:
        return by_numpy(x, y)
    out = np.empty_like(x)
    for lo in range(0, x.size, block):
        out[lo:lo + block] = by_numpy(x[lo:lo + block], y[lo:lo + block])
    return out


def best(fn, n):
    fn()
    times = []
    for _ in range(7):
        t = time.perf_counter()
        for _ in range(n):
            fn()
        times.append((time.perf_counter() - t) / n)
    return min(times) * 1e6


def main():
    try:
        import numexpr
        numexpr.set_num_threads(1)
    except ImportError:
        numexpr = None
    rng = np.random.default_rng(0)
    print("elements  numpy_us  numpy_blocked_us  numexpr_us")
    for size in (16, 1024, 32768, 1 << 20):
        x, y = rng.random(size, dtype=np.float32), rng.random(size, dtype=np.float32)
        n = max(3, 20000 // max(1, size // 64))
        local = {"x": x, "y": y, "h": H, "c": C}
        ne = best(lambda d=local: numexpr.evaluate(EXPR, local_dict=d), n) if numexpr else float("nan")
        plain = best(lambda x=x, y=y: by_numpy(x, y), n)
        print(f"{size:8d}  {plain:8.1f}  {best(lambda x=x, y=y: blocked(x, y), n):16.1f}  {ne:10.1f}")


if __name__ == "__main__":
    main()

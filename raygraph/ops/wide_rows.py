"""Elementwise kernels over wide rows: numpy's inner loops run along the last axis, and when an operand is
broadcast along the leading axes (a bias of 16 channels added to an NHWC activation, a scalar) each inner
loop is as short as that operand, or takes a slow scalar path. Measured here on a [64, 28, 28, 16] float32
tensor: `x + b` with b of 16 channels 410-480 us, the same sum over rows of 16K elements (b tiled 1024
times) 121-131 us; `np.maximum(x, 0)` 396 us, against a row of zeros 130-180 us.

`binary(fn)` wraps a numpy binary function so that, when one operand is large and C-contiguous and the other
broadcasts into its trailing axes, both are seen as rows of ~`WIDE` elements (the small one tiled once per
call): the same elementwise results, in the same order, in fewer and longer inner loops.
"""
import math

import numpy as np

WIDE = 16384         # elements per widened row (rows of 256 to 16384 measured: the widest ran fastest)
MIN_SIZE = 1 << 14   # below this the tile costs more than the short loops
SHORT = 64           # inner loops up to this length are widened ([128, 256] + [256] widened: 8 -> 14 us)


def widths(size, cols):
    """(rows, fold): `size` elements seen as `rows` rows of `fold * cols` elements, fold a power of two that
    divides size // cols and keeps a row near WIDE elements; fold 1 when nothing is gained."""
    rows = size // cols
    return rows, math.gcd(rows, 1 << max(0, (WIDE // cols).bit_length() - 1))


def _trailing(small, big):
    """The number of elements of `small` if it broadcasts into `big` only along big's leading axes."""
    shape = small.shape
    lead = 0
    while lead < len(shape) and shape[lead] == 1:
        lead += 1
    rest = shape[lead:]
    if len(shape) > big.ndim or (rest and big.shape[big.ndim - len(rest):] != rest):
        return 0
    return small.size


def binary(fn, scalars=False):
    """fn(x, y), computed over wide rows when one operand is broadcast along the other's leading axes
    (`scalars`: also when it is a single element, for functions whose scalar path is slow: np.maximum(x, 0)
    396 us, x + 0.5 74 us, widened 130-160 us either way)."""
    kernel = binary_kernel(fn, scalars)
    return lambda x, y: kernel(None, x, y)


def binary_kernel(fn, scalars=False):
    """binary(fn, scalars) as an op's kernel, kernel(attrs, x, y): small operands cost one Python call and
    four checks before numpy's (a fused chain of 100 small adds spent 0.55 us per add here behind a lambda,
    numpy's own call 0.30; now 0.41)."""
    least = 1 if scalars else 2

    def kernel(_, x, y):
        if x.__class__ is np.ndarray and y.__class__ is np.ndarray and (x.size >= MIN_SIZE or y.size >= MIN_SIZE) \
                and x.shape != y.shape:
            return _widened(fn, least, x, y)
        return fn(x, y)
    return kernel


def _widened(fn, least, x, y):
    big, small = (x, y) if x.size > y.size else (y, x)
    if big.size >= MIN_SIZE and big.flags.c_contiguous and big.dtype.kind in "biufc":
        cols = _trailing(small, big)
        if least <= cols <= SHORT:
            rows, fold = widths(big.size, cols)
            if fold > 1:
                row = np.tile(small.reshape(-1), fold)
                wide = big.reshape(rows // fold, fold * cols)
                out = fn(wide, row) if big is x else fn(row, wide)
                return out.reshape(big.shape)
    return fn(x, y)


def relu(x):
    """max(x, 0), against a row of zeros when x is large."""
    if x.size >= MIN_SIZE and x.flags.c_contiguous:
        rows, fold = widths(x.size, 1)
        if fold > 1:
            return np.maximum(x.reshape(rows // fold, fold), np.zeros(fold, x.dtype)).reshape(x.shape)
    return np.maximum(x, 0).astype(x.dtype, copy=False)


def relu_grad(g, y):
    """g where y > 0, else 0: multiplying by the mask as g's type is 1.8x faster than by the bool mask."""
    return g * (y > 0).astype(g.dtype)


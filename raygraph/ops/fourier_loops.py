"""The Fourier convolutions' 2-D transforms and products as compiled calls (conv_fourier.py), each one call that
holds the GIL only to start: the same products in the same order as numpy's calls, so the same bits.

A convolution's kernel cut into one share of the batch per intra-op thread ran its two shares barely faster than
one thread ran the whole batch: each share made ~25 numpy calls, and each call hands the GIL over and takes it
back, while the other share waits for it. The same shares in two processes ran as fast as one share alone (617 ->
640 us). Here a share takes the GIL twice (its spectrum, then the product and the inverse): LeNet's second
convolution's forward over two shares of 32 images, cold, 1335 -> 756 us.

The matrix products call numpy's own OpenBLAS (its wheels bundle scipy-openblas, 64-bit integers) as numpy's matmul
calls it, its gemm functions known to LLVM by their names (`_found`; numba caches no function that holds a ctypes
pointer, and one that took the functions as arguments, loaded from its cache, computed wrong products once OpenBLAS
ran them on two threads); where that library is not found (FOUND), conv_fourier keeps numpy's way. Where products run
on MKL (scheduler/blas.py) the same names are MKL's functions, and the values agree with numpy's calls to rounding:
LeNet's second convolution ([64, 14, 14, 16] * [5, 5, 16, 32]), fresh inputs, on two threads, forward 1.59-1.67 ->
1.36-1.42 ms, input gradient 1.81-1.87 -> 1.58-1.61, filter gradient 1.83-1.90 -> 1.55-1.58 (alternated runs).
"""
import ctypes
import glob
import os

import numba
import numpy as np
from llvmlite import binding
from numba import types
from scheduler import blas

from .kernel_loops import deinterleave, interleave, swap_leading, swap_leading_biased

_jit = numba.njit(nogil=True, cache=True)
_ROW, _NO, _TRANS = 101, 111, 112   # CBLAS's row-major order and transposes
_NAMES = {"s": "scipy_cblas_sgemm64_", "d": "scipy_cblas_dgemm64_", "c": "scipy_cblas_cgemm64_",
          "z": "scipy_cblas_zgemm64_"}


def _found():
    """Whether numpy's OpenBLAS (its wheels bundle scipy-openblas, 64-bit integers) has the four gemm functions:
    they are then known to LLVM by their names (a cached compiled call finds them in each process). Where products
    run on MKL (scheduler/blas.py), its functions of 64-bit integers (cblas_sgemm_64...: the same arguments) are
    known by those names instead."""
    mkl = blas.mkl()
    if mkl is not None and all(hasattr(mkl, f"cblas_{k}gemm_64") for k in _NAMES):
        _known({name: getattr(mkl, f"cblas_{k}gemm_64") for k, name in _NAMES.items()})
        return True
    folder = os.path.join(os.path.dirname(np.__file__), os.pardir, "numpy.libs")
    for path in sorted(glob.glob(os.path.join(folder, "libscipy_openblas64_*"))):
        lib = ctypes.CDLL(path)
        if all(hasattr(lib, name) for name in _NAMES.values()):
            _known({name: getattr(lib, name) for name in _NAMES.values()})
            return True
    return False


def _known(functions):
    for name, function in functions.items():
        binding.add_symbol(name, ctypes.cast(function, ctypes.c_void_p).value)


FOUND = _found()
_i, _n = types.intc, types.int64   # (pointers as addresses)
_sgemm, _dgemm = (types.ExternalFunction(_NAMES[k], types.void(_i, _i, _i, _n, _n, _n, t, _n, _n, _n, _n, t, _n, _n))
                  for k, t in (("s", types.float32), ("d", types.float64)))
_cgemm, _zgemm = (types.ExternalFunction(_NAMES[k], types.void(_i, _i, _i, _n, _n, _n, _n, _n, _n, _n, _n, _n, _n,
                                                                _n)) for k in "cz")


@_jit
def _rgemm(m, n, k, units, a, lda, b, ldb, c, ldc):
    """C = A B, real (row-major; arrays by address; `units` [1, 0] of the complex dtype of the real one's size)."""
    if units.itemsize == 8:
        _sgemm(_ROW, _NO, _NO, m, n, k, units[0].real, a, lda, b, ldb, units[1].real, c, ldc)
    else:
        _dgemm(_ROW, _NO, _NO, m, n, k, units[0].real, a, lda, b, ldb, units[1].real, c, ldc)


@_jit
def _xgemm(trans_a, trans_b, m, n, k, units, a, lda, b, ldb, c, ldc):
    """C = op(A) op(B), complex (row-major; arrays by address; `units` [1, 0] of the complex dtype)."""
    if units.itemsize == 8:
        _cgemm(_ROW, trans_a, trans_b, m, n, k, units.ctypes.data, a, lda, b, ldb, units[1:].ctypes.data, c, ldc)
    else:
        _zgemm(_ROW, trans_a, trans_b, m, n, k, units.ctypes.data, a, lda, b, ldb, units[1:].ctypes.data, c, ldc)


@_jit
def spectrum(a, m1, a0, units, out):
    """conv_fourier.spectrum of a [b, H, W, C] (batch first: moved behind the spatial dims here) into out [L0, half,
    b, C]: the real transform along W as [real parts; imaginary parts] (m1 [2 half, W]) per row, the parts made
    complex, the complex transform along H (a0 [L0, H]). `units`: [1, 0] of the complex dtype (the products' alpha
    and beta)."""
    b, h, w, c = a.shape
    half, r = m1.shape[0] // 2, b * c
    moved = np.empty((h, w, b, c), a.dtype)
    swap_leading(a.reshape(b, h * w, c), moved.reshape(h * w, b, c))
    parts = np.empty((h, 2 * half, r), a.dtype)
    for y in range(h):
        _rgemm(2 * half, r, w, units, m1.ctypes.data, w, moved[y].ctypes.data, r, parts[y].ctypes.data, r)
    joined = np.empty((h, half, r), out.dtype)
    interleave(parts, joined)
    _xgemm(_NO, _NO, a0.shape[0], half * r, h, units, a0.ctypes.data, h, joined.ctypes.data, half * r,
           out.ctypes.data, half * r)


@_jit
def product_inverse(a, trans_a, b, trans_b, s0, rs, units, out, batch_first, block, bias, relu):
    """The products per frequency op(a[f]) @ op(b[f]) ([F, m, n]; op: transposed where asked), then
    conv_fourier.inverse of them as [L0, half, m * n] (s0 [count0, L0] complex, rs [count1, 2 half] real) into out:
    [m, count0 * count1, n] where `batch_first`, else [count0, count1, m * n]; where `bias` has n values (batch first
    only) they are added, and ReLU taken where `relu`, as out is written. `units` as spectrum's. The rows of
    op(a) go `block` at a time (the last block up to one more) through products and transforms (each output column
    depends on one row): the temporaries stay that much smaller."""
    freqs = a.shape[0]
    m = a.shape[2] if trans_a else a.shape[1]
    k = a.shape[1] if trans_a else a.shape[2]
    n = b.shape[1] if trans_b else b.shape[2]
    count0, l0 = s0.shape
    count1, twice = rs.shape
    half, r, rows_per = twice // 2, m * n, min(m, block)
    blocks = (m + rows_per - 1) // rows_per
    if blocks > 1 and m - (blocks - 1) * rows_per == 1:
        blocks -= 1   # (no block of one row: conv_fourier._blocks cuts the same)
    most = max(rows_per, m - (blocks - 1) * rows_per) * n
    planes = np.empty((count0, count1, r), rs.dtype) if batch_first else out
    products_at = np.empty(freqs * most, a.dtype)
    rows_at = np.empty(count0 * half * most, a.dtype)
    stacked_at = np.empty(count0 * twice * most, rs.dtype)
    step = a.itemsize if trans_a else a.itemsize * a.shape[2]   # (bytes from one row of op(a) to the next)
    for i in range(blocks):
        m0 = i * rows_per
        mb = rows_per if i < blocks - 1 else m - m0
        rb = mb * n
        products = products_at[:freqs * rb].reshape(freqs, mb, n)
        for f in range(freqs):
            _xgemm(_TRANS if trans_a else _NO, _TRANS if trans_b else _NO, mb, n, k, units,
                   a[f].ctypes.data + m0 * step, a.shape[2], b[f].ctypes.data, b.shape[2], products[f].ctypes.data, n)
        rows = rows_at[:count0 * half * rb].reshape(count0, half, rb)
        _xgemm(_NO, _NO, count0, half * rb, l0, units, s0.ctypes.data, l0, products.ctypes.data, half * rb,
               rows.ctypes.data, half * rb)
        stacked = stacked_at[:count0 * twice * rb].reshape(count0, twice, rb)
        deinterleave(rows, stacked)
        for y in range(count0):
            _rgemm(count1, rb, twice, units, rs.ctypes.data, twice, stacked[y].ctypes.data, rb,
                   planes[y].ctypes.data + m0 * n * planes.itemsize, r)
    if batch_first and bias.shape[0] == n:
        swap_leading_biased(planes.reshape(count0 * count1, m, n), bias, relu, np.zeros(1, bias.dtype)[0], out)
    elif batch_first:
        swap_leading(planes.reshape(count0 * count1, m, n), out)

"""Winograd's minimal filtering F(2x2, 3x3): 3x3 convolutions of stride 1 with 2.25x fewer multiplies.

Each 2x2 block of outputs (a tile) reads one 4x4 block d of the padded input, and with the algorithm's fixed
matrices B, G and A its outputs are A^T [(G g G^T) . (B^T d B)] A, summed over the input channels (Lavin and
Gray, "Fast Algorithms for Convolutional Neural Networks", 2015; oneDNN and cuDNN have it). So a convolution is
the input's tiles transformed (16 values each, adds and subtracts only: kernel_loops.winograd_tiles), 16 products
[tiles, in] x [in, out] (one per place of the 4x4 transform, against the filter transformed once) and the results
transformed back (kernel_loops.winograd_outputs): 16 multiply-adds per tile and pair of channels where im2col
does 36 (2x2 outputs, 9 taps each). The tiles go TILES at a time, so each chunk's transforms stay in cache.

conv.py runs all three kernels this way: the input's gradient at stride 1 is a forward correlation of the output
gradient with the flipped filter, and the filter's gradient is the algorithm transposed (backprop_filter). Measured
here, one thread, float32, SAME, batch 32, medians, against the kernels conv.py ran before (im2col, or the Fourier
route where it took it). Forward: 32x32 planes 16->32 channels 5.5 -> 4.8 ms, 32->32 10.2 -> 7.4, 32->64 16.5 ->
12.2, 64->32 21.4 -> 13.3; 16x16 planes 64->64 6.3 -> 5.6 (Fourier); 8x8 planes 64->128 3.9 -> 3.0 (Fourier),
128->128 5.8 -> 5.4; 56x56 planes 64->64 (batch 4) 12.6 -> 7.9. Filter gradient: 32x32 32->64 17.0 -> 14.1 (its
output gradient's transform writes 16 values per 4 it reads: 3 ms), 16x16 64->64 6.9 -> 5.6. In cnn3x3_train's
device steps (bench/workloads.py, traced in the actor): 32x32 32->64 forward 11.0 -> 7.6-8.6 ms, input gradient
15.7 -> 8.0-8.4, filter gradient 10.9 -> 8.6-9.3; 16x16 64->64 5.2 -> 3.5-3.8, 5.1 -> 3.4-3.7, 5.3 -> 3.7-3.8; the step
75 -> 55-59 ms. Three input channels make the products too thin (0.7x im2col's speed): from MIN_CHANNELS in and
out only. TILES: chunks of 64-256 tiles ran 2-10% slower. A chunk's 16 products are one call (scheduler/blas.py:
MKL's batched gemm where products run on MKL, else numpy's matmul over the stack).

Rounding: the transforms' coefficients are 0, 1, -1 and 1/2 (exact), but a tile's sums are taken in another
order than a window's: errors ~1e-6 of the values' scale, as im2col's against TF's own. A value that is not
finite would spread NaN over its whole tile (inf - inf): where an output is not finite, the caller computes the
convolution again its own way.
"""
import threading

import numpy as np
from scheduler import blas, intra_op

from . import compiled

MIN_CHANNELS = 16
# Planes of 1-3 outputs a side (the last stages of small-image nets) took 1.2-2.2x im2col's time (64->64, batch 32:
# their few tiles pay the transforms' fixed costs, and an odd side computes outputs it drops); from 4: 1.04-1.2x
# faster over 4x4 planes of 256 channels, 2-2.5x over 7x7 ones of 512.
MIN_OUTPUT = 4
TILES = 512   # tiles per chunk (its transformed tiles, 16 x 512 x 64 floats: 2 MB, held by the L3 cache here)
# A chunk's 16 planes of transformed values are read and written together, one channel run of each at a time:
# 16 runs a power of two apart fall on the same cache sets and evict each other (the input transform of 32x32
# planes, 32 channels, took 13.6 ms so, 1.7 with the planes SKEW tiles further apart).
SKEW = 5
KEEP = 1 << 20   # floats of a thread's kept buffer (_planes)
_kept = threading.local()
_G = np.array([[1, 0, 0], [0.5, 0.5, 0.5], [0.5, -0.5, 0.5], [0, 0, 1]], np.float32)


def applies(geo, *arrays):
    """Whether this module takes the convolution: 2-D, 3x3 taps of stride and dilation 1, one group, at least
    MIN_CHANNELS input and output channels and MIN_OUTPUT outputs along each spatial dim, float32 `arrays`."""
    return (geo.nd == 2 and geo.k == (3, 3) and tuple(geo.strides) == tuple(geo.dil) == (1, 1) and geo.groups == 1
            and all(a.dtype == np.float32 for a in arrays) and min(geo.c, geo.o) >= MIN_CHANNELS
            and min(geo.out) >= MIN_OUTPUT and geo.n > 0)


def forward(x, w, geo, split_work, bias=None, relu=False):
    """The convolution y [N, *out, O] of x [N, *spatial, C] with w [3, 3, C, O] (channels last), or None (not
    applicable, or an output not finite); with `bias` ([O]) that added and, with `relu`, ReLU taken as the outputs
    are written (conv._bias_relu_of). The tiles' rows are cut into one share per intra-op thread where the step lets
    kernels split and `split_work` pays for it."""
    if not applies(geo, x, w):
        return None
    th, tw, xp = _tiled(x, geo)
    u = np.tensordot(_G, np.tensordot(_G, w, (1, 0)), (1, 1)).transpose(1, 0, 2, 3)   # G g G^T: [4, 4, C, O]
    u = np.ascontiguousarray(u.reshape(16, geo.c, geo.o))
    y = np.empty((geo.n,) + geo.out + (geo.o,), np.float32)
    loops = compiled.loops()
    rows = max(1, min(TILES // tw, geo.n * th))   # tile rows per chunk
    b = np.zeros(0, np.float32) if bias is None else np.ascontiguousarray(bias, np.float32)

    def share(lo, hi):
        v, m = _planes("tiles", rows * tw, geo.c), _planes("products", rows * tw, geo.o)
        finite = True
        for r0 in range(lo, hi, rows):
            r1 = min(hi, r0 + rows)
            t = (r1 - r0) * tw
            loops.winograd_tiles(xp, th, r0, r1, v[:, :t])
            blas.matmul_batch(v[:, :t], u, m[:, :t])
            finite &= loops.winograd_outputs(m[:, :t], th, r0, r1, y, b, relu, np.float32(0))
        return finite
    return y if all(intra_op.shares(share, geo.n * th, split_work)) else None


def backprop_filter(x, dy, geo, split_work):
    """The filter's gradient [3, 3, C, O] from x [N, *spatial, C] and dy [N, *out, O], or None (as forward).
    Transposing the algorithm: with V = B^T d B the input's tiles and Z = A dy A^T the output gradient's, the
    gradient of G g G^T is the sum over tiles of V^T Z per place of the transform (16 products [C, tiles] x
    [tiles, O]: long sums, which BLAS runs at its best), and the filter's is G^T (that) G."""
    if not applies(geo, x, dy):
        return None
    th, tw, xp = _tiled(x, geo)
    dyp = np.zeros((geo.n, 2 * th, 2 * tw, geo.o), np.float32)   # zeros past an odd output's last tile
    dyp[:, :geo.out[0], :geo.out[1]] = dy.reshape((geo.n,) + geo.out + (geo.o,))
    loops = compiled.loops()
    rows = max(1, min(TILES // tw, geo.n * th))   # tile rows per chunk

    def share(lo, hi):
        v, z = _planes("tiles", rows * tw, geo.c), _planes("products", rows * tw, geo.o)
        total, product = np.zeros((16, geo.c, geo.o), np.float32), np.empty((16, geo.c, geo.o), np.float32)
        for r0 in range(lo, hi, rows):
            r1 = min(hi, r0 + rows)
            t = (r1 - r0) * tw
            loops.winograd_tiles(xp, th, r0, r1, v[:, :t])
            loops.winograd_gradient_tiles(dyp, th, r0, r1, z[:, :t])
            total += blas.matmul_batch(v[:, :t].transpose(0, 2, 1), z[:, :t], product)
        return total
    parts = intra_op.shares(share, geo.n * th, split_work)
    total = parts[0]
    for part in parts[1:]:
        total += part
    gt = _G.T
    dw = np.tensordot(gt, np.tensordot(gt, total.reshape(4, 4, geo.c, geo.o), (1, 0)), (1, 1)).transpose(1, 0, 2, 3)
    return np.ascontiguousarray(dw) if np.isfinite(dw).all() else None


def _tiled(x, geo):
    """(tile rows, tile columns, x padded): zeros around it as the convolution pads it, and past an odd output's
    last tile."""
    (h, w), out = geo.spatial, geo.out
    th, tw = (out[0] + 1) // 2, (out[1] + 1) // 2
    (top, _), (left, _) = geo.pads
    xp = np.zeros((geo.n, 2 * th + 2, 2 * tw + 2, geo.c), np.float32)
    xp[:, top:top + h, left:left + w] = x
    return th, tw, xp


def _planes(slot, tiles, channels):
    """A chunk's 16 planes of transformed values, SKEW tiles apart (see SKEW): this thread's buffer `slot`, kept from
    call to call up to KEEP floats (fresh memory pays a fault per page at its first touch: a 32->32 filter gradient
    over [32, 5, 5] planes took 2.2 ms with fresh buffers, 0.8 with kept ones)."""
    size = 16 * (tiles + SKEW) * channels
    buf = getattr(_kept, slot, None)
    if buf is None or len(buf) < size:
        buf = np.empty(size, np.float32)
        if size <= KEEP:
            setattr(_kept, slot, buf)
    return buf[:size].reshape(16, tiles + SKEW, channels)

"""Convolutions through discrete Fourier transforms: the kernels conv.py uses where they do much less work.

Each of a convolution's three kernels sums products of two arrays over pairs of positions a fixed offset apart,
per spatial dim (padded coordinates; x at p, filter tap at t, output at q with p = q * stride + t * dilation):

    forward          y[q]  = sum_t x[q + t] w[t]     Y  = X  * conj(W)
    input backprop   dx[p] = sum_{q + t = p} dy[q] w[t]   DX = DY * W
    filter backprop  dw[t] = sum_q x[q + t] dy[q]    DW = X  * conj(DY)

On a circle of L points (L large enough that no offset that occurs wraps onto a wanted one) these are circular
correlations and convolutions, so each becomes one product per frequency, summed over channels: one batched
matrix product [frequencies, batch, channels]. Transforms are taken only at the positions that hold data and
inverted only at the positions wanted, as matrix products with small DFT matrices (the dims are small: no FFT,
no padded copy). The last spatial dim keeps half the spectrum (real data); the inverse takes the real part.

The product costs frequencies * batch * in * out complex multiply-adds against positions * window * batch * in
* out for im2col, several times less for 5x5 windows. Rounding differs: a float32 sum over the whole plane,
not over one window, so errors are ~1e-6 of the plane's scale; a non-finite value would spread over its plane.
So these kernels run only on finite float32/float64 data, with one group, when the estimate says they are at
least `GAIN` times cheaper; otherwise they return None and the im2col kernels run. In two dims a kernel's
transforms and products run as compiled calls (fourier_loops.py: the same products in the same order as numpy's
calls here, holding the GIL only to start each), so the shares of its batch run side by side.
"""
import math
from functools import lru_cache

import numpy as np

from . import compiled
from .derived import derived

GAIN = 1.5    # how much less work (estimated multiply-adds) than im2col pays for the transforms' overheads
# The products' rows go through the inverse transforms this many bytes of products at a time: a filter gradient's
# products are [frequencies, in, out] (AlexNet's second convolution: 435 x 64 x 192, 43 MB), which made whole took
# its filter gradient 28-30 ms alone (one thread or two; a temporary above glibc's mmap threshold, 32 MB, comes as
# fresh pages on every call), in blocks of 4-32 MB 10.7-11.6 (8 MB: 10.8 split in two, 12.7 on one thread; its
# forward, 8 images a share, whole at 8 MB: 8.7 ms, at 4 MB 11.3)
PRODUCTS_BYTES = 8 << 20


# ----- DFT matrices and the transforms along the leading (spatial) dims of [*spatial, rest] arrays -----------------
def _frozen(m):
    """A cached matrix, shared by every kernel call: read-only."""
    m.setflags(write=False)
    return m


@lru_cache(maxsize=256)
def _analysis(size, start, step, count, sign, dtype):
    """[size, count]: exp(sign 2 pi i k p / size) at positions p = start + step * j."""
    k = np.arange(size)[:, None]
    p = start + step * np.arange(count)[None, :]
    return _frozen(np.exp(sign * 2j * np.pi * ((k * p) % size) / size).astype(dtype))


@lru_cache(maxsize=256)
def _synthesis(size, start, step, count, dtype, conj=False):
    """[count, size]: the inverse DFT's rows at positions start + step * j (conjugated where asked: what synthesizes
    the real signal from its spectrum's conjugate)."""
    k = np.arange(size)[None, :]
    q = start + step * np.arange(count)[:, None]
    return _frozen((np.exp((-2j if conj else 2j) * np.pi * ((k * q) % size) / size) / size).astype(dtype))


@lru_cache(maxsize=256)
def _real_synthesis(size, start, step, count, dtype, conj=False):
    """[count, 2 * (size // 2 + 1)] real: the rows of `_synthesis` over a real signal's half spectrum (k and
    size - k are conjugate terms: the half counts twice), acting on its real parts stacked over its imaginary
    parts, giving the real part."""
    m = _synthesis(size, start, step, count, np.complex128, conj)[:, :size // 2 + 1].copy()
    m[:, 1:(size + 1) // 2] *= 2
    return _frozen(np.concatenate([m.real, -m.imag], axis=1).astype(dtype))


def _along(z, axis, m):
    """m @ z along `axis` (z is C-contiguous; m is [new, old])."""
    shape = z.shape
    out = np.matmul(m, z.reshape(math.prod(shape[:axis]), shape[axis], -1))
    return out.reshape(shape[:axis] + (m.shape[0],) + shape[axis + 1:])


@lru_cache(maxsize=256)
def _real_analysis(size, start, step, count, sign, dtype):
    """[2 * (size // 2 + 1), count] real: `_analysis`'s half spectrum's rows, their real parts over their imaginary
    parts (a real signal's transform along the last dim, as one real product)."""
    m = _analysis(size, start, step, count, sign, dtype)[:size // 2 + 1]
    return _frozen(np.concatenate([m.real, m.imag]))


def spectrum(a, sizes, places, ctype, sign=-1):
    """a [*spatial, R] (real) at positions places[d] = (start, step) -> [L0, ..., L_last // 2 + 1, R] (complex);
    sign +1 gives the conjugate spectrum."""
    nd = len(sizes)
    m = _real_analysis(sizes[-1], *places[-1], a.shape[nd - 1], sign, ctype)
    half = m.shape[0] // 2
    parts = _along(a, nd - 1, m)   # real parts over imaginary parts
    out = np.empty(a.shape[:nd - 1] + (half,) + a.shape[nd:], ctype)
    loops = _loops(parts)
    if loops:
        loops.interleave(_around(parts, nd - 1), _around(out, nd - 1))
    else:
        out.real = parts[(slice(None),) * (nd - 1) + (slice(None, half),)]
        out.imag = parts[(slice(None),) * (nd - 1) + (slice(half, None),)]
    for d in range(nd - 1):
        out = _along(out, d, _analysis(sizes[d], *places[d], a.shape[d], sign, ctype))
    return out


def inverse(z, sizes, places, counts, rtype, conj=False):
    """The real array [*counts, R] at positions places[d] whose half spectrum z [L0, ..., L_last // 2 + 1, R] is (of
    which z is the conjugate, where `conj`: the real part of a sum of products is that of their conjugates' sum)."""
    nd = len(sizes)
    for d in range(nd - 1):
        z = _along(z, d, _synthesis(sizes[d], *places[d], counts[d], z.dtype, conj))
    return _along(_stacked(z, nd - 1), nd - 1, _real_synthesis(sizes[-1], *places[-1], counts[-1], rtype, conj))


def _stacked(z, axis):
    """The real parts of z over its imaginary parts along `axis` (one real array, twice as long there)."""
    half = z.shape[axis]
    out = np.empty(z.shape[:axis] + (2 * half,) + z.shape[axis + 1:], z.real.dtype)
    loops = _loops(z)
    if loops:
        loops.deinterleave(_around(z, axis), _around(out, axis))
    else:
        out[(slice(None),) * axis + (slice(None, half),)] = z.real
        out[(slice(None),) * axis + (slice(half, None),)] = z.imag
    return out


def _loops(a):
    """kernel_loops where `a` is large and C-contiguous (its moves between layouts then run compiled, each in one
    pass written in the result's order, where numpy's copies ran in the source's order or as two strided passes:
    1.4-2.1x faster each, cold; in cnn_train's steps in-process, LeNet's second convolution's forward 1236 -> 1101
    us, filter gradient 941 -> 869, input gradient 608 -> 563, the step 6.30 -> 6.03 ms), else None."""
    return compiled.loops() if a.size >= compiled.COMPILED and a.flags.c_contiguous else None


def _around(a, axis):
    """a as [before axis, axis, after axis] (a view)."""
    return a.reshape(math.prod(a.shape[:axis]), a.shape[axis], -1)


# ----- the three kernels ---------------------------------------------------------------------------------------
def _plan(geo, dtypes, arrays):
    """(circle sizes, complex dtype) when the transform route applies and pays, else None."""
    if (geo.groups != 1 or geo.n == 0 or 0 in geo.out or 0 in geo.spatial
            or any(t not in (np.float32, np.float64) for t in dtypes)):
        return None
    # the smallest circle on which no offset that occurs lands on a wanted one (padding cells hold zeros, so
    # they need no place of their own): lo + n for the input's cells, the last output's window past them
    sizes = [max(lo + n, (o - 1) * s + (k - 1) * d - lo + 1)
             for n, (lo, _), o, s, k, d in zip(geo.spatial, geo.pads, geo.out, geo.strides, geo.k, geo.dil)]
    half = _half(sizes, ())
    work = (4 * math.prod(half) * geo.c * geo.o + _transform_work(geo.spatial, half, geo.c)
            + _transform_work(geo.out, half, geo.o))
    if GAIN * work > geo.positions * geo.kk * geo.c * geo.o:
        return None
    if not all(_finite(a) for a in arrays):
        return None
    return sizes, np.complex64 if all(t == np.float32 for t in dtypes) else np.complex128


def applies(geo, arrays):
    """Whether the forward takes the convolution of `arrays` (x, w) whole."""
    return _plan(geo, tuple(a.dtype for a in arrays), arrays) is not None


def _finite(a):
    """Whether `a` holds only finite values, found once per array (derived.py): the filter gradient reads neither
    of its arrays otherwise (their spectra are kept), and a pass over them cost it 60 us a share in cnn_train."""
    return bool(derived(a, "finite", lambda a: np.array(np.isfinite(a).all())))


def _transform_work(counts, half, channels):
    """Multiply-adds (per batch item) of taking a [*counts, channels] array to its half spectrum or back."""
    dims, work = list(counts), 0
    for d, factor in [(len(counts) - 1, 2)] + [(d, 4) for d in range(len(counts) - 1)]:
        work += factor * math.prod(dims) * half[d] * channels
        dims[d] = half[d]
    return work


def _places(geo):
    """(input, filter, output) positions per spatial dim, as (start, step)."""
    return ([(lo, 1) for lo, _ in geo.pads], [(0, d) for d in geo.dil], [(0, s) for s in geo.strides])


def _spatial_first(a):
    """[N, *spatial, C] -> [*spatial, N, C] (contiguous)."""
    loops = _loops(a)
    if not loops:
        return np.ascontiguousarray(np.moveaxis(a, 0, -2))
    out = np.empty(a.shape[1:-1] + (a.shape[0], a.shape[-1]), a.dtype)
    loops.swap_leading(a.reshape(a.shape[0], -1, a.shape[-1]), out.reshape(-1, a.shape[0], a.shape[-1]))
    return out


def _batch_first(a):
    """[*spatial, N, C] -> [N, *spatial, C] (contiguous, as the kernels' other results)."""
    loops = _loops(a)
    if not loops:
        return np.ascontiguousarray(np.moveaxis(a, -2, 0))
    out = np.empty((a.shape[-2],) + a.shape[:-2] + (a.shape[-1],), a.dtype)
    loops.swap_leading(a.reshape(-1, a.shape[-2], a.shape[-1]), out.reshape(a.shape[-2], -1, a.shape[-1]))
    return out


def _by_frequency(a, sizes, places, ctype, sign=-1):
    """[N, *spatial, C] -> its spectrum as [frequencies, N, C], taken once per array (derived.py: the forward and
    the filter gradient take the input's, the two gradients the output gradient's). The other sign (+1) gives its
    conjugate (so are the DFT matrices: equal values, bit for bit but for the sign of some zeros): the kernels whose
    products conjugate a factor take the input's so (see `_product_inverse`)."""
    key = ("spectrum", tuple(sizes), tuple(places), ctype, sign)
    return derived(a, key, lambda a: _spectrum(a, sizes, places, ctype, sign))


def _spectrum(a, sizes, places, ctype, sign):
    if not (len(sizes) == 2 and a.flags.c_contiguous and _compiled(a)):
        return spectrum(_spatial_first(a), sizes, places, ctype, sign).reshape(-1, a.shape[0], a.shape[-1])
    out = np.empty((sizes[0], sizes[1] // 2 + 1, a.shape[0], a.shape[-1]), ctype)
    compiled.fourier_loops().spectrum(a, _real_analysis(sizes[1], *places[1], a.shape[2], sign, ctype),
                                      _analysis(sizes[0], *places[0], a.shape[1], sign, ctype), _units(ctype), out)
    return out.reshape(-1, a.shape[0], a.shape[-1])


def _filter_spectrum(w, geo, sizes, ctype):
    """[frequencies, C, O]: the spectrum of the filter taps, taken once per array (as _by_frequency's)."""
    places = _places(geo)[1]
    return derived(w, ("filter", tuple(sizes), tuple(places), ctype), lambda w: spectrum(
        w.reshape(geo.k + (-1,)), sizes, places, ctype, -1).reshape(-1, geo.c, geo.o))


def _product_inverse(a, b, sizes, places, counts, rtype, trans_a=False, trans_b=False, conj=False,
                     batch_first=False, out=None, bias=None, relu=False):
    """The products op(a[f]) @ op(b[f]) of spectra [frequencies, ., .] (transposed where asked), then the real array
    at `places` whose half spectrum they are (their conjugates are, where `conj`): [m, *counts, n] where
    `batch_first`, else [*counts, m * n], into `out` where given (C-contiguous). In two dims one compiled call
    (fourier_loops: the same products in the same order as here). A kernel whose products take one factor
    conjugated (X conj(W)) takes the other from its conjugate spectrum instead (conj(Xc W)) and synthesizes
    conjugated: a conjugated copy of a filter's spectrum cost AlexNet's second convolution (5x5, 64 -> 192 channels
    over 27x27, a 43 MB spectrum) 30 ms a forward against 11. With `bias` (batch first) each value gets bias[its
    last index] added, and ReLU taken where `relu` (conv._bias_relu_of), as it is written out."""
    m, n = a.shape[2 if trans_a else 1], b.shape[1 if trans_b else 2]
    block = max(2, PRODUCTS_BYTES // (a.shape[0] * n * a.itemsize))   # rows of op(a) at a time (see _blocks)
    if len(sizes) == 2 and _compiled(a):
        if out is None:
            out = np.empty((m, *counts, n) if batch_first else (*counts, m * n), rtype)
        compiled.fourier_loops().product_inverse(
            a, trans_a, b, trans_b, _synthesis(sizes[0], *places[0], counts[0], a.dtype, conj),
            _real_synthesis(sizes[1], *places[1], counts[1], rtype, conj), _units(a.dtype),
            out.reshape(m, -1, n) if batch_first else out, batch_first, block,
            np.zeros(0, rtype) if bias is None else bias, relu)
        return out
    a, b = a.transpose(0, 2, 1) if trans_a else a, b.transpose(0, 2, 1) if trans_b else b
    planes = np.concatenate([inverse(np.matmul(a[:, lo:hi], b).reshape(_half(sizes, (-1, n))), sizes, places, counts,
                                     rtype, conj).reshape(*counts, -1) for lo, hi in _blocks(m, block)], axis=-1)
    planes = _batch_first(planes.reshape(*counts, m, n)) if batch_first else planes
    if out is None:
        out = np.ascontiguousarray(planes) if bias is not None else planes
    else:
        out[...] = planes
    if bias is not None:
        compiled.loops().bias_relu(out.reshape(-1, n), bias, relu, rtype.type(0))
    return out


def _blocks(m, block):
    """[(lo, hi)] of `block` rows each, the last one up to block + 1 (a block of one row would take numpy's matmul
    to its matrix-vector product, whose bits differ from the product's: fourier_loops cuts the same blocks)."""
    starts = list(range(0, m, block))
    if len(starts) > 1 and m - starts[-1] == 1:
        starts.pop()
    return list(zip(starts, starts[1:] + [m]))


def _compiled(a):
    """Whether fourier_loops runs the 2-D transforms and products of `a` (large, and numpy's OpenBLAS found)."""
    return a.size >= compiled.COMPILED and compiled.fourier_loops().FOUND


@lru_cache(maxsize=4)
def _units(ctype):
    return _frozen(np.array([1, 0], ctype))


def _half(sizes, rest):
    return tuple(sizes[:-1]) + (sizes[-1] // 2 + 1,) + rest


def forward(x, w, geo, out=None, bias=None, relu=False):
    """The convolution y [N, *out, O] of x [N, *spatial, C] (channels last; into `out` where given), or None; with
    `bias` ([O]) that added and, with `relu`, ReLU taken as it is written (conv._bias_relu_of)."""
    plan = _plan(geo, (x.dtype, w.dtype), (x, w))
    if plan is None:
        return None
    sizes, ctype = plan
    xs, _, ys = _places(geo)
    return _product_inverse(_by_frequency(x, sizes, xs, ctype, +1), _filter_spectrum(w, geo, sizes, ctype), sizes,
                            ys, geo.out, x.dtype, conj=True, batch_first=True, out=out,   # (Y = conj(Xc W))
                            bias=bias, relu=relu)


def backprop_input(w, dy, geo, out=None):
    """The input's gradient [N, *spatial, C] from dy [N, *out, O] (into `out` where given), or None."""
    plan = _plan(geo, (w.dtype, dy.dtype), (w, dy))
    if plan is None:
        return None
    sizes, ctype = plan
    xs, _, ys = _places(geo)
    return _product_inverse(_by_frequency(dy, sizes, ys, ctype), _filter_spectrum(w, geo, sizes, ctype), sizes, xs,
                            geo.spatial, dy.dtype, trans_b=True, batch_first=True, out=out)


def backprop_filter(x, dy, geo):
    """The filter's gradient [*k, C, O] from x [N, *spatial, C] and dy [N, *out, O], or None."""
    plan = _plan(geo, (x.dtype, dy.dtype), (x, dy))
    if plan is None:
        return None
    sizes, ctype = plan
    xs, ws, ys = _places(geo)
    dw = _product_inverse(_by_frequency(x, sizes, xs, ctype, +1), _by_frequency(dy, sizes, ys, ctype), sizes, ws,
                          geo.k, x.dtype, trans_a=True, conj=True)   # (DW = X^T conj(DY) = conj(Xc^T DY))
    return dw.reshape(geo.k + (geo.c, geo.o))

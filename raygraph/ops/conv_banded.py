"""Convolutions of one input channel as products with a banded filter matrix: fewer columns to copy and read.

With one input channel, im2col's product [positions, window] x [window, out] is thin (a 5x5 window: 25 columns)
and its time goes to moving memory: writing the columns (a window's worth of copies of the input) and reading them
back. Here each row of columns serves a block of B outputs along the last spatial dim instead of one: it holds the
input the block's windows cover along that dim (B + k - 1 values, not B * k), times the window's other taps, and
meets a banded matrix that places the filter's taps at each output of the block:

    y[..., j0 + b, o] = sum_{rest, t} x[..., j0 + b + t] w[rest, t, o] = sum_{rest, u} cols[..., u] band[rest, u, b, o]
    with band[rest, u, b, o] = w[rest, u - b, o] for 0 <= u - b < k, else 0.

LeNet's first layer (28x28, 5x5, 1 -> 16, B = 7): columns 2.2x smaller than im2col's, 2.2x the multiply-adds; in
cnn_train's steps in-process (blocks of steps alternated, two runs) its forward 852 -> 571 and 929 -> 603 us
(medians of 280 and 350 calls), the step 8.05 -> 7.74 ms (medians of block medians, 8 of 10 blocks faster).

The filter's gradient is the transposed product: the columns against the output gradient's blocks give each pair
of a block's input value and output, and each tap sums the pairs it joins (LeNet's first layer in cnn_train's steps
in-process: 723 -> 669 us, medians of 350 calls). The zeros of the band would turn a non-finite input value into
NaN at outputs whose windows do not reach it (0 x inf), so only finite inputs take the forward route. Products run
in another order than im2col's: rounding differs by ~1e-7 of the values' scale.
"""
import math

import numpy as np
from numpy.lib.stride_tricks import as_strided
from scheduler import intra_op

BLOCKS = range(8, 3, -1)   # outputs per row of columns: the largest that divides the last dim's outputs
CHUNK = 1 << 22            # elements of columns made and used at once (a few images' worth; 16 MiB of float32)


def forward(x, w, geo):
    """The convolution y [N, *out, O] of x [N, *spatial, 1] padded (channels last), or None where the route does
    not apply: more than one channel, a stride or dilation along the last dim, no block size that divides its
    outputs, or an input value that is not finite."""
    block = _block(geo)
    if block is None or not np.isfinite(x).all():
        return None
    k, span = geo.k[-1], block + geo.k[-1] - 1
    lead = geo.kk // k
    band = np.zeros((lead, span, block, geo.o), x.dtype)
    taps = w.reshape(lead, k, geo.o)
    for b in range(block):
        band[:, b:b + k, b, :] = taps
    band = band.reshape(lead * span, block * geo.o)
    per_image = math.prod(geo.out) // block * lead * span
    step = max(1, CHUNK // per_image)
    if step >= geo.n:   # the common case: one product, no copy of its result
        return intra_op.matmul(_columns(geo.padded(x)[..., 0], geo, block, span), band).reshape(
            (geo.n,) + geo.out + (geo.o,))
    y = np.empty((geo.n,) + geo.out + (geo.o,), x.dtype)
    for lo in range(0, geo.n, step):
        part = x[lo:lo + step]
        y[lo:lo + step] = intra_op.matmul(_columns(geo.padded(part)[..., 0], geo, block, span), band).reshape(
            y[lo:lo + step].shape)
    return y


def backprop_filter(x, dy, geo):
    """The filter's gradient [*k, 1, O] from x [N, *spatial, 1] and dy [N, *out, O], or None where the route does
    not apply (as `forward`'s, but for values that are not finite: each of the band's products that is kept holds
    the same terms as im2col's, the others are dropped). The columns' product with dy's blocks gives every pair
    of a block's input value and output; each tap sums the pairs it joins."""
    block = _block(geo)
    if block is None:
        return None
    k, span = geo.k[-1], block + geo.k[-1] - 1
    lead = geo.kk // k
    pairs = None
    per_image = math.prod(geo.out) // block * lead * span
    step = max(1, CHUNK // per_image)
    for lo in range(0, geo.n, step):
        cols = _columns(geo.padded(x[lo:lo + step])[..., 0], geo, block, span)
        part = intra_op.matmul(cols.T, dy[lo:lo + step].reshape(len(cols), block * geo.o))
        pairs = part if pairs is None else pairs + part
    pairs = pairs.reshape(lead, span, block, geo.o)
    dw = pairs[:, :k, 0].copy()
    for b in range(1, block):
        dw += pairs[:, b:b + k, b]
    return dw.reshape(geo.k + (1, geo.o))


def _block(geo):
    if geo.c != 1 or geo.strides[-1] != 1 or geo.dil[-1] != 1 or 0 in geo.out or geo.n == 0:
        return None
    return next((b for b in BLOCKS if geo.out[-1] % b == 0), None)


def _columns(xp, geo, block, span):
    """[images * positions / block, *k[:-1] * span]: for each output block, the padded input its windows cover (one
    copy of a strided view)."""
    st = xp.strides
    lead = st[1:-1]
    view = as_strided(xp, (len(xp),) + geo.out[:-1] + (geo.out[-1] // block,) + geo.k[:-1] + (span,),
                      (st[0],) + tuple(s * b for s, b in zip(geo.strides[:-1], lead)) + (block * st[-1],)
                      + tuple(d * b for d, b in zip(geo.dil[:-1], lead)) + (st[-1],), writeable=False)
    cols = np.empty(view.shape, xp.dtype)
    np.copyto(cols, view)
    return cols.reshape(-1, span * geo.kk // geo.k[-1])

"""Convolutions (`tf.nn.conv2d`, `conv1d`, `conv2d_transpose`, `convolution`...): Conv2D and its two backprops.

Kernels work channels-last on any number of spatial dims, as im2col: the padded input's sliding windows
(a strided view) are copied once into a [positions, window * channels] matrix that meets the filter in one
large matmul per batch chunk (`intra_op.matmul`, which splits itself over the device's cores). The input's
backprop is the transposed product followed by col2im, a loop over the kernel's window (never over output
positions); the filter's backprop is the columns' transposed product with the output gradient. Where the
device lets kernels split, each of the three cuts its batch into one share per intra-op thread. NCHW
data is transposed to NHWC and back. Grouped convolutions (input depth a multiple of the filter's) run
one product per group, as TF's CPU kernels do. 3x3 windows of stride 1, 16 channels or more in and out, run
all three kernels through Winograd's F(2x2, 3x3) instead (conv_winograd.py); and where it is much less work
(many channels, small planes, like LeNet's second convolution) the others run through Fourier transforms
(conv_fourier.py). Convolutions of one input channel sum their taps a vector of output channels at a time
(conv_taps.py). Depthwise convolutions run compiled loops, each tap over a whole output row (kernel_loops.py).
"""
import copy
import warnings
from itertools import product

import numpy as np
from numpy.lib.stride_tricks import as_strided
from scheduler import blas, intra_op

from ..convert import convert_to_tensor
from ..default_graph import name_scope
from ..errors import InvalidArgumentError, UnimplementedError
from ..shape import TensorShape, unknown_shape
from ..tensor import Tensor
from . import compiled, conv_fourier, conv_winograd, scalar_math
from .array import expand_dims, reshape, shape, shape_n, squeeze
from .blocks import batch_to_space, space_to_batch
from .joining import concat
from .registry import REGION, Remap, apply_op, op
from .shape_fns import constant_value, constant_value_as_shape, with_rank

_raw = TensorShape._raw
CONV_T = "float16 bfloat16 float32 float64 int32"
FLOAT_T = "float16 bfloat16 float32 float64"
_PADDINGS = ("SAME", "VALID", "EXPLICIT")
# A kernel builds the im2col columns of a few images at a time and uses them at once, while they are in cache:
# a product over the whole batch's columns reads them back from memory. Measured single-threaded here, 3x3
# 64->64 over [32,32,32,64]: forward 46 ms over the whole batch, 28-34 in chunks of 2^19 elements, input
# gradient 40-46 -> 28-36, filter gradient 37-40 -> 29-36. An image whose columns pass a chunk is cut into rows
# (U-Net's 3x3 16->16 over one 570x570 image, CPU time: forward 76 -> 39 ms, input gradient 77 -> 48, filter
# gradient 70 -> 40; 32->32 over 282x282: 40/50/41 -> 27/36/30). With one input channel the columns are copied
# a window offset at a time, whole planes: chunks only add calls (LeNet's first layer 1.1 ms whole, 1.25 cut).
_CHUNK = 1 << 19        # elements of columns per chunk (2 MiB of float32, an L2 cache here)
_CHUNK_ONE_CHANNEL = 1 << 24
_SPLIT_WORK = 6.4e7  # multiply-adds from which a kernel's batch is cut into shares over the intra-op threads: two
                     # shares at once contend for memory here, so LeNet's first convolution (20M, one channel,
                     # copies and thin products) ran 1.3x slower split, its second (160M) 1.5x faster


def _text(shape):
    return "[" + ",".join(str(d) for d in shape) + "]"


def _error(message):
    return InvalidArgumentError(None, None, message)


# ----- geometry: attrs, windows, output sizes ---------------------------------------------------------------
def _spatial_axes(data_format, nd):
    """The spatial axes of a data_format's layout (NHWC: 1..nd; NCHW: 2..nd+1)."""
    return tuple(range(2, nd + 2)) if data_format.startswith("NC") else tuple(range(1, nd + 1))


def _channel_axis(data_format, nd):
    return 1 if data_format.startswith("NC") else nd + 1


def _window_attrs(a, nd):
    """(strides, dilations, [(pad_before, pad_after)] or None) along the spatial dims."""
    axes = _spatial_axes(a.get("data_format", "NHWC"), nd)
    strides = [a["strides"][i] for i in axes]
    dil = [a.get("dilations", [1] * (nd + 2))[i] for i in axes]
    pads = None
    if a["padding"] == "EXPLICIT":
        ep = a["explicit_paddings"]
        pads = [(ep[2 * i], ep[2 * i + 1]) for i in axes]
    return strides, dil, pads


def _output_size(n, k, stride, dil, padding, pads):
    """TF's GetWindowedOutputSize for one dim: (output size, pad before, pad after); sizes may be None."""
    if n is None or k is None:
        return None, 0, 0
    eff = (k - 1) * dil + 1
    if padding == "VALID":
        pads = (0, 0)
    if padding == "SAME":
        out = (n + stride - 1) // stride
        need = max(0, (out - 1) * stride + eff - n)
        return out, need // 2, need - need // 2
    lo, hi = pads
    num = n + lo + hi - eff + stride
    return (num // stride if num >= 0 else -(-num // stride)), lo, hi   # C's division, as TF's kernels


def _check_attrs_shape(a, nd, op_type):
    """The shape-time checks of TF's Conv*ShapeImpl on strides, dilations and explicit paddings."""
    n = nd + 2
    if len(a["strides"]) != n:
        raise ValueError(f"{op_type} requires the stride attribute to contain {n} values, but got: "
                         f"{len(a['strides'])}")
    dil = a.get("dilations", [1] * n)
    if len(dil) != n:
        raise ValueError(f"{op_type} requires the dilations attribute to contain {n} values, but got: {len(dil)}")
    for s in a["strides"]:
        if s <= 0:
            raise ValueError(f"Stride must be > 0, but got {s}")
    for d in dil:
        if d <= 0:
            raise ValueError(f"Dilated rate must be >= 1, but got {d}")
    ep = a.get("explicit_paddings", [])
    if a["padding"] == "EXPLICIT":
        if len(ep) != 2 * n:
            raise ValueError(f"explicit_paddings attribute must contain {2 * n} values, but got: {len(ep)}")
        if any(p < 0 for p in ep):
            raise ValueError("All elements of explicit_paddings must be nonnegative")
        c = _channel_axis(a.get("data_format", "NHWC"), nd)
        if ep[0] or ep[1] or ep[2 * c] or ep[2 * c + 1]:
            raise ValueError("Nonzero explicit padding in the batch or depth dimensions is not supported")
    elif ep:
        raise ValueError("explicit_paddings attribute must be empty if the padding attribute is not EXPLICIT")


def _spatial_out(in_dims, k_dims, a, nd):
    """The output's spatial dims (None where unknown), with TF's shape-time error for a negative one."""
    strides, dil, pads = _window_attrs(a, nd)
    out = []
    for n, k, s, d, p in zip(in_dims, k_dims, strides, dil, pads or [None] * nd):
        size, lo, hi = _output_size(n, k, s, d, a["padding"], p)
        if size is not None and a["padding"] != "SAME" and n + lo + hi < (k - 1) * d + 1:
            raise ValueError(f"Negative dimension size caused by subtracting {(k - 1) * d + 1} from {n + lo + hi}")
        out.append(size)
    return out


def _layout(data_format, batch, spatial, depth):
    return (batch, depth, *spatial) if data_format.startswith("NC") else (batch, *spatial, depth)


def _split_layout(d, data_format):
    """(batch, spatial dims, depth) of a dims tuple in data_format."""
    if data_format.startswith("NC"):
        return d[0], d[2:], d[1]
    return d[0], d[1:-1], d[-1]


# ----- kernels: im2col, col2im ------------------------------------------------------------------------------
def _work_dtype(dtype):
    """What products are computed in: float32/float64 as they are, integers in int64, the rest in float32."""
    if dtype in (np.float32, np.float64):
        return dtype
    return np.int64 if np.issubdtype(dtype, np.integer) else np.float32


def _chunks(geo):
    """The parts whose columns are made and used at once, (batch lo, hi, output rows lo, hi): a few whole images,
    or where one image's columns pass a chunk, a few rows (of the first spatial dim) of one image."""
    per_item = geo.positions * geo.kk * geo.c
    limit = _CHUNK_ONE_CHANNEL if geo.c == 1 else _CHUNK
    rows = geo.out[0]
    if per_item <= limit or rows < 2:
        step = max(1, limit // max(1, per_item))
        return [(lo, min(geo.n, lo + step), 0, rows) for lo in range(0, geo.n, step)] or [(0, 0, 0, rows)]
    step = max(1, limit * rows // per_item)
    return [(b, b + 1, r, min(rows, r + step)) for b in range(geo.n) for r in range(0, rows, step)]


class _Geometry:
    """One convolution's sizes, channels-last: input [N, *spatial, C], filter [*k, Cf, O], output [N, *out, O]."""

    def __init__(self, in_shape, f_shape, a, nd, label):
        self.nd = nd
        self.n, self.spatial, self.c = in_shape[0], tuple(in_shape[1:-1]), in_shape[-1]
        self.k, self.cf, self.o = tuple(f_shape[:-2]), f_shape[-2], f_shape[-1]
        if self.cf == 0 or self.c % self.cf:
            raise _error(f"{label}input depth must be evenly divisible by filter depth: {self.c} vs {self.cf}")
        self.groups = self.c // self.cf
        if self.o % self.groups:
            raise _error(f"{label}output depth must be evenly divisible by the number of groups: {self.o} vs "
                         f"{self.groups}")
        self.strides, self.dil, pads = _window_attrs(a, nd)
        self.out, self.pads = [], []
        for n, k, s, d, p in zip(self.spatial, self.k, self.strides, self.dil, pads or [None] * nd):
            size, lo, hi = _output_size(n, k, s, d, a["padding"], p)
            if size < 0:
                raise _error(f"Computed output size would be negative: {size} [input_size: {n}, "
                             f"effective_filter_size: {(k - 1) * d + 1}, stride: {s}]")
            self.out.append(size)
            self.pads.append((lo, hi))
        self.out = tuple(self.out)
        self.kk = int(np.prod(self.k, dtype=np.int64))
        self.positions = int(np.prod(self.out, dtype=np.int64))

    def with_batch(self, n):
        """The same convolution over a batch of n (one share of the batch, see _over_batch)."""
        share = copy.copy(self)
        share.n = n
        return share

    def with_rows(self, lo, hi):
        """The part of the convolution that computes output rows lo:hi (of the first spatial dim): its windows
        start at row lo * stride of the padded input (see `columns`)."""
        if (lo, hi) == (0, self.out[0]):
            return self
        part = copy.copy(self)
        part.out = (hi - lo,) + self.out[1:]
        part.positions = int(np.prod(part.out, dtype=np.int64))
        return part

    def row_origin(self, lo):
        """Where the windows of output row lo start in the padded input's first spatial dim."""
        return lo * self.strides[0]

    @property
    def work(self):
        """Multiply-adds of the direct (im2col) product."""
        return self.n * self.positions * self.kk * self.cf * self.o

    def padded(self, x):
        """x with its zero padding (zeros and one copy: np.pad spends 20 us in Python per call)."""
        if not any(lo or hi for lo, hi in self.pads):
            return x
        out = np.zeros((x.shape[0],) + tuple(n + lo + hi for n, (lo, hi) in zip(x.shape[1:-1], self.pads))
                       + (x.shape[-1],), x.dtype)
        out[(slice(None),) + tuple(slice(lo, lo + n) for n, (lo, _) in zip(x.shape[1:-1], self.pads))] = x
        return out

    def columns(self, xp):
        """im2col: [batch * positions, kk, groups, Cf] (one copy of the padded input's windows)."""
        eff = [(k - 1) * d + 1 for k, d in zip(self.k, self.dil)]
        if any(e > n for e, n in zip(eff, xp.shape[1:-1])):   # an empty output: no windows to take
            return np.zeros((xp.shape[0] * self.positions, self.kk, self.groups, self.cf), xp.dtype)
        if self.c == 1:   # one channel: copy each window offset's rows whole (runs of a row, not of 1 element)
            cols = np.empty((self.kk, xp.shape[0]) + self.out, xp.dtype)
            for i, offset in enumerate(product(*[range(k) for k in self.k])):
                cols[i] = xp[(slice(None),) + tuple(slice(j * d, j * d + s * (o - 1) + 1, s) for j, d, s, o in
                                                    zip(offset, self.dil, self.strides, self.out)) + (0,)]
            return cols.reshape(self.kk, -1).T.reshape(-1, self.kk, 1, 1)
        # the windows as one strided view [N, *out, *k, C] (each output position's taps), copied in one call:
        # sliding_window_view, moveaxis and reshape cost more Python than the copy itself, and two intra-op
        # shares building columns at once ran slower than one after the other (padding and columns of a
        # [32, 32, 32] image, 3x3 taps: 62 us before, 36 us now; of 32 images, one after the other 2.1-2.4 ms
        # before, 1.1 ms now; in two shares 3.1-3.4 ms before, 1.0 ms now)
        st = xp.strides
        win = as_strided(xp, (xp.shape[0],) + self.out + self.k + (self.c,),
                         (st[0],) + tuple(s * b for s, b in zip(self.strides, st[1:-1]))
                         + tuple(d * b for d, b in zip(self.dil, st[1:-1])) + (st[-1],), writeable=False)
        cols = np.empty(win.shape, xp.dtype)
        np.copyto(cols, win)
        return cols.reshape(xp.shape[0] * self.positions, self.kk, self.groups, self.cf)

    def group_filter(self, w, g):
        og = self.o // self.groups
        return w.reshape(self.kk * self.cf, self.o)[:, g * og:(g + 1) * og]

    def group_out(self, y, g):
        og = self.o // self.groups
        return y[:, g * og:(g + 1) * og]


def _over_batch(kernel, geo, batched, other, join):
    """kernel(*batched, *other, geo) with the batched arrays (batch first) cut into one share of the batch per
    intra-op thread where the step lets kernels split and the work pays for it (intra_op.shares); the shares'
    results joined by `join`."""
    def share(lo, hi):
        part = geo if (lo, hi) == (0, geo.n) else geo.with_batch(hi - lo)
        return kernel(*[a[lo:hi] for a in batched], *other, part)
    results = intra_op.shares(share, geo.n, _split(geo))
    return results[0] if len(results) == 1 else join(results)


def _into_batch(kernel, geo, batched, other, shape, dtype):
    """As _over_batch for kernels whose shares' results stack along the batch into one result of `shape` and
    `dtype`: each share gets its slice of that result as `out` (the last argument) and writes there, or returns an
    array of its own that its own thread copies there (concatenating the two shares' results cost cnn_train's
    second convolution ~30-80 us a kernel, in one thread). One share returns what it made."""
    out = np.empty(shape, dtype)

    def share(lo, hi):
        part, dest = (geo, out) if (lo, hi) == (0, geo.n) else (geo.with_batch(hi - lo), out[lo:hi])
        y = kernel(*[a[lo:hi] for a in batched], *other, part, dest)
        if y is not dest and part is not geo:
            dest[...] = y
        return y
    results = intra_op.shares(share, geo.n, _split(geo))
    return results[0] if len(results) == 1 else out


def _split(geo):
    """The work by which intra_op decides to cut a kernel into shares (none below _SPLIT_WORK)."""
    return geo.work if geo.work >= _SPLIT_WORK else 0


def _summed(parts):
    total = parts[0]
    for p in parts[1:]:
        total += p
    return total


def _forward(x, w, geo, epilogue=None):
    """The forward's routes in turn (Winograd's, then per share the Fourier route, the taps, im2col); with
    `epilogue` (bias, relu: `_bias_relu_of`) each adds the bias, and takes ReLU, as it writes its output."""
    y = conv_winograd.forward(x, w, geo, _split(geo), *(epilogue or ()))
    if y is not None:
        return y
    share = _forward_share if epilogue is None else lambda x, w, geo, out: _forward_share(x, w, geo, out, epilogue)
    return _into_batch(share, geo, [x], [w], (geo.n,) + geo.out + (geo.o,), _work_dtype(x.dtype))


def _forward_share(x, w, geo, out=None, epilogue=None):
    """The forward of a share of the batch: written into `out` where the route can (the Fourier kernels, the taps
    and the row chunks), else a new array; with `epilogue` (bias, relu: `_bias_relu_of`) the bias added, and ReLU
    taken, as the Fourier route and the taps write the outputs (after im2col, a compiled pass over its share)."""
    dt = _work_dtype(x.dtype)
    x, w = x.astype(dt, copy=False), w.astype(dt, copy=False)
    y = conv_fourier.forward(x, w, geo, out, *(epilogue or ()))
    if y is None:
        y = compiled.conv_taps().forward(x, w, geo, out, *(epilogue or ()))
    if y is not None:
        return y
    y = _columns_forward(x, w, geo, out, dt)
    if epilogue is not None:
        compiled.loops().bias_relu(y.reshape(-1, geo.o), *epilogue, dt.type(0))
    return y


def _columns_forward(x, w, geo, out, dt):
    """The forward of a share by im2col: one product, or one per chunk of rows."""
    chunks = _chunks(geo)
    if len(chunks) == 1 and geo.groups == 1:   # the common case: one product, no copy of its result
        cols = geo.columns(geo.padded(x)).reshape(geo.n * geo.positions, geo.kk * geo.c)
        return intra_op.matmul(cols, w.reshape(geo.kk * geo.c, geo.o)).reshape((geo.n,) + geo.out + (geo.o,))
    y = np.empty((geo.n,) + geo.out + (geo.o,), dt) if out is None else out

    def chunk(lo, hi, r0, r1, xp):
        cols = geo.with_rows(r0, r1).columns(xp[:, geo.row_origin(r0):])
        out = y[lo:hi, r0:r1].reshape(len(cols), geo.o)   # (a view: whole images, or rows of one)
        if geo.groups == 1:   # (a chunk's product is small: one thread, straight into the output)
            blas.matmul(cols.reshape(len(cols), geo.kk * geo.c), w.reshape(geo.kk * geo.c, geo.o), out=out)
            return
        for g in range(geo.groups):
            cg = cols[:, :, g, :].reshape(len(cols), geo.kk * geo.cf)
            geo.group_out(out, g)[...] = intra_op.matmul(cg, geo.group_filter(w, g))
    _each_chunk(geo, x, chunks, chunk)
    return y


def _each_chunk(geo, x, chunks, run):
    """[run(batch lo, hi, output rows lo, hi, the padded images lo:hi) for each chunk], each image padded once.
    The rows of a lone image are cut into one share per intra-op thread where the step lets kernels split and
    the work pays for it (a batch is cut into shares of images before, see _over_batch): `run` must write
    only what its own chunk owns."""
    if geo.n == 1 and len(chunks) > 1:
        xp = geo.padded(x)
        parts = intra_op.shares(lambda a, b: [run(*c, xp) for c in chunks[a:b]], len(chunks), _split(geo))
        return [r for part in parts for r in part]
    results, padded_for = [], None
    for lo, hi, r0, r1 in chunks:
        if padded_for != (lo, hi):
            padded_for, xp = (lo, hi), geo.padded(x[lo:hi])
        results.append(run(lo, hi, r0, r1, xp))
    return results


def _backprop_input_as_conv(w, dy, geo):
    """Stride 1: the input gradient is dy, padded by what the window reaches past it, correlated with the filter
    flipped in space and transposed in its channels (one im2col product, no col2im); None where it does not
    apply (strides, groups, or explicit padding wider than the window)."""
    as_conv = _as_conv(w, dy, geo)
    return None if as_conv is None else _forward(*as_conv)


def _as_conv(w, dy, geo):
    """(dy, filter, geometry) of the forward correlation that is the stride-1 input gradient (see above), or None."""
    if geo.groups != 1 or any(s != 1 for s in geo.strides):
        return None
    pads = []
    for (lo, hi), k, d in zip(geo.pads, geo.k, geo.dil):
        reach = (k - 1) * d
        if lo > reach or hi > reach:
            return None
        pads += [reach - lo, reach - hi]
    nd = geo.nd
    flipped = np.ascontiguousarray(np.swapaxes(w[(slice(None, None, -1),) * nd], -1, -2))
    a = {"strides": [1] * (nd + 2), "padding": "EXPLICIT", "explicit_paddings": [0, 0] + pads + [0, 0],
         "dilations": [1] + list(geo.dil) + [1], "data_format": "NHWC"}
    dyl = dy.reshape((geo.n,) + geo.out + (geo.o,))
    return dyl, flipped, _Geometry(dyl.shape, flipped.shape, a, nd, "")


def _backprop_input(w, dy, geo):
    if conv_winograd.applies(geo, w, dy):   # (3x3 filters of stride 1)
        as_conv = _as_conv(w, dy, geo)
        dx = None if as_conv is None else conv_winograd.forward(*as_conv, _split(geo))
        if dx is not None:
            return dx
    return _into_batch(_backprop_input_share, geo, [dy], [w], (geo.n,) + geo.spatial + (geo.c,),
                       _work_dtype(dy.dtype))


def _backprop_input_share(dy, w, geo, out=None):
    """col2im of dy @ filter^T: each kernel offset adds its slab of columns into the padded input gradient (the
    Fourier kernel writes into `out`; the other routes return a new array)."""
    dt = _work_dtype(dy.dtype)
    w, dy = w.astype(dt, copy=False), dy.astype(dt, copy=False)
    as_conv = conv_fourier.backprop_input(w, dy.reshape((geo.n,) + geo.out + (geo.o,)), geo, out)
    if as_conv is None:
        as_conv = _backprop_input_as_conv(w, dy, geo)
    if as_conv is not None:
        return as_conv
    dy = dy.reshape(geo.n * geo.positions, geo.o)
    size = [max(n + lo + hi, (o - 1) * s + (k - 1) * d + 1) if o > 0 else n + lo + hi
            for n, (lo, hi), o, s, k, d in zip(geo.spatial, geo.pads, geo.out, geo.strides, geo.k, geo.dil)]
    dxp = np.zeros([geo.n] + size + [geo.c], dt)
    dy = dy.reshape((geo.n,) + geo.out + (geo.o,))
    for lo_b, hi_b, r0, r1 in _chunks(geo):
        part = geo.with_rows(r0, r1)
        m = (hi_b - lo_b) * part.positions
        dyc = dy[lo_b:hi_b, r0:r1].reshape(m, geo.o)
        cols = np.empty((m, geo.kk, geo.groups, geo.cf), dt)
        for g in range(geo.groups):
            cols[:, :, g, :] = intra_op.matmul(geo.group_out(dyc, g), geo.group_filter(w, g).T).reshape(
                m, geo.kk, geo.cf)
        cols = cols.reshape((hi_b - lo_b,) + part.out + geo.k + (geo.c,))
        target = dxp[lo_b:hi_b, geo.row_origin(r0):]
        if geo.c == 1:   # one channel: drop it, so numpy's inner loops run along the rows, not over 1 element
            cols, target = cols[..., 0], target[..., 0]
        for offset in product(*[range(k) for k in geo.k]):
            where = tuple(slice(i * d, i * d + s * (o - 1) + 1, s)
                          for i, d, s, o in zip(offset, geo.dil, geo.strides, part.out))
            target[(slice(None),) + where] += cols[(slice(None),) * (geo.nd + 1) + offset]
    crop = tuple(slice(lo, lo + n) for (lo, _), n in zip(geo.pads, geo.spatial))
    return dxp[(slice(None),) + crop]


def _backprop_filter(x, dy, geo):
    dw = conv_winograd.backprop_filter(x, dy, geo, _split(geo))
    return dw if dw is not None else _over_batch(_backprop_filter_share, geo, [x, dy], [], _summed)


def _backprop_filter_share(x, dy, geo):
    dt = _work_dtype(x.dtype)
    x, dy = x.astype(dt, copy=False), dy.astype(dt, copy=False)
    dy = dy.reshape((geo.n,) + geo.out + (geo.o,))
    dw = conv_fourier.backprop_filter(x, dy, geo)
    if dw is None:
        dw = compiled.conv_taps().backprop_filter(x, dy, geo)
    if dw is not None:
        return dw
    og = geo.o // geo.groups

    def chunk(lo, hi, r0, r1, xp):
        cols = geo.with_rows(r0, r1).columns(xp[:, geo.row_origin(r0):])
        dyc = dy[lo:hi, r0:r1].reshape(len(cols), geo.o)
        dw = np.empty((geo.kk, geo.cf, geo.o), dt)
        for g in range(geo.groups):
            cg = cols[:, :, g, :].reshape(len(cols), geo.kk * geo.cf)
            dw[:, :, g * og:(g + 1) * og] = intra_op.matmul(cg.T, geo.group_out(dyc, g)).reshape(geo.kk, geo.cf, og)
        return dw
    dw = _summed(_each_chunk(geo, x, _chunks(geo), chunk))
    return dw.reshape(geo.k + (geo.cf, geo.o))


def _channels_last(x, a, nd):
    return np.moveaxis(x, 1, -1) if a.get("data_format", "NHWC").startswith("NC") else x


def _channels_back(y, a, nd):
    return np.moveaxis(y, -1, 1) if a.get("data_format", "NHWC").startswith("NC") else y


def _check_run(a, nd, shapes):
    """The kernels' checks: ranks (shapes: {name: shape}), strides and dilations off the spatial dims."""
    for name, s in shapes.items():
        if len(s) != nd + 2:
            raise _error(f"{name} must be {nd + 2}-dimensional{_text(s)}")
    c = _channel_axis(a.get("data_format", "NHWC"), nd)
    if a["strides"][0] != 1 or a["strides"][c] != 1:
        raise UnimplementedError(None, None, "Current implementation does not yet support strides in the batch "
                                             "and depth dimensions.")
    dil = a.get("dilations", [1] * (nd + 2))
    if dil[0] != 1 or dil[c] != 1:
        raise _error("Current implementation does not yet support dilations in the batch and depth dimensions.")


def _as_channels_last(shape_, a, nd):
    s = [int(v) for v in shape_]
    return s[:1] + s[2:] + s[1:2] if a.get("data_format", "NHWC").startswith("NC") else s


def _result(y, dtype):
    return y.astype(dtype, copy=False)


def _conv_kernel(nd):
    def kernel(a, x, w):
        _check_run(a, nd, {"input": x.shape, "filter": w.shape})
        xl = _channels_last(x, a, nd)
        geo = _Geometry(xl.shape, w.shape, a, nd, "")
        return _result(_channels_back(_forward(xl, w, geo), a, nd), x.dtype)
    return kernel


def _bias_relu_of(a, region, x, w, *others):
    """Conv2D, then the fused region that alone reads its value, where that region adds a vector of the output
    channels to it and takes ReLU (a convolution layer's bias + ReLU, as grappler's _FusedConv2D with BiasAdd and
    Relu): one node whose route adds the bias and takes ReLU as it writes its output, the taps in their registers
    as they store each vector of outputs, the Fourier and Winograd routes in their last pass, im2col's in a
    compiled pass over each share (the region's own pass over the whole output, the value's size in and out, saved;
    Remap in the op table below). float32/64 NHWC only; None elsewhere (the two nodes' kernels run). The region's
    bits: the same float additions, ReLU keeping NaN and giving +0.0 for -0.0."""
    program = region["program"]
    if len(others) != 1 or program.outputs != (1,) or len(program.formulas) != 2:
        return None
    (add, add_args), (relu, relu_args) = program.formulas
    bias = others[0]
    if (add is not scalar_math.add or sorted(add_args) != [0, 1] or relu is not scalar_math.relu
            or relu_args != (~0,) or a.get("data_format", "NHWC") != "NHWC" or x.ndim != 4 or w.ndim != 4
            or not x.dtype == w.dtype == bias.dtype or x.dtype not in (np.float32, np.float64)
            or bias.shape != w.shape[-1:]):
        return None
    _check_run(a, 2, {"input": x.shape, "filter": w.shape})
    return _forward(x, w, _Geometry(x.shape, w.shape, a, 2, ""), (bias, True))


def _sizes(input_sizes, a, nd, dy, w, label):
    """input_sizes as a full shape in the op's layout (TF accepts the spatial dims alone too)."""
    s = [int(v) for v in np.ravel(input_sizes)]
    if len(s) == nd:
        fmt = a.get("data_format", "NHWC")
        s = list(_layout(fmt, dy.shape[0], s, w.shape[-2]))
    if len(s) != nd + 2:
        raise _error(f"{label}: input_sizes must be {nd + 2}-dimensional, got: {len(s)}")
    return s


def _check_backprop(geo, dy_shape, label):
    """dy must be the forward's output for these sizes."""
    want = (geo.n,) + geo.out + (geo.o,)
    if tuple(dy_shape) != want:
        if dy_shape[0] != geo.n:
            raise _error(f"{label}: input and out_backprop must have the same batch size. Input batch: {geo.n}, "
                         f"outbackprop batch: {dy_shape[0]}")
        if dy_shape[-1] != geo.o:
            raise _error(f"{label}: filter and out_backprop must have the same out_depth")
        for i, (got, o) in enumerate(zip(dy_shape[1:-1], geo.out)):
            if got != o:
                raise _error(f"{label}: Size of out_backprop doesn't match computed: actual = {got}, computed = "
                             f"{o} spatial_dim: {i + 1} input: {geo.spatial[i]} filter: {geo.k[i]} output: {got} "
                             f"stride: {geo.strides[i]} dilation: {geo.dil[i]}")


def _backprop_input_kernel(nd, label):
    def kernel(a, input_sizes, w, dy):
        _check_run(a, nd, {"filter": w.shape, "out_backprop": dy.shape})
        sizes = _as_channels_last(_sizes(input_sizes, a, nd, dy, w, label), a, nd)
        dyl = _channels_last(dy, a, nd)
        geo = _Geometry(sizes, w.shape, a, nd, label + ": ")
        _check_backprop(geo, dyl.shape, label)
        return _result(_channels_back(_backprop_input(w, dyl, geo), a, nd), dy.dtype)
    return kernel


def _backprop_filter_kernel(nd, label):
    def kernel(a, x, filter_sizes, dy):
        _check_run(a, nd, {"input": x.shape, "out_backprop": dy.shape})
        f = [int(v) for v in np.ravel(filter_sizes)]
        if len(f) != nd + 2:
            raise _error(f"{label}: filter_sizes must be {nd + 2}-dimensional, got: {len(f)}")
        xl, dyl = _channels_last(x, a, nd), _channels_last(dy, a, nd)
        geo = _Geometry(xl.shape, f, a, nd, label + ": ")
        _check_backprop(geo, dyl.shape, label)
        return _result(_backprop_filter(xl, dyl, geo), x.dtype)
    return kernel


# ----- shape functions --------------------------------------------------------------------------------------
def _conv_shape(nd, op_type):
    def shape_fn(inputs, a):
        x, w = inputs
        xd, wd = with_rank(x, nd + 2), with_rank(w, nd + 2)
        _check_attrs_shape(a, nd, op_type)
        fmt = a.get("data_format", "NHWC")
        batch, spatial, depth = _split_layout(xd, fmt)
        cf, o = wd[-2], wd[-1]
        if depth is not None and cf is not None:
            if cf == 0 or depth % cf:
                raise ValueError(f"Depth of input ({depth}) is not a multiple of input depth of filter ({cf})")
            if o is not None and o % (depth // cf):
                raise ValueError(f"Depth of output ({o}) is not a multiple of the number of groups "
                                 f"({depth // cf})")
        out = _spatial_out(spatial, wd[:-2], a, nd)
        return x.dtype.base_dtype, _raw(_layout(fmt, batch, out, o))
    return shape_fn


def _merge_dim(a, b):
    """TF's Merge of two dims."""
    if a is not None and b is not None and a != b:
        raise ValueError(f"Dimensions must be equal, but are {a} and {b}")
    return b if a is None else a


def _backprop_input_shape(nd, op_type):
    def shape_fn(inputs, a):
        sizes, w, dy = inputs
        sd = with_rank(sizes, 1)
        wd, dyd = with_rank(w, nd + 2), with_rank(dy, nd + 2)
        _check_attrs_shape(a, nd, op_type)
        fmt = a.get("data_format", "NHWC")
        if sd[0] is not None and sd[0] not in (nd, nd + 2):
            raise ValueError(f"{op_type} requires input_sizes to contain {nd + 2} values or {nd} values, but "
                             f"got: {sd[0]}")
        _merge_dim(_split_layout(dyd, fmt)[2], wd[-1])
        if sd[0] == nd:
            v = constant_value(sizes)
            spatial = [None] * nd if v is None else [int(s) for s in np.ravel(v)]
            return dy.dtype.base_dtype, _raw(_layout(fmt, dyd[0], spatial, wd[-2]))
        out = constant_value_as_shape(sizes)._dims
        out = (None,) * (nd + 2) if out is None else out
        if len(out) != nd + 2:
            raise ValueError(f"Shape must be rank {nd + 2} but is rank {len(out)}")
        _merge_dim(out[0], dyd[0])   # checked, but the batch is out_backprop's, as TF's shape function has it
        return dy.dtype.base_dtype, _raw((dyd[0],) + tuple(out[1:]))
    return shape_fn


def _backprop_filter_shape(nd, op_type):
    def shape_fn(inputs, a):
        x, sizes, dy = inputs
        with_rank(x, nd + 2)
        with_rank(sizes, 1)
        with_rank(dy, nd + 2)
        _check_attrs_shape(a, nd, op_type)
        out = constant_value_as_shape(sizes)
        if out._dims is None:
            return x.dtype.base_dtype, unknown_shape(nd + 2)
        if len(out._dims) != nd + 2:
            raise ValueError(f"Shape must be rank {nd + 2} but is rank {len(out._dims)}")
        return x.dtype.base_dtype, out
    return shape_fn


# ----- Conv2D and its backprops -----------------------------------------------------------------------------
def _same_attrs(op_):
    return {k: v for k, v in op_._attrs.items() if k != "T"}


def _forward_grad(backprop_input, backprop_filter):
    """The gradient of a convolution (Conv2D, Conv3D): its two backprops over the inputs' ShapeN, as TF1 builds it."""
    def grad(op_, g):
        x, w = op_.inputs
        shape_0, shape_1 = shape_n([x, w])
        a = _same_attrs(op_)
        return [apply_op(backprop_input, [shape_0, w, g], dict(a)), apply_op(backprop_filter, [x, shape_1, g], dict(a))]
    return grad


def _backprop_grads(forward, backprop_input, backprop_filter, input_drops=()):
    """The gradients of a convolution's two backprop ops, as TF1 builds them: (input backprop's, filter
    backprop's); `input_drops` are attrs of the input backprop that the other two ops do not take."""
    def input_grad(op_, g):
        a = {k: v for k, v in _same_attrs(op_).items() if k not in input_drops}
        return [None, apply_op(backprop_filter, [g, shape(op_.inputs[1]), op_.inputs[2]], dict(a)),
                apply_op(forward, [g, op_.inputs[1]], dict(a))]

    def filter_grad(op_, g):
        a = _same_attrs(op_)
        return [apply_op(backprop_input, [shape(op_.inputs[0]), g, op_.inputs[2]], dict(a)), None,
                apply_op(forward, [op_.inputs[0], g], dict(a))]
    return input_grad, filter_grad


_conv2d_grad = _forward_grad("Conv2DBackpropInput", "Conv2DBackpropFilter")
_conv2d_backprop_input_grad, _conv2d_backprop_filter_grad = _backprop_grads(
    "Conv2D", "Conv2DBackpropInput", "Conv2DBackpropFilter")


_CHOICES_2D = {"padding": _PADDINGS, "data_format": ("NHWC", "NCHW")}
op("Conv2D", "input:T, filter:T", kernel=_conv_kernel(2), shape=_conv_shape(2, "Conv2D"), grad=_conv2d_grad,
   T=CONV_T, choices=_CHOICES_2D, fresh=True,
   remaps=tuple(Remap(REGION, at=at, same=(), kernel=_bias_relu_of, others=True) for at in (0, 1)))
op("Conv2DBackpropInput", "input_sizes:int32, filter:T, out_backprop:T",
   kernel=_backprop_input_kernel(2, "Conv2DCustomBackpropInput"),
   shape=_backprop_input_shape(2, "Conv2DBackpropInput"), grad=_conv2d_backprop_input_grad, T=CONV_T,
   choices=_CHOICES_2D, fresh=True)
op("Conv2DBackpropFilter", "input:T, filter_sizes:int32, out_backprop:T",
   kernel=_backprop_filter_kernel(2, "Conv2DCustomBackpropFilter"),
   shape=_backprop_filter_shape(2, "Conv2DBackpropFilter"), grad=_conv2d_backprop_filter_grad, T=FLOAT_T,
   choices=_CHOICES_2D)


# ----- the Python API: TF's argument handling ---------------------------------------------------------------
def _lookup(new_name, new_value, old_name, old_value):
    """TF's deprecated_argument_lookup."""
    if old_value is not None:
        if new_value is not None:
            raise ValueError(f"Cannot specify both '{old_name}' and '{new_name}'.")
        return old_value
    return new_value


def convert_padding(padding, expected_length=4):
    """TF's convert_padding: a list of [before, after] pairs becomes EXPLICIT padding."""
    explicit = []
    if padding == "EXPLICIT":
        raise ValueError("'EXPLICIT' is not a valid value for `padding`. To use explicit padding, `padding` must "
                         "be a list.")
    if isinstance(padding, (list, tuple)):
        for i, pair in enumerate(padding):
            if not isinstance(pair, (list, tuple)):
                raise ValueError(f"When `padding` is a list, each element of `padding` must be a list/tuple of size "
                                 f"2. Received: padding={padding} with element at index {i} of type {type(pair)}")
            if len(pair) != 2:
                raise ValueError(f"When `padding` is a list, each element of `padding` must be a list/tuple of size "
                                 f"2. Received: padding={padding} with element at index {i} of size {len(pair)}")
            explicit.extend(pair)
        if len(padding) != expected_length:
            raise ValueError(f"When padding is a list, it must be of size {expected_length}. Received: "
                             f"padding={padding} of size {len(padding)}")
        padding = "EXPLICIT"
    return padding, explicit


def get_sequence(value, n, channel_index, name):
    """TF's get_sequence: ksize, strides or dilations as n + 2 ints (one value, n spatial values, or all n + 2)."""
    if value is None:
        return [1] * (n + 2)
    if isinstance(value, (list, tuple)):
        value = list(value)
    elif isinstance(value, (int, np.integer)) or not hasattr(value, "__len__"):
        value = [value]
    else:
        value = list(value)
    if len(value) == n + 2:
        return value
    if len(value) == 1:
        value = value * n
    elif len(value) != n:
        raise ValueError(f"{name} should be of length 1, {n} or {n + 2}. Received: {name}={value} of length "
                         f"{len(value)}")
    return [1, 1] + value if channel_index == 1 else [1] + value + [1]


def _conv_attrs(fn_name, op_type, strides, padding, explicit_paddings, data_format, dilations, formats,
                use_cudnn_on_gpu=None):
    """The attrs gen_nn_ops builds, with its checks (lists, allowed strings), before anything is built."""
    for attr, value in (("strides", strides), ("explicit_paddings", explicit_paddings), ("dilations", dilations)):
        if value is not None and not isinstance(value, (list, tuple)):
            raise TypeError(f"Expected list for '{attr}' argument to '{fn_name}' Op, not {value!r}.")
    data_format = data_format or formats[0]
    a = {"strides": [int(s) for s in strides], "padding": padding}
    if use_cudnn_on_gpu is not None:
        a["use_cudnn_on_gpu"] = bool(use_cudnn_on_gpu)
    a["explicit_paddings"] = [int(p) for p in explicit_paddings or []]
    a["data_format"] = data_format
    a["dilations"] = [int(d) for d in (dilations if dilations is not None else [1] * len(strides))]
    return a


def _gen_conv2d(input, filter, strides, padding, explicit_paddings=None, data_format="NHWC", dilations=None,
                use_cudnn_on_gpu=True, name=None):
    a = _conv_attrs("conv2d", "Conv2D", strides, padding, explicit_paddings, data_format, dilations,
                    ("NHWC", "NCHW"), use_cudnn_on_gpu)
    return apply_op("Conv2D", [input, filter], a, name=name)


def conv2d(input, filter=None, strides=None, padding=None, use_cudnn_on_gpu=True, data_format="NHWC",
           dilations=[1, 1, 1, 1], name=None, filters=None):  # noqa: B006 - TF's signature
    """2-D convolution of a 4-D `input` with a [height, width, in, out] `filter` (op Conv2D)."""
    filter = _lookup("filters", filters, "filter", filter)
    padding, explicit = convert_padding(padding)
    data_format = data_format or "NHWC"
    channel_index = 1 if data_format.startswith("NC") else 3
    strides = get_sequence(strides, 2, channel_index, "strides")
    dilations = get_sequence(dilations, 2, channel_index, "dilations")
    ndims = getattr(getattr(input, "shape", None), "ndims", -1)
    if ndims == -1:
        ndims = np.ndim(input)
    if ndims is not None and ndims > 4:
        return _squeeze_batch_dims(input, lambda x: _gen_conv2d(x, filter, strides, padding, explicit, data_format,
                                                                dilations, use_cudnn_on_gpu), 3, name)
    return _gen_conv2d(input, filter, strides, padding, explicit, data_format, dilations, use_cudnn_on_gpu,
                       name=name)


def _squeeze_batch_dims(inp, op_fn, inner_rank, name=None):
    """TF's squeeze_batch_dims: folds the leading batch dims into one, runs op_fn, unfolds them."""
    with name_scope(name, "squeeze_batch_dims", [inp]):
        inp = convert_to_tensor(inp, name="input")
        s = inp.shape
        inner = s[-inner_rank:]
        if not inner.is_fully_defined():
            inner = shape(inp)[-inner_rank:]
        batch = s[:-inner_rank]
        if not batch.is_fully_defined():
            batch = shape(inp)[:-inner_rank]
        if isinstance(inner, TensorShape):
            flat = reshape(inp, [-1] + inner.as_list())
        else:
            flat = reshape(inp, concat(([-1], inner), axis=-1))
        out = op_fn(flat)
        out_inner = out.shape[-inner_rank:]
        if not out_inner.is_fully_defined():
            out_inner = shape(out)[-inner_rank:]
        result = reshape(out, concat((batch, out_inner), axis=-1))
        result.set_shape(inp.shape[:-inner_rank] + result.shape[-inner_rank:])
        return result


def conv2d_backprop_input(input_sizes, filter=None, out_backprop=None, strides=None, padding=None,
                          use_cudnn_on_gpu=True, data_format="NHWC", dilations=[1, 1, 1, 1], name=None,
                          filters=None):  # noqa: B006 - TF's signature
    """The gradient of conv2d with respect to its input (op Conv2DBackpropInput)."""
    filter = _lookup("filters", filters, "filter", filter)
    padding, explicit = convert_padding(padding)
    a = _conv_attrs("conv2d_backprop_input", "Conv2DBackpropInput", strides, padding, explicit, data_format,
                    dilations, ("NHWC", "NCHW"), use_cudnn_on_gpu)
    return apply_op("Conv2DBackpropInput", [input_sizes, filter, out_backprop], a, name=name)


def conv2d_backprop_filter(input, filter_sizes, out_backprop, strides, padding, use_cudnn_on_gpu=True,
                           data_format="NHWC", dilations=[1, 1, 1, 1], name=None):  # noqa: B006 - TF's signature
    """The gradient of conv2d with respect to its filter (op Conv2DBackpropFilter)."""
    padding, explicit = convert_padding(padding)
    a = _conv_attrs("conv2d_backprop_filter", "Conv2DBackpropFilter", strides, padding, explicit, data_format,
                    dilations, ("NHWC", "NCHW"), use_cudnn_on_gpu)
    return apply_op("Conv2DBackpropFilter", [input, filter_sizes, out_backprop], a, name=name)


def conv2d_transpose(value=None, filter=None, output_shape=None, strides=None, padding="SAME", data_format="NHWC",
                     name=None, input=None, filters=None, dilations=None):
    """The transpose of conv2d (a Conv2DBackpropInput of `value` into `output_shape`)."""
    value = _lookup("input", input, "value", value)
    filter = _lookup("filters", filters, "filter", filter)
    with name_scope(name, "conv2d_transpose", [value, filter, output_shape]) as name:
        data_format = data_format or "NHWC"
        channel_index = 1 if data_format.startswith("NC") else 3
        strides = get_sequence(strides, 2, channel_index, "strides")
        dilations = get_sequence(dilations, 2, channel_index, "dilations")
        padding, explicit = convert_padding(padding)
        a = _conv_attrs("conv2d_backprop_input", "Conv2DBackpropInput", strides, padding, explicit, data_format,
                        dilations, ("NHWC", "NCHW"), True)
        return apply_op("Conv2DBackpropInput", [output_shape, filter, value], a, name=name)


def conv1d(value=None, filters=None, stride=None, padding=None, use_cudnn_on_gpu=None, data_format=None, name=None,
           input=None, dilations=None):
    """1-D convolution, built as TF builds it: ExpandDims, Conv2D, Squeeze."""
    value = _lookup("input", input, "value", value)
    with name_scope(name, "conv1d", [value, filters]) as name:
        if data_format is None or data_format in ("NHWC", "NWC"):
            data_format, spatial_start_dim, channel_index = "NHWC", -3, 2
        elif data_format in ("NCHW", "NCW"):
            data_format, spatial_start_dim, channel_index = "NCHW", -2, 1
        else:
            raise ValueError(f"`data_format` must be 'NWC' or 'NCW'. Received: data_format={data_format}")
        strides = [1] + get_sequence(stride, 1, channel_index, "stride")
        dilations = [1] + get_sequence(dilations, 1, channel_index, "dilations")
        value = expand_dims(value, spatial_start_dim)
        filters = expand_dims(filters, 0)
        if value.shape.ndims in (4, 3, 2, 1, 0, None):
            result = _gen_conv2d(value, filters, strides, padding, None, data_format, dilations,
                                 True if use_cudnn_on_gpu is None else use_cudnn_on_gpu, name=name)
        else:
            result = _squeeze_batch_dims(value, lambda x: _gen_conv2d(
                x, filters, strides, padding, None, data_format, dilations,
                True if use_cudnn_on_gpu is None else use_cudnn_on_gpu), 3, name=name)
        return squeeze(result, [spatial_start_dim])


def conv1d_transpose(input, filters, output_shape, strides, padding="SAME", data_format="NWC",  # noqa: A002
                     dilations=None, name=None):
    """The transpose of conv1d, built as TF builds it: ExpandDims, Conv2DBackpropInput, Squeeze."""
    with name_scope(name, "conv1d_transpose", [input, filters, output_shape]) as name:
        if data_format is None or data_format == "NWC":
            data_format, spatial_start_dim, channel_index = "NHWC", 1, 2
        elif data_format == "NCW":
            data_format, spatial_start_dim, channel_index = "NCHW", 2, 1
        else:
            raise ValueError(f"`data_format` must be 'NWC' or 'NCW'. Received: data_format={data_format}")
        strides = [1] + get_sequence(strides, 1, channel_index, "stride")
        dilations = [1] + get_sequence(dilations, 1, channel_index, "dilations")
        input = expand_dims(input, spatial_start_dim)
        filters = expand_dims(filters, 0)
        if not isinstance(output_shape, Tensor):
            output_shape = list(output_shape)
        output_shape = concat([output_shape[:spatial_start_dim], [1], output_shape[spatial_start_dim:]], 0)
        padding, explicit = convert_padding(padding)
        a = _conv_attrs("conv2d_backprop_input", "Conv2DBackpropInput", strides, padding, explicit, data_format,
                        dilations, ("NHWC", "NCHW"), True)
        result = apply_op("Conv2DBackpropInput", [output_shape, filters, input], a, name=name)
        return squeeze(result, [spatial_start_dim])


def conv_transpose(input, filters, output_shape, strides, padding="SAME", data_format=None,  # noqa: A002
                   dilations=None, name=None):
    """conv1d_transpose, conv2d_transpose or conv3d_transpose, by the length of `output_shape`."""
    with name_scope(name, "conv_transpose", [input, filters, output_shape]) as name:
        if isinstance(output_shape, Tensor):
            n = output_shape.shape.as_list()[0] - 2
        elif hasattr(output_shape, "__len__"):
            n = len(output_shape) - 2
        else:
            raise ValueError(f"`output_shape` must be a tensor or sized collection. Received: "
                             f"output_shape={output_shape}")
        if not 1 <= n <= 3:
            raise ValueError(f"`output_shape` must be of length 3, 4 or 5. Received: output_shape={output_shape} of "
                             f"length {n + 2}.")
        transpose = (conv1d_transpose, conv2d_transpose, conv3d_transpose)[n - 1]
        if n == 1:
            return transpose(input, filters, output_shape, strides, padding=padding, data_format=data_format,
                             dilations=dilations, name=name)
        return transpose(input, filters, output_shape, strides, padding=padding,
                         data_format=data_format or ("NHWC" if n == 2 else "NDHWC"), dilations=dilations, name=name)


def atrous_conv2d_transpose(value, filters, output_shape, rate, padding, name=None):
    """The transpose of atrous_conv2d, as TF builds it: SpaceToBatch, a VALID Conv2DBackpropInput, BatchToSpace."""
    with name_scope(name, "atrous_conv2d_transpose", [value, filters, output_shape]) as name:
        value = convert_to_tensor(value, name="value")
        filters = convert_to_tensor(filters, name="filters")
        if not value.shape.dims[3].is_compatible_with(filters.shape[3]):
            raise ValueError(f"`value` channel count must be compatible with `filters` input channel count. "
                             f"Received: value.shape={value.shape} with channel count {value.shape[3]} and "
                             f"filters.shape={filters.shape} with input channel count {filters.shape[3]}.")
        if rate < 1:
            raise ValueError(f"`rate` cannot be less than one. Received: rate={rate}")
        if rate == 1:
            return conv2d_transpose(value, filters, output_shape, strides=[1, 1, 1, 1], padding=padding,
                                    data_format="NHWC")
        shape_tensor = convert_to_tensor(output_shape, name="output_shape")
        if not shape_tensor.shape.is_compatible_with(TensorShape([4])):
            raise ValueError(f"`output_shape` must have shape (4,). Received: output_shape={shape_tensor.shape}")
        if isinstance(output_shape, tuple):
            output_shape = list(output_shape)
        if isinstance(output_shape, (list, np.ndarray)) and \
                not filters.shape.dims[2].is_compatible_with(output_shape[3]):
            raise ValueError(f"`output_shape` channel count must be compatible with `filters` output channel count. "
                             f"Received: output_shape={output_shape} with channel count {output_shape[3]} and "
                             f"filters.shape={filters.shape} with output channel count {filters.shape[3]}.")
        if padding == "SAME":
            k = filters.shape.as_list() if filters.shape.is_fully_defined() else shape(filters)
            pad_h, pad_w = (k[0] + (k[0] - 1) * (rate - 1)) - 1, (k[1] + (k[1] - 1) * (rate - 1)) - 1
            top, left = pad_h // 2, pad_w // 2
            bottom, right = pad_h - top, pad_w - left
        elif padding == "VALID":
            top = bottom = left = right = 0
        else:
            raise ValueError(f"`padding` must be either 'VALID' or 'SAME'. Received: padding={padding}")
        in_h, in_w = output_shape[1] + top + bottom, output_shape[2] + left + right
        extra_h, extra_w = (rate - in_h % rate) % rate, (rate - in_w % rate) % rate
        value = space_to_batch(value, [[0, extra_h], [0, extra_w]], block_size=rate)
        sizes = [rate * rate * output_shape[0], (in_h + extra_h) // rate, (in_w + extra_w) // rate, output_shape[3]]
        value = apply_op("Conv2DBackpropInput", [sizes, filters, value],
                         _conv_attrs("conv2d_backprop_input", "Conv2DBackpropInput", [1, 1, 1, 1], "VALID", [],
                                     "NHWC", [1, 1, 1, 1], ("NHWC", "NCHW"), True))
        return batch_to_space(value, [[top, bottom + extra_h], [left, right + extra_w]], block_size=rate)


_CHANNELS_LAST = frozenset({"NWC", "NHC", "NHWC", "NWHC", "NDHWC", "NDWHC", "NHDWC", "NHWDC", "NWDHC", "NWHDC"})


def convolution(input, filter, padding, strides=None, dilation_rate=None, name=None, data_format=None, filters=None,
                dilations=None):
    """N-D convolution (1-D, 2-D; 3-D once Conv3D exists), TF1's `tf.nn.convolution`."""
    filter = _lookup("filters", filters, "filter", filter)
    dilation_rate = _lookup("dilations", dilations, "dilation_rate", dilation_rate)
    return _convolution_internal(input, filter, strides, padding, data_format, dilation_rate, name)


def _convolution_internal(input, filters, strides, padding, data_format, dilations, name):
    if not isinstance(filters, Tensor):
        with name_scope("convolution_internal", None, [filters, input]):
            filters = convert_to_tensor(filters, name="filters")
    if not isinstance(input, Tensor):
        with name_scope("convolution_internal", None, [filters, input]):
            input = convert_to_tensor(input, name="input")
    filters_rank, inputs_rank = filters.shape.ndims, input.shape.ndims
    if filters_rank:
        num_spatial_dims = filters_rank - 2
    elif inputs_rank:
        num_spatial_dims = inputs_rank - 2
    else:
        raise ValueError(f"When `num_spatial_dims` is not set, one of `input.shape.rank` or `filters.shape.rank` "
                         f"must be known. Received: input.shape={input.shape} of rank {inputs_rank} and "
                         f"filters.shape={filters.shape} of rank {filters_rank}")
    num_batch_dims = inputs_rank - num_spatial_dims - 1 if inputs_rank else 1
    if num_spatial_dims not in (1, 2, 3):
        raise ValueError(f"`num_spatial_dims` must be 1, 2, or 3. Received: num_spatial_dims={num_spatial_dims}.")
    if data_format is None or data_format in _CHANNELS_LAST:
        channel_index = num_batch_dims + num_spatial_dims
    else:
        channel_index = num_batch_dims
    is_dilated = dilations is not None
    dilations = get_sequence(dilations, num_spatial_dims, channel_index, "dilations")
    is_dilated = is_dilated and any(i != 1 for i in dilations)
    strides = get_sequence(strides, num_spatial_dims, channel_index, "strides")
    with name_scope(name, None if name else "convolution", [input, filters]) as name:
        if is_dilated:
            return _dilated_by_space_to_batch(input, filters, strides, padding, data_format, dilations, channel_index,
                                              num_spatial_dims, name)
        if num_spatial_dims == 2:
            if inputs_rank is None or inputs_rank < 5:
                return _gen_conv2d(input, filters, strides, padding, None, data_format, dilations, name=name)
            return _squeeze_batch_dims(input, lambda x: _gen_conv2d(x, filters, strides, padding, None, data_format,
                                                                    dilations), 3, name=name)
        if num_spatial_dims == 1:
            return conv1d(value=input, filters=filters, stride=strides, padding=padding, data_format=data_format,
                          dilations=dilations, name=name)
        a = _attrs_3d(strides, padding, data_format, dilations, "conv3d")
        if inputs_rank is None or inputs_rank < 6:
            return apply_op("Conv3D", [input, filters], a, name=name)
        return _squeeze_batch_dims(input, lambda x: apply_op("Conv3D", [x, filters], a), 4, name=name)


def _dilated_by_space_to_batch(input, filters, strides, padding, data_format, dilations, channel_index, nd, name):
    """A dilated convolution as TF's _WithSpaceToBatch runs it (see _with_space_to_batch)."""
    strides = strides[2:] if channel_index == 1 else strides[1:-1]
    rate = np.array(dilations[2:] if channel_index == 1 else dilations[1:-1])
    if any(s != 1 for s in strides):
        raise ValueError(f"`strides > 1` not supported in conjunction with `dilation_rate > 1`. Received: "
                         f"strides={strides} and dilation_rate={list(rate)}")
    if nd != 2:
        raise NotImplementedError("raygraph: dilated convolutions other than 2-D are not implemented yet")
    return _with_space_to_batch(
        input, filters, rate, padding, channel_index, nd, True,
        lambda moved: _gen_conv2d(moved, filters, [1, 1, 1, 1], "VALID", None, data_format, None, name=name))


def _with_space_to_batch(input, filters, rate, padding, channel_index, nd, filter_shape_const, conv):
    """TF's _WithSpaceToBatch: pads and moves each dilation phase into the batch, runs `conv` undilated (VALID)
    on it, and moves the result back, for static spatial shapes (the paddings and crops are constants).
    `filter_shape_const`: the caller passed the filter's static shape (a "filter_shape" constant for SAME),
    not a Shape op it made itself."""
    start = 2 if channel_index == 1 else 1
    dims = input.shape.as_list() if input.shape.ndims is not None else None
    spatial = None if dims is None else dims[start:start + nd]
    k = filters.shape.as_list()[:nd] if filters.shape.ndims is not None else None
    if spatial is None or None in spatial or k is None or None in k:
        raise NotImplementedError("raygraph: dilated convolution needs static spatial and filter shapes")
    convert_to_tensor(rate.astype(np.int32), name="dilation_rate")
    if padding == "SAME":
        if filter_shape_const:
            convert_to_tensor(np.array(filters.shape.as_list(), np.int32), name="filter_shape")
        extra = (np.array(k) - 1) * rate
        base = np.stack([extra // 2, extra - extra // 2], axis=1).astype(np.int32)
        convert_to_tensor(base, name="stack")
    elif padding == "VALID":
        base = np.zeros([nd, 2], np.int32)
    else:
        raise ValueError(f"`padding` must be one of 'SAME' or 'VALID'. Received: padding={padding}")
    with name_scope(None, "required_space_to_batch_paddings"):
        convert_to_tensor(np.array(spatial, np.int32), name="input_shape")
        if padding != "SAME":
            convert_to_tensor(base, name="base_paddings")
        full = np.array(spatial) + base[:, 0] + base[:, 1]
        end_extra = (rate - full % rate) % rate
        paddings = np.stack([base[:, 0], base[:, 1] + end_extra], axis=1).astype(np.int32)
        crops = np.stack([np.zeros(nd, np.int64), end_extra], axis=1).astype(np.int32)
        convert_to_tensor(paddings, name="paddings")
        convert_to_tensor(crops, name="crops")
    rate32 = rate.astype(np.int32)
    if channel_index == 1:   # the channel dim sits between batch and spatial dims: moved by a block of 1
        rate32 = np.concatenate([[1], rate32]).astype(np.int32)
        paddings, crops = (np.concatenate([np.zeros((1, 2), np.int32), v]) for v in (paddings, crops))
    moved = apply_op("SpaceToBatchND", [input, rate32, paddings], {})
    result = apply_op("BatchToSpaceND", [conv(moved), rate32, crops], {})
    if channel_index == 1 and result.shape.ndims is not None and result.shape.dims[1].value is None:
        result.set_shape(result.shape.as_list()[:1] + [filters.shape.as_list()[-1]] + result.shape.as_list()[2:])
    return result


def atrous_conv2d(value, filters, rate, padding, name=None):
    """Dilated 2-D convolution: `convolution` with dilation_rate [rate, rate]."""
    return convolution(input=value, filter=filters, padding=padding, dilation_rate=np.broadcast_to(rate, (2,)),
                       name=name)


# ----- DepthwiseConv2dNative and its backprops: a loop over the window's offsets, each one broadcast product -------
def _depthwise_geometry(x_shape, w_shape, a, label):
    if x_shape[-1] != w_shape[2]:
        raise _error(f"{label}input and filter must have the same depth: {x_shape[-1]} vs {w_shape[2]}")
    flat = tuple(w_shape[:2]) + (1, w_shape[2] * w_shape[3])   # as a convolution with one group per channel
    return _Geometry(x_shape, flat, a, 2, label)


def _depthwise_slices(geo):
    for offset in product(*[range(k) for k in geo.k]):
        yield offset, (slice(None),) + tuple(slice(i * d, i * d + s * (o - 1) + 1, s) for i, d, s, o in
                                             zip(offset, geo.dil, geo.strides, geo.out))


def _depthwise_compiled(loop, batched, other, geo, out_shape, join=None):
    """loop(*batched, *other, strides, dilations, padding before, out) over shares of the batch (intra_op) into a
    zeroed `out_shape` (per share, added up by `join`, where given: the filter's gradient), where the arrays are
    float32 or float64 and large enough (compiled.COMPILED), else None (the filter goes as [k1, k2, c * m]). As
    numpy's calls, one window offset at a time over the whole batch, MobileNet's 3x3 over [32, 56, 56, 64] took 60
    ms forward, 41 and 32 for its gradients; compiled 7.4, 8.1 and 7.1 on one thread, 3.9, 4.2 and 3.7 on two (TF
    3.0, 3.6, 3.5)."""
    dt = batched[0].dtype
    if dt not in (np.float32, np.float64) or batched[0].size < compiled.COMPILED or geo.nd != 2:
        return None
    batched = [np.ascontiguousarray(a, dt) for a in batched]
    other = [np.ascontiguousarray(a, dt).reshape(a.shape[:2] + (-1,)) for a in other]
    attrs = (tuple(geo.strides), tuple(geo.dil), tuple(lo for lo, _ in geo.pads))
    whole = None if join else np.zeros(out_shape, dt)

    def share(lo, hi):
        part = np.zeros(out_shape, dt) if join else whole[lo:hi]
        loop(*[a[lo:hi] for a in batched], *other, *attrs, part.reshape(part.shape[:2] + (-1,)) if join else part)
        return part
    parts = intra_op.shares(share, geo.n, geo.work)
    return join(parts) if join else whole


def _depthwise_forward(x, w, geo):
    dt = _work_dtype(x.dtype)
    y = _depthwise_compiled(compiled.loops().depthwise_forward, [x.astype(dt, copy=False)], [w.astype(dt, copy=False)],
                            geo, (geo.n,) + geo.out + (geo.o,))
    if y is not None:
        return y
    xp, w = geo.padded(x.astype(dt, copy=False)), w.astype(dt, copy=False)
    out = np.zeros((geo.n,) + geo.out + w.shape[2:], dt)
    if 0 not in geo.out:
        for offset, where in _depthwise_slices(geo):
            out += xp[where][..., None] * w[offset]
    return out.reshape((geo.n,) + geo.out + (geo.o,))


def _depthwise_backprop_input(w, dy, geo):
    dt = _work_dtype(dy.dtype)
    dx = _depthwise_compiled(compiled.loops().depthwise_backprop_input, [dy.astype(dt, copy=False)],
                             [w.astype(dt, copy=False)], geo, (geo.n,) + geo.spatial + (geo.c,))
    if dx is not None:
        return dx
    w = w.astype(dt, copy=False)
    dy = dy.astype(dt, copy=False).reshape((geo.n,) + geo.out + w.shape[2:])
    size = [n + lo + hi for n, (lo, hi) in zip(geo.spatial, geo.pads)]
    dxp = np.zeros([geo.n] + size + [geo.c], dt)
    if 0 not in geo.out:
        for offset, where in _depthwise_slices(geo):
            dxp[where] += np.einsum("...cm,cm->...c", dy, w[offset])
    return dxp[(slice(None),) + tuple(slice(lo, lo + n) for (lo, _), n in zip(geo.pads, geo.spatial))]


def _depthwise_backprop_filter(x, dy, geo, w_shape):
    dt = _work_dtype(x.dtype)
    dw = _depthwise_compiled(compiled.loops().depthwise_backprop_filter,
                             [x.astype(dt, copy=False), dy.astype(dt, copy=False)], [], geo, tuple(w_shape), _summed)
    if dw is not None:
        return dw
    xp = geo.padded(x.astype(dt, copy=False))
    dy = dy.astype(dt, copy=False).reshape((geo.n,) + geo.out + tuple(w_shape[2:]))
    dw = np.zeros(tuple(w_shape), dt)
    if 0 not in geo.out:
        for offset, where in _depthwise_slices(geo):
            dw[offset] = np.einsum("nhwc,nhwcm->cm", xp[where], dy)
    return dw


def _depthwise_kernel(a, x, w):
    _check_run(a, 2, {"input": x.shape, "filter": w.shape})
    xl = _channels_last(x, a, 2)
    geo = _depthwise_geometry(xl.shape, w.shape, a, "")
    return _result(_channels_back(_depthwise_forward(xl, w, geo), a, 2), x.dtype)


def _depthwise_input_kernel(a, input_sizes, w, dy):
    label = "DepthwiseConv2dNativeBackpropInput"
    _check_run(a, 2, {"filter": w.shape, "out_backprop": dy.shape})
    sizes = _as_channels_last([int(v) for v in np.ravel(input_sizes)], a, 2)
    dyl = _channels_last(dy, a, 2)
    geo = _depthwise_geometry(sizes, w.shape, a, label + ": ")
    _check_backprop(geo, dyl.shape, label)
    return _result(_channels_back(_depthwise_backprop_input(w, dyl, geo), a, 2), dy.dtype)


def _depthwise_filter_kernel(a, x, filter_sizes, dy):
    label = "DepthwiseConv2dNativeBackpropFilter"
    _check_run(a, 2, {"input": x.shape, "out_backprop": dy.shape})
    f = [int(v) for v in np.ravel(filter_sizes)]
    xl, dyl = _channels_last(x, a, 2), _channels_last(dy, a, 2)
    geo = _depthwise_geometry(xl.shape, f, a, label + ": ")
    _check_backprop(geo, dyl.shape, label)
    return _result(_depthwise_backprop_filter(xl, dyl, geo, f), x.dtype)


def _depthwise_shape(inputs, a):
    x, w = inputs
    xd, wd = with_rank(x, 4), with_rank(w, 4)
    _check_attrs_shape(a, 2, "DepthwiseConv2dNative")
    fmt = a.get("data_format", "NHWC")
    batch, spatial, depth = _split_layout(xd, fmt)
    _merge_dim(depth, wd[2])
    depth = depth if depth is not None else wd[2]
    out = _spatial_out(spatial, wd[:2], a, 2)
    o = None if depth is None or wd[3] is None else depth * wd[3]
    return x.dtype.base_dtype, _raw(_layout(fmt, batch, out, o))


def _depthwise_grad(op_, g):
    x, w = op_.inputs
    a = _same_attrs(op_)
    return [apply_op("DepthwiseConv2dNativeBackpropInput", [shape(x), w, g], dict(a)),
            apply_op("DepthwiseConv2dNativeBackpropFilter", [x, shape(w), g], dict(a))]


_depthwise_input_grad, _depthwise_filter_grad = _backprop_grads(
    "DepthwiseConv2dNative", "DepthwiseConv2dNativeBackpropInput", "DepthwiseConv2dNativeBackpropFilter")


def _sizes_shape(nd, op_type):
    """The shape `input_sizes` holds (the shape functions of TF's depthwise and 3-D input backprops)."""
    def shape_fn(inputs, a):
        sizes, w, dy = inputs
        with_rank(sizes, 1)
        with_rank(w, nd + 2)
        with_rank(dy, nd + 2)
        _check_attrs_shape(a, nd, op_type)
        out = constant_value_as_shape(sizes)
        if out._dims is None:
            return dy.dtype.base_dtype, unknown_shape(nd + 2)
        if len(out._dims) != nd + 2:
            raise ValueError(f"Shape must be rank {nd + 2} but is rank {len(out._dims)}")
        return dy.dtype.base_dtype, out
    return shape_fn


op("DepthwiseConv2dNative", "input:T, filter:T", kernel=_depthwise_kernel, shape=_depthwise_shape,
   grad=_depthwise_grad, T=FLOAT_T, choices=_CHOICES_2D)
op("DepthwiseConv2dNativeBackpropInput", "input_sizes:int32, filter:T, out_backprop:T",
   kernel=_depthwise_input_kernel, shape=_sizes_shape(2, "DepthwiseConv2dNativeBackpropInput"),
   grad=_depthwise_input_grad, T=FLOAT_T, choices=_CHOICES_2D)
op("DepthwiseConv2dNativeBackpropFilter", "input:T, filter_sizes:int32, out_backprop:T",
   kernel=_depthwise_filter_kernel, shape=_backprop_filter_shape(2, "DepthwiseConv2dNativeBackpropFilter"),
   grad=_depthwise_filter_grad, T=FLOAT_T, choices=_CHOICES_2D)


def depthwise_conv2d_native(input, filter, strides, padding, data_format="NHWC", dilations=[1, 1, 1, 1],  # noqa: B006
                            name=None):
    """Each input channel convolved with its own `channel_multiplier` filters (op DepthwiseConv2dNative)."""
    padding, explicit = convert_padding(padding)
    a = _conv_attrs("depthwise_conv2d_native", "DepthwiseConv2dNative", strides, padding, explicit, data_format,
                    dilations, ("NHWC", "NCHW"))
    return apply_op("DepthwiseConv2dNative", [input, filter], a, name=name)


def depthwise_conv2d_native_backprop_input(input_sizes, filter, out_backprop, strides, padding,  # noqa: A002
                                           data_format="NHWC", dilations=[1, 1, 1, 1], name=None):  # noqa: B006
    padding, explicit = convert_padding(padding)
    a = _conv_attrs("depthwise_conv2d_native_backprop_input", "DepthwiseConv2dNativeBackpropInput", strides,
                    padding, explicit, data_format, dilations, ("NHWC", "NCHW"))
    return apply_op("DepthwiseConv2dNativeBackpropInput", [input_sizes, filter, out_backprop], a, name=name)


def depthwise_conv2d_native_backprop_filter(input, filter_sizes, out_backprop, strides, padding,  # noqa: A002
                                            data_format="NHWC", dilations=[1, 1, 1, 1], name=None):  # noqa: B006
    padding, explicit = convert_padding(padding)
    a = _conv_attrs("depthwise_conv2d_native_backprop_filter", "DepthwiseConv2dNativeBackpropFilter", strides,
                    padding, explicit, data_format, dilations, ("NHWC", "NCHW"))
    return apply_op("DepthwiseConv2dNativeBackpropFilter", [input, filter_sizes, out_backprop], a, name=name)


def _depthwise_by_space_to_batch(input, filter, strides, padding, rate, data_format, name):  # noqa: A002
    """TF's depthwise_conv2d body: with_space_to_batch over depthwise_conv2d_native, the filter's shape as a
    Shape op; a dilation rate of 1 runs the op directly (after the constants TF makes anyway)."""
    rate = [1, 1] if rate is None else [int(r) for r in np.broadcast_to(rate, (2,))]
    if any(r > 1 for r in rate) and any(s != 1 for s in strides):
        warnings.warn(f"When dilation rate is greater than 1, then all values of strides must be 1. Received: "
                      f"`dilation rate` {rate} and `strides` {strides}")
    shape(filter)
    data_format = data_format or "NHWC"
    if all(r == 1 for r in rate):
        convert_to_tensor(np.array(rate, np.int32), name="dilation_rate")
        return depthwise_conv2d_native(input, filter, strides, padding, data_format, name=name)
    if any(r < 1 for r in rate):
        convert_to_tensor(np.array(rate, np.int32), name="dilation_rate")
        raise ValueError(f"`dilation_rate` must be positive. Received: dilation_rate={np.array(rate)}")
    return _with_space_to_batch(
        input, filter, np.array(rate), padding, 1 if data_format == "NCHW" else 3, 2, False,
        lambda moved: depthwise_conv2d_native(moved, filter, strides, "VALID", data_format, name=name))


def depthwise_conv2d(input, filter, strides, padding, rate=None, name=None, data_format=None,  # noqa: A002
                     dilations=None):
    """`depthwise_conv2d_native` under a `depthwise` name scope, dilated by space-to-batch as TF does."""
    rate = _lookup("dilations", dilations, "rate", rate)
    with name_scope(name, "depthwise", [input, filter]) as name:
        input = convert_to_tensor(input, name="tensor_in")
        filter = convert_to_tensor(filter, name="filter_in")
        return _depthwise_by_space_to_batch(input, filter, strides, padding, rate, data_format, name)


def separable_conv2d(input, depthwise_filter, pointwise_filter, strides, padding, rate=None, name=None,  # noqa: A002
                     data_format=None, dilations=None):
    """A depthwise convolution (dilated by space-to-batch as TF does) followed by a 1x1 (pointwise) one."""
    rate = _lookup("dilations", dilations, "rate", rate)
    with name_scope(name, "separable_conv2d", [input, depthwise_filter, pointwise_filter]) as name:
        input = convert_to_tensor(input, name="tensor_in")
        depthwise_filter = convert_to_tensor(depthwise_filter, name="depthwise_filter")
        pointwise_filter = convert_to_tensor(pointwise_filter, name="pointwise_filter")
        pointwise_filter.shape.with_rank(4)
        depthwise = _depthwise_by_space_to_batch(input, depthwise_filter, strides, padding, rate, data_format,
                                                 "depthwise")
        return _gen_conv2d(depthwise, pointwise_filter, [1, 1, 1, 1], "VALID", None, data_format or "NHWC", None,
                           name=name)


# ----- Conv3D and its backprops (V2: input_sizes of any int type); the kernels are the N-D im2col ones ----------
def _attrs_3d(strides, padding, data_format, dilations, fn_name):
    for attr, value in (("strides", strides), ("dilations", dilations)):
        if value is not None and not isinstance(value, (list, tuple)):
            raise TypeError(f"Expected list for '{attr}' argument to '{fn_name}' Op, not {value!r}.")
    return {"strides": [int(s) for s in strides], "padding": padding, "data_format": data_format or "NDHWC",
            "dilations": [int(d) for d in (dilations if dilations is not None else [1] * 5)]}


_conv3d_grad = _forward_grad("Conv3DBackpropInputV2", "Conv3DBackpropFilterV2")
_conv3d_input_grad, _conv3d_filter_grad = _backprop_grads("Conv3D", "Conv3DBackpropInputV2", "Conv3DBackpropFilterV2",
                                                          input_drops=("Tshape",))


_CHOICES_3D = {"padding": ("SAME", "VALID"), "data_format": ("NDHWC", "NCDHW")}
op("Conv3D", "input:T, filter:T", kernel=_conv_kernel(3), shape=_conv_shape(3, "Conv3D"), grad=_conv3d_grad,
   T=FLOAT_T, choices=_CHOICES_3D, fresh=True)
op("Conv3DBackpropInputV2", "input_sizes:Tshape=int32, filter:T, out_backprop:T",
   kernel=_backprop_input_kernel(3, "Conv3DBackpropInputOp"), shape=_sizes_shape(3, "Conv3DBackpropInputV2"),
   grad=_conv3d_input_grad, T=FLOAT_T, Tshape="int32 int64", choices=_CHOICES_3D, fresh=True)
op("Conv3DBackpropFilterV2", "input:T, filter_sizes:int32, out_backprop:T",
   kernel=_backprop_filter_kernel(3, "Conv3DBackpropFilterOp"),
   shape=_backprop_filter_shape(3, "Conv3DBackpropFilterV2"), grad=_conv3d_filter_grad, T=FLOAT_T,
   choices=_CHOICES_3D)


def conv3d(input, filter=None, strides=None, padding=None, data_format="NDHWC",  # noqa: A002
           dilations=[1, 1, 1, 1, 1], name=None, filters=None):  # noqa: B006 - TF's signature
    """3-D convolution of a 5-D `input` with a [depth, height, width, in, out] filter (op Conv3D)."""
    filter = _lookup("filters", filters, "filter", filter)
    return apply_op("Conv3D", [input, filter], _attrs_3d(strides, padding, data_format, dilations, "conv3d"),
                    name=name)


def conv3d_backprop_filter_v2(input, filter_sizes, out_backprop, strides, padding, data_format="NDHWC",  # noqa: A002
                              dilations=[1, 1, 1, 1, 1], name=None):  # noqa: B006
    """The gradient of conv3d with respect to its filter (op Conv3DBackpropFilterV2)."""
    return apply_op("Conv3DBackpropFilterV2", [input, filter_sizes, out_backprop],
                    _attrs_3d(strides, padding, data_format, dilations, "conv3d_backprop_filter_v2"), name=name)


def conv3d_transpose(value=None, filter=None, output_shape=None, strides=None, padding="SAME",  # noqa: A002
                     data_format="NDHWC", name=None, input=None, filters=None, dilations=None):
    """The transpose of conv3d (a Conv3DBackpropInputV2 of `value` into `output_shape`)."""
    value = _lookup("input", input, "value", value)
    filter = _lookup("filters", filters, "filter", filter)
    with name_scope(name, "conv3d_transpose", [value, filter, output_shape]) as name:
        data_format = data_format or "NDHWC"
        channel_index = 1 if data_format.startswith("NC") else 4
        strides = get_sequence(strides, 3, channel_index, "strides")
        dilations = get_sequence(dilations, 3, channel_index, "dilations")
        return apply_op("Conv3DBackpropInputV2", [output_shape, filter, value],
                        _attrs_3d(strides, padding, data_format, dilations, "conv3d_backprop_input_v2"), name=name)

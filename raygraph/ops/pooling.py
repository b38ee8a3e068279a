"""Pooling ops (`tf.nn.max_pool`, `avg_pool`, their 1-D and 3-D forms, `pool`, `max_pool_with_argmax`) and
their gradient ops.

Every kernel pools over every axis of its input: `ksize` and `strides` hold one entry per axis, so NHWC, NCHW
and 3-D inputs share one machinery and differ only in their shape functions. A window's cells are visited in
row-major order (TF's scan order), so a gradient goes to the first maximum of its window, as in TF.
"""
import collections
import math

import numpy as np

from scheduler import intra_op

from .. import dtypes
from ..convert import convert_to_tensor
from ..default_graph import name_scope
from ..errors import InvalidArgumentError, UnimplementedError
from ..shape import TensorShape
from . import compiled, derived
from .array import expand_dims, shape, squeeze, stop_gradient
from .conv import convert_padding, get_sequence
from .filling import zeros_like
from .registry import NO_GRADIENT_DEFINED, Remap, apply_op, make_int, op
from .shape_fns import BareShapeError, constant_value_as_shape, with_rank

_raw = TensorShape._raw

# data_format -> (spatial axes, channel axis)
_LAYOUT = {"NHWC": ((1, 2), 3), "NCHW": ((2, 3), 1), "NCHW_VECT_C": ((2, 3), 1),
           "NDHWC": ((1, 2, 3), 4), "NCDHW": ((2, 3, 4), 1)}
_2D, _3D = ("NHWC", "NCHW"), ("NDHWC", "NCDHW")
_SV, _SVE = ("SAME", "VALID"), ("SAME", "VALID", "EXPLICIT")
# op type -> (rank, allowed data formats (None: the op has no data_format attr, NHWC), allowed paddings)
_ATTRS = {"MaxPool": (4, _2D + ("NCHW_VECT_C",), _SVE), "MaxPoolGrad": (4, _2D, _SVE),
          "MaxPoolGradGrad": (4, _2D, _SV), "AvgPool": (4, _2D, _SV), "AvgPoolGrad": (4, _2D, _SV),
          "MaxPoolWithArgmax": (4, None, _SV), "MaxPoolGradWithArgmax": (4, None, _SV)}
_ATTRS.update({t: (5, _3D, _SV) for t in ("MaxPool3D", "AvgPool3D", "MaxPool3DGrad", "AvgPool3DGrad",
                                          "MaxPool3DGradGrad")})

MAX_T = "float16 bfloat16 float32 float64 int32 int64 uint8 int16 int8 uint16 qint8"
GRAD_T = "float32 float64 int32 uint8 int16 int8 int64 bfloat16 uint16 float16 uint32 uint64"
AVG_T = "float16 bfloat16 float32 float64"
POOL3D_T = "float16 bfloat16 float32"


# ----- geometry: padding, output sizes, window offsets ------------------------------------------------------
Geometry = collections.namedtuple("Geometry", "ksize strides pads out")


def _trunc_div(a, b):
    return -(-a // b) if a < 0 else a // b  # C++ integer division, as TF's GetWindowedOutputSize


def _pads(shape, ksize, strides, padding, explicit):
    if padding == "EXPLICIT":
        return [(explicit[2 * i], explicit[2 * i + 1]) for i in range(len(shape))]
    if padding == "VALID":
        return [(0, 0)] * len(shape)
    out = []
    for n, k, s in zip(shape, ksize, strides):
        total = max((-(-n // s) - 1) * s + k - n, 0)
        out.append((total // 2, total - total // 2))
    return out


def _geometry(op_type, a, shape):
    """The window geometry of a kernel's input, with TF's run-time errors."""
    rank = _ATTRS[op_type][0]
    if len(shape) != rank:
        raise InvalidArgumentError(None, None, f"tensor_in must be {rank}-dimensional")
    k, s = list(a["ksize"]), list(a["strides"])
    if k[0] != 1 or s[0] != 1:
        raise UnimplementedError(None, None, "Pooling is not yet supported on the batch dimension.")
    channel = _LAYOUT[a.get("data_format", "NHWC")][1]
    if (k[channel] != 1 or s[channel] != 1) and op_type in ("MaxPool", "MaxPoolGrad", "MaxPoolGradGrad"):
        _check_depthwise(k, s, shape[channel], channel)
    elif k[channel] != 1 or s[channel] != 1:
        raise UnimplementedError(None, None, "Non-spatial pooling is not yet supported.")
    pads = _pads(shape, k, s, a["padding"], a.get("explicit_paddings"))
    out = []
    for n, kk, ss, (b, e) in zip(shape, k, s, pads):
        size = (n + ss - 1) // ss if a["padding"] == "SAME" else _trunc_div(n + b + e - kk + ss, ss)
        if size < 0:
            raise InvalidArgumentError(None, None, f"Computed output size would be negative: {size} [input_size: "
                                                   f"{n}, effective_filter_size: {kk}, stride: {ss}]")
        out.append(size)
    return Geometry(k, s, pads, tuple(out))


def _check_depthwise(k, s, depth, channel):
    if any(k[i] != 1 for i in range(1, len(k)) if i != channel):
        raise UnimplementedError(None, None, "MaxPooling supports exactly one of pooling across depth or pooling "
                                             "across width/height.")
    if depth % k[channel]:
        raise UnimplementedError(None, None, "Depthwise max pooling requires the depth window to evenly divide "
                                             "the input depth.")
    if k[channel] != s[channel]:
        raise UnimplementedError(None, None, "Depthwise max pooling requires the depth window to equal the depth "
                                             "stride.")


def _offsets(g):
    """For each window offset, in row-major (TF's scan) order: the slice of the padded input it covers at every
    output position. The output is not empty (a slice's positions are distinct, so `+=` through it is safe)."""
    for off in np.ndindex(*g.ksize):
        yield tuple(slice(o, o + s * (n - 1) + 1, s) for o, s, n in zip(off, g.strides, g.out))


def _padded(x, pads, fill):
    if not any(b or e for b, e in pads):
        return x
    return np.pad(x, pads, constant_values=fill)


def _cropped(xp, pads):
    return xp[tuple(slice(b, xp.shape[i] - e) for i, (b, e) in enumerate(pads))]


def _lowest(dtype):
    return -np.inf if dtype.kind == "f" else np.iinfo(dtype).min


# Reducing over the window offsets (a strided slice of the padded input each) is 3-6x faster than reducing
# over the window axes of numpy's sliding_window_view, whose inner loops run over the few cells of a window.
def _window_reduce(xp, g, combine):
    """The window cells combined in TF's scan order (`g` None: `xp` already holds them per window offset)."""
    out = None
    for cells in (xp if g is None else (xp[sl] for sl in _offsets(g))):
        out = cells.copy() if out is None else combine(out, cells, out=out)
    return out


def _first_hits(hits):
    """`hits` (per window offset in order: where its cell equals its window's maximum) narrowed, in place, to
    each window's first hit. A window whose maximum is NaN has none (MaxPoolGradGrad's first cell equal to it)."""
    taken = hits[0].copy()
    for hit in hits[1:]:
        np.greater(hit, taken, out=hit)   # a hit not taken yet
        taken |= hit
    return hits


def _taken(cells, real):
    """TF's scan of each window for its maximum (SpatialMaxPoolWithArgMaxHelper, behind MaxPoolGrad and
    MaxPoolWithArgmax): its first cell of the input (not of padding) is taken, then each later cell greater
    than the one taken, so ties go to the first, and a NaN is taken only as the first (and then stays).
    `cells` and `real` per window offset in order: the cells, and where they are the input's (`real` None:
    everywhere). -> the offset taken per window, and its value."""
    arg = np.where(real[0], 0, -1) if real is not None else np.zeros(cells[0].shape, np.intp)
    best = cells[0].copy()
    for j in range(1, len(cells)):
        take = np.greater(cells[j], best)
        if real is not None:
            take |= arg < 0
            take &= real[j]
        np.copyto(best, cells[j], where=take)
        np.copyto(arg, j, where=take)
    return arg, best


def _taken_hits(x, g, cells, at):
    """Per window offset in order (`cells`: its cells of the padded input, padding the lowest value; `at(a)`: the
    same cells of another array `a` of the padded input's shape), where it holds the cell its window takes
    (_taken), and the windows' taken values. Where no window holds a NaN, nor a maximum that padding equals (the
    lowest value), that is the first cell equal to the window's maximum, found in a few whole-array passes; the
    others scan (_taken, ~15x slower)."""
    best = _window_reduce(cells, None, np.maximum)
    padding = any(b or e for b, e in g.pads)
    if not (best.dtype.kind in "fc" and np.isnan(best).any() or padding and (best == _lowest(x.dtype)).any()):
        return _first_hits([np.equal(c, best) for c in cells]), best
    real = _padded(np.ones(x.shape, bool), g.pads, False) if padding else None
    arg, best = _taken(cells, None if real is None else at(real))
    return [arg == j for j in range(len(cells))], best


# Gradients of windows that do not overlap (2x2/2, ...; each cell in at most one window) take another path:
# the cells at each window offset are gathered into one contiguous plane, comparisons and products run over
# whole planes, and the results are scattered back. An op over a strided slice runs its inner loop along the
# cells after the last pooled axis only (NHWC: a pixel's C channels; 16 are ~3x slower per element than long
# rows); the copies move each such run of cells as one opaque item, so they are not slowed by it.
def _disjoint(g):
    return all(k <= s for k, s in zip(g.ksize, g.strides))


def _last_pooled(g):
    return max((a for a, (k, s) in enumerate(zip(g.ksize, g.strides)) if (k, s) != (1, 1)), default=0)


def _runs(a, axis):
    """C-contiguous `a` viewed with the run of cells after `axis` as one opaque item (writes go to `a`)."""
    lead = a.shape[:axis + 1]
    run = np.dtype((np.void, a.size // math.prod(lead) * a.itemsize))
    return a.reshape(lead + (-1,)).view(run).reshape(lead)


def _planes(xp, g):
    """The cells at each window offset, in TF's row-major scan order: shape (window cells,) + output shape."""
    last = _last_pooled(g)
    planes = np.empty((math.prod(g.ksize),) + g.out, xp.dtype)
    src, dst = _runs(np.ascontiguousarray(xp), last), _runs(planes, last + 1)
    for i, sl in enumerate(_offsets(g)):
        dst[i] = src[sl[:last + 1]]
    return planes


def _scattered(planes, g, shape, dtype):
    """The inverse of _planes for disjoint windows: an array of `shape` with each (contiguous) plane's values
    at the cells they came from, zero at cells no window covers."""
    last = _last_pooled(g)
    tiled = all(k == s and n == o * k for n, k, s, o in zip(shape, g.ksize, g.strides, g.out))
    out = (np.empty if tiled else np.zeros)(shape, dtype)
    dst = _runs(out, last)
    for plane, sl in zip(planes, _offsets(g)):
        dst[sl[:last + 1]] = _runs(plane, last)
    return out


# The forward pools are separable (a maximum or a sum): the pooled axes are reduced one at a time. An axis after which the cells
# run long (in NHWC the rows: W*C cells) is reduced over strided views of those rows; an axis with a short
# run (W, whose runs are a pixel's C channels) is reduced at every position at once, over the flattened array
# shifted by one run (a single long loop; positions whose windows would wrap are never used), and all such
# axes are subsampled together at the end.
_LONG_RUN = 256


def _pooled(xp, g, combine):
    pooled = [a for a, (k, s) in enumerate(zip(g.ksize, g.strides)) if (k, s) != (1, 1)]
    short = [a for a in pooled if math.prod(xp.shape[a + 1:]) < _LONG_RUN]
    out = xp
    for axis in pooled:
        if axis not in short:
            out = _rows_combined(out, axis, g, combine)
    out = np.ascontiguousarray(out)
    for axis in short:
        out = _shifted_combined(out, axis, g.ksize[axis], combine)
    if not short:
        return out if out is not xp else out.copy()
    last = short[-1]
    pooled_out = np.empty(g.out, xp.dtype)
    starts = tuple(slice(0, g.strides[a] * (g.out[a] - 1) + 1, g.strides[a]) if a in short else slice(None)
                   for a in range(last + 1))
    np.copyto(_runs(pooled_out, last), _runs(out, last)[starts])
    return pooled_out


def _rows_combined(a, axis, g, combine):
    k, s, o = g.ksize[axis], g.strides[axis], g.out[axis]
    rows = [a[(slice(None),) * axis + (slice(i, i + s * (o - 1) + 1, s),)] for i in range(k)]
    return _window_reduce(rows, None, combine)


def _shifted_combined(a, axis, k, combine):
    """At each position along `axis`, the k cells from it on combined (`a`: a contiguous array)."""
    if k == 1:
        return a
    run = math.prod(a.shape[axis + 1:])
    flat, out = a.reshape(-1), np.empty(a.size, a.dtype)
    n = a.size - (k - 1) * run
    combine(flat[:n], flat[run:run + n], out=out[:n])
    for i in range(2, k):
        combine(out[:n], flat[i * run:i * run + n], out=out[:n])
    out[n:] = flat[n:]   # positions whose windows wrap into the next row: never used
    return out.reshape(a.shape)


def _counts(shape, g):
    """How many input (not padding) cells each window covers: a product of per-axis counts."""
    count = np.ones((), np.int64)
    for axis, (n, k, s, (b, _), o) in enumerate(zip(shape, g.ksize, g.strides, g.pads, g.out)):
        start = np.arange(o) * s - b
        per_axis = np.minimum(start + k, n) - np.maximum(start, 0)
        count = count * per_axis.reshape((-1,) + (1,) * (len(shape) - axis - 1))
    return count


def _accumulator(dtype):
    return np.float32 if dtype == np.float16 else dtype


# ----- kernels ----------------------------------------------------------------------------------------------
def _max_pool_kernel(op_type):
    def kernel(a, x):
        g = _geometry(op_type, a, x.shape)
        if 0 in g.out or x.size == 0:
            return np.zeros(g.out, x.dtype)
        # NHWC's 2x2 windows of stride 2 inside the input: one loop (second machine, alone: [64, 28, 28, 16] 155 ->
        # 51 us, [32, 32, 32, 64] 384 -> 106; in cnn_train's traced steps 244-402 -> 78-230, [64, 14, 14, 32]
        # 120-193 -> 45-58)
        if (x.dtype in _COMPILED_T and x.size >= compiled.COMPILED and g.ksize == g.strides == [1, 2, 2, 1]
                and all(p == (0, 0) for p in g.pads)):
            x, out, taken = np.ascontiguousarray(x), np.empty(g.out, x.dtype), np.empty(g.out, np.int8)
            work = intra_op.MIN_WORK if x.size * 4 >= _SPLIT_CELLS else 0   # (see _SPLIT_CELLS)
            intra_op.shares(lambda lo, hi: compiled.loops().max_pool_2x2_and_taken(x[lo:hi], out[lo:hi], taken[lo:hi]),
                            x.shape[0], work)
            if _tiled(x.shape, g):   # (kept for MaxPoolGrad over the same array: _compiled_grad)
                derived.keep(x, _TAKEN, taken)
            return out
        if (x.dtype in _COMPILED_T and x.size >= compiled.COMPILED and _inner_windows(x.ndim, g)
                and x.shape[3] >= _POOL_DEPTH):   # (NHWC's windows: _compiled_pool)
            return _compiled_pool(x, g)
        return _pooled(_padded(x, g.pads, _lowest(x.dtype)), g, np.maximum)
    return kernel


# MaxPool's compiled loop takes a pixel's channels at a time: from this many on, it beats numpy's two strided passes
# (alone, AlexNet's 3x3 windows of stride 2 over [16, 56, 56, 64] 1.16-1.33 -> 1.00-1.20 ms, split over two
# threads 0.56-0.75; over [16, 27, 27, 192] 0.55-0.62 -> 0.38-0.43; with 16 channels, [64, 28, 28, 16], 0.22 ->
# 0.69: the channels fill one vector)
_POOL_DEPTH = 32


def _compiled_pool(x, g):
    """MaxPool's windows over NHWC's rows and columns as one compiled loop (kernel_loops.max_pool), its batch shared
    over the intra-op threads from _SPLIT_CELLS window cells."""
    x, out = np.ascontiguousarray(x), np.empty(g.out, x.dtype)
    geometry = _loop_geometry(g) + (x.dtype.type(-np.inf),)
    work = intra_op.MIN_WORK if out.size * math.prod(g.ksize) >= _SPLIT_CELLS else 0
    intra_op.shares(lambda lo, hi: compiled.loops().max_pool(x[lo:hi], *geometry, out[lo:hi]), x.shape[0], work)
    return out


def _avg_pool_kernel(op_type):
    def kernel(a, x):
        g = _geometry(op_type, a, x.shape)
        if 0 in g.out or x.size == 0:
            return np.zeros(g.out, x.dtype)
        if x.dtype in _COMPILED_T and x.size >= compiled.COMPILED and _inner_windows(x.ndim, g):
            x, out = np.ascontiguousarray(x), np.empty(g.out, x.dtype)
            geometry = _loop_geometry(g)
            work = intra_op.MIN_WORK if out.size * math.prod(g.ksize) >= _SPLIT_CELLS else 0
            intra_op.shares(lambda lo, hi: compiled.loops().avg_pool(x[lo:hi], *geometry, out[lo:hi]), x.shape[0], work)
            return out
        xp = _padded(x.astype(_accumulator(x.dtype), copy=False), g.pads, 0)
        return (_pooled(xp, g, np.add) / _counts(x.shape, g)).astype(x.dtype, copy=False)
    return kernel


def _inner_windows(ndim, g):
    """Whether a 4-D array's windows span its two inner axes of three (NHWC's rows and columns): the compiled
    loops' (kernel_loops' max_pool, max_pool_grad, avg_pool, avg_pool_grad)."""
    return ndim == 4 and all(g.ksize[a] == g.strides[a] == 1 and g.pads[a] == (0, 0) for a in (0, 3))


def _loop_geometry(g):
    """Those loops' windows, strides and padding before, over the rows and columns."""
    return tuple(g.ksize[1:3]), tuple(g.strides[1:3]), tuple(b for b, _ in g.pads[1:3])


def _check_grad_shape(grad, g):
    if grad.shape != g.out:
        raise InvalidArgumentError(None, None, f"Expected grad shape to be [{','.join(map(str, g.out))}], but got "
                                               f"[{','.join(map(str, grad.shape))}]")


def _where_hit(hit, grad, out=None):
    """`grad` where `hit`, else 0 (broadcast to hit's shape): the chosen bits, so that a NaN or infinite
    gradient stays out of the cells that are not its window's first maximum, as in TF's kernel (multiplying
    by a 0/1 mask made them NaN; a product of the bits by the bools costs the same)."""
    bits = np.dtype(f"i{grad.dtype.itemsize}")
    return np.multiply(hit, grad.view(bits), out=None if out is None else out.view(bits)).view(grad.dtype)


def _max_pool_grad_kernel(op_type):
    def kernel(a, x, y, grad):
        g = _geometry(op_type, a, x.shape)
        _check_grad_shape(grad, g)
        if 0 in g.out or x.size == 0:
            return np.zeros(x.shape, grad.dtype)
        if (x.dtype == grad.dtype and x.dtype in _COMPILED_T and x.size >= compiled.COMPILED
                and _inner_windows(x.ndim, g)):   # (NHWC's windows)
            return _compiled_grad(x, grad, g)
        xp = _padded(x, g.pads, _lowest(x.dtype))
        if _disjoint(g):
            planes = _planes(xp, g)
            hits, _ = _taken_hits(x, g, planes, lambda a: _planes(a, g))
            grads = _where_hit(np.asarray(hits), grad, planes if planes.dtype == grad.dtype else None)
            return _cropped(_scattered(grads, g, xp.shape, grad.dtype), g.pads)
        dxp = np.zeros(xp.shape, grad.dtype)
        hits, _ = _taken_hits(x, g, [xp[sl] for sl in _offsets(g)], lambda a: [a[sl] for sl in _offsets(g)])
        for sl, hit in reversed(list(zip(_offsets(g), hits))):   # (last offset first: a cell adds its windows'
            dxp[sl] += _where_hit(hit, grad)                       # terms in the windows' order, as TF's kernel)
        return _cropped(dxp, g.pads)
    return kernel


_COMPILED_T = (np.dtype(np.float32), np.dtype(np.float64))
# MaxPool over NHWC's 2x2 windows of stride 2 that tile its input keeps each window's taken cell (int8) while the
# input lives (derived.py), and MaxPoolGrad over the same array makes only the scatter pass: in cnn_train's traced
# steps in-process (blocks alternated, medians of 100) MaxPool over [64, 28, 28, 16] 118 -> 117 us, its gradient
# 344 -> 203; over [64, 14, 14, 32] 53 -> 61 and 121 -> 91
_TAKEN = ("max_pool_2x2_taken",)
_SPLIT_CELLS = 1 << 21   # window cells from which the loop takes a share of the batch per intra-op thread (where the
                         # step lets kernels split): cnn3x3_train's 8M (2M elements, 2x2 windows) 3.1 -> 2.2-2.5 ms;
                         # cnn_train's 3.2M in its traced steps (second machine) 0.49-0.62 -> 0.32-0.36 ms, its 1.6M
                         # 0.12-0.13 ms alone either way (a hand-off costs ~50 us); MaxPool's 2x2 forward over
                         # that 3.2M, which the taps' shares wrote with their bias + ReLU (conv._bias_relu_of), in its
                         # traced steps in-process 375-435 -> 338-371 us (each thread reads what its core wrote)


def _compiled_grad(x, grad, g):
    """The numpy way's bits from one compiled loop (kernel_loops.max_pool_grad). Alone (bench/pooling.py): cnn_train's
    [64, 28, 28, 16] under 2x2/2 windows 1.17 -> 1.02 ms, [64, 14, 14, 32] 0.58 -> 0.39, 3x3/2 over
    [16, 28, 28, 64] 4.5 -> 1.7; in cnn3x3_train's traced steps, [32, 32, 32, 64] under 2x2/2 4.5-5.0 -> 1.5-1.7 ms."""
    loops = compiled.loops()
    x, grad = np.ascontiguousarray(x), np.ascontiguousarray(grad)
    tiled = _tiled(x.shape, g)
    out = (np.empty if tiled else np.zeros)(x.shape, grad.dtype)   # (tiled: every cell is written)
    work = intra_op.MIN_WORK if x.size * math.prod(g.ksize) >= _SPLIT_CELLS else 0
    if tiled and g.ksize == [1, 2, 2, 1]:
        taken = derived.find(x, _TAKEN)
        if taken is None:
            intra_op.shares(lambda lo, hi: _tiled_2x2_grad(loops, x[lo:hi], grad[lo:hi], out[lo:hi]), x.shape[0], work)
        else:   # (MaxPool over this array kept its windows' taken cells)
            bits = np.dtype(f"i{grad.dtype.itemsize}")
            intra_op.shares(lambda lo, hi: loops.max_pool_2x2_scatter(grad[lo:hi].view(bits), taken[lo:hi],
                                                                      out[lo:hi].view(bits)), x.shape[0], work)
        return out
    geometry = _loop_geometry(g) + (_disjoint(g), grad.dtype.type(0))
    intra_op.shares(lambda lo, hi: loops.max_pool_grad(x[lo:hi], grad[lo:hi], *geometry, out[lo:hi]), x.shape[0], work)
    return out


def _relu_grad_of(a, _relu_attrs, x, y, grad):
    """ReluGrad(MaxPoolGrad(x, y, grad), x) in one pass where the windows are NHWC's 2x2 of stride 2 tiling x (the
    Remap planning makes where a ReluGrad of the gradient has x as its features: x is the pooled ReLU's output, as in
    a convolution, ReLU and max-pool layer): the windows' taken cells (MaxPool's, kept, or made here) say which cell
    gets each window's gradient and whether ReLU passes it there (kernel_loops.max_pool_2x2_scatter_relu, the two
    kernels' bits). None elsewhere (the two kernels run). In cnn_train's steps (in-process traces, medians of 40, two
    runs alternated) the first layer's MaxPoolGrad + ReluGrad, 316-344 + 371-418 us, ran as one node in 340-368, the
    second's, 166-183 + 203-207, in 165-179; the step 9.65-10.00 -> 9.14-9.44 ms."""
    g = _geometry("MaxPoolGrad", a, x.shape)
    _check_grad_shape(grad, g)
    if not (x.dtype == grad.dtype and x.dtype in _COMPILED_T and x.size >= compiled.COMPILED and x.ndim == 4
            and g.ksize == [1, 2, 2, 1] and _tiled(x.shape, g)):
        return None
    loops = compiled.loops()
    x, grad = np.ascontiguousarray(x), np.ascontiguousarray(grad)
    taken = derived.find(x, _TAKEN)
    if taken is None:
        taken = np.empty(grad.shape, np.int8)
        loops.max_pool_2x2_and_taken(x, np.empty(grad.shape, x.dtype), taken)
    out = np.empty(x.shape, grad.dtype)
    work = intra_op.MIN_WORK if x.size * 4 >= _SPLIT_CELLS else 0
    intra_op.shares(lambda lo, hi: loops.max_pool_2x2_scatter_relu(grad[lo:hi], taken[lo:hi], out[lo:hi]),
                    x.shape[0], work)
    return out


def _tiled(shape, g):
    """Whether the windows tile the input (each cell in one window)."""
    return all(k == s and n == o * k for n, k, s, o in zip(shape, g.ksize, g.strides, g.out))


def _tiled_2x2_grad(loops, x, grad, out):
    """2x2 windows of stride 2 that tile x: the taken cells (with the maxima, dropped: one pass), then the gradients
    by their bits (kernel_loops). Alone (second machine, after a pass over 32 MB), two passes against the general
    loop: [64, 28, 28, 16] 527 -> 305 us, [64, 14, 14, 32] 206 -> 153 (with a taken-cells pass that compared as it
    loaded, 222-242 us cold for the first, where the pass with the maxima takes 137-146)."""
    taken = np.empty(grad.shape, np.int8)
    loops.max_pool_2x2_and_taken(x, np.empty(grad.shape, x.dtype), taken)
    bits = np.dtype(f"i{grad.dtype.itemsize}")
    loops.max_pool_2x2_scatter(grad.view(bits), taken, out.view(bits))


def _max_pool_3d_grad_kernel(a, x, y, grad):
    """TF's 3-D CPU kernel (pooling_ops_3d.cc) is not the 2-D one: every cell within 1e-5 of its window's
    given maximum (orig_output) takes the window's gradient, ties included, and overlapping windows add up
    in TF's loop order (output width outermost, then height, then depth)."""
    g = _geometry("MaxPool3DGrad", a, x.shape)
    _check_grad_shape(grad, g)
    if 0 in g.out or x.size == 0:
        return np.zeros(x.shape, grad.dtype)
    xp = _padded(x, g.pads, np.nan)   # padding matches no maximum
    dxp = np.zeros(xp.shape, grad.dtype)
    tolerance = x.dtype.type(1e-5)
    for _, sl in sorted(zip(np.ndindex(*g.ksize), _offsets(g)), key=lambda o: [-i for i in o[0][::-1]]):
        dxp[sl] += _where_hit(np.abs(xp[sl] - y) < tolerance, grad)
    return _cropped(dxp, g.pads)


def _max_pool_grad_grad_kernel(op_type):
    def kernel(a, x, y, grad):
        g = _geometry(op_type, a, x.shape)
        if grad.shape != x.shape:
            raise InvalidArgumentError(None, None, "grad must have the shape of orig_input")
        out = np.zeros(g.out, grad.dtype)
        if 0 in g.out or x.size == 0:
            return out
        xp, gp = _padded(x, g.pads, _lowest(x.dtype)), _padded(grad, g.pads, 0)
        best = _window_reduce(xp, g, np.maximum)
        for sl, hit in zip(_offsets(g), _first_hits([np.equal(xp[sl], best) for sl in _offsets(g)])):
            out += _where_hit(hit, gp[sl])
        return out
    return kernel


def _avg_pool_grad_kernel(op_type):
    def kernel(a, input_shape, grad):
        rank = _ATTRS[op_type][0]
        if np.ndim(input_shape) != 1 or len(input_shape) != rank:
            raise InvalidArgumentError(None, None, f"orig_input_shape must be 1-dimensional and {rank} elements")
        shape_ = tuple(int(v) for v in input_shape)
        g = _geometry(op_type, a, shape_)
        _check_grad_shape(grad, g)
        padded = tuple(n + b + e for n, (b, e) in zip(shape_, g.pads))
        if 0 in g.out or 0 in shape_:
            return np.zeros(shape_, grad.dtype)
        if grad.dtype in _COMPILED_T and grad.size >= compiled.COMPILED and _inner_windows(len(shape_), g):
            grad, out = np.ascontiguousarray(grad), np.zeros(shape_, grad.dtype)
            geometry = _loop_geometry(g)
            work = intra_op.MIN_WORK if grad.size * math.prod(g.ksize) >= _SPLIT_CELLS else 0
            intra_op.shares(lambda lo, hi: compiled.loops().avg_pool_grad(grad[lo:hi], *geometry, out[lo:hi]),
                            shape_[0], work)
            return out
        share, dtype = grad / _counts(shape_, g), _accumulator(grad.dtype)
        if _disjoint(g):
            dxp = _scattered([share.astype(dtype)] * math.prod(g.ksize), g, padded, dtype)
        else:
            dxp = np.zeros(padded, dtype)
            for sl in _offsets(g):
                dxp[sl] += share
        return _cropped(dxp, g.pads).astype(grad.dtype, copy=False)
    return kernel


def _argmax_positions(g, index, shape):
    """Flat NHWC indices into the input of the windows' first maxima (TF's argmax, batch included)."""
    cells = np.array(list(np.ndindex(*g.ksize)), np.int64)
    flat = np.zeros(g.out, np.int64)
    for axis, (n, s, (b, _)) in enumerate(zip(shape, g.strides, g.pads)):
        start = (np.arange(g.out[axis], dtype=np.int64) * s - b).reshape((-1,) + (1,) * (len(shape) - axis - 1))
        flat = flat * n + start + cells[index, axis]
    return flat


def _max_pool_with_argmax_kernel(a, x):
    g = _geometry("MaxPoolWithArgmax", a, x.shape)
    argmax_type = a["Targmax"].as_numpy_dtype
    if 0 in g.out or x.size == 0:
        return np.zeros(g.out, x.dtype), np.zeros(g.out, argmax_type)
    xp = _padded(x, g.pads, _lowest(x.dtype))
    hits, best = _taken_hits(x, g, [xp[sl] for sl in _offsets(g)], lambda a: [a[sl] for sl in _offsets(g)])
    index = np.zeros(g.out, np.intp)
    for i, hit in enumerate(hits):
        index += hit * i   # one hit per window
    flat = _argmax_positions(g, index, x.shape)
    if not a.get("include_batch_in_index", False):
        flat -= (np.arange(x.shape[0]) * (x.size // x.shape[0])).reshape(-1, 1, 1, 1)
    return best, flat.astype(argmax_type)


def _max_pool_grad_with_argmax_kernel(a, x, grad, argmax):
    g = _geometry("MaxPoolGradWithArgmax", a, x.shape)
    _check_grad_shape(grad, g)
    if argmax.shape != grad.shape:
        raise InvalidArgumentError(None, None, "Expected argmax to have the shape of grad")
    index = argmax.astype(np.int64)
    if not a.get("include_batch_in_index", False) and x.size:
        index = index + (np.arange(x.shape[0]) * (x.size // x.shape[0])).reshape(-1, 1, 1, 1)
    if index.size and (index.min() < 0 or index.max() >= x.size):
        raise InvalidArgumentError(None, None, f"Invalid argmax index: {int(index.max())}, must be in [0, "
                                               f"{x.size})")
    dx = np.bincount(index.ravel(), weights=grad.ravel().astype(np.float64), minlength=x.size)
    return dx.reshape(x.shape).astype(x.dtype, copy=False)


# ----- shape functions: TF's attr checks and output sizes ---------------------------------------------------
def _quoted(values):
    return ", ".join(f'"{v}"' for v in values)


_DEFAULTS = {"MaxPool": {"data_format": "NHWC", "explicit_paddings": list},
             "MaxPoolGrad": {"data_format": "NHWC", "explicit_paddings": list},
             "MaxPoolWithArgmax": {"Targmax": dtypes.int64, "include_batch_in_index": False},
             "MaxPoolGradWithArgmax": {"include_batch_in_index": False}}
_DEFAULTS.update({t: {"data_format": "NHWC"} for t in ("AvgPool", "AvgPoolGrad", "MaxPoolGradGrad")})
_DEFAULTS.update({t: {"data_format": "NDHWC"} for t in ("MaxPool3D", "AvgPool3D", "MaxPool3DGrad", "AvgPool3DGrad",
                                                         "MaxPool3DGradGrad")})


def _check_attrs(op_type, a):
    """TF's checks of the attrs (op_def_library's, then the shape function's); returns the data format."""
    rank, formats, paddings = _ATTRS[op_type]
    for key, value in _DEFAULTS.get(op_type, {}).items():  # a node holds every attr, defaults included
        a.setdefault(key, value() if callable(value) else value)
    for key in ("ksize", "strides"):
        a[key] = [make_int(v, key) for v in a[key]]  # as TF's op_def_library: Dimensions, numpy ints
        if len(a[key]) < rank:
            raise BareShapeError(f"Attr '{key}' of '{op_type}' Op passed list of length {len(a[key])} less than "
                                 f"minimum {rank}.")
    if a["padding"] not in paddings:
        raise BareShapeError(f"Attr 'padding' of '{op_type}' Op passed string '{a['padding']}' not in: "
                             f"{_quoted(paddings)}.")
    fmt = a.get("data_format", "NHWC") if formats else "NHWC"
    if formats and fmt not in formats:
        raise BareShapeError(f"Attr 'data_format' of '{op_type}' Op passed string '{fmt}' not in: "
                             f"{_quoted(formats)}.")
    if fmt == "NCHW_VECT_C":
        raise NotImplementedError("raygraph has no NCHW_VECT_C (int8-vectorized) pooling")
    for key in ("strides", "ksize"):
        if len(a[key]) != rank:
            raise ValueError(f"{op_type} requires the {'stride' if key == 'strides' else key} attribute to contain "
                             f"{rank} values, but got: {len(a[key])}")
    explicit = a.get("explicit_paddings") or []
    if a["padding"] == "EXPLICIT":
        if len(explicit) != 2 * rank:
            raise ValueError(f"explicit_paddings attribute must contain {2 * rank} values, but got: {len(explicit)}")
        spatial = _LAYOUT[fmt][0]
        if any(explicit[2 * i] or explicit[2 * i + 1] for i in range(rank) if i not in spatial):
            raise ValueError("Nonzero explicit padding in the batch or depth dimensions is not supported")
    elif explicit:
        raise ValueError("explicit_paddings attribute must be empty if the padding attribute is not EXPLICIT")
    return fmt


def _out_dim(n, k, s, padding, before, after):
    if s <= 0:
        raise ValueError(f"Stride must be > 0, but got {s}")
    if n is None:
        return None
    if padding == "SAME":
        return (n + s - 1) // s
    n += before + after
    if n < k:
        raise ValueError(f"Negative dimension size caused by subtracting {k} from {n}")
    return (n - k + s) // s


def _pooled_dims(op_type, a, d, fmt):
    spatial, channel = _LAYOUT[fmt]
    axes = spatial + ((channel,) if op_type in ("MaxPool", "MaxPoolGradGrad", "MaxPoolWithArgmax") else ())
    explicit = a.get("explicit_paddings") or [0] * (2 * len(d))
    out = list(d)
    for axis in axes:
        out[axis] = _out_dim(d[axis], a["ksize"][axis], a["strides"][axis], a["padding"], explicit[2 * axis],
                             explicit[2 * axis + 1])
    return _raw(tuple(out))


def _pool_shape(op_type):
    def shape_fn(inputs, a):
        fmt = _check_attrs(op_type, a)
        d = with_rank(inputs[0], _ATTRS[op_type][0])
        out = _pooled_dims(op_type, a, d, fmt)
        dt = inputs[0].dtype.base_dtype
        return [(dt, out), (a["Targmax"], out)] if op_type == "MaxPoolWithArgmax" else (dt, out)
    return shape_fn


def _like_input_shape(op_type):
    """Gradients with respect to an input: shaped like it (input 0)."""
    def shape_fn(inputs, a):
        _check_attrs(op_type, a)
        grad = inputs[1 if op_type == "MaxPoolGradWithArgmax" else 2]
        return grad.dtype.base_dtype, _raw(with_rank(inputs[0], _ATTRS[op_type][0]))
    return shape_fn


def _from_shape_input(op_type):
    """AvgPoolGrad, AvgPool3DGrad: shaped by the value of their orig_input_shape input."""
    def shape_fn(inputs, a):
        _check_attrs(op_type, a)
        with_rank(inputs[0], 1)
        out = constant_value_as_shape(inputs[0])
        rank = _ATTRS[op_type][0]
        if out.ndims is not None and out.ndims != rank:
            raise ValueError(f"Shape must be rank {rank} but is rank {out.ndims}")
        return inputs[1].dtype.base_dtype, out if out.ndims is not None else _raw((None,) * rank)
    return shape_fn


# ----- the op entries and their gradients -------------------------------------------------------------------
_WINDOW = ("ksize", "strides", "padding", "data_format")


def _window_attrs(op, keys=_WINDOW):
    return {k: op._attrs[k] for k in keys if k in op._attrs}


def _max_pool_grad(grad_type):
    keys = _WINDOW + (("explicit_paddings",) if grad_type == "MaxPoolGrad" else ())
    return lambda op, g: [apply_op(grad_type, [op.inputs[0], op.outputs[0], g], _window_attrs(op, keys))]


def _max_pool_grad_grad(second_type):
    """Through a max-pool gradient op: zeros for the pooled tensors, the other op type for the gradient."""
    return lambda op, g: [zeros_like(op.inputs[0]), zeros_like(op.inputs[1]),
                          apply_op(second_type, [op.inputs[0], op.inputs[1], g], _window_attrs(op))]


def _avg_pool_grad(grad_type):
    return lambda op, g: [apply_op(grad_type, [shape(op.inputs[0]), g], _window_attrs(op))]


def _avg_pool_grad_grad(pool_type):
    return lambda op, g: [stop_gradient(op.inputs[0]), apply_op(pool_type, [g], _window_attrs(op))]


for _rank, _sfx in ((4, ""), (5, "3D")):
    _max_t = MAX_T if _rank == 4 else POOL3D_T
    op(f"MaxPool{_sfx}", "input:T", kernel=_max_pool_kernel(f"MaxPool{_sfx}"), shape=_pool_shape(f"MaxPool{_sfx}"),
       grad=_max_pool_grad(f"MaxPool{_sfx}Grad"), T=_max_t)
    op(f"AvgPool{_sfx}", ("value:T" if _rank == 4 else "input:T"), kernel=_avg_pool_kernel(f"AvgPool{_sfx}"),
       shape=_pool_shape(f"AvgPool{_sfx}"), grad=_avg_pool_grad(f"AvgPool{_sfx}Grad"), T=AVG_T)
    op(f"AvgPool{_sfx}Grad", "orig_input_shape:int32, grad:T", kernel=_avg_pool_grad_kernel(f"AvgPool{_sfx}Grad"),
       shape=_from_shape_input(f"AvgPool{_sfx}Grad"), grad=_avg_pool_grad_grad(f"AvgPool{_sfx}"), T=AVG_T)
    op(f"MaxPool{_sfx}GradGrad", "orig_input:T, orig_output:T, grad:T",
       kernel=_max_pool_grad_grad_kernel(f"MaxPool{_sfx}GradGrad"), shape=_pool_shape(f"MaxPool{_sfx}GradGrad"),
       grad=_max_pool_grad_grad(f"MaxPool{_sfx}Grad"), T=GRAD_T)
op("MaxPoolGrad", "orig_input:T, orig_output:T, grad:T", kernel=_max_pool_grad_kernel("MaxPoolGrad"),
   shape=_like_input_shape("MaxPoolGrad"), grad=_max_pool_grad_grad("MaxPoolGradGrad"), T=GRAD_T, fresh=True,
   remaps=(Remap("ReluGrad", at=0, same=((1, 0),), kernel=_relu_grad_of),))
op("MaxPool3DGrad", "orig_input:TInput, orig_output:TInput, grad:T", kernel=_max_pool_3d_grad_kernel,
   shape=_like_input_shape("MaxPool3DGrad"), grad=_max_pool_grad_grad("MaxPool3DGradGrad"), T=POOL3D_T,
   TInput=POOL3D_T)
op("MaxPoolWithArgmax", "input:T", kernel=_max_pool_with_argmax_kernel, shape=_pool_shape("MaxPoolWithArgmax"),
   T=GRAD_T, Targmax=(dtypes.int32, dtypes.int64),
   grad=lambda op, g, _: [apply_op("MaxPoolGradWithArgmax", [op.inputs[0], g, op.outputs[1]],
                                   _window_attrs(op, ("ksize", "strides", "padding", "include_batch_in_index")))])
op("MaxPoolGradWithArgmax", "input:T, grad:T, argmax:Targmax", kernel=_max_pool_grad_with_argmax_kernel,
   shape=_like_input_shape("MaxPoolGradWithArgmax"), grad=NO_GRADIENT_DEFINED, T=GRAD_T,
   Targmax=(dtypes.int32, dtypes.int64))


# ----- tf.nn's pooling functions ----------------------------------------------------------------------------
def _string_padding(op_type, padding):
    if not isinstance(padding, (str, bytes)):
        raise TypeError(f"Expected string for argument 'padding' not {padding!r}.")
    return padding.decode() if isinstance(padding, bytes) else padding


def _pool2d(op_type, scope_name, value, ksize, strides, padding, data_format, name, explicit=True):
    with name_scope(name, scope_name, [value]) as scope:
        data_format = data_format or "NHWC"
        channel = 1 if data_format.startswith("NC") else 3
        ksize = get_sequence(ksize, 2, channel, "ksize")
        strides = get_sequence(strides, 2, channel, "strides")
        attrs = {"ksize": ksize, "strides": strides}
        if explicit:
            if isinstance(padding, (list, tuple)) and data_format == "NCHW_VECT_C":
                raise ValueError(f"`data_format='NCHW_VECT_C'` is not supported with explicit padding. Received: "
                                 f"padding={padding}")
            padding, attrs["explicit_paddings"] = convert_padding(padding)
        attrs.update(padding=_string_padding(op_type, padding), data_format=data_format)
        if scope_name == "MaxPool" and any(v == 0 for v in ksize):
            raise ValueError(f"`ksize` cannot be zero. Received: ksize={ksize}")
        return apply_op(op_type, [convert_to_tensor(value, name="input")], attrs, name=scope)


def max_pool(value, ksize, strides, padding, data_format="NHWC", name=None, input=None):
    """TF1's tf.nn.max_pool: a MaxPool op over 4-D `value` (NHWC or NCHW); ksize/strides: 1, 2 or 4 ints."""
    value = _deprecated_argument("input", input, "value", value)
    return _pool2d("MaxPool", "MaxPool", value, ksize, strides, padding, data_format, name)


def max_pool2d(input, ksize, strides, padding, data_format="NHWC", name=None):
    return _pool2d("MaxPool", "MaxPool2d", input, ksize, strides, padding, data_format, name)


def avg_pool(value, ksize, strides, padding, data_format="NHWC", name=None, input=None):
    """TF1's tf.nn.avg_pool (and avg_pool2d): the mean over each window, padding cells not counted."""
    value = _deprecated_argument("input", input, "value", value)
    return _pool2d("AvgPool", "AvgPool", value, ksize, strides, padding, data_format, name, explicit=False)


avg_pool2d = avg_pool


def _deprecated_argument(new_name, new_value, old_name, old_value):
    if new_value is not None and old_value is not None:
        raise ValueError(f"Cannot specify both '{old_name}' and '{new_name}'.")
    return new_value if new_value is not None else old_value


def _pool1d(op_type, scope_name, input, ksize, strides, padding, data_format, name):
    """A 1-D pool as TF builds it: ExpandDims, the 2-D op, Squeeze."""
    with name_scope(name, scope_name, [input]) as scope:
        data_format = data_format or "NWC"
        channel = 1 if data_format.startswith("NC") else 2
        ksize = [1] + get_sequence(ksize, 1, channel, "ksize")
        strides = [1] + get_sequence(strides, 1, channel, "strides")
        attrs = {"ksize": ksize, "strides": strides}
        if op_type == "MaxPool":
            padding, explicit = convert_padding(padding, 3)
            attrs["explicit_paddings"] = [0, 0] + explicit if padding == "EXPLICIT" else explicit
        expanding = 1 if data_format == "NWC" else 2
        attrs.update(padding=_string_padding(op_type, padding), data_format="NHWC" if data_format == "NWC" else "NCHW")
        x = expand_dims(input, expanding)
        return squeeze(apply_op(op_type, [x], attrs, name=scope), [expanding])


def max_pool1d(input, ksize, strides, padding, data_format="NWC", name=None):
    return _pool1d("MaxPool", "MaxPool1d", input, ksize, strides, padding, data_format, name)


def avg_pool1d(input, ksize, strides, padding, data_format="NWC", name=None):
    return _pool1d("AvgPool", "AvgPool1D", input, ksize, strides, padding, data_format, name)


def _pool3d(op_type, input, ksize, strides, padding, data_format, name):
    with name_scope(name, op_type, [input]) as scope:
        data_format = data_format or "NDHWC"
        channel = 1 if data_format.startswith("NC") else 4
        attrs = {"ksize": get_sequence(ksize, 3, channel, "ksize"),
                 "strides": get_sequence(strides, 3, channel, "strides"),
                 "padding": _string_padding(op_type, padding), "data_format": data_format}
        return apply_op(op_type, [convert_to_tensor(input, name="input")], attrs, name=scope)


def max_pool3d(input, ksize, strides, padding, data_format="NDHWC", name=None):
    return _pool3d("MaxPool3D", input, ksize, strides, padding, data_format, name)


def avg_pool3d(input, ksize, strides, padding, data_format="NDHWC", name=None):
    return _pool3d("AvgPool3D", input, ksize, strides, padding, data_format, name)


def _rank_for(input):
    """The number of spatial dims, from the static rank (TF takes `len(input.shape)`, failing when unknown)."""
    input = convert_to_tensor(input)
    if input.shape.ndims is None:
        raise ValueError("Cannot take the length of shape with unknown rank.")
    n = input.shape.ndims - 2
    if not 1 <= n <= 3:
        raise ValueError(f"`input.shape.rank` must be 3, 4 or 5. Received: input.shape={input.shape} of rank "
                         f"{n + 2}.")
    return input, n


def max_pool_v2(input, ksize, strides, padding, data_format=None, name=None):
    """TF2's tf.nn.max_pool (TF1's max_pool_v2): 1-, 2- or 3-D by the input's rank."""
    input, n = _rank_for(input)
    channel = n + 1 if data_format is None else 1 if data_format.startswith("NC") else n + 1
    if isinstance(padding, (list, tuple)) and data_format == "NCHW_VECT_C":
        raise ValueError(f"`data_format='NCHW_VECT_C'` is not supported with explicit padding. Received: "
                         f"padding={padding}")
    ksize = get_sequence(ksize, n, channel, "ksize")
    strides = get_sequence(strides, n, channel, "strides")
    if isinstance(padding, (list, tuple)) and n == 3:
        raise ValueError(f"Explicit padding is not supported with an input tensor of rank 5. Received: "
                         f"padding={padding}")
    if n == 1:
        return max_pool1d(input, ksize, strides, padding, data_format, name)
    if n == 2:
        return max_pool2d(input, ksize, strides, padding, data_format, name)
    return apply_op("MaxPool3D", [input], {"ksize": ksize, "strides": strides, "padding": padding,
                                           "data_format": data_format or "NDHWC"}, name=name)


def avg_pool_v2(input, ksize, strides, padding, data_format=None, name=None):
    """TF2's tf.nn.avg_pool (TF1's avg_pool_v2): 1-, 2- or 3-D by the input's rank."""
    input, n = _rank_for(input)
    channel = n + 1 if data_format is None else 1 if data_format.startswith("NC") else n + 1
    ksize = get_sequence(ksize, n, channel, "ksize")
    strides = get_sequence(strides, n, channel, "strides")
    if n == 1:
        return avg_pool1d(input, ksize, strides, padding, data_format, name)
    op_type = "AvgPool" if n == 2 else "AvgPool3D"
    attrs = {"ksize": ksize, "strides": strides, "padding": _string_padding(op_type, padding),
             "data_format": data_format or ("NHWC" if n == 2 else "NDHWC")}
    return apply_op(op_type, [input], attrs, name=name)


def max_pool_with_argmax(input, ksize, strides, padding, data_format="NHWC", Targmax=None, name=None,
                         output_dtype=None, include_batch_in_index=False):
    """(max pool, flat index of each maximum): ((y * width + x) * channels + c), batch included if asked."""
    if data_format != "NHWC":
        raise ValueError(f"`data_format` values other  than 'NHWC' are not supported. Received: "
                         f"data_format={data_format}")
    targmax = _deprecated_argument("output_dtype", output_dtype, "Targmax", Targmax) or dtypes.int64
    for key, value in (("ksize", ksize), ("strides", strides)):
        if not isinstance(value, (list, tuple)):
            raise TypeError(f"Expected list for '{key}' argument to 'max_pool_with_argmax' Op, not {value}.")
    attrs = {"ksize": list(ksize), "strides": list(strides), "padding": _string_padding("MaxPoolWithArgmax", padding),
             "Targmax": dtypes.as_dtype(targmax), "include_batch_in_index": bool(include_batch_in_index)}
    return tuple(apply_op("MaxPoolWithArgmax", [input], attrs, name=name))


_POOLS = {("MAX", 1): max_pool, ("MAX", 2): max_pool, ("MAX", 3): max_pool3d,
          ("AVG", 1): avg_pool, ("AVG", 2): avg_pool, ("AVG", 3): avg_pool3d}


def pool(input, window_shape, pooling_type, padding, dilation_rate=None, strides=None, name=None, data_format=None,
         dilations=None):
    """TF1's tf.nn.pool: N-D max or average pooling (dilation_rate > 1 is not implemented here)."""
    dilation_rate = _deprecated_argument("dilations", dilations, "dilation_rate", dilation_rate)
    with name_scope(name, f"{pooling_type.lower()}_pool", [input]) as scope:
        input = convert_to_tensor(input, name="input")
        n = len(window_shape)
        if n < 1 or n > 3:
            raise ValueError(f"`len(window_shape)` must be 1, 2, or 3. Received: window_shape={window_shape} of "
                             f"length {n}")
        input.shape.with_rank(n + 2)
        strides, dilation_rate = _strides_and_dilation(n, strides, dilation_rate)
        if padding == "SAME" and np.any(dilation_rate > 1):
            raise ValueError(f"pooling with 'SAME' padding is not implemented for `dilation_rate` > 1. Received: "
                             f"padding={padding} and dilation_rate={dilation_rate}")
        if np.any(strides > window_shape):
            raise ValueError(f"`strides` > `window_shape` not supported due to inconsistency between CPU and GPU "
                             f"implementations. Received: strides={strides} and window_shape={window_shape}")
        if (pooling_type, n) not in _POOLS:
            raise ValueError(f"{n}-D {pooling_type} pooling is not supported.")
        channels_first = data_format is not None and data_format.startswith("NC")
        window, step = [int(v) for v in window_shape], [int(v) for v in strides]
        window, step = ([1, 1] + window, [1, 1] + step) if channels_first else ([1] + window + [1], [1] + step + [1])
        spatial = 2 if channels_first else 1
        kwargs = {"data_format": data_format}
        if n == 1:
            if data_format not in (None, "NWC", "NCW"):
                raise ValueError(f"data_format must be either 'NWC' or 'NCW'. Received: data_format={data_format}")
            kwargs["data_format"] = "NCHW" if data_format == "NCW" else "NHWC"
            window, step = [1] + window, [1] + step
        convert_to_tensor(np.asarray(dilation_rate, np.int32), name="dilation_rate")
        if np.any(dilation_rate > 1):
            raise NotImplementedError("raygraph's tf.nn.pool has no dilation_rate > 1 (TF builds it with "
                                      "SpaceToBatchND, which raygraph lacks)")
        x = expand_dims(input, spatial) if n == 1 else input
        out = _POOLS[(pooling_type, n)](x, window, step, padding, name=scope, **kwargs)
        return squeeze(out, [spatial]) if n == 1 else out


def _strides_and_dilation(n, strides, dilation_rate):
    """TF's _get_strides_and_dilation_rate: both as int32 arrays of n values, checked."""
    if dilation_rate is None:
        dilation_rate = [1] * n
    elif len(dilation_rate) != n:
        raise ValueError(f"`len(dilation_rate)` should be {n}. Received: dilation_rate={dilation_rate} of length "
                         f"{len(dilation_rate)}")
    dilation_rate = np.array(dilation_rate, dtype=np.int32)
    if np.any(dilation_rate < 1):
        raise ValueError(f"all values of `dilation_rate` must be positive. Received: dilation_rate={dilation_rate}")
    if strides is None:
        strides = [1] * n
    elif len(strides) != n:
        raise ValueError(f"`len(strides)` should be {n}. Received: strides={strides} of length {len(strides)}")
    strides = np.array(strides, dtype=np.int32)
    if np.any(strides < 1):
        raise ValueError(f"all values of `strides` must be positive. Received: strides={strides}")
    if np.any(strides > 1) and np.any(dilation_rate > 1):
        raise ValueError(f"`strides > 1` not supported in conjunction with `dilation_rate > 1`. Received: "
                         f"strides={strides} and dilation_rate={dilation_rate}")
    return strides, dilation_rate

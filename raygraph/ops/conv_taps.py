"""Convolutions of one input channel (and filter gradients of a few) as sums over the filter's taps, a vector of
output channels at a time.

With one input channel an output position's values are sum_t x[p + off_t] w[t, :]: each tap's input value (one
number) times a vector of the output channels. im2col spends its time on moving memory here (a window's worth of
copies of the input, a thin product over them). These loops read the padded input in place: the forward holds the
filter's taps as vectors and, per output position, adds each tap's input value times its vector; the filter's
gradient holds one accumulator vector per tap and, per output position, adds the output gradient's vector times
each tap's input value. The vectors are LLVM's (VECTOR_BYTES: with AVX-512 16 float32 or 8 float64 channels;
fewer by a masked load and store), written here as LLVM IR (numba intrinsics): numba's own loops over 16 channels
kept the accumulators in memory and ran 5-20x slower.

LeNet's first layer (64 images of 28x28, 5x5 taps, 1 -> 16 channels, 20M multiply-adds) alone on one thread:
forward 272-320 us, filter gradient 286-316 (~70-85% of a core's FMA peak here; the banded columns they replaced,
on two BLAS threads: 410 and 550-590); in cnn_train's steps in-process forward 517 -> 308, filter gradient 721 ->
392, then 287 -> 267 and 308 -> 255 with the input padded once for the batch (not per share: the second share
started 41 us after the first, now 8-16) and once for both kernels (derived.py). Filters with more taps than the
vector registers hold (GROUP) run their taps in groups, the forward's later groups adding to the output.
Products run in another order than im2col's: rounding differs by ~1e-7 of the values' scale (the filter's gradient
sums each image's positions, then the images).

A few input channels (an RGB image's three) are the window's last dim: taps (window position, channel), whose
values lie side by side in the channels-last input. The filter's gradient takes them where the output channels
fill at most WIDE_OUT vectors: build_an_image_dataset.py's first layer (128 images of 64x64, 5x5 taps, 3 -> 32
channels, 1.1G multiply-adds) on one thread 42-45 ms through im2col, 29-30 so, in its training step (two shares)
24.4-26.1 -> 17.1-19.3 ms; 3 -> 64 channels ran as fast as im2col, 4 -> 128 slower. The forward of more than one
channel stays im2col's (one thread 47 -> 40 ms, but 20.5-21.6 -> 24.2-27.0 in the step's two shares). Where the
taps are in groups the forward covers BLOCK_BYTES of output rows a call, every group adding to them while they are
in cache (that layer's forward, three groups, 48 -> 40.5 ms).
"""
import functools
import math

import numba
import numpy as np
from llvmlite import binding, ir
from numba import types
from numba.core import cgutils
from numba.extending import intrinsic

from scheduler import intra_op

from . import derived

MAX_TAPS = 1024      # taps per filter, window positions times input channels (0 turns the route off)
MAX_CHANNELS = 4     # input channels of the filter's gradient (RGB images' three; the forward takes one)
WIDE_OUT = 2         # ... where the output channels fill at most this many vectors (each vector of them is a
                     # pass over the input and the output gradient: 3 -> 64 channels ran slower than im2col)
BLOCK_BYTES = 1 << 18   # output bytes a forward call covers where the taps are in groups
_WIDE = binding.get_host_cpu_features().get("avx512f", False)
VECTOR_BYTES = 64 if _WIDE else 32   # a vector of output channels: 16 float32 or 8 float64 (AVX-512's registers)
GROUP = 28 if _WIDE else 12          # taps a loop holds at once, one vector each (of 32 or 16 registers)


def forward(x, w, geo, out=None, bias=None, relu=False):
    """The convolution y [N, *out, O] of x [N, *spatial, 1] (channels last), written into `out` where given (a
    C-ordered array of y's shape and dtype: a share's rows of the whole result, conv._into_batch, which else copies
    them there), or None where the route does not apply (see `applies`). With `bias` ([O]) each vector of outputs
    gets it added, and with `relu` ReLU taken (NaN stays, -0.0 gives +0.0), as it is stored: numpy's bits."""
    if not applies(x, geo, 1):
        return None
    y = np.empty((geo.n,) + geo.out + (geo.o,), x.dtype) if out is None else out
    w2 = np.ascontiguousarray(w.reshape(geo.kk * geo.c, geo.o), x.dtype)
    xf, rows, groups = *_flat(x, geo), _groups(_key(geo))
    per_image, step = len(rows) // geo.n, geo.strides[-1] * geo.c
    block = _block(len(groups), geo.out[-1] * geo.o * x.itemsize)
    b = np.zeros(geo.o, x.dtype) if bias is None else np.ascontiguousarray(bias, x.dtype)
    mode = 0 if bias is None else 2 if relu else 1

    def share(lo, hi):
        out = y[lo:hi].reshape(-1)
        width = geo.out[-1] * geo.o
        for r0 in range(lo * per_image, hi * per_image, block):
            r1 = min(r0 + block, hi * per_image)
            part = out[(r0 - lo * per_image) * width:(r1 - lo * per_image) * width]
            for first, offs in groups:   # (the first group writes y, the others add to it while it is in cache)
                last = first + len(offs) == len(w2)
                _forward(xf, rows[r0:r1], step, offs, w2[first:first + len(offs)], part, geo.out[-1], first > 0,
                         b, mode if last else 0)
    intra_op.shares(share, geo.n, geo.work)
    return y


def backprop_filter(x, dy, geo):
    """The filter's gradient [*k, C, O] from x [N, *spatial, C] and dy [N, *out, O], or None where the route does
    not apply."""
    if not applies(x, geo, MAX_CHANNELS):
        return None
    dy = np.ascontiguousarray(dy, x.dtype)
    xf, rows, groups = *_flat(x, geo), _groups(_key(geo))
    per_image, step = len(rows) // geo.n, geo.strides[-1] * geo.c
    images = 1 if len(groups) > 1 else geo.n   # (several groups: each reads an image's gradient while in cache)

    def share(lo, hi):
        dw = np.zeros((geo.kk * geo.c, geo.o), x.dtype)
        for i0 in range(lo, hi, images):
            i1 = min(i0 + images, hi)
            for first, offs in groups:
                _filter(xf, rows[i0 * per_image:i1 * per_image], step, offs, dy[i0:i1].reshape(-1),
                        geo.out[-1], per_image, dw[first:first + len(offs)])
        return dw
    parts = intra_op.shares(share, geo.n, geo.work)
    dw = parts[0]
    for part in parts[1:]:
        dw += part
    return dw.reshape(geo.k + (geo.c, geo.o))


def applies(x, geo, channels):
    """One input channel, or at most `channels` (no groups) and output channels in at most WIDE_OUT vectors;
    float32 or float64, at most MAX_TAPS taps (window positions times channels), and some output."""
    few = geo.c == 1 or geo.c <= channels and geo.groups == 1 and geo.o * x.itemsize <= WIDE_OUT * VECTOR_BYTES
    return (few and x.dtype in (np.float32, np.float64)
            and 0 < geo.kk * geo.c <= MAX_TAPS and geo.n > 0 and geo.positions > 0)


def _block(groups, row_bytes):
    """Output rows a forward call covers: all where the taps are one group, else as many as BLOCK_BYTES hold (the
    later groups add to them while they are in cache)."""
    return 1 << 62 if groups == 1 else max(1, BLOCK_BYTES // row_bytes)


def _padded(geo):
    """The padded input's spatial dims."""
    return tuple(n + lo + hi for n, (lo, hi) in zip(geo.spatial, geo.pads))


def _key(geo):
    """What the taps' offsets depend on (their cache's key): the channels are the last dim of the window."""
    return _padded(geo) + (geo.c,), tuple(geo.k) + (geo.c,), tuple(geo.dil) + (1,), GROUP


@functools.lru_cache(maxsize=256)
def _groups(key):
    """The taps in groups of at most GROUP, as even as may be: [(first tap, offsets)], each tap's offset in the
    padded input's flat image (a tuple: the loops are compiled for their number)."""
    offs = _offsets(*key[:3])
    n = -(-len(offs) // key[3])
    bounds = [len(offs) * i // n for i in range(n + 1)]
    return [(lo, offs[lo:hi]) for lo, hi in zip(bounds, bounds[1:])]


def _offsets(padded, ks, dil):
    """Each tap's offset in the padded input's flat image."""
    strides = [math.prod(padded[d + 1:]) for d in range(len(padded))]
    offs = np.zeros((), np.int64)
    for k, d, s in zip(ks, dil, strides):
        offs = np.add.outer(offs, np.arange(k, dtype=np.int64) * d * s)
    return tuple(int(v) for v in offs.reshape(-1))


def _flat(x, geo):
    """The padded input as one flat array (made once per array and padding: the forward's serves the filter
    gradient, derived.py), and where each output row's first window starts in it (rows: the output positions but
    the last dim's, image by image)."""
    xf = derived.derived(x, ("taps", tuple(geo.pads)), lambda x: np.ascontiguousarray(geo.padded(x)).reshape(-1))
    return xf, _rows(x.shape[0], _padded(geo) + (geo.c,), tuple(geo.strides[:-1]), geo.out[:-1])


@functools.lru_cache(maxsize=64)
def _rows(n, padded, strides, out):
    rows = np.arange(n, dtype=np.int64) * math.prod(padded)
    for d, (s, o) in enumerate(zip(strides, out)):
        rows = np.add.outer(rows, np.arange(o, dtype=np.int64) * s * math.prod(padded[d + 1:]))
    rows = rows.reshape(-1)
    rows.flags.writeable = False
    return rows


def _vector(builder, dtype):
    lanes = VECTOR_BYTES // (dtype.bitwidth // 8)
    vec = ir.VectorType(ir.FloatType() if dtype.bitwidth == 32 else ir.DoubleType(), lanes)
    return lanes, vec, vec.as_pointer()


def _lanes_mask(builder, lanes, n):
    """<lanes x i1>: lane i < n."""
    i64, i32 = ir.IntType(64), ir.IntType(32)
    splat = builder.insert_element(ir.Constant(ir.VectorType(i64, lanes), ir.Undefined), n, ir.Constant(i32, 0))
    splat = builder.shuffle_vector(splat, splat, ir.Constant(ir.VectorType(i32, lanes), [0] * lanes))
    return builder.icmp_signed("<", ir.Constant(ir.VectorType(i64, lanes), list(range(lanes))), splat)


def _masked(builder, vec, ptr, which):
    """The masked load and store intrinsics of `vec`."""
    lanes, suffix = vec.count, "f32" if isinstance(vec.element, ir.FloatType) else "f64"
    pointer = "p0" if str(ptr) == "ptr" else f"p0v{lanes}{suffix}"
    mask, i32 = ir.VectorType(ir.IntType(1), lanes), ir.IntType(32)
    if which == "load":
        return cgutils.get_or_insert_function(builder.module, ir.FunctionType(vec, [ptr, i32, mask, vec]),
                                              f"llvm.masked.load.v{lanes}{suffix}.{pointer}")
    return cgutils.get_or_insert_function(builder.module, ir.FunctionType(ir.VoidType(), [vec, ptr, i32, mask]),
                                          f"llvm.masked.store.v{lanes}{suffix}.{pointer}")


def _splat(builder, vec, value):
    i32 = ir.IntType(32)
    one = builder.insert_element(ir.Constant(vec, ir.Undefined), value, ir.Constant(i32, 0))
    return builder.shuffle_vector(one, one, ir.Constant(ir.VectorType(i32, vec.count), [0] * vec.count))


def _fma(builder, vec):
    suffix = "f32" if isinstance(vec.element, ir.FloatType) else "f64"
    return cgutils.get_or_insert_function(builder.module, ir.FunctionType(vec, [vec] * 3), f"llvm.fma.v{vec.count}"
                                          f"{suffix}")


def _arrays(context, builder, sig, args):
    return [context.make_array(t)(context, builder, a).data if isinstance(t, types.Array) else a
            for t, a in zip(sig.args, args)]


@intrinsic
def _forward_run(typingctx, y, ybase, ystep, x, xbase, xstep, offs, w, wbase, wstep, lanes, n, add, bias, mode):
    """For q < n: y[ybase + q ystep + l] (+)= sum_t x[xbase + q xstep + offs[t]] w[wbase + t wstep + l], l < lanes
    (a vector of output channels), t < len(offs) (a tuple: the taps' vectors unrolled); added to y's values where
    `add`; then, with `mode` 1 or 2, bias[wbase + l] added, and with 2 ReLU's max(., 0) (NaN stays)."""
    g = offs.count

    def codegen(context, builder, sig, args):
        y, ybase, ystep, x, xbase, xstep, offs, w, wbase, wstep, lanes, n, add, bias, mode = _arrays(
            context, builder, sig, args)
        width, vec, ptr = _vector(builder, sig.args[0].dtype)
        mask, i32, zero = _lanes_mask(builder, width, lanes), ir.IntType(32), ir.Constant(vec, [0.0] * width)
        load, store, fma = _masked(builder, vec, ptr, "load"), _masked(builder, vec, ptr, "store"), _fma(builder, vec)
        align = ir.Constant(i32, sig.args[0].dtype.bitwidth // 8)
        whole = builder.icmp_signed("==", lanes, ir.Constant(lanes.type, width))
        wv = [builder.call(load, [builder.bitcast(builder.gep(w, [builder.add(wbase, builder.mul(
            wstep, ir.Constant(wstep.type, t)))]), ptr), align, mask, zero]) for t in range(g)]
        bv = builder.call(load, [builder.bitcast(builder.gep(bias, [wbase]), ptr), align, mask, zero])
        biased = builder.icmp_signed(">", mode, ir.Constant(mode.type, 0))
        relu = builder.icmp_signed(">", mode, ir.Constant(mode.type, 1))
        starts = [builder.add(xbase, builder.extract_value(offs, t))
                  for t in range(g)]
        with cgutils.for_range(builder, n) as loop:
            at = builder.mul(loop.index, xstep)
            out = builder.bitcast(builder.gep(y, [builder.add(ybase, builder.mul(loop.index, ystep))]), ptr)
            acc = builder.select(add, builder.call(load, [out, align, mask, zero]), zero)
            for t in range(g):
                value = builder.load(builder.gep(x, [builder.add(starts[t], at)]))
                acc = builder.call(fma, [_splat(builder, vec, value), wv[t], acc])
            acc = builder.select(biased, builder.fadd(acc, bv), acc)
            acc = builder.select(relu, builder.select(builder.fcmp_unordered(">", acc, zero), acc, zero), acc)
            with builder.if_else(whole) as (plain, masked):   # (a masked store is microcoded on AMD's cores)
                with plain:
                    builder.store(acc, out, align=sig.args[0].dtype.bitwidth // 8)
                with masked:
                    builder.call(store, [acc, out, align, mask])
        return context.get_dummy_value()
    return types.void(y, ybase, ystep, x, xbase, xstep, offs, w, wbase, wstep, lanes, n, add, bias, mode), codegen


@intrinsic
def _filter_run(typingctx, acc, x, xbase, xstep, offs, d, dbase, dstep, lanes, n):
    """acc[t lanes' + l] += sum over q < n of x[xbase + q xstep + offs[t]] d[dbase + q dstep + l], l < lanes (a
    vector of output channels; acc's rows a whole vector each), t < len(offs) (a tuple)."""
    g = offs.count

    def codegen(context, builder, sig, args):
        acc, x, xbase, xstep, offs, d, dbase, dstep, lanes, n = _arrays(context, builder, sig, args)
        width, vec, ptr = _vector(builder, sig.args[0].dtype)
        mask, i32, zero = _lanes_mask(builder, width, lanes), ir.IntType(32), ir.Constant(vec, [0.0] * width)
        load, fma = _masked(builder, vec, ptr, "load"), _fma(builder, vec)
        align = ir.Constant(i32, sig.args[0].dtype.bitwidth // 8)
        rows = [builder.bitcast(builder.gep(acc, [ir.Constant(ir.IntType(64), t * width)]), ptr) for t in range(g)]
        slots = []
        for row in rows:   # (allocas: LLVM keeps them in registers)
            slots.append(cgutils.alloca_once(builder, vec))
            builder.store(builder.load(row, align=sig.args[0].dtype.bitwidth // 8), slots[-1])
        starts = [builder.add(xbase, builder.extract_value(offs, t))
                  for t in range(g)]
        with cgutils.for_range(builder, n) as loop:
            at = builder.mul(loop.index, xstep)
            dv = builder.call(load, [builder.bitcast(builder.gep(d, [builder.add(dbase, builder.mul(
                loop.index, dstep))]), ptr), align, mask, zero])
            for t in range(g):
                value = builder.load(builder.gep(x, [builder.add(starts[t], at)]))
                builder.store(builder.call(fma, [_splat(builder, vec, value), dv, builder.load(slots[t])]), slots[t])
        for row, slot in zip(rows, slots):
            builder.store(builder.load(slot), row, align=sig.args[0].dtype.bitwidth // 8)
        return context.get_dummy_value()
    return types.void(acc, x, xbase, xstep, offs, d, dbase, dstep, lanes, n), codegen


_jit = numba.njit(nogil=True, cache=True)


@_jit
def _forward(xf, rows, xstep, offs, w, y, width, add, bias, mode):
    """y (flat [rows, width, O]) from the flat padded input: each row's `width` outputs, a vector of channels at
    a time."""
    o, flat = w.shape[1], w.reshape(-1)
    lanes = VECTOR_BYTES // xf.itemsize
    for r in range(rows.shape[0]):
        for l0 in range(0, o, lanes):
            _forward_run(y, r * width * o + l0, o, xf, rows[r], xstep, offs, flat, l0, o,
                         min(lanes, o - l0), width, add, bias, mode)


@_jit
def _filter(xf, rows, xstep, offs, d, width, per_image, dw):
    """dw [taps, O] += the filter's gradient from the flat padded input and d (flat [rows, width, O]): each
    image's sum in its own accumulators, then added."""
    o = dw.shape[1]
    lanes = VECTOR_BYTES // xf.itemsize
    acc = np.empty((dw.shape[0], lanes), dw.dtype)
    for l0 in range(0, o, lanes):
        used = min(lanes, o - l0)
        for first in range(0, rows.shape[0], per_image):
            acc[:] = 0
            for r in range(first, first + per_image):
                _filter_run(acc, xf, rows[r], xstep, offs, d, r * width * o + l0, o, used, width)
            dw[:, l0:l0 + used] += acc[:, :used]

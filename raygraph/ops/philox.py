"""TF's random numbers, bit for bit: the Philox4x32-10 counter-based generator and TF's distributions.

State of a random op (kept in its device between runs, like TF's GuardedPhiloxRandom):

    key      64-bit int   the op's `seed` (or a random one when seed and seed2 are both 0)
    counter  128-bit int  `seed2` in the high 64 bits; each run takes the counter as it is, then
                          advances it by 256 per output element (TF's ReserveRandomOutputs)

Output group g of a run is computed from the Philox block at counter + g (TF's FillPhiloxRandom), so
values do not depend on how the work is split. Each block is four uint32s; a distribution turns one block
into 4 floats (uniform, normal), 2 doubles, or, for the truncated normal, reads blocks one uint32 at a time
from counter + 256 * g (float) or + 128 * g (double) until it has its group.
"""
import functools

import numpy as np

from . import compiled

_M32, _32 = np.uint64(0xFFFFFFFF), np.uint64(32)
_MULT = (np.uint64(0xD2511F53), np.uint64(0xCD9E8D57))
_WEYL = (0x9E3779B9, 0xBB67AE85)
_BLOCK = 8192   # counters computed at once (see blocks)
_SAMPLES_PER_OUTPUT = 256


class Philox:
    """One op's generator state (key, counter), advanced per run as TF advances it."""

    def __init__(self, seed, seed2):
        if seed == 0 and seed2 == 0:
            seed, seed2 = (int(v) for v in np.random.SeedSequence().generate_state(2, np.uint64))
        self.key = seed % 2 ** 64
        self.counter = (seed2 % 2 ** 64) << 64

    def reserve(self, n_outputs):
        """The counter this run starts from; later runs start 256 blocks per output further on."""
        start = self.counter
        self.counter = (self.counter + n_outputs * _SAMPLES_PER_OUTPUT) % 2 ** 128
        return start

    def samples32(self, n):
        """The next `n` uint32s of the stream, as TF's ReserveSamples32 and a SingleSampleAdapter read them:
        the words of ceil(n / 4) blocks from the counter, which moves past those blocks."""
        blocks_needed = (n + 3) // 4
        start = self.counter
        self.counter = (self.counter + blocks_needed) % 2 ** 128
        return blocks(self.key, start, np.arange(blocks_needed)).reshape(-1)[:n]


class Stream:
    """TF's SingleSampleAdapter over a PhiloxRandom(seed, seed2): its uint32s one at a time, each block's four
    words in order (computed 256 blocks at a time)."""

    def __init__(self, seed, seed2):
        self.gen = Philox(seed, seed2)
        self.words, self.used = [], 0

    def __call__(self):
        if self.used == len(self.words):
            gen = self.gen
            self.words = blocks(gen.key, gen.counter, np.arange(256)).reshape(-1).tolist()
            gen.counter = (gen.counter + 256) % 2 ** 128
            self.used = 0
        self.used += 1
        return self.words[self.used - 1]


def blocks(key, start, offsets):
    """Philox4x32-10 blocks at counters start + offsets: a (len(offsets), 4) uint32 array.

    Computed _BLOCK counters at a time, in place in buffers that stay in cache (5.2M floats of dropout noise:
    198 ms over whole arrays, 70 ms so)."""
    offsets = np.asarray(offsets, np.uint64)
    n = len(offsets)
    out = np.empty((n, 2, 2), np.uint32)
    lo_start, hi_start = np.uint64(start % 2 ** 64), np.uint64(start >> 64)
    rounds = _round_keys(key)
    size = min(_BLOCK, n)
    buffers = [np.empty((2, size), np.uint64) for _ in range(3)]
    for at in range(0, n, _BLOCK):
        k = min(_BLOCK, n - at)
        even, odd, p = (b[:, :k] for b in buffers)   # rows: words 0 and 2 of each block; words 1 and 3
        part = offsets[at:at + k]
        np.add(lo_start, part, out=p[0])   # uint64 arithmetic wraps, as the 128-bit counter's low half
        np.less(p[0], part, out=odd[0], casting="unsafe")   # its carry into the high half
        np.add(odd[0], hi_start, out=p[1])
        np.bitwise_and(p, _M32, out=even)
        np.right_shift(p, _32, out=odd)
        for round_key in rounds:   # a round on both halves: p = (c2 * mult1, c0 * mult0), rows swapped, so that
            np.multiply(even[0], _MULT[0], out=p[1])   # c0 = hi(p1) ^ c1 ^ k0, c2 = hi(p0) ^ c3 ^ k1,
            np.multiply(even[1], _MULT[1], out=p[0])   # c1 = lo(p1), c3 = lo(p0)
            np.right_shift(p, _32, out=even)
            even ^= odd
            even ^= round_key
            np.bitwise_and(p, _M32, out=odd)
        out[at:at + k, :, 0], out[at:at + k, :, 1] = even.T, odd.T
    return out.reshape(-1, 4)


@functools.lru_cache(maxsize=64)
def _round_keys(key):
    """The ten rounds' keys (k0, k1), each a column to xor into both halves of a round's output."""
    k0, k1 = key & 0xFFFFFFFF, key >> 32
    return np.array([[[(k0 + r * _WEYL[0]) & 0xFFFFFFFF], [(k1 + r * _WEYL[1]) & 0xFFFFFFFF]] for r in range(10)],
                    np.uint64)


# ----- uint32s -> floats (TF's random_distributions.h) --------------------------------------------------------
def uint32_to_float(x):
    """A float in [0, 1) from the low 23 bits: 1.mantissa - 1."""
    return (((np.uint32(127) << np.uint32(23)) | (x & np.uint32(0x7FFFFF))).view(np.float32) - np.float32(1))


def uint64_to_double(x0, x1):
    man = ((x0.astype(np.uint64) & np.uint64(0xFFFFF)) << np.uint64(32)) | x1.astype(np.uint64)
    return ((np.uint64(1023) << np.uint64(52)) | man).view(np.float64) - 1.0


def pairs_to_uint64(u):
    """Rand64 of each (lo, hi) pair of uint32s in the (n, 2) array `u`: lo | hi << 32."""
    return np.ascontiguousarray(u, "<u4").view("<u8").reshape(-1)


def pairs_to_double(u):
    """uint64_to_double of each (x0, x1) pair in the (n, 2) array `u`, in 4 numpy calls (not 8)."""
    bits = np.ascontiguousarray(u[:, ::-1], "<u4").view("<u8").reshape(-1)  # a copy holding x1 | x0 << 32
    bits &= np.uint64(0xFFFFFFFFFFFFF)
    bits |= np.uint64(1023 << 52)
    return bits.view(np.float64) - 1.0


def uint16_to_half(x):
    bits = (np.uint16(15) << np.uint16(10)) | (x.astype(np.uint16) & np.uint16(0x3FF))
    return bits.view(np.float16) - np.float16(1)


def box_muller_float(x0, x1):
    u1 = np.maximum(uint32_to_float(x0), np.float32(1e-7))
    v1 = (2.0 * np.pi * uint32_to_float(x1).astype(np.float64)).astype(np.float32)  # M_PI is a double
    u2 = np.sqrt(np.float32(-2.0) * _f32(np.log, u1))
    return _f32(np.sin, v1) * u2, _f32(np.cos, v1) * u2


def box_muller_double(x0, x1, x2, x3):
    u1 = np.maximum(uint64_to_double(x0, x1), 1e-7)
    v1 = 2 * np.pi * uint64_to_double(x2, x3)
    u2 = np.sqrt(-2.0 * np.log(u1))
    return np.sin(v1) * u2, np.cos(v1) * u2


# TF's float Box-Muller calls the C library's logf, sinf and cosf (glibc's are not always correctly rounded).
# Computed in float64 and rounded, a result can only differ from glibc's near a rounding midpoint: those few
# values are recomputed by calling the C library itself, so the results are TF's bit for bit.
_RECHECK_ABOVE = {"log": 0.15, "sin": 0.35, "cos": 0.35}  # ulps from exact; glibc was seen to differ from 0.24, 0.44
_LIBM = []
_LIBM_NAMES = ("log", "sin", "cos")   # (libm_float's `which`)


def _libm():
    if not _LIBM:
        import ctypes
        import ctypes.util
        try:
            lib = ctypes.CDLL(ctypes.util.find_library("m"))
            for name in ("logf", "sinf", "cosf"):
                getattr(lib, name).restype, getattr(lib, name).argtypes = ctypes.c_float, [ctypes.c_float]
        except (OSError, AttributeError, TypeError):
            lib = None
        _LIBM.append(lib)
    return _LIBM[0]


def _f32(fn, x):
    """The float32 function `fn` (np.log, np.sin or np.cos) as the C library computes it: from COMPILED values in a
    loop numba compiles, which calls the library's own logf, sinf or cosf (a [784, 512] draw's three calls 31 ms
    each, ~1 ms so: a Python call through ctypes per value near a rounding midpoint took the time); else in float64,
    rounded, and those values recomputed by the library through ctypes."""
    if x.size >= compiled.COMPILED and compiled.loops().LIBM:
        out = np.empty(x.shape, np.float32)
        compiled.loops().libm_float(np.ascontiguousarray(x, np.float32).reshape(-1), out.reshape(-1),
                                    _LIBM_NAMES.index(fn.__name__))
        return out
    exact = fn(x.astype(np.float64))
    out = exact.astype(np.float32)
    lib = _libm()
    if lib is None:
        return out
    off = np.abs(exact - out) / np.spacing(np.abs(out)).astype(np.float64)
    c_fn = getattr(lib, fn.__name__ + "f")
    for i in np.flatnonzero(off > _RECHECK_ABOVE[fn.__name__]):
        out.flat[i] = c_fn(float(x.flat[i]))
    return out


# ----- TF's distributions over a run's groups -------------------------------------------------------------
def _groups(n, per_group):
    return -(-n // per_group)


def uniform(key, start, n, dtype):
    """RandomUniform: [0, 1) floats of `dtype`."""
    if dtype == np.float64:
        b = blocks(key, start, np.arange(_groups(n, 2)))
        return uint64_to_double(b[:, 0::2], b[:, 1::2]).reshape(-1)[:n]
    b = blocks(key, start, np.arange(_groups(n, 4))).reshape(-1)[:n]
    return uint16_to_half(b) if dtype == np.float16 else uint32_to_float(b)


def uniform_int(key, start, n, lo, hi, dtype):
    """RandomUniformInt: lo + bits % (hi - lo), from one uint32 (int32) or two (int64) per value."""
    span = int(hi) - int(lo)
    if dtype == np.int64:
        b = blocks(key, start, np.arange(_groups(n, 2)))
        bits = b[:, 0::2].astype(np.uint64) | (b[:, 1::2].astype(np.uint64) << np.uint64(32))
        return (np.int64(lo) + (bits.reshape(-1)[:n] % np.uint64(span)).astype(np.int64)).astype(np.int64)
    bits = blocks(key, start, np.arange(_groups(n, 4))).reshape(-1)[:n]
    return (np.int32(lo) + (bits % np.uint32(span)).astype(np.int32)).astype(np.int32)


def normal(key, start, n, dtype):
    """RandomStandardNormal: Box-Muller over each block (4 floats, or 2 doubles)."""
    if dtype == np.float64:
        b = blocks(key, start, np.arange(_groups(n, 2)))
        d0, d1 = box_muller_double(b[:, 0], b[:, 1], b[:, 2], b[:, 3])
        return np.stack([d0, d1], -1).reshape(-1)[:n]
    b = blocks(key, start, np.arange(_groups(n, 4)))
    f = np.stack(box_muller_float(b[:, 0::2], b[:, 1::2]), -1).reshape(-1)[:n]  # s0,s1 -> r0,r1; s2,s3 -> r2,r3
    return f.astype(np.float16) if dtype == np.float16 else f


def truncated_normal(key, start, n, dtype):
    """TruncatedNormal: per group, Box-Muller pairs from successive uint32s, keeping values with |x| < 2."""
    per_group = 2 if dtype == np.float64 else 4
    skip = per_group * _SAMPLES_PER_OUTPUT // 4
    groups = _groups(n, per_group)
    out = np.zeros((groups, per_group), np.float64 if dtype == np.float64 else np.float32)
    have = np.zeros(groups, np.int64)
    todo = np.arange(groups)
    block = 0
    while todo.size:
        b = blocks(key, start, todo.astype(np.uint64) * np.uint64(skip) + np.uint64(block))
        pairs = (box_muller_double(b[:, 0], b[:, 1], b[:, 2], b[:, 3]) if dtype == np.float64 else
                 sum((box_muller_float(b[:, i], b[:, i + 1]) for i in (0, 2)), ()))  # uint32s in order: x0 x1, x2 x3
        for cand in pairs:
            take = (np.abs(cand) < 2) & (have[todo] < per_group)
            rows = todo[take]
            out[rows, have[rows]] = cand[take]
            have[rows] += 1
        todo = todo[have[todo] < per_group]
        block += 1
    out = out.reshape(-1)[:n]
    return out.astype(np.float16) if dtype == np.float16 else out

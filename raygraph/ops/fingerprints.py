"""TensorFlow's string hashes, bit for bit, on bytes: `hash64` (TF's Hash64, a MurmurHash64A with TF's seed, used by
StringToHashBucket), `fingerprint64` (farmhash's Fingerprint64, StringToHashBucketFast) and `siphash` (SipHash-2-4
with a 128-bit key, StringToHashBucketStrong). Python integers masked to 64 bits; written from the algorithms'
published descriptions.
"""
import struct

M64 = (1 << 64) - 1
_K0, _K1, _K2 = 0xc3a5c85c97cb3127, 0xb492b66fbe98f273, 0x9ae16a3b2f90404f


def _u64(s, i):
    return struct.unpack_from("<Q", s, i)[0]


def _u32(s, i):
    return struct.unpack_from("<I", s, i)[0]


def _rot(v, n):
    return v if n == 0 else ((v >> n) | (v << (64 - n))) & M64


def _shift_mix(v):
    return v ^ (v >> 47)


# ----- TF's Hash64 (MurmurHash64A, seed 0xDECAFCAFFE) ----------------------------------------------
def hash64(s, seed=0xDECAFCAFFE):
    m, n = 0xc6a4a7935bd1e995, len(s)
    h = (seed ^ (n * m)) & M64
    body = n - n % 8
    for i in range(0, body, 8):
        k = (_u64(s, i) * m) & M64
        k = ((k ^ (k >> 47)) * m) & M64
        h = ((h ^ k) * m) & M64
    if n % 8:
        for j in reversed(range(n % 8)):
            h ^= s[body + j] << (8 * j)
        h = (h * m) & M64
    h = ((h ^ (h >> 47)) * m) & M64
    return h ^ (h >> 47)


# ----- farmhash's Fingerprint64 (farmhashna::Hash64) -----------------------------------------------
def _len16(u, v, mul):
    a = ((u ^ v) * mul) & M64
    a ^= a >> 47
    b = ((v ^ a) * mul) & M64
    b ^= b >> 47
    return (b * mul) & M64


def _len0to16(s, n):
    if n >= 8:
        mul = _K2 + n * 2
        a = (_u64(s, 0) + _K2) & M64
        b = _u64(s, n - 8)
        c = (_rot(b, 37) * mul + a) & M64
        d = ((_rot(a, 25) + b) * mul) & M64
        return _len16(c, d, mul)
    if n >= 4:
        return _len16(n + (_u32(s, 0) << 3), _u32(s, n - 4), _K2 + n * 2)
    if n > 0:
        y = s[0] + (s[n >> 1] << 8)
        z = n + (s[n - 1] << 2)
        return (_shift_mix(((y * _K2) ^ (z * _K0)) & M64) * _K2) & M64
    return _K2


def _len17to32(s, n):
    mul = _K2 + n * 2
    a, b = (_u64(s, 0) * _K1) & M64, _u64(s, 8)
    c, d = (_u64(s, n - 8) * mul) & M64, (_u64(s, n - 16) * _K2) & M64
    return _len16((_rot((a + b) & M64, 43) + _rot(c, 30) + d) & M64, (a + _rot((b + _K2) & M64, 18) + c) & M64, mul)


def _len33to64(s, n):
    mul = _K2 + n * 2
    a, b = (_u64(s, 0) * _K2) & M64, _u64(s, 8)
    c, d = (_u64(s, n - 8) * mul) & M64, (_u64(s, n - 16) * _K2) & M64
    y = (_rot((a + b) & M64, 43) + _rot(c, 30) + d) & M64
    z = _len16(y, (a + _rot((b + _K2) & M64, 18) + c) & M64, mul)
    e, f = (_u64(s, 16) * mul) & M64, _u64(s, 24)
    g, h = ((y + _u64(s, n - 32)) * mul) & M64, ((z + _u64(s, n - 24)) * mul) & M64
    return _len16((_rot((e + f) & M64, 43) + _rot(g, 30) + h) & M64, (e + _rot((f + a) & M64, 18) + g) & M64, mul)


def _weak32(s, i, a, b):
    w, x, y, z = _u64(s, i), _u64(s, i + 8), _u64(s, i + 16), _u64(s, i + 24)
    a = (a + w) & M64
    b = _rot((b + a + z) & M64, 21)
    c = a
    a = (a + x + y) & M64
    b = (b + _rot(a, 44)) & M64
    return (a + z) & M64, (b + c) & M64


def _mix64(s, i, x, y, z, v, w, mul, last):
    """One 64-byte round of the long-input loop (`last`: the final round's variant)."""
    x = (_rot((x + y + v[0] + _u64(s, i + 8)) & M64, 37) * mul) & M64
    y = (_rot((y + v[1] + _u64(s, i + 48)) & M64, 42) * mul) & M64
    x ^= (w[1] * 9) & M64 if last else w[1]
    y = (y + (v[0] * 9 if last else v[0]) + _u64(s, i + 40)) & M64
    z = (_rot((z + w[0]) & M64, 33) * mul) & M64
    v = _weak32(s, i, (v[1] * mul) & M64, (x + w[0]) & M64)
    w = _weak32(s, i + 32, (z + w[1]) & M64, (y + _u64(s, i + 16)) & M64)
    return z, y, x, v, w  # x and z swap


def fingerprint64(s):
    n = len(s)
    if n <= 16:
        return _len0to16(s, n)
    if n <= 32:
        return _len17to32(s, n)
    if n <= 64:
        return _len33to64(s, n)
    seed = 81
    y = (seed * _K1 + 113) & M64
    z = (_shift_mix((y * _K2 + 113) & M64) * _K2) & M64
    v = w = (0, 0)
    x = (seed * _K2 + _u64(s, 0)) & M64
    end = ((n - 1) // 64) * 64
    for i in range(0, end, 64):
        x, y, z, v, w = _mix64(s, i, x, y, z, v, w, _K1, False)
    mul = _K1 + ((z & 0xff) << 1)
    last = end + ((n - 1) & 63) - 63
    w0 = (w[0] + ((n - 1) & 63)) & M64
    v0 = (v[0] + w0) & M64
    w = ((w0 + v0) & M64, w[1])
    v = (v0, v[1])
    x, y, z, v, w = _mix64(s, last, x, y, z, v, w, mul, True)
    return _len16((_len16(v[0], w[0], mul) + _shift_mix(y) * _K0 + z) & M64,
                  (_len16(v[1], w[1], mul) + x) & M64, mul)


# ----- SipHash-2-4 ----------------------------------------------------------------------------------
def _rounds(v, n):
    v0, v1, v2, v3 = v
    for _ in range(n):
        v0 = (v0 + v1) & M64
        v1 = _rot(v1, 51) ^ v0  # rotate left 13
        v0 = _rot(v0, 32)
        v2 = (v2 + v3) & M64
        v3 = _rot(v3, 48) ^ v2  # left 16
        v0 = (v0 + v3) & M64
        v3 = _rot(v3, 43) ^ v0  # left 21
        v2 = (v2 + v1) & M64
        v1 = _rot(v1, 47) ^ v2  # left 17
        v2 = _rot(v2, 32)
    return [v0, v1, v2, v3]


def siphash(key, s):
    k0, k1 = key[0] & M64, key[1] & M64
    v = [k0 ^ 0x736f6d6570736575, k1 ^ 0x646f72616e646f6d, k0 ^ 0x6c7967656e657261, k1 ^ 0x7465646279746573]
    n = len(s)
    tail = s[n - n % 8:] + bytes(7 - n % 8) + bytes([n & 0xff])
    for m in [_u64(s, i) for i in range(0, n - n % 8, 8)] + [_u64(tail, 0)]:
        v[3] ^= m
        v = _rounds(v, 2)
        v[0] ^= m
    v[2] ^= 0xff
    v = _rounds(v, 4)
    return v[0] ^ v[1] ^ v[2] ^ v[3]

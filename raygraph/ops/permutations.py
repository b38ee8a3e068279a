"""`RandomIndexShuffle` (`tf.random_index_shuffle`): where `index` lands in a pseudorandom permutation of
[0, max_index], bit for bit as TF computes it.

TF encrypts the index with a small Simon block cipher (a Feistel network over two W-bit words, with a fixed
key schedule from the 3-word seed) whose block holds max_index (at least 16 bits), and re-encrypts until the
result is <= max_index ("cycle walking"), which keeps the map a bijection of [0, max_index].
"""
import math

import numpy as np

from ..errors import InvalidArgumentError
from ..shape import TensorShape
from .registry import NOT_DIFFERENTIABLE, apply_op, op
from .shape_fns import dims

_raw = TensorShape._raw
_Z = 0x7369F885192C0EF5  # the key schedule's constant sequence, one bit per round


def _rotl(x, r, w):
    mask = (1 << w) - 1
    return ((x << r) | (x >> (w - r))) & mask


def _rotr(x, r, w):
    mask = (1 << w) - 1
    return ((x >> r) | (x << (w - r))) & mask


def _round_keys(key, rounds, w):
    mask = (1 << w) - 1
    c, z = 0xFFFFFFFC & mask, _Z & mask
    keys = [k & mask for k in key]
    for i in range(3, rounds):
        keys.append(c ^ (z & 1) ^ keys[i - 3] ^ _rotr(keys[i - 1], 3, w) ^ _rotr(keys[i - 1], 4, w))
        z >>= 1
    return keys


def _mix(x, w):
    return (_rotl(x, 1, w) & _rotl(x, 8, w)) ^ _rotl(x, 2, w)


def _encrypt(value, keys, w):
    mask = (1 << w) - 1
    left, right = (value >> w) & mask, value & mask
    for k1, k2 in zip(keys[0::2], keys[1::2]):
        left ^= _mix(right, w) ^ k1
        right ^= _mix(left, w) ^ k2
    return (left << w) | right


def index_shuffle(index, key, max_index, rounds):
    """The position of `index` in the permutation of [0, max_index] that `key` (3 uint32 words) picks."""
    if max_index == 0:
        return 0
    bits = math.ceil(math.log2(max_index))
    bits = min(max(bits + bits % 2, 16), 64)
    keys = _round_keys(key, rounds, bits // 2)
    while True:
        index = _encrypt(index, keys, bits // 2)
        if index <= max_index:
            return index


def _kernel(a, index, seed, max_index):
    index, seed, max_index = np.asarray(index), np.asarray(seed), np.asarray(max_index)
    n = max(index.size, max_index.size, seed.size // 3)
    if not (index.ndim == 0 or (index.ndim == 1 and index.size == n)):
        raise InvalidArgumentError(None, None, "Index bust be a scalar or vector.")
    if not (seed.shape == (3,) or seed.shape == (n, 3)):
        raise InvalidArgumentError(None, None, f"Seed must be a vector of size [3] or a matrix of size [{n}, 3] but "
                                   f"got [{','.join(map(str, seed.shape))}].")
    if not (max_index.ndim == 0 or (max_index.ndim == 1 and max_index.size == n)):
        raise InvalidArgumentError(None, None, "Maxval must be a scalar or a vector of the same size as index but "
                                   f"got [{','.join(map(str, max_index.shape))}]")
    seeds = (seed.reshape(-1, 3).astype(np.int64) & 0xFFFFFFFF).tolist()  # each word as C++'s cast to uint32
    idx = np.broadcast_to(index.astype(np.uint64), (n,)).tolist()
    top = np.broadcast_to(max_index.astype(np.uint64), (n,)).tolist()
    out = [index_shuffle(i, seeds[k if len(seeds) > 1 else 0], m, a["rounds"]) for k, (i, m) in enumerate(zip(idx, top))]
    out = np.array(out, np.uint64).astype(index.dtype)
    return out.reshape(()) if index.ndim == 0 and seed.ndim == 1 and max_index.ndim == 0 else out


def _shape(inputs, a):
    index, seed, max_index = (dims(t) for t in inputs)
    if index is None or seed is None or max_index is None:
        return inputs[0].dtype.base_dtype, TensorShape(None)
    if len(index) > 1:
        raise ValueError(f"Shape must be at most rank 1 but is rank {len(index)}")
    if not 1 <= len(seed) <= 2:
        raise ValueError(f"Seed must have rank 1 or 2, got rank {len(seed)}")
    if len(max_index) > 1:
        raise ValueError(f"Shape must be at most rank 1 but is rank {len(max_index)}")
    if len(index) == 0 and len(seed) == 1 and len(max_index) == 0:
        return inputs[0].dtype.base_dtype, _raw(())
    sizes = [d[0] for d in (index, max_index) if d] + ([seed[0]] if len(seed) == 2 else [])
    known = [s for s in sizes if s is not None]
    return inputs[0].dtype.base_dtype, _raw((known[0] if known else None,))


op("RandomIndexShuffle", "index:dtype, seed:Tseed, max_index:dtype", kernel=_kernel, shape=_shape,
   dtype="int32 uint32 int64 uint64", Tseed="int32 uint32 int64 uint64", grad=NOT_DIFFERENTIABLE)


def random_index_shuffle(index, seed, max_index, rounds=4, name=None):
    """Where `index` goes in a seeded pseudorandom permutation of [0, max_index] (op RandomIndexShuffle)."""
    return apply_op("RandomIndexShuffle", [index, seed, max_index], {"rounds": int(rounds)}, name=name)


"""Float32 sums in the order TF's CPU kernels add, so that `reduce_sum`/`reduce_mean` give TF's values to the bit.

TF reduces the innermost dimension(s) of a tensor with Eigen's InnerMostDimReducer over AVX packets of 8
floats: four packet accumulators take the row's whole groups of 32 (each its own packet, in order), are
added up in order, the remaining whole packets are added to that, the packet's lanes are added pairwise
((0+4) + (2+6)) + ((1+5) + (3+7)), and the last n % 8 floats, summed in order, come first in the final
addition. A row longer than 8 * 1024 floats is cut in two at a packet boundary counted from the tensor's
start, each half reduced so, and the halves added. numpy's pairwise summation adds in another order: its
sums differ from TF's in the last bit for about half of all rows of 8 floats or more.

Over leading axes (a bias's gradient) TF keeps the innermost ones: each whole packet of 8 columns gets four
accumulators that take the rows in turn (row j the (j % 4)th), added in order, the rows left after the last
whole group of 4 added to that; fewer than 16 rows, and the columns after the last whole packet, are summed
row after row. (Checked the same way: 88 row counts 1-100,003, 19 columns, and a 3-D tensor.) TF drops dimensions of
size 1 before it reduces: summed over its rows, a column [n, 1] is a whole-tensor sum and a row [1, c] a copy. TF's
BiasAddGrad sums its rows one after another, as numpy does (checked: 7 shapes).

Checked against TF 2.21 on this machine's CPU for every length 1-200 and 31 longer ones up to 4M, as whole
tensors and as rows (tests/tf_recorded/cases_reduction_order.py). `trailing_sums` keeps numpy's sums for rows
longer than LONGEST: cut into many leaves, TF's order costs Python work per leaf (10x numpy's time at 1M).

From COMPILED elements on, the leaves and the column sums run as loops compiled by numba (the same additions
in the same order, so the same bits; tests/test_eigen_sums.py): numpy's way takes a dozen calls over strided
views (a [128, 256] bias gradient's column sums 10.5 -> 3.5 us alone, 30-38 us in `mlp_train`'s step before;
the rows of [64, 512] 42 -> 17 us).
"""
import math

import numpy as np

from . import compiled

PACKET = 8      # floats per AVX packet
UNROLL = 4      # packet accumulators
LEAF = 1024     # packets a row may have before it is cut in two
LONGEST = 1 << 16   # the longest row summed in TF's order (at most 8 leaves)
COMPILED = 1 << 10  # elements from which the compiled loops are worth numba's import (~0.4 s once a process)


def trailing_sums(x, axis, keep):
    """np.sum(x, axis, keepdims=keep) for a float32 array reduced over its last len(axis) axes (all of them
    included), in TF's order; None for any other reduction, or rows longer than LONGEST."""
    if x.dtype != np.float32 or not axis or sorted(axis) != list(range(x.ndim - len(axis), x.ndim)) or not x.size:
        return None
    kept = x.shape[:x.ndim - len(axis)]
    n = x.size // max(1, math.prod(kept))
    if n > LONGEST:
        return None
    sums = row_sums(np.ascontiguousarray(x).reshape(-1, n))
    return sums.reshape(kept + (1,) * len(axis) * keep)


def leading_sums(x, axis, keep):
    """np.sum(x, axis, keepdims=keep) for a float32 array reduced over its first len(axis) axes (not all), in
    TF's order; None for any other reduction."""
    if x.dtype != np.float32 or not axis or sorted(axis) != list(range(len(axis))) or len(axis) == x.ndim \
            or not x.size:
        return None
    kept = x.shape[len(axis):]
    cols = math.prod(kept)   # (np.prod of a shape: ~5 us)
    rows = x.size // cols
    if rows == 1:      # TF drops dimensions of 1 first: nothing left to reduce, a copy (-0 stays -0)
        sums = x.reshape(-1).copy()
    elif cols == 1:    # ... a whole-tensor sum, in its order
        sums = row_sums(x.reshape(1, -1))
    else:
        sums = column_sums(np.ascontiguousarray(x).reshape(rows, cols))
    return sums.reshape((1,) * len(axis) * keep + kept)


def column_sums(x):
    """The sums of the columns of `x` (a 2-D float32 array) in TF's order."""
    rows, cols = x.shape
    packed = cols - cols % PACKET if rows >= 4 * UNROLL else 0
    if x.size >= COMPILED:
        out = np.empty(cols, np.float32)
        compiled.eigen_loops().columns(x, packed, out)
        return out
    if packed < cols:
        tail = np.add.reduce(x[:, packed:], axis=0)   # row after row
        if not packed:
            return tail + np.float32(0)               # (a sum from +0, as TF's: -0 + ... + -0 is +0)
    whole = rows - rows % UNROLL
    accs = np.add.reduce(x[:whole, :packed].reshape(whole // UNROLL, UNROLL, packed), axis=0)
    acc = ((accs[0] + accs[1]) + accs[2]) + accs[3]
    for j in range(whole, rows):
        acc = acc + x[j, :packed]
    return acc + np.float32(0) if packed == cols else np.concatenate([acc, tail]) + np.float32(0)


def row_sums(x):
    """The sums of the rows of `x` (a 2-D float32 array) in TF's order."""
    rows, n = x.shape
    if n <= PACKET * LEAF:
        return _leaf(x)
    if x.size >= COMPILED:
        out = np.empty(rows, np.float32)
        compiled.eigen_loops().trees(np.ascontiguousarray(x), out)
        return out
    flat = np.ascontiguousarray(x).reshape(-1)
    return np.array([_tree(flat, r * n, n) for r in range(rows)], np.float32)


def _tree(flat, first, n):
    if n <= PACKET * LEAF:
        return _leaf(flat[first:first + n].reshape(1, n))[0]
    split = PACKET * -(-(first + -(-n // 2)) // PACKET)    # the middle, rounded up to a packet of the tensor
    left = min(split - first, n)
    return np.float32(_tree(flat, first, left) + _tree(flat, split, n - left))


def _leaf(x):
    rows, n = x.shape
    if x.size >= COMPILED:
        out = np.empty(rows, np.float32)
        compiled.eigen_loops().leaves(x, out)
        return out
    whole, packets = n - n % (UNROLL * PACKET), n - n % PACKET
    if whole:   # each accumulator in order (numpy reduces a middle axis a slice at a time)
        accs = np.add.reduce(x[:, :whole].reshape(rows, whole // (UNROLL * PACKET), UNROLL, PACKET), axis=1)
        acc = ((accs[:, 0] + accs[:, 1]) + accs[:, 2]) + accs[:, 3]
    else:
        acc = np.zeros((rows, PACKET), np.float32)
    for j in range(whole, packets, PACKET):
        acc = acc + x[:, j:j + PACKET]
    half = acc[:, :4] + acc[:, 4:]
    quarter = half[:, :2] + half[:, 2:]           # (0+4) + (2+6), (1+5) + (3+7)
    rest = np.add.reduce(x[:, packets:], axis=1)  # under 8 floats: numpy adds them in order, from 0
    return rest + (quarter[:, 0] + quarter[:, 1])

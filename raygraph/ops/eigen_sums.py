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
tensors and as rows (tests/tf_recorded/cases_reduction_order.py). Rows of any length are summed so: a long row's
leaves run compiled (a [384, 384] tensor's sum 17 us, numpy's pairwise sum 37).

From COMPILED elements on, the leaves and the column sums run as loops compiled by numba (the same additions
in the same order, so the same bits; tests/test_eigen_sums.py): numpy's way takes a dozen calls over strided
views (a [128, 256] bias gradient's column sums 10.5 -> 3.5 us alone, 30-38 us in `mlp_train`'s step before;
the rows of [64, 512] 42 -> 17 us).
"""
import math

import numpy as np
from scheduler import intra_op

from . import compiled

PACKET = 8      # floats per AVX packet
UNROLL = 4      # packet accumulators
LEAF = 1024     # packets a row may have before it is cut in two
COST = 31 / 16       # Eigen's cost of a float in a whole tensor's sum (whole_sum)
COMPILED = 1 << 10  # elements from which the compiled loops are worth numba's import (~0.4 s once a process)


def trailing_sums(x, axis, keep):
    """np.sum(x, axis, keepdims=keep) for a float32 array reduced over its last len(axis) axes (all of them
    included), in TF's order; None for any other reduction."""
    if x.dtype != np.float32 or not axis or sorted(axis) != list(range(x.ndim - len(axis), x.ndim)) or not x.size:
        return None
    kept = x.shape[:x.ndim - len(axis)]
    n = x.size // max(1, math.prod(kept))
    sums = whole_sum(x) if n == x.size else row_sums(np.ascontiguousarray(x).reshape(-1, n))
    return np.reshape(sums, kept + (1,) * len(axis) * keep)


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
        sums = np.reshape(whole_sum(x), 1)
    else:
        sums = column_sums(np.ascontiguousarray(x).reshape(rows, cols))
    return sums.reshape((1,) * len(axis) * keep + kept)


def whole_sum(x):
    """The sum of all of float32 `x` (a float32 scalar), as TF sums a whole tensor: Eigen's FullReducer cuts it
    into blocks, one per thread of the intra-op pool, when its cost model gives the sum more than one thread
    (TensorCostModel::numThreads: int((n * cost - 100,000) / 100,000 + 0.9) threads, at most the pool's), from
    108,388 floats on two threads. COST, Eigen's cycles per float, was found against TF 2.21: the first length
    with two blocks (bisected), and the lengths where three and four begin in a pool of four. The pool's size
    is the device's intra-op parallelism here, as in TF."""
    flat = np.ascontiguousarray(x).reshape(-1)
    blocks = min(intra_op.threads(), int((flat.size * COST - 1e5) / 1e5 + 0.9))
    if blocks < 2:
        return row_sums(flat.reshape(1, -1))[0]
    return np.float32(compiled.eigen_loops().blocks_sum(flat, blocks))


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

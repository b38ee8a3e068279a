"""eigen_sums.py's sums in TF's order as loops compiled by numba: the same float32 additions in the same order
(numba reassociates nothing without fastmath), so the same bits as the numpy way, without its dozen calls over
strided views per sum. Imported only when a sum is large enough to be worth numba (eigen_sums.COMPILED)."""
import numba
import numpy as np

from .eigen_sums import LEAF, PACKET, UNROLL

_jit = numba.njit(nogil=True, cache=True)
VECTOR = 256   # floats of whole groups from which a leaf's accumulators take one vectorized pass (below it the
               # scratch array's allocation, ~35 ns, costs more than it saves)


@_jit
def columns(x, packed, out):
    """column_sums: the first `packed` columns in four accumulators (row j into the (j % 4)th, each from its
    first row), added in order, then the rows after the last group of four; the other columns row after row,
    from the first; every sum + 0 (-0 + ... + -0 is +0 in TF)."""
    rows, cols = x.shape
    if packed:
        whole = rows - rows % UNROLL
        accs = x[:UNROLL, :packed].copy()
        for j in range(UNROLL, whole, UNROLL):
            for k in range(UNROLL):
                for c in range(packed):
                    accs[k, c] += x[j + k, c]
        for c in range(packed):
            out[c] = ((accs[0, c] + accs[1, c]) + accs[2, c]) + accs[3, c]
        for j in range(whole, rows):
            for c in range(packed):
                out[c] += x[j, c]
    acc = x[0, packed:].copy()   # (a local accumulator: LLVM vectorizes its adds, not those into `out`: BiasAddGrad's
    for j in range(1, rows):     # [460800, 32] 13.6 -> 3.7 ms)
        row = x[j, packed:]
        for c in range(cols - packed):
            acc[c] += row[c]
    for c in range(cols - packed):
        out[packed + c] = acc[c]
    for c in range(cols):
        out[c] += np.float32(0)


@_jit
def _packet_sums(x, at, end):
    """The eight lanes of the accumulator of the packets at x[at], x[at + 32], ... before `end`, each from its
    first float, in order (eight scalars: LLVM keeps them in one vector register)."""
    l0, l1, l2, l3, l4, l5, l6, l7 = x[at], x[at + 1], x[at + 2], x[at + 3], x[at + 4], x[at + 5], x[at + 6], x[at + 7]
    for g in range(at + UNROLL * PACKET, end, UNROLL * PACKET):
        l0 += x[g]
        l1 += x[g + 1]
        l2 += x[g + 2]
        l3 += x[g + 3]
        l4 += x[g + 4]
        l5 += x[g + 5]
        l6 += x[g + 6]
        l7 += x[g + 7]
    return l0, l1, l2, l3, l4, l5, l6, l7


@_jit
def _group_sums(seg, acc):
    """The four packet accumulators over `seg`'s groups of 32 (a whole number of them) side by side in `acc` (32
    floats: the kth accumulator's lanes at acc[8k:8k + 8]), each from its first float, in order: one pass, its
    inner loop vectorized by LLVM (only because its length is not a constant to numba: numba's SLP vectorizer,
    which would vectorize _packet_sums' eight scalars, is off)."""
    w = acc.shape[0]
    for i in range(w):
        acc[i] = seg[i]
    for g in range(w, seg.shape[0], w):
        group = seg[g:g + w]     # (indices from 0 in a view: LLVM drops numba's negative-index check, which blocks it)
        for i in range(w):
            acc[i] += group[i]


@_jit
def _leaf_sum(x, first, n):
    """One leaf (n <= PACKET * LEAF floats from x[first]) in TF's order (eigen_sums._leaf): four packet
    accumulators over the groups of 32, added in order; then the whole packets left; the lanes pairwise; the
    last n % 8 floats in order, first in the sum. From VECTOR floats of whole groups the accumulators take one
    vectorized pass (_group_sums; a 4096-float row 1.5 -> 0.5 us, a [384, 384] tensor's sum 54 -> 17 us), below
    it four scalar passes (no allocation per leaf)."""
    whole, packets = n - n % (UNROLL * PACKET), n - n % PACKET
    z = np.float32(0)    # (eight scalars, not an array: LLVM keeps them in registers)
    a0, a1, a2, a3, a4, a5, a6, a7 = z, z, z, z, z, z, z, z
    if whole >= VECTOR:
        acc = np.empty(UNROLL * PACKET, np.float32)
        _group_sums(x[first:first + whole], acc)
        a0, a1, a2, a3, a4, a5, a6, a7 = acc[0], acc[1], acc[2], acc[3], acc[4], acc[5], acc[6], acc[7]
        for k in range(PACKET, UNROLL * PACKET, PACKET):
            a0, a1, a2, a3 = a0 + acc[k], a1 + acc[k + 1], a2 + acc[k + 2], a3 + acc[k + 3]
            a4, a5, a6, a7 = a4 + acc[k + 4], a5 + acc[k + 5], a6 + acc[k + 6], a7 + acc[k + 7]
    elif whole:
        a0, a1, a2, a3, a4, a5, a6, a7 = _packet_sums(x, first, first + whole)
        for k in range(1, UNROLL):
            l0, l1, l2, l3, l4, l5, l6, l7 = _packet_sums(x, first + k * PACKET, first + whole)
            a0, a1, a2, a3, a4, a5, a6, a7 = a0 + l0, a1 + l1, a2 + l2, a3 + l3, a4 + l4, a5 + l5, a6 + l6, a7 + l7
    for j in range(first + whole, first + packets, PACKET):
        a0, a1, a2, a3 = a0 + x[j], a1 + x[j + 1], a2 + x[j + 2], a3 + x[j + 3]
        a4, a5, a6, a7 = a4 + x[j + 4], a5 + x[j + 5], a6 + x[j + 6], a7 + x[j + 7]
    h0, h1, h2, h3 = a0 + a4, a1 + a5, a2 + a6, a3 + a7
    q0, q1 = h0 + h2, h1 + h3
    if packets == n:
        rest = np.float32(0)
    else:
        rest = x[first + packets]
        for j in range(first + packets + 1, first + n):
            rest += x[j]
    return rest + (q0 + q1)


@_jit
def leaves(x, out):
    for r in range(x.shape[0]):
        out[r] = _leaf_sum(x[r], 0, x.shape[1])


@_jit
def tree_sum(flat, first, n):
    if n <= PACKET * LEAF:
        return _leaf_sum(flat, first, n)
    split = PACKET * -(-(first + -(-n // 2)) // PACKET)
    left = min(split - first, n)
    return tree_sum(flat, first, left) + tree_sum(flat, split, n - left)


@_jit
def blocks_sum(flat, blocks):
    """A whole tensor's sum as Eigen's FullReducer makes it on a pool of threads: blocks of len // blocks
    floats (as many as fit), each a tree from its first float; the floats after the last block first (+0 when
    there are none), then each block's sum in order."""
    n = flat.shape[0]
    size = n // blocks
    whole = n - n % size
    total = tree_sum(flat, whole, n - whole) if whole < n else np.float32(0)
    for first in range(0, whole, size):
        total += tree_sum(flat, first, size)
    return total


@_jit
def trees(x, out):
    flat = x.reshape(-1)
    n = x.shape[1]
    for r in range(x.shape[0]):
        out[r] = tree_sum(flat, r * n, n)

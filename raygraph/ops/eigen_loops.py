"""eigen_sums.py's sums in TF's order as loops compiled by numba: the same float32 additions in the same order
(numba reassociates nothing without fastmath), so the same bits as the numpy way, without its dozen calls over
strided views per sum. Imported only when a sum is large enough to be worth numba (eigen_sums.COMPILED)."""
import numba
import numpy as np

from .eigen_sums import LEAF, PACKET, UNROLL

_jit = numba.njit(nogil=True, cache=True)


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
def _leaf_sum(x, first, n):
    """One leaf (n <= PACKET * LEAF floats from x[first]) in TF's order (eigen_sums._leaf): four packet
    accumulators over the groups of 32, added in order; then the whole packets left; the lanes pairwise; the
    last n % 8 floats in order, first in the sum."""
    whole, packets = n - n % (UNROLL * PACKET), n - n % PACKET
    z = np.float32(0)    # (eight scalars, not an array: no allocation per leaf; LLVM keeps them in a register)
    a0, a1, a2, a3, a4, a5, a6, a7 = z, z, z, z, z, z, z, z
    if whole:
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
def trees(x, out):
    flat = x.reshape(-1)
    n = x.shape[1]
    for r in range(x.shape[0]):
        out[r] = tree_sum(flat, r * n, n)

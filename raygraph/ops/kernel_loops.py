"""Loops compiled by numba for kernels that numpy runs as many calls over small arrays, each a pass over memory
with a temporary: in a training step they follow large products that leave the caches cold, and there a numpy call
costs 2-3x what it costs alone. mlp_train's step (medians per node, in-process): its [128, 10] softmax cross
entropy 55-100 us in the step as a dozen numpy calls (30 alone), 35-40 as this loop (16-19 alone); ReluGrad of
[128, 256] 25-38 -> 14-18 (14 -> 6 alone); the sparse cross entropy of [128, 10] 44 -> 16 us alone. MaxPoolGrad
scans each window once where numpy compares whole planes of cells several times (2x2 windows of stride 2 that tile
the input: the taken cells in one pass, the gradients in a second), and MaxPool's 2x2 windows of stride 2 compare
their four cells at once where numpy makes three strided passes (pooling.py has figures). The
Winograd convolution's transforms (conv_winograd.py) turn each tile's 16 values into 16 others in one pass over a
chunk of tiles, where numpy would make a pass per value. The optimizers' updates (gradient descent, Momentum,
Adagrad, RMSProp, Adam) make one pass over the variable, its slots and the gradient, where numpy makes one per
operation with a temporary each. The Fourier convolutions' moves between layouts write in their result's order
(conv_fourier.py has figures).

The cross entropies follow TF's kernels: exp(z) / s (not exp(z - log s)), sums in TF's order (eigen_loops); exp
and log are libm's (TF's are Eigen's polynomials: an ulp apart at times). Against TF 2.21 on [512, 10] float32,
equal to the bit: the loss 97% of rows (57% before), the backprop 97% of elements (70%); the sparse one's 99% and
87% (80%, 28%). Imported on first use (numba's import costs ~0.4 s once a process); each loop compiled once per
machine (numba's cache). The callers check what a loop needs (float32, C order, equal shapes) and keep numpy's way,
in the same order of operations, for the rest.
"""
import numba
import numpy as np
from scheduler.jit import formula

from .eigen_loops import tree_sum

_jit = numba.njit(nogil=True, cache=True)
TAKEN_POSITIVE = 4   # max_pool_2x2_and_taken's flag: the taken cell's value is > 0
_jit_ieee = numba.njit(nogil=True, cache=True, error_model="numpy")   # x / 0 is inf or NaN, as in TF (no check
                                                                     # per division: the loops vectorize)


@_jit
def _exps(logits, i, out, flat):
    """exp(z) for row i of `logits` less its maximum (z) into out[i] (`flat` its view as a vector); -> their sum
    in TF's order, and the maximum."""
    m = logits[i, 0]
    cols = logits.shape[1]
    for j in range(1, cols):
        if logits[i, j] > m:
            m = logits[i, j]
    for j in range(cols):
        out[i, j] = np.exp(logits[i, j] - m)
    return tree_sum(flat, i * cols, cols), m


@_jit
def softmax_xent(logits, labels, loss, backprop):
    """TF1's SoftmaxCrossEntropyWithLogits over the rows of [n, c] float32 `logits` and `labels`, in xent_op.h's
    order of operations: z = logits - max, s = sum(exp(z)), loss = sum(labels * (log(s) - z)), backprop = exp(z)
    / s - labels; the sums in TF's order (eigen_loops)."""
    rows, cols = logits.shape
    terms, flat = np.empty(rows * cols, np.float32), backprop.reshape(-1)
    for i in range(rows):
        s, m = _exps(logits, i, backprop, flat)
        lse = np.log(s)
        for j in range(cols):
            terms[i * cols + j] = labels[i, j] * (lse - (logits[i, j] - m))
            backprop[i, j] = backprop[i, j] / s - labels[i, j]
        loss[i] = tree_sum(terms, i * cols, cols)


@_jit
def sparse_softmax_xent(logits, labels, loss, backprop):
    """TF1's SparseSoftmaxCrossEntropyWithLogits (sparse_xent_op.h) over [n, c] float32 `logits`: loss = log(s) -
    z[label], backprop = exp(z) / s less 1 at the label. -> the first row whose label is outside [0, c) (then
    nothing is computed), else -1."""
    rows, cols = logits.shape
    for i in range(rows):
        if labels[i] < 0 or labels[i] >= cols:
            return i
    flat = backprop.reshape(-1)
    for i in range(rows):
        s, m = _exps(logits, i, backprop, flat)
        loss[i] = np.log(s) - (logits[i, labels[i]] - m)
        for j in range(cols):
            backprop[i, j] = backprop[i, j] / s
        backprop[i, labels[i]] -= 1
    return -1


@_jit
def relu_grad(g, y, out):
    """TF1's ReluGrad, g * (y > 0) (so -0 where a negative g meets y <= 0, NaN for a NaN g), over equal-shaped
    C-ordered float32 arrays in one pass."""
    gs, ys, o = g.reshape(-1), y.reshape(-1), out.reshape(-1)
    one, zero = np.float32(1), np.float32(0)
    for i in range(gs.size):
        o[i] = gs[i] * (one if ys[i] > zero else zero)


@_jit
def select(c, x, y, out):
    """Select's bits over [rows, n] arrays of one integer type (the values' bits): out[r, j] = x[r, j] where
    c[r, j] (c [rows, n]), or where c[r] (c [rows, 1]: a vector condition picks rows), else y[r, j]; as
    y ^ ((x ^ y) & -c), without a branch per element (LLVM vectorizes it: [512, 65] float32 5.7 us, 27 with
    the branch)."""
    rows, n = x.shape
    whole = c.shape[1] == n
    for r in range(rows):
        row_mask = -x.dtype.type(c[r, 0])
        for j in range(n):
            mask = -x.dtype.type(c[r, j]) if whole else row_mask
            out[r, j] = y[r, j] ^ ((x[r, j] ^ y[r, j]) & mask)


@_jit
def log_uniform_unique(pairs, log_range, range_max, sampled):
    """candidate_sampling's log-uniform draws with unique=True, as TF's RangeSampler: each (x0, x1) pair of
    `pairs` a double of [0, 1) (x1 | x0 << 32, its low 52 bits as the mantissa), value = int(exp(double *
    log_range)) - 1 (mod range_max), a value already taken rejected, until `sampled` is full. -> the tries it
    took, or -1 when the pairs ran out. (The expected counts stay numpy's: its vector log, log1p and expm1 are
    several times faster than libm's per element.)"""
    n = sampled.size
    word = np.empty(1, np.uint64)
    as_double = word.view(np.float64)
    taken = 0
    for i in range(pairs.shape[0]):
        word[0] = ((np.uint64(pairs[i, 1]) | (np.uint64(pairs[i, 0]) << np.uint64(32))) & np.uint64(0xFFFFFFFFFFFFF)
                   | np.uint64(1023 << 52))
        value = (np.int64(np.exp((as_double[0] - 1.0) * log_range)) - 1) % range_max
        new = True
        for j in range(taken):   # (a scan: numba's typed set took longer for a few dozen values)
            if sampled[j] == value:
                new = False
                break
        if new:
            sampled[taken] = value
            taken += 1
            if taken == n:
                return i + 1
    return -1


@_jit
def descend(var, delta, alpha, out):
    """ApplyGradientDescent's var - alpha * delta over equal-shaped C-ordered arrays, in one pass (the same bits
    as numpy's delta * -alpha + var: no multiply and add contracted into one)."""
    v, d, o = var.reshape(-1), delta.reshape(-1), out.reshape(-1)
    for i in range(v.size):
        o[i] = v[i] - alpha * d[i]


@numba.njit(nogil=True, cache=True, error_model="numpy")
def adam(var, m, v, grad, alpha, keep1, keep2, epsilon, new_var, new_m, new_v):
    """ApplyAdam's update over equal-shaped C-ordered arrays in one pass, where numpy's way makes ten (each with a
    temporary): m + (g - m) * keep1, v + (g * g - v) * keep2 (keep: one less the beta), var - m * alpha /
    (sqrt(v) + epsilon), each operation in the arrays' dtype and rounded as numpy's passes round it (no multiply
    and add contracted into one). numpy's error model (a division by zero gives inf, no check and exception) lets
    LLVM vectorize the loop: float32, one thread, 2K elements 8.3 -> 5.7 us, 200K 224 -> 60, 1M 1.48 -> 0.43 ms
    (with Python's error model the loop ran scalar, slower than numpy from 2K elements)."""
    x, mm, vv, g = var.reshape(-1), m.reshape(-1), v.reshape(-1), grad.reshape(-1)
    ox, om, ov = new_var.reshape(-1), new_m.reshape(-1), new_v.reshape(-1)
    for i in range(x.size):
        gi = g[i]
        mi = mm[i] + (gi - mm[i]) * keep1
        vi = vv[i] + (gi * gi - vv[i]) * keep2
        om[i] = mi
        ov[i] = vi
        ox[i] = x[i] - mi * alpha / (np.sqrt(vi) + epsilon)


@numba.njit(nogil=True, cache=True, error_model="numpy")
def momentum(var, accum, grad, lr, momentum, nesterov, new_var, new_accum):
    """ApplyMomentum's accum * momentum + g, then var - lr * accum (Nesterov: var - (g * lr + accum * momentum *
    lr)), in one pass, rounded as numpy's passes round it."""
    x, a, g = var.reshape(-1), accum.reshape(-1), grad.reshape(-1)
    ox, oa = new_var.reshape(-1), new_accum.reshape(-1)
    for i in range(x.size):
        ai = a[i] * momentum + g[i]
        oa[i] = ai
        if nesterov:
            ox[i] = x[i] - (g[i] * lr + ai * momentum * lr)
        else:
            ox[i] = x[i] - lr * ai


@numba.njit(nogil=True, cache=True, error_model="numpy")
def adagrad(var, accum, grad, lr, update_slots, new_var, new_accum):
    """ApplyAdagrad's accum + g * g (unless the slots stay), then var - lr * g / sqrt(accum), in one pass, rounded
    as numpy's passes round it."""
    x, a, g = var.reshape(-1), accum.reshape(-1), grad.reshape(-1)
    ox, oa = new_var.reshape(-1), new_accum.reshape(-1)
    for i in range(x.size):
        gi = g[i]
        ai = a[i] + gi * gi if update_slots else a[i]
        oa[i] = ai
        ox[i] = x[i] - lr * gi / np.sqrt(ai)


@numba.njit(nogil=True, cache=True, error_model="numpy")
def rmsprop(var, ms, mom, grad, lr, keep, momentum, epsilon, new_var, new_ms, new_mom):
    """ApplyRMSProp's ms + (g * g - ms) * keep (keep: one less rho), mom * momentum + lr * g / sqrt(ms + epsilon),
    var - mom, in one pass, rounded as numpy's passes round it."""
    x, s, m, g = var.reshape(-1), ms.reshape(-1), mom.reshape(-1), grad.reshape(-1)
    ox, os_, om = new_var.reshape(-1), new_ms.reshape(-1), new_mom.reshape(-1)
    for i in range(x.size):
        gi = g[i]
        si = s[i] + (gi * gi - s[i]) * keep
        mi = m[i] * momentum + lr * gi / np.sqrt(si + epsilon)
        os_[i] = si
        om[i] = mi
        ox[i] = x[i] - mi


@_jit
def add_rows(var, idx, rows, subtract):
    """scatter.add_rows' var[idx[i]] += rows[i] (or -=) over [n, row] arrays, one row after another in index
    order, as TF's kernel (repeated indices add up in order)."""
    for i in range(idx.shape[0]):
        if subtract:
            var[idx[i]] -= rows[i]
        else:
            var[idx[i]] += rows[i]


@_jit
def max_pool_grad(x, grad, ksize, strides, before, disjoint, zero, out):
    """TF's MaxPoolGrad over [n, h, w, c] `x` (windows over h and w: `ksize`, `strides`, `before` the padding)
    into `out` (of x's shape, zeros; where no window reaches they stay): each window's gradient goes to the cell
    TF's scan takes (pooling._taken: the first of the largest in row-major order, a NaN only as the window's first
    cell of the input, padding never), right after the scan, while the window is in cache. Overlapping windows add
    up in the windows' order, as TF's kernel adds them (pooling.py's numpy way, its window offsets last to first,
    has these bits: -0.0 + 0.0 included); where windows do not overlap, a cell takes its window's gradient as it
    is (-0.0 stays -0.0, as that way's copy). Overlapping 3x3 windows of stride 2 over [16, 56, 56, 64] (AlexNet's),
    alone: 3.2 ms (1.8 split in two) with the taken cells kept and added a window offset at a time, 2.6 (1.4).
    The scan keeps its best values and cells in two pairs of arrays, each cell's step reading one pair and writing
    the other: an array updated where a cell is taken and else left was stored with masked stores (`vmaskmovps`),
    microcoded on AMD's cores; and the gradient a cell does not take is `zero`, an argument (0): adding a constant 0
    where a cell is not taken, LLVM stored the sum only where it is, masked (those windows over [16, 28, 28, 64] on a
    Zen 3 EPYC, alone: 1.5-2.2 -> 0.9-1.1 ms)."""
    (k1, k2), (s1, s2), (b1, b2) = ksize, strides, before
    n, h, w, c = x.shape
    best = np.empty((2, c), x.dtype)     # rows t and 1 - t: the scan's state before and after a cell
    first = np.empty((2, c), np.int32)
    for o0 in range(n):
        for o1 in range(grad.shape[1]):
            for o2 in range(grad.shape[2]):
                t = 0
                first[t] = -1
                for i1 in range(k1):
                    p1 = o1 * s1 + i1 - b1
                    for i2 in range(k2):
                        p2 = o2 * s2 + i2 - b2
                        if 0 <= p1 < h and 0 <= p2 < w:
                            j = i1 * k2 + i2
                            u = 1 - t
                            for o3 in range(c):
                                v = x[o0, p1, p2, o3]
                                take = (v > best[t, o3]) | (first[t, o3] < 0)
                                best[u, o3] = v if take else best[t, o3]
                                first[u, o3] = j if take else first[t, o3]
                            t = u
                # each cell of the window, while its gradients are in cache (the scan's loops again: one table of the
                # window's cells for both made the kernel 1.4x slower)
                for i1 in range(k1):
                    p1 = o1 * s1 + i1 - b1
                    for i2 in range(k2):
                        p2 = o2 * s2 + i2 - b2
                        if 0 <= p1 < h and 0 <= p2 < w:
                            j = i1 * k2 + i2
                            if disjoint:
                                for o3 in range(c):
                                    gv = grad[o0, o1, o2, o3]   # (read whether taken or not: no masked load)
                                    out[o0, p1, p2, o3] = gv if first[t, o3] == j else zero
                            else:
                                for o3 in range(c):
                                    gv = grad[o0, o1, o2, o3]
                                    out[o0, p1, p2, o3] += gv if first[t, o3] == j else zero


@_jit_ieee
def max_pool(x, ksize, strides, before, lowest, out):
    """MaxPool over the rows and columns of [n, h, w, c] `x` (windows `ksize`, `strides`, `before` the padding, whose
    cells are never taken) into `out` [n, oh, ow, c]: each window's cells in row-major order, by np.maximum's rule
    (a NaN wins, of equal values the earlier), `lowest` where a window holds no cell of x; a pixel's channels at a
    time (numpy's way reduces the window's rows, then its columns, a strided pass each). The running maxima go back
    and forth between two arrays (each cell's step reads one, writes the other): kept in place, an array updated
    only where a cell wins was stored with masked stores (`vmaskmovps`), microcoded on AMD's cores (3x3 windows of
    stride 2 over [16, 28, 28, 64] on a Zen 3 EPYC, alone: 1.0-1.6 -> 0.4 ms)."""
    (k1, k2), (s1, s2), (b1, b2) = ksize, strides, before
    n, h, w, c = x.shape
    run, other = np.empty(c, out.dtype), np.empty(c, out.dtype)
    for o0 in range(n):
        for o1 in range(out.shape[1]):
            lo1, hi1 = max(o1 * s1 - b1, 0), min(o1 * s1 - b1 + k1, h)
            for o2 in range(out.shape[2]):
                lo2, hi2 = max(o2 * s2 - b2, 0), min(o2 * s2 - b2 + k2, w)
                cell = out[o0, o1, o2]
                if lo1 >= hi1 or lo2 >= hi2:
                    cell[:] = lowest
                    continue
                run[:] = x[o0, lo1, lo2]
                for p1 in range(lo1, hi1):
                    for p2 in range(lo2, hi2):
                        if p1 == lo1 and p2 == lo2:
                            continue
                        v = x[o0, p1, p2]
                        for o3 in range(c):
                            m = run[o3]
                            other[o3] = m if m >= v[o3] or m != m else v[o3]
                        run, other = other, run
                cell[:] = run


@_jit_ieee
def avg_pool(x, ksize, strides, before, out):
    """TF's AvgPool over the rows and columns of [n, h, w, c] `x` (windows `ksize`, `strides`, `before` the padding)
    into `out` [n, oh, ow, c]: each window's cells added from 0 in row-major order, a pixel's channels at a time, and
    the sums divided by the count of the window's cells in x (TF's bits: Eigen's mean reducer; numpy's separable sums
    added in another order, about half of the means a bit off)."""
    (k1, k2), (s1, s2), (b1, b2) = ksize, strides, before
    n, h, w, c = x.shape
    acc, counted = np.empty(c, out.dtype), np.empty(1, out.dtype)
    for o0 in range(n):
        for o1 in range(out.shape[1]):
            lo1, hi1 = max(o1 * s1 - b1, 0), min(o1 * s1 - b1 + k1, h)
            for o2 in range(out.shape[2]):
                lo2, hi2 = max(o2 * s2 - b2, 0), min(o2 * s2 - b2 + k2, w)
                acc[:] = 0
                for p1 in range(lo1, hi1):
                    for p2 in range(lo2, hi2):
                        v = x[o0, p1, p2]
                        for o3 in range(c):
                            acc[o3] += v[o3]
                counted[0] = (hi1 - lo1) * (hi2 - lo2)
                count = counted[0]
                cell = out[o0, o1, o2]
                for o3 in range(c):
                    cell[o3] = acc[o3] / count


@_jit_ieee
def avg_pool_grad(grad, ksize, strides, before, out):
    """TF's AvgPoolGrad into `out` [n, h, w, c] (zeros) from `grad` [n, oh, ow, c]: the windows in row-major order,
    each window's gradient times 1 / its count of cells in `out` (a double rounded to the dtype through a buffer of
    one) added to each of its cells, a pixel's channels at a time (TF's bits: its CPU kernel's order)."""
    (k1, k2), (s1, s2), (b1, b2) = ksize, strides, before
    n, h, w, c = out.shape
    coeff = np.empty(1, out.dtype)
    for o0 in range(n):
        for o1 in range(grad.shape[1]):
            lo1, hi1 = max(o1 * s1 - b1, 0), min(o1 * s1 - b1 + k1, h)
            for o2 in range(grad.shape[2]):
                lo2, hi2 = max(o2 * s2 - b2, 0), min(o2 * s2 - b2 + k2, w)
                coeff[0] = 1.0 / max((hi1 - lo1) * (hi2 - lo2), 1)
                share = coeff[0]
                g = grad[o0, o1, o2]
                for p1 in range(lo1, hi1):
                    for p2 in range(lo2, hi2):
                        cell = out[o0, p1, p2]
                        for o3 in range(c):
                            cell[o3] += g[o3] * share


@numba.njit(nogil=True, cache=True, error_model="numpy")
def max_pool_2x2_and_taken(x, out, taken):
    """MaxPool of 2x2 windows of stride 2 over the rows and columns of [n, h, w, c] `x` into `out` ([n, h // 2,
    w // 2, c]: windows inside x), and which cell of each window TF's MaxPoolGrad scan takes (0-3 in row-major
    order: the first of the largest, a NaN only as the first cell) into `taken` (int8), plus TAKEN_POSITIVE where
    that cell's value is > 0 (what a ReluGrad of the window's gradient keeps), in one pass over the
    channels (numpy's way makes three passes with a strided temporary each). The maxima follow np.maximum's rule: a
    NaN wins, of equal values the earlier (numpy's SIMD loops may give the other zero where -0.0 and +0.0 tie: the
    values agree, not always the zeros' signs). MaxPool keeps the taken cells for its gradient where the windows tile
    x (pooling.py), which makes them itself (into a scratch `out`) for an array MaxPool did not see. The four cells
    loaded first, then compared by both rules: cold, [64, 28, 28, 16] float32 in 137-146 us, where a loop of the
    maxima alone, comparing as it loaded, took 267-293 and one of the taken cells alone 222-242."""
    n, h, w, c = out.shape
    one, two, three = taken.dtype.type(1), taken.dtype.type(2), taken.dtype.type(3)
    zero, positive = taken.dtype.type(0), taken.dtype.type(TAKEN_POSITIVE)
    for b in range(n):
        for i in range(h):
            for j in range(w):
                for k in range(c):
                    a0 = x[b, 2 * i, 2 * j, k]
                    a1 = x[b, 2 * i, 2 * j + 1, k]
                    a2 = x[b, 2 * i + 1, 2 * j, k]
                    a3 = x[b, 2 * i + 1, 2 * j + 1, k]
                    m = a0 if a0 >= a1 or a0 != a0 else a1
                    m = m if m >= a2 or m != m else a2
                    out[b, i, j, k] = m if m >= a3 or m != m else a3
                    right = a1 > a0
                    t = a1 if right else a0
                    below = a2 > t
                    t = a2 if below else t
                    s = one if right else zero
                    s = two if below else s
                    last = a3 > t
                    t = a3 if last else t
                    taken[b, i, j, k] = (three if last else s) | (positive if t > 0 else zero)


@_jit
def max_pool_2x2_scatter(grad, taken, out):
    """Each window's gradient to its taken cell (max_pool_2x2_and_taken), zeros to the other three, over `out` [n, 2 *
    h, 2 * w, c] from `grad` [n, h, w, c]: both as integers of the floats' size (their bits: a NaN or infinite
    gradient stays out of the other cells and -0.0 stays -0.0, as max_pool_grad's)."""
    n, h, w, c = out.shape
    zero, cells = grad.dtype.type(0), taken.dtype.type(3)
    for b in range(n):
        for r in range(h):
            for col in range(w):
                cell = 2 * (r % 2) + col % 2
                for k in range(c):
                    hit = (taken[b, r // 2, col // 2, k] & cells) == cell
                    out[b, r, col, k] = grad[b, r // 2, col // 2, k] if hit else zero


@_jit
def max_pool_2x2_scatter_relu(grad, taken, out):
    """ReluGrad(MaxPoolGrad(x, y, grad), x) of float `grad` [n, h, w, c] into `out` [n, 2 h, 2 w, c] in one pass, x
    the windows' input (a ReLU's output): each window's gradient times 1 or 0 (whether its taken cell's value is > 0,
    TAKEN_POSITIVE) to its taken cell, as ReluGrad multiplies (a NaN gradient stays NaN, -0.0 for a negative one
    masked), +0.0 to the other three (ReluGrad's product of MaxPoolGrad's zeros)."""
    n, h, w, c = out.shape
    zero, one, cells = out.dtype.type(0), out.dtype.type(1), taken.dtype.type(3)
    positive = taken.dtype.type(TAKEN_POSITIVE)
    for b in range(n):
        for r in range(h):
            for col in range(w):
                cell = 2 * (r % 2) + col % 2
                for k in range(c):
                    t = taken[b, r // 2, col // 2, k]
                    kept = grad[b, r // 2, col // 2, k] * (one if (t & positive) != 0 else zero)
                    out[b, r, col, k] = kept if (t & cells) == cell else zero


@_jit
def winograd_tiles(xp, th, r0, r1, v):
    """The F(2x2, 3x3) input transform (conv_winograd.py) of the 4x4 tiles at tile rows r0:r1 of the padded
    [n, 2 th + 2, 2 tw + 2, c] `xp` (row g: image g // th, tile row g % th; every tile of a row), in order, into
    v [16, tiles, c]: B^T d B, B^T = [[1, 0, -1, 0], [0, 1, 1, 0], [0, -1, 1, 0], [0, 1, 0, -1]]."""
    c = xp.shape[3]
    tw = (xp.shape[2] - 2) // 2
    t = 0
    for g in range(r0, r1):
        img = xp[g // th]
        i0 = 2 * (g % th)
        x0, x1, x2, x3 = img[i0], img[i0 + 1], img[i0 + 2], img[i0 + 3]
        for j in range(0, 2 * tw, 2):
            v0, v1, v2, v3, v4, v5, v6, v7 = v[0, t], v[1, t], v[2, t], v[3, t], v[4, t], v[5, t], v[6, t], v[7, t]
            v8, v9, v10, v11 = v[8, t], v[9, t], v[10, t], v[11, t]
            v12, v13, v14, v15 = v[12, t], v[13, t], v[14, t], v[15, t]
            for k in range(c):   # (rows, then columns, of B^T d B)
                a0, a1, a2, a3 = x0[j, k] - x2[j, k], x0[j + 1, k] - x2[j + 1, k], x0[j + 2, k] - x2[j + 2, k], \
                    x0[j + 3, k] - x2[j + 3, k]
                b0, b1, b2, b3 = x1[j, k] + x2[j, k], x1[j + 1, k] + x2[j + 1, k], x1[j + 2, k] + x2[j + 2, k], \
                    x1[j + 3, k] + x2[j + 3, k]
                e0, e1, e2, e3 = x2[j, k] - x1[j, k], x2[j + 1, k] - x1[j + 1, k], x2[j + 2, k] - x1[j + 2, k], \
                    x2[j + 3, k] - x1[j + 3, k]
                f0, f1, f2, f3 = x1[j, k] - x3[j, k], x1[j + 1, k] - x3[j + 1, k], x1[j + 2, k] - x3[j + 2, k], \
                    x1[j + 3, k] - x3[j + 3, k]
                v0[k], v1[k], v2[k], v3[k] = a0 - a2, a1 + a2, a2 - a1, a1 - a3
                v4[k], v5[k], v6[k], v7[k] = b0 - b2, b1 + b2, b2 - b1, b1 - b3
                v8[k], v9[k], v10[k], v11[k] = e0 - e2, e1 + e2, e2 - e1, e1 - e3
                v12[k], v13[k], v14[k], v15[k] = f0 - f2, f1 + f2, f2 - f1, f1 - f3
            t += 1


@_jit
def winograd_outputs(m, th, r0, r1, y, bias, relu, zero):
    """The F(2x2, 3x3) output transform: each tile's 2x2 outputs A^T M A (A^T = [[1, 1, 1, 0], [0, 1, -1, -1]])
    from m [16, tiles, o] (tiles as winograd_tiles takes them) into y [n, h, w, o]; a tile past an odd edge
    writes only its outputs inside y; where `bias` has o values, each output gets its channel's added and, where
    `relu`, ReLU taken as swap_leading_biased does. -> whether every output (before the bias) is finite."""
    o, h, w = y.shape[3], y.shape[1], y.shape[2]
    tw = (w + 1) // 2
    check = np.zeros(o, m.dtype)   # per output channel (a sum per channel, so that the loop over them vectorizes)
    biased = bias.shape[0] == o
    t = 0
    for g in range(r0, r1):
        img = y[g // th]
        i0 = 2 * (g % th)
        y0, y1 = img[i0], img[min(i0 + 1, h - 1)]
        for j0 in range(0, 2 * tw, 2):
            j1 = min(j0 + 1, w - 1)
            m0, m1, m2, m3, m4, m5, m6, m7 = m[0, t], m[1, t], m[2, t], m[3, t], m[4, t], m[5, t], m[6, t], m[7, t]
            m8, m9, m10, m11 = m[8, t], m[9, t], m[10, t], m[11, t]
            m12, m13, m14, m15 = m[12, t], m[13, t], m[14, t], m[15, t]
            z00, z01, z10, z11 = y0[j0], y0[j1], y1[j0], y1[j1]
            for k in range(o):
                p0, p1 = m0[k] + m4[k] + m8[k], m1[k] + m5[k] + m9[k]
                p2, p3 = m2[k] + m6[k] + m10[k], m3[k] + m7[k] + m11[k]
                q0, q1 = m4[k] - m8[k] - m12[k], m5[k] - m9[k] - m13[k]
                q2, q3 = m6[k] - m10[k] - m14[k], m7[k] - m11[k] - m15[k]
                s00, s01, s10, s11 = p0 + p1 + p2, p1 - p2 - p3, q0 + q1 + q2, q1 - q2 - q3
                check[k] += (s00 - s00) + (s01 - s01) + (s10 - s10) + (s11 - s11)   # NaN once one is not finite
                if biased:
                    b = bias[k]
                    s00, s01, s10, s11 = s00 + b, s01 + b, s10 + b, s11 + b
                    if relu:
                        s00 = s00 if s00 > zero or s00 != s00 else zero
                        s01 = s01 if s01 > zero or s01 != s01 else zero
                        s10 = s10 if s10 > zero or s10 != s10 else zero
                        s11 = s11 if s11 > zero or s11 != s11 else zero
                # past an odd edge a missing row or column is the kept one: written first, then overwritten
                z11[k] = s11
                z10[k] = s10
                z01[k] = s01
                z00[k] = s00
            t += 1
    for k in range(o):
        if check[k] != 0:
            return False
    return True


@_jit
def winograd_gradient_tiles(dyp, th, r0, r1, z):
    """The F(2x2, 3x3) filter gradient's transform of the output gradient (conv_winograd.backprop_filter): each
    2x2 tile of the zero-padded [n, 2 th, 2 tw, o] `dyp` at tile rows r0:r1 (as winograd_tiles takes them) as
    A dy A^T into z [16, tiles, o] (A = [[1, 0], [1, 1], [1, -1], [0, -1]])."""
    o = dyp.shape[3]
    tw = dyp.shape[2] // 2
    t = 0
    for g in range(r0, r1):
        img = dyp[g // th]
        i0 = 2 * (g % th)
        d0, d1 = img[i0], img[i0 + 1]
        for j in range(0, 2 * tw, 2):
            z0, z1, z2, z3, z4, z5, z6, z7 = z[0, t], z[1, t], z[2, t], z[3, t], z[4, t], z[5, t], z[6, t], z[7, t]
            z8, z9, z10, z11 = z[8, t], z[9, t], z[10, t], z[11, t]
            z12, z13, z14, z15 = z[12, t], z[13, t], z[14, t], z[15, t]
            for k in range(o):   # (rows, then columns, of A dy A^T)
                a0, a1 = d0[j, k], d0[j + 1, k]
                b0, b1 = d0[j, k] + d1[j, k], d0[j + 1, k] + d1[j + 1, k]
                e0, e1 = d0[j, k] - d1[j, k], d0[j + 1, k] - d1[j + 1, k]
                f0, f1 = -d1[j, k], -d1[j + 1, k]
                z0[k], z1[k], z2[k], z3[k] = a0, a0 + a1, a0 - a1, -a1
                z4[k], z5[k], z6[k], z7[k] = b0, b0 + b1, b0 - b1, -b1
                z8[k], z9[k], z10[k], z11[k] = e0, e0 + e1, e0 - e1, -e1
                z12[k], z13[k], z14[k], z15[k] = f0, f0 + f1, f0 - f1, -f1
            t += 1


@_jit
def swap_leading(a, out):
    """out[i, j, k] = a[j, i, k] (C-order 3-D arrays), written in out's order: the Fourier convolutions' moves of
    the batch dim past the spatial dims and back (conv_fourier.py), where numpy's copy runs in the input's order."""
    n1, n0, n2 = out.shape
    for i in range(n1):
        for j in range(n0):
            for k in range(n2):
                out[i, j, k] = a[j, i, k]


@_jit
def swap_leading_biased(a, bias, relu, zero, out):
    """swap_leading, each value then given bias[k] and, where `relu`, ReLU (NaN kept, `zero` for the rest, -0.0
    included): a convolution's bias + ReLU region (conv._bias_relu_of) as the Fourier forward writes its output,
    the region's bits (its float additions; ReLU as scalar_math's)."""
    n1, n0, n2 = out.shape
    for i in range(n1):
        for j in range(n0):
            for k in range(n2):
                v = a[j, i, k] + bias[k]
                out[i, j, k] = v if not relu or v > zero or v != v else zero


@_jit
def bias_relu(y, bias, relu, zero):
    """y [rows, n] in place: y + bias and, where `relu`, ReLU, as swap_leading_biased."""
    for i in range(y.shape[0]):
        for k in range(y.shape[1]):
            v = y[i, k] + bias[k]
            y[i, k] = v if not relu or v > zero or v != v else zero


@_jit
def interleave(parts, out):
    """out[i, f, k] = parts[i, f, k] + 1j * parts[i, half + f, k] (parts [n, 2 * half, m] real, out complex): a
    half spectrum's real parts over its imaginary parts, made complex in one pass (numpy: two strided ones)."""
    n, half, m = out.shape
    for i in range(n):
        for f in range(half):
            for k in range(m):
                out[i, f, k] = complex(parts[i, f, k], parts[i, half + f, k])


@_jit
def deinterleave(z, out):
    """out[i, f, k] = z[i, f, k].real and out[i, half + f, k] = z[i, f, k].imag (interleave's inverse)."""
    n, half, m = z.shape
    for i in range(n):
        for f in range(half):
            for k in range(m):
                v = z[i, f, k]
                out[i, f, k] = v.real
                out[i, half + f, k] = v.imag


# LRN's powers are exp(log(n) * -beta) with Eigen's polynomials (scalar_math.py: TF's forward kernel computes them
# so), inlined where numba can vectorize them: libm's per element made a loop several times slower.
_exp = formula("raygraph.ops.scalar_math", "exp")
_log = formula("raygraph.ops.scalar_math", "log")


@_jit_ieee
def _lrn_norms(xi, r, bias, alpha, padded, n):
    """n[j] = alpha * (the sum of xi[k]^2 over k in [j - r, j + r], in k's order) + bias, as TF's kernels (padded:
    len(xi) + 2r zeros, the squares written between the ends; its sums by shifted whole-row adds vectorize)."""
    d = n.size
    for k in range(d):
        padded[r + k] = xi[k] * xi[k]
    _window_sums(padded, r, n)
    for j in range(d):
        n[j] = alpha * n[j] + bias


@_jit_ieee
def _window_sums(padded, r, out):
    """out[j] = the sum of padded[j:j + 2r + 1], in order, by shifted whole-row adds (they vectorize)."""
    d = out.size
    for j in range(d):
        out[j] = padded[j]
    for t in range(1, 2 * r + 1):
        for j in range(d):
            out[j] += padded[j + t]


@_jit_ieee
def lrn(x, r, bias, alpha, beta, out):
    """TF's LRN over the rows of [rows, depth] float32 x: x / n^beta as TF's CPU kernel writes it, x * (1 / n) for
    beta 1, x * (1 / sqrt(n)) for 0.5, else x * exp(log(n) * -beta)."""
    rows, d = x.shape
    padded, n = np.zeros(d + 2 * r, np.float32), np.empty(d, np.float32)
    minus_beta, one = -beta, np.float32(1)
    for i in range(rows):
        xi, oi = x[i], out[i]
        _lrn_norms(xi, r, bias, alpha, padded, n)
        if beta == one:
            for j in range(d):
                oi[j] = xi[j] * (one / n[j])
        elif beta == np.float32(0.5):
            for j in range(d):
                oi[j] = xi[j] * (one / np.sqrt(n[j]))
        else:
            for j in range(d):
                oi[j] = xi[j] * _exp(_log(n[j]) * minus_beta)


@_jit_ieee
def lrn_grad(g, x, y, r, bias, alpha, beta, out):
    """LRNGrad over the rows of [rows, depth] float32 arrays: out[k] = g[k] n[k]^-beta - 2 alpha beta x[k] * (the sum
    of g[j] y[j] / n[j] over j in [k - r, k + r]), the sum in j's order (TF's loop adds each term to its k in turn:
    a few units in the last place apart, 1e-7 of the gradient's scale)."""
    rows, d = x.shape
    padded, n = np.zeros(d + 2 * r, np.float32), np.empty(d, np.float32)
    terms, sums = np.zeros(d + 2 * r, np.float32), np.empty(d, np.float32)
    minus_beta, c = -beta, np.float32(-2) * alpha * beta
    for i in range(rows):
        xi, yi, gi, oi = x[i], y[i], g[i], out[i]
        _lrn_norms(xi, r, bias, alpha, padded, n)
        for j in range(d):
            terms[r + j] = gi[j] * yi[j] / n[j]
        _window_sums(terms, r, sums)
        for k in range(d):
            oi[k] = gi[k] * _exp(_log(n[k]) * minus_beta) + c * xi[k] * sums[k]


# ----- depthwise convolutions (conv.py): each channel with its own taps, NHWC, the padding never read ---------------
@_jit_ieee
def _tap_range(o, stride, dil, before, k, size):
    """The taps t of a window (output o along a dim) that land inside the input: [lo, hi), and its first cell."""
    start = o * stride - before
    lo = 0 if start >= 0 else (-start + dil - 1) // dil
    hi = k if start + (k - 1) * dil < size else (size - 1 - start) // dil + 1
    return lo, max(lo, hi), start


@_jit_ieee
def _columns(o_count, stride, dil, before, b, size):
    """The outputs o (along a dim) whose window's tap b lands inside the input: [lo, hi)."""
    first = before - b * dil   # o * stride >= first
    lo = 0 if first <= 0 else (first + stride - 1) // stride
    last = size - 1 + before - b * dil   # o * stride <= last
    hi = 0 if last < 0 else min(o_count, last // stride + 1)
    return lo, max(lo, hi)


@_jit_ieee
def depthwise_forward(x, w, strides, dil, before, out):
    """out[n, i, j, c * m + q] = sum over taps (a, b) of x[n, i s1 + a d1 - b1, j s2 + b d2 - b2, c] w[a, b, c, q]
    (x [n, h, w, c], w [k1, k2, c * m], out zeroed [n, oh, ow, c * m]); a window's taps in row-major order, each tap
    over a whole output row (the row stays in cache through its taps). Its gradients below walk the same taps (each
    loop writes one array only: numba types every branch, and the others' arrays arrive read-only)."""
    n, h, wd, c = x.shape
    k1, k2, cm = w.shape
    m = cm // c
    for o0 in range(n):
        for o1 in range(out.shape[1]):
            a0, a1, r1 = _tap_range(o1, strides[0], dil[0], before[0], k1, h)
            y = out[o0, o1]
            for a in range(a0, a1):
                xrow = x[o0, r1 + a * dil[0]]
                for b in range(k2):
                    j0, j1 = _columns(out.shape[2], strides[1], dil[1], before[1], b, wd)
                    wr = w[a, b]
                    for o2 in range(j0, j1):
                        xr, yr = xrow[o2 * strides[1] + b * dil[1] - before[1]], y[o2]
                        if m == 1:
                            for ch in range(c):
                                yr[ch] += xr[ch] * wr[ch]
                        else:
                            for ch in range(c):
                                for q in range(m):
                                    yr[ch * m + q] += xr[ch] * wr[ch * m + q]


@_jit_ieee
def depthwise_backprop_input(dy, w, strides, dil, before, out):
    """The input's gradient out [n, h, w, c] (zeroed) of depthwise_forward from dy [n, oh, ow, c * m]: each tap's
    terms added over a whole output row to the cells it read."""
    n, h, wd, c = out.shape
    k1, k2, cm = w.shape
    m = cm // c
    for o0 in range(n):
        for o1 in range(dy.shape[1]):
            a0, a1, r1 = _tap_range(o1, strides[0], dil[0], before[0], k1, h)
            g = dy[o0, o1]
            for a in range(a0, a1):
                dxrow = out[o0, r1 + a * dil[0]]
                for b in range(k2):
                    j0, j1 = _columns(dy.shape[2], strides[1], dil[1], before[1], b, wd)
                    wr = w[a, b]
                    for o2 in range(j0, j1):
                        dx, gr = dxrow[o2 * strides[1] + b * dil[1] - before[1]], g[o2]
                        if m == 1:
                            for ch in range(c):
                                dx[ch] += gr[ch] * wr[ch]
                        else:
                            for ch in range(c):
                                t = dx.dtype.type(0)
                                for q in range(m):
                                    t += gr[ch * m + q] * wr[ch * m + q]
                                dx[ch] += t


@_jit_ieee
def depthwise_backprop_filter(x, dy, strides, dil, before, out):
    """The filter's gradient out [k1, k2, c * m] (zeroed) of depthwise_forward from x and dy: each output row's terms
    per tap summed apart, then added (sums over fewer terms per rounding than one running sum over the batch)."""
    n, h, wd, c = x.shape
    k1, k2, cm = out.shape
    m = cm // c
    row = np.empty(cm, out.dtype)
    for o0 in range(n):
        for o1 in range(dy.shape[1]):
            a0, a1, r1 = _tap_range(o1, strides[0], dil[0], before[0], k1, h)
            g = dy[o0, o1]
            for a in range(a0, a1):
                xrow = x[o0, r1 + a * dil[0]]
                for b in range(k2):
                    j0, j1 = _columns(dy.shape[2], strides[1], dil[1], before[1], b, wd)
                    row[:] = 0
                    for o2 in range(j0, j1):
                        xr, gr = xrow[o2 * strides[1] + b * dil[1] - before[1]], g[o2]
                        if m == 1:
                            for ch in range(c):
                                row[ch] += xr[ch] * gr[ch]
                        else:
                            for ch in range(c):
                                for q in range(m):
                                    row[ch * m + q] += xr[ch] * gr[ch * m + q]
                    out[a, b] += row


# numba calls the C library's logf, sinf and cosf for np.log, np.sin and np.cos of a float32, as TF's Box-Muller does
# (checked bit for bit against them through ctypes), unless it vectorizes them with Intel's SVML (where installed)
LIBM = not numba.config.USING_SVML


@_jit
def libm_float(x, out, which):
    """The C library's logf (which 0), sinf (1) or cosf (2) of each float32 of the flat `x`."""
    for i in range(x.shape[0]):
        if which == 0:
            out[i] = np.log(x[i])
        elif which == 1:
            out[i] = np.sin(x[i])
        else:
            out[i] = np.cos(x[i])

"""The pooling kernels (ops/pooling.py) against plain per-window loops, bit for bit, on the cases where their
fast paths differ from the general one: windows that tile the input or leave gaps (gathered planes), windows
that overlap, SAME padding at the edges, odd sizes, NCHW and 3-D layouts, tied maxima, NaN and infinities in
the input and in the incoming gradient, integer and half-precision types.

Semantics checked (TF's CPU kernels): a window's maximum is NaN if it holds a NaN; its gradient goes to the cell
TF's scan takes (SpatialMaxPoolWithArgMaxHelper, recorded from TF in tests/tf_recorded/cases_nn_pool.py): the
window's first cell of the input, then each later one greater than the one taken (ties go to the first; a NaN
only as the first cell), padding never; the other cells take nothing, even from a NaN or infinite gradient.
MaxPool3DGrad is TF's other kernel: every cell within 1e-5 of the window's output.
"""
import itertools

import numpy as np
import pytest

from raygraph.ops.registry import get

LAYOUTS = {"NHWC": (1, 2), "NCHW": (2, 3), "NDHWC": (1, 2, 3)}
# (window, stride) per spatial axis: tiling, gaps, overlapping, a 1x1 subsampling, mixed
_RTOL = {np.float16: 4e-3, np.float32: 1e-6, np.float64: 1e-12}
GEOMETRIES = [((2, 2), (2, 2)), ((3, 3), (2, 2)), ((2, 3), (3, 1)), ((1, 1), (2, 2)), ((1, 3), (1, 3)),
              ((3, 2), (1, 2)), ((4, 4), (2, 3))]


def _pads(shape, spatial, ksize, strides, padding):
    """Per axis: (padding before, padding after), as TF's SAME and VALID have them."""
    pads = [(0, 0)] * len(shape)
    for axis, k, s in zip(spatial, ksize, strides):
        total = max((-(-shape[axis] // s) - 1) * s + k - shape[axis], 0) if padding == "SAME" else 0
        pads[axis] = (total // 2, total - total // 2)
    return pads


def _windows(shape, spatial, ksize, strides, padding):
    """(output index, input slices of the window, padding excluded), by plain loops; and the output shape."""
    out, before = list(shape), [b for b, _ in _pads(shape, spatial, ksize, strides, padding)]
    for axis, k, s in zip(spatial, ksize, strides):
        n = shape[axis]
        out[axis] = -(-n // s) if padding == "SAME" else (n - k) // s + 1
    size = dict(zip(spatial, ksize))
    step = dict(zip(spatial, strides))
    windows = []
    for idx in np.ndindex(*out):
        sl = tuple(slice(max(i * step[a] - before[a], 0), min(i * step[a] - before[a] + size[a], shape[a]))
                   if a in size else slice(i, i + 1) for a, i in enumerate(idx))
        windows.append((idx, sl))
    return windows, tuple(out)


def _taken(x, sl):
    """The input index of the cell TF's scan takes in a window: its first cell, then each later one greater than
    the one taken."""
    cells = x[sl].reshape(-1)
    at = 0
    for i in range(1, cells.size):
        if cells[i] > cells[at]:
            at = i
    return tuple(s.start + i for s, i in zip(sl, np.unravel_index(at, x[sl].shape)))


def _reference_max_pool_grad(x, y, grad, windows, three_d):
    """The gradient at `x`'s cells. 2-D: `windows` over the input `x`, each window's gradient to the cell TF's scan
    takes. 3-D: `windows` over `x` holding any padding (NaN) itself, each window's gradient to every cell within
    1e-5 of its output `y`. The other cells take nothing, even from a NaN or infinite gradient."""
    out = np.zeros(x.shape, grad.dtype)
    with np.errstate(invalid="ignore"):   # (inf - inf)
        for idx, sl in sorted(windows, key=lambda w: w[0][::-1]) if three_d else windows:  # TF's 3-D loop order
            if three_d:
                out[sl][np.abs(x[sl] - y[idx]) < x.dtype.type(1e-5)] += grad[idx]
            else:
                out[_taken(x, sl)] += grad[idx]
    return out


def _reference_avg_pool_grad(shape, grad, windows):
    out = np.zeros(shape, np.float64)
    for idx, sl in windows:
        out[sl] += np.float64(grad[idx]) / out[sl].size
    return out.astype(grad.dtype)


def _attrs(fmt, spatial, ksize, strides, padding):
    rank = len(fmt)
    k, s = [1] * rank, [1] * rank
    for axis, kk, ss in zip(spatial, ksize, strides):
        k[axis], s[axis] = kk, ss
    return {"ksize": k, "strides": s, "padding": padding, "data_format": fmt, "explicit_paddings": []}


def _input(rng, shape, dtype, kind):
    if kind == "ties":   # few distinct values: most windows hold several maxima (as after a ReLU)
        return rng.integers(-1, 2, shape).astype(dtype)
    x = (rng.standard_normal(shape) * 3).astype(dtype)
    if kind == "special":
        for value in (np.nan, np.inf, -np.inf):
            x.flat[rng.integers(0, x.size, max(1, x.size // 15))] = value
    return x


def _cases():
    for fmt, (ksize, strides), padding in itertools.product(LAYOUTS, GEOMETRIES, ("SAME", "VALID")):
        spatial = LAYOUTS[fmt]
        if fmt == "NDHWC":
            ksize, strides = ksize + (2,), strides + (1,)
        for channels in (1, 3, 16):
            yield fmt, spatial, ksize, strides, padding, channels


def _shape(fmt, channels):
    return {"NHWC": (2, 7, 6, channels), "NCHW": (2, channels, 7, 6), "NDHWC": (2, 5, 4, 3, channels)}[fmt]


def _type(fmt, name):
    return name.replace("Pool", "Pool3D") if fmt == "NDHWC" else name


@pytest.mark.parametrize("fmt,spatial,ksize,strides,padding,channels", list(_cases()))
def test_max_pool_and_its_gradient_match_per_window_loops(fmt, spatial, ksize, strides, padding, channels):
    rng = np.random.default_rng(len(ksize) * 100 + channels)
    shape = _shape(fmt, channels)
    a = _attrs(fmt, spatial, ksize, strides, padding)
    windows, out_shape = _windows(shape, spatial, ksize, strides, padding)
    for kind, dtype in itertools.product(("normal", "ties", "special"), (np.float32, np.float16, np.float64)):
        if fmt == "NDHWC" and dtype == np.float64:
            continue   # MaxPool3D has no float64 kernel
        x = _input(rng, shape, dtype, kind)
        y = get(_type(fmt, "MaxPool")).kernel(a, x)
        want = np.zeros(out_shape, dtype)
        for idx, sl in windows:
            want[idx] = np.nan if np.isnan(x[sl]).any() else x[sl].max()
        np.testing.assert_array_equal(y, want)
        grad = _input(rng, out_shape, dtype, "special" if kind == "special" else "normal")
        with np.errstate(invalid="ignore"):
            got = get(_type(fmt, "MaxPoolGrad")).kernel(a, x, y, grad)
        if fmt == "NDHWC":
            pads = _pads(shape, spatial, ksize, strides, padding)
            xp = np.pad(x, pads, constant_values=np.nan)
            padded_windows, _ = _windows(xp.shape, spatial, ksize, strides, "VALID")
            crop = tuple(slice(b, n - e) for (b, e), n in zip(pads, xp.shape))
            want = _reference_max_pool_grad(xp, y, grad, padded_windows, True)[crop]
        else:
            want = _reference_max_pool_grad(x, y, grad, windows, False)
        if all(k <= s for k, s in zip(ksize, strides)):   # one window per cell: no sums to round
            np.testing.assert_array_equal(got, want, err_msg=f"{kind} {np.dtype(dtype).name}")
        else:   # the kernel sums a cell's windows in another order
            np.testing.assert_allclose(got, want, rtol=_RTOL[dtype], atol=_RTOL[dtype])


@pytest.mark.parametrize("fmt,spatial,ksize,strides,padding,channels", list(_cases()))
def test_avg_pool_and_its_gradient_match_per_window_loops(fmt, spatial, ksize, strides, padding, channels):
    rng = np.random.default_rng(channels)
    shape = _shape(fmt, channels)
    a = _attrs(fmt, spatial, ksize, strides, padding)
    windows, out_shape = _windows(shape, spatial, ksize, strides, padding)
    for dtype in (np.float32, np.float64):
        x = _input(rng, shape, dtype, "normal")
        want = np.zeros(out_shape, np.float64)
        for idx, sl in windows:   # the mean of the window's input cells (padding not counted)
            want[idx] = x[sl].astype(np.float64).mean()
        got = get(_type(fmt, "AvgPool")).kernel(a, x)
        assert got.dtype == dtype
        np.testing.assert_allclose(got, want, rtol=_RTOL[dtype] * 4, atol=_RTOL[dtype] * 4)   # sums rounded
        grad = _input(rng, out_shape, dtype, "normal")
        got = get(_type(fmt, "AvgPoolGrad")).kernel(a, np.array(shape, np.int32), grad)
        want = _reference_avg_pool_grad(shape, grad, windows)
        if all(k <= s for k, s in zip(ksize, strides)):   # each cell in one window: one rounding, as here
            np.testing.assert_array_equal(got, want)
        else:
            np.testing.assert_allclose(got, want, rtol=_RTOL[dtype], atol=_RTOL[dtype])


@pytest.mark.parametrize("ksize,strides", GEOMETRIES)
def test_avg_pool_loops_over_nhwc_give_tfs_bits(ksize, strides, monkeypatch):
    """AvgPool and AvgPoolGrad over NHWC's rows and columns run compiled loops in TF's order (checked against TF 2.21
    here: every element equal, where numpy's separable sums left about half of them a bit off): a window's cells
    added from 0 in row-major order, divided by their count; the gradient, windows in row-major order, each one's
    times 1 / its count (a double rounded to the dtype) added to its cells."""
    from raygraph.ops import compiled
    monkeypatch.setattr(compiled, "COMPILED", 0)   # (every size through the loops)
    rng = np.random.default_rng(sum(ksize) * 10 + sum(strides))
    shape = (2, 7, 6, 5)
    for padding, dtype in itertools.product(("SAME", "VALID"), (np.float32, np.float64)):
        a = _attrs("NHWC", (1, 2), ksize, strides, padding)
        windows, out_shape = _windows(shape, (1, 2), ksize, strides, padding)
        x = _input(rng, shape, dtype, "normal")
        x.flat[::7] = -0.0
        want = np.zeros(out_shape, dtype)
        for idx, sl in windows:
            total = dtype(0)
            for v in x[sl].reshape(-1):
                total = dtype(total + v)
            want[idx] = total / dtype(x[sl].size)
        got = get("AvgPool").kernel(a, x)
        np.testing.assert_array_equal(got, want, err_msg=f"{padding} {np.dtype(dtype).name}")
        grad = _input(rng, out_shape, dtype, "normal")
        want = np.zeros(shape, dtype)
        for idx, sl in windows:
            want[sl] = want[sl] + grad[idx] * dtype(1.0 / want[sl].size)
        got = get("AvgPoolGrad").kernel(a, np.array(shape, np.int32), grad)
        np.testing.assert_array_equal(got, want, err_msg=f"{padding} {np.dtype(dtype).name}")


def test_max_pool_gradient_of_integers_and_explicit_padding():
    rng = np.random.default_rng(7)
    x = rng.integers(-3, 4, (2, 6, 5, 4)).astype(np.int32)
    a = {"ksize": [1, 2, 2, 1], "strides": [1, 2, 2, 1], "padding": "EXPLICIT", "data_format": "NHWC",
         "explicit_paddings": [0, 0, 1, 1, 0, 1, 0, 0]}
    y = get("MaxPool").kernel(a, x)
    grad = rng.integers(-5, 6, y.shape).astype(np.int32)
    got = get("MaxPoolGrad").kernel(a, x, y, grad)
    xp = np.pad(x, [(0, 0), (1, 1), (0, 1), (0, 0)], constant_values=np.iinfo(np.int32).min)
    windows, out_shape = _windows(xp.shape, (1, 2), (2, 2), (2, 2), "VALID")
    assert out_shape == y.shape
    want = _reference_max_pool_grad(xp, y, grad, windows, False)[:, 1:-1, :-1]
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_max_pool_2x2_loop_gives_the_numpy_ways_values(monkeypatch, dtype):
    """NHWC's 2x2 windows of stride 2 inside the input run one compiled loop (kernel_loops.max_pool_2x2_and_taken;
    where they tile it, the windows' taken cells are kept for the gradient): the same values as the numpy way (NaN and infinities included; where -0.0 and +0.0 tie either may come out, as numpy's own SIMD loops
    differ there), and the taken cells TF's scan's (the first of the largest, a NaN only as the first cell)."""
    from raygraph.ops import compiled, derived, pooling
    rng = np.random.default_rng(7)
    loops, calls = compiled.loops(), []
    loop = loops.max_pool_2x2_and_taken
    monkeypatch.setattr(loops, "max_pool_2x2_and_taken", lambda x, *out: (calls.append(x.shape), loop(x, *out)))
    kernel = get("MaxPool").kernel
    for shape, padding in [((3, 8, 10, 16), "SAME"), ((2, 9, 7, 5), "VALID"), ((1, 28, 28, 32), "VALID")]:
        a = _attrs("NHWC", (1, 2), (2, 2), (2, 2), padding)
        x = _input(rng, shape, dtype, "special")
        x.flat[rng.integers(0, x.size, x.size // 5)] = -0.0
        x.flat[rng.integers(0, x.size, x.size // 5)] = 0.0
        for given in (x, x[:, :, ::-1].copy()[:, :, ::-1]):
            got = kernel(a, given)
            with monkeypatch.context() as m:
                m.setattr(pooling, "_COMPILED_T", ())   # the numpy way
                want = kernel(a, given)
            np.testing.assert_array_equal(got, want)
            assert got.dtype == want.dtype and got.shape == want.shape
            taken = derived.find(given, pooling._TAKEN)
            if shape[1] % 2 == shape[2] % 2 == 0 and given.flags.c_contiguous:   # (else kept for a contiguous copy)
                cell, value = _scan_taken(given)
                np.testing.assert_array_equal(taken & 3, cell)
                np.testing.assert_array_equal(taken & loops.TAKEN_POSITIVE != 0, value > 0)   # (NaN: not > 0)
                assert not (taken & ~np.int8(3 | loops.TAKEN_POSITIVE)).any()
            else:
                assert taken is None
    assert calls == [(3, 8, 10, 16)] * 2 + [(2, 9, 7, 5)] * 2 + [(1, 28, 28, 32)] * 2


def _scan_taken(x):
    """Which cell of each 2x2 window of stride 2 TF's scan takes (a later cell only when greater, so a NaN only
    first), and that cell's value."""
    cells = [x[:, r::2, c::2] for r in (0, 1) for c in (0, 1)]
    best, taken = cells[0], np.zeros(cells[0].shape, np.int8)
    for index, cell in enumerate(cells[1:], 1):
        greater = cell > best
        best, taken = np.where(greater, cell, best), np.where(greater, np.int8(index), taken)
    return taken, best


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_max_pool_grad_of_tiling_2x2_windows_runs_two_passes_with_the_general_loops_bits(monkeypatch, dtype):
    """MaxPoolGrad over NHWC's 2x2 windows of stride 2 that tile the input runs kernel_loops' taken-cell and scatter
    passes (the scatter only where MaxPool over the same array kept the taken cells): the per-window loop's values
    and the general compiled loop's bits (ties, NaN and infinities in the input, NaN, infinities and signed zeros in
    the gradient)."""
    from raygraph.ops import compiled
    rng = np.random.default_rng(11)
    loops, calls = compiled.loops(), []
    both = loops.max_pool_2x2_and_taken
    monkeypatch.setattr(loops, "max_pool_2x2_and_taken", lambda x, y, t: (calls.append(x.shape), both(x, y, t)))
    kernel = get("MaxPoolGrad").kernel
    for shape, padding in [((3, 8, 10, 16), "SAME"), ((4, 6, 8, 5), "VALID"), ((1, 28, 28, 32), "VALID")]:
        a = _attrs("NHWC", (1, 2), (2, 2), (2, 2), padding)
        windows, out_shape = _windows(shape, (1, 2), (2, 2), (2, 2), padding)
        for kind in ("normal", "ties", "special"):
            x = _input(rng, shape, dtype, kind)
            y = get("MaxPool").kernel(a, x)
            grad = _input(rng, out_shape, dtype, "special")
            grad.flat[rng.integers(0, grad.size, grad.size // 5)] = -0.0
            made = len(calls)
            got = kernel(a, x, y, grad)   # (the forward's taken cells)
            assert len(calls) == made
            alone = kernel(a, x.copy(), y, grad)   # (an array MaxPool did not see: its own taken-cell pass)
            assert len(calls) == made + 1
            want = _reference_max_pool_grad(x, y, grad, windows, False)
            np.testing.assert_array_equal(got, want, err_msg=kind)   # (values: the reference adds -0.0 to +0.0)
            general = np.zeros(shape, dtype)
            loops.max_pool_grad(x, grad, (2, 2), (2, 2), (0, 0), True, dtype(0), general)
            for result in (got, alone):
                np.testing.assert_array_equal(result.view(f"i{got.itemsize}"), general.view(f"i{got.itemsize}"))
    assert calls == [(3, 8, 10, 16)] * 6 + [(4, 6, 8, 5)] * 6 + [(1, 28, 28, 32)] * 6

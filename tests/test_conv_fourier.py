"""The Fourier-transform convolution kernels (ops/conv_fourier.py) against the im2col ones (ops/conv.py), on
random geometries (strides, dilations, paddings), with the transform route forced; and when the route is taken."""
import gc
import os
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

from raygraph.ops import conv, conv_fourier, derived
from raygraph.ops.registry import get
from scheduler import blas

from conv_kernels import im2col_only, random_attrs, split_into_shares, three


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_transforms_match_im2col(monkeypatch, dtype):
    rng = np.random.default_rng(3)
    for trial in range(60):
        a = random_attrs(rng, trial, 4, 4)
        k = [int(v) for v in rng.integers(1, 5, 2)]
        window = [(n - 1) * d + 1 for n, d in zip(k, a["dilations"][1:3])]   # inputs at least a window wide
        x = rng.standard_normal((int(rng.integers(1, 3)), *(e + int(rng.integers(0, 6)) for e in window),
                                 int(rng.integers(1, 4)))).astype(dtype)
        w = rng.standard_normal((*k, x.shape[-1], int(rng.integers(1, 4)))).astype(dtype)
        im2col_only(monkeypatch)
        y = get("Conv2D").kernel(a, x, w)
        dy = rng.standard_normal(y.shape).astype(dtype)
        want = three(a, x, w, dy)
        monkeypatch.setattr(conv_fourier, "GAIN", 0.0)            # transforms wherever they apply
        got = three(a, x, w, dy)
        for g, v in zip(got, want):
            assert g.shape == v.shape and g.dtype == v.dtype
            np.testing.assert_allclose(g, v, rtol=0, atol=(1e-5 if dtype == np.float32 else 1e-12) * np.abs(v).max())
        geo = conv._Geometry(x.shape, w.shape, a, 2, "")
        assert conv_fourier.forward(x, w, geo) is not None   # the transforms did run


def _geometry(x_shape, w_shape, **attrs):
    a = {"strides": [1, 1, 1, 1], "padding": "SAME", "data_format": "NHWC", "dilations": [1, 1, 1, 1], **attrs}
    return conv._Geometry(x_shape, w_shape, a, 2, "")


def test_route_taken_where_it_pays():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((8, 14, 14, 16)).astype(np.float32)
    w = rng.standard_normal((5, 5, 16, 32)).astype(np.float32)
    assert conv_fourier.forward(x, w, _geometry(x.shape, w.shape)) is not None        # LeNet's second conv
    one = rng.standard_normal((8, 28, 28, 1)).astype(np.float32)
    assert conv_fourier.forward(one, w[:, :, :1], _geometry(one.shape, (5, 5, 1, 32))) is None   # one channel
    assert conv_fourier.forward(x.astype(np.int64), w.astype(np.int64), _geometry(x.shape, w.shape)) is None
    x = x.copy()   # (kept spectra make their arrays read-only)
    x[1, 2, 3, 4] = np.inf   # a non-finite value would spread over its whole plane: the direct route runs
    assert conv_fourier.forward(x, w, _geometry(x.shape, w.shape)) is None
    assert conv_fourier.backprop_filter(x, np.ones((8, 14, 14, 32), np.float32), _geometry(x.shape, w.shape)) is None


def test_any_non_finite_value_sends_each_kernel_the_direct_route():
    """A NaN, an infinity, or two opposite infinities anywhere in either operand sends each kernel the direct
    route (a transform would spread it over its plane): the op's result is im2col's."""
    rng = np.random.default_rng(7)
    x = rng.standard_normal((3, 14, 14, 16)).astype(np.float32)
    w = rng.standard_normal((5, 5, 16, 32)).astype(np.float32)
    dy = rng.standard_normal((3, 14, 14, 32)).astype(np.float32)
    geo = _geometry(x.shape, w.shape)
    kernels = [(conv_fourier.forward, (x, w)), (conv_fourier.backprop_input, (w, dy)),
               (conv_fourier.backprop_filter, (x, dy))]
    for kernel, args in kernels:
        assert kernel(*[a.copy() for a in args], geo) is not None
        for which in range(2):
            for bad in ([np.nan], [np.inf], [-np.inf], [np.inf, -np.inf]):
                spoiled = [a.copy() for a in args]
                flat = spoiled[which].reshape(-1)
                for value, at in zip(bad, rng.choice(flat.size, len(bad), replace=False)):
                    flat[at] = value
                assert kernel(*spoiled, geo) is None, (kernel.__name__, which, bad)
    a = {"strides": [1, 1, 1, 1], "padding": "SAME", "data_format": "NHWC", "dilations": [1, 1, 1, 1]}
    x = x.copy()
    x[2, 5, 6, 7] = np.nan
    got = get("Conv2D").kernel(a, x, w)
    assert np.isnan(got[2]).any() and not np.isnan(got[:2]).any()   # im2col's: only the windows over the NaN


def test_each_arrays_spectrum_is_taken_once_and_stays_true(monkeypatch):
    """The forward and the filter gradient share the input's spectrum (its conjugate), the two gradients the output
    gradient's, the forward and the input gradient the filter's: the same bits as taken anew; a writable view of
    memory numpy does not own is not kept."""
    gc.collect()   # (values other tests' arrays left in reference cycles, dropped with them)
    before = derived.count()
    rng = np.random.default_rng(5)
    x = rng.standard_normal((4, 14, 14, 16)).astype(np.float32)
    w = rng.standard_normal((5, 5, 16, 32)).astype(np.float32)
    dy = rng.standard_normal((4, 14, 14, 32)).astype(np.float32)
    geo = _geometry(x.shape, w.shape)
    taken, spectrum = [], conv_fourier._spectrum
    monkeypatch.setattr(conv_fourier, "_spectrum", lambda a, *args: taken.append(a.shape) or spectrum(a, *args))

    def three_kernels(x, dy, x2, dy2):
        return (conv_fourier.forward(x, w, geo), conv_fourier.backprop_input(w, dy, geo),
                conv_fourier.backprop_filter(x2, dy2, geo))
    fresh = three_kernels(x.copy(), dy.copy(), x.copy(), dy.copy())
    assert taken == [x.shape, dy.shape, x.shape, dy.shape] and derived.count() == before + 2   # (filter: both)
    del taken[:]
    kept = three_kernels(x, dy, x, dy)
    assert taken == [x.shape, dy.shape]
    for a, b in zip(kept, fresh):
        assert a.tobytes() == b.tobytes()
    assert not x.flags.writeable and not dy.flags.writeable
    del taken[:]
    sizes, ctype = conv_fourier._plan(geo, (x.dtype, w.dtype), (x, w))
    for places in conv_fourier._places(geo):   # the other sign's spectrum: the conjugate (a zero's sign aside)
        np.testing.assert_array_equal(conv_fourier._spectrum(dy, sizes, places, ctype, +1),
                                      np.conj(conv_fourier._spectrum(dy, sizes, places, ctype, -1)))
    del taken[:]
    buffer = bytearray(x.tobytes())   # memory numpy does not own, writable: taken each time
    view = np.frombuffer(buffer, np.float32).reshape(x.shape)
    conv_fourier.forward(view, w, geo), conv_fourier.backprop_filter(view, dy, geo)
    assert taken == [x.shape, x.shape]
    del x, dy, kept
    assert derived.count() == before + 2
    del w
    assert derived.count() == before   # dropped with their arrays


def test_a_value_asked_for_while_another_thread_makes_it_is_made_once():
    """Two gradients side by side want the same spectrum: the second waits for the first's (each got its own
    before); a value that cannot be kept (writable memory numpy does not own) is still made by each."""
    made, started = [], threading.Event()

    def make(a):
        made.append(threading.get_ident())
        started.set()
        time.sleep(0.2)
        return a * 2

    def both(a):
        got = []
        other = threading.Thread(target=lambda: started.wait(5) and got.append(derived.derived(a, "twice", make)))
        other.start()
        got.append(derived.derived(a, "twice", make))
        other.join(5)
        return got

    a = np.arange(4.0)
    first, second = both(a)
    assert len(made) == 1 and first is second
    made.clear()
    started.clear()
    view = np.frombuffer(bytearray(a.tobytes()), np.float64)
    assert [list(v) for v in both(view)] == [[0, 2, 4, 6]] * 2 and len(made) == 2


def test_a_variable_updated_in_place_after_a_convolution_is_convolved_anew(rtf):
    """A variable's array whose spectrum is kept is read-only: ScatterUpdate copies it before writing, so the next
    step's convolution sees the new values."""
    tf = rtf
    rng = np.random.default_rng(2)
    start = rng.standard_normal((4, 14, 14, 16)).astype(np.float32)
    w = rng.standard_normal((5, 5, 16, 32)).astype(np.float32)
    with tf.Graph().as_default():
        v = tf.Variable(start)
        y = tf.nn.conv2d(v, tf.constant(w), [1, 1, 1, 1], "SAME")
        update = tf.scatter_update(v, [1], tf.ones([1, 14, 14, 16]))
        with tf.Session() as s:
            s.run(v.initializer)
            first = s.run(y)
            s.run(update)
            second = s.run(y)
    changed = start.copy()
    changed[1] = 1
    for got, x in ((first, start), (second, changed)):
        want = get("Conv2D").kernel({"strides": [1, 1, 1, 1], "padding": "SAME", "data_format": "NHWC",
                                     "dilations": [1, 1, 1, 1]}, x, w)
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-5 * np.abs(want).max())
    assert np.abs(second[1] - first[1]).max() > 1


@pytest.mark.parametrize("products_bytes", [conv_fourier.PRODUCTS_BYTES, 1, 110600, 221184])
@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_compiled_calls_give_numpys_bits(monkeypatch, dtype, threads, products_bytes):
    """Where arrays are large the layouts' moves run compiled (kernel_loops), and in two dims the transforms and
    products as well (fourier_loops, calling numpy's OpenBLAS as numpy does): the same bits as numpy's calls, 1-3
    spatial dims, OpenBLAS on one thread or two (a version whose calls, loaded from numba's cache, went wrong on
    two threads passed this test on one), the products' rows taken whole or a few at a time (PRODUCTS_BYTES: one
    (two) rows, or blocks that leave an uneven last one). Where products run on MKL (scheduler/blas.py), so do
    fourier_loops' and the values agree to rounding (numpy's bits: the next test)."""
    from threadpoolctl import threadpool_limits
    if not conv_fourier.compiled.fourier_loops().FOUND:
        pytest.skip("numpy's OpenBLAS (scipy-openblas64) not found: fourier_loops does not run")
    monkeypatch.setattr(conv_fourier, "PRODUCTS_BYTES", products_bytes)
    with threadpool_limits(threads, user_api="blas"):
        _compiled_against_numpy(monkeypatch, dtype, exact=blas.library() == "numpy")


@pytest.mark.skipif(blas.library() == "numpy", reason="the test above checks numpy's bits in this process")
def test_on_numpys_blas_compiled_calls_give_numpys_bits():
    """With MKL turned off (RAYGRAPH_MKL=0), in a process of its own: the bits of the test above."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    r = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-x",
                        f"{__file__}::test_compiled_calls_give_numpys_bits"], cwd=root, capture_output=True, text=True,
                       env=dict(os.environ, RAYGRAPH_MKL="0"), timeout=600, check=False)
    assert r.returncode == 0 and "16 passed" in r.stdout, r.stdout[-3000:] + r.stderr[-2000:]


def _compiled_against_numpy(monkeypatch, dtype, exact=True):
    rng = np.random.default_rng(9)
    monkeypatch.setattr(conv_fourier, "GAIN", 0.0)   # transforms wherever they apply
    for x_shape, w_shape in [((6, 30, 5), (4, 5, 7)), ((4, 14, 14, 16), (5, 5, 16, 32)),
                             ((2, 5, 6, 7, 3), (2, 3, 3, 3, 4))]:
        x = rng.standard_normal(x_shape).astype(dtype)
        w = rng.standard_normal(w_shape).astype(dtype)
        nd = len(x_shape) - 2
        a = {"strides": [1] * (nd + 2), "padding": "SAME", "dilations": [1] * (nd + 2)}
        geo = conv._Geometry(x.shape, w.shape, a, nd, "")
        dy = rng.standard_normal((x.shape[0], *geo.out, w.shape[-1])).astype(dtype)

        def kernels():
            return (conv_fourier.forward(x.copy(), w.copy(), geo),
                    conv_fourier.backprop_input(w.copy(), dy.copy(), geo),
                    conv_fourier.backprop_filter(x.copy(), dy.copy(), geo))
        monkeypatch.setattr(conv_fourier.compiled, "COMPILED", 1)
        compiled = kernels()
        monkeypatch.setattr(conv_fourier.compiled, "COMPILED", 1 << 40)
        for got, want in zip(compiled, kernels()):
            assert got is not None and got.dtype == want.dtype
            if exact:
                assert got.tobytes() == want.tobytes()
            else:
                np.testing.assert_allclose(got, want, rtol=0, atol=50 * np.finfo(dtype).eps * np.abs(want).max())
        bytes_now = conv_fourier.PRODUCTS_BYTES
        monkeypatch.setattr(conv_fourier, "PRODUCTS_BYTES", 1 << 40)   # (all rows at once: the values, rounded)
        for got, whole in zip(compiled, kernels()):
            np.testing.assert_allclose(got, whole, rtol=0, atol=50 * np.finfo(dtype).eps * np.abs(whole).max())
        monkeypatch.setattr(conv_fourier, "PRODUCTS_BYTES", bytes_now)


def test_kernels_cut_into_shares_of_the_batch_give_the_whole_batchs_values(monkeypatch):
    """Each share of the batch (one per intra-op thread) runs its own compiled calls at once with the other's."""
    rng = np.random.default_rng(4)
    x = rng.standard_normal((8, 14, 14, 16)).astype(np.float32)
    w = rng.standard_normal((5, 5, 16, 32)).astype(np.float32)
    dy = rng.standard_normal((8, 14, 14, 32)).astype(np.float32)
    a = {"strides": [1, 1, 1, 1], "padding": "SAME", "data_format": "NHWC", "dilations": [1, 1, 1, 1]}
    whole = three(a, x, w, dy)
    monkeypatch.setattr(conv, "_SPLIT_WORK", 0)
    with split_into_shares(monkeypatch) as shares:
        for _ in range(3):
            split = three(a, *(v.copy() for v in (x, w, dy)))
            for got, want in zip(split, whole):
                np.testing.assert_allclose(got, want, rtol=0, atol=1e-5 * np.abs(want).max())
        assert len(shares) >= 9


def test_an_empty_batch_through_each_route():
    """A batch of none gives empty results and a zero filter gradient on every route (Fourier, taps, Winograd,
    im2col): the Fourier route's spectra of no images raised ValueError before."""
    a = {"strides": [1, 1, 1, 1], "padding": "SAME", "data_format": "NHWC", "dilations": [1, 1, 1, 1]}
    for spatial, c, k, o in [(14, 16, 5, 32), (28, 1, 5, 16), (8, 16, 3, 16), (9, 3, 2, 4)]:
        x = np.zeros((0, spatial, spatial, c), np.float32)
        w = np.ones((k, k, c, o), np.float32)
        dy = np.zeros((0, spatial, spatial, o), np.float32)
        y, dx, dw = three(a, x, w, dy)
        assert y.shape == dy.shape and dx.shape == x.shape and dw.shape == w.shape and not dw.any()

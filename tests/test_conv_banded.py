"""The banded-filter forward convolution of one input channel (ops/conv_banded.py) against im2col (ops/conv.py), on
random geometries; and when the route is taken."""
import numpy as np
import pytest

from raygraph.ops import conv, conv_banded
from raygraph.ops.registry import get

from conv_kernels import random_attrs


def _im2col(monkeypatch, a, x, w, dy=None):
    with monkeypatch.context() as m:
        m.setattr(conv_banded, "BLOCKS", ())   # no block size: im2col only
        return get("Conv2D").kernel(a, x, w) if dy is None else _filter_gradient(a, x, w, dy)


def _filter_gradient(a, x, w, dy):
    return get("Conv2DBackpropFilter").kernel(a, x, np.array(w.shape, np.int32), dy)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int32])
def test_band_matches_im2col(monkeypatch, dtype):
    rng = np.random.default_rng(11)
    taken = 0
    for trial in range(60):
        a = random_attrs(rng, trial, 4, 4)
        a["strides"][2] = a["dilations"][2] = 1   # (the route needs stride and dilation 1 along the last dim)
        k = [int(v) for v in rng.integers(1, 6, 2)]
        x = rng.standard_normal((int(rng.integers(1, 4)), int(rng.integers(k[0] * a["dilations"][1], 20)),
                                 int(rng.integers(k[1], 20)), 1))
        w = rng.standard_normal((*k, 1, int(rng.integers(1, 9))))
        x, w = ((10 * v).astype(dtype) for v in (x, w))
        want = _im2col(monkeypatch, a, x, w)
        got = get("Conv2D").kernel(a, x, w)
        dy = (10 * rng.standard_normal(want.shape)).astype(dtype)
        for got, want in [(got, want), (_filter_gradient(a, x, w, dy), _im2col(monkeypatch, a, x, w, dy))]:
            assert got.shape == want.shape and got.dtype == want.dtype
            np.testing.assert_allclose(got, want, rtol=0,
                                       atol=1e-4 * np.abs(want).max() if dtype == np.float32 else 1e-9)
        geo = conv._Geometry(x.shape, w.shape, a, 2, "")
        x, w, dy = (v.astype(np.float64) for v in (x, w, dy))
        taken += conv_banded.forward(x, w, geo) is not None and conv_banded.backprop_filter(x, dy, geo) is not None
    assert taken > 30   # (most last dims have a divisor among the block sizes)


def test_one_and_three_spatial_dims_and_chunks_of_images(monkeypatch):
    rng = np.random.default_rng(2)
    x = rng.standard_normal((5, 40, 1)).astype(np.float32)
    w = rng.standard_normal((3, 1, 6)).astype(np.float32)
    a = {"strides": [1, 1, 1], "padding": "SAME", "data_format": "NWC", "dilations": [1, 1, 1]}
    geo = conv._Geometry(x.shape, w.shape, a, 1, "")
    banded = conv_banded.forward(x, w, geo)
    dy = rng.standard_normal(banded.shape).astype(np.float32)
    dw = conv_banded.backprop_filter(x, dy, geo)
    with monkeypatch.context() as m:
        m.setattr(conv_banded, "CHUNK", 100)   # two images' columns a chunk: three products
        np.testing.assert_allclose(conv_banded.forward(x, w, geo), banded, rtol=1e-6, atol=1e-6)
        np.testing.assert_allclose(conv_banded.backprop_filter(x, dy, geo), dw, rtol=1e-5, atol=1e-5)
    direct_dw = np.stack([np.einsum("nj,njo->o", np.pad(x[..., 0], ((0, 0), (1, 1)))[:, t:t + 40], dy)
                          for t in range(3)])
    np.testing.assert_allclose(dw[:, 0], direct_dw, rtol=1e-4, atol=1e-4)
    direct = np.stack([np.stack([np.convolve(np.pad(x[n, :, 0], 1), w[::-1, 0, o], "valid") for o in range(6)], -1)
                       for n in range(5)])
    np.testing.assert_allclose(banded, direct, rtol=1e-5, atol=1e-5)
    x3 = rng.standard_normal((2, 6, 7, 16, 1)).astype(np.float32)
    w3 = rng.standard_normal((2, 3, 3, 1, 4)).astype(np.float32)
    a3 = {"strides": [1, 2, 1, 1, 1], "padding": "VALID", "data_format": "NDHWC", "dilations": [1, 1, 2, 1, 1]}
    with monkeypatch.context() as m:
        m.setattr(conv_banded, "BLOCKS", ())
        want = get("Conv3D").kernel(a3, x3, w3)
    np.testing.assert_allclose(get("Conv3D").kernel(a3, x3, w3), want, rtol=1e-5, atol=1e-5)
    assert conv_banded.forward(x3, w3, conv._Geometry(x3.shape, w3.shape, a3, 3, "")) is not None


def test_route_taken_where_it_applies(monkeypatch):
    rng = np.random.default_rng(0)
    a = {"strides": [1, 1, 1, 1], "padding": "SAME", "data_format": "NHWC", "dilations": [1, 1, 1, 1]}
    x = rng.standard_normal((4, 28, 28, 1)).astype(np.float32)
    w = rng.standard_normal((5, 5, 1, 16)).astype(np.float32)
    assert conv_banded.forward(x, w, conv._Geometry(x.shape, w.shape, a, 2, "")) is not None   # LeNet's first
    two = np.concatenate([x, x], -1)
    assert conv_banded.forward(two, w, conv._Geometry(two.shape, (5, 5, 2, 16), a, 2, "")) is None
    strided = dict(a, strides=[1, 1, 2, 1])
    assert conv_banded.forward(x, w, conv._Geometry(x.shape, w.shape, strided, 2, "")) is None
    empty = np.zeros((0, 28, 28, 1), np.float32)   # (an empty batch: im2col's zeros)
    assert conv_banded.backprop_filter(empty, np.zeros((0, 28, 28, 16), np.float32),
                                       conv._Geometry(empty.shape, w.shape, a, 2, "")) is None
    np.testing.assert_array_equal(
        _filter_gradient(a, empty, w, np.zeros((0, 28, 28, 16), np.float32)), np.zeros(w.shape, np.float32))
    odd = x[:, :, :23]   # 23 outputs along the last dim: no block size divides them
    assert conv_banded.forward(odd, w, conv._Geometry(odd.shape, w.shape, a, 2, "")) is None
    for bad in (np.nan, np.inf):   # the band's zeros would spread it (0 x inf): im2col's result
        spoiled = x.copy()
        spoiled[1, 3, 20, 0] = bad
        assert conv_banded.forward(spoiled, w, conv._Geometry(x.shape, w.shape, a, 2, "")) is None
        got = get("Conv2D").kernel(a, spoiled, w)
        np.testing.assert_array_equal(got, _im2col(monkeypatch, a, spoiled, w))
        assert np.isfinite(got[1, :, :14]).all() and not np.isfinite(got[1, 1:6, 18:23]).all()
        dy = rng.standard_normal(got.shape).astype(np.float32)   # the filter's gradient: the band's kept terms
        banded, want = _filter_gradient(a, spoiled, w, dy), _im2col(monkeypatch, a, spoiled, w, dy)
        np.testing.assert_allclose(banded, want, rtol=1e-4, atol=1e-3)   # (NaN where im2col's is)
